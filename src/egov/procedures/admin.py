"""Read-only administration views of the catalogue: every write goes through the services (they
validate the whole version and audit it), so the admin only lets operators look."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from egov.procedures.models import (
    Channel,
    DossierComponent,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ServiceLevel,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ChannelInline(ReadOnlyInline):
    model = Channel
    fields = ["kind", "case", "time_limit", "time_unit"]


class ComponentInline(ReadOnlyInline):
    model = DossierComponent
    fields = ["code", "name_vi", "copy_kind", "count", "required", "form_file"]


class StepInline(ReadOnlyInline):
    model = ProcessStep
    fields = ["order", "case", "name_vi", "role", "agency", "duration", "duration_unit"]


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ReadOnlyAdmin):
    list_display = ["instance_code", "number", "name_vi", "level", "status", "effective_from", "effective_to"]
    list_filter = ["status", "level", "field", "service_level"]
    search_fields = ["instance_code", "procedure__code", "name_vi"]
    exclude = ["search_text"]
    inlines = [ChannelInline, ComponentInline, StepInline]


@admin.register(ProcedureField)
class ProcedureFieldAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_vi", "name_en", "valid_from", "valid_to"]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "code", "name_vi", "requires_reason"]
