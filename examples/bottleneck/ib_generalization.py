"""Degree of IB and layerwise bound terms vs the measured generalisation gap over a sweep of small models.

Kawaguchi et al. (ICML 2023) bound the generalisation gap by the "degree of information bottleneck"
I(X;Z|Y) of a representation; He & Goldfeld (2024) bound it layer by layer with W1 / KL terms of the
layer's representation, times the Lipschitz constant of the rest of the network. This example repeats the
toy experiment of Kawaguchi et al. at small scale: `make_blobs` with 5 classes in 2-D (10 training and 50
test points per class), stochastic MLP encoders z ~ N(mu(x), diag sigma(x)^2) followed by a classifier,
trained with SGD (lr 1e-2, momentum 0.9, full batch) over a grid of widths x weight decays x seeds. For
every trained model it measures

* the generalisation gap: test cross-entropy - train cross-entropy;
* I(X;Z|Y) by the Monte Carlo estimator of the paper's code (within-class mixtures, on 1000 fresh inputs
  from the same distribution);
* for each layer l, W1 between the train and test laws of (T_l, Y) and the Lipschitz proxy rho_l (product of
  the spectral norms above l), and their product, the W1 bound term of He & Goldfeld;

and prints the rank correlations (Kendall tau, Spearman) of each quantity with the gap across models.

Run:  python examples/bottleneck/ib_generalization.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np


def _model(torch, width, dz, n_classes=5):
    class StochasticMLP(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.h1 = torch.nn.Linear(2, width)
            self.h2 = torch.nn.Linear(width, width)
            self.mu = torch.nn.Linear(width, dz)
            self.s = torch.nn.Linear(width, dz)
            self.c1 = torch.nn.Linear(dz, width // 2)
            self.out = torch.nn.Linear(width // 2, n_classes)

        def forward(self, x, sample=True):
            a1 = torch.relu(self.h1(x))
            a2 = torch.relu(self.h2(a1))
            mu = self.mu(a2)
            sigma = torch.nn.functional.softplus(self.s(a2)).clamp_min(1e-6)
            z = mu + sigma * torch.randn_like(mu) if sample else mu
            a3 = torch.relu(self.c1(z))
            return self.out(a3), {"h1": a1, "h2": a2, "z": z, "c1": a3}, mu, sigma

    return StochasticMLP()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 models, 100 epochs (CI mode)")
    parser.add_argument("--epochs", type=int, default=None)
    args = parser.parse_args(argv)

    import torch
    from scipy import stats
    from sklearn.datasets import make_blobs

    from infokit.methods.bottleneck.generalization import estimate_degree_of_ib, layerwise_generalization_terms

    t0 = time.time()
    torch.set_num_threads(1)
    epochs = args.epochs or (100 if args.quick else 300)
    widths = (16, 64) if args.quick else (16, 32, 64, 128)
    decays = (0.0, 1e-1) if args.quick else (0.0, 1e-2, 1e-1)
    seeds = (0,) if args.quick else (0, 1, 2)
    data_seeds = (0,) if args.quick else (0, 1)

    rows = []
    for data_seed in data_seeds:
        centers = np.random.default_rng(100 + data_seed).uniform(-4, 4, size=(5, 2))
        x, y = make_blobs(n_samples=[60] * 5, centers=centers, cluster_std=1.2, random_state=data_seed)
        rng = np.random.default_rng(data_seed)
        tr = np.concatenate([rng.permutation(np.flatnonzero(y == c))[:10] for c in range(5)])
        te = np.setdiff1d(np.arange(len(y)), tr)
        xt = torch.tensor(x, dtype=torch.float32)
        yt = torch.tensor(y)
        # fresh inputs from the same distribution for the MI estimate (200 per class: the MC estimate is
        # capped at log 200 = 5.3 nats; on the 60 + 10 points per class it would saturate near log 60)
        x_mi, y_mi = make_blobs(n_samples=[200] * 5, centers=centers, cluster_std=1.2, random_state=1000 + data_seed)
        x_mi = torch.tensor(x_mi, dtype=torch.float32)
        for width, wd, seed in itertools.product(widths, decays, seeds):
            torch.manual_seed(seed)
            model = _model(torch, width, max(2, width // 4))
            opt = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9, weight_decay=wd)
            for _ in range(epochs):
                logits, *_ = model(xt[tr])
                loss = torch.nn.functional.cross_entropy(logits, yt[tr])
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad(), torch.random.fork_rng(devices=[]):
                torch.manual_seed(1234)
                logits, acts, mu, sigma = model(xt)
                ce = torch.nn.functional.cross_entropy(logits, yt, reduction="none").numpy()
                _, _, mu_mi, sigma_mi = model(x_mi)
            gap = float(ce[te].mean() - ce[tr].mean())
            train_acc = float((logits.argmax(1)[tr] == yt[tr]).float().mean())
            acc_gap = train_acc - float((logits.argmax(1)[te] == yt[te]).float().mean())
            dib = estimate_degree_of_ib(mu_mi.double().numpy(), sigma_mi.double().numpy(), y_mi, random_state=seed)
            layers = ["h1", "h2", "z", "c1"]
            above = {"h1": [model.h2, model.mu, model.c1, model.out], "h2": [model.mu, model.c1, model.out],
                     "z": [model.c1, model.out], "c1": [model.out]}
            # CE is sqrt(2)-Lipschitz in the logits (its gradient softmax - onehot has norm <= sqrt 2)
            terms = layerwise_generalization_terms(
                [acts[n][tr].double().numpy() for n in layers], [acts[n][te].double().numpy() for n in layers],
                train_labels=y[tr], test_labels=y[te],
                downstream_weights=[[m.weight.detach().double().numpy() for m in above[n]] for n in layers],
                loss_lipschitz=2 ** 0.5, w1_method="sliced", n_projections=128, random_state=0)
            w1b = [t.w1_bound for t in terms]
            rows.append({"data": data_seed, "width": width, "wd": wd, "seed": seed, "gap": gap, "acc_gap": acc_gap,
                         "train_acc": train_acc,
                         "dib": dib, "w1": [t.w1 for t in terms], "w1_bound": w1b,
                         "funnel": layers[int(np.argmin(w1b))]})

    gaps = np.array([r["gap"] for r in rows])
    print(f"models: {len(rows)} (widths {widths} x weight decay {decays} x seeds {seeds} x data {data_seeds}), "
          f"{epochs} epochs")
    print(f"{'width':>5} {'wd':>6} {'seed':>4} {'train acc':>9} {'gap(CE)':>8} {'gap(acc)':>8} {'I(X;Z|Y)':>9} "
          f"{'W1 h1':>7} {'W1 z':>7} {'rho*W1 min':>10} funnel")
    for r in rows:
        print(f"{r['width']:>5} {r['wd']:>6g} {r['seed']:>4} {r['train_acc']:9.3f} {r['gap']:8.3f} "
              f"{r['acc_gap']:8.3f} {r['dib']:9.3f} "
              f"{r['w1'][0]:7.3f} {r['w1'][2]:7.3f} {min(r['w1_bound']):10.2f} {r['funnel']}")

    fitted = np.array([r["train_acc"] >= 0.6 for r in rows])

    def corr(label, values):
        v = np.asarray(values, dtype=float)
        tau = stats.kendalltau(v, gaps).statistic
        rho = stats.spearmanr(v, gaps).statistic
        print(f"Kendall tau({label}, gap): {tau:.3f}")
        print(f"Spearman({label}, gap): {rho:.3f}")
        if fitted.sum() >= 3:
            # strong weight decay can collapse a network (no fit, no gap, no information); ranking only the
            # models that fit their training set removes that easy cluster
            tau_f = stats.kendalltau(v[fitted], gaps[fitted]).statistic
            print(f"Kendall tau({label}, gap) fitted models: {tau_f:.3f}")

    print("models fitting their training set (train accuracy >= 0.6; collapsed ones predict ~1 class): "
          f"{int(fitted.sum())}")
    print(f"mean generalisation gap (CE, nats): {gaps.mean():.3f}")
    print(f"mean I(X;Z|Y) nats: {np.mean([r['dib'] for r in rows]):.3f}")
    corr("I(X;Z|Y)", [r["dib"] for r in rows])
    for j, name in enumerate(["h1", "h2", "z", "c1"]):
        corr(f"W1 {name}", [r["w1"][j] for r in rows])
    corr("min_l rho_l W1_l", [min(r["w1_bound"]) for r in rows])
    funnels = {n: sum(r["funnel"] == n for r in rows) for n in ["h1", "h2", "z", "c1"]}
    print("funnel layer (argmin rho_l W1_l) counts: " + ", ".join(f"{k} {v}" for k, v in funnels.items()))
    print(f"seconds: {time.time() - t0:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
