"""Noisy 20 questions: random queries vs information pursuit (IP) vs conformal IP (C-IP).

Setting (the CPU analogue of the 20Q task of Chan et al. 2025, arXiv 2507.03279, notes §5.4): 20 classes,
40 random binary attributes, answers flipped with probability 0.15. Two posterior models play:

* calibrated: the exact naive-Bayes posterior (true noise, uniform prior);
* mis-ranked: the same likelihood with a wrong, strongly skewed prior (log-prior ~ N(0, 2^2)) and temperature
  0.5 (over-confident) -- a stand-in for an LLM whose class probabilities are badly calibrated *and* ordered.

C-IP calibrates split-conformal thresholds (alpha = 0.1) per history length on held-out objects, then asks
the query minimising the paper's entropy bound U(q). The example prints accuracy after k queries for each
policy, and the coverage / mean set size of the conformal sets on fresh random histories.

Run:  python examples/pursuit/twenty_questions.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from infokit.methods.pursuit import NaiveBayesModel, accuracy_curve, conformal_calibrate, evaluate_coverage


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="few episodes, budget 6 (seconds)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    n_test, n_cal, budget = (40, 100, 6) if args.quick else (400, 400, 10)
    k_cls, n_q, eta, alpha = 20, 40, 0.15, 0.1
    rng = np.random.default_rng(args.seed)
    table = (rng.random((k_cls, n_q)) < 0.5).astype(float)
    truth = NaiveBayesModel(table, noise=eta)
    log_prior = rng.normal(0.0, 2.0, k_cls)
    prior = np.exp(log_prior - log_prior.max())
    models = {
        "calibrated": truth,
        "mis-ranked": NaiveBayesModel(table, noise=eta, prior=prior / prior.sum(), temperature=0.5),
    }
    y_cal = rng.integers(k_cls, size=n_cal)
    a_cal = truth.sample_answers(y_cal, random_state=rng)
    y_test = rng.integers(k_cls, size=n_test)
    a_test = truth.sample_answers(y_test, random_state=rng)
    ks = [k for k in (2, 4, 6, 8, 10) if k <= budget]
    print(f"20 classes, {n_q} binary attributes, answer noise {eta}, {n_test} test episodes, alpha = {alpha}")
    t0 = time.perf_counter()
    for name, model in models.items():
        cal = conformal_calibrate(model, y_cal, a_cal, alpha=alpha, max_length=budget, random_state=1)
        cov = evaluate_coverage(model, cal, y_test, a_test, random_state=2)
        print(f"\n[{name} model]")
        print(f"{name} coverage (random histories, lengths 0..{budget}): {cov.coverage:.3f}")
        print(f"{name} mean set size: {cov.mean_set_size:.2f}")
        print("  policy          " + "  ".join(f"acc@{k:<3d}" for k in ks))
        for policy, crit in (("random", "bound"), ("ip", "bound"), ("cip", "bound"), ("cip", "set_size")):
            acc = accuracy_curve(model, y_test, a_test, policy=policy, budget=budget, calibration=cal,
                                 criterion=crit, random_state=3)
            label = policy if policy != "cip" else f"cip-{crit}"
            print(f"  {label:<14s}  " + "  ".join(f"{acc[k]:.3f} " for k in ks))
            print(f"{name} {label} acc@{budget}: {acc[budget]:.3f}")
    print(f"\nseconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
