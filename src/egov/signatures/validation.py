"""Validation of any PDF's signatures, reported in the EU DSS vocabulary (ETSI EN 319 102-1):
indication PASSED | FAILED | INDETERMINATE with a sub-indication, plus plain explanations.

Revocation data (OCSP responses, CRLs) is fetched here, over HTTP, and kept in
`RevocationCache`: used without asking again while fresh, and used as a fallback while the
responder is down as long as it is within its freshness limit (its nextUpdate, or
REVOCATION_MAX_AGE when it has none) — the X-Road way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import urllib.request
from dataclasses import asdict, dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import algos, cms, crl, ocsp  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from egov.signatures.models import RevocationCache

logger = logging.getLogger(__name__)

REVOCATION_FRESH_FOR = dt.timedelta(minutes=5)  # do not ask again within this
REVOCATION_MAX_AGE = dt.timedelta(hours=24)  # limit for data without nextUpdate
FETCH_TIMEOUT = 5.0

PASSED, FAILED, INDETERMINATE = "PASSED", "FAILED", "INDETERMINATE"


@dataclass
class SignatureResult:
    field: str
    indication: str
    sub_indication: str | None
    signer: str
    organisation: str
    signed_at: str | None
    timestamped: bool
    modified_after_signing: bool
    explanation_vi: str
    explanation_en: str
    level: str = ""
    serial: str = ""
    issuer: str = ""


@dataclass
class ValidationReport:
    signatures: list[SignatureResult] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.signatures) and not self.errors and all(s.indication == PASSED for s in self.signatures)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"valid": self.valid, "signatures": [asdict(s) for s in self.signatures]}
        if self.errors:
            body["errors"] = self.errors
        return body


# --- explanations -------------------------------------------------------------------------------

EXPLANATIONS: dict[str | None, Any] = {
    None: _("The signature is valid: the document is unchanged since signing and the certificate was valid."),
    "HASH_FAILURE": _("The document was changed after it was signed: its content no longer matches the signature."),
    "SIG_CRYPTO_FAILURE": _("The signature value is wrong: it was not made with this certificate's key."),
    "REVOKED": _("The signer's certificate was revoked (withdrawn) by the certification authority."),
    "REVOKED_NO_POE": _("The signer's certificate was revoked and there is no proof the signature was made before."),
    "OUT_OF_BOUNDS_NO_POE": _(
        "The signer's certificate had expired or was not yet valid when the signature was checked."
    ),
    "EXPIRED": _("The signer's certificate had expired when the document was signed."),
    "NO_CERTIFICATE_CHAIN_FOUND": _(
        "The certificate does not come from a certification authority this platform trusts."
    ),
    "TRY_LATER": _("The certificate's revocation status cannot be checked right now; try again later."),
    "FORMAT_FAILURE": _("The signature or the file is damaged or not in a recognised format."),
    "MODIFIED": _("The document was modified after signing in a way that is not allowed."),
    "CHAIN_CONSTRAINTS_FAILURE": _("The certificate may not be used for this kind of signature."),
    "SIGNED_DATA_NOT_FOUND": _("The signed content cannot be found in the file."),
}


def _explain(sub: str | None) -> tuple[str, str]:
    message = EXPLANATIONS.get(sub, EXPLANATIONS["FORMAT_FAILURE"])
    with translation.override("vi"):
        vi = str(message)
    with translation.override("en"):
        en = str(message)
    return vi, en


def _file_error(code: str, message: Any) -> dict[str, Any]:
    with translation.override("vi"):
        vi = str(message)
    with translation.override("en"):
        en = str(message)
    return {"code": code, "message": en, "messages": {"vi": vi, "en": en}}


# --- revocation data with a cache ---------------------------------------------------------------


def _http(url: str, body: bytes | None = None, content_type: str = "") -> bytes:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type} if body else {})  # noqa: S310
    with urllib.request.urlopen(req, timeout=FETCH_TIMEOUT) as resp:  # noqa: S310 (URL from a certificate)
        if resp.status != 200:
            raise OSError(f"HTTP {resp.status}")
        return bytes(resp.read())


def _aware(value: Any) -> dt.datetime | None:
    return value if isinstance(value, dt.datetime) else None


def _ocsp_request(cert: asn1_x509.Certificate, issuer: asn1_x509.Certificate) -> tuple[bytes, str]:
    cert_id = ocsp.CertId(
        {
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha1"}),
            "issuer_name_hash": hashlib.sha1(cert.issuer.dump()).digest(),  # noqa: S324 (RFC 6960 CertID)
            "issuer_key_hash": issuer.public_key.sha1,
            "serial_number": cert.serial_number,
        }
    )
    request = ocsp.OCSPRequest({"tbs_request": {"request_list": [{"req_cert": cert_id}]}})
    return request.dump(), f"{issuer.public_key.sha1.hex()}:{cert.serial_number:x}"


def _ocsp_times(der: bytes) -> tuple[dt.datetime | None, dt.datetime | None]:
    resp = ocsp.OCSPResponse.load(der)
    if resp["response_status"].native != "successful":
        raise ValueError("OCSP responder refused")
    single = resp.basic_ocsp_response["tbs_response_data"]["responses"][0]
    return _aware(single["this_update"].native), _aware(single["next_update"].native)


def _crl_times(der: bytes) -> tuple[dt.datetime | None, dt.datetime | None]:
    lst = crl.CertificateList.load(der)
    tbs = lst["tbs_cert_list"]
    return _aware(tbs["this_update"].native), _aware(tbs["next_update"].native)


def _cached_fetch(kind: str, url: str, subject_key: str, fetch: Any, times: Any, now: dt.datetime) -> bytes | None:
    cached = RevocationCache.objects.filter(kind=kind, url=url, subject_key=subject_key).first()
    if cached is not None and cached.fetched_at > now - REVOCATION_FRESH_FOR:
        return bytes(cached.der)
    try:
        der = fetch()
        this_update, next_update = times(der)
    except Exception:  # responder down, refused or garbage: fall back to the cache
        if cached is None:
            return None
        limit = cached.next_update or (cached.fetched_at + REVOCATION_MAX_AGE)
        return bytes(cached.der) if now <= limit else None
    RevocationCache.objects.update_or_create(
        kind=kind,
        url=url,
        subject_key=subject_key,
        defaults={"der": der, "fetched_at": now, "this_update": this_update, "next_update": next_update},
    )
    return der


def gather_revocation(
    certs: list[asn1_x509.Certificate], *, now: dt.datetime | None = None
) -> tuple[list[bytes], list[bytes], bool]:
    """OCSP responses and CRLs for every non-self-signed certificate in `certs`."""
    now = now or timezone.now()
    by_subject = {c.subject.dump(): c for c in certs}
    ocsps: list[bytes] = []
    crls: list[bytes] = []
    seen_crl: set[str] = set()
    missing = False
    for cert in certs:
        if cert.self_signed != "no":
            continue
        issuer = by_subject.get(cert.issuer.dump())
        if issuer is not None:
            for url in cert.ocsp_urls:
                body, key = _ocsp_request(cert, issuer)
                got = _cached_fetch(
                    "ocsp",
                    url,
                    key,
                    lambda url=url, body=body: _http(url, body, "application/ocsp-request"),
                    _ocsp_times,
                    now,
                )
                if got:
                    ocsps.append(got)
                else:
                    missing = True
        for dp in cert.crl_distribution_points:
            for url in (dp.url and [dp.url]) or []:
                if url in seen_crl:
                    continue
                seen_crl.add(url)
                got = _cached_fetch("crl", url, "", lambda url=url: _http(url), _crl_times, now)
                if got:
                    crls.append(got)
                else:
                    missing = True
    return ocsps, crls, missing


# --- validation ---------------------------------------------------------------------------------


def _name_part(cert: asn1_x509.Certificate | None, part: str) -> str:
    if cert is None:
        return ""
    value = cert.subject.native.get(part, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def _certs_of(signed_data: cms.SignedData) -> list[asn1_x509.Certificate]:
    out = []
    for choice in signed_data["certificates"] or []:
        if choice.name == "certificate":
            out.append(choice.chosen)
    return out


def _all_certs(embedded: Any) -> list[asn1_x509.Certificate]:
    certs = _certs_of(embedded.signed_data)
    signer_info = embedded.signer_info
    for attr in signer_info["unsigned_attrs"] or []:
        if attr["type"].native == "signature_time_stamp_token":
            for token in attr["values"]:
                certs.extend(_certs_of(token["content"]))
    return certs


def _trust_roots(explicit: list[asn1_x509.Certificate] | None) -> list[asn1_x509.Certificate]:
    if explicit is not None:
        return explicit
    from egov.signatures.selectors import trusted_roots

    return trusted_roots()


def _sub_indication(status: Any) -> tuple[str, str | None]:
    if not status.intact:
        return FAILED, "HASH_FAILURE"
    if not status.valid:
        return FAILED, "SIG_CRYPTO_FAILURE"
    if status.revoked:
        return FAILED, "REVOKED"
    indic = status.trust_problem_indic
    if indic is not None:
        name = indic.name
        if name in ("REVOKED",):
            return FAILED, name
        if name == "EXPIRED":
            return FAILED, name
        return INDETERMINATE, name
    if not status.trusted:
        return INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND"
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid):
        return FAILED, "SIG_CRYPTO_FAILURE"
    if ts is not None and not ts.trusted:
        return INDETERMINATE, "NO_CERTIFICATE_CHAIN_FOUND"
    if not status.docmdp_ok:
        return FAILED, "MODIFIED"
    return PASSED, None


def _level(embedded: Any, timestamped: bool, has_dss: bool, doc_ts: bool) -> str:
    if doc_ts:
        return "B-LTA"
    if has_dss and timestamped:
        return "B-LT"
    return "B-T" if timestamped else "B-B"


def validate_pdf(
    data: bytes, *, trust_roots: list[asn1_x509.Certificate] | None = None, now: dt.datetime | None = None
) -> ValidationReport:
    """Validate every signature in `data`. Never raises on bad input; never PASSED on it."""
    report = ValidationReport()
    if not data or not data.lstrip()[:5].startswith(b"%PDF-"):
        report.errors.append(_file_error("signatures.not_a_pdf", _("The file is not a PDF document.")))
        return report
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            report.errors.append(
                _file_error("signatures.encrypted", _("The PDF is encrypted; its signatures cannot be checked."))
            )
            return report
        embedded_sigs = list(reader.embedded_regular_signatures)
        doc_timestamps = list(reader.embedded_timestamp_signatures)
    except Exception:
        report.errors.append(
            _file_error("signatures.not_a_pdf", _("The PDF is damaged or truncated and cannot be read."))
        )
        return report
    if not embedded_sigs:
        report.errors.append(_file_error("signatures.no_signatures", _("The PDF has no digital signatures.")))
        return report
    roots = _trust_roots(trust_roots)
    dss_ocsps: list[bytes] = []
    dss_crls: list[bytes] = []
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        dss_ocsps = list(dss._ocsps_seen)
        dss_crls = list(dss._crls_seen)
    except Exception:  # no DSS  # noqa: S110
        pass
    for embedded in embedded_sigs:
        report.signatures.append(_validate_one(embedded, roots, dss_ocsps, dss_crls, bool(doc_timestamps), now))
    return report


def _validate_one(
    embedded: Any,
    roots: list[asn1_x509.Certificate],
    dss_ocsps: list[bytes],
    dss_crls: list[bytes],
    doc_ts: bool,
    now: dt.datetime | None,
) -> SignatureResult:
    signer_cert = None
    try:
        signer_cert = embedded.signer_cert
        certs = _all_certs(embedded)
        ocsps, crls, missing = gather_revocation([*certs, *roots], now=now)
        context_args: dict[str, Any] = {
            "trust_roots": roots,
            "other_certs": certs,
            "ocsps": [*ocsps, *dss_ocsps],
            "crls": [*crls, *dss_crls],
            "allow_fetching": False,
            "revocation_mode": "hard-fail",
            "retroactive_revinfo": True,
        }
        if now is not None:
            context_args["moment"] = now
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=ValidationContext(**context_args),
            ts_validation_context=ValidationContext(**context_args),
        )
        indication, sub = _sub_indication(status)
        if missing and sub == "CERTIFICATE_CHAIN_GENERAL_FAILURE" and not (dss_ocsps or dss_crls):
            sub = "TRY_LATER"  # revocation data could not be had: a responder is down
        timestamped = status.timestamp_validity is not None
        signed_at = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
        modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE
    except Exception:
        logger.warning("signatures.validation_error", exc_info=True)
        indication, sub, timestamped, signed_at, modified = INDETERMINATE, "FORMAT_FAILURE", False, None, False
    vi, en = _explain(sub)
    return SignatureResult(
        field=str(getattr(embedded, "field_name", "")),
        indication=indication,
        sub_indication=sub,
        signer=_name_part(signer_cert, "common_name"),
        organisation=_name_part(signer_cert, "organization_name"),
        signed_at=signed_at.isoformat() if signed_at else None,
        timestamped=timestamped,
        modified_after_signing=modified,
        explanation_vi=vi,
        explanation_en=en,
        level=_level(embedded, timestamped, bool(dss_ocsps or dss_crls), doc_ts),
        serial=f"{signer_cert.serial_number:x}" if signer_cert is not None else "",
        issuer=signer_cert.issuer.human_friendly if signer_cert is not None else "",
    )
