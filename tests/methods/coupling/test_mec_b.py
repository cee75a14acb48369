"""EBIM and MEC-B (paper 1): Fig. 2 known answers, exhaustive search, the h(p2) guarantee, MEC-B invariants."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.methods.coupling import EBIMResult, ebim, mec_b, min_entropy_coupling

P_FIG2 = np.array([0.7, 0.2, 0.1])  # Ebrahimi, Chen, Khisti (2024), Fig. 2


def _h2(v):
    v = np.asarray(v, float)
    v = v[v > 0]
    return float(-np.sum(v * np.log2(v)))


def _binary_entropy_bits(a):
    return _h2([a, 1 - a])


def _best_deterministic_by_brute_force(p, R):
    """max H(f(X)) <= R over every map f: [n] -> [n] (n^n maps; independent of the partition enumeration)."""
    n = len(p)
    best = 0.0
    for f in itertools.product(range(n), repeat=n):
        h = _h2(np.bincount(f, weights=p, minlength=n))
        if h <= R + 1e-12 and h > best:
            best = h
    return best


# ------------------------------------------------------------------------------------------ Fig. 2 known answers
def test_fig2_deterministic_maps_have_the_tabulated_entropies():
    # the five partitions of {.7, .2, .1}: {1}, {.9,.1}, {.8,.2}, {.7,.3}, identity (notes §2.3)
    expected = [0.0, _h2([0.9, 0.1]), _h2([0.8, 0.2]), _h2([0.7, 0.3]), _h2(P_FIG2)]
    np.testing.assert_allclose(expected, [0, 0.46900, 0.72193, 0.88129, 1.15678], atol=5e-6)  # 5-digit table
    for h in expected:
        r = ebim(P_FIG2, h, method="exact", base=2)
        assert r.mutual_information == pytest.approx(h, abs=1e-12)  # R equal to a map's rate reaches it
        assert r.deterministic and r.rate <= h + 1e-12


@pytest.mark.parametrize(
    "R, brute_force, notes_envelope",
    [
        # brute_force: SLSQP over p(t|x) with |T| = 4 from 300 random starts (examples/coupling/ebim_curve.py
        # --brute-force); notes_envelope: the notes' 200-point-grid envelope (a slight underestimate)
        (0.3, 0.2003029, 0.1982),
        (0.5, 0.4760657, 0.4756),
        (0.8, 0.7528411, 0.7527),
        (1.0, 0.9214211, 0.9208),
    ],
)
def test_fig2_envelope_recovers_the_brute_force_optimum(R, brute_force, notes_envelope):
    r = ebim(P_FIG2, R, method="envelope", base=2)
    # the envelope solves each transfer curve exactly (bisection to 1e-16 in delta): it matches the brute force
    # to the optimiser's accuracy (1e-6) and is never below the notes' coarser grid values
    assert r.mutual_information == pytest.approx(brute_force, abs=2e-6)
    assert r.mutual_information >= notes_envelope - 1e-9
    assert r.rate <= R + 1e-9
    assert not r.deterministic  # between the deterministic rates the optimum is stochastic (Theorem 3)
    # the best deterministic map is strictly worse there
    assert ebim(P_FIG2, R, method="exact", base=2).mutual_information < r.mutual_information - 1e-3
    # the encoder is a channel and the joint has p_x as its row marginal
    np.testing.assert_allclose(r.encoder.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.joint.sum(axis=1), P_FIG2, atol=1e-12)
    assert r.mutual_information == pytest.approx(infokit.mutual_information(r.joint, base=2), abs=1e-12)
    assert r.rate == pytest.approx(infokit.entropy(r.p_t, base=2), abs=1e-12)


def test_above_the_source_entropy_every_method_returns_the_identity():
    for method in ("greedy", "exact", "envelope"):
        r = ebim(P_FIG2, 1.2, method=method, base=2)
        assert r.mutual_information == pytest.approx(_h2(P_FIG2), abs=1e-12)  # I = H(X) = 1.15678
        assert r.labels.tolist() == [0, 1, 2]
        assert ebim(P_FIG2, math.inf, method=method).mutual_information == pytest.approx(
            infokit.entropy(P_FIG2), abs=1e-12)


def test_zero_rate_gives_a_constant_code():
    for method in ("greedy", "exact", "envelope"):
        r = ebim(P_FIG2, 0.0, method=method)
        assert r.mutual_information == 0.0 and r.rate == pytest.approx(0.0, abs=1e-15)
        assert r.p_t.size == 1


# ------------------------------------------------------------------------------------------ exhaustive search
def test_exact_equals_brute_force_over_all_maps():
    rng = np.random.default_rng(5)
    for _ in range(15):
        n = int(rng.integers(2, 6))  # n^n <= 3125 maps
        p = rng.dirichlet(np.ones(n))
        R = rng.uniform(0, _h2(p))
        got = ebim(p, R, method="exact", base=2).mutual_information
        assert got == pytest.approx(_best_deterministic_by_brute_force(p, R), abs=1e-12)


def test_greedy_carries_the_binary_entropy_of_p2_guarantee_and_never_beats_exact():
    # Ebrahimi et al. (2024): I_greedy >= I* - h(p_2) >= R - h(p_2); the notes measured a worst ratio 0.9987
    # for the bare singleton chain over 300 instances, so the bound is tight enough to be falsifiable
    rng = np.random.default_rng(11)
    ratios, gaps = [], []
    for _ in range(150):
        n = int(rng.integers(3, 9))
        p = rng.dirichlet(np.full(n, float(rng.choice([0.3, 1.0, 3.0]))))
        R = rng.uniform(0, _h2(p))
        g = ebim(p, R, base=2)
        e = ebim(p, R, method="exact", base=2)
        h_p2 = _binary_entropy_bits(np.sort(p)[-2])
        assert R - g.mutual_information <= h_p2 + 1e-12
        assert g.mutual_information <= e.mutual_information + 1e-12
        assert g.rate <= R + 1e-12 and g.deterministic
        assert g.mutual_information <= min(R, _h2(p)) + 1e-12
        ratios.append((R - g.mutual_information) / h_p2)
        gaps.append(e.mutual_information - g.mutual_information)
    assert np.mean(np.array(gaps) < 1e-12) > 0.5  # the greedy map is usually the best deterministic one
    assert max(ratios) > 0.3  # instances where the rate is far from every map exist: the bound is exercised


def test_envelope_is_never_below_the_best_deterministic_map():
    rng = np.random.default_rng(21)
    for _ in range(20):
        n = int(rng.integers(2, 6))
        p = rng.dirichlet(np.ones(n))
        R = rng.uniform(0, _h2(p))
        env = ebim(p, R, method="envelope", base=2)
        det = ebim(p, R, method="exact", base=2)
        assert env.mutual_information >= det.mutual_information - 1e-12
        assert env.rate <= R + 1e-9
        assert env.mutual_information <= R + 1e-9  # I(X;T) <= H(T) <= R


def test_greedy_scales_to_a_thousand_outcomes():
    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(1000))
    H = _h2(p)
    for frac in (0.2, 0.6, 0.95):
        r = ebim(p, frac * H, base=2)
        assert r.rate <= frac * H + 1e-12
        # many small atoms make the rate almost exactly reachable: within h(p_2) and in practice within 1e-3
        assert frac * H - r.mutual_information <= min(1e-3, _binary_entropy_bits(np.sort(p)[-2]))


def test_zero_probability_outcomes_are_mapped_and_rows_stay_channels():
    r = ebim([0.5, 0.0, 0.25, 0.25], 1.0, base=2)
    np.testing.assert_allclose(r.encoder.sum(axis=1), 1.0)
    assert r.mutual_information == pytest.approx(1.0, abs=1e-12)
    assert isinstance(r, EBIMResult) and r.unit == "bits" and r.rate_limit == 1.0


# ------------------------------------------------------------------------------------------ MEC-B
def test_mec_b_output_marginal_and_decomposition_bound():
    rng = np.random.default_rng(3)
    for _ in range(12):
        p = rng.dirichlet(np.ones(int(rng.integers(2, 6))))
        q = rng.dirichlet(np.ones(int(rng.integers(2, 7))))
        R = rng.uniform(0, _h2(p))
        for method in ("greedy", "envelope"):
            r = mec_b(p, q, R, method=method, base=2)
            np.testing.assert_allclose(r.joint.sum(axis=0), q, atol=1e-12)  # P_Y = p_Y exactly
            np.testing.assert_allclose(r.joint.sum(axis=1), p, atol=1e-12)
            np.testing.assert_allclose(r.decoder.sum(axis=1), 1.0, atol=1e-12)
            assert r.rate <= R + 1e-9
            # I(X;Y) >= I(X;T) + I(T;Y) - H(T) on the chain X - T - Y; and data processing I(X;Y) <= I(X;T)
            assert r.mutual_information >= r.encoder_information + r.decoder_information - r.rate - 1e-9
            assert r.mutual_information <= r.encoder_information + 1e-9


def test_mec_b_without_bottleneck_is_the_minimum_entropy_coupling():
    p, q = np.array([0.5, 0.3, 0.2]), np.array([0.6, 0.25, 0.15])
    r = mec_b(p, q, math.inf, base=2)
    c = min_entropy_coupling(p, q, base=2)
    # T = X, so I(X;Y) = H(p) + H(q) - H(C) of the greedy coupling
    assert r.mutual_information == pytest.approx(_h2(p) + _h2(q) - c.entropy, abs=1e-12)
    assert mec_b(p, p, math.inf, base=2).mutual_information == pytest.approx(_h2(p), abs=1e-12)  # Y = X


def test_mec_b_information_grows_with_the_rate():
    p = np.full(8, 1 / 8)
    q = np.array([0.5, 0.25, 0.125, 0.125])  # dyadic: Y can be a function of X
    vals = [mec_b(p, q, R, base=2).mutual_information for R in (0.0, 0.5, 1.0, 2.0, 3.0)]
    # R = 0.5: no partition of 8 equal atoms has entropy in (0, 0.5] ({7, 1} has 0.544), so still 0
    assert vals[1] == pytest.approx(0.0, abs=1e-12)
    assert vals[0] == pytest.approx(0.0, abs=1e-12)  # T constant: X and Y independent (up to round-off)
    assert np.all(np.diff(vals) >= -1e-12)
    assert vals[-1] == pytest.approx(_h2(q), abs=1e-12)  # T = X, Y = f(X): I = H(Y) = 1.75 bits


# ------------------------------------------------------------------------------------------ bad input
def test_bad_input_raises_clear_errors():
    with pytest.raises(InvalidParameterError, match=r"`rate` must be >= 0"):
        ebim(P_FIG2, -0.1)
    with pytest.raises(InvalidParameterError, match=r"`rate` must be a finite real number"):
        ebim(P_FIG2, float("nan"))
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        ebim([0.5, 0.4], 1.0)
    with pytest.raises(InvalidDistributionError, match=r"non-negative"):
        ebim([1.5, -0.5], 1.0)
    with pytest.raises(InvalidDistributionError, match=r"must not be empty"):
        ebim([], 1.0)
    with pytest.raises(InvalidDistributionError, match=r"`p_y`"):
        mec_b([0.5, 0.5], [0.5, 0.6], 1.0)
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of"):
        ebim(P_FIG2, 1.0, method="brute")
    with pytest.raises(InvalidParameterError, match=r"at most 10 outcomes"):
        ebim(np.full(11, 1 / 11), 1.0, method="exact")
    p = np.array([0.7, 0.2, 0.1])
    ebim(p, 0.5)
    np.testing.assert_array_equal(p, [0.7, 0.2, 0.1])  # input not mutated


# ------------------------------------------------------------------------------------------ slow reproductions
@pytest.mark.slow
def test_fig2_envelope_equals_an_independent_brute_force_on_a_fine_grid():
    # Paper 1, Fig. 2: "this strategy [Theorem 3 + envelope] effectively recovers optimal solutions, aligning
    # with those found by brute force". Brute force here: random channels p(t|x) with |T| = 4, polished by SLSQP.
    from scipy.optimize import minimize
    from scipy.special import entr, softmax

    rng = np.random.default_rng(0)
    n, k = 3, 4

    def stats(Q):
        pt = np.einsum("i,...ik->...k", P_FIG2, Q)
        ht = entr(pt).sum(axis=-1) / math.log(2)
        return ht - np.einsum("i,...i->...", P_FIG2, entr(Q).sum(axis=-1)) / math.log(2), ht

    for R in (0.15, 0.4, 0.6, 0.7, 0.95, 1.1):
        Q = rng.gamma(np.broadcast_to(10.0 ** rng.uniform(-2, 1, (40_000, 1, 1)), (40_000, n, k)))
        Q /= Q.sum(axis=-1, keepdims=True)
        I, H = stats(Q)
        I = np.where(H <= R, I, -np.inf)
        best = float(I.max())
        for idx in np.argsort(-I)[:15]:
            def f(w):
                return stats(softmax(w.reshape(n, k), axis=1))

            res = minimize(lambda w: -f(w)[0], np.log(np.clip(Q[idx], 1e-12, None)).ravel(), method="SLSQP",
                           constraints=[{"type": "ineq", "fun": lambda w: R - f(w)[1]}],
                           options={"maxiter": 300, "ftol": 1e-13})
            i, h = f(res.x)
            if h <= R + 1e-9:
                best = max(best, float(i))
        env = ebim(P_FIG2, R, method="envelope", base=2).mutual_information
        # measured agreement < 1e-9 bits; 1e-6 allows for SLSQP's tolerance. The envelope must never lose.
        assert env >= best - 1e-6
        assert env == pytest.approx(best, abs=1e-6)
