"""The demo dossiers: made through the services, idempotent, with a known early/on-time/late split;
and the demo year: every state, gapless codes in time order, working hours only, idempotent."""

import datetime
import importlib
from collections import defaultdict

from egov.accounts import services as accounts
from egov.audit.models import AuditRecord
from egov.dossiers import demo
from egov.dossiers.clock import TZ
from egov.dossiers.models import Apology, Dossier, DossierCounter, DossierEvent, DossierFile, DossierStep
from egov.workcalendar import selectors as calendar

from .conftest import PROCEDURES, at

TODAY = datetime.date(2025, 6, 16)
YEAR = 80  # a small year keeps the test short; the demo default is demo.YEAR_DOSSIERS


def _statistics():
    """`dossier_statistics` lives in `statistics` (or, before it moved, in `selectors`)."""
    try:
        return importlib.import_module("egov.dossiers.statistics").dossier_statistics
    except (ImportError, AttributeError):
        return importlib.import_module("egov.dossiers.selectors").dossier_statistics


def _procedures(codes):
    from egov.procedures import demo as procedures_demo
    from egov.procedures import services as procedures

    specs = [s for s in procedures_demo.demo_specs() if s["code"] in codes and s["code"] not in PROCEDURES]
    procedures.catalogue_import(actor=None, specs=specs)


def _citizens():
    for username, name, cccd in (
        ("congdan.an", "Nguyễn Văn An", "034085001234"),
        ("congdan.hoa", "Trần Thị Hoa", "034190004321"),
        ("congdan.khoa", "Phạm Đăng Khoa", "034201007788"),
    ):
        accounts.user_create_citizen(actor=None, username=username, full_name=name, national_id=cccd,
                                     phone="0912345678")  # fmt: skip


def _rows():
    return (
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        DossierStep.objects.count(),
        DossierFile.objects.count(),
        Apology.objects.count(),
        AuditRecord.objects.count(),
    )


def test_seed_twice_changes_nothing_and_statistics_split(world, travel):
    _citizens()
    _procedures({demo.GAMES_POINT})
    travel(at(2025, 6, 16, 7))
    created = demo.seed_dossiers(today=TODAY, year=0)
    assert len(created) == len(demo.DOSSIERS) == 17
    counts = _rows()
    states = dict(Dossier.objects.values_list("idempotency_key", "status"))
    assert states["demo-dossier-01"] == "returned"
    assert states["demo-dossier-06"] == "supplement_requested"
    assert states["demo-dossier-07"] == "in_appraisal"
    assert states["demo-dossier-08"] == "withdrawn"
    assert states["demo-dossier-09"] == "not_accepted"
    assert states["demo-dossier-11"] == "submitted_to_leader"
    assert states["demo-dossier-12"] == "received"
    assert states["demo-dossier-13"] == "submitted"
    assert states["demo-dossier-14"] == "in_appraisal"
    assert states["demo-dossier-15"] == "financial_obligation"
    assert states["demo-dossier-16"] == "stopped"
    assert states["demo-dossier-17"] == "result_issued"
    timeliness = dict(Dossier.objects.exclude(timeliness="").values_list("idempotency_key", "timeliness"))
    assert timeliness == {
        "demo-dossier-01": "early",
        "demo-dossier-02": "on_time",
        "demo-dossier-03": "late",
        "demo-dossier-04": "early",
        "demo-dossier-05": "early",
        "demo-dossier-17": "early",
    }
    apology = Apology.objects.get()
    assert apology.dossier.idempotency_key == "demo-dossier-03"
    assert Dossier.objects.get(idempotency_key="demo-dossier-07").restarts == 1
    assert Dossier.objects.get(idempotency_key="demo-dossier-04").channel_kind == "post"
    # the hand-written ones render the real result notice (not the year's prepared page)
    assert DossierFile.objects.filter(kind="result", dossier__idempotency_key="demo-dossier-01").get().size > 5000

    # a second run, even on a later day, changes nothing and writes no audit record
    travel(at(2025, 7, 1, 9))
    assert demo.seed_dossiers(year=0) == []
    assert _rows() == counts

    days = demo.window_days(TODAY)
    stats = _statistics()(date_from=days[0], date_to=days[-1], now=at(2025, 6, 16, 7))
    assert stats["received"] == 15  # not the refused one nor the one awaiting reception
    assert (stats["finished_early"], stats["finished_on_time"], stats["finished_late"]) == (4, 1, 1)
    assert stats["with_apology"] == 1
    assert stats["withdrawn"] == 1
    assert stats["not_accepted"] == 1
    assert stats["returned"] == 5
    assert stats["early_or_on_time_percent"] == 83.33
    assert stats["paused"] == 3  # supplement requested, awaiting payment, stopped
    assert stats["in_progress_overdue"] >= 1  # demo-dossier-14, past its legal date in appraisal


def test_online_and_district_dossiers_skipped_without_citizens_or_procedure(world, travel):
    travel(at(2025, 6, 16, 7))
    created = demo.seed_dossiers(today=TODAY, year=0)
    assert len(created) == 11  # no citizens (3 online) and no district procedure (3)
    assert not Dossier.objects.filter(channel_kind="online").exists()


def test_small_year_every_state_gapless_working_hours_and_idempotent(world, travel):
    _citizens()
    _procedures({p.code for p in demo.YEAR_PROCEDURES})
    travel(at(2025, 6, 16, 7))
    report = demo.seed_report(today=TODAY, year=YEAR)
    assert report.failures == 0
    assert report.hand_written == 17
    assert report.year == YEAR
    year = Dossier.objects.filter(idempotency_key__startswith=demo.YEAR_PREFIX)
    assert year.count() == YEAR

    # every state, counting the hand-written ones (the year alone ends some in each "held" state)
    states = set(Dossier.objects.values_list("status", flat=True))
    assert states >= {
        "submitted", "received", "not_accepted", "supplement_requested", "in_appraisal",
        "submitted_to_leader", "financial_obligation", "stopped", "withdrawn", "result_issued", "returned",
    }  # fmt: skip
    year_states = set(year.values_list("status", flat=True))
    assert year_states >= {"returned", "result_issued", "supplement_requested", "financial_obligation", "stopped",
                           "in_appraisal", "not_accepted"}  # fmt: skip
    assert year.filter(restarts__gt=0, status="returned").exists()  # supplemented, the clock restarted
    assert year.filter(events__action="send_back").exists()
    assert year.filter(outcome="rejected").exists() or year.filter(status="withdrawn").exists()
    # timeliness mix of the year: early, on time, late with and without an apology
    mix: dict[tuple[str, bool], int] = defaultdict(int)
    for timeliness, apologised in year.exclude(timeliness="").values_list("timeliness", "apologies__id"):
        mix[(timeliness, apologised is not None)] += 1
    assert mix[("early", False)] > mix[("on_time", False)] > 0
    assert mix[("late", False)] > 0
    assert mix[("late", True)] > 0
    assert year.filter(legal_due_at__lt=at(2025, 6, 16, 7), status="in_appraisal").exists()  # over the deadline
    # the online share grows over the year; both centres, several procedures and fields
    ordered = list(year.order_by("submitted_at").values_list("channel_kind", flat=True))
    half = len(ordered) // 2
    assert ordered[half:].count("online") > ordered[:half].count("online")
    assert {"counter", "online", "post"} <= set(ordered)
    assert set(year.values_list("receiving_centre__code", flat=True)) == {demo.CENTRE, demo.DONG_HUNG_ONE_STOP}
    assert year.values("procedure_version__procedure__code").distinct().count() >= 6
    assert year.values("procedure_version__field__code").distinct().count() >= 4
    first, last = year.order_by("submitted_at").values_list("submitted_at", flat=True)[:: YEAR - 1]
    assert first.astimezone(TZ).date() >= datetime.date(2024, 6, 16)
    assert last.astimezone(TZ).date() < TODAY

    # codes: gapless per unit and day, numbered in the order of reception
    per_day = defaultdict(list)
    for code, submitted in Dossier.objects.values_list("code", "submitted_at"):
        unit, day, number = code.rsplit("-", 2)
        per_day[(unit, day)].append((submitted, int(number)))
    for (unit, day), rows in per_day.items():
        numbers = [n for _s, n in sorted(rows)]
        assert numbers == list(range(1, len(rows) + 1)), (unit, day, numbers)
        on = datetime.date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
        assert DossierCounter.objects.get(unit_code=unit, day=on).last == len(rows)

    # nothing on a weekend or holiday; the year's events all in office hours (the hand-written
    # online dossiers 05 and 13 were filed in the evening, as online ones may be)
    work = calendar.calendar_get()
    events = DossierEvent.objects.values_list("at", "dossier__idempotency_key")
    apologies = Apology.objects.values_list("new_due_at", "dossier__idempotency_key")
    for moment, key in [*events, *apologies]:
        local = moment.astimezone(TZ)
        assert calendar.is_working_day(local.date()), (key, local)
        if key.startswith(demo.YEAR_PREFIX):
            hours = work.hours_on(local.date())
            assert hours.morning_start <= local.time() <= hours.morning_end or (
                hours.afternoon_start <= local.time() <= hours.afternoon_end
            ), (key, local)

    # a later run changes nothing (no year planned again, no audit record)
    counts = _rows()
    travel(at(2025, 9, 1, 9))
    again = demo.seed_report(year=YEAR)
    assert (again.hand_written, again.year, again.dossiers) == (0, 0, [])
    assert _rows() == counts


def test_year_volume_from_the_environment(monkeypatch):
    monkeypatch.delenv("EGOV_DEMO_DOSSIERS", raising=False)
    assert demo.year_volume() == demo.YEAR_DOSSIERS
    monkeypatch.setenv("EGOV_DEMO_DOSSIERS", "2500")
    assert demo.year_volume() == 2500
    monkeypatch.setenv("EGOV_DEMO_DOSSIERS", "0")
    assert demo.year_volume() == 0
    monkeypatch.setenv("EGOV_DEMO_DOSSIERS", "many")  # not a number: the default
    assert demo.year_volume() == demo.YEAR_DOSSIERS


def test_demand_dips_after_tet_and_spreads_exactly(db):
    days = demo.year_days(datetime.date(2025, 6, 16))
    assert all(calendar.is_working_day(d) for d in days)
    assert days[0] >= datetime.date(2024, 6, 16)
    assert days[-1] < datetime.date(2025, 6, 16)
    weights = dict(zip(days, demo._day_weights(days), strict=True))
    after_tet = [weights[d] for d in days if datetime.date(2025, 2, 3) <= d <= datetime.date(2025, 2, 11)]
    march = [weights[d] for d in days if d.month == 3]
    assert max(after_tet) < sum(march) / len(march)
    counts = demo._spread(1234, list(weights.values()))
    assert sum(counts) == 1234
    assert min(counts) >= 0
