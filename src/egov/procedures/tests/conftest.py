import copy

import pytest

from egov.audit.models import AuditRecord
from egov.orgs.demo import seed_thai_binh
from egov.procedures import demo


@pytest.fixture
def orgs_seeded(db):
    seed_thai_binh(actor=None)


@pytest.fixture
def catalogue(orgs_seeded):
    return demo.seed_procedures(actor=None)


@pytest.fixture
def fields(orgs_seeded):
    from egov.procedures import services

    for code, name_vi, name_en in demo.FIELDS:
        services.procedure_field_ensure(actor=None, code=code, name_vi=name_vi, name_en=name_en, valid_from=demo.START)


@pytest.fixture
def spec():
    """A valid published spec (the birth registration of the demo), fresh each time."""
    return copy.deepcopy(demo._birth_registration())


@pytest.fixture
def audit_count():
    return lambda: AuditRecord.objects.count()
