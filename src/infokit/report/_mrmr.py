r"""Minimum-redundancy maximum-relevance (mRMR) ordering, shared by the report and :mod:`infokit.sklearn`.

Greedy forward selection of Peng, Long & Ding (2005): the first feature maximises the relevance
:math:`I(f;c)`; each next one maximises, over the features :math:`f` not yet chosen,

.. math::  \text{MID: } I(f;c) - \frac{1}{|S|}\sum_{s\in S} I(f;s)
           \qquad\text{or}\qquad
           \text{MIQ: } I(f;c) \,/\, \frac{1}{|S|}\sum_{s\in S} I(f;s)

with :math:`S` the features already chosen: the incremental mRMR search of [1]_ (Sect. 2.3) in its
"difference" (MID) and "quotient" (MIQ) forms [2]_.

References
----------
.. [1] Peng, H., Long, F. & Ding, C. (2005). Feature selection based on mutual information: criteria of
   max-dependency, max-relevance, and min-redundancy. IEEE TPAMI 27(8), 1226–1238. doi:10.1109/TPAMI.2005.159
.. [2] Ding, C. & Peng, H. (2005). Minimum redundancy feature selection from microarray gene expression
   data. Journal of Bioinformatics and Computational Biology 3(2), 185–205. doi:10.1142/S0219720005001004
"""

from __future__ import annotations

import numpy as np

from ..exceptions import InvalidParameterError

__all__ = ["mrmr_order", "CRITERIA"]

CRITERIA = ("difference", "quotient")


def mrmr_order(relevance, redundancy, n_select=None, *, criterion: str = "difference"):
    """Greedy mRMR order.

    Parameters
    ----------
    relevance : array_like, shape (m,)
        :math:`I(f;c)` of each candidate feature with the target.
    redundancy : callable or array_like, shape (m, m)
        :math:`I(f;s)` between features: a symmetric matrix (the diagonal is never read), or a callable
        ``redundancy(s, candidates) -> array`` returning :math:`I(f;s)` for each candidate index (called once
        per selected feature ``s``, so only the needed pairs are estimated).
    n_select : int, optional
        How many features to order (default all ``m``).
    criterion : {"difference", "quotient"}
        MID or MIQ.

    Returns
    -------
    order : list of int
        Candidate indices in selection order.
    scores : list of float
        The criterion value of each feature when it was selected (the first is its relevance).
    mean_redundancy : list of float
        The mean redundancy with the already selected features at that moment (0 for the first).

    Notes
    -----
    Ties are broken by the lower index (pass candidates sorted by relevance for "the more relevant first").

    # Deviation from [2]: the quotient criterion divides by max(mean redundancy, 0.01 × the largest relevance),
    # because estimated MIs (unlike the plug-in values of [2]) can be 0 or slightly negative, and dividing by
    # them would rank a pure-noise feature first.
    """
    rel = np.asarray(relevance, dtype=np.float64)
    if rel.ndim != 1 or rel.size == 0:
        raise InvalidParameterError(f"`relevance` must be a non-empty 1-D array; got shape {rel.shape}")
    if not np.all(np.isfinite(rel)):
        raise InvalidParameterError("`relevance` must be finite; estimate every feature's MI first")
    if criterion not in CRITERIA:
        raise InvalidParameterError(f"`criterion` must be one of {{'difference', 'quotient'}}; got {criterion!r}")
    m = rel.size
    n_select = m if n_select is None else int(n_select)
    if not 1 <= n_select <= m:
        raise InvalidParameterError(f"`n_select` must be between 1 and {m} (the candidates); got {n_select}")
    if callable(redundancy):
        fetch = redundancy
    else:
        mat = np.asarray(redundancy, dtype=np.float64)
        if mat.shape != (m, m):
            raise InvalidParameterError(f"`redundancy` must be a ({m}, {m}) matrix; got shape {mat.shape}")

        def fetch(s, cand):
            return mat[s, cand]

    floor = 0.01 * max(float(rel.max()), 1e-12)
    remaining = np.ones(m, dtype=bool)
    red_sum = np.zeros(m)
    first = int(np.argmax(rel))  # argmax returns the lowest index among ties
    order, scores, means = [first], [float(rel[first])], [0.0]
    remaining[first] = False
    while len(order) < n_select:
        cand = np.flatnonzero(remaining)
        vals = np.asarray(fetch(order[-1], cand), dtype=np.float64).reshape(-1)
        if vals.size != cand.size or not np.all(np.isfinite(vals)):
            raise InvalidParameterError(
                f"the redundancy of feature {order[-1]} with the candidates must be {cand.size} finite numbers"
            )
        red_sum[cand] += vals
        mean = red_sum[cand] / len(order)
        if criterion == "difference":
            score = rel[cand] - mean
        else:
            score = rel[cand] / np.maximum(mean, floor)
        j = int(np.argmax(score))
        best = int(cand[j])
        order.append(best)
        scores.append(float(score[j]))
        means.append(float(mean[j]))
        remaining[best] = False
    return order, scores, means
