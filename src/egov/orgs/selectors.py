"""Reads. The functions returning frozen dataclasses (`AgencyRef`, `MembershipInfo`) are the
stable interface other apps use; `agency_filter`/`agency_find` return ORM objects for this app's
own API, admin and services.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egov.common.errors import NotFound
from egov.common.text import fold
from egov.orgs.codes import CodeError, parse_any
from egov.orgs.errors import OrgsErrorCode
from egov.orgs.models import Agency, Membership, MembershipRole, Role, in_force_q


@dataclass(frozen=True)
class AgencyRef:
    id: int
    code: str
    code_d20: str
    name_vi: str
    name_en: str
    short_name: str
    abbreviation: str
    kind: str
    parent_code: str | None
    valid_from: datetime.date
    valid_to: datetime.date | None
    successor_code: str | None
    level1_inferred: bool

    def in_force_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


@dataclass(frozen=True)
class MembershipInfo:
    id: int
    user_id: int
    username: str
    full_name: str
    agency_id: int
    agency_code: str
    agency_code_d20: str
    agency_name: str
    unit_id: int | None
    unit_name: str | None
    position: str
    roles: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    is_primary: bool


AgencyLike = Agency | AgencyRef | str


def _today() -> datetime.date:
    return timezone.localdate()


def agency_ref(agency: Agency) -> AgencyRef:
    return AgencyRef(
        id=agency.pk,
        code=agency.code,
        code_d20=agency.code_d20,
        name_vi=agency.name_vi,
        name_en=agency.name_en,
        short_name=agency.short_name,
        abbreviation=agency.abbreviation,
        kind=agency.kind,
        parent_code=agency.parent.code if agency.parent_id and agency.parent else None,
        valid_from=agency.valid_from,
        valid_to=agency.valid_to,
        successor_code=agency.successor.code if agency.successor_id and agency.successor else None,
        level1_inferred=agency.level1.inferred,
    )


def _with_relations(qs: QuerySet[Agency]) -> QuerySet[Agency]:
    return qs.select_related("parent", "successor", "level1")


def normalise_code(code: str) -> str | None:
    """The QCVN 102 form of a code written in either form, or None if it is not a code."""
    try:
        return parse_any(code).qcvn102
    except CodeError:
        return None


def agency_find(code: str, *, on: datetime.date | None = None) -> Agency | None:
    """The agency holding `code` (either form): the one in force on `on` (default today), else the
    most recent one that started by then, else the most recent one of all. History is kept, so a
    code may name several agencies over time."""
    normal = normalise_code(code)
    if normal is None:
        return None
    day = on or _today()
    rows = _with_relations(Agency.objects.filter(code=normal))
    in_force = rows.filter(in_force_q(day)).first()
    if in_force is not None:
        return in_force
    started = rows.filter(valid_from__lte=day).order_by("-valid_from").first()
    return started or rows.order_by("-valid_from").first()


def agency_get(code: str, *, on: datetime.date | None = None) -> AgencyRef:
    """Accepts the QCVN 102 form (000.00.00.H54) or the Decision 20 form (H54). 404 otherwise."""
    agency = agency_find(code, on=on)
    if agency is None:
        raise NotFound(OrgsErrorCode.NOT_FOUND, _("No agency has the code %(code)s."), params={"code": code})
    return agency_ref(agency)


def agency_resolve(code: str, *, on: datetime.date | None = None) -> AgencyRef | None:
    """The body answering for `code` on `on`: the agency holding the code then, or — if it had
    closed — its successor, its successor's successor… until one in force on that day."""
    normal = normalise_code(code)
    if normal is None:
        return None
    day = on or _today()
    agency: Agency | None = (
        _with_relations(Agency.objects.filter(code=normal, valid_from__lte=day)).order_by("-valid_from").first()
    )
    seen: set[int] = set()
    while agency is not None and not agency.in_force_on(day):
        if agency.pk in seen or agency.successor_id is None:
            return None
        seen.add(agency.pk)
        agency = _with_relations(Agency.objects.filter(pk=agency.successor_id)).first()
    return agency_ref(agency) if agency is not None else None


def agency_filter(
    *,
    search: str | None = None,
    kind: str | None = None,
    parent_code: str | None = None,
    in_force_on: datetime.date | None = None,
) -> QuerySet[Agency]:
    qs = _with_relations(Agency.objects.all())
    if search and fold(search):
        for word in fold(search).split(" "):
            qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code:
        normal = normalise_code(parent_code)
        qs = qs.filter(parent__code=normal) if normal else qs.none()
    if in_force_on:
        qs = qs.filter(in_force_q(in_force_on))
    return qs.order_by("code", "valid_from")


def agencies_by_id(ids: Iterable[int]) -> dict[int, Agency]:
    """The agencies with these primary keys (history included), by id."""
    return {a.pk: a for a in Agency.objects.filter(pk__in=list(ids))}


def agency_list(
    *,
    search: str | None = None,
    kind: str | None = None,
    parent_code: str | None = None,
    in_force_on: datetime.date | None = None,
) -> list[AgencyRef]:
    return [
        agency_ref(a) for a in agency_filter(search=search, kind=kind, parent_code=parent_code, in_force_on=in_force_on)
    ]


def _agency_id(agency: AgencyLike) -> int | None:
    if isinstance(agency, str):
        found = agency_find(agency)
        return found.pk if found else None
    return int(agency.id) if isinstance(agency, AgencyRef) else agency.pk


def agency_descendants(agency: AgencyLike, *, in_force_on: datetime.date | None = None) -> list[AgencyRef]:
    """Every agency below `agency` in the tree (breadth first), optionally only those in force."""
    root = _agency_id(agency)
    if root is None:
        return []
    out: list[AgencyRef] = []
    seen = {root}
    frontier = [root]
    while frontier:
        children = list(_with_relations(Agency.objects.filter(parent_id__in=frontier)).order_by("code"))
        frontier = []
        for child in children:
            if child.pk in seen:
                continue
            seen.add(child.pk)
            frontier.append(child.pk)
            if in_force_on is None or child.in_force_on(in_force_on):
                out.append(agency_ref(child))
    return out


def agency_ancestor_ids(agency: Agency) -> list[int]:
    ids: list[int] = []
    parent_id = agency.parent_id
    while parent_id is not None and parent_id not in ids:
        ids.append(parent_id)
        parent_id = Agency.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return ids


# --- memberships ------------------------------------------------------------------------------


def _membership_rows(qs: QuerySet[Membership]) -> list[MembershipInfo]:
    rows = list(qs.select_related("user", "agency", "unit").prefetch_related("roles"))
    return [
        MembershipInfo(
            id=m.pk,
            user_id=m.user_id,
            username=m.user.get_username(),
            full_name=str(getattr(m.user, "full_name", "") or m.user.get_full_name()),
            agency_id=m.agency_id,
            agency_code=m.agency.code,
            agency_code_d20=m.agency.code_d20,
            agency_name=m.agency.name_vi,
            unit_id=m.unit_id,
            unit_name=m.unit.name_vi if m.unit else None,
            position=m.position,
            roles=tuple(sorted(r.role for r in m.roles.all())),
            valid_from=m.valid_from,
            valid_to=m.valid_to,
            is_primary=m.is_primary,
        )
        for m in rows
    ]


def _is_user(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False)) and user.pk is not None


def memberships_for_user(user: Any, on: datetime.date | None = None) -> list[MembershipInfo]:
    """The user's memberships in force on `on` (default today), primary first."""
    if not _is_user(user):
        return []
    qs = Membership.objects.filter(user_id=user.pk).filter(in_force_q(on or _today()))
    return sorted(_membership_rows(qs), key=lambda m: (not m.is_primary, m.agency_code, m.id))


def memberships_for_agency(
    agency: AgencyLike, *, on: datetime.date | None = None, include_ended: bool = False
) -> list[MembershipInfo]:
    agency_id = _agency_id(agency)
    if agency_id is None:
        return []
    qs = Membership.objects.filter(agency_id=agency_id)
    if not include_ended:
        qs = qs.filter(in_force_q(on or _today()))
    return _membership_rows(qs.order_by("valid_from", "id"))


def user_roles(user: Any, agency: AgencyLike | None = None, *, on: datetime.date | None = None) -> set[str]:
    """Roles the user holds today (in `agency` if given, else anywhere)."""
    if not _is_user(user):
        return set()
    qs = MembershipRole.objects.filter(membership__user_id=user.pk).filter(
        in_force_q(on or _today(), prefix="membership__")
    )
    if agency is not None:
        agency_id = _agency_id(agency)
        if agency_id is None:
            return set()
        qs = qs.filter(membership__agency_id=agency_id)
    return set(qs.values_list("role", flat=True))


def user_has_role(user: Any, role: str | Role, agency: AgencyLike | None = None) -> bool:
    return str(role) in user_roles(user, agency)


# --- permissions (policy read by the API and the admin) --------------------------------------


def user_can_manage_agencies_under(user: Any, parent: Agency | None) -> bool:
    """Create, change or close an agency placed under `parent`: a superuser, a system
    administrator (in any agency), or an administrator of `parent` itself."""
    if not _is_user(user):
        return False
    if getattr(user, "is_superuser", False):
        return True
    roles = user_roles(user)
    if Role.SYSTEM_ADMIN in roles:
        return True
    return parent is not None and Role.AGENCY_ADMIN in user_roles(user, parent)


def user_can_view_agency_staff(user: Any, agency: Agency) -> bool:
    """See the staff list of `agency`: its administrators and leaders, system administrators, superusers."""
    if not _is_user(user):
        return False
    if getattr(user, "is_superuser", False) or Role.SYSTEM_ADMIN in user_roles(user):
        return True
    return bool({Role.AGENCY_ADMIN, Role.LEADER} & user_roles(user, agency))
