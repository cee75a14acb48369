"""Side-by-side speed of the estimators, in ONE run and one process.

Collects the rows of the kernel benchmarks (``_bench_discrete``, ``_bench_knn``, ``_bench_gaussian_kernel``,
``_bench_binning_spectral``; each exposes ``run(quick) -> list[dict]``) and adds the public-API rows measured
here (the overhead of ``infokit.estimate_*`` over the numpy floors and over the kernels it dispatches to).
Prints one table per section: time ratios, peak memory and error vs truth, whatever keys each row has.

    python benchmarks/bench_estimators.py            # full sizes (minutes; run alone on the machine)
    python benchmarks/bench_estimators.py --quick    # small sizes (seconds)
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

SECTIONS = ("_bench_discrete", "_bench_knn", "_bench_gaussian_kernel", "_bench_binning_spectral")


def _timed(fn, repeat=3):
    """Median CPU and wall seconds of ``fn()`` over ``repeat`` runs, and its last value."""
    cpu, wall, val = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        val = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return float(np.median(cpu)), float(np.median(wall)), val


def _peak_mib(fn):
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def api_rows(quick: bool) -> list:
    """Overhead of the public API over the numpy floors / the kernels (same data, same numbers)."""
    import infokit.estimators as E

    rows = []
    rng = np.random.default_rng(12345)
    # plug-in entropy: numpy bincount floor vs estimate_entropy(method="plugin")
    n = 10**5 if quick else 10**7
    p = 1.0 / np.arange(1, 1001)
    p /= p.sum()
    x = rng.choice(1000, size=n, p=p)

    def floor_h():
        c = np.bincount(x)
        c = c[c > 0] / n
        return float(-(c * np.log(c)).sum())

    fc, fw, fv = _timed(floor_h)
    ac, aw, av = _timed(lambda: E.estimate_entropy(x, method="plugin"))
    rows.append(dict(case=f"plug-in entropy n={n:.0e} K=1000", floor_cpu_s=fc, api_cpu_s=ac, ratio=ac / fc,
                     api_wall_s=aw, peak_MiB=_peak_mib(lambda: E.estimate_entropy(x, method="plugin")),
                     abs_diff=abs(av - fv)))
    # plug-in MI: joint bincount floor vs estimate_mutual_information(method="plugin")
    n = 10**5 if quick else 10**6
    a = rng.integers(0, 100, size=n)
    b = (a + rng.integers(0, 10, size=n)) % 100

    def floor_mi():
        j = np.bincount(a * 100 + b, minlength=10000).reshape(100, 100) / n
        pa, pb = j.sum(1), j.sum(0)
        nz = j > 0
        return float((j[nz] * np.log(j[nz] / np.outer(pa, pb)[nz])).sum())

    fc, fw, fv = _timed(floor_mi)
    ac, aw, av = _timed(lambda: E.estimate_mutual_information(a, b, method="plugin"))
    rows.append(dict(case=f"plug-in MI n={n:.0e} 100x100", floor_cpu_s=fc, api_cpu_s=ac, ratio=ac / fc,
                     api_wall_s=aw, peak_MiB=_peak_mib(lambda: E.estimate_mutual_information(a, b, method="plugin")),
                     abs_diff=abs(av - fv)))
    # KSG through the API vs the kernel on pre-standardised data (the API's overhead)
    try:
        from infokit.estimators.knn import ksg_mi
    except ImportError:
        return rows
    for d in (1, 5):
        n = 2000 if quick else 10**5 if d == 1 else 10**4
        xx = rng.normal(size=(n, d))
        yy = 0.8 * xx + 0.6 * rng.normal(size=(n, d))
        zx = (xx - xx.mean(0)) / xx.std(0)
        zy = (yy - yy.mean(0)) / yy.std(0)
        kc, kw, kv = _timed(lambda: ksg_mi(zx, zy, k=3), repeat=1 if not quick else 3)
        ac, aw, av = _timed(lambda: E.estimate_mutual_information(xx, yy, method="ksg"), repeat=1 if not quick else 3)
        truth = -0.5 * d * math.log(1 - 0.64)
        rows.append(dict(case=f"KSG k=3 n={n:.0e} d={d}", floor_cpu_s=kc, api_cpu_s=ac, ratio=ac / kc,
                         api_wall_s=aw, abs_diff=abs(av - kv), error_vs_truth=av - truth))
    return rows


def _fmt(v):
    if isinstance(v, float):
        if v == 0 or math.isnan(v) or math.isinf(v):
            return str(v)
        if abs(v) >= 1000 or abs(v) < 1e-3:
            return f"{v:.3g}"
        return f"{v:.4g}"
    return str(v)


def print_table(title: str, rows: list) -> None:
    print(f"\n### {title}\n")
    if not rows:
        print("(no rows)")
        return
    keys = []
    for r in rows:
        for k in r:
            if k not in keys:
                keys.append(k)
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(_fmt(r.get(k, "")) for k in keys) + " |")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    ap.add_argument("--only", nargs="*", default=None, help="section module names to run (default: all)")
    args = ap.parse_args(argv)
    print(f"# infokit estimator benchmarks ({'quick' if args.quick else 'full'}) — Python "
          f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    t0 = time.perf_counter()
    failures = []
    for name in SECTIONS:
        if args.only is not None and name not in args.only:
            continue
        try:
            mod = importlib.import_module(name)
        except ImportError as exc:
            print(f"\n### {name}\n\n(skipped: {exc})")
            continue
        try:
            rows = mod.run(args.quick)
        except Exception as exc:  # one broken section must not hide the others
            failures.append(name)
            print(f"\n### {name}\n\n(FAILED: {type(exc).__name__}: {exc})")
            continue
        print_table(name.lstrip("_").replace("bench_", ""), rows)
    if args.only is None or "api" in args.only:
        print_table("public API overhead (estimate_* vs numpy floor / kernel)", api_rows(args.quick))
    print(f"\ntotal wall time {time.perf_counter() - t0:.1f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
