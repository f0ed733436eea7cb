"""The citizen's own dossiers ("Hồ sơ của tôi"): privacy, downloads of the stored (sealed)
bytes, the slips, withdrawal and supplement through the page, and bad input refused with a
Vietnamese and English message while nothing changes."""

import base64
import datetime
import hashlib
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.audit.models import AuditRecord
from egov.dossiers.models import DossierEvent, DossierFile
from egov.dossiers.tests.conftest import PDF, PNG, TZ
from egov.signatures import demo as signatures_demo
from egov.signatures.validation import validate_pdf

BASE = "/ho-so-cua-toi/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(response) -> str:
    return response.content.decode()


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def received_online(submit, act):
    d = submit()
    return act(d, "receive", "motcua.ttpvhcc")  # online dossiers then go to the agency at once


def issued(submit, act, world):
    d = received_online(submit, act)
    act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    act(d, "start_appraisal", "chuyenvien.stttt")
    act(d, "submit_to_leader", "chuyenvien.stttt")
    act(d, "approve", "lanhdao.stttt")
    return act(d, "issue_result", "vanthu.stttt")


# --- list and privacy --------------------------------------------------------------------------


def test_list_shows_only_own_dossiers_in_plain_vietnamese(world, submit):
    mine = submit()
    theirs = submit(actor=world["other_citizen"])
    page = client_for(world["citizen"]).get(BASE)
    assert page.status_code == 200
    text = html(page)
    assert mine.code in text
    assert theirs.code not in text
    assert "Hồ sơ của tôi" in text
    assert "Đã nộp trực tuyến, chờ tiếp nhận" in text  # the state in plain words
    assert "trạng thái quốc gia 1: Mới đăng ký" in text  # DVCQG status 1
    assert "Chờ Bộ phận Một cửa tiếp nhận" in text
    assert "Cấp giấy phép xuất bản bản tin" in text


def test_filter_by_status_group(world, submit, act):
    running = submit(idempotency_key="a")
    withdrawn = submit(idempotency_key="b")
    act(withdrawn, "withdraw", "citizen", reason="Nộp nhầm thủ tục")
    client = client_for(world["citizen"])
    closed = html(client.get(BASE + "?nhom=da-ket-thuc"))
    assert withdrawn.code in closed
    assert running.code not in closed
    in_progress = html(client.get(BASE + "?nhom=dang-giai-quyet"))
    assert running.code in in_progress
    assert withdrawn.code not in in_progress
    assert "Bạn không có hồ sơ nào trong nhóm này." in html(client.get(BASE + "?nhom=co-ket-qua"))
    bad = client.get(BASE + "?nhom=khong-co")
    assert bad.status_code == 400
    assert "Nhóm trạng thái “khong-co” không tồn tại." in html(bad)
    assert "Unknown status group “khong-co”." in html(bad)
    assert running.code in html(bad)
    assert withdrawn.code in html(bad)


def test_another_citizen_staff_and_anonymous_cannot_use_the_pages(world, submit):
    d = submit()
    item = d.files.first()
    theirs = submit(actor=world["other_citizen"])
    their_file = theirs.files.first()
    other = client_for(world["other_citizen"])
    for url in (f"{BASE}{d.code}/", f"{BASE}{d.code}/tep/{item.pk}/", f"{BASE}{d.code}/phieu/tiep-nhan.pdf"):
        assert other.get(url).status_code == 404, url
    mine = client_for(world["citizen"])
    assert mine.get(f"{BASE}{d.code}/tep/{their_file.pk}/").status_code == 404  # another dossier's file
    assert mine.get(f"{BASE}{theirs.code}/tep/{their_file.pk}/").status_code == 404
    assert mine.get(f"{BASE}KHONG-CO/").status_code == 404
    response = other.post(f"{BASE}{d.code}/rut-ho-so/", {"reason": "x"})
    assert response.status_code == 404
    d.refresh_from_db()
    assert d.status == "submitted"
    # staff of the receiving centre see the dossier in the back office, never through these pages
    staff = client_for(world["motcua.ttpvhcc"])
    for url in (BASE, f"{BASE}{d.code}/", f"{BASE}{d.code}/tep/{item.pk}/", f"{BASE}{d.code}/phieu/tiep-nhan.pdf"):
        response = staff.get(url)
        assert (response.status_code, response["Location"]) == (302, "/mot-cua/"), url
    anonymous = Client().get(f"{BASE}{d.code}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert Client().get(f"{BASE}{d.code}/tep/{item.pk}/").status_code == 302


def test_submitted_file_download_is_the_stored_bytes(world, submit):
    d = submit()
    item = d.files.get(name="giay-to.png")
    response = client_for(world["citizen"]).get(f"{BASE}{d.code}/tep/{item.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="giay-to.png"' in response["Content-Disposition"]
    assert downloaded(response) == PNG


# --- the sealed result --------------------------------------------------------------------------


def test_result_download_is_the_stored_sealed_pdf_and_verifies(world, submit, act, centre_pki):
    signatures_demo.seed_demo_pki(directory=centre_pki, with_token=False)
    d = issued(submit, act, world)
    result = DossierFile.objects.get(dossier=d, kind="result")
    assert result.signed is True
    stored = result.content.open("rb").read()
    client = client_for(world["citizen"])

    listing = html(client.get(BASE + "?nhom=co-ket-qua"))
    assert d.code in listing
    assert "Sẵn sàng tải về" in listing
    page = html(client.get(f"{BASE}{d.code}/"))
    assert "Tải kết quả về" in page
    assert "được ký số bằng con dấu của Sở Thông tin và Truyền thông" in page
    assert 'href="/xac-thuc/"' in page
    assert result.sha256 in page

    response = client.get(f"{BASE}{d.code}/tep/{result.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Signed"] == "true"
    body = downloaded(response)
    assert body == stored
    assert hashlib.sha256(body).hexdigest() == result.sha256
    assert response["Repr-Digest"] == "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    report = validate_pdf(body)
    assert report.valid, report.as_dict()
    [signature] = report.signatures
    assert signature.indication == "PASSED"
    assert "Sở Thông tin và Truyền thông" in signature.organisation + signature.signer


def test_unsigned_result_says_so(world, submit, act):
    d = issued(submit, act, world)  # no seal certificate in this test: the result is stored unsigned
    assert DossierFile.objects.get(dossier=d, kind="result").signed is False
    page = html(client_for(world["citizen"]).get(f"{BASE}{d.code}/"))
    assert 'id="result-unsigned"' in page
    assert 'id="result-sealed"' not in page


# --- slips and timeline -------------------------------------------------------------------------


def test_receipt_slip_is_an_attachment_and_the_control_slip_is_not_offered(world, submit, act, tmp_path):
    d = received_online(submit, act)
    client = client_for(world["citizen"])
    page = html(client.get(f"{BASE}{d.code}/"))
    assert f"{BASE}{d.code}/phieu/tiep-nhan.pdf" in page
    assert "yeu-cau-bo-sung.pdf" not in page
    response = client.get(f"{BASE}{d.code}/phieu/tiep-nhan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{d.code}-tiep-nhan.pdf"'
    text = pdf_text(response.content, tmp_path)
    assert "Mẫu số 01" in text
    assert d.code in text
    for slug in ("kiem-soat", "control", "yeu-cau-bo-sung", "tu-choi", "xin-loi"):
        assert client.get(f"{BASE}{d.code}/phieu/{slug}.pdf").status_code == 404, slug


def test_timeline_tells_the_applicant_what_happened_without_internal_notes(world, submit, act):
    d = received_online(submit, act)
    act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    act(d, "submit_to_leader", "chuyenvien.stttt")
    act(d, "send_back", "lanhdao.stttt", reason="Ghi chú nội bộ: xem lại mục 3")
    from egov.dossiers import services

    d.refresh_from_db()
    new_due = d.due_at + datetime.timedelta(days=7)
    services.dossier_apologise(
        actor=world["lanhdao.stttt"], code=d.code, reason="Cần xác minh thêm", new_due_at=new_due
    )
    page = html(client_for(world["citizen"]).get(f"{BASE}{d.code}/"))
    assert "Bạn đã nộp hồ sơ trực tuyến." in page
    assert "Trung tâm Phục vụ hành chính công tỉnh Thái Bình đã tiếp nhận hồ sơ." in page
    assert "Sở Thông tin và Truyền thông đã phân công cán bộ xử lý hồ sơ." in page
    assert "Ghi chú nội bộ" not in page  # the leader's note to the specialist
    for staff_name in ("Lê Thị Dung", "Phạm Minh Châu", "Lương Thị Quyên"):
        assert staff_name not in page
    assert "Cần xác minh thêm" in page  # the apology's reason is for the applicant
    assert new_due.astimezone(TZ).strftime("%H:%M %d/%m/%Y") in page
    assert f"{BASE}{d.code}/phieu/xin-loi.pdf" in page


# --- withdraw -----------------------------------------------------------------------------------


def test_withdraw_through_the_page(world, submit):
    d = submit()
    client = client_for(world["citizen"])
    page = html(client.get(f"{BASE}{d.code}/"))
    assert 'id="withdraw-form"' in page
    before = AuditRecord.objects.count()
    response = client.post(f"{BASE}{d.code}/rut-ho-so/", {"reason": "Nộp nhầm thủ tục", "revision": d.revision},
                           follow=True)  # fmt: skip
    d.refresh_from_db()
    assert d.status == "withdrawn"
    assert d.events.get(action="withdraw").reason == "Nộp nhầm thủ tục"
    assert AuditRecord.objects.count() == before + 1
    text = html(response)
    assert "Bạn đã rút hồ sơ." in text
    assert 'id="withdraw-form"' not in text  # nothing more to withdraw


def test_withdraw_without_reason_or_not_allowed_changes_nothing(world, submit, act):
    d = submit()
    client = client_for(world["citizen"])
    before = (AuditRecord.objects.count(), DossierEvent.objects.count())
    response = client.post(f"{BASE}{d.code}/rut-ho-so/", {"reason": "  "}, follow=True)
    assert "Hãy nêu lý do." in html(response)
    assert "Give the reason." in html(response)
    d.refresh_from_db()
    assert d.status == "submitted"
    assert (AuditRecord.objects.count(), DossierEvent.objects.count()) == before

    stale = client.post(f"{BASE}{d.code}/rut-ho-so/", {"reason": "x", "revision": d.revision + 5}, follow=True)
    assert "reload it and try again" in html(stale)
    d.refresh_from_db()
    assert d.status == "submitted"

    done = issued(submit, act, world)
    before = (AuditRecord.objects.count(), DossierEvent.objects.count())
    response = client.post(f"{BASE}{done.code}/rut-ho-so/", {"reason": "Không cần nữa"}, follow=True)
    text = html(response)
    assert "Không được thực hiện “Rút hồ sơ” khi hồ sơ đang ở trạng thái “Đã có kết quả”." in text
    assert "The action “Withdraw” is not allowed while the dossier is “Result issued”." in text
    done.refresh_from_db()
    assert done.status == "result_issued"
    assert (AuditRecord.objects.count(), DossierEvent.objects.count()) == before
    assert client.get(f"{BASE}{d.code}/rut-ho-so/").status_code == 405


# --- supplement ---------------------------------------------------------------------------------


def _supplement_requested(submit, act):
    d = submit()
    return act(d, "request_supplement", "motcua.ttpvhcc", reason="Thiếu bản sao giấy tờ pháp lý")


def test_supplement_through_the_page(world, submit, act):
    d = _supplement_requested(submit, act)
    client = client_for(world["citizen"])
    page = html(client.get(f"{BASE}{d.code}/"))
    assert 'id="supplement-form"' in page
    assert "Thiếu bản sao giấy tờ pháp lý" in page  # the reason is addressed to the applicant
    assert f"{BASE}{d.code}/phieu/yeu-cau-bo-sung.pdf" in page
    files_before = d.files.count()
    response = client.post(
        f"{BASE}{d.code}/bo-sung/",
        {"file_1.004227-TP02": SimpleUploadedFile("ban-sao.pdf", PDF), "revision": d.revision},
        follow=True,
    )
    d.refresh_from_db()
    assert d.status == "submitted"  # back where it was when the supplement was asked
    assert d.files.count() == files_before + 1
    assert d.files.filter(name="ban-sao.pdf", component__code="1.004227-TP02").exists()
    assert "Bạn đã bổ sung hồ sơ." in html(response)


@pytest.mark.parametrize(
    ("_case", "upload", "vi", "en"),
    [
        ("wrong type", SimpleUploadedFile("anh.pdf", PNG), "không phải tài liệu PDF, PNG hoặc JPEG", "is not a PDF"),
        ("dangerous name", SimpleUploadedFile("to-khai.exe.pdf", PDF), "không được chấp nhận", "is not allowed"),
        (
            "oversized",
            SimpleUploadedFile("lon.pdf", PDF + b"0" * (10 * 1024 * 1024)),
            "lớn hơn 10 MB",
            "larger than 10 MB",
        ),
        ("nothing attached", None, "Hãy đính kèm các giấy tờ còn thiếu.", "Attach the missing documents."),
    ],
)
def test_bad_supplement_changes_nothing(world, submit, act, _case, upload, vi, en):
    d = _supplement_requested(submit, act)
    before = (d.files.count(), AuditRecord.objects.count(), d.revision)
    data = {"revision": d.revision}
    if upload is not None:
        upload.seek(0)
        data["file_1.004227-TP02"] = upload
    response = client_for(world["citizen"]).post(f"{BASE}{d.code}/bo-sung/", data, follow=True)
    text = html(response)
    assert vi in text
    assert en in text
    d.refresh_from_db()
    assert d.status == "supplement_requested"
    assert (d.files.count(), AuditRecord.objects.count(), d.revision) == before


def test_supplement_when_none_was_asked_is_refused(world, submit):
    d = submit()
    client = client_for(world["citizen"])
    assert 'id="supplement-form"' not in html(client.get(f"{BASE}{d.code}/"))
    response = client.post(f"{BASE}{d.code}/bo-sung/", {"file_1.004227-TP02": SimpleUploadedFile("a.pdf", PDF)},
                           follow=True)  # fmt: skip
    assert "Không được thực hiện “Bổ sung hồ sơ”" in html(response)
    assert "The action “Supplement the dossier” is not allowed" in html(response)
    d.refresh_from_db()
    assert d.status == "submitted"
    assert d.files.count() == 2


def test_workspace_links_citizens_to_their_dossiers(world):
    page = html(client_for(world["citizen"]).get("/workspace/"))
    assert f'href="{BASE}"' in page
