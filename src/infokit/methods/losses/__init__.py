"""Differentiable objectives: the comp-sum loss family and Cauchy–Schwarz divergence losses (torch, imported
on first use)."""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    "cs_divergence_loss": "cauchy_schwarz", "cs_qmi_loss": "cauchy_schwarz",
    "cs_conditional_divergence_loss": "cauchy_schwarz",
    # name: submodule -- filled in as the submodules land
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
