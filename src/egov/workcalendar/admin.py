"""Admin for the exceptions table and the office hours. Every save and delete goes through the
services, so it is validated, versioned and audited exactly like an API call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError
from egov.workcalendar import services
from egov.workcalendar.models import CalendarException, WorkSchedule


def _form_error(form: forms.ModelForm[Any], error: EgovError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.localized())


class CalendarExceptionForm(forms.ModelForm[CalendarException]):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name_vi", "name_en", "source"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            try:
                services.calendar_exception_validate(
                    date=data.get("date"),
                    kind=data.get("kind"),
                    name_vi=data.get("name_vi"),
                    name_en=data.get("name_en"),
                    source=data.get("source"),
                )
            except EgovError as error:
                _form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """The service says "already in the table" in both languages; skip the generic check."""


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin[CalendarException]):
    form = CalendarExceptionForm
    list_display = ["date", "kind", "name_vi", "name_en", "source", "created_by"]
    list_filter = ["kind"]
    search_fields = ["name_vi", "name_en", "source"]
    date_hierarchy = "date"
    actions = ["delete_through_service"]

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarException | None = None) -> list[str]:
        # An exception is changed by removing it and declaring it again (two audited acts).
        return ["date", "kind", "name_vi", "name_en", "source"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: CalendarException, form: Any, change: bool) -> None:
        if change:
            return
        created = services.calendar_exception_add(
            actor=request.user,
            date=obj.date,
            kind=obj.kind,
            name_vi=obj.name_vi,
            name_en=obj.name_en,
            source=obj.source,
        )
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj.created_by = created.created_by

    def delete_model(self, request: HttpRequest, obj: CalendarException) -> None:
        services.calendar_exception_remove(actor=request.user, date=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        for item in queryset:
            self.delete_model(request, item)

    @admin.action(description=_("Delete selected calendar exceptions"), permissions=["delete"])
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet[CalendarException]) -> None:
        self.delete_queryset(request, queryset)


class WorkScheduleForm(forms.ModelForm[WorkSchedule]):
    class Meta:
        model = WorkSchedule
        fields = ["valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                services.work_schedule_validate(
                    valid_from=data.get("valid_from"),
                    morning_start=data.get("morning_start"),
                    morning_end=data.get("morning_end"),
                    afternoon_start=data.get("afternoon_start"),
                    afternoon_end=data.get("afternoon_end"),
                )
            except EgovError as error:
                _form_error(self, error)
        return data

    def validate_unique(self) -> None:
        """Setting the hours of an existing date updates that row (the service's rule)."""


@admin.register(WorkSchedule)
class WorkScheduleAdmin(admin.ModelAdmin[WorkSchedule]):
    form = WorkScheduleForm
    list_display = ["valid_from", "morning_start", "morning_end", "afternoon_start", "afternoon_end"]
    actions = ["delete_through_service"]

    def get_readonly_fields(self, request: HttpRequest, obj: WorkSchedule | None = None) -> list[str]:
        return ["valid_from"] if obj is not None else []

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: WorkSchedule, form: Any, change: bool) -> None:
        saved = services.work_schedule_set(
            actor=request.user,
            valid_from=obj.valid_from,
            morning_start=obj.morning_start,
            morning_end=obj.morning_end,
            afternoon_start=obj.afternoon_start,
            afternoon_end=obj.afternoon_end,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: WorkSchedule) -> None:
        services.work_schedule_remove(actor=request.user, valid_from=obj.valid_from)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkSchedule]) -> None:
        for item in queryset:
            self.delete_model(request, item)

    @admin.action(description=_("Delete selected working hours"), permissions=["delete"])
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet[WorkSchedule]) -> None:
        self.delete_queryset(request, queryset)
