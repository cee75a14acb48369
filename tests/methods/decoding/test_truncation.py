"""Truncation masks: Top-H known answers from the notes (§1.3), the baselines, parity with transformers' warpers,
temperature handling and error messages."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
lp = pytest.importorskip("transformers.generation.logits_process")

from hypothesis import given, settings, strategies as st  # noqa: E402

from infokit.exceptions import InvalidDistributionError, InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.decoding.truncation import (  # noqa: E402
    epsilon_mask,
    eta_mask,
    min_p_mask,
    top_h_mask,
    top_k_mask,
    top_p_mask,
    truncate_logits,
    truncation_mask,
    truncation_stats,
    typical_mask,
)


def _brute_top_h(z, alpha, top_n=100):
    """Row by row, in float64, straight from the rule: keep {1} ∪ {k : C_k <= alpha·H(q)} over the top-n."""
    z = np.asarray(z, dtype=np.float64)
    out = np.zeros(z.shape, dtype=bool)
    for r, row in enumerate(z):
        order = np.argsort(-row, kind="stable")[:top_n]
        q = np.exp(row[order] - row[order].max())
        q /= q.sum()
        h = -np.sum(q * np.log(q))
        c = 0.0
        for k, (i, qi) in enumerate(zip(order, q)):
            c += -qi * np.log(qi)
            if k == 0 or c <= alpha * h:
                out[r, i] = True
    return out


def _brute_strict(z, alpha):
    """Literal reading over the full vocabulary: largest prefix with H(renormalised prefix) <= alpha·H(p)."""
    z = np.asarray(z, dtype=np.float64)
    out = np.zeros(z.shape, dtype=bool)
    for r, row in enumerate(z):
        order = np.argsort(-row, kind="stable")
        p = np.exp(row[order] - row.max())
        p /= p.sum()
        hp = -np.sum(p * np.log(p))
        for k in range(1, len(p) + 1):
            q = p[:k] / p[:k].sum()
            if k == 1 or -np.sum(q * np.log(q)) <= alpha * hp:
                out[r, order[k - 1]] = True
            else:
                break
    return out


# ---------------------------------------------------------------------------------------------- Top-H


@pytest.mark.parametrize("alpha, expected", [(0.105, 10), (0.255, 25), (0.505, 50), (0.377, 37), (0.999, 99)])
def test_top_h_uniform_keeps_floor_top_n_times_alpha(alpha, expected):
    # uniform q over n = 100: C_k = (k/100)·log 100 and H = log 100, so C_k <= alpha·H iff k <= 100·alpha.
    # alpha chosen with 100·alpha off an integer: at exact integers (0.25 -> 25) the cumsum's rounding decides
    # the boundary token (float32 keeps 25, float64 24), so those are covered by the parity tests instead
    z = torch.zeros(2, 1000, dtype=torch.float64)
    assert top_h_mask(z, alpha).sum(-1).tolist() == [expected, expected]


def test_top_h_uniform_general_top_n():
    # the same closed form with n = 40: floor(40·0.51) = 20
    assert int(top_h_mask(torch.zeros(1, 500, dtype=torch.float64), 0.51, top_n=40).sum()) == 20


def test_top_h_alpha_one_keeps_about_top_n():
    # alpha = 1: C_n = H, so all n are kept up to the cumsum-vs-sum rounding of the last one (notes §1.3)
    assert int(top_h_mask(torch.randn(1, 1000, generator=torch.Generator().manual_seed(1)), 1.0).sum()) >= 99


@pytest.mark.parametrize("alpha", [0.05, 0.4, 1.0])
def test_top_h_near_delta_keeps_one(alpha):
    z = torch.full((1, 300), -1e4)
    z[0, 17] = 0.0
    m = top_h_mask(z, alpha)
    assert int(m.sum()) == 1 and bool(m[0, 17])


def test_top_h_matches_brute_force_rule():
    g = torch.Generator().manual_seed(3)
    z = torch.randn(6, 400, generator=g, dtype=torch.float64) * torch.tensor([0.3, 1, 2, 3, 5, 8.0]).double()[:, None]
    for alpha in (0.2, 0.4, 0.7):
        np.testing.assert_array_equal(top_h_mask(z, alpha).numpy(), _brute_top_h(z.numpy(), alpha))


def test_top_h_strict_matches_brute_force_and_differs_from_cumulative():
    g = torch.Generator().manual_seed(4)
    z = torch.randn(3, 300, generator=g, dtype=torch.float64) * torch.tensor([0.5, 2.0, 5.0]).double()[:, None]
    strict = top_h_mask(z, 0.4, top_n=None, mode="strict")
    np.testing.assert_array_equal(strict.numpy(), _brute_strict(z.numpy(), 0.4))
    # notes §1.3 table: at small logit scale the strict reading keeps far fewer tokens than the code's rule
    cum = top_h_mask(z, 0.4)
    assert int(strict[0].sum()) < int(cum[0].sum())


@settings(max_examples=10)
@given(st.integers(0, 10_000))
def test_top_h_sets_are_nested_in_alpha(seed):
    z = torch.randn(2, 250, generator=torch.Generator().manual_seed(seed)) * 2
    prev = None
    for alpha in (0.1, 0.3, 0.5, 0.8, 1.0):
        m = top_h_mask(z, alpha)
        if prev is not None:
            assert bool((prev & ~m).sum() == 0)  # every token kept at smaller alpha stays kept
        prev = m


@pytest.mark.parametrize("fn, value", [(top_h_mask, 0.4), (top_p_mask, 0.9), (min_p_mask, 0.1),
                                       (typical_mask, 0.9), (epsilon_mask, 3e-4), (eta_mask, 2e-3),
                                       (top_k_mask, 7)])
def test_batch_rows_are_independent(fn, value):
    z = torch.randn(5, 600, generator=torch.Generator().manual_seed(5)) * 3
    batch = fn(z, value, temperature=1.3)
    rows = torch.cat([fn(z[i:i + 1], value, temperature=1.3) for i in range(5)])
    assert torch.equal(batch, rows)


@pytest.mark.parametrize("fn, value", [(top_h_mask, 0.4), (top_p_mask, 0.9), (min_p_mask, 0.1),
                                       (typical_mask, 0.9), (epsilon_mask, 3e-4), (eta_mask, 2e-3)])
@pytest.mark.parametrize("temperature", [0.5, 2.0])
def test_temperature_inside_equals_predivided_logits(fn, value, temperature):
    z = torch.randn(4, 800, generator=torch.Generator().manual_seed(6)) * 2
    assert torch.equal(fn(z, value, temperature=temperature), fn(z / temperature, value))


def test_top_h_keeps_more_tokens_at_higher_temperature():
    # notes §1.3: the same logits kept 6/16/26 tokens at T = 0.5/1/2 (their logits unknown; check the trend)
    z = torch.randn(1, 5000, generator=torch.Generator().manual_seed(7)) * 3
    sizes = [int(top_h_mask(z, 0.4, temperature=t).sum()) for t in (0.5, 1.0, 2.0)]
    assert sizes[0] < sizes[1] < sizes[2]


def test_top_h_min_tokens_to_keep_and_renormalize_variant():
    z = torch.full((1, 200), -1e4)
    z[0, :3] = torch.tensor([0.0, -1.0, -2.0])
    assert int(top_h_mask(z, 0.1, min_tokens_to_keep=3).sum()) == 3
    # the authors' un-renormalised variant differs from the renormalised one by at most ~1 token (notes §1.1)
    z = torch.randn(8, 3000, generator=torch.Generator().manual_seed(8)) * 2
    a = top_h_mask(z, 0.4).sum(-1)
    b = top_h_mask(z, 0.4, renormalize_top_n=False).sum(-1)
    assert int((a - b).abs().max()) <= 1


def test_masks_keep_masked_tokens_dropped():
    # tokens already at -inf (masked by an earlier processor) are never revived
    z = torch.randn(2, 300, generator=torch.Generator().manual_seed(9))
    z[:, :50] = -math.inf
    for fn, v in [(top_h_mask, 1.0), (top_p_mask, 1.0), (min_p_mask, 1e-12), (typical_mask, 0.99),
                  (epsilon_mask, 1e-12), (eta_mask, 1e-12)]:
        assert not bool(fn(z, v)[:, :50].any()), fn.__name__


# ---------------------------------------------------------------------------------------------- baselines


def test_top_p_keeps_crossing_token():
    # p = (0.5, 0.3, 0.15, 0.05): mass 0.8 >= 0.7 first reached with the 2nd token, which is kept
    z = torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]], dtype=torch.float64))
    assert top_p_mask(z, 0.7).tolist() == [[True, True, False, False]]
    assert top_p_mask(z, 0.85).tolist() == [[True, True, True, False]]
    assert top_p_mask(z, 1.0).all()


def test_min_p_epsilon_eta_thresholds_by_hand():
    p = torch.tensor([[0.6, 0.3, 0.06, 0.04]], dtype=torch.float64)
    z = torch.log(p)
    assert min_p_mask(z, 0.1).tolist() == [[True, True, False, False]]  # 0.06 < 0.1·0.6
    assert epsilon_mask(z, 0.05).tolist() == [[True, True, True, False]]  # 0.04 < 0.05
    # eta = min(eps, sqrt(eps)·exp(-H)); with eps = 0.5: sqrt(.5)·exp(-H(p)) = 0.7071·e^-0.9668 = 0.2689
    h = float(-(p * p.log()).sum())
    eta = min(0.5, math.sqrt(0.5) * math.exp(-h))
    assert abs(eta - 0.2689) < 1e-3  # hand value, rounded to 4 digits
    assert eta_mask(z, 0.5).tolist() == [[True, True, False, False]]


def test_typical_keeps_tokens_closest_to_entropy():
    # p = (0.4, 0.3, 0.2, 0.1): H = 1.2799 nats; |-log p - H| = (0.364, 0.076, 0.330, 1.023); order 2,3,1,4;
    # cumulative mass 0.3, 0.5, 0.9 -> mass 0.5 keeps tokens 2 and 3
    z = torch.log(torch.tensor([[0.4, 0.3, 0.2, 0.1]], dtype=torch.float64))
    assert typical_mask(z, 0.5).tolist() == [[False, True, True, False]]


def test_top_k_ties_kept_and_min_tokens():
    z = torch.tensor([[1.0, 3.0, 3.0, 0.0]])
    assert top_k_mask(z, 1).tolist() == [[False, True, True, False]]
    assert int(top_p_mask(torch.tensor([[10.0, 0, 0, 0]]), 0.5, min_tokens_to_keep=3).sum()) == 3


@pytest.mark.parametrize("scale", [0.5, 2.0, 6.0, 20.0])
@pytest.mark.parametrize("temperature", [1.0, 1.7])
def test_parity_with_transformers_warpers(scale, temperature):
    # identical masks to transformers' own warpers applied after TemperatureLogitsWarper(T)
    z = torch.randn(6, 4000, generator=torch.Generator().manual_seed(int(scale * 10))) * scale
    zt = lp.TemperatureLogitsWarper(temperature)(None, z)
    cases = [
        (top_h_mask(z, 0.4, temperature=temperature), lp.TopHLogitsWarper(0.4)),
        (top_k_mask(z, 50, temperature=temperature), lp.TopKLogitsWarper(50)),
        (top_p_mask(z, 0.9, temperature=temperature), lp.TopPLogitsWarper(0.9)),
        (min_p_mask(z, 0.1, temperature=temperature), lp.MinPLogitsWarper(0.1)),
        (typical_mask(z, 0.9, temperature=temperature), lp.TypicalLogitsWarper(0.9)),
        (epsilon_mask(z, 3e-4, temperature=temperature), lp.EpsilonLogitsWarper(3e-4)),
        (eta_mask(z, 2e-3, temperature=temperature), lp.EtaLogitsWarper(2e-3)),
        (top_p_mask(z, 0.5, temperature=temperature, min_tokens_to_keep=5), lp.TopPLogitsWarper(0.5, min_tokens_to_keep=5)),
    ]
    for ours, warper in cases:
        ref = warper(None, zt.clone()) != -math.inf
        assert torch.equal(ours, ref), type(warper).__name__


def test_numpy_and_1d_inputs_round_trip():
    z = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    m = top_p_mask(z, 0.7)
    assert isinstance(m, np.ndarray) and m.tolist() == [True, True, False, False]
    out = truncate_logits(z, "top_p", 0.7)
    assert np.isneginf(out[2:]).all() and np.array_equal(out[:2], z[:2])
    assert np.isfinite(z).all()  # input not mutated


def test_truncate_logits_returns_untempered_masked_copy():
    z = torch.randn(2, 50, generator=torch.Generator().manual_seed(2))
    z0 = z.clone()
    out = truncate_logits(z, "top_h", 0.4, temperature=2.0)
    keep = top_h_mask(z, 0.4, temperature=2.0)
    assert torch.equal(out[keep], z[keep]) and bool(torch.isneginf(out[~keep]).all())
    assert torch.equal(z, z0)
    assert torch.equal(truncation_mask(z, "min_p", 0.2), min_p_mask(z, 0.2))


# ---------------------------------------------------------------------------------------------- stats


def test_truncation_stats_bounded_vs_blowing_up():
    # a Zipf-like head plus a flat tail: heating flattens it, nucleus needs ever more tail tokens while
    # top-H (within top-100) and min-p (relative to the max) stay small
    g = torch.Generator().manual_seed(11)
    z = (-2.0 * torch.log(torch.arange(1, 5001, dtype=torch.float64)))[None].repeat(20, 1)
    z = z + 0.3 * torch.randn(20, 5000, generator=g, dtype=torch.float64)
    st_ = truncation_stats(z, temperatures=(1.0, 2.0))
    top_p_growth = st_.get("top-p 0.9", 2.0)["median_kept"] / st_.get("top-p 0.9", 1.0)["median_kept"]
    top_h_2 = st_.get("top-H 0.4", 2.0)["median_kept"]
    assert top_p_growth > 10 and top_h_2 <= 100
    assert st_.get("min-p 0.1", 2.0)["median_kept"] < st_.get("top-p 0.9", 2.0)["median_kept"] / 10
    for r in st_.rows:
        assert 0 < r["retained_mass"] <= 1 + 1e-12  # a probability (1e-12: float64 sum)
        assert r["truncated_entropy"] <= r["entropy"] + 1e-9 or r["sampler"] == "typical 0.9"
    assert st_.get("top-k 50", 1.0)["median_kept"] == 50
    assert "T | mean H (nats)" in st_.to_string()


def test_truncation_stats_entropy_of_uniform():
    # uniform over 64: H = log 64; top-k keeps ties, so k = 8 keeps all 64 (mass 1, truncated H = log 64)
    r = truncation_stats(torch.zeros(3, 64), samplers={"k": ("top_k", 8)}, temperatures=(1.0,)).get("k", 1.0)
    assert abs(r["entropy"] - math.log(64)) < 1e-9  # float64 arithmetic
    assert r["median_kept"] == 64 and abs(r["retained_mass"] - 1) < 1e-12
    # logits (0, -1, -2, ... ) at T: top-2 keeps mass (1 + e^{-1/T}) / sum_i e^{-i/T}
    z = -torch.arange(10, dtype=torch.float64)[None]
    r = truncation_stats(z, samplers={"k": ("top_k", 2)}, temperatures=(2.0,)).get("k", 2.0)
    w = torch.exp(-torch.arange(10, dtype=torch.float64) / 2)
    assert abs(r["retained_mass"] - float(w[:2].sum() / w.sum())) < 1e-12  # float64
    q = w[:2] / w[:2].sum()
    assert abs(r["truncated_entropy"] - float(-(q * q.log()).sum())) < 1e-12  # entropy of the renormalised pair


def test_truncation_stats_blocks_do_not_change_the_table(monkeypatch):
    import infokit.methods.decoding.truncation as tr

    z = torch.randn(7, 300, generator=torch.Generator().manual_seed(12), dtype=torch.float64) * 2
    whole = truncation_stats(z, temperatures=(1.0, 2.0))
    monkeypatch.setattr(tr, "_STATS_BLOCK_ELEMENTS", 600)  # 2 rows per block, last block of 1
    blocked = truncation_stats(z, temperatures=(1.0, 2.0))
    for a, b in zip(whole.rows, blocked.rows):
        assert a.keys() == b.keys()
        for k in a:
            if isinstance(a[k], str):
                assert a[k] == b[k]
            else:  # same float64 values, reduced in another order
                assert a[k] == pytest.approx(b[k], rel=1e-12, abs=1e-12)


# ---------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("alpha", [0.0, -0.1, 1.5, float("nan"), "0.4"])
def test_top_h_rejects_alpha_outside_unit_interval(alpha):
    with pytest.raises(InvalidParameterError, match=r"`alpha` must be"):
        top_h_mask(torch.zeros(1, 10), alpha)


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("inf")])
def test_rejects_nonpositive_temperature(temperature):
    with pytest.raises(InvalidParameterError, match=r"`temperature` must be a finite real number > 0"):
        top_p_mask(torch.zeros(1, 10), 0.9, temperature=temperature)


def test_rejects_bad_logits():
    with pytest.raises(InvalidDistributionError, match="NaN"):
        top_h_mask(torch.tensor([[0.0, float("nan")]]))
    with pytest.raises(InvalidDistributionError, match=r"\+inf"):
        top_h_mask(torch.tensor([[0.0, float("inf")]]))
    with pytest.raises(InvalidDistributionError, match="entirely -inf"):
        top_h_mask(torch.full((1, 5), -math.inf))
    with pytest.raises(ShapeMismatchError, match=r"\[batch, vocab\]"):
        top_h_mask(torch.zeros(2, 3, 4))
    with pytest.raises(InvalidDistributionError, match="must not be empty"):
        top_h_mask(torch.zeros(1, 0))
    with pytest.raises(InvalidParameterError, match="`min_tokens_to_keep` .* must be <= `top_n`"):
        top_h_mask(torch.zeros(1, 500), 0.4, top_n=10, min_tokens_to_keep=11)
    with pytest.raises(InvalidParameterError, match="`mode` must be one of"):
        top_h_mask(torch.zeros(1, 5), mode="literal")
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        truncation_mask(torch.zeros(1, 5), "nucleus", 0.9)
    with pytest.raises(InvalidParameterError, match=r"`epsilon` must be in \(0, 1\)"):
        epsilon_mask(torch.zeros(1, 5), 1.0)


@pytest.mark.parametrize("name", ["infokit.methods.decoding.truncation", "infokit.methods.decoding.adaptive"])
def test_docstring_examples_run(name):
    import doctest
    import importlib

    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, name, globs=dict(vars(module))):
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0
