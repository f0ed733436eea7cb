import datetime

import pytest
from rest_framework.test import APIClient

from egov.audit.models import AuditRecord
from egov.orgs import services
from egov.orgs.models import Agency, AgencyKind

from .conftest import D2018

pytestmark = pytest.mark.django_db

URL = "/api/v1/agencies/"


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def directory(ubnd, stttt):
    services.agency_create(
        actor=None,
        code="000.00.02.H54",
        name_vi="Sở Nội vụ",
        abbreviation="SNV",
        kind=AgencyKind.DEPARTMENT,
        parent=ubnd,
        valid_from=D2018,
    )
    services.agency_create(
        actor=None,
        code="000.00.30.H54",
        name_vi="Ban Dân vận Tỉnh ủy (Đảng)",
        kind=AgencyKind.OTHER,
        parent=ubnd,
        valid_from=D2018,
    )
    services.agency_create(
        actor=None,
        code="000.00.31.H54",
        name_vi="Trung tâm Đăng kiểm",
        kind=AgencyKind.PUBLIC_SERVICE_UNIT,
        parent=ubnd,
        valid_from=D2018,
        valid_to=datetime.date(2020, 12, 31),
    )
    return ubnd


@pytest.fixture
def system_admin(make_user, ubnd):
    user = make_user("quantri.tinh")
    services.membership_create(actor=None, user=user, agency=ubnd, roles=["system_admin"], valid_from=D2018)
    return user


def _codes(response):
    return [item["code"] for item in response.json()["results"]]


@pytest.mark.parametrize("query", ["thai binh", "Thái Bình", "THÁI BÌNH", "  thái   BINH "])
def test_search_ignores_diacritics_and_case(client, directory, query):
    response = client.get(URL, {"search": query})
    assert response.status_code == 200
    assert _codes(response) == ["000.00.00.H54"]


def test_search_dang_finds_dang_and_dang_ky(client, directory):
    assert _codes(client.get(URL, {"search": "dang", "include_closed": "true"})) == ["000.00.30.H54", "000.00.31.H54"]
    # Closed agencies are hidden unless asked for.
    assert _codes(client.get(URL, {"search": "dang"})) == ["000.00.30.H54"]
    assert _codes(client.get(URL, {"search": "dang", "in_force_on": "2019-01-01"})) == [
        "000.00.30.H54",
        "000.00.31.H54",
    ]


def test_list_shape_and_filters(client, directory):
    body = client.get(URL, {"search": "STTTT"}).json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "code": "000.00.11.H54",
        "code_d20": "H54.11",
        "name": "Sở Thông tin và Truyền thông",
        "name_en": "Department of Information and Communications",
        "short_name": "",
        "abbreviation": "STTTT",
        "parent_code": "000.00.00.H54",
        "kind": "department",
        "valid_from": "2018-01-01",
        "valid_to": None,
        "successor_code": None,
        "level1_inferred": True,
    }
    assert _codes(client.get(URL, {"kind": "department"})) == ["000.00.02.H54", "000.00.11.H54"]
    assert _codes(client.get(URL, {"parent": "H54"})) == ["000.00.02.H54", "000.00.11.H54", "000.00.30.H54"]
    bad = client.get(URL, {"in_force_on": "hôm qua"})
    assert bad.status_code == 400
    assert bad.json()["code"] == "common.invalid_input"


def test_detail_accepts_both_forms_and_404s(client, directory):
    assert client.get(f"{URL}H54.11/").json()["code"] == "000.00.11.H54"
    assert client.get(f"{URL}000.00.11.H54/").json()["code_d20"] == "H54.11"
    for missing in ("000.00.99.H54", "nonsense"):
        response = client.get(f"{URL}{missing}/")
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "orgs.not_found"
        assert set(body["messages"]) == {"vi", "en"}


def _unchanged(fn):
    before = (
        Agency.objects.count(),
        AuditRecord.objects.count(),
        list(Agency.objects.values_list("name_vi", "valid_to")),
    )
    response = fn()
    after = (
        Agency.objects.count(),
        AuditRecord.objects.count(),
        list(Agency.objects.values_list("name_vi", "valid_to")),
    )
    assert after == before
    return response


NEW = {
    "code": "000.00.05.H54",
    "name": "Sở Tài chính",
    "kind": "department",
    "parent_code": "000.00.00.H54",
    "valid_from": "2018-01-01",
}


def test_writes_need_authentication(client, directory):
    for response in (
        _unchanged(lambda: client.post(URL, NEW, format="json")),
        _unchanged(lambda: client.patch(f"{URL}H54.11/", {"name": "X"}, format="json")),
        _unchanged(
            lambda: client.post(f"{URL}H54.11/close/", {"valid_to": "2020-01-01", "reason": "x"}, format="json")
        ),
        client.get("/api/v1/me/"),
        client.get(f"{URL}H54.11/memberships/"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "common.not_authenticated"


def test_writes_need_an_administrator(client, directory, make_user, stttt):
    clerk = make_user("vanthu.stttt")
    services.membership_create(actor=None, user=clerk, agency=stttt, roles=["clerk", "agency_admin"], valid_from=D2018)
    client.force_authenticate(clerk)
    # An administrator of Sở TTTT is not one of the UBND tỉnh, the parent of what it would create or change.
    for response in (
        _unchanged(lambda: client.post(URL, NEW, format="json")),
        _unchanged(lambda: client.patch(f"{URL}H54.11/", {"name": "X"}, format="json")),
        _unchanged(
            lambda: client.post(f"{URL}H54.11/close/", {"valid_to": "2020-01-01", "reason": "x"}, format="json")
        ),
        client.get(f"{URL}H54.02/memberships/"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "common.permission_denied"


def test_agency_admin_of_the_parent_can_create_under_it(client, directory, make_user, stttt):
    admin = make_user("quantri.stttt")
    services.membership_create(actor=None, user=admin, agency=stttt, roles=["agency_admin"], valid_from=D2018)
    client.force_authenticate(admin)
    payload = {
        "code_d20": "H54.11.01",
        "name": "Trung tâm Công nghệ thông tin và Truyền thông",
        "kind": "public_service_unit",
        "parent_code": "H54.11",
        "valid_from": "2018-01-01",
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["code"] == "000.01.11.H54"
    record = AuditRecord.objects.latest("seq")
    assert record.action == "orgs.agency_create"
    assert record.actor_username == "quantri.stttt"


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"code": "00.00.05.H54"}, "orgs.invalid_code", "code"),
        ({"code": "000.00.11.H54"}, "orgs.duplicate_code", "code"),
        ({"code": "000.00.05.H99"}, "orgs.level1_unknown", "code"),
        ({"parent_code": "000.00.77.H54"}, "orgs.parent_unknown", "parent"),
        ({"kind": "ministry"}, "orgs.invalid_kind", "kind"),
        ({"valid_from": "2018-13-01"}, "common.invalid_input", None),
    ],
)
def test_create_bad_input_is_400_and_changes_nothing(client, directory, system_admin, payload, code, field):
    client.force_authenticate(system_admin)
    response = _unchanged(lambda: client.post(URL, {**NEW, **payload}, format="json"))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body.get("field") == field
    assert body["messages"]["vi"]
    assert body["messages"]["en"]
    assert body["messages"]["vi"] != body["messages"]["en"]


def test_patch_and_cycle_refusal(client, directory, system_admin):
    client.force_authenticate(system_admin)
    response = client.patch(
        f"{URL}H54.11/", {"name": "Sở Thông tin và Truyền thông tỉnh Thái Bình", "abbreviation": "STTTT"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Sở Thông tin và Truyền thông tỉnh Thái Bình"
    response = _unchanged(lambda: client.patch(f"{URL}H54/", {"parent_code": "H54.11"}, format="json"))
    assert response.status_code == 400
    assert response.json()["code"] == "orgs.cycle"
    response = client.patch(f"{URL}000.00.88.H54/", {"name": "X"}, format="json")
    assert response.status_code == 404


def test_close_through_the_api(client, directory, system_admin, make_user, stttt):
    staff = make_user("chuyenvien.stttt")
    services.membership_create(actor=None, user=staff, agency=stttt, roles=["specialist"], valid_from=D2018)
    client.force_authenticate(system_admin)
    response = _unchanged(
        lambda: client.post(
            f"{URL}H54.11/close/",
            {"valid_to": "2024-12-31", "successor_code": "H54.77", "reason": "Hợp nhất"},
            format="json",
        )
    )
    assert response.status_code == 400
    assert response.json()["code"] == "orgs.successor_unknown"
    response = client.post(
        f"{URL}H54.11/close/",
        {
            "valid_to": "2024-12-31",
            "successor_code": "000.00.00.H54",
            "reason": "Hợp nhất vào UBND",
            "transfer_staff": True,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["valid_to"] == "2024-12-31"
    assert response.json()["successor_code"] == "000.00.00.H54"
    assert client.get(URL, {"search": "truyen thong"}).json()["count"] == 0
    assert client.get(URL, {"search": "truyen thong", "include_closed": "1"}).json()["count"] == 1


def test_me_and_agency_memberships(client, directory, make_user, stttt):
    leader = make_user("lanhdao.stttt", full_name="Phạm Minh Châu")
    services.membership_create(
        actor=None, user=leader, agency=stttt, position="Giám đốc", roles=["leader"], valid_from=D2018, is_primary=True
    )
    client.force_authenticate(leader)
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "lanhdao.stttt"
    assert me["full_name"] == "Phạm Minh Châu"
    assert me["kind"] == "staff"
    assert me["memberships"][0]["agency_code"] == "000.00.11.H54"
    assert me["memberships"][0]["roles"] == ["leader"]
    assert me["memberships"][0]["position"] == "Giám đốc"
    staff = client.get(f"{URL}H54.11/memberships/")
    assert staff.status_code == 200
    assert [r["username"] for r in staff.json()["results"]] == ["lanhdao.stttt"]
    assert client.get(f"{URL}H54/memberships/").status_code == 403


def test_session_login_works_too(directory, make_user, stttt):
    from django.test import Client

    user = make_user()
    services.membership_create(actor=None, user=user, agency=stttt, roles=["clerk"], valid_from=D2018)
    web = Client()
    web.force_login(user)
    assert web.get("/api/v1/me/").json()["memberships"][0]["roles"] == ["clerk"]
