"""The legal clock: holidays, supplement restarts, pauses, the apology (form 04), classification."""

import datetime

import pytest

from egov.common.errors import EgovError
from egov.dossiers import clock, services
from egov.dossiers.models import Apology, ClockRule, Dossier, DossierEvent
from egov.dossiers.services import FileInput

from .conftest import PDF, PRESS, at, files_for


def _counter(submit, procedure=PRESS):
    return submit(procedure, channel="counter", files=files_for(procedure))


def _to_assigned(world, d, act):
    d = act(d, "transfer", "motcua.ttpvhcc")
    return act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])


def test_the_2018_rule_is_seeded_as_data(db):
    rule = ClockRule.objects.get(code="ND61-2018")
    assert rule.valid_from == datetime.date(2018, 6, 21)
    assert rule.supplement_in_processing == "restart"
    assert rule.transfer_cutoff == datetime.time(15)
    assert rule.apology_min_working_days == 1
    assert rule.apology_max_count == 1


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # 30 Apr and 1 May are holidays; `holidays` also gives Fri 2 May 2025 off (the government swap)
        (at(2025, 4, 29, 9), at(2025, 5, 7, 9)),
        (at(2025, 1, 24, 9), at(2025, 2, 5, 9)),  # Tết: Mon 27 – Fri 31 Jan 2025 off
        (at(2025, 3, 7, 16), at(2025, 3, 12, 16)),  # Friday → Mon, Tue, Wed
        (at(2025, 3, 8, 10), at(2025, 3, 13, 7, 30)),  # a Saturday: counting starts Monday morning
    ],
)
def test_due_date_across_weekends_and_holidays(world, submit, travel, received, due):
    travel(received)
    d = _counter(submit)
    assert d.legal_due_at == due
    assert d.calendar_version


def test_calendar_days_and_hours_units(world):
    assert clock.add_limit(at(2025, 3, 3, 9), 5, "calendar_days").due == at(2025, 3, 8, 9) + datetime.timedelta(
        days=2, hours=-1, minutes=-30
    )  # Sat 8 Mar is no working day: next working instant, Mon 10 Mar 07:30
    assert clock.add_limit(at(2025, 3, 3, 9), 4, "working_hours").due == at(2025, 3, 3, 15)
    assert clock.add_limit(at(2025, 3, 3, 9), 1.5, "working_days").due == at(2025, 3, 4, 15)


def test_supplement_during_processing_restarts_the_clock(world, submit, act, travel):
    d = _counter(submit, "1.004227")
    assert d.legal_due_at == at(2025, 3, 24, 8)
    d = _to_assigned(world, d, act)
    travel(at(2025, 3, 5, 10))
    d = act(d, "request_supplement", "chuyenvien.stttt", reason="Thiếu mẫu bản tin")
    assert d.status == "supplement_requested"
    assert d.dvcqg_status == 5
    assert d.events.get(action="request_supplement").data["requested_late"] is False
    travel(at(2025, 3, 10, 9))
    d = act(d, "supplement", "motcua.ttpvhcc", files=[FileInput("1.004227-TP03", "mau.pdf", PDF)])
    assert d.status == "assigned"
    assert d.restarts == 1
    assert d.clock_started_at == at(2025, 3, 10, 9)
    assert d.legal_due_at == at(2025, 3, 31, 9) == d.due_at  # 15 working days from the completed dossier
    event = d.events.get(action="supplement")
    assert event.data["clock"] == "restart"
    assert event.data["old_due_at"].startswith("2025-03-24")


def test_awaited_payment_pauses_the_clock(world, submit, act, travel):
    d = _counter(submit)
    assert d.legal_due_at == at(2025, 3, 6, 8)
    d = _to_assigned(world, d, act)
    travel(at(2025, 3, 3, 10))
    d = act(d, "request_payment", "chuyenvien.stttt", reason="Nộp lệ phí")
    travel(at(2025, 3, 4, 10))
    d = act(d, "confirm_payment", "motcua.ttpvhcc")
    # paused 7.5 office hours (10:00–11:30, 13:30–17:00, 07:30–10:00): Thu 08:00 + 7.5 h → Fri 08:00
    assert d.legal_due_at == at(2025, 3, 7, 8) == d.due_at
    assert d.events.get(action="confirm_payment").data["paused_working_hours"] == 7.5


def test_stop_and_resume_move_the_due_date(world, submit, act, travel):
    d = _to_assigned(world, _counter(submit), act)
    travel(at(2025, 3, 3, 13, 30))
    d = act(d, "stop", "lanhdao.stttt", reason="Chờ ý kiến phối hợp")
    travel(at(2025, 3, 3, 15, 30))
    d = act(d, "resume", "lanhdao.stttt")
    assert d.legal_due_at == at(2025, 3, 6, 10)


def test_apology_rules(world, submit, act, travel, audit_count):
    d = _to_assigned(world, _counter(submit), act)  # due Thu 6 Mar 08:00
    code = d.code
    new = at(2025, 3, 10, 8)
    # too late: on the due day itself
    travel(at(2025, 3, 6, 7))
    before = (audit_count(), Dossier.objects.values("due_at", "revision").get(pk=d.pk))
    with pytest.raises(EgovError) as info:
        services.dossier_apologise(actor=world["lanhdao.stttt"], code=code, reason="Chờ xác minh", new_due_at=new)
    assert info.value.code == "dossiers.apology_too_late"
    assert "ít nhất 1 ngày làm việc" in info.value.messages["vi"]
    assert (audit_count(), Dossier.objects.values("due_at", "revision").get(pk=d.pk)) == before
    assert Apology.objects.count() == 0
    travel(at(2025, 3, 5, 9))
    with pytest.raises(EgovError) as info:
        services.dossier_apologise(actor=world["chuyenvien.stttt"], code=code, reason="x", new_due_at=new)
    assert info.value.status_code == 403
    with pytest.raises(EgovError) as info:
        services.dossier_apologise(actor=world["lanhdao.stttt"], code=code, reason="x", new_due_at=at(2025, 3, 5, 10))
    assert info.value.code == "dossiers.apology_date"
    apology = services.dossier_apologise(actor=world["lanhdao.stttt"], code=code, reason="Chờ xác minh", new_due_at=new)
    assert apology.old_due_at == at(2025, 3, 6, 8)
    assert apology.new_due_at == new
    assert apology.agency_at_fault.code == "000.00.11.H54"
    d.refresh_from_db()
    assert d.due_at == new
    assert d.legal_due_at == at(2025, 3, 6, 8)
    with pytest.raises(EgovError) as info:
        services.dossier_apologise(actor=world["lanhdao.stttt"], code=code, reason="again", new_due_at=at(2025, 3, 12))
    assert info.value.code == "dossiers.apology_once"
    # finished after the legal date but before the new appointment: still late
    for action, who in [("submit_to_leader", "chuyenvien.stttt"), ("approve", "lanhdao.stttt")]:
        d = act(d, action, who)
    travel(at(2025, 3, 7, 9))
    d = act(d, "issue_result", "vanthu.stttt", result=FileInput("", "kq.pdf", PDF))
    assert d.timeliness == "late"
    assert DossierEvent.objects.filter(dossier=d, action="apologise").count() == 1


@pytest.mark.parametrize(
    ("finished", "expected"),
    [(at(2025, 3, 5, 16), "early"), (at(2025, 3, 6, 7, 59), "on_time"), (at(2025, 3, 6, 8, 1), "late")],
)
def test_classification(finished, expected):
    assert clock.classify(finished, at(2025, 3, 6, 8)) == expected
