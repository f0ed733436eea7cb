import pytest

from egov.audit.models import AuditRecord
from egov.orgs import selectors
from egov.orgs.demo import seed_demo_staff, seed_thai_binh
from egov.orgs.models import AdministrativeUnit, Agency, Membership, MembershipRole, Role, Unit

pytestmark = pytest.mark.django_db


def _counts():
    from django.contrib.auth import get_user_model

    return (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        Unit.objects.count(),
        Membership.objects.count(),
        MembershipRole.objects.count(),
        get_user_model().objects.count(),
        AuditRecord.objects.count(),
    )


def test_seed_is_complete_and_idempotent():
    seed_thai_binh()
    accounts = seed_demo_staff(password="Demo-ThaiBinh-2018")
    first = _counts()
    seed_thai_binh()
    again = seed_demo_staff(password="Demo-ThaiBinh-2018")
    assert _counts() == first
    assert accounts == again

    assert AdministrativeUnit.objects.filter(level="district", parent__gso_code="34").count() == 8
    assert selectors.agency_get("000.00.00.H54").abbreviation == "UBND"
    assert selectors.agency_get("000.00.11.H54").abbreviation == "STTTT"
    departments = selectors.agency_list(parent_code="000.00.00.H54")
    assert len([a for a in departments if a.code.startswith("000.00.") and int(a.code[7:9]) <= 18]) == 18
    assert len(selectors.agency_list(kind="district_people_committee")) == 8
    assert len(selectors.agency_list(kind="one_stop_unit")) == 8
    assert len(selectors.agency_list(kind="commune_people_committee")) == 6
    # The centre: same code, the 2018 body closed and succeeded by the renamed one.
    old, new = Agency.objects.filter(code="000.01.01.H54").order_by("valid_from")
    assert old.name_vi == "Trung tâm Hành chính công tỉnh Thái Bình"
    assert old.successor_id == new.pk
    assert selectors.agency_get("000.01.01.H54").name_vi == "Trung tâm Phục vụ hành chính công tỉnh Thái Bình"
    assert Unit.objects.filter(agency__code="000.00.11.H54", name_vi="Phòng Công nghệ thông tin").exists()

    by_role: dict[str, set[str]] = {}
    for account in accounts:
        for role in account.roles:
            by_role.setdefault(role, set()).add(account.agency_code)
    assert set(by_role) == set(Role.values)
    for role in (Role.CLERK, Role.SPECIALIST, Role.LEADER, Role.ONE_STOP_OFFICER, Role.AGENCY_ADMIN):
        assert len(by_role[role]) >= 3, role
    assert {a.username for a in accounts} >= {
        "vanthu.stttt",
        "lanhdao.stttt",
        "chuyenvien.stttt",
        "motcua.ttpvhcc",
        "quantri.tinh",
    }


def test_demo_users_can_log_in_and_have_their_roles():
    from django.contrib.auth import get_user_model

    seed_thai_binh()
    seed_demo_staff(password="Demo-ThaiBinh-2018")
    user = get_user_model().objects.get(username="vanthu.stttt")
    assert user.check_password("Demo-ThaiBinh-2018")
    assert user.kind == "staff"
    assert selectors.user_roles(user, "000.00.11.H54") == {"clerk"}
    assert selectors.user_has_role(get_user_model().objects.get(username="quantri.tinh"), "system_admin")
    # A changed password is reset, but only then.
    seed_demo_staff(password="Another-Password-2019")
    user.refresh_from_db()
    assert user.check_password("Another-Password-2019")
