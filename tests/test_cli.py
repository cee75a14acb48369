"""The `infokit` command line: --version, papers, demo, and bad arguments (exit status 2)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import infokit
from infokit.cli import main
from infokit.papers import papers



def run(capsys, *argv):
    rc = main(list(argv))
    cap = capsys.readouterr()
    return rc, cap.out, cap.err


def test_version_prints_the_package_version(capsys):
    rc, out, err = run(capsys, "--version")
    assert rc == 0
    assert out.strip() == f"infokit {infokit.__version__}"


def test_python_dash_m_infokit_runs_the_cli():
    # one subprocess check that the module entry point is wired (the rest runs in-process: faster)
    proc = subprocess.run([sys.executable, "-m", "infokit", "--version"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"infokit {infokit.__version__}"


def test_papers_table_lists_every_paper_with_its_status(capsys):
    rc, out, err = run(capsys, "papers")
    assert rc == 0 and err == ""
    rows = [line for line in out.splitlines() if re.match(r"^\d+\s+\d{4}\s+(planned|partial|done)\s", line)]
    assert len(rows) == 34
    numbers = [int(line.split()[0]) for line in rows]
    assert numbers == list(range(1, 35))
    by_number = {int(line.split()[0]): line.split()[2] for line in rows}
    assert by_number == {p.number: p.status for p in papers()}
    assert "reconstruction_condition" in out


def test_papers_status_filter_shows_only_that_stage(capsys):
    rc, out, _ = run(capsys, "papers", "--status", "partial")
    assert rc == 0
    rows = [line for line in out.splitlines() if re.match(r"^\d+\s+\d{4}\s", line)]
    assert [int(r.split()[0]) for r in rows] == [p.number for p in papers("partial")]
    assert all(" partial " in r for r in rows)


def test_papers_status_with_no_paper_says_so(capsys, monkeypatch):
    import infokit.papers as registry

    monkeypatch.setattr(registry, "_PAPERS", tuple(p for p in papers() if p.status != "done"))
    rc, out, _ = run(capsys, "papers", "--status", "done")
    assert rc == 0
    assert "No paper has status 'done' yet." in out


def test_papers_json_is_machine_readable(capsys):
    rc, out, _ = run(capsys, "papers", "--json")
    assert rc == 0
    data = json.loads(out)
    assert len(data) == 34
    assert {"number", "title", "year", "arxiv", "home", "api", "example", "status", "result"} <= set(data[0])
    rc, out, _ = run(capsys, "papers", "--json", "--status", "done")
    assert json.loads(out) == [p.to_dict() for p in papers("done")]


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["papers", "--status", "finished"], "invalid choice: 'finished'"),
        (["papers", "--nope"], "unrecognized arguments: --nope"),
        (["demo", "extra"], "unrecognized arguments: extra"),
        ([], "a command is required"),
    ],
)
def test_bad_arguments_exit_with_usage_status_and_a_one_line_message(capsys, argv, fragment):
    rc, out, err = run(capsys, *argv)
    assert rc == 2
    assert out == ""
    assert fragment in err
    assert err.startswith("infokit")
    assert err.count("\n") == 1, err  # one line, no argparse usage dump


def test_help_exits_successfully(capsys):
    rc, out, _ = run(capsys, "--help")
    assert rc == 0
    assert all(cmd in out for cmd in ("papers", "demo", "report", "entropy", "mi"))


def test_demo_prints_exact_measures_with_units(capsys):
    rc, out, err = run(capsys, "demo", "--measures")
    assert rc == 0, err
    # fair coin: -2 * 0.5 log2 0.5 = 1 bit; XOR: I(X;Y) - I(X;Y|Z) = 0 - 1 = -1 bit
    assert re.search(r"H\(fair coin\)\s+= 1\.000 bits", out)
    assert re.search(r"co-information .*= -1\.000 bits", out)


def test_demo_prints_the_crt_reconstruction_numbers(capsys):
    rc, out, err = run(capsys, "demo", "--measures")
    assert rc == 0, err
    # X uniform on 0..29: H(X) = log2 30 = 4.907 bits; X mod 2, 3, 5 are independent (CRT), so
    # H(X_i) = 1, log2 3, log2 5 sum to log2 30 and sum_i delta_i = sum_i (1 - H_i/H_X) = 3 - 1 = 2 = n - 1.
    assert "H(X)                  = 4.907 bits" in out
    assert re.search(r"H\(X_i\)\s+= 1\.000, 1\.585, 2\.322 bits \(sum 4\.907 bits\)", out)
    assert "= 2.000 <= n - 1 = 2" in out
    # X uniform on 0..59: H(X) = log2 60 = 5.907 bits, same residues (sum 4.907 bits):
    # sum delta = 3 - 4.907/5.907 = 2.169 > 2: the necessary condition fails, X is not reconstructable.
    assert "H(X)                  = 5.907 bits" in out
    assert "= 2.169 > n - 1 = 2" in out
    assert out.count("necessary condition   : holds") == 1
    assert out.count("necessary condition   : fails") == 1
    assert out.count("X reconstructable     : yes") == 1
    assert out.count("X reconstructable     : no") == 1
    assert "[skipped] the reconstruction condition" not in out


def test_demo_prints_the_capacities_next_to_the_closed_forms(capsys):
    rc, out, err = run(capsys, "demo", "--measures")
    assert rc == 0, err
    caps = [float(v) for v in re.findall(r"capacity \(Blahut-Arimoto\) = ([0-9.]+) bits per channel use", out)]
    assert len(caps) == 2, out
    # BSC(0.11): C = 1 - h(0.11) = 1 - 0.499916 = 0.500084 bits per channel use
    assert caps[0] == pytest.approx(0.500084, abs=2e-6)  # 6 printed decimals + BA tolerance
    assert "1 - h(0.11) (closed form) = 0.500084 bits" in out
    # Z-channel(1/2): C = log2(1 + (1-p) p^(p/(1-p))) = log2(1 + 1/4) = 0.321928 bits per channel use
    assert caps[1] == pytest.approx(0.321928, abs=2e-6)
    assert "log2(5/4) (closed form)   = 0.321928 bits" in out


@pytest.mark.parametrize("missing", ["reconstruction_condition", "channel_capacity"])
def test_demo_degrades_with_a_clear_message_when_a_part_is_missing(capsys, monkeypatch, missing):
    monkeypatch.delattr(infokit, missing)
    rc, out, _ = run(capsys, "demo", "--measures")
    assert rc == 0
    assert "[skipped]" in out and f"infokit.{missing} is not in this version of infokit yet" in out
    assert "H(fair coin)" in out  # the rest of the demo still runs
