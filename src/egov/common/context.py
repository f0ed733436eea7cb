"""Per-request context (request id) carried in a contextvar, so logs and audit records made
deep inside a service can name the request that caused them without passing it around."""

from __future__ import annotations

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("egov_request_id", default="")

_VALID_INCOMING = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def new_request_id(incoming: str | None = None) -> str:
    """Keep a well-formed id from a trusted proxy (X-Request-ID), otherwise make one."""
    if incoming and _VALID_INCOMING.match(incoming):
        return incoming
    return uuid.uuid4().hex


def get_request_id() -> str:
    return _request_id.get()


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)
