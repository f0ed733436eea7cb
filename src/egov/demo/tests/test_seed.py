import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditRecord
from egov.audit.services import audit_verify
from egov.orgs.models import Agency
from egov.signatures.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def _demo_data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-data")


@pytest.fixture(autouse=True)
def _own_data_dir(settings, _demo_data_dir):
    """The demo PKI is written under DATA_DIR: one folder for these tests (built once, then loaded),
    never the developer's own var/."""
    settings.DATA_DIR = _demo_data_dir


ROLES = {"clerk", "specialist", "leader", "one_stop_officer", "agency_admin", "system_admin"}


def _demo_users():
    out = StringIO()
    call_command("demo-users", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_seed_demo_builds_thai_binh_and_is_idempotent():
    call_command("seed-demo", "--no-token", stdout=StringIO())
    counts = (get_user_model().objects.count(), Agency.objects.count(), AuditRecord.objects.count())
    province = Agency.objects.get(code="000.00.00.H54")
    assert province.name_vi == "Ủy ban nhân dân tỉnh Thái Bình"
    assert province.code_d20 == "H54"
    assert Agency.objects.filter(kind="department").count() >= 15
    assert Agency.objects.filter(kind="district_people_committee").count() == 8
    assert Agency.objects.filter(kind="one_stop_unit").count() >= 8

    call_command("seed-demo", "--no-token", stdout=StringIO())
    assert (get_user_model().objects.count(), Agency.objects.count(), AuditRecord.objects.count()) == counts
    assert audit_verify()[1] is None
    seal = Certificate.objects.get(agency__code="000.00.00.H54", kind="organisation")
    assert "Thái Bình" in seal.subject


def test_demo_users_cover_every_role_in_several_agencies_and_can_log_in(client, settings):
    call_command("seed-demo", "--no-token", stdout=StringIO())
    users = _demo_users()
    staff = [u for u in users if u["kind"] == "staff"]
    citizens = [u for u in users if u["kind"] == "citizen"]
    assert citizens
    assert all(set(u) == {"username", "kind", "roles", "agency_code"} for u in users)
    assert {role for u in staff for role in u["roles"]} == ROLES
    for role in ("clerk", "leader", "specialist"):
        agencies = {u["agency_code"] for u in staff if role in u["roles"]}
        assert len(agencies) >= 3, role
    clerk = next(u for u in staff if "clerk" in u["roles"])
    response = client.post("/accounts/login/", {"login": clerk["username"], "password": settings.EGOV_DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get("/workspace/").content.decode()
    assert "Văn thư" in page
    assert clerk["agency_code"] in page


def test_system_admin_reaches_the_django_admin(client, settings):
    call_command("seed-demo", "--no-token", stdout=StringIO())
    client.force_login(get_user_model().objects.get(username="quantri.tinh"))
    assert client.get("/admin/orgs/agency/").status_code == 200
    assert client.get("/admin/orgs/agency/?q=thai+binh").status_code == 200


def test_seed_demo_refused_outside_demo_mode(settings):
    settings.EGOV_DEMO = False
    with pytest.raises(CommandError, match="EGOV_DEMO"):
        call_command("seed-demo", "--no-token", stdout=StringIO())
    assert get_user_model().objects.count() == 0
