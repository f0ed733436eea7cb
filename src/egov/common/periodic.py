"""Periodic background tasks on the Django Tasks API (architecture.md §3, "Background jobs").

An app declares a periodic task next to its tasks::

    @periodic("dossiers.deadline_sweep", every=datetime.timedelta(hours=1))
    @task()
    def sweep_deadlines() -> dict[str, int]: ...

`egov worker` runs the task worker and, in a side thread, the scheduler: every `every` (aligned on
Vietnam local time, shifted by `offset`, e.g. `every=1 day, offset=1 h` = nightly at 01:00) the task
is enqueued **once per slot**, however many workers run: the slot is claimed by inserting a
`PeriodicRun` row, unique on (name, slot). A missed slot (worker down) is not replayed; the next one
runs. `egov periodic list|run NAME` lists the registry or runs one task now (for cron or by hand).
"""

from __future__ import annotations

import datetime
import logging
import math
import threading
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# Vietnam has no daylight saving time: local = UTC+07:00 all year.
LOCAL_OFFSET = datetime.timedelta(hours=7)
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Any  # a django_tasks Task
    every: datetime.timedelta
    offset: datetime.timedelta

    def slot(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the slot `now` falls in (UTC)."""
        shifted = (now - EPOCH) + LOCAL_OFFSET - self.offset
        index = math.floor(shifted / self.every)
        return EPOCH + index * self.every - LOCAL_OFFSET + self.offset


REGISTRY: dict[str, Periodic] = {}


def periodic(name: str, *, every: datetime.timedelta, offset: datetime.timedelta = datetime.timedelta(0)) -> Any:
    """Register a django-tasks Task to run every `every` (see the module docstring)."""
    if every < datetime.timedelta(minutes=1):
        raise ValueError("a periodic task runs at most once a minute")
    if not datetime.timedelta(0) <= offset < every:
        raise ValueError("the offset must lie within one period")

    def register(task: Any) -> Any:
        if not hasattr(task, "enqueue"):
            raise TypeError(f"{name}: decorate a django-tasks Task (put @periodic above @task())")
        existing = REGISTRY.get(name)
        if existing is not None and existing.task.module_path != task.module_path:
            raise ValueError(f"periodic task {name!r} is registered twice")
        REGISTRY[name] = Periodic(name=name, task=task, every=every, offset=offset)
        return task

    return register


def claim_slot(p: Periodic, now: datetime.datetime) -> datetime.datetime | None:
    """Claim the slot of `now` for `p`; None when another worker (or an earlier tick) has it."""
    from egov.common.models import PeriodicRun

    slot = p.slot(now)
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=p.name, slot=slot)
    except IntegrityError:
        return None
    return slot


def tick(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose current slot is unclaimed. Returns the names enqueued."""
    from egov.common.models import PeriodicRun

    now = now or timezone.now()
    enqueued = []
    for p in sorted(REGISTRY.values(), key=lambda p: p.name):
        slot = claim_slot(p, now)
        if slot is None:
            continue
        result = p.task.enqueue()
        PeriodicRun.objects.filter(name=p.name, slot=slot).update(task_id=str(getattr(result, "id", ""))[:64])
        enqueued.append(p.name)
        logger.info("periodic task enqueued", extra={"task": p.name, "slot": slot.isoformat()})
    return enqueued


class Scheduler(threading.Thread):
    """The scheduler loop of `egov worker` (a daemon thread with its own database connection)."""

    def __init__(self, interval: float = 30.0) -> None:
        super().__init__(name="egov-periodic", daemon=True)
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                close_old_connections()
                tick()
            except Exception:  # a failed tick must not kill the worker; the next one retries
                logger.exception("periodic scheduler tick failed")
            finally:
                close_old_connections()
            self.stopping.wait(self.interval)

    def stop(self) -> None:
        self.stopping.set()
