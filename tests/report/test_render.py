"""Rendering: self-contained HTML with embedded PNG plots, Markdown, JSON; atomic, all-or-nothing writes."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from infokit.report import InvalidTableError, compute

pd = pytest.importorskip("pandas")
pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def rep():
    import numpy as np

    rng = np.random.default_rng(0)
    n = 300
    a, b = rng.normal(size=n), rng.integers(0, 3, n)
    y = (a + b + rng.normal(size=n) > 1).astype(int)
    df = pd.DataFrame({"a": a, "b": b, "<b>x</b> & co": rng.integers(0, 2, n), "c": a + 0.1 * rng.normal(size=n),
                       "y": np.array(["no", "yes"])[y]})
    return compute(df, "y", permutations=5, bootstrap=5, top=4)


@pytest.fixture(scope="module")
def page(rep):
    return rep.to_html()


def test_html_is_self_contained_with_two_png_plots_and_the_tables(rep, page):
    imgs = re.findall(r'<img class="(\w+)" alt="[^"]*" src="data:image/png;base64,([A-Za-z0-9+/=]+)">', page)
    assert [cls for cls, _ in imgs] == ["ranking", "heatmap"]
    for _, data in imgs:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    # nothing is fetched from elsewhere: no external src/href, no stylesheet or script links
    assert not re.search(r'(src|href)="(https?:|//)', page)
    assert "<script" not in page and "<link" not in page
    for cls in ("ranking", "redundancy", "mrmr", "types"):
        assert f'<table class="{cls}">' in page
    assert page.count("<tr><td class='num'>") >= len(rep.ranking)  # one ranking row per ranked column
    assert "MI [bits]" in page and "pairwise MI" not in page.split("<h2>")[0]


def test_column_names_are_escaped_in_html(page):
    assert "&lt;b&gt;x&lt;/b&gt; &amp; co" in page and "<b>x</b> & co" not in page


def test_markdown_summary_lists_the_ranking_with_units(rep):
    md = rep.to_markdown()
    assert md.startswith("# Information report:")
    assert "| rank | column | type | MI [bits] | CI [bits] | p-value |" in md
    for name in rep.ranking:
        assert f"`{name}`" in md
    best = rep.column(rep.best)
    assert f"| 1 | `{rep.best}` | {best.type} | {best.mi.value:.3f} |" in md
    assert "## mRMR order" in md and "## Columns: types and entropies" in md


def test_write_produces_parseable_files(rep, page, tmp_path):
    paths = rep.write(tmp_path / "out")
    assert sorted(paths) == ["html", "json", "md"]
    data = json.loads(open(paths["json"], encoding="utf-8").read())
    assert data["ranking"] == list(rep.ranking)
    assert data["columns"][1]["mi_with_target"]["unit"] == "bits"
    assert open(paths["html"], encoding="utf-8").read() == page  # rendering is deterministic
    assert sorted(os.listdir(tmp_path / "out")) == ["report.html", "report.json", "report.md"]
    only = rep.write(tmp_path / "json-only", "json")
    assert list(only) == ["json"] and os.listdir(tmp_path / "json-only") == ["report.json"]


def test_a_failure_while_writing_leaves_the_previous_report_whole(rep, tmp_path, monkeypatch):
    import infokit.report._render as render

    out = tmp_path / "out"
    first = rep.write(out, "md,json")
    before = {f: open(p, "rb").read() for f, p in first.items()}
    real = render.atomic_write
    written = []

    def flaky(path, data):
        if path.endswith(".json"):  # the disk fills up on the second file
            raise OSError(28, "No space left on device")
        written.append(path)
        return real(path, data)

    monkeypatch.setattr(render, "atomic_write", flaky)
    with pytest.raises(InvalidTableError, match=r"cannot write .*report\.json.*No space left on device"):
        rep.write(out, "md,json")
    # md was replaced by a complete new file; json is the old complete file, not a truncated one
    assert written == [str(out / "report.md")]
    assert open(first["json"], "rb").read() == before["json"]
    json.loads(before["json"])
    assert sorted(os.listdir(out)) == ["report.json", "report.md"]


def test_a_rendering_failure_writes_nothing(rep, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = rep.write(out, "md,json")
    before = {f: open(p, "rb").read() for f, p in first.items()}

    def broken(self):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(type(rep), "to_json", broken)
    with pytest.raises(RuntimeError, match="renderer crashed"):
        rep.write(out, "md,json")  # md comes first, but nothing is written before everything is rendered
    assert {f: open(p, "rb").read() for f, p in first.items()} == before


def test_bad_formats_and_a_file_as_folder_are_refused(rep, tmp_path):
    from infokit.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"`formats` must be a non-empty subset of .*got \['pdf'\]"):
        rep.write(tmp_path, "html,pdf")
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(InvalidTableError, match="is a file; pass a folder"):
        rep.write(f)


def test_import_infokit_does_not_load_the_report_stack():
    code = textwrap.dedent("""
        import sys, json
        import infokit
        infokit.entropy([0.5, 0.5])
        light = {m: m in sys.modules for m in ("infokit.report", "pandas", "matplotlib", "sklearn", "tqdm")}
        import infokit.report
        rep_mods = {m: m in sys.modules for m in ("matplotlib", "pandas")}
        print(json.dumps([light, rep_mods]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    light, rep_mods = json.loads(out.stdout.strip().splitlines()[-1])
    assert not any(light.values()), light
    assert rep_mods == {"matplotlib": False, "pandas": False}  # the package itself is lazy too
