"""Login and logout pages (allauth in our layout, Vietnamese by default) and the login lockout."""

import pytest
from django.test import Client
from django.urls import reverse

from egov.accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _logged_in_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_is_public_in_our_layout_and_vietnamese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="vi"' in page
    assert "Chuyển đến nội dung chính" in page  # our base.html
    assert "Đăng nhập" in page
    assert "Mật khẩu" in page
    assert "Tên đăng nhập" in page
    assert "Sign In" not in page
    assert "Password" not in page
    assert "VNeID" not in page  # SSO not configured


def test_login_page_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(LOGIN).content.decode()
    assert 'lang="en"' in page
    assert "Log in" in page
    assert "Password" in page


def test_login_then_logout_by_post(client, citizen, password):
    response = client.post(LOGIN, {"login": "nguyenvana", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    assert _logged_in_id(client) == str(citizen.pk)
    assert client.get("/workspace/").status_code == 200
    # GET on logout only shows a confirmation page; it does not log out
    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200
    assert "Đăng xuất" in confirm.content.decode()
    assert _logged_in_id(client) == str(citizen.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert _logged_in_id(client) is None


def test_wrong_password_gets_a_vietnamese_error(client, citizen):
    response = client.post(LOGIN, {"login": "nguyenvana", "password": "sai-mat-khau-roi"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "không đúng" in page
    assert _logged_in_id(client) is None


def test_local_signup_is_closed(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    assert "Signup" not in response.content.decode()
    before = User.objects.count()
    client.post(
        "/accounts/signup/",
        {"username": "tudangky", "password1": "Thai-Binh-2018-ok!", "password2": "Thai-Binh-2018-ok!"},
    )
    assert User.objects.count() == before


def test_five_failures_lock_the_account_even_with_the_right_password(client, citizen, password):
    for _ in range(5):
        client.post(LOGIN, {"login": "nguyenvana", "password": "sai-mat-khau-roi"})
    response = client.post(LOGIN, {"login": "nguyenvana", "password": password})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa" in page
    assert "15" in page
    assert "Too many failed login attempts" in page  # the English text is given too
    assert 'lang="vi"' in page
    assert _logged_in_id(client) is None
    assert int(response["Retry-After"]) == 15 * 60
    # another person on the same address is not locked out
    other = Client()
    assert other.post(LOGIN, {"login": "someoneelse", "password": "x"}).status_code == 200
