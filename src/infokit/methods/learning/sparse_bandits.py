r"""Sparse misspecified linear bandits: the support x epsilon-net query algorithm of Dong & Yang [1]_.

Actions :math:`a \in \mathcal A \subset \mathbb R^d` with :math:`\|a\|_2 \le 1`; the reward is
:math:`r(a) = \langle \theta^*, a\rangle + \Delta(a)` with :math:`|\Delta(a)| \le \epsilon` and
:math:`\|\theta^*\|_0 \le s`, :math:`\|\theta^*\|_2 \le 1`. Without sparsity an :math:`O(\epsilon)`-optimal action
needs :math:`\exp(\Omega(d))` queries (Du et al. 2020 [2]_); with it, [1]_ shows
:math:`O(\epsilon^{-s} d^s)` queries suffice. The algorithm implemented here attains that count:

1. for every support :math:`S \subset [d]`, :math:`|S| = s`, and every direction :math:`u` of an
   :math:`\epsilon/2`-net of the unit sphere of :math:`\mathbb R^S`, add :math:`\arg\max_{a} \langle a, u\rangle`
   to the candidates (an argmax oracle over the actions);
2. query every distinct candidate (``n_repeats`` times when rewards are noisy) and return the best.

Guarantee (noiseless; derived in the notes): with :math:`\tilde u` the net direction nearest
:math:`\theta^*/\|\theta^*\|`, :math:`r(\hat a) \ge r(a_{\tilde u}) \ge \mathrm{OPT} - 2\|\theta^*\|\,\|\tilde u -
\theta^*/\|\theta^*\|\| - 2\epsilon \ge \mathrm{OPT} - 3\epsilon`. The number of distinct queries is at most
:math:`\binom{d}{s}\,|\mathcal N_s(\epsilon/2)|` = :func:`sparse_query_bound`.

The baseline :func:`least_squares_greedy` (random queries, ordinary least squares, greedy argmax) ignores
sparsity; :func:`dense_bias_instance` builds an instance in the spirit of [2]_ where an :math:`\epsilon`-bounded
misspecification, aligned with a dense direction, biases the least-squares fit by :math:`\approx \epsilon\sqrt d`
and sends the greedy choice to an action whose regret grows like :math:`\epsilon^2 d` -- far above :math:`3\epsilon`.

References
----------
.. [1] Dong, J., Yang, L. F. (2023). Does sparsity help in learning misspecified linear bandits? ICML 2023.
   arXiv:2303.16998.
.. [2] Du, S. S., Kakade, S. M., Wang, R., Yang, L. F. (2020). Is a good representation sufficient for sample
   efficient reinforcement learning? ICLR 2020. arXiv:1910.03016.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..._backend import to_numpy
from ..._validation import as_float_array, check_nonneg_float, check_positive_int, check_random_state
from ...exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "sphere_net",
    "sparse_query_bound",
    "sparse_candidates",
    "sparse_bandit_search",
    "SparseBanditResult",
    "least_squares_greedy",
    "dense_bias_instance",
    "MisspecifiedInstance",
]


def _check_eps(epsilon, name="epsilon"):
    e = check_nonneg_float(epsilon, name, strict=True)
    if e >= 2:
        raise InvalidParameterError(f"`{name}` must be in (0, 2) (a covering radius on the unit sphere); got {e}")
    return e


def _net(dim, radius):
    if dim == 1:
        return np.array([[1.0], [-1.0]])
    if dim == 2:
        # consecutive points at angle step delta have chord 2 sin(delta/2) <= delta, so every unit vector is within
        # delta/2 of one: delta = 2 * radius
        m = math.ceil(2 * math.pi / (2 * radius))
        ang = 2 * math.pi * np.arange(m) / m
        return np.stack([np.cos(ang), np.sin(ang)], axis=1)
    # cube grid of spacing h: every point of [-1,1]^dim is within h sqrt(dim)/2 of the grid; normalising at most
    # doubles the distance to a unit vector, so h = radius / sqrt(dim) gives a radius-net of the sphere
    h = radius / math.sqrt(dim)
    n = math.ceil(2 / h)
    axis = np.linspace(-1.0, 1.0, n + 1)
    grid = np.array(list(itertools.product(axis, repeat=dim)))
    norms = np.linalg.norm(grid, axis=1)
    keep = norms > 1.0 / 2  # only points near the sphere's radial projection matter; |g| >= 1/2 keeps coverage
    grid = grid[keep] / norms[keep, None]
    return np.unique(np.round(grid, 12), axis=0)


def sphere_net(dim, radius) -> np.ndarray:
    r"""A ``radius``-net of the unit sphere of :math:`\mathbb R^{dim}`: every unit vector is within ``radius``.

    ``dim = 1``: :math:`\{\pm 1\}`; ``dim = 2``: :math:`\lceil \pi/\text{radius}\rceil` equally spaced angles;
    ``dim >= 3``: a cube grid of spacing :math:`\text{radius}/\sqrt{dim}`, projected on the sphere
    (:math:`O((\sqrt{dim}/\text{radius})^{dim})` points -- the :math:`\epsilon^{-s}` of the query count).

    Examples
    --------
    >>> sphere_net(1, 0.1).tolist()
    [[1.0], [-1.0]]
    >>> len(sphere_net(2, 0.05))   # ceil(2 pi / 0.1)
    63
    """
    dim = check_positive_int(dim, "dim")
    r = _check_eps(radius, "radius")
    if dim >= 3 and (math.sqrt(dim) * 2 / r) ** dim > 5e6:
        raise InvalidParameterError(
            f"a {r}-net of the sphere in {dim} dimensions would have ~{(math.sqrt(dim) * 2 / r) ** dim:.2g} points; "
            "use a larger `radius` or a smaller sparsity"
        )
    return _net(dim, r)


def sparse_query_bound(d, sparsity, epsilon) -> int:
    r"""Upper bound on the number of queries: :math:`\binom{d}{s}\,|\mathcal N_s(\epsilon/2)|`.

    With the nets of :func:`sphere_net` this is :math:`\binom{d}{s}\cdot 2` for :math:`s=1`,
    :math:`\binom{d}{s}\lceil 2\pi/\epsilon\rceil` for :math:`s = 2`, and :math:`O((d/\epsilon)^s)` up to
    :math:`c^s s^{s/2}` in general -- the :math:`O(\epsilon^{-s} d^s)` of [1]_.

    Examples
    --------
    >>> sparse_query_bound(12, 2, 0.05)   # notes §7.3: C(12, 2) * ceil(2 pi / 0.05) = 66 * 126
    8316
    """
    d = check_positive_int(d, "d")
    s = check_positive_int(sparsity, "sparsity")
    if s > d:
        raise InvalidParameterError(f"`sparsity` must be <= d = {d}; got {s}")
    return math.comb(d, s) * len(sphere_net(s, _check_eps(epsilon) / 2))


def _check_actions(actions):
    a = np.asarray(to_numpy(as_float_array(actions, "actions")), dtype=np.float64)
    if a.ndim != 2:
        raise ShapeMismatchError(f"`actions` must be a 2-D array (n_actions, d); got shape {a.shape}")
    if not np.isfinite(a).all():
        raise InvalidParameterError("`actions` must be finite")
    norms = np.linalg.norm(a, axis=1)
    if norms.max() > 1 + 1e-9:
        raise InvalidParameterError(
            f"`actions` must have Euclidean norm <= 1 (the setting of [1]); the largest is {norms.max():.4g} at row "
            f"{int(norms.argmax())}; rescale by the largest norm"
        )
    return a


def sparse_candidates(actions, *, sparsity, epsilon):
    """The candidate actions of the algorithm: distinct :math:`\\arg\\max_a\\langle a, u\\rangle` over supports x net.

    Parameters
    ----------
    actions : array_like of shape (n_actions, d)
        Feature vectors with norm <= 1.
    sparsity : int
        :math:`s`, the sparsity of :math:`\\theta^*`.
    epsilon : float
        Misspecification level; the net has radius ``epsilon / 2``.

    Returns
    -------
    candidates : ndarray of int
        Sorted distinct action indices.
    n_directions : int
        Number of (support, direction) pairs scanned (= :func:`sparse_query_bound`).

    Examples
    --------
    >>> sparse_candidates(np.eye(3), sparsity=1, epsilon=0.1)[0].tolist()
    [0, 1, 2]
    """
    a = _check_actions(actions)
    d = a.shape[1]
    s = check_positive_int(sparsity, "sparsity")
    if s > d:
        raise InvalidParameterError(f"`sparsity` must be <= d = {d}; got {s}")
    net = sphere_net(s, _check_eps(epsilon) / 2)  # (m, s)
    found = set()
    count = 0
    for support in itertools.combinations(range(d), s):
        scores = a[:, support] @ net.T  # (n_actions, m): <a, u> for u supported on S
        found.update(np.argmax(scores, axis=0).tolist())  # the argmax oracle, ties to the lowest index
        count += net.shape[0]
    return np.array(sorted(found), dtype=np.int64), count


@dataclass(frozen=True)
class SparseBanditResult:
    """Outcome of :func:`sparse_bandit_search`.

    Attributes
    ----------
    action : int
        Index of the returned action.
    value : float
        Its (mean) observed reward.
    candidates : ndarray of int
        The distinct actions queried.
    n_queries : int
        Reward queries made (``len(candidates) * n_repeats``).
    query_bound : int
        :func:`sparse_query_bound` for this problem (distinct queries never exceed it).
    """

    action: int
    value: float
    candidates: np.ndarray
    n_queries: int
    query_bound: int


def _call_reward(reward, idx, actions, rng):
    out = np.asarray(reward(idx), dtype=np.float64)
    if out.shape != idx.shape:
        raise ShapeMismatchError(
            f"`reward` must return one reward per queried action index (shape {idx.shape}); got shape {out.shape}"
        )
    return out


def sparse_bandit_search(actions, reward, *, sparsity, epsilon, n_repeats=1) -> SparseBanditResult:
    """Find an :math:`O(\\epsilon)`-optimal action of a sparse misspecified linear bandit [1]_.

    Parameters
    ----------
    actions : array_like of shape (n_actions, d)
        Feature vectors, Euclidean norm <= 1.
    reward : callable
        ``reward(indices) -> rewards``: one (possibly noisy) reward per action index in the int array.
    sparsity : int
        Sparsity :math:`s` of :math:`\\theta^*`.
    epsilon : float
        Misspecification bound :math:`\\epsilon`.
    n_repeats : int, default 1
        Queries per candidate (averaged); with sub-Gaussian noise of scale :math:`\\sigma` use
        :math:`O(\\sigma^2\\log(|C|/\\delta)/\\epsilon^2)`.

    Returns
    -------
    SparseBanditResult
        Noiseless: ``r(action) >= max_a r(a) - 3 epsilon``.

    Examples
    --------
    A 1-sparse parameter along the first axis; a misspecification of 0.05 hides nothing from the search:

    >>> A = np.vstack([np.eye(4), np.full((1, 4), 0.5)])
    >>> r = lambda i: A[i] @ np.array([1.0, 0, 0, 0]) + 0.05 * (i == 4)
    >>> sparse_bandit_search(A, r, sparsity=1, epsilon=0.05).action
    0
    """
    a = _check_actions(actions)
    if not callable(reward):
        raise InvalidInputTypeError(f"`reward` must be a callable indices -> rewards; got {type(reward).__name__}")
    m = check_positive_int(n_repeats, "n_repeats")
    cand, _ = sparse_candidates(a, sparsity=sparsity, epsilon=epsilon)
    vals = np.mean([_call_reward(reward, cand, a, None) for _ in range(m)], axis=0)
    best = int(np.argmax(vals))
    return SparseBanditResult(int(cand[best]), float(vals[best]), cand, int(cand.size * m),
                              sparse_query_bound(a.shape[1], sparsity, epsilon))


def least_squares_greedy(actions, reward, *, n_queries, design=None, random_state=None) -> int:
    """Baseline without sparsity: query random actions, fit OLS :math:`\\hat\\theta`, return the greedy action.

    Parameters
    ----------
    actions : array_like of shape (n_actions, d)
    reward : callable ``indices -> rewards``
    n_queries : int
        Number of random (uniform, with replacement) queries; at least ``d`` for a full-rank fit.
    design : array_like of int, optional
        Action indices the queries are drawn from (default: every action).
    random_state : None, int or numpy Generator

    Returns
    -------
    int
        :math:`\\arg\\max_a \\langle a, \\hat\\theta\\rangle`.

    Examples
    --------
    >>> A = np.eye(3)
    >>> least_squares_greedy(A, lambda i: A[i] @ np.array([0.1, 0.9, 0.3]), n_queries=30, random_state=0)
    1
    """
    a = _check_actions(actions)
    n = check_positive_int(n_queries, "n_queries")
    rng = check_random_state(random_state)
    pool = np.arange(a.shape[0]) if design is None else np.asarray(design, dtype=np.int64)
    if pool.ndim != 1 or pool.size == 0 or pool.min() < 0 or pool.max() >= a.shape[0]:
        raise InvalidParameterError(f"`design` must be a non-empty 1-D array of action indices in 0..{a.shape[0] - 1}")
    idx = pool[rng.integers(pool.size, size=n)]
    r = _call_reward(reward, idx, a, rng)
    theta, *_ = np.linalg.lstsq(a[idx], r, rcond=None)
    return int(np.argmax(a @ theta))


@dataclass(frozen=True)
class MisspecifiedInstance:
    """A sparse misspecified linear bandit with known truth.

    Attributes
    ----------
    actions : ndarray (n_actions, d)
    theta : ndarray (d,)
        The sparse linear part.
    misspecification : ndarray (n_actions,)
        :math:`\\Delta(a)`, bounded by ``epsilon``.
    epsilon : float
    design : ndarray of int or None
        Indices of the actions a random-design baseline queries (``None``: all of them).
    """

    actions: np.ndarray
    theta: np.ndarray
    misspecification: np.ndarray
    epsilon: float
    design: np.ndarray | None = None

    @property
    def rewards(self) -> np.ndarray:
        """:math:`r(a) = \\langle\\theta, a\\rangle + \\Delta(a)` for every action."""
        return self.actions @ self.theta + self.misspecification

    def reward(self, indices) -> np.ndarray:
        """Noiseless reward oracle for :func:`sparse_bandit_search`."""
        return self.rewards[np.asarray(indices, dtype=np.int64)]

    def regret(self, action: int) -> float:
        """:math:`\\max_a r(a) - r(\\text{action})`."""
        r = self.rewards
        return float(r.max() - r[int(action)])


def dense_bias_instance(d, epsilon, *, n_random=None, n_decoys=64, random_state=None) -> MisspecifiedInstance:
    r"""A 1-sparse instance where least squares is misled by an :math:`\epsilon`-bounded misspecification.

    :math:`\theta^* = e_1`. Actions: the basis vectors :math:`e_i`; ``n_random`` random sign vectors
    :math:`x/\sqrt d` (what a random-design baseline queries); and decoys
    :math:`\cos\phi\, e_1 + \sin\phi\, v` for a grid of angles, with :math:`v` the uniform unit vector on
    coordinates :math:`2..d`. The misspecification is :math:`\Delta(a) = \epsilon\,\mathrm{sign}\langle a, v\rangle`
    on the random sign vectors and 0 elsewhere: bounded by :math:`\epsilon`, but correlated with the dense
    direction :math:`v`, so OLS on queries from the random design (``instance.design``) estimates
    :math:`\hat\theta \approx e_1 + \beta v` with :math:`\beta \approx \epsilon\sqrt{2(d-1)/\pi}`, and the
    greedy choice is the decoy at :math:`\tan\phi = \beta`, whose regret is :math:`1 - \cos\phi` -- above
    :math:`3\epsilon` once :math:`\epsilon\sqrt d` is large (d = 400, epsilon = 0.1: about 0.47). The sparse search
    (s = 1) finds :math:`e_1`, the optimum (regret 0).

    # Deviation from [2]: not their construction (exponentially many near-orthogonal actions hiding a needle);
    # this one shows the same phenomenon -- misspecification accumulating over sqrt(d) dense coordinates --
    # on an instance small enough to run.

    Examples
    --------
    >>> inst = dense_bias_instance(16, 0.1, random_state=0)
    >>> inst.actions.shape[1], float(inst.theta[0])
    (16, 1.0)
    """
    d = check_positive_int(d, "d", minimum=2)
    eps = check_nonneg_float(epsilon, "epsilon", strict=True)
    rng = check_random_state(random_state)
    n_random = 4 * d if n_random is None else check_positive_int(n_random, "n_random")
    n_decoys = check_positive_int(n_decoys, "n_decoys")
    v = np.zeros(d)
    v[1:] = 1.0 / math.sqrt(d - 1)
    basis = np.eye(d)
    rand = rng.choice([-1.0, 1.0], size=(n_random, d)) / math.sqrt(d)
    phi = np.linspace(0, math.pi / 2, n_decoys + 2)[1:-1]
    decoys = np.cos(phi)[:, None] * basis[0] + np.sin(phi)[:, None] * v
    actions = np.vstack([basis, rand, decoys])
    delta = np.zeros(actions.shape[0])
    delta[d:d + n_random] = eps * np.sign(rand @ v)
    theta = basis[0].copy()
    design = np.arange(d, d + n_random)
    for arr in (actions, theta, delta, design):
        arr.setflags(write=False)
    return MisspecifiedInstance(actions, theta, delta, eps, design)
