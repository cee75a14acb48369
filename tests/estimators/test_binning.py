"""Binning estimators and the adaptive KDE of Chelombiev, Houghton & O'Donnell (2019), paper 12."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from infokit.estimators.binning import (
    LAYER_METHODS,
    KDEEntropyBounds,
    LayerInformation,
    _combine_columns,
    adaptive_kde_mi,
    binned_entropy,
    binned_mi,
    ebab_codes,
    equal_mass_codes,
    estimate_binned_entropy,
    estimate_binned_mutual_information,
    estimate_kde_entropy_bounds,
    estimate_layer_information,
    fixed_width_codes,
    kde_entropy_bounds,
)
from infokit.exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

LN2 = math.log(2.0)


def patterns(bits: int = 12) -> np.ndarray:
    """All 2**bits binary patterns, one per row (the input set of Shwartz-Ziv & Tishby / paper 12)."""
    return ((np.arange(2**bits)[:, None] >> np.arange(bits)) & 1).astype(np.float64)


def quadratic_labels(x: np.ndarray, seed: int = 0) -> np.ndarray:
    """Balanced binary label 1[g(x) > median g] for a fixed random quadratic g (the notes' §3(4) recipe)."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((x.shape[1], x.shape[1]))
    s = 2 * x - 1
    g = np.einsum("ni,ij,nj->n", s, a, s) + s @ rng.standard_normal(x.shape[1])
    return (g > np.median(g)).astype(np.int64)


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    """True iff two label arrays induce the same partition of the rows (equal up to relabelling)."""
    pairs = np.unique(np.stack([a, b], axis=1), axis=0)
    return len(pairs) == len(np.unique(a)) == len(np.unique(b))


# ===================================================================================== EBAB known answers
def test_ebab_identity_layer_over_12bit_patterns_keeps_all_12_bits():
    # T = X: the unique activation levels are {0, 1} (2 <= 30 bins), so binning is lossless and the 4096
    # distinct patterns stay distinct: I(X;T) = H(T) = log2 4096 = 12 bits; I(T;Y) = H(Y) = 1 bit for a
    # balanced binary label. Tolerance 1e-12: only float round-off of log(4096)/log(2).
    x = patterns(12)
    y = quadratic_labels(x)
    assert np.bincount(y).tolist() == [2048, 2048]
    res = estimate_layer_information(x, y, method="ebab", base=2)
    assert res.i_xt == pytest.approx(12.0, abs=1e-12)
    assert res.i_ty == pytest.approx(1.0, abs=1e-12)
    # with the ReLU lower edge low=0 the zeros get their own bin: still lossless
    assert estimate_binned_entropy(x, low=0.0, base=2) == pytest.approx(12.0, abs=1e-12)


def test_ebab_constant_layer_carries_no_information():
    # every input maps to the same activation vector: one joint bin, H(T) = 0 and I(T;Y) = 0 exactly
    t = np.full((4096, 5), 0.37)
    y = quadratic_labels(patterns(12))
    res = estimate_layer_information(t, y, method="ebab")
    assert res.i_xt == 0.0
    assert res.i_ty == 0.0


def test_ebab_lossless_when_unique_levels_fit_in_the_bins():
    # 7 distinct levels <= 30 bins: each level is its own bin, so H equals the entropy of the level counts
    rng = np.random.default_rng(3)
    levels = np.array([-3.0, -0.5, 0.0, 0.25, 1.0, 7.0, 100.0])
    idx = rng.integers(0, 7, size=500)
    x = levels[idx][:, None]
    counts = np.bincount(idx, minlength=7)
    p = counts[counts > 0] / 500
    assert binned_entropy(x, "ebab", 30) == pytest.approx(float(-(p * np.log(p)).sum()), abs=1e-12)


def test_ebab_bins_hold_equal_numbers_of_unique_values():
    # U = 300 distinct values, B = 30 bins: the edges are every 10th unique value, so each bin holds exactly
    # 10 distinct values — the defining property of EBAB ([1] §3.1)
    rng = np.random.default_rng(4)
    vals = np.sort(rng.exponential(size=300))
    x = np.repeat(vals, rng.integers(1, 5, size=300))[:, None]  # repeated levels must not change the edges
    codes, k = ebab_codes(x, 30)
    assert k == 30
    uniq_per_bin = [len(np.unique(x[codes == c, 0])) for c in range(k)]
    assert uniq_per_bin == [10] * 30


def _ebab_reference_partition(values: np.ndarray, n_bins: int, low: float) -> np.ndarray:
    """The reference code's EBAB, re-derived from its description (edges [low, u_(floor(kU/B)).., u_max],
    value -> bins[digitize - 1]); written with explicit loops as a brute force."""
    uniq = sorted(set(values.tolist()) - {low})
    m = len(uniq)
    edges = [low] + [uniq[int(k * (m / n_bins))] for k in range(n_bins)] + [uniq[-1]]
    out = []
    for v in values:
        i = sum(1 for e in edges if e <= v)  # np.digitize(v, edges) for increasing edges
        out.append(edges[i - 1])
    return np.array(out)


def test_ebab_matches_reference_partition_except_the_maximum_shares_the_top_bin():
    # Oracle: a loop re-derivation of the reference binning. Our one deviation (documented): the maximum does
    # not get a bin of its own, it shares the top bin. So the partitions agree once the reference's
    # {max} bin is merged into the bin below it.
    rng = np.random.default_rng(5)
    v = np.maximum(rng.standard_normal(400), 0.0) * 3  # ReLU-like: many zeros, low = 0
    ref = _ebab_reference_partition(v, 30, 0.0)
    top = np.max(v)
    below_top = np.max(ref[ref < top])
    ref_merged = np.where(ref == top, below_top, ref)
    codes, _ = ebab_codes(v[:, None], 30, low=0.0)
    assert same_partition(codes, ref_merged)


def test_ebab_values_below_low_go_to_the_bottom_bin_not_the_top():
    # The reference's digitize(...) - 1 wraps values below `low` to index -1 (the top bin); we clip them
    # into bin 0 with the values at `low`.
    v = np.array([-0.5, 0.0, 0.0, 0.3, 0.9, 2.0, 5.0])[:, None]
    codes, _ = ebab_codes(v, 3, low=0.0)
    assert codes[0] == codes[1] == codes[2]
    assert codes[0] != codes[-1]


@given(
    seed=st.integers(0, 2**31 - 1),
    which=st.sampled_from(["exp", "cubic", "affine", "arctan"]),
    per_layer=st.booleans(),
)
def test_ebab_invariant_under_strictly_increasing_map(seed, which, per_layer):
    # Unique values keep their order under a strictly increasing g, so the edges are g(edges) and every value
    # lands in the same bin: the codes — hence every entropy — are *exactly* equal.
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((300, 3)) * rng.uniform(0.1, 3)
    g = {
        "exp": np.exp,
        "cubic": lambda z: z**3 + z,
        "affine": lambda z: 7.5 * z - 2.0,
        "arctan": np.arctan,
    }[which]
    c1, k1 = ebab_codes(t, 30, per_layer=per_layer)
    c2, k2 = ebab_codes(g(t), 30, per_layer=per_layer)
    assert k1 == k2
    np.testing.assert_array_equal(c1, c2)
    # with a lower edge, map it too
    low = float(np.quantile(t, 0.2))
    np.testing.assert_array_equal(
        ebab_codes(t, 10, low=low, per_layer=per_layer)[0],
        ebab_codes(g(t), 10, low=float(g(low)), per_layer=per_layer)[0],
    )


def test_fixed_width_binning_is_not_invariant_under_increasing_map():
    # The same test fails for fixed-width bins: exp() squeezes most values into the first bins. The change
    # (≈ 2.7 nats here) is far outside round-off, so the discriminating test cannot pass by accident.
    rng = np.random.default_rng(6)
    t = rng.standard_normal((2000, 1))
    h_t = binned_entropy(t, "fixed_width", 30)
    h_gt = binned_entropy(np.exp(t), "fixed_width", 30)
    assert abs(h_t - h_gt) > 0.5
    assert binned_entropy(t, "ebab", 30) == binned_entropy(np.exp(t), "ebab", 30)


@given(seed=st.integers(0, 2**31 - 1), n_bins=st.integers(1, 12))
def test_equal_mass_invariant_under_increasing_map_per_column(seed, n_bins):
    # inverted-CDF quantile edges are observed values, so a strictly increasing map per column maps the edges
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((200, 2))
    g = np.column_stack([np.exp(t[:, 0]), t[:, 1] ** 3])
    np.testing.assert_array_equal(equal_mass_codes(t, n_bins)[0], equal_mass_codes(g, n_bins)[0])


# ================================================================================= classical schemes
def test_equal_mass_bins_hold_equal_counts():
    # 1000 distinct values into 10 bins: exactly 100 per bin
    rng = np.random.default_rng(7)
    x = rng.standard_normal((1000, 1))
    codes, k = equal_mass_codes(x, 10)
    assert k == 10
    assert np.bincount(codes).tolist() == [100] * 10


def test_fixed_width_column_codes_match_numpy_histogram():
    # Oracle: np.histogram uses the same half-open equal-width bins with the last one closed
    rng = np.random.default_rng(8)
    x = rng.uniform(-2, 5, size=(777, 1))
    codes, k = fixed_width_codes(x, 13)
    hist, _ = np.histogram(x[:, 0], bins=13, range=(x.min(), x.max()))
    # codes are dense over the occupied bins; compare occupied counts in bin order
    assert np.bincount(codes, minlength=k).tolist() == hist[hist > 0].tolist()


def test_fixed_width_explicit_range_clips_outliers_into_end_bins():
    x = np.array([[-10.0], [0.05], [0.5], [0.95], [10.0]])
    codes, _ = fixed_width_codes(x, 10, range=(0.0, 1.0))
    assert codes[0] == codes[1]  # -10 clipped into bin 0 with 0.05
    assert codes[3] == codes[4]  # 10 clipped into bin 9 with 0.95
    assert len(np.unique(codes)) == 3


def test_binned_entropy_matches_scipy_entropy_of_bin_counts():
    # Oracle: scipy.stats.entropy of the joint-bin counts from an independent np.unique(axis=0) path
    from scipy.stats import entropy as sp_entropy

    rng = np.random.default_rng(9)
    x = rng.standard_normal((1500, 3))
    for scheme in ("ebab", "fixed_width", "equal_mass"):
        codes, _ = {"ebab": lambda: ebab_codes(x, 5), "fixed_width": lambda: fixed_width_codes(x, 5),
                    "equal_mass": lambda: equal_mass_codes(x, 5)}[scheme]()
        assert binned_entropy(x, scheme, 5) == pytest.approx(sp_entropy(np.bincount(codes)), abs=1e-12)
    # independent joint counting of the per-column fixed-width bins
    lo, hi = x.min(), x.max()
    cols = np.clip(np.floor((x - lo) / (hi - lo) * 5), 0, 4).astype(int)
    _, counts = np.unique(cols, axis=0, return_counts=True)
    assert binned_entropy(x, "fixed_width", 5) == pytest.approx(sp_entropy(counts), abs=1e-12)


def test_binned_mi_matches_sklearn_mutual_info_score():
    # Oracle: sklearn.metrics.mutual_info_score is the plug-in MI (nats) of two label arrays
    from sklearn.metrics import mutual_info_score

    rng = np.random.default_rng(10)
    y = rng.integers(0, 4, size=2000)
    x = (y[:, None] + rng.standard_normal((2000, 2))).astype(np.float64)
    codes, _ = ebab_codes(x, 8)
    expected = mutual_info_score(y, codes)
    assert binned_mi(x, y, "ebab", 8) == pytest.approx(expected, abs=1e-12)
    assert estimate_binned_mutual_information(x, y, n_bins=8) == pytest.approx(expected, abs=1e-12)


def test_binned_mi_of_continuous_y_bins_it_with_the_same_scheme():
    from sklearn.metrics import mutual_info_score

    rng = np.random.default_rng(11)
    x = rng.standard_normal((800, 1))
    y = x + 0.5 * rng.standard_normal((800, 1))
    cx, _ = equal_mass_codes(x, 6)
    cy, _ = equal_mass_codes(y, 6)
    got = estimate_binned_mutual_information(x, y, scheme="equal_mass", n_bins=6)
    assert got == pytest.approx(mutual_info_score(cx, cy), abs=1e-12)


def test_combining_many_columns_does_not_overflow():
    # 40 columns x 30 bins = 30**40 joint cells (> 2**63): the joint code must still separate exactly the
    # distinct rows of the per-column code matrix
    rng = np.random.default_rng(12)
    cols = rng.integers(0, 30, size=(500, 40))
    cols[250:] = cols[:250]  # duplicate rows must share a code
    codes, k = _combine_columns(cols, [30] * 40)
    _, inv = np.unique(cols, axis=0, return_inverse=True)
    assert k == 250
    assert same_partition(codes, inv.reshape(-1))


# ============================================================================================ adaptive KDE
def test_kde_identical_activations_give_zero_information_exactly():
    # all t_i equal: every pairwise distance is 0, log mean_j 1 = 0, so I(X;T) = 0 exactly (both bounds)
    t = np.full((64, 3), 0.8)
    y = np.repeat([0, 1], 32)
    for bound in ("upper", "lower"):
        i_xt, i_ty = adaptive_kde_mi(t, y, noise_var=0.01, scale="absolute", bound=bound)
        assert i_xt == 0.0
        assert i_ty == 0.0


def test_kde_tiny_noise_on_12bit_patterns_gives_log_n():
    # σ² = 1e-4 with unit minimum distance: the cross terms are ≤ exp(-1/(2e-4)) = e^-5000 = 0 in float64,
    # so -mean_i log((1/N)·1) = log N = 12 bits to round-off
    x = patterns(12)
    res = estimate_layer_information(x, method="kde_upper", noise_var=1e-4, scale="absolute", base=2)
    assert res.i_xt == pytest.approx(12.0, abs=1e-9)


def test_kde_single_centre_bounds_equal_gaussian_entropy():
    # one distinct centre: the mixture is N(t, σ²I) and both bounds equal (d/2) log(2πeσ²) exactly
    t = np.zeros((5, 2))
    up, lo = kde_entropy_bounds(t, 0.3)
    assert up == pytest.approx(math.log(2 * math.pi * math.e * 0.3), abs=1e-12)
    assert lo == pytest.approx(up, abs=1e-12)


def test_kde_bounds_bracket_the_true_mixture_entropy():
    # Brute force: in 1-D the mixture entropy is an integral we can evaluate by quadrature; the
    # Kolchinsky–Tracey bounds must bracket it. Quadrature error < 1e-8 on this grid (smooth integrand).
    from scipy.integrate import quad
    from scipy.stats import norm

    rng = np.random.default_rng(13)
    centres = np.sort(rng.uniform(-2, 2, size=7))
    var = 0.2

    def dens(z):
        return float(np.mean(norm.pdf(z, loc=centres, scale=math.sqrt(var))))

    h_true = quad(lambda z: -dens(z) * math.log(dens(z)) if dens(z) > 0 else 0.0, -8, 8, limit=400)[0]
    up, lo = kde_entropy_bounds(centres[:, None], var)
    assert lo <= h_true <= up
    assert up - lo < 0.5  # the bounds are informative here, not vacuous


def test_kde_entropy_matches_bruteforce_pairwise_formula():
    # Oracle: the formula with scipy's cdist and explicit logsumexp (no blocking, no centring)
    from scipy.spatial.distance import cdist
    from scipy.special import logsumexp

    rng = np.random.default_rng(14)
    t = rng.standard_normal((300, 4)) + 10.0
    var = 0.7
    d2 = cdist(t, t, "sqeuclidean")
    n, d = t.shape
    kl = 0.5 * d * (math.log(2 * math.pi * var) + 1) - np.mean(logsumexp(-d2 / (2 * var), axis=1) - math.log(n))
    bd = 0.5 * d * (math.log(2 * math.pi * var) + 1) - np.mean(logsumexp(-d2 / (8 * var), axis=1) - math.log(n))
    up, lo = kde_entropy_bounds(t, var)
    assert up == pytest.approx(kl, abs=1e-10)  # 1e-10: the Gram-identity distances differ at round-off
    assert lo == pytest.approx(bd, abs=1e-10)


@given(seed=st.integers(0, 2**31 - 1), log_var=st.floats(-6, 3), n=st.integers(2, 60), d=st.integers(1, 4))
def test_kde_upper_bound_is_never_below_lower_bound(seed, log_var, n, d):
    # exp(-D²/(2σ²)) <= exp(-D²/(8σ²)) entrywise, so the KL estimate dominates the Bhattacharyya one for
    # every input (not only on average)
    rng = np.random.default_rng(seed)
    t = rng.standard_normal((n, d)) * rng.uniform(0.01, 10)
    up, lo = kde_entropy_bounds(t, 10.0**log_var)
    assert up >= lo
    i_up, _ = adaptive_kde_mi(t, noise_var=10.0**log_var, scale="absolute", bound="upper")
    i_lo, _ = adaptive_kde_mi(t, noise_var=10.0**log_var, scale="absolute", bound="lower")
    assert 0.0 <= i_lo <= i_up <= math.log(n) + 1e-12  # I(X;T) in [0, log n]; 1e-12 round-off


def test_adaptive_kde_is_invariant_to_rescaling_the_layer():
    # scale="layer_max": σ² = 0.1·max|t|², so t -> c·t scales σ by c and every exponent is unchanged
    rng = np.random.default_rng(15)
    t = np.tanh(rng.standard_normal((400, 3)))
    y = rng.integers(0, 2, 400)
    a = adaptive_kde_mi(t, y)
    b = adaptive_kde_mi(250.0 * t, y)
    assert a[0] == pytest.approx(b[0], rel=1e-10)  # round-off of the rescaled distances
    assert a[1] == pytest.approx(b[1], rel=1e-8, abs=1e-12)
    # while a fixed (absolute) noise level is not invariant: shrinking the layer 20x buries it in the noise
    assert abs(adaptive_kde_mi(t, noise_var=0.01, scale="absolute")[0]
               - adaptive_kde_mi(0.05 * t, noise_var=0.01, scale="absolute")[0]) > 1.0


def test_kde_label_information_of_separated_clusters_is_log_two():
    # two far-apart groups labelled by group, tiny noise: within a class all points coincide...
    t = np.vstack([np.zeros((50, 2)), np.full((50, 2), 100.0)])
    y = np.repeat([0, 1], 50)
    i_xt, i_ty = adaptive_kde_mi(t, y, noise_var=1e-3, scale="absolute")
    # I(X;T) = -log(50/100) = log 2 (each point sees half the points at distance 0), I(T;Y) = log 2 - 0
    assert i_xt == pytest.approx(math.log(2), abs=1e-12)
    assert i_ty == pytest.approx(math.log(2), abs=1e-12)


def test_kde_constant_label_gives_zero_label_information_exactly():
    rng = np.random.default_rng(16)
    t = rng.standard_normal((100, 3))
    _, i_ty = adaptive_kde_mi(t, np.zeros(100, dtype=np.int64))
    assert i_ty == 0.0  # the one class is all rows in the same order: the same number is subtracted


# ================================================================================ public API behaviour
def test_layer_information_units_and_fields():
    x = patterns(6)
    y = x[:, 0].astype(int)
    nats = estimate_layer_information(x, y)
    bits = estimate_layer_information(x, y, base=2)
    assert isinstance(nats, LayerInformation) and nats.unit == "nats" and bits.unit == "bits"
    assert nats.n == 64 and nats.method == "ebab"
    assert bits.i_xt == pytest.approx(nats.i_xt / LN2, rel=1e-14)
    i_xt, i_ty = bits  # unpacks like a tuple
    assert (i_xt, i_ty) == pytest.approx((6.0, 1.0), abs=1e-12)
    assert estimate_layer_information(x).i_ty is None


def test_layer_information_with_repeated_inputs_uses_the_plugin_mi():
    # each of 64 patterns appears twice; T = first 3 bits. I(X;T) = H(T) - H(T|X) = 3 bits (deterministic),
    # H(X) = 6 bits, so I(X;T) must not be confused with H(rows) = log2(128) = 7 bits.
    x = np.vstack([patterns(6), patterns(6)])
    t = x[:, :3]
    res = estimate_layer_information(t, x=x, base=2)
    assert res.i_xt == pytest.approx(3.0, abs=1e-12)


@pytest.mark.parametrize("method", LAYER_METHODS)
def test_every_layer_method_stays_in_zero_log_n(method):
    rng = np.random.default_rng(17)
    t = np.maximum(rng.standard_normal((256, 4)), 0)
    y = rng.integers(0, 2, 256)
    res = estimate_layer_information(t, y, method=method, low=0.0 if method == "ebab" else None)
    assert 0.0 <= res.i_xt <= math.log(256) + 1e-12
    assert res.i_ty is not None and -1e-12 <= res.i_ty <= math.log(2) + 1e-12


def test_public_functions_do_not_mutate_inputs():
    rng = np.random.default_rng(18)
    t = rng.standard_normal((100, 3))
    y = rng.integers(0, 3, 100)
    t0, y0 = t.copy(), y.copy()
    estimate_layer_information(t, y, method="ebab", low=0.0)
    estimate_layer_information(t, y, method="kde_upper")
    estimate_binned_mutual_information(t, y, scheme="fixed_width")
    estimate_kde_entropy_bounds(t, noise_var=0.1)
    np.testing.assert_array_equal(t, t0)
    np.testing.assert_array_equal(y, y0)


def test_one_dimensional_input_is_one_column_and_lists_work():
    v = [0.1, 0.5, 0.5, 2.0]
    # levels 0.1, 0.5, 2.0 with counts 1, 2, 1: H = 1.5 bits
    assert estimate_binned_entropy(v, base=2) == pytest.approx(1.5, abs=1e-12)
    assert estimate_binned_entropy(np.array(v)[:, None], base=2) == pytest.approx(1.5, abs=1e-12)


def test_torch_tensors_give_the_numpy_result():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(19)
    t = rng.standard_normal((200, 3))
    y = rng.integers(0, 2, 200)
    a = estimate_layer_information(t, y, method="kde_upper")
    b = estimate_layer_information(torch.tensor(t), torch.tensor(y), method="kde_upper")
    assert (a.i_xt, a.i_ty) == pytest.approx((b.i_xt, b.i_ty), rel=1e-12)


def test_y_discrete_auto_treats_integers_as_labels_and_floats_as_samples():
    rng = np.random.default_rng(20)
    x = rng.standard_normal((300, 1))
    y_int = rng.integers(0, 3, 300)
    as_labels = estimate_binned_mutual_information(x, y_int)
    assert as_labels == estimate_binned_mutual_information(x, y_int, y_discrete=True)
    # the same values as floats are binned by EBAB; 3 levels <= 30 bins, so binning is lossless: same MI
    assert estimate_binned_mutual_information(x, y_int.astype(float)) == pytest.approx(as_labels, abs=1e-12)
    # string labels are labels
    names = np.array(["a", "b", "c"])[y_int]
    assert estimate_binned_mutual_information(x, names) == pytest.approx(as_labels, abs=1e-12)


def test_nan_raises_with_count_and_position():
    x = np.ones((10, 2))
    x[3, 1] = np.nan
    msg = r"1 non-finite value\(s\) \(1 NaN, 0 inf\), the first at index \(3, 1\)"
    with pytest.raises(InvalidSampleError, match=msg):
        estimate_binned_entropy(x)


def test_nan_policy_omit_drops_incomplete_rows_jointly():
    rng = np.random.default_rng(21)
    x = rng.standard_normal((200, 2))
    y = rng.integers(0, 2, 200)
    x_bad = x.copy()
    x_bad[[5, 50]] = np.nan
    keep = np.ones(200, bool)
    keep[[5, 50]] = False
    got = estimate_binned_mutual_information(x_bad, y, nan_policy="omit")
    assert got == estimate_binned_mutual_information(x[keep], y[keep])
    res = estimate_layer_information(x_bad, y, nan_policy="omit")
    assert res.n == 198


def test_bad_arguments_raise_clear_errors():
    x = np.zeros((10, 2))
    with pytest.raises(InvalidParameterError, match=r"`scheme` must be one of"):
        estimate_binned_entropy(x, scheme="quantile")
    with pytest.raises(InvalidParameterError, match=r"`n_bins` must be an integer >= 1; got 0"):
        estimate_binned_entropy(x, n_bins=0)
    with pytest.raises(InvalidParameterError, match=r"`range` must be a pair \(lo, hi\)"):
        estimate_binned_entropy(x, scheme="fixed_width", range=(1.0, 0.0))
    with pytest.raises(ShapeMismatchError, match=r"`x` and `y` must have the same number of rows"):
        estimate_binned_mutual_information(x, np.zeros(9, dtype=int))
    with pytest.raises(InvalidParameterError, match=r"`noise_var` is required with scale='absolute'"):
        estimate_layer_information(x, method="kde_upper", scale="absolute")
    with pytest.raises(InvalidParameterError, match=r"`noise_var` must be > 0"):
        estimate_kde_entropy_bounds(x, noise_var=0.0)
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of"):
        estimate_layer_information(x, method="kde")
    with pytest.raises(InvalidInputTypeError, match=r"`x` must be an array of numbers"):
        estimate_binned_entropy(["a", "b"])
    with pytest.raises(InvalidParameterError, match=r"`y_discrete` must be True, False or 'auto'"):
        estimate_binned_mutual_information(x, np.zeros(10), y_discrete="yes")
    with pytest.raises(InvalidParameterError, match=r"`x` is only used by the binning methods"):
        estimate_layer_information(x, x=np.arange(10), method="kde_lower")


def test_kde_bounds_result_is_a_named_tuple_in_requested_units():
    rng = np.random.default_rng(22)
    t = rng.standard_normal((50, 2))
    nats = estimate_kde_entropy_bounds(t, noise_var=0.5)
    bits = estimate_kde_entropy_bounds(t, noise_var=0.5, base=2)
    assert isinstance(nats, KDEEntropyBounds)
    assert bits.upper == pytest.approx(nats.upper / LN2, rel=1e-14)
    assert bits.lower == pytest.approx(nats.lower / LN2, rel=1e-14)
