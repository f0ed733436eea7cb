import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from egov.audit.models import AppendOnlyError, AuditRecord
from egov.audit.services import audit_record, audit_verify
from egov.common.context import reset_request_id, set_request_id

pytestmark = pytest.mark.django_db


class _Actor:
    def __init__(self, pk, username):
        self.pk = pk
        self._username = username

    def get_username(self):
        return self._username


def _write(n):
    actor = _Actor(7, "vanthu.stttt")
    token = set_request_id("req-0123456789")
    try:
        for i in range(n):
            with transaction.atomic():
                audit_record(
                    actor=actor,
                    action="test.thing_change",
                    object_type="test.thing",
                    object_id=str(i),
                    before={"name": "Sở Thông tin và Truyền thông", "n": i},
                    after={"name": "Sở Khoa học và Công nghệ", "amount": "1.50"},
                    agency_code="000.00.11.H54",
                )
    finally:
        reset_request_id(token)


def _tamper(sql, params):
    """Bypass the append-only guards the way an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_record_append_only")


def test_chain_links_each_record_to_the_previous_and_keeps_the_request_id():
    _write(3)
    records = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[0].prev_hash == "0" * 64
    assert records[1].prev_hash == records[0].hash
    assert records[2].prev_hash == records[1].hash
    assert {r.request_id for r in records} == {"req-0123456789"}
    assert records[0].actor_username == "vanthu.stttt"
    assert audit_verify() == (3, None)


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit_record(actor=None, action="test.x")
    assert AuditRecord.objects.count() == 0


def test_rolled_back_change_leaves_no_record_and_no_gap():
    _write(1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():  # noqa: PT012
        audit_record(actor=None, action="test.fails")
        1 / 0  # noqa: B018 - the change fails after its record was written
    _write(1)
    assert list(AuditRecord.objects.values_list("seq", flat=True)) == [1, 2]
    assert audit_verify() == (2, None)


def test_orm_refuses_update_and_delete():
    _write(1)
    record = AuditRecord.objects.get()
    record.action = "forged"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_database_refuses_update_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only")
    _write(1)
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.update(action="forged")


def test_verify_detects_an_edited_record():
    _write(5)
    _tamper("UPDATE audit_auditrecord SET object_id = %s WHERE seq = %s", ["99", 3])
    count, problem = audit_verify()
    assert count == 2
    assert problem is not None
    assert problem.seq == 3
    assert "altered" in problem.reason


def test_verify_detects_an_edited_json_summary():
    _write(3)
    record = AuditRecord.objects.get(seq=2)
    forged = dict(record.after, amount="0.00")
    import json

    _tamper("UPDATE audit_auditrecord SET after = %s WHERE seq = %s", [json.dumps(forged), 2])
    assert audit_verify()[1].seq == 2


def test_verify_detects_a_deleted_record():
    _write(5)
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [2])
    count, problem = audit_verify()
    assert (count, problem.seq) == (1, 2)
    assert "missing" in problem.reason


def test_verify_detects_the_newest_record_deleted():
    _write(4)
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [4])
    count, problem = audit_verify()
    assert (count, problem.seq) == (3, 4)


def test_verify_detects_a_record_recomputed_but_relinked():
    """An attacker who edits a record and recomputes its hash still breaks the next link."""
    from egov.audit.services import compute_hash

    _write(3)
    record = AuditRecord.objects.get(seq=2)
    record.object_id = "forged"
    new_hash = compute_hash(record)
    _tamper("UPDATE audit_auditrecord SET object_id = %s, hash = %s WHERE seq = %s", ["forged", new_hash, 2])
    _count, problem = audit_verify()
    assert problem.seq == 3
    assert "link" in problem.reason


def test_command_exit_status(capsys):
    _write(2)
    call_command("audit", "verify")
    assert "2 records verified" in capsys.readouterr().out
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [1])
    with pytest.raises(CommandError, match="#1"):
        call_command("audit", "verify")
