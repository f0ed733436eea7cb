"""Agencies (cơ quan), their internal units (phòng, ban), administrative units (đơn vị hành
chính), level-1 identifier codes, and the staff memberships with their roles.

Everything carries effective dates: a closed agency keeps its row (and its code, which another
agency may reuse once the first is closed) and points at its successor. Writes go through
`egov.orgs.services`; the rules that need more than one row (code unique while in force, no
cycles) are checked there under a lock.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.common.models import TimeStampedModel

level1_validator = RegexValidator(r"^[A-Y]\d{2}$", _("A level-1 code is a letter A–Y and two digits, e.g. H54."))
qcvn102_validator = RegexValidator(
    r"^\d{3}\.\d{2}\.\d{2}\.[A-Y]\d{2}$", _("An identifier code in the QCVN 102 form looks like 000.00.00.H54.")
)
d20_validator = RegexValidator(
    r"^[A-Y]\d{2}(\.[0-9A-Z]+)*$", _("An identifier code in the Decision 20/2020 form looks like H54.01.")
)
gso_validator = RegexValidator(r"^\d{2,5}$", _("A GSO administrative unit code has 2 to 5 digits."))


def _dates_ordered(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")), name=name
    )


def in_force_q(on: datetime.date, prefix: str = "") -> Q:
    """Rows (with `valid_from`/`valid_to`) in force on `on`: both ends inclusive, no end = open."""
    return Q(**{f"{prefix}valid_from__lte": on}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": on})
    )


class BodyKind(models.TextChoices):
    CENTRAL = "G", _("Ministry or central agency")
    PROVINCIAL_PEOPLE_COMMITTEE = "H", _("Provincial People's Committee")
    PROVINCIAL_PEOPLE_COUNCIL = "K", _("Provincial People's Council")


class Level1Code(TimeStampedModel):
    """A level-1 identifier code (Decision 20/2020 Annex I; QCVN 102:2016 before it)."""

    code = models.CharField(_("code"), max_length=3, unique=True, validators=[level1_validator])
    body_kind = models.CharField(_("kind of body"), max_length=1, choices=BodyKind.choices)
    locality = models.CharField(
        _("locality"), max_length=100, blank=True, help_text=_("Province or city name, for provincial bodies.")
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    inferred = models.BooleanField(
        _("inferred"), default=False, help_text=_("Derived from a rule, not read in the official list.")
    )
    source_note = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("level-1 code")
        verbose_name_plural = _("level-1 codes")
        constraints = [_dates_ordered("orgs_level1_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class AdministrativeLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class AdministrativeUnit(TimeStampedModel):
    """An administrative unit with its GSO code (Decision 124/2004/QĐ-TTg)."""

    gso_code = models.CharField(_("GSO code"), max_length=5, unique=True, validators=[gso_validator])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=AdministrativeLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("successor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["gso_code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [_dates_ordered("orgs_adminunit_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.gso_code} {self.name}"


class AgencyKind(models.TextChoices):
    PROVINCIAL_PEOPLE_COMMITTEE = "provincial_people_committee", _("Provincial People's Committee")
    DISTRICT_PEOPLE_COMMITTEE = "district_people_committee", _("District People's Committee")
    COMMUNE_PEOPLE_COMMITTEE = "commune_people_committee", _("Commune People's Committee")
    PEOPLE_COUNCIL = "people_council", _("People's Council")
    DEPARTMENT = "department", _("Department")
    OFFICE = "office", _("Office")
    INSPECTORATE = "inspectorate", _("Inspectorate")
    BOARD = "board", _("Board")
    PUBLIC_ADMINISTRATION_CENTRE = "public_administration_centre", _("Public administration service centre")
    ONE_STOP_UNIT = "one_stop_unit", _("One-stop unit")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")
    OTHER = "other", _("Other")


class Agency(TimeStampedModel):
    """A body with an identifier code: a People's Committee, a department, a centre…"""

    code = models.CharField(_("code (QCVN 102)"), max_length=13, db_index=True, validators=[qcvn102_validator])
    code_d20 = models.CharField(_("code (Decision 20/2020)"), max_length=35, db_index=True, validators=[d20_validator])
    level1 = models.ForeignKey(
        Level1Code, verbose_name=_("level-1 code"), on_delete=models.PROTECT, related_name="agencies", editable=False
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=150, blank=True)
    abbreviation = models.CharField(
        _("abbreviation"), max_length=30, blank=True, help_text=_("Used in document notations, e.g. UBND, STTTT.")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [_dates_ordered("orgs_agency_dates_ordered")]
        indexes = [models.Index(fields=["code", "valid_from"], name="orgs_agency_code_from_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class Unit(TimeStampedModel):
    """An internal unit of an agency (phòng, ban) — no identifier code of its own."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    short_code = models.CharField(
        _("short code"), max_length=30, blank=True, help_text=_("Used in document notations, e.g. CNTT.")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["agency", "name_vi"]
        verbose_name = _("internal unit")
        verbose_name_plural = _("internal units")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "short_code"], condition=~Q(short_code=""), name="orgs_unit_short_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name_vi


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    ONE_STOP_OFFICER = "one_stop_officer", _("One-stop officer")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class Membership(TimeStampedModel):
    """A staff member working for an agency (optionally in one of its units) over a period."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        ordering = ["agency", "valid_from", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [_dates_ordered("orgs_membership_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.agency_id} ({self.position})"

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class MembershipRole(models.Model):
    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        ordering = ["membership", "role"]
        verbose_name = _("membership role")
        verbose_name_plural = _("membership roles")
        constraints = [models.UniqueConstraint(fields=["membership", "role"], name="orgs_membership_role_unique")]

    def __str__(self) -> str:
        return self.role
