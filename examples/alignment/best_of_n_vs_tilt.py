"""Best-of-N vs the optimal KL-constrained tilt (Yang, Salamatian, Sun, Suresh, Beirami 2024, arXiv 2404.01730).

The paper proves that for a memoryless language model with additive reward, best-of-N with N = exp(n * Delta)
and the KL-constrained RL optimum with KL budget Delta per token have the same asymptotic reward per token (and
are close in KL). It gives no numeric table; this script shows the equivalence numerically with exact
computations (no sampling):

1. The best-of-N KL for 1000 equiprobable distinct rewards against the bound log N - (N-1)/N.
2. p = (0.5, 0.3, 0.2), r = (0, 1, 2): best-of-N against the tilt with the same KL (the tilt is optimal).
3. The same per-token model on sequences of length n, N = e^{0.1 n}: best-of-N reward and KL per token against
   the KL-RL optimum at Delta = 0.1 nats/token (1.0599 reward/token). Exact law of the reward sum by log-space
   convolution; best-of-N in log space (N reaches e^400).

Run:  python examples/alignment/best_of_n_vs_tilt.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np

from infokit.methods.alignment import best_of_n_kl, best_of_n_kl_bound, best_of_n_tradeoff, kl_tilt, sequence_best_of_n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="sequence lengths up to 1000 instead of 4000")
    args = ap.parse_args(argv)

    print("1. KL(best-of-N || p), 1000 equiprobable distinct rewards (nats)")
    print(f"   {'N':>4s} {'exact':>9s} {'log N - (N-1)/N':>16s}")
    p, r = np.full(1000, 1e-3), np.arange(1000.0)
    for n in (2, 4, 16, 64):
        print(f"   {n:4d} {best_of_n_kl(p, r, n):9.5f} {best_of_n_kl_bound(n):16.5f}")

    p3, r3 = [0.5, 0.3, 0.2], [0.0, 1.0, 2.0]
    t = best_of_n_tradeoff(p3, r3, [2, 4, 16])
    print("\n2. p = (0.5, 0.3, 0.2), r = (0, 1, 2): best-of-N vs the tilt at the same KL")
    print(f"   {'N':>4s} {'KL (nats)':>9s} {'E r BoN':>8s} {'lambda':>7s} {'E r tilt':>9s}")
    for i in range(len(t.n)):
        print(f"   {int(t.n[i]):4d} {t.kl[i]:9.5f} {t.reward[i]:8.4f} {t.tilt_lam[i]:7.3f} {t.tilt_reward[i]:9.4f}")

    delta = 0.1
    target = kl_tilt(p3, r3, delta).expected_reward
    lengths = (10, 50, 200, 1000) if args.quick else (10, 50, 200, 1000, 4000)
    print(f"\n3. Sequences, N = exp({delta} n): KL-RL optimum at {delta} nats/token = {target:.4f} reward/token")
    print(f"   {'n':>5s} {'log N':>6s} {'reward/token':>12s} {'KL/token':>9s} {'bound/token':>11s} {'gap to KL-RL':>12s}")
    for n in lengths:
        s = sequence_best_of_n(p3, r3, n, log_n=delta * n)
        print(f"   {n:5d} {s.log_n:6.0f} {s.reward_per_token:12.4f} {s.kl_per_token:9.4f} "
              f"{s.kl_bound_per_token:11.4f} {target - s.reward_per_token:12.4f}")
    print("   the gap shrinks like O(log n / n): best-of-N becomes the KL-constrained optimum per token")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
