from __future__ import annotations

import base64
import binascii

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from egov.dossiers.lifecycle import Action
from egov.dossiers.models import ChannelKind, Dossier, DossierEvent, DossierFile


class FileIn(serializers.Serializer):
    component = serializers.CharField(max_length=60, allow_blank=True, default="")
    name = serializers.CharField(max_length=200)
    content_base64 = serializers.CharField()

    def validate_content_base64(self, value: str) -> bytes:
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError(_("This is not base64 content.")) from exc


class ApplicantIn(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    national_id = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    organisation_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    representative_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SubmitIn(serializers.Serializer):
    procedure = serializers.CharField(max_length=40)
    case = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    channel = serializers.ChoiceField(choices=ChannelKind.choices, default=ChannelKind.ONLINE)
    eform = serializers.DictField()
    files = FileIn(many=True, required=False, default=list)
    applicant = ApplicantIn(required=False)
    agency = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    centre = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    result_delivery = serializers.ChoiceField(choices=ChannelKind.choices, required=False, allow_blank=True, default="")
    idempotency_key = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class ActionIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    assignee = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    files = FileIn(many=True, required=False, default=list)
    result = FileIn(required=False)
    expected_revision = serializers.IntegerField(required=False, min_value=0)


class ApologyIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    new_due_at = serializers.DateTimeField()
    agency_at_fault = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class DossierSummaryOut(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure_version.procedure.code")
    procedure_name = serializers.CharField(source="procedure_version.name_vi")
    dvcqg_status = serializers.IntegerField()
    receiving_centre = serializers.CharField(source="receiving_centre.code")
    processing_agency = serializers.CharField(source="processing_agency.code")

    class Meta:
        model = Dossier
        fields = ["code", "status", "dvcqg_status", "procedure", "procedure_name", "channel_kind", "applicant_name",
                  "organisation_name", "receiving_centre", "processing_agency", "submitted_at", "received_at",
                  "due_at", "legal_due_at", "finished_at", "timeliness", "revision"]  # fmt: skip


class FileOut(serializers.ModelSerializer):
    component = serializers.CharField(source="component.code", default="")

    class Meta:
        model = DossierFile
        fields = ["id", "kind", "component", "name", "content_type", "size", "sha256", "signed", "created_at"]


class EventOut(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", default="")

    class Meta:
        model = DossierEvent
        fields = ["action", "from_state", "to_state", "actor_name", "agency", "reason", "data", "at"]


class StepOut(serializers.Serializer):
    role = serializers.CharField()
    name_vi = serializers.CharField()
    agency = serializers.CharField(source="agency.code")
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    timeliness = serializers.CharField()


class DossierDetailOut(DossierSummaryOut):
    files = FileOut(many=True)
    steps = StepOut(many=True)
    allowed_actions = serializers.SerializerMethodField()
    calendar_version = serializers.CharField()
    clock_rule = serializers.CharField(source="clock_rule.code", default="")

    class Meta(DossierSummaryOut.Meta):
        fields = [*DossierSummaryOut.Meta.fields, "applicant_kind", "applicant_national_id", "applicant_phone",
                  "applicant_email", "applicant_address", "representative_name", "eform_data", "fees_due",
                  "fee_lines", "assignee", "outcome", "calendar_version", "clock_rule", "restarts", "files",
                  "steps", "allowed_actions"]  # fmt: skip

    def get_allowed_actions(self, obj: Dossier) -> list[str]:
        return list(self.context.get("allowed_actions", []))


class PublicStatusOut(serializers.Serializer):
    code = serializers.CharField()
    procedure = serializers.CharField()
    status = serializers.IntegerField(help_text="DVCQG status code 1–10")
    status_label = serializers.CharField()
    current_step = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
