"""`import infokit` stays light: no torch, transformers or dask; `infokit.testing` needs no hypothesis."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import infokit
import infokit.measures
import infokit.testing

HEAVY = ("torch", "transformers", "dask", "distributed", "hypothesis", "dit", "sklearn")


def _loaded_after(code: str) -> dict:
    """Run ``code`` in a fresh interpreter and report which heavy modules ended up in sys.modules."""
    script = textwrap.dedent(code) + textwrap.dedent(f"""
        import json, sys
        print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_import_infokit_leaves_torch_transformers_and_dask_out():
    loaded = _loaded_after("import infokit\ninfokit.entropy([0.5, 0.5])\n")
    assert not any(loaded.values()), loaded


def test_import_infokit_testing_needs_no_hypothesis():
    loaded = _loaded_after("import infokit.testing\ninfokit.testing.xor().pmf.sum()\n")
    assert not any(loaded.values()), loaded


def test_infokit_testing_imports_when_hypothesis_is_missing():
    # sys.modules[name] = None makes `import name` raise ImportError, as if it were not installed
    code = """
        import sys
        sys.modules["hypothesis"] = None
        import infokit.testing
        assert infokit.testing.uniform(4).known["entropy"] > 1.38
        try:
            from infokit.testing import strategies
        except ImportError as exc:
            assert "needs hypothesis" in str(exc), exc
        else:
            raise AssertionError("strategies imported without hypothesis")
        del sys.modules["hypothesis"]
    """
    _loaded_after(code)


def test_infokit_testing_strategies_is_reachable_as_an_attribute():
    assert infokit.testing.strategies.pmfs is not None


def test_public_names_exist_and_version_is_a_string():
    for name in infokit.__all__:
        assert hasattr(infokit, name), name
    assert isinstance(infokit.__version__, str) and infokit.__version__.count(".") >= 1
    for mod in (infokit.measures, infokit.testing):
        for name in mod.__all__:
            assert hasattr(mod, name), (mod.__name__, name)
