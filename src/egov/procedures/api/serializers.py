"""Shapes of the public catalogue API (read only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from egov.procedures.models import (
    Channel,
    DossierComponent,
    Fee,
    Level,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ServiceLevel,
    VersionAgency,
)


class ProcedureListQuery(serializers.Serializer[Any]):
    search = serializers.CharField(required=False, allow_blank=True, trim_whitespace=True)
    agency = serializers.CharField(required=False, allow_blank=True, max_length=40)
    field = serializers.CharField(required=False, allow_blank=True, max_length=40)
    level = serializers.CharField(required=False, allow_blank=True, help_text="province | district | commune")

    def validate_level(self, value: str) -> str:
        if value and value not in Level.values:
            raise serializers.ValidationError(f"one of {', '.join(Level.values)}")
        return value

    service_level = serializers.CharField(required=False, allow_blank=True, max_length=30)


class FieldOutput(serializers.ModelSerializer[ProcedureField]):
    class Meta:
        model = ProcedureField
        fields = ["code", "name_vi", "name_en", "valid_from", "valid_to"]
        read_only_fields = fields


class ServiceLevelOutput(serializers.ModelSerializer[ServiceLevel]):
    scheme = serializers.CharField(source="scheme.code", read_only=True)
    legal_basis = serializers.CharField(source="scheme.legal_basis", read_only=True)

    class Meta:
        model = ServiceLevel
        fields = ["scheme", "code", "name_vi", "name_en", "description_vi", "description_en", "legal_basis"]
        read_only_fields = fields


class ProcedureSummaryOutput(serializers.ModelSerializer[ProcedureVersion]):
    code = serializers.CharField(source="procedure.code", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    field = FieldOutput(read_only=True)
    service_level = ServiceLevelOutput(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True, help_text="draft | published | superseded")
    level = serializers.CharField(read_only=True, help_text="province | district | commune")

    class Meta:
        model = ProcedureVersion
        fields = [
            "code",
            "instance_code",
            "version",
            "status",
            "effective_from",
            "effective_to",
            "name_vi",
            "name_en",
            "field",
            "level",
            "subjects",
            "service_level",
        ]
        read_only_fields = fields


class AgencyRoleOutput(serializers.ModelSerializer[VersionAgency]):
    code = serializers.CharField(source="agency.code", read_only=True)
    name_vi = serializers.CharField(source="agency.name_vi", read_only=True)
    name_en = serializers.CharField(source="agency.name_en", read_only=True)
    role = serializers.CharField(read_only=True, help_text="implementing | competent | authorised | coordinating")

    class Meta:
        model = VersionAgency
        fields = ["role", "code", "name_vi", "name_en"]
        read_only_fields = fields


class CaseOutput(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    name_vi = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class FeeOutput(serializers.ModelSerializer[Fee]):
    kind = serializers.CharField(read_only=True, help_text="fee (phí) | charge (lệ phí)")

    class Meta:
        model = Fee
        fields = ["name_vi", "name_en", "kind", "amount", "currency", "exemption_vi", "exemption_en"]
        read_only_fields = fields


class ChannelOutput(serializers.ModelSerializer[Channel]):
    case = serializers.CharField(source="case.code", read_only=True, default="")
    fees = FeeOutput(many=True, read_only=True)
    kind = serializers.CharField(read_only=True, help_text="in_person | online | post")
    time_unit = serializers.CharField(read_only=True, help_text="working_days | working_hours | calendar_days")

    class Meta:
        model = Channel
        fields = ["case", "kind", "time_limit", "time_unit", "description_vi", "description_en", "fees"]
        read_only_fields = fields


class ComponentOutput(serializers.ModelSerializer[DossierComponent]):
    case = serializers.CharField(source="case.code", read_only=True, default="")
    form_url = serializers.SerializerMethodField()
    copy_kind = serializers.CharField(read_only=True, help_text="original | copy | certified_copy | original_or_copy")

    class Meta:
        model = DossierComponent
        fields = ["case", "code", "name_vi", "name_en", "copy_kind", "count", "required", "form_name", "form_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_form_url(self, obj: DossierComponent) -> str | None:
        if not obj.form_file:
            return None
        from django.urls import reverse

        path = reverse("procedures:form", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class ResultOutput(serializers.Serializer[Any]):
    code = serializers.CharField(read_only=True)
    name_vi = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class LegalBasisOutput(serializers.Serializer[Any]):
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class StepOutput(serializers.ModelSerializer[ProcessStep]):
    case = serializers.CharField(source="case.code", read_only=True, default="")
    agency = serializers.CharField(source="agency.code", read_only=True, default="")
    unit = serializers.CharField(source="unit_name", read_only=True)
    role = serializers.CharField(
        read_only=True, help_text="one_stop_officer | specialist | leader | clerk (egov.orgs roles)"
    )
    duration_unit = serializers.CharField(read_only=True, help_text="working_days | working_hours")

    class Meta:
        model = ProcessStep
        fields = ["case", "order", "name_vi", "name_en", "role", "agency", "unit", "duration", "duration_unit"]
        read_only_fields = fields


class ProcedureDetailOutput(ProcedureSummaryOutput):
    partial_reason = serializers.CharField(read_only=True)
    agencies = AgencyRoleOutput(source="agency_roles", many=True, read_only=True)
    cases = CaseOutput(many=True, read_only=True)
    channels = ChannelOutput(many=True, read_only=True)
    components = ComponentOutput(many=True, read_only=True)
    results = ResultOutput(many=True, read_only=True)
    legal_bases = LegalBasisOutput(many=True, read_only=True)
    steps = StepOutput(many=True, read_only=True)
    eform_schema = serializers.JSONField(read_only=True)

    class Meta(ProcedureSummaryOutput.Meta):
        fields = [
            *ProcedureSummaryOutput.Meta.fields,
            "partial_reason",
            "implementation_steps_vi",
            "implementation_steps_en",
            "requirements_vi",
            "requirements_en",
            "agencies",
            "cases",
            "channels",
            "components",
            "results",
            "legal_bases",
            "steps",
            "eform_schema",
        ]
        read_only_fields = fields
