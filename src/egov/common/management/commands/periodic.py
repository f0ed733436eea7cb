"""`egov periodic list` / `egov periodic run NAME`: the periodic tasks, or one run now (cron, by hand)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.common.periodic import REGISTRY


class Command(BaseCommand):
    help = "List the periodic tasks, or run one now in this process."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("list", help="the registered periodic tasks")
        run = sub.add_parser("run", help="run one periodic task now, here")
        run.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "list":
            for p in sorted(REGISTRY.values(), key=lambda p: p.name):
                self.stdout.write(f"{p.name}\tevery {p.every}\toffset {p.offset}\t{p.task.module_path}")
            return
        chosen = REGISTRY.get(options["name"])
        if chosen is None:
            known = ", ".join(sorted(REGISTRY)) or "-"
            raise CommandError(f"Không có tác vụ định kỳ “{options['name']}” / unknown periodic task (known: {known})")
        result = chosen.task.call()
        self.stdout.write(json.dumps(result, ensure_ascii=False, default=str))
