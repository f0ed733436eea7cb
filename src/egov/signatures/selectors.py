"""Reads: trust anchors, certificates per agency/kind, expiry warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from egov.signatures.models import Certificate, CertificateKind


def trusted_roots() -> list[asn1_x509.Certificate]:
    """The trust anchors configured as data (Certificate.trusted_root)."""
    return [
        asn1_x509.Certificate.load(bytes(der))
        for der in Certificate.objects.filter(trusted_root=True).values_list("der", flat=True)
    ]


def certificate_list(
    *, agency_code: str | None = None, kind: str | None = None, expiring_before: dt.datetime | None = None
) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("agency").order_by("kind", "common_name", "id")
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    if kind:
        qs = qs.filter(kind=kind)
    if expiring_before is not None:
        qs = qs.filter(not_after__lt=expiring_before, not_after__gte=timezone.now())
    return qs


def certificates_expiring(*, before: dt.datetime) -> QuerySet[Certificate]:
    """Certificates still valid now that expire before `before` (renewal warnings)."""
    return certificate_list(expiring_before=before).exclude(kind=CertificateKind.CA)


def certificate_counts() -> list[dict[str, Any]]:
    """Counts per agency and kind, as the seed reports them (e.g. 2,403 agency and 753 personal)."""
    rows = (
        Certificate.objects.values("agency__code", "kind")
        .annotate(
            total=Count("id"), valid=Count("id", filter=Q(not_after__gte=timezone.now(), revoked_at__isnull=True))
        )
        .order_by("agency__code", "kind")
    )
    return [
        {"agency_code": r["agency__code"], "kind": r["kind"], "total": r["total"], "valid": r["valid"]} for r in rows
    ]


def certificate_for_user(user: Any) -> Certificate | None:
    """The user's own personal signing certificate (valid now, with a key reference)."""
    now = timezone.now()
    return (
        Certificate.objects.filter(user_id=getattr(user, "pk", 0) or 0, kind=CertificateKind.PERSONAL)
        .filter(not_before__lte=now, not_after__gte=now, revoked_at__isnull=True)
        .exclude(key_reference="")
        .order_by("-not_after")
        .first()
    )


def certificate_for_agency(agency_code: str) -> Certificate | None:
    """The agency's organisation certificate (its digital seal), valid now, with a key reference."""
    now = timezone.now()
    return (
        Certificate.objects.filter(agency__code=agency_code, kind=CertificateKind.ORGANISATION)
        .filter(not_before__lte=now, not_after__gte=now, revoked_at__isnull=True)
        .exclude(key_reference="")
        .order_by("-not_after")
        .first()
    )
