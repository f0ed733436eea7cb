"""The province-editable part of the working calendar.

The statutory holidays come from the `holidays` package (see `calendar.py`); what the province
adds on top lives here: extra days off and make-up working days (`CalendarException`), and the
effective-dated office hours (`WorkSchedule`). `CalendarVersion` is a single row whose number
goes up with every change, so that each computed deadline can record the calendar it used
(architecture invariant 5).
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel


class ExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING_DAY = "working_day", _("Make-up working day")


class CalendarException(models.Model):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ExceptionKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("The notice that decided it, e.g. a notice of the Government Office."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["day_off", "working_day"]),
                name="workcalendar_exception_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name_vi}"


DEFAULT_MORNING_START = time(7, 30)
DEFAULT_MORNING_END = time(11, 30)
DEFAULT_AFTERNOON_START = time(13, 30)
DEFAULT_AFTERNOON_END = time(17, 0)


class WorkSchedule(TimeStampedModel):
    """Office hours from `valid_from` until the next schedule takes over."""

    valid_from = models.DateField(_("valid from"), unique=True)
    morning_start = models.TimeField(_("morning start"), default=DEFAULT_MORNING_START)
    morning_end = models.TimeField(_("morning end"), default=DEFAULT_MORNING_END)
    afternoon_start = models.TimeField(_("afternoon start"), default=DEFAULT_AFTERNOON_START)
    afternoon_end = models.TimeField(_("afternoon end"), default=DEFAULT_AFTERNOON_END)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="workcalendar_schedule_ordered",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.valid_from.isoformat()}: {self.morning_start:%H:%M}–{self.morning_end:%H:%M}, "
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )


class CalendarVersion(models.Model):
    """One row. `number` is what deadlines record; `token` changes with every bump so that a
    process cache can never confuse a rolled-back change with a later one of the same number."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    number = models.PositiveBigIntegerField(_("version"), default=0)
    token = models.CharField(max_length=32, blank=True)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar version")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="workcalendar_version_singleton")]

    def __str__(self) -> str:
        return str(self.number)
