"""Background jobs of the one-stop dossiers: the deadline sweeps, and the applicant notices sent
after a transition commits.

`sweep_deadlines` (hourly, periodic "dossiers.deadline_sweep") marks every dossier whose clock runs
(received at the centre, or held by the processing agency; a paused dossier is not due) as
*due soon* (its legal due instant within `ClockRule.due_soon_working_days` working days, counted
by workcalendar) or *overdue* (the legal due instant has passed), clears the mark of the others,
and marks internal steps running past their allotted time. Each new mark notifies the people
responsible for the dossier's current step, once per (dossier, mark, legal due instant): the
assignee for a specialist step (the processing agency's leaders while unassigned), the leaders for
the leader step, the clerks for issuing, the one-stop officers of the receiving centre for the
transfer; *overdue* also tells the processing agency's leaders. A clock restarted after a
supplement has a new legal due instant, so it re-arms.

`summarise_deadlines` (nightly at 01:00, "dossiers.deadline_summary") runs the sweep, then sends
each leader one message a day with the due-soon and overdue counts of the agencies they lead.

`notify_applicant` is called by `services` after commit: the applicant hears of reception (with
the appointment), a supplement request, a refusal, an apology with the new appointment, and the
result (Decree 61/2018 Art. 15(3), 17, 19(9)). A failure there is logged, never raised.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from egov.common.periodic import periodic
from egov.dossiers import clock, lifecycle
from egov.dossiers.lifecycle import STEP_ROLE, Action, State
from egov.dossiers.models import ClockRule, DeadlineFlag, Dossier, DossierStep
from egov.orgs import selectors as orgs
from egov.workcalendar import selectors as calendar

logger = logging.getLogger("egov.dossiers")

# `egov.notifications.services` is imported inside the functions that use it, so that importing
# this module (from AppConfig.ready and services) never requires the notifications app's models.

# the states where the legal clock runs: received at the centre, or held by the processing agency
CLOCK_RUNS = frozenset(lifecycle.PROCESSING | {State.RECEIVED})
STAFF_CHANNELS = ("email",)  # staff are told in the platform and by e-mail; SMS is for applicants


# --- recipients ----------------------------------------------------------------------------------


class _Holders:
    """Users holding a role at an agency today, cached for one sweep."""

    def __init__(self) -> None:
        self.cache: dict[tuple[int, str], list[Any]] = {}

    def __call__(self, agency: Any, role: str) -> list[Any]:
        key = (agency.pk, role)
        if key not in self.cache:
            ids = sorted({m.user_id for m in orgs.memberships_for_agency(agency) if role in m.roles})
            self.cache[key] = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))
        return self.cache[key]


def _responsible(d: Dossier, role: str, holders: _Holders, handled_by: Any = None) -> list[Any]:
    if handled_by is not None:
        return [handled_by]
    if role == "specialist":
        return [d.assignee] if d.assignee is not None else holders(d.processing_agency, "leader")
    if role == "leader":
        return holders(d.processing_agency, "leader")
    if role == "clerk":
        return holders(d.processing_agency, "clerk") or holders(d.processing_agency, "leader")
    if role == "one_stop_officer":
        return holders(d.receiving_centre, "one_stop_officer")
    return []


def _unique(users: Iterable[Any]) -> list[Any]:
    return list({u.pk: u for u in users if u is not None}.values())


def _staff_link(d: Dossier) -> str:
    return reverse("dossiers:detail", args=[d.code])


# --- the sweep -----------------------------------------------------------------------------------


def _horizons(now: datetime.datetime) -> dict[int, datetime.datetime]:
    """rule id → the instant `due_soon_working_days` working days from now."""
    return {rule.pk: calendar.add_working_days(now, rule.due_soon_working_days).due for rule in ClockRule.objects.all()}


def flag_for(d: Dossier, now: datetime.datetime, horizons: dict[int, datetime.datetime]) -> str:
    """The mark `d` should carry at `now` ("" when none)."""
    if d.status not in CLOCK_RUNS or d.legal_due_at is None:
        return ""
    if d.legal_due_at < now:
        return DeadlineFlag.OVERDUE
    rule_id = d.clock_rule_id or clock.rule_in_force(now).pk
    horizon = horizons.get(rule_id) or calendar.add_working_days(now, 1).due
    return DeadlineFlag.DUE_SOON if d.legal_due_at <= horizon else ""


def _flag_context(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "procedure": d.procedure_version.name_vi,
        "due_at": d.legal_due_at,
        "status": State(d.status).label,
    }


def _notify_flag(d: Dossier, flag: str, holders: _Holders) -> int:
    from egov.notifications import services as notifications

    people = _responsible(d, STEP_ROLE.get(d.status, ""), holders)
    if flag == DeadlineFlag.OVERDUE:
        people += holders(d.processing_agency, "leader")
    due = d.legal_due_at.isoformat() if d.legal_due_at else ""
    created = notifications.notify(
        actor=None,
        recipients=_unique(people),
        kind=f"dossier_{flag}",
        context=_flag_context(d),
        link=_staff_link(d),
        dedupe_key=f"dossiers:{d.code}:{flag}:{due}",
        channels=STAFF_CHANNELS,
    )
    return len(created)


def _sweep_steps(now: datetime.datetime, holders: _Holders) -> tuple[int, int]:
    """Mark open steps past their allotted time (again when a pause moved their due instant past
    the old mark). Returns (steps marked, notifications)."""
    from egov.notifications import services as notifications

    steps = (
        DossierStep.objects.filter(finished_at__isnull=True, due_at__lt=now, dossier__status__in=list(CLOCK_RUNS))
        .filter(Q(late_flagged_at__isnull=True) | Q(late_flagged_at__lt=F("due_at")))
        .select_related(
            "dossier__procedure_version",
            "dossier__processing_agency",
            "dossier__receiving_centre",
            "dossier__assignee",
            "handled_by",
        )
        .order_by("due_at", "id")
    )
    marked = sent = 0
    for step in steps:
        d = step.dossier
        with transaction.atomic():
            won = DossierStep.objects.filter(pk=step.pk, late_flagged_at=step.late_flagged_at).update(
                late_flagged_at=now
            )
            if not won:
                continue
            marked += 1
            people = _responsible(d, step.role, holders, step.handled_by)
            created = notifications.notify(
                actor=None,
                recipients=_unique(people),
                kind="dossier_step_late",
                context={**_flag_context(d), "due_at": step.due_at, "step_vi": step.name_vi, "step_en": step.name_en},
                link=_staff_link(d),
                dedupe_key=f"dossiers:{d.code}:step:{step.pk}:{step.due_at.isoformat() if step.due_at else ''}",
                channels=STAFF_CHANNELS,
            )
            sent += len(created)
    return marked, sent


def deadline_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Mark, clear and notify (see the module docstring). Safe to run twice or concurrently: a
    mark changes only if nobody changed it meanwhile, and a recipient gets each key once."""
    now = now or timezone.now()
    horizons = _horizons(now)
    latest = max(horizons.values(), default=calendar.add_working_days(now, 1).due)
    candidates = (
        Dossier.objects.filter(
            Q(status__in=list(CLOCK_RUNS), legal_due_at__isnull=False, legal_due_at__lte=latest) | ~Q(deadline_flag="")
        )
        .select_related("procedure_version", "processing_agency", "receiving_centre", "assignee")
        .order_by("legal_due_at", "id")
    )
    holders = _Holders()
    counts = {"due_soon": 0, "overdue": 0, "cleared": 0, "steps_late": 0, "notifications": 0}
    for d in candidates.iterator(chunk_size=500):
        flag = flag_for(d, now, horizons)
        due = d.legal_due_at if flag else None
        if (flag, due) == (d.deadline_flag, d.deadline_flag_due_at if d.deadline_flag else None):
            continue
        with transaction.atomic():
            won = Dossier.objects.filter(
                pk=d.pk, deadline_flag=d.deadline_flag, deadline_flag_due_at=d.deadline_flag_due_at
            ).update(deadline_flag=flag, deadline_flagged_at=now if flag else None, deadline_flag_due_at=due)
            if not won:
                continue
            if not flag:
                counts["cleared"] += 1
                continue
            counts[flag] += 1
            counts["notifications"] += _notify_flag(d, flag, holders)
    steps, sent = _sweep_steps(now, holders)
    counts["steps_late"] = steps
    counts["notifications"] += sent
    logger.info("dossiers.deadline_sweep", extra=counts)
    return counts


def deadline_summary(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Refresh the marks, then one message a day to each leader of an agency with marked dossiers."""
    from egov.notifications import services as notifications

    now = now or timezone.now()
    deadline_sweep(now=now)
    day = timezone.localdate(now)
    per_agency: dict[int, dict[str, int]] = defaultdict(lambda: {"due_soon": 0, "overdue": 0})
    rows = Dossier.objects.exclude(deadline_flag="").values("processing_agency_id", "deadline_flag")
    for row in rows.annotate(n=Count("id")):
        per_agency[row["processing_agency_id"]][row["deadline_flag"]] = row["n"]
    if not per_agency:
        return {"agencies": 0, "notifications": 0}
    holders = _Holders()
    agencies = orgs.agencies_by_id(per_agency)
    by_leader: dict[int, tuple[Any, list[dict[str, Any]]]] = {}
    for agency_id in sorted(per_agency):
        agency = agencies[agency_id]
        row = {"name_vi": agency.name_vi, "name_en": agency.name_en, **per_agency[agency_id]}
        for leader in holders(agency, "leader"):
            by_leader.setdefault(leader.pk, (leader, []))[1].append(row)
    sent = 0
    for leader, rows_for_leader in by_leader.values():
        sent += len(
            notifications.notify(
                actor=None,
                recipients=[leader],
                kind="dossier_daily_summary",
                context={
                    "day": day,
                    "agencies": rows_for_leader,
                    "overdue": sum(r["overdue"] for r in rows_for_leader),
                    "due_soon": sum(r["due_soon"] for r in rows_for_leader),
                },
                link=reverse("dossiers:queue", args=["overdue"]),
                dedupe_key=f"dossiers:summary:{day.isoformat()}",
                channels=STAFF_CHANNELS,
            )
        )
    return {"agencies": len(per_agency), "notifications": sent}


@periodic("dossiers.deadline_sweep", every=datetime.timedelta(hours=1))
@task()
def sweep_deadlines() -> dict[str, int]:
    return deadline_sweep()


@periodic("dossiers.deadline_summary", every=datetime.timedelta(days=1), offset=datetime.timedelta(hours=1))
@task()
def summarise_deadlines() -> dict[str, int]:
    return deadline_summary()


# --- applicant notices ---------------------------------------------------------------------------

APPLICANT_KINDS = {
    Action.RECEIVE: "dossier_received",
    Action.REQUEST_SUPPLEMENT: "dossier_supplement_requested",
    Action.REFUSE: "dossier_refused",
    Action.ISSUE_RESULT: "dossier_result_ready",
    "apologise": "dossier_apology",
}


def notify_applicant(dossier_id: int, action: str, event_key: str) -> int:
    """Tell the applicant (their account, else the dossier's e-mail/phone) about `action`.
    Called after the transition committed; returns the number of messages queued, and logs
    instead of raising, so a notice can never undo or block a transition."""
    try:
        return _notify_applicant(dossier_id, action, event_key)
    except Exception:
        logger.exception("dossiers.applicant_notice_failed", extra={"dossier": dossier_id, "action": action})
        return 0


def _notify_applicant(dossier_id: int, action: str, event_key: str) -> int:
    from egov.notifications import services as notifications

    kind = APPLICANT_KINDS.get(action)
    d = Dossier.objects.select_related("procedure_version", "applicant").filter(pk=dossier_id).first()
    if kind is None or d is None:
        return 0
    apology = d.apologies.order_by("-number").first() if action == "apologise" else None
    reason = apology.reason if apology is not None else ""
    if action in (Action.REQUEST_SUPPLEMENT, Action.REFUSE):
        event = d.events.filter(action=action).order_by("-at", "-id").first()
        reason = event.reason if event is not None else ""
    context = {
        "code": d.code,
        "procedure": d.procedure_version.name_vi,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "reason": reason,
        "delivery": d.result_delivery,
        "old_due_at": apology.old_due_at if apology else None,
        "new_due_at": apology.new_due_at if apology else None,
    }
    key = f"dossiers:{d.code}:{kind}:{event_key}"
    if d.applicant is not None:
        # the applicant's own page in the portal ("my dossiers"; named URL, no import of the portal app)
        link = reverse("portal:my_dossier", args=[d.code])
        return len(notifications.notify(actor=None, recipients=[d.applicant], kind=kind, context=context, link=link,
                                        dedupe_key=key))  # fmt: skip
    email = notifications.normalise_email(d.applicant_email)
    phone = notifications.normalise_phone(d.applicant_phone)
    if not email and not phone:
        return 0
    link = reverse("dossiers:lookup") + f"?ma={d.code}"
    sent = notifications.notify_address(actor=None, kind=kind, context=context, email=email, phone=phone, link=link,
                                        dedupe_key=key)  # fmt: skip
    return len(sent)


_SUPPRESSED: contextvars.ContextVar[bool] = contextvars.ContextVar("dossiers_notices_suppressed", default=False)


@contextlib.contextmanager
def applicant_notices_suppressed() -> Iterator[None]:
    """No applicant notices inside the block: for replaying past events (the demo year), which
    must not send e-mails and SMS about things that happened months ago."""
    token = _SUPPRESSED.set(True)
    try:
        yield
    finally:
        _SUPPRESSED.reset(token)


def notify_applicant_after_commit(d: Dossier, action: str, event_key: str) -> None:
    """Queue `notify_applicant` for when the current transaction commits (services call this)."""
    if action not in APPLICANT_KINDS or not apps.is_installed("egov.notifications") or _SUPPRESSED.get():
        return
    if d.applicant_id is None and not (d.applicant_email or d.applicant_phone):
        return
    dossier_id = d.pk
    transaction.on_commit(lambda: _enqueue_applicant_notice(dossier_id, action, event_key))


@task()
def notify_applicant_task(dossier_id: int, action: str, event_key: str) -> int:
    """`notify_applicant` on the worker: the transition's request only queues one task row."""
    return notify_applicant(dossier_id, action, event_key)


def _enqueue_applicant_notice(dossier_id: int, action: str, event_key: str) -> None:
    # runs after the commit: a failure to queue is logged, never raised into the committed request
    try:
        notify_applicant_task.enqueue(dossier_id, action, event_key)
    except Exception:
        logger.exception("dossiers.applicant_notice_not_queued", extra={"dossier": dossier_id, "action": action})
