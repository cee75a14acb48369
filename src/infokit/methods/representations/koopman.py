"""Information terms of Koopman representation learning (paper 14).

Cheng, Yuan, Yang, Zhang, Cheng, He & Sun (2025) [1]_ read deep Koopman learning as an information-bottleneck
trade-off. A temporal latent mutual-information term (here a multi-positive InfoNCE bound between nearby time steps
of a latent trajectory) promotes *simplicity* but, over-weighted, collapses the latent space onto a few dominant
modes; the von Neumann entropy of the normalised latent covariance sustains *expressiveness* and mode diversity.
Their Lagrangian adds both to the reconstruction / prediction losses of an encoder–Koopman–decoder model.

This module gives the pieces as torch functions: the ridge least-squares Koopman matrix
(:func:`koopman_operator`), the temporal InfoNCE (:func:`temporal_infonce_loss`), the latent von Neumann entropy
(:func:`latent_von_neumann_entropy`) and their combination (:func:`koopman_information_loss`,
:class:`KoopmanInformationLoss`).

Sign of the entropy term. The paper's text says the entropy "prevents collapse and encourages mode diversity",
i.e. it is *maximised*: the minimised loss carries −β·S. The released trainer [2]_ *adds* +β·S to the loss it
minimises, which lowers the entropy. The default here follows the paper; ``reference_sign=True`` reproduces the
code.

References
----------
.. [1] Cheng, X., Yuan, W., Yang, Y., Zhang, Y., Cheng, S., He, Y., & Sun, Z. (2025). Information Shapes Koopman
   Representation. arXiv:2510.13025
.. [2] Wenxuan52/InformationKoopman, ``model/physical_simulation/base.py`` (``compute_loss``, ``info_nce``,
   ``von_neumann_entropy``, ``batch_pinv``), commit 32f52a1.
"""

from __future__ import annotations

import math

import torch

from ..._validation import check_nonneg_float, check_positive_int
from ...exceptions import InvalidInputTypeError, InvalidParameterError, InvalidSampleError, ShapeMismatchError
from ...measures.spectral import von_neumann_entropy

__all__ = [
    "koopman_operator",
    "temporal_infonce_loss",
    "latent_von_neumann_entropy",
    "koopman_information_loss",
    "KoopmanInformationLoss",
]


def _check_latents(z, name="z", ndim=3):
    if not isinstance(z, torch.Tensor):
        raise InvalidInputTypeError(f"`{name}` must be a torch.Tensor; got {type(z).__name__}")
    if not z.is_floating_point():
        raise InvalidInputTypeError(f"`{name}` must be a floating tensor; got dtype {z.dtype}")
    if z.ndim != ndim:
        raise ShapeMismatchError(
            f"`{name}` must have shape (B, T, H) (batch, time, latent); got {tuple(z.shape)}; add a batch axis with "
            f"{name}[None]" if ndim == 3 else f"`{name}` must have {ndim} dimensions; got {tuple(z.shape)}"
        )
    if not bool(torch.isfinite(z).all()):
        raise InvalidSampleError(f"`{name}` contains NaN/inf latents; check the encoder")
    return z


def koopman_operator(z, z_next=None, *, ridge: float = 0.1, detach: bool = True):
    r"""Ridge least-squares Koopman matrix C with ẑ_{t+1} = z_t C, averaged over the sequences of a batch.

    Parameters
    ----------
    z : torch.Tensor, shape (B, T, H)
        Latent trajectories. If ``z_next`` is None the pairs are (z_t, z_{t+1}) within each sequence.
    z_next : torch.Tensor, shape (B, T, H), optional
        Explicit successors of ``z``.
    ridge : float, default 0.1
        Ridge δ (the reference's 0.1). 0 gives plain least squares (needs ZᵀZ invertible).
    detach : bool, default True
        Return C detached from the graph, as the reference does (C is a fit, not a learned parameter).

    Returns
    -------
    torch.Tensor, shape (H, H)

    Notes
    -----
    .. math:: C = \frac1B \sum_b (Z_b^\top Z_b + \delta I)^{-1} Z_b^\top Z'_b .

    If Z' = Z A exactly, C = (ZᵀZ + δI)⁻¹ ZᵀZ A, which tends to A as δ → 0.
    """
    z = _check_latents(z)
    ridge = check_nonneg_float(ridge, "ridge")
    if z_next is None:
        if z.shape[1] < 2:
            raise ShapeMismatchError(f"`z` needs at least 2 time steps to form (z_t, z_t+1) pairs; got T={z.shape[1]}")
        x, y = z[:, :-1], z[:, 1:]
    else:
        y = _check_latents(z_next, "z_next")
        if y.shape != z.shape:
            raise ShapeMismatchError(f"`z_next` must have the shape of `z` {tuple(z.shape)}; got {tuple(y.shape)}")
        x = z
    if detach:
        x, y = x.detach(), y.detach()
    h = x.shape[-1]
    gram = x.transpose(1, 2) @ x + ridge * torch.eye(h, dtype=x.dtype, device=x.device)
    c = torch.linalg.solve(gram, x.transpose(1, 2) @ y)
    return c.mean(dim=0)


def temporal_infonce_loss(z, *, k: int = 3, temperature: float = 0.1):
    r"""Multi-positive temporal InfoNCE of latent trajectories (the latent-MI term of [1]_; minimised).

    Parameters
    ----------
    z : torch.Tensor, shape (B, T, H)
        Latent trajectories.
    k : int, default 3
        Positives of anchor n are z_{n±1}, …, z_{n±k}; anchors are n ∈ [k, T − k) (so T ≥ 2k + 1).
    temperature : float, default 0.1
        τ dividing the cosine similarities (the reference trainer's effective default; its yaml's 0.07 is never
        passed through).

    Returns
    -------
    torch.Tensor
        Scalar, nats: the mean over anchors and sequences of
        −log(Σ_{pos} e^{s/τ} / Σ_{m≠n} e^{s/τ}); −log(2k/(T−1)) when all similarities are equal, → 0 when
        positives are perfectly separated and τ → 0.

    Notes
    -----
    With s_nm = cos(z_n, z_m)/τ, P(n) = {m : 1 ≤ |m − n| ≤ k},

    .. math:: \mathcal L_{MI} = \frac{1}{B\,(T-2k)} \sum_{b}\sum_{n=k}^{T-k-1}
              -\log \frac{\sum_{m\in P(n)} e^{s_{nm}}}{\sum_{m\ne n} e^{s_{nm}}} .

    Minimising it maximises an InfoNCE lower bound on the mutual information between nearby latents.
    Vectorised with masked log-sum-exps (the reference loops over anchors in Python).
    """
    z = _check_latents(z)
    k = check_positive_int(k, "k")
    tau = check_nonneg_float(temperature, "temperature", strict=True)
    t = z.shape[1]
    if t < 2 * k + 1:
        raise ShapeMismatchError(f"`z` has T={t} time steps; k={k} needs T >= 2k+1 = {2 * k + 1} (lower k)")
    zn = z / z.norm(dim=-1, keepdim=True).clamp_min(1e-12)
    s = zn @ zn.transpose(1, 2) / tau  # (B, T, T)
    idx = torch.arange(t, device=z.device)
    lag = (idx[:, None] - idx[None, :]).abs()
    neg_inf = torch.tensor(-math.inf, dtype=s.dtype, device=s.device)
    pos = torch.logsumexp(torch.where((lag >= 1) & (lag <= k), s, neg_inf), dim=-1)
    allm = torch.logsumexp(torch.where(lag >= 1, s, neg_inf), dim=-1)
    per_anchor = (allm - pos)[:, k : t - k]
    return per_anchor.mean()


def latent_von_neumann_entropy(z, *, eps: float = 1e-8):
    r"""Von Neumann entropy of the trace-normalised covariance of all latents (nats; max log H).

    Parameters
    ----------
    z : torch.Tensor, shape (..., H)
        Latents; all leading axes are pooled (N = B·T rows).
    eps : float, default 1e-8
        Ridge added to the covariance (the reference's 1e-8·I), keeping it positive definite.

    Returns
    -------
    torch.Tensor
        Scalar S = −Σ λ_i log λ_i, λ the eigenvalues of Σ / tr Σ with Σ = Z_cᵀZ_c/(N−1) + εI; log H for isotropic
        latents, → 0 when they collapse onto one direction.

    Notes
    -----
    Computed with :func:`infokit.measures.von_neumann_entropy` (float64 ``eigvalsh``). Deviation from [2]_: the
    reference clamps the normalised eigenvalues at 1e-8 before the log; here exact zeros contribute 0 (the
    0·log 0 = 0 convention), which differs from it by at most H·1e-8·|log 1e-8| < 2e-7·H nats.
    """
    if not isinstance(z, torch.Tensor):
        raise InvalidInputTypeError(f"`z` must be a torch.Tensor; got {type(z).__name__}")
    if z.ndim < 2:
        raise ShapeMismatchError(f"`z` must have shape (..., H); got {tuple(z.shape)}")
    eps = check_nonneg_float(eps, "eps")
    flat = z.reshape(-1, z.shape[-1])
    if flat.shape[0] < 2:
        raise ShapeMismatchError(f"`z` needs at least 2 latent vectors for a covariance; got {flat.shape[0]}")
    if not bool(torch.isfinite(flat).all()):
        raise InvalidSampleError("`z` contains NaN/inf latents; check the encoder")
    zc = flat - flat.mean(dim=0, keepdim=True)
    cov = zc.T @ zc / (flat.shape[0] - 1)
    cov = cov + eps * torch.eye(cov.shape[0], dtype=cov.dtype, device=cov.device)
    return von_neumann_entropy(cov)


def koopman_information_loss(z, *, alpha: float = 2.0, beta: float = 0.1, k: int = 3, temperature: float = 0.1,
                             reference_sign: bool = False, eps: float = 1e-8):
    r"""Information terms of the Koopman Lagrangian: ``α·L_MI − β·S_vN`` (paper sign) or ``α·L_MI + β·S_vN``.

    Parameters
    ----------
    z : torch.Tensor, shape (B, T, H)
        Latent trajectories.
    alpha, beta : float, default 2.0 and 0.1
        Weights of the temporal InfoNCE and of the von Neumann entropy (the reference's ``lamb_mi``,
        ``lamb_entropy``).
    k, temperature : int, float
        Passed to :func:`temporal_infonce_loss`.
    reference_sign : bool, default False
        False: the entropy is maximised (−β·S, as the paper describes). True: +β·S, as the released code does.
    eps : float
        Passed to :func:`latent_von_neumann_entropy`.

    Returns
    -------
    torch.Tensor
        Scalar to add to the reconstruction and prediction losses (minimised).

    Notes
    -----
    .. math:: \mathcal L_{info} = \alpha\,\mathcal L_{MI}(z) - \beta\, S_{vN}(z)
              \quad(\text{code: } +\beta\,S_{vN}).
    """
    alpha = check_nonneg_float(alpha, "alpha")
    beta = check_nonneg_float(beta, "beta")
    if not isinstance(reference_sign, bool):
        raise InvalidParameterError(f"`reference_sign` must be True or False; got {reference_sign!r}")
    z = _check_latents(z)
    loss = z.new_zeros(())
    if alpha > 0:
        loss = loss + alpha * temporal_infonce_loss(z, k=k, temperature=temperature)
    if beta > 0:
        s = latent_von_neumann_entropy(z, eps=eps)
        loss = loss + (beta * s if reference_sign else -beta * s)
    return loss


class KoopmanInformationLoss(torch.nn.Module):
    """Module form of :func:`koopman_information_loss` (``forward(z)`` with z of shape (B, T, H))."""

    def __init__(self, alpha: float = 2.0, beta: float = 0.1, *, k: int = 3, temperature: float = 0.1,
                 reference_sign: bool = False, eps: float = 1e-8):
        super().__init__()
        self.alpha = check_nonneg_float(alpha, "alpha")
        self.beta = check_nonneg_float(beta, "beta")
        self.k = check_positive_int(k, "k")
        self.temperature = check_nonneg_float(temperature, "temperature", strict=True)
        if not isinstance(reference_sign, bool):
            raise InvalidParameterError(f"`reference_sign` must be True or False; got {reference_sign!r}")
        self.reference_sign = reference_sign
        self.eps = check_nonneg_float(eps, "eps")

    def forward(self, z):
        return koopman_information_loss(z, alpha=self.alpha, beta=self.beta, k=self.k, temperature=self.temperature,
                                        reference_sign=self.reference_sign, eps=self.eps)

    def extra_repr(self) -> str:
        sign = "+" if self.reference_sign else "-"
        return f"alpha={self.alpha}, beta={self.beta} (loss {sign}beta*S), k={self.k}, temperature={self.temperature}"
