"""Kernel estimators (src/infokit/estimators/kernel.py): KDE, matrix-based Rényi, Cauchy–Schwarz, torch versions.

Oracles: scipy.stats.gaussian_kde (resubstitution KDE), explicit normal densities (leave-one-out KDE and the
conditional CS plug-in), full Gram matrices written out as in the CS-IB reference code, scipy's fractional
matrix power and the α = 2 Frobenius identity (matrix Rényi), population limits with derivations in comments,
and numpy ↔ torch parity in float64.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.linalg
import scipy.special
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial.distance import cdist, pdist

from infokit.estimators import kernel as kn
from infokit.exceptions import InvalidParameterError, InvalidSampleError

# Two float64 routes to the same sums / logs of O(n^2) terms: relative round-off ~ n * 1e-16.
TIGHT = 1e-10


def _gram(a, b, sigma):
    """Brute-force Gaussian Gram matrix from scipy's exact pairwise distances."""
    return np.exp(-cdist(a, b, "sqeuclidean") / (2 * sigma**2))


@pytest.fixture
def small_blocks(monkeypatch):
    """Force tiny row blocks so that the streaming code paths run many blocks."""
    monkeypatch.setattr(kn, "_BLOCK_ELEMS", 64)
    monkeypatch.setattr(kn, "_MIN_BLOCK_ROWS", 1)


# ------------------------------------------------------------------------------------------ primitives
def test_gaussian_gram_matches_brute_force_and_has_unit_diagonal():
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal((30, 3)) + 100.0, rng.standard_normal((20, 3)) + 100.0  # far from the origin
    k = kn.gaussian_gram(x, 1.3)
    np.testing.assert_allclose(k, _gram(x, x, 1.3), atol=1e-12)  # centring keeps the offset out of round-off
    np.testing.assert_array_equal(np.diag(k), 1.0)
    np.testing.assert_allclose(kn.gaussian_gram(x, 0.7, y), _gram(x, y, 0.7), atol=1e-12)


def test_median_heuristic_is_median_pairwise_euclidean_distance():
    x = np.random.default_rng(1).standard_normal((101, 2))
    assert kn.median_heuristic(x) == pytest.approx(np.median(pdist(x)), rel=1e-12)
    # pooled two-sample version
    y = x[:40] + 3.0
    assert kn.median_heuristic(x, y) == pytest.approx(np.median(pdist(np.vstack([x, y]))), rel=1e-12)


def test_median_heuristic_ties_and_degenerate_cases():
    # 10 copies of 0 and one point at 2: 45 of the 55 pair distances are 0, so the median is 0; the rule
    # falls back to the median of the nonzero distances (all equal to 2).
    x = np.zeros((11, 1))
    x[-1] = 2.0
    assert kn.median_heuristic(x) == 2.0
    assert kn.median_heuristic(np.ones((5, 2))) == 1.0  # all points equal: any σ gives the same Gram matrix
    assert kn.median_heuristic(np.ones((1, 2))) == 1.0


def test_median_heuristic_uses_fixed_evenly_spaced_subsample_above_2000_rows():
    x = np.random.default_rng(2).standard_normal((2500, 1))
    idx = np.unique(np.linspace(0, 2499, 2000).round().astype(int))
    assert kn.median_heuristic(x) == pytest.approx(np.median(pdist(x[idx])), rel=1e-12)


# ------------------------------------------------------------------------------------------ KDE
@pytest.mark.parametrize("bandwidth", ["scott", "silverman", 0.4])
def test_kde_entropy_resubstitution_matches_scipy_gaussian_kde(bandwidth):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((300, 2)) @ np.array([[1.0, 0.5], [0.0, 0.8]])
    kde = scipy.stats.gaussian_kde(x.T, bw_method=bandwidth)
    oracle = -np.mean(kde.logpdf(x.T))
    assert kn.kde_entropy(x, bandwidth=bandwidth, leave_one_out=False) == pytest.approx(oracle, abs=TIGHT)


def test_kde_entropy_leave_one_out_matches_explicit_normal_densities(small_blocks):
    # f_{-i}(x_i) = 1/(n−1) Σ_{j≠i} N(x_i; x_j, h²Σ̂), h = Scott's factor n^(−1/(d+4)) — written out
    rng = np.random.default_rng(4)
    x = rng.standard_normal((40, 2))
    n, d = x.shape
    h = n ** (-1 / (d + 4))
    cov = h**2 * np.cov(x.T)
    logs = []
    for i in range(n):
        dens = [scipy.stats.multivariate_normal(x[j], cov).pdf(x[i]) for j in range(n) if j != i]
        logs.append(math.log(sum(dens) / (n - 1)))
    assert kn.kde_entropy(x) == pytest.approx(-np.mean(logs), abs=TIGHT)


def test_kde_entropy_leave_one_out_outlier_underflow_is_recomputed_stably():
    # an outlier 50 units away with h = 0.01: every leave-one-out kernel value of the outlier underflows to 0
    # (exponent ≈ −(50/σ̂)²/(2h²) ≈ −1e5), so its log-density must come from the shifted log-sum-exp path;
    # oracle: scipy.special.logsumexp of normal log-pdfs with the same kernel variance h²σ̂².
    x = np.r_[np.linspace(0.0, 1.0, 30), 50.0][:, None]
    n, h = x.shape[0], 0.01
    var = h**2 * np.var(x[:, 0], ddof=1)
    logs = []
    for i in range(n):
        others = np.delete(x[:, 0], i)
        lp = scipy.stats.norm.logpdf(x[i, 0], loc=others, scale=math.sqrt(var))
        logs.append(scipy.special.logsumexp(lp) - math.log(n - 1))
    got = kn.kde_entropy(x, bandwidth=h)
    assert math.isfinite(got)
    assert got == pytest.approx(-np.mean(logs), rel=1e-10)


def test_kde_entropy_standard_normal_close_to_half_log_2pie():
    # n = 4000, Scott: smoothing inflates the variance by (1 + h²), h = 4000^(−1/5) ≈ 0.19, i.e. +0.018 nats,
    # and the estimator's sd is ≈ sqrt(Var log f / n) ≈ 0.011; 0.05 covers both with room.
    x = np.random.default_rng(5).standard_normal((4000, 1))
    assert kn.kde_entropy(x) == pytest.approx(0.5 * math.log(2 * math.pi * math.e), abs=0.05)


def test_kde_entropy_scales_by_log_abs_det():
    # the kernel covariance follows the data covariance, so H(cx) = H(x) + d log|c| exactly (up to round-off)
    x = np.random.default_rng(6).standard_normal((200, 2))
    assert kn.kde_entropy(1000.0 * x) == pytest.approx(kn.kde_entropy(x) + 2 * math.log(1000.0), abs=1e-9)


def test_kde_mi_gaussian_close_to_closed_form_and_independent_near_zero():
    # ρ = 0.8: truth −½ log(0.36) = 0.5108 nats. With kernel covariance ∝ Σ̂ the smoothed Gaussian keeps its
    # correlation, so the remaining error is the plug-in's finite-n bias (+0.01 at n = 2000 in trials) plus
    # sd ≈ 0.02; tolerance 0.06. Independent pair: |I| < 0.03 (about 3 sd).
    rng = np.random.default_rng(7)
    xy = rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], size=2000)
    assert kn.kde_mi(xy[:, :1], xy[:, 1:]) == pytest.approx(-0.5 * math.log(0.36), abs=0.06)
    ind = rng.standard_normal((2000, 2))
    assert abs(kn.kde_mi(ind[:, :1], ind[:, 1:])) < 0.03


def test_kde_mi_with_fixed_factor_equals_entropy_combination():
    # with one fixed factor h for all three KDEs, Î = Ĥ(X) + Ĥ(Y) − Ĥ(X,Y) term by term
    rng = np.random.default_rng(8)
    x = rng.standard_normal((150, 2))
    y = x[:, :1] + rng.standard_normal((150, 1))
    for loo in (True, False):
        combo = (kn.kde_entropy(x, 0.5, loo) + kn.kde_entropy(y, 0.5, loo)
                 - kn.kde_entropy(np.hstack([x, y]), 0.5, loo))
        assert kn.kde_mi(x, y, bandwidth=0.5, leave_one_out=loo) == pytest.approx(combo, abs=TIGHT)


@given(seed=st.integers(0, 2**32 - 1), scale=st.floats(1e-3, 1e3))
def test_kde_mi_invariant_under_affine_maps_of_each_variable(seed, scale):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((60, 1))
    y = np.hstack([x, rng.standard_normal((60, 1))]) + rng.standard_normal((60, 2))
    a = np.array([[1.0, 0.3], [0.0, 2.0]])
    # Mahalanobis distances are invariant under x -> c x A + b, so every KDE term is (up to round-off)
    assert kn.kde_mi(scale * x - 4.0, y @ a) == pytest.approx(kn.kde_mi(x, y), abs=1e-8)


def test_kde_mi_constant_side_is_zero():
    x = np.random.default_rng(9).standard_normal((50, 1))
    assert kn.kde_mi(x, np.ones((50, 2))) == 0.0


def test_kde_singular_covariance_and_bad_bandwidth_raise():
    x = np.random.default_rng(10).standard_normal((50, 1))
    with pytest.raises(InvalidSampleError, match="nonsingular sample covariance"):
        kn.kde_entropy(np.hstack([x, 2 * x]))
    with pytest.raises(InvalidParameterError, match="'scott', 'silverman'"):
        kn.kde_entropy(x, bandwidth="normal_reference")
    with pytest.raises(InvalidParameterError, match="> 0"):
        kn.kde_entropy(x, bandwidth=0.0)
    with pytest.raises(InvalidSampleError, match="at least 3 samples"):
        kn.kde_entropy(x[:2])


# ------------------------------------------------------------------------------------------ matrix Rényi
def test_matrix_renyi_entropy_limits_identical_points_zero_far_points_log_n():
    # identical points: A = 11ᵀ/n has spectrum (1, 0, ..., 0) -> S_α = 0. Points far apart relative to σ:
    # A = I/n -> Σ λ^α = n^(1−α) -> S_α = log n. α = 1.01 amplifies round-off ~1e-15 by 1/(α−1) = 100.
    assert kn.matrix_renyi_entropy(np.ones((20, 3))) == pytest.approx(0.0, abs=1e-12)
    far = np.arange(20.0)[:, None] * 100.0
    for alpha in (0.5, 1.0, 1.01, 2.0, math.inf):
        assert kn.matrix_renyi_entropy(far, alpha=alpha, sigma=1.0) == pytest.approx(math.log(20), abs=1e-12)


def test_matrix_renyi_entropy_matches_fractional_matrix_power():
    # tr(A^α) through scipy's Schur-based fractional_matrix_power instead of eigvalsh
    x = np.random.default_rng(11).standard_normal((40, 2))
    a = _gram(x, x, 0.8) / 40
    for alpha in (0.7, 1.01, 3.0):
        tr = np.trace(scipy.linalg.fractional_matrix_power(a, alpha)).real
        oracle = math.log(tr) / (1 - alpha)
        assert kn.matrix_renyi_entropy(x, alpha=alpha, sigma=0.8) == pytest.approx(oracle, abs=1e-8)


def test_matrix_renyi_order_two_is_minus_log_frobenius_norm():
    # α = 2: tr(A²) = Σ_ij A_ij² for symmetric A, so S_2 = −log ‖A‖_F² without any eigendecomposition;
    # the MI is S_2(A) + S_2(B) − S_2(C) with C = A∘B / tr(A∘B).
    rng = np.random.default_rng(12)
    x = rng.standard_normal((50, 2))
    y = x[:, :1] + 0.5 * rng.standard_normal((50, 1))
    a, b = _gram(x, x, 1.0) / 50, _gram(y, y, 0.6) / 50
    c = a * b / np.trace(a * b)
    s2 = lambda m: -math.log(np.sum(m * m))  # noqa: E731
    assert kn.matrix_renyi_entropy(x, alpha=2.0, sigma=1.0) == pytest.approx(s2(a), abs=1e-10)
    assert kn.matrix_renyi_joint_entropy(x, y, alpha=2.0, sigma=(1.0, 0.6)) == pytest.approx(s2(c), abs=1e-10)
    assert kn.matrix_renyi_mi(x, y, alpha=2.0, sigma=(1.0, 0.6)) == pytest.approx(s2(a) + s2(b) - s2(c), abs=1e-10)


def test_matrix_renyi_alpha_one_is_the_limit_of_alpha_to_one():
    x = np.random.default_rng(13).standard_normal((30, 2))
    von_neumann = kn.matrix_renyi_entropy(x, alpha=1.0)
    # S_α is smooth in α with |dS/dα| = O(Var log λ) ~ a few nats here; 1e-6 away changes it by < 1e-4
    assert kn.matrix_renyi_entropy(x, alpha=1.0 + 1e-6) == pytest.approx(von_neumann, abs=1e-4)
    # and equals −tr A log A written out with eigh
    lam = np.clip(np.linalg.eigvalsh(_gram(x, x, kn.median_heuristic(x)) / 30), 1e-300, None)
    assert von_neumann == pytest.approx(-np.sum(lam * np.log(lam)), abs=1e-10)


def test_matrix_renyi_from_gram_normalises_any_psd_kernel():
    # A_ij = K_ij / (n sqrt(K_ii K_jj)): scaling K by a positive diagonal congruence D K D leaves A unchanged
    x = np.random.default_rng(14).standard_normal((25, 2))
    k = _gram(x, x, 1.0)
    dk = np.diag(np.linspace(0.5, 3.0, 25))
    assert kn.matrix_renyi_entropy_from_gram(dk @ k @ dk) == pytest.approx(
        kn.matrix_renyi_entropy(x, sigma=1.0), abs=1e-10)


def test_matrix_renyi_mi_zero_for_constant_and_symmetric():
    rng = np.random.default_rng(15)
    x, y = rng.standard_normal((30, 2)), rng.standard_normal((30, 1))
    # B = 11ᵀ/n: A∘B/tr = A, so I = S(A) + 0 − S(A) (eigvalsh round-off amplified by 1/(α−1) = 100)
    assert kn.matrix_renyi_mi(x, np.ones((30, 1))) == pytest.approx(0.0, abs=1e-11)
    assert kn.matrix_renyi_mi(x, y) == pytest.approx(kn.matrix_renyi_mi(y, x), abs=1e-11)


@pytest.mark.parametrize("alpha", [0, -1.0, float("nan"), "2"])
def test_matrix_renyi_rejects_bad_alpha(alpha):
    with pytest.raises(InvalidParameterError, match="`alpha` must be a real number > 0"):
        kn.matrix_renyi_entropy(np.eye(3), alpha=alpha)


# ------------------------------------------------------------------------------------------ CS two-sample
def test_cs_divergence_samples_matches_full_gram_brute_force(small_blocks):
    rng = np.random.default_rng(16)
    x, y = rng.standard_normal((37, 2)), rng.standard_normal((23, 2)) + 0.5
    s = 0.9
    brute = (math.log(_gram(x, x, s).mean()) + math.log(_gram(y, y, s).mean())
             - 2 * math.log(_gram(x, y, s).mean()))
    assert kn.cs_divergence_samples(x, y, sigma=s) == pytest.approx(brute, abs=TIGHT)
    # default σ: the pooled median heuristic
    s0 = np.median(pdist(np.vstack([x, y])))
    assert kn.cs_divergence_samples(x, y) == pytest.approx(kn.cs_divergence_samples(x, y, sigma=s0), abs=TIGHT)


def test_cs_divergence_samples_population_limit_for_shifted_normals():
    # X ~ N(0,1), Y ~ N(μ,1), width σ: E κ(X−X') = σ/√(σ²+2), E κ(X−Y) = σ/√(σ²+2)·exp(−μ²/(2(σ²+2)))
    # (X−X' ~ N(0,2), X−Y ~ N(−μ,2)), so D_CS → μ²/(σ²+2). μ = 1, σ = 1: 1/3 nats. Mean of 10 seeded runs at
    # n = 1000: over 30 seeds the estimator had sd 0.026 and an O(1/n) upward bias ≈ 0.014 (V-statistic
    # diagonal and the log of noisy means), so the mean of 10 is within 0.014 + 3·0.008 < 0.04 of 1/3.
    # The alternatives μ²/(σ²+1) = 0.5 and μ²/(2σ²+2) = 0.25 are excluded.
    vals = []
    for seed in range(10):
        rng = np.random.default_rng(1700 + seed)
        x, y = rng.standard_normal((1000, 1)), rng.standard_normal((1000, 1)) + 1.0
        vals.append(kn.cs_divergence_samples(x, y, sigma=1.0))
    assert np.mean(vals) == pytest.approx(1 / 3, abs=0.04)


@given(seed=st.integers(0, 2**32 - 1), shift=st.floats(0.0, 3.0))
def test_cs_divergence_samples_nonnegative_symmetric_zero_on_identical_samples(seed, shift):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((20, 2)), rng.standard_normal((15, 2)) + shift
    d = kn.cs_divergence_samples(x, y, sigma=1.0)
    assert d >= -1e-12  # −2 log cos(μ_P, μ_Q) ≥ 0; round-off of a few ulps allowed
    assert kn.cs_divergence_samples(y, x, sigma=1.0) == pytest.approx(d, abs=1e-12)
    assert kn.cs_divergence_samples(x, x.copy(), sigma=1.0) == pytest.approx(0.0, abs=1e-12)


def test_cs_divergence_samples_stays_finite_when_the_cross_kernel_underflows():
    # points 100 σ apart: exp(−5000) underflows to 0, but the log-domain sums still give the exact value
    # log 1 + log 1 − 2·(−100²/2) = 10000 nats (one point each)
    x, y = np.zeros((1, 1)), np.full((1, 1), 100.0)
    assert kn.cs_divergence_samples(x, y, sigma=1.0) == pytest.approx(10000.0, rel=1e-12)


# ------------------------------------------------------------------------------------------ CS-QMI
def _cs_qmi_reference(x, y, sx, sy):
    """Prop. 2 of Yu et al. written as in their code (full matrices, trace / ones products), in nats."""
    n = x.shape[0]
    k, q = _gram(x, x, sx), _gram(y, y, sy)
    one = np.ones(n)
    t1 = np.trace(k @ q.T) / n**2
    t2 = k.sum() * q.sum() / n**4
    t3 = one @ k.T @ q @ one / n**3
    return -2 * math.log(t3) + math.log(t1) + math.log(t2)


def test_cs_qmi_matches_reference_formula(small_blocks):
    rng = np.random.default_rng(18)
    x = rng.standard_normal((45, 3))
    y = x[:, :1] + 0.3 * rng.standard_normal((45, 1))
    assert kn.cs_qmi(x, y, sigma=(1.2, 0.5)) == pytest.approx(_cs_qmi_reference(x, y, 1.2, 0.5), abs=TIGHT)
    # None -> median heuristic per variable
    sx, sy = np.median(pdist(x)), np.median(pdist(y))
    assert kn.cs_qmi(x, y) == pytest.approx(_cs_qmi_reference(x, y, sx, sy), abs=TIGHT)


def test_cs_qmi_self_information_limits():
    # σ → 0, distinct points: K = Q = I, Î = log(N/N²) + log(N²/N⁴) − 2 log(N/N³) = log N (8 bits at N = 256).
    x = np.random.default_rng(19).standard_normal((256, 2))
    assert kn.cs_qmi(x, x, sigma=1e-6) == pytest.approx(math.log(256), abs=1e-12)
    # σ → ∞: K = Q = 11ᵀ, every term is log 1 = 0
    assert kn.cs_qmi(x, x, sigma=1e8) == pytest.approx(0.0, abs=1e-12)


def test_cs_qmi_dependent_exceeds_independent():
    # y = x + 0.1 noise shares almost everything with x; an independent y shares nothing (≈ 0 up to O(1/N)).
    rng = np.random.default_rng(20)
    x = rng.standard_normal((256, 1))
    dep = kn.cs_qmi(x, x + 0.1 * rng.standard_normal((256, 1)), sigma=1.0)
    ind = kn.cs_qmi(x, rng.standard_normal((256, 1)), sigma=1.0)
    assert 0.0 <= ind < 0.03  # the V-statistic bias is O(1/N) ≈ 0.004 per term here
    assert dep > 0.1 and dep > 10 * ind  # measured 0.18 nats vs 0.004 with these seeds


@given(seed=st.integers(0, 2**32 - 1), sx=st.floats(0.05, 20.0), sy=st.floats(0.05, 20.0))
def test_cs_qmi_nonnegative_and_symmetric(seed, sx, sy):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((25, 2)), rng.standard_normal((25, 1))
    v = kn.cs_qmi(x, y, sigma=(sx, sy))
    assert v >= -1e-12  # −2 log of a cosine; a few ulps of round-off allowed
    assert kn.cs_qmi(y, x, sigma=(sy, sx)) == pytest.approx(v, abs=1e-12)


def test_cs_qmi_normalized_is_one_on_itself_and_zero_for_constant():
    rng = np.random.default_rng(21)
    x, y = rng.standard_normal((60, 2)), rng.standard_normal((60, 1))
    assert kn.cs_qmi_normalized(x, x) == pytest.approx(1.0, abs=1e-12)
    ref = _cs_qmi_reference(x, y, 0.7, 0.7) / math.sqrt(_cs_qmi_reference(x, x, 0.7, 0.7)
                                                      * _cs_qmi_reference(y, y, 0.7, 0.7))
    assert kn.cs_qmi_normalized(x, y, sigma=0.7) == pytest.approx(ref, abs=1e-9)
    assert kn.cs_qmi_normalized(x, np.ones((60, 1))) == 0.0  # I(Y;Y) = 0: no information, not 0/0


# ------------------------------------------------------------------------------------------ conditional CS
def _cond_cs_reference_code(x, y, yh, sx, sy):
    """CS_Div of the CS-IB code (sum of squares denominator), full matrices, converted from bits to nats."""
    k, l1, l2, l21 = _gram(x, x, sx), _gram(y, y, sy), _gram(yh, yh, sy), _gram(yh, y, sy)
    den = (k**2).sum(-1)
    t1 = ((k * l1).sum(-1) / den).sum()
    t2 = ((k * l2).sum(-1) / den).sum()
    t3 = ((k * l21).sum(-1) / den).sum()
    return (-2 * math.log2(t3) + math.log2(t1) + math.log2(t2)) * math.log(2)


def test_cs_conditional_divergence_sum_sq_matches_reference_code(small_blocks):
    rng = np.random.default_rng(22)
    x = rng.standard_normal((50, 3))
    y = x[:, :1] + 0.5 * rng.standard_normal((50, 1))
    yh = 0.8 * x[:, :1] + 0.2
    got = kn.cs_conditional_divergence(x, y, yh, sigma=(1.5, 0.7), denominator="sum_sq")
    assert got == pytest.approx(_cond_cs_reference_code(x, y, yh, 1.5, 0.7), abs=TIGHT)


def test_cs_conditional_divergence_paper_is_kde_plug_in_of_conditional_integrals(small_blocks):
    # ∬ p(y|x)² = E_p[p(x,y)/p(x)²] etc. with *normalised* Parzen densities at the samples; the kernel constants
    # cancel, so the 'paper' estimator must equal this explicit plug-in.
    rng = np.random.default_rng(23)
    n, sx, sy = 40, 1.1, 0.6
    x = rng.standard_normal((n, 2))
    y = x[:, :1] + 0.4 * rng.standard_normal((n, 1))
    yh = y + 0.3
    kx = _gram(x, x, sx) / (2 * math.pi * sx**2)  # N(x_j; x_i, sx² I) in 2-D
    ky = lambda a, b: _gram(a, b, sy) / math.sqrt(2 * math.pi * sy**2)  # noqa: E731
    px = kx.mean(axis=1)
    p_joint = (kx * ky(y, y)).mean(axis=1)  # p̂(x_j, y_j)
    q_joint = (kx * ky(yh, yh)).mean(axis=1)  # q̂(x_j, ŷ_j)
    p_at_q = (kx * ky(yh, y)).mean(axis=1)  # p̂(x_j, ŷ_j): the cross integral evaluated on the q sample
    t1, t2, t3 = (np.mean(v / px**2) for v in (p_joint, q_joint, p_at_q))
    oracle = math.log(t1) + math.log(t2) - 2 * math.log(t3)
    got = kn.cs_conditional_divergence(x, y, yh, sigma=(sx, sy))
    assert got == pytest.approx(oracle, abs=TIGHT)


@pytest.mark.parametrize("denominator", ["paper", "sum_sq"])
def test_cs_conditional_divergence_zero_when_prediction_equals_target(denominator):
    rng = np.random.default_rng(24)
    x, y = rng.standard_normal((40, 2)), rng.standard_normal((40, 1))
    # L1 = L2 = L21: log t + log t − 2 log t = 0 exactly up to round-off
    assert kn.cs_conditional_divergence(x, y, y.copy(), denominator=denominator) == pytest.approx(0.0, abs=1e-12)


def test_cs_conditional_divergence_with_identity_input_kernel_has_closed_form():
    # σ_x → 0: K = I, both denominators are 1, the terms are Σ_j L1_jj = n, Σ_j L2_jj = n and
    # Σ_j κ(ŷ_j, y_j), so D = −2 log mean_j κ(ŷ_j − y_j).
    rng = np.random.default_rng(25)
    x, y = rng.standard_normal((30, 2)), rng.standard_normal((30, 1))
    yh = y + rng.uniform(-1, 1, (30, 1))
    closed = -2 * math.log(np.mean(np.exp(-((yh - y) ** 2)[:, 0] / (2 * 0.8**2))))
    for den in ("paper", "sum_sq"):
        got = kn.cs_conditional_divergence(x, y, yh, sigma=(1e-6, 0.8), denominator=den)
        assert got == pytest.approx(closed, abs=1e-12)


def test_cs_conditional_divergence_population_limit_for_shifted_independent_targets():
    # y independent of x, ŷ = y' + c with y' an independent copy: the x-weights factor out and, as for the
    # two-sample case, D → c²/(σ_y² + 2 s²) with s = sd(y) = 1. c = 1, σ_y = 1: 1/3 nats. n = 2000 with
    # σ_x = 1 on 1-D x: each j averages O(n) neighbours, sd ≈ 0.02; tolerance 0.05.
    rng = np.random.default_rng(26)
    n = 2000
    x = rng.standard_normal((n, 1))
    y = rng.standard_normal((n, 1))
    yh = rng.standard_normal((n, 1)) + 1.0
    for den in ("paper", "sum_sq"):
        assert kn.cs_conditional_divergence(x, y, yh, sigma=1.0, denominator=den) == pytest.approx(1 / 3, abs=0.05)


def test_cs_conditional_divergence_rejects_unknown_denominator():
    x = np.random.default_rng(27).standard_normal((10, 1))
    with pytest.raises(InvalidParameterError, match="`denominator` must be one of"):
        kn.cs_conditional_divergence(x, x, x, denominator="squared")


@pytest.mark.parametrize("sigma", [0, -1.0, float("inf"), "median", (1.0,), True])
def test_kernel_estimators_reject_bad_sigma(sigma):
    # σ = 0 must not silently mean "use the heuristic" (the reference code's `if not sigma`)
    x = np.random.default_rng(28).standard_normal((10, 1))
    with pytest.raises(InvalidParameterError, match="`sigma` must be"):
        kn.cs_qmi(x, x, sigma=sigma)


# ------------------------------------------------------------------------------------------ contract
def test_numpy_kernels_return_floats_and_never_modify_inputs():
    rng = np.random.default_rng(29)
    x, y, yh = rng.standard_normal((30, 2)), rng.standard_normal((30, 1)), rng.standard_normal((30, 1))
    copies = [a.copy() for a in (x, y, yh)]
    outs = [
        kn.kde_entropy(x), kn.kde_mi(x, y), kn.matrix_renyi_entropy(x), kn.matrix_renyi_mi(x, y),
        kn.matrix_renyi_joint_entropy(x, y), kn.cs_divergence_samples(x, y.repeat(2, axis=1)), kn.cs_qmi(x, y),
        kn.cs_qmi_normalized(x, y), kn.cs_conditional_divergence(x, y, yh),
    ]
    kn.gaussian_gram(x, 1.0)
    assert all(type(v) is float and math.isfinite(v) for v in outs)
    for a, c in zip((x, y, yh), copies):
        np.testing.assert_array_equal(a, c)


# ------------------------------------------------------------------------------------------ torch
try:
    import torch
except ImportError:  # the numpy tests above still run
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


def _t(a):
    return torch.tensor(a, dtype=torch.float64, requires_grad=True)


@needs_torch
@pytest.mark.parametrize("sigma", [None, 0.9])
def test_torch_versions_equal_numpy_in_float64(sigma):
    rng = np.random.default_rng(30)
    x = rng.standard_normal((50, 3))
    y = x[:, :1] + 0.5 * rng.standard_normal((50, 1))
    yh = y + 0.2 * rng.standard_normal((50, 1))
    z = rng.standard_normal((35, 3)) + 0.4
    tx, ty, tyh, tz = (torch.tensor(a) for a in (x, y, yh, z))
    pairs = [
        (kn.cs_divergence_samples(x, z, sigma=sigma), kn.cs_divergence_samples_torch(tx, tz, sigma=sigma)),
        (kn.cs_qmi(x, y, sigma=sigma), kn.cs_qmi_torch(tx, ty, sigma=sigma)),
        (kn.cs_qmi_normalized(x, y, sigma=sigma), kn.cs_qmi_normalized_torch(tx, ty, sigma=sigma)),
        (kn.cs_conditional_divergence(x, y, yh, sigma=sigma),
         kn.cs_conditional_divergence_torch(tx, ty, tyh, sigma=sigma)),
        (kn.cs_conditional_divergence(x, y, yh, sigma=sigma, denominator="sum_sq"),
         kn.cs_conditional_divergence_torch(tx, ty, tyh, sigma=sigma, denominator="sum_sq")),
        (kn.matrix_renyi_entropy(x, sigma=sigma), kn.matrix_renyi_entropy_torch(tx, sigma=sigma)),
        (kn.matrix_renyi_entropy(x, alpha=1.0, sigma=sigma), kn.matrix_renyi_entropy_torch(tx, alpha=1.0, sigma=sigma)),
        (kn.matrix_renyi_mi(x, y, sigma=sigma), kn.matrix_renyi_mi_torch(tx, ty, sigma=sigma)),
    ]
    for want, got in pairs:
        assert got.dtype == torch.float64 and got.ndim == 0
        # same formulas, different BLAS / eigensolver call order: agreement to ~1e-12 absolute
        assert float(got) == pytest.approx(want, abs=1e-10)
    np.testing.assert_allclose(kn.gaussian_gram_torch(tx, 0.7).numpy(), kn.gaussian_gram(x, 0.7), atol=1e-13)
    assert kn.median_heuristic_torch(tx) == pytest.approx(kn.median_heuristic(x), rel=1e-12)


@needs_torch
def test_torch_losses_pass_gradcheck():
    # central finite differences vs autograd in float64 at fixed σ (gradcheck's default tolerances: 1e-5 / 1e-3)
    rng = np.random.default_rng(31)
    x, y, yh = _t(rng.standard_normal((8, 2))), _t(rng.standard_normal((8, 1))), _t(rng.standard_normal((8, 1)))
    assert torch.autograd.gradcheck(lambda a, b: kn.cs_qmi_torch(a, b, sigma=1.0), (x, y))
    other = _t(rng.standard_normal((5, 2)))
    assert torch.autograd.gradcheck(lambda a, b: kn.cs_divergence_samples_torch(a, b, sigma=1.0), (x, other))
    assert torch.autograd.gradcheck(lambda a, b, c: kn.cs_conditional_divergence_torch(a, b, c, sigma=1.0), (x, y, yh))
    assert torch.autograd.gradcheck(lambda a, b: kn.cs_qmi_normalized_torch(a, b, sigma=1.0), (x, y))
    # a learnable bandwidth: gradients reach a scalar-tensor σ
    sig = torch.tensor(0.8, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda a, s: kn.cs_qmi_torch(a, y.detach(), sigma=(s, 1.0)), (x, sig))
    # eigvalsh backward is well defined for distinct eigenvalues (random points)
    assert torch.autograd.gradcheck(lambda a: kn.matrix_renyi_entropy_torch(a, alpha=1.01, sigma=1.0), (x,))
    assert torch.autograd.gradcheck(lambda a, b: kn.matrix_renyi_mi_torch(a, b, alpha=2.0, sigma=1.0), (x, y))


@needs_torch
def test_torch_gradient_of_cs_qmi_pulls_representation_toward_target():
    # one gradient step on z to increase Î_CS(z; y) must increase it (the loss is usable for training)
    rng = np.random.default_rng(32)
    y = torch.tensor(rng.standard_normal((64, 1)))
    z = torch.tensor(rng.standard_normal((64, 2)), requires_grad=True)
    before = kn.cs_qmi_torch(z, y, sigma=1.0)
    (grad,) = torch.autograd.grad(before, z)
    assert torch.isfinite(grad).all() and float(grad.abs().sum()) > 0
    after = kn.cs_qmi_torch(z.detach() + 0.05 * grad, y, sigma=1.0)
    assert float(after) > float(before.detach())


@needs_torch
def test_torch_matrix_renyi_gradient_finite_with_repeated_points():
    # repeated points give zero eigenvalues; the safe-power trick keeps the gradient finite for α < 1 too
    base = np.random.default_rng(33).standard_normal((5, 2))
    x = _t(np.vstack([base, base]))
    for alpha in (0.5, 1.0, 2.0):
        (grad,) = torch.autograd.grad(kn.matrix_renyi_entropy_torch(x, alpha=alpha, sigma=0.5), x)
        assert torch.isfinite(grad).all()


# ------------------------------------------------------------------------------------------ slow tier
@pytest.mark.slow
def test_kde_entropy_bivariate_normal_consistent_at_large_n():
    # N(0, Σ) in 2-D, n = 20000, Scott: smoothing adds ½ d log(1 + h²) ≈ 0.016 nats (h = n^(−1/6) ≈ 0.19);
    # sd ≈ 0.006. Tolerance 0.03 around the true ½ log det(2πeΣ).
    cov = np.array([[1.0, 0.6], [0.6, 2.0]])
    x = np.random.default_rng(40).multivariate_normal([0, 0], cov, size=20000)
    truth = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    assert kn.kde_entropy(x) == pytest.approx(truth, abs=0.03)


@pytest.mark.slow
def test_kde_resubstitution_matches_infomeasure_kernel_estimator():
    # infomeasure's Gaussian-kernel entropy / MI is the resubstitution KDE with scipy's factor semantics
    im = pytest.importorskip("infomeasure")
    rng = np.random.default_rng(41)
    x = rng.standard_normal((400, 2))
    y = x[:, :1] + rng.standard_normal((400, 1))
    h = 0.45
    assert kn.kde_entropy(x, bandwidth=h, leave_one_out=False) == pytest.approx(
        im.entropy(x, approach="kernel", kernel="gaussian", bandwidth=h, base="e"), abs=TIGHT)
    assert kn.kde_mi(x[:, :1], y, bandwidth=h, leave_one_out=False) == pytest.approx(
        im.mutual_information(x[:, :1], y, approach="kernel", kernel="gaussian", bandwidth=h, base="e"), abs=TIGHT)


@pytest.mark.slow
def test_cs_divergence_samples_population_limit_at_large_n():
    # μ = 1.5, σ = 1: μ²/(σ²+2) = 0.75 nats; n = m = 20000 (streamed; 1.2e9 kernel evaluations): sd ≈ 0.01
    rng = np.random.default_rng(42)
    x, y = rng.standard_normal((20000, 1)), rng.standard_normal((20000, 1)) + 1.5
    assert kn.cs_divergence_samples(x, y, sigma=1.0) == pytest.approx(0.75, abs=0.03)


@pytest.mark.gpu
@pytest.mark.skipif(torch is None or not torch.cuda.is_available(), reason="needs a CUDA device")
def test_torch_losses_on_cuda_equal_cpu_and_stay_on_device():
    rng = np.random.default_rng(43)
    x, y, yh = rng.standard_normal((300, 3)), rng.standard_normal((300, 1)), rng.standard_normal((300, 1))
    cpu = [torch.tensor(a) for a in (x, y, yh)]
    gpu = [t.cuda() for t in cpu]
    for fn in (lambda a, b, c: kn.cs_qmi_torch(a, b), lambda a, b, c: kn.cs_conditional_divergence_torch(a, b, c),
               lambda a, b, c: kn.cs_divergence_samples_torch(a, c), lambda a, b, c: kn.matrix_renyi_entropy_torch(a)):
        got = fn(*gpu)
        assert got.device.type == "cuda"
        # float64 on both devices; different reduction orders: agreement to ~1e-12
        assert float(got) == pytest.approx(float(fn(*cpu)), abs=1e-9)
