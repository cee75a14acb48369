r"""Conformal information pursuit (C-IP): query selection from split-conformal prediction sets [1]_.

A posterior model's probabilities can be over- or under-confident (LLM next-token probabilities are), so the
entropy that information pursuit minimises can be wrong. C-IP calibrates, for every history length
:math:`k`, a split-conformal threshold on the score :math:`s = -\log \hat p(y_{\text{true}} \mid h)` [2]_:

.. math::

    \hat q_k = s_{(\lceil (n+1)(1-\alpha) \rceil)}\ \text{(the order statistic; } +\infty \text{ when }
    \lceil (n+1)(1-\alpha)\rceil > n),\qquad
    C(h) = \{y : -\log \hat p(y \mid h) \le \hat q_{|h|}\},

so that :math:`1-\alpha \le P(Y \in C(h)) \le 1 - \alpha + 1/(n+1)` for exchangeable (continuous) scores. The
set size bounds the conditional entropy (a Fano-type inequality, the bound of [1]_):

.. math::

    H(Y \mid h, q(X)) \le U(q) = h_b(\alpha) + (1-\alpha_n)\,\mathbb E[\log |C| \mid Y \in C]
        + \alpha\,\mathbb E[\log (K - |C|) \mid Y \notin C],\qquad \alpha_n = \alpha - \tfrac{1}{n+1},

and C-IP asks :math:`\arg\min_q U(q)`, the expectation taken over the label and the answer to :math:`q`.

Score convention: [1]_'s code uses :math:`s = -\hat p` and :math:`C = \{\hat p \ge -\hat q\}`. Conformal sets
depend on the scores only through their order, so :math:`s = -\log \hat p` (a strictly increasing transform)
gives identical sets in exact arithmetic; in floating point it keeps the ranking of tiny probabilities that a
badly mis-ranked model assigns to the true label (:math:`1 - 10^{-20}` rounds to 1). Thresholds are in nats.

References
----------
.. [1] Chan, K. H. R., Ge, Y., Dobriban, E., Hassani, H., Vidal, R. (2025). Conformal information pursuit for
   interactively guiding large language models. NeurIPS 2025. arXiv:2507.03279.
.. [2] Angelopoulos, A. N., Bates, S. (2023). Conformal prediction: a gentle introduction. Foundations and
   Trends in Machine Learning 16(4):494–591. arXiv:2107.07511.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..._backend import to_numpy
from ..._units import check_base, to_base
from ..._validation import as_float_array, check_choice, check_positive_int, check_random_state
from ...exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError
from .information_pursuit import _candidates, _check_history, _check_model, _check_query, _labels

__all__ = [
    "conformal_quantile",
    "prediction_set",
    "ConformalCalibration",
    "conformal_calibrate",
    "conformal_set",
    "CoverageResult",
    "evaluate_coverage",
    "conformal_query_utility",
    "cip_select",
]


def _check_level(alpha, name="alpha"):
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < float(alpha) < 1:
        raise InvalidParameterError(
            f"`{name}` is a miscoverage level and must be strictly between 0 and 1 (e.g. 0.1); got {alpha!r}"
        )
    return float(alpha)


def conformal_quantile(scores, alpha) -> float:
    r"""The split-conformal threshold: the :math:`\lceil (n+1)(1-\alpha)\rceil`-th smallest score.

    Returns ``math.inf`` (the set of every label) when :math:`\lceil (n+1)(1-\alpha)\rceil > n`, i.e. when
    :math:`n < 1/\alpha - 1`: no finite threshold guarantees coverage then (clamping to the largest score
    under-covers).

    Parameters
    ----------
    scores : array_like, 1-D
        Non-conformity scores of the calibration points (NaN is an error).
    alpha : float in (0, 1)
        Miscoverage level.

    Returns
    -------
    float

    Examples
    --------
    With 9 scores and alpha = 0.1 the rank is ceil(10 * 0.9) = 9, the largest:

    >>> conformal_quantile([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], 0.1)
    0.9
    >>> conformal_quantile([0.1, 0.2, 0.3], 0.1)   # n = 3 < 1/alpha - 1 = 9
    inf
    """
    a = _check_level(alpha)
    s = np.asarray(to_numpy(as_float_array(scores, "scores", allow_empty=True)), dtype=np.float64)
    if s.ndim != 1:
        raise ShapeMismatchError(f"`scores` must be 1-D; got shape {s.shape}")
    if np.isnan(s).any():
        raise InvalidSampleError(f"`scores` must not contain NaN; found {int(np.isnan(s).sum())}")
    return _quantile(s, a)


def _quantile(s, a):
    n = s.size
    # 1e-9 guards ceil against (n+1)(1-alpha) landing a rounding error above an integer (n=9, alpha=0.1)
    rank = math.ceil((n + 1) * (1 - a) - 1e-9)
    if rank > n:
        return math.inf
    return float(np.partition(s, rank - 1)[rank - 1])


def prediction_set(probabilities, threshold, *, allow_empty=True) -> np.ndarray:
    r"""Labels whose score :math:`-\log \hat p(y)` is at most ``threshold``: a boolean mask over the last axis.

    Parameters
    ----------
    probabilities : array_like, (..., n_classes)
        Model probabilities :math:`\hat p(y \mid h)`.
    threshold : float
        A conformal threshold (``math.inf`` gives the full set).
    allow_empty : bool, default True
        With ``False`` an empty set is replaced by the arg-max label (this can only raise coverage; report
        set sizes with the same convention you calibrated with).

    Examples
    --------
    >>> prediction_set([0.7, 0.2, 0.1], 2.0).tolist()   # keeps p >= exp(-2) = 0.135
    [True, True, False]
    """
    p = np.asarray(to_numpy(as_float_array(probabilities, "probabilities")), dtype=np.float64)
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or math.isnan(threshold):
        raise InvalidParameterError(f"`threshold` must be a real number (math.inf allowed); got {threshold!r}")
    if (p < 0).any():
        raise InvalidParameterError("`probabilities` must be >= 0")
    with np.errstate(divide="ignore"):
        return _set_log(np.log(p), float(threshold), allow_empty)


def _set_log(logp, t, allow_empty=True):
    p = logp
    mask = -logp <= t
    if not allow_empty:
        flat, pflat = mask.reshape(-1, mask.shape[-1]).copy(), p.reshape(-1, p.shape[-1])
        rows = np.flatnonzero(~flat.any(axis=1))
        flat[rows, np.argmax(pflat[rows], axis=1)] = True
        mask = flat.reshape(mask.shape)
    return mask


@dataclass(frozen=True)
class ConformalCalibration:
    """Per-history-length conformal thresholds.

    Attributes
    ----------
    alpha : float
        Miscoverage level.
    thresholds : ndarray of shape (max_length + 1,)
        :math:`\\hat q_k` for histories of length k, on the score :math:`-\\log \\hat p(y \\mid h)` (nats);
        ``inf`` where there were too few calibration points.
    n_calibration : ndarray of shape (max_length + 1,)
        Number of calibration scores behind each threshold.
    """

    alpha: float
    thresholds: np.ndarray
    n_calibration: np.ndarray

    @property
    def max_length(self) -> int:
        """Longest calibrated history length."""
        return int(self.thresholds.size - 1)

    def threshold(self, length: int) -> float:
        """:math:`\\hat q_k` for a history of this length."""
        if not 0 <= length <= self.max_length:
            raise InvalidParameterError(
                f"`length` must be in 0..{self.max_length} (the calibrated history lengths); got {length}; "
                "calibrate with a larger max_length"
            )
        return float(self.thresholds[length])


def _random_history(rng, n_queries, k, bank):
    qs = rng.choice(n_queries, size=k, replace=False)
    return tuple((int(q), int(bank[q])) for q in qs)


def conformal_calibrate(model, labels, answers, *, alpha=0.1, max_length=10, random_state=None):
    r"""Split-conformal thresholds for every history length 0..max_length (the calibration step of [1]_).

    For each length k and each calibration object i a history of k distinct random queries is drawn, answered
    from the object's answer bank ``answers[i]``, and scored :math:`s = -\log \hat p(y_i \mid h)`;
    :math:`\hat q_k` is :func:`conformal_quantile` of the n scores.

    Parameters
    ----------
    model : PosteriorModel
        The (possibly miscalibrated) model to calibrate.
    labels : array_like of int, shape (n,)
        Labels of the calibration objects (held out from the test objects).
    answers : array_like of int, shape (n, n_queries)
        Their answer banks, drawn from the *true* answer distribution.
    alpha : float in (0, 1), default 0.1
    max_length : int, default 10
        Must not exceed ``n_queries``.
    random_state : None, int or numpy Generator

    Returns
    -------
    ConformalCalibration

    Notes
    -----
    Coverage holds for test histories drawn the same way (random queries). A query policy chooses histories
    that depend on the answers, so coverage along IP/C-IP trajectories is only approximate — the same caveat
    as in [1]_, whose calibration also uses random histories.

    Examples
    --------
    >>> from infokit.methods.pursuit import NaiveBayesModel
    >>> m = NaiveBayesModel([[0, 1], [1, 0], [1, 1]], noise=0.1)
    >>> y = [0, 1, 2] * 20
    >>> cal = conformal_calibrate(m, y, m.sample_answers(y, random_state=0), alpha=0.2, max_length=2,
    ...                           random_state=0)
    >>> cal.n_calibration.tolist()
    [60, 60, 60]
    """
    model = _check_model(model)
    a = _check_level(alpha)
    lab = _labels(labels, model.n_classes, "labels")
    bank = _check_bank(answers, lab.size, model)
    max_length = check_positive_int(max_length, "max_length", minimum=0)
    if max_length > model.n_queries:
        raise InvalidParameterError(
            f"`max_length` must be at most n_queries = {model.n_queries} (queries are not repeated); got {max_length}"
        )
    rng = check_random_state(random_state)
    thr = np.empty(max_length + 1)
    for k in range(max_length + 1):
        scores = np.array([-model.log_posterior(_random_history(rng, model.n_queries, k, bank[i]))[y]
                           for i, y in enumerate(lab)])
        thr[k] = _quantile(scores, a)
    n = np.full(max_length + 1, lab.size, dtype=np.int64)
    thr.setflags(write=False)
    n.setflags(write=False)
    return ConformalCalibration(a, thr, n)


def _check_bank(answers, n, model):
    bank = np.asarray(answers)
    if bank.shape != (n, model.n_queries):
        raise ShapeMismatchError(
            f"`answers` must have shape (len(labels), n_queries) = ({n}, {model.n_queries}); got {bank.shape}"
        )
    if bank.dtype.kind not in "iub" or (bank.size and (bank.min() < 0 or bank.max() >= model.n_answers)):
        raise InvalidParameterError(f"`answers` must be integers in 0..{model.n_answers - 1}")
    return bank.astype(np.int64)


def _check_calibration(calibration):
    if not isinstance(calibration, ConformalCalibration):
        raise InvalidParameterError(
            "`calibration` must be the ConformalCalibration returned by conformal_calibrate(...); "
            f"got {type(calibration).__name__}"
        )
    return calibration


def conformal_set(model, history, calibration, *, allow_empty=True) -> np.ndarray:
    """The prediction set :math:`C(h)` (boolean mask over classes) with the threshold for ``len(history)``.

    Examples
    --------
    >>> from infokit.methods.pursuit import NaiveBayesModel
    >>> cal = ConformalCalibration(0.1, np.array([1.0, 1.0]), np.array([50, 50]))
    >>> conformal_set(NaiveBayesModel([[0], [1], [1]]), [(0, 1)], cal).tolist()
    [False, True, True]
    """
    model = _check_model(model)
    cal = _check_calibration(calibration)
    h = _check_history(history, model)
    return _set_log(model.log_posterior(h), cal.threshold(len(h)), allow_empty)


@dataclass(frozen=True)
class CoverageResult:
    """Empirical coverage of conformal sets on fresh random histories.

    Attributes
    ----------
    coverage : float
        Fraction of test histories whose set contains the true label.
    mean_set_size : float
        Mean number of labels per set (empty sets count 0).
    coverage_by_length : ndarray
        Coverage per history length 0..max_length.
    mean_set_size_by_length : ndarray
    alpha : float
    """

    coverage: float
    mean_set_size: float
    coverage_by_length: np.ndarray
    mean_set_size_by_length: np.ndarray
    alpha: float


def evaluate_coverage(model, calibration, labels, answers, *, random_state=None) -> CoverageResult:
    """Coverage and set size of ``calibration``'s sets on one random history per object and length.

    Examples
    --------
    >>> from infokit.methods.pursuit import NaiveBayesModel
    >>> m = NaiveBayesModel([[0], [1]])
    >>> cal = ConformalCalibration(0.1, np.array([np.inf, 0.5]), np.array([5, 5]))
    >>> evaluate_coverage(m, cal, [0, 1], [[0], [1]], random_state=0).coverage
    1.0
    """
    model = _check_model(model)
    cal = _check_calibration(calibration)
    lab = _labels(labels, model.n_classes, "labels")
    bank = _check_bank(answers, lab.size, model)
    rng = check_random_state(random_state)
    cov = np.empty(cal.max_length + 1)
    size = np.empty(cal.max_length + 1)
    for k in range(cal.max_length + 1):
        t = cal.threshold(k)
        sets = np.array([_set_log(model.log_posterior(_random_history(rng, model.n_queries, k, bank[i])), t)
                         for i in range(lab.size)])
        cov[k] = sets[np.arange(lab.size), lab].mean()
        size[k] = sets.sum(axis=1).mean()
    return CoverageResult(float(cov.mean()), float(size.mean()), cov, size, cal.alpha)


_CRITERIA = ("bound", "set_size")


def _check_criterion(criterion):
    return check_choice(criterion, "criterion", _CRITERIA)


def _utilities(model, h, pool, cal, criterion):
    """U(q) of [1]_ in nats for each q in ``pool``; expectation over y ~ p_hat(y|h), a ~ p(a|y,q) (exact)."""
    from .information_pursuit import _after

    k_cls = model.n_classes
    post = np.exp(model.log_posterior(h))
    lik = np.stack([np.asarray(model.answer_likelihood(q), dtype=np.float64) for q in pool])  # (nq, K, A)
    w = post[None, None, :] * np.transpose(lik, (0, 2, 1))  # joint weight of (a, y) under the model
    with np.errstate(divide="ignore"):
        c = _set_log(np.log(_after(model, h, pool)), cal.threshold(len(h) + 1))  # (nq, A, K)
    size = c.sum(axis=-1)  # (nq, A)
    w_in, w_out = (w * c).sum(axis=-1), (w * ~c).sum(axis=-1)
    with np.errstate(divide="ignore"):
        log_in = np.where(size > 0, np.log(np.maximum(size, 1)), 0.0)
        log_out = np.log(np.maximum(k_cls - size, 1))
    if criterion == "set_size":
        return (w.sum(axis=-1) * log_in).sum(axis=1)
    tot_in, tot_out = w_in.sum(axis=1), w_out.sum(axis=1)
    e_in = np.divide((w_in * log_in).sum(axis=1), tot_in, out=np.zeros(len(pool)), where=tot_in > 0)
    e_out = np.divide((w_out * log_out).sum(axis=1), tot_out, out=np.zeros(len(pool)), where=tot_out > 0)
    alpha = cal.alpha
    n = int(cal.n_calibration[len(h) + 1])
    alpha_n = alpha - 1.0 / (n + 1)
    hb = -alpha * math.log(alpha) - (1 - alpha) * math.log1p(-alpha)
    return hb + (1 - alpha_n) * e_in + alpha * e_out


def conformal_query_utility(model, history, query, calibration, *, criterion="bound", base=None) -> float:
    r"""The C-IP utility of asking ``query`` (lower is better).

    ``criterion="bound"`` is the entropy upper bound of [1]_,
    :math:`U(q) = h_b(\alpha) + (1-\alpha_n)\mathbb E[\log|C| \mid Y\in C] + \alpha\,\mathbb E[\log(K-|C|)\mid
    Y\notin C]` with :math:`\alpha_n = \alpha - 1/(n+1)` and :math:`C = C(h \cup \{(q, a)\})`;
    ``criterion="set_size"`` is the plain expected log set size :math:`\mathbb E[\log |C|]`.

    The expectation is over :math:`y \sim \hat p(y\mid h)` and :math:`a \sim p(a \mid y, q)`, computed exactly.

    # Deviation from [1]_: their code estimates the expectations from 64 labels drawn uniformly over the K
    # classes with answers from the answer bank, and uses that sample count as n in alpha_n; here the
    # expectation is exact under the model's predictive distribution and n is the calibration size (the n of
    # the coverage guarantee 1 - alpha + 1/(n+1)), which makes the selection deterministic.

    Examples
    --------
    >>> from infokit.methods.pursuit import NaiveBayesModel
    >>> m = NaiveBayesModel([[0, 1], [1, 1]])
    >>> cal = ConformalCalibration(0.1, np.array([0.5, 0.5]), np.array([100, 100]))
    >>> conformal_query_utility(m, (), 0, cal, criterion="set_size")   # a noiseless split leaves 1 label
    0.0
    """
    model = _check_model(model)
    cal = _check_calibration(calibration)
    crit = _check_criterion(criterion)
    b = check_base(base)
    h = _check_history(history, model)
    q = _check_query(query, model)
    cal.threshold(len(h) + 1)  # validates the length
    return float(to_base(_utilities(model, h, [q], cal, crit)[0], b))


def _cip_select(model, h, pool, cal, criterion):
    scores = _utilities(model, h, pool, cal, criterion)
    best = scores.min()
    # ties (common: set sizes are integers) go to the query with the larger information gain, then lowest index
    tied = [pool[i] for i in np.flatnonzero(scores <= best + 1e-12 * max(1.0, abs(best)))]
    if len(tied) == 1:
        return int(tied[0])
    from .information_pursuit import _ip_select

    return _ip_select(model, h, tied)


def cip_select(model, history, calibration, *, criterion="bound", candidates=None) -> int:
    """The conformal-IP query :math:`\\arg\\min_{q \\notin h} U(q)` (ties broken by information gain).

    Parameters
    ----------
    model : PosteriorModel
    history : sequence of (query, answer) pairs
    calibration : ConformalCalibration
        Must cover length ``len(history) + 1``.
    criterion : {"bound", "set_size"}
    candidates : array_like of int, optional

    Returns
    -------
    int

    Examples
    --------
    >>> from infokit.methods.pursuit import NaiveBayesModel
    >>> m = NaiveBayesModel([[1, 0], [1, 1]])
    >>> cal = ConformalCalibration(0.1, np.array([0.5, 0.5]), np.array([100, 100]))
    >>> cip_select(m, (), cal)
    1
    """
    model = _check_model(model)
    cal = _check_calibration(calibration)
    crit = _check_criterion(criterion)
    h = _check_history(history, model)
    cal.threshold(len(h) + 1)
    pool = _candidates(model, h, candidates)
    if not pool:
        raise InvalidParameterError(
            "`history` already contains every candidate query; pass a larger `candidates` set or stop the episode"
        )
    return _cip_select(model, h, pool, cal, crit)
