"""fit_entropy_performance: R = -a e^H + b."""

from __future__ import annotations

import numpy as np
import pytest

from infokit.exceptions import InvalidSampleError, ShapeMismatchError
from infokit.methods.rl.diagnostics import fit_entropy_performance


def test_fit_recovers_a_b_exactly_on_noiseless_data():
    h = np.linspace(0.05, 1.5, 12)
    r = -0.31 * np.exp(h) + 0.87
    f = fit_entropy_performance(h, r)
    # R is linear in e^H: least squares is exact up to rounding
    assert f.a == pytest.approx(0.31, abs=1e-12) and f.b == pytest.approx(0.87, abs=1e-12)
    assert f.ceiling == pytest.approx(0.87 - 0.31, abs=1e-12) and f.r2 == pytest.approx(1.0, abs=1e-12)
    assert f.predict(0.0) == pytest.approx(f.ceiling)


def test_fit_matches_numpy_polyfit_on_noisy_data():
    rng = np.random.default_rng(0)
    h = rng.uniform(0, 2, 50)
    r = -0.2 * np.exp(h) + 1.0 + rng.normal(0, 0.05, 50)
    f = fit_entropy_performance(h, r)
    slope, icpt = np.polyfit(np.exp(h), r, 1)
    assert f.a == pytest.approx(-slope, abs=1e-10) and f.b == pytest.approx(icpt, abs=1e-10)
    assert 0.5 < f.r2 < 1.0


def test_fit_rejects_degenerate_input():
    with pytest.raises(InvalidSampleError, match="at least two checkpoints with different entropies"):
        fit_entropy_performance([1.0, 1.0], [0.1, 0.2])
    with pytest.raises(ShapeMismatchError, match="one value per checkpoint"):
        fit_entropy_performance([1.0, 2.0], [0.1])
    with pytest.raises(InvalidSampleError, match="finite"):
        fit_entropy_performance([1.0, np.nan], [0.1, 0.2])
