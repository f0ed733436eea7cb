"""Writes: agencies, their units, administrative units, level-1 codes and memberships.

Every service validates everything first (raising `EgovError`, so nothing changes on bad input),
then writes and records its audit entry in the same transaction. Rules and their sources:

- identifier codes in both forms (QCVN 102:2016; Decision 20/2020/QĐ-TTg Art. 4), kept in
  agreement; the level-1 code must exist and be in force (Decision 20/2020 Annex I);
- a code names one agency at a time: two agencies may share it only over disjoint periods
  (checked under a row lock on the level-1 code, which serialises writers of one province);
- no agency is its own ancestor; ``valid_to >= valid_from``; a successor is in force the day
  after its predecessor closes (Decision 09/2025/QĐ-TTg: merged bodies hand over their work).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import audit_record
from egov.common.errors import EgovError
from egov.common.text import fold, nfc
from egov.orgs import succession
from egov.orgs.codes import LEVEL1_RE, CodeError, ParsedCode, parse_d20, parse_qcvn102
from egov.orgs.errors import OrgsErrorCode
from egov.orgs.models import (
    AdministrativeLevel,
    AdministrativeUnit,
    Agency,
    AgencyKind,
    BodyKind,
    Level1Code,
    Membership,
    MembershipRole,
    Role,
    Unit,
)
from egov.orgs.selectors import agency_find

ONE_DAY = datetime.timedelta(days=1)
_UNSET: Any = object()

AGENCY_FIELDS = (
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
    "valid_to",
    "successor",
)


# --- helpers -----------------------------------------------------------------------------------


def _err(error: OrgsErrorCode, message: Any, field: str | None = None, /, **params: Any) -> EgovError:
    return EgovError(error, message, field=field, params=params or None)


def _check_dates(valid_from: Any, valid_to: Any, field: str = "valid_to") -> datetime.date:
    """Returns the start date once both dates are known to be in order."""
    if not isinstance(valid_from, datetime.date):
        raise _err(OrgsErrorCode.INVALID_DATES, _("A start date is required."), "valid_from")
    if valid_to is not None and (not isinstance(valid_to, datetime.date) or valid_to < valid_from):
        raise _err(OrgsErrorCode.INVALID_DATES, _("The end date cannot be before the start date."), field)
    return valid_from


def _text(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise _err(OrgsErrorCode.NAME_REQUIRED, _("This name is required."), field)
    if len(text) > max_length:
        raise _err(
            OrgsErrorCode.TEXT_TOO_LONG,
            _("This text is longer than %(max)s characters."),
            field,
            max=max_length,
        )
    return text


def parse_codes(code: str | None, code_d20: str | None) -> ParsedCode:
    """Validate the two forms of an identifier code and check that they name the same unit."""
    given_102 = (code or "").strip().upper()
    given_d20 = (code_d20 or "").strip().upper()
    if not given_102 and not given_d20:
        raise _err(OrgsErrorCode.INVALID_CODE, _("An identifier code is required."), "code")
    parsed_102 = parsed_d20 = None
    if given_102:
        try:
            parsed_102 = parse_qcvn102(given_102)
        except CodeError:
            raise _err(
                OrgsErrorCode.INVALID_CODE,
                _("%(code)s is not a valid identifier code in the QCVN 102 form (e.g. 000.00.01.H54)."),
                "code",
                code=given_102,
            ) from None
    if given_d20:
        try:
            parsed_d20 = parse_d20(given_d20)
        except CodeError:
            raise _err(
                OrgsErrorCode.INVALID_CODE,
                _("%(code)s is not a valid identifier code in the Decision 20/2020 form (e.g. H54.01)."),
                "code_d20",
                code=given_d20,
            ) from None
    if parsed_102 and parsed_d20 and parsed_102 != parsed_d20:
        raise _err(
            OrgsErrorCode.CODE_MISMATCH,
            _("The two codes %(code)s and %(code_d20)s do not name the same unit."),
            "code_d20",
            code=given_102,
            code_d20=given_d20,
        )
    result = parsed_102 or parsed_d20
    assert result is not None
    return result


def _lock_level1(parsed: ParsedCode, on: datetime.date) -> Level1Code:
    level1 = Level1Code.objects.select_for_update().filter(code=parsed.level1).first()
    if level1 is None:
        raise _err(
            OrgsErrorCode.LEVEL1_UNKNOWN, _("The level-1 code %(level1)s is not known."), "code", level1=parsed.level1
        )
    if not level1.in_force_on(on):
        raise _err(
            OrgsErrorCode.LEVEL1_NOT_IN_FORCE,
            _("The level-1 code %(level1)s is not in force on %(day)s."),
            "code",
            level1=parsed.level1,
            day=on.isoformat(),
        )
    return level1


def _check_code_free(
    code: str, valid_from: datetime.date, valid_to: datetime.date | None, exclude_pk: int | None
) -> None:
    """Call with the level-1 row locked: a code names one agency at a time."""
    overlapping = Agency.objects.filter(code=code)
    if valid_to is not None:
        overlapping = overlapping.filter(valid_from__lte=valid_to)
    overlapping = overlapping.exclude(valid_to__lt=valid_from)
    if exclude_pk is not None:
        overlapping = overlapping.exclude(pk=exclude_pk)
    other = overlapping.first()
    if other is not None:
        raise _err(
            OrgsErrorCode.DUPLICATE_CODE,
            _("The code %(code)s is already used by “%(name)s” over an overlapping period."),
            "code",
            code=code,
            name=other.name_vi,
        )


def _resolve_agency(
    value: Agency | str | None, *, on: datetime.date, field: str, unknown: OrgsErrorCode
) -> Agency | None:
    if value is None or value == "":
        return None
    if isinstance(value, Agency):
        return value
    found = agency_find(str(value), on=on)
    if found is None:
        raise _err(unknown, _("No agency has the code %(code)s."), field, code=str(value))
    return found


def _resolve_admin_unit(value: AdministrativeUnit | str | None) -> AdministrativeUnit | None:
    if value is None or value == "":
        return None
    if isinstance(value, AdministrativeUnit):
        return value
    found = AdministrativeUnit.objects.filter(gso_code=str(value).strip()).first()
    if found is None:
        raise _err(
            OrgsErrorCode.ADMINISTRATIVE_UNIT_UNKNOWN,
            _("No administrative unit has the GSO code %(code)s."),
            "administrative_unit",
            code=str(value),
        )
    return found


def _check_parent(agency_pk: int | None, parent: Agency | None, valid_from: datetime.date) -> None:
    if parent is None:
        return
    if agency_pk is not None:
        cursor: Agency | None = parent
        seen: set[int] = set()
        while cursor is not None and cursor.pk not in seen:
            if cursor.pk == agency_pk:
                raise _err(
                    OrgsErrorCode.CYCLE, _("An agency cannot be placed under itself or its own sub-agency."), "parent"
                )
            seen.add(cursor.pk)
            cursor = Agency.objects.filter(pk=cursor.parent_id).first() if cursor.parent_id else None
    if not parent.in_force_on(valid_from):
        raise _err(
            OrgsErrorCode.PARENT_NOT_IN_FORCE,
            _("The parent agency %(code)s is not in force on %(day)s."),
            "parent",
            code=parent.code,
            day=valid_from.isoformat(),
        )


def _check_successor(agency_pk: int | None, successor: Agency | None, valid_to: datetime.date | None) -> None:
    if successor is None:
        return
    if valid_to is None:
        raise _err(OrgsErrorCode.SUCCESSOR_INVALID, _("Only a closed agency has a successor."), "successor")
    cursor: Agency | None = successor
    seen: set[int] = set()
    while cursor is not None and cursor.pk not in seen:
        if agency_pk is not None and cursor.pk == agency_pk:
            raise _err(OrgsErrorCode.SUCCESSOR_INVALID, _("An agency cannot succeed itself."), "successor")
        seen.add(cursor.pk)
        cursor = Agency.objects.filter(pk=cursor.successor_id).first() if cursor.successor_id else None
    takeover = valid_to + ONE_DAY
    if not successor.in_force_on(takeover):
        raise _err(
            OrgsErrorCode.SUCCESSOR_NOT_IN_FORCE,
            _("The successor %(code)s is not in force on %(day)s, the day after the closing date."),
            "successor",
            code=successor.code,
            day=takeover.isoformat(),
        )


def _check_contacts(email: str, website: str) -> None:
    for field_name, value, validator in (
        ("email", email, EmailValidator()),
        ("website", website, URLValidator(schemes=["http", "https"])),
    ):
        if not value:
            continue
        try:
            validator(value)
        except ValidationError:
            raise _err(
                OrgsErrorCode.INVALID_CONTACT, _("The e-mail address or website is not valid."), field_name
            ) from None


def agency_search_text(agency: Agency) -> str:
    parts = [agency.name_vi, agency.name_en, agency.short_name, agency.abbreviation, agency.code, agency.code_d20]
    return fold(" ".join(p for p in parts if p))


def agency_snapshot(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "code_d20": agency.code_d20,
        "name_vi": agency.name_vi,
        "name_en": agency.name_en,
        "short_name": agency.short_name,
        "abbreviation": agency.abbreviation,
        "kind": agency.kind,
        "parent": agency.parent.code if agency.parent_id and agency.parent else None,
        "administrative_unit": agency.administrative_unit.gso_code
        if agency.administrative_unit_id and agency.administrative_unit
        else None,
        "address": agency.address,
        "phone": agency.phone,
        "email": agency.email,
        "website": agency.website,
        "valid_from": agency.valid_from,
        "valid_to": agency.valid_to,
        "successor": agency.successor.code if agency.successor_id and agency.successor else None,
    }


def _validated_agency(current: Agency | None, values: Mapping[str, Any]) -> tuple[Agency, Level1Code]:
    """Build (without saving) the agency `values` describe, checking every rule. Locks the level-1 row."""
    candidate = Agency() if current is None else Agency.objects.select_for_update().get(pk=current.pk)
    pk = None if current is None else current.pk
    parsed = parse_codes(values.get("code"), values.get("code_d20"))
    valid_to = values.get("valid_to")
    valid_from = _check_dates(values.get("valid_from"), valid_to)
    kind = values.get("kind")
    if kind not in AgencyKind.values:
        raise _err(OrgsErrorCode.INVALID_KIND, _("%(kind)s is not a kind of agency."), "kind", kind=str(kind))
    name_vi = _text(values.get("name_vi"), "name_vi", 300, required=True)
    name_en = _text(values.get("name_en"), "name_en", 300)
    short_name = _text(values.get("short_name"), "short_name", 150)
    abbreviation = _text(values.get("abbreviation"), "abbreviation", 30)
    address = _text(values.get("address"), "address", 300)
    phone = _text(values.get("phone"), "phone", 30)
    email = _text(values.get("email"), "email", 254)
    website = _text(values.get("website"), "website", 200)
    _check_contacts(email, website)
    parent = _resolve_agency(values.get("parent"), on=valid_from, field="parent", unknown=OrgsErrorCode.PARENT_UNKNOWN)
    _check_parent(pk, parent, valid_from)
    takeover = valid_to + ONE_DAY if valid_to else valid_from
    successor = _resolve_agency(
        values.get("successor"), on=takeover, field="successor", unknown=OrgsErrorCode.SUCCESSOR_UNKNOWN
    )
    _check_successor(pk, successor, valid_to)
    admin_unit = _resolve_admin_unit(values.get("administrative_unit"))
    level1 = _lock_level1(parsed, valid_from)
    _check_code_free(parsed.qcvn102, valid_from, valid_to, pk)

    candidate.code = parsed.qcvn102
    candidate.code_d20 = parsed.d20
    candidate.level1 = level1
    candidate.name_vi = name_vi
    candidate.name_en = name_en
    candidate.short_name = short_name
    candidate.abbreviation = abbreviation
    candidate.kind = kind
    candidate.parent = parent
    candidate.administrative_unit = admin_unit
    candidate.address = address
    candidate.phone = phone
    candidate.email = email
    candidate.website = website
    candidate.valid_from = valid_from
    candidate.valid_to = valid_to
    candidate.successor = successor
    candidate.search_text = agency_search_text(candidate)
    return candidate, level1


# --- agencies ----------------------------------------------------------------------------------


@transaction.atomic
def agency_create(
    *,
    actor: Any,
    code: str | None = None,
    code_d20: str | None = None,
    name_vi: str,
    kind: str,
    valid_from: datetime.date,
    name_en: str = "",
    short_name: str = "",
    abbreviation: str = "",
    parent: Agency | str | None = None,
    administrative_unit: AdministrativeUnit | str | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    website: str = "",
    valid_to: datetime.date | None = None,
    successor: Agency | str | None = None,
) -> Agency:
    """Create an agency. `code` and/or `code_d20` (either suffices; the other is derived)."""
    values = {k: v for k, v in locals().items() if k in AGENCY_FIELDS}
    agency, _level1 = _validated_agency(None, values)
    agency.save()
    audit_record(
        actor=actor,
        action="orgs.agency_create",
        target=agency,
        after=agency_snapshot(agency),
        agency_code=agency.code,
    )
    return agency


@transaction.atomic
def agency_update(*, actor: Any, agency: Agency, **changes: Any) -> Agency:
    """Change any of AGENCY_FIELDS except the closing ones (see `agency_close`). Giving only one
    of `code`/`code_d20` re-derives the other. No change, no write, no audit record."""
    unknown = set(changes) - set(AGENCY_FIELDS) - {"valid_to", "successor"}
    if unknown or "valid_to" in changes or "successor" in changes:
        raise TypeError(f"agency_update() cannot change {sorted(unknown | ({'valid_to', 'successor'} & set(changes)))}")
    current = Agency.objects.select_related("parent", "successor", "administrative_unit").get(pk=agency.pk)
    before = agency_snapshot(current)
    values: dict[str, Any] = {**before, "parent": current.parent, "successor": current.successor}
    values["administrative_unit"] = current.administrative_unit
    if "code" in changes and "code_d20" not in changes:
        values["code_d20"] = None
    if "code_d20" in changes and "code" not in changes:
        values["code"] = None
    values.update(changes)
    candidate, _level1 = _validated_agency(current, values)
    after = agency_snapshot(candidate)
    if after == before:
        return candidate
    candidate.save()
    audit_record(
        actor=actor,
        action="orgs.agency_update",
        target=candidate,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        agency_code=candidate.code,
    )
    return candidate


@transaction.atomic
def agency_close(
    *,
    actor: Any,
    agency: Agency,
    valid_to: datetime.date,
    successor: Agency | str | None = None,
    reason: str,
    transfer_staff: bool = False,
) -> Agency:
    """Close an agency on `valid_to` (its last day), optionally naming the successor that takes
    over the next day. Memberships still open end on `valid_to`; with `transfer_staff` they
    continue at the successor (same position and roles, no unit). Internal units are
    deactivated. With a successor, every registered succession handler hands over open work."""
    current = Agency.objects.select_for_update(of=("self",)).select_related("parent", "successor").get(pk=agency.pk)
    reason_text = nfc(reason or "").strip()
    if current.valid_to is not None:
        raise _err(
            OrgsErrorCode.ALREADY_CLOSED,
            _("The agency %(code)s was already closed on %(day)s."),
            "valid_to",
            code=current.code,
            day=current.valid_to.isoformat(),
        )
    if not isinstance(valid_to, datetime.date):
        raise _err(OrgsErrorCode.INVALID_DATES, _("A closing date is required."), "valid_to")
    _check_dates(current.valid_from, valid_to)
    if not reason_text:
        raise _err(OrgsErrorCode.REASON_REQUIRED, _("Give the reason for closing the agency."), "reason")
    takeover = valid_to + ONE_DAY
    new = _resolve_agency(successor, on=takeover, field="successor", unknown=OrgsErrorCode.SUCCESSOR_UNKNOWN)
    _check_successor(current.pk, new, valid_to)
    if transfer_staff and new is None:
        raise _err(
            OrgsErrorCode.SUCCESSOR_INVALID, _("Staff can only be transferred to a successor."), "transfer_staff"
        )
    late = Membership.objects.filter(agency=current, valid_from__gt=valid_to)
    if late.exists():
        raise _err(
            OrgsErrorCode.INVALID_DATES,
            _("Some memberships of this agency start after the closing date; end or change them first."),
            "valid_to",
        )

    before = agency_snapshot(current)
    current.valid_to = valid_to
    current.successor = new
    current.save(update_fields=["valid_to", "successor", "updated_at"])
    open_memberships = list(
        Membership.objects.select_for_update()
        .filter(agency=current)
        .exclude(valid_to__lte=valid_to)
        .prefetch_related("roles")
        .order_by("id")
    )
    ended = [m.pk for m in open_memberships]
    Membership.objects.filter(pk__in=ended).update(valid_to=valid_to, updated_at=timezone.now())
    moved: list[int] = []
    if transfer_staff and new is not None:
        for old in open_memberships:
            clash = (
                Membership.objects.filter(user_id=old.user_id, agency=new, unit__isnull=True)
                .exclude(valid_to__lt=takeover)
                .exists()
            )
            if clash:
                continue
            copy = Membership.objects.create(
                user_id=old.user_id,
                agency=new,
                unit=None,
                position=old.position,
                valid_from=takeover,
                valid_to=None,
                is_primary=old.is_primary,
            )
            MembershipRole.objects.bulk_create([MembershipRole(membership=copy, role=r.role) for r in old.roles.all()])
            moved.append(copy.pk)
    deactivated = list(Unit.objects.filter(agency=current, active=True).values_list("pk", flat=True))
    Unit.objects.filter(pk__in=deactivated).update(active=False, updated_at=timezone.now())
    handlers = succession.run_handlers(current, new, takeover, actor) if new is not None else []
    audit_record(
        actor=actor,
        action="orgs.agency_close",
        target=current,
        before={"valid_to": before["valid_to"], "successor": before["successor"]},
        after={
            "valid_to": valid_to,
            "successor": new.code if new else None,
            "reason": reason_text,
            "memberships_ended": ended,
            "memberships_created_at_successor": moved,
            "units_deactivated": deactivated,
            "handlers": handlers,
        },
        agency_code=current.code,
    )
    return current


@transaction.atomic
def agency_set_successor(*, actor: Any, agency: Agency, successor: Agency | str, reason: str) -> Agency:
    """Name the successor of an agency closed without one (the successor may be set up only
    after the closing, e.g. when it reuses the closed agency's code). Hands over open work."""
    current = Agency.objects.select_for_update(of=("self",)).select_related("successor").get(pk=agency.pk)
    reason_text = nfc(reason or "").strip()
    if current.valid_to is None:
        raise _err(OrgsErrorCode.SUCCESSOR_INVALID, _("Only a closed agency has a successor."), "successor")
    if current.successor_id is not None:
        raise _err(
            OrgsErrorCode.SUCCESSOR_INVALID,
            _("The agency %(code)s already has a successor."),
            "successor",
            code=current.code,
        )
    if not reason_text:
        raise _err(OrgsErrorCode.REASON_REQUIRED, _("Give the reason for closing the agency."), "reason")
    takeover = current.valid_to + ONE_DAY
    new = _resolve_agency(successor, on=takeover, field="successor", unknown=OrgsErrorCode.SUCCESSOR_UNKNOWN)
    assert new is not None
    _check_successor(current.pk, new, current.valid_to)
    current.successor = new
    current.save(update_fields=["successor", "updated_at"])
    handlers = succession.run_handlers(current, new, takeover, actor)
    audit_record(
        actor=actor,
        action="orgs.agency_set_successor",
        target=current,
        before={"successor": None},
        after={"successor": new.code, "reason": reason_text, "handlers": handlers},
        agency_code=current.code,
    )
    return current


# --- internal units ----------------------------------------------------------------------------


def _unit_snapshot(unit: Unit) -> dict[str, Any]:
    return {
        "agency": unit.agency.code,
        "name_vi": unit.name_vi,
        "name_en": unit.name_en,
        "short_code": unit.short_code,
        "parent": unit.parent_id,
        "active": unit.active,
    }


def _validated_unit(current: Unit | None, values: Mapping[str, Any]) -> Unit:
    unit = Unit() if current is None else Unit.objects.select_for_update().get(pk=current.pk)
    agency = values["agency"]
    if not isinstance(agency, Agency):
        raise _err(OrgsErrorCode.NOT_FOUND, _("The agency is required."), "agency")
    name_vi = _text(values.get("name_vi"), "name_vi", 300, required=True)
    name_en = _text(values.get("name_en"), "name_en", 300)
    short_code = _text(values.get("short_code"), "short_code", 30).upper()
    parent = values.get("parent")
    if parent is not None:
        if parent.agency_id != agency.pk:
            raise _err(OrgsErrorCode.UNIT_MISMATCH, _("The parent unit belongs to another agency."), "parent")
        cursor: Unit | None = parent
        seen: set[int] = set()
        while cursor is not None and cursor.pk not in seen:
            if current is not None and cursor.pk == current.pk:
                raise _err(
                    OrgsErrorCode.CYCLE, _("A unit cannot be placed under itself or its own sub-unit."), "parent"
                )
            seen.add(cursor.pk)
            cursor = cursor.parent
    if short_code:
        clash = Unit.objects.filter(agency=agency, short_code=short_code)
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            raise _err(
                OrgsErrorCode.DUPLICATE_UNIT_CODE,
                _("Another unit of this agency already uses the short code %(code)s."),
                "short_code",
                code=short_code,
            )
    unit.agency = agency
    unit.name_vi = name_vi
    unit.name_en = name_en
    unit.short_code = short_code
    unit.parent = parent
    unit.active = bool(values.get("active", True))
    return unit


@transaction.atomic
def unit_create(
    *,
    actor: Any,
    agency: Agency,
    name_vi: str,
    name_en: str = "",
    short_code: str = "",
    parent: Unit | None = None,
    active: bool = True,
) -> Unit:
    unit = _validated_unit(None, locals())
    unit.save()
    audit_record(
        actor=actor, action="orgs.unit_create", target=unit, after=_unit_snapshot(unit), agency_code=agency.code
    )
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **changes: Any) -> Unit:
    allowed = {"name_vi", "name_en", "short_code", "parent", "active"}
    if set(changes) - allowed:
        raise TypeError(f"unit_update() cannot change {sorted(set(changes) - allowed)}")
    current = Unit.objects.select_related("agency", "parent").get(pk=unit.pk)
    before = _unit_snapshot(current)
    values = {
        "agency": current.agency,
        "name_vi": current.name_vi,
        "name_en": current.name_en,
        "short_code": current.short_code,
        "parent": current.parent,
        "active": current.active,
        **changes,
    }
    candidate = _validated_unit(current, values)
    after = _unit_snapshot(candidate)
    if after == before:
        return candidate
    candidate.save()
    audit_record(
        actor=actor,
        action="orgs.unit_update",
        target=candidate,
        before=before,
        after=after,
        agency_code=candidate.agency.code,
    )
    return candidate


# --- administrative units ----------------------------------------------------------------------

_LEVEL_PARENT = {
    AdministrativeLevel.PROVINCE: None,
    AdministrativeLevel.DISTRICT: AdministrativeLevel.PROVINCE,
    AdministrativeLevel.COMMUNE: AdministrativeLevel.DISTRICT,
}


def _admin_unit_snapshot(unit: AdministrativeUnit) -> dict[str, Any]:
    return {
        "gso_code": unit.gso_code,
        "name": unit.name,
        "name_en": unit.name_en,
        "level": unit.level,
        "parent": unit.parent.gso_code if unit.parent_id and unit.parent else None,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "successor": unit.successor.gso_code if unit.successor_id and unit.successor else None,
    }


def _validated_admin_unit(current: AdministrativeUnit | None, values: Mapping[str, Any]) -> AdministrativeUnit:
    unit = (
        AdministrativeUnit() if current is None else AdministrativeUnit.objects.select_for_update().get(pk=current.pk)
    )
    gso_code = str(values.get("gso_code") or "").strip()
    if not gso_code.isdigit() or not 2 <= len(gso_code) <= 5:
        raise _err(
            OrgsErrorCode.INVALID_GSO_CODE,
            _("%(code)s is not a GSO administrative unit code (2 to 5 digits)."),
            "gso_code",
            code=gso_code,
        )
    clash = AdministrativeUnit.objects.filter(gso_code=gso_code)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise _err(
            OrgsErrorCode.DUPLICATE_GSO_CODE, _("The GSO code %(code)s is already used."), "gso_code", code=gso_code
        )
    level = values.get("level")
    if level not in AdministrativeLevel.values:
        raise _err(
            OrgsErrorCode.INVALID_LEVEL, _("%(level)s is not an administrative level."), "level", level=str(level)
        )
    parent = values.get("parent")
    if isinstance(parent, str):
        parent = _resolve_admin_unit(parent)
    expected = _LEVEL_PARENT[AdministrativeLevel(level)]
    if (parent is None) != (expected is None) or (parent is not None and parent.level != expected):
        raise _err(
            OrgsErrorCode.INVALID_LEVEL,
            _("A province has no parent; a district belongs to a province and a commune to a district."),
            "parent",
        )
    valid_from = _check_dates(values.get("valid_from"), values.get("valid_to"))
    successor = values.get("successor")
    if isinstance(successor, str):
        successor = _resolve_admin_unit(successor)
    if successor is not None and (values.get("valid_to") is None or (current and successor.pk == current.pk)):
        raise _err(OrgsErrorCode.SUCCESSOR_INVALID, _("Only a closed unit has a successor, never itself."), "successor")
    unit.gso_code = gso_code
    unit.name = _text(values.get("name"), "name", 200, required=True)
    unit.name_en = _text(values.get("name_en"), "name_en", 200)
    unit.level = level
    unit.parent = parent
    unit.valid_from = valid_from
    unit.valid_to = values.get("valid_to")
    unit.successor = successor
    return unit


@transaction.atomic
def administrative_unit_create(
    *,
    actor: Any,
    gso_code: str,
    name: str,
    level: str,
    valid_from: datetime.date,
    name_en: str = "",
    parent: AdministrativeUnit | str | None = None,
    valid_to: datetime.date | None = None,
    successor: AdministrativeUnit | str | None = None,
) -> AdministrativeUnit:
    unit = _validated_admin_unit(None, locals())
    unit.save()
    audit_record(actor=actor, action="orgs.administrative_unit_create", target=unit, after=_admin_unit_snapshot(unit))
    return unit


@transaction.atomic
def administrative_unit_update(*, actor: Any, unit: AdministrativeUnit, **changes: Any) -> AdministrativeUnit:
    allowed = {"gso_code", "name", "name_en", "level", "parent", "valid_from", "valid_to", "successor"}
    if set(changes) - allowed:
        raise TypeError(f"administrative_unit_update() cannot change {sorted(set(changes) - allowed)}")
    current = AdministrativeUnit.objects.select_related("parent", "successor").get(pk=unit.pk)
    before = _admin_unit_snapshot(current)
    values = {
        "gso_code": current.gso_code,
        "name": current.name,
        "name_en": current.name_en,
        "level": current.level,
        "parent": current.parent,
        "valid_from": current.valid_from,
        "valid_to": current.valid_to,
        "successor": current.successor,
        **changes,
    }
    candidate = _validated_admin_unit(current, values)
    after = _admin_unit_snapshot(candidate)
    if after == before:
        return candidate
    candidate.save()
    audit_record(actor=actor, action="orgs.administrative_unit_update", target=candidate, before=before, after=after)
    return candidate


# --- level-1 codes -----------------------------------------------------------------------------


def _level1_snapshot(row: Level1Code) -> dict[str, Any]:
    return {
        "code": row.code,
        "body_kind": row.body_kind,
        "locality": row.locality,
        "name_vi": row.name_vi,
        "name_en": row.name_en,
        "valid_from": row.valid_from,
        "valid_to": row.valid_to,
        "successor": row.successor.code if row.successor_id and row.successor else None,
        "inferred": row.inferred,
        "source_note": row.source_note,
    }


def _validated_level1(current: Level1Code | None, values: Mapping[str, Any]) -> Level1Code:
    row = Level1Code() if current is None else Level1Code.objects.select_for_update().get(pk=current.pk)
    code = str(values.get("code") or "").strip().upper()
    if not LEVEL1_RE.match(code):
        raise _err(OrgsErrorCode.INVALID_CODE, _("A level-1 code is a letter A–Y and two digits, e.g. H54."), "code")
    clash = Level1Code.objects.filter(code=code)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise _err(OrgsErrorCode.DUPLICATE_CODE, _("The level-1 code %(code)s already exists."), "code", code=code)
    body_kind = values.get("body_kind")
    if body_kind not in BodyKind.values or code[0] != body_kind:
        raise _err(
            OrgsErrorCode.INVALID_KIND,
            _("The kind of body must match the letter of the level-1 code."),
            "body_kind",
        )
    valid_to = values.get("valid_to")
    valid_from = _check_dates(values.get("valid_from"), valid_to)
    successor = values.get("successor")
    if successor is not None and (valid_to is None or (current is not None and successor.pk == current.pk)):
        raise _err(OrgsErrorCode.SUCCESSOR_INVALID, _("Only a closed code has a successor, never itself."), "successor")
    if successor is not None and valid_to is not None and not successor.in_force_on(valid_to + ONE_DAY):
        raise _err(
            OrgsErrorCode.SUCCESSOR_NOT_IN_FORCE,
            _("The successor %(code)s is not in force on %(day)s, the day after the closing date."),
            "successor",
            code=successor.code,
            day=(valid_to + ONE_DAY).isoformat(),
        )
    row.code = code
    row.body_kind = body_kind
    row.locality = _text(values.get("locality"), "locality", 100)
    row.name_vi = _text(values.get("name_vi"), "name_vi", 300, required=True)
    row.name_en = _text(values.get("name_en"), "name_en", 300)
    row.valid_from = valid_from
    row.valid_to = valid_to
    row.successor = successor
    row.inferred = bool(values.get("inferred"))
    row.source_note = str(values.get("source_note") or "").strip()
    return row


@transaction.atomic
def level1_create(
    *,
    actor: Any,
    code: str,
    body_kind: str,
    name_vi: str,
    valid_from: datetime.date,
    name_en: str = "",
    locality: str = "",
    valid_to: datetime.date | None = None,
    successor: Level1Code | None = None,
    inferred: bool = False,
    source_note: str = "",
) -> Level1Code:
    row = _validated_level1(None, locals())
    row.save()
    audit_record(actor=actor, action="orgs.level1_create", target=row, after=_level1_snapshot(row))
    return row


@transaction.atomic
def level1_update(*, actor: Any, level1: Level1Code, **changes: Any) -> Level1Code:
    current = Level1Code.objects.select_related("successor").get(pk=level1.pk)
    before = _level1_snapshot(current)
    values = {**before, "successor": current.successor, **changes}
    candidate = _validated_level1(current, values)
    after = _level1_snapshot(candidate)
    if after == before:
        return candidate
    candidate.save()
    audit_record(actor=actor, action="orgs.level1_update", target=candidate, before=before, after=after)
    return candidate


# --- memberships -------------------------------------------------------------------------------


def _membership_snapshot(m: Membership, roles: Iterable[str]) -> dict[str, Any]:
    return {
        "user": m.user.get_username(),
        "agency": m.agency.code,
        "unit": m.unit_id,
        "position": m.position,
        "valid_from": m.valid_from,
        "valid_to": m.valid_to,
        "is_primary": m.is_primary,
        "roles": sorted(roles),
    }


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted({str(r) for r in roles})
    for role in cleaned:
        if role not in Role.values:
            raise _err(OrgsErrorCode.INVALID_ROLE, _("%(role)s is not a role."), "roles", role=role)
    return cleaned


def _validated_membership(current: Membership | None, values: Mapping[str, Any]) -> Membership:
    m = Membership() if current is None else Membership.objects.select_for_update().get(pk=current.pk)
    user = values["user"]
    agency: Agency = values["agency"]
    if getattr(user, "kind", "staff") != "staff":
        raise _err(OrgsErrorCode.NOT_STAFF, _("Only staff accounts can belong to an agency."), "user")
    valid_to = values.get("valid_to")
    valid_from = _check_dates(values.get("valid_from"), valid_to)
    if not agency.in_force_on(valid_from) or (
        agency.valid_to is not None and (valid_to is None or valid_to > agency.valid_to)
    ):
        raise _err(
            OrgsErrorCode.AGENCY_NOT_IN_FORCE,
            _("The agency %(code)s is not in force over the whole membership."),
            "agency",
            code=agency.code,
        )
    unit = values.get("unit")
    kept_unit = current is not None and unit is not None and current.unit_id == unit.pk
    if unit is not None and (unit.agency_id != agency.pk or not (unit.active or kept_unit)):
        raise _err(OrgsErrorCode.UNIT_MISMATCH, _("The unit is not an active unit of this agency."), "unit")
    overlap = Membership.objects.filter(user_id=user.pk, agency=agency, unit=unit).exclude(valid_to__lt=valid_from)
    if valid_to is not None:
        overlap = overlap.filter(valid_from__lte=valid_to)
    if current is not None:
        overlap = overlap.exclude(pk=current.pk)
    if overlap.exists():
        raise _err(
            OrgsErrorCode.DUPLICATE_MEMBERSHIP,
            _("This person already belongs to this agency (and unit) over an overlapping period."),
            "agency",
        )
    m.user = user
    m.agency = agency
    m.unit = unit
    m.position = _text(values.get("position"), "position", 150)
    m.valid_from = valid_from
    m.valid_to = valid_to
    m.is_primary = bool(values.get("is_primary"))
    return m


def _clear_other_primaries(m: Membership) -> list[int]:
    if not m.is_primary:
        return []
    others = Membership.objects.filter(user_id=m.user_id, is_primary=True).exclude(pk=m.pk)
    others = others.exclude(valid_to__lt=m.valid_from)
    if m.valid_to is not None:
        others = others.filter(valid_from__lte=m.valid_to)
    ids = list(others.values_list("pk", flat=True))
    Membership.objects.filter(pk__in=ids).update(is_primary=False, updated_at=timezone.now())
    return ids


@transaction.atomic
def membership_create(
    *,
    actor: Any,
    user: Any,
    agency: Agency,
    valid_from: datetime.date,
    position: str = "",
    roles: Iterable[str] = (),
    unit: Unit | None = None,
    valid_to: datetime.date | None = None,
    is_primary: bool = False,
) -> Membership:
    """Make `user` (a staff account) a member of `agency` with `roles`. A primary membership
    makes the user's other overlapping ones non-primary."""
    role_list = _clean_roles(roles)
    m = _validated_membership(None, locals())
    m.save()
    MembershipRole.objects.bulk_create([MembershipRole(membership=m, role=r) for r in role_list])
    cleared = _clear_other_primaries(m)
    after = _membership_snapshot(m, role_list)
    if cleared:
        after["primary_cleared_on"] = cleared
    audit_record(actor=actor, action="orgs.membership_create", target=m, after=after, agency_code=agency.code)
    return m


@transaction.atomic
def membership_update(
    *,
    actor: Any,
    membership: Membership,
    position: str = _UNSET,
    unit: Unit | None = _UNSET,
    roles: Iterable[str] = _UNSET,
    is_primary: bool = _UNSET,
    valid_from: datetime.date = _UNSET,
    valid_to: datetime.date | None = _UNSET,
) -> Membership:
    current = Membership.objects.select_related("user", "agency", "unit").get(pk=membership.pk)
    old_roles = sorted(current.roles.values_list("role", flat=True))
    before = _membership_snapshot(current, old_roles)
    new_roles = old_roles if roles is _UNSET else _clean_roles(roles)
    values: dict[str, Any] = {
        "user": current.user,
        "agency": current.agency,
        "unit": current.unit if unit is _UNSET else unit,
        "position": current.position if position is _UNSET else position,
        "valid_from": current.valid_from if valid_from is _UNSET else valid_from,
        "valid_to": current.valid_to if valid_to is _UNSET else valid_to,
        "is_primary": current.is_primary if is_primary is _UNSET else is_primary,
    }
    candidate = _validated_membership(current, values)
    after = _membership_snapshot(candidate, new_roles)
    if after == before:
        return candidate
    candidate.save()
    if new_roles != old_roles:
        candidate.roles.exclude(role__in=new_roles).delete()
        MembershipRole.objects.bulk_create(
            [MembershipRole(membership=candidate, role=r) for r in new_roles if r not in old_roles]
        )
    cleared = _clear_other_primaries(candidate)
    if cleared:
        after["primary_cleared_on"] = cleared
    audit_record(
        actor=actor,
        action="orgs.membership_update",
        target=candidate,
        before=before,
        after=after,
        agency_code=candidate.agency.code,
    )
    return candidate


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, valid_to: datetime.date | None = None) -> Membership:
    """End a membership on `valid_to` (default today)."""
    current = Membership.objects.select_related("user", "agency", "unit").get(pk=membership.pk)
    day = valid_to or timezone.localdate()
    if current.valid_to is not None and current.valid_to <= day:
        raise _err(
            OrgsErrorCode.MEMBERSHIP_ENDED,
            _("This membership already ended on %(day)s."),
            "valid_to",
            day=current.valid_to.isoformat(),
        )
    _check_dates(current.valid_from, day)
    before_to = current.valid_to
    current.valid_to = day
    current.save(update_fields=["valid_to", "updated_at"])
    audit_record(
        actor=actor,
        action="orgs.membership_end",
        target=current,
        before={"valid_to": before_to},
        after={"valid_to": day},
        agency_code=current.agency.code,
    )
    return current
