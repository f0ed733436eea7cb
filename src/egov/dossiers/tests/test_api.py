"""HTTP API: submission, access scoping, actions, history, forms, public lookup privacy, stats."""

import base64
import subprocess

import pytest
from rest_framework.test import APIClient

from egov.dossiers.models import Dossier

from .conftest import NEWSLETTER, PDF, PNG, at, newsletter_eform


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _body(**extra):
    return {
        "procedure": NEWSLETTER,
        "channel": "online",
        "eform": newsletter_eform(),
        "files": [
            {
                "component": f"{NEWSLETTER}-TP01",
                "name": "to-khai.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            },
            {"component": f"{NEWSLETTER}-TP02", "name": "anh.png", "content_base64": base64.b64encode(PNG).decode()},
        ],
        **extra,
    }


def test_submit_online_and_double_click(world):
    client = _client(world["citizen"])
    first = client.post("/api/v1/dossiers/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "submitted"
    assert first.json()["dvcqg_status"] == 1
    again = client.post("/api/v1/dossiers/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert again.status_code == 200
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1


def test_counter_submission_returns_due_date(world):
    response = _client(world["motcua.ttpvhcc"]).post("/api/v1/dossiers/", _body(channel="counter"), format="json")
    assert response.status_code == 201
    assert response.json()["received_at"]
    assert response.json()["due_at"]


def test_bad_submission_is_a_clear_error(world):
    response = _client(world["citizen"]).post("/api/v1/dossiers/", _body(eform={"ho_ten": "A"}), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "dossiers.eform_invalid"
    assert body["messages"]["vi"]
    assert body["messages"]["en"]
    assert _client().post("/api/v1/dossiers/", _body(), format="json").status_code in (401, 403)
    assert Dossier.objects.count() == 0


def test_detail_is_scoped(world, submit):
    d = submit()
    url = f"/api/v1/dossiers/{d.code}/"
    assert _client(world["citizen"]).get(url).status_code == 200
    assert _client(world["motcua.ttpvhcc"]).get(url).status_code == 200
    assert _client(world["chuyenvien.stttt"]).get(url).status_code == 200
    for outsider in ("other_citizen", "motcua.donghung", "chuyenvien.skhdt"):
        assert _client(world[outsider]).get(url).status_code == 404
    assert _client(world["other_citizen"]).get(f"{url}history/").status_code == 404
    own = _client(world["other_citizen"]).get("/api/v1/dossiers/").json()
    assert own["count"] == 0


def test_actions_history_and_forms(world, submit):
    d = submit()
    officer = _client(world["motcua.ttpvhcc"])
    response = officer.post(f"/api/v1/dossiers/{d.code}/actions/", {"action": "receive"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "transferred"
    refused = officer.post(f"/api/v1/dossiers/{d.code}/actions/", {"action": "approve"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "dossiers.transition_not_allowed"
    leader = _client(world["lanhdao.stttt"])
    queue = leader.get("/api/v1/dossiers/?queue=to_assign").json()
    assert [r["code"] for r in queue["results"]] == [d.code]
    assigned = leader.post(f"/api/v1/dossiers/{d.code}/actions/",
                           {"action": "assign", "assignee": "chuyenvien.stttt"}, format="json")  # fmt: skip
    assert assigned.json()["status"] == "assigned"
    history = _client(world["citizen"]).get(f"/api/v1/dossiers/{d.code}/history/").json()
    assert [e["action"] for e in history] == ["submit", "receive", "transfer", "assign"]
    pdf = _client(world["citizen"]).get(f"/api/v1/dossiers/{d.code}/forms/receipt.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["X-Signed"] == "false"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert d.code in text
    assert "Nguyễn Văn A" in text
    assert "Cấp giấy phép xuất bản bản tin" in text
    assert "Mẫu số 01" in text
    assert _client(world["citizen"]).get(f"/api/v1/dossiers/{d.code}/forms/apology.pdf").status_code == 404
    # the control slip (form 05) names the officers: the staff print it, the applicant cannot
    assert _client(world["citizen"]).get(f"/api/v1/dossiers/{d.code}/forms/control.pdf").status_code == 404
    control = _client(world["lanhdao.stttt"]).get(f"/api/v1/dossiers/{d.code}/forms/control.pdf")
    assert control.status_code == 200
    assert control["Content-Type"] == "application/pdf"
    # the applicant's own files come back as attachments, byte for byte
    item = d.files.order_by("id").first()
    download = _client(world["citizen"]).get(f"/api/v1/dossiers/{d.code}/files/{item.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == item.content.open("rb").read()
    assert _client(world["other_citizen"]).get(f"/api/v1/dossiers/{d.code}/files/{item.pk}/").status_code == 404


@pytest.mark.parametrize("prefix", ["/api/v1/dossiers/lookup/", "/api/v1/public/dossiers/"])
def test_public_lookup_shows_no_personal_data(world, submit, prefix):
    d = submit()
    response = _client().get(f"{prefix}{d.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1
    assert body["code"] == d.code
    flat = str(body)
    for secret in ("Nguyễn Văn A", "034090001234", "0912345678", "to-khai.pdf"):
        assert secret not in flat
    assert set(body) == {"code", "procedure", "status", "status_label", "current_step", "received_at", "due_at",
                         "finished_at"}  # fmt: skip
    assert _client().get(f"{prefix}000.01.01.H54-250303-9999/").status_code == 404
    page = _client().get(f"/mot-cua/tra-cuu/?ma={d.code}")
    assert page.status_code == 200
    assert "Nguyễn Văn A" not in page.content.decode()


def test_statistics_api_is_for_staff(world):
    assert _client(world["citizen"]).get("/api/v1/stats/dossiers/?from=2025-01-01&to=2025-12-31").status_code == 403
    response = _client(world["lanhdao.stttt"]).get("/api/v1/stats/dossiers/?from=2025-01-01&to=2025-12-31")
    assert response.status_code == 200
    assert response.json()["received"] == 0
    bad = _client(world["lanhdao.stttt"]).get("/api/v1/stats/dossiers/?from=2025-12-31&to=2025-01-01")
    assert bad.status_code == 400


@pytest.mark.parametrize("form", ["receipt", "supplement", "refusal", "control"])
def test_forms_read_back(world, submit, act, form, travel):
    from egov.dossiers import printing

    d = submit(channel="counter")
    if form == "supplement":
        d = act(d, "transfer", "motcua.ttpvhcc")
        d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
        d = act(d, "request_supplement", "chuyenvien.stttt", reason="Bổ sung bản sao quyết định thành lập")
    if form == "refusal":
        for action, who, kw in [("transfer", "motcua.ttpvhcc", {}),
                                ("assign", "lanhdao.stttt", {"assignee": world["chuyenvien.stttt"]}),
                                ("submit_to_leader", "chuyenvien.stttt", {}),
                                ("reject", "lanhdao.stttt", {"reason": "Nội dung bản tin không phù hợp"})]:  # fmt: skip
            d = act(d, action, who, **kw)
    travel(at(2025, 3, 3, 9))
    sealed = printing.form_pdf(d, form)
    assert sealed.signed is False
    text = subprocess.run(["pdftotext", "-", "-"], input=sealed.data, capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    expected = {"receipt": "Mẫu số 01", "supplement": "Bổ sung bản sao quyết định thành lập",
                "refusal": "Nội dung bản tin không phù hợp", "control": "PHIẾU KIỂM SOÁT"}[form]  # fmt: skip
    assert expected in text
    assert d.code in text
    info = subprocess.run(["pdfinfo", "-"], input=sealed.data, capture_output=True, check=True).stdout.decode()
    assert "419.528 x 595.276" in info  # A5 portrait
