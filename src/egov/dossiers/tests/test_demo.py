"""The demo dossiers: made through the services, idempotent, with a known early/on-time/late split."""

import datetime

from egov.accounts import services as accounts
from egov.audit.models import AuditRecord
from egov.dossiers import demo, selectors
from egov.dossiers.models import Apology, Dossier, DossierEvent

from .conftest import at

TODAY = datetime.date(2025, 6, 16)


def _district_procedure():
    from egov.procedures import demo as procedures_demo
    from egov.procedures import services as procedures

    specs = [s for s in procedures_demo.demo_specs() if s["code"] == demo.GAMES_POINT]
    procedures.catalogue_import(actor=None, specs=specs)


def _citizens():
    for username, name, cccd in (
        ("congdan.an", "Nguyễn Văn An", "034085001234"),
        ("congdan.hoa", "Trần Thị Hoa", "034190004321"),
        ("congdan.khoa", "Phạm Đăng Khoa", "034201007788"),
    ):
        accounts.user_create_citizen(actor=None, username=username, full_name=name, national_id=cccd,
                                     phone="0912345678")  # fmt: skip


def test_seed_twice_changes_nothing_and_statistics_split(world, travel):
    _citizens()
    _district_procedure()
    travel(at(2025, 6, 16, 7))
    created = demo.seed_dossiers(today=TODAY)
    assert len(created) == len(demo.DOSSIERS) == 13
    counts = (Dossier.objects.count(), DossierEvent.objects.count(), AuditRecord.objects.count())
    states = dict(Dossier.objects.values_list("idempotency_key", "status"))
    assert states["demo-dossier-01"] == "returned"
    assert states["demo-dossier-06"] == "supplement_requested"
    assert states["demo-dossier-07"] == "in_appraisal"
    assert states["demo-dossier-08"] == "withdrawn"
    assert states["demo-dossier-09"] == "not_accepted"
    assert states["demo-dossier-11"] == "submitted_to_leader"
    assert states["demo-dossier-12"] == "received"
    assert states["demo-dossier-13"] == "submitted"
    timeliness = dict(Dossier.objects.exclude(timeliness="").values_list("idempotency_key", "timeliness"))
    assert timeliness == {
        "demo-dossier-01": "early",
        "demo-dossier-02": "on_time",
        "demo-dossier-03": "late",
        "demo-dossier-04": "early",
        "demo-dossier-05": "early",
    }
    apology = Apology.objects.get()
    assert apology.dossier.idempotency_key == "demo-dossier-03"
    assert Dossier.objects.get(idempotency_key="demo-dossier-07").restarts == 1
    assert Dossier.objects.get(idempotency_key="demo-dossier-04").channel_kind == "post"

    # a second run, even on a later day, changes nothing and writes no audit record
    travel(at(2025, 7, 1, 9))
    assert demo.seed_dossiers() == []
    assert (Dossier.objects.count(), DossierEvent.objects.count(), AuditRecord.objects.count()) == counts

    days = demo.window_days(TODAY)
    stats = selectors.dossier_statistics(date_from=days[0], date_to=days[-1], now=at(2025, 6, 16, 7))
    assert stats["received"] == 11  # not the refused one nor the one awaiting reception
    assert (stats["finished_early"], stats["finished_on_time"], stats["finished_late"]) == (3, 1, 1)
    assert stats["with_apology"] == 1
    assert stats["withdrawn"] == 1
    assert stats["not_accepted"] == 1
    assert stats["returned"] == 5
    assert stats["early_or_on_time_percent"] == 80.0
    assert stats["paused"] == 1
    # the paused one (supplement requested) keeps its old legal due date until it is supplemented
    assert stats["in_progress_overdue"] == 1


def test_online_dossiers_skipped_without_demo_citizens(world, travel):
    travel(at(2025, 6, 16, 7))
    created = demo.seed_dossiers(today=TODAY)
    assert len(created) == 8  # no citizens (3 online) and no district procedure (2)
    assert not Dossier.objects.filter(channel_kind="online").exists()
