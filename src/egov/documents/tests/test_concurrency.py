"""Numbering under concurrent clerks on PostgreSQL: gapless, never twice."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from egov.documents import services
from egov.documents.models import Direction

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer (BEGIN IMMEDIATE): row locks are tested on PostgreSQL only",
    ),
]


def test_concurrent_allocation_is_gapless(stttt) -> None:
    register = services.register_for(stttt.agency, Direction.OUTGOING, 2026)
    got: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def clerk(n: int) -> None:
        try:
            for i in range(10):
                try:
                    with transaction.atomic():
                        number = services.allocate_number(register)
                        if (n + i) % 7 == 0:
                            raise RuntimeError("rolled back")  # the number goes back
                    with lock:
                        got.append(number)
                except RuntimeError:
                    pass
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(got) == list(range(1, len(got) + 1))  # no gaps, no duplicates
    assert len(got) > 60
