"""Discrete information bottleneck: IB (Tishby et al. 1999) and DIB (Strouse & Schwab 2017).

Oracles: a closed-form IB frontier (doubly symmetric binary source, Mrs. Gerber's lemma), brute force over every
map X -> T written independently of the library (itertools.product + infokit.mutual_information), and the
data-processing bounds of the information plane.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

import infokit
from infokit.exceptions import (
    ConvergenceWarning,
    InvalidDistributionError,
    InvalidParameterError,
    ShapeMismatchError,
)
from infokit.methods.bottleneck import information_bottleneck, information_bottleneck_curve
from infokit.methods.bottleneck.discrete_ib import _set_partitions

LN2 = math.log(2)


def _h(x):
    """Binary entropy in nats."""
    return 0.0 if x <= 0 or x >= 1 else -x * math.log(x) - (1 - x) * math.log(1 - x)


def _dsbs(p):
    """Doubly symmetric binary source: X ~ Bern(1/2), Y = X xor Bern(p)."""
    return np.array([[0.5 * (1 - p), 0.5 * p], [0.5 * p, 0.5 * (1 - p)]])


def _mgl_frontier(r, p):
    """IB frontier of the DSBS (nats): max I(T;Y) s.t. I(X;T) <= r is ln2 − h(p ⋆ h⁻¹(ln2 − r)).

    Mrs. Gerber's lemma (Wyner & Ziv 1973): H(Y|T) >= h(p ⋆ h⁻¹(H(X|T))), attained by T = X xor Bern(a).
    """
    if r <= 0:
        return 0.0
    if r >= LN2 - 1e-15:
        return LN2 - _h(p)
    a = brentq(lambda a: _h(a) - (LN2 - r), 1e-300, 0.5, xtol=1e-16)
    return LN2 - _h(p * (1 - a) + a * (1 - p))


def _random_joint(rng, nx, ny, conc=0.5):
    return rng.dirichlet(np.full(nx * ny, conc)).reshape(nx, ny)


def _brute_force_dib(joint, beta, k):
    """min over every map f: X -> {0..k-1} of H(T) − β I(T;Y), independently of the library's enumeration."""
    nx = joint.shape[0]
    best = math.inf
    for f in itertools.product(range(k), repeat=nx):
        jty = np.zeros((k, joint.shape[1]))
        np.add.at(jty, list(f), joint)
        h_t = infokit.entropy(jty.sum(axis=1))
        best = min(best, h_t - beta * infokit.mutual_information(jty))
    return best


# ------------------------------------------------------------------------------------------ known answers
@pytest.mark.parametrize("method", ["ib", "dib", "dib_exact"])
def test_copied_bit_keeps_one_bit_at_large_beta(method):
    # Y = X, a fair bit: I(X;Y) = H(X) = 1 bit; at β = 10 keeping T = X costs 1 bit and gains 10 bits of
    # objective, so every method keeps the whole bit: I(T;Y) = H(T) = I(X;T) = 1 bit.
    r = information_bottleneck([[0.5, 0.0], [0.0, 0.5]], 10.0, method=method, random_state=0, base=2)
    assert r.i_ty == pytest.approx(1.0, abs=1e-9)  # converged fixed point of a two-letter problem
    assert r.h_t == pytest.approx(1.0, abs=1e-9)
    assert r.objective == pytest.approx(1.0 - 10.0, abs=1e-8)
    assert r.unit == "bits"


@pytest.mark.parametrize("beta, clusters", [(0.9, 1), (1.1, 2)])
def test_dib_splits_a_copied_bit_exactly_when_beta_exceeds_one(beta, clusters):
    # DIB on Y = X (1 bit): one cluster gives objective 0, two give 1 − β·1 (bits); split iff β > 1.
    for method in ("dib", "dib_exact"):
        r = information_bottleneck([[0.5, 0.0], [0.0, 0.5]], beta, method=method, random_state=0, base=2)
        assert r.n_clusters_used == clusters
        assert r.objective == pytest.approx(min(0.0, 1 - beta), abs=1e-12)


def test_ib_curve_lies_on_the_binary_symmetric_frontier():
    # For the DSBS the optimal IB curve is Mrs. Gerber's frontier; the IB solutions must lie on it (not
    # above: it is an upper bound; not below: they are optimal).
    p = 0.1
    curve = information_bottleneck_curve(_dsbs(p), np.linspace(1.0, 8.0, 8), method="ib", n_restarts=2,
                                         random_state=1)
    assert curve.converged.all()
    for x, y in zip(curve.i_xt, curve.i_ty):
        # 1e-7 nats: the runs stop when a sweep gains < 1e-10; the frontier solves h⁻¹ to 1e-16
        assert y == pytest.approx(_mgl_frontier(x, p), abs=1e-7)
    assert curve.i_xy == pytest.approx(LN2 - _h(p), abs=1e-12)  # I(X;Y) = 1 − h(p) bits
    assert curve.h_x == pytest.approx(LN2, abs=1e-12)


def test_ib_phase_transition_at_the_critical_beta():
    # The DSBS frontier leaves the origin with slope (1 − 2p)², so the trivial encoder is optimal exactly for
    # β < β_c = 1/(1 − 2p)² = 1.5625 at p = 0.1 (I(X;T) − β I(T;Y) < 0 needs β · slope > 1).
    p = 0.1
    beta_c = 1 / (1 - 2 * p) ** 2
    below = information_bottleneck(_dsbs(p), 0.9 * beta_c, random_state=0)
    above = information_bottleneck(_dsbs(p), 1.2 * beta_c, random_state=0)
    assert below.i_xt < 1e-6  # the iteration decays towards the trivial fixed point geometrically
    assert above.i_xt > 0.1  # well inside the non-trivial branch (0.33 nats at 1.2 β_c)


def test_dib_merges_outcomes_with_identical_conditionals():
    # x0 and x1 have the same p(y|x): merging them loses no I(T;Y) and saves H(T), so the DIB optimum at any
    # β keeps them together, while x2 (a different conditional) gets its own cluster at large β.
    joint = np.array([[0.15, 0.05], [0.30, 0.10], [0.05, 0.35]])
    for method in ("dib", "dib_exact"):
        r = information_bottleneck(joint, 50.0, method=method, random_state=0)
        labels = r.encoder.argmax(axis=1)
        assert labels[0] == labels[1] != labels[2]
        assert r.i_ty == pytest.approx(infokit.mutual_information(joint), abs=1e-12)  # nothing lost
        assert r.h_t < infokit.entropy(joint.sum(axis=1)) - 0.1  # and H(T) < H(X)


# ---------------------------------------------------------------------------------------- brute force
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_dib_exact_equals_an_independent_brute_force(seed):
    rng = np.random.default_rng(seed)
    joint = _random_joint(rng, 4, 3)
    for beta in (0.5, 2.0, 8.0):
        r = information_bottleneck(joint, beta, method="dib_exact", n_clusters=3)
        # 1e-12: the same sums of a few logs, evaluated in two orders
        assert r.objective == pytest.approx(_brute_force_dib(joint, beta, 3), abs=1e-12)


@pytest.mark.parametrize("seed", [10, 11, 12, 13, 14])
def test_iterative_dib_reaches_the_exact_optimum_on_tiny_alphabets(seed):
    rng = np.random.default_rng(seed)
    joint = _random_joint(rng, int(rng.integers(3, 6)), int(rng.integers(2, 5)))
    betas = np.geomspace(0.5, 50, 10)
    exact = information_bottleneck_curve(joint, betas, method="dib_exact")
    it = information_bottleneck_curve(joint, betas, method="dib", random_state=seed)
    # 1e-12: both are the same deterministic encoders once the search finds them
    np.testing.assert_allclose(it.objective, exact.objective, atol=1e-12)


@pytest.mark.parametrize("seed", [20, 21, 22])
def test_ib_objective_never_exceeds_the_best_deterministic_encoder(seed):
    # On deterministic encoders I(X;T) = H(T), so min L_IB <= min L_DIB (= dib_exact) at every β.
    rng = np.random.default_rng(seed)
    joint = _random_joint(rng, 4, 3)
    betas = np.geomspace(0.5, 30, 8)
    exact = information_bottleneck_curve(joint, betas, method="dib_exact")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # slow runs near transitions only cost precision
        ib = information_bottleneck_curve(joint, betas, method="ib", random_state=seed, max_iter=3000)
    # 1e-8 nats: IB runs stop when a sweep gains < 1e-10 and can approach a deterministic optimum slowly
    assert (ib.objective <= exact.objective + 1e-8).all()


def test_set_partitions_count_is_the_bell_numbers():
    bell = [1, 2, 5, 15, 52, 203, 877, 4140]
    for n, b in enumerate(bell, start=1):
        labels = _set_partitions(n, n)
        assert labels.shape == (b, n)
        assert len({tuple(r) for r in labels}) == b  # all distinct
    # at most 2 blocks: 2^(n-1) partitions (Stirling S(n,1) + S(n,2))
    assert _set_partitions(6, 2).shape[0] == 2 ** 5


# ----------------------------------------------------------------------------------------- properties
_joints = st.tuples(st.integers(2, 4), st.integers(2, 4), st.integers(0, 10_000)).map(
    lambda t: _random_joint(np.random.default_rng(t[2]), t[0], t[1], conc=0.7))


@settings(max_examples=15)
@given(joint=_joints, beta=st.floats(0.0, 20.0), method=st.sampled_from(["ib", "dib", "dib_exact"]))
def test_solutions_respect_the_information_plane_bounds(joint, beta, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        r = information_bottleneck(joint, beta, method=method, n_restarts=2, random_state=0)
    i_xy = infokit.mutual_information(joint)
    h_x = infokit.entropy(joint.sum(axis=1))
    tol = 1e-12  # round-off of entropy differences
    assert r.i_ty <= min(r.i_xt, i_xy) + tol  # data processing along T − X − Y
    assert r.i_xt <= min(r.h_t, h_x) + tol
    np.testing.assert_allclose(r.encoder.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.cluster_marginal, joint.sum(axis=1) @ r.encoder, atol=1e-12)
    if method != "ib":  # deterministic encoders: one-hot rows, I(X;T) = H(T)
        assert set(np.unique(r.encoder)) <= {0.0, 1.0}
        assert r.i_xt == pytest.approx(r.h_t, abs=1e-12)


@settings(max_examples=10)
@given(joint=_joints, method=st.sampled_from(["ib", "dib_exact"]))
def test_curve_is_monotone_in_beta(joint, method):
    # At the optima both coordinates are non-decreasing in β (exchange argument on the Lagrangian).
    betas = np.geomspace(0.2, 40, 9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        c = information_bottleneck_curve(joint, betas, method=method, n_restarts=2, random_state=0)
    x = c.i_xt if method == "ib" else c.h_t
    # 1e-7 nats: IB runs stop when a sweep gains < 1e-10, which leaves up to ~1e-8 in the coordinates
    assert (np.diff(x) >= -1e-7).all()
    assert (np.diff(c.i_ty) >= -1e-7).all()
    assert (c.i_ty <= c.i_xy + 1e-12).all()


def test_permuting_x_and_y_permutes_the_solution():
    rng = np.random.default_rng(5)
    joint = _random_joint(rng, 4, 3)
    px, py = [2, 0, 3, 1], [1, 2, 0]
    a = information_bottleneck(joint, 3.0, method="dib_exact")
    b = information_bottleneck(joint[np.ix_(px, py)], 3.0, method="dib_exact")
    assert b.objective == pytest.approx(a.objective, abs=1e-12)  # the objective is label-free
    # the partition of X is the same up to relabelling clusters
    la, lb = a.encoder.argmax(axis=1)[px], b.encoder.argmax(axis=1)
    assert len({(u, v) for u, v in zip(la, lb)}) == len(set(la)) == len(set(lb))


def test_units_convert_once():
    joint = _random_joint(np.random.default_rng(3), 3, 3)
    a = information_bottleneck(joint, 4.0, method="dib_exact")
    b = information_bottleneck(joint, 4.0, method="dib_exact", base=2)
    assert b.i_ty == pytest.approx(a.i_ty / LN2, rel=1e-12)
    assert b.objective == pytest.approx(a.objective / LN2, rel=1e-12)
    assert (a.unit, b.unit) == ("nats", "bits")


def test_zero_probability_rows_get_the_cluster_marginal_and_do_not_count():
    joint = np.array([[0.4, 0.1], [0.0, 0.0], [0.1, 0.4]])
    r = information_bottleneck(joint, 20.0, method="dib_exact")
    np.testing.assert_allclose(r.encoder[1], r.cluster_marginal, atol=0)
    ref = information_bottleneck(joint[[0, 2]], 20.0, method="dib_exact")
    assert r.objective == pytest.approx(ref.objective, abs=1e-15)


def test_inputs_are_not_mutated_and_warm_start_is_used():
    joint = _random_joint(np.random.default_rng(8), 3, 3)
    before = joint.copy()
    init = np.eye(3)
    init_before = init.copy()
    r = information_bottleneck(joint, 5.0, method="dib", init=init, n_restarts=1, random_state=0)
    np.testing.assert_array_equal(joint, before)
    np.testing.assert_array_equal(init, init_before)
    assert r.encoder.flags.writeable is False


def test_same_seed_same_answer():
    joint = _random_joint(np.random.default_rng(9), 4, 3)
    a = information_bottleneck(joint, 3.0, random_state=7)
    b = information_bottleneck(joint, 3.0, random_state=7)
    np.testing.assert_array_equal(a.encoder, b.encoder)


def test_max_iter_reached_warns():
    with pytest.warns(ConvergenceWarning, match="max_iter=1"):
        information_bottleneck(_dsbs(0.1), 3.0, max_iter=1, random_state=0)


# -------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "joint, match",
    [
        ([0.5, 0.5], "at least 2 axes"),
        (np.full((2, 2, 2), 0.125), "2-D table"),
        ([[0.6, 0.6], [-0.1, -0.1]], "non-negative"),
        ([[0.3, 0.3], [0.3, 0.3]], "sum to 1"),
        ([[np.nan, 0.5], [0.25, 0.25]], "finite"),
    ],
)
def test_bad_joint_is_rejected_with_a_clear_message(joint, match):
    with pytest.raises(InvalidDistributionError, match=match):
        information_bottleneck(joint, 1.0)


@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(beta=-1.0), InvalidParameterError, "`beta` must be >= 0"),
        (dict(beta=float("nan")), InvalidParameterError, "`beta` must be a finite"),
        (dict(beta=1.0, method="kmeans"), InvalidParameterError, "`method` must be one of"),
        (dict(beta=1.0, n_clusters=0), InvalidParameterError, "`n_clusters` must be an integer >= 1"),
        (dict(beta=1.0, n_restarts=0), InvalidParameterError, "`n_restarts`"),
        (dict(beta=1.0, tol=0.0), InvalidParameterError, "`tol` must be > 0"),
        (dict(beta=1.0, init=np.eye(3)), ShapeMismatchError, r"shape \(n_x, n_clusters\) = \(2, 2\)"),
        (dict(beta=1.0, method="dib", init=[[0.5, 0.5], [0, 1]]), InvalidParameterError, "one-hot"),
    ],
)
def test_bad_parameters_are_rejected(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        information_bottleneck([[0.4, 0.1], [0.1, 0.4]], **kwargs)


def test_exact_search_refuses_large_alphabets():
    joint = np.full((11, 2), 1 / 22)
    with pytest.raises(InvalidParameterError, match="at most 10 outcomes; got 11.*method='dib'"):
        information_bottleneck(joint, 1.0, method="dib_exact")


def test_curve_rejects_bad_betas():
    with pytest.raises(InvalidParameterError, match="1-D sequence"):
        information_bottleneck_curve([[0.4, 0.1], [0.1, 0.4]], [[1.0, 2.0]])
    with pytest.raises(InvalidParameterError, match=r"`betas\[1\]` must be >= 0"):
        information_bottleneck_curve([[0.4, 0.1], [0.1, 0.4]], [1.0, -2.0])


def test_docstring_examples_run():
    import doctest
    import importlib

    module = importlib.import_module("infokit.methods.bottleneck.discrete_ib")
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, module.__name__, globs={}):
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} docstring example(s) failed in infokit.methods.bottleneck.discrete_ib"
