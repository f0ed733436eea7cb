"""Demo documents for `seed-demo`: a few outgoing drafts of the Department of Information and
Communications (STTTT) addressed to other demo agencies, made through the same services.

Needs `egov.orgs.demo.seed_thai_binh` and `seed_demo_staff` to have run. Signing, numbering and
release need the demo PKI with its timestamping server running; this seeder stops at drafts in
review and approved drafts (the later steps are left for when the PKI is started by `seed-demo`).
Idempotent: a document is looked up by its agency and summary before it is made.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from egov.documents import services
from egov.documents.models import Direction, Document
from egov.orgs.selectors import agency_find

STTTT = "000.00.11.H54"
SKHDT = "000.00.04.H54"

# (summary, type code, recipients, approve?)
DEMO_DOCUMENTS: list[tuple[str, str, list[str], bool]] = [
    ("Về việc triển khai văn phòng điện tử liên thông năm 2026", "cong-van", [SKHDT], True),
    ("Kế hoạch chuyển đổi số các cơ quan nhà nước tỉnh Thái Bình năm 2026", "ke-hoach", [SKHDT], False),
]


def demo_pdf(lines: list[str]) -> bytes:
    """A minimal one-page A4 PDF with a few lines of ASCII text."""
    text = "\n".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 72 770 Td 16 TL\n{text}\nET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def seed_documents(*, actor: Any = None) -> list[Document]:
    """The demo outgoing documents (drafts, some approved); made once, found afterwards."""
    users = get_user_model().objects
    agency = agency_find(STTTT)
    if agency is None:
        raise RuntimeError("Run egov.orgs.demo.seed_thai_binh and seed_demo_staff first.")
    drafter = users.get(username="chuyenvien.stttt")
    leader = users.get(username="lanhdao.stttt")
    made: list[Document] = []
    for subject, type_code, recipients, approve in DEMO_DOCUMENTS:
        existing = Document.objects.filter(owner_agency=agency, direction=Direction.OUTGOING, subject=subject).first()
        if existing is not None:
            made.append(existing)
            continue
        doc = services.document_draft_create(
            actor=drafter,
            agency=agency,
            document_type=type_code,
            subject=subject,
            main_file=services.Upload(
                name="du-thao.pdf",
                content=demo_pdf(["SO THONG TIN VA TRUYEN THONG", "DU THAO"]),
                content_type="application/pdf",
            ),
            recipients=recipients,
            signer_position="Giám đốc",
            signer_name=leader.get_full_name() or "Phạm Minh Châu",
            issued_place="Thái Bình",
            page_amount=1,
        )
        doc = services.document_submit(actor=drafter, document=doc)
        if approve:
            doc = services.document_approve(actor=leader, document=doc)
        made.append(doc)
    return made
