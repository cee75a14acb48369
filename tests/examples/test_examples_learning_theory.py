"""The universality-lens and pretraining-advantage examples run in --quick mode and print what the docs quote."""

import importlib.util
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _run(rel, capsys, argv=("--quick",)):
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(list(argv)) == 0
    return capsys.readouterr().out


def _number_after(label, out):
    m = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)", out)
    assert m, f"{label!r} not in output"
    return float(m.group(1))


def test_universality_example_regret_tracks_prior_weight(capsys):
    out = _run("examples/learning/universality.py", capsys, ("--quick", "--networks", "100000", "--runs", "3"))
    # the mean regret stays below the index-of-resolvability bound (3 runs: allow 0.1 nat of noise)
    assert _number_after("max (mean regret - bound):", out) < 0.1
    # simple targets are learned with far less regret than log(class size) = 11.09 nats; parity is not
    assert _number_after("constant 0 mean regret:", out) < 5.0
    assert _number_after("parity(x0..x3) mean regret:", out) > 11.09


def test_pretraining_example_shows_the_advantage(capsys):
    out = _run("examples/learning/pretraining_advantage.py", capsys)
    # theory: supervised ~ d/(n-d) = 1 at n=100 vs pretrained ~ r/n + dr/m = 0.045 -> a ratio of order 20
    assert _number_after("factor excess risk ratio at n=100 (supervised / pretrained):", out) > 5
    assert _number_after("mixture excess error at n=50, pretrained:", out) < \
        _number_after("mixture excess error at n=50, supervised:", out)
