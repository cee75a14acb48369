"""Differentiable objectives: the comp-sum loss family and Cauchy–Schwarz divergence losses (torch, imported
on first use)."""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "cs_divergence_loss": "cauchy_schwarz", "cs_qmi_loss": "cauchy_schwarz",
    "cs_conditional_divergence_loss": "cauchy_schwarz",
    "comp_sum_loss": "comp_sum",
    "comp_sum_psi": "comp_sum",
    "sum_exponential_loss": "comp_sum",
    "generalized_cross_entropy_loss": "comp_sum",
    "mean_absolute_error_loss": "comp_sum",
    "smooth_adversarial_comp_sum_loss": "comp_sum",
    "smooth_adversarial_perturbation": "comp_sum",
    "comp_sum_transformation": "comp_sum",
    "comp_sum_consistency_bound": "comp_sum",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
