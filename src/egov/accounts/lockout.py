"""What a locked-out login attempt gets (django-axes calls this; AXES_LOCKOUT_CALLABLE).

After too many failed logins for one username from one address, the login page answers 429
with a page in both languages, and the API answers with the usual error body.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from egov.accounts.errors import AccountsErrorCode
from egov.common.errors import EgovError

LOCKED_OUT_MESSAGE = _(
    "Too many failed login attempts. This account is locked for %(minutes)d minutes on this device; "
    "try again later or contact the administrator."
)


def cool_off_minutes() -> int:
    hours = getattr(settings, "AXES_COOLOFF_TIME", 0.25)
    try:
        return max(1, round(float(hours) * 60))
    except (TypeError, ValueError):
        return 15


def locked_out_error() -> EgovError:
    return EgovError(
        AccountsErrorCode.LOCKED_OUT, LOCKED_OUT_MESSAGE, params={"minutes": cool_off_minutes()}, status_code=429
    )


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    error = locked_out_error()
    minutes = cool_off_minutes()
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(error.as_dict(), status=429)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"message": error.localized(), "messages_both": error.messages, "minutes": minutes},
            status=429,
        )
    response["Retry-After"] = str(minutes * 60)
    return response
