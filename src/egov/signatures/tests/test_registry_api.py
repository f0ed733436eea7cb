import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.signatures import pades, selectors, services
from egov.signatures.models import Certificate, CertificateKind, SignatureRequest

pytestmark = pytest.mark.django_db


def test_import_pem_der_pkcs12_and_counts(demo_pki):
    root = services.certificate_import(
        actor=None, data=demo_pki.cert_path("root").read_bytes(), kind=CertificateKind.CA, trusted_root=True
    )
    assert root.trusted_root
    assert root.key_type == "rsa"
    assert root.key_size == 2048
    der = demo_pki.cert("leader-stttt-ec").dump()
    ec = services.certificate_import(actor=None, data=der, kind=CertificateKind.PERSONAL)
    assert ec.key_type == "ec"
    assert ec.key_size == 256
    assert "non_repudiation" in ec.key_usage
    org = services.certificate_import(
        actor=None,
        data=demo_pki.pfx_path("org-000-00-11-H54").read_bytes(),
        password="egov-demo",
        kind=CertificateKind.ORGANISATION,
    )
    assert org.common_name == "Sở Thông tin và Truyền thông"
    assert AuditRecord.objects.filter(action="signatures.certificate_import").count() == 3
    assert {(r["kind"], r["total"]) for r in selectors.certificate_counts()} >= {("ca", 1), ("personal", 1)}
    assert len(selectors.trusted_roots()) == 1
    soon = selectors.certificates_expiring(before=dt.datetime(2037, 1, 1, tzinfo=dt.UTC))
    assert ec in soon
    assert root not in soon


@pytest.mark.parametrize(
    ("label", "kind", "password", "code"),
    [
        ("tsa", CertificateKind.PERSONAL, None, "signatures.key_usage_missing"),
        ("leader-stttt", CertificateKind.CA, None, "signatures.key_usage_missing"),
        ("leader-stttt", CertificateKind.TSA, None, "signatures.key_usage_missing"),
    ],
)
def test_import_refuses_wrong_usage_and_changes_nothing(demo_pki, label, kind, password, code):
    with pytest.raises(EgovError) as err:
        services.certificate_import(actor=None, data=demo_pki.cert_path(label).read_bytes(), kind=kind)
    assert err.value.code == code
    assert err.value.messages["vi"] != err.value.messages["en"]
    assert Certificate.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_import_refuses_garbage_and_wrong_password(demo_pki):
    with pytest.raises(EgovError) as err:
        services.certificate_import(actor=None, data=b"garbage")
    assert err.value.code == "signatures.certificate_unreadable"
    with pytest.raises(EgovError) as err:
        services.certificate_import(actor=None, data=demo_pki.pfx_path("leader-stttt").read_bytes(), password="x")
    assert err.value.code == "signatures.wrong_password"
    assert Certificate.objects.count() == 0
    assert AuditRecord.objects.count() == 0


def test_remote_signing_seam(demo_pki, responder, pdf):
    """The hash goes out, the signature comes back later (a local stand-in for a phone/HSM)."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa, utils

    services.certificate_import(actor=None, data=demo_pki.cert_path("interm").read_bytes(), kind=CertificateKind.CA)
    cert = services.certificate_import(actor=None, data=demo_pki.cert_path("leader-skhdt").read_bytes())
    req = services.signature_request_create(actor=None, data=pdf, certificate=cert)
    assert len(req.data_to_sign_digest) == 64
    assert req.status == "pending"

    key = serialization.load_pem_private_key(
        (demo_pki.directory / "keys" / "leader-skhdt.key.pem").read_bytes(), password=None
    )

    class LocalRemote:
        def sign_digest(self, digest: bytes) -> bytes:
            assert isinstance(key, rsa.RSAPrivateKey)
            return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))

    value = LocalRemote().sign_digest(bytes.fromhex(req.data_to_sign_digest))
    with pytest.raises(EgovError):
        services.signature_request_complete(actor=None, request=req, signature_value=b"\x00" * 256)
    signed = services.signature_request_complete(actor=None, request=req, signature_value=value)
    from egov.signatures.validation import validate_pdf

    assert validate_pdf(signed, trust_roots=[demo_pki.root]).valid
    assert SignatureRequest.objects.get().status == "completed"
    with pytest.raises(EgovError) as err:
        services.signature_request_complete(actor=None, request=req, signature_value=value)
    assert err.value.code == "signatures.request_not_pending"


def test_verify_api_public(demo_pki, responder, p12, pdf, settings):
    from egov.signatures import demo as sig_demo

    sig_demo.seed_demo_pki(directory=demo_pki.directory)
    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    client = APIClient()
    resp = client.post("/api/v1/signatures/verify/", {"file": SimpleUploadedFile("a.pdf", signed)}, format="multipart")
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["valid"] is True
    assert body["signatures"][0]["signer"] == "Phạm Minh Châu"
    resp = client.post("/api/v1/signatures/verify/", {"file": SimpleUploadedFile("a.pdf", b"xx")}, format="multipart")
    assert resp.status_code == 200
    assert resp.json()["valid"] is False
    assert resp.json()["errors"]
    page = client.post("/xac-thuc/", {"file": SimpleUploadedFile("a.pdf", signed)})
    assert page.status_code == 200
    assert "Phạm Minh Châu" in page.content.decode()
    assert client.get("/xac-thuc/").status_code == 200


def test_sign_api_roles_and_certificates_list(demo_pki, responder, pdf):
    from egov.orgs.demo import seed_demo_staff, seed_thai_binh
    from egov.signatures import demo as sig_demo

    seed_thai_binh()
    seed_demo_staff(password="Mat-khau-2018!")
    sig_demo.seed_demo_pki(directory=demo_pki.directory)
    assert Certificate.objects.filter(kind="organisation", agency__code="000.00.11.H54").exists()
    users = get_user_model().objects
    client = APIClient()
    anon = client.post("/api/v1/signatures/sign/", {"file": SimpleUploadedFile("a.pdf", pdf)}, format="multipart")
    assert anon.status_code == 401
    client.force_authenticate(users.get(username="lanhdao.stttt"))
    resp = client.post(
        "/api/v1/signatures/sign/", {"file": SimpleUploadedFile("a.pdf", pdf), "level": "B-B"}, format="multipart"
    )
    assert resp.status_code == 200, resp.content
    assert resp["Content-Type"] == "application/pdf"
    # a leader is not a clerk: no agency seal
    denied = client.post(
        "/api/v1/signatures/sign/",
        {"file": SimpleUploadedFile("a.pdf", pdf), "as_agency": "000.00.11.H54"},
        format="multipart",
    )
    assert denied.status_code == 403
    client.force_authenticate(users.get(username="vanthu.stttt"))
    sealed = client.post(
        "/api/v1/signatures/sign/",
        {"file": SimpleUploadedFile("a.pdf", pdf), "as_agency": "000.00.11.H54", "level": "B-B"},
        format="multipart",
    )
    assert sealed.status_code == 200, sealed.content
    listing = client.get("/api/v1/certificates/", {"agency": "000.00.11.H54", "kind": "organisation"})
    assert listing.status_code == 200
    assert len(listing.json()) == 1


def test_printable_report_is_a_pdf_with_the_verdict(demo_pki, responder, p12, pdf):
    import subprocess

    signed = pades.sign_pdf(pdf, signer=p12("leader-stttt"))
    client = APIClient()
    resp = client.post(
        "/api/v1/signatures/verify/report/", {"file": SimpleUploadedFile("quyet-dinh.pdf", signed)}, format="multipart"
    )
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=resp.content, capture_output=True, check=True).stdout
    text = text.decode()
    assert "BÁO CÁO XÁC THỰC CHỮ KÝ SỐ" in text
    assert "Phạm Minh Châu" in text
    assert "quyet-dinh.pdf" in text
    # trust comes from the registry: without the demo root imported the verdict is not PASSED
    assert "INDETERMINATE" in text or "PASSED" in text


def test_certificate_import_api_roles_and_bad_input(demo_pki):
    from egov.orgs.demo import seed_demo_staff, seed_thai_binh

    seed_thai_binh()
    seed_demo_staff(password="Mat-khau-2018!")
    users = get_user_model().objects
    pem = demo_pki.cert_path("leader-stttt").read_bytes()
    client = APIClient()

    def post(**fields):
        return client.post(
            "/api/v1/certificates/",
            {"file": SimpleUploadedFile("c.pem", fields.pop("data", pem)), "kind": "personal", **fields},
            format="multipart",
        )

    assert post(agency="000.00.11.H54").status_code == 401
    client.force_authenticate(users.get(username="chuyenvien.stttt"))  # a specialist
    assert post(agency="000.00.11.H54").status_code == 403
    client.force_authenticate(users.get(username="quantri.skhdt"))  # admin of another agency
    assert post(agency="000.00.11.H54").status_code == 403
    assert Certificate.objects.count() == 0

    client.force_authenticate(users.get(username="quantri.stttt"))  # admin of Sở TTTT
    bad = post(agency="000.00.11.H54", data=b"not a certificate")
    assert bad.status_code == 400
    assert bad.json()["messages"]["vi"] != bad.json()["messages"]["en"]
    unknown = post(agency="000.00.99.H54")
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "signatures.agency_unknown"
    assert Certificate.objects.count() == 0

    audit_before = AuditRecord.objects.count()
    ok = post(agency="000.00.11.H54", username="lanhdao.stttt")
    assert ok.status_code == 201, ok.content
    assert ok.json()["agency"] == "000.00.11.H54"
    assert Certificate.objects.get().user.username == "lanhdao.stttt"
    assert AuditRecord.objects.count() == audit_before + 1
