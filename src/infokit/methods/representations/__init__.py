"""Representation measures and activations: KappaTune condition numbers, MMCR, Koopman information terms,
epiplexity, CRReLU and attention entropy (one paper = one submodule; torch is imported on first use)."""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "weight_condition_numbers": "kappatune", "kappatune_select": "kappatune", "kappatune_freeze": "kappatune",
    "log_volume_bounds": "kappatune", "LogVolumeBounds": "kappatune", "gaussian_output_entropy": "kappatune",
    "mmcr_loss": "mmcr", "MMCRLoss": "mmcr", "momentum_update": "mmcr", "mmcr_centroids": "mmcr",
    "koopman_operator": "koopman", "temporal_infonce_loss": "koopman", "latent_von_neumann_entropy": "koopman",
    "koopman_information_loss": "koopman", "KoopmanInformationLoss": "koopman",
    "prequential_code_length": "epiplexity", "requential_code_length": "epiplexity", "token_kl": "epiplexity",
    "two_part_code_length": "epiplexity", "code_length_frontier": "epiplexity", "EpiplexityResult": "epiplexity",
    "CRReLU": "crrelu",
    "attention_row_entropy": "attention_entropy", "attention_max_entropy": "attention_entropy",
    "normalized_attention_entropy": "attention_entropy", "entropy_regularization_loss": "attention_entropy",
    "attention_entropy_stats": "attention_entropy", "AttentionEntropyStats": "attention_entropy",
    "AttentionEntropyMonitor": "attention_entropy",
    # the function epiplexity() shares its submodule's name: reach it as methods.representations.epiplexity.epiplexity
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
