r"""Cauchy–Schwarz divergence losses (torch): two-sample CS divergence, CS quadratic MI and the conditional CS
divergence of Yu et al. (2024), differentiable, in nats.

These are the public, validated faces of the torch kernels of :mod:`infokit.estimators.kernel`
(``cs_divergence_samples_torch``, ``cs_qmi_torch``, ``cs_qmi_normalized_torch``,
``cs_conditional_divergence_torch``), which agree with the numpy estimators ``cs_divergence_samples``,
``cs_qmi``, ``cs_qmi_normalized`` and ``cs_conditional_divergence`` of the same module (tested to 1e-10 in
float64). Every loss builds full n×n Gram matrices of the unnormalised Gaussian kernel
:math:`\kappa_\sigma(a,b)=\exp(-\|a-b\|^2/(2\sigma^2))`: memory O(n²), meant for mini-batches.

Unlike ``infokit.estimate_mutual_information(..., method="cs_qmi")`` the losses do **not** z-score their
inputs (a loss must see the scale the network produces); standardise upstream, or pass ``sigma=None`` for
the median heuristic (σ = median pairwise Euclidean distance, no gradient through σ).

References
----------
.. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence information
   bottleneck for regression. ICLR. arXiv:2404.17951
.. [2] Jenssen, R., Príncipe, J. C., Erdogmus, D., Eltoft, T. (2006). The Cauchy–Schwarz divergence and
   Parzen windowing: connections to graph theory and Mercer kernels. Journal of the Franklin Institute
   343(6), 614–629. doi:10.1016/j.jfranklin.2006.03.018
"""

from __future__ import annotations

import math
import numbers

import torch

from ...estimators import kernel as _k
from ...exceptions import (
    InvalidInputTypeError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = ["cs_divergence_loss", "cs_qmi_loss", "cs_conditional_divergence_loss"]


# ============================================================================================== validation
def _as_batch(x, name: str, *, min_rows: int = 2):
    """A floating 2-D tensor view of ``x`` (1-D -> one column); never copies or modifies ``x``."""
    if not torch.is_tensor(x):
        raise InvalidInputTypeError(
            f"`{name}` must be a torch tensor (a loss needs autograd); got {type(x).__name__}; "
            f"wrap it with torch.as_tensor(...)"
        )
    if not x.is_floating_point():
        raise InvalidInputTypeError(
            f"`{name}` must be a floating-point tensor; got dtype {x.dtype}; convert it with .float() or .double()"
        )
    if x.ndim == 1:
        x = x.unsqueeze(1)
    if x.ndim != 2:
        raise ShapeMismatchError(
            f"`{name}` must have shape (n,) or (n, d) (rows are samples); got shape {tuple(x.shape)}; "
            f"flatten the feature dimensions with x.flatten(1)"
        )
    if x.shape[0] < min_rows:
        raise InvalidSampleError(f"`{name}` needs at least {min_rows} rows (samples); got {x.shape[0]}")
    if not bool(torch.isfinite(x.detach()).all()):
        raise InvalidSampleError(f"`{name}` contains NaN or inf; the kernel sums would be NaN; remove those rows")
    return x


def _check_sigma(sigma, name: str = "sigma", *, pair: bool = True):
    """None, a positive finite number, a positive scalar tensor, or (with ``pair``) a pair of those."""
    if pair and isinstance(sigma, (tuple, list)):
        if len(sigma) != 2:
            raise InvalidParameterError(
                f"`{name}` must be None, a positive number, or a pair (sigma_x, sigma_y); got {sigma!r}"
            )
        return tuple(_check_sigma(s, name, pair=False) for s in sigma)
    if sigma is None:
        return None
    if torch.is_tensor(sigma):
        if sigma.numel() != 1 or not bool(torch.isfinite(sigma.detach()).all()) or not bool((sigma.detach() > 0).all()):
            raise InvalidParameterError(f"`{name}` must be a positive finite scalar tensor; got {sigma!r}")
        return sigma
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or not (
        math.isfinite(float(sigma)) and float(sigma) > 0.0
    ):
        raise InvalidParameterError(
            f"`{name}` must be a finite number > 0, a positive scalar tensor, or None (median heuristic); "
            f"got {sigma!r}"
        )
    return float(sigma)


def _same_rows(a, b, name_a: str, name_b: str):
    if a.shape[0] != b.shape[0]:
        raise ShapeMismatchError(
            f"`{name_a}` and `{name_b}` must be paired (same number of rows); got {a.shape[0]} and {b.shape[0]}"
        )


def _same_dtype(*tensors):
    dtypes = {t.dtype for t in tensors}
    if len(dtypes) > 1:
        # promote rather than fail: float32 network outputs with float64 targets are common
        dt = tensors[0].dtype
        for t in tensors[1:]:
            dt = torch.promote_types(dt, t.dtype)
        return [t.to(dt) for t in tensors]
    return list(tensors)


# ============================================================================================== losses
def cs_divergence_loss(x, y, *, sigma=None):
    r"""Two-sample Cauchy–Schwarz divergence :math:`\hat D_{CS}(p\|q)` between sample batches, in nats.

    Parameters
    ----------
    x : torch.Tensor of shape (n,) or (n, d)
        Samples of p (e.g. a batch of generated points).
    y : torch.Tensor of shape (m,) or (m, d)
        Samples of q; the same number of columns as ``x`` (``m`` may differ from ``n``).
    sigma : float, scalar tensor or None, default None
        Kernel width σ. ``None``: the median heuristic of the pooled rows (no gradient through σ). A
        positive scalar tensor with ``requires_grad`` makes the bandwidth learnable.

    Returns
    -------
    torch.Tensor
        0-d tensor :math:`\ge 0` (nats), differentiable in ``x`` and ``y``; 0 for identical batches.

    Notes
    -----
    With Parzen estimates of p and q whose normalising constants cancel ([2]_, Eq. (1) of [1]_):

    .. math::

        \hat D_{CS}(p\|q)=\log\frac{1}{n^2}\sum_{i,j}\kappa_\sigma(x_i,x_j)
        +\log\frac{1}{m^2}\sum_{i,j}\kappa_\sigma(y_i,y_j)
        -2\log\frac{1}{nm}\sum_{i,j}\kappa_\sigma(x_i,y_j),

    i.e. −2 log of the cosine between the empirical kernel mean embeddings (hence ≥ 0 and symmetric). For
    :math:`N(0,1)` vs :math:`N(\mu,1)` samples it tends to :math:`\mu^2/(\sigma^2+2)` as n, m → ∞.
    Sums are taken with ``logsumexp`` (no underflow for far-apart batches).

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    .. [2] Jenssen, R., Príncipe, J. C., Erdogmus, D., Eltoft, T. (2006). The Cauchy–Schwarz divergence and
       Parzen windowing. Journal of the Franklin Institute 343(6), 614–629.

    Examples
    --------
    Two identical batches have zero divergence:

    >>> import torch
    >>> from infokit.methods.losses.cauchy_schwarz import cs_divergence_loss
    >>> x = torch.tensor([[0.0], [1.0], [3.0]])
    >>> float(cs_divergence_loss(x, x.clone(), sigma=1.0))
    0.0
    """
    x = _as_batch(x, "x", min_rows=1)
    y = _as_batch(y, "y", min_rows=1)
    if x.shape[1] != y.shape[1]:
        raise ShapeMismatchError(
            f"`x` and `y` must have the same number of columns (one sample space); got {x.shape[1]} and {y.shape[1]}"
        )
    s = _check_sigma(sigma, pair=False)
    x, y = _same_dtype(x, y)
    return _k.cs_divergence_samples_torch(x, y, sigma=s)


def cs_qmi_loss(x, y, *, sigma=None, normalized: bool = False):
    r"""Cauchy–Schwarz quadratic mutual information :math:`\hat I_{CS}(X;Y)` of a batch (Prop. 2 of [1]_), nats.

    Minimising it removes dependence between ``x`` and ``y`` (the compression term of CS-IB, with ``x`` the
    inputs and ``y`` the representation).

    Parameters
    ----------
    x : torch.Tensor of shape (n,) or (n, dx)
    y : torch.Tensor of shape (n,) or (n, dy)
        Paired with ``x`` row by row.
    sigma : None, float, scalar tensor, or a pair of those, default None
        ``None``: median heuristic per variable; a number: both kernels; a pair ``(sigma_x, sigma_y)``.
    normalized : bool, default False
        Return :math:`\hat I_{CS}(X;Y)/\sqrt{\hat I_{CS}(X;X)\hat I_{CS}(Y;Y)}` (unitless, 1 for ``y = x``),
        ``CS_QMI_normalized`` of the code of [1]_, the term its released script penalises.

    Returns
    -------
    torch.Tensor
        0-d tensor :math:`\ge 0`, differentiable. Nats (the paper's code uses bits; divide by log 2).

    Notes
    -----
    With :math:`K_{ij}=\kappa_{\sigma_x}(x_i,x_j)` and :math:`Q_{ij}=\kappa_{\sigma_y}(y_i,y_j)`:

    .. math::

        \hat I_{CS}=\log\Big(\frac{1}{N^2}\sum_{ij}K_{ij}Q_{ij}\Big)
        +\log\Big(\frac{1}{N^4}\sum_{ij}K_{ij}\sum_{ij}Q_{ij}\Big)
        -2\log\Big(\frac{1}{N^3}\mathbf 1^\top KQ\mathbf 1\Big).

    It is :math:`\hat D_{CS}(\hat p_{XY}\|\hat p_X\hat p_Y)`: ``log N`` for distinct points as σ → 0 with
    ``y = x``, 0 as σ → ∞. The normalised value is 0 (not NaN) when a self-information is 0 to round-off.

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    x = _as_batch(x, "x")
    y = _as_batch(y, "y")
    _same_rows(x, y, "x", "y")
    s = _check_sigma(sigma)
    if not isinstance(normalized, bool):
        raise InvalidParameterError(f"`normalized` must be True or False; got {normalized!r}")
    x, y = _same_dtype(x, y)
    if normalized:
        return _k.cs_qmi_normalized_torch(x, y, sigma=s)
    return _k.cs_qmi_torch(x, y, sigma=s)


def cs_conditional_divergence_loss(x, y, y_hat, *, sigma=None, denominator: str = "paper"):
    r"""Conditional CS divergence :math:`\hat D_{CS}(p(y|x)\,\|\,q_\theta(\hat y|x))` (Prop. 1 of [1]_), nats.

    The prediction term of CS-IB: it replaces the MSE and is 0 exactly when ``y_hat = y``.

    Parameters
    ----------
    x : torch.Tensor of shape (n,) or (n, dx)
        Inputs (conditioning variable).
    y : torch.Tensor of shape (n,) or (n, dy)
        Targets.
    y_hat : torch.Tensor of shape (n,) or (n, dy)
        Predictions (differentiable).
    sigma : None, float, scalar tensor, or a pair, default None
        ``None``: σ_x = median heuristic of ``x``, σ_y = median heuristic of pooled ``y`` and ``y_hat``; a
        number: both; a pair ``(sigma_x, sigma_y)``. The paper's code uses σ = 1 on standardised data.
    denominator : {'paper', 'sum_sq'}, default 'paper'
        ``'paper'``: :math:`d_j=(\sum_iK_{ji})^2` (the Parzen plug-in of Prop. 1); ``'sum_sq'``:
        :math:`d_j=\sum_iK_{ji}^2`, as the released ``CS_Div`` computes it.

    Returns
    -------
    torch.Tensor
        0-d tensor, differentiable in ``y_hat`` (and ``x``, ``y``), in nats (the code of [1]_ uses bits).

    Notes
    -----
    With :math:`K_{ji}=\kappa_{\sigma_x}(x_j,x_i)`, :math:`L^1_{ji}=\kappa_{\sigma_y}(y_j,y_i)`,
    :math:`L^2_{ji}=\kappa_{\sigma_y}(\hat y_j,\hat y_i)`, :math:`L^{21}_{ji}=\kappa_{\sigma_y}(\hat y_j,y_i)`:

    .. math::

        \hat D_{CS}=\log\sum_j\frac{\sum_iK_{ji}L^1_{ji}}{d_j}+\log\sum_j\frac{\sum_iK_{ji}L^2_{ji}}{d_j}
        -2\log\sum_j\frac{\sum_iK_{ji}L^{21}_{ji}}{d_j}.

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    x = _as_batch(x, "x")
    y = _as_batch(y, "y")
    y_hat = _as_batch(y_hat, "y_hat")
    _same_rows(x, y, "x", "y")
    _same_rows(x, y_hat, "x", "y_hat")
    if y.shape[1] != y_hat.shape[1]:
        raise ShapeMismatchError(
            f"`y` and `y_hat` must have the same number of columns; got {y.shape[1]} and {y_hat.shape[1]}; "
            f"reshape the prediction to the target's shape"
        )
    if denominator not in ("paper", "sum_sq"):
        raise InvalidParameterError(f"`denominator` must be one of {{'paper', 'sum_sq'}}; got {denominator!r}")
    s = _check_sigma(sigma)
    x, y, y_hat = _same_dtype(x, y, y_hat)
    return _k.cs_conditional_divergence_torch(x, y, y_hat, sigma=s, denominator=denominator)
