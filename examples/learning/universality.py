"""The universality lens (Feder, Urbanke & Fogel 2025): regret tracks log 1/weight, not the class size.

A prior over Boolean functions of 4 inputs is induced by random over-parameterised threshold networks
(8 hidden sign units, weights and biases in {-1, 0, 1}); the Bayes mixture over the functions seen learns a
target f* from n labelled examples whose labels are flipped with probability 0.1. For each target the script
prints its prior weight, log 1/weight, the regret bound min_eps {n eps + log 1/W_eps} and the mean measured
regret (nats) over runs, beside log(class size) = log 2^16 = 11.09 nats.

    python examples/learning/universality.py [--quick]
"""

from __future__ import annotations

import argparse
import math

import numpy as np

from infokit.methods.learning.universality import (
    boolean_function_prior,
    kl_to_truth,
    mixture_regret,
    regret_bound,
)

FLIP = 0.1
P = 16  # 2^4 inputs


def _table(code: int) -> np.ndarray:
    return (code >> np.arange(P)) & 1


def _code(fn) -> int:
    bits = [(i >> k) & 1 for i in range(P) for k in range(4)]
    bits = np.array(bits).reshape(P, 4)
    return int(sum(int(fn(row)) << i for i, row in enumerate(bits)))


TARGETS = {
    "constant 0": _code(lambda b: 0),
    "x0": _code(lambda b: b[0]),
    "x0 AND x1": _code(lambda b: b[0] & b[1]),
    "majority(x0,x1,x2)": _code(lambda b: int(b[0] + b[1] + b[2] >= 2)),
    "parity(x0..x3)": _code(lambda b: int(b.sum() % 2)),
}


def _conditionals(tables: np.ndarray) -> np.ndarray:
    """(F, P, 2) label pmfs p(y | x) = 1 - FLIP on y = f(x)."""
    out = np.empty(tables.shape + (2,))
    out[..., 1] = np.where(tables == 1, 1 - FLIP, FLIP)
    out[..., 0] = 1 - out[..., 1]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer networks and runs (seconds)")
    ap.add_argument("--networks", type=int, default=None)
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("-n", type=int, default=200, help="labelled examples per run")
    args = ap.parse_args(argv)
    networks = args.networks or (200_000 if args.quick else 2_000_000)
    runs = args.runs or (5 if args.quick else 40)
    n = args.n

    functions, prior = boolean_function_prior(4, 8, n_networks=networks, random_state=0)
    tables = np.stack([_table(int(c)) for c in functions])
    cond = _conditionals(tables)
    print(f"networks sampled: {networks}; distinct functions seen: {functions.size} of {2 ** P}")
    print(f"log class size (all 2^16 functions): {math.log(2 ** P):.2f} nats")
    print(f"n = {n}, label noise {FLIP}, runs = {runs}")
    print(f"{'target':<20} {'prior':>9} {'log 1/prior':>11} {'bound':>7} {'mean regret':>11}")
    rng = np.random.default_rng(1)
    worst_excess = -np.inf
    for name, code in TARGETS.items():
        truth = _conditionals(_table(code)[None])[0]
        hit = functions == code
        w = float(prior[hit].sum())
        kl = kl_to_truth(cond, truth)
        bound = regret_bound(prior, kl, n)
        regrets = []
        for _ in range(runs):
            x = rng.integers(0, P, n)
            y = np.where(rng.random(n) < FLIP, 1 - _table(code)[x], _table(code)[x])
            regrets.append(mixture_regret(prior, cond, (x, y), reference=truth).regret)
        mean = float(np.mean(regrets))
        worst_excess = max(worst_excess, mean - bound.bound)
        lw = f"{-math.log(w):11.2f}" if w > 0 else f"{'inf':>11}"
        print(f"{name:<20} {w:9.2e} {lw} {bound.bound:7.2f} {mean:11.2f}")
        print(f"  {name} mean regret: {mean:.4f}")
        print(f"  {name} bound: {bound.bound:.4f}")
    print(f"max (mean regret - bound): {worst_excess:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
