"""Writes to the catalogue. Each service validates the whole version (`spec.validate_spec`) before
writing anything, raises `ProcedureInvalid` with EVERY problem otherwise, and records an audit
entry in the same transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import audit_record
from egov.common.errors import EgovError
from egov.common.text import fold
from egov.orgs import selectors as orgs
from egov.procedures.errors import ProceduresErrorCode as Code
from egov.procedures.models import (
    Channel,
    DossierComponent,
    Fee,
    LegalBasis,
    Procedure,
    ProcedureCase,
    ProcedureField,
    ProcedureVersion,
    ProcessStep,
    ResultDocument,
    Status,
    VersionAgency,
)
from egov.procedures.selectors import procedure_version_get, version_to_spec
from egov.procedures.spec import (
    AgencyCache,
    Problem,
    parse_amount,
    parse_date,
    parse_decimal,
    validate_spec,
)


class ProcedureInvalid(EgovError):
    """A version or an import refused, with every problem found (row, field, reason vi/en)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(
            Code.INVALID,
            _("The procedure data has %(count)s problem(s); nothing was changed."),
            params={"count": len(problems)},
        )

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["problems"] = [p.as_dict() for p in self.problems]
        return body


# --- canonical form ------------------------------------------------------------------------------


def _number(value: Any) -> int | float:
    number = parse_decimal(value) or Decimal(0)
    return int(number) if number == number.to_integral() else float(number)


def _s(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return "" if value is None else str(value)


def canonical_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A VALID spec in exactly the shape `selectors.version_to_spec` gives back (types, defaults,
    key order), so "is this already stored?" is a plain equality."""
    start = parse_date(spec.get("effective_from")) if spec.get("effective_from") else None
    end = parse_date(spec.get("effective_to")) if spec.get("effective_to") else None

    def fee(f: dict[str, Any]) -> dict[str, Any]:
        amount = f.get("amount")
        return {
            "name_vi": _s(f, "name_vi"),
            "name_en": _s(f, "name_en"),
            "kind": _s(f, "kind"),
            "amount": None if amount in (None, "") else parse_amount(amount),
            "currency": "VND",
            "exemption_vi": _s(f, "exemption_vi"),
            "exemption_en": _s(f, "exemption_en"),
        }

    return {
        "code": _s(spec, "code"),
        "instance_code": _s(spec, "instance_code"),
        "version": int(spec.get("version") or 1),
        "status": _s(spec, "status") or Status.DRAFT,
        "effective_from": start.isoformat() if start else None,
        "effective_to": end.isoformat() if end else None,
        "name_vi": _s(spec, "name_vi"),
        "name_en": _s(spec, "name_en"),
        "field": _s(spec, "field"),
        "level": _s(spec, "level"),
        "subjects": list(spec.get("subjects") or []),
        "service_level": _s(spec, "service_level"),
        "partial_reason": _s(spec, "partial_reason"),
        "implementation_steps_vi": _s(spec, "implementation_steps_vi"),
        "implementation_steps_en": _s(spec, "implementation_steps_en"),
        "requirements_vi": _s(spec, "requirements_vi"),
        "requirements_en": _s(spec, "requirements_en"),
        "agencies": [
            {"code": orgs.normalise_code(_s(a, "code")) or _s(a, "code"), "role": _s(a, "role")}
            for a in spec.get("agencies") or []
        ],
        "cases": [
            {"code": _s(c, "code"), "name_vi": _s(c, "name_vi"), "name_en": _s(c, "name_en")}
            for c in spec.get("cases") or []
        ],
        "channels": [
            {
                "case": _s(ch, "case"),
                "kind": _s(ch, "kind"),
                "time_limit": _number(ch.get("time_limit")),
                "time_unit": _s(ch, "time_unit"),
                "description_vi": _s(ch, "description_vi"),
                "description_en": _s(ch, "description_en"),
                "fees": [fee(f) for f in ch.get("fees") or []],
            }
            for ch in spec.get("channels") or []
        ],
        "components": [
            {
                "case": _s(cp, "case"),
                "code": _s(cp, "code"),
                "name_vi": _s(cp, "name_vi"),
                "name_en": _s(cp, "name_en"),
                "copy_kind": _s(cp, "copy_kind"),
                "count": int(cp.get("count", 1)),
                "required": bool(cp.get("required", True)),
                "form_name": _s(cp, "form_name"),
                "form_file": _s(cp, "form_file"),
            }
            for cp in spec.get("components") or []
        ],
        "results": [
            {"code": _s(x, "code"), "name_vi": _s(x, "name_vi"), "name_en": _s(x, "name_en")}
            for x in spec.get("results") or []
        ],
        "legal_bases": [{"number": _s(x, "number"), "title": _s(x, "title")} for x in spec.get("legal_bases") or []],
        "steps": [
            {
                "case": _s(st, "case"),
                "order": int(st["order"]),
                "name_vi": _s(st, "name_vi"),
                "name_en": _s(st, "name_en"),
                "role": _s(st, "role"),
                "agency": orgs.normalise_code(_s(st, "agency")) or "" if st.get("agency") else "",
                "unit": _s(st, "unit"),
                "duration": _number(st.get("duration")),
                "duration_unit": _s(st, "duration_unit"),
            }
            for st in spec.get("steps") or []
        ],
        "eform_schema": spec.get("eform_schema") or {},
    }


def _search_text(version: ProcedureVersion, spec: dict[str, Any], agency_names: list[str]) -> str:
    parts = [spec["code"], spec["instance_code"], spec["name_vi"], spec["name_en"], version.field.name_vi]
    parts += agency_names
    return fold(" ".join(p for p in parts if p))


def _write_version(spec: dict[str, Any], agencies: AgencyCache | None = None) -> ProcedureVersion:
    """Create the rows of a canonical, validated spec (no checks here)."""
    procedure, _created = Procedure.objects.get_or_create(code=spec["code"])
    day = (parse_date(spec["effective_from"]) if spec["effective_from"] else None) or timezone.localdate()
    lookup = agencies if agencies is not None else AgencyCache()
    level = lookup.service_level(spec["service_level"]) if spec["service_level"] else None
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=spec["version"],
        status=spec["status"],
        effective_from=parse_date(spec["effective_from"]) if spec["effective_from"] else None,
        effective_to=parse_date(spec["effective_to"]) if spec["effective_to"] else None,
        published_at=timezone.now() if spec["status"] != Status.DRAFT else None,
        instance_code=spec["instance_code"],
        name_vi=spec["name_vi"],
        name_en=spec["name_en"],
        field=ProcedureField.objects.get(code=spec["field"]),
        level=spec["level"],
        subjects=spec["subjects"],
        service_level=level,
        partial_reason=spec["partial_reason"],
        implementation_steps_vi=spec["implementation_steps_vi"],
        implementation_steps_en=spec["implementation_steps_en"],
        requirements_vi=spec["requirements_vi"],
        requirements_en=spec["requirements_en"],
        eform_schema=spec["eform_schema"],
    )

    def agency(code: str) -> Any:
        return lookup.find(code, day)

    names = []
    for i, item in enumerate(spec["agencies"]):
        found = agency(item["code"])
        names.append(found.name_vi)
        VersionAgency.objects.create(version=version, agency=found, role=item["role"], order=i)
    cases = {}
    for i, item in enumerate(spec["cases"]):
        cases[item["code"]] = ProcedureCase.objects.create(version=version, order=i, **item)
    for i, item in enumerate(spec["channels"]):
        channel = Channel.objects.create(
            version=version,
            case=cases.get(item["case"]),
            kind=item["kind"],
            time_limit=Decimal(str(item["time_limit"])),
            time_unit=item["time_unit"],
            description_vi=item["description_vi"],
            description_en=item["description_en"],
            order=i,
        )
        for j, fee in enumerate(item["fees"]):
            Fee.objects.create(channel=channel, order=j, **fee)
    for i, item in enumerate(spec["components"]):
        DossierComponent.objects.create(version=version, order=i, **{**item, "case": cases.get(item["case"])})
    for i, item in enumerate(spec["results"]):
        ResultDocument.objects.create(version=version, order=i, **item)
    for i, item in enumerate(spec["legal_bases"]):
        LegalBasis.objects.create(version=version, order=i, **item)
    for item in spec["steps"]:
        ProcessStep.objects.create(
            version=version,
            case=cases.get(item["case"]),
            order=item["order"],
            name_vi=item["name_vi"],
            name_en=item["name_en"],
            role=item["role"],
            agency=agency(item["agency"]) if item["agency"] else None,
            unit_name=item["unit"],
            duration=Decimal(str(item["duration"])),
            duration_unit=item["duration_unit"],
        )
    version.search_text = _search_text(version, spec, names)
    version.save(update_fields=["search_text"])
    return version


def _agency_code(version: ProcedureVersion) -> str:
    first = version.agency_roles.select_related("agency").first()
    return first.agency.code if first else ""


def _summary(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": version.procedure.code,
        "instance_code": version.instance_code,
        "version": version.number,
        "status": version.status,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
    }


def _next_number(code: str) -> int:
    top = ProcedureVersion.objects.filter(procedure__code=code).aggregate(top=Max("number"))["top"]
    return int(top or 0) + 1


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def procedure_create_draft(*, actor: Any, spec: dict[str, Any]) -> ProcedureVersion:
    """A new draft version (the procedure is created if its code is new)."""
    spec = {**spec, "status": Status.DRAFT, "effective_from": None, "effective_to": None}
    spec["version"] = _next_number(str(spec.get("code") or "")) if isinstance(spec.get("code"), str) else 1
    problems = validate_spec(spec)
    if problems:
        raise ProcedureInvalid(problems)
    version = _write_version(canonical_spec(spec))
    audit_record(
        actor=actor,
        action="procedures.version_create_draft",
        target=version,
        after=_summary(version),
        agency_code=_agency_code(version),
    )
    return version


@transaction.atomic
def procedure_version_publish(
    *, actor: Any, version: ProcedureVersion, effective_from: datetime.date | None = None
) -> ProcedureVersion:
    """Publish a draft from `effective_from` (default today); the version in force until then is
    superseded the day before. Refused if the draft is not valid (every problem reported)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise EgovError(
            Code.NOT_DRAFT,
            _("Only a draft can be published; this version is %(status)s."),
            params={"status": version.status},
        )
    day = effective_from or timezone.localdate()
    spec = {**version_to_spec(version), "status": Status.PUBLISHED, "effective_from": day.isoformat()}
    problems = validate_spec(spec)
    if problems:
        raise ProcedureInvalid(problems)
    published = ProcedureVersion.objects.filter(procedure=version.procedure).exclude(status=Status.DRAFT)
    latest = published.order_by("-effective_from").first()
    if latest is not None and latest.effective_from is not None and latest.effective_from >= day:
        raise EgovError(
            Code.EFFECTIVE_DATE,
            _("The effective date must be after %(date)s, when version %(number)s took effect."),
            field="effective_from",
            params={"date": latest.effective_from.isoformat(), "number": latest.number},
        )
    before = _summary(version)
    for old in published.filter(effective_to__isnull=True) | published.filter(effective_to__gte=day):
        old_before = _summary(old)
        old.status = Status.SUPERSEDED
        old.effective_to = day - datetime.timedelta(days=1)
        old.save(update_fields=["status", "effective_to", "updated_at"])
        audit_record(
            actor=actor,
            action="procedures.version_supersede",
            target=old,
            before=old_before,
            after=_summary(old),
            agency_code=_agency_code(old),
        )
    version.status = Status.PUBLISHED
    version.effective_from = day
    version.published_at = timezone.now()
    version.save(update_fields=["status", "effective_from", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="procedures.version_publish",
        target=version,
        before=before,
        after=_summary(version),
        agency_code=_agency_code(version),
    )
    return version


@transaction.atomic
def procedure_version_new_from(*, actor: Any, version: ProcedureVersion) -> ProcedureVersion:
    """A new draft copying `version` (to change it for a new law)."""
    spec = version_to_spec(version)
    spec.update(status=Status.DRAFT, effective_from=None, effective_to=None, version=_next_number(spec["code"]))
    new = _write_version(spec)
    audit_record(
        actor=actor,
        action="procedures.version_new_from",
        target=new,
        before={"from_version": version.number},
        after=_summary(new),
        agency_code=_agency_code(new),
    )
    return new


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def catalogue_check(
    specs: Iterable[Any], agencies: AgencyCache | None = None
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Validate a whole file's versions. Returns (canonical specs, problems)."""
    agencies = agencies if agencies is not None else AgencyCache()
    specs = list(specs)
    codes = {str(s.get("code")) for s in specs if isinstance(s, dict)}
    stored = set(ProcedureVersion.objects.filter(procedure__code__in=codes).values_list("procedure__code", "number"))
    problems: list[Problem] = []
    valid: list[dict[str, Any]] = []
    seen: dict[tuple[str, int], str] = {}
    instances: dict[str, str] = {}
    for i, spec in enumerate(specs, 1):
        row = str(spec.get("_row") or f"#{i}") if isinstance(spec, dict) else f"#{i}"
        found = validate_spec(spec, row=row, agencies=agencies)
        problems += found
        if found or not isinstance(spec, dict):
            continue
        canon = canonical_spec(spec)
        key = (canon["code"], canon["version"])
        if key in seen:
            problems.append(
                Problem(
                    row,
                    "code",
                    str(Code.DUPLICATE_CODE),
                    _("The procedure %(code)s (version %(version)s) appears twice in the file (also at %(other)s)."),
                    {"code": key[0], "version": key[1], "other": seen[key]},
                )
            )
            continue
        seen[key] = row
        other = instances.get(canon["instance_code"])
        if other is not None and other != canon["code"]:
            problems.append(
                Problem(
                    row,
                    "instance_code",
                    str(Code.DUPLICATE_CODE),
                    _("The code %(code)s appears twice."),
                    {"code": canon["instance_code"]},
                )
            )
        instances[canon["instance_code"]] = canon["code"]
        existing = procedure_version_get(key[0], key[1]) if key in stored else None
        if existing is not None and existing.status != Status.DRAFT and version_to_spec(existing) != canon:
            problems.append(
                Problem(
                    row,
                    "version",
                    str(Code.PUBLISHED_IMMUTABLE),
                    _(
                        "Version %(version)s of %(code)s is already published with other content; give the change a new version number."
                    ),
                    {"code": key[0], "version": key[1]},
                )
            )
            continue
        valid.append(canon)
    return valid, problems


def _field_problems(item: Any, row: str) -> list[Problem]:
    if not isinstance(item, dict):
        return [Problem(row, "", str(Code.INVALID_VALUE), _("This must be a list of objects."))]
    row = str(item.get("_row") or row)
    out = []
    for key in ("code", "name_vi"):
        if not str(item.get(key) or "").strip():
            out.append(Problem(row, key, str(Code.REQUIRED), _("This field is required.")))
    for key in ("valid_from", "valid_to"):
        value = item.get(key)
        if (key == "valid_from" or value not in (None, "")) and parse_date(value) is None:
            out.append(Problem(row, key, str(Code.INVALID_DATE), _("A date is written YYYY-MM-DD.")))
    return out


@transaction.atomic
def catalogue_import(*, actor: Any, specs: list[Any], fields: Iterable[Any] = ()) -> ImportReport:
    """Import a catalogue file all or nothing: the field code list first, then the versions.
    Every problem of the whole file is reported, and nothing is kept unless there are none (the
    transaction is rolled back). A version already stored identically is left alone; a draft with
    the same number is replaced."""
    problems: list[Problem] = []
    for i, item in enumerate(fields, 1):
        found = _field_problems(item, f"fields[{i}]")
        problems += found
        if not found:
            end = parse_date(item.get("valid_to")) if item.get("valid_to") else None
            field_item = procedure_field_ensure(
                actor=actor,
                code=str(item["code"]).strip(),
                name_vi=str(item["name_vi"]),
                name_en=str(item.get("name_en") or ""),
                valid_from=parse_date(item["valid_from"]),  # type: ignore[arg-type]
            )
            if field_item.valid_to != end:
                field_item.valid_to = end
                field_item.save(update_fields=["valid_to"])
    lookup = AgencyCache()
    canon, more = catalogue_check(specs, lookup)
    problems += more
    if problems:
        raise ProcedureInvalid(problems)
    report = ImportReport()
    stored = set(
        ProcedureVersion.objects.filter(procedure__code__in={s["code"] for s in canon}).values_list(
            "procedure__code", "number"
        )
    )
    for spec in sorted(canon, key=lambda s: (s["code"], s["version"])):
        label = f"{spec['code']} v{spec['version']}"
        key = (spec["code"], spec["version"])
        existing = procedure_version_get(spec["code"], spec["version"]) if key in stored else None
        if existing is not None:
            if version_to_spec(existing) == spec:
                report.unchanged.append(label)
                continue
            existing.delete()  # only drafts reach here (published ones were checked)
            report.replaced.append(label)
        else:
            report.created.append(label)
        version = _write_version(spec, lookup)
        audit_record(
            actor=actor,
            action="procedures.version_import",
            target=version,
            after=_summary(version),
            agency_code=_agency_code(version),
        )
    return report


@transaction.atomic
def procedure_field_ensure(
    *, actor: Any, code: str, name_vi: str, name_en: str = "", valid_from: datetime.date
) -> ProcedureField:
    """Create or update a field of the code list (idempotent)."""
    if not code or not name_vi:
        raise EgovError(Code.REQUIRED, _("This field is required."), field="code" if not code else "name_vi")
    item = ProcedureField.objects.filter(code=code).first()
    if item is not None and (item.name_vi, item.name_en, item.valid_from) == (name_vi, name_en, valid_from):
        return item
    before = {"name_vi": item.name_vi, "name_en": item.name_en} if item else None
    if item is None:
        item = ProcedureField.objects.create(code=code, name_vi=name_vi, name_en=name_en, valid_from=valid_from)
    else:
        item.name_vi, item.name_en, item.valid_from = name_vi, name_en, valid_from
        item.save()
    audit_record(
        actor=actor,
        action="procedures.field_save",
        target=item,
        before=before,
        after={"code": code, "name_vi": name_vi, "name_en": name_en},
    )
    return item
