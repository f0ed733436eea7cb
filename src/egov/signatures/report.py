"""The printable validation report (PDF, A4), rendered with WeasyPrint in Vietnamese and English."""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string
from django.utils import timezone

from egov.signatures.validation import ValidationReport


def report_pdf(report: ValidationReport, *, file_name: str, data: bytes) -> bytes:
    from weasyprint import HTML  # imported here: WeasyPrint loads Pango, which only this needs

    html = render_to_string(
        "signatures/report_print.html",
        {
            "report": report,
            "file_name": file_name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "checked_at": timezone.localtime().isoformat(timespec="seconds"),
        },
    )
    return bytes(HTML(string=html).write_pdf())
