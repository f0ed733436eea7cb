"""XML-DSig on the real edXML samples (shared/reference/edxml), re-signed with a demo key.

No database: pure library tests. The samples are read-only third-party files; nothing here writes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree  # type: ignore[import-untyped]

from egov.signatures import xmldsig
from egov.signatures.tests import xml_keys
from egov.signatures.xmldsig import DSIG_NS, EDXML_NS, XmlSignError, sign_edxml, verify_edxml

SAMPLES = Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "edxml"
ALL = sorted(p.name for p in SAMPLES.glob("*.edxml")) if SAMPLES.is_dir() else []
NOT_WELL_FORMED = {"vxp-edoc-new-stray-prefix.edxml", "vxp-edoc-template-jmeter.edxml"}
SIGNABLE = [name for name in ALL if name not in NOT_WELL_FORMED]
DOCUMENTS = [name for name in SIGNABLE if "-edoc-" in name or name.startswith("integrator-")]

pytestmark = pytest.mark.skipif(
    not ALL, reason=f"edXML reference samples not found in {SAMPLES} (the shared/ checkout is absent)"
)

E = f"{{{EDXML_NS}}}"
DS = f"{{{DSIG_NS}}}"


def _read(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _flip_first_letter_after(xml: bytes, marker: bytes) -> bytes:
    """Change one character: the first ASCII letter of the text following `marker`."""
    start = xml.index(marker) + len(marker)
    for i in range(start, start + 50):
        if chr(xml[i]).isascii() and chr(xml[i]).isalpha():
            return xml[:i] + chr(xml[i]).swapcase().encode() + xml[i + 1 :]
    raise AssertionError(f"no ASCII letter after {marker!r}")


def _signature_count(xml: bytes) -> int:
    root = etree.fromstring(xml)
    return len(root.findall(f".//{DS}Signature")) + len(root.findall(f".//{E}Signature"))


# --- re-signed samples -------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["rsa-sha256", "rsa-sha1"])
@pytest.mark.parametrize("name", SIGNABLE)
def test_resigned_sample_verifies_with_the_demo_root(name: str, algorithm: str) -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain, algorithm=algorithm)

    result = verify_edxml(signed, trusted_roots=[demo.root])

    assert result.valid, result
    assert result.reason_code == "ok"
    assert result.indication == "PASSED"
    assert result.algorithm == algorithm
    assert result.signed_digest_algorithm == algorithm.split("-")[1]
    assert result.signer_subject == demo.cert.subject.rfc4514_string()
    assert result.intact is True
    assert result.chain_trusted is True
    assert result.legacy_namespace is False
    assert _signature_count(signed) == 1


@pytest.mark.parametrize("name", SIGNABLE)
def test_signature_sits_in_edxml_header_with_the_sdk_profile(name: str) -> None:
    demo = xml_keys.demo()
    root = etree.fromstring(sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain))

    header = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader")
    sig = header.find(f"{DS}Signature")
    assert sig is not None
    assert sig.prefix is None  # unprefixed, default-namespace declaration, as the SDK template
    assert [etree.QName(c).localname for c in header if isinstance(c.tag, str)][-1] == "Signature"
    si = sig.find(f"{DS}SignedInfo")
    assert si.find(f"{DS}CanonicalizationMethod").get("Algorithm") == "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
    ref = si.find(f"{DS}Reference")
    assert ref.get("URI") == ""
    assert [t.get("Algorithm") for t in ref.iterfind(f"{DS}Transforms/{DS}Transform")] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    x509_data = sig.find(f"{DS}KeyInfo/{DS}X509Data")
    assert x509_data.findtext(f"{DS}X509SubjectName") == demo.cert.subject.rfc4514_string()
    assert len(x509_data.findall(f"{DS}X509Certificate")) == 2  # signer, then the issuing CA


@pytest.mark.parametrize("name", DOCUMENTS)
def test_one_changed_character_in_subject_is_a_digest_mismatch(name: str) -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain)
    tampered = _flip_first_letter_after(signed, b"<edXML:Subject>")
    assert tampered != signed

    result = verify_edxml(tampered, trusted_roots=[demo.root])

    assert not result.valid
    assert result.reason_code == "digest_mismatch"
    assert result.indication == "FAILED"
    assert result.sub_indication == "HASH_FAILURE"
    assert result.intact is False
    assert "thay đổi" in result.reason_vi


@pytest.mark.parametrize("name", DOCUMENTS)
def test_one_changed_character_in_the_attachment_is_a_digest_mismatch(name: str) -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain)
    tampered = _flip_first_letter_after(
        signed, b'<edXML:ContentTransferEncoded xmlns:edXML="' + EDXML_NS.encode() + b'">'
    )

    assert verify_edxml(tampered, trusted_roots=[demo.root]).reason_code == "digest_mismatch"


@pytest.mark.parametrize("name", [n for n in SIGNABLE if n.startswith("vxp-status-")])
def test_one_changed_character_in_a_status_message_is_a_digest_mismatch(name: str) -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain)
    tampered = _flip_first_letter_after(signed, b"<edXML:Description>")

    assert verify_edxml(tampered, trusted_roots=[demo.root]).reason_code == "digest_mismatch"


@pytest.mark.parametrize("name", SIGNABLE)
def test_another_ca_does_not_trust_the_signature(name: str) -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain)

    result = verify_edxml(signed, trusted_roots=[xml_keys.other().root])

    assert not result.valid
    assert result.reason_code == "untrusted_chain"
    assert result.indication == "INDETERMINATE"
    assert result.sub_indication == "NO_CERTIFICATE_CHAIN_FOUND"
    assert result.intact is True  # the content is fine; only the signer is unknown
    assert result.chain_trusted is False


@pytest.mark.parametrize("name", DOCUMENTS)
def test_signed_document_keeps_names_prefixes_line_endings_and_attachments(name: str) -> None:
    original = _read(name)
    demo = xml_keys.demo()
    signed = sign_edxml(original, key=demo.key, cert_chain=demo.chain)

    before, after = etree.fromstring(original), etree.fromstring(signed)

    def names(root: etree._Element) -> list[str]:
        return [
            el.tag
            for el in root.iter(etree.Element)
            if not any(etree.QName(a).localname == "Signature" for a in [el, *el.iterancestors()])
        ]

    assert names(after) == names(before)
    if b"Bussiness" in original:
        assert after.find(f".//{E}Bussiness") is not None
        assert signed.count(b"<edXML:Bussiness>") == original.count(b"<edXML:Bussiness>")
    # Prefixes and declarations as the sender wrote them.
    assert signed.count(b"<edXML:") == original.count(b"<edXML:")
    assert signed.count(b'xmlns:edXML="') == original.count(b'xmlns:edXML="')
    assert b"<AttachmentEncoded>" in signed
    # Attachments byte for byte.
    assert [el.text for el in after.iter(f"{E}ContentTransferEncoded")] == [
        el.text for el in before.iter(f"{E}ContentTransferEncoded")
    ]
    # The sender's line endings are kept (PVN: CRLF, INT: LF).
    assert (b"\r\n" in signed) == (b"\r\n" in original)
    # Everything after the signature is unchanged text (modulo CRLF) but for `/>` spacing.
    tail_original = original[original.index(b"</edXML:edXMLHeader>") :].replace(b" />", b"/>")
    assert signed.endswith(tail_original.rstrip()) or signed.rstrip().endswith(tail_original.rstrip())


def test_resigning_replaces_the_signature_instead_of_adding_one() -> None:
    demo, other = xml_keys.demo(), xml_keys.other()
    once = sign_edxml(_read("vxp-edoc-update.edxml"), key=other.key, cert_chain=other.chain)
    twice = sign_edxml(once, key=demo.key, cert_chain=demo.chain, algorithm="rsa-sha1")

    assert _signature_count(twice) == 1
    result = verify_edxml(twice, trusted_roots=[demo.root])
    assert result.valid
    assert result.algorithm == "rsa-sha1"


def test_status_message_gets_its_signature_after_message_header() -> None:
    demo = xml_keys.demo()
    original = _read("vxp-status-03.edxml")
    signed = sign_edxml(original, key=demo.key, cert_chain=demo.chain)

    header = etree.fromstring(signed).find(f"{E}edXMLEnvelope/{E}edXMLHeader")
    assert [etree.QName(c).localname for c in header] == ["MessageHeader", "Signature"]
    assert etree.fromstring(signed).find(f"{E}edXMLEnvelope/{E}edXMLBody") is None  # still no body
    assert signed.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\r\n')


def test_a_signer_key_object_and_pem_bytes_give_the_same_valid_signature() -> None:
    from cryptography.hazmat.primitives import serialization

    demo = xml_keys.demo()
    pem = demo.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    xml = _read("vxp-status-01.edxml")
    # RSA PKCS#1 v1.5 is deterministic: same key, same document -> same bytes.
    assert sign_edxml(xml, key=pem, cert_chain=demo.chain) == sign_edxml(xml, key=demo.key, cert_chain=demo.chain)


def test_pinned_expected_certificate() -> None:
    demo, other = xml_keys.demo(), xml_keys.other()
    signed = sign_edxml(_read("vxp-status-05.edxml"), key=demo.key, cert_chain=demo.chain)

    assert verify_edxml(signed, expected_cert=demo.cert).valid
    assert verify_edxml(signed, expected_cert=demo.cert, trusted_roots=[demo.root]).valid
    wrong = verify_edxml(signed, expected_cert=other.cert)
    assert (wrong.valid, wrong.reason_code) == (False, "unexpected_signer")
    assert verify_edxml(signed, expected_cert=demo.cert, trusted_roots=[other.root]).reason_code == "untrusted_chain"


def test_without_any_trust_anchor_nothing_passes() -> None:
    demo = xml_keys.demo()
    signed = sign_edxml(_read("vxp-status-05.edxml"), key=demo.key, cert_chain=demo.chain)

    result = verify_edxml(signed)
    assert (result.valid, result.reason_code, result.intact) == (False, "untrusted_chain", True)
    assert verify_edxml(signed, trusted_roots=[]).reason_code == "untrusted_chain"


def test_expired_signer_certificate() -> None:
    old = xml_keys.expired()
    signed = sign_edxml(_read("vxp-status-06.edxml"), key=old.key, cert_chain=old.chain)

    result = verify_edxml(signed, trusted_roots=[old.root])
    assert (result.valid, result.reason_code, result.indication) == (False, "expired_certificate", "INDETERMINATE")


def test_wrong_key_for_the_certificate_in_key_info_is_a_bad_signature() -> None:
    demo, other = xml_keys.demo(), xml_keys.other()
    signed = sign_edxml(_read("vxp-status-02.edxml"), key=other.key, cert_chain=other.chain)
    # Claim the demo signer's certificates: the value no longer matches the key in the certificate.
    swapped = signed
    for theirs, ours in zip(other.chain, demo.chain, strict=True):
        swapped = swapped.replace(_b64(theirs), _b64(ours))
    swapped = swapped.replace(other.cert.subject.rfc4514_string().encode(), demo.cert.subject.rfc4514_string().encode())

    result = verify_edxml(swapped, trusted_roots=[demo.root])
    assert (result.valid, result.reason_code, result.sub_indication) == (False, "bad_signature", "SIG_CRYPTO_FAILURE")


def _b64(cert) -> bytes:
    import base64

    from cryptography.hazmat.primitives.serialization import Encoding

    return base64.b64encode(cert.public_bytes(Encoding.DER))


def test_sign_refuses_a_key_that_does_not_match_the_certificate() -> None:
    demo, other = xml_keys.demo(), xml_keys.other()
    with pytest.raises(XmlSignError) as excinfo:
        sign_edxml(_read("vxp-status-01.edxml"), key=other.key, cert_chain=demo.chain)
    assert excinfo.value.code == "key_mismatch"
    with pytest.raises(XmlSignError) as excinfo:
        sign_edxml(_read("vxp-status-01.edxml"), key=demo.key, cert_chain=demo.chain, algorithm="hmac-sha256")
    assert excinfo.value.code == "unsupported_algorithm"


def test_legacy_signature_in_the_edxml_namespace_is_read_as_xmldsig() -> None:
    """The SDK samples carry an unprefixed, undeclared Signature (edXML namespace): accepted and flagged."""
    demo = xml_keys.demo()
    signed = sign_edxml(_read("vxp-edoc-revocation.edxml"), key=demo.key, cert_chain=demo.chain)
    legacy = signed.replace(b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">', b"<Signature>")
    assert legacy != signed

    result = verify_edxml(legacy, trusted_roots=[demo.root])
    assert result.valid, result
    assert result.legacy_namespace is True
    # ... and re-signing it replaces the legacy element.
    assert _signature_count(sign_edxml(legacy, key=demo.key, cert_chain=demo.chain)) == 1


# --- the original samples, as received -------------------------------------------------------------------

ORIGINAL_OUTCOMES = {
    # Truncated certificate `MIIFqTCCBJG`: the signer cannot be identified.
    "integrator-edoc-new-ddmmyyyy.edxml": ("no_signing_certificate", "INDETERMINATE"),
    "vxp-edoc-new.edxml": ("no_signing_certificate", "INDETERMINATE"),
    "vxp-edoc-update.edxml": ("no_signing_certificate", "INDETERMINATE"),
    "vxp-edoc-revocation.edxml": ("no_signing_certificate", "INDETERMINATE"),
    "vxp-edoc-replacement.edxml": ("no_signing_certificate", "INDETERMINATE"),
    # Complete VNPT-CA certificate (expired 2018, untrusted here) but a SignatureValue copied from the
    # other samples: the cryptographic check fails, which is reported before the (also failing) trust.
    "vxp-edoc-received-2019.edxml": ("bad_signature", "FAILED"),
    # Not well-formed XML (stray bytes before the declaration; undeclared prefixes).
    "vxp-edoc-new-stray-prefix.edxml": ("malformed_xml", "FAILED"),
    "vxp-edoc-template-jmeter.edxml": ("malformed_xml", "FAILED"),
}


@pytest.mark.parametrize("name", ALL)
def test_original_samples_give_a_clear_reason_not_a_crash(name: str) -> None:
    demo = xml_keys.demo()
    result = verify_edxml(_read(name), trusted_roots=[demo.root])

    assert not result.valid
    expected = ORIGINAL_OUTCOMES.get(name, ("no_signature", "INDETERMINATE"))  # status messages: unsigned
    assert (result.reason_code, result.indication) == expected
    assert result.reason_vi
    assert result.reason_en


def test_original_received_sample_is_legacy_sha1_and_untrusted() -> None:
    result = verify_edxml(_read("vxp-edoc-received-2019.edxml"), trusted_roots=[xml_keys.demo().root])
    assert result.legacy_namespace is True
    assert (result.algorithm, result.signed_digest_algorithm) == ("rsa-sha1", "sha1")
    assert "CN=" in result.signer_subject  # read from the complete (VNPT-CA) certificate
    assert result.chain_trusted is False
    assert result.intact is False


@pytest.mark.parametrize("name", sorted(NOT_WELL_FORMED & set(ALL)))
def test_not_well_formed_samples_are_refused_for_signing(name: str) -> None:
    demo = xml_keys.demo()
    with pytest.raises(XmlSignError) as excinfo:
        sign_edxml(_read(name), key=demo.key, cert_chain=demo.chain)
    assert excinfo.value.code == "malformed_xml"


def test_stray_prefix_sample_signs_once_the_caller_removes_the_stray_bytes() -> None:
    raw = _read("vxp-edoc-new-stray-prefix.edxml")
    assert raw[:4] == b"1212"
    demo = xml_keys.demo()
    signed = sign_edxml(raw[4:], key=demo.key, cert_chain=demo.chain)
    assert verify_edxml(signed, trusted_roots=[demo.root]).valid


# --- bad input -------------------------------------------------------------------------------------------

_STATUS = None


def _status_signed() -> bytes:
    global _STATUS
    if _STATUS is None:
        demo = xml_keys.demo()
        _STATUS = sign_edxml(_read("vxp-status-01.edxml"), key=demo.key, cert_chain=demo.chain)
    return _STATUS


@pytest.mark.parametrize(
    ("xml", "code"),
    [
        (b"", "malformed_xml"),
        (b"%PDF-1.7 not xml", "malformed_xml"),
        (b"<edXML", "malformed_xml"),
        (b'<?xml version="1.0"?><other xmlns="urn:x"/>', "not_edxml"),
        (
            b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&b;</edXML>',
            "malformed_xml",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&x;</edXML>',
            "malformed_xml",
        ),
    ],
)
def test_bad_bytes_never_raise(xml: bytes, code: str) -> None:
    result = verify_edxml(xml, trusted_roots=[xml_keys.demo().root])
    assert (result.valid, result.reason_code) == (False, code)


def _with_header_child(child: bytes) -> bytes:
    xml = _read("vxp-status-01.edxml")
    return xml.replace(b"</edXML:edXMLHeader>", child + b"</edXML:edXMLHeader>")


@pytest.mark.parametrize(
    ("xml_factory", "code"),
    [
        (lambda: _with_header_child(b"<edXML:DigitalSignature/>"), "empty_signature"),
        (lambda: _with_header_child(b"<edXML:DigitalSignature>  </edXML:DigitalSignature>"), "empty_signature"),
        (lambda: _with_header_child(b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>'), "empty_signature"),
        (lambda: _with_header_child(b"<edXML:DigitalSignature>MIIB</edXML:DigitalSignature>"), "malformed_signature"),
        (lambda: _with_header_child(b"<Signature><Foo/></Signature>"), "malformed_signature"),
        (lambda: _read("vxp-status-01.edxml"), "no_signature"),
        (
            lambda: _status_signed().replace(b"</edXML:MessageHeader>", b"</edXML:MessageHeader><Signature/>"),
            "malformed_signature",
        ),
        (lambda: _status_signed().replace(b'<Reference URI="">', b'<Reference URI="#x">'), "not_whole_document"),
        (
            lambda: _status_signed().replace(b"xmldsig-more#rsa-sha256", b"xmldsig-more#hmac-sha256"),
            "unsupported_algorithm",
        ),
        (
            lambda: _status_signed().replace(
                b"http://www.w3.org/2001/10/xml-exc-c14n#", b"http://www.w3.org/TR/1999/REC-xslt-19991116"
            ),
            "unsupported_algorithm",
        ),
        (lambda: re.sub(rb"<SignatureValue>[^<]*", b"<SignatureValue>!!!", _status_signed()), "malformed_signature"),
        (lambda: _flip_first_letter_after(_status_signed(), b"<SignatureValue>"), "bad_signature"),
        (
            lambda: re.sub(rb"<X509Certificate>[^<]*", b"<X509Certificate>MIIFqTCCBJG", _status_signed()),
            "no_signing_certificate",
        ),
        (lambda: re.sub(rb"<KeyInfo>.*</KeyInfo>", b"", _status_signed()), "no_signing_certificate"),
    ],
)
def test_broken_signatures_give_the_right_reason(xml_factory, code: str) -> None:
    result = verify_edxml(xml_factory(), trusted_roots=[xml_keys.demo().root])
    assert (result.valid, result.reason_code) == (False, code)
    assert result.reason_vi
    assert result.reason_en


def test_sign_refuses_what_is_not_edxml() -> None:
    demo = xml_keys.demo()
    with pytest.raises(XmlSignError) as excinfo:
        sign_edxml(b'<?xml version="1.0"?><other xmlns="urn:x"/>', key=demo.key, cert_chain=demo.chain)
    assert excinfo.value.code == "not_edxml"


def test_every_reason_has_vietnamese_and_english_text() -> None:
    import unicodedata

    for code, (indication, _sub, vi, en) in xmldsig.REASONS.items():
        assert indication in {"PASSED", "FAILED", "INDETERMINATE"}, code
        assert vi, code
        assert en, code
        assert unicodedata.is_normalized("NFC", vi), code
