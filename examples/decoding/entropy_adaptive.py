"""Entropy Adaptive Decoding (Simonds 2025, arXiv 2502.06833): a small and a large model take turns by rolling
entropy; sweep the threshold and trade large-model usage for agreement with the large model.

The paper pairs two sizes of one family (LLaMA 3B/11B, Qwen 1.5B/14B) and reports, on MATH, 96.7 % of the large
model's accuracy with the large model on 43 % of tokens (LLaMA) and 92.9 % with 25 % (Qwen). No second offline
model shares SmolLM2's tokenizer, so the pair here is built from one checkpoint: large = SmolLM2-135M-Instruct
(30 layers), small = its first ``--layers`` decoder blocks with the same embeddings and head ("early exit").
For each threshold (bits, window 5) the script prints the large-token fraction, the relative cost
(f_L N_L + (1 - f_L) N_S) / N_L, the token agreement with large-only greedy output, the mean log-likelihood of
the output under the large model and the wall time.
Quick mode (or without the model): the same sweep on a tiny random Llama (4 layers; small = first layer).

Run:  python examples/decoding/entropy_adaptive.py [--quick] [--layers 26] [--tokens 32] [--taus 0.25 0.5 1 2 4]
"""

from __future__ import annotations

import argparse
import math
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _offline_models import load_smollm2, smollm2_available  # noqa: E402

from infokit.methods.decoding.adaptive import EntropyAdaptiveDecoder, truncated_layers_model  # noqa: E402

PROMPTS = [
    "Question: A farmer has 12 cows and buys 7 more. Then 5 cows are sold. How many cows does the farmer have?\n"
    "Answer: Let's think step by step.",
    "Write one sentence about why the sky looks blue during the day.",
]


def tiny_pair():
    import transformers

    cfg = transformers.LlamaConfig(vocab_size=512, hidden_size=64, intermediate_size=128, num_hidden_layers=4,
                                   num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256)
    torch.manual_seed(0)
    large = transformers.LlamaForCausalLM(cfg).eval()
    with torch.no_grad():
        large.lm_head.weight.mul_(6.0)  # a random model is near-uniform; sharpen it so entropies vary
    return truncated_layers_model(large, 1), large


def loglik(model, seq, n_prompt):
    with torch.no_grad():
        lp = torch.log_softmax(model(seq).logits[0, n_prompt - 1:-1].float(), -1)
    return float(lp.gather(-1, seq[0, n_prompt:, None]).mean())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--layers", type=int, default=26, help="decoder blocks of the small (early-exit) model")
    ap.add_argument("--taus", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0, 4.0], help="thresholds (bits)")
    ap.add_argument("--tokens", type=int, default=32)
    args = ap.parse_args(argv)
    use_model = not args.quick and smollm2_available()
    if use_model:
        large, tok = load_smollm2()
        small = truncated_layers_model(large, args.layers)
        prompts = [tok(p, return_tensors="pt").input_ids for p in PROMPTS]
        n_tokens = args.tokens
        print(f"pair: SmolLM2-135M ({large.config.num_hidden_layers} layers) vs its first {args.layers} layers")
    else:
        small, large = tiny_pair()
        g = torch.Generator().manual_seed(1)
        prompts = [torch.randint(0, 512, (1, 12), generator=g) for _ in range(2)]
        n_tokens = 16
        print("pair: tiny random Llama (4 layers) vs its first layer")

    ref_dec = EntropyAdaptiveDecoder(small, large, -math.inf)
    refs = [ref_dec.generate(p, max_new_tokens=n_tokens) for p in prompts]
    small_only = [EntropyAdaptiveDecoder(small, large, math.inf).generate(p, max_new_tokens=n_tokens) for p in prompts]
    ent_small = torch.cat([o.entropy[0] for o in small_only])
    print(f"small-model entropy (bits) quartiles: {[round(float(q), 2) for q in torch.quantile(ent_small, torch.tensor([0.25, 0.5, 0.75], dtype=torch.float64))]}")
    taus = list(args.taus) if use_model else [round(float(q), 2) for q in
                                                  torch.quantile(ent_small, torch.tensor([0.25, 0.5, 0.75], dtype=torch.float64))]
    n_s, n_l = ref_dec.param_counts
    print(f"parameters: small {n_s / 1e6:.1f} M, large {n_l / 1e6:.1f} M")
    print(f"\n{'tau (bits)':>10} {'large frac':>10} {'rel. cost':>9} {'agree w/ L':>10} {'loglik_L':>9} "
          f"{'switches':>8} {'catch-up':>8} {'wall s':>7}")
    rows = []
    for tau in [-math.inf] + taus + [math.inf]:
        dec = EntropyAdaptiveDecoder(small, large, tau, window=5, log_base=2.0)
        t0 = time.perf_counter()
        outs = [dec.generate(p, max_new_tokens=n_tokens) for p in prompts]
        wall = time.perf_counter() - t0
        frac = sum(int((o.source == 1).sum()) for o in outs) / sum(sum(o.num_new_tokens) for o in outs)
        agree = sum(float((o.sequences == r.sequences)[0, p.shape[1]:].float().mean())
                    for o, r, p in zip(outs, refs, prompts)) / len(prompts)
        ll = sum(loglik(large, o.sequences, p.shape[1]) for o, p in zip(outs, prompts)) / len(prompts)
        cost = outs[0].relative_cost() if len(outs) == 1 else (frac * n_l + (1 - frac) * n_s) / n_l
        sw = sum(o.switches for o in outs)
        cu = sum(o.catchup_tokens["small"] + o.catchup_tokens["large"] for o in outs)
        rows.append((tau, frac, cost, agree, ll, wall))
        print(f"{tau:>10} {frac:>10.3f} {cost:>9.3f} {agree:>10.3f} {ll:>9.3f} {sw:>8} {cu:>8} {wall:>7.1f}")
    for tau, frac, cost, agree, ll, wall in rows:
        print(f"tau={tau} large fraction: {frac:.3f}")
        print(f"tau={tau} agreement with large-only: {agree:.3f}")
    fracs = [r[1] for r in rows]
    print(f"large fraction non-increasing in tau: {int(all(a >= b for a, b in zip(fracs, fracs[1:])))}")
    if use_model:
        print("\nsample (tau = 1 bit):", repr(tok.decode(EntropyAdaptiveDecoder(small, large, 1.0).generate(
            prompts[1], max_new_tokens=n_tokens).sequences[0, prompts[1].shape[1]:], skip_special_tokens=True)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
