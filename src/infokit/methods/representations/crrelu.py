r"""CRReLU [1]_: the correction of ReLU derived by the entropy-based activation-function optimisation (EAFO).

.. math:: \mathrm{CRReLU}(x) = \mathrm{ReLU}(x) + \varepsilon\, x\, e^{-x^2/2},

with one learnable scalar :math:`\varepsilon` per module, initialised to 0.01. The correction term is
:math:`-\sqrt{2\pi}\,\varepsilon\,\varphi'(x)` (:math:`\varphi` the standard normal density): EAFO perturbs an
activation along the direction that most decreases the entropy functional of [1]_, and for ReLU that first-order
correction is this Gaussian-derivative bump. It makes the negative side non-zero (minimum
:math:`-\varepsilon e^{-1/2}` at :math:`x = -1`) and vanishes for :math:`|x| \to \infty`.

References
----------
.. [1] Sun, H., Wu, Z., Xia, B., Chang, P., Dong, Z., Yuan, Y., Chang, Y., Wang, X. (2024). A method on
   searching better activation functions (EAFO / CRReLU). arXiv:2405.12954.
"""

from __future__ import annotations

import math
import numbers

import torch
from torch import nn

from ...exceptions import InvalidInputTypeError, InvalidParameterError

__all__ = ["CRReLU", "crrelu"]


def _check_epsilon(epsilon, name="epsilon"):
    if isinstance(epsilon, bool) or not isinstance(epsilon, (numbers.Real, torch.Tensor)):
        raise InvalidParameterError(f"`{name}` must be a real number; got {epsilon!r}")
    if isinstance(epsilon, torch.Tensor) and epsilon.numel() != 1:
        raise InvalidParameterError(
            f"`{name}` must be a scalar (one epsilon per activation, as in the paper); got shape {tuple(epsilon.shape)}"
        )
    value = float(epsilon.detach()) if isinstance(epsilon, torch.Tensor) else float(epsilon)
    if not math.isfinite(value):
        raise InvalidParameterError(f"`{name}` must be finite; got {value!r}")


def _crrelu(x, epsilon):
    return torch.relu(x) + epsilon * x * torch.exp(-0.5 * x * x)


def crrelu(x, epsilon=0.01):
    r"""Functional CRReLU: :math:`\mathrm{ReLU}(x) + \varepsilon x e^{-x^2/2}` elementwise.

    Parameters
    ----------
    x : torch.Tensor
        Input (any shape, floating point).
    epsilon : float or torch.Tensor, default 0.01
        Correction strength :math:`\varepsilon` (a scalar; a 0-d tensor keeps it differentiable).

    Returns
    -------
    torch.Tensor
        Same shape as ``x``.

    Notes
    -----
    Derivatives: :math:`\partial f/\partial x = \mathbb{1}[x>0] + \varepsilon(1-x^2)e^{-x^2/2}`,
    :math:`\partial f/\partial\varepsilon = x e^{-x^2/2}`; one-sided slopes at 0 are :math:`1+\varepsilon`
    and :math:`\varepsilon`. CRReLU as defined in [1]_.

    References
    ----------
    .. [1] Sun, H., Wu, Z., Xia, B., Chang, P., Dong, Z., Yuan, Y., Chang, Y., Wang, X. (2024). A method on
       searching better activation functions. arXiv:2405.12954.

    Examples
    --------
    >>> import torch
    >>> crrelu(torch.tensor([0.0, 2.0]), epsilon=0.0).tolist()  # epsilon = 0 is ReLU
    [0.0, 2.0]
    """
    if not isinstance(x, torch.Tensor) or not torch.is_floating_point(x):
        raise InvalidInputTypeError(
            f"`x` must be a floating-point torch.Tensor; got {type(x).__name__}"
            + (f" of dtype {x.dtype}" if isinstance(x, torch.Tensor) else "")
            + "; cast it with .float()"
        )
    _check_epsilon(epsilon)
    return _crrelu(x, epsilon)


class CRReLU(nn.Module):
    r"""CRReLU activation [1]_: :math:`\mathrm{ReLU}(x) + \varepsilon x e^{-x^2/2}` with learnable :math:`\varepsilon`.

    Parameters
    ----------
    epsilon : float, default 0.01
        Initial value of the learnable scalar :math:`\varepsilon` (the paper's initialisation).
    learnable : bool, default True
        If False, :math:`\varepsilon` is a buffer (fixed).

    Attributes
    ----------
    epsilon : torch.nn.Parameter
        0-d parameter, shared by all units the module is applied to (one per module, as in [1]_).

    Notes
    -----
    Whether :math:`\varepsilon` should be weight-decayed is not specified by [1]_; like other scalar gains it is
    best excluded (put ``[m.epsilon for m in model.modules() if isinstance(m, CRReLU)]`` in a parameter group
    with ``weight_decay=0``).

    References
    ----------
    .. [1] Sun, H., Wu, Z., Xia, B., Chang, P., Dong, Z., Yuan, Y., Chang, Y., Wang, X. (2024). A method on
       searching better activation functions. arXiv:2405.12954.

    Examples
    --------
    >>> import torch
    >>> act = CRReLU()
    >>> round(act.epsilon.item(), 6)
    0.01
    >>> round(act(torch.tensor(-1.0)).item(), 6)  # the minimum, -0.01 * exp(-1/2)
    -0.006065
    """

    def __init__(self, epsilon: float = 0.01, *, learnable: bool = True):
        super().__init__()
        _check_epsilon(epsilon)
        value = torch.tensor(float(epsilon))
        if learnable:
            self.epsilon = nn.Parameter(value)
        else:
            self.register_buffer("epsilon", value)

    def forward(self, x):
        if not torch.is_floating_point(x):
            return crrelu(x, self.epsilon)  # raises the input-type error
        return _crrelu(x, self.epsilon.to(dtype=x.dtype))

    def extra_repr(self) -> str:
        return f"epsilon={self.epsilon.item():.4g}, learnable={isinstance(self.epsilon, nn.Parameter)}"
