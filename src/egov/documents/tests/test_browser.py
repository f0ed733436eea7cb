"""A clerk registers an incoming paper document and a leader assigns it, in a real browser."""

from __future__ import annotations

import datetime

import pytest

from egov.documents import services
from egov.documents.models import Document, Status
from egov.documents.tests.conftest import pdf_upload

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]


def login(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/logout/")
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("Mat-khau-2026!")
    page.locator("#main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_clerk_registers_and_leader_assigns(live_server, page, skhdt) -> None:
    doc = services.document_receive_paper(
        actor=skhdt.clerk,
        agency=skhdt.agency,
        document_type="cong-van",
        subject="Về việc triển khai dịch vụ công trực tuyến",
        issuer_name="Bộ Nội vụ",
        number=12,
        notation="BNV-CCHC",
        issued_date=datetime.date(2026, 1, 5),
        scan=pdf_upload("scan.pdf"),
    )
    login(page, live_server, "skhdt.clerk")
    page.goto(live_server.url + "/van-ban/")
    page.get_by_role("link", name="Về việc triển khai dịch vụ công trực tuyến").click()
    page.get_by_label("Trình lãnh đạo").select_option(label="Phạm Minh Châu")
    page.get_by_role("button", name="Vào sổ").click()
    assert page.locator("#arrival-number").inner_text() == "1"
    assert page.locator("#doc-status").inner_text() == "Đã vào sổ (03)"

    login(page, live_server, "skhdt.leader")
    page.goto(live_server.url + f"/van-ban/{doc.pk}/")
    page.get_by_label("Đơn vị chủ trì").select_option(label="Phòng Công nghệ thông tin")
    page.get_by_label("Văn phòng").check()
    page.get_by_label("Thời hạn (ngày làm việc)").fill("5")
    page.get_by_label("Ý kiến chỉ đạo").fill("Phòng CNTT chủ trì, Văn phòng phối hợp")
    page.get_by_role("button", name="Phân công").click()
    assert page.locator("#doc-status").inner_text() == "Đã phân công (04)"
    doc.refresh_from_db()
    assert doc.status == Status.ASSIGNED
    assert doc.due_date is not None
    assert page.locator("#due-date").inner_text() == f"{doc.due_date:%d/%m/%Y}"
    assert Document.objects.get(pk=doc.pk).assignments.count() == 2
