r"""Information pursuit (IP): ask the query whose answer is most informative about the label [1]_ [2]_.

A *posterior model* gives :math:`\hat p(y \mid h)` over :math:`K` classes for a history
:math:`h = ((q_1, a_1), \dots, (q_k, a_k))` of query/answer pairs, and the answer likelihoods
:math:`p(a \mid y, q)`. Greedy IP picks

.. math::

    q_{k+1} = \arg\max_{q \notin h} I(q(X); Y \mid h)
            = \arg\min_{q \notin h} \sum_a p(a \mid h)\, H(Y \mid h, q = a),
    \qquad p(a \mid h) = \sum_y \hat p(y \mid h)\, p(a \mid y, q),

(Eq. (2) of [2]_, the "active testing" rule of [1]_) and stops when :math:`\max_y \hat p(y\mid h) \ge 1-\epsilon`
or the budget is spent; the prediction is :math:`\arg\max_y \hat p(y \mid h)`.

The reference model is :class:`NaiveBayesModel`: a class x attribute table :math:`T[y, q] = P(\text{yes}\mid y, q)`
with symmetric answer-flip noise :math:`\eta`, a prior, and a temperature (the knob that makes the posterior over-
or under-confident; a wrong prior makes it *mis-ranked*). The conformal variant (C-IP, [3]_) lives in
:mod:`infokit.methods.pursuit.conformal`.

Histories are sequences of ``(query, answer)`` integer pairs; queries are ``0..n_queries-1`` and answers
``0..n_answers-1``. All entropies are in nats unless ``base`` is given.

References
----------
.. [1] Geman, D., Jedynak, B. (1996). An active testing model for tracking roads in satellite images. IEEE TPAMI
   18(1):1–14. doi:10.1109/34.476006.
.. [2] Chattopadhyay, A., Slocum, S., Haeffele, B. D., Vidal, R., Geman, D. (2022). Interpretable by design:
   learning predictors by composing interpretable queries. IEEE TPAMI 45(6):7430–7443. arXiv:2207.00938.
.. [3] Chan, K. H. R., Ge, Y., Dobriban, E., Hassani, H., Vidal, R. (2025). Conformal information pursuit for
   interactively guiding large language models. NeurIPS 2025. arXiv:2507.03279.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Protocol, runtime_checkable

import numpy as np
from scipy.special import log_softmax

from ..._backend import to_numpy
from ..._units import check_base, to_base
from ..._validation import as_float_array, check_positive_int, check_probability, check_random_state
from ...exceptions import InvalidDistributionError, InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "PosteriorModel",
    "NaiveBayesModel",
    "posterior",
    "posterior_entropy",
    "expected_posterior_entropy",
    "information_gain",
    "ip_select",
    "run_episode",
    "accuracy_curve",
    "Episode",
]


# ============================================================================================ the protocol
@runtime_checkable
class PosteriorModel(Protocol):
    """What information pursuit needs from a model.

    Attributes
    ----------
    n_classes : int
        Number of labels :math:`K`.
    n_queries : int
        Size of the query bank (queries are ``0..n_queries-1``).
    n_answers : int
        Number of possible answers per query (answers are ``0..n_answers-1``).

    Methods
    -------
    log_posterior(history) -> ndarray of shape (n_classes,)
        :math:`\\log \\hat p(y \\mid h)`, normalised (logsumexp = 0).
    answer_likelihood(query) -> ndarray of shape (n_classes, n_answers)
        :math:`p(a \\mid y, q)`, each row a pmf.

    Optionally, ``log_posterior_after(history, queries)`` returning the log posteriors after every answer to
    every query, shape (len(queries), n_answers, n_classes), replaces the per-answer ``log_posterior`` calls
    (:class:`NaiveBayesModel` has it).
    """

    n_classes: int
    n_queries: int
    n_answers: int

    def log_posterior(self, history) -> np.ndarray: ...

    def answer_likelihood(self, query: int) -> np.ndarray: ...


# ============================================================================================ naive Bayes
class NaiveBayesModel:
    r"""Naive-Bayes posterior over a class x binary-attribute table with answer noise.

    .. math::

        p(\text{yes} \mid y, q) = (1-\eta)\,T[y, q] + \eta\,(1 - T[y, q]),\qquad
        \hat p(y \mid h) \propto \Big(\pi(y) \prod_{(q, a) \in h} p(a \mid y, q)\Big)^{1/\tau}.

    With ``temperature = 1`` and the true ``noise`` and ``prior`` this is the exact Bayes posterior of the
    generative model that :meth:`sample_answers` draws from; a smaller ``noise`` or ``temperature`` makes it
    over-confident, a wrong ``prior`` makes it mis-ranked.

    Parameters
    ----------
    attributes : array_like of shape (n_classes, n_queries)
        :math:`T[y, q] = P(\text{answer is yes} \mid y)` before noise, in [0, 1] (a 0/1 table is the usual case).
    noise : float, default 0.0
        Answer-flip probability :math:`\eta \in [0, 1/2]`.
    prior : array_like of shape (n_classes,), optional
        Class prior :math:`\pi`; uniform by default. Must be a pmf with positive entries.
    temperature : float, default 1.0
        Posterior temperature :math:`\tau > 0`.

    Examples
    --------
    Two classes that differ in one noiseless attribute: one answer identifies the class.

    >>> m = NaiveBayesModel([[0], [1]])
    >>> m.posterior([(0, 1)]).round(6).tolist()
    [0.0, 1.0]
    """

    n_answers = 2

    def __init__(self, attributes, *, noise=0.0, prior=None, temperature=1.0):
        t = np.array(to_numpy(as_float_array(attributes, "attributes")), dtype=np.float64, copy=True)
        if t.ndim != 2:
            raise ShapeMismatchError(
                f"`attributes` must be a 2-D table (n_classes, n_queries) of P(yes | class); got shape {t.shape}"
            )
        if not np.isfinite(t).all() or (t < 0).any() or (t > 1).any():
            bad = np.argwhere(~(np.isfinite(t) & (t >= 0) & (t <= 1)))[0]
            raise InvalidDistributionError(
                f"`attributes` must hold probabilities in [0, 1]; got {t[tuple(bad)]!r} at class {int(bad[0])}, "
                f"query {int(bad[1])}"
            )
        eta = check_probability(noise, "noise")
        if eta > 0.5:
            raise InvalidParameterError(
                f"`noise` is an answer-flip probability and must be in [0, 0.5]; got {noise!r} "
                "(for eta > 0.5 flip the attribute table instead)"
            )
        if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real) or not (
            np.isfinite(temperature) and temperature > 0
        ):
            raise InvalidParameterError(f"`temperature` must be a finite real number > 0; got {temperature!r}")
        k = t.shape[0]
        if prior is None:
            log_prior = np.full(k, -np.log(k))
        else:
            p = np.asarray(to_numpy(as_float_array(prior, "prior")), dtype=np.float64)
            if p.shape != (k,):
                raise ShapeMismatchError(
                    f"`prior` must have one entry per class ({k}, the rows of `attributes`); got shape {p.shape}"
                )
            if not np.isfinite(p).all() or (p <= 0).any() or abs(p.sum() - 1) > 1e-9:
                raise InvalidDistributionError(
                    f"`prior` must be a pmf with positive entries summing to 1; got sum {p.sum()!r} and min "
                    f"{p.min()!r}; normalise it with prior / prior.sum() and replace zeros by a small mass"
                )
            log_prior = np.log(p)
        p_yes = (1 - eta) * t + eta * (1 - t)
        with np.errstate(divide="ignore"):
            self._loglik = np.stack([np.log1p(-p_yes), np.log(p_yes)], axis=-1)  # (K, Q, 2)
        self._lik = np.stack([1 - p_yes, p_yes], axis=-1)
        self._log_prior = log_prior
        self.attributes = t
        self.attributes.setflags(write=False)
        self.noise = eta
        self.temperature = float(temperature)
        self.n_classes, self.n_queries = t.shape

    def __repr__(self):
        return (f"NaiveBayesModel(n_classes={self.n_classes}, n_queries={self.n_queries}, noise={self.noise}, "
                f"temperature={self.temperature})")

    def answer_likelihood(self, query: int) -> np.ndarray:
        """:math:`p(a \\mid y, q)` as an array (n_classes, 2); column 1 is "yes"."""
        return self._lik[:, query, :].copy()

    def log_posterior(self, history) -> np.ndarray:
        """Normalised :math:`\\log \\hat p(y \\mid h)` (Bayes' rule with the naive-Bayes likelihood)."""
        logp = self._log_prior.copy()
        for q, a in history:
            logp = logp + self._loglik[:, q, a]
        if not np.isfinite(logp).any():
            # every class is ruled out by a noiseless contradiction: fall back to the prior (documented)
            logp = self._log_prior.copy()
        return log_softmax(logp / self.temperature)

    def log_posterior_after(self, history, queries) -> np.ndarray:
        """Log posteriors after each answer to each query, shape (len(queries), 2, n_classes) (vectorised).

        Bayes' rule with the tempered likelihood: :math:`\\log\\hat p(y\\mid h, q=a) = \\log\\hat p(y\\mid h)
        + \\log p(a\\mid y, q)/\\tau` up to normalisation.
        """
        q = np.asarray(queries, dtype=np.int64)
        base = self._log_prior.copy()
        for qq, a in history:
            base = base + self._loglik[:, qq, a]
        if not np.isfinite(base).any():
            base = self._log_prior.copy()
        with np.errstate(invalid="ignore"):
            z = (base[None, None, :] + np.transpose(self._loglik[:, q, :], (1, 2, 0))) / self.temperature
        dead = ~np.isfinite(z).any(axis=-1)
        if dead.any():  # an answer with zero likelihood under every class: same fallback as log_posterior
            z[dead] = self._log_prior / self.temperature
        return log_softmax(z, axis=-1)

    def posterior(self, history) -> np.ndarray:
        """:math:`\\hat p(y \\mid h)` as a pmf."""
        return np.exp(self.log_posterior(history))

    def sample_answers(self, labels, *, random_state=None) -> np.ndarray:
        """Draw the answers to every query for objects of the given labels: an array (n, n_queries) of 0/1.

        Each answer is "yes" with probability :math:`(1-\\eta)T[y,q] + \\eta(1-T[y,q])`, independently
        (the model's own generative story; use a second model with the true noise as the environment).
        """
        lab = _labels(labels, self.n_classes, "labels")
        rng = check_random_state(random_state)
        p_yes = self._lik[lab, :, 1]
        return (rng.random(p_yes.shape) < p_yes).astype(np.int64)


# ============================================================================================ helpers
def _labels(labels, k, name):
    a = np.asarray(labels)
    if a.dtype.kind not in "iu" and not (a.dtype.kind == "f" and np.all(a == np.round(a))):
        raise InvalidInputTypeError(f"`{name}` must be integer class indices in 0..{k - 1}; got dtype {a.dtype}")
    a = a.astype(np.int64)
    if a.ndim != 1:
        raise ShapeMismatchError(f"`{name}` must be 1-D (one label per object); got shape {a.shape}")
    if a.size and (a.min() < 0 or a.max() >= k):
        raise InvalidParameterError(f"`{name}` must be class indices in 0..{k - 1}; got values in "
                                    f"[{a.min()}, {a.max()}]")
    return a


def _check_model(model, name="model"):
    if not isinstance(model, PosteriorModel):
        raise InvalidInputTypeError(
            f"`{name}` must implement the PosteriorModel protocol (n_classes, n_queries, n_answers, "
            f"log_posterior(history), answer_likelihood(query)); got {type(model).__name__}"
        )
    return model


def _check_history(history, model, name="history"):
    if history is None:
        return ()
    out = []
    for i, pair in enumerate(history):
        try:
            q, a = pair
        except (TypeError, ValueError):
            raise InvalidInputTypeError(
                f"`{name}` must be a sequence of (query, answer) pairs; item {i} is {pair!r}"
            ) from None
        if not (isinstance(q, numbers.Integral) and 0 <= q < model.n_queries):
            raise InvalidParameterError(
                f"`{name}`[{i}] has query {q!r}; queries must be integers in 0..{model.n_queries - 1}"
            )
        if not (isinstance(a, numbers.Integral) and 0 <= a < model.n_answers):
            raise InvalidParameterError(
                f"`{name}`[{i}] has answer {a!r}; answers must be integers in 0..{model.n_answers - 1}"
            )
        out.append((int(q), int(a)))
    return tuple(out)


def _check_query(query, model, name="query"):
    if isinstance(query, bool) or not isinstance(query, numbers.Integral) or not 0 <= query < model.n_queries:
        raise InvalidParameterError(f"`{name}` must be an integer in 0..{model.n_queries - 1}; got {query!r}")
    return int(query)


def _candidates(model, history, candidates):
    asked = {q for q, _ in history}
    if candidates is None:
        pool = range(model.n_queries)
    else:
        pool = [_check_query(c, model, "candidates") for c in np.atleast_1d(np.asarray(candidates)).tolist()]
    return [q for q in pool if q not in asked]


def _entropy_nats(p):
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())


def _after(model, history, pool):
    """Posteriors after each answer to each query in ``pool``: array (len(pool), n_answers, n_classes)."""
    fast = getattr(model, "log_posterior_after", None)
    if fast is not None:
        return np.exp(fast(history, pool))
    return np.array([[np.exp(model.log_posterior(history + ((q, a),))) for a in range(model.n_answers)]
                     for q in pool])


def _predictive(model, post, pool):
    """p(a | h) = sum_y p(y | h) p(a | y, q) for each query in ``pool``: array (len(pool), n_answers)."""
    return np.array([post @ np.asarray(model.answer_likelihood(q), dtype=np.float64) for q in pool])


def _rows_entropy(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0).sum(axis=-1)


def _expected_entropies(model, history, pool):
    """Eq. (2) of [2]_: sum_a p(a | h) H(Y | h, q = a) for each query in ``pool``."""
    post = np.exp(model.log_posterior(history))
    p_a = _predictive(model, post, pool)
    return (p_a * _rows_entropy(_after(model, history, pool))).sum(axis=1)


def _expected_entropy(model, history, query):
    return float(_expected_entropies(model, history, [query])[0])


# ============================================================================================ public API
def posterior(model, history=()) -> np.ndarray:
    """The model's posterior :math:`\\hat p(y \\mid h)` over the classes (a pmf, shape (n_classes,)).

    Examples
    --------
    >>> m = NaiveBayesModel([[0, 0], [0, 1], [1, 0], [1, 1]])
    >>> posterior(m, [(0, 1)]).round(3).tolist()
    [0.0, 0.0, 0.5, 0.5]
    """
    model = _check_model(model)
    return np.exp(model.log_posterior(_check_history(history, model)))


def posterior_entropy(model, history=(), *, base=None) -> float:
    """:math:`H(Y \\mid h) = -\\sum_y \\hat p(y\\mid h)\\log \\hat p(y\\mid h)` under the model.

    Examples
    --------
    Four equally likely classes hold 2 bits:

    >>> posterior_entropy(NaiveBayesModel([[0], [0], [1], [1]]), base=2)
    2.0
    """
    model = _check_model(model)
    b = check_base(base)
    return float(to_base(_entropy_nats(np.exp(model.log_posterior(_check_history(history, model)))), b))


def expected_posterior_entropy(model, history, query, *, base=None) -> float:
    """Expected entropy after asking ``query``: :math:`\\sum_a p(a\\mid h) H(Y \\mid h, q = a)` (Eq. (2) of [2]_).

    Examples
    --------
    A noiseless question that splits four equally likely classes in two halves leaves 1 bit:

    >>> expected_posterior_entropy(NaiveBayesModel([[0], [0], [1], [1]]), (), 0, base=2)
    1.0
    """
    model = _check_model(model)
    b = check_base(base)
    h = _check_history(history, model)
    return float(to_base(_expected_entropy(model, h, _check_query(query, model)), b))


def information_gain(model, history=(), *, queries=None, base=None) -> np.ndarray:
    """:math:`I(q(X); Y \\mid h) = H(Y\\mid h) - \\sum_a p(a\\mid h) H(Y\\mid h, q=a)` for each query.

    Parameters
    ----------
    model : PosteriorModel
    history : sequence of (query, answer) pairs
    queries : array_like of int, optional
        The queries to score (default: all of them, including ones already asked).
    base : float, optional
        Logarithm base of the result; nats by default.

    Returns
    -------
    ndarray of shape (len(queries),)

    Examples
    --------
    >>> m = NaiveBayesModel([[0, 1], [1, 1]])   # query 1 is always "yes": it tells nothing
    >>> information_gain(m, base=2).round(12).tolist()
    [1.0, 0.0]
    """
    model = _check_model(model)
    b = check_base(base)
    h = _check_history(history, model)
    qs = range(model.n_queries) if queries is None else [
        _check_query(q, model, "queries") for q in np.atleast_1d(np.asarray(queries)).tolist()]
    h0 = _entropy_nats(np.exp(model.log_posterior(h)))
    # clip the tiny negative rounding of H - E[H] for uninformative queries: I >= 0 exactly
    gains = np.maximum(h0 - _expected_entropies(model, h, list(qs)), 0.0)
    return to_base(gains, b)


def ip_select(model, history=(), *, candidates=None) -> int:
    """The information-pursuit query: :math:`\\arg\\max_{q\\notin h} I(q(X); Y\\mid h)` (ties: lowest index).

    Queries already in the history are never selected.

    Parameters
    ----------
    model : PosteriorModel
    history : sequence of (query, answer) pairs
    candidates : array_like of int, optional
        Restrict the choice to these queries (default: the whole bank).

    Returns
    -------
    int

    Examples
    --------
    >>> m = NaiveBayesModel([[1, 0], [1, 1]])   # query 0 is constant, query 1 separates the classes
    >>> ip_select(m)
    1
    """
    model = _check_model(model)
    h = _check_history(history, model)
    pool = _candidates(model, h, candidates)
    if not pool:
        raise InvalidParameterError(
            "`history` already contains every candidate query; pass a larger `candidates` set or stop the episode"
        )
    return _ip_select(model, h, pool)


def _ip_select(model, h, pool):
    scores = _expected_entropies(model, h, pool)
    # the argmin of E[H(Y | h, q=a)] is the argmax of the gain; relative 1e-12 guards ties against rounding
    best = scores.min()
    return int(pool[int(np.flatnonzero(scores <= best + 1e-12 * max(1.0, abs(best)))[0])])


@dataclass(frozen=True)
class Episode:
    """One information-pursuit episode.

    Attributes
    ----------
    queries : tuple of int
        The queries asked, in order.
    answers : tuple of int
        Their answers.
    predictions : ndarray of shape (budget + 1,)
        :math:`\\arg\\max_y \\hat p(y \\mid h_k)` after k = 0..budget queries (held fixed after a stop).
    max_probability : ndarray of shape (budget + 1,)
        :math:`\\max_y \\hat p(y \\mid h_k)`, held fixed after a stop.
    prediction : int
        The final prediction.
    stopped_early : bool
        Whether the stopping rule fired before the budget was spent.
    """

    queries: tuple
    answers: tuple
    predictions: np.ndarray
    max_probability: np.ndarray
    prediction: int
    stopped_early: bool

    @property
    def n_queries(self) -> int:
        """Number of queries asked."""
        return len(self.queries)


_POLICIES = ("ip", "random", "cip")


def _resolve_policy(policy, calibration, criterion):
    if callable(policy):
        return policy
    if policy not in _POLICIES:
        raise InvalidParameterError(
            f"`policy` must be one of {{'ip', 'random', 'cip'}} or a callable (model, history, candidates, rng) "
            f"-> query; got {policy!r}"
        )
    if policy == "ip":
        return lambda model, h, pool, rng: _ip_select(model, h, pool)
    if policy == "random":
        return lambda model, h, pool, rng: int(pool[rng.integers(len(pool))])
    from .conformal import ConformalCalibration, _cip_select, _check_criterion

    if not isinstance(calibration, ConformalCalibration):
        raise InvalidParameterError(
            "policy='cip' needs `calibration`, the ConformalCalibration returned by conformal_calibrate(...); "
            f"got {type(calibration).__name__}"
        )
    crit = _check_criterion(criterion)
    return lambda model, h, pool, rng: _cip_select(model, h, pool, calibration, crit)


def run_episode(model, answers, *, policy="ip", budget=10, stop_probability=None, calibration=None,
                criterion="bound", candidates=None, random_state=None) -> Episode:
    """Play one game: ask up to ``budget`` queries chosen by ``policy``, reading answers from ``answers``.

    Parameters
    ----------
    model : PosteriorModel
        The model that scores queries and predicts (it may be miscalibrated).
    answers : array_like of int, shape (n_queries,)
        The answer bank of the hidden object: ``answers[q]`` is what query ``q`` returns (draw it with the
        *true* model, e.g. :meth:`NaiveBayesModel.sample_answers`).
    policy : {"ip", "random", "cip"} or callable, default "ip"
        "ip": :func:`ip_select`; "random": uniform over unasked queries; "cip": conformal IP
        (:func:`infokit.methods.pursuit.conformal.cip_select`, needs ``calibration``); a callable gets
        ``(model, history, candidate_queries, rng)`` and returns a query.
    budget : int, default 10
        Maximum number of queries.
    stop_probability : float in (0, 1], optional
        Stop once :math:`\\max_y \\hat p(y\\mid h) \\ge` this (the :math:`1-\\epsilon` rule); never by default.
    calibration : ConformalCalibration, optional
        Needed by ``policy="cip"``; must cover history lengths up to ``budget``.
    criterion : {"bound", "set_size"}, default "bound"
        The C-IP utility (see :func:`~infokit.methods.pursuit.conformal.conformal_query_utility`).
    candidates : array_like of int, optional
        Restrict the query bank.
    random_state : None, int or numpy Generator
        For the random policy (and callables that use it).

    Returns
    -------
    Episode

    Examples
    --------
    Eight classes coded by three bits: IP needs exactly three noiseless questions.

    >>> codes = [[(y >> j) & 1 for j in range(3)] for y in range(8)]
    >>> ep = run_episode(NaiveBayesModel(codes), codes[5], budget=3)
    >>> ep.prediction, sorted(ep.queries)
    (5, [0, 1, 2])
    """
    model = _check_model(model)
    bank = np.asarray(answers)
    if bank.shape != (model.n_queries,):
        raise ShapeMismatchError(
            f"`answers` must hold one answer per query, shape ({model.n_queries},); got shape {bank.shape}"
        )
    if bank.dtype.kind not in "iub" or (bank.size and (bank.min() < 0 or bank.max() >= model.n_answers)):
        raise InvalidParameterError(f"`answers` must be integers in 0..{model.n_answers - 1}")
    budget = check_positive_int(budget, "budget", minimum=0)
    if stop_probability is not None:
        stop_probability = check_probability(stop_probability, "stop_probability")
        if stop_probability == 0:
            raise InvalidParameterError("`stop_probability` must be in (0, 1]; got 0 (that stops before asking)")
    if policy == "cip" and calibration is not None and calibration.max_length < budget:
        raise InvalidParameterError(
            f"`calibration` covers histories up to length {calibration.max_length} but `budget` is {budget}; "
            f"calibrate with max_length >= {budget}"
        )
    select = _resolve_policy(policy, calibration, criterion)
    rng = check_random_state(random_state)
    h: tuple = ()
    preds = np.empty(budget + 1, dtype=np.int64)
    pmax = np.empty(budget + 1)
    stopped = False
    k = 0
    while True:
        post = np.exp(model.log_posterior(h))
        preds[k], pmax[k] = int(np.argmax(post)), float(post.max())
        if k == budget:
            break
        if stop_probability is not None and pmax[k] >= stop_probability:
            stopped = True
            preds[k + 1:], pmax[k + 1:] = preds[k], pmax[k]
            break
        pool = _candidates(model, h, candidates)
        if not pool:
            preds[k + 1:], pmax[k + 1:] = preds[k], pmax[k]
            break
        q = int(select(model, h, pool, rng))
        if q not in pool:
            raise InvalidParameterError(f"`policy` returned query {q!r}, which is not an unasked candidate")
        h = h + ((q, int(bank[q])),)
        k += 1
    preds.setflags(write=False)
    pmax.setflags(write=False)
    return Episode(tuple(q for q, _ in h), tuple(a for _, a in h), preds, pmax, int(preds[-1]), stopped)


def accuracy_curve(model, labels, answers, *, policy="ip", budget=10, calibration=None, criterion="bound",
                   random_state=None) -> np.ndarray:
    """Accuracy after k = 0..budget queries over many episodes: the fraction with prediction == label.

    Parameters
    ----------
    model : PosteriorModel
    labels : array_like of int, shape (n,)
        Hidden labels.
    answers : array_like of int, shape (n, n_queries)
        One answer bank per episode.
    policy, budget, calibration, criterion, random_state
        As in :func:`run_episode` (one generator is shared by the episodes, in order).

    Returns
    -------
    ndarray of shape (budget + 1,)

    Examples
    --------
    >>> codes = [[(y >> j) & 1 for j in range(2)] for y in range(4)]
    >>> accuracy_curve(NaiveBayesModel(codes), [0, 1, 2, 3], codes, budget=2).tolist()
    [0.25, 0.5, 1.0]
    """
    model = _check_model(model)
    lab = _labels(labels, model.n_classes, "labels")
    bank = np.asarray(answers)
    if bank.ndim != 2 or bank.shape != (lab.size, model.n_queries):
        raise ShapeMismatchError(
            f"`answers` must have shape (len(labels), n_queries) = ({lab.size}, {model.n_queries}); "
            f"got {bank.shape}"
        )
    rng = check_random_state(random_state)
    hits = np.zeros(check_positive_int(budget, "budget", minimum=0) + 1)
    for y, bank_i in zip(lab, bank):
        ep = run_episode(model, bank_i, policy=policy, budget=budget, calibration=calibration, criterion=criterion,
                         random_state=rng)
        hits += ep.predictions == y
    return hits / max(lab.size, 1)


PolicyCallable = Callable[[PosteriorModel, tuple, list, np.random.Generator], int]
