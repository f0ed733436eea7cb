"""The deadline sweeps (dossiers.tasks): due soon / overdue marks across weekends and holidays,
recipients by role and agency, once per (dossier, mark, due instant), paused dossiers not due,
re-armed after a restart, cleared when finished; the nightly summary; the applicant notices."""

import pytest
from django.apps import apps

from egov.dossiers import services, tasks
from egov.dossiers.models import Dossier, DossierStep
from egov.dossiers.services import FileInput

from .conftest import PDF, PRESS, at, files_for

pytestmark = pytest.mark.skipif(
    not apps.is_installed("egov.notifications"), reason="egov.notifications is not installed"
)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def Notification():
    return apps.get_model("notifications", "Notification")


def _counter(submit, procedure=PRESS, **kwargs):
    return submit(procedure, channel="counter", files=files_for(procedure), **kwargs)


def _assigned(world, submit, act):
    d = act(_counter(submit), "transfer", "motcua.ttpvhcc")
    return act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])


def _told(kind, d=None):
    """Usernames notified of `kind` (about dossier `d`), sorted."""
    qs = Notification().objects.filter(kind=kind)
    if d is not None:
        qs = qs.filter(link=f"/mot-cua/ho-so/{d.code}/")
    return sorted(qs.values_list("recipient__username", flat=True))


def _flag(d):
    return Dossier.objects.values_list("deadline_flag", flat=True).get(pk=d.pk)


def test_due_soon_then_overdue_across_the_may_holidays(world, submit, act, travel):
    travel(at(2025, 4, 29, 9))
    d = _assigned(world, submit, act)
    assert d.legal_due_at == at(2025, 5, 7, 9)  # 30 Apr, 1 and 2 May off
    for moment in (at(2025, 4, 29, 10), at(2025, 5, 2, 10), at(2025, 5, 5, 10)):
        travel(moment)  # the next working day ends before the due instant
        counts = tasks.sweep_deadlines.enqueue().return_value
        assert counts["due_soon"] == counts["overdue"] == 0, moment
        assert _flag(d) == ""
    travel(at(2025, 5, 6, 10))
    counts = tasks.sweep_deadlines.enqueue().return_value
    assert counts["due_soon"] == 1
    assert counts["notifications"] >= 1
    row = Dossier.objects.get(pk=d.pk)
    assert (row.deadline_flag, row.deadline_flagged_at, row.deadline_flag_due_at) == (
        "due_soon", at(2025, 5, 6, 10), at(2025, 5, 7, 9)
    )  # fmt: skip
    assert _told("dossier_due_soon", d) == ["chuyenvien.stttt"]
    # run twice: nothing changes, nobody is told again
    travel(at(2025, 5, 6, 11))
    again = tasks.sweep_deadlines.enqueue().return_value
    assert again["due_soon"] == 0
    assert again["notifications"] == 0
    assert _told("dossier_due_soon", d) == ["chuyenvien.stttt"]
    travel(at(2025, 5, 7, 9, 30))
    counts = tasks.deadline_sweep()
    assert counts["overdue"] == 1
    assert _flag(d) == "overdue"
    # overdue: the specialist and the processing agency's leader
    assert _told("dossier_overdue", d) == ["chuyenvien.stttt", "lanhdao.stttt"]
    note = Notification().objects.get(kind="dossier_overdue", recipient=world["lanhdao.stttt"])
    assert note.subject_vi == f"Hồ sơ {d.code} đã quá hạn"
    assert "đã đến hạn lúc 09:00 07/05/2025" in note.body_vi
    assert tasks.deadline_sweep()["overdue"] == 0
    assert Notification().objects.filter(kind="dossier_overdue").count() == 2


def test_recipients_follow_the_step_role_and_agency(world, submit, act, travel):
    received = _counter(submit)  # at the centre, not transferred
    unassigned = act(_counter(submit), "transfer", "motcua.ttpvhcc")
    assigned = _assigned(world, submit, act)
    with_leader = act(_assigned(world, submit, act), "submit_to_leader", "chuyenvien.stttt")
    approved = act(act(_assigned(world, submit, act), "submit_to_leader", "chuyenvien.stttt"), "approve",
                   "lanhdao.stttt")  # fmt: skip
    assert {d.legal_due_at for d in (received, unassigned, assigned, with_leader, approved)} == {at(2025, 3, 6, 8)}
    travel(at(2025, 3, 5, 9))
    counts = tasks.deadline_sweep()
    assert counts["due_soon"] == 5
    assert _told("dossier_due_soon", received) == ["motcua.ttpvhcc"]  # one-stop officers of the centre
    assert _told("dossier_due_soon", unassigned) == ["lanhdao.stttt"]  # leaders while nobody is assigned
    assert _told("dossier_due_soon", assigned) == ["chuyenvien.stttt"]  # the assignee
    assert _told("dossier_due_soon", with_leader) == ["lanhdao.stttt"]
    assert _told("dossier_due_soon", approved) == ["vanthu.stttt"]  # the clerks issue the result
    # nobody of another agency hears of it
    assert not Notification().objects.filter(recipient__username__in=["lanhdao.skhdt", "chuyenvien.skhdt"]).exists()
    # the transfer step of the paper dossier (same working day) is running late: its officer is told
    assert "motcua.ttpvhcc" in _told("dossier_step_late", received)
    step = DossierStep.objects.get(dossier=received, finished_at__isnull=True)
    assert step.late_flagged_at == at(2025, 3, 5, 9)
    assert tasks.deadline_sweep()["steps_late"] == 0  # once
    travel(at(2025, 3, 6, 9))
    counts = tasks.deadline_sweep()
    assert counts["overdue"] == 5
    assert _told("dossier_overdue", received) == ["lanhdao.stttt", "motcua.ttpvhcc"]
    assert _told("dossier_overdue", approved) == ["lanhdao.stttt", "vanthu.stttt"]
    assert _told("dossier_overdue", unassigned) == ["lanhdao.stttt"]  # one notification, not two
    staff_mail = apps.get_model("notifications", "Delivery").objects.filter(kind="dossier_overdue")
    assert set(staff_mail.values_list("channel", flat=True)) <= {"email"}  # staff get no SMS


def test_paused_dossier_is_not_due_and_a_restart_rearms(world, submit, act, travel):
    d = _assigned(world, submit, act)  # due Thu 6 Mar 08:00
    travel(at(2025, 3, 5, 9))
    assert tasks.deadline_sweep()["due_soon"] == 1
    d = act(d, "request_supplement", "chuyenvien.stttt", reason="Thiếu bản sao giấy phép")
    assert _flag(d) == ""  # paused: the mark goes at once
    travel(at(2025, 3, 10, 9))  # long past the old due instant
    counts = tasks.deadline_sweep()
    assert counts["overdue"] == counts["due_soon"] == 0
    assert _flag(d) == ""
    d = act(d, "supplement", "motcua.ttpvhcc", files=[FileInput(f"{PRESS}-TP01", "bo-sung.pdf", PDF)])
    assert d.legal_due_at == at(2025, 3, 13, 9)  # restarted: 3 working days from the completed dossier
    travel(at(2025, 3, 12, 10))
    assert tasks.deadline_sweep()["due_soon"] == 1
    assert Notification().objects.filter(kind="dossier_due_soon", recipient=world["chuyenvien.stttt"]).count() == 2
    keys = sorted(Notification().objects.filter(kind="dossier_due_soon").values_list("dedupe_key", flat=True))
    assert keys == [f"dossiers:{d.code}:due_soon:2025-03-06T01:00:00+00:00",
                    f"dossiers:{d.code}:due_soon:2025-03-13T02:00:00+00:00"]  # fmt: skip


def test_finishing_clears_the_mark(world, submit, act, travel):
    d = act(act(_assigned(world, submit, act), "submit_to_leader", "chuyenvien.stttt"), "approve", "lanhdao.stttt")
    travel(at(2025, 3, 7, 9))
    assert tasks.deadline_sweep()["overdue"] == 1
    d = act(d, "issue_result", "vanthu.stttt")
    assert _flag(d) == ""
    counts = tasks.deadline_sweep()
    assert counts["overdue"] == 0
    assert counts["cleared"] == 0
    assert counts["notifications"] == 0


def test_a_stale_mark_is_cleared_by_the_sweep(world, submit, act, travel):
    d = _assigned(world, submit, act)
    travel(at(2025, 3, 5, 9))
    tasks.deadline_sweep()
    # the due instant moved later without a transition clearing the mark (e.g. a calendar fix)
    Dossier.objects.filter(pk=d.pk).update(legal_due_at=at(2025, 3, 20, 9))
    counts = tasks.deadline_sweep()
    assert counts["cleared"] == 1
    assert _flag(d) == ""


def test_nightly_summary_one_message_per_leader_per_day(world, submit, act, travel):
    _assigned(world, submit, act)
    act(_counter(submit), "transfer", "motcua.ttpvhcc")
    travel(at(2025, 3, 6, 1))  # 01:00: both due at 08:00 today → due soon
    result = tasks.summarise_deadlines.enqueue().return_value
    assert result == {"agencies": 1, "notifications": 1}
    [note] = Notification().objects.filter(kind="dossier_daily_summary")
    assert note.recipient == world["lanhdao.stttt"]
    assert "Sở Thông tin và Truyền thông" in note.body_vi
    assert "0 hồ sơ quá hạn, 2 hồ sơ sắp đến hạn" in note.body_vi
    assert note.link == "/mot-cua/hang-doi/overdue/"
    travel(at(2025, 3, 6, 1, 30))
    assert tasks.deadline_summary()["notifications"] == 0  # once a day
    travel(at(2025, 3, 7, 1))
    assert tasks.deadline_summary()["notifications"] == 1
    assert "2 hồ sơ quá hạn, 0 hồ sơ sắp đến hạn" in Notification().objects.filter(
        kind="dossier_daily_summary").latest("id").body_vi  # fmt: skip


def test_no_marks_no_summary(world):
    assert tasks.deadline_summary() == {"agencies": 0, "notifications": 0}
    assert not Notification().objects.exists()


# --- applicant notices -----------------------------------------------------------------------


def test_a_transition_only_queues_the_applicant_notice_for_the_worker(
    world, submit, act, django_capture_on_commit_callbacks, settings
):
    """With the production task backend (the database), the request of a transition writes one
    task row; the notice itself is made when the worker runs the task."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_TASKS
    d = submit(PRESS)
    with django_capture_on_commit_callbacks(execute=True):
        d = act(d, "receive", "motcua.ttpvhcc")
    assert not Notification().objects.exists()
    [queued] = DBTaskResult.objects.filter(task_path="egov.dossiers.tasks.notify_applicant_task")
    assert queued.args_kwargs["args"] == [d.pk, "receive", queued.args_kwargs["args"][2]]
    assert tasks.notify_applicant(*queued.args_kwargs["args"]) == 1
    [note] = Notification().objects.filter(recipient=world["citizen"])
    assert note.kind == "dossier_received"


def test_online_applicant_hears_of_reception_and_supplement(
    world, submit, act, travel, django_capture_on_commit_callbacks
):
    d = submit(PRESS)  # online by the citizen (phone 0912345678, no e-mail)
    assert not Notification().objects.exists()  # submitting is not a notice
    with django_capture_on_commit_callbacks(execute=True):
        d = act(d, "receive", "motcua.ttpvhcc")
    [note] = Notification().objects.filter(recipient=world["citizen"])
    assert note.kind == "dossier_received"
    assert note.link == f"/ho-so-cua-toi/{d.code}/"  # the applicant's page in the portal
    assert note.subject_vi == f"Hồ sơ {d.code} của ông/bà đã được tiếp nhận"
    assert "Hẹn trả kết quả: " in note.body_vi
    [sms] = note.deliveries.all()
    assert sms.channel == "sms"
    assert sms.address == "+84912345678"
    assert sms.status == "sent"
    assert sms.body.startswith(f"egov: ho so {d.code} da duoc tiep nhan. Hen tra ket qua:")
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    with django_capture_on_commit_callbacks(execute=True):
        act(d, "request_supplement", "chuyenvien.stttt", reason="Thiếu bản sao giấy phép")
    note = Notification().objects.get(recipient=world["citizen"], kind="dossier_supplement_requested")
    assert "Nội dung cần bổ sung: Thiếu bản sao giấy phép" in note.body_vi
    assert Notification().objects.filter(recipient=world["citizen"]).count() == 2  # assign told them nothing


def test_counter_applicant_without_account_gets_email_and_sms(
    world, submit, act, travel, django_capture_on_commit_callbacks
):
    from egov.dossiers.services import Applicant

    person = Applicant(name="Phạm Thị Hoa", email="hoa@example.vn", phone="0903 123 456")
    with django_capture_on_commit_callbacks(execute=True):
        d = _counter(submit, applicant=person)
    deliveries = apps.get_model("notifications", "Delivery").objects.filter(kind="dossier_received")
    assert sorted(deliveries.values_list("channel", "address")) == [("email", "hoa@example.vn"),
                                                                    ("sms", "+84903123456")]  # fmt: skip
    email = deliveries.get(channel="email")
    assert email.subject == f"Hồ sơ {d.code} của ông/bà đã được tiếp nhận"
    assert "Hẹn trả kết quả: 08:00 06/03/2025." in email.body
    d = act(act(d, "transfer", "motcua.ttpvhcc"), "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    assert deliveries.count() == 2  # transfer and assignment tell the applicant nothing
    travel(at(2025, 3, 4, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_apologise(actor=world["lanhdao.stttt"], code=d.code, reason="Chờ xác minh",
                                   new_due_at=at(2025, 3, 10, 8))  # fmt: skip
    apology = apps.get_model("notifications", "Delivery").objects.get(kind="dossier_apology", channel="sms")
    assert apology.address == "+84903123456"
    assert apology.body == f"egov: xin loi ong/ba, ho so {d.code} bi cham. Hen tra ket qua moi: 08:00 10/03/2025."


def test_result_and_apology_notices(world, submit, act, travel, django_capture_on_commit_callbacks):
    d = act(submit(PRESS), "receive", "motcua.ttpvhcc")
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    travel(at(2025, 3, 4, 9))
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_apologise(actor=world["lanhdao.stttt"], code=d.code, reason="Chờ xác minh",
                                   new_due_at=at(2025, 3, 12, 8))  # fmt: skip
    apology = Notification().objects.get(recipient=world["citizen"], kind="dossier_apology")
    assert "Thời gian hẹn trả kết quả mới là 08:00 12/03/2025." in apology.body_vi
    assert "Lý do: Chờ xác minh" in apology.body_vi
    d = act(act(d, "submit_to_leader", "chuyenvien.stttt"), "approve", "lanhdao.stttt")
    with django_capture_on_commit_callbacks(execute=True):
        act(d, "issue_result", "vanthu.stttt")
    result = Notification().objects.get(recipient=world["citizen"], kind="dossier_result_ready")
    assert "đã giải quyết xong và đã có kết quả" in result.body_vi
    assert "tải kết quả trong tài khoản" in result.body_vi  # an online dossier's result is returned online


def test_a_failing_notice_never_blocks_the_transition(
    world, submit, act, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from egov.notifications import services as notifications

    def broken(**kwargs):
        raise RuntimeError("SMTP on fire")

    monkeypatch.setattr(notifications, "notify", broken)
    d = submit(PRESS)
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("ERROR", logger="egov.dossiers"):
        d = act(d, "receive", "motcua.ttpvhcc")
    assert Dossier.objects.get(pk=d.pk).status == "transferred"
    assert any(r.getMessage() == "dossiers.applicant_notice_failed" for r in caplog.records)
    assert not Notification().objects.exists()


def test_refusal_notice_carries_the_reason(world, submit, act, django_capture_on_commit_callbacks):
    d = submit(PRESS)
    with django_capture_on_commit_callbacks(execute=True):
        act(d, "refuse", "motcua.ttpvhcc", reason="Thủ tục không thuộc thẩm quyền")
    note = Notification().objects.get(recipient=world["citizen"])
    assert note.kind == "dossier_refused"
    assert note.subject_vi == f"Hồ sơ {d.code} không được tiếp nhận"
    assert "Lý do: Thủ tục không thuộc thẩm quyền" in note.body_vi
    assert "Reason: Thủ tục không thuộc thẩm quyền" in note.body_en
