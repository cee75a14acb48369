"""Functionals of one or two pmfs: entropies, divergences, f-divergences.

All functions take numpy arrays or torch tensors (the result is of the same kind, on the same device, and
differentiable for tensors), work along ``axis`` (batched over every other axis), compute in nats and convert
to ``base`` once at return. pmfs are validated, never silently renormalised (``normalize=True`` opts in).

Gradients (torch): entries with p_i = 0 are treated as off the support — their terms are constant zeros, so
the gradient is the one on the face of the simplex that ``p`` lies on, and it is finite (never 0·inf = NaN).
``-inf`` logits get a zero gradient for the same reason.
"""

from __future__ import annotations

import math

import numpy as np

from .._backend import is_torch, namespace
from .._units import check_base, to_base
from .._validation import (
    as_float_array,
    check_alpha,
    check_axis,
    check_logits,
    check_pmf,
    check_same_shape,
)
from ..exceptions import InvalidDistributionError, InvalidParameterError

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "renyi_entropy",
    "renyi_divergence",
    "tsallis_entropy",
    "cs_divergence",
    "total_variation",
    "hellinger",
    "chi2_divergence",
    "from_counts",
    "softmax",
]


def _scalarize(x):
    """Return a Python float for 0-d numpy results (scipy style); leave arrays and tensors alone."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return float(x)
    if isinstance(x, np.generic):
        return float(x)
    return x


def _finish(value, base):
    return _scalarize(to_base(value, base))


def _clip_round_off(xp, d):
    """Clip values that are >= 0 in exact arithmetic (divergences of pmfs) at 0.

    Round-off can leave −1e-16 where the answer is 0 (then ``sqrt(d)`` would be NaN). The clip changes the
    value only; a torch gradient stays the formula's (straight-through), and +inf passes unchanged.
    """
    return d + xp.stop_gradient(xp.where(d < 0, -d, 0.0))


# --------------------------------------------------------------------------------------------- inputs
def _one_distribution(p, logits, log_p, *, axis, normalize, atol, name="p", logits_name="logits",
                      log_p_name="log_p"):
    """Resolve exactly one of p / logits / log_p to ``(xp, p, log_p_or_None, axis)``."""
    given = [k for k, v in ((name, p), (logits_name, logits), (log_p_name, log_p)) if v is not None]
    if len(given) != 1:
        allowed = [f"`{name}`", f"`{logits_name}=`"] + ([f"`{log_p_name}=`"] if log_p_name else [])
        raise InvalidParameterError(
            f"pass exactly one of {', '.join(allowed[:-1])} or {allowed[-1]}; "
            f"got {', '.join(f'`{g}`' for g in given) or 'none'}"
        )
    if p is not None:
        p = check_pmf(p, name, axis=axis, atol=atol, normalize=normalize)
        return namespace(p), p, None, check_axis(axis, p.ndim)
    if logits is not None:
        lg = check_logits(logits, logits_name, axis=axis)
        ax = check_axis(axis, lg.ndim)
        xp = namespace(lg)
        lp = xp.log_softmax(lg, axis=ax)
        return xp, xp.exp(lp), lp, ax
    lp = check_logits(log_p, log_p_name, axis=axis)
    ax = check_axis(axis, lp.ndim)
    xp = namespace(lp)
    if normalize:  # log-space rescaling: log p - log Σ p
        lp = lp - xp.logsumexp(lp, axis=ax, keepdims=True)
    pp = xp.exp(lp)
    check_pmf(pp, f"exp({log_p_name})", axis=ax, atol=atol)
    return xp, pp, lp, ax


def _pair(p, q, p_logits, q_logits, *, axis, normalize, atol):
    xp, pp, lp, ax = _one_distribution(p, p_logits, None, axis=axis, normalize=normalize, atol=atol, name="p",
                                       logits_name="p_logits", log_p_name=None)
    xq, qq, lq, axq = _one_distribution(q, q_logits, None, axis=axis, normalize=normalize, atol=atol, name="q",
                                        logits_name="q_logits", log_p_name=None)
    if xp.name != xq.name:
        raise InvalidParameterError(
            "`p` and `q` must both be numpy arrays or both torch tensors; got one of each — convert one of them"
        )
    check_same_shape(pp, qq, "p" if p is not None else "p_logits", "q" if q is not None else "q_logits")
    return xp, pp, qq, lp, lq, ax


def _xlogy_masked(xp, p, log_q):
    """Σ-term p·log q with 0·log 0 = 0 when log q is given in log space (−inf where q = 0).

    The log is zeroed off the support *before* the product so that torch gradients stay finite.
    """
    return p * xp.where(p > 0, log_q, 0.0)


# --------------------------------------------------------------------------------------------- Shannon
def entropy(p=None, *, logits=None, log_p=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i`.

    Parameters
    ----------
    p : array_like or torch.Tensor, optional
        Probabilities along ``axis`` (batched over the other axes). Must be finite, non-negative and
        sum to 1 within ``atol``.
    logits, log_p : array_like or torch.Tensor, optional
        Alternatives to ``p``: unnormalised log-probabilities (softmax is applied along ``axis``) or
        normalised log-probabilities. ``-inf`` marks an excluded outcome. Exactly one of ``p``, ``logits``,
        ``log_p`` must be given.
    base : float, optional
        Logarithm base of the result: ``None`` (nats), ``2`` (bits), ``10`` (hartleys).
    axis : int
        Axis holding the outcomes.
    normalize : bool
        Divide ``p`` by its sum instead of requiring it to sum to 1.
    atol : float, optional
        Tolerance on the sum (default 1e-6 for float64, 1e-4 for float32).

    Returns
    -------
    float, ndarray or torch.Tensor
        The entropy, with ``axis`` removed. A float for a single pmf.

    Notes
    -----
    .. math:: H(p) = -\sum_{i} p_i \log p_i, \qquad 0 \log 0 = 0 .

    Examples
    --------
    >>> import infokit
    >>> infokit.entropy([0.5, 0.5], base=2)   # a fair coin carries one bit
    1.0
    """
    b = check_base(base)
    xp, pp, lp, ax = _one_distribution(p, logits, log_p, axis=axis, normalize=normalize, atol=atol)
    if lp is None:
        h = xp.sum(xp.entr(pp), axis=ax)
    else:
        h = -xp.sum(_xlogy_masked(xp, pp, lp), axis=ax)
    return _finish(h, b)


def cross_entropy(p=None, q=None, *, p_logits=None, q_logits=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Cross entropy :math:`H(p, q) = -\sum_i p_i \log q_i` (``inf`` where ``q_i = 0 < p_i``).

    ``p``/``q`` may be replaced by ``p_logits``/``q_logits`` (softmax along ``axis``). See :func:`entropy`
    for the common parameters.

    Examples
    --------
    >>> import infokit
    >>> infokit.cross_entropy([1.0, 0.0], [0.5, 0.5], base=2)
    1.0
    """
    b = check_base(base)
    xp, pp, qq, lp, lq, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    if lq is None:
        with np.errstate(divide="ignore"):
            h = -xp.sum(xp.xlogy(pp, qq), axis=ax)
    else:
        h = -xp.sum(_xlogy_masked(xp, pp, lq), axis=ax)
    return _finish(h, b)


def kl_divergence(p=None, q=None, *, p_logits=None, q_logits=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Kullback–Leibler divergence :math:`D(p\|q) = \sum_i p_i \log(p_i / q_i)`.

    Returns ``inf`` (never NaN) when ``p`` puts mass where ``q`` has none. ``p``/``q`` may be replaced by
    ``p_logits``/``q_logits``.

    Examples
    --------
    >>> import infokit
    >>> infokit.kl_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    >>> infokit.kl_divergence([1.0, 0.0], [0.5, 0.5], base=2)
    1.0
    """
    b = check_base(base)
    xp, pp, qq, lp, lq, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    if lp is None and lq is None:
        d = xp.sum(xp.rel_entr(pp, qq), axis=ax)
    else:
        lp = lp if lp is not None else _safe_log(xp, pp)
        lq = lq if lq is not None else _safe_log(xp, qq)
        with np.errstate(invalid="ignore"):
            d = xp.sum(pp * xp.where(pp > 0, lp - lq, 0.0), axis=ax)
    return _finish(_clip_round_off(xp, d), b)


def _safe_log(xp, p):
    """log p with −inf off the support, written so that torch gradients stay finite (no 0/0)."""
    pos = p > 0
    return xp.where(pos, xp.log(xp.where(pos, p, 1.0)), -math.inf)


def js_divergence(p=None, q=None, *, p_logits=None, q_logits=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Jensen–Shannon divergence :math:`\tfrac12 D(p\|m) + \tfrac12 D(q\|m)`, :math:`m = (p+q)/2`.

    Bounded by :math:`\log 2` (1 bit). Note that :func:`scipy.spatial.distance.jensenshannon` returns the
    *square root* of this quantity (the Jensen–Shannon distance).

    Examples
    --------
    >>> import infokit
    >>> infokit.js_divergence([1.0, 0.0], [0.0, 1.0], base=2)
    1.0
    """
    b = check_base(base)
    xp, pp, qq, lp, lq, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    m = 0.5 * (pp + qq)
    d = 0.5 * xp.sum(xp.rel_entr(pp, m), axis=ax) + 0.5 * xp.sum(xp.rel_entr(qq, m), axis=ax)
    return _finish(_clip_round_off(xp, d), b)


# --------------------------------------------------------------------------------------------- Rényi / Tsallis
def _log_power_sum(xp, pp, alpha, ax):
    """log Σ p_i^α over the support (p_i > 0), stable for any α > 0."""
    return xp.logsumexp(alpha * _safe_log(xp, pp), axis=ax)


# Near α = 1 the closed forms divide a log-sum of order (α−1) by (α−1): computed as log Σ p^α the
# numerator carries an absolute round-off of ~1e-16, i.e. a relative error of 1e-16/|α−1| (1e-4 at
# α = 1 + 1e-12). Writing Σ p_i^α − 1 = Σ p_i expm1((α−1) log p_i) removes the cancellation: every term has
# the sign of (1−α) so the sum is accurate to a few ulps, and log1p keeps that accuracy. We use it for
# |α − 1| <= _NEAR_ONE, where (α−1)·log p stays below ~372 for every positive float64 (no overflow).
_NEAR_ONE = 0.5


def _power_sum_minus_one(xp, pp, log_ratio, t, ax):
    """Σ_{p_i>0} p_i·expm1(t·log_ratio_i) (= Σ p_i·r_i^t − 1), with log_ratio masked off the support."""
    pos = pp > 0
    with np.errstate(invalid="ignore", over="ignore"):
        term = xp.expm1(t * xp.where(pos, log_ratio, 0.0))
    s = xp.sum(xp.where(pos, pp * term, 0.0), axis=ax)
    # The rewrite used Σp = 1. Adding Σp − stop_gradient(Σp) (exactly 0 in value) restores the torch gradient
    # of the documented formula Σ p^α r^(α−1) − 1 off the simplex, so both code paths differentiate alike.
    total = xp.sum(xp.where(pos, pp, 0.0), axis=ax)  # over the support: zero entries keep a zero gradient
    return s + (total - xp.stop_gradient(total))


def _support_size(xp, pp, ax):
    """|supp p| along ``ax``, in the dtype of ``pp`` (a bool·1.0 product would be float32 in torch).

    Piecewise constant in ``p``: written as ``0·p + 1`` so that a torch result stays attached to the graph
    with a zero gradient (``.backward()`` works) instead of being cut off from ``p``.
    """
    zero = 0.0 * pp
    return xp.sum(xp.where(pp > 0, zero + 1.0, zero), axis=ax)


def renyi_entropy(p=None, alpha=2.0, *, logits=None, log_p=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Rényi entropy of order α: :math:`H_\alpha(p) = \frac{1}{1-\alpha}\log\sum_i p_i^\alpha`.

    Limits: α = 0 gives the Hartley entropy :math:`\log|\mathrm{supp}\,p|`, α = 1 Shannon's entropy,
    α = ∞ the min-entropy :math:`-\log\max_i p_i`.

    Parameters
    ----------
    alpha : float
        Order, ``0 <= alpha <= inf``.

    Examples
    --------
    >>> import infokit
    >>> infokit.renyi_entropy([0.25] * 4, 2.0, base=2)   # uniform: every order gives log2(4)
    2.0
    """
    a = check_alpha(alpha)
    b = check_base(base)
    xp, pp, lp, ax = _one_distribution(p, logits, log_p, axis=axis, normalize=normalize, atol=atol)
    if a == 1.0:
        h = xp.sum(xp.entr(pp), axis=ax) if lp is None else -xp.sum(_xlogy_masked(xp, pp, lp), axis=ax)
    elif a == 0.0:
        h = xp.log(_support_size(xp, pp, ax))
    elif math.isinf(a):
        h = -xp.log(xp.max(pp, axis=ax))
    elif abs(a - 1.0) <= _NEAR_ONE:
        # H_α = −log1p(Σ p_i expm1((α−1) log p_i)) / (α−1): the same formula, free of cancellation near α = 1
        t = a - 1.0
        logp = lp if lp is not None else _safe_log(xp, pp)
        h = -xp.log1p(_power_sum_minus_one(xp, pp, logp, t, ax)) / t
    else:
        h = _log_power_sum(xp, pp, a, ax) / (1.0 - a)
    return _finish(h, b)


def renyi_divergence(p=None, q=None, alpha=2.0, *, p_logits=None, q_logits=None, base=None, axis=-1,
                     normalize=False, atol=None):
    r"""Rényi divergence of order α: :math:`D_\alpha(p\|q) = \frac{1}{\alpha-1}\log\sum_i p_i^\alpha q_i^{1-\alpha}`.

    Limits: α = 1 gives KL; α = 0 gives :math:`-\log q(\mathrm{supp}\,p)`; α = ∞ gives
    :math:`\log\max_i p_i/q_i`. Returns ``inf`` where the sum involves :math:`p_i>0=q_i` and α ≥ 1.

    Examples
    --------
    >>> import infokit
    >>> infokit.renyi_divergence([0.5, 0.5], [0.5, 0.5], 2.0)
    0.0
    """
    a = check_alpha(alpha)
    b = check_base(base)
    xp, pp, qq, lp, lq, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    lp = lp if lp is not None else _safe_log(xp, pp)
    lq = lq if lq is not None else _safe_log(xp, qq)
    if a == 1.0:
        with np.errstate(invalid="ignore"):
            d = xp.sum(pp * xp.where(pp > 0, lp - lq, 0.0), axis=ax)
    elif a == 0.0:
        # −log q(supp p); p enters only through its support: 0·Σp keeps it in the torch graph (zero gradient)
        d = -xp.logsumexp(xp.where(pp > 0, lq, -math.inf), axis=ax) + 0.0 * xp.sum(pp, axis=ax)
    elif math.isinf(a):
        with np.errstate(invalid="ignore"):
            d = xp.max(xp.where(pp > 0, lp - lq, -math.inf), axis=ax)
    elif abs(a - 1.0) <= _NEAR_ONE:
        # D_α = log1p(Σ_{p>0} p_i expm1((α−1) log(p_i/q_i))) / (α−1): no cancellation near α = 1 (see
        # _NEAR_ONE); q_i = 0 < p_i gives expm1(+inf) = inf for α > 1 and a zero term for α < 1.
        with np.errstate(invalid="ignore"):
            log_ratio = xp.where(pp > 0, lp - lq, 0.0)
        with np.errstate(divide="ignore"):  # disjoint supports, α < 1: log1p(−1) = −inf, so D_α = +inf
            d = xp.log1p(_power_sum_minus_one(xp, pp, log_ratio, a - 1.0, ax)) / (a - 1.0)
    else:
        # log Σ exp(α log p + (1-α) log q) over the support of p; q = 0 there gives +inf for α > 1
        # and a zero term for α < 1, which is what the limits of the formula say.
        with np.errstate(invalid="ignore"):
            t = xp.where(pp > 0, a * xp.where(pp > 0, lp, 0.0) + (1.0 - a) * lq, -math.inf)
        d = xp.logsumexp(t, axis=ax) / (a - 1.0)
    return _finish(_clip_round_off(xp, d), b)


def tsallis_entropy(p=None, q=2.0, *, logits=None, log_p=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Tsallis entropy of index q: :math:`S_q(p) = \frac{1 - \sum_i p_i^q}{q - 1}` (Shannon at q = 1).

    ``base`` is honoured only at q = 1 (the Shannon limit); for q ≠ 1 the Tsallis entropy is not a
    logarithm and ``base`` must be left at ``None``.

    Examples
    --------
    >>> import infokit
    >>> infokit.tsallis_entropy([0.5, 0.5], 2.0)   # (1 - 1/2) / 1
    0.5
    """
    qv = check_alpha(q, "q")
    b = check_base(base)
    if qv != 1.0 and b is not None:
        raise InvalidParameterError(
            f"`base` only applies to the Shannon limit q=1 of the Tsallis entropy; got base={base!r} with q={q!r}; "
            "leave base=None"
        )
    if math.isinf(qv):
        raise InvalidParameterError("`q` must be finite for the Tsallis entropy; got inf")
    xp, pp, lp, ax = _one_distribution(p, logits, log_p, axis=axis, normalize=normalize, atol=atol)
    if qv == 1.0:
        return _finish(xp.sum(xp.entr(pp), axis=ax), b)
    if qv == 0.0:
        return _finish(_support_size(xp, pp, ax) - 1.0, None)
    if qv >= 1.0 - _NEAR_ONE:
        # 1 − Σ p^q = −Σ p_i expm1((q−1) log p_i): exact rewrite, no cancellation as q → 1; for q > 1 every
        # expm1 lies in (−1, 0] so nothing overflows
        logp = lp if lp is not None else _safe_log(xp, pp)
        s = -_power_sum_minus_one(xp, pp, logp, qv - 1.0, ax) / (qv - 1.0)
    else:
        s = (1.0 - xp.exp(_log_power_sum(xp, pp, qv, ax))) / (qv - 1.0)
    return _finish(s, None)


# --------------------------------------------------------------------------------------------- CS and f-divergences
def cs_divergence(p=None, q=None, *, p_logits=None, q_logits=None, base=None, axis=-1, normalize=False, atol=None):
    r"""Cauchy–Schwarz divergence :math:`D_{CS}(p\|q) = \log\sum p_i^2 + \log\sum q_i^2 - 2\log\sum p_i q_i`.

    Symmetric, non-negative, zero iff ``p == q``; ``inf`` for disjoint supports. This is the form used by the
    CS information bottleneck [1]_ (−2 log of the cosine between ``p`` and ``q``).

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz Divergence
       Information Bottleneck for Regression. ICLR. arXiv:2404.17951

    Examples
    --------
    >>> import infokit
    >>> infokit.cs_divergence([0.5, 0.5], [0.5, 0.5])
    0.0
    """
    b = check_base(base)
    xp, pp, qq, lp, lq, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    with np.errstate(divide="ignore"):
        d = (xp.log(xp.sum(pp * pp, axis=ax)) + xp.log(xp.sum(qq * qq, axis=ax))
             - 2.0 * xp.log(xp.sum(pp * qq, axis=ax)))
    # Cauchy–Schwarz guarantees d >= 0; clip the round-off below zero
    return _finish(_clip_round_off(xp, d), b)


def total_variation(p=None, q=None, *, p_logits=None, q_logits=None, axis=-1, normalize=False, atol=None):
    r"""Total variation distance :math:`\tfrac12\sum_i |p_i - q_i|` ∈ [0, 1].

    Examples
    --------
    >>> import infokit
    >>> infokit.total_variation([1.0, 0.0], [0.5, 0.5])
    0.5
    """
    xp, pp, qq, *_, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    tv = 0.5 * xp.sum(xp.abs(pp - qq), axis=ax)
    # disjoint supports give 1 + round-off (inputs sum to 1 only within atol): clip the value into [0, 1]
    return _scalarize(tv - xp.stop_gradient(xp.where(tv > 1.0, tv - 1.0, 0.0)))


def hellinger(p=None, q=None, *, p_logits=None, q_logits=None, axis=-1, normalize=False, atol=None):
    r"""Hellinger distance :math:`\sqrt{\tfrac12\sum_i(\sqrt{p_i}-\sqrt{q_i})^2}` ∈ [0, 1].

    Examples
    --------
    >>> import infokit
    >>> infokit.hellinger([1.0, 0.0], [0.0, 1.0])
    1.0
    """
    xp, pp, qq, *_, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    h2 = 0.5 * xp.sum(xp.square(_safe_sqrt(xp, pp) - _safe_sqrt(xp, qq)), axis=ax)
    return _scalarize(_safe_sqrt(xp, xp.clip(h2, 0.0, 1.0)))


def _safe_sqrt(xp, x):
    """sqrt with a zero (not infinite) torch gradient at 0, so that 0·inf = NaN never reaches the caller."""
    pos = x > 0
    return xp.where(pos, xp.sqrt(xp.where(pos, x, 1.0)), 0.0)


def chi2_divergence(p=None, q=None, *, p_logits=None, q_logits=None, axis=-1, normalize=False, atol=None):
    r"""Pearson χ² divergence :math:`\sum_i (p_i - q_i)^2 / q_i` (``inf`` where ``q_i = 0 < p_i``).

    Examples
    --------
    >>> import infokit
    >>> infokit.chi2_divergence([0.75, 0.25], [0.5, 0.5])   # (0.25² + 0.25²) / 0.5
    0.25
    """
    xp, pp, qq, *_, ax = _pair(p, q, p_logits, q_logits, axis=axis, normalize=normalize, atol=atol)
    diff2 = xp.square(pp - qq)
    off_support = xp.where(pp > 0, xp.full_like(pp, math.inf), xp.zeros_like(pp))
    with np.errstate(over="ignore"):  # (p−q)²/q beyond the float range is +inf, the right rounding
        ratio = xp.where(qq > 0, diff2 / xp.where(qq > 0, qq, 1.0), off_support)
    return _scalarize(xp.sum(ratio, axis=ax))


# --------------------------------------------------------------------------------------------- helpers
def from_counts(counts, *, axis=-1):
    """Turn non-negative counts (or weights) into a pmf along ``axis`` (a new array).

    Examples
    --------
    >>> import infokit
    >>> infokit.from_counts([3, 1]).tolist()
    [0.75, 0.25]
    """
    return check_pmf(counts, "counts", axis=axis, normalize=True)


def softmax(logits, *, axis=-1):
    """Softmax along ``axis`` (numpy or torch), stable for large logits; ``-inf`` entries get probability 0.

    Examples
    --------
    >>> import math
    >>> import infokit
    >>> infokit.softmax([0.0, 0.0, -math.inf]).tolist()   # equal logits share the mass; -inf gets none
    [0.5, 0.5, 0.0]
    """
    lg = check_logits(logits, "logits", axis=axis)
    ax = check_axis(axis, lg.ndim)
    xp = namespace(lg)
    return xp.exp(xp.log_softmax(lg, axis=ax))
