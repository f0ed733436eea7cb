"""Catalogue search latency with 10,000 procedures (the demo catalogue multiplied), next to a
plain indexed lookup by provincial code as the baseline, on SQLite (a temporary file) and, when
reachable, PostgreSQL. Each figure is the median of R runs of one request's worth of work: the
count plus the first page of 50, as the API does.

    EGOV_DEBUG=1 .venv/bin/python bench/bench_procedures.py [N] [R]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 10000
R = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 30
ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["dang ky kinh doanh", "giấy phép", "Cấp lại giấy phép bưu chính", "khai sinh", "zzz không có"]


def run_one(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "egov.config.settings.test"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    from egov.orgs.demo import seed_thai_binh
    from egov.procedures import demo, selectors
    from egov.procedures.models import Procedure, ProcedureVersion, VersionAgency

    old = setup_databases(verbosity=0, interactive=False)
    try:
        seed_thai_binh(actor=None)
        demo.seed_procedures(actor=None)
        templates = list(ProcedureVersion.objects.filter(effective_to__isnull=True).prefetch_related("agency_roles"))
        started = time.perf_counter()
        procedures = Procedure.objects.bulk_create(Procedure(code=f"3.{i:06d}") for i in range(N - len(templates)))
        versions = []
        for i, procedure in enumerate(procedures):
            t = templates[i % len(templates)]
            versions.append(
                ProcedureVersion(
                    procedure=procedure,
                    number=1,
                    status=t.status,
                    effective_from=t.effective_from,
                    instance_code=f"{procedure.code}.000.00.00.H54",
                    name_vi=f"{t.name_vi} (bản {i})",
                    name_en=t.name_en,
                    field_id=t.field_id,
                    level=t.level,
                    subjects=t.subjects,
                    service_level_id=t.service_level_id,
                    eform_schema=t.eform_schema,
                    search_text=t.search_text.replace(t.procedure.code, procedure.code) + f" ban {i}",
                )
            )
        versions = ProcedureVersion.objects.bulk_create(versions, batch_size=1000)
        VersionAgency.objects.bulk_create(
            (
                VersionAgency(version=v, agency_id=a.agency_id, role=a.role, order=a.order)
                for i, v in enumerate(versions)
                for a in templates[i % len(templates)].agency_roles.all()
            ),
            batch_size=2000,
        )
        load = time.perf_counter() - started
        total = ProcedureVersion.objects.count()

        def timed(fn) -> float:  # type: ignore[no-untyped-def]
            samples = []
            for _ in range(R):
                t0 = time.perf_counter()
                fn()
                samples.append((time.perf_counter() - t0) * 1000)
            return statistics.median(samples)

        def page(**kwargs):  # type: ignore[no-untyped-def]
            def run() -> None:
                qs = selectors.procedure_search(**kwargs)
                qs.count()
                list(qs[:50])

            return run

        baseline = timed(lambda: list(ProcedureVersion.objects.filter(instance_code="3.004321.000.00.00.H54")))
        print(f"[{connection.vendor}] {total} versions (bulk load {load:.1f} s), median of {R}")
        print(f"  baseline: indexed lookup by provincial code  {baseline:8.2f} ms")
        for query in QUERIES:
            ms = timed(page(search=query))
            print(f"  search {query!r:32} {ms:8.2f} ms  ×{ms / baseline:6.1f}")
        for label, kwargs in (
            ("agency filter 000.00.11.H54", {"agency": "000.00.11.H54"}),
            ("field + level + service level", {"field": "TTTT-XUATBAN", "level": "province", "service_level": "full"}),
            ("search + agency", {"search": "giay phep", "agency": "000.00.11.H54"}),
        ):
            ms = timed(page(**kwargs))
            print(f"  {label:39} {ms:8.2f} ms  ×{ms / baseline:6.1f}")
        ms = timed(lambda: selectors.procedure_version_in_force("1.001612"))
        print(f"  procedure_version_in_force (with details)   {ms:8.2f} ms")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[3] == "--child":
        run_one(sys.argv[4])
        sys.exit(0)
    with tempfile.TemporaryDirectory(prefix="egov-bench-procedures-") as tmp:
        targets = [f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"]
        pg = os.environ.get("EGOV_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/egov_bench_procedures")
        if (
            subprocess.run([sys.executable, str(ROOT / "scripts" / "pg_ready.py"), pg], capture_output=True).returncode
            == 0
        ):
            targets.append(pg)
        else:
            print("PostgreSQL not reachable: SQLite only")
        for url in targets:  # one process per database: Django is configured once per process
            subprocess.run([sys.executable, __file__, str(N), str(R), "--child", url], check=True)
