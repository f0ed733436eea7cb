"""API plumbing shared by every app: the error body and pagination.

Error body (every non-2xx answer of /api/):
    {"code": "<stable code>", "message": "<in the request's language>",
     "messages": {"vi": "...", "en": "..."}, "field": "<optional>", "errors": {<field>: [...]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from egov.common.errors import CommonErrorCode, EgovError, both_languages

_DRF_MAP: list[tuple[type[exceptions.APIException], CommonErrorCode, Any]] = [
    (exceptions.NotAuthenticated, CommonErrorCode.NOT_AUTHENTICATED, _("Authentication is required.")),
    (exceptions.AuthenticationFailed, CommonErrorCode.NOT_AUTHENTICATED, _("The credentials are not valid.")),
    (exceptions.PermissionDenied, CommonErrorCode.PERMISSION_DENIED, _("You are not allowed to do this.")),
    (exceptions.NotFound, CommonErrorCode.NOT_FOUND, _("Not found.")),
    (exceptions.MethodNotAllowed, CommonErrorCode.METHOD_NOT_ALLOWED, _("This method is not allowed here.")),
    (exceptions.Throttled, CommonErrorCode.THROTTLED, _("Too many requests; try again later.")),
    (exceptions.ValidationError, CommonErrorCode.INVALID_INPUT, _("The input is not valid.")),
    (exceptions.ParseError, CommonErrorCode.INVALID_INPUT, _("The request body could not be parsed.")),
    (exceptions.UnsupportedMediaType, CommonErrorCode.INVALID_INPUT, _("This media type is not supported.")),
]


def error_body(code: str, message: Any, **extra: Any) -> dict[str, Any]:
    messages = both_languages(message)
    return {"code": code, "message": str(message), "messages": messages, **extra}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EgovError):
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            error_body(CommonErrorCode.UPLOAD_TOO_LARGE, _("The upload is larger than allowed.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if not isinstance(exc, exceptions.APIException):
        return None
    code, message = next(
        ((code, message) for kind, code, message in _DRF_MAP if isinstance(exc, kind)),
        (CommonErrorCode.SERVER_ERROR, _("The server could not complete the request.")),
    )
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        extra["errors"] = exc.detail
    response = Response(error_body(code, message, **extra), status=exc.status_code)
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait:
        response["Retry-After"] = str(int(wait))
    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        response["WWW-Authenticate"] = auth_header
    return response


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200
