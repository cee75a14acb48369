"""Accuracy of every MI estimator on the ground-truth tasks (infokit.testing.samplers), beside the peers.

For each task (BMI-style shapes, 1×1 to 25×25), sample size n and seed, every applicable estimator is run;
the script prints bias, RMSE and seconds per task, then the mean absolute relative error (MARE,
mean over tasks and seeds of |estimate − truth| / truth) per estimator on the multivariate tasks, and says
whether infokit's ``method="auto"`` beats every peer estimator there.

Peers (run where installed): scikit-learn ``mutual_info_regression`` (1×1 only: it scores single features),
infomeasure (KSG, and its kNN Rényi MI at α = 1, which is the Kozachenko–Leonenko "3H" estimator),
dit ``total_correlation_ksg``, NPEET ``mi`` (not on PyPI: used only if importable).

    python benchmarks/bench_accuracy.py --quick                  # n = 500, 2 seeds, dims <= 5 (about a minute)
    python benchmarks/bench_accuracy.py                          # n = 1e3, 1e4 (1e5 for 1×1), 3 seeds
    python benchmarks/bench_accuracy.py --n 1000 --seeds 5 --tasks student spiral
"""

from __future__ import annotations

import argparse
import json
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
from infokit.exceptions import InfokitWarning  # noqa: E402
from infokit.testing.samplers import tasks as all_tasks  # noqa: E402

LN2 = math.log(2)


# --------------------------------------------------------------------------------------------- estimators
def _infokit(method, **kw):
    def f(x, y, task):
        disc = [True, False] if task.kind == "mixed" else False
        if method == "auto":
            disc = "auto"
        return estimate_mutual_information(x, y, method=method, discrete=disc, **kw)

    return f


def _sklearn(x, y, task):
    from sklearn.feature_selection import mutual_info_regression

    return float(mutual_info_regression(x.astype(float), y[:, 0], n_neighbors=3, random_state=0,
                                        discrete_features=task.kind == "mixed")[0])


def _infomeasure(approach, **kw):
    def f(x, y, task):
        import infomeasure as im

        return float(im.mutual_information(x.astype(float), y, approach=approach, **kw))

    return f


def _dit(x, y, task):
    from dit.inference import total_correlation_ksg

    data = np.hstack([x.astype(float), y])
    dx = x.shape[1]
    return float(total_correlation_ksg(data, [list(range(dx)), list(range(dx, data.shape[1]))], k=3)) * LN2


def _npeet(x, y, task):
    from npeet import entropy_estimators as ee

    np.random.seed(0)  # NPEET jitters with the global RNG
    return float(ee.mi(x.astype(float), y, k=3, base=math.e))


def _available(mod):
    try:
        __import__(mod)
        return True
    except Exception:
        return False


def estimators(study: bool):
    """name -> (fn, is_peer, applicable(task), max_n_by_dim)"""
    one = lambda t: t.dim_x == 1 and t.dim_y == 1  # noqa: E731
    cont = lambda t: t.kind == "continuous"  # noqa: E731
    anyt = lambda t: True  # noqa: E731
    small = lambda t: t.dim_x + t.dim_y <= 10  # noqa: E731
    est = {
        "infokit:auto": (_infokit("auto"), False, anyt),
        "infokit:ksg": (_infokit("ksg"), False, cont),
        "infokit:ksg2": (_infokit("ksg2"), False, cont),
        "infokit:gaussian_copula": (_infokit("gaussian_copula"), False, cont),
        "infokit:gaussian": (_infokit("gaussian"), False, cont),
        "infokit:gao": (_infokit("gao"), False, lambda t: t.kind == "mixed"),
        "infokit:ross": (_infokit("ross"), False, lambda t: t.kind == "mixed"),
        "infokit:kde": (_infokit("kde"), False, lambda t: cont(t) and small(t)),  # O(n²): skipped at n >= 1e5
    }
    if study:
        for name in ("ksg_copula", "copula_max"):
            est[f"infokit:{name}"] = (_infokit(name), False, cont)
    if _available("sklearn"):
        est["sklearn:mutual_info_regression"] = (_sklearn, True, one)
    if _available("infomeasure"):
        est["infomeasure:ksg"] = (_infomeasure("ksg", k=3), True, anyt)
        est["infomeasure:renyi(alpha=1)"] = (_infomeasure("renyi", alpha=1.0, k=3), True, anyt)
    if _available("dit"):
        est["dit:ksg"] = (_dit, True, anyt)
    if _available("npeet"):
        est["npeet:mi"] = (_npeet, True, anyt)
    return est


# --------------------------------------------------------------------------------------------- run
def run(ns, seeds, max_dim, names, study, time_cap, only_estimators=None, big_n_max_dim=5, kind=None,
        seeds_big=None, jsonl=None):
    rows = []
    est = estimators(study)
    if only_estimators:
        est = {k: v for k, v in est.items() if any(s in k for s in only_estimators)}
    ts = [t for t in all_tasks(max_dim=max_dim, kind=kind) if not names or any(s in t.name for s in names)]
    slow = defaultdict(float)  # (estimator, task) -> seconds at the previous n
    for n in ns:
        for t in ts:
            if n > 10**4 and (t.dim_x > 1 or t.dim_y > 1):
                continue  # 1e5 only for the 1×1 tasks
            if n >= 10**4 and max(t.dim_x, t.dim_y) > big_n_max_dim:
                continue  # kNN in 50 joint dimensions at n = 1e4 takes minutes per fit on 2 cores
            n_seeds = seeds if n < 10**4 or seeds_big is None else seeds_big
            for seed in range(n_seeds):
                x, y = t.sample(n, random_state=1000 * seed + 17)
                for name, (fn, peer, ok) in est.items():
                    if not ok(t):
                        continue
                    if slow[(name, t.name)] > time_cap:
                        continue  # took too long at a smaller n: "does not run" at this size
                    if name == "infokit:kde" and n >= 10**5:
                        continue  # n × n kernel sums: 1e10 pairs
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", InfokitWarning)
                        warnings.simplefilter("ignore", RuntimeWarning)
                        c0 = time.perf_counter()
                        try:
                            v = float(fn(x, y, t))
                        except Exception as exc:  # a peer that fails on a task is reported, not fatal
                            v = float("nan")
                            print(f"  {name} failed on {t.name} n={n}: {type(exc).__name__}: {str(exc)[:80]}",
                                  file=sys.stderr)
                        sec = time.perf_counter() - c0
                    rows.append(dict(task=t.name, multivariate=t.dim_x > 1 or t.dim_y > 1, truth=t.mutual_information,
                                     n=n, seed=seed, estimator=name, peer=peer, estimate=v, seconds=sec))
                    if jsonl is not None:  # stream the rows: a long run keeps what it measured
                        jsonl.write(json.dumps(rows[-1]) + "\n")
                        jsonl.flush()
                    slow[(name, t.name)] = max(slow[(name, t.name)], sec if seed == n_seeds - 1 else 0.0)
            print(f"done {t.name} n={n}", file=sys.stderr, flush=True)
    return rows


def summarise(rows, out=print):
    by = defaultdict(list)
    for r in rows:
        by[(r["n"], r["task"], r["estimator"])].append(r)
    ns = sorted({r["n"] for r in rows})
    names = list(dict.fromkeys(r["estimator"] for r in rows))
    for n in ns:
        out(f"\n#### n = {n}: bias / RMSE (nats), mean seconds\n")
        tasks_n = list(dict.fromkeys(r["task"] for r in rows if r["n"] == n))
        out("| task | truth | " + " | ".join(names) + " |")
        out("|---|---|" + "---|" * len(names))
        for t in tasks_n:
            cells = []
            truth = None
            for e in names:
                rs = by.get((n, t, e))
                if not rs:
                    cells.append("—")
                    continue
                truth = rs[0]["truth"]
                v = np.array([r["estimate"] for r in rs])
                if np.isnan(v).any():
                    cells.append("fail")
                    continue
                bias = float(v.mean() - truth)
                rmse = float(np.sqrt(np.mean((v - truth) ** 2)))
                sec = float(np.mean([r["seconds"] for r in rs]))
                cells.append(f"{bias:+.3f} / {rmse:.3f} ({sec:.2g}s)")
            out(f"| {t} | {truth:.4f} | " + " | ".join(cells) + " |")
    verdicts = []
    for n in ns:
        mv = [r for r in rows if r["n"] == n and r["multivariate"] and r["task"] != "bernoulli-gaussian"]
        if not mv:
            continue
        out(f"\n#### n = {n}: mean absolute relative error on the multivariate tasks\n")
        tasks_mv = sorted({r["task"] for r in mv})
        out("| estimator | peer | tasks | MARE | mean seconds |")
        out("|---|---|---|---|---|")
        mare = {}
        for e in names:
            rs = [r for r in mv if r["estimator"] == e]
            if not rs:
                continue
            covered = {r["task"] for r in rs if not math.isnan(r["estimate"])}
            errs = [abs(r["estimate"] - r["truth"]) / r["truth"] for r in rs if not math.isnan(r["estimate"])]
            mare[e] = (float(np.mean(errs)), len(covered), rs[0]["peer"])
            out(f"| {e} | {'yes' if rs[0]['peer'] else 'no'} | {len(covered)}/{len(tasks_mv)} | "
                f"{mare[e][0]:.3f} | {np.mean([r['seconds'] for r in rs]):.3g} |")
        if "infokit:auto" in mare:
            peers = {e: v for e, v in mare.items() if v[2]}
            if peers:
                best = min(peers, key=lambda e: peers[e][0])
                wins = all(mare["infokit:auto"][0] < v[0] for v in peers.values())
                verdicts.append(
                    f"n = {n}: auto MARE {mare['infokit:auto'][0]:.3f} vs best peer {best} {peers[best][0]:.3f} "
                    f"(on {peers[best][1]} tasks) — auto {'BEATS' if wins else 'does NOT beat'} every peer")
    if verdicts:
        out("\n#### verdict\n")
        for v in verdicts:
            out("* " + v)
    return verdicts


# --------------------------------------------------------------------------------------------- discrete study
def discrete_study(seeds=20, out=print):
    """RMSE of every discrete estimator (entropy and MI) at small n/K — the study behind AUTO_DISCRETE."""
    from infokit.estimators import DISCRETE_METHODS, estimate_entropy

    rng = np.random.default_rng(2024)
    settings = []
    for K in (10, 100, 1000):
        for ratio in (0.5, 1, 2, 5):
            settings.append((K, ratio))
    # entropy: Zipf(1), uniform and a Dirichlet(0.5) draw over K symbols
    err_h = defaultdict(list)
    for K, ratio in settings:
        n = max(int(ratio * K), 5)
        for shape in ("zipf", "uniform", "dirichlet"):
            if shape == "zipf":
                p = 1.0 / np.arange(1, K + 1)
            elif shape == "uniform":
                p = np.ones(K)
            else:
                p = rng.dirichlet(np.full(K, 0.5))
            p = p / p.sum()
            truth = float(-(p[p > 0] * np.log(p[p > 0])).sum())
            for s in range(seeds):
                x = rng.choice(K, size=n, p=p)
                for m in DISCRETE_METHODS:
                    err_h[(m, ratio)].append((estimate_entropy(x, method=m) - truth) / truth)
    # MI: X uniform on K1 symbols, Y = X with prob. 1/2 else uniform (truth from the joint table)
    err_i = defaultdict(list)
    for K, ratio in settings:
        if K > 100:
            continue
        n = max(int(ratio * K * K / 4), 10)
        joint = np.full((K, K), 0.5 / (K * K)) + np.eye(K) * 0.5 / K
        px, py = joint.sum(1), joint.sum(0)
        truth = float((joint * np.log(joint / np.outer(px, py))).sum())
        flat = joint.ravel()
        for s in range(seeds):
            c = rng.choice(K * K, size=n, p=flat)
            x, y = c // K, c % K
            for m in DISCRETE_METHODS:
                err_i[(m, ratio)].append((estimate_mutual_information(x, y, method=m) - truth) / truth)
    for title, err, unit in (("entropy", err_h, "n/K"), ("MI (X uniform on K, Y = X w.p. 1/2)", err_i, "n/(K²/4)")):
        ratios = sorted({r for _, r in err})
        shapes = "Zipf, uniform and Dirichlet(1/2) pmfs, K = 10, 100, 1000" if title == "entropy" else "K = 10, 100"
        out(f"\n#### discrete {title}: relative RMSE by {unit} ({seeds} seeds; {shapes})\n")
        out("| estimator | " + " | ".join(f"{unit}={r:g}" for r in ratios) + " | mean |")
        out("|---|" + "---|" * (len(ratios) + 1))
        means = {}
        for m in DISCRETE_METHODS:
            cells = [float(np.sqrt(np.mean(np.square(err[(m, r)])))) for r in ratios]
            means[m] = float(np.mean(cells))
            out(f"| {m} | " + " | ".join(f"{c:.3f}" for c in cells) + f" | {means[m]:.3f} |")
        best = min(means, key=means.get)
        out(f"\nlowest mean relative RMSE ({title}): **{best}** ({means[best]:.3f})")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 500, 2 seeds, dims <= 5")
    ap.add_argument("--n", type=int, nargs="*", default=None, help="sample sizes (default 1000 10000 100000)")
    ap.add_argument("--seeds", type=int, default=None, help="seeds per (task, n) (default 3)")
    ap.add_argument("--max-dim", type=int, default=None, help="largest dim_x / dim_y (default 25)")
    ap.add_argument("--tasks", nargs="*", default=None, help="substrings of task names to keep")
    ap.add_argument("--estimators", nargs="*", default=None, help="substrings of estimator names to keep")
    ap.add_argument("--study", action="store_true", help="also run the candidate estimators for method='auto'")
    ap.add_argument("--time-cap", type=float, default=60.0,
                    help="skip an estimator at larger n on a task where one fit took longer than this (s)")
    ap.add_argument("--kind", choices=("continuous", "mixed"), default=None, help="only tasks of this kind")
    ap.add_argument("--seeds-big", type=int, default=None, help="seeds at n >= 1e4 (default: --seeds)")
    ap.add_argument("--jsonl", default=None, help="also write every measurement to this JSON-lines file")
    ap.add_argument("--from-jsonl", default=None, help="only summarise the rows of a previous --jsonl run")
    ap.add_argument("--discrete", action="store_true", help="run only the discrete-estimator study")
    ap.add_argument("--big-n-max-dim", type=int, default=5,
                    help="largest dim_x / dim_y run at n >= 1e4 (default 5; 25×25 kNN fits take minutes there)")
    args = ap.parse_args(argv)
    if args.discrete:
        discrete_study(seeds=10 if args.quick else 20)
        return
    if args.from_jsonl:
        with open(args.from_jsonl) as fh:
            summarise([json.loads(line) for line in fh if line.strip()])
        return
    ns = args.n or ([500] if args.quick else [1000, 10000, 100000])
    seeds = args.seeds or (2 if args.quick else 3)
    max_dim = args.max_dim or (5 if args.quick else 25)
    t0 = time.perf_counter()
    jsonl = open(args.jsonl, "w") if args.jsonl else None
    rows = run(ns, seeds, max_dim, args.tasks, args.study, args.time_cap, args.estimators, args.big_n_max_dim,
               args.kind, args.seeds_big, jsonl)
    if jsonl is not None:
        jsonl.close()
    print(f"# accuracy benchmark: n = {ns}, {seeds} seeds ({args.seeds_big or seeds} at n >= 1e4), dims <= {max_dim} "
          f"(<= {args.big_n_max_dim} at n >= 1e4)")
    summarise(rows)
    print(f"\ntotal wall time {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
