"""The neural-network bottleneck examples (information plane, CS-IB, IB and generalisation) run in --quick
mode and print the labelled numbers that docs/bottleneck.md compares with the papers'."""

import math
import re

import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")


def test_information_plane_example(example):
    out = example.run("examples/bottleneck/information_plane.py")
    # 12 epochs of Adam (lr 1e-3) on 1200 digits: measured test accuracy 0.82 (0.97 after 300 epochs)
    assert example.number("test accuracy:", out) > 0.7
    h_y = example.number("H(Y) upper bound on I(T;Y) nats:", out)
    assert h_y == pytest.approx(math.log(10), abs=1e-3)
    for layer in ("hidden-32", "hidden-16", "logits-10"):
        first, final = re.search(re.escape(f"{layer} I(T;Y) first -> final nats:") + r"\s*([0-9.]+) -> ([0-9.]+)",
                                 out).groups()
        # fitting phase: every layer gains label information (measured +0.9 to +1.7 nats) and stays below
        # H(Y) up to the Ross estimator's bias (0.1 nats)
        assert float(final) > float(first) + 0.5
        assert float(final) < h_y + 0.1
        # data processing: I(T;Y) <= I(X;T) (Y - X - T); the estimates keep it to within estimator noise
        assert float(final) <= example.number(f"{layer} final I(X;T) nats:", out) + 0.1


def test_cs_ib_diabetes_example(example):
    out = example.run("examples/bottleneck/cs_ib_diabetes.py")
    sd = example.number("target sd (RMSE of the mean predictor):", out)
    assert sd == pytest.approx(77.0, abs=0.1)  # the diabetes target's standard deviation
    for label in ("MSE", "VIB beta=1e-3", "CS-IB beta=1e-2"):
        rmse = example.number(f"{label} RMSE:", out)
        # every model beats the mean predictor by a clear margin (measured 57-61 vs 77)
        assert 45.0 < rmse < 0.9 * sd
        comp = example.number(f"{label} compression I_CS(X;Z):", out)
        assert 0.0 <= comp <= 1.0 + 1e-9  # normalised CS-QMI lies in [0, 1]


def test_ib_generalization_example(example):
    out = example.run("examples/bottleneck/ib_generalization.py")
    mean_dib = example.number("mean I(X;Z|Y) nats:", out)
    # within-class MC estimate on 200 inputs per class is capped at log 200
    assert -0.01 <= mean_dib <= math.log(200)
    for label in ("I(X;Z|Y)", "W1 h1", "W1 z", "min_l rho_l W1_l"):
        for stat in ("Kendall tau", "Spearman"):
            v = example.number(f"{stat}({label}, gap):", out)
            assert -1.0 <= v <= 1.0
    # quick grid (4 models): the degree of IB ranks the gaps in the paper's direction (measured tau 0.67)
    assert example.number("Kendall tau(I(X;Z|Y), gap):", out) > 0.0
