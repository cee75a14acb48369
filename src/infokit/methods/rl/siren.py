"""SIREN: selective entropy regularisation with a self-anchor (arXiv 2509.25133), as torch functions.

* :func:`top_p_entropy` -- entropy of the renormalised top-p nucleus (action-level mask);
* :func:`peak_entropy_mask` -- keep the top-(1-q) entropy positions of each response (state-level mask);
* :class:`SirenRegularizer` -- :math:`\\lambda(\\hat H - H_{anchor})^2` with the anchor set on the first batch;
* :func:`policy_loss_siren` -- vanilla PPO plus the regulariser (needs logits).

References
----------
.. [1] SIREN authors (2025). Rethinking Entropy Regularization in Large Reasoning Models (SIREN).
   arXiv:2509.25133. Code: Linn3a/siren.
"""

from __future__ import annotations

import math

import torch

from .core import (
    LOSS_AGG_MODES,
    _agg_kernel,
    _as_mask,
    _check_mode,
    _float_tensor,
    _real,
    _work_dtype,
)
from .losses import policy_loss_vanilla
from ...exceptions import InvalidParameterError

__all__ = ["top_p_entropy", "peak_entropy_mask", "SirenRegularizer", "policy_loss_siren"]

_NANQUANTILE_MAX = 1 << 23  # torch.nanquantile refuses inputs above ~16M elements: chunk rows below that


def top_p_entropy(logits, *, top_p: float = 0.8, top_k: int = 10_000, include_crossing: bool = False,
                  temperature: float = 1.0):
    r"""Entropy of the top-p nucleus, renormalised: :math:`H^p = -\sum_{i\in S_p} q_i\log q_i`, :math:`q = p|_{S_p}/p(S_p)`.

    Per position: sort the ``top_k`` most probable tokens of softmax(logits/T); :math:`S_p` is the tokens
    *strictly before* the first index where the cumulative probability reaches ``top_p`` (SIREN's
    ``searchsorted``-left rule; ``include_crossing=True`` keeps the crossing token too, as Hugging Face's
    top-p does). If the top-1 token alone reaches ``top_p`` the set is empty and :math:`H^p = 0`.
    Differentiable in ``logits``.

    Examples
    --------
    >>> import torch, math
    >>> z = torch.log(torch.tensor([0.5, 0.25, 0.15, 0.1]))
    >>> round(float(top_p_entropy(z, top_p=0.8)), 6)  # kept {0.5, 0.25} -> H(2/3, 1/3)
    0.636514
    """
    logits = _float_tensor(logits, "logits")
    p_thr = _real(top_p, "top_p", low=0.0, high=1.0, low_open=True)
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise InvalidParameterError(f"`top_k` must be a positive integer; got {top_k!r}")
    t = _real(temperature, "temperature", low=0.0, low_open=True)
    z = logits.to(_work_dtype(logits)) / t
    logp = torch.log_softmax(z, dim=-1)
    k = min(top_k, logp.shape[-1])
    vals, _ = torch.topk(logp, k, dim=-1, largest=True, sorted=True)
    probs = torch.exp(vals.detach())
    cum = torch.cumsum(probs, dim=-1)
    keep = (cum - probs) < p_thr if include_crossing else cum < p_thr
    any_keep = keep[..., :1]
    # rows with an empty set: compute on the top-1 alone (finite, zero entropy) and zero them below
    keep = keep | (~any_keep & (torch.arange(k, device=keep.device) == 0))
    neg_inf = torch.full_like(vals, -math.inf)
    lk = torch.where(keep, vals, neg_inf)
    lse = torch.logsumexp(lk, dim=-1, keepdim=True)
    q = torch.exp(lk - lse)
    h = lse.squeeze(-1) - torch.where(keep, q * vals, torch.zeros_like(vals)).sum(-1)
    return torch.where(any_keep.squeeze(-1), h, torch.zeros_like(h))


@torch.no_grad()
def peak_entropy_mask(entropy, response_mask, *, quantile: float = 0.8, quantile_upper: float | None = None):
    r"""Bool mask of each response's peak-entropy positions: :math:`H_t \ge Q_q(\{H_s\}_{s\ \mathrm{valid}})`.

    The quantile (linear interpolation, ``torch.nanquantile``) runs per sequence over its valid tokens
    (SIREN's ``mask_ratio = 0.8`` keeps the top 20 %). With ``quantile_upper``, positions above that
    quantile are dropped too. Padding is never kept.

    Examples
    --------
    >>> import torch
    >>> h = torch.arange(1.0, 11.0)[None]  # entropies 1..10: the 0.8 quantile is 8.2
    >>> peak_entropy_mask(h, torch.ones(1, 10)).nonzero()[:, 1].tolist()
    [8, 9]
    """
    entropy = _float_tensor(entropy, "entropy")
    m = _as_mask(response_mask, entropy)
    q = _real(quantile, "quantile", low=0.0, high=1.0)
    valid = m > 0
    h = torch.where(valid, entropy.detach(), torch.full_like(entropy, math.nan))
    lead = h.shape[:-1]
    flat = h.reshape(-1, h.shape[-1])
    rows = max(1, _NANQUANTILE_MAX // max(1, flat.shape[-1]))
    qs = [q] if quantile_upper is None else [q, _real(quantile_upper, "quantile_upper", low=q, high=1.0)]
    qt = torch.tensor(qs, dtype=flat.dtype, device=flat.device)
    thr = torch.cat([torch.nanquantile(c, qt, dim=-1, keepdim=True).movedim(0, -1).squeeze(-2)
                     for c in flat.split(rows, dim=0)], dim=0) if flat.shape[0] else flat.new_zeros(0, len(qs))
    thr = thr.reshape(*lead, 1, len(qs))
    # Deviation from the strict ">" of the reading "above the quantile": ">=" only differs on ties, where ">"
    # would keep nothing (e.g. a uniform start: every position has the same entropy, the mask would be empty and
    # SIREN's anchor would be 0, dragging the entropy down).
    out = valid & (entropy >= thr[..., 0])
    if quantile_upper is not None:
        out = out & (entropy <= thr[..., 1])
    return out


class SirenRegularizer:
    r"""SIREN's self-anchored entropy regulariser :math:`\lambda(\hat H - H_{anchor})^2` (Sec. 3 of [1]_).

    :math:`\hat H` = agg over the peak-entropy positions (:func:`peak_entropy_mask`) of the top-p
    entropy (:func:`top_p_entropy`). The anchor is :math:`\hat H` of the **first** batch seen (or set with
    :meth:`set_anchor`) and then held fixed, so the term pulls the entropy back to its initial level from
    both sides instead of pushing it up without limit.

    Parameters
    ----------
    coef : float
        λ (SIREN's ``entropy_coeff``, 0.005).
    top_p, top_k, include_crossing, temperature : see :func:`top_p_entropy`.
    quantile, quantile_upper : see :func:`peak_entropy_mask` (``mask_ratio`` = 0.8).
    agg : str
        verl aggregation of the masked entropies (``entropy_agg_mode``, default ``seq-mean-token-mean``).
    anchor : float, optional
        A fixed anchor (otherwise taken from the first call).

    Attributes
    ----------
    anchor : torch.Tensor or None
        0-dim tensor on the device of the first batch (no host sync).

    References
    ----------
    .. [1] SIREN authors (2025). Rethinking Entropy Regularization in Large Reasoning Models.
       arXiv:2509.25133.
    """

    def __init__(self, coef: float = 0.005, *, top_p: float = 0.8, top_k: int = 10_000, quantile: float = 0.8,
                 quantile_upper: float | None = None, agg: str = "seq-mean-token-mean",
                 include_crossing: bool = False, temperature: float = 1.0, anchor: float | None = None):
        self.coef = _real(coef, "coef", low=0.0)
        self.top_p = _real(top_p, "top_p", low=0.0, high=1.0, low_open=True)
        if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
            raise InvalidParameterError(f"`top_k` must be a positive integer; got {top_k!r}")
        self.top_k = top_k
        self.quantile = _real(quantile, "quantile", low=0.0, high=1.0)
        self.quantile_upper = quantile_upper
        if agg not in LOSS_AGG_MODES:
            raise InvalidParameterError(
                f"`agg` must be one of {{{', '.join(repr(m) for m in LOSS_AGG_MODES)}}}; got {agg!r}")
        self.agg = agg
        self.include_crossing = bool(include_crossing)
        self.temperature = _real(temperature, "temperature", low=0.0, low_open=True)
        self.anchor = None if anchor is None else torch.tensor(_real(anchor, "anchor"))

    def set_anchor(self, value) -> None:
        """Fix the anchor (a float or 0-dim tensor); ``None`` re-arms "anchor on the next call"."""
        self.anchor = None if value is None else torch.as_tensor(value).detach().clone()

    def masked_entropy(self, entropy_p, response_mask):
        """:math:`\\hat H` from precomputed top-p entropies ``[B, T]`` (differentiable)."""
        entropy_p = _float_tensor(entropy_p, "entropy_p")
        m = _as_mask(response_mask, entropy_p)
        peak = peak_entropy_mask(entropy_p, m, quantile=self.quantile, quantile_upper=self.quantile_upper)
        return _agg_kernel(entropy_p, m * peak.to(m.dtype), self.agg, None, None, None)

    def penalty_from_entropy(self, entropy_p, response_mask):
        """The regulariser from precomputed top-p entropies; returns ``(penalty, metrics)``."""
        h_hat = self.masked_entropy(entropy_p, response_mask)
        if self.anchor is None:
            self.anchor = h_hat.detach().clone()
        anchor = self.anchor.to(device=h_hat.device, dtype=h_hat.dtype)
        penalty = self.coef * (h_hat - anchor) ** 2
        return penalty, {"siren/entropy": h_hat.detach(), "siren/anchor": anchor, "siren/penalty": penalty.detach()}

    def __call__(self, logits, response_mask):
        """``(penalty, metrics)`` for logits ``[B, T, V]`` (sets the anchor on the first call)."""
        hp = top_p_entropy(logits, top_p=self.top_p, top_k=self.top_k, include_crossing=self.include_crossing,
                           temperature=self.temperature)
        return self.penalty_from_entropy(hp, response_mask)


def policy_loss_siren(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                      logits, regularizer: SirenRegularizer, clip_low: float = 0.2, clip_high: float | None = 0.28,
                      clip_c: float | None = 3.0, is_weights=None, **agg_kwargs):
    """Vanilla PPO loss plus :class:`SirenRegularizer` on ``logits`` ``[B, T, V]`` (at the training temperature).

    Defaults follow SIREN's script (ε = 0.28 high). The regulariser's state (anchor) lives in ``regularizer``.
    """
    _check_mode(loss_agg_mode)
    loss, metrics = policy_loss_vanilla(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode,
                                        clip_low=clip_low, clip_high=clip_high, clip_c=clip_c,
                                        is_weights=is_weights, **agg_kwargs)
    penalty, reg_metrics = regularizer(logits, response_mask)
    metrics.update(reg_metrics)
    return loss + penalty, metrics
