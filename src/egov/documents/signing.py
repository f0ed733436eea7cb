"""The one seam to the signatures app: every signing and validation call of the electronic office
goes through these functions, so the signing back end can change without touching the flows.

- `sign_as_person`: the signer's personal signature (Decree 30 Annex I §7: blue signature image
  between the position line and the full name);
- `seal_as_agency`: the agency signature (red seal overlapping the signer's signature on the main
  document; on attachments in separate files, top right text with number/notation and ISO 8601 time);
- `validate`: the validation report kept with an incoming document.

The signature level comes from the optional setting ``EGOV_DOCUMENTS_SIGNATURE_LEVEL`` (default
``B-T``: a time-stamp from the TSA given by ``EGOV_TSA_URL``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError
from egov.documents.errors import DocumentsErrorCode

E = DocumentsErrorCode


def _unavailable(exc: Exception | None = None) -> EgovError:
    error = EgovError(E.SIGNING_UNAVAILABLE, _("The signing service is unavailable."), status_code=503)
    if exc is not None:
        error.__cause__ = exc
    return error


def signature_level() -> str:
    return str(getattr(settings, "EGOV_DOCUMENTS_SIGNATURE_LEVEL", "B-T"))


def _usable(qs: Any) -> Any:
    now = timezone.now()
    return (
        qs.filter(revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)
        .exclude(key_reference="")
        .order_by("-not_after", "-id")
        .first()
    )


def sign_as_person(pdf: bytes, user: Any, *, position: str, name: str) -> bytes:
    """The personal signature of `user` on the last page of `pdf`."""
    try:
        from egov.signatures import pades
        from egov.signatures import services as signature_services
        from egov.signatures.models import Certificate, CertificateKind
    except ImportError as exc:  # pragma: no cover - the signatures app is part of the platform
        raise _unavailable(exc) from exc
    certificate = _usable(
        Certificate.objects.filter(kind=CertificateKind.PERSONAL, user_id=int(getattr(user, "pk", 0) or 0))
    )
    if certificate is None:
        raise EgovError(
            E.NO_CERTIFICATE,
            _("The signer has no valid personal certificate with a usable key."),
            status_code=400,
        )
    appearance = pades.PersonalAppearance(position=position or "", name=name or "")
    signed: bytes = signature_services.pdf_sign(
        actor=user, data=pdf, certificate=certificate, level=signature_level(), appearance=appearance
    )
    return signed


def seal_as_agency(
    pdf: bytes,
    agency: Any,
    number_notation: str,
    when: datetime.datetime | None = None,
    *,
    actor: Any = None,
    attachment: bool = False,
) -> bytes:
    """The agency signature of `agency`: the seal image over the signer's signature on the main
    document; on an attachment in its own file, the text stamp top right of page 1."""
    try:
        from egov.signatures import pades
        from egov.signatures import services as signature_services
        from egov.signatures.models import Certificate, CertificateKind
    except ImportError as exc:  # pragma: no cover
        raise _unavailable(exc) from exc
    certificate = _usable(Certificate.objects.filter(kind=CertificateKind.ORGANISATION, agency_id=agency.pk))
    if certificate is None:
        raise EgovError(
            E.NO_CERTIFICATE,
            _("The agency has no valid organisation certificate with a usable key."),
            status_code=400,
        )
    appearance: Any
    if attachment:
        appearance = pades.CopyAppearance(agency_name=agency.name_vi, number_notation=number_notation)
    else:
        appearance = pades.SealAppearance(agency_name=agency.name_vi, agency_code=agency.code)
    signed: bytes = signature_services.pdf_sign(
        actor=actor,
        data=pdf,
        certificate=certificate,
        level=signature_level(),
        appearance=appearance,
        reason=f"Số: {number_notation}" if number_notation else None,
    )
    return signed


def validate(pdf: bytes) -> dict[str, Any]:
    """The validation report of every signature in `pdf` (never raises on bad input)."""
    try:
        from egov.signatures.selectors import trusted_roots
        from egov.signatures.validation import validate_pdf
    except ImportError:  # pragma: no cover
        return {"valid": False, "signatures": [], "errors": [{"code": str(E.SIGNING_UNAVAILABLE)}]}
    try:
        report: dict[str, Any] = validate_pdf(pdf, trust_roots=trusted_roots()).as_dict()
    except Exception as exc:  # a validator crash must not lose the document
        return {
            "valid": False,
            "signatures": [],
            "errors": [{"code": str(E.SIGNING_UNAVAILABLE), "detail": str(exc)[:200]}],
        }
    report["checked_at"] = timezone.now().isoformat()
    return report
