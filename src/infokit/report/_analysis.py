"""The analysis behind ``infokit report``: entropies, MI with the target (CI, p-value), redundancy, mRMR, CMI.

Every estimate is one small picklable :class:`Task` (which columns, which estimator, which seed) run by
:func:`run_task` on the encoded columns, which are bound into the function once
(``functools.partial(run_task, data=columns)``), so a cluster receives the data once per worker rather than
once per task. Each step hands its list of tasks to :func:`map_tasks_local_or_cluster`, the one "map" hook of
the report. Without a cluster it is a plain loop in this process (no Dask import). With ``client=`` (a
``dask.distributed.Client``) or ``scheduler=`` (an address), it calls
``infokit.parallel.map_tasks(fn, tasks, client=..., scheduler=...)``, which returns the results in the order of
the tasks. Seeds are fixed per task, so both give the same numbers.
"""

from __future__ import annotations

import datetime as _dt
import math
import time
import warnings
from dataclasses import dataclass

import numpy as np

from .._units import check_base, to_base, unit_name
from ..exceptions import InfokitError, InvalidParameterError
from ._io import InvalidTableError, as_table
from ._mrmr import mrmr_order
from ._progress import Progress
from ._result import ColumnResult, MRMRStep, Quantity, Redundancy, Report
from ._types import FLAGGED, detect_columns

__all__ = ["compute", "run_task", "Task", "map_tasks_local_or_cluster"]

_PHASES = {"entropy": 1, "mi": 2, "perm": 3, "pair": 4, "cmi": 5}


# --------------------------------------------------------------------------------------------- tasks
@dataclass(frozen=True)
class Task:
    """One estimate: ``kind`` in {"entropy", "mi", "perm", "pair", "cmi"} on the complete rows of 1–3 columns.

    ``columns`` name the variables in the data passed to :func:`run_task` (int64 codes, -1 = missing, for
    discrete columns; float64, NaN = missing, otherwise); ``discrete`` says which are discrete.
    """

    kind: str
    key: tuple
    columns: tuple
    discrete: tuple
    method: str
    k: int = 3
    ci: float | None = None
    n_bootstrap: int | None = None
    permutations: int | None = None
    seed: int | None = None
    dequantize: bool = False


def _dequantized(x: np.ndarray, seed) -> tuple:
    """``x`` plus U(-δ/2, δ/2) noise, δ = the smallest gap between distinct values (the data's resolution).

    Rounded measurements repeat values, and a differential entropy is undefined at ties (log 0); spreading each
    value uniformly over its rounding cell gives the entropy of the continuous variable that was rounded.
    """
    u = np.unique(x)
    gaps = np.diff(u)
    delta = float(gaps.min()) if gaps.size else 1.0
    rng = np.random.default_rng(seed)
    return x + rng.uniform(-0.5 * delta, 0.5 * delta, size=x.shape), delta


def _complete_arrays(arrays, discrete) -> tuple:
    """The rows complete in every array (codes >= 0 for discrete columns, non-NaN otherwise)."""
    ok = np.ones(arrays[0].shape[0], dtype=bool)
    for a, d in zip(arrays, discrete):
        ok &= (a >= 0) if d else ~np.isnan(a)
    return tuple(np.ascontiguousarray(a[ok]) for a in arrays)


def run_task(task: Task, data) -> dict:
    """Run one :class:`Task` on ``data`` (a mapping column name -> encoded values); return numbers in nats.

    Never raises for a bad estimate: returns ``{"key", "value", "ci", "stderr", "pvalue", "null_mean",
    "method", "n", "resample", "error", "note", "warnings"}``; ``error`` holds the message when the estimator
    refused the data.
    """
    arrays = _complete_arrays([data[c] for c in task.columns], task.discrete)
    return _run(task, arrays)


def _run(task: Task, arrays) -> dict:
    from ..estimators import (
        estimate_conditional_mutual_information,
        estimate_entropy,
        estimate_mutual_information,
    )

    out = {"key": task.key, "value": None, "ci": None, "stderr": None, "pvalue": None, "null_mean": None,
           "method": None, "n": int(len(arrays[0])), "resample": None, "error": None, "warnings": [],
           "note": None}
    common = dict(method=task.method, k=task.k, random_state=task.seed)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if task.kind == "entropy":
                x = arrays[0]
                if task.dequantize:
                    x, delta = _dequantized(x, task.seed)
                    out["note"] = (f"the column repeats values (rounded data): ties were broken by adding uniform "
                                   f"noise of the data's resolution ({delta:.3g}, the smallest gap between values)")
                res = estimate_entropy(x, discrete=task.discrete[0],
                                       ci=task.ci, n_bootstrap=task.n_bootstrap, **common)
            elif task.kind == "mi" and task.ci is not None:
                res = _half_sampling_mi(task, arrays)
            elif task.kind in ("mi", "perm", "pair"):
                res = estimate_mutual_information(
                    arrays[0], arrays[1], discrete=list(task.discrete), ci=task.ci,
                    n_bootstrap=task.n_bootstrap, permutations=task.permutations, **common)
            elif task.kind == "cmi":
                res = estimate_conditional_mutual_information(
                    arrays[0], arrays[1], arrays[2], discrete=list(task.discrete), ci=task.ci,
                    n_bootstrap=task.n_bootstrap, permutations=task.permutations, **common)
            else:  # pragma: no cover - tasks are built in this module
                raise InvalidParameterError(f"unknown task kind {task.kind!r}")
        except InfokitError as exc:
            out["error"] = str(exc)
            res = None
    out["warnings"] = sorted({str(w.message) for w in caught})
    if res is None:
        return out
    if isinstance(res, float):
        out["value"] = float(res)
        out["method"] = _auto_name(task, arrays)
    elif isinstance(res, dict):
        out.update(res)
    else:
        out.update(value=float(res.value), ci=res.ci, stderr=res.stderr, pvalue=res.pvalue,
                   null_mean=res.null_mean, method=res.method, n=int(res.n))
        out["resample"] = _resample_kind(task, res.method)
    if out["value"] is not None and not math.isfinite(out["value"]):
        out["error"] = f"the estimate is {out['value']} (degenerate column)"
        out["value"] = None
    return out


def _mi_statistic(x, y, *, method, discrete, k):
    from ..estimators import estimate_mutual_information

    return estimate_mutual_information(x, y, method=method, discrete=discrete, k=k)


def _half_sampling_mi(task: Task, arrays) -> dict:
    """MI with a half-sampling interval (:func:`infokit.stats.subsample_ci`) for every estimator.

    # Deviation from the estimators' ``ci=``: their percentile bootstrap for the discrete methods is not used,
    # because resampling with replacement merges rare symbols and shifts bias-corrected discrete MI estimates
    # upward: with 53 symbols in 300 rows and true MI 0 its 95% interval excluded 0 in 40 of 40 trials, while
    # half-sampling (no duplicated rows, basic reflection) covered it in all 40.
    """
    from functools import partial

    from ..stats import subsample_ci

    stat = partial(_mi_statistic, method=task.method, discrete=list(task.discrete), k=task.k)
    value = float(stat(arrays[0], arrays[1]))  # an error here is the estimate's own: raised
    out = {"value": value, "method": _auto_name(task, arrays)}
    try:
        r = subsample_ci(stat, arrays[0], arrays[1], n_resamples=task.n_bootstrap,
                         confidence_level=task.ci, random_state=task.seed)
    except InfokitError as exc:  # too few rows for the half-samples: keep the estimate, say why there is no CI
        out["note"] = f"no confidence interval: {exc}"
        return out
    out.update(ci=tuple(r.confidence_interval), stderr=float(r.standard_error), resample="half-sampling")
    return out


def _quantity_of(kind: str) -> str:
    return {"entropy": "entropy", "cmi": "conditional_mutual_information"}.get(kind, "mutual_information")


def _auto_name(task: Task, arrays) -> str:
    if task.method != "auto":
        return task.method
    from ..estimators import select_method

    small = [a[:50] for a in arrays]
    disc = task.discrete[0] if task.kind == "entropy" else list(task.discrete)
    return select_method(_quantity_of(task.kind), *small, discrete=disc)[0]


def _resample_kind(task: Task, method: str) -> str | None:
    if task.ci is None:
        return None
    from .._registry import get_method

    m = get_method(_quantity_of(task.kind), method)
    return "percentile bootstrap" if m.resample == "bootstrap" else "half-sampling"  # entropy CIs (unused)


def map_tasks_local_or_cluster(fn, items, *, client=None, scheduler=None, progress=None, label=""):
    """The report's map hook: ``[fn(item) for item in items]``, locally or on a Dask cluster.

    Parameters
    ----------
    fn : callable
        A module-level function (picklable), here :func:`run_task`.
    items : list
    client : dask.distributed.Client, optional
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``).
    progress : Progress, optional
    label : str

    Returns
    -------
    list
        ``fn(item)`` for each item, in the order of ``items``.
    """
    items = list(items)
    if client is None and scheduler is None:
        out = []
        with (progress or Progress()).bar(label, len(items)) as bar:
            for it in items:
                out.append(fn(it))
                bar.update(1)
        return out
    try:
        from infokit.parallel import map_tasks
    except ImportError as exc:
        raise InvalidParameterError(
            "running the report on a Dask cluster needs infokit.parallel with dask and distributed installed; "
            f"install them with `pip install 'infokit[dask]'` ({exc})"
        ) from None
    prog = progress or Progress()
    prog.say(f"{label}: {len(items)} tasks sent to the Dask cluster")
    with prog.bar(label, len(items)) as bar:
        out = list(map_tasks(fn, items, client=client, scheduler=scheduler,
                             progress=bar if prog.bars else None))
    if len(out) != len(items):  # pragma: no cover - a contract check on infokit.parallel
        raise InfokitError(f"infokit.parallel.map_tasks returned {len(out)} results for {len(items)} tasks")
    return out


# --------------------------------------------------------------------------------------------- helpers
def _seed(base: int, phase: str, idx: int) -> int:
    return int(np.random.SeedSequence([base, _PHASES[phase], idx]).generate_state(1)[0])


def _dummy(discrete) -> np.ndarray:
    """Ten placeholder values of a kind: select_method's choice depends on the kinds and shapes only."""
    return np.tile([0, 1], 5) if discrete else np.linspace(0.0, 1.0, 10)


def _mi_method(user: str, kinds, quantity: str):
    """(method, reason or None). None reason: ask select_method (what "auto" picks) at run time."""
    from .._registry import _REGISTRY

    if user != "auto":
        if user in _REGISTRY.get(quantity, {}):
            return user, "chosen by the caller"
        return ("gao" if "mixed" in kinds else "auto",
                f"method {user!r} does not estimate {quantity.replace('_', ' ')}; used the automatic choice")
    if "mixed" in kinds and quantity != "entropy":
        return "gao", ("a column repeats values (a point mass, or rounded / integer data): the mixed kNN estimator "
                       "of Gao et al. (2017) counts ties at distance 0 correctly, where KSG / Ross do not")
    return "auto", None


def _explain(quantity, discrete, method, reason):
    if reason is not None:
        return method, reason
    from ..estimators import select_method

    disc = discrete[0] if quantity == "entropy" else list(discrete)
    return select_method(quantity, *[_dummy(d) for d in discrete], discrete=disc)


def _q(res, base, unit, *, level=None, perms=None, note=None):
    """A Quantity in ``base`` units from a run_task dict (value None + note on error)."""
    if res is None:
        return None
    if res["error"] is not None:
        return Quantity(None, unit, res["method"], res["n"], note=f"not estimated: {res['error']}")
    conv = (lambda v: None if v is None else float(to_base(v, base)))
    ci = None if res["ci"] is None else (conv(res["ci"][0]), conv(res["ci"][1]))
    if note is None:
        note = res.get("note")
    return Quantity(conv(res["value"]), unit, res["method"], res["n"], ci=ci, ci_method=res["resample"],
                    confidence_level=level if ci is not None else None,
                    resamples=res.get("resamples") if ci is not None else None,
                    pvalue=res["pvalue"], permutations=perms if res["pvalue"] is not None else None,
                    null_mean=conv(res["null_mean"]), note=note)


def _check_names(names, what, columns):
    out = []
    for nm in names or ():
        nm = str(nm)
        if nm not in columns:
            raise InvalidTableError(_unknown_column_message(nm, columns, what))
        out.append(nm)
    return tuple(out)


def _unknown_column_message(name, columns, what):
    import difflib

    close = difflib.get_close_matches(name, columns, n=3, cutoff=0.6)
    folded = [c for c in columns if c.lower() == name.lower() and c not in close]
    close = folded + close
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    shown = ", ".join(repr(c) for c in columns[:12]) + (", ..." if len(columns) > 12 else "")
    return f"{what} {name!r} is not a column of the table{hint} (columns: {shown})"


def _check_int(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InvalidParameterError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)


# --------------------------------------------------------------------------------------------- compute
def compute(
    data,
    target,
    *,
    base=2,
    method: str = "auto",
    permutations: int = 100,
    bootstrap: int = 100,
    confidence_level: float = 0.95,
    max_rows: int | None = 20_000,
    top: int = 10,
    k: int = 3,
    exclude=(),
    categorical=(),
    continuous=(),
    random_state=0,
    client=None,
    scheduler=None,
    progress: bool = False,
    verbose: bool = False,
    stream=None,
    sep=None,
    encoding: str = "utf-8",
) -> Report:
    r"""Information report of a table with respect to a target column.

    For every column: its type (discrete / continuous / mixed, with the rule used), missing count, entropy
    (with the estimator), MI with the target with a confidence interval and a permutation p-value, and the
    normalised forms MI / H(target) and :math:`\sqrt{1-e^{-2I}}`; a ranking; the pairwise MI of the ``top``
    features and their mRMR order; and I(column; target | best column).

    Parameters
    ----------
    data : str, os.PathLike, pandas.DataFrame, polars.DataFrame, dict or Table
        A CSV / TSV / Parquet path (see :func:`load_table`) or an in-memory table (never modified).
    target : str
        The column to explain.
    base : float, optional
        Units of every information number: 2 (bits, default), ``None`` or e (nats).
    method : str
        MI estimator: "auto" (per column pair, see Notes) or a registered MI method name.
    permutations : int
        Permutations per column for the p-value (0: no p-values).
    bootstrap : int
        Resamples per column for the confidence interval (0: no intervals).
    confidence_level : float
        Of the intervals, in (0, 1).
    max_rows : int or None
        Analyse at most this many rows: a seeded random subsample (``random_state``) of larger tables.
        None or 0: every row.
    top : int
        Size of the redundancy analysis: pairwise MI and mRMR over the ``top`` best-ranked columns.
    k : int
        Neighbours of the kNN estimators.
    exclude, categorical, continuous : sequence of str
        Columns to leave out / to treat as categories / to treat as continuous numbers.
    random_state : int or None
        Seed of the subsample, the resampling and the permutations (None: a fresh seed, recorded in the
        report's settings).
    client : dask.distributed.Client, optional
        Run the estimates on this Dask cluster (through ``infokit.parallel.map_tasks``).
    scheduler : str, optional
        Address of a Dask scheduler, instead of ``client``.
    progress : bool
        Progress bars on ``stream`` (only when it is a terminal).
    verbose : bool
        Explain each column's type and estimator on ``stream``.
    stream : file-like, optional
        Default ``sys.stderr``.
    sep, encoding
        Passed to :func:`load_table` when ``data`` is a path.

    Returns
    -------
    Report

    Raises
    ------
    InvalidTableError
        Unreadable input, unknown target (with close names), a target that is constant, empty, mixed-type or
        an identifier, or no column left to analyse.
    InvalidParameterError
        A bad setting.

    Notes
    -----
    Estimators (``method="auto"``), each pair of columns by their detected types: both discrete →
    Chao–Wang–Jost; both continuous → KSG; one of each → Ross (2014); a mixed column (a point mass, or
    repeated rounded / integer values) → the mixed KSG of Gao et al. (2017). Entropies: jackknife (discrete)
    and Kozachenko–Leonenko (continuous: a differential entropy, which depends on the column's units; repeated
    values are spread uniformly over their rounding cell first). Confidence intervals: half-sampling
    (:func:`infokit.stats.subsample_ci`) for every estimator — the percentile bootstrap shifts bias-corrected
    discrete MI estimates upward. p-values: permutation tests (:func:`infokit.estimate_mutual_information`
    with ``permutations=``). Rows with a missing value are dropped pair by pair. Cost: about
    ``1 + bootstrap / 2 + permutations`` estimates per column (half-samples cost half), plus the pairwise MI
    of the ``top`` columns and one conditional MI per column.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from infokit.report import compute

    A copy of a fair coin carries 1 bit about it; an independent coin carries none:

    >>> y = np.tile([0, 1], 200)
    >>> df = pd.DataFrame({"copy": y, "other": np.repeat([0, 1], 200), "y": y})
    >>> rep = compute(df, "y", method="plugin", permutations=0, bootstrap=0)
    >>> rep.ranking, round(rep.column("copy").mi.value, 6), round(rep.column("other").mi.value, 6), rep.unit
    (('copy', 'other'), 1.0, 0.0, 'bits')
    """
    from .. import __version__

    t_start = time.perf_counter()
    timings = {}
    prog = Progress(progress, verbose, stream)
    b = check_base(base)
    unit = unit_name(b)
    if not isinstance(method, str):
        raise InvalidParameterError(f"`method` must be 'auto' or an MI method name; got {method!r}")
    if method != "auto":
        from .._registry import get_method

        get_method("mutual_information", method, extra=("auto",))
    permutations = _check_int(permutations, "permutations", 0)
    bootstrap = _check_int(bootstrap, "bootstrap", 0)
    top = _check_int(top, "top", 2)
    k = _check_int(k, "k", 1)
    if isinstance(confidence_level, bool) or not isinstance(confidence_level, (int, float)) or \
            not 0 < float(confidence_level) < 1:
        raise InvalidParameterError(f"`confidence_level` must be in (0, 1), e.g. 0.95; got {confidence_level!r}")
    level = float(confidence_level)
    if max_rows is not None:
        max_rows = _check_int(max_rows, "max_rows", 0) or None
        if max_rows is not None and max_rows < 10:
            raise InvalidParameterError(f"`max_rows` must be 0 / None (all rows) or >= 10; got {max_rows}")
    if random_state is None:
        random_state = int(np.random.SeedSequence().generate_state(1)[0])
    seed = _check_int(random_state, "random_state", 0)
    if not isinstance(target, str):
        raise InvalidParameterError(f"`target` must be a column name (str); got {target!r}")

    t0 = time.perf_counter()
    table = as_table(data, sep=sep, encoding=encoding)
    columns = table.columns
    timings["load"] = time.perf_counter() - t0
    if target not in columns:
        raise InvalidTableError(_unknown_column_message(target, columns, "the target"))
    exclude = _check_names(exclude, "the excluded column", columns)
    categorical = _check_names(categorical, "the categorical column", columns)
    continuous = _check_names(continuous, "the continuous column", columns)
    both = set(categorical) & set(continuous)
    if both:
        raise InvalidParameterError(f"columns {sorted(both)} are declared both categorical and continuous; pick one")
    if target in exclude:
        raise InvalidParameterError(f"the target {target!r} is also excluded; remove it from `exclude`")

    # ---- types
    t0 = time.perf_counter()
    infos = detect_columns(table, exclude=exclude, categorical=categorical, continuous=continuous)
    timings["types"] = time.perf_counter() - t0
    by = {c.name: c for c in infos}
    tinfo = by[target]
    _check_target(tinfo, table)
    feats = [c for c in infos if c.name != target]
    for c in feats:
        prog.say(f"column {c.name!r}: {c.kind or c.status} — {c.rule}")
        if c.status in FLAGGED:
            prog.say(f"  left out: {c.message}")
    prog.say(f"target {target!r}: {tinfo.kind} — {tinfo.rule}")
    usable = [c for c in feats if c.status == "ok"]
    if not usable:
        flagged = ", ".join(f"{c.name!r} ({c.status})" for c in feats) or "none"
        raise InvalidTableError(
            f"no column is left to analyse against the target {target!r}: the other columns are {flagged}; "
            "fix the flagged columns or declare their types (--categorical / --continuous)"
        )

    # ---- rows
    n = table.n_rows
    if max_rows is not None and n > max_rows:
        rows = np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))
        prog.say(f"analysing a random sample of {max_rows} of {n} rows (seed {seed}; max_rows=0 for all rows)")
    else:
        rows = np.arange(n)
    n_used = int(rows.size)
    from functools import partial

    data = {c.name: c.values[rows] for c in [tinfo] + usable}
    fn = partial(run_task, data=data)  # the columns travel once per worker, the tasks are small
    mapper = dict(client=client, scheduler=scheduler, progress=prog)
    notes = []

    # ---- entropies
    t0 = time.perf_counter()
    ent_tasks = []
    for i, c in enumerate([tinfo] + usable):
        if c.point_mass:
            continue
        ties = False
        if c.kind != "discrete":
            v = data[c.name][~np.isnan(data[c.name])]
            ties = np.unique(v).size < v.size
        ent_tasks.append(Task("entropy", (c.name,), (c.name,), (c.kind == "discrete",), "auto", k=k,
                              seed=_seed(seed, "entropy", i), dequantize=bool(ties)))
    ent_res = {r["key"][0]: r for r in map_tasks_local_or_cluster(fn, ent_tasks, label="entropies", **mapper)}
    timings["entropy"] = time.perf_counter() - t0

    # ---- MI with the target (+ CI), permutation p-values
    t0 = time.perf_counter()
    mi_tasks, perm_tasks, reasons = [], [], {}
    for i, c in enumerate(usable):
        cols = (c.name, target)
        disc = (c.kind == "discrete", tinfo.kind == "discrete")
        m, why = _mi_method(method, (c.kind, tinfo.kind), "mutual_information")
        mname, why = _explain("mutual_information", disc, m, why)
        reasons[c.name] = (mname, why)
        prog.say(f"  I({c.name}; {target}): {mname} — {why}")
        mi_tasks.append(Task("mi", (c.name,), cols, disc, m, k=k, ci=level if bootstrap else None,
                             n_bootstrap=bootstrap or None, seed=_seed(seed, "mi", i)))
        if permutations:
            perm_tasks.append(Task("perm", (c.name,), cols, disc, m, k=k, permutations=permutations,
                                   seed=_seed(seed, "perm", i)))
    mi_res = {r["key"][0]: r for r in map_tasks_local_or_cluster(
        fn, mi_tasks, label="MI with the target" + (" + CI" if bootstrap else ""), **mapper)}
    timings["mi"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    perm_res = {r["key"][0]: r for r in map_tasks_local_or_cluster(
        fn, perm_tasks, label="permutation tests", **mapper)}
    timings["permutations"] = time.perf_counter() - t0
    for r in mi_res.values():
        r["resamples"] = bootstrap or None

    # ---- assemble per-column numbers and the ranking
    h_t = ent_res.get(target)
    h_t_nats = h_t["value"] if h_t is not None and h_t["error"] is None else None
    mi_q = {}
    for c in usable:
        r = mi_res[c.name]
        q = _q(r, b, unit, level=level)
        p = perm_res.get(c.name)
        if q.value is not None and p is not None:
            if p["error"] is None:
                q = _replace(q, pvalue=p["pvalue"], permutations=permutations,
                             null_mean=None if p["null_mean"] is None else float(to_base(p["null_mean"], b)))
            else:
                q = _replace(q, note=f"no p-value: {p['error']}")
        mi_q[c.name] = q
    ranked = sorted((c.name for c in usable if mi_q[c.name].value is not None),
                    key=lambda nm: (-mi_q[nm].value, nm))
    rank_of = {nm: i + 1 for i, nm in enumerate(ranked)}
    best = ranked[0] if ranked else None
    if not ranked:
        notes.append("no column could be ranked: every MI estimate failed (see the columns' notes)")

    # ---- redundancy among the top features
    t0 = time.perf_counter()
    top_names = ranked[:top]
    pair_idx = [(i, j) for i in range(len(top_names)) for j in range(i + 1, len(top_names))]
    pair_tasks = []
    for pi, (i, j) in enumerate(pair_idx):
        ci_, cj = by[top_names[i]], by[top_names[j]]
        m, _ = _mi_method(method, (ci_.kind, cj.kind), "mutual_information")
        pair_tasks.append(Task("pair", (i, j), (ci_.name, cj.name), (ci_.kind == "discrete", cj.kind == "discrete"),
                               m, k=k))
    pair_res = map_tasks_local_or_cluster(fn, pair_tasks, label="pairwise MI", **mapper)
    T = len(top_names)
    mat = [[None] * T for _ in range(T)]
    est = [[None] * T for _ in range(T)]
    pair_notes = []
    for (i, j), r in zip(pair_idx, pair_res):
        v = None if r["error"] is not None else float(to_base(r["value"], b))
        mat[i][j] = mat[j][i] = v
        est[i][j] = est[j][i] = r["method"]
        if r["error"] is not None:
            pair_notes.append(f"I({top_names[i]}; {top_names[j]}) not estimated: {r['error']}")
    redundancy = Redundancy(tuple(top_names), tuple(tuple(row) for row in mat), unit,
                            tuple(tuple(row) for row in est), tuple(pair_notes)) if T >= 2 else None
    timings["pairwise"] = time.perf_counter() - t0

    # ---- mRMR over the top features
    mrmr_steps, mrmr_note = (), None
    if T >= 2 and not pair_notes:
        rel = [mi_q[nm].value for nm in top_names]
        red = np.array([[0.0 if v is None else v for v in row] for row in mat])
        order, scores, means = mrmr_order(rel, red, criterion="difference")
        mrmr_steps = tuple(MRMRStep(top_names[o], s, rel[o], mu, unit) for o, s, mu in zip(order, scores, means))
    elif T >= 2:
        mrmr_note = "not computed: some pairwise MI estimates failed (see the redundancy notes)"
    else:
        mrmr_note = "not computed: fewer than two ranked columns"

    # ---- CMI given the best feature
    t0 = time.perf_counter()
    cmi_tasks = []
    if best is not None:
        bi = by[best]
        for i, nm in enumerate(ranked[1:]):
            c = by[nm]
            disc = (c.kind == "discrete", tinfo.kind == "discrete", bi.kind == "discrete")
            m, _ = _mi_method(method, (c.kind, tinfo.kind, bi.kind), "conditional_mutual_information")
            cmi_tasks.append(Task("cmi", (nm,), (nm, target, best), disc, m, k=k))
    cmi_res = {r["key"][0]: r for r in map_tasks_local_or_cluster(
        fn, cmi_tasks, label=f"CMI given {best}", **mapper)}
    timings["cmi"] = time.perf_counter() - t0

    # ---- results per column
    def entropy_q(c):
        if c.point_mass:
            return Quantity(None, unit, None, note="not estimated: a discrete–continuous mixture has neither a "
                                                    "Shannon nor a differential entropy")
        r = ent_res.get(c.name)
        note = None if c.kind == "discrete" else \
            "differential entropy (continuous column): depends on the column's units and can be negative"
        if r is not None and r.get("note"):
            note = f"{note}; {r['note']}"
        return _q(r, b, unit, note=note)

    target_ent = entropy_q(tinfo)
    results = []
    for c in feats:
        if c.status != "ok":
            results.append(ColumnResult(c.name, c.kind, c.status, c.rule, c.missing, c.n_distinct, c.dtype,
                                        c.message))
            continue
        q = mi_q[c.name]
        ratio = lin = None
        if q.value is not None:
            ratio = _ratio_q(q, h_t_nats, b, tinfo.kind)
            lin = _linfoot_q(q, b)
        cmi = None
        if c.name in cmi_res:
            cmi = _q(cmi_res[c.name], b, unit)
        elif c.name == best:
            cmi = Quantity(0.0, unit, None, note=f"I(X; target | X) = 0: {best!r} is the condition")
        results.append(ColumnResult(
            c.name, c.kind, c.status, c.rule, c.missing, c.n_distinct, c.dtype, c.message, entropy_q(c), q,
            ratio, lin, cmi, rank_of.get(c.name), reasons[c.name][1]))
    target_res = ColumnResult(tinfo.name, tinfo.kind, "target", tinfo.rule, tinfo.missing, tinfo.n_distinct,
                              tinfo.dtype, None, target_ent)

    # ---- warnings
    seen = []
    for coll in (ent_res.values(), mi_res.values(), perm_res.values(), pair_res, cmi_res.values()):
        for r in coll:
            for w in r["warnings"]:
                msg = f"{_task_label(r['key'])}: {w}"
                if msg not in seen:
                    seen.append(msg)
    seen = notes + seen
    timings["total"] = time.perf_counter() - t_start
    settings = {
        "target": target, "base": b if b is not None else math.e, "unit": unit, "method": method,
        "permutations": permutations, "bootstrap": bootstrap, "confidence_level": level,
        "max_rows": max_rows, "top": top, "k": k, "random_state": seed, "exclude": list(exclude),
        "categorical": list(categorical), "continuous": list(continuous),
        "scheduler": scheduler if scheduler is not None else ("client" if client is not None else "local"),
    }
    return Report(
        source=table.source,
        input={"format": table.format, "sha256": table.sha256, "bytes": table.n_bytes,
               "columns": len(columns)},
        n_rows=n, n_rows_used=n_used, target=target_res, columns=tuple(results), ranking=tuple(ranked),
        best=best, redundancy=redundancy, mrmr=mrmr_steps, unit=unit, settings=settings, timings=timings,
        warnings=tuple(seen), version=__version__,
        created=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(), mrmr_note=mrmr_note,
    )


def _task_label(key) -> str:
    if len(key) == 1:
        return str(key[0])
    return f"pair {key}"


def _replace(q: Quantity, **kw) -> Quantity:
    from dataclasses import replace

    return replace(q, **kw)


def _ratio_q(q: Quantity, h_nats, b, target_kind):
    if target_kind != "discrete":
        return Quantity(None, "fraction", None, note="MI / H(target) needs a discrete target: a continuous "
                                                      "target's differential entropy depends on its units "
                                                      "(see the Linfoot coefficient)")
    if h_nats is None or h_nats <= 0:
        return Quantity(None, "fraction", None, note="H(target) is not positive")
    h = float(to_base(h_nats, b))
    ci = None if q.ci is None else (q.ci[0] / h, q.ci[1] / h)
    return Quantity(q.value / h, "fraction", q.estimator, q.n, ci=ci, ci_method=q.ci_method,
                    confidence_level=q.confidence_level, resamples=q.resamples,
                    note="MI / H(target), H(target) by the jackknife estimator on the rows analysed")


def _linfoot(i_nats: float) -> float:
    return math.sqrt(1.0 - math.exp(-2.0 * max(i_nats, 0.0)))


def _linfoot_q(q: Quantity, b):
    scale = 1.0 if b is None else math.log(b)  # value in base-b units -> nats
    ci = None if q.ci is None else (_linfoot(q.ci[0] * scale), _linfoot(q.ci[1] * scale))
    return Quantity(_linfoot(q.value * scale), "coefficient", q.estimator, q.n, ci=ci, ci_method=q.ci_method,
                    confidence_level=q.confidence_level, resamples=q.resamples,
                    note="Linfoot's informational coefficient of correlation sqrt(1 - exp(-2 I)), I in nats "
                         "(negative estimates count as 0); equals |correlation| for Gaussian pairs")


def _check_target(t, table):
    if t.status == "ok":
        return
    name = t.name
    if t.status == "constant":
        raise InvalidTableError(
            f"the target {name!r} has a single value ({t.rule}): every column's MI with a constant is 0; "
            "choose another target column"
        )
    if t.status == "empty":
        raise InvalidTableError(f"the target {name!r} is empty: all {table.n_rows} values are missing; "
                                "choose another target column")
    if t.status == "mixed-type":
        raise InvalidTableError(
            f"the target {name!r} mixes numbers and text ({t.rule}); fix the odd entries, or pass "
            f"--categorical {name} to treat every value as a class"
        )
    if t.status == "identifier":
        raise InvalidTableError(
            f"the target {name!r} looks like an identifier ({t.rule}): nothing can be learned about a value "
            f"that is different in every row; choose another target, or declare it (--categorical / --continuous "
            f"{name}) if that is what you mean"
        )
    raise InvalidTableError(f"the target {name!r} cannot be analysed ({t.status}: {t.rule})")  # pragma: no cover
