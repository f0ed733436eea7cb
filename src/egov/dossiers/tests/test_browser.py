"""In a real browser: a one-stop officer receives a walk-in dossier at the counter, and the
dossier walks through the back office (/mot-cua/) from reception to the returned result, each
step clicked by the demo user whose role takes it; the public lookup shows its status and
nothing personal."""

from __future__ import annotations

import pytest
from django.utils import translation

from egov.dossiers.models import Dossier, DossierEvent

from .conftest import PASSWORD, PRESS, seed_world

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.browser]

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
APPLICANT = ("Đoàn Thị Mến", "034190112233", "0912000111")


def login(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("#main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def receive_at_counter(page, live_server, tmp_path) -> Dossier:
    """The officer of the provincial centre files a walk-in dossier through the counter form."""
    name, national_id, phone = APPLICANT
    scan = tmp_path / "don-de-nghi.pdf"
    scan.write_bytes(PDF_BYTES)
    other = tmp_path / "giay-to.pdf"
    other.write_bytes(PDF_BYTES)
    login(page, live_server, "motcua.ttpvhcc")
    page.goto(live_server.url + f"/mot-cua/tiep-nhan/?procedure={PRESS}")
    page.locator("select[name=channel]").select_option("counter")
    page.locator("input[name=applicant_name]").fill(name)
    page.locator("input[name=applicant_national_id]").fill(national_id)
    page.locator("input[name=applicant_phone]").fill(phone)
    page.locator("input[name=f_ho_ten]").fill(name)
    page.locator("input[name=f_so_dinh_danh]").fill(national_id)
    page.locator("input[name=f_dien_thoai]").fill(phone)
    page.locator("input[name=f_noi_dung_de_nghi]").fill("Họp báo giới thiệu lễ hội làng")
    page.locator(f"input[name='file_{PRESS}-TP01']").set_input_files(str(scan))
    page.locator(f"input[name='file_{PRESS}-TP02']").set_input_files(str(other))
    page.locator("#main").get_by_role("button", name="Tiếp nhận hồ sơ").click()
    page.wait_for_url(lambda url: "/tiep-nhan/" not in url)
    return Dossier.objects.get()


def click_action(page, live_server, code: str, action: str, *, assignee: str = "") -> None:
    """On the dossier page, take `action` with its button (choosing the specialist first)."""
    page.goto(live_server.url + f"/mot-cua/ho-so/{code}/")
    form = page.locator(f"form.action-form:has(button[data-action='{action}'])")
    if assignee:
        form.locator("select[name=assignee]").select_option(assignee)
    with page.expect_navigation():
        form.locator(f"button[data-action='{action}']").click()
    assert page.url.endswith(f"/mot-cua/ho-so/{code}/")


def assert_public_lookup_shows(page, live_server, code: str, *status_words: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + f"/mot-cua/tra-cuu/?ma={code}")
    result = page.locator("#lookup-result").inner_text()
    assert code in result
    assert any(words in result for words in status_words), result
    html = page.content()
    for private in (*APPLICANT, "don-de-nghi.pdf"):
        assert private not in html


def action_names(action: str) -> set[str]:
    """How the history names an action: its label in Vietnamese (never the raw code)."""
    from egov.dossiers.selectors import event_label

    with translation.override("vi"):
        label = event_label(action)
    assert label != action, f"no Vietnamese label for {action}"
    return {label}


def test_officer_receives_walk_in_dossier_and_public_lookup(live_server, page, tmp_path) -> None:
    seed_world()
    dossier = receive_at_counter(page, live_server, tmp_path)
    assert dossier.status == "received"
    assert dossier.channel_kind == "counter"
    assert dossier.applicant_name == "Đoàn Thị Mến"
    assert dossier.code in page.content()

    page.goto(live_server.url + "/mot-cua/hang-doi/to_transfer/")
    assert page.get_by_text(dossier.code).count() >= 1

    assert_public_lookup_shows(page, live_server, dossier.code, "Đã tiếp nhận", "Tiếp nhận")


# (user, action, assignee, state after) — the whole walk of issue #4, one role at a time
WALK = [
    ("motcua.ttpvhcc", "transfer", "", "transferred"),
    ("lanhdao.stttt", "assign", "chuyenvien.stttt", "assigned"),
    ("chuyenvien.stttt", "start_appraisal", "", "in_appraisal"),
    ("chuyenvien.stttt", "submit_to_leader", "", "submitted_to_leader"),
    ("lanhdao.stttt", "approve", "", "approved"),
    ("vanthu.stttt", "issue_result", "", "result_issued"),
    ("motcua.ttpvhcc", "return_result", "", "returned"),
]


def test_dossier_walks_from_counter_reception_to_returned_result(live_server, page, tmp_path) -> None:
    seed_world()
    dossier = receive_at_counter(page, live_server, tmp_path)
    code = dossier.code
    current = "motcua.ttpvhcc"
    for username, action, assignee, state in WALK:
        if username != current:
            login(page, live_server, username)
            current = username
        click_action(page, live_server, code, action, assignee=assignee)
        dossier.refresh_from_db()
        assert dossier.status == state, (action, page.locator("#main [role=status]").all_inner_texts())
        if action == "assign":
            assert dossier.assignee.username == "chuyenvien.stttt"

    dossier.refresh_from_db()
    assert dossier.returned_at is not None
    assert dossier.finished_at is not None
    assert dossier.files.filter(kind="result").count() == 1  # the result PDF rendered when issued
    actions = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id").values_list("action", flat=True))
    assert actions == ["submit", "receive", *[action for _user, action, _assignee, _state in WALK]]
    # the officer's dossier page: the final status and one history line per step
    assert page.locator("#dossier-status").inner_text() == "Đã trả kết quả"
    history = page.locator("#history li")
    assert history.count() == len(actions)
    lines = history.all_inner_texts()
    for line, action in zip(lines, actions, strict=True):
        assert any(name in line for name in action_names(action)), (line, action)
    assert "Lê Thị Dung" in " ".join(lines)  # the specialist who examined it
    assert "Trần Thị Bình" in " ".join(lines)  # the clerk who issued the result

    assert_public_lookup_shows(page, live_server, code, "Đã trả kết quả")
