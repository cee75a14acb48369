"""Information plane of a noisy MLP on scikit-learn's digits via lossy compression (Butakov et al., ICLR 2024).

A 64-32-16-10 tanh MLP with Gaussian noise after every hidden layer (a stochastic network, so that I(X;T) is
finite) is trained on 1200 digits. Every few epochs an InformationPlaneCallback runs the held-out digits
through the network, compresses X (autoencoder to 4-d; PCA in --quick) and every layer (PCA to 4-d), and
estimates I(X;T_l) with KSG and I(T_l;Y) with Ross's estimator. The paper's claim on MNIST: a fitting phase
(I(T;Y) and I(X;T) rise) followed by compression (I(X;T) falls) in the noisy network.

Run:  python examples/bottleneck/information_plane.py [--quick] [--plot out.png]
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few epochs, PCA for X (CI mode, ~20 s)")
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--noise", type=float, default=0.2, help="std of the injected Gaussian noise")
    parser.add_argument("--plot", default=None, help="save the information plane to this file")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import torch
    from sklearn.datasets import load_digits

    from infokit.methods.bottleneck.information_plane import GaussianNoise, InformationPlaneCallback

    t0 = time.time()
    epochs = args.epochs or (12 if args.quick else 300)
    every = 3 if args.quick else 10
    x, y = load_digits(return_X_y=True)
    rng = np.random.default_rng(args.seed)
    perm = rng.permutation(len(y))
    x = torch.tensor(x[perm] / 16.0, dtype=torch.float32)
    y = y[perm]
    n_train = 1200
    x_tr, y_tr = x[:n_train], torch.tensor(y[:n_train])
    x_te, y_te = x[n_train:], y[n_train:]

    torch.manual_seed(args.seed)
    model = torch.nn.Sequential(
        torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.Tanh(), GaussianNoise(args.noise)),
        torch.nn.Sequential(torch.nn.Linear(32, 16), torch.nn.Tanh(), GaussianNoise(args.noise)),
        torch.nn.Linear(16, 10),
    )
    names = {"0": "hidden-32", "1": "hidden-16", "2": "logits-10"}
    cb = InformationPlaneCallback(
        model, x_te, y_te, dim=4, x_compression="pca" if args.quick else "autoencoder", compression="pca",
        method="ksg", k=5, random_state=args.seed, compressor_options={"epochs": 300, "lr": 3e-3},
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    cb(0)
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(n_train)
        for s in range(0, n_train, 64):
            idx = order[s:s + 64]
            loss = torch.nn.functional.cross_entropy(model(x_tr[idx]), y_tr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        if epoch % every == 0 or epoch == epochs:
            cb(epoch)

    model.eval()
    with torch.no_grad():
        acc_tr = float((model(x_tr).argmax(1) == y_tr).float().mean())
        acc_te = float((model(x_te).argmax(1).numpy() == y_te).mean())
    arrays = cb.as_arrays()
    print(f"epochs: {epochs}  noise std: {args.noise}  probe: {len(y_te)} held-out digits, codes 4-d")
    print(f"train accuracy: {acc_tr:.4f}")
    print(f"test accuracy: {acc_te:.4f}")
    print(f"{'layer':<10} {'epoch':>6} {'I(X;T)':>8} {'I(T;Y)':>8}   (nats)")
    for key, a in arrays.items():
        for e, ixt, ity in zip(a["epoch"], a["i_xt"], a["i_ty"]):
            print(f"{names[key]:<10} {int(e):>6} {ixt:8.3f} {ity:8.3f}")
    for key, a in arrays.items():
        peak = int(np.argmax(a["i_xt"]))
        print(f"{names[key]} peak I(X;T) nats: {a['i_xt'][peak]:.3f} at epoch {int(a['epoch'][peak])}")
        print(f"{names[key]} final I(X;T) nats: {a['i_xt'][-1]:.3f}")
        print(f"{names[key]} compression (peak - final I(X;T)) nats: {a['i_xt'][peak] - a['i_xt'][-1]:.3f}")
        print(f"{names[key]} I(T;Y) first -> final nats: {a['i_ty'][0]:.3f} -> {a['i_ty'][-1]:.3f}")
    print(f"H(Y) upper bound on I(T;Y) nats: {np.log(10):.3f}")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        ax = cb.plot()
        ax.set_title("digits MLP, noisy tanh layers")
        ax.figure.savefig(args.plot, dpi=120, bbox_inches="tight")
        print(f"plot: {args.plot}")
    print(f"seconds: {time.time() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
