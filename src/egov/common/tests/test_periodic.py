"""Periodic tasks: slots aligned on Vietnam time, one enqueue per slot however many ticks, and
`egov worker --batch` running queued tasks from the real database queue (django-tasks-db)."""

from __future__ import annotations

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django_tasks import task

from egov.common import periodic as periodic_mod
from egov.common.models import PeriodicRun
from egov.common.periodic import Periodic, periodic

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALLS: list[str] = []


@task()
def record_call(tag: str = "tick") -> str:
    CALLS.append(tag)
    return tag


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args).replace(tzinfo=TZ)


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test (the apps' own periodic tasks are put back afterwards)."""
    monkeypatch.setattr(periodic_mod, "REGISTRY", {})
    CALLS.clear()
    return periodic_mod.REGISTRY


def test_hourly_slots_start_on_the_hour_local_time() -> None:
    p = Periodic(name="x", task=record_call, every=datetime.timedelta(hours=1), offset=datetime.timedelta(0))
    assert p.slot(local(2026, 12, 3, 9, 59, 59)) == local(2026, 12, 3, 9)
    assert p.slot(local(2026, 12, 3, 10, 0)) == local(2026, 12, 3, 10)


def test_nightly_slot_with_offset_starts_at_one_in_the_morning_vietnam_time() -> None:
    p = Periodic(name="x", task=record_call, every=datetime.timedelta(days=1), offset=datetime.timedelta(hours=1))
    # 00:30 on 4 December still belongs to the night of 3 December (slot 01:00 on the 3rd)
    assert p.slot(local(2026, 12, 4, 0, 30)) == local(2026, 12, 3, 1)
    assert p.slot(local(2026, 12, 4, 1, 0)) == local(2026, 12, 4, 1)
    assert p.slot(local(2026, 12, 4, 23, 59)) == local(2026, 12, 4, 1)


def test_bad_declarations_are_refused(registry) -> None:
    with pytest.raises(ValueError, match="at most once a minute"):
        periodic("x", every=datetime.timedelta(seconds=10))(record_call)
    with pytest.raises(ValueError, match="within one period"):
        periodic("x", every=datetime.timedelta(hours=1), offset=datetime.timedelta(hours=2))(record_call)
    with pytest.raises(TypeError):
        periodic("x", every=datetime.timedelta(hours=1))(lambda: None)
    assert registry == {}


@pytest.mark.django_db
def test_a_slot_is_enqueued_once_however_many_ticks(registry) -> None:
    periodic("test.hourly", every=datetime.timedelta(hours=1))(record_call)
    now = local(2026, 12, 3, 9, 15)
    assert periodic_mod.tick(now) == ["test.hourly"]  # immediate backend in tests: it ran
    assert periodic_mod.tick(now + datetime.timedelta(minutes=30)) == []
    assert CALLS == ["tick"]
    assert periodic_mod.tick(now + datetime.timedelta(hours=1)) == ["test.hourly"]
    assert CALLS == ["tick", "tick"]
    slots = list(PeriodicRun.objects.filter(name="test.hourly").order_by("slot").values_list("slot", flat=True))
    assert slots == [local(2026, 12, 3, 9), local(2026, 12, 3, 10)]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_batch_runs_the_queued_periodic_task_from_the_database(registry) -> None:
    from django_tasks_db.models import DBTaskResult

    periodic("test.hourly", every=datetime.timedelta(hours=1))(record_call)
    out = io.StringIO()
    call_command("worker", batch=True, stdout=out)
    assert "enqueued test.hourly" in out.getvalue()
    assert CALLS == ["tick"]
    result = DBTaskResult.objects.get()
    assert result.status == "SUCCESSFUL"
    assert PeriodicRun.objects.get(name="test.hourly").task_id == str(result.id)
    # a second batch in the same hour enqueues nothing and runs nothing
    call_command("worker", batch=True, stdout=io.StringIO())
    assert CALLS == ["tick"]
    assert DBTaskResult.objects.count() == 1


def test_periodic_command_lists_runs_and_refuses_unknown(registry) -> None:
    periodic("test.hourly", every=datetime.timedelta(hours=1))(record_call)
    out = io.StringIO()
    call_command("periodic", "list", stdout=out)
    assert "test.hourly" in out.getvalue()
    out = io.StringIO()
    call_command("periodic", "run", "test.hourly", stdout=out)
    assert out.getvalue().strip() == '"tick"'
    with pytest.raises(CommandError, match="unknown periodic task"):
        call_command("periodic", "run", "nope")
