"""Statistics against hand-computed expectations (vn-standards §5.4, §5.5).

The scenario (all 2025, built through the services; STTTT = Sở TTTT 000.00.11.H54 processes the
press (1.004237, 3 working days) and newsletter (1.004227, 15 working days) procedures received at
the provincial centre 000.01.01.H54; Đông Hợp commune 000.03.24.H54 receives and processes the
birth registration 1.001193):

  A press, counter   received Mon 24 Feb 09:00, due Thu 27 Feb 09:00, finished Wed 5 Mar → late
  B newsletter, ctr  received Tue 25 Feb 09:00, due Tue 18 Mar; supplement requested Wed 26 Feb
                     (paused, old due date passes in March), supplemented Wed 2 Apr (clock restarts)
  C press, counter   received Mon 3 Mar 09:00, finished the same day → early; returned Tue 4 Mar
  D press, online    received Mon 3 Mar 10:00 (transferred at once), withdrawn Tue 4 Mar
  E press, post      received Mon 3 Mar 11:00, apology Tue 4 Mar, finished Mon 10 Mar → late
  F birth, counter   received Mon 3 Mar 14:00 at Đông Hợp, never transferred → in progress (DVCQG 2)
  K press, counter   received Mon 3 Mar 09:00, due Thu 6 Mar 09:00, finished Thu 6 Mar 08:30 → on time
  G newsletter, onl  submitted Wed 5 Mar, refused at reception the same day → not accepted
  I newsletter, ctr  received Thu 20 Mar 09:00 → in progress within the deadline
  J press, counter   received Tue 25 Mar 09:00, due Fri 28 Mar; payment requested Wed 26 Mar → paused
  H newsletter, onl  submitted Mon 31 Mar 16:00, never received → counted nowhere
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egov.common.errors import EgovError
from egov.dossiers import selectors, services
from egov.dossiers import statistics as stats
from egov.dossiers.services import FileInput
from egov.dossiers.statistics import GroupBy, StatsScope

from .conftest import NEWSLETTER, PDF, PRESS, at, files_for

BIRTH = "1.001193"
STTTT = "000.00.11.H54"
CENTRE = "000.01.01.H54"
DONGHOP = "000.03.24.H54"
EVERYTHING = StatsScope(everything=True)
ZERO = dict.fromkeys(stats.COUNT_KEYS, 0)


def _finish(world, act, d, *, steps=("transfer", "assign", "submit_to_leader", "approve")):
    for step in steps:
        if step == "transfer":
            d = act(d, "transfer", "motcua.ttpvhcc")
        elif step == "assign":
            d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
        elif step == "submit_to_leader":
            d = act(d, "submit_to_leader", "chuyenvien.stttt")
        else:
            d = act(d, "approve", "lanhdao.stttt")
    return act(d, "issue_result", "vanthu.stttt", result=FileInput("", "kq.pdf", PDF))


def _counter(submit, procedure=PRESS, channel="counter"):
    return submit(procedure, channel=channel, files=files_for(procedure))


@pytest.fixture
def scenario(world, submit, act, travel):
    out = {}
    travel(at(2025, 2, 24, 9))
    a = _counter(submit)
    a = act(a, "transfer", "motcua.ttpvhcc")
    out["A"] = act(a, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    travel(at(2025, 2, 25, 9))
    b = _counter(submit, NEWSLETTER)
    b = act(b, "transfer", "motcua.ttpvhcc")
    b = act(b, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    travel(at(2025, 2, 26, 9))
    out["B"] = act(b, "request_supplement", "chuyenvien.stttt", reason="Thiếu bản sao giấy phép")

    travel(at(2025, 3, 3, 9))
    c = _counter(submit)
    k = _counter(submit)
    travel(at(2025, 3, 3, 9, 30))
    c = _finish(world, act, c)
    travel(at(2025, 3, 3, 10))
    d = submit(PRESS, files=files_for(PRESS))
    d = act(d, "receive", "motcua.ttpvhcc")
    travel(at(2025, 3, 3, 11))
    e = _counter(submit, PRESS, "post")
    e = act(e, "transfer", "motcua.ttpvhcc")
    travel(at(2025, 3, 3, 14))
    out["F"] = submit(BIRTH, actor=world["vanthu.donghop"], channel="counter", files=files_for(BIRTH),
                      agency=DONGHOP, eform={"ho_ten": "Lê C", "so_dinh_danh": "034090009999",
                                             "dien_thoai": "0911111111", "ho_ten_tre": "Lê D",
                                             "ngay_sinh": "2025-02-20", "gioi_tinh": "Nam"})  # fmt: skip
    travel(at(2025, 3, 4, 8, 30))
    out["C"] = act(c, "return_result", "motcua.ttpvhcc")
    out["D"] = act(d, "withdraw", "citizen", reason="Không còn nhu cầu")
    services.dossier_apologise(actor=world["lanhdao.stttt"], code=e.code, reason="Chờ xác minh",
                               new_due_at=at(2025, 3, 12, 8))  # fmt: skip
    travel(at(2025, 3, 5, 9))
    out["A"] = _finish(world, act, out["A"], steps=("submit_to_leader", "approve"))
    travel(at(2025, 3, 5, 10))
    g = submit(NEWSLETTER, files=files_for(NEWSLETTER))
    out["G"] = act(g, "refuse", "motcua.ttpvhcc", reason="Không thuộc thẩm quyền")
    travel(at(2025, 3, 6, 8, 30))
    out["K"] = _finish(world, act, k)
    travel(at(2025, 3, 10, 9))
    out["E"] = _finish(world, act, e, steps=("assign", "submit_to_leader", "approve"))
    travel(at(2025, 3, 20, 9))
    out["I"] = act(_counter(submit, NEWSLETTER), "transfer", "motcua.ttpvhcc")
    travel(at(2025, 3, 25, 9))
    j = act(_counter(submit), "transfer", "motcua.ttpvhcc")
    j = act(j, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    travel(at(2025, 3, 26, 9))
    out["J"] = act(j, "request_payment", "chuyenvien.stttt", reason="Nộp lệ phí")
    travel(at(2025, 3, 31, 16))
    out["H"] = submit(NEWSLETTER, files=files_for(NEWSLETTER))
    travel(at(2025, 4, 1, 9))
    return out


def _supplement_b(scenario, act, travel):
    travel(at(2025, 4, 2, 9))
    scenario["B"] = act(scenario["B"], "supplement", "motcua.ttpvhcc", reason="Đã bổ sung bản sao")
    travel(at(2025, 4, 2, 10))


def _expect(**counts):
    """The full expected row: every count not named is 0; derived values computed by hand below."""
    row = {**ZERO, **counts}
    row["in_progress"] = row["in_progress_within"] + row["in_progress_overdue"]
    row["done"] = row["finished"] + row["withdrawn"]
    return row


def _counts(row):
    return {key: row[key] for key in (*stats.COUNT_KEYS, "in_progress", "done")}


def _balanced(row):
    return row["carried_over"] + row["received"] == (
        row["finished"] + row["withdrawn"] + row["in_progress"] + row["paused"]
    )


# March 2025 at Tue 1 Apr 09:00, by hand (see the module docstring)
MARCH = _expect(
    carried_over=2,  # A, B
    received=7, received_online=1, received_counter=5, received_post=1,  # C D E F K I J
    finished=4, finished_early=1, finished_on_time=1, finished_late=2, with_apology=1,  # C; K; A E; E
    in_progress_within=1, in_progress_overdue=1,  # I; F (due 4 Mar)
    paused=2,  # B (supplement; its old due date 18 Mar passed), J (payment; due 28 Mar passed)
    withdrawn=1, returned=1, not_accepted=1,  # D, C, G
    fees_due=8000,  # F
)  # fmt: skip


def test_scenario_timeliness_is_what_the_expectations_assume(scenario):
    s = scenario
    assert (s["A"].timeliness, s["C"].timeliness, s["K"].timeliness, s["E"].timeliness) == (
        "late", "early", "on_time", "late")  # fmt: skip
    assert s["B"].status == "supplement_requested"
    assert s["B"].legal_due_at == at(2025, 3, 18, 9)
    assert s["J"].status == "financial_obligation"
    assert s["J"].legal_due_at == at(2025, 3, 28, 9)
    assert s["F"].status == "received"
    assert s["F"].legal_due_at < at(2025, 3, 31)
    assert s["I"].legal_due_at > at(2025, 4, 2, 10)
    assert s["H"].received_at is None
    assert s["G"].status == "not_accepted"
    assert s["F"].fees_due == 8000 == sum(d.fees_due for d in s.values())  # the birth registration charge


def test_march_counts_and_the_paused_rule(scenario, act, travel):
    march = stats.parse_period("2025-M03")
    table = stats.statistics_table(period=march, scope=EVERYTHING, now=at(2025, 4, 1, 9))
    assert _counts(table.total) == MARCH
    assert table.total["early_or_on_time_percent"] == 50.0  # (1 + 1) / 4
    assert _balanced(table.total)
    # B is supplemented on 2 Apr: its clock restarts and it is "assigned" now, but at the end of
    # March it was paused (the status at the period end comes from its history)
    _supplement_b(scenario, act, travel)
    assert scenario["B"].status == "assigned"
    assert scenario["B"].restarts == 1
    again = stats.statistics_table(period=march, scope=EVERYTHING, now=at(2025, 4, 2, 10))
    assert _counts(again.total) == MARCH
    # a custom period with the same days gives the same counts
    custom = stats.resolve_period(date_from="2025-03-01", date_to="2025-03-31")
    assert _counts(stats.statistics_table(period=custom, scope=EVERYTHING).total) == MARCH
    # the first version's entry point still answers (kept for its callers)
    flat = selectors.dossier_statistics(date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31),
                                        now=at(2025, 4, 2, 10))  # fmt: skip
    assert flat["paused"] == 2
    assert flat["in_progress_overdue"] == 1
    assert flat["received"] == 7


def test_every_period_kind(scenario, act, travel):
    _supplement_b(scenario, act, travel)
    now = at(2025, 4, 2, 10)
    february = _expect(received=2, received_counter=2, in_progress_overdue=1, paused=1)  # A overdue, B paused
    quarter = _expect(**{**{k: MARCH[k] for k in stats.COUNT_KEYS}, "carried_over": 0, "received": 9,
                         "received_counter": 7})  # fmt: skip
    # periods not over at `now`: the current status; B is running again (restarted, within), J still paused
    rest = {"in_progress_within": 2, "in_progress_overdue": 1, "paused": 1}  # B I; F; J
    half = _expect(**{**{k: quarter[k] for k in stats.COUNT_KEYS}, **rest})
    april = _expect(carried_over=4, **rest)  # B F I J carried over
    expected = {
        "2025-M02": february,
        "2025-M03": MARCH,
        "2025-Q1": quarter,
        "2025-Q2": april,
        "2025-M04": april,
        "2025-6M": half,
        "2025-9M": half,
        "2025": half,
        "2024": _expect(),
        "2024-Q4": _expect(),
    }
    for key, counts in expected.items():
        total = stats.statistics_table(period=stats.parse_period(key), scope=EVERYTHING, now=now).total
        assert _counts(total) == counts, key
        assert _balanced(total), key
    assert stats.statistics_table(period=stats.parse_period("2025-Q2"), scope=EVERYTHING, now=now).total[
        "early_or_on_time_percent"] is None  # fmt: skip


def _by_key(table):
    return {row["key"]: row for row in table.rows}


PRESS_MARCH = _expect(carried_over=1, received=5, received_online=1, received_counter=3, received_post=1,
                      finished=4, finished_early=1, finished_on_time=1, finished_late=2, with_apology=1,
                      paused=1, withdrawn=1, returned=1)  # A; C D E K J  # fmt: skip
NEWSLETTER_MARCH = _expect(carried_over=1, received=1, received_counter=1, paused=1, in_progress_within=1,
                           not_accepted=1)  # B; I; G  # fmt: skip
BIRTH_MARCH = _expect(received=1, received_counter=1, in_progress_overdue=1, fees_due=8000)  # F
STTTT_MARCH = _expect(**{k: PRESS_MARCH[k] + NEWSLETTER_MARCH[k] for k in stats.COUNT_KEYS})


@pytest.mark.parametrize(
    ("group_by", "expected", "names"),
    [
        (GroupBy.AGENCY, {STTTT: STTTT_MARCH, DONGHOP: BIRTH_MARCH},
         {STTTT: "Sở Thông tin và Truyền thông", DONGHOP: "Ủy ban nhân dân xã Đông Hợp"}),
        (GroupBy.CENTRE, {CENTRE: STTTT_MARCH, DONGHOP: BIRTH_MARCH},
         {CENTRE: "Trung tâm Phục vụ hành chính công tỉnh Thái Bình", DONGHOP: "Ủy ban nhân dân xã Đông Hợp"}),
        (GroupBy.FIELD, {"TTTT-BAOCHI": STTTT_MARCH, "TP-HOTICH": BIRTH_MARCH}, {"TP-HOTICH": "Hộ tịch"}),
        (GroupBy.PROCEDURE, {PRESS: PRESS_MARCH, NEWSLETTER: NEWSLETTER_MARCH, BIRTH: BIRTH_MARCH},
         {PRESS: "Cho phép họp báo (trong nước)", NEWSLETTER: "Cấp giấy phép xuất bản bản tin",
          BIRTH: "Đăng ký khai sinh"}),
    ],
)  # fmt: skip
def test_groupings_in_one_query(scenario, group_by, expected, names):
    march = stats.parse_period("2025-M03")
    with CaptureQueriesContext(connection) as queries:
        table = stats.statistics_table(period=march, scope=EVERYTHING, group_by=group_by, now=at(2025, 4, 1, 9))
    assert len(queries.captured_queries) == 1, [q["sql"] for q in queries.captured_queries]
    rows = _by_key(table)
    assert set(rows) == set(expected)
    for key, counts in expected.items():
        assert _counts(rows[key]) == counts, key
        assert _balanced(rows[key]), key
    for key, name in names.items():
        assert rows[key]["name"] == name
    assert _counts(table.total) == MARCH
    assert rows[next(iter(expected))]["early_or_on_time_percent"] in (50.0, None)


def test_one_query_whatever_the_number_of_dossiers(world, submit, travel):
    travel(at(2025, 3, 3, 9))
    for _ in range(12):
        _counter(submit)
    with CaptureQueriesContext(connection) as queries:
        stats.statistics_table(period=stats.parse_period("2025"), scope=EVERYTHING, group_by=GroupBy.PROCEDURE)
        stats.statistics_table(period=stats.parse_period("2024-Q4"), scope=EVERYTHING)
        months = stats.received_by_month(year=2025, scope=EVERYTHING)
    assert len(queries.captured_queries) == 3
    assert months[2] == {"month": 3, "online": 0, "counter": 12, "post": 0}
    assert sum(m["counter"] for m in months) == 12


def test_received_by_month(scenario):
    months = stats.received_by_month(year=2025, scope=EVERYTHING)
    assert [m["month"] for m in months] == list(range(1, 13))
    assert months[1] == {"month": 2, "online": 0, "counter": 2, "post": 0}
    assert months[2] == {"month": 3, "online": 1, "counter": 5, "post": 1}
    assert sum(m["online"] + m["counter"] + m["post"] for i, m in enumerate(months) if i > 2) == 0
    scoped = stats.received_by_month(year=2025, scope=StatsScope(everything=False, agency_codes=frozenset({DONGHOP})))
    assert months[2] != scoped[2] == {"month": 3, "online": 0, "counter": 1, "post": 0}


# --- periods ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "kind", "first", "last"),
    [
        ("2026-M05", "month", datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)),
        ("2024-M02", "month", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2026-Q3", "quarter", datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        ("2026-Q1", "quarter", datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
        ("2026-6M", "6m", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)),
        ("2026-9M", "9m", datetime.date(2026, 1, 1), datetime.date(2026, 9, 30)),
        ("2026", "year", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    ],
)
def test_period_keys(key, kind, first, last):
    period = stats.parse_period(key)
    assert (str(period.kind), period.date_from, period.date_to, period.key) == (kind, first, last, key)


def test_period_labels_and_picker():
    from django.utils.translation import override

    with override("en"):
        assert stats.parse_period("2026-Q3").label == "Quarter III/2026"
        assert stats.parse_period("2026-6M").label == "First 6 months of 2026"
        assert stats.parse_period("2026-M05").full_label == "Month 5/2026 (01/05/2026 – 31/05/2026)"
    assert stats.period_key("month", "2026", "5") == "2026-M05"
    assert stats.period_key("quarter", "2026", "3") == "2026-Q3"
    assert stats.period_key("9m", "2026") == "2026-9M"
    assert stats.period_key("custom", "2026") == ""
    assert stats.resolve_period(today=datetime.date(2026, 12, 3)).key == "2026"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"period": "2026-M13"}, "period"),
        ({"period": "2026-M00"}, "period"),
        ({"period": "2026-Q5"}, "period"),
        ({"period": "2026-7M"}, "period"),
        ({"period": "1999"}, "period"),
        ({"period": "26-Q1"}, "period"),
        ({"period": "2026-q1"}, "period"),
        ({"period": "2026-Q1", "date_from": "2026-01-01", "date_to": "2026-01-31"}, "period"),
        ({"date_from": "2026-01-01"}, "to"),
        ({"date_to": "2026-01-01"}, "from"),
        ({"date_from": "2026-02-30", "date_to": "2026-03-01"}, "from"),
        ({"date_from": "01/02/2026", "date_to": "2026-03-01"}, "from"),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "to"),
        ({"date_from": "2016-01-01", "date_to": "2026-02-01"}, "to"),
    ],
)
def test_bad_periods(kwargs, field):
    with pytest.raises(EgovError) as caught:
        stats.resolve_period(**kwargs)
    assert caught.value.status_code == 400
    assert caught.value.field == field
    assert str(caught.value.code) == "dossiers.period"
    assert set(caught.value.messages) == {"vi", "en"}
