"""MMCR vs a contrastive (SimCLR / InfoNCE) baseline: self-supervised features of 8×8 digits, linear-probe accuracy.

Paper 17 of the reading list: Yerxa, Kuang, Simoncelli & Chung (2023), "Learning Efficient Coding of Natural
Images with Maximum Manifold Capacity Representations", NeurIPS 2023, arXiv:2303.03307. The paper pretrains
ResNets with the MMCR loss (−nuclear norm of the matrix of view-centroids) and reports linear-probe accuracy on
CIFAR/STL/ImageNet on par with or above contrastive and non-contrastive SSL baselines.

What this reproduces, and at what scale
---------------------------------------
scikit-learn's bundled 8×8 digits (no download): 1200 unlabelled training images, 597 test images. Encoder MLP
64-256-128 (ReLU) + projector 128-64; augmentations: ±1 px shifts, intensity scaling ×U(0.8, 1.2), Gaussian
noise σ = 0.1 and, with probability ½, a zeroed 3×3 patch. Arms with the same number of embeddings per step (256):

* ``mmcr``     — B = 32 images × K = 8 views, loss :func:`infokit.methods.representations.mmcr.mmcr_loss`;
* ``simclr``   — B = 128 images × 2 views, NT-Xent (InfoNCE) with τ = 0.5;
* ``random``   — the untrained encoder;
* ``pixels``   — the raw 64 pixels (probe on the input itself).

Both SSL arms: Adam 1e-3, the same number of epochs. Linear probe: multinomial logistic regression on the 128-d
encoder output (standardised) fitted on the 1200 training labels, accuracy on the 597 test images, and the same
probe fitted on only 5 labelled images per class (mean of 5 draws), where the representation matters more (with
all labels even raw pixels reach ~0.97 on digits); mean over seeds.
Also printed: the nuclear norm of the test-set centroid matrix (views of each image) normalised by its maximum B,
the quantity MMCR maximises.

Measured (3 seeds, 60 epochs; ≈ 12 min on a loaded 2-core machine): linear probe MMCR 0.977, SimCLR 0.970,
untrained encoder 0.972, pixels 0.966; with 5 labels per class MMCR 0.876, SimCLR 0.852, untrained 0.832,
pixels 0.834; ‖M‖_*/B of the test views 0.316 (MMCR), 0.319 (SimCLR), 0.294 (untrained). MMCR is on par with /
slightly above the contrastive baseline, the paper's qualitative claim.

Run::

    python examples/representations/mmcr_digits.py [--quick] [--epochs N] [--seeds N]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from infokit.methods.representations.mmcr import mmcr_loss


def augment(x, g):
    """x (N, 64) in [0, 1] -> one augmented view per row."""
    n = x.shape[0]
    img = torch.nn.functional.pad(x.reshape(n, 1, 8, 8), (1, 1, 1, 1))
    dx = torch.randint(0, 3, (n,), generator=g)
    dy = torch.randint(0, 3, (n,), generator=g)
    rows = (dy[:, None] + torch.arange(8)[None, :])[:, :, None].expand(n, 8, 8)
    cols = (dx[:, None] + torch.arange(8)[None, :])[:, None, :].expand(n, 8, 8)
    out = img[torch.arange(n)[:, None, None], 0, rows, cols]
    out = out * (0.8 + 0.4 * torch.rand(n, 1, 1, generator=g))
    erase = torch.rand(n, generator=g) < 0.5
    ex, ey = torch.randint(0, 6, (n,), generator=g), torch.randint(0, 6, (n,), generator=g)
    r = torch.arange(8)
    patch = ((r[None, :, None] >= ey[:, None, None]) & (r[None, :, None] < ey[:, None, None] + 3)
             & (r[None, None, :] >= ex[:, None, None]) & (r[None, None, :] < ex[:, None, None] + 3))
    out = torch.where(patch & erase[:, None, None], torch.zeros(()), out)
    out = out + 0.1 * torch.randn(out.shape, generator=g)
    return out.reshape(n, 64)


def make_encoder():
    enc = torch.nn.Sequential(torch.nn.Linear(64, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128))
    proj = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(128, 64))
    return enc, proj


def nt_xent(z1, z2, tau=0.5):
    """SimCLR's NT-Xent (InfoNCE over 2B embeddings, the other view as the positive)."""
    z = torch.nn.functional.normalize(torch.cat([z1, z2]), dim=1)
    s = z @ z.T / tau
    n = z1.shape[0]
    s = s.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(n)])
    return torch.nn.functional.cross_entropy(s, target)


def pretrain(method, x, epochs, seed):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    enc, proj = make_encoder()
    opt = torch.optim.Adam(list(enc.parameters()) + list(proj.parameters()), lr=1e-3)
    b, k = (32, 8) if method == "mmcr" else (128, 2)
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x) - b + 1, b):
            xb = x[perm[i : i + b]]
            views = augment(xb.repeat_interleave(k, 0), g)  # "(B K) C": views of one image are adjacent
            z = proj(enc(views))
            if method == "mmcr":
                loss = mmcr_loss(z, n_views=k)
            else:
                z = z.reshape(b, k, -1)
                loss = nt_xent(z[:, 0], z[:, 1])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return enc


def probe(feat_tr, y_tr, feat_te, y_te, *, per_class=None, seed=0):
    """Linear-probe test accuracy; with ``per_class`` only that many labelled images per class (mean of 5 draws)."""
    if per_class is None:
        clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        return float(clf.fit(feat_tr, y_tr).score(feat_te, y_te))
    rng = np.random.default_rng(seed)
    scores = []
    for _ in range(5):
        idx = np.concatenate([rng.choice(np.flatnonzero(y_tr == c), per_class, replace=False) for c in range(10)])
        clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
        scores.append(clf.fit(feat_tr[idx], y_tr[idx]).score(feat_te, y_te))
    return float(np.mean(scores))


@torch.no_grad()
def centroid_capacity(enc, x, k, seed):
    g = torch.Generator().manual_seed(seed)
    z = enc(augment(x[:64].repeat_interleave(k, 0), g))
    return float(-mmcr_loss(z, n_views=k)) / 64  # ||M||_* / B, 1 at most (B = 64 <= C = 128)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 seed, 3 epochs (CI)")
    ap.add_argument("--epochs", type=int, default=60)
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    epochs, seeds = (3, 1) if args.quick else (args.epochs, args.seeds)
    d = load_digits()
    x_all = torch.tensor(d.data / 16.0, dtype=torch.float32)
    t0 = time.perf_counter()
    acc = {a: [] for a in ("mmcr", "simclr", "random", "pixels")}
    few = {a: [] for a in ("mmcr", "simclr", "random", "pixels")}
    cap = {a: [] for a in ("mmcr", "simclr", "random")}
    for seed in range(seeds):
        tr, te = train_test_split(np.arange(len(d.target)), train_size=1200, random_state=seed, stratify=d.target)
        x_tr, x_te = x_all[tr], x_all[te]
        acc["pixels"].append(probe(x_tr.numpy(), d.target[tr], x_te.numpy(), d.target[te]))
        few["pixels"].append(probe(x_tr.numpy(), d.target[tr], x_te.numpy(), d.target[te], per_class=5, seed=seed))
        for arm in ("mmcr", "simclr", "random"):
            if arm == "random":
                torch.manual_seed(seed)
                enc = make_encoder()[0]
            else:
                enc = pretrain(arm, x_tr, epochs, seed)
            with torch.no_grad():
                f_tr, f_te = enc(x_tr).numpy(), enc(x_te).numpy()
            acc[arm].append(probe(f_tr, d.target[tr], f_te, d.target[te]))
            few[arm].append(probe(f_tr, d.target[tr], f_te, d.target[te], per_class=5, seed=seed))
            cap[arm].append(centroid_capacity(enc, x_te, 8, seed))
    print(f"seeds: {seeds}, epochs: {epochs}, train/test images: 1200/{len(d.target) - 1200}")
    print(f"{'arm':8s} {'linear probe':>12s} {'5 labels/class':>15s} {'||M||_*/B':>10s}")
    for arm in ("mmcr", "simclr", "random", "pixels"):
        c = f"{np.mean(cap[arm]):10.4f}" if arm in cap else f"{'-':>10s}"
        print(f"{arm:8s} {np.mean(acc[arm]):12.4f} {np.mean(few[arm]):15.4f} {c}")
    for arm in ("mmcr", "simclr", "random", "pixels"):
        print(f"linear probe accuracy {arm}: {np.mean(acc[arm]):.4f}")
        print(f"5-label probe accuracy {arm}: {np.mean(few[arm]):.4f}")
    for arm in ("mmcr", "simclr", "random"):
        print(f"centroid nuclear norm / B {arm}: {np.mean(cap[arm]):.4f}")
    print(f"elapsed seconds: {time.perf_counter() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
