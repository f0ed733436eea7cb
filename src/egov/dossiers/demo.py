"""Demo dossiers at the Thái Bình centres (needs `egov.orgs.demo.seed_thai_binh`,
`seed_demo_staff` and `egov.procedures.demo.seed_procedures` first; the demo citizens of
`egov.demo` are used for the online dossiers when they exist).

Every dossier is made through `services.dossier_submit` / `dossier_act` / `dossier_apologise`
with explicit past instants, so the clock, steps, history and audit trail are the real ones.
The instants are working days of a window of `WINDOW` working days that ends on the last working
day before the first run; each dossier carries a fixed idempotency key (`demo-dossier-NN`), so a
later run (on any day) finds it and changes nothing, writing no audit record.

Expected split of the finished dossiers: 3 early, 1 on time, 1 late with an apology (form 04).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.clock import TZ
from egov.dossiers.models import Dossier
from egov.dossiers.services import Applicant, FileInput
from egov.workcalendar import selectors as calendar

logger = logging.getLogger("egov.dossiers.demo")

WINDOW = 30  # working days before today
PRESS = "1.004237"  # Cho phép họp báo (trong nước), 3 working days, Sở TTTT
NEWSLETTER = "1.004227"  # Cấp giấy phép xuất bản bản tin, 15 working days, Sở TTTT
GAMES_POINT = "1.004500"  # district level, 5 working days, UBND huyện
CENTRE = "000.01.01.H54"  # Trung tâm Phục vụ hành chính công tỉnh
DONG_HUNG_ONE_STOP = "000.01.24.H54"  # Bộ phận Một cửa huyện Đông Hưng

# A minimal valid PDF stands in for the scanned paper documents.
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

# (day offset in the window, hour, minute, username, action, extra arguments)
Step = tuple[int, int, int, str, str, dict[str, Any]]


@dataclass(frozen=True)
class DemoDossier:
    key: str
    procedure: str
    channel: str  # counter / post / online
    submitted: tuple[int, int, int]  # (day offset, hour, minute)
    by: str  # officer (counter, post) or citizen (online) username
    applicant: Applicant
    request: str
    centre: str = ""
    steps: list[Step] = field(default_factory=list)


def _person(name: str, cccd: str, phone: str, address: str, **kwargs: Any) -> Applicant:
    return Applicant(name=name, national_id=cccd, phone=phone, address=address, **kwargs)


STTTT_FLOW: list[tuple[str, str, dict[str, Any]]] = [
    ("motcua.ttpvhcc", "transfer", {}),
    ("lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
]

DOSSIERS: list[DemoDossier] = [
    DemoDossier(
        "demo-dossier-01", PRESS, "counter", (0, 9, 0), "motcua.ttpvhcc",
        _person("Nguyễn Thị Hương", "034186002345", "0915226688", "Số 5 ngõ 12 phố Trần Hưng Đạo, TP Thái Bình"),
        "Họp báo giới thiệu Lễ hội Đền Trần năm nay",
        steps=[
            (0, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (0, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (1, 8, 30, "chuyenvien.stttt", "start_appraisal", {}),
            (1, 10, 0, "chuyenvien.stttt", "submit_to_leader", {}),
            (1, 15, 0, "lanhdao.stttt", "approve", {}),
            (1, 16, 0, "vanthu.stttt", "issue_result", {}),
            (2, 9, 0, "motcua.ttpvhcc", "return_result", {}),
        ],
    ),  # early
    DemoDossier(
        "demo-dossier-02", NEWSLETTER, "counter", (1, 14, 0), "motcua.ttpvhcc",
        _person("Đỗ Văn Thành", "034078003456", "0227384455", "Xã Vũ Phúc, TP Thái Bình",
                organisation_name="Hội Nông dân tỉnh Thái Bình", representative_name="Đỗ Văn Thành"),
        "Xuất bản bản tin “Nông dân Thái Bình” hằng quý",
        steps=[
            (1, 15, 0, "motcua.ttpvhcc", "transfer", {}),
            (2, 9, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (3, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
            (15, 9, 0, "chuyenvien.stttt", "submit_to_leader", {}),
            (16, 8, 0, "lanhdao.stttt", "approve", {}),
            (16, 10, 0, "vanthu.stttt", "issue_result", {}),
            (16, 15, 0, "motcua.ttpvhcc", "return_result", {}),
        ],
    ),  # on time (due on day 16 at 14:00)
    DemoDossier(
        "demo-dossier-03", PRESS, "counter", (3, 9, 0), "motcua.ttpvhcc",
        _person("Lê Quang Vinh", "034092004567", "0936118899", "Thị trấn Tiền Hải, huyện Tiền Hải"),
        "Họp báo công bố kết quả Hội chợ thương mại Tiền Hải",
        steps=[
            (3, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (3, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (4, 8, 30, "chuyenvien.stttt", "start_appraisal", {}),
            (4, 10, 0, "lanhdao.stttt", "apologise", {
                "reason": "Cần xác minh thực tế địa điểm tổ chức họp báo", "new_due_days": 8}),
            (7, 9, 0, "chuyenvien.stttt", "submit_to_leader", {}),
            (7, 14, 0, "lanhdao.stttt", "approve", {}),
            (7, 15, 0, "vanthu.stttt", "issue_result", {}),
            (8, 8, 30, "motcua.ttpvhcc", "return_result", {}),
        ],
    ),  # late (legal due day 6 at 09:00) with an apology and a new appointment on day 8
    DemoDossier(
        "demo-dossier-04", GAMES_POINT, "post", (5, 9, 0), "motcua.donghung",
        _person("Phạm Văn Toàn", "034088005678", "0983557799", "Thôn Nhân Cầu, xã Hồng Việt, huyện Đông Hưng"),
        "Cấp giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng tại thôn Nhân Cầu",
        centre=DONG_HUNG_ONE_STOP,
        steps=[
            (5, 10, 0, "motcua.donghung", "transfer", {}),
            (5, 14, 0, "lanhdao.donghung", "assign", {"assignee": "chuyenvien.donghung"}),
            (7, 10, 0, "chuyenvien.donghung", "submit_to_leader", {}),
            (8, 9, 0, "lanhdao.donghung", "approve", {}),
            (8, 10, 0, "vanthu.donghung", "issue_result", {}),
            (9, 9, 0, "motcua.donghung", "return_result", {}),
        ],
    ),  # early
    DemoDossier(
        "demo-dossier-05", PRESS, "online", (8, 20, 0), "congdan.an",
        Applicant(), "Họp báo ra mắt câu lạc bộ khởi nghiệp trẻ",
        steps=[
            (9, 8, 0, "motcua.ttpvhcc", "receive", {}),
            (9, 10, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (10, 9, 0, "chuyenvien.stttt", "submit_to_leader", {}),
            (10, 14, 0, "lanhdao.stttt", "approve", {}),
            (10, 15, 0, "vanthu.stttt", "issue_result", {}),
            (11, 9, 0, "motcua.ttpvhcc", "return_result", {}),
        ],
    ),  # online, early
    DemoDossier(
        "demo-dossier-06", NEWSLETTER, "counter", (12, 9, 0), "motcua.ttpvhcc",
        _person("Vũ Thị Lan Anh", "034190006789", "0904332211", "Phường Kỳ Bá, TP Thái Bình",
                organisation_name="Trường THPT chuyên Thái Bình", representative_name="Vũ Thị Lan Anh"),
        "Xuất bản bản tin nội bộ của nhà trường",
        steps=[
            (12, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (12, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (13, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
            (14, 10, 0, "chuyenvien.stttt", "request_supplement", {
                "reason": "Bổ sung bản sao quyết định thành lập của cơ quan chủ quản"}),
        ],
    ),  # waiting for the supplement (clock paused)
    DemoDossier(
        "demo-dossier-07", NEWSLETTER, "counter", (15, 9, 0), "motcua.ttpvhcc",
        _person("Trần Minh Đức", "034083007890", "0977665544", "Xã Đông La, huyện Đông Hưng",
                organisation_name="Hợp tác xã Nông nghiệp Đông La", representative_name="Trần Minh Đức"),
        "Xuất bản bản tin kỹ thuật nông nghiệp",
        steps=[
            (15, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (15, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (16, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
            (17, 9, 0, "chuyenvien.stttt", "request_supplement", {
                "reason": "Bổ sung mẫu trình bày măng-sét bản tin"}),
            (19, 9, 0, "motcua.ttpvhcc", "supplement", {"files": ["TP03"]}),
        ],
    ),  # supplemented: the time limit restarted, back in appraisal
    DemoDossier(
        "demo-dossier-08", PRESS, "counter", (18, 9, 0), "motcua.ttpvhcc",
        _person("Hoàng Văn Sáu", "034075008901", "0912009988", "Xã Quỳnh Hồng, huyện Quỳnh Phụ"),
        "Họp báo giới thiệu sản phẩm OCOP của xã",
        steps=[(18, 15, 0, "motcua.ttpvhcc", "withdraw", {
            "reason": "Người nộp đề nghị rút hồ sơ để bổ sung thông tin"})],
    ),  # withdrawn
    DemoDossier(
        "demo-dossier-09", PRESS, "online", (20, 10, 0), "congdan.hoa",
        Applicant(), "Họp báo về hoạt động của doanh nghiệp tư nhân tại huyện",
        steps=[(20, 14, 0, "motcua.ttpvhcc", "refuse", {
            "reason": "Nội dung họp báo không thuộc thẩm quyền cho phép của Sở Thông tin và Truyền thông"})],
    ),  # not accepted
    DemoDossier(
        "demo-dossier-10", NEWSLETTER, "counter", (24, 9, 0), "motcua.ttpvhcc",
        _person("Ngô Thị Thu", "034187009012", "0868123456", "Thị trấn Vũ Thư, huyện Vũ Thư",
                organisation_name="Bệnh viện Đa khoa huyện Vũ Thư", representative_name="Ngô Thị Thu"),
        "Xuất bản bản tin y tế cộng đồng",
        steps=[
            (24, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (24, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (25, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
        ],
    ),  # in appraisal, within the deadline
    DemoDossier(
        "demo-dossier-11", GAMES_POINT, "counter", (27, 9, 0), "motcua.donghung",
        _person("Bùi Thị Nga", "034191000123", "0399887766", "Xã Đông Hợp, huyện Đông Hưng"),
        "Cấp giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng tại xã Đông Hợp",
        centre=DONG_HUNG_ONE_STOP,
        steps=[
            (27, 10, 0, "motcua.donghung", "transfer", {}),
            (27, 14, 0, "lanhdao.donghung", "assign", {"assignee": "chuyenvien.donghung"}),
            (28, 10, 0, "chuyenvien.donghung", "submit_to_leader", {}),
        ],
    ),  # waiting for the leader
    DemoDossier(
        "demo-dossier-12", PRESS, "counter", (29, 14, 0), "motcua.ttpvhcc",
        _person("Đinh Công Hậu", "034096001357", "0945778899", "Xã Thụy Trường, huyện Thái Thụy"),
        "Họp báo công bố lễ hội làng biển",
    ),  # received, to transfer
    DemoDossier(
        "demo-dossier-13", PRESS, "online", (29, 21, 0), "congdan.khoa",
        Applicant(), "Họp báo giới thiệu giải chạy bộ vì cộng đồng Diêm Điền",
    ),  # submitted online, awaiting reception
]  # fmt: skip


def window_days(today: datetime.date, length: int = WINDOW) -> list[datetime.date]:
    """The `length` working days before `today`, oldest first."""
    days: list[datetime.date] = []
    day = today
    while len(days) < length:
        day -= datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            days.append(day)
    return days[::-1]


def _eform(version: Any, spec: DemoDossier, person: Applicant) -> dict[str, Any]:
    values = {
        "ho_ten": person.representative_name or person.name,
        "so_dinh_danh": person.national_id,
        "dien_thoai": person.phone,
        "dia_chi": person.address,
        "ten_to_chuc": person.organisation_name,
        "noi_dung_de_nghi": spec.request,
    }
    properties = (version.eform_schema or {}).get("properties", {})
    return {k: v for k, v in values.items() if k in properties and v}


def _files(procedure: str, components: list[str]) -> list[FileInput]:
    return [FileInput(f"{procedure}-{c}", f"{c.lower()}-ban-chup.pdf", SCAN) for c in components]


@transaction.atomic
def seed_dossiers(*, actor: Any = None, today: datetime.date | None = None) -> list[Dossier]:
    """The demo dossiers (idempotent). `actor` is not used for the dossiers themselves: every
    action is taken by the demo staff member whose job it is. Returns the dossiers created."""
    del actor
    from egov.procedures import selectors as procedures

    users = get_user_model().objects
    people = {u.username: u for u in users.filter(username__in={s.by for s in DOSSIERS} | _staff())}
    days = window_days(today or timezone.localdate())

    def at(offset: int, hour: int, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(days[offset], datetime.time(hour, minute), TZ)

    created: list[Dossier] = []
    for spec in DOSSIERS:
        if Dossier.objects.filter(idempotency_key=spec.key).exists():
            continue
        submitter = people.get(spec.by)
        if submitter is None:
            logger.info("dossiers.demo_skipped", extra={"key": spec.key, "missing": spec.by})
            continue
        moment = at(*spec.submitted)
        version = procedures.procedure_version_in_force(spec.procedure, moment)
        if version is None:
            logger.info("dossiers.demo_skipped", extra={"key": spec.key, "missing": spec.procedure})
            continue
        person = dataclasses.replace(spec.applicant)
        dossier, _new = services.dossier_submit(
            actor=submitter,
            procedure=spec.procedure,
            channel=spec.channel,
            eform=_eform(version, spec, person if spec.channel != "online" else _citizen(submitter)),
            files=_files(spec.procedure, ["TP01", "TP02"]),
            applicant=person if spec.channel != "online" else None,
            centre=spec.centre,
            idempotency_key=spec.key,
            at=moment,
        )
        for offset, hour, minute, username, action, extra in spec.steps:
            when = at(offset, hour, minute)
            who = people[username]
            if action == "apologise":
                services.dossier_apologise(
                    actor=who,
                    code=dossier.code,
                    reason=extra["reason"],
                    new_due_at=at(extra["new_due_days"], 9, 0),
                    at=when,
                )
                continue
            kwargs: dict[str, Any] = {"reason": extra.get("reason", "")}
            if "assignee" in extra:
                kwargs["assignee"] = people[extra["assignee"]]
            if "files" in extra:
                kwargs["files"] = _files(spec.procedure, extra["files"])
            dossier = services.dossier_act(actor=who, code=dossier.code, action=action, at=when, **kwargs)
        created.append(dossier)
    return created


def _staff() -> set[str]:
    names: set[str] = set()
    for spec in DOSSIERS:
        for _offset, _hour, _minute, username, _action, extra in spec.steps:
            names.update({username, extra.get("assignee", username)})
    return names


def _citizen(user: Any) -> Applicant:
    return Applicant(
        name=str(getattr(user, "full_name", "") or user.get_username()),
        national_id=getattr(user, "national_id", "") or "",
        phone=getattr(user, "phone", "") or "",
        address=getattr(user, "address", "") or "",
    )
