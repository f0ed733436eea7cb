"""The legal clock: due instants from a time limit, pauses in working time, and the early /
on time / late classification. Every computation goes through `egov.workcalendar` and returns
the calendar version it used (architecture invariant 5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.models import ClockRule, Timeliness
from egov.workcalendar import selectors as calendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS_PER_WORKING_DAY = 8  # a fraction of a working day is counted as 8 hours per day (Labour Code Art. 105)


@dataclass(frozen=True)
class Due:
    due: datetime.datetime
    calendar_version: str


def rule_in_force(on: datetime.datetime) -> ClockRule:
    day = timezone.localdate(on)
    rule = (
        ClockRule.objects.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))
        .order_by("-valid_from")
        .first()
    )
    if rule is None:
        raise EgovError(Code.NO_CLOCK_RULE, _("No clock rule is in force on %(day)s."), params={"day": day.isoformat()})
    return rule


def add_limit(start: datetime.datetime, limit: Decimal | int | float, unit: str) -> Due:
    """`start` plus a time limit in working days, working hours or calendar days."""
    value = Decimal(str(limit))
    if unit == "working_hours":
        d = calendar.add_working_hours(start, value)
        return Due(d.due, d.calendar_version)
    if unit == "calendar_days":
        local = start.astimezone(TZ)
        end = local + datetime.timedelta(days=int(value))
        # a last day that is not a working day moves to the next working day (Civil Code Art. 148)
        if not calendar.is_working_day(end.date()):
            end = calendar.next_working_instant(datetime.datetime.combine(end.date(), datetime.time(0), TZ))
        return Due(end, calendar.calendar_version())
    whole = int(value)
    fraction = value - whole
    d = calendar.add_working_days(start, whole)
    if fraction:
        d = calendar.add_working_hours(d.due, fraction * HOURS_PER_WORKING_DAY)
    return Due(d.due, d.calendar_version)


def working_seconds_between(start: datetime.datetime, end: datetime.datetime) -> float:
    """Office time between two instants (0 when `end` comes first)."""
    if end <= start:
        return 0.0
    work = calendar.calendar_get()
    local_start, local_end = start.astimezone(TZ), end.astimezone(TZ)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if work.is_working_day(day):
            hours = work.hours_on(day)
            for a, b in ((hours.morning_start, hours.morning_end), (hours.afternoon_start, hours.afternoon_end)):
                lo = max(datetime.datetime.combine(day, a, TZ), local_start)
                hi = min(datetime.datetime.combine(day, b, TZ), local_end)
                if hi > lo:
                    total += (hi - lo).total_seconds()
        day += datetime.timedelta(days=1)
    return total


def shift_by_working_time(due: datetime.datetime, seconds: float) -> Due:
    """Move a due instant later by `seconds` of office time (what a pause costs)."""
    if seconds <= 0:
        return Due(due, calendar.calendar_version())
    d = calendar.add_working_hours(due, Decimal(str(round(seconds / 3600, 6))))
    return Due(d.due, d.calendar_version)


def transfer_due(received_at: datetime.datetime, rule: ClockRule) -> Due:
    """Paper dossiers go to the processing body the same working day, or by the next working
    morning when received after the cut-off (Decree 61/2018 Art. 18, vn-standards §12.5)."""
    local = calendar.next_working_instant(received_at).astimezone(TZ)
    moved = local > received_at.astimezone(TZ) and local.date() != received_at.astimezone(TZ).date()
    work = calendar.calendar_get()
    if moved or local.time() > rule.transfer_cutoff:
        day = local.date() if moved else work.next_working_day(local.date())
        return Due(datetime.datetime.combine(day, rule.transfer_next_day_by, TZ), work.version)
    return Due(datetime.datetime.combine(local.date(), work.hours_on(local.date()).afternoon_end, TZ), work.version)


def classify(finished: datetime.datetime, due: datetime.datetime | None) -> str:
    """Late after the due instant; early when finished on an earlier day; on time otherwise."""
    if due is None:
        return ""
    if finished > due:
        return Timeliness.LATE
    if finished.astimezone(TZ).date() < due.astimezone(TZ).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def working_days_until(now: datetime.datetime, due: datetime.datetime) -> int:
    return calendar.count_working_days(now, due)
