"""Shared helpers for the example tests, exposed as the ``example`` fixture.

The suite runs with ``--import-mode=importlib``, so test modules cannot ``import conftest``; they request the
``example`` fixture instead:

* ``example.load(rel)``: import the example script at ``rel`` (relative to the repository root) and return its module;
* ``example.run(rel, *argv)``: load it, assert ``main(list(argv)) == 0`` (``argv`` defaults to ``("--quick",)``) and
  return the captured stdout;
* ``example.number(label, out)``: the number printed right after ``label`` in ``out`` (asserts it is there);
* ``example.root``: the repository root.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]

_NUMBER = r"\s*([-+]?[0-9.]+(?:e[-+]?[0-9]+)?)"


class _Example:
    root = ROOT

    def __init__(self, capsys):
        self._capsys = capsys

    @staticmethod
    def load(rel):
        spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        return mod

    def run(self, rel, *argv):
        assert self.load(rel).main(list(argv or ("--quick",))) == 0
        return self._capsys.readouterr().out

    @staticmethod
    def number(label, out):
        m = re.search(re.escape(label) + _NUMBER, out)
        assert m, f"{label!r} not in output"
        return float(m.group(1))


@pytest.fixture
def example(capsys):
    """Load / run example scripts and read the numbers they print (see the module docstring)."""
    return _Example(capsys)
