"""API tokens: obtain, use, list, revoke; 401 for anything not valid; lockout and 2FA on the token endpoint."""

import datetime as dt
import hashlib

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.utils import timezone

from egov.accounts import services
from egov.accounts.models import ApiToken
from egov.accounts.tests.conftest import totp_code
from egov.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
TOKENS = "/api/v1/auth/tokens/"


def _obtain(client, **body):
    return client.post(TOKEN, body, content_type="application/json")


def _bearer(key, scheme="Bearer"):
    return Client(HTTP_AUTHORIZATION=f"{scheme} {key}")


def test_obtain_use_list_and_revoke(client, citizen, password):
    response = _obtain(client, username="nguyenvana", password=password, name="phần mềm một cửa")
    assert response.status_code == 201
    body = response.json()
    key = body["token"]
    assert body["token_type"] == "Bearer"
    assert body["expires_at"] is None
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_prefix == key[:8]
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values_list())
    assert token.name == "phần mềm một cửa"
    record = AuditRecord.objects.get(action="accounts.api_token_issue")
    assert key not in str(record.after)
    assert password not in str(record.after)

    listed = _bearer(key).get(TOKENS)
    assert listed.status_code == 200
    [item] = listed.json()
    assert item["key_prefix"] == key[:8]
    assert "token" not in item
    assert "key_hash" not in item
    assert item["is_active"] is True
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert _bearer(key, "Token").get(TOKENS).status_code == 200  # "Token <key>" works too

    revoked = _bearer(key).delete(TOKEN)
    assert revoked.status_code == 204
    assert AuditRecord.objects.filter(action="accounts.api_token_revoke").count() == 1
    after = _bearer(key).get(TOKENS)
    assert after.status_code == 401
    assert after["WWW-Authenticate"] == 'Bearer realm="api"'


def test_last_used_is_written_at_most_once_a_minute(citizen):
    token, key = services.api_token_issue(actor=citizen, user=citizen)
    _bearer(key).get(TOKENS)
    token.refresh_from_db()
    first = token.last_used_at
    _bearer(key).get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    _bearer(key).get(TOKENS)
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=1)


def test_401_without_token_and_with_bad_ones(citizen):
    anonymous = Client().get(TOKENS)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "common.not_authenticated"
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'

    revoked, revoked_key = services.api_token_issue(actor=citizen, user=citizen)
    services.api_token_revoke(actor=citizen, token=revoked)
    expired, expired_key = services.api_token_issue(
        actor=citizen, user=citizen, expires_at=timezone.now() + dt.timedelta(hours=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for key in [revoked_key, expired_key, "khong-phai-khoa-that-abcdefghijklmnop", "short", revoked_key[:8] + "x" * 35]:
        response = _bearer(key).get(TOKENS)
        assert response.status_code == 401, key
        body = response.json()
        assert body["code"] == "common.not_authenticated"
        assert body["messages"]["vi"]
        assert body["messages"]["en"]
    assert Client(HTTP_AUTHORIZATION="Bearer").get(TOKENS).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer a b").get(TOKENS).status_code == 401


def test_inactive_user_token_is_refused(citizen, staff):
    _token, key = services.api_token_issue(actor=citizen, user=citizen)
    services.user_deactivate(actor=staff, user=citizen)
    assert _bearer(key).get(TOKENS).status_code == 401


def test_revoke_own_token_by_id_only(citizen, staff):
    mine, key = services.api_token_issue(actor=citizen, user=citizen, name="a")
    theirs, _ = services.api_token_issue(actor=staff, user=staff, name="b")
    client = _bearer(key)
    assert client.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    other, _ = services.api_token_issue(actor=citizen, user=citizen, name="c")
    assert client.delete(f"{TOKENS}{other.pk}/").status_code == 204
    again = client.delete(f"{TOKENS}{other.pk}/")
    assert again.status_code == 400
    assert again.json()["code"] == "accounts.token_already_revoked"
    mine.refresh_from_db()
    assert mine.revoked_at is None


def test_revoke_current_needs_a_token_not_a_session(client, citizen):
    client.force_login(citizen)
    response = client.delete(TOKEN)
    assert response.status_code == 400
    assert response.json()["code"] == "accounts.token_not_in_use"


def test_wrong_credentials_are_refused_and_locked_out_after_five(client, citizen, password):
    before = (ApiToken.objects.count(), AuditRecord.objects.count())
    response = _obtain(client, username="nguyenvana", password="sai-mat-khau")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "accounts.invalid_credentials"
    assert body["messages"]["vi"] == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert body["messages"]["en"] == "The username or password is not correct."
    for _ in range(4):
        _obtain(client, username="nguyenvana", password="sai-mat-khau")
    locked = _obtain(client, username="nguyenvana", password=password)
    assert locked.status_code == 429
    assert locked.json()["code"] == "accounts.locked_out"
    assert "15" in locked.json()["messages"]["vi"]
    assert (ApiToken.objects.count(), AuditRecord.objects.count()) == before


def test_missing_fields_are_a_validation_error(client):
    response = _obtain(client, username="x")
    assert response.status_code == 400
    assert response.json()["code"] == "common.invalid_input"
    assert "password" in response.json()["errors"]


def test_staff_needs_totp_for_a_token_outside_demo(client, staff, password, no_demo):
    response = _obtain(client, username="canbo1", password=password)
    assert response.status_code == 403
    assert response.json()["code"] == "accounts.two_factor_required"
    assert ApiToken.objects.count() == 0


def test_staff_with_totp_must_give_a_valid_code(client, staff, password, no_demo):
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    missing = _obtain(client, username="canbo1", password=password)
    assert missing.status_code == 400
    assert missing.json()["code"] == "accounts.otp_required"
    code = totp_code(secret)
    wrong = "000000" if code != "000000" else "111111"
    bad = _obtain(client, username="canbo1", password=password, otp=wrong)
    assert bad.status_code == 400
    assert bad.json()["code"] == "accounts.invalid_otp"
    assert ApiToken.objects.count() == 0
    good = _obtain(client, username="canbo1", password=password, otp=code)
    assert good.status_code == 201
    # the same code cannot be replayed
    replay = _obtain(client, username="canbo1", password=password, otp=code)
    assert replay.status_code == 400


def test_citizen_gets_a_token_without_totp_even_outside_demo(client, citizen, password, no_demo):
    assert _obtain(client, username="nguyenvana", password=password).status_code == 201


def test_token_endpoint_is_throttled(client, citizen, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"auth_token": "2/min"})
    cache.clear()
    try:
        codes = [_obtain(client, username=f"u{i}", password="x").status_code for i in range(3)]
    finally:
        cache.clear()
    assert codes == [400, 400, 429]
