"""Django admin for orgs. Every save goes through the audited services: the form first runs the
service in a transaction that is rolled back (so its refusals show as form errors), then
`save_model` runs it for real. Nothing is deleted here: closed agencies and ended memberships
are history."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError
from egov.orgs import services
from egov.orgs.models import (
    AdministrativeUnit,
    Agency,
    Level1Code,
    Membership,
    MembershipRole,
    Role,
    Unit,
    in_force_q,
)


class _DryRun(Exception):
    pass


class ServiceAdmin(admin.ModelAdmin):
    """Subclasses implement `perform(request, obj, form, change)` calling a service."""

    def perform(self, request: HttpRequest, obj: Any, form: forms.ModelForm, change: bool) -> models.Model:
        raise NotImplementedError

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):  # type: ignore[valid-type,misc]
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        model_admin.perform(request, self.instance, self, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except EgovError as error:
                    target = error.field if error.field in self.fields else None
                    self.add_error(target, ValidationError(error.localized(), code=str(error.code)))

        return ServiceForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = self.perform(request, obj, form, change)
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _changed(form: forms.ModelForm, names: list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in names if name in form.changed_data}


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In force today")), ("no", _("Closed or not yet in force"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(in_force_q(today))
        if self.value() == "no":
            return queryset.exclude(in_force_q(today))
        return queryset


class UnitInline(admin.TabularInline):
    model = Unit
    fk_name = "agency"
    fields = ["name_vi", "name_en", "short_code", "active"]
    extra = 0
    can_delete = False


AGENCY_EDITABLE = [
    "code",
    "code_d20",
    "name_vi",
    "name_en",
    "short_name",
    "abbreviation",
    "kind",
    "parent",
    "administrative_unit",
    "address",
    "phone",
    "email",
    "website",
    "valid_from",
]


class AgencyAdminForm(forms.ModelForm):
    close_reason = forms.CharField(
        label=_("Reason for closing"), required=False, help_text=_("Required when setting the end date.")
    )
    transfer_staff = forms.BooleanField(label=_("Transfer staff to the successor"), required=False)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = [*AGENCY_EDITABLE, "valid_to", "successor"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("code", "code_d20"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Either form is enough; the other is derived.")
        if self.instance.pk and self.instance.valid_to is not None:
            for name in ("valid_to", "successor"):
                self.fields[name].disabled = True


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    form = AgencyAdminForm
    list_display = ["code", "code_d20", "name_vi", "abbreviation", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", InForceFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["search_text", "code", "code_d20"]
    autocomplete_fields = ["parent", "successor", "administrative_unit"]
    readonly_fields = ["level1"]
    inlines = [UnitInline]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        from egov.common.text import fold

        return super().get_search_results(request, queryset, fold(search_term))

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["search_text"]

    def perform(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> models.Model:
        data = form.cleaned_data
        if not change:
            values = {name: data.get(name) for name in AGENCY_EDITABLE}
            values.update(valid_to=data.get("valid_to"), successor=data.get("successor"))
            values = {k: ("" if v is None and k not in _NULLABLE else v) for k, v in values.items()}
            return services.agency_create(actor=request.user, **values)
        current = Agency.objects.get(pk=obj.pk)
        changes = _changed(form, AGENCY_EDITABLE)
        if "code" in changes and not changes["code"]:
            changes.pop("code")
        if "code_d20" in changes and not changes["code_d20"]:
            changes.pop("code_d20")
        for key in ("name_en", "short_name", "abbreviation", "address", "phone", "email", "website"):
            if key in changes and changes[key] is None:
                changes[key] = ""
        agency = services.agency_update(actor=request.user, agency=current, **changes) if changes else current
        if current.valid_to is None and data.get("valid_to"):
            agency = services.agency_close(
                actor=request.user,
                agency=agency,
                valid_to=data["valid_to"],
                successor=data.get("successor"),
                reason=data.get("close_reason") or "",
                transfer_staff=bool(data.get("transfer_staff")),
            )
        return agency

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        agency = Agency.objects.get(pk=form.instance.pk)
        # The admin's change message reads these three lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for unit_form in formset.forms:
            if not unit_form.has_changed() or not unit_form.cleaned_data:
                continue
            data = {k: unit_form.cleaned_data.get(k) for k in ("name_vi", "name_en", "short_code", "active")}
            data = {k: ("" if v is None else v) for k, v in data.items()}
            if unit_form.instance.pk:
                unit = services.unit_update(actor=request.user, unit=unit_form.instance, **data)
                formset.changed_objects.append((unit, unit_form.changed_data))
            else:
                formset.new_objects.append(services.unit_create(actor=request.user, agency=agency, **data))


_NULLABLE = {"parent", "administrative_unit", "valid_to", "successor", "code", "code_d20"}


LEVEL1_FIELDS = [
    "code",
    "body_kind",
    "locality",
    "name_vi",
    "name_en",
    "valid_from",
    "valid_to",
    "successor",
    "inferred",
    "source_note",
]
ADMIN_UNIT_FIELDS = ["gso_code", "name", "name_en", "level", "parent", "valid_from", "valid_to", "successor"]
UNIT_FIELDS = ["agency", "name_vi", "name_en", "short_code", "parent", "active"]


@admin.register(Level1Code)
class Level1CodeAdmin(ServiceAdmin):
    list_display = ["code", "body_kind", "name_vi", "valid_from", "valid_to", "successor", "inferred"]
    list_filter = ["body_kind", "inferred", InForceFilter]
    search_fields = ["code", "name_vi", "locality"]
    fields = tuple(LEVEL1_FIELDS)

    def perform(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> models.Model:
        data = {name: form.cleaned_data.get(name) for name in LEVEL1_FIELDS}
        if not change:
            return services.level1_create(actor=request.user, **data)
        return services.level1_update(
            actor=request.user, level1=Level1Code.objects.get(pk=obj.pk), **_changed(form, LEVEL1_FIELDS)
        )


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ServiceAdmin):
    list_display = ["gso_code", "name", "level", "parent", "valid_from", "valid_to"]
    list_filter = ["level", InForceFilter]
    search_fields = ["gso_code", "name"]
    autocomplete_fields = ["parent", "successor"]
    fields = tuple(ADMIN_UNIT_FIELDS)

    def perform(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> models.Model:
        data = {name: form.cleaned_data.get(name) for name in ADMIN_UNIT_FIELDS}
        if not change:
            return services.administrative_unit_create(actor=request.user, **data)
        return services.administrative_unit_update(
            actor=request.user, unit=AdministrativeUnit.objects.get(pk=obj.pk), **_changed(form, ADMIN_UNIT_FIELDS)
        )


class MembershipRoleInline(admin.TabularInline):
    """Shows the roles; they are edited with the checkboxes of the membership form (audited)."""

    model = MembershipRole
    extra = 0
    can_delete = False
    readonly_fields = ["role"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipAdminForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Membership
        fields = ["user", "agency", "unit", "position", "valid_from", "valid_to", "is_primary"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(self.instance.roles.values_list("role", flat=True))
            for name in ("user", "agency"):
                self.fields[name].disabled = True


@admin.register(Membership)
class MembershipAdmin(ServiceAdmin):
    form = MembershipAdminForm
    list_display = ["user", "agency", "unit", "position", "valid_from", "valid_to", "is_primary"]
    list_filter = [InForceFilter, "roles__role"]
    search_fields = ["user__username", "user__full_name", "agency__search_text", "position"]
    autocomplete_fields = ["agency", "unit"]
    raw_id_fields = ["user"]
    inlines = [MembershipRoleInline]

    def perform(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> models.Model:
        data = form.cleaned_data
        if not change:
            return services.membership_create(
                actor=request.user,
                user=data["user"],
                agency=data["agency"],
                unit=data.get("unit"),
                position=data.get("position") or "",
                roles=data.get("roles") or [],
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                is_primary=bool(data.get("is_primary")),
            )
        return services.membership_update(
            actor=request.user,
            membership=Membership.objects.get(pk=obj.pk),
            unit=data.get("unit"),
            position=data.get("position") or "",
            roles=data.get("roles") or [],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            is_primary=bool(data.get("is_primary")),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Roles are saved by the membership service; the admin's change message reads these lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Unit)
class UnitAdmin(ServiceAdmin):
    list_display = ["name_vi", "short_code", "agency", "active"]
    list_filter = ["active"]
    search_fields = ["name_vi", "short_code", "agency__search_text"]
    autocomplete_fields = ["agency", "parent"]
    fields = tuple(UNIT_FIELDS)

    def perform(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> models.Model:
        data = {name: form.cleaned_data.get(name) for name in UNIT_FIELDS}
        data = {k: ("" if v is None and k in ("name_en", "short_code") else v) for k, v in data.items()}
        if not change:
            return services.unit_create(actor=request.user, **data)
        changes = _changed(form, [f for f in UNIT_FIELDS if f != "agency"])
        return services.unit_update(actor=request.user, unit=Unit.objects.get(pk=obj.pk), **changes)
