"""G theory (Lu 2025): the worked example of the notes, Shannon-theory oracles and the -inf contract."""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infokit
from infokit.exceptions import InfokitWarning, InvalidDistributionError, InvalidParameterError, ShapeMismatchError
from infokit.methods.semantic import (
    fit_gaussian_mixture,
    fuzzy_entropy,
    logical_probability,
    matched_truth_functions,
    mixture_information,
    mmi_classification,
    rate_fidelity,
    rate_fidelity_curve,
    semantic_bayes,
    semantic_classify,
    semantic_entropy,
    semantic_information,
    semantic_mutual_information,
)

# The worked example of specs/coupling-discrete-theory.md §4.3: ages (child, youth, adult, elderly),
# labels "young" and "old"; truth[i, j] = T(θ_j | x_i).
P_X = np.array([0.2, 0.3, 0.3, 0.2])
TRUTH = np.array([[1.0, 0.8, 0.2, 0.02], [0.02, 0.1, 0.6, 1.0]]).T
YOUNG = np.array([0.9, 0.7, 0.2, 0.0])  # Shannon channel P(y_1 | x)
CHANNEL = np.stack([YOUNG, 1 - YOUNG], axis=1)
JOINT = P_X[:, None] * CHANNEL


# --------------------------------------------------------------------------------------- worked example
def test_worked_example_logical_probabilities_and_semantic_bayes():
    # T(θ1) = .2·1 + .3·.8 + .3·.2 + .2·.02 = 0.504; T(θ2) = .2·.02 + .3·.1 + .3·.6 + .2·1 = 0.414
    np.testing.assert_allclose(logical_probability(TRUTH, P_X), [0.504, 0.414], atol=1e-15)
    # P(x | θ1) = P(x) T(θ1|x) / 0.504 (the notes give 4 decimals)
    np.testing.assert_allclose(semantic_bayes(TRUTH, P_X)[:, 0], [0.3968, 0.4762, 0.1190, 0.0079], atol=5e-5)
    np.testing.assert_allclose(semantic_bayes(TRUTH, P_X).sum(axis=0), 1.0, atol=1e-15)


def test_worked_example_pointwise_semantic_information_in_bits():
    i = semantic_information(TRUTH, P_X, base=2)
    # log2(T/T(θ)), e.g. log2(1/0.504) = 0.9885 and log2(0.02/0.504) = −4.6554 (4 decimals in the notes)
    np.testing.assert_allclose(i[:, 0], [0.9885, 0.6666, -1.3334, -4.6554], atol=5e-5)
    np.testing.assert_allclose(i[:, 1], [-4.3716, -2.0496, 0.5353, 1.2723], atol=5e-5)


def test_worked_example_semantic_mutual_information_and_its_decomposition():
    # Shannon I(X;Y) = 0.41801 bits; semantic I(X;Θ) = 0.34895 = H(Θ) 1.14459 − H(Θ|X) 0.79564 (5 decimals)
    assert infokit.mutual_information(JOINT, base=2) == pytest.approx(0.41801, abs=5e-6)
    smi = semantic_mutual_information(JOINT, TRUTH, base=2)
    assert smi == pytest.approx(0.34895, abs=5e-6)
    assert semantic_entropy(JOINT, TRUTH, base=2) == pytest.approx(1.14459, abs=5e-6)
    assert fuzzy_entropy(JOINT, TRUTH, base=2) == pytest.approx(0.79564, abs=5e-6)
    # H(Θ) − H(Θ|X) = I(X;Θ) exactly (same sums)
    assert semantic_entropy(JOINT, TRUTH) - fuzzy_entropy(JOINT, TRUTH) == pytest.approx(
        semantic_mutual_information(JOINT, TRUTH), abs=1e-14)


def test_worked_example_matched_truth_functions_reach_shannon_mi():
    t_star = matched_truth_functions(CHANNEL)
    # T* = P(y|x)/max_x P(y|x): [0.9, 0.7, 0.2, 0]/0.9 and [0.1, 0.3, 0.8, 1]/1
    np.testing.assert_allclose(t_star[:, 0], [1.0, 7 / 9, 2 / 9, 0.0], atol=1e-15)
    np.testing.assert_allclose(t_star[:, 1], [0.1, 0.3, 0.8, 1.0], atol=1e-15)
    assert semantic_mutual_information(JOINT, t_star) == pytest.approx(
        infokit.mutual_information(JOINT), abs=1e-14)  # matched: semantic MI = Shannon MI


def test_worked_example_classification_says_young():
    r = semantic_classify([0.1, 0.5, 0.3, 0.1], TRUTH, P_X, base=2)
    # scores Σ_i P(x_i|z) log2 T(θ_j|x_i)/T(θ_j) = [−0.4334, −1.1741] (notes): "young" wins
    np.testing.assert_allclose(r.scores, [-0.4334, -1.1741], atol=5e-5)
    assert r.labels == 0


def test_zero_truth_value_on_a_used_pair_gives_minus_inf_with_a_warning_never_nan():
    # T(θ1 | elderly) = 0 while the channel sometimes says "young" to an elderly person: I(X;Θ) = −∞
    truth = TRUTH.copy()
    truth[3, 0] = 0.0
    channel = np.stack([[0.9, 0.7, 0.2, 0.1], [0.1, 0.3, 0.8, 0.9]], axis=1)
    joint = P_X[:, None] * channel
    with pytest.warns(InfokitWarning, match=r"-inf.*x index 3, label 0"):
        v = semantic_mutual_information(joint, truth)
    assert v == -math.inf
    with pytest.warns(InfokitWarning, match="fuzzy entropy"):
        assert fuzzy_entropy(joint, truth) == math.inf
    with pytest.warns(InfokitWarning, match="-inf"):
        pointwise = semantic_information(truth, P_X)
    assert pointwise[3, 0] == -math.inf and not np.isnan(pointwise).any()
    # the same truth functions with a channel that never says "young" to the elderly: finite, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isfinite(semantic_mutual_information(JOINT, truth))


# ------------------------------------------------------------------------------------------- properties
_cases = st.tuples(st.integers(2, 5), st.integers(1, 4), st.integers(0, 10_000))


def _random_case(nx, ny, seed):
    rng = np.random.default_rng(seed)
    joint = rng.dirichlet(np.full(nx * ny, 0.8)).reshape(nx, ny)
    truth = rng.uniform(0.05, 1.0, size=(nx, ny))
    truth[rng.integers(nx, size=ny), np.arange(ny)] = 1.0
    return joint, truth


@settings(max_examples=30)
@given(case=_cases)
def test_semantic_mi_never_exceeds_shannon_mi_and_the_gap_is_a_weighted_kl(case):
    joint, truth = _random_case(*case)
    smi = semantic_mutual_information(joint, truth)
    mi = infokit.mutual_information(joint)
    # gap = Σ_j P(y_j) KL(P(x|y_j) || P(x|θ_j)) (expand the two logs), evaluated with infokit.kl_divergence
    py = joint.sum(axis=0)
    post = semantic_bayes(truth, joint.sum(axis=1))
    gap = sum(py[j] * infokit.kl_divergence(joint[:, j] / py[j], post[:, j]) for j in range(len(py)) if py[j] > 0)
    assert mi - smi == pytest.approx(gap, abs=1e-12)  # round-off of a few logs
    assert smi <= mi + 1e-12


@settings(max_examples=20)
@given(case=_cases)
def test_matched_truth_functions_make_semantic_and_shannon_mi_equal(case):
    joint, _ = _random_case(*case)
    px = joint.sum(axis=1)
    channel = joint / px[:, None]
    keep = channel.max(axis=0) > 0
    t = matched_truth_functions(channel[:, keep])
    assert semantic_mutual_information(joint[:, keep], t) == pytest.approx(
        infokit.mutual_information(joint[:, keep]), abs=1e-12)


def test_a_tautology_carries_no_semantic_information():
    # T ≡ 1: T(θ) = 1 and log T/T(θ) = 0 for every x
    np.testing.assert_array_equal(semantic_information(np.ones(4), P_X), np.zeros(4))


def test_units_and_normalize():
    bits = semantic_mutual_information(JOINT, TRUTH, base=2)
    nats = semantic_mutual_information(JOINT, TRUTH)
    assert bits == pytest.approx(nats / math.log(2), rel=1e-14)
    # normalize=True divides each truth function by its maximum: half of TRUTH gives the same answers
    assert semantic_mutual_information(JOINT, TRUTH / 2, normalize=True) == pytest.approx(nats, abs=1e-15)


def test_inputs_are_not_mutated():
    t, j = TRUTH.copy(), JOINT.copy()
    semantic_mutual_information(j, t)
    semantic_classify([0.1, 0.5, 0.3, 0.1], t, P_X)
    np.testing.assert_array_equal(t, TRUTH)
    np.testing.assert_array_equal(j, JOINT)


# -------------------------------------------------------------------------------- MMI classification
def _gaussian_likelihood(mus, sds, n_z=7):
    z = np.arange(n_z)
    lik = np.exp(-0.5 * ((z[None, :] - np.asarray(mus)[:, None]) / np.asarray(sds)[:, None]) ** 2)
    return lik / lik.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mmi_classification_climbs_and_with_restarts_finds_the_brute_force_maximum(seed):
    rng = np.random.default_rng(seed)
    nx = 2 + seed % 2
    lik = _gaussian_likelihood(np.sort(rng.uniform(0, 7, nx)), rng.uniform(0.8, 2, nx))
    px = rng.dirichlet(np.full(nx, 3.0))
    r = mmi_classification(lik, px, n_restarts=20, random_state=seed)
    assert (np.diff(r.history) >= -1e-15).all()  # I(X;Y) never decreases along the iteration
    best = max(infokit.mutual_information(px[:, None] * (lik @ np.eye(nx)[list(lab)]))
               for lab in itertools.product(range(nx), repeat=lik.shape[1]))
    assert r.mutual_information == pytest.approx(best, abs=1e-12)  # every partition enumerated
    # a fixed point: classifying again with the matched truth functions changes nothing
    again = mmi_classification(lik, px, init=np.asarray(r.labels), n_labels=nx)
    assert again.iterations == 0 and np.array_equal(again.labels, r.labels)
    # the matched truth functions make the semantic MI equal to the Shannon MI of the final channel
    assert semantic_mutual_information(px[:, None] * r.channel[:, r.channel.max(0) > 0],
                                       r.truth[:, r.channel.max(0) > 0]) == pytest.approx(r.mutual_information,
                                                                                          abs=1e-12)


# ------------------------------------------------------------------------------------------ R(G) function
@pytest.mark.parametrize("s", [0.5, 1.0, 2.0, 5.0])
def test_rate_fidelity_is_rate_distortion_with_distortion_minus_log_m(s):
    m = TRUTH / (P_X @ TRUTH)
    rd = infokit.rate_distortion(P_X, -np.log(m), s)
    pt = rate_fidelity(P_X, TRUTH, s)
    # 1e-9 nats: both iterations stop on a certified gap of 1e-12 but approach the point at different speeds
    assert pt.rate == pytest.approx(rd.rate, abs=1e-9)
    assert pt.semantic_mi == pytest.approx(-rd.distortion, abs=1e-9)
    assert pt.rate >= pt.semantic_mi - 1e-12  # R − G = Σ P(y) KL(P(x|y) || P(x|θ)) >= 0


@pytest.mark.parametrize("s", [-1.0, -3.0])
def test_negative_slope_branch_is_rate_distortion_with_distortion_log_m(s):
    # min I − sG with s < 0 is min I + |s| Σ P log m: Blahut with d = +log m at slope |s|, and G = D
    m = TRUTH / (P_X @ TRUTH)
    rd = infokit.rate_distortion(P_X, np.log(m), -s)
    pt = rate_fidelity(P_X, TRUTH, s)
    assert pt.rate == pytest.approx(rd.rate, abs=1e-9)  # as above: two certified iterations
    assert pt.semantic_mi == pytest.approx(rd.distortion, abs=1e-9)


@pytest.mark.parametrize("s", [0.5, 1.0, 3.0])
def test_rate_fidelity_slope_is_s(s):
    h = 1e-4
    a, b = rate_fidelity(P_X, TRUTH, s + h), rate_fidelity(P_X, TRUTH, s - h)
    # central difference: error O(h²) ≈ 1e-8 plus the 1e-12 convergence gaps divided by ΔG ≈ 1e-5
    assert (a.rate - b.rate) / (a.semantic_mi - b.semantic_mi) == pytest.approx(s, abs=1e-5)


def test_rate_fidelity_curve_branches():
    c = rate_fidelity_curve(P_X, TRUTH, [-3.0, -1.0, -0.2, 0.2, 1.0, 3.0])
    g, r = c.semantic_mis, c.rates
    assert (np.diff(g) > 0).all()  # G increases with s on both branches
    assert (np.diff(r[3:]) > 0).all() and (np.diff(r[:3]) < 0).all()  # the bowl: R falls then rises
    zero = rate_fidelity(P_X, TRUTH, 0.0)
    assert zero.rate == pytest.approx(0.0, abs=1e-15)  # s = 0: the channel ignores x, P(y) stays uniform
    # so G(0) = Σ_j (1/2) Σ_i P(x_i) log m_ij
    m = TRUTH / (P_X @ TRUTH)
    assert zero.semantic_mi == pytest.approx(0.5 * np.sum(P_X[:, None] * np.log(m)), abs=1e-15)


def test_rate_fidelity_rejects_negative_slope_with_zero_truth_values():
    truth = TRUTH.copy()
    truth[3, 0] = 0.0
    with pytest.raises(InvalidParameterError, match="s.*< 0.*truth values > 0"):
        rate_fidelity(P_X, truth, -1.0)


# -------------------------------------------------------------------------------------------- mixtures
@settings(max_examples=25)
@given(n=st.integers(2, 12), k=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_mixture_identity_r_minus_g_equals_kl_gap(n, k, seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n))
    lik = rng.dirichlet(np.ones(n), size=k).T
    w = rng.dirichlet(np.ones(k))
    mi = mixture_information(p, lik, w)
    # R − G = KL(P||Q) − KL(P+_Y||P_Y): an algebraic identity, so only round-off separates the two sides
    assert mi.rate - mi.semantic_mi == pytest.approx(mi.kl_data_model - mi.kl_weights, abs=1e-12)


def test_mixture_identity_at_self_consistent_weights_is_kl_of_data_to_model():
    rng = np.random.default_rng(4)
    p, lik = rng.dirichlet(np.ones(10)), rng.dirichlet(np.ones(10), size=3).T
    w = np.full(3, 1 / 3)
    for _ in range(20_000):  # iterate P_Y <- P+_Y = Σ_x P(x) P(y|x) to self-consistency (the CM step)
        w = p @ (w * lik / (lik @ w)[:, None])
    assert mixture_information(p, lik, w).next_weights == pytest.approx(w, abs=1e-13)
    mi = mixture_information(p, lik, w)
    assert mi.kl_weights < 1e-12
    assert mi.rate - mi.semantic_mi == pytest.approx(mi.kl_data_model, abs=1e-10)


def _two_gaussians():
    x = np.linspace(-5, 10, 61)
    dens = 0.7 * np.exp(-0.5 * x**2) + 0.3 * np.exp(-0.5 * ((x - 4) / 1.5) ** 2) / 1.5
    return x, dens / dens.sum()


def test_em_and_cm_em_reach_the_same_fit_and_cm_em_needs_fewer_m_steps():
    x, p = _two_gaussians()
    start = dict(means=[2.0, 2.5], stds=[2.0, 2.0])  # a poor start: both components in the middle
    em = fit_gaussian_mixture(x, p, method="em", tol=1e-10, max_iter=5000, **start)
    cm = fit_gaussian_mixture(x, p, method="cm_em", tol=1e-10, max_iter=5000, **start)
    assert em.converged and cm.converged
    # same optimum: KL(P||Q) within 1e-9 nats (both stop when an M-step gains < 1e-10), same parameters
    assert cm.kl == pytest.approx(em.kl, abs=1e-9)
    np.testing.assert_allclose(cm.means, [0.0, 4.0], atol=1e-3)  # grid-normalised components: ~1e-4 bias
    np.testing.assert_allclose(cm.weights, [0.7, 0.3], atol=1e-4)
    np.testing.assert_allclose(em.means, cm.means, atol=1e-3)
    # measured: EM 84 M-steps, CM-EM 44 M-steps (but 111 E-steps); Lu reports 36 vs 9 on another example
    assert cm.iterations < em.iterations
    assert cm.inner_iterations > cm.iterations
    assert (np.diff(em.kl_history) <= 1e-9).all()  # EM decreases KL (up to the grid M-step's ~1e-10)


# -------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "truth, match",
    [
        ([[1.2, 1.0], [0.5, 0.2]], r"\[0, 1\].*got 1\.2"),
        ([[1.0, -0.1], [0.5, 1.0]], "negative truth values"),
        ([[0.8, 1.0], [0.5, 0.2]], r"label 0 must reach truth value 1.*maximum 0\.8.*normalize=True"),
        ([[0.0, 1.0], [0.0, 0.2]], "label 0 is false for every x"),
        ([[np.nan, 1.0], [1.0, 0.2]], "finite truth values"),
        (np.ones((2, 2, 2)), "shape"),
    ],
)
def test_bad_truth_functions_are_rejected(truth, match):
    with pytest.raises(InvalidDistributionError, match=match):
        semantic_information(truth, [0.5, 0.5])


def test_shape_and_support_errors():
    with pytest.raises(ShapeMismatchError, match="one probability per row of `truth`"):
        logical_probability(TRUTH, [0.5, 0.5])
    with pytest.raises(ShapeMismatchError, match="same shape"):
        semantic_mutual_information(JOINT, TRUTH[:, :1])
    with pytest.raises(InvalidDistributionError, match="logical probability T\\(theta_0\\) = 0"):
        semantic_bayes([[1.0], [0.0]], [0.0, 1.0])
    with pytest.raises(InvalidDistributionError, match="column 1 is all zeros"):
        matched_truth_functions([[1.0, 0.0], [1.0, 0.0]])
    with pytest.raises(ShapeMismatchError, match="evidence"):
        semantic_classify([0.5, 0.5], TRUTH, P_X)
    with pytest.raises(InvalidDistributionError, match="sum to 1"):
        semantic_mutual_information(JOINT * 2, TRUTH)
    with pytest.raises(InvalidParameterError, match="finite real slope"):
        rate_fidelity(P_X, TRUTH, math.inf)
    with pytest.raises(InvalidDistributionError, match="probability 0 to data point 0"):
        mixture_information([0.5, 0.5], [[0.0], [1.0]], [1.0])
    with pytest.raises(InvalidParameterError, match="`stds` finite and > 0"):
        fit_gaussian_mixture([0.0, 1.0], [0.5, 0.5], means=[0.0], stds=[0.0])
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        fit_gaussian_mixture([0.0, 1.0], [0.5, 0.5], means=[0.0], stds=[1.0], method="gibbs")
    with pytest.raises(InvalidParameterError, match="`init` labels must lie in 0..1"):
        mmi_classification(_gaussian_likelihood([1, 5], [1, 1]), [0.5, 0.5], init=np.array([0] * 6 + [2]),
                           n_labels=2)


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.semantic.g_theory")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__, globs={}):
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} docstring example(s) failed in infokit.methods.semantic.g_theory"
