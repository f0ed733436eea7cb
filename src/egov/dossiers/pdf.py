"""The standard forms of Circular 01/2018/TT-VPCP as PDFs (vn-standards §5.3, §12.4): 01
receipt and appointment slip, 02 supplement request, 03 refusal, 04 apology and new
appointment, 05 control slip (A5), 06 tracking book (A4); and a plain result notice. Every form
carries a QR code (inline SVG) linking to the public lookup of the dossier."""

from __future__ import annotations

import datetime
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from egov.dossiers.clock import TZ
from egov.dossiers.lifecycle import DVCQG_CODE, DVCQG_LABEL
from egov.dossiers.models import Dossier

FORMS = {
    "receipt": ("01", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    "supplement": ("02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "control": ("05", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
}
TIMELINESS_VI = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "": ""}


def vn_time(value: datetime.datetime | None) -> str:
    """ "…giờ…phút, ngày…tháng…năm" as the forms write it."""
    if value is None:
        return ""
    local = value.astimezone(TZ)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def lookup_url(code: str) -> str:
    base = str(getattr(settings, "EGOV_PUBLIC_URL", "") or "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("dossiers:lookup") + f"?ma={code}"


def qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=2)


def _html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy: imported when a form is rendered

    return bytes(HTML(string=html, base_url=".").write_pdf())


def _context(d: Dossier) -> dict[str, Any]:
    files = list(d.files.filter(kind="applicant").select_related("component"))
    status = DVCQG_CODE[d.status]
    return {
        "d": d,
        "centre": d.receiving_centre,
        "agency": d.processing_agency,
        "procedure": d.procedure_version,
        "files": files,
        "received": vn_time(d.received_at or d.submitted_at),
        "due": vn_time(d.due_at),
        "legal_due": vn_time(d.legal_due_at),
        "status_label": DVCQG_LABEL[status],
        "qr": mark_safe(qr_svg(lookup_url(d.code))),  # noqa: S308 (segno's own SVG)
        "lookup": lookup_url(d.code),
        "today": timezone.localdate(),
    }


def render_form(form: str, d: Dossier) -> bytes:
    number, title = FORMS[form]
    context = _context(d)
    last_event = d.events.order_by("-at", "-id").first()
    apology = d.apologies.order_by("-number").first()
    steps = [
        {
            "name": s.name_vi,
            "agency": s.agency.name_vi,
            "handled_by": (getattr(s.handled_by, "full_name", "") or s.handled_by.get_username())
            if s.handled_by
            else "",
            "started": vn_time(s.started_at),
            "due": vn_time(s.due_at),
            "finished": vn_time(s.finished_at),
            "timeliness": TIMELINESS_VI[s.timeliness],
        }
        for s in d.steps.select_related("agency", "handled_by").order_by("started_at", "id")
    ]
    context.update(
        form=form,
        number=number,
        title=title,
        reason=last_event.reason if last_event else "",
        apology=apology,
        apology_old=vn_time(apology.old_due_at) if apology else "",
        apology_new=vn_time(apology.new_due_at) if apology else "",
        steps=steps,
        page="A5",
    )
    return _html_to_pdf(render_to_string("dossiers/pdf/form.html", context))


def render_result(d: Dossier) -> bytes:
    context = _context(d)
    context.update(form="result", number="", title="THÔNG BÁO KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", page="A4",
                   outcome=d.outcome)  # fmt: skip
    return _html_to_pdf(render_to_string("dossiers/pdf/form.html", context))


def render_book(rows: list[Dossier], *, centre: Any, date_from: datetime.date, date_to: datetime.date) -> bytes:
    """Form 06, the tracking book, one line per dossier received in the period (A4 landscape)."""
    lines = [
        {
            "n": i,
            "code": d.code,
            "procedure": d.procedure_version.name_vi,
            "applicant": d.organisation_name or d.applicant_name,
            "received": vn_time(d.received_at),
            "due": vn_time(d.due_at),
            "finished": vn_time(d.finished_at),
            "returned": vn_time(d.returned_at),
            "timeliness": TIMELINESS_VI[d.timeliness],
        }
        for i, d in enumerate(rows, 1)
    ]
    html = render_to_string(
        "dossiers/pdf/book.html",
        {"lines": lines, "centre": centre, "date_from": date_from, "date_to": date_to, "page": "A4 landscape"},
    )
    return _html_to_pdf(html)
