"""Gaussian / Gaussian-copula and kernel estimators beside their peers: speed (median seconds) and accuracy.

``run(quick)`` returns rows ``{task, library, n, d, seconds_median, value, truth}`` (values in nats; ``truth``
is the closed-form value where one exists, else NaN). Peers are used only where installed and where they
compute the *same* estimator (same bias correction / bandwidth), so that value columns are comparable:

* Gaussian MI / copula MI / CMI — frites' port of the gcmi reference code (Ince et al. 2017), and a plain
  numpy plug-in (np.cov + slogdet, no bias correction).
* CCA MI — scikit-learn's iterative CCA (correlations of its canonical score pairs).
* KDE entropy / MI — scipy.stats.gaussian_kde (resubstitution), infomeasure's kernel estimator (the same
  resubstitution KDE), scikit-learn's KernelDensity (isotropic bandwidth on standardised columns).
* Cauchy–Schwarz estimators — the formulas of the CS-IB reference code with full Gram matrices (numpy), and
  infokit's torch versions on the CPU.

Run standalone: ``python benchmarks/_bench_gaussian_kernel.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

try:
    from infokit.estimators import gaussian as ig
    from infokit.estimators import kernel as ik
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from infokit.estimators import gaussian as ig
    from infokit.estimators import kernel as ik

LN2 = math.log(2.0)
NAN = float("nan")


def _timed(fn, repeats):
    times, value = [], NAN
    for _ in range(repeats):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), float(value)


def _row(task, library, n, d, fn, repeats, truth):
    try:
        sec, val = _timed(fn, repeats)
    except Exception as exc:  # a peer failing is a result, not a crash of the benchmark
        return {"task": task, "library": library, "n": n, "d": d, "seconds_median": NAN, "value": NAN,
                "truth": truth, "error": f"{type(exc).__name__}: {exc}"}
    return {"task": task, "library": library, "n": n, "d": d, "seconds_median": sec, "value": val, "truth": truth}


def _frites():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from frites.core import gcmi_1d
        return gcmi_1d
    except Exception:
        return None


def _correlated_gaussian(rng, n, d, rho=0.6):
    """x, y each (n, d); pairs (x_k, y_k) correlated rho, independent across k; truth −(d/2) log(1−ρ²)."""
    x = rng.standard_normal((n, d))
    y = rho * x + math.sqrt(1 - rho * rho) * rng.standard_normal((n, d))
    return x, y, -0.5 * d * math.log(1 - rho * rho)


# ----------------------------------------------------------------------------------------- reference formulas
def _numpy_gauss_mi_plugin(x, y):
    ld = lambda m: np.linalg.slogdet(np.atleast_2d(m))[1]  # noqa: E731
    c = np.cov(np.hstack([x, y]).T)
    dx = x.shape[1]
    return 0.5 * (ld(c[:dx, :dx]) + ld(c[dx:, dx:]) - ld(c))


def _sklearn_cca_mi(x, y):
    from sklearn.cross_decomposition import CCA

    k = min(x.shape[1], y.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        u, v = CCA(n_components=k, max_iter=2000, tol=1e-10, scale=True).fit(x, y).transform(x, y)
    rho = np.array([np.corrcoef(u[:, i], v[:, i])[0, 1] for i in range(k)])
    return -0.5 * np.sum(np.log(1 - rho**2))


def _gram(a, b, s):
    d = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    return np.exp(-np.maximum(d, 0) / (2 * s * s))


def _ref_cs_div(x, y, s):
    return math.log(_gram(x, x, s).mean()) + math.log(_gram(y, y, s).mean()) - 2 * math.log(_gram(x, y, s).mean())


def _ref_cs_qmi(x, y, s):
    n = x.shape[0]
    k, q = _gram(x, x, s), _gram(y, y, s)
    one = np.ones(n)
    return (math.log(np.trace(k @ q.T) / n**2) + math.log(k.sum() * q.sum() / n**4)
            - 2 * math.log(one @ k.T @ q @ one / n**3))


# ----------------------------------------------------------------------------------------- tasks
def _gaussian_rows(quick):
    rows = []
    reps = 3 if quick else 5
    fr = _frites()
    sizes = [(10_000, 1), (10_000, 5)] if quick else [(10_000, 1), (100_000, 1), (100_000, 5), (1_000_000, 5)]
    for n, d in sizes:
        rng = np.random.default_rng(n + d)
        x, y, truth = _correlated_gaussian(rng, n, d)
        rows.append(_row("gaussian_mi", "infokit (bias-corrected)", n, d, lambda: ig.gaussian_mi(x, y), reps, truth))
        rows.append(_row("gaussian_mi", "numpy cov+slogdet (plug-in)", n, d, lambda: _numpy_gauss_mi_plugin(x, y),
                         reps, truth))
        if fr is not None:
            rows.append(_row("gaussian_mi", "frites gcmi mi_1d_gg", n, d, lambda: fr.mi_1d_gg(x.T, y.T) * LN2, reps,
                             truth))
        # copula: the same Gaussian pair seen through strictly increasing maps (truth unchanged)
        xe, yc = np.exp(x), y**3
        rows.append(_row("gaussian_copula_mi", "infokit", n, d, lambda: ig.gaussian_copula_mi(xe, yc), reps, truth))
        if fr is not None:
            rows.append(_row("gaussian_copula_mi", "frites gcmi_1d_cc", n, d,
                             lambda: fr.gcmi_1d_cc(xe.T, yc.T) * LN2, reps, truth))
        rows.append(_row("gaussian_mi (raw, exp/cube marginals)", "infokit gaussian_mi", n, d,
                         lambda: ig.gaussian_mi(xe, yc), reps, truth))
        # CMI on a chain X -> Z -> Y: I(X;Y|Z) = 0
        z = y
        yy = 0.7 * z + math.sqrt(1 - 0.49) * rng.standard_normal((n, d))
        rows.append(_row("gaussian_cmi (chain, truth 0)", "infokit", n, d, lambda: ig.gaussian_cmi(x, yy, z), reps,
                         0.0))
        if fr is not None:
            rows.append(_row("gaussian_cmi (chain, truth 0)", "frites cmi_1d_ggg", n, d,
                             lambda: fr.cmi_1d_ggg(x.T, yy.T, z.T) * LN2, reps, 0.0))
    # CCA: sklearn's iterative CCA is slow; keep it small
    for n, d in ([(2000, 3)] if quick else [(2000, 3), (20_000, 10)]):
        rng = np.random.default_rng(7 * n + d)
        x, y, truth = _correlated_gaussian(rng, n, d)
        rows.append(_row("cca_mi", "infokit", n, d, lambda: ig.cca_mi(x, y), reps, truth))
        rows.append(_row("cca_mi", "infokit ledoit_wolf", n, d, lambda: ig.cca_mi(x, y, shrinkage="ledoit_wolf"),
                         reps, truth))
        try:
            import sklearn.cross_decomposition  # noqa: F401  (only to skip the peer when sklearn is absent)

            rows.append(_row("cca_mi", "sklearn CCA", n, d, lambda: _sklearn_cca_mi(x, y), 1 if quick else 3, truth))
        except ImportError:
            pass
    # d close to n: the plain estimate explodes, shrinkage keeps it sane (truth 0 for independent blocks)
    rng = np.random.default_rng(99)
    x, y = rng.standard_normal((60, 25)), rng.standard_normal((60, 25))
    rows.append(_row("cca_mi (independent, d=25+25, n=60)", "infokit", 60, 25, lambda: ig.cca_mi(x, y), reps, 0.0))
    rows.append(_row("cca_mi (independent, d=25+25, n=60)", "infokit ledoit_wolf", 60, 25,
                     lambda: ig.cca_mi(x, y, shrinkage="ledoit_wolf"), reps, 0.0))
    # dependent blocks with d close to n: 25 pairs with ρ = 0.6, n = 60 (truth 25 · 0.2231 = 5.579 nats)
    x = rng.standard_normal((60, 25))
    y = 0.6 * x + 0.8 * rng.standard_normal((60, 25))
    truth = -12.5 * math.log(1 - 0.36)
    rows.append(_row("gaussian_mi (rho=0.6, d=25+25, n=60)", "infokit gaussian_mi (bias-corrected)", 60, 25,
                     lambda: ig.gaussian_mi(x, y), reps, truth))
    rows.append(_row("gaussian_mi (rho=0.6, d=25+25, n=60)", "infokit cca_mi", 60, 25, lambda: ig.cca_mi(x, y), reps,
                     truth))
    rows.append(_row("gaussian_mi (rho=0.6, d=25+25, n=60)", "infokit cca_mi ledoit_wolf", 60, 25,
                     lambda: ig.cca_mi(x, y, shrinkage="ledoit_wolf"), reps, truth))
    return rows


def _kde_rows(quick):
    rows = []
    reps = 3 if quick else 5
    try:
        import infomeasure as im
    except ImportError:
        im = None
    try:
        from sklearn.neighbors import KernelDensity
    except ImportError:
        KernelDensity = None
    import scipy.stats

    for n, d in ([(2000, 1), (2000, 3)] if quick else [(2000, 1), (5000, 3), (10_000, 3)]):
        rng = np.random.default_rng(3 * n + d)
        x = rng.standard_normal((n, d))
        truth = 0.5 * d * math.log(2 * math.pi * math.e)
        h = n ** (-1.0 / (d + 4))  # Scott's factor, shared by all peers below
        rows.append(_row("kde_entropy", "infokit (leave-one-out)", n, d, lambda: ik.kde_entropy(x), reps, truth))
        rows.append(_row("kde_entropy", "infokit (resubstitution)", n, d,
                         lambda: ik.kde_entropy(x, leave_one_out=False), reps, truth))
        rows.append(_row("kde_entropy", "scipy gaussian_kde (resubstitution)", n, d,
                         lambda: -np.mean(scipy.stats.gaussian_kde(x.T).logpdf(x.T)), reps, truth))
        if im is not None:
            rows.append(_row("kde_entropy", "infomeasure kernel (resubstitution)", n, d,
                             lambda: im.entropy(x, approach="kernel", kernel="gaussian", bandwidth=h, base="e"),
                             reps, truth))
        if KernelDensity is not None:
            rows.append(_row("kde_entropy", "sklearn KernelDensity (resubstitution)", n, d,
                             lambda: -np.mean(KernelDensity(bandwidth=h).fit(x).score_samples(x)), reps, truth))
    for n in ([2000] if quick else [2000, 5000]):
        rng = np.random.default_rng(n)
        x, y, truth = _correlated_gaussian(rng, n, 1, rho=0.8)
        h = n ** (-1.0 / 6)
        rows.append(_row("kde_mi", "infokit (leave-one-out)", n, 1, lambda: ik.kde_mi(x, y), reps, truth))
        rows.append(_row("kde_mi", "infokit (resubstitution)", n, 1, lambda: ik.kde_mi(x, y, leave_one_out=False),
                         reps, truth))
        if im is not None:
            rows.append(_row("kde_mi", "infomeasure kernel (resubstitution)", n, 1,
                             lambda: im.mutual_information(x, y, approach="kernel", kernel="gaussian", bandwidth=h,
                                                           base="e"), reps, truth))
    return rows


def _cs_rows(quick):
    rows = []
    reps = 3 if quick else 5
    try:
        import torch
    except ImportError:
        torch = None
    for n in ([1000, 2000] if quick else [1000, 2000, 5000, 10_000]):
        rng = np.random.default_rng(11 * n)
        x, y = rng.standard_normal((n, 1)), rng.standard_normal((n, 1)) + 1.0
        truth = 1.0 / 3.0  # μ²/(σ²+2) with μ = σ = 1
        rows.append(_row("cs_divergence_samples", "infokit (streamed)", n, 1,
                         lambda: ik.cs_divergence_samples(x, y, sigma=1.0), reps, truth))
        if n <= 5000:
            rows.append(_row("cs_divergence_samples", "reference formula (numpy, full Gram)", n, 1,
                             lambda: _ref_cs_div(x, y, 1.0), reps, truth))
        if torch is not None and n <= 5000:
            tx, ty = torch.tensor(x), torch.tensor(y)
            rows.append(_row("cs_divergence_samples", "infokit torch (CPU, full Gram)", n, 1,
                             lambda: float(ik.cs_divergence_samples_torch(tx, ty, sigma=1.0)), reps, truth))
        xq = rng.standard_normal((n, 4))
        yq = xq[:, :1] + 0.3 * rng.standard_normal((n, 1))
        rows.append(_row("cs_qmi", "infokit (streamed)", n, 4, lambda: ik.cs_qmi(xq, yq, sigma=1.0), reps, NAN))
        if n <= 5000:
            rows.append(_row("cs_qmi", "reference formula (numpy, full Gram)", n, 4,
                             lambda: _ref_cs_qmi(xq, yq, 1.0), reps, NAN))
        if torch is not None and n <= 5000:
            txq, tyq = torch.tensor(xq), torch.tensor(yq)
            rows.append(_row("cs_qmi", "infokit torch (CPU, full Gram)", n, 4,
                             lambda: float(ik.cs_qmi_torch(txq, tyq, sigma=1.0)), reps, NAN))
        yh = yq + 0.2 * rng.standard_normal((n, 1))
        rows.append(_row("cs_conditional_divergence", "infokit (streamed)", n, 4,
                         lambda: ik.cs_conditional_divergence(xq, yq, yh, sigma=1.0), reps, NAN))
    for n in ([500] if quick else [500, 2000]):
        rng = np.random.default_rng(5 * n)
        x = rng.standard_normal((n, 3))
        rows.append(_row("matrix_renyi_entropy (alpha=1.01)", "infokit", n, 3,
                         lambda: ik.matrix_renyi_entropy(x, sigma=1.0), reps, NAN))
        if torch is not None:
            tx = torch.tensor(x)
            rows.append(_row("matrix_renyi_entropy (alpha=1.01)", "infokit torch (CPU)", n, 3,
                             lambda: float(ik.matrix_renyi_entropy_torch(tx, sigma=1.0)), reps, NAN))
    return rows


def run(quick: bool) -> list[dict]:
    """All rows of this benchmark (see the module docstring)."""
    return _gaussian_rows(quick) + _kde_rows(quick) + _cs_rows(quick)


def _print(rows):
    head = f"{'task':<40} {'library':<40} {'n':>8} {'d':>3} {'seconds':>10} {'value':>10} {'truth':>9}"
    print(head)
    print("-" * len(head))
    for r in rows:
        err = f"  [{r['error']}]" if "error" in r else ""
        print(f"{r['task']:<40} {r['library']:<40} {r['n']:>8} {r['d']:>3} {r['seconds_median']:>10.4f} "
              f"{r['value']:>10.5f} {r['truth']:>9.5f}{err}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and fewer repeats")
    args = parser.parse_args()
    _print(run(args.quick))
