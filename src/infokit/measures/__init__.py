"""Exact information measures of distributions (pmfs, joint tables, logits): no sampling."""

from ._joint import (
    co_information,
    conditional_entropy,
    conditional_mutual_information,
    dual_total_correlation,
    interaction_information,
    joint_entropy,
    marginal,
    mutual_information,
    o_information,
    pointwise_mutual_information,
    total_correlation,
)
from ._pmf import (
    chi2_divergence,
    cross_entropy,
    cs_divergence,
    entropy,
    from_counts,
    hellinger,
    js_divergence,
    kl_divergence,
    renyi_divergence,
    renyi_entropy,
    softmax,
    total_variation,
    tsallis_entropy,
)
from .channels import (
    CapacityResult,
    RateDistortionCurve,
    RateDistortionResult,
    channel_capacity,
    rate_distortion,
    rate_distortion_curve,
)
from .spectral import condition_number, log_volume, nuclear_norm, spectral_entropy, von_neumann_entropy
from .lattice import (
    MeetResult,
    ReconstructionResult,
    common_information,
    complement,
    join,
    joint_from_labels,
    meet,
    rajski_distance,
    reconstruction_condition,
    shannon_distance,
)

__all__ = [
    "entropy", "cross_entropy", "kl_divergence", "js_divergence", "renyi_entropy", "renyi_divergence",
    "tsallis_entropy", "cs_divergence", "total_variation", "hellinger", "chi2_divergence", "from_counts",
    "softmax", "joint_entropy", "conditional_entropy", "mutual_information", "conditional_mutual_information",
    "total_correlation", "dual_total_correlation", "co_information", "interaction_information",
    "o_information", "pointwise_mutual_information", "marginal",
    # information lattice and perfect reconstruction (lattice.py)
    "meet", "common_information", "join", "joint_from_labels", "shannon_distance", "rajski_distance",
    "complement", "reconstruction_condition", "MeetResult", "ReconstructionResult",
    # channels and sources, Blahut–Arimoto (channels.py)
    "channel_capacity", "rate_distortion", "rate_distortion_curve", "CapacityResult",
    "RateDistortionResult", "RateDistortionCurve",
    # spectral functionals of matrices (spectral.py)
    "spectral_entropy", "von_neumann_entropy", "nuclear_norm", "condition_number", "log_volume",
]
