"""Popularity and EASE baselines: EASE closed form against a brute-force constrained ridge solve."""

import numpy as np
import pytest
from scipy import sparse

from infokit.exceptions import InfokitError, ShapeMismatchError
from infokit.methods.recsys.baselines import ease_scores, ease_weights, popularity_scores


def _brute_ease(x, lam):
    """Column j of B = ridge regression of X[:, j] on the other columns, B_jj = 0 (Steck 2019's objective
    min ||X - XB||² + lam ||B||² s.t. diag(B) = 0 decouples over columns into these n_items ridge problems)."""
    n = x.shape[1]
    b = np.zeros((n, n))
    for j in range(n):
        others = [i for i in range(n) if i != j]
        a = x[:, others]
        b[others, j] = np.linalg.solve(a.T @ a + lam * np.eye(n - 1), a.T @ x[:, j])
    return b


@pytest.mark.parametrize("lam", [0.5, 10.0])
def test_ease_closed_form_matches_columnwise_ridge(lam):
    rng = np.random.default_rng(7)
    x = (rng.random((40, 9)) < 0.3).astype(float)
    b = ease_weights(x, l2=lam)
    # both are exact linear solves of well-conditioned (lam > 0) 9x9 systems: 1e-10 covers rounding
    np.testing.assert_allclose(b, _brute_ease(x, lam), rtol=0, atol=1e-10)
    assert np.all(np.diag(b) == 0.0)


def test_ease_sparse_input_and_no_mutation():
    rng = np.random.default_rng(8)
    x = (rng.random((30, 6)) < 0.4).astype(float)
    xs = sparse.csr_matrix(x)
    before = x.copy()
    np.testing.assert_allclose(ease_weights(xs, l2=2.0), ease_weights(x, l2=2.0), rtol=0, atol=1e-12)  # same solve
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(ease_scores(ease_weights(x, l2=2.0), x[:3]), x[:3] @ ease_weights(x, l2=2.0))


def test_popularity_counts_clicks_per_item():
    x = np.array([[1, 0, 1], [1, 0, 0], [1, 1, 0]])
    # item 0 clicked by 3 users, item 1 by 1, item 2 by 1
    np.testing.assert_array_equal(popularity_scores(x), [[3, 1, 1]])
    assert popularity_scores(sparse.csr_matrix(x), 4).shape == (4, 3)


def test_errors_name_the_argument():
    with pytest.raises(InfokitError, match="`l2` must be > 0"):
        ease_weights(np.eye(3), l2=0)
    with pytest.raises(ShapeMismatchError, match="`weights` must be \\(n_items, n_items\\) with n_items = 3"):
        ease_scores(np.eye(4), np.ones((2, 3)))
    with pytest.raises(InfokitError, match="`train` must be non-negative"):
        popularity_scores(-np.eye(2))
