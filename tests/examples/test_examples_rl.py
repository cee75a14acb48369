"""The RL examples (entropy collapse in the tabular sandbox; EntropyGRPOTrainer on a tiny GPT-2) run in --quick
mode and print what the docs claim."""

from __future__ import annotations

import importlib.util
import math
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load(rel):
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _number_after(label, out):
    m = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)", out)
    assert m, f"{label!r} not in output"
    return float(m.group(1))


def test_entropy_collapse_example(capsys):
    pytest.importorskip("torch")
    assert _load("examples/rl/entropy_collapse.py").main(["--quick"]) == 0
    out = capsys.readouterr().out
    h0 = _number_after("initial entropy log(8) (nats):", out)
    assert h0 == pytest.approx(math.log(8), abs=1e-4)
    # 25 GRPO steps already lower the entropy of the uniform start (measured 1.96 / 1.97)
    assert _number_after("[baseline] final entropy (nats):", out) < h0 - 0.05
    assert _number_after("[clip_cov] final entropy (nats):", out) < h0
    # the first-order formulas: realised vs predicted within a few percent for lr 0.5 (measured 1-2 %)
    assert _number_after("max relative error of the first-order prediction:", out) < 0.1
    # the covariance and discriminator forms are the same sum (measured ~1e-13)
    assert _number_after("max |cov form - discriminator form|:", out) < 1e-9
    plain = _number_after("mean fraction of entropy-lowering token updates: plain", out)
    clipped = _number_after("with Clip_B", out)
    assert clipped < plain  # Clip_B removes entropy-lowering updates


@pytest.mark.slow
def test_grpo_tiny_gpt2_example(capsys):
    pytest.importorskip("trl")
    assert _load("examples/rl/grpo_tiny_gpt2.py").main(["--quick"]) == 0
    out = capsys.readouterr().out
    for loss in ("vanilla", "clip_cov"):
        assert _number_after(f"[{loss}] logged steps:", out) == 2
        h = _number_after(f"[{loss}] after GRPO answer entropy (nats):", out)
        assert 0 < h <= math.log(14) + 1e-6  # a distribution over the 14-token vocabulary
