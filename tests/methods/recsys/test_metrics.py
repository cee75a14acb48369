"""Recall@R (min-normalised) and NDCG@k of Liang et al. (2018), Sec. 4.3: known answers, a brute force, errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import sparse

from infokit.exceptions import InvalidSampleError, ShapeMismatchError, InfokitError
from infokit.methods.recsys.metrics import ndcg_at_k, recall_at_k, top_k_items


def _brute_metrics(scores, heldout, k, exclude):
    """Direct transcription of the definitions, one user at a time, ties broken by the lower index."""
    rec, nd = [], []
    for s, h, ex in zip(scores, heldout, exclude):
        cand = [i for i in sorted(range(len(s)), key=lambda i: (-s[i], i)) if not ex[i]][:k]
        rel = set(np.flatnonzero(h))
        hits = [1.0 if i in rel else 0.0 for i in cand]
        rec.append(sum(hits) / min(k, len(rel)))
        dcg = sum(hv / math.log2(r + 2) for r, hv in enumerate(hits))
        idcg = sum(1 / math.log2(r + 2) for r in range(min(k, len(rel))))
        nd.append(dcg / idcg)
    return np.array(rec), np.array(nd)


def test_ndcg_of_perfect_ranking_is_one():
    # held-out items scored above everything else: DCG = IDCG term by term
    heldout = np.array([[1, 0, 1, 0, 0, 1], [0, 1, 0, 0, 0, 0]])
    scores = heldout + 0.01 * np.arange(6)
    np.testing.assert_allclose(ndcg_at_k(scores, heldout, 3), [1.0, 1.0], rtol=0, atol=1e-15)  # exact arithmetic
    np.testing.assert_allclose(ndcg_at_k(scores, heldout, 100), [1.0, 1.0], rtol=0, atol=1e-15)


def test_ndcg_single_hit_at_rank_two_equals_inverse_log2_three():
    # one relevant item ranked 2nd: DCG = 1/log2(3), IDCG (min(k,1) = 1 term) = 1/log2(2) = 1
    scores = np.array([[0.9, 0.8, 0.1]])
    heldout = np.array([[0, 1, 0]])
    assert ndcg_at_k(scores, heldout, 2)[0] == pytest.approx(1 / math.log2(3), abs=1e-15)
    assert ndcg_at_k(scores, heldout, 1)[0] == 0.0  # cut before the hit


def test_recall_denominator_is_min_of_r_and_number_relevant():
    # 3 held-out items, all in the top 20 of a 30-item catalogue -> 3 / min(20, 3) = 1 (not 3/20)
    scores = -np.arange(30.0)[None, :]
    heldout = np.zeros((1, 30))
    heldout[0, [0, 5, 10]] = 1
    assert recall_at_k(scores, heldout, 20)[0] == 1.0
    # 25 held-out items, the top 20 are all relevant -> 20 / min(20, 25) = 1 (not 20/25)
    heldout2 = np.zeros((1, 30))
    heldout2[0, :25] = 1
    assert recall_at_k(scores, heldout2, 20)[0] == 1.0
    # 2 of 4 relevant in the top 3 -> 2 / min(3, 4) = 2/3
    heldout3 = np.zeros((1, 30))
    heldout3[0, [1, 2, 20, 21]] = 1
    assert recall_at_k(scores, heldout3, 3)[0] == pytest.approx(2 / 3, abs=1e-15)


def test_foldin_items_never_appear_in_ranking():
    scores = np.array([[5.0, 4.0, 3.0, 2.0, 1.0]])
    foldin = np.array([[1, 0, 1, 0, 0]])
    np.testing.assert_array_equal(top_k_items(scores, 3, exclude=foldin), [[1, 3, 4]])
    # with fewer candidates than k the list is padded with -1, never a fold-in item
    np.testing.assert_array_equal(top_k_items(scores, 5, exclude=foldin), [[1, 3, 4, -1, -1]])
    # excluding the top item turns a miss into a hit at rank 1
    assert ndcg_at_k(scores, np.array([[0, 1, 0, 0, 0]]), 1, exclude=np.array([[1, 0, 0, 0, 0]]))[0] == 1.0


def test_ties_broken_by_lower_index_and_inputs_not_mutated():
    scores = np.zeros((1, 4))
    foldin = sparse.csr_matrix(np.array([[0, 1, 0, 0]]))
    before = scores.copy()
    np.testing.assert_array_equal(top_k_items(scores, 4, exclude=foldin), [[0, 2, 3, -1]])
    np.testing.assert_array_equal(scores, before)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), k=st.integers(1, 12))
def test_metrics_match_brute_force_and_lie_in_unit_interval(seed, k):
    rng = np.random.default_rng(seed)
    n_users, n_items = 4, 10
    scores = rng.integers(0, 4, size=(n_users, n_items)).astype(float)  # small integers: many ties
    foldin = rng.random((n_users, n_items)) < 0.3
    heldout = (rng.random((n_users, n_items)) < 0.3) & ~foldin
    heldout[np.arange(n_users), rng.integers(0, n_items, n_users)] = True
    foldin &= ~heldout
    rec, nd = _brute_metrics(scores, heldout, k, foldin)
    # identical arithmetic order is not guaranteed (matrix product vs Python sum): 1e-12 covers rounding
    np.testing.assert_allclose(recall_at_k(scores, heldout, k, exclude=foldin), rec, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ndcg_at_k(scores, heldout, k, exclude=foldin), nd, rtol=0, atol=1e-12)
    assert np.all((nd >= 0) & (nd <= 1 + 1e-12)) and np.all((rec >= 0) & (rec <= 1))


def test_sparse_and_dense_inputs_agree():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(5, 8))
    heldout = np.eye(5, 8)
    foldin = np.roll(np.eye(5, 8), 1, axis=1)
    a = ndcg_at_k(scores, heldout, 4, exclude=foldin)
    b = ndcg_at_k(scores, sparse.csr_matrix(heldout), 4, exclude=sparse.csr_matrix(foldin))
    np.testing.assert_array_equal(a, b)


def test_user_without_heldout_items_raises():
    with pytest.raises(InvalidSampleError, match=r"at least one held-out item; rows \[1\]"):
        ndcg_at_k(np.zeros((2, 3)), np.array([[1, 0, 0], [0, 0, 0]]), 2)


def test_shape_and_parameter_errors():
    with pytest.raises(ShapeMismatchError, match="`heldout` must have the shape of `scores`"):
        recall_at_k(np.zeros((2, 3)), np.ones((2, 4)), 2)
    with pytest.raises(ShapeMismatchError, match="`exclude` must have the shape"):
        recall_at_k(np.zeros((2, 3)), np.ones((2, 3)), 2, exclude=np.ones((1, 3)))
    with pytest.raises(InfokitError, match="`k` must be an integer >= 1; got 0"):
        ndcg_at_k(np.zeros((1, 3)), np.ones((1, 3)), 0)
    with pytest.raises(InvalidSampleError, match="`scores` must not contain NaN"):
        top_k_items(np.array([[np.nan, 1.0]]), 1)
    with pytest.raises(ShapeMismatchError, match="`scores` must be 2-D"):
        top_k_items(np.zeros(3), 1)
