"""The docstring examples of infokit.report and infokit.sklearn run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["infokit.report._analysis", "infokit.report._mrmr", "infokit.report._io", "infokit.report._types",
           "infokit.report._single", "infokit.sklearn"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    pytest.importorskip("pandas")
    if name == "infokit.sklearn":
        pytest.importorskip("sklearn")
    module = importlib.import_module(name)
    tests = doctest.DocTestFinder(exclude_empty=True).find(module, name, globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name} (see the output above)"


def test_public_functions_have_examples():
    from infokit.report import compute
    from infokit.sklearn import MRMRSelector, mutual_info_scorer

    for obj in (compute, mutual_info_scorer, MRMRSelector):
        assert ">>>" in (obj.__doc__ or ""), obj
