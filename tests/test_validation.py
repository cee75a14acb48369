"""Input validation: the helpers of infokit._validation / _units, and the messages every public measure gives."""

from __future__ import annotations

import math

import numpy as np
import pytest

import infokit
from infokit._units import check_base, to_base, unit_name
from infokit._validation import (
    as_float_array,
    check_alpha,
    check_axis,
    check_choice,
    check_joint,
    check_logits,
    check_nonneg_float,
    check_pmf,
    check_positive_int,
    check_probability,
    check_same_shape,
    default_atol,
)
from infokit.exceptions import (
    InfokitError,
    InvalidDistributionError,
    InvalidInputTypeError,
    InvalidParameterError,
    ShapeMismatchError,
)

# every public measure of one pmf (p first) and of two pmfs (p, q first)
SINGLE = [infokit.entropy, infokit.renyi_entropy, infokit.tsallis_entropy]
PAIR = [infokit.kl_divergence, infokit.cross_entropy, infokit.js_divergence, infokit.renyi_divergence,
        infokit.cs_divergence, infokit.total_variation, infokit.hellinger, infokit.chi2_divergence]
WITH_BASE = [infokit.entropy, infokit.renyi_entropy, infokit.kl_divergence, infokit.cross_entropy,
             infokit.js_divergence, infokit.renyi_divergence, infokit.cs_divergence]
GOOD = [0.25, 0.75]

BAD_PMFS = [
    # (value, exception, message pattern)
    ([0.5, math.nan], InvalidDistributionError,
     r"`{n}` must contain only finite numbers; got 1 non-finite value\(s\) \(1 NaN, 0 inf\), the first at index \(1,\)"),
    ([math.inf, 0.5], InvalidDistributionError, r"`{n}` must contain only finite numbers; .*\(0 NaN, 1 inf\)"),
    ([1.5, -0.5], InvalidDistributionError,
     r"`{n}` must be non-negative \(it is a pmf\); got -0.5 at index \(1,\); if these are logits"),
    ([0.5, 0.4], InvalidDistributionError,
     r"`{n}` must sum to 1 along axis -1 \(got 0.9\); pass normalize=True to rescale, or build it with "
     r"infokit.from_counts\(\)"),
    ([], InvalidDistributionError, r"`{n}` must not be empty; got array of shape \(0,\)"),
    (["a", "b"], InvalidInputTypeError, r"`{n}` must be an array of numbers; got dtype <U1"),
    (np.array([0.5, "x"], dtype=object), InvalidInputTypeError,
     r"`{n}` must be an array of numbers; got dtype object \(a ragged list or mixed types\?\)"),
    ("0.5 0.5", InvalidInputTypeError, r"`{n}` must be an array of numbers; got the string '0.5 0.5'"),
    ([0.5 + 0j, 0.5 + 0j], InvalidInputTypeError, r"`{n}` must be real-valued; got complex dtype"),
    ([[0.5], [0.25, 0.25]], InvalidInputTypeError, r"`{n}` must be an array of numbers; could not convert it"),
    (0.5, InvalidDistributionError, r"`{n}` must be an array of probabilities with at least one dimension"),
]


# ---------------------------------------------------------------------------------------- public messages
@pytest.mark.parametrize("fn", SINGLE, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("bad", "exc", "pattern"), BAD_PMFS, ids=[b[2][:30] for b in BAD_PMFS])
def test_single_measures_name_the_argument_and_the_problem(fn, bad, exc, pattern):
    with pytest.raises(exc, match=pattern.format(n="p")):
        fn(bad)


@pytest.mark.parametrize("fn", PAIR, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("bad", "exc", "pattern"), BAD_PMFS, ids=[b[2][:30] for b in BAD_PMFS])
def test_pair_measures_name_the_argument_and_the_problem(fn, bad, exc, pattern):
    # the bad argument is reported by the name the caller used: first as q, then as p
    with pytest.raises(exc, match=pattern.format(n="q")):
        fn(GOOD, bad)
    with pytest.raises(exc, match=pattern.format(n="p")):
        fn(bad, GOOD)


@pytest.mark.parametrize("fn", WITH_BASE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("base", [0, -2, 1, 1.0, math.inf, math.nan])
def test_measures_reject_base_that_is_not_positive_and_not_one(fn, base):
    args = (GOOD,) if fn in SINGLE else (GOOD, GOOD)
    with pytest.raises(InvalidParameterError, match=r"`base` must be a finite number > 0 and != 1 \(2 for bits"):
        fn(*args, base=base)


@pytest.mark.parametrize("fn", WITH_BASE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("base", ["2", True, [2]])
def test_measures_reject_base_of_the_wrong_type(fn, base):
    args = (GOOD,) if fn in SINGLE else (GOOD, GOOD)
    with pytest.raises(InvalidParameterError, match=r"`base` must be a positive real number other than 1"):
        fn(*args, base=base)


@pytest.mark.parametrize("fn", SINGLE + PAIR, ids=lambda f: f.__name__)
def test_measures_reject_bad_axis(fn):
    args = (np.full((2, 2), 0.5),) if fn in SINGLE else (np.full((2, 2), 0.5),) * 2
    with pytest.raises(InvalidParameterError, match=r"`axis`=2 is out of range for an input with 2 dimension\(s\)"):
        fn(*args, axis=2)
    with pytest.raises(InvalidParameterError, match=r"`axis` must be an integer; got 'last'"):
        fn(*args, axis="last")


@pytest.mark.parametrize("fn", SINGLE + PAIR, ids=lambda f: f.__name__)
def test_batched_sum_error_reports_the_worst_slice(fn):
    p = np.array([[0.5, 0.5], [0.5, 0.3], [0.2, 0.8]])
    args = (p,) if fn in SINGLE else (p, np.full((3, 2), 0.5))
    with pytest.raises(InvalidDistributionError, match=r"\(got 0.8\) \(worst slice sums to 0.8, 1 slice\(s\) off\)"):
        fn(*args)


def test_every_infokit_error_is_also_a_builtin_error():
    assert issubclass(InvalidDistributionError, ValueError) and issubclass(InvalidDistributionError, InfokitError)
    assert issubclass(InvalidParameterError, ValueError) and issubclass(ShapeMismatchError, ValueError)
    assert issubclass(InvalidInputTypeError, TypeError) and issubclass(InvalidInputTypeError, InfokitError)
    with pytest.raises(ValueError):  # a plain `except ValueError` catches infokit's errors
        infokit.entropy([0.5, 0.6])


# ---------------------------------------------------------------------------------------- helpers
def test_as_float_array_converts_without_copying_float64_and_never_writes():
    a = np.array([0.5, 0.5])
    assert as_float_array(a, "p") is not None
    assert np.shares_memory(as_float_array(a, "p"), a)  # float64 passes through: no copy
    ints = np.array([1, 2])
    out = as_float_array(ints, "p")
    assert out.dtype == np.float64 and ints.dtype.kind == "i"
    with pytest.raises(InvalidInputTypeError, match=r"`x` is required; got None"):
        as_float_array(None, "x")
    assert as_float_array([], "x", allow_empty=True).size == 0


def test_check_pmf_normalize_returns_a_new_rescaled_array():
    counts = np.array([[1.0, 3.0], [2.0, 2.0]])
    out = check_pmf(counts, "counts", normalize=True)
    np.testing.assert_allclose(out, [[0.25, 0.75], [0.5, 0.5]], atol=1e-15)  # exact binary fractions
    np.testing.assert_array_equal(counts, [[1.0, 3.0], [2.0, 2.0]])
    out0 = check_pmf(counts, "counts", axis=0, normalize=True)
    np.testing.assert_allclose(out0, [[1 / 3, 0.6], [2 / 3, 0.4]], atol=1e-15)
    with pytest.raises(InvalidDistributionError, match=r"cannot be normalised along axis -1: some slices sum to 0"):
        check_pmf([[0.0, 0.0], [1.0, 1.0]], "counts", normalize=True)


def test_check_pmf_default_tolerance_depends_on_precision():
    assert default_atol(np.zeros(1)) == 1e-6
    assert default_atol(np.zeros(1, dtype=np.float32)) == 1e-4
    assert default_atol(np.zeros(1, dtype=np.float16)) == 1e-2
    # a float64 pmf off by 5e-7 passes, by 5e-6 does not
    check_pmf([0.5, 0.5 + 5e-7], "p")
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        check_pmf([0.5, 0.5 + 5e-6], "p")
    check_pmf([0.5, 0.5 + 5e-6], "p", atol=1e-5)


def test_check_joint_sums_over_all_entries():
    j = np.full((2, 3), 1 / 6)
    assert check_joint(j, "joint") is not None
    with pytest.raises(InvalidDistributionError, match=r"`joint` must sum to 1 along axis -1 \(got 2\)"):
        check_joint(j * 2, "joint")
    with pytest.raises(InvalidDistributionError, match=r"`joint` must be a joint table with at least 3 axes"):
        check_joint(j, "joint", min_ndim=3)
    np.testing.assert_allclose(check_joint(j * 2, "joint", normalize=True), j, atol=1e-15)


def test_check_logits_allows_minus_inf_but_not_nan_plus_inf_or_empty_slices():
    check_logits([0.0, -math.inf], "logits", axis=-1)
    with pytest.raises(InvalidDistributionError, match=r"got 1 NaN and 0 \+inf"):
        check_logits([0.0, math.nan], "logits")
    with pytest.raises(InvalidDistributionError, match=r"got 0 NaN and 1 \+inf"):
        check_logits([0.0, math.inf], "logits")
    with pytest.raises(InvalidDistributionError, match=r"got 1 slice\(s\) that are all -inf, the first at index \(1,\)"):
        check_logits([[0.0, 1.0], [-math.inf, -math.inf]], "logits", axis=-1)
    # along axis 0 the same table has no empty slice ... but column 1 of this one has
    check_logits([[0.0, -math.inf], [-math.inf, 1.0]], "logits", axis=0)
    with pytest.raises(InvalidDistributionError, match=r"along axis 0"):
        check_logits([[0.0, -math.inf], [1.0, -math.inf]], "logits", axis=0)
    with pytest.raises(InvalidDistributionError, match=r"must have at least one dimension"):
        check_logits(1.0, "logits")


def test_check_axis_normalises_negative_axes():
    assert check_axis(-1, 3) == 2
    assert check_axis(1, 3) == 1
    assert check_axis(np.int64(-3), 3) == 0
    with pytest.raises(InvalidParameterError, match=r"use -3 <= axis < 3"):
        check_axis(3, 3)
    with pytest.raises(InvalidParameterError, match=r"must be an integer; got True"):
        check_axis(True, 3)


def test_scalar_parameter_checks():
    assert check_alpha(0) == 0.0 and check_alpha(math.inf) == math.inf and check_alpha(np.float32(2)) == 2.0
    with pytest.raises(InvalidParameterError, match=r"`alpha` must be >= 0; got -1"):
        check_alpha(-1)
    with pytest.raises(InvalidParameterError, match=r"`alpha` must be a real number >= 0"):
        check_alpha("2")
    assert check_positive_int(3, "k") == 3
    with pytest.raises(InvalidParameterError, match=r"`k` must be an integer >= 1; got 0"):
        check_positive_int(0, "k")
    with pytest.raises(InvalidParameterError, match=r"`k` must be an integer >= 1; got 2.0"):
        check_positive_int(2.0, "k")
    assert check_nonneg_float(0, "t") == 0.0
    with pytest.raises(InvalidParameterError, match=r"`t` must be > 0; got 0"):
        check_nonneg_float(0, "t", strict=True)
    with pytest.raises(InvalidParameterError, match=r"`t` must be a finite real number; got inf"):
        check_nonneg_float(math.inf, "t")
    assert check_probability(1, "eps") == 1.0
    with pytest.raises(InvalidParameterError, match=r"`eps` must be in \[0, 1\]; got 1.5"):
        check_probability(1.5, "eps")
    assert check_choice("ksg", "method", ("ksg", "kde")) == "ksg"
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of \{'ksg', 'kde'\}; got 'ksg3'"):
        check_choice("ksg3", "method", ("ksg", "kde"))


def test_check_same_shape_names_both_arguments():
    check_same_shape(np.zeros(2), np.zeros(2), "p", "q")
    with pytest.raises(ShapeMismatchError, match=r"`p` and `q` must have the same shape; got \(2,\) and \(2, 1\)"):
        check_same_shape(np.zeros(2), np.zeros((2, 1)), "p", "q")


def test_units_convert_once_from_nats():
    assert check_base(None) is None and check_base(2) == 2.0
    assert to_base(math.log(2), 2) == pytest.approx(1.0, abs=1e-15)  # ln 2 / ln 2, one rounding
    assert to_base(1.5, None) == 1.5 and to_base(1.5, math.e) == 1.5
    assert [unit_name(b) for b in (None, math.e, 2, 10, 3)] == ["nats", "nats", "bits", "hartleys", "log3 units"]
