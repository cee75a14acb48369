"""Epiplexity vs time-bounded entropy: a structured source and a pseudorandom one with the same Shannon entropy.

Paper 3 of the reading list: Finzi, Qiu, Jiang, Izmailov, Kolter & Wilson (2026), "From Entropy to Epiplexity:
Rethinking Information for Computationally Bounded Intelligence", arXiv:2601.03220. Claim: for a computationally
bounded observer, data splits into structure it can learn (epiplexity S_T, the length of the best model within
budget T) and what still looks random (time-bounded entropy H_T); a pseudorandom generator's output has low Shannon
entropy (its seed) but high H_T and ~zero S_T, while structured data has S_T > 0. The paper shows it with GPTs on
cellular automata, chess, text (Pareto frontiers of two-part codes over model-size × training-length sweeps).

What this reproduces, and at what scale
---------------------------------------
Two sources of binary sequences of length 60, both a deterministic function of a uniform 20-bit seed written as
the first 20 bits, so **both have Shannon entropy exactly 20 bits per sequence**:

* ``structured``   — bits 20..59 repeat the seed (x_t = x_{t−20});
* ``pseudorandom`` — bits 20..59 are a hash of the seed (SplitMix64 of seed and position).

Model family: next-bit MLPs reading the previous 20 bits and the position (one-hot), widths {4, 16, 64}, Adam, fresh
samples every step (batch 64 sequences = 3840 tokens). Code lengths (nats → reported in bits): K(M) by the
prequential estimate (``prequential_code_length``: area between the held-out loss curve, measured at checkpoints,
and its final value), K(X|M) = held-out loss × D_test with D_test = 10⁴ sequences (6·10⁵ tokens).
Each checkpoint of a run counts as a run of that length (one run per width; a shortcut over the paper's separate
runs per length). Compute = 6·P·(training tokens) + 2·P·D_test. ``epiplexity`` reads S_T and H_T at the largest
budget; both are reported per test sequence for H_T and in total for S_T.

Measured (defaults; ≈ 8 min on a loaded 2-core machine): structured H_T = 22.1 bits per sequence (Shannon: 20),
S_T = 1.2·10⁵ bits, best loss 0.368 bits/token; pseudorandom H_T = 60.0 bits per sequence, S_T = 0 (raw area
−1.9 bits), loss 1.000 bits/token: same Shannon entropy, opposite split into structure and apparent randomness.

Run::

    python examples/representations/epiplexity.py [--quick] [--steps N]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import torch

from infokit.methods.representations.epiplexity import epiplexity, prequential_code_length

N_SEED, LENGTH = 20, 60
D_TEST_SEQS = 10_000


def _splitmix64(x):
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def sample(source, n, rng):
    seeds = rng.integers(0, 2**N_SEED, size=n, dtype=np.uint64)
    head = ((seeds[:, None] >> np.arange(N_SEED, dtype=np.uint64)[None, :]) & np.uint64(1)).astype(np.float32)
    if source == "structured":
        tail = np.tile(head, (1, LENGTH // N_SEED - 1))
    else:
        pos = np.arange(N_SEED, LENGTH, dtype=np.uint64)
        with np.errstate(over="ignore"):
            h = _splitmix64(seeds[:, None] * np.uint64(1_000_003) + pos[None, :])
        tail = ((h >> np.uint64(29)) & np.uint64(1)).astype(np.float32)
    return np.concatenate([head, tail], axis=1)


def features(x):
    """(n, L) bits -> (n·L, 20 + L) inputs: the previous 20 bits (0 before the start) and the one-hot position."""
    n = x.shape[0]
    padded = np.concatenate([np.zeros((n, N_SEED), np.float32), x], axis=1)
    idx = np.arange(LENGTH)[:, None] + np.arange(N_SEED)[None, :]  # window [t-20, t)
    ctx = padded[:, idx]  # (n, L, 20)
    pos = np.broadcast_to(np.eye(LENGTH, dtype=np.float32), (n, LENGTH, LENGTH))
    return torch.from_numpy(np.concatenate([ctx, pos], axis=2).reshape(n * LENGTH, -1)), torch.from_numpy(x.reshape(-1))


def run(source, width, steps, seed, n_checkpoints=12, n_test=2000):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = torch.nn.Sequential(torch.nn.Linear(N_SEED + LENGTH, width), torch.nn.ReLU(), torch.nn.Linear(width, 1))
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    x_te, y_te = features(sample(source, n_test, np.random.default_rng(10_000 + seed)))
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    checkpoints = sorted(set(np.unique(np.geomspace(1, steps, n_checkpoints).astype(int))) | {0})
    tokens, losses = [], []
    for step in range(steps + 1):
        if step in checkpoints:
            with torch.no_grad():
                losses.append(float(bce(model(x_te).squeeze(1), y_te)))
            tokens.append(step * 64 * LENGTH)
        if step == steps:
            break
        xb, yb = features(sample(source, 64, rng))
        opt.zero_grad()
        bce(model(xb).squeeze(1), yb).backward()
        opt.step()
    rows = []
    d_test = D_TEST_SEQS * LENGTH
    for i in range(1, len(tokens)):
        k_model = prequential_code_length(losses[: i + 1], np.asarray(tokens[: i + 1], float))
        rows.append({
            "compute": 6 * n_params * tokens[i] + 2 * n_params * d_test,
            "k_model_raw": k_model,
            "k_model": max(k_model, 0.0),  # a flat (pseudorandom) curve gives 0 up to evaluation noise
            "k_data": losses[i] * d_test,
            "loss": losses[i],
        })
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="150 steps, widths {4, 16}, 400 test sequences (CI)")
    ap.add_argument("--steps", type=int, default=2000)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    steps, widths, n_test = (150, (4, 16), 400) if args.quick else (args.steps, (4, 16, 64), 2000)
    t0 = time.perf_counter()
    ln2 = math.log(2)
    print(f"Shannon entropy of both sources: {N_SEED} bits per sequence of {LENGTH} bits; D_test = {D_TEST_SEQS} sequences")
    for source in ("structured", "pseudorandom"):
        rows = [r for w in widths for r in run(source, w, steps, seed=0, n_test=n_test)]
        res = epiplexity([r["compute"] for r in rows], [r["k_model"] for r in rows], [r["k_data"] for r in rows],
                         base=2)
        best = rows[res.index]
        print(f"{source}: best held-out loss {best['loss'] / ln2:.4f} bits/token, frontier runs {len(res.frontier)}"
              f" of {len(rows)}, raw prequential K(M) {best['k_model_raw'] / ln2:.1f} bits")
        print(f"epiplexity S_T {source} (bits): {res.epiplexity:.1f}")
        print(f"time-bounded entropy H_T {source} (bits per sequence): {res.time_bounded_entropy / D_TEST_SEQS:.3f}")
    print(f"elapsed seconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
