"""Alignment asymptotics (Yang et al. 2024): KL tilt, best-of-N, Rényi cross entropy, BoN/tilt equivalence."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError, ShapeMismatchError
from infokit.methods.alignment import (
    best_of_n,
    best_of_n_kl,
    best_of_n_kl_bound,
    best_of_n_tradeoff,
    cramer_rate,
    exponential_tilt,
    kl_reward_curve,
    kl_tilt,
    renyi_cross_entropy,
    sequence_best_of_n,
)

P3, R3 = np.array([0.5, 0.3, 0.2]), np.array([0.0, 1.0, 2.0])  # the notes' running example


def _brute_force_bon(p, r, n):
    """Exact law of best-of-n by enumerating every n-tuple of draws, ties broken uniformly among the maxima."""
    out = np.zeros(len(p))
    for draws in itertools.product(range(len(p)), repeat=n):
        prob = np.prod(p[list(draws)])
        top = max(r[d] for d in draws)
        winners = [d for d in draws if r[d] == top]
        for d in winners:
            out[d] += prob / len(winners)
    return out


# ------------------------------------------------------------------------------------ known answers (§10.3)
@pytest.mark.parametrize("n, kl, bound", [(2, 0.19315, 0.19315), (4, 0.63629, 0.63629), (16, 1.83508, 1.83509),
                                          (64, 3.17434, 3.17451)])
def test_bon_kl_for_a_thousand_distinct_rewards(n, kl, bound):
    p, r = np.full(1000, 1e-3), np.arange(1000.0)
    assert best_of_n_kl(p, r, n) == pytest.approx(kl, abs=5e-6)  # the notes print 5 decimals
    assert best_of_n_kl_bound(n) == pytest.approx(bound, abs=5e-6)
    assert best_of_n_kl(p, r, n) <= best_of_n_kl_bound(n)  # ties (here: discreteness) only lower the KL


def test_bon_and_tilt_on_the_three_level_example():
    t = best_of_n_tradeoff(P3, R3, [2, 4, 16])
    # notes §10.3 (4–5 decimals): BoN KL, BoN reward, tilt λ and tilt reward at the same KL
    np.testing.assert_allclose(t.kl, [0.14064, 0.55975, 1.46964], atol=5e-6)
    np.testing.assert_allclose(t.reward, [1.1100, 1.5279, 1.9718], atol=5e-5)
    np.testing.assert_allclose(t.tilt_lam, [0.648, 1.384, 4.013], atol=5e-4)
    np.testing.assert_allclose(t.tilt_reward, [1.1279, 1.5502, 1.9720], atol=5e-5)
    assert (t.tilt_reward >= t.reward).all()  # the tilt is the optimum at equal KL
    # closed form at N = 2: levels 0,1,2 get F_ℓ² − F_{ℓ−1}² = .25, .64 − .25, 1 − .64
    np.testing.assert_allclose(best_of_n(P3, R3, 2), [0.25, 0.39, 0.36], atol=1e-15)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_bon_law_matches_enumeration_with_ties(n):
    p = np.array([0.1, 0.25, 0.15, 0.3, 0.2])
    r = np.array([1.0, 0.0, 1.0, 2.0, 0.0])  # two ties
    np.testing.assert_allclose(best_of_n(p, r, n), _brute_force_bon(p, r, n), atol=1e-15)
    pi = _brute_force_bon(p, r, n)
    assert best_of_n_kl(p, r, n) == pytest.approx(infokit.kl_divergence(pi, p), abs=1e-14)


def test_bon_with_log_n_matches_n_and_survives_huge_n():
    np.testing.assert_allclose(best_of_n(P3, R3, log_n=math.log(7.0)), best_of_n(P3, R3, 7.0), atol=1e-15)
    # N = e^800 (beyond float range): all mass on the top level, KL = −log p(top) = log 5
    pi = best_of_n(P3, R3, log_n=800.0)
    np.testing.assert_allclose(pi, [0.0, 0.0, 1.0], atol=1e-300)
    assert best_of_n_kl(P3, R3, log_n=800.0) == pytest.approx(math.log(5.0), abs=1e-14)


def test_bon_with_one_sample_is_the_base_model():
    np.testing.assert_allclose(best_of_n(P3, R3, 1), P3, atol=1e-15)
    assert best_of_n_kl(P3, R3, 1) == 0.0
    assert best_of_n_kl_bound(1) == 0.0


@settings(max_examples=25)
@given(m=st.integers(2, 8), seed=st.integers(0, 10_000), n=st.floats(1.0, 200.0))
def test_bon_kl_is_below_the_bound_and_the_law_is_a_pmf(m, seed, n):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(m))
    r = rng.integers(0, 4, size=m).astype(float)
    pi = best_of_n(p, r, n)
    assert pi.sum() == pytest.approx(1.0, abs=1e-12)
    assert (pi >= 0).all()
    assert best_of_n_kl(p, r, n) <= best_of_n_kl_bound(n) + 1e-12


# ------------------------------------------------------------------------------------------------ tilt
@pytest.mark.parametrize("delta", [1e-6, 0.05, 0.3, 1.0, 1.5])
def test_kl_tilt_hits_the_budget_and_satisfies_the_identities(delta):
    t = kl_tilt(P3, R3, delta)
    assert t.kl == pytest.approx(delta, rel=1e-10)  # Brent's method to machine precision
    # KL(φ||p) = λ E_φ r − log Z(λ), with Λ = log Z
    assert t.lam * t.expected_reward - t.log_partition == pytest.approx(delta, rel=1e-9)
    assert infokit.kl_divergence(t.distribution, P3) == pytest.approx(delta, rel=1e-9)


def test_kl_tilt_limits():
    assert kl_tilt(P3, R3, 0.0).distribution.tolist() == P3.tolist()  # λ = 0 gives p
    top = kl_tilt(P3, R3, 5.0)  # more than −log p(top) = log 5 = 1.609: the top level alone
    assert top.lam == math.inf and top.kl == pytest.approx(math.log(5), abs=1e-15)
    np.testing.assert_array_equal(top.distribution, [0.0, 0.0, 1.0])
    flat = kl_tilt(P3, [1.0, 1.0, 1.0], 0.5)  # constant reward: nothing to gain
    assert flat.lam == 0.0 and flat.kl == 0.0
    assert kl_tilt(P3, R3, 0.3, base=2).kl == pytest.approx(0.3, rel=1e-10)  # budget in bits


def test_tilt_reward_derivative_is_the_variance():
    lam, h = 0.7, 1e-5
    up, down, mid = (exponential_tilt(P3, R3, v) for v in (lam + h, lam - h, lam))
    var = mid.distribution @ (R3 - mid.expected_reward) ** 2
    # central difference error O(h²) ~ 1e-10
    assert (up.expected_reward - down.expected_reward) / (2 * h) == pytest.approx(var, abs=1e-8)


@settings(max_examples=25)
@given(m=st.integers(2, 6), seed=st.integers(0, 10_000), n=st.floats(1.5, 100.0))
def test_tilt_dominates_bon_at_equal_kl(m, seed, n):
    rng = np.random.default_rng(seed)
    p, r = rng.dirichlet(np.ones(m)), rng.normal(size=m)
    t = best_of_n_tradeoff(p, r, [n])
    assert t.tilt_reward[0] >= t.reward[0] - 1e-12


def test_kl_reward_curve_is_increasing_and_matches_kl_tilt():
    c = kl_reward_curve(P3, R3, [0.0, 0.5, 1.0, 2.0, math.inf])
    assert (np.diff(c.kl) > 0).all() and (np.diff(c.reward) > 0).all()
    assert kl_tilt(P3, R3, c.kl[2]).lam == pytest.approx(1.0, rel=1e-9)  # inverse maps agree
    assert c.reward[-1] == 2.0


# ------------------------------------------------------------------------------- Rényi / large deviations
def test_renyi_cross_entropy_special_cases():
    p, q = np.array([0.2, 0.5, 0.3]), np.array([0.4, 0.4, 0.2])
    assert renyi_cross_entropy(p, q, 1.0) == pytest.approx(infokit.cross_entropy(p, q), abs=1e-15)
    assert renyi_cross_entropy(p, q, 1.0 + 1e-7) == pytest.approx(infokit.cross_entropy(p, q), abs=1e-6)
    assert renyi_cross_entropy(p, p, 2.0) == pytest.approx(infokit.renyi_entropy(p, 2.0), abs=1e-14)
    assert renyi_cross_entropy([0.5, 0.5], [1.0, 0.0], 0.5) == math.inf  # q misses mass of p, α < 1
    # α = 2 with a zero of q: the term drops, H_2 = −log Σ p q
    assert renyi_cross_entropy([0.5, 0.5], [1.0, 0.0], 2.0) == pytest.approx(-math.log(0.5), abs=1e-15)


@pytest.mark.parametrize("lam", [0.3, 1.0, 2.5])
def test_cumulants_are_renyi_cross_entropies(lam):
    # Λ(λ) = log E_p e^{λ r} = λ log Σ e^r − λ H_{1+λ}(p, q) with q ∝ e^r (notes §10.1)
    q = np.exp(R3) / np.exp(R3).sum()
    lhs = math.log(P3 @ np.exp(lam * R3))
    rhs = lam * math.log(np.exp(R3).sum()) - lam * renyi_cross_entropy(P3, q, 1 + lam)
    assert rhs == pytest.approx(lhs, abs=1e-14)
    assert exponential_tilt(P3, R3, lam).log_partition == pytest.approx(lhs, abs=1e-14)


def test_cramer_rate_is_the_kl_of_the_matching_tilt():
    t = kl_tilt(P3, R3, 0.1)
    assert cramer_rate(P3, R3, t.expected_reward) == pytest.approx(0.1, rel=1e-9)
    assert cramer_rate(P3, R3, P3 @ R3) == 0.0
    assert cramer_rate(P3, R3, 2.0) == pytest.approx(math.log(5), abs=1e-15)  # −log p(r = 2)
    assert cramer_rate(P3, R3, 0.0) == pytest.approx(math.log(2), abs=1e-15)  # −log p(r = 0)
    assert cramer_rate(P3, R3, 2.5) == math.inf
    # below the mean 0.7: the tilt with negative λ (a positive tilt of −r), found here by bisection
    lam = brentq(lambda t: exponential_tilt(P3, -R3, t).expected_reward + 0.4, 0.0, 50.0, xtol=1e-15)
    assert cramer_rate(P3, R3, 0.4) == pytest.approx(exponential_tilt(P3, -R3, lam).kl, rel=1e-9)


# ---------------------------------------------------------------------------- memoryless sequences (§10.4)
@pytest.mark.parametrize("n, reward, kl, bound", [(10, 0.8935, 0.0362, 0.0368), (50, 0.9994, 0.0798, 0.0801),
                                                  (200, 1.0392, 0.0949, 0.0950), (1000, 1.0543, 0.0990, 0.0990)])
def test_sequence_bon_table_of_the_notes(n, reward, kl, bound):
    s = sequence_best_of_n(P3, R3, n, log_n=0.1 * n)  # N = e^{nΔ}, Δ = 0.1 nats/token
    assert s.reward_per_token == pytest.approx(reward, abs=5e-5)  # 4 decimals in the notes
    assert s.kl_per_token == pytest.approx(kl, abs=5e-5)
    assert s.kl_bound_per_token == pytest.approx(bound, abs=5e-5)


def test_sequence_bon_approaches_the_kl_rl_optimum():
    target = kl_tilt(P3, R3, 0.1).expected_reward  # 1.0599 reward/token at Δ = 0.1 (notes)
    assert target == pytest.approx(1.0599, abs=5e-5)
    gaps = [target - sequence_best_of_n(P3, R3, n, log_n=0.1 * n).reward_per_token for n in (10, 50, 200)]
    assert gaps[0] > gaps[1] > gaps[2] > 0  # BoN stays below the optimum and closes in as n grows


def test_sequence_bon_matches_enumeration_of_short_sequences():
    # length 3 over 3 tokens: 27 sequences, reward = sum of token rewards; best-of-N on that product model
    seqs = list(itertools.product(range(3), repeat=3))
    p = np.array([np.prod(P3[list(s)]) for s in seqs])
    r = np.array([R3[list(s)].sum() for s in seqs])
    s = sequence_best_of_n(P3, R3, 3, n=5)
    assert s.reward_per_token == pytest.approx(best_of_n(p, r, 5) @ r / 3, abs=1e-13)
    assert s.kl_per_token == pytest.approx(best_of_n_kl(p, r, 5) / 3, abs=1e-13)


@pytest.mark.slow
def test_sequence_bon_table_long_sequence():
    s = sequence_best_of_n(P3, R3, 4000, log_n=400.0)
    assert s.reward_per_token == pytest.approx(1.0582, abs=5e-5)
    assert s.kl_per_token == pytest.approx(0.0997, abs=5e-5)


# ---------------------------------------------------------------------------------------------- errors
def test_bad_inputs_are_rejected():
    with pytest.raises(ShapeMismatchError, match="one reward per outcome"):
        kl_tilt(P3, [0.0, 1.0], 0.1)
    with pytest.raises(InvalidParameterError, match="`reward` must be finite.*probability 0"):
        best_of_n(P3, [0.0, math.inf, 1.0], 2)
    with pytest.raises(InvalidParameterError, match="`kl` must be >= 0"):
        kl_tilt(P3, R3, -0.1)
    with pytest.raises(InvalidParameterError, match="exactly one of `n`"):
        best_of_n(P3, R3, 2, log_n=1.0)
    with pytest.raises(InvalidParameterError, match="exactly one of `n`"):
        best_of_n_kl(P3, R3)
    with pytest.raises(InvalidParameterError, match="`n` must be a real number >= 1"):
        best_of_n(P3, R3, 0.5)
    with pytest.raises(InvalidDistributionError, match="sum to 1"):
        best_of_n([0.5, 0.6], [0.0, 1.0], 2)
    with pytest.raises(InvalidParameterError, match="`r0` must be integer-valued"):
        sequence_best_of_n(P3, [0.0, 0.5, 1.0], 5, n=2)
    with pytest.raises(InvalidParameterError, match="`alpha` must be finite"):
        renyi_cross_entropy(P3, P3, math.inf)
    with pytest.raises(InvalidParameterError, match="`alpha` must be >= 0"):
        renyi_cross_entropy(P3, P3, -1.0)
    with pytest.raises(ShapeMismatchError, match="same outcomes"):
        renyi_cross_entropy(P3, [0.5, 0.5], 2.0)


def test_inputs_are_not_mutated():
    p, r = P3.copy(), R3.copy()
    kl_tilt(p, r, 0.2)
    best_of_n(p, r, 3)
    np.testing.assert_array_equal(p, P3)
    np.testing.assert_array_equal(r, R3)


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.alignment.asymptotics")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__, globs={}):
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} docstring example(s) failed in infokit.methods.alignment.asymptotics"
