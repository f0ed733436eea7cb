"""Demo data: the demo PKI and its certificates in the registry, linked to demo agencies and
leaders. Idempotent; called by `egov seed-demo`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from egov.orgs.selectors import agency_find
from egov.signatures import pki, services
from egov.signatures.models import Certificate, CertificateKind


def _import(actor: Any, path: Path, **kwargs: Any) -> Certificate | None:
    data = path.read_bytes()
    from asn1crypto import pem  # type: ignore[import-untyped]

    _t, _h, der = pem.unarmor(data)
    if Certificate.objects.filter(fingerprint_sha256=hashlib.sha256(der).hexdigest()).exists():
        return None
    return services.certificate_import(actor=actor, data=data, **kwargs)


def seed_demo_pki(*, actor: Any = None, directory: Path | None = None, with_token: bool | None = None) -> pki.DemoPki:
    """Build the demo PKI if absent (EGOV_DATA_DIR/pki) and register its certificates.
    `with_token=False` skips the SoftHSM2 token (None: use it when softhsm2 is installed)."""
    built = pki.load_demo_pki(directory) or pki.build_demo_pki(directory, with_token=with_token)
    _import(actor, built.cert_path("root"), kind=CertificateKind.CA, trusted_root=True)
    _import(actor, built.cert_path("interm"), kind=CertificateKind.CA)
    _import(actor, built.cert_path("tsa"), kind=CertificateKind.TSA)
    _import(actor, built.cert_path("ocsp"), kind=CertificateKind.OCSP)
    users = get_user_model().objects
    for ident in built.identities:
        if ident.on_token or ident.state != "valid":
            continue
        agency = agency_find(ident.agency_code) if ident.agency_code else None
        user = users.filter(username=ident.username).first() if ident.username else None
        _import(
            actor,
            built.cert_path(ident.label),
            kind=ident.kind,
            agency=agency,
            user=user,
            key_reference=f"pkcs12:{built.pfx_path(ident.label)}",
        )
    return built
