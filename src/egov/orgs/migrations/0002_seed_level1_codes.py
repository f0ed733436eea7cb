"""Seed the level-1 identifier codes: H (provincial People's Committees) and K (provincial
People's Councils) for the 63 pre-2025 provinces, and G22 (Government Office).

The H and K numbers come from the rule of vn-standards §12.1, not from the official list
(Decision 20/2020/QĐ-TTg Annex I was not available as text): the 63 provinces and cities in
alphabetical order with diacritics removed, "Hồ Chí Minh" filed under H. Those rows are marked
inferred. Checked against real codes: H22, H29, H35, H38, H41, H49, H55, H56, H57 (§1.3, §12.1).
Decision 09/2025/QĐ-TTg set H57/K57 for Huế city (verified) and closes the level-1 code of a
province merged into another: H54/K54 (Thái Bình) end on 30 Jun 2025, succeeded by H31/K31
(Hưng Yên). The other 2025 mergers are not recorded yet (docs/contexts/orgs.md).

Data literal on purpose: a migration must not import application code.
"""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2016, 4, 1)  # Circular 10/2016/TT-BTTTT (QCVN 102:2016) was issued on 1 Apr 2016
MERGER_LAST_DAY = datetime.date(2025, 6, 30)

# (number, locality, is a centrally-run city)
PROVINCES = [
    (1, "An Giang", False),
    (2, "Bà Rịa – Vũng Tàu", False),
    (3, "Bắc Giang", False),
    (4, "Bắc Kạn", False),
    (5, "Bạc Liêu", False),
    (6, "Bắc Ninh", False),
    (7, "Bến Tre", False),
    (8, "Bình Định", False),
    (9, "Bình Dương", False),
    (10, "Bình Phước", False),
    (11, "Bình Thuận", False),
    (12, "Cà Mau", False),
    (13, "Cần Thơ", True),
    (14, "Cao Bằng", False),
    (15, "Đà Nẵng", True),
    (16, "Đắk Lắk", False),
    (17, "Đắk Nông", False),
    (18, "Điện Biên", False),
    (19, "Đồng Nai", False),
    (20, "Đồng Tháp", False),
    (21, "Gia Lai", False),
    (22, "Hà Giang", False),
    (23, "Hà Nam", False),
    (24, "Hà Nội", True),
    (25, "Hà Tĩnh", False),
    (26, "Hải Dương", False),
    (27, "Hải Phòng", True),
    (28, "Hậu Giang", False),
    (29, "Hồ Chí Minh", True),
    (30, "Hòa Bình", False),
    (31, "Hưng Yên", False),
    (32, "Khánh Hòa", False),
    (33, "Kiên Giang", False),
    (34, "Kon Tum", False),
    (35, "Lai Châu", False),
    (36, "Lâm Đồng", False),
    (37, "Lạng Sơn", False),
    (38, "Lào Cai", False),
    (39, "Long An", False),
    (40, "Nam Định", False),
    (41, "Nghệ An", False),
    (42, "Ninh Bình", False),
    (43, "Ninh Thuận", False),
    (44, "Phú Thọ", False),
    (45, "Phú Yên", False),
    (46, "Quảng Bình", False),
    (47, "Quảng Nam", False),
    (48, "Quảng Ngãi", False),
    (49, "Quảng Ninh", False),
    (50, "Quảng Trị", False),
    (51, "Sóc Trăng", False),
    (52, "Sơn La", False),
    (53, "Tây Ninh", False),
    (54, "Thái Bình", False),
    (55, "Thái Nguyên", False),
    (56, "Thanh Hóa", False),
    (57, "Thừa Thiên Huế", False),
    (58, "Tiền Giang", False),
    (59, "Trà Vinh", False),
    (60, "Tuyên Quang", False),
    (61, "Vĩnh Long", False),
    (62, "Vĩnh Phúc", False),
    (63, "Yên Bái", False),
]

RULE_NOTE = (
    "Inferred from the rule of vn-standards §12.1 (alphabetical order of the 63 pre-2025 provinces, "
    "diacritics removed, Hồ Chí Minh under H); reconcile with the national axis QĐ20 list."
)
CHECKED = {
    22: "H22 seen on procedure code 3.000181.000.00.00.H22.",
    29: "H29 seen on Hồ Chí Minh City exchange dashboard and procedure codes.",
    35: "H35 seen on Lai Châu procedure codes.",
    38: "H38 Lào Cai: checked point (vn-standards §1.3).",
    41: "H41 Nghệ An: checked point (vn-standards §1.3).",
    49: "H49 Quảng Ninh: decision 3739/QĐ-UBND (2016).",
    55: "H55 Thái Nguyên: checked point (vn-standards §1.3).",
    56: "H56 Thanh Hóa: real dossier codes 000.00.14.H56.",
}
HUE_NOTE = "Decision 09/2025/QĐ-TTg sets {letter}57 for Huế city (Thừa Thiên Huế province until 2024)."
MERGER_NOTE = (
    "Closed on 30 Jun 2025: Thái Bình merged into Hưng Yên (Resolution 202/2025/QH15); "
    "Decision 09/2025/QĐ-TTg keeps the level-1 code of the province whose name is kept ({letter}31)."
)


def _rows():
    for number, locality, city in PROVINCES:
        kind_vi = "thành phố" if city else "tỉnh"
        kind_en = "City" if city else "Province"
        for letter, body_vi, body_en in (
            ("H", "Ủy ban nhân dân", "People's Committee"),
            ("K", "Hội đồng nhân dân", "People's Council"),
        ):
            note = RULE_NOTE
            inferred = True
            if number == 57:
                note = HUE_NOTE.format(letter=letter)
                inferred = False
            elif number in CHECKED and letter == "H":
                note = f"{RULE_NOTE} {CHECKED[number]}"
            if number == 54:
                note = f"{note} {MERGER_NOTE.format(letter=letter)}"
            yield {
                "code": f"{letter}{number:02d}",
                "body_kind": letter,
                "locality": locality,
                "name_vi": f"{body_vi} {kind_vi} {locality}",
                "name_en": f"{body_en} of {locality} {kind_en}",
                "inferred": inferred,
                "source_note": note,
            }
    yield {
        "code": "G22",
        "body_kind": "G",
        "locality": "",
        "name_vi": "Văn phòng Chính phủ",
        "name_en": "Government Office",
        "inferred": False,
        "source_note": "000.00.00.G22 in the national axis (VXP) SDK samples.",
    }


def seed(apps, schema_editor):
    Level1Code = apps.get_model("orgs", "Level1Code")
    for row in _rows():
        Level1Code.objects.update_or_create(code=row["code"], defaults={**row, "valid_from": VALID_FROM})
    for letter in ("H", "K"):
        merged = Level1Code.objects.get(code=f"{letter}54")
        merged.valid_to = MERGER_LAST_DAY
        merged.successor = Level1Code.objects.get(code=f"{letter}31")
        merged.save(update_fields=["valid_to", "successor"])


def unseed(apps, schema_editor):
    Level1Code = apps.get_model("orgs", "Level1Code")
    codes = [row["code"] for row in _rows()]
    Level1Code.objects.filter(code__in=codes).update(successor=None)
    Level1Code.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_agencies_units_memberships")]

    operations = [migrations.RunPython(seed, unseed)]
