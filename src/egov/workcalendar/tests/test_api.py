"""HTTP API: public computations (200/400) and the exceptions table (401/403/201/204/404)."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from egov.audit.models import AuditRecord
from egov.workcalendar.calendar import HOLIDAYS_VERSION
from egov.workcalendar.models import CalendarException, CalendarVersion

pytestmark = pytest.mark.django_db

BASE = "/api/v1/calendar/"


@pytest.fixture
def client():
    return APIClient()


def _get(client, path, **params):
    return client.get(f"{BASE}{path}/?{urlencode(params)}", HTTP_ACCEPT_LANGUAGE="vi")


def test_days_off_2027(client):
    response = _get(client, "days-off", year=2027)
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2027
    assert body["calendar_version"] == f"0+holidays-{HOLIDAYS_VERSION}"
    days = {d["date"]: d for d in body["days"]}
    assert days["2027-02-05"] == {
        "date": "2027-02-05",
        "name": "Giao thừa Tết Nguyên Đán",
        "name_en": "Lunar New Year's Eve",
        "kind": "holiday",
    }
    assert days["2027-05-03"]["kind"] == "observed"
    assert body["working_weekend_days"] == []
    assert _get(client, "days-off", year=2026).json()["working_weekend_days"][0]["date"] == "2026-08-22"


def test_days_off_defaults_to_this_year(client):
    response = client.get(f"{BASE}days-off/")
    assert response.status_code == 200
    assert isinstance(response.json()["year"], int)


def test_add_working_days_across_tet(client):
    response = _get(client, "add-working-days", start="2026-02-12T09:00:00+07:00", days=10)
    assert response.status_code == 200
    assert response.json() == {"due": "2026-03-05T09:00:00+07:00", "calendar_version": f"0+holidays-{HOLIDAYS_VERSION}"}


def test_add_working_days_reads_naive_and_utc_and_a_lost_plus_sign(client):
    naive = _get(client, "add-working-days", start="2026-02-12T09:00", days=10).json()
    utc = _get(client, "add-working-days", start="2026-02-12T02:00:00Z", days=10).json()
    lost_plus = client.get(f"{BASE}add-working-days/?start=2026-02-12T09:00:00+07:00&days=10").json()
    assert naive["due"] == utc["due"] == lost_plus["due"] == "2026-03-05T09:00:00+07:00"


def test_add_working_days_with_cut_off(client):
    late = _get(client, "add-working-days", start="2026-03-02T15:30:00+07:00", days=0, cutoff="15:00")
    assert late.json()["due"] == "2026-03-03T07:30:00+07:00"


def test_add_working_hours_and_days_between(client):
    hours = _get(client, "add-working-hours", start="2026-03-06T16:00:00+07:00", hours="8")
    assert hours.status_code == 200
    assert hours.json()["due"] == "2026-03-09T16:30:00+07:00"
    half = _get(client, "add-working-hours", start="2026-03-02T10:30:00+07:00", hours="1.5")
    assert half.json()["due"] == "2026-03-02T14:00:00+07:00"  # 1 h before lunch, 0.5 h after
    between = _get(client, "working-days-between", start="2026-02-12", end="2026-03-05T09:00:00+07:00")
    assert between.json() == {"working_days": 10, "calendar_version": f"0+holidays-{HOLIDAYS_VERSION}"}


@pytest.mark.parametrize(
    ("path", "params", "code", "field"),
    [
        ("add-working-days", {"days": 3}, "workcalendar.missing_parameter", "start"),
        ("add-working-days", {"start": "2026-03-02T09:00"}, "workcalendar.missing_parameter", "days"),
        ("add-working-days", {"start": "12/02/2026", "days": 3}, "workcalendar.invalid_date", "start"),
        ("add-working-days", {"start": "2026-02-30", "days": 3}, "workcalendar.invalid_date", "start"),
        ("add-working-days", {"start": "2026-03-02", "days": -1}, "workcalendar.invalid_number", "days"),
        ("add-working-days", {"start": "2026-03-02", "days": 10**9}, "workcalendar.invalid_number", "days"),
        ("add-working-days", {"start": "2026-03-02", "days": "ba"}, "workcalendar.invalid_number", "days"),
        (
            "add-working-days",
            {"start": "2026-03-02", "days": 2, "cutoff": "25:00"},
            "workcalendar.invalid_time",
            "cutoff",
        ),
        ("add-working-days", {"start": "1990-03-02", "days": 2}, "workcalendar.date_out_of_range", "start"),
        ("add-working-hours", {"start": "2026-03-02", "hours": "nan"}, "workcalendar.invalid_number", "hours"),
        ("add-working-hours", {"start": "2026-03-02", "hours": "-2"}, "workcalendar.invalid_number", "hours"),
        ("add-working-hours", {"start": "2026-03-02", "hours": "1e9"}, "workcalendar.invalid_number", "hours"),
        ("working-days-between", {"start": "2026-03-02"}, "workcalendar.missing_parameter", "end"),
        ("days-off", {"year": "hai nghìn"}, "workcalendar.invalid_date", "year"),
        ("days-off", {"year": "2200"}, "workcalendar.date_out_of_range", "year"),
    ],
)
def test_bad_input_gets_a_400_in_both_languages(client, path, params, code, field):
    response = _get(client, path, **params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["field"] == field
    assert body["message"] == body["messages"]["vi"]
    assert body["messages"]["vi"] != body["messages"]["en"]


# --- the exceptions table -------------------------------------------------------------------------

NEW = {
    "date": "2027-03-13",
    "kind": "working_day",
    "name_vi": "Làm bù cho ngày 05/3/2027",
    "name_en": "Make-up working day",
    "source": "Thông báo của Văn phòng Chính phủ",
}


def _counts():
    return CalendarException.objects.count(), AuditRecord.objects.count(), CalendarVersion.objects.count()


def test_anonymous_callers_get_401_and_change_nothing(client):
    before = _counts()
    assert client.get(f"{BASE}exceptions/").status_code == 401
    response = client.post(f"{BASE}exceptions/", NEW, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == "common.not_authenticated"
    assert client.delete(f"{BASE}exceptions/2027-03-13/").status_code == 401
    assert _counts() == before


def test_users_without_the_permission_get_403_and_change_nothing(client, citizen):
    client.force_login(citizen)
    before = _counts()
    assert client.get(f"{BASE}exceptions/").status_code == 403
    response = client.post(f"{BASE}exceptions/", NEW, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "common.permission_denied"
    assert client.delete(f"{BASE}exceptions/2027-03-13/").status_code == 403
    assert _counts() == before


def test_an_officer_adds_lists_and_removes_an_exception(client, officer):
    client.force_login(officer)
    response = client.post(f"{BASE}exceptions/", NEW, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created_by"] == "vanphong.ubnd"
    listed = client.get(f"{BASE}exceptions/?year=2027").json()
    assert [item["date"] for item in listed["results"]] == ["2027-03-13"]
    due = _get(client, "add-working-days", start="2027-03-12T10:00:00+07:00", days=1).json()
    assert due == {"due": "2027-03-13T10:00:00+07:00", "calendar_version": f"1+holidays-{HOLIDAYS_VERSION}"}
    assert client.delete(f"{BASE}exceptions/2027-03-13/").status_code == 204
    assert CalendarException.objects.count() == 0
    assert list(AuditRecord.objects.values_list("action", flat=True)) == [
        "workcalendar.calendar_exception_add",
        "workcalendar.calendar_exception_remove",
    ]
    missing = client.delete(f"{BASE}exceptions/2027-03-13/")
    assert missing.status_code == 404
    assert missing.json()["code"] == "workcalendar.exception_not_found"


def test_a_superuser_may_add_without_explicit_permissions(client):
    admin = get_user_model().objects.create_superuser(username="quantri", password="x" * 12)
    client.force_login(admin)
    assert client.post(f"{BASE}exceptions/", NEW, format="json").status_code == 201


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"date": "2027-03-10"}, "workcalendar.make_up_day_not_weekend"),
        ({"date": "13/03/2027"}, "workcalendar.invalid_date"),
        ({"date": ""}, "workcalendar.invalid_date"),
        ({"kind": "ngay_le"}, "workcalendar.invalid_kind"),
        ({"name_vi": ""}, "workcalendar.name_required"),
        ({"date": "2027-02-05", "kind": "day_off"}, "workcalendar.day_off_not_working"),
    ],
)
def test_bad_exceptions_get_400_and_change_nothing(client, officer, changes, code):
    client.force_login(officer)
    before = _counts()
    response = client.post(f"{BASE}exceptions/", {**NEW, **changes}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["message"] == body["messages"]["en"]
    assert _counts() == before
    assert not CalendarException.objects.filter(date=date(2027, 3, 13)).exists()


def test_the_schema_documents_the_calendar_endpoints():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator

    patterns = [path("api/v1/", include("egov.workcalendar.api.urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    paths = schema["paths"]
    assert set(paths["/api/v1/calendar/add-working-days/"]["get"]["responses"]) == {"200", "400"}
    assert set(paths["/api/v1/calendar/exceptions/{day}/"]["delete"]["responses"]) == {
        "204",
        "400",
        "401",
        "403",
        "404",
    }
    assert {p["name"] for p in paths["/api/v1/calendar/add-working-days/"]["get"]["parameters"]} == {
        "start",
        "days",
        "cutoff",
    }
