"""Measures of one or two pmfs: known answers, properties, scipy oracles, bad input (numpy path).

The torch path is in test_torch.py; generic validation messages in tests/test_validation.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.special
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from scipy.spatial.distance import jensenshannon

import infokit
from infokit.exceptions import InvalidDistributionError, InvalidParameterError, ShapeMismatchError
from infokit.testing import ALL, bernoulli
from infokit.testing.strategies import logits, pmf_pairs, pmfs

LN2 = math.log(2.0)
# Tolerances. Sums of <= a few dozen float64 terms: round-off is a few ulps of the largest term.
TIGHT = 1e-12
# Identities that subtract entropies (or go through logs of sums) lose a few more digits.
LOOSE = 1e-9


def _h2(x):
    """Binary entropy in nats (reference written out by hand)."""
    return -sum(t * math.log(t) for t in (x, 1 - x) if t > 0)


# ---------------------------------------------------------------------------------------- registries
# Every pair measure with its name, for parametrised property/contract tests.
PAIR_MEASURES = {
    "kl_divergence": infokit.kl_divergence,
    "cross_entropy": infokit.cross_entropy,
    "js_divergence": infokit.js_divergence,
    "renyi_divergence_half": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 0.5, **k),
    "renyi_divergence_2": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 2.0, **k),
    "renyi_divergence_inf": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, math.inf, **k),
    "renyi_divergence_0": lambda p=None, q=None, **k: infokit.renyi_divergence(p, q, 0.0, **k),
    "cs_divergence": infokit.cs_divergence,
    "total_variation": infokit.total_variation,
    "hellinger": infokit.hellinger,
    "chi2_divergence": infokit.chi2_divergence,
}
SINGLE_MEASURES = {
    "entropy": infokit.entropy,
    "renyi_entropy_0": lambda p=None, **k: infokit.renyi_entropy(p, 0.0, **k),
    "renyi_entropy_half": lambda p=None, **k: infokit.renyi_entropy(p, 0.5, **k),
    "renyi_entropy_2": lambda p=None, **k: infokit.renyi_entropy(p, 2.0, **k),
    "renyi_entropy_inf": lambda p=None, **k: infokit.renyi_entropy(p, math.inf, **k),
    "tsallis_entropy_2": lambda p=None, **k: infokit.tsallis_entropy(p, 2.0, **k),
    "tsallis_entropy_half": lambda p=None, **k: infokit.tsallis_entropy(p, 0.5, **k),
}
SYMMETRIC = ["js_divergence", "cs_divergence", "total_variation", "hellinger"]
WITH_BASE_SINGLE = ["entropy", "renyi_entropy_0", "renyi_entropy_half", "renyi_entropy_2", "renyi_entropy_inf"]
WITH_BASE_PAIR = ["kl_divergence", "cross_entropy", "js_divergence", "renyi_divergence_half", "renyi_divergence_2",
                  "renyi_divergence_inf", "renyi_divergence_0", "cs_divergence"]

# Pairs with full supports (every measure finite).
full_pairs = pmf_pairs(1, 6, allow_zeros=False)
# p may have zeros, q has full support: KL, χ², Rényi stay finite.
p_zero_pairs = pmf_pairs(1, 6, allow_zeros=True, q_allow_zeros=False)


# ---------------------------------------------------------------------------------------- known answers: entropy
@pytest.mark.parametrize("k", [1, 2, 5, 1000])
def test_entropy_uniform_equals_log_k(k):
    # H(U_k) = −Σ (1/k) log(1/k) = log k
    assert infokit.entropy(np.full(k, 1.0 / k)) == pytest.approx(math.log(k), abs=TIGHT)


def test_entropy_fair_coin_is_one_bit():
    # −2 · ½ log2 ½ = 1 bit
    assert infokit.entropy([0.5, 0.5], base=2) == pytest.approx(1.0, abs=TIGHT)


def test_entropy_point_mass_is_zero_not_nan():
    # 0 log 0 = 0 and 1 log 1 = 0
    assert infokit.entropy([0.0, 1.0, 0.0]) == 0.0


@pytest.mark.parametrize("p", [0.1, 0.25, 0.5, 0.9])
def test_entropy_bernoulli_equals_binary_entropy(p):
    # H(Bernoulli(p)) = −p log p − (1−p) log(1−p)
    assert infokit.entropy([1 - p, p]) == pytest.approx(-p * math.log(p) - (1 - p) * math.log(1 - p), abs=TIGHT)


@pytest.mark.parametrize("d", [d for d in ALL if d.pmf.ndim == 1], ids=lambda d: d.name)
def test_single_variable_named_distributions_match_known_values(d):
    got = {
        "entropy": infokit.entropy(d.pmf),
        "tsallis_entropy": infokit.tsallis_entropy(d.pmf),
        "hartley_entropy": infokit.renyi_entropy(d.pmf, 0),
        "collision_entropy": infokit.renyi_entropy(d.pmf, 2),
        "min_entropy": infokit.renyi_entropy(d.pmf, math.inf),
    }
    for key, value in d.known.items():
        assert got[key] == pytest.approx(value, abs=TIGHT), key


def test_entropy_returns_python_float_for_one_pmf_and_array_for_batch():
    assert type(infokit.entropy([0.5, 0.5])) is float
    out = infokit.entropy(np.full((3, 4), 0.25))
    assert isinstance(out, np.ndarray) and out.shape == (3,)
    np.testing.assert_allclose(out, math.log(4), atol=TIGHT)  # three uniform rows of 4


# ---------------------------------------------------------------------------------------- known answers: divergences
def test_cross_entropy_of_point_mass_against_fair_coin_is_one_bit():
    # H(p, q) = −1 · log2 ½ = 1 bit
    assert infokit.cross_entropy([1.0, 0.0], [0.5, 0.5], base=2) == pytest.approx(1.0, abs=TIGHT)


def test_cross_entropy_with_q_zero_on_support_is_inf():
    # −p log 0 = +inf
    assert infokit.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf


@pytest.mark.parametrize(("a", "b"), [(0.5, 0.25), (0.1, 0.9), (0.3, 0.3), (0.0, 0.5)])
def test_kl_bernoulli_closed_form(a, b):
    # D(Ber(a) || Ber(b)) = a log(a/b) + (1−a) log((1−a)/(1−b)), with 0 log 0 = 0
    expected = sum(x * math.log(x / y) for x, y in ((a, b), (1 - a, 1 - b)) if x > 0)
    assert infokit.kl_divergence([1 - a, a], [1 - b, b]) == pytest.approx(expected, abs=TIGHT)


def test_kl_point_mass_against_fair_coin_is_one_bit():
    # D(δ0 || U2) = 1 · log2(1 / ½) = 1 bit
    assert infokit.kl_divergence([1.0, 0.0], [0.5, 0.5], base=2) == pytest.approx(1.0, abs=TIGHT)


def test_kl_with_zero_probability_support_returns_inf_not_nan():
    # p puts mass 0.5 where q has none: p log(p/0) = +inf, documented to be inf (never NaN)
    assert infokit.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    batch = infokit.kl_divergence(np.array([[0.5, 0.5], [1.0, 0.0]]), np.array([[1.0, 0.0], [1.0, 0.0]]))
    assert batch[0] == math.inf and batch[1] == 0.0  # only the offending row is inf
    lg = infokit.kl_divergence(p_logits=[0.0, 0.0], q_logits=[0.0, -math.inf])
    assert lg == math.inf


def test_kl_is_finite_when_q_has_mass_outside_support_of_p():
    # D(δ0 || (½, ½)) = log 2: q's extra outcome costs nothing
    assert infokit.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LN2, abs=TIGHT)


def test_js_disjoint_supports_is_log_2():
    # m = (½, ½): JS = ½ log(1/½) + ½ log(1/½) = log 2, the maximum
    assert infokit.js_divergence([1.0, 0.0], [0.0, 1.0]) == pytest.approx(LN2, abs=TIGHT)
    assert infokit.js_divergence([1.0, 0.0], [0.0, 1.0], base=2) == pytest.approx(1.0, abs=TIGHT)


def test_js_closed_form_point_mass_against_fair_coin():
    # p = (1, 0), q = (½, ½), m = (¾, ¼): JS = ½ log(1/¾) + ½ (½ log(½/¾) + ½ log(½/¼))
    expected = 0.5 * math.log(4 / 3) + 0.5 * (0.5 * math.log(2 / 3) + 0.5 * math.log(2))
    assert infokit.js_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(expected, abs=TIGHT)


def test_cs_divergence_closed_form():
    # p = (1, 0), q = (½, ½): log Σp² + log Σq² − 2 log Σpq = log 1 + log ½ − 2 log ½ = log 2
    assert infokit.cs_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(LN2, abs=TIGHT)
    # p = (¾, ¼), q = (¼, ¾): Σp² = Σq² = 5/8, Σpq = 3/8: 2 log(5/8) − 2 log(3/8) = 2 log(5/3)
    assert infokit.cs_divergence([0.75, 0.25], [0.25, 0.75]) == pytest.approx(2 * math.log(5 / 3), abs=TIGHT)


def test_cs_divergence_disjoint_supports_is_inf():
    # Σ p q = 0 ⇒ −2 log 0 = +inf
    assert infokit.cs_divergence([1.0, 0.0], [0.0, 1.0]) == math.inf


def test_total_variation_closed_form():
    # ½ (|1 − ½| + |0 − ½|) = ½; disjoint supports: ½ (1 + 1) = 1
    assert infokit.total_variation([1.0, 0.0], [0.5, 0.5]) == pytest.approx(0.5, abs=TIGHT)
    assert infokit.total_variation([1.0, 0.0], [0.0, 1.0]) == pytest.approx(1.0, abs=TIGHT)


def test_total_variation_stays_in_unit_interval_when_inputs_sum_to_one_within_round_off():
    # q = (0, .3, .3, .3) / Σ: the float sum ½ Σ|p − q| rounds to 1 + 2.2e-16 for these disjoint supports
    w = np.array([0.0, 0.3, 0.3, 0.3])
    q = w / w.sum()
    assert 0.5 * np.abs(np.array([1.0, 0, 0, 0]) - q).sum() > 1.0  # the round-off this test is about
    assert infokit.total_variation([1.0, 0.0, 0.0, 0.0], q) == 1.0


def test_hellinger_closed_form():
    # H² = ½ ((1 − √½)² + (0 − √½)²) = 1 − √½
    assert infokit.hellinger([1.0, 0.0], [0.5, 0.5]) == pytest.approx(math.sqrt(1 - math.sqrt(0.5)), abs=TIGHT)
    # disjoint supports: H² = ½ (1 + 1) = 1
    assert infokit.hellinger([1.0, 0.0], [0.0, 1.0]) == pytest.approx(1.0, abs=TIGHT)


def test_chi2_closed_form_and_inf_off_support():
    # (¼² + ¼²) / ½ = ¼
    assert infokit.chi2_divergence([0.75, 0.25], [0.5, 0.5]) == pytest.approx(0.25, abs=TIGHT)
    # (0.1² + 0.1²) ... p = (0.2, 0.8), q = (0.1, 0.9): 0.1²/0.1 + 0.1²/0.9 = 0.1 + 1/90
    assert infokit.chi2_divergence([0.2, 0.8], [0.1, 0.9]) == pytest.approx(0.1 + 1 / 90, abs=TIGHT)
    assert infokit.chi2_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf


def test_chi2_overflowing_ratio_is_inf_without_warning():
    # (½ − q)² / q with q = 5e-324 exceeds the float range: the correctly rounded answer is +inf, and no
    # RuntimeWarning may escape (pytest turns infokit's RuntimeWarnings into errors)
    assert infokit.chi2_divergence([0.5, 0.5], [1.0 - 5e-324, 5e-324]) == math.inf


# ---------------------------------------------------------------------------------------- Rényi / Tsallis
P4 = np.array([0.1, 0.2, 0.3, 0.4])
Q4 = np.array([0.4, 0.3, 0.2, 0.1])


def test_renyi_entropy_order_zero_is_log_support_size():
    # Hartley: log |{i : p_i > 0}| = log 3
    assert infokit.renyi_entropy([0.2, 0.0, 0.5, 0.3], 0) == pytest.approx(math.log(3), abs=TIGHT)


def test_renyi_entropy_order_one_is_shannon():
    assert infokit.renyi_entropy(P4, 1) == pytest.approx(infokit.entropy(P4), abs=TIGHT)


def test_renyi_entropy_order_inf_is_min_entropy():
    # −log max p = −log 0.4
    assert infokit.renyi_entropy(P4, math.inf) == pytest.approx(-math.log(0.4), abs=TIGHT)


def test_renyi_entropy_order_two_and_half_closed_forms():
    # H_2 = −log Σ p² ; H_½ = 2 log Σ √p
    assert infokit.renyi_entropy(P4, 2) == pytest.approx(-math.log(np.sum(P4**2)), abs=TIGHT)
    assert infokit.renyi_entropy(P4, 0.5) == pytest.approx(2 * math.log(np.sum(np.sqrt(P4))), abs=TIGHT)


@pytest.mark.parametrize("t", [1e-3, -1e-3, 1e-6, -1e-6, 1e-9, -1e-9, 1e-12, -1e-12])
def test_renyi_entropy_is_accurate_near_order_one(t):
    # H_{1+t} = −K(t)/t with K the cumulant generating function of L = log p under p:
    # H_{1+t} = −μ − t κ2/2 − t² κ3/6 + O(t³), μ = E[L] = −H, κ2 = Var L, κ3 the third central moment.
    logp = np.log(P4)
    mu = float(P4 @ logp)
    k2 = float(P4 @ (logp - mu) ** 2)
    k3 = float(P4 @ (logp - mu) ** 3)
    expected = -mu - t * k2 / 2 - t * t * k3 / 6
    # O(t³) remainder (κ4 of this pmf is < 1) plus ~1e-15 of round-off; a formula that divides
    # log Σ p^α (round-off 1e-16) by t would miss by 1e-16/|t| = 1e-4 at t = 1e-12.
    assert infokit.renyi_entropy(P4, 1 + t) == pytest.approx(expected, abs=abs(t) ** 3 + 1e-14)


@pytest.mark.parametrize("t", [1e-3, -1e-3, 1e-9, -1e-9, 1e-12])
def test_tsallis_entropy_is_accurate_near_q_one(t):
    # S_{1+t} = −Σ p (p^t − 1)/t = −Σ p (L + t L²/2 + t² L³/6 + ...) = H − t E[L²]/2 − t² E[L³]/6 − ...
    logp = np.log(P4)
    expected = -float(P4 @ logp) - t * float(P4 @ logp**2) / 2 - t * t * float(P4 @ logp**3) / 6
    # remainder t³ E[L⁴]/24 < t³ (|L| <= 2.31 here) plus round-off
    assert infokit.tsallis_entropy(P4, 1 + t) == pytest.approx(expected, abs=abs(t) ** 3 + 1e-14)


@pytest.mark.parametrize("t", [1e-3, -1e-3, 1e-9, -1e-9, 1e-12])
def test_renyi_divergence_is_accurate_near_order_one(t):
    # D_{1+t}(p||q) = K(t)/t for L = log(p/q) under p: KL + t Var(L)/2 + t² κ3/6 + O(t³)
    lr = np.log(P4 / Q4)
    kl = float(P4 @ lr)
    k2 = float(P4 @ (lr - kl) ** 2)
    k3 = float(P4 @ (lr - kl) ** 3)
    expected = kl + t * k2 / 2 + t * t * k3 / 6
    # O(t³) with κ4 < 10 here; round-off relative to the O(1) terms
    assert infokit.renyi_divergence(P4, Q4, 1 + t) == pytest.approx(expected, abs=10 * abs(t) ** 3 + 1e-14)


def test_renyi_divergence_order_one_is_kl():
    assert infokit.renyi_divergence(P4, Q4, 1) == pytest.approx(infokit.kl_divergence(P4, Q4), abs=TIGHT)


def test_renyi_divergence_closed_forms_at_zero_half_two_inf():
    p = np.array([0.5, 0.5, 0.0])
    q = np.array([0.25, 0.25, 0.5])
    # α = 0: −log q(supp p) = −log ½
    assert infokit.renyi_divergence(p, q, 0) == pytest.approx(LN2, abs=TIGHT)
    # α = ½: −2 log Σ √(p q) = −2 log(2 √(⅛)) = −2 log(1/√2) = log 2
    assert infokit.renyi_divergence(p, q, 0.5) == pytest.approx(LN2, abs=TIGHT)
    # α = 2: log Σ p²/q = log(2 · ¼/¼) = log 2
    assert infokit.renyi_divergence(p, q, 2) == pytest.approx(LN2, abs=TIGHT)
    # α = ∞: log max p/q = log 2
    assert infokit.renyi_divergence(p, q, math.inf) == pytest.approx(LN2, abs=TIGHT)
    # p ≠ uniform-on-half: the four orders differ
    assert infokit.renyi_divergence(P4, Q4, 2) == pytest.approx(math.log(np.sum(P4**2 / Q4)), abs=TIGHT)
    assert infokit.renyi_divergence(P4, Q4, math.inf) == pytest.approx(math.log(4.0), abs=TIGHT)  # 0.4/0.1


def test_renyi_divergence_q_zero_on_support_is_inf_above_one_finite_below():
    p, q = [0.5, 0.5], [1.0, 0.0]
    assert infokit.renyi_divergence(p, q, 2.0) == math.inf
    assert infokit.renyi_divergence(p, q, 1.2) == math.inf
    # α = ½: −2 log(√½ · 1) = log 2 (the q = 0 term vanishes)
    assert infokit.renyi_divergence(p, q, 0.5) == pytest.approx(LN2, abs=TIGHT)


def test_tsallis_closed_forms():
    # q = 2: 1 − Σ p² ; q = 0: |supp| − 1 ; q = 3: (1 − Σ p³)/2
    assert infokit.tsallis_entropy(P4, 2) == pytest.approx(1 - np.sum(P4**2), abs=TIGHT)
    assert infokit.tsallis_entropy([0.5, 0.0, 0.5], 0) == pytest.approx(1.0, abs=TIGHT)
    assert infokit.tsallis_entropy(P4, 3) == pytest.approx((1 - np.sum(P4**3)) / 2, abs=TIGHT)
    assert infokit.tsallis_entropy(P4, 1) == pytest.approx(infokit.entropy(P4), abs=TIGHT)
    assert infokit.tsallis_entropy(P4, 1, base=2) == pytest.approx(infokit.entropy(P4) / LN2, abs=TIGHT)


def test_tsallis_entropy_rejects_base_away_from_shannon_limit():
    with pytest.raises(InvalidParameterError, match=r"`base` only applies to the Shannon limit q=1"):
        infokit.tsallis_entropy(P4, 2.0, base=2)


def test_tsallis_entropy_rejects_infinite_q():
    with pytest.raises(InvalidParameterError, match=r"`q` must be finite"):
        infokit.tsallis_entropy(P4, math.inf)


@pytest.mark.parametrize("fn", [lambda a: infokit.renyi_entropy(P4, a), lambda a: infokit.renyi_divergence(P4, Q4, a),
                                lambda a: infokit.tsallis_entropy(P4, a)], ids=["renyi", "renyi_div", "tsallis"])
def test_order_parameter_must_be_non_negative(fn):
    with pytest.raises(InvalidParameterError, match=r"must be >= 0; got -0.5"):
        fn(-0.5)
    with pytest.raises(InvalidParameterError, match=r"must be a real number >= 0"):
        fn(float("nan"))


# ---------------------------------------------------------------------------------------- properties
@given(pmfs(1, 8))
def test_entropy_is_between_zero_and_log_support(p):
    h = infokit.entropy(p)
    assert -TIGHT <= h <= math.log(np.count_nonzero(p)) + TIGHT


@given(pmfs(1, 8), st.data())
def test_measures_are_invariant_under_relabelling_outcomes(p, data):
    perm = np.array(data.draw(st.permutations(range(p.size))))
    q = data.draw(pmfs(p.size, p.size, allow_zeros=False))
    for name, fn in SINGLE_MEASURES.items():
        assert fn(p[perm]) == pytest.approx(fn(p), abs=TIGHT), name
    for name, fn in PAIR_MEASURES.items():
        assert fn(p[perm], q[perm]) == pytest.approx(fn(p, q), abs=TIGHT), name


@given(full_pairs)
def test_symmetric_measures_are_symmetric(pq):
    p, q = pq
    for name in SYMMETRIC:
        fn = PAIR_MEASURES[name]
        assert fn(p, q) == pytest.approx(fn(q, p), abs=TIGHT), name


@given(p_zero_pairs)
def test_divergences_are_non_negative_and_zero_on_identical_inputs(pq):
    p, q = pq
    for name, fn in PAIR_MEASURES.items():
        if name == "cross_entropy":
            continue
        # a divergence of (p, p) is 0; of (p, q) >= 0 (round-off of order 1e-16 aside)
        assert fn(p, p) == pytest.approx(0.0, abs=LOOSE), name
        assert fn(p, q) >= -LOOSE, name


@given(p_zero_pairs)
def test_gibbs_inequality_cross_entropy_at_least_entropy(pq):
    # H(p, q) = H(p) + D(p||q) >= H(p)
    p, q = pq
    ce, h, kl = infokit.cross_entropy(p, q), infokit.entropy(p), infokit.kl_divergence(p, q)
    assert ce == pytest.approx(h + kl, abs=LOOSE)
    assert kl >= 0.0


@given(p_zero_pairs)
def test_pinsker_total_variation_at_most_sqrt_half_kl(pq):
    # Pinsker: TV <= sqrt(KL / 2) (KL in nats)
    p, q = pq
    assert infokit.total_variation(p, q) <= math.sqrt(infokit.kl_divergence(p, q) / 2) + LOOSE


@given(pmf_pairs(1, 6))
def test_js_is_at_most_log_2_and_at_least_zero(pq):
    p, q = pq
    assert -TIGHT <= infokit.js_divergence(p, q) <= LN2 + TIGHT


@given(pmf_pairs(1, 6))
def test_hellinger_total_variation_bounds(pq):
    # Le Cam: H² <= TV <= H sqrt(2 − H²) (H² = ½ Σ (√p − √q)²), and 0 <= H, TV <= 1
    p, q = pq
    h, tv = infokit.hellinger(p, q), infokit.total_variation(p, q)
    assert 0.0 <= h <= 1.0 and 0.0 <= tv <= 1.0
    assert h * h <= tv + TIGHT
    assert tv <= h * math.sqrt(2 - h * h) + TIGHT


@given(p_zero_pairs)
def test_kl_at_most_log_one_plus_chi2(pq):
    # D(p||q) <= log(1 + χ²(p||q)) (Jensen on log E_p[p/q])
    p, q = pq
    assert infokit.kl_divergence(p, q) <= math.log1p(infokit.chi2_divergence(p, q)) + LOOSE


@given(p_zero_pairs)
def test_renyi_half_divergence_equals_minus_two_log_one_minus_hellinger_squared(pq):
    # D_½ = −2 log Σ √(pq) and Σ √(pq) = 1 − H²
    p, q = pq
    h = infokit.hellinger(p, q)
    assert infokit.renyi_divergence(p, q, 0.5) == pytest.approx(-2 * math.log1p(-h * h), abs=LOOSE)


ORDERS = [0.0, 0.25, 0.5, 0.9, 0.999, 1.0, 1.001, 1.5, 2.0, 5.0, 50.0, math.inf]


@given(pmfs(1, 8))
def test_renyi_entropy_is_non_increasing_in_order(p):
    hs = [infokit.renyi_entropy(p, a) for a in ORDERS]
    assert all(a >= b - LOOSE for a, b in zip(hs, hs[1:]))
    # and H_∞ <= H_2 <= 2 H_∞
    h2, hinf = infokit.renyi_entropy(p, 2), infokit.renyi_entropy(p, math.inf)
    assert hinf - LOOSE <= h2 <= 2 * hinf + LOOSE


@given(p_zero_pairs)
def test_renyi_divergence_is_non_decreasing_in_order(pq):
    p, q = pq
    ds = [infokit.renyi_divergence(p, q, a) for a in ORDERS]
    assert all(b >= a - LOOSE for a, b in zip(ds, ds[1:]))


@given(pmfs(1, 8))
def test_tsallis_entropy_is_non_negative_and_matches_definition(p):
    for qv in (0.3, 0.5, 0.999, 1.001, 2.0, 3.5):
        expected = (1 - np.sum(p[p > 0] ** qv)) / (qv - 1)
        # the definition evaluated directly loses ~1e-16/|q−1| near q = 1
        assert infokit.tsallis_entropy(p, qv) == pytest.approx(expected, abs=1e-12 / abs(qv - 1))
        assert infokit.tsallis_entropy(p, qv) >= -TIGHT


# ---------------------------------------------------------------------------------------- units, batching
@pytest.mark.parametrize("name", WITH_BASE_SINGLE)
@given(p=pmfs(1, 6))
def test_single_base_two_equals_nats_over_ln2(name, p):
    fn = SINGLE_MEASURES[name]
    assert fn(p, base=2) == pytest.approx(fn(p) / LN2, abs=TIGHT)
    assert fn(p, base=10) == pytest.approx(fn(p) / math.log(10), abs=TIGHT)
    assert fn(p, base=math.e) == fn(p)


@pytest.mark.parametrize("name", WITH_BASE_PAIR)
@given(pq=full_pairs)
def test_pair_base_two_equals_nats_over_ln2(name, pq):
    p, q = pq
    fn = PAIR_MEASURES[name]
    assert fn(p, q, base=2) == pytest.approx(fn(p, q) / LN2, abs=TIGHT)


@given(pmfs(1, 5, batch_shape=(3, 2)))
def test_single_batched_along_axis_equals_looped(p):
    for name, fn in SINGLE_MEASURES.items():
        out = fn(p)
        assert out.shape == (3, 2)
        loop = np.array([[fn(p[i, j]) for j in range(2)] for i in range(3)])
        np.testing.assert_allclose(out, loop, atol=TIGHT, err_msg=name)
        # the same batch with the outcomes on axis 0
        moved = np.moveaxis(p, -1, 0)
        np.testing.assert_allclose(fn(moved, axis=0), loop, atol=TIGHT, err_msg=name)


@given(pmf_pairs(1, 5, batch_shape=(4,)))
def test_pair_batched_along_axis_equals_looped(pq):
    p, q = pq
    for name, fn in PAIR_MEASURES.items():
        out = fn(p, q)
        assert out.shape == (4,)
        loop = np.array([fn(p[i], q[i]) for i in range(4)])
        np.testing.assert_allclose(out, loop, atol=TIGHT, err_msg=name)
        np.testing.assert_allclose(fn(p.T, q.T, axis=0), loop, atol=TIGHT, err_msg=name)


# ---------------------------------------------------------------------------------------- oracles
@given(pmfs(1, 10, batch_shape=(3,)))
def test_entropy_matches_scipy_stats_entropy(p):
    for base in (None, 2):
        np.testing.assert_allclose(infokit.entropy(p, base=base), scipy.stats.entropy(p, base=base, axis=-1),
                                   atol=TIGHT)


@given(p_zero_pairs)
def test_kl_matches_scipy_stats_entropy_and_rel_entr(pq):
    p, q = pq
    assert infokit.kl_divergence(p, q) == pytest.approx(scipy.stats.entropy(p, q), abs=TIGHT)
    assert infokit.kl_divergence(p, q) == pytest.approx(float(np.sum(scipy.special.rel_entr(p, q))), abs=TIGHT)
    assert infokit.kl_divergence(p, q, base=2) == pytest.approx(scipy.stats.entropy(p, q, base=2), abs=TIGHT)


@given(pmf_pairs(1, 8))
def test_js_matches_scipy_jensenshannon_squared(pq):
    # scipy returns the Jensen–Shannon *distance*, the square root of the divergence
    p, q = pq
    for base in (None, 2):
        assert infokit.js_divergence(p, q, base=base) == pytest.approx(jensenshannon(p, q, base=base) ** 2,
                                                                       abs=LOOSE)


@given(pmfs(1, 8))
def test_renyi_and_tsallis_match_direct_definitions(p):
    s = p[p > 0]
    for a in (0.3, 2.0, 3.0):
        # H_α = log(Σ p^α)/(1−α), evaluated plainly (fine away from α = 1)
        assert infokit.renyi_entropy(p, a) == pytest.approx(math.log(np.sum(s**a)) / (1 - a), abs=LOOSE)


# ---------------------------------------------------------------------------------------- logits / log_p
@given(logits(1, 8, batch_shape=(2,), allow_neg_inf=True))
def test_entropy_of_logits_equals_entropy_of_softmax(z):
    p = scipy.special.softmax(z, axis=-1)
    np.testing.assert_allclose(infokit.entropy(logits=z), infokit.entropy(p, atol=1e-9), atol=LOOSE)
    np.testing.assert_allclose(infokit.entropy(log_p=scipy.special.log_softmax(z, axis=-1)),
                               infokit.entropy(p, atol=1e-9), atol=LOOSE)
    np.testing.assert_allclose(infokit.softmax(z), p, atol=TIGHT)


@given(logits(1, 6, allow_neg_inf=True), logits(1, 6))
def test_pair_measures_from_logits_equal_measures_of_softmax(zp, zq):
    n = min(zp.size, zq.size)
    zp, zq = zp[:n].copy(), zq[:n].copy()
    if np.all(np.isneginf(zp)):
        zp[0] = 0.0
    p, q = scipy.special.softmax(zp), scipy.special.softmax(zq)
    for name, fn in PAIR_MEASURES.items():
        # χ² reaches 1e6 and more when q is tiny: relative round-off of the two routes, ~1e-15 each
        assert fn(p_logits=zp, q_logits=zq) == pytest.approx(fn(p, q, atol=1e-9), rel=1e-12, abs=LOOSE), name


@pytest.mark.parametrize("name", list(SINGLE_MEASURES))
def test_single_measures_accept_logits(name):
    z = np.array([2.0, -1.0, -math.inf, 0.5])
    p = scipy.special.softmax(z)
    assert SINGLE_MEASURES[name](logits=z) == pytest.approx(SINGLE_MEASURES[name](p), abs=LOOSE)


def test_entropy_of_huge_logits_does_not_overflow():
    # softmax([1000, 0]) = (1, e^-1000) to machine precision: entropy ≈ 1000·e^-1000 ≈ 0
    assert infokit.entropy(logits=[1000.0, 0.0]) == pytest.approx(0.0, abs=1e-300)
    # a constant shift of every logit changes nothing: entropy of uniform(3) = log 3
    assert infokit.entropy(logits=[1e4, 1e4, 1e4]) == pytest.approx(math.log(3), abs=TIGHT)


def test_log_p_with_normalize_rescales_in_log_space():
    # log of (1, 1, 2) unnormalised -> (¼, ¼, ½): H = 1.5 bits
    assert infokit.entropy(log_p=np.log([1.0, 1.0, 2.0]), normalize=True, base=2) == pytest.approx(1.5, abs=TIGHT)


def test_log_p_that_does_not_sum_to_one_is_rejected():
    with pytest.raises(InvalidDistributionError, match=r"`exp\(log_p\)` must sum to 1 along axis"):
        infokit.entropy(log_p=np.log([0.5, 0.6]))


def test_all_masked_logits_slice_is_rejected_not_nan():
    z = np.array([[0.0, 1.0], [-math.inf, -math.inf]])
    with pytest.raises(InvalidDistributionError, match=r"`logits` must keep at least one entry above -inf.*1 slice"):
        infokit.entropy(logits=z)
    with pytest.raises(InvalidDistributionError, match=r"`q_logits` must keep at least one entry above -inf"):
        infokit.kl_divergence(p_logits=z[0], q_logits=z[1])
    with pytest.raises(InvalidDistributionError, match=r"`logits` must keep at least one entry above -inf"):
        infokit.softmax(z)


@pytest.mark.parametrize("bad", [[0.0, math.nan], [0.0, math.inf]])
def test_logits_with_nan_or_plus_inf_are_rejected(bad):
    with pytest.raises(InvalidDistributionError, match=r"`logits` must not contain NaN or \+inf"):
        infokit.entropy(logits=bad)


# ---------------------------------------------------------------------------------------- normalize / from_counts
def test_from_counts_divides_by_total():
    np.testing.assert_allclose(infokit.from_counts([3, 1]), [0.75, 0.25], atol=TIGHT)
    np.testing.assert_allclose(infokit.from_counts([[1, 1], [0, 4]]), [[0.5, 0.5], [0.0, 1.0]], atol=TIGHT)
    np.testing.assert_allclose(infokit.from_counts([[1, 0], [3, 4]], axis=0), [[0.25, 0.0], [0.75, 1.0]], atol=TIGHT)


def test_from_counts_rejects_negative_and_all_zero_counts():
    with pytest.raises(InvalidDistributionError, match=r"`counts` must be non-negative.*got -1"):
        infokit.from_counts([3, -1])
    with pytest.raises(InvalidDistributionError, match=r"`counts` cannot be normalised.*sum to 0"):
        infokit.from_counts([0, 0])


def test_normalize_true_rescales_instead_of_raising():
    # (2, 2) -> (½, ½): one bit
    assert infokit.entropy([2.0, 2.0], normalize=True, base=2) == pytest.approx(1.0, abs=TIGHT)
    assert infokit.kl_divergence([1.0, 1.0], [3.0, 1.0], normalize=True) == pytest.approx(
        0.5 * math.log(0.5 / 0.75) + 0.5 * math.log(0.5 / 0.25), abs=TIGHT)
    with pytest.raises(InvalidDistributionError, match=r"`p` must sum to 1 along axis -1 \(got 4\).*normalize=True"):
        infokit.entropy([2.0, 2.0])


def test_atol_controls_the_sum_check():
    p = [0.5, 0.5 + 1e-4]
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        infokit.entropy(p)
    assert infokit.entropy(p, atol=1e-3) == pytest.approx(-0.5 * math.log(0.5) - 0.5001 * math.log(0.5001), abs=TIGHT)


# ---------------------------------------------------------------------------------------- bad input specific to pmfs
def test_pair_measures_reject_mismatched_shapes():
    with pytest.raises(ShapeMismatchError, match=r"`p` and `q` must have the same shape; got \(2,\) and \(3,\)"):
        infokit.kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ShapeMismatchError, match=r"`p_logits` and `q` must have the same shape"):
        infokit.js_divergence(p_logits=[0.0, 0.0], q=[0.2, 0.3, 0.5])


@pytest.mark.parametrize("name", list(PAIR_MEASURES))
def test_pair_measures_require_exactly_one_input_per_side(name):
    fn = PAIR_MEASURES[name]
    with pytest.raises(InvalidParameterError, match=r"pass exactly one of `q` or `q_logits=`; got none"):
        fn([0.5, 0.5], None)
    with pytest.raises(InvalidParameterError, match=r"pass exactly one of `p` or `p_logits=`; got `p`, `p_logits`"):
        fn([0.5, 0.5], [0.5, 0.5], p_logits=[0.0, 0.0])


@pytest.mark.parametrize("name", list(SINGLE_MEASURES))
def test_single_measures_require_exactly_one_input(name):
    fn = SINGLE_MEASURES[name]
    with pytest.raises(InvalidParameterError, match=r"pass exactly one of `p`, `logits=` or `log_p=`; got `p`, `logits`"):
        fn([0.5, 0.5], logits=[0.0, 0.0])


def test_one_dimensional_pmf_rejects_axis_out_of_range():
    with pytest.raises(InvalidParameterError, match=r"`axis`=1 is out of range for an input with 1 dimension"):
        infokit.entropy([0.5, 0.5], axis=1)
    with pytest.raises(InvalidParameterError, match=r"`axis` must be an integer; got 0.5"):
        infokit.kl_divergence([0.5, 0.5], [0.5, 0.5], axis=0.5)


# ---------------------------------------------------------------------------------------- inputs are not modified
@pytest.mark.parametrize("name", list(SINGLE_MEASURES))
def test_single_measures_do_not_modify_inputs(name):
    p = np.array([[0.2, 0.0, 0.8], [0.5, 0.25, 0.25]])
    z = np.array([1.0, -math.inf, 0.0])
    p_copy, z_copy = p.copy(), z.copy()
    p.setflags(write=False)  # an in-place write would raise instead of passing silently
    z.setflags(write=False)
    SINGLE_MEASURES[name](p)
    SINGLE_MEASURES[name](logits=z)
    SINGLE_MEASURES[name](log_p=np.log(p_copy[1]))
    np.testing.assert_array_equal(p, p_copy)
    np.testing.assert_array_equal(z, z_copy)
    # normalize=True returns a new array, never rescales the caller's
    raw = np.array([2.0, 2.0])
    SINGLE_MEASURES[name](raw, normalize=True)
    np.testing.assert_array_equal(raw, [2.0, 2.0])


@pytest.mark.parametrize("name", list(PAIR_MEASURES))
def test_pair_measures_do_not_modify_inputs(name):
    p = np.array([0.2, 0.0, 0.8])
    q = np.array([0.5, 0.25, 0.25])
    p.setflags(write=False)
    q.setflags(write=False)
    PAIR_MEASURES[name](p, q)
    PAIR_MEASURES[name](p_logits=np.log(q), q_logits=np.array([0.0, -math.inf, 1.0]))
    raw_p, raw_q = np.array([1.0, 3.0]), np.array([2.0, 2.0])
    PAIR_MEASURES[name](raw_p, raw_q, normalize=True)
    np.testing.assert_array_equal(p, [0.2, 0.0, 0.8])
    np.testing.assert_array_equal(q, [0.5, 0.25, 0.25])
    np.testing.assert_array_equal(raw_p, [1.0, 3.0])
    np.testing.assert_array_equal(raw_q, [2.0, 2.0])


def test_from_counts_and_softmax_do_not_modify_inputs():
    c = np.array([3, 1])
    z = np.array([0.5, 1.5])
    out = infokit.from_counts(c)
    infokit.softmax(z)
    np.testing.assert_array_equal(c, [3, 1])
    np.testing.assert_array_equal(z, [0.5, 1.5])
    # and the result is a new array (writing to it leaves the counts alone)
    out[0] = 99.0
    np.testing.assert_array_equal(c, [3, 1])


def test_bernoulli_named_distribution_is_consistent_with_kl():
    # KL(Ber(p) || U2) = log 2 − h(p)
    d = bernoulli(0.2)
    assert infokit.kl_divergence(d.pmf, [0.5, 0.5]) == pytest.approx(LN2 - _h2(0.2), abs=TIGHT)
