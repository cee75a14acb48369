"""Type detection: each rule of infokit.report._types, with the rule reported in words."""

from __future__ import annotations

import numpy as np
import pytest

from infokit.report import InvalidTableError, Table
from infokit.report._types import FLAGGED, detect_column, detect_columns

pd = pytest.importorskip("pandas")


def table(**cols):
    return Table(pd.DataFrame(cols), "<test>", "frame", record_lines=np.arange(len(next(iter(cols.values())))) + 2)


def test_empty_column_is_flagged_with_the_fix():
    c = detect_column(table(a=[np.nan] * 30), "a")
    assert c.status == "empty" and c.kind is None and c.missing == 30
    assert "all 30 values are missing" in c.message and "--exclude a" in c.message


def test_single_value_is_constant_not_an_error():
    c = detect_column(table(a=[3.0] * 10 + [np.nan]), "a")
    assert c.status == "constant" and c.status not in FLAGGED and c.missing == 1


def test_booleans_and_few_numbers_are_discrete():
    rng = np.random.default_rng(0)
    t = table(b=rng.random(50) < 0.5, f=rng.choice([0.5, 1.5, 2.5], 50))
    b, f = detect_column(t, "b"), detect_column(t, "f")
    assert (b.kind, f.kind) == ("discrete", "discrete")
    assert "booleans" in b.rule and "3 distinct values (at most 20)" in f.rule
    # discrete columns are encoded as integer codes, -1 for missing
    assert set(np.unique(f.values)) == {0, 1, 2}


def test_integer_levels_are_discrete_when_each_level_has_enough_rows():
    rng = np.random.default_rng(0)
    ages = rng.integers(18, 71, 300)  # 53 levels, 300 rows: ~5.7 rows per level >= 5
    c = detect_column(table(age=ages), "age")
    assert c.kind == "discrete" and "at most 256, at least 5 rows per value" in c.rule
    assert c.n_distinct == np.unique(ages).size


def test_text_is_discrete_and_missing_text_gets_code_minus_one():
    c = detect_column(table(t=["a", "b", None, "a"] * 10), "t")
    assert c.kind == "discrete" and c.missing == 10 and c.rule == "text with 2 distinct values"
    assert (c.values == -1).sum() == 10


def test_text_identifiers_are_flagged():
    ids = [f"user{i:04d}" for i in range(40)]
    c = detect_column(table(uid=ids), "uid")
    assert c.status == "identifier" and c.status in FLAGGED
    assert "40 distinct values in 40 rows" in c.rule and "--exclude uid" in c.message


def test_integer_identifiers_are_flagged_continuous_measurements_are_not():
    rng = np.random.default_rng(0)
    t = table(id=np.arange(1000, 1100), shuffled=rng.permutation(100) + 7,
              amount=rng.choice(10**6, 100, replace=False))
    assert detect_column(t, "id").status == "identifier"
    assert "increasing/decreasing in file order" in detect_column(t, "id").rule
    assert detect_column(t, "shuffled").status == "identifier"  # a dense range 7..106
    assert "filling the range 7..106" in detect_column(t, "shuffled").rule
    # all distinct integers spread over 0..10^6: a measurement, not an identifier
    assert detect_column(t, "amount").kind == "continuous"


def test_numbers_mixed_with_text_are_flagged_with_lines():
    vals = [str(v) for v in np.linspace(0, 1, 30)]
    vals[4] = "n.a."
    c = detect_column(table(x=vals), "x")
    assert c.status == "mixed-type" and c.rule == "29 numeric and 1 text values"
    # data row 4 sits on file line 6 (record_lines = row + 2)
    assert "'n.a.' on line 6" in c.message and "--categorical x" in c.message


def test_point_masses_and_ties_make_a_mixed_column():
    rng = np.random.default_rng(0)
    zero_inflated = np.where(rng.random(400) < 0.3, 0.0, rng.exponential(size=400))
    rounded = np.round(rng.normal(size=400), 2)  # ~230 values for 400 rows: ties, but no value holds 5%
    t = table(z=zero_inflated, r=rounded, c=rng.normal(size=400))
    z, r, c = (detect_column(t, n) for n in "zrc")
    assert z.kind == "mixed" and z.point_mass and "0 alone holds" in z.rule
    assert r.kind == "mixed" and not r.point_mass and "sharing their value" in r.rule
    assert c.kind == "continuous" and "non-integer values" in c.rule


def test_overrides_declare_the_type():
    t = table(x=["1", "2", "a", "b"] * 5, n=[1, 2, 3, 4] * 5)
    cat = detect_column(t, "x", categorical=True)
    assert cat.kind == "discrete" and cat.rule == "declared categorical (4 distinct values)"
    cont = detect_column(t, "n", continuous=True)
    assert cont.kind == "continuous" and cont.rule.startswith("declared continuous")
    with pytest.raises(InvalidTableError, match=r"declared continuous, but 10 values are not numbers .*'a'"):
        detect_column(t, "x", continuous=True)


def test_detect_columns_marks_excluded_columns():
    t = table(a=[1, 2] * 10, b=[0.1 * i for i in range(20)])
    out = detect_columns(t, exclude=("a",))
    assert [(c.name, c.status) for c in out] == [("a", "excluded"), ("b", "ok")]


def test_detection_does_not_modify_the_frame():
    df = pd.DataFrame({"x": ["1", "2", None, "z"] * 10, "y": [1.0, np.nan, 3.0, 4.0] * 10})
    before = df.copy(deep=True)
    detect_columns(Table(df, "<test>"))
    pd.testing.assert_frame_equal(df, before)
