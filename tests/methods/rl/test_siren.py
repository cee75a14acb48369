"""SIREN: top-p entropy, peak-entropy mask, self-anchored regulariser."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.rl.losses import policy_loss_vanilla  # noqa: E402
from infokit.methods.rl.siren import (  # noqa: E402
    SirenRegularizer,
    peak_entropy_mask,
    policy_loss_siren,
    top_p_entropy,
)

PROBS = torch.tensor([0.5, 0.25, 0.15, 0.1], dtype=torch.float64)  # cumulative 0.5, 0.75, 0.9, 1.0


def _h(q):
    q = q / q.sum()
    return float(-(q * torch.log(q)).sum())


def test_top_p_entropy_excludes_the_crossing_token():
    # p = 0.8 is first reached at the 3rd token: SIREN keeps {0.5, 0.25} -> H(2/3, 1/3)
    got = float(top_p_entropy(torch.log(PROBS), top_p=0.8))
    assert got == pytest.approx(_h(PROBS[:2]), abs=1e-12)


def test_top_p_entropy_with_crossing_token_matches_hf_semantics():
    got = float(top_p_entropy(torch.log(PROBS), top_p=0.8, include_crossing=True))
    assert got == pytest.approx(_h(PROBS[:3]), abs=1e-12)


def test_top_p_entropy_is_zero_when_top1_reaches_p_and_gradient_is_finite():
    z = torch.log(torch.tensor([[0.85, 0.1, 0.05], [0.4, 0.35, 0.25]], dtype=torch.float64)).requires_grad_(True)
    h = top_p_entropy(z, top_p=0.8)
    assert float(h[0].detach()) == 0.0  # empty set
    assert float(h[1].detach()) == pytest.approx(_h(torch.tensor([0.4, 0.35], dtype=torch.float64)), abs=1e-12)
    h.sum().backward()
    assert torch.all(torch.isfinite(z.grad)) and torch.all(z.grad[0] == 0)


def test_top_p_entropy_top_k_and_temperature():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(3, 40, generator=g, dtype=torch.float64)
    assert torch.allclose(top_p_entropy(z, temperature=2.0), top_p_entropy(z / 2.0), atol=1e-12)
    # top_k = 1: at most one token kept -> entropy 0
    assert torch.all(top_p_entropy(z, top_k=1) == 0)
    # top_p = 1 with the crossing token included keeps the whole support: the full entropy
    full = -(torch.softmax(z, -1) * torch.log_softmax(z, -1)).sum(-1)
    assert torch.allclose(top_p_entropy(z, top_p=1.0, include_crossing=True), full, atol=1e-12)


def test_top_p_entropy_validation():
    with pytest.raises(InvalidParameterError, match="`top_p` must be > 0"):
        top_p_entropy(torch.zeros(4), top_p=0.0)
    with pytest.raises(InvalidParameterError, match="`top_k` must be a positive integer"):
        top_p_entropy(torch.zeros(4), top_k=0)


def test_peak_mask_keeps_above_the_interpolated_quantile_and_ignores_padding():
    h = torch.cat([torch.arange(1.0, 11.0), torch.tensor([100.0, 100.0])])[None]
    mask = torch.cat([torch.ones(10), torch.zeros(2)])[None]
    # valid entropies 1..10: linear-interpolated 0.8 quantile = 8.2 -> keep {9, 10}; padding (100) never kept
    kept = peak_entropy_mask(h, mask, quantile=0.8)
    assert torch.nonzero(kept[0]).reshape(-1).tolist() == [8, 9]
    # the quantile is per sequence: a second row with 10x the entropies keeps its own top 2
    two = peak_entropy_mask(torch.cat([h, 10 * h]), torch.cat([mask, mask]))
    assert two.sum(1).tolist() == [2, 2]
    # an upper quantile drops the very top: keep (8.2, 9.1] -> {9}
    band = peak_entropy_mask(h, mask, quantile=0.8, quantile_upper=0.9)
    assert torch.nonzero(band[0]).reshape(-1).tolist() == [8]


def test_regularizer_anchors_on_the_first_batch():
    g = torch.Generator().manual_seed(1)
    logits = torch.randn(2, 6, 30, generator=g, dtype=torch.float64).requires_grad_(True)
    mask = torch.ones(2, 6, dtype=torch.float64)
    reg = SirenRegularizer(coef=0.5, top_k=30)
    pen, m = reg(logits, mask)
    # first call: the anchor is this batch's own masked entropy -> zero penalty and zero gradient
    assert float(pen.detach()) == 0.0 and float(m["siren/anchor"]) == pytest.approx(float(m["siren/entropy"]))
    pen.backward()
    assert torch.all(logits.grad == 0)


def test_regularizer_pulls_entropy_back_to_the_anchor_from_both_sides():
    g = torch.Generator().manual_seed(2)
    base = torch.randn(2, 8, 30, generator=g, dtype=torch.float64)
    mask = torch.ones(2, 8, dtype=torch.float64)
    reg = SirenRegularizer(coef=1.0, top_k=30, top_p=0.95)
    reg(base, mask)
    anchor = float(reg.anchor)
    for scale, direction in ((3.0, "lower"), (0.3, "higher")):  # sharper logits: lower entropy, and vice versa
        z = (base * scale).requires_grad_(True)
        pen, m = reg(z, mask)
        h = float(m["siren/entropy"])
        assert (h < anchor) if direction == "lower" else (h > anchor)
        assert float(pen.detach()) == pytest.approx((h - anchor) ** 2, rel=1e-12)
        pen.backward()
        # one gradient-descent step on the penalty moves the entropy toward the anchor
        with torch.no_grad():
            _, m2 = SirenRegularizer(coef=1.0, top_k=30, top_p=0.95, anchor=anchor)(z - 0.5 * z.grad, mask)
        assert abs(float(m2["siren/entropy"]) - anchor) < abs(h - anchor)


def test_regularizer_set_anchor_and_validation():
    reg = SirenRegularizer(anchor=1.5)
    assert float(reg.anchor) == 1.5
    reg.set_anchor(None)
    assert reg.anchor is None
    with pytest.raises(InvalidParameterError, match="`agg` must be one of"):
        SirenRegularizer(agg="mean")


def test_policy_loss_siren_is_vanilla_plus_penalty():
    g = torch.Generator().manual_seed(3)
    logits = torch.randn(3, 5, 20, generator=g, dtype=torch.float64)
    lp = torch.log_softmax(logits, -1)[..., 0]
    old = lp + 0.05
    adv = torch.randn(3, 5, generator=g, dtype=torch.float64)
    mask = torch.ones(3, 5, dtype=torch.float64)
    reg = SirenRegularizer(coef=2.0, top_k=20, anchor=0.1)
    loss, metrics = policy_loss_siren(old, lp, adv, mask, logits=logits, regularizer=reg)
    ref, _ = policy_loss_vanilla(old, lp, adv, mask, clip_high=0.28)
    assert float(loss) == pytest.approx(float(ref) + float(metrics["siren/penalty"]), abs=1e-12)
    assert float(metrics["siren/penalty"]) > 0


def test_peak_mask_keeps_ties_so_a_uniform_start_has_a_nonzero_anchor():
    # every position has the same entropy: the quantile equals it, and all positions are kept (">=")
    h = torch.full((2, 5), 1.3, dtype=torch.float64)
    assert bool(peak_entropy_mask(h, torch.ones(2, 5)).all())
    reg = SirenRegularizer(top_k=8, top_p=0.95)
    reg(torch.zeros(2, 5, 8, dtype=torch.float64), torch.ones(2, 5, dtype=torch.float64))
    assert float(reg.anchor) == pytest.approx(math.log(7), abs=1e-12)  # 7 of 8 uniform tokens have cum < 0.95
