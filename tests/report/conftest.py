"""Fixtures for the report tests: small tables with a known answer."""

from __future__ import annotations

import numpy as np
import pytest


def planted_frame(n: int = 1500, seed: int = 0):
    """A table whose target ``y`` (3 classes) depends on ``sig_cont``, ``sig_int``, ``sig_text`` and the
    near-copy ``copy_cont`` of ``sig_cont``; the ``noise_*`` columns are independent of everything."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = rng.integers(0, 4, n)
    t = rng.integers(0, 3, n)
    s = 1.5 * a + (b - 1.5) + 2.0 * (t == 2) + 0.5 * rng.normal(size=n)
    y = np.digitize(s, np.quantile(s, [1 / 3, 2 / 3]))
    return pd.DataFrame({
        "noise_cont": rng.normal(size=n),
        "sig_cont": a,
        "noise_int": rng.integers(0, 5, n),
        "sig_int": b,
        "noise_text": np.array(["u", "v", "w"])[rng.integers(0, 3, n)],
        "sig_text": np.array(["p", "q", "r"])[t],
        "copy_cont": a + 0.05 * rng.normal(size=n),
        "noise_bool": rng.random(n) < 0.5,
        "y": np.array(["lo", "mid", "hi"])[y],
    })


@pytest.fixture
def planted():
    return planted_frame()


@pytest.fixture
def make_planted():
    return planted_frame
