import pytest
from hypothesis import given
from hypothesis import strategies as st

from egov.orgs.codes import (
    CodeError,
    d20_to_qcvn102,
    is_d20,
    is_qcvn102,
    parse_any,
    qcvn102_to_d20,
)


@pytest.mark.parametrize(
    ("qcvn102", "d20"),
    [
        ("000.00.00.H54", "H54"),
        ("000.00.14.H56", "H56.14"),
        ("000.17.22.H56", "H56.22.17"),
        ("001.17.22.H56", "H56.22.17.001"),
        ("000.00.00.G22", "G22"),
    ],
)
def test_known_examples_convert_both_ways(qcvn102, d20):
    assert qcvn102_to_d20(qcvn102) == d20
    assert d20_to_qcvn102(d20) == qcvn102
    assert parse_any(qcvn102) == parse_any(d20)
    assert parse_any(f" {d20.lower()} ").qcvn102 == qcvn102


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "H54",  # that is the D20 form
        "000.00.00.Z54",  # Z is not a level-1 letter
        "000.00.00.h54",
        "00.00.00.H54",
        "000.0.00.H54",
        "000.00.00.H5",
        "000.00.00.H544",
        "000-00-00-H54",
        "000.17.00.H56",  # level 3 under no level 2
        "001.00.22.H56",  # level 4 under no level 3
        "000.00.00.H54 ",
    ],
)
def test_bad_qcvn102_forms_are_refused(bad):
    assert not is_qcvn102(bad)
    with pytest.raises(CodeError):
        qcvn102_to_d20(bad)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "54.H54",
        "Z54",
        "H5",
        "H54.",
        "H54..01",
        "H54.1",  # groups are 2 digits
        "H54.00",  # an all-zero group
        "H54.01.02.003.04",  # deeper than QCVN 102 can hold
        "H54.01.02.03",  # level 4 is 3 digits
        "H54.AB",
        "h54.01",
        "H54." + "1" * 40,
    ],
)
def test_bad_d20_forms_are_refused(bad):
    assert not is_d20(bad)
    with pytest.raises(CodeError):
        d20_to_qcvn102(bad)


level1 = st.builds(
    lambda letter, n: f"{letter}{n:02d}", st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXY"), st.integers(0, 99)
)
nonzero2 = st.integers(1, 99).map(lambda n: f"{n:02d}")
nonzero3 = st.integers(1, 999).map(lambda n: f"{n:03d}")
groups = st.one_of(
    st.just(()),
    st.tuples(nonzero2),
    st.tuples(nonzero2, nonzero2),
    st.tuples(nonzero2, nonzero2, nonzero3),
)


@given(level1, groups)
def test_d20_round_trip(l1, gs):
    d20 = ".".join([l1, *gs])
    qcvn102 = d20_to_qcvn102(d20)
    assert is_qcvn102(qcvn102)
    assert len(qcvn102) == 13
    assert qcvn102.endswith(l1)
    assert qcvn102_to_d20(qcvn102) == d20


@given(level1, st.integers(0, 999), st.integers(0, 99), st.integers(0, 99))
def test_qcvn102_round_trip_or_refusal(l1, l4, l3, l2):
    code = f"{l4:03d}.{l3:02d}.{l2:02d}.{l1}"
    hierarchical = not ((l2 == 0 and (l3 or l4)) or (l3 == 0 and l4))
    if hierarchical:
        assert d20_to_qcvn102(qcvn102_to_d20(code)) == code
    else:
        with pytest.raises(CodeError):
            qcvn102_to_d20(code)
