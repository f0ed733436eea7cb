"""Demo dossiers at the Thái Bình centres (needs `egov.orgs.demo.seed_thai_binh`,
`seed_demo_staff` and `egov.procedures.demo.seed_procedures` first; the demo citizens of
`egov.demo` are used for the hand-written online dossiers when they exist).

Two parts, both made through `services.dossier_submit` / `dossier_act` / `dossier_apologise`
with explicit past instants, so the codes, clock, steps, history and audit trail are the real ones:

- `DOSSIERS`: hand-written dossiers on the `WINDOW` working days before the first run, each with a
  fixed idempotency key (`demo-dossier-NN`): 3 early, 1 on time, 1 late with an apology, and one
  in every state a reviewer looks for (supplement requested, supplemented, withdrawn, not accepted,
  in appraisal within and over the deadline, with the leader, financial obligation, stopped,
  result awaiting return, received, awaiting reception);
- the demo year (`plan_year`): `EGOV_DEMO_DOSSIERS` dossiers (default `YEAR_DOSSIERS`) over the
  12 months before the first run, at the provincial centre and Đông Hưng (the centres with demo
  staff), with monthly variation (the dip after Tết and the other long holidays), an online share
  growing over the year, several procedures and fields, on working days in office hours only, in
  every state. Deterministic: a seeded `random.Random`. Keys `demo-year-NNNNN`.

Every event of both parts runs in time order, so the daily code sequence of a unit follows the
reception times. A later run (on any day) finds the keys and changes nothing, writing no audit
record; the year is seeded once (if any `demo-year-` dossier exists, it is not planned again).
Results of the year are a prepared one-page PDF per procedure (rendered once) that the service
seals as usual; the hand-written ones render the real result notice.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import os
import random
import time
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from egov.common.errors import EgovError
from egov.dossiers import clock, services, tasks
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
    DemoDossier(
        "demo-dossier-14", PRESS, "counter", (17, 9, 0), "motcua.ttpvhcc",
        _person("Lương Văn Khải", "034089002468", "0916334455", "Xã Nguyên Xá, huyện Đông Hưng"),
        "Họp báo giới thiệu chương trình lễ hội hoa xuân",
        steps=[
            (17, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (17, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (18, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
        ],
    ),  # in appraisal over the deadline (due day 20 at 09:00)
    DemoDossier(
        "demo-dossier-15", GAMES_POINT, "counter", (21, 9, 0), "motcua.donghung",
        _person("Tô Văn Hiếu", "034093003579", "0388456123", "Xã Mê Linh, huyện Đông Hưng"),
        "Cấp giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng tại xã Mê Linh",
        centre=DONG_HUNG_ONE_STOP,
        steps=[
            (21, 10, 0, "motcua.donghung", "transfer", {}),
            (21, 14, 0, "lanhdao.donghung", "assign", {"assignee": "chuyenvien.donghung"}),
            (23, 9, 0, "chuyenvien.donghung", "request_payment", {
                "reason": "Đề nghị nộp phí thẩm định điều kiện hoạt động điểm cung cấp dịch vụ trò chơi"}),
        ],
    ),  # financial obligation requested, awaiting payment (clock paused)
    DemoDossier(
        "demo-dossier-16", NEWSLETTER, "counter", (22, 9, 0), "motcua.ttpvhcc",
        _person("Phan Thị Yến", "034185004680", "0978223344", "Phường Tiền Phong, TP Thái Bình",
                organisation_name="Hội Liên hiệp Phụ nữ tỉnh Thái Bình", representative_name="Phan Thị Yến"),
        "Xuất bản bản tin phụ nữ Thái Bình",
        steps=[
            (22, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (22, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (23, 9, 0, "chuyenvien.stttt", "start_appraisal", {}),
            (25, 10, 0, "lanhdao.stttt", "stop", {
                "reason": "Tạm dừng để lấy ý kiến của Sở Văn hóa, Thể thao và Du lịch về nội dung bản tin"}),
        ],
    ),  # processing stopped (clock paused)
    DemoDossier(
        "demo-dossier-17", PRESS, "counter", (26, 9, 0), "motcua.ttpvhcc",
        _person("Đặng Quốc Bảo", "034087005791", "0904556677", "Thị trấn Quỳnh Côi, huyện Quỳnh Phụ"),
        "Họp báo công bố giải bóng đá thanh niên huyện Quỳnh Phụ",
        steps=[
            (26, 10, 0, "motcua.ttpvhcc", "transfer", {}),
            (26, 14, 0, "lanhdao.stttt", "assign", {"assignee": "chuyenvien.stttt"}),
            (27, 9, 0, "chuyenvien.stttt", "submit_to_leader", {}),
            (27, 14, 0, "lanhdao.stttt", "approve", {}),
            (28, 9, 0, "vanthu.stttt", "issue_result", {}),
        ],
    ),  # result issued, awaiting return (early)
]  # fmt: skip


# --- the demo year ---------------------------------------------------------------------------------

YEAR_PREFIX = "demo-year-"
YEAR_DOSSIERS = 500  # default size of the demo year; EGOV_DEMO_DOSSIERS overrides it (0: no year)
YEAR_SEED = "egov-demo-year-1"
CITIZEN_PREFIX = "demo.congdan."
DEMO_CITIZENS = ("congdan.an", "congdan.hoa", "congdan.khoa", "doanhnghiep.minhphat")


@dataclass(frozen=True)
class Team:
    officer: str  # one-stop officer of the receiving centre
    leader: str
    specialists: tuple[str, ...]
    clerk: str


STTTT_TEAM = Team("motcua.ttpvhcc", "lanhdao.stttt", ("chuyenvien.stttt", "quantri.stttt"), "vanthu.stttt")
SKHDT_TEAM = Team("motcua.ttpvhcc", "lanhdao.skhdt", ("chuyenvien.skhdt",), "vanthu.skhdt")
DONG_HUNG_TEAM = Team("motcua.donghung", "lanhdao.donghung", ("chuyenvien.donghung",), "vanthu.donghung")


@dataclass(frozen=True)
class YearProcedure:
    code: str
    centre: str
    team: Team
    weight: float
    requests: tuple[str, ...] = ()  # "noi_dung_de_nghi" ({place}, {org} filled in)


PLACES_DONG_HUNG = (
    "Thị trấn Đông Hưng",
    "Xã Đông La",
    "Xã Đông Hợp",
    "Xã Mê Linh",
    "Xã Liên Hoa",
    "Xã Nguyên Xá",
    "Xã Hồng Việt",
    "Xã Đông Các",
    "Xã Phú Lương",
    "Xã Chương Dương",
    "Xã Minh Tân",
    "Xã Hoa Nam",
)
PLACES_PROVINCE = (
    ("Phường Đề Thám", "thành phố Thái Bình"),
    ("Phường Lê Hồng Phong", "thành phố Thái Bình"),
    ("Phường Kỳ Bá", "thành phố Thái Bình"),
    ("Phường Tiền Phong", "thành phố Thái Bình"),
    ("Phường Trần Lãm", "thành phố Thái Bình"),
    ("Xã Vũ Chính", "thành phố Thái Bình"),
    ("Thị trấn Tiền Hải", "huyện Tiền Hải"),
    ("Thị trấn Diêm Điền", "huyện Thái Thụy"),
    ("Thị trấn Quỳnh Côi", "huyện Quỳnh Phụ"),
    ("Thị trấn Vũ Thư", "huyện Vũ Thư"),
    ("Thị trấn Thanh Nê", "huyện Kiến Xương"),
    ("Thị trấn Hưng Hà", "huyện Hưng Hà"),
    ("Xã Đông La", "huyện Đông Hưng"),
    ("Thị trấn Đông Hưng", "huyện Đông Hưng"),
)
STREETS = (
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Lý Bôn",
    "Quang Trung",
    "Ngô Quyền",
    "Trần Thái Tông",
    "Lý Thường Kiệt",
    "Phan Bá Vành",
    "Kỳ Đồng",
)
FAMILY = (
    ("Nguyễn", 30),
    ("Trần", 12),
    ("Lê", 9),
    ("Phạm", 8),
    ("Hoàng", 5),
    ("Vũ", 7),
    ("Đặng", 3),
    ("Bùi", 5),
    ("Đỗ", 4),
    ("Ngô", 3),
    ("Đinh", 3),
    ("Phan", 2),
    ("Mai", 2),
    ("Tô", 1),
    ("Lương", 1),
    ("Trịnh", 2),
    ("Đoàn", 2),
    ("Hà", 1),
    ("Cao", 1),
    ("Lại", 1),
)
MIDDLE = {
    "m": ("Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Ngọc", "Thanh", "Xuân", "Mạnh"),
    "f": ("Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Thị Thu", "Kim"),
}
GIVEN = {
    "m": (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hùng",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Thắng",
        "Toàn",
        "Trung",
        "Tuấn",
        "Việt",
        "Vinh",
        "Hiếu",
        "Đạt",
        "Huy",
        "Kiên",
    ),
    "f": (
        "Anh",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngân",
        "Nhung",
        "Phương",
        "Thảo",
        "Trang",
        "Yến",
        "Huyền",
        "Loan",
        "Oanh",
        "Vân",
    ),
}
BRANDS = (
    "Hưng Thịnh",
    "Phú Cường",
    "Thái An",
    "Đại Phong",
    "Sao Mai",
    "Hồng Hà",
    "Lúa Vàng",
    "Biển Xanh",
    "Thành Công",
    "Phúc Lộc",
    "Kim Long",
    "An Khang",
    "Tân Tiến",
    "Việt Hưng",
    "Đồng Tâm",
)
ORGANISATIONS = (
    "Công ty TNHH {brand}",
    "Công ty Cổ phần {brand} Thái Bình",
    "Hợp tác xã Dịch vụ {brand}",
    "Công ty TNHH Truyền thông {brand}",
    "Trung tâm Y tế {district}",
    "Hội Nông dân {district}",
    "Liên đoàn Lao động {district}",
    "Trường THPT Nguyễn Du",
    "Trường THPT chuyên Thái Bình",
)
TRADES = (
    "Bán lẻ hàng tạp hóa",
    "Sửa chữa xe máy",
    "Dịch vụ ăn uống",
    "May mặc",
    "Bán lẻ điện thoại di động",
    "Cắt tóc, gội đầu",
    "Bán lẻ vật liệu xây dựng",
    "Chế biến nông sản",
    "Bán lẻ thuốc thú y",
    "Kinh doanh gạo",
    "Dịch vụ giặt là",
    "Bán lẻ văn phòng phẩm",
)
SHOPS = ("Tạp hóa", "Cửa hàng", "Quán", "Tiệm", "Cơ sở")
EVENTS = (
    "Lễ hội Đền Trần",
    "Hội chợ nông sản an toàn",
    "giải chạy Marathon Thái Bình",
    "chương trình khuyến mại cuối năm",
    "sản phẩm OCOP",
    "dự án khu đô thị mới",
    "kết quả hoạt động của doanh nghiệp",
    "lễ khai trương trung tâm thương mại",
    "Tuần văn hóa du lịch biển Đồng Châu",
    "hội thi tay nghề thanh niên",
)

YEAR_PROCEDURES: list[YearProcedure] = [
    YearProcedure("2.001610", CENTRE, SKHDT_TEAM, 30),  # sole proprietorship, 3 days (Sở KH&ĐT)
    YearProcedure(PRESS, CENTRE, STTTT_TEAM, 9, ("Họp báo giới thiệu {event}",)),
    YearProcedure(NEWSLETTER, CENTRE, STTTT_TEAM, 5, ("Xuất bản bản tin nội bộ của {org}",
                                                     "Xuất bản bản tin khoa học kỹ thuật của {org}")),
    YearProcedure("1.004233", CENTRE, STTTT_TEAM, 2, ("Xuất bản đặc san kỷ niệm ngày thành lập {org}",)),
    YearProcedure("1.004250", CENTRE, STTTT_TEAM, 3, ("Thiết lập trang thông tin điện tử tổng hợp của {org}",)),
    YearProcedure("1.004271", CENTRE, STTTT_TEAM, 3, ("Cấp giấy phép hoạt động in cho cơ sở in của {org}",)),
    YearProcedure("1.004286", CENTRE, STTTT_TEAM, 3, ("Nhập khẩu sách, tài liệu không kinh doanh phục vụ {org}",)),
    YearProcedure("1.004313", CENTRE, STTTT_TEAM, 2, ("Xác nhận thông báo hoạt động bưu chính của {org}",)),
    YearProcedure("1.001612", DONG_HUNG_ONE_STOP, DONG_HUNG_TEAM, 36),  # household business, 3 days
    YearProcedure(GAMES_POINT, DONG_HUNG_ONE_STOP, DONG_HUNG_TEAM, 5, (
        "Cấp giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng tại {place}",)),
    YearProcedure("1.004503", DONG_HUNG_ONE_STOP, DONG_HUNG_TEAM, 1, (
        "Sửa đổi giấy chứng nhận điểm cung cấp dịch vụ trò chơi điện tử công cộng tại {place}",)),
    YearProcedure("1.004512", DONG_HUNG_ONE_STOP, DONG_HUNG_TEAM, 2, (
        "Khai báo hoạt động cơ sở dịch vụ photocopy tại {place}",)),
]  # fmt: skip

# Reasons are data written by the staff (Vietnamese), not interface text.
REASONS = {
    "refuse": ("Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận",
               "Thủ tục đề nghị không đúng với nội dung hồ sơ đã nộp"),
    "reception_supplement": ("Ảnh chụp giấy tờ không rõ, đề nghị nộp lại bản rõ nét",
                             "Tờ khai thiếu chữ ký của người đề nghị"),
    "supplement": ("Bổ sung giấy tờ chứng minh quyền sử dụng địa điểm",
                   "Bổ sung bản sao quyết định thành lập của tổ chức",
                   "Bổ sung bản thuyết minh chi tiết nội dung đề nghị"),
    "withdraw": ("Người nộp đề nghị rút hồ sơ để hoàn thiện lại nội dung",
                 "Tổ chức thay đổi kế hoạch, không tiếp tục đề nghị"),
    "payment": ("Đề nghị nộp phí thẩm định theo quy định",),
    "stop": ("Tạm dừng để lấy ý kiến cơ quan phối hợp",
             "Chờ kết quả xác minh thực tế tại địa điểm đề nghị"),
    "send_back": ("Đề nghị làm rõ ý kiến thẩm định về địa điểm", "Dự thảo kết quả còn sai sót, đề nghị chỉnh sửa"),
    "reject": ("Hồ sơ không đáp ứng điều kiện theo quy định",
               "Địa điểm đề nghị không đáp ứng điều kiện theo quy định"),
    "apology": ("Cần xác minh thực tế tại địa điểm đề nghị", "Chờ ý kiến của cơ quan phối hợp",
                "Số lượng hồ sơ tăng đột biến trong kỳ"),
}  # fmt: skip

# Monthly variation (January rush and Tết dip in February, busier spring and autumn) and weekdays.
MONTH_WEIGHT = {1: 1.0, 2: 0.7, 3: 1.1, 4: 1.1, 5: 1.05, 6: 1.0, 7: 0.95, 8: 0.9, 9: 1.05, 10: 1.15, 11: 1.1, 12: 1.0}
WEEKDAY_WEIGHT = (1.25, 1.05, 1.0, 0.95, 0.85, 0.6, 0.6)  # Monday … Sunday (worked Saturdays are rare)
# Finished dossiers: early / on time / late without / late with an apology.
TIMELINESS_MIX = (("early", 0.70), ("on_time", 0.16), ("late", 0.08), ("late_apology", 0.06))
# The last year dossiers filed 16+ working days before the end end in these states, so that even a
# small year shows them.
HOLD_FATES = ("overdue", "payment_hold", "stop_hold", "supplement_hold", "uncollected", "refused", "withdrawn")


@dataclass
class _Event:
    at: datetime.datetime
    who: str
    action: str
    reason: str = ""
    assignee: str = ""
    files: tuple[str, ...] = ()
    new_due_at: datetime.datetime | None = None


@dataclass
class _Plan:
    key: str
    procedure: str
    channel: str
    centre: str
    by: str
    applicant: Applicant | None
    eform: dict[str, Any]
    components: tuple[str, ...]
    submitted_at: datetime.datetime
    events: list[_Event] = field(default_factory=list)
    prepared_result: bool = False  # the year's results: a prepared PDF instead of the rendered notice
    dossier: Dossier | None = None
    broken: bool = False


@dataclass
class _Person:
    name: str
    national_id: str
    phone: str
    address: str
    email: str = ""


def _lower_place(place: str) -> str:
    for word in ("Phường", "Xã", "Thị trấn"):
        place = place.replace(word, word.lower())
    return place


def _make_person(rng: random.Random, *, serial: str, district: bool) -> _Person:
    """A fictitious Thái Bình resident: name, CCCD (province 034, sex and century digit, year of
    birth, `serial`), mobile number and address (in Đông Hưng when `district`)."""
    gender = rng.choice("mf")
    family = rng.choices([f for f, _w in FAMILY], weights=[w for _f, w in FAMILY])[0]
    name = f"{family} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"
    born = rng.randint(1958, 2005)
    century = (0 if born < 2000 else 2) + (1 if gender == "f" else 0)
    phone = rng.choice(("09", "03", "08")) + f"{rng.randint(0, 99999999):08d}"
    if district:
        address = f"Thôn {rng.randint(1, 9)}, {_lower_place(rng.choice(PLACES_DONG_HUNG))}, huyện Đông Hưng"
    else:
        place, town = rng.choice(PLACES_PROVINCE)
        street = f"Số {rng.randint(1, 250)} phố {rng.choice(STREETS)}, " if place.startswith("Phường") else ""
        address = f"{street}{_lower_place(place)}, {town}"
    return _Person(name=name, national_id=f"034{century}{born % 100:02d}{serial}", phone=phone, address=address)


class _Office:
    """Office-time arithmetic on the calendar in force (no query per call)."""

    def __init__(self) -> None:
        self.cal = calendar.calendar_get()

    def plus(self, moment: datetime.datetime, hours: float) -> datetime.datetime:
        return self.cal.add_working_hours(moment, round(max(hours, 0.0), 4)).due

    def days(self, moment: datetime.datetime, count: int) -> datetime.datetime:
        return self.cal.add_working_days(moment, count).due

    def hours(self, start: datetime.datetime, end: datetime.datetime) -> float:
        return clock.working_seconds_between(start, end) / 3600

    def day_start(self, day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(day, self.cal.hours_on(day).morning_start, TZ)

    def instant(self, day: datetime.date, fraction: float) -> datetime.datetime:
        """The instant `fraction` (0–1) of the way through the office hours of `day`."""
        hours = self.cal.hours_on(day)
        total = self.hours(self.day_start(day), datetime.datetime.combine(day, hours.afternoon_end, TZ))
        return self.plus(self.day_start(day), fraction * total)

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        day -= datetime.timedelta(days=1)
        while not self.cal.is_working_day(day):
            day -= datetime.timedelta(days=1)
        return day


def year_volume() -> int:
    """The size of the demo year: EGOV_DEMO_DOSSIERS, else `YEAR_DOSSIERS`."""
    value = os.environ.get("EGOV_DEMO_DOSSIERS", "").strip()
    return max(0, int(value)) if value.isdigit() else YEAR_DOSSIERS


def year_days(today: datetime.date) -> list[datetime.date]:
    """The working days of the 12 months before `today` (from the same date a year earlier)."""
    try:
        first = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        first = today.replace(year=today.year - 1, day=28)
    days = []
    day = first
    while day < today:
        if calendar.is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _day_weights(days: list[datetime.date]) -> list[float]:
    """Demand per working day: month and weekday, and a slow restart in the 7 working days after
    any break of 4 days or more (Tết above all, also 30/4–1/5 and 2/9)."""
    weights = []
    since_break = 99
    for i, day in enumerate(days):
        gap = (day - days[i - 1]).days - 1 if i else 0
        since_break = 0 if gap >= 4 else since_break + 1
        slow = 0.5 + 0.07 * since_break if since_break < 7 else 1.0
        weights.append(MONTH_WEIGHT[day.month] * WEEKDAY_WEIGHT[day.weekday()] * slow)
    return weights


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders; sums exactly to `total`)."""
    whole = sum(weights) or 1.0
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(exact)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _YearPlanner:
    """Plans the demo year: who files what, when, and what happens to it afterwards."""

    def __init__(self, *, today: datetime.date, volume: int, citizens: list[tuple[str, _Person]]) -> None:
        from egov.procedures import selectors as procedures

        self.rng = random.Random(YEAR_SEED)  # noqa: S311 (demo data, not secrets)
        self.today = today
        self.volume = volume
        self.office = _Office()
        self.citizens = citizens
        self.versions: dict[str, Any] = {}
        moment = datetime.datetime.combine(today, datetime.time(0), TZ)
        for spec in YEAR_PROCEDURES:
            version = procedures.procedure_version_in_force(spec.code, moment)
            if version is not None:
                self.versions[spec.code] = version
        self.procedures = [p for p in YEAR_PROCEDURES if p.code in self.versions]
        self.rule = clock.rule_in_force(moment)
        self.unique = 0

    # -- people ------------------------------------------------------------------------------

    def person(self, *, district: bool) -> _Person:
        self.unique += 1
        return _make_person(self.rng, serial=f"5{self.unique % 100000:05d}", district=district)

    def organisation(self) -> str:
        rng = self.rng
        return rng.choice(ORGANISATIONS).format(brand=rng.choice(BRANDS), district=rng.choice(PLACES_PROVINCE)[1])

    # -- the year ----------------------------------------------------------------------------

    def plans(self) -> list[_Plan]:
        if not self.procedures or not self.volume:
            return []
        days = year_days(self.today)
        counts = _spread(self.volume, _day_weights(days))
        weights = [p.weight for p in self.procedures]
        slots: list[tuple[datetime.date, YearProcedure, str]] = []
        for n, (day, count) in enumerate(zip(days, counts, strict=True)):
            online_share = 0.28 + 0.34 * n / max(len(days) - 1, 1)  # the online share grows over the year
            for _i in range(count):
                spec = self.rng.choices(self.procedures, weights=weights)[0]
                draw = self.rng.random()
                channel = "post" if draw < 0.04 else "online" if draw < 0.04 + online_share else "counter"
                slots.append((day, spec, channel))
        # the held fates go to the last dossiers filed at least 16 working days before the end (longer
        # than any time limit of the year), so they are in their state, and overdue, at the end
        cutoff = days[max(len(days) - 17, 0)]
        eligible = [i for i, (day, _spec, _channel) in enumerate(slots, 1) if day <= cutoff]
        holds = dict(zip(reversed(eligible), HOLD_FATES, strict=False))
        plans: list[_Plan] = []
        for index, (day, spec, channel) in enumerate(slots, 1):
            fate = holds.get(index, "")
            if fate == "refused" or not self.citizens:
                channel = "online" if self.citizens else "counter"
            plans.append(self.plan(index, day, spec, channel, fate))
        return plans

    def plan(self, index: int, day: datetime.date, spec: YearProcedure, channel: str, fate: str) -> _Plan:
        rng, office, team = self.rng, self.office, spec.team
        version = self.versions[spec.code]
        district = spec.centre == DONG_HUNG_ONE_STOP
        properties = (version.eform_schema or {}).get("properties", {})
        organisation_only = "ten_to_chuc" in (version.eform_schema or {}).get("required", [])
        online = channel == "online"
        by = team.officer
        if online:
            by, person = rng.choice(self.citizens)
        else:
            person = self.person(district=district)
        organisation = ""
        if (
            organisation_only
            or (spec.requests and "{org}" in spec.requests[0])
            or (spec.requests and rng.random() < 0.4)
        ):
            organisation = self.organisation()
        values: dict[str, Any] = {
            "ho_ten": person.name,
            "so_dinh_danh": person.national_id,
            "dien_thoai": person.phone,
            "dia_chi": person.address,
            "ten_to_chuc": organisation,
            "nguoi_dai_dien": person.name if organisation else "",
            "ma_so_doanh_nghiep": f"10{rng.randint(0, 99999999):08d}" if organisation_only else "",
        }
        if spec.requests:
            place = rng.choice(PLACES_DONG_HUNG) if district else rng.choice(PLACES_PROVINCE)[0]
            values["noi_dung_de_nghi"] = rng.choice(spec.requests).format(
                place=_lower_place(place), org=organisation or person.name,
                event=rng.choice(EVENTS))  # fmt: skip
        if "ten_ho_kinh_doanh" in properties:
            trade = rng.choice(TRADES)
            values.update(ten_ho_kinh_doanh=f"{rng.choice(SHOPS)} {person.name.rsplit(' ', 1)[-1]} {rng.choice(BRANDS)}",
                          nganh_nghe=trade, von_kinh_doanh=rng.randrange(30, 800, 10) * 1_000_000)  # fmt: skip
        if "ten_doanh_nghiep" in properties:
            values["ten_doanh_nghiep"] = (
                f"Doanh nghiệp tư nhân {rng.choice(('Thương mại', 'Dịch vụ', 'Xây dựng', 'Vận tải'))} {rng.choice(BRANDS)}"
            )
        eform = {k: v for k, v in values.items() if k in properties and v not in ("", None)}
        components = [c.code.rsplit("-", 1)[-1] for c in version.components.all() if c.case_id is None and (
            c.required or rng.random() < 0.3)]  # fmt: skip
        applicant = Applicant(organisation_name=organisation, representative_name=person.name if organisation else "")
        if not online:
            applicant = _person(person.name, person.national_id, person.phone, person.address,
                                organisation_name=organisation, representative_name=person.name if organisation else "")  # fmt: skip
        # the submission instant: counters take dossiers until 16:45, the post arrives in the morning
        share = rng.uniform(0.05, 0.4) if channel == "post" else rng.uniform(0.0, 0.96 if not online else 1.0)
        submitted = office.instant(day, share)
        plan = _Plan(key=f"{YEAR_PREFIX}{index:05d}", procedure=spec.code, channel=channel, centre=spec.centre, by=by,
                     applicant=applicant, eform=eform, components=tuple(components), submitted_at=submitted,
                     prepared_result=True)  # fmt: skip
        self.fill(plan, spec, version, fate)
        return plan

    def fill(self, plan: _Plan, spec: YearProcedure, version: Any, fate: str) -> None:
        """The events after the submission, in time order (each strictly after the previous one)."""
        rng, office, team = self.rng, self.office, spec.team
        events = plan.events
        last = [plan.submitted_at]

        def add(moment: datetime.datetime, who: str, action: str, **extra: Any) -> datetime.datetime:
            if moment <= last[0]:
                moment = office.plus(last[0], rng.uniform(0.05, 0.2))
            events.append(_Event(moment, who, action, **extra))
            last[0] = moment
            return moment

        def reason(kind: str) -> str:
            return rng.choice(REASONS[kind])

        applicant = plan.by if plan.channel == "online" else team.officer
        missing = (rng.choice(plan.components),) if plan.components else ()
        online = plan.channel == "online"
        wanted = {"online": "online", "counter": "in_person", "post": "post"}[plan.channel]
        channel_row = next(c for c in version.channels.all() if c.kind == wanted)
        limit, unit = channel_row.time_limit or 0, channel_row.time_unit or "working_days"
        fees = sum(int(f.amount or 0) for f in channel_row.fees.all())
        # reception
        if online:
            moment = office.plus(plan.submitted_at, rng.uniform(0.2, 6.0))
            draw = rng.random()
            if fate == "refused" or (not fate and draw < 0.03):
                add(moment, team.officer, "refuse", reason=reason("refuse"))
                return
            if not fate and draw < 0.08:
                asked = add(moment, team.officer, "request_supplement", reason=reason("reception_supplement"))
                moment = add(office.plus(office.days(asked, rng.randint(1, 4)), rng.uniform(-2, 2)), applicant,
                             "supplement", files=missing)  # fmt: skip
                moment = office.plus(moment, rng.uniform(0.3, 4.0))
            received = add(moment, team.officer, "receive")
            transferred = received
        else:
            received = plan.submitted_at
            transfer_due = clock.transfer_due(received, self.rule).due
            if rng.random() < 0.03:
                moment = office.plus(transfer_due, rng.uniform(0.5, 5.0))  # a late transfer
            else:
                room = max(office.hours(received, transfer_due) - 0.1, 0.1)
                moment = office.plus(received, rng.uniform(0.1, min(room, 2.5)))
            transferred = add(moment, team.officer, "transfer")
        due = clock.add_limit(received, limit, unit).due
        assigner = team.leader if rng.random() < 0.85 else team.clerk
        specialist = rng.choice(team.specialists)
        assigned = add(office.plus(transferred, rng.uniform(0.2, 5.0)), assigner, "assign", assignee=specialist)
        if fate == "withdrawn" or (not fate and rng.random() < 0.015):
            add(office.plus(assigned, rng.uniform(1.0, 16.0)), applicant, "withdraw", reason=reason("withdraw"))
            return
        started = add(office.plus(assigned, rng.uniform(0.2, 6.0)), specialist, "start_appraisal")
        ready = started
        # an episode while in appraisal: supplement (the limit restarts), payment or a stop (the clock pauses)
        draw = rng.random()
        if fate == "supplement_hold" or (not fate and draw < 0.06):
            late_request = rng.random() < 0.1
            asked = add(office.plus(started, rng.uniform(26.0, 40.0) if late_request else rng.uniform(0.5, 14.0)),
                        specialist, "request_supplement", reason=reason("supplement"))  # fmt: skip
            if fate or rng.random() < 0.04:
                return  # the applicant never completes the dossier: it stays paused
            ready = add(office.plus(office.days(asked, rng.randint(2, 10)), rng.uniform(-3, 3)), applicant,
                        "supplement", files=missing)  # fmt: skip
            due = clock.add_limit(ready, limit, unit).due
        elif fate == "payment_hold" or (not fate and fees and draw < 0.12):
            asked = add(office.plus(started, rng.uniform(1.0, 10.0)), specialist, "request_payment",
                        reason=reason("payment"))  # fmt: skip
            if fate:
                return
            who = team.officer if rng.random() < 0.7 else specialist
            ready = add(office.plus(asked, rng.uniform(2.0, 24.0)), who, "confirm_payment")
            if self.rule.pause_for_payment:
                due = clock.shift_by_working_time(due, clock.working_seconds_between(asked, ready)).due
        elif fate == "stop_hold" or (not fate and draw < 0.135):
            stopped = add(office.plus(started, rng.uniform(2.0, 16.0)), team.leader, "stop", reason=reason("stop"))
            if fate or rng.random() < 0.15:
                return  # still stopped
            ready = add(office.plus(office.days(stopped, rng.randint(3, 12)), rng.uniform(-2, 2)), team.leader,
                        "resume")  # fmt: skip
            if self.rule.pause_when_stopped:
                due = clock.shift_by_working_time(due, clock.working_seconds_between(stopped, ready)).due
        if fate == "overdue":
            return  # the specialist has not finished; the legal date passes
        # when the result is issued, by the timeliness aimed at
        target = rng.choices([t for t, _w in TIMELINESS_MIX], weights=[w for _t, w in TIMELINESS_MIX])[0]
        due_day = due.astimezone(TZ).date()
        chain = rng.uniform(0.6, 3.0)  # office hours at least from ready to the result
        earliest = office.plus(ready, chain)
        issue: datetime.datetime | None = None
        apology: tuple[datetime.datetime, datetime.datetime] | None = None
        if target == "early":
            latest = office.instant(office.previous_working_day(due_day), 0.98)  # the end of the day before
            if earliest < latest:
                issue = office.plus(earliest, rng.uniform(0.0, 0.8) * office.hours(earliest, latest))
            else:
                target = "on_time"
        if target == "on_time":
            low = max(earliest, office.day_start(due_day))
            if low < due:
                issue = office.plus(low, rng.uniform(0.1, 0.95) * office.hours(low, due))
            else:
                target = "late"
        if target == "late_apology":
            day_before = office.previous_working_day(due_day)
            said = max(office.instant(day_before, rng.uniform(0.1, 0.9)), office.plus(ready, 0.1))
            if said.astimezone(TZ).date() < due_day:
                new_due = office.days(due, rng.randint(2, 5))
                apology = (said, new_due)
                issue = office.plus(due, rng.uniform(0.3, 0.9) * office.hours(due, new_due))
            else:
                target = "late"
        if issue is None:  # late
            issue = office.plus(max(due, earliest), rng.uniform(1.0, 8.0 * 5))
        issue = max(issue, earliest)
        # the specialist's proposal, the leader's decision (maybe a send-back first), the clerk's issue
        span = office.hours(ready, issue)
        proposed = office.plus(ready, span * rng.uniform(0.45, 0.75))
        decided = office.plus(proposed, office.hours(proposed, issue) * rng.uniform(0.4, 0.85))
        chain_events: list[tuple[datetime.datetime, int, str, str, dict[str, Any]]] = [
            (proposed, 1, specialist, "submit_to_leader", {})
        ]
        if rng.random() < 0.05:
            back = office.plus(proposed, office.hours(proposed, decided) * 0.3)
            chain_events.append((back, 2, team.leader, "send_back", {"reason": reason("send_back")}))
            chain_events.append((office.plus(back, office.hours(back, decided) * 0.6), 3, specialist,
                                 "submit_to_leader", {}))  # fmt: skip
        rejected = rng.random() < 0.03
        chain_events.append((decided, 4, team.leader, "reject" if rejected else "approve",
                             {"reason": reason("reject")} if rejected else {}))  # fmt: skip
        if apology is not None:
            chain_events.append((apology[0], 0, team.leader, "apologise",
                                 {"reason": reason("apology"), "new_due_at": apology[1]}))  # fmt: skip
        for moment, _order, who, action, extra in sorted(chain_events, key=lambda e: (e[0], e[1])):
            add(moment, who, action, **extra)
        issued = add(issue, team.clerk if rng.random() < 0.9 else team.leader, "issue_result")
        if fate == "uncollected" or rng.random() < 0.01:
            return  # the applicant has not come for the result
        if online:
            add(office.plus(issued, rng.uniform(0.1, 1.5)), team.officer, "return_result")
        else:
            add(office.plus(office.days(issued, rng.choice((0, 0, 1, 1, 2, 3, 5))), rng.uniform(-2, 2)),
                team.officer, "return_result")  # fmt: skip


# --- running the plans --------------------------------------------------------------------------


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


def _files(procedure: str, components: list[str] | tuple[str, ...]) -> list[FileInput]:
    return [FileInput(f"{procedure}-{c}", f"{c.lower()}-ban-chup.pdf", SCAN) for c in components]


def _hand_written(today: datetime.date, people: dict[str, Any]) -> list[_Plan]:
    """`DOSSIERS` as plans on the window before `today` (those not seeded yet, whose people exist)."""
    from egov.procedures import selectors as procedures

    days = window_days(today)

    def at(offset: int, hour: int, minute: int) -> datetime.datetime:
        return datetime.datetime.combine(days[offset], datetime.time(hour, minute), TZ)

    done = set(Dossier.objects.filter(idempotency_key__in=[s.key for s in DOSSIERS]).values_list(
        "idempotency_key", flat=True))  # fmt: skip
    plans = []
    for spec in DOSSIERS:
        if spec.key in done:
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
        online = spec.channel == "online"
        person = dataclasses.replace(spec.applicant)
        plan = _Plan(key=spec.key, procedure=spec.procedure, channel=spec.channel, centre=spec.centre, by=spec.by,
                     applicant=None if online else person,
                     eform=_eform(version, spec, _citizen(submitter) if online else person),
                     components=("TP01", "TP02"), submitted_at=moment)  # fmt: skip
        for offset, hour, minute, username, action, extra in spec.steps:
            if action == "apologise":
                plan.events.append(_Event(at(offset, hour, minute), username, action, reason=extra["reason"],
                                          new_due_at=at(extra["new_due_days"], 9, 0)))  # fmt: skip
            else:
                plan.events.append(_Event(at(offset, hour, minute), username, action, reason=extra.get("reason", ""),
                                          assignee=extra.get("assignee", ""), files=tuple(extra.get("files", ()))))  # fmt: skip
        plans.append(plan)
    return plans


class _Results:
    """One prepared result PDF per procedure and outcome, rendered once per run: the service seals
    it like any result (rendering the full notice for every dossier would cost seconds each)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[int, str], bytes] = {}

    def get(self, d: Dossier, outcome: str) -> FileInput:
        key = (d.procedure_version_id, outcome)
        if key not in self.cache:
            self.cache[key] = self.render(d, outcome)
        return FileInput("", "ket-qua.pdf" if outcome != "rejected" else "thong-bao-tu-choi.pdf", self.cache[key])

    @staticmethod
    def render(d: Dossier, outcome: str) -> bytes:
        from django.utils.html import escape

        from egov.dossiers import pdf

        version = d.procedure_version
        result = version.results.order_by("id").first()
        if outcome == "rejected":
            title = "THÔNG BÁO TỪ CHỐI GIẢI QUYẾT HỒ SƠ"
        else:
            title = (result.name_vi if result is not None else "Kết quả giải quyết thủ tục hành chính").upper()
        html = (
            "<html><head><meta charset='utf-8'><style>@page{size:A5;margin:15mm}"
            "body{font-family:'Noto Serif',serif;font-size:11pt}p,h1{text-align:center}h1{font-size:13pt}"
            "</style></head><body>"
            "<p><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br>Độc lập – Tự do – Hạnh phúc</p>"
            f"<p>{escape(d.processing_agency.name_vi)}</p><h1>{escape(title)}</h1>"
            f"<p>Thủ tục: {escape(version.name_vi)}</p>"
            "<p><i>Bản mẫu của dữ liệu trình diễn, không có giá trị pháp lý.</i></p></body></html>"
        )
        return pdf._html_to_pdf(html)


def _run(plans: list[_Plan], people: dict[str, Any], cut: datetime.datetime) -> int:
    """Every event of every plan before `cut`, all in time order; returns how many failed (a
    failed dossier stops there, with its state as it was)."""
    results = _Results()
    order = sorted(
        [(p.submitted_at, i, -1) for i, p in enumerate(plans)]
        + [(e.at, i, j) for i, p in enumerate(plans) for j, e in enumerate(p.events)]
    )
    failures = 0
    for moment, i, j in order:
        plan = plans[i]
        if moment >= cut or plan.broken or (j >= 0 and plan.dossier is None):
            continue
        try:
            if j < 0:
                plan.dossier, _new = services.dossier_submit(
                    actor=people[plan.by], procedure=plan.procedure, channel=plan.channel, eform=plan.eform,
                    files=_files(plan.procedure, plan.components), applicant=plan.applicant, centre=plan.centre,
                    idempotency_key=plan.key, at=moment,
                )  # fmt: skip
                continue
            event = plan.events[j]
            assert plan.dossier is not None
            code, who = plan.dossier.code, people[event.who]
            if event.action == "apologise":
                assert event.new_due_at is not None
                services.dossier_apologise(actor=who, code=code, reason=event.reason, new_due_at=event.new_due_at,
                                           at=moment)  # fmt: skip
                continue
            kwargs: dict[str, Any] = {"reason": event.reason}
            if event.assignee:
                kwargs["assignee"] = people[event.assignee]
            if event.files:
                kwargs["files"] = _files(plan.procedure, event.files)
            if event.action == "issue_result" and plan.prepared_result:
                kwargs["result"] = results.get(plan.dossier, plan.dossier.outcome)
            plan.dossier = services.dossier_act(actor=who, code=code, action=event.action, at=moment, **kwargs)
        except EgovError as exc:
            failures += 1
            plan.broken = True
            logger.warning("dossiers.demo_event_failed", extra={"key": plan.key, "action": "submit" if j < 0 else
                           plan.events[j].action, "at": moment.isoformat(), "error": str(exc)})  # fmt: skip
    return failures


def _year_citizens(volume: int) -> list[tuple[str, _Person]]:
    """The citizens who file the year's online dossiers: generated accounts (no password, they
    cannot sign in) plus the demo citizens for a few dossiers each. Created on the first run."""
    from egov.accounts import services as accounts

    users = get_user_model().objects
    rng = random.Random(YEAR_SEED + "-citizens")  # noqa: S311 (demo data, not secrets)
    wanted = max(20, min(400, volume // 6))
    existing = {u.username: u for u in users.filter(username__startswith=CITIZEN_PREFIX)}
    out: list[tuple[str, _Person]] = []
    for n in range(1, wanted + 1):
        username = f"{CITIZEN_PREFIX}{n:04d}"
        person = _make_person(rng, serial=f"9{n:05d}", district=n % 3 == 0)
        if username not in existing:
            accounts.user_create_citizen(actor=None, username=username, full_name=person.name,
                                         national_id=person.national_id, phone=person.phone, address=person.address)  # fmt: skip
        out.append((username, person))
    for user in users.filter(username__in=DEMO_CITIZENS).order_by("username"):
        person = _Person(name=str(user.full_name or user.username), national_id=user.national_id or "",
                         phone=user.phone or "", address=user.address or "")  # fmt: skip
        out.extend([(user.username, person)] * max(1, wanted // 80))
    return out


@dataclass
class SeedReport:
    hand_written: int = 0
    year: int = 0
    failures: int = 0
    seconds: float = 0.0
    dossiers: list[Dossier] = field(default_factory=list)


@transaction.atomic
def seed_dossiers(*, actor: Any = None, today: datetime.date | None = None, year: int | None = None) -> list[Dossier]:
    """The demo dossiers (idempotent): the hand-written ones and the demo year of `year` dossiers
    (None: `year_volume()`). `actor` is not used for the dossiers themselves: every action is
    taken by the demo staff member (or citizen) whose job it is. Returns the dossiers created."""
    return seed_report(actor=actor, today=today, year=year).dossiers


def seed_report(*, actor: Any = None, today: datetime.date | None = None, year: int | None = None) -> SeedReport:
    del actor
    began = time.perf_counter()
    today = today or timezone.localdate()
    volume = year_volume() if year is None else year
    report = SeedReport()
    year_plans: list[_Plan] = []
    if volume and not Dossier.objects.filter(idempotency_key__startswith=YEAR_PREFIX).exists():
        citizens = _year_citizens(volume)
        year_plans = _YearPlanner(today=today, volume=volume, citizens=citizens).plans()
    usernames = {s.by for s in DOSSIERS} | _staff() | {p.by for p in year_plans}
    usernames |= {e.who for p in year_plans for e in p.events} | {e.assignee for p in year_plans for e in p.events}
    people = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    hand = _hand_written(today, people)
    year_plans = [p for p in year_plans if all(e.who in people for e in p.events) and p.by in people]
    plans = hand + year_plans
    with tasks.applicant_notices_suppressed():  # past events: no e-mail or SMS about them now
        report.failures = _run(plans, people, datetime.datetime.combine(today, datetime.time(0), TZ))
    report.dossiers = [p.dossier for p in plans if p.dossier is not None]
    report.hand_written = sum(1 for p in hand if p.dossier is not None)
    report.year = sum(1 for p in year_plans if p.dossier is not None)
    report.seconds = time.perf_counter() - began
    if plans:
        logger.info("dossiers.demo_seeded", extra={"hand_written": report.hand_written, "year": report.year,
                                                   "failures": report.failures, "seconds": round(report.seconds, 1)})  # fmt: skip
    return report


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
