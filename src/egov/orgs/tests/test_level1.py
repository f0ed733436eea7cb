"""The seeded level-1 table follows the rule of vn-standards §12.1 and its checked points."""

import datetime

import pytest

from egov.common.text import fold
from egov.orgs.models import Level1Code

pytestmark = pytest.mark.django_db

CHECKED = {
    "H22": "Hà Giang",
    "H29": "Hồ Chí Minh",
    "H31": "Hưng Yên",
    "H35": "Lai Châu",
    "H38": "Lào Cai",
    "H41": "Nghệ An",
    "H49": "Quảng Ninh",
    "H53": "Tây Ninh",
    "H54": "Thái Bình",
    "H55": "Thái Nguyên",
    "H56": "Thanh Hóa",
    "H57": "Thừa Thiên Huế",
}


def test_checked_points():
    rows = {r.code: r.locality for r in Level1Code.objects.filter(body_kind="H")}
    for code, locality in CHECKED.items():
        assert rows[code] == locality


def test_h_numbers_are_the_diacritic_free_alphabetical_order():
    rows = list(Level1Code.objects.filter(body_kind="H"))
    assert len(rows) == 63
    # The rule: sort by the name without diacritics ("Hồ Chí Minh" filed under H as "ho chi minh").
    by_rule = sorted((r.locality for r in rows), key=fold)
    assert [r.locality for r in sorted(rows, key=lambda r: r.code)] == by_rule
    assert [r.code for r in sorted(rows, key=lambda r: r.code)] == [f"H{n:02d}" for n in range(1, 64)]
    # Vietnamese letter order (â after a) would put Lào Cai at 37, which the real code H38 rules out.
    assert by_rule.index("Lào Cai") + 1 == 38


def test_k_codes_follow_the_same_numbering_and_are_inferred():
    h = {r.code[1:]: r.locality for r in Level1Code.objects.filter(body_kind="H")}
    k = {r.code[1:]: r.locality for r in Level1Code.objects.filter(body_kind="K")}
    assert h == k
    k54 = Level1Code.objects.get(code="K54")
    assert k54.inferred
    assert k54.name_vi == "Hội đồng nhân dân tỉnh Thái Bình"


def test_inferred_flags_and_verified_rows():
    assert Level1Code.objects.get(code="H54").inferred is True
    assert Level1Code.objects.get(code="H57").inferred is False
    g22 = Level1Code.objects.get(code="G22")
    assert g22.inferred is False
    assert g22.name_vi == "Văn phòng Chính phủ"
    assert g22.body_kind == "G"
    assert Level1Code.objects.get(code="H29").name_vi == "Ủy ban nhân dân thành phố Hồ Chí Minh"


def test_thai_binh_merged_into_hung_yen_in_2025():
    h54 = Level1Code.objects.get(code="H54")
    assert h54.valid_to == datetime.date(2025, 6, 30)
    assert h54.successor.code == "H31"
    assert h54.in_force_on(datetime.date(2025, 6, 30))
    assert not h54.in_force_on(datetime.date(2025, 7, 1))
    assert Level1Code.objects.get(code="H31").in_force_on(datetime.date(2025, 7, 1))
