"""infokit.testing.strategies: generated pmfs, joints, logits and channels satisfy their contracts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infokit
from infokit.exceptions import InvalidParameterError
from infokit.testing.strategies import channels, joint_pmfs, logits, pmf_pairs, pmfs

# normalising by a float64 sum: the result sums to 1 within a few ulps (n <= 64 terms)
SUM_TOL = 1e-13


@given(pmfs(2, 6, batch_shape=(3,)))
def test_pmfs_are_valid_batched_pmfs_within_size_range(p):
    assert p.dtype == np.float64 and p.shape[0] == 3 and 2 <= p.shape[1] <= 6
    assert np.all(p >= 0) and np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, atol=SUM_TOL)
    assert np.all(p.max(axis=-1) > 0)
    infokit.entropy(p)  # the validator accepts every one of them


@given(pmfs(1, 5, allow_zeros=False, min_positive=0.01))
def test_pmfs_without_zeros_have_full_support_and_bounded_ratios(p):
    assert np.all(p > 0)
    # weights in [0.01, 1]: max/min <= 100
    assert p.max() / p.min() <= 100 * (1 + 1e-12)


@given(pmfs(1, 3, batch_shape=st.sampled_from([(), (2,), (2, 2)])))
def test_pmfs_accept_a_strategy_of_batch_shapes(p):
    assert p.ndim in (1, 2, 3)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, atol=SUM_TOL)


@given(pmf_pairs(2, 4, q_allow_zeros=False))
def test_pmf_pairs_share_a_shape_and_q_has_full_support(pq):
    p, q = pq
    assert p.shape == q.shape and np.all(q > 0)


@given(joint_pmfs(min_axes=2, max_axes=4, min_size=2, max_size=3))
def test_joint_pmfs_sum_to_one_over_all_entries(j):
    assert 2 <= j.ndim <= 4 and all(2 <= s <= 3 for s in j.shape)
    assert np.all(j >= 0)
    assert abs(float(j.sum()) - 1.0) <= SUM_TOL


@given(joint_pmfs((2, 3, 4)))
def test_joint_pmfs_with_an_exact_shape(j):
    assert j.shape == (2, 3, 4)


@given(logits(1, 6, batch_shape=(4,), allow_neg_inf=True, scale=5.0))
def test_logits_are_finite_or_minus_inf_and_never_fully_masked(z):
    assert not np.any(np.isnan(z)) and not np.any(z == np.inf)
    assert np.all(np.any(np.isfinite(z), axis=-1))
    finite = z[np.isfinite(z)]
    assert np.all(np.abs(finite) <= 5.0)
    infokit.entropy(logits=z)  # accepted


@given(channels(3, 2))
def test_channels_are_row_stochastic(w):
    assert w.shape == (3, 2) and np.all(w >= 0)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=SUM_TOL)


@given(channels(max_size=3))
def test_channels_with_drawn_sizes(w):
    assert 1 <= w.shape[0] <= 3 and 1 <= w.shape[1] <= 3


@settings(max_examples=1)
@given(st.data())
def test_strategy_parameters_are_validated(data):
    with pytest.raises(InvalidParameterError, match=r"`max_size` must be >= `min_size`; got min_size=5, max_size=2"):
        data.draw(pmfs(5, 2))
    with pytest.raises(InvalidParameterError, match=r"`min_positive` must be > 0"):
        data.draw(pmfs(min_positive=0))
