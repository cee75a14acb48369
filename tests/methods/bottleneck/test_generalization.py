"""Degree of IB (Kawaguchi et al.) and the layerwise bound quantities of He & Goldfeld: known answers,
brute-force oracles, properties and errors."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from scipy import integrate, stats

from infokit import estimate_mutual_information
from infokit.exceptions import (
    InvalidDistributionError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)
from infokit.methods.bottleneck.generalization import (
    LayerBoundTerms,
    _gauss_pair_logpdf,
    dobrushin_coefficient,
    dropconnect_contraction,
    dropout_contraction,
    estimate_degree_of_ib,
    estimate_degree_of_ib_samples,
    estimate_encoder_mutual_information,
    gaussian_kl_divergence,
    gaussian_noise_contraction,
    layerwise_generalization_terms,
    lipschitz_upper_bound,
    sdpi_kl_bound,
    wasserstein1_distance,
)


# ============================================================================================== encoder MI
def test_pairwise_gaussian_log_density_matches_scipy():
    rng = np.random.default_rng(0)
    z, mu = rng.normal(size=(5, 3)), rng.normal(size=(4, 3))
    sig = rng.uniform(0.3, 2.0, size=(4, 3))
    got = _gauss_pair_logpdf(z, mu, sig)
    want = np.array([[stats.multivariate_normal(mu[j], np.diag(sig[j] ** 2)).logpdf(z[i]) for j in range(4)]
                     for i in range(5)])
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-10)  # expansion vs direct: round-off


@pytest.mark.parametrize("jensen", [False, True])
def test_encoder_that_ignores_its_input_has_zero_information(jensen):
    mu = np.tile([0.5, -1.0], (50, 1))
    sig = np.full((50, 2), 0.7)
    # q(z|x_j) is the same density for every j: log q(z_i|x_i) - log(mean_j q(z_i|x_j)) = 0 term by term
    assert estimate_encoder_mutual_information(mu, sig, jensen=jensen, random_state=1) == pytest.approx(0, abs=1e-12)


def test_encoder_mi_of_a_linear_gaussian_channel():
    # x ~ N(0,1), z = a x + s eps: I = 1/2 log(1 + a^2/s^2) = 0.8047 nats for a = 2, s = 1
    rng = np.random.default_rng(2)
    m = 2000
    x = rng.normal(size=(m, 1))
    est = estimate_encoder_mutual_information(2.0 * x, np.ones((m, 1)), random_state=3)
    # the InfoNCE-type bias is O(1/M) and the MC sd ~0.03 at M = 2000 (measured 0.807 at M = 1000-3000)
    assert est == pytest.approx(0.5 * math.log(5.0), abs=0.06)


def test_encoder_mi_saturates_at_log_m_for_a_sharp_injective_encoder():
    mu = np.arange(30, dtype=float)[:, None]
    # sigma -> 0 with distinct means: q(z_i|x_j) ~ 0 for j != i, so every term is log M
    est = estimate_encoder_mutual_information(mu, np.full((30, 1), 1e-3), random_state=0)
    assert est == pytest.approx(math.log(30), rel=1e-9)
    assert estimate_encoder_mutual_information(mu, np.full((30, 1), 1e-3), random_state=0, base=2) == pytest.approx(
        math.log2(30), rel=1e-9)


@given(seed=st.integers(0, 10_000), scale=st.floats(0.05, 5.0))
def test_encoder_mi_is_at_most_log_m_and_below_its_jensen_variant(seed, scale):
    rng = np.random.default_rng(seed)
    mu = rng.normal(size=(20, 2))
    sig = scale * rng.uniform(0.5, 1.5, size=(20, 2))
    z = mu + sig * rng.normal(size=(20, 2))
    mc = estimate_encoder_mutual_information(mu, sig, z=z)
    jn = estimate_encoder_mutual_information(mu, sig, z=z, jensen=True)
    assert mc <= math.log(20) + 1e-12  # the mixture holds q(z_i|x_i)/M: each term <= log M
    assert jn >= mc - 1e-12  # mean of logs <= log of mean (Jensen)


def test_encoder_mi_uses_the_given_draw_and_is_reproducible():
    rng = np.random.default_rng(4)
    mu, sig = rng.normal(size=(40, 2)), np.full((40, 2), 0.5)
    a = estimate_encoder_mutual_information(mu, sig, random_state=9)
    b = estimate_encoder_mutual_information(mu, sig, random_state=9)
    z = mu + sig * np.random.default_rng(9).standard_normal(mu.shape)
    assert a == b == estimate_encoder_mutual_information(mu, sig, z=z)


# ============================================================================================== degree of IB
def test_label_only_encoder_has_zero_degree_of_ib():
    # z depends on x only through y: within a class every q(.|x) is the same, so I(X;Z|Y) = 0 exactly
    rng = np.random.default_rng(5)
    y = rng.integers(0, 4, size=200)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]])
    mu, sig = centres[y], np.full((200, 2), 0.8)
    assert estimate_degree_of_ib(mu, sig, y, random_state=0) == pytest.approx(0.0, abs=1e-12)
    # while I(X;Z) itself is large (the class is encoded): log 4 would be the noiseless value
    assert estimate_encoder_mutual_information(mu, sig, random_state=0) > 0.5


def test_degree_of_ib_of_a_within_class_linear_gaussian_channel():
    # x | y ~ N(c_y, 1), z = 2 x + eps: within each class I(X;Z|Y=c) = 1/2 log(1 + 4) = 0.8047
    rng = np.random.default_rng(6)
    y = np.repeat([0, 1], 1000)
    x = rng.normal(size=(2000, 1)) + 5.0 * y[:, None]
    est = estimate_degree_of_ib(2.0 * x, np.ones((2000, 1)), y, random_state=7)
    assert est == pytest.approx(0.5 * math.log(5.0), abs=0.07)  # two M = 1000 MC estimates (sd ~0.03 each)


def test_degree_of_ib_is_the_class_weighted_mean_of_within_class_estimates():
    rng = np.random.default_rng(8)
    y = np.array([0] * 10 + [1] * 30 + [2])  # class 2 has one sample: contributes 0
    mu, sig = rng.normal(size=(41, 2)), np.full((41, 2), 0.4)
    z = mu + sig * rng.normal(size=(41, 2))
    want = sum((y == c).sum() / 41 * estimate_encoder_mutual_information(mu[y == c], sig[y == c], z=z[y == c])
               for c in (0, 1))
    assert estimate_degree_of_ib(mu, sig, y, z=z) == pytest.approx(want, rel=1e-12)


def test_degree_of_ib_samples_is_the_class_weighted_within_class_mi():
    rng = np.random.default_rng(9)
    y = rng.integers(0, 2, size=400)
    x = rng.normal(size=(400, 1)) + y[:, None]
    z = x + 0.5 * rng.normal(size=(400, 1))
    got = estimate_degree_of_ib_samples(x, z, y, method="gaussian")
    want = sum(np.mean(y == c) * estimate_mutual_information(x[y == c], z[y == c], method="gaussian") for c in (0, 1))
    assert got == pytest.approx(want, rel=1e-12)
    ksg = estimate_degree_of_ib_samples(x, z, y, method="ksg", k=3)
    assert ksg == pytest.approx(sum(np.mean(y == c) * estimate_mutual_information(x[y == c], z[y == c], method="ksg")
                                    for c in (0, 1)), rel=1e-12)
    # known answer: within a class x ~ N(c, 1), z = x + 0.5 eps: I = 1/2 log(1 + 1/0.25) = 0.8047;
    # the Gaussian MI at n = 200 per class has sd ~0.05; KSG carries a small bias too
    assert got == pytest.approx(0.5 * math.log(5.0), abs=0.1)
    assert ksg == pytest.approx(0.5 * math.log(5.0), abs=0.15)
    with pytest.raises(InvalidSampleError, match="class 7 of `y` has 1 rows"):
        estimate_degree_of_ib_samples(x[:20], z[:20], np.r_[np.zeros(19, int), 7])


def test_encoder_errors():
    mu = np.zeros((10, 2))
    with pytest.raises(ShapeMismatchError, match="`sigma` must have the shape of `mu`"):
        estimate_encoder_mutual_information(mu, np.ones((10, 3)))
    with pytest.raises(InvalidParameterError, match="`sigma` must be > 0"):
        estimate_encoder_mutual_information(mu, np.zeros((10, 2)))
    with pytest.raises(ShapeMismatchError, match="`z` must have the shape of `mu`"):
        estimate_encoder_mutual_information(mu, np.ones((10, 2)), z=np.zeros((9, 2)))
    with pytest.raises(InvalidSampleError, match="NaN or inf"):
        estimate_encoder_mutual_information(np.full((10, 2), np.nan), np.ones((10, 2)))
    with pytest.raises(ShapeMismatchError, match="`y` must be a 1-D array of 10 labels"):
        estimate_degree_of_ib(mu, np.ones((10, 2)), np.zeros(9))
    with pytest.raises(InvalidParameterError, match="`random_state` must be None, an int seed"):
        estimate_encoder_mutual_information(mu, np.ones((10, 2)), random_state="x")
    with pytest.raises(InvalidParameterError, match="`base`"):
        estimate_encoder_mutual_information(mu, np.ones((10, 2)), base=1)


# ============================================================================================== contraction
def test_contraction_known_values():
    # notes §8 [computed]: 1 - p^d and erf(R / (s sqrt 2))
    assert dropout_contraction(0.5, 4) == 0.9375
    assert dropout_contraction(0.5, 10) == pytest.approx(0.9990234375, rel=1e-15)
    assert dropout_contraction(0.1, 10) == pytest.approx(1 - 1e-10, rel=1e-15)
    assert dropout_contraction(0.0, 3) == 1.0 and dropout_contraction(1.0, 3) == 0.0
    assert dropconnect_contraction(0.5, 2, 3) == pytest.approx(1 - 0.5**6, rel=1e-15)
    assert gaussian_noise_contraction(1.0, 1.0) == pytest.approx(0.6826894921370859, rel=1e-12)
    assert gaussian_noise_contraction(5.0, 1.0) == pytest.approx(0.9999994266968562, rel=1e-12)
    assert gaussian_noise_contraction(0.0, 1.0) == 0.0


def test_dobrushin_of_bsc_and_erasure_channels():
    for delta in (0.0, 0.1, 0.3, 0.5, 0.8):
        assert dobrushin_coefficient([[1 - delta, delta], [delta, 1 - delta]]) == pytest.approx(abs(1 - 2 * delta))
    eps = 0.3  # erasure: outputs (0, 1, e)
    assert dobrushin_coefficient([[1 - eps, 0, eps], [0, 1 - eps, eps]]) == pytest.approx(1 - eps)


def _channel_matrix(inputs, outcomes):
    """Row-stochastic matrix from ``outcomes(x) -> list of (output_key, prob)``; columns = all outputs seen."""
    rows = [dict() for _ in inputs]
    for r, x in zip(rows, inputs):
        for key, p in outcomes(x):
            r[key] = r.get(key, 0.0) + p
    cols = sorted(set().union(*rows))
    return np.array([[r.get(c, 0.0) for c in cols] for r in rows])


@pytest.mark.parametrize("p", [0.2, 0.5, 0.7])
def test_dropout_contraction_is_the_dobrushin_coefficient_of_the_dropout_channel(p):
    # brute force: binary inputs x in {0,1}^d, each coordinate dropped (set to 0) w.p. p, keeping the mask
    # observable is not needed: inputs that differ in every coordinate give TV = 1 - p^d
    d = 3
    inputs = list(itertools.product([0.0, 1.0], repeat=d))

    def outcomes(x):
        for mask in itertools.product([0, 1], repeat=d):
            prob = np.prod([p if m == 0 else 1 - p for m in mask])
            yield tuple(xi * m for xi, m in zip(x, mask)), prob

    eta = dobrushin_coefficient(_channel_matrix(inputs, outcomes))
    assert eta == pytest.approx(dropout_contraction(p, d), rel=1e-12)


@pytest.mark.parametrize("p", [0.3, 0.6])
def test_dropconnect_contraction_is_the_dobrushin_coefficient_of_the_dropconnect_channel(p):
    # brute force: y_k = sum_j m_kj W_kj x_j with generic weights, x in {0,1}^2, 2 outputs: 4 weights
    w = np.array([[1.0, 2.0 ** 0.5], [3.0 ** 0.5, 5.0 ** 0.5]])  # sums of distinct subsets are distinct
    inputs = list(itertools.product([0.0, 1.0], repeat=2))

    def outcomes(x):
        for mask in itertools.product([0, 1], repeat=4):
            m = np.array(mask, dtype=float).reshape(2, 2)
            prob = np.prod([p if v == 0 else 1 - p for v in mask])
            yield tuple(np.round((m * w) @ np.array(x), 12)), prob

    eta = dobrushin_coefficient(_channel_matrix(inputs, outcomes))
    assert eta == pytest.approx(dropconnect_contraction(p, 2, 2), rel=1e-12)


@pytest.mark.parametrize("radius,s", [(0.5, 1.0), (1.0, 1.0), (2.0, 0.7)])
def test_gaussian_noise_contraction_is_the_tv_of_the_farthest_pair(radius, s):
    # TV(N(-R, s^2), N(R, s^2)) by numerical integration of |p - q| / 2 (the farthest pair of means)
    f = lambda t: 0.5 * abs(stats.norm.pdf(t, -radius, s) - stats.norm.pdf(t, radius, s))  # noqa: E731
    tv, _ = integrate.quad(f, -radius - 12 * s, radius + 12 * s, points=[0.0], limit=200)
    assert gaussian_noise_contraction(radius, s) == pytest.approx(tv, rel=1e-8)  # quad accuracy


def test_sdpi_holds_on_a_bsc_and_sdpi_kl_bound_multiplies():
    rng = np.random.default_rng(10)
    delta = 0.2
    k = np.array([[1 - delta, delta], [delta, 1 - delta]])
    eta = dobrushin_coefficient(k)
    for _ in range(50):
        p, q = rng.dirichlet([1, 1]), rng.dirichlet([1, 1])
        kl_in = float(np.sum(p * np.log(p / q)))
        kl_out = float(np.sum((p @ k) * np.log((p @ k) / (q @ k))))
        # eta_KL(BSC) = (1 - 2 delta)^2 <= eta_TV: the bound with eta_TV holds
        assert kl_out <= sdpi_kl_bound(kl_in, [eta]) + 1e-12
        assert kl_out <= (1 - 2 * delta) ** 2 * kl_in + 1e-12
    assert sdpi_kl_bound(2.0, [0.5, 0.25]) == 0.25


def test_contraction_errors():
    with pytest.raises(InvalidParameterError, match="`p` must be in"):
        dropout_contraction(1.5, 3)
    with pytest.raises(InvalidParameterError, match="`width` must be an integer >= 1"):
        dropout_contraction(0.5, 0)
    with pytest.raises(InvalidParameterError, match="`fan_out` must be an integer"):
        dropconnect_contraction(0.5, 2, 1.5)
    with pytest.raises(InvalidParameterError, match="`noise_std` must be a finite number > 0"):
        gaussian_noise_contraction(1.0, 0.0)
    with pytest.raises(InvalidParameterError, match="`radius` must be a finite number >= 0"):
        gaussian_noise_contraction(-1.0, 1.0)
    with pytest.raises(InvalidDistributionError, match="row 1 sums to 0.9"):
        dobrushin_coefficient([[0.5, 0.5], [0.4, 0.5]])
    with pytest.raises(ShapeMismatchError, match="`channel` must be a 2-D"):
        dobrushin_coefficient([0.5, 0.5])
    with pytest.raises(InvalidParameterError, match="`coefficients` must lie in"):
        sdpi_kl_bound(1.0, [1.2])
    with pytest.raises(InvalidParameterError, match="`kl` must be a number >= 0"):
        sdpi_kl_bound(-1.0, [0.5])


# ============================================================================================== transport, KL
def test_w1_one_dimensional_matches_scipy():
    rng = np.random.default_rng(11)
    a, b = rng.normal(size=137), rng.exponential(size=64) + 0.5
    assert wasserstein1_distance(a, b) == pytest.approx(stats.wasserstein_distance(a, b), rel=1e-12)
    assert wasserstein1_distance([0.0, 1.0], [2.0, 3.0]) == 2.0


def test_w1_exact_of_a_translation_is_the_shift_norm():
    # coupling x -> x + v costs |v|; and W1 >= |E a - E b| = |v| (Jensen): so W1 = |v| exactly
    rng = np.random.default_rng(12)
    a = rng.normal(size=(60, 3))
    v = np.array([0.3, -1.2, 2.0])
    assert wasserstein1_distance(a, a + v, method="exact") == pytest.approx(np.linalg.norm(v), rel=1e-12)
    assert wasserstein1_distance(a, a[::-1].copy(), method="exact") == pytest.approx(0.0, abs=1e-12)


def test_w1_exact_matches_a_brute_force_over_permutations():
    rng = np.random.default_rng(13)
    a, b = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    best = min(np.mean(np.linalg.norm(a - b[list(perm)], axis=1)) for perm in itertools.permutations(range(6)))
    assert wasserstein1_distance(a, b, method="exact") == pytest.approx(best, rel=1e-12)


def test_sliced_w1_is_at_most_w1():
    rng = np.random.default_rng(14)
    a, b = rng.normal(size=(80, 4)), rng.normal(size=(80, 4)) * 1.5 + 0.5
    sliced = wasserstein1_distance(a, b, method="sliced", n_projections=64, random_state=0)
    # each projection is 1-Lipschitz, so W1 of projections <= W1 (up to round-off)
    assert 0 < sliced <= wasserstein1_distance(a, b, method="exact") + 1e-12


def test_gaussian_kl_matches_the_closed_form_and_is_zero_on_itself():
    rng = np.random.default_rng(15)
    # KL(N(0, I) || N(m, 4 I)) in d = 2: 1/2 [tr(I/4) + |m|^2/4 - 2 + log 16] with m = (1, 0)
    a = rng.normal(size=(20000, 2))
    b = rng.normal(size=(20000, 2)) * 2.0 + np.array([1.0, 0.0])
    want = 0.5 * (0.5 + 0.25 - 2 + math.log(16.0))
    assert gaussian_kl_divergence(a, b) == pytest.approx(want, abs=0.02)  # sampling error of the moments
    assert gaussian_kl_divergence(a, a) == pytest.approx(0.0, abs=1e-9)
    assert gaussian_kl_divergence(a, b, base=2) == pytest.approx(gaussian_kl_divergence(a, b) / math.log(2))


def test_lipschitz_upper_bound_dominates_the_observed_slope():
    rng = np.random.default_rng(16)
    w1, w2 = rng.normal(size=(8, 3)), rng.normal(size=(2, 8))
    rho = lipschitz_upper_bound([w1, w2], loss_lipschitz=1.0)
    assert rho == pytest.approx(np.linalg.norm(w1, 2) * np.linalg.norm(w2, 2))
    f = lambda x: w2 @ np.tanh(w1 @ x)  # noqa: E731  (tanh is 1-Lipschitz)
    for _ in range(200):
        a, b = rng.normal(size=3), rng.normal(size=3)
        assert np.linalg.norm(f(a) - f(b)) <= rho * np.linalg.norm(a - b) + 1e-12


def test_layerwise_terms_vanish_when_train_and_test_coincide():
    rng = np.random.default_rng(17)
    reps = [rng.normal(size=(50, 4)), rng.normal(size=(50, 2))]
    y = rng.integers(0, 3, size=50)
    terms = layerwise_generalization_terms(reps, [r.copy() for r in reps], train_labels=y, test_labels=y,
                                           downstream_weights=[[np.eye(2, 4)], []], sub_gaussian=0.5)
    assert all(isinstance(t, LayerBoundTerms) for t in terms) and [t.layer for t in terms] == [0, 1]
    for t in terms:
        assert t.w1 == pytest.approx(0.0, abs=1e-12) and t.kl == pytest.approx(0.0, abs=1e-9)
        assert t.w1_bound == pytest.approx(0.0, abs=1e-12) and t.kl_bound == pytest.approx(0.0, abs=1e-4)
    assert terms[0].lipschitz == pytest.approx(1.0) and terms[1].lipschitz == 1.0  # empty product


def test_layerwise_terms_of_a_shifted_test_set():
    rng = np.random.default_rng(18)
    a = rng.normal(size=(100, 2))
    terms = layerwise_generalization_terms([a], [a + np.array([3.0, 4.0])], downstream_weights=[[2.0 * np.eye(2)]],
                                           sub_gaussian=1.0)
    # W1 of a translation = |v| = 5; rho = 2; KL of fitted Gaussians with equal covariance = |v|^2_{Sigma^-1}/2
    assert terms[0].w1 == pytest.approx(5.0, rel=1e-12)
    assert terms[0].w1_bound == pytest.approx(10.0, rel=1e-12)
    cov = np.cov(a, rowvar=False)
    v = np.array([3.0, 4.0])
    assert terms[0].kl == pytest.approx(0.5 * v @ np.linalg.solve(cov, v), rel=1e-4)  # ridge 1e-6 relative
    assert terms[0].kl_bound == pytest.approx(math.sqrt(2 * terms[0].kl), rel=1e-12)


def test_transport_errors():
    with pytest.raises(ShapeMismatchError, match="same number of columns"):
        wasserstein1_distance(np.zeros((3, 2)), np.zeros((3, 3)))
    with pytest.raises(InvalidParameterError, match="needs samples of equal size"):
        wasserstein1_distance(np.zeros((3, 2)), np.zeros((4, 2)), method="exact")
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        wasserstein1_distance(np.zeros(3), np.zeros(3), method="emd")
    with pytest.raises(InvalidSampleError, match="singular"):
        gaussian_kl_divergence(np.zeros((5, 2)), np.zeros((5, 2)), ridge=0.0)
    with pytest.raises(ShapeMismatchError, match="must list the same layers"):
        layerwise_generalization_terms([np.zeros((3, 2))], [])
    with pytest.raises(InvalidParameterError, match="pass both `train_labels` and `test_labels`"):
        layerwise_generalization_terms([np.ones((3, 2))], [np.ones((3, 2))], train_labels=[0, 1, 0])
    with pytest.raises(ShapeMismatchError, match=r"`weights\[0\]` must be a 2-D matrix"):
        lipschitz_upper_bound([np.ones(3)])


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.bottleneck.generalization")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_bottleneck_package_stays_torch_free_until_a_torch_name_is_used():
    import json
    import subprocess
    import sys

    pytest.importorskip("torch")
    code = (
        "import sys, json\n"
        "import infokit.methods.bottleneck as b\n"
        "first = 'torch' in sys.modules\n"
        "b.dropout_contraction(0.5, 2); b.information_bottleneck\n"
        "second = 'torch' in sys.modules\n"
        "names = set(dir(b))\n"
        "b.cs_ib_loss\n"
        "print(json.dumps([first, second, 'torch' in sys.modules, 'InformationPlaneCallback' in names]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    first, second, third, listed = json.loads(out.stdout.strip().splitlines()[-1])
    assert not first and not second  # numpy names do not pull torch in
    assert listed and third  # the lazy names are listed; the torch leaf is imported on first use
