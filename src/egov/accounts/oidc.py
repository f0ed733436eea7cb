"""The single sign-on seam to the national identity platform (VNeID through the national portal's SSO).

allauth's generic `openid_connect` provider does the OAuth 2.0 dance (state, PKCE S256). For the
national identity we ask for more than it does by default, per OpenID Connect Core 1.0 §3.1.3.7:

- a ``nonce`` is sent with the authorisation request, kept in the login state and must come back
  in the ID token (checked in `SocialAccountAdapter.pre_social_login`);
- the ID token's signature is always verified against the provider's JWKS, with an asymmetric
  algorithm only — allauth skips the signature when the token came straight from the token
  endpoint, which the specification allows but we do not rely on;
- the ``sub`` of the userinfo answer must be the ``sub`` of the ID token (§5.3.2);
- the e-mail address the provider gives is contact data only: it never links accounts.

The raw ID token is caught on its way back from the token endpoint by a response hook on the
HTTP session allauth asks our adapter for (`capture_id_token`).
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import jwt
import requests
from allauth.core import context
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.http import HttpRequest

VNEID_PROVIDER_ID = "vneid"
NONCE_STATE_KEY = "egov_nonce"
ID_TOKEN_REQUEST_ATTR = "_egov_oidc_id_token"  # noqa: S105 (an attribute name)
ALLOWED_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"})
DEFAULT_NATIONAL_ID_CLAIM = "national_id"


def national_id_claim() -> str:
    return str(getattr(settings, "EGOV_OIDC_NATIONAL_ID_CLAIM", DEFAULT_NATIONAL_ID_CLAIM))


def username_for_sub(sub: str) -> str:
    """A username that says where the account came from and leaks nothing about the person."""
    return f"{VNEID_PROVIDER_ID}-{hashlib.sha256(sub.encode('utf-8')).hexdigest()[:12]}"


def capture_id_token(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    """requests response hook: keep the raw ID token of a token-endpoint answer on the request."""
    if response.request.method != "POST":
        return
    request = context.request
    if request is None or "json" not in response.headers.get("content-type", ""):
        return
    try:
        body = response.json()
    except ValueError:
        return
    if isinstance(body, dict) and isinstance(body.get("id_token"), str):
        setattr(request, ID_TOKEN_REQUEST_ATTR, body["id_token"])


class VNeIDProvider(OpenIDConnectProvider):
    """`openid_connect` with the national identity's stricter checks (see the module docstring)."""

    def redirect(
        self, request: HttpRequest, process: Any, next_url: Any = None, data: Any = None, **kwargs: Any
    ) -> Any:
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params = {**auth_params, "nonce": nonce}
        kwargs[NONCE_STATE_KEY] = nonce
        return super().redirect(request, process, next_url, data, auth_params=auth_params, **kwargs)

    def extract_email_addresses(self, data: Any) -> list[Any]:
        return []  # contact data only; see populate_user in the adapter

    def extract_common_fields(self, data: Any) -> dict[str, Any]:
        fields: dict[str, Any] = super().extract_common_fields(data)
        fields.pop("email", None)  # else allauth would weigh it for linking and sign-up
        return fields

    def sociallogin_from_response(self, request: HttpRequest, response: dict[str, Any]) -> Any:
        raw = getattr(request, ID_TOKEN_REQUEST_ATTR, None)
        if not raw:
            raise OAuth2Error("The identity provider returned no ID token")
        claims = self.verify_id_token(request, raw)
        userinfo = response.get("userinfo")
        if userinfo is not None and str(userinfo.get("sub")) != str(claims["sub"]):
            raise OAuth2Error("The userinfo subject differs from the ID token subject")
        return super().sociallogin_from_response(request, {**response, "id_token": claims})

    def verify_id_token(self, request: HttpRequest, raw: str) -> dict[str, Any]:
        config = self.get_oauth2_adapter(request).openid_config
        try:
            header = jwt.get_unverified_header(raw)
            if header.get("alg") not in ALLOWED_ALGORITHMS:
                raise OAuth2Error(f"ID token algorithm not allowed: {header.get('alg')}")
            alg, key = jwtkit.fetch_key(raw, config["jwks_uri"], jwtkit.lookup_kid_jwk)
            claims: dict[str, Any] = jwt.decode(
                raw,
                key=key,
                algorithms=[alg],
                audience=self.app.client_id,
                issuer=config["issuer"],
                options={"require": ["iss", "aud", "sub", "exp"]},
            )
        except (jwt.PyJWTError, KeyError, requests.RequestException) as exc:
            raise OAuth2Error("Invalid ID token") from exc
        return claims
