"""How fast is XML-DSig on a real edXML message? Signs/s and verifies/s, RSA-2048, RSA-SHA256.

- sign with a pre-loaded key object (what `egov.signatures.xmldsig.sign_edxml` callers should do),
- sign with the PEM bytes handed over each time (the baseline: the key is parsed and checked per call),
- the raw RSA-2048 signing rate of the same key (the physical limit), for scale,
- verify (digest + signature value + chain to the demo root).

Standalone, no database. The sample defaults to shared/reference/edxml/vxp-edoc-new.edxml (368 KB, with its
attachment); pass another path as the first argument (e.g. a status message).

    .venv/bin/python bench/bench_xmldsig.py [SAMPLE.edxml]
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.config.settings.test")

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

from egov.signatures.tests import xml_keys
from egov.signatures.xmldsig import sign_edxml, verify_edxml

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "edxml" / "vxp-edoc-new.edxml"


def rate(label: str, fn: Callable[[], object], seconds: float = 2.0) -> float:
    fn()  # warm-up
    n, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        fn()
        n += 1
    per_s = n / elapsed
    print(f"{label:<48} {per_s:9.1f}/s  ({1000 / per_s:7.2f} ms each, n={n})")
    return per_s


def main() -> None:
    sample = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    xml = sample.read_bytes()
    demo = xml_keys.demo()
    pem = demo.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    signed = sign_edxml(xml, key=demo.key, cert_chain=demo.chain)
    assert verify_edxml(signed, trusted_roots=[demo.root]).valid
    print(f"sample: {sample.name} ({len(xml):,} bytes), RSA-2048, rsa-sha256/sha256")

    raw = rate("raw RSA-2048 PKCS#1 v1.5 sign (limit)", lambda: demo.key.sign(b"x" * 32, PKCS1v15(), hashes.SHA256()))
    preloaded = rate("sign_edxml, pre-loaded key object", lambda: sign_edxml(xml, key=demo.key, cert_chain=demo.chain))
    baseline = rate(
        "sign_edxml, PEM bytes each time (baseline)", lambda: sign_edxml(xml, key=pem, cert_chain=demo.chain)
    )
    verify = rate("verify_edxml, chain to demo root", lambda: verify_edxml(signed, trusted_roots=[demo.root]))
    print(f"pre-loaded / PEM-each-time: {preloaded / baseline:.1f}x; sign / raw RSA limit: {preloaded / raw:.2f}")
    print(f"verify / sign (pre-loaded): {verify / preloaded:.2f}")


if __name__ == "__main__":
    main()
