r"""Cauchy–Schwarz divergence information bottleneck for regression (CS-IB, Yu et al., ICLR 2024), torch.

The CS-IB objective of a regressor :math:`x\to z\to\hat y` is

.. math:: \mathcal L = \hat D_{CS}\big(p(y|x)\,\|\,q_\theta(\hat y|x)\big) + \beta\,\hat I_{CS}(X;Z),

a prediction term (the conditional CS divergence, Prop. 1 of [1]_, which replaces the MSE and needs no
Gaussian-noise assumption on the residual) plus a compression term (the CS quadratic MI of inputs and
representation, Prop. 2 of [1]_), both kernel estimators on the mini-batch; see
:mod:`infokit.methods.losses.cauchy_schwarz`.

References
----------
.. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence information
   bottleneck for regression. ICLR. arXiv:2404.17951
"""

from __future__ import annotations

import math
import numbers

from ...exceptions import InvalidParameterError
from ..losses.cauchy_schwarz import cs_conditional_divergence_loss, cs_qmi_loss

__all__ = ["cs_ib_loss"]


def cs_ib_loss(x, y, y_hat, z, *, beta: float, sigma=1.0, compression_sigma="same", denominator: str = "paper",
               normalized: bool = False, return_terms: bool = False):
    r"""CS-IB regression objective :math:`\hat D_{CS}(p(y|x)\|q(\hat y|x))+\beta\,\hat I_{CS}(X;Z)` (nats).

    Parameters
    ----------
    x : torch.Tensor of shape (n,) or (n, dx)
        Input batch (standardise it: the kernels use a fixed width by default).
    y : torch.Tensor of shape (n,) or (n, dy)
        Targets.
    y_hat : torch.Tensor of shape (n,) or (n, dy)
        Predictions of the decoder.
    z : torch.Tensor of shape (n, dz)
        Representation (encoder output, or a sample of a stochastic encoder).
    beta : float >= 0
        Weight of the compression term (the paper sweeps 0 … 1; β = 0 is the pure CS-divergence regressor).
    sigma : None, float, scalar tensor, or pair, default 1.0
        Kernel widths of the prediction term ``(sigma_x, sigma_y)``; 1.0 as in the code of [1]_ (σ = 1 on
        standardised data); ``None`` = median heuristic.
    compression_sigma : 'same', None, float, scalar tensor, or pair, default 'same'
        Widths ``(sigma_x, sigma_z)`` of the compression term; ``'same'`` reuses ``sigma``.
    denominator : {'paper', 'sum_sq'}, default 'paper'
        Normaliser of Prop. 1 (see :func:`~infokit.methods.losses.cauchy_schwarz.cs_conditional_divergence_loss`);
        ``'sum_sq'`` reproduces the released code.
    normalized : bool, default False
        Penalise the normalised CS-QMI :math:`\hat I_{CS}(X;Z)/\sqrt{\hat I_{CS}(X;X)\hat I_{CS}(Z;Z)}`
        instead, as the released training script does.
    return_terms : bool, default False
        Also return the two terms: ``(total, prediction, compression)``.

    Returns
    -------
    torch.Tensor or tuple of torch.Tensor
        The 0-d loss (minimise it), or ``(total, prediction, compression)``.

    Notes
    -----
    The CS-IB objective of [1]_ (the IB Lagrangian with the CS divergence in place of the KL divergence in
    both terms); the prediction term (Prop. 1 of [1]_) is

    .. math::

        \hat D_{CS}=\log\sum_j\frac{\sum_iK_{ji}L^1_{ji}}{d_j}+\log\sum_j\frac{\sum_iK_{ji}L^2_{ji}}{d_j}
        -2\log\sum_j\frac{\sum_iK_{ji}L^{21}_{ji}}{d_j}

    and the compression term :math:`\hat I_{CS}(X;Z)` is Prop. 2 of [1]_. Everything is in nats; the code
    of [1]_ works in bits, which rescales both terms by the same 1/log 2 and leaves the minimiser unchanged.

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951

    Examples
    --------
    A perfect prediction with a representation that ignores the input costs nothing:

    >>> import torch
    >>> from infokit.methods.bottleneck.cs_ib import cs_ib_loss
    >>> x = torch.tensor([[0.0], [1.0], [2.0]]); y = 2 * x
    >>> float(cs_ib_loss(x, y, y.clone(), torch.zeros(3, 2), beta=0.5))
    0.0
    """
    if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not (
        math.isfinite(float(beta)) and float(beta) >= 0.0
    ):
        raise InvalidParameterError(f"`beta` must be a finite number >= 0 (the compression weight); got {beta!r}")
    if not isinstance(return_terms, bool):
        raise InvalidParameterError(f"`return_terms` must be True or False; got {return_terms!r}")
    if isinstance(compression_sigma, str):
        if compression_sigma != "same":
            raise InvalidParameterError(
                f"`compression_sigma` must be 'same', None, a positive number or a pair; got {compression_sigma!r}"
            )
        compression_sigma = sigma
    prediction = cs_conditional_divergence_loss(x, y, y_hat, sigma=sigma, denominator=denominator)
    compression = cs_qmi_loss(x, z, sigma=compression_sigma, normalized=normalized)
    total = prediction + float(beta) * compression
    if return_terms:
        return total, prediction, compression
    return total
