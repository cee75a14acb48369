"""Sparse misspecified bandits: net covering, query-count formula, the 3-epsilon guarantee, the hard instance."""

import itertools
import math

import numpy as np
import pytest

from infokit.exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError
from infokit.methods.learning.sparse_bandits import (
    dense_bias_instance,
    least_squares_greedy,
    sparse_bandit_search,
    sparse_candidates,
    sparse_query_bound,
    sphere_net,
)


@pytest.mark.parametrize(("dim", "radius"), [(1, 0.3), (2, 0.05), (2, 0.5), (3, 0.4), (4, 0.8)])
def test_sphere_net_covers_the_sphere(dim, radius):
    net = sphere_net(dim, radius)
    np.testing.assert_allclose(np.linalg.norm(net, axis=1), 1.0, atol=1e-12)  # unit vectors
    u = np.random.default_rng(0).standard_normal((1000, dim))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    dist = np.min(np.linalg.norm(u[:, None, :] - net[None, :, :], axis=2), axis=1)
    assert dist.max() <= radius  # the construction's guarantee (proved in sphere_net's comments), no slack


def test_query_count_formula():
    # s = 1: C(d, 1) * 2 directions; s = 2: C(d, 2) * ceil(2 pi / eps) (notes §7.3: 66 * 125.7 -> 8,316 with ceil)
    assert sparse_query_bound(10, 1, 0.1) == 20
    assert sparse_query_bound(12, 2, 0.05) == 66 * math.ceil(2 * math.pi / 0.05) == 8316
    # O(eps^{-s} d^s): halving eps doubles the s = 2 count (up to the ceiling), doubling d multiplies C(d,2) by ~4
    assert sparse_query_bound(12, 2, 0.025) == 66 * math.ceil(2 * math.pi / 0.025)
    assert sparse_query_bound(24, 2, 0.05) / sparse_query_bound(12, 2, 0.05) == math.comb(24, 2) / 66
    # and it bounds the distinct candidates the search actually queries
    A = np.random.default_rng(1).standard_normal((200, 6))
    A /= np.linalg.norm(A, axis=1, keepdims=True)
    cand, scanned = sparse_candidates(A, sparsity=2, epsilon=0.2)
    assert scanned == sparse_query_bound(6, 2, 0.2) and cand.size <= scanned


def _hypercube_instance(seed, d=12, eps=0.05):
    """Notes §7.3: A = {+-1}^d / sqrt(d), theta* 2-sparse unit, Delta = -eps on the 50 best, +eps on 300 random."""
    rng = np.random.default_rng(seed)
    A = np.array(list(itertools.product([-1.0, 1.0], repeat=d))) / math.sqrt(d)
    theta = np.zeros(d)
    supp = rng.choice(d, 2, replace=False)
    theta[supp] = rng.standard_normal(2)
    theta /= np.linalg.norm(theta)
    lin = A @ theta
    delta = np.zeros(len(A))
    order = np.argsort(-lin)
    delta[order[:50]] = -eps
    delta[rng.choice(order[50:], min(300, len(A) // 4), replace=False)] = eps
    return A, lin + delta


def test_returned_action_is_three_epsilon_optimal_on_hypercube_instances():
    eps = 0.05
    for seed in range(4):
        A, r = _hypercube_instance(seed, eps=eps)
        res = sparse_bandit_search(A, lambda i: r[i], sparsity=2, epsilon=eps)
        # the derivation in the notes: r(returned) >= OPT - 2*||u~ - u*|| - 2 eps >= OPT - 3 eps (noiseless, exact)
        assert r.max() - r[res.action] <= 3 * eps + 1e-12
        assert res.n_queries == res.candidates.size <= res.query_bound == 8316
        assert res.candidates.size < 200  # notes: ~79 distinct greedy actions out of 4,096


def test_guarantee_holds_for_adversarial_misspecification_by_brute_force():
    # small d so every 1-sparse theta on a grid can be checked, with Delta chosen adversarially against the
    # search: -eps on every candidate, +eps elsewhere. The bound must still hold.
    rng = np.random.default_rng(2)
    A = rng.standard_normal((60, 5))
    A /= np.maximum(1.0, np.linalg.norm(A, axis=1, keepdims=True))
    eps = 0.1
    cand, _ = sparse_candidates(A, sparsity=1, epsilon=eps)
    for j in range(5):
        for sign in (1.0, -1.0):
            theta = np.zeros(5)
            theta[j] = sign
            delta = np.full(len(A), eps)
            delta[cand] = -eps
            r = A @ theta + delta
            res = sparse_bandit_search(A, lambda i: r[i], sparsity=1, epsilon=eps)
            assert r.max() - r[res.action] <= 3 * eps + 1e-12


def test_noisy_rewards_with_repeats():
    # Gaussian noise sd 0.5 averaged over 400 repeats: sd 0.025 per candidate; the 3 eps bound gets + 2*4 sd slack
    A, r = _hypercube_instance(7, d=8, eps=0.05)
    rng = np.random.default_rng(3)
    res = sparse_bandit_search(A, lambda i: r[i] + 0.5 * rng.standard_normal(i.shape), sparsity=2, epsilon=0.05,
                               n_repeats=400)
    assert r.max() - r[res.action] <= 3 * 0.05 + 8 * 0.025
    assert res.n_queries == 400 * res.candidates.size


def test_dense_bias_instance_fools_least_squares_but_not_the_sparse_search():
    # d = 256, eps = 0.1: OLS on the random design gives theta_hat ~ e1 + beta v, beta ~ eps sqrt(2*255/pi) = 1.27,
    # greedy picks the decoy at tan(phi) = beta: regret 1 - cos(phi) ~ 0.38 > 3 eps = 0.3 (measured 0.355..0.393)
    d, eps = 256, 0.1
    inst = dense_bias_instance(d, eps, random_state=0)
    assert np.abs(inst.misspecification).max() <= eps
    res = sparse_bandit_search(inst.actions, inst.reward, sparsity=1, epsilon=eps)
    assert inst.regret(res.action) == 0.0 and res.action == 0
    for seed in (0, 1):
        ls = least_squares_greedy(inst.actions, inst.reward, n_queries=4 * d, design=inst.design, random_state=seed)
        assert inst.regret(ls) > 3 * eps


def test_determinism_and_no_mutation():
    inst1 = dense_bias_instance(20, 0.1, random_state=4)
    inst2 = dense_bias_instance(20, 0.1, random_state=4)
    np.testing.assert_array_equal(inst1.actions, inst2.actions)
    A = np.array(inst1.actions)
    before = A.copy()
    least_squares_greedy(A, inst1.reward, n_queries=50, random_state=0)
    sparse_bandit_search(A, inst1.reward, sparsity=1, epsilon=0.1)
    np.testing.assert_array_equal(A, before)


def test_errors():
    with pytest.raises(InvalidParameterError, match="norm <= 1"):
        sparse_candidates(2 * np.eye(3), sparsity=1, epsilon=0.1)
    with pytest.raises(ShapeMismatchError, match="2-D array"):
        sparse_candidates(np.ones(3), sparsity=1, epsilon=0.1)
    with pytest.raises(InvalidParameterError, match="`sparsity` must be <= d = 3"):
        sparse_candidates(np.eye(3), sparsity=4, epsilon=0.1)
    with pytest.raises(InvalidParameterError, match="`epsilon` must be > 0"):
        sparse_query_bound(3, 1, 0.0)
    with pytest.raises(InvalidParameterError, match="use a larger `radius`"):
        sphere_net(8, 0.01)
    with pytest.raises(InvalidInputTypeError, match="`reward` must be a callable"):
        sparse_bandit_search(np.eye(2), [1, 2], sparsity=1, epsilon=0.1)
    with pytest.raises(ShapeMismatchError, match="one reward per queried action"):
        sparse_bandit_search(np.eye(2), lambda i: 1.0, sparsity=1, epsilon=0.1)
    with pytest.raises(InvalidParameterError, match="`design` must be"):
        least_squares_greedy(np.eye(2), lambda i: i * 1.0, n_queries=3, design=[5])
