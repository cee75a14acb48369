"""Speed and accuracy of the binning (paper 12) and spectral (paper 16) estimators, side by side.

Rows ``{task, library, n, d, seconds_median, value, truth}``:

* DSE: infokit vs the authors' package ``dse-dsmi`` (PyPI, when installed) vs a plain numpy transcription of
  the definition (distance matrix -> Gaussian kernel -> D^-1/2 G D^-1/2 as two matrix products ->
  ``np.linalg.eigvalsh``), on tight well-separated clusters where the truth is log2(k) bits, and on a
  Gaussian cloud (truth unknown: the value column shows agreement).
* DSMI: infokit vs ``dse-dsmi`` on labelled separated clusters (truth log2 k bits).
* EBAB / fixed-width binning: I(X;T) of the identity layer over the 4096 12-bit patterns (truth 12 bits) and
  of a random tanh layer; infokit vs a plain numpy reference (``np.unique(axis=0)`` on the binned rows, the
  reference code's approach).
* aKDE: the KL upper-bound I(X;T) at tiny noise on the 12-bit patterns (truth log2 4096 = 12 bits): infokit
  (blocked, O(n) memory) vs plain numpy with the full n×n matrix and ``scipy.special.logsumexp``.

Values in bits. ``run(quick)`` returns the rows; ``python benchmarks/_bench_binning_spectral.py [--quick]``
prints them and the speed ratios. Every library runs on ONE BLAS thread (threadpoolctl, when installed): on
shared 2-core machines multi-threaded BLAS timings of small eigenproblems swing by 10x with the load, and
one thread makes the ratios reproducible.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from infokit.estimators.binning import estimate_binned_entropy, estimate_layer_information
from infokit.estimators.spectral import (
    estimate_diffusion_spectral_entropy,
    estimate_diffusion_spectral_mutual_information,
)


def _median_time(fn, repeats: int):
    times, value = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), value


def _numpy_dse_bits(x: np.ndarray, sigma: float = 10.0, t: int = 1) -> float:
    """The definition, transcribed the straightforward way (what a user would write)."""
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1) if x.shape[0] <= 500 else None
    if d2 is None:
        sq = (x * x).sum(1)
        d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * x @ x.T, 0)
    g = np.exp(-d2 / (2 * sigma**2))
    dm = np.diag(1 / np.sqrt(g.sum(1)))
    k = dm @ g @ dm
    lam = np.abs(np.linalg.eigvalsh(k)) ** t
    p = lam / lam.sum()
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def _numpy_binned_entropy_bits(x: np.ndarray, n_bins: int) -> float:
    lo, hi = x.min(), x.max()
    edges = np.linspace(lo, hi, n_bins + 1)
    b = np.clip(np.digitize(x, edges) - 1, 0, n_bins - 1)
    _, counts = np.unique(b, axis=0, return_counts=True)
    p = counts / counts.sum()
    return float(-(p * np.log2(p)).sum())


def _numpy_kde_ixt_bits(t: np.ndarray, var: float) -> float:
    from scipy.special import logsumexp

    d2 = ((t[:, None, :] - t[None, :, :]) ** 2).sum(-1)
    return float(-np.mean(logsumexp(-d2 / (2 * var), axis=1) - math.log(len(t))) / math.log(2))


def _clusters(k: int, per: int, d: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((k, d)) * 100
    labels = np.repeat(np.arange(k), per)
    return centres[labels] + 1e-3 * rng.standard_normal((k * per, d)), labels


def run(quick: bool) -> list[dict]:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return _run(quick)
    with threadpool_limits(1, user_api="blas"):
        return _run(quick)


def _run(quick: bool) -> list[dict]:
    try:
        import dse_dsmi
    except ImportError:
        dse_dsmi = None
    repeats = 1 if quick else 3
    rows: list[dict] = []

    def add(task, library, x, fn, truth):
        sec, val = _median_time(fn, repeats)
        rows.append({"task": task, "library": library, "n": int(x.shape[0]), "d": int(x.shape[1]),
                     "seconds_median": sec, "value": float(val), "truth": truth})

    # ---------------------------------------------------------------------------------------------- DSE
    sizes = [200] if quick else [500, 1000, 2000]
    for n in sizes:
        x, _ = _clusters(8, n // 8, 32)
        truth = math.log2(8)
        add("dse_8_clusters_sigma10", "infokit", x, lambda: estimate_diffusion_spectral_entropy(x, base=2), truth)
        add("dse_8_clusters_sigma10", "numpy", x, lambda: _numpy_dse_bits(x), truth)
        if dse_dsmi is not None:
            add("dse_8_clusters_sigma10", "dse-dsmi", x, lambda: dse_dsmi.diffusion_spectral_entropy(x), truth)
        g = np.random.default_rng(1).standard_normal((n, 32)) * 2
        add("dse_gaussian_sigma10", "infokit", g, lambda: estimate_diffusion_spectral_entropy(g, base=2), None)
        add("dse_gaussian_sigma10", "numpy", g, lambda: _numpy_dse_bits(g), None)
        if dse_dsmi is not None:
            add("dse_gaussian_sigma10", "dse-dsmi", g, lambda: dse_dsmi.diffusion_spectral_entropy(g), None)

    # --------------------------------------------------------------------------------------------- DSMI
    n = 400 if quick else 2000
    x, lab = _clusters(4, n // 4, 16, seed=2)
    add("dsmi_4_labelled_clusters", "infokit", x,
        lambda: estimate_diffusion_spectral_mutual_information(x, lab, base=2), 2.0)
    if dse_dsmi is not None:
        add("dsmi_4_labelled_clusters", "dse-dsmi", x,
            lambda: dse_dsmi.diffusion_spectral_mutual_information(x, lab.reshape(-1, 1))[0], 2.0)

    # ------------------------------------------------------------------------------------------ binning
    pat = ((np.arange(4096)[:, None] >> np.arange(12)) & 1).astype(np.float64)
    add("ebab_identity_12bit", "infokit", pat, lambda: estimate_binned_entropy(pat, base=2), 12.0)
    add("fixed_width_identity_12bit", "infokit", pat,
        lambda: estimate_binned_entropy(pat, scheme="fixed_width", base=2), 12.0)
    add("fixed_width_identity_12bit", "numpy", pat, lambda: _numpy_binned_entropy_bits(pat, 30), 12.0)
    w = np.random.default_rng(3).standard_normal((12, 10)) / math.sqrt(12)
    layer = np.tanh(pat @ w * 3)
    big = np.repeat(layer, 1 if quick else 25, axis=0)  # 4096 or 102400 rows
    add("fixed_width_tanh_layer", "infokit", big, lambda: estimate_binned_entropy(big, scheme="fixed_width", base=2),
        None)
    add("fixed_width_tanh_layer", "numpy", big, lambda: _numpy_binned_entropy_bits(big, 30), None)
    add("ebab_tanh_layer", "infokit", big, lambda: estimate_binned_entropy(big, base=2), None)

    # --------------------------------------------------------------------------------------------- aKDE
    kde_pts = pat[:1024] if quick else pat
    truth = math.log2(kde_pts.shape[0])
    add("akde_ixt_tiny_noise", "infokit", kde_pts,
        lambda: estimate_layer_information(kde_pts, method="kde_upper", noise_var=1e-4, scale="absolute",
                                           base=2).i_xt, truth)
    add("akde_ixt_tiny_noise", "numpy", kde_pts, lambda: _numpy_kde_ixt_bits(kde_pts, 1e-4), truth)
    return rows


def _print(rows):
    print(f"{'task':28} {'library':9} {'n':>7} {'d':>4} {'seconds':>9} {'value':>10} {'truth':>7} {'x infokit':>9}")
    ours = {(r["task"], r["n"]): r["seconds_median"] for r in rows if r["library"] == "infokit"}
    for r in rows:
        ratio = r["seconds_median"] / ours[(r["task"], r["n"])] if (r["task"], r["n"]) in ours else float("nan")
        truth = "" if r["truth"] is None else f"{r['truth']:.3f}"
        print(f"{r['task']:28} {r['library']:9} {r['n']:>7} {r['d']:>4} {r['seconds_median']:>9.4f} "
              f"{r['value']:>10.6f} {truth:>7} {ratio:>9.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    _print(run(ap.parse_args().quick))
