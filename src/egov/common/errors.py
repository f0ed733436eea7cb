"""Errors with a stable code and a message in Vietnamese and English.

Every app defines an error-code enum whose values are stable strings, and raises
`EgovError(code, message)` where `message` is a lazy English msgid translated to Vietnamese in
the app's `locale/vi` catalogue. The API turns it into
``{"code": ..., "message": <active language>, "messages": {"vi": ..., "en": ...}}``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.functional import Promise


class ErrorCode(enum.StrEnum):
    """Base for the per-app enums (subclass it; values are `<app>.<what>`)."""


class CommonErrorCode(ErrorCode):
    INVALID_INPUT = "common.invalid_input"
    NOT_FOUND = "common.not_found"
    NOT_AUTHENTICATED = "common.not_authenticated"
    PERMISSION_DENIED = "common.permission_denied"
    THROTTLED = "common.throttled"
    UPLOAD_TOO_LARGE = "common.upload_too_large"
    METHOD_NOT_ALLOWED = "common.method_not_allowed"
    SERVER_ERROR = "common.server_error"


def both_languages(message: str | Promise, params: Mapping[str, Any] | None = None) -> dict[str, str]:
    out: dict[str, str] = {}
    for lang in ("vi", "en"):
        with translation.override(lang):
            text = str(message)
            out[lang] = text % params if params else text
    return out


class EgovError(Exception):
    """A refused operation. Raised by services; nothing has changed when it is raised."""

    status_code = 400

    def __init__(
        self,
        code: ErrorCode,
        message: str | Promise,
        *,
        field: str | None = None,
        params: Mapping[str, Any] | None = None,
        status_code: int | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.field = field
        self.params = dict(params or {})
        if status_code is not None:
            self.status_code = status_code
        super().__init__(f"{code}: {self.messages['en']}")

    @property
    def messages(self) -> dict[str, str]:
        return both_languages(self.message, self.params)

    def localized(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": str(self.code), "message": self.localized(), "messages": self.messages}
        if self.field:
            body["field"] = self.field
        return body


class NotFound(EgovError):
    status_code = 404


class PermissionDenied(EgovError):
    status_code = 403
