"""KappaTune: condition numbers of weight matrices as a proxy for the information they encode (paper 6).

Ludwig (2025) [1]_ argues that a linear unit y = Wx whose weight matrix has a large condition number
κ(W) = σ_max/σ_min transfers less information than a well-conditioned one of the same norm: for Gaussian input,
h(y) = (m/2) log(2πe s²) + Σ log σ_i(W), and for a fixed Frobenius norm the log-volume Σ log σ_i is largest exactly
when κ = 1 (AM–GM). High-κ tensors are therefore taken to be "specialised" — they carry the pretrained
knowledge — and KappaTune fine-tunes only the **lowest-κ** tensors to limit catastrophic forgetting.

This module provides the per-tensor condition numbers of a torch model (:func:`weight_condition_numbers`),
the bounds of the paper as computable objects (:func:`log_volume_bounds`, :func:`gaussian_output_entropy`),
the selection (:func:`kappatune_select`) and the freezing step (:func:`kappatune_freeze`).

Deviation from the reference code [2]_: its LoRA helper truncates ``list(set_of_modules)[:N]``, an arbitrary
order, so the kept modules are not the lowest-κ ones; here the selection is a stable sort on (κ, name) and,
at module granularity, modules are ranked by their lowest-κ tensor. Conv kernels (ndim > 2) are reshaped to
(out, −1) as in the reference's MoE script (the reference's generic path skips them with an error), and SVDs run
in float64 (fp16/bf16 SVD is unsupported on CPU).

References
----------
.. [1] Ludwig, O. (2025). The Condition Number as a Scale-Invariant Proxy for Information Encoding in Neural
   Units. arXiv:2506.16289
.. [2] oswaldoludwig/kappaTune, ``selective_fine_tuning.py`` and ``hf_integration.py`` (commit 3ce5a7e).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch

from ..._backend import to_numpy
from ..._units import check_base, to_base
from ..._validation import check_positive_int, check_choice
from ...exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError
from ...measures.spectral import _check_matrix, condition_number

__all__ = [
    "weight_condition_numbers",
    "kappatune_select",
    "kappatune_freeze",
    "log_volume_bounds",
    "LogVolumeBounds",
    "gaussian_output_entropy",
]


def _check_model(model):
    if not isinstance(model, torch.nn.Module):
        raise InvalidInputTypeError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")


def _check_max_dim(max_dim):
    if max_dim is None:
        return None
    return check_positive_int(max_dim, "max_dim")


def weight_condition_numbers(model, *, max_dim: int | None = None) -> dict[str, float]:
    r"""Condition number κ = σ_max/σ_min of every weight tensor of ``model`` (the KappaTune scores of [1]_).

    Parameters
    ----------
    model : torch.nn.Module
        The model; every parameter with ``ndim >= 2`` is a candidate (biases and norms are skipped).
    max_dim : int, optional
        Skip tensors with a dimension larger than this (the reference's ``max_dim_size_to_analyze``; large
        embedding tables make the SVD slow). None analyses every candidate.

    Returns
    -------
    dict[str, float]
        Parameter name -> κ (∞ for numerically rank-deficient tensors), in ``named_parameters`` order.

    Notes
    -----
    A tensor of shape (out, d1, d2, ...) is reshaped to (out, d1·d2·...) before the SVD (conv kernels), and the
    SVD runs on a detached float64 copy (the model is not modified). κ is computed by
    :func:`infokit.measures.condition_number`.

    References
    ----------
    .. [1] Ludwig, O. (2025). The Condition Number as a Scale-Invariant Proxy for Information Encoding in
       Neural Units. arXiv:2506.16289
    """
    _check_model(model)
    max_dim = _check_max_dim(max_dim)
    out: dict[str, float] = {}
    for name, p in model.named_parameters():
        if p.ndim < 2:
            continue
        if max_dim is not None and max(p.shape) > max_dim:
            continue
        w = p.detach().to("cpu", torch.float64).reshape(p.shape[0], -1)
        out[name] = float(condition_number(w))
    return out


def kappatune_select(model, budget: int, *, granularity: str = "parameter", max_dim: int | None = None,
                     condition_numbers: dict | None = None) -> list[str]:
    r"""The ``budget`` lowest-κ weight tensors (or modules) of ``model``: what KappaTune fine-tunes [1]_.

    Parameters
    ----------
    model : torch.nn.Module
        The model to select from.
    budget : int
        How many tensors (or modules) to select; fewer are returned if the model has fewer candidates.
    granularity : {"parameter", "module"}, default "parameter"
        "parameter" returns parameter names (the reference's ``SelectiveFineTuningOptimizer``); "module" returns
        the names of the modules owning the selected tensors (for LoRA targets), ranked by their lowest κ.
    max_dim : int, optional
        Passed to :func:`weight_condition_numbers`.
    condition_numbers : dict, optional
        Precomputed ``{name: κ}`` (e.g. cached from :func:`weight_condition_numbers`); computed if None.

    Returns
    -------
    list[str]
        Names in ascending κ; ties broken by name, so the selection is deterministic.

    Notes
    -----
    Selection rule of [1]_: sort the candidate tensors by κ ascending and keep the first ``budget``.
    Deviation from the reference LoRA helper: it truncates an unordered ``set`` of modules, so its kept modules
    are not the lowest-κ ones; here modules are ordered by their best (lowest-κ) tensor.
    Tensors of shape (n, 1) or (1, n) have κ = 1 and always rank first.

    References
    ----------
    .. [1] Ludwig, O. (2025). The Condition Number as a Scale-Invariant Proxy for Information Encoding in
       Neural Units. arXiv:2506.16289
    """
    _check_model(model)
    budget = check_positive_int(budget, "budget")
    check_choice(granularity, "granularity", ("parameter", "module"))
    kappas = weight_condition_numbers(model, max_dim=max_dim) if condition_numbers is None else dict(condition_numbers)
    known = dict(model.named_parameters())
    unknown = [n for n in kappas if n not in known]
    if unknown:
        raise InvalidParameterError(
            f"`condition_numbers` names parameters the model does not have: {unknown[:3]}; recompute them with "
            "weight_condition_numbers(model)"
        )
    order = sorted(kappas, key=lambda n: (kappas[n], n))  # stable: κ ascending, then name
    if granularity == "parameter":
        return order[:budget]
    modules: list[str] = []
    for name in order:
        mod = name.rsplit(".", 1)[0] if "." in name else ""
        if mod not in modules:
            modules.append(mod)
        if len(modules) == budget:
            break
    return modules


def kappatune_freeze(model, selected, *, keep=()) -> list:
    """Freeze every parameter of ``model`` except the ``selected`` ones (and those whose name starts with ``keep``).

    Parameters
    ----------
    model : torch.nn.Module
        Modified in place: ``requires_grad`` is set on each parameter (this is the one function here that
        changes its argument; it is what the method does).
    selected : iterable of str
        Parameter names, or module names (all parameters of a selected module stay trainable), e.g. the output
        of :func:`kappatune_select`.
    keep : iterable of str, default ()
        Name prefixes that stay trainable as well (e.g. a new task head).

    Returns
    -------
    list[torch.nn.Parameter]
        The trainable parameters, to hand to the optimizer.
    """
    _check_model(model)
    if isinstance(selected, str):
        raise InvalidInputTypeError("`selected` must be a list of names, not a single string; wrap it in a list")
    selected = list(selected)
    keep = (keep,) if isinstance(keep, str) else tuple(keep)
    names = dict(model.named_parameters())
    module_names = {n for n, _ in model.named_modules()}
    bad = [s for s in selected if s not in names and s not in module_names]
    if bad:
        raise InvalidParameterError(f"`selected` names no parameter or module of the model: {bad[:3]}")
    selected_params = {s for s in selected if s in names}
    selected_modules = [s for s in selected if s not in names]  # "" is the root module: everything
    trainable = []
    for name, p in names.items():
        on = (
            name in selected_params
            or any(m == "" or name.startswith(m + ".") for m in selected_modules)
            or any(name.startswith(k) for k in keep)
        )
        p.requires_grad_(on)
        if on:
            trainable.append(p)
    return trainable


@dataclass(frozen=True)
class LogVolumeBounds:
    """The log-volume of a weight matrix and the bounds of [1]_ around it (nats).

    Attributes
    ----------
    log_volume : float
        Σ_i log σ_i(W) over the r = min(m, n) singular values.
    lower, upper : float
        r·log σ_min = r·log σ_max − r·log κ and r·log σ_max: lower ≤ log_volume ≤ upper.
    frobenius_upper : float
        (r/2)·log(‖W‖_F²/r): the largest log-volume of any matrix with the same Frobenius norm (equality iff κ = 1).
    condition_number : float
        κ(W).
    rank : int
        r = min(m, n).
    """

    log_volume: float
    lower: float
    upper: float
    frobenius_upper: float
    condition_number: float
    rank: int


def log_volume_bounds(weight) -> LogVolumeBounds:
    r"""Log-volume Σ log σ_i(W) with the condition-number and fixed-norm bounds of KappaTune [1]_.

    Parameters
    ----------
    weight : array_like or torch.Tensor, shape (m, n)
        A weight matrix.

    Returns
    -------
    LogVolumeBounds

    Notes
    -----
    With r = min(m, n) singular values σ_1 ≥ … ≥ σ_r and κ = σ_1/σ_r,

    .. math:: r\log\sigma_1 - r\log\kappa \;\le\; \sum_i \log\sigma_i \;\le\; r\log\sigma_1,
              \qquad \sum_i \log\sigma_i \;\le\; \frac r2 \log\frac{\|W\|_F^2}{r},

    the second by AM–GM on σ_i² (equality iff all σ_i are equal, κ = 1): for a fixed weight norm, a large κ
    means a smaller log-volume, hence less entropy transferred (see :func:`gaussian_output_entropy`).

    References
    ----------
    .. [1] Ludwig, O. (2025). The Condition Number as a Scale-Invariant Proxy for Information Encoding in
       Neural Units. arXiv:2506.16289
    """
    w = _check_matrix(to_numpy(weight).astype(np.float64), "weight")
    if w.ndim != 2:
        raise ShapeMismatchError(f"`weight` must be one matrix, shape (m, n); got shape {w.shape}")
    s = np.linalg.svd(w, compute_uv=False)
    r = s.size
    with np.errstate(divide="ignore"):
        logs = np.log(s)
    kappa = float(condition_number(w, rtol=0.0))
    fro2 = float(np.sum(s**2))
    return LogVolumeBounds(
        log_volume=float(np.sum(logs)),
        lower=float(r * logs[-1]),
        upper=float(r * logs[0]),
        frobenius_upper=float(0.5 * r * math.log(fro2 / r)) if fro2 > 0 else -math.inf,
        condition_number=kappa,
        rank=r,
    )


def gaussian_output_entropy(weight, *, noise_std: float = 1.0, base=None) -> float:
    r"""Differential entropy of y = W x for isotropic Gaussian input x ~ N(μ, s² I) (the identity of [1]_).

    Parameters
    ----------
    weight : array_like or torch.Tensor, shape (m, n)
        The weight matrix W.
    noise_std : float, default 1.0
        s, the input's standard deviation.
    base : float, optional
        Logarithm base: None or e for nats, 2 for bits.

    Returns
    -------
    float
        h(y); −∞ when m > n or W is rank-deficient (y then lives on a lower-dimensional subspace).

    Notes
    -----
    y ~ N(Wμ, s² W Wᵀ), so for m ≤ n

    .. math:: h(y) = \tfrac12 \log\det(2\pi e\, s^2 W W^\top) = \tfrac m2 \log(2\pi e s^2) + \sum_{i=1}^m \log\sigma_i(W).

    References
    ----------
    .. [1] Ludwig, O. (2025). The Condition Number as a Scale-Invariant Proxy for Information Encoding in
       Neural Units. arXiv:2506.16289
    """
    b = check_base(base)
    if isinstance(noise_std, bool) or not isinstance(noise_std, numbers.Real) or not (0 < float(noise_std) < math.inf):
        raise InvalidParameterError(f"`noise_std` must be a finite real number > 0; got {noise_std!r}")
    w = _check_matrix(to_numpy(weight).astype(np.float64), "weight")
    if w.ndim != 2:
        raise ShapeMismatchError(f"`weight` must be one matrix, shape (m, n); got shape {w.shape}")
    m, n = w.shape
    if m > n:
        return -math.inf
    s = np.linalg.svd(w, compute_uv=False)
    if np.any(s == 0):
        return -math.inf
    h = 0.5 * m * math.log(2 * math.pi * math.e * float(noise_std) ** 2) + float(np.sum(np.log(s)))
    return float(to_base(h, b))
