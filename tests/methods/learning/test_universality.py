"""The universality lens: exact mixture regret, KL-ball weights and the index-of-resolvability bound."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import gammaln

from infokit.exceptions import InvalidParameterError, ShapeMismatchError
from infokit.methods.learning.universality import (
    boolean_function_prior,
    hypothesis_weight,
    kl_to_truth,
    mixture_regret,
    regret_bound,
)


def test_point_mass_prior_on_the_reference_has_zero_regret():
    r = mixture_regret([0.0, 1.0], [[0.5, 0.5], [0.2, 0.8]], np.array([1, 1, 0, 1]), reference=1)
    assert r.regret == pytest.approx(0.0, abs=1e-12)
    np.testing.assert_allclose(r.posterior, [0.0, 1.0])


def test_grid_prior_reproduces_the_laplace_mixture_regret():
    # Uniform prior on a fine grid of Bernoulli parameters -> Laplace's rule: q(x^n) = k!(n-k)!/(n+1)!.
    # The midpoint rule on 2000 cells has error O(1/2000^2) relative: 1e-5 nats is ample.
    th = (np.arange(2000) + 0.5) / 2000
    lik = np.stack([1 - th, th], axis=1)
    rng = np.random.default_rng(0)
    x = (rng.random(150) < 0.3).astype(int)
    k, n = int(x.sum()), x.size
    laplace = -(gammaln(k + 1) + gammaln(n - k + 1) - gammaln(n + 2))
    ref = -(k * math.log(0.3) + (n - k) * math.log(0.7))
    r = mixture_regret(np.full(th.size, 1 / th.size), lik, x, reference=np.array([0.7, 0.3]))
    assert r.mixture_log_loss == pytest.approx(laplace, abs=1e-5)
    assert r.regret == pytest.approx(laplace - ref, abs=1e-5)
    # the path is the cumulative regret, ending at the total
    assert r.regret_path[-1] == pytest.approx(r.regret)


def test_sequential_predictive_equals_the_batch_mixture():
    # chain rule: sum_t -log q(x_t | x^{t-1}) computed by explicit posterior updates equals -log q(x^n)
    rng = np.random.default_rng(3)
    lik = rng.dirichlet(np.ones(4), size=6)
    w = rng.dirichlet(np.ones(6))
    x = rng.integers(0, 4, 40)
    post, seq = w.copy(), 0.0
    for s in x:
        pred = post @ lik[:, s]
        seq -= math.log(pred)
        post = post * lik[:, s] / pred
    r = mixture_regret(w, lik, x, reference=0)
    assert r.mixture_log_loss == pytest.approx(seq, rel=1e-12)
    np.testing.assert_allclose(r.posterior, post, atol=1e-12)


def test_realisable_regret_never_exceeds_log_inverse_prior_weight():
    # q >= w(theta*) p_theta*, so the regret is <= log 1/w(theta*) on every sequence, not just on average
    rng = np.random.default_rng(5)
    lik = rng.dirichlet(np.ones(3), size=20)
    w = rng.dirichlet(np.ones(20))
    for t in range(20):
        x = rng.choice(3, size=60, p=lik[t])
        assert mixture_regret(w, lik, x, reference=t).regret <= -math.log(w[t]) + 1e-12


def test_expected_regret_is_below_the_bound_when_the_truth_is_outside_the_class():
    # truth Bern(0.33) outside a 5-point grid: the bound min_eps {n eps + log 1/W_eps} uses eps > 0
    th = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
    lik = np.stack([1 - th, th], axis=1)
    w = np.full(5, 0.2)
    truth = np.array([0.67, 0.33])
    kl = kl_to_truth(lik, truth)
    n = 30
    b = regret_bound(w, kl, n)
    assert b.epsilon == pytest.approx(kl[1])                       # the nearest grid point
    assert b.bound == pytest.approx(n * kl[1] + math.log(5))
    rng = np.random.default_rng(0)
    regrets = [mixture_regret(w, lik, (rng.random(n) < 0.33).astype(int), reference=truth).regret
               for _ in range(400)]
    # sd of the regret is about 0.3 nats; the mean of 400 runs has sd 0.015 -> 0.05 margin is > 3 sd
    assert np.mean(regrets) <= b.bound + 0.05


def test_hypothesis_weight_is_the_prior_mass_of_the_kl_ball():
    w = np.array([0.1, 0.2, 0.3, 0.4])
    kl = np.array([0.0, 0.5, np.inf, 0.2])
    assert hypothesis_weight(w, kl, 0.0) == pytest.approx(0.1)
    assert hypothesis_weight(w, kl, 0.2) == pytest.approx(0.5)
    np.testing.assert_allclose(hypothesis_weight(w, kl, [0.1, 0.5, 10.0]), [0.1, 0.7, 0.7])


def test_kl_to_truth_averages_conditionals_over_inputs():
    lik = np.array([[[0.9, 0.1], [0.1, 0.9]], [[0.5, 0.5], [0.5, 0.5]]])
    truth = lik[0]
    kl = kl_to_truth(lik, truth, input_pmf=[0.25, 0.75])
    # hypothesis 1 differs from the truth on both inputs by D(Bern(.9)||Bern(.5)) = log 2 - h(0.1)
    d = math.log(2) + 0.9 * math.log(0.9) + 0.1 * math.log(0.1)
    np.testing.assert_allclose(kl, [0.0, d], atol=1e-12)


def test_supervised_regret_uses_the_conditional_tables():
    lik = np.array([[[0.9, 0.1], [0.1, 0.9]], [[0.5, 0.5], [0.5, 0.5]]])
    x = np.array([0, 1, 1, 0])
    y = np.array([0, 1, 1, 1])
    r = mixture_regret([0.5, 0.5], lik, (x, y), reference=0)
    p0 = 0.9 * 0.9 * 0.9 * 0.1
    p1 = 0.5 ** 4
    assert r.regret == pytest.approx(-math.log(0.5 * p0 + 0.5 * p1) + math.log(p0), rel=1e-12)


def test_regret_in_bits_is_regret_in_nats_over_log2():
    lik = np.array([[0.5, 0.5], [0.9, 0.1]])
    x = np.array([0, 0, 1])
    nats = mixture_regret([0.5, 0.5], lik, x, reference=1).regret
    bits = mixture_regret([0.5, 0.5], lik, x, reference=1, base=2)
    assert bits.regret == pytest.approx(nats / math.log(2)) and bits.unit == "bits"


def test_random_networks_favour_simple_functions():
    functions, prior = boolean_function_prior(4, 8, n_networks=20_000, random_state=0)
    assert prior.sum() == pytest.approx(1.0)
    weight = dict(zip(functions.tolist(), prior.tolist()))
    parity = sum(1 << i for i in range(16) if bin(i).count("1") % 2)
    # constant 0 takes a few % of the networks (measured 4.9% at 2e5 networks); parity is vanishingly rare
    assert weight.get(0, 0.0) > 0.01
    assert weight.get(parity, 0.0) < 1e-3
    again = boolean_function_prior(4, 8, n_networks=20_000, random_state=0)
    np.testing.assert_array_equal(again[0], functions)


def test_bad_inputs_are_named():
    with pytest.raises(InvalidParameterError, match="`prior` must sum to 1"):
        mixture_regret([0.5, 0.6], [[0.5, 0.5], [0.5, 0.5]], np.array([0]), reference=0)
    with pytest.raises(ShapeMismatchError, match="2 hypotheses but `prior` has 3"):
        mixture_regret([0.2, 0.3, 0.5], [[0.5, 0.5], [0.5, 0.5]], np.array([0]), reference=0)
    with pytest.raises(InvalidParameterError, match="`data` symbols must lie in"):
        mixture_regret([0.5, 0.5], [[0.5, 0.5], [0.5, 0.5]], np.array([2]), reference=0)
    with pytest.raises(InvalidParameterError, match="`reference` gives probability 0"):
        mixture_regret([0.5, 0.5], [[1.0, 0.0], [0.5, 0.5]], np.array([1]), reference=0)
    with pytest.raises(InvalidParameterError, match="`eps` must be finite"):
        hypothesis_weight([1.0], [0.0], -1.0)
