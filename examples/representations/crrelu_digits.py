"""CRReLU (EAFO; Sun et al. 2024, arXiv 2405.12954) against ReLU and GELU: a small MLP on scikit-learn digits.

The paper reports CRReLU gains on ViTs (CIFAR-10/100, ImageNet-1K) and in LLM fine-tuning. This is a CPU-sized
no-regression check on bundled data (1797 8x8 digits): a 3-hidden-layer MLP (64-128-128-128-10), AdamW,
identical data split and initialisation for the three activations within each seed (a paired comparison), several
seeds. It prints the mean +- sd test accuracy per activation, the paired difference CRReLU - ReLU / - GELU, and the
learned epsilon. On data this small the differences are expected to be within seed noise; the script says so
when they are (|mean diff| < 2 sd of the paired differences / sqrt(seeds)).

Run:  python examples/representations/crrelu_digits.py [--quick]
"""

from __future__ import annotations

import argparse
import math

import numpy as np


def _data(seed):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
    mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6  # standardise with train statistics only
    return (Xtr - mu) / sd, ytr, (Xte - mu) / sd, yte


def _model(act_name, width, depth):
    from torch import nn

    from infokit.methods.representations.crrelu import CRReLU

    def act():
        return {"relu": nn.ReLU(), "gelu": nn.GELU(), "crrelu": CRReLU()}[act_name]

    layers, d = [], 64
    for _ in range(depth):
        layers += [nn.Linear(d, width), act()]
        d = width
    layers.append(nn.Linear(d, 10))
    return nn.Sequential(*layers)


def train_one(act_name, seed, *, epochs, width=128, depth=3, batch=64, lr=2e-3):
    import torch

    Xtr, ytr, Xte, yte = _data(seed)
    Xtr, Xte = torch.tensor(Xtr, dtype=torch.float32), torch.tensor(Xte, dtype=torch.float32)
    ytr, yte = torch.tensor(ytr), torch.tensor(yte)
    torch.manual_seed(seed)
    model = _model(act_name, width, depth)
    eps_params = [p for n, p in model.named_parameters() if n.endswith("epsilon")]
    others = [p for n, p in model.named_parameters() if not n.endswith("epsilon")]
    # epsilon is a scalar gain: no weight decay on it (the paper does not specify; see CRReLU's Notes)
    opt = torch.optim.AdamW([{"params": others, "weight_decay": 1e-4},
                             {"params": eps_params, "weight_decay": 0.0}], lr=lr)
    gen = torch.Generator().manual_seed(seed)
    n = len(ytr)
    for _ in range(epochs):
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            loss = torch.nn.functional.cross_entropy(model(Xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        acc = (model(Xte).argmax(1) == yte).float().mean().item()
    eps = [p.item() for p in eps_params]
    return acc, eps


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2 seeds, 6 epochs (seconds)")
    ap.add_argument("--seeds", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=None)
    args = ap.parse_args(argv)
    import torch

    torch.set_num_threads(1)
    seeds = args.seeds or (2 if args.quick else 10)
    epochs = args.epochs or (6 if args.quick else 60)
    acts = ("relu", "gelu", "crrelu")
    accs = {a: [] for a in acts}
    eps_all = []
    for s in range(seeds):
        for a in acts:
            acc, eps = train_one(a, s, epochs=epochs)
            accs[a].append(acc)
            if a == "crrelu":
                eps_all += eps
    print(f"MLP 64-128-128-128-10 on sklearn digits (30% test), {seeds} seeds, {epochs} epochs, AdamW lr 2e-3")
    for a, label in zip(acts, ("ReLU", "GELU", "CRReLU")):
        v = np.array(accs[a]) * 100
        print(f"{label} test accuracy % mean: {v.mean():.2f}  sd: {v.std(ddof=1) if seeds > 1 else 0.0:.2f}")
    for base, label in (("relu", "ReLU"), ("gelu", "GELU")):
        d = (np.array(accs["crrelu"]) - np.array(accs[base])) * 100
        sd = d.std(ddof=1) if seeds > 1 else 0.0
        se = sd / math.sqrt(seeds)
        verdict = "within seed noise" if abs(d.mean()) < 2 * se or se == 0 else (
            "CRReLU better" if d.mean() > 0 else "CRReLU worse")
        print(f"paired diff CRReLU - {label} (points): {d.mean():+.2f}  sd: {sd:.2f}  ({verdict})")
    print(f"CRReLU learned epsilon mean: {np.mean(eps_all):.4f}  (init 0.01; range {min(eps_all):.4f} .. "
          f"{max(eps_all):.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
