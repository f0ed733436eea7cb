"""`notifications_unread` in every template: the user's unread count, queried only when used."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from egov.notifications.selectors import unread_count


class _Unread:
    def __init__(self, user: Any) -> None:
        self.user = user
        self.value: int | None = None

    def __call__(self) -> int:  # the template engine calls it on first use
        if self.value is None:
            self.value = unread_count(user=self.user)
        return self.value


def unread(request: HttpRequest) -> dict[str, Any]:
    return {"notifications_unread": _Unread(getattr(request, "user", None))}
