"""The docstring examples of infokit.methods.coupling and the >>> examples of docs/coupling.md run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import infokit.methods.coupling as coupling

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(f"{coupling.__name__}.{m.name}" for m in pkgutil.iter_modules(coupling.__path__)
                 if m.name != "_greedy_numba")  # the compiled kernel needs numba and has no examples


@pytest.mark.parametrize("name", [coupling.__name__, *MODULES])
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for t in doctest.DocTestFinder(exclude_empty=True).find(module, name, globs={}):
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


def test_public_functions_have_examples():
    functions = [n for n in coupling.__all__ if callable(getattr(coupling, n))
                 and not isinstance(getattr(coupling, n), type)]
    missing = [n for n in functions if ">>>" not in (getattr(coupling, n).__doc__ or "")]
    assert missing == [], f"no docstring example: {missing}"


def test_user_guide_examples_run():
    result = doctest.testfile(str(ROOT / "docs" / "coupling.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted >= 10
