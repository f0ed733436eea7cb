"""One-stop dossier statistics (vn-standards §5.4, §5.5): periods, scope, the counts per group,
the monthly reception by channel, the Excel workbook and the geometry of the dashboard charts.

Every count of a request comes from ONE aggregate query (`values(group).annotate(Count(filter=…))`
or `aggregate(…)`); nothing loops over dossiers in Python. Rules:

- Period boundaries are local days (Asia/Ho_Chi_Minh), `[from 00:00, to + 1 day 00:00)`; the
  reporting periods count from 1 January: month, quarter, first 6 months, first 9 months, year.
- carried over: received before the period and neither finished (result issued) nor closed before it;
- received: received in the period (by channel: online, counter, post); not-yet-received online
  submissions are not counted;
- finished: result issued in the period, early / on time / late against the LEGAL due date (an
  apology moves the appointment, not the legal date, so the dossier stays late);
- early-or-on-time %: (early + on time) / finished, None when nothing was finished;
- done (DVCQG 9 + 10 + withdrawn, §5.4): finished + withdrawn in the period;
- open at the period end: received before the end and neither finished nor closed by then; split
  into *paused* (status at the end is supplement requested, financial obligation or stopped:
  DVCQG 5 + 6 + 8) and *in progress* (the rest: DVCQG 2 + 4), the latter within / over the
  deadline by its legal due date against min(period end, now). A paused dossier is never "over
  the deadline": for a supplement its time limit restarts on supplement (Decree 61/2018 Art. 19(4)),
  for payment or a stop the due date moves by the paused time;
- the status at the end of a past period is the `to_state` of the dossier's last event before
  the end (one correlated subquery, evaluated only for dossiers open at the end); the legal due
  date compared is the current one (see docs/contexts/dossiers.md, limitation);
- carried over + received = finished + withdrawn + in progress + paused (the balance);
- withdrawn, not accepted: closed in the period with that status; returned: result returned in
  the period; fees due: sum of the fees due of the dossiers received in the period.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime
import enum
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from egov.common.errors import EgovError, NotFound, PermissionDenied
from egov.dossiers import clock, lifecycle
from egov.dossiers.errors import DossiersErrorCode as Code
from egov.dossiers.lifecycle import State
from egov.dossiers.models import Apology, ChannelKind, Dossier, DossierEvent, Timeliness
from egov.orgs import selectors as orgs
from egov.procedures import selectors as procedures

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SPAN_DAYS = 366 * 5
CODE_MAX = 40


# --- periods --------------------------------------------------------------------------------------


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "6m"
    NINE = "9m"
    YEAR = "year"
    CUSTOM = "custom"


PERIOD_KIND_LABELS = {
    PeriodKind.MONTH: _("Month"),
    PeriodKind.QUARTER: _("Quarter"),
    PeriodKind.HALF: _("First 6 months"),
    PeriodKind.NINE: _("First 9 months"),
    PeriodKind.YEAR: _("Year"),
    PeriodKind.CUSTOM: _("From … to …"),
}
PERIOD_RE = re.compile(r"(?P<year>\d{4})(?:-(?:M(?P<month>\d{2})|Q(?P<quarter>\d)|(?P<months>[69])M))?")
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    date_from: datetime.date
    date_to: datetime.date
    year: int | None = None
    number: int | None = None  # the month (1–12) or the quarter (1–4)

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-M{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind == PeriodKind.HALF:
            return f"{self.year}-6M"
        if self.kind == PeriodKind.NINE:
            return f"{self.year}-9M"
        if self.kind == PeriodKind.YEAR:
            return f"{self.year}"
        return f"{self.date_from.isoformat()}..{self.date_to.isoformat()}"

    @property
    def label(self) -> str:
        """In the active language: “Quý III/2026”, “6 tháng đầu năm 2026”…"""
        if self.kind == PeriodKind.MONTH:
            return gettext("Month %(month)s/%(year)s") % {"month": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": ROMAN[self.number or 1], "year": self.year}
        if self.kind == PeriodKind.HALF:
            return gettext("First 6 months of %(year)s") % {"year": self.year}
        if self.kind == PeriodKind.NINE:
            return gettext("First 9 months of %(year)s") % {"year": self.year}
        if self.kind == PeriodKind.YEAR:
            return gettext("Year %(year)s") % {"year": self.year}
        return gettext("From %(from)s to %(to)s") % {
            "from": f"{self.date_from:%d/%m/%Y}",
            "to": f"{self.date_to:%d/%m/%Y}",
        }

    @property
    def full_label(self) -> str:
        """The label with the dates: “Quý I/2025 (01/01/2025 – 31/03/2025)”."""
        if self.kind == PeriodKind.CUSTOM:
            return self.label
        return f"{self.label} ({self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y})"

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": str(self.kind), "label": self.label, "from": self.date_from.isoformat(),
                "to": self.date_to.isoformat()}  # fmt: skip


def _bad_period(value: str) -> EgovError:
    return EgovError(
        Code.PERIOD,
        _("The period “%(value)s” is not valid: write 2026-M05, 2026-Q3, 2026-6M, 2026-9M or 2026."),
        field="period",
        params={"value": _printable(value)[:30]},
    )


def _printable(value: str) -> str:
    return "".join(ch for ch in str(value) if ch.isprintable())


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, pycalendar.monthrange(year, month)[1])


def parse_period(value: str) -> Period:
    """`2026-M05` (month), `2026-Q3` (quarter), `2026-6M` / `2026-9M` (first 6 / 9 months), `2026`."""
    match = PERIOD_RE.fullmatch((value or "").strip())
    if match is None:
        raise _bad_period(value)
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad_period(value)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise _bad_period(value)
        return Period(PeriodKind.MONTH, datetime.date(year, month, 1), _last_day(year, month), year, month)
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise _bad_period(value)
        first = 3 * quarter - 2
        return Period(PeriodKind.QUARTER, datetime.date(year, first, 1), _last_day(year, first + 2), year, quarter)
    if match["months"]:
        months = int(match["months"])
        kind = PeriodKind.HALF if months == 6 else PeriodKind.NINE
        return Period(kind, datetime.date(year, 1, 1), _last_day(year, months), year)
    return Period(PeriodKind.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31), year)


def _parse_day(value: str, name: str) -> datetime.date:
    raw = (value or "").strip()
    try:
        day = datetime.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise EgovError(Code.PERIOD, _("“%(value)s” is not a date (YYYY-MM-DD)."), field=name,
                        params={"value": _printable(raw)[:30]})  # fmt: skip
    return day


def period_between(date_from: datetime.date, date_to: datetime.date) -> Period:
    if date_to < date_from or (date_to - date_from).days > MAX_SPAN_DAYS:
        raise EgovError(Code.PERIOD, _("The period is not valid."), field="to")
    return Period(PeriodKind.CUSTOM, date_from, date_to)


def resolve_period(
    *, period: str = "", date_from: str = "", date_to: str = "", today: datetime.date | None = None
) -> Period:
    """A period key, or `from` and `to` (ISO dates), never both; nothing means the current year."""
    if period and (date_from or date_to):
        raise EgovError(Code.PERIOD, _("Give either a period or the dates from and to, not both."), field="period")
    if period:
        return parse_period(period)
    if date_from or date_to:
        if not (date_from and date_to):
            raise EgovError(Code.PERIOD, _("Give both dates, from and to."), field="to" if date_from else "from")
        return period_between(_parse_day(date_from, "from"), _parse_day(date_to, "to"))
    year = (today or timezone.localdate()).year
    return parse_period(str(year))


def period_key(kind: str, year: str, number: str = "") -> str:
    """The key of the page's period picker (kind + year + month/quarter number); "" if incomplete."""
    year = (year or "").strip()
    number = (number or "").strip()
    if kind == PeriodKind.MONTH:
        return f"{year}-M{number.zfill(2)}" if number.isdigit() else f"{year}-M{number}"
    if kind == PeriodKind.QUARTER:
        return f"{year}-Q{number}"
    if kind == PeriodKind.HALF:
        return f"{year}-6M"
    if kind == PeriodKind.NINE:
        return f"{year}-9M"
    if kind == PeriodKind.YEAR:
        return year
    return ""


def _moment(day: datetime.date, end: bool = False) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1) if end else day, datetime.time(0), clock.TZ)


# --- scope ----------------------------------------------------------------------------------------

PROVINCIAL_PC = "provincial_people_committee"
PROVINCE_HOSTED = frozenset({"office", "public_administration_centre"})  # the PC's office and its centre


@dataclass(frozen=True)
class StatsScope:
    """What a user may count: everything, or the dossiers whose processing agency or receiving
    centre is one of `agency_codes` (the agencies where the user holds a role today)."""

    everything: bool
    agency_codes: frozenset[str] = frozenset()

    def q(self) -> Q:
        if self.everything:
            return Q()
        codes = sorted(self.agency_codes)
        return Q(processing_agency__code__in=codes) | Q(receiving_centre__code__in=codes)

    def allows(self, code: str) -> bool:
        return self.everything or code in self.agency_codes


def _province_wide(code: str) -> bool:
    """The provincial People's Committee, its office and the provincial centre under that office."""
    agency: Any = orgs.agency_find(code)
    for _hop in range(4):
        if agency is None:
            return False
        if agency.kind == PROVINCIAL_PC:
            return True
        if agency.kind not in PROVINCE_HOSTED:
            return False
        agency = agency.parent
    return False


def statistics_scope(user: Any) -> StatsScope | None:
    """None for anonymous users, citizens and staff without a role (no statistics at all).
    Superusers, system administrators and the staff of the provincial People's Committee, its
    office and the provincial public administration service centre see the whole province; the
    staff of any other agency see the dossiers it processes or receives."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "is_superuser", False):
        return StatsScope(everything=True)
    memberships = [m for m in orgs.memberships_for_user(user) if m.roles]
    if not memberships:
        return None
    if any("system_admin" in m.roles for m in memberships):
        return StatsScope(everything=True)
    codes = frozenset(m.agency_code for m in memberships)
    if any(_province_wide(code) for code in codes):
        return StatsScope(everything=True)
    return StatsScope(everything=False, agency_codes=codes)


def user_can_see_statistics(user: Any) -> bool:
    return statistics_scope(user) is not None


def require_scope(user: Any) -> StatsScope:
    scope = statistics_scope(user)
    if scope is None:
        raise PermissionDenied(Code.ROLE_NOT_ALLOWED, _("Only staff can see the statistics."))
    return scope


# --- filters --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsFilters:
    agency: str = ""  # processing agency, QCVN 102 code
    centre: str = ""  # receiving centre, QCVN 102 code
    procedure: str = ""  # national (1.004227) or provincial code
    field: str = ""  # procedure field code

    def q(self) -> Q:
        q = Q()
        if self.agency:
            q &= Q(processing_agency__code=self.agency)
        if self.centre:
            q &= Q(receiving_centre__code=self.centre)
        if self.procedure:
            q &= Q(procedure_version__procedure__code=self.procedure) | Q(
                procedure_version__instance_code=self.procedure
            )
        if self.field:
            q &= Q(procedure_version__field__code=self.field)
        return q

    def as_dict(self) -> dict[str, str]:
        return {"agency": self.agency, "centre": self.centre, "procedure": self.procedure, "field": self.field}


def _clean_text(value: str, name: str) -> str:
    text = (value or "").strip()
    if len(text) > CODE_MAX or any(not ch.isprintable() or ch.isspace() for ch in text):
        raise EgovError(Code.INVALID, _("The value of “%(name)s” is not valid."), field=name, params={"name": name})
    return text


def _agency_code(value: str, name: str, scope: StatsScope) -> str:
    text = _clean_text(value, name)
    if not text:
        return ""
    normal = orgs.normalise_code(text)
    if normal is None or orgs.agency_find(normal) is None:
        raise EgovError(Code.UNKNOWN_AGENCY, _("No agency has the code %(code)s."), field=name, params={"code": text})
    if not scope.allows(normal):
        raise PermissionDenied(Code.ROLE_NOT_ALLOWED, _("You may not see the statistics of the agency %(code)s."),
                               params={"code": normal})  # fmt: skip
    return normal


def clean_filters(
    *, scope: StatsScope, agency: str = "", centre: str = "", procedure: str = "", field: str = ""
) -> StatsFilters:
    """Validated filters: unknown codes are 400, an agency outside the caller's scope 403."""
    code = _clean_text(procedure, "procedure")
    if code:
        try:
            procedures.procedure_get(code)
        except NotFound as error:
            raise EgovError(Code.UNKNOWN_PROCEDURE, _("No published procedure has the code %(code)s."),
                            field="procedure", params={"code": code}) from error  # fmt: skip
    field_code = _clean_text(field, "field")
    if field_code and not procedures.procedure_field_list().filter(code=field_code).exists():
        raise EgovError(Code.INVALID, _("No procedure field has the code %(code)s."), field="field",
                        params={"code": field_code})  # fmt: skip
    return StatsFilters(agency=_agency_code(agency, "agency", scope), centre=_agency_code(centre, "centre", scope),
                        procedure=code, field=field_code)  # fmt: skip


# --- the counts -----------------------------------------------------------------------------------


class GroupBy(enum.StrEnum):
    CENTRE = "centre"
    AGENCY = "agency"
    FIELD = "field"
    PROCEDURE = "procedure"


GROUP_LABELS = {
    GroupBy.CENTRE: _("Receiving centre"),
    GroupBy.AGENCY: _("Processing agency"),
    GroupBy.FIELD: _("Field"),
    GroupBy.PROCEDURE: _("Procedure"),
}
# (code, name, which name wins when one code had several names over the period)
GROUP_FIELDS = {
    GroupBy.CENTRE: ("receiving_centre__code", "receiving_centre__name_vi", "receiving_centre__valid_from"),
    GroupBy.AGENCY: ("processing_agency__code", "processing_agency__name_vi", "processing_agency__valid_from"),
    GroupBy.FIELD: ("procedure_version__field__code", "procedure_version__field__name_vi",
                    "procedure_version__field__valid_from"),
    GroupBy.PROCEDURE: ("procedure_version__procedure__code", "procedure_version__name_vi",
                        "procedure_version__effective_from"),
}  # fmt: skip

COUNT_KEYS = (
    "carried_over", "received", "received_online", "received_counter", "received_post", "finished",
    "finished_early", "finished_on_time", "finished_late", "with_apology", "in_progress_within",
    "in_progress_overdue", "paused", "withdrawn", "returned", "not_accepted", "fees_due",
)  # fmt: skip

# The table columns (key, header); the Excel workbook and the page share them.
COLUMNS: list[tuple[str, Any]] = [
    ("carried_over", _("Carried over")),
    ("received", _("Newly received")),
    ("received_online", _("Online")),
    ("received_counter", _("At the counter")),
    ("received_post", _("By post")),
    ("finished", pgettext_lazy("statistics", "Finished")),
    ("finished_early", _("Early")),
    ("finished_on_time", _("On time")),
    ("finished_late", _("Late")),
    ("with_apology", _("Of which with an apology (form 04)")),
    ("early_or_on_time_percent", _("Early or on time (%)")),
    ("in_progress_within", _("In progress within the deadline")),
    ("in_progress_overdue", _("In progress over the deadline")),
    ("paused", _("Paused")),
    ("withdrawn", _("Withdrawn")),
    ("returned", _("Result returned")),
    ("not_accepted", _("Not accepted")),
    ("fees_due", _("Fees due (VND)")),
]


def _state_at(end: datetime.datetime, now: datetime.datetime) -> Any:
    """The dossier's status at `end`: the current status for a period not yet over, else the
    `to_state` of its last event before `end` (the current status when it has no event)."""
    if end > now:
        return F("status")
    last = DossierEvent.objects.filter(dossier_id=OuterRef("pk"), at__lt=end).order_by("-at", "-id")
    return Coalesce(Subquery(last.values("to_state")[:1]), F("status"))


def _aggregates(period: Period, now: datetime.datetime) -> dict[str, Any]:
    start, end = _moment(period.date_from), _moment(period.date_to, end=True)
    cut = min(end, now)
    open_at = {
        name: Q(received_at__lt=moment)
        & (Q(finished_at__isnull=True) | Q(finished_at__gte=moment))
        & (Q(closed_at__isnull=True) | Q(closed_at__gte=moment))
        for name, moment in (("start", start), ("end", end))
    }
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    paused = open_at["end"] & Q(state_at_end__in=sorted(lifecycle.PAUSED))
    running = open_at["end"] & ~Q(state_at_end__in=sorted(lifecycle.PAUSED))
    closed = Q(closed_at__gte=start, closed_at__lt=end)
    return {
        "carried_over": Count("id", filter=open_at["start"]),
        "received": Count("id", filter=received),
        "received_online": Count("id", filter=received & Q(channel_kind=ChannelKind.ONLINE)),
        "received_counter": Count("id", filter=received & Q(channel_kind=ChannelKind.COUNTER)),
        "received_post": Count("id", filter=received & Q(channel_kind=ChannelKind.POST)),
        "finished": Count("id", filter=finished),
        "finished_early": Count("id", filter=finished & Q(timeliness=Timeliness.EARLY)),
        "finished_on_time": Count("id", filter=finished & Q(timeliness=Timeliness.ON_TIME)),
        "finished_late": Count("id", filter=finished & Q(timeliness=Timeliness.LATE)),
        "with_apology": Count("id", filter=finished & Q(has_apology=True)),
        "in_progress_within": Count("id", filter=running & (Q(legal_due_at__isnull=True) | Q(legal_due_at__gte=cut))),
        "in_progress_overdue": Count("id", filter=running & Q(legal_due_at__lt=cut)),
        "paused": Count("id", filter=paused),
        "withdrawn": Count("id", filter=closed & Q(status=State.WITHDRAWN)),
        "returned": Count("id", filter=Q(returned_at__gte=start, returned_at__lt=end)),
        "not_accepted": Count("id", filter=closed & Q(status=State.NOT_ACCEPTED)),
        "fees_due": Coalesce(Sum("fees_due", filter=received), 0),
    }


def _base(period: Period, scope: StatsScope, filters: StatsFilters, now: datetime.datetime) -> QuerySet[Dossier]:
    start, end = _moment(period.date_from), _moment(period.date_to, end=True)
    touches = (Q(received_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start))) | Q(
        status=State.NOT_ACCEPTED, closed_at__gte=start, closed_at__lt=end
    )
    return (
        Dossier.objects.filter(touches)
        .filter(scope.q())
        .filter(filters.q())
        .alias(state_at_end=_state_at(end, now), has_apology=Exists(Apology.objects.filter(dossier_id=OuterRef("pk"))))
    )


def _derive(counts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: int(counts.get(key) or 0) for key in COUNT_KEYS}
    out["in_progress"] = out["in_progress_within"] + out["in_progress_overdue"]
    out["done"] = out["finished"] + out["withdrawn"]
    timely = out["finished_early"] + out["finished_on_time"]
    out["early_or_on_time_percent"] = round(100 * timely / out["finished"], 2) if out["finished"] else None
    return out


@dataclass
class StatsTable:
    period: Period
    filters: StatsFilters
    group_by: GroupBy | None
    total: dict[str, Any]
    rows: list[dict[str, Any]]
    generated_at: datetime.datetime

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {**self.total}
        body.update(period=self.period.as_dict(), filters=self.filters.as_dict(),
                    group_by=str(self.group_by) if self.group_by else None,
                    generated_at=self.generated_at.isoformat())  # fmt: skip
        if self.group_by:
            body["rows"] = self.rows
        return body


def parse_group_by(value: str) -> GroupBy | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return GroupBy(text)
    except ValueError:
        raise EgovError(Code.INVALID, _("Group by centre, agency, field or procedure."), field="group_by") from None


def _merge(raw: Iterable[dict[str, Any]], group_by: GroupBy) -> list[dict[str, Any]]:
    """One row per code: a code may have had several names in the period (a renamed centre, a new
    procedure version); the counts add up and the most recent name wins."""
    code_field, name_field, since_field = GROUP_FIELDS[group_by]
    merged: dict[str, dict[str, Any]] = {}
    since: dict[str, datetime.date] = {}
    for row in raw:
        code = row[code_field] or ""
        when = row[since_field] or datetime.date.min
        target = merged.setdefault(code, {"key": code, "name": row[name_field], **dict.fromkeys(COUNT_KEYS, 0)})
        for key in COUNT_KEYS:
            target[key] += int(row[key] or 0)
        if when >= since.get(code, datetime.date.min):
            since[code] = when
            target["name"] = row[name_field]
    return [{"key": code, "name": merged[code]["name"], **_derive(merged[code])} for code in sorted(merged)]


def statistics_table(
    *,
    period: Period,
    scope: StatsScope,
    filters: StatsFilters | None = None,
    group_by: GroupBy | None = None,
    now: datetime.datetime | None = None,
) -> StatsTable:
    """The counts of `period` within `scope` and `filters`, per group if `group_by`; one query."""
    now = now or timezone.now()
    filters = filters or StatsFilters()
    qs = _base(period, scope, filters, now)
    aggregates = _aggregates(period, now)
    if group_by is None:
        return StatsTable(period, filters, None, _derive(qs.aggregate(**aggregates)), [], now)
    fields = GROUP_FIELDS[group_by]
    rows = _merge(qs.values(*fields).annotate(**aggregates).order_by(*fields), group_by)
    summed = {key: sum(row[key] for row in rows) for key in COUNT_KEYS}
    return StatsTable(period, filters, group_by, _derive(summed), rows, now)


def received_by_month(*, year: int, scope: StatsScope, filters: StatsFilters | None = None) -> list[dict[str, int]]:
    """Dossiers received in each month of `year` by channel (12 rows), in one aggregate query."""
    filters = filters or StatsFilters()
    start, end = _moment(datetime.date(year, 1, 1)), _moment(datetime.date(year, 12, 31), end=True)
    aggregates: dict[str, Any] = {}
    for month in range(1, 13):
        low = _moment(datetime.date(year, month, 1))
        high = _moment(_last_day(year, month), end=True)
        for kind in ChannelKind.values:
            aggregates[f"m{month}_{kind}"] = Count(
                "id", filter=Q(received_at__gte=low, received_at__lt=high, channel_kind=kind)
            )
    counts = (
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .filter(scope.q())
        .filter(filters.q())
        .aggregate(**aggregates)
    )
    return [
        {"month": month, **{kind: int(counts[f"m{month}_{kind}"] or 0) for kind in ChannelKind.values}}
        for month in range(1, 13)
    ]


def dossier_statistics(
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    agency: str = "",
    centre: str = "",
    procedure: str = "",
    field: str = "",
    now: datetime.datetime | None = None,
    scope: StatsScope | None = None,
) -> dict[str, Any]:
    """The province-wide (or `scope`) counts of a custom period as a flat dict (kept for callers
    of the first version); filters are codes and are not validated here."""
    filters = StatsFilters(agency=orgs.normalise_code(agency) or agency if agency else "",
                           centre=orgs.normalise_code(centre) or centre if centre else "",
                           procedure=procedure, field=field)  # fmt: skip
    table = statistics_table(period=period_between(date_from, date_to), scope=scope or StatsScope(everything=True),
                             filters=filters, now=now)  # fmt: skip
    return {**table.total, "period": {"from": date_from.isoformat(), "to": date_to.isoformat()}}


def statistics_by_agency(*, date_from: datetime.date, date_to: datetime.date) -> list[dict[str, Any]]:
    table = statistics_table(period=period_between(date_from, date_to), scope=StatsScope(everything=True),
                             group_by=GroupBy.AGENCY)  # fmt: skip
    return [{"agency": row["key"], **row} for row in table.rows]


# --- Excel ----------------------------------------------------------------------------------------


def _vi(text: Any) -> str:
    with override("vi"):
        return str(text)


def statistics_xlsx(table: StatsTable) -> bytes:
    """The grouped table as an Excel workbook, in Vietnamese: title, period, filters, generated time,
    headers, one row per group, the total."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    with override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = gettext("Statistics")[:31]
        group = GROUP_LABELS[table.group_by] if table.group_by else gettext("Whole scope")
        sheet.append([gettext("Statistics of administrative procedure dossiers")])
        sheet.append([gettext("Period: %(label)s") % {"label": table.period.full_label}])
        local = timezone.localtime(table.generated_at, clock.TZ)
        sheet.append([gettext("Generated at %(moment)s") % {"moment": f"{local:%H:%M %d/%m/%Y}"}])
        chosen = [f"{GROUP_LABELS[GroupBy(k)]}: {v}" for k, v in table.filters.as_dict().items() if v]
        sheet.append([gettext("Filters: %(filters)s") % {"filters": "; ".join(chosen) or "–"}])
        sheet.append([])
        header = [gettext("Code"), str(group), *[str(label) for _key, label in COLUMNS]]
        sheet.append(header)
        header_row = sheet.max_row
        for row in table.rows:
            sheet.append([row["key"], row["name"], *[row[key] for key, _label in COLUMNS]])
        sheet.append(["", gettext("Total"), *[table.total[key] for key, _label in COLUMNS]])
        sheet["A1"].font = Font(bold=True, size=14)
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
        sheet.column_dimensions["A"].width = 22
        sheet.column_dimensions["B"].width = 48
        for index in range(3, len(header) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 13
        buffer = io.BytesIO()
        book.save(buffer)
    return buffer.getvalue()


# --- chart geometry (rendered as inline SVG by templates/dossiers/statistics_chart.html) -----------

CHANNEL_COLOURS = {ChannelKind.ONLINE: "#1f5f99", ChannelKind.COUNTER: "#d9822b", ChannelKind.POST: "#4f8a3c"}
TIMELINESS_COLOURS = {"early": "#2e7d32", "on_time": "#1565c0", "late": "#b3261e"}


def _nice_max(value: int) -> int:
    """The axis maximum: 1, 2, 5 × 10^n at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def _fmt(value: Decimal | float | int) -> str:
    return formats.number_format(value, decimal_pos=1 if isinstance(value, float) else None, use_l10n=True)


@dataclass
class Chart:
    id: str
    title: str
    desc: str
    width: int
    height: int
    bars: list[dict[str, Any]]  # x, y, w, h, fill, title
    texts: list[dict[str, Any]]  # x, y, text, anchor, (weight)
    lines: list[dict[str, Any]]  # x1, y1, x2, y2
    legend: list[dict[str, Any]]  # label, fill


def chart_received_by_month(months: list[dict[str, int]], year: int) -> Chart:
    """Stacked bars: dossiers received in each month of the year, by channel."""
    width, height, left, bottom, top = 680, 280, 44, 36, 16
    plot_h = height - top - bottom
    step = (width - left - 8) / 12
    peak = _nice_max(max((sum(m[k] for k in ChannelKind.values) for m in months), default=0))
    bars: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = [{"x1": left, "y1": top + plot_h, "x2": width - 8, "y2": top + plot_h}]
    for tick in (0, peak // 2 if peak >= 2 else None, peak):
        if tick is None:
            continue
        y = top + plot_h - plot_h * tick / peak
        texts.append({"x": left - 6, "y": round(y + 4, 1), "text": str(tick), "anchor": "end"})
        lines.append({"x1": left, "y1": round(y, 1), "x2": width - 8, "y2": round(y, 1)})
    labels = dict(ChannelKind.choices)
    for index, month in enumerate(months):
        x = left + index * step + step * 0.15
        y = top + plot_h
        for kind in ChannelKind.values:
            value = month[kind]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            bars.append({"x": round(x, 1), "y": round(y, 1), "w": round(step * 0.7, 1), "h": round(h, 1),
                         "fill": CHANNEL_COLOURS[ChannelKind(kind)],
                         "title": f"{gettext('Month %(month)s/%(year)s') % {'month': month['month'], 'year': year}}"
                                  f" – {labels[kind]}: {value}"})  # fmt: skip
        total = sum(month[k] for k in ChannelKind.values)
        if total:
            texts.append({"x": round(x + step * 0.35, 1), "y": round(y - 4, 1), "text": str(total), "anchor": "middle"})
        texts.append({"x": round(x + step * 0.35, 1), "y": height - bottom + 18, "text": f"T{month['month']}",
                      "anchor": "middle"})  # fmt: skip
    total_all = sum(sum(m[k] for k in ChannelKind.values) for m in months)
    return Chart(
        id="chart-received",
        title=gettext("Dossiers received per month in %(year)s, by channel") % {"year": year},
        desc=gettext("Stacked bars, one per month: online, at the counter, by post. %(total)s dossiers in all.")
        % {"total": total_all},
        width=width,
        height=height,
        bars=bars,
        texts=texts,
        lines=lines,
        legend=[{"label": labels[k], "fill": CHANNEL_COLOURS[ChannelKind(k)]} for k in ChannelKind.values],
    )


def chart_timeliness(total: dict[str, Any]) -> Chart:
    """Bars: finished early, on time, late."""
    width, height, left, bottom, top = 420, 240, 44, 40, 16
    plot_h = height - top - bottom
    items = [("early", gettext("Early"), total["finished_early"]), ("on_time", gettext("On time"),
             total["finished_on_time"]), ("late", gettext("Late"), total["finished_late"])]  # fmt: skip
    peak = _nice_max(max((v for _k, _l, v in items), default=0))
    step = (width - left - 8) / len(items)
    bars: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = [{"x": left - 6, "y": top + 4, "text": str(peak), "anchor": "end"},
                                   {"x": left - 6, "y": top + plot_h + 4, "text": "0", "anchor": "end"}]  # fmt: skip
    for index, (key, label, value) in enumerate(items):
        x = left + index * step + step * 0.2
        h = plot_h * value / peak
        bars.append({"x": round(x, 1), "y": round(top + plot_h - h, 1), "w": round(step * 0.6, 1), "h": round(h, 1),
                     "fill": TIMELINESS_COLOURS[key], "title": f"{label}: {value}"})  # fmt: skip
        texts.append({"x": round(x + step * 0.3, 1), "y": round(top + plot_h - h - 4, 1), "text": str(value),
                      "anchor": "middle"})  # fmt: skip
        texts.append({"x": round(x + step * 0.3, 1), "y": height - bottom + 18, "text": label, "anchor": "middle"})
    percent = total["early_or_on_time_percent"]
    shown = f"{_fmt(float(percent))} %" if percent is not None else "–"
    return Chart(
        id="chart-timeliness",
        title=gettext("Finished dossiers by timeliness"),
        desc=gettext("Early %(early)s, on time %(on_time)s, late %(late)s; early or on time: %(percent)s.")
        % {"early": items[0][2], "on_time": items[1][2], "late": items[2][2], "percent": shown},
        width=width,
        height=height,
        bars=bars,
        texts=texts,
        lines=[{"x1": left, "y1": top + plot_h, "x2": width - 8, "y2": top + plot_h}],
        legend=[],
    )


def chart_on_time_by_agency(rows: list[dict[str, Any]]) -> Chart:
    """Horizontal bars: early-or-on-time % of each processing agency that finished dossiers."""
    shown = [r for r in rows if r["finished"]]
    label_w, width, row_h, top = 300, 720, 26, 8
    plot_w = width - label_w - 60
    height = top + row_h * max(len(shown), 1) + 24
    bars: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for index, row in enumerate(shown):
        y = top + index * row_h
        percent = float(row["early_or_on_time_percent"] or 0)
        name = row["name"] if len(row["name"]) <= 46 else row["name"][:45] + "…"
        texts.append({"x": label_w - 8, "y": y + 17, "text": name, "anchor": "end"})
        w = plot_w * percent / 100
        bars.append({"x": label_w, "y": y + 4, "w": round(w, 1), "h": row_h - 8,
                     "fill": "#2e7d32" if percent >= 100 else ("#1565c0" if percent >= 90 else "#b3261e"),
                     "title": f"{row['name']}: {_fmt(percent)} % ({row['finished_early'] + row['finished_on_time']}"
                              f"/{row['finished']})"})  # fmt: skip
        texts.append({"x": round(label_w + w + 6, 1), "y": y + 17, "text": f"{_fmt(percent)} %", "anchor": "start"})
    axis_y = top + row_h * max(len(shown), 1)
    for tick in (0, 50, 100):
        x = label_w + plot_w * tick / 100
        texts.append({"x": round(x, 1), "y": axis_y + 16, "text": f"{tick} %", "anchor": "middle"})
    return Chart(
        id="chart-on-time",
        title=gettext("Early or on time (%) per processing agency"),
        desc=gettext("One bar per agency that finished dossiers in the period: %(count)s agencies.")
        % {"count": len(shown)},
        width=width,
        height=height,
        bars=bars,
        texts=texts,
        lines=[{"x1": label_w, "y1": top, "x2": label_w, "y2": axis_y}],
        legend=[],
    )


def period_kind_choices() -> list[tuple[str, Any]]:
    return [(str(kind), label) for kind, label in PERIOD_KIND_LABELS.items()]


def statistics_request(
    *,
    user: Any,
    period: str = "",
    date_from: str = "",
    date_to: str = "",
    agency: str = "",
    centre: str = "",
    procedure: str = "",
    field: str = "",
    group_by: str = "",
    now: datetime.datetime | None = None,
) -> StatsTable:
    """What the API and the page call with the raw query values: 403 without access, 400 for a bad
    period, grouping or code (checked before any count), then one aggregate query."""
    scope = require_scope(user)
    chosen = resolve_period(period=period, date_from=date_from, date_to=date_to)
    grouping = parse_group_by(group_by)
    filters = clean_filters(scope=scope, agency=agency, centre=centre, procedure=procedure, field=field)
    return statistics_table(period=chosen, scope=scope, filters=filters, group_by=grouping, now=now)
