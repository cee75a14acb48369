"""mRMR ordering against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from infokit.exceptions import InvalidParameterError
from infokit.report import mrmr_order

# relevance I(f;c) and redundancy I(f;s) of three features, chosen so that every step is computable by hand
REL = [1.0, 0.9, 0.5]
RED = np.array([[0.0, 0.85, 0.0],
                [0.85, 0.0, 0.1],
                [0.0, 0.1, 0.0]])


def test_difference_criterion_matches_the_hand_computation():
    order, scores, means = mrmr_order(REL, RED)
    # step 1: max relevance -> f0 (1.0)
    # step 2: f1: 0.9 - 0.85 = 0.05 ; f2: 0.5 - 0.0 = 0.5 -> f2
    # step 3: f1: 0.9 - (0.85 + 0.1) / 2 = 0.425
    assert order == [0, 2, 1]
    assert scores == pytest.approx([1.0, 0.5, 0.425], abs=1e-12)  # exact arithmetic up to round-off
    assert means == pytest.approx([0.0, 0.0, 0.475], abs=1e-12)


def test_quotient_criterion_matches_the_hand_computation():
    # the denominator is floored at 0.01 * max relevance = 0.01
    # step 2: f1: 0.9 / 0.85 = 1.0588 ; f2: 0.5 / max(0, 0.01) = 50 -> f2
    # step 3: f1: 0.9 / 0.475 = 1.8947
    order, scores, _ = mrmr_order(REL, RED, criterion="quotient")
    assert order == [0, 2, 1]
    assert scores == pytest.approx([1.0, 50.0, 0.9 / 0.475], rel=1e-12)


def test_quotient_does_not_rank_noise_first_when_redundancy_estimates_are_negative():
    # a noise feature (relevance 0.003) whose redundancy is estimated slightly below 0 must not beat a real one
    rel = [0.3, 0.003, 0.2]
    red = np.array([[0, -0.001, 0.01], [-0.001, 0, 0.0], [0.01, 0.0, 0]])
    order, scores, _ = mrmr_order(rel, red, 2, criterion="quotient")
    assert order == [0, 2]  # 0.2 / max(0.01, 0.003) = 20 beats 0.003 / max(-0.001, 0.003) = 1


def test_callable_redundancy_is_asked_only_for_the_needed_pairs():
    asked = []

    def red(s, cand):
        asked.append((s, tuple(int(c) for c in cand)))
        return RED[s, cand]

    order, _, _ = mrmr_order(REL, red, 2)
    assert order == [0, 2]
    assert asked == [(0, (1, 2))]  # one call: the first pick against the remaining candidates


def test_ties_go_to_the_lower_index():
    order, _, _ = mrmr_order([0.5, 0.5, 0.2], np.zeros((3, 3)))
    assert order == [0, 1, 2]


@pytest.mark.parametrize("kwargs, match", [
    (dict(relevance=[], redundancy=np.zeros((0, 0))), "non-empty 1-D"),
    (dict(relevance=[np.nan, 1.0], redundancy=np.zeros((2, 2))), "must be finite"),
    (dict(relevance=[1.0, 0.5], redundancy=np.zeros((3, 3))), r"must be a \(2, 2\) matrix"),
    (dict(relevance=[1.0, 0.5], redundancy=np.zeros((2, 2)), n_select=3), "between 1 and 2"),
    (dict(relevance=[1.0, 0.5], redundancy=np.zeros((2, 2)), criterion="ratio"), "`criterion` must be one of"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        mrmr_order(**kwargs)
