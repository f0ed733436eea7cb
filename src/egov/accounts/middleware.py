"""Two-factor authentication is compulsory for staff (outside demo mode).

A signed-in staff member without a TOTP authenticator is sent to the TOTP activation page from
every page except the few they need to get there (MFA pages, re-authentication, logout), the
language switch, static files, health checks and the API (which has its own rule: no token for
staff without TOTP). It runs in `process_view`, after every middleware has prepared the request
(messages included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from egov.accounts import selectors
from egov.accounts.models import UserKind


def _exempt_prefixes() -> tuple[str, ...]:
    return (
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("set_language"),
        settings.STATIC_URL or "/static/",
        "/api/",
        "/healthz",
        "/metrics",
    )


class StaffTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if settings.EGOV_DEMO:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(user, "kind", None) != UserKind.STAFF:
            return None
        if request.path.startswith(_exempt_prefixes()):
            return None
        if selectors.user_has_totp(user=user):
            return None
        messages.warning(
            request,
            _("Staff accounts must use two-factor authentication. Set up an authenticator app to continue."),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
