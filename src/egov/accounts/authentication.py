"""DRF authentication by API token: ``Authorization: Bearer <key>`` (or ``Token <key>``).

An unknown, revoked or expired key, or one whose owner is deactivated, is refused with 401 —
never silently treated as anonymous, so a program learns at once that its key stopped working.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from egov.accounts import selectors, services
from egov.accounts.models import ApiToken, User

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    www_authenticate_realm = "api"

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Bearer <key>'."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API token is not valid.")) from None
        token = selectors.api_token_get_by_key(key=key)
        if token is None or not token.is_usable() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        services.api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'Bearer realm="{self.www_authenticate_realm}"'


class ApiTokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "egov.accounts.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Khóa API lấy từ POST /api/v1/auth/token/ / API key from POST /api/v1/auth/token/",
        }
