import datetime

import pytest
from django.db import transaction

from egov.audit.models import AuditRecord
from egov.common.errors import EgovError
from egov.orgs import selectors, services, succession
from egov.orgs.models import Agency, AgencyKind, Membership, Unit

from .conftest import D2018

pytestmark = pytest.mark.django_db

D = datetime.date


def _dept(code, parent, *, valid_from=D2018, valid_to=None, name="Sở Nội vụ", **extra):
    return services.agency_create(
        actor=None,
        code=code,
        name_vi=name,
        kind=AgencyKind.DEPARTMENT,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        **extra,
    )


def _refused(expected, fn, /, *args, **kwargs):
    agencies, records = Agency.objects.count(), AuditRecord.objects.count()
    with pytest.raises(EgovError) as info:
        fn(*args, **kwargs)
    assert info.value.code == expected
    assert set(info.value.messages) == {"vi", "en"}
    assert info.value.messages["vi"] != info.value.messages["en"]
    assert Agency.objects.count() == agencies
    assert AuditRecord.objects.count() == records
    return info.value


def test_create_derives_the_other_code_form_and_audits(ubnd, stttt):
    assert stttt.code == "000.00.11.H54"
    assert stttt.code_d20 == "H54.11"
    assert ubnd.code_d20 == "H54"
    assert stttt.level1.code == "H54"
    assert "so thong tin va truyen thong" in stttt.search_text
    record = AuditRecord.objects.get(action="orgs.agency_create", object_id=str(stttt.pk))
    assert record.after["code"] == "000.00.11.H54"
    assert record.agency_code == "000.00.11.H54"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"code": "000.00.1.H54"}, "orgs.invalid_code"),
        ({"code": "000.17.00.H54"}, "orgs.invalid_code"),
        ({"code_d20": "H54.1"}, "orgs.invalid_code"),
        ({"code": "000.00.02.H54", "code_d20": "H54.03"}, "orgs.code_mismatch"),
        ({"code": "000.00.02.Y99"}, "orgs.level1_unknown"),
        ({"code": "000.00.02.H54", "valid_from": D(2025, 7, 1)}, "orgs.level1_not_in_force"),
        ({"code": "000.00.02.H54", "valid_to": D(2017, 12, 31)}, "orgs.invalid_dates"),
        ({"code": "000.00.02.H54", "kind": "ministry"}, "orgs.invalid_kind"),
        ({"code": "000.00.02.H54", "name_vi": "  "}, "orgs.name_required"),
        ({"code": "000.00.02.H54", "parent": "000.00.99.H54"}, "orgs.parent_unknown"),
        ({"code": "000.00.02.H54", "email": "not-an-email"}, "orgs.invalid_contact"),
        ({"code": "000.00.02.H54", "administrative_unit": "99"}, "orgs.administrative_unit_unknown"),
        ({"code": "000.00.02.H54", "successor": "000.00.00.H54"}, "orgs.successor_invalid"),
    ],
)
def test_bad_input_is_refused_with_nothing_changed(ubnd, kwargs, error):
    values = {"name_vi": "Sở Nội vụ", "kind": AgencyKind.DEPARTMENT, "valid_from": D2018, "parent": ubnd, **kwargs}
    _refused(error, services.agency_create, actor=None, **values)


def test_parent_must_be_in_force(ubnd):
    old = _dept("000.00.02.H54", ubnd, valid_to=D(2019, 12, 31))
    _refused("orgs.parent_not_in_force", _dept, "000.02.02.H54", old, valid_from=D(2020, 1, 1))


def test_code_is_unique_while_in_force_and_reusable_after(ubnd):
    first = _dept("000.00.02.H54", ubnd, valid_to=D(2020, 12, 31))
    error = _refused("orgs.duplicate_code", _dept, "000.00.02.H54", ubnd, valid_from=D(2020, 6, 1))
    assert "Sở Nội vụ" in error.messages["vi"]
    _refused("orgs.duplicate_code", _dept, "000.00.02.H54", None, valid_from=D(2016, 6, 1), valid_to=D(2018, 1, 1))
    # The day after the first closes, the code is free again.
    second = _dept("000.00.02.H54", ubnd, valid_from=D(2021, 1, 1), name="Sở Nội vụ (mới)")
    assert second.pk != first.pk
    # …and an open-ended agency blocks every later period.
    _refused("orgs.duplicate_code", _dept, "000.00.02.H54", ubnd, valid_from=D(2024, 1, 1))
    # A change that would make the two overlap is refused too.
    _refused("orgs.duplicate_code", services.agency_update, actor=None, agency=second, valid_from=D(2020, 12, 1))


def test_cycle_is_refused_on_re_parenting(ubnd, stttt):
    child = _dept("000.01.11.H54", stttt, name="Trung tâm CNTT")
    grandchild = _dept("000.01.01.H54", child, name="Phòng Kỹ thuật")
    _refused("orgs.cycle", services.agency_update, actor=None, agency=stttt, parent=grandchild)
    _refused("orgs.cycle", services.agency_update, actor=None, agency=stttt, parent=stttt)
    _refused("orgs.cycle", services.agency_update, actor=None, agency=ubnd, parent=child)
    assert Agency.objects.get(pk=stttt.pk).parent_id == ubnd.pk
    assert [a.code for a in selectors.agency_descendants(stttt)] == ["000.01.11.H54", "000.01.01.H54"]


def test_update_writes_only_changes_and_refreshes_search_text(stttt):
    before = AuditRecord.objects.count()
    services.agency_update(actor=None, agency=stttt, name_vi="Sở Thông tin và Truyền thông")
    assert AuditRecord.objects.count() == before
    updated = services.agency_update(actor=None, agency=stttt, short_name="Sở TT&TT", code_d20="H54.12")
    assert updated.code == "000.00.12.H54"
    assert "so tt&tt" in updated.search_text
    assert "h54.12" in updated.search_text
    record = AuditRecord.objects.latest("seq")
    assert record.action == "orgs.agency_update"
    assert set(record.after) == {"short_name", "code", "code_d20"}
    with pytest.raises(TypeError):
        services.agency_update(actor=None, agency=stttt, valid_to=D(2020, 1, 1))


def test_close_with_successor_moves_staff_and_calls_handlers_in_the_transaction(ubnd, stttt, make_user):
    new = _dept("000.00.20.H54", ubnd, name="Sở Khoa học và Công nghệ", valid_from=D(2025, 3, 1))
    unit = services.unit_create(actor=None, agency=stttt, name_vi="Phòng Công nghệ thông tin", short_code="CNTT")
    user = make_user("chuyenvien.stttt")
    old_membership = services.membership_create(
        actor=None, user=user, agency=stttt, unit=unit, position="Chuyên viên", roles=["specialist"], valid_from=D2018
    )
    calls = []

    def handler(old_agency, new_agency, on_date, actor):
        from django.db import connection

        calls.append((old_agency.code, new_agency.code, on_date, actor, connection.in_atomic_block))

    succession.register_handler("test.handover", handler)
    try:
        closed = services.agency_close(
            actor=user,
            agency=stttt,
            valid_to=D(2025, 2, 28),
            successor=new,
            reason="Hợp nhất theo Nghị quyết của HĐND tỉnh",
            transfer_staff=True,
        )
    finally:
        succession.unregister_handler("test.handover")
    assert calls == [("000.00.11.H54", "000.00.20.H54", D(2025, 3, 1), user, True)]
    assert closed.valid_to == D(2025, 2, 28)
    assert closed.successor_id == new.pk
    old_membership.refresh_from_db()
    assert old_membership.valid_to == D(2025, 2, 28)
    moved = Membership.objects.get(agency=new, user=user)
    assert moved.valid_from == D(2025, 3, 1)
    assert moved.position == "Chuyên viên"
    assert moved.unit is None
    assert list(moved.roles.values_list("role", flat=True)) == ["specialist"]
    assert Unit.objects.get(pk=unit.pk).active is False
    record = AuditRecord.objects.latest("seq")
    assert record.action == "orgs.agency_close"
    assert record.after["handlers"] == ["test.handover"]
    assert record.after["memberships_ended"] == [old_membership.pk]
    # History kept: the closed agency is still there, and the code resolves by date.
    assert selectors.agency_get("000.00.11.H54").valid_to == D(2025, 2, 28)
    assert selectors.agency_resolve("H54.11", on=D(2024, 1, 1)).code == "000.00.11.H54"
    assert selectors.agency_resolve("000.00.11.H54", on=D(2025, 3, 1)).code == "000.00.20.H54"


def test_a_failing_handler_rolls_the_close_back(stttt, ubnd):
    new = _dept("000.00.20.H54", ubnd, valid_from=D(2025, 3, 1))

    def handler(old_agency, new_agency, on_date, actor):
        raise RuntimeError("documents could not be transferred")

    succession.register_handler("test.failing", handler)
    records = AuditRecord.objects.count()
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.agency_close(actor=None, agency=stttt, valid_to=D(2025, 2, 28), successor=new, reason="Hợp nhất")
    finally:
        succession.unregister_handler("test.failing")
    assert Agency.objects.get(pk=stttt.pk).valid_to is None
    assert AuditRecord.objects.count() == records


def test_close_refusals(ubnd, stttt):
    later = _dept("000.00.20.H54", ubnd, valid_from=D(2025, 6, 1))
    _refused(
        "orgs.successor_not_in_force",
        services.agency_close,
        actor=None,
        agency=stttt,
        valid_to=D(2025, 2, 28),
        successor=later,
        reason="x",
    )
    _refused(
        "orgs.successor_unknown",
        services.agency_close,
        actor=None,
        agency=stttt,
        valid_to=D(2025, 2, 28),
        successor="000.00.77.H54",
        reason="x",
    )
    _refused(
        "orgs.successor_invalid",
        services.agency_close,
        actor=None,
        agency=stttt,
        valid_to=D(2025, 2, 28),
        successor=stttt,
        reason="x",
    )
    _refused(
        "orgs.reason_required", services.agency_close, actor=None, agency=stttt, valid_to=D(2025, 2, 28), reason=" "
    )
    _refused("orgs.invalid_dates", services.agency_close, actor=None, agency=stttt, valid_to=D(2017, 1, 1), reason="x")
    _refused(
        "orgs.successor_invalid",
        services.agency_close,
        actor=None,
        agency=stttt,
        valid_to=D(2025, 2, 28),
        reason="x",
        transfer_staff=True,
    )
    services.agency_close(actor=None, agency=stttt, valid_to=D(2025, 2, 28), reason="Giải thể")
    _refused(
        "orgs.already_closed", services.agency_close, actor=None, agency=stttt, valid_to=D(2025, 3, 28), reason="x"
    )


def test_thai_binh_people_committee_succeeded_by_hung_yen():
    """Decision 09/2025: H54 closes on 30 Jun 2025; the merged province keeps Hưng Yên's H31."""
    thai_binh = services.agency_create(
        actor=None,
        code="000.00.00.H54",
        name_vi="Ủy ban nhân dân tỉnh Thái Bình",
        kind=AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        valid_from=D2018,
    )
    hung_yen = services.agency_create(
        actor=None,
        code="000.00.00.H31",
        name_vi="Ủy ban nhân dân tỉnh Hưng Yên",
        kind=AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        valid_from=D2018,
    )
    services.agency_close(
        actor=None,
        agency=thai_binh,
        valid_to=D(2025, 6, 30),
        successor=hung_yen,
        reason="Hợp nhất tỉnh Thái Bình vào tỉnh Hưng Yên (Nghị quyết 202/2025/QH15)",
    )
    assert selectors.agency_resolve("000.00.00.H54", on=D(2025, 6, 30)).code == "000.00.00.H54"
    assert selectors.agency_resolve("H54", on=D(2025, 7, 1)).code == "000.00.00.H31"
    assert selectors.agency_resolve("H54", on=D(2017, 1, 1)) is None
    # No new agency under H54 after the merger: the level-1 code is closed.
    _refused("orgs.level1_not_in_force", _dept, "000.00.05.H54", None, valid_from=D(2025, 7, 1))
    closed = selectors.agency_list(search="thai binh")
    assert [a.code for a in closed] == ["000.00.00.H54"]
    assert closed[0].successor_code == "000.00.00.H31"
    assert closed[0].level1_inferred is True


def test_resolve_follows_a_chain_and_survives_a_loop_free_history(ubnd):
    a = _dept("000.00.02.H54", ubnd, name="A")
    b = _dept("000.00.03.H54", ubnd, name="B", valid_from=D(2020, 1, 1))
    c = _dept("000.00.04.H54", ubnd, name="C", valid_from=D(2022, 1, 1))
    services.agency_close(actor=None, agency=a, valid_to=D(2019, 12, 31), successor=b, reason="r")
    services.agency_close(actor=None, agency=b, valid_to=D(2021, 12, 31), successor=c, reason="r")
    assert selectors.agency_resolve("H54.02", on=D(2023, 1, 1)).code == "000.00.04.H54"
    assert selectors.agency_resolve("H54.02", on=D(2020, 5, 1)).code == "000.00.03.H54"
    assert selectors.agency_resolve("not a code") is None


def test_selectors_accept_both_forms_and_raise_404(stttt):
    assert selectors.agency_get("H54.11").code == "000.00.11.H54"
    assert selectors.agency_get("000.00.11.H54").code_d20 == "H54.11"
    with pytest.raises(EgovError) as info:
        selectors.agency_get("000.00.99.H54")
    assert info.value.status_code == 404
    assert info.value.code == "orgs.not_found"
    assert [a.code for a in selectors.agency_list(parent_code="H54")] == ["000.00.11.H54"]
    assert selectors.agency_list(kind="department", in_force_on=D(2017, 1, 1)) == []
