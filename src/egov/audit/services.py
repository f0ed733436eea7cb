"""Writing and verifying the audit trail.

`audit_record` must be called inside the transaction that makes the change it describes
(architecture invariant 1): if the change rolls back, so does its record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from egov.audit.models import GENESIS_HASH, AuditChainHead, AuditRecord
from egov.common.context import get_request_id


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _jsonable(value: Any) -> Any:
    """What a JSON column gives back: Decimal, date, UUID… become strings before hashing."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _canonical_time(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def compute_hash(record: AuditRecord) -> str:
    payload = {
        "seq": record.seq,
        "occurred_at": _canonical_time(record.occurred_at),
        "actor_id": record.actor_id,
        "actor_username": record.actor_username,
        "agency_code": record.agency_code,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "before": record.before,
        "after": record.after,
        "request_id": record.request_id,
        "prev_hash": record.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    agency_code: str = "",
) -> AuditRecord:
    """Append one record to the trail, in the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record() must run inside the transaction of the change it records")
    if target is not None:
        object_type = object_type or target._meta.label_lower
        object_id = object_id or str(target.pk)
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    record = AuditRecord(
        seq=head.seq + 1,
        occurred_at=timezone.now(),
        actor_id=int(actor.pk) if actor is not None and actor.pk is not None else None,
        actor_username=actor.get_username() if actor is not None else "",
        agency_code=agency_code,
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=get_request_id(),
        prev_hash=head.hash,
    )
    record.hash = compute_hash(record)
    record.save()
    AuditChainHead.objects.filter(id=1).update(seq=record.seq, hash=record.hash)
    return record


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"record #{self.seq}: {self.reason}"


def _iter_records(batch: int = 2000) -> Iterator[AuditRecord]:
    last = 0
    while True:
        chunk = list(AuditRecord.objects.filter(seq__gt=last).order_by("seq")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].seq


def audit_verify() -> tuple[int, ChainProblem | None]:
    """Walk the whole chain. Returns (records checked, first problem or None)."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    count = 0
    with transaction.atomic():
        for record in _iter_records():
            if record.seq != expected_seq:
                return count, ChainProblem(expected_seq, f"missing (next present record is #{record.seq})")
            if record.prev_hash != prev_hash:
                return count, ChainProblem(record.seq, "link to the previous record is broken")
            if compute_hash(record) != record.hash:
                return count, ChainProblem(record.seq, "content was altered (hash mismatch)")
            prev_hash = record.hash
            expected_seq += 1
            count += 1
        head = AuditChainHead.objects.filter(id=1).first()
        head_seq = head.seq if head else 0
        head_hash = head.hash if head else GENESIS_HASH
        if head_seq != count or head_hash != prev_hash:
            return count, ChainProblem(count + 1, f"missing (the chain head records #{head_seq})")
    return count, None
