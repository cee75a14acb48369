"""Entropy-control policy losses: time beside the vanilla PPO loss, in one process.

Cases (the issue's "Performance" section):

(a) log-prob losses on ``[64, 4096]`` tokens (B = 64 responses of T = 4096 tokens, a quarter of them padding):
    vanilla dual-clip PPO (the baseline), Clip-Cov, KL-Cov, STEER, Clip_B, EPO; target <= 1.5x vanilla for the
    covariance-based losses (Clip-Cov, KL-Cov). Forward alone and forward + backward.
(b) SIREN on ``[8, 512, 32000]`` logits: vanilla PPO on log-probs gathered from the logits vs the same plus the
    SIREN regulariser (top-p entropy over the top-10 000, peak-entropy mask, anchor), and the plain full-vocabulary
    entropy (what TRL / verl compute) for scale.

Times are process CPU-time medians of interleaved repeats after a warm-up round (robust to a shared, loaded
machine), on one thread (``torch.set_num_threads(1)``).
Every loss runs without host-device synchronisation (tests/methods/rl/test_losses.py checks this); on CPU that
does not show, on a GPU it is what keeps the ratios small.

Usage::

    python benchmarks/bench_rl.py            # full sizes (about a minute on one core; ~3 GB for case b)
    python benchmarks/bench_rl.py --quick    # [16, 1024] tokens and [2, 128, 8000] logits (seconds)

This is a benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

try:  # run from a checkout without installing: use the source tree
    import infokit  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

import torch

from infokit.methods.rl import (
    EntropyHistory,
    SirenRegularizer,
    entropy_from_logits,
    policy_loss_clip_b,
    policy_loss_clip_cov,
    policy_loss_epo,
    policy_loss_kl_cov,
    policy_loss_siren,
    policy_loss_steer,
    policy_loss_vanilla,
)


def timed_round_robin(fns, repeat):
    """Median wall time of each of ``fns`` (a dict), the calls interleaved (one of each per round) so that a
    shared, loaded machine slows every function alike; one warm-up round first."""
    for fn in fns.values():
        fn()
    ts = {k: [] for k in fns}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.process_time()
            fn()
            ts[k].append(time.process_time() - t)
    return {k: statistics.median(v) for k, v in ts.items()}


def token_case(b, t, repeat):
    g = torch.Generator().manual_seed(0)
    old = -torch.rand(b, t, generator=g) * 4
    lp0 = old + 0.05 * torch.randn(b, t, generator=g)
    adv = torch.randn(b, 1, generator=g).expand(b, t).contiguous()
    lengths = torch.randint(t // 2, t + 1, (b,), generator=g)
    mask = (torch.arange(t)[None] < lengths[:, None]).float()
    ent = torch.rand(b, t, generator=g) * 3
    hist = EntropyHistory(1)
    hist.update([1.5])
    gen = torch.Generator().manual_seed(1)
    losses = {
        "vanilla PPO (baseline)": lambda lp: policy_loss_vanilla(old, lp, adv, mask),
        "Clip-Cov": lambda lp: policy_loss_clip_cov(old, lp, adv, mask, generator=gen),
        "KL-Cov": lambda lp: policy_loss_kl_cov(old, lp, adv, mask),
        "STEER": lambda lp: policy_loss_steer(old, lp, adv, mask, entropy=ent),
        "Clip_B": lambda lp: policy_loss_clip_b(old, lp, adv, mask, entropy=ent),
        "EPO (history band)": lambda lp: policy_loss_epo(old, lp, adv, mask, entropy=ent, history=hist),
    }
    return _rows(losses, lambda fn: fn(lp0), lambda fn: fn(lp0.clone().requires_grad_(True))[0].backward(), repeat)


def _rows(cases, fwd, fwd_bwd, repeat):
    def no_grad(fn):
        def run():
            with torch.no_grad():
                fwd(fn)
        return run

    f = timed_round_robin({k: no_grad(fn) for k, fn in cases.items()}, repeat)
    fb = timed_round_robin({k: (lambda fn=fn: fwd_bwd(fn)) for k, fn in cases.items()}, repeat)
    return [(k, f[k], fb[k]) for k in cases]


def logits_case(b, t, v, repeat):
    g = torch.Generator().manual_seed(2)
    logits0 = torch.randn(b, t, v, generator=g) * 2
    tokens = torch.randint(0, v, (b, t), generator=g)
    adv = torch.randn(b, 1, generator=g).expand(b, t).contiguous()
    mask = torch.ones(b, t)
    with torch.no_grad():
        old = torch.log_softmax(logits0, -1).gather(-1, tokens[..., None]).squeeze(-1)
    reg = SirenRegularizer(top_k=min(10_000, v))

    def logp(z):
        return torch.log_softmax(z, -1).gather(-1, tokens[..., None]).squeeze(-1)

    cases = {
        "vanilla PPO from logits (baseline)": lambda z: policy_loss_vanilla(old, logp(z), adv, mask)[0],
        "vanilla + full entropy bonus": lambda z: policy_loss_vanilla(old, logp(z), adv, mask)[0]
        - 0.001 * entropy_from_logits(z).mean(),
        "SIREN (vanilla + regulariser)": lambda z: policy_loss_siren(old, logp(z), adv, mask, logits=z,
                                                                    regularizer=reg)[0],
    }
    return _rows(cases, lambda fn: fn(logits0), lambda fn: fn(logits0.clone().requires_grad_(True)).backward(), repeat)


def table(title, rows):
    base_f, base_b = rows[0][1], rows[0][2]
    print(f"\n{title}")
    print(f"{'loss':38s} {'fwd (ms)':>10s} {'ratio':>7s} {'fwd+bwd (ms)':>13s} {'ratio':>7s}")
    for name, f, fb in rows:
        print(f"{name:38s} {1e3 * f:10.2f} {f / base_f:7.2f} {1e3 * fb:13.2f} {fb / base_b:7.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=None)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    repeat = args.repeat or (9 if args.quick else 15)
    bt = (16, 1024) if args.quick else (64, 4096)
    btv = (2, 128, 8000) if args.quick else (8, 512, 32_000)
    print(f"infokit bench_rl: torch {torch.__version__}, {platform.processor() or platform.machine()}, 1 thread, "
          f"median CPU time of {repeat}")
    table(f"(a) log-prob losses on [{bt[0]}, {bt[1]}] tokens", token_case(*bt, repeat))
    table(f"(b) logits losses on [{btv[0]}, {btv[1]}, {btv[2]}]", logits_case(*btv, max(3, repeat // 3)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
