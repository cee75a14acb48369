"""kNN estimators (src/infokit/estimators/knn.py) and their neighbour engine (estimators/_neighbors.py).

Oracles: O(n²) textbook loops written here from the papers' formulas (same neighbours, same digamma terms —
the kernels must agree to 1e-9 and in practice agree to a few ulps), scikit-learn's
``mutual_info_regression`` and NPEET (when installed) with their noise reproduced exactly, closed forms of
Gaussians and AR processes, and the numpy path as the oracle of the torch path.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
import scipy.linalg
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import infokit.estimators._neighbors as nb
from infokit.estimators import knn
from infokit.estimators._neighbors import MaxNormSpace, maxnorm_pairwise_counts_bruteforce
from infokit.exceptions import InvalidParameterError, InvalidSampleError

psi = scipy.special.digamma

# Kernel vs textbook loop: identical counts and distances, so the only difference is the order of the
# float64 summation of n digamma/log terms of size O(10): a few ulps of the mean, far below 1e-9.
PARITY = 1e-9


# ------------------------------------------------------------------------------------------ references
def _dist(a, b=None):
    """Brute-force max-norm distance matrix, |fl(a_j - b_i)| maximised over columns."""
    b = a if b is None else b
    return np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)


def _kth_excl_self(d, k):
    d = d.copy()
    np.fill_diagonal(d, np.inf)
    return np.sort(d, axis=1)[:, k - 1]


def _ref_ksg(x, y, k, variant):
    """Kraskov et al. (2004) Eqs. (8)/(9), written as an O(n²) loop over the distance matrices."""
    n = len(x)
    dx, dy = _dist(x), _dist(y)
    dz = np.maximum(dx, dy)
    np.fill_diagonal(dz, np.inf)
    if variant == 1:
        eps = np.sort(dz, axis=1)[:, k - 1]
        np.fill_diagonal(dx, np.inf)
        np.fill_diagonal(dy, np.inf)
        nx = (dx < eps[:, None]).sum(1)
        ny = (dy < eps[:, None]).sum(1)
        return psi(k) + psi(n) - np.mean(psi(nx + 1)) - np.mean(psi(ny + 1))
    nbr = np.argsort(dz, axis=1, kind="stable")[:, :k]
    ex = np.take_along_axis(dx, nbr, 1).max(1)
    ey = np.take_along_axis(dy, nbr, 1).max(1)
    np.fill_diagonal(dx, np.inf)
    np.fill_diagonal(dy, np.inf)
    nx = (dx <= ex[:, None]).sum(1)
    ny = (dy <= ey[:, None]).sum(1)
    return psi(k) - 1 / k + psi(n) - np.mean(psi(nx)) - np.mean(psi(ny))


def _ref_fp(x, y, z, k):
    """Frenzel & Pompe (2007) CMI as an O(n²) loop."""
    dxz, dyz, dz = _dist(np.hstack([x, z])), _dist(np.hstack([y, z])), _dist(z)
    d = np.maximum(dxz, dyz)
    eps = _kth_excl_self(d, k)[:, None]
    cnt = []
    for m in (dxz, dyz, dz):
        np.fill_diagonal(m, np.inf)
        cnt.append((m < eps).sum(1))
    return psi(k) - np.mean(psi(cnt[0] + 1) + psi(cnt[1] + 1) - psi(cnt[2] + 1))


def _corr_gauss(rng, n, rho, d=1):
    """d independent pairs (x_c, y_c) with correlation rho; I(X;Y) = -d/2 log(1 - rho²)."""
    x = rng.standard_normal((n, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal((n, d))
    return x, y


# ------------------------------------------------------------------------------------------ the engine
def _adversarial(rng, n, d, quantum):
    """Data on a grid (many exact ties and radii equal to exact pairwise distances), spread over magnitudes."""
    base = np.round(rng.standard_normal((n, d)) / quantum) * quantum
    return base * rng.choice([1.0, 1e-3, 1e3], size=(1, d))


@pytest.mark.parametrize("d", [1, 2, 4])
@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("backend", ["scipy", "sklearn"])
def test_count_within_equals_bruteforce_on_ties_and_boundary_radii(d, strict, backend, monkeypatch):
    if backend == "sklearn":
        pytest.importorskip("sklearn")
    monkeypatch.setattr(nb, "_MIN_PARALLEL", 1)  # exercise the threaded path on a small sample
    rng = np.random.default_rng(11)
    x = _adversarial(rng, 700, d, 0.1)
    # radii: exact pairwise distances (points sit exactly on the sphere), zeros, and generic values
    dm = _dist(x)
    r = dm[np.arange(700), rng.integers(0, 700, 700)]
    r[::7] = 0.0
    r[::11] *= 1.37
    got = MaxNormSpace(x, backend=backend).count_within(r, strict=strict)
    want = maxnorm_pairwise_counts_bruteforce(x, r, strict=strict)
    np.testing.assert_array_equal(got, want)


def test_count_within_1d_exact_when_threshold_is_tiny_next_to_large_values():
    # v = -0.1 with radius 0.1: v + r rounds to -2.8e-17, and a naive ulp walk from there never ends; the
    # exact answer counts the points at distance < 0.1 (those in (-0.2, 0.0) as computed in float64)
    v = np.array([-0.1, -0.2, 0.0, -0.05, 0.1, -0.15, 0.3, -0.3]).reshape(-1, 1)
    r = np.full(8, 0.1)
    for strict in (True, False):
        got = MaxNormSpace(v).count_within(r, strict=strict)
        np.testing.assert_array_equal(got, maxnorm_pairwise_counts_bruteforce(v, r, strict=strict))


def test_count_within_rows_subset_matches_full_query():
    rng = np.random.default_rng(5)
    for d in (1, 3):
        x = _adversarial(rng, 400, d, 0.25)
        r = rng.uniform(0, 1, 400)
        rows = rng.choice(400, 57, replace=False)
        s = MaxNormSpace(x, backend="scipy")
        np.testing.assert_array_equal(s.count_within(r[rows], rows=rows), s.count_within(r)[rows])


@given(
    st.integers(1, 3),
    st.integers(2, 60),
    st.integers(0, 2**31 - 1),
    st.sampled_from([0.5, 0.1, 1e-3]),
)
def test_count_within_property_equals_bruteforce(d, n, seed, quantum):
    rng = np.random.default_rng(seed)
    x = _adversarial(rng, n, d, quantum)
    dm = _dist(x)
    r = dm[np.arange(n), rng.integers(0, n, n)]
    for strict in (True, False):
        np.testing.assert_array_equal(
            MaxNormSpace(x, backend="scipy").count_within(r, strict=strict),
            maxnorm_pairwise_counts_bruteforce(x, r, strict=strict),
        )


@pytest.mark.parametrize("d", [1, 3])
@pytest.mark.parametrize("k", [1, 4])
def test_kth_neighbor_distance_equals_bruteforce_with_ties(d, k):
    rng = np.random.default_rng(2)
    x = _adversarial(rng, 500, d, 0.2 if d == 1 else 1.0)  # coarse grid: many points have k duplicates
    got = MaxNormSpace(x).kth_neighbor_distance(k)
    np.testing.assert_array_equal(got, _kth_excl_self(_dist(x), k))
    assert (got == 0).any()  # the test does exercise ties


@pytest.mark.parametrize("d", [1, 2])
def test_kth_distance_from_outside_points_equals_bruteforce(d):
    rng = np.random.default_rng(8)
    pts = _adversarial(rng, 500, d, 0.1)
    ref = pts[:300]
    q = np.vstack([pts[300:], ref[:20]])  # includes points equal to sample points
    for k in (1, 3):
        want = np.sort(_dist(q, ref), axis=1)[:, k - 1]
        np.testing.assert_array_equal(MaxNormSpace(ref).kth_distance_from(q, k), want)


def test_neighbors_exclude_the_point_itself_even_among_many_duplicates():
    x = np.zeros((10, 2))  # ten identical points: any 3 others are valid neighbours, never the point itself
    x[5:] = 1.0
    dist, idx = MaxNormSpace(x).neighbors(3)
    assert not (idx == np.arange(10)[:, None]).any()
    np.testing.assert_array_equal(dist, 0.0)
    assert ((idx < 5) == (np.arange(10) < 5)[:, None]).all()  # neighbours come from the same cluster


# ------------------------------------------------------------------------------------------ KSG
@pytest.mark.parametrize("variant", [1, 2])
@pytest.mark.parametrize("dims", [(1, 1), (2, 1), (3, 2)])
def test_ksg_equals_textbook_bruteforce(variant, dims):
    rng = np.random.default_rng(100 + dims[0])
    n = 700
    x = rng.standard_normal((n, dims[0]))
    y = 0.6 * x[:, : dims[1]] + rng.standard_normal((n, dims[1]))
    for k in (1, 3, 7):
        assert knn.ksg_mi(x, y, k, variant) == pytest.approx(_ref_ksg(x, y, k, variant), abs=PARITY)


@pytest.mark.parametrize("backend", ["scipy", "sklearn"])
def test_ksg_count_backends_agree_exactly_with_textbook(backend, monkeypatch):
    pytest.importorskip("sklearn")
    monkeypatch.setattr(nb, "_MIN_PARALLEL", 1)
    rng = np.random.default_rng(9)
    x, y = _corr_gauss(rng, 600, 0.7, d=3)
    assert knn.ksg_mi(x, y, backend=backend) == pytest.approx(_ref_ksg(x, y, 3, 1), abs=PARITY)


def test_ksg1_on_tied_data_equals_textbook_and_is_finite():
    # documented behaviour on ties: eps = 0 gives zero strict counts; the number stays finite
    rng = np.random.default_rng(4)
    x = np.round(rng.standard_normal((500, 1)), 1)
    y = np.round(x + rng.standard_normal((500, 1)), 1)
    v = knn.ksg_mi(x, y)
    assert math.isfinite(v)
    assert v == pytest.approx(_ref_ksg(x, y, 3, 1), abs=PARITY)


def test_ksg1_matches_sklearn_mutual_info_regression_with_its_noise_reproduced():
    sk = pytest.importorskip("sklearn.feature_selection")
    rng = np.random.default_rng(21)
    x, y = _corr_gauss(rng, 2000, 0.8)
    want = sk.mutual_info_regression(x, y[:, 0], n_neighbors=3, random_state=0)[0]
    # sklearn (feature_selection/_mutual_info.py): scale to unit std (ddof=0, no centring), then add
    # 1e-10 * max(1, mean|.|) * N(0, 1) noise, X first then y, from RandomState(random_state)
    rs = np.random.RandomState(0)
    xs = x / x.std()
    xs = xs + 1e-10 * max(1.0, np.mean(np.abs(xs))) * rs.standard_normal((2000, 1))
    ys = y / y.std()
    ys = ys + 1e-10 * max(1.0, np.mean(np.abs(ys))) * rs.standard_normal((2000, 1))
    # same KSG-1 counts, same digamma terms; sklearn clips at 0, which does not bind here (MI ~ 0.51)
    assert knn.ksg_mi(xs, ys) == pytest.approx(want, abs=PARITY)


def test_ksg1_matches_npeet_with_its_noise_reproduced():
    ee = pytest.importorskip("npeet.entropy_estimators")
    rng = np.random.default_rng(22)
    x, y = _corr_gauss(rng, 1500, 0.6, d=2)
    np.random.seed(123)
    want = ee.mi(x, y, k=3, base=math.e)
    # NPEET adds 1e-10 * U[0, 1) noise to x then y from the global numpy RNG
    np.random.seed(123)
    xn = x + 1e-10 * np.random.random_sample(x.shape)
    yn = y + 1e-10 * np.random.random_sample(y.shape)
    # NPEET shrinks the radius by 1e-15 instead of one ulp; no distance falls in that gap at this n
    assert knn.ksg_mi(xn, yn) == pytest.approx(want, abs=PARITY)


@pytest.mark.parametrize("d", [1, 2])
def test_ksg_recovers_gaussian_mi(d):
    # I = -d/2 log(1 - rho²) = 0.5108 d nats for rho = 0.8. At n = 20000, k = 3 (8 seeds measured):
    # d = 1: bias < 0.001, sd 0.007 (KSG-1) / 0.008 (KSG-2); d = 2: bias +0.014, sd 0.006.
    # Tolerances: 0.035 (d = 1, > 4 sd) and 0.045 (d = 2, bias + 5 sd)
    rng = np.random.default_rng(31)
    x, y = _corr_gauss(rng, 20000, 0.8, d)
    truth = -0.5 * d * math.log(1 - 0.64)
    tol = 0.035 if d == 1 else 0.045
    assert knn.ksg_mi(x, y) == pytest.approx(truth, abs=tol)
    assert knn.ksg_mi(x, y, variant=2) == pytest.approx(truth, abs=tol)


def test_ksg_recovers_multivariate_gaussian_mi_with_cross_correlations():
    # I = ½ log(det Σx det Σy / det Σ) for a 2+1 Gaussian with correlated components; n = 20000, k = 3:
    # bias +0.007, sd 0.010 (8 seeds measured); tolerance 0.05 = bias + 4 sd
    cov = np.array([[1.0, 0.3, 0.6], [0.3, 1.0, -0.4], [0.6, -0.4, 1.0]])
    truth = 0.5 * (np.linalg.slogdet(cov[:2, :2])[1] + math.log(cov[2, 2]) - np.linalg.slogdet(cov)[1])
    z = np.random.default_rng(32).multivariate_normal(np.zeros(3), cov, size=20000)
    assert knn.ksg_mi(z[:, :2], z[:, 2:]) == pytest.approx(truth, abs=0.05)


def test_ksg_independent_variables_near_zero():
    # independent pairs: KSG is nearly unbiased at 0; sd 0.008 at n = 10000 (8 seeds), tolerance 5 sd
    rng = np.random.default_rng(33)
    x, y = rng.standard_normal((10000, 1)), rng.standard_normal((10000, 1))
    assert abs(knn.ksg_mi(x, y)) < 0.04


def test_ksg_symmetric_row_permutation_invariant_and_exact_under_power_of_two_scaling():
    rng = np.random.default_rng(34)
    x, y = _corr_gauss(rng, 1500, 0.5, d=2)
    v = knn.ksg_mi(x, y)
    # swapping the variables swaps the two count vectors: same terms, same sum
    assert knn.ksg_mi(y, x) == pytest.approx(v, abs=1e-14)
    p = rng.permutation(1500)
    assert knn.ksg_mi(x[p], y[p]) == pytest.approx(v, abs=1e-12)  # only the summation order changes
    # multiplying every coordinate by 4 is exact in binary floating point: same neighbours, same value
    assert knn.ksg_mi(4 * x, 4 * y) == v


def test_ksg_rejects_unknown_variant():
    x = np.zeros((10, 1))
    with pytest.raises(InvalidParameterError, match="`variant` must be 1 or 2"):
        knn.ksg_mi(x, x, variant=3)


def test_ksg_does_not_mutate_inputs_and_jitter_is_seeded():
    rng = np.random.default_rng(35)
    x = np.round(rng.standard_normal((800, 1)), 1)
    y = np.round(x + rng.standard_normal((800, 1)), 1)
    xc, yc = x.copy(), y.copy()
    a = knn.ksg_mi(x, y, jitter=1e-6, random_state=7)
    b = knn.ksg_mi(x, y, jitter=1e-6, random_state=7)
    c = knn.ksg_mi(x, y)
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(y, yc)
    assert a == b  # same seed, same noise
    assert a != c  # the noise breaks the ties, so the estimate moves
    assert c == knn.ksg_mi(x, y)  # no jitter: deterministic


# ------------------------------------------------------------------------------------------ KL entropy
@pytest.mark.parametrize("d", [1, 3])
def test_kl_entropy_recovers_gaussian_entropy(d):
    # H(N(0, Σ)) = ½ log det(2πeΣ). n = 20000, k = 3 (8 seeds): d = 1 bias -0.002, sd 0.008;
    # d = 3 bias -0.017, sd 0.016. Tolerances 0.05 (d = 1, 6 sd) and 0.08 (d = 3, bias + 4 sd)
    cov = np.eye(d) * 0.5 + 0.5 if d > 1 else np.array([[2.0]])
    truth = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    x = np.random.default_rng(40 + d).multivariate_normal(np.zeros(d), cov, size=20000)
    assert knn.kl_entropy(x) == pytest.approx(truth, abs=0.05 if d == 1 else 0.08)


def test_kl_entropy_equals_textbook_formula():
    rng = np.random.default_rng(41)
    x = rng.standard_normal((600, 2))
    for k in (1, 5):
        rho = _kth_excl_self(_dist(x), k)
        want = psi(600) - psi(k) + 2 * np.mean(np.log(2 * rho))  # Eq. (20) of Kraskov et al., c_d = 1
        assert knn.kl_entropy(x, k) == pytest.approx(want, abs=PARITY)


def test_kl_entropy_shifts_by_d_log2_when_data_double():
    x = np.random.default_rng(42).standard_normal((2000, 3))
    assert knn.kl_entropy(2 * x) - knn.kl_entropy(x) == pytest.approx(3 * math.log(2), abs=1e-12)


def test_kl_entropy_raises_on_duplicates():
    x = np.repeat(np.random.default_rng(43).standard_normal((50, 1)), 4, axis=0)
    with pytest.raises(InvalidSampleError, match=r"200 of 200 samples .* distance 0 .*jitter"):
        knn.kl_entropy(x, k=3)
    assert math.isfinite(knn.kl_entropy(x, k=3, jitter=1e-8, random_state=0))


# ------------------------------------------------------------------------------------------ KL divergence
def _gauss_kl(m1, s1, m0, s0):
    """D(N(m1, S1) || N(m0, S0)) = ½[tr(S0⁻¹S1) + (m0-m1)ᵀS0⁻¹(m0-m1) - d + log det S0/det S1]."""
    d = len(m1)
    s0i = np.linalg.inv(s0)
    dm = m0 - m1
    return 0.5 * (np.trace(s0i @ s1) + dm @ s0i @ dm - d + np.linalg.slogdet(s0)[1] - np.linalg.slogdet(s1)[1])


def test_knn_kl_divergence_recovers_gaussian_closed_form():
    m1, s1 = np.array([0.5, 0.0]), np.array([[1.0, 0.4], [0.4, 1.0]])
    m0, s0 = np.zeros(2), np.array([[1.5, 0.0], [0.0, 1.0]])
    truth = _gauss_kl(m1, s1, m0, s0)  # 0.3557 nats
    rng = np.random.default_rng(50)
    x = rng.multivariate_normal(m1, s1, size=20000)
    y = rng.multivariate_normal(m0, s0, size=20000)
    # k = 5 at n = m = 20000 in 2-D (8 seeds): bias +0.001, sd 0.009; tolerance 0.05 (> 5 sd)
    assert knn.knn_kl_divergence(x, y, k=5) == pytest.approx(truth, abs=0.05)


def test_knn_kl_divergence_equals_textbook_formula():
    rng = np.random.default_rng(51)
    x, y = rng.standard_normal((400, 2)), rng.standard_normal((300, 2)) + 0.3
    for k in (1, 4):
        rho = _kth_excl_self(_dist(x), k)
        nu = np.sort(_dist(x, y), axis=1)[:, k - 1]
        want = 2 * np.mean(np.log(nu / rho)) + math.log(300 / 399)  # Eq. (5) of Wang et al. (2009)
        assert knn.knn_kl_divergence(x, y, k) == pytest.approx(want, abs=PARITY)


def test_knn_kl_divergence_of_same_distribution_near_zero():
    rng = np.random.default_rng(52)
    # D(P||P) = 0; at n = m = 10000, k = 5 the sd is 0.007 (8 seeds); tolerance 0.05
    assert abs(knn.knn_kl_divergence(rng.standard_normal((10000, 2)), rng.standard_normal((10000, 2)), k=5)) < 0.05


def test_knn_kl_divergence_raises_on_shared_points():
    x = np.random.default_rng(53).standard_normal((100, 1))
    with pytest.raises(InvalidSampleError, match="coincide with k points of `y`"):
        knn.knn_kl_divergence(x, x.copy(), k=1)


# ------------------------------------------------------------------------------------------ Rényi / Tsallis
def _gauss_int_f_alpha(cov, a):
    """∫ N(0, Σ)^α = (2π)^{d(1-α)/2} det(Σ)^{(1-α)/2} α^{-d/2}."""
    d = cov.shape[0]
    return (2 * math.pi) ** (d * (1 - a) / 2) * np.linalg.det(cov) ** ((1 - a) / 2) * a ** (-d / 2)


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_knn_renyi_recovers_gaussian_closed_form(alpha):
    # H_α(N(0, Σ)) = ½ log det(2πΣ) + (d/2) log(α)/(α - 1); n = 20000, k = 3, d = 2 (8 seeds):
    # α = 2: bias +0.002, sd 0.015 -> tolerance 0.07 (4.5 sd); α = 0.5: bias -0.040, sd 0.024 (α < 1
    # weights the sparse tails, where kNN balls are large) -> tolerance 0.13 (bias + 3.7 sd)
    cov = np.array([[1.0, 0.5], [0.5, 2.0]])
    truth = 0.5 * np.linalg.slogdet(2 * math.pi * cov)[1] + math.log(alpha) / (alpha - 1)
    x = np.random.default_rng(60).multivariate_normal(np.zeros(2), cov, size=20000)
    assert knn.knn_renyi_entropy(x, alpha) == pytest.approx(truth, abs=0.07 if alpha > 1 else 0.13)


def test_knn_tsallis_recovers_gaussian_closed_form():
    # S_q = (1 - ∫f^q)/(q - 1); for q = 2 and this Σ, ∫f² = 1/(4π sqrt(det Σ)) = 0.0602;
    # bias 1e-4, sd 0.0009 (8 seeds); tolerance 0.005
    cov = np.array([[1.0, 0.5], [0.5, 2.0]])
    truth = (1 - _gauss_int_f_alpha(cov, 2.0)) / (2.0 - 1.0)
    x = np.random.default_rng(61).multivariate_normal(np.zeros(2), cov, size=20000)
    assert knn.knn_tsallis_entropy(x, 2.0) == pytest.approx(truth, abs=0.005)


def test_knn_renyi_equals_lps_formula_and_is_continuous_at_alpha_one():
    rng = np.random.default_rng(62)
    x = rng.standard_normal((500, 2))
    rho = _kth_excl_self(_dist(x), 3)
    for a in (0.7, 1.8):
        ck = (math.gamma(3) / math.gamma(4 - a)) ** (1 / (1 - a))
        zeta = 499 * ck * 4.0 * rho**2  # V_2 = 2² for the max-norm
        want = math.log(np.mean(zeta ** (1 - a))) / (1 - a)
        assert knn.knn_renyi_entropy(x, a) == pytest.approx(want, abs=PARITY)
    h1 = knn.knn_renyi_entropy(x, 1.0)
    assert h1 == pytest.approx(np.mean(np.log(499 * math.exp(-psi(3)) * 4.0 * rho**2)), abs=PARITY)
    # the α → 1 limit: |H_α - H_1| = O(|α - 1|) with slope ~ Var(log ζ)/2 ~ 1
    assert knn.knn_renyi_entropy(x, 1 + 1e-6) == pytest.approx(h1, abs=1e-5)
    assert knn.knn_renyi_entropy(x, 1 - 1e-6) == pytest.approx(h1, abs=1e-5)
    assert knn.knn_tsallis_entropy(x, 1.0) == h1


def test_knn_renyi_rejects_alpha_beyond_k_plus_one():
    x = np.random.default_rng(63).standard_normal((50, 1))
    with pytest.raises(InvalidParameterError, match=r"must be < k \+ 1 = 4"):
        knn.knn_renyi_entropy(x, 4.0, k=3)


# ------------------------------------------------------------------------------------------ FP CMI
def test_fp_cmi_equals_textbook_bruteforce():
    rng = np.random.default_rng(70)
    x = rng.standard_normal((500, 1))
    z = x + rng.standard_normal((500, 2))
    y = z[:, :1] + 0.5 * x + rng.standard_normal((500, 1))
    for k in (1, 4):
        assert knn.fp_cmi(x, y, z, k) == pytest.approx(_ref_fp(x, y, z, k), abs=PARITY)


def test_fp_cmi_gaussian_chain_is_near_zero():
    # X -> Z -> Y: I(X;Y|Z) = 0; n = 10000, k = 3: bias -0.001, sd 0.0085 (8 seeds); tolerance 0.04
    rng = np.random.default_rng(71)
    x = rng.standard_normal((10000, 1))
    z = x + rng.standard_normal((10000, 1))
    y = z + rng.standard_normal((10000, 1))
    assert abs(knn.fp_cmi(x, y, z)) < 0.04


def test_fp_cmi_recovers_gaussian_partial_correlation_value():
    # jointly Gaussian: I(X;Y|Z) = -½ log(1 - ρ²_{XY·Z}); here ρ_{XY·Z} = 0.6 by construction
    # (X = Z + U, Y = Z + 0.6 U + 0.8 V, U, V, Z iid N(0,1)), truth 0.2231; at n = 10000: bias +0.001,
    # sd 0.011 (8 seeds); tolerance 0.05
    rng = np.random.default_rng(72)
    z, u, v = rng.standard_normal((3, 10000, 1))
    x, y = z + u, z + 0.6 * u + 0.8 * v
    assert knn.fp_cmi(x, y, z) == pytest.approx(-0.5 * math.log(1 - 0.36), abs=0.05)


# ------------------------------------------------------------------------------------------ transfer entropy
def _ar_te(a, b, c, sx, sy):
    """TE X→Y (lag 1, history 1) of x_t = a x_{t-1} + sx ε, y_t = b y_{t-1} + c x_{t-1} + sy η (Gaussian).

    TE = ½ log(Var(y_t | y_{t-1}) / Var(y_t | y_{t-1}, x_{t-1})); the denominator is sy². The stationary
    covariance Σ of s_t = (x_t, y_t) solves Σ = A Σ Aᵀ + Q, so Cov(y_t, y_{t-1}) = (A Σ)[1, 1] and
    Var(y_t | y_{t-1}) = Σ[1, 1] - (AΣ)[1, 1]² / Σ[1, 1].
    """
    A = np.array([[a, 0.0], [c, b]])
    S = scipy.linalg.solve_discrete_lyapunov(A, np.diag([sx**2, sy**2]))
    cov_lag = (A @ S)[1, 1]
    v = S[1, 1] - cov_lag**2 / S[1, 1]
    return 0.5 * math.log(v / sy**2)


def _ar_series(rng, n, a, b, c):
    e = rng.standard_normal((n + 200, 2))
    x = np.zeros(n + 200)
    y = np.zeros(n + 200)
    for t in range(1, n + 200):
        x[t] = a * x[t - 1] + e[t, 0]
        y[t] = b * y[t - 1] + c * x[t - 1] + e[t, 1]
    return x[200:, None], y[200:, None]


def test_transfer_entropy_recovers_coupled_ar_closed_form_and_direction():
    a, b, c = 0.6, 0.4, 0.8
    truth = _ar_te(a, b, c, 1.0, 1.0)  # 0.2037 nats
    x, y = _ar_series(np.random.default_rng(80), 10000, a, b, c)
    # FP CMI at n = 10000 with a 3-D joint space: bias +0.004, sd 0.009 (8 seeds); tolerance 0.045
    assert knn.transfer_entropy_knn(x, y) == pytest.approx(truth, abs=0.045)
    # no coupling from Y to X: TE Y→X = 0; bias -0.004, sd 0.0085; tolerance 0.04
    assert abs(knn.transfer_entropy_knn(y, x)) < 0.04


def test_delay_embedding_rows_by_hand():
    src = np.arange(10.0)[:, None]
    tgt = 100 + np.arange(10.0)[:, None]
    fut, sp, tp = knn.delay_embedding(src, tgt, lag=2, history=2, source_history=3)
    # t0 = max(h=2, ℓ + h_s - 1 = 4) = 4: future y_4.., source past (x_{t-2}, x_{t-3}, x_{t-4}),
    # target past (y_{t-1}, y_{t-2})
    np.testing.assert_array_equal(fut[:, 0], 100 + np.arange(4, 10))
    np.testing.assert_array_equal(sp[0], [2.0, 1.0, 0.0])
    np.testing.assert_array_equal(tp[0], [103.0, 102.0])
    assert sp.shape == (6, 3) and tp.shape == (6, 2)


def test_transfer_entropy_equals_fp_cmi_on_the_embedding():
    rng = np.random.default_rng(81)
    x, y = _ar_series(rng, 600, 0.5, 0.3, 0.9)
    fut, sp, tp = knn.delay_embedding(x, y, 1, 2)
    assert knn.transfer_entropy_knn(x, y, history=2) == pytest.approx(_ref_fp(fut, sp, tp, 3), abs=PARITY)


# ------------------------------------------------------------------------------------------ torch path
try:
    import torch
except ImportError:  # torch is an optional extra: its tests skip, the rest of the module runs
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="torch is not installed")


@needs_torch
@pytest.mark.parametrize("variant", [1, 2])
def test_ksg_torch_equals_numpy_on_cpu(variant):
    rng = np.random.default_rng(90)
    x, y = _corr_gauss(rng, 1200, 0.6, d=2)
    want = knn.ksg_mi(x, y, variant=variant)
    got = knn.ksg_mi_torch(torch.from_numpy(x), torch.from_numpy(y), variant=variant, chunk_size=257)
    assert got == pytest.approx(want, abs=PARITY)
    # float32 tensors are computed in float64: same as numpy on the float64 copy
    x32, y32 = torch.from_numpy(x).float(), torch.from_numpy(y).float()
    want32 = knn.ksg_mi(x32.double().numpy(), y32.double().numpy(), variant=variant)
    assert knn.ksg_mi_torch(x32, y32, variant=variant) == pytest.approx(want32, abs=PARITY)


@needs_torch
def test_kl_entropy_and_fp_cmi_torch_equal_numpy_on_cpu():
    rng = np.random.default_rng(91)
    x = rng.standard_normal((900, 2))
    y = x[:, :1] + rng.standard_normal((900, 1))
    z = x[:, 1:] + rng.standard_normal((900, 1))
    t = torch.from_numpy
    assert knn.kl_entropy_torch(t(x), chunk_size=100) == pytest.approx(knn.kl_entropy(x), abs=PARITY)
    assert knn.fp_cmi_torch(t(x), t(y), t(z), chunk_size=333) == pytest.approx(knn.fp_cmi(x, y, z), abs=PARITY)


@needs_torch
def test_kl_entropy_torch_raises_on_duplicates():
    x = torch.zeros((20, 1), dtype=torch.float64)
    with pytest.raises(InvalidSampleError, match="distance 0"):
        knn.kl_entropy_torch(x)


@pytest.mark.gpu
@pytest.mark.skipif(torch is None or not torch.cuda.is_available(), reason="needs torch and a CUDA device")
def test_torch_kernels_on_gpu_equal_numpy():
    rng = np.random.default_rng(92)
    x, y = _corr_gauss(rng, 20000, 0.8, d=2)
    z = rng.standard_normal((20000, 1)) + x[:, :1]
    c = lambda a: torch.from_numpy(a).cuda()  # noqa: E731
    for v in (1, 2):
        assert knn.ksg_mi_torch(c(x), c(y), variant=v) == pytest.approx(knn.ksg_mi(x, y, variant=v), abs=PARITY)
    assert knn.kl_entropy_torch(c(x)) == pytest.approx(knn.kl_entropy(x), abs=PARITY)
    assert knn.fp_cmi_torch(c(x), c(y), c(z)) == pytest.approx(knn.fp_cmi(x, y, z), abs=PARITY)


# ------------------------------------------------------------------------------------------ docs
def test_docstring_examples_run():
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in finder.find(knn, knn.__name__):
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


# ------------------------------------------------------------------------------------------ slow tier
@pytest.mark.slow
def test_ksg_large_n_consistency_in_one_dimension():
    # n = 2·10^5: KSG-1 error at d = 1, ρ = 0.8 shrinks below 0.01 (measured +0.003 at 10^5 in the peer study)
    rng = np.random.default_rng(95)
    x, y = _corr_gauss(rng, 200_000, 0.8)
    assert knn.ksg_mi(x, y) == pytest.approx(-0.5 * math.log(0.36), abs=0.01)


@pytest.mark.slow
def test_ksg_equals_textbook_on_larger_multivariate_sample():
    rng = np.random.default_rng(96)
    x, y = _corr_gauss(rng, 3000, 0.8, d=3)
    for v in (1, 2):
        assert knn.ksg_mi(x, y, variant=v) == pytest.approx(_ref_ksg(x, y, 3, v), abs=PARITY)
