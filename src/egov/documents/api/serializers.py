"""Input and output shapes of the electronic-office API (thin: services do the work)."""

from __future__ import annotations

from rest_framework import serializers

from egov.documents.models import Assignment, Document, DocumentFile, Recipient, StatusEvent


class RecipientInput(serializers.Serializer):
    organ_id = serializers.CharField(max_length=13, required=False, allow_blank=True)
    organ_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class OutgoingInput(serializers.Serializer):
    agency = serializers.CharField(required=False, help_text="QCVN 102 code; default: the user's primary agency")
    document_type = serializers.CharField()
    subject = serializers.CharField(max_length=500)
    main_file = serializers.FileField()
    source_file = serializers.FileField(required=False)
    attachments = serializers.ListField(child=serializers.FileField(), required=False)
    recipients = serializers.CharField(required=False, allow_blank=True, help_text="comma-separated QCVN 102 codes")
    drafting_unit = serializers.IntegerField(required=False)
    signer_competence = serializers.CharField(required=False, allow_blank=True)
    signer_position = serializers.CharField(required=False, allow_blank=True)
    signer_name = serializers.CharField(required=False, allow_blank=True)
    priority = serializers.IntegerField(required=False, default=0)
    confidentiality = serializers.IntegerField(required=False, default=0)
    due_date = serializers.DateField(required=False)


class IncomingInput(serializers.Serializer):
    agency = serializers.CharField(required=False)
    document_type = serializers.CharField()
    subject = serializers.CharField(max_length=500)
    issuer_name = serializers.CharField(max_length=200)
    issuer_organ_id = serializers.CharField(max_length=13, required=False, allow_blank=True)
    number = serializers.IntegerField(required=False)
    notation = serializers.CharField(max_length=30, required=False, allow_blank=True)
    issued_date = serializers.DateField(required=False)
    scan = serializers.FileField()
    priority = serializers.IntegerField(required=False, default=0)
    confidentiality = serializers.IntegerField(required=False, default=0)
    due_date = serializers.DateField(required=False)


class ActionInput(serializers.Serializer):
    action = serializers.CharField()
    comment = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)
    channel = serializers.CharField(required=False)
    lead_unit = serializers.IntegerField(required=False)
    coordinating_units = serializers.ListField(child=serializers.IntegerField(), required=False)
    days = serializers.IntegerField(required=False)
    deadline = serializers.DateField(required=False)
    instruction = serializers.CharField(required=False, allow_blank=True)
    handler = serializers.IntegerField(required=False)
    present_to = serializers.IntegerField(required=False)


class FileOutput(serializers.ModelSerializer):
    role = serializers.CharField(help_text="main | attachment | source")

    class Meta:
        model = DocumentFile
        fields = ["id", "role", "name", "content_type", "sha256", "size", "signature_count"]


class RecipientOutput(serializers.ModelSerializer):
    delivery_status = serializers.CharField(help_text="delivered | awaiting_exchange | paper | empty")
    last_status_code = serializers.CharField(help_text="edXML status code 01–06 last reported")

    class Meta:
        model = Recipient
        fields = [
            "id",
            "organ_id",
            "organ_name",
            "delivery_status",
            "delivered_at",
            "last_status_code",
            "last_status_at",
            "last_status_description",
        ]


class StatusEventOutput(serializers.ModelSerializer):
    code = serializers.CharField(help_text="edXML status code 01–06")

    class Meta:
        model = StatusEvent
        fields = ["code", "description", "staff_name", "occurred_at"]


class AssignmentOutput(serializers.ModelSerializer):
    role = serializers.CharField(help_text="lead | coordinate | handler")
    unit_name = serializers.CharField(source="unit.name_vi", default="")
    handler_name = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "role",
            "unit",
            "unit_name",
            "handler",
            "handler_name",
            "deadline",
            "deadline_calendar_version",
            "instruction",
        ]

    def get_handler_name(self, obj: Assignment) -> str:
        return obj.handler.get_full_name() if obj.handler else ""


class DocumentSummary(serializers.ModelSerializer):
    document_type = serializers.CharField(source="document_type.code")
    type_name = serializers.CharField(source="document_type.name_vi")
    owner_agency = serializers.CharField(source="owner_agency.code")
    direction = serializers.CharField(help_text="out | in")
    status = serializers.CharField(help_text="draft … released (outgoing); arrived … completed (incoming)")
    channel = serializers.CharField(help_text="electronic | paper")
    priority = serializers.IntegerField(help_text="edXML Priority 0–4")
    confidentiality = serializers.IntegerField(help_text="0 none, 1 Mật, 2 Tối mật, 3 Tuyệt mật")

    class Meta:
        model = Document
        fields = [
            "id",
            "direction",
            "status",
            "document_type",
            "type_name",
            "owner_agency",
            "number",
            "notation",
            "number_notation",
            "arrival_number",
            "subject",
            "issuer_name",
            "issuer_organ_id",
            "issued_date",
            "priority",
            "confidentiality",
            "due_date",
            "channel",
            "document_id",
        ]


class DocumentDetail(DocumentSummary):
    files = FileOutput(many=True, read_only=True)
    recipients = RecipientOutput(many=True, read_only=True)
    status_events = StatusEventOutput(many=True, read_only=True)
    assignments = AssignmentOutput(many=True, read_only=True)

    class Meta(DocumentSummary.Meta):
        fields = [
            *DocumentSummary.Meta.fields,
            "issued_place",
            "signer_competence",
            "signer_position",
            "signer_name",
            "page_amount",
            "language",
            "arrival_date",
            "due_calendar_version",
            "refusal_reason",
            "signature_report",
            "duplicate_warning",
            "signed_at",
            "sealed_at",
            "released_at",
            "completed_at",
            "files",
            "recipients",
            "status_events",
            "assignments",
        ]
