"""Demo catalogue for Thái Bình (needs `egov.orgs.demo.seed_thai_binh` first).

- The information-and-communications field with the counts of the 2018 seed article: 38
  procedures, 32 decided by the Department of Information and Communications and 6 by the
  district People's Committees.
- Common high-volume procedures of other departments and levels: enterprise and household
  business registration, construction permit, birth registration, certification of copies.

Every procedure gets fees, time limits, dossier components with a blank form, an internal
process that fits the legal limit, and an e-form. The data goes through `catalogue_import`, so
it is validated like any import, and a second run changes nothing.

NATIONAL CODES ARE ILLUSTRATIVE: they have the real `d.dddddd` shape but, except where a comment
says otherwise, were not checked against the national procedure database. Fees and time limits
are realistic values, not a legal reference.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from egov.procedures import services
from egov.procedures.services import ImportReport

START = datetime.date(2018, 1, 1)
PROVINCE = "000.00.00.H54"
STTTT = "000.00.11.H54"
SKHDT = "000.00.04.H54"
SXD = "000.00.09.H54"
CENTRE = "000.01.01.H54"
DISTRICTS = [f"000.00.{n}.H54" for n in range(21, 29)]
COMMUNES = ["000.02.21.H54", "000.03.21.H54", "000.02.24.H54", "000.03.24.H54", "000.02.28.H54", "000.03.28.H54"]

# (code, name vi, name en)
FIELDS = [
    ("TTTT-BAOCHI", "Báo chí", "Press"),
    ("TTTT-XUATBAN", "Xuất bản, In và Phát hành", "Publishing, printing and distribution"),
    ("TTTT-BUUCHINH", "Bưu chính", "Postal services"),
    ("TTTT-VIENTHONG", "Viễn thông và Internet", "Telecommunications and Internet"),
    ("TTTT-PTTH", "Phát thanh, truyền hình và thông tin điện tử", "Broadcasting and electronic information"),
    ("TTTT-CNTT", "Công nghệ thông tin, điện tử", "Information technology and electronics"),
    ("KHDT-DN", "Thành lập và hoạt động của doanh nghiệp", "Establishment and operation of enterprises"),
    ("KHDT-HKD", "Thành lập và hoạt động của hộ kinh doanh", "Establishment and operation of household businesses"),
    ("XD-HDXD", "Hoạt động xây dựng", "Construction activities"),
    ("TP-HOTICH", "Hộ tịch", "Civil status"),
    ("TP-CHUNGTHUC", "Chứng thực", "Certification"),
]
ICT_FIELDS = {f[0] for f in FIELDS if f[0].startswith("TTTT-")}

# Information and communications, province level (Sở TTTT): 32 procedures.
# (national code — illustrative, name vi, name en, field, working days, fee VND or None, service level)
ICT_PROVINCE: list[tuple[str, str, str, str, int, int | None, str]] = [
    (
        "1.004227",
        "Cấp giấy phép xuất bản bản tin",
        "Licence to publish a newsletter",
        "TTTT-BAOCHI",
        15,
        None,
        "2022:full",
    ),
    (
        "1.004231",
        "Văn bản chấp thuận thay đổi nội dung ghi trong giấy phép xuất bản bản tin",
        "Approval of changes to a newsletter licence",
        "TTTT-BAOCHI",
        7,
        None,
        "2022:full",
    ),
    (
        "1.004233",
        "Cấp giấy phép xuất bản đặc san",
        "Licence to publish a special issue",
        "TTTT-BAOCHI",
        15,
        None,
        "2022:full",
    ),
    (
        "1.004237",
        "Cho phép họp báo (trong nước)",
        "Permission to hold a press conference (domestic)",
        "TTTT-BAOCHI",
        3,
        None,
        "2022:full",
    ),
    (
        "1.004241",
        "Cho phép họp báo (nước ngoài)",
        "Permission to hold a press conference (foreign)",
        "TTTT-BAOCHI",
        3,
        None,
        "2022:partial",
    ),
    (
        "1.004245",
        "Trưng bày tranh, ảnh và các hình thức thông tin khác bên ngoài trụ sở cơ quan đại diện nước ngoài",
        "Display of pictures and other information outside a foreign representative office",
        "TTTT-BAOCHI",
        5,
        None,
        "2022:partial",
    ),
    (
        "1.004250",
        "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Licence to set up an aggregated news website",
        "TTTT-PTTH",
        10,
        None,
        "2022:full",
    ),
    (
        "1.004253",
        "Sửa đổi, bổ sung giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Amendment of an aggregated news website licence",
        "TTTT-PTTH",
        10,
        None,
        "2022:full",
    ),
    (
        "1.004256",
        "Gia hạn giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Renewal of an aggregated news website licence",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004259",
        "Cấp lại giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Re-issue of an aggregated news website licence",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004262",
        "Thông báo thay đổi chủ sở hữu, địa chỉ trụ sở của tổ chức đã được cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
        "Notice of a change of owner or address of a licensed aggregated news website",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004265",
        "Đăng ký thu tín hiệu truyền hình nước ngoài trực tiếp từ vệ tinh",
        "Registration to receive foreign television directly from satellite",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004268",
        "Cấp giấy chứng nhận đăng ký cung cấp dịch vụ trò chơi điện tử G2, G3, G4 trên mạng",
        "Certificate of registration to provide G2, G3, G4 online games",
        "TTTT-PTTH",
        15,
        None,
        "2022:partial",
    ),
    ("1.004271", "Cấp giấy phép hoạt động in", "Printing operation licence", "TTTT-XUATBAN", 10, None, "2022:partial"),
    (
        "1.004274",
        "Cấp lại giấy phép hoạt động in",
        "Re-issue of a printing operation licence",
        "TTTT-XUATBAN",
        7,
        None,
        "2022:full",
    ),
    (
        "1.004277",
        "Đăng ký hoạt động cơ sở in",
        "Registration of a printing establishment",
        "TTTT-XUATBAN",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004280",
        "Thay đổi thông tin đăng ký hoạt động cơ sở in",
        "Change of the registration of a printing establishment",
        "TTTT-XUATBAN",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004283",
        "Cấp giấy phép xuất bản tài liệu không kinh doanh",
        "Licence to publish non-commercial documents",
        "TTTT-XUATBAN",
        10,
        None,
        "2022:full",
    ),
    (
        "1.004286",
        "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
        "Licence to import non-commercial publications",
        "TTTT-XUATBAN",
        5,
        50000,
        "2022:partial",
    ),
    (
        "1.004289",
        "Cấp giấy phép tổ chức triển lãm, hội chợ xuất bản phẩm",
        "Licence to hold a publications exhibition or fair",
        "TTTT-XUATBAN",
        10,
        None,
        "2022:full",
    ),
    (
        "1.004292",
        "Cấp giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm",
        "Certificate of registration to distribute publications",
        "TTTT-XUATBAN",
        10,
        None,
        "2022:full",
    ),
    (
        "1.004295",
        "Cấp lại giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm",
        "Re-issue of a certificate of registration to distribute publications",
        "TTTT-XUATBAN",
        7,
        None,
        "2022:full",
    ),
    (
        "1.004298",
        "Đăng ký nhập khẩu máy photocopy màu, máy in có chức năng photocopy màu",
        "Registration to import colour photocopiers and printers with colour copying",
        "TTTT-XUATBAN",
        5,
        None,
        "2022:full",
    ),
    ("1.004301", "Chuyển nhượng máy in", "Transfer of a printing machine", "TTTT-XUATBAN", 5, None, "2022:full"),
    ("1.004304", "Cấp giấy phép bưu chính", "Postal licence", "TTTT-BUUCHINH", 20, 5000000, "2022:partial"),
    (
        "1.004307",
        "Sửa đổi, bổ sung giấy phép bưu chính",
        "Amendment of a postal licence",
        "TTTT-BUUCHINH",
        10,
        2500000,
        "2022:partial",
    ),
    (
        "1.004310",
        "Cấp lại giấy phép bưu chính khi hết hạn",
        "Re-issue of an expired postal licence",
        "TTTT-BUUCHINH",
        20,
        5000000,
        "2022:partial",
    ),
    (
        "1.004313",
        "Cấp văn bản xác nhận thông báo hoạt động bưu chính",
        "Confirmation of a notice of postal activity",
        "TTTT-BUUCHINH",
        7,
        1000000,
        "2022:full",
    ),
    (
        "1.004316",
        "Cấp lại văn bản xác nhận thông báo hoạt động bưu chính",
        "Re-issue of the confirmation of a notice of postal activity",
        "TTTT-BUUCHINH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004319",
        "Chấp thuận phương án xây dựng, lắp đặt công trình viễn thông thụ động",
        "Approval of a plan to build passive telecommunications works",
        "TTTT-VIENTHONG",
        10,
        None,
        "2022:partial",
    ),
    (
        "1.004322",
        "Cấp giấy phép thiết lập mạng viễn thông dùng riêng trong phạm vi tỉnh",
        "Licence to set up a private telecommunications network in the province",
        "TTTT-VIENTHONG",
        15,
        1000000,
        "2022:partial",
    ),
    (
        "1.004325",
        "Xác nhận hồ sơ đề nghị hưởng ưu đãi đối với sản phẩm phần mềm sản xuất trong tỉnh",
        "Confirmation of eligibility for software product incentives",
        "TTTT-CNTT",
        10,
        None,
        "2022:full",
    ),
]

# Information and communications, district level (UBND cấp huyện): 6 procedures.
ICT_DISTRICT: list[tuple[str, str, str, str, int, int | None, str]] = [
    (
        "1.004500",
        "Cấp giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Certificate for a public online-games point",
        "TTTT-PTTH",
        5,
        200000,
        "2022:partial",
    ),
    (
        "1.004503",
        "Sửa đổi, bổ sung giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Amendment of the certificate for a public online-games point",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004506",
        "Gia hạn giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Renewal of the certificate for a public online-games point",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004509",
        "Cấp lại giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng",
        "Re-issue of the certificate for a public online-games point",
        "TTTT-PTTH",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004512",
        "Khai báo hoạt động cơ sở dịch vụ photocopy",
        "Declaration of a photocopy service shop",
        "TTTT-XUATBAN",
        5,
        None,
        "2022:full",
    ),
    (
        "1.004515",
        "Thay đổi thông tin khai báo hoạt động cơ sở dịch vụ photocopy",
        "Change of the declaration of a photocopy service shop",
        "TTTT-XUATBAN",
        5,
        None,
        "2022:full",
    ),
]

ICT_LEGAL = {
    "TTTT-BAOCHI": [("103/2016/QH13", "Luật Báo chí"), ("18/2016/TT-BTTTT", "Thông tư hướng dẫn Luật Báo chí")],
    "TTTT-PTTH": [("72/2013/NĐ-CP", "Nghị định quản lý, cung cấp, sử dụng dịch vụ Internet và thông tin trên mạng")],
    "TTTT-XUATBAN": [("19/2012/QH13", "Luật Xuất bản"), ("60/2014/NĐ-CP", "Nghị định quy định về hoạt động in")],
    "TTTT-BUUCHINH": [("49/2010/QH12", "Luật Bưu chính"), ("47/2011/NĐ-CP", "Nghị định hướng dẫn Luật Bưu chính")],
    "TTTT-VIENTHONG": [("41/2009/QH12", "Luật Viễn thông")],
    "TTTT-CNTT": [("67/2006/QH11", "Luật Công nghệ thông tin")],
}

APPLICANT_CITIZEN: dict[str, Any] = {
    "ho_ten": {"type": "string", "title": "Họ và tên", "x-title-en": "Full name", "minLength": 2, "maxLength": 150},
    "so_dinh_danh": {
        "type": "string",
        "title": "Số định danh cá nhân",
        "x-title-en": "Personal identification number",
        "description": "12 chữ số trên thẻ căn cước",
        "x-description-en": "The 12 digits on the identity card",
        "pattern": "^[0-9]{12}$",
    },
    "dien_thoai": {"type": "string", "title": "Số điện thoại", "x-title-en": "Phone", "pattern": "^[0-9+ ]{8,15}$"},
    "email": {"type": "string", "title": "Thư điện tử", "x-title-en": "E-mail", "format": "email"},
    "dia_chi": {"type": "string", "title": "Địa chỉ thường trú", "x-title-en": "Permanent address", "maxLength": 300},
}
APPLICANT_ORGANISATION: dict[str, Any] = {
    "ten_to_chuc": {"type": "string", "title": "Tên tổ chức", "x-title-en": "Organisation name", "maxLength": 300},
    "ma_so_doanh_nghiep": {
        "type": "string",
        "title": "Mã số doanh nghiệp",
        "x-title-en": "Enterprise code",
        "pattern": "^[0-9]{10}(-[0-9]{3})?$",
    },
    "nguoi_dai_dien": {
        "type": "string",
        "title": "Người đại diện theo pháp luật",
        "x-title-en": "Legal representative",
    },
    "dien_thoai": APPLICANT_CITIZEN["dien_thoai"],
    "email": APPLICANT_CITIZEN["email"],
    "dia_chi": {"type": "string", "title": "Địa chỉ trụ sở", "x-title-en": "Head office address", "maxLength": 300},
}


def _eform(
    title: str,
    title_en: str,
    subjects: list[str],
    extra: dict[str, Any],
    required_extra: list[str],
    attachments: list[str],
) -> dict[str, Any]:
    applicant = APPLICANT_ORGANISATION if subjects == ["organisation"] else APPLICANT_CITIZEN
    required = (
        ["ten_to_chuc", "dien_thoai"] if subjects == ["organisation"] else ["ho_ten", "so_dinh_danh", "dien_thoai"]
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "x-title-en": title_en,
        "type": "object",
        "properties": {**applicant, **extra},
        "required": required + required_extra,
        "x-attachments": attachments,
    }


def _steps(days: int | float, agency: str, unit: str, *, case: str = "") -> list[dict[str, Any]]:
    """Receive (half a day) → appraise → leader decides (1 day) → clerk issues (half a day): fits
    `days` exactly. Under 3 days, in hours."""
    if days < 3:
        hours = days * 8
        plan = [
            ("Tiếp nhận, kiểm tra hồ sơ", "Receive and check the dossier", "one_stop_officer", "", 1),
            ("Thẩm định, đề xuất", "Examine and propose", "specialist", agency, hours - 4),
            ("Phê duyệt, ký kết quả", "Approve and sign", "leader", agency, 2),
            ("Vào sổ, đóng dấu, chuyển trả kết quả", "Register, stamp and return the result", "clerk", agency, 1),
        ]
        unit_name = "working_hours"
    else:
        plan = [
            ("Tiếp nhận, kiểm tra hồ sơ", "Receive and check the dossier", "one_stop_officer", "", 0.5),
            ("Thẩm định, đề xuất", "Examine and propose", "specialist", agency, days - 2),
            ("Phê duyệt, ký kết quả", "Approve and sign", "leader", agency, 1),
            ("Vào sổ, đóng dấu, chuyển trả kết quả", "Register, stamp and return the result", "clerk", agency, 0.5),
        ]
        unit_name = "working_days"
    return [
        {
            "case": case,
            "order": i,
            "name_vi": vi,
            "name_en": en,
            "role": role,
            "agency": step_agency,
            "unit": unit if role == "specialist" else "",
            "duration": duration,
            "duration_unit": unit_name,
        }
        for i, (vi, en, role, step_agency, duration) in enumerate(plan, 1)
    ]


def _component(
    code: str,
    n: int,
    vi: str,
    en: str,
    *,
    kind: str = "original",
    required: bool = True,
    form: str = "",
    case: str = "",
) -> dict[str, Any]:
    return {
        "case": case,
        "code": f"{code}-TP{n:02d}",
        "name_vi": vi,
        "name_en": en,
        "copy_kind": kind,
        "count": 1,
        "required": required,
        "form_name": form,
        "form_file": f"procedures/forms/{code}-TP{n:02d}.txt" if form else "",
    }


def _fee(
    amount: int | None,
    name_vi: str = "Phí thẩm định",
    name_en: str = "Appraisal fee",
    kind: str = "fee",
    exemption: str = "",
) -> list[dict[str, Any]]:
    if amount is None:
        return []
    return [
        {
            "name_vi": name_vi,
            "name_en": name_en,
            "kind": kind,
            "amount": amount,
            "currency": "VND",
            "exemption_vi": exemption,
            "exemption_en": "",
        }
    ]


def _channels(
    days: int, fees: list[dict[str, Any]], level: str, *, unit: str = "working_days", case: str = ""
) -> list[dict[str, Any]]:
    kinds = ["in_person", "post", "online"]
    return [
        {
            "case": case,
            "kind": kind,
            "time_limit": days,
            "time_unit": unit,
            "description_vi": {
                "in_person": "Nộp trực tiếp tại Bộ phận Một cửa",
                "post": "Gửi qua dịch vụ bưu chính công ích",
                "online": "Nộp trực tuyến trên Cổng dịch vụ công",
            }[kind],
            "description_en": {
                "in_person": "In person at the one-stop desk",
                "post": "By the public postal service",
                "online": "Online on the public service portal",
            }[kind],
            "fees": fees,
        }
        for kind in kinds
    ]


def _ict(row: tuple[str, str, str, str, int, int | None, str], *, district: bool) -> dict[str, Any]:
    code, name_vi, name_en, field, days, fee, level = row
    agencies = (
        [{"code": d, "role": "implementing"} for d in DISTRICTS]
        if district
        else [
            {"code": STTTT, "role": "implementing"},
            {"code": STTTT, "role": "competent"},
        ]
    )
    agency = "" if district else STTTT
    unit = "Phòng Văn hóa và Thông tin" if district else "Phòng Thông tin – Báo chí – Xuất bản"
    subjects = ["organisation"] if "doanh" in name_vi or "bưu chính" in name_vi else ["citizen", "organisation"]
    components = [
        _component(
            code,
            1,
            f"Đơn đề nghị {name_vi[0].lower()}{name_vi[1:]} (theo mẫu)",
            f"Application: {name_en.lower()} (form)",
            form="Mẫu đơn đề nghị",
        ),
        _component(
            code,
            2,
            "Bản sao giấy tờ chứng minh tư cách pháp nhân của tổ chức",
            "Copy of the organisation's legal documents",
            kind="certified_copy",
            required="organisation" in subjects,
        ),
        _component(code, 3, "Tài liệu thuyết minh, đề án", "Explanatory documents", kind="original", required=False),
    ]
    return {
        "code": code,
        "instance_code": f"{code}.000.00.00.H54",
        "version": 1,
        "status": "published",
        "effective_from": START.isoformat(),
        "effective_to": None,
        "name_vi": name_vi,
        "name_en": name_en,
        "field": field,
        "level": "district" if district else "province",
        "subjects": subjects,
        "service_level": level,
        "partial_reason": "Phải xuất trình bản gốc giấy tờ hoặc kiểm tra thực tế tại cơ sở"
        if level.endswith("partial")
        else "",
        "implementation_steps_vi": "Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ.\nBước 2: Nộp hồ sơ tại Bộ phận Một cửa hoặc trực tuyến.\nBước 3: Cơ quan thẩm định hồ sơ và trả kết quả.",
        "implementation_steps_en": "Step 1: prepare the dossier.\nStep 2: file it at the one-stop desk or online.\nStep 3: the agency examines it and returns the result.",
        "requirements_vi": "",
        "requirements_en": "",
        "agencies": agencies,
        "cases": [],
        "channels": _channels(days, _fee(fee), level),
        "components": components,
        "results": [{"code": f"KQ.{code}", "name_vi": name_vi.replace("Cấp ", "").capitalize(), "name_en": name_en}],
        "legal_bases": [{"number": n, "title": t} for n, t in ICT_LEGAL[field]],
        "steps": _steps(days, agency, unit),
        "eform_schema": _eform(
            name_vi,
            name_en,
            subjects,
            {
                "noi_dung_de_nghi": {
                    "type": "string",
                    "title": "Nội dung đề nghị",
                    "x-title-en": "What is requested",
                    "maxLength": 2000,
                }
            },
            ["noi_dung_de_nghi"],
            [components[0]["code"]],
        ),
    }


def _household_business() -> list[dict[str, Any]]:
    # 1.001612: Đăng ký thành lập hộ kinh doanh (national code as known; unverified).
    code = "1.001612"
    components = [
        _component(
            code,
            1,
            "Giấy đề nghị đăng ký hộ kinh doanh",
            "Application for household business registration",
            form="Phụ lục III-1, Thông tư 02/2023/TT-BKHĐT",
        ),
        _component(
            code,
            2,
            "Bản sao biên bản họp thành viên hộ gia đình (nếu các thành viên cùng đăng ký)",
            "Copy of the family members' meeting minutes (if registering together)",
            kind="copy",
            required=False,
        ),
        _component(
            code,
            3,
            "Bản sao văn bản ủy quyền của thành viên hộ gia đình cho một thành viên làm chủ hộ kinh doanh",
            "Copy of the family members' authorisation of the head of the business",
            kind="copy",
            required=False,
        ),
    ]
    base = {
        "code": code,
        "instance_code": f"{code}.000.00.00.H54",
        "name_vi": "Đăng ký thành lập hộ kinh doanh",
        "name_en": "Registration of a household business",
        "field": "KHDT-HKD",
        "level": "district",
        "subjects": ["citizen"],
        "implementation_steps_vi": "Bước 1: Chủ hộ kinh doanh nộp hồ sơ tại Bộ phận Một cửa cấp huyện hoặc trực tuyến.\nBước 2: Phòng Tài chính – Kế hoạch kiểm tra và cấp Giấy chứng nhận đăng ký hộ kinh doanh trong 03 ngày làm việc.",
        "implementation_steps_en": "Step 1: the head of the business files the dossier at the district one-stop desk or online.\nStep 2: the Finance and Planning Division checks it and issues the certificate within 3 working days.",
        "requirements_vi": "Tên hộ kinh doanh không trùng với tên hộ kinh doanh đã đăng ký trong phạm vi cấp huyện; ngành nghề không bị cấm kinh doanh.",
        "requirements_en": "The name is not already registered in the district; the trade is not prohibited.",
        "agencies": [{"code": d, "role": "implementing"} for d in DISTRICTS],
        "cases": [],
        "components": components,
        "results": [
            {
                "code": "KQ.HKD.001",
                "name_vi": "Giấy chứng nhận đăng ký hộ kinh doanh",
                "name_en": "Household business registration certificate",
            }
        ],
        "legal_bases": [
            {"number": "01/2021/NĐ-CP", "title": "Nghị định về đăng ký doanh nghiệp"},
            {
                "number": "02/2023/TT-BKHĐT",
                "title": "Thông tư sửa đổi Thông tư 01/2021/TT-BKHĐT hướng dẫn về đăng ký doanh nghiệp",
            },
        ],
        "steps": _steps(3, "", "Phòng Tài chính – Kế hoạch"),
        "eform_schema": _eform(
            "Đăng ký thành lập hộ kinh doanh",
            "Household business registration",
            ["citizen"],
            {
                "ten_ho_kinh_doanh": {
                    "type": "string",
                    "title": "Tên hộ kinh doanh",
                    "x-title-en": "Business name",
                    "maxLength": 200,
                },
                "nganh_nghe": {"type": "string", "title": "Ngành, nghề kinh doanh", "x-title-en": "Line of business"},
                "von_kinh_doanh": {
                    "type": "integer",
                    "title": "Vốn kinh doanh (đồng)",
                    "x-title-en": "Capital (VND)",
                    "minimum": 0,
                },
            },
            ["ten_ho_kinh_doanh", "nganh_nghe", "von_kinh_doanh"],
            [components[0]["code"]],
        ),
    }
    fee = _fee(
        100000,
        "Lệ phí đăng ký hộ kinh doanh",
        "Household business registration charge",
        "charge",
        "Miễn lệ phí khi đăng ký trực tuyến",
    )
    online_free = [{**fee[0], "amount": 0}]
    v1 = {
        **base,
        "version": 1,
        "status": "superseded",
        "effective_from": START.isoformat(),
        "effective_to": "2023-06-30",
        "service_level": "2011:L3",
        "partial_reason": "",
        "channels": _channels(3, fee, "2011:L3")[:2],
    }
    v2 = {
        **base,
        "version": 2,
        "status": "published",
        "effective_from": "2023-07-01",
        "effective_to": None,
        "service_level": "2022:full",
        "partial_reason": "",
        "channels": [*_channels(3, fee, "2022:full")[:2], {**_channels(3, online_free, "2022:full")[2]}],
    }
    return [v1, v2]


def _enterprise() -> dict[str, Any]:
    code = "2.001610"  # illustrative
    components = [
        _component(
            code,
            1,
            "Giấy đề nghị đăng ký doanh nghiệp tư nhân",
            "Application for registration of a sole proprietorship",
            form="Phụ lục I-1",
        ),
        _component(
            code,
            2,
            "Bản sao giấy tờ pháp lý của cá nhân chủ doanh nghiệp",
            "Copy of the owner's identity papers",
            kind="copy",
        ),
    ]
    return {
        "code": code,
        "instance_code": f"{code}.000.00.00.H54",
        "version": 1,
        "status": "published",
        "effective_from": "2021-01-04",
        "effective_to": None,
        "name_vi": "Đăng ký thành lập doanh nghiệp tư nhân",
        "name_en": "Registration of a sole proprietorship",
        "field": "KHDT-DN",
        "level": "province",
        "subjects": ["citizen"],
        "service_level": "2022:full",
        "partial_reason": "",
        "implementation_steps_vi": "Nộp hồ sơ đăng ký kinh doanh tại Phòng Đăng ký kinh doanh hoặc qua Cổng thông tin quốc gia về đăng ký doanh nghiệp.",
        "implementation_steps_en": "File at the Business Registration Division or on the national business registration portal.",
        "requirements_vi": "",
        "requirements_en": "",
        "agencies": [{"code": SKHDT, "role": "implementing"}],
        "cases": [],
        "channels": _channels(
            3,
            _fee(
                50000,
                "Lệ phí đăng ký doanh nghiệp",
                "Business registration charge",
                "charge",
                "Miễn lệ phí khi đăng ký qua mạng điện tử",
            ),
            "2022:full",
        ),
        "components": components,
        "results": [
            {
                "code": "KQ.DN.001",
                "name_vi": "Giấy chứng nhận đăng ký doanh nghiệp",
                "name_en": "Enterprise registration certificate",
            }
        ],
        "legal_bases": [
            {"number": "59/2020/QH14", "title": "Luật Doanh nghiệp"},
            {"number": "01/2021/NĐ-CP", "title": "Nghị định về đăng ký doanh nghiệp"},
        ],
        "steps": _steps(3, SKHDT, "Phòng Đăng ký kinh doanh"),
        "eform_schema": _eform(
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Sole proprietorship registration",
            ["citizen"],
            {
                "ten_doanh_nghiep": {
                    "type": "string",
                    "title": "Tên doanh nghiệp",
                    "x-title-en": "Enterprise name",
                    "maxLength": 200,
                }
            },
            ["ten_doanh_nghiep"],
            [components[0]["code"]],
        ),
    }


def _construction_permit() -> dict[str, Any]:
    code = "1.009974"  # illustrative
    cases = [
        {"code": "TH1", "name_vi": "Xây dựng mới công trình", "name_en": "New construction"},
        {"code": "TH2", "name_vi": "Sửa chữa, cải tạo công trình", "name_en": "Repair or renovation"},
    ]
    fee = _fee(150000, "Lệ phí cấp giấy phép xây dựng", "Construction permit charge", "charge")
    components = [
        _component(
            code,
            1,
            "Đơn đề nghị cấp giấy phép xây dựng",
            "Application for a construction permit",
            form="Mẫu số 01, Phụ lục II, Nghị định 15/2021/NĐ-CP",
        ),
        _component(
            code,
            2,
            "Bản sao giấy tờ chứng minh quyền sử dụng đất",
            "Copy of the land-use right papers",
            kind="certified_copy",
        ),
        _component(code, 3, "Hai bộ bản vẽ thiết kế xây dựng", "Two sets of design drawings", case="TH1"),
        _component(
            code,
            4,
            "Ảnh chụp hiện trạng công trình đề nghị sửa chữa, cải tạo",
            "Photographs of the building to be renovated",
            case="TH2",
        ),
    ]
    steps = [
        {
            "case": "",
            "order": 1,
            "name_vi": "Tiếp nhận, kiểm tra hồ sơ",
            "name_en": "Receive and check the dossier",
            "role": "one_stop_officer",
            "agency": CENTRE,
            "unit": "",
            "duration": 4,
            "duration_unit": "working_hours",
        },
        {
            "case": "TH1",
            "order": 2,
            "name_vi": "Thẩm định hồ sơ, kiểm tra thực địa",
            "name_en": "Appraise, inspect the site",
            "role": "specialist",
            "agency": SXD,
            "unit": "Phòng Quản lý hoạt động xây dựng",
            "duration": 16,
            "duration_unit": "working_days",
        },
        {
            "case": "TH2",
            "order": 2,
            "name_vi": "Thẩm định hồ sơ",
            "name_en": "Appraise the dossier",
            "role": "specialist",
            "agency": SXD,
            "unit": "Phòng Quản lý hoạt động xây dựng",
            "duration": 11,
            "duration_unit": "working_days",
        },
        {
            "case": "",
            "order": 3,
            "name_vi": "Lãnh đạo Sở phê duyệt, ký giấy phép",
            "name_en": "The director approves and signs",
            "role": "leader",
            "agency": SXD,
            "unit": "",
            "duration": 2,
            "duration_unit": "working_days",
        },
        {
            "case": "",
            "order": 4,
            "name_vi": "Vào sổ, đóng dấu, chuyển trả kết quả",
            "name_en": "Register, stamp and return the result",
            "role": "clerk",
            "agency": SXD,
            "unit": "Văn phòng Sở",
            "duration": 4,
            "duration_unit": "working_hours",
        },
    ]
    return {
        "code": code,
        "instance_code": f"{code}.000.00.00.H54",
        "version": 1,
        "status": "published",
        "effective_from": "2021-04-26",
        "effective_to": None,
        "name_vi": "Cấp giấy phép xây dựng đối với công trình cấp I, II",
        "name_en": "Construction permit for grade I and II works",
        "field": "XD-HDXD",
        "level": "province",
        "subjects": ["citizen", "organisation"],
        "service_level": "2022:partial",
        "partial_reason": "Phải kiểm tra thực địa công trình",
        "implementation_steps_vi": "Bước 1: Chủ đầu tư nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh.\nBước 2: Sở Xây dựng thẩm định, kiểm tra thực địa.\nBước 3: Cấp giấy phép xây dựng.",
        "implementation_steps_en": "Step 1: the investor files at the provincial service centre.\nStep 2: the Department of Construction appraises and inspects the site.\nStep 3: the permit is issued.",
        "requirements_vi": "Phù hợp với quy hoạch xây dựng được phê duyệt.",
        "requirements_en": "Consistent with the approved construction plan.",
        "agencies": [{"code": SXD, "role": "implementing"}, {"code": CENTRE, "role": "coordinating"}],
        "cases": cases,
        "channels": _channels(20, fee, "2022:partial", case="TH1")[:2]
        + _channels(15, fee, "2022:partial", case="TH2")[:2],
        "components": components,
        "results": [{"code": "KQ.XD.001", "name_vi": "Giấy phép xây dựng", "name_en": "Construction permit"}],
        "legal_bases": [
            {"number": "50/2014/QH13", "title": "Luật Xây dựng"},
            {
                "number": "15/2021/NĐ-CP",
                "title": "Nghị định quy định chi tiết một số nội dung về quản lý dự án đầu tư xây dựng",
            },
        ],
        "steps": steps,
        "eform_schema": _eform(
            "Đơn đề nghị cấp giấy phép xây dựng",
            "Construction permit application",
            ["citizen", "organisation"],
            {
                "dia_diem": {"type": "string", "title": "Địa điểm xây dựng", "x-title-en": "Building site"},
                "dien_tich_san": {
                    "type": "number",
                    "title": "Tổng diện tích sàn (m²)",
                    "x-title-en": "Total floor area (m²)",
                    "exclusiveMinimum": 0,
                },
                "truong_hop": {"type": "string", "title": "Trường hợp", "x-title-en": "Case", "enum": ["TH1", "TH2"]},
            },
            ["dia_diem", "truong_hop"],
            [components[0]["code"], components[1]["code"]],
        ),
    }


def _commune(
    code: str,
    name_vi: str,
    name_en: str,
    field: str,
    fee: list[dict[str, Any]],
    components: list[dict[str, Any]],
    results: list[dict[str, Any]],
    legal: list[tuple[str, str]],
    extra: dict[str, Any],
    required: list[str],
) -> dict[str, Any]:
    return {
        "code": code,
        "instance_code": f"{code}.000.00.00.H54",
        "version": 1,
        "status": "published",
        "effective_from": START.isoformat(),
        "effective_to": None,
        "name_vi": name_vi,
        "name_en": name_en,
        "field": field,
        "level": "commune",
        "subjects": ["citizen"],
        "service_level": "2022:partial",
        "partial_reason": "Người yêu cầu phải xuất trình bản chính giấy tờ",
        "implementation_steps_vi": "Nộp hồ sơ tại Bộ phận Một cửa của Ủy ban nhân dân cấp xã; nhận kết quả trong ngày làm việc.",
        "implementation_steps_en": "File at the commune People's Committee one-stop desk; the result comes within the working day.",
        "requirements_vi": "",
        "requirements_en": "",
        "agencies": [{"code": c, "role": "implementing"} for c in COMMUNES],
        "cases": [],
        "channels": _channels(1, fee, "2022:partial")[:1] + _channels(1, fee, "2022:partial")[2:],
        "components": components,
        "results": results,
        "legal_bases": [{"number": n, "title": t} for n, t in legal],
        "steps": _steps(1, "", "Công chức Tư pháp – Hộ tịch"),
        "eform_schema": _eform(name_vi, name_en, ["citizen"], extra, required, [components[0]["code"]]),
    }


def _birth_registration() -> dict[str, Any]:
    code = "1.001193"  # Đăng ký khai sinh (national code as known; unverified)
    components = [
        _component(
            code,
            1,
            "Tờ khai đăng ký khai sinh",
            "Birth registration form",
            form="Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
        ),
        _component(code, 2, "Giấy chứng sinh", "Certificate of birth (from the hospital)"),
    ]
    return _commune(
        code,
        "Đăng ký khai sinh",
        "Birth registration",
        "TP-HOTICH",
        _fee(
            8000,
            "Lệ phí đăng ký khai sinh",
            "Birth registration charge",
            "charge",
            "Miễn lệ phí khi đăng ký khai sinh đúng hạn",
        ),
        components,
        [{"code": "KQ.HT.001", "name_vi": "Giấy khai sinh (bản chính)", "name_en": "Birth certificate (original)"}],
        [("60/2014/QH13", "Luật Hộ tịch"), ("123/2015/NĐ-CP", "Nghị định quy định chi tiết Luật Hộ tịch")],
        {
            "ho_ten_tre": {"type": "string", "title": "Họ, chữ đệm, tên của trẻ", "x-title-en": "Child's full name"},
            "ngay_sinh": {
                "type": "string",
                "format": "date",
                "title": "Ngày, tháng, năm sinh",
                "x-title-en": "Date of birth",
            },
            "gioi_tinh": {"type": "string", "enum": ["Nam", "Nữ"], "title": "Giới tính", "x-title-en": "Sex"},
        },
        ["ho_ten_tre", "ngay_sinh", "gioi_tinh"],
    )


def _certification_of_copies() -> dict[str, Any]:
    code = "2.000815"  # Chứng thực bản sao từ bản chính (vn-standards §7.2 example; unverified)
    components = [
        _component(
            code, 1, "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "The original document to copy"
        ),
        _component(code, 2, "Bản sao cần chứng thực", "The copies to certify", kind="copy"),
    ]
    return _commune(
        code,
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Certification of copies from the original",
        "TP-CHUNGTHUC",
        _fee(
            2000,
            "Phí chứng thực bản sao (mỗi trang)",
            "Certification fee (per page)",
            "fee",
            "Từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản",
        ),
        components,
        [{"code": "KQ.CT.001", "name_vi": "Bản sao được chứng thực từ bản chính", "name_en": "Certified copy"}],
        [
            ("23/2015/NĐ-CP", "Nghị định về cấp bản sao, chứng thực"),
            ("226/2016/TT-BTC", "Thông tư quy định phí chứng thực"),
        ],
        {
            "so_ban": {
                "type": "integer",
                "title": "Số bản cần chứng thực",
                "x-title-en": "Number of copies",
                "minimum": 1,
                "maximum": 50,
            }
        },
        ["so_ban"],
    )


def demo_specs() -> list[dict[str, Any]]:
    specs = [_ict(row, district=False) for row in ICT_PROVINCE] + [_ict(row, district=True) for row in ICT_DISTRICT]
    specs += [
        *_household_business(),
        _enterprise(),
        _construction_permit(),
        _birth_registration(),
        _certification_of_copies(),
    ]
    return specs


def _blank_form(path: str, title: str, procedure: str) -> None:
    if default_storage.exists(path):
        return
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "",
        title.upper(),
        f"({procedure})",
        "",
        "Kính gửi: ........................................................",
        "Họ và tên: ........................................................",
        "Số định danh cá nhân: ..............................................",
        "Địa chỉ: ..........................................................",
        "Nội dung đề nghị: .................................................",
        "",
        "                                 ..........., ngày ... tháng ... năm ...",
        "                                          NGƯỜI ĐỀ NGHỊ",
        "                                       (Ký, ghi rõ họ tên)",
    ]
    default_storage.save(path, ContentFile(("\n".join(lines) + "\n").encode("utf-8")))


@transaction.atomic
def seed_procedures(*, actor: Any = None) -> ImportReport:
    """The demo catalogue (idempotent: a second run reports every version unchanged)."""
    for code, name_vi, name_en in FIELDS:
        services.procedure_field_ensure(actor=actor, code=code, name_vi=name_vi, name_en=name_en, valid_from=START)
    specs = demo_specs()
    for spec in specs:
        for component in spec["components"]:
            if component["form_file"]:
                _blank_form(component["form_file"], component["name_vi"], spec["name_vi"])
    return services.catalogue_import(actor=actor, specs=specs)
