r"""Learning to actively learn, robustly: instance difficulty, difficulty classes, policy evaluation, a robust policy.

Zhang, Jain & Jamieson [1]_ learn an adaptive measurement policy for a small budget :math:`T` that competes,
simultaneously, with the best policy of every *difficulty class*. Instances :math:`\theta` are ranked by the
information-theoretic lower bound of (transductive) pure exploration [2]_:

.. math::

    \rho(\theta) = \min_{\lambda \in \Delta_{\mathcal X}} \max_{z \ne z^*(\theta)}
        \frac{\|z^* - z\|^2_{A(\lambda)^{-1}}}{\langle \theta, z^* - z\rangle^2},\qquad
    A(\lambda) = \sum_{x\in\mathcal X} \lambda_x x x^\top,

with measurements :math:`\mathcal X` (rows of ``measurements``, the standard basis by default: "pull one arm")
and hypotheses :math:`\mathcal Z` (rows of ``hypotheses``, the standard basis by default: best-arm
identification); :math:`z^* = \arg\max_z \langle\theta, z\rangle`. The classes are
:math:`\Theta^{(r)} = \{\theta : \rho(\theta) \le r\}`, and the robust objective is

.. math::

    \min_\pi \max_k \Big[\sup_{\theta \in \Theta^{(r_k)}} L(\pi, \theta) - \min_{\pi'} \sup_{\theta\in\Theta^{(r_k)}}
        L(\pi', \theta)\Big].

This module gives the computable pieces: :func:`instance_difficulty` (convex in :math:`\lambda`; solved in the
epigraph form by SLSQP, or by Frank–Wolfe on a log-sum-exp smoothing of the max), :func:`sample_difficulty_class`
(rejection sampling of a class), :func:`evaluate_policy` (Monte-Carlo error of a batched policy on Bernoulli
instances), three policies for the 1-D thresholds task (:class:`UniformPolicy`, :class:`BinarySearchPolicy`,
:class:`ThresholdPosteriorPolicy`), :func:`train_robust_policy`, the min–max–regret selection over a policy
family against adversarial particles per class, and the paper's trained policy: :class:`SoftmaxQueryPolicy`
(a linear-softmax stochastic policy on posterior features) trained by :func:`train_robust_policy_gradient`
(REINFORCE on a softmax-smoothed max over classes, against a random-search adversary on the particles).

Bernoulli observations of arm :math:`x` have mean :math:`\mu_x`; for the thresholds task the hypotheses are
:math:`z_t = \mathbb 1[i \ge t]`, :math:`t = 0..d`, and :math:`\theta = \mu - 1/2` (label "1" above the threshold).
:math:`\rho` is computed for unit-variance observations (Bernoulli variance is at most 1/4, so it overstates the
Bernoulli complexity by at most 4; classes only use its order).

References
----------
.. [1] Zhang, J., Jain, L., Jamieson, K. (2021). Learning to actively learn: a robust approach. arXiv:2010.15382.
.. [2] Fiez, T., Jain, L., Jamieson, K., Ratliff, L. (2019). Sequential experimental design for transductive
   linear bandits. NeurIPS 2019. arXiv:1906.08399.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from ..._backend import to_numpy
from ..._validation import (
    as_float_array,
    check_choice,
    check_nonneg_float,
    check_positive_int,
    check_random_state,
)
from ...exceptions import ConvergenceWarning, InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "instance_difficulty",
    "DifficultyResult",
    "threshold_hypotheses",
    "threshold_means",
    "sample_difficulty_class",
    "evaluate_policy",
    "UniformPolicy",
    "BinarySearchPolicy",
    "ThresholdPosteriorPolicy",
    "train_robust_policy",
    "RobustPolicyResult",
    "SoftmaxQueryPolicy",
    "train_robust_policy_gradient",
    "PolicyGradientResult",
]


# ============================================================================================ difficulty
@dataclass(frozen=True)
class DifficultyResult:
    """:math:`\\rho(\\theta)` and the design that attains it.

    Attributes
    ----------
    value : float
        :math:`\\rho(\\theta)` (``inf`` when the best hypothesis is not unique).
    design : ndarray
        The optimal allocation :math:`\\lambda` over the measurements.
    best : int
        Index of :math:`z^*(\\theta)` among the hypotheses.
    n_iter : int
    lower_bound : float
        A certified lower bound from the dual :math:`\\max_\\mu \\min_\\lambda \\sum_z \\mu_z g_z(\\lambda)`, available
        for the default (standard-basis) measurements, where the inner minimum has the closed form
        :math:`(\\sum_i \\sqrt{M_{ii}(\\mu)})^2`; ``nan`` otherwise. ``value - lower_bound`` bounds the error.
    """

    value: float
    design: np.ndarray
    best: int
    n_iter: int
    lower_bound: float = math.nan


def _matrix(x, name):
    a = np.asarray(to_numpy(as_float_array(x, name)), dtype=np.float64)
    if a.ndim != 2:
        raise ShapeMismatchError(f"`{name}` must be 2-D (one row per vector); got shape {a.shape}")
    if not np.isfinite(a).all():
        raise InvalidParameterError(f"`{name}` must be finite")
    return a


def _problem(theta, hypotheses, measurements):
    th = np.asarray(to_numpy(as_float_array(theta, "theta")), dtype=np.float64)
    if th.ndim != 1 or not np.isfinite(th).all():
        raise InvalidParameterError(f"`theta` must be a finite 1-D vector; got shape {th.shape}")
    d = th.size
    Z = np.eye(d) if hypotheses is None else _matrix(hypotheses, "hypotheses")
    X = np.eye(d) if measurements is None else _matrix(measurements, "measurements")
    for M, name in ((Z, "hypotheses"), (X, "measurements")):
        if M.shape[1] != d:
            raise ShapeMismatchError(f"`{name}` must have {d} columns (the length of `theta`); got {M.shape[1]}")
    if Z.shape[0] < 2:
        raise InvalidParameterError("`hypotheses` must hold at least two rows")
    if np.linalg.matrix_rank(X) < d:
        raise InvalidParameterError(
            f"`measurements` must span R^{d} (rank {np.linalg.matrix_rank(X)} < {d}): A(lambda) would be singular"
        )
    return th, Z, X


def _gaps(th, Z):
    vals = Z @ th
    best = int(np.argmax(vals))
    scale = max(1.0, float(np.abs(vals).max()))
    others = np.flatnonzero(np.arange(len(Z)) != best)
    gaps = vals[best] - vals[others]
    tie = bool((gaps <= 1e-12 * scale).any())
    Y = Z[best] - Z[others]  # (J, d)
    return best, Y, gaps, tie


def _objective_parts(lam, X, Y, c):
    A = (X * lam[:, None]).T @ X
    Ainv_Y = np.linalg.solve(A, Y.T)  # (d, J)
    g = np.einsum("jd,dj->j", Y, Ainv_Y) / c
    XAY = X @ Ainv_Y  # (n_x, J): x^T A^{-1} y_j
    grad = -(XAY ** 2) / c  # d g_j / d lambda_x
    return g, grad.T  # (J,), (J, n_x)


def _solve_slsqp(X, Y, c, lam0, max_iter, tol):
    n = X.shape[0]
    floor = 1e-12

    def fun(v):
        return v[-1]

    def fun_jac(v):
        out = np.zeros_like(v)
        out[-1] = 1.0
        return out

    def cons(v):
        g, _ = _objective_parts(np.maximum(v[:-1], floor), X, Y, c)
        return v[-1] - g

    def cons_jac(v):
        _, grad = _objective_parts(np.maximum(v[:-1], floor), X, Y, c)
        return np.hstack([-grad, np.ones((grad.shape[0], 1))])

    g0, _ = _objective_parts(lam0, X, Y, c)
    v0 = np.append(lam0, g0.max())
    res = minimize(
        fun, v0, jac=fun_jac, method="SLSQP",
        bounds=[(floor, 1.0)] * n + [(0.0, None)],
        constraints=[{"type": "ineq", "fun": cons, "jac": cons_jac},
                     {"type": "eq", "fun": lambda v: v[:-1].sum() - 1.0,
                      "jac": lambda v: np.append(np.ones(n), 0.0)}],
        options={"maxiter": max_iter, "ftol": tol},
    )
    lam = np.maximum(res.x[:-1], floor)
    lam /= lam.sum()
    g, _ = _objective_parts(lam, X, Y, c)
    # status 8 ("positive directional derivative in line search") is SLSQP stalling at the optimum to rounding
    return lam, float(g.max()), int(res.nit), bool(res.success or res.status == 8)


def _solve_frank_wolfe(X, Y, c, lam0, max_iter, tol):
    # Frank-Wolfe on the log-sum-exp smoothing F_b(lam) = (1/b) log sum_j exp(b g_j / g_max0) * g_max0,
    # b doubling every max_iter/8 steps; each linear subproblem on the simplex is a vertex (argmin of the gradient)
    lam = lam0.copy()
    g, _ = _objective_parts(lam, X, Y, c)
    scale = float(g.max())
    best_lam, best_val = lam.copy(), scale
    beta = 10.0
    for it in range(max_iter):
        if it and it % max(1, max_iter // 8) == 0:
            beta *= 2
        g, grad = _objective_parts(lam, X, Y, c)
        w = np.exp(beta * (g - g.max()) / scale)
        w /= w.sum()
        direction = w @ grad  # gradient of the smoothed max
        vertex = int(np.argmin(direction))
        gap = float(direction @ lam - direction[vertex])
        if gap <= tol * scale:
            break
        step = 2.0 / (it + 3.0)
        lam = (1 - step) * lam
        lam[vertex] += step
        val = float(_objective_parts(lam, X, Y, c)[0].max())
        if val < best_val:
            best_lam, best_val = lam.copy(), val
    return best_lam, best_val, it + 1, True


_METHODS = ("slsqp", "frank-wolfe")


def instance_difficulty(theta, *, hypotheses=None, measurements=None, method="slsqp", max_iter=500,
                        tol=1e-12) -> DifficultyResult:
    r"""Instance difficulty :math:`\rho(\theta)` of transductive pure exploration (the complexity used in [1]_).

    .. math::

        \rho(\theta) = \min_{\lambda \in \Delta_{\mathcal X}} \max_{z \ne z^*}
            \frac{\|z^* - z\|^2_{A(\lambda)^{-1}}}{\langle \theta, z^* - z\rangle^2}

    Parameters
    ----------
    theta : array_like of shape (d,)
        The instance (mean rewards for best-arm identification; :math:`\mu - 1/2` for thresholds).
    hypotheses : array_like of shape (n_z, d), optional
        :math:`\mathcal Z`; the standard basis (best-arm identification) by default.
    measurements : array_like of shape (n_x, d), optional
        :math:`\mathcal X`; the standard basis by default. Must span :math:`\mathbb R^d`.
    method : {"slsqp", "frank-wolfe"}, default "slsqp"
        "slsqp": the epigraph form :math:`\min t` s.t. :math:`g_z(\lambda)\le t` with exact gradients
        (accurate to ~1e-9 relative); "frank-wolfe": Frank–Wolfe on a log-sum-exp smoothing of the max (cheap
        per step, ~1e-3 relative after a few hundred steps).
    max_iter : int, default 500
    tol : float, default 1e-12

    Returns
    -------
    DifficultyResult
        ``value`` is ``inf`` when :math:`z^*` is not unique (zero gap).

    Notes
    -----
    Each :math:`g_z(\lambda) = y^\top A(\lambda)^{-1} y / c` is convex in :math:`\lambda`
    (matrix-fractional function), so the max is convex and any local minimum is global;
    :math:`\partial g_z/\partial\lambda_x = -(x^\top A^{-1} y)^2 / c`.

    Examples
    --------
    Two arms with gap 1/2: :math:`\|e_1 - e_2\|^2_{A^{-1}} = 1/\lambda_1 + 1/\lambda_2 \ge 4`, so
    :math:`\rho = 4/\Delta^2 = 16`:

    >>> round(instance_difficulty([0.5, 0.0]).value, 6)
    16.0
    """
    th, Z, X = _problem(theta, hypotheses, measurements)
    method = check_choice(method, "method", _METHODS)
    max_iter = check_positive_int(max_iter, "max_iter")
    best, Y, gaps, tie = _gaps(th, Z)
    n_x = X.shape[0]
    if tie:
        return DifficultyResult(math.inf, np.full(n_x, 1.0 / n_x), best, 0, math.inf)
    lam0 = np.full(n_x, 1.0 / n_x)
    # rescale so that the objective is ~1 at the uniform design: SLSQP's ftol is absolute
    unit = float(_objective_parts(lam0, X, Y, gaps ** 2)[0].max())
    c = gaps ** 2 * unit
    identity = X.shape == (th.size, th.size) and np.array_equal(X, np.eye(th.size))
    lower = _dual_bound(Y, c) if identity else math.nan
    if method == "slsqp":
        lam_fw, _, _, _ = _solve_frank_wolfe(X, Y, c, lam0, 50, 0.0)  # interior warm start
        starts = [0.5 * lam_fw + 0.5 * lam0, lam0]
        if identity:
            starts.append(_dual_design(Y, c))
        runs = [_solve_slsqp(X, Y, c, s0, max_iter, tol) for s0 in starts]  # multi-start: keep the best
        lam, val, nit, ok = min(runs, key=lambda r: r[1])
        if not ok:
            warnings.warn("instance_difficulty: SLSQP did not report convergence; the value is an upper bound",
                          ConvergenceWarning, stacklevel=2)
    else:
        lam, val, nit, _ = _solve_frank_wolfe(X, Y, c, lam0, max_iter, tol)
    lam.setflags(write=False)
    return DifficultyResult(val * unit, lam, best, nit, lower * unit)


def _dual_value(mu, Y, c):
    m = (mu / c) @ (Y ** 2)  # diag of M(mu) = sum_j mu_j y_j y_j^T / c_j
    return float(np.sqrt(np.maximum(m, 0)).sum() ** 2)


def _dual_design(Y, c):
    mu = _dual_mu(Y, c)
    r = np.sqrt(np.maximum((mu / c) @ (Y ** 2), 1e-300))
    return r / r.sum()


def _dual_mu(Y, c):
    # rho = max_mu min_lam sum_j mu_j g_j(lam) (minimax: convex in lam, linear in mu); with A = diag(lam) the inner
    # min is (sum_i sqrt(M_ii))^2 at lam_i ~ sqrt(M_ii). Maximise the concave sum_i sqrt(M_ii(mu)) over the simplex.
    J = Y.shape[0]
    W = (Y ** 2) / c[:, None]

    def neg(mu):
        m = np.maximum(mu @ W, 1e-300)
        return -np.sqrt(m).sum(), -(W @ (0.5 / np.sqrt(m)))

    res = minimize(neg, np.full(J, 1.0 / J), jac=True, method="SLSQP", bounds=[(0.0, 1.0)] * J,
                   constraints=[{"type": "eq", "fun": lambda v: v.sum() - 1.0, "jac": lambda v: np.ones(J)}],
                   options={"maxiter": 500, "ftol": 1e-14})
    mu = np.clip(res.x, 0, None)
    return mu / mu.sum()


def _dual_bound(Y, c):
    """A certified lower bound on rho (identity measurements): the dual value at an approximate maximiser."""
    return _dual_value(_dual_mu(Y, c), Y, c)


def threshold_hypotheses(d) -> np.ndarray:
    """The thresholds hypotheses :math:`z_t = \\mathbb 1[i \\ge t]`, t = 0..d: an array (d + 1, d).

    Examples
    --------
    >>> threshold_hypotheses(2).tolist()
    [[1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    """
    d = check_positive_int(d, "d")
    return (np.arange(d)[None, :] >= np.arange(d + 1)[:, None]).astype(np.float64)


def threshold_means(threshold, gaps) -> np.ndarray:
    """Bernoulli means of a thresholds instance: :math:`\\mu_i = 1/2 \\pm g_i` (+ for :math:`i \\ge t`).

    Examples
    --------
    >>> threshold_means(1, [0.25, 0.25, 0.5]).tolist()
    [0.25, 0.75, 1.0]
    """
    g = np.asarray(to_numpy(as_float_array(gaps, "gaps")), dtype=np.float64)
    if g.ndim != 1 or (g <= 0).any() or (g > 0.5).any():
        raise InvalidParameterError("`gaps` must be a 1-D array with entries in (0, 0.5]")
    if not (isinstance(threshold, (int, np.integer)) and 0 <= threshold <= g.size):
        raise InvalidParameterError(f"`threshold` must be an integer in 0..{g.size}; got {threshold!r}")
    return np.where(np.arange(g.size) >= threshold, 0.5 + g, 0.5 - g)


def sample_difficulty_class(propose, *, low, high, n, hypotheses=None, measurements=None, offset=0.0,
                            max_tries=100_000, random_state=None):
    """Rejection-sample ``n`` instances with :math:`low < \\rho(\\theta - offset) \\le high` (a difficulty class).

    Parameters
    ----------
    propose : callable
        ``propose(rng) -> theta`` draws one candidate instance.
    low, high : float
        Class boundaries (``low`` may be 0).
    n : int
        Number of instances to return.
    hypotheses, measurements
        As in :func:`instance_difficulty`.
    offset : float, default 0.0
        Subtracted before computing :math:`\\rho` (0.5 turns thresholds means into :math:`\\theta`).
    max_tries : int, default 100000
    random_state : None, int or numpy Generator

    Returns
    -------
    instances : ndarray of shape (n, d)
    difficulties : ndarray of shape (n,)

    Examples
    --------
    >>> th, rho = sample_difficulty_class(lambda rng: rng.uniform(0, 1, 2), low=0, high=100, n=3,
    ...                                   random_state=0)
    >>> th.shape, bool((rho <= 100).all())
    ((3, 2), True)
    """
    if not callable(propose):
        raise InvalidInputTypeError(f"`propose` must be a callable rng -> theta; got {type(propose).__name__}")
    n = check_positive_int(n, "n")
    if not (0 <= low < high):
        raise InvalidParameterError(f"need 0 <= low < high; got low={low!r}, high={high!r}")
    rng = check_random_state(random_state)
    out, rhos = [], []
    for _ in range(check_positive_int(max_tries, "max_tries")):
        th = np.asarray(propose(rng), dtype=np.float64)
        rho = instance_difficulty(th - offset, hypotheses=hypotheses, measurements=measurements).value
        if low < rho <= high:
            out.append(th)
            rhos.append(rho)
            if len(out) == n:
                return np.array(out), np.array(rhos)
    raise InvalidParameterError(
        f"found only {len(out)} of {n} instances with {low} < rho <= {high} in {max_tries} proposals; widen the "
        "class or propose closer to it"
    )


# ============================================================================================ policies
class UniformPolicy:
    """Round-robin allocation: arm ``t mod d`` at step ``t``; recommendation by the plug-in rule."""

    def __call__(self, counts, sums, t, rng):
        return np.full(counts.shape[0], t % counts.shape[1], dtype=np.int64)


class BinarySearchPolicy:
    """Noisy binary search for the thresholds task: ``budget // levels`` pulls of each midpoint, majority vote.

    ``levels = ceil(log2(d + 1))``; the search interval over :math:`t \\in \\{0..d\\}` halves at each level.
    """

    def __init__(self, d, budget):
        self.d = check_positive_int(d, "d")
        self.budget = check_positive_int(budget, "budget")
        self.levels = max(1, math.ceil(math.log2(self.d + 1)))
        self.per_level = max(1, self.budget // self.levels)

    def _interval(self, counts, sums, upto):
        n = counts.shape[0]
        lo, hi = np.zeros(n, dtype=np.int64), np.full(n, self.d, dtype=np.int64)
        rows = np.arange(n)
        for _ in range(upto):
            active = lo < hi
            mid = np.minimum((lo + hi) // 2, self.d - 1)
            c, s = counts[rows, mid], sums[rows, mid]
            high = 2 * s > c  # majority "1": mu_mid > 1/2 -> threshold <= mid (ties count as "0")
            hi = np.where(active & high, mid, hi)
            lo = np.where(active & ~high, mid + 1, lo)
        return lo, hi

    def __call__(self, counts, sums, t, rng):
        level = min(t // self.per_level, self.levels)
        lo, hi = self._interval(counts, sums, level)
        return np.minimum((lo + hi) // 2, self.d - 1)

    def recommend(self, counts, sums):
        """The final interval's lower end."""
        return self._interval(counts, sums, self.levels)[0]


class ThresholdPosteriorPolicy:
    """Posterior-splitting policy for thresholds: query the point whose label splits the threshold posterior best.

    Working model: :math:`\\mu_i = 1/2 + g` above the threshold and :math:`1/2 - g` below, uniform prior on
    :math:`t`. With :math:`F_i = P(t \\le i \\mid \\text{data})`, the policy pulls
    :math:`\\arg\\max_i \\min(F_i, 1 - F_i) - w\\,n_i` (:math:`n_i` = pulls of point i) and recommends the MAP
    threshold. ``gap`` = :math:`g` (small: cautious, many repeats; large: trusts single answers, like binary
    search) and ``penalty`` = :math:`w` are the two parameters :func:`train_robust_policy` tunes.
    """

    def __init__(self, gap=0.2, penalty=0.0):
        if not 0 < gap < 0.5:
            raise InvalidParameterError(f"`gap` must be in (0, 0.5); got {gap!r}")
        if not penalty >= 0:
            raise InvalidParameterError(f"`penalty` must be >= 0; got {penalty!r}")
        self.gap, self.penalty = float(gap), float(penalty)

    def __repr__(self):
        return f"ThresholdPosteriorPolicy(gap={self.gap:g}, penalty={self.penalty:g})"

    def _log_post(self, counts, sums):
        hi, lo = math.log(0.5 + self.gap), math.log(0.5 - self.gap)
        l1 = sums * hi + (counts - sums) * lo  # log-lik of point i's data if i >= t
        l0 = sums * lo + (counts - sums) * hi  # ... if i < t
        n, d = counts.shape
        # log p(data | t) = sum_{i<t} l0_i + sum_{i>=t} l1_i, for t = 0..d
        c0 = np.concatenate([np.zeros((n, 1)), np.cumsum(l0, axis=1)], axis=1)
        c1 = np.concatenate([np.zeros((n, 1)), np.cumsum(l1, axis=1)], axis=1)
        lp = c0 + (c1[:, -1:] - c1)
        return lp - lp.max(axis=1, keepdims=True)

    def __call__(self, counts, sums, t, rng):
        p = np.exp(self._log_post(counts, sums))
        p /= p.sum(axis=1, keepdims=True)
        F = np.cumsum(p, axis=1)[:, :-1]  # P(t <= i), i = 0..d-1
        score = np.minimum(F, 1 - F) - self.penalty * counts
        score = score + 1e-9 * rng.random(score.shape)  # random tie-breaking
        return np.argmax(score, axis=1)

    def recommend(self, counts, sums):
        """MAP threshold."""
        return np.argmax(self._log_post(counts, sums), axis=1)


# ============================================================================================ evaluation
def evaluate_policy(policy, means, *, budget, n_runs=200, hypotheses=None, offset=0.5, random_state=None):
    """Monte-Carlo probability of error of a policy on each instance (Bernoulli observations).

    Parameters
    ----------
    policy : callable
        ``policy(counts, sums, t, rng) -> arms``: batched over runs (``counts``, ``sums`` of shape (n_runs, d));
        an optional ``policy.recommend(counts, sums) -> hypothesis indices`` replaces the plug-in rule
        :math:`\\arg\\max_z \\langle \\hat\\mu - offset, z\\rangle` (unpulled arms count as ``offset``).
    means : array_like of shape (n_instances, d) or (d,)
        Bernoulli means :math:`\\mu` in [0, 1].
    budget : int
        Pulls per run.
    n_runs : int, default 200
    hypotheses : array_like (n_z, d), optional
        Standard basis by default (best-arm identification).
    offset : float, default 0.5
    random_state : None, int or numpy Generator

    Returns
    -------
    ndarray of shape (n_instances,)
        :math:`P(\\hat z \\ne z^*)` per instance.

    Examples
    --------
    A 0/1 thresholds instance (noiseless) is solved exactly by binary search with 5 levels of 2 pulls:

    >>> mu = threshold_means(3, [0.5] * 16)
    >>> evaluate_policy(BinarySearchPolicy(16, 10), mu, budget=10, hypotheses=threshold_hypotheses(16),
    ...                 n_runs=20, random_state=0).tolist()
    [0.0]
    """
    if not callable(policy):
        raise InvalidInputTypeError(f"`policy` must be a callable (counts, sums, t, rng) -> arms; got {policy!r}")
    mu = np.atleast_2d(np.asarray(to_numpy(as_float_array(means, "means")), dtype=np.float64))
    if mu.ndim != 2 or (mu < 0).any() or (mu > 1).any():
        raise InvalidParameterError("`means` must be Bernoulli means in [0, 1], shape (n_instances, d)")
    m, d = mu.shape
    Z = np.eye(d) if hypotheses is None else _matrix(hypotheses, "hypotheses")
    if Z.shape[1] != d:
        raise ShapeMismatchError(f"`hypotheses` must have {d} columns; got {Z.shape[1]}")
    budget = check_positive_int(budget, "budget")
    n_runs = check_positive_int(n_runs, "n_runs")
    rng = check_random_state(random_state)
    best = np.argmax((mu - offset) @ Z.T, axis=1)  # (m,)
    mu_rep = np.repeat(mu, n_runs, axis=0)  # instance-major batch
    counts = np.zeros_like(mu_rep)
    sums = np.zeros_like(mu_rep)
    rows = np.arange(mu_rep.shape[0])
    for t in range(budget):
        arms = np.asarray(policy(counts, sums, t, rng), dtype=np.int64)
        if arms.shape != rows.shape or arms.min() < 0 or arms.max() >= d:
            raise InvalidParameterError(
                f"`policy` must return one arm index in 0..{d - 1} per run (shape {rows.shape}); got shape "
                f"{arms.shape} at step {t}"
            )
        obs = rng.random(rows.size) < mu_rep[rows, arms]
        counts[rows, arms] += 1
        sums[rows, arms] += obs
    rec = getattr(policy, "recommend", None)
    if rec is not None:
        z_hat = np.asarray(rec(counts, sums), dtype=np.int64)
    else:
        mu_hat = np.divide(sums, counts, out=np.full_like(sums, offset), where=counts > 0)
        z_hat = np.argmax((mu_hat - offset) @ Z.T, axis=1)
    return (z_hat != np.repeat(best, n_runs)).reshape(m, n_runs).mean(axis=1)


# ============================================================================================ robust policy
@dataclass(frozen=True)
class RobustPolicyResult:
    """Outcome of :func:`train_robust_policy`.

    Attributes
    ----------
    policy : object
        The selected (robust) policy.
    index : int
        Its position in the candidate list.
    worst_error : ndarray (n_policies, n_classes)
        Worst error over each class's adversarial particles, for every candidate.
    class_value : ndarray (n_classes,)
        :math:`\\min_{\\pi'} \\sup_{\\theta \\in \\Theta^{(r_k)}} L(\\pi', \\theta)` over the candidates.
    regret : ndarray (n_policies,)
        :math:`\\max_k [\\text{worst\\_error}_k - \\text{class\\_value}_k]`; the selected policy minimises it.
    particles : list of ndarray
        The final adversarial particles of each class.
    """

    policy: object
    index: int
    worst_error: np.ndarray
    class_value: np.ndarray
    regret: np.ndarray
    particles: list


def train_robust_policy(candidates, classes, *, budget, hypotheses, n_runs=200, adversary_rounds=2,
                        perturb=None, offset=0.5, random_state=None) -> RobustPolicyResult:
    """Select the policy with the smallest worst-class excess error against adversarial instances [1]_.

    For each class :math:`k` (a finite set of particles :math:`\\theta` with :math:`\\rho \\le r_k`), the sup over
    the class is approximated by the worst particle; ``adversary_rounds`` times, every particle is replaced by a
    perturbation (``perturb(theta, rng)``, kept only if it stays in its class, as judged by the caller's
    ``perturb``) when that raises the current best policy's error (a random-search ascent). The result minimises
    :math:`\\max_k [\\sup_{\\Theta_k} L(\\pi,\\theta) - \\min_{\\pi'}\\sup_{\\Theta_k} L(\\pi',\\theta)]`
    over ``candidates``.

    # Deviation from [1]_: the paper trains a neural policy by policy gradients against particles moved by
    # gradient ascent, with a softmax-smoothed max over classes; here the policy class is a finite list of
    # candidates (e.g. a parameter grid of ThresholdPosteriorPolicy) and the max is exact -- the same min-max-regret
    # objective, solved by enumeration, which is exact for the family and needs no torch.

    Parameters
    ----------
    candidates : sequence of policies
        Callables as in :func:`evaluate_policy`.
    classes : sequence of array_like (n_k, d)
        Particles (Bernoulli means) of each difficulty class, easiest first.
    budget : int
    hypotheses : array_like (n_z, d)
    n_runs : int, default 200
    adversary_rounds : int, default 2
    perturb : callable, optional
        ``perturb(means, rng) -> means or None`` (None: reject). No adversarial refinement without it.
    offset : float, default 0.5
    random_state : None, int or numpy Generator

    Returns
    -------
    RobustPolicyResult

    Examples
    --------
    >>> d, T = 8, 12
    >>> easy = [threshold_means(t, [0.45] * d) for t in range(d + 1)]
    >>> res = train_robust_policy([UniformPolicy(), BinarySearchPolicy(d, T)], [easy], budget=T,
    ...                           hypotheses=threshold_hypotheses(d), n_runs=20, random_state=0)
    >>> type(res.policy).__name__
    'BinarySearchPolicy'
    """
    cands = list(candidates)
    if not cands:
        raise InvalidParameterError("`candidates` must hold at least one policy")
    parts = [np.atleast_2d(np.asarray(c, dtype=np.float64)).copy() for c in classes]
    if not parts:
        raise InvalidParameterError("`classes` must hold at least one class of particles")
    rng = check_random_state(random_state)
    adversary_rounds = check_positive_int(adversary_rounds, "adversary_rounds", minimum=0)

    def errors():
        return [np.array([evaluate_policy(p, c, budget=budget, n_runs=n_runs, hypotheses=hypotheses, offset=offset,
                                          random_state=rng) for p in cands]) for c in parts]  # k: (n_pol, n_k)

    errs = errors()
    for _ in range(adversary_rounds if perturb is not None else 0):
        worst = np.stack([e.max(axis=1) for e in errs], axis=1)
        value = worst.min(axis=0)
        leader = int(np.argmin((worst - value).max(axis=1)))
        for k, c in enumerate(parts):
            for j in range(c.shape[0]):
                prop = perturb(c[j].copy(), rng)
                if prop is None:
                    continue
                e_new = evaluate_policy(cands[leader], prop, budget=budget, n_runs=n_runs, hypotheses=hypotheses,
                                        offset=offset, random_state=rng)[0]
                if e_new > errs[k][leader, j]:
                    c[j] = prop
        errs = errors()
    worst = np.stack([e.max(axis=1) for e in errs], axis=1)  # (n_pol, n_classes)
    value = worst.min(axis=0)
    regret = (worst - value).max(axis=1)
    idx = int(np.argmin(regret))
    for a in (worst, value, regret):
        a.setflags(write=False)
    return RobustPolicyResult(cands[idx], idx, worst, value, regret, parts)


# ============================================================================================ trained policy
class SoftmaxQueryPolicy:
    r"""A parametric stochastic query policy for thresholds: :math:`\pi_w(i \mid h) \propto \exp(w^\top\phi(h, i))`.

    The history :math:`h` (pull counts and label sums per point) enters through a fixed feature map over the
    working posterior of :class:`ThresholdPosteriorPolicy` (gap ``gap``, uniform prior on :math:`t`), with
    :math:`F_i = P(t \le i \mid h)` and :math:`p_t = P(t \mid h)`:

    ========  ==================================================  ===========================================
    index     feature :math:`\phi_j(h, i)`                        meaning
    ========  ==================================================  ===========================================
    0         :math:`2\min(F_i, 1 - F_i)`                         how evenly point i's label splits the posterior
    1         :math:`p_i + p_{i+1}`                               posterior mass on a boundary next to point i
    2         :math:`n_i / (s + 1)`                               share of the first s pulls spent on point i
    3         :math:`1/\sqrt{1 + n_i}`                            an exploration bonus for rarely pulled points
    ========  ==================================================  ===========================================

    A constant (bias) feature would cancel in the softmax over arms, so there is none; with :math:`w = 0` the
    policy queries uniformly at random. The recommendation is the MAP threshold of the working posterior.
    :func:`train_robust_policy_gradient` trains :math:`w` (the paper [1]_ trains a neural network on the whole
    history; this is the same policy-gradient procedure with a 4-parameter linear-softmax policy).

    Parameters
    ----------
    weights : array_like of shape (4,), optional
        :math:`w`; zeros (uniform sampling) by default.
    gap : float in (0, 0.5), default 0.2
        The working model's gap, used by the features and the recommendation.

    Examples
    --------
    >>> pol = SoftmaxQueryPolicy()
    >>> pol.probabilities(np.zeros((1, 4)), np.zeros((1, 4)), 0).tolist()
    [[0.25, 0.25, 0.25, 0.25]]
    """

    n_features = 4

    def __init__(self, weights=None, gap=0.2):
        if weights is None:
            w = np.zeros(self.n_features)
        else:
            w = np.array(to_numpy(as_float_array(weights, "weights")), dtype=np.float64)
            if w.shape != (self.n_features,):
                raise ShapeMismatchError(
                    f"`weights` must have shape ({self.n_features},) (one weight per feature); got {w.shape}")
            if not np.isfinite(w).all():
                raise InvalidParameterError("`weights` must be finite")
        w.setflags(write=False)
        self.weights = w
        self._posterior = ThresholdPosteriorPolicy(gap)  # validates gap
        self.gap = self._posterior.gap

    def __repr__(self):
        return f"SoftmaxQueryPolicy(weights={np.round(self.weights, 3).tolist()}, gap={self.gap:g})"

    def _check_history(self, counts, sums):
        c = np.asarray(counts, dtype=np.float64)
        s = np.asarray(sums, dtype=np.float64)
        if c.ndim != 2 or c.shape != s.shape:
            raise ShapeMismatchError(
                f"`counts` and `sums` must be 2-D arrays (n_runs, d) of one shape; got {c.shape} and {s.shape}")
        return c, s

    def features(self, counts, sums, t):
        """The feature map :math:`\\phi(h, i)`: an array (n_runs, d, 4) (see the class docstring)."""
        c, s = self._check_history(counts, sums)
        lp = self._posterior._log_post(c, s)
        p = np.exp(lp)
        p /= p.sum(axis=1, keepdims=True)  # (n, d + 1): P(t | h)
        F = np.cumsum(p, axis=1)[:, :-1]  # P(t <= i)
        return np.stack([2 * np.minimum(F, 1 - F), p[:, :-1] + p[:, 1:], c / (t + 1.0), 1 / np.sqrt(1 + c)], axis=2)

    def _probs_from(self, phi):
        logits = phi @ self.weights
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def probabilities(self, counts, sums, t):
        """:math:`\\pi_w(\\cdot \\mid h)`: an array (n_runs, d) whose rows sum to 1."""
        return self._probs_from(self.features(counts, sums, t))

    def _sample(self, probs, rng):
        u = rng.random(probs.shape[0])[:, None]
        return np.minimum((np.cumsum(probs, axis=1) < u).sum(axis=1), probs.shape[1] - 1)

    def __call__(self, counts, sums, t, rng):
        return self._sample(self.probabilities(counts, sums, t), rng)

    def log_prob(self, counts, sums, t, arms):
        """:math:`\\log \\pi_w(a \\mid h)` per run: an array (n_runs,)."""
        p = self.probabilities(counts, sums, t)
        a = np.asarray(arms, dtype=np.int64)
        return np.log(p[np.arange(p.shape[0]), a])

    def grad_log_prob(self, counts, sums, t, arms):
        """Score function, an array (n_runs, 4).

        :math:`\\nabla_w \\log \\pi_w(a \\mid h) = \\phi(h, a) - \\sum_i \\pi_w(i \\mid h)\\,\\phi(h, i)`.
        """
        phi = self.features(counts, sums, t)
        p = self._probs_from(phi)
        a = np.asarray(arms, dtype=np.int64)
        return phi[np.arange(phi.shape[0]), a] - np.einsum("nd,ndk->nk", p, phi)

    def recommend(self, counts, sums):
        """MAP threshold of the working posterior."""
        return self._posterior.recommend(counts, sums)


def _rollout_with_scores(policy, mu, budget, n_runs, rng):
    """Run ``policy`` on each row of ``mu``: errors (m, n_runs) and score-function sums (m, n_runs, k)."""
    m, d = mu.shape
    Z = threshold_hypotheses(d)
    best = np.argmax((mu - 0.5) @ Z.T, axis=1)
    mu_rep = np.repeat(mu, n_runs, axis=0)
    counts, sums = np.zeros_like(mu_rep), np.zeros_like(mu_rep)
    rows = np.arange(mu_rep.shape[0])
    score = np.zeros((rows.size, policy.n_features))
    for t in range(budget):
        phi = policy.features(counts, sums, t)
        p = policy._probs_from(phi)
        arms = policy._sample(p, rng)
        score += phi[rows, arms] - np.einsum("nd,ndk->nk", p, phi)
        obs = rng.random(rows.size) < mu_rep[rows, arms]
        counts[rows, arms] += 1
        sums[rows, arms] += obs
    err = (policy.recommend(counts, sums) != np.repeat(best, n_runs)).reshape(m, n_runs).astype(np.float64)
    return err, score.reshape(m, n_runs, -1)


@dataclass(frozen=True)
class PolicyGradientResult:
    """Outcome of :func:`train_robust_policy_gradient`.

    Attributes
    ----------
    policy : SoftmaxQueryPolicy
        The trained policy (final weights).
    weights : ndarray (n_iter + 1, 4)
        The weights before each iteration and at the end.
    curve : ndarray (n_iter,)
        The smoothed objective :math:`\\frac1\\beta\\log\\sum_k e^{\\beta J_k}` estimated from each iteration's
        rollouts, before that iteration's update.
    class_excess : ndarray (n_iter, n_classes)
        :math:`J_k` per iteration: mean rollout error on class k's worst particles minus ``reference[k]``.
    particles : list of ndarray
        The final adversarial particles of each class (Bernoulli means, all with :math:`\\rho \\le r_k`).
    """

    policy: SoftmaxQueryPolicy
    weights: np.ndarray
    curve: np.ndarray
    class_excess: np.ndarray
    particles: list


def _threshold_of(mu):
    return int(np.argmax(mu > 0.5)) if (mu > 0.5).any() else mu.size


def train_robust_policy_gradient(classes, *, budget, radii, reference=None, n_iter=30, n_episodes=24, n_worst=2,
                                 adversary_every=5, adversary_scale=0.15, adversary_runs=100, smoothing=20.0,
                                 learning_rate=0.2, gap=0.2, init=None, random_state=None) -> PolicyGradientResult:
    r"""Train a :class:`SoftmaxQueryPolicy` by policy gradients against adversarial particles [1]_ (thresholds).

    The objective is the paper's softmax-smoothed worst-class excess

    .. math::

        J(w) = \frac1\beta \log \sum_k \exp\big(\beta J_k(w)\big),\qquad
        J_k(w) = \frac1{|W_k|}\sum_{\theta\in W_k} L(\pi_w, \theta) - \text{reference}_k,

    with :math:`W_k` the ``n_worst`` particles of class :math:`k` of highest current error and
    :math:`L` the probability of a wrong threshold. Each iteration:

    (a) adversary (every ``adversary_every`` iterations, from the first): each particle's gaps
        :math:`|\mu_i - 1/2|` are multiplied by :math:`e^{\sigma\varepsilon_i}` (:math:`\sigma` =
        ``adversary_scale``, clipped to [1e-3, 0.5], threshold kept); the move is kept if the instance stays in its
        class (:math:`\rho(\mu - 1/2) \le r_k`, by :func:`instance_difficulty`) and raises the current policy's error
        (``adversary_runs`` runs with common random numbers) -- a random-search ascent on the particles;
    (b) learner: ``n_episodes`` rollouts per particle; REINFORCE
        :math:`\nabla J_k \approx \text{mean}_{\theta \in W_k,\,e}\,(\ell_e - b_e)
        \sum_s \nabla_w\log\pi_w(a_s\mid h_s)`
        with the leave-one-out baseline :math:`b_e` (mean loss of the other episodes on the same particle, which
        keeps the estimate unbiased), :math:`\nabla J = \sum_k \mathrm{softmax}(\beta J)_k \nabla J_k`, and an
        Adam step of size ``learning_rate`` downhill.

    Parameters
    ----------
    classes : sequence of array_like (n_k, d)
        Starting particles (Bernoulli means of thresholds instances, no entry equal to 1/2) of each class.
    budget : int
        Queries per episode.
    radii : sequence of float
        :math:`r_k`; every starting particle must have :math:`\rho \le r_k`.
    reference : sequence of float, optional
        The per-class reference error (e.g. ``train_robust_policy(...).class_value``, the best of a policy family
        on each class); zeros by default (then :math:`J` is the smoothed worst-class error).
    n_iter, n_episodes, n_worst, adversary_every : int
    adversary_scale : float, default 0.15
    adversary_runs : int, default 100
    smoothing : float, default 20.0
        :math:`\beta` (large: the exact max).
    learning_rate : float, default 0.2
    gap : float, default 0.2
        The policy's working gap.
    init : array_like (4,), optional
        Initial weights (zeros, i.e. uniform sampling, by default).
    random_state : None, int or numpy Generator

    Returns
    -------
    PolicyGradientResult

    Notes
    -----
    Deviations from [1]_: a 4-feature linear-softmax policy instead of a neural network on the raw history;
    random-search ascent on the particles instead of gradient ascent through the reparametrised observations;
    the class constraint is enforced by rejecting moves out of the class.

    Examples
    --------
    >>> easy = [threshold_means(t, [0.45] * 6) for t in (1, 3, 5)]
    >>> res = train_robust_policy_gradient([easy], budget=6, radii=[1e4], n_iter=3, n_episodes=8,
    ...                                    random_state=0)
    >>> res.curve.shape, res.weights.shape
    ((3,), (4, 4))
    """
    parts = [np.array(to_numpy(as_float_array(c, f"classes[{k}]")), dtype=np.float64, ndmin=2)
             for k, c in enumerate(classes)]
    if not parts:
        raise InvalidParameterError("`classes` must hold at least one class of particles")
    d = parts[0].shape[1]
    for k, c in enumerate(parts):
        if c.ndim != 2 or c.shape[1] != d:
            raise ShapeMismatchError(f"`classes[{k}]` must have shape (n_k, {d}); got {c.shape}")
        if not np.isfinite(c).all() or (c < 0).any() or (c > 1).any() or (c == 0.5).any():
            raise InvalidParameterError(
                f"`classes[{k}]` must hold Bernoulli means in [0, 1] with no entry equal to 1/2 (thresholds)")
        if not all(np.array_equal(row > 0.5, np.arange(d) >= _threshold_of(row)) for row in c):
            raise InvalidParameterError(
                f"`classes[{k}]` rows must be thresholds instances (mu_i > 1/2 exactly for i >= t); use "
                "threshold_means")
    K = len(parts)
    r = np.asarray(radii, dtype=np.float64).ravel()
    if r.shape != (K,) or not (r > 0).all():
        raise InvalidParameterError(f"`radii` must hold {K} positive class radii (one per class); got {radii!r}")
    ref = np.zeros(K) if reference is None else np.asarray(reference, dtype=np.float64).ravel()
    if ref.shape != (K,) or not np.isfinite(ref).all():
        raise ShapeMismatchError(f"`reference` must hold {K} finite values (one per class); got {reference!r}")
    budget = check_positive_int(budget, "budget")
    n_iter = check_positive_int(n_iter, "n_iter")
    n_episodes = check_positive_int(n_episodes, "n_episodes", minimum=2)
    n_worst = check_positive_int(n_worst, "n_worst")
    adversary_every = check_positive_int(adversary_every, "adversary_every")
    adversary_runs = check_positive_int(adversary_runs, "adversary_runs")
    sigma = check_nonneg_float(adversary_scale, "adversary_scale")
    beta = check_nonneg_float(smoothing, "smoothing", strict=True)
    lr = check_nonneg_float(learning_rate, "learning_rate", strict=True)
    rng = check_random_state(random_state)
    Z = threshold_hypotheses(d)

    def rho(mu):
        return instance_difficulty(mu - 0.5, hypotheses=Z).value

    for k, c in enumerate(parts):
        for j, row in enumerate(c):
            if rho(row) > r[k] * (1 + 1e-9):
                raise InvalidParameterError(
                    f"`classes[{k}][{j}]` has rho = {rho(row):.4g} > radii[{k}] = {r[k]:.4g}: every starting "
                    "particle must lie in its class")
    policy = SoftmaxQueryPolicy(init, gap=gap)
    w = policy.weights.copy()
    m1, m2 = np.zeros_like(w), np.zeros_like(w)  # Adam moments
    b1, b2 = 0.9, 0.999
    hist_w, curve, excess = [w.copy()], [], []
    for it in range(n_iter):
        policy = SoftmaxQueryPolicy(w, gap=gap)
        if sigma > 0 and it % adversary_every == 0:  # (a) adversary: random-search ascent within the class
            for k, c in enumerate(parts):
                for j in range(c.shape[0]):
                    mu = c[j]
                    g = np.clip(np.abs(mu - 0.5) * np.exp(sigma * rng.standard_normal(d)), 1e-3, 0.5)
                    prop = np.where(mu > 0.5, 0.5 + g, 0.5 - g)
                    if rho(prop) > r[k]:
                        continue
                    seed = int(rng.integers(2 ** 32))  # common random numbers for the old and the new instance
                    e = evaluate_policy(policy, np.stack([mu, prop]), budget=budget, n_runs=adversary_runs,
                                        hypotheses=Z, random_state=seed)
                    if e[1] > e[0]:
                        c[j] = prop
        # (b) learner: REINFORCE with a leave-one-out baseline on the smoothed max over classes
        J, grads = np.zeros(K), np.zeros((K, w.size))
        for k, c in enumerate(parts):
            err, score = _rollout_with_scores(policy, c, budget, n_episodes, rng)
            worst = np.argsort(-err.mean(axis=1), kind="stable")[:min(n_worst, c.shape[0])]
            e, s = err[worst], score[worst]
            base = (e.sum(axis=1, keepdims=True) - e) / (n_episodes - 1)
            J[k] = e.mean() - ref[k]
            grads[k] = np.einsum("me,mek->k", e - base, s) / e.size
        q = np.exp(beta * (J - J.max()))
        q /= q.sum()
        curve.append(J.max() + math.log(np.exp(beta * (J - J.max())).sum()) / beta)
        excess.append(J)
        grad = q @ grads
        m1 = b1 * m1 + (1 - b1) * grad
        m2 = b2 * m2 + (1 - b2) * grad ** 2
        w = w - lr * (m1 / (1 - b1 ** (it + 1))) / (np.sqrt(m2 / (1 - b2 ** (it + 1))) + 1e-8)
        hist_w.append(w.copy())
    out = [np.array(hist_w), np.array(curve), np.array(excess)]
    for a in out:
        a.setflags(write=False)
    return PolicyGradientResult(SoftmaxQueryPolicy(w, gap=gap), out[0], out[1], out[2], parts)
