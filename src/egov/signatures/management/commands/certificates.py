"""`egov certificates import FILE [--agency CODE] [--password P] [--kind KIND]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from egov.common.errors import EgovError
from egov.orgs.selectors import agency_find
from egov.signatures import services
from egov.signatures.models import CertificateKind


class Command(BaseCommand):
    help = "Certificate registry: import a certificate (PEM, DER or PKCS#12)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import a certificate file")
        imp.add_argument("file", type=Path)
        imp.add_argument("--agency", default=None, help="agency code (QCVN 102)")
        imp.add_argument("--password", default=None, help="PKCS#12 password")
        imp.add_argument("--kind", default=None, choices=CertificateKind.values)
        imp.add_argument("--trusted-root", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = None
        if options["agency"]:
            agency = agency_find(options["agency"])
            if agency is None:
                raise CommandError(f"unknown agency {options['agency']}")
        kind = options["kind"] or (CertificateKind.ORGANISATION if agency else CertificateKind.PERSONAL)
        try:
            cert = services.certificate_import(
                actor=None,
                data=options["file"].read_bytes(),
                password=options["password"],
                agency=agency,
                kind=kind,
                trusted_root=options["trusted_root"],
            )
        except EgovError as exc:
            raise CommandError(f"{exc.code}: {exc.messages['en']} / {exc.messages['vi']}") from exc
        self.stdout.write(
            f"imported {cert.kind} {cert.common_name} serial {cert.serial} sha256 {cert.fingerprint_sha256}"
        )
