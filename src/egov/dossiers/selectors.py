"""Reads: access-scoped dossier lookups, the back-office queues, the public lookup and the
statistics. Staff see the dossiers of the agencies where they hold a role (as receiving centre
or processing agency); citizens only their own; everyone else gets the same not-found."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError, NotFound
from egov.dossiers import clock, lifecycle, printing, statistics
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.lifecycle import DVCQG_CODE, DVCQG_LABEL, State
from egov.dossiers.models import Dossier, DossierEvent
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
    # the applicant, and the staff of the receiving centre and of the processing agency *today*
    # (an officer who received a dossier and then left the centre no longer sees it)
    q = Q(applicant_id=user.pk)
    if agencies:
        q |= Q(receiving_centre_id__in=agencies) | Q(processing_agency_id__in=agencies)
    return _base().filter(q)


def dossier_get_for_user(*, user: Any, code: str) -> Dossier:
    d = dossiers_visible_to(user).filter(code=code).first()
    if d is None:
        raise NotFound(Code.NOT_FOUND, _("No dossier has the code %(code)s."), params={"code": str(code)[:40]})
    return d


def is_staff_for(d: Dossier, user: Any) -> bool:
    """Does `user` work on `d` (superuser, or a member of its receiving centre or processing agency)?"""
    if getattr(user, "is_superuser", False):
        return True
    roles = staff_agencies(user)
    return d.receiving_centre_id in roles or d.processing_agency_id in roles


# Form 05 (control slip) names the officers who handled each step: for the staff only.
STAFF_ONLY_FORMS = frozenset({"control"})


def dossier_forms_available(d: Dossier, user: Any) -> list[str]:
    """The standard forms (01–05) issued for `d` that `user` may print."""
    staff = is_staff_for(d, user)
    return [f for f, check in printing.FORM_AVAILABLE.items() if (staff or f not in STAFF_ONLY_FORMS) and check(d)]


def dossier_form_pdf(*, d: Dossier, form: str, user: Any) -> printing.SealedPdf:
    """A standard form of `d` rendered now and sealed by the receiving centre; NotFound when the
    form was not issued for the dossier or is not for this user (the control slip for an applicant)."""
    if form in STAFF_ONLY_FORMS and not is_staff_for(d, user):
        raise NotFound(Code.NOT_FOUND, _("This form does not exist for the dossier."))
    return printing.form_pdf(d, form)


def dossier_history(d: Dossier) -> QuerySet[DossierEvent]:
    return d.events.select_related("actor", "agency").order_by("at", "id")


EVENT_LABELS = {
    **{a.value: a.label for a in lifecycle.Action},
    "submit": _("Submitted"),
    "apologise": _("Apology and new appointment (form 04)"),
}


def event_label(action: str) -> str:
    """What a history line says happened, in the active language (the raw code when unknown)."""
    return str(EVENT_LABELS.get(action, action))


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


# The statistics live in `egov.dossiers.statistics`; these names stay importable from here.
dossier_statistics = statistics.dossier_statistics
statistics_by_agency = statistics.statistics_by_agency
user_can_see_statistics = statistics.user_can_see_statistics


def tracking_book(*, centre_id: int, date_from: datetime.date, date_to: datetime.date) -> list[Dossier]:
    return list(
        _base()
        .filter(
            receiving_centre_id=centre_id, received_at__gte=_aware(date_from), received_at__lt=_aware(date_to, True)
        )
        .order_by("received_at", "id")[:5000]
    )
