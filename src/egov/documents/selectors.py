"""Reads of the electronic office: access selectors (a user sees only documents addressed to,
issued by or assigned to their agency and role; missing and forbidden give the same 404),
search with Vietnamese folding, the Annex IV registers and the electronic-share report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import NotFound
from egov.common.text import fold, nfc
from egov.documents.errors import DocumentsErrorCode
from egov.documents.models import (
    Assignment,
    AssignmentRole,
    CaseFile,
    Channel,
    Direction,
    Document,
    Recipient,
    Status,
)
from egov.orgs.models import Agency, Role
from egov.orgs.selectors import memberships_for_user

BROAD_ROLES = {Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN}


def visible_q(user: Any) -> Q:
    """Clerks, leaders and agency administrators see every document of their agency; everyone
    else sees what they drafted and what is assigned to them or to their unit."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    memberships = memberships_for_user(user)
    broad = [m.agency_id for m in memberships if BROAD_ROLES & set(m.roles)]
    units = [m.unit_id for m in memberships if m.unit_id]
    q = Q(owner_agency_id__in=broad) | Q(created_by_id=user.pk)
    assigned = Assignment.objects.filter(Q(handler_id=user.pk) | Q(unit_id__in=units)).values("document_id")
    return q | Q(pk__in=assigned)


def document_list_for_user(user: Any) -> QuerySet[Document]:
    return Document.objects.filter(visible_q(user)).select_related("owner_agency", "document_type", "register")


def document_get_for_user(user: Any, pk: int | str) -> Document:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = -1
    doc = document_list_for_user(user).filter(pk=key).first()
    if doc is None:
        raise NotFound(DocumentsErrorCode.NOT_FOUND, _("No document with this identifier."))
    return doc


def document_search(
    user: Any,
    *,
    direction: str | None = None,
    q: str | None = None,
    document_type: str | None = None,
    issuer: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    register: int | None = None,
    status: str | None = None,
    due: str | None = None,
    agency: Agency | None = None,
) -> QuerySet[Document]:
    """Search what `user` may see. `q` is folded (diacritics, đ→d) and every word must match;
    `due` is ``overdue`` or ``soon`` (within 3 days)."""
    qs = document_list_for_user(user)
    if direction:
        qs = qs.filter(direction=direction)
    if agency is not None:
        qs = qs.filter(owner_agency=agency)
    if q and fold(q):
        for word in fold(q).split(" "):
            qs = qs.filter(search_text__contains=word)
    if document_type:
        qs = qs.filter(document_type__code=document_type)
    if issuer:
        folded = fold(issuer)
        qs = qs.filter(Q(issuer_organ_id=issuer) | Q(search_text__contains=folded))
    if date_from:
        qs = qs.filter(Q(issued_date__gte=date_from) | Q(issued_date__isnull=True, created_at__date__gte=date_from))
    if date_to:
        qs = qs.filter(Q(issued_date__lte=date_to) | Q(issued_date__isnull=True, created_at__date__lte=date_to))
    if register:
        qs = qs.filter(register_id=register)
    if status:
        qs = qs.filter(status=status)
    today = timezone.localdate()
    if due == "overdue":
        qs = qs.filter(due_date__lt=today).exclude(status__in=[Status.COMPLETED, Status.REFUSED])
    elif due == "soon":
        qs = qs.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=3)).exclude(
            status__in=[Status.COMPLETED, Status.REFUSED]
        )
    return qs


def inbox_for_user(user: Any) -> dict[str, QuerySet[Document]]:
    """Work waiting for the user, by role: to register / to release (clerk), to assign / to sign
    (leader), to process (handler)."""
    memberships = memberships_for_user(user)
    clerk = [m.agency_id for m in memberships if Role.CLERK in m.roles]
    leader = [m.agency_id for m in memberships if Role.LEADER in m.roles]
    base = Document.objects.select_related("document_type", "owner_agency")
    handled = Assignment.objects.filter(role=AssignmentRole.HANDLER, handler_id=getattr(user, "pk", None)).values(
        "document_id"
    )
    return {
        "to_register": base.filter(owner_agency_id__in=clerk, direction=Direction.INCOMING, status=Status.ARRIVED),
        "to_release": base.filter(
            owner_agency_id__in=clerk,
            direction=Direction.OUTGOING,
            status__in=[Status.SIGNED, Status.NUMBERED, Status.SEALED],
        ),
        "to_assign": base.filter(owner_agency_id__in=leader, direction=Direction.INCOMING, status=Status.REGISTERED),
        "to_sign": base.filter(
            owner_agency_id__in=leader, direction=Direction.OUTGOING, status__in=[Status.IN_REVIEW, Status.APPROVED]
        ),
        "to_process": base.filter(pk__in=handled, status__in=[Status.ASSIGNED, Status.PROCESSING]),
    }


def delivery_ledger(document: Document) -> list[Recipient]:
    """The sender's view of each recipient: delivery and the last status reported (01–06)."""
    return list(document.recipients.select_related("agency").order_by("id"))


# --- registers (Decree 30 Annex IV) --------------------------------------------------------------

OUTGOING_COLUMNS = [
    ("number_notation", "Số, ký hiệu văn bản"),
    ("issued_date", "Ngày tháng văn bản"),
    ("type_subject", "Tên loại và trích yếu nội dung văn bản"),
    ("signer", "Người ký"),
    ("recipients", "Nơi nhận văn bản"),
    ("file_copy", "Đơn vị, người nhận bản lưu"),
    ("copies", "Số lượng bản"),
    ("sent_date", "Ngày chuyển"),
    ("receipt_signature", "Ký nhận"),
    ("notes", "Ghi chú"),
]
INCOMING_COLUMNS = [
    ("arrival_date", "Ngày đến"),
    ("arrival_number", "Số đến"),
    ("issuer", "Tác giả"),
    ("number_notation", "Số, ký hiệu"),
    ("issued_date", "Ngày tháng"),
    ("type_subject", "Tên loại và trích yếu nội dung"),
    ("receiver", "Đơn vị hoặc người nhận"),
    ("receipt_signature", "Ký nhận"),
    ("due_date", "Hạn giải quyết"),
    ("notes", "Ghi chú"),
]
FOLLOWUP_COLUMNS = [
    ("arrival_number", "Số đến"),
    ("arrival_date", "Ngày đến"),
    ("number_subject", "Số, ký hiệu và trích yếu"),
    ("lead_unit", "Đơn vị hoặc người chủ trì"),
    ("due_date", "Thời hạn giải quyết"),
    ("progress", "Tiến độ giải quyết"),
    ("notes", "Ghi chú"),
]
REGISTER_COLUMNS = {"outgoing": OUTGOING_COLUMNS, "incoming": INCOMING_COLUMNS, "followup": FOLLOWUP_COLUMNS}
REGISTER_TITLES = {
    "outgoing": "SỔ ĐĂNG KÝ VĂN BẢN ĐI",
    "incoming": "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN",
    "followup": "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN",
}


def _d(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"{value:%d/%m/%Y}"


def _type_subject(doc: Document) -> str:
    return f"{doc.document_type.name_vi}: {doc.subject}"


def _lead(doc: Document) -> str:
    names = [
        a.handler.get_full_name() or a.handler.get_username() if a.handler else (a.unit.name_vi if a.unit else "")
        for a in doc.assignments.all()
        if a.role in (AssignmentRole.LEAD, AssignmentRole.HANDLER)
    ]
    return "; ".join(n for n in names if n)


def register_rows(*, agency: Agency, kind: str, year: int) -> list[dict[str, str]]:
    """The rows of a register for `year`: `outgoing` (numbered documents in number order),
    `incoming` (registered documents in incoming-number order) or `followup` (incoming documents
    with a deadline, due/overdue)."""
    base = Document.objects.filter(owner_agency=agency).select_related("document_type", "drafting_unit")
    today = timezone.localdate()
    rows: list[dict[str, str]] = []
    if kind == "outgoing":
        qs = base.filter(direction=Direction.OUTGOING, number__isnull=False, register__year=year)
        for doc in qs.prefetch_related("recipients").order_by("register__code", "number"):
            signer = f"{doc.signer_competence} {doc.signer_position} {doc.signer_name}".strip()
            rows.append(
                {
                    "number_notation": doc.number_notation,
                    "issued_date": _d(doc.issued_date),
                    "type_subject": _type_subject(doc),
                    "signer": signer,
                    "recipients": "; ".join(r.organ_name for r in doc.recipients.all()),
                    "file_copy": doc.drafting_unit.name_vi if doc.drafting_unit else "",
                    "copies": str(doc.issued_amount or ""),
                    "sent_date": _d(doc.released_at),
                    "receipt_signature": "",
                    "notes": "Điện tử" if doc.channel == Channel.ELECTRONIC else "Giấy",
                }
            )
        return rows
    qs = base.filter(direction=Direction.INCOMING, arrival_number__isnull=False, register__year=year)
    qs = qs.prefetch_related("assignments__unit", "assignments__handler").order_by("arrival_number")
    if kind == "incoming":
        for doc in qs:
            rows.append(
                {
                    "arrival_date": _d(doc.arrival_date),
                    "arrival_number": str(doc.arrival_number),
                    "issuer": doc.issuer_name,
                    "number_notation": doc.number_notation,
                    "issued_date": _d(doc.issued_date),
                    "type_subject": _type_subject(doc),
                    "receiver": _lead(doc),
                    "receipt_signature": "",
                    "due_date": _d(doc.due_date),
                    "notes": "Giấy" if doc.channel == Channel.PAPER else "Điện tử",
                }
            )
        return rows
    if kind == "followup":
        for doc in qs.filter(due_date__isnull=False):
            done = doc.completed_at is not None
            late = (
                (timezone.localtime(doc.completed_at).date() > doc.due_date)
                if done and doc.completed_at and doc.due_date
                else (not done and doc.due_date is not None and doc.due_date < today)
            )
            progress = f"Đã giải quyết {_d(doc.completed_at)}" if done else str(Status(doc.status).label)
            rows.append(
                {
                    "arrival_number": str(doc.arrival_number),
                    "arrival_date": _d(doc.arrival_date),
                    "number_subject": f"{doc.number_notation} {doc.subject}".strip(),
                    "lead_unit": _lead(doc),
                    "due_date": _d(doc.due_date),
                    "progress": progress,
                    "notes": "Quá hạn" if late else "",
                }
            )
        return rows
    raise ValueError(kind)


# --- electronic share (the seed's 97 % / 50 % figures) -----------------------------------------------


@dataclass(frozen=True)
class ShareFigures:
    electronic: int
    paper: int

    @property
    def total(self) -> int:
        return self.electronic + self.paper

    @property
    def electronic_share(self) -> Decimal | None:
        if not self.total:
            return None
        return (Decimal(100) * self.electronic / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def as_dict(self) -> dict[str, Any]:
        share = self.electronic_share
        return {
            "electronic": self.electronic,
            "paper": self.paper,
            "total": self.total,
            "electronic_share": float(share) if share is not None else None,
            "paper_share": float(Decimal(100) - share) if share is not None else None,
        }


def electronic_share(
    *, date_from: datetime.date, date_to: datetime.date, agency: Agency | None = None
) -> dict[str, Any]:
    """Documents sent (released in the period) and received (arrived in the period, not refused)
    electronically versus on paper, per agency and overall."""
    sent = Document.objects.filter(
        direction=Direction.OUTGOING,
        status=Status.RELEASED,
        released_at__date__gte=date_from,
        released_at__date__lte=date_to,
    )
    received = Document.objects.filter(
        direction=Direction.INCOMING, arrival_date__date__gte=date_from, arrival_date__date__lte=date_to
    ).exclude(status=Status.REFUSED)
    if agency is not None:
        sent = sent.filter(owner_agency=agency)
        received = received.filter(owner_agency=agency)

    def figures(qs: QuerySet[Document]) -> ShareFigures:
        return ShareFigures(
            electronic=qs.filter(channel=Channel.ELECTRONIC).count(), paper=qs.filter(channel=Channel.PAPER).count()
        )

    s, r = figures(sent), figures(received)
    both = ShareFigures(electronic=s.electronic + r.electronic, paper=s.paper + r.paper)
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "agency": agency.code if agency is not None else None,
        "sent": s.as_dict(),
        "received": r.as_dict(),
        "all": both.as_dict(),
    }


# --- files (hồ sơ công việc): Annex VI metadata and the yearly file list (Annex V) ---------------------


def case_file_code(case_file: CaseFile) -> str:
    """FileCode (Annex VI): agency identifier . year . file notation."""
    return f"{case_file.agency.code}.{case_file.year}.{case_file.notation}"


def case_file_documents(case_file: CaseFile) -> QuerySet[Document]:
    return (
        Document.objects.filter(case_file=case_file)
        .select_related("document_type", "issuer_agency", "owner_agency")
        .prefetch_related("files")
        .order_by("file_ordinal", "id")
    )


def _iso(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat()


def _doc_date(doc: Document) -> datetime.date | None:
    if doc.issued_date:
        return doc.issued_date
    if doc.arrival_date:
        return timezone.localtime(doc.arrival_date).date()
    return None


def case_file_metadata(case_file: CaseFile, documents: list[Document] | None = None) -> dict[str, Any]:
    """The file's metadata with the Annex VI (Decree 30/2020) field names, Vietnamese NFC."""
    docs = documents if documents is not None else list(case_file_documents(case_file))
    dates = sorted(d for d in (_doc_date(doc) for doc in docs) if d is not None)
    return {
        "FileCode": nfc(case_file_code(case_file)),
        "OrganId": case_file.agency.code,
        "OrganName": nfc(case_file.agency.name_vi),
        "FileCatalog": case_file.year,
        "FileNotation": nfc(case_file.notation),
        "Title": nfc(case_file.title),
        "Maintenance": nfc(case_file.maintenance),
        "Rights": nfc(case_file.rights),
        "Creator": nfc(case_file.creator),
        "Language": nfc(case_file.language),
        "StartDate": _iso(dates[0]) if dates else "",
        "EndDate": _iso(dates[-1]) if dates else "",
        "DocTotal": len(docs),
        "PageTotal": sum(doc.page_amount or 0 for doc in docs),
        "Description": nfc(case_file.description),
        "ClosedAt": timezone.localtime(case_file.closed_at).isoformat() if case_file.closed_at else "",
    }


def document_metadata(doc: Document, case_file: CaseFile) -> dict[str, Any]:
    """One document of a file with the Annex VI document field names, Vietnamese NFC."""
    organ_name = doc.issuer_agency.name_vi if doc.issuer_agency else doc.issuer_name
    organ_id = doc.issuer_agency.code if doc.issuer_agency else doc.issuer_organ_id
    return {
        "DocCode": nfc(doc.document_id),
        "FileCode": nfc(case_file_code(case_file)),
        "DocOrdinal": doc.file_ordinal,
        "Direction": doc.direction,
        "TypeName": nfc(doc.document_type.name_vi),
        "CodeNumber": f"{doc.number:02d}" if doc.number is not None else "",
        "CodeNotation": nfc(doc.notation),
        "NumberNotation": nfc(doc.number_notation),
        "IssuedDate": _iso(doc.issued_date),
        "OrganId": organ_id,
        "OrganName": nfc(organ_name),
        "Subject": nfc(doc.subject),
        "Language": nfc(doc.language),
        "PageAmount": doc.page_amount,
        "SignerCompetence": doc.signer_competence,
        "SignerPosition": nfc(doc.signer_position),
        "SignerName": nfc(doc.signer_name),
        "Priority": doc.priority,
        "Confidentiality": doc.confidentiality,
        "ArrivalNumber": doc.arrival_number,
        "ArrivalDate": _iso(doc.arrival_date),
        "Channel": doc.channel,
    }


FILE_LIST_COLUMNS = [
    ("notation", "Số và ký hiệu hồ sơ"),
    ("title", "Tên đề mục và tiêu đề hồ sơ"),
    ("maintenance", "Thời hạn bảo quản"),
    ("creator", "Đơn vị/người lập hồ sơ"),
    ("doc_total", "Số văn bản"),
    ("status", "Tình trạng"),
    ("notes", "Ghi chú"),
]


def case_file_get(pk: int | str) -> CaseFile:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        key = -1
    row = CaseFile.objects.select_related("agency").filter(pk=key).first()
    if row is None:
        raise NotFound(DocumentsErrorCode.NOT_FOUND, _("No file with this identifier."))
    return row


def file_list_rows(*, agency: Agency, year: int) -> list[dict[str, Any]]:
    """The yearly file list (danh mục hồ sơ, Decree 30 Annex V) of `agency`, in notation order,
    each row with the file's Annex VI metadata."""
    files = (
        CaseFile.objects.filter(agency=agency, year=year)
        .select_related("agency")
        .annotate(doc_total=Count("documents"))
        .order_by("notation", "id")
    )
    rows: list[dict[str, Any]] = []
    for row in files:
        rows.append(
            {
                "id": row.pk,
                "code": case_file_code(row),
                "notation": row.notation,
                "title": row.title,
                "maintenance": row.maintenance,
                "rights": row.rights,
                "creator": row.creator,
                "language": row.language,
                "doc_total": row.doc_total,
                "status": "Đã đóng" if row.closed_at else "Đang mở",
                "closed": row.closed_at is not None,
                "notes": row.description,
            }
        )
    return rows
