"""Tests of infokit.measures.lattice: meet, join, entropic distances, complement, reconstruction condition.

Oracles: closed forms (derivations in comments), brute force in pure Python (dicts and union–find, a different
algorithm from the library's sparse connected components), dit's Gács–Körner common information, and
scikit-learn's ``mutual_info_score`` on empirical label distributions.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import infokit
from infokit.exceptions import (
    InvalidDistributionError,
    InvalidInputTypeError,
    InvalidParameterError,
    ShapeMismatchError,
)
from infokit.measures import lattice

LN2 = math.log(2.0)
# entropies are sums of a few hundred float64 terms: agreement to 1e-12 nats leaves ~1e3 ulps of room
EXACT = 1e-12


# ============================================================================================ helpers
def _h(probs) -> float:
    """Entropy in nats of an iterable of probabilities (pure Python)."""
    return -sum(q * math.log(q) for q in probs if q > 0)


def _brute_meet_entropy(joint) -> float:
    """H(X∧Y) by union–find over the support of a 2-D table (pure Python, independent of scipy)."""
    joint = np.asarray(joint)
    parent = {}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in zip(*np.nonzero(joint > 0)):
        for node in (("x", i), ("y", j)):
            parent.setdefault(node, node)
        ra, rb = find(("x", i)), find(("y", j))
        if ra != rb:
            parent[ra] = rb
    mass = defaultdict(float)
    for i, pi in enumerate(joint.sum(axis=1)):
        if pi > 0:
            mass[find(("x", i))] += pi
    return _h(mass.values())


def _brute_pair_entropies(p, x, y):
    """(H(X), H(Y), H(X,Y)) in nats from label lists by dictionaries."""
    hx, hy, hxy = defaultdict(float), defaultdict(float), defaultdict(float)
    for pi, a, b in zip(p, x, y):
        hx[a] += pi
        hy[b] += pi
        hxy[(a, b)] += pi
    return _h(hx.values()), _h(hy.values()), _h(hxy.values())


def _brute_reconstruction(p, label_lists):
    """H_X, H_i, H_join and injectivity on the support, by dictionaries of tuples."""
    h_i = []
    for lab in label_lists:
        acc = defaultdict(float)
        for pi, v in zip(p, lab):
            acc[v] += pi
        h_i.append(_h(acc.values()))
    acc = defaultdict(float)
    seen = defaultdict(int)
    for k, pi in enumerate(p):
        key = tuple(lab[k] for lab in label_lists)
        acc[key] += pi
        if pi > 0:
            seen[key] += 1
    return _h(p), np.array(h_i), _h(acc.values()), all(c == 1 for c in seen.values())


def _random_sparse_joint(rng, nx, ny, density):
    """A random 2-D pmf whose support keeps each cell with probability ``density`` (at least one cell)."""
    mask = rng.random((nx, ny)) < density
    mask[rng.integers(nx), rng.integers(ny)] = True
    j = rng.random((nx, ny)) * mask
    return j / j.sum()


def _primes(n):
    sieve = np.ones(n + 1, dtype=bool)
    sieve[:2] = False
    for k in range(2, int(n**0.5) + 1):
        if sieve[k]:
            sieve[k * k :: k] = False
    return np.flatnonzero(sieve).tolist()


def _valuation(n, p):
    c = 0
    while n % p == 0:
        n //= p
        c += 1
    return c


# ============================================================================================ meet
def test_meet_block_diagonal_joint_has_one_value_per_block():
    # blocks {x0,x1}×{y0,y1} (mass 0.3), {x2}×{y2,y3} (mass 0.5), {x3}×{y4} (mass 0.2):
    # H(X∧Y) = H(0.3, 0.5, 0.2) = -(0.3 ln 0.3 + 0.5 ln 0.5 + 0.2 ln 0.2)
    j = np.zeros((4, 5))
    j[0, 0], j[0, 1], j[1, 1] = 0.1, 0.1, 0.1
    j[2, 2], j[2, 3] = 0.25, 0.25
    j[3, 4] = 0.2
    r = infokit.meet(j)
    assert r.n_components == 3
    assert r.x_components.tolist() == [0, 0, 1, 2]
    assert r.y_components.tolist() == [0, 0, 1, 1, 2]
    np.testing.assert_allclose(r.pmf, [0.3, 0.5, 0.2], atol=EXACT)
    assert r.entropy == pytest.approx(_h([0.3, 0.5, 0.2]), abs=EXACT)
    assert r.unit == "nats" and r.labels is None


def test_meet_marks_zero_probability_values_with_minus_one():
    # row 1 and column 2 carry no mass: they belong to no component
    j = np.array([[0.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, 0.0]])
    r = infokit.meet(j, base=2)
    assert r.x_components.tolist() == [0, -1, 1]
    assert r.y_components.tolist() == [0, 1, -1]
    assert r.entropy == pytest.approx(1.0, abs=EXACT)  # two equiprobable components: 1 bit


def test_meet_of_variable_with_itself_is_the_variable():
    # joint = diag(p): every value is its own component, H(X∧X) = H(X)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    r = infokit.meet(np.diag(p))
    assert r.n_components == 4
    np.testing.assert_allclose(r.pmf, p, atol=EXACT)
    assert r.entropy == pytest.approx(infokit.entropy(p), abs=EXACT)


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 6))
def test_meet_of_independent_variables_is_null(seed, nx, ny):
    # p(x, y) = p(x) p(y) with full marginal supports: the support graph is complete bipartite
    rng = np.random.default_rng(seed)
    j = np.outer(rng.dirichlet(np.ones(nx)), rng.dirichlet(np.ones(ny)))
    r = infokit.meet(j)
    assert r.n_components == 1
    assert r.entropy == 0.0


@given(st.integers(0, 2**32 - 1), st.integers(1, 8), st.integers(1, 8), st.floats(0.05, 0.6))
def test_common_information_matches_union_find_and_is_at_most_mutual_information(seed, nx, ny, density):
    rng = np.random.default_rng(seed)
    j = _random_sparse_joint(rng, nx, ny, density)
    ci = infokit.common_information(j)
    assert ci == pytest.approx(_brute_meet_entropy(j), abs=EXACT)
    # H(X∧Y) ≤ I(X;Y) (Gács–Körner); 1e-12 absorbs the round-off of the entropy differences inside I
    assert ci <= infokit.mutual_information(j) + 1e-12


def test_common_information_matches_dit_gk_common_information():
    dit = pytest.importorskip("dit")
    from dit.multivariate import gk_common_information

    rng = np.random.default_rng(20240531)
    for _ in range(15):
        j = _random_sparse_joint(rng, int(rng.integers(2, 6)), int(rng.integers(2, 6)), 0.35)
        cells = list(zip(*np.nonzero(j > 0)))
        d = dit.Distribution([(int(a), int(b)) for a, b in cells], [float(j[a, b]) for a, b in cells])
        # dit reports bits; its optimiser-free GK routine is exact up to float round-off
        assert infokit.common_information(j, base=2) == pytest.approx(gk_common_information(d, [[0], [1]]), abs=1e-9)


def test_meet_label_form_equals_table_form_and_returns_labels_on_omega():
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(40))
    x = rng.integers(0, 6, size=40)
    # y is a coarse function of x plus an independent part: the common part is x // 2
    y = (x // 2) * 10 + rng.integers(0, 3, size=40)
    from_labels = infokit.meet(p=p, x=x, y=y)
    from_table = infokit.meet(infokit.joint_from_labels(p, x, y))
    assert from_labels.entropy == pytest.approx(from_table.entropy, abs=EXACT)
    assert from_labels.labels is not None and from_labels.labels.shape == (40,)
    # the labels on Ω generate the same partition as x // 2 wherever both are defined
    assert infokit.shannon_distance(p=p, x=from_labels.labels, y=x // 2) == pytest.approx(0.0, abs=EXACT)


def test_meet_result_is_read_only():
    r = infokit.meet([[0.5, 0.0], [0.0, 0.5]])
    with pytest.raises(ValueError):
        r.pmf[0] = 1.0
    with pytest.raises(AttributeError):
        r.entropy = 3.0  # frozen dataclass


# ============================================================================================ distances
def test_shannon_distance_of_independent_bits_is_two_bits_and_rajski_is_one():
    # H(X|Y) + H(Y|X) = 1 + 1 bit; I = 0 so δ = 1 − 0/H(X,Y) = 1
    j = np.full((2, 2), 0.25)
    assert infokit.shannon_distance(j, base=2) == pytest.approx(2.0, abs=EXACT)
    assert infokit.rajski_distance(j) == pytest.approx(1.0, abs=EXACT)


def test_rajski_distance_is_zero_for_deterministic_pair_by_convention():
    # H(X,Y) = 0: both constant; δ is defined as 0 (same null element) instead of 0/0
    assert infokit.rajski_distance([[1.0]]) == 0.0
    assert infokit.rajski_distance([[0.0, 1.0], [0.0, 0.0]]) == 0.0
    assert infokit.shannon_distance([[0.0, 1.0], [0.0, 0.0]]) == 0.0


@given(st.integers(0, 2**32 - 1), st.integers(1, 7), st.integers(1, 7), st.floats(0.1, 1.0))
def test_shannon_distance_equals_sum_of_conditional_entropies(seed, nx, ny, density):
    rng = np.random.default_rng(seed)
    j = _random_sparse_joint(rng, nx, ny, density)
    want = infokit.conditional_entropy(j, x=0, given=1) + infokit.conditional_entropy(j, x=1, given=0)
    d = infokit.shannon_distance(j)
    assert d == pytest.approx(want, abs=1e-12)  # same entropies, summed in another order
    assert infokit.shannon_distance(j.T) == pytest.approx(d, abs=1e-12)  # symmetry
    delta = infokit.rajski_distance(j)
    assert 0.0 <= delta <= 1.0
    h_xy = infokit.joint_entropy(j)
    if h_xy > 0:
        assert delta == pytest.approx(1.0 - infokit.mutual_information(j) / h_xy, abs=1e-12)
    assert infokit.shannon_distance(j, base=2) == pytest.approx(d / LN2, abs=1e-12)


@given(st.integers(0, 2**32 - 1), st.integers(2, 30), st.integers(1, 5))
def test_distances_satisfy_the_triangle_inequality(seed, m, k):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(m, 0.7))
    x, y, z = (rng.integers(0, k, size=m) for _ in range(3))
    for f in (infokit.shannon_distance, infokit.rajski_distance):
        dxy, dyz, dxz = f(p=p, x=x, y=y), f(p=p, x=y, y=z), f(p=p, x=x, y=z)
        # metric: d(X,Z) ≤ d(X,Y) + d(Y,Z); 1e-12 absorbs round-off of the entropy sums
        assert dxz <= dxy + dyz + 1e-12


@given(st.integers(0, 2**32 - 1), st.integers(2, 40), st.integers(1, 6))
def test_join_lies_between_its_arguments(seed, m, k):
    # d(X,Y) = d(X, X∨Y) + d(X∨Y, Y): both sides equal 2H(X,Y) − H(X) − H(Y)
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(m))
    x, y = rng.integers(0, k, size=m), rng.integers(0, k, size=m)
    xy = infokit.join(p, x, y)
    lhs = infokit.shannon_distance(p=p, x=x, y=y)
    rhs = infokit.shannon_distance(p=p, x=x, y=xy) + infokit.shannon_distance(p=p, x=xy, y=y)
    assert lhs == pytest.approx(rhs, abs=1e-12)


def test_distance_is_zero_iff_mutual_functions_and_entropy_gap_for_a_coarsening():
    rng = np.random.default_rng(11)
    p = rng.dirichlet(np.ones(12))
    x = np.arange(12) % 6
    relabelled = (x * 7 + 3) % 11  # an injective relabelling of x's six values
    assert infokit.shannon_distance(p=p, x=x, y=relabelled) == pytest.approx(0.0, abs=EXACT)
    assert infokit.rajski_distance(p=p, x=x, y=relabelled) == pytest.approx(0.0, abs=EXACT)
    coarse = x // 2  # X' = f(X) ≤ X: d = H(X) − H(X'), strictly positive here
    hx, hc, _ = _brute_pair_entropies(p, x.tolist(), coarse.tolist())
    assert hx - hc > 0.1
    assert infokit.shannon_distance(p=p, x=x, y=coarse) == pytest.approx(hx - hc, abs=EXACT)


def test_label_form_distance_matches_sklearn_mutual_info_on_empirical_labels():
    sk = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(3)
    x = rng.integers(0, 5, size=300)
    y = (x + rng.integers(0, 3, size=300)) % 7
    p = np.full(300, 1 / 300)
    # with the empirical pmf, I(X;Y) is sklearn's mutual_info_score (nats), and d = H(X) + H(Y) − 2I
    mi = sk.mutual_info_score(x, y)
    hx, hy, hxy = _brute_pair_entropies(p, x.tolist(), y.tolist())
    assert infokit.shannon_distance(p=p, x=x, y=y) == pytest.approx(hx + hy - 2 * mi, abs=1e-10)
    assert infokit.rajski_distance(p=p, x=x, y=y) == pytest.approx(1 - mi / hxy, abs=1e-10)


def test_label_kinds_strings_tuples_rows_and_callables_give_the_same_distance():
    p = np.full(6, 1 / 6)
    ints = np.array([0, 0, 1, 1, 2, 2])
    other = np.array([0, 1, 0, 1, 0, 1])
    base_value = infokit.shannon_distance(p=p, x=ints, y=other)
    strings = np.array(["a", "a", "b", "b", "c", "c"])
    rows = np.stack([ints, ints * 2], axis=1)  # one tuple per outcome, same partition as ints
    objects = np.empty(6, dtype=object)
    objects[:] = [("a", 1), ("a", 1), ("b",), ("b",), 3, 3]  # mixed, incomparable types
    for lab in (strings, rows, objects, lambda i: i // 2):
        assert infokit.shannon_distance(p=p, x=lab, y=other) == pytest.approx(base_value, abs=EXACT)


# ============================================================================================ join / tables
def test_join_codes_are_equal_exactly_when_label_tuples_are_equal():
    rng = np.random.default_rng(5)
    labs = [rng.integers(0, 3, size=50) for _ in range(3)]
    codes = infokit.join(np.full(50, 0.02), *labs)
    tuples = list(zip(*(lab.tolist() for lab in labs)))
    for a, b in itertools.combinations(range(50), 2):
        assert (codes[a] == codes[b]) == (tuples[a] == tuples[b])
    assert codes.min() == 0 and codes.max() == len(set(tuples)) - 1


def test_join_of_nothing_is_constant_and_join_is_idempotent():
    p = np.full(4, 0.25)
    assert infokit.join(p).tolist() == [0, 0, 0, 0]
    x = np.array([3, 1, 3, 2])
    assert infokit.shannon_distance(p=p, x=infokit.join(p, x, x), y=x) == 0.0


def test_join_entropy_is_joint_entropy_of_the_labels():
    rng = np.random.default_rng(8)
    p = rng.dirichlet(np.ones(30))
    labs = [rng.integers(0, 4, size=30) for _ in range(3)]
    table = infokit.joint_from_labels(p, *labs)
    codes = infokit.join(p, *labs)
    h_codes = infokit.entropy(np.bincount(codes, weights=p))
    assert h_codes == pytest.approx(infokit.joint_entropy(table), abs=EXACT)


def test_joint_from_labels_accumulates_mass_in_sorted_label_order():
    # axis 0: labels sorted ("a" < "b"); axis 1: 0 < 1
    t = infokit.joint_from_labels([0.5, 0.25, 0.25], ["b", "a", "a"], [1, 0, 1])
    np.testing.assert_allclose(t, [[0.25, 0.25], [0.0, 0.5]], atol=0)


# ============================================================================================ complement
@given(st.integers(0, 2**32 - 1), st.integers(2, 30), st.integers(1, 6))
def test_complement_joins_to_z_and_meets_to_null(seed, m, k):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(m, 0.5))
    p[rng.random(m) < 0.2] = 0.0  # some outcomes off the support
    if p.sum() == 0:
        p[0] = 1.0
    p = p / p.sum()
    z = rng.integers(0, 2 * k, size=m)
    x = z % k  # X = f(Z) ≤ Z
    y = infokit.complement(p, x, z)
    xy = infokit.join(p, x, y)
    assert infokit.shannon_distance(p=p, x=xy, y=z) == pytest.approx(0.0, abs=EXACT)  # X ∨ Y = Z
    assert infokit.common_information(p=p, x=x, y=y) == 0.0  # X ∧ Y = 0
    # H(Y) ≥ H(Z | X), since Z is a function of (X, Y)
    h_z_given_x = infokit.conditional_entropy(infokit.joint_from_labels(p, z, x))
    assert infokit.entropy(np.bincount(y, weights=p)) >= h_z_given_x - 1e-12


def test_complement_ranks_each_class_by_decreasing_probability():
    # Ω = {-2,-1,1,2}, p = (0.1, 0.4, 0.3, 0.2), X = sign. Class "−": p(-1) = 0.4 > p(-2) = 0.1 -> ranks
    # (-2: 1, -1: 0); class "+": p(1) = 0.3 > p(2) = 0.2 -> (1: 0, 2: 1). So Y = |ω| − 1, the absolute value.
    p = np.array([0.1, 0.4, 0.3, 0.2])
    vals = np.array([-2, -1, 1, 2])
    y = infokit.complement(p, np.sign(vals))
    assert y.tolist() == [1, 0, 0, 1]
    assert infokit.shannon_distance(p=p, x=y, y=np.abs(vals)) == pytest.approx(0.0, abs=EXACT)
    # equal probabilities: ties are broken by the order of the Z values, (−2, −1) and (1, 2) -> Y = [0, 1, 0, 1]
    assert infokit.complement(np.full(4, 0.25), np.sign(vals)).tolist() == [0, 1, 0, 1]


def test_complement_rejects_x_that_is_not_a_function_of_z():
    with pytest.raises(InvalidParameterError, match=r"`x` must be a function of `z`.*outcomes 0 and 1"):
        infokit.complement([0.5, 0.5], [0, 1], [7, 7])


# ============================================================================================ reconstruction
def _crt(n):
    x = np.arange(n)
    return n, [x % 2, x % 3, x % 5]


def _sign_abs(with_zero):
    vals = np.arange(-3, 4) if with_zero else np.array([-3, -2, -1, 1, 2, 3])
    return len(vals), [np.sign(vals), np.abs(vals)]


def _prime_signature(n):
    xs = range(1, n + 1)
    return n, [np.array([_valuation(v, q) for v in xs]) for q in _primes(n)]


_WORDS = np.array(list(itertools.product([0, 1], repeat=4)))


def _parities(rows):
    return 16, [(_WORDS @ np.array(r)) % 2 for r in rows]


_PERMS = list(itertools.permutations(range(4)))


def _comparisons(pairs):
    return 24, [np.array([int(s[i] < s[j]) for s in _PERMS]) for i, j in pairs]


_ALL_PAIRS = list(itertools.combinations(range(4), 2))

# (name, builder, n, H(X), Σ H(X_i), Σ δ_i, reconstructable) — the table of the notes (§3.3), uniform p_x, bits.
# Closed forms: sign/abs: H = log2 6, H(sign) = 1, H(|X|) = log2 3, Σδ = 2 − (1 + log2 3)/log2 6 = 1.
# With 0: H(sign) = H(3/7, 1/7, 3/7), H(|X|) = H(1/7, 2/7, 2/7, 2/7). CRT: residues uniform, Σ H = log2 30, so
# Σδ = 3 − log2 30 / log2 n. Parities: each non-zero parity is a fair bit. Sorting: each comparison is a fair
# bit, H(X) = log2 24.
TABLE = [
    ("sign_abs", lambda: _sign_abs(False), 2, math.log2(6), math.log2(6), 1.0, True),
    ("sign_abs_with_zero", lambda: _sign_abs(True), 2, math.log2(7),
     _h([3 / 7, 1 / 7, 3 / 7]) / LN2 + _h([1 / 7, 2 / 7, 2 / 7, 2 / 7]) / LN2, 0.789, True),
    ("crt_0_29", lambda: _crt(30), 3, math.log2(30), math.log2(30), 2.0, True),
    ("crt_0_59", lambda: _crt(60), 3, math.log2(60), math.log2(30), 3 - math.log2(30) / math.log2(60), False),
    ("prime_signature_30", lambda: _prime_signature(30), 10, math.log2(30), 6.093, 8.758, True),
    ("prime_signature_100", lambda: _prime_signature(100), 25, math.log2(100), 8.209, 23.764, True),
    ("prime_signature_1000", lambda: _prime_signature(1000), 168, math.log2(1000), 12.129, 166.783, True),
    ("parities_independent", lambda: _parities([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1)]), 4,
     4.0, 4.0, 3.0, True),
    ("parities_rank3", lambda: _parities([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (1, 1, 0, 0)]), 4,
     4.0, 4.0, 3.0, False),
    ("three_parities", lambda: _parities([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0)]), 3, 4.0, 3.0, 2.25, False),
    ("sorting_all_comparisons", lambda: _comparisons(_ALL_PAIRS), 6, math.log2(24), 6.0,
     6 - 6 / math.log2(24), True),
    ("sorting_without_0_1", lambda: _comparisons(_ALL_PAIRS[1:]), 5, math.log2(24), 5.0,
     5 - 5 / math.log2(24), False),
]


@pytest.mark.parametrize("name,build,n,h_x,sum_h,sum_delta,ok", TABLE, ids=[t[0] for t in TABLE])
def test_reconstruction_condition_reproduces_the_five_examples(name, build, n, h_x, sum_h, sum_delta, ok):
    m, labels = build()
    r = infokit.reconstruction_condition(np.full(m, 1 / m), labels, base=2)
    assert r.n == n and r.bound == n - 1
    # the table prints 3 decimals (Σδ) or 5 (entropies); the closed forms above are exact
    assert r.H_X == pytest.approx(h_x, abs=1e-12)
    assert r.H_i.sum() == pytest.approx(sum_h, abs=5e-4)
    assert r.sum_delta == pytest.approx(sum_delta, abs=5e-4)
    assert r.reconstructable is ok
    # necessary condition: holds whenever reconstructable; fails exactly for crt_0_59 and three_parities
    assert r.necessary_ok is (name not in ("crt_0_59", "three_parities"))
    # brute-force recomputation of every entropy with dictionaries of tuples
    bx, bh_i, bjoin, binj = _brute_reconstruction([1 / m] * m, [lab.tolist() for lab in labels])
    assert r.H_X == pytest.approx(bx / LN2, abs=EXACT)
    np.testing.assert_allclose(r.H_i, bh_i / LN2, atol=EXACT)
    assert r.H_join == pytest.approx(bjoin / LN2, abs=EXACT)
    assert r.reconstructable is binj
    assert r.conditional_entropy == pytest.approx(max(bx - bjoin, 0) / LN2, abs=EXACT)
    np.testing.assert_allclose(r.delta_i, 1 - bh_i / bx, atol=EXACT)
    np.testing.assert_allclose(r.rho_i, bh_i / bx, atol=EXACT)
    np.testing.assert_allclose(r.d_i, (bx - bh_i) / LN2, atol=EXACT)
    assert r.slack == pytest.approx(n - 1 - r.sum_delta, abs=EXACT)
    if ok:
        assert r.witness is None
        # slack = (Σ H_i − H_X)/H_X = total correlation / H(X) when H_join = H_X
        assert r.slack == pytest.approx(r.total_correlation / r.H_X, abs=1e-12)
    else:
        i, j = r.witness
        assert i != j and all(lab[i] == lab[j] for lab in labels)


def test_sorting_without_one_comparison_loses_half_a_bit():
    # permutations whose items 0 and 1 are adjacent in the order (12 of 24) pair up: 6 classes of mass 2/24,
    # 12 singletons of mass 1/24 -> H_join = 0.5·log2 12 + 0.5·log2 24 = 4.08496 bits
    m, labels = _comparisons(_ALL_PAIRS[1:])
    r = infokit.reconstruction_condition(np.full(m, 1 / m), labels, base=2)
    assert r.H_join == pytest.approx(0.5 * math.log2(12) + 0.5 * math.log2(24), abs=1e-12)
    assert r.conditional_entropy == pytest.approx(math.log2(24) - r.H_join, abs=1e-12)


def test_rank3_parities_meet_the_condition_with_equality_yet_fail():
    # Σδ = n − 1 exactly (independent fair bits, Σ H_i = H_X = 4), but H_join = 3 < 4: the condition is not
    # sufficient
    m, labels = _parities([(1, 0, 0, 0), (0, 1, 0, 0), (0, 0, 1, 0), (1, 1, 0, 0)])
    r = infokit.reconstruction_condition(np.full(m, 1 / m), labels, base=2)
    assert r.necessary_ok and not r.reconstructable
    assert r.slack == pytest.approx(0.0, abs=1e-12)
    assert r.H_join == pytest.approx(3.0, abs=1e-12)


def test_callables_see_values_when_given():
    vals = np.array([-3, -2, -1, 1, 2, 3])
    r = infokit.reconstruction_condition(np.full(6, 1 / 6), [np.sign, abs], values=vals, base=2)
    assert r.reconstructable and r.sum_delta == pytest.approx(1.0, abs=1e-12)
    # without values the callables see indices 0..5: sign is then {0, 1} and abs the identity
    r2 = infokit.reconstruction_condition(np.full(6, 1 / 6), [np.sign, abs], base=2)
    np.testing.assert_allclose(r2.H_i, [_h([1 / 6, 5 / 6]) / LN2, math.log2(6)], atol=EXACT)


def test_zero_probability_points_do_not_break_reconstruction():
    # indices 0 and 2 collide, but index 2 has probability 0: injective on the support
    p = np.array([0.5, 0.5, 0.0])
    r = infokit.reconstruction_condition(p, [[0, 1, 0]])
    assert r.reconstructable and r.support_size == 2 and r.witness is None


def test_degenerate_x_has_zero_distances():
    # H(X) = 0: Rajski distances are 0 by convention, X is trivially reconstructable
    r = infokit.reconstruction_condition([1.0], [[5], [7]])
    assert r.H_X == 0.0 and r.reconstructable and r.necessary_ok
    np.testing.assert_array_equal(r.delta_i, [0.0, 0.0])


@given(st.integers(0, 2**32 - 1), st.integers(2, 25), st.integers(1, 5), st.integers(2, 4))
def test_reconstruction_implies_necessary_and_tree_conditions(seed, m, n, k):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(m))
    labels = [rng.integers(0, k, size=m) for _ in range(n)]
    r = infokit.reconstruction_condition(p, labels, pairwise=True)
    bx, bh_i, bjoin, binj = _brute_reconstruction(p.tolist(), [lab.tolist() for lab in labels])
    assert r.reconstructable is binj
    assert r.H_join == pytest.approx(bjoin, abs=EXACT)
    if r.reconstructable:
        assert r.necessary_ok and r.tree_ok
    # the tree bound lies between H_join and Σ H_i (chain rule along a tree; conditioning reduces entropy)
    assert r.H_join <= r.tree_bound + 1e-12
    assert r.tree_bound <= r.H_i.sum() + 1e-12
    assert (not r.tree_ok) or r.necessary_ok  # tree_ok ⇒ H_X ≤ Σ H_i ⇒ necessary_ok
    # the pairwise matrices are the pairwise distances
    for i, j in [(0, n - 1), (n - 1, 0)]:
        assert r.pairwise_d[i, j] == pytest.approx(infokit.shannon_distance(p=p, x=labels[i], y=labels[j]), abs=1e-12)
        want = infokit.rajski_distance(p=p, x=labels[i], y=labels[j])
        assert r.pairwise_delta[i, j] == pytest.approx(want, abs=1e-12)
    np.testing.assert_array_equal(np.diag(r.pairwise_d), 0.0)


def test_tree_bound_detects_dependent_components_that_the_sum_misses():
    # X uniform on 4 values, X1 = X2 = X3 = X mod 2: Σ H_i = 3 bits ≥ H_X = 2 (sum condition holds),
    # but the tree bound is 3 − (1 + 1) = 1 bit < 2 (the copies are fully dependent) -> tree_ok is False
    x = np.arange(4)
    r = infokit.reconstruction_condition(np.full(4, 0.25), [x % 2] * 3, base=2, pairwise=True)
    assert r.necessary_ok and not r.reconstructable
    assert r.tree_bound == pytest.approx(1.0, abs=1e-12)
    assert r.tree_ok is False


def test_tree_bound_uses_a_maximum_weight_spanning_tree():
    # X = (b1, b2) uniform on 4 values; A = B = b1 (copies), C = b2. I(A;B) = 1 bit, I(A;C) = I(B;C) = 0.
    # Maximum tree {A–B, ·–C}: 3 − 1 = 2 bits (= H_X, tight); a minimum tree would give 3 − 0 = 3 bits.
    x = np.arange(4)
    r = infokit.reconstruction_condition(np.full(4, 0.25), [x % 2, x % 2, x // 2], base=2, pairwise=True)
    assert r.tree_bound == pytest.approx(2.0, abs=1e-12)
    assert r.reconstructable and r.tree_ok


def test_witness_points_lie_in_the_support():
    # index 1 collides with both others but has probability 0; the witness must be the supported pair (0, 2)
    r = infokit.reconstruction_condition([0.5, 0.0, 0.5], [[0, 0, 0]])
    assert not r.reconstructable and r.witness == (0, 2)


def test_reconstruction_base_two_equals_nats_over_ln2():
    n_, labels = _crt(30)
    nats = infokit.reconstruction_condition(np.full(30, 1 / 30), labels)
    bits = infokit.reconstruction_condition(np.full(30, 1 / 30), labels, base=2)
    assert bits.H_X == pytest.approx(nats.H_X / LN2, abs=EXACT)
    np.testing.assert_allclose(bits.d_i, nats.d_i / LN2, atol=EXACT)
    assert bits.sum_delta == nats.sum_delta  # unitless
    assert (nats.unit, bits.unit) == ("nats", "bits")


def test_inputs_are_not_mutated():
    p = np.full(6, 1 / 6)
    x = np.array([0, 0, 1, 1, 2, 2])
    y = np.array([0, 1, 0, 1, 0, 1])
    p0, x0, y0 = p.copy(), x.copy(), y.copy()
    joint = infokit.joint_from_labels(p, x, y)
    j0 = joint.copy()
    infokit.meet(joint)
    infokit.shannon_distance(p=p, x=x, y=y)
    infokit.complement(p, x)
    infokit.join(p, x, y)
    infokit.reconstruction_condition(p, [x, y], pairwise=True)
    for a, b in ((p, p0), (x, x0), (y, y0), (joint, j0)):
        np.testing.assert_array_equal(a, b)


# ============================================================================================ errors
def test_errors_name_the_argument_and_the_fix():
    p = np.full(4, 0.25)
    with pytest.raises(ShapeMismatchError, match=r"`labels\[1\]` must have one label per outcome.*got length 3"):
        infokit.reconstruction_condition(p, [[0, 1, 2, 3], [0, 1, 2]])
    with pytest.raises(InvalidInputTypeError, match=r"one array of shape \(4,\); wrap it in a list"):
        infokit.reconstruction_condition(p, np.array([0, 1, 2, 3]))
    with pytest.raises(InvalidInputTypeError, match=r"flat list of numbers; wrap it in a list"):
        infokit.reconstruction_condition(p, [0, 1, 2, 3])
    with pytest.raises(InvalidInputTypeError, match=r"single callable; wrap it in a list"):
        infokit.reconstruction_condition(p, abs)
    with pytest.raises(InvalidParameterError, match=r"at least one function"):
        infokit.reconstruction_condition(p, [])
    with pytest.raises(InvalidParameterError, match=r"`labels\[0\]` contains NaN at index 2"):
        infokit.reconstruction_condition(p, [[0.0, 1.0, np.nan, 2.0]])
    with pytest.raises(InvalidDistributionError, match=r"`p_x` must sum to 1"):
        infokit.reconstruction_condition([0.3, 0.3], [[0, 1]])
    with pytest.raises(InvalidParameterError, match=r"`tol` must be >= 0"):
        infokit.reconstruction_condition(p, [[0, 1, 2, 3]], tol=-1.0)
    with pytest.raises(ShapeMismatchError, match=r"`values` must have one value per entry of `p_x`"):
        infokit.reconstruction_condition(p, [abs], values=[1, 2])
    with pytest.raises(InvalidInputTypeError, match=r"`labels\[0\]` must return hashable labels"):
        infokit.reconstruction_condition(p, [lambda i: {i}])


def test_two_variable_entry_points_reject_ambiguous_or_wrong_inputs():
    with pytest.raises(InvalidParameterError, match=r"got both"):
        infokit.meet([[1.0]], p=[1.0], x=[0], y=[0])
    with pytest.raises(InvalidParameterError, match=r"missing `y`"):
        infokit.shannon_distance(p=[1.0], x=[0])
    with pytest.raises(InvalidParameterError, match=r"pass a 2-D joint table"):
        infokit.rajski_distance()
    with pytest.raises(InvalidDistributionError, match=r"`joint` must be a 2-D table"):
        infokit.meet(np.full((2, 2, 2), 1 / 8))
    with pytest.raises(InvalidDistributionError, match=r"`joint` must sum to 1"):
        infokit.common_information([[0.5, 0.4]])
    with pytest.raises(InvalidDistributionError, match=r"`p` must be non-negative"):
        infokit.join([1.5, -0.5], [0, 1])
    with pytest.raises(InvalidParameterError, match=r"`base` must be"):
        infokit.shannon_distance([[1.0]], base=1)


def test_kernel_module_exports_match_public_names():
    for name in lattice.__all__:
        assert getattr(infokit.measures, name) is getattr(lattice, name)
