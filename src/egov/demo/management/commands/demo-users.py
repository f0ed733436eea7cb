import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from egov.demo.services import demo_accounts


class Command(BaseCommand):
    help = "List the demo accounts (username, kind, roles, agency code); every password is EGOV_DEMO_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--json", action="store_true", help="machine-readable list")
        group.add_argument("--table", action="store_true", help="a table for people (the default)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_accounts()
        if options["json"]:
            payload = [
                {"username": r.username, "kind": r.kind, "roles": r.roles, "agency_code": r.agency_code} for r in rows
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Tài khoản trình diễn / Demo logins (mật khẩu / password: {settings.EGOV_DEMO_PASSWORD})")
        self.stdout.write(f"  {'username':<22} {'kind':<8} {'agency':<15} roles")
        for r in rows:
            self.stdout.write(f"  {r.username:<22} {r.kind:<8} {r.agency_code or '-':<15} {', '.join(r.roles) or '-'}")
