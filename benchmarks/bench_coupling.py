"""Minimum-entropy coupling and EBIM: time vs size, beside a dense numpy greedy, in one process.

Cases (the issue's "Performance" section):

(a) greedy MEC of two marginals of n atoms each, n = 10^3 ... 10^7 (random pmfs, seed 0): infokit's public
    ``min_entropy_coupling`` (validation, sorting, the heap-based kernel, the sparse result), and its pure-Python
    kernel (what runs without numba); the exponent of time ~ n^k fitted on n >= 10^4; target: 10^6 + 10^6 atoms
    in under a second on one core;
(b) the peer: a straightforward dense numpy greedy (one ``argmax`` over each whole residual array per step, as in
    the reference implementations), O(n) per step and O(n^2) in all; timed up to n = 10^5 and extrapolated with
    its exponent fitted on the three largest sizes beyond; its entropy is checked against infokit's;
(c) the three MEC lower bounds at n = 10^6;
(d) EBIM greedy (``ebim(p, R)``) on n = 1000 outcomes at three rates; target: seconds.

Times are process CPU time (one core: every kernel here is single-threaded), the median of a few repeats after a
warm-up call; the first call of the compiled kernel (numba JIT, cached on disk afterwards) is reported apart.

Usage::

    python benchmarks/bench_coupling.py            # full sizes (a few minutes on 2 cores)
    python benchmarks/bench_coupling.py --quick    # n <= 10^5 (seconds)
    python benchmarks/bench_coupling.py --json out.json

This is a benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np

try:  # run from a checkout without installing: use the source tree
    import infokit
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
    import infokit

from infokit.methods.coupling import ebim, mec_lower_bound, min_entropy_coupling
from infokit.methods.coupling import mec as _mec

LN2 = math.log(2.0)


def cpu_time(fn, repeat, *, warm_up=True):
    """Median process CPU time of ``fn()`` over ``repeat`` calls (after one warm-up call unless ``warm_up`` is
    false: the slow peer, which has nothing to warm up); returns (t, value)."""
    ts, value = [], None
    if warm_up:
        value = fn()
    for _ in range(repeat):
        t = time.process_time()
        value = fn()
        ts.append(time.process_time() - t)
    return statistics.median(ts), value


def dense_greedy_entropy(p, q):
    """The peer: greedy MEC with a full ``argmax`` per step (dense residual arrays); entropy in bits."""
    p, q = p.copy(), q.copy()
    cells = []
    while True:
        i, j = int(np.argmax(p)), int(np.argmax(q))
        m = min(p[i], q[j])
        if m <= 1e-15:
            break
        cells.append(m)
        p[i] -= m
        q[j] -= m
    c = np.array(cells)
    return float(-np.sum(c * np.log2(c)))


def python_kernel_entropy(p, q):
    ps = [_mec._normalised(p), _mec._normalised(q)]
    _, v = _mec._greedy_coupling(ps, engine="python")
    return float(-np.sum(v * np.log2(v)))


def fit_exponent(ns, ts):
    ns, ts = np.asarray(ns, float), np.asarray(ts, float)
    k, c = np.polyfit(np.log(ns), np.log(ts), 1)
    return float(k), float(c)


def fmt_t(t):
    if t is None:
        return "—"
    if t >= 100:
        return f"{t:,.0f} s"
    if t >= 1:
        return f"{t:.2f} s"
    return f"{t * 1e3:.1f} ms"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="n <= 10^5 (smoke run)")
    ap.add_argument("--json", default=None, help="also write every timing to this JSON file")
    args = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    sizes = [10**3, 10**4, 10**5] if args.quick else [10**3, 10**4, 10**5, 10**6, 10**7]
    peer_sizes = [10**3, 3 * 10**3] if args.quick else [10**3, 3 * 10**3, 10**4, 3 * 10**4, 10**5]
    python_max = 10**5 if args.quick else 10**6
    out = {"date": _dt.date.today().isoformat(), "machine": platform.platform(), "python": platform.python_version(),
           "numpy": np.__version__, "infokit": infokit.__version__, "cases": []}
    try:
        import numba

        out["numba"] = numba.__version__
    except ImportError:
        out["numba"] = None

    t = time.process_time()
    kern = _mec._numba_kernel()
    jit = time.process_time() - t
    print(f"numba {'available' if kern is not None else 'NOT installed: the Python kernel is used throughout'}"
          + (f"; first compile / cache load {jit:.2f} s CPU" if kern is not None else ""))

    rows = []

    def pair(n):  # the same random pair for every contender at size n
        r = np.random.default_rng(n)
        p = r.random(n)
        return p / p.sum(), r.dirichlet(np.full(n, 0.5))

    print("\n(a)+(b) greedy MEC of two random pmfs of n atoms each (CPU time, median)")
    ik, py, peer, dh = {}, {}, {}, {}
    for n in sorted(set(sizes) | set(peer_sizes)):
        p, q = pair(n)
        rep = 5 if n <= 10**5 else (3 if n <= 10**6 else 1)
        ik[n], h = cpu_time(lambda: min_entropy_coupling(p, q, base=2).entropy, rep)
        if n <= python_max:
            py[n], hp = cpu_time(lambda: python_kernel_entropy(p, q), 1 if n >= 10**6 else 3)
            dh[n] = abs(hp - h)
        if n in peer_sizes:
            peer[n], hd = cpu_time(lambda: dense_greedy_entropy(p, q), 1 if n >= 10**4 else 3, warm_up=n < 10**4)
            dh[n] = max(dh.get(n, 0.0), abs(hd - h))
        print(f"  n = {n:>10,}: infokit {fmt_t(ik[n]):>9}   python kernel {fmt_t(py.get(n)):>9}   "
              f"dense peer {fmt_t(peer.get(n)):>9}   max |ΔH| vs infokit {dh.get(n, float('nan')):.1e} bits")
    fit_ns = [n for n in sizes if n >= 10**4]
    k_ik, _ = fit_exponent(fit_ns, [ik[n] for n in fit_ns])
    pn = sorted(peer)[-3:] if len(peer) > 3 else sorted(peer)  # the largest sizes: per-step Python
    # overhead hides the O(n) argmax at small n
    k_peer, c_peer = fit_exponent(pn, [peer[n] for n in pn])
    py_ns = [n for n in sorted(py) if n >= 10**4]
    k_py = fit_exponent(py_ns, [py[n] for n in py_ns])[0] if len(py_ns) >= 2 else float("nan")
    print(f"  fitted exponent (time ~ n^k): infokit k = {k_ik:.2f} (n = {fit_ns[0]:,}..{fit_ns[-1]:,}); python kernel "
          f"k = {k_py:.2f}; dense peer k = {k_peer:.2f} (n = {pn[0]:,}..{pn[-1]:,})")
    for n in sizes:
        peer_t, note = peer.get(n), ""
        if peer_t is None:
            peer_t = math.exp(c_peer) * n**k_peer
            note = "peer extrapolated"
        rows.append(("(a) greedy MEC, 2 x n atoms", f"n = {n:,}", ik[n], py.get(n), peer_t, peer_t / ik[n], note))
        out["cases"].append({"case": "greedy", "n": n, "infokit_s": ik[n], "python_kernel_s": py.get(n),
                             "dense_peer_s": peer.get(n), "dense_peer_extrapolated_s": None if n in peer else peer_t,
                             "max_abs_entropy_diff_bits": dh.get(n)})
    target = ik.get(10**6)
    out["fit"] = {"infokit_k": k_ik, "python_k": k_py, "peer_k": k_peer}

    print("\n(c) lower bounds, two marginals of 10^6 atoms" if not args.quick else "\n(c) lower bounds, n = 10^5")
    nb = 10**5 if args.quick else 10**6
    p = rng.random(nb)
    p /= p.sum()
    q = rng.dirichlet(np.full(nb, 0.5))
    h_g = min_entropy_coupling(p, q, base=2).entropy
    for kind in ("meet", "profile", "majorize_profile"):
        tb, vb = cpu_time(lambda: mec_lower_bound(p, q, kind=kind, base=2), 3)
        print(f"  {kind:17}: {fmt_t(tb):>9}   bound {vb:.4f} bits (greedy {h_g:.4f})")
        rows.append((f"(c) lower bound {kind}", f"n = {nb:,}", tb, None, None, None, f"{vb:.4f} <= greedy {h_g:.4f}"))
        out["cases"].append({"case": f"bound_{kind}", "n": nb, "infokit_s": tb, "value_bits": vb})

    print("\n(d) EBIM greedy, n = 1000 outcomes (Dirichlet(1) source)")
    px = rng.dirichlet(np.ones(1000))
    hx = float(infokit.entropy(px, base=2))
    for frac in (0.3, 0.7, 0.95):
        te, r = cpu_time(lambda: ebim(px, frac * hx, base=2), 3)
        print(f"  R = {frac:.2f} H(X) = {frac * hx:.3f} bits: {fmt_t(te):>9}   I(X;T) = {r.mutual_information:.4f}, "
              f"{r.p_t.size} codes")
        rows.append(("(d) EBIM greedy", f"n = 1000, R = {frac:.2f} H(X)", te, None, None, None,
                     f"I = {r.mutual_information:.4f} of R = {frac * hx:.4f} bits"))
        out["cases"].append({"case": "ebim_greedy", "n": 1000, "rate_bits": frac * hx, "infokit_s": te,
                             "mi_bits": r.mutual_information})

    print("\n| case | size | infokit (CPU) | pure-Python kernel | dense numpy greedy (peer) | peer / infokit | note |")
    print("|---|---|---|---|---|---|---|")
    for case, size, t_ik, t_py, t_peer, ratio, note in rows:
        print(f"| {case} | {size} | {fmt_t(t_ik)} | {fmt_t(t_py)} | {fmt_t(t_peer)} | "
              f"{'—' if ratio is None else f'{ratio:,.0f}×'} | {note} |")
    print(f"\nfitted exponents: infokit {k_ik:.2f}, pure-Python kernel {k_py:.2f}, dense peer {k_peer:.2f}")
    if target is not None:
        print(f"target (a): 10^6 + 10^6 atoms in < 1 s on one core: {fmt_t(target)} -> "
              f"{'met' if target < 1.0 else 'MISSED'}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)
        print(f"timings written to {args.json}")


if __name__ == "__main__":
    main()
