"""Reads of the accounts context."""

from __future__ import annotations

import hmac

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from egov.accounts.models import ApiToken, User, UserKind
from egov.accounts.services import TOKEN_KEY_PREFIX_LENGTH, hash_key


def api_token_get_by_key(*, key: str) -> ApiToken | None:
    """The token with this raw key, whatever its state (the caller checks `is_usable`)."""
    if len(key) < TOKEN_KEY_PREFIX_LENGTH or len(key) > 200:
        return None
    digest = hash_key(key)
    for token in ApiToken.objects.select_related("user").filter(key_prefix=key[:TOKEN_KEY_PREFIX_LENGTH]):
        if hmac.compare_digest(token.key_hash, digest):
            return token
    return None


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def user_has_totp(*, user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_get_by_national_id(*, national_id: str) -> User | None:
    if not national_id:
        return None
    return User.objects.filter(national_id=national_id).first()


def staff_list(*, active_only: bool = True) -> QuerySet[User]:
    users = User.objects.filter(kind=UserKind.STAFF)
    return users.filter(is_active=True) if active_only else users
