"""Mult-VAE / Mult-DAE beside popularity and EASE on MovieLens-100K (strong generalisation, 100 + 100 held-out
users): fit time and test metrics in one run.

Baseline times are medians over ``--repeats`` fits; VAE/DAE times are one full fit (seconds per epoch = fit time /
epochs, incl. the per-epoch validation pass); ratios are relative to EASE.
Needs the recbole wheel (``pip install --no-deps recbole==1.2.1``).

    python benchmarks/bench_recsys.py --quick      # 10 epochs, 1 repeat (about a minute on a loaded CPU)
    python benchmarks/bench_recsys.py              # 200 epochs, 3 repeats of the baselines
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "src"))

from infokit.methods.recsys.baselines import ease_scores, ease_weights, popularity_scores  # noqa: E402
from infokit.methods.recsys.data import (  # noqa: E402
    binarize_interactions,
    load_movielens_100k,
    movielens_100k_path,
    strong_generalization_split,
)
from infokit.methods.recsys.metrics import ndcg_at_k, recall_at_k  # noqa: E402


def _metrics(scores, s):
    return (float(recall_at_k(scores, s.test_heldout, 20, exclude=s.test_foldin).mean()),
            float(recall_at_k(scores, s.test_heldout, 50, exclude=s.test_foldin).mean()),
            float(ndcg_at_k(scores, s.test_heldout, 100, exclude=s.test_foldin).mean()))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--epochs", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args(argv)
    epochs = args.epochs or (10 if args.quick else 200)
    repeats = args.repeats or (1 if args.quick else 3)
    if movielens_100k_path() is None:
        print("MovieLens-100K not found (pip install --no-deps recbole==1.2.1); skipping")
        return 0
    import torch

    from infokit.methods.recsys.mult_vae import fit_mult_vae, score_users

    torch.set_num_threads(1)
    s = strong_generalization_split(binarize_interactions(load_movielens_100k()), n_heldout_users=100)
    rows = {}

    def timed(fn):
        ts, out = [], None
        for _ in range(repeats):
            t0 = time.perf_counter()
            out = fn()
            ts.append(time.perf_counter() - t0)
        return out, float(np.median(ts))

    sc, t = timed(lambda: popularity_scores(s.train, s.test_foldin.shape[0]))
    rows["popularity"] = (t, *_metrics(sc, s))
    sc, t = timed(lambda: ease_scores(ease_weights(s.train, l2=300.0), s.test_foldin))
    rows["EASE (lambda=300)"] = (t, *_metrics(sc, s))
    steps = epochs * math.ceil(s.train.shape[0] / 100)
    for kind, name in (("vae", "Mult-VAE"), ("dae", "Mult-DAE")):
        t0 = time.perf_counter()
        fit = fit_mult_vae(s.train, model=kind, epochs=epochs, batch_size=100,
                           total_anneal_steps=max(1, int(0.85 * steps / 0.2)),
                           validation=(s.val_foldin, s.val_heldout), random_state=98765)
        total = time.perf_counter() - t0
        rows[f"{name} ({epochs} ep)"] = (total, *_metrics(score_users(fit.model, s.test_foldin), s))
        rows[f"{name} ({epochs} ep)"] += (total / epochs,)

    ref_t, ref_nd = rows["EASE (lambda=300)"][0], rows["EASE (lambda=300)"][3]
    print(f"ML-100K: {s.train.shape[0]} training users, {s.test_foldin.shape[0]} test users, {s.n_items} items; "
          f"torch threads 1")
    print(f"{'method':<22} {'fit s':>8} {'s/epoch':>8} {'time/EASE':>9} {'R@20':>7} {'R@50':>7} {'NDCG@100':>9} "
          f"{'NDCG/EASE':>9}")
    for name, r in rows.items():
        per_ep = f"{r[4]:8.3f}" if len(r) > 4 else f"{'-':>8}"
        print(f"{name:<22} {r[0]:8.3f} {per_ep} {r[0] / ref_t:9.2f} {r[1]:7.4f} {r[2]:7.4f} {r[3]:9.4f} "
              f"{r[3] / ref_nd:9.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
