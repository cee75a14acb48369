"""infokit.parallel: map_tasks, pairwise MI, block resampling and out-of-core discrete estimates.

In-process tests need only numpy/pandas; the cluster tests start ONE real ``LocalCluster`` (2 worker
processes, 1 thread each, loopback only) for the module and skip when dask / distributed are missing.
Functions sent to the cluster are infokit / numpy / stdlib functions, which the workers import by name.
"""

from __future__ import annotations

import doctest
import functools
import json
import math
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import infokit.parallel as P
from infokit.estimators import (
    estimate_conditional_mutual_information,
    estimate_entropy,
    estimate_mutual_information,
)
from infokit.estimators.discrete import ENTROPY_METHODS
from infokit.exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

pd = pytest.importorskip("pandas")

LN2 = math.log(2.0)
# Equality with the in-memory estimators: the merged counts are the same multiset as the in-memory counts,
# only summed in another order, so the estimates agree to round-off (~1e-15); 1e-12 leaves room for that.
TOL = 1e-12

MI_PLUGIN = functools.partial(estimate_mutual_information, method="plugin")


# ============================================================================================ fixtures
def _table(n=2400, seed=0):
    """A mixed discrete table: ints, strings, integer-valued floats, a noisy copy of `a`."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "a": rng.integers(0, 5, n),
        "b": rng.choice(np.array(["p", "q", "r", "s"]), n),
        "c": rng.integers(0, 3, n).astype(float),
    })
    df["d"] = (df["a"] + rng.integers(0, 2, n)) % 4
    return df


def _chunks(df, size):
    return [df.iloc[i:i + size] for i in range(0, len(df), size)]


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=":0", silence_logs=40)
    c = distributed.Client(cluster, set_as_default=False)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


# ============================================================================================ map_tasks, local
def test_map_tasks_local_keeps_item_order_and_reports_each_task():
    seen = []
    out = P.map_tasks(abs, [-3, 1, -2], progress=lambda done, total: seen.append((done, total)))
    assert out == [3, 1, 2]
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_map_tasks_local_drives_a_progress_bar_with_update():
    class Bar:
        steps = 0

        def update(self, n):
            self.steps += n

    bar = Bar()
    assert P.map_tasks(math.factorial, range(5), progress=bar) == [1, 1, 2, 6, 24]
    assert bar.steps == 5


def test_map_tasks_local_reraises_the_task_exception():
    with pytest.raises(ValueError, match="math domain error"):
        P.map_tasks(math.sqrt, [4.0, -1.0])


def test_map_tasks_rejects_bad_arguments_with_clear_messages():
    with pytest.raises(InvalidInputTypeError, match="`fn` must be callable"):
        P.map_tasks(3, [1])
    with pytest.raises(InvalidInputTypeError, match="`items` must be iterable"):
        P.map_tasks(abs, 5)
    with pytest.raises(InvalidParameterError, match="`retries` must be an integer >= 0"):
        P.map_tasks(abs, [1], retries=-1)
    with pytest.raises(InvalidParameterError, match="`progress` must be None, a callable"):
        P.map_tasks(abs, [1], progress="yes")
    with pytest.raises(InvalidParameterError, match="either `client`.*or `scheduler`"):
        P.map_tasks(abs, [1], client=object(), scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(InvalidInputTypeError, match="`client` must be a dask.distributed.Client"):
        P.map_tasks(abs, [1], client=object())
    with pytest.raises(InvalidParameterError, match="`scheduler` must be the address"):
        P.map_tasks(abs, [1], scheduler=8786)


def test_local_runs_import_neither_dask_nor_distributed():
    code = textwrap.dedent("""
        import functools, json, sys
        import numpy as np, pandas as pd
        import infokit.parallel as P
        from infokit.estimators import estimate_mutual_information
        x = np.array([0, 1] * 20)
        P.map_tasks(abs, [-1, 2])
        P.pairwise_mutual_information({"a": x, "b": x}, method="plugin")
        P.permutation_test_distributed(functools.partial(estimate_mutual_information, method="plugin"), x, x,
                                       n_permutations=5, random_state=0)
        P.bootstrap_distributed(np.mean, x.astype(float), n_resamples=5, random_state=0)
        P.discrete_entropy([pd.DataFrame({"a": x})], "a")
        print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_docstring_examples_run():
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in finder.find(P, P.__name__):  # globals: the module namespace
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


# ============================================================================================ pairwise MI
def test_pairwise_mi_of_a_copy_is_one_bit_and_of_an_independent_coin_zero():
    # a, b = a fair coin and its copy: I = H(a) = 1 bit; c is balanced and independent of a in the sample
    # (each (a, c) cell holds 1 of 4 rows), so its plug-in MI with either is exactly 0
    data = {"a": [0, 1, 0, 1], "b": [0, 1, 0, 1], "c": [0, 0, 1, 1]}
    m, cols = P.pairwise_mutual_information(data, method="plugin", base=2)
    assert cols == ["a", "b", "c"]
    assert m[0, 1] == m[1, 0] == pytest.approx(1.0, abs=1e-12)
    assert m[0, 2] == m[1, 2] == pytest.approx(0.0, abs=1e-12)
    assert np.isnan(np.diag(m)).all()


def test_pairwise_mi_entries_equal_the_single_pair_estimates():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 4))
    x[:, 1] += x[:, 0]
    x[:, 3] = np.tanh(x[:, 2]) + 0.3 * rng.normal(size=400)
    df = pd.DataFrame(x, columns=["w", "x", "y", "z"])
    m, cols = P.pairwise_mutual_information(df, ["z", "w", "x"], method="ksg", k=4)
    assert cols == ["z", "w", "x"]
    for i, a in enumerate(cols):
        for j, b in enumerate(cols):
            if i != j:  # bit-identical: the same call on the same columns
                assert m[i, j] == estimate_mutual_information(df[a], df[b], method="ksg", k=4)
    assert np.array_equal(m, m.T, equal_nan=True)


def test_pairwise_mi_accepts_a_plain_array_with_integer_column_names():
    x = np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 1, 0]])
    m, cols = P.pairwise_mutual_information(x, method="plugin", base=2)
    assert cols == [0, 1, 2]
    assert m[0, 1] == pytest.approx(1.0, abs=1e-12)  # column 1 copies column 0


def test_pairwise_mi_turns_a_generator_into_one_integer_seed():
    rng = np.random.default_rng(2)
    df = pd.DataFrame(rng.normal(size=(200, 3)).round(1), columns=["a", "b", "c"])  # ties: jitter matters
    opts = {"method": "ksg", "jitter": 1e-6}
    m_gen, _ = P.pairwise_mutual_information(df, random_state=np.random.default_rng(5), **opts)
    seed = int(np.random.default_rng(5).integers(0, 2**63 - 1))
    m_int, _ = P.pairwise_mutual_information(df, random_state=seed, **opts)
    assert np.array_equal(m_gen, m_int, equal_nan=True)
    assert m_int[0, 1] == estimate_mutual_information(df["a"], df["b"], random_state=seed, **opts)


def test_pairwise_mi_errors_name_the_problem():
    df = pd.DataFrame({"income": [1, 2, 3], "age": [3, 2, 1]})
    with pytest.raises(InvalidParameterError, match="did you mean 'income'"):
        P.pairwise_mutual_information(df, ["incme", "age"])
    with pytest.raises(InvalidParameterError, match="does not take ci"):
        P.pairwise_mutual_information(df, ci=0.95)
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        P.pairwise_mutual_information(df, method="ksg3")
    with pytest.raises(InvalidParameterError, match="more than once"):
        P.pairwise_mutual_information(df, ["age", "age"])


# ============================================================================================ resampling, local
def _x_y(n=300, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 3, n)
    y = (x + rng.integers(0, 2, n)) % 3
    return x, y


def test_permutation_null_does_not_depend_on_the_block_size():
    x, y = _x_y()
    runs = [P.permutation_test_distributed(MI_PLUGIN, x, y, n_permutations=37, random_state=11, block_size=bs)
            for bs in (None, 1, 5, 37)]
    for r in runs[1:]:
        assert np.array_equal(r.null_distribution, runs[0].null_distribution)
        assert r.pvalue == runs[0].pvalue
    other = P.permutation_test_distributed(MI_PLUGIN, x, y, n_permutations=37, random_state=12)
    assert not np.array_equal(other.null_distribution, runs[0].null_distribution)


def test_permutation_b_is_drawn_from_child_b_of_the_seed_sequence():
    # the documented contract: root = SeedSequence(seed).spawn(1)[0]; permutation b = rng(root.spawn(B)[b])
    x, y = _x_y()
    res = P.permutation_test_distributed(MI_PLUGIN, x, y, n_permutations=6, random_state=5)
    root = np.random.SeedSequence(5).spawn(1)[0]
    expect = [MI_PLUGIN(x, y[np.random.default_rng(s).permutation(y.size)]) for s in root.spawn(6)]
    assert np.array_equal(res.null_distribution, np.array(expect))


def test_permutation_pvalue_of_a_perfect_copy_is_the_smallest_possible():
    # no shuffle of a balanced coin reproduces the copy exactly often enough: p = 1 / (1 + B)
    x = np.array([0, 1] * 50)
    res = P.permutation_test_distributed(MI_PLUGIN, x, x.copy(), n_permutations=49, random_state=0)
    assert res.statistic == pytest.approx(LN2, rel=1e-12)
    assert res.pvalue == pytest.approx(1 / 50)
    assert res.null_distribution.shape == (49,)


def test_permutation_test_checks_its_arguments():
    x, y = _x_y()
    with pytest.raises(ShapeMismatchError, match="same number of rows"):
        P.permutation_test_distributed(MI_PLUGIN, x, y[:-1])
    with pytest.raises(InvalidParameterError, match="`random_state` must be"):
        P.permutation_test_distributed(MI_PLUGIN, x, y, random_state="seed")
    with pytest.raises(InvalidParameterError, match="`block_size` must be an integer >= 1"):
        P.permutation_test_distributed(MI_PLUGIN, x, y, block_size=0)
    with pytest.raises(InvalidInputTypeError, match="`statistic` must be callable"):
        P.permutation_test_distributed("mi", x, y)


def test_bootstrap_percentile_and_basic_intervals_and_block_invariance():
    data = np.arange(100.0)
    a = P.bootstrap_distributed(np.mean, data, n_resamples=300, random_state=2, block_size=7)
    b = P.bootstrap_distributed(np.mean, data, n_resamples=300, random_state=2)
    assert np.array_equal(a.bootstrap_distribution, b.bootstrap_distribution)
    assert a.estimate == 49.5
    lo, hi = a.confidence_interval
    # the standard error of the mean of 0..99 is sd/sqrt(100) = 28.87/10 ≈ 2.9, so the 95 % interval spans
    # roughly ±1.96·2.9 ≈ ±5.7 around 49.5; a wide band (±2 around those edges) for 300 resamples
    assert 41.5 < lo < 46.0 < 53.0 < hi < 57.5
    basic = P.bootstrap_distributed(np.mean, data, n_resamples=300, random_state=2, method="basic")
    # basic = reflection of the percentile quantiles about the estimate (same replicates)
    assert basic.confidence_interval[0] == pytest.approx(2 * 49.5 - hi, abs=1e-12)
    assert basic.confidence_interval[1] == pytest.approx(2 * 49.5 - lo, abs=1e-12)


def test_bootstrap_resample_b_uses_child_b_of_the_first_child():
    data = np.arange(20.0) ** 2
    res = P.bootstrap_distributed(np.mean, data, n_resamples=4, random_state=9)
    root = np.random.SeedSequence(9).spawn(1)[0]
    expect = [np.mean(data[np.random.default_rng(s).integers(0, 20, size=20)]) for s in root.spawn(4)]
    assert np.array_equal(res.bootstrap_distribution, np.array(expect))


def test_bootstrap_bca_is_block_invariant_and_brackets_the_estimate():
    rng = np.random.default_rng(4)
    data = rng.exponential(size=150)
    r1 = P.bootstrap_distributed(np.mean, data, n_resamples=400, method="bca", random_state=3, block_size=13)
    r2 = P.bootstrap_distributed(np.mean, data, n_resamples=400, method="bca", random_state=3)
    assert r1.confidence_interval == r2.confidence_interval
    lo, hi = r1.confidence_interval
    assert lo < data.mean() < hi
    # right-skewed data: BCa shifts the interval right of the symmetric one
    assert hi - data.mean() > data.mean() - lo


def test_bootstrap_unpaired_samples_may_differ_in_length():
    res = P.bootstrap_distributed(lambda a, b: float(np.mean(a) - np.mean(b)), np.arange(10.0), np.arange(30.0),
                                  paired=False, n_resamples=50, random_state=0)
    assert res.estimate == pytest.approx(4.5 - 14.5)
    with pytest.raises(ShapeMismatchError, match="paired=False"):
        P.bootstrap_distributed(np.mean, np.arange(10.0), np.arange(30.0), n_resamples=5)


# ============================================================================================ counting, local
@pytest.mark.parametrize("method", sorted(ENTROPY_METHODS))
def test_chunked_estimates_equal_the_in_memory_estimators(method):
    df = _table()
    chunks = _chunks(df, 700)
    h = P.discrete_entropy(chunks, ["a", "b"], method=method)
    assert h == pytest.approx(estimate_entropy(df[["a", "b"]], method=method, discrete=True), abs=TOL)
    mi = P.discrete_mutual_information(chunks, "a", ["d", "b"], method=method)
    assert mi == pytest.approx(estimate_mutual_information(df["a"], df[["d", "b"]], method=method, discrete=True),
                               abs=TOL)
    cmi = P.discrete_conditional_mutual_information(chunks, "a", "d", ["b", "c"], method=method)
    expect = estimate_conditional_mutual_information(df["a"], df["d"], df[["b", "c"]], method=method, discrete=True)
    assert cmi == pytest.approx(expect, abs=TOL)


def test_symbols_are_matched_by_value_across_chunks():
    # per-chunk codes disagree ("b" is code 0 in the first chunk and code 1 in the second; dtypes drift from
    # int64 to float64 and to a categorical with other categories), but the symbols are matched by value:
    # x takes b, c, b, a, b, a -> counts {a: 2, b: 3, c: 1}; k is 1 in every row
    chunks = [
        pd.DataFrame({"x": ["b", "c"], "k": np.array([1, 1])}),
        pd.DataFrame({"x": ["b", "a"], "k": np.array([1.0, 1.0])}),
        pd.DataFrame({"x": pd.Categorical(["b", "a"], categories=["z", "a", "b"]), "k": pd.array([1, 1], "Int64")}),
    ]
    sc = P.count_symbols(chunks, ["x", "k"])
    assert sorted(sc.counts.tolist()) == [1, 2, 3]
    assert sorted(sc.marginal("k").tolist()) == [6]
    h = -(2 / 6 * math.log(2 / 6) + 3 / 6 * math.log(3 / 6) + 1 / 6 * math.log(1 / 6))
    assert P.discrete_entropy(chunks, ["x", "k"]) == pytest.approx(h, abs=1e-12)
    assert P.discrete_mutual_information(chunks, "x", "k") == pytest.approx(0.0, abs=1e-15)  # k is constant


def test_numbers_and_their_text_stay_different_symbols():
    # 1 (an int) and "1" (a string) are different symbols, even though numpy would promote both to text
    chunks = [pd.DataFrame({"v": [1, 1]}), pd.DataFrame({"v": ["1", "1"]})]
    assert P.discrete_entropy(chunks, "v", base=2) == pytest.approx(1.0, abs=1e-12)


def test_numpy_chunks_use_column_numbers():
    df = _table(600)
    arr = df[["a", "d"]].to_numpy()
    chunks = [arr[:250], arr[250:]]
    assert P.discrete_mutual_information(chunks, 0, 1, method="bayes") == pytest.approx(
        estimate_mutual_information(df["a"], df["d"], method="bayes", discrete=True), abs=TOL)
    assert P.discrete_entropy([df["b"].iloc[:100], df["b"].iloc[100:]], "b") == pytest.approx(
        estimate_entropy(df["b"], method="plugin"), abs=TOL)


def test_base_two_gives_bits():
    chunks = _chunks(_table(), 500)
    nats = P.discrete_entropy(chunks, "b")
    assert P.discrete_entropy(chunks, "b", base=2) == pytest.approx(nats / LN2, rel=1e-12)


def test_missing_values_raise_by_default_naming_column_and_chunk():
    df = _table(200)
    df["c"] = df["c"].astype(object)
    df.loc[150, "c"] = None
    with pytest.raises(InvalidSampleError, match=r"chunk 1 of `source` has missing values.*'c' \(1\)"):
        P.discrete_entropy(_chunks(df, 100), ["a", "c"])


def test_nan_policy_omit_equals_the_in_memory_omit():
    df = _table(900)
    df.loc[[3, 400, 401], "c"] = np.nan
    df["b"] = df["b"].astype(object)
    df.loc[[10, 400], "b"] = None
    chunks = _chunks(df, 250)
    mi = P.discrete_mutual_information(chunks, "b", "c", method="miller_madow", nan_policy="omit")
    expect = estimate_mutual_information(df["b"], df["c"], method="miller_madow", discrete=True, nan_policy="omit")
    assert mi == pytest.approx(expect, abs=TOL)
    assert P.count_symbols(chunks, ["b", "c"], nan_policy="omit").n_dropped == 4  # rows 3, 10, 400, 401


def test_counting_errors_are_clear():
    chunks = _chunks(_table(100), 50)
    with pytest.raises(InvalidParameterError, match="did you mean 'a'"):
        P.discrete_entropy(chunks, "aa")
    with pytest.raises(InvalidParameterError, match="`method` must be one of"):
        P.discrete_entropy(chunks, "a", method="ksg")
    with pytest.raises(InvalidParameterError, match="does not take `alpha`"):
        P.discrete_entropy(chunks, "a", method="plugin", alpha=1.0)
    with pytest.raises(InvalidInputTypeError, match="chunk 0 of `source` must be a pandas DataFrame"):
        P.discrete_entropy([42], "a")
    with pytest.raises(InvalidInputTypeError, match="`source` must be a Dask DataFrame"):
        P.discrete_entropy(42, "a")
    with pytest.raises(InvalidParameterError, match="not both"):
        P.discrete_entropy(chunks, "a", client=object(), scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(InvalidSampleError, match="yielded no chunks"):
        P.discrete_entropy(iter([]), "a")
    empty = pd.DataFrame({"a": [np.nan, np.nan]})
    with pytest.raises(InvalidSampleError, match="no rows.*2 row"):
        P.discrete_entropy([empty], "a", nan_policy="omit")
    with pytest.raises(InvalidParameterError, match="read_csv"):
        P.discrete_entropy("table.csv", "a")


def test_parquet_files_are_read_batch_by_batch_with_the_same_result(tmp_path, monkeypatch):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    df = _table(3000)
    for i, part in enumerate(_chunks(df, 1000)):
        pq.write_table(pa.Table.from_pandas(part, preserve_index=False), tmp_path / f"part-{i}.parquet",
                       row_group_size=300)
    monkeypatch.setattr(P, "_PARQUET_BATCH_ROWS", 256)  # many batches per file
    for src in (str(tmp_path / "*.parquet"), str(tmp_path)):
        h = P.discrete_entropy(src, ["a", "b", "c"], method="grassberger")
        assert h == pytest.approx(estimate_entropy(df[["a", "b", "c"]], method="grassberger", discrete=True),
                                  abs=TOL)
    single = tmp_path / "part-0.parquet"
    mi = P.discrete_mutual_information(single, "a", "d")
    assert mi == pytest.approx(estimate_mutual_information(df["a"][:1000], df["d"][:1000], method="plugin",
                                                           discrete=True), abs=TOL)
    with pytest.raises(InvalidParameterError, match="did you mean 'b'"):
        P.discrete_entropy(str(tmp_path / "*.parquet"), "bb")
    with pytest.raises(InvalidParameterError, match="matches no file"):
        P.discrete_entropy(str(tmp_path / "*.parq"), "a")


def test_dask_collections_without_a_client_use_the_local_dask_scheduler():
    dd = pytest.importorskip("dask.dataframe")
    da = pytest.importorskip("dask.array")
    df = _table(1500)
    ddf = dd.from_pandas(df, npartitions=4)
    assert P.discrete_entropy(ddf, ["a", "d"], method="chao_shen") == pytest.approx(
        estimate_entropy(df[["a", "d"]], method="chao_shen", discrete=True), abs=TOL)
    arr = da.from_array(df[["a", "d"]].to_numpy(), chunks=(400, 2))
    assert P.discrete_mutual_information(arr, 0, 1) == pytest.approx(
        estimate_mutual_information(df["a"], df["d"], method="plugin"), abs=TOL)


# ============================================================================================ on a LocalCluster
def test_map_tasks_on_the_cluster_equals_the_local_run(client):
    fn = functools.partial(np.round, decimals=3)
    items = list(np.linspace(0.0, 1.0, 23))
    seen = []
    out = P.map_tasks(fn, items, client=client, progress=lambda d, t: seen.append((d, t)))
    assert out == P.map_tasks(fn, items)
    assert seen == [(i, 23) for i in range(1, 24)]


def test_map_tasks_with_a_scheduler_address_opens_and_closes_its_own_client(client):
    out = P.map_tasks(math.factorial, range(8), scheduler=client.scheduler.address)
    assert out == [math.factorial(i) for i in range(8)]


def test_map_tasks_on_the_cluster_reraises_the_task_exception(client):
    with pytest.raises(ValueError, match="math domain error"):
        P.map_tasks(math.sqrt, [4.0, -1.0, 9.0], client=client, retries=0)


def test_unreachable_scheduler_raises_a_connection_error(monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(P, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(P.SchedulerConnectionError, match="could not connect to the Dask scheduler"):
        P.map_tasks(abs, [1], scheduler="tcp://127.0.0.1:9")  # port 9 (discard): nothing listens on loopback


def test_pairwise_mi_on_the_cluster_is_bit_identical_to_local(client):
    rng = np.random.default_rng(8)
    df = pd.DataFrame(rng.normal(size=(300, 5)), columns=list("vwxyz"))
    df["w"] += df["v"]
    df["label"] = (df["x"] > 0).astype(int)
    local, cols = P.pairwise_mutual_information(df, k=3)
    remote, cols2 = P.pairwise_mutual_information(df, k=3, client=client)
    assert cols == cols2 == list(df.columns)
    assert np.array_equal(local, remote, equal_nan=True)
    assert local[0, 1] > 0.2  # w = v + noise of the same scale: I = ½ log 2 ≈ 0.35 nats


def test_resampling_on_the_cluster_is_bit_identical_to_local(client):
    x, y = _x_y(400)
    local = P.permutation_test_distributed(MI_PLUGIN, x, y, n_permutations=60, random_state=21)
    remote = P.permutation_test_distributed(MI_PLUGIN, x, y, n_permutations=60, random_state=21, client=client,
                                            block_size=4)
    assert np.array_equal(local.null_distribution, remote.null_distribution)
    assert (local.pvalue, local.statistic) == (remote.pvalue, remote.statistic)
    b_local = P.bootstrap_distributed(MI_PLUGIN, x, y, n_resamples=40, method="bca", random_state=22)
    b_remote = P.bootstrap_distributed(MI_PLUGIN, x, y, n_resamples=40, method="bca", random_state=22,
                                       client=client)
    assert np.array_equal(b_local.bootstrap_distribution, b_remote.bootstrap_distribution)
    assert b_local.confidence_interval == b_remote.confidence_interval


def test_dask_dataframe_counts_on_the_cluster_equal_in_memory(client):
    dd = pytest.importorskip("dask.dataframe")
    df = _table(3000, seed=5)
    ddf = dd.from_pandas(df, npartitions=11)  # > the merge fan-in: a two-level reduction tree
    assert P.discrete_entropy(ddf, ["a", "b"], method="nsb", client=client) == pytest.approx(
        estimate_entropy(df[["a", "b"]], method="nsb", discrete=True), abs=TOL)
    assert P.discrete_conditional_mutual_information(ddf, "a", "d", "b", method="zhang", client=client) == \
        pytest.approx(estimate_conditional_mutual_information(df["a"], df["d"], df["b"], method="zhang",
                                                              discrete=True), abs=TOL)


@pytest.mark.slow  # the workers import pyarrow and dask.dataframe's Parquet reader: ~5-10 s on 2 cores
def test_parquet_on_the_cluster_equals_in_memory(client, tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    df = _table(2000, seed=6)
    for i, part in enumerate(_chunks(df, 500)):
        pq.write_table(pa.Table.from_pandas(part, preserve_index=False), tmp_path / f"p{i}.parquet")
    got = P.discrete_mutual_information(str(tmp_path / "*.parquet"), ["a", "c"], "b", method="jackknife",
                                        client=client)
    assert got == pytest.approx(estimate_mutual_information(df[["a", "c"]], df["b"], method="jackknife",
                                                            discrete=True), abs=TOL)


def test_missing_values_on_a_worker_raise_the_same_error(client):
    dd = pytest.importorskip("dask.dataframe")
    df = _table(400)
    df.loc[350, "c"] = np.nan
    with pytest.raises(InvalidSampleError, match=r"partition 3 of `source` has missing values.*'c'"):
        P.discrete_entropy(dd.from_pandas(df, npartitions=4), ["a", "c"], client=client)


def test_a_worker_killed_mid_job_does_not_change_the_result(client):
    # KSG on 8 000 rows takes ~0.05-0.1 s per permutation: after the 3rd of 16 blocks finishes, one worker process
    # is killed (SIGKILL) while it runs a block and holds finished ones; the nanny starts a new worker, the
    # scheduler re-runs the lost blocks from their seeds, and the null distribution is unchanged.
    rng = np.random.default_rng(0)
    x = rng.normal(size=8_000)
    y = x + rng.normal(size=8_000)
    stat = functools.partial(estimate_mutual_information, method="ksg", workers=1)
    pids_before = client.run(os.getpid)
    victim = sorted(pids_before.values())[0]
    killed = []

    def kill_one(done, total):
        if done == 3 and not killed:
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    remote = P.permutation_test_distributed(stat, x, y, n_permutations=16, random_state=13, block_size=1,
                                            client=client, progress=kill_one)
    assert killed == [victim]
    client.wait_for_workers(2, timeout=60)
    assert victim not in client.run(os.getpid).values()  # the worker really died and was replaced
    local = P.permutation_test_distributed(stat, x, y, n_permutations=16, random_state=13)
    assert np.array_equal(remote.null_distribution, local.null_distribution)
    assert remote.pvalue == local.pvalue == pytest.approx(1 / 17)  # strong dependence: no permutation reaches it
