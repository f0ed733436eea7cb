"""The incoming flow: receive, register, assign, handle, complete or refuse; the sender's ledger;
registers and the electronic-share report against hand-computed figures."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.utils import timezone

from egov.common.errors import EgovError
from egov.documents import reports, selectors, services
from egov.documents.models import Assignment, Channel, Direction, Document, Status, StatusEvent
from egov.documents.tests.conftest import pdf_upload, release_ready

pytestmark = pytest.mark.django_db


def paper(org: Any, **kw: Any) -> Document:
    values: dict[str, Any] = {
        "document_type": "cong-van",
        "subject": "Về việc triển khai đăng ký kinh doanh qua mạng",
        "issuer_name": "Bộ Kế hoạch và Đầu tư",
        "issuer_organ_id": "000.00.00.G08",
        "number": 7,
        "notation": "BKHĐT-ĐKKD",
        "issued_date": datetime.date(2026, 1, 5),
        "scan": pdf_upload("scan.pdf"),
    }
    values.update(kw)
    return services.document_receive_paper(actor=org.clerk, agency=org.agency, **values)


def test_inside_flow_sender_sees_each_status(stttt, skhdt, certificates) -> None:
    sent = release_ready(stttt, recipients=[skhdt.agency.code], due_date=None)
    services.document_release(actor=stttt.clerk, document=sent)
    ledger = sent.recipients.get()
    doc = ledger.incoming_document

    def last() -> str:
        ledger.refresh_from_db()
        return ledger.last_status_code

    assert last() == "01"
    doc = services.document_register(actor=skhdt.clerk, document=doc, present_to=skhdt.leader)
    assert doc.arrival_number == 1
    assert doc.status == Status.REGISTERED
    assert last() == "03"
    doc = services.document_assign(
        actor=skhdt.leader,
        document=doc,
        lead_unit=skhdt.unit_b,
        coordinating_units=[skhdt.unit_a],
        days=5,
        instruction="Chủ trì tham mưu trả lời",
    )
    assert last() == "04"
    lead = doc.assignments.get(role="lead")
    assert lead.deadline == doc.due_date
    assert lead.deadline_calendar_version
    assert doc.assignments.get(role="coordinate").unit == skhdt.unit_a
    services.document_assign_handler(actor=skhdt.leader, document=doc, handler=skhdt.specialist)
    assert selectors.document_get_for_user(skhdt.specialist, doc.pk) == doc
    services.document_start(actor=skhdt.specialist, document=doc)
    assert last() == "05"
    doc = services.document_complete(actor=skhdt.specialist, document=doc, note="Đã trả lời")
    assert last() == "06"
    assert doc.status == Status.COMPLETED
    assert list(doc.status_events.values_list("code", flat=True)) == ["01", "03", "04", "05", "06"]
    # the sender sees the outgoing document; the receiver's clerk sees the incoming one; not crossed
    assert selectors.document_get_for_user(stttt.clerk, sent.pk) == sent
    with pytest.raises(EgovError):
        selectors.document_get_for_user(stttt.clerk, doc.pk)


def test_refuse_with_reason(stttt, skhdt, certificates, audit_count) -> None:
    sent = release_ready(stttt, recipients=[skhdt.agency.code])
    services.document_release(actor=stttt.clerk, document=sent)
    ledger = sent.recipients.get()
    doc = ledger.incoming_document
    before = (StatusEvent.objects.count(), audit_count())
    with pytest.raises(EgovError) as err:
        services.document_refuse(actor=skhdt.clerk, document=doc, reason="  ")
    assert err.value.code == "documents.reason_required"
    assert (StatusEvent.objects.count(), audit_count()) == before
    services.document_refuse(actor=skhdt.clerk, document=doc, reason="Gửi nhầm cơ quan")
    ledger.refresh_from_db()
    assert ledger.last_status_code == "02"
    assert ledger.last_status_description == "Gửi nhầm cơ quan"


def test_assign_unit_of_other_agency_refused(stttt, skhdt, audit_count) -> None:
    doc = services.document_register(actor=skhdt.clerk, document=paper(skhdt))
    before = (Assignment.objects.count(), audit_count())
    with pytest.raises(EgovError) as err:
        services.document_assign(actor=skhdt.leader, document=doc, lead_unit=stttt.unit_b, days=5)
    assert err.value.code == "documents.unit_of_other_agency"
    with pytest.raises(EgovError) as err:
        services.document_assign(
            actor=skhdt.leader, document=doc, lead_unit=skhdt.unit_b, coordinating_units=[stttt.unit_a], days=5
        )
    assert err.value.code == "documents.unit_of_other_agency"
    with pytest.raises(EgovError) as err:
        services.document_assign(actor=skhdt.specialist, document=doc, lead_unit=skhdt.unit_b, days=5)
    assert err.value.code == "documents.role_required"
    doc.refresh_from_db()
    assert doc.status == Status.REGISTERED
    assert (Assignment.objects.count(), audit_count()) == before


def test_incoming_numbers_shared_by_paper_and_electronic(stttt, skhdt, certificates) -> None:
    first = services.document_register(actor=skhdt.clerk, document=paper(skhdt))
    sent = release_ready(stttt, recipients=[skhdt.agency.code])
    services.document_release(actor=stttt.clerk, document=sent)
    second = services.document_register(actor=skhdt.clerk, document=sent.recipients.get().incoming_document)
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    with pytest.raises(EgovError) as err:
        services.document_register(actor=skhdt.clerk, document=second)
    assert err.value.code == "documents.already_numbered"


def test_confidential_paper_scan_refused(skhdt, audit_count) -> None:
    before = (Document.objects.count(), audit_count())
    with pytest.raises(EgovError) as err:
        paper(skhdt, confidentiality=2)
    assert err.value.code == "documents.confidential"
    assert (Document.objects.count(), audit_count()) == before


def test_search_folding_and_filters(stttt, skhdt) -> None:
    doc = paper(skhdt)
    paper(skhdt, subject="Giấy mời họp", document_type="giay-moi", notation="GM-BKHĐT")
    ids = lambda **kw: [d.pk for d in selectors.document_search(skhdt.clerk, **kw)]  # noqa: E731
    assert ids(q="dang ky kinh doanh") == [doc.pk]
    assert ids(q="ĐĂNG KÝ") == [doc.pk]
    assert ids(q="BKHDT-DKKD") == [doc.pk]
    assert len(ids(document_type="cong-van")) == 1
    assert len(ids(status="arrived", direction=Direction.INCOMING)) == 2
    assert ids(q="dang ky", date_from=datetime.date(2026, 2, 1)) == []
    assert ids(issuer="000.00.00.G08") != []
    assert selectors.document_search(stttt.clerk, q="dang ky").count() == 0  # not their agency


def test_followup_register_overdue(skhdt) -> None:
    doc = services.document_register(actor=skhdt.clerk, document=paper(skhdt))
    services.document_assign(
        actor=skhdt.leader,
        document=doc,
        lead_unit=skhdt.unit_b,
        deadline=timezone.localdate() + datetime.timedelta(days=1),
    )
    Document.objects.filter(pk=doc.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=2))
    year = timezone.localdate().year
    [row] = selectors.register_rows(agency=skhdt.agency, kind="followup", year=year)
    assert row["notes"] == "Quá hạn"
    assert row["lead_unit"] == "Phòng Công nghệ thông tin"
    assert [d.pk for d in selectors.document_search(skhdt.leader, due="overdue")] == [doc.pk]


def test_registers_columns_pdf_and_xlsx(stttt, skhdt, certificates) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sent = release_ready(stttt, recipients=[skhdt.agency.code])
    services.document_release(actor=stttt.clerk, document=sent)
    year = timezone.localdate().year
    [out] = selectors.register_rows(agency=stttt.agency, kind="outgoing", year=year)
    assert len(selectors.OUTGOING_COLUMNS) == 10
    assert len(selectors.INCOMING_COLUMNS) == 10
    assert len(selectors.FOLLOWUP_COLUMNS) == 7
    assert out["number_notation"] == "01/QĐ-STTTT"
    assert out["recipients"] == "Sở Kế hoạch và Đầu tư"
    assert out["type_subject"].startswith("Quyết định: ")
    assert out["notes"] == "Điện tử"
    services.document_register(actor=skhdt.clerk, document=sent.recipients.get().incoming_document)
    [inc] = selectors.register_rows(agency=skhdt.agency, kind="incoming", year=year)
    assert inc["arrival_number"] == "1"
    assert inc["issuer"] == "Sở Thông tin và Truyền thông"
    rows = selectors.register_rows(agency=stttt.agency, kind="outgoing", year=year)
    book = load_workbook(io.BytesIO(reports.register_xlsx(agency=stttt.agency, kind="outgoing", year=year, rows=rows)))
    sheet = book.active
    assert [c.value for c in sheet[3]][:2] == ["Số, ký hiệu văn bản", "Ngày tháng văn bản"]
    assert sheet["A4"].value == "01/QĐ-STTTT"
    pdf = reports.register_pdf(agency=stttt.agency, kind="outgoing", year=year, rows=rows)
    assert pdf.startswith(b"%PDF-")
    from pyhanko.pdf_utils.reader import PdfFileReader

    box = [float(v) for v in PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Kids"][0]["/MediaBox"]]
    assert box[2] - box[0] > box[3] - box[1]  # A4 landscape


def _doc(org: Any, direction: str, channel: str, when: datetime.datetime, status: str) -> None:
    Document.objects.create(
        direction=direction,
        owner_agency=org.agency,
        document_type_id=1,
        subject="x",
        status=status,
        channel=channel,
        released_at=when if direction == Direction.OUTGOING else None,
        arrival_date=when if direction == Direction.INCOMING else None,
    )


def test_electronic_share_against_hand_computed_figures(stttt, skhdt) -> None:
    """The seed: 97 % of documents between units electronic; a commune at 50 %."""
    when = timezone.make_aware(datetime.datetime(2018, 6, 1, 9, 0))
    for i in range(100):
        _doc(stttt, Direction.OUTGOING, Channel.ELECTRONIC if i < 97 else Channel.PAPER, when, Status.RELEASED)
    for i in range(4):
        _doc(skhdt, Direction.INCOMING, Channel.ELECTRONIC if i < 2 else Channel.PAPER, when, Status.REGISTERED)
    _doc(skhdt, Direction.INCOMING, Channel.PAPER, when, Status.REFUSED)  # refused: not counted
    _doc(stttt, Direction.OUTGOING, Channel.PAPER, when, Status.DRAFT)  # never released: not counted
    _doc(stttt, Direction.OUTGOING, Channel.PAPER, when + datetime.timedelta(days=400), Status.RELEASED)  # later
    period = {"date_from": datetime.date(2018, 1, 1), "date_to": datetime.date(2018, 12, 31)}
    a = selectors.electronic_share(agency=stttt.agency, **period)
    assert a["sent"] == {"electronic": 97, "paper": 3, "total": 100, "electronic_share": 97.0, "paper_share": 3.0}
    b = selectors.electronic_share(agency=skhdt.agency, **period)
    assert b["received"]["electronic_share"] == 50.0
    assert b["received"]["total"] == 4
    both = selectors.electronic_share(**period)
    assert both["all"]["electronic"] == 99
    assert both["all"]["total"] == 104
    assert both["all"]["electronic_share"] == 95.2  # 99 / 104 = 95.19 %
