"""The one seam to the signatures app: the centre's or agency's seal on the forms and results.

`seal_pdf` returns the PDF sealed with the agency's seal certificate when the signatures app
has a usable one for that agency, and the PDF unchanged otherwise; callers record whether the
bytes came back signed (`is_sealed`) on the stored file, so an unsigned result is never
mistaken for a signed one.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings

logger = logging.getLogger("egov.dossiers.signing")


class SealFailed(Exception):
    """The agency has a seal certificate but sealing did not succeed."""


def seal_pdf(pdf: bytes, agency: Any, *, required: bool = False) -> bytes:
    """`pdf` sealed by `agency` (PAdES), or `pdf` itself when the agency has no seal certificate.

    When the agency has a seal but sealing fails, a form printed on demand is still useful
    unsigned (the caller records `signed=False`), but a result document is not: with
    `required=True` the failure raises `SealFailed`, so the caller refuses to issue the result."""
    from egov.signatures import selectors as signature_selectors
    from egov.signatures import services as signature_services

    certificate = signature_selectors.certificate_for_agency(str(getattr(agency, "code", "") or ""))
    if certificate is None:
        return pdf
    try:
        level = str(getattr(settings, "EGOV_DOSSIERS_SIGNATURE_LEVEL", "B-B"))
        return bytes(
            signature_services.pdf_sign(actor=None, data=pdf, certificate=certificate, level=level, reason="Một cửa")
        )
    except Exception as error:
        logger.warning("dossiers.seal_failed", exc_info=True, extra={"agency": getattr(agency, "code", "")})
        if required:
            raise SealFailed(str(error)) from error
        return pdf


def is_sealed(original: bytes, result: bytes) -> bool:
    return result != original
