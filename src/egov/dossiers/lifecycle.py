"""The dossier state machine (no database access here).

Internal states are finer than the national portal's status codes (DVCQG `TrangThaiHoSo` 1–10,
vn-standards §5.4); each internal state maps to exactly one code. `TRANSITIONS` is the whole
table: from-states, action, to-state and the roles allowed to take it, and *where* the role must
be held (`Scope`): at the receiving centre, at the processing agency, or as the applicant. A
transition not in this table does not exist.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted online, awaiting reception")
    RECEIVED = "received", _("Received")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    TRANSFERRED = "transferred", _("Transferred to the processing agency")
    ASSIGNED = "assigned", _("Assigned to a specialist")
    IN_APPRAISAL = "in_appraisal", _("In appraisal")
    SUBMITTED_TO_LEADER = "submitted_to_leader", _("Submitted to the leader")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FINANCIAL_OBLIGATION = "financial_obligation", _("Financial obligation requested")
    STOPPED = "stopped", _("Processing stopped")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    RESULT_ISSUED = "result_issued", _("Result issued")
    RETURNED = "returned", _("Result returned")


# DVCQG status code of each internal state (vn-standards §5.4).
DVCQG_CODE: dict[str, int] = {
    State.SUBMITTED: 1,
    State.RECEIVED: 2,
    State.NOT_ACCEPTED: 3,
    State.TRANSFERRED: 4,
    State.ASSIGNED: 4,
    State.IN_APPRAISAL: 4,
    State.SUBMITTED_TO_LEADER: 4,
    State.APPROVED: 4,
    State.REJECTED: 4,
    State.SUPPLEMENT_REQUESTED: 5,
    State.FINANCIAL_OBLIGATION: 6,
    State.WITHDRAWN: 7,
    State.STOPPED: 8,
    State.RESULT_ISSUED: 9,
    State.RETURNED: 10,
}

DVCQG_LABEL = {
    1: _("Newly registered"),
    2: _("Accepted"),
    3: _("Not accepted"),
    4: _("Being processed"),
    5: _("Supplement of documents requested"),
    6: _("Financial obligation requested"),
    7: _("Withdrawn at the applicant's request"),
    8: _("Processing stopped"),
    9: _("Processing finished, result ready"),
    10: _("Result returned"),
}

# The states where the processing agency holds the dossier (the clock runs).
PROCESSING = frozenset(
    {State.TRANSFERRED, State.ASSIGNED, State.IN_APPRAISAL, State.SUBMITTED_TO_LEADER, State.APPROVED, State.REJECTED}
)
PAUSED = frozenset({State.SUPPLEMENT_REQUESTED, State.FINANCIAL_OBLIGATION, State.STOPPED})
CLOSED = frozenset({State.NOT_ACCEPTED, State.WITHDRAWN, State.RETURNED})
FINISHED = frozenset({State.RESULT_ISSUED, State.RETURNED})
WITHDRAWABLE = frozenset(
    {State.SUBMITTED, State.RECEIVED, State.SUPPLEMENT_REQUESTED, State.FINANCIAL_OBLIGATION, State.STOPPED}
    | (PROCESSING - {State.APPROVED, State.REJECTED})
)

# The role whose internal step is running while the dossier is in a state (control slip, form 05).
STEP_ROLE: dict[str, str] = {
    State.RECEIVED: "one_stop_officer",
    State.TRANSFERRED: "specialist",
    State.ASSIGNED: "specialist",
    State.IN_APPRAISAL: "specialist",
    State.SUBMITTED_TO_LEADER: "leader",
    State.APPROVED: "clerk",
    State.REJECTED: "clerk",
}


class Scope(enum.StrEnum):
    CENTRE = "centre"  # the role is held at the receiving centre
    AGENCY = "agency"  # the role is held at the processing agency
    APPLICANT = "applicant"  # the applicant themself


class Action(models.TextChoices):
    RECEIVE = "receive", _("Receive")
    REFUSE = "refuse", _("Refuse to accept")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request a supplement")
    SUPPLEMENT = "supplement", _("Supplement the dossier")
    TRANSFER = "transfer", _("Transfer to the processing agency")
    ASSIGN = "assign", _("Assign to a specialist")
    START_APPRAISAL = "start_appraisal", _("Start the appraisal")
    SUBMIT_TO_LEADER = "submit_to_leader", _("Submit to the leader")
    SEND_BACK = "send_back", _("Send back to the specialist")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    REQUEST_PAYMENT = "request_payment", _("Request the financial obligation")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm the payment")
    STOP = "stop", _("Stop processing")
    RESUME = "resume", _("Resume processing")
    ISSUE_RESULT = "issue_result", _("Issue the result")
    RETURN_RESULT = "return_result", _("Return the result")
    WITHDRAW = "withdraw", _("Withdraw")


RESUME_TO_PREVIOUS = "__previous__"  # the state the dossier was in before the pause


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: tuple[tuple[Scope, str], ...]  # (where, role); role "" with APPLICANT
    reason_required: bool = False


OFFICER = (Scope.CENTRE, "one_stop_officer")
SPECIALIST = (Scope.AGENCY, "specialist")
LEADER = (Scope.AGENCY, "leader")
CLERK = (Scope.AGENCY, "clerk")
APPLICANT = (Scope.APPLICANT, "")

TRANSITIONS: tuple[Transition, ...] = (
    Transition(Action.RECEIVE, frozenset({State.SUBMITTED}), State.RECEIVED, (OFFICER,)),
    Transition(Action.REFUSE, frozenset({State.SUBMITTED}), State.NOT_ACCEPTED, (OFFICER,), reason_required=True),
    Transition(
        Action.REQUEST_SUPPLEMENT,
        frozenset({State.SUBMITTED}),
        State.SUPPLEMENT_REQUESTED,
        (OFFICER,),
        reason_required=True,
    ),
    Transition(
        Action.REQUEST_SUPPLEMENT,
        frozenset({State.ASSIGNED, State.IN_APPRAISAL}),
        State.SUPPLEMENT_REQUESTED,
        (SPECIALIST, LEADER),
        reason_required=True,
    ),
    Transition(Action.SUPPLEMENT, frozenset({State.SUPPLEMENT_REQUESTED}), RESUME_TO_PREVIOUS, (APPLICANT, OFFICER)),
    Transition(Action.TRANSFER, frozenset({State.RECEIVED}), State.TRANSFERRED, (OFFICER,)),
    Transition(Action.ASSIGN, frozenset({State.TRANSFERRED, State.ASSIGNED}), State.ASSIGNED, (LEADER, CLERK)),
    Transition(Action.START_APPRAISAL, frozenset({State.ASSIGNED}), State.IN_APPRAISAL, (SPECIALIST,)),
    Transition(
        Action.SUBMIT_TO_LEADER,
        frozenset({State.ASSIGNED, State.IN_APPRAISAL}),
        State.SUBMITTED_TO_LEADER,
        (SPECIALIST,),
    ),
    Transition(
        Action.SEND_BACK, frozenset({State.SUBMITTED_TO_LEADER}), State.IN_APPRAISAL, (LEADER,), reason_required=True
    ),
    Transition(Action.APPROVE, frozenset({State.SUBMITTED_TO_LEADER}), State.APPROVED, (LEADER,)),
    Transition(Action.REJECT, frozenset({State.SUBMITTED_TO_LEADER}), State.REJECTED, (LEADER,), reason_required=True),
    Transition(
        Action.REQUEST_PAYMENT,
        frozenset({State.ASSIGNED, State.IN_APPRAISAL, State.SUBMITTED_TO_LEADER, State.APPROVED}),
        State.FINANCIAL_OBLIGATION,
        (SPECIALIST, LEADER),
        reason_required=True,
    ),
    Transition(
        Action.CONFIRM_PAYMENT, frozenset({State.FINANCIAL_OBLIGATION}), RESUME_TO_PREVIOUS, (OFFICER, SPECIALIST)
    ),
    Transition(
        Action.STOP,
        frozenset(PROCESSING - {State.APPROVED, State.REJECTED}),
        State.STOPPED,
        (LEADER,),
        reason_required=True,
    ),
    Transition(Action.RESUME, frozenset({State.STOPPED}), RESUME_TO_PREVIOUS, (LEADER,)),
    Transition(Action.ISSUE_RESULT, frozenset({State.APPROVED, State.REJECTED}), State.RESULT_ISSUED, (CLERK, LEADER)),
    Transition(Action.RETURN_RESULT, frozenset({State.RESULT_ISSUED}), State.RETURNED, (OFFICER,)),
    Transition(Action.WITHDRAW, WITHDRAWABLE, State.WITHDRAWN, (APPLICANT, OFFICER), reason_required=True),
)


def transitions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if state in t.sources]


def find(state: str, action: str) -> list[Transition]:
    """The rows for `action` from `state` (request_supplement has one row per phase)."""
    return [t for t in TRANSITIONS if t.action == action and state in t.sources]


def is_known_action(action: str) -> bool:
    return action in Action.values
