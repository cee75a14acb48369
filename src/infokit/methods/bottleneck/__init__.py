"""Information bottleneck methods.

* ``discrete_ib`` — the discrete IB and deterministic IB on a joint table (numpy; imported eagerly).
* ``information_plane`` — information plane of a torch model via lossy compression (Butakov et al. 2024).
* ``cs_ib`` — Cauchy–Schwarz divergence IB for regression (Yu et al. 2024), torch loss.
* ``generalization`` — degree of IB I(X;Z|Y) (Kawaguchi et al. 2023) and the layerwise KL / W1 bound terms and
  contraction coefficients of He & Goldfeld (2024) (numpy).

The last three are imported on first attribute access, so ``import infokit.methods.bottleneck`` does not
import torch.
"""

from ..._lazy import lazy_exports
from .discrete_ib import IBCurve, IBResult, information_bottleneck, information_bottleneck_curve  # noqa: F401

_EAGER = ["IBResult", "IBCurve", "information_bottleneck", "information_bottleneck_curve"]

_EXPORTS: dict[str, str] = {
    # information plane (paper 8; torch)
    "GaussianNoise": "information_plane",
    "LossyCompressor": "information_plane",
    "compress": "information_plane",
    "information_plane_coordinates": "information_plane",
    "InformationPlaneCallback": "information_plane",
    # CS-IB (paper 10; torch)
    "cs_ib_loss": "cs_ib",
    # IB and generalisation (papers 11, 20; numpy)
    "estimate_encoder_mutual_information": "generalization",
    "estimate_degree_of_ib": "generalization",
    "estimate_degree_of_ib_samples": "generalization",
    "dropout_contraction": "generalization",
    "dropconnect_contraction": "generalization",
    "gaussian_noise_contraction": "generalization",
    "dobrushin_coefficient": "generalization",
    "sdpi_kl_bound": "generalization",
    "wasserstein1_distance": "generalization",
    "gaussian_kl_divergence": "generalization",
    "lipschitz_upper_bound": "generalization",
    "LayerBoundTerms": "generalization",
    "layerwise_generalization_terms": "generalization",
}

_lazy_getattr, _lazy_dir, _lazy_all = lazy_exports(__name__, _EXPORTS)


def __getattr__(name: str):
    return _lazy_getattr(name)


__all__ = sorted(_EAGER + _lazy_all)


def __dir__():
    return sorted(set(__all__) | {"__all__", "discrete_ib"})
