"""Name -> policy loss, with what each loss needs beyond log-probs (used by the toy sandbox, the TRL trainer and
the verl adapter)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ...exceptions import InvalidParameterError

__all__ = ["PolicyLossSpec", "POLICY_LOSS_NAMES", "get_policy_loss"]


@dataclass(frozen=True)
class PolicyLossSpec:
    """A registered loss: ``fn(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode, **kw)``;
    ``needs`` lists the extra per-token inputs it takes by keyword (``"entropy"`` ``[B, T]``, ``"logits"``
    ``[B, T, V]``); ``off_policy`` marks losses that do nothing on strictly on-policy data (KL-Cov)."""

    name: str
    fn: Callable
    needs: tuple[str, ...] = ()
    off_policy: bool = False


POLICY_LOSS_NAMES = ("vanilla", "clip_cov", "kl_cov", "steer", "clip_b", "siren", "epo")


def get_policy_loss(name: str) -> PolicyLossSpec:
    """The :class:`PolicyLossSpec` of ``name`` (one of :data:`POLICY_LOSS_NAMES`)."""
    if name not in POLICY_LOSS_NAMES:
        raise InvalidParameterError(
            f"`policy_loss` must be one of {{{', '.join(repr(n) for n in POLICY_LOSS_NAMES)}}} or a callable; got {name!r}"
        )
    from . import epo, losses, siren

    table = {
        "vanilla": PolicyLossSpec("vanilla", losses.policy_loss_vanilla),
        "clip_cov": PolicyLossSpec("clip_cov", losses.policy_loss_clip_cov),
        "kl_cov": PolicyLossSpec("kl_cov", losses.policy_loss_kl_cov, off_policy=True),
        "steer": PolicyLossSpec("steer", losses.policy_loss_steer, needs=("entropy",)),
        "clip_b": PolicyLossSpec("clip_b", losses.policy_loss_clip_b, needs=("entropy",)),
        "siren": PolicyLossSpec("siren", siren.policy_loss_siren, needs=("logits",)),
        "epo": PolicyLossSpec("epo", epo.policy_loss_epo, needs=("entropy",)),
    }
    return table[name]
