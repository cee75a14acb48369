"""The paper registry: content, the generated docs/PAPERS.md, and the public API it promises."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

import infokit
from infokit import papers as registry
from infokit.exceptions import InvalidParameterError
from infokit.papers import STATUSES, Paper, paper, papers, render_markdown

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PAPERS.md"


def test_registry_holds_every_paper_of_the_reading_list_in_order():
    ps = papers()
    assert len(ps) == 34
    assert [p.number for p in ps] == list(range(1, 35))
    assert all(isinstance(p, Paper) for p in ps)


def test_registry_titles_are_unique_and_match_the_reading_list_spot_checks():
    titles = [p.title for p in papers()]
    assert len(set(titles)) == 34
    # three rows of the reading list, checked by hand against the abstracts file
    assert paper(1).title == "Minimum Entropy Coupling with Bottleneck"
    assert paper(26).title.startswith("Top-H Decoding")
    assert paper(31).title == "An information theoretic necessary condition for perfect reconstruction"
    assert paper(31).year == 2023


def test_paper_is_frozen_and_api_is_a_tuple():
    p = paper(31)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.status = "done"  # type: ignore[misc]
    assert isinstance(p.api, tuple)


def test_arxiv_ids_are_well_formed_or_none():
    pattern = re.compile(r"^\d{4}\.\d{4,5}$")
    for p in papers():
        assert p.arxiv is None or pattern.match(p.arxiv), (p.number, p.arxiv)
        # an arXiv id yymm.nnnnn cannot predate its year by more than the submission lag of a few months
        if p.arxiv is not None:
            assert 2000 + int(p.arxiv[:2]) in (p.year - 1, p.year, p.year + 1), (p.number, p.arxiv, p.year)


def test_statuses_are_valid_and_the_lattice_paper_is_started():
    assert {p.status for p in papers()} <= set(STATUSES)
    # paper 31's API (measures/lattice.py) exists; it stays "partial" until its example and result exist
    assert paper(31).status in ("partial", "done")
    assert sum(len(papers(s)) for s in STATUSES) == len(papers())


def _resolves(name: str) -> bool:
    """``name`` is an attribute path below ``infokit`` ("entropy", "methods.alignment.kl_tilt")."""
    import importlib

    obj, path = infokit, "infokit"
    for part in name.split("."):
        path = f"{path}.{part}"
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(path)
        except ImportError:
            return False
    return True


def test_every_api_name_of_a_started_paper_resolves_on_infokit():
    started = [p for p in papers() if p.status in ("partial", "done")]
    assert started, "at least paper 31 is started"
    missing = [(p.number, name) for p in started for name in p.api if not _resolves(name)]
    assert missing == [], f"papers list public names that infokit does not export: {missing}"
    for p in started:
        assert p.api, f"paper {p.number} is {p.status} but lists no API"


def test_done_papers_have_an_existing_example_and_a_result():
    for p in papers("done"):
        assert p.example and (ROOT / p.example).is_file(), p.number
        assert p.result, p.number


def test_invalid_status_raises_with_the_choices():
    with pytest.raises(InvalidParameterError, match=r"`status` must be one of .*'planned'.*got 'finished'"):
        papers("finished")
    with pytest.raises(InvalidParameterError, match="status"):
        Paper(99, "t", 2020, None, "infokit", status="started")


@pytest.mark.parametrize("bad", [0, 35, -1, 3.0, True, "31"])
def test_paper_rejects_numbers_outside_the_list(bad):
    with pytest.raises(InvalidParameterError, match=r"`n` must be .*paper number 1\.\.34"):
        paper(bad)


def test_render_markdown_has_one_row_per_paper_with_the_columns():
    text = render_markdown()
    assert text.startswith("# ")
    assert "| # | paper | year | arXiv | infokit API | example | status | measured result |" in text
    rows = [line for line in text.splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == 34
    # each row has exactly the 8 columns (no unescaped | inside a cell)
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == 8 + 2
    assert "[2306.15540](https://arxiv.org/abs/2306.15540)" in text
    assert "`infokit.reconstruction_condition`" in text


def test_docs_papers_md_is_in_sync_with_the_registry():
    assert DOC.is_file(), "docs/PAPERS.md is missing; run: python -m infokit.papers --write docs/PAPERS.md"
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "docs/PAPERS.md is out of date; run: python -m infokit.papers --write docs/PAPERS.md"
    )


def test_module_main_check_and_write(tmp_path, capsys):
    target = tmp_path / "PAPERS.md"
    assert registry.main(["--check", str(target)]) == 1  # missing file
    assert registry.main(["--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_markdown()
    assert registry.main(["--check", str(target)]) == 0
    target.write_text(render_markdown() + "edited by hand\n", encoding="utf-8")
    capsys.readouterr()
    assert registry.main(["--check", str(target)]) == 1
    assert "out of date" in capsys.readouterr().err


def test_module_main_json_lists_all_papers(capsys):
    assert registry.main(["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 34
    assert data[30]["number"] == 31 and data[30]["arxiv_url"] == "https://arxiv.org/abs/2306.15540"


def test_docs_measures_md_examples_pass():
    # docs/measures.md is the user guide of the measures; its >>> examples must keep matching the code
    import doctest

    pytest.importorskip("torch")
    result = doctest.testfile(str(ROOT / "docs" / "measures.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS, verbose=False, report=False)
    assert result.attempted > 10
    assert result.failed == 0
