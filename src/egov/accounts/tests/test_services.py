"""People: creation, profile changes, deactivation — validation first, audited, no passwords kept."""

import json

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from egov.accounts import services
from egov.accounts.errors import AccountsErrorCode
from egov.accounts.models import User, UserKind
from egov.audit.models import AuditRecord
from egov.audit.services import audit_verify
from egov.common.errors import EgovError

pytestmark = pytest.mark.django_db


def _counts():
    return User.objects.count(), AuditRecord.objects.count()


def test_create_citizen_is_audited_without_password(citizen, password):
    assert citizen.kind == UserKind.CITIZEN
    assert citizen.check_password(password)
    record = AuditRecord.objects.get(action="accounts.user_create", object_id=str(citizen.pk))
    assert record.after["national_id"] == "034090001234"
    assert record.after["kind"] == "citizen"
    dumped = json.dumps([record.before, record.after])
    assert password not in dumped
    assert "password" not in dumped
    assert citizen.password not in dumped
    assert audit_verify() == (1, None)


def test_create_staff_without_password_cannot_log_in(db):
    user = services.user_create_staff(actor=None, username="canbo2", full_name="Lê Văn C")
    assert user.kind == UserKind.STAFF
    assert not user.has_usable_password()
    assert not user.is_staff  # Django admin access is separate from being agency staff


def test_input_is_normalised(db):
    user = services.user_create_citizen(
        actor=None,
        username="nguoidan2",
        full_name="  Phạm   Thị  D ",
        national_id=" 0340 9000 1235 ",
        phone="091.234.5679",
        email="D@Example.VN",
    )
    assert user.full_name == "Phạm Thị D"
    assert user.national_id == "034090001235"
    assert user.phone == "0912345679"
    assert user.email == "D@example.vn"


@pytest.mark.parametrize(
    ("field", "value", "code", "vi_fragment"),
    [
        ("national_id", "12345678901", AccountsErrorCode.INVALID_NATIONAL_ID, "12 chữ số"),
        ("national_id", "03409000123A", AccountsErrorCode.INVALID_NATIONAL_ID, "12 chữ số"),
        ("phone", "12345", AccountsErrorCode.INVALID_PHONE, "số điện thoại"),
        ("phone", "+1 555 0100 222", AccountsErrorCode.INVALID_PHONE, "số điện thoại"),
        ("email", "not-an-email", AccountsErrorCode.INVALID_EMAIL, "thư điện tử"),
        ("username", "bad user!", AccountsErrorCode.INVALID_USERNAME, "Tên đăng nhập"),
        ("full_name", "   ", AccountsErrorCode.INVALID_FULL_NAME, "Họ và tên"),
    ],
)
def test_bad_input_is_refused_clearly_and_changes_nothing(db, field, value, code, vi_fragment):
    before = _counts()
    kwargs = {"username": "hople", "full_name": "Hợp Lệ", field: value}
    with pytest.raises(EgovError) as caught:
        services.user_create_citizen(actor=None, **kwargs)
    error = caught.value
    assert error.code == code
    assert error.field == field
    assert vi_fragment.casefold() in error.messages["vi"].casefold()
    assert error.messages["en"] != error.messages["vi"]
    assert _counts() == before


def test_duplicate_national_id_and_username_are_refused(citizen):
    before = _counts()
    with pytest.raises(EgovError) as caught:
        services.user_create_citizen(actor=None, username="khac", full_name="Người Khác", national_id="034090001234")
    assert caught.value.code == AccountsErrorCode.DUPLICATE_NATIONAL_ID
    assert "đã có" in caught.value.messages["vi"]
    with pytest.raises(EgovError) as caught:
        services.user_create_citizen(actor=None, username="NguyenVanA", full_name="Trùng Tên")
    assert caught.value.code == AccountsErrorCode.DUPLICATE_USERNAME
    assert _counts() == before


def test_weak_password_is_refused_and_never_echoed(db):
    before = _counts()
    with pytest.raises(EgovError) as caught:
        services.user_create_staff(actor=None, username="canbo3", full_name="Cán Bộ Ba", password="1234567890")
    assert caught.value.code == AccountsErrorCode.WEAK_PASSWORD
    assert "1234567890" not in str(caught.value.messages)
    assert _counts() == before


def test_update_profile_audits_only_what_changed(citizen):
    services.user_update_profile(actor=citizen, user=citizen, phone="+84912000111", address="Xã Vũ Chính")
    citizen.refresh_from_db()
    assert citizen.phone == "+84912000111"
    record = AuditRecord.objects.get(action="accounts.user_update_profile")
    assert record.before == {"phone": "0912345678", "address": "Thành phố Thái Bình"}
    assert record.after == {"phone": "+84912000111", "address": "Xã Vũ Chính"}
    assert record.actor_id == citizen.pk
    # no change, no record
    services.user_update_profile(actor=citizen, user=citizen, phone="+84912000111")
    assert AuditRecord.objects.filter(action="accounts.user_update_profile").count() == 1


def test_update_profile_bad_input_changes_nothing(citizen, staff):
    other = services.user_create_citizen(
        actor=None, username="khac", full_name="Người Khác", national_id="001200000001"
    )
    before = _counts()
    for kwargs, code in [
        ({"national_id": "001200000001"}, AccountsErrorCode.DUPLICATE_NATIONAL_ID),
        ({"national_id": "1"}, AccountsErrorCode.INVALID_NATIONAL_ID),
        ({"phone": "0912", "full_name": "Tên Mới"}, AccountsErrorCode.INVALID_PHONE),
    ]:
        with pytest.raises(EgovError) as caught:
            services.user_update_profile(actor=staff, user=citizen, **kwargs)
        assert caught.value.code == code
    citizen.refresh_from_db()
    assert (citizen.national_id, citizen.phone, citizen.full_name) == ("034090001234", "0912345678", "Nguyễn Văn A")
    assert _counts() == before
    # keeping one's own number is not a duplicate
    services.user_update_profile(actor=staff, user=other, national_id="001200000001")


def test_deactivate(citizen, staff, client, password):
    services.user_deactivate(actor=staff, user=citizen)
    citizen.refresh_from_db()
    assert not citizen.is_active
    assert AuditRecord.objects.filter(action="accounts.user_deactivate", actor_id=staff.pk).count() == 1
    before = _counts()
    with pytest.raises(EgovError) as caught:
        services.user_deactivate(actor=staff, user=citizen)
    assert caught.value.code == AccountsErrorCode.ALREADY_INACTIVE
    assert _counts() == before


@given(st.text(alphabet="0123456789 ", max_size=20))
def test_national_id_rule_holds_for_any_digits(value):
    digits = value.replace(" ", "")
    if len(digits) in (0, 12):
        assert services.clean_national_id(value) == digits
    else:
        with pytest.raises(EgovError) as caught:
            services.clean_national_id(value)
        assert caught.value.code == AccountsErrorCode.INVALID_NATIONAL_ID


@override_settings(
    PASSWORD_HASHERS=[
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
def test_production_hasher_is_argon2(db):
    from django.conf import settings as live

    from egov.config.settings import base

    assert base.PASSWORD_HASHERS == live.PASSWORD_HASHERS
    user = services.user_create_staff(
        actor=None, username="argon", full_name="Argon Hai", password="Thai-Binh-2018-ok!"
    )
    assert user.password.startswith("argon2")
    assert make_password("x").startswith("argon2")


def test_createstaff_command(db, monkeypatch):
    monkeypatch.setenv("EGOV_NEW_PASSWORD", "Thai-Binh-2018-ok!")
    call_command("createstaff", "canbo9", "--full-name", "Cán Bộ Chín")
    user = User.objects.get(username="canbo9")
    assert user.kind == UserKind.STAFF
    assert user.check_password("Thai-Binh-2018-ok!")
    with pytest.raises(CommandError, match="Tên đăng nhập"):
        call_command("createstaff", "canbo9", "--full-name", "Cán Bộ Chín")


def test_set_password_is_validated_and_audited_without_the_password(citizen, staff):
    before = _counts()
    with pytest.raises(EgovError) as caught:
        services.user_set_password(actor=staff, user=citizen, password="short")
    assert caught.value.code == AccountsErrorCode.WEAK_PASSWORD
    assert _counts() == before
    services.user_set_password(actor=staff, user=citizen, password="Vu-Thu-2026-moi!")
    citizen.refresh_from_db()
    assert citizen.check_password("Vu-Thu-2026-moi!")
    record = AuditRecord.objects.get(action="accounts.user_set_password")
    assert record.before is None
    assert record.after is None
