"""Query-parameter parsing (with the app's own error codes) and the response shapes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from egov.common.errors import EgovError
from egov.workcalendar.calendar import MAX_DAYS, MAX_HOURS, check_count, check_year, to_local
from egov.workcalendar.errors import WorkcalendarErrorCode

# "+07:00" arrives as " 07:00" when a client forgets to percent-encode the "+" of a query string.
_LOST_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")


def _required(params: Mapping[str, str], name: str) -> str:
    value = (params.get(name) or "").strip()
    if not value:
        raise EgovError(
            WorkcalendarErrorCode.MISSING_PARAMETER,
            _("The parameter “%(name)s” is required."),
            field=name,
            params={"name": name},
        )
    return value


def parse_datetime_param(params: Mapping[str, str], name: str) -> datetime:
    """ISO 8601 date or date-time; a naive value is taken as Asia/Ho_Chi_Minh time."""
    raw = _LOST_PLUS.sub(r"+\1", _required(params, name))
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_DATE,
            _("“%(value)s” is not an ISO 8601 date or date-time (e.g. 2026-02-12T09:00:00+07:00)."),
            field=name,
            params={"value": raw[:40]},
        ) from None
    local = to_local(value)
    check_year(local.date(), field_name=name)
    return local


def parse_date_value(raw: str, name: str = "date") -> date:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_DATE,
            _("“%(value)s” is not a date in the form YYYY-MM-DD."),
            field=name,
            params={"value": raw[:40]},
        ) from None
    check_year(value, field_name=name)
    return value


def parse_int_param(params: Mapping[str, str], name: str, *, limit: int) -> int:
    raw = _required(params, name)
    try:
        value = int(raw)
    except ValueError:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_NUMBER,
            _("“%(value)s” is not a whole number."),
            field=name,
            params={"value": raw[:40]},
        ) from None
    check_count(value, limit=limit, field_name=name)
    return value


def parse_days(params: Mapping[str, str]) -> int:
    return parse_int_param(params, "days", limit=MAX_DAYS)


def parse_hours(params: Mapping[str, str]) -> Decimal:
    raw = _required(params, "hours")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise EgovError(
            WorkcalendarErrorCode.INVALID_NUMBER,
            _("“%(value)s” is not a number."),
            field="hours",
            params={"value": raw[:40]},
        )
    check_count(value, limit=MAX_HOURS, field_name="hours")
    return value


def parse_cutoff(params: Mapping[str, str]) -> time | None:
    raw = (params.get("cutoff") or "").strip()
    if not raw:
        return None
    try:
        value = time.fromisoformat(raw)
    except ValueError:
        value = None
    if value is None or value.tzinfo is not None:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_TIME,
            _("“%(value)s” is not a time of day in the form HH:MM."),
            field="cutoff",
            params={"value": raw[:40]},
        )
    return value


def parse_year(params: Mapping[str, str], default: int) -> int:
    raw = (params.get("year") or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) != 4:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_DATE,
            _("“%(value)s” is not a year."),
            field="year",
            params={"value": raw[:40]},
        )
    year = int(raw)
    check_year(date(year, 1, 1), field_name="year")
    return year


# --- responses -----------------------------------------------------------------------------------


class DayOffOutput(serializers.Serializer[object]):
    date = serializers.DateField()
    name = serializers.CharField(source="name_vi", help_text="Vietnamese name")
    name_en = serializers.CharField()
    # Plain strings, not enums: a "kind" enum would collide with other apps' in the schema.
    kind = serializers.CharField(help_text="holiday | observed | substituted | exception")


class WorkingWeekendDayOutput(serializers.Serializer[object]):
    date = serializers.DateField()
    name = serializers.CharField(source="name_vi", help_text="Vietnamese name")
    name_en = serializers.CharField()
    source = serializers.CharField(help_text="holidays | exception")  # type: ignore[assignment]


class DaysOffOutput(serializers.Serializer[object]):
    year = serializers.IntegerField()
    calendar_version = serializers.CharField()
    days = DayOffOutput(many=True)
    working_weekend_days = WorkingWeekendDayOutput(many=True)


class DeadlineOutput(serializers.Serializer[object]):
    due = serializers.DateTimeField(help_text="ISO 8601 with the +07:00 offset")
    calendar_version = serializers.CharField()


class WorkingDaysBetweenOutput(serializers.Serializer[object]):
    working_days = serializers.IntegerField()
    calendar_version = serializers.CharField()


class CalendarExceptionOutput(serializers.Serializer[object]):
    date = serializers.DateField()
    kind = serializers.CharField(help_text="day_off | working_day")
    name_vi = serializers.CharField()
    name_en = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    created_at = serializers.DateTimeField()
    created_by = serializers.SerializerMethodField()

    def get_created_by(self, obj: object) -> str | None:
        user = getattr(obj, "created_by", None)
        return user.get_username() if user is not None else None


class CalendarExceptionInput(serializers.Serializer[object]):
    """Shape only; the rules (and their error codes) are the service's."""

    date = serializers.CharField(help_text="YYYY-MM-DD")
    kind = serializers.CharField(help_text="day_off (extra day off) | working_day (make-up working day)")
    name_vi = serializers.CharField()
    name_en = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)  # type: ignore[assignment]


class CalendarExceptionPageOutput(serializers.Serializer[object]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CalendarExceptionOutput(many=True)
