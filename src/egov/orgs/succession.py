"""Handing open work to a successor agency (mergers, splits, renamings).

`orgs` sits below the apps that own open work (documents, dossiers), so it cannot reach into
them. Instead each such app registers a handler in its `AppConfig.ready()`:

    from egov.orgs.succession import register_handler
    register_handler("dossiers.transfer_open", transfer_open_dossiers)

`agency_close(..., successor=...)` calls every handler, in registration order, inside its own
transaction: ``handler(old_agency, new_agency, on_date, actor)`` where ``on_date`` is the first
day the successor answers for the closed agency (the day after ``valid_to``). A handler that
raises rolls the whole close back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from egov.orgs.models import Agency

SuccessionHandler = Callable[["Agency", "Agency", datetime.date, Any], None]

_handlers: dict[str, SuccessionHandler] = {}


def register_handler(name: str, handler: SuccessionHandler) -> None:
    """Register (or replace) the handler called `name`; registering twice is harmless."""
    _handlers[name] = handler


def unregister_handler(name: str) -> None:
    _handlers.pop(name, None)


def registered_handlers() -> list[str]:
    return list(_handlers)


def run_handlers(old: Agency, new: Agency, on_date: datetime.date, actor: Any) -> list[str]:
    """Run every handler; returns their names (for the audit record)."""
    names = []
    for name, handler in list(_handlers.items()):
        handler(old, new, on_date, actor)
        names.append(name)
    return names
