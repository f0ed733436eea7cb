"""Working-day and working-hour arithmetic on the package's calendar (no exceptions table)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov.common.errors import EgovError
from egov.workcalendar.calendar import (
    HOLIDAYS_VERSION,
    TZ,
    DayOffKind,
    ExceptionDay,
    Hours,
    WorkCalendar,
    WorkingDaySource,
)

from .conftest import at

CAL = WorkCalendar()


def test_ten_working_days_across_tet_2026_match_the_stack_notes_and_the_package():
    deadline = CAL.add_working_days(at(2026, 2, 12, 9, 0), 10)
    assert deadline.due == at(2026, 3, 5, 9, 0)
    assert deadline.due.utcoffset() == timedelta(hours=7)
    assert deadline.calendar_version == f"0+holidays-{HOLIDAYS_VERSION}"
    import holidays

    assert holidays.country_holidays("VN", years=2026).get_nth_working_day(date(2026, 2, 12), 10) == date(2026, 3, 5)


def test_tet_2026_days_off_are_monday_16_to_friday_20_february():
    off = [d.date for d in CAL.days_off(2026) if d.date.month == 2]
    assert off == [date(2026, 2, d) for d in range(16, 21)]
    assert [CAL.is_working_day(date(2026, 2, d)) for d in (13, 16, 20, 23)] == [True, False, False, True]


def test_tet_2027_is_thursday_4_to_wednesday_10_february():
    assert not any(CAL.is_working_day(date(2027, 2, d)) for d in range(4, 11))
    assert CAL.is_working_day(date(2027, 2, 3))
    assert CAL.is_working_day(date(2027, 2, 11))
    # Wed 3 Feb + 1 working day skips the whole break
    assert CAL.add_working_days(at(2027, 2, 3, 10), 1).due == at(2027, 2, 11, 10)
    kinds = {d.date: d.kind for d in CAL.days_off(2027)}
    assert kinds[date(2027, 2, 10)] == DayOffKind.OBSERVED  # made up for the weekend Tết days
    assert kinds[date(2027, 2, 6)] == DayOffKind.HOLIDAY  # a Saturday, listed all the same


def test_hung_kings_day_2026_falls_on_sunday_and_is_observed_on_monday():
    days = {d.date: d for d in CAL.days_off(2026)}
    assert days[date(2026, 4, 26)].kind == DayOffKind.HOLIDAY
    assert days[date(2026, 4, 26)].name_vi == "Ngày Giỗ Tổ Hùng Vương"
    assert days[date(2026, 4, 27)].kind == DayOffKind.OBSERVED
    assert "observed" in days[date(2026, 4, 27)].name_en
    assert not CAL.is_working_day(date(2026, 4, 27))
    # Fri 24 Apr + 1 → Tue 28 Apr
    assert CAL.add_working_days(at(2026, 4, 24, 14), 1).due == at(2026, 4, 28, 14)


def test_30_april_and_1_may_2026():
    assert not CAL.is_working_day(date(2026, 4, 30))
    assert not CAL.is_working_day(date(2026, 5, 1))
    # Tue 28 Apr + 2 → Wed 29, then Thu/Fri/Sat/Sun off → Mon 4 May
    assert CAL.add_working_days(at(2026, 4, 28), 2).due == at(2026, 5, 4)
    assert CAL.count_working_days(at(2026, 4, 24), at(2026, 5, 4)) == 3  # 28, 29 Apr, 4 May


def test_national_day_2026_with_its_adjacent_day_and_the_package_swap():
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not CAL.is_working_day(day)
    kinds = {d.date: d.kind for d in CAL.days_off(2026)}
    assert kinds[date(2026, 8, 31)] == DayOffKind.SUBSTITUTED
    # Sat 22 Aug 2026 is a make-up working day in the package itself
    assert CAL.is_working_day(date(2026, 8, 22))
    weekend = CAL.working_weekend_days(2026)
    assert [w.date for w in weekend] == [date(2026, 8, 22)]
    assert weekend[0].source == WorkingDaySource.HOLIDAYS
    assert "31/08/2026" in weekend[0].name_vi
    # Fri 21 Aug + 1 → Sat 22 Aug (worked); + 2 → Mon 24 Aug
    assert CAL.add_working_days(at(2026, 8, 21), 1).due == at(2026, 8, 22)
    assert CAL.add_working_days(at(2026, 8, 21), 2).due == at(2026, 8, 24)
    # Fri 28 Aug + 1 → Thu 3 Sep (31 Aug, 1 and 2 Sep off)
    assert CAL.add_working_days(at(2026, 8, 28), 1).due == at(2026, 9, 3)


def test_national_day_2027_thursday_and_friday():
    assert not CAL.is_working_day(date(2027, 9, 2))
    assert not CAL.is_working_day(date(2027, 9, 3))
    assert CAL.add_working_days(at(2027, 9, 1, 8), 1).due == at(2027, 9, 6, 8)


def test_the_2025_swap_of_30_april_is_already_in_the_package():
    """vn-standards §12.7: Fri 2 May 2025 off, Sat 26 Apr 2025 worked. holidays 0.109 has it."""
    assert CAL.is_working_day(date(2025, 4, 26))
    assert not CAL.is_working_day(date(2025, 5, 2))
    # Fri 25 Apr + 1 → Sat 26 Apr; + 2 → Mon 28 Apr; + 3 → Tue 29; + 4 → Mon 5 May
    assert [CAL.add_working_days(at(2025, 4, 25), n).due.date() for n in (1, 2, 3, 4)] == [
        date(2025, 4, 26),
        date(2025, 4, 28),
        date(2025, 4, 29),
        date(2025, 5, 5),
    ]


def test_a_start_outside_working_hours_moves_to_the_next_working_instant_first():
    assert CAL.next_working_instant(at(2026, 3, 2, 6, 0)) == at(2026, 3, 2, 7, 30)
    assert CAL.next_working_instant(at(2026, 3, 2, 12, 0)) == at(2026, 3, 2, 13, 30)
    assert CAL.next_working_instant(at(2026, 3, 2, 17, 0)) == at(2026, 3, 3, 7, 30)
    assert CAL.next_working_instant(at(2026, 3, 7, 10, 0)) == at(2026, 3, 9, 7, 30)  # Saturday
    assert CAL.next_working_instant(at(2026, 3, 2, 10, 15)) == at(2026, 3, 2, 10, 15)
    # Saturday 10:00 + 1 working day: counted from Monday 07:30
    assert CAL.add_working_days(at(2026, 3, 7, 10), 1).due == at(2026, 3, 10, 7, 30)
    assert CAL.add_working_days(at(2026, 3, 2, 12, 0), 0).due == at(2026, 3, 2, 13, 30)


def test_a_utc_or_naive_start_is_read_in_vietnam_time():
    from zoneinfo import ZoneInfo

    expected = at(2026, 3, 5, 9, 0)
    assert CAL.add_working_days(datetime(2026, 2, 12, 9, 0), 10).due == expected  # naive = local
    assert CAL.add_working_days(datetime(2026, 2, 12, 2, 0, tzinfo=ZoneInfo("UTC")), 10).due == expected
    # 23:00 UTC on Wed 11 Feb is Thu 12 Feb 06:00 in Hà Nội: before office hours → 07:30
    late_utc = datetime(2026, 2, 11, 23, 0, tzinfo=ZoneInfo("UTC"))
    assert CAL.add_working_days(late_utc, 10).due == at(2026, 3, 5, 7, 30)


def test_cut_off_sends_a_late_start_to_the_next_working_day():
    cutoff = time(15, 0)
    assert CAL.add_working_days(at(2026, 3, 2, 14, 59), 1, cutoff=cutoff).due == at(2026, 3, 3, 14, 59)
    assert CAL.add_working_days(at(2026, 3, 2, 15, 0), 1, cutoff=cutoff).due == at(2026, 3, 3, 15, 0)
    assert CAL.add_working_days(at(2026, 3, 2, 15, 1), 1, cutoff=cutoff).due == at(2026, 3, 4, 7, 30)
    # same-day procedure: received after the cut-off → next working day morning
    assert CAL.add_working_days(at(2026, 3, 2, 16, 0), 0, cutoff=cutoff).due == at(2026, 3, 3, 7, 30)
    # Friday before Tết after the cut-off → Monday after Tết
    assert CAL.add_working_days(at(2026, 2, 13, 15, 30), 0, cutoff=cutoff).due == at(2026, 2, 23, 7, 30)
    # a cut-off does not matter on a day off
    assert CAL.add_working_days(at(2026, 3, 7, 16), 1, cutoff=cutoff).due == at(2026, 3, 10, 7, 30)


def test_working_hours_skip_lunch_nights_weekends_and_holidays():
    assert CAL.add_working_hours(at(2026, 3, 2, 10, 30), 2).due == at(2026, 3, 2, 14, 30)  # over lunch
    assert CAL.add_working_hours(at(2026, 3, 2, 7, 30), Decimal("7.5")).due == at(2026, 3, 2, 17, 0)
    assert CAL.add_working_hours(at(2026, 3, 2, 16, 0), 2).due == at(2026, 3, 3, 8, 30)  # overnight
    assert CAL.add_working_hours(at(2026, 3, 6, 16, 0), 8).due == at(2026, 3, 9, 16, 30)  # weekend
    assert CAL.add_working_hours(at(2026, 2, 13, 16, 0), 2).due == at(2026, 2, 23, 8, 30)  # Tết
    assert CAL.add_working_hours(at(2026, 3, 2, 12, 0), 1).due == at(2026, 3, 2, 14, 30)  # starts in lunch
    assert CAL.add_working_hours(at(2026, 3, 2, 11, 0), 0.5).due == at(2026, 3, 2, 11, 30)  # ends at a period end
    assert CAL.add_working_hours(at(2026, 3, 2, 16, 0), 1, cutoff=time(15)).due == at(2026, 3, 3, 8, 30)
    assert CAL.add_working_hours(at(2026, 3, 2, 9, 0), 0).due == at(2026, 3, 2, 9, 0)


def test_count_working_days():
    assert CAL.count_working_days(at(2026, 2, 12), at(2026, 3, 5)) == 10
    assert CAL.count_working_days(at(2026, 3, 2), at(2026, 3, 2, 16)) == 0
    assert CAL.count_working_days(at(2026, 3, 6), at(2026, 3, 9, 8)) == 1  # Fri → Mon
    assert CAL.count_working_days(at(2026, 3, 9), at(2026, 3, 6)) == -1
    assert CAL.count_working_days(at(2026, 3, 7), at(2026, 3, 10)) == 1  # Sat starts on Mon
    assert (
        CAL.count_working_days(at(2025, 12, 31), at(2027, 1, 4)) == 249 + 1
    )  # 2026 whole, then Mon 4 Jan 2027 (1 Jan is off)
    assert CAL.count_working_days(at(2026, 1, 1, 0, 0), at(2026, 12, 31, 23, 0)) == 249 - 1  # counted after Fri 2 Jan


def test_2026_has_249_working_days_261_weekdays_minus_13_plus_saturday_22_august():
    assert sum(CAL.is_working_day(date(2026, 1, 1) + timedelta(days=n)) for n in range(365)) == 249


def test_working_hours_follow_the_schedule_in_force():
    calendar = WorkCalendar(
        version_number=3,
        schedules=[Hours(date(2026, 6, 1), time(7, 0), time(11, 0), time(13, 30), time(16, 30))],
    )
    assert calendar.version == f"3+holidays-{HOLIDAYS_VERSION}"
    assert calendar.next_working_instant(at(2026, 5, 29, 7, 15)) == at(2026, 5, 29, 7, 30)  # default before
    assert calendar.next_working_instant(at(2026, 6, 1, 6, 0)) == at(2026, 6, 1, 7, 0)
    assert calendar.add_working_hours(at(2026, 6, 1, 16, 0), 1).due == at(2026, 6, 2, 7, 30)


def test_exceptions_override_the_package():
    calendar = WorkCalendar(
        exceptions=[
            ExceptionDay(date(2027, 2, 11), "day_off", "Nghỉ bù Tết", "Tết swap"),
            ExceptionDay(date(2027, 2, 20), "working_day", "Làm bù", "Make-up"),
        ]
    )
    assert not calendar.is_working_day(date(2027, 2, 11))
    assert calendar.is_working_day(date(2027, 2, 20))
    assert {d.date: d.kind for d in calendar.days_off(2027)}[date(2027, 2, 11)] == DayOffKind.EXCEPTION
    assert [w.date for w in calendar.working_weekend_days(2027)] == [date(2027, 2, 20)]


@pytest.mark.parametrize(
    ("days", "code"),
    [(-1, "workcalendar.invalid_number"), (1001, "workcalendar.invalid_number"), (1.5, "workcalendar.invalid_number")],
)
def test_bad_counts_are_refused(days, code):
    with pytest.raises(EgovError) as caught:
        CAL.add_working_days(at(2026, 3, 2), days)
    assert caught.value.code == code
    assert caught.value.messages["vi"] != caught.value.messages["en"]


def test_dates_outside_the_covered_years_are_refused():
    with pytest.raises(EgovError) as caught:
        CAL.add_working_days(at(1999, 3, 2), 1)
    assert caught.value.code == "workcalendar.date_out_of_range"
    with pytest.raises(EgovError):
        CAL.add_working_days(at(2100, 12, 30), 10)
    with pytest.raises(EgovError):
        CAL.days_off(2101)


starts = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)).map(
    lambda value: value.replace(tzinfo=TZ)
)
cutoffs = st.one_of(st.none(), st.times(min_value=time(7), max_value=time(18)))


@settings(max_examples=300, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=400), cutoff=cutoffs)
def test_property_result_is_a_working_day_and_counts_back_to_n(start, n, cutoff):
    deadline = CAL.add_working_days(start, n, cutoff=cutoff)
    assert deadline.due.tzinfo is not None
    assert deadline.due.utcoffset() == timedelta(hours=7)
    assert CAL.is_working_day(deadline.due.date())
    assert deadline.due >= start
    assert CAL.count_working_days(start, deadline.due, cutoff=cutoff) == n


@settings(max_examples=200, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=200), cutoff=cutoffs)
def test_property_monotonic_in_n(start, n, cutoff):
    assert CAL.add_working_days(start, n, cutoff=cutoff).due < CAL.add_working_days(start, n + 1, cutoff=cutoff).due


@settings(max_examples=200, deadline=None)
@given(start=starts, minutes=st.integers(min_value=0, max_value=60 * 200))
def test_property_working_hours_land_in_working_time_and_add_up(start, minutes):
    due = CAL.add_working_hours(start, Decimal(minutes) / 60).due
    assert CAL.is_working_day(due.date())
    hours = CAL.hours_on(due.date())
    clock = due.time()
    assert hours.morning_start <= clock <= hours.morning_end or hours.afternoon_start <= clock <= hours.afternoon_end
    split = minutes // 2
    middle = CAL.add_working_hours(start, Decimal(split) / 60).due
    rest = CAL.add_working_hours(middle, Decimal(minutes - split) / 60).due
    assert CAL.next_working_instant(rest) == CAL.next_working_instant(due)
