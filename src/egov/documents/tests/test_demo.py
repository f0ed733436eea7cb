"""The demo seeder is idempotent and goes through the services."""

from __future__ import annotations

import pytest

from egov.audit.models import AuditRecord
from egov.documents.demo import seed_documents
from egov.documents.models import Document, Recipient, Status
from egov.documents.tests.conftest import _reseed
from egov.orgs.demo import seed_demo_staff, seed_thai_binh

pytestmark = pytest.mark.django_db


def test_seed_documents_twice_same_counts() -> None:
    _reseed()
    seed_thai_binh()
    seed_demo_staff(password="Mat-khau-demo-2026!")
    first = seed_documents()
    counts = (Document.objects.count(), Recipient.objects.count(), AuditRecord.objects.count())
    assert len(first) == 2
    assert {d.status for d in first} == {Status.APPROVED, Status.IN_REVIEW}
    assert all(d.recipients.filter(agency__code="000.00.04.H54").exists() for d in first)
    second = seed_documents()
    assert [d.pk for d in second] == [d.pk for d in first]
    assert (Document.objects.count(), Recipient.objects.count(), AuditRecord.objects.count()) == counts
