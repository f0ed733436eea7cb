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
from django.utils import timezone

logger = logging.getLogger("egov.dossiers.signing")


def _seal_certificate(agency: Any) -> Any:
    """The agency's organisation certificate with a usable key, newest first (or None)."""
    from egov.signatures.models import Certificate, CertificateKind

    now = timezone.now()
    return (
        Certificate.objects.filter(
            kind=CertificateKind.ORGANISATION,
            agency_id=getattr(agency, "pk", 0) or 0,
            revoked_at__isnull=True,
            not_before__lte=now,
            not_after__gt=now,
        )
        .exclude(key_reference="")
        .order_by("-not_after", "-id")
        .first()
    )


def seal_pdf(pdf: bytes, agency: Any) -> bytes:
    """`pdf` sealed by `agency` (PAdES), or `pdf` itself when no seal is available."""
    try:
        certificate = _seal_certificate(agency)
        if certificate is None:
            return pdf
        from egov.signatures import services as signature_services

        level = str(getattr(settings, "EGOV_DOSSIERS_SIGNATURE_LEVEL", "B-B"))
        return bytes(
            signature_services.pdf_sign(actor=None, data=pdf, certificate=certificate, level=level, reason="Một cửa")
        )
    except Exception:  # the form is still useful unsigned; the flag says so
        logger.warning("dossiers.seal_failed", exc_info=True, extra={"agency": getattr(agency, "code", "")})
        return pdf


def is_sealed(original: bytes, result: bytes) -> bool:
    return result != original
