"""Working-day and working-hour arithmetic (no database access here).

A day is a working day when, in this order of precedence:

1. the province's exceptions table says so (`working_day` → yes, `day_off` → no);
2. the `holidays` package lists it among Vietnam's ``weekend_workdays`` (a make-up Saturday
   decided by a government day swap) → yes;
3. the `holidays` package lists it as a holiday (observed and substituted days included) → no;
4. otherwise Monday–Friday → yes, Saturday and Sunday → no (Decision 188/1999/QĐ-TTg).

`WorkCalendar` is immutable once built; `selectors.calendar_get()` builds one from the database
and keeps it per process for as long as the calendar version does not change. Every result that
a deadline is made of carries ``calendar_version`` (architecture invariant 5).

All datetimes are interpreted in Asia/Ho_Chi_Minh; a naive datetime is taken to be local time.
"""

from __future__ import annotations

import enum
import functools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError
from egov.workcalendar.errors import WorkcalendarErrorCode

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOLIDAYS_VERSION: str = holidays.__version__
MIN_YEAR = 2000
MAX_YEAR = 2100  # the last year `holidays` computes
MAX_DAYS = 1000  # working days; about four years, far beyond any procedure's time limit
MAX_HOURS = 10000  # working hours, of the same order


class DayOffKind(enum.StrEnum):
    HOLIDAY = "holiday"  # a statutory holiday on its own date
    OBSERVED = "observed"  # moved from a weekend to a working day (nghỉ bù)
    SUBSTITUTED = "substituted"  # a day swapped with a make-up weekend day by the government
    EXCEPTION = "exception"  # the province's exceptions table


class WorkingDaySource(enum.StrEnum):
    HOLIDAYS = "holidays"
    EXCEPTION = "exception"


@dataclass(frozen=True)
class DayOff:
    date: date
    name_vi: str
    name_en: str
    kind: DayOffKind


@dataclass(frozen=True)
class WorkingWeekendDay:
    date: date
    name_vi: str
    name_en: str
    source: WorkingDaySource


@dataclass(frozen=True)
class Deadline:
    due: datetime  # aware, Asia/Ho_Chi_Minh
    calendar_version: str


@dataclass(frozen=True)
class Hours:
    """Office hours in force from `valid_from` on."""

    valid_from: date
    morning_start: time
    morning_end: time
    afternoon_start: time
    afternoon_end: time


@dataclass(frozen=True)
class ExceptionDay:
    date: date
    kind: str  # "day_off" | "working_day"
    name_vi: str
    name_en: str


DEFAULT_HOURS = Hours(date.min, time(7, 30), time(11, 30), time(13, 30), time(17, 0))


def version_label(number: int) -> str:
    return f"{number}+holidays-{HOLIDAYS_VERSION}"


def out_of_range(value: object, *, field_name: str = "date") -> EgovError:
    return EgovError(
        WorkcalendarErrorCode.DATE_OUT_OF_RANGE,
        _("The date %(value)s is outside the years the calendar covers (%(min)s–%(max)s)."),
        field=field_name,
        params={"value": str(value), "min": MIN_YEAR, "max": MAX_YEAR},
    )


def check_year(day: date, *, field_name: str = "date") -> None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise out_of_range(day, field_name=field_name)


def to_local(value: datetime) -> datetime:
    """Aware → Asia/Ho_Chi_Minh; naive → taken to be local time already."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=TZ)
    return value.astimezone(TZ)


# --- what the holidays package says, one year at a time (fixed for the life of the process) -----


@dataclass(frozen=True)
class LibraryYear:
    days_off: dict[date, DayOff]
    workdays: dict[date, WorkingWeekendDay]


def _substitutions(table: Any, years: Iterable[int]) -> dict[date, date]:
    """Day off → make-up working day, read from the package's special-holidays table.

    The table's shape is the package's own (``(month, day, from_month, from_day[, from_year])``);
    anything unexpected is skipped, the names then fall back to generic ones."""
    pairs: dict[date, date] = {}
    for year in years:
        entries = table.get(year, ()) if isinstance(table, dict) else ()
        if entries and not isinstance(entries[0], tuple):
            entries = (entries,)
        for entry in entries:
            if len(entry) in (4, 5) and all(isinstance(part, int) for part in entry):
                try:
                    off = date(year, entry[0], entry[1])
                    work = date(entry[4] if len(entry) == 5 else year, entry[2], entry[3])
                except ValueError:
                    continue
                pairs[off] = work
    return pairs


@functools.lru_cache(maxsize=256)
def library_year(year: int) -> LibraryYear:
    years = [year - 1, year, year + 1]
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    unobserved = holidays.country_holidays("VN", years=years, language="en_US", observed=False)
    swaps = _substitutions(getattr(vi, "special_public_holidays", {}), years)
    days_off: dict[date, DayOff] = {}
    for day in sorted(vi):
        if day.year != year:
            continue
        if day in swaps:
            kind = DayOffKind.SUBSTITUTED
        elif day not in unobserved:
            kind = DayOffKind.OBSERVED
        else:
            kind = DayOffKind.HOLIDAY
        days_off[day] = DayOff(day, str(vi[day]), str(en.get(day, vi[day])), kind)
    made_up = {work: off for off, work in swaps.items()}
    workdays: dict[date, WorkingWeekendDay] = {}
    for day in sorted(set(vi.weekend_workdays)):
        if day.year != year:
            continue
        off = made_up.get(day)
        if off is not None:
            name_vi = f"Ngày làm việc bù (cho ngày nghỉ {off:%d/%m/%Y})"
            name_en = f"Make-up working day (for the day off on {off:%d/%m/%Y})"
        else:
            name_vi, name_en = "Ngày làm việc bù", "Make-up working day"
        workdays[day] = WorkingWeekendDay(day, name_vi, name_en, WorkingDaySource.HOLIDAYS)
    return LibraryYear(days_off=days_off, workdays=workdays)


# --- the calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Year:
    working: tuple[int, ...]  # ordinals of the working days of the year, ascending


@dataclass
class WorkCalendar:
    """Working days and hours for one calendar version. Treat as immutable."""

    version_number: int = 0
    exceptions: Iterable[ExceptionDay] = ()
    schedules: Iterable[Hours] = ()
    version: str = field(init=False)
    _exceptions: dict[date, ExceptionDay] = field(init=False, repr=False)
    _schedules: tuple[Hours, ...] = field(init=False, repr=False)
    _schedule_starts: tuple[date, ...] = field(init=False, repr=False)
    _years: dict[int, _Year] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.version = version_label(self.version_number)
        self._exceptions = {item.date: item for item in self.exceptions}
        self._schedules = tuple(sorted(self.schedules, key=lambda item: item.valid_from))
        self._schedule_starts = tuple(item.valid_from for item in self._schedules)
        self._years = {}

    # -- days ------------------------------------------------------------------------------------

    def library_says_working(self, day: date) -> bool:
        """What the day is before the province's exceptions: weekdays minus holidays, plus the
        package's own make-up weekend days."""
        check_year(day)
        library = library_year(day.year)
        if day in library.workdays:
            return True
        if day in library.days_off:
            return False
        return day.weekday() < 5

    def is_working_day(self, day: date) -> bool:
        check_year(day)
        exception = self._exceptions.get(day)
        if exception is not None:
            return exception.kind == "working_day"
        return self.library_says_working(day)

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise out_of_range(year)
            first = date(year, 1, 1).toordinal()
            last = date(year, 12, 31).toordinal()
            cached = _Year(tuple(n for n in range(first, last + 1) if self.is_working_day(date.fromordinal(n))))
            self._years[year] = cached
        return cached

    def _working_between(self, first: date, last: date) -> int:
        """Working days d with first < d <= last (first <= last)."""
        if first.year == last.year:
            working = self._year(first.year).working
            return bisect_right(working, last.toordinal()) - bisect_right(working, first.toordinal())
        head = self._year(first.year).working
        total = len(head) - bisect_right(head, first.toordinal())
        total += sum(len(self._year(year).working) for year in range(first.year + 1, last.year))
        return total + bisect_right(self._year(last.year).working, last.toordinal())

    def next_working_day(self, day: date, *, include: bool = False) -> date:
        """The first working day after `day` (or `day` itself when `include` and it is working)."""
        year = day.year
        working = self._year(year).working
        index = (bisect_left if include else bisect_right)(working, day.toordinal())
        while index >= len(working):
            year += 1
            working = self._year(year).working
            index = 0
        return date.fromordinal(working[index])

    def shift_working_days(self, day: date, count: int) -> date:
        """The `count`-th working day after the working day `day`."""
        year = day.year
        working = self._year(year).working
        index = bisect_left(working, day.toordinal()) + count
        while index >= len(working):
            index -= len(working)
            year += 1
            working = self._year(year).working
        return date.fromordinal(working[index])

    # -- hours -----------------------------------------------------------------------------------

    def hours_on(self, day: date) -> Hours:
        index = bisect_right(self._schedule_starts, day) - 1
        return self._schedules[index] if index >= 0 else DEFAULT_HOURS

    def _day_start(self, day: date) -> datetime:
        return datetime.combine(day, self.hours_on(day).morning_start, TZ)

    def next_working_instant(self, value: datetime) -> datetime:
        """`value` itself when it falls inside working hours of a working day; otherwise the start
        of the next working period (after lunch, or the next working day's morning)."""
        local = to_local(value)
        day, clock = local.date(), local.time()
        if self.is_working_day(day):
            hours = self.hours_on(day)
            if clock < hours.morning_start:
                return datetime.combine(day, hours.morning_start, TZ)
            if clock < hours.morning_end:
                return local
            if clock < hours.afternoon_start:
                return datetime.combine(day, hours.afternoon_start, TZ)
            if clock < hours.afternoon_end:
                return local
        return self._day_start(self.next_working_day(day))

    def _anchor(self, start: datetime, cutoff: time | None) -> datetime:
        """Where counting begins: the next working instant, or the next working day's morning when
        `start` falls on a working day after the same-day cut-off."""
        local = to_local(start)
        check_year(local.date(), field_name="start")
        if cutoff is not None and local.time() > cutoff and self.is_working_day(local.date()):
            return self._day_start(self.next_working_day(local.date()))
        return self.next_working_instant(local)

    # -- deadlines -------------------------------------------------------------------------------

    def add_working_days(self, start: datetime, days: int, *, cutoff: time | None = None) -> Deadline:
        """The same clock time on the `days`-th working day after the (normalised) start day."""
        check_count(days, limit=MAX_DAYS, field_name="days")
        anchor = self._anchor(start, cutoff)
        due_day = self.shift_working_days(anchor.date(), int(days))
        due = datetime.combine(due_day, anchor.time(), TZ)
        return Deadline(due=due, calendar_version=self.version)

    def add_working_hours(
        self, start: datetime, hours: float | Decimal | int, *, cutoff: time | None = None
    ) -> Deadline:
        """The instant when `hours` of office time have passed, skipping lunch and days off. A
        result that lands exactly on the end of a period is that end (e.g. 17:00), not the next
        morning."""
        check_count(hours, limit=MAX_HOURS, field_name="hours")
        remaining = timedelta(hours=float(hours))
        current = self._anchor(start, cutoff)
        while remaining > timedelta(0):
            day = current.date()
            schedule = self.hours_on(day)
            period_end = datetime.combine(
                day,
                schedule.morning_end if current.time() < schedule.morning_end else schedule.afternoon_end,
                TZ,
            )
            available = period_end - current
            if remaining <= available:
                current += remaining
                break
            remaining -= available
            current = self.next_working_instant(period_end)
        return Deadline(due=current, calendar_version=self.version)

    def count_working_days(self, start: datetime, end: datetime, *, cutoff: time | None = None) -> int:
        """Working days after the (normalised) start day up to and including the end's day;
        negative when the end comes first. ``count_working_days(s, add_working_days(s, n).due) == n``."""
        anchor = self._anchor(start, cutoff)
        end_day = to_local(end).date()
        check_year(end_day, field_name="end")
        start_day = anchor.date()
        if end_day >= start_day:
            return self._working_between(start_day, end_day)
        return -self._working_between(end_day, start_day)

    # -- lists -----------------------------------------------------------------------------------

    def days_off(self, year: int) -> list[DayOff]:
        """Every holiday of the year (also those on a weekend) and every extra day off, minus the
        days that are working anyway; sorted by date."""
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise out_of_range(year, field_name="year")
        result: dict[date, DayOff] = dict(library_year(year).days_off)
        for day, item in self._exceptions.items():
            if day.year != year:
                continue
            if item.kind == "day_off":
                result[day] = DayOff(day, item.name_vi, item.name_en or item.name_vi, DayOffKind.EXCEPTION)
            else:
                result.pop(day, None)
        return [result[day] for day in sorted(result)]

    def working_weekend_days(self, year: int) -> list[WorkingWeekendDay]:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise out_of_range(year, field_name="year")
        result: dict[date, WorkingWeekendDay] = {
            day: item for day, item in library_year(year).workdays.items() if self.is_working_day(day)
        }
        for day, exception in self._exceptions.items():
            if day.year == year and exception.kind == "working_day" and day.weekday() >= 5:
                result[day] = WorkingWeekendDay(
                    day, exception.name_vi, exception.name_en or exception.name_vi, WorkingDaySource.EXCEPTION
                )
        return [result[day] for day in sorted(result)]


def check_count(value: float | Decimal | int, *, limit: int, field_name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise EgovError(WorkcalendarErrorCode.INVALID_NUMBER, _("This must be a number."), field=field_name)
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= limit:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_NUMBER,
            _("The number must be between 0 and %(limit)s."),
            field=field_name,
            params={"limit": limit},
        )
    if field_name == "days" and not number.is_integer():
        raise EgovError(
            WorkcalendarErrorCode.INVALID_NUMBER, _("The number of days must be a whole number."), field=field_name
        )
