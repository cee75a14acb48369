"""Comp-sum losses and attention-entropy diagnostics: time per call beside plain PyTorch, in one process.

Cases (issue 7, items 7-8, "Performance"):

(a) forward + backward of every comp-sum loss (sum-exponential tau = 0, tau = 0.5, cross-entropy tau = 1,
    GCE tau = 1.7, MAE tau = 2, and the smooth adversarial comp-sum loss given adversarial logits) on a batch of
    logits, next to ``torch.nn.functional.cross_entropy`` of the same shape, at (B, C) = (1024, 10) and (256, 1000);
    the ratio is time / F.cross_entropy's time (the price of the family over the fused CE kernel);
(b) attention-entropy diagnostics on a tiny GPT-2 (2 layers, 4 heads, d = 64, eager attention): a no-grad
    forward on (8, 64) tokens bare, with AttentionEntropyMonitor hooks, and with ``output_attentions=True`` plus
    ``attention_entropy_stats`` by hand; and a training step (forward + backward) bare vs with the entropy
    regulariser.

Times are process CPU time with torch on one thread, medians of interleaved rounds (rotating order) after a
warm-up; fast calls are repeated inside a round until it lasts >= 0.05 s.

Usage::

    python benchmarks/bench_losses.py            # (a few tens of seconds)
    python benchmarks/bench_losses.py --quick    # fewer rounds (seconds)

This is a benchmark, not a test: it reports, it never fails.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

try:
    import infokit  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

import torch
import torch.nn.functional as F

from infokit.methods.losses.comp_sum import comp_sum_loss, smooth_adversarial_comp_sum_loss


def _time_once(fn, min_time):
    """CPU seconds per call, repeating the call until one timing lasts >= ``min_time`` (timeit style)."""
    n = 1
    while True:
        t0 = time.process_time()
        for _ in range(n):
            fn()
        t = time.process_time() - t0
        if t >= min_time:
            return t / n
        n = max(2 * n, int(1.2 * n * min_time / max(t, 1e-6)))


def bench(contenders, rounds, min_time):
    """Median CPU seconds per call of each named callable, rounds interleaved with a rotating order."""
    for fn in contenders.values():
        fn()  # warm-up
    times = {k: [] for k in contenders}
    names = list(contenders)
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for k in order:
            times[k].append(_time_once(contenders[k], min_time))
    return {k: statistics.median(v) for k, v in times.items()}


def loss_cases(rounds, min_time):
    rows = []
    for B, C in ((1024, 10), (256, 1000)):
        g = torch.Generator().manual_seed(0)
        base = torch.randn(B, C, generator=g)
        adv0 = base + 0.1 * torch.randn(B, C, generator=g)
        y = torch.randint(0, C, (B,), generator=g)

        def fb(loss_fn):
            def run():
                z = base.clone().requires_grad_(True)
                loss_fn(z).backward()
            return run

        def fb_adv(tau):
            def run():
                z = base.clone().requires_grad_(True)
                a = adv0.clone().requires_grad_(True)
                smooth_adversarial_comp_sum_loss(z, a, y, tau=tau, nu=1.0).backward()
            return run

        contenders = {"F.cross_entropy": fb(lambda z: F.cross_entropy(z, y))}
        for label, tau in (("sum-exp (tau=0)", 0.0), ("comp-sum tau=0.5", 0.5), ("CE (tau=1)", 1.0),
                           ("GCE (tau=1.7)", 1.7), ("MAE (tau=2)", 2.0)):
            contenders[label] = fb(lambda z, tau=tau: comp_sum_loss(z, y, tau=tau))
        contenders["smooth adv. comp-sum (tau=1)"] = fb_adv(1.0)
        med = bench(contenders, rounds, min_time)
        ref = med["F.cross_entropy"]
        for k, v in med.items():
            rows.append((f"B={B}, C={C}", k, v, v / ref))
    return rows


def attention_cases(rounds, min_time):
    import logging

    from transformers import GPT2Config, GPT2LMHeadModel
    from transformers.utils import logging as hf_logging

    from infokit.methods.representations.attention_entropy import (
        AttentionEntropyMonitor,
        attention_entropy_stats,
    )

    hf_logging.set_verbosity_error()
    logging.getLogger("transformers").setLevel(logging.ERROR)
    torch.manual_seed(0)
    cfg = GPT2Config(n_layer=2, n_head=4, n_embd=64, vocab_size=64, n_positions=64, bos_token_id=0, eos_token_id=0,
                     attn_pdrop=0.0, resid_pdrop=0.0, embd_pdrop=0.0, attn_implementation="eager")
    model = GPT2LMHeadModel(cfg)
    x = torch.randint(0, 64, (8, 64), generator=torch.Generator().manual_seed(0))
    w = torch.nn.Parameter(torch.full((4,), 0.5))

    def bare():
        with torch.no_grad():
            model(x)

    mon = AttentionEntropyMonitor(model)

    def hooked():
        with torch.no_grad():
            model(x)
            mon.stats()

    def by_hand():
        with torch.no_grad():
            out = model(x, output_attentions=True)
            attention_entropy_stats(out.attentions)

    # the monitor stays registered, so "bare" must run with the hooks removed: time it in a separate bench
    model.eval()
    med_h = bench({"forward + monitor hooks + stats": hooked}, rounds, min_time)
    mon.remove()
    med = bench({"forward (no grad)": bare, "forward + output_attentions + stats by hand": by_hand}, rounds, min_time)
    med.update(med_h)
    rows = [("GPT-2 2x4, d=64, (8, 64)", k, v, v / med["forward (no grad)"]) for k, v in med.items()]

    model.train()

    def step_bare():
        model.zero_grad()
        model(x, labels=x).loss.backward()

    mon2 = AttentionEntropyMonitor(model, detach=False)

    def step_reg():
        model.zero_grad()
        (model(x, labels=x).loss + 0.05 * mon2.regularization_loss(w)).backward()

    med2 = bench({"train step + entropy regulariser": step_reg}, rounds, min_time)
    mon2.remove()
    med2.update(bench({"train step (fwd + bwd)": step_bare}, rounds, min_time))
    rows += [("GPT-2 2x4, d=64, (8, 64)", k, v, v / med2["train step (fwd + bwd)"]) for k, v in med2.items()]
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-attention", action="store_true", help="skip the GPT-2 part (no transformers needed)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    rounds, min_time = (3, 0.02) if args.quick else (7, 0.05)
    print(f"# bench_losses  torch {torch.__version__}, {platform.processor() or platform.machine()}, 1 thread, "
          f"CPU time, median of {rounds} rounds")
    print("\n| shape | contender | median per call | ratio to baseline |")
    print("|---|---|---:|---:|")
    for shape, k, v, r in loss_cases(rounds, min_time):
        print(f"| {shape} | {k} | {v * 1e6:,.0f} µs | {r:.2f} |")
    if not args.no_attention:
        try:
            rows = attention_cases(rounds, min_time)
        except ImportError as exc:  # transformers missing
            print(f"\n(attention part skipped: {exc})")
            return 0
        print("\n| model, batch | contender | median per call | ratio to baseline |")
        print("|---|---|---:|---:|")
        for shape, k, v, r in rows:
            print(f"| {shape} | {k} | {v * 1e3:,.2f} ms | {r:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
