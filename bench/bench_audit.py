"""What does the hash chain cost? Audited writes per second against the same write without the
audit record, in one process and one run (the baseline), on SQLite and, when reachable,
PostgreSQL. Each write is its own transaction, as a service call is.

    EGOV_DEBUG=1 .venv/bin/python bench/bench_audit.py [N]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
ROOT = Path(__file__).resolve().parents[1]


def run_one(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test.utils import setup_databases, teardown_databases

    from egov.audit.models import AuditRecord
    from egov.audit.services import audit_record, audit_verify

    old = setup_databases(verbosity=0, interactive=False)
    try:
        users = get_user_model()

        def plain(i: int) -> None:
            with transaction.atomic():
                users.objects.filter(pk=1).update(full_name=f"Nguyễn Văn {i}")

        def audited(i: int) -> None:
            with transaction.atomic():
                users.objects.filter(pk=1).update(full_name=f"Nguyễn Văn {i}")
                audit_record(
                    actor=None,
                    action="bench.user_rename",
                    object_type="accounts.user",
                    object_id="1",
                    before={"full_name": f"Nguyễn Văn {i - 1}"},
                    after={"full_name": f"Nguyễn Văn {i}"},
                    agency_code="000.00.11.H54",
                )

        users.objects.create(pk=1, username="bench", full_name="Nguyễn Văn 0")
        rates = {}
        for name, fn in (("plain write", plain), ("audited write", audited), ("plain write (again)", plain)):
            started = time.perf_counter()
            for i in range(1, N + 1):
                fn(i)
            rates[name] = N / (time.perf_counter() - started)
        started = time.perf_counter()
        count, problem = audit_verify()
        verify_rate = count / (time.perf_counter() - started)
        assert problem is None and count == AuditRecord.objects.count() == N
        baseline = (rates["plain write"] + rates["plain write (again)"]) / 2
        print(f"[{connection.vendor}] N={N}")
        print(f"  plain write (baseline, mean of 2)  {baseline:9.0f} /s")
        print(
            f"  audited write (+ chained record)   {rates['audited write']:9.0f} /s  ratio {rates['audited write'] / baseline:.2f}"
        )
        print(f"  audit verify                        {verify_rate:9.0f} records/s")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[2] == "--child":
        run_one(sys.argv[3])
        sys.exit(0)
    with tempfile.TemporaryDirectory(prefix="egov-bench-audit-") as tmp:
        targets = [f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        pg = os.environ.get("EGOV_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/egov_bench")
        if (
            subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_ready.py"), pg], capture_output=True).returncode
            == 0
        ):
            targets.append(pg)
        else:
            print("PostgreSQL not reachable: SQLite only")
        for url in targets:  # one process per database: Django is configured once per process
            subprocess.run([sys.executable, __file__, str(N), "--child", url], check=True)
