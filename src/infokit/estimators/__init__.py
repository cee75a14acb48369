"""Estimators of information quantities from samples.

Public face: :func:`estimate_entropy`, :func:`estimate_mutual_information`,
:func:`estimate_conditional_mutual_information`, :func:`estimate_kl_divergence`,
:func:`estimate_transfer_entropy` (and :func:`select_method`, which says what ``method="auto"`` picks).
Each dispatches, through the method registry (:mod:`infokit._registry`), to one private kernel per paper in
the submodules ``discrete``, ``knn``, ``mixed``, ``gaussian``, ``kernel``, ``binning`` and ``spectral``;
those are imported only when a method that needs them runs.
"""

from ._api import (
    DISCRETE_METHODS,
    EstimateResult,
    estimate_conditional_mutual_information,
    estimate_entropy,
    estimate_kl_divergence,
    estimate_mutual_information,
    estimate_transfer_entropy,
    select_method,
)

__all__ = [
    "estimate_entropy",
    "estimate_mutual_information",
    "estimate_conditional_mutual_information",
    "estimate_kl_divergence",
    "estimate_transfer_entropy",
    "select_method",
    "EstimateResult",
    "DISCRETE_METHODS",
]
