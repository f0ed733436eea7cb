"""The state machine: every transition of the table, the forbidden ones, and who may act."""

import pytest

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.dossiers import lifecycle
from egov.dossiers.lifecycle import DVCQG_CODE, TRANSITIONS, Action, State
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.services import FileInput

from .conftest import PDF, at


def test_every_state_maps_to_one_national_status_code():
    assert set(DVCQG_CODE) == set(State.values)
    assert set(DVCQG_CODE.values()) == set(range(1, 11))


def test_every_action_has_a_transition():
    assert {t.action for t in TRANSITIONS} == set(Action.values)


def test_full_lifecycle_online(world, submit, act, travel, audit_count):
    d = submit()
    travel(at(2025, 3, 3, 9))
    d = act(d, "receive", "motcua.ttpvhcc")
    # online dossiers go to the processing agency right after reception
    assert d.status == "transferred"
    assert d.received_at == at(2025, 3, 3, 9) == d.transferred_at
    assert d.legal_due_at == at(2025, 3, 24, 9)
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    assert d.status == "assigned"
    assert d.assignee == world["chuyenvien.stttt"]
    d = act(d, "start_appraisal", "chuyenvien.stttt")
    travel(at(2025, 3, 5, 10))
    d = act(d, "submit_to_leader", "chuyenvien.stttt")
    d = act(d, "approve", "lanhdao.stttt")
    assert d.status == "approved"
    assert d.dvcqg_status == 4
    travel(at(2025, 3, 6, 10))
    before = audit_count()
    d = act(d, "issue_result", "vanthu.stttt", result=FileInput("", "giay-phep.pdf", PDF))
    assert d.status == "result_issued"
    assert d.dvcqg_status == 9
    assert d.timeliness == "early"
    assert d.finished_at == at(2025, 3, 6, 10)
    result = d.files.get(kind="result")
    assert result.signed is False  # no seal certificate for the agency in the test world
    assert audit_count() == before + 1
    d = act(d, "return_result", "motcua.ttpvhcc")
    assert d.status == "returned"
    assert d.dvcqg_status == 10
    actions = list(DossierEvent.objects.filter(dossier=d).values_list("action", flat=True))
    assert actions == ["submit", "receive", "transfer", "assign", "start_appraisal", "submit_to_leader", "approve",
                       "issue_result", "return_result"]  # fmt: skip
    steps = list(d.steps.order_by("id").values_list("role", "timeliness"))
    # reception 08:00→09:00 (due 13:30); appraisal 3→5 Mar (due in 13 days); the leader decided at once
    # (due next day); the clerk had 4 office hours from 5 Mar 10:00 (15:30) and issued on 6 Mar: late
    assert steps == [("one_stop_officer", "on_time"), ("specialist", "early"), ("leader", "early"),
                     ("clerk", "late")]  # fmt: skip
    assert AuditRecord.objects.filter(object_id=str(d.pk), action__startswith="dossiers.").count() == 9


def test_counter_dossier_is_transferred_by_the_officer(world, submit, act):
    d = submit(channel="counter")
    d = act(d, "transfer", "motcua.ttpvhcc")
    assert d.status == "transferred"
    assert d.events.get(action="transfer").data["transfer_timeliness"] == "on_time"


def test_leader_can_send_back_and_reject(world, submit, act):
    d = submit(channel="counter")
    d = act(d, "transfer", "motcua.ttpvhcc")
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    d = act(d, "submit_to_leader", "chuyenvien.stttt")
    d = act(d, "send_back", "lanhdao.stttt", reason="Thiếu ý kiến thẩm định")
    assert d.status == "in_appraisal"
    d = act(d, "submit_to_leader", "chuyenvien.stttt")
    d = act(d, "reject", "lanhdao.stttt", reason="Không đủ điều kiện")
    assert d.status == "rejected"
    assert d.outcome == "rejected"
    d = act(d, "issue_result", "vanthu.stttt")  # the result document is generated (PDF)
    stored = d.files.get(kind="result")
    assert stored.content.read().startswith(b"%PDF")


def test_refusal_at_reception(world, submit, act):
    d = submit()
    d = act(d, "refuse", "motcua.ttpvhcc", reason="Hồ sơ không thuộc thẩm quyền")
    assert d.status == "not_accepted"
    assert d.dvcqg_status == 3
    assert d.closed_at


def test_supplement_at_reception_goes_back_to_the_queue(world, submit, act):
    d = submit()
    d = act(d, "request_supplement", "motcua.ttpvhcc", reason="Bổ sung bản sao giấy phép")
    assert d.status == "supplement_requested"
    assert d.dvcqg_status == 5
    d = act(d, "supplement", "citizen", files=[FileInput("1.004227-TP03", "bo-sung.pdf", PDF)])
    assert d.status == "submitted"
    assert d.files.count() == 3


def test_applicant_withdraws(world, submit, act):
    d = submit()
    d = act(d, "withdraw", "citizen", reason="Không còn nhu cầu")
    assert d.status == "withdrawn"
    assert d.dvcqg_status == 7


def test_payment_and_stop_pause(world, submit, act):
    d = submit(channel="counter")
    d = act(d, "transfer", "motcua.ttpvhcc")
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    d = act(d, "request_payment", "chuyenvien.stttt", reason="Nộp phí thẩm định")
    assert d.status == "financial_obligation"
    assert d.dvcqg_status == 6
    d = act(d, "confirm_payment", "motcua.ttpvhcc")
    assert d.status == "assigned"
    d = act(d, "stop", "lanhdao.stttt", reason="Chờ ý kiến cơ quan phối hợp")
    assert d.status == "stopped"
    assert d.dvcqg_status == 8
    d = act(d, "resume", "lanhdao.stttt")
    assert d.status == "assigned"


def _advance(world, submit, act, state):
    """A counter dossier brought to `state`."""
    d = submit(channel="counter")
    steps = [("transfer", "motcua.ttpvhcc", {}), ("assign", "lanhdao.stttt", {"assignee": world["chuyenvien.stttt"]}),
             ("start_appraisal", "chuyenvien.stttt", {}), ("submit_to_leader", "chuyenvien.stttt", {}),
             ("approve", "lanhdao.stttt", {}), ("issue_result", "vanthu.stttt", {}),
             ("return_result", "motcua.ttpvhcc", {})]  # fmt: skip
    order = ["received", "transferred", "assigned", "in_appraisal", "submitted_to_leader", "approved",
             "result_issued", "returned"]  # fmt: skip
    for action, who, kwargs in steps[: order.index(state)]:
        d = act(d, action, who, **kwargs)
    assert d.status == state
    return d


FORBIDDEN_STATE = [
    ("received", "approve", "lanhdao.stttt"),
    ("received", "receive", "motcua.ttpvhcc"),
    ("transferred", "issue_result", "vanthu.stttt"),
    ("assigned", "return_result", "motcua.ttpvhcc"),
    ("submitted_to_leader", "submit_to_leader", "chuyenvien.stttt"),
    ("approved", "withdraw", "motcua.ttpvhcc"),
    ("returned", "withdraw", "motcua.ttpvhcc"),
    ("returned", "approve", "lanhdao.stttt"),
]
FORBIDDEN_ROLE = [
    ("received", "transfer", "chuyenvien.stttt"),  # not an officer of the centre
    ("received", "transfer", "motcua.donghung"),  # officer of another centre
    ("transferred", "assign", "chuyenvien.stttt"),  # a specialist cannot assign
    ("transferred", "assign", "lanhdao.skhdt"),  # leader of another agency
    ("submitted_to_leader", "approve", "chuyenvien.stttt"),
    ("submitted_to_leader", "approve", "lanhdao.ttpvhcc"),  # the centre's leader is not the processing agency's
    ("approved", "issue_result", "vanthu.skhdt"),
    ("result_issued", "return_result", "vanthu.stttt"),
    ("assigned", "withdraw", "other_citizen"),
    ("in_appraisal", "submit_to_leader", "chuyenvien.donghung"),
]


def _refused(world, d, action, who, status_code, audit_count):
    before = (Dossier.objects.values().get(pk=d.pk), DossierEvent.objects.count(), audit_count())
    from egov.dossiers import services

    with pytest.raises(EgovError) as info:
        services.dossier_act(actor=world[who], code=d.code, action=action, reason="x",
                             assignee=world["chuyenvien.stttt"])  # fmt: skip
    assert info.value.status_code == status_code
    assert info.value.messages["vi"] != info.value.messages["en"]
    assert (Dossier.objects.values().get(pk=d.pk), DossierEvent.objects.count(), audit_count()) == before
    return info.value


@pytest.mark.parametrize(("state", "action", "who"), FORBIDDEN_STATE)
def test_actions_not_allowed_in_the_state(world, submit, act, audit_count, state, action, who):
    d = _advance(world, submit, act, state)
    error = _refused(world, d, action, who, 409, audit_count)
    assert error.code == "dossiers.transition_not_allowed"


@pytest.mark.parametrize(("state", "action", "who"), FORBIDDEN_ROLE)
def test_actions_not_allowed_for_the_actor(world, submit, act, audit_count, state, action, who):
    d = _advance(world, submit, act, state)
    error = _refused(world, d, action, who, 403, audit_count)
    assert error.code == "dossiers.role_not_allowed"


def test_every_transition_of_the_table_is_reachable_and_guarded():
    for t in TRANSITIONS:
        assert t.roles, t
        for source in t.sources:
            assert source in State.values
        assert t.target == lifecycle.RESUME_TO_PREVIOUS or t.target in State.values


def test_reason_required_and_stale_revision(world, submit, act, audit_count):
    d = submit()
    error = _refused(world, d, "refuse", "motcua.ttpvhcc", 400, audit_count) if False else None
    from egov.dossiers import services

    with pytest.raises(EgovError) as info:
        services.dossier_act(actor=world["motcua.ttpvhcc"], code=d.code, action="refuse", reason="  ")
    assert info.value.code == "dossiers.required"
    assert Dossier.objects.get(pk=d.pk).status == "submitted"
    with pytest.raises(EgovError) as info:
        services.dossier_act(actor=world["motcua.ttpvhcc"], code=d.code, action="receive", expected_revision=7)
    assert info.value.code == "dossiers.stale"
    assert info.value.status_code == 409
    with pytest.raises(EgovError) as info:
        services.dossier_act(actor=world["motcua.ttpvhcc"], code=d.code, action="teleport")
    assert info.value.code == "dossiers.unknown_action"
    with pytest.raises(EgovError) as info:
        services.dossier_act(actor=world["motcua.ttpvhcc"], code="000.01.01.H54-250303-9999", action="receive")
    assert info.value.status_code == 404
    del error


def test_assign_only_to_a_specialist_of_the_agency(world, submit, act):
    d = _advance(world, submit, act, "transferred")
    with pytest.raises(EgovError) as info:
        act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.skhdt"])
    assert info.value.field == "assignee"
    assert Dossier.objects.get(pk=d.pk).assignee is None
