"""`egov createstaff <username> --full-name "…"`: create a staff account, asking for the password."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.accounts.services import user_create_staff
from egov.common.errors import EgovError


class Command(BaseCommand):
    help = "Tạo tài khoản cán bộ / Create a staff account (the password is asked for, or read from EGOV_NEW_PASSWORD)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("EGOV_NEW_PASSWORD") or ""
        if not password:
            password = getpass.getpass("Mật khẩu / Password: ")
            if password != getpass.getpass("Nhập lại / Again: "):
                raise CommandError("Hai mật khẩu khác nhau. / The passwords differ.")
        try:
            user = user_create_staff(
                actor=None,
                username=options["username"],
                full_name=options["full_name"],
                password=password,
                email=options["email"],
                phone=options["phone"],
            )
        except EgovError as exc:
            messages = exc.messages
            raise CommandError(f"{messages['vi']} / {messages['en']}") from exc
        self.stdout.write(f"Đã tạo cán bộ / Staff created: {user.username}")
