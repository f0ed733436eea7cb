"""PAdES signing with pyHanko: levels B-B, B-T, B-LT, B-LTA; PKCS#12 and PKCS#11 signers loaded
once and reused; the Decree 30/2020 appearances (Annex I §7–8); a remote-signing seam."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_cms import SimpleSigner
from pyhanko.stamp import StaticStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from egov.common.errors import EgovError
from egov.signatures.errors import SignaturesErrorCode
from egov.signatures.images import seal_image, signature_image

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SERIF_FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
LEVELS = ("B-B", "B-T", "B-LT", "B-LTA")


def iso_vn(moment: datetime) -> str:
    """ISO 8601 with the Vietnam offset, e.g. 2026-03-05T09:15:30+07:00 (Annex I §8)."""
    return moment.astimezone(VN_TZ).replace(microsecond=0).isoformat()


# --- signers ------------------------------------------------------------------------------------


class CachedKeySigner(SimpleSigner):
    """SimpleSigner that parses its private key once (stock pyHanko re-parses it on every
    sign_raw call, twice per PDF: a 4–5× loss for RSA, stack-notes §3)."""

    _crypto_key: Any = None

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        if self._crypto_key is None:
            self._crypto_key = serialization.load_der_private_key(self.signing_key.dump(), password=None)
        key = self._crypto_key
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algo = getattr(hashes, digest_algorithm.upper().replace("-", "_"))()
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hash_algo)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(hash_algo))
        return super().sign_raw(data, digest_algorithm)


def _err(code: SignaturesErrorCode, message: Any, **params: Any) -> EgovError:
    return EgovError(code, message, params=params or None)


def pkcs12_signer(data: bytes, password: str | None) -> CachedKeySigner:
    """A signer from PKCS#12 bytes (key, certificate and chain)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode() if password else None)
    except ValueError as exc:
        raise _err(
            SignaturesErrorCode.WRONG_PASSWORD, _("The PKCS#12 file cannot be opened: wrong password or damaged file.")
        ) from exc
    if key is None or cert is None:
        raise _err(SignaturesErrorCode.NO_PRIVATE_KEY, _("The PKCS#12 file holds no private key and certificate."))
    from asn1crypto import keys as asn1_keys

    key_info = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    signer_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in extra or []]
    signer = CachedKeySigner(
        signing_key=key_info,
        signing_cert=signer_cert,
        cert_registry=SimpleCertificateStore.from_certs([signer_cert, *chain]),
    )
    signer._crypto_key = key
    return signer


class TokenSession:
    """One open, logged-in PKCS#11 session per token, shared by its signers (thread-safe use
    is serialised by the lock: a PKCS#11 session is not reentrant)."""

    def __init__(self, module: str, token_label: str, pin: str) -> None:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import open_pkcs11_session

        try:
            self.session = open_pkcs11_session(module, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
        except Exception as exc:  # PKCS11Error, PinIncorrect, NoSuchToken…
            raise _err(
                SignaturesErrorCode.TOKEN_LOGIN_FAILED,
                _("Cannot log in to the token %(token)s: wrong PIN or token missing."),
                token=token_label,
            ) from exc
        self.lock = threading.Lock()

    def close(self) -> None:
        self.session.close()


def pkcs11_signer(
    session: TokenSession,
    *,
    key_label: str,
    signing_cert: asn1_x509.Certificate,
    ca_chain: list[asn1_x509.Certificate],
) -> signers.Signer:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    is_ec = signing_cert.public_key.algorithm == "ec"
    return PKCS11Signer(
        session.session,
        key_label=key_label,
        signing_cert=signing_cert,
        ca_chain=ca_chain,
        use_raw_mechanism=is_ec,
    )


class SignerRegistry:
    """Signers loaded once and reused, keyed by the certificate's SHA-256 fingerprint."""

    def __init__(self) -> None:
        self._signers: dict[str, signers.Signer] = {}
        self._sessions: dict[tuple[str, str], TokenSession] = {}
        self._lock = threading.Lock()

    def get_or_load(self, key: str, loader: Callable[[], signers.Signer]) -> signers.Signer:
        with self._lock:
            signer = self._signers.get(key)
            if signer is None:
                signer = self._signers[key] = loader()
            return signer

    def token_session(self, module: str, token_label: str, pin: str) -> TokenSession:
        with self._lock:
            found = self._sessions.get((module, token_label))
            if found is None:
                found = self._sessions[(module, token_label)] = TokenSession(module, token_label, pin)
            return found

    def clear(self) -> None:
        with self._lock:
            for s in self._sessions.values():
                s.close()
            self._sessions.clear()
            self._signers.clear()


registry = SignerRegistry()


def signer_from_reference(reference: str, fingerprint: str, *, secret: str) -> signers.Signer:
    """A signer from a key reference stored with a certificate:
    ``pkcs12:<path>`` or ``pkcs11:<module>|<token label>|<key label>|<certificate PEM path>``."""
    scheme, _sep, rest = reference.partition(":")
    if scheme == "pkcs12":
        return registry.get_or_load(fingerprint, lambda: pkcs12_signer(Path(rest).read_bytes(), secret))
    if scheme == "pkcs11":
        module, token_label, key_label, chain_path = rest.split("|")

        def load() -> signers.Signer:
            from asn1crypto import pem

            session = registry.token_session(module, token_label, secret)
            certs = [
                asn1_x509.Certificate.load(der)
                for _t, _h, der in pem.unarmor(Path(chain_path).read_bytes(), multiple=True)
            ]
            return pkcs11_signer(session, key_label=key_label, signing_cert=certs[0], ca_chain=certs[1:])

        return registry.get_or_load(fingerprint, load)
    raise _err(SignaturesErrorCode.NO_PRIVATE_KEY, _("No private key is configured for this certificate."))


# --- appearances (Decree 30/2020, Annex I §7–8) -------------------------------------------------

Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in PDF points


@dataclass(frozen=True)
class PersonalAppearance:
    """The signer's signature: position line, blue signature image centred, full name."""

    position: str
    name: str
    page: int = -1
    box: Box | None = None  # default: lower right of the page

    IMAGE_W = 150.0
    IMAGE_H = 60.0


@dataclass(frozen=True)
class SealAppearance:
    """The agency signature on the main document: the red seal overlapping about one third of
    the signer's signature image, on the left. `over` is the signer's box."""

    agency_name: str
    agency_code: str = ""
    over: Box | None = None
    page: int = -1
    diameter: float = 100.0  # ≈ 35 mm, a seal's real size


@dataclass(frozen=True)
class CopyAppearance:
    """The agency signature on an attachment in a separate file or an electronic copy: top
    right of page 1, no image; agency name, number/notation (or copy form), ISO 8601 time."""

    agency_name: str
    number_notation: str = ""
    copy_form: str = ""  # SAO Y / SAO LỤC / TRÍCH SAO for electronic copies
    width: float = 220.0
    height: float = 48.0
    margin: float = 20.0


Appearance = PersonalAppearance | SealAppearance | CopyAppearance


def _font() -> GlyphAccumulatorFactory:
    return GlyphAccumulatorFactory(SERIF_FONT)


def _page_info(writer: IncrementalPdfFileWriter, page: int) -> tuple[int, float, float]:
    count = int(writer.root["/Pages"]["/Count"])
    index = page if page >= 0 else count + page
    page_ref = writer.find_page_for_modification(index)[0]
    box = [float(v) for v in page_ref.get_object()["/MediaBox"]]
    return index, box[2] - box[0], box[3] - box[1]


def default_personal_box(width: float) -> Box:
    return (width - 290.0, 90.0, width - 70.0, 210.0)


def seal_box(signer_box: Box, diameter: float, image_w: float = PersonalAppearance.IMAGE_W) -> Box:
    """The seal's rectangle: its right edge one third into the signature image, centred on it."""
    x1, y1, x2, y2 = signer_box
    img_left = (x1 + x2) / 2 - image_w / 2
    right = img_left + image_w / 3
    cy = (y1 + y2) / 2
    return (right - diameter, cy - diameter / 2, right, cy + diameter / 2)


def copy_box(page_w: float, page_h: float, appearance: CopyAppearance) -> Box:
    m = appearance.margin
    return (page_w - m - appearance.width, page_h - m - appearance.height, page_w - m, page_h - m)


def _field_and_style(
    writer: IncrementalPdfFileWriter, appearance: Appearance, field_name: str, signing_time: datetime
) -> tuple[fields.SigFieldSpec, Any]:
    if isinstance(appearance, PersonalAppearance):
        index, w, _h = _page_info(writer, appearance.page)
        box = appearance.box or default_personal_box(w)
        image = PdfImage(
            signature_image(appearance.name),
            box=layout.BoxConstraints(width=appearance.IMAGE_W, height=appearance.IMAGE_H),
        )
        style: Any = TextStampStyle(
            stamp_text=f"{appearance.position}\n\n\n\n\n{appearance.name}",
            text_box_style=TextBoxStyle(font=_font(), font_size=12),
            background=image,
            background_opacity=1.0,
            border_width=0,
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID
            ),
        )
    elif isinstance(appearance, SealAppearance):
        index, w, _h = _page_info(writer, appearance.page)
        box = seal_box(appearance.over or default_personal_box(w), appearance.diameter)
        image = PdfImage(
            seal_image(appearance.agency_name, appearance.agency_code),
            box=layout.BoxConstraints(width=appearance.diameter, height=appearance.diameter),
        )
        style = StaticStampStyle(
            background=image,
            background_opacity=1.0,
            border_width=0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins.uniform(0),
            ),
        )
    else:
        index, w, h = _page_info(writer, 0)
        box = copy_box(w, h, appearance)
        lines = [appearance.agency_name]
        if appearance.copy_form:
            lines.insert(0, appearance.copy_form)
        if appearance.number_notation:
            lines.append(appearance.number_notation)
        lines.append(iso_vn(signing_time))
        style = TextStampStyle(
            stamp_text="\n".join(lines),
            text_box_style=TextBoxStyle(font=_font(), font_size=10),
            border_width=0,
        )
    spec = fields.SigFieldSpec(sig_field_name=field_name, on_page=index, box=tuple(round(v) for v in box))  # type: ignore[arg-type]
    return spec, style


# --- signing ------------------------------------------------------------------------------------


def _open(data: bytes) -> IncrementalPdfFileWriter:
    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise _err(SignaturesErrorCode.NOT_A_PDF, _("The file is not a PDF document."))
    try:
        writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    except (PdfError, ValueError, KeyError, IndexError) as exc:
        raise _err(SignaturesErrorCode.NOT_A_PDF, _("The file is not a readable PDF document.")) from exc
    if writer.prev.encrypted:
        raise _err(SignaturesErrorCode.NOT_A_PDF, _("Encrypted PDF documents cannot be signed."))
    return writer


def _next_field_name(writer: IncrementalPdfFileWriter) -> str:
    existing = {name for name, _v, _r in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
    n = 1
    while f"Signature{n}" in existing:
        n += 1
    return f"Signature{n}"


def sign_pdf(
    data: bytes,
    *,
    signer: signers.Signer,
    level: str = "B-B",
    appearance: Appearance | None = None,
    timestamper: Any = None,
    tsa_url: str | None = None,
    trust_roots: list[asn1_x509.Certificate] | None = None,
    reason: str | None = None,
    location: str | None = None,
    field_name: str | None = None,
) -> bytes:
    """Sign `data` (a PDF) at PAdES level B-B, B-T, B-LT or B-LTA; return the signed PDF."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level}")
    writer = _open(data)
    field_name = field_name or _next_field_name(writer)
    if level == "B-B":
        timestamper = None
    elif timestamper is None:
        if tsa_url is None:
            raise ValueError("B-T and above need a time-stamp authority")
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(tsa_url)
    validation_context = None
    if level in ("B-LT", "B-LTA"):
        validation_context = ValidationContext(trust_roots=trust_roots or [], allow_fetching=True)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        embed_validation_info=validation_context is not None,
        validation_context=validation_context,
        use_pades_lta=level == "B-LTA",
    )
    style = None
    new_field = None
    if appearance is not None:
        new_field, style = _field_and_style(writer, appearance, field_name, datetime.now(VN_TZ))
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, timestamper=timestamper, stamp_style=style, new_field_spec=new_field
    )
    out = BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except EgovError:
        raise
    except Exception as exc:
        raise _err(SignaturesErrorCode.SIGNING_FAILED, _("Signing failed: %(reason)s"), reason=str(exc)[:200]) from exc
    return out.getvalue()


# --- remote signing seam ------------------------------------------------------------------------


class RemoteSigner(Protocol):
    """Something that signs a digest elsewhere (a phone app, a remote HSM, a CSC service).
    It receives the SHA-256 digest of the DER signed attributes and returns the raw signature
    value (PKCS#1 v1.5 for RSA, DER ECDSA for EC)."""

    def sign_digest(self, digest: bytes, *, certificate: asn1_x509.Certificate) -> bytes: ...


@dataclass
class PreparedSignature:
    prepared_pdf: bytes
    document_digest: bytes
    signed_attrs: bytes
    digest_to_sign: bytes
    state: dict[str, Any]


def _external_signer(
    cert: asn1_x509.Certificate, chain: list[asn1_x509.Certificate], value: bytes | None = None
) -> Any:
    size = 256 if cert.public_key.algorithm == "rsa" else 72
    return signers.ExternalSigner(
        signing_cert=cert,
        cert_registry=SimpleCertificateStore.from_certs([cert, *chain]),
        signature_value=value if value is not None else bytes(size),
    )


def prepare_remote(
    data: bytes,
    *,
    certificate: asn1_x509.Certificate,
    chain: list[asn1_x509.Certificate],
    appearance: Appearance | None = None,
) -> PreparedSignature:
    """Prepare the PDF (placeholder reserved), compute the signed attributes and their digest."""
    import hashlib

    writer = _open(data)
    field_name = _next_field_name(writer)
    ext = _external_signer(certificate, chain)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    style = new_field = None
    if appearance is not None:
        new_field, style = _field_and_style(writer, appearance, field_name, datetime.now(VN_TZ))
    pdf_signer = signers.PdfSigner(meta, signer=ext, stamp_style=style, new_field_spec=new_field)

    async def run() -> PreparedSignature:
        prep_digest, _tbs, output = await pdf_signer.async_digest_doc_for_signing(writer, bytes_reserved=16384)
        signed_attrs = await ext.signed_attrs(prep_digest.document_digest, "sha256", use_pades=True)
        der = signed_attrs.dump()
        buf = output.getvalue() if isinstance(output, BytesIO) else output.read()
        return PreparedSignature(
            prepared_pdf=buf,
            document_digest=prep_digest.document_digest,
            signed_attrs=der,
            digest_to_sign=hashlib.sha256(der).digest(),
            state={
                "reserved_region_start": prep_digest.reserved_region_start,
                "reserved_region_end": prep_digest.reserved_region_end,
            },
        )

    return asyncio.run(run())


def finish_remote(
    prepared: PreparedSignature,
    *,
    certificate: asn1_x509.Certificate,
    chain: list[asn1_x509.Certificate],
    signature_value: bytes | None = None,
    cms_bytes: bytes | None = None,
) -> bytes:
    """Embed the signature that came back (a raw value, or a complete CMS SignedData)."""
    from asn1crypto import cms
    from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
    from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

    if cms_bytes is not None:
        sig_cms = cms.ContentInfo.load(cms_bytes)
        sig_cms.native  # noqa: B018  (parse eagerly: raises on garbage)
    else:
        assert signature_value is not None
        ext = _external_signer(certificate, chain, signature_value)
        attrs = cms.CMSAttributes.load(prepared.signed_attrs)

        async def build() -> Any:
            return await ext.async_sign_prescribed_attributes("sha256", signed_attrs=attrs)

        sig_cms = asyncio.run(build())
    prep = PreparedByteRangeDigest(
        document_digest=prepared.document_digest,
        reserved_region_start=prepared.state["reserved_region_start"],
        reserved_region_end=prepared.state["reserved_region_end"],
    )
    out = BytesIO(prepared.prepared_pdf)
    PdfTBSDocument.finish_signing(out, prep, sig_cms)
    return out.getvalue()
