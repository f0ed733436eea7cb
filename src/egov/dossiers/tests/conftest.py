import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from egov.accounts import services as accounts
from egov.audit.models import AuditRecord
from egov.orgs.demo import seed_demo_staff, seed_thai_binh
from egov.procedures import demo as procedures_demo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "Demo@2025-dossiers"
CENTRE = "000.01.01.H54"
STTTT = "000.00.11.H54"
NEWSLETTER = "1.004227"  # province level, 15 working days, processed by STTTT
PRESS = "1.004237"  # 3 working days


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args).replace(tzinfo=TZ)


PROCEDURES = (NEWSLETTER, PRESS, "1.001193")


def seed_world() -> dict:
    """Thái Bình agencies and demo staff, three procedures of the demo catalogue, two citizens."""
    from django.contrib.auth import get_user_model

    from egov.procedures import services as procedures

    seed_thai_binh(actor=None)
    for code, name_vi, name_en in procedures_demo.FIELDS:
        procedures.procedure_field_ensure(
            actor=None, code=code, name_vi=name_vi, name_en=name_en, valid_from=procedures_demo.START
        )
    specs = [s for s in procedures_demo.demo_specs() if s["code"] in PROCEDURES]
    procedures.catalogue_import(actor=None, specs=specs)
    staff = [a.username for a in seed_demo_staff(password=PASSWORD)]
    users = {u.username: u for u in get_user_model().objects.filter(username__in=staff)}
    users["citizen"] = accounts.user_create_citizen(
        actor=None, username="nguyenvana", full_name="Nguyễn Văn A", national_id="034090001234", phone="0912345678"
    )
    users["other_citizen"] = accounts.user_create_citizen(
        actor=None, username="tranthib", full_name="Trần Thị B", national_id="034090005678"
    )
    return users


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once per module inside a transaction that is rolled back at the end of the module;
    every test runs in a savepoint inside it (pytest-django's `db`), so tests stay isolated and
    nothing is left behind for other apps' tests."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(at(2025, 3, 3, 7), tick=False):
                users = seed_world()
            yield users
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(seeded, db, travel):
    travel(at(2025, 3, 3, 8))
    return seeded


@pytest.fixture
def audit_count():
    return lambda: AuditRecord.objects.count()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def newsletter_eform() -> dict:
    return {
        "ho_ten": "Nguyễn Văn A",
        "so_dinh_danh": "034090001234",
        "dien_thoai": "0912345678",
        "noi_dung_de_nghi": "Xuất bản bản tin nội bộ",
    }


def files_for(procedure: str = NEWSLETTER):
    from egov.dossiers.services import FileInput

    return [FileInput(f"{procedure}-TP01", "to-khai.pdf", PDF), FileInput(f"{procedure}-TP02", "giay-to.png", PNG)]


@pytest.fixture
def submit(world):
    from egov.dossiers import services

    def go(procedure=NEWSLETTER, actor=None, **kwargs):
        kwargs.setdefault("channel", "online")
        kwargs.setdefault("eform", newsletter_eform())
        kwargs.setdefault("files", files_for(procedure))
        if actor is None:
            actor = world["citizen"] if kwargs["channel"] == "online" else world["motcua.ttpvhcc"]
        dossier, _created = services.dossier_submit(actor=actor, procedure=procedure, **kwargs)
        return dossier

    return go


@pytest.fixture
def act(world):
    from egov.dossiers import services

    def go(dossier, action, who, **kwargs):
        return services.dossier_act(actor=world[who], code=dossier.code, action=action, **kwargs)

    return go
