"""`egov pki demo [--dir DIR] [--serve]`: build the demo PKI; optionally serve CRL/OCSP/TSA."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from egov.signatures import pki


class Command(BaseCommand):
    help = "Demo PKI: root and issuing CA (standing in for the Government's specialised CA), CRL, OCSP, TSA."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        demo = sub.add_parser("demo", help="build the demo PKI (idempotent)")
        demo.add_argument("--dir", type=Path, default=None, help="folder (default EGOV_DATA_DIR/pki)")
        demo.add_argument("--serve", action="store_true", help="serve CRL, OCSP and TSA on 127.0.0.1")
        demo.add_argument("--no-token", action="store_true", help="skip the SoftHSM2 token")

    def handle(self, *args: Any, **options: Any) -> None:
        built = pki.build_demo_pki(options["dir"], with_token=False if options["no_token"] else None)
        self.stdout.write(f"PKI in {built.directory} ({len(built.identities)} end-entity certificates)")
        self.stdout.write(f"PKCS#12 files: {built.directory / 'pfx'} (password {pki.DEMO_PASSWORD!r}, demo only)")
        if built.token:
            self.stdout.write(f"SoftHSM2 token {built.token.label!r}: SOFTHSM2_CONF={built.token.conf}")
        if options["serve"]:
            port = int(os.environ.get("EGOV_PKI_PORT", "9000"))
            server = pki.AnimatorServer(built, port)
            self.stdout.write(f"Serving CRL/OCSP/TSA on {built.url_prefix} (Ctrl-C to stop)")
            with contextlib.suppress(KeyboardInterrupt):
                server.server.serve_forever()
