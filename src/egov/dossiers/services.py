"""Writes: submission, counter reception, the state machine's actions, the apology (form 04).

Every service validates everything first (raising `EgovError`, so nothing changes on bad
input), then writes the dossier, its history line and its audit record in one transaction.
Concurrent actions on one dossier are serialised by a row lock and re-checked after it; the
daily code sequence of a receiving unit is a counter row locked with SELECT … FOR UPDATE.
"""

from __future__ import annotations

import datetime
import hashlib
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts import selectors as accounts
from egov.audit.services import audit_record
from egov.common.errors import EgovError, NotFound, PermissionDenied
from egov.common.text import fold
from egov.dossiers import clock, lifecycle, signing, tasks
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.lifecycle import RESUME_TO_PREVIOUS, STEP_ROLE, Action, Scope, State, Transition
from egov.dossiers.models import (
    Apology,
    ApplicantKind,
    ChannelKind,
    ClockRule,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierFile,
    DossierStep,
    FileKind,
    SupplementRule,
)
from egov.orgs import selectors as orgs
from egov.orgs.models import Agency, AgencyKind
from egov.procedures import selectors as procedures
from egov.procedures.models import Channel, ProcedureVersion

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILES = 30
# magic bytes → (content type, accepted extensions)
FILE_TYPES: list[tuple[bytes, str, tuple[str, ...]]] = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
]
DANGEROUS_EXTENSIONS = {
    "exe", "bat", "cmd", "com", "scr", "js", "vbs", "ps1", "sh", "jar", "msi", "dll", "html", "htm", "svg", "php",
    "hta", "lnk", "py",
}  # fmt: skip
PAPER_CHANNELS = {ChannelKind.COUNTER, ChannelKind.POST}
CHANNEL_TO_PROCEDURE = {ChannelKind.ONLINE: "online", ChannelKind.COUNTER: "in_person", ChannelKind.POST: "post"}
OPEN_STEP = Q(finished_at__isnull=True)


@dataclass(frozen=True)
class FileInput:
    component: str  # the dossier component code ("" for a result)
    name: str
    data: bytes


@dataclass
class Applicant:
    name: str = ""
    national_id: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    organisation_name: str = ""
    representative_name: str = ""
    kind: str = ApplicantKind.CITIZEN
    extra: dict[str, Any] = field(default_factory=dict)


def _err(code: Code, message: Any, field_name: str | None = None, /, **params: Any) -> EgovError:
    return EgovError(code, message, field=field_name, params=params)


def _now() -> datetime.datetime:
    return timezone.now()


# --- codes -------------------------------------------------------------------------------------


def allocate_code(unit_code: str, at: datetime.datetime) -> str:
    """The next code `{unit}-{yymmdd}-{NNNN}` of `unit_code` for the local day of `at`.

    Must run inside the caller's transaction: the counter row stays locked until it commits,
    so concurrent receptions at one unit get consecutive numbers, without gaps (a rolled-back
    reception rolls its number back too) and without duplicates."""
    day = timezone.localdate(at)
    for _attempt in range(5):
        counter = DossierCounter.objects.select_for_update().filter(unit_code=unit_code, day=day).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = DossierCounter.objects.create(unit_code=unit_code, day=day, last=0)
            except IntegrityError:  # another reception created it first: lock theirs
                continue
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"{unit_code}-{day:%y%m%d}-{counter.last:04d}"
    raise RuntimeError("could not allocate a dossier code")  # pragma: no cover


# --- files -------------------------------------------------------------------------------------


def check_file(name: str, data: bytes) -> tuple[str, str]:
    """(safe name, content type) of an upload, or a refusal: the type is read from the magic
    bytes and must agree with the extension; names with paths, control characters, hidden or
    double dangerous extensions are refused."""
    clean = unicodedata.normalize("NFC", (name or "").strip())
    if (
        not clean
        or len(clean) > 150
        or any(ch in clean for ch in "/\\:\x00")
        or any(unicodedata.category(ch).startswith("C") for ch in clean)
        or clean.startswith(".")
        or any(part.lower() in DANGEROUS_EXTENSIONS for part in clean.split(".")[1:])
    ):
        raise _err(Code.FILE_NAME, _("The file name “%(name)s” is not allowed."), "files", name=clean[:80])
    if not data:
        raise _err(Code.FILE_TYPE, _("The file “%(name)s” is empty."), "files", name=clean)
    if len(data) > MAX_FILE_BYTES:
        raise _err(
            Code.FILE_TOO_LARGE,
            _("The file “%(name)s” is larger than %(limit)s MB."),
            "files",
            name=clean,
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    extension = "." + clean.rsplit(".", 1)[-1].lower() if "." in clean else ""
    for magic, content_type, extensions in FILE_TYPES:
        if data.startswith(magic):
            if extension not in extensions:
                break
            return clean, content_type
    raise _err(
        Code.FILE_TYPE,
        _("The file “%(name)s” is not a PDF, PNG or JPEG document (or its extension does not match its content)."),
        "files",
        name=clean,
    )


def _store_file(
    dossier: Dossier,
    *,
    kind: str,
    name: str,
    data: bytes,
    content_type: str,
    actor: Any,
    component: Any = None,
    form_code: str = "",
    signed: bool = False,
) -> DossierFile:
    digest = hashlib.sha256(data).hexdigest()
    item = DossierFile(
        dossier=dossier,
        component=component,
        kind=kind,
        form_code=form_code,
        name=name,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        signed=signed,
        uploaded_by=actor if _is_user(actor) else None,
    )
    # content-addressed: the same bytes are stored once, however many dossiers carry them
    path = item.content.field.generate_filename(item, digest)
    if item.content.storage.exists(path):
        item.content.name = path
    else:
        item.content.save(digest, ContentFile(data), save=False)
    item.save()
    return item


def _checked_files(version: ProcedureVersion, case: Any, files: list[FileInput]) -> list[tuple[Any, str, str, bytes]]:
    if len(files) > MAX_FILES:
        raise _err(Code.INVALID, _("At most %(limit)s files can be attached."), "files", limit=MAX_FILES)
    components = {c.code: c for c in version.components.all() if c.case_id in (None, getattr(case, "pk", None))}
    out = []
    for item in files:
        component = components.get(item.component)
        if component is None:
            raise _err(
                Code.UNKNOWN_COMPONENT,
                _("The procedure has no dossier component %(code)s."),
                "files",
                code=str(item.component)[:40],
            )
        name, content_type = check_file(item.name, item.data)
        out.append((component, name, content_type, item.data))
    return out


# --- helpers -----------------------------------------------------------------------------------


def _is_user(actor: Any) -> bool:
    return (
        actor is not None and getattr(actor, "pk", None) is not None and bool(getattr(actor, "is_authenticated", False))
    )


def _is_citizen(actor: Any) -> bool:
    return _is_user(actor) and getattr(actor, "kind", "") == "citizen"


def snapshot(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "status": d.status,
        "dvcqg_status": d.dvcqg_status,
        "assignee": d.assignee_id,
        "legal_due_at": d.legal_due_at,
        "due_at": d.due_at,
        "calendar_version": d.calendar_version,
        "timeliness": d.timeliness,
        "revision": d.revision,
    }


def _event(
    d: Dossier,
    *,
    action: str,
    from_state: str,
    actor: Any,
    at: datetime.datetime,
    agency: Agency | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=d,
        action=action,
        from_state=from_state,
        to_state=d.status,
        actor=actor if _is_user(actor) else None,
        actor_name=(getattr(actor, "full_name", "") or actor.get_username()) if _is_user(actor) else "",
        agency=agency,
        reason=reason,
        data=data or {},
        at=at,
    )


def _agency_in_force(code: str, on: datetime.date) -> Agency | None:
    return (
        Agency.objects.filter(code=code, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )


def _resolve_agency(code: str, on: datetime.date, field_name: str) -> Agency:
    agency = _agency_in_force(orgs.normalise_code(code or "") or "", on)
    if agency is None:
        raise _err(Code.UNKNOWN_AGENCY, _("No agency in force has the code %(code)s."), field_name, code=code[:40])
    return agency


def _processing_agency(version: ProcedureVersion, code: str, centre: Agency | None, on: datetime.date) -> Agency:
    candidates = [r.agency for r in version.agency_roles.all() if r.agency.in_force_on(on)]
    if code:
        agency = _resolve_agency(code, on, "agency")
        if agency.pk not in {a.pk for a in candidates}:
            raise _err(
                Code.UNKNOWN_AGENCY, _("The agency %(code)s does not handle this procedure."), "agency", code=code[:40]
            )
        return agency
    if len({a.pk for a in candidates}) == 1:
        return candidates[0]
    if centre is not None:
        near = [a for a in candidates if a.pk == centre.pk or a.pk == centre.parent_id]
        if len(near) == 1:
            return near[0]
    raise _err(Code.REQUIRED, _("Choose the processing agency for this procedure."), "agency")


def _receiving_centre(agency: Agency, on: datetime.date) -> Agency:
    """Where a dossier is received when nobody said: the commune itself, the district's one-stop
    unit, or the province's public administration centre."""
    if agency.kind == AgencyKind.COMMUNE_PEOPLE_COMMITTEE:
        return agency
    if agency.kind == AgencyKind.DISTRICT_PEOPLE_COMMITTEE:
        unit = agency.children.filter(kind=AgencyKind.ONE_STOP_UNIT).first()
        if unit is not None:
            return unit
    centre = (
        Agency.objects.filter(kind=AgencyKind.PUBLIC_ADMINISTRATION_CENTRE, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("code")
        .first()
    )
    if centre is None:
        raise _err(Code.REQUIRED, _("Choose the receiving centre."), "centre")
    return centre


def _channel_row(version: ProcedureVersion, case: Any, kind: str) -> Channel:
    wanted = CHANNEL_TO_PROCEDURE[ChannelKind(kind)]
    rows = [c for c in version.channels.all() if c.kind == wanted]
    row = next((c for c in rows if case is not None and c.case_id == case.pk), None) or next(
        (c for c in rows if c.case_id is None), None
    )
    if row is None:
        raise _err(
            Code.UNKNOWN_CHANNEL,
            _("This procedure cannot be filed through the channel “%(kind)s”."),
            "channel",
            kind=kind,
        )
    return row


def _start_clock(d: Dossier, at: datetime.datetime, rule: ClockRule) -> None:
    due = clock.add_limit(at, d.time_limit or 0, d.time_unit or "working_days")
    d.clock_rule = rule
    d.clock_started_at = at
    d.legal_due_at = due.due
    d.due_at = due.due
    d.calendar_version = due.calendar_version


def _process_step(d: Dossier, role: str) -> Any:
    for step in d.procedure_version.steps.all():
        if step.role == role and step.case_id in (None, d.case_id):
            return step
    return None


def _close_step(step: DossierStep, at: datetime.datetime, *, classify: bool = True) -> None:
    step.finished_at = at
    step.timeliness = clock.classify(at, step.due_at) if classify else ""
    step.save(update_fields=["finished_at", "timeliness"])


def _open_step(d: Dossier, role: str, at: datetime.datetime, actor: Any = None) -> DossierStep:
    template = _process_step(d, role)
    due = clock.add_limit(at, template.duration, template.duration_unit) if template is not None else None
    return DossierStep.objects.create(
        dossier=d,
        process_step=template,
        role=role,
        name_vi=template.name_vi if template is not None else str(role),
        name_en=template.name_en if template is not None else str(role),
        agency=d.receiving_centre if role == "one_stop_officer" else d.processing_agency,
        handled_by=actor if _is_user(actor) else None,
        started_at=at,
        due_at=due.due if due else None,
        calendar_version=due.calendar_version if due else "",
    )


def _switch_step(d: Dossier, at: datetime.datetime, actor: Any) -> None:
    """Close the running step when the responsible role changes, open the next one."""
    role = STEP_ROLE.get(d.status, "")
    current = d.steps.filter(OPEN_STEP).order_by("-id").first()
    if current is not None and current.role == role:
        if _is_user(actor) and current.handled_by_id is None and role != "one_stop_officer":
            current.handled_by = actor
            current.save(update_fields=["handled_by"])
        return
    if current is not None:
        _close_step(current, at)
    if role:
        _open_step(d, role, at, actor if role in ("one_stop_officer",) else None)


def _search_text(d: Dossier) -> str:
    return fold(" ".join([d.code, d.applicant_name, d.organisation_name, d.procedure_version.name_vi]))


# --- submission and counter reception -----------------------------------------------------------


@transaction.atomic
def dossier_submit(
    *,
    actor: Any,
    procedure: str,
    channel: str,
    eform: dict[str, Any],
    files: list[FileInput] | None = None,
    case: str = "",
    applicant: Applicant | None = None,
    applicant_user: Any = None,
    agency: str = "",
    centre: str = "",
    result_delivery: str = "",
    idempotency_key: str = "",
    at: datetime.datetime | None = None,
) -> tuple[Dossier, bool]:
    """A new dossier. Online (`channel="online"`): a citizen files for themself and the dossier
    waits for reception (status 1). At the counter or by post: a one-stop officer of the
    receiving centre files it, and it is received at once (status 2) with its legal clock.
    Returns (dossier, created); a repeated `idempotency_key` returns the first dossier."""
    now = at or _now()
    files = files or []
    idempotency_key = (idempotency_key or "").strip()[:80]
    if idempotency_key and _is_user(actor):
        existing = Dossier.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    if channel not in ChannelKind.values:
        raise _err(Code.UNKNOWN_CHANNEL, _("Unknown channel “%(kind)s”."), "channel", kind=str(channel)[:20])
    if channel == ChannelKind.ONLINE and not _is_citizen(actor):
        raise PermissionDenied(Code.ROLE_NOT_ALLOWED, _("Only a citizen can submit a dossier online."))
    version = procedures.procedure_version_in_force(procedure or "", now)
    if version is None:
        raise _err(
            Code.UNKNOWN_PROCEDURE,
            _("No procedure in force has the code %(code)s."),
            "procedure",
            code=str(procedure)[:40],
        )
    day = timezone.localdate(now)
    case_row = None
    if case:
        case_row = next((c for c in version.cases.all() if c.code == case), None)
        if case_row is None:
            raise _err(Code.UNKNOWN_CASE, _("The procedure has no case %(code)s."), "case", code=case[:20])
    elif version.cases.exists():
        raise _err(Code.REQUIRED, _("Choose the case of the procedure."), "case")
    channel_row = _channel_row(version, case_row, channel)
    receiving = _resolve_agency(centre, day, "centre") if centre else None
    processing = _processing_agency(version, agency, receiving, day)
    receiving = receiving or _receiving_centre(processing, day)
    if channel != ChannelKind.ONLINE and not orgs.user_has_role(actor, "one_stop_officer", receiving):
        raise PermissionDenied(
            Code.ROLE_NOT_ALLOWED,
            _("Only a one-stop officer of %(centre)s can receive dossiers there."),
            params={"centre": receiving.code},
        )
    if not isinstance(eform, dict):
        raise _err(Code.EFORM_INVALID, _("The e-form must be an object."), "eform")
    checked = _checked_files(version, case_row, files)
    attached = {component.code for component, *_rest in checked}
    problems = procedures.eform_validate(version, eform, attachments=sorted(attached))
    if problems:
        raise EformError(problems)
    for component in version.components.all():
        if (
            component.required
            and component.case_id in (None, getattr(case_row, "pk", None))
            and component.code not in attached
        ):
            raise _err(
                Code.COMPONENT_MISSING,
                _("The required document “%(name)s” (%(code)s) is missing."),
                f"files.{component.code}",
                name=component.name_vi,
                code=component.code,
            )
    person = applicant or Applicant()
    if channel == ChannelKind.ONLINE:
        applicant_user = actor
        person.name = person.name or str(getattr(actor, "full_name", "") or actor.get_username())
        person.national_id = person.national_id or getattr(actor, "national_id", "")
        person.phone = person.phone or getattr(actor, "phone", "")
        person.email = person.email or getattr(actor, "email", "")
        person.address = person.address or getattr(actor, "address", "")
    elif applicant_user is not None and not _is_citizen(applicant_user):
        raise _err(Code.INVALID, _("The applicant account must be a citizen's."), "applicant")
    elif applicant_user is None and person.national_id and not person.organisation_name:
        # a walk-in citizen who has an account (VNeID or made at a counter) follows the dossier in
        # "my dossiers": linked by the identity number, as the national portal links by CCCD, and
        # only when the name matches too (a mistyped number must not show the dossier to a stranger)
        holder = accounts.user_get_by_national_id(national_id=person.national_id.strip())
        name = person.name or str(eform.get("ho_ten") or "")
        if holder is not None and _is_citizen(holder) and fold(str(getattr(holder, "full_name", ""))) == fold(name):
            applicant_user = holder
    person.name = (person.name or str(eform.get("ho_ten") or "")).strip()[:200]
    person.organisation_name = (person.organisation_name or str(eform.get("ten_to_chuc") or "")).strip()[:300]
    if person.organisation_name:
        person.kind = ApplicantKind.ORGANISATION
        person.representative_name = (person.representative_name or person.name).strip()[:200]
        person.name = person.name or person.representative_name
    if not person.name and not person.organisation_name:
        raise _err(Code.REQUIRED, _("The applicant's name is required."), "applicant.name")
    if result_delivery and result_delivery not in ChannelKind.values:
        raise _err(Code.INVALID, _("Unknown way of returning the result."), "result_delivery")
    rule = clock.rule_in_force(now)

    fees = [
        {"name_vi": f.name_vi, "name_en": f.name_en, "kind": f.kind, "amount": f.amount or 0}
        for f in channel_row.fees.all()
    ]
    d = Dossier(
        code=allocate_code(receiving.code, now),
        procedure_version=version,
        case=case_row,
        channel_kind=channel,
        channel=channel_row,
        applicant_kind=person.kind,
        applicant=applicant_user,
        applicant_name=person.name or person.representative_name,
        applicant_national_id=(person.national_id or str(eform.get("so_dinh_danh") or ""))[:20],
        applicant_phone=(person.phone or str(eform.get("dien_thoai") or ""))[:20],
        applicant_email=person.email[:254],
        applicant_address=(person.address or str(eform.get("dia_chi") or ""))[:300],
        organisation_name=person.organisation_name,
        representative_name=person.representative_name,
        eform_data=eform,
        fees_due=sum(int(str(f["amount"])) for f in fees),
        fee_lines=fees,
        receiving_centre=receiving,
        processing_agency=processing,
        status=State.SUBMITTED,
        submitted_at=now,
        time_limit=channel_row.time_limit,
        time_unit=channel_row.time_unit,
        clock_rule=rule,
        result_delivery=result_delivery or (ChannelKind.ONLINE if channel == ChannelKind.ONLINE else "counter"),
        idempotency_key=idempotency_key if _is_user(actor) else "",
        created_by=actor if _is_user(actor) else None,
    )
    d.search_text = _search_text(d)
    if channel in PAPER_CHANNELS:
        d.status = State.RECEIVED
        d.received_at = now
        _start_clock(d, now, rule)
        d.transfer_due_at = clock.transfer_due(now, rule).due
    try:
        with transaction.atomic():
            d.save()
    except IntegrityError:
        existing = Dossier.objects.filter(created_by=actor, idempotency_key=idempotency_key).first()
        if idempotency_key and existing is not None:
            return existing, False
        raise
    for component, name, content_type, data in checked:
        _store_file(d, kind=FileKind.APPLICANT, name=name, data=data, content_type=content_type, actor=actor,
                    component=component)  # fmt: skip
    _event(d, action="submit", from_state="", actor=actor, at=now, agency=receiving)
    if d.status == State.RECEIVED:
        received = _event(d, action=Action.RECEIVE, from_state=State.SUBMITTED, actor=actor, at=now, agency=receiving,
                          data={"transfer_due_at": d.transfer_due_at.isoformat() if d.transfer_due_at else None})  # fmt: skip
        _open_step(d, "one_stop_officer", now, actor)
        tasks.notify_applicant_after_commit(d, Action.RECEIVE, str(received.pk))
    audit_record(actor=actor, action="dossiers.dossier_submit", target=d, after=snapshot(d), agency_code=receiving.code)
    return d, True


class EformError(EgovError):
    """The e-form failed its schema: the first problem, with the procedures app's vi/en text."""

    def __init__(self, problems: list[dict[str, Any]]) -> None:
        self.problems = problems
        super().__init__(Code.EFORM_INVALID, _("The e-form is not valid."), field=f"eform.{problems[0]['path']}")

    @property
    def messages(self) -> dict[str, str]:
        return dict(self.problems[0]["messages"])

    def localized(self) -> str:
        from django.utils.translation import get_language

        return str(self.messages["vi" if (get_language() or "vi").startswith("vi") else "en"])


# --- actions -----------------------------------------------------------------------------------


def _allowed(d: Dossier, actor: Any, transition: Transition) -> Agency | bool | None:
    """The agency in whose name `actor` may take `transition` (None for the applicant), or False."""
    for scope, role in transition.roles:
        if scope == Scope.APPLICANT:
            if _is_user(actor) and d.applicant_id is not None and d.applicant_id == actor.pk:
                return None
            continue
        agency = d.receiving_centre if scope == Scope.CENTRE else d.processing_agency
        if orgs.user_has_role(actor, role, agency):
            return agency
    return False


def _lock(code: str) -> Dossier:
    try:  # .get on the unique code: no ORDER BY / LIMIT to build (the hottest query of a lifecycle)
        return (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure_version", "receiving_centre", "processing_agency", "clock_rule")
            .get(code=code)
        )
    except Dossier.DoesNotExist:
        raise NotFound(
            Code.NOT_FOUND, _("No dossier has the code %(code)s."), params={"code": str(code)[:40]}
        ) from None


def _rule(d: Dossier, at: datetime.datetime) -> ClockRule:
    return d.clock_rule or clock.rule_in_force(at)


def _resume_after_pause(d: Dossier, at: datetime.datetime, pause_counts: bool) -> dict[str, Any]:
    seconds = clock.working_seconds_between(d.paused_at, at) if d.paused_at else 0.0
    data: dict[str, Any] = {"paused_working_hours": round(seconds / 3600, 2)}
    if pause_counts and seconds and d.legal_due_at and d.due_at:
        legal = clock.shift_by_working_time(d.legal_due_at, seconds)
        appointment = clock.shift_by_working_time(d.due_at, seconds)
        data.update(old_due_at=d.due_at.isoformat(), new_due_at=appointment.due.isoformat())
        d.legal_due_at, d.due_at, d.calendar_version = legal.due, appointment.due, legal.calendar_version
        for step in d.steps.filter(OPEN_STEP, due_at__isnull=False):
            if step.due_at is not None:
                step.due_at = clock.shift_by_working_time(step.due_at, seconds).due
            step.save(update_fields=["due_at"])
    d.paused_at = None
    return data


@transaction.atomic
def dossier_act(
    *,
    actor: Any,
    code: str,
    action: str,
    reason: str = "",
    assignee: Any = None,
    files: list[FileInput] | None = None,
    result: FileInput | None = None,
    expected_revision: int | None = None,
    at: datetime.datetime | None = None,
) -> Dossier:
    """Take one action of the state machine on the dossier `code` (see `lifecycle.TRANSITIONS`)."""
    now = at or _now()
    reason = (reason or "").strip()[:2000]
    if not lifecycle.is_known_action(action):
        raise _err(Code.UNKNOWN_ACTION, _("Unknown action “%(action)s”."), "action", action=str(action)[:40])
    d = _lock(code)
    if expected_revision is not None and expected_revision != d.revision:
        raise EgovError(
            Code.STALE, _("The dossier was changed by someone else meanwhile; reload it and try again."),
            status_code=409,
        )  # fmt: skip
    rows = lifecycle.find(d.status, action)
    if not rows:
        raise EgovError(
            Code.TRANSITION_NOT_ALLOWED,
            _("The action “%(action)s” is not allowed while the dossier is “%(state)s”."),
            field="action",
            params={"action": Action(action).label, "state": State(d.status).label},
            status_code=409,
        )
    chosen: tuple[Transition, Agency | None] | None = None
    for row in rows:
        where = _allowed(d, actor, row)
        if where is not False:
            chosen = (row, where if isinstance(where, Agency) else None)
            break
    if chosen is None:
        raise PermissionDenied(
            Code.ROLE_NOT_ALLOWED,
            _("You are not allowed to take the action “%(action)s” on this dossier."),
            params={"action": Action(action).label},
        )
    transition, agency = chosen
    if transition.reason_required and not reason:
        raise _err(Code.REQUIRED, _("Give the reason."), "reason")
    rule = _rule(d, now)
    before = snapshot(d)
    from_state = d.status
    data: dict[str, Any] = {}
    checked_files: list[tuple[Any, str, str, bytes]] = []
    result_bytes: tuple[str, str, bytes] | None = None

    # validation specific to the action (nothing written yet)
    if action == Action.ASSIGN and (
        assignee is None or not orgs.user_has_role(assignee, "specialist", d.processing_agency)
    ):
        raise _err(Code.INVALID, _("Assign the dossier to a specialist of the processing agency."), "assignee")
    if action in (Action.START_APPRAISAL, Action.SUBMIT_TO_LEADER) and d.assignee_id not in (None, actor.pk):
        raise PermissionDenied(Code.ROLE_NOT_ALLOWED, _("The dossier is assigned to another specialist."))
    if action == Action.SUPPLEMENT:
        checked_files = _checked_files(d.procedure_version, d.case, files or [])
        if not checked_files and not reason:
            raise _err(Code.REQUIRED, _("Attach the missing documents."), "files")
    if action == Action.ISSUE_RESULT and result is not None:
        name, content_type = check_file(result.name, result.data)
        if content_type != "application/pdf":
            raise _err(Code.FILE_TYPE, _("The result must be a PDF document."), "result")
        result_bytes = (name, content_type, result.data)

    # transition
    target = d.resume_state if transition.target == RESUME_TO_PREVIOUS else transition.target
    if action == Action.RECEIVE:
        d.status = State.RECEIVED
        d.received_at = now
        _start_clock(d, now, rule)
        step = _open_step(d, "one_stop_officer", d.submitted_at, actor)
        _close_step(step, now)
    elif action == Action.REFUSE:
        d.status = target
        d.closed_at = now
    elif action == Action.REQUEST_SUPPLEMENT:
        d.supplement_phase = "reception" if from_state == State.SUBMITTED else "processing"
        d.resume_state = from_state
        d.status = target
        if d.supplement_phase == "processing":
            d.paused_at = now
            late = clock.working_days_until(d.clock_started_at or now, now) > rule.supplement_request_max_working_days
            data["requested_late"] = late
            current = d.steps.filter(OPEN_STEP).order_by("-id").first()
            if current is not None and rule.supplement_in_processing == SupplementRule.RESTART:
                _close_step(current, now)
    elif action == Action.SUPPLEMENT:
        d.status = target
        if d.supplement_phase == "processing":
            if rule.supplement_in_processing == SupplementRule.RESTART:
                old = d.legal_due_at
                _start_clock(d, now, rule)
                d.restarts += 1
                d.paused_at = None
                data.update(clock="restart", old_due_at=old.isoformat() if old else None,
                            new_due_at=d.legal_due_at.isoformat() if d.legal_due_at else None)  # fmt: skip
                _open_step(d, STEP_ROLE.get(d.status, "specialist"), now)
            else:
                data.update(_resume_after_pause(d, now, True))
        d.supplement_phase = ""
        d.resume_state = ""
    elif action == Action.TRANSFER:
        d.status = target
        d.transferred_at = now
        data["transfer_timeliness"] = clock.classify(now, d.transfer_due_at)
    elif action == Action.ASSIGN:
        d.status = target
        d.assignee = assignee
        data["assignee"] = assignee.get_username()
        running = d.steps.filter(OPEN_STEP).order_by("-id").first()
        if running is not None and running.role == "specialist":
            running.handled_by = assignee
            running.save(update_fields=["handled_by"])
    elif action in (Action.REQUEST_PAYMENT, Action.STOP):
        d.resume_state = from_state
        d.status = target
        d.paused_at = now
    elif action == Action.CONFIRM_PAYMENT:
        d.status = target
        d.resume_state = ""
        data.update(_resume_after_pause(d, now, rule.pause_for_payment))
    elif action == Action.RESUME:
        d.status = target
        d.resume_state = ""
        data.update(_resume_after_pause(d, now, rule.pause_when_stopped))
    elif action in (Action.APPROVE, Action.REJECT):
        d.status = target
        d.outcome = "approved" if action == Action.APPROVE else "rejected"
    elif action == Action.ISSUE_RESULT:
        d.status = target
        d.finished_at = now
        d.timeliness = clock.classify(now, d.legal_due_at)
    elif action == Action.RETURN_RESULT:
        d.status = target
        d.returned_at = now
        d.closed_at = now
    elif action == Action.WITHDRAW:
        d.status = target
        d.closed_at = now
        for step in d.steps.filter(OPEN_STEP):
            _close_step(step, now, classify=False)
    else:
        d.status = target
    untouched = (Action.RECEIVE, Action.WITHDRAW, Action.REQUEST_SUPPLEMENT, Action.SUPPLEMENT)
    if action not in untouched and d.status not in lifecycle.PAUSED:
        _switch_step(d, now, actor)
    if action == Action.ISSUE_RESULT:
        for step in d.steps.filter(OPEN_STEP):
            _close_step(step, now)
    if d.deadline_flag and (d.status not in tasks.CLOCK_RUNS or data.get("clock") == "restart"):
        # paused, finished, closed or restarted: the sweep marks it again if the new clock runs late
        d.deadline_flag, d.deadline_flagged_at, d.deadline_flag_due_at = "", None, None
    d.revision += 1
    d.save()

    for component, name, content_type, blob in checked_files:
        _store_file(d, kind=FileKind.APPLICANT, name=name, data=blob, content_type=content_type, actor=actor,
                    component=component)  # fmt: skip
    if action == Action.ISSUE_RESULT:
        if result_bytes is None:
            from egov.dossiers import pdf

            blob = pdf.render_result(d)
            result_bytes = (f"{d.code}-ket-qua.pdf", "application/pdf", blob)
        try:
            sealed = signing.seal_pdf(result_bytes[2], d.processing_agency, required=True)
        except signing.SealFailed as error:
            # the agency has a seal: a result it did not seal is not issued (the transaction rolls back)
            raise EgovError(
                Code.SEAL_FAILED,
                _(
                    "The result could not be sealed with the agency's digital seal; try again or contact the administrator."
                ),
                status_code=503,
            ) from error
        stored = _store_file(d, kind=FileKind.RESULT, name=result_bytes[0], data=sealed, content_type="application/pdf",
                             actor=actor, signed=signing.is_sealed(result_bytes[2], sealed))  # fmt: skip
        data.update(result_sha256=stored.sha256, result_signed=stored.signed)
    event = _event(d, action=action, from_state=from_state, actor=actor, at=now, agency=agency, reason=reason,
                   data=data)  # fmt: skip
    tasks.notify_applicant_after_commit(d, action, str(event.pk))
    audit_record(
        actor=actor,
        action=f"dossiers.dossier_{action}",
        target=d,
        before=before,
        after={**snapshot(d), **({"reason": reason} if reason else {})},
        agency_code=agency.code if agency is not None else "",
    )
    if action == Action.RECEIVE and d.channel_kind == ChannelKind.ONLINE:
        # online dossiers go to the competent body right after reception (Decree 61/2018 Art. 18)
        before = snapshot(d)
        d.status = State.TRANSFERRED
        d.transferred_at = now
        d.revision += 1
        d.save()
        _switch_step(d, now, None)
        _event(d, action=Action.TRANSFER, from_state=State.RECEIVED, actor=None, at=now, agency=d.receiving_centre,
               data={"automatic": True})  # fmt: skip
        audit_record(actor=actor, action="dossiers.dossier_transfer", target=d, before=before, after=snapshot(d),
                     agency_code=d.receiving_centre.code)  # fmt: skip
    return d


@transaction.atomic
def dossier_assign_bulk(*, actor: Any, codes: list[str], assignee: Any) -> list[Dossier]:
    """Assign several dossiers at once; all or none."""
    if not codes or len(codes) > 200:
        raise _err(Code.INVALID, _("Choose between 1 and 200 dossiers."), "codes")
    return [dossier_act(actor=actor, code=code, action=Action.ASSIGN, assignee=assignee) for code in codes]


# --- apology and new appointment (form 04) -------------------------------------------------------


@transaction.atomic
def dossier_apologise(
    *,
    actor: Any,
    code: str,
    reason: str,
    new_due_at: datetime.datetime,
    agency_at_fault: str = "",
    at: datetime.datetime | None = None,
) -> Apology:
    """Record the apology with a new appointment: by the body at fault, at least
    `rule.apology_min_working_days` working days before the due date, and only
    `rule.apology_max_count` time(s) (Decree 61/2018 Art. 19(9))."""
    now = at or _now()
    reason = (reason or "").strip()[:2000]
    d = _lock(code)
    allowed = orgs.user_has_role(actor, "leader", d.processing_agency) or orgs.user_has_role(
        actor, "one_stop_officer", d.receiving_centre
    )
    if not allowed:
        raise PermissionDenied(Code.ROLE_NOT_ALLOWED, _("Only a leader of the processing agency or a one-stop officer "
                                                        "of the receiving centre can issue an apology."))  # fmt: skip
    if d.status in lifecycle.CLOSED or d.status in lifecycle.FINISHED or d.due_at is None:
        raise EgovError(
            Code.TRANSITION_NOT_ALLOWED, _("An apology is possible only while the dossier is being processed."),
            status_code=409,
        )  # fmt: skip
    if not reason:
        raise _err(Code.REQUIRED, _("Give the reason."), "reason")
    rule = _rule(d, now)
    if d.apologies.count() >= rule.apology_max_count:
        raise EgovError(Code.APOLOGY_ONCE, _("The appointment can be reset only once."), status_code=409)
    if clock.working_days_until(now, d.due_at) < rule.apology_min_working_days:
        raise _err(
            Code.APOLOGY_TOO_LATE,
            _("The apology must be issued at least %(days)s working day(s) before the due date."),
            "new_due_at",
            days=rule.apology_min_working_days,
        )
    if new_due_at.tzinfo is None:
        raise _err(Code.APOLOGY_DATE, _("The new appointment needs a time zone."), "new_due_at")
    if new_due_at <= d.due_at:
        raise _err(Code.APOLOGY_DATE, _("The new appointment must come after the current one."), "new_due_at")
    fault = (
        _resolve_agency(agency_at_fault, timezone.localdate(now), "agency_at_fault")
        if agency_at_fault
        else (d.processing_agency)
    )
    before = snapshot(d)
    apology = Apology.objects.create(
        dossier=d,
        number=d.apologies.count() + 1,
        reason=reason,
        agency_at_fault=fault,
        old_due_at=d.due_at,
        new_due_at=new_due_at,
        calendar_version=d.calendar_version,
        issued_by=actor if _is_user(actor) else None,
        issued_at=now,
    )
    d.due_at = new_due_at
    d.revision += 1
    d.save(update_fields=["due_at", "revision", "updated_at"])
    _event(d, action="apologise", from_state=d.status, actor=actor, at=now, agency=fault, reason=reason,
           data={"old_due_at": apology.old_due_at.isoformat(), "new_due_at": new_due_at.isoformat()})  # fmt: skip
    audit_record(actor=actor, action="dossiers.dossier_apologise", target=d, before=before,
                 after={**snapshot(d), "reason": reason, "agency_at_fault": fault.code}, agency_code=fault.code)  # fmt: skip
    tasks.notify_applicant_after_commit(d, "apologise", str(apology.number))
    return apology


def decimal_or_zero(value: Any) -> Decimal:
    return Decimal(str(value or 0))
