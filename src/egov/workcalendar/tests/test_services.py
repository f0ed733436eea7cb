"""The exceptions table and the office hours: rules, versioning, audit, the process cache."""

from datetime import date, datetime, time

import pytest

from egov.audit.models import AuditRecord
from egov.audit.services import audit_verify
from egov.common.errors import EgovError
from egov.workcalendar import selectors, services
from egov.workcalendar.calendar import HOLIDAYS_VERSION, DayOffKind, WorkingDaySource
from egov.workcalendar.models import CalendarException, CalendarVersion, WorkSchedule

from .conftest import at

pytestmark = pytest.mark.django_db

NOTICE = "Thông báo của Văn phòng Chính phủ"


def _state():
    return (
        list(CalendarException.objects.values_list("date", "kind", "name_vi")),
        list(WorkSchedule.objects.values_list("valid_from", "morning_start")),
        CalendarVersion.objects.filter(id=1).values_list("number", flat=True).first(),
        AuditRecord.objects.count(),
    )


def _swap_2027(actor=None):
    """An illustrative swap like the 2025 one of vn-standards §12.7, in a year the package has none:
    Fri 5 Mar 2027 off, Sat 13 Mar 2027 worked."""
    services.calendar_exception_add(
        actor=actor,
        date=date(2027, 3, 13),
        kind="working_day",
        name_vi="Làm bù cho ngày 05/3/2027",
        name_en="Make-up working day for 5 Mar 2027",
        source=NOTICE,
    )
    services.calendar_exception_add(
        actor=actor,
        date=date(2027, 3, 5),
        kind="day_off",
        name_vi="Nghỉ hoán đổi",
        name_en="Swapped day off",
        source=NOTICE,
    )


def test_a_make_up_saturday_and_its_day_off_change_the_count(officer):
    before = selectors.add_working_days(at(2027, 3, 4, 10), 2)
    assert before.due == at(2027, 3, 8, 10)  # Thu 4 → Fri 5, Mon 8
    _swap_2027(officer)
    calendar = selectors.calendar_get()
    assert not calendar.is_working_day(date(2027, 3, 5))
    assert calendar.is_working_day(date(2027, 3, 13))
    # Thu 4 Mar 2027 + 1 → Mon 8 (Fri 5 off); counting across Sat 13: Fri 12 + 1 → Sat 13, + 2 → Mon 15
    assert selectors.add_working_days(at(2027, 3, 4, 10), 1).due == at(2027, 3, 8, 10)
    assert selectors.add_working_days(at(2027, 3, 12, 10), 1).due == at(2027, 3, 13, 10)
    assert selectors.add_working_days(at(2027, 3, 12, 10), 2).due == at(2027, 3, 15, 10)
    assert selectors.count_working_days(at(2027, 3, 1), at(2027, 3, 31)) == 22  # 22 weekdays - 1 + 1
    days = {d.date: d for d in selectors.days_off(2027)}
    assert days[date(2027, 3, 5)].kind == DayOffKind.EXCEPTION
    assert days[date(2027, 3, 5)].name_vi == "Nghỉ hoán đổi"
    weekend = {w.date: w for w in selectors.working_weekend_days(2027)}
    assert weekend[date(2027, 3, 13)].source == WorkingDaySource.EXCEPTION
    item = CalendarException.objects.get(date=date(2027, 3, 13))
    assert item.created_by == officer
    assert item.source == NOTICE


def test_each_change_bumps_the_version_and_is_audited(officer):
    assert selectors.calendar_version() == f"0+holidays-{HOLIDAYS_VERSION}"
    _swap_2027(officer)
    assert selectors.calendar_version() == f"2+holidays-{HOLIDAYS_VERSION}"
    deadline = selectors.add_working_days(at(2027, 3, 4), 1)
    assert deadline.calendar_version == f"2+holidays-{HOLIDAYS_VERSION}"
    services.calendar_exception_remove(actor=officer, date=date(2027, 3, 5))
    services.work_schedule_set(
        actor=None,
        valid_from=date(2027, 6, 1),
        morning_start=time(7, 0),
        morning_end=time(11, 0),
        afternoon_start=time(13, 0),
        afternoon_end=time(16, 30),
    )
    assert selectors.calendar_version() == f"4+holidays-{HOLIDAYS_VERSION}"
    records = list(AuditRecord.objects.order_by("seq"))
    assert [r.action for r in records] == [
        "workcalendar.calendar_exception_add",
        "workcalendar.calendar_exception_add",
        "workcalendar.calendar_exception_remove",
        "workcalendar.work_schedule_set",
    ]
    assert records[0].actor_username == "vanphong.ubnd"
    assert records[1].after["date"] == "2027-03-05"
    assert records[1].after["calendar_version"] == 2
    assert records[2].before["name_vi"] == "Nghỉ hoán đổi"
    assert records[3].actor_id is None
    assert records[3].after["afternoon_end"] == "16:30"
    assert audit_verify() == (4, None)


def test_the_process_cache_is_reused_and_replaced_after_a_change(officer, django_assert_num_queries):
    first = selectors.calendar_get()
    with django_assert_num_queries(1):  # only the version row
        assert selectors.calendar_get() is first
    assert selectors.is_working_day(date(2027, 3, 5))
    _swap_2027(officer)
    second = selectors.calendar_get()
    assert second is not first
    assert not selectors.is_working_day(date(2027, 3, 5))
    assert selectors.calendar_get() is second


def test_a_rolled_back_change_never_leaves_its_calendar_in_the_cache(officer):
    from django.db import transaction

    class Boom(Exception):
        pass

    def change_then_fail():
        with transaction.atomic():
            _swap_2027(officer)
            assert not selectors.is_working_day(date(2027, 3, 5))  # cached under the uncommitted version
            raise Boom

    with pytest.raises(Boom):
        change_then_fail()
    assert selectors.is_working_day(date(2027, 3, 5))
    services.calendar_exception_add(actor=officer, date=date(2027, 3, 20), kind="working_day", name_vi="Làm bù")
    services.calendar_exception_add(actor=officer, date=date(2027, 3, 22), kind="day_off", name_vi="Nghỉ")
    # same version number (2) as the rolled-back calendar, different content
    assert selectors.calendar_version().startswith("2+")
    assert selectors.is_working_day(date(2027, 3, 5))
    assert not selectors.is_working_day(date(2027, 3, 22))


def test_working_hours_are_effective_dated(officer):
    services.work_schedule_set(
        actor=officer,
        valid_from=date(2026, 6, 1),
        morning_start=time(7, 0),
        morning_end=time(11, 0),
        afternoon_start=time(13, 30),
        afternoon_end=time(16, 30),
    )
    assert selectors.next_working_instant(at(2026, 5, 29, 7, 10)) == at(2026, 5, 29, 7, 30)
    assert selectors.next_working_instant(at(2026, 6, 1, 6, 0)) == at(2026, 6, 1, 7, 0)
    assert selectors.add_working_hours(at(2026, 6, 1, 16, 0), 1).due == at(2026, 6, 2, 7, 30)
    # setting the same date again updates the row
    services.work_schedule_set(
        actor=officer,
        valid_from=date(2026, 6, 1),
        morning_start=time(7, 15),
        morning_end=time(11, 0),
        afternoon_start=time(13, 30),
        afternoon_end=time(16, 30),
    )
    assert WorkSchedule.objects.count() == 1
    assert selectors.next_working_instant(at(2026, 6, 1, 6, 0)) == at(2026, 6, 1, 7, 15)
    assert AuditRecord.objects.filter(action="workcalendar.work_schedule_set").last().before["morning_start"] == "07:00"
    services.work_schedule_remove(actor=officer, valid_from=date(2026, 6, 1))
    assert selectors.next_working_instant(at(2026, 6, 1, 6, 0)) == at(2026, 6, 1, 7, 30)


REFUSALS = [
    pytest.param(
        {"date": date(2027, 3, 10), "kind": "working_day"}, "workcalendar.make_up_day_not_weekend", id="make-up-weekday"
    ),
    pytest.param(
        {"date": date(2026, 8, 22), "kind": "working_day"}, "workcalendar.already_working", id="make-up-already-package"
    ),
    pytest.param(
        {"date": date(2025, 4, 26), "kind": "working_day"}, "workcalendar.already_working", id="make-up-2025-in-package"
    ),
    pytest.param(
        {"date": date(2027, 3, 13), "kind": "working_day"}, "workcalendar.exception_exists", id="make-up-twice"
    ),
    pytest.param({"date": date(2027, 3, 6), "kind": "day_off"}, "workcalendar.day_off_not_working", id="off-saturday"),
    pytest.param({"date": date(2027, 2, 5), "kind": "day_off"}, "workcalendar.day_off_not_working", id="off-holiday"),
    pytest.param(
        {"date": date(2025, 5, 2), "kind": "day_off"}, "workcalendar.day_off_not_working", id="off-2025-in-package"
    ),
    pytest.param(
        {"date": date(2027, 3, 13), "kind": "day_off"}, "workcalendar.exception_exists", id="off-on-make-up-day"
    ),
    pytest.param({"date": date(1999, 3, 10), "kind": "day_off"}, "workcalendar.date_out_of_range", id="too-early"),
    pytest.param({"date": date(2101, 3, 10), "kind": "day_off"}, "workcalendar.date_out_of_range", id="too-late"),
    pytest.param({"date": "2027-03-10", "kind": "day_off"}, "workcalendar.invalid_date", id="not-a-date"),
    pytest.param({"date": datetime(2027, 3, 10, 9), "kind": "day_off"}, "workcalendar.invalid_date", id="datetime"),
    pytest.param({"date": date(2027, 3, 10), "kind": "holiday"}, "workcalendar.invalid_kind", id="bad-kind"),
    pytest.param(
        {"date": date(2027, 3, 10), "kind": "day_off", "name_vi": "  "}, "workcalendar.name_required", id="no-name"
    ),
    pytest.param(
        {"date": date(2027, 3, 10), "kind": "day_off", "name_vi": "x" * 201}, "workcalendar.text_too_long", id="long"
    ),
]


@pytest.mark.parametrize(("overrides", "code"), REFUSALS)
def test_bad_exceptions_are_refused_and_change_nothing(officer, overrides, code):
    services.calendar_exception_add(actor=officer, date=date(2027, 3, 13), kind="working_day", name_vi="Làm bù")
    before = _state()
    version = selectors.calendar_version()
    with pytest.raises(EgovError) as caught:
        services.calendar_exception_add(actor=officer, **{"name_vi": "Ngày nghỉ", "source": NOTICE, **overrides})
    assert caught.value.code == code
    messages = caught.value.messages
    assert messages["vi"]
    assert messages["en"]
    assert messages["vi"] != messages["en"]
    assert _state() == before
    assert selectors.calendar_version() == version


def test_removing_a_missing_exception_is_refused(officer):
    before = _state()
    with pytest.raises(EgovError) as caught:
        services.calendar_exception_remove(actor=officer, date=date(2027, 3, 5))
    assert caught.value.code == "workcalendar.exception_not_found"
    assert caught.value.status_code == 404
    assert "05/03/2027" in caught.value.messages["vi"]
    assert _state() == before


@pytest.mark.parametrize(
    ("times", "code"),
    [
        ((time(11), time(7, 30), time(13, 30), time(17)), "workcalendar.invalid_schedule"),
        ((time(7, 30), time(14), time(13, 30), time(17)), "workcalendar.invalid_schedule"),
        ((time(7, 30), time(11, 30), time(13, 30), time(13, 30)), "workcalendar.invalid_schedule"),
        ((time(7, 30), "11:30", time(13, 30), time(17)), "workcalendar.invalid_time"),
    ],
)
def test_bad_schedules_are_refused_and_change_nothing(officer, times, code):
    before = _state()
    with pytest.raises(EgovError) as caught:
        services.work_schedule_set(
            actor=officer,
            valid_from=date(2026, 6, 1),
            morning_start=times[0],
            morning_end=times[1],
            afternoon_start=times[2],
            afternoon_end=times[3],
        )
    assert caught.value.code == code
    assert caught.value.messages["vi"] != caught.value.messages["en"]
    assert _state() == before
