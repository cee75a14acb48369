"""Mixed discrete–continuous kNN estimators (src/infokit/estimators/mixed.py).

Oracles: O(n²) loops written here from the estimators' definitions, exact plug-in identities on purely
discrete data, the KSG-1 identity on continuous data, scikit-learn's ``mutual_info_classif`` (its noise
reproduced), and the Bernoulli + Gaussian mixture whose MI is computed here by quadrature.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
import scipy.integrate
import scipy.special
import scipy.stats

import infokit.estimators._neighbors as nb
from infokit.estimators import knn, mixed
from infokit.exceptions import InvalidSampleError

psi = scipy.special.digamma

# Kernel vs O(n²) loop: identical counts, so only the float64 summation order of n terms of size O(10)
# differs — a few ulps of the mean, far below 1e-9.
PARITY = 1e-9


def _dist(a, b=None):
    b = a if b is None else b
    return np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)


def _mixture_truth():
    """I(X;Y) for X ~ Bernoulli(½), Y = X + N(0, 1).

    I = ∫ Σ_x ½ φ(y - x) log[φ(y - x) / f(y)] dy with f = ½φ(y) + ½φ(y - 1), by adaptive quadrature.
    """
    phi = scipy.stats.norm.pdf

    def integrand(y):
        f = 0.5 * phi(y) + 0.5 * phi(y - 1)
        return sum(0.5 * phi(y - x) * math.log(phi(y - x) / f) for x in (0.0, 1.0))

    return scipy.integrate.quad(integrand, -12, 13, epsabs=1e-13)[0]


TRUTH = _mixture_truth()


def _mixture(rng, n):
    c = rng.integers(0, 2, n)
    y = c + rng.standard_normal(n)
    return c, y


def _ref_gao(x, y, k):
    """Gao et al. (2017) Algorithm 1 in the form of the authors' reference code, as an O(n²) loop."""
    n = len(x)
    dx, dy = _dist(x), _dist(y)
    dz = np.maximum(dx, dy)
    for m in (dx, dy, dz):
        np.fill_diagonal(m, np.inf)
    rho = np.sort(dz, axis=1)[:, k - 1]
    atom = rho == 0
    kt = np.where(atom, (dz == 0).sum(1) + 1, k)
    nx = np.where(atom, (dx == 0).sum(1), (dx < rho[:, None]).sum(1))
    ny = np.where(atom, (dy == 0).sum(1), (dy < rho[:, None]).sum(1))
    return np.mean(psi(kt) + math.log(n) - psi(nx + 1) - psi(ny + 1))


def _ref_ross(codes, y, k):
    """Ross (2014) Eq. (2) with scikit-learn's conventions (k_i = min(k, N_c - 1), singletons dropped)."""
    sizes = np.bincount(codes)[codes]
    keep = sizes > 1
    codes, y, sizes = codes[keep], y[keep], sizes[keep]
    n = len(codes)
    d = _dist(y)
    ks, ms = np.empty(n), np.empty(n)
    for i in range(n):
        same = (codes == codes[i]) & (np.arange(n) != i)
        ki = min(k, sizes[i] - 1)
        di = np.sort(d[i, same])[ki - 1]
        ks[i] = ki
        ms[i] = (d[i] < di).sum() if di > 0 else (d[i] == 0).sum()  # the sample itself counted (d_ii = 0)
    return psi(n) - np.mean(psi(sizes)) + np.mean(psi(ks)) - np.mean(psi(ms))


# ------------------------------------------------------------------------------------------ Gao et al.
def test_gao_recovers_bernoulli_gaussian_mixture_truth():
    assert TRUTH == pytest.approx(0.11142, abs=5e-6)  # the value quoted in the issue
    rng = np.random.default_rng(1)
    c, y = _mixture(rng, 20000)
    x = (c / c.std())[:, None].astype(float)  # a standardised binary column: ties at distance 0
    # n = 20000, k = 3: bias +0.003, sd 0.006 (8 seeds measured); tolerance 0.03 (bias + 4.5 sd)
    assert mixed.gao_mixed_mi(x, (y / y.std())[:, None]) == pytest.approx(TRUTH, abs=0.03)


@pytest.mark.parametrize("d", [(1, 1), (2, 1)])
def test_gao_equals_bruteforce_on_mixed_data_with_ties(d):
    rng = np.random.default_rng(2)
    n = 600
    disc = rng.integers(0, 3, (n, 1)).astype(float)
    cont = np.round(rng.standard_normal((n, d[0])), 1)  # rounded: ties inside the continuous part too
    x = np.hstack([disc, cont])[:, : d[0]]
    y = np.round(disc + 0.5 * cont[:, :1] + rng.standard_normal((n, d[1])), 1)
    y[:50] = x[:50, :1]  # a block of rows that also tie across variables
    for k in (1, 3, 5):
        assert mixed.gao_mixed_mi(x, y, k) == pytest.approx(_ref_gao(x, y, k), abs=PARITY)


def test_gao_on_discrete_data_is_the_digamma_plug_in():
    # every cell of a 3×4 table seen more than k times, so rho_i = 0 for all i and
    # xi_i = psi(c_xy) + log n - psi(c_x) - psi(c_y) with the counts including sample i
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 3000)
    b = (a + rng.integers(0, 2, 3000)) % 4
    x, y = a[:, None].astype(float), b[:, None].astype(float)
    _, inv_xy, cxy = np.unique(np.c_[a, b], axis=0, return_inverse=True, return_counts=True)
    cx, cy = np.bincount(a)[a], np.bincount(b)[b]
    want = np.mean(psi(cxy[inv_xy.ravel()]) + math.log(3000) - psi(cx) - psi(cy))
    assert mixed.gao_mixed_mi(x, y) == pytest.approx(want, abs=PARITY)
    # and it is within O(K/n) of the plug-in MI of the same table (ψ(c) = log c - 1/(2c) + ...)
    pxy = np.bincount(a * 4 + b, minlength=12).reshape(3, 4) / 3000
    nz = pxy > 0
    plug = np.sum(pxy[nz] * np.log(pxy[nz] / np.outer(pxy.sum(1), pxy.sum(0))[nz]))
    assert mixed.gao_mixed_mi(x, y) == pytest.approx(plug, abs=0.01)


def test_gao_on_continuous_data_is_ksg1_with_log_n():
    # no ties: rho_i > 0, k~_i = k, strict counts, so the estimate is KSG-1 with log n in place of psi(n)
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1500, 2))
    y = x[:, :1] + rng.standard_normal((1500, 1))
    want = knn.ksg_mi(x, y) - psi(1500) + math.log(1500)
    assert mixed.gao_mixed_mi(x, y) == pytest.approx(want, abs=PARITY)


def test_gao_copy_of_a_fair_coin_is_log_two_and_symmetric():
    c = np.random.default_rng(5).integers(0, 2, (4000, 1)).astype(float)
    # all samples are atoms: psi(c) + log n - 2 psi(c) with c ~ n/2, i.e. log 2 + O(1/n)
    assert mixed.gao_mixed_mi(c, c) == pytest.approx(math.log(2), abs=1e-3)
    rng = np.random.default_rng(6)
    cc, y = _mixture(rng, 2000)
    x, yy = cc[:, None].astype(float), y[:, None]
    assert mixed.gao_mixed_mi(x, yy) == pytest.approx(mixed.gao_mixed_mi(yy, x), abs=1e-14)


def test_gao_scale_by_power_of_two_and_permutation_invariant():
    rng = np.random.default_rng(7)
    c, y = _mixture(rng, 1500)
    x, yy = c[:, None].astype(float), y[:, None]
    v = mixed.gao_mixed_mi(x, yy)
    assert mixed.gao_mixed_mi(2 * x, 2 * yy) == v  # exact in binary floating point
    p = rng.permutation(1500)
    assert mixed.gao_mixed_mi(x[p], yy[p]) == pytest.approx(v, abs=1e-12)


def test_gao_count_backends_agree(monkeypatch):
    pytest.importorskip("sklearn")
    monkeypatch.setattr(nb, "_MIN_PARALLEL", 1)
    rng = np.random.default_rng(8)
    x = np.round(rng.standard_normal((700, 2)), 1)
    y = np.round(x[:, :1] + rng.standard_normal((700, 2)), 1)
    a = mixed.gao_mixed_mi(x, y, backend="scipy")
    assert mixed.gao_mixed_mi(x, y, backend="sklearn") == a
    assert a == pytest.approx(_ref_gao(x, y, 3), abs=PARITY)


def test_gao_does_not_mutate_and_jitter_is_seeded():
    rng = np.random.default_rng(9)
    c, y = _mixture(rng, 800)
    x, yy = c[:, None].astype(float), np.round(y, 1)[:, None]
    xc, yc = x.copy(), yy.copy()
    a = mixed.gao_mixed_mi(x, yy, jitter=1e-6, random_state=3)
    assert a == mixed.gao_mixed_mi(x, yy, jitter=1e-6, random_state=3)
    assert a != mixed.gao_mixed_mi(x, yy)  # jitter dissolves the atoms, so the estimate changes
    np.testing.assert_array_equal(x, xc)
    np.testing.assert_array_equal(yy, yc)


# ------------------------------------------------------------------------------------------ Ross
def test_ross_matches_sklearn_mutual_info_classif_with_its_noise_reproduced():
    sk = pytest.importorskip("sklearn.feature_selection")
    rng = np.random.default_rng(10)
    codes = np.concatenate([rng.integers(0, 3, 1500), [3, 3], [4]])  # a class of 2 (< k+1) and a singleton
    y = codes + rng.standard_normal(len(codes))
    want = sk.mutual_info_classif(y[:, None], codes, n_neighbors=3, random_state=0)[0]
    # sklearn: scale the continuous feature to unit std (ddof=0), add 1e-10 max(1, mean|.|) N(0,1) noise
    ys = y / y.std()
    ys = ys + 1e-10 * max(1.0, np.mean(np.abs(ys))) * np.random.RandomState(0).standard_normal(len(ys))
    assert mixed.ross_mi(codes, ys[:, None]) == pytest.approx(want, abs=PARITY)


def test_ross_recovers_bernoulli_gaussian_mixture_truth():
    rng = np.random.default_rng(11)
    c, y = _mixture(rng, 20000)
    # n = 20000, k = 3: bias +0.003, sd 0.006 (8 seeds measured); tolerance 0.03
    assert mixed.ross_mi(c, (y / y.std())[:, None]) == pytest.approx(TRUTH, abs=0.03)


@pytest.mark.parametrize("d", [1, 2])
def test_ross_equals_bruteforce_with_ties_small_classes_and_singletons(d):
    rng = np.random.default_rng(12)
    codes = np.concatenate([rng.integers(0, 4, 500), [7, 7, 7], [8], [9, 9]])
    y = np.round(codes[:, None] * 0.3 + rng.standard_normal((len(codes), d)), 1)  # rounded: ties
    for k in (1, 3, 6):
        assert mixed.ross_mi(codes, y, k) == pytest.approx(_ref_ross(codes, y, k), abs=PARITY)


def test_ross_one_dimensional_fast_path_equals_general_path():
    # a duplicated column leaves every max-norm distance unchanged but routes through the per-class trees
    rng = np.random.default_rng(13)
    codes = rng.integers(0, 5, 3000)
    y = (codes + rng.standard_normal(3000))[:, None]
    assert mixed.ross_mi(codes, y) == mixed.ross_mi(codes, np.hstack([y, y]))


def test_ross_raises_when_every_class_is_a_singleton():
    with pytest.raises(InvalidSampleError, match="every class .* occurs once"):
        mixed.ross_mi(np.arange(10), np.random.default_rng(14).standard_normal((10, 1)))


def test_ross_does_not_mutate_inputs():
    rng = np.random.default_rng(15)
    codes = rng.integers(0, 3, 300)
    y = rng.standard_normal((300, 1))
    cc, yc = codes.copy(), y.copy()
    mixed.ross_mi(codes, y, jitter=1e-3, random_state=0)
    np.testing.assert_array_equal(codes, cc)
    np.testing.assert_array_equal(y, yc)


def test_docstring_examples_run():
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in finder.find(mixed, mixed.__name__):
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


@pytest.mark.slow
def test_gao_and_ross_converge_on_the_mixture_at_large_n():
    # n = 2·10^5: sd ~ 0.006/sqrt(10) ~ 0.002 scaled from n = 20000; tolerance 0.01 (bias + 3.5 sd)
    rng = np.random.default_rng(16)
    c, y = _mixture(rng, 200_000)
    ys = (y / y.std())[:, None]
    assert mixed.gao_mixed_mi((c / c.std())[:, None].astype(float), ys) == pytest.approx(TRUTH, abs=0.01)
    assert mixed.ross_mi(c, ys) == pytest.approx(TRUTH, abs=0.01)
