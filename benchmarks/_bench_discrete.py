"""Discrete estimators beside the numpy floor and the peers: speed (median seconds) and accuracy.

``run(quick)`` returns rows ``{task, library, n, seconds_median, cpu_seconds_median, value, ratio_to_floor,
cpu_ratio_to_floor}`` (values in nats; ``ratio_to_floor`` = median wall time / the numpy floor's median wall
time for the same task, so 1.0 is the floor and the target is <= 1.5; ``cpu_ratio_to_floor`` the same in CPU
time, steadier on a loaded machine), and for the accuracy task also ``truth`` and ``error``.

Tasks (data from ``numpy.random.default_rng(12345)``):

* ``plug-in entropy`` — n = 10^7 samples (10^6 with ``quick``) of Zipf(1) on K = 100 integer labels. Floor:
  ``np.bincount`` + ``-Σ p log p``. infokit rows: ``value_counts`` + the plug-in kernel (the count-only route),
  ``factorize(dense=False)`` + ``entropy_discrete`` (the code route the public API takes), and the same with
  ``dense=True``. Peers: infomeasure ``entropy(approach="discrete")``, pyitlib ``entropy``, dit ``entropy_0``.
* ``plug-in MI`` — n = 10^6 pairs (10^5), K = 100 × 100, Y = X + noise mod 100. Floor: ``np.bincount`` of
  ``x·100 + y`` + the table formula. infokit: ``factorize(dense=False)`` ×2 + ``mutual_information_discrete``.
  Peers: scikit-learn ``mutual_info_score``, infomeasure ``mutual_information(approach="discrete")``,
  pyitlib ``information_mutual``.
* ``bias-corrected entropy`` — Zipf(1) on K = 1000 symbols, n = 500 and 5000 (one sample each, as in
  ``../shared/specs/peers.md`` §3e), truth 5.1910 nats: all ten infokit estimators (``shrinkage``, ``bayes``
  and ``nsb`` with the true alphabet size K = 1000 and with the observed one) beside infomeasure's.

Timing: one warm-up call (numba compiles infomeasure's kernels there), then the median of ``repeats`` calls
(21 for calls under 0.1 s, 3 under 5 s, else 1). Wall time via ``perf_counter`` and CPU time via
``process_time``; on a shared machine the ratios matter more than absolute times.

Run standalone: ``python benchmarks/_bench_discrete.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

try:
    from infokit.estimators import discrete as D
except ImportError:  # running from a checkout without `pip install -e .`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from infokit.estimators import discrete as D

LN2 = math.log(2.0)


def _optional(name):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return __import__(name, fromlist=["_"])
    except Exception:  # not installed or broken install: the row is skipped
        return None


def _time(fn):
    """(median wall s, median CPU s, value) after one warm-up call."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        value = fn()
        first = time.perf_counter() - t0
        repeats = 21 if first < 0.1 else (3 if first < 5.0 else 1)
        wall, cpu = [], []
        for _ in range(repeats):
            w0, c0 = time.perf_counter(), time.process_time()
            value = fn()
            wall.append(time.perf_counter() - w0)
            cpu.append(time.process_time() - c0)
    return statistics.median(wall), statistics.median(cpu), float(value)


def _rows_for(task, n, contenders, floor_name="numpy floor"):
    rows, floor = [], None
    for library, fn in contenders:
        if fn is None:
            continue
        try:
            wall, cpu, value = _time(fn)
        except Exception as exc:  # a peer failing is a result, not a crash of the benchmark
            rows.append(dict(task=task, library=library, n=n, seconds_median=None, cpu_seconds_median=None,
                             value=None, ratio_to_floor=None, note=f"failed: {type(exc).__name__}: {exc}"[:120]))
            continue
        if library == floor_name:
            floor = (wall, cpu)
        rows.append(dict(task=task, library=library, n=n, seconds_median=wall, cpu_seconds_median=cpu,
                         value=value, ratio_to_floor=None, cpu_ratio_to_floor=None))
    for r in rows:
        if floor and r["seconds_median"] is not None:
            r["ratio_to_floor"] = r["seconds_median"] / floor[0]
            r["cpu_ratio_to_floor"] = r["cpu_seconds_median"] / floor[1] if floor[1] > 0 else None
    return rows


def _zipf(K):
    p = 1.0 / np.arange(1, K + 1)
    return p / p.sum()


def entropy_rows(quick):
    n = 10**6 if quick else 10**7
    rng = np.random.default_rng(12345)
    x = rng.choice(100, size=n, p=_zipf(100))

    def floor():
        c = np.bincount(x)
        p = c[c > 0] / n
        return -float(np.dot(p, np.log(p)))

    im = _optional("infomeasure")
    drv = _optional("pyitlib.discrete_random_variable")
    dit_inf = _optional("dit.inference")
    xl = x.tolist() if dit_inf is not None else None
    contenders = [
        ("numpy floor", floor),
        ("infokit value_counts+plugin", lambda: D.entropy_from_counts(D.value_counts(x)[1])),
        ("infokit factorize(dense=False)+entropy_discrete", lambda: D.entropy_discrete(*D.factorize(x, dense=False))),
        ("infokit factorize(dense=True)+entropy_discrete", lambda: D.entropy_discrete(*D.factorize(x))),
        ("infomeasure discrete", (lambda: im.entropy(x, approach="discrete")) if im else None),
        ("pyitlib entropy", (lambda: drv.entropy(x, base=np.e)) if drv else None),
        ("dit entropy_0", (lambda: dit_inf.entropy_0(xl) * LN2) if dit_inf else None),
    ]
    return _rows_for(f"plug-in entropy n={n:.0e} K=100", n, contenders)


def mi_rows(quick):
    n = 10**5 if quick else 10**6
    rng = np.random.default_rng(12345)
    x = rng.integers(0, 100, size=n)
    y = (x + rng.integers(0, 10, size=n)) % 100

    def floor():
        t = np.bincount(x * 100 + y, minlength=100 * 100).reshape(100, 100)
        pxy = t[t > 0] / n
        px = t.sum(axis=1) / n
        py = t.sum(axis=0) / n
        px, py = px[px > 0], py[py > 0]
        return float(np.dot(pxy, np.log(pxy)) - np.dot(px, np.log(px)) - np.dot(py, np.log(py)))

    def ours():
        cx, kx = D.factorize(x, dense=False)
        cy, ky = D.factorize(y, dense=False)
        return D.mutual_information_discrete(cx, kx, cy, ky)

    skm = _optional("sklearn.metrics")
    im = _optional("infomeasure")
    drv = _optional("pyitlib.discrete_random_variable")
    contenders = [
        ("numpy floor", floor),
        ("infokit factorize(dense=False)+mutual_information_discrete", ours),
        ("sklearn mutual_info_score", (lambda: skm.mutual_info_score(x, y)) if skm else None),
        ("infomeasure discrete", (lambda: im.mutual_information(x, y, approach="discrete")) if im else None),
        ("pyitlib information_mutual", (lambda: drv.information_mutual(x, y, base=np.e)) if drv else None),
    ]
    return _rows_for(f"plug-in MI n={n:.0e} K=100x100", n, contenders)


_IM_APPROACH = {
    "plugin": ("discrete", {}),
    "miller_madow": ("miller_madow", {}),
    "grassberger": ("grassberger", {}),  # infomeasure: Grassberger (1988), a different formula
    "chao_shen": ("chao_shen", {}),
    "chao_wang_jost": ("chao_wang_jost", {}),
    "shrinkage": ("shrink", {}),
    "zhang": ("zhang", {}),
    "bayes": ("bayes", {"alpha": 0.5}),  # infomeasure: entropy of the posterior-mean pmf
    "nsb": ("nsb", {}),
}


def accuracy_rows(quick):
    K = 1000
    p = _zipf(K)
    truth = -float(np.dot(p, np.log(p)))
    im = _optional("infomeasure")
    rows = []
    for n in (500, 5000):
        x = np.random.default_rng(12345).choice(K, size=n, p=p)
        counts = D.value_counts(x)[1]
        task = f"bias-corrected entropy Zipf K={K} n={n}"
        for method in D.ENTROPY_METHODS:
            variants = [("", {})]
            if "alphabet_size" in D.METHOD_OPTIONS[method]:
                variants.append((f" K={K}", {"alphabet_size": K}))
            for label, kw in variants:
                wall, cpu, value = _time(lambda: D.entropy_from_counts(counts, method, **kw))
                rows.append(dict(task=task, library=f"infokit {method}{label}", n=n, seconds_median=wall,
                                 cpu_seconds_median=cpu, value=value, truth=truth, error=value - truth,
                                 ratio_to_floor=None))
            if im is not None and method in _IM_APPROACH:
                approach, kw = _IM_APPROACH[method]
                try:
                    wall, cpu, value = _time(lambda: im.entropy(x, approach=approach, **kw))
                except Exception as exc:  # pragma: no cover - recorded, not raised
                    rows.append(dict(task=task, library=f"infomeasure {approach}", n=n, note=str(exc)[:120]))
                    continue
                rows.append(dict(task=task, library=f"infomeasure {approach}", n=n, seconds_median=wall,
                                 cpu_seconds_median=cpu, value=value, truth=truth,
                                 error=value - truth if math.isfinite(value) else float("nan"),
                                 ratio_to_floor=None))
    return rows


def run(quick: bool = False) -> list[dict]:
    """All rows of this section (see the module docstring)."""
    return entropy_rows(quick) + mi_rows(quick) + accuracy_rows(quick)


def _fmt(v, spec):
    if v is None:
        return "—"
    if isinstance(v, float) and not math.isfinite(v):
        return "nan"
    return format(v, spec)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    args = ap.parse_args(argv)
    rows = run(args.quick)
    task = None
    for r in rows:
        if r["task"] != task:
            task = r["task"]
            print(f"\n## {task}")
            print(f"{'library':58s} {'wall s':>9s} {'cpu s':>9s} {'x floor':>8s} {'cpu x':>7s} {'value':>10s} "
                  f"{'error':>8s}")
        print(
            f"{r['library']:58s} {_fmt(r.get('seconds_median'), '9.4f')} {_fmt(r.get('cpu_seconds_median'), '9.4f')} "
            f"{_fmt(r.get('ratio_to_floor'), '8.2f')} {_fmt(r.get('cpu_ratio_to_floor'), '7.2f')} "
            f"{_fmt(r.get('value'), '10.5f')} {_fmt(r.get('error'), '+8.4f')}"
            + (f"  {r['note']}" if r.get("note") else "")
        )


if __name__ == "__main__":
    main()
