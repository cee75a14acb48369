"""Learning to actively learn, robustly (Zhang, Jain & Jamieson, arXiv 2010.15382): 1-D thresholds.

d points on a line, Bernoulli labels with mu_i > 1/2 iff i >= t, budget T = d queries. Instances are ranked by the
lower-bound complexity rho(theta) (theta = mu - 1/2, hypotheses z_t = 1[i >= t]) and split into 4 difficulty
classes by quantiles of rho over a random pool. For each class we keep a set of particles (the class's hardest
pool instances), let an adversary shrink their gaps while they stay in the class, and select, from a family of
policies (uniform, noisy binary search, and posterior-splitting policies with an assumed gap g and a repeat penalty
w), the one whose worst-class excess error over the per-class best is smallest -- the paper's min-max-regret
objective over a finite policy family (the paper trains a neural policy by policy gradients).

Printed: per-class worst error of uniform sampling, binary search, the robust policy and the per-class best.

Run:  python examples/learning/active_learning.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time

import numpy as np

from infokit.methods.learning.active import (
    BinarySearchPolicy,
    ThresholdPosteriorPolicy,
    UniformPolicy,
    evaluate_policy,
    instance_difficulty,
    threshold_hypotheses,
    threshold_means,
    train_robust_policy,
    train_robust_policy_gradient,
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="d = 8, small pool and few runs (seconds)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    d, pool_size, n_part, n_runs, rounds = (8, 40, 4, 60, 1) if args.quick else (12, 400, 16, 400, 2)
    pg_iter, pg_episodes = (15, 8) if args.quick else (60, 24)
    T = d
    Z = threshold_hypotheses(d)
    rng = np.random.default_rng(0)
    pool, rho = [], []
    for _ in range(pool_size):
        g = rng.uniform(0.03, 0.45) * rng.uniform(0.5, 1.0, d)
        mu = threshold_means(int(rng.integers(d + 1)), np.clip(g, 1e-3, 0.5))
        pool.append(mu)
        rho.append(instance_difficulty(mu - 0.5, hypotheses=Z).value)
    pool, rho = np.array(pool), np.array(rho)
    edges = np.quantile(rho, [0, 0.25, 0.5, 0.75, 1.0])
    classes = []
    for k in range(4):
        inside = np.flatnonzero((rho >= edges[k]) & (rho <= edges[k + 1]))
        hardest = inside[np.argsort(-rho[inside])][:n_part]  # start the adversary from the hardest members
        classes.append(pool[hardest])

    def perturb_for(r_max):
        def perturb(mu, rng):
            g = np.abs(mu - 0.5) * rng.uniform(0.85, 1.0, mu.size)
            new = np.where(mu > 0.5, 0.5 + g, 0.5 - g)
            return new if instance_difficulty(new - 0.5, hypotheses=Z).value <= r_max else None
        return perturb

    cands = [UniformPolicy(), BinarySearchPolicy(d, T)] + [
        ThresholdPosteriorPolicy(g, w) for g, w in itertools.product((0.05, 0.1, 0.2, 0.3, 0.45), (0.0, 0.05))]
    names = ["uniform", "binary search"] + [repr(c) for c in cands[2:]]
    # one adversary per class: run the selection class by class for the particles, then jointly for the policy
    particles = []
    for k, parts in enumerate(classes):
        res_k = train_robust_policy(cands, [parts], budget=T, hypotheses=Z, n_runs=n_runs, adversary_rounds=rounds,
                                    perturb=perturb_for(edges[k + 1]), random_state=k)
        particles.append(res_k.particles[0])
    res = train_robust_policy(cands, particles, budget=T, hypotheses=Z, n_runs=n_runs, adversary_rounds=0,
                              random_state=99)
    # the paper's procedure: a parametric (linear-softmax) policy trained by REINFORCE on the softmax-smoothed
    # worst-class excess over the family's per-class best, against particles moved by a random-search adversary
    pg = train_robust_policy_gradient(particles, budget=T, radii=edges[1:], reference=res.class_value,
                                      n_iter=pg_iter, n_episodes=pg_episodes, adversary_every=5,
                                      adversary_runs=n_runs, random_state=7)
    trained = np.array([evaluate_policy(pg.policy, c, budget=T, n_runs=n_runs, hypotheses=Z, random_state=11).max()
                        for c in particles])  # on the same particles as the family
    own = np.array([[evaluate_policy(p, c, budget=T, n_runs=n_runs, hypotheses=Z, random_state=13).max()
                     for c in pg.particles] for p in (pg.policy, res.policy)])  # on the trained policy's adversary
    print(f"thresholds: d = {d}, budget T = {T}, {n_part} particles per class, {n_runs} runs per instance")
    print("class rho ranges: " + ", ".join(f"({edges[k]:.0f}, {edges[k + 1]:.0f}]" for k in range(4)))
    print("worst error per class (easiest first):")
    rows = [("uniform", 0), ("binary search", 1), (f"robust: {names[res.index]}", res.index)]
    for label, i in rows:
        print(f"  {label:<52s} " + "  ".join(f"{e:.3f}" for e in res.worst_error[i]))
    print(f"  {'trained (policy gradient, ' + str(pg_iter) + ' iterations)':<52s} "
          + "  ".join(f"{e:.3f}" for e in trained))
    print(f"  {'per-class best (min over the family)':<52s} " + "  ".join(f"{v:.3f}" for v in res.class_value))
    print(f"robust policy: {names[res.index]}")
    print(f"robust worst-class excess: {res.regret[res.index]:.3f}")
    print(f"uniform worst-class excess: {res.regret[0]:.3f}")
    print(f"binary search worst-class excess: {res.regret[1]:.3f}")
    print(f"robust max worst error: {res.worst_error[res.index].max():.3f}")
    print(f"uniform max worst error: {res.worst_error[0].max():.3f}")
    print(f"binary search max worst error: {res.worst_error[1].max():.3f}")
    print(f"trained policy: {pg.policy!r}")
    print(f"trained policy worst-class excess: {(trained - res.class_value).max():.3f}")
    print(f"trained max worst error: {trained.max():.3f}")
    print(f"trained smoothed objective, first / last iteration: {pg.curve[0]:.3f} / {pg.curve[-1]:.3f}")
    print("on the trained policy's own adversarial particles (trained, robust): "
          + "  ".join(f"({a:.3f}, {b:.3f})" for a, b in own.T))
    print(f"seconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
