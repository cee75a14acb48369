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

__all__ = [
    "entropy", "cross_entropy", "kl_divergence", "js_divergence", "renyi_entropy", "renyi_divergence",
    "tsallis_entropy", "cs_divergence", "total_variation", "hellinger", "chi2_divergence", "from_counts",
    "softmax", "joint_entropy", "conditional_entropy", "mutual_information", "conditional_mutual_information",
    "total_correlation", "dual_total_correlation", "co_information", "interaction_information",
    "o_information", "pointwise_mutual_information", "marginal",
]
