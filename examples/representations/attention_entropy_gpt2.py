"""Attention entropy diagnostics and the entropy regulariser (Jha & Reagen 2025, arXiv 2501.03489) on a tiny GPT-2.

A randomly initialised GPT-2 (2 layers, 4 heads, d = 64, context 64; transformers' GPT2LMHeadModel with eager
attention) is trained character-level on a small text built into this script (a short passage plus ~70k
characters from a seeded toy grammar; the last 10% is held out), in three arms:

* standard       -- the usual GPT-2 block (LayerNorm, GELU MLP);
* softmax-only   -- LayerNorms and the MLP's GELU replaced by identities (the paper's nonlinearity-reduced,
                    private-inference-friendly setting, in which it reports entropic overload);
* softmax-only + entropy regulariser -- the paper's penalty (learnable per-head thresholds w_h, tolerance 0.2,
                    causal per-row maximum log(i+1)), weight `--reg`.

For each arm it prints the validation loss (nats/char) and, per layer, the mean normalised attention entropy
E_i / log(i+1) of the heads and the fraction of "overloaded" heads (normalised entropy > 0.9), measured by
forward hooks (AttentionEntropyMonitor). It also checks that the hooks give exactly the entropies computed by hand
from `output_attentions`. This is a scaled-down look at the paper's diagnostic, not a reproduction of its
perplexity numbers (GPT-2 scale, GPU).

Run:  python examples/representations/attention_entropy_gpt2.py [--quick]
"""

from __future__ import annotations

import argparse

import numpy as np

TEXT = """\
Information is what remains when the noise is gone. A message is a choice among many, and the measure of the
choice is its entropy: the average number of questions one must ask to learn which message was sent. When every
message is equally likely, the entropy is largest; when one message is certain, it is zero. A transformer reads a
sentence one token at a time, and every head of its attention looks back over the tokens already seen. Each head
spreads its attention as a distribution over those tokens. If the distribution is flat, the head has no opinion
and listens to everything at once; if it is sharp, the head has chosen a single token to copy. Both extremes can
hurt. A flat head wastes its capacity, and a sharp head in a deep layer can make training unstable. The entropy of
the attention rows tells us which regime a head is in. Early in a sentence there are few tokens to attend to, so
the largest possible entropy is small; later there are many, and the largest entropy grows like the logarithm of
the position. A careful measurement divides the entropy of each row by the logarithm of the number of tokens the
row may see. The old lighthouse keeper wrote in his log every night. The sea was calm, the wind came from the west,
and three ships passed before midnight. In the morning he climbed the stairs, cleaned the great lens, and counted
the gulls on the rocks below. Some days there were eleven, some days forty, and once, after a storm, there were
none at all. He wrote the numbers in a column and wondered what they meant. A child asked him why he counted the
birds. He said that a number written every day becomes a story, and a story read slowly becomes a law. The child
did not understand, but she started to count the waves.
"""


SUBJECTS = ["the keeper", "a child", "the old sailor", "every head", "the model", "a gull", "the storm", "my sister",
            "the teacher", "one ship"]
VERBS = ["counts", "watches", "remembers", "copies", "follows", "finds", "writes", "hears", "carries", "forgets"]
OBJECTS = ["the waves", "three ships", "the light", "a long story", "the first token", "every number",
           "the cold wind", "the red lamp", "a quiet song", "the last word"]
PLACES = ["on the rocks", "after midnight", "in the morning", "near the harbour", "before the storm",
          "at the top of the stairs", "under the lamp", "by the sea"]


def build_text(n_sentences, seed=0):
    """The built-in passage followed by sentences from a small seeded grammar (so that held-out text comes from
    the same distribution and the validation loss measures learning, not memorisation of 1.7k characters)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_sentences):
        s = f"{SUBJECTS[rng.integers(10)]} {VERBS[rng.integers(10)]} {OBJECTS[rng.integers(10)]}"
        if rng.random() < 0.6:
            s += " " + PLACES[rng.integers(8)]
        if rng.random() < 0.3:
            s += f" and {VERBS[rng.integers(10)]} {OBJECTS[rng.integers(10)]}"
        out.append(s[0].upper() + s[1:] + ".")
    return TEXT + " ".join(out) + "\n"


def _batches(data, n, seq, batch, gen):
    import torch

    idx = torch.randint(0, n - seq - 1, (batch,), generator=gen)
    x = torch.stack([data[i:i + seq] for i in idx])
    return x


def build_model(vocab, *, softmax_only, seed, ctx):
    import torch
    from torch import nn
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    cfg = GPT2Config(n_layer=2, n_head=4, n_embd=64, n_positions=ctx, vocab_size=vocab, bos_token_id=0,
                     eos_token_id=0, attn_pdrop=0.0, resid_pdrop=0.0, embd_pdrop=0.0, attn_implementation="eager")
    model = GPT2LMHeadModel(cfg)
    if softmax_only:
        for block in model.transformer.h:
            block.ln_1, block.ln_2 = nn.Identity(), nn.Identity()
            block.mlp.act = nn.Identity()
        model.transformer.ln_f = nn.Identity()
    return model


def evaluate(model, data, n, seq, gen):
    import torch

    from infokit.methods.representations.attention_entropy import AttentionEntropyMonitor

    model.eval()
    with torch.no_grad(), AttentionEntropyMonitor(model) as mon:
        x = _batches(data, n, seq, 64, gen)
        loss = model(x, labels=x).loss.item()
        stats = mon.stats()
    model.train()
    return loss, stats


def run_arm(name, data_tr, data_va, vocab, *, softmax_only, reg, steps, seed, seq=64, batch=16, lr=3e-3):
    import torch

    from infokit.methods.representations.attention_entropy import AttentionEntropyMonitor

    model = build_model(vocab, softmax_only=softmax_only, seed=seed, ctx=seq)
    w = torch.nn.Parameter(torch.full((4,), 0.5))  # per-head thresholds w_h (learnable, shared across layers)
    params = list(model.parameters()) + ([w] if reg > 0 else [])
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    gen = torch.Generator().manual_seed(seed)
    init_loss, init_stats = evaluate(model, data_va, len(data_va), seq, torch.Generator().manual_seed(99))
    mon = AttentionEntropyMonitor(model, detach=False) if reg > 0 else None
    for _ in range(steps):
        x = _batches(data_tr, len(data_tr), seq, batch, gen)
        loss = model(x, labels=x).loss
        if mon is not None:
            loss = loss + reg * mon.regularization_loss(w)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
    if mon is not None:
        mon.remove()
    val, stats = evaluate(model, data_va, len(data_va), seq, torch.Generator().manual_seed(99))
    return init_loss, init_stats, val, stats


def hook_check(vocab, data, seq):
    import torch

    from infokit.methods.representations.attention_entropy import AttentionEntropyMonitor, attention_row_entropy

    model = build_model(vocab, softmax_only=False, seed=0, ctx=seq).eval()
    x = _batches(data, len(data), seq, 4, torch.Generator().manual_seed(5))
    with torch.no_grad(), AttentionEntropyMonitor(model) as mon:
        out = model(x, output_attentions=True)
    return max(float((h - attention_row_entropy(a)).abs().max()) for h, a in zip(mon.entropies, out.attentions))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 steps per arm (seconds)")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--reg", type=float, default=0.05, help="weight of the entropy regulariser")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    steps = args.steps or (20 if args.quick else 800)
    text = build_text(1500)
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    cut = int(0.9 * len(data))
    data_tr, data_va = data[:cut], data[cut - 64:]
    seq = 64
    print(f"text: {len(text)} chars (last 10% held out), vocab {len(chars)}; GPT-2 2 layers x 4 heads, d=64, "
          f"context {seq}; "
          f"{steps} AdamW steps per arm, batch 16")
    print(f"hooks vs output_attentions max |diff| (nats): {hook_check(len(chars), data, seq):.3g}")
    arms = [("standard", False, 0.0), ("softmax-only", True, 0.0), ("softmax-only + entropy reg", True, args.reg)]
    for name, so, reg in arms:
        init_loss, init_stats, val, stats = run_arm(name, data_tr, data_va, len(chars), softmax_only=so, reg=reg,
                                                    steps=steps, seed=args.seed)
        print(f"-- {name}")
        print(f"   {name} val loss at init (nats/char): {init_loss:.3f}")
        print(f"   {name} val loss after training (nats/char): {val:.3f}")
        for l in range(stats.normalized.shape[0]):
            ni = init_stats.normalized[l]
            nt = stats.normalized[l]
            print(f"   {name} layer {l} normalized entropy init: {ni.mean():.3f}  trained: {nt.mean():.3f}  "
                  f"heads {np.round(nt.numpy(), 3).tolist()}")
            print(f"   {name} layer {l} overloaded head fraction (>0.9) init: "
                  f"{float(init_stats.fraction_overloaded()[l]):.2f}  "
                  f"trained: {float(stats.fraction_overloaded()[l]):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
