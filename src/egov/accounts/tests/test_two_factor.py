"""Two-factor authentication (TOTP) is compulsory for staff outside demo mode."""

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from egov.accounts.tests.conftest import totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ACTIVATE = "/accounts/2fa/totp/activate/"
AUTHENTICATE = "/accounts/2fa/authenticate/"


def test_full_staff_flow_with_real_totp_codes(client, staff, password, no_demo):
    start = dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        # logs in → forced to activate, from any page
        response = client.post(LOGIN, {"login": "canbo1", "password": password})
        assert response.status_code == 302
        response = client.get("/workspace/")
        assert response.status_code == 302
        assert response["Location"] == ACTIVATE
        assert client.get("/").status_code == 302
        page = client.get(ACTIVATE)
        assert page.status_code == 200
        html = page.content.decode()
        assert "xác thực hai lớp" in html.casefold()  # the warning message, in Vietnamese
        assert "Chuyển đến nội dung chính" in html  # our layout
        secret = page.context["form"].secret

        # a wrong code does not activate
        wrong = "000000" if totp_code(secret) != "000000" else "111111"
        assert client.post(ACTIVATE, {"code": wrong}).status_code == 200
        assert not Authenticator.objects.filter(user=staff, type="totp").exists()

        # activates with the right code
        response = client.post(ACTIVATE, {"code": totp_code(secret)})
        assert response.status_code == 302
        assert Authenticator.objects.filter(user=staff, type="totp").exists()
        assert client.get("/workspace/").status_code == 200

        # logs out, logs in again → asked for the code
        client.post("/accounts/logout/")
        traveller.shift(dt.timedelta(seconds=90))
        response = client.post(LOGIN, {"login": "canbo1", "password": password})
        assert response.status_code == 302
        assert response["Location"] == AUTHENTICATE
        assert client.session.get("_auth_user_id") is None
        assert client.get("/workspace/").status_code == 302

        code = totp_code(secret)
        wrong = "000000" if code != "000000" else "111111"
        refused = client.post(AUTHENTICATE, {"code": wrong})
        assert refused.status_code == 200
        assert client.session.get("_auth_user_id") is None

        accepted = client.post(AUTHENTICATE, {"code": code})
        assert accepted.status_code == 302
        assert client.session.get("_auth_user_id") == str(staff.pk)
        assert client.get("/workspace/").status_code == 200


def test_exempt_paths_stay_reachable_for_staff_without_totp(client, staff, no_demo):
    client.force_login(staff)
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/auth/tokens/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") is None


def test_not_required_in_demo_mode_nor_for_citizens(client, staff, citizen, no_demo, settings):
    client.force_login(citizen)
    assert client.get("/workspace/").status_code == 200
    settings.EGOV_DEMO = True
    client.force_login(staff)
    assert client.get("/workspace/").status_code == 200
