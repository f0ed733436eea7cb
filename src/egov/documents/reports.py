"""Registers as Excel (openpyxl) and PDF (WeasyPrint, A4 landscape, Noto fonts)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from egov.documents.selectors import FILE_LIST_COLUMNS, REGISTER_COLUMNS, REGISTER_TITLES
from egov.orgs.models import Agency


def register_xlsx(*, agency: Agency, kind: str, year: int, rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]

    columns = REGISTER_COLUMNS[kind]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"{kind} {year}"
    sheet.append([agency.name_vi])
    sheet.append([f"{REGISTER_TITLES[kind]} NĂM {year}"])
    sheet.append([label for _key, label in columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([row.get(key, "") for key, _label in columns])
    for index in range(1, len(columns) + 1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_pdf(*, agency: Agency, kind: str, year: int, rows: list[dict[str, str]]) -> bytes:
    from weasyprint import HTML

    columns = REGISTER_COLUMNS[kind]
    html = render_to_string(
        "documents/register_pdf.html",
        {
            "agency": agency,
            "title": REGISTER_TITLES[kind],
            "year": year,
            "columns": [label for _k, label in columns],
            "rows": [[row.get(key, "") for key, _label in columns] for row in rows],
            "printed_at": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def file_list_xlsx(*, agency: Agency, year: int, rows: list[dict[str, Any]]) -> bytes:
    """The yearly file list (danh mục hồ sơ, Decree 30 Annex V) as Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Danh muc ho so {year}"
    sheet.append([agency.name_vi])
    sheet.append([f"DANH MỤC HỒ SƠ NĂM {year}"])
    sheet.append([label for _key, label in FILE_LIST_COLUMNS])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([row.get(key, "") for key, _label in FILE_LIST_COLUMNS])
    for index, width in enumerate((18, 60, 18, 24, 12, 14, 30), start=1):
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
