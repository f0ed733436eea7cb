import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from egov.audit.models import AuditRecord
from egov.orgs.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(ubnd):
    user = get_user_model().objects.create_superuser(username="admin", password="Mat-khau-2018!", kind="staff")
    client = Client()
    client.force_login(user)
    return client


def _form(**values):
    base = {
        "code": "",
        "code_d20": "",
        "name_vi": "Sở Tư pháp",
        "kind": "department",
        "parent": "",
        "valid_from": "2018-01-01",
        "units-TOTAL_FORMS": "0",
        "units-INITIAL_FORMS": "0",
        "units-MIN_NUM_FORMS": "0",
        "units-MAX_NUM_FORMS": "1000",
    }
    base.update(values)
    return base


def test_admin_add_goes_through_the_service(admin_client, ubnd):
    response = admin_client.post("/admin/orgs/agency/add/", _form(code_d20="H54.03", parent=str(ubnd.pk)))
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(code="000.00.03.H54")
    assert agency.code_d20 == "H54.03"
    assert agency.search_text
    assert AuditRecord.objects.filter(action="orgs.agency_create", object_id=str(agency.pk)).exists()


def test_admin_shows_service_refusals_as_form_errors(admin_client, ubnd):
    before = (Agency.objects.count(), AuditRecord.objects.count())
    response = admin_client.post("/admin/orgs/agency/add/", _form(code="000.00.00.H54"))
    assert response.status_code == 200
    assert "000.00.00.H54" in response.content.decode()
    assert (Agency.objects.count(), AuditRecord.objects.count()) == before


def test_admin_pages_render(admin_client):
    for url in (
        "/admin/orgs/agency/",
        "/admin/orgs/level1code/",
        "/admin/orgs/membership/add/",
        "/admin/orgs/administrativeunit/",
    ):
        assert admin_client.get(url).status_code == 200, url
