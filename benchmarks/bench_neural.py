"""Accuracy of the neural MI estimators beside KSG, the Gaussian copula and the learned estimator.

Part 1 — ground-truth tasks (``infokit.testing.samplers``: dense / sparse Gaussians, Student-t, transformed
Gaussians; ≤ 5×5 in ``--quick``, up to 25×25 otherwise). For each task, n and seed every method runs through
``infokit.estimate_mutual_information(x, y, method=...)``; the table gives bias, RMSE (nats) and CPU seconds
per estimate, then per method the median |bias| / truth and the median CPU-time ratio to KSG.

Part 2 — the behaviour the variational-bounds literature reports (Poole et al. 2019; Song & Ermon 2020), on the
SMILE demo's 20-d correlated Gaussian (ρ = sqrt(1 − e^{−2I/20}) per coordinate) at true MI 2, 6, 10 nats with
batch 64: InfoNCE saturates at log 64 = 4.16, NWJ's spread grows with the MI, SMILE(τ = 5) tracks the truth.
The estimators here train on a fixed sample with early stopping (not the demo's fresh batches), so they see
less data than the demo's 20k steps.

The ``"learned"`` method (infokit.estimators.learned) is included when it runs; otherwise it is reported as
"unavailable".

    python benchmarks/bench_neural.py --quick   # n = 1000, 1 seed, dims <= 5; part 2 at MI 2, 6 (about 1 CPU minute)
    python benchmarks/bench_neural.py           # n = 2000, 2 seeds, dims up to 25; part 2 n = 1e4 at MI 2, 6, 10
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
import warnings
from collections import defaultdict

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

from infokit.estimators import estimate_mutual_information  # noqa: E402
from infokit.exceptions import InfokitError  # noqa: E402
from infokit.testing.samplers import get_task  # noqa: E402

NEURAL = ("infonce", "nwj", "mine", "js", "smile", "doe")
QUICK_TASKS = ("multinormal-dense-2-2-0.5", "multinormal-sparse-5-5-2-0.8", "student-identity-2-2-1",
               "half_cube-multinormal-sparse-3-3-2-0.8")
FULL_TASKS = QUICK_TASKS + ("multinormal-dense-5-5-0.5", "student-identity-5-5-2", "spiral-multinormal-sparse-5-5-2-0.8",
                            "multinormal-dense-25-25-0.5", "multinormal-sparse-25-25-2-0.8")


def _learned_available():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    try:
        v = estimate_mutual_information(x, x[:, :1] + rng.normal(size=(200, 1)), method="learned")
        return math.isfinite(float(v))
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable in this checkout"
        print(f"learned: unavailable ({type(exc).__name__}: {str(exc)[:120]})")
        return False


def _run(method, x, y, seed, neural_opts):
    opts = dict(neural_opts) if method in NEURAL else {}
    if method == "doe":
        opts = {k: v for k, v in opts.items() if k in ("epochs", "patience", "batch_size")}
    if method in NEURAL or method == "learned":
        opts["random_state"] = seed
    t = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            v = float(estimate_mutual_information(x, y, method=method, **opts))
        except InfokitError as exc:  # e.g. a training objective that overflowed: counted as a failure
            print(f"  ({method} failed: {str(exc)[:100]})", flush=True)
            v = float("nan")
    return v, time.process_time() - t


def part1(methods, tasks, n, seeds, neural_opts):
    print(f"\n## Part 1: ground-truth tasks (n = {n}, seeds = {seeds}; CPU seconds per estimate)\n")
    print("| task | truth | method | mean | bias | RMSE | CPU s |")
    print("|---|---|---|---|---|---|---|")
    rel, cost = defaultdict(list), defaultdict(list)
    warm = get_task(tasks[0]).sample(200, random_state=0)
    for m in methods:  # first calls pay imports (torch, scipy.spatial): keep them out of the timings
        _run(m, *warm, 0, {**neural_opts, "epochs": 1})
    for name in tasks:
        task = get_task(name)
        data = [task.sample(n, random_state=s) for s in range(seeds)]
        ksg_t = None
        for m in methods:
            vals, secs = [], []
            for s, (x, y) in enumerate(data):
                v, sec = _run(m, x, y, s, neural_opts)
                vals.append(v)
                secs.append(sec)
            vals = np.asarray(vals)
            fails = int(np.isnan(vals).sum())
            vals = vals[~np.isnan(vals)] if fails < len(vals) else np.array([np.nan])
            bias = float(vals.mean() - task.mutual_information)
            rmse = float(np.sqrt(np.mean((vals - task.mutual_information) ** 2)))
            sec = float(np.median(secs))
            if m == "ksg":
                ksg_t = sec
            rel[m].append(abs(bias) / task.mutual_information)
            cost[m].append(sec / ksg_t if ksg_t else float("nan"))
            print(f"| {name} | {task.mutual_information:.3f} | {m}{f' ({fails} failed)' if fails else ''} | "
                  f"{vals.mean():.4g} | {bias:+.4g} | {rmse:.4g} | {sec:.2f} |", flush=True)
    print("\n| method | median abs(bias)/truth | median CPU time / KSG |")
    print("|---|---|---|")
    for m in methods:
        print(f"| {m} | {np.nanmedian(rel[m]):.3f} | {np.nanmedian(cost[m]):.1f} |")


def part2(levels, n, seeds, neural_opts, d=20, batch=64):
    print(f"\n## Part 2: {d}-d Gaussian, batch {batch} (log B = {math.log(batch):.2f}); n = {n}, seeds = {seeds}\n")
    print("| method | " + " | ".join(f"true {lv:g} nats" for lv in levels) + " |")
    print("|---|" + "---|" * len(levels))
    rows = {}
    for m in ("infonce", "nwj", "smile"):
        cells = []
        for lv in levels:
            rho = math.sqrt(1 - math.exp(-2 * lv / d))
            vals = []
            for s in range(seeds):
                rng = np.random.default_rng(1000 + s)
                x = rng.normal(size=(n, d))
                y = rho * x + math.sqrt(1 - rho**2) * rng.normal(size=(n, d))
                v, _ = _run(m, x, y, s, {**neural_opts, "batch_size": batch})
                vals.append(v)
            vals = np.asarray(vals)
            cells.append(f"{vals.mean():.2f} ± {vals.std(ddof=1) if len(vals) > 1 else 0.0:.2f}")
            rows[(m, lv)] = vals
        print(f"| {m} | " + " | ".join(cells) + " |", flush=True)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--n", type=int, default=None)
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--skip-part2", action="store_true")
    args = ap.parse_args(argv)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:  # pragma: no cover
        print("torch is not installed: the neural methods need it (pip install infokit[torch])")
        return 1
    n = args.n or (1000 if args.quick else 2000)
    seeds = args.seeds or (1 if args.quick else 2)
    neural_opts = dict(hidden=(64, 64), epochs=20, patience=5) if args.quick else dict(hidden=(128, 128), epochs=30,
                                                                                       patience=5, lr=5e-4)
    methods = ["ksg", "gaussian_copula", *NEURAL]
    if _learned_available():
        methods.append("learned")
    t0 = time.time()
    part1(methods, QUICK_TASKS if args.quick else FULL_TASKS, n, seeds, neural_opts)
    if not args.skip_part2:
        levels = (2.0, 6.0) if args.quick else (2.0, 6.0, 10.0)
        p2_opts = neural_opts if args.quick else dict(hidden=(256, 256), epochs=30, patience=5, lr=5e-4)
        part2(levels, 4000 if args.quick else 10000, 1 if args.quick else 2, p2_opts)
    print(f"\nwall seconds: {time.time() - t0:.0f} (shared, loaded machine: CPU seconds are the comparable numbers)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
