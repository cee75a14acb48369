"""Entropy collapse in GRPO and how the entropy-control losses change it -- a CPU mechanism demonstration.

Sandbox (``infokit.methods.rl.toy``): a tabular autoregressive policy over 8 tokens answering 16 prompts with
6 tokens; reward 1 when the sum of the tokens mod 8 hits the prompt's hidden target. GRPO with 8 samples per
prompt, 2 PPO epochs per batch, Adam (lr 0.05). Each method runs over several seeds; the script prints the mean
token entropy along training and the greedy accuracy at the end, fits the entropy-performance law
R = -a e^H + b (Cui et al. 2025) on the baseline's trajectory, and checks the first-order entropy-change
formulas: the predicted change of the batch entropy for one small SGD step (covariance form, Cui et al.;
discriminator form, Wang et al. 2026) against the realised one, with and without the Clip_B mask.

What it shows: entropy collapses under plain GRPO; the covariance / discriminator formulas predict each step's
entropy change; some losses slow the collapse. What it does not show: anything about accuracy on real reasoning
tasks -- this toy is far too small for that (the notes found no method solving a deceptive variant more often).

Usage::

    python examples/rl/entropy_collapse.py                  # 7 methods x 3 seeds x 300 steps (minutes on CPU)
    python examples/rl/entropy_collapse.py --quick          # 2 methods x 1 seed x 25 steps (seconds)
    python examples/rl/entropy_collapse.py --png curves.png # where to save the plot ("" to skip)
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time

try:
    import infokit  # noqa: F401
except ImportError:  # pragma: no cover - running from a checkout
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                    "src"))


def methods():
    """name -> (loss, kwargs factory). Hyper-parameters adapted to the toy's scale are said so in the comments."""
    from infokit.methods.rl import EntropyHistory, SirenRegularizer

    return {
        "baseline": ("vanilla", lambda: {}),
        # r = 0.02 instead of 2e-4: the batch has only 768 tokens (the notes' sandbox setting)
        "clip_cov": ("clip_cov", lambda: {"clip_cov_ratio": 0.02, "clip_cov_lb": 1.0, "clip_cov_ub": 5.0}),
        "kl_cov": ("kl_cov", lambda: {"kl_cov_ratio": 0.02, "ppo_kl_coef": 1.0}),
        "steer": ("steer", lambda: {}),
        "clip_b": ("clip_b", lambda: {"mu": 2.5}),
        # coef 0.5 instead of 0.005: the toy's PG loss is ~1, an LLM's per-token loss is much smaller
        "siren": ("siren", lambda: {"regularizer": SirenRegularizer(coef=0.5, top_k=8, top_p=0.95)}),
        # the trajectory entropy bonus with EPO's history band (single-turn: one turn index)
        "epo": ("epo", lambda: {"entropy_coeff": 0.02, "history": EntropyHistory(1), "r_min": 0.5, "r_max": 2.0,
                                "kappa": 0.1}),
    }


def run(method, seed, steps, record_every):
    import torch

    from infokit.methods.rl import SumModTask, TabularPolicy, grpo_step

    loss, factory = methods()[method]
    torch.manual_seed(seed)
    task = SumModTask(16, 6, 8, seed=seed)
    pol = TabularPolicy(16, 6, 8)
    opt = torch.optim.Adam(pol.parameters(), lr=0.05)
    g = torch.Generator().manual_seed(1000 + seed)
    kwargs = factory()
    if loss == "clip_cov":
        kwargs["generator"] = torch.Generator().manual_seed(2000 + seed)
    ent, rew = [], []
    for step in range(steps):
        out = grpo_step(pol, opt, task, loss=loss, loss_kwargs=kwargs, group_size=8, ppo_epochs=2, generator=g)
        if step % record_every == 0 or step == steps - 1:
            ent.append((step, out["entropy"]))
            rew.append((step, out["reward"]))
    return ent, rew, pol.greedy_accuracy(task)


def entropy_checks(n_checks, steps_between, seed=0):
    """Train the baseline and, every ``steps_between`` steps, compare predicted and realised entropy changes."""
    import torch

    from infokit.methods.rl import SumModTask, TabularPolicy, clip_b_mask, entropy_change_check, grpo_step

    torch.manual_seed(seed)
    task = SumModTask(16, 6, 8, seed=seed)
    pol = TabularPolicy(16, 6, 8)
    opt = torch.optim.Adam(pol.parameters(), lr=0.05)
    g = torch.Generator().manual_seed(seed + 7)
    rows = []
    for i in range(1, n_checks + 1):  # not at step 0: the uniform start is stationary (first order = 0)
        for _ in range(steps_between):
            grpo_step(pol, opt, task, loss="vanilla", group_size=8, ppo_epochs=2, generator=g)
        # same batch for both (same generator state): the plain step and the step with the Clip_B mask
        state = g.get_state()
        plain = entropy_change_check(pol, task, lr=0.5, generator=g)
        g.set_state(state)
        cb = entropy_change_check(pol, task, lr=0.5, generator=g,
                                  mask_fn=lambda lp, h, a, m: clip_b_mask(lp, h, a, m, mu=1.0)[0])
        rows.append((i * steps_between, plain, cb))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 methods x 1 seed x 25 steps")
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--methods", default=None, help="comma-separated subset of the methods")
    ap.add_argument("--png", default=None, help="save the entropy curves here ('' to skip)")
    args = ap.parse_args(argv)
    import numpy as np
    import torch

    torch.set_num_threads(1)
    steps = args.steps or (25 if args.quick else 300)
    seeds = args.seeds or (1 if args.quick else 3)
    names = args.methods.split(",") if args.methods else (["baseline", "clip_cov"] if args.quick else list(methods()))
    record_every = 5 if args.quick else 10
    png = args.png if args.png is not None else ("" if args.quick else "entropy_collapse.png")

    print(f"sandbox: 16 prompts x 6 tokens x vocab 8, G = 8, 2 PPO epochs, Adam lr 0.05; {seeds} seed(s) x {steps} steps")
    print(f"initial entropy log(8) (nats): {math.log(8):.4f}")
    curves = {}
    t0 = time.time()
    for name in names:
        runs = [run(name, s, steps, record_every) for s in range(seeds)]
        steps_rec = [s for s, _ in runs[0][0]]
        h = np.array([[v for _, v in r[0]] for r in runs])
        r = np.array([[v for _, v in r[1]] for r in runs])
        acc = np.array([r_[2] for r_ in runs])
        curves[name] = (steps_rec, h.mean(0), r.mean(0))
        marks = [k for k in (100, 200, steps - 1) if k < steps]
        at = "  ".join(f"H@{k + (k == steps - 1)}={h.mean(0)[min(range(len(steps_rec)), key=lambda i: abs(steps_rec[i] - k))]:.3f}"
                       for k in marks)
        print(f"[{name}] {at}")
        print(f"[{name}] final entropy (nats): {h.mean(0)[-1]:.4f}")
        print(f"[{name}] final greedy accuracy: {acc.mean():.3f} (seeds: {' '.join(f'{a:.2f}' for a in acc)})")
    print(f"training time (s): {time.time() - t0:.1f}")

    from infokit.methods.rl import fit_entropy_performance

    fit_name = "baseline" if "baseline" in curves else names[0]
    s_, hb, rb = curves[fit_name]
    fit = fit_entropy_performance(hb, rb)
    print(f"entropy-performance fit on {fit_name} (R = -a e^H + b): a = {fit.a:.4f}, b = {fit.b:.4f}, "
          f"ceiling b - a = {fit.ceiling:.4f}, r2 = {fit.r2:.3f}")

    checks = entropy_checks(3 if args.quick else 6, 10 if args.quick else 50)
    print("step  realised dH      predicted (cov)   predicted (disc)  frac dH<0 updates  (+Clip_B mu=1: predicted, frac)")
    rel = []
    for step, p, c in checks:
        if abs(p["realised"]) > 1e-9:  # a collapsed policy no longer moves: nothing to compare
            rel.append(abs(p["realised"] - p["predicted_cov"]) / abs(p["realised"]))
        print(f"{step:4d}  {p['realised']:+.6e}  {p['predicted_cov']:+.6e}  {p['predicted_disc']:+.6e}  "
              f"{p['frac_decreasing']:.3f}  ({c['predicted_cov']:+.6e}, {c['frac_decreasing']:.3f})")
    print(f"max relative error of the first-order prediction: {max(rel):.4f}")
    print(f"max |cov form - discriminator form|: {max(abs(p['predicted_cov'] - p['predicted_disc']) for _, p, _ in checks):.3e}")
    print(f"mean fraction of entropy-lowering token updates: plain {np.mean([p['frac_decreasing'] for _, p, _ in checks]):.3f}, "
          f"with Clip_B {np.mean([c['frac_decreasing'] for _, _, c in checks]):.3f}")

    if png:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(1, 2, figsize=(11, 4))
        for name, (st, h, r) in curves.items():
            ax[0].plot(st, h, label=name)
            ax[1].plot(st, r, label=name)
        ax[0].set(xlabel="GRPO step", ylabel="mean token entropy (nats)", title=f"entropy, mean of {seeds} seeds")
        ax[1].set(xlabel="GRPO step", ylabel="batch reward", title="training reward")
        ax[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(png, dpi=110)
        print(f"plot: {png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
