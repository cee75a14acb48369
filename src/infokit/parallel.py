r"""Scale-out: infokit's jobs on a Dask cluster, or locally in-process by default.

Three kinds of work scale out:

* **independent tasks** — :func:`map_tasks` runs ``fn(item)`` for every item, in-process (the default,
  no Dask import at all) or on a ``dask.distributed`` cluster given by a ``Client`` or a scheduler address;
  :func:`pairwise_mutual_information` fans the upper triangle of an MI matrix out this way;
* **resampling** — :func:`permutation_test_distributed` and :func:`bootstrap_distributed` run the
  resamples of :mod:`infokit.stats` in blocks; resample ``i`` draws from its own seed, child ``i`` of
  ``SeedSequence(random_state)``, so the result is bit-identical locally, on any cluster and for any
  block size;
* **counting** — :func:`discrete_entropy`, :func:`discrete_mutual_information` and
  :func:`discrete_conditional_mutual_information` estimate from data larger than memory (a Dask DataFrame,
  Parquet files, or an iterable of pandas chunks) by map-reduce: every partition is mapped to the counts of
  its (joint) symbols, counts are merged by symbol *value* (:func:`count_symbols`), and the estimator runs
  on the merged counts — the same numbers as the in-memory ``infokit.estimate_*`` functions.

Functions sent to a cluster must be picklable: module-level functions (imported by name on the workers, so
the workers need the module too), ``functools.partial`` of them, or instances of module-level classes.
``distributed`` ships lambdas and closures by value with cloudpickle; a function defined in a script's
``__main__`` travels by value too. Every task should be *pure* — a function of its item alone — because a
task may run more than once (a worker lost mid-job, ``retries``).

Install with ``pip install "infokit[dask]"`` (``dask[dataframe]``, ``distributed``; Parquet needs ``pyarrow``).
"""

from __future__ import annotations

import contextlib
import difflib
import glob as _glob
import math
import numbers
import os
from dataclasses import dataclass

import numpy as np

from ._units import check_base, to_base
from ._validation import check_choice, check_confidence_level, check_nan_policy, check_positive_int
from .exceptions import (
    InfokitError,
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = [
    "map_tasks",
    "pairwise_mutual_information",
    "permutation_test_distributed",
    "bootstrap_distributed",
    "count_symbols",
    "SymbolCounts",
    "discrete_entropy",
    "discrete_mutual_information",
    "discrete_conditional_mutual_information",
    "SchedulerConnectionError",
]

#: how long ``scheduler="tcp://..."`` waits for the scheduler before giving up
CONNECT_TIMEOUT = "20s"
#: partitions merged per node of the count-merging tree (Dask) / chunks held before a merge (iterables)
_MERGE_FAN_IN = 8
#: rows per record batch when a Parquet source is read in-process
_PARQUET_BATCH_ROWS = 1 << 20


class SchedulerConnectionError(InfokitError, ConnectionError):
    """The Dask scheduler given by ``scheduler=`` could not be reached."""


# ============================================================================================ clusters
def _import_distributed():
    try:
        import distributed
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "running on a cluster needs dask.distributed, which is not installed; install the extra with "
            "`pip install \"infokit[dask]\"` (dask[dataframe], distributed), or pass client=None and "
            "scheduler=None to run in-process"
        ) from exc
    return distributed


def _check_client(client):
    if not (hasattr(client, "submit") and hasattr(client, "gather") and hasattr(client, "scatter")):
        raise InvalidInputTypeError(
            f"`client` must be a dask.distributed.Client; got {type(client).__name__}; create one with "
            "`distributed.Client('tcp://host:8786')`, or pass the address as scheduler='tcp://host:8786'"
        )


@contextlib.contextmanager
def _cluster(client, scheduler):
    """Yield the Client to use (None: in-process). A Client made from an address is closed afterwards."""
    if client is not None and scheduler is not None:
        raise InvalidParameterError(
            "pass either `client` (a distributed.Client) or `scheduler` (its address), not both; "
            f"got client={client!r} and scheduler={scheduler!r}"
        )
    if client is not None:
        _check_client(client)
        yield client
        return
    if scheduler is None:
        yield None
        return
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise InvalidParameterError(
            f"`scheduler` must be the address of a Dask scheduler such as 'tcp://10.0.0.5:8786'; got {scheduler!r}"
        )
    distributed = _import_distributed()
    try:
        new = distributed.Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SchedulerConnectionError(
            f"could not connect to the Dask scheduler at {scheduler!r} within {CONNECT_TIMEOUT} ({exc}); "
            "check the address (`dask scheduler` prints it) and that this machine can reach it, or pass "
            "scheduler=None to run in-process"
        ) from exc
    try:
        yield new
    finally:
        new.close()


def _n_workers(client) -> int:
    try:
        return max(1, len(client.scheduler_info(n_workers=-1)["workers"]))
    except Exception:  # an unusual client (a test double, an old distributed): assume a small cluster
        return 1


def _check_progress(progress):
    if progress is None or progress is False:
        return None
    if callable(progress) or hasattr(progress, "update"):
        return progress
    raise InvalidParameterError(
        "`progress` must be None, a callable progress(done, total), or a progress bar with an "
        f"update(n) method (tqdm, rich); got {progress!r}"
    )


def _report(progress, done: int, total: int) -> None:
    if progress is None:
        return
    if callable(progress):
        progress(done, total)
    else:
        progress.update(1)


def _apply(item, fn):
    """The task body on a worker: ``fn(item)`` (``fn`` arrives as a scattered future)."""
    return fn(item)


def _run(fn, items: list, client, retries: int, progress) -> list:
    """``[fn(item) for item in items]``, in-process (client None) or on the cluster; order kept."""
    total = len(items)
    if client is None:
        out = []
        for i, item in enumerate(items, 1):
            out.append(fn(item))
            _report(progress, i, total)
        return out
    if total == 0:
        return []
    distributed = _import_distributed()
    # The function (and whatever data it carries, e.g. the columns of a partial) goes to every worker once,
    # not once per task; with a copy on each worker, losing one worker loses no input.
    fn_future = client.scatter(fn, broadcast=True, hash=False)
    futures = client.map(_apply, items, fn=fn_future, pure=True, retries=retries, key="infokit-task")
    try:
        if progress is not None:
            for done, fut in enumerate(distributed.as_completed(futures, loop=client.loop), 1):
                if fut.status == "error":
                    break  # gather re-raises the task's exception below
                _report(progress, done, total)
        return list(client.gather(futures))
    finally:
        client.cancel(futures + [fn_future])


def map_tasks(fn, items, *, client=None, scheduler=None, retries: int = 2, progress=None) -> list:
    """``[fn(item) for item in items]``, in-process by default or spread over a Dask cluster.

    Parameters
    ----------
    fn : callable
        ``fn(item) -> result``, a pure function of its item. On a cluster it must be picklable: a module-level
        function, a ``functools.partial`` of one, or an instance of a module-level class (closures and
        lambdas are shipped by value with cloudpickle). Data bound into ``fn`` (e.g. ``partial(f, table)``) is
        sent to each worker once, not once per task.
    items : iterable
        The inputs; each must be picklable on a cluster.
    client : distributed.Client, optional
        Run on this cluster.
    scheduler : str, optional
        Address of a Dask scheduler (``"tcp://10.0.0.5:8786"``); a Client is opened for the call and closed
        after it. Give ``client`` or ``scheduler``, not both. With neither, the tasks run in-process, one after
        the other, and Dask is not imported.
    retries : int
        On a cluster, how many times a task that raised is re-run before its exception is re-raised here.
        Tasks on a worker that dies are re-run by the scheduler regardless (up to Dask's
        ``distributed.scheduler.allowed-failures``, 3 by default), and results held by that worker are
        recomputed. Ignored in-process (an exception propagates at once).
    progress : callable or progress bar, optional
        ``progress(done, total)`` after each finished task (in the order tasks finish), or any object with an
        ``update(n)`` method (tqdm, rich), which gets ``update(1)``.

    Returns
    -------
    list
        ``fn(item)`` for each item, in the order of ``items`` whatever the order the tasks finished in.

    Raises
    ------
    SchedulerConnectionError
        If ``scheduler`` cannot be reached.
    Exception
        The first exception a task raised (after ``retries``), with its own type.

    Examples
    --------
    >>> map_tasks(abs, [-2, 1, -3])
    [2, 1, 3]
    """
    if not callable(fn):
        raise InvalidInputTypeError(f"`fn` must be callable, fn(item) -> result; got {type(fn).__name__}")
    try:
        items = list(items)
    except TypeError:
        raise InvalidInputTypeError(f"`items` must be iterable; got {type(items).__name__}") from None
    retries = check_positive_int(retries, "retries", minimum=0)
    progress = _check_progress(progress)
    with _cluster(client, scheduler) as c:
        return _run(fn, items, c, retries, progress)


# ============================================================================================ pairwise MI
def _suggest(name, choices) -> str:
    close = difflib.get_close_matches(str(name), [str(c) for c in choices], n=3, cutoff=0.6)
    return f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""


def _missing_columns_error(argname, missing, available) -> InvalidParameterError:
    avail = list(available)
    shown = ", ".join(repr(c) for c in avail[:20]) + (", ..." if len(avail) > 20 else "")
    return InvalidParameterError(
        f"`{argname}` names column(s) {', '.join(repr(m) for m in missing)} that the data does not have"
        f"{_suggest(missing[0], avail)} (available: {shown})"
    )


def _table_columns(data, columns):
    """(labels, list of 1-D columns) of a pandas / polars DataFrame, a mapping, or a 2-D array."""
    mod = type(data).__module__ or ""
    if mod.startswith("pandas") and hasattr(data, "columns"):
        available = list(data.columns)
        get = data.__getitem__
    elif mod.startswith("polars") and hasattr(data, "get_column"):
        available = list(data.columns)
        get = data.get_column
    elif hasattr(data, "keys") and hasattr(data, "__getitem__") and not hasattr(data, "shape"):
        available = list(data.keys())
        get = data.__getitem__
    else:
        try:
            arr = np.asarray(data)
        except (TypeError, ValueError) as exc:
            raise InvalidInputTypeError(
                f"`data` must be a DataFrame, a mapping of column name -> values, or an (n, d) array; got "
                f"{type(data).__name__} ({exc})"
            ) from exc
        if arr.ndim != 2:
            raise InvalidSampleError(
                f"`data` must be 2-D (n rows, d columns); got an array of shape {arr.shape}"
            )
        available = list(range(arr.shape[1]))

        def get(j):
            return arr[:, j]

    names = available if columns is None else ([columns] if isinstance(columns, (str, int)) else list(columns))
    if not names:
        raise InvalidParameterError("`columns` must name at least one column; got none")
    dup = sorted({repr(c) for c in names if names.count(c) > 1})
    if dup:
        raise InvalidParameterError(f"`columns` names {', '.join(dup)} more than once; list each column once")
    missing = [c for c in names if c not in available]
    if missing:
        raise _missing_columns_error("columns", missing, available)
    if len(set(map(repr, available))) != len(available) and mod.startswith("pandas"):
        dup_labels = [c for c in names if available.count(c) > 1]
        if dup_labels:
            raise InvalidParameterError(
                f"`data` has several columns labelled {dup_labels[0]!r}; rename them so each label is unique"
            )
    return names, [get(c) for c in names]


class _PairMI:
    """Task body of :func:`pairwise_mutual_information`: the MI of columns i and j (picklable)."""

    def __init__(self, columns, method, options):
        self.columns = columns
        self.method = method
        self.options = options

    def __call__(self, pair):
        from .estimators import estimate_mutual_information

        i, j = pair
        return float(estimate_mutual_information(self.columns[i], self.columns[j], method=self.method,
                                                 **self.options))


def pairwise_mutual_information(data, columns=None, *, method="auto", client=None, scheduler=None,
                                progress=None, **estimator_options):
    r"""Matrix of pairwise mutual informations :math:`M_{ij} = \hat I(X_i; X_j)` of a table's columns.

    The :math:`p(p-1)/2` pairs of the upper triangle are independent tasks (:func:`map_tasks`): in-process
    by default, or one task per pair on a Dask cluster, with the table sent to each worker once.

    Parameters
    ----------
    data : pandas/polars DataFrame, mapping of name -> 1-D values, or array_like of shape (n, p)
        The table (columns of an array are named 0..p-1).
    columns : sequence of labels, optional
        The columns to pair up, in the order of the matrix (default: all).
    method : str
        Passed to :func:`infokit.estimators.estimate_mutual_information` (``"auto"`` picks per pair by
        data kind).
    client, scheduler
        Where to run, as in :func:`map_tasks`; in-process when both are None.
    progress : callable or progress bar, optional
        As in :func:`map_tasks` (one step per pair).
    **estimator_options
        Passed on to ``estimate_mutual_information`` (``base``, ``k``, ``discrete``, ``nan_policy``, method
        options...). ``ci``, ``permutations`` and ``n_bootstrap`` are not allowed (the matrix holds point
        estimates; use :func:`permutation_test_distributed` for tests). A numpy Generator passed as
        ``random_state`` is turned into one integer seed used for every pair.

    Returns
    -------
    matrix : ndarray of float64, shape (p, p)
        Symmetric, with ``matrix[i, j]`` the MI of columns i and j in the units of ``base``. The diagonal is
        NaN: :math:`I(X;X) = H(X)` for a discrete column and :math:`+\infty` for a continuous one, so it is not
        estimated.
    columns : list
        The column labels, in matrix order.

    Notes
    -----
    Each entry is computed exactly as ``estimate_mutual_information(data[a], data[b], method=method,
    **estimator_options)`` would compute it alone, so the matrix is the same locally and on a cluster.

    Examples
    --------
    Column ``b`` copies the fair coin ``a`` (1 bit shared); ``c`` is independent of both:

    >>> m, cols = pairwise_mutual_information({"a": [0, 1, 0, 1], "b": [0, 1, 0, 1], "c": [0, 0, 1, 1]},
    ...                                      method="plugin", base=2)
    >>> cols, float(m[0, 1]), float(m[0, 2])
    (['a', 'b', 'c'], 1.0, 0.0)
    """
    bad = sorted({"ci", "permutations", "n_bootstrap"} & set(estimator_options))
    if bad:
        raise InvalidParameterError(
            f"pairwise_mutual_information returns point estimates and does not take {', '.join(bad)}; "
            "run permutation_test_distributed / bootstrap_distributed for the pairs you need"
        )
    if not isinstance(method, str):
        raise InvalidParameterError(f"`method` must be a string such as 'auto' or 'ksg'; got {method!r}")
    from ._registry import get_method

    if method != "auto":
        get_method("mutual_information", method, extra=("auto",))  # fail fast, before any task runs
    names, cols = _table_columns(data, columns)
    p = len(names)
    pairs = [(i, j) for i in range(p) for j in range(i + 1, p)]
    options = dict(estimator_options)
    if isinstance(options.get("random_state"), np.random.Generator):
        # every pair gets the same integer seed drawn once from the caller's generator, so each task's result
        # does not depend on the order the pairs run in (in-process they would share one advancing stream)
        options["random_state"] = int(options["random_state"].integers(0, 2**63 - 1))
    task = _PairMI(tuple(cols), method, options)
    values = map_tasks(task, pairs, client=client, scheduler=scheduler, progress=progress)
    matrix = np.full((p, p), np.nan)
    for (i, j), v in zip(pairs, values):
        matrix[i, j] = matrix[j, i] = v
    return matrix, list(names)


# ============================================================================================ resampling
def _root_seed(random_state) -> np.random.SeedSequence:
    """The SeedSequence that every resample's seed is spawned from."""
    if random_state is None:
        return np.random.SeedSequence()
    if isinstance(random_state, np.random.SeedSequence):
        return random_state
    if isinstance(random_state, np.random.Generator):
        # draw 128 bits from the caller's generator (which advances it, as any use of a Generator does)
        return np.random.SeedSequence([int(v) for v in random_state.integers(0, 2**63 - 1, size=2)])
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise InvalidParameterError(f"`random_state` must be a non-negative integer seed; got {random_state}")
        return np.random.SeedSequence(int(random_state))
    raise InvalidParameterError(
        "`random_state` must be None, a non-negative int seed, a numpy SeedSequence or a numpy Generator; "
        f"got {random_state!r}"
    )


def _child(root: np.random.SeedSequence, i: int) -> np.random.SeedSequence:
    """Child ``i`` of ``root`` — what ``root.spawn(i + 1)[i]`` gives a fresh ``root``, without spawning."""
    return np.random.SeedSequence(entropy=root.entropy, spawn_key=tuple(root.spawn_key) + (int(i),),
                                  pool_size=root.pool_size)


def _block_ranges(total: int, block_size, client) -> list:
    if block_size is None:
        # Results do not depend on the blocks; only the overhead and the progress steps do.
        parts = 20 if client is None else max(20, 4 * _n_workers(client))
        block_size = max(1, math.ceil(total / parts))
    else:
        block_size = check_positive_int(block_size, "block_size")
    return [(s, min(s + block_size, total)) for s in range(0, total, block_size)]


class _Resampler:
    """Task body of the resampling jobs: evaluates ``statistic`` on resamples ``start..stop-1`` (picklable).

    Resample ``i`` draws from ``default_rng(child i of root)`` only, so its value does not depend on which
    block, worker or process computes it.
    """

    def __init__(self, statistic, data, ns, mode, paired=True, root=None, groups=None):
        self.statistic = statistic
        self.data = data
        self.ns = ns
        self.mode = mode
        self.paired = paired
        self.root = root
        self.groups = groups

    def _draw(self, i):
        rng = np.random.default_rng(_child(self.root, i))
        if self.mode == "permutation":
            return [None, rng.permutation(self.ns[1])]
        if self.paired:
            idx = rng.integers(0, self.ns[0], size=self.ns[0])
            return [idx] * len(self.data)
        return [rng.integers(0, m, size=m) for m in self.ns]

    def __call__(self, item):
        from .stats._resampling import _as_float, _take_rows

        kind, start, stop = item
        out = np.empty(stop - start, dtype=np.float64)
        for k, i in enumerate(range(start, stop)):
            if kind == "jackknife":
                keep = np.setdiff1d(np.arange(self.ns[0]), self.groups[i], assume_unique=True)
                if self.paired:
                    sub = [_take_rows(d, keep) for d in self.data]
                else:  # delete from the first sample only, as infokit.stats.bootstrap_ci does
                    sub = [_take_rows(self.data[0], keep), *self.data[1:]]
                what = "a jackknife sample"
            else:
                rows = self._draw(i)
                sub = [d if r is None else _take_rows(d, r) for d, r in zip(self.data, rows)]
                what = "a permutation" if self.mode == "permutation" else "a resample"
            out[k] = _as_float(self.statistic(*sub), what)
        return out


def _concat(blocks) -> np.ndarray:
    return np.concatenate(blocks) if blocks else np.empty(0, dtype=np.float64)


def permutation_test_distributed(statistic, x, y, *, n_permutations: int = 1000, random_state=None,
                                 alternative: str = "greater", block_size=None, client=None, scheduler=None,
                                 retries: int = 2, progress=None):
    r"""Permutation test of independence, with the permutations spread over a Dask cluster.

    The test of :func:`infokit.stats.permutation_test` — recompute ``statistic(x, y)`` with the rows of
    ``y`` shuffled, :math:`p = (1 + \#\{b : T_b \ge T_{obs}\}) / (1 + B)` — run as blocks of permutations.

    Parameters
    ----------
    statistic : callable
        ``statistic(x, y) -> float``, e.g. ``functools.partial(infokit.estimators.estimate_mutual_information,
        method="ksg")``; picklable to run on a cluster (see :func:`map_tasks`).
    x, y : array_like
        Paired samples (numpy, lists, pandas, polars or torch), one row per observation; only ``y`` is
        permuted.
    n_permutations : int
        Number of permutations ``B``.
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Root of the seeds: permutation ``b`` is ``default_rng(seeds[b]).permutation(n)`` with
        ``seeds = SeedSequence(random_state).spawn(1)[0].spawn(B)`` (a Generator gives 128 bits of entropy
        for the SeedSequence; a SeedSequence is used as is, whatever it spawned before).
    alternative : {"greater", "less", "two-sided"}
    block_size : int, optional
        Permutations per task (default: about 20 tasks in-process, and at least 4 per worker on a cluster).
        It changes the overhead, never the result.
    client, scheduler, retries, progress
        As in :func:`map_tasks` (``progress`` steps once per block).

    Returns
    -------
    infokit.stats.PermutationTestResult
        ``statistic``, ``pvalue``, ``null_distribution`` (in permutation order), ``null_mean``, ``alternative``.

    Notes
    -----
    **Determinism.** Permutation :math:`b` depends only on ``(random_state, b)``, so with an int seed the
    null distribution is bit-identical in-process, on a cluster of any size, with any ``block_size``, and
    when a worker dies mid-job (its tasks are re-run from the same seeds). The streams differ from those of
    :func:`infokit.stats.permutation_test` (one generator there), so the two agree in distribution, not
    draw for draw.

    Examples
    --------
    A copy of a fair coin: no permutation reaches the observed log 2 nats, so p = 1 / (1 + 99):

    >>> import functools
    >>> import numpy as np
    >>> from infokit.estimators import estimate_mutual_information
    >>> x = np.array([0, 1] * 50)
    >>> res = permutation_test_distributed(functools.partial(estimate_mutual_information, method="plugin"),
    ...                                    x, x.copy(), n_permutations=99, random_state=0)
    >>> round(res.statistic, 4), res.pvalue
    (0.6931, 0.01)
    """
    from .stats._resampling import _as_float, _check_finite, _n_rows, _permutation_result

    if not callable(statistic):
        raise InvalidInputTypeError(f"`statistic` must be callable, statistic(x, y) -> float; got "
                                    f"{type(statistic).__name__}")
    B = check_positive_int(n_permutations, "n_permutations")
    check_choice(alternative, "alternative", ("greater", "less", "two-sided"))
    retries = check_positive_int(retries, "retries", minimum=0)
    progress = _check_progress(progress)
    n, ny = _n_rows(x, "x"), _n_rows(y, "y")
    if n != ny:
        raise ShapeMismatchError(f"`x` and `y` must have the same number of rows (paired samples); got {n} and {ny}")
    root = _child(_root_seed(random_state), 0)
    observed = _as_float(statistic(x, y), "the observed data")
    if not math.isfinite(observed):
        raise InvalidSampleError(f"`statistic` returned {observed} on the observed data; it must be finite")
    task = _Resampler(statistic, (x, y), (n, ny), "permutation", root=root)
    with _cluster(client, scheduler) as c:
        items = [("resample", s, e) for s, e in _block_ranges(B, block_size, c)]
        null = _concat(_run(task, items, c, retries, progress))
    _check_finite(null, "the permutations")
    return _permutation_result(observed, null, alternative)


def bootstrap_distributed(statistic, *data, n_resamples: int = 1000, confidence_level: float = 0.95,
                          method: str = "percentile", random_state=None, paired: bool = True, block_size=None,
                          client=None, scheduler=None, retries: int = 2, progress=None):
    r"""Bootstrap confidence interval of ``statistic(*data)``, with the resamples spread over a Dask cluster.

    The interval of :func:`infokit.stats.bootstrap_ci` (rows resampled with replacement), run as blocks of
    resamples; for ``method="bca"`` the grouped jackknife of the acceleration is spread the same way.

    Parameters
    ----------
    statistic : callable
        ``statistic(*data) -> float``; picklable to run on a cluster.
    *data : array_like
        One or more samples, one row per observation.
    n_resamples : int
        Number of bootstrap resamples ``B``.
    confidence_level : float
        In (0, 1).
    method : {"percentile", "basic", "bca"}
        As in :func:`infokit.stats.bootstrap_ci`: :math:`[q_{\alpha/2}, q_{1-\alpha/2}]` of the replicates,
        its reflection :math:`[2T - q_{1-\alpha/2}, 2T - q_{\alpha/2}]`, or the bias-corrected and
        accelerated interval (jackknife over at most 200 groups of rows).
    random_state : None, int, numpy.random.SeedSequence or numpy.random.Generator
        Root of the seeds: resample ``b`` draws its rows from ``default_rng(seeds[b])`` with
        ``seeds = SeedSequence(random_state).spawn(2)[0].spawn(B)``; the BCa jackknife groups come from
        ``default_rng(SeedSequence(random_state).spawn(2)[1]).permutation(n)``.
    paired : bool
        True: the samples are paired rows, resampled with the same indices. False: each is resampled on
        its own.
    block_size : int, optional
        Resamples per task; changes the overhead, never the result.
    client, scheduler, retries, progress
        As in :func:`map_tasks`.

    Returns
    -------
    infokit.stats.BootstrapResult
        ``estimate``, ``confidence_interval``, ``confidence_level``, ``standard_error``,
        ``bootstrap_distribution`` (in resample order), ``method``.

    Notes
    -----
    **Determinism.** Resample :math:`b` (and jackknife group :math:`g`) depends only on
    ``(random_state, b)``: with an int seed the result is bit-identical in-process, on any cluster, with any
    ``block_size``, and after a worker is lost. It agrees with :func:`infokit.stats.bootstrap_ci` in
    distribution, not draw for draw (that function uses one generator).

    Examples
    --------
    >>> import numpy as np
    >>> res = bootstrap_distributed(np.mean, np.arange(100.0), n_resamples=500, random_state=0)
    >>> res.estimate
    49.5
    >>> bool(res.confidence_interval[0] < 49.5 < res.confidence_interval[1])
    True
    """
    from scipy import special

    from .stats._resampling import _as_float, _check_finite, _n_rows

    if not callable(statistic):
        raise InvalidInputTypeError(f"`statistic` must be callable, statistic(*data) -> float; got "
                                    f"{type(statistic).__name__}")
    if not data:
        raise InvalidParameterError("`bootstrap_distributed` needs at least one data sample after `statistic`")
    B = check_positive_int(n_resamples, "n_resamples")
    level = check_confidence_level(confidence_level)
    check_choice(method, "method", ("percentile", "basic", "bca"))
    retries = check_positive_int(retries, "retries", minimum=0)
    progress = _check_progress(progress)
    ns = tuple(_n_rows(d, f"data[{i}]") for i, d in enumerate(data))
    if paired and len(set(ns)) > 1:
        raise ShapeMismatchError(
            f"paired samples must have the same number of rows; got {list(ns)}; pass paired=False to resample "
            "each sample on its own"
        )
    root = _root_seed(random_state)
    estimate = _as_float(statistic(*data), "the full data")
    if not math.isfinite(estimate):
        raise InvalidSampleError(f"`statistic` returned {estimate} on the full data; it must be finite")
    groups = None
    if method == "bca":
        n0 = ns[0]
        jack_rng = np.random.default_rng(_child(root, 1))
        groups = np.array_split(jack_rng.permutation(n0), min(n0, 200))
    task = _Resampler(statistic, tuple(data), ns, "bootstrap", paired=paired, root=_child(root, 0), groups=groups)
    with _cluster(client, scheduler) as c:
        items = [("resample", s, e) for s, e in _block_ranges(B, block_size, c)]
        if groups is not None:
            items += [("jackknife", s, e) for s, e in _block_ranges(len(groups), block_size, c)]
        blocks = _run(task, items, c, retries, progress)
    kinds = [it[0] for it in items]
    boot = _concat([b for b, k in zip(blocks, kinds) if k == "resample"])
    _check_finite(boot, "the bootstrap resamples")
    alpha = 1.0 - level
    lo_q, hi_q = alpha / 2, 1 - alpha / 2
    if method == "percentile":
        ci = (float(np.quantile(boot, lo_q)), float(np.quantile(boot, hi_q)))
    elif method == "basic":
        ci = (float(2 * estimate - np.quantile(boot, hi_q)), float(2 * estimate - np.quantile(boot, lo_q)))
    else:
        jack = _concat([b for b, k in zip(blocks, kinds) if k == "jackknife"])
        _check_finite(jack, "the jackknife samples")
        # Efron & Tibshirani (1993), Eq. (14.14): bias correction z0, ties counted half
        frac = (np.sum(boot < estimate) + 0.5 * np.sum(boot == estimate)) / B
        frac = min(max(frac, 1.0 / (2 * B)), 1 - 1.0 / (2 * B))
        z0 = float(special.ndtri(frac))
        # Eq. (14.15): acceleration from the (grouped) jackknife
        dev = jack.mean() - jack
        denom = 6.0 * float(np.sum(dev**2)) ** 1.5
        a = float(np.sum(dev**3)) / denom if denom > 0 else 0.0

        def adjusted(q):
            z = float(special.ndtri(q))
            return float(special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z))))

        ci = (float(np.quantile(boot, adjusted(lo_q))), float(np.quantile(boot, adjusted(hi_q))))
    from .stats import BootstrapResult

    return BootstrapResult(
        estimate=float(estimate),
        confidence_interval=ci,
        confidence_level=level,
        standard_error=float(boot.std(ddof=1)) if B > 1 else 0.0,
        bootstrap_distribution=boot,
        method=method,
    )


# ============================================================================================ counting
@dataclass(frozen=True, eq=False)
class SymbolCounts:
    """How often each distinct joint symbol (row of values) of some columns occurs; mergeable.

    Attributes
    ----------
    columns : tuple
        Column labels.
    values : tuple of numpy.ndarray
        ``values[j]`` holds the distinct values seen in column ``j`` (its own dtype).
    index : numpy.ndarray of int64, shape (m, len(columns))
        Row ``r`` is the joint symbol ``(values[0][index[r, 0]], values[1][index[r, 1]], ...)``; rows are
        distinct.
    counts : numpy.ndarray of int64, shape (m,)
        How often each joint symbol occurs (all positive).
    n_dropped : int
        Rows dropped for missing values (``nan_policy="omit"``).
    """

    columns: tuple
    values: tuple
    index: np.ndarray
    counts: np.ndarray
    n_dropped: int = 0

    @property
    def n(self) -> int:
        """Rows counted."""
        return int(self.counts.sum())

    def marginal(self, columns=None) -> np.ndarray:
        """Positive counts of the joint symbol of a subset of the columns (default: all), in no set order."""
        if columns is None:
            return self.counts.copy()
        cols = [columns] if isinstance(columns, str) or not isinstance(columns, (list, tuple)) else list(columns)
        missing = [c for c in cols if c not in self.columns]
        if missing:
            raise _missing_columns_error("columns", missing, self.columns)
        pos = sorted({self.columns.index(c) for c in cols})
        if len(pos) == len(self.columns):
            return self.counts.copy()
        if self.counts.size == 0:
            return self.counts.copy()
        from .estimators.discrete import combine_codes

        codes, K = combine_codes([self.index[:, j] for j in pos], [len(self.values[j]) for j in pos], dense=True)
        return _sum_by(codes, K, self.counts)


def _sum_by(codes: np.ndarray, K: int, counts: np.ndarray) -> np.ndarray:
    # float64 weights are exact for totals below 2**53 rows
    return np.rint(np.bincount(codes, weights=counts, minlength=K)).astype(np.int64)


def _uniques_numpy(uniques) -> np.ndarray:
    """pandas.factorize's uniques (Index, Categorical, ExtensionArray) as a 1-D numpy array of the values."""
    arr = uniques.to_numpy() if hasattr(uniques, "to_numpy") else np.asarray(uniques)
    arr = np.asarray(arr)
    if arr.dtype.kind == "O" and arr.size:
        # numbers held as objects (nullable Int64 / boolean after dropping NA) become a numeric array, so they
        # merge with the same numbers of another partition stored natively
        kinds = {type(v) for v in arr.tolist()}
        if kinds <= {int, bool}:
            try:
                return arr.astype(np.int64)
            except (OverflowError, ValueError):
                return arr
        if kinds <= {int, float, bool}:
            return arr.astype(np.float64)
    return arr


def _count_frame(frame, columns, nan_policy: str, where: str) -> SymbolCounts:
    """The map step: counts of the joint symbols of ``columns`` in one pandas DataFrame."""
    import pandas as pd

    from .estimators.discrete import combine_codes

    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=0 if frame.name is None else frame.name)
    elif isinstance(frame, np.ndarray) and frame.ndim in (1, 2):
        frame = pd.DataFrame(frame if frame.ndim == 2 else frame[:, None])  # columns 0..d-1
    if not isinstance(frame, pd.DataFrame):
        raise InvalidInputTypeError(
            f"{where} must be a pandas DataFrame (or Series, or a 1-D/2-D numpy array with columns 0..d-1); "
            f"got {type(frame).__name__}; pass an iterable of DataFrames (e.g. pandas.read_csv(path, "
            "chunksize=1_000_000)), a Dask DataFrame or a Parquet path"
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise _missing_columns_error("columns", missing, frame.columns)
    sub = frame[list(columns)]
    na = sub.isna().to_numpy()
    dropped = 0
    if na.any():
        bad = na.any(axis=1)
        if nan_policy == "raise":
            per_col = na.sum(axis=0)
            which = ", ".join(f"{c!r} ({int(k)})" for c, k in zip(columns, per_col) if k)
            raise InvalidSampleError(
                f"{where} has missing values (NaN/None/NA) in {int(bad.sum())} row(s), the first at row "
                f"{int(np.flatnonzero(bad)[0])} of that chunk — in column(s) {which}; missing values are never "
                "counted as a symbol: pass nan_policy='omit' to drop incomplete rows, or encode them as a category"
            )
        sub = sub[~bad]
        dropped = int(bad.sum())
    n = len(sub)
    codes, values = [], []
    for c in columns:
        cj, uj = pd.factorize(sub[c], sort=False, use_na_sentinel=True)
        vals = _uniques_numpy(uj)
        if vals.dtype.kind == "f" and np.isinf(vals).any():
            raise InvalidSampleError(
                f"{where} has infinite values in column {c!r}; infinity is not a sample value — remove or clip "
                "those rows"
            )
        codes.append(np.asarray(cj, dtype=np.int64))
        values.append(vals)
    if len(columns) == 1:
        joint, m = codes[0], len(values[0])
    else:
        joint, m = combine_codes(codes, [len(v) for v in values], dense=True)
    counts = np.bincount(joint, minlength=m).astype(np.int64)
    rep = np.zeros(m, dtype=np.int64)
    rep[joint] = np.arange(n, dtype=np.int64)  # any row of each joint symbol will do
    index = np.column_stack([c[rep] for c in codes]) if m else np.empty((0, len(columns)), dtype=np.int64)
    return SymbolCounts(tuple(columns), tuple(values), index.astype(np.int64, copy=False), counts, dropped)


def _concat_values(arrays) -> np.ndarray:
    """Concatenate the distinct values of one column from several partitions without changing any value.

    Same dtype: as is. Integers/bools only: the common integer type. Numbers: float64. Anything else
    (strings next to numbers, ...): objects — so that 1 and "1" never merge through numpy's promotion to text.
    """
    arrays = [np.asarray(a) for a in arrays]
    dtypes = {a.dtype for a in arrays}
    if len(dtypes) == 1:
        return np.concatenate(arrays)
    kinds = {d.kind for d in dtypes}
    if kinds <= set("biu"):
        common = np.result_type(*dtypes)
        if common.kind in "biu":
            return np.concatenate([a.astype(common) for a in arrays])
    elif kinds <= set("biuf"):
        return np.concatenate([a.astype(np.float64) for a in arrays])
    elif len(kinds) == 1 and kinds <= set("USMm"):
        return np.concatenate(arrays)
    return np.concatenate([a.astype(object) for a in arrays])


def _merge(*parts: SymbolCounts) -> SymbolCounts:
    """The reduce step: one SymbolCounts from several (same columns), matching symbols by value."""
    from .estimators.discrete import combine_codes, factorize

    parts = [p for p in parts if p is not None]
    if len(parts) == 1:
        return parts[0]
    columns = parts[0].columns
    d = len(columns)
    new_values, new_index_cols = [], []
    for j in range(d):
        allv = _concat_values([p.values[j] for p in parts])
        g, K = factorize(allv, dense=True, name=f"column {columns[j]!r}")
        rep = np.zeros(K, dtype=np.int64)
        rep[g] = np.arange(g.shape[0], dtype=np.int64)
        new_values.append(allv[rep])
        offsets = np.cumsum([0] + [len(p.values[j]) for p in parts[:-1]])
        new_index_cols.append(np.concatenate([g[o + p.index[:, j]] for o, p in zip(offsets, parts)]))
    counts = np.concatenate([p.counts for p in parts])
    if counts.size == 0:
        index = np.empty((0, d), dtype=np.int64)
        return SymbolCounts(columns, tuple(new_values), index, counts.astype(np.int64),
                            sum(p.n_dropped for p in parts))
    joint, m = combine_codes(new_index_cols, [len(v) for v in new_values], dense=True)
    merged = _sum_by(joint, m, counts)
    rep = np.zeros(m, dtype=np.int64)
    rep[joint] = np.arange(joint.shape[0], dtype=np.int64)
    index = np.column_stack([c[rep] for c in new_index_cols])
    return SymbolCounts(columns, tuple(new_values), index, merged, sum(p.n_dropped for p in parts))


def _is_dask_collection(obj) -> bool:
    return (type(obj).__module__ or "").startswith("dask") and hasattr(obj, "to_delayed")


def _parquet_files(path: str) -> list:
    if os.path.isdir(path):
        return [path]
    if any(ch in path for ch in "*?["):
        files = sorted(_glob.glob(path, recursive=True))
        if not files:
            raise InvalidParameterError(f"`source` glob {path!r} matches no file; check the pattern and directory")
        return files
    if not os.path.exists(path):
        raise InvalidParameterError(f"`source` file {path!r} does not exist; pass a Parquet file, directory or glob")
    return [path]


def _check_parquet_path(path: str) -> None:
    lower = path.lower()
    if lower.endswith((".csv", ".tsv", ".txt", ".csv.gz", ".tsv.gz")):
        raise InvalidParameterError(
            f"`source` {path!r} looks like a text table; paths must be Parquet — pass "
            "pandas.read_csv(path, chunksize=1_000_000) (an iterable of chunks) or dask.dataframe.read_csv(path)"
        )


def _dask_counts(ddf, columns, nan_policy, client) -> SymbolCounts:
    import dask

    available = list(ddf.columns)
    missing = [c for c in columns if c not in available]
    if missing:
        raise _missing_columns_error("columns", missing, available)
    parts = ddf[list(columns)].to_delayed()
    count = dask.delayed(_count_frame, pure=True)
    merge = dask.delayed(_merge, pure=True)
    level = [count(p, tuple(columns), nan_policy, f"partition {i} of `source`") for i, p in enumerate(parts)]
    if not level:
        raise InvalidSampleError("`source` has no partitions; pass a non-empty Dask DataFrame")
    while len(level) > 1:
        level = [merge(*level[s:s + _MERGE_FAN_IN]) for s in range(0, len(level), _MERGE_FAN_IN)]
    if client is None:
        return level[0].compute()
    return client.compute(level[0], retries=2).result()


def _local_counts(chunks, columns, nan_policy, what) -> SymbolCounts:
    """Stream chunks through the map step in-process, merging every few chunks (memory: the distinct symbols)."""
    pending, seen = [], 0
    for i, chunk in enumerate(chunks):
        pending.append(_count_frame(chunk, columns, nan_policy, f"{what} {i} of `source`"))
        seen += 1
        if len(pending) >= _MERGE_FAN_IN:
            pending = [_merge(*pending)]
    if not seen:
        raise InvalidSampleError("`source` yielded no chunks; pass at least one DataFrame")
    return _merge(*pending)


def _parquet_batches(files, columns):
    try:
        import pyarrow.dataset as pads
    except ImportError as exc:  # pragma: no cover - exercised only without pyarrow
        raise ImportError("reading Parquet needs pyarrow: `pip install pyarrow`") from exc
    dataset = pads.dataset(files if len(files) > 1 else files[0], format="parquet", partitioning="hive")
    names = dataset.schema.names
    missing = [c for c in columns if c not in names]
    if missing:
        raise _missing_columns_error("columns", missing, names)
    for batch in dataset.to_batches(columns=list(columns), batch_size=_PARQUET_BATCH_ROWS):
        yield batch.to_pandas()


def count_symbols(source, columns, *, nan_policy: str = "raise", client=None, scheduler=None) -> SymbolCounts:
    """Count the joint symbols of ``columns`` over data larger than memory, partition by partition.

    Map: each partition becomes the counts of its distinct rows of ``columns``. Reduce: counts are merged by
    the symbols' *values* (never by per-partition codes), so a symbol met in several partitions, in any order
    or dtype (``3`` in an int64 chunk and ``3.0`` in a float64 one), is one symbol.

    Parameters
    ----------
    source : Dask DataFrame or Array, str, pandas DataFrame, or iterable of chunks
        A Dask DataFrame, Series or Array (its partitions are counted by Dask: on ``client`` if given, else
        with Dask's default scheduler; array columns are labelled 0..d-1); a Parquet file, directory or glob
        (read batch by batch in-process with pyarrow, or with ``dask.dataframe.read_parquet`` on the cluster
        when ``client``/``scheduler`` is given — the workers must see the path); or an in-memory DataFrame /
        an iterable of pandas DataFrames (or numpy arrays, columns 0..d-1) such as
        ``pandas.read_csv(path, chunksize=10**6)`` — these are always counted in-process, as the chunks
        stream through this process, and ``client`` is not used.
    columns : label or list of labels
        The columns whose joint symbol is counted.
    nan_policy : {"raise", "omit"}
        Missing values (NaN, None, NaT, pandas.NA) raise, naming the partition and the columns; "omit" drops
        every row with a missing value in ``columns``.
    client, scheduler
        Cluster to count on, as in :func:`map_tasks`.

    Returns
    -------
    SymbolCounts

    Notes
    -----
    Memory holds one partition and the table of distinct symbols, so an identifier-like column (all values
    distinct) needs memory for all of its values.

    Examples
    --------
    >>> import pandas as pd
    >>> chunks = [pd.DataFrame({"a": ["x", "y"]}), pd.DataFrame({"a": ["y", "y"]})]
    >>> sorted(count_symbols(chunks, "a").counts.tolist())
    [1, 3]
    """
    check_nan_policy(nan_policy)
    cols = _as_column_list(columns, "columns")
    uniq = list(dict.fromkeys(cols))
    if client is not None and scheduler is not None:
        raise InvalidParameterError(
            "pass either `client` (a distributed.Client) or `scheduler` (its address), not both"
        )
    if _is_dask_collection(source):
        with _cluster(client, scheduler) as c:
            return _dask_counts(_as_dask_frame(source), uniq, nan_policy, c)
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        _check_parquet_path(path)
        files = _parquet_files(path)
        if client is None and scheduler is None:
            return _local_counts(_parquet_batches(files, uniq), uniq, nan_policy, "batch")
        with _cluster(client, scheduler) as c:
            import dask.dataframe as dd

            ddf = dd.read_parquet(files if len(files) > 1 else files[0], columns=uniq)
            return _dask_counts(ddf, uniq, nan_policy, c)
    mod = type(source).__module__ or ""
    if (mod.startswith("pandas") and hasattr(source, "columns")) or isinstance(source, np.ndarray):
        return _local_counts([source], uniq, nan_policy, "chunk")
    if isinstance(source, (bytes, dict)) or not hasattr(source, "__iter__"):
        raise InvalidInputTypeError(
            "`source` must be a Dask DataFrame or Array, a Parquet path/glob, a pandas DataFrame, or an iterable "
            f"of pandas DataFrames / numpy arrays; got {type(source).__name__}"
        )
    return _local_counts(source, uniq, nan_policy, "chunk")


def _as_dask_frame(source):
    """A Dask DataFrame from a Dask DataFrame, Series or Array (array columns are labelled 0..d-1)."""
    if hasattr(source, "columns"):
        return source
    if hasattr(source, "to_frame"):
        return source.to_frame()
    import dask.dataframe as dd

    if source.ndim not in (1, 2):
        raise InvalidSampleError(f"a Dask Array `source` must be 1-D or 2-D; got {source.ndim} dimensions")
    frame = dd.from_dask_array(source if source.ndim == 2 else source[:, None])
    return frame.rename(columns=dict(zip(frame.columns, range(len(frame.columns)))))


def _as_column_list(columns, argname) -> list:
    if columns is None:
        raise InvalidParameterError(f"`{argname}` must name at least one column; got None")
    if isinstance(columns, (list, tuple)):
        cols = list(columns)
    else:
        cols = [columns]
    if not cols:
        raise InvalidParameterError(f"`{argname}` must name at least one column; got an empty list")
    return cols


def _resolve_discrete_method(method, quantity: str) -> str:
    from .estimators.discrete import ENTROPY_METHODS

    if method == "auto":
        from .estimators._api import AUTO_DISCRETE, AUTO_DISCRETE_ENTROPY

        return AUTO_DISCRETE_ENTROPY if quantity == "entropy" else AUTO_DISCRETE
    if not isinstance(method, str) or method not in ENTROPY_METHODS:
        raise InvalidParameterError(
            f"`method` must be one of {{{', '.join(repr(m) for m in ('auto', *ENTROPY_METHODS))}}}; got {method!r}"
        )
    return method


def _check_counted(sc: SymbolCounts, what: str) -> None:
    if sc.n == 0:
        extra = f" ({sc.n_dropped} row(s) with missing values were dropped)" if sc.n_dropped else ""
        raise InvalidSampleError(f"`source` has no rows to estimate {what} from{extra}; pass non-empty data")


def discrete_entropy(source, columns, *, method: str = "plugin", base=None, nan_policy: str = "raise",
                     client=None, scheduler=None, **estimator_options) -> float:
    r"""Entropy :math:`\hat H(X)` of the joint symbol of ``columns``, from data larger than memory.

    Counts the symbols partition by partition and merges them (:func:`count_symbols`), then applies the
    estimator to the merged counts: the same number as ``infokit.estimators.estimate_entropy(df[columns],
    method=method, discrete=True)`` on the whole table in memory (up to floating-point summation order).

    Parameters
    ----------
    source : Dask DataFrame, Parquet path/glob, pandas DataFrame, or iterable of pandas DataFrames
        See :func:`count_symbols`.
    columns : label or list of labels
        The variable X (several columns: their joint symbol).
    method : str
        A discrete entropy estimator: ``"plugin"`` (default), ``"miller_madow"``, ``"grassberger"``,
        ``"chao_shen"``, ``"chao_wang_jost"``, ``"shrinkage"``, ``"zhang"``, ``"bayes"``, ``"jackknife"``,
        ``"nsb"``, or ``"auto"`` (what ``estimate_entropy`` picks for discrete data).
    base : float, optional
        Logarithm base of the result: None (nats), 2 (bits).
    nan_policy : {"raise", "omit"}
    client, scheduler
        Cluster to count on (see :func:`count_symbols`).
    **estimator_options
        Options of the estimator (``alpha``, ``alphabet_size``).

    Returns
    -------
    float

    Notes
    -----
    Every estimator is a function of the counts :math:`n_s` of the observed symbols only — the plug-in is
    :math:`\hat H = \log N - N^{-1}\sum_s n_s \log n_s` — so counts merged across partitions give exactly the
    estimate of the concatenated data.

    Examples
    --------
    A fair coin seen in two chunks carries one bit:

    >>> import pandas as pd
    >>> chunks = [pd.DataFrame({"coin": ["H", "T"]}), pd.DataFrame({"coin": ["T", "H"]})]
    >>> discrete_entropy(chunks, "coin", base=2)
    1.0
    """
    from .estimators.discrete import entropy_from_counts

    method = _resolve_discrete_method(method, "entropy")
    b = check_base(base)
    opts = dict(estimator_options)
    from .estimators.discrete import check_method_options

    check_method_options(method, opts)
    sc = count_symbols(source, columns, nan_policy=nan_policy, client=client, scheduler=scheduler)
    _check_counted(sc, "an entropy")
    return float(to_base(entropy_from_counts(sc.counts, method, **opts), b))


def discrete_mutual_information(source, x, y, *, method: str = "plugin", base=None, nan_policy: str = "raise",
                                client=None, scheduler=None, **estimator_options) -> float:
    r"""Mutual information :math:`\hat I(X;Y) = \hat H(X) + \hat H(Y) - \hat H(X,Y)` from data larger than memory.

    One pass counts the joint symbols of ``x`` and ``y`` (:func:`count_symbols`); the X, Y and (X, Y) count
    tables are its margins. The result equals ``estimate_mutual_information(df[x], df[y], method=method,
    discrete=True)`` in memory.

    Parameters
    ----------
    source
        See :func:`count_symbols`.
    x, y : label or list of labels
        Columns of the two variables.
    method : str
        A discrete estimator (see :func:`discrete_entropy`; ``"auto"`` = what ``estimate_mutual_information``
        picks for discrete data); the plug-in uses the contingency table directly and is clipped at 0.
    base : float, optional
    nan_policy : {"raise", "omit"}
        "omit" drops rows with a missing value in ``x`` or ``y``.
    client, scheduler
    **estimator_options
        ``alpha``; ``alphabet_sizes=(Ax, Ay)`` for the alphabet-aware methods.

    Returns
    -------
    float

    Examples
    --------
    ``y`` copies the fair coin ``x``:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0, 1, 0, 1], "y": [0, 1, 0, 1]})
    >>> discrete_mutual_information([df.iloc[:2], df.iloc[2:]], "x", "y", base=2)
    1.0
    """
    from .estimators.discrete import _mi_from_parts, _positive, _split_alphabets, check_method_options

    method = _resolve_discrete_method(method, "mutual_information")
    b = check_base(base)
    opts = dict(estimator_options)
    alphabets = _split_alphabets(opts, 2, method)
    check_method_options(method, opts)
    xs, ys = _as_column_list(x, "x"), _as_column_list(y, "y")
    sc = count_symbols(source, xs + ys, nan_policy=nan_policy, client=client, scheduler=scheduler)
    _check_counted(sc, "a mutual information")
    value = _mi_from_parts(_positive(sc.counts), _positive(sc.marginal(xs)), _positive(sc.marginal(ys)),
                           method, opts, alphabets)
    return float(to_base(value, b))


def discrete_conditional_mutual_information(source, x, y, z, *, method: str = "plugin", base=None,
                                            nan_policy: str = "raise", client=None, scheduler=None,
                                            **estimator_options) -> float:
    r"""Conditional MI :math:`\hat I(X;Y|Z) = \hat H(X,Z) + \hat H(Y,Z) - \hat H(X,Y,Z) - \hat H(Z)`, out of core.

    One pass counts the joint symbols of ``x``, ``y`` and ``z``; the four tables are its margins. The result
    equals ``estimate_conditional_mutual_information(df[x], df[y], df[z], method=method, discrete=True)``.

    Parameters
    ----------
    source
        See :func:`count_symbols`.
    x, y, z : label or list of labels
        Columns of the three variables.
    method, base, nan_policy, client, scheduler
        As in :func:`discrete_mutual_information` ("omit" drops rows with a missing value in x, y or z).
    **estimator_options
        ``alpha``; ``alphabet_sizes=(Ax, Ay, Az)``.

    Returns
    -------
    float

    Examples
    --------
    XOR: ``z = x ^ y`` with independent fair coins, so I(X;Y|Z) = 1 bit:

    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [0, 0, 1, 1], "y": [0, 1, 0, 1], "z": [0, 1, 1, 0]})
    >>> discrete_conditional_mutual_information(df, "x", "y", "z", base=2)
    1.0
    """
    from .estimators.discrete import _cmi_from_parts, _positive, _split_alphabets, check_method_options

    method = _resolve_discrete_method(method, "conditional_mutual_information")
    b = check_base(base)
    opts = dict(estimator_options)
    alphabets = _split_alphabets(opts, 3, method)
    check_method_options(method, opts)
    xs, ys, zs = _as_column_list(x, "x"), _as_column_list(y, "y"), _as_column_list(z, "z")
    sc = count_symbols(source, xs + ys + zs, nan_policy=nan_policy, client=client, scheduler=scheduler)
    _check_counted(sc, "a conditional mutual information")
    parts = (sc.marginal(xs + ys + zs), sc.marginal(xs + zs), sc.marginal(ys + zs), sc.marginal(zs))
    value = _cmi_from_parts(*(_positive(p) for p in parts), method, opts, alphabets)
    return float(to_base(value, b))
