from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.demo.services import seed_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Thái Bình demo: agencies, staff for every role, citizens. Idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-token", action="store_true", help="build the demo PKI without the SoftHSM2 signing token"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EGOV_DEMO:
            raise CommandError("Chỉ nạp dữ liệu trình diễn khi EGOV_DEMO=1. / Demo data loads only with EGOV_DEMO=1.")
        rows = seed_demo(password=settings.EGOV_DEMO_PASSWORD, with_token=False if options["no_token"] else None)
        staff = sum(1 for r in rows if r.kind == "staff")
        self.stdout.write(
            f"Dữ liệu trình diễn Thái Bình đã sẵn sàng / Thái Bình demo ready: "
            f"{staff} staff, {len(rows) - staff} citizens"
        )
