"""The "spec": one procedure version as a plain dict, the single shape that services, the demo,
the import/export formats and the API detail share. `validate_spec` checks a whole spec and
returns EVERY problem (never stops at the first), so an import can report them all.

Shape (all keys snake_case; see docs/contexts/procedures.md):
    code, instance_code, version, status, effective_from, effective_to, name_vi, name_en, field,
    level, subjects[], service_level ("2022:partial"), partial_reason, implementation_steps_vi/en,
    requirements_vi/en, agencies[{code, role}], cases[{code, name_vi, name_en}],
    channels[{case, kind, time_limit, time_unit, description_vi/en, fees[{name_vi, name_en, kind,
    amount, currency, exemption_vi/en}]}], components[{case, code, name_vi, name_en, copy_kind,
    count, required, form_name, form_file}], results[{code, name_vi, name_en}],
    legal_bases[{number, title}], steps[{case, order, name_vi, name_en, role, agency, unit,
    duration, duration_unit}], eform_schema{}
Child rows may carry "_row" (e.g. "fees!7"): problems are then reported at that row.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal, InvalidOperation
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.common.errors import both_languages
from egov.orgs import selectors as orgs
from egov.procedures.errors import ProceduresErrorCode as Code
from egov.procedures.models import (
    INSTANCE_CODE_RE,
    NATIONAL_CODE_RE,
    AgencyRole,
    ChannelKind,
    CopyKind,
    FeeKind,
    Level,
    ProcedureField,
    ServiceLevel,
    Status,
    StepRole,
    StepTimeUnit,
    Subject,
    TimeUnit,
)

HOURS_PER_WORKING_DAY = 8
MAX_AMOUNT = 10**15


@dataclass(frozen=True)
class Problem:
    row: str
    field: str
    code: str
    message: Any
    params: dict[str, Any] = dc_field(default_factory=dict)

    @property
    def messages(self) -> dict[str, str]:
        return both_languages(self.message, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "code": self.code, "messages": self.messages}

    def __str__(self) -> str:
        m = self.messages
        return f"{self.row} · {self.field}: {m['vi']} / {m['en']}"


def to_hours(amount: Decimal, unit: str) -> Decimal:
    """Working hours in `amount` `unit`. A calendar-day limit counts only its sure working days:
    floor(n × 5/7) (weekends out, holidays ignored) — conservative for the internal-process check."""
    if unit == TimeUnit.WORKING_HOURS:
        return amount
    if unit == TimeUnit.CALENDAR_DAYS:
        return Decimal(math.floor(amount * 5 / 7)) * HOURS_PER_WORKING_DAY
    return amount * HOURS_PER_WORKING_DAY


def parse_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def parse_amount(value: Any) -> int | None:
    """A VND amount: a whole number ≥ 0 (int, integral Decimal/float, or digits with . or space
    thousands separators as officials type them: "1.500.000")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < MAX_AMOUNT else None
    if isinstance(value, float | Decimal):
        return int(value) if value == int(value) and 0 <= value < MAX_AMOUNT else None
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "")
        if re.fullmatch(r"\d{1,15}", text):
            return int(text)
    return None


def parse_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def service_level_find(value: str) -> ServiceLevel | None:
    scheme, _sep, code = (value or "").partition(":")
    if not code:
        return None
    return ServiceLevel.objects.select_related("scheme").filter(scheme__code=scheme, code=code).first()


class AgencyCache:
    """Agency look-ups by (code, day), memoised for the length of one import."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, datetime.date], Any] = {}
        self._levels: dict[str, ServiceLevel | None] = {}

    def find(self, code: str, day: datetime.date) -> Any:
        key = (code, day)
        if key not in self._found:
            self._found[key] = orgs.agency_find(code, on=day)
        return self._found[key]

    def service_level(self, value: str) -> ServiceLevel | None:
        if value not in self._levels:
            self._levels[value] = service_level_find(value)
        return self._levels[value]


class _Checker:
    def __init__(self, spec: dict[str, Any], row: str) -> None:
        self.spec = spec
        self.row = row
        self.problems: list[Problem] = []

    def add(
        self, row: str, name: str, code: Code, message: str | Promise, params: dict[str, Any] | None = None
    ) -> None:
        self.problems.append(Problem(row, name, str(code), message, dict(params or {})))

    def where(self, item: Any, default: str) -> str:
        return str(item.get("_row") or default) if isinstance(item, dict) else default

    def text(self, item: dict[str, Any], key: str, row: str, *, required: bool = False, max_length: int = 500) -> str:
        value = item.get(key)
        if value is None:
            value = ""
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.add(row, key, Code.INVALID_VALUE, _("This value must be text."))
            return ""
        if required and not value.strip():
            self.add(row, key, Code.REQUIRED, _("This field is required."))
        if len(value) > max_length:
            self.add(row, key, Code.INVALID_VALUE, _("At most %(max)s characters."), {"max": max_length})
        return value

    def choice(self, item: dict[str, Any], key: str, row: str, choices: Any, *, default: str | None = None) -> str:
        value = item.get(key, default)
        allowed = [str(c) for c in choices.values]
        if value in (None, ""):
            self.add(row, key, Code.REQUIRED, _("This field is required."))
            return ""
        if value not in allowed:
            self.add(
                row,
                key,
                Code.INVALID_CHOICE,
                _("“%(value)s” is not one of: %(allowed)s."),
                {"value": str(value)[:50], "allowed": ", ".join(allowed)},
            )
            return ""
        return str(value)

    def items(self, key: str) -> list[dict[str, Any]]:
        value = self.spec.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(self.row, key, Code.INVALID_VALUE, _("This must be a list of objects."))
            return []
        return value


def validate_spec(spec: Any, *, row: str = "", agencies: AgencyCache | None = None) -> list[Problem]:
    """Every problem of one version spec (empty list = valid). Reads the database (fields,
    service levels, agencies) but writes nothing."""
    if not isinstance(spec, dict):
        return [Problem(row, "", str(Code.INVALID_VALUE), _("A procedure must be an object."))]
    if spec.get("_orphan"):
        return [
            Problem(
                str(spec.get("_row") or row),
                "code",
                str(Code.UNKNOWN_PROCEDURE),
                _("This row names no procedure (code and version) of the procedures sheet."),
            )
        ]
    lookup = agencies if agencies is not None else AgencyCache()
    c = _Checker(spec, row or str(spec.get("_row") or spec.get("code") or ""))
    r = c.row
    code = c.text(spec, "code", r, required=True, max_length=8)
    if code and not re.fullmatch(NATIONAL_CODE_RE, code):
        c.add(
            r,
            "code",
            Code.INVALID_CODE,
            _("A national procedure code looks like 1.004227 (1, 2 or 3, a dot, six digits)."),
        )
    instance = c.text(spec, "instance_code", r, required=True, max_length=30)
    if instance and not re.fullmatch(INSTANCE_CODE_RE, instance):
        c.add(
            r,
            "instance_code",
            Code.INVALID_CODE,
            _("A provincial procedure code looks like 1.004227.000.00.00.H54 (optionally .02)."),
        )
    elif instance and code and not instance.startswith(code + "."):
        c.add(
            r,
            "instance_code",
            Code.INVALID_CODE,
            _("The provincial code must start with the national code %(code)s."),
            {"code": code},
        )
    number = spec.get("version", 1)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        c.add(r, "version", Code.INVALID_VALUE, _("The version must be a whole number from 1."))
    status = c.choice(spec, "status", r, Status, default=Status.DRAFT)
    effective_from = spec.get("effective_from")
    start = parse_date(effective_from) if effective_from not in (None, "") else None
    if effective_from not in (None, "") and start is None:
        c.add(r, "effective_from", Code.INVALID_DATE, _("A date is written YYYY-MM-DD."))
    if status in (Status.PUBLISHED, Status.SUPERSEDED) and effective_from in (None, ""):
        c.add(r, "effective_from", Code.REQUIRED, _("A published version needs an effective date."))
    effective_to = spec.get("effective_to")
    if effective_to not in (None, ""):
        end = parse_date(effective_to)
        if end is None:
            c.add(r, "effective_to", Code.INVALID_DATE, _("A date is written YYYY-MM-DD."))
        elif start is not None and end < start:
            c.add(r, "effective_to", Code.INVALID_DATE, _("The end date is before the effective date."))
    c.text(spec, "name_vi", r, required=True)
    c.text(spec, "name_en", r)
    field_code = c.text(spec, "field", r, required=True, max_length=40)
    if field_code and not ProcedureField.objects.filter(code=field_code).exists():
        c.add(r, "field", Code.UNKNOWN_FIELD, _("No procedure field has the code %(code)s."), {"code": field_code[:50]})
    c.choice(spec, "level", r, Level)
    subjects = spec.get("subjects")
    if not isinstance(subjects, list) or not subjects:
        c.add(r, "subjects", Code.REQUIRED, _("Name at least one subject (citizen, organisation)."))
    else:
        for subject in subjects:
            if subject not in Subject.values:
                c.add(
                    r,
                    "subjects",
                    Code.INVALID_CHOICE,
                    _("“%(value)s” is not one of: %(allowed)s."),
                    {"value": str(subject)[:50], "allowed": ", ".join(Subject.values)},
                )
    level_value = spec.get("service_level") or ""
    if level_value:
        level = lookup.service_level(str(level_value))
        if level is None:
            c.add(
                r,
                "service_level",
                Code.UNKNOWN_SERVICE_LEVEL,
                _("No online service level is called %(value)s (write scheme:code, e.g. 2022:full)."),
                {"value": str(level_value)[:50]},
            )
        elif level.requires_reason and not str(spec.get("partial_reason") or "").strip():
            c.add(r, "partial_reason", Code.REQUIRED, _("A partial online service must give its reason."))
    for key in (
        "partial_reason",
        "implementation_steps_vi",
        "implementation_steps_en",
        "requirements_vi",
        "requirements_en",
    ):
        c.text(spec, key, r, max_length=20000)

    day = start or timezone.localdate()
    agency_items = c.items("agencies")
    implementing = False
    for i, item in enumerate(agency_items, 1):
        w = c.where(item, f"{r}.agencies[{i}]")
        role = c.choice(item, "role", w, AgencyRole)
        implementing = implementing or role == AgencyRole.IMPLEMENTING
        agency_code = c.text(item, "code", w, required=True, max_length=40)
        if agency_code and lookup.find(agency_code, day) is None:
            c.add(w, "code", Code.UNKNOWN_AGENCY, _("No agency has the code %(code)s."), {"code": agency_code[:50]})
    if not implementing:
        c.add(r, "agencies", Code.REQUIRED, _("Name the implementing body (cơ quan thực hiện)."))

    cases = c.items("cases")
    case_codes: set[str] = set()
    for i, item in enumerate(cases, 1):
        w = c.where(item, f"{r}.cases[{i}]")
        case_code = c.text(item, "code", w, required=True, max_length=20)
        if case_code in case_codes:
            c.add(w, "code", Code.DUPLICATE, _("The code %(code)s appears twice."), {"code": case_code})
        case_codes.add(case_code)
        c.text(item, "name_vi", w, required=True)
        c.text(item, "name_en", w)

    def case_ref(item: dict[str, Any], w: str) -> str:
        value = item.get("case") or ""
        if value and value not in case_codes:
            c.add(
                w,
                "case",
                Code.UNKNOWN_CASE,
                _("No case of this procedure has the code %(code)s."),
                {"code": str(value)[:20]},
            )
        return str(value)

    channels = c.items("channels")
    if not channels:
        c.add(r, "channels", Code.REQUIRED, _("Give at least one channel with its time limit."))
    limits: list[tuple[str, str, str, Decimal]] = []  # (row, case, kind, hours)
    for i, item in enumerate(channels, 1):
        w = c.where(item, f"{r}.channels[{i}]")
        case = case_ref(item, w)
        kind = c.choice(item, "kind", w, ChannelKind)
        unit = c.choice(item, "time_unit", w, TimeUnit)
        limit = parse_decimal(item.get("time_limit"))
        if limit is None or limit <= 0 or limit >= 100000:
            c.add(w, "time_limit", Code.INVALID_NUMBER, _("The time limit must be a positive number."))
        elif unit:
            limits.append((w, case, kind, to_hours(limit, unit)))
        c.text(item, "description_vi", w, max_length=5000)
        c.text(item, "description_en", w, max_length=5000)
        fees = item.get("fees") or []
        if not isinstance(fees, list):
            c.add(w, "fees", Code.INVALID_VALUE, _("This must be a list of objects."))
            fees = []
        for j, fee in enumerate(fees, 1):
            fw = c.where(fee, f"{w}.fees[{j}]")
            if not isinstance(fee, dict):
                c.add(fw, "fees", Code.INVALID_VALUE, _("This must be a list of objects."))
                continue
            c.text(fee, "name_vi", fw, required=True, max_length=300)
            c.text(fee, "name_en", fw, max_length=300)
            c.choice(fee, "kind", fw, FeeKind)
            if fee.get("amount") not in (None, "") and parse_amount(fee.get("amount")) is None:
                c.add(
                    fw,
                    "amount",
                    Code.INVALID_NUMBER,
                    _("The amount must be a whole number of đồng (e.g. 50000), not “%(value)s”."),
                    {"value": str(fee.get("amount"))[:50]},
                )
            if (fee.get("currency") or "VND") != "VND":
                c.add(fw, "currency", Code.INVALID_CHOICE, _("Fees are in VND."))
            c.text(fee, "exemption_vi", fw, max_length=5000)
            c.text(fee, "exemption_en", fw, max_length=5000)

    components = c.items("components")
    component_codes: set[str] = set()
    for i, item in enumerate(components, 1):
        w = c.where(item, f"{r}.components[{i}]")
        case_ref(item, w)
        comp_code = c.text(item, "code", w, required=True, max_length=40)
        if comp_code in component_codes:
            c.add(w, "code", Code.DUPLICATE, _("The code %(code)s appears twice."), {"code": comp_code})
        component_codes.add(comp_code)
        c.text(item, "name_vi", w, required=True)
        c.text(item, "name_en", w)
        c.choice(item, "copy_kind", w, CopyKind)
        count = item.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 100:
            c.add(w, "count", Code.INVALID_NUMBER, _("The number of copies must be a whole number from 1 to 100."))
        if not isinstance(item.get("required", True), bool):
            c.add(w, "required", Code.INVALID_VALUE, _("Write true or false."))
        c.text(item, "form_name", w, max_length=300)
        c.text(item, "form_file", w, max_length=300)

    for i, item in enumerate(c.items("results"), 1):
        w = c.where(item, f"{r}.results[{i}]")
        c.text(item, "code", w, max_length=40)
        c.text(item, "name_vi", w, required=True)
        c.text(item, "name_en", w)
    for i, item in enumerate(c.items("legal_bases"), 1):
        w = c.where(item, f"{r}.legal_bases[{i}]")
        c.text(item, "number", w, required=True, max_length=100)
        c.text(item, "title", w, required=True)

    steps = c.items("steps")
    step_hours: list[tuple[str, Decimal]] = []  # (case, hours)
    orders: set[tuple[str, int]] = set()
    for i, item in enumerate(steps, 1):
        w = c.where(item, f"{r}.steps[{i}]")
        case = case_ref(item, w)
        order = item.get("order")
        if isinstance(order, bool) or not isinstance(order, int) or order < 1:
            c.add(w, "order", Code.INVALID_NUMBER, _("The step order must be a whole number from 1."))
        elif (case, order) in orders:
            c.add(w, "order", Code.DUPLICATE, _("The code %(code)s appears twice."), {"code": order})
        else:
            orders.add((case, order))
        c.text(item, "name_vi", w, required=True)
        c.text(item, "name_en", w)
        c.choice(item, "role", w, StepRole)
        c.text(item, "unit", w, max_length=300)
        agency_code = c.text(item, "agency", w, max_length=40)
        if agency_code and lookup.find(agency_code, day) is None:
            c.add(w, "agency", Code.UNKNOWN_AGENCY, _("No agency has the code %(code)s."), {"code": agency_code[:50]})
        unit = c.choice(item, "duration_unit", w, StepTimeUnit)
        duration = parse_decimal(item.get("duration"))
        if duration is None or duration <= 0 or duration >= 100000:
            c.add(w, "duration", Code.INVALID_NUMBER, _("The allotted time must be a positive number."))
        elif unit:
            step_hours.append((case, to_hours(duration, unit)))

    # The internal process must fit within the legal time limit of every case and channel.
    if step_hours:
        for w, limit_case, kind, limit_hours in limits:
            groups = [limit_case] if limit_case else (sorted(case_codes) or [""])
            for case in groups:
                total = sum((h for s, h in step_hours if s in ("", case)), Decimal(0))
                if total > limit_hours:
                    c.add(
                        w,
                        "time_limit",
                        Code.PROCESS_TOO_LONG,
                        _(
                            "The internal process takes %(steps)s working hours but the legal time limit "
                            "(%(channel)s%(case)s) allows only %(limit)s."
                        ),
                        {
                            "steps": _fmt(total),
                            "limit": _fmt(limit_hours),
                            "channel": kind,
                            "case": f", {case}" if case else "",
                        },
                    )

    schema = spec.get("eform_schema") or {}
    for problem in eform_schema_problems(schema, component_codes):
        c.add(
            r, "eform_schema", Code.INVALID_SCHEMA, _("The e-form schema is not valid: %(reason)s"), {"reason": problem}
        )
    return c.problems


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


@functools.lru_cache(maxsize=512)
def _schema_error(text: str) -> str:
    """Why a (JSON-serialised) schema is not a valid draft 2020-12 schema; "" if it is. Cached:
    checking against the meta-schema is the slow part of validating a catalogue."""
    try:
        jsonschema.Draft202012Validator.check_schema(json.loads(text))
    except jsonschema.SchemaError as error:
        return f"{error.message[:200]} (at {'/'.join(str(p) for p in error.absolute_path) or 'root'})"
    return ""


def eform_schema_problems(schema: Any, component_codes: set[str]) -> list[str]:
    """Reasons (in English, technical) why `schema` is not a usable e-form schema."""
    if schema in (None, {}):
        return []
    if not isinstance(schema, dict):
        return ["the schema must be a JSON object"]
    try:
        text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError):
        return ["the schema must be plain JSON"]
    reason = _schema_error(text)
    if reason:
        return [reason]
    problems = []
    if schema.get("type") != "object":
        problems.append('the top-level "type" must be "object"')
    attachments = schema.get("x-attachments", [])
    if not isinstance(attachments, list):
        problems.append('"x-attachments" must be a list of dossier component codes')
    else:
        for code in attachments:
            if code not in component_codes:
                problems.append(f'"x-attachments" names {str(code)[:40]!r}, which is not a dossier component code')
    return problems
