"""Search with Vietnamese folding and filters; odd input behaves."""

import unicodedata

import pytest

from egov.procedures import selectors


def _codes(**kwargs):
    return [v.procedure.code for v in selectors.procedure_search(**kwargs)]


@pytest.fixture
def catalogue_db(catalogue):
    return catalogue


def test_folding_finds_vietnamese(catalogue_db):
    assert "1.001612" in _codes(search="dang ky kinh doanh")  # Đăng ký thành lập hộ kinh doanh
    assert "1.001612" in _codes(search="Đăng ký kinh doanh")
    nfd = unicodedata.normalize("NFD", "Đăng ký hộ kinh doanh")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert "1.001612" in _codes(search=nfd)
    assert _codes(search="dang ky khai sinh") == ["1.001193"]
    assert _codes(search="DANG KY KHAI SINH") == ["1.001193"]
    assert "1.004271" in _codes(search="giay phep hoat dong in")
    assert _codes(search="1.004227") == ["1.004227"]  # by code
    assert _codes(search="đ") == _codes(search="d")


def test_filters(catalogue_db):
    assert len(_codes(field="TTTT-BUUCHINH")) == 5
    assert len(_codes(agency="000.00.11.H54")) == 32
    assert len(_codes(agency="H54.11")) == 32  # Decision 20 form
    district = _codes(level="district")
    assert "1.001612" in district
    assert "1.004500" in district
    assert set(_codes(level="commune")) == {"1.001193", "2.000815"}
    assert "1.009974" in _codes(service_level="partial")
    assert "1.009974" in _codes(service_level="2022:partial")
    assert "1.009974" not in _codes(service_level="2022:full")
    assert _codes(search="giay phep", field="TTTT-XUATBAN", level="province")


ODD = ["x" * 10000, "' OR 1=1 --", "%", "_", "\\", "\x00", "q\x00zq", "🙂", "dang ky; DROP TABLE procedures_procedure;"]


def test_odd_queries_behave(catalogue_db):
    for query in ("", "   ", "\x00", "\t\n"):
        assert len(_codes(search=query)) == 43, repr(query)  # every procedure in force today
    for query in ODD[:2] + ODD[3:5] + ODD[6:]:
        assert _codes(search=query) == [], repr(query)
    assert _codes(search="%") == []


def test_unknown_filters_give_nothing(catalogue_db):
    assert _codes(agency="not a code") == []
    assert _codes(field="NOPE") == []
    assert _codes(service_level="2099:zz") == []


def test_only_versions_in_force(catalogue_db):
    import datetime

    # the household business registration had version 1 until 2023-06-30
    old = list(selectors.procedure_search(search="ho kinh doanh", on=datetime.date(2020, 1, 1)))
    assert [v.number for v in old if v.procedure.code == "1.001612"] == [1]
    now = list(selectors.procedure_search(search="ho kinh doanh"))
    assert [v.number for v in now if v.procedure.code == "1.001612"] == [2]
