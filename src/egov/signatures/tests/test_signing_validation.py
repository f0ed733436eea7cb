import datetime as dt
import subprocess
import tempfile
from io import BytesIO

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from egov.common.errors import EgovError
from egov.signatures import pades, pki
from egov.signatures.models import RevocationCache
from egov.signatures.samples import make_pdf
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


def check(data, demo_pki, **kw):
    return validate_pdf(data, trust_roots=[demo_pki.root], **kw)


@pytest.mark.parametrize("label", ["leader-stttt", "leader-stttt-ec", "org-000-00-11-H54"])
@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT", "B-LTA"])
def test_pkcs12_each_level_validates(demo_pki, responder, p12, pdf, label, level):
    signed = pades.sign_pdf(
        pdf, signer=p12(label), level=level, timestamper=demo_pki.timestamper(), trust_roots=[demo_pki.root]
    )
    report = check(signed, demo_pki)
    [sig] = report.signatures
    assert report.valid, report.as_dict()
    assert sig.indication == "PASSED"
    assert sig.sub_indication is None
    assert sig.timestamped == (level != "B-B")
    assert sig.level == level
    assert sig.organisation == demo_pki.identity(label).organisation


@pytest.mark.parametrize("label", ["token-rsa", "token-ec"])
@pytest.mark.parametrize("level", ["B-B", "B-T", "B-LT"])
def test_softhsm_non_extractable_key_signs(demo_pki, responder, token_signer, pdf, label, level):
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    session = pades.registry.token_session(pki.SOFTHSM_MODULE, pki.TOKEN_LABEL, pki.TOKEN_PIN).session
    [key] = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.LABEL: label}))
    assert key[Attribute.EXTRACTABLE] is False
    assert key[Attribute.SENSITIVE] is True
    assert isinstance(key, pkcs11.PrivateKey)
    signed = pades.sign_pdf(
        pdf, signer=token_signer(label), level=level, timestamper=demo_pki.timestamper(), trust_roots=[demo_pki.root]
    )
    assert check(signed, demo_pki).valid


def test_http_tsa_on_loopback(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"), level="B-T", tsa_url=demo_pki.tsa_url)
    assert check(signed, demo_pki).signatures[0].timestamped


def test_wrong_pin_is_a_clear_error(demo_pki):
    if demo_pki.token is None:
        pytest.skip("softhsm2 is not installed")
    with pytest.raises(EgovError) as err:
        pades.TokenSession(pki.SOFTHSM_MODULE, pki.TOKEN_LABEL, "000000")
    assert err.value.code == "signatures.token_login_failed"
    assert "PIN" in err.value.messages["en"]
    assert err.value.messages["vi"]


def test_wrong_pkcs12_password(demo_pki):
    with pytest.raises(EgovError) as err:
        pades.pkcs12_signer(demo_pki.pfx_path("leader-stttt").read_bytes(), "sai")
    assert err.value.code == "signatures.wrong_password"


def test_signing_refuses_bad_input(p12):
    for data in (b"hello", b"", make_pdf(encrypt_password="x")):
        with pytest.raises(EgovError) as err:
            pades.sign_pdf(data, signer=p12("leader-stttt"))
        assert err.value.code == "signatures.not_a_pdf"


# --- Decree 30 appearance ---------------------------------------------------------------------


def _fields(data):
    reader = PdfFileReader(BytesIO(data))
    out = {}
    for ref in reader.root["/AcroForm"]["/Fields"]:
        f = ref.get_object()
        out[str(f["/T"])] = [float(v) for v in f["/Rect"]]
    return out


def _text(data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        return subprocess.run(["pdftotext", "-layout", fh.name, "-"], capture_output=True, text=True, check=True).stdout


def test_copy_stamp_top_right_with_iso_time(demo_pki, responder, p12, pdf):
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signed = pades.sign_pdf(
        pdf,
        signer=p12("org-000-00-11-H54"),
        appearance=pades.CopyAppearance("Sở Thông tin và Truyền thông", "Số: 12/STTTT-VP"),
    )
    text = _text(signed)
    assert "Sở Thông tin và Truyền thông" in text
    assert "Số: 12/STTTT-VP" in text
    import re

    [stamp] = re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", text)
    assert abs(dt.datetime.fromisoformat(stamp) - before) < dt.timedelta(seconds=30)
    [rect] = _fields(signed).values()
    x1, _y1, x2, y2 = rect
    assert x2 > 595 - 40
    assert y2 > 842 - 40
    assert x1 > 595 / 2
    # no image in the stamp
    assert b"/Subtype /Image" not in signed[len(pdf) :]
    assert check(signed, demo_pki).valid


def test_personal_then_seal_overlap_left_third(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(
        pdf, signer=p12("leader-stttt"), appearance=pades.PersonalAppearance("GIÁM ĐỐC", "Phạm Minh Châu")
    )
    sealed = pades.sign_pdf(
        signed,
        signer=p12("org-000-00-11-H54"),
        level="B-T",
        timestamper=demo_pki.timestamper(),
        appearance=pades.SealAppearance("Sở Thông tin và Truyền thông", "000.00.11.H54"),
    )
    text = _text(sealed)
    assert "GIÁM ĐỐC" in text
    assert "Phạm Minh Châu" in text
    fields = _fields(sealed)
    person, seal = fields["Signature1"], fields["Signature2"]
    img_left = (person[0] + person[2]) / 2 - pades.PersonalAppearance.IMAGE_W / 2
    assert seal[2] == pytest.approx(img_left + pades.PersonalAppearance.IMAGE_W / 3, abs=1)
    assert seal[0] < img_left  # the seal sits on the left
    assert sealed.count(b"/Subtype /Image") >= 2
    report = check(sealed, demo_pki)
    assert [s.indication for s in report.signatures] == ["PASSED", "PASSED"]
    assert report.signatures[0].modified_after_signing  # the seal came after, allowed
    assert not report.signatures[1].modified_after_signing


# --- validation -------------------------------------------------------------------------------


def test_one_byte_tampered_fails(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    tampered = signed.replace(b"123/QD-UBND", b"124/QD-UBND", 1)
    assert len(tampered) == len(signed)
    assert tampered != signed
    [sig] = check(tampered, demo_pki).signatures
    assert (sig.indication, sig.sub_indication) == ("FAILED", "HASH_FAILURE")
    assert "thay đổi" in sig.explanation_vi


def test_revoked_signer_fails(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("revoked-personal"), level="B-T", timestamper=demo_pki.timestamper())
    [sig] = check(signed, demo_pki).signatures
    assert sig.indication in ("FAILED", "INDETERMINATE")
    assert "REVOKED" in sig.sub_indication


def test_expired_signer_not_passed(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("expired-personal"))
    [sig] = check(signed, demo_pki).signatures
    assert sig.indication != "PASSED"
    assert sig.sub_indication in ("OUT_OF_BOUNDS_NO_POE", "EXPIRED")


def test_untrusted_root(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    [sig] = validate_pdf(signed, trust_roots=[]).signatures
    assert (sig.indication, sig.sub_indication) == ("INDETERMINATE", "NO_CERTIFICATE_CHAIN_FOUND")


def test_modified_after_signing(demo_pki, responder, p12, pdf):
    from pyhanko.pdf_utils import generic

    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    w = IncrementalPdfFileWriter(BytesIO(signed))
    page_ref = w.find_page_for_modification(0)[0]
    page = page_ref.get_object()
    stream = w.add_object(generic.StreamObject(stream_data=b"BT /F1 30 Tf 100 400 Td (DA SUA) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page["/Contents"], stream])
    w.update_container(page)
    out = BytesIO()
    w.write(out)
    [sig] = check(out.getvalue(), demo_pki).signatures
    assert sig.modified_after_signing
    assert sig.indication == "FAILED"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a pdf", "signatures.not_a_pdf"),
        (b"", "signatures.not_a_pdf"),
        (make_pdf(), "signatures.no_signatures"),
        (make_pdf(encrypt_password="x"), "signatures.encrypted"),
    ],
)
def test_bad_files_never_pass(demo_pki, data, code):
    report = check(data, demo_pki)
    assert not report.valid
    assert report.errors[0]["code"] == code
    assert report.errors[0]["messages"]["vi"]
    assert report.errors[0]["messages"]["en"]


def test_truncated_never_passes(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    for cut in (len(signed) // 2, len(signed) - 200, 100):
        report = check(signed[:cut], demo_pki)
        assert not report.valid
        assert all(s.indication != "PASSED" for s in report.signatures)


def test_responder_down_uses_cache_within_limit(demo_pki, responder, p12, pdf):
    signed = pades.sign_pdf(pdf, signer=p12("leader-skhdt"), level="B-T", timestamper=demo_pki.timestamper())
    RevocationCache.objects.all().delete()
    assert check(signed, demo_pki).valid
    assert RevocationCache.objects.filter(kind="ocsp").exists()
    assert RevocationCache.objects.filter(kind="crl").exists()
    # age the cache past "fresh" so validation asks the responder, which is down
    RevocationCache.objects.update(fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    responder.set_up(False)
    seen = responder.switch.requests
    assert check(signed, demo_pki).valid
    assert responder.switch.requests > seen  # it did try
    # beyond the freshness limit: no usable data → TRY_LATER (never PASSED)
    RevocationCache.objects.update(
        fetched_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
        next_update=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
    )
    [sig] = check(signed, demo_pki).signatures
    assert sig.indication == "INDETERMINATE"
    assert sig.sub_indication == "TRY_LATER"
