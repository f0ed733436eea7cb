"""Statistics: who sees what, the API, bad input, the dashboard page with its SVG charts, and the
Excel workbook read back. The scenario and its hand-computed March figures are in test_statistics.py."""

import re
from io import BytesIO

import pytest
from django.test import Client
from django.utils.translation import override
from rest_framework.test import APIClient

from egov.dossiers import statistics as stats
from egov.dossiers.models import Dossier

from .conftest import NEWSLETTER, PRESS, at
from .test_statistics import BIRTH, BIRTH_MARCH, CENTRE, DONGHOP, MARCH, STTTT, STTTT_MARCH, _counts, scenario

__all__ = ["scenario"]  # the fixture, shared


def _api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _page(user):
    client = Client()
    client.force_login(user)
    return client


# --- scope --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "everything", "codes"),
    [
        ("quantri.tinh", True, set()),  # system administrator
        ("lanhdao.vpubnd", True, set()),  # office of the provincial People's Committee
        ("motcua.ttpvhcc", True, set()),  # the provincial centre (under that office)
        ("lanhdao.stttt", False, {STTTT}),  # a department: its own dossiers
        ("lanhdao.donghop", False, {DONGHOP}),  # a commune
        ("motcua.donghung", False, {"000.01.24.H54"}),  # a district one-stop unit
    ],
)
def test_scope_of_each_kind_of_staff(world, username, everything, codes):
    scope = stats.statistics_scope(world[username])
    assert scope is not None
    assert (scope.everything, set(scope.agency_codes)) == (everything, codes)


def test_citizens_and_strangers_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert stats.statistics_scope(world["citizen"]) is None
    assert stats.statistics_scope(AnonymousUser()) is None
    assert _api(world["citizen"]).get("/api/v1/stats/dossiers/?period=2025").status_code == 403
    assert _api().get("/api/v1/stats/dossiers/?period=2025").status_code == 401
    assert _page(world["citizen"]).get("/mot-cua/thong-ke/").status_code == 403
    anonymous = Client().get("/mot-cua/thong-ke/")
    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    ("username", "received", "paused"),
    [
        ("quantri.tinh", MARCH["received"], MARCH["paused"]),
        ("motcua.ttpvhcc", MARCH["received"], MARCH["paused"]),
        ("lanhdao.stttt", STTTT_MARCH["received"], STTTT_MARCH["paused"]),
        ("lanhdao.donghop", BIRTH_MARCH["received"], 0),
        ("lanhdao.skhdt", 0, 0),
        ("motcua.donghung", 0, 0),
    ],
)
def test_each_user_counts_only_their_scope(scenario, world, username, received, paused):
    body = _api(world[username]).get("/api/v1/stats/dossiers/?period=2025-M03&group_by=agency").json()
    assert (body["received"], body["paused"]) == (received, paused)
    assert sum(row["received"] for row in body["rows"]) == received


def test_a_filter_outside_the_scope_is_forbidden(scenario, world):
    leader = _api(world["lanhdao.stttt"])
    denied = leader.get(f"/api/v1/stats/dossiers/?period=2025-M03&agency={DONGHOP}")
    assert denied.status_code == 403
    assert denied.json()["code"] == "dossiers.role_not_allowed"
    assert set(denied.json()["messages"]) == {"vi", "en"}
    assert leader.get(f"/api/v1/stats/dossiers/?period=2025-M03&centre={CENTRE}").status_code == 403
    own = leader.get(f"/api/v1/stats/dossiers/?period=2025-M03&agency={STTTT}")
    assert own.status_code == 200
    assert own.json()["received"] == STTTT_MARCH["received"]
    # province-wide staff may filter on any agency; the Decision 20 form of a code is accepted
    officer = _api(world["motcua.ttpvhcc"])
    assert officer.get(f"/api/v1/stats/dossiers/?period=2025-M03&agency={DONGHOP}").json()["received"] == 1
    assert officer.get("/api/v1/stats/dossiers/?period=2025-M03&agency=H54.11").json()["received"] == 6


# --- API ----------------------------------------------------------------------------------------


def test_api_grouped_by_procedure(scenario, world):
    response = _api(world["quantri.tinh"]).get("/api/v1/stats/dossiers/?period=2025-M03&group_by=procedure")
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["key"] == "2025-M03"
    assert (body["period"]["from"], body["period"]["to"]) == ("2025-03-01", "2025-03-31")
    assert body["group_by"] == "procedure"
    assert [row["key"] for row in body["rows"]] == [BIRTH, NEWSLETTER, PRESS]
    assert _counts(body) == MARCH  # the total at the top level (past period: the status at its end)
    press = body["rows"][2]
    assert press["name"] == "Cho phép họp báo (trong nước)"
    assert (press["finished"], press["finished_late"], press["early_or_on_time_percent"]) == (4, 2, 50.0)


def test_api_filters(scenario, world):
    client = _api(world["quantri.tinh"])
    press = client.get(f"/api/v1/stats/dossiers/?from=2025-03-01&to=2025-03-31&procedure={PRESS}").json()
    assert (press["received"], press["carried_over"], press["paused"]) == (5, 1, 1)
    assert press["filters"]["procedure"] == PRESS
    field = client.get("/api/v1/stats/dossiers/?period=2025-M03&field=TP-HOTICH").json()
    assert (field["received"], field["in_progress_overdue"], field["fees_due"]) == (1, 1, 8000)
    centre = client.get(f"/api/v1/stats/dossiers/?period=2025-M03&centre={DONGHOP}").json()
    assert centre["received"] == 1
    assert "rows" not in centre


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ("period=2025-M13", "dossiers.period", "period"),
        ("period=2025-Q0", "dossiers.period", "period"),
        ("period=2025-8M", "dossiers.period", "period"),
        ("period=abc", "dossiers.period", "period"),
        ("period=2025&from=2025-01-01&to=2025-01-31", "dossiers.period", "period"),
        ("from=2025-01-01", "dossiers.period", "to"),
        ("from=2025-13-01&to=2025-12-31", "dossiers.period", "from"),
        ("from=2025-12-31&to=2025-01-01", "dossiers.period", "to"),
        ("period=2025&group_by=district", "dossiers.invalid", "group_by"),
        ("period=2025&agency=xyz", "dossiers.unknown_agency", "agency"),
        ("period=2025&agency=000.00.99.H99", "dossiers.unknown_agency", "agency"),
        ("period=2025&centre=000.99.99.H54", "dossiers.unknown_agency", "centre"),
        ("period=2025&procedure=9.999999", "dossiers.unknown_procedure", "procedure"),
        ("period=2025&field=KHONG-CO", "dossiers.invalid", "field"),
        ("period=2025&procedure=" + "1" * 41, "dossiers.invalid", "procedure"),
        ("period=2025&agency=000.00.11.H54%00", "dossiers.invalid", "agency"),
    ],
)
def test_api_bad_input(world, query, code, field):
    before = Dossier.objects.count()
    response = _api(world["quantri.tinh"]).get(f"/api/v1/stats/dossiers/?{query}")
    assert response.status_code == 400, response.content
    body = response.json()
    assert (body["code"], body["field"]) == (code, field)
    assert set(body["messages"]) == {"vi", "en"}
    assert body["messages"]["en"]
    assert Dossier.objects.count() == before


def test_api_bad_input_messages_in_both_languages(world):
    client = _api(world["quantri.tinh"])
    reversed_dates = client.get("/api/v1/stats/dossiers/?from=2025-12-31&to=2025-01-01").json()
    assert reversed_dates["messages"] == {"vi": "Khoảng thời gian không hợp lệ.", "en": "The period is not valid."}
    unknown = client.get("/api/v1/stats/dossiers/?period=2025&agency=000.00.99.H99").json()
    assert unknown["messages"]["en"] == "No agency has the code 000.00.99.H99."
    assert unknown["messages"]["vi"].startswith("Không có cơ quan")


def test_api_defaults_to_the_current_year(world, travel):
    travel(at(2025, 6, 2, 9))
    body = _api(world["quantri.tinh"]).get("/api/v1/stats/dossiers/").json()
    assert body["period"]["key"] == "2025"
    assert body["group_by"] is None


# --- Excel ----------------------------------------------------------------------------------------


def test_excel_reads_back(scenario, world):
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    response = _page(world["quantri.tinh"]).get("/mot-cua/thong-ke/?kind=month&year=2025&number=3&group_by=agency"
                                                "&format=xlsx")  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="thong-ke-ho-so-2025-M03-agency.xlsx"' in response["Content-Disposition"]
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    with override("vi"):
        title = str(stats.gettext("Statistics of administrative procedure dossiers"))
        headers = [str(label) for _key, label in stats.COLUMNS]
        processing = str(stats.GROUP_LABELS[stats.GroupBy.AGENCY])
        total_label = str(stats.gettext("Total"))
    assert rows[0][0] == title
    assert "01/03/2025" in rows[1][0]
    assert "31/03/2025" in rows[1][0]
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", rows[2][0])
    assert rows[5][1:] == (processing, *headers)
    assert processing == "Cơ quan giải quyết"  # an existing translation: the workbook is Vietnamese
    keys = [key for key, _label in stats.COLUMNS]
    body = {row[0]: dict(zip(keys, row[2:], strict=True)) for row in rows[6:8]}
    assert set(body) == {STTTT, DONGHOP}
    assert {k: body[STTTT][k] for k in stats.COUNT_KEYS} == {k: STTTT_MARCH[k] for k in stats.COUNT_KEYS}
    assert body[STTTT]["early_or_on_time_percent"] == 50.0
    assert {k: body[DONGHOP][k] for k in stats.COUNT_KEYS} == {k: BIRTH_MARCH[k] for k in stats.COUNT_KEYS}
    assert rows[7][1] == "Ủy ban nhân dân xã Đông Hợp"
    total = rows[8]
    assert total[1] == total_label
    assert dict(zip(keys, total[2:], strict=True))["received"] == MARCH["received"] == 7
    assert len(rows) == 9


# --- the dashboard page -----------------------------------------------------------------------------


def test_dashboard_renders_summary_table_and_svg_charts(scenario, world):
    response = _page(world["quantri.tinh"]).get("/mot-cua/thong-ke/?kind=quarter&year=2025&number=1&group_by=field")
    assert response.status_code == 200
    html = response.content.decode()
    svgs = re.findall(r"<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"[^>]*>(.*?)</svg>", html, re.S)
    assert len(svgs) == 3
    for svg in svgs:
        assert re.search(r"<title id=\"chart-[a-z-]+-title\">.+</title>", svg)
        assert re.search(r"<desc id=\"chart-[a-z-]+-desc\">.+</desc>", svg)
        for value in re.findall(r' (?:x|y|width|height)="([^"]*)"', svg):
            assert re.fullmatch(r"-?\d+(\.\d+)?", value), value  # never a localised "12,5"
    # the received-per-month chart: February 2 counter, March 1 online + 5 counter + 1 post
    received = svgs[0]
    assert received.count("<rect") == 1 + 3
    assert "<title>" in received
    assert "T3" in received
    # the numbers are in tables too
    assert re.search(r"<th scope=\"row\">3/2025</th><td class=\"num\">1</td><td class=\"num\">5</td>"
                     r"<td class=\"num\">1</td><td class=\"num\">7</td>", html)  # fmt: skip
    assert 'data-key="TTTT-BAOCHI"' in html
    assert 'data-key="TP-HOTICH"' in html
    assert "Hộ tịch" in html
    assert "cdn" not in html.lower()
    assert "<script" not in html.split("</head>", 1)[1]
    assert "dossiers/statistics.css" in html
    assert "format=xlsx" in html


def test_dashboard_defaults_and_bad_input(world, travel):
    travel(at(2025, 6, 2, 9))
    client = _page(world["lanhdao.stttt"])
    default = client.get("/mot-cua/thong-ke/")
    assert default.status_code == 200
    assert default.context["table"].period.key == "2025"
    # an agency officer sees only their agencies in the filter
    assert [code for code, _name in default.context["agency_options"]] == [STTTT]
    bad = client.get("/mot-cua/thong-ke/?period=2025-Q9")
    assert bad.status_code == 400
    assert bad.context["table"] is None
    assert "2025-Q9" in bad.content.decode()
    assert client.get(f"/mot-cua/thong-ke/?period=2025&agency={DONGHOP}").status_code == 403
    custom = client.get("/mot-cua/thong-ke/?from=2025-03-01&to=2025-03-31")
    assert custom.status_code == 200
    assert custom.context["table"].period.key == "2025-03-01..2025-03-31"
