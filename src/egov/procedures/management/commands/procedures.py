"""`egov procedures import FILE` (JSON or .xlsx; all or nothing, every problem reported) and
`egov procedures export [--format json|xlsx] [-o FILE]`. Changes are audited with no actor (the
system)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.procedures import selectors, services
from egov.procedures.interchange import FileUnreadable, dump_json, dump_xlsx, load_json, load_xlsx
from egov.procedures.models import ProcedureField


def catalogue_fields() -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "name_vi": f.name_vi,
            "name_en": f.name_en,
            "valid_from": f.valid_from.isoformat(),
            "valid_to": f.valid_to.isoformat() if f.valid_to else None,
        }
        for f in ProcedureField.objects.order_by("code")
    ]


def export_catalogue(fmt: str) -> bytes:
    specs = [selectors.version_to_spec(v) for v in selectors.catalogue_versions()]
    return (dump_xlsx if fmt == "xlsx" else dump_json)(specs, catalogue_fields())


def read_catalogue(data: bytes, name: str = "") -> tuple[list[Any], list[dict[str, Any]]]:
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        return load_xlsx(data)
    return load_json(data)


class Command(BaseCommand):
    help = "Import or export the procedure catalogue (JSON shaped like the national portal, or Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="import a catalogue file (all or nothing)")
        imp.add_argument("file")
        exp = sub.add_parser("export", help="export the whole catalogue (every version)")
        exp.add_argument("--format", choices=["json", "xlsx"], default="json")
        exp.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "export":
            data = export_catalogue(options["format"])
            if options["output"] == "-":
                sys.stdout.buffer.write(data) if options["format"] == "xlsx" else self.stdout.write(data.decode())
            else:
                Path(options["output"]).write_bytes(data)
                self.stdout.write(f"{options['output']}: {len(data)} bytes")
            return
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp / Cannot read the file: {error}") from None
        try:
            specs, fields = read_catalogue(data, path.name)
        except FileUnreadable as error:
            raise CommandError(f"Tệp không đúng định dạng / The file is not readable: {error}") from None
        try:
            report = services.catalogue_import(actor=None, specs=specs, fields=fields)
        except services.ProcedureInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            messages = error.messages
            raise CommandError(f"{messages['vi']} / {messages['en']}") from None
        self.stdout.write(
            f"Đã nhập / imported: {len(report.created)} mới/new, {len(report.replaced)} thay/replaced, "
            f"{len(report.unchanged)} không đổi/unchanged"
        )
