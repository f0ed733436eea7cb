"""Root pytest configuration: browser tests run Debian's Chromium through Playwright."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the test
# itself (to arrange data beside a live_server) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


# Code lists that data migrations seed. A transactional test (live_server, threads) ends with a
# flush that empties them; the next transactional test puts them back before it starts.
SEEDED_BY_MIGRATIONS = [
    ("orgs", "Level1Code", "egov.orgs.migrations.0002_seed_level1_codes", "seed"),
    ("documents", "DocumentType", "egov.documents.migrations.0002_seed_document_types", "seed"),
    ("procedures", "ServiceLevelScheme", "egov.procedures.migrations.0002_service_level_schemes", "forwards"),
    ("dossiers", "ClockRule", "egov.dossiers.migrations.0002_seed_clock_rule_2018", "seed"),
]


@pytest.fixture(autouse=True)
def _reseed_code_lists_for_transactional_tests(request):
    marker = request.node.get_closest_marker("django_db")
    marked_transactional = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    if not marked_transactional and not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    import importlib

    from django.apps import apps

    if not marked_transactional:
        request.getfixturevalue("transactional_db")
    for app_label, model_name, module, function in SEEDED_BY_MIGRATIONS:
        if not apps.get_model(app_label, model_name).objects.exists():
            getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def travel():
    """Move the clock: travel(datetime(2025, 3, 3, 9, tzinfo=TZ)); ticking off, so timestamps are exact.
    Each call replaces the previous destination; the clock comes back at the end of the test."""
    import time_machine

    machines: list[time_machine.travel] = []

    def go(moment):
        if machines:
            machines[-1].stop()
        machine = time_machine.travel(moment, tick=False)
        machine.start()
        machines.append(machine)

    yield go
    if machines:
        machines[-1].stop()
