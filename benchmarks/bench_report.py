"""Benchmark of ``infokit report`` on a synthetic table with a planted target.

The table: ``--rows`` rows (default 100 000) × 50 mixed columns — continuous, integer, text, zero-inflated
("mixed") and boolean columns, with missing values sprinkled in — and a 3-class target driven by a known subset
of 10 informative columns plus 3 redundant near-copies of informative ones; the other 37 columns are noise.

It measures the wall time of the report (the CLI's code path: ``infokit.report.compute`` + writing HTML, Markdown
and JSON)

1. without permutations (``permutations=0``),
2. with the default 100 permutations,
3. with the default settings on a 2-worker Dask ``LocalCluster`` (processes; skipped without dask),

checks that the 13 planted columns (informative + redundant) rank above the 37 noise columns, and compares
with scikit-learn's ``mutual_info_classif`` on the same rows (its time, and whether its top 13 are the planted
columns). Every run writes its report to a temporary folder.

Usage::

    python benchmarks/bench_report.py            # 100 000 rows (several minutes on 2 cores)
    python benchmarks/bench_report.py --quick    # 20 000 rows, --max-rows 5000, no cluster run
    python benchmarks/bench_report.py --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

INFORMATIVE = ["inf_cont_0", "inf_cont_1", "inf_cont_2", "inf_cont_3", "inf_int_0", "inf_int_1",
               "inf_text_0", "inf_text_1", "inf_mixed_0", "inf_bool_0"]
REDUNDANT = ["red_cont_0", "red_int_0", "red_text_0"]  # near-copies of inf_cont_0, inf_int_0, inf_text_0
PLANTED = INFORMATIVE + REDUNDANT


def planted_table(n_rows: int, seed: int = 0):
    """The synthetic table (pandas DataFrame) with target ``target``; see the module docstring."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    cols = {}
    c = rng.normal(size=(n_rows, 4))
    for j in range(4):
        cols[f"inf_cont_{j}"] = c[:, j]
    i0 = rng.integers(0, 5, n_rows)
    i1 = rng.integers(0, 8, n_rows)
    cols["inf_int_0"], cols["inf_int_1"] = i0, i1
    t0 = rng.integers(0, 4, n_rows)
    t1 = rng.integers(0, 6, n_rows)
    letters = np.array(list("abcdefgh"))
    cols["inf_text_0"] = letters[t0]
    cols["inf_text_1"] = np.char.add("g", letters[t1])
    zero = rng.random(n_rows) < 0.4
    m = rng.normal(size=n_rows)
    cols["inf_mixed_0"] = np.where(zero, 0.0, np.exp(m))  # zero-inflated amounts
    b = rng.random(n_rows) < 0.5
    cols["inf_bool_0"] = b

    def z(v):
        v = np.asarray(v, dtype=float)
        return (v - v.mean()) / v.std()

    # the planted score: every informative column contributes one standardised term
    terms = [c[:, 0], c[:, 1], c[:, 2], np.abs(c[:, 3]), i0, (i1 % 3), t0 == 1, np.isin(t1, (0, 2, 5)),
             np.where(zero, -1.0, m), b]
    s = sum(z(t) for t in terms) + rng.normal(scale=1.0, size=n_rows)
    target = np.digitize(s, np.quantile(s, [1 / 3, 2 / 3]))
    # redundant near-copies
    cols["red_cont_0"] = c[:, 0] + rng.normal(scale=0.1, size=n_rows)
    cols["red_int_0"] = np.where(rng.random(n_rows) < 0.95, i0, rng.integers(0, 5, n_rows))
    cols["red_text_0"] = np.where(rng.random(n_rows) < 0.95, np.char.upper(letters[t0]), "Z")
    # noise: 37 columns of every kind
    for j in range(14):
        cols[f"noise_cont_{j}"] = rng.normal(size=n_rows) * (j + 1) + j
    for j in range(8):
        cols[f"noise_int_{j}"] = rng.integers(0, 3 + 2 * j, n_rows)
    for j in range(6):
        cols[f"noise_text_{j}"] = letters[rng.integers(0, 2 + j, n_rows)]
    for j in range(5):
        z = rng.random(n_rows) < 0.3
        cols[f"noise_mixed_{j}"] = np.where(z, 0.0, rng.exponential(size=n_rows))
    for j in range(4):
        cols[f"noise_bool_{j}"] = rng.random(n_rows) < 0.3
    cols["target"] = np.array(["low", "mid", "high"])[target]
    df = pd.DataFrame(cols)
    # missing values: 2% in a few columns
    for name in ("inf_cont_2", "noise_cont_3", "noise_text_1", "inf_int_1"):
        hole = rng.random(n_rows) < 0.02
        df[name] = df[name].where(~hole)
    return df


def _planted_on_top(ranking, n=len(PLANTED)) -> tuple:
    top = set(ranking[:n])
    missed = sorted(set(PLANTED) - top)
    return not missed, missed


def run_report(df, label, **kw):
    from infokit.report import compute

    t0, c0 = time.perf_counter(), time.process_time()
    rep = compute(df, "target", **kw)
    with tempfile.TemporaryDirectory() as out:
        rep.write(out)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ok, missed = _planted_on_top(rep.ranking)
    where = "" if kw.get("client") is None else " (CPU of this process only)"
    print(f"{label:<44} {wall:8.1f} s wall, {cpu:7.1f} s CPU{where}   planted columns on top: "
          f"{'yes' if ok else 'NO, missed ' + str(missed)}")
    steps = ", ".join(f"{k} {v:.1f}" for k, v in rep.timings.items() if k not in ("total", "load", "types"))
    print(f"{'':<44} steps (s): {steps}")
    return {"label": label, "wall_s": wall, "cpu_s": cpu, "planted_on_top": ok, "missed": missed,
            "timings": rep.timings, "ranking": list(rep.ranking), "mrmr": [s.feature for s in rep.mrmr]}, rep


def run_sklearn(df, label):
    from sklearn.feature_selection import mutual_info_classif

    X, disc, names = [], [], []
    for name in df.columns:
        if name == "target":
            continue
        s = df[name]
        if s.dtype.kind in "fc":
            v = s.to_numpy(dtype=float)
            v = np.where(np.isnan(v), np.nanmedian(v), v)  # scikit-learn's MI does not accept NaN
            X.append(v)
            disc.append(False)
        else:
            codes, _ = __import__("pandas").factorize(s)  # NaN -> -1, its own category
            X.append(codes.astype(float))
            disc.append(True)
        names.append(name)
    X = np.column_stack(X)
    y = df["target"].to_numpy()
    t0, c0 = time.perf_counter(), time.process_time()
    mi = mutual_info_classif(X, y, discrete_features=np.array(disc), random_state=0)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ranking = [names[i] for i in np.argsort(-mi, kind="stable")]
    ok, missed = _planted_on_top(ranking)
    print(f"{label:<44} {wall:8.1f} s wall, {cpu:7.1f} s CPU   planted columns on top: "
          f"{'yes' if ok else 'NO, missed ' + str(missed)}")
    return {"label": label, "wall_s": wall, "cpu_s": cpu, "planted_on_top": ok, "missed": missed,
            "ranking": ranking}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=None, help="rows of the synthetic table (default 100000)")
    ap.add_argument("--max-rows", type=int, default=None, help="the report's max_rows (default: its own, 20000)")
    ap.add_argument("--quick", action="store_true", help="20000 rows, max_rows 5000, 30 permutations, no cluster")
    ap.add_argument("--no-cluster", action="store_true", help="skip the LocalCluster run")
    ap.add_argument("--json", default=None, help="write the results to this JSON file")
    args = ap.parse_args(argv)
    rows = args.rows or (20_000 if args.quick else 100_000)
    kw = {}
    if args.max_rows is not None:
        kw["max_rows"] = args.max_rows
    elif args.quick:
        kw["max_rows"] = 5000
    perms = 30 if args.quick else 100
    boot = 30 if args.quick else 100
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"synthetic table: {rows} rows x 50 columns + target (10 informative, 3 redundant, 37 noise); "
          f"{os.cpu_count()} CPU(s), load average {load:.1f} at the start")
    df = planted_table(rows)
    results = {"rows": rows, "columns": 50, "cpus": os.cpu_count(), "runs": []}
    r, rep = run_report(df, "infokit report, no permutations", permutations=0, bootstrap=boot, **kw)
    results["runs"].append(r)
    r, rep = run_report(df, f"infokit report, {perms} permutations", permutations=perms, bootstrap=boot, **kw)
    results["runs"].append(r)
    # mRMR should put a near-copy after the column it copies
    order = [s.feature for s in rep.mrmr]
    pairs = {"red_cont_0": "inf_cont_0", "red_int_0": "inf_int_0", "red_text_0": "inf_text_0"}
    for red, orig in pairs.items():
        if red in order and orig in order:
            print(f"  mRMR: {orig} at step {order.index(orig) + 1}, its copy {red} at step {order.index(red) + 1}"
                  f" (ranking: {rep.ranking.index(orig) + 1} and {rep.ranking.index(red) + 1})")
    if not (args.quick or args.no_cluster):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("LocalCluster run skipped: dask.distributed is not installed (pip install 'infokit[dask]')")
        else:
            with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cl, \
                    Client(cl) as client:
                r, _ = run_report(df, f"infokit report, {perms} perms, 2-worker LocalCluster", permutations=perms,
                                  bootstrap=boot, client=client, **kw)
                results["runs"].append(r)
    n_used = kw.get("max_rows", 20_000)
    results["runs"].append(run_sklearn(df, f"sklearn mutual_info_classif, {rows} rows"))
    if n_used and n_used < rows:
        sub = df.sample(n=n_used, random_state=0)
        results["runs"].append(run_sklearn(sub, f"sklearn mutual_info_classif, {n_used} rows"))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2, default=float)
    return 0


if __name__ == "__main__":
    sys.exit(main())
