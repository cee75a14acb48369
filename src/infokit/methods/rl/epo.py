"""EPO: entropy-regularised policy optimisation for multi-turn LLM agents (Xu et al., arXiv 2509.22576).

Three mechanisms, each a small piece:

1. trajectory-level entropy regularisation -- :func:`epo_entropy_loss` over all tokens of all turns;
2. an entropy-smoothing penalty bounded by the historical per-turn average -- :class:`EntropyHistory` and
   :func:`epo_smoothing_penalty` (a differentiable hinge band by default; the released indicator behind
   ``mode="released"``);
3. an adaptive phase weight over training epochs -- :func:`phase_weight` (the released schedule).

:func:`policy_loss_epo` puts them together on top of the vanilla PPO loss.

References
----------
.. [1] Xu, W. et al. (2025). EPO: Entropy-regularized Policy Optimization for LLM Agents Reinforcement
   Learning. arXiv:2509.22576. Code: WujiangXu/EPO.
"""

from __future__ import annotations

import math

import torch

from .core import _agg_kernel, _as_mask, _check_mode, _float_tensor, _real
from .losses import policy_loss_vanilla
from ...exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = ["EntropyHistory", "epo_smoothing_penalty", "phase_weight", "epo_entropy_loss", "policy_loss_epo"]

_PENALTY_MODES = ("hinge", "released")


class EntropyHistory:
    r"""Per-turn historical mean entropy :math:`\bar H_s` (EPO's ``entropy_history``).

    Each training iteration contributes one vector of batch-mean entropies per turn index s = 0..max_turns-1.
    ``history="all"`` averages over every past iteration (the released code); ``history="ema"`` keeps an
    exponential moving average with weight ``ema`` on the past (an option the notes suggest, since the
    all-time mean mixes very different policies). NaN entries (turns absent from the batch) are skipped.

    # Deviation from [1]: the released code zero-pads absent turns into the mean; here they are skipped,
    # because a zero would shrink the band of that turn towards 0.
    """

    def __init__(self, max_turns: int, *, history: str = "all", ema: float = 0.9):
        if isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 1:
            raise InvalidParameterError(f"`max_turns` must be a positive integer; got {max_turns!r}")
        if history not in ("all", "ema"):
            raise InvalidParameterError(f"`history` must be one of {{'all', 'ema'}}; got {history!r}")
        self.max_turns = max_turns
        self.history = history
        self.ema = _real(ema, "ema", low=0.0, high=1.0, high_open=True)
        self._sum = torch.zeros(max_turns, dtype=torch.float64)
        self._count = torch.zeros(max_turns, dtype=torch.float64)
        self._ema = torch.full((max_turns,), math.nan, dtype=torch.float64)

    def update(self, per_turn_mean_entropy) -> None:
        """Add one iteration's per-turn mean entropies (length ≤ ``max_turns``; shorter vectors are padded
        with NaN = absent, longer ones keep their last ``max_turns`` turns, as the released code truncates)."""
        v = torch.as_tensor(per_turn_mean_entropy, dtype=torch.float64).detach().cpu().reshape(-1)
        if v.numel() > self.max_turns:
            v = v[-self.max_turns:]
        if v.numel() < self.max_turns:
            v = torch.cat([v, torch.full((self.max_turns - v.numel(),), math.nan, dtype=torch.float64)])
        ok = torch.isfinite(v)
        self._sum = self._sum + torch.where(ok, v, torch.zeros_like(v))
        self._count = self._count + ok.to(torch.float64)
        first = torch.isnan(self._ema)
        blended = self.ema * self._ema + (1 - self.ema) * v
        self._ema = torch.where(ok, torch.where(first, v, blended), self._ema)

    def mean(self) -> torch.Tensor:
        """:math:`\\bar H_s` per turn (NaN for a turn never seen)."""
        if self.history == "ema":
            return self._ema.clone()
        return torch.where(self._count > 0, self._sum / self._count.clamp(min=1.0),
                           torch.full_like(self._sum, math.nan))


def epo_smoothing_penalty(entropy, turn_idx, history_mean, response_mask, *, r_min: float = 0.0,
                          r_max: float = 2.0, kappa: float = 0.1, mode: str = "hinge"):
    r"""Per-token entropy-smoothing penalty around the band :math:`(r_{min}\bar H_s, r_{max}\bar H_s)` of the token's turn s.

    * ``mode="hinge"`` (default, differentiable): :math:`P_t = \kappa[\mathrm{relu}(r_{min}\bar H_s - H_t)
      + \mathrm{relu}(H_t - r_{max}\bar H_s)]`; zero inside the band, its gradient pushes :math:`H_t`
      back into it.
    * ``mode="released"``: :math:`P_t = \kappa\,\mathbb 1[H_t \notin (r_{min}\bar H_s, r_{max}\bar H_s)]`,
      the released code's form. It is built from a boolean test, so **its gradient is zero**: it only shifts
      the loss value.

    Parameters
    ----------
    entropy : torch.Tensor
        ``[B, T]`` per-token entropies (differentiable for the hinge).
    turn_idx : torch.Tensor
        Integer turn index per sequence ``[B]`` or per token ``[B, T]``.
    history_mean : torch.Tensor
        :math:`\bar H_s` per turn (:meth:`EntropyHistory.mean`); turns with NaN get no penalty.
    r_min, r_max, kappa : float
        Band and scale (README runs: 0, 2.0, 0.1 on ALFWorld / 0.05 on ScienceWorld).

    Returns
    -------
    torch.Tensor
        ``[B, T]`` penalties (0 on padding).

    References
    ----------
    .. [1] Xu, W. et al. (2025). EPO. arXiv:2509.22576.
    """
    entropy = _float_tensor(entropy, "entropy")
    m = _as_mask(response_mask, entropy)
    if not isinstance(turn_idx, torch.Tensor) or turn_idx.is_floating_point():
        raise InvalidInputTypeError("`turn_idx` must be an integer torch.Tensor of turn indices ([B] or [B, T])")
    lo = _real(r_min, "r_min", low=0.0)
    hi = _real(r_max, "r_max", low=lo, low_open=True)
    kap = _real(kappa, "kappa", low=0.0)
    if mode not in _PENALTY_MODES:
        raise InvalidParameterError(f"`mode` must be one of {{'hinge', 'released'}}; got {mode!r}")
    hist = torch.as_tensor(history_mean, dtype=entropy.dtype, device=entropy.device).reshape(-1)
    t_idx = turn_idx.to(entropy.device).long()
    if t_idx.ndim == 1:
        t_idx = t_idx[:, None].expand_as(entropy)
    if t_idx.shape != entropy.shape:
        raise ShapeMismatchError(f"`turn_idx` must be [B] or [B, T] = {tuple(entropy.shape)}; got {tuple(turn_idx.shape)}")
    hbar = hist[t_idx.clamp(0, hist.numel() - 1)]
    known = torch.isfinite(hbar) & (m > 0)
    hbar = torch.where(known, hbar, torch.zeros_like(hbar))
    low, high = lo * hbar, hi * hbar
    if mode == "hinge":
        p = kap * (torch.relu(low - entropy) + torch.relu(entropy - high))
    else:
        with torch.no_grad():
            outside = (entropy <= low) | (entropy >= high)
        p = kap * outside.to(entropy.dtype)
    return p * known.to(p.dtype)


def phase_weight(epoch, total_epochs: int = 150):
    r"""EPO's released adaptive phase weight :math:`w(e)` (E = ``total_epochs``, hard-coded 150 in the code).

    .. math::
        w(e) = \begin{cases} 1 - 0.2\,(1 - e^{-2e/(E/2)}) & e \le E/2 \\
                             0.8\,e^{-3(e - E/2)/(E/2)} & e > E/2 \end{cases}

    It decreases over training (1 → ≈0.83 slowly, then 0.8 → ≈0.04 fast) and **jumps** at E/2 from
    ≈0.827 down to 0.8; the v2 abstract's wording ("strong stabilisation" later) may describe a different
    direction -- this is the released code's schedule.

    Examples
    --------
    >>> phase_weight(0), round(phase_weight(75), 4), round(phase_weight(150), 4)
    (1.0, 0.8271, 0.0398)
    """
    e = _real(epoch, "epoch", low=0.0)
    if isinstance(total_epochs, bool) or not isinstance(total_epochs, int) or total_epochs < 2:
        raise InvalidParameterError(f"`total_epochs` must be an integer >= 2; got {total_epochs!r}")
    half = total_epochs / 2
    if e <= half:
        return 1.0 - 0.2 * (1.0 - math.exp(-2.0 * e / half))
    return 0.8 * math.exp(-3.0 * (e - half) / half)


def epo_entropy_loss(entropy, response_mask, loss_agg_mode: str = "token-mean", *, entropy_coeff: float = 0.001,
                     penalty=None, smooth_coeff: float = 1.0, weight: float = 1.0):
    r"""EPO's entropy term, to **add** to the policy loss: :math:`-c_H[\mathrm{agg}(H) - \beta\,w\,\mathrm{agg}(P)]`.

    ``entropy`` and ``response_mask`` span all tokens of all turns of the trajectory (the multi-turn loss
    mask), not one turn. ``penalty`` is :func:`epo_smoothing_penalty` (None: no smoothing), β =
    ``smooth_coeff``, w = ``weight`` (e.g. :func:`phase_weight`).
    """
    entropy = _float_tensor(entropy, "entropy")
    m = _as_mask(response_mask, entropy)
    _check_mode(loss_agg_mode)
    c = _real(entropy_coeff, "entropy_coeff", low=0.0)
    term = _agg_kernel(entropy, m, loss_agg_mode, None, None, None)
    if penalty is not None:
        b = _real(smooth_coeff, "smooth_coeff", low=0.0)
        w = _real(weight, "weight", low=0.0)
        term = term - b * w * _agg_kernel(_float_tensor(penalty, "penalty"), m, loss_agg_mode, None, None, None)
    return -c * term


def policy_loss_epo(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode: str = "token-mean", *,
                    entropy, turn_idx=None, history: EntropyHistory | None = None, epoch=None,
                    total_epochs: int = 150, entropy_coeff: float = 0.001, smooth_coeff: float = 1.0,
                    r_min: float = 0.0, r_max: float = 2.0, kappa: float = 0.1, mode: str = "hinge",
                    min_turn: int = 0, clip_low: float = 0.2, clip_high: float | None = None,
                    clip_c: float | None = 3.0, is_weights=None, **agg_kwargs):
    r"""EPO: vanilla PPO + :func:`epo_entropy_loss` with the smoothing penalty of ``history`` and the phase weight.

    Without ``history`` (or with no turn seen yet) only the trajectory entropy bonus applies. ``turn_idx``
    defaults to turn 0 for every sequence (single-turn use). The penalty is applied to tokens whose turn is
    ≥ ``min_turn`` (the released code uses ``max_step // 2`` and gates a whole micro-batch with ``np.any``;
    # Deviation from [1]: gated per token, so one late-turn sample does not switch the penalty on for all).
    ``epoch=None`` uses weight 1.
    """
    loss, metrics = policy_loss_vanilla(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode,
                                        clip_low=clip_low, clip_high=clip_high, clip_c=clip_c,
                                        is_weights=is_weights, **agg_kwargs)
    entropy = _float_tensor(entropy, "entropy")
    m = _as_mask(response_mask, entropy)
    penalty = None
    if history is not None:
        if turn_idx is None:
            turn_idx = torch.zeros(entropy.shape[0], dtype=torch.long, device=entropy.device)
        penalty = epo_smoothing_penalty(entropy, turn_idx, history.mean(), m, r_min=r_min, r_max=r_max,
                                        kappa=kappa, mode=mode)
        if min_turn:
            t = turn_idx.to(entropy.device)
            t = t[:, None].expand_as(entropy) if t.ndim == 1 else t
            penalty = penalty * (t >= min_turn).to(penalty.dtype)
    w = 1.0 if epoch is None else phase_weight(epoch, total_epochs)
    ent_loss = epo_entropy_loss(entropy, m, loss_agg_mode, entropy_coeff=entropy_coeff, penalty=penalty,
                                smooth_coeff=smooth_coeff, weight=w)
    with torch.no_grad():
        metrics["epo/entropy"] = (entropy.detach() * m).sum() / m.sum().clamp(min=1.0)
        metrics["epo/phase_weight"] = torch.tensor(w)
        if penalty is not None:
            metrics["epo/penalty"] = (penalty.detach() * m).sum() / m.sum().clamp(min=1.0)
    return loss + ent_loss, metrics
