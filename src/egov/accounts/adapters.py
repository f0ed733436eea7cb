"""allauth adapters: local accounts and the VNeID single sign-on seam (see `oidc.py`)."""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from egov.accounts import oidc
from egov.accounts.models import UserKind
from egov.accounts.services import MAX_FULL_NAME, NATIONAL_ID_RE, clean_email
from egov.audit.services import audit_record
from egov.common.errors import EgovError
from egov.common.text import nfc

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Local sign-up is closed unless EGOV_LOCAL_SIGNUP: citizens come through VNeID, or are
        registered at a counter (`user_create_citizen`); staff are created by administrators."""
        return bool(getattr(settings, "EGOV_LOCAL_SIGNUP", False))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """django-axes decides lockouts (per username and address, kept in the database, shared by
        every process); ask it before allauth's own per-process rate limit, so that a locked-out
        person gets the clear lockout page (429) rather than a form error."""
        if not AxesProxyHandler.is_allowed(request, {"username": credentials.get("username", "")}):
            request.axes_locked_out = True  # type: ignore[attr-defined]  # AxesMiddleware answers
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Activating the authenticator app within a few minutes of a password login needs no
        second password prompt: that is exactly where staff are sent right after logging in."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if app != "allauth.mfa" or request is None or request.path != reverse("mfa_activate_totp"):
            return True
        now = time.time()
        recent = [
            record
            for record in get_authentication_records(request, request.user)
            if record.get("method") == "password"
            and now - float(record.get("at", 0)) < account_settings.REAUTHENTICATION_TIMEOUT
        ]
        return not recent


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request: HttpRequest, provider: str, client_id: str | None = None) -> Any:
        instance = super().get_provider(request, provider, client_id=client_id)
        app = getattr(instance, "app", None)
        if (
            isinstance(instance, OpenIDConnectProvider)
            and not isinstance(instance, oidc.VNeIDProvider)
            and app is not None
            and app.provider_id == oidc.VNEID_PROVIDER_ID
        ):
            return oidc.VNeIDProvider(request, app=app)
        return instance

    def get_requests_session(self) -> Any:
        session = super().get_requests_session()
        session.hooks["response"].append(oidc.capture_id_token)
        return session

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # a person proven by the national identity may always have an account

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return True  # the username is derived from `sub`; e-mail plays no part in identity

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        if sociallogin.account.provider != oidc.VNEID_PROVIDER_ID:
            return
        expected = (sociallogin.state or {}).get(oidc.NONCE_STATE_KEY)
        received = (sociallogin.account.extra_data or {}).get("id_token", {}).get("nonce")
        if not expected or received != expected:
            logger.warning("accounts.oidc_nonce_mismatch", extra={"provider": oidc.VNEID_PROVIDER_ID})
            raise OAuth2Error("The ID token nonce does not match the login request")

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        claims = _claims(sociallogin)
        user.kind = UserKind.CITIZEN
        user.username = oidc.username_for_sub(str(sociallogin.account.uid))
        user.full_name = nfc(" ".join(str(claims.get("name") or "").split()))[:MAX_FULL_NAME]
        user.email = _contact_email(claims.get("email"))  # contact only, never for linking
        national_id = str(claims.get(oidc.national_id_claim()) or "").strip()
        user.national_id = ""
        if NATIONAL_ID_RE.fullmatch(national_id):
            from egov.accounts.selectors import user_get_by_national_id

            if user_get_by_national_id(national_id=national_id) is None:
                user.national_id = national_id
            else:
                # Never link by anything but `sub`; the clash is for an administrator to resolve.
                logger.warning("accounts.oidc_national_id_taken", extra={"provider": oidc.VNEID_PROVIDER_ID})
        return user

    @transaction.atomic
    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        audit_record(
            actor=None,
            action="accounts.user_create",
            target=user,
            after={
                "username": user.username,
                "kind": user.kind,
                "full_name": user.full_name,
                "national_id": user.national_id,
                "email": user.email,
                "via": sociallogin.account.provider,
            },
        )
        return user


def _contact_email(value: Any) -> str:
    try:
        return clean_email(str(value or ""))
    except EgovError:
        return ""


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    extra = sociallogin.account.extra_data or {}
    merged: dict[str, Any] = {}
    merged.update(extra.get("id_token") or {})
    merged.update(extra.get("userinfo") or {})
    return merged
