"""XML-DSig for edXML packages (QCVN 102:2016/BTTTT, `vn-standards.md` §2.4).

Profile, as in the official VXP SDK samples:

- one enveloped ``Signature`` **inside** ``edXML:edXMLHeader`` (after MessageHeader/TraceHeaderList),
- ``Reference URI=""`` (the whole message) with the enveloped-signature transform plus exclusive C14N,
- Canonical XML 1.0 (inclusive) for SignedInfo,
- RSA-SHA256 by default (RSA-SHA1 on request, for partners that only accept it),
- ``KeyInfo/X509Data`` with ``X509SubjectName`` and the ``X509Certificate`` of the signer, then its CAs.

We write the signature in the XML-DSig namespace as a default-namespace declaration
(``<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">``), as the SDK's template does. The rest of the
message is left alone: prefixes, namespace declarations, element names (``Bussiness``), comments,
attachments and the sender's line endings (CRLF stays CRLF).

Verification never raises on bad input: it returns an :class:`XmlVerification` with a reason code and a
plain explanation in Vietnamese and English. It accepts what the national axis sends:

- RSA-SHA1 and RSA-SHA256 (and SHA-384/512), SHA-1/SHA-2 digests;
- a ``Signature`` that is unprefixed and undeclared, hence in the *edXML* namespace (every signed SDK sample
  but the template): it is read as XML-DSig (re-declared in the XML-DSig namespace before checking);
- the transform URI ``http://www.w3.org/TR/xml-exc-c14n#`` the samples carry (not a W3C identifier): read as
  exclusive C14N; a Reference with no C14N transform is canonicalised with C14N 1.0 (the XML-DSig default).

Hardening: lxml parser with ``resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False``;
any DOCTYPE is refused; signxml's own checks (no DTD/entities, one Reference) apply; only the whole-document
Reference (``URI=""``) and the transforms above are accepted, so no XSLT/XPath and no signature wrapping.
Keys: pass a loaded private key object (loading PEM costs ~30 ms per call for RSA-2048).
"""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, load_pem_private_key
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store, VerificationError
from lxml import etree  # type: ignore[import-untyped]  # lxml ships no type stubs
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureConfiguration,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)
from signxml.exceptions import InvalidCertificate, InvalidDigest, InvalidInput, InvalidSignature, SignXMLException

__all__ = [
    "DSIG_NS",
    "EDXML_NS",
    "REASONS",
    "SIGN_ALGORITHMS",
    "XmlSignError",
    "XmlVerification",
    "sign_edxml",
    "verify_edxml",
]

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
LEGACY_EXC_C14N = "http://www.w3.org/TR/xml-exc-c14n#"  # what the SDK samples write; not a W3C identifier
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

SIGN_ALGORITHMS: dict[str, tuple[SignatureMethod, DigestAlgorithm]] = {
    "rsa-sha256": (SignatureMethod.RSA_SHA256, DigestAlgorithm.SHA256),
    "rsa-sha1": (SignatureMethod.RSA_SHA1, DigestAlgorithm.SHA1),
}
_ACCEPTED_SIGNATURE_METHODS = frozenset(
    {SignatureMethod.RSA_SHA1, SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384, SignatureMethod.RSA_SHA512}
)
_ACCEPTED_DIGESTS = frozenset(
    {DigestAlgorithm.SHA1, DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512}
)
_C14N_URIS = frozenset(m.value for m in CanonicalizationMethod)
_ACCEPTED_TRANSFORMS = _C14N_URIS | {ENVELOPED, LEGACY_EXC_C14N}

# reason code -> (indication in the EU DSS vocabulary, sub-indication, Vietnamese, English)
REASONS: dict[str, tuple[str, str, str, str]] = {
    "ok": (
        "PASSED",
        "",
        "Chữ ký số hợp lệ: nội dung gói tin không bị thay đổi và chứng thư số của người ký được tin cậy.",
        "The signature is valid: the message is unchanged and the signer's certificate is trusted.",
    ),
    "malformed_xml": (
        "FAILED",
        "FORMAT_FAILURE",
        "Tệp không phải là XML hợp lệ (hoặc chứa khai báo DOCTYPE không được phép), không thể kiểm tra chữ ký.",
        "The file is not well-formed XML (or carries a forbidden DOCTYPE); the signature cannot be checked.",
    ),
    "not_edxml": (
        "FAILED",
        "FORMAT_FAILURE",
        "Tệp không phải là gói tin edXML (QCVN 102:2016/BTTTT).",
        "The file is not an edXML message (QCVN 102:2016/BTTTT).",
    ),
    "no_signature": (
        "INDETERMINATE",
        "SIGNED_DATA_NOT_FOUND",
        "Gói tin không có chữ ký số.",
        "The message carries no digital signature.",
    ),
    "empty_signature": (
        "INDETERMINATE",
        "SIGNED_DATA_NOT_FOUND",
        "Gói tin chỉ có phần giữ chỗ chữ ký số rỗng, chưa được ký.",
        "The message only has an empty signature placeholder; it was never signed.",
    ),
    "malformed_signature": (
        "FAILED",
        "FORMAT_FAILURE",
        "Phần chữ ký số trong gói tin bị sai cấu trúc (hoặc có nhiều hơn một chữ ký).",
        "The signature element is malformed (or there is more than one signature).",
    ),
    "not_whole_document": (
        "FAILED",
        "FORMAT_FAILURE",
        "Chữ ký số không bao trùm toàn bộ gói tin (Reference URI phải rỗng).",
        "The signature does not cover the whole message (the Reference URI must be empty).",
    ),
    "unsupported_algorithm": (
        "INDETERMINATE",
        "CRYPTO_CONSTRAINTS_FAILURE",
        "Chữ ký số dùng thuật toán không được hỗ trợ hoặc không được chấp nhận.",
        "The signature uses an unsupported or unaccepted algorithm.",
    ),
    "no_signing_certificate": (
        "INDETERMINATE",
        "NO_SIGNING_CERTIFICATE_FOUND",
        "Không đọc được chứng thư số của người ký (thiếu, bị cắt cụt hoặc hỏng).",
        "The signer's certificate is missing, truncated or unreadable.",
    ),
    "unexpected_signer": (
        "FAILED",
        "SIG_CONSTRAINTS_FAILURE",
        "Gói tin không được ký bằng chứng thư số mong đợi.",
        "The message was not signed with the expected certificate.",
    ),
    "digest_mismatch": (
        "FAILED",
        "HASH_FAILURE",
        "Nội dung gói tin đã bị thay đổi sau khi ký.",
        "The message content was changed after signing.",
    ),
    "bad_signature": (
        "FAILED",
        "SIG_CRYPTO_FAILURE",
        "Giá trị chữ ký số không khớp với khóa của chứng thư số người ký.",
        "The signature value does not match the signer certificate's key.",
    ),
    "expired_certificate": (
        "INDETERMINATE",
        "OUT_OF_BOUNDS_NO_POE",
        "Chứng thư số của người ký đã hết hạn hoặc chưa có hiệu lực.",
        "The signer's certificate has expired or is not yet valid.",
    ),
    "untrusted_chain": (
        "INDETERMINATE",
        "NO_CERTIFICATE_CHAIN_FOUND",
        "Chứng thư số của người ký không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp.",
        "The signer's certificate does not chain to a trusted root.",
    ),
}


class XmlSignError(ValueError):
    """Signing refused: `code` is one of REASONS' keys (or "key_mismatch"), the message is English."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class XmlVerification:
    valid: bool
    reason_code: str
    reason_vi: str
    reason_en: str
    indication: str = ""  # PASSED | FAILED | INDETERMINATE (EU DSS vocabulary)
    sub_indication: str = ""
    algorithm: str = ""  # SignatureMethod fragment, e.g. "rsa-sha256"
    signed_digest_algorithm: str = ""  # Reference DigestMethod fragment, e.g. "sha256"
    signer_subject: str = ""  # RFC 4514 subject of the signing certificate
    intact: bool | None = None  # digest and signature value check out (None: could not be checked)
    chain_trusted: bool | None = None  # chains to a trusted root / is the expected cert (None: not checked)
    legacy_namespace: bool = False  # Signature found in the edXML namespace (SDK samples), read as XML-DSig


def _result(code: str, **fields: Any) -> XmlVerification:
    indication, sub, vi, en = REASONS[code]
    return XmlVerification(
        valid=code == "ok",
        reason_code=code,
        reason_vi=vi,
        reason_en=en,
        indication=indication,
        sub_indication=sub,
        **fields,
    )


# --- parsing -------------------------------------------------------------------------------------------


def _parse(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
    )
    root = etree.fromstring(xml, parser=parser)
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise etree.XMLSyntaxError("DOCTYPE is not allowed", None, 0, 0)
    return root


def _localname(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _header(root: etree._Element) -> etree._Element | None:
    if root.tag != f"{{{EDXML_NS}}}edXML":
        return None
    return root.find(f"{{{EDXML_NS}}}edXMLEnvelope/{{{EDXML_NS}}}edXMLHeader")


def _signature_candidates(root: etree._Element) -> list[etree._Element]:
    """Every Signature (XML-DSig, edXML or no namespace) and DigitalSignature placeholder in the document."""
    found = []
    for el in root.iter(etree.Element):
        name = _localname(el)
        if name == "DigitalSignature" or (
            name == "Signature" and etree.QName(el).namespace in (DSIG_NS, EDXML_NS, None)
        ):
            found.append(el)
    return found


def _line_ending(xml: bytes) -> bytes:
    first = xml.find(b"\n")
    return b"\r\n" if first > 0 and xml[first - 1 : first] == b"\r" else b"\n"


def _serialise(root: etree._Element, newline: bytes) -> bytes:
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    if newline == b"\r\n":
        # Safe: a parser turns CRLF back into LF, and lxml escapes CR/LF inside attribute values.
        body = body.replace(b"\n", b"\r\n")
    return b'<?xml version="1.0" encoding="UTF-8"?>' + newline + body


# --- signing -------------------------------------------------------------------------------------------


class _SubtreeC14nFix:
    """Canonicalise a subtree through a re-parsed copy.

    libxml2 2.14 (lxml 6.1) emits a wrong ``xmlns=""`` on grand-children when it canonicalises a *subtree*
    whose default namespace is declared above it with inclusive C14N (``<SignedInfo xmlns="…dsig#">`` under
    ``<Signature xmlns="…dsig#">``), so a Java/.NET verifier would not get the same bytes. Serialising the
    subtree (lxml copies every in-scope namespace declaration onto it, as inclusive C14N requires) and
    canonicalising the re-parsed copy as a whole document gives the W3C result.
    """

    def _c14n(self, nodes: Any, algorithm: CanonicalizationMethod, inclusive_ns_prefixes: Any = None) -> bytes:
        if not isinstance(nodes, list):
            nodes = [nodes]
        copies = [
            n
            if not isinstance(n, etree._Element) or n.getparent() is None
            else self._fromstring(etree.tostring(n, with_tail=False))  # type: ignore[attr-defined]
            for n in nodes
        ]
        return super()._c14n(copies, algorithm=algorithm, inclusive_ns_prefixes=inclusive_ns_prefixes)  # type: ignore[misc]


class _EdxmlVerifier(_SubtreeC14nFix, XMLVerifier):
    pass


class _EdxmlSigner(_SubtreeC14nFix, XMLSigner):
    """signxml's XMLSigner with SignedInfo in C14N 1.0 but the Reference in exclusive C14N (as the SDK)."""

    def check_deprecated_methods(self) -> None:
        """RSA-SHA1 is allowed on purpose: some partners on the national axis only accept it."""

    def _ds_tag(self, tag: str) -> str:
        # signxml makes no-namespace elements when ds is the default namespace; their in-memory C14N then
        # differs from the parsed document's. Always use the qualified name (still serialised unprefixed).
        return f"{{{DSIG_NS}}}{tag}"

    def _unpack(self, data: Any, references: Any) -> Any:
        sig_root, doc_root, c14n_inputs, refs = super()._unpack(data, references)
        refs = [replace(r, c14n_method=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0) for r in refs]
        return sig_root, doc_root, c14n_inputs, refs


def _add_key_info(sig_root: etree._Element, signing_settings: Any) -> None:
    chain: list[x509.Certificate] = signing_settings.cert_chain
    key_info = etree.SubElement(sig_root, f"{{{DSIG_NS}}}KeyInfo")
    x509_data = etree.SubElement(key_info, f"{{{DSIG_NS}}}X509Data")
    etree.SubElement(x509_data, f"{{{DSIG_NS}}}X509SubjectName").text = chain[0].subject.rfc4514_string()
    for cert in chain:
        der = cert.public_bytes(Encoding.DER)
        etree.SubElement(x509_data, f"{{{DSIG_NS}}}X509Certificate").text = base64.b64encode(der).decode("ascii")


_local = threading.local()


def _signer(algorithm: str) -> XMLSigner:
    """One signer object per algorithm and thread (signxml objects keep a parser, which is not thread-safe)."""
    cache: dict[str, XMLSigner] = _local.__dict__.setdefault("signers", {})
    signer = cache.get(algorithm)
    if signer is None:
        sign_alg, digest_alg = SIGN_ALGORITHMS[algorithm]
        signer = _EdxmlSigner(
            method=methods.enveloped,
            signature_algorithm=sign_alg,
            digest_algorithm=digest_alg,
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )
        signer.namespaces = {None: DSIG_NS}  # type: ignore[dict-item]
        signer.signature_annotators = [_add_key_info]
        cache[algorithm] = signer
    return signer


def _place_placeholder(root: etree._Element, header: etree._Element) -> None:
    """Put an empty `<Signature Id="placeholder">` where the signature goes; drop any other one."""
    placeholder = etree.Element(f"{{{DSIG_NS}}}Signature", nsmap={None: DSIG_NS})
    placeholder.set("Id", "placeholder")
    existing = _signature_candidates(root)
    in_header = [el for el in existing if el.getparent() is header]
    if in_header:
        old = in_header[0]
        placeholder.tail = old.tail
        header.replace(old, placeholder)
    else:
        children = [el for el in header if isinstance(el.tag, str)]
        if children:
            last = children[-1]
            previous = last.getprevious()
            indent = previous.tail if previous is not None else header.text
            last.addnext(placeholder)
            placeholder.tail = last.tail
            last.tail = indent
        else:
            header.append(placeholder)
    for el in existing:
        if el not in in_header[:1]:
            _remove_keep_tail(el)


def _remove_keep_tail(el: etree._Element) -> None:
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def sign_edxml(
    xml: bytes,
    *,
    key: rsa.RSAPrivateKey | bytes,
    cert_chain: list[x509.Certificate],
    algorithm: str = "rsa-sha256",
) -> bytes:
    """Sign an edXML message (document or status), enveloped, inside `edXMLHeader`.

    `key` should be a loaded RSA private key (PEM bytes work but are reloaded each call: slow).
    `cert_chain` is the signer's certificate first, then its CAs (the root may be left out).
    An existing Signature or DigitalSignature placeholder is replaced. Raises XmlSignError.
    """
    if algorithm not in SIGN_ALGORITHMS:
        raise XmlSignError("unsupported_algorithm", f"Unsupported signature algorithm {algorithm!r}")
    if not cert_chain:
        raise XmlSignError("no_signing_certificate", "cert_chain must hold at least the signer's certificate")
    if isinstance(key, bytes):
        key = load_pem_private_key(key, password=None)  # type: ignore[assignment]
    if not isinstance(key, rsa.RSAPrivateKey):
        raise XmlSignError("unsupported_algorithm", "Only RSA keys are supported for edXML signatures")
    if key.public_key().public_numbers() != getattr(cert_chain[0].public_key(), "public_numbers", lambda: None)():
        raise XmlSignError("key_mismatch", "The private key does not match the first certificate of cert_chain")
    try:
        root = _parse(xml)
    except etree.XMLSyntaxError as exc:
        raise XmlSignError("malformed_xml", f"Not well-formed XML: {exc}") from exc
    header = _header(root)
    if header is None:
        raise XmlSignError("not_edxml", "Not an edXML message (no edXML/edXMLEnvelope/edXMLHeader)")
    _place_placeholder(root, header)
    signed = _signer(algorithm).sign(root, key=key, cert=cert_chain)
    return _serialise(signed, _line_ending(xml))


# --- verification --------------------------------------------------------------------------------------


def _fragment(uri: str | None) -> str:
    return (uri or "").rsplit("#", 1)[-1]


def _as_dsig(sig: etree._Element) -> etree._Element:
    """A copy of a Signature in the edXML (or no) namespace, re-declared in the XML-DSig namespace."""

    def copy(src: etree._Element, parent: etree._Element | None) -> etree._Element:
        tag = f"{{{DSIG_NS}}}{_localname(src)}"
        nsmap = {None: DSIG_NS}
        dst = etree.Element(tag, nsmap=nsmap) if parent is None else etree.SubElement(parent, tag)
        for name, value in src.attrib.items():
            dst.set(name, value)
        dst.text = src.text
        dst.tail = src.tail
        for child in src:
            if isinstance(child.tag, str):
                copy(child, dst)
            else:  # comment or processing instruction
                clone = etree.Comment(child.text) if isinstance(child, etree._Comment) else None
                if clone is not None:
                    clone.tail = child.tail
                    dst.append(clone)
        return dst

    return copy(sig, None)


def _select_leaf(certs: list[x509.Certificate], subject_name: str) -> x509.Certificate:
    if subject_name:
        for cert in certs:
            if cert.subject.rfc4514_string() == subject_name:
                return cert
    issuers = {c.issuer for c in certs}
    for cert in certs:
        if cert.subject not in issuers or (cert.subject == cert.issuer and len(certs) == 1):
            return cert
    return certs[0]


def _key_usage_ok(policy: Any, cert: x509.Certificate, key_usage: x509.KeyUsage | None) -> None:
    if key_usage is not None and not (key_usage.digital_signature or key_usage.content_commitment):
        raise ValueError("certificate KeyUsage allows neither digitalSignature nor nonRepudiation")


def _chain_ok(
    leaf: x509.Certificate, others: list[x509.Certificate], roots: list[x509.Certificate], at: datetime
) -> bool:
    if not roots:
        return False
    ee_policy = ExtensionPolicy.permit_all().may_be_present(x509.KeyUsage, Criticality.AGNOSTIC, _key_usage_ok)
    builder = (
        PolicyBuilder()
        .store(Store(roots))
        .time(at)
        .extension_policies(ee_policy=ee_policy, ca_policy=ExtensionPolicy.webpki_defaults_ca())
    )
    try:
        builder.build_client_verifier().verify(leaf, others)
    except (VerificationError, ValueError):
        return False
    return True


def _public_key_type_ok(cert: x509.Certificate) -> bool:
    return isinstance(cert.public_key(), (rsa.RSAPublicKey, ec.EllipticCurvePublicKey))


def verify_edxml(
    xml: bytes,
    *,
    trusted_roots: list[x509.Certificate] | None = None,
    expected_cert: x509.Certificate | None = None,
) -> XmlVerification:
    """Check the signature of an edXML message; never raises on bad input.

    Trust: the signing certificate must chain to one of `trusted_roots`, or be `expected_cert` (pinned);
    with both, both must hold; with neither, the best outcome is "untrusted_chain".
    Precedence when several things are wrong: structure, then certificate identification, then the
    cryptographic check (FAILED: content changed / bad value), then trust (INDETERMINATE).
    """
    try:
        return _verify(xml, trusted_roots=trusted_roots, expected_cert=expected_cert)
    except Exception:  # a last guard: a bug or an lxml/signxml surprise must not crash a verification page
        return _result("malformed_signature")


def _verify(
    xml: bytes, *, trusted_roots: list[x509.Certificate] | None, expected_cert: x509.Certificate | None
) -> XmlVerification:
    if not isinstance(xml, bytes | bytearray):
        return _result("malformed_xml")
    try:
        root = _parse(bytes(xml))
    except etree.XMLSyntaxError:
        return _result("malformed_xml")
    if _header(root) is None:
        return _result("not_edxml")
    candidates = _signature_candidates(root)
    if not candidates:
        return _result("no_signature")
    if len(candidates) > 1:
        return _result("malformed_signature")
    sig = candidates[0]
    if not any(isinstance(child.tag, str) for child in sig):
        return _result("empty_signature" if not (sig.text or "").strip() else "malformed_signature")
    if _localname(sig) != "Signature":
        return _result("malformed_signature")

    legacy = etree.QName(sig).namespace != DSIG_NS
    if legacy:
        renamed = _as_dsig(sig)
        sig.getparent().replace(sig, renamed)
        sig = renamed
    fields: dict[str, Any] = {"legacy_namespace": legacy}

    ns = {"ds": DSIG_NS}
    signed_info = sig.find("ds:SignedInfo", ns)
    if signed_info is None:
        return _result("malformed_signature", **fields)
    sig_method = signed_info.find("ds:SignatureMethod", ns)
    c14n_method = signed_info.find("ds:CanonicalizationMethod", ns)
    references = signed_info.findall("ds:Reference", ns)
    if sig_method is None or c14n_method is None or len(references) != 1:
        return _result("malformed_signature", **fields)
    reference = references[0]
    digest_method = reference.find("ds:DigestMethod", ns)
    fields["algorithm"] = _fragment(sig_method.get("Algorithm"))
    fields["signed_digest_algorithm"] = _fragment(digest_method.get("Algorithm") if digest_method is not None else "")
    if reference.get("URI") != "":
        return _result("not_whole_document", **fields)
    transforms = [t.get("Algorithm") or "" for t in reference.findall("ds:Transforms/ds:Transform", ns)]
    if (
        sig_method.get("Algorithm") not in {m.value for m in _ACCEPTED_SIGNATURE_METHODS}
        or digest_method is None
        or digest_method.get("Algorithm") not in {d.value for d in _ACCEPTED_DIGESTS}
        or c14n_method.get("Algorithm") not in _C14N_URIS
        or any(t not in _ACCEPTED_TRANSFORMS for t in transforms)
        or ENVELOPED not in transforms
    ):
        return _result("unsupported_algorithm", **fields)
    try:
        value = base64.b64decode("".join((sig.findtext("ds:SignatureValue", "", ns)).split()), validate=True)
    except (binascii.Error, ValueError):
        value = b""
    if not value:
        return _result("malformed_signature", **fields)
    if LEGACY_EXC_C14N in transforms:
        default_c14n = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0
    else:
        default_c14n = CanonicalizationMethod.CANONICAL_XML_1_0  # the XML-DSig default for a node-set

    # Identify the signing certificate.
    certs: list[x509.Certificate] = []
    try:
        for el in sig.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns):
            der = base64.b64decode("".join((el.text or "").split()), validate=True)
            certs.append(x509.load_der_x509_certificate(der))
    except (binascii.Error, ValueError):
        return _result("no_signing_certificate", **fields)
    subject_el = sig.find("ds:KeyInfo/ds:X509Data/ds:X509SubjectName", ns)
    if certs:
        leaf = _select_leaf(certs, (subject_el.text or "").strip() if subject_el is not None else "")
    elif expected_cert is not None:
        leaf = expected_cert
    else:
        return _result("no_signing_certificate", **fields)
    fields["signer_subject"] = leaf.subject.rfc4514_string()
    if not _public_key_type_ok(leaf):
        return _result("unsupported_algorithm", **fields)
    if expected_cert is not None and leaf != expected_cert:
        return _result("unexpected_signer", chain_trusted=False, **fields)

    # Cryptographic check (digest of the message, then the signature value), with the leaf's key.
    config = SignatureConfiguration(
        require_x509=True,
        location=".//",
        expect_references=1,
        signature_methods=_ACCEPTED_SIGNATURE_METHODS,
        digest_algorithms=_ACCEPTED_DIGESTS,
        default_reference_c14n_method=default_c14n,
        verification_time=leaf.not_valid_before_utc,  # validity is judged below, not by signxml
    )
    crypto_code = "ok"
    try:
        _EdxmlVerifier().verify(
            etree.tostring(root, encoding="UTF-8"),
            x509_cert=leaf,
            expect_config=config,
        )
    except InvalidDigest:
        crypto_code = "digest_mismatch"
    except InvalidCertificate:
        crypto_code = "no_signing_certificate"
    except InvalidSignature:
        crypto_code = "bad_signature"
    except InvalidInput:
        crypto_code = "malformed_signature"
    except (SignXMLException, ValueError, TypeError, etree.Error):
        crypto_code = "bad_signature"
    fields["intact"] = crypto_code == "ok"

    # Trust: pinned certificate and/or chain to a trusted root, at the current time.
    now = datetime.now(tz=UTC)
    in_validity = leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc
    if trusted_roots is not None:
        others = [c for c in certs if c != leaf]
        trusted = in_validity and _chain_ok(leaf, others, trusted_roots, now)
    else:
        trusted = expected_cert is not None and in_validity
    fields["chain_trusted"] = trusted

    if crypto_code != "ok":
        return _result(crypto_code, **fields)
    if not in_validity:
        return _result("expired_certificate", **fields)
    if not trusted:
        return _result("untrusted_chain", **fields)
    return _result("ok", **fields)
