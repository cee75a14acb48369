"""Registry entries for the learned MI estimator (infokit.estimators.learned).

Imported by ``_api`` at package import: it must not import torch; kernels are ``"module:function"`` strings.
The kernel itself is pure numpy (the weights ship as ``_learned_weights/mist_tiny.npz``).
"""

from __future__ import annotations

from .._registry import Method, register

_MIST = "Gritsai et al. (2025), MIST, arXiv:2511.18945 (MIST-tiny: DeepSets on copula scores, quantile head)"

register(Method(
    "learned",
    "infokit.estimators.learned:learned_mi",
    "mutual_information",
    _MIST,
    backend=("numpy",),
    data=("continuous",),
    style="arrays",
    # the kernel rank-transforms every column itself; the dispatcher's z-scoring is harmless
    scale="invariant",
    # rank-based and trained on samples without duplicated rows: intervals use half-sampling
    resample="subsample",
    estimand="Shannon MI (median of a learned quantile model; 1-5 columns per variable, n >= 32)",
))
