"""Array back-ends: one formula per quantity, evaluated by numpy or by torch.

infokit's formulas are written against the small namespace returned by :func:`namespace`. The numpy
namespace is always available; the torch namespace is built only when the caller already passed a
torch tensor (we look in ``sys.modules`` and never import torch ourselves), so ``import infokit`` stays light.
"""

from __future__ import annotations

import math
import sys
from types import SimpleNamespace

import numpy as np
from scipy import special as _sp

__all__ = ["is_torch", "namespace", "NUMPY", "torch_namespace", "to_numpy"]


def is_torch(x) -> bool:
    """True if ``x`` is a torch tensor (without importing torch)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(x, torch.Tensor)


def to_numpy(x):
    """A numpy view/copy of ``x`` (torch tensors are detached and moved to the CPU)."""
    if is_torch(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _np_logsumexp(x, axis=-1, keepdims=False):
    return _sp.logsumexp(x, axis=axis, keepdims=keepdims)


def _np_log_softmax(x, axis=-1):
    return _sp.log_softmax(x, axis=axis)


NUMPY = SimpleNamespace(
    name="numpy",
    sum=lambda x, axis=None, keepdims=False: np.sum(x, axis=axis, keepdims=keepdims),
    max=lambda x, axis=None, keepdims=False: np.max(x, axis=axis, keepdims=keepdims),
    min=lambda x, axis=None, keepdims=False: np.min(x, axis=axis, keepdims=keepdims),
    log=np.log,
    log1p=np.log1p,
    exp=np.exp,
    expm1=np.expm1,
    stop_gradient=lambda x: x,
    sqrt=np.sqrt,
    abs=np.abs,
    square=np.square,
    where=np.where,
    maximum=np.maximum,
    xlogy=_sp.xlogy,
    entr=_sp.entr,
    rel_entr=_sp.rel_entr,
    logsumexp=_np_logsumexp,
    log_softmax=_np_log_softmax,
    isfinite=np.isfinite,
    isnan=np.isnan,
    isinf=np.isinf,
    any=lambda x: bool(np.any(x)),
    all=lambda x: bool(np.all(x)),
    moveaxis=np.moveaxis,
    zeros_like=np.zeros_like,
    full_like=np.full_like,
    clip=np.clip,
    asfloat=lambda x: np.asarray(x, dtype=np.float64),
    inf=math.inf,
)


def torch_namespace():
    """The torch flavour of the namespace (torch must already be imported by the caller)."""
    import torch  # the caller handed us a tensor, so torch is already in sys.modules

    def _red(fn):
        def f(x, axis=None, keepdims=False):
            if axis is None:
                return fn(x)
            return fn(x, dim=axis, keepdim=keepdims)

        return f

    def _max(x, axis=None, keepdims=False):
        if axis is None:
            return torch.amax(x)
        return torch.amax(x, dim=axis, keepdim=keepdims)

    def _min(x, axis=None, keepdims=False):
        if axis is None:
            return torch.amin(x)
        return torch.amin(x, dim=axis, keepdim=keepdims)

    # The three log-kernels below mask the entries with x = 0 *before* taking logs. Their values equal
    # scipy.special's; their gradients stay finite (no 0/0): terms with x = 0 are constant zeros, i.e. the
    # gradient is taken on the face of the simplex the pmf lies on. torch.special.xlogy(x, y) would give
    # d/dy = x / y = 0/0 = NaN wherever x = y = 0 (zero cells of a joint table, masked logits).
    def _xlogy(x, y):
        pos = x != 0
        one = torch.ones((), dtype=x.dtype, device=x.device)
        zero = torch.zeros((), dtype=x.dtype, device=x.device)
        return torch.where(pos, x * torch.log(torch.where(pos, y, one)), zero)

    def _entr(p):
        return -_xlogy(p, p)

    def _rel_entr(p, q):
        # p log(p/q) with 0 log(0/q) = 0 and p log(p/0) = inf, as scipy.special.rel_entr
        pos = p > 0
        one = torch.ones((), dtype=p.dtype, device=p.device)
        ratio_log = torch.log(torch.where(pos, p, one)) - torch.log(torch.where(pos, q, one))
        return torch.where(pos, p * ratio_log, torch.zeros((), dtype=p.dtype, device=p.device))

    def _asfloat(x):
        x = torch.as_tensor(x)
        return x if x.is_floating_point() else x.to(torch.float64)

    def _where(c, a, b):
        return torch.where(c, a, torch.as_tensor(b, dtype=a.dtype, device=a.device) if not torch.is_tensor(b) else b)

    return SimpleNamespace(
        name="torch",
        sum=_red(torch.sum),
        max=_max,
        min=_min,
        log=torch.log,
        log1p=torch.log1p,
        exp=torch.exp,
        expm1=torch.expm1,
        stop_gradient=lambda x: x.detach(),
        sqrt=torch.sqrt,
        abs=torch.abs,
        square=torch.square,
        where=_where,
        maximum=torch.maximum,
        xlogy=_xlogy,
        entr=_entr,
        rel_entr=_rel_entr,
        logsumexp=lambda x, axis=-1, keepdims=False: torch.logsumexp(x, dim=axis, keepdim=keepdims),
        log_softmax=lambda x, axis=-1: torch.log_softmax(x, dim=axis),
        isfinite=torch.isfinite,
        isnan=torch.isnan,
        isinf=torch.isinf,
        any=lambda x: bool(torch.any(x)),
        all=lambda x: bool(torch.all(x)),
        moveaxis=torch.movedim,
        zeros_like=torch.zeros_like,
        full_like=torch.full_like,
        clip=torch.clamp,
        asfloat=_asfloat,
        inf=math.inf,
    )


def namespace(*arrays):
    """The namespace of the arrays: torch if any is a tensor, numpy otherwise."""
    for a in arrays:
        if a is not None and is_torch(a):
            return torch_namespace()
    return NUMPY
