"""Single sign-on with the national identity platform, against a real local OpenID Connect provider.

The provider (`oidc_provider.py`) listens on 127.0.0.1; Django talks to its token, userinfo and
JWKS endpoints over real HTTP, and the test plays the browser between the two.
"""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from egov.accounts.models import User, UserKind
from egov.accounts.oidc import username_for_sub
from egov.accounts.tests.oidc_provider import OidcTestProvider
from egov.audit.models import AuditRecord

pytestmark = [pytest.mark.django_db, pytest.mark.network]


@pytest.fixture
def op():
    provider = OidcTestProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def vneid(settings, op):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "vneid",
                    "name": "VNeID",
                    "client_id": op.client_id,
                    "secret": op.client_secret,
                    "settings": {"server_url": op.issuer},
                }
            ],
        }
    }
    settings.EGOV_OIDC_NATIONAL_ID_CLAIM = "cccd"
    return op


def _sso_login(client: Client, op: OidcTestProvider, *, tamper_state: bool = False):
    """Browser: POST login → OP authorize (real HTTP) → back to the callback. Returns the callback response."""
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "vneid"}))
    assert start.status_code == 302, start.content
    authorize_url = start["Location"]
    assert authorize_url.startswith(f"{op.issuer}/authorize?")
    answer = requests.get(authorize_url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = urlparse(answer.headers["Location"])
    assert callback.path == reverse("openid_connect_callback", kwargs={"provider_id": "vneid"})
    query = parse_qs(callback.query)
    if tamper_state:
        query["state"] = ["khong-phai-state-nay"]
    return client.get(callback.path, {k: v[0] for k, v in query.items()})


def _logged_in(client):
    return client.session.get("_auth_user_id")


def test_login_page_shows_the_vneid_button_when_configured(client, vneid):
    page = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập bằng VNeID" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "vneid"}) in page


def test_first_login_creates_a_citizen_linked_by_sub_and_second_reuses_it(client, vneid):
    vneid.subject = {
        "sub": "VN-0001",
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@example.vn",
        "cccd": "034190005678",
    }
    response = _sso_login(client, vneid)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("portal:workspace")
    account = SocialAccount.objects.get(provider="vneid")
    assert account.uid == "VN-0001"
    user = account.user
    assert _logged_in(client) == str(user.pk)
    assert user.kind == UserKind.CITIZEN
    assert user.full_name == "Nguyễn Thị Hoa"
    assert user.national_id == "034190005678"
    assert user.username == username_for_sub("VN-0001")
    assert not user.has_usable_password()
    assert AuditRecord.objects.filter(action="accounts.user_create", object_id=str(user.pk)).exists()

    # what the OP saw: nonce and PKCE S256, and the verifier came back to the token endpoint
    authorize = vneid.authorize_requests[-1]
    assert authorize["nonce"]
    assert authorize["code_challenge_method"] == "S256"
    assert vneid.token_requests[-1]["code_verifier"]

    # second login with the same sub: same user
    again = Client()
    assert _sso_login(again, vneid).status_code == 302
    assert _logged_in(again) == str(user.pk)
    assert User.objects.count() == 1


def test_same_email_different_sub_is_a_different_user(client, vneid, citizen):
    vneid.subject = {"sub": "VN-0002", "name": "Kẻ Mạo Danh", "email": citizen.email, "cccd": "bad"}
    response = _sso_login(client, vneid)
    assert response.status_code == 302
    new_user = SocialAccount.objects.get(uid="VN-0002").user
    assert new_user.pk != citizen.pk
    assert _logged_in(client) == str(new_user.pk)
    assert new_user.national_id == ""  # "bad" is not 12 digits
    assert not SocialAccount.objects.filter(user=citizen).exists()
    assert new_user.email == citizen.email  # kept as contact data


def test_national_id_already_held_is_not_copied(client, vneid, citizen):
    vneid.subject = {"sub": "VN-0003", "name": "Người Trùng Số", "cccd": citizen.national_id}
    assert _sso_login(client, vneid).status_code == 302
    assert SocialAccount.objects.get(uid="VN-0003").user.national_id == ""


def _assert_refused(client, response):
    assert _logged_in(client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(username__startswith="vneid-").count() == 0
    assert response.status_code in (200, 400, 401, 403)


def test_tampered_id_token_signature_is_refused(client, vneid):
    vneid.tamper_signature = True
    _assert_refused(client, _sso_login(client, vneid))


def test_wrong_nonce_is_refused(client, vneid):
    vneid.nonce_override = "nonce-cua-nguoi-khac"
    _assert_refused(client, _sso_login(client, vneid))


def test_wrong_state_is_refused(client, vneid):
    response = _sso_login(client, vneid, tamper_state=True)
    _assert_refused(client, response)
    assert vneid.token_requests == []  # the code was never redeemed


def test_userinfo_of_another_subject_is_refused(client, vneid):
    vneid.userinfo_override = {"sub": "VN-9999", "name": "Người Khác"}
    _assert_refused(client, _sso_login(client, vneid))


def test_error_page_is_in_our_layout_and_vietnamese(client, vneid):
    vneid.tamper_signature = True
    page = _sso_login(client, vneid).content.decode()
    assert "Chuyển đến nội dung chính" in page
    assert 'lang="vi"' in page
