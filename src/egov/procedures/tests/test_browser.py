"""The public catalogue pages in a real browser (Debian's Chromium through Playwright, set up in
the root conftest.py)."""

import pytest

pytest.importorskip("playwright")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_then_open_then_print_view(live_server, page):
    from egov.orgs.demo import seed_thai_binh
    from egov.procedures.demo import seed_procedures

    seed_thai_binh(actor=None)
    seed_procedures(actor=None)
    page.goto(f"{live_server.url}/thu-tuc/")
    page.fill("#q", "dang ky kinh doanh")
    page.click("form.procedure-search button[type=submit]")
    page.wait_for_selector("#result-count")
    link = page.get_by_role("link", name="Đăng ký thành lập hộ kinh doanh")
    assert link.is_visible()
    link.click()
    page.wait_for_selector("h1")
    assert page.inner_text("h1") == "Đăng ký thành lập hộ kinh doanh"
    assert "100.000" in page.inner_text("article")
    page.emulate_media(media="print")
    assert not page.is_visible(".site-header")
    with page.expect_download() as download:
        page.get_by_role("link", name="Phụ lục III-1, Thông tư 02/2023/TT-BKHĐT").click()
    assert download.value.suggested_filename.endswith(".txt")
