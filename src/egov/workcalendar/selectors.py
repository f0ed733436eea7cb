"""Reads of the working calendar: what other apps call to compute deadlines.

`calendar_get()` returns the process's `WorkCalendar` for the current calendar version. It
reads the one-row version table on every call (one primary-key query) and rebuilds the calendar
only when the version changed, so a change made by any process is seen by all the others at
their next call.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, time
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from egov.workcalendar.calendar import (
    DayOff,
    Deadline,
    ExceptionDay,
    Hours,
    WorkCalendar,
    WorkingWeekendDay,
)
from egov.workcalendar.models import CalendarException, CalendarVersion, WorkSchedule

_lock = threading.Lock()
_cached: tuple[tuple[int, str], WorkCalendar] | None = None


def _version_key() -> tuple[int, str]:
    # Plain SQL: this runs before every computation, and the ORM would cost ten times more.
    table = connection.ops.quote_name(CalendarVersion._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number, token FROM {table} WHERE id = 1")  # noqa: S608 (no user input)
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")


def _build(number: int) -> WorkCalendar:
    exceptions = [
        ExceptionDay(date=item["date"], kind=item["kind"], name_vi=item["name_vi"], name_en=item["name_en"])
        for item in CalendarException.objects.values("date", "kind", "name_vi", "name_en")
    ]
    schedules = [
        Hours(**item)
        for item in WorkSchedule.objects.values(
            "valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end"
        )
    ]
    return WorkCalendar(version_number=number, exceptions=exceptions, schedules=schedules)


def calendar_get() -> WorkCalendar:
    """The calendar in force now (cached per process, keyed by the calendar version)."""
    global _cached
    key = _version_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        for _attempt in range(3):
            calendar = _build(key[0])
            again = _version_key()
            if again == key:
                break
            key = again  # changed while we read: read again so data and number agree
        _cached = (key, calendar)
    return calendar


def calendar_cache_clear() -> None:
    global _cached
    _cached = None


def calendar_version() -> str:
    return calendar_get().version


def is_working_day(day: date) -> bool:
    return calendar_get().is_working_day(day)


def next_working_instant(value: datetime) -> datetime:
    return calendar_get().next_working_instant(value)


def add_working_days(start: datetime, days: int, *, cutoff: time | None = None) -> Deadline:
    return calendar_get().add_working_days(start, days, cutoff=cutoff)


def add_working_hours(start: datetime, hours: float | Decimal | int, *, cutoff: time | None = None) -> Deadline:
    return calendar_get().add_working_hours(start, hours, cutoff=cutoff)


def count_working_days(start: datetime, end: datetime, *, cutoff: time | None = None) -> int:
    return calendar_get().count_working_days(start, end, cutoff=cutoff)


def days_off(year: int) -> list[DayOff]:
    return calendar_get().days_off(year)


def working_weekend_days(year: int) -> list[WorkingWeekendDay]:
    return calendar_get().working_weekend_days(year)


def calendar_exception_list(*, year: int | None = None) -> QuerySet[CalendarException]:
    queryset = CalendarException.objects.select_related("created_by").order_by("date")
    if year is not None:
        queryset = queryset.filter(date__year=year)
    return queryset


def work_schedule_list() -> QuerySet[WorkSchedule]:
    return WorkSchedule.objects.order_by("valid_from")
