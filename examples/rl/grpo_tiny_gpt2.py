"""EntropyGRPOTrainer on a tiny GPT-2, on CPU, offline: the task "max a b =" -> the larger digit.

1. Build a word-level tokenizer (digits, "max", "=", pad, eos) with ``tokenizers`` and a 2-layer GPT-2 from a config
   (random weights, nothing downloaded).
2. Warm-start it with a short supervised phase on *noisy* answers (right with probability ~0.5), so the policy
   starts with some skill and a lot of entropy.
3. Run TRL's GRPO through :class:`infokit.methods.rl.EntropyGRPOTrainer` with the vanilla loss and with
   Clip-Cov / KL-Cov (``num_iterations=2`` so that the ratio is off-policy), and print the reward and the
   completion entropy before and after.

This checks the plumbing (TRL's inputs -> infokit's losses -> TRL's optimiser) and shows the entropy moving;
it is far too small to say anything about which loss is better.

Usage::

    python examples/rl/grpo_tiny_gpt2.py            # warm start + 100 GRPO steps per loss (a few minutes on CPU)
    python examples/rl/grpo_tiny_gpt2.py --quick    # no warm start, 2 steps, vanilla + clip_cov (seconds)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import warnings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

try:
    import infokit  # noqa: F401
except ImportError:  # pragma: no cover - running from a checkout
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                    "src"))


def build_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    words = ["<pad>", "<eos>"] + [str(d) for d in range(10)] + ["max", "="]
    tok = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words)}, unk_token="<pad>"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="<eos>")
    fast.padding_side = "left"
    return fast


def build_model(tokenizer, seed=0):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=len(tokenizer), n_positions=16, n_embd=32, n_layer=2, n_head=2,
                     bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id,
                     pad_token_id=tokenizer.pad_token_id)
    return GPT2LMHeadModel(cfg)


def prompts(n, seed=0):
    rng = random.Random(seed)
    return [f"max {rng.randrange(10)} {rng.randrange(10)} =" for _ in range(n)]


def answer(prompt):
    # (a + b) mod 10 would be a poor choice: each digit alone carries no information about it, and a tiny
    # transformer sits on a plateau for thousands of steps; the maximum is learnable in a few hundred
    _, a, b, _ = prompt.split()
    return str(max(int(a), int(b)))


def reward_fn(prompts, completions, **kwargs):
    out = []
    for p, c in zip(prompts, completions):
        words = c.split()
        out.append(1.0 if words and words[0] == answer(p) else 0.0)
    return out


def warm_start(model, tokenizer, steps, seed=0, p_right=0.5):
    """Supervised steps on answers that are right with probability ``p_right`` (else a random digit)."""
    import torch

    rng = random.Random(seed)
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        batch = []
        for p in prompts(32, seed=rng.randrange(10**9)):
            a = answer(p) if rng.random() < p_right else str(rng.randrange(10))
            batch.append(f"{p} {a} <eos>")
        enc = tokenizer(batch, return_tensors="pt", padding=True)
        labels = enc["input_ids"].masked_fill(enc["attention_mask"] == 0, -100)
        loss = model(**enc, labels=labels).loss
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()


def evaluate(model, tokenizer, n=64):
    """Mean reward of sampled answers and the mean entropy of the answer token (nats)."""
    import torch

    from infokit.methods.rl import entropy_from_logits

    ps = prompts(n, seed=12345)
    enc = tokenizer(ps, return_tensors="pt", padding=True)
    with torch.no_grad():
        logits = model(**enc).logits[:, -1, :]
        h = entropy_from_logits(logits).mean()
        g = torch.Generator().manual_seed(0)
        tok = torch.multinomial(torch.softmax(logits, -1), 1, generator=g).squeeze(1)
    words = tokenizer.convert_ids_to_tokens(tok.tolist())
    r = sum(1.0 for p, w in zip(ps, words) if w == answer(p)) / n
    return r, float(h)


def run_grpo(loss, base_state, tokenizer, steps, outdir, seed=0):
    import torch
    from datasets import Dataset
    from trl import GRPOConfig

    from infokit.methods.rl.trl_trainer import EntropyGRPOTrainer

    model = build_model(tokenizer, seed)
    model.load_state_dict(base_state)
    kwargs = {}
    if loss == "clip_cov":
        # on this tiny batch (~32 tokens) the paper's r = 2e-4 selects 1 token; the bounds suit A ~ ±1
        kwargs = {"clip_cov_ratio": 0.05, "generator": torch.Generator().manual_seed(seed)}
    elif loss == "kl_cov":
        kwargs = {"kl_cov_ratio": 0.05, "ppo_kl_coef": 1.0}
    args = GRPOConfig(output_dir=outdir, use_cpu=True, bf16=False, report_to=[], save_strategy="no",
                      per_device_train_batch_size=16, num_generations=8, max_completion_length=2,
                      max_steps=steps, learning_rate=5e-3, num_iterations=2, logging_steps=1, seed=seed,
                      temperature=1.0, beta=0.0, disable_tqdm=True)
    ds = Dataset.from_dict({"prompt": prompts(64, seed=seed + 1)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        trainer = EntropyGRPOTrainer(model=model, reward_funcs=reward_fn, args=args, train_dataset=ds,
                                     processing_class=tokenizer, policy_loss=loss, policy_loss_kwargs=kwargs)
        from transformers.trainer_callback import PrinterCallback

        trainer.remove_callback(PrinterCallback)  # keep the output to the labelled numbers below
        trainer.train()
    ent = [m["entropy"] for m in trainer.state.log_history if "entropy" in m]
    rew = [m["reward"] for m in trainer.state.log_history if "reward" in m]
    return model, ent, rew


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 GRPO steps, no warm start (seconds)")
    ap.add_argument("--steps", type=int, default=None)
    ap.add_argument("--warm-steps", type=int, default=None)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, min(2, torch.get_num_threads())))
    steps = args.steps or (2 if args.quick else 100)
    warm = args.warm_steps if args.warm_steps is not None else (0 if args.quick else 400)
    losses = ["vanilla", "clip_cov"] if args.quick else ["vanilla", "clip_cov", "kl_cov"]

    tokenizer = build_tokenizer()
    base = build_model(tokenizer)
    if warm:
        warm_start(base, tokenizer, warm)
    r0, h0 = evaluate(base, tokenizer)
    print(f"warm-start steps: {warm}")
    print(f"before GRPO reward: {r0:.3f}")
    print(f"before GRPO answer entropy (nats): {h0:.4f}")
    state = {k: v.clone() for k, v in base.state_dict().items()}
    with tempfile.TemporaryDirectory() as tmp:
        for loss in losses:
            model, ent, rew = run_grpo(loss, state, tokenizer, steps, tmp)
            r1, h1 = evaluate(model, tokenizer)
            print(f"[{loss}] logged steps: {len(ent)}")
            print(f"[{loss}] first/last step entropy (nats): {ent[0]:.4f} {ent[-1]:.4f}")
            print(f"[{loss}] mean train reward: {sum(rew) / max(1, len(rew)):.3f}")
            print(f"[{loss}] after GRPO reward: {r1:.3f}")
            print(f"[{loss}] after GRPO answer entropy (nats): {h1:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
