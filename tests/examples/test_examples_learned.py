"""The learned-MI example (paper 15, MIST) runs in --quick mode and prints the numbers docs/learned.md cites."""

import importlib.util
import json
import pathlib
import re

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


def test_learned_mi_example(capsys):
    assert _load("examples/estimators/learned_mi.py").main(["--quick"]) == 0
    out = capsys.readouterr().out
    cfg = json.loads((ROOT / "src/infokit/estimators/_learned_weights/mist_tiny.json").read_text())
    # the printed held-out numbers are the ones stored with the weights (3 decimals)
    assert abs(_number_after("held-out meta-set 90% coverage:", out) - cfg["held_out"]["coverage"]["0.9"]) < 1e-3
    # split-conformal calibration on 2000 tasks: coverage on 1000 fresh tasks of the same meta-distribution is
    # 0.9 up to binomial noise, s.e. sqrt(0.09/1000) = 0.0095; 3 s.e. ≈ 0.03
    assert abs(cfg["held_out"]["coverage"]["0.9"] - 0.9) < 0.03
    learned = _number_after("learned RMSE (nats):", out)
    ksg = _number_after("ksg RMSE (nats):", out)
    # on the named ground-truth tasks at n = 256 (one seed) the learned model beats KSG; measured
    # learned 0.307 vs KSG 0.414 nats — the bound only catches a regression towards KSG's level
    assert learned < ksg
    assert 0.0 < learned < 0.35
    cov = _number_after("learned 90% interval coverage:", out)
    assert 0.6 <= cov <= 1.0  # 32 tasks, several outside the training families (spiral): reported, loosely bounded
