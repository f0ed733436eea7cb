"""Signing and validation rates, each next to the raw signing rate of the same key (the limit).

Run: DJANGO_SETTINGS_MODULE=egov.config.settings.test .venv/bin/python bench/bench_signatures.py [seconds]
Builds the demo PKI in a temporary folder, serves CRL/OCSP/TSA on a free loopback port.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.config.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/egov-bench-signatures.sqlite3")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from egov.signatures import pades, pki  # noqa: E402
from egov.signatures.samples import make_pdf  # noqa: E402
from egov.signatures.validation import validate_pdf  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0


def rate(fn: Any) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    call_command("migrate", verbosity=0)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    built = pki.build_demo_pki(Path(tempfile.mkdtemp()), url_prefix=f"http://127.0.0.1:{port}")
    server = pki.AnimatorServer(built, port).start()
    pdf = make_pdf()
    ts = built.timestamper()
    signers: list[tuple[str, Any]] = [
        ("PKCS#12 RSA-2048", pades.pkcs12_signer(built.pfx_path("leader-stttt").read_bytes(), pki.DEMO_PASSWORD)),
        ("PKCS#12 P-256", pades.pkcs12_signer(built.pfx_path("leader-stttt-ec").read_bytes(), pki.DEMO_PASSWORD)),
    ]
    if built.token:
        session = pades.registry.token_session(pki.SOFTHSM_MODULE, pki.TOKEN_LABEL, pki.TOKEN_PIN)
        for label, name in (("token-rsa", "SoftHSM RSA-2048"), ("token-ec", "SoftHSM P-256")):
            signers.append(
                (
                    name,
                    pades.pkcs11_signer(
                        session, key_label=label, signing_cert=built.cert(label), ca_chain=[built.interm]
                    ),
                )
            )
    print(
        f"{'signer':<18} {'raw sign/s':>10} {'B-B/s':>8} {'ratio':>6} {'B-T/s':>8} {'ratio':>6} {'validate/s':>10} {'ratio':>6}"
    )
    for name, signer in signers:
        raw = rate(lambda signer=signer: asyncio.run(signer.async_sign_raw(b"x" * 64, "sha256")))
        bb = rate(lambda signer=signer: pades.sign_pdf(pdf, signer=signer))
        bt = rate(lambda signer=signer: pades.sign_pdf(pdf, signer=signer, level="B-T", timestamper=ts))
        signed = pades.sign_pdf(pdf, signer=signer, level="B-T", timestamper=ts)
        assert validate_pdf(signed, trust_roots=[built.root]).valid
        val = rate(lambda signed=signed: validate_pdf(signed, trust_roots=[built.root]))
        print(
            f"{name:<18} {raw:>10.1f} {bb:>8.1f} {bb / raw:>6.2f} {bt:>8.1f} {bt / raw:>6.2f} {val:>10.1f} {val / raw:>6.2f}"
        )
    pades.registry.clear()
    server.stop()


if __name__ == "__main__":
    main()
