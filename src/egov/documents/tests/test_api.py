"""The HTTP API: create, list, detail, actions, registers, stats; refusals and visibility."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from egov.documents.models import Document
from egov.documents.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def scan(name: str = "scan.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content if content is not None else pdf_upload().content, "application/pdf")


def test_incoming_over_the_api(stttt, skhdt) -> None:
    c = client(skhdt.clerk)
    body = {
        "document_type": "cong-van",
        "subject": "Về việc báo cáo số liệu",
        "issuer_name": "Bộ Nội vụ",
        "number": 3,
        "notation": "BNV-VP",
        "scan": scan(),
    }
    r = c.post("/api/v1/documents/incoming/", body, format="multipart")
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    r = c.post(f"/api/v1/documents/{pk}/actions/", {"action": "register"}, format="json")
    assert r.status_code == 200
    assert r.json()["arrival_number"] == 1
    lead = client(skhdt.leader)
    r = lead.post(
        f"/api/v1/documents/{pk}/actions/",
        {"action": "assign", "lead_unit": stttt.unit_a.pk, "days": 5},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "documents.unit_of_other_agency"
    r = lead.post(f"/api/v1/documents/{pk}/actions/", {"action": "assign", "lead_unit": skhdt.unit_b.pk, "days": 5})
    assert r.status_code == 200
    assert r.json()["status"] == "assigned"
    assert r.json()["due_date"]
    r = c.get("/api/v1/documents/incoming/?q=bao cao so lieu")
    assert r.json()["count"] == 1
    assert client(stttt.clerk).get(f"/api/v1/documents/{pk}/").status_code == 404
    assert client(stttt.clerk).get("/api/v1/documents/incoming/").json()["count"] == 0
    r = c.get("/api/v1/documents/registers/incoming/")
    assert r.status_code == 200
    assert len(r.json()["columns"]) == 10
    assert r.json()["rows"][0]["arrival_number"] == "1"
    r = c.get("/api/v1/documents/registers/incoming.xlsx")
    assert r.status_code == 200
    assert r.content[:2] == b"PK"
    r = c.get("/api/v1/documents/registers/followup.pdf")
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF-")
    r = c.get(f"/api/v1/stats/documents/?from=2000-01-01&to=2100-01-01&agency={skhdt.agency.code}")
    assert r.json()["received"] == {
        "electronic": 0,
        "paper": 1,
        "total": 1,
        "electronic_share": 0.0,
        "paper_share": 100.0,
    }


def test_api_refusals_change_nothing(stttt) -> None:
    before = Document.objects.count()
    r = client(stttt.clerk).post(
        "/api/v1/documents/incoming/",
        {"document_type": "cong-van", "subject": "x", "issuer_name": "y", "scan": scan("a.pdf", b"GIF89a...")},
        format="multipart",
    )
    assert r.status_code == 400
    assert r.json()["code"] == "documents.file_type"
    assert set(r.json()["messages"]) == {"vi", "en"}
    r = client(stttt.specialist).post(
        "/api/v1/documents/incoming/",
        {"document_type": "cong-van", "subject": "x", "issuer_name": "y", "scan": scan()},
        format="multipart",
    )
    assert r.status_code == 403
    assert r.json()["code"] == "documents.role_required"
    assert Document.objects.count() == before
    assert APIClient().get("/api/v1/documents/outgoing/").status_code in (401, 403)


def test_outgoing_create_and_unknown_action(stttt, skhdt) -> None:
    c = client(stttt.specialist)
    r = c.post(
        "/api/v1/documents/outgoing/",
        {
            "document_type": "quyet-dinh",
            "subject": "Quyết định thử",
            "main_file": scan("qd.pdf"),
            "recipients": skhdt.agency.code,
        },
        format="multipart",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    assert r.json()["recipients"][0]["organ_id"] == skhdt.agency.code
    r = c.post(f"/api/v1/documents/{pk}/actions/", {"action": "approve"}, format="json")
    assert r.status_code == 403
    r = c.post(f"/api/v1/documents/{pk}/actions/", {"action": "fly"}, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "documents.unknown_action"
    r = client(stttt.clerk).post(f"/api/v1/documents/{pk}/actions/", {"action": "release"}, format="json")
    assert r.status_code == 400
    assert r.json()["code"] == "documents.not_signed"
