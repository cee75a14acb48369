"""The pursuit / active-learning / sparse-bandit examples run in --quick mode and print the numbers the docs quote."""

import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load(rel):
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(rel, capsys):
    assert _load(rel).main(["--quick"]) == 0
    return capsys.readouterr().out


def _number_after(label, out):
    m = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)", out)
    assert m, f"{label!r} not in output"
    return float(m.group(1))


def test_twenty_questions_example(capsys):
    out = _run("examples/pursuit/twenty_questions.py", capsys)
    for model in ("calibrated", "mis-ranked"):
        # conformal coverage on fresh random histories: guarantee E >= 0.9 with 100 calibration points per length;
        # 40 test objects x 7 lengths -> s.e. ~0.02 (plus calibration spread ~0.03): 0.8 is ~3 s.e. below
        assert 0.8 <= _number_after(f"{model} coverage (random histories, lengths 0..6):", out) <= 1.0
        assert 1.0 < _number_after(f"{model} mean set size:", out) < 20.0
    # the calibrated model with IP learns: accuracy after 6 queries well above the 1/20 prior guess (quick run: 0.625)
    assert _number_after("calibrated ip acc@6:", out) > 0.3


def test_sparse_bandits_example(capsys):
    out = _run("examples/learning/sparse_bandits.py", capsys)
    assert _number_after("query bound C(d,s)*|net|:", out) == 8316  # C(12,2) * ceil(2 pi / 0.05)
    assert _number_after("mean distinct queries:", out) < 8316
    assert _number_after("max gap:", out) <= 0.15 + 1e-9  # the constructive 3 eps guarantee, noiseless
    assert _number_after("d=256 sparse regret:", out) == 0.0
    assert _number_after("d=256 least-squares regret:", out) > 0.3  # above 3 eps (measured 0.374)


def test_active_learning_example(capsys):
    out = _run("examples/learning/active_learning.py", capsys)
    robust = _number_after("robust worst-class excess:", out)
    # the selected policy minimises the worst-class excess over a family that contains both baselines
    assert 0.0 <= robust <= _number_after("uniform worst-class excess:", out)
    assert robust <= _number_after("binary search worst-class excess:", out)
    # the REINFORCE-trained softmax policy: an excess in [0, 1] (0.133 measured in quick mode, 0.115 in full);
    # it may not beat the baselines in quick mode's few iterations, so only the range is asserted here
    assert 0.0 <= _number_after("trained policy worst-class excess:", out) <= 1.0


@pytest.mark.slow
def test_twenty_questions_full_reproduces_the_documented_table(capsys):
    # docs/pursuit.md, full mode (400 episodes, seed 0): calibrated IP 0.775 vs random 0.647 at 10 queries;
    # mis-ranked: C-IP (set size) 0.530 vs IP 0.420. Seeded, so the run is deterministic; the margins below are
    # ~2 s.e. (0.025 per accuracy) so that a numpy RNG-stream change does not flip the documented direction
    assert _load("examples/pursuit/twenty_questions.py").main([]) == 0
    out = capsys.readouterr().out
    assert _number_after("calibrated ip acc@10:", out) > _number_after("calibrated random acc@10:", out) + 0.05
    assert _number_after("mis-ranked cip-set_size acc@10:", out) > _number_after("mis-ranked ip acc@10:", out) + 0.05


@pytest.mark.slow
def test_sparse_bandits_full(capsys):
    assert _load("examples/learning/sparse_bandits.py").main([]) == 0
    out = capsys.readouterr().out
    assert _number_after("max gap:", out) <= 0.15 + 1e-9
    for d in (400, 900):
        assert _number_after(f"d={d} sparse regret:", out) == 0.0
        assert _number_after(f"d={d} least-squares regret:", out) > 0.3  # measured 0.472, 0.601
