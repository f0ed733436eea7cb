"""Back-office pages: queues, dossier page with actions, counter reception form."""

from django.test import Client

from egov.dossiers.models import Dossier

from .conftest import PDF, PNG, PRESS


def _login(world, username):
    client = Client()
    client.force_login(world[username])
    return client


def test_counter_reception_page_then_return(world, submit):
    officer = _login(world, "motcua.ttpvhcc")
    assert officer.get("/mot-cua/").status_code == 200
    form = officer.get(f"/mot-cua/tiep-nhan/?procedure={PRESS}")
    assert form.status_code == 200
    assert "noi_dung_de_nghi" in form.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = officer.post("/mot-cua/tiep-nhan/", {
        "procedure": PRESS, "channel": "counter", "applicant_name": "Đỗ Văn H",
        "f_ho_ten": "Đỗ Văn H", "f_so_dinh_danh": "034090007777", "f_dien_thoai": "0977777777",
        "f_noi_dung_de_nghi": "Họp báo", f"file_{PRESS}-TP01": SimpleUploadedFile("a.pdf", PDF),
        f"file_{PRESS}-TP02": SimpleUploadedFile("b.png", PNG),
    })  # fmt: skip
    assert response.status_code == 302
    d = Dossier.objects.get()
    assert d.status == "received"
    assert d.applicant_name == "Đỗ Văn H"
    page = officer.get(f"/mot-cua/ho-so/{d.code}/")
    assert page.status_code == 200
    assert 'data-action="transfer"' in page.content.decode()
    officer.post(f"/mot-cua/ho-so/{d.code}/hanh-dong/", {"action": "transfer", "revision": d.revision})
    d.refresh_from_db()
    assert d.status == "transferred"
    leader = _login(world, "lanhdao.stttt")
    queue = leader.get("/mot-cua/hang-doi/to_assign/")
    assert d.code in queue.content.decode()
    leader.post("/mot-cua/phan-cong/", {"codes": [d.code], "assignee": "chuyenvien.stttt"})
    d.refresh_from_db()
    assert d.status == "assigned"
    assert d.assignee.username == "chuyenvien.stttt"


def test_counter_reception_error_is_shown(world):
    officer = _login(world, "motcua.ttpvhcc")
    response = officer.post("/mot-cua/tiep-nhan/", {"procedure": PRESS, "channel": "counter", "applicant_name": "X"})
    assert response.status_code == 400
    assert Dossier.objects.count() == 0


def test_pages_are_scoped(world, submit):
    d = submit()
    outsider = _login(world, "chuyenvien.skhdt")
    assert outsider.get(f"/mot-cua/ho-so/{d.code}/").status_code == 404
    citizen = Client()
    citizen.force_login(world["citizen"])
    assert citizen.get("/mot-cua/").status_code == 403
    assert Client().get("/mot-cua/").status_code == 302  # login required
    assert Client().get("/mot-cua/tra-cuu/").status_code == 200
