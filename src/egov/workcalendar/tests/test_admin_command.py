"""The admin and the console command go through the services (validated, versioned, audited)."""

from datetime import date, time
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditRecord
from egov.workcalendar import selectors
from egov.workcalendar.models import CalendarException, WorkSchedule

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser(username="quantri", password="x" * 12)
    client.force_login(user)
    return client


def test_admin_add_and_delete_are_audited(admin_client):
    response = admin_client.post(
        "/admin/workcalendar/calendarexception/add/",
        {
            "date": "2027-03-13",
            "kind": "working_day",
            "name_vi": "Làm bù",
            "name_en": "Make-up",
            "source": "Thông báo",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CalendarException.objects.get()
    assert item.created_by.username == "quantri"
    response = admin_client.post(f"/admin/workcalendar/calendarexception/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert CalendarException.objects.count() == 0
    assert list(AuditRecord.objects.values_list("action", flat=True)) == [
        "workcalendar.calendar_exception_add",
        "workcalendar.calendar_exception_remove",
    ]
    assert selectors.calendar_version().startswith("2+")


def test_admin_shows_the_rule_beside_the_form_and_changes_nothing(admin_client):
    response = admin_client.post(
        "/admin/workcalendar/calendarexception/add/",
        {"date": "2027-03-10", "kind": "working_day", "name_vi": "Làm bù", "name_en": "", "source": ""},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert "Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật" in response.content.decode()
    assert CalendarException.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_admin_sets_working_hours_through_the_service(admin_client):
    data = {
        "valid_from": "2026-06-01",
        "morning_start": "07:00",
        "morning_end": "11:00",
        "afternoon_start": "13:30",
        "afternoon_end": "16:30",
    }
    assert admin_client.post("/admin/workcalendar/workschedule/add/", data).status_code == 302
    assert WorkSchedule.objects.get().morning_start == time(7, 0)
    bad = admin_client.post(
        "/admin/workcalendar/workschedule/add/", {**data, "valid_from": "2026-07-01", "morning_end": "14:00"}
    )
    assert bad.status_code == 200
    assert WorkSchedule.objects.count() == 1
    assert list(AuditRecord.objects.values_list("action", flat=True)) == ["workcalendar.work_schedule_set"]


def test_command_lists_days_off_and_adds_and_removes_exceptions():
    out = StringIO()
    call_command("calendar", "days-off", "--year", "2027", stdout=out)
    text = out.getvalue()
    assert "2027-02-05" in text
    assert "Giao thừa Tết Nguyên Đán" in text
    call_command(
        "calendar",
        "add-exception",
        "--date",
        "2027-03-05",
        "--kind",
        "day_off",
        "--name-vi",
        "Nghỉ hoán đổi",
        "--name-en",
        "Swapped day off",
        stdout=StringIO(),
    )
    assert not selectors.is_working_day(date(2027, 3, 5))
    assert AuditRecord.objects.get().actor_id is None
    with pytest.raises(CommandError, match="Ngày nghỉ bổ sung phải là ngày lẽ ra đi làm"):
        call_command(
            "calendar",
            "add-exception",
            "--date",
            "2027-03-06",
            "--kind",
            "day_off",
            "--name-vi",
            "x",
            stdout=StringIO(),
        )
    call_command("calendar", "remove-exception", "--date", "2027-03-05", stdout=StringIO())
    assert CalendarException.objects.count() == 0
