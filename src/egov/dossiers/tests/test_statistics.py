"""Statistics against hand-computed expectations: the "100% early or on time" claim is provable."""

import datetime
from io import BytesIO

from django.test import Client

from egov.dossiers import selectors, services
from egov.dossiers.services import FileInput

from .conftest import PDF, PRESS, at, files_for


def _finish(world, act, d, *, late: bool, travel):
    d = act(d, "transfer", "motcua.ttpvhcc")
    d = act(d, "assign", "lanhdao.stttt", assignee=world["chuyenvien.stttt"])
    d = act(d, "submit_to_leader", "chuyenvien.stttt")
    d = act(d, "approve", "lanhdao.stttt")
    if late:
        travel(at(2025, 3, 10, 9))
    return act(d, "issue_result", "vanthu.stttt", result=FileInput("", "kq.pdf", PDF))


def test_counts_per_period(world, submit, act, travel):
    # 3 Mar: three counter dossiers (PRESS, due Thu 6 Mar 08:00) and one online
    early = submit(PRESS, channel="counter", files=files_for(PRESS))
    late = submit(PRESS, channel="counter", files=files_for(PRESS))
    running = submit(PRESS, channel="counter", files=files_for(PRESS))
    online = submit(PRESS, files=files_for(PRESS))
    travel(at(2025, 3, 3, 9))
    online = act(online, "receive", "motcua.ttpvhcc")
    withdrawn = act(online, "withdraw", "citizen", reason="Không còn nhu cầu")
    early = _finish(world, act, early, late=False, travel=travel)
    travel(at(2025, 3, 4, 9))
    services.dossier_apologise(actor=world["lanhdao.stttt"], code=late.code, reason="Chờ xác minh",
                               new_due_at=at(2025, 3, 12, 8))  # fmt: skip
    late = _finish(world, act, late, late=True, travel=travel)
    assert (early.timeliness, late.timeliness) == ("early", "late")
    stats = selectors.dossier_statistics(
        date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31), now=at(2025, 3, 10, 9)
    )
    assert stats["carried_over"] == 0
    assert (stats["received"], stats["received_counter"], stats["received_online"]) == (4, 3, 1)
    assert (stats["finished"], stats["finished_early"], stats["finished_on_time"], stats["finished_late"]) == (
        2, 1, 0, 1)  # fmt: skip
    assert stats["with_apology"] == 1
    assert (stats["in_progress"], stats["in_progress_overdue"]) == (1, 1)
    assert stats["withdrawn"] == 1
    assert stats["early_or_on_time_percent"] == 50.0
    april = selectors.dossier_statistics(date_from=datetime.date(2025, 4, 1), date_to=datetime.date(2025, 4, 30),
                                         now=at(2025, 4, 30, 17))  # fmt: skip
    assert april["carried_over"] == 1
    assert april["received"] == 0
    assert april["in_progress_overdue"] == 1
    other = selectors.dossier_statistics(date_from=datetime.date(2025, 3, 1), date_to=datetime.date(2025, 3, 31),
                                         agency="000.00.04.H54")  # fmt: skip
    assert other["received"] == 0
    del running, withdrawn


def test_statistics_page_and_excel(world, submit):
    submit(PRESS, channel="counter", files=files_for(PRESS))
    client = Client()
    client.force_login(world["lanhdao.stttt"])
    page = client.get("/mot-cua/thong-ke/?from=2025-03-01&to=2025-03-31")
    assert page.status_code == 200
    export = client.get("/mot-cua/thong-ke/?from=2025-03-01&to=2025-03-31&format=xlsx")
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Cơ quan"
    assert rows[2][0] == "000.00.11.H54"
    assert rows[2][2] == 1
