"""Submission and counter reception: codes, validation, files, idempotency."""

import pytest

from egov.common.errors import EgovError
from egov.dossiers import services
from egov.dossiers.models import Dossier, DossierFile
from egov.dossiers.services import Applicant, FileInput

from .conftest import CENTRE, NEWSLETTER, PDF, STTTT, at, files_for, newsletter_eform


def test_online_submission_waits_for_reception(world, submit, audit_count):
    before = audit_count()
    d = submit()
    assert d.code == f"{CENTRE}-250303-0001"
    assert d.status == "submitted"
    assert d.dvcqg_status == 1
    assert d.applicant == world["citizen"]
    assert d.applicant_name == "Nguyễn Văn A"
    assert d.receiving_centre.code == CENTRE
    assert d.processing_agency.code == STTTT
    assert d.procedure_version.procedure.code == NEWSLETTER
    assert d.received_at is None
    assert d.legal_due_at is None
    assert d.clock_rule.code == "ND61-2018"
    files = list(d.files.order_by("id"))
    assert [f.component.code for f in files] == [f"{NEWSLETTER}-TP01", f"{NEWSLETTER}-TP02"]
    assert files[0].content_type == "application/pdf"
    assert files[1].content_type == "image/png"
    assert len(files[0].sha256) == 64
    assert files[0].size == len(PDF)
    assert audit_count() == before + 1


def test_codes_follow_a_daily_sequence_per_unit(world, submit, travel):
    codes = [submit().code for _ in range(3)]
    assert codes == [f"{CENTRE}-250303-{n:04d}" for n in (1, 2, 3)]
    commune = submit("1.001193", actor=world["vanthu.donghop"], channel="counter",
                     eform={"ho_ten": "Lê C", "so_dinh_danh": "034090009999", "dien_thoai": "0911111111",
                            "ho_ten_tre": "Lê D", "ngay_sinh": "2025-02-20", "gioi_tinh": "Nam"},
                     files=files_for("1.001193"), agency="000.03.24.H54")  # fmt: skip
    assert commune.code == "000.03.24.H54-250303-0001"
    travel(at(2025, 3, 4, 8))
    assert submit().code == f"{CENTRE}-250304-0001"


def test_counter_reception_starts_the_clock(world, submit):
    d = submit(channel="counter", applicant=Applicant(name="Phạm Văn E", national_id="034090004444"))
    assert d.status == "received"
    assert d.dvcqg_status == 2
    assert d.applicant is None
    assert d.applicant_name == "Phạm Văn E"
    assert d.received_at == at(2025, 3, 3, 8)
    # 15 working days from Mon 3 Mar 2025 08:00 → Mon 24 Mar 2025 08:00
    assert d.legal_due_at == at(2025, 3, 24, 8) == d.due_at
    assert d.calendar_version
    # paper dossier received before 15:00: to the processing agency by the end of the day
    assert d.transfer_due_at == at(2025, 3, 3, 17)
    step = d.steps.get()
    assert step.role == "one_stop_officer"
    assert step.due_at == at(2025, 3, 3, 14)


def test_paper_dossier_after_15h_moves_next_morning(world, submit, travel):
    travel(at(2025, 3, 7, 15, 30))  # Friday afternoon
    d = submit(channel="counter")
    assert d.transfer_due_at == at(2025, 3, 10, 11, 30)  # Monday morning


def test_organisation_applicant_with_representative(world, submit):
    d = submit(channel="counter", applicant=Applicant(organisation_name="Công ty TNHH Hoa Lúa", name="Vũ Văn G"))
    assert d.applicant_kind == "organisation"
    assert d.organisation_name == "Công ty TNHH Hoa Lúa"
    assert d.representative_name == "Vũ Văn G"


def test_idempotency_key_returns_the_first_dossier(world, submit):
    first, created = services.dossier_submit(actor=world["citizen"], procedure=NEWSLETTER, channel="online",
                                             eform=newsletter_eform(), files=files_for(), idempotency_key="k-1")  # fmt: skip
    again, created_again = services.dossier_submit(actor=world["citizen"], procedure=NEWSLETTER, channel="online",
                                                   eform=newsletter_eform(), files=files_for(), idempotency_key="k-1")  # fmt: skip
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Dossier.objects.count() == 1


BAD = [
    ("unknown procedure", {"procedure": "1.999999"}, "dossiers.unknown_procedure"),
    ("eform fails schema", {"eform": {"ho_ten": "A"}}, "dossiers.eform_invalid"),
    ("eform not an object", {"eform": ["x"]}, "dossiers.eform_invalid"),
    ("missing component", {"files": files_for()[:1]}, "dossiers.component_missing"),
    ("wrong type", {"files": [FileInput(f"{NEWSLETTER}-TP01", "a.pdf", b"MZ\x90\x00evil")]}, "dossiers.file_type"),
    ("extension lies", {"files": [FileInput(f"{NEWSLETTER}-TP01", "a.png", PDF)]}, "dossiers.file_type"),
    ("dangerous name", {"files": [FileInput(f"{NEWSLETTER}-TP01", "a.exe.pdf", PDF)]}, "dossiers.file_name"),
    ("path in name", {"files": [FileInput(f"{NEWSLETTER}-TP01", "../../etc/a.pdf", PDF)]}, "dossiers.file_name"),
    ("oversized", {"files": [FileInput(f"{NEWSLETTER}-TP01", "a.pdf", PDF + b"0" * (10 * 1024 * 1024))]},
     "dossiers.file_too_large"),
    ("empty", {"files": [FileInput(f"{NEWSLETTER}-TP01", "a.pdf", b"")]}, "dossiers.file_type"),
    ("unknown component", {"files": [FileInput("X-TP09", "a.pdf", PDF)]}, "dossiers.unknown_component"),
    ("unknown channel", {"channel": "fax"}, "dossiers.unknown_channel"),
    ("agency not handling it", {"agency": "000.00.04.H54"}, "dossiers.unknown_agency"),
]  # fmt: skip


@pytest.mark.parametrize(("_case", "change", "code"), BAD)
def test_bad_submissions_change_nothing(world, audit_count, _case, change, code):
    kwargs = {"procedure": NEWSLETTER, "channel": "online", "eform": newsletter_eform(), "files": files_for()}
    kwargs.update(change)
    before = audit_count()
    with pytest.raises(EgovError) as info:
        services.dossier_submit(actor=world["citizen"], **kwargs)
    assert info.value.code == code
    assert info.value.messages["vi"]
    assert info.value.messages["en"]
    assert Dossier.objects.count() == 0
    assert DossierFile.objects.count() == 0
    assert audit_count() == before


def test_eform_error_speaks_both_languages(world):
    with pytest.raises(EgovError) as info:
        services.dossier_submit(actor=world["citizen"], procedure=NEWSLETTER, channel="online",
                                eform={"ho_ten": "A", "so_dinh_danh": "1", "dien_thoai": "0"}, files=files_for())  # fmt: skip
    assert info.value.field == "eform.noi_dung_de_nghi"
    assert "noi_dung_de_nghi" not in info.value.messages["vi"] or info.value.messages["vi"] != info.value.messages["en"]


@pytest.mark.parametrize(
    ("_case", "who", "channel"),
    [("staff cannot file online", "chuyenvien.stttt", "online"),
     ("citizen cannot use the counter", "citizen", "counter"),
     ("officer of another centre", "motcua.donghung", "counter"),
     ("specialist is no officer", "chuyenvien.stttt", "counter")],
)  # fmt: skip
def test_who_may_submit(world, audit_count, _case, who, channel):
    before = audit_count()
    with pytest.raises(EgovError) as info:
        services.dossier_submit(actor=world[who], procedure=NEWSLETTER, channel=channel, eform=newsletter_eform(),
                                files=files_for())  # fmt: skip
    assert info.value.status_code == 403
    assert info.value.code == "dossiers.role_not_allowed"
    assert Dossier.objects.count() == 0
    assert audit_count() == before


def test_a_failed_submission_leaves_no_gap_in_the_sequence(world, submit):
    with pytest.raises(EgovError):
        submit(files=files_for()[:1])
    assert submit().code.endswith("-0001")


def test_the_same_bytes_are_stored_once(world, submit):
    """Files are content-addressed: two dossiers carrying the same scan share one stored file."""
    first = submit()
    second = submit()
    names_first = sorted(f.content.name for f in first.files.all())
    names_second = sorted(f.content.name for f in second.files.all())
    assert names_first == names_second
    assert all(name.endswith(f.sha256) for f in first.files.all() for name in [f.content.name])
    assert second.files.first().content.open("rb").read() == first.files.first().content.open("rb").read()
