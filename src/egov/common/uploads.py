"""Request size limits: a request whose body is larger than EGOV_MAX_UPLOAD_BYTES is refused
with 413 before any of it is read, with the error in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from egov.common.errors import CommonErrorCode, both_languages

TOO_LARGE = _("The upload is larger than allowed (%(limit_mb)s MB).")


def _too_large_response(request: HttpRequest) -> HttpResponse:
    params = {"limit_mb": settings.EGOV_MAX_UPLOAD_BYTES // (1024 * 1024)}
    messages = both_languages(TOO_LARGE, params)
    body = {
        "code": str(CommonErrorCode.UPLOAD_TOO_LARGE),
        "message": str(TOO_LARGE) % params,
        "messages": messages,
    }
    if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        return JsonResponse(body, status=413)
    text = f"{messages['vi']}\n{messages['en']}\n"
    return HttpResponse(text, status=413, content_type="text/plain; charset=utf-8")


class UploadLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EGOV_MAX_UPLOAD_BYTES:
            return _too_large_response(request)
        return self.get_response(request)


class MaxSizeUploadHandler(FileUploadHandler):
    """Stops a streamed upload (no or false Content-Length) once it passes the limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.EGOV_MAX_UPLOAD_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> Any:
        return None
