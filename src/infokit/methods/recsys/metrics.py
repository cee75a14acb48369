"""Ranking metrics of Liang et al. (2018) [1]_: Recall@R normalised by min(R, #relevant) and NDCG@k
with binary relevance. numpy only.

References
----------
.. [1] Liang, D., Krishnan, R. G., Hoffman, M. D., Jebara, T. (2018). Variational Autoencoders for
   Collaborative Filtering. WWW 2018. arXiv:1802.05814.
"""

from __future__ import annotations

import numpy as np

from ..._validation import check_positive_int
from ...exceptions import InvalidSampleError, ShapeMismatchError
from .data import _check_click_matrix

__all__ = ["top_k_items", "recall_at_k", "ndcg_at_k"]


def _check_scores(scores, exclude):
    s = _check_click_matrix_scores(scores)
    if exclude is not None:
        ex = _check_click_matrix(exclude, "exclude")
        if ex.shape != s.shape:
            raise ShapeMismatchError(
                f"`exclude` must have the shape of `scores` {s.shape} (users, items); got {ex.shape}"
            )
        s[ex > 0] = -np.inf
    return s


def _check_click_matrix_scores(scores):
    from scipy import sparse

    if sparse.issparse(scores):
        scores = scores.toarray()
    s = np.array(scores, dtype=np.float64)  # a copy: masking below never touches the caller's array
    if s.ndim != 2:
        raise ShapeMismatchError(f"`scores` must be 2-D (users, items); got shape {s.shape}")
    if np.any(np.isnan(s)):
        raise InvalidSampleError("`scores` must not contain NaN; check the model's output")
    return s


def _ranked(s: np.ndarray, k: int):
    """Top-k column indices per row, best first; ties broken by the lower item index (stable sort).

    Entries scored -inf (excluded items) are reported as -1: they are never recommended.
    """
    k = min(k, s.shape[1])
    idx = np.argsort(-s, axis=1, kind="stable")[:, :k]
    top = np.where(np.isneginf(np.take_along_axis(s, idx, axis=1)), -1, idx)
    return top


def top_k_items(scores, k: int, *, exclude=None) -> np.ndarray:
    """Indices of the ``k`` best-scored items per user, best first, never an ``exclude``-d (fold-in) item.

    Parameters
    ----------
    scores : array_like, shape (n_users, n_items)
        Model scores (logits, predicted counts, ...); larger = better.
    k : int
        List length; capped at ``n_items``.
    exclude : array_like or scipy.sparse matrix, shape (n_users, n_items), optional
        Non-zero entries (the fold-in clicks) are removed from the ranking.

    Returns
    -------
    numpy.ndarray of int, shape (n_users, min(k, n_items))
        Item indices; ``-1`` pads the list when fewer than ``k`` items remain after exclusion. Ties are broken
        by the lower item index.
    """
    k = check_positive_int(k, "k")
    return _ranked(_check_scores(scores, exclude), k)


def _hits(scores, heldout, k, exclude):
    s = _check_scores(scores, exclude)
    h = _check_click_matrix(heldout, "heldout") > 0
    if h.shape != s.shape:
        raise ShapeMismatchError(f"`heldout` must have the shape of `scores` {s.shape} (users, items); got {h.shape}")
    n_rel = h.sum(axis=1)
    if np.any(n_rel == 0):
        bad = np.flatnonzero(n_rel == 0)
        raise InvalidSampleError(
            f"every user needs at least one held-out item; rows {bad[:5].tolist()}{' ...' if bad.size > 5 else ''} "
            "of `heldout` are empty (the metrics' denominators would be 0); drop those users"
        )
    top = _ranked(s, k)
    hit = np.take_along_axis(h, np.maximum(top, 0), axis=1) & (top >= 0)
    return hit, n_rel


def recall_at_k(scores, heldout, k: int, *, exclude=None) -> np.ndarray:
    r"""Per-user Recall@R = |top-R ∩ held-out| / min(R, |held-out|) ([1]_).

    Parameters
    ----------
    scores : array_like, shape (n_users, n_items)
        Scores; larger = better.
    heldout : array_like or scipy.sparse matrix, shape (n_users, n_items)
        Non-zero entries are the relevant (held-out) items; every user needs at least one.
    k : int
        R, the list length.
    exclude : array_like or scipy.sparse matrix, optional
        Fold-in items, removed from the ranking before the cut.

    Returns
    -------
    numpy.ndarray, shape (n_users,)
        Values in [0, 1]; average them for the paper's number.

    Notes
    -----
    .. math:: \mathrm{Recall@}R(u) = \frac{\sum_{r=1}^{R} \mathbb{1}[\omega(r) \in I_u]}{\min(R, |I_u|)}

    with :math:`\omega(r)` the item at rank :math:`r` and :math:`I_u` the held-out items of user :math:`u`.
    The min in the denominator (not :math:`|I_u|`) makes 1 attainable: a user with 3 held-out items all in
    the top 20 has recall 1.

    Examples
    --------
    >>> recall_at_k([[0.9, 0.8, 0.1, 0.0]], [[1, 0, 0, 1]], 2)  # 1 of 2 relevant in the top 2: 1 / min(2, 2)
    array([0.5])
    """
    k = check_positive_int(k, "k")
    hit, n_rel = _hits(scores, heldout, k, exclude)
    return hit.sum(axis=1) / np.minimum(k, n_rel)


def ndcg_at_k(scores, heldout, k: int, *, exclude=None) -> np.ndarray:
    r"""Per-user NDCG@k with binary relevance: DCG@k / IDCG@k, IDCG over min(k, |held-out|) hits ([1]_).

    Parameters
    ----------
    scores, heldout, k, exclude
        As in :func:`recall_at_k`.

    Returns
    -------
    numpy.ndarray, shape (n_users,)
        Values in [0, 1]; 1 for a ranking that puts held-out items first.

    Notes
    -----
    .. math:: \mathrm{DCG@}k(u) = \sum_{r=1}^{k} \frac{\mathbb{1}[\omega(r) \in I_u]}{\log_2(r + 1)},\qquad
              \mathrm{IDCG@}k(u) = \sum_{r=1}^{\min(k, |I_u|)} \frac{1}{\log_2(r + 1)}.

    Examples
    --------
    >>> ndcg_at_k([[0.9, 0.8, 0.1]], [[1, 1, 0]], 3)  # both relevant items ranked first: a perfect ranking
    array([1.])
    """
    k = check_positive_int(k, "k")
    hit, n_rel = _hits(scores, heldout, k, exclude)
    disc = 1.0 / np.log2(np.arange(2, hit.shape[1] + 2))
    dcg = hit @ disc
    idcg = np.cumsum(1.0 / np.log2(np.arange(2, k + 2)))[np.minimum(k, n_rel) - 1]
    return dcg / idcg
