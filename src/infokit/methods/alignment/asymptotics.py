r"""Asymptotics of language-model alignment [1]_: the optimal KL-constrained tilt, best-of-N, and their equivalence.

For a base distribution :math:`p` over outcomes (responses) with rewards :math:`r`:

* **KL-constrained RL** :math:`\max_\phi \mathbb E_\phi r` s.t. :math:`D(\phi\|p) \le \Delta` is solved by the
  exponential tilt :math:`\phi_\lambda \propto p\, e^{\lambda r}` with λ set so that :math:`D(\phi_\lambda\|p)
  = \Delta` (:func:`kl_tilt`, :func:`exponential_tilt`);
* **best-of-N** draws N samples from p and keeps the one of highest reward (ties broken uniformly);
  :func:`best_of_n` gives its exact law, :func:`best_of_n_kl` its exact KL from p, and
  :func:`best_of_n_kl_bound` the bound :math:`\log N - (N-1)/N`, attained only without ties;
* for a memoryless model with additive reward, BoN with :math:`N = e^{n\Delta}` and the tilt at KL Δ per token
  reach the same reward per token as the length n grows (:func:`sequence_best_of_n`); the cumulants of the
  reward are Rényi cross entropies (:func:`renyi_cross_entropy`) and the large-deviation rate is the Cramér
  transform (:func:`cramer_rate`).

Everything is computed in nats, in log space (N may be :math:`e^{400}`: pass ``log_n``).

References
----------
.. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language model
   alignment. IEEE ISIT 2024. arXiv:2404.01730.
.. [2] Beirami, A., Agarwal, A., Berant, J., D'Amour, A., Eisenstein, J., Nagpal, C., Suresh, A. T. (2024).
   Theoretical guarantees on the best-of-n alignment policy. arXiv:2401.01879.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import logsumexp

from ..._backend import to_numpy
from ..._units import check_base, to_base, unit_name
from ..._validation import as_float_array, check_alpha, check_nonneg_float, check_pmf, check_positive_int
from ...exceptions import InvalidParameterError, ShapeMismatchError
from ...measures import cross_entropy

__all__ = [
    "TiltResult",
    "BestOfNTradeoff",
    "KLRewardCurve",
    "SequenceBestOfN",
    "exponential_tilt",
    "kl_tilt",
    "best_of_n",
    "best_of_n_kl",
    "best_of_n_kl_bound",
    "best_of_n_tradeoff",
    "kl_reward_curve",
    "renyi_cross_entropy",
    "cramer_rate",
    "sequence_best_of_n",
]

def _frozen(a, dtype=np.float64):
    a = np.array(a, dtype=dtype, copy=True)
    a.setflags(write=False)
    return a


# ============================================================================================= validation
def _check_p_reward(p, reward, name_p="p", name_r="reward"):
    pp = np.asarray(to_numpy(check_pmf(p, name_p)), dtype=np.float64)
    if pp.ndim != 1:
        raise InvalidParameterError(f"`{name_p}` must be a 1-D pmf over the outcomes; got shape {pp.shape}")
    r = np.asarray(to_numpy(as_float_array(reward, name_r)), dtype=np.float64)
    if r.shape != pp.shape:
        raise ShapeMismatchError(
            f"`{name_r}` must hold one reward per outcome of `{name_p}` (shape {pp.shape}); got shape {r.shape}"
        )
    if not np.isfinite(r).all():
        i = int(np.flatnonzero(~np.isfinite(r))[0])
        raise InvalidParameterError(
            f"`{name_r}` must be finite; got {r[i]!r} at index {i}; mask an outcome by giving it probability 0 in "
            f"`{name_p}` instead"
        )
    return pp, r


def _check_n(n, log_n):
    """Exactly one of N >= 1 and log N >= 0; returns log N (float, nats)."""
    if (n is None) == (log_n is None):
        raise InvalidParameterError(
            "give exactly one of `n` (the number of samples, >= 1) and `log_n` (its natural log, for huge N); "
            f"got n={n!r}, log_n={log_n!r}"
        )
    if n is not None:
        if isinstance(n, bool) or not isinstance(n, numbers.Real) or not math.isfinite(float(n)) or float(n) < 1:
            raise InvalidParameterError(f"`n` must be a real number >= 1 (the number of samples); got {n!r}")
        return math.log(float(n))
    return check_nonneg_float(log_n, "log_n")


# ================================================================================================ tilting
@dataclass(frozen=True)
class TiltResult:
    r"""The exponentially tilted distribution :math:`\phi_\lambda \propto p\,e^{\lambda r}` (see :func:`kl_tilt`).

    Attributes
    ----------
    distribution : ndarray
        :math:`\phi_\lambda`.
    lam : float
        The inverse temperature λ (``inf`` for the limit: p restricted to the top reward).
    kl : float
        :math:`D(\phi_\lambda\|p)` in ``unit``.
    expected_reward : float
        :math:`\mathbb E_{\phi_\lambda} r`.
    log_partition : float
        :math:`\Lambda(\lambda) = \log \mathbb E_p e^{\lambda r}` in nats (the cumulant generating function of
        the reward under p; ``inf`` when λ is).
    unit : str
        Unit of ``kl``.
    """

    distribution: np.ndarray
    lam: float
    kl: float
    expected_reward: float
    log_partition: float
    unit: str


def _tilt_stats(logp, r, lam):
    """(φ, KL nats, E_φ r, Λ(λ)) on the support; rewards shifted by their max so that nothing overflows."""
    top = r.max()
    rs = r - top
    a = logp + lam * rs
    log_z = logsumexp(a)
    log_phi = a - log_z
    phi = np.exp(log_phi)
    er = float(phi @ r)
    kl = float(max(lam * float(phi @ rs) - log_z, 0.0))  # D(φ||p) = λ E_φ[r - top] - log Z_shifted  (Eq. for KL of [1]_)
    return phi, kl, er, float(log_z + lam * top)


def _top_limit(pp, r):
    top = r[pp > 0].max()
    on = (pp > 0) & (r == top)
    phi = np.where(on, pp, 0.0) / pp[on].sum()
    return phi, float(-math.log(pp[on].sum())), float(top)


def _tilt(pp, r, lam):
    sup = pp > 0
    if lam == math.inf:
        phi, kl, er = _top_limit(pp, r)
        return phi, kl, er, math.inf
    phi_s, kl, er, lz = _tilt_stats(np.log(pp[sup]), r[sup], lam)
    phi = np.zeros_like(pp)
    phi[sup] = phi_s
    return phi, kl, er, lz


def _solve_lam(pp, r, kl_nats):
    """λ >= 0 with D(φ_λ || p) = kl_nats (KL increases with λ: dKL/dλ = λ Var_φ r); inf when out of reach."""
    sup = pp > 0
    logp, rs = np.log(pp[sup]), r[sup]
    spread = rs.max() - rs.min()
    if spread == 0 or kl_nats == 0:
        return 0.0
    kl_max = -math.log(pp[sup][rs == rs.max()].sum())
    if kl_nats >= kl_max:
        return math.inf
    f = lambda lam: _tilt_stats(logp, rs, lam)[1] - kl_nats  # noqa: E731
    hi = 1.0 / spread
    while f(hi) < 0:
        hi *= 2.0
        if hi > 1e300:  # pragma: no cover - kl_nats < kl_max keeps the root finite
            return math.inf
    return float(brentq(f, 0.0, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500))


def exponential_tilt(p, reward, lam, *, base=None) -> TiltResult:
    r"""The tilted distribution :math:`\phi_\lambda(y) = p(y)\, e^{\lambda r(y)} / \mathbb E_p e^{\lambda r}`.

    Parameters
    ----------
    p : array_like, shape (n,)
        Base pmf.
    reward : array_like, shape (n,)
        Finite reward of each outcome.
    lam : float
        Inverse temperature :math:`\lambda \ge 0` (``math.inf``: p restricted to the highest reward).
    base : float, optional
        Unit of ``kl``.

    Returns
    -------
    TiltResult

    Notes
    -----
    .. math::

        \phi_\lambda(y) = \frac{p(y) e^{\lambda r(y)}}{Z(\lambda)},\quad
        D(\phi_\lambda\|p) = \lambda\,\mathbb E_{\phi_\lambda} r - \log Z(\lambda),\quad
        \frac{d}{d\lambda}\mathbb E_{\phi_\lambda} r = \mathrm{Var}_{\phi_\lambda} r \ge 0,

    the closed form of the KL-constrained optimum in [1]_.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import exponential_tilt
    >>> exponential_tilt([0.5, 0.5], [0.0, 1.0], 0.0).distribution.tolist()   # λ = 0 leaves p unchanged
    [0.5, 0.5]
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    lam = check_nonneg_float(lam, "lam", allow_inf=True)
    phi, kl, er, lz = _tilt(pp, r, lam)
    return TiltResult(_frozen(phi), lam, float(to_base(kl, b)), er, lz, unit_name(b))


def kl_tilt(p, reward, kl, *, base=None) -> TiltResult:
    r"""Optimal KL-constrained policy: :math:`\arg\max_\phi \mathbb E_\phi r` s.t. :math:`D(\phi\|p)\le` ``kl``.

    Parameters
    ----------
    p : array_like, shape (n,)
        Base pmf (the reference model over responses).
    reward : array_like, shape (n,)
        Finite reward of each outcome.
    kl : float
        KL budget Δ ≥ 0, in the units of ``base`` (nats by default).
    base : float, optional
        Unit of ``kl`` (input and output).

    Returns
    -------
    TiltResult
        ``distribution`` :math:`\phi_\lambda`, ``lam``, the achieved ``kl``, ``expected_reward``,
        ``log_partition``. When Δ is at least :math:`-\log p(\{r = r_{\max}\})` (the largest KL any
        reward-improving policy needs) the optimum is p restricted to the top reward, ``lam`` is ``inf`` and the
        achieved ``kl`` is below the budget.

    Notes
    -----
    By the Lagrangian of the problem ([1]_, closed-form characterisation of the KL-constrained RL solution),
    the optimum is the exponential tilt :math:`\phi_\lambda \propto p\,e^{\lambda r}` with :math:`\lambda \ge 0`
    the root of :math:`D(\phi_\lambda\|p) = \Delta`. The KL grows monotonically with λ
    (:math:`dD/d\lambda = \lambda\,\mathrm{Var}_{\phi_\lambda} r`), so the root is bracketed and found by
    Brent's method to machine precision; all sums are log-sum-exps with the rewards shifted by their maximum.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    A fair coin with reward 1 on heads: a budget of :math:`\log 2` nats (1 bit) buys certainty.

    >>> import math
    >>> from infokit.methods.alignment import kl_tilt
    >>> t = kl_tilt([0.5, 0.5], [0.0, 1.0], math.log(2))
    >>> t.distribution.tolist(), t.lam
    ([0.0, 1.0], inf)
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    delta = check_nonneg_float(kl, "kl")
    delta_nats = delta if b is None else delta * math.log(b)
    lam = _solve_lam(pp, r, delta_nats)
    phi, kl_a, er, lz = _tilt(pp, r, lam)
    return TiltResult(_frozen(phi), lam, float(to_base(kl_a, b)), er, lz, unit_name(b))


# ============================================================================================== best-of-N
def _levels(pp, r):
    """Distinct reward levels on the support (ascending), each outcome's level, log level masses."""
    sup = pp > 0
    vals, inv = np.unique(r[sup], return_inverse=True)
    mass = np.bincount(inv, weights=pp[sup], minlength=vals.size)
    return vals, inv, sup, np.log(mass)


def _log_neg_log(u):
    """log(log1p(e^u)) for real u, accurate for very negative u (≈ u)."""
    out = np.empty_like(u)
    small = u < -30
    out[small] = u[small] + np.log1p(-0.5 * np.exp(u[small]))
    big = ~small
    out[big] = np.log(np.log1p(np.exp(u[big])))
    return out


def _bon_level_log_probs(log_mass, log_n):
    r"""log π_N(ℓ) = log(F_ℓ^N − F_{ℓ−1}^N) for ascending levels, in log space for any N (up to e^700 and beyond).

    The CDF enters as :math:`N\log F_\ell = -\exp(\log N + \log(-\log F_\ell))`, with
    :math:`-\log F_\ell` taken from the lower cumulative sum when :math:`F_\ell \le 1/2` and as
    :math:`-\log(1 - S_\ell)` from the survival function otherwise (the "F**N underflows" problem of the notes).
    """
    k = log_mass.size
    log_f = np.logaddexp.accumulate(log_mass)  # log F_ℓ (inclusive)
    log_s = np.full(k, -np.inf)  # log S_ℓ = log P(level > ℓ)
    if k > 1:
        log_s[:-1] = np.logaddexp.accumulate(log_mass[::-1])[::-1][1:]
    log_neg_log_f = np.full(k, -np.inf)  # log(-log F_ℓ); -inf at the top level (F = 1)
    low = log_f <= math.log(0.5)
    with np.errstate(divide="ignore"):
        log_neg_log_f[low] = np.log(-log_f[low])
    hi = ~low & np.isfinite(log_s)
    ls = log_s[hi]
    # -log(1 - S) = log1p(S/(1-S)) ... written as log(-log1p(-S)); for tiny S it is S(1 + S/2 + ...)
    with np.errstate(divide="ignore"):
        log_neg_log_f[hi] = np.where(ls < -30, ls + np.log1p(0.5 * np.exp(ls)),
                                     np.log(-np.log1p(-np.exp(np.minimum(ls, -1e-300)))))
    with np.errstate(over="ignore"):  # N log F = -inf and D = inf are the right limits for huge N
        a = -np.exp(log_n + log_neg_log_f)  # N log F_ℓ (0 at the top level)
        # D_ℓ = N (log F_ℓ − log F_{ℓ−1}) = N log1p(P_ℓ / F_{ℓ−1}) > 0
        d = np.full(k, np.inf)
        if k > 1:
            d[1:] = np.exp(log_n + _log_neg_log(log_mass[1:] - log_f[:-1]))
    with np.errstate(divide="ignore"):
        return a + np.log(-np.expm1(-d))  # log(e^{A_ℓ} − e^{A_{ℓ−1}})


def _bon(pp, r, log_n):
    vals, inv, sup, log_mass = _levels(pp, r)
    log_pi = _bon_level_log_probs(log_mass, log_n)
    pi_level = np.exp(log_pi)
    dist = np.zeros_like(pp)
    dist[sup] = pi_level[inv] * np.exp(np.log(pp[sup]) - log_mass[inv])  # uniform tie-breaking: ∝ p within a level
    pos = pi_level > 0
    kl = float(np.sum(pi_level[pos] * (log_pi[pos] - log_mass[pos])))
    return dist, max(kl, 0.0), float(pi_level @ vals)


def best_of_n(p, reward, n=None, *, log_n=None):
    r"""Law of the best-of-N response: :math:`\pi_N(y) = [F(r_y)^N - F(r_y^-)^N]\, p(y) / p(\{r = r_y\})`.

    Parameters
    ----------
    p : array_like, shape (m,)
        Base pmf.
    reward : array_like, shape (m,)
        Finite rewards; equal rewards tie.
    n : float, optional
        Number of samples N ≥ 1 (non-integer N is the formula's continuation).
    log_n : float, optional
        :math:`\log N` instead of ``n``, for N beyond floating point (e.g. :math:`e^{400}`).

    Returns
    -------
    ndarray, shape (m,)
        :math:`\pi_N`, a pmf.

    Notes
    -----
    With the distinct reward levels :math:`v_1 < \dots < v_L` and the CDF :math:`F_\ell = p(r \le v_\ell)`,
    the maximum of N draws lands on level ℓ with probability :math:`F_\ell^N - F_{\ell-1}^N`; ties are broken
    uniformly among the draws, which by exchangeability picks an outcome of the level with probability
    proportional to p ([1]_, [2]_). Computed in log space (see the module notes).

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    .. [2] Beirami, A., Agarwal, A., Berant, J., D'Amour, A., Eisenstein, J., Nagpal, C., Suresh, A. T.
       (2024). Theoretical guarantees on the best-of-n alignment policy. arXiv:2401.01879.
    Examples
    --------
    Two draws of a fair coin, reward 1 on heads: heads unless both are tails.

    >>> from infokit.methods.alignment import best_of_n
    >>> best_of_n([0.5, 0.5], [0.0, 1.0], 2).tolist()
    [0.25, 0.75]
    """
    pp, r = _check_p_reward(p, reward)
    return _bon(pp, r, _check_n(n, log_n))[0]


def best_of_n_kl(p, reward, n=None, *, log_n=None, base=None):
    r"""Exact :math:`D(\pi_N\|p)` of best-of-N, ties included.

    Parameters are those of :func:`best_of_n`, plus ``base`` (unit of the result).

    Returns
    -------
    float
        :math:`D(\pi_N\|p) = \sum_\ell \pi_N(\ell)\log\frac{\pi_N(\ell)}{p(\ell)}` over reward levels (within a level
        :math:`\pi_N/p` is constant). At most :func:`best_of_n_kl_bound`, with equality in the limit of no
        ties (continuous rewards).

    Notes
    -----
    .. math:: D(\pi_N\|p) = \sum_\ell (F_\ell^N - F_{\ell-1}^N)\log\frac{F_\ell^N - F_{\ell-1}^N}{F_\ell - F_{\ell-1}}
              \;\le\; \log N - \frac{N-1}{N}

    [1]_ [2]_.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    .. [2] Beirami, A., Agarwal, A., Berant, J., D'Amour, A., Eisenstein, J., Nagpal, C., Suresh, A. T.
       (2024). Theoretical guarantees on the best-of-n alignment policy. arXiv:2401.01879.
    Examples
    --------
    >>> from infokit.methods.alignment import best_of_n_kl
    >>> round(best_of_n_kl([0.5, 0.5], [0.0, 1.0], 2), 6)   # 0.25 log(0.5) + 0.75 log(1.5)
    0.130812
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    return float(to_base(_bon(pp, r, _check_n(n, log_n))[1], b))


def best_of_n_kl_bound(n=None, *, log_n=None, base=None):
    r"""The best-of-N KL bound :math:`\log N - (N-1)/N`, exact for continuous rewards (no ties) [2]_.

    Parameters
    ----------
    n : float, optional
        N ≥ 1.
    log_n : float, optional
        :math:`\log N` instead of ``n``.
    base : float, optional
        Unit of the result.

    Returns
    -------
    float

    Notes
    -----
    For a continuous reward the law of :math:`F(r)` under best-of-N is Beta(N, 1), whence
    :math:`D(\pi_N\|p) = \mathbb E[\log N U^{N-1}] = \log N - (N-1)/N`. Ties only lower the KL.

    References
    ----------
    .. [2] Beirami, A., Agarwal, A., Berant, J., D'Amour, A., Eisenstein, J., Nagpal, C., Suresh, A. T.
       (2024). Theoretical guarantees on the best-of-n alignment policy. arXiv:2401.01879.

    Examples
    --------
    >>> from infokit.methods.alignment import best_of_n_kl_bound
    >>> round(best_of_n_kl_bound(2), 6)   # log 2 - 1/2
    0.193147
    """
    b = check_base(base)
    ln = _check_n(n, log_n)
    return float(to_base(ln + math.expm1(-ln), b))  # (N-1)/N = 1 - e^{-log N}


@dataclass(frozen=True)
class BestOfNTradeoff:
    """Best-of-N against the optimal tilt at the same KL (see :func:`best_of_n_tradeoff`).

    Attributes
    ----------
    n : ndarray
        The values of N.
    kl : ndarray
        Exact :math:`D(\\pi_N\\|p)` in ``unit``.
    reward : ndarray
        :math:`\\mathbb E_{\\pi_N} r`.
    kl_bound : ndarray
        :math:`\\log N - (N-1)/N` in ``unit``.
    tilt_lam : ndarray
        λ of the tilt with the same KL as best-of-N.
    tilt_reward : ndarray
        :math:`\\mathbb E_{\\phi_\\lambda} r` at that KL (never below ``reward``: the tilt is optimal).
    unit : str
    """

    n: np.ndarray
    kl: np.ndarray
    reward: np.ndarray
    kl_bound: np.ndarray
    tilt_lam: np.ndarray
    tilt_reward: np.ndarray
    unit: str


def _ns(n_values):
    ns = np.asarray(to_numpy(as_float_array(n_values, "n_values")), dtype=np.float64).reshape(-1)
    if not np.isfinite(ns).all() or (ns < 1).any():
        raise InvalidParameterError(f"`n_values` must be real numbers >= 1; got {ns.tolist()}")
    return ns


def best_of_n_tradeoff(p, reward, n_values, *, base=None) -> BestOfNTradeoff:
    r"""Reward–KL points of best-of-N and of the optimal tilt at the same KL, for a discrete base model.

    Parameters
    ----------
    p, reward : array_like, shape (m,)
        Base pmf and rewards.
    n_values : array_like
        Values of N ≥ 1.
    base : float, optional
        Unit of the KL columns.

    Returns
    -------
    BestOfNTradeoff

    Notes
    -----
    For each N: :math:`D(\pi_N\|p)` and :math:`\mathbb E_{\pi_N} r` exactly, then :func:`kl_tilt` at that KL.
    Since the tilt maximises reward at fixed KL, ``tilt_reward >= reward`` always; [1]_ shows the gap
    vanishes per token for memoryless models as the length grows (see :func:`sequence_best_of_n`).

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import best_of_n_tradeoff
    >>> t = best_of_n_tradeoff([0.5, 0.3, 0.2], [0.0, 1.0, 2.0], [2, 4, 16])
    >>> bool((t.tilt_reward >= t.reward).all())
    True
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    ns = _ns(n_values)
    kl, er, lam, ter = (np.zeros(ns.size) for _ in range(4))
    for i, n in enumerate(ns):
        _, kl[i], er[i] = _bon(pp, r, math.log(n))
        lam[i] = _solve_lam(pp, r, kl[i])
        ter[i] = _tilt(pp, r, lam[i])[2]
    bound = np.log(ns) - (ns - 1) / ns
    return BestOfNTradeoff(_frozen(ns), _frozen(to_base(kl, b)), _frozen(er), _frozen(to_base(bound, b)),
                           _frozen(lam), _frozen(ter), unit_name(b))


@dataclass(frozen=True)
class KLRewardCurve:
    """The optimal reward–KL trade-off traced by the tilt (see :func:`kl_reward_curve`)."""

    lams: np.ndarray
    kl: np.ndarray
    reward: np.ndarray
    unit: str


def kl_reward_curve(p, reward, lams, *, base=None) -> KLRewardCurve:
    r"""Points :math:`(D(\phi_\lambda\|p), \mathbb E_{\phi_\lambda} r)` of the optimal trade-off for several λ ≥ 0.

    Parameters
    ----------
    p, reward : array_like, shape (m,)
        Base pmf and rewards.
    lams : array_like
        Inverse temperatures λ ≥ 0 (``inf`` allowed).
    base : float, optional
        Unit of ``kl``.

    Returns
    -------
    KLRewardCurve
        Arrays ``lams``, ``kl``, ``reward``: no policy within KL ``kl[i]`` of p has a larger expected reward
        than ``reward[i]`` [1]_.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import kl_reward_curve
    >>> c = kl_reward_curve([0.5, 0.3, 0.2], [0.0, 1.0, 2.0], [0.0, 1.0, 2.0])
    >>> bool((c.kl[1:] > c.kl[:-1]).all() and (c.reward[1:] > c.reward[:-1]).all())
    True
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    ls = np.asarray(to_numpy(as_float_array(lams, "lams")), dtype=np.float64).reshape(-1)
    for i, v in enumerate(ls):
        check_nonneg_float(float(v), f"lams[{i}]", allow_inf=True)
    kl, er = np.zeros(ls.size), np.zeros(ls.size)
    for i, lam in enumerate(ls):
        _, kl[i], er[i], _ = _tilt(pp, r, float(lam))
    return KLRewardCurve(_frozen(ls), _frozen(to_base(kl, b)), _frozen(er), unit_name(b))


# ==================================================================================== Rényi / large deviations
def renyi_cross_entropy(p, q, alpha, *, base=None):
    r"""Rényi cross entropy :math:`H_\alpha(p, q) = \frac{1}{1-\alpha}\log\sum_y p(y)\, q(y)^{\alpha-1}`.

    Parameters
    ----------
    p, q : array_like, shape (m,)
        Pmfs over the same outcomes.
    alpha : float
        Order α ≥ 0 (finite); α = 1 is the Shannon cross entropy :math:`-\sum p\log q`.
    base : float, optional
        Unit of the result.

    Returns
    -------
    float
        ``inf`` when α ≤ 1 and p puts mass where q has none.

    Notes
    -----
    With :math:`q = p` it is the Rényi entropy :math:`H_\alpha(p)`. For a memoryless model :math:`p_0` with
    per-token reward :math:`r_0` and :math:`q \propto e^{r_0}`, the cumulant generating function of the reward
    is :math:`\Lambda(\lambda) = \log\mathbb E_{p_0} e^{\lambda r_0} = \lambda\log\sum_y e^{r_0(y)} -
    \lambda H_{1+\lambda}(p_0, q)`: the scaled cumulants of [1]_ are Rényi cross entropies.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import renyi_cross_entropy
    >>> round(renyi_cross_entropy([0.5, 0.5], [0.5, 0.5], 2.0, base=2), 12)   # = Rényi entropy of a fair bit
    1.0
    """
    b = check_base(base)
    pp = np.asarray(to_numpy(check_pmf(p, "p")), dtype=np.float64)
    qq = np.asarray(to_numpy(check_pmf(q, "q")), dtype=np.float64)
    if pp.shape != qq.shape or pp.ndim != 1:
        raise ShapeMismatchError(
            f"`p` and `q` must be 1-D pmfs over the same outcomes; got shapes {pp.shape} and {qq.shape}"
        )
    a = check_alpha(alpha, "alpha")
    if math.isinf(a):
        raise InvalidParameterError("`alpha` must be finite for the Rényi cross entropy; got inf")
    if a == 1.0:
        return float(cross_entropy(pp, qq, base=base))
    sup = pp > 0
    with np.errstate(divide="ignore"):
        log_q = np.log(qq[sup])
    if a < 1 and np.isneginf(log_q).any():
        return math.inf
    terms = np.log(pp[sup]) + (a - 1.0) * np.where(np.isneginf(log_q), 0.0, log_q)
    terms = np.where(np.isneginf(log_q), -np.inf, terms)  # α > 1: q = 0 contributes 0 to the sum
    lse = logsumexp(terms)
    return float(to_base(lse / (1.0 - a), b)) + 0.0


def cramer_rate(p, reward, a, *, base=None):
    r"""Cramér rate :math:`I(a) = \sup_\lambda [\lambda a - \Lambda(\lambda)]` of the reward under p.

    Parameters
    ----------
    p, reward : array_like, shape (m,)
        Per-token model :math:`p_0` and reward :math:`r_0`.
    a : float
        Target reward per token.
    base : float, optional
        Unit of the result.

    Returns
    -------
    float
        :math:`I(a) = \min\{D(\phi\|p): \mathbb E_\phi r = a\}`, attained by a tilt; 0 at the mean,
        :math:`-\log p(r = r_{\max})` at the maximum, ``inf`` outside :math:`[r_{\min}, r_{\max}]`.

    Notes
    -----
    [1]_: the reward per token of the KL-RL optimum of a memoryless model obeys a large-deviation principle
    with this rate; the optimal trade-off is KL/token :math:`= I(a)` at reward/token
    :math:`a = \Lambda'(\lambda)`. Computed by solving :math:`\mathbb E_{\phi_\lambda} r = a` for λ
    (monotone) and returning :math:`D(\phi_\lambda\|p)`.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import cramer_rate
    >>> cramer_rate([0.5, 0.5], [0.0, 1.0], 0.5)   # the mean costs nothing
    0.0
    """
    b = check_base(base)
    pp, r = _check_p_reward(p, reward)
    if isinstance(a, bool) or not isinstance(a, numbers.Real) or math.isnan(float(a)):
        raise InvalidParameterError(f"`a` must be a real reward level; got {a!r}")
    a = float(a)
    sup = pp > 0
    rs, ps = r[sup], pp[sup]
    lo, hi = rs.min(), rs.max()
    if a > hi or a < lo:
        return math.inf
    if a == hi:
        return float(to_base(-math.log(ps[rs == hi].sum()), b))
    if a == lo:
        return float(to_base(-math.log(ps[rs == lo].sum()), b))
    mean = float(ps @ rs)
    if a == mean:
        return 0.0
    sign = 1.0 if a > mean else -1.0
    logp = np.log(ps)
    g = lambda t: _tilt_stats(logp, sign * rs, t)[2] - sign * a  # noqa: E731  (E_φ[±r] increases with t)
    top = 1.0 / (hi - lo)
    while g(top) < 0:
        top *= 2.0
    t = brentq(g, 0.0, top, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    return float(to_base(_tilt_stats(logp, sign * rs, t)[1], b))


# =============================================================================== memoryless sequences
@dataclass(frozen=True)
class SequenceBestOfN:
    """Best-of-N on length-n sequences of a memoryless model with additive reward (see :func:`sequence_best_of_n`).

    Attributes
    ----------
    reward_per_token : float
        :math:`\\mathbb E_{\\pi_N}[R]/n`.
    kl_per_token : float
        :math:`D(\\pi_N\\|p_0^{\\otimes n})/n` in ``unit`` (exact).
    kl_bound_per_token : float
        :math:`(\\log N - (N-1)/N)/n` in ``unit``.
    length : int
    log_n : float
        :math:`\\log N`.
    unit : str
    """

    reward_per_token: float
    kl_per_token: float
    kl_bound_per_token: float
    length: int
    log_n: float
    unit: str


def _sum_log_pmf(p0, steps, length):
    """log pmf of the sum of ``length`` i.i.d. integer steps (0..R) with probabilities p0, by log-space DP."""
    span = int(steps.max())
    log_p0 = np.log(p0)
    cur = np.array([0.0])
    for _ in range(length):
        nxt = np.full(cur.size + span, -np.inf)
        for s, lp in zip(steps, log_p0):
            seg = nxt[s:s + cur.size]
            np.logaddexp(seg, cur + lp, out=seg)
        cur = nxt
    return cur


def sequence_best_of_n(p0, r0, length, *, n=None, log_n=None, base=None) -> SequenceBestOfN:
    r"""Exact best-of-N reward and KL per token for a memoryless model with integer additive reward [1]_.

    Parameters
    ----------
    p0 : array_like, shape (m,)
        Per-token pmf; a sequence :math:`y_1..y_n` has probability :math:`\prod_t p_0(y_t)`.
    r0 : array_like, shape (m,)
        Per-token rewards, integers (:math:`R(y) = \sum_t r_0(y_t)`). Rewards on a lattice
        :math:`a + k\delta` can be rescaled to integers and the reward per token scaled back.
    length : int
        Sequence length n.
    n : float, optional
        Number of samples N ≥ 1.
    log_n : float, optional
        :math:`\log N` instead of ``n`` (e.g. :math:`n\Delta` for the asymptotic regime :math:`N = e^{n\Delta}`).
    base : float, optional
        Unit of the KL values.

    Returns
    -------
    SequenceBestOfN
        ``reward_per_token``, ``kl_per_token``, ``kl_bound_per_token``.

    Notes
    -----
    The law of :math:`R` is the n-fold convolution of the per-token reward law (computed exactly in log
    space, O(n² · span · m)); best-of-N acts on the reward levels of :math:`R` as in :func:`best_of_n`, and
    within a level π_N/p is constant, so the level KL is the sequence KL. [1]_ shows that with
    :math:`N = e^{n\Delta}` the reward per token tends to that of the KL-RL optimum with KL Δ per token
    (:func:`kl_tilt` on :math:`(p_0, r_0)`), with an :math:`O(\log n / n)` lag.

    References
    ----------
    .. [1] Yang, J. Q., Salamatian, S., Sun, Z., Suresh, A. T., Beirami, A. (2024). Asymptotics of language
       model alignment. IEEE ISIT 2024. arXiv:2404.01730.
    Examples
    --------
    >>> from infokit.methods.alignment import sequence_best_of_n
    >>> s = sequence_best_of_n([0.5, 0.5], [0, 1], 1, n=2)   # one token: the coin example of best_of_n
    >>> s.reward_per_token
    0.75
    """
    b = check_base(base)
    pp, r = _check_p_reward(p0, r0, "p0", "r0")
    if not np.all(r == np.round(r)):
        raise InvalidParameterError(
            "`r0` must be integer-valued (the reward sum is convolved on the integer lattice); got "
            f"{r.tolist()}; rescale lattice rewards a + k*delta to the integers k and scale the result back"
        )
    length = check_positive_int(length, "length")
    ln = _check_n(n, log_n)
    sup = pp > 0
    ps, rs = pp[sup], r[sup].astype(np.int64)
    lo = int(rs.min())
    log_pmf = _sum_log_pmf(ps, rs - lo, length)
    keep = np.isfinite(log_pmf)
    levels = (np.flatnonzero(keep) + lo * length).astype(np.float64)
    log_mass = log_pmf[keep] - logsumexp(log_pmf[keep])  # renormalise the round-off of the DP
    log_pi = _bon_level_log_probs(log_mass, ln)
    pi = np.exp(log_pi)
    pos = pi > 0
    kl = float(max(np.sum(pi[pos] * (log_pi[pos] - log_mass[pos])), 0.0))
    reward = float(pi @ levels)
    bound = ln + math.expm1(-ln)
    return SequenceBestOfN(reward / length, float(to_base(kl / length, b)), float(to_base(bound / length, b)),
                           length, ln, unit_name(b))
