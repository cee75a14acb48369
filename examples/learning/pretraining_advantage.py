"""The provable advantage of unsupervised pretraining (Ge, Tang, Fan & Jin, ICLR 2024), simulated.

Factor model x = Bz + eps (d = 50, r = 3, sigma = 1), y = beta^T z + 0.5 eta: PPCA maximum likelihood on
m = 10,000 unlabelled rows, then least squares on E[z | x], against least squares on x from the n labels alone.
A Gaussian-mixture variant (x | z ~ N(mu_z, I), y = z): EM on unlabelled rows, then a majority-vote label
assignment, against nearest class means from the labels alone. Prints the excess test risk over the Bayes
predictor (MSE; 0-1 error for the mixture), mean over repetitions.

    python examples/learning/pretraining_advantage.py [--quick]
"""

from __future__ import annotations

import argparse

from infokit.methods.learning.pretraining import FactorModel, GaussianMixtureModel, excess_risk_curve


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions and a smaller test set")
    args = ap.parse_args(argv)
    reps = 3 if args.quick else 20
    n_test = 5_000 if args.quick else 20_000

    fm = FactorModel.random(d=50, r=3, sigma=1.0, sigma_y=0.5, random_state=0)
    c = excess_risk_curve(fm, [60, 100, 200, 400], m=10_000, repetitions=reps, n_test=n_test, random_state=1)
    print(f"factor model d=50 r=3: Bayes risk {c.bayes_risk:.4f} (closed form); m = {c.m}; {reps} repetitions")
    print(f"{'n':>5} {'supervised OLS':>15} {'PPCA pretrain + OLS':>20}")
    for n, s, p in zip(c.n, c.supervised, c.pretrained):
        print(f"{n:>5} {s:15.4f} {p:20.4f}")
    print(f"factor excess risk ratio at n=100 (supervised / pretrained): {c.supervised[1] / c.pretrained[1]:.1f}")
    print(f"factor pretrained excess risk at n=400: {c.pretrained[-1]:.4f}")

    gm = GaussianMixtureModel.random(k=2, d=20, separation=2.5, random_state=0)
    g = excess_risk_curve(gm, [10, 20, 50, 200], m=5_000, repetitions=reps, n_test=n_test, random_state=2)
    print(f"Gaussian mixture K=2 d=20: Bayes error {g.bayes_risk:.4f}")
    print(f"{'n':>5} {'nearest class mean':>19} {'EM pretrain + vote':>19}")
    for n, s, p in zip(g.n, g.supervised, g.pretrained):
        print(f"{n:>5} {s:19.4f} {p:19.4f}")
    print(f"mixture excess error at n=50, supervised: {g.supervised[2]:.4f}")
    print(f"mixture excess error at n=50, pretrained: {g.pretrained[2]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
