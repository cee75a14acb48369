"""Exact measures: infokit beside scipy.stats, dit, pyitlib and a numpy floor, in one process.

Three cases (the issue's "Performance" section):

(a) the entropy of one pmf of 10^7 entries;
(b) the entropies of a batch of 10^5 pmfs of 100 entries (infokit batched along ``axis`` vs scipy's per-row
    loop and scipy's own ``axis=`` batching);
(c) the mutual information of a 1000 x 1000 joint table.

For every contender it reports the median time over repeats (timeit style: one warm-up call first, then
interleaved repeats so that a shared, loaded machine slows every contender alike), the time ratio to infokit,
the peak memory of one call (tracemalloc: numpy buffers and Python objects; one extra call, outside the timing)
and the largest absolute difference from a reference value (an extended-precision sum), in nats.
The "numpy floor" rows are the bare vectorised formula without any input check (einsum, not BLAS ``dot``:
BLAS threads spin and distort timings on a shared machine); no library can be much faster than it.

Per-row Python loops (scipy's, dit's) are timed on a subset of the rows and scaled linearly to the full batch;
the table says so ("extrapolated"). dit is given its fastest construction path
(``dit.Distribution.from_array``); its time is reported both with and without that construction.
A peer that is not installed is skipped with a note.

Usage::

    python benchmarks/bench_measures.py            # full sizes (a few minutes on 2 cores)
    python benchmarks/bench_measures.py --quick    # smoke run, small sizes (seconds)
    python benchmarks/bench_measures.py --json results.json

This is a benchmark, not a test: it never fails on a missed target, it reports it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field

import numpy as np

try:  # run from a checkout without installing: use the source tree
    import infokit
except ImportError:  # pragma: no cover
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))
    import infokit

LN2 = math.log(2.0)


# ------------------------------------------------------------------------------------------------ peers
def _optional(name):
    try:
        module = __import__(name, fromlist=["_"])
    except Exception as exc:  # ImportError, or a peer broken by the installed numpy
        return None, f"{name} not available ({type(exc).__name__}: {exc})"
    return module, None


def _peers():
    scipy_stats, scipy_note = _optional("scipy.stats")
    dit, dit_note = _optional("dit")
    drv, drv_note = _optional("pyitlib.discrete_random_variable")
    if dit is not None and not hasattr(dit.Distribution, "from_array"):
        dit, dit_note = None, "dit installed but without Distribution.from_array (dit < 2); skipped"
    return {
        "scipy": (scipy_stats, scipy_note),
        "dit": (dit, dit_note),
        "pyitlib": (drv, drv_note),
    }


def _version(name):
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:
        return "-"


# ------------------------------------------------------------------------------------------------ timing
@dataclass
class Contender:
    name: str
    fn: object  # () -> value (nats); a scalar or an array
    scale: float = 1.0  # time multiplier: full batch / rows actually run (per-row loops on a subset)
    note: str = ""
    reference: object = None  # the reference value for this contender's input (defaults to the case's)
    is_infokit: bool = False


@dataclass
class Row:
    case: str
    name: str
    median_s: float
    ratio: float | None  # median time / infokit's median time (> 1: infokit is faster)
    peak_mb: float
    abs_diff: float | None
    note: str = ""
    times_s: list = field(default_factory=list)


_TIMERS = {"wall": time.perf_counter, "cpu": time.process_time}


def _clock(fn, number, timer=time.perf_counter):
    gc_was = gc.isenabled()
    gc.disable()
    try:
        t0 = timer()
        for _ in range(number):
            fn()
        return (timer() - t0) / number
    finally:
        if gc_was:
            gc.enable()


def _traced(fn):
    """Run ``fn`` once under tracemalloc; return (value, peak MB above the start, wall seconds)."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base, _ = tracemalloc.get_traced_memory()
        t0 = time.perf_counter()
        value = fn()
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return value, (peak - base) / 2**20, elapsed


def _abs_diff(value, reference):
    if reference is None or value is None:
        return None
    v = np.asarray(value, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if v.shape != r.shape:
        return math.nan
    return float(np.max(np.abs(v - r)))


def run_case(case, contenders, reference, *, repeat, min_time, log, timer="wall", slow_s=2.0, slow_repeat=3):
    """Time every contender; return one Row per contender.

    Per contender: one warm-up call (its duration sets the number of calls per timing so that one timing
    lasts >= ``min_time``), one call under tracemalloc (peak memory and the value checked for agreement), then
    ``repeat`` interleaved rounds (``slow_repeat`` for contenders slower than ``slow_s`` per call).
    """
    clock = _TIMERS[timer]
    numbers, values, peaks, rounds = [], [], [], []
    for c in contenders:
        t0 = time.perf_counter()
        c.fn()  # warm-up: first-call costs (lazy imports, caches) stay out of the timings
        elapsed = time.perf_counter() - t0
        value, peak, _ = _traced(c.fn)  # tracemalloc slows allocation-heavy code: not used for timing
        values.append(value)
        peaks.append(peak)
        numbers.append(max(1, math.ceil(min_time / max(elapsed, 1e-9))))
        rounds.append(repeat if elapsed < slow_s else min(repeat, slow_repeat))
        log(f"  {c.name:<42s} one call {elapsed * 1e3:10.2f} ms  x{numbers[-1]} per timing, {rounds[-1]} rounds")
    times = [[] for _ in contenders]
    order = list(range(len(contenders)))
    for r in range(repeat):
        # rotate the order every round: load spikes on a shared machine do not always hit the same contender
        for i in order[r % len(order):] + order[: r % len(order)]:
            if r < rounds[i]:
                times[i].append(_clock(contenders[i].fn, numbers[i], clock) * contenders[i].scale)
    medians = [statistics.median(t) for t in times]
    ik = next((m for m, c in zip(medians, contenders) if c.is_infokit), None)
    rows = []
    for c, med, t, v, peak in zip(contenders, medians, times, values, peaks):
        ref = c.reference if c.reference is not None else reference
        rows.append(Row(case, c.name, med, None if ik is None else med / ik, peak, _abs_diff(v, ref), c.note, t))
    return rows


# ------------------------------------------------------------------------------------------------ references
def _ref_entropy(p, axis=-1):
    """Entropy in nats with extended-precision (long double) terms and sums: the agreement reference."""
    q = np.asarray(p, dtype=np.longdouble)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(q > 0, -q * np.log(q), 0)
    return np.sum(t, axis=axis)


def _ref_mi(j):
    q = np.asarray(j, dtype=np.longdouble)
    return _ref_entropy(q.sum(axis=1)) + _ref_entropy(q.sum(axis=0)) - _ref_entropy(q.ravel())


# ------------------------------------------------------------------------------------------------ cases
def case_single(n, peers, rng, **opts):
    p = rng.random(n)
    p /= p.sum()
    ref = _ref_entropy(p)
    sst = peers["scipy"][0]
    dit = peers["dit"][0]
    drv = peers["pyitlib"][0]
    cs = [Contender("infokit.entropy", lambda: infokit.entropy(p), is_infokit=True)]
    if sst is not None:
        cs.append(Contender("scipy.stats.entropy", lambda: sst.entropy(p)))
    cs.append(Contender("numpy floor -einsum(p, log p)", lambda: -np.einsum("i,i->", p, np.log(p)),
                        note="no validation"))
    if drv is not None:
        cs.append(Contender("pyitlib entropy_pmf", lambda: drv.entropy_pmf(p, base=np.e)))
    if dit is not None:
        alphabet = [np.arange(n)]

        def dit_full():
            return dit.shannon.entropy(dit.Distribution.from_array(p, ["X"], alphabet)) * LN2

        prebuilt = dit.Distribution.from_array(p, ["X"], alphabet)
        cs.append(Contender("dit from_array + entropy", dit_full))
        cs.append(Contender("dit entropy (prebuilt)", lambda: dit.shannon.entropy(prebuilt) * LN2,
                            note="construction excluded"))
    return run_case(f"(a) one pmf, n = {n:.0e}", cs, ref, **opts)


def case_batch(rows, k, loop_rows, peers, rng, **opts):
    P = rng.random((rows, k))
    P /= P.sum(axis=1, keepdims=True)
    ref = _ref_entropy(P)
    sub = P[:loop_rows]
    scale = rows / loop_rows
    extra = f"loop over {loop_rows} rows, x{scale:g} extrapolated (linear in rows)" if scale != 1 else ""
    sst = peers["scipy"][0]
    dit = peers["dit"][0]
    drv = peers["pyitlib"][0]
    cs = [Contender("infokit.entropy(P, axis=-1)", lambda: infokit.entropy(P, axis=-1), is_infokit=True)]
    if sst is not None:
        cs.append(Contender("scipy.stats.entropy per-row loop",
                            lambda: np.array([sst.entropy(r) for r in sub]), scale=scale, note=extra,
                            reference=ref[:loop_rows]))
        cs.append(Contender("scipy.stats.entropy(P, axis=-1)", lambda: sst.entropy(P, axis=-1)))
    cs.append(Contender("numpy floor -einsum(P, log P)", lambda: -np.einsum("ij,ij->i", P, np.log(P)),
                        note="no validation"))
    if drv is not None:
        cs.append(Contender("pyitlib entropy_pmf(P)", lambda: drv.entropy_pmf(P, base=np.e)))
    if dit is not None:
        dit_rows = max(1, loop_rows // 10)
        dsub = P[:dit_rows]
        alphabet = [np.arange(k)]
        cs.append(Contender(
            "dit per-row loop (from_array + entropy)",
            lambda: np.array([dit.shannon.entropy(dit.Distribution.from_array(r, ["X"], alphabet)) for r in dsub])
            * LN2,
            scale=rows / dit_rows, note=f"loop over {dit_rows} rows, x{rows / dit_rows:g} extrapolated",
            reference=ref[:dit_rows]))
    return run_case(f"(b) batch of {rows:.0e} pmfs x {k}", cs, ref, **opts)


def case_mi(m, peers, rng, **opts):
    J = rng.random((m, m))
    J /= J.sum()
    ref = _ref_mi(J)
    sst = peers["scipy"][0]
    dit = peers["dit"][0]
    drv = peers["pyitlib"][0]

    def floor():
        px, py, flat = J.sum(axis=1), J.sum(axis=0), J.ravel()
        return (-np.einsum("i,i->", px, np.log(px)) - np.einsum("i,i->", py, np.log(py))
                + np.einsum("i,i->", flat, np.log(flat)))

    cs = [Contender("infokit.mutual_information", lambda: infokit.mutual_information(J), is_infokit=True),
          Contender("numpy floor H(X)+H(Y)-H(X,Y)", floor, note="no validation")]
    if sst is not None:
        cs.append(Contender("scipy: 3 x stats.entropy",
                            lambda: sst.entropy(J.sum(axis=1)) + sst.entropy(J.sum(axis=0)) - sst.entropy(J.ravel()),
                            note="scipy has no MI of a table"))
    if drv is not None:
        cs.append(Contender(
            "pyitlib: 3 x entropy_pmf",
            lambda: (drv.entropy_pmf(J.sum(axis=1), base=np.e) + drv.entropy_pmf(J.sum(axis=0), base=np.e)
                     - drv.entropy_pmf(J.ravel(), base=np.e)),
            note="pyitlib's MI takes samples, not tables"))
    if dit is not None:
        alphabets = [np.arange(m), np.arange(m)]

        def dit_full():
            d = dit.Distribution.from_array(J, ["X", "Y"], alphabets)
            return dit.shannon.mutual_information(d, ["X"], ["Y"]) * LN2

        prebuilt = dit.Distribution.from_array(J, ["X", "Y"], alphabets)
        cs.append(Contender("dit from_array + mutual_information", dit_full))
        cs.append(Contender("dit mutual_information (prebuilt)",
                            lambda: dit.shannon.mutual_information(prebuilt, ["X"], ["Y"]) * LN2,
                            note="construction excluded"))
    return run_case(f"(c) MI of a {m} x {m} table", cs, ref, **opts)


# ------------------------------------------------------------------------------------------------ report
def _fmt_time(s):
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def _fmt_diff(d):
    if d is None:
        return "—"
    if math.isnan(d):
        return "shape mismatch"
    return "0" if d == 0 else f"{d:.1e}"


def markdown_table(rows):
    lines = ["| case | contender | median time | time / infokit | peak memory | max abs diff (nats) | note |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        ratio = "—" if r.ratio is None else ("1 (ref)" if r.name.startswith("infokit") else f"{r.ratio:.2f}×")
        lines.append(f"| {r.case} | {r.name} | {_fmt_time(r.median_s)} | {ratio} | {r.peak_mb:.1f} MB | "
                     f"{_fmt_diff(r.abs_diff)} | {r.note} |")
    return "\n".join(lines)


def targets(rows):
    """The issue's targets, evaluated on the measured medians."""
    def get(case_prefix, name):
        return next((r for r in rows if r.case.startswith(case_prefix) and r.name == name), None)

    out = []
    a_ik, a_sc = get("(a)", "infokit.entropy"), get("(a)", "scipy.stats.entropy")
    if a_ik and a_sc:
        ratio = a_ik.median_s / a_sc.median_s
        out.append(("(a) infokit within 1.2x of scipy.stats.entropy", f"infokit/scipy = {ratio:.2f}", ratio <= 1.2))
    b_ik, b_loop = get("(b)", "infokit.entropy(P, axis=-1)"), get("(b)", "scipy.stats.entropy per-row loop")
    if b_ik and b_loop:
        ratio = b_loop.median_s / b_ik.median_s
        out.append(("(b) >= 5x faster than scipy's per-row loop", f"{ratio:.0f}x", ratio >= 5))
    for r in rows:
        if r.name.startswith("dit") and r.ratio is not None:
            out.append((f"{r.case[:3]} >= 20x faster than {r.name}", f"{r.ratio:.1f}x", r.ratio >= 20))
    return out


def _cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine():
    info = {
        "date": _dt.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "processor": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "numpy": np.__version__,
        "scipy": _version("scipy"),
        "dit": _version("dit"),
        "pyitlib": _version("pyitlib"),
        "infokit": infokit.__version__,
        "longdouble_eps": float(np.finfo(np.longdouble).eps),
    }
    try:
        info["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover - not on every platform
        pass
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes and few repeats (a smoke run)")
    parser.add_argument("--repeat", type=int, default=None, help="timed rounds per case (default 7; quick 5)")
    parser.add_argument("--loop-rows", type=int, default=None,
                        help="rows run by the per-row loops of case (b) (default 10000; quick 200); dit's loop "
                             "runs a tenth of them")
    parser.add_argument("--json", metavar="FILE", help="also write the rows and the machine info as JSON")
    parser.add_argument("--timer", choices=sorted(_TIMERS), default="wall",
                        help="wall: time.perf_counter (default); cpu: time.process_time, this process's CPU time "
                             "(steadier on a loaded, shared machine; counts every thread)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    if args.quick:
        n_a, rows_b, k_b, m_c = 10**5, 10**4, 100, 200
        repeat, loop_rows, min_time = args.repeat or 5, args.loop_rows or 200, 0.05
    else:
        n_a, rows_b, k_b, m_c = 10**7, 10**5, 100, 1000
        repeat, loop_rows, min_time = args.repeat or 7, args.loop_rows or 10_000, 0.1
    loop_rows = min(loop_rows, rows_b)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    info = machine()
    peers = _peers()
    for name, (_, note) in peers.items():
        if note:
            log(f"note: {note}")
    rng = np.random.default_rng(args.seed)
    opts = {"repeat": repeat, "min_time": min_time, "log": log, "timer": args.timer}
    rows = []
    t0 = time.perf_counter()
    log(f"(a) entropy of one pmf of {n_a} entries")
    rows += case_single(n_a, peers, rng, **opts)
    log(f"(b) entropies of {rows_b} pmfs of {k_b} entries")
    rows += case_batch(rows_b, k_b, loop_rows, peers, rng, **opts)
    log(f"(c) mutual information of a {m_c} x {m_c} table")
    rows += case_mi(m_c, peers, rng, **opts)
    try:
        info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:  # pragma: no cover
        pass
    info["wall_s"] = round(time.perf_counter() - t0, 1)

    command = "python benchmarks/bench_measures.py" + " ".join(
        [""] + (["--quick"] if args.quick else []) + ([f"--timer {args.timer}"] if args.timer != "wall" else [])
        + ([f"--repeat {args.repeat}"] if args.repeat else []) + ([f"--loop-rows {args.loop_rows}"] if args.loop_rows else []))
    print(f"# infokit measures benchmark ({'quick' if args.quick else 'full'} sizes), {info['date']}")
    print()
    print(f"Command: `{command}`; {repeat} interleaved rounds, medians of {args.timer}-clock time. Machine: {info['processor']}, "
          f"{info['cpu_count']} cores, {info['platform']}; load average {info.get('loadavg_start')} -> "
          f"{info.get('loadavg_end')}. Python {info['python']}, numpy {info['numpy']}, scipy {info['scipy']}, "
          f"dit {info['dit']}, pyitlib {info['pyitlib']}, infokit {info['infokit']}. Wall time {info['wall_s']} s.")
    skipped = [note for _, note in peers.values() if note]
    if skipped:
        print()
        print("Skipped peers: " + "; ".join(skipped) + ".")
    print()
    print(markdown_table(rows))
    print()
    print("Targets (issue 2):")
    for what, got, ok in targets(rows):
        print(f"- {what}: {got} — {'met' if ok else 'MISSED'}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"machine": info, "command": command, "repeat": repeat,
                       "rows": [asdict(r) for r in rows],
                       "targets": [{"target": w, "measured": g, "met": ok} for w, g, ok in targets(rows)]},
                      fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
