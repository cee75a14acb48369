"""Sparse misspecified linear bandits (Dong & Yang, ICML 2023, arXiv 2303.16998): the query algorithm at work.

Part 1 (notes §7.3): d = 12, s = 2, eps = 0.05, actions {+-1}^12/sqrt(12), a 2-sparse unit theta*, misspecification
-eps on the 50 best actions and +eps on 300 random ones. The support x (eps/2)-net search queries each distinct
greedy action once; the paper's guarantee is an O(eps)-optimal action with O(eps^-s d^s) queries -- here the
constructive bound is gap <= 3 eps and distinct queries <= C(d, s) * |net|.

Part 2: a 1-sparse instance whose eps-bounded misspecification is aligned with a dense direction. Least squares on
a random design (no sparsity) is biased by ~ eps sqrt(2d/pi) and picks a decoy; its regret grows with
eps sqrt(d) while the sparse search stays optimal.

Run:  python examples/learning/sparse_bandits.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import time

import numpy as np

from infokit.methods.learning.sparse_bandits import (
    dense_bias_instance,
    least_squares_greedy,
    sparse_bandit_search,
    sparse_query_bound,
)


def _hypercube_instance(rng, d, eps):
    A = np.array(list(itertools.product([-1.0, 1.0], repeat=d))) / math.sqrt(d)
    theta = np.zeros(d)
    theta[rng.choice(d, 2, replace=False)] = rng.standard_normal(2)
    theta /= np.linalg.norm(theta)
    lin = A @ theta
    order = np.argsort(-lin)
    delta = np.zeros(len(A))
    delta[order[:50]] = -eps
    delta[rng.choice(order[50:], 300, replace=False)] = eps
    return A, lin + delta


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="5 instances and d <= 256 (seconds)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    d, s, eps = 12, 2, 0.05
    n_inst = 5 if args.quick else 20
    rng = np.random.default_rng(0)
    gaps, distinct = [], []
    for _ in range(n_inst):
        A, r = _hypercube_instance(rng, d, eps)
        res = sparse_bandit_search(A, lambda i, r=r: r[i], sparsity=s, epsilon=eps)
        gaps.append(r.max() - r[res.action])
        distinct.append(res.candidates.size)
    print(f"part 1: d = {d}, s = {s}, eps = {eps}, {len(A)} actions, {n_inst} instances")
    print(f"query bound C(d,s)*|net|: {sparse_query_bound(d, s, eps)}")
    print(f"mean distinct queries: {np.mean(distinct):.1f}")
    print(f"max gap: {max(gaps):.4f}")
    print(f"3 eps: {3 * eps:.4f}")

    print("\npart 2: dense-bias instance, eps = 0.1, OLS on 4d random-design queries (5 seeds)")
    print("      d  eps*sqrt(d)  sparse regret  sparse queries  LS regret (median)  3 eps")
    dims = (64, 256) if args.quick else (64, 256, 400, 900)
    for dd in dims:
        inst = dense_bias_instance(dd, 0.1, random_state=0)
        res = sparse_bandit_search(inst.actions, inst.reward, sparsity=1, epsilon=0.1)
        ls = [inst.regret(least_squares_greedy(inst.actions, inst.reward, n_queries=4 * dd, design=inst.design,
                                               random_state=seed)) for seed in range(5)]
        print(f"  {dd:5d}  {0.1 * math.sqrt(dd):11.2f}  {inst.regret(res.action):13.4f}  {res.n_queries:14d}  "
              f"{np.median(ls):18.4f}  {0.3:5.2f}")
        print(f"d={dd} sparse regret: {inst.regret(res.action):.4f}")
        print(f"d={dd} least-squares regret: {np.median(ls):.4f}")
    print(f"\nseconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
