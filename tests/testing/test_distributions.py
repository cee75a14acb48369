"""infokit.testing.distributions: every known value is checked against a brute force that does not use infokit."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.testing import (
    ALL,
    NamedDistribution,
    and_gate,
    bernoulli,
    binary_erasure_channel,
    binary_symmetric_channel,
    copy,
    dyadic,
    independent,
    named_distributions,
    rdn,
    triadic,
    uniform,
    xor,
)

LN2 = math.log(2.0)
# brute-force sums of at most 64 terms of O(1): round-off well below 1e-12
TOL = 1e-12


def _h(joint, axes):
    """Entropy (nats) of the marginal on ``axes``, by accumulating cells in a dict (no infokit)."""
    acc: dict = {}
    for idx in np.ndindex(joint.shape):
        key = tuple(idx[a] for a in axes)
        acc[key] = acc.get(key, 0.0) + float(joint[idx])
    return -sum(v * math.log(v) for v in acc.values() if v > 0)


def _brute_force(joint) -> dict:
    """Every quantity a NamedDistribution may know, from its definition in subset entropies."""
    n = joint.ndim
    full = tuple(range(n))
    if n == 1:
        p = joint[joint > 0]
        return {
            "entropy": _h(joint, (0,)),
            "tsallis_entropy": 1 - float(np.sum(p**2)),
            "hartley_entropy": math.log(p.size),
            "collision_entropy": -math.log(float(np.sum(p**2))),
            "min_entropy": -math.log(float(p.max())),
        }
    h = {s: _h(joint, s) for r in range(1, n + 1) for s in itertools.combinations(full, r)}
    tc = sum(h[(i,)] for i in full) - h[full]
    dtc = h[full] - sum(h[full] - h[tuple(a for a in full if a != i)] for i in full)
    co = sum((-1) ** (len(s) + 1) * v for s, v in h.items())
    out = {
        "joint_entropy": h[full],
        "conditional_entropy": h[(0, 1)] - h[(1,)],
        "mutual_information": h[(0,)] + h[(1,)] - h[(0, 1)],
        "co_information": co,
        "interaction_information": (-1) ** n * co,
        "total_correlation": tc,
        "dual_total_correlation": dtc,
        "o_information": tc - dtc,
    }
    if n >= 3:
        out["conditional_mutual_information"] = h[(0, 2)] + h[(1, 2)] - h[(0, 1, 2)] - h[(2,)]
    return out


@pytest.mark.parametrize("d", ALL, ids=lambda d: d.name)
def test_known_values_equal_brute_force_definitions(d):
    ref = _brute_force(d.pmf)
    assert d.known, d.name
    for key, value in d.known.items():
        assert value == pytest.approx(ref[key], abs=TOL), key


@pytest.mark.parametrize("d", ALL, ids=lambda d: d.name)
def test_pmfs_are_valid_read_only_float64_tables(d):
    assert d.pmf.dtype == np.float64
    assert np.all(d.pmf >= 0)
    assert float(d.pmf.sum()) == pytest.approx(1.0, abs=1e-15)  # sums of exact binary fractions or a few products
    assert d.n_variables == d.pmf.ndim
    with pytest.raises(ValueError, match="read-only"):
        d.pmf[(0,) * d.pmf.ndim] = 1.0


def test_named_distribution_is_frozen_and_copies_its_inputs():
    table = np.array([0.5, 0.5])
    known = {"entropy": LN2}
    d = NamedDistribution("coin", table, "a fair coin", known)
    table[0] = 0.0
    known["entropy"] = 0.0
    assert d.pmf[0] == 0.5 and d.known["entropy"] == LN2  # later edits of the caller's objects do not leak in
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.name = "other"


def test_known_in_converts_units_and_names_missing_keys():
    d = xor()
    assert d.known_in("co_information", base=2) == pytest.approx(-1.0, abs=TOL)  # −ln2 / ln2
    assert d.known_in("joint_entropy") == pytest.approx(2 * LN2, abs=TOL)
    with pytest.raises(KeyError, match=r"'xor' has no known value 'entropy'; known: \["):
        d.known_in("entropy")


def test_headline_values_in_bits():
    # the numbers every reader knows, in bits
    assert uniform(8).known_in("entropy", base=2) == pytest.approx(3.0, abs=TOL)
    assert bernoulli(0.5).known_in("entropy", base=2) == pytest.approx(1.0, abs=TOL)
    assert copy().known_in("mutual_information", base=2) == pytest.approx(1.0, abs=TOL)
    assert xor().known_in("co_information", base=2) == pytest.approx(-1.0, abs=TOL)
    assert xor().known_in("interaction_information", base=2) == pytest.approx(1.0, abs=TOL)
    assert xor().known_in("o_information", base=2) == pytest.approx(-1.0, abs=TOL)
    assert rdn().known_in("co_information", base=2) == pytest.approx(1.0, abs=TOL)
    assert rdn().known_in("o_information", base=2) == pytest.approx(1.0, abs=TOL)
    # dyadic and triadic: same Shannon measures, different structure
    assert dyadic().known == triadic().known
    assert not np.array_equal(dyadic().pmf, triadic().pmf)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5, 1.0])
def test_bsc_mutual_information_is_one_minus_binary_entropy(eps):
    h2 = -sum(t * math.log2(t) for t in (eps, 1 - eps) if t > 0)
    d = binary_symmetric_channel(eps)
    assert d.known_in("mutual_information", base=2) == pytest.approx(1 - h2, abs=TOL)
    # rows are the input, a fair bit; each row is the channel row scaled by ½
    np.testing.assert_allclose(d.pmf.sum(axis=1), [0.5, 0.5], atol=1e-15)
    np.testing.assert_allclose(d.pmf[0], [0.5 * (1 - eps), 0.5 * eps], atol=1e-15)


@pytest.mark.parametrize(("eps", "p"), [(0.0, 0.5), (0.3, 0.5), (0.5, 0.2), (1.0, 0.5)])
def test_bec_mutual_information_is_one_minus_eps_times_input_entropy(eps, p):
    hp = -sum(t * math.log(t) for t in (p, 1 - p) if t > 0)
    d = binary_erasure_channel(eps, p=p)
    assert d.pmf.shape == (2, 3)
    assert d.known["mutual_information"] == pytest.approx((1 - eps) * hp, abs=TOL)


def test_and_gate_values():
    # H(Z) = h(¼) = 2 − ¾ log2 3 bits; TC = H(Z); co-information = h(¼) − 1 bits
    hz_bits = 2 - 0.75 * math.log2(3)
    d = and_gate()
    assert d.known_in("total_correlation", base=2) == pytest.approx(hz_bits, abs=TOL)
    assert d.known_in("co_information", base=2) == pytest.approx(hz_bits - 1, abs=TOL)
    assert d.known_in("dual_total_correlation", base=2) == pytest.approx(1.0, abs=TOL)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_rdn_of_n_copies(n):
    d = rdn(n)
    assert d.pmf.shape == (2,) * n
    assert d.known_in("total_correlation", base=2) == pytest.approx(n - 1, abs=TOL)
    assert d.known_in("o_information", base=2) == pytest.approx(n - 2, abs=TOL)
    ref = _brute_force(d.pmf)
    for key, value in d.known.items():
        assert value == pytest.approx(ref[key], abs=TOL), key


def test_independent_is_the_outer_product_of_its_marginals():
    d = independent([0.25, 0.75], [0.5, 0.3, 0.2])
    np.testing.assert_allclose(d.pmf, np.outer([0.25, 0.75], [0.5, 0.3, 0.2]), atol=1e-16)
    assert d.known["mutual_information"] == 0.0


def test_constructors_validate_their_parameters():
    with pytest.raises(InvalidParameterError, match=r"`k` must be an integer >= 1; got 0"):
        uniform(0)
    with pytest.raises(InvalidParameterError, match=r"`p` must be in \[0, 1\]; got 1.5"):
        bernoulli(1.5)
    with pytest.raises(InvalidParameterError, match=r"`eps` must be >= 0; got -0.1"):
        binary_symmetric_channel(-0.1)
    with pytest.raises(InvalidParameterError, match=r"`n` must be an integer >= 2; got 1"):
        rdn(1)
    with pytest.raises(InvalidParameterError, match=r"needs at least two marginals"):
        independent([0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"`marginals\[1\]` must sum to 1"):
        independent([0.5, 0.5], [0.5, 0.6])


def test_named_distributions_returns_fresh_objects_with_unique_names():
    a, b = named_distributions(), named_distributions()
    assert len(a) == len(ALL) and a[0] is not b[0]
    names = [d.name for d in a]
    assert len(set(names)) == len(names)
    assert {"xor", "copy", "rdn", "and", "dyadic", "triadic"} <= set(names)
