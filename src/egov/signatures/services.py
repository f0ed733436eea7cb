"""Writes: certificate import, PDF signing as a person or an agency, remote signing requests.

Every write is an audited transaction (architecture invariant 1); bad input raises EgovError
before anything changes.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any

from asn1crypto import pem  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.audit.services import audit_record
from egov.common.errors import EgovError
from egov.common.text import fold
from egov.signatures import pades
from egov.signatures.errors import SignaturesErrorCode
from egov.signatures.models import Certificate, CertificateKind, SignatureRequest, SignatureRequestStatus

E = SignaturesErrorCode

# key usages (and extended key usages) a certificate needs for its kind
REQUIRED_USAGE: dict[str, tuple[set[str], set[str]]] = {
    CertificateKind.PERSONAL: ({"digital_signature", "non_repudiation"}, set()),
    CertificateKind.ORGANISATION: ({"digital_signature"}, set()),
    CertificateKind.CA: ({"key_cert_sign"}, set()),
    CertificateKind.TSA: (set(), {"time_stamping"}),
    CertificateKind.OCSP: (set(), {"ocsp_signing"}),
}


def _parse(data: bytes, password: str | None) -> tuple[asn1_x509.Certificate, list[asn1_x509.Certificate]]:
    """The first certificate in PEM, DER or PKCS#12 data, and any others (its chain)."""
    if pem.detect(data):
        certs = [
            asn1_x509.Certificate.load(der)
            for kind, _h, der in pem.unarmor(data, multiple=True)
            if kind == "CERTIFICATE"
        ]
        if certs:
            certs[0].native  # noqa: B018  (parse eagerly)
            return certs[0], certs[1:]
        raise EgovError(E.CERTIFICATE_UNREADABLE, _("The file holds no certificate."), field="file")
    try:
        cert = asn1_x509.Certificate.load(data)
        cert.native  # noqa: B018
        return cert, []
    except Exception:  # noqa: S110  (not DER: try PKCS#12)
        pass
    try:
        _key, main, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as exc:
        message = (
            _("The PKCS#12 file cannot be opened: wrong password or damaged file.")
            if password
            else _("The file is not a certificate in PEM, DER or PKCS#12 form (or it needs a password).")
        )
        raise EgovError(E.WRONG_PASSWORD if password else E.CERTIFICATE_UNREADABLE, message, field="file") from exc
    if main is None:
        raise EgovError(E.CERTIFICATE_UNREADABLE, _("The file holds no certificate."), field="file")

    def conv(c: crypto_x509.Certificate) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))

    return conv(main), [conv(c) for c in extra or []]


def _usages(cert: asn1_x509.Certificate) -> tuple[list[str], list[str]]:
    ku = sorted(cert.key_usage_value.native) if cert.key_usage_value else []
    eku = sorted(cert.extended_key_usage_value.native) if cert.extended_key_usage_value else []
    return ku, eku


def _snapshot(c: Certificate) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "subject": c.subject,
        "serial": c.serial,
        "fingerprint_sha256": c.fingerprint_sha256,
        "not_after": c.not_after.isoformat(),
        "agency": getattr(c.agency, "code", None),
        "user_id": c.user_id,
        "trusted_root": c.trusted_root,
    }


def _name(cert: asn1_x509.Certificate, part: str) -> str:
    value = cert.subject.native.get(part, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


@transaction.atomic
def certificate_import(
    *,
    actor: Any,
    data: bytes,
    password: str | None = None,
    agency: Any = None,
    user: Any = None,
    kind: str = CertificateKind.PERSONAL,
    trusted_root: bool = False,
    key_reference: str = "",
) -> Certificate:
    """Import a certificate (PEM, DER or PKCS#12) into the registry, linked to an agency or a
    person. Refuses a certificate without the key usage its kind needs."""
    if kind not in CertificateKind.values:
        raise EgovError(E.CERTIFICATE_UNREADABLE, _("Unknown certificate kind."), field="kind")
    cert, _chain = _parse(data, password)
    ku, eku = _usages(cert)
    need_ku, need_eku = REQUIRED_USAGE[kind]
    missing = sorted((need_ku - set(ku)) | (need_eku - set(eku)))
    if missing:
        raise EgovError(
            E.KEY_USAGE_MISSING,
            _("The certificate lacks the key usage needed for this kind: %(missing)s."),
            field="file",
            params={"missing": ", ".join(missing)},
        )
    if trusted_root and (kind != CertificateKind.CA or cert.self_signed == "no"):
        raise EgovError(
            E.KEY_USAGE_MISSING, _("Only a self-signed CA certificate can be a trusted root."), field="trusted_root"
        )
    der = cert.dump()
    fingerprint = hashlib.sha256(der).hexdigest()
    if Certificate.objects.filter(fingerprint_sha256=fingerprint).exists():
        raise EgovError(E.CERTIFICATE_EXISTS, _("This certificate is already registered."), field="file")
    validity = cert["tbs_certificate"]["validity"]
    public_key = cert.public_key
    obj = Certificate(
        kind=kind,
        subject=cert.subject.human_friendly[:500],
        common_name=_name(cert, "common_name")[:255],
        organisation=_name(cert, "organization_name")[:255],
        issuer=cert.issuer.human_friendly[:500],
        serial=f"{cert.serial_number:x}",
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        key_type=public_key.algorithm,
        key_size=public_key.bit_size,
        key_usage=ku,
        extended_key_usage=eku,
        fingerprint_sha256=fingerprint,
        der=der,
        agency=agency,
        user=user,
        trusted_root=trusted_root,
        key_reference=key_reference,
    )
    obj.search_text = fold(" ".join([obj.common_name, obj.organisation, obj.serial]))
    obj.save()
    audit_record(
        actor=actor,
        action="signatures.certificate_import",
        target=obj,
        after=_snapshot(obj),
        agency_code=getattr(agency, "code", "") or "",
    )
    return obj


# --- signing ------------------------------------------------------------------------------------


def certificate_signer(certificate: Certificate) -> Any:
    """The (cached) signer for a registered certificate with a key reference."""
    if not certificate.key_reference:
        raise EgovError(E.NO_PRIVATE_KEY, _("No private key is configured for this certificate."))
    scheme = certificate.key_reference.partition(":")[0]
    secret = (
        os.environ.get("EGOV_PKCS11_PIN", "123456")
        if scheme == "pkcs11"
        else os.environ.get("EGOV_PKCS12_PASSWORD", "egov-demo")
    )
    return pades.signer_from_reference(certificate.key_reference, certificate.fingerprint_sha256, secret=secret)


def _timestamper_url() -> str:
    from egov.signatures.pki import ARCH, default_url_prefix

    return os.environ.get("EGOV_TSA_URL", f"{default_url_prefix()}/{ARCH}/tsa/tsa")


@transaction.atomic
def pdf_sign(
    *,
    actor: Any,
    data: bytes,
    certificate: Certificate,
    level: str = "B-T",
    appearance: pades.Appearance | None = None,
    timestamper: Any = None,
    reason: str | None = None,
) -> bytes:
    """Sign a PDF with a registered certificate (a person's or an agency's) and record it."""
    if level not in pades.LEVELS:
        raise EgovError(E.SIGNING_FAILED, _("Unknown signature level."), field="level")
    now = timezone.now()
    if certificate.not_after < now or certificate.not_before > now or certificate.revoked_at is not None:
        raise EgovError(E.NO_CERTIFICATE, _("The certificate is expired, not yet valid or revoked."))
    from egov.signatures.selectors import trusted_roots

    signer = certificate_signer(certificate)
    signed = pades.sign_pdf(
        data,
        signer=signer,
        level=level,
        appearance=appearance,
        timestamper=timestamper,
        tsa_url=None if timestamper else _timestamper_url(),
        trust_roots=trusted_roots(),
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="signatures.pdf_sign",
        target=certificate,
        after={
            "level": level,
            "document_sha256": hashlib.sha256(data).hexdigest(),
            "signed_sha256": hashlib.sha256(signed).hexdigest(),
            "certificate": certificate.fingerprint_sha256,
        },
        agency_code=getattr(certificate.agency, "code", "") or "",
    )
    return signed


def _chain_for(certificate: Certificate) -> tuple[asn1_x509.Certificate, list[asn1_x509.Certificate]]:
    cert = asn1_x509.Certificate.load(bytes(certificate.der))
    issuers = [
        asn1_x509.Certificate.load(bytes(c.der))
        for c in Certificate.objects.filter(kind=CertificateKind.CA).exclude(pk=certificate.pk)
    ]
    return cert, issuers


@transaction.atomic
def signature_request_create(
    *, actor: Any, data: bytes, certificate: Certificate, appearance: pades.Appearance | None = None
) -> SignatureRequest:
    """Prepare a remote signature: the PDF waits here; `data_to_sign_digest` goes to the signer."""
    cert, chain = _chain_for(certificate)
    prepared = pades.prepare_remote(data, certificate=cert, chain=chain, appearance=appearance)
    req = SignatureRequest.objects.create(
        certificate=certificate,
        document_digest=prepared.document_digest.hex(),
        data_to_sign=prepared.signed_attrs,
        data_to_sign_digest=hashlib.sha256(prepared.signed_attrs).hexdigest(),
        prepared_pdf=prepared.prepared_pdf,
        prepared_state=prepared.state,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="signatures.signature_request_create",
        target=req,
        after={"document_digest": req.document_digest, "certificate": certificate.fingerprint_sha256},
        agency_code=getattr(certificate.agency, "code", "") or "",
    )
    return req


@transaction.atomic
def signature_request_complete(
    *, actor: Any, request: SignatureRequest, signature_value: bytes | None = None, cms: bytes | None = None
) -> bytes:
    """Embed the signature that came back (raw value over `data_to_sign`, or a full CMS)."""
    req = SignatureRequest.objects.select_for_update().get(pk=request.pk)
    if req.status != SignatureRequestStatus.PENDING:
        raise EgovError(E.REQUEST_NOT_PENDING, _("This signature request is not pending."))
    cert, chain = _chain_for(req.certificate)
    prepared = pades.PreparedSignature(
        prepared_pdf=bytes(req.prepared_pdf),
        document_digest=bytes.fromhex(req.document_digest),
        signed_attrs=bytes(req.data_to_sign),
        digest_to_sign=bytes.fromhex(req.data_to_sign_digest),
        state=req.prepared_state,
    )
    try:
        signed = pades.finish_remote(
            prepared, certificate=cert, chain=chain, signature_value=signature_value, cms_bytes=cms
        )
    except Exception as exc:
        raise EgovError(E.BAD_SIGNATURE_VALUE, _("The returned signature cannot be used.")) from exc
    from egov.signatures.validation import validate_pdf

    result = validate_pdf(signed, trust_roots=[])
    if not result.signatures or result.signatures[0].sub_indication in (
        "HASH_FAILURE",
        "SIG_CRYPTO_FAILURE",
        "FORMAT_FAILURE",
    ):
        raise EgovError(E.BAD_SIGNATURE_VALUE, _("The returned signature does not match the document."))
    req.status = SignatureRequestStatus.COMPLETED
    req.signed_pdf = signed
    req.completed_at = timezone.now()
    req.save(update_fields=["status", "signed_pdf", "completed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="signatures.signature_request_complete",
        target=req,
        before={"status": SignatureRequestStatus.PENDING},
        after={"status": req.status, "signed_sha256": hashlib.sha256(signed).hexdigest()},
        agency_code=getattr(req.certificate.agency, "code", "") or "",
    )
    return signed
