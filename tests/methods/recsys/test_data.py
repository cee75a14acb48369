"""MovieLens-100K loading (from the recbole wheel, without importing recbole) and the strong-generalisation split."""

import sys

import numpy as np
import pytest

from infokit.exceptions import InfokitError
from infokit.methods.recsys.data import (
    Interactions,
    binarize_interactions,
    load_movielens_100k,
    movielens_100k_path,
    strong_generalization_split,
)


def _synthetic(seed=0, n_users=60, n_items=30):
    rng = np.random.default_rng(seed)
    rows = [(u, i, float(rng.integers(1, 6))) for u in range(n_users) for i in range(n_items) if rng.random() < 0.5]
    a = np.array(rows)
    return Interactions(user=a[:, 0].astype(np.int64) + 1000, item=a[:, 1].astype(np.int64) + 7, rating=a[:, 2])


def test_binarize_keeps_ratings_above_threshold_and_active_users():
    data = Interactions(user=np.array([1, 1, 1, 2, 2, 2, 2, 2, 2]), item=np.array([1, 2, 3, 1, 2, 3, 4, 5, 6]),
                        rating=np.array([5, 4, 3, 4, 4, 4, 4, 4, 1.0]))
    out = binarize_interactions(data, threshold=3.5, min_user_count=3)
    # user 1 keeps 2 clicks (< 3) and is dropped; user 2 keeps 5 ratings > 3.5
    np.testing.assert_array_equal(out.user, [2, 2, 2, 2, 2])
    np.testing.assert_array_equal(out.item, [1, 2, 3, 4, 5])
    assert np.all(out.rating == 1.0)
    np.testing.assert_array_equal(data.rating[:3], [5, 4, 3])  # input untouched


def test_split_partitions_users_and_clicks():
    data = binarize_interactions(_synthetic(), threshold=2.5)
    s = strong_generalization_split(data, n_heldout_users=10, random_state=5)
    users = np.concatenate([s.train_user_ids, s.val_user_ids, s.test_user_ids])
    assert len(set(users.tolist())) == users.size  # disjoint users
    assert s.train.shape[0] == np.unique(data.user).size - 20
    for fo, ho in ((s.val_foldin, s.val_heldout), (s.test_foldin, s.test_heldout)):
        assert fo.shape == ho.shape and fo.shape[1] == s.n_items
        assert fo.multiply(ho).nnz == 0  # fold-in and targets never overlap
        n = np.asarray((fo + ho).sum(axis=1)).ravel()
        # each held-out user has int(0.2 n) targets (all have n >= 5 here)
        np.testing.assert_array_equal(np.asarray(ho.sum(axis=1)).ravel(), (0.2 * n).astype(int))
    # items are those clicked by training users
    tr_items = set(data.item[np.isin(data.user, s.train_user_ids)].tolist())
    assert set(s.item_ids.tolist()) == tr_items


def test_split_is_deterministic_under_seed_and_changes_with_it():
    data = binarize_interactions(_synthetic(1), threshold=2.5)
    a = strong_generalization_split(data, n_heldout_users=8, random_state=3)
    b = strong_generalization_split(data, n_heldout_users=8, random_state=3)
    c = strong_generalization_split(data, n_heldout_users=8, random_state=4)
    np.testing.assert_array_equal(a.test_user_ids, b.test_user_ids)
    assert (a.test_heldout != b.test_heldout).nnz == 0
    assert not np.array_equal(a.test_user_ids, c.test_user_ids)


def test_split_errors():
    data = binarize_interactions(_synthetic(), threshold=2.5)
    with pytest.raises(InfokitError, match="`n_heldout_users` must leave training users"):
        strong_generalization_split(data, n_heldout_users=30)
    with pytest.raises(InfokitError, match="`heldout_fraction` must be strictly between 0 and 1"):
        strong_generalization_split(data, n_heldout_users=5, heldout_fraction=1.0)
    with pytest.raises(TypeError, match="`data` must be an Interactions"):
        strong_generalization_split(np.zeros((3, 3)), n_heldout_users=1)


def test_missing_file_message(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_movielens_100k(tmp_path / "nope.inter")


ML100K = movielens_100k_path()


@pytest.mark.skipif(ML100K is None, reason="recbole wheel (MovieLens-100K) not installed")
def test_movielens_100k_counts_and_preprocessing():
    had_recbole = "recbole" in sys.modules
    data = load_movielens_100k()
    assert ("recbole" in sys.modules) == had_recbole  # reading the file never imports recbole
    # the GroupLens release: 100,000 ratings by 943 users on 1,682 items
    assert len(data) == 100_000
    assert np.unique(data.user).size == 943 and np.unique(data.item).size == 1682
    clicks = binarize_interactions(data)
    # notes §13.3 [computed]: rating > 3.5 and >= 5 clicks per user leaves 55,361 events by 938 users
    assert len(clicks) == 55_361 and np.unique(clicks.user).size == 938
    s = strong_generalization_split(clicks, n_heldout_users=100)
    assert s.train.shape[0] == 738 and s.test_foldin.shape[0] <= 100
