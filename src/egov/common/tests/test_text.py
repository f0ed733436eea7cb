import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from egov.common.text import fold, nfc


def test_fold_strips_diacritics_and_maps_d_bar():
    assert fold("Đăng ký kinh doanh") == "dang ky kinh doanh"
    assert fold("  THÁI   BÌNH ") == "thai binh"
    assert fold("Sở Thông tin và Truyền thông") == "so thong tin va truyen thong"
    assert fold("Ủy ban nhân dân tỉnh") == "uy ban nhan dan tinh"


def test_fold_is_the_same_for_nfc_and_nfd_input():
    text = "Thừa Thiên Huế, Hưng Yên, Đồng Tháp"
    assert fold(unicodedata.normalize("NFD", text)) == fold(nfc(text))


@given(st.text())
def test_fold_is_idempotent_and_has_no_combining_marks(value):
    once = fold(value)
    assert fold(once) == once
    assert not any(unicodedata.combining(ch) for ch in once)
    assert "đ" not in once
