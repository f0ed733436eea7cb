from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit trail tools. `egov audit verify` proves the hash chain intact or names the first broken record."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="verify the whole chain")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            count, problem = audit_verify()
            if problem is not None:
                raise CommandError(
                    f"Chuỗi nhật ký bị phá vỡ tại bản ghi #{problem.seq} / Audit chain broken at {problem} "
                    f"({count} records verified before it)"
                )
            self.stdout.write(f"Chuỗi nhật ký nguyên vẹn / Audit chain intact: {count} records verified")
