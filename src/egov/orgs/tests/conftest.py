import datetime
import itertools

import pytest
from django.contrib.auth import get_user_model

from egov.audit.models import AuditRecord
from egov.orgs import services
from egov.orgs.models import AgencyKind

D2018 = datetime.date(2018, 1, 1)
_counter = itertools.count(1)


@pytest.fixture
def make_user(db):
    def make(username=None, *, kind="staff", **extra):
        username = username or f"user{next(_counter)}"
        return get_user_model().objects.create_user(
            username=username, password="Mat-khau-2018!", kind=kind, full_name=extra.pop("full_name", username), **extra
        )

    return make


@pytest.fixture
def ubnd(db):
    return services.agency_create(
        actor=None,
        code="000.00.00.H54",
        name_vi="Ủy ban nhân dân tỉnh Thái Bình",
        name_en="People's Committee of Thái Bình Province",
        abbreviation="UBND",
        kind=AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        valid_from=D2018,
    )


@pytest.fixture
def stttt(ubnd):
    return services.agency_create(
        actor=None,
        code_d20="H54.11",
        name_vi="Sở Thông tin và Truyền thông",
        name_en="Department of Information and Communications",
        abbreviation="STTTT",
        kind=AgencyKind.DEPARTMENT,
        parent=ubnd,
        valid_from=D2018,
    )


@pytest.fixture
def audit_count():
    return lambda: AuditRecord.objects.count()
