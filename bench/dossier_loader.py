"""Bulk loader for `bench_dossiers_lifecycle.py`: N synthetic one-stop dossiers with their history.

NOT through the services (a million service calls would take days): rows are generated in Python
and written straight into the tables — `executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL —
in batches, with the daily code counters set so that later receptions continue the sequences.

What the rows look like (realistic, not exact): the whole demo catalogue in force, weighted toward
the high-volume procedures (certification of copies, birth registration, household business,
enterprise); the processing agency among the procedure's implementing agencies and the receiving
unit that goes with it (commune, district one-stop unit, provincial centre); four years of working
days up to now, office hours only, with monthly and weekday variation and a slow growth; an online
share growing from 15 % to 55 %; each dossier's history (submit, receive, transfer, assign, submit
to the leader, approve, issue, return, or refuse / withdraw / a pause) up to now, so old dossiers
are mostly returned and recent ones are at every stage; 72 % early, 15 % on time, 13 % late, a third
of the late ones with an apology (form 04). No internal steps, files or audit records are written.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# office minutes of a day, local time: 07:30–11:30 and 13:30–17:00 (the demo schedule)
OFFICE = list(range(450, 690)) + list(range(810, 1020))
PER_DAY = len(OFFICE)
YEARS = 4
BATCH = 20_000
MONTH_WEIGHT = {1: 1.0, 2: 0.7, 3: 1.1, 4: 1.1, 5: 1.05, 6: 1.0, 7: 0.95, 8: 0.9, 9: 1.05, 10: 1.15, 11: 1.1, 12: 1.0}
WEEKDAY_WEIGHT = (1.25, 1.05, 1.0, 0.95, 0.85, 0.6, 0.6)
HEAVY = {"2.000815": 30.0, "1.001193": 15.0, "1.001612": 12.0, "2.001610": 10.0, "1.009974": 6.0}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Đinh", "Phan", "Mai", "Trịnh")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc", "Quang", "Hồng", "Thanh", "Xuân")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Hương", "Lan", "Long", "Mai", "Nam",
         "Nga", "Phong", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Yến")  # fmt: skip


@dataclass
class Option:
    """A procedure version in force and how its dossiers are received and processed."""

    version_id: int
    case_id: int | None
    weight: float
    name_fold: str
    channels: dict[str, tuple[int, int, int, str]]  # kind → (channel id, limit in working days, fees, fee lines)
    places: list[tuple[int, int, str, str]]  # (processing agency, receiving unit, unit code, folded unit code)


@dataclass
class LoadReport:
    dossiers: int = 0
    events: int = 0
    apologies: int = 0
    counters: int = 0
    seconds: float = 0.0
    statuses: Counter[str] = field(default_factory=Counter)


def _fold(value: str) -> str:
    from egov.common.text import fold

    return fold(value)


class Loader:
    def __init__(self, *, now: datetime.datetime, seed: int = 20261203) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        self.rng = random.Random(seed)
        self.now = now.astimezone(TZ)
        self._calendar()
        self._reference()

    # -- reference data ------------------------------------------------------------------------------

    def _calendar(self) -> None:
        from egov.workcalendar import selectors as calendar

        work = calendar.calendar_get()
        today = self.now.date()
        first = today.replace(year=today.year - YEARS)
        self.days: list[datetime.date] = []
        day = first
        while day <= today + datetime.timedelta(days=150):
            if work.is_working_day(day):
                self.days.append(day)
            day += datetime.timedelta(days=1)
        self.calendar_version = work.version
        index = {d: i for i, d in enumerate(self.days)}
        local = self.now.hour * 60 + self.now.minute
        today_index = index.get(today)
        if today_index is None:  # a day off: now is the start of the next working day
            today_index = next(i for i, d in enumerate(self.days) if d > today)
            position = 0
        else:
            position = sum(1 for m in OFFICE if m < local)
        self.a_now = today_index * PER_DAY + position
        self.last_day = today_index if position else today_index - 1
        utc = self.vendor == "sqlite"
        self.day_text = [d.isoformat() for d in self.days]
        self.minute_text = [
            f"{(m - 420) // 60:02d}:{(m - 420) % 60:02d}:00" if utc else f"{m // 60:02d}:{m % 60:02d}:00+07"
            for m in OFFICE
        ]
        self.yymmdd = [f"{d:%y%m%d}" for d in self.days]

    def ts(self, a: int) -> str:
        """The timestamp of office position `a` (working day × PER_DAY + office minute) as the
        database takes it: naive UTC text on SQLite (Django's format), local with offset on PostgreSQL."""
        return self.day_text[a // PER_DAY] + " " + self.minute_text[a % PER_DAY]

    def _reference(self) -> None:
        from django.contrib.auth import get_user_model

        from egov.dossiers.models import ClockRule
        from egov.orgs.models import Agency, AgencyKind, MembershipRole
        from egov.procedures import selectors as procedures
        from egov.procedures.models import Procedure

        moment = self.now
        centre = Agency.objects.filter(kind=AgencyKind.PUBLIC_ADMINISTRATION_CENTRE, valid_to__isnull=True).order_by(
            "code").first()  # fmt: skip
        assert centre is not None, "seed_thai_binh first"
        one_stop = {a.parent_id: a for a in Agency.objects.filter(kind=AgencyKind.ONE_STOP_UNIT, valid_to__isnull=True)}
        self.options: list[Option] = []
        for code in Procedure.objects.order_by("code").values_list("code", flat=True):
            version = procedures.procedure_version_in_force(code, moment)
            if version is None:
                continue
            cases = list(version.cases.all())
            case = cases[0] if cases else None
            places = []
            for role in version.agency_roles.all():
                agency = role.agency
                if role.role != "implementing" or agency.valid_to is not None:
                    continue
                if agency.kind == AgencyKind.COMMUNE_PEOPLE_COMMITTEE:
                    unit = agency
                elif agency.kind == AgencyKind.DISTRICT_PEOPLE_COMMITTEE and agency.pk in one_stop:
                    unit = one_stop[agency.pk]
                else:
                    unit = centre
                places.append((agency.pk, unit.pk, unit.code, _fold(unit.code)))
            channels = {}
            for row in version.channels.all():
                if row.case_id not in (None, getattr(case, "pk", None)):
                    continue
                kind = {"online": "online", "in_person": "counter", "post": "post"}[row.kind]
                fees: list[dict[str, Any]] = [
                    {"name_vi": f.name_vi, "name_en": f.name_en, "kind": f.kind, "amount": int(f.amount or 0)}
                    for f in row.fees.all()
                ]
                total = sum(int(f["amount"]) for f in fees)
                channels[kind] = (row.pk, int(row.time_limit or 1), total, json.dumps(fees, ensure_ascii=False))
            if places and "counter" in channels:
                weight = HEAVY.get(code, 0.6)
                self.options.append(Option(version.pk, getattr(case, "pk", None), weight, _fold(version.name_vi),
                                           channels, places))  # fmt: skip
        assert self.options, "seed the procedures first"
        self.option_weights = [o.weight for o in self.options]
        rule = ClockRule.objects.order_by("-valid_from").first()
        assert rule is not None
        self.rule_id = rule.pk
        users = get_user_model().objects
        self.citizens: list[int | None] = [*users.filter(kind="citizen").values_list("pk", flat=True)] or [None]
        self.specialists: dict[int, list[int]] = {}
        for agency_id, user_id in MembershipRole.objects.filter(
            role="specialist", membership__valid_to__isnull=True
        ).values_list("membership__agency_id", "membership__user_id"):
            self.specialists.setdefault(agency_id, []).append(user_id)
        self.names = []
        for _i in range(3000):
            name = f"{self.rng.choice(FAMILY)} {self.rng.choice(MIDDLE)} {self.rng.choice(GIVEN)}"
            self.names.append((name, _fold(name), json.dumps({"ho_ten": name}, ensure_ascii=False)))

    # -- generation -----------------------------------------------------------------------------------

    def _day_plan(self, n: int) -> list[int]:
        """How many dossiers each working day up to now receives (n in all)."""
        last = self.last_day
        weights = []
        for i, day in enumerate(self.days[: last + 1]):
            growth = 0.8 + 0.4 * i / max(last, 1)
            weights.append(MONTH_WEIGHT[day.month] * WEEKDAY_WEIGHT[day.weekday()] * growth)
        total = sum(weights)
        exact = [n * w / total for w in weights]
        counts = [int(x) for x in exact]
        for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: n - sum(counts)]:
            counts[i] += 1
        return counts

    def generate(self, n: int, first_id: int):  # type: ignore[no-untyped-def]
        """Yields (dossier rows, event rows, apology rows) in batches; counters at the end in
        `self.counters`. Dossier rows are dicts of the columns this loader knows."""
        rng, a_now = self.rng, self.a_now
        from egov.dossiers.models import DossierCounter

        index = {day: i for i, day in enumerate(self.days)}
        counters: Counter[tuple[str, int]] = Counter()
        for unit_code, day, last in DossierCounter.objects.values_list("unit_code", "day", "last"):
            if day in index:  # receptions of today's lifecycles already took these numbers
                counters[(unit_code, index[day])] = last
        self.counters = counters
        dossiers: list[dict[str, Any]] = []
        events: list[tuple[Any, ...]] = []
        apologies: list[tuple[Any, ...]] = []
        next_id = first_id
        plan = self._day_plan(n)
        span = max(self.last_day, 1)
        ts = self.ts
        for d, count in enumerate(plan):
            if not count:
                continue
            cap = min(PER_DAY, a_now - d * PER_DAY)
            if cap <= 0:
                continue
            positions = sorted(rng.randrange(cap) for _ in range(count))
            options = rng.choices(self.options, cum_weights=None, weights=self.option_weights, k=count)
            online_share = 0.15 + 0.40 * d / span
            for p, option in zip(positions, options, strict=True):
                a_sub = d * PER_DAY + p
                if a_sub >= a_now:
                    continue
                draw = rng.random()
                kind = "post" if draw < 0.03 else "online" if draw < 0.03 + online_share else "counter"
                if kind not in option.channels:
                    kind = "counter"
                channel_id, limit, fees, fee_lines = option.channels[kind]
                processing, receiving, unit, unit_fold = option.places[rng.randrange(len(option.places))]
                counters[(unit, d)] += 1
                number = counters[(unit, d)]
                code = f"{unit}-{self.yymmdd[d]}-{number:04d}"
                name, name_fold, eform = self.names[rng.randrange(len(self.names))]
                dossier_id = next_id
                next_id += 1
                specialists = self.specialists.get(processing)
                history: list[tuple[str, str, str, int, int]] = [("submit", "", "submitted", a_sub, receiving)]
                row: dict[str, Any] = {
                    "id": dossier_id, "code": code, "procedure_version_id": option.version_id,
                    "case_id": option.case_id, "channel_kind": kind, "channel_id": channel_id,
                    "applicant_kind": "citizen", "applicant_name": name,
                    "applicant_national_id": f"0340{rng.randrange(10**8):08d}", "applicant_phone": "0912345678",
                    "applicant_address": "Thái Bình", "eform_data": eform, "fees_due": fees, "fee_lines": fee_lines,
                    "receiving_centre_id": receiving, "processing_agency_id": processing, "time_limit": limit,
                    "time_unit": "working_days", "clock_rule_id": self.rule_id, "calendar_version": self.calendar_version,
                    "result_delivery": "online" if kind == "online" else "counter",
                    "search_text": f"{unit_fold}-{self.yymmdd[d]}-{number:04d} {name_fold} {option.name_fold}",
                    "created_at": ts(a_sub), "submitted_at": ts(a_sub),
                }  # fmt: skip
                if kind == "online":
                    row["applicant_id"] = self.citizens[rng.randrange(len(self.citizens))]
                    a_rec = a_sub + rng.randint(10, 360)
                else:
                    a_rec = a_sub
                fate = rng.random()
                if kind == "online" and fate < 0.02:  # refused at reception
                    if a_rec < a_now:
                        history.append(("refuse", "submitted", "not_accepted", a_rec, receiving))
                        row["closed_at"] = ts(a_rec)
                    self._finish(row, history, events, dossier_id, dossiers)
                    continue
                if a_rec >= a_now:
                    self._finish(row, history, events, dossier_id, dossiers)
                    continue
                a_due = a_rec + PER_DAY * limit
                row.update(received_at=ts(a_rec), clock_started_at=ts(a_rec), legal_due_at=ts(a_due), due_at=ts(a_due))
                if kind != "online":
                    row["transfer_due_at"] = ts(a_rec // PER_DAY * PER_DAY + PER_DAY - 1)
                    history.append(("receive", "submitted", "received", a_rec, receiving))
                    a_transfer = a_rec + rng.randint(5, 120)
                else:
                    history.append(("receive", "submitted", "received", a_rec, receiving))
                    a_transfer = a_rec
                # when the result is issued
                target = rng.random()
                due_day_start = (a_due // PER_DAY) * PER_DAY
                if target < 0.72 and due_day_start - 1 > a_rec + 60:
                    a_fin = rng.randint(a_rec + 60, due_day_start - 1)
                elif target < 0.87 and a_due > max(due_day_start, a_rec + 60):
                    a_fin = rng.randint(max(due_day_start, a_rec + 60), a_due)
                else:
                    a_fin = a_due + rng.randint(1, PER_DAY * 8)
                apology = a_fin > a_due and rng.random() < 0.33 and a_due - PER_DAY > a_transfer
                a_assign = min(a_transfer + rng.randint(5, 240), a_transfer + max((a_fin - a_transfer) // 4, 1))
                a_propose = a_assign + max(int((a_fin - a_assign) * rng.uniform(0.5, 0.8)), 1)
                a_approve = a_propose + max((a_fin - a_propose) // 2, 1)
                a_fin = max(a_fin, a_approve + 1)
                a_return = a_fin + rng.randint(10, PER_DAY * 4)
                steps = [("transfer", "received", "transferred", a_transfer, receiving),
                         ("assign", "transferred", "assigned", a_assign, processing),
                         ("submit_to_leader", "assigned", "submitted_to_leader", a_propose, processing),
                         ("approve", "submitted_to_leader", "approved", a_approve, processing),
                         ("issue_result", "approved", "result_issued", a_fin, processing),
                         ("return_result", "result_issued", "returned", a_return, receiving)]  # fmt: skip
                if kind == "online":
                    steps = steps[1:]  # transferred automatically on reception
                if fate < 0.03:  # withdrawn before the decision
                    a_withdraw = rng.randint(a_transfer, a_propose)
                    steps = [s for s in steps if s[3] < a_withdraw]
                    steps.append(("withdraw", steps[-1][2] if steps else "received", "withdrawn", a_withdraw,
                                  receiving))  # fmt: skip
                elif a_fin > a_now and fate < 0.16:  # open now and paused
                    a_pause = a_assign + int((a_now - a_assign) * rng.uniform(0.2, 0.9))
                    if a_pause > a_assign:
                        state = "supplement_requested" if fate < 0.12 else "financial_obligation" if fate < 0.15 else (
                            "stopped")  # fmt: skip
                        action = {"supplement_requested": "request_supplement",
                                  "financial_obligation": "request_payment", "stopped": "stop"}[state]  # fmt: skip
                        steps = [s for s in steps if s[3] < a_pause]
                        steps.append((action, steps[-1][2], state, a_pause, processing))
                        row.update(paused_at=ts(a_pause), resume_state=steps[-2][2])
                        if state == "supplement_requested":
                            row["supplement_phase"] = "processing"
                if apology:
                    a_apology = a_due - PER_DAY - rng.randint(0, PER_DAY - 1)
                    if a_apology < a_now and a_apology > a_transfer:
                        new_due = a_due + PER_DAY * rng.randint(2, 5)
                        apologies.append((dossier_id, 1, "Cần xác minh thực tế", processing, ts(a_due), ts(new_due),
                                          self.calendar_version, None, ts(a_apology)))  # fmt: skip
                        history.append(("apologise", "", "", a_apology, processing))
                        row["due_at"] = ts(new_due)
                history.extend(s for s in steps if s[3] < a_now)
                actions = {h[0] for h in history}
                if "transfer" in actions:
                    row["transferred_at"] = ts(a_transfer)
                if "assign" in actions and specialists:
                    row["assignee_id"] = specialists[dossier_id % len(specialists)]
                if "approve" in actions:
                    row["outcome"] = "approved"
                if "issue_result" in actions:
                    row["finished_at"] = ts(a_fin)
                    row["timeliness"] = "late" if a_fin > a_due else "early" if a_fin < due_day_start else "on_time"
                if "return_result" in actions:
                    row["returned_at"] = row["closed_at"] = ts(a_return)
                if "withdraw" in actions:
                    row["closed_at"] = ts(history[-1][3])
                self._finish(row, history, events, dossier_id, dossiers)
                if len(dossiers) >= BATCH:
                    yield dossiers, events, apologies
                    dossiers, events, apologies = [], [], []
        if dossiers:
            yield dossiers, events, apologies

    def _finish(self, row: dict[str, Any], history: list[tuple[str, str, str, int, int]],
                events: list[tuple[Any, ...]], dossier_id: int, dossiers: list[dict[str, Any]]) -> None:  # fmt: skip
        history.sort(key=lambda h: h[3])
        state = "submitted"
        ts = self.ts
        for action, from_state, to_state, a, agency in history:
            if action == "apologise":
                events.append((dossier_id, action, state, state, None, "", agency, "", "{}", ts(a)))
                continue
            state = to_state
            events.append((dossier_id, action, from_state, to_state, None, "", agency, "", "{}", ts(a)))
            if action == "receive" and row["channel_kind"] == "online":  # automatic transfer (Art. 18)
                state = "transferred"
                events.append((dossier_id, "transfer", "received", "transferred", None, "", agency, "",
                                '{"automatic": true}', ts(a)))  # fmt: skip
        if row["channel_kind"] == "online" and "transferred_at" not in row and "received_at" in row:
            row["transferred_at"] = row["received_at"]
        row["status"] = state
        row["updated_at"] = ts(history[-1][3])
        row["revision"] = len(history)
        dossiers.append(row)

    # -- writing --------------------------------------------------------------------------------------

    def load(self, n: int, *, progress: Any = None) -> LoadReport:
        from django.db import transaction

        from egov.dossiers.models import Apology, Dossier, DossierCounter, DossierEvent

        began = time.perf_counter()
        report = LoadReport()
        first_id = (Dossier.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        columns, defaults = self._columns(Dossier)
        event_columns = ["dossier_id", "action", "from_state", "to_state", "actor_id", "actor_name", "agency_id",
                         "reason", "data", "at"]  # fmt: skip
        apology_columns = ["dossier_id", "number", "reason", "agency_at_fault_id", "old_due_at", "new_due_at",
                           "calendar_version", "issued_by_id", "issued_at"]  # fmt: skip
        with transaction.atomic():
            for dossiers, events, apologies in self.generate(n, first_id):
                rows = [tuple(r.get(c, defaults[c]) for c in columns) for r in dossiers]
                self._write(Dossier._meta.db_table, columns, rows)
                self._write(DossierEvent._meta.db_table, event_columns, events)
                self._write(Apology._meta.db_table, apology_columns, apologies)
                report.dossiers += len(rows)
                report.events += len(events)
                report.apologies += len(apologies)
                report.statuses.update(r["status"] for r in dossiers)
                if progress is not None:
                    progress(report, time.perf_counter() - began)
            existing = {(c.unit_code, c.day): c for c in DossierCounter.objects.all()}
            counters = []
            for (unit, d), last in self.counters.items():
                row = existing.get((unit, self.days[d]))
                if row is None:
                    counters.append((unit, self.days[d].isoformat(), last))
                elif row.last != last:
                    DossierCounter.objects.filter(pk=row.pk).update(last=last)
            self._write(DossierCounter._meta.db_table, ["unit_code", "day", "last"], counters)
            report.counters = len(self.counters)
        self._after()
        report.seconds = time.perf_counter() - began
        return report

    def _columns(self, model: Any) -> tuple[list[str], dict[str, Any]]:
        """Every concrete column; the value of those this loader does not set is the field's
        default as the database stores it (so new fields added to the model still load)."""
        columns, defaults = [], {}
        for f in model._meta.concrete_fields:
            columns.append(f.column)
            if f.has_default():
                value = f.get_default()
                defaults[f.column] = json.dumps(value) if f.get_internal_type() == "JSONField" else value
            else:
                defaults[f.column] = None if f.null else ""
        return columns, defaults

    def _write(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        raw = self.connection.connection
        names = ", ".join(f'"{c}"' for c in columns)
        if self.vendor == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _c in columns)
            raw.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)  # noqa: S608 (our names)

    def _after(self) -> None:
        from egov.dossiers.models import Dossier

        with self.connection.cursor() as cursor:
            if self.vendor == "postgresql":
                table = Dossier._meta.db_table
                sql = f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), (SELECT max(id) FROM \"{table}\"))"  # noqa: S608
                cursor.execute(sql)
            cursor.execute("ANALYZE")
