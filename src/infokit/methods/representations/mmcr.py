"""MMCR: Maximum Manifold Capacity Representations (paper 17).

Yerxa, Kuang, Simoncelli & Chung (2023) [1]_ learn representations by making the object manifolds (the views of
one image) small and their centroids spread out: the loss is minus the nuclear norm of the matrix of centroids of
the L2-normalised view embeddings. A large nuclear norm of the centroid matrix means both that each centroid has
a large norm (views agree: their normalised embeddings average to a long vector) and that centroids span many
directions (no collapse), a proxy for the manifold capacity of the representation.

:func:`mmcr_loss` is the functional form, :class:`MMCRLoss` the module (with the momentum variant of the paper's
ImageNet recipe: centroids averaged over the online and a momentum encoder's embeddings), and
:func:`momentum_update` the exponential moving average of the momentum encoder's weights.

References
----------
.. [1] Yerxa, T., Kuang, Y., Simoncelli, E., & Chung, S. (2023). Learning Efficient Coding of Natural Images with
   Maximum Manifold Capacity Representations. NeurIPS 2023. arXiv:2303.03307
.. [2] ThomasYerxa/mmcr, ``mmcr/cifar_stl/loss_mmcr.py`` and ``mmcr/imagenet/loss_mmcr_momentum.py`` (commit fafd3a9).
"""

from __future__ import annotations

import math
import numbers
import warnings

import torch

from ..._validation import check_nonneg_float, check_positive_int
from ...exceptions import InfokitWarning, InvalidInputTypeError, InvalidParameterError, InvalidSampleError, ShapeMismatchError

__all__ = ["mmcr_loss", "MMCRLoss", "momentum_update", "mmcr_centroids"]


def _views(z, n_views, name):
    """(B, K, C) from (B, K, C) or (B·K, C) ordered image-major ("(B K) C": row b·K + k is view k of image b)."""
    if not isinstance(z, torch.Tensor):
        raise InvalidInputTypeError(f"`{name}` must be a torch.Tensor; got {type(z).__name__}")
    if not z.is_floating_point():
        raise InvalidInputTypeError(f"`{name}` must be a floating tensor; got dtype {z.dtype}")
    if z.ndim == 3:
        if n_views is not None and n_views != z.shape[1]:
            raise ShapeMismatchError(f"`n_views`={n_views} disagrees with `{name}` of shape {tuple(z.shape)} (B, K, C)")
        out = z
    elif z.ndim == 2:
        if n_views is None:
            raise InvalidParameterError(
                f"`{name}` of shape {tuple(z.shape)} is (B*K, C); pass n_views=K, or reshape it to (B, K, C)"
            )
        k = check_positive_int(n_views, "n_views")
        if z.shape[0] % k:
            raise ShapeMismatchError(f"`{name}` has {z.shape[0]} rows, not a multiple of n_views={k}")
        out = z.reshape(z.shape[0] // k, k, z.shape[1])
    else:
        raise ShapeMismatchError(f"`{name}` must have shape (B, K, C) or (B*K, C); got {tuple(z.shape)}")
    if out.shape[0] < 1 or out.shape[2] < 1:
        raise ShapeMismatchError(f"`{name}` must have at least one image and one feature; got {tuple(z.shape)}")
    if not bool(torch.isfinite(z).all()):
        raise InvalidSampleError(f"`{name}` contains NaN/inf embeddings; check the encoder (learning rate, inputs)")
    return out


def _normalize(z, eps):
    return z / z.norm(dim=-1, keepdim=True).clamp_min(eps)


def mmcr_centroids(z, *, n_views: int | None = None, eps: float = 1e-12):
    """Centroid matrix M (B, C): the mean over views of the L2-normalised embeddings, c_b = mean_k z_bk/‖z_bk‖."""
    v = _views(z, n_views, "z")
    return _normalize(v, eps).mean(dim=1)


def _nuc(m):
    # float64 SVD for accuracy (float32 svdvals of a 256x128 matrix loses ~1e-5 relative); cast back
    return torch.linalg.svdvals(m.to(torch.float64)).sum(dim=-1).to(m.dtype)


def mmcr_loss(z, *, n_views: int | None = None, lam: float = 0.0, z_momentum=None, eps: float = 1e-12):
    r"""MMCR loss ``-‖M‖_* + λ·mean_b ‖Ẑ_b‖_*`` of view embeddings (minimised; nats are not involved).

    Parameters
    ----------
    z : torch.Tensor, shape (B, K, C) or (B·K, C)
        Projector outputs for K views of each of B images; the 2-D form is image-major (row b·K + k is view k
        of image b), as the reference's ``rearrange(z, "(B N) C -> B C N")``.
    n_views : int, optional
        K, required for the 2-D form.
    lam : float, default 0.0
        Weight λ of the local term (mean nuclear norm of each image's K×C view matrix); the paper's default 0.
    z_momentum : torch.Tensor, optional
        Embeddings of the same views from a momentum (EMA) encoder, same shape as ``z``: the centroids become
        ½(mean_k ẑ_bk + mean_k ẑ'_bk) (the ImageNet variant of [1]_). No gradient flows into it.
    eps : float, default 1e-12
        Floor on the norms in the L2 normalisation.

    Returns
    -------
    torch.Tensor
        Scalar loss; ``-B`` at best when B ≤ C (orthonormal centroids, views identical), ``-√B`` under full
        collapse (all centroids equal).

    Notes
    -----
    With ẑ_bk = z_bk/‖z_bk‖ and centroids c_b = (1/K) Σ_k ẑ_bk stacked into M ∈ R^{B×C} (the objective of [1]_; equation number not checked):

    .. math:: \mathcal L = -\|M\|_* + \frac{\lambda}{B}\sum_b \|\hat Z_b\|_*,
              \qquad \|M\|_* \le \sqrt{\min(B,C)}\,\|M\|_F \le \sqrt{\min(B, C)\,B}.

    The nuclear norm is computed with ``torch.linalg.svdvals`` in float64; its gradient U Vᵀ is well defined
    even for repeated singular values.

    References
    ----------
    .. [1] Yerxa, T., Kuang, Y., Simoncelli, E., & Chung, S. (2023). Learning Efficient Coding of Natural Images
       with Maximum Manifold Capacity Representations. NeurIPS 2023. arXiv:2303.03307
    """
    lam = check_nonneg_float(lam, "lam")
    eps = check_nonneg_float(eps, "eps", strict=True)
    v = _normalize(_views(z, n_views, "z"), eps)
    centroids = v.mean(dim=1)
    if z_momentum is not None:
        vm = _views(z_momentum, n_views, "z_momentum")
        if vm.shape != v.shape:
            raise ShapeMismatchError(
                f"`z_momentum` must have the shape of `z` ({tuple(z.shape)}); got {tuple(z_momentum.shape)}"
            )
        centroids = 0.5 * (centroids + _normalize(vm.detach(), eps).mean(dim=1))
    loss = -_nuc(centroids)
    if lam > 0:
        loss = loss + lam * _nuc(v).mean()
    return loss


class MMCRLoss(torch.nn.Module):
    """Module form of :func:`mmcr_loss` (``forward(z, z_momentum=None)``).

    Parameters
    ----------
    n_views : int, optional
        K for 2-D inputs (B·K, C).
    lam : float, default 0.0
        Weight of the local nuclear-norm term.
    warn_if_batch_exceeds_dim : bool, default True
        Warn once when B > C: the maximum ‖M‖_* = B is then unreachable (the notes' pitfall).
    """

    def __init__(self, n_views: int | None = None, lam: float = 0.0, *, warn_if_batch_exceeds_dim: bool = True):
        super().__init__()
        self.n_views = None if n_views is None else check_positive_int(n_views, "n_views")
        self.lam = check_nonneg_float(lam, "lam")
        self._warn = bool(warn_if_batch_exceeds_dim)

    def forward(self, z, z_momentum=None):
        v = _views(z, self.n_views, "z")
        if self._warn and v.shape[0] > v.shape[2]:
            warnings.warn(
                f"MMCR batch B={v.shape[0]} exceeds the embedding dimension C={v.shape[2]}: the centroid matrix has "
                f"rank <= C, so -loss is bounded by sqrt(C*B) < B; use C >= B for the paper's regime",
                InfokitWarning,
                stacklevel=2,
            )
            self._warn = False
        return mmcr_loss(v, lam=self.lam, z_momentum=z_momentum)

    def extra_repr(self) -> str:
        return f"n_views={self.n_views}, lam={self.lam}"


@torch.no_grad()
def momentum_update(online: torch.nn.Module, target: torch.nn.Module, *, tau: float = 0.99) -> None:
    r"""EMA of the momentum encoder, θ_target ← τ·θ_target + (1 − τ)·θ_online (τ = 0.99 in [1]_'s ImageNet run).

    Updates ``target`` in place (its parameters and floating buffers); ``online`` is not modified.
    """
    if not (isinstance(tau, numbers.Real) and not isinstance(tau, bool) and 0 <= float(tau) <= 1 and not math.isnan(tau)):
        raise InvalidParameterError(f"`tau` must be a real number in [0, 1]; got {tau!r}")
    po, pt = list(online.parameters()), list(target.parameters())
    if len(po) != len(pt) or any(a.shape != b.shape for a, b in zip(po, pt)):
        raise ShapeMismatchError("`online` and `target` must have the same architecture (parameter shapes differ)")
    for a, b in zip(po, pt):
        b.mul_(tau).add_(a.detach(), alpha=1 - tau)
    for a, b in zip(online.buffers(), target.buffers()):
        if b.is_floating_point():
            b.mul_(tau).add_(a.detach(), alpha=1 - tau)
        else:
            b.copy_(a)
