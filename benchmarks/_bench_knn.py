"""kNN and mixed estimators beside their peers: speed (median seconds), CPU time and agreement.

``run(quick)`` returns rows ``{task, library, n, d, seconds_median, cpu_seconds_median, value, truth,
ratio_to_infokit, cpu_ratio_to_infokit}`` (values in nats; ``truth`` is the closed form; ``ratio_to_infokit``
is the peer's median wall time over infokit's, so above 1 means infokit is faster; ``cpu_ratio_to_infokit``
the same with CPU time, all threads summed), plus one ``growth`` row per task with the
exponent ``b`` of the least-squares fit ``seconds ≈ a · n^b`` of infokit's time over n = 10^3 … 10^6
(10^3 … 10^5 with ``quick``; 10^3 … 10^5 for the d = 5 task).

Tasks (k = 3 everywhere, data from ``numpy.random.default_rng(12345)``):

* ``KSG-1 MI`` — d independent pairs with correlation 0.8 per pair, d = 1 and d = 5 per variable; truth
  −½·d·log(1 − 0.8²). Peers: NPEET ``mi`` (git checkout), scikit-learn ``mutual_info_regression`` (1-D only),
  infomeasure ``mutual_information(approach="ksg")``, dit ``total_correlation_ksg`` (a different KSG variant:
  "≤" counts, ψ(n) — its value differs).
* ``KL entropy`` — 3-D Gaussian with pairwise correlation 0.5; peers NPEET ``entropy``, infomeasure
  ``entropy(approach="kl")``, dit ``differential_entropy_knn``.
* ``FP CMI`` — X → Z → Y Gaussian chain (truth 0); peers NPEET ``cmi``, infomeasure
  ``conditional_mutual_information(approach="ksg")``.
* ``mixed MI`` — X ~ Bernoulli(½), Y = X + N(0, 1), truth 0.11142; infokit ``gao_mixed_mi`` and ``ross_mi``
  beside scikit-learn ``mutual_info_classif`` (Ross) and NPEET ``micd``.

Peers add 1e-10 noise (NPEET with the global ``np.random``: seeded before each call); infokit does not.
Inputs are standardised once before timing, for every library alike (infokit's public layer would do it).
Timing: one warm-up call, then the median of ``repeats`` calls (3; 1 for calls slower than 20 s).
Wall time is the headline (infokit uses every core, ``workers=-1``; the peers use one); CPU time (all threads
summed) is reported beside it because a shared machine inflates wall time.

Run standalone: ``python benchmarks/_bench_knn.py [--quick]``.
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
    from infokit.estimators import knn as ik
    from infokit.estimators import mixed as imx
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from infokit.estimators import knn as ik
    from infokit.estimators import mixed as imx

LN2 = math.log(2.0)
NAN = float("nan")
SEED = 12345
MIXTURE_TRUTH = 0.11142  # X ~ Bernoulli(1/2), Y = X + N(0, 1), by quadrature (tests/estimators/test_mixed.py)


def _peers():
    out = {}
    try:
        import npeet.entropy_estimators as ee

        out["NPEET"] = ee
    except Exception:
        pass
    try:
        import sklearn.feature_selection as skf

        out["sklearn"] = skf
    except Exception:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import infomeasure as im
        out["infomeasure"] = im
    except Exception:
        pass
    try:
        import dit.inference.knn_estimators as dk

        out["dit"] = dk
    except Exception:
        pass
    return out


def _timed(fn, repeats):
    """Median wall and CPU seconds of ``fn()`` after one warm-up call (skipped when the call is slow)."""
    c0, w0 = time.process_time(), time.perf_counter()
    value = fn()
    first_w, first_c = time.perf_counter() - w0, time.process_time() - c0
    if first_w > 20.0:
        return first_w, first_c, float(value)
    walls, cpus = [], []
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        value = fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), float(value)


def _row(task, library, n, d, fn, repeats, truth):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wall, cpu, val = _timed(fn, repeats)
    except Exception as exc:  # a peer failing is a result, not a crash of the benchmark
        return {"task": task, "library": library, "n": n, "d": d, "seconds_median": NAN,
                "cpu_seconds_median": NAN, "value": NAN, "truth": truth, "error": f"{type(exc).__name__}: {exc}"}
    return {"task": task, "library": library, "n": n, "d": d, "seconds_median": wall, "cpu_seconds_median": cpu,
            "value": val, "truth": truth}


def _npeet(fn):
    """NPEET jitters with the global RNG: seed it so every call sees the same noise."""

    def call():
        np.random.seed(SEED)
        return fn()

    return call


def _z(a):
    return (a - a.mean(0)) / a.std(0)


def _ratios(rows):
    """ratio_to_infokit = peer wall seconds / infokit wall seconds for the same (task, n, d); likewise for CPU."""
    base = {}
    for r in rows:
        if r["library"].startswith("infokit"):
            base.setdefault((r["task"], r["n"], r["d"]), (r["seconds_median"], r["cpu_seconds_median"]))
    for r in rows:
        bw, bc = base.get((r["task"], r["n"], r["d"]), (NAN, NAN))
        r["ratio_to_infokit"] = r["seconds_median"] / bw if bw and bw == bw else NAN
        r["cpu_ratio_to_infokit"] = r["cpu_seconds_median"] / bc if bc and bc == bc else NAN
    return rows


def _ksg_rows(peers, n, d, repeats):
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((n, d))
    y = 0.8 * x + 0.6 * rng.standard_normal((n, d))
    x, y = _z(x), _z(y)
    truth = -0.5 * d * math.log(1 - 0.64)
    task = "KSG-1 MI"
    rows = [_row(task, "infokit", n, d, lambda: ik.ksg_mi(x, y, 3), repeats, truth)]
    slow = 1 if n * d >= 5 * 10**5 else repeats  # peers at the largest sizes run for tens of seconds
    if "NPEET" in peers:
        ee = peers["NPEET"]
        rows.append(_row(task, "NPEET", n, d, _npeet(lambda: ee.mi(x, y, k=3, base=math.e)), slow, truth))
    if "sklearn" in peers and d == 1:
        skf = peers["sklearn"]
        rows.append(_row(task, "sklearn", n, d,
                         lambda: skf.mutual_info_regression(x, y[:, 0], n_neighbors=3, random_state=0)[0],
                         repeats, truth))
    if "infomeasure" in peers and not (d > 1 and n >= 10**5):  # ~74 s per call (peer study); left out
        im = peers["infomeasure"]
        rows.append(_row(task, "infomeasure", n, d,
                         lambda: im.mutual_information(x, y, approach="ksg", k=3), slow, truth))
    if "dit" in peers:
        dk = peers["dit"]
        cols = [list(range(d)), list(range(d, 2 * d))]
        xy = np.hstack([x, y])
        rows.append(_row(task, "dit (≤ variant)", n, d,
                         _npeet(lambda: dk.total_correlation_ksg(xy, cols, k=3) * LN2), slow, truth))
    return rows


def _kl_rows(peers, n, repeats):
    rng = np.random.default_rng(SEED)
    cov = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
    x = rng.multivariate_normal(np.zeros(3), cov, size=n)
    truth = 0.5 * np.linalg.slogdet(2 * math.pi * math.e * cov)[1]
    task = "KL entropy"
    rows = [_row(task, "infokit", n, 3, lambda: ik.kl_entropy(x, 3), repeats, truth)]
    if "NPEET" in peers:
        ee = peers["NPEET"]
        rows.append(_row(task, "NPEET", n, 3, _npeet(lambda: ee.entropy(x, k=3, base=math.e)), repeats, truth))
    if "infomeasure" in peers:
        im = peers["infomeasure"]
        rows.append(_row(task, "infomeasure", n, 3, lambda: im.entropy(x, approach="kl", k=3), repeats, truth))
    if "dit" in peers:
        dk = peers["dit"]
        rows.append(_row(task, "dit", n, 3, _npeet(lambda: dk.differential_entropy_knn(x, k=3) * LN2), repeats,
                         truth))
    return rows


def _cmi_rows(peers, n, repeats):
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((n, 1))
    z = x + rng.standard_normal((n, 1))
    y = z + rng.standard_normal((n, 1))
    x, y, z = _z(x), _z(y), _z(z)
    task = "FP CMI (chain, truth 0)"
    rows = [_row(task, "infokit", n, 1, lambda: ik.fp_cmi(x, y, z, 3), repeats, 0.0)]
    if "NPEET" in peers:
        ee = peers["NPEET"]
        rows.append(_row(task, "NPEET", n, 1, _npeet(lambda: ee.cmi(x, y, z, k=3, base=math.e)), repeats, 0.0))
    if "infomeasure" in peers and n <= 10**5:
        im = peers["infomeasure"]
        rows.append(_row(task, "infomeasure", n, 1,
                         lambda: im.conditional_mutual_information(x, y, cond=z, approach="ksg", k=3), repeats, 0.0))
    return rows


def _mixed_rows(peers, n, repeats):
    rng = np.random.default_rng(SEED)
    c = rng.integers(0, 2, n)
    y = c + rng.standard_normal(n)
    ys = _z(y[:, None])
    xs = _z(c[:, None].astype(float))
    task = "mixed MI (Bernoulli + Gaussian)"
    rows = [
        _row(task, "infokit gao", n, 1, lambda: imx.gao_mixed_mi(xs, ys, 3), repeats, MIXTURE_TRUTH),
        _row(task, "infokit ross", n, 1, lambda: imx.ross_mi(c, ys, 3), repeats, MIXTURE_TRUTH),
    ]
    if "sklearn" in peers:
        skf = peers["sklearn"]
        rows.append(_row(task, "sklearn (ross)", n, 1,
                         lambda: skf.mutual_info_classif(y[:, None], c, n_neighbors=3, random_state=0)[0],
                         repeats, MIXTURE_TRUTH))
    if "NPEET" in peers:
        ee = peers["NPEET"]
        rows.append(_row(task, "NPEET micd", n, 1, _npeet(lambda: ee.micd(ys, c[:, None], k=3, base=math.e)),
                         repeats, MIXTURE_TRUTH))
    return rows


def _growth(task, d, sizes, fn_for_n):
    """Fitted exponent b of seconds ≈ a n^b for infokit (median of 3 at each n; 1 above 10 s)."""
    secs = []
    for n in sizes:
        f = fn_for_n(n)
        wall, _, _ = _timed(f, 3 if n <= 10**5 else 1)
        secs.append(wall)
    b = float(np.polyfit(np.log(sizes), np.log(secs), 1)[0])
    times = ", ".join(f"{n:.0e}: {s:.3g} s" for n, s in zip(sizes, secs))
    return {"task": f"growth of {task}", "library": "infokit", "n": f"{sizes[0]:.0e}..{sizes[-1]:.0e}", "d": d,
            "seconds_median": secs[-1], "value": NAN, "truth": NAN, "growth_exponent": b, "times": times}


def _ksg_data(n, d):
    rng = np.random.default_rng(SEED)
    x = rng.standard_normal((n, d))
    y = 0.8 * x + 0.6 * rng.standard_normal((n, d))
    return _z(x), _z(y)


def run(quick: bool) -> list:
    """All rows (see the module docstring). ``quick``: n ≤ 10^4 for peers, growth up to 10^5."""
    peers = _peers()
    rows = []
    sizes_1 = (1000, 10000) if quick else (1000, 10000, 100000)
    sizes_5 = (1000, 5000) if quick else (1000, 10000, 100000)
    for n in sizes_1:
        rows += _ksg_rows(peers, n, 1, 3)
    for n in sizes_5:
        rows += _ksg_rows(peers, n, 5, 3)
    for n in ((10000,) if quick else (10000, 100000)):
        rows += _kl_rows(peers, n, 3)
        rows += _cmi_rows(peers, n, 3)
        rows += _mixed_rows(peers, n, 3)
    rows = _ratios(rows)

    def ksg_fn(d):
        def make(n):
            x, y = _ksg_data(n, d)
            return lambda: ik.ksg_mi(x, y, 3)

        return make

    g1 = (1000, 3000, 10000, 30000, 100000) + (() if quick else (300000, 1000000))
    rows.append(_growth("KSG-1 MI", 1, g1, ksg_fn(1)))
    g5 = (1000, 3000, 10000) + (() if quick else (30000, 100000))
    rows.append(_growth("KSG-1 MI", 5, g5, ksg_fn(5)))
    return rows


def _fmt(v):
    if isinstance(v, float):
        if v != v or v in (math.inf, -math.inf) or v == 0:
            return str(v)
        return f"{v:.4g}"
    return str(v)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    args = ap.parse_args(argv)
    rows = run(args.quick)
    keys = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(_fmt(r.get(k, "")) for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
