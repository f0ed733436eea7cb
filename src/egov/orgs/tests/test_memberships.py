import datetime

import pytest

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.orgs import selectors, services
from egov.orgs.models import Membership, MembershipRole

from .conftest import D2018

pytestmark = pytest.mark.django_db


def test_create_update_end_with_roles_and_audit(stttt, ubnd, make_user):
    user = make_user("vanthu.stttt")
    m = services.membership_create(
        actor=None, user=user, agency=stttt, position="Văn thư", roles=["clerk"], valid_from=D2018, is_primary=True
    )
    assert selectors.user_roles(user) == {"clerk"}
    assert selectors.user_has_role(user, "clerk", "H54.11")
    assert not selectors.user_has_role(user, "clerk", ubnd)
    rows = selectors.memberships_for_user(user)
    assert [(i.agency_code, i.roles, i.position, i.is_primary) for i in rows] == [
        ("000.00.11.H54", ("clerk",), "Văn thư", True)
    ]
    second = services.membership_create(
        actor=None,
        user=user,
        agency=ubnd,
        position="Chuyên viên",
        roles=["specialist"],
        valid_from=D2018,
        is_primary=True,
    )
    m.refresh_from_db()
    assert m.is_primary is False
    assert second.is_primary is True
    services.membership_update(actor=None, membership=m, roles=["clerk", "leader"], position="Chánh Văn phòng")
    assert selectors.user_roles(user, stttt) == {"clerk", "leader"}
    assert AuditRecord.objects.filter(action="orgs.membership_update").count() == 1
    # No change: no write, no record.
    services.membership_update(actor=None, membership=m, roles=["leader", "clerk"])
    assert AuditRecord.objects.filter(action="orgs.membership_update").count() == 1
    services.membership_end(actor=None, membership=m, valid_to=datetime.date(2020, 1, 1))
    assert selectors.user_roles(user, stttt) == set()
    assert selectors.memberships_for_user(user, on=datetime.date(2019, 6, 1))[0].agency_code in {
        "000.00.00.H54",
        "000.00.11.H54",
    }
    with pytest.raises(EgovError) as info:
        services.membership_end(actor=None, membership=m, valid_to=datetime.date(2021, 1, 1))
    assert info.value.code == "orgs.membership_ended"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"roles": ["king"]}, "orgs.invalid_role"),
        ({"valid_from": datetime.date(2017, 1, 1)}, "orgs.agency_not_in_force"),
        ({"valid_to": datetime.date(2017, 1, 1)}, "orgs.invalid_dates"),
        ({"citizen": True}, "orgs.not_staff"),
    ],
)
def test_membership_refusals_change_nothing(stttt, make_user, kwargs, error):
    user = make_user(kind="citizen" if kwargs.pop("citizen", False) else "staff")
    values = {"roles": ["clerk"], "valid_from": D2018, **kwargs}
    before = (Membership.objects.count(), MembershipRole.objects.count(), AuditRecord.objects.count())
    with pytest.raises(EgovError) as info:
        services.membership_create(actor=None, user=user, agency=stttt, **values)
    assert info.value.code == error
    assert (Membership.objects.count(), MembershipRole.objects.count(), AuditRecord.objects.count()) == before


def test_overlapping_membership_and_foreign_unit_are_refused(stttt, ubnd, make_user):
    user = make_user()
    services.membership_create(actor=None, user=user, agency=stttt, roles=["clerk"], valid_from=D2018)
    with pytest.raises(EgovError) as info:
        services.membership_create(actor=None, user=user, agency=stttt, roles=["leader"], valid_from=D2018)
    assert info.value.code == "orgs.duplicate_membership"
    unit = services.unit_create(actor=None, agency=ubnd, name_vi="Phòng Tổng hợp", short_code="TH")
    with pytest.raises(EgovError) as info:
        services.membership_create(actor=None, user=user, agency=stttt, unit=unit, valid_from=D2018)
    assert info.value.code == "orgs.unit_mismatch"


def test_anonymous_has_no_roles():
    from django.contrib.auth.models import AnonymousUser

    assert selectors.user_roles(AnonymousUser()) == set()
    assert selectors.memberships_for_user(AnonymousUser()) == []
