"""The forms of a dossier as sealed PDFs (rendered on demand by `pdf`, sealed through `signing`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from egov.common.errors import NotFound
from egov.dossiers import pdf, signing
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.models import Dossier

# which forms exist for a dossier in which situation
FORM_AVAILABLE = {
    "receipt": lambda d: d.received_at is not None,
    "supplement": lambda d: d.events.filter(action="request_supplement").exists(),
    "refusal": lambda d: d.status == "not_accepted" or d.outcome == "rejected",
    "apology": lambda d: d.apologies.exists(),
    "control": lambda d: d.received_at is not None,
}


@dataclass(frozen=True)
class SealedPdf:
    data: bytes
    signed: bool


def form_pdf(d: Dossier, form: str) -> SealedPdf:
    check = FORM_AVAILABLE.get(form)
    if check is None or not check(d):
        raise NotFound(Code.NOT_FOUND, _("This form does not exist for the dossier."))
    raw = pdf.render_form(form, d)
    sealed = signing.seal_pdf(raw, d.receiving_centre)
    return SealedPdf(sealed, signing.is_sealed(raw, sealed))


def book_pdf(*, centre: Any, date_from: datetime.date, date_to: datetime.date, rows: list[Dossier]) -> SealedPdf:
    raw = pdf.render_book(rows, centre=centre, date_from=date_from, date_to=date_to)
    sealed = signing.seal_pdf(raw, centre)
    return SealedPdf(sealed, signing.is_sealed(raw, sealed))
