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


def test_a_result_the_agency_cannot_seal_is_not_issued(world, submit, act, centre_pki, audit_count):
    """The processing agency has a seal, but its key cannot be used: the result is refused (503,
    vi + en) and nothing changes; an unsealed result is never issued in place of a sealed one."""
    from egov.common.errors import EgovError
    from egov.dossiers.models import Dossier, FileKind
    from egov.signatures.models import Certificate  # the test breaks the seal's key on purpose

    from .conftest import STTTT

    signatures_demo.seed_demo_pki(directory=centre_pki, with_token=False)
    d = act(submit(), "receive", "motcua.ttpvhcc")
    act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    act(d, "submit_to_leader", "chuyenvien.stttt")
    d = act(d, "approve", "lanhdao.stttt")
    broken = Certificate.objects.filter(agency__code=STTTT, kind="organisation").update(
        key_reference=f"pkcs12:{centre_pki}/missing-seal.p12"
    )
    assert broken == 1
    before = audit_count()
    with pytest.raises(EgovError) as caught:
        act(d, "issue_result", "vanthu.stttt")
    assert caught.value.code == "dossiers.seal_failed"
    assert caught.value.status_code == 503
    assert "con dấu số" in caught.value.messages["vi"]
    assert "seal" in caught.value.messages["en"]
    d.refresh_from_db()
    assert d.status == "approved"
    assert not Dossier.objects.get(pk=d.pk).files.filter(kind=FileKind.RESULT).exists()
    assert audit_count() == before
