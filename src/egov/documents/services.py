"""Writes of the electronic office: the outgoing flow (draft → review → approve → sign → number →
agency signature → release) and the incoming flow (receive → check → register → assign → handle →
complete, or refuse), each step an audited transaction that validates before it writes.

Rules and their sources: numbering per register and year, gapless and never reused (Decree 30
Annex I §3, Art. 15); number display with a leading zero below 10; statuses owed to the sender
01–06 (QCVN 102 status messages); secret documents never sent or received electronically
(Decision 28/2018/QĐ-TTg); deadlines on working days from `workcalendar`.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import audit_record
from egov.common.errors import EgovError, PermissionDenied
from egov.common.text import fold, nfc
from egov.documents import selectors, signing
from egov.documents.errors import DocumentsErrorCode
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    CaseFile,
    Channel,
    Competence,
    Confidentiality,
    DeliveryStatus,
    Direction,
    Document,
    DocumentFile,
    DocumentType,
    FileRole,
    NumberCounter,
    Priority,
    Recipient,
    Register,
    Status,
    StatusCode,
    StatusEvent,
)
from egov.orgs.models import Agency, Role, Unit
from egov.orgs.selectors import agency_find, memberships_for_user, user_roles
from egov.workcalendar.selectors import add_working_days

E = DocumentsErrorCode
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONFIDENTIAL_REFUSED = _(
    "Secret documents (Mật, Tối mật, Tuyệt mật) may not be sent or received electronically "
    "(Decision 28/2018/QĐ-TTg); handle them on paper."
)


# --- inputs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file as uploaded: its name, the type the sender declared, and its bytes."""

    name: str
    content: bytes
    content_type: str = ""

    @classmethod
    def from_django(cls, uploaded: Any) -> Upload:
        uploaded.seek(0)
        return cls(name=str(uploaded.name), content=uploaded.read(), content_type=str(uploaded.content_type or ""))


def _err(error: DocumentsErrorCode, message: Any, field: str | None = None, /, **params: Any) -> EgovError:
    return EgovError(error, message, field=field, params=params)


def _sniff(content: bytes) -> str:
    if content.lstrip()[:5] == b"%PDF-":
        return PDF
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return ""
    return ""


def _declared(upload: Upload) -> str:
    declared = upload.content_type.split(";")[0].strip().lower()
    if declared in (PDF, DOCX):
        return declared
    name = upload.name.lower()
    if name.endswith(".pdf"):
        return PDF
    if name.endswith(".docx"):
        return DOCX
    return declared


def check_upload(upload: Upload, *, allowed: Iterable[str], field: str) -> str:
    """The content type of `upload`, checked by its magic bytes against what was declared."""
    allowed = tuple(allowed)
    if not upload.content:
        raise _err(E.FILE_MISSING, _("The file is empty."), field)
    declared = _declared(upload)
    actual = _sniff(upload.content)
    if declared not in allowed:
        raise _err(
            E.FILE_TYPE, _("This kind of file is not accepted here: %(declared)s."), field, declared=declared or "?"
        )
    if actual != declared:
        raise _err(
            E.FILE_TYPE,
            _("The file's content is not of the declared type %(declared)s."),
            field,
            declared="PDF" if declared == PDF else "DOCX",
        )
    return actual


def _store(document: Document, upload: Upload, role: str, content_type: str) -> DocumentFile:
    row = DocumentFile(
        document=document,
        role=role,
        name=nfc(upload.name)[:200],
        content_type=content_type,
        sha256=hashlib.sha256(upload.content).hexdigest(),
        size=len(upload.content),
    )
    row.file.save(upload.name, ContentFile(upload.content), save=False)
    row.save()
    return row


def _replace_content(row: DocumentFile, content: bytes) -> None:
    row.file.save(row.name, ContentFile(content), save=False)
    row.sha256 = hashlib.sha256(content).hexdigest()
    row.size = len(content)
    row.signature_count += 1
    row.save()


def file_bytes(row: DocumentFile) -> bytes:
    with row.file.open("rb") as handle:
        data: bytes = handle.read()
    return data


# --- roles ------------------------------------------------------------------------------------------


def _require_role(actor: Any, agency: Agency, *roles: str) -> None:
    """Refuse unless `actor` holds one of `roles` in `agency` (the system, actor None, may act)."""
    if actor is None:
        return
    if not set(roles) & user_roles(actor, agency):
        names = ", ".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(
            E.ROLE_REQUIRED,
            _("This action needs the role %(roles)s in %(agency)s."),
            params={"roles": names, "agency": agency.name_vi},
        )


def _require_member(actor: Any, agency: Agency) -> None:
    if actor is None:
        return
    if not any(m.agency_id == agency.pk for m in memberships_for_user(actor)):
        raise PermissionDenied(E.ROLE_REQUIRED, _("You do not work for %(agency)s."), params={"agency": agency.name_vi})


def _require_status(document: Document, *statuses: str) -> None:
    if document.status not in statuses:
        raise _err(
            E.WRONG_STATE,
            _("This action is not possible while the document is “%(status)s”."),
            None,
            status=str(Status(document.status).label),
        )


def _locked(document: Document) -> Document:
    return Document.objects.select_for_update().select_related("owner_agency", "document_type").get(pk=document.pk)


def snapshot(document: Document) -> dict[str, Any]:
    return {
        "direction": document.direction,
        "status": document.status,
        "number_notation": document.number_notation,
        "arrival_number": document.arrival_number,
        "subject": document.subject,
        "document_id": document.document_id,
        "due_date": document.due_date.isoformat() if document.due_date else None,
        "channel": document.channel,
    }


def _audit(actor: Any, verb: str, document: Document, before: dict[str, Any] | None, **extra: Any) -> None:
    after = {**snapshot(document), **extra}
    audit_record(
        actor=actor,
        action=f"documents.document_{verb}",
        target=document,
        before=before,
        after=after,
        agency_code=document.owner_agency.code,
    )


def search_text(document: Document) -> str:
    parts = [
        document.subject,
        document.number_notation,
        document.issuer_name,
        document.document_type.name_vi,
        document.signer_name,
        document.signer_position,
        document.document_id,
        document.to_places,
    ]
    return fold(" ".join(p for p in parts if p))


def _text(value: Any, field: str, max_length: int, *, required: bool = False) -> str:
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise _err(E.INVALID, _("This field is required."), field)
    if len(text) > max_length:
        raise _err(E.INVALID, _("At most %(max)s characters."), field, max=max_length)
    return text


def _choice(value: Any, choices: Any, field: str) -> Any:
    if value in (None, ""):
        return choices.values[0]
    if value not in choices.values:
        raise _err(E.INVALID, _("Unknown value: %(value)s."), field, value=value)
    return value


def _doc_type(value: DocumentType | str | None) -> DocumentType:
    if isinstance(value, DocumentType):
        return value
    found = DocumentType.objects.filter(code=str(value or ""), active=True).first()
    if found is None:
        raise _err(E.INVALID, _("Unknown document type: %(value)s."), "document_type", value=value)
    return found


# --- registers and numbers -------------------------------------------------------------------------

REGISTER_NAMES = {
    (Direction.OUTGOING, "chung"): "Sổ đăng ký văn bản đi",
    (Direction.OUTGOING, "mat"): "Sổ đăng ký văn bản đi (mật)",
    (Direction.INCOMING, "chung"): "Sổ đăng ký văn bản đến",
    (Direction.INCOMING, "mat"): "Sổ đăng ký văn bản đến (mật)",
}


def register_for(agency: Agency, direction: str, year: int, *, secret: bool = False) -> Register:
    """The agency's register for `year` (created on first use, with its counter at 0)."""
    code = "mat" if secret else "chung"
    register, _created = Register.objects.get_or_create(
        agency=agency,
        direction=direction,
        year=year,
        code=code,
        defaults={"name": REGISTER_NAMES[(Direction(direction), code)]},
    )
    NumberCounter.objects.get_or_create(register=register)
    return register


def allocate_number(register: Register) -> int:
    """The next number of `register`: the counter row is locked until the caller's transaction
    ends, so concurrent clerks wait in turn; a rolled-back allocation gives its number back."""
    counter = NumberCounter.objects.select_for_update().get(register=register)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def format_number(number: int) -> str:
    return f"{number:02d}"


def notation_for(document: Document) -> str:
    """`{type abbr}-{body abbr}`, or for a công văn `{body abbr}-{drafting unit abbr}` (Annex I §3)."""
    agency = document.owner_agency
    body = agency.abbreviation or agency.code_d20
    if document.document_type.abbreviation:
        return f"{document.document_type.abbreviation}-{body}"
    unit = document.drafting_unit
    return f"{body}-{unit.short_code}" if unit is not None and unit.short_code else body


def make_document_id(organ_id: str, issued: datetime.date, number_notation: str) -> str:
    return f"{organ_id},{issued:%Y/%m/%d},{number_notation}"


# --- outgoing -----------------------------------------------------------------------------------------


def _recipients(agency: Agency, values: Iterable[Any]) -> list[Recipient]:
    rows: list[Recipient] = []
    seen: set[str] = set()
    for value in values:
        if isinstance(value, Agency):
            found: Agency | None = value
            organ_id, organ_name = value.code, value.name_vi
        else:
            item = dict(value) if isinstance(value, Mapping) else {"organ_id": str(value)}
            organ_id = _text(item.get("organ_id"), "recipients", 13)
            organ_name = _text(item.get("organ_name"), "recipients", 200)
            found = agency_find(organ_id) if organ_id else None
            if found is not None and not found.in_force_on(timezone.localdate()):
                found = None
        if found is not None:
            organ_id, organ_name = found.code, found.name_vi
        if not organ_id and not organ_name:
            raise _err(E.RECIPIENT_INVALID, _("A recipient needs a code or a name."), "recipients")
        if found is None and not organ_name:
            raise _err(
                E.RECIPIENT_INVALID,
                _("No agency on the platform has the code %(code)s; give its name."),
                "recipients",
                code=organ_id,
            )
        if found is not None and found.pk == agency.pk:
            raise _err(E.RECIPIENT_INVALID, _("An agency does not send a document to itself."), "recipients")
        key = organ_id or organ_name
        if key in seen:
            raise _err(E.RECIPIENT_INVALID, _("The recipient %(code)s is listed twice."), "recipients", code=key)
        seen.add(key)
        rows.append(Recipient(agency=found, organ_id=organ_id, organ_name=organ_name))
    return rows


@transaction.atomic
def document_draft_create(
    *,
    actor: Any,
    agency: Agency,
    document_type: DocumentType | str,
    subject: str,
    main_file: Upload,
    source_file: Upload | None = None,
    attachments: Iterable[Upload] = (),
    recipients: Iterable[Any] = (),
    drafting_unit: Unit | None = None,
    signer_competence: str = "",
    signer_position: str = "",
    signer_name: str = "",
    priority: int = Priority.NORMAL,
    confidentiality: int = Confidentiality.NONE,
    due_date: datetime.date | None = None,
    issued_place: str = "",
    page_amount: int | None = None,
    issued_amount: int | None = None,
    language: str = "vi",
    to_places: str = "",
) -> Document:
    """A draft outgoing document: the PDF to be signed, optionally its DOCX source and
    attachments (PDF), and its recipients (platform agencies by code, or outside bodies)."""
    _require_member(actor, agency)
    dtype = _doc_type(document_type)
    doc = Document(
        direction=Direction.OUTGOING,
        owner_agency=agency,
        document_type=dtype,
        issuer_agency=agency,
        issuer_name=agency.name_vi,
        issuer_organ_id=agency.code,
        subject=_text(subject, "subject", 500, required=True),
        signer_competence=_choice(signer_competence or "", Competence, "signer_competence"),
        signer_position=_text(signer_position, "signer_position", 100),
        signer_name=_text(signer_name, "signer_name", 50),
        priority=_choice(priority, Priority, "priority"),
        confidentiality=_choice(confidentiality, Confidentiality, "confidentiality"),
        due_date=due_date,
        issued_place=_text(issued_place, "issued_place", 50),
        page_amount=page_amount,
        issued_amount=issued_amount,
        language=_text(language or "vi", "language", 30),
        to_places=_text(to_places, "to_places", 1000),
        status=Status.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if drafting_unit is not None and drafting_unit.agency_id != agency.pk:
        raise _err(E.UNIT_OF_OTHER_AGENCY, _("The unit belongs to another agency."), "drafting_unit")
    doc.drafting_unit = drafting_unit
    check_upload(main_file, allowed=[PDF], field="main_file")
    if source_file is not None:
        check_upload(source_file, allowed=[DOCX, PDF], field="source_file")
    attachments = list(attachments)
    for upload in attachments:
        check_upload(upload, allowed=[PDF], field="attachments")
    recipient_rows = _recipients(agency, recipients)
    doc.search_text = search_text(doc)
    doc.save()
    _store(doc, main_file, FileRole.MAIN, PDF)
    if source_file is not None:
        _store(doc, source_file, FileRole.SOURCE, _sniff(source_file.content))
    for upload in attachments:
        _store(doc, upload, FileRole.ATTACHMENT, PDF)
    for row in recipient_rows:
        row.document = doc
        row.save()
    _audit(actor, "draft_create", doc, None, recipients=[r.organ_id or r.organ_name for r in recipient_rows])
    return doc


@transaction.atomic
def document_submit(*, actor: Any, document: Document) -> Document:
    """Send a draft for review and approval."""
    doc = _locked(document)
    _require_member(actor, doc.owner_agency)
    _require_status(doc, Status.DRAFT)
    before = snapshot(doc)
    doc.status = Status.IN_REVIEW
    doc.save(update_fields=["status", "updated_at"])
    _audit(actor, "submit", doc, before)
    return doc


@transaction.atomic
def document_approve(*, actor: Any, document: Document, comment: str = "") -> Document:
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.LEADER)
    _require_status(doc, Status.DRAFT, Status.IN_REVIEW)
    before = snapshot(doc)
    doc.status = Status.APPROVED
    doc.approved_by = actor if getattr(actor, "pk", None) else None
    doc.save(update_fields=["status", "approved_by", "updated_at"])
    _audit(actor, "approve", doc, before, comment=_text(comment, "comment", 500))
    return doc


@transaction.atomic
def document_return(*, actor: Any, document: Document, comment: str) -> Document:
    """Send a document in review back to its drafter."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.LEADER)
    _require_status(doc, Status.IN_REVIEW, Status.APPROVED)
    text = _text(comment, "comment", 500, required=True)
    before = snapshot(doc)
    doc.status = Status.DRAFT
    doc.save(update_fields=["status", "updated_at"])
    _audit(actor, "return", doc, before, comment=text)
    return doc


def _main_file(doc: Document) -> DocumentFile:
    row = doc.files.filter(role=FileRole.MAIN).first()
    if row is None:
        raise _err(E.FILE_MISSING, _("The document has no main file."), "main_file")
    return row


@transaction.atomic
def document_sign(*, actor: Any, document: Document) -> Document:
    """The competent person signs the main PDF with their personal signature."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.LEADER)
    if doc.status in (Status.SIGNED, Status.NUMBERED, Status.SEALED, Status.RELEASED):
        raise _err(E.WRONG_STATE, _("The document is already signed."))
    _require_status(doc, Status.APPROVED)
    before = snapshot(doc)
    if not doc.signer_name and actor is not None:
        doc.signer_name = str(getattr(actor, "full_name", "") or actor.get_username())[:50]
    if not doc.signer_position and actor is not None:
        positions = [m.position for m in memberships_for_user(actor) if m.agency_id == doc.owner_agency_id]
        doc.signer_position = (positions[0] if positions else "")[:100]
    row = _main_file(doc)
    signed = signing.sign_as_person(
        file_bytes(row), actor, position=f"{doc.signer_competence} {doc.signer_position}".strip(), name=doc.signer_name
    )
    _replace_content(row, signed)
    doc.status = Status.SIGNED
    doc.signed_by = actor if getattr(actor, "pk", None) else None
    doc.signed_at = timezone.now()
    doc.search_text = search_text(doc)
    doc.save()
    _audit(actor, "sign", doc, before, signed_sha256=row.sha256)
    return doc


@transaction.atomic
def document_number(*, actor: Any, document: Document) -> Document:
    """The clerk numbers a signed document: next number of the agency's outgoing register for
    the year (secret documents: their own register), `Số: 05/QĐ-UBND`."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK)
    if doc.direction != Direction.OUTGOING:
        raise _err(E.WRONG_STATE, _("Only outgoing documents are numbered."))
    if doc.number is not None:
        raise _err(
            E.ALREADY_NUMBERED, _("The document already has the number %(number)s."), None, number=doc.number_notation
        )
    if doc.status != Status.SIGNED:
        raise _err(E.NOT_SIGNED, _("A document is numbered only after it is signed."))
    before = snapshot(doc)
    today = timezone.localdate()
    register = register_for(doc.owner_agency, Direction.OUTGOING, today.year, secret=doc.confidentiality > 0)
    number = allocate_number(register)
    doc.register = register
    doc.number = number
    doc.notation = notation_for(doc)[:30]
    doc.number_notation = f"{format_number(number)}/{doc.notation}"
    doc.issued_date = today
    doc.document_id = make_document_id(doc.owner_agency.code, today, doc.number_notation)
    doc.status = Status.NUMBERED
    doc.search_text = search_text(doc)
    doc.save()
    _audit(actor, "number", doc, before, register=register.pk, number=number)
    return doc


@transaction.atomic
def document_seal(*, actor: Any, document: Document) -> Document:
    """The clerk applies the agency signature to the main file and to each attachment."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK)
    if doc.number is None:
        raise _err(E.NOT_NUMBERED, _("The document must be numbered before the agency signature."))
    _require_status(doc, Status.NUMBERED)
    before = snapshot(doc)
    when = timezone.now()
    for row in doc.files.exclude(role=FileRole.SOURCE).order_by("role", "id"):
        sealed = signing.seal_as_agency(
            file_bytes(row),
            doc.owner_agency,
            doc.number_notation,
            when,
            actor=actor,
            attachment=row.role == FileRole.ATTACHMENT,
        )
        _replace_content(row, sealed)
    doc.status = Status.SEALED
    doc.sealed_at = when
    doc.save(update_fields=["status", "sealed_at", "updated_at"])
    _audit(actor, "seal", doc, before)
    return doc


def duplicates_of(doc: Document) -> list[Document]:
    """Earlier documents in the same agency's incoming records with the same DocumentId, or the
    same number/notation from the same issuer (Annex VI: duplicate warning)."""
    qs = Document.objects.filter(owner_agency_id=doc.owner_agency_id, direction=doc.direction).exclude(pk=doc.pk)
    found: list[Document] = []
    if doc.document_id:
        found += list(qs.filter(document_id=doc.document_id)[:5])
    if doc.number_notation:
        same = qs.filter(number_notation=doc.number_notation)
        same = (
            same.filter(issuer_organ_id=doc.issuer_organ_id)
            if doc.issuer_organ_id
            else same.filter(issuer_name=doc.issuer_name)
        )
        found += [d for d in same[:5] if d not in found]
    return found


def _duplicate_text(doc: Document) -> str:
    dups = duplicates_of(doc)
    if not dups:
        return ""
    return f"Có thể trùng với: {', '.join(f'#{d.pk} {d.number_notation}' for d in dups)}"[:500]


def _record_status(doc: Document, code: str, actor: Any, description: str = "") -> None:
    """The status owed to the sender: kept on the incoming document and, for a sender inside
    the platform, written at once to its delivery ledger."""
    now = timezone.now()
    staff = str(getattr(actor, "full_name", "") or (actor.get_username() if actor is not None else ""))[:100]
    StatusEvent.objects.create(
        document=doc, code=code, description=description[:500], staff_name=staff, occurred_at=now
    )
    if doc.source_recipient_id:
        Recipient.objects.filter(pk=doc.source_recipient_id).update(
            last_status_code=code, last_status_at=now, last_status_description=description[:500], updated_at=now
        )


def _deliver_inside(actor: Any, sender: Document, recipient: Recipient) -> Document:
    """Create the receiving agency's incoming document (status 01), files copied."""
    assert recipient.agency is not None
    incoming = Document(
        direction=Direction.INCOMING,
        owner_agency=recipient.agency,
        document_type=sender.document_type,
        number=sender.number,
        notation=sender.notation,
        number_notation=sender.number_notation,
        issuer_agency=sender.owner_agency,
        issuer_name=sender.owner_agency.name_vi,
        issuer_organ_id=sender.owner_agency.code,
        issued_date=sender.issued_date,
        issued_place=sender.issued_place,
        subject=sender.subject,
        signer_competence=sender.signer_competence,
        signer_position=sender.signer_position,
        signer_name=sender.signer_name,
        priority=sender.priority,
        confidentiality=sender.confidentiality,
        due_date=sender.due_date,
        page_amount=sender.page_amount,
        language=sender.language,
        to_places=sender.to_places,
        status=Status.ARRIVED,
        channel=Channel.ELECTRONIC,
        document_id=sender.document_id,
        arrival_date=timezone.now(),
        source_recipient=recipient,
    )
    incoming.search_text = search_text(incoming)
    incoming.save()
    main_report: dict[str, Any] = {}
    for row in sender.files.exclude(role=FileRole.SOURCE).order_by("role", "id"):
        data = file_bytes(row)
        _store(incoming, Upload(name=row.name, content=data, content_type=row.content_type), row.role, row.content_type)
        if row.role == FileRole.MAIN:
            main_report = signing.validate(data)
    incoming.signature_report = main_report
    incoming.duplicate_warning = _duplicate_text(incoming)
    incoming.save(update_fields=["signature_report", "duplicate_warning", "updated_at"])
    _record_status(incoming, StatusCode.ARRIVED, None)
    _audit(actor, "receive", incoming, None, source=sender.pk)
    return incoming


@transaction.atomic
def document_release(*, actor: Any, document: Document, channel: str = Channel.ELECTRONIC) -> Document:
    """Release a numbered, signed document. Electronically (the default): recipients on the
    platform receive it at once as an incoming document; outside recipients wait for the
    exchange (`outgoing_pending_exchange`). On paper: the clerk records the paper dispatch."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK)
    if doc.direction != Direction.OUTGOING:
        raise _err(E.WRONG_STATE, _("Only outgoing documents are released."))
    if doc.status == Status.RELEASED:
        raise _err(E.WRONG_STATE, _("The document is already released."))
    if doc.signed_at is None:
        raise _err(E.NOT_SIGNED, _("An unsigned document cannot be released."))
    if doc.number is None:
        raise _err(E.NOT_NUMBERED, _("A document without a number cannot be released."))
    if channel not in Channel.values:
        raise _err(E.INVALID, _("Unknown value: %(value)s."), "channel", value=channel)
    if channel == Channel.ELECTRONIC:
        if doc.confidentiality > 0:
            raise _err(E.CONFIDENTIAL, CONFIDENTIAL_REFUSED, "confidentiality")
        if doc.status != Status.SEALED:
            raise _err(E.NOT_SEALED, _("The agency signature must be applied before electronic release."))
    recipients = list(doc.recipients.select_related("agency").order_by("id"))
    if not recipients:
        raise _err(E.RECIPIENT_INVALID, _("The document has no recipients."), "recipients")
    before = snapshot(doc)
    now = timezone.now()
    doc.status = Status.RELEASED
    doc.released_at = now
    doc.channel = channel
    doc.save(update_fields=["status", "released_at", "channel", "updated_at"])
    for rec in recipients:
        if channel == Channel.PAPER:
            rec.delivery_status = DeliveryStatus.PAPER
            rec.delivered_at = now
        elif rec.agency is not None:
            rec.delivery_status = DeliveryStatus.DELIVERED
            rec.delivered_at = now
            rec.save()
            rec.incoming_document = _deliver_inside(actor, doc, rec)
            rec.refresh_from_db(fields=["last_status_code", "last_status_at", "last_status_description"])
        else:
            rec.delivery_status = DeliveryStatus.AWAITING_EXCHANGE
        rec.save()
    _audit(
        actor,
        "release",
        doc,
        before,
        recipients={r.organ_id or r.organ_name: r.delivery_status for r in recipients},
    )
    return doc


# --- the seam for the exchange capability ------------------------------------------------------------


def outgoing_pending_exchange(*, agency: Agency | None = None) -> list[Recipient]:
    """Recipients outside the platform whose released document waits for electronic delivery
    (never a secret document). The exchange app calls this, then `exchange_mark_delivered`."""
    qs = Recipient.objects.filter(
        delivery_status=DeliveryStatus.AWAITING_EXCHANGE,
        document__status=Status.RELEASED,
        document__confidentiality=Confidentiality.NONE,
    ).select_related("document", "document__owner_agency", "document__document_type")
    if agency is not None:
        qs = qs.filter(document__owner_agency=agency)
    return list(qs.order_by("document__released_at", "id"))


@transaction.atomic
def exchange_mark_delivered(
    *, actor: Any, recipient: Recipient, delivered_at: datetime.datetime | None = None
) -> Recipient:
    rec = (
        Recipient.objects.select_for_update().select_related("document", "document__owner_agency").get(pk=recipient.pk)
    )
    if rec.delivery_status != DeliveryStatus.AWAITING_EXCHANGE:
        raise _err(E.WRONG_STATE, _("This recipient is not awaiting electronic delivery."))
    rec.delivery_status = DeliveryStatus.DELIVERED
    rec.delivered_at = delivered_at or timezone.now()
    rec.save(update_fields=["delivery_status", "delivered_at", "updated_at"])
    audit_record(
        actor=actor,
        action="documents.recipient_delivered",
        target=rec,
        before={"delivery_status": DeliveryStatus.AWAITING_EXCHANGE},
        after={"delivery_status": rec.delivery_status, "organ_id": rec.organ_id},
        agency_code=rec.document.owner_agency.code,
    )
    return rec


@transaction.atomic
def exchange_record_status(
    *, actor: Any, recipient: Recipient, code: str, description: str = "", at: datetime.datetime | None = None
) -> Recipient:
    """A status message (01–06) from an outside receiver, written to the delivery ledger."""
    if code not in StatusCode.values:
        raise _err(E.INVALID, _("Unknown value: %(value)s."), "code", value=code)
    rec = (
        Recipient.objects.select_for_update().select_related("document", "document__owner_agency").get(pk=recipient.pk)
    )
    before = {"last_status_code": rec.last_status_code}
    rec.last_status_code = code
    rec.last_status_at = at or timezone.now()
    rec.last_status_description = _text(description, "description", 500)
    rec.save()
    audit_record(
        actor=actor,
        action="documents.recipient_status",
        target=rec,
        before=before,
        after={"last_status_code": code},
        agency_code=rec.document.owner_agency.code,
    )
    return rec


# --- incoming -----------------------------------------------------------------------------------------


@transaction.atomic
def document_receive_paper(
    *,
    actor: Any,
    agency: Agency,
    document_type: DocumentType | str,
    subject: str,
    issuer_name: str,
    scan: Upload,
    issuer_organ_id: str = "",
    number: int | None = None,
    notation: str = "",
    issued_date: datetime.date | None = None,
    signer_position: str = "",
    signer_name: str = "",
    priority: int = Priority.NORMAL,
    confidentiality: int = Confidentiality.NONE,
    due_date: datetime.date | None = None,
    page_amount: int | None = None,
    received_at: datetime.datetime | None = None,
) -> Document:
    """The clerk records a paper document received, with its scan (PDF); status 01."""
    _require_role(actor, agency, Role.CLERK)
    confidentiality = _choice(confidentiality, Confidentiality, "confidentiality")
    if confidentiality > 0:
        raise _err(E.CONFIDENTIAL, CONFIDENTIAL_REFUSED, "confidentiality")
    dtype = _doc_type(document_type)
    check_upload(scan, allowed=[PDF], field="scan")
    if issued_date is not None and issued_date > timezone.localdate():
        raise _err(E.INVALID, _("The date of issue cannot be in the future."), "issued_date")
    if number is not None and number <= 0:
        raise _err(E.INVALID, _("A document number is a positive whole number."), "number")
    notation = _text(notation, "notation", 30)
    doc = Document(
        direction=Direction.INCOMING,
        owner_agency=agency,
        document_type=dtype,
        number=number,
        notation=notation,
        number_notation=f"{format_number(number)}/{notation}" if number and notation else (notation or ""),
        issuer_name=_text(issuer_name, "issuer_name", 200, required=True),
        issuer_organ_id=_text(issuer_organ_id, "issuer_organ_id", 13),
        issued_date=issued_date,
        subject=_text(subject, "subject", 500, required=True),
        signer_position=_text(signer_position, "signer_position", 100),
        signer_name=_text(signer_name, "signer_name", 50),
        priority=_choice(priority, Priority, "priority"),
        confidentiality=confidentiality,
        due_date=due_date,
        page_amount=page_amount,
        status=Status.ARRIVED,
        channel=Channel.PAPER,
        arrival_date=received_at or timezone.now(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    found = agency_find(doc.issuer_organ_id) if doc.issuer_organ_id else None
    doc.issuer_agency = found
    if doc.issuer_organ_id and doc.number_notation and issued_date:
        doc.document_id = make_document_id(doc.issuer_organ_id, issued_date, doc.number_notation)
    doc.search_text = search_text(doc)
    doc.save()
    _store(doc, scan, FileRole.MAIN, PDF)
    doc.duplicate_warning = _duplicate_text(doc)
    doc.save(update_fields=["duplicate_warning"])
    _record_status(doc, StatusCode.ARRIVED, actor)
    _audit(actor, "receive", doc, None, channel=Channel.PAPER)
    return doc


@transaction.atomic
def document_check_signatures(*, actor: Any, document: Document) -> Document:
    """Validate the signatures of the main file again and keep the report."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK, Role.LEADER)
    before = snapshot(doc)
    doc.signature_report = signing.validate(file_bytes(_main_file(doc)))
    doc.save(update_fields=["signature_report", "updated_at"])
    _audit(actor, "check_signatures", doc, before, valid=bool(doc.signature_report.get("valid")))
    return doc


def _leader_of(agency: Agency, user: Any) -> bool:
    return Role.LEADER in user_roles(user, agency)


@transaction.atomic
def document_register(*, actor: Any, document: Document, present_to: Any = None) -> Document:
    """Enter an arrived document in the agency's incoming register with the next incoming number
    of the year (one sequence for paper and electronic documents, Art. 22(2)); status 03;
    presented to the leader the same day."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK)
    if doc.direction != Direction.INCOMING:
        raise _err(E.WRONG_STATE, _("Only incoming documents are registered."))
    if doc.arrival_number is not None:
        raise _err(
            E.ALREADY_NUMBERED,
            _("The document is already registered with the number %(number)s."),
            None,
            number=doc.arrival_number,
        )
    _require_status(doc, Status.ARRIVED)
    if present_to is not None and not _leader_of(doc.owner_agency, present_to):
        raise _err(E.HANDLER_INVALID, _("The document is presented to a leader of the agency."), "present_to")
    before = snapshot(doc)
    today = timezone.localdate()
    register = register_for(doc.owner_agency, Direction.INCOMING, today.year)
    doc.register = register
    doc.arrival_number = allocate_number(register)
    doc.status = Status.REGISTERED
    doc.presented_to = present_to
    doc.duplicate_warning = _duplicate_text(doc)
    doc.save()
    _record_status(doc, StatusCode.REGISTERED, actor)
    _audit(actor, "register", doc, before, arrival_number=doc.arrival_number)
    return doc


@transaction.atomic
def document_refuse(*, actor: Any, document: Document, reason: str) -> Document:
    """Return an arrived document (wrong recipient, invalid): status 02 with the reason."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.CLERK)
    text = _text(reason, "reason", 500)
    if not text:
        raise _err(E.REASON_REQUIRED, _("Give the reason for refusing the document."), "reason")
    _require_status(doc, Status.ARRIVED)
    before = snapshot(doc)
    doc.status = Status.REFUSED
    doc.refusal_reason = text
    doc.save(update_fields=["status", "refusal_reason", "updated_at"])
    _record_status(doc, StatusCode.REFUSED, actor, text)
    _audit(actor, "refuse", doc, before, reason=text)
    return doc


def _deadline(days: int | None, due: datetime.date | None) -> tuple[datetime.date | None, str]:
    if days is not None:
        if days <= 0 or days > 365:
            raise _err(E.INVALID, _("A time limit is between 1 and 365 working days."), "days")
        deadline = add_working_days(timezone.now(), days)
        return timezone.localtime(deadline.due).date(), deadline.calendar_version
    if due is not None and due < timezone.localdate():
        raise _err(E.INVALID, _("The deadline cannot be in the past."), "deadline")
    return due, ""


def _unit(agency: Agency, value: Unit | int | None, field: str) -> Unit:
    unit = value if isinstance(value, Unit) else Unit.objects.filter(pk=int(value or 0)).first()
    if unit is None:
        raise _err(E.INVALID, _("Unknown unit."), field)
    if unit.agency_id != agency.pk:
        raise _err(
            E.UNIT_OF_OTHER_AGENCY, _("The unit “%(unit)s” belongs to another agency."), field, unit=unit.name_vi
        )
    return unit


@transaction.atomic
def document_assign(
    *,
    actor: Any,
    document: Document,
    lead_unit: Unit | int,
    coordinating_units: Iterable[Unit | int] = (),
    days: int | None = None,
    deadline: datetime.date | None = None,
    instruction: str = "",
) -> Document:
    """The leader assigns a registered document: lead unit (chủ trì), coordinating units (phối
    hợp), deadline (working days, `workcalendar`) and instructions; status 04."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.LEADER)
    _require_status(doc, Status.REGISTERED)
    lead = _unit(doc.owner_agency, lead_unit, "lead_unit")
    others = [_unit(doc.owner_agency, u, "coordinating_units") for u in coordinating_units]
    others = [u for u in dict.fromkeys(others) if u.pk != lead.pk]
    due, version = _deadline(days, deadline)
    text = _text(instruction, "instruction", 2000)
    before = snapshot(doc)
    by = actor if getattr(actor, "pk", None) else None
    Assignment.objects.create(
        document=doc,
        role=AssignmentRole.LEAD,
        unit=lead,
        deadline=due,
        deadline_calendar_version=version,
        instruction=text,
        assigned_by=by,
    )
    for unit in others:
        Assignment.objects.create(
            document=doc,
            role=AssignmentRole.COORDINATE,
            unit=unit,
            deadline=due,
            deadline_calendar_version=version,
            instruction=text,
            assigned_by=by,
        )
    doc.status = Status.ASSIGNED
    if due is not None:
        doc.due_date = due
        doc.due_calendar_version = version
    doc.save()
    _record_status(doc, StatusCode.ASSIGNED, actor, text)
    _audit(actor, "assign", doc, before, lead_unit=lead.pk, coordinating_units=[u.pk for u in others])
    return doc


@transaction.atomic
def document_assign_handler(
    *, actor: Any, document: Document, handler: Any, deadline: datetime.date | None = None, instruction: str = ""
) -> Document:
    """The leader of the lead unit (or of the agency) names the person who handles it."""
    doc = _locked(document)
    _require_role(actor, doc.owner_agency, Role.LEADER)
    _require_status(doc, Status.ASSIGNED)
    lead = doc.assignments.filter(role=AssignmentRole.LEAD).select_related("unit").first()
    members = [m for m in memberships_for_user(handler) if m.agency_id == doc.owner_agency_id]
    if not members:
        raise _err(E.HANDLER_INVALID, _("The handler must work for the agency."), "handler")
    if deadline is not None and lead is not None and lead.deadline is not None and deadline > lead.deadline:
        raise _err(E.INVALID, _("The handler's deadline cannot be later than the unit's."), "deadline")
    before = snapshot(doc)
    Assignment.objects.create(
        document=doc,
        role=AssignmentRole.HANDLER,
        unit=lead.unit if lead else None,
        handler=handler,
        deadline=deadline or (lead.deadline if lead else doc.due_date),
        instruction=_text(instruction, "instruction", 2000),
        assigned_by=actor if getattr(actor, "pk", None) else None,
    )
    _audit(actor, "assign_handler", doc, before, handler=handler.pk)
    return doc


def _require_handler(actor: Any, doc: Document) -> None:
    if actor is None or _leader_of(doc.owner_agency, actor):
        return
    if not doc.assignments.filter(role=AssignmentRole.HANDLER, handler_id=actor.pk).exists():
        raise PermissionDenied(E.ROLE_REQUIRED, _("Only the assigned handler or a leader may do this."))


@transaction.atomic
def document_start(*, actor: Any, document: Document, note: str = "") -> Document:
    doc = _locked(document)
    _require_handler(actor, doc)
    _require_status(doc, Status.ASSIGNED)
    before = snapshot(doc)
    doc.status = Status.PROCESSING
    doc.save(update_fields=["status", "updated_at"])
    _record_status(doc, StatusCode.PROCESSING, actor, _text(note, "note", 500))
    _audit(actor, "start", doc, before)
    return doc


@transaction.atomic
def document_complete(*, actor: Any, document: Document, note: str = "") -> Document:
    doc = _locked(document)
    _require_handler(actor, doc)
    _require_status(doc, Status.ASSIGNED, Status.PROCESSING)
    before = snapshot(doc)
    doc.status = Status.COMPLETED
    doc.completed_at = timezone.now()
    doc.save(update_fields=["status", "completed_at", "updated_at"])
    _record_status(doc, StatusCode.COMPLETED, actor, _text(note, "note", 500))
    _audit(actor, "complete", doc, before)
    return doc


# --- files (hồ sơ công việc) ------------------------------------------------------------------------


@transaction.atomic
def case_file_create(
    *,
    actor: Any,
    agency: Agency,
    year: int,
    notation: str,
    title: str,
    maintenance: str = "10 năm",
    rights: str = "Hạn chế",
) -> CaseFile:
    _require_role(actor, agency, Role.CLERK, Role.LEADER)
    notation = _text(notation, "notation", 20, required=True)
    if CaseFile.objects.filter(agency=agency, year=year, notation=notation).exists():
        raise _err(E.INVALID, _("A file with this notation already exists for the year."), "notation")
    row = CaseFile.objects.create(
        agency=agency,
        year=year,
        notation=notation,
        title=_text(title, "title", 500, required=True),
        maintenance=_text(maintenance, "maintenance", 30),
        rights=_text(rights, "rights", 30),
        creator=str(getattr(actor, "full_name", "") or "")[:30],
    )
    audit_record(
        actor=actor,
        action="documents.case_file_create",
        target=row,
        after={"notation": notation, "year": year},
        agency_code=agency.code,
    )
    return row


@transaction.atomic
def case_file_add(*, actor: Any, case_file: CaseFile, document: Document) -> Document:
    """Put a document in a file; it gets the next ordinal in the file (DocOrdinal)."""
    row = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    doc = _locked(document)
    _require_role(actor, row.agency, Role.CLERK, Role.LEADER)
    if row.closed_at is not None:
        raise _err(E.FILE_CLOSED, _("The file is closed."))
    if doc.owner_agency_id != row.agency_id:
        raise _err(E.INVALID, _("The document belongs to another agency."), "document")
    if doc.case_file_id is not None:
        raise _err(E.INVALID, _("The document is already in a file."), "document")
    last = row.documents.order_by("-file_ordinal").values_list("file_ordinal", flat=True).first() or 0
    doc.case_file = row
    doc.file_ordinal = last + 1
    doc.save(update_fields=["case_file", "file_ordinal", "updated_at"])
    _audit(actor, "file_add", doc, None, case_file=row.pk, ordinal=doc.file_ordinal)
    return doc


@transaction.atomic
def case_file_close(*, actor: Any, case_file: CaseFile) -> CaseFile:
    row = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    _require_role(actor, row.agency, Role.CLERK, Role.LEADER)
    if row.closed_at is not None:
        raise _err(E.FILE_CLOSED, _("The file is closed."))
    row.closed_at = timezone.now()
    row.save(update_fields=["closed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="documents.case_file_close",
        target=row,
        after={"closed_at": row.closed_at.isoformat()},
        agency_code=row.agency.code,
    )
    return row


EXPORT_PDF_ROLES = (FileRole.MAIN, FileRole.ATTACHMENT)


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes, when: tuple[int, int, int, int, int, int]) -> str:
    info = zipfile.ZipInfo(name, date_time=when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
    return hashlib.sha256(data).hexdigest()


@transaction.atomic
def file_export(*, actor: Any, file: CaseFile) -> bytes:
    """The archive package of a closed file (hồ sơ nộp lưu): a ZIP with `metadata.json` (the
    file's Annex VI metadata and each document's), every document's signed PDFs (main and
    attachments) under `documents/<ordinal>/main.pdf` and `documents/<ordinal>/attachment-<n>.pdf`,
    and `manifest-sha256.txt` listing the SHA-256 of every other entry. Only a closed file can be
    exported; each PDF is checked against the SHA-256 recorded when it was stored."""
    row = CaseFile.objects.select_related("agency").get(pk=file.pk)
    _require_member(actor, row.agency)
    if row.closed_at is None:
        raise _err(E.FILE_OPEN, _("Only a closed file can be exported for the archive; close the file first."))
    docs = list(selectors.case_file_documents(row))
    entries: list[tuple[str, bytes]] = []
    described: list[dict[str, Any]] = []
    for position, doc in enumerate(docs, start=1):
        ordinal = doc.file_ordinal or position
        meta = selectors.document_metadata(doc, row)
        files_meta: list[dict[str, Any]] = []
        attachments = 0
        for stored in sorted(doc.files.all(), key=lambda f: (f.role != FileRole.MAIN, f.pk)):
            if stored.role not in EXPORT_PDF_ROLES or stored.content_type != PDF:
                continue
            if stored.role == FileRole.MAIN:
                path = f"documents/{ordinal:03d}/main.pdf"
            else:
                attachments += 1
                path = f"documents/{ordinal:03d}/attachment-{attachments:02d}.pdf"
            data = file_bytes(stored)
            if hashlib.sha256(data).hexdigest() != stored.sha256:
                raise _err(
                    E.FILE_INTEGRITY,
                    _("A stored file no longer matches its recorded SHA-256: %(name)s."),
                    None,
                    name=stored.name,
                )
            entries.append((path, data))
            files_meta.append(
                {
                    "path": path,
                    "role": stored.role,
                    "name": nfc(stored.name),
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "signatures": stored.signature_count,
                }
            )
        meta["Files"] = files_meta
        described.append(meta)
    file_meta = selectors.case_file_metadata(row, docs)
    metadata = {
        "format": "egov.documents.file-export/1",
        "file": file_meta,
        "documents": described,
    }
    body = json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8")
    closed = timezone.localtime(row.closed_at)
    when = (max(closed.year, 1980), closed.month, closed.day, closed.hour, closed.minute, closed.second // 2 * 2)
    out = io.BytesIO()
    manifest: list[str] = []
    with zipfile.ZipFile(out, "w") as archive:
        for path, data in [("metadata.json", body), *entries]:
            manifest.append(f"{_zip_entry(archive, path, data, when)}  {path}")
        _zip_entry(archive, "manifest-sha256.txt", ("\n".join(manifest) + "\n").encode("utf-8"), when)
    package = out.getvalue()
    audit_record(
        actor=actor,
        action="documents.case_file_export",
        target=row,
        after={
            "file_code": file_meta["FileCode"],
            "documents": len(docs),
            "entries": len(entries) + 2,
            "sha256": hashlib.sha256(package).hexdigest(),
        },
        agency_code=row.agency.code,
    )
    return package
