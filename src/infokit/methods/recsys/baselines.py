"""Baselines for implicit-feedback recommendation beside Mult-VAE: item popularity and EASE (Steck 2019) [2]_.
numpy only.

References
----------
.. [1] Liang, D., Krishnan, R. G., Hoffman, M. D., Jebara, T. (2018). Variational Autoencoders for
   Collaborative Filtering. WWW 2018. arXiv:1802.05814.
.. [2] Steck, H. (2019). Embarrassingly Shallow Autoencoders for Sparse Data. WWW 2019. arXiv:1905.03375.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from ..._validation import check_nonneg_float
from ...exceptions import ShapeMismatchError
from .data import _check_click_matrix

__all__ = ["popularity_scores", "ease_weights", "ease_scores"]


def popularity_scores(train, n_users: int | None = None) -> np.ndarray:
    """Score every item by its number of training clicks (the same list for every user).

    Parameters
    ----------
    train : array_like or scipy.sparse matrix, shape (n_train_users, n_items)
        Training clicks.
    n_users : int, optional
        Rows of the returned matrix (one per user to score); default: a single row of shape (1, n_items).

    Returns
    -------
    numpy.ndarray, shape (n_users, n_items)
        Item click counts, broadcast to ``n_users`` rows (mask the fold-in items at ranking time).
    """
    x = _check_click_matrix(train, "train")
    pop = (x > 0).sum(axis=0).astype(np.float64)
    rows = 1 if n_users is None else int(n_users)
    return np.tile(pop, (rows, 1))


def ease_weights(train, *, l2: float = 300.0) -> np.ndarray:
    r"""EASE weights :math:`B = I - P\,\mathrm{diag}(1/\mathrm{diag} P)` with :math:`P = (X^\top X + \lambda I)^{-1}`.

    The closed-form solution of :math:`\min_B \|X - XB\|_F^2 + \lambda\|B\|_F^2` subject to
    :math:`\mathrm{diag}(B) = 0` (the closed form derived in [2]_).

    Parameters
    ----------
    train : array_like or scipy.sparse matrix, shape (n_users, n_items)
        Training clicks X.
    l2 : float
        :math:`\lambda > 0` (300 is a good value on ML-100K; Steck uses 500 on ML-20M).

    Returns
    -------
    numpy.ndarray, shape (n_items, n_items)
        B with zero diagonal. Column j holds the ridge coefficients of item j regressed on the other items.
    """
    x = _check_click_matrix(train, "train")
    lam = check_nonneg_float(l2, "l2", strict=True)
    g = x.T @ x
    g[np.diag_indices_from(g)] += lam
    p = linalg.inv(g, check_finite=False, overwrite_a=True)
    b = -p / np.diag(p)[None, :]
    b[np.diag_indices_from(b)] = 0.0
    return b


def ease_scores(weights, foldin) -> np.ndarray:
    """Scores ``foldin @ B`` of held-out users from their fold-in clicks (mask the fold-in items when ranking)."""
    b = np.asarray(weights, dtype=np.float64)
    x = _check_click_matrix(foldin, "foldin")
    if b.ndim != 2 or b.shape[0] != b.shape[1] or b.shape[0] != x.shape[1]:
        raise ShapeMismatchError(
            f"`weights` must be (n_items, n_items) with n_items = {x.shape[1]} (columns of `foldin`); "
            f"got shape {b.shape}"
        )
    return x @ b
