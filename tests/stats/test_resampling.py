"""Permutation tests and resampling confidence intervals (infokit.stats)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from infokit.exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError
from infokit.stats import bootstrap_ci, permutation_test, subsample_ci


def _corr(x, y):
    return float(np.corrcoef(x, y)[0, 1])


def _corr_batched(x, y):
    # y has shape (B, n): one correlation per permutation
    xc = (x - x.mean()) / x.std()
    yc = (y - y.mean(axis=-1, keepdims=True)) / y.std(axis=-1, keepdims=True)
    return (yc * xc).mean(axis=-1)


# --------------------------------------------------------------------------------------------- permutation test
def test_permutation_pvalue_is_minimal_under_perfect_dependence():
    # no permutation of a strictly increasing y reaches correlation 1 → p = 1 / (1 + B)
    x = np.arange(50.0)
    res = permutation_test(_corr, x, x.copy(), n_permutations=99, random_state=0)
    assert res.statistic == pytest.approx(1.0)
    assert res.pvalue == pytest.approx(1 / 100)
    assert res.n_permutations == 99


def test_permutation_pvalue_is_never_zero_and_never_above_one():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=30), rng.normal(size=30)
    for alt in ("greater", "less", "two-sided"):
        p = permutation_test(_corr, x, y, n_permutations=19, random_state=2, alternative=alt).pvalue
        assert 1 / 20 <= p <= 1.0


def test_permutation_pvalues_are_uniform_under_the_null():
    # 300 independent null data sets: p-values should be ~U(0,1) (a valid test)
    rng = np.random.default_rng(3)
    ps = []
    for i in range(300):
        x, y = rng.normal(size=40), rng.normal(size=40)
        ps.append(permutation_test(_corr_batched, x, y, n_permutations=199, random_state=i,
                                   vectorized=True).pvalue)
    ps = np.array(ps)
    # KS against U(0,1); the p-values are discrete on a 1/200 grid, far finer than the KS resolution at 300
    assert sps.kstest(ps, "uniform").pvalue > 0.001
    assert abs(np.mean(ps < 0.05) - 0.05) < 0.04  # binomial sd at 300 draws is 0.0126; 3 sd


def test_permutation_pvalue_small_under_dependence():
    rng = np.random.default_rng(4)
    x = rng.normal(size=200)
    y = 0.5 * x + rng.normal(size=200)  # correlation ≈ 0.45: z ≈ 6.3 at n = 200
    assert permutation_test(_corr, x, y, n_permutations=199, random_state=0).pvalue == pytest.approx(1 / 200)


def test_permutation_null_mean_estimates_the_bias_at_independence():
    # E[corr] = 0 under permutation; the null mean of 2000 permutations is within 4/sqrt(n·B) of 0
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=100), rng.normal(size=100)
    res = permutation_test(_corr_batched, x, y, n_permutations=2000, random_state=0, vectorized=True)
    assert abs(res.null_mean) < 4 / math.sqrt(100 * 2000)


def test_permutation_is_deterministic_and_vectorized_matches_loop():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=60), rng.normal(size=60)
    a = permutation_test(_corr, x, y, n_permutations=50, random_state=123)
    b = permutation_test(_corr, x, y, n_permutations=50, random_state=123)
    c = permutation_test(_corr_batched, x, y, n_permutations=50, random_state=123, vectorized=True, batch=7)
    np.testing.assert_array_equal(a.null_distribution, b.null_distribution)
    np.testing.assert_allclose(c.null_distribution, a.null_distribution, atol=1e-12)  # same permutations
    assert a.pvalue == c.pvalue


def test_two_sided_pvalue_doubles_the_smaller_tail():
    rng = np.random.default_rng(7)
    x = rng.normal(size=80)
    y = -0.3 * x + rng.normal(size=80)
    less = permutation_test(_corr, x, y, n_permutations=99, random_state=1, alternative="less").pvalue
    two = permutation_test(_corr, x, y, n_permutations=99, random_state=1, alternative="two-sided").pvalue
    assert two == pytest.approx(min(1.0, 2 * less))


def test_permutation_test_works_with_any_estimator_and_pandas():
    pd = pytest.importorskip("pandas")
    from infokit.estimators import estimate_mutual_information

    x = pd.Series([0, 1] * 30)
    y = pd.Series(["a", "b"] * 30)
    res = permutation_test(lambda a, b: estimate_mutual_information(a, b, method="plugin"), x, y,
                           n_permutations=49, random_state=0)
    assert res.statistic == pytest.approx(math.log(2))  # y is a relabelled copy of a fair coin
    assert res.pvalue == pytest.approx(1 / 50)


def test_permutation_test_rejects_bad_arguments():
    x = np.arange(10.0)
    with pytest.raises(ShapeMismatchError, match="same number of rows"):
        permutation_test(_corr, x, x[:9])
    with pytest.raises(InvalidParameterError, match="`alternative` must be one of"):
        permutation_test(_corr, x, x, alternative="bigger")
    with pytest.raises(InvalidParameterError, match="`n_permutations` must be an integer >= 1"):
        permutation_test(_corr, x, x, n_permutations=0)
    with pytest.raises(InvalidParameterError, match="`statistic` must be callable"):
        permutation_test(3.0, x, x)
    with pytest.raises(InvalidSampleError, match="non-finite"):
        permutation_test(lambda a, b: float("nan") if b[0] != 0 else 1.0, x, x, n_permutations=5,
                         random_state=0)


# --------------------------------------------------------------------------------------------- bootstrap
def test_bootstrap_percentile_interval_of_a_mean_has_the_textbook_width():
    rng = np.random.default_rng(8)
    data = rng.normal(size=400)
    res = bootstrap_ci(np.mean, data, n_resamples=4000, random_state=0)
    # normal theory: half-width 1.96·s/sqrt(n); the bootstrap matches it to ~5 % at B = 4000
    half = 1.96 * data.std(ddof=1) / math.sqrt(400)
    width = res.confidence_interval[1] - res.confidence_interval[0]
    assert width == pytest.approx(2 * half, rel=0.08)
    assert res.standard_error == pytest.approx(data.std(ddof=1) / math.sqrt(400), rel=0.08)
    assert res.estimate == pytest.approx(data.mean())


def test_bootstrap_bca_matches_scipy_on_a_skewed_sample():
    rng = np.random.default_rng(9)
    data = rng.exponential(size=200)
    ours = bootstrap_ci(np.mean, data, n_resamples=5000, method="bca", random_state=0).confidence_interval
    ref = sps.bootstrap((data,), np.mean, n_resamples=5000, method="BCa", random_state=0).confidence_interval
    # both are Monte Carlo approximations of the same interval; their MC error is ~1-2 % of the width
    width = ref.high - ref.low
    assert abs(ours[0] - ref.low) < 0.06 * width
    assert abs(ours[1] - ref.high) < 0.06 * width


def test_bootstrap_basic_reflects_the_percentile_interval():
    rng = np.random.default_rng(10)
    data = rng.exponential(size=100)
    p = bootstrap_ci(np.mean, data, n_resamples=500, method="percentile", random_state=3)
    b = bootstrap_ci(np.mean, data, n_resamples=500, method="basic", random_state=3)
    t = data.mean()
    # same resamples: basic = (2T − hi, 2T − lo)
    assert b.confidence_interval[0] == pytest.approx(2 * t - p.confidence_interval[1])
    assert b.confidence_interval[1] == pytest.approx(2 * t - p.confidence_interval[0])


def test_bootstrap_is_deterministic_and_vectorized_matches_loop():
    rng = np.random.default_rng(11)
    x = rng.normal(size=50)
    a = bootstrap_ci(np.mean, x, n_resamples=200, random_state=5)
    b = bootstrap_ci(np.mean, x, n_resamples=200, random_state=5)
    c = bootstrap_ci(lambda v: v.mean(axis=-1), x, n_resamples=200, random_state=5, vectorized=True)
    assert a.confidence_interval == b.confidence_interval
    np.testing.assert_allclose(c.bootstrap_distribution, a.bootstrap_distribution, atol=1e-12)


def test_bootstrap_paired_and_unpaired_samples():
    rng = np.random.default_rng(12)
    x, y = rng.normal(size=100), rng.normal(1.0, size=80)
    res = bootstrap_ci(lambda a, b: b.mean() - a.mean(), x, y, paired=False, n_resamples=500, random_state=0)
    assert res.confidence_interval[0] < 1.0 < res.confidence_interval[1] + 0.3  # true difference 1
    with pytest.raises(ShapeMismatchError, match="paired=False"):
        bootstrap_ci(lambda a, b: 0.0, x, y)


def test_bootstrap_rejects_bad_arguments():
    x = np.arange(10.0)
    with pytest.raises(InvalidParameterError, match="`confidence_level` must be a confidence level"):
        bootstrap_ci(np.mean, x, confidence_level=95)
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        bootstrap_ci(np.mean, x, method="student")
    with pytest.raises(InvalidParameterError, match="at least one data sample"):
        bootstrap_ci(np.mean)


def test_bootstrap_with_torch_tensor_data():
    torch = pytest.importorskip("torch")
    t = torch.arange(20, dtype=torch.float64)
    res = bootstrap_ci(lambda v: float(v.mean()), t, n_resamples=100, random_state=0)
    assert res.estimate == pytest.approx(9.5)
    assert t.tolist() == list(map(float, range(20)))  # input untouched


# --------------------------------------------------------------------------------------------- half-sampling
def test_subsample_standard_error_of_a_mean_is_sigma_over_sqrt_n():
    rng = np.random.default_rng(13)
    data = rng.normal(size=2000)
    res = subsample_ci(np.mean, data, n_resamples=800, random_state=0)
    # half-sample deviations have variance s²/n; 800 resamples estimate the sd to ~3 %
    assert res.standard_error == pytest.approx(data.std() / math.sqrt(2000), rel=0.12)
    assert res.method == "half-sampling"
    lo, hi = res.confidence_interval
    assert lo < data.mean() < hi


def test_subsample_rejects_too_few_rows():
    with pytest.raises(InvalidSampleError, match="at least 4 rows"):
        subsample_ci(np.mean, np.arange(3.0))


# --------------------------------------------------------------------------------------------- coverage (slow)
@pytest.mark.slow
def test_bootstrap_ci_of_gaussian_mi_covers_the_truth_about_95_percent():
    from infokit.estimators import estimate_mutual_information

    rho, n, reps = 0.6, 300, 200
    truth = -0.5 * math.log(1 - rho**2)
    rng = np.random.default_rng(14)
    hits = 0
    for i in range(reps):
        x = rng.normal(size=n)
        y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=n)
        r = estimate_mutual_information(x, y, method="gaussian", ci=0.95, n_bootstrap=400, random_state=i)
        hits += r.ci[0] <= truth <= r.ci[1]
    # binomial sd of the coverage at 200 reps is 0.015; accept 0.89–0.99 (4 sd below, bootstrap is approximate)
    assert 0.89 <= hits / reps <= 0.99


@pytest.mark.slow
def test_half_sampling_ci_of_ksg_mi_covers_the_truth():
    from infokit.estimators import estimate_mutual_information

    rho, n, reps = 0.6, 1000, 60
    truth = -0.5 * math.log(1 - rho**2)
    rng = np.random.default_rng(15)
    hits = 0
    for i in range(reps):
        x = rng.normal(size=n)
        y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=n)
        r = estimate_mutual_information(x, y, method="ksg", ci=0.95, n_bootstrap=100, random_state=i)
        hits += r.ci[0] <= truth <= r.ci[1]
    # binomial sd at 60 reps is 0.028; half-sampling is approximate → accept >= 0.82 (about 4 sd below 0.95)
    assert hits / reps >= 0.82
