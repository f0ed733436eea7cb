"""The administrative-procedure catalogue (thủ tục hành chính, TTHC).

A `Procedure` is the stable identity (national code `d.dddddd`, vn-standards §7.2). Everything a
procedure says lives in a `ProcedureVersion` (and its child rows), which is immutable once
published: changing the law means a new version with a later effective date, and a dossier keeps
pointing at the version in force when it was received (`selectors.procedure_version_in_force`).

Rows are written only by `egov.procedures.services` (validated as a whole "spec" dict first, so a
bad version or a bad import changes nothing).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel

NATIONAL_CODE_RE = r"^[123]\.\d{6}$"
# national code + QCVN 102 agency code (+ optional sub-service suffix), e.g. 1.004227.000.00.00.H54.02
INSTANCE_CODE_RE = r"^[123]\.\d{6}\.\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}(\.\d{2})?$"

national_code_validator = RegexValidator(
    NATIONAL_CODE_RE, _("A national procedure code looks like 1.004227 (1, 2 or 3, a dot, six digits).")
)
instance_code_validator = RegexValidator(
    INSTANCE_CODE_RE, _("A provincial procedure code looks like 1.004227.000.00.00.H54 (optionally .02).")
)


class Level(models.TextChoices):
    """Cấp thực hiện: the level of government competent for the procedure."""

    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class Subject(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


class AgencyRole(models.TextChoices):
    IMPLEMENTING = "implementing", _("Implementing body")
    COMPETENT = "competent", _("Competent body")
    AUTHORISED = "authorised", _("Authorised body")
    COORDINATING = "coordinating", _("Coordinating body")


class ChannelKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    POST = "post", _("By post")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class StepTimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Fee (phí)")
    CHARGE = "charge", _("Charge (lệ phí)")


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    ORIGINAL_OR_COPY = "original_or_copy", _("Original or certified copy")


class StepRole(models.TextChoices):
    """The responsible role of an internal step (the values of `egov.orgs.models.Role`)."""

    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop officer")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Clerk")


class ProcedureField(TimeStampedModel):
    """Lĩnh vực: the field code list, effective-dated."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("procedure field")
        verbose_name_plural = _("procedure fields")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="procedures_field_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class ServiceLevelScheme(models.Model):
    """One legal scale of online service levels: Decree 43/2011 (L1–L4), Decree 42/2022
    (full/partial), Decree 224/2026 (proactive 1–4) — vn-standards §6.1, §12.3."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("service level scheme")
        verbose_name_plural = _("service level schemes")

    def __str__(self) -> str:
        return self.code


class ServiceLevel(models.Model):
    scheme = models.ForeignKey(ServiceLevelScheme, on_delete=models.PROTECT, related_name="levels")
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    requires_reason = models.BooleanField(_("requires a reason"), default=False)

    class Meta:
        ordering = ["scheme__valid_from", "order"]
        verbose_name = _("online service level")
        verbose_name_plural = _("online service levels")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="procedures_service_level_unique")]

    def __str__(self) -> str:
        return f"{self.scheme.code}:{self.code}"


class Procedure(TimeStampedModel):
    """The stable identity of a procedure: its national code."""

    code = models.CharField(_("national code"), max_length=8, unique=True, validators=[national_code_validator])

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(TimeStampedModel):
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    instance_code = models.CharField(
        _("provincial code"), max_length=30, db_index=True, validators=[instance_code_validator]
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    field = models.ForeignKey(ProcedureField, on_delete=models.PROTECT, related_name="versions")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    subjects = models.JSONField(_("subjects"), default=list)
    service_level = models.ForeignKey(
        ServiceLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    partial_reason = models.TextField(_("reason for partial online service"), blank=True)
    implementation_steps_vi = models.TextField(_("implementation steps (Vietnamese)"), blank=True)
    implementation_steps_en = models.TextField(_("implementation steps (English)"), blank=True)
    requirements_vi = models.TextField(_("requirements and conditions (Vietnamese)"), blank=True)
    requirements_en = models.TextField(_("requirements and conditions (English)"), blank=True)
    eform_schema = models.JSONField(_("e-form schema"), default=dict, blank=True)
    agencies: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "orgs.Agency", through="VersionAgency", related_name="+"
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["procedure__code", "number"]
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="procedures_version_number_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="procedures_version_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "effective_from"], name="procedures_version_force_idx")]

    def __str__(self) -> str:
        return f"{self.instance_code} v{self.number} {self.name_vi}"


class VersionAgency(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="agency_roles")
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=AgencyRole.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "agency", "role"], name="procedures_version_agency_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.agency_id}"


class ProcedureCase(models.Model):
    """Trường hợp: a distinct case with its own time limits, components and steps."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    code = models.CharField(_("code"), max_length=20)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="procedures_case_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class Channel(models.Model):
    """Cách thức thực hiện: a channel with its legal time limit (for one case, or all cases)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    time_limit = models.DecimalField(_("time limit"), max_digits=7, decimal_places=2)
    time_unit = models.CharField(_("time unit"), max_length=16, choices=TimeUnit.choices)
    description_vi = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.kind} {self.time_limit} {self.time_unit}"


class Fee(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="fees")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=FeeKind.choices)
    amount = models.PositiveBigIntegerField(_("amount (VND)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="VND")
    exemption_vi = models.TextField(_("exemptions (Vietnamese)"), blank=True)
    exemption_en = models.TextField(_("exemptions (English)"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["channel", "order"]

    def __str__(self) -> str:
        return f"{self.name_vi} {self.amount}"


class DossierComponent(models.Model):
    """Thành phần hồ sơ."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    code = models.CharField(_("code"), max_length=40)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    copy_kind = models.CharField(_("original or copy"), max_length=20, choices=CopyKind.choices)
    count = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    form_name = models.CharField(_("blank form"), max_length=300, blank=True)
    form_file = models.FileField(_("blank form file"), upload_to="procedures/forms/", blank=True, max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="procedures_component_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"


class ResultDocument(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="results")
    code = models.CharField(_("code"), max_length=40, blank=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name_vi


class LegalBasis(models.Model):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases")
    number = models.CharField(_("document number"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ProcessStep(models.Model):
    """Quy trình nội bộ: one step of the internal process (for one case, or all cases)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(_("order"))
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    role = models.CharField(_("responsible role"), max_length=20, choices=StepRole.choices)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    unit_name = models.CharField(_("unit"), max_length=300, blank=True)
    duration = models.DecimalField(_("allotted time"), max_digits=7, decimal_places=2)
    duration_unit = models.CharField(_("time unit"), max_length=16, choices=StepTimeUnit.choices)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name_vi}"
