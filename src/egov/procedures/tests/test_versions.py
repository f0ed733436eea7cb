"""Drafts, publishing, supersession, the version in force on a date, and the checks that refuse
a bad version with every problem and nothing changed."""

import copy
import datetime

import pytest
from django.utils import timezone

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.procedures import selectors, services
from egov.procedures.models import Procedure, ProcedureVersion, Status
from egov.procedures.services import ProcedureInvalid


def _codes(error):
    return {(p.field, p.code) for p in error.problems}


def test_create_publish_supersede_and_in_force(fields, spec, audit_count):
    draft = services.procedure_create_draft(actor=None, spec=spec)
    assert draft.status == Status.DRAFT
    assert draft.number == 1
    assert draft.effective_from is None
    assert selectors.procedure_version_in_force("1.001193") is None
    v1 = services.procedure_version_publish(actor=None, version=draft, effective_from=datetime.date(2020, 1, 1))
    assert v1.status == Status.PUBLISHED

    v2 = services.procedure_version_new_from(actor=None, version=v1)
    assert v2.number == 2
    assert v2.status == Status.DRAFT
    assert v2.channels.count() == v1.channels.count()
    assert v2.steps.count() == v1.steps.count()
    services.procedure_version_publish(actor=None, version=v2, effective_from=datetime.date(2024, 7, 1))

    v1.refresh_from_db()
    assert v1.status == Status.SUPERSEDED
    assert v1.effective_to == datetime.date(2024, 6, 30)
    # a dossier points at the version in force when it was received
    received = timezone.make_aware(datetime.datetime(2024, 6, 30, 16, 30))
    assert selectors.procedure_version_in_force("1.001193", received).number == 1
    assert selectors.procedure_version_in_force("1.001193.000.00.00.H54", datetime.date(2024, 7, 1)).number == 2
    assert selectors.procedure_version_in_force("1.001193", datetime.date(2019, 12, 31)) is None
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-5:] == [
        "procedures.version_create_draft",
        "procedures.version_publish",
        "procedures.version_new_from",
        "procedures.version_supersede",
        "procedures.version_publish",
    ]


def test_publish_refuses_non_draft_and_earlier_date(fields, spec):
    v1 = services.procedure_create_draft(actor=None, spec=spec)
    services.procedure_version_publish(actor=None, version=v1, effective_from=datetime.date(2024, 1, 1))
    with pytest.raises(EgovError) as error:
        services.procedure_version_publish(actor=None, version=v1)
    assert error.value.code == "procedures.not_draft"
    v2 = services.procedure_version_new_from(actor=None, version=v1)
    with pytest.raises(EgovError) as error:
        services.procedure_version_publish(actor=None, version=v2, effective_from=datetime.date(2023, 1, 1))
    assert error.value.code == "procedures.effective_date"
    assert "2024-01-01" in error.value.messages["vi"]
    v2.refresh_from_db()
    assert v2.status == Status.DRAFT


def _refused(spec):
    before = (Procedure.objects.count(), ProcedureVersion.objects.count(), AuditRecord.objects.count())
    with pytest.raises(ProcedureInvalid) as error:
        services.procedure_create_draft(actor=None, spec=spec)
    assert (Procedure.objects.count(), ProcedureVersion.objects.count(), AuditRecord.objects.count()) == before
    body = error.value.as_dict()
    assert body["code"] == "procedures.invalid"
    assert body["messages"]["vi"] != body["messages"]["en"]
    for problem in body["problems"]:
        assert problem["messages"]["vi"]
        assert problem["messages"]["en"]
    return error.value


def test_internal_process_longer_than_the_legal_limit(fields, spec):
    spec["steps"][1]["duration"] = 10  # working hours, in a one-day (8 h) procedure
    error = _refused(spec)
    assert ("time_limit", "procedures.process_too_long") in _codes(error)
    problem = next(p for p in error.problems if p.code == "procedures.process_too_long")
    assert "14" in problem.messages["en"]  # 1 + 10 + 2 + 1 hours
    assert "8" in problem.messages["en"]
    assert "giờ làm việc" in problem.messages["vi"]


def test_process_check_per_case_and_unit_conversion(fields, orgs_seeded):
    from egov.procedures import demo

    spec = demo._construction_permit()
    # TH2 allows 15 working days; its specialist step takes 11 days + 4 h + 2 days + 4 h = 14 days: fits.
    assert services.procedure_create_draft(actor=None, spec=copy.deepcopy(spec))
    spec["steps"][2]["duration"] = 13  # now 16 days for TH2 (TH1 is untouched)
    error = _refused(spec)
    problems = [p for p in error.problems if p.code == "procedures.process_too_long"]
    assert problems
    assert all("TH2" in p.messages["en"] for p in problems)


def test_every_problem_is_reported(fields, spec):
    spec["name_vi"] = ""
    spec["agencies"][0]["code"] = "000.99.99.H54"
    spec["channels"][0]["fees"][0]["amount"] = "năm mươi nghìn"
    spec["eform_schema"] = {"type": "object", "properties": {"x": {"type": "không-phải-kiểu"}}}
    spec["code"] = "1.2345"
    error = _refused(spec)
    codes = _codes(error)
    assert ("name_vi", "procedures.required") in codes
    assert ("code", "procedures.unknown_agency") in codes
    assert ("amount", "procedures.invalid_number") in codes
    assert ("eform_schema", "procedures.invalid_schema") in codes
    assert ("code", "procedures.invalid_code") in codes


@pytest.mark.parametrize("amount", ["abc", -5, 1.5, True, "1,5", "12e3"])
def test_fee_not_a_whole_number(fields, spec, amount):
    spec["channels"][0]["fees"][0]["amount"] = amount
    assert ("amount", "procedures.invalid_number") in _codes(_refused(spec))


@pytest.mark.parametrize("amount", [50000, "50000", "50.000", "1.500.000", 0])
def test_fee_amounts_officials_write(fields, spec, amount):
    spec["channels"][0]["fees"][0]["amount"] = amount
    version = services.procedure_create_draft(actor=None, spec=spec)
    assert version.channels.first().fees.first().amount == int(str(amount).replace(".", ""))


def test_malformed_schema_and_attachment_codes(fields, spec):
    spec["eform_schema"] = {**spec["eform_schema"], "x-attachments": ["TP-KHONG-CO"]}
    assert ("eform_schema", "procedures.invalid_schema") in _codes(_refused(spec))
    spec["eform_schema"] = {"type": "object", "required": "ho_ten"}
    assert ("eform_schema", "procedures.invalid_schema") in _codes(_refused(spec))


def test_partial_service_needs_a_reason(fields, spec):
    spec["partial_reason"] = ""
    assert ("partial_reason", "procedures.required") in _codes(_refused(spec))
    spec["service_level"] = "2030:L9"
    assert ("service_level", "procedures.unknown_service_level") in _codes(_refused(spec))
