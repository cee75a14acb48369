r"""The universality lens [1]_: a Bayesian mixture learner's regret is governed by the prior weight of the
truth's KL neighbourhood, not by the size of the hypothesis class.

For a class :math:`\{p_\theta\}` with prior :math:`w`, the mixture :math:`q(x^n) = \sum_\theta w(\theta)
p_\theta(x^n)` predicts sequentially with the posterior-weighted mixture :math:`q(x_t\mid x^{t-1})`. Its
log-loss regret against a reference :math:`p^*` satisfies (the index-of-resolvability argument of Barron [2]_
used in [1]_)

.. math::

    \mathbb E\Big[\log\frac{p^*(X^n)}{q(X^n)}\Big] \le \min_{\varepsilon\ge 0}
    \Big\{ n\varepsilon + \log\frac{1}{W_\varepsilon(p^*)} \Big\},\qquad
    W_\varepsilon(p^*) = w\big(\{\theta : D(p^*\,\|\,p_\theta) \le \varepsilon\}\big),

with :math:`D` the per-sample KL divergence (input-averaged conditional KL in the supervised case). With
:math:`\varepsilon = 0` and :math:`p^* = p_{\theta^*}` in the class the bound holds pointwise:
:math:`\log p^*(x^n)/q(x^n) \le \log 1/w(\theta^*)` for every sequence, since :math:`q \ge w(\theta^*)p^*`.

* :func:`mixture_regret` — exact sequential log loss of the mixture and its regret against a reference;
* :func:`hypothesis_weight` — :math:`W_\varepsilon`; :func:`kl_to_truth` — the per-sample KLs;
* :func:`regret_bound` — the minimum over ε (attained at one of the distinct KL values);
* :func:`boolean_function_prior` — the prior over Boolean functions induced by random over-parameterised
  threshold networks (the "simple functions have large weight" demonstration).

Everything is in nats unless ``base`` is given.

References
----------
.. [1] Feder, M., Urbanke, R., Fogel, Y. (2025). The universality lens: why even highly over-parametrized
   models learn well. arXiv:2506.07661.
.. [2] Barron, A. R. (1998). Information-theoretic characterization of Bayes performance and the choice of
   priors in parametric and nonparametric problems. Bayesian Statistics 6, 27–52.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from ..._units import check_base, to_base, unit_name
from ..._validation import as_float_array, check_nonneg_float, check_positive_int, check_random_state
from ...exceptions import InvalidParameterError, ShapeMismatchError

__all__ = [
    "MixtureRegret",
    "RegretBound",
    "mixture_regret",
    "hypothesis_weight",
    "kl_to_truth",
    "regret_bound",
    "boolean_function_prior",
]


def _frozen(a):
    a = np.array(a, dtype=np.float64, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True)
class MixtureRegret:
    """Sequential log loss of the Bayes mixture and its regret.

    Attributes
    ----------
    regret : float
        :math:`\\sum_t [-\\log q(x_t\\mid x^{t-1})] - \\sum_t [-\\log p^*(x_t)]` (cumulative, in ``unit``).
    mixture_log_loss, reference_log_loss : float
        The two cumulative log losses.
    regret_path : ndarray, shape (n,)
        Cumulative regret after each observation.
    posterior : ndarray, shape (M,)
        Posterior weights after all observations.
    unit : str
    """

    regret: float
    mixture_log_loss: float
    reference_log_loss: float
    regret_path: np.ndarray
    posterior: np.ndarray
    unit: str


@dataclass(frozen=True)
class RegretBound:
    """:math:`\\min_\\varepsilon\\{n\\varepsilon + \\log 1/W_\\varepsilon\\}` and where it is attained."""

    bound: float
    epsilon: float
    weight: float
    unit: str


def _check_prior(prior, name="prior"):
    w = as_float_array(prior, name)
    if w.ndim != 1:
        raise ShapeMismatchError(f"`{name}` must be a 1-D array of weights, one per hypothesis; got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise InvalidParameterError(f"`{name}` must hold finite non-negative weights; got min {np.nanmin(w)!r}")
    total = w.sum()
    if not np.isclose(total, 1.0, atol=1e-8):
        raise InvalidParameterError(
            f"`{name}` must sum to 1 (got {total:.6g}); divide it by its sum if it holds unnormalised counts"
        )
    return w


def _check_tables(likelihoods, name="likelihoods"):
    p = as_float_array(likelihoods, name)
    if p.ndim not in (2, 3):
        raise ShapeMismatchError(
            f"`{name}` must be (M, K) pmfs over K symbols or (M, X, K) conditional pmfs of y given x; "
            f"got shape {p.shape}"
        )
    if not np.all(np.isfinite(p)) or np.any(p < 0):
        raise InvalidParameterError(f"`{name}` must hold finite probabilities >= 0")
    sums = p.sum(axis=-1)
    if not np.allclose(sums, 1.0, atol=1e-8):
        bad = np.unravel_index(np.argmax(np.abs(sums - 1)), sums.shape)
        raise InvalidParameterError(
            f"`{name}` must sum to 1 along its last axis; entry {tuple(int(i) for i in bad)} sums to "
            f"{sums[bad]:.6g}"
        )
    return p


def _symbols(data, p):
    """Integer index arrays selecting p[:, ..., symbol] for every observation."""
    if p.ndim == 2:
        x = np.asarray(data)
        if x.ndim != 1 or x.dtype.kind not in "iu":
            raise InvalidParameterError(
                f"`data` must be a 1-D integer array of symbols in [0, {p.shape[1]}) for (M, K) likelihoods; got "
                f"{'dtype ' + str(x.dtype) if x.ndim == 1 else 'shape ' + str(x.shape)}"
            )
        if x.size and (x.min() < 0 or x.max() >= p.shape[1]):
            raise InvalidParameterError(f"`data` symbols must lie in [0, {p.shape[1]}); got {x.min()}..{x.max()}")
        return (x,)
    if not (isinstance(data, tuple) and len(data) == 2):
        raise InvalidParameterError(
            "`data` must be a pair (x, y) of integer arrays for (M, X, K) conditional likelihoods; "
            f"got {type(data).__name__}"
        )
    xs, ys = (np.asarray(a) for a in data)
    if xs.shape != ys.shape or xs.ndim != 1 or xs.dtype.kind not in "iu" or ys.dtype.kind not in "iu":
        raise InvalidParameterError("`data` = (x, y) must be two 1-D integer arrays of equal length")
    for a, lim, nm in ((xs, p.shape[1], "x"), (ys, p.shape[2], "y")):
        if a.size and (a.min() < 0 or a.max() >= lim):
            raise InvalidParameterError(f"`data` {nm} values must lie in [0, {lim}); got {a.min()}..{a.max()}")
    return (xs, ys)


def _log_lik_matrix(p, idx):
    """(M, n) per-observation log-likelihoods; -inf where a hypothesis gives probability 0."""
    with np.errstate(divide="ignore"):
        if p.ndim == 2:
            return np.log(p[:, idx[0]])
        return np.log(p[:, idx[0], idx[1]])


def mixture_regret(prior, likelihoods, data, *, reference, base=None) -> MixtureRegret:
    r"""Log-loss regret of the Bayes mixture over a hypothesis class against a reference.

    :math:`\mathrm{regret} = -\log q(x^n) + \log p^*(x^n)` with :math:`q(x^n) = \sum_\theta w_\theta
    p_\theta(x^n)`, which by the chain rule equals the sequential log loss of the posterior predictive.

    Parameters
    ----------
    prior : array_like, shape (M,)
        Prior weights (sum to 1).
    likelihoods : array_like, shape (M, K) or (M, X, K)
        Each hypothesis' pmf over K symbols (i.i.d. data) or conditional pmf of a label y given an input x
        (supervised data).
    data : int array (n,) or tuple (x, y) of int arrays
        The observed sequence.
    reference : int or array_like
        The comparator: an index into the class, or a pmf of shape (K,) / (X, K).
    base : float, optional
        Logarithm base of the result (nats by default).

    Returns
    -------
    MixtureRegret

    Examples
    --------
    A point-mass prior on the reference has zero regret:

    >>> r = mixture_regret([1.0, 0.0], [[0.5, 0.5], [0.9, 0.1]], np.array([0, 1, 1]), reference=0)
    >>> float(r.regret)
    0.0
    """
    check_base(base)
    w = _check_prior(prior)
    p = _check_tables(likelihoods)
    if p.shape[0] != w.size:
        raise ShapeMismatchError(f"`likelihoods` has {p.shape[0]} hypotheses but `prior` has {w.size} weights")
    idx = _symbols(data, p)
    ll = _log_lik_matrix(p, idx)
    if isinstance(reference, numbers.Integral):
        if not 0 <= reference < w.size:
            raise InvalidParameterError(f"`reference` index must lie in [0, {w.size}); got {reference}")
        ref_ll = ll[int(reference)]
    else:
        ref = _check_tables(np.asarray(reference, dtype=float)[None], "reference")[0]
        if ref.shape != p.shape[1:]:
            raise ShapeMismatchError(f"`reference` must have shape {p.shape[1:]}; got {ref.shape}")
        ref_ll = _log_lik_matrix(ref[None], idx)[0]
    if not np.all(np.isfinite(ref_ll)):
        raise InvalidParameterError("`reference` gives probability 0 to an observation in `data`: its log loss is infinite")
    with np.errstate(divide="ignore"):
        logw = np.log(w)
    a = np.cumsum(ll, axis=1)                                   # log p_theta(x^t)
    a += logw[:, None]                                          # log w_theta p_theta(x^t)
    top = a.max(axis=0)
    with np.errstate(invalid="ignore"):                         # a column of -inf: every weight is 0 there
        log_q = top + np.log(np.exp(a - top).sum(axis=0))      # log q(x^t), a logsumexp over the class
    if not np.all(np.isfinite(log_q)):
        raise InvalidParameterError("every hypothesis with positive prior weight gives `data` probability 0")
    path = np.cumsum(ref_ll) - log_q
    post = np.exp(a[:, -1] - log_q[-1]) if a.shape[1] else w.copy()
    return MixtureRegret(
        regret=to_base(float(path[-1]) if path.size else 0.0, base),
        mixture_log_loss=to_base(float(-log_q[-1]) if path.size else 0.0, base),
        reference_log_loss=to_base(float(-ref_ll.sum()), base),
        regret_path=_frozen(to_base(path, base)),
        posterior=_frozen(post),
        unit=unit_name(base),
    )


def kl_to_truth(likelihoods, truth, *, input_pmf=None, base=None) -> np.ndarray:
    r"""Per-sample KL divergences :math:`D(p^*\,\|\,p_\theta)` of every hypothesis from the truth.

    For conditional pmfs (M, X, K) the divergence is averaged over inputs,
    :math:`\sum_x \pi(x) D(p^*(\cdot\mid x)\,\|\,p_\theta(\cdot\mid x))`, with ``input_pmf`` π (uniform by
    default). Infinite where a hypothesis gives 0 to a symbol the truth can emit.
    """
    check_base(base)
    p = _check_tables(likelihoods)
    t = _check_tables(np.asarray(truth, dtype=float)[None], "truth")[0]
    if t.shape != p.shape[1:]:
        raise ShapeMismatchError(f"`truth` must have shape {p.shape[1:]}; got {t.shape}")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(t > 0, t * (np.log(t) - np.log(p)), 0.0)
    kl = terms.sum(axis=-1)
    if p.ndim == 3:
        pi = np.full(p.shape[1], 1.0 / p.shape[1]) if input_pmf is None else as_float_array(input_pmf, "input_pmf")
        if pi.shape != (p.shape[1],) or not np.isclose(pi.sum(), 1.0) or np.any(pi < 0):
            raise InvalidParameterError(f"`input_pmf` must be a pmf over the {p.shape[1]} inputs")
        with np.errstate(invalid="ignore"):
            kl = np.where(pi > 0, kl, 0.0) @ pi
    return to_base(kl, base)


def hypothesis_weight(prior, kl_to_truth, eps):
    r""":math:`W_\varepsilon = w(\{\theta : D(p^*\|p_\theta) \le \varepsilon\})`, the prior mass of a KL ball.

    ``eps`` may be a scalar or an array (the weights are returned with its shape). KLs and ``eps`` in the same
    unit (nats unless you computed both in another base).
    """
    w = _check_prior(prior)
    kl = as_float_array(kl_to_truth, "kl_to_truth")
    if kl.shape != w.shape:
        raise ShapeMismatchError(f"`kl_to_truth` must have one entry per hypothesis ({w.size}); got shape {kl.shape}")
    if np.any(np.isnan(kl)) or np.any(kl < -1e-12):
        raise InvalidParameterError("`kl_to_truth` must hold KL divergences >= 0 (inf allowed)")
    e = np.asarray(eps, dtype=float)
    if np.any(~np.isfinite(e)) or np.any(e < 0):
        raise InvalidParameterError(f"`eps` must be finite and >= 0; got {eps!r}")
    order = np.argsort(kl, kind="stable")
    cum = np.concatenate([[0.0], np.cumsum(w[order])])
    out = cum[np.searchsorted(kl[order], e, side="right")]
    return float(out) if out.ndim == 0 else out


def regret_bound(prior, kl_to_truth, n, *, base=None) -> RegretBound:
    r"""The expected-regret bound :math:`\min_{\varepsilon\ge 0}\{n\varepsilon + \log 1/W_\varepsilon\}`.

    :math:`W_\varepsilon` is a step function that jumps at the distinct KL values, so the minimum is attained
    at one of them; all are tried. ``kl_to_truth`` per sample, in nats.

    Examples
    --------
    Realisable finite class with a uniform prior over 8 hypotheses: the bound is log 8 (ε = 0).

    >>> b = regret_bound(np.full(8, 1 / 8), [0.0, 1, 1, 1, 1, 1, 1, 1], n=100)
    >>> round(b.bound, 6) == round(float(np.log(8)), 6), b.epsilon
    (True, 0.0)
    """
    check_base(base)
    n = check_positive_int(n, "n", minimum=0)
    w = _check_prior(prior)
    kl = as_float_array(kl_to_truth, "kl_to_truth")
    cand = np.unique(kl[np.isfinite(kl) & (w > 0)])
    if cand.size == 0:
        raise InvalidParameterError("no hypothesis with positive prior weight has a finite KL to the truth: the bound is infinite")
    cand = np.maximum(cand, 0.0)
    weights = np.asarray(hypothesis_weight(w, kl, cand))
    values = n * cand - np.log(weights)
    i = int(np.argmin(values))
    return RegretBound(to_base(float(values[i]), base), float(cand[i]), float(weights[i]), unit_name(base))


def boolean_function_prior(n_inputs=4, hidden=8, *, n_networks=200_000, weights=(-1, 0, 1), random_state=None,
                           chunk=100_000):
    r"""Prior over Boolean functions induced by random two-layer threshold networks.

    Each network has ``hidden`` sign units :math:`h_j = \mathrm{sign}(a_j\cdot s + b_j) \in \{-1, +1\}`
    (sign(0) = −1) on the inputs in ±1 coding, :math:`s = 2x - 1` for :math:`x \in \{0,1\}^{n\_inputs}`, and
    output :math:`[\,c\cdot h + d > 0\,]`, with every weight and bias drawn uniformly from ``weights``; the function's truth table over the :math:`2^{n\_inputs}` inputs (input
    ``i`` has bits ``(i >> k) & 1``) is encoded as an integer. Over-parameterised networks put large weight on
    simple functions (constants, single variables) and tiny weight on parity — the example of [1]_.

    Returns
    -------
    functions : ndarray of int64, shape (F,)
        Distinct truth tables seen (bit i = output on input i).
    prior : ndarray, shape (F,)
        Their empirical frequencies (sum to 1).
    """
    n_inputs = check_positive_int(n_inputs, "n_inputs")
    if n_inputs > 5:
        raise InvalidParameterError(f"`n_inputs` must be <= 5 (truth tables of 2^n_inputs bits fit in int64); got {n_inputs}")
    hidden = check_positive_int(hidden, "hidden")
    n_networks = check_positive_int(n_networks, "n_networks")
    vals = np.asarray(weights, dtype=np.int64)
    if vals.ndim != 1 or vals.size == 0:
        raise InvalidParameterError(f"`weights` must be a non-empty 1-D list of values; got {weights!r}")
    rng = check_random_state(random_state)
    X = 2 * ((np.arange(2 ** n_inputs)[:, None] >> np.arange(n_inputs)) & 1).astype(np.int64) - 1  # ±1, (P, n)
    powers = (np.int64(1) << np.arange(2 ** n_inputs, dtype=np.int64))
    codes = []
    for start in range(0, n_networks, chunk):
        m = min(chunk, n_networks - start)
        A = vals[rng.integers(0, vals.size, (m, hidden, n_inputs))]
        b = vals[rng.integers(0, vals.size, (m, hidden))]
        c = vals[rng.integers(0, vals.size, (m, hidden))]
        d = vals[rng.integers(0, vals.size, m)]
        # small integers are exact in float64: BLAS matmuls instead of integer einsums
        pre = (A.reshape(m * hidden, n_inputs).astype(float) @ X.T.astype(float)).reshape(m, hidden, -1)
        H = np.where(pre + b[:, :, None] > 0, 1.0, -1.0)                                  # (m, hidden, P)
        out = (np.einsum("mhp,mh->mp", H, c.astype(float)) + d[:, None] > 0).astype(np.int64)   # (m, P)
        codes.append(out @ powers)
    functions, counts = np.unique(np.concatenate(codes), return_counts=True)
    return functions, counts / counts.sum()
