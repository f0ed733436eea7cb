"""Thái Bình demo data (the 2018 seed province): administrative units, agencies, internal units
and staff accounts with memberships in every role. Called by `egov seed-demo`; no HTTP.

Idempotent: each row is looked up by its natural key and created, updated (only the fields that
differ) or left alone, through the audited services — a second run writes nothing.

Level-2 and lower codes are **placeholders** (vn-standards §9: each province assigns its own);
the department list is the 2018 one of §9 [R]. Commune GSO codes are illustrative.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from egov.accounts import services as accounts
from egov.orgs import services
from egov.orgs.models import AdministrativeLevel, AdministrativeUnit, Agency, AgencyKind, Membership, Role, Unit

START = datetime.date(2018, 1, 1)
# The province centre was renamed from "Trung tâm Hành chính công tỉnh" to "Trung tâm Phục vụ
# hành chính công tỉnh" after Decree 61/2018; the exact date is illustrative.
CENTRE_RENAMED = datetime.date(2021, 1, 1)
PROVINCE_GSO = "34"
UBND_TINH = "000.00.00.H54"
VP_UBND = "000.00.01.H54"
CENTRE = "000.01.01.H54"
RENAMED = "Đổi tên thành Trung tâm Phục vụ hành chính công (Nghị định 61/2018/NĐ-CP)"

# (GSO code, Vietnamese name, English name, level-2 code group, kind word vi, kind word en)
DISTRICTS = [
    ("336", "Thành phố Thái Bình", "Thái Bình City", "21", "thành phố", "City"),
    ("338", "Huyện Quỳnh Phụ", "Quỳnh Phụ District", "22", "huyện", "District"),
    ("339", "Huyện Hưng Hà", "Hưng Hà District", "23", "huyện", "District"),
    ("340", "Huyện Đông Hưng", "Đông Hưng District", "24", "huyện", "District"),
    ("341", "Huyện Thái Thụy", "Thái Thụy District", "25", "huyện", "District"),
    ("342", "Huyện Tiền Hải", "Tiền Hải District", "26", "huyện", "District"),
    ("343", "Huyện Kiến Xương", "Kiến Xương District", "27", "huyện", "District"),
    ("344", "Huyện Vũ Thư", "Vũ Thư District", "28", "huyện", "District"),
]

# (GSO code — illustrative, district GSO, name, English name, level-3 group under the district)
COMMUNES = [
    ("12442", "336", "Phường Lê Hồng Phong", "Lê Hồng Phong Ward", "02"),
    ("12451", "336", "Phường Kỳ Bá", "Kỳ Bá Ward", "03"),
    ("12775", "340", "Thị trấn Đông Hưng", "Đông Hưng Township", "02"),
    ("12790", "340", "Xã Đông Hợp", "Đông Hợp Commune", "03"),
    ("13171", "344", "Thị trấn Vũ Thư", "Vũ Thư Township", "02"),
    ("13174", "344", "Xã Tam Quang", "Tam Quang Commune", "03"),
]

# (level-2 group, name, English name, abbreviation, kind) — the 18 bodies of vn-standards §9.
PROVINCE_BODIES = [
    ("01", "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee", "VP", AgencyKind.OFFICE),
    ("02", "Sở Nội vụ", "Department of Home Affairs", "SNV", AgencyKind.DEPARTMENT),
    ("03", "Sở Tư pháp", "Department of Justice", "STP", AgencyKind.DEPARTMENT),
    ("04", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "SKHĐT", AgencyKind.DEPARTMENT),
    ("05", "Sở Tài chính", "Department of Finance", "STC", AgencyKind.DEPARTMENT),
    ("06", "Sở Công Thương", "Department of Industry and Trade", "SCT", AgencyKind.DEPARTMENT),
    (
        "07",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        "SNNPTNT",
        AgencyKind.DEPARTMENT,
    ),
    ("08", "Sở Giao thông vận tải", "Department of Transport", "SGTVT", AgencyKind.DEPARTMENT),
    ("09", "Sở Xây dựng", "Department of Construction", "SXD", AgencyKind.DEPARTMENT),
    (
        "10",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        "STNMT",
        AgencyKind.DEPARTMENT,
    ),
    (
        "11",
        "Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        "STTTT",
        AgencyKind.DEPARTMENT,
    ),
    (
        "12",
        "Sở Lao động – Thương binh và Xã hội",
        "Department of Labour, Invalids and Social Affairs",
        "SLĐTBXH",
        AgencyKind.DEPARTMENT,
    ),
    (
        "13",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        "SVHTTDL",
        AgencyKind.DEPARTMENT,
    ),
    ("14", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN", AgencyKind.DEPARTMENT),
    ("15", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "SGDĐT", AgencyKind.DEPARTMENT),
    ("16", "Sở Y tế", "Department of Health", "SYT", AgencyKind.DEPARTMENT),
    ("17", "Thanh tra tỉnh", "Provincial Inspectorate", "TTr", AgencyKind.INSPECTORATE),
    (
        "18",
        "Ban Quản lý các Khu công nghiệp tỉnh",
        "Provincial Industrial Zones Authority",
        "BQLKCN",
        AgencyKind.BOARD,
    ),
]

# (agency code, name, English name, short code)
UNITS = [
    ("000.00.11.H54", "Văn phòng Sở", "Department Office", "VP"),
    ("000.00.11.H54", "Phòng Công nghệ thông tin", "Information Technology Division", "CNTT"),
    ("000.00.11.H54", "Phòng Bưu chính, Viễn thông", "Post and Telecommunications Division", "BCVT"),
    ("000.00.04.H54", "Phòng Đăng ký kinh doanh", "Business Registration Division", "ĐKKD"),
    ("000.00.01.H54", "Phòng Hành chính – Tổ chức", "Administration and Personnel Division", "HCTC"),
    ("000.00.01.H54", "Phòng Kinh tế tổng hợp", "General Economic Affairs Division", "KTTH"),
]


def _district_code(group: str, level3: str = "00") -> str:
    return f"000.{level3}.{group}.H54"


def _changes(obj: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for name, value in wanted.items():
        current = getattr(obj, name)
        if isinstance(current, Agency | AdministrativeUnit | Unit):
            if value is None or getattr(value, "pk", None) != current.pk:
                out[name] = value
        elif current != value:
            out[name] = value
    return out


def _ensure_admin_unit(actor: Any, gso_code: str, **fields: Any) -> AdministrativeUnit:
    unit = AdministrativeUnit.objects.filter(gso_code=gso_code).first()
    if unit is None:
        return services.administrative_unit_create(actor=actor, gso_code=gso_code, **fields)
    changes = _changes(unit, fields)
    return services.administrative_unit_update(actor=actor, unit=unit, **changes) if changes else unit


def _ensure_agency(actor: Any, code: str, valid_from: datetime.date = START, **fields: Any) -> Agency:
    agency = Agency.objects.filter(code=code, valid_from=valid_from).first()
    if agency is None:
        return services.agency_create(actor=actor, code=code, valid_from=valid_from, **fields)
    wanted = {k: v for k, v in fields.items() if k not in ("valid_to", "successor")}
    changes = _changes(agency, wanted)
    return services.agency_update(actor=actor, agency=agency, **changes) if changes else agency


def _ensure_unit(actor: Any, agency: Agency, name_vi: str, name_en: str, short_code: str) -> Unit:
    unit = Unit.objects.filter(agency=agency, short_code=short_code.upper()).first()
    if unit is None:
        return services.unit_create(actor=actor, agency=agency, name_vi=name_vi, name_en=name_en, short_code=short_code)
    changes = _changes(unit, {"name_vi": name_vi, "name_en": name_en, "active": True})
    return services.unit_update(actor=actor, unit=unit, **changes) if changes else unit


@transaction.atomic
def seed_thai_binh(*, actor: Any = None) -> None:
    """Thái Bình province in 2018: units, agencies with placeholder codes, a few internal units."""
    province = _ensure_admin_unit(
        actor,
        PROVINCE_GSO,
        name="Tỉnh Thái Bình",
        name_en="Thái Bình Province",
        level=AdministrativeLevel.PROVINCE,
        parent=None,
        valid_from=START,
    )
    districts: dict[str, AdministrativeUnit] = {}
    for gso, name, name_en, _group, _vi, _en in DISTRICTS:
        districts[gso] = _ensure_admin_unit(
            actor,
            gso,
            name=name,
            name_en=name_en,
            level=AdministrativeLevel.DISTRICT,
            parent=province,
            valid_from=START,
        )
    communes: dict[str, AdministrativeUnit] = {}
    for gso, district_gso, name, name_en, _level3 in COMMUNES:
        communes[gso] = _ensure_admin_unit(
            actor,
            gso,
            name=name,
            name_en=name_en,
            level=AdministrativeLevel.COMMUNE,
            parent=districts[district_gso],
            valid_from=START,
        )

    ubnd = _ensure_agency(
        actor,
        UBND_TINH,
        name_vi="Ủy ban nhân dân tỉnh Thái Bình",
        name_en="People's Committee of Thái Bình Province",
        short_name="UBND tỉnh Thái Bình",
        abbreviation="UBND",
        kind=AgencyKind.PROVINCIAL_PEOPLE_COMMITTEE,
        parent=None,
        administrative_unit=province,
        address="Số 76 Lê Lợi, thành phố Thái Bình, tỉnh Thái Bình",
        website="https://thaibinh.gov.vn",
    )
    bodies: dict[str, Agency] = {}
    for group, name_vi, name_en, abbreviation, kind in PROVINCE_BODIES:
        bodies[group] = _ensure_agency(
            actor,
            f"000.00.{group}.H54",
            name_vi=name_vi,
            name_en=name_en,
            short_name=name_vi.replace("Ủy ban nhân dân", "UBND"),
            abbreviation=abbreviation,
            kind=kind,
            parent=ubnd,
            administrative_unit=province,
        )
    # The province one-stop centre sits in the Office of the People's Committee (Decree 61/2018);
    # one code, two successive bodies: the 2018 centre, then the renamed one.
    centre_fields: dict[str, Any] = {
        "kind": AgencyKind.PUBLIC_ADMINISTRATION_CENTRE,
        "parent": bodies["01"],
        "administrative_unit": province,
    }
    old_centre = _ensure_agency(
        actor,
        CENTRE,
        name_vi="Trung tâm Hành chính công tỉnh Thái Bình",
        name_en="Thái Bình Provincial Public Administration Centre",
        short_name="Trung tâm HCC tỉnh",
        abbreviation="TTHCC",
        **centre_fields,
    )
    if old_centre.valid_to is None:
        old_centre = services.agency_close(
            actor=actor, agency=old_centre, valid_to=CENTRE_RENAMED - datetime.timedelta(days=1), reason=RENAMED
        )
    new_centre = _ensure_agency(
        actor,
        CENTRE,
        valid_from=CENTRE_RENAMED,
        name_vi="Trung tâm Phục vụ hành chính công tỉnh Thái Bình",
        name_en="Thái Bình Provincial Public Administration Service Centre",
        short_name="Trung tâm PVHCC tỉnh",
        abbreviation="TTPVHCC",
        **centre_fields,
    )
    if old_centre.successor_id is None:
        services.agency_set_successor(actor=actor, agency=old_centre, successor=new_centre, reason=RENAMED)

    for gso, name, name_en, group, kind_vi, _kind_en in DISTRICTS:
        place = name.split(" ", 1)[1] if name.startswith("Huyện") else name.replace("Thành phố ", "")
        district = _ensure_agency(
            actor,
            _district_code(group),
            name_vi=f"Ủy ban nhân dân {kind_vi} {place}",
            name_en=f"People's Committee of {name_en}",
            short_name=f"UBND {kind_vi} {place}",
            abbreviation="UBND",
            kind=AgencyKind.DISTRICT_PEOPLE_COMMITTEE,
            parent=ubnd,
            administrative_unit=districts[gso],
        )
        _ensure_agency(
            actor,
            _district_code(group, "01"),
            name_vi=f"Bộ phận Một cửa {kind_vi} {place}",
            name_en=f"One-stop Unit of {name_en}",
            short_name=f"Một cửa {kind_vi} {place}",
            abbreviation="BPMC",
            kind=AgencyKind.ONE_STOP_UNIT,
            parent=district,
            administrative_unit=districts[gso],
        )
        for c_gso, district_gso, c_name, c_name_en, level3 in COMMUNES:
            if district_gso != gso:
                continue
            _ensure_agency(
                actor,
                _district_code(group, level3),
                name_vi=f"Ủy ban nhân dân {c_name[0].lower()}{c_name[1:]}",
                name_en=f"People's Committee of {c_name_en}",
                short_name=f"UBND {c_name[0].lower()}{c_name[1:]}",
                abbreviation="UBND",
                kind=AgencyKind.COMMUNE_PEOPLE_COMMITTEE,
                parent=district,
                administrative_unit=communes[c_gso],
            )

    for code, name_vi, name_en, short_code in UNITS:
        _ensure_unit(actor, Agency.objects.get(code=code, valid_to__isnull=True), name_vi, name_en, short_code)
    _ensure_unit(actor, new_centre, "Bộ phận Tiếp nhận và Trả kết quả", "Reception and Results Desk", "TNTKQ")


# --- staff ---------------------------------------------------------------------------------------


@dataclass
class DemoAccount:
    username: str
    kind: str
    roles: list[str] = field(default_factory=list)
    agency_code: str = ""


# (username, full name, agency code, unit short code, position, roles)
STAFF: list[tuple[str, str, str, str, str, list[str]]] = [
    ("quantri.tinh", "Nguyễn Đức Việt", VP_UBND, "HCTC", "Quản trị hệ thống", [Role.SYSTEM_ADMIN]),
    ("vanthu.stttt", "Trần Thị Bình", "000.00.11.H54", "VP", "Văn thư", [Role.CLERK]),
    ("lanhdao.stttt", "Phạm Minh Châu", "000.00.11.H54", "", "Giám đốc", [Role.LEADER]),
    ("chuyenvien.stttt", "Lê Thị Dung", "000.00.11.H54", "CNTT", "Chuyên viên", [Role.SPECIALIST]),
    ("quantri.stttt", "Vũ Đức Hải", "000.00.11.H54", "CNTT", "Phó Trưởng phòng", [Role.AGENCY_ADMIN, Role.SPECIALIST]),
    ("vanthu.skhdt", "Đặng Thu Hà", "000.00.04.H54", "", "Văn thư", [Role.CLERK]),
    ("lanhdao.skhdt", "Bùi Quang Huy", "000.00.04.H54", "", "Phó Giám đốc", [Role.LEADER]),
    ("chuyenvien.skhdt", "Hoàng Thị Lan", "000.00.04.H54", "ĐKKD", "Chuyên viên", [Role.SPECIALIST]),
    ("quantri.skhdt", "Đỗ Văn Long", "000.00.04.H54", "", "Chuyên viên", [Role.AGENCY_ADMIN]),
    ("vanthu.vpubnd", "Ngô Thị Mai", VP_UBND, "HCTC", "Văn thư", [Role.CLERK]),
    ("lanhdao.vpubnd", "Phan Văn Nam", VP_UBND, "", "Chánh Văn phòng", [Role.LEADER]),
    ("chuyenvien.vpubnd", "Đinh Thị Ngọc", VP_UBND, "KTTH", "Chuyên viên", [Role.SPECIALIST]),
    ("lanhdao.ttpvhcc", "Trịnh Văn Phúc", CENTRE, "", "Giám đốc", [Role.LEADER, Role.AGENCY_ADMIN]),
    ("motcua.ttpvhcc", "Lương Thị Quyên", CENTRE, "TNTKQ", "Công chức tiếp nhận", [Role.ONE_STOP_OFFICER]),
    ("vanthu.donghung", "Tạ Văn Sơn", "000.00.24.H54", "", "Văn thư", [Role.CLERK]),
    ("lanhdao.donghung", "Mai Thị Thảo", "000.00.24.H54", "", "Phó Chủ tịch", [Role.LEADER]),
    ("chuyenvien.donghung", "Cao Văn Thắng", "000.00.24.H54", "", "Chuyên viên", [Role.SPECIALIST, Role.AGENCY_ADMIN]),
    ("motcua.donghung", "Dương Thị Trang", "000.01.24.H54", "", "Công chức một cửa", [Role.ONE_STOP_OFFICER]),
    ("vanthu.donghop", "Hồ Văn Tuấn", "000.03.24.H54", "", "Văn thư", [Role.CLERK, Role.ONE_STOP_OFFICER]),
    ("lanhdao.donghop", "Lại Thị Vân", "000.03.24.H54", "", "Chủ tịch", [Role.LEADER]),
]


def _ensure_user(username: str, full_name: str, password: str) -> Any:
    """Create or refresh a demo staff account through the accounts services (audited)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        return accounts.user_create_staff(actor=None, username=username, full_name=full_name, password=password)
    if user.full_name != full_name:
        accounts.user_update_profile(actor=None, user=user, full_name=full_name)
    if not user.check_password(password):
        accounts.user_set_password(actor=None, user=user, password=password)
    return user


@transaction.atomic
def seed_demo_staff(*, password: str, actor: Any = None) -> list[DemoAccount]:
    """Staff accounts (all with `password`) and their memberships; needs `seed_thai_binh` first."""
    accounts = []
    for username, full_name, code, unit_code, position, roles in STAFF:
        user = _ensure_user(username, full_name, password)
        agency = Agency.objects.get(code=code, valid_to__isnull=True)
        unit = Unit.objects.filter(agency=agency, short_code=unit_code).first() if unit_code else None
        valid_from = max(agency.valid_from, START)
        role_values = sorted(str(r) for r in roles)
        membership = Membership.objects.filter(user_id=user.pk, agency=agency, valid_to__isnull=True).first()
        if membership is None:
            services.membership_create(
                actor=actor,
                user=user,
                agency=agency,
                unit=unit,
                position=position,
                roles=role_values,
                valid_from=valid_from,
                is_primary=True,
            )
        else:
            current_roles = sorted(membership.roles.values_list("role", flat=True))
            if (membership.unit_id, membership.position, current_roles, membership.is_primary) != (
                unit.pk if unit else None,
                position,
                role_values,
                True,
            ):
                services.membership_update(
                    actor=actor,
                    membership=membership,
                    unit=unit,
                    position=position,
                    roles=role_values,
                    is_primary=True,
                )
        accounts.append(DemoAccount(username=username, kind="staff", roles=role_values, agency_code=code))
    return accounts
