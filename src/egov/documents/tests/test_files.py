"""Files (hồ sơ công việc): create/add/close, the yearly file list (JSON, .xlsx) and the archive
export of a closed file (ZIP with Annex VI metadata, signed PDFs and a SHA-256 manifest)."""

from __future__ import annotations

import hashlib
import io
import json
import unicodedata
import zipfile

import pytest
from rest_framework.test import APIClient

from egov.audit.models import AuditRecord
from egov.documents import services
from egov.documents.models import CaseFile, Document
from egov.documents.tests.conftest import make_draft, pdf_upload, release_ready

pytestmark = pytest.mark.django_db


def client(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _closed_file(org, year: int = 2026) -> tuple[CaseFile, list[Document]]:
    signed = release_ready(
        org,
        attachments=[pdf_upload("phu-luc-1.pdf", ["Phu luc 1"]), pdf_upload("phu-luc-2.pdf", ["Phu luc 2"])],
        page_amount=3,
    )
    draft = make_draft(org, subject="Công văn về việc hướng dẫn số hóa hồ sơ", document_type="cong-van")
    row = services.case_file_create(
        actor=org.clerk, agency=org.agency, year=year, notation="01.CNTT", title="Hồ sơ chuyển đổi số năm 2026"
    )
    services.case_file_add(actor=org.clerk, case_file=row, document=signed)
    services.case_file_add(actor=org.clerk, case_file=row, document=draft)
    services.case_file_close(actor=org.leader, case_file=row)
    row.refresh_from_db()
    return row, [signed, draft]


def test_case_file_add_and_close_rules(stttt, skhdt, audit_count) -> None:
    row = services.case_file_create(actor=stttt.clerk, agency=stttt.agency, year=2026, notation="02.VP", title="Hồ sơ")
    doc = make_draft(stttt)
    other = make_draft(skhdt)
    late = make_draft(stttt)
    assert services.case_file_add(actor=stttt.clerk, case_file=row, document=doc).file_ordinal == 1
    before = audit_count()
    for bad in (other, doc):  # another agency's document; a document already in a file
        with pytest.raises(services.EgovError) as caught:
            services.case_file_add(actor=stttt.clerk, case_file=row, document=bad)
        assert caught.value.code == "documents.invalid"
    services.case_file_close(actor=stttt.clerk, case_file=row)
    with pytest.raises(services.EgovError) as caught:
        services.case_file_add(actor=stttt.clerk, case_file=row, document=late)
    assert caught.value.code == "documents.file_closed"
    assert audit_count() == before + 1  # only the close


def test_export_closed_file(stttt, certificates) -> None:
    row, (signed, _draft) = _closed_file(stttt)
    package = services.file_export(actor=stttt.specialist, file=row)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        assert names == [
            "metadata.json",
            "documents/001/main.pdf",
            "documents/001/attachment-01.pdf",
            "documents/001/attachment-02.pdf",
            "documents/002/main.pdf",
            "manifest-sha256.txt",
        ]
        raw = archive.read("metadata.json").decode("utf-8")
        assert unicodedata.normalize("NFC", raw) == raw
        meta = json.loads(raw)
        manifest = archive.read("manifest-sha256.txt").decode("utf-8").splitlines()
        contents = {name: archive.read(name) for name in names}
    info = meta["file"]
    assert info["FileCode"] == "000.00.11.H54.2026.01.CNTT"
    assert info["Title"] == "Hồ sơ chuyển đổi số năm 2026"
    assert info["DocTotal"] == 2
    assert info["FileCatalog"] == 2026
    assert info["Maintenance"] == "10 năm"
    docs = meta["documents"]
    assert [d["DocOrdinal"] for d in docs] == [1, 2]
    signed.refresh_from_db()
    assert docs[0]["NumberNotation"] == signed.number_notation
    assert docs[0]["NumberNotation"].startswith(f"{signed.number:02d}/")
    assert docs[0]["DocCode"] == signed.document_id
    assert signed.document_id
    assert docs[0]["Subject"] == signed.subject
    assert docs[0]["PageAmount"] == 3
    assert docs[1]["TypeName"] == "Công văn"
    # every PDF is the stored (signed) file, byte for byte
    for doc in docs:
        for entry in doc["Files"]:
            assert hashlib.sha256(contents[entry["path"]]).hexdigest() == entry["sha256"]
    stored = {f.sha256 for f in Document.objects.get(pk=signed.pk).files.filter(role__in=["main", "attachment"])}
    assert {e["sha256"] for e in docs[0]["Files"]} == stored
    assert docs[0]["Files"][0]["signatures"] >= 2  # personal signature + agency signature
    # the manifest lists every other entry with its SHA-256
    listed: dict[str, str] = {path: digest for digest, path in (line.split("  ", 1) for line in manifest)}
    assert set(listed) == set(names) - {"manifest-sha256.txt"}
    assert all(hashlib.sha256(contents[name]).hexdigest() == digest for name, digest in listed.items())
    record = AuditRecord.objects.filter(action="documents.case_file_export").get()
    assert record.after["documents"] == 2
    # stable: the same file exports to the same bytes
    assert services.file_export(actor=stttt.clerk, file=row) == package


def test_export_refused_for_open_file(stttt, skhdt, audit_count) -> None:
    row = services.case_file_create(actor=stttt.clerk, agency=stttt.agency, year=2026, notation="03", title="Mở")
    services.case_file_add(actor=stttt.clerk, case_file=row, document=make_draft(stttt))
    before = audit_count()
    with pytest.raises(services.EgovError) as caught:
        services.file_export(actor=stttt.clerk, file=row)
    assert caught.value.code == "documents.file_open"
    with pytest.raises(services.EgovError) as caught:
        services.file_export(actor=skhdt.clerk, file=row)
    assert caught.value.code == "documents.role_required"
    assert audit_count() == before
    r = client(stttt.clerk).get(f"/api/v1/documents/file-lists/{row.pk}/export/")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "documents.file_open"
    assert set(body["messages"]) == {"vi", "en"}
    assert "hồ sơ" in body["messages"]["vi"]
    row.refresh_from_db()
    assert row.closed_at is None
    assert audit_count() == before


def test_export_api_and_access(stttt, skhdt, certificates) -> None:
    row, _docs = _closed_file(stttt)
    url = f"/api/v1/documents/file-lists/{row.pk}/export/"
    r = client(stttt.clerk).get(url)
    assert r.status_code == 200
    assert r["Content-Type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(r.content)).namelist()[0] == "metadata.json"
    before = AuditRecord.objects.count()
    assert client().get(url).status_code == 401
    r = client(skhdt.clerk).get(url)
    assert r.status_code == 403
    assert r.json()["code"] == "documents.role_required"
    assert client(stttt.clerk).get("/api/v1/documents/file-lists/999999/export/").status_code == 404
    assert AuditRecord.objects.count() == before


def test_file_list_api(stttt, skhdt) -> None:
    for notation, title in (("02.VP", "Hồ sơ văn thư"), ("01.CNTT", "Hồ sơ chuyển đổi số")):
        services.case_file_create(actor=stttt.clerk, agency=stttt.agency, year=2026, notation=notation, title=title)
    services.case_file_create(actor=stttt.clerk, agency=stttt.agency, year=2025, notation="09", title="Năm trước")
    services.case_file_create(actor=skhdt.clerk, agency=skhdt.agency, year=2026, notation="01", title="Sở khác")
    url = "/api/v1/documents/file-lists/"
    r = client(stttt.specialist).get(url, {"year": 2026, "agency": stttt.agency.code})
    assert r.status_code == 200
    body = r.json()
    assert [row["notation"] for row in body["rows"]] == ["01.CNTT", "02.VP"]
    assert body["rows"][0]["code"] == "000.00.11.H54.2026.01.CNTT"
    assert body["rows"][0]["status"] == "Đang mở"
    assert body["rows"][0]["doc_total"] == 0
    assert [c["key"] for c in body["columns"]][:2] == ["notation", "title"]
    r = client(stttt.clerk).get(url, {"year": 2026, "agency": stttt.agency.code, "format": "xlsx"})
    assert r.status_code == 200
    assert "spreadsheetml" in r["Content-Type"]
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet["A2"].value == "DANH MỤC HỒ SƠ NĂM 2026"
    assert [sheet.cell(row=i, column=2).value for i in (4, 5)] == ["Hồ sơ chuyển đổi số", "Hồ sơ văn thư"]
    assert client().get(url, {"year": 2026}).status_code == 401
    r = client(skhdt.clerk).get(url, {"year": 2026, "agency": stttt.agency.code})
    assert r.status_code == 403
    assert (
        client(skhdt.clerk).get(url, {"year": 2026, "agency": stttt.agency.code, "format": "xlsx"}).status_code == 403
    )
    assert client(stttt.clerk).get(url, {"agency": "nope"}).status_code == 404
