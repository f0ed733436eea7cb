"""Official documents (văn bản) in and out under Decree 30/2020/NĐ-CP.

One canonical model for outgoing and incoming documents (`Document.direction`); field names
follow Decree 30 Annex VI and edXML (QCVN 102) where they overlap: `subject` (Subject, trích
yếu), `number`/`notation` (CodeNumber/CodeNotation), `issued_date`/`issued_place`
(PromulgationInfo), `priority` (OtherInfo/Priority), `due_date` (DueDate), `page_amount`
(PageAmount), `document_id` (DocumentId). Writes go through `egov.documents.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel


class DocumentType(models.Model):
    """A document type of Decree 30 Art. 7 / Annex III with its official abbreviation (a code
    list: data seeded by migration, editable by the province)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=10, blank=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")

    def __str__(self) -> str:
        return self.name_vi


class Direction(models.TextChoices):
    OUTGOING = "out", _("Outgoing")
    INCOMING = "in", _("Incoming")


class Competence(models.TextChoices):
    """Signing-authority prefixes (Decree 30 Annex I)."""

    NONE = "", _("Own authority")
    ON_BEHALF = "TM.", _("On behalf of (TM.)")
    DEPUTY = "KT.", _("Deputy signing for the head (KT.)")
    BY_ORDER = "TL.", _("By order (TL.)")
    DELEGATED = "TUQ.", _("By delegated authority (TUQ.)")
    ACTING = "Q.", _("Acting (Q.)")


class Priority(models.IntegerChoices):
    """Urgency; the values are edXML OtherInfo/Priority."""

    NORMAL = 0, _("Normal")
    URGENT = 1, _("Urgent (Khẩn)")
    VERY_URGENT = 2, _("Very urgent (Thượng khẩn)")
    FLASH = 3, _("Flash (Hỏa tốc)")
    FLASH_TIMED = 4, _("Flash with set time (Hỏa tốc hẹn giờ)")


class Confidentiality(models.IntegerChoices):
    NONE = 0, _("Not secret")
    SECRET = 1, _("Secret (Mật)")
    TOP_SECRET = 2, _("Top secret (Tối mật)")
    ABSOLUTE_SECRET = 3, _("Absolutely secret (Tuyệt mật)")


class Status(models.TextChoices):
    # outgoing
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    NUMBERED = "numbered", _("Numbered")
    SEALED = "sealed", _("Agency signature applied")
    RELEASED = "released", _("Released")
    # incoming (edXML status codes in brackets)
    ARRIVED = "arrived", _("Arrived (01)")
    REFUSED = "refused", _("Refused (02)")
    REGISTERED = "registered", _("Registered (03)")
    ASSIGNED = "assigned", _("Assigned (04)")
    PROCESSING = "processing", _("Processing (05)")
    COMPLETED = "completed", _("Completed (06)")


class StatusCode(models.TextChoices):
    """edXML status message codes owed to the sender (QCVN 102, §2.6)."""

    ARRIVED = "01", _("Arrived")
    REFUSED = "02", _("Refused")
    REGISTERED = "03", _("Registered")
    ASSIGNED = "04", _("Assigned")
    PROCESSING = "05", _("Processing")
    COMPLETED = "06", _("Completed")


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic")
    PAPER = "paper", _("Paper")


class Register(TimeStampedModel):
    """A register (sổ) of an agency for one year: outgoing or incoming. Numbers run from 1 on
    1 January to 31 December (Decree 30 Annex I §3); secret documents have their own sequence."""

    agency = models.ForeignKey("orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("code"), max_length=20, default="chung")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["agency", "-year", "direction", "code"]
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        constraints = [
            models.UniqueConstraint(fields=["agency", "direction", "year", "code"], name="documents_register_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class NumberCounter(models.Model):
    """The last number given in a register; locked with SELECT … FOR UPDATE while a number is
    allocated so that numbers come out gapless and never twice."""

    register = models.OneToOneField(Register, on_delete=models.CASCADE, related_name="counter")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")

    def __str__(self) -> str:
        return f"{self.register_id}: {self.last_number}"


class Document(TimeStampedModel):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, db_index=True)
    owner_agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("owner agency"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The agency whose register holds this record: the issuer (outgoing) or the receiver (incoming)."),
    )
    document_type = models.ForeignKey(DocumentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    notation = models.CharField(_("notation"), max_length=30, blank=True)
    number_notation = models.CharField(_("number and notation"), max_length=45, blank=True, db_index=True)
    register = models.ForeignKey(
        Register, verbose_name=_("register"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    issuer_agency = models.ForeignKey(
        "orgs.Agency",
        verbose_name=_("issuing agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issuing body (OrganName)"), max_length=200, blank=True)
    issuer_organ_id = models.CharField(_("issuing body code (OrganId)"), max_length=13, blank=True)
    drafting_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("drafting unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_date = models.DateField(_("date of issue"), null=True, blank=True, db_index=True)
    issued_place = models.CharField(_("place of issue"), max_length=50, blank=True)
    subject = models.CharField(_("summary (trích yếu)"), max_length=500)
    signer_competence = models.CharField(
        _("signing authority"), max_length=5, choices=Competence.choices, blank=True, default=""
    )
    signer_position = models.CharField(_("signer position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer name"), max_length=50, blank=True)
    priority = models.PositiveSmallIntegerField(_("urgency"), choices=Priority.choices, default=Priority.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(
        _("confidentiality"), choices=Confidentiality.choices, default=Confidentiality.NONE
    )
    due_date = models.DateField(_("reply or handling due date"), null=True, blank=True, db_index=True)
    due_calendar_version = models.CharField(_("calendar version of the due date"), max_length=40, blank=True)
    page_amount = models.PositiveSmallIntegerField(_("page count"), null=True, blank=True)
    issued_amount = models.PositiveSmallIntegerField(_("copies issued"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=30, default="vi")
    to_places = models.TextField(_("recipients as printed (Nơi nhận)"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ELECTRONIC)
    document_id = models.CharField(_("document identifier (DocumentId)"), max_length=80, blank=True, db_index=True)
    # incoming
    arrival_number = models.PositiveIntegerField(_("incoming number"), null=True, blank=True)
    arrival_date = models.DateTimeField(_("date received"), null=True, blank=True)
    source_recipient = models.ForeignKey(
        "Recipient",
        verbose_name=_("delivery it came from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    presented_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presented to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    refusal_reason = models.CharField(_("refusal reason"), max_length=500, blank=True)
    signature_report = models.JSONField(_("signature validation report"), default=dict, blank=True)
    duplicate_warning = models.CharField(_("duplicate warning"), max_length=500, blank=True)
    # outgoing workflow
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("agency signature at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    case_file = models.ForeignKey(
        "CaseFile", verbose_name=_("file"), null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    file_ordinal = models.PositiveSmallIntegerField(_("order in the file (DocOrdinal)"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], condition=Q(number__isnull=False), name="documents_number_unique"
            ),
            models.UniqueConstraint(
                fields=["register", "arrival_number"],
                condition=Q(arrival_number__isnull=False),
                name="documents_arrival_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["owner_agency", "direction", "status"], name="documents_owner_dir_status"),
        ]

    def __str__(self) -> str:
        return f"{self.number_notation or '—'} {self.subject[:60]}"

    @property
    def display_number(self) -> str:
        return f"Số: {self.number_notation}" if self.number_notation else ""


class FileRole(models.TextChoices):
    MAIN = "main", _("Main document")
    ATTACHMENT = "attachment", _("Attachment")
    SOURCE = "source", _("Editable source (DOCX)")


class DocumentFile(TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("role"), max_length=12, choices=FileRole.choices)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    signature_count = models.PositiveSmallIntegerField(_("signatures applied"), default=0)

    class Meta:
        ordering = ["document", "role", "id"]
        verbose_name = _("document file")
        verbose_name_plural = _("document files")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    AWAITING_EXCHANGE = "awaiting_exchange", _("Awaiting electronic delivery")
    DELIVERED = "delivered", _("Delivered")
    PAPER = "paper", _("Sent on paper")


class Recipient(TimeStampedModel):
    """One recipient of an outgoing document and its delivery ledger line (tình trạng nhận văn
    bản): the last status the receiver reported (01–06)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organ_id = models.CharField(_("recipient code (OrganId)"), max_length=13, blank=True)
    organ_name = models.CharField(_("recipient name (OrganName)"), max_length=200)
    delivery_status = models.CharField(_("delivery status"), max_length=20, choices=DeliveryStatus.choices, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    incoming_document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_status_code = models.CharField(_("last status"), max_length=2, choices=StatusCode.choices, blank=True)
    last_status_at = models.DateTimeField(null=True, blank=True)
    last_status_description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return self.organ_name


class StatusEvent(models.Model):
    """A status the receiving agency owes the sender (edXML status message 01–06)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="status_events")
    code = models.CharField(_("status code"), max_length=2, choices=StatusCode.choices)
    description = models.CharField(_("description"), max_length=500, blank=True)
    staff_name = models.CharField(_("staff"), max_length=100, blank=True)
    occurred_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["document", "occurred_at", "id"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")

    def __str__(self) -> str:
        return f"{self.code} {self.occurred_at:%Y-%m-%d %H:%M}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit (chủ trì)")
    COORDINATE = "coordinate", _("Coordinating unit (phối hợp)")
    HANDLER = "handler", _("Handler")


class Assignment(TimeStampedModel):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(_("role"), max_length=12, choices=AssignmentRole.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_calendar_version = models.CharField(max_length=40, blank=True)
    instruction = models.TextField(_("instruction"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")


class CaseFile(TimeStampedModel):
    """A file (hồ sơ công việc) with the Annex VI Part II.III metadata."""

    agency = models.ForeignKey("orgs.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year (FileCatalog)"))
    notation = models.CharField(_("file notation (FileNotation)"), max_length=20)
    title = models.CharField(_("title"), max_length=500)
    maintenance = models.CharField(_("retention period"), max_length=30, default="10 năm")
    rights = models.CharField(_("access regime"), max_length=30, default="Hạn chế")
    creator = models.CharField(_("creator"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=50, default="Tiếng Việt")
    description = models.CharField(_("description"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "-year", "notation"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [models.UniqueConstraint(fields=["agency", "year", "notation"], name="documents_casefile_unique")]

    def __str__(self) -> str:
        return f"{self.notation} {self.title}"
