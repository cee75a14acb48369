"""`infokit report`, `infokit entropy`, `infokit mi` and the new `infokit demo`, end to end (in-process)."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import numpy as np
import pytest

from infokit.cli import main

pd = pytest.importorskip("pandas")


def run(capsys, *argv):
    rc = main([str(a) for a in argv])
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory):
    rng = np.random.default_rng(0)
    n = 300
    a = rng.normal(size=n)
    g = rng.integers(0, 3, n)
    y = (a + (g == 1) + 0.5 * rng.normal(size=n) > 0.5).astype(int)
    df = pd.DataFrame({"a": a.round(6), "g": np.array(["red", "green", "blue"])[g],
                       "noise": rng.normal(size=n).round(6), "y": np.array(["no", "yes"])[y]})
    path = tmp_path_factory.mktemp("data") / "t.csv"
    df.to_csv(path, index=False)
    return str(path)


FAST = ("--permutations", "5", "--bootstrap", "5")


def test_report_writes_three_parseable_files_and_a_summary(capsys, csv_path, tmp_path):
    out = tmp_path / "rep"
    rc, stdout, err = run(capsys, "report", csv_path, "--target", "y", "--out", out, *FAST)
    assert rc == 0, err
    assert err == ""  # capsys is not a terminal: no progress bar
    assert sorted(os.listdir(out)) == ["report.html", "report.json", "report.md"]
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    top = data["ranking"][0]
    assert top == "a"
    col = next(c for c in data["columns"] if c["name"] == "a")
    mi = col["mi_with_target"]
    # the summary line shows the same number, with its unit, CI, p-value and estimator
    line = re.search(r"1\. a\s+(\S+) bits\s+95% CI \[(\S+), (\S+)\]\s+p = (\S+)\s+\[ross\]", stdout)
    assert line, stdout
    assert float(line.group(1)) == pytest.approx(mi["value"], abs=5e-4)  # printed with 3 decimals
    assert float(line.group(4)) == pytest.approx(mi["pvalue"], abs=5e-4)  # 3 significant digits of p < 1
    assert f"Wrote {out / 'report.html'}" in stdout


def test_report_numbers_equal_the_python_api(capsys, csv_path, tmp_path):
    from infokit.report import compute, load_table

    rc, _, err = run(capsys, "report", csv_path, "--target", "y", "--out", tmp_path, "--format", "json", *FAST)
    assert rc == 0, err
    cli = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    api = compute(load_table(csv_path), "y", permutations=5, bootstrap=5).to_dict()
    for d in (cli, api):
        d.pop("created"), d.pop("timings_seconds")
    assert cli == api


def test_quiet_prints_only_the_paths(capsys, csv_path, tmp_path):
    rc, out, err = run(capsys, "report", csv_path, "--target", "y", "--out", tmp_path, "--quiet",
                       "--format", "md,json", "--permutations", "0", "--bootstrap", "0")
    assert rc == 0 and err == ""
    assert out.splitlines() == [str(tmp_path / "report.md"), str(tmp_path / "report.json")]


def test_verbose_says_which_estimator_each_column_got_and_why(capsys, csv_path, tmp_path):
    rc, _, err = run(capsys, "report", csv_path, "--target", "y", "--out", tmp_path, "--verbose",
                     "--format", "json", "--permutations", "0", "--bootstrap", "0")
    assert rc == 0
    assert "I(a; y): ross — one discrete and one continuous variable: Ross (2014)" in err
    assert "I(g; y): chao_wang_jost — all variables are discrete" in err
    assert "column 'g': discrete — text with 3 distinct values" in err


def test_stdin_dash_reads_csv(capsys, csv_path, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(open(csv_path, "rb").read())))
    rc, out, err = run(capsys, "report", "-", "--target", "y", "--out", tmp_path, "--format", "json",
                       "--permutations", "0", "--bootstrap", "0")
    assert rc == 0, err
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["source"] == "<stdin>" and data["rows"] == 300


def test_flagged_columns_give_exit_status_3_and_a_warning(capsys, csv_path, tmp_path):
    df = pd.read_csv(csv_path)
    df.insert(0, "customer_id", np.arange(10_000, 10_000 + len(df)))
    path = tmp_path / "with_id.csv"
    df.to_csv(path, index=False)
    rc, out, err = run(capsys, "report", path, "--target", "y", "--out", tmp_path / "o", "--format", "json",
                       "--permutations", "0", "--bootstrap", "0")
    assert rc == 3
    assert err.startswith("infokit: warning: column 'customer_id' looks like an identifier")
    assert "Left out: customer_id (identifier)" in out
    assert (tmp_path / "o" / "report.json").exists()
    rc, _, err = run(capsys, "report", path, "--target", "y", "--out", tmp_path / "o", "--format", "json",
                     "--permutations", "0", "--bootstrap", "0", "--exclude", "customer_id")
    assert rc == 0 and err == ""  # excluded on purpose: nothing to warn about


@pytest.mark.parametrize("content, argv, fragment", [
    (None, ["missing.csv", "--target", "y"], "cannot read `.*missing.csv`: no such file"),
    ("a,b,y\n1,2,3\n4,5\n", ["--target", "y"], r"ragged rows: .* line 3 has 2"),
    ("a,y\n1,caf\xe9\n".encode("latin-1"), ["--target", "y"], r"byte 0xe9 at line 2, column 6"),
    ("a,y\n1,0\n2,1\n", ["--target", "Y"], r"the target 'Y' is not a column of the table; did you mean 'y'\?"),
    ("a,y\n1,0\n2,0\n3,0\n", ["--target", "y"], r"the target 'y' has a single value"),
    ("a,y\n1,\n2,\n", ["--target", "y"], r"the target 'y' is empty"),
    ("a,y\n" + "".join(f"{i},{i % 2}\n" for i in range(40)), ["--target", "y", "--exclude", "a"],
     r"no column is left to analyse"),
])
def test_bad_input_is_one_clear_line_and_exit_status_1(capsys, tmp_path, content, argv, fragment):
    if content is None:
        args = [str(tmp_path / argv[0])] + argv[1:]
    else:
        path = tmp_path / "bad.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        args = [str(path)] + argv
    rc, out, err = run(capsys, "report", *args, "--out", tmp_path / "o")
    assert rc == 1
    assert out == "" and "Traceback" not in err
    assert err.startswith("infokit: error: ") and err.count("\n") == 1
    assert re.search(fragment, err), err
    assert not (tmp_path / "o").exists()  # nothing written


@pytest.mark.parametrize("argv, fragment", [
    (["report", "x.csv"], "--target COL is required"),
    (["report", "--target", "y"], "DATA is required"),
    (["report", "x.csv", "--demo"], "pass either DATA or --demo"),
    (["report", "x.csv", "--target", "y", "--permutations", "-1"], "expected a whole number >= 0"),
    (["report", "x.csv", "--target", "y", "--base", "1"], "the base must be > 0 and != 1"),
    (["report", "x.csv", "--target", "y", "--format", "pdf"], "--format must be a comma-separated subset"),
    (["report", "x.csv", "--target", "y", "--quiet", "--verbose"], "not allowed with argument"),
    (["mi", "x.csv", "--x", "a"], "the following arguments are required: --y"),
    (["entropy", "x.csv"], "the following arguments are required: --columns"),
])
def test_bad_arguments_exit_with_status_2(capsys, argv, fragment):
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == ""
    assert fragment in err and err.count("\n") == 1, err


def test_the_input_file_is_never_modified(capsys, csv_path, tmp_path):
    before = (open(csv_path, "rb").read(), os.stat(csv_path).st_mtime_ns)
    run(capsys, "report", csv_path, "--target", "y", "--out", tmp_path, "--format", "json", *FAST)
    assert (open(csv_path, "rb").read(), os.stat(csv_path).st_mtime_ns) == before


def test_scheduler_address_is_handed_to_infokit_parallel(capsys, csv_path, tmp_path, monkeypatch):
    import infokit.parallel as parallel

    seen = set()

    def fake(fn, items, *, client=None, scheduler=None, progress=None):
        seen.add(scheduler)
        return [fn(it) for it in items]

    monkeypatch.setattr(parallel, "map_tasks", fake)
    rc, _, err = run(capsys, "report", csv_path, "--target", "y", "--out", tmp_path, "--format", "json",
                     "--scheduler", "tcp://10.0.0.5:8786", *FAST)
    assert rc == 0, err
    assert seen == {"tcp://10.0.0.5:8786"}
    assert json.loads((tmp_path / "report.json").read_text())["settings"]["scheduler"] == "tcp://10.0.0.5:8786"


# --------------------------------------------------------------------------------------------- entropy, mi
def test_entropy_prints_each_column_with_unit_and_estimator(capsys, csv_path):
    from infokit.estimators import estimate_entropy

    rc, out, err = run(capsys, "entropy", csv_path, "--columns", "g,a")
    assert rc == 0, err
    g = pd.read_csv(csv_path)["g"]
    m = re.search(r"^H\(g\) = (\S+) bits  \[jackknife; g: discrete; n = 300\]$", out, re.M)
    assert m, out
    assert float(m.group(1)) == pytest.approx(estimate_entropy(g, base=2), abs=5e-5)  # 4 decimals printed
    assert re.search(r"^h\(a\) = \S+ bits  \[kl; a: continuous; n = 300\]  \(differential entropy", out, re.M)


def test_entropy_json_and_joint(capsys, csv_path):
    from infokit.estimators import estimate_entropy

    rc, out, _ = run(capsys, "entropy", csv_path, "--columns", "g,y", "--joint", "--json", "--base", "e")
    assert rc == 0
    r = json.loads(out)
    df = pd.read_csv(csv_path)
    assert r["unit"] == "nats" and r["columns"] == ["g", "y"] and r["method"] == "jackknife"
    assert r["value"] == pytest.approx(estimate_entropy(df[["g", "y"]]), abs=1e-12)


def test_mi_matches_the_estimators_and_reports_ci_and_pvalue(capsys, csv_path):
    from infokit.estimators import estimate_conditional_mutual_information, estimate_mutual_information

    df = pd.read_csv(csv_path)
    rc, out, err = run(capsys, "mi", csv_path, "--x", "a", "--y", "y", "--json", "--permutations", "9",
                       "--ci", "0.9", "--bootstrap", "20")
    assert rc == 0, err
    r = json.loads(out)
    assert r["value"] == pytest.approx(estimate_mutual_information(df["a"], df["y"], base=2), abs=1e-12)
    assert r["method"] == "ross" and r["unit"] == "bits" and r["n"] == 300
    assert r["pvalue"] == pytest.approx(0.1, abs=1e-12)  # 1 / (1 + 9): no permutation reaches a real signal
    assert r["ci_method"] == "half-sampling" and r["confidence_level"] == 0.9 and r["ci"][0] < r["ci"][1]
    rc, out, _ = run(capsys, "mi", csv_path, "--x", "g", "--y", "y", "--given", "a")
    assert rc == 0
    m = re.search(r"^I\(g; y \| a\) = (\S+) bits  \[gao; g: discrete; y: discrete; a: continuous; n = 300\]$",
                  out, re.M)
    assert m, out
    ref = estimate_conditional_mutual_information(df["g"], df["y"], df["a"], base=2)
    assert float(m.group(1)) == pytest.approx(ref, abs=5e-5)


def test_mi_unknown_column_suggests_names(capsys, csv_path):
    rc, out, err = run(capsys, "mi", csv_path, "--x", "nois", "--y", "y")
    assert rc == 1 and "the x column 'nois' is not a column of the table; did you mean 'noise'?" in err


# --------------------------------------------------------------------------------------------- demo
def test_demo_writes_the_report_and_prints_the_top_columns(capsys, tmp_path):
    pytest.importorskip("sklearn")
    rc, out, err = run(capsys, "demo", "--out", tmp_path, "--permutations", "3", "--bootstrap", "3")
    assert rc == 0, err
    assert "breast-cancer" in out and "Top columns by I(column; diagnosis) [bits]:" in out
    assert re.search(r"^\s+1\. worst \w+", out, re.M)  # a "worst ..." size feature leads on these data
    assert sorted(os.listdir(tmp_path)) == ["report.html", "report.json", "report.md"]
    assert "infokit demo --measures" in out
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["rows"] == 569 and len(data["ranking"]) == 30
    assert data["target"]["entropy"]["value"] == pytest.approx(0.953, abs=2e-3)  # h(212/569) = 0.9526 bits
