"""How fast is a deadline? add_working_days per second, in one process:

- the cached `WorkCalendar` alone (pure arithmetic),
- the selector `add_working_days` (the cached calendar plus the one-row version check, what
  other apps call),
- a naive baseline that re-evaluates the `holidays` package and reads the exceptions table on
  every call, then walks day by day.

Standalone: uses its own temporary SQLite database (DATABASE_URL set here), migrates it and adds
a make-up Saturday and an extra day off so that the exceptions table is not empty.

    EGOV_DEBUG=1 .venv/bin/python bench/bench_workcalendar.py
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time as clock
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

_tmp = tempfile.TemporaryDirectory(prefix="egov-bench-workcalendar-")
os.environ["DATABASE_URL"] = f"sqlite:///{Path(_tmp.name) / 'bench.sqlite3'}"
os.environ["DJANGO_SETTINGS_MODULE"] = "egov.config.settings.test"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

import holidays  # noqa: E402
from django.core.management import call_command  # noqa: E402

from egov.workcalendar import selectors, services  # noqa: E402
from egov.workcalendar.calendar import TZ  # noqa: E402
from egov.workcalendar.models import CalendarException  # noqa: E402


def naive_add_working_days(start: datetime, days: int) -> datetime:
    """Same semantics as WorkCalendar.add_working_days without a cut-off, recomputed from scratch."""
    local = start.astimezone(TZ)
    years = list(range(local.year, local.year + 3))
    public = holidays.country_holidays("VN", years=years, language="vi")
    workdays = set(public.weekend_workdays)
    exceptions = dict(CalendarException.objects.filter(date__year__in=years).values_list("date", "kind"))

    def working(day: date) -> bool:
        if day in exceptions:
            return exceptions[day] == "working_day"
        if day in workdays:
            return True
        return day not in public and day.weekday() < 5

    day, at = local.date(), local.time()
    if not working(day) or at >= time(17):
        day, at = day + timedelta(days=1), time(7, 30)
        while not working(day):
            day += timedelta(days=1)
    elif at < time(7, 30):
        at = time(7, 30)
    elif time(11, 30) <= at < time(13, 30):
        at = time(13, 30)
    while days:
        day += timedelta(days=1)
        if working(day):
            days -= 1
    return datetime.combine(day, at, TZ)


def rate(label: str, func: Callable[[datetime, int], object], starts: list[tuple[datetime, int]]) -> float:
    func(*starts[0])  # warm up
    began = clock.perf_counter()
    for start, days in starts:
        func(start, days)
    per_second = len(starts) / (clock.perf_counter() - began)
    print(f"{label:<58} {per_second:>12,.0f} /s")
    return per_second


def main() -> None:
    call_command("migrate", verbosity=0)
    services.calendar_exception_add(actor=None, date=date(2027, 3, 13), kind="working_day", name_vi="Làm bù")
    services.calendar_exception_add(actor=None, date=date(2027, 3, 5), kind="day_off", name_vi="Nghỉ hoán đổi")
    rng = random.Random(2018)
    base = datetime(2026, 1, 1, tzinfo=TZ)
    starts = [
        (base + timedelta(days=rng.randrange(730), minutes=rng.randrange(24 * 60)), rng.randrange(1, 31))
        for _ in range(20000)
    ]
    calendar = selectors.calendar_get()
    for start, days in starts[:2000]:  # the three agree
        assert calendar.add_working_days(start, days).due == naive_add_working_days(start, days), (start, days)
    print(
        f"holidays {holidays.__version__}, calendar {calendar.version}, {len(starts):,} random starts 2026–2027, 1–30 days"
    )
    pure = rate("WorkCalendar.add_working_days (cached, no database)", calendar.add_working_days, starts)
    via = rate("selectors.add_working_days (cached + version check)", selectors.add_working_days, starts)
    naive = rate("naive baseline (holidays + exceptions query per call)", naive_add_working_days, starts[:500])
    print(f"speed-up: {pure / naive:,.0f}× (pure), {via / naive:,.0f}× (through the selector)")


if __name__ == "__main__":
    main()
