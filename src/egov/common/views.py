"""Operator endpoints: /healthz (public, JSON) and /metrics (Prometheus text, not public)."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

import egov
from egov.common.errors import CommonErrorCode, both_languages

_LOOPBACK = {"127.0.0.1", "::1"}


@never_cache
@require_GET
@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "degraded",
            "database": database,
            "database_vendor": connection.vendor,
            "version": egov.__version__,
        },
        status=200 if healthy else 503,
    )


def _may_read_metrics(request: HttpRequest) -> bool:
    token = settings.EGOV_METRICS_TOKEN
    auth = request.headers.get("Authorization", "")
    if token and auth.startswith("Bearer ") and hmac.compare_digest(auth[7:], token):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_superuser:
        return True
    forwarded = request.headers.get("X-Forwarded-For")
    return not forwarded and request.META.get("REMOTE_ADDR") in _LOOPBACK


@never_cache
@require_GET
@login_not_required
def metrics(request: HttpRequest) -> HttpResponse:
    if not _may_read_metrics(request):
        return HttpResponse(status=404)
    return HttpResponse(generate_latest(), content_type=CONTENT_TYPE_LATEST)


def _api_error(request: HttpRequest, status: int, code: str, message: Any) -> HttpResponse | None:
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse(
        {"code": code, "message": str(message), "messages": both_languages(message)},
        status=status,
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_error(request, 404, CommonErrorCode.NOT_FOUND, _("Not found."))
    return api or render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    api = _api_error(request, 500, CommonErrorCode.SERVER_ERROR, _("The server could not complete the request."))
    return api or render(request, "500.html", status=500)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    api = _api_error(request, 403, CommonErrorCode.PERMISSION_DENIED, _("You are not allowed to do this."))
    return api or render(request, "403.html", status=403)
