"""A one-stop officer receives a walk-in dossier at the counter, in a real browser; the public
lookup shows its status and nothing personal."""

from __future__ import annotations

import pytest

from egov.dossiers.models import Dossier

from .conftest import PASSWORD, PRESS, seed_world

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("#main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_officer_receives_walk_in_dossier_and_public_lookup(live_server, page, tmp_path) -> None:
    seed_world()
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(PDF_BYTES)
    other = tmp_path / "giay-to.pdf"
    other.write_bytes(PDF_BYTES)

    login(page, live_server, "motcua.ttpvhcc")
    page.goto(live_server.url + f"/mot-cua/tiep-nhan/?procedure={PRESS}")
    page.locator("select[name=channel]").select_option("counter")
    page.locator("input[name=applicant_name]").fill("Đoàn Thị Mến")
    page.locator("input[name=applicant_national_id]").fill("034190112233")
    page.locator("input[name=applicant_phone]").fill("0912000111")
    page.locator("input[name=f_ho_ten]").fill("Đoàn Thị Mến")
    page.locator("input[name=f_so_dinh_danh]").fill("034190112233")
    page.locator("input[name=f_dien_thoai]").fill("0912000111")
    page.locator("input[name=f_noi_dung_de_nghi]").fill("Họp báo giới thiệu lễ hội làng")
    page.locator(f"input[name='file_{PRESS}-TP01']").set_input_files(str(scan))
    page.locator(f"input[name='file_{PRESS}-TP02']").set_input_files(str(other))
    page.locator("#main").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(lambda url: "/tiep-nhan/" not in url)

    dossier = Dossier.objects.get()
    assert dossier.status == "received"
    assert dossier.channel_kind == "counter"
    assert dossier.applicant_name == "Đoàn Thị Mến"
    assert dossier.code in page.content()

    page.goto(live_server.url + "/mot-cua/hang-doi/to_transfer/")
    assert page.get_by_text(dossier.code).count() >= 1

    # the public lookup, logged out
    page.context.clear_cookies()
    page.goto(live_server.url + f"/mot-cua/tra-cuu/?ma={dossier.code}")
    result = page.locator("#lookup-result")
    assert dossier.code in result.inner_text()
    assert "Đã tiếp nhận" in result.inner_text() or "Tiếp nhận" in result.inner_text()
    html = page.content()
    for private in ("Đoàn Thị Mến", "034190112233", "0912000111", "don-de-nghi.pdf"):
        assert private not in html
