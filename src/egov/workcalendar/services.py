"""Writes to the working calendar. Each one validates first (nothing changes on bad input), then
writes, bumps the calendar version and appends its audit record, in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import Actor, audit_record
from egov.common.errors import EgovError, NotFound
from egov.common.text import nfc
from egov.workcalendar.calendar import WorkCalendar, check_year
from egov.workcalendar.errors import WorkcalendarErrorCode
from egov.workcalendar.models import CalendarException, CalendarVersion, ExceptionKind, WorkSchedule

NAME_MAX = 200
SOURCE_MAX = 300


def _actor_user(actor: Actor | None) -> Any:
    """The actor as a user row for `created_by` (None for the system or an unsaved actor)."""
    return actor if actor is not None and getattr(actor, "pk", None) is not None else None


def _bump_version() -> int:
    version, _created = CalendarVersion.objects.select_for_update().get_or_create(id=1)
    version.number += 1
    version.token = uuid.uuid4().hex
    version.changed_at = timezone.now()
    version.save()
    return version.number


def _check_date(value: object, *, field_name: str = "date") -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise EgovError(WorkcalendarErrorCode.INVALID_DATE, _("This is not a valid date."), field=field_name)
    check_year(value, field_name=field_name)
    return value


def _check_text(value: object, *, field_name: str, limit: int, required: bool) -> str:
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise EgovError(WorkcalendarErrorCode.NAME_REQUIRED, _("A name is required."), field=field_name)
    if len(text) > limit:
        raise EgovError(
            WorkcalendarErrorCode.TEXT_TOO_LONG,
            _("This text is longer than %(limit)s characters."),
            field=field_name,
            params={"limit": limit},
        )
    return text


@dataclass(frozen=True)
class ExceptionInput:
    date: dt.date
    kind: str
    name_vi: str
    name_en: str
    source: str


def calendar_exception_validate(
    *, date: object, kind: object, name_vi: object, name_en: object = "", source: object = ""
) -> ExceptionInput:
    """Every rule for a new exception; raises EgovError on the first one broken. Used by the
    service and by the admin form (to show the error beside the field)."""
    checked_day = _check_date(date)
    if kind not in ExceptionKind.values:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_KIND,
            _("The kind must be “day_off” (extra day off) or “working_day” (make-up working day)."),
            field="kind",
        )
    clean = ExceptionInput(
        date=checked_day,
        kind=str(kind),
        name_vi=_check_text(name_vi, field_name="name_vi", limit=NAME_MAX, required=True),
        name_en=_check_text(name_en, field_name="name_en", limit=NAME_MAX, required=False),
        source=_check_text(source, field_name="source", limit=SOURCE_MAX, required=False),
    )
    params = {"date": checked_day.strftime("%d/%m/%Y")}
    existing = CalendarException.objects.filter(date=checked_day).first()
    if existing is not None:
        raise EgovError(
            WorkcalendarErrorCode.EXCEPTION_EXISTS,
            _("%(date)s is already in the exceptions table; remove it first to change it."),
            field="date",
            params=params,
        )
    library = WorkCalendar()  # the package's calendar alone, without the table
    if clean.kind == ExceptionKind.WORKING_DAY:
        if checked_day.weekday() < 5:
            raise EgovError(
                WorkcalendarErrorCode.MAKE_UP_DAY_NOT_WEEKEND,
                _("A make-up working day must be a Saturday or a Sunday; %(date)s is not."),
                field="date",
                params=params,
            )
        if library.library_says_working(checked_day):
            raise EgovError(
                WorkcalendarErrorCode.ALREADY_WORKING,
                _("%(date)s is already a working day (a make-up day of the national holiday calendar)."),
                field="date",
                params=params,
            )
    elif not library.library_says_working(checked_day):
        raise EgovError(
            WorkcalendarErrorCode.DAY_OFF_NOT_WORKING,
            _("An extra day off must be a day that would otherwise be worked; %(date)s is a weekend day or a holiday."),
            field="date",
            params=params,
        )
    return clean


def _exception_snapshot(item: CalendarException) -> dict[str, Any]:
    return {
        "date": item.date.isoformat(),
        "kind": item.kind,
        "name_vi": item.name_vi,
        "name_en": item.name_en,
        "source": item.source,
    }


@transaction.atomic
def calendar_exception_add(
    *,
    actor: Actor | None,
    date: dt.date,
    kind: str,
    name_vi: str,
    name_en: str = "",
    source: str = "",
) -> CalendarException:
    """Declare an extra day off (on a day otherwise worked) or a make-up working day (on a
    Saturday or Sunday not already worked)."""
    clean = calendar_exception_validate(date=date, kind=kind, name_vi=name_vi, name_en=name_en, source=source)
    item = CalendarException.objects.create(
        date=clean.date,
        kind=clean.kind,
        name_vi=clean.name_vi,
        name_en=clean.name_en,
        source=clean.source,
        created_by=_actor_user(actor),
    )
    number = _bump_version()
    audit_record(
        actor=actor,
        action="workcalendar.calendar_exception_add",
        target=item,
        before=None,
        after={**_exception_snapshot(item), "calendar_version": number},
    )
    return item


@transaction.atomic
def calendar_exception_remove(*, actor: Actor | None, date: dt.date) -> None:
    checked_day = _check_date(date)
    item = CalendarException.objects.select_for_update().filter(date=checked_day).first()
    if item is None:
        raise NotFound(
            WorkcalendarErrorCode.EXCEPTION_NOT_FOUND,
            _("There is no exception on %(date)s."),
            field="date",
            params={"date": checked_day.strftime("%d/%m/%Y")},
        )
    before = _exception_snapshot(item)
    item_id = item.pk
    item.delete()
    number = _bump_version()
    audit_record(
        actor=actor,
        action="workcalendar.calendar_exception_remove",
        object_type=CalendarException._meta.label_lower,
        object_id=str(item_id),
        before=before,
        after={"calendar_version": number},
    )


def _schedule_snapshot(item: WorkSchedule) -> dict[str, Any]:
    return {
        "valid_from": item.valid_from.isoformat(),
        "morning_start": item.morning_start.isoformat(timespec="minutes"),
        "morning_end": item.morning_end.isoformat(timespec="minutes"),
        "afternoon_start": item.afternoon_start.isoformat(timespec="minutes"),
        "afternoon_end": item.afternoon_end.isoformat(timespec="minutes"),
    }


def work_schedule_validate(
    *, valid_from: object, morning_start: object, morning_end: object, afternoon_start: object, afternoon_end: object
) -> None:
    _check_date(valid_from, field_name="valid_from")
    times = {
        "morning_start": morning_start,
        "morning_end": morning_end,
        "afternoon_start": afternoon_start,
        "afternoon_end": afternoon_end,
    }
    for name, value in times.items():
        if not isinstance(value, dt.time) or value.tzinfo is not None:
            raise EgovError(WorkcalendarErrorCode.INVALID_TIME, _("This is not a valid time of day."), field=name)
    ordered = [value for value in times.values() if isinstance(value, dt.time)]
    if not ordered[0] < ordered[1] <= ordered[2] < ordered[3]:
        raise EgovError(
            WorkcalendarErrorCode.INVALID_SCHEDULE,
            _("The hours must follow each other: morning start < morning end ≤ afternoon start < afternoon end."),
            field="morning_start",
        )


@transaction.atomic
def work_schedule_set(
    *,
    actor: Actor | None,
    valid_from: dt.date,
    morning_start: dt.time,
    morning_end: dt.time,
    afternoon_start: dt.time,
    afternoon_end: dt.time,
) -> WorkSchedule:
    """Set the office hours in force from `valid_from` (until the next schedule's date)."""
    work_schedule_validate(
        valid_from=valid_from,
        morning_start=morning_start,
        morning_end=morning_end,
        afternoon_start=afternoon_start,
        afternoon_end=afternoon_end,
    )
    item = WorkSchedule.objects.select_for_update().filter(valid_from=valid_from).first()
    before = _schedule_snapshot(item) if item is not None else None
    if item is None:
        item = WorkSchedule(valid_from=valid_from)
    item.morning_start, item.morning_end = morning_start, morning_end
    item.afternoon_start, item.afternoon_end = afternoon_start, afternoon_end
    item.save()
    number = _bump_version()
    audit_record(
        actor=actor,
        action="workcalendar.work_schedule_set",
        target=item,
        before=before,
        after={**_schedule_snapshot(item), "calendar_version": number},
    )
    return item


@transaction.atomic
def work_schedule_remove(*, actor: Actor | None, valid_from: dt.date) -> None:
    _check_date(valid_from, field_name="valid_from")
    item = WorkSchedule.objects.select_for_update().filter(valid_from=valid_from).first()
    if item is None:
        raise NotFound(
            WorkcalendarErrorCode.SCHEDULE_NOT_FOUND,
            _("There are no working hours starting on %(date)s."),
            field="valid_from",
            params={"date": valid_from.strftime("%d/%m/%Y")},
        )
    before = _schedule_snapshot(item)
    item_id = item.pk
    item.delete()
    number = _bump_version()
    audit_record(
        actor=actor,
        action="workcalendar.work_schedule_remove",
        object_type=WorkSchedule._meta.label_lower,
        object_id=str(item_id),
        before=before,
        after={"calendar_version": number},
    )
