"""Measures of joint tables: known answers, chain rules, data processing, dit as oracle, bad input (numpy path)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.measures import marginal
from infokit.testing import ALL, binary_symmetric_channel, xor
from infokit.testing.strategies import channels, joint_pmfs, pmfs

LN2 = math.log(2.0)
# Joint measures are sums/differences of a handful of entropies of O(1): round-off stays within ~1e-15;
# 1e-12 leaves room without hiding a wrong term (the smallest non-zero known value here is ~0.13 nats).
TIGHT = 1e-12
# Identities that compare two independently computed sums of many entropies.
LOOSE = 1e-9

MULTI = {
    "joint_entropy": infokit.joint_entropy,
    "conditional_entropy": infokit.conditional_entropy,
    "mutual_information": infokit.mutual_information,
    "conditional_mutual_information": infokit.conditional_mutual_information,
    "co_information": infokit.co_information,
    "interaction_information": infokit.interaction_information,
    "total_correlation": infokit.total_correlation,
    "dual_total_correlation": infokit.dual_total_correlation,
    "o_information": infokit.o_information,
}
ALL_JOINT = {**MULTI, "pointwise_mutual_information": infokit.pointwise_mutual_information}


def _h_brute(joint, axes):
    """Entropy of the marginal on ``axes`` by explicit accumulation over every cell (reference)."""
    acc: dict = {}
    for idx in np.ndindex(joint.shape):
        key = tuple(idx[a] for a in axes)
        acc[key] = acc.get(key, 0.0) + joint[idx]
    return -sum(v * math.log(v) for v in acc.values() if v > 0)


# ---------------------------------------------------------------------------------------- known answers
KNOWN_CASES = [(d, key) for d in ALL if d.pmf.ndim >= 2 for key in d.known if key in MULTI]


@pytest.mark.parametrize(("d", "key"), KNOWN_CASES, ids=[f"{d.name}-{k}" for d, k in KNOWN_CASES])
def test_named_distributions_match_known_values(d, key):
    # the derivations are in infokit/testing/distributions.py
    assert MULTI[key](d.pmf) == pytest.approx(d.known[key], abs=TIGHT)


def test_xor_signs_co_information_minus_one_interaction_plus_one_o_information_minus_one():
    j = xor().pmf
    # pairwise independent (I(X;Y) = 0) yet any two fix the third (I(X;Y|Z) = 1 bit)
    assert infokit.co_information(j, base=2) == pytest.approx(-1.0, abs=TIGHT)
    assert infokit.interaction_information(j, base=2) == pytest.approx(1.0, abs=TIGHT)
    assert infokit.o_information(j, base=2) == pytest.approx(-1.0, abs=TIGHT)


@pytest.mark.parametrize("eps", [0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 1.0])
def test_bsc_mutual_information_is_one_minus_binary_entropy_of_crossover(eps):
    # fair input through a BSC(eps): I = H(Y) − H(Y|X) = 1 − h2(eps) bits
    h2 = -sum(t * math.log2(t) for t in (eps, 1 - eps) if t > 0)
    j = np.array([[0.5 * (1 - eps), 0.5 * eps], [0.5 * eps, 0.5 * (1 - eps)]])
    assert infokit.mutual_information(j, base=2) == pytest.approx(1 - h2, abs=TIGHT)
    assert infokit.mutual_information(binary_symmetric_channel(eps).pmf, base=2) == pytest.approx(1 - h2, abs=TIGHT)


def test_two_fair_coins_have_two_bits_and_no_mutual_information():
    j = np.full((2, 2), 0.25)
    assert infokit.joint_entropy(j, base=2) == pytest.approx(2.0, abs=TIGHT)
    assert infokit.mutual_information(j) == pytest.approx(0.0, abs=TIGHT)


def test_composite_variable_equals_reshaped_table():
    # I(X0,X1 ; X2) on a 2×3×2 table equals I of the 6×2 table with (X0, X1) flattened
    rng = np.random.default_rng(7)
    j = rng.random((2, 3, 2))
    j /= j.sum()
    assert infokit.mutual_information(j, x=(0, 1), y=2) == pytest.approx(
        infokit.mutual_information(j.reshape(6, 2)), abs=TIGHT)
    assert infokit.conditional_entropy(j, x=2, given=(0, 1)) == pytest.approx(
        infokit.conditional_entropy(j.reshape(6, 2), x=1, given=0), abs=TIGHT)


def test_pointwise_mutual_information_closed_form_and_minus_inf_on_zero_cells():
    # copy: p(x,y) = ½ on the diagonal, p(x) = p(y) = ½: pmi = log(½ / ¼) = log 2; off-diagonal −inf
    out = infokit.pointwise_mutual_information(np.array([[0.5, 0.0], [0.0, 0.5]]))
    np.testing.assert_allclose(out, [[LN2, -np.inf], [-np.inf, LN2]], atol=TIGHT)
    # p = [[0.1, 0.4], [0.2, 0.3]]: pmi[0,0] = log(0.1 / (0.5 · 0.3))
    j = np.array([[0.1, 0.4], [0.2, 0.3]])
    assert infokit.pointwise_mutual_information(j)[0, 0] == pytest.approx(math.log(0.1 / 0.15), abs=TIGHT)
    assert infokit.pointwise_mutual_information(j, base=2)[0, 0] == pytest.approx(math.log2(0.1 / 0.15), abs=TIGHT)


def test_marginal_sums_out_the_other_axes():
    j = np.arange(12, dtype=float).reshape(2, 3, 2) / 66.0
    np.testing.assert_allclose(marginal(j, 1), j.sum(axis=(0, 2)), atol=TIGHT)
    np.testing.assert_allclose(marginal(j, (2, 0)), j.sum(axis=1), atol=TIGHT)  # axes in increasing order


# ---------------------------------------------------------------------------------------- brute force and properties
@given(joint_pmfs(min_axes=2, max_axes=4, max_size=3))
def test_every_measure_matches_brute_force_subset_entropies(j):
    n = j.ndim
    h = {s: _h_brute(j, s) for r in range(1, n + 1) for s in itertools.combinations(range(n), r)}
    full = tuple(range(n))
    tc = sum(h[(i,)] for i in range(n)) - h[full]
    dtc = h[full] - sum(h[full] - h[tuple(a for a in full if a != i)] for i in range(n))
    co = sum((-1) ** (len(s) + 1) * v for s, v in h.items())
    assert infokit.joint_entropy(j) == pytest.approx(h[full], abs=TIGHT)
    assert infokit.mutual_information(j) == pytest.approx(h[(0,)] + h[(1,)] - h[(0, 1)], abs=TIGHT)
    assert infokit.conditional_entropy(j) == pytest.approx(h[(0, 1)] - h[(1,)], abs=TIGHT)
    assert infokit.total_correlation(j) == pytest.approx(tc, abs=TIGHT)
    assert infokit.dual_total_correlation(j) == pytest.approx(dtc, abs=TIGHT)
    assert infokit.co_information(j) == pytest.approx(co, abs=TIGHT)
    assert infokit.interaction_information(j) == pytest.approx((-1) ** n * co, abs=TIGHT)
    assert infokit.o_information(j) == pytest.approx(tc - dtc, abs=TIGHT)
    if n >= 3:
        cmi = h[(0, 2)] + h[(1, 2)] - h[(0, 1, 2)] - h[(2,)]
        assert infokit.conditional_mutual_information(j) == pytest.approx(cmi, abs=TIGHT)


@given(joint_pmfs(min_axes=2, max_axes=2, max_size=5))
def test_chain_rule_and_mutual_information_identities(j):
    hx, hy = infokit.entropy(j.sum(axis=1)), infokit.entropy(j.sum(axis=0))
    hxy = infokit.joint_entropy(j)
    # H(X,Y) = H(X) + H(Y|X) = H(Y) + H(X|Y)
    assert hxy == pytest.approx(hx + infokit.conditional_entropy(j, x=1, given=0), abs=TIGHT)
    assert hxy == pytest.approx(hy + infokit.conditional_entropy(j, x=0, given=1), abs=TIGHT)
    # I = H(X) + H(Y) − H(X,Y) = KL(p_xy || p_x p_y), symmetric, within [0, min(H(X), H(Y))]
    mi = infokit.mutual_information(j)
    assert mi == pytest.approx(hx + hy - hxy, abs=TIGHT)
    prod = np.outer(j.sum(axis=1), j.sum(axis=0))
    assert mi == pytest.approx(infokit.kl_divergence(j.ravel(), prod.ravel()), abs=TIGHT)
    assert mi == pytest.approx(infokit.mutual_information(j.T), abs=TIGHT)
    assert 0.0 <= mi <= min(hx, hy) + TIGHT
    # Σ p(x,y) pmi(x,y) over the support = I
    pmi = infokit.pointwise_mutual_information(j)
    assert float(np.sum(j[j > 0] * pmi[j > 0])) == pytest.approx(mi, abs=TIGHT)


@given(pmfs(1, 4), channels(max_size=4), st.data())
def test_data_processing_on_random_channels(px, w1, data):
    # Markov chain X -> Y -> Z with P(y|x) = w1 (px.size rows) and P(z|y) = w2 random channels:
    # I(X;Z) <= I(X;Y), I(X;Z|Y) = 0, and I(X;Y,Z) = I(X;Y)
    w1 = data.draw(channels(px.size, w1.shape[1]))
    w2 = data.draw(channels(w1.shape[1], None))
    j = px[:, None, None] * w1[:, :, None] * w2[None, :, :]
    ixy = infokit.mutual_information(j, x=0, y=1)
    ixz = infokit.mutual_information(j, x=0, y=2)
    assert ixz <= ixy + TIGHT
    assert infokit.conditional_mutual_information(j, x=0, y=2, z=1) == pytest.approx(0.0, abs=TIGHT)
    assert infokit.mutual_information(j, x=0, y=(1, 2)) == pytest.approx(ixy, abs=TIGHT)


@given(joint_pmfs(min_axes=3, max_axes=3, max_size=3))
def test_three_variable_identities(j):
    ixy = infokit.mutual_information(j, x=0, y=1)
    ixy_z = infokit.conditional_mutual_information(j, x=0, y=1, z=2)
    co = infokit.co_information(j)
    # co-information I(X;Y;Z) = I(X;Y) − I(X;Y|Z) (dit's sign: XOR −1 bit); for three variables = O-information
    assert co == pytest.approx(ixy - ixy_z, abs=TIGHT)
    assert infokit.o_information(j) == pytest.approx(co, abs=TIGHT)
    assert infokit.interaction_information(j) == pytest.approx(-co, abs=TIGHT)
    # chain rule of mutual information: I(X; Y,Z) = I(X;Z) + I(X;Y|Z)
    assert infokit.mutual_information(j, x=0, y=(1, 2)) == pytest.approx(
        infokit.mutual_information(j, x=0, y=2) + ixy_z, abs=TIGHT)
    # non-negativity
    for name in ("conditional_mutual_information", "total_correlation", "dual_total_correlation",
                 "conditional_entropy", "joint_entropy", "mutual_information"):
        assert MULTI[name](j) >= 0.0, name


@given(joint_pmfs(min_axes=2, max_axes=3, max_size=3), st.data())
def test_measures_are_invariant_under_relabelling_within_each_axis(j, data):
    relabelled = j
    for ax in range(j.ndim):
        perm = data.draw(st.permutations(range(j.shape[ax])))
        relabelled = np.take(relabelled, perm, axis=ax)
    for name, fn in MULTI.items():
        if name == "conditional_mutual_information" and j.ndim < 3:
            continue
        assert fn(relabelled) == pytest.approx(fn(j), abs=TIGHT), name


@given(joint_pmfs(min_axes=3, max_axes=4, max_size=2), st.data())
def test_symmetric_multivariate_measures_are_invariant_under_reordering_variables(j, data):
    order = data.draw(st.permutations(range(j.ndim)))
    t = np.transpose(j, order)
    for name in ("joint_entropy", "co_information", "interaction_information", "total_correlation",
                 "dual_total_correlation", "o_information"):
        assert MULTI[name](t) == pytest.approx(MULTI[name](j), abs=TIGHT), name


@given(joint_pmfs(min_axes=3, max_axes=3, max_size=2))
def test_variables_argument_groups_and_selects_axes(j):
    # TC of ((0,1), 2) = I(X0,X1 ; X2); selecting variables [0, 2] marginalises axis 1 out
    assert infokit.total_correlation(j, variables=[(0, 1), 2]) == pytest.approx(
        infokit.mutual_information(j, x=(0, 1), y=2), abs=TIGHT)
    assert infokit.co_information(j, variables=[0, 2]) == pytest.approx(
        infokit.mutual_information(j, x=0, y=2), abs=TIGHT)
    assert infokit.joint_entropy(j, variables=[2, 0]) == pytest.approx(
        infokit.entropy(j.sum(axis=1).ravel()), abs=TIGHT)


@given(joint_pmfs(min_axes=2, max_axes=3, max_size=3))
def test_joint_measures_base_two_equals_nats_over_ln2(j):
    for name, fn in MULTI.items():
        if name == "conditional_mutual_information" and j.ndim < 3:
            continue
        assert fn(j, base=2) == pytest.approx(fn(j) / LN2, abs=TIGHT), name


@given(joint_pmfs(min_axes=2, max_axes=3, max_size=3))
def test_independent_product_has_zero_dependence(j):
    # the product of the marginals of any table is independent: TC = DTC = I = 0
    margs = [j.sum(axis=tuple(a for a in range(j.ndim) if a != i)) for i in range(j.ndim)]
    prod = margs[0]
    for m in margs[1:]:
        prod = np.multiply.outer(prod, m)
    for name in ("mutual_information", "total_correlation", "dual_total_correlation", "co_information",
                 "o_information"):
        assert MULTI[name](prod) == pytest.approx(0.0, abs=LOOSE), name
    assert infokit.joint_entropy(prod) == pytest.approx(sum(infokit.entropy(m) for m in margs), abs=TIGHT)


# ---------------------------------------------------------------------------------------- oracle: dit
@settings(max_examples=8)  # dit takes ~0.1 s per distribution for this set of measures
@given(joint_pmfs(min_axes=3, max_axes=3, max_size=3))
def test_joint_measures_match_dit(j):
    dit = pytest.importorskip("dit")
    d = dit.Distribution.from_ndarray(j)  # dit works in bits
    assert infokit.joint_entropy(j, base=2) == pytest.approx(dit.shannon.entropy(d), abs=LOOSE)
    assert infokit.mutual_information(j, base=2) == pytest.approx(dit.shannon.mutual_information(d, [0], [1]),
                                                                  abs=LOOSE)
    assert infokit.conditional_entropy(j, base=2) == pytest.approx(dit.shannon.conditional_entropy(d, [0], [1]),
                                                                   abs=LOOSE)
    assert infokit.conditional_mutual_information(j, base=2) == pytest.approx(
        dit.multivariate.coinformation(d, [[0], [1]], [2]), abs=LOOSE)
    assert infokit.co_information(j, base=2) == pytest.approx(dit.multivariate.coinformation(d), abs=LOOSE)
    assert infokit.interaction_information(j, base=2) == pytest.approx(
        dit.multivariate.interaction_information(d), abs=LOOSE)
    assert infokit.total_correlation(j, base=2) == pytest.approx(dit.multivariate.total_correlation(d), abs=LOOSE)
    assert infokit.dual_total_correlation(j, base=2) == pytest.approx(
        dit.multivariate.dual_total_correlation(d), abs=LOOSE)
    assert infokit.o_information(j, base=2) == pytest.approx(dit.multivariate.o_information(d), abs=LOOSE)


@settings(max_examples=4)  # four variables: dit is slower still
@given(joint_pmfs(min_axes=4, max_axes=4, max_size=2))
def test_four_variable_measures_match_dit(j):
    dit = pytest.importorskip("dit")
    d = dit.Distribution.from_ndarray(j)
    assert infokit.co_information(j, base=2) == pytest.approx(dit.multivariate.coinformation(d), abs=LOOSE)
    assert infokit.interaction_information(j, base=2) == pytest.approx(
        dit.multivariate.interaction_information(d), abs=LOOSE)
    assert infokit.dual_total_correlation(j, base=2) == pytest.approx(
        dit.multivariate.dual_total_correlation(d), abs=LOOSE)
    assert infokit.o_information(j, base=2) == pytest.approx(dit.multivariate.o_information(d), abs=LOOSE)


@pytest.mark.parametrize("d", [d for d in ALL if d.pmf.ndim >= 3], ids=lambda d: d.name)
def test_named_distributions_agree_with_dit(d):
    dit = pytest.importorskip("dit")
    dd = dit.Distribution.from_ndarray(d.pmf)
    assert d.known_in("co_information", base=2) == pytest.approx(dit.multivariate.coinformation(dd), abs=LOOSE)
    assert d.known_in("o_information", base=2) == pytest.approx(dit.multivariate.o_information(dd), abs=LOOSE)


# ---------------------------------------------------------------------------------------- bad input
def test_overlapping_variable_axes_are_rejected():
    j = np.full((2, 2, 2), 0.125)
    with pytest.raises(InvalidParameterError, match=r"`x` and `y` both name axis 0; each axis can belong to one"):
        infokit.mutual_information(j, x=0, y=(0, 1))
    with pytest.raises(InvalidParameterError, match=r"`y` and `z` both name axis 2"):
        infokit.conditional_mutual_information(j, x=0, y=2, z=2)
    with pytest.raises(InvalidParameterError, match=r"`variables\[0\]` and `variables\[1\]` both name axis 1"):
        infokit.total_correlation(j, variables=[(0, 1), (1, 2)])
    with pytest.raises(InvalidParameterError, match=r"`x` and `given` both name axis 1"):
        infokit.conditional_entropy(j, x=1, given=1)


def test_bad_axis_specs_are_rejected():
    j = np.full((2, 2), 0.25)
    with pytest.raises(InvalidParameterError, match=r"`y` names axis 2, but `joint` has 2 axes"):
        infokit.mutual_information(j, y=2)
    with pytest.raises(InvalidParameterError, match=r"`x` must be an axis index or a tuple of axis indices; got 0.5"):
        infokit.mutual_information(j, x=0.5)
    with pytest.raises(InvalidParameterError, match=r"`x` must name at least one axis"):
        infokit.mutual_information(j, x=())
    with pytest.raises(InvalidParameterError, match=r"`variables` must be a sequence of axes"):
        infokit.total_correlation(j, variables=0)
    with pytest.raises(InvalidParameterError, match=r"names an axis twice"):
        infokit.joint_entropy(j, variables=[(0, 0)])


def test_too_few_axes_are_rejected():
    with pytest.raises(InvalidDistributionError, match=r"`joint` must be a joint table with at least 2 axes"):
        infokit.mutual_information([0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"at least 3 axes"):
        infokit.conditional_mutual_information(np.full((2, 2), 0.25))
    with pytest.raises(InvalidParameterError, match=r"must be a 2-D table .* for pointwise_mutual_information"):
        infokit.pointwise_mutual_information(np.full((2, 2, 2), 0.125))


def test_joint_must_sum_to_one_unless_normalized():
    counts = np.array([[2.0, 0.0], [0.0, 2.0]])
    with pytest.raises(InvalidDistributionError, match=r"`joint` must sum to 1 .*\(got 4\).*normalize=True"):
        infokit.mutual_information(counts)
    assert infokit.mutual_information(counts, normalize=True, base=2) == pytest.approx(1.0, abs=TIGHT)
    np.testing.assert_array_equal(counts, [[2.0, 0.0], [0.0, 2.0]])  # normalize=True did not rescale in place


@pytest.mark.parametrize("name", list(ALL_JOINT))
@pytest.mark.parametrize(("bad", "match", "exc"), [
    (np.array([[0.5, np.nan], [0.25, 0.25]]), r"`joint` must contain only finite numbers; got 1 non-finite",
     InvalidDistributionError),
    (np.array([[0.75, -0.25], [0.25, 0.25]]), r"`joint` must be non-negative", InvalidDistributionError),
    (np.array([["a", "b"], ["c", "d"]]), r"`joint` must be an array of numbers; got dtype <U1", TypeError),
    (np.zeros((0, 2)), r"`joint` must not be empty", InvalidDistributionError),
])
def test_joint_measures_reject_invalid_tables(name, bad, match, exc):
    fn = ALL_JOINT[name]
    if name == "conditional_mutual_information" and bad.ndim == 2 and bad.size:
        bad = bad[..., None]
    with pytest.raises(exc, match=match):
        fn(bad)


@pytest.mark.parametrize("name", list(ALL_JOINT))
def test_joint_measures_reject_bad_base(name):
    j = xor().pmf
    with pytest.raises(InvalidParameterError, match=r"`base` must be a finite number > 0 and != 1"):
        ALL_JOINT[name](j if name != "pointwise_mutual_information" else j.sum(axis=2), base=1)


# ---------------------------------------------------------------------------------------- inputs are not modified
@pytest.mark.parametrize("name", list(ALL_JOINT))
def test_joint_measures_do_not_modify_inputs(name):
    rng = np.random.default_rng(3)
    j = rng.random((2, 3) if name == "pointwise_mutual_information" else (2, 3, 2))
    j /= j.sum()
    j[0, 0] = 0.0
    j /= j.sum()
    ref = j.copy()
    j.setflags(write=False)  # an in-place write raises instead of passing silently
    ALL_JOINT[name](j)
    ALL_JOINT[name](j * 3.0, normalize=True)
    np.testing.assert_array_equal(j, ref)


def test_marginal_does_not_modify_input():
    j = np.full((2, 2), 0.25)
    j.setflags(write=False)
    out = marginal(j, 0)
    np.testing.assert_array_equal(j, np.full((2, 2), 0.25))
    np.testing.assert_allclose(out, [0.5, 0.5], atol=TIGHT)
