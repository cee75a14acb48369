"""G theory (Lu 2025, "A Semantic Generalization of Shannon's Information Theory and Applications").

Four parts, all computed with infokit.methods.semantic:

1. The worked example of the project notes (ages child/youth/adult/elderly, labels "young"/"old"): logical
   probabilities, semantic information, semantic MI against Shannon MI, matched truth functions and a
   maximum-semantic-information classification, each next to the value in the notes.
2. The R(G) function at a few slopes s, checked against infokit.rate_distortion with distortion -log m.
3. Maximum-mutual-information classification by channels matching on a discretised two-Gaussian observation
   model, from a poor threshold: iterations and final I(X;Y) next to the best of all threshold partitions.
4. EM and CM-EM on a discretised 2-component Gaussian mixture from several poor starts: M-steps to convergence
   (Lu reports 36 EM / 18 MM / 9 CM-EM iterations on an example of his own, which the notes do not have).

Run:  python examples/semantic/g_theory.py [--quick]
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np

import infokit
from infokit.exceptions import ConvergenceWarning
from infokit.methods.semantic import (
    fit_gaussian_mixture,
    fuzzy_entropy,
    logical_probability,
    matched_truth_functions,
    mmi_classification,
    rate_fidelity,
    semantic_classify,
    semantic_entropy,
    semantic_information,
    semantic_mutual_information,
)


def worked_example():
    p_x = np.array([0.2, 0.3, 0.3, 0.2])
    truth = np.array([[1, 0.8, 0.2, 0.02], [0.02, 0.1, 0.6, 1]]).T
    young = np.array([0.9, 0.7, 0.2, 0.0])
    channel = np.stack([young, 1 - young], axis=1)
    joint = p_x[:, None] * channel
    info = semantic_information(truth, p_x, base=2)
    scores = semantic_classify([0.1, 0.5, 0.3, 0.1], truth, p_x, base=2).scores
    rows = [
        ("T(theta_1), T(theta_2)", logical_probability(truth, p_x), "0.504 0.414"),
        ("I(x_i; theta_1) bits", info[:, 0], "0.9885 0.6666 -1.3334 -4.6554"),
        ("I(x_i; theta_2) bits", info[:, 1], "-4.3716 -2.0496 0.5353 1.2723"),
        ("Shannon I(X;Y) bits", [infokit.mutual_information(joint, base=2)], "0.41801"),
        ("semantic I(X;Theta) bits", [semantic_mutual_information(joint, truth, base=2)], "0.34895"),
        ("H(Theta), H(Theta|X) bits", [semantic_entropy(joint, truth, base=2), fuzzy_entropy(joint, truth, base=2)],
         "1.14459 0.79564"),
        ("I(X;Theta*) matched, bits", [semantic_mutual_information(joint, matched_truth_functions(channel), base=2)],
         "0.41801"),
        ("classify P(x|z)=[.1,.5,.3,.1]", scores, "-0.4334 -1.1741 (young)"),
    ]
    print("1. Worked example (notes §4.3)")
    for name, vals, notes in rows:
        got = " ".join(f"{v:.5f}" if abs(v) < 10 else f"{v:.3f}" for v in np.atleast_1d(vals))
        print(f"   {name:30s} {got:42s} notes: {notes}")
    return p_x, truth


def r_of_g(p_x, truth, slopes):
    print("\n2. R(G) function (nats): Lu's iteration vs infokit.rate_distortion with d = -log m")
    m = truth / (p_x @ truth)
    print(f"   {'s':>5s} {'R':>9s} {'G':>9s} {'R - G':>8s} {'|R - R_BA|':>11s}")
    for s in slopes:
        pt = rate_fidelity(p_x, truth, s)
        rd = infokit.rate_distortion(p_x, -np.log(m), s) if s > 0 else None
        diff = f"{abs(pt.rate - rd.rate):.1e}" if rd is not None else "-"
        print(f"   {s:5.2f} {pt.rate:9.5f} {pt.semantic_mi:9.5f} {pt.rate - pt.semantic_mi:8.5f} {diff:>11s}")


def mmi(n_z):
    z = np.linspace(-4, 8, n_z)
    lik = np.stack([np.exp(-0.5 * z**2), np.exp(-0.5 * ((z - 3) / 1.5) ** 2)])
    lik /= lik.sum(axis=1, keepdims=True)
    p_x = np.array([0.7, 0.3])
    start = (z > 5.0).astype(np.int64)  # a poor threshold
    r = mmi_classification(lik, p_x, init=start, n_labels=2, base=2)
    best = max(infokit.mutual_information(p_x[:, None] * np.stack([lik[:, :k].sum(1), lik[:, k:].sum(1)], 1), base=2)
               for k in range(1, n_z))
    thr = z[np.argmax(r.labels)] if r.labels.any() else float("nan")
    print(f"\n3. MMI classification (channels matching), x in {{0,1}}, P(x) = (0.7, 0.3), {n_z} observation cells")
    print(f"   start: threshold z > 5.0, I(X;Y) = {r.history[0]:.5f} bits")
    print(f"   converged after {r.iterations} reclassification(s): threshold z >= {thr:.3f}, "
          f"I(X;Y) = {r.mutual_information:.5f} bits")
    print(f"   best threshold partition (brute force over {n_z - 1}): I(X;Y) = {best:.5f} bits")


def mixtures(starts):
    x = np.linspace(-5, 10, 61)
    dens = 0.7 * np.exp(-0.5 * x**2) + 0.3 * np.exp(-0.5 * ((x - 4) / 1.5) ** 2) / 1.5
    p = dens / dens.sum()
    print("\n4. EM vs CM-EM: mixture 0.7 N(0,1) + 0.3 N(4,1.5^2) on a 61-point grid, stop when KL gains < 1e-10")
    print(f"   {'start means / stds':24s} {'EM M-steps':>10s} {'CM-EM M-steps':>13s} {'(E-steps)':>9s} "
          f"{'KL EM':>9s} {'KL CM-EM':>9s}")
    for mu, sd in starts:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            em = fit_gaussian_mixture(x, p, means=mu, stds=sd, method="em", tol=1e-10, max_iter=5000)
            cm = fit_gaussian_mixture(x, p, means=mu, stds=sd, method="cm_em", tol=1e-10, max_iter=5000)
        print(f"   {str(mu) + ' / ' + str(sd):24s} {em.iterations:10d} {cm.iterations:13d} {cm.inner_iterations:9d} "
              f"{em.kl:9.2e} {cm.kl:9.2e}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer slopes, cells and starts")
    args = ap.parse_args(argv)
    p_x, truth = worked_example()
    r_of_g(p_x, truth, [-1.0, 0.0, 0.5, 1.0, 2.0] if args.quick else [-3.0, -1.0, 0.0, 0.5, 1.0, 2.0, 5.0, 20.0])
    mmi(24 if args.quick else 60)
    starts = [([6.0, 7.0], [1.0, 1.0]), ([2.0, 2.5], [2.0, 2.0])]
    if not args.quick:
        starts += [([-1.0, 1.0], [1.0, 1.0]), ([1.0, 2.0], [3.0, 3.0]), ([0.5, 3.0], [2.0, 2.0]), ([3.0, 6.0], [1.0, 1.0])]
    mixtures(starts)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
