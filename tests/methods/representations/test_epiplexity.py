"""Epiplexity: prequential / requential code lengths, the convex-hull frontier and S_T / H_T at a budget."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infokit.exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError
from infokit.methods.representations.epiplexity import (
    code_length_frontier,
    epiplexity,
    prequential_code_length,
    requential_code_length,
    token_kl,
    two_part_code_length,
)


def test_flat_loss_curve_has_zero_model_length():
    # i.i.d. uniform bits: the loss stays at log 2, nothing is learned, K(M) = 0
    tokens = np.arange(1, 101) * 64.0
    assert prequential_code_length(np.full(100, math.log(2)), tokens) == 0.0


def test_prequential_area_of_a_linear_drop():
    # loss falls linearly from 2 to 1 nats over 1000 tokens then stays: area of the triangle = 1000 * 1 / 2
    tokens = np.linspace(0, 2000, 201)
    loss = np.where(tokens <= 1000, 2 - tokens / 1000, 1.0)
    assert prequential_code_length(loss, tokens) == pytest.approx(500.0, abs=1e-9)  # trapezoid exact on lines
    assert prequential_code_length(loss, tokens, base=2) == pytest.approx(500 / math.log(2), abs=1e-9)
    # an explicit final loss below the curve adds (L_end - L_final) * D
    assert prequential_code_length(loss, tokens, final_loss=0.5) == pytest.approx(500.0 + 0.5 * 2000, abs=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 5.0), min_size=2, max_size=30))
def test_prequential_nonnegative_for_nonincreasing_losses(values):
    loss = np.sort(np.asarray(values))[::-1]
    assert prequential_code_length(loss, np.arange(len(loss)) + 1.0) >= 0


def test_token_kl_and_requential_sum():
    rng = np.random.default_rng(0)
    t = rng.standard_normal((4, 5))
    assert np.all(token_kl(t, t) == 0)  # student == teacher -> KL = 0 -> K_req = 0
    assert requential_code_length(token_kl(t, t)) == 0.0  # 4 steps of one token each
    s = rng.standard_normal((4, 5))
    p, q = np.exp(t) / np.exp(t).sum(1, keepdims=True), np.exp(s) / np.exp(s).sum(1, keepdims=True)
    np.testing.assert_allclose(token_kl(t, s), (p * np.log(p / q)).sum(1), atol=1e-12)
    assert requential_code_length([1.0, 2.0, 0.5], base=2) == pytest.approx(3.5 / math.log(2), abs=1e-12)


def test_token_kl_torch_matches_numpy():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    t, s = rng.standard_normal((3, 6)), rng.standard_normal((3, 6))
    np.testing.assert_allclose(token_kl(torch.tensor(t), torch.tensor(s)).numpy(), token_kl(t, s), atol=1e-12)


def test_frontier_is_lower_convex_hull_and_decreasing():
    # points: (1, 10), (2, 6), (3, 5.5) above the chord (2,6)-(4,3)?  chord at 3 is 4.5 -> (3, 5.5) dropped;
    # (4, 3), (5, 3.5) no improvement -> dropped; (2, 9) same compute as (2, 6) but worse
    c = [1, 2, 3, 4, 5, 2]
    k = [10, 6, 5.5, 3, 3.5, 9]
    np.testing.assert_array_equal(code_length_frontier(c, k), [0, 1, 3])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0.1, 100), st.floats(0, 100)), min_size=1, max_size=25))
def test_frontier_properties(points):
    c = np.array([p[0] for p in points])
    k = np.array([p[1] for p in points])
    idx = code_length_frontier(c, k)
    assert np.all(np.diff(c[idx]) > 0) and np.all(np.diff(k[idx]) < 0)
    assert k[idx[-1]] == k.min()  # the best code is always on the frontier
    # every point lies on or above the piecewise-linear hull within its compute range
    for ci, ki in zip(c, k):
        if c[idx[0]] <= ci <= c[idx[-1]]:
            assert ki >= np.interp(ci, c[idx], k[idx]) - 1e-9 * max(1.0, abs(ki))


def test_epiplexity_reads_the_best_code_within_budget():
    # three runs: cheap model that learns nothing, medium, expensive that learns more
    compute = [1.0, 10.0, 100.0]
    km = [0.0, 50.0, 80.0]
    kx = [1000.0, 600.0, 560.0]
    r = epiplexity(compute, km, kx, budget=20.0)
    assert (r.epiplexity, r.time_bounded_entropy, r.index) == (50.0, 600.0, 1)
    r_all = epiplexity(compute, km, kx)
    assert (r_all.epiplexity, r_all.time_bounded_entropy, r_all.total) == (80.0, 560.0, 640.0)
    r_bits = epiplexity(compute, km, kx, budget=5, base=2)
    assert r_bits.epiplexity == 0.0 and r_bits.time_bounded_entropy == pytest.approx(1000 / math.log(2))
    assert r_bits.unit == "bits"
    assert two_part_code_length(50.0, 0.6, 1000) == pytest.approx(650.0)


def test_errors():
    with pytest.raises(InvalidParameterError, match="`tokens` must be strictly increasing"):
        prequential_code_length([1.0, 0.5], [2.0, 1.0])
    with pytest.raises(ShapeMismatchError, match="same length"):
        prequential_code_length([1.0, 0.5, 0.2], [1.0, 2.0])
    with pytest.raises(InvalidSampleError, match="`kl_per_step` must be >= 0"):
        requential_code_length([1.0, -0.5])
    with pytest.raises(InvalidParameterError, match="no run fits in `budget`"):
        epiplexity([10.0], [1.0], [1.0], budget=1.0)
    with pytest.raises(InvalidSampleError, match="code lengths must be >= 0"):
        epiplexity([10.0], [-1.0], [1.0])
    with pytest.raises(InvalidParameterError, match="`compute` must be > 0"):
        code_length_frontier([0.0, 1.0], [1.0, 0.5])
    with pytest.raises(ShapeMismatchError, match="same shape"):
        token_kl(np.zeros((2, 3)), np.zeros((2, 4)))


def test_two_part_code_length_validates():
    with pytest.raises(InvalidParameterError, match="`test_loss` must be a finite number >= 0"):
        two_part_code_length(1.0, -0.1, 10)
    with pytest.raises(InvalidParameterError, match="`n_test_tokens` must be > 0"):
        two_part_code_length(1.0, 0.1, 0)
    assert two_part_code_length(np.float64(2.0), np.int64(1), 3) == 5.0  # numpy scalars are numbers
