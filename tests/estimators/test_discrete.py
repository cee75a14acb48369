"""Discrete estimators from integer codes: factorize/combine/count, ten entropy estimators, MI and CMI.

Oracles: hand-derived closed forms on tiny count vectors (derivations in comments), brute force
(literal leave-one-out, Zhang's series in exact rationals, Dirichlet posterior integrals), mpmath at 30
digits (NSB, CWJ tail, special-function helpers), peer libraries (infomeasure, pyitlib, dit, sklearn) where
they implement the same formula, and seeded Monte Carlo for the bias-reduction property.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, special

import infokit
from infokit.estimators import discrete as D
from infokit.exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

LN2 = math.log(2.0)
EULER = 0.5772156649015329
# Sums of a handful of float64 terms with digamma values: a few ulps.
TIGHT = 1e-12
# Parity with a peer that evaluates the same formula in a different order (Python loops, bits -> nats).
PEER = 1e-10
ALL = tuple(D.ENTROPY_METHODS)


def _zipf(K, s=1.0):
    p = np.arange(1, K + 1, dtype=np.float64) ** (-s)
    return p / p.sum()


def _counts_of(x):
    c = np.bincount(x)
    return c[c > 0]


def _same_partition(codes, keys):
    """codes[i] == codes[j] iff keys[i] == keys[j]: the code <-> key map is a bijection."""
    pairs = set(zip(codes.tolist(), keys))
    return len(pairs) == len(set(codes.tolist())) == len(set(keys))


# ============================================================================================ factorize
@pytest.mark.parametrize(
    "values",
    [
        [3, -7, 3, 10**12, -7, 0],  # negative and huge: the np.unique path
        [5, 1, 5, 2, 1],  # small non-negative: the bincount path
        [-3, -1, -3, 0],  # negative, small range: shifted by the minimum
        [2**63 + 5, 1, 2**63 + 5],  # uint64 beyond int64
        ["é", "e", "é", "ée"],  # non-ASCII characters
        [True, False, True],
        [0.5, -0.0, 0.0, 0.5, 2.0],  # -0.0 == 0.0 is one symbol
        [1.0, 3.0, 1.0, 2.0],  # integer-valued floats: the integer path
        [float("inf"), 1.0, float("inf")],  # inf is an ordinary symbol (NaN is not)
        ["b", "a", "b", "", "ab"],
        [b"x", b"yy", b"x"],
        [1, "a", (1, 2), "a", (1, 2), 1.0],  # objects: 1 == 1.0 is one symbol (Python equality)
    ],
)
def test_factorize_codes_partition_samples_by_equality(values):
    if any(isinstance(v, (tuple, str)) for v in values) and len({type(v) for v in values}) > 1:
        a = np.empty(len(values), dtype=object)  # mixed Python objects, kept 1-D
        a[:] = values
    else:
        a = np.array(values)
    codes, K = D.factorize(a)
    keys = list(values)
    assert codes.dtype == np.int64 and codes.shape == (len(values),)
    assert _same_partition(codes, keys)
    # dense codes: every code in [0, K) occurs, K = number of distinct symbols
    assert K == len(set(keys)) and set(codes.tolist()) == set(range(K))


def test_factorize_datetimes_partition_by_equality():
    a = np.array(["2020-01-01", "2021-05-05", "2020-01-01"], dtype="datetime64[D]")
    codes, K = D.factorize(a)
    assert K == 2 and codes[0] == codes[2] != codes[1]


def test_factorize_nondense_small_integers_are_their_own_codes():
    x = np.array([4, 0, 4, 9], dtype=np.int64)
    codes, K = D.factorize(x, dense=False)
    np.testing.assert_array_equal(codes, x)
    assert K > 9  # an upper bound of the codes (OR of the values + 1 = 14 here)
    assert K == (4 | 0 | 9) + 1


def test_factorize_rows_of_2d_array_are_symbols():
    rng = np.random.default_rng(3)
    x = rng.integers(0, 3, size=(200, 3))
    codes, K = D.factorize(x)
    keys = [tuple(r) for r in x.tolist()]
    assert _same_partition(codes, keys) and K == len(set(keys))


def test_factorize_mixed_object_columns_of_2d_array():
    x = np.array([["a", 1], ["b", 1], ["a", 1], ["a", 2]], dtype=object)
    codes, K = D.factorize(x)
    assert K == 3 and codes[0] == codes[2] and len({codes[0], codes[1], codes[3]}) == 3


@pytest.mark.parametrize(
    "bad",
    [
        np.array([1.0, np.nan, 2.0, np.nan]),
        np.array([1, None, 2], dtype=object),
        np.array(["a", float("nan"), "b"], dtype=object),
        np.array(["2020-01-01", "NaT"], dtype="datetime64[D]"),
    ],
)
def test_factorize_refuses_to_merge_missing_values_into_a_symbol(bad):
    with pytest.raises(InvalidSampleError, match=r"missing value\(s\).*never counted as a symbol"):
        D.factorize(bad)


def test_factorize_nan_message_says_how_many_and_where():
    with pytest.raises(InvalidSampleError, match=r"contains 2 missing value\(s\).*first at row 1"):
        D.factorize(np.array([1.0, np.nan, 2.0, np.nan]))


def test_factorize_rejects_unhashable_objects_and_3d_input():
    with pytest.raises(InvalidInputTypeError, match="hashable"):
        D.factorize(np.array([[1], [2, 3]], dtype=object))
    with pytest.raises(InvalidSampleError, match=r"1-D \(n,\) or 2-D \(n, d\)"):
        D.factorize(np.zeros((2, 2, 2)))


def test_factorize_and_estimators_do_not_modify_their_input():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, 300)
    y = rng.integers(-3, 2, 300).astype(float)
    s = np.array(["u", "v"] * 150)
    copies = [x.copy(), y.copy(), s.copy()]
    cx, Kx = D.factorize(x, dense=False)
    cy, Ky = D.factorize(y)
    cs, Ks = D.factorize(s)
    for m in ALL:
        D.entropy_discrete(cx, Kx, m)
        D.mutual_information_discrete(cx, Kx, cy, Ky, m)
        D.conditional_mutual_information_discrete(cx, Kx, cy, Ky, cs, Ks, m)
    for orig, now in zip(copies, (x, y, s)):
        np.testing.assert_array_equal(orig, now)


# ============================================================================================ combine / counts
def test_combine_codes_is_overflow_safe_and_equals_row_factorization():
    # Four variables with code spaces of 2**20 each: the mixed-radix product 2**80 overflows int64,
    # so combine_codes must re-factorise on the way; the partition must still be that of the row tuples.
    rng = np.random.default_rng(7)
    n = 500
    cols = [rng.integers(0, 3, n) * (2**19) for _ in range(4)]  # values 0, 2**19, 2**20 (< 2**20 + 1)
    sizes = [2**20 + 1] * 4
    codes, K = D.combine_codes(cols, sizes, dense=True)
    keys = list(zip(*[c.tolist() for c in cols]))
    assert _same_partition(codes, keys)
    assert K == len(set(keys)) and codes.max() == K - 1


def test_combine_codes_small_spaces_use_mixed_radix():
    a, b = np.array([0, 1, 2]), np.array([1, 0, 1])
    codes, K = D.combine_codes([a, b], [3, 2])
    np.testing.assert_array_equal(codes, a * 2 + b)  # c = a·K_b + b
    assert K == 6


def test_chunked_count_tables_merge_to_the_full_table_and_entropy():
    rng = np.random.default_rng(11)
    codes = rng.integers(0, 40, 5000)
    full = D.count_codes(codes, 40)
    parts = [D.count_codes(ch, 40) for ch in np.array_split(codes, 7)]
    np.testing.assert_array_equal(D.merge_counts(*parts), full)
    for m in ALL:
        assert D.entropy_from_counts(D.merge_counts(*parts), m) == pytest.approx(
            D.entropy_discrete(codes, 40, m), rel=TIGHT
        )


def test_value_counts_of_chunks_with_different_symbols_merge_like_counter():
    rng = np.random.default_rng(5)
    words = np.array(["cat", "dog", "emu", "gnu", "yak"])
    x = words[rng.integers(0, 5, 999)]
    chunks = [x[:100], x[100:101], x[101:600], x[600:]]  # chunk 2 holds a single symbol
    vals, cnts = D.merge_value_counts(*(D.value_counts(ch) for ch in chunks))
    assert dict(zip(vals.tolist(), cnts.tolist())) == Counter(x.tolist())
    codes, K = D.factorize(x)
    assert D.entropy_from_counts(cnts, "nsb") == pytest.approx(D.entropy_discrete(codes, K, "nsb"), rel=TIGHT)


def test_value_counts_of_integers_and_rows():
    vals, cnts = D.value_counts(np.array([3, 1, 3, 3]))
    assert vals.tolist() == [1, 3] and cnts.tolist() == [1, 3]
    rows = np.array([[0, 1], [2, 2], [0, 1]])
    vals, cnts = D.value_counts(rows)
    assert {tuple(v): c for v, c in zip(vals.tolist(), cnts.tolist())} == {(0, 1): 2, (2, 2): 1}


def test_joint_count_tables_merge_and_give_the_same_mi_and_cmi():
    rng = np.random.default_rng(2)
    x, y, z = rng.integers(0, 4, 800), rng.integers(0, 3, 800), rng.integers(0, 2, 800)
    halves = [slice(0, 300), slice(300, 800)]
    t2 = D.merge_counts(*(D.joint_counts([x[h], y[h]], [4, 3]) for h in halves))
    t3 = D.merge_counts(*(D.joint_counts([x[h], y[h], z[h]], [4, 3, 2]) for h in halves))
    for m in ("plugin", "nsb", "chao_shen"):
        assert D.mutual_information_from_counts(t2, m) == pytest.approx(
            D.mutual_information_discrete(x, 4, y, 3, m), rel=TIGHT, abs=1e-15
        )
        assert D.conditional_mutual_information_from_counts(t3, m) == pytest.approx(
            D.conditional_mutual_information_discrete(x, 4, y, 3, z, 2, m), rel=TIGHT, abs=1e-15
        )


# ============================================================================================ closed forms
def _h(*p):
    return -sum(q * math.log(q) for q in p if q > 0)


def _chao_shen_21():
    # counts [2, 1]: N = 3, f1 = 1, C = 1 - 1/3 = 2/3; Cp = (4/9, 2/9); P(seen) = 1 - (1 - Cp)^3
    pa = (4 / 9, 2 / 9)
    return -sum(p * math.log(p) / (1 - (1 - p) ** 3) for p in pa)


CLOSED_FORMS = [
    # plug-in: -Σ p log p
    ("plugin", [1, 1], {}, LN2),
    ("plugin", [2, 1, 1], {}, 1.5 * LN2),  # p = (1/2, 1/4, 1/4)
    # Miller-Madow: plug-in + (m - 1)/(2N)
    ("miller_madow", [1, 1], {}, LN2 + 1 / 4),
    ("miller_madow", [2, 1, 1], {}, 1.5 * LN2 + 2 / 8),
    # Grassberger: ψ(N) - Σ n G(n)/N. G(1) = ψ(1) - ½(ψ(1) - ψ(½)) = -γ - log 2;
    # G(2) = ψ(2) + ½(ψ(3/2) - ψ(1)) = 1 - γ + ½(2 - 2 log 2) = 2 - γ - log 2.
    # [1,1]: ψ(2) - G(1) = 1 - γ + γ + log 2.  [2,1]: ψ(3) - (2G(2) + G(1))/3 = 3/2 - γ - (4 - 3γ - 3 log 2)/3.
    ("grassberger", [1, 1], {}, 1 + LN2),
    ("grassberger", [2, 1], {}, 1 / 6 + LN2),
    # Chao-Shen [1,1]: f1 = N = 2 -> f1 := 1 (documented deviation), C = 1/2, Cp = 1/4 each,
    # P(seen) = 1 - (3/4)^2 = 7/16: H = 2 · (1/4) log 4 · 16/7 = (16/7) log 2.
    ("chao_shen", [1, 1], {}, 16 / 7 * LN2),
    ("chao_shen", [2, 1], {}, _chao_shen_21()),
    # Chao-Wang-Jost [1,1]: N = 2, f1 = 2, f2 = 0 -> A = 2/((N-1)(f1-1)+2) = 2/3;
    # first part Σ (n/N) Σ_{k=n}^{N-1} 1/k = 1; second (f1/N)(1-A)^{1-N}(-log A - (1-A)) = 3(log 3/2 - 1/3).
    ("chao_wang_jost", [1, 1], {}, 3 * math.log(1.5)),
    # [2,1]: f1 = f2 = 1 -> A = 2/(2 + 2) = 1/2; first = (2/3)(1/2) + (1/3)(1 + 1/2) = 5/6;
    # second = (1/3)(1/2)^{-2}(log 2 - 1/2 - 1/8) = (4/3) log 2 - 5/6; total (4/3) log 2.
    ("chao_wang_jost", [2, 1], {}, 4 / 3 * LN2),
    # James-Stein [5,1]: p = (5/6, 1/6), t = 1/2: λ = (1 - 26/36)/(5 · 2/9) = 1/4,
    # p_shrink = 1/4 · 1/2 + 3/4 · p = (3/4, 1/4).
    ("shrinkage", [5, 1], {}, _h(3 / 4, 1 / 4)),
    ("shrinkage", [1, 1], {}, LN2),  # already uniform: λ = 1
    # same counts with one unseen symbol (K = 3): t = 1/3, Σ(t - p)^2 = (1/2)^2 + (1/6)^2 + (1/3)^2 = 7/18,
    # λ = (10/36)/(5 · 7/18) = 1/7, p_shrink = (1/21 + 5/7, 1/21 + 1/7, 1/21) = (16/21, 4/21, 1/21).
    ("shrinkage", [5, 1], {"alphabet_size": 3}, _h(16 / 21, 4 / 21, 1 / 21)),
    # Zhang: ψ(N) - Σ n ψ(n)/N.  [1,1]: ψ(2) - ψ(1) = 1.  [2,1]: 3/2 - γ - (2(1 - γ) - γ)/3 = 5/6.
    ("zhang", [1, 1], {}, 1.0),
    ("zhang", [2, 1], {}, 5 / 6),
    # Bayes, Laplace prior on K = 2: posterior Beta(2, 2), E[H] = ψ(5) - ψ(3) = 1/3 + 1/4.
    ("bayes", [1, 1], {"alpha": 1.0}, 7 / 12),
    # no data-free case: one observation, K = 2, α = 1: Beta(2, 1): E[H] = ψ(4) - (2/3)ψ(3) - (1/3)ψ(2)
    #   = (11/6 - γ) - (2/3)(3/2 - γ) - (1/3)(1 - γ) = 11/6 - 1 - 1/3 = 1/2.
    ("bayes", [1], {"alpha": 1.0, "alphabet_size": 2}, 0.5),
    # Jackknife [1,1]: N·H - (N-1)/N Σ_j H_{-j} = 2 log 2 - 1/2 (0 + 0).
    ("jackknife", [1, 1], {}, 2 * LN2),
    # [2,1]: H = log 3 - (2/3) log 2; leaving out an 'a' gives [1,1] (log 2, twice), the 'b' gives [2] (0):
    # 3H - (2/3)(2 log 2) = 3 log 3 - (10/3) log 2.
    ("jackknife", [2, 1], {}, 3 * math.log(3) - 10 / 3 * LN2),
    # NSB, one sample, K symbols: ρ(n|β) = 1/K for every β and one draw does not move the expected entropy
    # of a symmetric Dirichlet, so the posterior over ξ is the prior (uniform on [0, log K]): mean log(K)/2.
    ("nsb", [1], {"alphabet_size": 7}, math.log(7) / 2),
    ("nsb", [1], {"alphabet_size": 10**9}, math.log(1e9) / 2),
]


@pytest.mark.parametrize("method, counts, options, expected", CLOSED_FORMS)
def test_entropy_estimators_match_hand_derived_values(method, counts, options, expected):
    got = D.ENTROPY_METHODS[method](np.array(counts, dtype=np.int64), **options)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=TIGHT, abs=TIGHT)


@pytest.mark.parametrize("method", ALL)
def test_a_single_observed_symbol_has_zero_entropy(method):
    # every estimator: one symbol seen 7 times, no declared alphabet -> H = 0
    assert D.ENTROPY_METHODS[method](np.array([7])) == pytest.approx(0.0, abs=1e-15)


def test_euler_constant_used_in_derivations_is_right():
    assert -special.digamma(1.0) == pytest.approx(EULER, rel=1e-15)


# ============================================================================================ brute force
def _zhang_series_exact(counts):
    """Zhang (2012): H_z = Σ_{v=1}^{N-1} (1/v) Σ_k p_k Π_{j=0}^{v-1} (1 + (1 - n_k)/(N - 1 - j)), in rationals."""
    N = sum(counts)
    total = Fraction(0)
    for n in counts:
        prod = Fraction(1)
        for v in range(1, N):
            j = v - 1
            prod *= 1 + Fraction(1 - n, N - 1 - j)
            if prod == 0:
                break
            total += Fraction(n, N) * prod / v
    return total


@pytest.mark.parametrize("counts", [[1, 1], [3, 1, 1], [4, 4, 2, 1, 1], [9, 1], [2, 2, 2, 5, 1, 1, 1]])
def test_zhang_closed_form_equals_the_series_of_the_paper(counts):
    assert D.ENTROPY_METHODS["zhang"](np.array(counts)) == pytest.approx(float(_zhang_series_exact(counts)), rel=TIGHT)


def _plugin_of(counter):
    N = sum(counter)
    return -sum(c / N * math.log(c / N) for c in counter if c > 0)


@pytest.mark.parametrize("counts", [[1, 1], [3, 2], [5, 1, 1, 2], [1, 1, 1, 7]])
def test_jackknife_equals_literal_leave_one_out(counts):
    samples = [i for i, c in enumerate(counts) for _ in range(c)]
    N = len(samples)
    loo = []
    for j in range(N):
        rest = samples[:j] + samples[j + 1 :]
        loo.append(_plugin_of(list(Counter(rest).values())))
    expected = N * _plugin_of(counts) - (N - 1) / N * sum(loo)
    assert D.ENTROPY_METHODS["jackknife"](np.array(counts)) == pytest.approx(expected, rel=TIGHT)


@pytest.mark.parametrize("counts, alpha", [([3, 1], 0.5), ([6, 2], 1.0), ([1, 4], 0.01)])
def test_bayes_equals_the_posterior_integral_for_two_symbols(counts, alpha):
    # K = 2: p ~ Beta(n1 + α, n2 + α) a posteriori; E[H] = ∫ h(p) Beta(p) dp by adaptive quadrature.
    from scipy.stats import beta as beta_dist

    a, b = counts[0] + alpha, counts[1] + alpha
    expected, _ = integrate.quad(
        lambda p: (-(p * math.log(p)) - (1 - p) * math.log1p(-p)) * beta_dist.pdf(p, a, b), 0, 1, epsabs=1e-13
    )
    got = D.ENTROPY_METHODS["bayes"](np.array(counts), alpha=alpha)
    assert got == pytest.approx(expected, rel=1e-9)  # quad's tolerance at the endpoint singularities


def test_bayes_prior_names_map_to_their_alpha():
    c = np.array([4, 2, 1])
    N, K = 7, 5
    for name, a in (("jeffreys", 0.5), ("laplace", 1.0), ("perks", 1 / K), ("minimax", math.sqrt(N) / K)):
        assert D.ENTROPY_METHODS["bayes"](c, alpha=name, alphabet_size=K) == pytest.approx(
            D.ENTROPY_METHODS["bayes"](c, alpha=a, alphabet_size=K), rel=TIGHT
        )


# ------------------------------------------------------------------------------------------- mpmath oracles
def _mpmath():
    return pytest.importorskip("mpmath")  # ships with sympy (a torch dependency); skip without it


def _nsb_mpmath(counts, K):
    """NSB from its definition at 20 digits: ∫dβ (dξ/dβ) ρ(n|β) ⟨H⟩_β / ∫dβ (dξ/dβ) ρ(n|β), β = e^t.

    Independent of the implementation: mpmath special functions, tanh-sinh quadrature on unit panels.
    """
    mp = _mpmath()
    groups = Counter(counts)  # value -> multiplicity
    with mp.workdps(20):
        N, m = sum(counts), len(counts)

        def log_w(t):
            b = mp.e**t
            log_rho = mp.loggamma(K * b) - mp.loggamma(N + K * b)
            log_rho += sum(r * (mp.loggamma(c + b) - mp.loggamma(b)) for c, r in groups.items())
            return log_rho + mp.log(K * mp.psi(1, K * b + 1) - mp.psi(1, b + 1)) + t

        def mean_h(t):
            b = mp.e**t
            A = N + K * b
            s = sum(r * (c + b) * mp.psi(0, c + b + 1) for c, r in groups.items()) + (K - m) * b * mp.psi(0, b + 1)
            return mp.psi(0, A + 1) - s / A

        grid = [mp.mpf(i) for i in range(-30, 41)]
        vals = [log_w(t) for t in grid]
        i = max(range(len(vals)), key=lambda k: vals[k])
        l0 = vals[i]
        # the log weight falls at least linearly away from its mode: e^-40 within 40 units to the left
        # (slope >= m) and 45 to the right (slope -1); panels are narrow near the mode
        pts = [grid[i] + k for k in (-40, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 45)]
        cache = {}

        def pair(t):  # both integrals visit the same nodes: evaluate each once
            if t not in cache:
                cache[t] = (mp.e ** (log_w(t) - l0), mean_h(t))
            return cache[t]

        z = mp.quad(lambda t: pair(t)[0], pts)
        num = mp.quad(lambda t: pair(t)[0] * pair(t)[1], pts)
        return float(num / z)


@pytest.mark.parametrize(
    "counts, K",
    [
        ([5, 3, 1, 1], 4),
        pytest.param([1, 1], 2, marks=pytest.mark.slow),  # ~5 s each: mpmath quadrature at 20 digits
        pytest.param([1, 1, 1, 1, 1], 50, marks=pytest.mark.slow),
        pytest.param([100, 1, 1], 3, marks=pytest.mark.slow),
        pytest.param([2, 2, 1, 1, 1], 20, marks=pytest.mark.slow),
        pytest.param([10, 10, 10], 3, marks=pytest.mark.slow),
    ],
)
def test_nsb_equals_its_definition_integrated_by_mpmath(counts, K):
    got = D.ENTROPY_METHODS["nsb"](np.array(counts), alphabet_size=K)
    # 1e-10: float64 log-weights of magnitude <= 1e3 lose ~1e-13; Gauss-Legendre panels are exact to round-off
    assert got == pytest.approx(_nsb_mpmath(counts, K), rel=1e-10)


@pytest.mark.parametrize("A, n", [(0.9, 3), (0.3, 50), (0.049, 40), (1e-3, 100), (2e-8, 10**4), (1e-5, 10**6)])
def test_chao_wang_jost_tail_equals_lerch_transcendent(A, n):
    # (1-A)^{1-n}(-log A - Σ_{r<n} (1-A)^r/r) = Σ_{j>=0} B^{j+1}/(n+j) = B Φ(B, 1, n), B = 1 - A
    mp = _mpmath()
    with mp.workdps(40):
        B = 1 - mp.mpf(A)
        expected = float(B * mp.lerchphi(B, 1, n))
    assert D._cwj_tail(A, n) == pytest.approx(expected, rel=1e-10)  # quad epsrel 1e-13 + rounding of A


@pytest.mark.parametrize("x, n", [(25.0, 3.0), (1e3, 1.0), (1e9, 50.0), (1e15, 7.0), (0.3, 1e6), (30.0, 1e7)])
def test_log_rising_factorial_is_accurate_where_gammaln_cancels(x, n):
    mp = _mpmath()
    with mp.workdps(40):
        expected = float(mp.loggamma(mp.mpf(x) + n) - mp.loggamma(x))
    got = float(D._log_rising(np.array([x]), np.array([n]))[0])
    assert got == pytest.approx(expected, rel=1e-13)  # Stirling series truncated below 2e-15 for x >= 20


@pytest.mark.parametrize("beta, K", [(1e-6, 10.0), (0.5, 2.0), (19.9, 1000.0), (20.5, 3.0), (1e4, 7.0), (1e12, 1e6)])
def test_nsb_prior_density_is_accurate_in_both_branches(beta, K):
    mp = _mpmath()
    with mp.workdps(40):
        b = mp.mpf(beta)
        expected = float(mp.log(K * mp.psi(1, K * b + 1) - mp.psi(1, b + 1)))
    got = float(D._log_nsb_prior(np.array([beta]), K)[0])
    assert got == pytest.approx(expected, rel=1e-12)  # asymptotic series truncated below 1e-13 at β = 20


# ============================================================================================ NSB robustness
@pytest.mark.parametrize(
    "K, n",
    [(10, 100), (100, 100), (1000, 100), (1000, 300), (1000, 2000), (100, 1000), (1000, 10000), (1000, 500),
     (1000, 5000)],
)
def test_nsb_is_finite_where_infomeasure_returns_nan(K, n):
    # The 9 (K, n) Zipf settings of ../shared/specs/peers.md §3e, where infomeasure 0.6.3 gave NaN in 6.
    p = _zipf(K)
    truth = -float(np.sum(p * np.log(p)))
    c = _counts_of(np.random.default_rng(0).choice(K, size=n, p=p))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow / invalid-value warnings either
        h_obs = D.ENTROPY_METHODS["nsb"](c)
        h_k = D.ENTROPY_METHODS["nsb"](c, alphabet_size=K)
    assert 0.0 < h_obs <= math.log(c.size) + 1e-12  # K = observed symbols bounds it by log m
    assert 0.0 < h_k <= math.log(K) + 1e-12
    plug = D.ENTROPY_METHODS["plugin"](c)
    if truth - plug > 0.3:
        # Undersampled: NSB with the true K must beat the plug-in. Across 40 seeds at K=1000, n=500 its error
        # was -0.11 ± 0.11 nats (max 0.26) against the plug-in's -0.68: a 0.3-nat margin is never at risk.
        assert abs(h_k - truth) < abs(plug - truth)


def test_nsb_handles_extreme_count_vectors():
    # near-uniform, 10^7 samples: every estimator of a well-sampled uniform pmf gives log K
    assert D.ENTROPY_METHODS["nsb"](np.full(100, 10**5)) == pytest.approx(math.log(100), abs=1e-6)
    # all singletons with a huge declared alphabet: finite and above the plug-in log N
    h = D.ENTROPY_METHODS["nsb"](np.ones(1000, dtype=np.int64), alphabet_size=10**6)
    assert math.log(1000) < h < math.log(10**6)
    # one symbol seen 10^6 times out of a declared 1000: the posterior piles up at β -> 0, H ≈ 0
    assert 0.0 <= D.ENTROPY_METHODS["nsb"](np.array([10**6]), alphabet_size=1000) < 1e-4


# ============================================================================================ peers
def _zipf_sample(seed=1, K=50, n=120):
    return np.random.default_rng(seed).choice(K, size=n, p=_zipf(K))


@pytest.mark.parametrize(
    "ours, approach",
    [
        ("plugin", "discrete"),
        ("miller_madow", "miller_madow"),
        ("chao_shen", "chao_shen"),
        ("chao_wang_jost", "chao_wang_jost"),
        ("shrinkage", "shrink"),
        ("zhang", "zhang"),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_entropy_parity_with_infomeasure(ours, approach, seed):
    im = pytest.importorskip("infomeasure")
    x = _zipf_sample(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = im.entropy(x, approach=approach)
    assert D.ENTROPY_METHODS[ours](_counts_of(x)) == pytest.approx(theirs, rel=PEER)


def test_infomeasure_grassberger_is_the_1988_formula_not_2003():
    # Why our 'grassberger' differs from infomeasure's: theirs is Grassberger (1988),
    # Σ (n/N)(log N - ψ(n) - (-1)^n/(n+1)); ours is Grassberger (2003) with G(n) (and equals dit's entropy_2).
    im = pytest.importorskip("infomeasure")
    x = _zipf_sample()
    c = _counts_of(x).astype(float)
    N = c.sum()
    gr88 = float(np.sum(c / N * (math.log(N) - special.digamma(c) - (-1.0) ** c / (c + 1))))
    assert im.entropy(x, approach="grassberger") == pytest.approx(gr88, rel=PEER)
    assert abs(D.ENTROPY_METHODS["grassberger"](_counts_of(x)) - gr88) > 1e-3


def test_infomeasure_bayes_is_a_pseudocount_plugin_not_the_posterior_mean():
    # Why our 'bayes' differs: infomeasure returns H((n + α)/(N + Kα)), the entropy of the posterior-mean
    # pmf; ours is the posterior mean of H (Wolpert & Wolf 1995), which is smaller by Jensen's inequality.
    im = pytest.importorskip("infomeasure")
    x = _zipf_sample()
    c = _counts_of(x).astype(float)
    q = (c + 0.5) / (c.sum() + 0.5 * c.size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert im.entropy(x, approach="bayes", alpha=0.5) == pytest.approx(_h(*q), rel=PEER)
    assert D.ENTROPY_METHODS["bayes"](_counts_of(x), alpha=0.5) < _h(*q)


@pytest.mark.parametrize("seed", [1, 2])
def test_entropy_parity_with_pyitlib(seed):
    drv = pytest.importorskip("pyitlib.discrete_random_variable")
    x = _zipf_sample(seed)
    c = _counts_of(x)
    assert D.ENTROPY_METHODS["plugin"](c) == pytest.approx(drv.entropy(x, base=np.e), rel=PEER)
    assert D.ENTROPY_METHODS["shrinkage"](c) == pytest.approx(
        drv.entropy(x, base=np.e, estimator="JAMES-STEIN"), rel=PEER
    )


@pytest.mark.parametrize("seed", [1, 2])
def test_entropy_parity_with_dit(seed):
    inference = pytest.importorskip("dit.inference")
    x = _zipf_sample(seed).tolist()
    c = _counts_of(np.array(x))
    # dit returns bits
    assert D.ENTROPY_METHODS["plugin"](c) == pytest.approx(inference.entropy_0(x) * LN2, rel=PEER)
    assert D.ENTROPY_METHODS["zhang"](c) == pytest.approx(inference.entropy_1(x) * LN2, rel=PEER)
    assert D.ENTROPY_METHODS["grassberger"](c) == pytest.approx(inference.entropy_2(x) * LN2, rel=PEER)


# ============================================================================================ bias property
def test_bias_corrected_estimators_have_smaller_mean_bias_than_plugin_when_undersampled():
    # Zipf(1) on K = 50 symbols, n = 30 samples, 200 seeded replications. Measured mean biases (nats):
    # plug-in -0.68 (s.e. 0.011); the corrected ones -0.43 ... +0.15 (s.e. <= 0.021). Requiring the
    # 3-s.e. bands not to overlap keeps a margin of >= 10 s.e., so the verdict does not hinge on the seed.
    K, n, R = 50, 30, 200
    p = _zipf(K)
    truth = -float(np.sum(p * np.log(p)))
    X = np.random.default_rng(0).choice(K, size=(R, n), p=p)
    aware = {"bayes", "nsb", "shrinkage"}  # these need the alphabet size; the others use observed counts
    errs = {m: [] for m in ALL}
    for r in range(R):
        c = _counts_of(X[r])
        for m in ALL:
            kw = {"alphabet_size": K} if m in aware else {}
            errs[m].append(D.ENTROPY_METHODS[m](c, **kw) - truth)
    stats = {m: (np.mean(v), np.std(v, ddof=1) / math.sqrt(R)) for m, v in errs.items()}
    b0, s0 = stats["plugin"]
    assert b0 < -0.5  # the plug-in is biased low by ~0.68 nats here
    for m in ALL:
        if m == "plugin":
            continue
        b, s = stats[m]
        assert abs(b) + 3 * s < abs(b0) - 3 * s0, (m, b, s)


# ============================================================================================ hypothesis
count_vectors = st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=25).map(
    lambda v: np.array(v, dtype=np.int64)
)
NONNEGATIVE = {"plugin", "miller_madow", "chao_shen", "chao_wang_jost", "shrinkage", "zhang", "bayes", "nsb"}


@given(count_vectors, st.integers(min_value=0, max_value=40))
def test_every_estimator_is_finite_and_ignores_the_order_of_counts(c, extra):
    rng = np.random.default_rng(int(c.sum()))
    perm = c[rng.permutation(c.size)]
    for m in ALL:
        kw = {"alphabet_size": c.size + extra} if "alphabet_size" in D.METHOD_OPTIONS[m] else {}
        h = D.ENTROPY_METHODS[m](c, **kw)
        assert math.isfinite(h), m
        assert D.ENTROPY_METHODS[m](perm, **kw) == pytest.approx(h, rel=1e-12, abs=1e-14)  # summation order only
        if m in NONNEGATIVE:
            assert h >= 0.0, m


@given(count_vectors)
def test_plugin_entropy_lies_between_zero_and_log_of_observed_symbols(c):
    h = D.ENTROPY_METHODS["plugin"](c)
    assert 0.0 <= h <= math.log(c.size) + 1e-12
    # Miller-Madow and Zhang correct upwards: ψ(N) - ψ(n) = Σ_{k=n}^{N-1} 1/k >= ∫_n^N dx/x = log(N/n)
    assert D.ENTROPY_METHODS["miller_madow"](c) >= h
    assert D.ENTROPY_METHODS["zhang"](c) >= h - 1e-12


labels = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=60)


@given(labels)
def test_plugin_mi_properties_and_cmi_chain_rule(rows):
    a = np.array(rows, dtype=np.int64)
    x, y, z = a[:, 0], a[:, 1], a[:, 2]
    hx = D.entropy_discrete(x, 4)
    hy = D.entropy_discrete(y, 3)
    mi = D.mutual_information_discrete(x, 4, y, 3)
    assert -1e-12 <= mi <= min(hx, hy) + 1e-12
    # chain rule, exact for the plug-in: I(X; Y,Z) = I(X; Z) + I(X; Y | Z)
    yz, Kyz = D.combine_codes([y, z], [3, 3])
    lhs = D.mutual_information_discrete(x, 4, yz, Kyz)
    rhs = D.mutual_information_discrete(x, 4, z, 3) + D.conditional_mutual_information_discrete(x, 4, y, 3, z, 3)
    assert lhs == pytest.approx(rhs, abs=1e-12)


# ============================================================================================ MI / CMI
def test_plugin_mi_equals_sklearn_mutual_info_score():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(4)
    x = rng.integers(0, 5, 3000)
    y = (x + rng.integers(0, 3, 3000)) % 7
    ours = D.mutual_information_discrete(*D.factorize(x), *D.factorize(y))
    assert ours == pytest.approx(metrics.mutual_info_score(x, y), rel=TIGHT)


def test_plugin_mi_equals_mutual_information_of_the_empirical_joint():
    rng = np.random.default_rng(8)
    x = rng.integers(0, 4, 2000)
    y = (x * 2 + rng.integers(0, 2, 2000)) % 5
    table = D.joint_counts([x, y], [4, 5])
    assert D.mutual_information_discrete(x, 4, y, 5) == pytest.approx(
        infokit.mutual_information(table / table.sum()), rel=TIGHT
    )


def test_cmi_of_xor_is_log_two():
    # X, Y independent fair bits in balanced counts, Z = X xor Y: I(X;Y) = 0 and I(X;Y|Z) = log 2 exactly
    # (given Z, Y determines X; H(X|Z) = log 2).
    x = np.array([0, 0, 1, 1] * 25)
    y = np.array([0, 1, 0, 1] * 25)
    z = x ^ y
    assert D.mutual_information_discrete(x, 2, y, 2) == pytest.approx(0.0, abs=1e-15)
    assert D.conditional_mutual_information_discrete(x, 2, y, 2, z, 2) == pytest.approx(LN2, rel=TIGHT)


@pytest.mark.parametrize("method", ALL)
def test_mi_is_invariant_under_relabelling_and_reordering(method):
    rng = np.random.default_rng(12)
    x = rng.integers(0, 6, 400)
    y = (x + rng.integers(0, 4, 400)) % 6
    z = rng.integers(0, 3, 400)
    base = D.mutual_information_discrete(x, 6, y, 6, method)
    relabel = rng.permutation(6)
    order = rng.permutation(400)
    assert D.mutual_information_discrete(relabel[x], 6, y, 6, method) == pytest.approx(base, rel=1e-12, abs=1e-14)
    assert D.mutual_information_discrete(x[order], 6, y[order], 6, method) == pytest.approx(base, rel=1e-12, abs=1e-14)
    cbase = D.conditional_mutual_information_discrete(x, 6, y, 6, z, 3, method)
    assert D.conditional_mutual_information_discrete(y, 6, x, 6, z, 3, method) == pytest.approx(
        cbase, rel=1e-12, abs=1e-14
    )  # symmetry in X <-> Y


@pytest.mark.parametrize("method", ("plugin", "miller_madow", "nsb", "chao_wang_jost"))
def test_string_labels_give_the_same_estimates_as_integer_labels(method):
    rng = np.random.default_rng(6)
    xi = rng.integers(0, 5, 500)
    yi = (xi + rng.integers(0, 2, 500)) % 5
    names = np.array(["ant", "bee", "cow", "dog", "eel"])
    xs, ys = names[xi], names[yi].astype(object)
    ints = D.mutual_information_discrete(*D.factorize(xi), *D.factorize(yi), method)
    strs = D.mutual_information_discrete(*D.factorize(xs), *D.factorize(ys), method)
    assert strs == pytest.approx(ints, rel=1e-12)
    assert D.entropy_discrete(*D.factorize(xs), method) == pytest.approx(D.entropy_discrete(xi, 5, method), rel=1e-12)


@pytest.mark.parametrize("method", ("plugin", "grassberger", "nsb"))
def test_sparse_contingency_route_equals_dense_route(method):
    # Codes spread over 10^6 values force the re-factorised (sparse) path; relabelled densely they take the
    # bincount table path. The estimates must agree.
    rng = np.random.default_rng(9)
    x = rng.integers(0, 30, 600)
    y = (x + rng.integers(0, 5, 600)) % 30
    z = rng.integers(0, 4, 600)
    spread = rng.permutation(10**6)[:30]
    sx, sy, sz = spread[x], spread[y], spread[:4][z]
    dense = D.mutual_information_discrete(x, 30, y, 30, method)
    sparse = D.mutual_information_discrete(sx, 10**6, sy, 10**6, method)
    assert sparse == pytest.approx(dense, rel=1e-12, abs=1e-14)
    cd = D.conditional_mutual_information_discrete(x, 30, y, 30, z, 4, method)
    cs = D.conditional_mutual_information_discrete(sx, 10**6, sy, 10**6, sz, 10**6, method)
    assert cs == pytest.approx(cd, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("method", ALL)
def test_bias_corrected_mi_is_the_entropy_decomposition(method):
    rng = np.random.default_rng(10)
    x = rng.integers(0, 4, 150)
    y = (x + rng.integers(0, 3, 150)) % 5
    z = rng.integers(0, 2, 150)
    H = lambda codes, K: D.entropy_discrete(codes, K, method)  # noqa: E731
    xy, Kxy = D.combine_codes([x, y], [4, 5])
    expected = H(x, 4) + H(y, 5) - H(xy, Kxy)
    assert D.mutual_information_discrete(x, 4, y, 5, method) == pytest.approx(expected, rel=1e-12, abs=1e-14)
    xz, Kxz = D.combine_codes([x, z], [4, 2])
    yz, Kyz = D.combine_codes([y, z], [5, 2])
    xyz, Kxyz = D.combine_codes([x, y, z], [4, 5, 2])
    expected = H(xz, Kxz) + H(yz, Kyz) - H(xyz, Kxyz) - H(z, 2)
    got = D.conditional_mutual_information_discrete(x, 4, y, 5, z, 2, method)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("method", ALL)
def test_a_constant_variable_has_zero_mutual_information(method):
    rng = np.random.default_rng(13)
    x = rng.integers(0, 5, 200)
    const = np.zeros(200, dtype=np.int64)
    assert D.mutual_information_discrete(x, 5, const, 1, method) == 0.0
    assert D.conditional_mutual_information_discrete(const, 1, x, 5, x % 2, 2, method) == 0.0


def test_cmi_given_a_constant_equals_mi():
    rng = np.random.default_rng(14)
    x = rng.integers(0, 4, 500)
    y = (x + rng.integers(0, 2, 500)) % 4
    const = np.zeros(500, dtype=np.int64)
    assert D.conditional_mutual_information_discrete(x, 4, y, 4, const, 1) == pytest.approx(
        D.mutual_information_discrete(x, 4, y, 4), rel=TIGHT
    )


def test_mi_alphabet_sizes_reach_the_alphabet_aware_estimators():
    rng = np.random.default_rng(15)
    x = rng.integers(0, 3, 60)
    y = (x + rng.integers(0, 2, 60)) % 4
    xy, Kxy = D.combine_codes([x, y], [3, 4])
    kw = lambda K: {"alphabet_size": K}  # noqa: E731
    expected = (
        D.entropy_discrete(x, 3, "nsb", **kw(10))
        + D.entropy_discrete(y, 4, "nsb", **kw(20))
        - D.entropy_discrete(xy, Kxy, "nsb", **kw(200))
    )
    got = D.mutual_information_discrete(x, 3, y, 4, "nsb", alphabet_sizes=(10, 20))
    assert got == pytest.approx(expected, rel=1e-12)


def test_chao1_alphabet_estimate_matches_hand_computation():
    # counts: f1 = 3 singletons, f2 = 2 doubletons, m = 6, N = 3 + 4 + 5 = 12:
    # m + (N-1)/N · f1²/(2 f2) = 6 + (11/12)(9/4) = 8.0625 -> 9
    c = np.array([1, 1, 1, 2, 2, 5])
    assert D.estimate_alphabet_size(c) == 9
    # no doubletons, counts [1, 1, 1, 3]: m = 4, N = 6, f1 = 3: m + (N-1)/N · f1(f1-1)/2 = 4 + (5/6)·3 = 6.5 -> 7
    assert D.estimate_alphabet_size(np.array([1, 1, 1, 3])) == 7
    h = D.ENTROPY_METHODS["nsb"](c, alphabet_size="chao1")
    assert h == pytest.approx(D.ENTROPY_METHODS["nsb"](c, alphabet_size=9), rel=TIGHT)


# ============================================================================================ errors
def test_unknown_method_is_named_with_the_choices():
    with pytest.raises(InvalidParameterError, match=r"`method` must be one of \{'plugin', .*'nsb'\}; got 'nbs'"):
        D.entropy_discrete(np.array([0, 1]), 2, "nbs")


def test_options_a_method_does_not_take_are_rejected():
    with pytest.raises(InvalidParameterError, match="method='zhang' does not take `alpha`"):
        D.entropy_discrete(np.array([0, 1]), 2, "zhang", alpha=1.0)
    with pytest.raises(InvalidParameterError, match="`alphabet_sizes=`"):
        D.mutual_information_discrete(np.array([0, 1]), 2, np.array([0, 1]), 2, "nsb", alphabet_size=4)
    with pytest.raises(InvalidParameterError, match="does not use an alphabet size"):
        D.mutual_information_discrete(np.array([0, 1]), 2, np.array([0, 1]), 2, "plugin", alphabet_sizes=(2, 2))


def test_bad_alpha_and_alphabet_size_are_explained():
    c = np.array([0, 1, 2, 2])
    with pytest.raises(InvalidParameterError, match="smaller than the 3 distinct symbols observed"):
        D.entropy_discrete(c, 3, "nsb", alphabet_size=2)
    with pytest.raises(InvalidParameterError, match="`alpha` must be a finite number >= 0"):
        D.entropy_discrete(c, 3, "bayes", alpha=-1.0)
    with pytest.raises(InvalidParameterError, match="'jeffreys'"):
        D.entropy_discrete(c, 3, "bayes", alpha="jefreys")
    with pytest.raises(InvalidParameterError, match="'chao1'"):
        D.entropy_discrete(c, 3, "shrinkage", alphabet_size=2.5)


def test_empty_samples_and_mismatched_lengths_raise():
    with pytest.raises(InvalidSampleError, match="from 0 samples"):
        D.entropy_discrete(np.array([], dtype=np.int64), 0)
    with pytest.raises(ShapeMismatchError, match="same shape"):
        D.mutual_information_discrete(np.array([0, 1]), 2, np.array([0, 1, 1]), 2)
    with pytest.raises(ShapeMismatchError, match="same shape"):
        D.conditional_mutual_information_discrete(np.zeros(2, int), 1, np.zeros(2, int), 1, np.zeros(3, int), 1)
