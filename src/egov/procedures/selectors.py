"""Reads of the catalogue: the version in force on a date (what a dossier points at), search with
Vietnamese folding, lookup by national or provincial code, and the spec of a version."""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import NotFound, both_languages
from egov.common.text import fold
from egov.orgs import selectors as orgs
from egov.procedures.errors import ProceduresErrorCode as Code
from egov.procedures.models import (
    INSTANCE_CODE_RE,
    Channel,
    ProcedureField,
    ProcedureVersion,
    ServiceLevel,
    Status,
    VersionAgency,
)

MAX_QUERY_WORDS = 12
MAX_WORD_LENGTH = 60


def _day(on: datetime.date | datetime.datetime | None) -> datetime.date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime.datetime):
        return timezone.localdate(on) if timezone.is_aware(on) else on.date()
    return on


def in_force_q(day: datetime.date) -> Q:
    return (
        ~Q(status=Status.DRAFT) & Q(effective_from__lte=day) & (Q(effective_to__isnull=True) | Q(effective_to__gte=day))
    )


def _code_q(code: str) -> Q:
    code = (code or "").strip()
    if re.fullmatch(INSTANCE_CODE_RE, code):
        return Q(instance_code=code)
    return Q(procedure__code=code)


def with_details(qs: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return qs.select_related("procedure", "field", "service_level__scheme").prefetch_related(
        "agency_roles__agency",
        "cases",
        Prefetch("channels", queryset=Channel.objects.select_related("case").prefetch_related("fees")),
        "components__case",
        "results",
        "legal_bases",
        "steps__case",
        "steps__agency",
    )


def procedure_version_in_force(
    code: str, on: datetime.date | datetime.datetime | None = None
) -> ProcedureVersion | None:
    """The published version of `code` (national `1.004227` or provincial
    `1.004227.000.00.00.H54`) in force on `on` (a date, or the moment a dossier was received;
    default now). None if there is none."""
    day = _day(on)
    return (
        with_details(ProcedureVersion.objects.filter(_code_q(code)).filter(in_force_q(day)))
        .order_by("-effective_from")
        .first()
    )


def procedure_get(code: str, *, on: datetime.date | None = None) -> ProcedureVersion:
    """The version to show for `code`: in force on `on` (default today), else the latest
    published one. 404 otherwise (drafts are never shown)."""
    version = procedure_version_in_force(code, on)
    if version is None:
        version = (
            with_details(ProcedureVersion.objects.filter(_code_q(code)).exclude(status=Status.DRAFT))
            .order_by("-effective_from")
            .first()
        )
    if version is None:
        raise NotFound(Code.NOT_FOUND, _("No published procedure has the code %(code)s."), params={"code": code[:40]})
    return version


def procedure_version_get(code: str, number: int) -> ProcedureVersion | None:
    return with_details(ProcedureVersion.objects.filter(procedure__code=code, number=number)).first()


def procedure_search(
    *,
    search: str | None = None,
    agency: str | None = None,
    field: str | None = None,
    level: str | None = None,
    service_level: str | None = None,
    on: datetime.date | None = None,
) -> QuerySet[ProcedureVersion]:
    """The versions in force on `on` (default today) matching every word of `search` (folded:
    "dang ky kinh doanh" finds "Đăng ký kinh doanh"), the agency code (either form), field code,
    level and service level (`full`, `L4` or `2022:full`)."""
    qs = ProcedureVersion.objects.filter(in_force_q(_day(on)))
    printable = "".join(ch for ch in (search or "")[:2000] if unicodedata.category(ch)[0] != "C" or ch.isspace())
    words = fold(printable).split(" ")
    for word in [w[:MAX_WORD_LENGTH] for w in words if w][:MAX_QUERY_WORDS]:
        qs = qs.filter(search_text__contains=word)
    if agency:
        normal = orgs.normalise_code(agency)
        roles = VersionAgency.objects.filter(agency__code=normal).values("version_id")
        qs = qs.filter(pk__in=roles) if normal else qs.none()
    if field:
        qs = qs.filter(field__code=field)
    if level:
        qs = qs.filter(level=level)
    if service_level:
        scheme, _sep, code = service_level.rpartition(":")
        qs = qs.filter(service_level__code=code)
        if scheme:
            qs = qs.filter(service_level__scheme__code=scheme)
    return qs.select_related("procedure", "field", "service_level__scheme").order_by("procedure__code")


def procedure_field_list(*, on: datetime.date | None = None) -> QuerySet[ProcedureField]:
    day = _day(on)
    return ProcedureField.objects.filter(
        Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    ).order_by("code")


def service_level_list() -> QuerySet[ServiceLevel]:
    return ServiceLevel.objects.select_related("scheme").order_by("scheme__valid_from", "order")


def catalogue_versions() -> QuerySet[ProcedureVersion]:
    """Every version (drafts included), for export."""
    return with_details(ProcedureVersion.objects.all()).order_by("procedure__code", "number")


# --- the spec of a stored version ----------------------------------------------------------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def version_to_spec(version: ProcedureVersion) -> dict[str, Any]:
    """The version as a canonical spec dict (see `egov.procedures.spec`)."""

    def case(obj: Any) -> str:
        return obj.case.code if obj.case_id else ""

    def by_id(items: Any) -> list[Any]:
        return sorted(items.all(), key=lambda x: x.pk)

    return {
        "code": version.procedure.code,
        "instance_code": version.instance_code,
        "version": version.number,
        "status": version.status,
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "name_vi": version.name_vi,
        "name_en": version.name_en,
        "field": version.field.code,
        "level": version.level,
        "subjects": list(version.subjects),
        "service_level": str(version.service_level) if version.service_level else "",
        "partial_reason": version.partial_reason,
        "implementation_steps_vi": version.implementation_steps_vi,
        "implementation_steps_en": version.implementation_steps_en,
        "requirements_vi": version.requirements_vi,
        "requirements_en": version.requirements_en,
        "agencies": [{"code": a.agency.code, "role": a.role} for a in by_id(version.agency_roles)],
        "cases": [{"code": c.code, "name_vi": c.name_vi, "name_en": c.name_en} for c in by_id(version.cases)],
        "channels": [
            {
                "case": case(ch),
                "kind": ch.kind,
                "time_limit": _number(ch.time_limit),
                "time_unit": ch.time_unit,
                "description_vi": ch.description_vi,
                "description_en": ch.description_en,
                "fees": [
                    {
                        "name_vi": f.name_vi,
                        "name_en": f.name_en,
                        "kind": f.kind,
                        "amount": f.amount,
                        "currency": f.currency,
                        "exemption_vi": f.exemption_vi,
                        "exemption_en": f.exemption_en,
                    }
                    for f in by_id(ch.fees)
                ],
            }
            for ch in by_id(version.channels)
        ],
        "components": [
            {
                "case": case(cp),
                "code": cp.code,
                "name_vi": cp.name_vi,
                "name_en": cp.name_en,
                "copy_kind": cp.copy_kind,
                "count": cp.count,
                "required": cp.required,
                "form_name": cp.form_name,
                "form_file": cp.form_file.name or "",
            }
            for cp in by_id(version.components)
        ],
        "results": [{"code": x.code, "name_vi": x.name_vi, "name_en": x.name_en} for x in by_id(version.results)],
        "legal_bases": [{"number": x.number, "title": x.title} for x in by_id(version.legal_bases)],
        "steps": [
            {
                "case": case(st),
                "order": st.order,
                "name_vi": st.name_vi,
                "name_en": st.name_en,
                "role": st.role,
                "agency": st.agency.code if st.agency_id else "",
                "unit": st.unit_name,
                "duration": _number(st.duration),
                "duration_unit": st.duration_unit,
            }
            for st in by_id(version.steps)
        ],
        "eform_schema": version.eform_schema or {},
    }


# --- e-form ---------------------------------------------------------------------------------------

_EFORM_MESSAGES: dict[str, Any] = {
    "required": _("The field “%(name)s” is required."),
    "type": _("The value of “%(name)s” has the wrong type."),
    "minLength": _("“%(name)s” is too short."),
    "maxLength": _("“%(name)s” is too long."),
    "pattern": _("“%(name)s” is not in the expected format."),
    "format": _("“%(name)s” is not in the expected format."),
    "enum": _("“%(name)s” must be one of the listed values."),
    "minimum": _("“%(name)s” is too small."),
    "maximum": _("“%(name)s” is too large."),
    "additionalProperties": _("The form contains fields it does not define."),
}
_EFORM_OTHER = _("“%(name)s” is not valid.")
_ATTACHMENT_MISSING = _("The required document “%(name)s” (%(code)s) is not attached.")


def _eform_label(schema: dict[str, Any], path: list[str], lang: str) -> str:
    node: Any = schema
    label = ""
    for part in path:
        node = (node.get("properties") or {}).get(part, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            label = str(node.get("title" if lang == "vi" else "x-title-en") or node.get("title") or part)
    return label or "/".join(path)


def eform_validate(
    version: ProcedureVersion, data: Any, *, attachments: list[str] | None = None
) -> list[dict[str, Any]]:
    """Check submitted e-form `data` against the version's JSON Schema, and (when `attachments`,
    the component codes attached, is given) that every required dossier component of
    `x-attachments` is there. Returns a list of {"path", "messages": {"vi", "en"}} (empty = valid)."""
    schema = version.eform_schema or {}
    errors: list[dict[str, Any]] = []
    if schema:
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
            path = [str(p) for p in error.absolute_path]
            if error.validator == "required" and isinstance(error.instance, dict):
                missing = next((str(k) for k in error.validator_value if k not in error.instance), "")
                path = [*path, missing]
            message = _EFORM_MESSAGES.get(str(error.validator), _EFORM_OTHER)
            labels = {lang: _eform_label(schema, path, lang) for lang in ("vi", "en")}
            texts = {lang: both_languages(message, {"name": labels[lang]})[lang] for lang in ("vi", "en")}
            errors.append({"path": "/".join(path), "messages": texts})
    if attachments is not None:
        wanted = set(schema.get("x-attachments") or [])
        for component in version.components.all():
            if component.required and component.code in wanted and component.code not in attachments:
                texts = {
                    "vi": both_languages(_ATTACHMENT_MISSING, {"name": component.name_vi, "code": component.code})[
                        "vi"
                    ],
                    "en": both_languages(
                        _ATTACHMENT_MISSING, {"name": component.name_en or component.name_vi, "code": component.code}
                    )["en"],
                }
                errors.append({"path": f"attachments/{component.code}", "messages": texts})
    return errors
