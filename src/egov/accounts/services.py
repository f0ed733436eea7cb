"""Writes of the accounts context: people and API tokens.

Every service validates everything first (raising `EgovError`, so nothing changes on bad input),
then writes, then records the change in the audit trail in the same transaction. Passwords and
token keys never reach the audit trail or the logs.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.accounts.errors import AccountsErrorCode
from egov.accounts.models import ApiToken, User, UserKind
from egov.audit.services import Actor, audit_record
from egov.common.errors import EgovError, NotFound
from egov.common.text import nfc

NATIONAL_ID_RE = re.compile(r"^\d{12}$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
TOKEN_KEY_PREFIX_LENGTH = 8
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
MAX_FULL_NAME = 150
MAX_ADDRESS = 300
MAX_TOKEN_NAME = 100

# What the audit trail keeps of a person: never the password (nor its hash).
_AUDITED_USER_FIELDS = ("username", "kind", "full_name", "email", "phone", "national_id", "address", "is_active")


def _user_snapshot(user: User) -> dict[str, Any]:
    return {name: getattr(user, name) for name in _AUDITED_USER_FIELDS}


def _token_snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "user_id": token.user_id,
        "name": token.name,
        "key_prefix": token.key_prefix,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


# --- validation -------------------------------------------------------------------------------


def clean_national_id(value: str, *, exclude_user_id: int | None = None) -> str:
    """A citizen identity number (CCCD, Circular 59/2021/TT-BCA): exactly 12 digits, unique."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        return ""
    if not NATIONAL_ID_RE.fullmatch(value):
        raise EgovError(
            AccountsErrorCode.INVALID_NATIONAL_ID,
            _("A citizen identity number (CCCD) has exactly 12 digits."),
            field="national_id",
        )
    clash = User.objects.filter(national_id=value)
    if exclude_user_id is not None:
        clash = clash.exclude(pk=exclude_user_id)
    if clash.exists():
        raise EgovError(
            AccountsErrorCode.DUPLICATE_NATIONAL_ID,
            _("Another account already has this citizen identity number."),
            field="national_id",
        )
    return value


def clean_phone(value: str) -> str:
    value = _PHONE_SEPARATORS.sub("", value or "")
    if not value:
        return ""
    if not PHONE_RE.fullmatch(value):
        raise EgovError(
            AccountsErrorCode.INVALID_PHONE,
            _("A Vietnamese phone number starts with 0 or +84 and has 10–11 digits."),
            field="phone",
        )
    return value


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise EgovError(AccountsErrorCode.INVALID_EMAIL, _("Enter a valid e-mail address."), field="email") from None
    local, _at, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_username(value: str) -> str:
    value = nfc((value or "").strip())
    try:
        if not value or len(value) > 150:
            raise ValidationError("length")
        UnicodeUsernameValidator()(value)
    except ValidationError:
        raise EgovError(
            AccountsErrorCode.INVALID_USERNAME,
            _("A username has 1–150 characters: letters, digits and @ . + - _ only."),
            field="username",
        ) from None
    if User.objects.filter(username__iexact=value).exists():
        raise EgovError(AccountsErrorCode.DUPLICATE_USERNAME, _("This username is already taken."), field="username")
    return value


def _clean_text(value: str, *, field: str, max_length: int, required: bool) -> str:
    value = nfc(" ".join((value or "").split()))
    if (required and not value) or len(value) > max_length:
        if field == "full_name":
            raise EgovError(
                AccountsErrorCode.INVALID_FULL_NAME,
                _("A full name is required and has at most %(max)d characters."),
                field=field,
                params={"max": max_length},
            )
        raise EgovError(
            AccountsErrorCode.INVALID_ADDRESS,
            _("An address has at most %(max)d characters."),
            field=field,
            params={"max": max_length},
        )
    return value


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError:
        raise EgovError(
            AccountsErrorCode.WEAK_PASSWORD,
            _(
                "The password is too weak: use at least 10 characters, not a common or all-digit "
                "password, and not one resembling the username or name."
            ),
            field="password",
        ) from None


# --- people -----------------------------------------------------------------------------------


def _user_create(
    *,
    actor: Actor | None,
    kind: UserKind,
    username: str,
    full_name: str,
    password: str | None,
    national_id: str,
    phone: str,
    email: str,
    address: str,
) -> User:
    user = User(
        username=clean_username(username),
        kind=kind,
        full_name=_clean_text(full_name, field="full_name", max_length=MAX_FULL_NAME, required=True),
        national_id=clean_national_id(national_id),
        phone=clean_phone(phone),
        email=clean_email(email),
        address=_clean_text(address, field="address", max_length=MAX_ADDRESS, required=False),
    )
    if password:
        _check_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(actor=actor, action="accounts.user_create", target=user, after=_user_snapshot(user))
    return user


@transaction.atomic
def user_create_citizen(
    *,
    actor: Actor | None,
    username: str,
    full_name: str,
    password: str | None = None,
    national_id: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> User:
    """A citizen (or a business's representative). Without a password they sign in only by SSO."""
    return _user_create(
        actor=actor,
        kind=UserKind.CITIZEN,
        username=username,
        full_name=full_name,
        password=password,
        national_id=national_id,
        phone=phone,
        email=email,
        address=address,
    )


@transaction.atomic
def user_create_staff(
    *,
    actor: Actor | None,
    username: str,
    full_name: str,
    password: str | None = None,
    phone: str = "",
    email: str = "",
    national_id: str = "",
) -> User:
    """A staff member. Their agency and roles are recorded by `orgs`, which sits above accounts."""
    return _user_create(
        actor=actor,
        kind=UserKind.STAFF,
        username=username,
        full_name=full_name,
        password=password,
        national_id=national_id,
        phone=phone,
        email=email,
        address="",
    )


@transaction.atomic
def user_update_profile(
    *,
    actor: Actor | None,
    user: User,
    full_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    national_id: str | None = None,
) -> User:
    """Change the given profile fields (None leaves a field as it is)."""
    changes: dict[str, str] = {}
    if full_name is not None:
        changes["full_name"] = _clean_text(full_name, field="full_name", max_length=MAX_FULL_NAME, required=True)
    if email is not None:
        changes["email"] = clean_email(email)
    if phone is not None:
        changes["phone"] = clean_phone(phone)
    if address is not None:
        changes["address"] = _clean_text(address, field="address", max_length=MAX_ADDRESS, required=False)
    if national_id is not None:
        changes["national_id"] = clean_national_id(national_id, exclude_user_id=user.pk)
    changes = {name: value for name, value in changes.items() if getattr(user, name) != value}
    if not changes:
        return user
    before = {name: getattr(user, name) for name in changes}
    for name, value in changes.items():
        setattr(user, name, value)
    user.save(update_fields=list(changes))
    audit_record(actor=actor, action="accounts.user_update_profile", target=user, before=before, after=changes)
    return user


@transaction.atomic
def user_set_password(*, actor: Actor | None, user: User, password: str) -> User:
    """Set a new password (validated). The audit record says that it changed, never what it is."""
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="accounts.user_set_password", target=user)
    return user


@transaction.atomic
def user_set_administrator(*, actor: Actor | None, user: User, is_administrator: bool) -> User:
    """Grant or withdraw access to the Django administration (is_staff + is_superuser)."""
    before = {"is_staff": user.is_staff, "is_superuser": user.is_superuser}
    if before == {"is_staff": is_administrator, "is_superuser": is_administrator}:
        return user
    user.is_staff = user.is_superuser = is_administrator
    user.save(update_fields=["is_staff", "is_superuser"])
    audit_record(
        actor=actor,
        action="accounts.user_set_administrator",
        target=user,
        before=before,
        after={"is_staff": is_administrator, "is_superuser": is_administrator},
    )
    return user


@transaction.atomic
def user_deactivate(*, actor: Actor | None, user: User) -> User:
    """Stop a person signing in (their sessions and API tokens stop working); records are kept."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise EgovError(AccountsErrorCode.ALREADY_INACTIVE, _("This account is already deactivated."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="accounts.user_deactivate",
        target=user,
        before={"is_active": True},
        after={"is_active": False},
    )
    return user


# --- API tokens -------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_issue(
    *, actor: Actor | None, user: User, name: str = "", expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token; returns it with its raw key, which is never stored and cannot be shown again."""
    name = nfc(" ".join((name or "").split()))
    if len(name) > MAX_TOKEN_NAME:
        raise EgovError(
            AccountsErrorCode.INVALID_TOKEN_NAME,
            _("A token name has at most %(max)d characters."),
            field="name",
            params={"max": MAX_TOKEN_NAME},
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise EgovError(AccountsErrorCode.INVALID_EXPIRY, _("The expiry must be in the future."), field="expires_at")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=key[:TOKEN_KEY_PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires_at=expires_at,
    )
    audit_record(actor=actor, action="accounts.api_token_issue", target=token, after=_token_snapshot(token))
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor | None, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise EgovError(AccountsErrorCode.TOKEN_ALREADY_REVOKED, _("This token is already revoked."))
    before = _token_snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, action="accounts.api_token_revoke", target=token, before=before, after=_token_snapshot(token)
    )
    return token


@transaction.atomic
def api_token_revoke_for_user(*, actor: Actor, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens; another person's token is 'not found'."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound(AccountsErrorCode.TOKEN_NOT_FOUND, _("No such token."))
    return api_token_revoke(actor=actor, token=token)


def api_token_mark_used(*, token: ApiToken, now: datetime | None = None) -> None:
    """Bookkeeping, not audited: record use at most once a minute so reads stay cheap."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
