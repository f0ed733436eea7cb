"""Dossier-code allocation under concurrent officers: codes per second when T threads (one
connection each) receive at the same unit on the same day — every allocation locks the day's
counter row (SELECT … FOR UPDATE) — against a plain insert baseline (no lock, no contention)
in the same run, on PostgreSQL (skipped with a message when unreachable). Checks that the codes
issued are exactly 1..N: no gaps, no duplicates. Each allocation is its own transaction, as a
reception is.

    EGOV_DEBUG=1 .venv/bin/python bench/bench_dossiers.py [N] [THREADS]
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 2000
THREADS = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 8
ROOT = Path(__file__).resolve().parents[1]
UNIT = "000.01.01.H54"


def run(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection, connections, transaction
    from django.test.utils import setup_databases, teardown_databases
    from django.utils import timezone

    from egov.dossiers.models import DossierCounter
    from egov.dossiers.services import allocate_code

    old = setup_databases(verbosity=0, interactive=False)
    try:
        now = timezone.now()
        day = timezone.localdate(now)

        def in_threads(work) -> float:  # type: ignore[no-untyped-def]
            share = [N // THREADS + (1 if t < N % THREADS else 0) for t in range(THREADS)]
            errors: list[BaseException] = []
            start = threading.Barrier(THREADS + 1)

            def worker(t: int) -> None:
                try:
                    start.wait()
                    for i in range(share[t]):
                        work(t, i)
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    connections.close_all()

            threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
            for thread in threads:
                thread.start()
            start.wait()
            began = time.perf_counter()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - began
            if errors:
                raise errors[0]
            return N / elapsed

        codes: list[str] = []
        lock = threading.Lock()

        def plain(t: int, i: int) -> None:
            with transaction.atomic():
                DossierCounter.objects.create(unit_code=f"B{t:02d}{i:07d}", day=day, last=1)

        def allocate(t: int, i: int) -> None:
            with transaction.atomic():
                code = allocate_code(UNIT, now)
            with lock:
                codes.append(code)

        baseline = in_threads(plain)
        allocated = in_threads(allocate)
        numbers = sorted(int(c.rsplit("-", 1)[1]) for c in codes)
        assert len(set(codes)) == len(codes) == N, "duplicate codes"
        assert numbers == list(range(1, N + 1)), "gaps in the sequence"
        assert DossierCounter.objects.get(unit_code=UNIT, day=day).last == N
        print(f"[{connection.vendor}] N={N} threads={THREADS}")
        print(f"  plain insert (baseline, no lock)     {baseline:9.0f} /s")
        print(f"  code allocation (one unit, one day)  {allocated:9.0f} /s  ratio {allocated / baseline:.2f}")
        print(f"  codes {codes and min(codes)} … {codes and max(codes)}: no gaps, no duplicates")
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if "--child" in sys.argv:
        run(sys.argv[sys.argv.index("--child") + 1])
        sys.exit(0)
    pg = os.environ.get("EGOV_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/egov_bench_dossiers")
    ready = subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_ready.py"), pg], capture_output=True)
    if ready.returncode != 0:
        print("PostgreSQL not reachable: the concurrency benchmark needs it (SQLite serialises writers); skipped")
        sys.exit(0)
    subprocess.run([sys.executable, __file__, str(N), str(THREADS), "--child", pg], check=True)
