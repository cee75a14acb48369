"""infokit — information theory for machine learning.

Two families of functions:

* **measures** — exact functionals of distributions (pmfs, joint tables, logits), scipy style:
  ``infokit.entropy(p)``, ``infokit.kl_divergence(p, q)``, ``infokit.mutual_information(joint)``.
* **estimators** — the same quantities from samples: ``infokit.estimate_entropy(x)``, ...

Everything is computed in nats; ``base=2`` returns bits. ``import infokit`` imports neither torch,
transformers nor dask; functions accept torch tensors when the caller has torch.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import estimators, exceptions, measures, stats
from .estimators import (
    EstimateResult,
    estimate_conditional_mutual_information,
    estimate_entropy,
    estimate_kl_divergence,
    estimate_mutual_information,
    estimate_transfer_entropy,
    select_method,
)
from .measures import (
    chi2_divergence,
    co_information,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    cs_divergence,
    dual_total_correlation,
    entropy,
    from_counts,
    hellinger,
    interaction_information,
    joint_entropy,
    js_divergence,
    kl_divergence,
    mutual_information,
    o_information,
    pointwise_mutual_information,
    renyi_divergence,
    renyi_entropy,
    softmax,
    total_correlation,
    total_variation,
    tsallis_entropy,
)
from .measures import (
    channel_capacity,
    common_information,
    complement,
    join,
    joint_from_labels,
    meet,
    rajski_distance,
    rate_distortion,
    rate_distortion_curve,
    reconstruction_condition,
    shannon_distance,
)
from .measures import condition_number, log_volume, nuclear_norm, spectral_entropy, von_neumann_entropy

__all__ = [
    "__version__",
    "exceptions",
    "measures",
    "estimators",
    "stats",
    # estimators from samples
    "estimate_entropy",
    "estimate_mutual_information",
    "estimate_conditional_mutual_information",
    "estimate_kl_divergence",
    "estimate_transfer_entropy",
    "select_method",
    "EstimateResult",
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "js_divergence",
    "renyi_entropy",
    "renyi_divergence",
    "tsallis_entropy",
    "cs_divergence",
    "total_variation",
    "hellinger",
    "chi2_divergence",
    "from_counts",
    "softmax",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "total_correlation",
    "dual_total_correlation",
    "co_information",
    "interaction_information",
    "o_information",
    "pointwise_mutual_information",
    # spectral measures of matrices (numpy or torch, batched)
    "spectral_entropy",
    "von_neumann_entropy",
    "nuclear_norm",
    "condition_number",
    "log_volume",
    # information lattice and perfect reconstruction
    "meet",
    "common_information",
    "join",
    "joint_from_labels",
    "shannon_distance",
    "rajski_distance",
    "complement",
    "reconstruction_condition",
    # channels and sources (Blahut–Arimoto)
    "channel_capacity",
    "rate_distortion",
    "rate_distortion_curve",
]


def __getattr__(name):
    # subpackages that pull in optional or heavier dependencies (methods, report, sklearn, parallel, testing,
    # papers) are imported on first access: `import infokit; infokit.methods.rl` works, `import infokit` stays light
    import importlib
    import importlib.util

    if not name.startswith("_") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
