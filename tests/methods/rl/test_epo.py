"""EPO: entropy history, smoothing band (hinge and released indicator), phase weight, combined loss."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.rl.epo import (  # noqa: E402
    EntropyHistory,
    epo_entropy_loss,
    epo_smoothing_penalty,
    phase_weight,
    policy_loss_epo,
)
from infokit.methods.rl.losses import policy_loss_vanilla  # noqa: E402


def test_history_mean_over_all_iterations_skips_absent_turns():
    hist = EntropyHistory(3)
    hist.update([1.0, 2.0, math.nan])
    hist.update([3.0, 4.0, 5.0])
    assert hist.mean().tolist() == [2.0, 3.0, 5.0]
    hist.update([1.0])  # shorter: turns 1, 2 absent
    assert hist.mean().tolist() == [5 / 3, 3.0, 5.0]
    ema = EntropyHistory(1, history="ema", ema=0.5)
    ema.update([2.0])
    ema.update([4.0])
    assert ema.mean().tolist() == [3.0]  # 0.5 * 2 + 0.5 * 4


def test_penalty_is_zero_inside_the_band_and_follows_the_history():
    hist = torch.tensor([1.0, 2.0], dtype=torch.float64)
    ent = torch.tensor([[0.5, 1.5, 1.9], [0.5, 3.0, 4.5]], dtype=torch.float64)
    turn = torch.tensor([0, 1])
    mask = torch.ones(2, 3, dtype=torch.float64)
    # band turn 0: (0.5 * 1, 2 * 1) = (0.5, 2); turn 1: (1, 4)
    p = epo_smoothing_penalty(ent, turn, hist, mask, r_min=0.5, r_max=2.0, kappa=0.1, mode="hinge")
    want = torch.tensor([[0.0, 0.0, 0.0], [0.1 * 0.5, 0.0, 0.1 * 0.5]], dtype=torch.float64)
    assert torch.allclose(p, want, atol=1e-15)
    rel = epo_smoothing_penalty(ent, turn, hist, mask, r_min=0.5, r_max=2.0, kappa=0.1, mode="released")
    # indicator of H outside the open band: 0.5 sits on the edge of turn 0 -> outside
    assert rel.tolist() == [[0.1, 0.0, 0.0], [0.1, 0.0, 0.1]]


def test_hinge_gradient_pushes_back_into_the_band_and_released_gradient_is_zero():
    hist = torch.tensor([1.0], dtype=torch.float64)
    ent = torch.tensor([[0.1, 1.0, 3.0]], dtype=torch.float64, requires_grad=True)
    mask = torch.ones(1, 3, dtype=torch.float64)
    turn = torch.tensor([0])
    epo_smoothing_penalty(ent, turn, hist, mask, r_min=0.5, r_max=2.0, kappa=1.0).sum().backward()
    # minimising: below the band the gradient is negative (raise H), above positive (lower H), inside 0
    assert ent.grad.tolist() == [[-1.0, 0.0, 1.0]]
    ent.grad = None
    p = epo_smoothing_penalty(ent, turn, hist, mask, r_min=0.5, r_max=2.0, kappa=1.0, mode="released")
    assert not p.requires_grad  # built from a boolean test: no gradient at all


def test_unknown_turns_and_padding_get_no_penalty():
    hist = torch.tensor([1.0, math.nan], dtype=torch.float64)
    ent = torch.full((2, 2), 10.0, dtype=torch.float64)
    p = epo_smoothing_penalty(ent, torch.tensor([1, 0]), hist, torch.tensor([[1.0, 1.0], [1.0, 0.0]]))
    assert p.tolist() == [[0.0, 0.0], [pytest.approx(0.8), 0.0]]  # 0.1 * (10 - 2)


def test_phase_weight_values_and_the_jump_at_half():
    assert phase_weight(0) == 1.0
    assert phase_weight(75) == pytest.approx(1 - 0.2 * (1 - math.exp(-2)))  # 0.8271
    assert phase_weight(75.0001) == pytest.approx(0.8, abs=1e-4)  # the released schedule jumps down to 0.8
    assert phase_weight(150) == pytest.approx(0.8 * math.exp(-3))
    ws = [phase_weight(e) for e in range(151)]
    assert all(a >= b for a, b in zip(ws, ws[1:]))  # non-increasing
    with pytest.raises(InvalidParameterError, match="`epoch` must be >= 0"):
        phase_weight(-1)


def test_entropy_loss_and_combined_loss():
    g = torch.Generator().manual_seed(0)
    ent = torch.rand(2, 4, generator=g, dtype=torch.float64)
    mask = torch.ones(2, 4, dtype=torch.float64)
    # -c * mean(H) without a penalty
    assert float(epo_entropy_loss(ent, mask, entropy_coeff=0.01)) == pytest.approx(-0.01 * float(ent.mean()))
    pen = torch.full((2, 4), 0.3, dtype=torch.float64)
    v = epo_entropy_loss(ent, mask, entropy_coeff=0.01, penalty=pen, smooth_coeff=2.0, weight=0.5)
    assert float(v) == pytest.approx(-0.01 * (float(ent.mean()) - 2.0 * 0.5 * 0.3))
    old = -torch.rand(2, 4, generator=g, dtype=torch.float64)
    adv = torch.randn(2, 4, generator=g, dtype=torch.float64)
    hist = EntropyHistory(1)
    hist.update([float(ent.mean())])
    loss, metrics = policy_loss_epo(old, old, adv, mask, entropy=ent, history=hist, epoch=0, r_min=0.9, r_max=1.1)
    ref, _ = policy_loss_vanilla(old, old, adv, mask)
    p = epo_smoothing_penalty(ent, torch.zeros(2, dtype=torch.long), hist.mean(), mask, r_min=0.9, r_max=1.1)
    assert float(loss) == pytest.approx(float(ref) - 0.001 * (float(ent.mean()) - float(p.mean())), abs=1e-12)
    assert float(metrics["epo/phase_weight"]) == 1.0
