"""Differential information (Won et al. 2025): the known answers of the notes (§11.3) and the DPO link."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infokit
from infokit.exceptions import InfokitWarning, InvalidDistributionError, InvalidParameterError, ShapeMismatchError
from infokit.methods.alignment import (
    differential_information,
    differential_information_entropy,
    optimal_rejected_distribution,
    preference_probability,
)

REF = np.array([0.4, 0.3, 0.2, 0.1])
TARGET = np.array([0.1, 0.2, 0.3, 0.4])


def test_did_of_the_notes_and_the_bayes_update():
    q = differential_information(TARGET, REF)
    # q ∝ π*/π_ref = [1/4, 2/3, 3/2, 4] / 6.4167 (notes: 4 decimals)
    np.testing.assert_allclose(q, [0.0390, 0.1039, 0.2338, 0.6234], atol=5e-5)
    np.testing.assert_allclose(q, np.array([1 / 4, 2 / 3, 3 / 2, 4]) / (77 / 12), atol=1e-15)
    post = REF * q
    np.testing.assert_allclose(post / post.sum(), TARGET, atol=1e-15)  # π_ref·q normalised = π*
    assert differential_information_entropy(TARGET, REF) == pytest.approx(0.9961, abs=5e-5)


def test_did_entropy_separates_peaked_and_flat_targets():
    # notes §11.3: a peaked target gives low DID entropy, a near-reference one high (max log 4 = 1.3863)
    assert differential_information_entropy([0.05, 0.05, 0.05, 0.85], REF) == pytest.approx(0.2901, abs=5e-5)
    assert differential_information_entropy([0.35, 0.28, 0.22, 0.15], REF) == pytest.approx(1.3629, abs=5e-5)
    assert differential_information_entropy(REF, REF) == pytest.approx(math.log(4), abs=1e-15)  # no update


@pytest.mark.parametrize("beta, expected, const", [
    (0.5, [0.5794, 0.2661, 0.1183, 0.0362], 1.25206),
    (1.0, [0.7245, 0.2038, 0.0604, 0.0113], 2.65114),
    (2.0, [0.8926, 0.0941, 0.0124, 0.0009], 5.68772),
])
def test_optimal_rejected_distribution_of_the_notes(beta, expected, const):
    pl = optimal_rejected_distribution(TARGET, REF, beta)
    np.testing.assert_allclose(pl, expected, atol=5e-5)
    # the power-law condition: log(π_ref/π_l*) − β log q is the same constant for every response
    resid = np.log(REF / pl) - beta * np.log(differential_information(TARGET, REF))
    np.testing.assert_allclose(resid, const, atol=5e-6)
    assert np.ptp(resid) < 1e-13


@pytest.mark.parametrize("beta, p03", [(0.5, 0.2), (1.0, 1 / 17), (2.0, 1 / 257)])
def test_preference_probability_is_the_pair_law_of_reference_and_rejected_draws(beta, p03):
    P = preference_probability(TARGET, REF, beta)
    # q0/q3 = (1/4)/4 = 1/16, so P(y0 ≻ y3) = σ(β log(1/16)) = 1/(1 + 16^β): 0.2, 1/17, 1/257
    assert P[0, 3] == pytest.approx(p03, abs=1e-15)
    np.testing.assert_allclose(P + P.T, 1.0, atol=1e-15)
    # brute force: draw y_w ~ π_ref, y_l ~ π_l*; given the unordered pair {a, b}, a is the chosen one with
    # probability π_ref(a)π_l(b) / (π_ref(a)π_l(b) + π_ref(b)π_l(a))
    pl = optimal_rejected_distribution(TARGET, REF, beta)
    a = REF[:, None] * pl[None, :]
    np.testing.assert_allclose(P, a / (a + a.T), atol=1e-14)


_pmfs = st.tuples(st.integers(2, 7), st.integers(0, 10_000)).map(
    lambda t: tuple(np.random.default_rng(t[1]).dirichlet(np.ones(t[0]), size=2)))


@settings(max_examples=30)
@given(pair=_pmfs, beta=st.floats(0.05, 5.0))
def test_did_properties(pair, beta):
    pi, ref = pair
    q = differential_information(pi, ref)
    assert q.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose((ref * q) / (ref * q).sum(), pi, atol=1e-12)  # Bayes update recovers π
    h = differential_information_entropy(pi, ref)
    assert -1e-12 <= h <= math.log(len(pi)) + 1e-12
    pl = optimal_rejected_distribution(pi, ref, beta)
    r = np.log(ref / pl) - beta * np.log(q)
    assert np.ptp(r) < 1e-9  # the power law holds for every instance (log round-off of ~10 terms)


def test_batched_did_and_units():
    stacked = differential_information(np.stack([TARGET, REF]), np.stack([REF, REF]))
    np.testing.assert_allclose(stacked[0], differential_information(TARGET, REF), atol=0)
    np.testing.assert_allclose(stacked[1], REF * 0 + REF / REF / 4, atol=1e-15)  # no update: flat
    h = differential_information_entropy(np.stack([TARGET, REF]), np.stack([REF, REF]), base=2)
    np.testing.assert_allclose(h, [0.99607 / math.log(2), 2.0], atol=1e-4)


def test_zero_policy_mass_and_excluded_responses():
    q = differential_information([0.5, 0.5, 0.0], [0.2, 0.3, 0.5])
    assert q[2] == 0.0 and q.sum() == pytest.approx(1.0, abs=1e-15)
    with pytest.warns(InfokitWarning, match="rejects exactly those"):
        pl = optimal_rejected_distribution([0.5, 0.5, 0.0, 0.0], [0.4, 0.3, 0.2, 0.1], 1.0)
    np.testing.assert_allclose(pl, [0.0, 0.0, 2 / 3, 1 / 3], atol=1e-15)
    P = preference_probability([0.5, 0.5, 0.0, 0.0], [0.4, 0.3, 0.2, 0.1], 1.0)
    assert P[0, 2] == 1.0 and P[2, 3] == 0.5 and not np.isnan(P).any()


def test_errors():
    with pytest.raises(InvalidDistributionError, match="absolutely continuous"):
        differential_information([0.5, 0.5], [1.0, 0.0])
    with pytest.raises(ShapeMismatchError, match="same responses"):
        differential_information([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(InvalidParameterError, match="`beta` must be > 0"):
        optimal_rejected_distribution(TARGET, REF, 0.0)
    with pytest.raises(InvalidDistributionError, match="sum to 1"):
        differential_information_entropy([0.5, 0.6], [0.5, 0.5])
    assert infokit.entropy(differential_information(TARGET, REF)) == pytest.approx(
        differential_information_entropy(TARGET, REF), abs=0)


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.alignment.differential_information")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__, globs={}):
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} docstring example(s) failed in infokit.methods.alignment.differential_information"
