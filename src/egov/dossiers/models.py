"""One-stop dossiers (hồ sơ một cửa): the dossier, its files, history, internal steps, the
apology with a new appointment (form 04), the daily code counters and the clock rules.

Rows are written only by `egov.dossiers.services`. `ClockRule` holds the legal rules of the
clock as effective-dated data (architecture invariant 6); every dossier records the rule
version and the calendar version its due dates were computed with (invariant 5).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel
from egov.dossiers.lifecycle import DVCQG_CODE, State


class SupplementRule(models.TextChoices):
    RESTART = "restart", _("The time limit restarts from the completed dossier")
    PAUSE = "pause", _("The clock pauses while the applicant supplements")


class ClockRule(models.Model):
    """The rules of the legal clock in force over a period (Decree 61/2018 for 2018 on)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    supplement_in_processing = models.CharField(
        _("supplement during processing"), max_length=10, choices=SupplementRule.choices
    )
    supplement_request_max_working_days = models.PositiveSmallIntegerField(
        _("working days to ask for a supplement during processing"), default=3
    )
    pause_for_payment = models.BooleanField(_("the clock pauses while a payment is awaited"), default=True)
    pause_when_stopped = models.BooleanField(_("the clock pauses while processing is stopped"), default=True)
    transfer_cutoff = models.TimeField(_("paper transfer cut-off"), default=datetime.time(15, 0))
    transfer_next_day_by = models.TimeField(_("transfer deadline on the next morning"), default=datetime.time(11, 30))
    apology_min_working_days = models.PositiveSmallIntegerField(
        _("apology at least this many working days before the due date"), default=1
    )
    apology_max_count = models.PositiveSmallIntegerField(_("how many times the date may be reset"), default=1)
    due_soon_working_days = models.PositiveSmallIntegerField(_("due soon within (working days)"), default=1)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("clock rule")
        verbose_name_plural = _("clock rules")

    def __str__(self) -> str:
        return self.code


class DossierCounter(models.Model):
    """The last sequence number issued by a receiving unit on a day (dossier codes, §5.2)."""

    unit_code = models.CharField(max_length=13)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit_code", "day"], name="dossiers_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day} {self.last}"


class ChannelKind(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")


# KENH of the national portal (vn-standards §5.4): 1 in person, 2 online, 3 post.
DVCQG_CHANNEL = {ChannelKind.COUNTER: 1, ChannelKind.ONLINE: 2, ChannelKind.POST: 3}


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    ORGANISATION = "organisation", _("Organisation")


class Timeliness(models.TextChoices):
    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


class DeadlineFlag(models.TextChoices):
    """Set by the deadline sweep (dossiers.tasks) on dossiers whose clock runs."""

    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class Dossier(TimeStampedModel):
    code = models.CharField(_("dossier code"), max_length=40, unique=True)
    procedure_version = models.ForeignKey(
        "procedures.ProcedureVersion", verbose_name=_("procedure version"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "procedures.ProcedureCase", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    channel_kind = models.CharField(_("channel"), max_length=8, choices=ChannelKind.choices)
    channel = models.ForeignKey("procedures.Channel", on_delete=models.PROTECT, null=True, related_name="+")
    applicant_kind = models.CharField(_("applicant type"), max_length=12, choices=ApplicantKind.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    applicant_national_id = models.CharField(_("identity number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    representative_name = models.CharField(_("representative"), max_length=200, blank=True)
    eform_data = models.JSONField(_("e-form data"), default=dict)
    fees_due = models.PositiveBigIntegerField(_("fees due (VND)"), default=0)
    fee_lines = models.JSONField(_("fees"), default=list)
    receiving_centre = models.ForeignKey(
        "orgs.Agency", verbose_name=_("receiving centre"), on_delete=models.PROTECT, related_name="+"
    )
    processing_agency = models.ForeignKey(
        "orgs.Agency", verbose_name=_("processing agency"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=24, choices=State.choices, db_index=True)
    resume_state = models.CharField(max_length=24, blank=True)
    supplement_phase = models.CharField(max_length=12, blank=True)  # "reception" | "processing"
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)  # approved | rejected
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    transfer_due_at = models.DateTimeField(_("transfer due at"), null=True, blank=True)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("result issued at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # the legal clock
    time_limit = models.DecimalField(_("time limit"), max_digits=7, decimal_places=2, null=True)
    time_unit = models.CharField(_("time unit"), max_length=16, blank=True)
    clock_rule = models.ForeignKey(ClockRule, on_delete=models.PROTECT, null=True, related_name="+")
    clock_started_at = models.DateTimeField(_("clock started at"), null=True, blank=True)
    legal_due_at = models.DateTimeField(_("legal due date"), null=True, blank=True, db_index=True)
    due_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    calendar_version = models.CharField(_("calendar version"), max_length=60, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    restarts = models.PositiveSmallIntegerField(_("clock restarts"), default=0)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices, blank=True)
    # the deadline sweep: due soon / overdue against `legal_due_at`, when, and for which due instant
    deadline_flag = models.CharField(_("deadline"), max_length=10, choices=DeadlineFlag.choices, blank=True)
    deadline_flagged_at = models.DateTimeField(null=True, blank=True)
    deadline_flag_due_at = models.DateTimeField(null=True, blank=True)
    result_delivery = models.CharField(_("result delivery"), max_length=8, choices=ChannelKind.choices, blank=True)
    idempotency_key = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=0)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="dossiers_idempotency_unique",
            )
        ]
        indexes = [
            models.Index(fields=["processing_agency", "status"], name="dossiers_agency_status_idx"),
            models.Index(fields=["receiving_centre", "status"], name="dossiers_centre_status_idx"),
            models.Index(fields=["received_at"], name="dossiers_received_idx"),
            models.Index(fields=["finished_at"], name="dossiers_finished_idx"),
            models.Index(fields=["deadline_flag", "processing_agency"], name="dossiers_deadline_idx"),
            models.Index(fields=["closed_at"], name="dossiers_closed_idx"),
            models.Index(fields=["returned_at"], name="dossiers_returned_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def dvcqg_status(self) -> int:
        return DVCQG_CODE[self.status]


class FileKind(models.TextChoices):
    APPLICANT = "applicant", _("Submitted by the applicant")
    RESULT = "result", _("Result")
    FORM = "form", _("Standard form")


def _upload_to(instance: DossierFile, filename: str) -> str:
    return f"dossiers/{instance.sha256[:2]}/{instance.sha256}"


class DossierFile(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="files")
    component = models.ForeignKey(
        "procedures.DossierComponent", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    form_code = models.CharField(_("form"), max_length=20, blank=True)
    name = models.CharField(_("file name"), max_length=200)
    content = models.FileField(upload_to=_upload_to, max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    signed = models.BooleanField(_("digitally signed"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("dossier file")
        verbose_name_plural = _("dossier files")

    def __str__(self) -> str:
        return self.name


class DossierEvent(models.Model):
    """One line of the history: a transition (or a clock event) with who, where and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(default=dict)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["dossier", "at", "id"]
        # the status at a period's end (statistics) is the last event of each dossier before it
        indexes = [models.Index(fields=["dossier", "at", "id"], name="dossiers_event_dossier_at_idx")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.action}"


class DossierStep(models.Model):
    """An internal step actually run (form 05 row) with its allotted time and timeliness."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    process_step = models.ForeignKey("procedures.ProcessStep", on_delete=models.PROTECT, null=True, related_name="+")
    role = models.CharField(max_length=20)
    name_vi = models.CharField(max_length=500)
    name_en = models.CharField(max_length=500, blank=True)
    agency = models.ForeignKey("orgs.Agency", on_delete=models.PROTECT, related_name="+")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    calendar_version = models.CharField(max_length=60, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=8, choices=Timeliness.choices, blank=True)
    # set by the deadline sweep when the step ran past `due_at` (stale once `due_at` moves past it)
    late_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.role}"


class Apology(models.Model):
    """Form 04: apology and new appointment, issued by the body at fault (Decree 61/2018 Art. 19(9))."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="apologies")
    number = models.PositiveSmallIntegerField(default=1)
    reason = models.TextField(_("reason"))
    agency_at_fault = models.ForeignKey(
        "orgs.Agency", verbose_name=_("agency at fault"), on_delete=models.PROTECT, related_name="+"
    )
    old_due_at = models.DateTimeField(_("old appointment"))
    new_due_at = models.DateTimeField(_("new appointment"))
    calendar_version = models.CharField(max_length=60)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="dossiers_apology_unique")]

    def __str__(self) -> str:
        return f"{self.dossier_id} #{self.number}"
