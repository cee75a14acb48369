"""LLM decoding and prompt compression: Top-H and the truncation baselines (``truncation``, transformers adapters in
``hf``), entropy-adaptive decoding (``adaptive``) and LLMLingua-2-style prompt compression (``compression``).

Exports are lazy (``infokit._lazy``): importing this package does not import torch or transformers; the
submodule that defines a name is imported on first access.
"""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    # truncation masks (torch)
    "top_h_mask": "truncation",
    "top_k_mask": "truncation",
    "top_p_mask": "truncation",
    "min_p_mask": "truncation",
    "typical_mask": "truncation",
    "epsilon_mask": "truncation",
    "eta_mask": "truncation",
    "truncation_mask": "truncation",
    "truncate_logits": "truncation",
    "truncation_stats": "truncation",
    "teacher_forced_logits": "truncation",
    "TruncationStats": "truncation",
    # transformers LogitsProcessor adapters
    "TopHLogitsProcessor": "hf",
    "TopKLogitsProcessor": "hf",
    "TopPLogitsProcessor": "hf",
    "MinPLogitsProcessor": "hf",
    "TypicalLogitsProcessor": "hf",
    "EpsilonLogitsProcessor": "hf",
    "EtaLogitsProcessor": "hf",
    "truncation_processor": "hf",
    # entropy-adaptive decoding
    "EntropyAdaptiveDecoder": "adaptive",
    "EADOutput": "adaptive",
    "relative_cost": "adaptive",
    "truncated_layers_model": "adaptive",
    # prompt compression
    "TokenKeepScorer": "compression",
    "SelfInformationScorer": "compression",
    "WordScores": "compression",
    "CompressionResult": "compression",
    "compress_prompt": "compression",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
