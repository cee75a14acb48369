r"""Markov coding games with a rate limit (the experiment of paper 1): EBIM compression + MEME-style coding.

A *Markov coding game* (MCG) [2]_ asks an agent that plays an MDP to also transmit a message to a receiver who
watches its trajectory. MEME [2]_ solves it with a maximum-entropy policy :math:`\pi` and, at every step, a
minimum-entropy coupling of the receiver's posterior over messages with :math:`\pi(\cdot \mid s)`: the agent
acts from the row of the true message, so its actions are distributed exactly as :math:`\pi` (the MDP return
is that of :math:`\pi`) while the receiver's posterior concentrates quickly.

In the *rate-limited* MCG of [1]_ a source first compresses the message :math:`X` into a code :math:`T` with
:math:`H(T) \le R` (the EBIM encoder of MEC-B, :func:`infokit.methods.coupling.ebim`, or, as the baseline,
uniform quantisation) and the agent transmits :math:`T`; the receiver decodes :math:`\hat T` from the trajectory
and reconstructs :math:`\hat X`. The temperature of the policy trades MDP reward against receiver accuracy.

This module provides a small noisy grid world (start, goal, trap, obstacles, slips), soft Q-value iteration
for the maximum-entropy policy, and :func:`markov_coding_game`, which plays the game episode by episode.

References
----------
.. [1] Ebrahimi, M. R., Chen, J., Khisti, A. (2024). Minimum entropy coupling with bottleneck. NeurIPS 2024.
   arXiv:2410.21666
.. [2] Sokota, S., Schroeder de Witt, C., Igl, M., Zintgraf, L., Torr, P., Strohmeier, M., Kolter, J. Z.,
   Whiteson, S., Foerster, J. (2022). Communicating via Markov decision processes. ICML 2022. arXiv:2107.08295
.. [3] Haarnoja, T., Tang, H., Abbeel, P., Levine, S. (2017). Reinforcement learning with deep energy-based
   policies. ICML 2017. arXiv:1702.08165
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import logsumexp

from ..._units import check_base, to_base, unit_name
from ..._validation import check_choice, check_nonneg_float, check_positive_int, check_random_state
from ...exceptions import ConvergenceWarning, InvalidParameterError
from ...measures import entropy
from .mec import _greedy_coupling
from .mec_b import _ebim_kernel, _prepare_px, _check_rate

__all__ = ["GridWorld", "soft_value_iteration", "MarkovCodingGameResult", "markov_coding_game",
           "uniform_quantizer", "COMPRESSIONS"]

#: ``compression=`` values of :func:`markov_coding_game`
COMPRESSIONS = ("ebim", "uniform")

_MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))  # up, right, down, left


@dataclass(frozen=True)
class GridWorld:
    """A noisy grid-world MDP: reach the goal, avoid the trap and the obstacles.

    Cells are ``(row, col)``; actions 0..3 are up, right, down, left. With probability ``1 - slip`` the chosen
    move is made, otherwise one of the other three moves (uniformly); a move into the border or an obstacle
    leaves the agent in place. Entering the goal or the trap ends the episode with ``goal_reward`` or
    ``trap_reward``; every other step earns ``step_reward``. An episode also ends after ``horizon`` steps.

    The default 5 x 5 layout (``S`` start, ``G`` goal, ``T`` trap, ``#`` obstacle)::

        S . . . .
        . # . # .
        . . . . .
        . # T # .
        . . . . G
    """

    # Deviation from [1]: the paper shows its grid world only in a figure (no layout, rewards or slip rate in
    # the text available to us), so this layout and these rewards are ours; the structure (start, goal, trap,
    # obstacles, slips, maximum-entropy policy) is the paper's.
    rows: int = 5
    cols: int = 5
    start: tuple = (0, 0)
    goal: tuple = (4, 4)
    trap: tuple = (3, 2)
    obstacles: tuple = ((1, 1), (1, 3), (3, 1), (3, 3))
    slip: float = 0.1
    goal_reward: float = 10.0
    trap_reward: float = -10.0
    step_reward: float = -1.0
    horizon: int = 30
    discount: float = 0.95

    def __post_init__(self):
        check_positive_int(self.rows, "rows")
        check_positive_int(self.cols, "cols")
        check_positive_int(self.horizon, "horizon")
        for name in ("start", "goal", "trap"):
            cell = getattr(self, name)
            if not (isinstance(cell, tuple) and len(cell) == 2 and 0 <= cell[0] < self.rows
                    and 0 <= cell[1] < self.cols):
                raise InvalidParameterError(
                    f"`{name}` must be a (row, col) tuple inside the {self.rows} x {self.cols} grid; got {cell!r}"
                )
        if not 0.0 <= float(self.slip) < 1.0:
            raise InvalidParameterError(f"`slip` must be in [0, 1); got {self.slip!r}")
        if not 0.0 < float(self.discount) <= 1.0:
            raise InvalidParameterError(f"`discount` must be in (0, 1]; got {self.discount!r}")

    @property
    def n_states(self) -> int:
        return self.rows * self.cols

    @property
    def n_actions(self) -> int:
        return 4

    def state(self, cell) -> int:
        """Index of a ``(row, col)`` cell."""
        return int(cell[0]) * self.cols + int(cell[1])

    def terminal(self) -> np.ndarray:
        """Boolean mask of the absorbing states (goal and trap)."""
        t = np.zeros(self.n_states, dtype=bool)
        t[self.state(self.goal)] = t[self.state(self.trap)] = True
        return t

    def dynamics(self):
        """``(P, r)``: transition tensor ``P[s, a, s']`` and expected reward ``r[s, a]``."""
        S, A = self.n_states, self.n_actions
        blocked = {tuple(c) for c in self.obstacles}
        P = np.zeros((S, A, S))
        for s in range(S):
            rr, cc = divmod(s, self.cols)
            for a in range(A):
                for move in range(A):
                    w = (1.0 - self.slip) if move == a else self.slip / (A - 1)
                    dr, dc = _MOVES[move]
                    nr, nc = rr + dr, cc + dc
                    if not (0 <= nr < self.rows and 0 <= nc < self.cols) or (nr, nc) in blocked:
                        nr, nc = rr, cc
                    P[s, a, nr * self.cols + nc] += w
        g, t = self.state(self.goal), self.state(self.trap)
        r = self.step_reward + P[:, :, g] * (self.goal_reward - self.step_reward) \
            + P[:, :, t] * (self.trap_reward - self.step_reward)
        return P, r

    def reward(self, s_next: int) -> float:
        """Reward of a step that lands in ``s_next``."""
        if s_next == self.state(self.goal):
            return float(self.goal_reward)
        if s_next == self.state(self.trap):
            return float(self.trap_reward)
        return float(self.step_reward)


def soft_value_iteration(mdp: GridWorld, beta, *, tol=1e-10, max_iter=10_000):
    r"""Maximum-entropy policy :math:`\pi(a|s) \propto \exp(\beta Q(s,a))` by soft Q-value iteration [3]_.

    Parameters
    ----------
    mdp : GridWorld
        The MDP.
    beta : float
        Inverse temperature :math:`\beta > 0`: small values give near-uniform (high-entropy, low-reward)
        policies, large values near-greedy ones.
    tol : float
        Stop when the soft values change by less than ``tol`` (sup norm).
    max_iter : int
        Iteration cap (a :class:`~infokit.exceptions.ConvergenceWarning` is emitted when reached).

    Returns
    -------
    policy : ndarray, shape (n_states, 4)
        :math:`\pi(a \mid s)` (uniform in the absorbing states, where it is never used).
    q : ndarray, shape (n_states, 4)
        Soft action values.

    Notes
    -----
    .. math:: Q(s,a) = r(s,a) + \gamma \sum_{s'} P(s' \mid s,a)\, V(s'), \qquad
              V(s) = \frac{1}{\beta} \log \sum_a e^{\beta Q(s,a)},\quad V(\text{absorbing}) = 0 .

    References
    ----------
    .. [3] Haarnoja, T., Tang, H., Abbeel, P., Levine, S. (2017). Reinforcement learning with deep
       energy-based policies. ICML 2017. arXiv:1702.08165

    Examples
    --------
    >>> from infokit.methods.coupling import GridWorld, soft_value_iteration
    >>> g = GridWorld()
    >>> pi, q = soft_value_iteration(g, 50.0)           # nearly greedy: from the corner, go right or down
    >>> int(pi[g.state(g.start)].argmax()) in (1, 2)
    True
    """
    b = check_nonneg_float(beta, "beta", strict=True)
    P, r = mdp.dynamics()
    term = mdp.terminal()
    V = np.zeros(mdp.n_states)
    Q = r.copy()
    for _ in range(int(max_iter)):
        Q = r + mdp.discount * P @ V
        Vn = logsumexp(b * Q, axis=1) / b
        Vn[term] = 0.0
        if np.max(np.abs(Vn - V)) < tol:
            V = Vn
            break
        V = Vn
    else:
        warnings.warn(f"soft value iteration stopped after max_iter={max_iter} iterations", ConvergenceWarning,
                      stacklevel=2)
    Q = r + mdp.discount * P @ V
    logits = b * Q
    pi = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
    pi[term] = 1.0 / mdp.n_actions
    return pi, Q


def _expected_return(mdp, pi, P):
    """Exact expected undiscounted return over ``mdp.horizon`` steps from the start (backward induction)."""
    term = mdp.terminal()
    step = np.array([mdp.reward(s) for s in range(mdp.n_states)])
    V = np.zeros(mdp.n_states)
    for _ in range(mdp.horizon):
        cont = np.where(term, 0.0, V)
        Q = P @ (step + cont)  # (S, A)
        V = np.sum(pi * Q, axis=1)
        V[term] = 0.0
    return float(V[mdp.state(mdp.start)])


def uniform_quantizer(n: int, rate_nats: float) -> np.ndarray:
    r"""Uniform quantisation of ``range(n)`` into :math:`k = \lfloor e^{R} \rfloor` contiguous, equal-size bins.

    The baseline compressor of the rate-limited Markov coding game of [1]_ (our reading of its Algorithm 5, whose
    pseudo-code was not available to us): :math:`H(T) \le \log k \le R` for every source, with equality for a
    uniform source when :math:`k` divides ``n``. Returns labels.

    Examples
    --------
    >>> import math
    >>> from infokit.methods.coupling import uniform_quantizer
    >>> uniform_quantizer(8, math.log(4)).tolist()   # R = 2 bits: 4 bins of 2
    [0, 0, 1, 1, 2, 2, 3, 3]
    """
    k = max(1, min(n, int(math.floor(math.exp(min(rate_nats, math.log(n))) + 1e-9))))
    return (np.arange(n) * k) // n


@dataclass(frozen=True)
class MarkovCodingGameResult:
    """Outcome of :func:`markov_coding_game` (averages over episodes).

    Attributes
    ----------
    mean_reward : float
        Average undiscounted MDP return per episode.
    expected_reward : float
        The exact expected undiscounted return of the policy over ``horizon`` steps (finite-horizon policy
        evaluation). MEME leaves the action distribution equal to the policy's, so ``mean_reward`` estimates
        this value whatever the message and the compressor.
    accuracy : float
        Probability that the receiver recovers the message, :math:`P(\\hat X = X)`, estimated over the episodes
        with the average over :math:`X` inside the transmitted code done exactly (the trajectory depends on
        :math:`X` only through :math:`T`, so :math:`E[1\\{\\hat X = X\\} \\mid T, \\text{trajectory}] =
        1\\{\\hat T = T\\}\\, p(\\hat x_T \\mid T)`): unbiased, with less variance than counting hits.
    code_accuracy : float
        Fraction of episodes in which it recovered the code, :math:`\\hat T = T`.
    log_loss : float
        The receiver's expected log loss on the message, :math:`E[-\\log \\hat p(X)]` with
        :math:`\\hat p(x) = b(f(x))\\, p(x \\mid f(x))` its final posterior (the distortion of MEC-B), in ``unit``;
        :math:`H(X \\mid T)` when the code is always decoded.
    mean_length : float
        Average episode length (steps).
    code_rate : float
        :math:`H(T)` of the compressor, in ``unit``.
    code_information : float
        :math:`I(X;T)` of the compressor (equal to ``code_rate`` for the deterministic compressors here).
    n_codes : int
        Number of code words (values of :math:`T` with positive probability).
    policy_entropy : float
        Average entropy of :math:`\\pi(\\cdot \\mid s)` over the visited states, in ``unit``.
    n_episodes : int
    beta : float
    compression : str
    unit : str
    rewards, episode_accuracy, episode_log_loss : ndarray
        Per-episode returns, message-recovery probabilities and log losses (in nats), for confidence intervals.
    """

    mean_reward: float
    expected_reward: float
    accuracy: float
    code_accuracy: float
    log_loss: float
    mean_length: float
    code_rate: float
    code_information: float
    n_codes: int
    policy_entropy: float
    n_episodes: int
    beta: float
    compression: str
    unit: str
    rewards: np.ndarray = field(repr=False)
    episode_accuracy: np.ndarray = field(repr=False)
    episode_log_loss: np.ndarray = field(repr=False)


def _meme_step(belief, pi_s, rng, t_true):
    """One MEME step: couple the belief over codes with pi(.|s); sample the action from the true code's row.

    Returns ``(action, cells)`` with ``cells = (idx, vals)`` of the greedy coupling (belief rows, action cols).
    """
    idx, vals = _greedy_coupling([belief, pi_s])
    row = idx[:, 0] == t_true
    w = vals[row]
    a = int(idx[row, 1][rng.choice(w.size, p=w / w.sum())]) if w.size > 1 else int(idx[row, 1][0])
    return a, idx, vals


def _posterior(belief, idx, vals, likelihood_of_action):
    """Receiver's update b'(t) ∝ sum_a C[t, a] L(a): L is the observation likelihood of each action."""
    post = np.zeros_like(belief)
    np.add.at(post, idx[:, 0], vals * likelihood_of_action[idx[:, 1]])
    s = post.sum()
    post /= s
    # drop round-off dust so that a decided belief is exactly one-hot (the same on both sides)
    post[post < 1e-13 * post.max()] = 0.0
    return post / post.sum()


def markov_coding_game(p_x, rate, *, beta, compression="ebim", mdp=None, n_episodes=200, observe="actions",
                       ebim_method="greedy", base=2, random_state=None) -> MarkovCodingGameResult:
    r"""Play a rate-limited Markov coding game ([1]_, Sec. 5): compress, transmit through actions, decode.

    Each episode draws a message :math:`X \sim p_X`, compresses it to :math:`T = f(X)` with
    :math:`H(T) \le R`, and lets the agent play ``mdp`` with the maximum-entropy policy of inverse temperature
    ``beta`` while encoding :math:`T` MEME-style: at state :math:`s` it couples the receiver's belief
    :math:`b(t)` with :math:`\pi(\cdot \mid s)` by greedy minimum-entropy coupling :math:`C` and samples its
    action from :math:`C(T, \cdot)/b(T)`, so that actions are marginally distributed as :math:`\pi`. The
    receiver updates :math:`b'(t) \propto \sum_a C(t, a)\,L(a)`, with :math:`L(a) = 1[a = a_{obs}]` when it sees
    the actions (``observe="actions"``) or :math:`L(a) = P(s' \mid s, a)` when it sees only the states. At the
    end it decodes :math:`\hat T = \arg\max b` and :math:`\hat X = \arg\max_x p(x \mid \hat T)`.

    Parameters
    ----------
    p_x : array_like
        Message distribution (1-D pmf).
    rate : float
        Rate bound :math:`R` on :math:`H(T)` in units of ``base`` (``math.inf``: no compression).
    beta : float
        Inverse temperature of the maximum-entropy policy (see :func:`soft_value_iteration`).
    compression : {"ebim", "uniform"}
        ``"ebim"``: the deterministic EBIM encoder of [1]_ (:func:`~infokit.methods.coupling.ebim`);
        ``"uniform"``: the uniform-quantisation baseline (:func:`uniform_quantizer`).
    mdp : GridWorld, optional
        The MDP (default: the 5 x 5 :class:`GridWorld`).
    n_episodes : int
        Number of episodes (the paper averages 200 per point).
    observe : {"actions", "states"}
        What the receiver sees of the trajectory.
    ebim_method : {"greedy", "exact"}
        EBIM solver used when ``compression="ebim"``.
    base : float, optional
        Units of ``rate`` and of the reported entropies (default bits).
    random_state : int or numpy.random.Generator, optional
        Seed of the episode randomness.

    Returns
    -------
    MarkovCodingGameResult

    References
    ----------
    .. [1] Ebrahimi, M. R., Chen, J., Khisti, A. (2024). Minimum entropy coupling with bottleneck.
       NeurIPS 2024. arXiv:2410.21666
    .. [2] Sokota, S. et al. (2022). Communicating via Markov decision processes. ICML 2022. arXiv:2107.08295

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.methods.coupling import markov_coding_game
    >>> r = markov_coding_game(np.full(16, 1 / 16), 2.0, beta=1.0, n_episodes=20, random_state=0)
    >>> r.code_rate       # 16 equally likely messages compressed to 4 equally likely codes: 2 bits
    2.0
    """
    check_choice(compression, "compression", COMPRESSIONS)
    check_choice(observe, "observe", ("actions", "states"))
    check_choice(ebim_method, "ebim_method", ("greedy", "exact"))
    b = check_base(base)
    p = _prepare_px(p_x, None)
    R = _check_rate(rate, b)
    beta = check_nonneg_float(beta, "beta", strict=True)
    n_ep = check_positive_int(n_episodes, "n_episodes")
    rng = check_random_state(random_state)
    mdp = GridWorld() if mdp is None else mdp
    if not isinstance(mdp, GridWorld):
        raise InvalidParameterError(f"`mdp` must be a GridWorld; got {type(mdp).__name__}")

    # --- compressor: T = labels[X]
    if compression == "ebim":
        enc, labels = _ebim_kernel(p, R, ebim_method)
    else:
        labels = uniform_quantizer(p.size, R)
        labels = np.unique(labels, return_inverse=True)[1]
    k = int(labels.max()) + 1
    p_t = np.bincount(labels, weights=p, minlength=k)
    # MAP reconstruction of X from each code
    x_hat = np.zeros(k, dtype=np.int64)
    for t in range(k):
        members = np.flatnonzero(labels == t)
        x_hat[t] = members[np.argmax(p[members])]
    joint = np.zeros((p.size, k))
    joint[np.arange(p.size), labels] = p
    h_t = float(entropy(p_t[p_t > 0], base=b, atol=1e-9))

    # --- the agent
    pi, _ = soft_value_iteration(mdp, beta)
    P, _ = mdp.dynamics()
    term = mdp.terminal()
    s0 = mdp.state(mdp.start)
    ent_pi = -np.sum(np.where(pi > 0, pi * np.log(np.where(pi > 0, pi, 1.0)), 0.0), axis=1)

    rewards = np.zeros(n_ep)
    lengths = np.zeros(n_ep)
    ok = np.zeros(n_ep)
    ok_t = np.zeros(n_ep)
    loss = np.zeros(n_ep)
    p_given_t = p / p_t[labels]  # p(x | f(x))
    visited_entropy = []
    for e in range(n_ep):
        x = int(rng.choice(p.size, p=p))
        t_true = int(labels[x])
        support = np.flatnonzero(p_t > 0)
        belief = p_t[support] / p_t[support].sum()
        t_pos = int(np.searchsorted(support, t_true))
        s = s0
        total = 0.0
        steps = 0
        for _ in range(mdp.horizon):
            pi_s = pi[s]
            visited_entropy.append(ent_pi[s])
            if belief.size > 1:
                a, idx, vals = _meme_step(belief, pi_s, rng, t_pos)
            else:  # the code is known to the receiver: act from the policy
                a = int(rng.choice(4, p=pi_s))
                idx = vals = None
            s_next = int(rng.choice(mdp.n_states, p=P[s, a]))
            if idx is not None:
                L = (np.arange(4) == a).astype(float) if observe == "actions" else P[s, :, s_next]
                post = _posterior(belief, idx, vals, L)
                keep = post > 0
                support, belief = support[keep], post[keep]
                t_pos = int(np.searchsorted(support, t_true)) if t_true in support else -1
                if t_pos < 0:  # cannot happen: the true code's row always has mass on the observation
                    raise RuntimeError("internal error: the true code left the receiver's support")
            total += mdp.reward(s_next)
            steps += 1
            s = s_next
            if term[s]:
                break
        t_hat = int(support[np.argmax(belief)])
        rewards[e] = total
        lengths[e] = steps
        ok_t[e] = float(t_hat == t_true)
        ok[e] = p_given_t[x_hat[t_hat]] if t_hat == t_true else 0.0
        b_full = np.zeros(k)
        b_full[support] = belief
        members = labels == t_true
        w = p_given_t[members]
        loss[e] = float(-np.sum(w * np.log(b_full[t_true] * w)))
    conv = (lambda v: float(to_base(v, b)))
    return MarkovCodingGameResult(
        mean_reward=float(rewards.mean()),
        expected_reward=_expected_return(mdp, pi, P),
        accuracy=float(ok.mean()),
        code_accuracy=float(ok_t.mean()),
        log_loss=conv(float(loss.mean())),
        mean_length=float(lengths.mean()),
        code_rate=h_t,
        code_information=h_t,
        n_codes=int(np.count_nonzero(p_t > 0)),
        policy_entropy=conv(float(np.mean(visited_entropy))),
        n_episodes=n_ep,
        beta=beta,
        compression=compression,
        unit=unit_name(b),
        rewards=rewards,
        episode_accuracy=ok,
        episode_log_loss=loss,
    )
