"""Dossier codes under concurrent reception: gapless and duplicate-free (PostgreSQL only)."""

import threading

import pytest
import time_machine
from django.db import connection

from .conftest import CENTRE, PRESS, at, files_for, newsletter_eform, seed_world

THREADS = 6
PER_THREAD = 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_counter_receptions_get_consecutive_codes():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) need PostgreSQL; SQLite serialises every writer anyway")
    from egov.dossiers import services
    from egov.dossiers.models import Dossier

    with time_machine.travel(at(2025, 3, 3, 8), tick=False):
        users = seed_world()
        officer = users["motcua.ttpvhcc"]
        barrier = threading.Barrier(THREADS)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                barrier.wait()
                for _ in range(PER_THREAD):
                    services.dossier_submit(actor=officer, procedure=PRESS, channel="counter",
                                            eform=newsletter_eform(), files=files_for(PRESS))  # fmt: skip
            except BaseException as exc:
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    codes = sorted(Dossier.objects.values_list("code", flat=True))
    assert codes == [f"{CENTRE}-250303-{n:04d}" for n in range(1, THREADS * PER_THREAD + 1)]
