"""Entropy-control policy losses as pure torch functions with verl's argument order:
``(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode, *, knobs...) -> (loss, metrics)``.

* :func:`policy_loss_vanilla` -- dual-clip PPO / GRPO token loss (the baseline).
* :func:`policy_loss_clip_cov`, :func:`policy_loss_kl_cov` -- Cui et al. (2025), Sec. 4.
* :func:`steer_token_weights`, :func:`policy_loss_steer` -- STEER (arXiv 2510.10150), following its code.
* :func:`clip_b_mask`, :func:`policy_loss_clip_b` -- discriminator clipping of Wang et al. (2026).

``metrics`` values are detached 0-dim tensors (convert with ``float`` outside the hot path): no loss here
synchronises with the host. Every random selection takes a ``torch.Generator``.

References
----------
.. [1] Cui, G. et al. (2025). The Entropy Mechanism of Reinforcement Learning for Reasoning Language Models.
   arXiv:2505.22617.
.. [2] STEER authors (2025). Rethinking Entropy Interventions in RLVR: An Entropy Change Perspective (STEER).
   arXiv:2510.10150.
.. [3] Wang, Xie, Zhang, Sun, Chen, Li, Zhang (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of
   Large Language Models. arXiv:2602.03392.
"""

from __future__ import annotations

import math

import torch

from .core import (
    _agg_kernel,
    _as_mask,
    _check_mode,
    _float_tensor,
    _ppo_kernel,
    _real,
    _same_shape,
    _token_cov_kernel,
)
from ...exceptions import InvalidParameterError

__all__ = [
    "policy_loss_vanilla",
    "policy_loss_clip_cov",
    "policy_loss_kl_cov",
    "steer_token_weights",
    "policy_loss_steer",
    "clip_b_mask",
    "policy_loss_clip_b",
]


def _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode):
    old_log_prob = _float_tensor(old_log_prob, "old_log_prob")
    log_prob = _float_tensor(log_prob, "log_prob")
    advantages = _float_tensor(advantages, "advantages")
    _same_shape(old_log_prob, log_prob, "old_log_prob", "log_prob")
    if advantages.shape != log_prob.shape:
        try:
            advantages = advantages.expand_as(log_prob)
        except RuntimeError:
            _same_shape(log_prob, advantages, "log_prob", "advantages")
    m = _as_mask(response_mask, log_prob)
    _check_mode(loss_agg_mode)
    return old_log_prob, log_prob, advantages, m


def _masked_mean(x, m):
    return (x.to(m.dtype) * m).sum() / m.sum().clamp(min=1.0)


def _finish(loss_mat, m, loss_agg_mode, is_weights, agg_kwargs):
    if is_weights is not None:
        loss_mat = loss_mat * is_weights
    return _agg_kernel(loss_mat, m, loss_agg_mode, agg_kwargs.get("num_tokens"), agg_kwargs.get("num_seqs"),
                       agg_kwargs.get("scale_factor"))


def _count(m, ratio, name):
    """k = max(1, floor(N * ratio)) on the device (N = number of valid tokens), and a host upper bound."""
    r = _real(ratio, name, low=0.0, high=1.0, low_open=True)
    n_valid = (m > 0).sum().to(torch.float64)
    k = torch.floor(n_valid * r).clamp(min=1.0)
    k_max = max(int(m.numel() * r), 1)  # >= k, known from the shape alone (no sync)
    return k, min(k_max, m.numel())


def _top_k_select(keys, k, k_max, eligible):
    """Bool mask of the (at most) ``k`` largest ``keys`` among ``eligible`` entries; ``k`` may be a device tensor."""
    flat = keys.reshape(-1)
    vals, idx = torch.topk(flat, k_max, largest=True, sorted=True)
    take = (torch.arange(k_max, device=flat.device, dtype=torch.float64) < k) & eligible.reshape(-1)[idx]
    out = torch.zeros(flat.shape, dtype=torch.bool, device=flat.device)
    out = out.scatter(0, idx, take)
    return out.reshape(keys.shape)


# ---------------------------------------------------------------------------------------------------------
def policy_loss_vanilla(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                        clip_low: float = 0.2, clip_high: float | None = None, clip_c: float | None = 3.0,
                        is_weights=None, **agg_kwargs):
    r"""Dual-clip PPO / GRPO policy loss: agg of :math:`\max(-A\rho, -A\,\mathrm{clip}(\rho,1-\varepsilon_l,1+\varepsilon_h))`.

    verl's ``vanilla`` policy loss: tokens with A < 0 are also bounded by :math:`-A\,c` (``clip_c``; None
    switches dual clip off). ``is_weights`` (verl's ``rollout_is_weights``) multiply the per-token loss.

    Returns
    -------
    loss : torch.Tensor
        Scalar, minimised.
    metrics : dict
        ``pg_clipfrac``, ``pg_clipfrac_lower``, ``ppo_kl`` (mean of log π_old − log π).
    """
    old_log_prob, log_prob, advantages, m = _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode)
    lo = _real(clip_low, "clip_low", low=0.0)
    hi = lo if clip_high is None else _real(clip_high, "clip_high", low=0.0)
    c = None if clip_c is None else _real(clip_c, "clip_c", low=1.0, low_open=True)
    res = _ppo_kernel(old_log_prob, log_prob, advantages, lo, hi, c)
    loss = _finish(res.loss, m, loss_agg_mode, is_weights, agg_kwargs)
    with torch.no_grad():
        metrics = {
            "pg_clipfrac": _masked_mean(res.clipped, m),
            "pg_clipfrac_lower": _masked_mean(res.clipped_lower, m),
            "ppo_kl": _masked_mean(-res.log_ratio, m),
        }
    return loss, metrics


def policy_loss_clip_cov(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                         clip_low: float = 0.2, clip_high: float | None = None, clip_cov_ratio: float = 2e-4,
                         clip_cov_lb: float = 1.0, clip_cov_ub: float = 5.0, generator: torch.Generator | None = None,
                         is_weights=None, return_selected: bool = False, **agg_kwargs):
    r"""Clip-Cov (Sec. 4.1 of [1]_): detach a random few tokens whose covariance lies in (ω_low, ω_high).

    1. :math:`\mathrm{Cov}_i = (\log\pi(y_i) - \overline{\log\pi})(A_i - \bar A)` over the valid tokens
       (:func:`~infokit.methods.rl.core.token_covariance`).
    2. Candidates: valid tokens with ω_low < Cov_i < ω_high that PPO did not already clip.
    3. ``max(int(clip_cov_ratio * N), 1)`` of them, chosen uniformly at random (``generator``), get
       loss 0 (no gradient); the others keep the clipped PPO loss (no dual clip, as in [1]_ / verl).

    Parameters
    ----------
    clip_cov_ratio : float
        Fraction r of the N valid tokens to detach (paper / verl default 2e-4).
    clip_cov_lb, clip_cov_ub : float
        ω_low, ω_high (1 and 5). They bound the *raw* product, so they depend on the advantage scale.
    clip_low, clip_high : float
        PPO ε. verl's default is 0.2; the paper's scripts use 1.0 / 1.0 (ratio clamp [0, 2]).
    generator : torch.Generator, optional
        On the tensors' device; None uses torch's global RNG (verl uses ``torch.randperm``).
    return_selected : bool
        Also return the bool ``[B, T]`` mask of detached tokens (third element).

    Returns
    -------
    loss, metrics (, selected)
        ``metrics``: ``pg_clipfrac`` (fraction of valid tokens detached, verl's meaning), ``ppo_kl``,
        ``clip_cov/n_candidates``.

    Notes
    -----
    The selection runs on the device: ``torch.topk`` over random keys with a host bound ``int(r·B·T)`` on k;
    the exact k = max(1, ⌊r·N⌋) is applied on the device (no ``.item()``), so the result equals verl's
    selection rule with a different random stream.

    References
    ----------
    .. [1] Cui, G. et al. (2025). The Entropy Mechanism of RL for Reasoning LMs. arXiv:2505.22617. Sec. 4.
    """
    old_log_prob, log_prob, advantages, m = _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode)
    lo = _real(clip_low, "clip_low", low=0.0)
    hi = lo if clip_high is None else _real(clip_high, "clip_high", low=0.0)
    lb = _real(clip_cov_lb, "clip_cov_lb")
    ub = _real(clip_cov_ub, "clip_cov_ub")
    if not lb < ub:
        raise InvalidParameterError(f"`clip_cov_lb` must be < `clip_cov_ub`; got {lb} and {ub}")
    k, k_max = _count(m, clip_cov_ratio, "clip_cov_ratio")
    res = _ppo_kernel(old_log_prob, log_prob, advantages, lo, hi, None, clamp_log_ratio=None)
    with torch.no_grad():
        cov = _token_cov_kernel(log_prob, advantages, m)
        cand = (m > 0) & ~res.clipped & (cov > lb) & (cov < ub)
        keys = torch.rand(log_prob.shape, generator=generator, device=log_prob.device, dtype=torch.float32)
        keys = torch.where(cand, keys, torch.full_like(keys, -1.0))
        selected = _top_k_select(keys, k, k_max, cand)
    loss_mat = res.loss * (~selected).to(res.loss.dtype)
    loss = _finish(loss_mat, m, loss_agg_mode, is_weights, agg_kwargs)
    with torch.no_grad():
        metrics = {
            "pg_clipfrac": _masked_mean(selected, m),
            "ppo_kl": _masked_mean(-res.log_ratio, m),
            "clip_cov/n_candidates": cand.sum().to(m.dtype),
        }
    return (loss, metrics, selected) if return_selected else (loss, metrics)


def policy_loss_kl_cov(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                       kl_cov_ratio: float = 2e-4, ppo_kl_coef: float = 1.0, is_weights=None,
                       return_selected: bool = False, **agg_kwargs):
    r"""KL-Cov (Sec. 4.2 of [1]_): a KL penalty :math:`\beta|\log\pi - \log\pi_{old}|` on the top-covariance tokens.

    Every valid token has loss :math:`-A\rho` (**no** PPO clip); the ``k = max(1, int(N * kl_cov_ratio))``
    tokens with the largest :func:`~infokit.methods.rl.core.token_covariance` get
    :math:`-A\rho + \beta\,|\log\pi - \log\pi_{old}|` in addition.

    Parameters
    ----------
    kl_cov_ratio : float
        A **fraction** in (0, 1] (verl's unit). The paper's repository's ``k_percent`` is a *percent*:
        its ``k_percent=0.2`` (7B) is ``kl_cov_ratio=2e-3``, ``0.02`` (32B) is ``2e-4``.
    ppo_kl_coef : float
        β; the paper's scripts use 1, verl's config defaults to 0.1.

    Notes
    -----
    Strictly on-policy (one epoch, one mini-batch) log π = log π_old, so the penalty and its gradient
    (the sub-gradient of |x| at 0 is 0 in torch) vanish: KL-Cov then equals vanilla PG. It needs
    off-policy steps (ppo_epochs > 1, several mini-batches, or TRL ``num_iterations >= 2``).

    Returns
    -------
    loss, metrics (, selected)
        ``metrics``: ``ppo_kl`` (mean |log-ratio|, as verl reports it), ``pg_clipfrac`` (0).

    References
    ----------
    .. [1] Cui, G. et al. (2025). The Entropy Mechanism of RL for Reasoning LMs. arXiv:2505.22617. Sec. 4.
    """
    old_log_prob, log_prob, advantages, m = _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode)
    beta = _real(ppo_kl_coef, "ppo_kl_coef", low=0.0)
    k, k_max = _count(m, kl_cov_ratio, "kl_cov_ratio")
    log_ratio = log_prob - old_log_prob
    ratio = torch.exp(log_ratio)
    abs_kl = log_ratio.abs()
    with torch.no_grad():
        valid = m > 0
        cov = _token_cov_kernel(log_prob, advantages, m)
        keys = torch.where(valid, cov, torch.full_like(cov, -math.inf))
        selected = _top_k_select(keys, k, k_max, valid)
    loss_mat = -advantages * ratio + beta * abs_kl * selected.to(abs_kl.dtype)
    loss = _finish(loss_mat, m, loss_agg_mode, is_weights, agg_kwargs)
    with torch.no_grad():
        metrics = {"ppo_kl": _masked_mean(abs_kl, m), "pg_clipfrac": torch.zeros((), device=m.device)}
    return (loss, metrics, selected) if return_selected else (loss, metrics)


# ---------------------------------------------------------------------------------------------------------
# STEER
# ---------------------------------------------------------------------------------------------------------
_STEER_MODES = ("exp", "linear")


@torch.no_grad()
def steer_token_weights(log_prob, old_log_prob, advantages, entropy, response_mask, *, w_min: float = 0.8,
                        w_max: float = 1.0, mode: str = "exp", min_scale: float = 0.02):
    r"""STEER token weights: down-weight the tokens whose update moves the entropy most.

    With :math:`x = \mathrm{clamp}(\pi_\theta(y_t), 10^{-8}, 1-10^{-8})`, the entropy impact is

    .. math:: \Omega_t = \frac{A_t}{\pi_{old}(y_t)}\,x(1-x)\,(\log x + H_t),

    the gradient of :math:`A\rho` w.r.t. the token's own logit times its entropy sensitivity
    (:math:`S/p` of Wang et al.). With :math:`m_t = |\Omega_t|` (non-finite → 0):

    * ``mode="exp"`` (the released runs): :math:`k = -\ln w_{min} / \max(\max_t m_t, 0.02)`,
      :math:`w_t = \mathrm{clamp}(e^{-k m_t}, w_{min}, w_{max})`; the largest |Ω| gets exactly w_min;
    * ``mode="linear"``: :math:`w_t = w_{max} - (m_t - m_{min})(w_{max}-w_{min})/(m_{max}-m_{min})`,
      clamped; all equal → :math:`(w_{min}+w_{max})/2`.

    Min / max run over the valid tokens of this (micro-)batch; padding gets weight 0. No gradient flows.

    Returns
    -------
    torch.Tensor
        ``[B, T]`` weights in [w_min, w_max] on valid tokens.

    Notes
    -----
    Follows ``compute_token_weights`` of the authors' code (zz-haooo/STEER); the paper's own derivation of
    Ω was not checked. In ``exp`` mode the code clamps to [w_min, 1]; ``w_max`` (default 1) is that 1.

    References
    ----------
    .. [1] STEER authors (2025). Rethinking Entropy Interventions in RLVR (STEER). arXiv:2510.10150.
    """
    log_prob = _float_tensor(log_prob, "log_prob")
    old_log_prob = _float_tensor(old_log_prob, "old_log_prob")
    advantages = _float_tensor(advantages, "advantages")
    entropy = _float_tensor(entropy, "entropy")
    _same_shape(log_prob, old_log_prob, "log_prob", "old_log_prob")
    _same_shape(log_prob, entropy, "log_prob", "entropy")
    advantages = advantages.expand_as(log_prob) if advantages.shape != log_prob.shape else advantages
    m = _as_mask(response_mask, log_prob)
    lo = _real(w_min, "w_min", low=0.0, low_open=True)
    hi = _real(w_max, "w_max", low=lo)
    if mode not in _STEER_MODES:
        raise InvalidParameterError(f"`mode` must be one of {{'exp', 'linear'}}; got {mode!r}")
    x = torch.exp(log_prob.detach()).clamp(1e-8, 1 - 1e-8)
    omega = advantages.detach() / torch.exp(old_log_prob.detach()) * x * (1 - x) * (torch.log(x) + entropy.detach())
    mag = torch.where(torch.isfinite(omega), omega.abs(), torch.zeros_like(omega))
    valid = m > 0
    m_max = torch.where(valid, mag, torch.full_like(mag, -math.inf)).amax()
    if mode == "exp":
        kk = -math.log(lo) / torch.clamp(m_max, min=float(min_scale))
        w = torch.clamp(torch.exp(-kk * mag), lo, hi)
    else:
        m_min = torch.where(valid, mag, torch.full_like(mag, math.inf)).amin()
        span = m_max - m_min
        lin = hi - (mag - m_min) * (hi - lo) / torch.where(span > 0, span, torch.ones_like(span))
        w = torch.where(span > 0, torch.clamp(lin, lo, hi), torch.full_like(mag, 0.5 * (lo + hi)))
    return w * valid.to(w.dtype)


def policy_loss_steer(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                      entropy, w_min: float = 0.8, w_max: float = 1.0, mode: str = "exp", clip_low: float = 0.2,
                      clip_high: float | None = 0.28, clip_c: float | None = 10.0, is_weights=None, **agg_kwargs):
    r"""STEER loss: the dual-clip PPO token loss times :func:`steer_token_weights`, then aggregated.

    ``entropy`` is the per-token entropy ``[B, T]`` of the current policy (verl drops it before the policy
    loss: see ``docs/rl.md``). Defaults are the released scripts' (ε_low 0.2, ε_high 0.28, c = 10).

    References
    ----------
    .. [1] STEER authors (2025). Rethinking Entropy Interventions in RLVR (STEER). arXiv:2510.10150.
    """
    old_log_prob, log_prob, advantages, m = _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode)
    lo = _real(clip_low, "clip_low", low=0.0)
    hi = lo if clip_high is None else _real(clip_high, "clip_high", low=0.0)
    c = None if clip_c is None else _real(clip_c, "clip_c", low=1.0, low_open=True)
    w = steer_token_weights(log_prob, old_log_prob, advantages, entropy, m, w_min=w_min, w_max=w_max, mode=mode)
    res = _ppo_kernel(old_log_prob, log_prob, advantages, lo, hi, c)
    loss = _finish(res.loss * w, m, loss_agg_mode, is_weights, agg_kwargs)
    with torch.no_grad():
        metrics = {
            "pg_clipfrac": _masked_mean(res.clipped, m),
            "pg_clipfrac_lower": _masked_mean(res.clipped_lower, m),
            "ppo_kl": _masked_mean(-res.log_ratio, m),
            "steer/weight_mean": _masked_mean(w, m),
        }
    return loss, metrics


# ---------------------------------------------------------------------------------------------------------
# Clip_B (entropy dynamics)
# ---------------------------------------------------------------------------------------------------------
@torch.no_grad()
def clip_b_mask(log_prob, entropy, advantages, response_mask, *, mu: float = 2.5, eps: float = 1e-12):
    r"""Clip_B of Wang et al. (2026): drop negative-advantage tokens whose discriminator is an outlier below.

    1. :math:`S_t = p_t(H_t + \log p_t)` (:func:`~infokit.methods.rl.core.entropy_discriminator`).
    2. :math:`z_t = (S_t - \bar S)/\sigma_S` over the valid tokens of the batch (population std).
    3. Keep every token with :math:`A_t \ge 0`; drop one with :math:`A_t < 0` when :math:`z_t < -\mu`
       (a penalised rare token: penalising it would *lower* the entropy).
    4. If :math:`\sigma_S <` ``eps`` keep everything.

    Returns
    -------
    mask : torch.Tensor
        The new response mask (``response_mask``'s dtype, multiplied by the keep mask).
    metrics : dict
        ``clip_b/frac_clipped`` (of valid tokens), ``clip_b/frac_clipped_neg`` (of negative-advantage
        tokens), ``clip_b/mean_S``, ``clip_b/var_S``.

    Notes
    -----
    Follows Trinity-RFT's ``ClipBAdvantageFn`` (μ = 2.5). Use log-probs and entropies at the training
    temperature, from the current model (recomputed, not the inference engine's).

    References
    ----------
    .. [1] Wang et al. (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of LLMs. arXiv:2602.03392.
    """
    log_prob = _float_tensor(log_prob, "log_prob")
    entropy = _float_tensor(entropy, "entropy")
    advantages = _float_tensor(advantages, "advantages")
    _same_shape(log_prob, entropy, "log_prob", "entropy")
    advantages = advantages.expand_as(log_prob) if advantages.shape != log_prob.shape else advantages
    mu = _real(mu, "mu", low=0.0)
    mask_t = response_mask
    m = _as_mask(response_mask, log_prob)
    s = torch.exp(log_prob) * (entropy + log_prob)
    n = m.sum().clamp(min=1.0)
    mean = (s * m).sum() / n
    var = (((s - mean) ** 2) * m).sum() / n
    std = torch.sqrt(var)
    z = (s - mean) / torch.where(std > eps, std, torch.ones_like(std))
    drop = (m > 0) & (advantages < 0) & (z < -mu) & (std > eps)
    keep = ~drop
    new_mask = mask_t * keep.to(mask_t.dtype) if mask_t.dtype != torch.bool else mask_t & keep
    neg = ((advantages < 0) & (m > 0)).to(m.dtype)
    metrics = {
        "clip_b/frac_clipped": _masked_mean(drop, m),
        "clip_b/frac_clipped_neg": (drop.to(m.dtype)).sum() / neg.sum().clamp(min=1.0),
        "clip_b/mean_S": mean,
        "clip_b/var_S": var,
    }
    return new_mask, metrics


def policy_loss_clip_b(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                       entropy, mu: float = 2.5, clip_low: float = 0.2, clip_high: float | None = None,
                       clip_c: float | None = 3.0, is_weights=None, **agg_kwargs):
    r"""Vanilla PPO loss on the Clip_B response mask (:func:`clip_b_mask`), as Trinity-RFT edits the mask.

    The discriminator uses ``old_log_prob`` (the model that generated / recomputed the batch) and
    ``entropy`` of the same model; dropped tokens also leave the token-mean denominator.

    References
    ----------
    .. [1] Wang et al. (2026). On the Entropy Dynamics in Reinforcement Fine-Tuning of LLMs. arXiv:2602.03392.
    """
    old_log_prob, log_prob, advantages, m = _prep(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode)
    entropy = _float_tensor(entropy, "entropy")
    new_mask, cb_metrics = clip_b_mask(old_log_prob, entropy, advantages, m, mu=mu)
    loss, metrics = policy_loss_vanilla(old_log_prob, log_prob, advantages, new_mask, loss_agg_mode,
                                        clip_low=clip_low, clip_high=clip_high, clip_c=clip_c,
                                        is_weights=is_weights, **agg_kwargs)
    metrics.update(cb_metrics)
    return loss, metrics
