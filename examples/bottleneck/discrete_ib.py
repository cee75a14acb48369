"""Discrete information bottleneck: IB (Tishby, Pereira, Bialek 1999) and DIB (Strouse & Schwab 2017).

Neither paper prints a numeric table for a fixed joint distribution, so this script checks the two algorithms
against exact answers instead:

1. The doubly symmetric binary source (X a fair bit, Y = X xor Bern(0.1)). Its IB curve is known in closed form
   (Mrs. Gerber's lemma): I(T;Y) = ln 2 - h(p * h^-1(ln 2 - I(X;T))), and the curve leaves the origin at
   beta_c = 1/(1 - 2p)^2 = 1.5625. The script prints the largest distance of the iterative IB solutions to
   that frontier and the critical beta it finds by bisection.
2. A random 6 x 4 joint (seed 0). The DIB optimum is a deterministic encoder (the objective is concave), so a
   search over all 203 set partitions of X gives it exactly; the script prints the iterative DIB next to it,
   and the IB objective next to the best deterministic encoder (an upper bound for the IB).

Run:  python examples/bottleneck/discrete_ib.py [--quick]
"""

from __future__ import annotations

import argparse
import math
import warnings

import numpy as np
from scipy.optimize import brentq

from infokit.exceptions import ConvergenceWarning
from infokit.methods.bottleneck import information_bottleneck, information_bottleneck_curve

LN2 = math.log(2)


def h(x: float) -> float:
    return 0.0 if x <= 0 or x >= 1 else -x * math.log(x) - (1 - x) * math.log(1 - x)


def frontier(r: float, p: float) -> float:
    """Mrs. Gerber's frontier of the DSBS in nats."""
    if r <= 0:
        return 0.0
    if r >= LN2 - 1e-15:
        return LN2 - h(p)
    a = brentq(lambda a: h(a) - (LN2 - r), 1e-300, 0.5, xtol=1e-16)
    return LN2 - h(p * (1 - a) + a * (1 - p))


def critical_beta(joint, lo: float, hi: float, steps: int) -> float:
    """Smallest beta at which the IB beats the trivial encoder (objective < 0), by bisection.

    Below beta_c every encoder has I(X;T) - beta I(T;Y) >= 0 (the frontier is concave with slope (1-2p)^2 at 0),
    above it the optimum is negative, so the sign of the objective decides, whatever the residual of a slowly
    converging run near beta_c.
    """
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # critical slowing down right at beta_c
            r = information_bottleneck(joint, mid, n_restarts=4, max_iter=20_000, random_state=0)
        lo, hi = (lo, mid) if r.objective < -1e-12 else (mid, hi)
    return 0.5 * (lo + hi)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="coarser beta grids")
    args = ap.parse_args(argv)

    # 1. binary symmetric source --------------------------------------------------------------------------
    p = 0.1
    dsbs = np.array([[0.5 * (1 - p), 0.5 * p], [0.5 * p, 0.5 * (1 - p)]])
    betas = np.linspace(1.0, 8.0, 8 if args.quick else 29)
    curve = information_bottleneck_curve(dsbs, betas, method="ib", n_restarts=2, random_state=1)
    gap = max(abs(frontier(x, p) - y) for x, y in zip(curve.i_xt, curve.i_ty))
    beta_c = critical_beta(dsbs, 1.0, 2.5, 8 if args.quick else 14)
    print("1. Doubly symmetric binary source, p = 0.1 (nats)")
    print(f"   IB points on the beta grid:                   {len(betas)}")
    print(f"   max |I(T;Y) - frontier(I(X;T))|:              {gap:.2e}")
    print(f"   critical beta (bisection on the objective's sign): {beta_c:.4f}   theory 1/(1-2p)^2 = {1 / (1 - 2 * p) ** 2:.4f}")

    # 2. random 6 x 4 joint -------------------------------------------------------------------------------
    rng = np.random.default_rng(0)
    joint = rng.dirichlet(np.full(24, 0.5)).reshape(6, 4)
    grid = np.geomspace(0.5, 50, 7 if args.quick else 15)
    exact = information_bottleneck_curve(joint, grid, method="dib_exact")
    dib = information_bottleneck_curve(joint, grid, method="dib", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ib = information_bottleneck_curve(joint, grid, method="ib", random_state=0, max_iter=5000)
    print(f"\n2. Random 6 x 4 joint (seed 0): I(X;Y) = {exact.i_xy:.4f}, H(X) = {exact.h_x:.4f} nats")
    head = (f"   {'beta':>7s} | {'DIB exact':>10s} {'DIB iter':>10s} {'H(T)':>6s} {'I(T;Y)':>7s} {'|T|':>3s} | "
            f"{'IB obj':>9s} {'I(X;T)':>7s} {'I(T;Y)':>7s}")
    print(head)
    print("   " + "-" * (len(head) - 3))
    for i, b in enumerate(grid):
        print(f"   {b:7.3f} | {exact.objective[i]:10.5f} {dib.objective[i]:10.5f} {dib.h_t[i]:6.3f} "
              f"{dib.i_ty[i]:7.4f} {dib.n_clusters_used[i]:3d} | {ib.objective[i]:9.5f} {ib.i_xt[i]:7.4f} "
              f"{ib.i_ty[i]:7.4f}")
    print(f"   max (DIB iterative - DIB exact) objective:    {np.max(dib.objective - exact.objective):.2e}")
    print(f"   max (IB - best deterministic) objective:      {np.max(ib.objective - exact.objective):.2e}  (<= 0 expected)")
    print("   objectives: DIB = H(T) - beta I(T;Y), IB = I(X;T) - beta I(T;Y), nats")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
