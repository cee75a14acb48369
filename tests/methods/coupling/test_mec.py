"""Minimum-entropy coupling: known answers, marginals, guarantees against an exact oracle, bounds, bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.methods.coupling import Coupling, mec_lower_bound, min_entropy_coupling
from infokit.methods.coupling import mec as mec_module

LOG2E_OVER_E = math.log2(math.e) / math.e  # 0.5307 bits: greedy - OPT for two marginals (Compton et al. 2023)


def _h_bits(v):
    v = np.asarray(v, dtype=float)
    v = v[v > 0]
    return float(-np.sum(v * np.log2(v)))


def _vertex_enumeration_bits(p, q):
    """Exact MEC by brute force over the vertices of the transportation polytope (independent of the DP).

    A vertex has a support of at most n1 + n2 - 1 cells whose columns of the constraint matrix are independent;
    solve the marginal equations on every such support and keep the non-negative solutions.
    """
    p, q = np.asarray(p, float), np.asarray(q, float)
    n1, n2 = p.size, q.size
    cells = [(i, j) for i in range(n1) for j in range(n2)]
    A = np.zeros((n1 + n2, n1 * n2))
    for k, (i, j) in enumerate(cells):
        A[i, k] = A[n1 + j, k] = 1.0
    rhs = np.concatenate([p, q])
    best = math.inf
    for S in itertools.combinations(range(n1 * n2), n1 + n2 - 1):
        M = A[:, S]
        if np.linalg.matrix_rank(M) < n1 + n2 - 1:
            continue
        x, *_ = np.linalg.lstsq(M, rhs, rcond=None)
        if x.min() < -1e-12 or np.abs(M @ x - rhs).max() > 1e-9:
            continue
        best = min(best, _h_bits(np.clip(x, 0, None)))
    return best


# ------------------------------------------------------------------------------------------ known answers
def test_compton_example_bounds_greedy_and_optimum_match_reference_table():
    # Compton et al. (2023), main() of their reference code; rows of the notes' §1.3 table.
    p, q = [0.5, 0.4, 0.1], [0.6, 0.2, 0.2]
    # meet: cumsums [.5,.9,1] and [.6,.8,1] -> min [.5,.8,1] -> pmf [.5,.3,.2]
    assert mec_lower_bound(p, q, kind="meet", base=2) == pytest.approx(_h_bits([0.5, 0.3, 0.2]), abs=1e-12)
    # profile: G = .1 on [.1,.2), .4 on [.2,.4), .5 on [.4,.5), 1 on [.5,1): .1 + .4 + .5 log2(1.25) + 1
    assert mec_lower_bound(p, q, kind="profile", base=2) == pytest.approx(
        0.1 + 0.4 + 0.5 * math.log2(1.25) + 1.0, abs=1e-12)
    greedy_bits = 0.5 + 2 * 0.2 * math.log2(5) + 0.1 * math.log2(10)  # cells .5, .2, .2, .1
    assert mec_lower_bound(p, q, base=2) == pytest.approx(greedy_bits, abs=1e-12)  # majorize-profile is tight
    c = min_entropy_coupling(p, q, base=2)
    np.testing.assert_allclose(c.values, [0.5, 0.2, 0.2, 0.1], atol=1e-15)  # exact arithmetic up to 1 ulp
    assert c.entropy == pytest.approx(greedy_bits, abs=1e-12)
    assert min_entropy_coupling(p, q, method="exact", base=2).entropy == pytest.approx(greedy_bits, abs=1e-12)
    # the 5-decimal values of the table
    assert round(mec_lower_bound(p, q, kind="meet", base=2), 5) == 1.48548
    assert round(mec_lower_bound(p, q, kind="profile", base=2), 5) == 1.66096
    assert round(c.entropy, 5) == 1.76096


def test_two_halves_against_three_thirds():
    # p = [.5,.5], q = uniform(3): greedy takes 1/3, then 1/6 + 1/6 (split of the second third), then 1/3:
    # cells 1/3, 1/3, 1/6, 1/6 -> H = 2/3 log2 3 + 1/3 log2 6 = 1.91830; the optimum is the same (notes' table)
    expected = 2 / 3 * math.log2(3) + 1 / 3 * math.log2(6)
    p, q = [0.5, 0.5], [1 / 3] * 3
    assert min_entropy_coupling(p, q, base=2).entropy == pytest.approx(expected, abs=1e-12)
    assert min_entropy_coupling(p, q, method="exact", base=2).entropy == pytest.approx(expected, abs=1e-12)
    assert _vertex_enumeration_bits(p, q) == pytest.approx(expected, abs=1e-9)  # lstsq round-off
    # both profile and meet equal log2 3 here (the uniform marginal dominates)
    assert mec_lower_bound(p, q, kind="meet", base=2) == pytest.approx(math.log2(3), abs=1e-12)
    assert mec_lower_bound(p, q, kind="profile", base=2) == pytest.approx(math.log2(3), abs=1e-12)


def test_sixty_forty_against_fair_coin_cells():
    # greedy: .5 at (0,0); residual .1 of p0 with .5 of q1 -> .4 at (1,1) first (larger), then .1 at (0,1)
    c = min_entropy_coupling([0.6, 0.4], [0.5, 0.5], base=2)
    assert c.to_dict() == pytest.approx({(0, 0): 0.5, (1, 1): 0.4, (0, 1): 0.1}, abs=1e-15)
    assert c.entropy == pytest.approx(0.5 + 0.4 * math.log2(2.5) + 0.1 * math.log2(10), abs=1e-12)  # 1.36096


@pytest.mark.parametrize("n", [1, 2, 7, 64])
def test_identical_uniform_marginals_couple_on_the_diagonal(n):
    c = min_entropy_coupling(np.full(n, 1 / n), np.full(n, 1 / n), base=2)
    np.testing.assert_array_equal(c.indices[:, 0], c.indices[:, 1])  # the diagonal
    assert c.entropy == pytest.approx(math.log2(n), abs=1e-12)


def test_identical_marginals_couple_to_their_own_entropy():
    p = np.array([0.4, 0.3, 0.2, 0.1])
    c = min_entropy_coupling(p, p, p)
    assert c.entropy == pytest.approx(infokit.entropy(p), abs=1e-12)  # X = Y = Z
    assert c.nnz == 4


# ------------------------------------------------------------------------------------------ invariants
def _random_marginals(rng, m, nmax=9, zeros=True):
    out = []
    for _ in range(m):
        n = int(rng.integers(1, nmax + 1))
        p = rng.dirichlet(np.full(n, float(rng.choice([0.2, 1.0, 5.0]))))
        if zeros and n > 2 and rng.random() < 0.3:
            p[rng.integers(n)] = 0.0
            p = p / p.sum()
        out.append(p)
    return out


@pytest.mark.parametrize("m", [2, 3, 4, 6])
def test_greedy_reproduces_marginals_and_stays_sparse(m):
    rng = np.random.default_rng(10 + m)
    for _ in range(60):
        ps = _random_marginals(rng, m)
        c = min_entropy_coupling(*ps)
        for k, p in enumerate(ps):
            np.testing.assert_allclose(c.marginal(k), p, rtol=0, atol=1e-12)  # the 1e-12
        assert c.nnz <= sum(p.size for p in ps) - m + 1  # each round exhausts >= 1 atom; the last exhausts m
        assert np.all(np.diff(c.values) <= 0)  # masses come out non-increasing (both sides' maxima only shrink)
        assert np.all(c.values > 0)
        # H(C) >= H(p_i) for every marginal (a function of C)
        assert c.entropy >= max(infokit.entropy(p) for p in ps) - 1e-12


def test_greedy_on_a_million_atoms_reproduces_marginals():
    rng = np.random.default_rng(1)
    p = rng.random(300_000)
    q = rng.dirichlet(np.full(250_000, 0.3))
    p /= p.sum()
    c = min_entropy_coupling(p, q)
    np.testing.assert_allclose(c.marginal(0), p, rtol=0, atol=1e-12)
    np.testing.assert_allclose(c.marginal(1), q, rtol=0, atol=1e-12)
    assert c.nnz <= p.size + q.size - 1


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12), st.lists(st.floats(0.0, 1.0), min_size=1, max_size=12),
       st.integers(0, 2**31 - 1))
def test_greedy_entropy_is_permutation_invariant_and_marginals_exact(a, b, seed):
    p, q = np.array(a), np.array(b)
    if p.sum() <= 0 or q.sum() <= 0:
        return
    p, q = p / p.sum(), q / q.sum()
    c = min_entropy_coupling(p, q)
    np.testing.assert_allclose(c.marginal(0), p, atol=1e-12)
    np.testing.assert_allclose(c.marginal(1), q, atol=1e-12)
    rng = np.random.default_rng(seed)
    pi, pj = rng.permutation(p.size), rng.permutation(q.size)
    c2 = min_entropy_coupling(p[pi], q[pj])
    # relabelling outcomes (or breaking ties differently) permutes cells; the cell masses are the same multiset
    np.testing.assert_allclose(np.sort(c2.values), np.sort(c.values), atol=1e-15)
    assert c2.entropy == pytest.approx(c.entropy, abs=1e-12)
    # the meet bound never exceeds the greedy entropy
    assert mec_lower_bound(p, q, kind="meet") <= c.entropy + 1e-12


def test_compiled_and_python_kernels_return_identical_cells():
    pytest.importorskip("numba")
    rng = np.random.default_rng(3)
    for m, n in [(2, 2000), (2, 50_000), (3, 3000), (5, 400)]:
        ps = [mec_module._normalised(rng.dirichlet(np.full(n + 7 * k, 0.5))) for k in range(m)]
        i1, v1 = mec_module._greedy_coupling(ps, engine="numba")
        i2, v2 = mec_module._greedy_coupling(ps, engine="python")
        # continuous random inputs have no ties: the same algorithm gives bit-identical cells
        np.testing.assert_array_equal(i1, i2)
        np.testing.assert_array_equal(v1, v2)
    # with ties only the positions may differ: same multiset of masses
    p = np.repeat([0.1, 0.05, 0.025], [4, 8, 8])
    p = p / p.sum()
    q = np.repeat([0.2, 0.1], [2, 6])
    _, v1 = mec_module._greedy_coupling([p, q], engine="numba")
    _, v2 = mec_module._greedy_coupling([p, q], engine="python")
    np.testing.assert_allclose(np.sort(v1), np.sort(v2), atol=1e-15)


# ------------------------------------------------------------------------------------------ exact and guarantees
def test_exact_dynamic_programme_matches_vertex_enumeration():
    rng = np.random.default_rng(7)
    for _ in range(25):
        n1, n2 = rng.integers(2, 4, size=2)  # up to 3 x 3: C(9,5) = 126 supports per instance
        p, q = rng.dirichlet(np.ones(n1)), rng.dirichlet(np.ones(n2))
        exact = min_entropy_coupling(p, q, method="exact", base=2)
        # lstsq solutions carry ~1e-15 errors; the DP rounds residuals at 1e-13: agree to 1e-9 bits
        assert exact.entropy == pytest.approx(_vertex_enumeration_bits(p, q), abs=1e-9)
        np.testing.assert_allclose(exact.marginal(0), p, atol=1e-12)
        np.testing.assert_allclose(exact.marginal(1), q, atol=1e-12)


def test_greedy_is_within_log2e_over_e_bits_of_the_exact_optimum():
    # Compton et al. (2023), Theorem: greedy <= OPT + log2(e)/e for two marginals. Random 2..4 x 2..4
    # instances (the notes measured a largest gap of 0.203 bits over 300 of them).
    rng = np.random.default_rng(2024)
    gaps = []
    for _ in range(50):
        n1, n2 = rng.integers(2, 5, size=2)
        a = float(rng.choice([0.3, 1.0, 3.0]))
        p, q = rng.dirichlet(np.full(n1, a)), rng.dirichlet(np.full(n2, a))
        g = min_entropy_coupling(p, q, base=2).entropy
        opt = min_entropy_coupling(p, q, method="exact", base=2).entropy
        lb = {k: mec_lower_bound(p, q, kind=k, base=2) for k in ("meet", "profile", "majorize_profile")}
        assert opt <= g + 1e-12  # the optimum is optimal
        assert g - opt <= LOG2E_OVER_E
        for v in lb.values():
            assert v <= opt + 1e-9  # every bound is a lower bound (1e-9: DP rounding)
        # "majorize-profile is provably the best of the three" (Compton et al., reference code)
        assert lb["majorize_profile"] >= max(lb["meet"], lb["profile"]) - 1e-12
        gaps.append(g - opt)
    assert max(gaps) > 0.0  # greedy is not always optimal: the test could see a gap


@pytest.mark.parametrize("m", [3, 4, 6])
def test_multi_marginal_greedy_is_within_log2e_of_the_meet(m):
    # Compton (2022): greedy <= H(meet) + log2 e for any number of marginals; all bounds <= greedy
    rng = np.random.default_rng(100 + m)
    for _ in range(40):
        ps = _random_marginals(rng, m, nmax=8, zeros=False)
        g = min_entropy_coupling(*ps, base=2).entropy
        meet = mec_lower_bound(*ps, kind="meet", base=2)
        assert g - meet <= math.log2(math.e)
        for kind in ("profile", "majorize_profile"):
            assert mec_lower_bound(*ps, kind=kind, base=2) <= g + 1e-12
        assert mec_lower_bound(*ps, base=2) >= max(meet, mec_lower_bound(*ps, kind="profile", base=2)) - 1e-12


def test_bounds_of_identical_marginals_equal_their_entropy():
    p = np.array([0.5, 0.25, 0.125, 0.125])
    for kind in ("meet", "profile", "majorize_profile"):
        # meet(p, p) = p; the profile bound of dyadic p is H(p) (each atom is its own slice)
        assert mec_lower_bound(p, p, kind=kind, base=2) == pytest.approx(1.75, abs=1e-12)


# ------------------------------------------------------------------------------------------ views and units
def test_views_agree_and_units_convert():
    p, q = [0.5, 0.3, 0.2], [0.7, 0.2, 0.1]
    c = min_entropy_coupling(p, q)
    dense = c.todense()
    np.testing.assert_allclose(dense.sum(axis=1), p, atol=1e-15)
    np.testing.assert_allclose(c.to_scipy().toarray(), dense)
    assert {k: dense[k] for k in c.to_dict()} == pytest.approx(c.to_dict())
    assert c.entropy == pytest.approx(infokit.entropy(dense.ravel()), abs=1e-15)  # nats by default
    assert min_entropy_coupling(p, q, base=2).entropy == pytest.approx(c.entropy / math.log(2), abs=1e-15)
    assert c.unit == "nats" and min_entropy_coupling(p, q, base=2).unit == "bits"
    assert isinstance(c, Coupling) and c.ndim == 2 and c.shape == (3, 3)
    # I(X;Y) = H(p) + H(q) - H(C) for the coupling, computed by infokit.mutual_information
    assert infokit.mutual_information(dense) == pytest.approx(
        infokit.entropy(p) + infokit.entropy(q) - c.entropy, abs=1e-12)
    with pytest.raises(ValueError):
        c.values[0] = 1.0  # results are read-only


def test_list_of_marginals_is_accepted_and_inputs_are_not_mutated():
    p = np.array([0.2, 0.8])
    q = [0.5, 0.5]
    p0 = p.copy()
    c1 = min_entropy_coupling([p, q])
    c2 = min_entropy_coupling(p, q)
    np.testing.assert_array_equal(c1.values, c2.values)
    np.testing.assert_array_equal(p, p0)


def test_zero_probability_outcomes_get_no_cells():
    c = min_entropy_coupling([0.0, 0.5, 0.0, 0.5], [0.5, 0.0, 0.5])
    assert c.shape == (4, 3)
    assert set(c.indices[:, 0]) == {1, 3} and set(c.indices[:, 1]) == {0, 2}


# ------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize("fn", [min_entropy_coupling, mec_lower_bound])
def test_bad_marginals_raise_clear_errors(fn):
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        fn([0.5, 0.4], [0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"non-negative"):
        fn([1.2, -0.2], [0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"must not be empty"):
        fn([], [1.0])
    with pytest.raises(InvalidDistributionError, match=r"finite"):
        fn([np.nan, 1.0], [1.0])
    with pytest.raises(InvalidDistributionError, match=r"1-D pmf"):
        fn(np.eye(2) / 2, [1.0])
    with pytest.raises(InvalidParameterError, match=r"at least two marginals"):
        fn([0.5, 0.5])
    with pytest.raises(InvalidDistributionError, match=r"marginals\[1\]"):  # names the offending marginal
        fn([0.5, 0.5], [0.3, 0.3])


def test_bad_options_raise_clear_errors():
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of"):
        min_entropy_coupling([1.0], [1.0], method="fast")
    with pytest.raises(InvalidParameterError, match=r"`kind` must be one of"):
        mec_lower_bound([1.0], [1.0], kind="join")
    with pytest.raises(InvalidParameterError, match=r"exactly two marginals"):
        min_entropy_coupling([1.0], [1.0], [1.0], method="exact")
    with pytest.raises(InvalidParameterError, match=r"at most 10 positive atoms"):
        min_entropy_coupling(np.full(6, 1 / 6), np.full(6, 1 / 6), method="exact")
    with pytest.raises(InvalidParameterError, match=r"`base`"):
        min_entropy_coupling([1.0], [1.0], base=1)
