r"""scikit-learn face of infokit: an MI score function for ``SelectKBest`` and an mRMR selector.

* :func:`mutual_info_scorer` — ``SelectKBest(score_func=mutual_info_scorer(...))``: each feature's MI with
  the target by infokit's estimators (bias-corrected discrete estimators, KSG, Ross, Gao, ...), optionally
  with permutation p-values;
* :class:`MRMRSelector` — minimum-redundancy maximum-relevance forward selection [1]_ as a transformer
  (``fit`` / ``transform`` / ``get_feature_names_out``), usable in a ``Pipeline``.

Importing this module imports scikit-learn; ``import infokit`` does not.

References
----------
.. [1] Peng, H., Long, F. & Ding, C. (2005). Feature selection based on mutual information: criteria of
   max-dependency, max-relevance, and min-redundancy. IEEE TPAMI 27(8), 1226–1238. doi:10.1109/TPAMI.2005.159
"""

from __future__ import annotations

import numbers

import numpy as np

try:
    from sklearn.base import BaseEstimator
    from sklearn.feature_selection import SelectorMixin
    from sklearn.utils.multiclass import type_of_target
    from sklearn.utils.validation import check_array, check_is_fitted
except ImportError as exc:  # pragma: no cover - exercised only without scikit-learn
    raise ImportError(
        "infokit.sklearn needs scikit-learn, which is not installed; install it with `pip install scikit-learn`"
    ) from exc

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data as _validate_data
except ImportError:  # pragma: no cover - older scikit-learn
    def _validate_data(est, X, y="no_validation", **kw):
        kw.pop("ensure_all_finite", None)
        return est._validate_data(X, y, **kw)

from ._units import check_base
from .exceptions import InvalidParameterError
from .report._mrmr import CRITERIA, mrmr_order

__all__ = ["mutual_info_scorer", "MutualInfoScorer", "MRMRSelector"]

_MIN_SAMPLES = 5  # below this, no MI estimator (k = 3 neighbours, bootstrap, ...) has anything to work with


# --------------------------------------------------------------------------------------------- helpers
def _discrete_mask(spec, X, name="discrete_features") -> np.ndarray:
    """Per-column discrete flags from "auto" / bool / boolean mask / indices (scikit-learn's conventions)."""
    d = X.shape[1]
    if isinstance(spec, str):
        if spec != "auto":
            raise InvalidParameterError(
                f"`{name}` must be 'auto', a bool, a boolean mask or column indices; got {spec!r}")
        # "auto": infokit's dtype rule — integer / bool columns are discrete, float columns continuous
        return np.full(d, X.dtype.kind in "biu")
    if isinstance(spec, (bool, np.bool_)):
        return np.full(d, bool(spec))
    arr = np.asarray(spec)
    if arr.dtype == bool:
        if arr.shape != (d,):
            raise InvalidParameterError(f"`{name}` as a boolean mask must have {d} entries; got shape {arr.shape}")
        return arr.copy()
    if arr.dtype.kind in "iu":
        mask = np.zeros(d, dtype=bool)
        if arr.size and (arr.min() < -d or arr.max() >= d):
            raise InvalidParameterError(f"`{name}` indices must lie in [0, {d}); got {arr.tolist()}")
        mask[arr] = True
        return mask
    raise InvalidParameterError(f"`{name}` must be 'auto', a bool, a boolean mask or column indices; got {spec!r}")


def _target_discrete(spec, y) -> bool:
    if isinstance(spec, (bool, np.bool_)):
        return bool(spec)
    if spec != "auto":
        raise InvalidParameterError(f"`discrete_target` must be 'auto', True or False; got {spec!r}")
    kind = type_of_target(y)
    if kind == "unknown":
        raise InvalidParameterError(
            f"Unknown label type of `y` (dtype {np.asarray(y).dtype}): expected class labels or numbers; "
            "convert `y` to numbers or strings")
    if kind in ("binary", "multiclass"):
        return True
    if kind == "continuous":
        return False
    raise InvalidParameterError(
        f"`y` must be a 1-D target (classes or a continuous response); got a {kind!r} target; pass one target "
        "column")


def _mi(a, b, da, db, *, method, k, base, permutations=None, random_state=None):
    from .estimators import estimate_mutual_information

    return estimate_mutual_information(a, b, method=method, discrete=[bool(da), bool(db)], k=k, base=base,
                                       permutations=permutations, random_state=random_state)


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
        raise InvalidParameterError(f"`k` must be an integer >= 1; got {k!r}")


# --------------------------------------------------------------------------------------------- scorer
class MutualInfoScorer:
    """Score function for ``SelectKBest`` / ``SelectPercentile``: MI of each feature with the target.

    Made by :func:`mutual_info_scorer`; ``scorer(X, y)`` returns the scores (and the p-values when
    ``permutations`` is set). Picklable.
    """

    def __init__(self, *, method="auto", discrete_features="auto", discrete_target="auto", k=3, base=None,
                 permutations=None, random_state=None):
        _check_k(k)
        check_base(base)
        if permutations is not None and (isinstance(permutations, bool)
                                         or not isinstance(permutations, numbers.Integral) or permutations < 1):
            raise InvalidParameterError(f"`permutations` must be None or an integer >= 1; got {permutations!r}")
        self.method = method
        self.discrete_features = discrete_features
        self.discrete_target = discrete_target
        self.k = k
        self.base = base
        self.permutations = permutations
        self.random_state = random_state

    def __repr__(self):
        return (f"mutual_info_scorer(method={self.method!r}, discrete_features={self.discrete_features!r}, "
                f"discrete_target={self.discrete_target!r}, k={self.k}, base={self.base!r}, "
                f"permutations={self.permutations!r}, random_state={self.random_state!r})")

    def __call__(self, X, y):
        X = check_array(X, dtype=None if np.asarray(X).dtype.kind in "biu" else "numeric")
        y = np.asarray(y)
        if y.ndim != 1 or y.shape[0] != X.shape[0]:
            raise InvalidParameterError(
                f"`y` must be 1-D with one entry per row of `X` ({X.shape[0]}); got shape {y.shape}")
        if X.shape[0] < _MIN_SAMPLES:
            raise InvalidParameterError(
                f"mutual information needs at least {_MIN_SAMPLES} samples; got n_samples = {X.shape[0]}")
        disc = _discrete_mask(self.discrete_features, X)
        dy = _target_discrete(self.discrete_target, y)
        rng = np.random.default_rng(self.random_state) if self.permutations else None
        scores = np.empty(X.shape[1])
        pvalues = np.empty(X.shape[1]) if self.permutations else None
        for j in range(X.shape[1]):
            seed = None if rng is None else int(rng.integers(2**63))
            r = _mi(X[:, j], y, disc[j], dy, method=self.method, k=self.k, base=self.base,
                    permutations=self.permutations, random_state=seed)
            if pvalues is not None:
                scores[j], pvalues[j] = r.value, r.pvalue
            else:
                scores[j] = float(r)
        return (scores, pvalues) if pvalues is not None else scores


def mutual_info_scorer(X=None, y=None, /, *, method="auto", discrete_features="auto", discrete_target="auto",
                       k=3, base=None, permutations=None, random_state=None):
    r"""MI score function for scikit-learn's ``SelectKBest``: :math:`s_j = \hat I(X_j; y)`.

    Called with keyword arguments only, it returns a picklable scorer; called as ``mutual_info_scorer(X, y)``
    (which is how ``SelectKBest(score_func=mutual_info_scorer)`` calls it) it returns the scores at once.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features), optional
    y : array_like, shape (n_samples,), optional
    method : str
        An infokit MI method (``"auto"``: Chao–Wang–Jost for discrete pairs, KSG for continuous ones, Ross for
        a discrete–continuous pair; see :func:`infokit.estimate_mutual_information`).
    discrete_features : "auto", bool, boolean mask or indices
        Which columns of ``X`` are discrete. ``"auto"``: integer / bool ``X`` is discrete, float ``X`` continuous.
    discrete_target : "auto" or bool
        ``"auto"``: discrete when scikit-learn's ``type_of_target(y)`` is "binary" or "multiclass".
    k : int
        Neighbours of the kNN estimators.
    base : float, optional
        Units of the scores: ``None`` (nats, like ``mutual_info_classif``) or 2 (bits).
    permutations : int, optional
        Also return permutation p-values (``SelectKBest`` stores them in ``pvalues_``).
    random_state : None, int or numpy.random.Generator
        Seed of the permutations.

    Returns
    -------
    MutualInfoScorer, or scores : ndarray (and pvalues : ndarray with ``permutations``)

    Notes
    -----
    Scores are estimates and are not clipped at 0 (scikit-learn's ``mutual_info_classif`` clips): a small
    negative score means "no detectable dependence".

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.feature_selection import SelectKBest
    >>> from infokit.sklearn import mutual_info_scorer
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 300)
    >>> X = np.column_stack([rng.integers(0, 2, 300), y, rng.integers(0, 3, 300)])
    >>> sel = SelectKBest(mutual_info_scorer(base=2), k=1).fit(X, y)
    >>> sel.get_support().tolist(), round(float(sel.scores_[1]), 2)
    ([False, True, False], 1.0)
    """
    scorer = MutualInfoScorer(method=method, discrete_features=discrete_features, discrete_target=discrete_target,
                              k=k, base=base, permutations=permutations, random_state=random_state)
    if X is None and y is None:
        return scorer
    if X is None or y is None:
        raise InvalidParameterError("pass both `X` and `y` to score them, or neither to get a scorer")
    return scorer(X, y)


# --------------------------------------------------------------------------------------------- mRMR
class MRMRSelector(SelectorMixin, BaseEstimator):
    r"""Minimum-redundancy maximum-relevance feature selection (mRMR) with infokit's MI estimators.

    Greedy forward selection [1]_: first the feature with the largest relevance :math:`I(X_j; y)`; then, at
    each step, the feature maximising :math:`I(X_j; y) - \frac{1}{|S|}\sum_{s\in S} I(X_j; X_s)`
    (``criterion="difference"``, MID) or the ratio of the two (``"quotient"``, MIQ), :math:`S` the features
    already selected. Only the MI between candidates and selected features is estimated.

    Parameters
    ----------
    n_features : int, float or None
        Features to select: an int (at most ``n_features_in_``), a float in (0, 1] (that fraction, rounded,
        at least 1), or None (half, rounded down, at least 1).
    method : str
        infokit MI method for relevance and redundancy (``"auto"``: chosen per pair by the data types).
    criterion : {"difference", "quotient"}
    discrete_features : "auto", bool, boolean mask or indices
        Which columns are discrete (``"auto"``: integer / bool ``X`` is discrete, float ``X`` continuous).
    discrete_target : "auto" or bool
        ``"auto"``: discrete when ``type_of_target(y)`` is "binary" or "multiclass".
    k : int
        Neighbours of the kNN estimators.
    base : float, optional
        Units of ``relevance_`` and ``mrmr_scores_`` (None: nats).

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        When ``X`` has string column names.
    n_features_ : int
        Number of features selected.
    ranking_ : ndarray of int
        Indices of the selected features, in selection order (``transform`` keeps the original column order).
    relevance_ : ndarray, shape (n_features_in_,)
        :math:`\hat I(X_j; y)` of every feature.
    mrmr_scores_ : ndarray, shape (n_features_,)
        The criterion of each selected feature when it was picked (the first is its relevance).
    mean_redundancy_ : ndarray, shape (n_features_,)
        Its mean MI with the features picked before it.
    support_ : ndarray of bool, shape (n_features_in_,)

    References
    ----------
    .. [1] Peng, H., Long, F. & Ding, C. (2005). Feature selection based on mutual information: criteria of
       max-dependency, max-relevance, and min-redundancy. IEEE TPAMI 27(8), 1226–1238.

    Examples
    --------
    y = 2a + b for two fair bits a, b: each carries 1 bit about y. A copy of a is redundant, so mRMR takes b
    second (plug-in MI: the copy scores 1 - I(a; a) = 0 bits, b scores 1 - I(b; a) = 1 bit):

    >>> import numpy as np
    >>> from infokit.sklearn import MRMRSelector
    >>> a, b = np.repeat([0, 0, 1, 1], 100), np.repeat([0, 1, 0, 1], 100)
    >>> X = np.column_stack([a, a, b])
    >>> sel = MRMRSelector(n_features=2, method="plugin", base=2).fit(X, 2 * a + b)
    >>> sel.ranking_.tolist(), sel.mrmr_scores_.round(6).tolist()
    ([0, 2], [1.0, 1.0])
    """

    def __init__(self, n_features=None, method="auto", *, criterion="difference", discrete_features="auto",
                 discrete_target="auto", k=3, base=None):
        self.n_features = n_features
        self.method = method
        self.criterion = criterion
        self.discrete_features = discrete_features
        self.discrete_target = discrete_target
        self.k = k
        self.base = base

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags

    def _n_select(self, d: int) -> int:
        n = self.n_features
        if n is None:
            return max(1, d // 2)
        if isinstance(n, (bool, np.bool_)):
            raise InvalidParameterError(f"`n_features` must be an int, a float in (0, 1] or None; got {n!r}")
        if isinstance(n, numbers.Integral):
            if not 1 <= n <= d:
                raise InvalidParameterError(
                    f"`n_features` must be between 1 and the number of features ({d}); got {n}")
            return int(n)
        if isinstance(n, numbers.Real) and 0 < n <= 1:
            return max(1, int(round(n * d)))
        raise InvalidParameterError(f"`n_features` must be an int, a float in (0, 1] or None; got {n!r}")

    def fit(self, X, y):
        """Rank the features by mRMR and keep the first ``n_features``.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features_in)
        y : array_like, shape (n_samples,)

        Returns
        -------
        self
        """
        X, y = _validate_data(self, X, y, dtype=None if np.asarray(X).dtype.kind in "biu" else "numeric",
                              ensure_all_finite=True)
        if self.criterion not in CRITERIA:
            raise InvalidParameterError(
                f"`criterion` must be one of {{'difference', 'quotient'}}; got {self.criterion!r}")
        _check_k(self.k)
        check_base(self.base)
        n, d = X.shape
        if n < _MIN_SAMPLES:
            raise InvalidParameterError(
                f"MRMRSelector needs at least {_MIN_SAMPLES} samples to estimate mutual information; "
                f"got n_samples = {n}")
        n_sel = self._n_select(d)
        disc = _discrete_mask(self.discrete_features, X)
        dy = _target_discrete(self.discrete_target, y)
        kw = dict(method=self.method, k=self.k, base=self.base)
        relevance = np.array([float(_mi(X[:, j], y, disc[j], dy, **kw)) for j in range(d)])

        def redundancy(s, cand):
            return np.array([float(_mi(X[:, c], X[:, s], disc[c], disc[s], **kw)) for c in cand])

        order, scores, means = mrmr_order(relevance, redundancy, n_sel, criterion=self.criterion)
        self.relevance_ = relevance
        self.ranking_ = np.asarray(order, dtype=np.intp)
        self.mrmr_scores_ = np.asarray(scores)
        self.mean_redundancy_ = np.asarray(means)
        self.n_features_ = int(n_sel)
        support = np.zeros(d, dtype=bool)
        support[self.ranking_] = True
        self.support_ = support
        return self

    def _get_support_mask(self):
        check_is_fitted(self, "support_")
        return self.support_
