"""The outgoing flow with real signatures, numbering rules, release inside and outside the platform."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from egov.common.errors import EgovError
from egov.documents import selectors, services, signing
from egov.documents.models import (
    Channel,
    DeliveryStatus,
    Direction,
    Document,
    DocumentFile,
    DocumentType,
    NumberCounter,
    Recipient,
    Status,
)
from egov.documents.tests.conftest import make_draft, pdf_upload, release_ready

pytestmark = pytest.mark.django_db


def test_29_types_seeded() -> None:
    assert DocumentType.objects.count() == 29
    assert DocumentType.objects.get(code="quyet-dinh").abbreviation == "QĐ"
    assert DocumentType.objects.get(code="quy-dinh").abbreviation == "QyĐ"
    assert DocumentType.objects.get(code="cong-van").abbreviation == ""


def test_full_outgoing_flow_with_real_signatures(stttt, skhdt, certificates, audit_count) -> None:
    outside = {"organ_id": "000.00.00.G12", "organ_name": "Bộ Nội vụ"}
    doc = make_draft(stttt, recipients=[skhdt.agency.code, outside])
    assert doc.status == Status.DRAFT
    assert doc.direction == Direction.OUTGOING
    services.document_submit(actor=stttt.specialist, document=doc)
    services.document_approve(actor=stttt.leader, document=doc)
    services.document_sign(actor=stttt.leader, document=doc)
    doc = services.document_number(actor=stttt.clerk, document=doc)
    year = timezone.localdate().year
    assert doc.number == 1
    assert doc.number_notation == "01/QĐ-STTTT"
    assert doc.display_number == "Số: 01/QĐ-STTTT"
    assert doc.document_id == f"000.00.11.H54,{doc.issued_date:%Y/%m/%d},01/QĐ-STTTT"
    assert doc.register.year == year
    doc = services.document_seal(actor=stttt.clerk, document=doc)
    main = doc.files.get(role="main")
    report = signing.validate(services.file_bytes(main))
    assert report["valid"], report
    assert [s["organisation"] for s in report["signatures"]] == ["Sở Thông tin và Truyền thông"] * 2

    before = audit_count()
    doc = services.document_release(actor=stttt.clerk, document=doc)
    assert doc.status == Status.RELEASED
    assert audit_count() == before + 2
    inside, out = doc.recipients.order_by("id")
    assert inside.delivery_status == DeliveryStatus.DELIVERED
    assert inside.last_status_code == "01"
    incoming = inside.incoming_document
    assert incoming.direction == Direction.INCOMING
    assert incoming.owner_agency == skhdt.agency
    assert incoming.status == Status.ARRIVED
    assert incoming.number_notation == "01/QĐ-STTTT"
    assert incoming.document_id == doc.document_id
    assert incoming.signature_report["valid"] is True
    assert incoming.files.get(role="main").sha256 == main.sha256
    assert out.delivery_status == DeliveryStatus.AWAITING_EXCHANGE
    assert out.incoming_document is None
    assert services.outgoing_pending_exchange() == [out]
    services.exchange_mark_delivered(actor=None, recipient=out)
    assert services.outgoing_pending_exchange() == []
    services.exchange_record_status(actor=None, recipient=out, code="03")
    out.refresh_from_db()
    assert out.delivery_status == DeliveryStatus.DELIVERED
    assert out.last_status_code == "03"


def test_cong_van_notation_uses_drafting_unit(stttt, skhdt, certificates) -> None:
    doc = release_ready(stttt, document_type="cong-van", drafting_unit=stttt.unit_b, recipients=[skhdt.agency.code])
    assert doc.number_notation == "01/STTTT-CNTT"


def _counts() -> tuple[int, int, int, int]:
    return (
        Document.objects.count(),
        DocumentFile.objects.count(),
        Recipient.objects.count(),
        NumberCounter.objects.count(),
    )


def _refused(call: Any, code: str, audit_count: Any) -> EgovError:
    before = (_counts(), audit_count())
    with pytest.raises(EgovError) as err:
        call()
    assert err.value.code == code, err.value
    assert err.value.messages["vi"]
    assert err.value.messages["en"]
    assert err.value.messages["vi"] != err.value.messages["en"]
    assert (_counts(), audit_count()) == before
    return err.value


def test_numbering_twice_refused(stttt, certificates, audit_count) -> None:
    doc = release_ready(stttt)
    err = _refused(
        lambda: services.document_number(actor=stttt.clerk, document=doc), "documents.already_numbered", audit_count
    )
    assert "01/QĐ-STTTT" in err.messages["en"]
    doc.refresh_from_db()
    assert doc.number == 1
    assert NumberCounter.objects.get().last_number == 1


def test_release_unsigned_or_unnumbered_refused(stttt, skhdt, certificates, audit_count) -> None:
    doc = make_draft(stttt, recipients=[skhdt.agency.code])
    services.document_approve(actor=stttt.leader, document=doc)
    _refused(lambda: services.document_release(actor=stttt.clerk, document=doc), "documents.not_signed", audit_count)
    _refused(lambda: services.document_number(actor=stttt.clerk, document=doc), "documents.not_signed", audit_count)
    services.document_sign(actor=stttt.leader, document=doc)
    _refused(lambda: services.document_release(actor=stttt.clerk, document=doc), "documents.not_numbered", audit_count)
    _refused(lambda: services.document_seal(actor=stttt.clerk, document=doc), "documents.not_numbered", audit_count)
    services.document_number(actor=stttt.clerk, document=doc)
    _refused(lambda: services.document_release(actor=stttt.clerk, document=doc), "documents.not_sealed", audit_count)
    doc.refresh_from_db()
    assert doc.status == Status.NUMBERED


def test_leader_action_by_specialist_refused(stttt, certificates, audit_count) -> None:
    doc = make_draft(stttt)
    err = _refused(
        lambda: services.document_approve(actor=stttt.specialist, document=doc), "documents.role_required", audit_count
    )
    assert err.status_code == 403
    services.document_approve(actor=stttt.leader, document=doc)
    _refused(
        lambda: services.document_sign(actor=stttt.specialist, document=doc), "documents.role_required", audit_count
    )
    _refused(lambda: services.document_sign(actor=stttt.clerk, document=doc), "documents.role_required", audit_count)


def test_upload_not_of_declared_type_refused(stttt, audit_count) -> None:
    fake = services.Upload(name="qd.pdf", content=b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    _refused(lambda: make_draft(stttt, main_file=fake), "documents.file_type", audit_count)
    docx_as_pdf = services.Upload(name="qd.docx", content=pdf_upload().content, content_type="")
    _refused(lambda: make_draft(stttt, source_file=docx_as_pdf), "documents.file_type", audit_count)
    exe = services.Upload(name="virus.exe", content=b"MZ", content_type="application/octet-stream")
    _refused(lambda: make_draft(stttt, main_file=exe), "documents.file_type", audit_count)


def test_docx_source_accepted(stttt) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    source = services.Upload(name="du-thao.docx", content=buffer.getvalue(), content_type=services.DOCX)
    doc = make_draft(stttt, source_file=source)
    assert doc.files.get(role="source").content_type == services.DOCX


def test_confidential_not_released_electronically(stttt, skhdt, certificates, audit_count) -> None:
    doc = release_ready(stttt, recipients=[skhdt.agency.code], confidentiality=1)
    assert doc.register.code == "mat"
    assert doc.number == 1
    err = _refused(
        lambda: services.document_release(actor=stttt.clerk, document=doc), "documents.confidential", audit_count
    )
    assert "Decision 28/2018" in err.messages["en"]
    assert "Quyết định số 28/2018" in err.messages["vi"]
    services.document_release(actor=stttt.clerk, document=doc, channel=Channel.PAPER)
    doc.refresh_from_db()
    assert doc.channel == Channel.PAPER
    assert services.outgoing_pending_exchange() == []
    assert Document.objects.filter(direction=Direction.INCOMING).count() == 0


def test_numbering_restarts_on_1_january(stttt, certificates) -> None:
    with time_machine.travel(datetime.datetime(2025, 12, 31, 16, 0, tzinfo=datetime.UTC), tick=True):
        # 23:00 in Hà Nội on 31 December
        first = release_ready(stttt)
        second = release_ready(stttt)
    with time_machine.travel(datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC), tick=True):
        # 00:30 on 1 January 2026 in Hà Nội
        third = release_ready(stttt)
    assert (first.number, second.number, third.number) == (1, 2, 1)
    assert (first.register.year, third.register.year) == (2025, 2026)
    assert third.number_notation == "01/QĐ-STTTT"
    assert third.document_id.startswith("000.00.11.H54,2026/01/01,")


def test_numbers_leading_zero_and_no_gap_after_refusal(stttt) -> None:
    reg = services.register_for(stttt.agency, Direction.OUTGOING, 2026)
    assert [services.allocate_number(reg) for _ in range(11)] == list(range(1, 12))
    assert services.format_number(5) == "05"
    assert services.format_number(10) == "10"


def test_duplicate_warning(stttt, skhdt, certificates) -> None:
    scan = pdf_upload("scan.pdf")
    kw: dict[str, Any] = {
        "actor": skhdt.clerk,
        "agency": skhdt.agency,
        "document_type": "cong-van",
        "subject": "Về việc báo cáo",
        "issuer_name": "Bộ Nội vụ",
        "issuer_organ_id": "000.00.00.G12",
        "number": 5,
        "notation": "BNV-VP",
        "issued_date": datetime.date(2026, 1, 5),
        "scan": scan,
    }
    first = services.document_receive_paper(**kw)
    second = services.document_receive_paper(**kw)
    assert first.duplicate_warning == ""
    assert f"#{first.pk}" in second.duplicate_warning
    assert second.document_id == "000.00.00.G12,2026/01/05,05/BNV-VP"


def test_visibility(stttt, skhdt) -> None:
    doc = make_draft(stttt)
    assert selectors.document_get_for_user(stttt.specialist, doc.pk) == doc
    assert selectors.document_get_for_user(stttt.clerk, doc.pk) == doc
    with pytest.raises(EgovError) as missing:
        selectors.document_get_for_user(skhdt.clerk, 999999)
    with pytest.raises(EgovError) as forbidden:
        selectors.document_get_for_user(skhdt.clerk, doc.pk)
    assert missing.value.status_code == forbidden.value.status_code == 404
    assert missing.value.as_dict() == forbidden.value.as_dict()
    other = make_draft(stttt)
    other.created_by = stttt.leader
    other.save()
    assert list(selectors.document_list_for_user(stttt.specialist).filter(pk=other.pk)) == []
