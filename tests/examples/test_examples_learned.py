"""The learned-MI example (paper 15, MIST) runs in --quick mode and prints the numbers docs/learned.md cites."""

import json


def test_learned_mi_example(example):
    out = example.run("examples/estimators/learned_mi.py")
    cfg = json.loads((example.root / "src/infokit/estimators/_learned_weights/mist_tiny.json").read_text())
    # the printed held-out numbers are the ones stored with the weights (3 decimals)
    assert abs(example.number("held-out meta-set 90% coverage:", out) - cfg["held_out"]["coverage"]["0.9"]) < 1e-3
    # split-conformal calibration on 2000 tasks: coverage on 1000 fresh tasks of the same meta-distribution is
    # 0.9 up to binomial noise, s.e. sqrt(0.09/1000) = 0.0095; 3 s.e. ≈ 0.03
    assert abs(cfg["held_out"]["coverage"]["0.9"] - 0.9) < 0.03
    learned = example.number("learned RMSE (nats):", out)
    ksg = example.number("ksg RMSE (nats):", out)
    # on the named ground-truth tasks at n = 256 (one seed) the learned model beats KSG; measured
    # learned 0.307 vs KSG 0.414 nats — the bound only catches a regression towards KSG's level
    assert learned < ksg
    assert 0.0 < learned < 0.35
    cov = example.number("learned 90% interval coverage:", out)
    assert 0.6 <= cov <= 1.0  # 32 tasks, several outside the training families (spiral): reported, loosely bounded
