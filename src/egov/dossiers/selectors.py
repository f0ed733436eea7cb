"""Reads: access-scoped dossier lookups, the back-office queues, the public lookup and the
statistics. Staff see the dossiers of the agencies where they hold a role (as receiving centre
or processing agency); citizens only their own; everyone else gets the same not-found."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError, NotFound
from egov.dossiers import clock, lifecycle
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.lifecycle import DVCQG_CODE, DVCQG_LABEL, State
from egov.dossiers.models import ChannelKind, Dossier, DossierEvent, Timeliness
from egov.orgs import selectors as orgs
from egov.workcalendar import selectors as calendar

QUEUES = ("to_receive", "to_transfer", "to_assign", "to_process", "to_approve", "to_issue", "to_return",
          "due_soon", "overdue")  # fmt: skip
QUEUE_LABELS = {
    "to_receive": _("To receive"),
    "to_transfer": _("To transfer"),
    "to_assign": _("To assign"),
    "to_process": _("To process"),
    "to_approve": _("To approve"),
    "to_issue": _("To issue the result"),
    "to_return": _("To return"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
}
RUNNING = [
    s for s in State.values if s not in lifecycle.CLOSED and s not in lifecycle.FINISHED and s != State.SUBMITTED
]


def _base() -> QuerySet[Dossier]:
    return Dossier.objects.select_related(
        "procedure_version", "receiving_centre", "processing_agency", "assignee", "applicant"
    )


def staff_agencies(user: Any) -> dict[int, set[str]]:
    """agency id → roles the user holds there today."""
    out: dict[int, set[str]] = {}
    for m in orgs.memberships_for_user(user):
        out.setdefault(m.agency_id, set()).update(m.roles)
    return out


def dossiers_visible_to(user: Any) -> QuerySet[Dossier]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    if getattr(user, "is_superuser", False):
        return _base()
    agencies = list(staff_agencies(user))
    q = Q(applicant_id=user.pk) | Q(created_by_id=user.pk)
    if agencies:
        q |= Q(receiving_centre_id__in=agencies) | Q(processing_agency_id__in=agencies)
    return _base().filter(q)


def dossier_get_for_user(*, user: Any, code: str) -> Dossier:
    d = dossiers_visible_to(user).filter(code=code).first()
    if d is None:
        raise NotFound(Code.NOT_FOUND, _("No dossier has the code %(code)s."), params={"code": str(code)[:40]})
    return d


def dossier_history(d: Dossier) -> QuerySet[DossierEvent]:
    return d.events.select_related("actor", "agency").order_by("at", "id")


def allowed_actions(d: Dossier, user: Any) -> list[str]:
    """The actions `user` may take on `d` now (what the dossier page offers)."""
    out: list[str] = []
    roles = staff_agencies(user)
    for t in lifecycle.transitions_from(d.status):
        for scope, role in t.roles:
            if scope == lifecycle.Scope.APPLICANT:
                ok = d.applicant_id is not None and d.applicant_id == getattr(user, "pk", None)
            else:
                agency_id = d.receiving_centre_id if scope == lifecycle.Scope.CENTRE else d.processing_agency_id
                ok = role in roles.get(agency_id, set())
            if ok and t.action not in out:
                out.append(t.action)
    return out


def _ids_with(roles: dict[int, set[str]], *wanted: str) -> list[int]:
    return [agency for agency, held in roles.items() if held & set(wanted)]


def dossier_queue(*, user: Any, queue: str, now: datetime.datetime | None = None) -> QuerySet[Dossier]:
    now = now or timezone.now()
    roles = staff_agencies(user)
    officer = _ids_with(roles, "one_stop_officer")
    processing = _ids_with(roles, "specialist", "leader", "clerk")
    qs = _base()
    if queue == "to_receive":
        return qs.filter(status=State.SUBMITTED, receiving_centre_id__in=officer).order_by("submitted_at")
    if queue == "to_transfer":
        return qs.filter(status=State.RECEIVED, receiving_centre_id__in=officer).order_by("received_at")
    if queue == "to_assign":
        ids = _ids_with(roles, "leader", "clerk")
        return qs.filter(status=State.TRANSFERRED, processing_agency_id__in=ids).order_by("legal_due_at")
    if queue == "to_process":
        return qs.filter(
            status__in=[State.ASSIGNED, State.IN_APPRAISAL],
            processing_agency_id__in=_ids_with(roles, "specialist"),
            assignee_id=user.pk,
        ).order_by("legal_due_at")
    if queue == "to_approve":
        return qs.filter(
            status=State.SUBMITTED_TO_LEADER, processing_agency_id__in=_ids_with(roles, "leader")
        ).order_by("legal_due_at")
    if queue == "to_issue":
        return qs.filter(
            status__in=[State.APPROVED, State.REJECTED], processing_agency_id__in=_ids_with(roles, "clerk", "leader")
        ).order_by("legal_due_at")
    if queue == "to_return":
        return qs.filter(status=State.RESULT_ISSUED, receiving_centre_id__in=officer).order_by("finished_at")
    mine = Q(receiving_centre_id__in=officer) | Q(processing_agency_id__in=processing)
    running = qs.filter(mine, status__in=RUNNING).exclude(status__in=list(lifecycle.PAUSED))
    if queue == "due_soon":
        horizon = calendar.add_working_days(now, 1).due
        return running.filter(due_at__gte=now, due_at__lte=horizon).order_by("due_at")
    if queue == "overdue":
        return running.filter(due_at__lt=now).order_by("due_at")
    raise EgovError(Code.INVALID, _("Unknown queue “%(queue)s”."), field="queue", params={"queue": str(queue)[:30]})


def queue_counts(*, user: Any) -> dict[str, int]:
    return {q: dossier_queue(user=user, queue=q).count() for q in QUEUES}


# --- public lookup -------------------------------------------------------------------------------

CURRENT_STEP = {
    State.SUBMITTED: _("Waiting for the one-stop desk to receive it"),
    State.RECEIVED: _("Received at the one-stop desk"),
    State.NOT_ACCEPTED: _("Not accepted"),
    State.SUPPLEMENT_REQUESTED: _("Waiting for the applicant to supplement the dossier"),
    State.TRANSFERRED: _("At the processing agency, waiting to be assigned"),
    State.ASSIGNED: _("Being examined by a specialist"),
    State.IN_APPRAISAL: _("Being examined by a specialist"),
    State.SUBMITTED_TO_LEADER: _("Waiting for the leader's decision"),
    State.APPROVED: _("Decided; the result is being prepared"),
    State.REJECTED: _("Decided; the answer is being prepared"),
    State.FINANCIAL_OBLIGATION: _("Waiting for the fees or taxes to be paid"),
    State.STOPPED: _("Processing stopped"),
    State.WITHDRAWN: _("Withdrawn at the applicant's request"),
    State.RESULT_ISSUED: _("The result is ready to be collected"),
    State.RETURNED: _("The result has been returned"),
}


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    status: int
    status_label: str
    current_step: str
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None


def dossier_public_lookup(code: str) -> PublicStatus:
    """Status only: never the applicant's name, identity number, address or files."""
    d = Dossier.objects.select_related("procedure_version").filter(code=(code or "").strip()[:40]).first()
    if d is None:
        raise NotFound(Code.NOT_FOUND, _("No dossier has the code %(code)s."), params={"code": str(code)[:40]})
    status = DVCQG_CODE[State(d.status)]
    return PublicStatus(
        code=d.code,
        procedure=d.procedure_version.name_vi,
        status=status,
        status_label=str(DVCQG_LABEL[status]),
        current_step=str(CURRENT_STEP[State(d.status)]),
        received_at=d.received_at,
        due_at=d.due_at,
        finished_at=d.finished_at,
    )


# --- statistics ---------------------------------------------------------------------------------


def _aware(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day + datetime.timedelta(days=1) if end else day, datetime.time(0), clock.TZ)
    return moment


def dossier_statistics(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    agency: str = "",
    centre: str = "",
    procedure: str = "",
    field: str = "",
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The counts of a period (vn-standards §5.5; the report of Circular 01/2018):
    carried over, received (by channel), finished early / on time / late (against the legal due
    date: a late dossier with an apology is still late), in progress within / over the deadline
    at the end of the period, paused now, withdrawn, returned, not accepted."""
    if date_to < date_from or (date_to - date_from).days > 366 * 5:
        raise EgovError(Code.PERIOD, _("The period is not valid."), field="to")
    start, end = _aware(date_from), _aware(date_to, end=True)
    cut = min(end, now or timezone.now())
    qs = Dossier.objects.exclude(received_at__isnull=True)
    if agency:
        qs = qs.filter(processing_agency__code=orgs.normalise_code(agency) or agency)
    if centre:
        qs = qs.filter(receiving_centre__code=orgs.normalise_code(centre) or centre)
    if procedure:
        qs = qs.filter(Q(procedure_version__procedure__code=procedure) | Q(procedure_version__instance_code=procedure))
    if field:
        qs = qs.filter(procedure_version__field__code=field)
    open_at_start = (
        Q(received_at__lt=start)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))
    )
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    still_open = (
        Q(received_at__lt=end)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=end))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    )
    counts = qs.aggregate(
        carried_over=Count("id", filter=open_at_start),
        received=Count("id", filter=received),
        received_online=Count("id", filter=received & Q(channel_kind=ChannelKind.ONLINE)),
        received_counter=Count("id", filter=received & Q(channel_kind=ChannelKind.COUNTER)),
        received_post=Count("id", filter=received & Q(channel_kind=ChannelKind.POST)),
        finished=Count("id", filter=finished),
        finished_early=Count("id", filter=finished & Q(timeliness=Timeliness.EARLY)),
        finished_on_time=Count("id", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        finished_late=Count("id", filter=finished & Q(timeliness=Timeliness.LATE)),
        in_progress=Count("id", filter=still_open),
        in_progress_overdue=Count("id", filter=still_open & Q(legal_due_at__lt=cut)),
        paused=Count("id", filter=still_open & Q(status__in=list(lifecycle.PAUSED))),
        withdrawn=Count("id", filter=Q(status=State.WITHDRAWN, closed_at__gte=start, closed_at__lt=end)),
        returned=Count("id", filter=Q(returned_at__gte=start, returned_at__lt=end)),
        with_apology=Count("id", filter=finished & Q(apologies__isnull=False), distinct=True),
    )
    counts["not_accepted"] = (
        Dossier.objects.filter(status=State.NOT_ACCEPTED, closed_at__gte=start, closed_at__lt=end)
        .filter(**({"processing_agency__code": orgs.normalise_code(agency) or agency} if agency else {}))
        .count()
    )
    counts["in_progress_within"] = counts["in_progress"] - counts["in_progress_overdue"]
    total = counts["finished"]
    counts["early_or_on_time_percent"] = (
        round(100 * (counts["finished_early"] + counts["finished_on_time"]) / total, 2) if total else None
    )
    counts["period"] = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    return counts


def statistics_by_agency(*, date_from: datetime.date, date_to: datetime.date) -> list[dict[str, Any]]:
    codes = (
        Dossier.objects.exclude(received_at__isnull=True)
        .values_list("processing_agency__code", flat=True)
        .distinct()
        .order_by("processing_agency__code")
    )
    return [{"agency": code, **dossier_statistics(date_from=date_from, date_to=date_to, agency=code)} for code in codes]


def user_can_see_statistics(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_superuser", False) or staff_agencies(user))


def tracking_book(*, centre_id: int, date_from: datetime.date, date_to: datetime.date) -> list[Dossier]:
    return list(
        _base()
        .filter(
            receiving_centre_id=centre_id, received_at__gte=_aware(date_from), received_at__lt=_aware(date_to, True)
        )
        .order_by("received_at", "id")[:5000]
    )
