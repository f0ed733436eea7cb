"""Forms and results leave the centre sealed with its own certificate (PAdES), and anyone can
verify them: a real demo PKI, a real signature, validated against the registry's trust store
with revocation fetched from the PKI's responder on loopback."""

import socket

import pytest

from egov.signatures import demo as signatures_demo
from egov.signatures import pki
from egov.signatures.validation import validate_pdf


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def centre_pki(tmp_path_factory):
    port = _free_port()
    directory = tmp_path_factory.mktemp("dossiers-pki")
    built = pki.build_demo_pki(directory, url_prefix=f"http://127.0.0.1:{port}", with_token=False)
    server = pki.AnimatorServer(built, port).start()
    yield directory
    server.stop()


def test_receipt_is_sealed_by_the_centre_and_verifies(world, submit, centre_pki):
    from egov.dossiers import printing

    signatures_demo.seed_demo_pki(directory=centre_pki, with_token=False)
    d = submit(channel="counter")
    sealed = printing.form_pdf(d, "receipt")
    assert sealed.signed is True
    report = validate_pdf(sealed.data)
    assert report.valid, report.as_dict()
    [signature] = report.signatures
    assert signature.indication == "PASSED"
    assert "Trung tâm Phục vụ hành chính công" in signature.organisation + signature.signer
