"""Gaussian and Gaussian-copula kernels (src/infokit/estimators/gaussian.py).

Known answers (closed forms of the multivariate normal, Monte Carlo unbiasedness of the Ince et al. bias
correction), brute-force oracles (slogdet, generalized eigenproblem for canonical correlations, sklearn's
Ledoit–Wolf), properties (symmetry, affine / monotone invariance) and the errors the kernels raise.
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

from infokit.estimators import gaussian as g
from infokit.exceptions import InvalidParameterError, InvalidSampleError

# Identities between two float64 evaluations of the same log-determinants (Cholesky vs LU / eigen):
# round-off of O(d) terms of size O(1), a few ulps each.
TIGHT = 1e-10


def _gauss_entropy_true(cov):
    """½ log det(2πe Σ) written out with slogdet."""
    cov = np.atleast_2d(cov)
    return 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]


def _mi_true(cov, dx):
    """I(X;Y) = ½ log(det Σ_X det Σ_Y / det Σ) for a jointly Gaussian pair split after dx columns."""
    ld = lambda m: np.linalg.slogdet(m)[1]  # noqa: E731
    return 0.5 * (ld(cov[:dx, :dx]) + ld(cov[dx:, dx:]) - ld(cov))


COV4 = np.array(  # a fixed 2+2 covariance with cross-correlations (positive definite: eigenvalues > 0.2)
    [[1.0, 0.3, 0.5, 0.1], [0.3, 2.0, 0.2, 0.6], [0.5, 0.2, 1.5, 0.3], [0.1, 0.6, 0.3, 1.0]]
)


# ------------------------------------------------------------------------------------------ entropy
def test_gaussian_entropy_bias_term_matches_hand_value():
    # d=1, n=3: b = ½[log 2 − log 2 + ψ(1)] = ψ(1)/2 = −γ/2 (Euler–Mascheroni γ).
    assert g.gaussian_entropy_bias(1, 3) == pytest.approx(-0.5 * np.euler_gamma, abs=1e-14)
    # d=2, n=4: ½[2(log 2 − log 3) + ψ(3/2) + ψ(1)], ψ(3/2) = 2 − γ − 2 log 2.
    hand = 0.5 * (2 * (math.log(2) - math.log(3)) + (2 - np.euler_gamma - 2 * math.log(2)) - np.euler_gamma)
    assert g.gaussian_entropy_bias(2, 4) == pytest.approx(hand, abs=1e-14)
    assert g.gaussian_entropy_bias(0, 10) == 0.0


def test_gaussian_entropy_uncorrected_equals_half_logdet_2pie_of_sample_covariance():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((200, 3)) @ np.array([[1.0, 0.2, 0.0], [0.0, 1.0, 0.4], [0.3, 0.0, 2.0]])
    brute = _gauss_entropy_true(np.cov(x.T, ddof=1))
    assert g.gaussian_entropy(x, bias_correct=False) == pytest.approx(brute, abs=TIGHT)
    # the correction is exactly the subtraction of b(d, n)
    assert g.gaussian_entropy(x) == pytest.approx(brute - g.gaussian_entropy_bias(3, 200), abs=TIGHT)


def test_gaussian_entropy_bias_correction_is_unbiased_monte_carlo():
    # N(0, Σ) with d=2 at n=8: the plug-in entropy is biased by b(2, 8) ≈ −0.24 nats; the corrected one is
    # exactly unbiased (Wishart log-determinant moments), so its mean over 2000 seeded draws must lie within
    # 4 Monte Carlo standard errors of ½ log det(2πeΣ), while the uncorrected mean is > 10 SE below it.
    rng = np.random.default_rng(2017)
    cov = np.array([[2.0, 0.7], [0.7, 1.0]])
    chol = np.linalg.cholesky(cov)
    truth = _gauss_entropy_true(cov)
    reps, n = 2000, 8
    draws = rng.standard_normal((reps, n, 2)) @ chol.T
    corrected = np.array([g.gaussian_entropy(d) for d in draws])
    plain = np.array([g.gaussian_entropy(d, bias_correct=False) for d in draws])
    se = corrected.std(ddof=1) / math.sqrt(reps)
    assert abs(corrected.mean() - truth) < 4 * se
    assert plain.mean() - truth < -10 * se


def test_gaussian_entropy_constant_column_is_minus_inf():
    # a degenerate Gaussian (zero variance along one axis) has differential entropy −∞
    x = np.column_stack([np.arange(10.0), np.full(10, 3.0)])
    assert g.gaussian_entropy(x) == -math.inf


# ------------------------------------------------------------------------------------------ MI
def test_gaussian_mi_bivariate_uncorrected_is_minus_half_log_one_minus_r2():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((500, 1))
    y = 0.6 * x + 0.8 * rng.standard_normal((500, 1))
    r = np.corrcoef(x[:, 0], y[:, 0])[0, 1]
    assert g.gaussian_mi(x, y, bias_correct=False) == pytest.approx(-0.5 * math.log(1 - r * r), abs=TIGHT)


def test_gaussian_mi_bias_corrected_is_unbiased_and_uncorrected_biased_upward():
    # ρ = 0.6, n = 20: truth −½ log(1 − 0.36) = 0.2231 nats. The corrected estimate is a sum of exactly
    # unbiased entropy estimates, so its mean over 2000 seeded draws lies within 4 MC standard errors of the
    # truth; the plug-in is biased upward (≈ +0.03 nats here, about 9 SE; other seeds gave 8–10 SE).
    rho, n, reps = 0.6, 20, 2000
    truth = -0.5 * math.log(1 - rho**2)
    rng = np.random.default_rng(1541)
    xs = rng.standard_normal((reps, n, 1))
    ys = rho * xs + math.sqrt(1 - rho**2) * rng.standard_normal((reps, n, 1))
    corrected = np.array([g.gaussian_mi(a, b) for a, b in zip(xs, ys)])
    plain = np.array([g.gaussian_mi(a, b, bias_correct=False) for a, b in zip(xs, ys)])
    se = corrected.std(ddof=1) / math.sqrt(reps)
    assert abs(corrected.mean() - truth) < 4 * se
    assert plain.mean() - truth > 6 * se


def test_gaussian_mi_multivariate_bias_corrected_is_unbiased_monte_carlo():
    # 2+2 dimensions, n = 15: truth ½ log(det Σ_X det Σ_Y / det Σ) of COV4 (≈ 0.19 nats); same argument
    # (the plug-in bias here is ≈ 27 SE at 1000 draws).
    truth = _mi_true(COV4, 2)
    rng = np.random.default_rng(1573)
    chol = np.linalg.cholesky(COV4)
    reps, n = 1000, 15
    draws = rng.standard_normal((reps, n, 4)) @ chol.T
    corrected = np.array([g.gaussian_mi(d[:, :2], d[:, 2:]) for d in draws])
    plain = np.array([g.gaussian_mi(d[:, :2], d[:, 2:], bias_correct=False) for d in draws])
    se = corrected.std(ddof=1) / math.sqrt(reps)
    assert abs(corrected.mean() - truth) < 4 * se
    assert plain.mean() - truth > 6 * se


def test_gaussian_mi_multivariate_converges_to_closed_form():
    # n = 20000: the estimator's sd is about sqrt(dx·dy/n)·(1-ish) ≈ 0.015 nats; 0.05 is > 3 sd.
    rng = np.random.default_rng(4)
    d = rng.standard_normal((20000, 4)) @ np.linalg.cholesky(COV4).T
    assert g.gaussian_mi(d[:, :2], d[:, 2:]) == pytest.approx(_mi_true(COV4, 2), abs=0.05)


@given(seed=st.integers(0, 2**32 - 1), dx=st.integers(1, 3), dy=st.integers(1, 3))
def test_gaussian_mi_symmetric_and_invariant_under_invertible_affine_maps(seed, dx, dy):
    rng = np.random.default_rng(seed)
    n = 40
    data = rng.standard_normal((n, dx + dy)) @ rng.standard_normal((dx + dy, dx + dy))
    x, y = data[:, :dx], data[:, dx:]
    base = g.gaussian_mi(x, y)
    assert g.gaussian_mi(y, x) == pytest.approx(base, abs=1e-9)  # symmetric: same three log-dets
    a = rng.standard_normal((dx, dx)) + 3 * np.eye(dx)  # diagonally dominant: invertible
    # log det(AᵀΣA) = log det Σ + 2 log|det A| cancels between H(X) and H(X,Y): exactly invariant
    assert g.gaussian_mi(x @ a + 5.0, y) == pytest.approx(base, abs=1e-8)
    perm = rng.permutation(n)
    assert g.gaussian_mi(x[perm], y[perm]) == pytest.approx(base, abs=1e-9)


def test_gaussian_mi_constant_column_is_dropped_and_all_constant_side_gives_zero():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((50, 1))
    y = x + rng.standard_normal((50, 1))
    with_const = np.column_stack([x, np.full(50, 7.0)])
    assert g.gaussian_mi(with_const, y) == pytest.approx(g.gaussian_mi(x, y), abs=TIGHT)
    assert g.gaussian_mi(np.full((50, 2), 1.0), y) == 0.0


def test_gaussian_mi_exact_linear_relation_is_infinite():
    # y = 2x − 1: I(X;Y) = ∞ for a continuous X; the joint covariance is singular
    x = np.random.default_rng(6).standard_normal((30, 1))
    assert g.gaussian_mi(x, 2 * x - 1) == math.inf


def test_gaussian_mi_too_few_samples_raises():
    x = np.random.default_rng(7).standard_normal((3, 2))
    with pytest.raises(InvalidSampleError, match="more samples than dimensions"):
        g.gaussian_mi(x, x[:, :1] ** 2)


def test_gaussian_mi_collinear_columns_within_a_variable_raise():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((40, 1))
    xx = np.column_stack([x, 3 * x])
    with pytest.raises(InvalidSampleError, match="collinear"):
        g.gaussian_mi(xx, rng.standard_normal((40, 1)))


# ------------------------------------------------------------------------------------------ CMI
def _chain(rng, n):
    # X → Y → Z: X ~ N(0,1), Y = 0.8X + N(0, 0.6²), Z = 0.7Y + N(0, 0.5²)
    x = rng.standard_normal((n, 1))
    y = 0.8 * x + 0.6 * rng.standard_normal((n, 1))
    z = 0.7 * y + 0.5 * rng.standard_normal((n, 1))
    return x, y, z


def _chain_cov():
    vy = 0.64 + 0.36
    vz = 0.49 * vy + 0.25
    return np.array([[1.0, 0.8, 0.56], [0.8, vy, 0.7 * vy], [0.56, 0.7 * vy, vz]])


def _cmi_true(cov, ix, iy, iz):
    ld = lambda idx: np.linalg.slogdet(cov[np.ix_(idx, idx)])[1]  # noqa: E731
    return 0.5 * (ld(ix + iz) + ld(iy + iz) - ld(ix + iy + iz) - ld(iz))


def test_gaussian_cmi_on_a_chain_is_zero_given_the_middle_and_closed_form_otherwise():
    # Markov chain X → Y → Z: I(X;Z|Y) = 0 exactly; I(X;Y|Z) from the covariance (≈ 0.38 nats).
    cov = _chain_cov()
    assert _cmi_true(cov, [0], [2], [1]) == pytest.approx(0.0, abs=1e-12)  # the closed form agrees
    x, y, z = _chain(np.random.default_rng(9), 20000)
    # sd of either estimate at n = 20000 is < 0.01 nats; 0.03 leaves > 3 sd
    assert g.gaussian_cmi(x, z, y) == pytest.approx(0.0, abs=0.03)
    assert g.gaussian_cmi(x, y, z) == pytest.approx(_cmi_true(cov, [0], [1], [2]), abs=0.03)


def test_gaussian_cmi_bias_corrected_is_unbiased_on_a_chain_monte_carlo():
    # n = 12, I(X;Y|Z) of the chain: mean of 2000 corrected estimates within 4 MC SE of the truth.
    truth = _cmi_true(_chain_cov(), [0], [1], [2])
    rng = np.random.default_rng(1234)
    vals = np.array([g.gaussian_cmi(*_chain(rng, 12)) for _ in range(2000)])
    se = vals.std(ddof=1) / math.sqrt(vals.size)
    assert abs(vals.mean() - truth) < 4 * se


def test_gaussian_cmi_equals_entropy_combination_with_and_without_correction():
    # I(X;Y|Z) = H(X,Z) + H(Y,Z) − H(X,Y,Z) − H(Z), each entropy with its own bias term
    rng = np.random.default_rng(10)
    x, y, z = _chain(rng, 60)
    z2 = np.column_stack([z, rng.standard_normal((60, 1))])
    for bc in (True, False):
        h = lambda *a: g.gaussian_entropy(np.hstack(a), bias_correct=bc)  # noqa: E731
        combo = h(x, z2) + h(y, z2) - h(x, y, z2) - h(z2)
        assert g.gaussian_cmi(x, y, z2, bias_correct=bc) == pytest.approx(combo, abs=TIGHT)


def test_gaussian_cmi_with_constant_z_equals_mi():
    x, y, _ = _chain(np.random.default_rng(12), 80)
    assert g.gaussian_cmi(x, y, np.ones((80, 1))) == pytest.approx(g.gaussian_mi(x, y), abs=TIGHT)


# ------------------------------------------------------------------------------------------ copula
def test_copula_normalize_gives_normal_scores_of_average_ranks():
    # ranks of [1, 2, 2, 5] are [1, 2.5, 2.5, 4]; / (n+1) = [0.2, 0.5, 0.5, 0.8]; Φ⁻¹(0.2) = −0.841621...
    out = g.copula_normalize(np.array([[1.0], [2.0], [2.0], [5.0]]))
    q = scipy.stats.norm.ppf(0.8)
    np.testing.assert_allclose(out[:, 0], [-q, 0.0, 0.0, q], atol=1e-15)


def test_copula_normalize_is_per_column_and_row_order_equivariant():
    rng = np.random.default_rng(13)
    x = rng.standard_normal((30, 2))
    perm = rng.permutation(30)
    out = g.copula_normalize(x)
    np.testing.assert_array_equal(g.copula_normalize(x[perm]), out[perm])  # exact: same ranks
    np.testing.assert_array_equal(g.copula_normalize(x[:, 1:]), out[:, 1:])


MONOTONE = [np.exp, lambda t: t**3, np.arctan, lambda t: 1e6 * t - 3.0, lambda t: np.sinh(t) + t]


@given(seed=st.integers(0, 2**32 - 1), fx=st.integers(0, len(MONOTONE) - 1), fy=st.integers(0, len(MONOTONE) - 1))
def test_gaussian_copula_mi_invariant_under_strictly_increasing_maps(seed, fx, fy):
    # the ranks of each column are unchanged, so the normal scores, hence the estimate, are identical
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((50, 1))
    y = x + rng.standard_normal((50, 1))
    z = y + rng.standard_normal((50, 1))
    assert g.gaussian_copula_mi(MONOTONE[fx](x), MONOTONE[fy](y)) == g.gaussian_copula_mi(x, y)
    assert g.gaussian_copula_cmi(MONOTONE[fx](x), z, MONOTONE[fy](y)) == g.gaussian_copula_cmi(x, z, y)


def test_gaussian_copula_mi_recovers_gaussian_mi_through_a_nonlinear_marginal():
    # X, Y jointly Gaussian with ρ = 0.7 (truth 0.3367 nats), observed through exp and cube: the Gaussian MI
    # of the raw data is off, the copula MI is not. n = 20000: sd ≈ 0.008, tolerance 0.03.
    rng = np.random.default_rng(14)
    x = rng.standard_normal((20000, 1))
    y = 0.7 * x + math.sqrt(1 - 0.49) * rng.standard_normal((20000, 1))
    truth = -0.5 * math.log(1 - 0.49)
    assert g.gaussian_copula_mi(np.exp(x), y**3) == pytest.approx(truth, abs=0.03)
    assert abs(g.gaussian_mi(np.exp(x), y**3) - truth) > 0.05


# ------------------------------------------------------------------------------------------ CCA
@given(seed=st.integers(0, 2**32 - 1), dx=st.integers(1, 4), dy=st.integers(1, 4))
def test_cca_mi_equals_uncorrected_gaussian_mi(seed, dx, dy):
    # det R = det R_XX det R_YY Π(1 − ρ_i²): the two routes agree to round-off
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((60, dx + dy)) @ rng.standard_normal((dx + dy, dx + dy))
    x, y = data[:, :dx], data[:, dx:]
    assert g.cca_mi(x, y) == pytest.approx(g.gaussian_mi(x, y, bias_correct=False), abs=1e-9)


def test_canonical_correlations_match_generalized_eigenproblem():
    # ρ_i² are the eigenvalues of Σ_XY Σ_YY⁻¹ Σ_YX a = ρ² Σ_XX a (Hotelling), solved by scipy.linalg.eigh
    rng = np.random.default_rng(15)
    data = rng.standard_normal((100, 5)) @ rng.standard_normal((5, 5))
    x, y = data[:, :2], data[:, 2:]
    c = np.cov(data.T)
    m = c[:2, 2:] @ np.linalg.solve(c[2:, 2:], c[2:, :2])
    ev = np.sort(scipy.linalg.eigh(m, c[:2, :2], eigvals_only=True))[::-1]
    np.testing.assert_allclose(g.canonical_correlations(x, y), np.sqrt(ev), atol=1e-10)


def test_ledoit_wolf_shrinkage_matches_sklearn():
    sk = pytest.importorskip("sklearn.covariance")
    rng = np.random.default_rng(16)
    z = rng.standard_normal((40, 6)) @ rng.standard_normal((6, 6))
    # same closed form, different summation order: agreement to round-off
    assert g.ledoit_wolf_shrinkage(z) == pytest.approx(sk.ledoit_wolf_shrinkage(z), abs=1e-12)


def test_cca_mi_shrinkage_keeps_high_dimensional_independent_estimate_small():
    # 14 + 14 independent dimensions, n = 30: the sample canonical correlations are near 1, so the plain
    # estimate is several nats although the truth is 0; Ledoit–Wolf shrinkage brings it below 0.5 nats.
    rng = np.random.default_rng(17)
    x, y = rng.standard_normal((30, 14)), rng.standard_normal((30, 14))
    assert g.cca_mi(x, y) > 3.0
    assert 0.0 <= g.cca_mi(x, y, shrinkage="ledoit_wolf") < 0.5
    # λ = 1 shrinks the correlation matrix to the identity: MI exactly 0
    assert g.cca_mi(x, y, shrinkage=1.0) == 0.0


def test_cca_mi_singular_block_without_shrinkage_raises_with_hint():
    rng = np.random.default_rng(18)
    x = rng.standard_normal((10, 12))
    with pytest.raises(InvalidSampleError, match="shrinkage='ledoit_wolf'"):
        g.cca_mi(x, rng.standard_normal((10, 2)))
    assert math.isfinite(g.cca_mi(x, rng.standard_normal((10, 2)), shrinkage="ledoit_wolf"))


@pytest.mark.parametrize("bad", ["oas", -0.1, 1.5, True])
def test_cca_mi_rejects_bad_shrinkage(bad):
    x = np.random.default_rng(19).standard_normal((20, 2))
    with pytest.raises(InvalidParameterError, match="`shrinkage` must be"):
        g.cca_mi(x[:, :1], x[:, 1:], shrinkage=bad)


# ------------------------------------------------------------------------------------------ contract
def test_kernels_return_python_floats_and_never_modify_inputs():
    rng = np.random.default_rng(20)
    x, y, z = (rng.standard_normal((25, 2)) for _ in range(3))
    copies = [a.copy() for a in (x, y, z)]
    outs = [
        g.gaussian_entropy(x), g.gaussian_mi(x, y), g.gaussian_cmi(x, y, z), g.gaussian_copula_mi(x, y),
        g.gaussian_copula_cmi(x, y, z), g.cca_mi(x, y), g.cca_mi(x, y, shrinkage="ledoit_wolf"),
    ]
    g.copula_normalize(x)
    assert all(type(v) is float for v in outs)
    for a, c in zip((x, y, z), copies):
        np.testing.assert_array_equal(a, c)


# ------------------------------------------------------------------------------------------ slow tier
@pytest.mark.slow
def test_gaussian_estimators_match_frites_port_of_the_gcmi_reference_code():
    # frites.core.gcmi_1d ports Ince et al.'s gcmi (bits, bias-corrected, copnorm); same formula -> same number
    # to round-off. Continuous data has no ties, so both rank transforms agree. (Slow tier: frites imports mne.)
    pytest.importorskip("frites")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from frites.core import gcmi_1d as ref
    ln2 = math.log(2.0)
    rng = np.random.default_rng(21)
    for dx, dy, dz in [(1, 1, 1), (2, 3, 2), (4, 1, 3)]:
        x = rng.standard_normal((80, dx))
        y = x[:, :1] + rng.standard_normal((80, dy))
        z = y[:, :1] + rng.standard_normal((80, dz))
        assert g.gaussian_entropy(x) == pytest.approx(ref.ent_1d_g(x.T) * ln2, abs=TIGHT)
        assert g.gaussian_mi(x, y) == pytest.approx(ref.mi_1d_gg(x.T, y.T) * ln2, abs=TIGHT)
        assert g.gaussian_cmi(x, y, z) == pytest.approx(ref.cmi_1d_ggg(x.T, y.T, z.T) * ln2, abs=TIGHT)
        assert g.gaussian_copula_mi(x, y) == pytest.approx(ref.gcmi_1d_cc(x.T, y.T) * ln2, abs=TIGHT)
        assert g.gaussian_copula_cmi(x, y, z) == pytest.approx(ref.gccmi_1d_ccc(x.T, y.T, z.T) * ln2, abs=TIGHT)


@pytest.mark.slow
def test_gaussian_mi_large_n_converges_tightly():
    # n = 10^6, 2+2 dims: sd ≈ 0.002 nats; tolerance 0.01
    rng = np.random.default_rng(22)
    d = rng.standard_normal((1_000_000, 4)) @ np.linalg.cholesky(COV4).T
    assert g.gaussian_mi(d[:, :2], d[:, 2:]) == pytest.approx(_mi_true(COV4, 2), abs=0.01)
