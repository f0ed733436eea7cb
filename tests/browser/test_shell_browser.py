"""The web shell in a real browser: Vietnamese first, keyboard skip link, language switch, login."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_skip_link_language_switch_and_staff_login(live_server, page, settings):
    get_user_model().objects.create_user(
        username="vanthu.thu", password="Mat-khau-2026!", full_name="Trần Thị Thư", kind="staff"
    )
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Chính quyền điện tử tỉnh Thái Bình"

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.bounding_box()["x"] >= 0  # visible when focused

    page.get_by_role("button", name="EN").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "e-Government of Thái Bình province"
    page.get_by_role("button", name="VI").click()
    page.wait_for_selector("html[lang=vi]")

    page.get_by_role("button", name="Đăng nhập").first.click()
    page.get_by_label("Tên đăng nhập").fill("vanthu.thu")
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026!")
    page.locator("#main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/workspace/")
    assert "Xin chào, Trần Thị Thư." in page.content()
