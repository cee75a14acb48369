"""infokit.report.compute: planted signal, agreement with the estimator API, units, errors, the map hook."""

from __future__ import annotations

import io
import json
import math
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from infokit.estimators import (
    estimate_conditional_mutual_information,
    estimate_entropy,
    estimate_mutual_information,
)
from infokit.exceptions import InvalidParameterError
from infokit.report import InvalidTableError, compute

pd = pytest.importorskip("pandas")

SIGNALS = {"sig_cont", "copy_cont", "sig_int", "sig_text"}


@pytest.fixture
def rep(planted):
    return compute(planted, "y", permutations=0, bootstrap=0)


def test_planted_columns_rank_above_the_noise(rep):
    assert set(rep.ranking[:4]) == SIGNALS
    assert len(rep.ranking) == 8
    # every signal has a clearly positive MI; every noise column is near 0 (bias of the estimators at
    # n = 1500 is below 0.02 bits, while the weakest signal carries > 0.1 bits)
    for c in rep.ranked:
        if c.name in SIGNALS:
            assert c.mi.value > 0.1, c
        else:
            assert abs(c.mi.value) < 0.05, c


def test_mrmr_pushes_the_near_copy_of_the_best_column_down(rep):
    order = [s.feature for s in rep.mrmr]
    assert order[0] == rep.best == rep.ranking[0]
    assert rep.best in ("sig_cont", "copy_cont")
    copy = "copy_cont" if rep.best == "sig_cont" else "sig_cont"
    # by relevance the copy is 2nd; its redundancy with the best (~ its whole MI) moves it behind sig_int/sig_text
    assert rep.ranking.index(copy) == 1
    assert order.index(copy) > order.index("sig_int") and order.index(copy) > order.index("sig_text")
    first_step = rep.mrmr[1]
    assert first_step.score == pytest.approx(first_step.relevance - first_step.mean_redundancy, abs=1e-12)


def test_numbers_equal_the_estimator_api(planted, rep):
    # same rows, same order, same discrete flags -> identical estimates (only round-off could differ)
    y = planted["y"]
    assert rep.column("sig_int").mi.value == pytest.approx(
        estimate_mutual_information(planted["sig_int"], y, base=2), abs=1e-12)
    assert rep.column("sig_cont").mi.value == pytest.approx(
        estimate_mutual_information(planted["sig_cont"], y, base=2), abs=1e-12)
    assert rep.column("sig_cont").mi.estimator == "ross"
    assert rep.column("sig_int").mi.estimator == "chao_wang_jost"
    assert rep.target.entropy.value == pytest.approx(estimate_entropy(y, base=2), abs=1e-12)
    best = planted[rep.best]
    assert rep.column("sig_int").cmi_given_best.value == pytest.approx(
        estimate_conditional_mutual_information(planted["sig_int"], y, best, base=2), abs=1e-12)
    red = rep.redundancy
    i, j = red.features.index("sig_int"), red.features.index("sig_text")
    assert red.matrix[i][j] == pytest.approx(
        estimate_mutual_information(planted["sig_int"], planted["sig_text"], base=2), abs=1e-12)
    assert red.matrix[i][i] is None


def test_normalised_forms(rep):
    c = rep.column("sig_int")
    h = rep.target.entropy.value
    assert c.mi_over_h_target.value == pytest.approx(c.mi.value / h, rel=1e-12)
    assert c.mi_over_h_target.unit == "fraction"
    i_nats = c.mi.value * math.log(2)
    assert c.linfoot.value == pytest.approx(math.sqrt(1 - math.exp(-2 * i_nats)), rel=1e-12)
    assert rep.column(rep.best).cmi_given_best.value == 0.0  # I(X; Y | X) = 0 by definition


def test_nats_are_bits_times_ln2(planted, rep):
    nat = compute(planted, "y", base=None, permutations=0, bootstrap=0)
    assert nat.unit == "nats"
    assert nat.column("sig_int").mi.value == pytest.approx(rep.column("sig_int").mi.value * math.log(2), rel=1e-12)
    assert nat.column("sig_int").mi_over_h_target.value == pytest.approx(
        rep.column("sig_int").mi_over_h_target.value, rel=1e-12)  # a ratio has no unit


def test_confidence_intervals_and_permutation_pvalues(make_planted):
    df = make_planted(400)
    r = compute(df, "y", permutations=19, bootstrap=20, top=3)
    s = r.column("sig_int").mi
    # no permutation of a strong signal reaches the observed MI: p = (1 + 0) / (1 + 19) = 0.05 exactly
    assert s.pvalue == pytest.approx(0.05, abs=1e-12) and s.permutations == 19
    assert s.ci_method == "half-sampling" and s.resamples == 20 and s.confidence_level == 0.95
    assert s.ci[0] < s.ci[1]
    noise = [r.column(n).mi.pvalue for n in ("noise_cont", "noise_int", "noise_text", "noise_bool")]
    assert max(noise) > 0.2  # independent columns are not all "significant" (seeded, deterministic)
    # seeded: a second run gives the same numbers
    again = compute(df, "y", permutations=19, bootstrap=20, top=3)
    assert again.column("sig_int").mi == s


def test_json_has_a_unit_for_every_number_and_no_nan(rep):
    data = json.loads(rep.to_json())

    def walk(node, path="$"):
        if isinstance(node, dict):
            if "value" in node:
                assert "unit" in node, path
                assert node["value"] is not None or node.get("note"), path  # missing values say why
            for k, v in node.items():
                walk(v, f"{path}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{path}[{i}]")
        elif isinstance(node, float):
            assert math.isfinite(node), path

    walk(data)
    assert data["unit"] == "bits" and data["ranking"] == list(rep.ranking)
    col = next(c for c in data["columns"] if c["name"] == "sig_cont")
    assert col["type"] == "continuous" and "non-integer" in col["rule"]
    assert col["mi_with_target"]["estimator"] == "ross"


def test_flagged_columns_are_left_out_and_named(make_planted):
    df = make_planted(300)
    df["id"] = np.arange(300)
    df["empty"] = np.nan
    df["junk"] = ["1.5"] * 299 + ["oops"]
    df["const"] = 7
    r = compute(df, "y", permutations=0, bootstrap=0)
    assert {c.name: c.status for c in r.flagged} == {"id": "identifier", "empty": "empty", "junk": "mixed-type"}
    assert r.column("const").status == "constant"
    assert not {"id", "empty", "junk", "const"} & set(r.ranking)
    assert set(r.ranking[:4]) == SIGNALS


def test_max_rows_takes_a_seeded_subsample(planted):
    a = compute(planted, "y", max_rows=500, permutations=0, bootstrap=0, random_state=1)
    b = compute(planted, "y", max_rows=500, permutations=0, bootstrap=0, random_state=1)
    c = compute(planted, "y", max_rows=500, permutations=0, bootstrap=0, random_state=2)
    assert a.n_rows == 1500 and a.n_rows_used == 500 and a.column("sig_int").mi.n == 500
    assert a.column("sig_int").mi == b.column("sig_int").mi
    assert a.column("sig_int").mi.value != c.column("sig_int").mi.value  # another seed, another subsample


def test_mixed_columns_use_the_mixed_estimator():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 600)
    amount = np.where(rng.random(600) < 0.4, 0.0, rng.exponential(size=600) + y)
    r = compute({"amount": amount, "noise": rng.normal(size=600), "y": y}, "y", permutations=0, bootstrap=0)
    c = r.column("amount")
    assert c.type == "mixed" and c.mi.estimator == "gao" and "Gao" in c.reason
    assert c.entropy.value is None and "mixture" in c.entropy.note
    assert r.ranking[0] == "amount"


def test_a_failed_estimate_is_reported_not_ranked():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    sparse = np.full(200, np.nan)
    sparse[:3] = [0.1, 0.2, 0.3]  # 3 complete rows: too few for any estimator
    r = compute({"sparse": sparse, "sig": y, "y": y}, "y", permutations=0, bootstrap=0, continuous=["sparse"])
    s = r.column("sparse")
    assert s.mi.value is None and s.mi.note.startswith("not estimated:") and s.rank is None
    assert r.ranking == ("sig",)


def test_the_input_frame_is_not_modified(planted):
    before = planted.copy(deep=True)
    compute(planted, "y", permutations=3, bootstrap=3, exclude=["noise_bool"], categorical=["noise_int"])
    pd.testing.assert_frame_equal(planted, before)


def test_verbose_explains_types_and_estimators(planted):
    buf = io.StringIO()
    compute(planted, "y", permutations=0, bootstrap=0, verbose=True, progress=True, stream=buf)
    text = buf.getvalue()
    assert "column 'sig_cont': continuous — numbers with 1500 distinct values (non-integer values)" in text
    assert "I(sig_cont; y): ross — one discrete and one continuous variable: Ross (2014)" in text
    assert "I(sig_int; y): chao_wang_jost — all variables are discrete" in text
    assert "\r" not in text  # StringIO is not a terminal: no progress bar


# --------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize("target, match", [
    ("Y", r"the target 'Y' is not a column of the table; did you mean 'y'\?"),
    ("sig_in", r"did you mean 'sig_int'"),
])
def test_unknown_target_suggests_close_names(planted, target, match):
    with pytest.raises(InvalidTableError, match=match):
        compute(planted, target)


def test_unusable_targets_are_refused(planted):
    df = planted.assign(one=1, none=np.nan, uid=[f"u{i}" for i in range(len(planted))])
    with pytest.raises(InvalidTableError, match=r"the target 'one' has a single value .* choose another target"):
        compute(df, "one")
    with pytest.raises(InvalidTableError, match=r"the target 'none' is empty"):
        compute(df, "none")
    with pytest.raises(InvalidTableError, match=r"the target 'uid' looks like an identifier"):
        compute(df, "uid")


def test_no_usable_column_is_an_error():
    with pytest.raises(InvalidTableError, match=r"no column is left to analyse .*'e' \(empty\)"):
        compute({"e": [np.nan] * 30, "y": [0, 1] * 15}, "y")


@pytest.mark.parametrize("kwargs, match", [
    (dict(permutations=-1), r"`permutations` must be an integer >= 0"),
    (dict(bootstrap=2.5), r"`bootstrap` must be an integer >= 0"),
    (dict(confidence_level=1.5), r"`confidence_level` must be in \(0, 1\)"),
    (dict(method="ksg3"), r"`method` must be one of \{'auto', .*'ksg'.*got 'ksg3'"),
    (dict(max_rows=5), r"`max_rows` must be 0 / None \(all rows\) or >= 10"),
    (dict(top=1), r"`top` must be an integer >= 2"),
    (dict(base=1), r"`base` must be a finite number > 0 and != 1"),
    (dict(exclude=["nois_int"]), r"the excluded column 'nois_int' is not a column .*did you mean 'noise_int'"),
    (dict(categorical=["y"], continuous=["y"]), r"declared both categorical and continuous"),
])
def test_bad_settings_are_named(planted, kwargs, match):
    with pytest.raises((InvalidParameterError, InvalidTableError), match=match):
        compute(planted, "y", **kwargs)


# --------------------------------------------------------------------------------------------- map hook
def test_a_client_sends_every_step_through_infokit_parallel_map_tasks(make_planted, monkeypatch):
    import infokit.parallel as parallel

    df = make_planted(300)
    local = compute(df, "y", permutations=5, bootstrap=5, top=3)
    calls = []

    def fake_map_tasks(fn, items, *, client=None, scheduler=None, progress=None):
        calls.append((getattr(fn, "func", fn).__name__, len(items), client, scheduler))
        assert all(len(pickle.dumps(it)) < 2000 for it in items)  # tasks name columns; the data rides in fn
        # run in reverse to check that results are matched to tasks by position, not by finishing order
        out = {i: fn(it) for i, it in reversed(list(enumerate(items)))}
        return [out[i] for i in range(len(items))]

    monkeypatch.setattr(parallel, "map_tasks", fake_map_tasks)
    sentinel = object()
    remote = compute(df, "y", permutations=5, bootstrap=5, top=3, client=sentinel)
    n_feat = 8
    assert [c[1] for c in calls] == [n_feat + 1, n_feat, n_feat, 3, n_feat - 1]  # entropies, MI, perms, pairs, CMI
    assert all(c[0] == "run_task" and c[2] is sentinel and c[3] is None for c in calls)
    a, b = local.to_dict(), remote.to_dict()
    for d in (a, b):
        d.pop("created"), d.pop("timings_seconds"), d["settings"].pop("scheduler")
    assert a == b


def test_local_runs_import_neither_dask_nor_matplotlib():
    code = textwrap.dedent("""
        import sys, json
        import numpy as np
        from infokit.report import compute
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 200)
        compute({"a": y + rng.normal(size=200), "y": y}, "y", permutations=3, bootstrap=3)
        print(json.dumps({m: m in sys.modules for m in ("dask", "distributed", "matplotlib")}))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"dask": False, "distributed": False,
                                                              "matplotlib": False}


@pytest.mark.slow
def test_a_local_dask_cluster_gives_the_same_report(make_planted):
    distributed = pytest.importorskip("distributed")
    df = make_planted(400)
    local = compute(df, "y", permutations=10, bootstrap=10, top=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = compute(df, "y", permutations=10, bootstrap=10, top=4, client=client)
    a, b = local.to_dict(), remote.to_dict()
    for d in (a, b):
        d.pop("created"), d.pop("timings_seconds"), d["settings"].pop("scheduler")
    assert a == b


def test_progress_bars_are_drawn_only_on_a_terminal(make_planted):
    pytest.importorskip("tqdm")

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    df = make_planted(200)
    tty, pipe = Terminal(), io.StringIO()
    compute(df, "y", permutations=2, bootstrap=2, top=3, progress=True, stream=tty)
    compute(df, "y", permutations=2, bootstrap=2, top=3, progress=True, stream=pipe)
    assert "MI with the target + CI" in tty.getvalue() and "permutation tests" in tty.getvalue()
    assert pipe.getvalue() == ""
    quiet = Terminal()
    compute(df, "y", permutations=2, bootstrap=2, top=3, progress=False, stream=quiet)  # --quiet
    assert quiet.getvalue() == ""


def test_a_continuous_target_gets_ksg_and_no_entropy_ratio():
    rng = np.random.default_rng(0)
    n = 500
    x = rng.normal(size=n)
    y = x + 0.5 * rng.normal(size=n)
    r = compute({"x": x, "noise": rng.normal(size=n), "g": rng.integers(0, 3, n), "y": y}, "y",
                permutations=0, bootstrap=0)
    assert r.target.type == "continuous" and r.ranking[0] == "x"
    c = r.column("x")
    assert c.mi.estimator == "ksg" and r.column("g").mi.estimator == "ross"
    assert c.mi_over_h_target.value is None and "needs a discrete target" in c.mi_over_h_target.note
    # Gaussian pair with correlation rho = 1/sqrt(1.25): I = -0.5 log(1 - rho^2) = 0.5 log 5 = 0.805 nats,
    # Linfoot r = rho = 0.894; KSG at n = 500 is within ~0.05 nats of it
    assert c.linfoot.value == pytest.approx(1 / math.sqrt(1.25), abs=0.03)
    assert r.column("noise").cmi_given_best.estimator == "fp"


def test_a_failed_interval_keeps_the_estimate_and_says_why():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    few = np.full(200, np.nan)
    few[:6] = [0.1, 0.5, 0.2, 0.9, 0.3, 0.7]  # 6 complete rows: an estimate (k=3), but halves of 3 rows fail
    r = compute({"few": few, "y": y}, "y", permutations=0, bootstrap=10, continuous=["few"])
    q = r.column("few").mi
    assert q.value is not None and q.ci is None and q.note.startswith("no confidence interval:")
    assert r.ranking == ("few",)
