"""Full dossier lifecycles through the services, on an empty database and then with BENCH_DOSSIERS
dossiers loaded (the empty run is the baseline: same process, same run); and the statistics query
over a month, a quarter and a year of the loaded table, next to a plain COUNT(*) of it.

A lifecycle is 8 service calls, each its own transaction as in production: submit (online by a
citizen, or at the counter by the one-stop officer) → receive (online) or transfer (counter) →
assign → start appraisal → submit to the leader → approve → issue the result (a prepared PDF;
the bench database has no organisation certificate, so it is not sealed) → return. Four variants
in turn: online and counter, at the provincial centre (press conference, Sở TTTT) and at Đông Hưng
(household business). DEBUG is switched off for the timings (no query log), as in production.

The load does NOT go through the services (see bench/dossier_loader.py): generated rows are
written with executemany (SQLite) or COPY (PostgreSQL), with their history and code counters.

The database follows DATABASE_URL: PostgreSQL → the bench's own database `egov_bench` on that
server (dropped and created); otherwise SQLite in /tmp/egov-bench-lifecycle.sqlite3 (recreated).
BENCH_DATABASE_URL overrides both. Sizes: BENCH_DOSSIERS (default 20,000; the issue asks for
1,000,000), BENCH_LIFECYCLES (default 100 per phase), BENCH_WORKERS (default: the cores).
BENCH_TASKS: `database` (default, as in production: a transition queues its applicant notice as one
task row for `egov worker`, whose work is not timed) or `inline` (the notices are made in the calls).

    EGOV_DEBUG=1 .venv/bin/python bench/bench_dossiers_lifecycle.py
    BENCH_DOSSIERS=1000000 DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov EGOV_DEBUG=1 \\
        .venv/bin/python bench/bench_dossiers_lifecycle.py
"""

from __future__ import annotations

import datetime
import importlib
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SIZE = int(os.environ.get("BENCH_DOSSIERS", "20000"))
LIFECYCLES = int(os.environ.get("BENCH_LIFECYCLES", "100"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))
# "database" (production: a transition queues its applicant notice as one task row for `egov worker`,
# whose work is not in the timings) or "inline" (the notices are made inside the timed calls)
TASKS_MODE = os.environ.get("BENCH_TASKS", "database")
ANCHOR = 6.0  # lifecycles/s at 1M records on 16 vCPU, the best published figure (anchors.md §1)
ANCHOR_CPUS = 16
SQLITE_FILE = "/tmp/egov-bench-lifecycle.sqlite3"  # noqa: S108 (a scratch database)


def _database_url() -> str:
    explicit = os.environ.get("BENCH_DATABASE_URL", "")
    if explicit:
        return explicit
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "/egov_bench", "", ""))
    return f"sqlite:///{SQLITE_FILE}"


os.environ["DATABASE_URL"] = _database_url()
os.environ["DJANGO_SETTINGS_MODULE"] = "egov.config.settings.test"
os.environ.setdefault("EGOV_LOG_LEVEL", "ERROR")
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import django  # noqa: E402

PRESS = "1.004237"  # Sở TTTT, 3 working days, at the provincial centre
HOUSEHOLD = "1.001612"  # UBND huyện, 3 working days, at the district one-stop unit
CENTRE = "000.01.01.H54"
DONG_HUNG = "000.01.24.H54"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# (channel, procedure, centre, officer, leader, specialist, clerk)
VARIANTS = [
    ("online", PRESS, CENTRE, "motcua.ttpvhcc", "lanhdao.stttt", "chuyenvien.stttt", "vanthu.stttt"),
    ("counter", PRESS, CENTRE, "motcua.ttpvhcc", "lanhdao.stttt", "chuyenvien.stttt", "vanthu.stttt"),
    ("online", HOUSEHOLD, DONG_HUNG, "motcua.donghung", "lanhdao.donghung", "chuyenvien.donghung", "vanthu.donghung"),
    ("counter", HOUSEHOLD, DONG_HUNG, "motcua.donghung", "lanhdao.donghung", "chuyenvien.donghung", "vanthu.donghung"),
]


def _recreate() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        import psycopg

        settings = connection.settings_dict
        with psycopg.connect(host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
                             password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True) as admin:  # fmt: skip
            admin.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    else:
        name = str(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)


def _world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from egov.accounts import services as accounts
    from egov.orgs.demo import seed_demo_staff, seed_thai_binh
    from egov.procedures import demo as procedures_demo

    seed_thai_binh(actor=None)
    seed_demo_staff(password="Bench@2026-lifecycle", actor=None)
    procedures_demo.seed_procedures(actor=None)
    for n in range(1, 21):
        accounts.user_create_citizen(actor=None, username=f"bench.congdan.{n:02d}", full_name=f"Nguyễn Văn Thử {n}",
                                     national_id=f"03409099{n:04d}", phone="0912345678")  # fmt: skip
    return {u.username: u for u in get_user_model().objects.all()}


class Lifecycles:
    def __init__(self, people: dict[str, Any]) -> None:
        from egov.dossiers.services import Applicant, FileInput

        self.people = people
        self.citizens = [u for name, u in sorted(people.items()) if name.startswith("bench.congdan.")]
        self.Applicant, self.FileInput = Applicant, FileInput
        self.times: dict[str, list[float]] = {}
        self.count = 0

    def _timed(self, name: str, call: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        result = call(**kwargs)
        self.times.setdefault(name, []).append(time.perf_counter() - began)
        return result

    def one(self, phase: str, i: int) -> None:
        from egov.dossiers import services

        channel, procedure, centre, officer, leader, specialist, clerk = VARIANTS[i % len(VARIANTS)]
        p = self.people
        eform: dict[str, Any]
        if procedure == PRESS:
            eform = {"ho_ten": "Nguyễn Văn Thử", "so_dinh_danh": "034090991234", "dien_thoai": "0912345678",
                     "noi_dung_de_nghi": "Họp báo giới thiệu sản phẩm"}  # fmt: skip
            components = ["TP01", "TP02"]
        else:
            eform = {"ho_ten": "Nguyễn Văn Thử", "so_dinh_danh": "034090991234", "dien_thoai": "0912345678",
                     "ten_ho_kinh_doanh": "Tạp hóa Thử", "nganh_nghe": "Bán lẻ", "von_kinh_doanh": 50_000_000}  # fmt: skip
            components = ["TP01"]
        files = [self.FileInput(f"{procedure}-{c}", f"{c.lower()}.pdf", PDF) for c in components]
        online = channel == "online"
        actor = self.citizens[i % len(self.citizens)] if online else p[officer]
        d, _created = self._timed(
            f"submit ({channel})", services.dossier_submit, actor=actor, procedure=procedure, channel=channel,
            eform=eform, files=files, centre=centre, applicant=None if online else self.Applicant(name="Nguyễn Văn Thử"),
            idempotency_key=f"bench-{phase}-{i}" if online else "",
        )  # fmt: skip
        code = d.code
        act = services.dossier_act
        self._timed("receive (+auto transfer)" if online else "transfer", act, actor=p[officer], code=code,
                    action="receive" if online else "transfer")  # fmt: skip
        self._timed("assign", act, actor=p[leader], code=code, action="assign", assignee=p[specialist])
        self._timed("start_appraisal", act, actor=p[specialist], code=code, action="start_appraisal")
        self._timed("submit_to_leader", act, actor=p[specialist], code=code, action="submit_to_leader")
        self._timed("approve", act, actor=p[leader], code=code, action="approve")
        self._timed("issue_result", act, actor=p[clerk], code=code, action="issue_result",
                    result=self.FileInput("", "ket-qua.pdf", PDF))  # fmt: skip
        d = self._timed("return_result", act, actor=p[officer], code=code, action="return_result")
        assert d.status == "returned", d.status
        self.count += 1

    def run(self, phase: str, n: int) -> float:
        for i in range(min(8, n)):  # warm-up, not timed
            self.one(f"{phase}-warm", i)
        self.times = {}
        began = time.perf_counter()
        for i in range(n):
            self.one(phase, i)
        return n / (time.perf_counter() - began)


def _parallel(people: dict[str, Any], phase: str, n: int, workers: int) -> float:
    """Lifecycles/s with `workers` processes (forked, one connection each) sharing `n` lifecycles."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(workers + 1)

    def work(worker: int) -> None:
        lifecycles = Lifecycles(people)
        for i in range(4):  # warm-up
            lifecycles.one(f"{phase}-p{worker}-warm", worker + workers * i)
        barrier.wait()
        for i in range(worker, n, workers):
            lifecycles.one(f"{phase}-p{worker}", i)
        connections.close_all()

    processes = [context.Process(target=work, args=(w,)) for w in range(workers)]
    for process in processes:
        process.start()
    barrier.wait()
    began = time.perf_counter()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - began
    if any(p.exitcode for p in processes):
        raise RuntimeError("a worker process failed")
    return n / elapsed


def _statistics() -> Any:
    for module in ("egov.dossiers.statistics", "egov.dossiers.selectors"):
        try:
            found = getattr(importlib.import_module(module), "dossier_statistics", None)
        except ImportError:
            continue
        if found is not None:
            return found, module
    raise RuntimeError("no dossier_statistics")


def _periods(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    quarter_end = today.replace(month=quarter_start_month, day=1) - datetime.timedelta(days=1)
    quarter_start = quarter_end.replace(month=quarter_end.month - 2, day=1)
    year = today.year - 1
    return [
        (f"month   {month_end:%m/%Y}", month_end.replace(day=1), month_end),
        (f"quarter Q{(quarter_end.month - 1) // 3 + 1}/{quarter_end.year}", quarter_start, quarter_end),
        (f"year    {year}", datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
    ]


def _time(call: Any, runs: int = 3) -> tuple[float, float, Any]:
    """(first, best) seconds of `runs` calls, and the last result."""
    spent, result = [], None
    for _i in range(runs):
        began = time.perf_counter()
        result = call()
        spent.append(time.perf_counter() - began)
    return spent[0], min(spent), result


def _print_actions(lifecycles: Lifecycles) -> None:
    for name, values in lifecycles.times.items():
        print(
            f"      {name:26} {1000 * statistics.mean(values):7.1f} ms  (median {1000 * statistics.median(values):.1f})"
        )


def main() -> None:
    began = time.perf_counter()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dossier_loader import Loader
    from egov.dossiers.models import Dossier, DossierEvent

    _recreate()
    call_command("migrate", verbosity=0)
    settings.DEBUG = False  # no query log during the timings
    if TASKS_MODE == "database":
        from django.test.utils import override_settings

        override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}).enable()
    people = _world()
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    cores = os.cpu_count() or 1
    load = os.getloadavg()
    print(f"[{connection.vendor} {version}] {connection.settings_dict['NAME']}")
    print(f"  machine: {cores} cores (shared: load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start), "
          f"Python {sys.version.split()[0]}, Django {django.get_version()}")  # fmt: skip
    print(f"  lifecycles per phase: {LIFECYCLES} (8 service calls each); dossiers loaded: {SIZE:,}; DEBUG off; "
          + ("background tasks queued in the database as in production (the worker's work is not timed)"
             if TASKS_MODE == "database" else "background tasks inline (the 2 applicant notices are timed)"))  # fmt: skip

    lifecycles = Lifecycles(people)
    empty = lifecycles.run("empty", LIFECYCLES)
    print(f"  empty database ({Dossier.objects.count():,} dossiers after the run): {empty:7.1f} lifecycles/s "
          f"({8 * empty:.0f} service calls/s)")  # fmt: skip
    _print_actions(lifecycles)
    empty_parallel = _parallel(people, "empty", LIFECYCLES, WORKERS) if WORKERS > 1 else empty
    if WORKERS > 1:
        print(f"    {WORKERS} processes: {empty_parallel:7.1f} lifecycles/s")

    loader = Loader(now=timezone.now())
    step = max(SIZE // 10, 1)
    marks = [0]

    def progress(report: Any, seconds: float) -> None:
        if report.dossiers - marks[0] >= step:
            marks[0] = report.dossiers
            print(f"    … {report.dossiers:,} dossiers, {report.events:,} events in {seconds:.0f} s", flush=True)

    print(f"  loading {SIZE:,} dossiers (NOT through the services: generated rows, "
          f"{'COPY' if connection.vendor == 'postgresql' else 'executemany'}, with events, apologies, counters)")  # fmt: skip
    report = loader.load(SIZE, progress=progress)
    print(f"    loaded {report.dossiers:,} dossiers, {report.events:,} events, {report.apologies:,} apologies, "
          f"{report.counters:,} counters in {report.seconds:.0f} s ({report.dossiers / report.seconds:,.0f} dossiers/s, "
          f"ANALYZE included)")  # fmt: skip
    top = ", ".join(f"{k} {v / report.dossiers:.1%}" for k, v in report.statuses.most_common(8))
    print(f"    states: {top}")

    loaded = lifecycles.run("loaded", LIFECYCLES)
    total = Dossier.objects.count()
    print(f"  with {total:,} dossiers ({DossierEvent.objects.count():,} events): {loaded:7.1f} lifecycles/s "
          f"({8 * loaded:.0f} service calls/s)")  # fmt: skip
    _print_actions(lifecycles)
    loaded_parallel = _parallel(people, "loaded", LIFECYCLES, WORKERS) if WORKERS > 1 else loaded
    if WORKERS > 1:
        print(f"    {WORKERS} processes: {loaded_parallel:7.1f} lifecycles/s")
    print(f"  ratio loaded / empty: {loaded / empty:.2f} (one process), {loaded_parallel / empty_parallel:.2f} "
          f"({WORKERS} processes)")  # fmt: skip
    best = max(loaded, loaded_parallel)
    per_core = best / cores
    print(f"  anchor: ~{ANCHOR:.0f} lifecycles/s at 1M records on {ANCHOR_CPUS} vCPU ({ANCHOR / ANCHOR_CPUS:.2f}/s per "
          f"vCPU); here {best:.1f}/s at {total:,} on {cores} cores ({per_core:.1f}/s per core): "
          f"{best / ANCHOR:.1f}× the anchor, {per_core / (ANCHOR / ANCHOR_CPUS):.0f}× per core")  # fmt: skip

    dossier_statistics, module = _statistics()
    first, best, rows = _time(lambda: Dossier.objects.count())
    print(f"  statistics ({module}.dossier_statistics) on {total:,} dossiers; baseline COUNT(*): "
          f"first {1000 * first:.0f} ms, best {1000 * best:.0f} ms")  # fmt: skip
    now = timezone.now()
    for label, date_from, date_to in _periods(timezone.localdate()):
        first, best, counts = _time(lambda f=date_from, t=date_to: dossier_statistics(date_from=f, date_to=t, now=now))
        print(f"    {label:16} first {1000 * first:6.0f} ms, best {1000 * best:6.0f} ms  ({best / max(rows, 1) * 1e6:.2f} µs/row; "
              f"received {counts['received']:,}, finished {counts['finished']:,}, "
              f"on time {counts['early_or_on_time_percent']} %)")  # fmt: skip
    print(f"  elapsed {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
