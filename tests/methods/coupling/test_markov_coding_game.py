"""Rate-limited Markov coding game: soft value iteration, MEME keeps the policy's return, EBIM vs quantisation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import logsumexp

from infokit.exceptions import InvalidParameterError
from infokit.methods.coupling import GridWorld, markov_coding_game, soft_value_iteration, uniform_quantizer


def test_grid_world_dynamics_are_stochastic_matrices_with_walls():
    g = GridWorld()
    P, r = g.dynamics()
    np.testing.assert_allclose(P.sum(axis=2), 1.0, atol=1e-15)
    s = g.state((0, 0))
    # from the corner, "up" hits the wall: stay with prob 1 - slip + slip/3 (the "left" slip also stays)
    assert P[s, 0, s] == pytest.approx(0.9 + 0.1 / 3 * 1, abs=1e-15)
    # obstacle (1, 1) is never entered
    assert np.all(P[:, :, g.state((1, 1))] == 0)
    # the expected reward of a step into the goal from its neighbour (3, 4) moving down
    s34 = g.state((3, 4))
    assert r[s34, 2] == pytest.approx(0.9 * 10.0 + 0.1 * -1.0, abs=1e-12)  # the 3 slips stay or go sideways


def test_soft_value_iteration_satisfies_the_soft_bellman_equation():
    g = GridWorld()
    P, r = g.dynamics()
    for beta in (0.5, 3.0):
        pi, q = soft_value_iteration(g, beta, tol=1e-12)
        v = logsumexp(beta * q, axis=1) / beta
        v[g.terminal()] = 0.0
        np.testing.assert_allclose(q, r + g.discount * P @ v, atol=1e-9)  # fixed point to the tolerance
        np.testing.assert_allclose(pi.sum(axis=1), 1.0, atol=1e-12)
        s = g.state(g.start)
        np.testing.assert_allclose(pi[s], np.exp(beta * q[s] - logsumexp(beta * q[s])), atol=1e-12)


def test_temperature_moves_the_policy_from_uniform_to_greedy():
    g = GridWorld()
    s = g.state(g.start)

    def h_bits(p):
        return float(-np.sum(p * np.log2(p)))

    ents = [h_bits(soft_value_iteration(g, beta)[0][s]) for beta in (0.3, 3.0, 50.0)]
    assert np.all(np.diff(ents) < 0)  # colder policies have less entropy
    # beta -> 0: nearly uniform (not exactly: with absorbing states, staying alive earns entropy, so the soft
    # values still differ by O(1/beta) and beta * Q keeps O(1) differences)
    assert h_bits(soft_value_iteration(g, 1e-3)[0][s]) > 1.99
    pi_cold, _ = soft_value_iteration(g, 50.0)
    assert pi_cold[s].max() > 0.99  # beta -> inf: greedy in the soft values
    assert int(np.argmax(pi_cold[s])) in (1, 2)  # from the top-left corner: right or down


def test_uniform_quantizer_bins_and_rate():
    lab = uniform_quantizer(512, 2.25 * math.log(2))  # floor(2^2.25) = 4 bins of 128
    assert np.bincount(lab).tolist() == [128] * 4
    lab = uniform_quantizer(10, math.log(3))  # 3 contiguous bins of sizes 4, 3, 3 (or a permutation)
    assert sorted(np.bincount(lab).tolist()) == [3, 3, 4]
    assert np.all(np.diff(lab) >= 0)


def test_meme_leaves_the_return_of_the_policy_unchanged():
    # actions are marginally distributed as pi (coupling marginal), so the mean return estimates the exact
    # expected return of pi over the horizon whatever the message
    for beta in (1.5, 4.0):
        r = markov_coding_game(np.full(64, 1 / 64), 3.0, beta=beta, n_episodes=600, random_state=7)
        se = r.rewards.std(ddof=1) / math.sqrt(r.n_episodes)
        assert abs(r.mean_reward - r.expected_reward) < 4 * se  # 4 standard errors: a 6e-5 false-alarm rate


def test_ebim_beats_uniform_quantisation_at_a_fractional_rate():
    # |X| = 64 uniform, R = 2.4 bits: uniform quantisation uses floor(2^2.4) = 5 bins (2.32 bits);
    # EBIM reaches 2.4 bits with more bins. beta = 1 gives long random walks, so the code is always decoded
    # and the accuracy is exactly (number of bins) / 64 for a uniform source.
    p = np.full(64, 1 / 64)
    e = markov_coding_game(p, 2.4, beta=1.0, compression="ebim", n_episodes=150, random_state=0)
    u = markov_coding_game(p, 2.4, beta=1.0, compression="uniform", n_episodes=150, random_state=0)
    assert e.code_accuracy == 1.0 and u.code_accuracy == 1.0
    assert u.code_rate == pytest.approx(
        -sum(c / 64 * math.log2(c / 64) for c in (13, 13, 13, 13, 12)), abs=1e-12)  # 5 contiguous bins
    assert u.n_codes == 5 and e.n_codes > 5
    assert 2.32 < e.code_rate <= 2.4 + 1e-12
    # with the code always decoded, E[accuracy] = sum_t p(t) / |bin t| = n_codes / 64; the estimate averages
    # 1/|bin T| over episodes: check it within 4 standard errors of that expectation
    for r in (e, u):
        se = r.episode_accuracy.std(ddof=1) / math.sqrt(r.n_episodes) + 1e-15
        assert abs(r.accuracy - r.n_codes / 64) <= 4 * se
    # with the code decoded, the log loss of an episode is H(X | T = t) = log2 |bin t|, whose mean over the
    # code distribution is H(X|T) = H(X) - H(T) = 6 - H(T) bits: the estimate is within 4 standard errors
    for r in (e, u):
        losses = r.episode_log_loss / math.log(2)
        assert abs(r.log_loss - losses.mean()) < 1e-12
        assert abs(losses.mean() - (6.0 - r.code_rate)) <= 4 * losses.std(ddof=1) / math.sqrt(r.n_episodes) + 1e-12


def test_a_near_deterministic_policy_cannot_transmit_the_code():
    p = np.full(64, 1 / 64)
    hot = markov_coding_game(p, 4.0, beta=1.0, n_episodes=100, random_state=1)
    cold = markov_coding_game(p, 4.0, beta=20.0, n_episodes=100, random_state=1)
    assert hot.code_accuracy > 0.95  # ~2 bits per step for ~25 steps: plenty for 4 bits
    assert cold.code_accuracy < 0.5  # a near-greedy policy carries almost nothing
    assert cold.expected_reward > hot.expected_reward  # ...but earns more: the trade-off of Fig. 4


def test_receiver_that_sees_only_states_still_decodes_with_a_random_policy():
    r = markov_coding_game(np.full(16, 1 / 16), 2.0, beta=0.5, n_episodes=80, observe="states", random_state=2)
    assert r.code_accuracy > 0.8  # slips blur the channel (prob 0.1 per step) but 25+ steps suffice


def test_bad_input_raises_clear_errors():
    with pytest.raises(InvalidParameterError, match=r"`compression` must be one of"):
        markov_coding_game([0.5, 0.5], 1.0, beta=1.0, compression="huffman")
    with pytest.raises(InvalidParameterError, match=r"`beta` must be > 0"):
        markov_coding_game([0.5, 0.5], 1.0, beta=0.0)
    with pytest.raises(InvalidParameterError, match=r"`rate` must be >= 0"):
        markov_coding_game([0.5, 0.5], -1.0, beta=1.0)
    with pytest.raises(InvalidParameterError, match=r"`slip`"):
        GridWorld(slip=1.0)
    with pytest.raises(InvalidParameterError, match=r"`goal`"):
        GridWorld(goal=(9, 9))


@pytest.mark.slow
def test_paper_scale_game_ebim_accuracy_is_at_least_uniform_quantisation():
    # Paper 1, Sec. 5 at the paper's scale: |X| = 512 uniform, 200 episodes per point. At H(X)/R = 4
    # (R = 2.25 bits) uniform quantisation keeps 4 bins (2 bits), EBIM 5 codes (2.25 bits); with the same policy
    # (same beta, hence the same expected reward) EBIM's receiver is more accurate.
    p = np.full(512, 1 / 512)
    for beta in (1.5, 3.0):
        e = markov_coding_game(p, 2.25, beta=beta, compression="ebim", n_episodes=200, random_state=0)
        u = markov_coding_game(p, 2.25, beta=beta, compression="uniform", n_episodes=200, random_state=0)
        assert e.expected_reward == pytest.approx(u.expected_reward, abs=1e-12)  # the policy does not change
        assert e.code_rate == pytest.approx(2.25, abs=1e-3) and u.code_rate == pytest.approx(2.0, abs=1e-12)
        assert e.accuracy > u.accuracy  # measured 0.0099 vs 0.0078 (beta 1.5), 0.0089 vs 0.0075 (beta 3)
        assert e.log_loss < u.log_loss  # measured 6.73 vs 7.00, 7.02 vs 7.15 bits
