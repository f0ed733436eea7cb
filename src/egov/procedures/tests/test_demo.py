from egov.procedures import demo
from egov.procedures.models import Level, Procedure, ProcedureVersion, Status


def test_demo_catalogue_has_the_seed_counts(catalogue):
    ict = ProcedureVersion.objects.filter(field__code__in=demo.ICT_FIELDS, status=Status.PUBLISHED)
    assert ict.count() == 38
    assert ict.filter(level=Level.PROVINCE).count() == 32
    assert ict.filter(level=Level.DISTRICT).count() == 6
    for code in ("1.001612", "1.009974", "1.001193", "2.000815"):
        assert Procedure.objects.filter(code=code).exists()
    version = ProcedureVersion.objects.get(procedure__code="1.001612", status=Status.PUBLISHED)
    assert version.number == 2
    assert version.channels.count() == 3
    assert version.steps.count() == 4
    assert version.components.count() == 3
    assert version.eform_schema["x-attachments"]


def test_demo_is_idempotent(catalogue, audit_count):
    assert len(catalogue.created) == 44
    before = (ProcedureVersion.objects.count(), audit_count())
    report = demo.seed_procedures(actor=None)
    assert report.created == []
    assert len(report.unchanged) == 44
    assert (ProcedureVersion.objects.count(), audit_count()) == before
