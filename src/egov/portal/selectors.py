"""Reads of the citizen's side of one-stop dossiers ("Hồ sơ của tôi").

Compositions of the dossiers app's access selectors, narrowed to the dossiers whose applicant
account is the user: a citizen sees only their own dossiers, and another citizen's (or a missing)
dossier is the same not-found. Staff use the back office (/mot-cua/), never these reads.
The history is retold for the applicant: which agency did what and when, with the reason only
where it is addressed to the applicant (supplement, refusal, rejection, payment, stop, apology,
their own withdrawal); staff names and internal notes are never shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError, NotFound
from egov.dossiers import selectors as dossiers
from egov.portal.errors import PortalErrorCode as Code

# Status groups of the list filter, by national (DVCQG) status code (vn-standards §5.4).
STATUS_GROUPS: dict[str, tuple[Promise, frozenset[int]]] = {
    "dang-giai-quyet": (_("Being processed"), frozenset({1, 2, 4})),
    "cho-bo-sung": (_("Waiting for you or paused"), frozenset({5, 6, 8})),
    "co-ket-qua": (_("Result ready"), frozenset({9})),
    "da-ket-thuc": (_("Closed"), frozenset({3, 7, 10})),
}
# The slips the applicant receives, by URL slug (form 05, the control slip, is internal).
CITIZEN_FORMS: dict[str, tuple[str, Promise]] = {
    "tiep-nhan": ("receipt", _("Receipt and appointment slip (form 01)")),
    "yeu-cau-bo-sung": ("supplement", _("Request to supplement the dossier (form 02)")),
    "tu-choi": ("refusal", _("Refusal slip (form 03)")),
    "xin-loi": ("apology", _("Apology and new appointment (form 04)")),
}
DOWNLOADABLE_KINDS = ("applicant", "result")
APPLICANT_ACTIONS = ("withdraw", "supplement")
# actions whose reason is addressed to the applicant
REASON_FOR_APPLICANT = frozenset(
    {"refuse", "request_supplement", "reject", "request_payment", "stop", "withdraw", "apologise"}
)
EVENT_TEXT: dict[str, Promise] = {
    "receive": _("%(agency)s received the dossier."),
    "refuse": _("%(agency)s refused to accept the dossier."),
    "request_supplement": _("%(agency)s asked you to supplement the dossier."),
    "transfer": _("%(agency)s sent the dossier to %(processing)s."),
    "assign": _("%(agency)s assigned the dossier to an official."),
    "start_appraisal": _("%(agency)s started examining the dossier."),
    "submit_to_leader": _("%(agency)s submitted the dossier to its leader for a decision."),
    "send_back": _("%(agency)s is examining the dossier further."),
    "approve": _("The leader of %(agency)s approved the request."),
    "reject": _("The leader of %(agency)s decided not to grant the request."),
    "request_payment": _("%(agency)s asked you to pay the fees or taxes."),
    "confirm_payment": _("%(agency)s confirmed the payment."),
    "stop": _("%(agency)s stopped processing the dossier."),
    "resume": _("%(agency)s resumed processing the dossier."),
    "issue_result": _("%(agency)s issued the result."),
    "return_result": _("%(agency)s returned the result."),
    "withdraw": _("%(agency)s recorded the withdrawal of the dossier at your request."),
    "supplement": _("The dossier was supplemented at %(agency)s."),
    "apologise": _("%(agency)s apologised for the delay and set a new appointment."),
}
BY_APPLICANT_TEXT: dict[str, Promise] = {
    "submit": _("You submitted the dossier online."),
    "supplement": _("You supplemented the dossier."),
    "withdraw": _("You withdrew the dossier."),
}


@dataclass(frozen=True)
class StatusWords:
    state: str  # the dossier's state in plain words
    current_step: str  # where it is now, as the public lookup says it
    dvcqg_status: int  # the national portal's status code 1–10
    dvcqg_label: str


@dataclass(frozen=True)
class MyDossierRow:
    code: str
    procedure: str
    status: StatusWords
    submitted_at: datetime.datetime
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    result_ready: bool


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    action: str
    text: str
    reason: str
    new_due_at: datetime.datetime | None


def is_staff(user: Any) -> bool:
    """Staff are sent to the back office: these pages are the applicant's."""
    return bool(getattr(user, "is_staff_member", False))


def _own(user: Any) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False) or is_staff(user):
        return dossiers.dossiers_visible_to(None)
    return dossiers.dossiers_visible_to(user).filter(applicant_id=user.pk)


def status_words(d: Any) -> StatusWords:
    state = dossiers.State(d.status)
    code = dossiers.DVCQG_CODE[state]
    return StatusWords(
        state=str(state.label),
        current_step=str(dossiers.CURRENT_STEP[state]),
        dvcqg_status=code,
        dvcqg_label=str(dossiers.DVCQG_LABEL[code]),
    )


def status_codes_of_group(group: str) -> frozenset[int]:
    if group not in STATUS_GROUPS:
        raise EgovError(Code.UNKNOWN_GROUP, _("Unknown status group “%(group)s”."), field="nhom",
                        params={"group": str(group)[:30]})  # fmt: skip
    return STATUS_GROUPS[group][1]


def my_dossiers(*, user: Any, group: str = "") -> list[MyDossierRow]:
    """The user's own dossiers, newest first, optionally one status group (bad group: EgovError)."""
    qs = _own(user)
    if group:
        codes = status_codes_of_group(group)
        qs = qs.filter(status__in=[state for state, code in dossiers.DVCQG_CODE.items() if code in codes])
    qs = qs.annotate(results=Count("files", filter=Q(files__kind="result"))).order_by("-submitted_at", "-id")
    return [
        MyDossierRow(
            code=d.code,
            procedure=d.procedure_version.name_vi,
            status=status_words(d),
            submitted_at=d.submitted_at,
            received_at=d.received_at,
            due_at=d.due_at,
            result_ready=bool(d.results),
        )
        for d in qs[:500]
    ]


def my_dossier(*, user: Any, code: str) -> Any:
    """The user's own dossier `code`; the same NotFound for missing, another's or staff."""
    d = _own(user).filter(code=(code or "")[:40]).first()
    if d is None:
        raise NotFound(Code.NOT_FOUND, _("You have no dossier with the code %(code)s."),
                       params={"code": str(code)[:40]})  # fmt: skip
    return d


def applicant_actions(d: Any, user: Any) -> list[str]:
    """What the applicant may do now, as the state machine says (withdraw, supplement)."""
    return [a for a in dossiers.allowed_actions(d, user) if a in APPLICANT_ACTIONS]


def _agency_name(agency: Any) -> str:
    return str(getattr(agency, "name_vi", "") or "")


def timeline(d: Any) -> list[TimelineEntry]:
    """The history told to the applicant (no staff names, no internal notes)."""
    out = []
    for e in dossiers.dossier_history(d):
        by_applicant = e.actor_id is not None and e.actor_id == d.applicant_id
        agency = e.agency or (d.receiving_centre if e.action in ("submit", "receive") else d.processing_agency)
        if by_applicant and e.action in BY_APPLICANT_TEXT:
            text = str(BY_APPLICANT_TEXT[e.action])
        elif e.action == "submit":
            text = str(_("The dossier was filed at %(agency)s.")) % {"agency": _agency_name(d.receiving_centre)}
        else:
            template = EVENT_TEXT.get(e.action, _("%(agency)s updated the dossier."))
            text = str(template) % {"agency": _agency_name(agency), "processing": _agency_name(d.processing_agency)}
        new_due = parse_datetime(str(e.data.get("new_due_at") or "")) if isinstance(e.data, dict) else None
        out.append(
            TimelineEntry(
                at=e.at,
                action=e.action,
                text=text,
                reason=e.reason if e.action in REASON_FOR_APPLICANT else "",
                new_due_at=new_due,
            )
        )
    return out


def submitted_files(d: Any) -> list[Any]:
    return list(d.files.filter(kind="applicant").select_related("component").order_by("id"))


def result_files(d: Any) -> list[Any]:
    return list(d.files.filter(kind="result").order_by("-id"))


def my_dossier_file(*, user: Any, code: str, file_id: int) -> Any:
    """A stored file of the user's own dossier: what they submitted, or the result."""
    d = my_dossier(user=user, code=code)
    item = d.files.filter(pk=file_id, kind__in=DOWNLOADABLE_KINDS).first()
    if item is None:
        raise NotFound(Code.NOT_FOUND, _("The dossier has no such file."))
    return item


def supplement_components(d: Any) -> list[Any]:
    """The dossier components the applicant may upload to when supplementing."""
    return [c for c in d.procedure_version.components.all() if c.case_id in (None, d.case_id)]


def forms_available(d: Any, user: Any) -> list[tuple[str, str]]:
    """(slug, label) of the slips issued for the dossier."""
    issued = set(dossiers.dossier_forms_available(d, user))
    return [(slug, str(label)) for slug, (form, label) in CITIZEN_FORMS.items() if form in issued]


def form_pdf(d: Any, slug: str, user: Any) -> tuple[bytes, bool]:
    """(PDF bytes, sealed) of an applicant's slip, rendered now and sealed by the receiving
    centre; NotFound for an unknown slug or a slip not issued for this dossier."""
    if slug not in CITIZEN_FORMS:
        raise NotFound(Code.NOT_FOUND, _("The dossier has no such slip."))
    try:
        sealed = dossiers.dossier_form_pdf(d=d, form=CITIZEN_FORMS[slug][0], user=user)
    except EgovError as error:
        raise NotFound(Code.NOT_FOUND, _("The dossier has no such slip.")) from error
    return sealed.data, sealed.signed


def apologies(d: Any) -> list[Any]:
    """Form 04 records: reason, agency at fault, old and new appointment."""
    return list(d.apologies.select_related("agency_at_fault").order_by("number"))
