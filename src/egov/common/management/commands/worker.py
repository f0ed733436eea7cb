"""`egov worker`: run background tasks (django-tasks database backend) and the periodic scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from egov.common.periodic import Scheduler


class Command(BaseCommand):
    help = "Run the background task worker and the periodic scheduler (deadline sweeps, notifications…)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls for new tasks")
        parser.add_argument("--no-scheduler", action="store_true", help="run tasks only (another worker schedules)")
        parser.add_argument("--batch", action="store_true", help="run what is due and the outstanding tasks, then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = None
        if options["batch"]:
            from egov.common.periodic import tick

            for name in tick():
                self.stdout.write(f"enqueued {name}")
        elif not options["no_scheduler"]:
            scheduler = Scheduler()
            scheduler.start()
        try:
            call_command(
                "db_worker", interval=options["interval"], batch=options["batch"], verbosity=options["verbosity"]
            )
        finally:
            if scheduler is not None:
                scheduler.stop()
