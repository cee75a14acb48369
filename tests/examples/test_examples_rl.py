"""The RL examples (entropy collapse in the tabular sandbox; EntropyGRPOTrainer on a tiny GPT-2) run in --quick
mode and print what the docs claim."""

from __future__ import annotations

import math

import pytest


def test_entropy_collapse_example(example):
    pytest.importorskip("torch")
    out = example.run("examples/rl/entropy_collapse.py")
    h0 = example.number("initial entropy log(8) (nats):", out)
    assert h0 == pytest.approx(math.log(8), abs=1e-4)
    # 25 GRPO steps already lower the entropy of the uniform start (measured 1.96 / 1.97)
    assert example.number("[baseline] final entropy (nats):", out) < h0 - 0.05
    assert example.number("[clip_cov] final entropy (nats):", out) < h0
    # the first-order formulas: realised vs predicted within a few percent for lr 0.5 (measured 1-2 %)
    assert example.number("max relative error of the first-order prediction:", out) < 0.1
    # the covariance and discriminator forms are the same sum (measured ~1e-13)
    assert example.number("max |cov form - discriminator form|:", out) < 1e-9
    plain = example.number("mean fraction of entropy-lowering token updates: plain", out)
    clipped = example.number("with Clip_B", out)
    assert clipped < plain  # Clip_B removes entropy-lowering updates


@pytest.mark.slow
def test_grpo_tiny_gpt2_example(example):
    pytest.importorskip("trl")
    out = example.run("examples/rl/grpo_tiny_gpt2.py")
    for loss in ("vanilla", "clip_cov"):
        assert example.number(f"[{loss}] logged steps:", out) == 2
        h = example.number(f"[{loss}] after GRPO answer entropy (nats):", out)
        assert 0 < h <= math.log(14) + 1e-6  # a distribution over the 14-token vocabulary
