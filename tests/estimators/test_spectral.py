"""Diffusion spectral entropy and mutual information (Liao, Liu et al. 2023), paper 16."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infokit.estimators.spectral import (
    _diffusion_eigenvalues,
    diffusion_spectral_entropy,
    diffusion_spectral_mutual_information,
    estimate_diffusion_spectral_entropy,
    estimate_diffusion_spectral_mutual_information,
)
from infokit.exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError

LN2 = math.log(2.0)


def tight_clusters(k: int, per: int, d: int = 8, spread: float = 1e-3, sep: float = 100.0, seed: int = 0):
    """k clusters of `per` points, radius ~spread, centres ~sep apart (far beyond σ = 10)."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((k, d)) * sep
    labels = np.repeat(np.arange(k), per)
    return centres[labels] + spread * rng.standard_normal((k * per, d)), labels


# ====================================================================================== DSE known answers
@pytest.mark.parametrize("k", [1, 2, 4, 8])
def test_dse_of_k_tight_separated_clusters_is_log_k(k):
    # Block-diagonal G with (near) all-ones blocks: each block of K = D^-1/2 G D^-1/2 is rank one with
    # eigenvalue 1, the rest are ~spread²/σ² ≈ 1e-8, so p is uniform on k eigenvalues: DSE = log k.
    # Tolerance 1e-4 nats: the ~1e-8 eigenvalues contribute about n·1e-8·log(1e8) ≈ 4e-5.
    z, _ = tight_clusters(k, 25)
    assert diffusion_spectral_entropy(z) == pytest.approx(math.log(k), abs=1e-4)


def test_dse_of_points_far_apart_is_log_n():
    # all pairwise distances >> σ: G = I exactly in float64 (exp(-x) underflows), K = I, p uniform on n
    z = np.arange(200, dtype=float)[:, None] * 1000.0
    assert diffusion_spectral_entropy(z) == pytest.approx(math.log(200), abs=1e-12)


def test_dse_of_identical_points_or_infinite_sigma_is_zero():
    # G = all ones: K = (1/n) 11ᵀ has one eigenvalue 1 and n-1 zeros (round-off ~1e-16): DSE = 0
    z = np.tile([1.0, -2.0, 3.0], (50, 1))
    assert diffusion_spectral_entropy(z) == pytest.approx(0.0, abs=1e-12)
    rng = np.random.default_rng(1)
    w = rng.standard_normal((50, 3))
    assert estimate_diffusion_spectral_entropy(w, sigma=math.inf) == pytest.approx(0.0, abs=1e-12)
    assert diffusion_spectral_entropy(w[:1]) == 0.0  # a single point: K = [[1]]


def test_dse_at_long_diffusion_time_counts_connected_components():
    # Two Gaussian clouds 1000 apart (G is exactly block diagonal) each connected at σ = 10: eigenvalue 1
    # has multiplicity 2 and the rest are < 1, so |λ|^t -> indicator of the two unit eigenvalues: log 2.
    # At t = 1e4 the next eigenvalue (≈ 0.99 here) contributes < 0.99**1e4 ≈ 1e-44: tolerance 1e-9.
    rng = np.random.default_rng(2)
    z = np.vstack([rng.standard_normal((60, 2)), rng.standard_normal((60, 2)) + 1000.0])
    assert diffusion_spectral_entropy(z, t=1e4) == pytest.approx(math.log(2), abs=1e-9)
    assert diffusion_spectral_entropy(z, t=1) > diffusion_spectral_entropy(z, t=2) > math.log(2)


def test_symmetric_operator_has_the_spectrum_of_the_random_walk():
    # Brute force: eigenvalues of the non-symmetric P = D^-1 G with a general eigensolver
    rng = np.random.default_rng(3)
    z = rng.standard_normal((80, 4)) * 5
    d2 = ((z[:, None, :] - z[None, :, :]) ** 2).sum(-1)
    g = np.exp(-d2 / (2 * 10.0**2))
    p = g / g.sum(axis=1, keepdims=True)
    ev_p = np.sort(np.linalg.eigvals(p).real)
    ev_k = np.sort(_diffusion_eigenvalues(z, 10.0))
    np.testing.assert_allclose(ev_k, ev_p, atol=1e-10)  # general eig on a non-normal matrix: ~1e-12 error
    assert ev_k.max() == pytest.approx(1.0, abs=1e-12)  # stochastic matrix: top eigenvalue 1
    # and the entropy from the brute-force spectrum matches
    q = np.abs(ev_p) / np.abs(ev_p).sum()
    q = q[q > 0]
    assert diffusion_spectral_entropy(z) == pytest.approx(float(-(q * np.log(q)).sum()), abs=1e-9)


def test_dse_matches_the_reference_package():
    # Oracle: PyPI `dse-dsmi` 1.1 (the authors' code), same σ and t; it reports bits and adds machine
    # epsilon to p (bias ~ n·ε·log(1/ε) ≈ 1e-11 bits): tolerance 1e-8 bits
    dse_dsmi = pytest.importorskip("dse_dsmi")
    rng = np.random.default_rng(4)
    z = rng.standard_normal((200, 16)) * 3
    for sigma, t in [(1.0, 1), (10.0, 1), (30.0, 1), (10.0, 2), (10.0, 5)]:
        ref = dse_dsmi.diffusion_spectral_entropy(z, gaussian_kernel_sigma=sigma, t=t)
        ours = estimate_diffusion_spectral_entropy(z, sigma=sigma, t=t, base=2)
        assert ours == pytest.approx(ref, abs=1e-8)


# ============================================================================================ invariances
@given(seed=st.integers(0, 2**31 - 1))
def test_dse_invariant_to_rotation_translation_and_permutation(seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((60, 5)) * rng.uniform(1, 20)
    q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    moved = (z @ q + rng.standard_normal(5) * 100)[rng.permutation(60)]
    for sigma in (10.0, "median", "knn"):
        a = diffusion_spectral_entropy(z, sigma=sigma)
        b = diffusion_spectral_entropy(moved, sigma=sigma)
        assert a == pytest.approx(b, abs=1e-8)  # distances agree to round-off; spectrum to ~1e-10


def test_dse_with_fixed_sigma_is_not_scale_invariant_but_median_and_knn_are():
    # N(0, I_8), n = 200, σ = 10: DSE(c·Z) grows from ≈0.63 bits towards log2(200) ≈ 7.64 bits (the notes'
    # values 0.626, 7.366, 7.644 for c = 1, 10, 100 with another draw); the data-driven bandwidths do not move.
    rng = np.random.default_rng(5)
    z = rng.standard_normal((200, 8))
    fixed = [estimate_diffusion_spectral_entropy(c * z, base=2) for c in (1, 10, 100)]
    assert fixed[0] < 1.0 and fixed[1] > 7.0 and fixed[2] == pytest.approx(math.log2(200), abs=1e-3)
    for rule in ("median", "knn"):
        vals = [estimate_diffusion_spectral_entropy(c * z, sigma=rule) for c in (0.01, 1, 100)]
        assert vals[0] == pytest.approx(vals[1], rel=1e-9) and vals[2] == pytest.approx(vals[1], rel=1e-9)


@given(seed=st.integers(0, 2**31 - 1), n=st.integers(2, 40), t=st.floats(0.25, 8))
def test_dse_lies_between_zero_and_log_n(seed, n, t):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 3)) * rng.uniform(0.1, 50)
    h = diffusion_spectral_entropy(z, t=t)
    assert 0.0 <= h <= math.log(n) + 1e-12


def test_max_n_subsamples_deterministically():
    rng = np.random.default_rng(6)
    z = rng.standard_normal((300, 3)) * 5
    a = diffusion_spectral_entropy(z, max_n=100, random_state=7)
    assert a == diffusion_spectral_entropy(z, max_n=100, random_state=7)
    idx = np.sort(np.random.default_rng(7).choice(300, 100, replace=False))
    assert a == pytest.approx(diffusion_spectral_entropy(z[idx], max_n=None), abs=1e-12)
    assert a != diffusion_spectral_entropy(z, max_n=None)


# ================================================================================================== DSMI
def test_dsmi_with_constant_label_is_exactly_zero():
    # one class of size n: every "random subset" is the whole set (kept in order), the same matrix, the same
    # eigenvalues: DSE(Z*) - DSE(Z|Y) = 0 exactly
    rng = np.random.default_rng(8)
    z = rng.standard_normal((120, 4)) * 4
    assert diffusion_spectral_mutual_information(z, np.zeros(120, dtype=np.int64), y_discrete=True) == 0.0
    # a constant continuous y is one bin too
    assert estimate_diffusion_spectral_mutual_information(z, np.full(120, 2.5)) == 0.0


@pytest.mark.parametrize("k", [2, 4])
def test_dsmi_with_labels_of_k_separated_clusters_is_log_k(k):
    # DSE(Z|Y=c) ≈ 0 (one tight cluster) and a random subset of 30 of the 30k points contains every cluster
    # (miss probability < k·(1-1/k)^30 < 1e-3 per draw... each present cluster adds eigenvalue 1 regardless
    # of its count) so DSE(Z*) ≈ log k. Tolerance 2e-3 nats: the rare draw missing a cluster (k = 4: 4·0.75^30
    # ≈ 7e-4 per draw) and the ~1e-8 eigenvalues.
    z, labels = tight_clusters(k, 30, seed=9)
    got = estimate_diffusion_spectral_mutual_information(z, labels, n_repetitions=10)
    assert got == pytest.approx(math.log(k), abs=2e-3)


def test_dsmi_with_independent_labels_is_near_zero():
    # labels independent of Z: class subsets and random subsets are exchangeable, so the estimate is a
    # mean-zero fluctuation; with 600 points, 3 classes and 20 repetitions its spread is ~0.01 nats (measured
    # over seeds 0..9: |DSMI| < 0.02), so 0.05 nats is a safe bound that a biased estimator would exceed
    # (the 3-cluster structure below gives ≈ 0.6 nats)
    rng = np.random.default_rng(10)
    z = rng.standard_normal((600, 5)) * 3
    y = rng.integers(0, 3, 600)
    assert abs(estimate_diffusion_spectral_mutual_information(z, y, n_repetitions=20)) < 0.05


def test_dsmi_agrees_with_the_reference_package_on_average():
    # Oracle: `dse-dsmi`'s DSMI. Both draw random subsets (different generators), so compare with many
    # repetitions: the subset mean has a seed-to-seed SD of ≈ 0.005 bits at R = 200 (measured), tolerance
    # 0.03 bits ≈ 4 combined SDs. The class-conditional part is deterministic and checked exactly below.
    dse_dsmi = pytest.importorskip("dse_dsmi")
    rng = np.random.default_rng(11)
    centres = rng.standard_normal((3, 5)) * 6
    y = np.repeat(np.arange(3), 60)
    z = centres[y] + 3 * rng.standard_normal((180, 5))
    ref, _ = dse_dsmi.diffusion_spectral_mutual_information(z, y.reshape(-1, 1), num_repetitions=200)
    ours = estimate_diffusion_spectral_mutual_information(z, y, n_repetitions=200, base=2)
    assert ours == pytest.approx(ref, abs=0.03)
    for c in range(3):
        ref_c = dse_dsmi.diffusion_spectral_entropy(z[y == c])
        assert estimate_diffusion_spectral_entropy(z[y == c], base=2) == pytest.approx(ref_c, abs=1e-8)


def test_dsmi_continuous_scalar_y_equals_dsmi_of_its_equal_width_bins():
    # a continuous scalar y is min-max scaled and cut into n_clusters equal-width bins (last bin closed);
    # passing those bins as labels must give the identical number (same seed, same subsets)
    rng = np.random.default_rng(12)
    z = rng.standard_normal((200, 3)) * 5
    y = z[:, 0] + rng.standard_normal(200)
    bins = np.clip(np.floor((y - y.min()) / (y.max() - y.min()) * 4), 0, 3).astype(int)
    a = estimate_diffusion_spectral_mutual_information(z, y, n_clusters=4)
    b = estimate_diffusion_spectral_mutual_information(z, bins)
    assert a == b
    # integers passed as floats are binned, not read as labels, unless the caller says so
    labels = rng.integers(0, 3, 200)
    assert estimate_diffusion_spectral_mutual_information(z, labels.astype(float), y_discrete=True) == \
        estimate_diffusion_spectral_mutual_information(z, labels)


@pytest.mark.filterwarnings("ignore:Graph is not fully connected")  # sklearn, on the 3 separated blobs
def test_dsmi_vector_y_is_clustered_into_its_groups():
    # y = well-separated 2-D blobs of equal size: k-means recovers the blobs, so DSMI equals DSMI with the
    # blob labels (equal class sizes: the relabelled classes consume the same subset draws) to round-off
    rng = np.random.default_rng(13)
    z, labels = tight_clusters(3, 40, seed=14)
    y = np.array([[0.0, 0.0], [50.0, 0.0], [0.0, 50.0]])[labels] + rng.standard_normal((120, 2))
    by_clusters = estimate_diffusion_spectral_mutual_information(z, y, n_clusters=3)
    by_labels = estimate_diffusion_spectral_mutual_information(z, labels)
    assert by_clusters == pytest.approx(by_labels, abs=1e-12)
    pytest.importorskip("sklearn")
    spectral = estimate_diffusion_spectral_mutual_information(z, y, n_clusters=3, clustering="spectral")
    assert spectral == pytest.approx(by_labels, abs=1e-12)


def test_dsmi_is_deterministic_given_random_state():
    rng = np.random.default_rng(15)
    z = rng.standard_normal((150, 4)) * 4
    y = rng.integers(0, 3, 150)
    a = estimate_diffusion_spectral_mutual_information(z, y, random_state=3)
    assert a == estimate_diffusion_spectral_mutual_information(z, y, random_state=3)
    assert a != estimate_diffusion_spectral_mutual_information(z, y, random_state=4)


def test_dsmi_with_median_sigma_is_scale_invariant():
    # σ is resolved once on all of Z and shared, so c·Z gives the same operator for every subset
    z, labels = tight_clusters(3, 30, spread=20.0, sep=30.0, seed=16)
    a = estimate_diffusion_spectral_mutual_information(z, labels, sigma="median")
    b = estimate_diffusion_spectral_mutual_information(1e-3 * z, labels, sigma="median")
    assert a == pytest.approx(b, rel=1e-9)
    assert a > 0.1  # and informative: the labels do explain part of the geometry


# ================================================================================ public API behaviour
def test_public_functions_accept_torch_and_do_not_mutate():
    rng = np.random.default_rng(17)
    z = rng.standard_normal((80, 3)) * 5
    y = rng.integers(0, 2, 80)
    z0, y0 = z.copy(), y.copy()
    a = estimate_diffusion_spectral_entropy(z)
    m = estimate_diffusion_spectral_mutual_information(z, y)
    np.testing.assert_array_equal(z, z0)
    np.testing.assert_array_equal(y, y0)
    torch = pytest.importorskip("torch")
    assert estimate_diffusion_spectral_entropy(torch.tensor(z)) == pytest.approx(a, abs=1e-12)
    got = estimate_diffusion_spectral_mutual_information(torch.tensor(z), torch.tensor(y))
    assert got == pytest.approx(m, abs=1e-12)


def test_units_are_converted_once():
    z, _ = tight_clusters(4, 10, seed=18)
    assert estimate_diffusion_spectral_entropy(z, base=2) == pytest.approx(
        estimate_diffusion_spectral_entropy(z) / LN2, rel=1e-14
    )


def test_nan_rows_raise_or_are_omitted():
    rng = np.random.default_rng(19)
    z = rng.standard_normal((50, 2))
    bad = z.copy()
    bad[7, 0] = np.inf
    msg = r"1 non-finite value\(s\) \(0 NaN, 1 inf\), the first at index \(7, 0\)"
    with pytest.raises(InvalidSampleError, match=msg):
        estimate_diffusion_spectral_entropy(bad)
    keep = np.arange(50) != 7
    assert estimate_diffusion_spectral_entropy(bad, nan_policy="omit") == estimate_diffusion_spectral_entropy(z[keep])


def test_bad_arguments_raise_clear_errors():
    z = np.zeros((10, 2))
    with pytest.raises(InvalidParameterError, match=r"`sigma` must be one of \{'median', 'knn'\}"):
        estimate_diffusion_spectral_entropy(z, sigma="silverman")
    with pytest.raises(InvalidParameterError, match=r"`sigma` must be a number > 0"):
        estimate_diffusion_spectral_entropy(z, sigma=0.0)
    with pytest.raises(InvalidParameterError, match=r"`t` \(diffusion time\) must be a finite number > 0"):
        estimate_diffusion_spectral_entropy(z, t=0)
    with pytest.raises(ShapeMismatchError, match=r"`x` and `y` must have the same number of rows"):
        estimate_diffusion_spectral_mutual_information(z, np.zeros(9, dtype=int))
    with pytest.raises(InvalidParameterError, match=r"`clustering` must be one of"):
        estimate_diffusion_spectral_mutual_information(z, np.zeros((10, 2)), clustering="dbscan")
    with pytest.raises(InvalidParameterError, match=r"`random_state` must be None, an integer >= 0"):
        estimate_diffusion_spectral_entropy(z, random_state=-1)
    with pytest.raises(InvalidSampleError, match=r"needs at least 2 rows"):
        estimate_diffusion_spectral_mutual_information(z[:1], np.zeros(1, dtype=int))
