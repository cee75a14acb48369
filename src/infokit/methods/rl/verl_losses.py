"""Register infokit's policy losses in verl's policy-loss registry (import-guarded: verl is optional).

verl's plug-in point is ``@register_policy_loss(name)`` with the signature
``(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode, config, rollout_is_weights) -> (loss, metrics)``;
the loss is chosen with ``actor_rollout_ref.actor.policy_loss.loss_mode=<name>`` and reads its knobs from
``config.policy_loss.<field>`` (new fields need Hydra ``+`` keys).

**verl never passes entropy to that function** (the actor computes it apart, and the trainer pops it), so the
losses that need entropy (STEER, Clip_B, EPO) read it from :func:`entropy_context`, which the actor must set
around its ``policy_loss_fn(...)`` call -- the documented patch is in ``docs/rl.md``. SIREN needs logits and
is not offered through this registry.

To get the registration into every Ray worker, set ``VERL_USE_EXTERNAL_MODULES=infokit.methods.rl.verl_losses``
(verl imports those modules at start-up) and call :func:`register_verl_losses` at the bottom of a module of yours,
or rely on the auto-registration below when ``INFOKIT_VERL_AUTOREGISTER=1``.
"""

from __future__ import annotations

import contextlib
import contextvars
import os

from .registry import get_policy_loss
from ...exceptions import InvalidParameterError

__all__ = ["register_verl_losses", "entropy_context", "VERL_LOSSES", "make_verl_loss"]

#: infokit loss name -> {infokit keyword: (config.policy_loss field, default)}
VERL_LOSSES = {
    "vanilla": {},
    "clip_cov": {"clip_cov_ratio": ("clip_cov_ratio", 2e-4), "clip_cov_lb": ("clip_cov_lb", 1.0),
                 "clip_cov_ub": ("clip_cov_ub", 5.0)},
    "kl_cov": {"kl_cov_ratio": ("kl_cov_ratio", 2e-4), "ppo_kl_coef": ("ppo_kl_coef", 1.0)},
    "steer": {"w_min": ("token_weight_min", 0.8), "w_max": ("token_weight_max", 1.0), "mode": ("token_weight_mode", "exp")},
    "clip_b": {"mu": ("clip_b_mu", 2.5)},
    "epo": {"entropy_coeff": ("epo_entropy_coeff", 0.001)},
}

_ENTROPY = contextvars.ContextVar("infokit_verl_entropy", default=None)


@contextlib.contextmanager
def entropy_context(entropy):
    """Make the per-token entropy ``[B, T]`` of the current micro-batch visible to the entropy-aware losses."""
    token = _ENTROPY.set(entropy)
    try:
        yield
    finally:
        _ENTROPY.reset(token)


def _get(cfg, key, default):
    if cfg is None:
        return default
    value = cfg.get(key, None) if hasattr(cfg, "get") else getattr(cfg, key, None)
    return default if value is None else value


def make_verl_loss(name: str):
    """A verl ``PolicyLossFn`` wrapping infokit's loss ``name`` (usable without verl installed, e.g. in tests)."""
    if name not in VERL_LOSSES:
        raise InvalidParameterError(
            f"`name` must be one of {{{', '.join(repr(n) for n in VERL_LOSSES)}}}; got {name!r} (SIREN needs logits, "
            "which verl's policy-loss hook does not receive)")
    spec = get_policy_loss(name)
    fields = VERL_LOSSES[name]

    def policy_loss_fn(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode="token-mean", config=None,
                       rollout_is_weights=None):
        pl = _get(config, "policy_loss", None)
        kw = {k: _get(pl, field, default) for k, (field, default) in fields.items()}
        if name in ("vanilla", "clip_cov", "steer", "clip_b", "epo"):
            clip = _get(config, "clip_ratio", 0.2)
            kw["clip_low"] = _get(config, "clip_ratio_low", clip)
            kw["clip_high"] = _get(config, "clip_ratio_high", clip)
        if name in ("vanilla", "steer", "clip_b", "epo"):
            kw["clip_c"] = _get(config, "clip_ratio_c", 3.0)
        info = _get(config, "global_batch_info", None) or {}
        dp = info.get("dp_size", 1) or 1
        if info.get("batch_num_tokens") is not None:
            kw["num_tokens"] = info["batch_num_tokens"] / dp
        if info.get("global_batch_size") is not None:
            kw["num_seqs"] = info["global_batch_size"] / dp
        if info.get("loss_scale_factor") is not None:
            kw["scale_factor"] = info["loss_scale_factor"]
        if "entropy" in spec.needs:
            entropy = _ENTROPY.get()
            if entropy is None:
                raise RuntimeError(
                    f"infokit loss {name!r} needs per-token entropy, which verl does not pass to policy losses; "
                    "wrap the actor's policy_loss_fn call in infokit.methods.rl.verl_losses.entropy_context(entropy) "
                    "(see docs/rl.md, 'verl')")
            kw["entropy"] = entropy
        loss, metrics = spec.fn(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode,
                                is_weights=rollout_is_weights, **kw)
        return loss, {f"actor/{k}": float(v) for k, v in metrics.items()}

    policy_loss_fn.__name__ = f"infokit_{name}"
    return policy_loss_fn


def register_verl_losses(names=None, *, prefix: str = "infokit_") -> list[str]:
    """Register infokit's losses in verl's registry as ``<prefix><name>``; returns the registered names.

    Raises ``ImportError`` (with the install hint) when verl is not installed.
    """
    try:
        from verl.trainer.ppo.core_algos import register_policy_loss
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("register_verl_losses needs verl (pip install verl); it is an optional integration") from exc
    names = list(VERL_LOSSES) if names is None else list(names)
    out = []
    for n in names:
        register_policy_loss(prefix + n)(make_verl_loss(n))
        out.append(prefix + n)
    return out


if os.environ.get("INFOKIT_VERL_AUTOREGISTER") == "1":  # pragma: no cover - inside verl workers
    register_verl_losses()
