"""Wasserstein dependency measure vs the KL bounds on high-MI tasks: InfoNCE saturates at log(batch); the WDM
objective is not capped by it.

Paper 2 of the reading list: Ozair, Lynch, Bengio, van den Oord, Levine & Sermanet (2019), "Wasserstein
Dependency Measure for Representation Learning", NeurIPS, arXiv:1903.11780.

What this reproduces, and at what scale
---------------------------------------
The paper's claim: a KL-based MI lower bound computed on batches of size B can never exceed log B (InfoNCE) or
needs exponentially many samples (NWJ/MINE), so on tasks whose MI is far above log B the objective saturates
and the encoders stop learning the remaining factors ("incomplete representations"); the Wasserstein
dependency measure (WDM), estimated with a Lipschitz critic, is not capped and keeps improving. The paper shows
it on multi-character Omniglot / Shapes3D with linear probes; here, offline and in minutes on a CPU, a k-slot
task of the same shape: each sample has k independent slots c_1..c_k, each uniform over 10 symbols; x embeds
every slot with a fixed random 4-d code plus noise, y with a different random code plus noise, so
I(X;Y) ≈ k·log 10 (9.2 nats for k = 4) ≫ log B (3.47 nats for B = 32). Three separable critics
g(x)ᵀh(y) (MLP encoders, 8-d representation) are trained on fresh batches with

* CPC — the InfoNCE loss (:func:`infokit.estimators.neural.infonce_loss`),
* WPC — InfoNCE plus a gradient penalty λ = 10 (:func:`infokit.estimators.neural.wpc_loss`),
* WDM — the Kantorovich–Rubinstein dual plus the same penalty (:func:`infokit.estimators.neural.wdm_loss`),

and scored by the held-out InfoNCE bound (B = 32), the WDM dual value, and a linear probe per slot: the
accuracy of a logistic regression predicting c_s from g(x) (chance = 0.1), averaged over slots.

Part A sweeps the number of slots k ∈ {1, 2, 4, 8} (I = k·log 10 = 2.3 … 18.4 nats; 800 steps each) and prints
the held-out InfoNCE of the CPC critic (separable) beside the WDM dual value of the WDM critic (a concat MLP on
[x; y] with the gradient penalty, so that f itself is approximately 1-Lipschitz). Part B compares the linear
probes of CPC, WPC and WDM separable critics at k = 4 (1500 steps each).

Runtime: about 1 CPU minute for the full run; ``--quick`` (CI) runs 100-step trainings on k ∈ {1, 4}
(about 8 CPU seconds).

Measured (seed 0, full run, B = 32, log B = 3.47):

=======  =========  ====================  ===================
k slots  true MI    CPC held-out InfoNCE  WDM dual (WDM critic)
=======  =========  ====================  ===================
1        2.303      2.113                 1.614
2        4.605      3.090                 2.155
4        9.210      3.198                 2.298
8        18.421     3.090                 2.424
=======  =========  ====================  ===================

Part B (k = 4): CPC held-out InfoNCE 3.31 = 0.955·log B; mean probe accuracy CPC 0.784, WPC 0.749, WDM 0.760
(per slot CPC 0.22/0.99/0.97/0.96, WPC 0.11/0.98/0.96/0.95, WDM 0.20/1.00/0.93/0.91).

What reproduces: the ceiling and the contrast — from k = 2 on, InfoNCE stays at ~0.9·log B although the MI
keeps doubling (+0.98 nats from 1 to 8 slots for +16.1 nats of MI), while the WDM dual keeps rising with every
added slot (1.61 → 2.42, ×1.50; W₁ in the Euclidean metric grows sublinearly in k, and 800 steps do not
saturate it). What does not reproduce at this scale: the Lipschitz objectives (WPC, WDM) do not give more
complete representations than CPC in Part B — all three miss slot 1. The paper's completeness gains were
measured on image tasks with convolutional encoders; this 8-d, one-hidden-layer separable critic is a much
smaller model, and λ = 10 on the raw-input gradient is the only setting tried.

Run::

    python examples/estimators/wdm_vs_kl_bounds.py [--quick] [--steps N] [--slots K]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np


def make_task(slots, symbols=10, code_dim=4, noise=0.1, seed=0):
    """Return sample(n, rng) -> (x, y, c): the k-slot task with fixed random codes for x and y."""
    rng = np.random.default_rng(seed)
    ex = rng.normal(size=(slots, symbols, code_dim))
    ey = rng.normal(size=(slots, symbols, code_dim))

    def sample(n, r):
        c = r.integers(0, symbols, size=(n, slots))
        x = np.concatenate([ex[s, c[:, s]] for s in range(slots)], axis=1)
        y = np.concatenate([ey[s, c[:, s]] for s in range(slots)], axis=1)
        x = x + noise * r.normal(size=x.shape)
        y = y + noise * r.normal(size=y.shape)
        return x.astype(np.float32), y.astype(np.float32), c

    return sample


def probe_accuracy(z_train, c_train, z_test, c_test):
    """Mean over slots of the held-out accuracy of a multinomial logistic regression c_s ~ z."""
    from sklearn.linear_model import LogisticRegression

    accs = []
    for s in range(c_train.shape[1]):
        clf = LogisticRegression(max_iter=300)
        clf.fit(z_train, c_train[:, s])
        accs.append(clf.score(z_test, c_test[:, s]))
    return float(np.mean(accs)), [float(a) for a in accs]


def train(objective, sample, *, steps, batch, rep_dim, hidden, lr, penalty, seed, eval_every, evalset,
          concat=False):
    import torch

    from infokit.estimators import neural as N

    torch.manual_seed(seed)
    r = np.random.default_rng(seed + 1)
    xe, ye = evalset
    if concat:
        critic = N.ConcatCritic(xe.shape[1], ye.shape[1], hidden=hidden)
    else:
        critic = N.SeparableCritic(xe.shape[1], ye.shape[1], hidden=hidden, embed_dim=rep_dim)
    opt = torch.optim.Adam(critic.parameters(), lr=lr)
    curve = []
    for step in range(1, steps + 1):
        x, y, _ = sample(batch, r)
        x, y = torch.from_numpy(x), torch.from_numpy(y)
        if objective == "CPC":
            loss = N.infonce_loss(critic(x, y))
        elif objective == "WPC":
            loss = N.wpc_loss(critic, x, y, penalty_weight=penalty)
        else:
            loss = N.wdm_loss(critic, x, y, penalty_weight=penalty)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % eval_every == 0 or step == steps:
            curve.append((step,) + evaluate(critic, xe, ye, batch))
    return critic, curve


def evaluate(critic, xe, ye, batch):
    """Held-out InfoNCE and WDM dual values, averaged over batches of size ``batch``."""
    import torch

    from infokit.estimators import neural as N

    nce, wdm = [], []
    with torch.no_grad():
        for i in range(0, len(xe) - batch + 1, batch):
            s = critic(torch.from_numpy(xe[i:i + batch]), torch.from_numpy(ye[i:i + batch]))
            nce.append(float(N.infonce_lower_bound(s)))
            wdm.append(float(N.wdm_lower_bound(s)))
    return float(np.mean(nce)), float(np.mean(wdm))


def sweep(slot_counts, *, steps, batch, seed):
    """Part A: train CPC and WDM critics on tasks of growing MI (k slots: I = k log 10) and report the held-out
    InfoNCE of the CPC critic (separable) and the WDM dual of the gradient-penalised WDM critic (a concat
    critic: an MLP on [x; y], so that the penalty bounds the Lipschitz constant of f itself)."""
    print("\n[A] k slots   true MI   log(batch)   CPC held-out InfoNCE   WDM dual (WDM critic)")
    out = []
    for k in slot_counts:
        sample = make_task(k, seed=seed)
        xe, ye, _ = sample(1024, np.random.default_rng(seed + 100))
        row = []
        for objective in ("CPC", "WDM"):
            _, curve = train(objective, sample, steps=steps, batch=batch, rep_dim=8,
                             hidden=(64,) if objective == "CPC" else (64, 64), lr=1e-3, penalty=10.0, seed=seed,
                             eval_every=steps, evalset=(xe, ye), concat=objective == "WDM")
            row.append(curve[-1][1] if objective == "CPC" else curve[-1][2])
        out.append((k, k * math.log(10), row[0], row[1]))
        print(f"    {k:7d}   {k * math.log(10):7.3f}   {math.log(batch):10.4f}   {row[0]:20.4f}   {row[1]:10.4f}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="CI mode: 100-step runs, slots 1 and 4, small probe sets")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--slots", type=int, default=4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import torch

    torch.set_num_threads(1)
    t0 = time.time()
    steps = args.steps or (100 if args.quick else 1500)
    print(f"log(batch): {math.log(args.batch):.4f}")
    # ---- A: the KL bound is capped while the dependency grows; the WDM dual follows it
    rows = sweep((1, 4) if args.quick else (1, 2, 4, 8), steps=steps if args.quick else 800, batch=args.batch,
                 seed=args.seed)
    print(f"CPC InfoNCE at the most slots / log(batch): {rows[-1][2] / math.log(args.batch):.4f}")
    print(f"CPC InfoNCE gain from {rows[0][0]} to {rows[-1][0]} slots: {rows[-1][2] - rows[0][2]:.4f}")
    print(f"WDM dual ratio {rows[-1][0]} slots / {rows[0][0]} slot: {rows[-1][3] / rows[0][3]:.4f}")
    print(f"true MI ratio {rows[-1][0]} slots / {rows[0][0]} slot: {rows[-1][1] / rows[0][1]:.4f}")

    # ---- B: representation completeness (linear probes), CPC vs WPC vs WDM at k slots
    n_eval = 512 if args.quick else 2048
    sample = make_task(args.slots, seed=args.seed)
    r = np.random.default_rng(args.seed + 100)
    xe, ye, ce = sample(n_eval, r)
    xp, yp, cp = sample(n_eval, r)  # probe training set (held out from the critic too)
    truth = args.slots * math.log(10)
    print(f"\n[B] task: {args.slots} slots x 10 symbols, I(X;Y) ~ k log 10 = {truth:.3f} nats; batch B = {args.batch}")
    results = {}
    for objective in ("CPC", "WPC", "WDM"):
        critic, curve = train(objective, sample, steps=steps, batch=args.batch, rep_dim=8, hidden=(64,),
                              lr=1e-3, penalty=10.0, seed=args.seed, eval_every=max(1, steps // 6),
                              evalset=(xe, ye))
        with torch.no_grad():
            zp = critic.g(torch.from_numpy(xp)).numpy()
            ze = critic.g(torch.from_numpy(xe)).numpy()
        acc, per_slot = probe_accuracy(zp, cp, ze, ce)
        results[objective] = (curve, acc, per_slot)
        print(f"\n[{objective}] step   held-out InfoNCE   WDM dual")
        for step, nce, wdm in curve:
            print(f"  {step:6d}   {nce:10.4f}   {wdm:10.4f}")
        print(f"{objective} final held-out InfoNCE (nats): {curve[-1][1]:.4f}")
        print(f"{objective} final WDM dual: {curve[-1][2]:.4f}")
        print(f"{objective} linear-probe accuracy per slot: {' '.join(f'{a:.3f}' for a in per_slot)}")
        print(f"{objective} mean linear-probe accuracy: {acc:.4f}")
    print(f"\nCPC InfoNCE / log(batch): {results['CPC'][0][-1][1] / math.log(args.batch):.4f}")
    print(f"probe accuracy WPC - CPC: {results['WPC'][1] - results['CPC'][1]:.4f}")
    print(f"probe accuracy WDM - CPC: {results['WDM'][1] - results['CPC'][1]:.4f}")
    print(f"seconds: {time.time() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
