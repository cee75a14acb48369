"""Shared torch core of the RL entropy-control methods: entropy from logits, masked reductions, verl's four
loss aggregations, the token covariance of Cui et al., the entropy discriminator of Wang et al., first-order
entropy changes, and the PPO clip helper every policy loss builds on.

Everything is pure (no input is modified), works on any device, and never synchronises with the host
(no ``.item()`` / ``.cpu()``) so the losses built on it stay fast on accelerators. Entropies are in nats.

References
----------
.. [1] Cui, G. et al. (2025). The Entropy Mechanism of Reinforcement Learning for Reasoning Language Models.
   arXiv:2505.22617.
.. [2] Wang, Xie, Zhang, Sun, Chen, Li, Zhang (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of
   Large Language Models. arXiv:2602.03392.
.. [3] Schulman, J. et al. (2017). Proximal Policy Optimization Algorithms. arXiv:1707.06347.
.. [4] Ye, D. et al. (2020). Mastering Complex Control in MOBA Games with Deep RL (dual-clip PPO).
   arXiv:1912.09729.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import torch

from ...exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "LOSS_AGG_MODES",
    "entropy_from_logits",
    "entropy_from_logprobs",
    "masked_sum",
    "masked_mean",
    "masked_var",
    "agg_loss",
    "token_covariance",
    "entropy_discriminator",
    "expected_discriminator",
    "first_order_entropy_change",
    "predicted_pg_entropy_change",
    "PPOClipResult",
    "ppo_clip_loss",
]

LOSS_AGG_MODES = ("token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm")


# ---------------------------------------------------------------------------------------------------------
# validation helpers (shape / type / parameter checks only: no device syncs)
# ---------------------------------------------------------------------------------------------------------
def _tensor(x, name: str) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        raise InvalidInputTypeError(
            f"`{name}` must be a torch.Tensor; got {type(x).__name__}; convert it with torch.as_tensor(...)"
        )
    return x


def _float_tensor(x, name: str) -> torch.Tensor:
    x = _tensor(x, name)
    if not x.is_floating_point():
        raise InvalidInputTypeError(
            f"`{name}` must be a floating-point tensor; got dtype {x.dtype}; cast it with .float()"
        )
    return x


def _same_shape(a: torch.Tensor, b: torch.Tensor, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ShapeMismatchError(
            f"`{name_a}` and `{name_b}` must have the same shape (one entry per response token); "
            f"got {tuple(a.shape)} and {tuple(b.shape)}"
        )


def _as_mask(mask, like: torch.Tensor, name: str = "response_mask") -> torch.Tensor:
    """A float mask with ``like``'s dtype and shape (bool / int / float masks are accepted, as in verl)."""
    mask = _tensor(mask, name)
    _same_shape(like, mask, "loss tensor" if name == "loss_mask" else "log_prob", name)
    return mask.to(dtype=like.dtype)


def _real(value, name: str, *, low=None, high=None, low_open=False, high_open=False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(float(value)):
        raise InvalidParameterError(f"`{name}` must be a real number; got {value!r}")
    v = float(value)
    if low is not None and (v < low or (low_open and v == low)):
        raise InvalidParameterError(f"`{name}` must be {'>' if low_open else '>='} {low}; got {value!r}")
    if high is not None and (v > high or (high_open and v == high)):
        raise InvalidParameterError(f"`{name}` must be {'<' if high_open else '<='} {high}; got {value!r}")
    return v


def _check_mode(mode) -> str:
    if mode not in LOSS_AGG_MODES:
        raise InvalidParameterError(
            f"`loss_agg_mode` must be one of {{{', '.join(repr(m) for m in LOSS_AGG_MODES)}}}; got {mode!r}"
        )
    return mode


def _work_dtype(x: torch.Tensor) -> torch.dtype:
    # fp32 at least: half-precision logits are upcast (entropy in bf16 loses ~2 digits)
    return torch.float64 if x.dtype == torch.float64 else torch.float32


# ---------------------------------------------------------------------------------------------------------
# entropy
# ---------------------------------------------------------------------------------------------------------
def _entropy_kernel(z: torch.Tensor, dim: int) -> torch.Tensor:
    # H = logsumexp(z) - sum softmax(z) * z  (stable; masked -inf entries contribute 0)
    lse = torch.logsumexp(z, dim=dim, keepdim=True)
    p = torch.exp(z - lse)
    pz = torch.where(p > 0, p * z, torch.zeros((), dtype=z.dtype, device=z.device))
    return lse.squeeze(dim) - pz.sum(dim=dim)


def entropy_from_logits(logits, dim: int = -1, *, temperature: float = 1.0, chunk_size: int | None = None):
    r"""Entropy of softmax(logits / T) along ``dim``: :math:`H = \log\sum_j e^{z_j} - \sum_j p_j z_j` (nats).

    Parameters
    ----------
    logits : torch.Tensor
        Unnormalised log-probabilities, e.g. ``[B, T, V]``. ``-inf`` marks a masked token.
    dim : int
        The vocabulary axis.
    temperature : float
        The logits are divided by it first (use the rollout temperature, as verl and TRL do).
    chunk_size : int, optional
        Compute over at most this many rows (positions) at a time to bound the memory of the fp32 copy of
        the ``[rows, V]`` logits; the result is identical.

    Returns
    -------
    torch.Tensor
        The entropies, ``logits`` without ``dim``, in fp32 (fp64 for fp64 input); differentiable.

    Notes
    -----
    .. math:: H(p) = -\sum_j p_j \log p_j = \operatorname{logsumexp}(z) - \sum_j p_j z_j,\quad p = \mathrm{softmax}(z/T).

    Examples
    --------
    >>> import torch, math
    >>> float(entropy_from_logits(torch.zeros(4)))  # uniform over 4 tokens: log 4
    1.3862943649291992
    """
    logits = _float_tensor(logits, "logits")
    if logits.ndim == 0:
        raise ShapeMismatchError("`logits` must have a vocabulary axis; got a scalar")
    t = _real(temperature, "temperature", low=0.0, low_open=True)
    z = logits.to(_work_dtype(logits))
    if t != 1.0:
        z = z / t
    dim = dim % z.ndim
    if chunk_size is None:
        return _entropy_kernel(z, dim)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, numbers.Integral) or chunk_size < 1:
        raise InvalidParameterError(f"`chunk_size` must be a positive integer or None; got {chunk_size!r}")
    zm = z.movedim(dim, -1)
    lead = zm.shape[:-1]
    flat = zm.reshape(-1, zm.shape[-1])
    out = torch.cat([_entropy_kernel(c, -1) for c in flat.split(int(chunk_size), dim=0)]) if flat.shape[0] else \
        flat.new_zeros(0)
    return out.reshape(lead)


def entropy_from_logprobs(log_probs, dim: int = -1):
    r"""Entropy :math:`-\sum_j e^{\ell_j}\ell_j` of normalised log-probabilities ``log_probs`` (nats).

    Examples
    --------
    >>> import torch, math
    >>> round(float(entropy_from_logprobs(torch.log(torch.tensor([0.5, 0.5])))), 6)  # a fair coin: log 2
    0.693147
    """
    lp = _float_tensor(log_probs, "log_probs")
    lp = lp.to(_work_dtype(lp))
    p = torch.exp(lp)
    return -torch.where(p > 0, p * lp, torch.zeros((), dtype=lp.dtype, device=lp.device)).sum(dim=dim)


# ---------------------------------------------------------------------------------------------------------
# masked reductions and verl's aggregation
# ---------------------------------------------------------------------------------------------------------
def masked_sum(x, mask, dim=None):
    """Sum of ``x * mask`` (over everything, or along ``dim``)."""
    x = _float_tensor(x, "x")
    m = _as_mask(mask, x, "mask")
    return (x * m).sum() if dim is None else (x * m).sum(dim=dim)


def masked_mean(x, mask, dim=None):
    """Mean of ``x`` over the entries where ``mask`` is 1: sum(x·m) / max(sum(m), 1) (0 when nothing is valid)."""
    x = _float_tensor(x, "x")
    m = _as_mask(mask, x, "mask")
    if dim is None:
        return (x * m).sum() / m.sum().clamp(min=1.0)
    return (x * m).sum(dim=dim) / m.sum(dim=dim).clamp(min=1.0)


def masked_var(x, mask, *, unbiased: bool = False):
    """Variance of the valid entries of ``x`` (population variance by default; ``unbiased`` divides by N-1)."""
    x = _float_tensor(x, "x")
    m = _as_mask(mask, x, "mask")
    n = m.sum()
    mean = (x * m).sum() / n.clamp(min=1.0)
    ss = (((x - mean) ** 2) * m).sum()
    return ss / (n - 1).clamp(min=1.0) if unbiased else ss / n.clamp(min=1.0)


def _agg_kernel(loss_mat, m, mode, num_tokens, num_seqs, scale_factor):
    lm = loss_mat * m
    if mode == "token-mean":
        denom = m.sum().clamp(min=1.0) if num_tokens is None else num_tokens
        return lm.sum() / denom
    seq_tokens = m.sum(dim=-1)
    if num_seqs is None:
        # Deviation from verl's torch.mean over every row: fully padded rows are not counted (verl gives NaN
        # for them in seq-mean-token-mean), so the loss is invariant to padding rows too.
        num_seqs = (seq_tokens > 0).to(lm.dtype).sum().clamp(min=1.0)
    if mode == "seq-mean-token-sum":
        return lm.sum(dim=-1).sum() / num_seqs
    if mode == "seq-mean-token-mean":
        return (lm.sum(dim=-1) / seq_tokens.clamp(min=1.0)).sum() / num_seqs
    # seq-mean-token-sum-norm (Dr. GRPO): the token sum over a constant horizon
    return lm.sum() / (loss_mat.shape[-1] if scale_factor is None else scale_factor)


def agg_loss(loss_mat, loss_mask, loss_agg_mode: str = "token-mean", *, num_tokens=None, num_seqs=None,
             scale_factor=None):
    r"""Aggregate a per-token loss ``[B, T]`` into a scalar with one of verl's four modes.

    Parameters
    ----------
    loss_mat : torch.Tensor
        Per-token losses ``[B, T]`` (rows = sequences).
    loss_mask : torch.Tensor
        1 for valid response tokens, 0 for padding (bool, int or float).
    loss_agg_mode : {"token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm"}
        * ``token-mean``: :math:`\sum_{i,t} m_{it}\ell_{it} / N` with N the number of valid tokens;
        * ``seq-mean-token-sum``: :math:`\frac1S\sum_i \sum_t m_{it}\ell_{it}`;
        * ``seq-mean-token-mean``: :math:`\frac1S\sum_i \frac{\sum_t m_{it}\ell_{it}}{\sum_t m_{it}}`;
        * ``seq-mean-token-sum-norm``: :math:`\sum_{i,t} m_{it}\ell_{it} / L` (Dr. GRPO; L = ``scale_factor``,
          by default the padded length T, as in verl).

        S is the number of sequences with at least one valid token.
    num_tokens, num_seqs, scale_factor : float or Tensor, optional
        Global denominators (N, S, L) to make the result invariant to micro-batching / data parallelism
        (verl's ``global_batch_info``); default: this batch's own.

    Returns
    -------
    torch.Tensor
        A scalar; differentiable in ``loss_mat``.

    Examples
    --------
    >>> import torch
    >>> l = torch.tensor([[1.0, 2.0, 0.0], [4.0, 0.0, 0.0]]); m = torch.tensor([[1, 1, 0], [1, 0, 0]])
    >>> float(agg_loss(l, m, "token-mean")), float(agg_loss(l, m, "seq-mean-token-mean"))
    (2.3333332538604736, 2.75)
    """
    loss_mat = _float_tensor(loss_mat, "loss_mat")
    m = _as_mask(loss_mask, loss_mat, "loss_mask")
    _check_mode(loss_agg_mode)
    if loss_mat.ndim != 2 and loss_agg_mode != "token-mean":
        raise ShapeMismatchError(
            f"`loss_mat` must be [batch, tokens] for loss_agg_mode={loss_agg_mode!r}; got shape {tuple(loss_mat.shape)}"
        )
    return _agg_kernel(loss_mat, m, loss_agg_mode, num_tokens, num_seqs, scale_factor)


# ---------------------------------------------------------------------------------------------------------
# covariance, discriminator, first-order entropy changes
# ---------------------------------------------------------------------------------------------------------
def _token_cov_kernel(log_prob, advantages, m):
    n = m.sum().clamp(min=1.0)
    lp = log_prob.detach()
    a = advantages.detach()
    lp_c = lp - (lp * m).sum() / n
    a_c = a - (a * m).sum() / n
    return lp_c * a_c * m


def token_covariance(log_prob, advantages, response_mask):
    r"""Per-token centred cross-product :math:`(\log\pi(y_i) - \overline{\log\pi})(A_i - \bar A)` (Cui et al.).

    The means run over the valid tokens of the batch; padding gets 0. Its mean over valid tokens is the
    batch covariance of log-probability and advantage whose sign drives the entropy change (Eq. (10)-(12)
    of [1]_); Clip-Cov and KL-Cov select tokens by it. Computed without gradient.

    References
    ----------
    .. [1] Cui, G. et al. (2025). The Entropy Mechanism of Reinforcement Learning for Reasoning Language
       Models. arXiv:2505.22617.

    Examples
    --------
    >>> import torch
    >>> token_covariance(torch.tensor([[0.0, -2.0]]), torch.tensor([[1.0, -1.0]]), torch.ones(1, 2))
    tensor([[1., 1.]])
    """
    log_prob = _float_tensor(log_prob, "log_prob")
    advantages = _float_tensor(advantages, "advantages")
    _same_shape(log_prob, advantages, "log_prob", "advantages")
    m = _as_mask(response_mask, log_prob)
    return _token_cov_kernel(log_prob, advantages, m)


def entropy_discriminator(log_prob, entropy):
    r"""Entropy-change discriminator :math:`S = p\,(H + \log p)` of a token with log-probability ``log_prob``.

    Theorem 3.2 of [1]_: raising that token's logit by ε changes the entropy by :math:`-\varepsilon S + O(\varepsilon^2)`.
    S > 0 exactly when :math:`p > e^{-H}` (a more-probable-than-typical token: rewarding it lowers entropy);
    over a whole vocabulary :math:`\sum_j S_j = 0`.

    References
    ----------
    .. [1] Wang et al. (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of LLMs. arXiv:2602.03392.

    Examples
    --------
    >>> import torch, math
    >>> float(entropy_discriminator(torch.tensor(math.log(0.5)), torch.tensor(math.log(2.0))))  # fair coin
    0.0
    """
    log_prob = _float_tensor(log_prob, "log_prob")
    entropy = _float_tensor(entropy, "entropy")
    return torch.exp(log_prob) * (entropy + log_prob)


def expected_discriminator(logits, dim: int = -1, *, temperature: float = 1.0):
    r""":math:`\mathbb E_{j\sim p}[S_j] = \sum_j p_j^2(\log p_j + H)` for p = softmax(logits/T) (nats).

    The vocabulary-centring term of the GRPO entropy change (Theorem 3.3 of [1]_ as re-derived in
    :func:`predicted_pg_entropy_change`).

    References
    ----------
    .. [1] Wang et al. (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of LLMs. arXiv:2602.03392.
    """
    logits = _float_tensor(logits, "logits")
    t = _real(temperature, "temperature", low=0.0, low_open=True)
    z = logits.to(_work_dtype(logits)) / t
    lp = torch.log_softmax(z, dim=dim)
    p = torch.exp(lp)
    h = -torch.where(p > 0, p * lp, torch.zeros((), dtype=lp.dtype, device=lp.device)).sum(dim=dim, keepdim=True)
    s = torch.where(p > 0, p * (h + lp), torch.zeros((), dtype=lp.dtype, device=lp.device))
    return (p * s).sum(dim=dim)


def first_order_entropy_change(logits, delta_logits, dim: int = -1):
    r"""First-order entropy change :math:`\Delta H \approx -\mathrm{Cov}_{a\sim\pi}(\log\pi(a), \Delta z_a)`.

    For a softmax policy with logits z moved to z + Δz (Lemma 1 / Eq. (5) of [1]_).

    Parameters
    ----------
    logits, delta_logits : torch.Tensor
        Same shape; the vocabulary on ``dim``.

    Returns
    -------
    torch.Tensor
        The predicted change in nats, one per distribution.

    References
    ----------
    .. [1] Cui, G. et al. (2025). The Entropy Mechanism of RL for Reasoning LMs. arXiv:2505.22617.

    Examples
    --------
    >>> import torch
    >>> abs(float(first_order_entropy_change(torch.zeros(3), torch.tensor([1.0, 0.0, 0.0]))))  # uniform: stationary
    0.0
    """
    logits = _float_tensor(logits, "logits")
    delta_logits = _float_tensor(delta_logits, "delta_logits")
    _same_shape(logits, delta_logits, "logits", "delta_logits")
    wd = _work_dtype(logits)
    lp = torch.log_softmax(logits.to(wd), dim=dim)
    p = torch.exp(lp)
    dz = delta_logits.to(wd)
    lpz = torch.where(p > 0, lp, torch.zeros((), dtype=wd, device=lp.device))
    e_lp = (p * lpz).sum(dim=dim, keepdim=True)
    e_dz = (p * dz).sum(dim=dim, keepdim=True)
    return -(p * (lpz - e_lp) * (dz - e_dz)).sum(dim=dim)


def predicted_pg_entropy_change(logits, token, advantage, lr, *, ratio=1.0, dim: int = -1):
    r"""Predicted entropy change of one GRPO/PPO step on a sampled ``token``: :math:`-\eta A\rho\,(S_k - \mathbb E_p S)`.

    The step is gradient ascent on :math:`A\rho` directly in the logits, :math:`\Delta z = \eta A \rho (e_k - p)`,
    and by :func:`first_order_entropy_change` :math:`\Delta H \approx -\eta A\rho\,(S_k - \sum_j p_j S_j)` with
    :math:`S_j = p_j(H + \log p_j)` (Theorem 3.3 of [1]_, re-derived; checked by finite differences in the tests).

    Parameters
    ----------
    logits : torch.Tensor
        ``[..., V]``.
    token : torch.Tensor
        Integer indices ``[...]`` of the sampled tokens.
    advantage, lr, ratio : float or torch.Tensor
        A, η and the importance ratio ρ (broadcast against ``token``).

    References
    ----------
    .. [1] Wang et al. (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of LLMs. arXiv:2602.03392.
    """
    logits = _float_tensor(logits, "logits")
    token = _tensor(token, "token")
    if token.is_floating_point():
        raise InvalidInputTypeError(f"`token` must be an integer tensor of indices; got dtype {token.dtype}")
    wd = _work_dtype(logits)
    z = logits.to(wd).movedim(dim, -1)
    lp = torch.log_softmax(z, dim=-1)
    p = torch.exp(lp)
    zero = torch.zeros((), dtype=wd, device=z.device)
    h = -torch.where(p > 0, p * lp, zero).sum(-1, keepdim=True)
    s = torch.where(p > 0, p * (h + lp), zero)
    e_s = (p * s).sum(-1)
    s_k = s.gather(-1, token.long().unsqueeze(-1)).squeeze(-1)
    return -lr * advantage * ratio * (s_k - e_s)


# ---------------------------------------------------------------------------------------------------------
# PPO clip
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PPOClipResult:
    """Per-token pieces of the clipped surrogate (all ``[B, T]``).

    Attributes
    ----------
    loss : per-token loss (minimised), with dual clip when ``clip_c`` was given.
    ratio : importance ratio ρ = exp(log π − log π_old).
    log_ratio : log π − log π_old.
    clipped : bool, the clipped branch is active (``-A·clip(ρ) > -A·ρ``), verl's ``pg_clipfrac`` numerator.
    clipped_lower : bool, the dual-clip bound ``-A·c`` is active (A < 0 only).
    """

    loss: torch.Tensor
    ratio: torch.Tensor
    log_ratio: torch.Tensor
    clipped: torch.Tensor
    clipped_lower: torch.Tensor


def _ppo_kernel(old_log_prob, log_prob, advantages, clip_low, clip_high, clip_c, clamp_log_ratio=20.0):
    log_ratio = log_prob - old_log_prob
    if clamp_log_ratio is not None:
        log_ratio = torch.clamp(log_ratio, min=-clamp_log_ratio, max=clamp_log_ratio)
    ratio = torch.exp(log_ratio)
    l1 = -advantages * ratio
    l2 = -advantages * torch.clamp(ratio, 1.0 - clip_low, 1.0 + clip_high)
    loss = torch.maximum(l1, l2)
    clipped = l2 > l1
    if clip_c is None:
        clipped_lower = torch.zeros_like(clipped)
    else:
        l3 = -advantages * clip_c
        clipped_lower = (loss > l3) & (advantages < 0)
        loss = torch.where(advantages < 0, torch.minimum(l3, loss), loss)
    return PPOClipResult(loss, ratio, log_ratio, clipped, clipped_lower)


def ppo_clip_loss(old_log_prob, log_prob, advantages, *, clip_low: float = 0.2, clip_high: float | None = None,
                  clip_c: float | None = 3.0) -> PPOClipResult:
    r"""Per-token clipped PPO surrogate :math:`\max(-A\rho, -A\,\mathrm{clip}(\rho, 1-\varepsilon_l, 1+\varepsilon_h))`.

    With ``clip_c`` (dual clip, [2]_), tokens with A < 0 are further bounded by :math:`-A\,c`:
    ``loss = min(-A·c, loss)``. The log-ratio is clamped to ±20 before exponentiating, as in verl.

    Parameters
    ----------
    old_log_prob, log_prob, advantages : torch.Tensor
        ``[B, T]`` each (advantages may broadcast, e.g. ``[B, 1]``).
    clip_low, clip_high : float
        ε_low and ε_high (``clip_high=None``: ε_high = ε_low).
    clip_c : float or None
        The dual-clip constant (> 1), or None to switch dual clip off.

    Returns
    -------
    PPOClipResult

    References
    ----------
    .. [1] Schulman, J. et al. (2017). Proximal Policy Optimization Algorithms. arXiv:1707.06347. Eq. (7).
    .. [2] Ye, D. et al. (2020). Mastering Complex Control in MOBA Games with Deep RL. arXiv:1912.09729.
    """
    old_log_prob = _float_tensor(old_log_prob, "old_log_prob")
    log_prob = _float_tensor(log_prob, "log_prob")
    advantages = _float_tensor(advantages, "advantages")
    _same_shape(old_log_prob, log_prob, "old_log_prob", "log_prob")
    lo = _real(clip_low, "clip_low", low=0.0)
    hi = lo if clip_high is None else _real(clip_high, "clip_high", low=0.0)
    c = None if clip_c is None else _real(clip_c, "clip_c", low=1.0, low_open=True)
    return _ppo_kernel(old_log_prob, log_prob, advantages, lo, hi, c)
