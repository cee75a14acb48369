"""Train the learned MI estimator shipped in ``src/infokit/estimators/_learned_weights/`` ("MIST-tiny").

The meta-dataset is generated on the fly from distributions with closed-form MI (the families of
:mod:`infokit.testing.samplers`, with random parameters):

* **gaussian** — canonical pairs :math:`(u_i, v_i)` with correlations :math:`\\rho_i` (the other coordinates
  independent N(0,1)), then random invertible linear maps of X and of Y:
  :math:`I = -\\tfrac12\\sum_i\\log(1-\\rho_i^2)` (``samplers.gaussian_mi``);
* **student** — the same dispersion, divided row-wise by :math:`\\sqrt{w/\\nu}`, :math:`w\\sim\\chi^2_\\nu`,
  :math:`\\nu\\sim U(1, 12)`: the Gaussian MI plus ``samplers.student_t_mi_correction(nu, dx, dy)``;
* **additive** — :math:`X_i \\sim U(0,1)`, :math:`Y_i = X_i + U(-\\varepsilon_i, \\varepsilon_i)` for the active
  pairs, independent uniforms elsewhere, optionally linearly mixed: :math:`\\sum_i` ``additive_uniform_mi``.

Dimensions ``d_x, d_y`` are uniform on 1..5, the Gaussian part of the MI is uniform on [0, 3.5] nats split by a
flat Dirichlet over 0..min(d_x, d_y) active pairs (10% of tasks independent), sample sizes are log-uniform on
[32, 2048] (one size per batch; the batch holds about ``rows_per_step`` rows). Marginal monotone transforms
(asinh, half-cube, ...) are not generated: the model's copula encoding makes them exact no-ops.

After training, the script (1) writes the weights (float32 ``.npz``) and a JSON with the architecture,
training configuration, data seed and wall time; (2) fits the split-conformal factors on a calibration
meta-set drawn with a different seed; (3) measures held-out coverage and RMSE (with KSG and the Gaussian
copula as references) on a test meta-set with a third seed, using the shipped numpy inference path.

Usage::

    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_learned_mi.py            # the shipped run
    OMP_NUM_THREADS=1 .venv/bin/python scripts/train_learned_mi.py --quick --out /tmp/lmi   # smoke test
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time

import numpy as np
from scipy import optimize

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from infokit.estimators import learned as L  # noqa: E402
from infokit.testing.samplers import additive_uniform_mi, student_t_mi_correction  # noqa: E402

FAMILIES = ("gaussian", "student", "additive")
FAMILY_P = (0.45, 0.3, 0.25)
MI_GAUSS_MAX = 3.5
P_INDEPENDENT = 0.1
DOF_RANGE = (1.0, 12.0)


# --------------------------------------------------------------------------------------------- meta-dataset
def _eps_for_mi(t: float) -> float:
    """Noise half-width ε with additive_uniform_mi(ε) = t (the map is strictly decreasing in ε)."""
    if t <= 1e-4:
        return 2500.0
    if t <= 0.5:
        return 1.0 / (4.0 * t)  # the 2ε >= 1 branch
    return optimize.brentq(lambda e: additive_uniform_mi(e) - t, 1e-12, 0.5, xtol=1e-14)


def _random_map(d: int, rng) -> np.ndarray:
    while True:
        a = rng.standard_normal((d, d))
        if abs(np.linalg.det(a)) > 0.05 * d:  # keep it comfortably invertible
            return a


def draw_task(rng):
    """A random task: (family, dx, dy, true MI in nats, sampler(n, rng) -> (x, y))."""
    fam = FAMILIES[rng.choice(3, p=FAMILY_P)]
    dx, dy = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    kmax = min(dx, dy)
    if rng.random() < P_INDEPENDENT:
        m = 0
    else:
        m = int(rng.integers(1, kmax + 1))
    total = rng.uniform(0.0, MI_GAUSS_MAX) if m else 0.0
    parts = rng.dirichlet(np.ones(m)) * total if m else np.zeros(0)
    a, b = _random_map(dx, rng), _random_map(dy, rng)
    if fam in ("gaussian", "student"):
        rho = np.sqrt(1.0 - np.exp(-2.0 * parts))
        mi = float(parts.sum())
        nu = float(rng.uniform(*DOF_RANGE)) if fam == "student" else None
        if nu is not None:
            mi += student_t_mi_correction(nu, dx, dy)

        def sample(n, r, rho=rho, nu=nu, a=a, b=b, dx=dx, dy=dy, m=m):
            u = r.standard_normal((n, dx))
            v = r.standard_normal((n, dy))
            if m:
                v[:, :m] = rho * u[:, :m] + np.sqrt(1 - rho**2) * v[:, :m]
            if nu is not None:
                s = np.sqrt(r.chisquare(nu, size=(n, 1)) / nu)
                u, v = u / s, v / s
            return u @ a.T, v @ b.T
    else:
        eps = np.array([_eps_for_mi(float(t)) for t in parts])
        mi = float(sum(additive_uniform_mi(e) for e in eps))
        mix = rng.random() < 0.5

        def sample(n, r, eps=eps, a=a, b=b, dx=dx, dy=dy, m=m, mix=mix):
            u = r.random((n, dx))
            v = r.random((n, dy))
            if m:
                v[:, :m] = u[:, :m] + r.uniform(-1.0, 1.0, size=(n, m)) * eps
            if mix:
                u, v = u @ a.T, v @ b.T
            return u, v
    if rng.random() < 0.5 and fam == "additive":
        inner = sample

        def sample(n, r, inner=inner):  # noqa: F811 - swap roles so that X is the noisy side half the time
            x, y = inner(n, r)
            return y, x

        dx, dy = dy, dx
    return fam, dx, dy, mi, sample


def make_batch(rng, n: int, n_sets: int):
    """Encoded batch: rows (B, n, 35) float32, set features (B, 4), targets (B,)."""
    rows = np.empty((n_sets, n, 2 * L.D_MAX + L.D_MAX ** 2), dtype=np.float32)
    sfeat = np.empty((n_sets, 4), dtype=np.float32)
    target = np.empty(n_sets, dtype=np.float32)
    for i in range(n_sets):
        _, _, _, mi, sample = draw_task(rng)
        x, y = sample(n, rng)
        r, s = L.encode(x, y)
        rows[i], sfeat[i], target[i] = r, s, mi
    return rows, sfeat, target


def sample_size(rng, lo=L.N_MIN, hi=L.N_REF) -> int:
    return int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))


# --------------------------------------------------------------------------------------------- model (torch)
def build_model(hidden: int, rho_hidden: int, n_phi: int, n_rho: int, k: int):
    import torch
    from torch import nn

    class SetModel(nn.Module):
        def __init__(self):
            super().__init__()
            d_in = 2 * L.D_MAX + L.D_MAX ** 2
            self.phi = nn.ModuleList([nn.Linear(d_in if i == 0 else hidden, hidden) for i in range(n_phi)])
            dims = [2 * hidden + 4] + [rho_hidden] * (n_rho - 1) + [k]
            self.rho = nn.ModuleList([nn.Linear(dims[i], dims[i + 1]) for i in range(n_rho)])
            with torch.no_grad():  # start at the Gaussian-copula MI with a narrow quantile fan
                self.rho[-1].weight.mul_(0.01)
                self.rho[-1].bias.fill_(-2.0)
                self.rho[-1].bias[k // 2] = 0.0

        def forward(self, rows, sfeat):
            h = rows
            for lin in self.phi:
                h = nn.functional.silu(lin(h))
            g = torch.cat([h.mean(dim=1), h.amax(dim=1), sfeat], dim=-1)
            for lin in self.rho[:-1]:
                g = nn.functional.silu(lin(g))
            raw = self.rho[-1](g)
            mid = k // 2
            med = sfeat[:, 0] + raw[:, mid]
            sp = nn.functional.softplus
            up = med[:, None] + torch.cumsum(sp(raw[:, mid + 1:]), dim=1)
            down = med[:, None] - torch.cumsum(sp(raw[:, :mid].flip(1)), dim=1)
            return torch.cat([down.flip(1), med[:, None], up], dim=1)

    return SetModel()


def pinball(q, target, levels):
    u = target[:, None] - q
    return (levels[None, :] * u).clamp(min=0).add(((levels[None, :] - 1) * u).clamp(min=0)).mean()


def export_params(model) -> dict:
    out = {}
    for i, lin in enumerate(model.phi):
        out[f"phi{i}.weight"] = lin.weight.detach().cpu().numpy().astype(np.float32)
        out[f"phi{i}.bias"] = lin.bias.detach().cpu().numpy().astype(np.float32)
    for i, lin in enumerate(model.rho):
        out[f"rho{i}.weight"] = lin.weight.detach().cpu().numpy().astype(np.float32)
        out[f"rho{i}.bias"] = lin.bias.detach().cpu().numpy().astype(np.float32)
    return out


# --------------------------------------------------------------------------------------------- evaluation
def predict_sets(model: L.LearnedModel, sets):
    return np.array([L.learned_mi_quantiles(x, y, model=model) for x, y, _ in sets])


def draw_sets(seed: int, count: int):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = sample_size(rng)
        fam, dx, dy, mi, sample = draw_task(rng)
        x, y = sample(n, rng)
        out.append((x, y, {"mi": mi, "n": n, "family": fam, "dx": dx, "dy": dy}))
    return out


def conformal_factors(q, truth, levels, confidences):
    """Normalised split-conformal factors s_c (Romano et al. 2019, with scores divided by the width)."""
    out = {}
    m = len(truth)
    for c in confidences:
        lo = q[:, levels.index(round((1 - c) / 2, 6))]
        hi = q[:, levels.index(round((1 + c) / 2, 6))]
        w = np.maximum(hi - lo, 1e-3)
        score = np.maximum(lo - truth, truth - hi) / w
        rank = min(math.ceil((m + 1) * c), m)
        s = float(np.sort(score)[rank - 1])
        raw_cov = float(np.mean((truth >= lo) & (truth <= hi)))
        out[f"{c:g}"] = {"factor": s, "raw_coverage_on_calibration": raw_cov, "m": m}
    return out


def held_out_metrics(model: L.LearnedModel, sets, confidences, *, baselines=True):
    q = predict_sets(model, sets)
    truth = np.array([s[2]["mi"] for s in sets])
    ns = np.array([s[2]["n"] for s in sets])
    point = np.maximum(q[:, model.mid], 0.0)
    res = {"count": len(sets), "rmse": float(np.sqrt(np.mean((point - truth) ** 2))),
           "mae": float(np.mean(np.abs(point - truth))), "coverage": {}, "mean_width": {}, "by_n": {}}
    for c in confidences:
        iv = np.array([L._interval(qq, c, model)[1:] for qq in q])
        res["coverage"][f"{c:g}"] = float(np.mean((truth >= iv[:, 0]) & (truth <= iv[:, 1])))
        res["mean_width"][f"{c:g}"] = float(np.mean(iv[:, 1] - iv[:, 0]))
    iv90 = np.array([L._interval(qq, 0.9, model)[1:] for qq in q])
    ksg = gc = None
    if baselines:
        from infokit.estimators.gaussian import gaussian_copula_mi
        from infokit.estimators.knn import ksg_mi

        def z(a):
            return (a - a.mean(0)) / a.std(0)

        def safe(fn, x, y):
            try:  # a baseline may refuse a degenerate sample (e.g. a singular covariance); count, don't crash
                return float(fn(x, y))
            except Exception:  # noqa: BLE001
                return float("nan")

        ksg = np.array([safe(lambda a, b: ksg_mi(z(a), z(b), k=3, workers=1), x, y) for x, y, _ in sets])
        gc = np.array([safe(gaussian_copula_mi, x, y) for x, y, _ in sets])
        res["rmse_ksg"] = float(np.sqrt(np.nanmean((ksg - truth) ** 2)))
        res["rmse_gaussian_copula"] = float(np.sqrt(np.nanmean((gc - truth) ** 2)))
        res["baseline_failures"] = {"ksg": int(np.isnan(ksg).sum()), "gaussian_copula": int(np.isnan(gc).sum())}
    for lo, hi in ((32, 100), (100, 300), (300, 1000), (1000, 2049)):
        sel = (ns >= lo) & (ns < hi)
        if not sel.any():
            continue
        row = {"count": int(sel.sum()), "rmse": float(np.sqrt(np.mean((point[sel] - truth[sel]) ** 2))),
               "coverage_0.9": float(np.mean((truth[sel] >= iv90[sel, 0]) & (truth[sel] <= iv90[sel, 1])))}
        if baselines:
            row["rmse_ksg"] = float(np.sqrt(np.nanmean((ksg[sel] - truth[sel]) ** 2)))
            row["rmse_gaussian_copula"] = float(np.sqrt(np.nanmean((gc[sel] - truth[sel]) ** 2)))
        res["by_n"][f"[{lo},{hi})"] = row
    return res


# --------------------------------------------------------------------------------------------- main
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20251124, help="data + initialisation seed")
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--rows-per-step", type=int, default=12288)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--rho-hidden", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--calib-sets", type=int, default=2000)
    ap.add_argument("--test-sets", type=int, default=1000)
    ap.add_argument("--max-minutes", type=float, default=30.0, help="stop training early at this wall time")
    ap.add_argument("--out", type=pathlib.Path, default=L.WEIGHTS_DIR)
    ap.add_argument("--quick", action="store_true", help="a few steps and tiny meta-sets (smoke test)")
    args = ap.parse_args(argv)
    if args.quick:
        args.steps, args.calib_sets, args.test_sets = 20, 100, 50

    import torch

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    rng = np.random.default_rng(args.seed)
    levels = torch.tensor(L.QUANTILE_LEVELS, dtype=torch.float32)
    arch = {"hidden": args.hidden, "rho_hidden": args.rho_hidden, "n_phi_layers": 3, "n_rho_layers": 3,
            "quantile_levels": list(L.QUANTILE_LEVELS), "d_max": L.D_MAX, "n_min": L.N_MIN, "n_ref": L.N_REF,
            "row_features": "[zx pad 5, zy pad 5, zx (x) zy 25] of rank normal scores",
            "pooling": "mean + max over rows",
            "set_features": "[gaussian-copula MI of the scores, log min(n,2048)/log 2048, dx/5, dy/5]",
            "activation": "SiLU", "output": "non-crossing quantiles: median = GC-MI + raw; cumulative softplus"}
    model = build_model(args.hidden, args.rho_hidden, 3, 3, len(L.QUANTILE_LEVELS))
    n_params = sum(p.numel() for p in model.parameters())
    decay = [p for p in model.parameters() if p.ndim > 1]
    no_decay = [p for p in model.parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    budget_s = 60.0 * args.max_minutes

    def lr_at(progress):  # cosine from lr to 1% of lr
        return args.lr * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(progress, 1.0))))
    print(f"parameters: {n_params}", flush=True)
    t0 = time.time()
    log_every = max(args.steps // 40, 1)
    running, seen, step = [], 0, 0
    for step in range(1, args.steps + 1):
        n = sample_size(rng)
        n_sets = int(np.clip(round(args.rows_per_step / n), 4, 256))
        rows, sfeat, target = make_batch(rng, n, n_sets)
        q = model(torch.from_numpy(rows), torch.from_numpy(sfeat))
        loss = pinball(q, torch.from_numpy(target), levels)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        # progress is the larger of the step fraction and the wall-time fraction, so that a run cut short by
        # --max-minutes on a loaded machine still ends with an annealed learning rate
        progress = max(step / args.steps, (time.time() - t0) / budget_s)
        for grp in opt.param_groups:
            grp["lr"] = lr_at(progress)
        seen += n_sets
        running.append(float(loss.detach()))
        if step % log_every == 0:
            el = time.time() - t0
            print(f"step {step}/{args.steps}  pinball {np.mean(running):.4f}  sets {seen}  "
                  f"elapsed {el / 60:.1f} min", flush=True)
            running = []
        if time.time() - t0 > budget_s:
            print(f"stopping at step {step}: --max-minutes {args.max_minutes} reached", flush=True)
            break
    train_s = time.time() - t0
    params = export_params(model)
    config = {
        "name": "MIST-tiny (infokit)",
        "paper": "Gritsai et al. (2025), MIST: Mutual Information via Supervised Training, arXiv:2511.18945",
        "architecture": arch,
        "parameters": int(n_params),
        "training": {"seed": args.seed, "steps_planned": args.steps, "steps_done": step, "meta_samples": seen,
                     "rows_per_step": args.rows_per_step, "optimizer": "AdamW", "lr": args.lr,
                     "weight_decay": args.weight_decay, "schedule": "cosine to 1% of lr over max(step/steps, time/max_minutes)", "max_minutes": args.max_minutes, "grad_clip": 1.0,
                     "loss": "pinball averaged over the quantile levels", "wall_seconds": round(train_s, 1),
                     "torch": torch.__version__, "threads": 1,
                     "meta_distribution": {"families": dict(zip(FAMILIES, FAMILY_P)), "dims": "dx, dy ~ U{1..5}",
                                           "n": "log-uniform [32, 2048]", "gaussian_mi": f"U(0, {MI_GAUSS_MAX})",
                                           "p_independent": P_INDEPENDENT, "student_dof": list(DOF_RANGE)}},
        "calibration_seed": args.seed + 1,
        "test_seed": args.seed + 2,
    }
    args.out.mkdir(parents=True, exist_ok=True)

    def write():
        np.savez_compressed(args.out / L.WEIGHTS_FILE.name, **params)
        (args.out / L.CONFIG_FILE.name).write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")

    write()  # the weights are safe on disk before the (long) calibration and evaluation
    lm = L.LearnedModel(params, config)
    confidences = (0.5, 0.8, 0.9, 0.95)
    t1 = time.time()
    calib = draw_sets(args.seed + 1, args.calib_sets)
    qc = predict_sets(lm, calib)
    config["conformal"] = conformal_factors(qc, np.array([s[2]["mi"] for s in calib]), list(lm.levels),
                                            confidences)
    lm = L.LearnedModel(params, config)
    write()
    print("conformal:", json.dumps(config["conformal"]), flush=True)
    test = draw_sets(args.seed + 2, args.test_sets)
    config["held_out"] = held_out_metrics(lm, test, confidences)
    config["evaluation_seconds"] = round(time.time() - t1, 1)
    print("held out:", json.dumps(config["held_out"], indent=1), flush=True)
    write()
    print(f"wrote {args.out / L.WEIGHTS_FILE.name} and {L.CONFIG_FILE.name}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
