"""One demo PKI per test session, built into a temporary folder, its animator (CRL, OCSP, TSA)
served on a free loopback port; a SoftHSM2 token with its own SOFTHSM2_CONF in that folder."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from egov.signatures import pades, pki
from egov.signatures.samples import make_pdf


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def demo_pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[pki.DemoPki]:
    port = _free_port()
    built = pki.build_demo_pki(tmp_path_factory.mktemp("pki"), url_prefix=f"http://127.0.0.1:{port}")
    server = pki.AnimatorServer(built, port).start()
    built.server = server
    yield built
    pades.registry.clear()
    server.stop()


@pytest.fixture
def responder(demo_pki: pki.DemoPki) -> Iterator[pki.AnimatorServer]:
    server: pki.AnimatorServer = demo_pki.server
    server.set_up(True)
    yield server
    server.set_up(True)


@pytest.fixture(scope="session")
def pdf() -> bytes:
    return make_pdf()


@pytest.fixture(scope="session")
def p12(demo_pki: pki.DemoPki):
    def get(label: str) -> Any:
        return pades.registry.get_or_load(
            f"p12:{label}",
            lambda: pades.pkcs12_signer(demo_pki.pfx_path(label).read_bytes(), pki.DEMO_PASSWORD),
        )

    return get


@pytest.fixture(scope="session")
def token_signer(demo_pki: pki.DemoPki):
    if demo_pki.token is None:
        pytest.skip("softhsm2 is not installed (apt-get install softhsm2)")

    def get(label: str):
        session = pades.registry.token_session(pki.SOFTHSM_MODULE, pki.TOKEN_LABEL, pki.TOKEN_PIN)
        return pades.registry.get_or_load(
            f"p11:{label}",
            lambda: pades.pkcs11_signer(
                session, key_label=label, signing_cert=demo_pki.cert(label), ca_chain=[demo_pki.interm]
            ),
        )

    return get
