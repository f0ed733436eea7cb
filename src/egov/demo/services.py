"""The Thái Bình demo: built through every app's own services, idempotently.

Each domain app keeps its demo data in `<app>/demo.py`; this module only runs them in dependency
order and adds the demo citizens (ADR 0001). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from egov.accounts import services as accounts
from egov.documents import demo as documents_demo
from egov.dossiers import demo as dossiers_demo
from egov.orgs import demo as orgs_demo
from egov.orgs import selectors as orgs
from egov.procedures import demo as procedures_demo
from egov.signatures import demo as signatures_demo
from egov.workcalendar import selectors as calendar_selectors
from egov.workcalendar import services as calendar

SYSTEM_ADMIN = "quantri.tinh"

# (username, full name, CCCD, phone, e-mail, address) — fictitious people, Thái Bình addresses.
CITIZENS: list[tuple[str, str, str, str, str, str]] = [
    (
        "congdan.an",
        "Nguyễn Văn An",
        "034085001234",
        "0912345678",
        "an.nguyen@example.vn",
        "Số 12 phố Lê Lợi, phường Đề Thám, thành phố Thái Bình",
    ),
    (
        "congdan.hoa",
        "Trần Thị Hoa",
        "034190004321",
        "0987654321",
        "hoa.tran@example.vn",
        "Thôn Đông, xã Đông Hợp, huyện Đông Hưng",
    ),
    (
        "congdan.khoa",
        "Phạm Đăng Khoa",
        "034201007788",
        "0356789012",
        "khoa.pham@example.vn",
        "Khu 3, thị trấn Diêm Điền, huyện Thái Thụy",
    ),
    (
        "doanhnghiep.minhphat",
        "Vũ Minh Phát (đại diện Công ty TNHH Minh Phát)",
        "034079002468",
        "0227383838",
        "lienhe@minhphat.example.vn",
        "Lô B2, Khu công nghiệp Phúc Khánh, thành phố Thái Bình",
    ),
]

# A working-day swap of the kind the Government announces each year (vn-standards §12.7, 2025):
# Friday 2 May off, Saturday 26 April worked in exchange.
CALENDAR_SWAPS: list[tuple[datetime.date, str, str, str, str]] = [
    (datetime.date(2025, 5, 2), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5", "Swapped day off (30 April – 1 May)", "2025"),
    (datetime.date(2025, 4, 26), "working_day", "Làm bù cho ngày 02/5", "Make-up working day for 2 May", "2025"),
]


@dataclass(frozen=True)
class DemoAccountRow:
    username: str
    kind: str
    roles: list[str] = field(default_factory=list)
    agency_code: str | None = None
    full_name: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ensure_citizen(username: str, full_name: str, cccd: str, phone: str, email: str, address: str, password: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return accounts.user_create_citizen(
            actor=None,
            username=username,
            full_name=full_name,
            password=password,
            national_id=cccd,
            phone=phone,
            email=email,
            address=address,
        )
    if not user.check_password(password):
        accounts.user_set_password(actor=None, user=user, password=password)
    return user


def _ensure_calendar_swaps() -> None:
    """Declare the swap unless the calendar already has it (holidays 0.109 ships the 2025 one)."""
    for day, kind, name_vi, name_en, _year in CALENDAR_SWAPS:
        if calendar_selectors.is_working_day(day) != (kind == "working_day"):
            calendar.calendar_exception_add(
                actor=None,
                date=day,
                kind=kind,
                name_vi=name_vi,
                name_en=name_en,
                source="Thông báo hoán đổi ngày làm việc năm 2025 (ví dụ trình diễn)",
            )


@transaction.atomic
def seed_demo(*, password: str, with_token: bool | None = None) -> list[DemoAccountRow]:
    orgs_demo.seed_thai_binh(actor=None)
    orgs_demo.seed_demo_staff(password=password, actor=None)
    # the province's system administrator also runs the Django administration
    system_admin = get_user_model().objects.get(username=SYSTEM_ADMIN)
    accounts.user_set_administrator(actor=None, user=system_admin, is_administrator=True)
    for row in CITIZENS:
        _ensure_citizen(*row, password=password)
    _ensure_calendar_swaps()
    # the demo PKI (stands in for the Government's specialised CA): agency seals, leaders' certificates
    signatures_demo.seed_demo_pki(actor=None, with_token=with_token)
    procedures_demo.seed_procedures(actor=None)
    dossiers_demo.seed_dossiers(actor=None)
    documents_demo.seed_documents(actor=None)
    return demo_accounts()


def demo_accounts() -> list[DemoAccountRow]:
    """Every demo account that exists, with its roles and primary agency (for testers and scripts)."""
    users = get_user_model().objects
    rows: list[DemoAccountRow] = []
    for username, full_name, *_rest in orgs_demo.STAFF:
        user = users.filter(username=username).first()
        if user is None:
            continue
        memberships = orgs.memberships_for_user(user)
        roles = sorted({role for m in memberships for role in m.roles})
        agency_code = memberships[0].agency_code if memberships else None
        rows.append(
            DemoAccountRow(username=username, kind="staff", roles=roles, agency_code=agency_code, full_name=full_name)
        )
    for username, full_name, *_rest in CITIZENS:
        if users.filter(username=username).exists():
            rows.append(DemoAccountRow(username=username, kind="citizen", full_name=full_name))
    return rows
