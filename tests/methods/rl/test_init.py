"""The rl package imports no torch until a name is used, and every exported name resolves."""

from __future__ import annotations

import subprocess
import sys


def test_package_import_is_light():
    code = ("import sys, infokit.methods.rl as rl; assert 'torch' not in sys.modules, 'torch imported'; "
            "assert 'trl' not in sys.modules; print(len(rl.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 30


def test_every_export_resolves():
    import infokit.methods.rl as rl

    for name, sub in rl._EXPORTS.items():
        if sub == "trl_trainer":  # imports TRL (~20 s): checked by tests/methods/rl/test_trl_trainer.py
            continue
        assert getattr(rl, name) is not None, name


def test_docstring_examples_run():
    import doctest
    import importlib

    import pytest

    pytest.importorskip("torch")
    attempted = 0
    for name in ("core", "siren", "epo", "diagnostics", "losses"):
        mod = importlib.import_module(f"infokit.methods.rl.{name}")
        res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        assert res.failed == 0, f"{res.failed} docstring example(s) failed in {name}"
        attempted += res.attempted
    assert attempted >= 20  # the examples exist (23 when written)
