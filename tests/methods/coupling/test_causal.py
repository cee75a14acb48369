"""Entropic causal inference: exogenous entropies with closed forms, direction on synthetic low-noise pairs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.methods.coupling import entropic_causal_direction, exogenous_entropy, min_entropy_coupling


def _synthetic_pair(rng, n=10, m=10, n_noise=3):
    """X -> Y with Y = f(X, E): X ~ Dirichlet(1) on n values, E on n_noise values, f uniform at random."""
    px = rng.dirichlet(np.ones(n))
    pe = rng.dirichlet(np.ones(n_noise))
    f = rng.integers(0, m, size=(n, n_noise))
    joint = np.zeros((n, m))
    for x in range(n):
        np.add.at(joint[x], f[x], px[x] * pe)
    return joint, pe


def test_exogenous_entropy_closed_forms():
    # independent Y: every conditional is p_Y, their coupling is the diagonal: H(E) = H(Y)
    py = np.array([0.5, 0.3, 0.2])
    assert exogenous_entropy(np.outer([0.25, 0.75], py)) == pytest.approx(infokit.entropy(py), abs=1e-12)
    # Y = f(X): every conditional is a point mass: H(E) = 0
    assert exogenous_entropy([[0.3, 0.0], [0.0, 0.2], [0.5, 0.0]]) == 0.0
    # a single cause value: E is Y itself
    assert exogenous_entropy([[0.5, 0.5]], base=2) == pytest.approx(1.0, abs=1e-12)


def test_exogenous_entropy_is_the_coupling_of_the_conditionals():
    rng = np.random.default_rng(0)
    j = rng.dirichlet(np.ones(12)).reshape(3, 4)
    cond = j / j.sum(axis=1, keepdims=True)
    assert exogenous_entropy(j) == pytest.approx(min_entropy_coupling(*cond).entropy, abs=1e-12)


def test_exogenous_entropy_never_exceeds_the_true_noise_by_more_than_the_greedy_gap():
    # (f, E) is one explanation, so OPT <= H(E); greedy <= OPT + (1 + log2 e)/2 bits (Compton et al. 2023)
    rng = np.random.default_rng(1)
    for _ in range(30):
        joint, pe = _synthetic_pair(rng)
        assert exogenous_entropy(joint, base=2) <= infokit.entropy(pe, base=2) + (1 + math.log2(math.e)) / 2


def test_direction_is_found_when_the_noise_has_low_entropy():
    # Kocaoglu et al. (2017): with low-entropy E the causal direction has the smaller total entropy with high
    # probability. 10 x 10 alphabets, E on 3 values: measured 100 % over 200 pairs (seed 0).
    rng = np.random.default_rng(0)
    right = [entropic_causal_direction(_synthetic_pair(rng)[0]).direction == "X->Y" for _ in range(100)]
    assert np.mean(right) >= 0.9
    # and transposing the table flips the answer
    joint, _ = _synthetic_pair(np.random.default_rng(5))
    a, b = entropic_causal_direction(joint), entropic_causal_direction(joint.T)
    assert (a.direction, b.direction) == ("X->Y", "Y->X")
    assert a.complexity_xy == pytest.approx(b.complexity_yx, abs=1e-12)
    assert a.exogenous_entropy_yx == pytest.approx(b.exogenous_entropy_xy, abs=1e-12)


def test_deterministic_bijection_is_undecided():
    j = np.diag([0.1, 0.2, 0.3, 0.4])[:, [2, 0, 3, 1]]
    r = entropic_causal_direction(j, base=2)
    assert r.direction == "undecided"
    assert r.complexity_xy == pytest.approx(infokit.entropy(j.sum(axis=1), base=2), abs=1e-12)


def test_bad_input_raises_clear_errors():
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        entropic_causal_direction([[0.5, 0.2], [0.1, 0.1]])
    with pytest.raises(InvalidDistributionError, match=r"at least 2 axes"):
        exogenous_entropy([0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"non-negative"):
        exogenous_entropy([[1.5, -0.5], [0.0, 0.0]])
    with pytest.raises(InvalidDistributionError, match=r"2-D table"):
        exogenous_entropy(np.full((2, 2, 2), 1 / 8))
    with pytest.raises(InvalidParameterError, match=r"`tol`"):
        entropic_causal_direction([[0.5, 0.5]], tol=-1)
