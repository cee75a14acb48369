"""Cost of the representation losses and spectral primitives next to a plain cross-entropy of the same batch.

One batch of B = 256 embeddings of dimension d = 128 (float32, CPU, one thread). Each row times one call
(forward, and forward + backward for the torch losses) with the median over repeats, and its ratio to
``torch.nn.functional.cross_entropy`` on the (256, 10) logits of a linear head over the same embeddings:

* ``cross_entropy``                 — baseline: logits = z @ W (128 -> 10), CE against labels;
* ``mmcr_loss (32 x 8 views)``      — paper 17's loss, 32 images × 8 views (centroid matrix 32 × 128);
* ``mmcr_loss (128 x 2 views)``     — the 2-view ImageNet layout (centroid matrix 128 × 128);
* ``mmcr_loss + local (32 x 8)``    — with the λ-weighted local nuclear norms (32 SVDs of 8 × 128);
* ``latent_von_neumann_entropy``    — the Koopman entropy term (128 × 128 covariance, eigvalsh);
* ``temporal_infonce_loss``         — the Koopman MI term on (16, 16, 128) trajectories (same 256 vectors);
* ``spectral_entropy (torch)``      — infokit.measures.spectral_entropy of z (svdvals);
* numpy rows: ``spectral_entropy`` and ``von_neumann_entropy`` of the numpy arrays vs the plain numpy one-liner
  (``np.linalg.svd(compute_uv=False)`` → normalise → entropy), i.e. the validation overhead.

``python benchmarks/bench_representations.py [--quick]`` prints the table.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _median(fn, repeats, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def run(quick: bool = False):
    import torch

    from infokit.measures import spectral_entropy, von_neumann_entropy
    from infokit.methods.representations.koopman import latent_von_neumann_entropy, temporal_infonce_loss
    from infokit.methods.representations.mmcr import mmcr_loss

    torch.set_num_threads(1)
    repeats = 10 if quick else 60
    g = torch.Generator().manual_seed(0)
    z0 = torch.randn(256, 128, generator=g)
    w = torch.randn(128, 10, generator=g) / 128**0.5
    y = torch.randint(0, 10, (256,), generator=g)

    def fwd_bwd(loss_fn):
        def f():
            z = z0.clone().requires_grad_(True)
            loss_fn(z).backward()
        return f

    def fwd(loss_fn):
        def f():
            with torch.no_grad():
                loss_fn(z0)
        return f

    losses = {
        "cross_entropy": lambda z: torch.nn.functional.cross_entropy(z @ w, y),
        "mmcr_loss (32 x 8 views)": lambda z: mmcr_loss(z, n_views=8),
        "mmcr_loss (128 x 2 views)": lambda z: mmcr_loss(z, n_views=2),
        "mmcr_loss + local (32 x 8)": lambda z: mmcr_loss(z, n_views=8, lam=0.1),
        "latent_von_neumann_entropy": lambda z: latent_von_neumann_entropy(z),
        "temporal_infonce_loss": lambda z: temporal_infonce_loss(z.reshape(16, 16, 128)),
        "spectral_entropy (torch)": lambda z: spectral_entropy(z),
    }
    rows = []
    for name, fn in losses.items():
        rows.append({"name": name, "forward_ms": 1e3 * _median(fwd(fn), repeats),
                     "fwd_bwd_ms": 1e3 * _median(fwd_bwd(fn), repeats)})
    zn = z0.numpy().astype(np.float64)
    cov = np.cov(zn, rowvar=False)

    def plain_spectral():
        s = np.linalg.svd(zn, compute_uv=False)
        p = s / s.sum()
        return -(p * np.log(p)).sum()

    def plain_vn():
        lam = np.clip(np.linalg.eigvalsh(cov), 0, None)
        p = lam / lam.sum()
        p = p[p > 0]
        return -(p * np.log(p)).sum()

    numpy_rows = [
        ("spectral_entropy (numpy)", lambda: spectral_entropy(zn)),
        ("plain numpy svd -> entropy", plain_spectral),
        ("von_neumann_entropy (numpy)", lambda: von_neumann_entropy(cov)),
        ("plain numpy eigvalsh -> entropy", plain_vn),
    ]
    for name, fn in numpy_rows:
        rows.append({"name": name, "forward_ms": 1e3 * _median(fn, repeats), "fwd_bwd_ms": float("nan")})
    assert abs(spectral_entropy(zn) - plain_spectral()) < 1e-10  # same number, or the timing is meaningless
    assert abs(von_neumann_entropy(cov) - plain_vn()) < 1e-10
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    rows = run(args.quick)
    base_f = rows[0]["forward_ms"]
    base_b = rows[0]["fwd_bwd_ms"]
    print("B = 256, d = 128, float32 torch / float64 numpy, 1 thread; medians; ratio = time / cross_entropy's")
    print(f"{'call':34s} {'forward ms':>11s} {'ratio':>7s} {'fwd+bwd ms':>11s} {'ratio':>7s}")
    for r in rows:
        fb = "" if np.isnan(r["fwd_bwd_ms"]) else f"{r['fwd_bwd_ms']:11.3f} {r['fwd_bwd_ms'] / base_b:7.1f}"
        print(f"{r['name']:34s} {r['forward_ms']:11.3f} {r['forward_ms'] / base_f:7.1f} {fb}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
