"""The docstring examples of infokit.measures (every module, including ones added later) and infokit.testing run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import infokit.measures
import infokit.testing


def _modules(pkg):
    yield pkg.__name__
    for info in pkgutil.iter_modules(pkg.__path__):
        yield f"{pkg.__name__}.{info.name}"


MODULES = sorted(set(_modules(infokit.measures)) | set(_modules(infokit.testing)))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    if name.endswith(".strategies"):
        pytest.importorskip("hypothesis")
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(module, name, globs={})
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name} (see the output above)"


def test_public_measures_have_examples():
    # every public measure (function) shows at least one example a reader can check by hand;
    # result classes are exempt
    functions = [n for n in infokit.measures.__all__ if not isinstance(getattr(infokit.measures, n), type)]
    missing = [n for n in functions if ">>>" not in (getattr(infokit.measures, n).__doc__ or "")]
    assert not missing, f"no docstring example: {missing}"
