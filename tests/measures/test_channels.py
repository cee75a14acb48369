"""Tests of infokit.measures.channels: channel capacity and rate–distortion by Blahut–Arimoto.

Oracles: closed forms (BSC, BEC, Z-channel, noiseless, circulant "Gaussian" channels; binary Hamming and
Gaussian squared-error rate–distortion), infokit.mutual_information on random inputs, a scalar optimiser
(scipy.optimize) over binary inputs, and the KKT conditions of capacity.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import optimize, stats

import infokit
from infokit.exceptions import (
    ConvergenceWarning,
    InvalidDistributionError,
    InvalidParameterError,
    ShapeMismatchError,
)
from infokit.measures import channels

LN2 = math.log(2.0)
# the default stopping gap is 1e-12 nats: a converged capacity is within 1e-12 of the optimum, and closed
# forms are evaluated in float64 to ~1e-16, so 1e-11 leaves a 10x margin
CAP = 1e-11


def h2(e: float) -> float:
    """Binary entropy in bits."""
    return 0.0 if e in (0.0, 1.0) else -e * math.log2(e) - (1 - e) * math.log2(1 - e)


def _random_channel(rng, n_in, n_out, conc=0.5):
    return rng.dirichlet(np.full(n_out, conc), size=n_in)


# ============================================================================================ capacity
@pytest.mark.parametrize("eps", [0.0, 0.01, 0.11, 0.3, 0.5, 0.75])
def test_bsc_capacity_is_one_minus_binary_entropy(eps):
    # C(BSC_ε) = 1 − h(ε) bits, achieved by the uniform input (symmetric channel)
    r = infokit.channel_capacity([[1 - eps, eps], [eps, 1 - eps]], base=2)
    assert r.capacity == pytest.approx(1 - h2(eps), abs=CAP)
    np.testing.assert_allclose(r.input_distribution, [0.5, 0.5], atol=1e-9)  # unique optimum for ε ≠ 1/2
    assert r.converged and r.unit == "bits"


@pytest.mark.parametrize("eps", [0.0, 0.2, 0.5, 0.9])
def test_bec_capacity_is_one_minus_erasure_probability(eps):
    # outputs (0, erasure, 1): C = (1 − ε) bits, uniform input
    r = infokit.channel_capacity([[1 - eps, eps, 0.0], [0.0, eps, 1 - eps]], base=2)
    assert r.capacity == pytest.approx(1 - eps, abs=CAP)


@pytest.mark.parametrize("eps", [0.1, 0.5, 0.9, 0.99])
def test_z_channel_capacity_and_optimal_input_match_closed_form(eps):
    # Z-channel: 0 -> 0; 1 -> 0 w.p. ε, 1 w.p. 1 − ε. With z = ε^{ε/(1−ε)}:
    # C = log2(1 + (1 − ε) z) bits and P*(X = 1) = z / (1 + (1 − ε) z)   (ε = 1/2: C = log2(5/4), P* = 0.4)
    z = eps ** (eps / (1 - eps))
    r = infokit.channel_capacity([[1.0, 0.0], [eps, 1 - eps]], base=2)
    assert r.capacity == pytest.approx(math.log2(1 + (1 - eps) * z), abs=CAP)
    # near the optimum I(p) is quadratic in p − p*, so a 1e-12 gap pins p* only to ~1e-6
    assert r.input_distribution[1] == pytest.approx(z / (1 + (1 - eps) * z), abs=1e-5)


@pytest.mark.parametrize("k", [2, 3, 8, 64])
def test_noiseless_channel_capacity_is_log_k_with_uniform_input(k):
    r = infokit.channel_capacity(np.eye(k))
    assert r.capacity == pytest.approx(math.log(k), abs=CAP)
    np.testing.assert_allclose(r.input_distribution, np.full(k, 1 / k), atol=1e-12)
    assert r.iterations == 0  # the uniform start already meets the bounds (gap 0)


def test_channel_with_identical_rows_has_zero_capacity():
    row = np.array([0.2, 0.5, 0.3])
    r = infokit.channel_capacity(np.tile(row, (4, 1)))
    assert r.capacity == pytest.approx(0.0, abs=1e-15)  # every D(W_x || q) = 0 exactly up to round-off
    np.testing.assert_allclose(r.output_distribution, row, atol=1e-15)


def test_circulant_gaussian_noise_channel_has_capacity_log_k_minus_noise_entropy():
    # Y = X + N mod k with N a wrapped, discretised Gaussian: a symmetric channel, C = log k − H(N)
    k = 16
    grid = np.arange(k)
    noise = sum(stats.norm.pdf(grid + s * k, scale=1.5) for s in (-2, -1, 0, 1, 2))
    noise = noise / noise.sum()
    w = np.array([np.roll(noise, i) for i in range(k)])
    r = infokit.channel_capacity(w)
    assert r.capacity == pytest.approx(math.log(k) - infokit.entropy(noise), abs=CAP)


@given(st.integers(0, 2**32 - 1), st.integers(2, 7), st.integers(2, 7))
def test_capacity_dominates_mutual_information_of_any_input(seed, n_in, n_out):
    rng = np.random.default_rng(seed)
    w = _random_channel(rng, n_in, n_out)
    r = infokit.channel_capacity(w)
    assert r.converged
    # the optimum input reaches the reported capacity (mutual_information is an independent formula)
    joint = r.input_distribution[:, None] * w
    assert infokit.mutual_information(joint) == pytest.approx(r.capacity, abs=1e-10)
    np.testing.assert_allclose(r.output_distribution, r.input_distribution @ w, atol=1e-12)
    for _ in range(5):
        p = rng.dirichlet(np.ones(n_in))
        # C ≥ I(p; W) for every p; the reported value is within `gap` (≤ tol) below C
        assert infokit.mutual_information(p[:, None] * w) <= r.capacity + r.gap + 1e-12


@given(st.integers(0, 2**32 - 1), st.integers(2, 6), st.integers(2, 6))
def test_capacity_satisfies_kkt_conditions(seed, n_in, n_out):
    # optimality: D(W_x || q*) ≤ C for every x, with equality where p*(x) > 0 (Gallager)
    rng = np.random.default_rng(seed)
    w = _random_channel(rng, n_in, n_out)
    r = infokit.channel_capacity(w)
    d = np.array([infokit.kl_divergence(row, r.output_distribution) for row in w])
    assert (d <= r.capacity + r.gap + 1e-12).all()
    used = r.input_distribution > 1e-3
    # on the support the divergences equal C to within the gap (plus round-off of the KL sums)
    np.testing.assert_allclose(d[used], r.capacity, atol=1e-9)


def test_binary_input_capacity_matches_scalar_optimiser():
    rng = np.random.default_rng(42)
    for _ in range(10):
        w = _random_channel(rng, 2, int(rng.integers(2, 6)))

        def neg_mi(a):
            p = np.array([a, 1 - a])
            return -infokit.mutual_information(p[:, None] * w)

        opt = optimize.minimize_scalar(neg_mi, bounds=(0.0, 1.0), method="bounded", options={"xatol": 1e-10})
        # the bounded Brent search stops at xatol 1e-10 in p; I is flat (quadratic) there: ~1e-15 in value
        assert infokit.channel_capacity(w).capacity == pytest.approx(-opt.fun, abs=1e-10)


def test_acceleration_keeps_the_answer_and_cuts_iterations_on_a_slow_channel():
    # the plain iteration contracts by a ratio near 1 on a nearly useless Z-channel (ε = 0.99)
    w = [[1.0, 0.0], [0.99, 0.01]]
    fast = infokit.channel_capacity(w)
    plain = infokit.channel_capacity(w, accelerate=False)
    assert fast.capacity == pytest.approx(plain.capacity, abs=CAP)
    assert fast.converged and plain.converged
    assert plain.iterations > 1000 and fast.iterations < 100  # measured: ~3300 vs ~20


def test_truncated_run_warns_and_still_brackets_the_capacity():
    # ε = 0.5 Z-channel: C = log2(5/4) bits. Any stop gives capacity ≤ C ≤ capacity + gap.
    true_c = math.log2(1.25)
    for max_iter in (1, 2, 3, 5, 8):
        with pytest.warns(ConvergenceWarning, match=r"stopped at max_iter=\d+ with gap"):
            r = infokit.channel_capacity([[1.0, 0.0], [0.5, 0.5]], base=2, max_iter=max_iter)
        assert not r.converged and r.iterations <= max_iter
        assert r.capacity <= true_c + 1e-15 <= r.capacity + r.gap + 2e-15  # float slack on both sides


def test_capacity_base_two_equals_nats_over_ln2_and_tol_is_in_result_units():
    rng = np.random.default_rng(1)
    w = _random_channel(rng, 4, 5)
    nats = infokit.channel_capacity(w)
    bits = infokit.channel_capacity(w, base=2)
    assert bits.capacity == pytest.approx(nats.capacity / LN2, abs=CAP)
    loose = infokit.channel_capacity(w, base=2, tol=1e-3)
    assert loose.gap <= 1e-3 and loose.converged and loose.iterations <= bits.iterations


def test_unused_output_columns_and_normalize_option():
    # an all-zero column carries nothing; normalize=True rescales rows given as counts
    counts = np.array([[9.0, 1.0, 0.0], [1.0, 9.0, 0.0]])
    r = infokit.channel_capacity(counts, normalize=True, base=2)
    assert r.capacity == pytest.approx(1 - h2(0.1), abs=CAP)
    assert r.output_distribution[2] == 0.0


def test_capacity_inputs_are_not_mutated_and_results_are_read_only():
    w = np.array([[0.7, 0.3], [0.2, 0.8]])
    w0 = w.copy()
    r = infokit.channel_capacity(w)
    np.testing.assert_array_equal(w, w0)
    with pytest.raises(ValueError):
        r.input_distribution[0] = 1.0


def test_capacity_validation_errors_name_the_argument():
    with pytest.raises(InvalidDistributionError, match=r"`channel` must be row-stochastic.*row 1 sums to 0\.9"):
        infokit.channel_capacity([[0.5, 0.5], [0.5, 0.4]])
    with pytest.raises(InvalidDistributionError, match=r"`channel` must be non-negative"):
        infokit.channel_capacity([[1.5, -0.5], [0.5, 0.5]])
    with pytest.raises(InvalidDistributionError, match=r"`channel` must contain only finite numbers"):
        infokit.channel_capacity([[np.nan, 1.0], [0.5, 0.5]])
    with pytest.raises(InvalidDistributionError, match=r"`channel` must be a 2-D matrix"):
        infokit.channel_capacity([0.5, 0.5])
    with pytest.raises(InvalidParameterError, match=r"`tol` must be > 0"):
        infokit.channel_capacity(np.eye(2), tol=0.0)
    with pytest.raises(InvalidParameterError, match=r"`max_iter` must be an integer >= 1"):
        infokit.channel_capacity(np.eye(2), max_iter=0)
    with pytest.raises(InvalidParameterError, match=r"`base` must be"):
        infokit.channel_capacity(np.eye(2), base=1)
    with pytest.raises(InvalidParameterError, match=r"`accelerate` must be True or False"):
        infokit.channel_capacity(np.eye(2), accelerate="yes")


# ============================================================================================ rate–distortion
HAMMING = np.array([[0.0, 1.0], [1.0, 0.0]])


@pytest.mark.parametrize("p", [0.5, 0.3, 0.1])
@pytest.mark.parametrize("beta", [2.5, 4.0, 7.0])
def test_binary_hamming_rate_distortion_is_h_p_minus_h_d(p, beta):
    # Bernoulli(p) source, Hamming distortion: R(D) = h(p) − h(D) for D ≤ min(p, 1 − p). The slope is
    # R'(D) = −log((1 − D)/D) nats, so slope −β sits at D = 1/(1 + e^β) (all β here give D < 0.1 ≤ p).
    r = infokit.rate_distortion([p, 1 - p], HAMMING, beta, base=2)
    d_star = 1 / (1 + math.exp(beta))
    assert r.converged
    assert r.distortion == pytest.approx(d_star, abs=1e-9)  # D depends on q*, pinned to ~sqrt(gap)
    assert r.rate == pytest.approx(h2(p) - h2(r.distortion), abs=1e-11)
    assert r.rate == pytest.approx(h2(p) - h2(d_star), abs=1e-9)


def test_binary_source_below_critical_slope_gives_zero_rate_at_dmax():
    # β < log((1 − p)/p) = log(7/3) for p = 0.3: the optimum is R = 0 at D_max = min(p, 1 − p) = 0.3
    r = infokit.rate_distortion([0.3, 0.7], HAMMING, 0.5, base=2)
    assert r.rate == pytest.approx(0.0, abs=1e-12)
    assert r.distortion == pytest.approx(0.3, abs=1e-9)


def test_zero_slope_returns_the_zero_rate_point_of_least_distortion():
    # β = 0: R = 0 and D = min_x̂ Σ_x p(x) d(x, x̂) = min(0.7·1 + 0.3·0, 0.3·1 + 0.7·0) = 0.3
    r = infokit.rate_distortion([0.3, 0.7], HAMMING, 0.0)
    assert (r.rate, r.distortion, r.iterations) == (0.0, pytest.approx(0.3, abs=1e-15), 0)
    np.testing.assert_array_equal(r.test_channel, [[0.0, 1.0], [0.0, 1.0]])


def test_gaussian_source_with_squared_error_follows_half_log_variance_over_d():
    # discretised N(0, 1) on a fine grid: R(D) = ½ log(σ²/D) and slope −β at D = 1/(2β) (R'(D) = −1/(2D)).
    # The grid step 0.2 and the ±6σ truncation perturb these by < 1e-6 (measured ~1e-9); the certified
    # gap converges slowly on this smooth problem, so tol is 1e-6 nats.
    x = np.linspace(-6.0, 6.0, 61)
    p = stats.norm.pdf(x)
    p /= p.sum()
    var = float(p @ x**2)
    d = (x[:, None] - x[None, :]) ** 2
    for beta in (1.0, 5.0):
        r = infokit.rate_distortion(p, d, beta, tol=1e-6, max_iter=5000)
        assert r.converged and r.gap <= 1e-6
        assert r.distortion == pytest.approx(1 / (2 * beta), rel=1e-4)
        assert r.rate == pytest.approx(0.5 * math.log(var / r.distortion), abs=1e-4)


@given(st.integers(0, 2**32 - 1), st.integers(2, 6), st.integers(2, 6), st.floats(0.2, 8.0))
def test_rate_distortion_result_is_consistent_with_its_test_channel(seed, m, k, beta):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(m))
    dist = rng.random((m, k)) * 3
    r = infokit.rate_distortion(p, dist, beta)
    q = r.test_channel
    np.testing.assert_allclose(q.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.output_distribution, p @ q, atol=1e-12)
    # rate = I(X; X̂) of the joint p(x) Q(x̂|x) by the independent joint-table formula; distortion = E d
    assert r.rate == pytest.approx(infokit.mutual_information(p[:, None] * q), abs=1e-10)
    assert r.distortion == pytest.approx(float((p[:, None] * q * dist).sum()), abs=1e-12)
    # R(D) ≤ H(X): the rate never exceeds the source entropy (it is an achievable I(X; X̂))
    assert r.rate <= infokit.entropy(p) + 1e-12


def test_rate_distortion_curve_is_monotone_convex_and_matches_single_points():
    p = np.array([0.2, 0.5, 0.3])
    dist = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 1.0], [2.0, 1.0, 0.0]])
    betas = np.array([0.5, 1.0, 2.0, 3.0, 5.0, 8.0])
    c = infokit.rate_distortion_curve(p, dist, betas[::-1])  # any order; results follow the given order
    rates, ds = c.rates[::-1], c.distortions[::-1]
    assert c.converged.all()
    assert (np.diff(rates) > 0).all() and (np.diff(ds) < 0).all()
    # convexity: the chord between slopes −β_i and −β_{i+1} has a slope in [−β_{i+1}, −β_i]
    chords = np.diff(rates) / np.diff(ds)
    assert ((chords <= -betas[:-1] + 1e-7) & (chords >= -betas[1:] - 1e-7)).all()  # 1e-7: tol/ΔD round-off
    for b, rate in zip(betas, rates):
        single = infokit.rate_distortion(p, dist, b)
        assert single.rate == pytest.approx(rate, abs=1e-10)  # two converged runs, each within 1e-12 of R


def test_rate_distortion_acceleration_agrees_with_plain_iteration():
    rng = np.random.default_rng(9)
    p = rng.dirichlet(np.ones(5))
    dist = rng.random((5, 4))
    fast = infokit.rate_distortion(p, dist, 3.0)
    plain = infokit.rate_distortion(p, dist, 3.0, accelerate=False)
    assert fast.rate == pytest.approx(plain.rate, abs=1e-10)
    assert fast.distortion == pytest.approx(plain.distortion, abs=1e-8)


def test_rate_distortion_truncated_run_warns_and_brackets_the_curve():
    # Bernoulli(0.3), Hamming: R(D) = h(0.3) − h(D) nats for D ≤ 0.3. Whatever the stop, the returned point
    # satisfies rate − gap ≤ R(distortion) ≤ rate (upper bound: an achievable I; lower: Blahut's dual bound).
    def r_of_d(dd):
        return -sum(v * math.log(v) for v in (0.3, 0.7)) + dd * math.log(dd) + (1 - dd) * math.log(1 - dd)

    for max_iter in (1, 2, 3, 4):
        with pytest.warns(ConvergenceWarning, match=rf"rate_distortion stopped at max_iter={max_iter}"):
            r = infokit.rate_distortion([0.3, 0.7], HAMMING, 3.0, max_iter=max_iter)
        assert not r.converged and r.gap > 1e-12 and 0 < r.distortion < 0.3
        assert r.rate - r.gap - 1e-15 <= r_of_d(r.distortion) <= r.rate + 1e-15  # float slack


def test_rate_distortion_inputs_are_not_mutated():
    p = np.array([0.25, 0.75])
    d = HAMMING.copy()
    infokit.rate_distortion(p, d, 2.0)
    infokit.rate_distortion_curve(p, d, [1.0, 2.0])
    np.testing.assert_array_equal(p, [0.25, 0.75])
    np.testing.assert_array_equal(d, HAMMING)


def test_rate_distortion_validation_errors_name_the_argument():
    with pytest.raises(ShapeMismatchError, match=r"`distortion` must have one row per source letter \(2 rows"):
        infokit.rate_distortion([0.5, 0.5], np.zeros((3, 2)), 1.0)
    with pytest.raises(InvalidParameterError, match=r"`distortion` must be finite.*index \(0, 1\)"):
        infokit.rate_distortion([0.5, 0.5], [[0.0, np.inf], [1.0, 0.0]], 1.0)
    with pytest.raises(InvalidParameterError, match=r"`beta` must be >= 0"):
        infokit.rate_distortion([0.5, 0.5], HAMMING, -1.0)
    with pytest.raises(InvalidDistributionError, match=r"`p_x` must sum to 1"):
        infokit.rate_distortion([0.5, 0.6], HAMMING, 1.0)
    with pytest.raises(InvalidParameterError, match=r"`betas\[1\]` must be >= 0"):
        infokit.rate_distortion_curve([0.5, 0.5], HAMMING, [1.0, -2.0])
    with pytest.raises(InvalidParameterError, match=r"`betas` must be a 1-D sequence"):
        infokit.rate_distortion_curve([0.5, 0.5], HAMMING, [[1.0]])


def test_module_exports_match_public_names():
    for name in channels.__all__:
        assert getattr(infokit.measures, name) is getattr(channels, name)


def test_no_runtime_warnings_on_extreme_inputs():
    # large β·d and near-deterministic channels drive probabilities to underflow: no NaN, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = infokit.rate_distortion([0.5, 0.5], [[0.0, 1000.0], [1000.0, 0.0]], 5.0)
        assert r.rate == pytest.approx(math.log(2), abs=1e-12) and r.distortion < 1e-300
        c = infokit.channel_capacity([[1.0, 0.0, 0.0], [1e-300, 1.0 - 1e-300, 0.0], [0.0, 0.0, 1.0]])
        assert c.capacity == pytest.approx(math.log(3), abs=CAP)
