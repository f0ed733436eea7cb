"""In a real browser: the citizen logs in, finds the dossier in "Hồ sơ của tôi", downloads the
sealed result (exactly the stored bytes) and checks its seal on the public verification page."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from egov.accounts import services as accounts
from egov.dossiers import services as dossiers
from egov.dossiers.models import DossierFile
from egov.dossiers.tests.conftest import PASSWORD, files_for, newsletter_eform, seed_world
from egov.dossiers.tests.test_browser import login
from egov.signatures import demo as signatures_demo

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]


def issued_online_dossier(users: dict) -> str:
    """An online dossier of the citizen taken through the back office to the issued result.

    Run in a worker thread: sealing uses asyncio, and Playwright's sync API keeps an event loop
    running in the test's own thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_issue, users).result()


def _issue(users: dict) -> str:
    d, _created = dossiers.dossier_submit(
        actor=users["citizen"], procedure="1.004227", channel="online", eform=newsletter_eform(), files=files_for()
    )
    steps = [
        ("motcua.ttpvhcc", "receive", {}),
        ("lanhdao.stttt", "assign", {"assignee": users["chuyenvien.stttt"]}),
        ("chuyenvien.stttt", "start_appraisal", {}),
        ("chuyenvien.stttt", "submit_to_leader", {}),
        ("lanhdao.stttt", "approve", {}),
        ("vanthu.stttt", "issue_result", {}),
    ]
    try:
        for username, action, kwargs in steps:
            dossiers.dossier_act(actor=users[username], code=d.code, action=action, **kwargs)
    finally:
        connection.close()
    return d.code


def test_citizen_downloads_the_sealed_result_and_verifies_it(live_server, page, centre_pki) -> None:
    users = seed_world()
    accounts.user_set_password(actor=None, user=users["citizen"], password=PASSWORD)
    signatures_demo.seed_demo_pki(directory=centre_pki, with_token=False)
    code = issued_online_dossier(users)
    stored = DossierFile.objects.get(dossier__code=code, kind="result")
    assert stored.signed is True

    login(page, live_server, "nguyenvana")
    page.goto(live_server.url + "/")
    page.locator("#main").get_by_role("button", name="Hồ sơ của tôi").click()
    page.wait_for_url(lambda url: url.endswith("/ho-so-cua-toi/"))
    row = page.locator(f"#my-dossiers tr[data-code='{code}']")
    assert "Đã có kết quả" in row.inner_text()
    assert "Sẵn sàng tải về" in row.inner_text()
    row.get_by_role("link", name=code).click()
    page.wait_for_url(lambda url: url.endswith(f"/ho-so-cua-toi/{code}/"))
    assert "được ký số bằng con dấu của Sở Thông tin và Truyền thông" in page.locator("#result").inner_text()
    assert "Sở Thông tin và Truyền thông đã ban hành kết quả." in page.locator("#timeline").inner_text()

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải kết quả về").click()
    download = info.value
    body = Path(download.path()).read_bytes()
    assert download.suggested_filename == stored.name
    assert body == stored.content.open("rb").read()
    assert hashlib.sha256(body).hexdigest() == stored.sha256 == page.locator("#result-sha256").inner_text()

    # anyone can check it: the verification page, logged out
    saved = Path(download.path())
    page.locator("#verify-link").click()
    page.wait_for_url(lambda url: url.endswith("/xac-thuc/"))
    page.context.clear_cookies()
    page.goto(live_server.url + "/xac-thuc/")
    page.locator("input[name=file]").set_input_files(str(saved))
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    verdict = page.locator("#main").inner_text()
    assert "PASSED" in verdict
    assert "Sở Thông tin và Truyền thông" in verdict
