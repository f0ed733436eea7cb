"""Administration: the user admin (kind, CCCD, phone, search) and the API token admin (read-only, revoke)."""

import pytest
from django.contrib.auth import get_user_model

from egov.accounts import services
from egov.accounts.models import ApiToken
from egov.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "Thai-Binh-2018-ok!")
    client.force_login(admin)
    return client


def test_user_admin_lists_and_searches_by_cccd_and_phone(admin_client, citizen, staff):
    page = admin_client.get("/admin/accounts/user/?q=034090001234")
    assert page.status_code == 200
    html = page.content.decode()
    assert "nguyenvana" in html
    assert "canbo1" not in html
    assert "nguyenvana" in admin_client.get("/admin/accounts/user/?q=0912345678").content.decode()
    change = admin_client.get(f"/admin/accounts/user/{citizen.pk}/change/")
    assert change.status_code == 200
    assert 'name="national_id"' in change.content.decode()
    assert 'name="kind"' in change.content.decode()


def test_token_admin_is_read_only_and_revokes_with_audit(admin_client, citizen):
    token, key = services.api_token_issue(actor=citizen, user=citizen, name="một cửa")
    listing = admin_client.get("/admin/accounts/apitoken/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert token.key_prefix in html
    assert key not in html
    assert token.key_hash not in html
    assert admin_client.get("/admin/accounts/apitoken/add/").status_code == 403
    detail = admin_client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.key_hash not in detail
    response = admin_client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditRecord.objects.filter(action="accounts.api_token_revoke").count() == 1
    assert ApiToken.objects.count() == 1  # kept, not deleted
