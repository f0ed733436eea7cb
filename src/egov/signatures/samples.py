"""Small PDFs made at run time (tests, benchmark, demo): no binary files in the repository."""

from __future__ import annotations

from io import BytesIO

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

A4 = (0, 0, 595, 842)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines: list[str] | None = None, *, pages: int = 1, encrypt_password: str | None = None) -> bytes:
    """An A4 PDF with a few lines of (ASCII) text on each page."""
    lines = lines or ["UY BAN NHAN DAN TINH THAI BINH", "So: 123/QD-UBND", "QUYET DINH ve viec thu nghiem"]
    writer = PdfFileWriter()
    font = writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type1"),
                pdf_name("/BaseFont"): pdf_name("/Helvetica"),
            }
        )
    )
    for page_no in range(pages):
        ops = ["BT", "/F1 12 Tf", "72 770 Td", "16 TL"]
        for line in [*lines, f"Trang {page_no + 1}"]:
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = writer.add_object(generic.StreamObject(stream_data="\n".join(ops).encode("latin-1")))
        resources = generic.DictionaryObject({pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})})
        writer.insert_page(PageObject(contents=stream, media_box=A4, resources=resources))
    if encrypt_password:
        writer.encrypt(encrypt_password, encrypt_password)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()
