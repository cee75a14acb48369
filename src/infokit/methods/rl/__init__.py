"""Entropy control for RL on language models: the shared entropy core, entropy-aware policy losses (Clip-Cov,
KL-Cov, STEER, Clip_B, SIREN, EPO), the entropy-performance law, a CPU sandbox, and TRL / verl adapters.

Nothing heavy is imported here: each name loads its submodule (torch, and TRL for the trainer) on first use.
"""

from ..._lazy import lazy_exports

_EXPORTS: dict[str, str] = {
    # core
    "LOSS_AGG_MODES": "core",
    "entropy_from_logits": "core",
    "entropy_from_logprobs": "core",
    "masked_sum": "core",
    "masked_mean": "core",
    "masked_var": "core",
    "agg_loss": "core",
    "token_covariance": "core",
    "entropy_discriminator": "core",
    "expected_discriminator": "core",
    "first_order_entropy_change": "core",
    "predicted_pg_entropy_change": "core",
    "PPOClipResult": "core",
    "ppo_clip_loss": "core",
    # losses
    "policy_loss_vanilla": "losses",
    "policy_loss_clip_cov": "losses",
    "policy_loss_kl_cov": "losses",
    "steer_token_weights": "losses",
    "policy_loss_steer": "losses",
    "clip_b_mask": "losses",
    "policy_loss_clip_b": "losses",
    # SIREN
    "top_p_entropy": "siren",
    "peak_entropy_mask": "siren",
    "SirenRegularizer": "siren",
    "policy_loss_siren": "siren",
    # EPO
    "EntropyHistory": "epo",
    "epo_smoothing_penalty": "epo",
    "phase_weight": "epo",
    "epo_entropy_loss": "epo",
    "policy_loss_epo": "epo",
    # diagnostics (numpy only)
    "EntropyFit": "diagnostics",
    "fit_entropy_performance": "diagnostics",
    # registry
    "POLICY_LOSS_NAMES": "registry",
    "PolicyLossSpec": "registry",
    "get_policy_loss": "registry",
    # integrations
    "EntropyGRPOTrainer": "trl_trainer",
    "register_verl_losses": "verl_losses",
    "make_verl_loss": "verl_losses",
    "entropy_context": "verl_losses",
    # toy sandbox
    "TabularPolicy": "toy",
    "SumModTask": "toy",
    "grpo_advantages": "toy",
    "grpo_step": "toy",
    "entropy_change_check": "toy",
}

__getattr__, __dir__, __all__ = lazy_exports(__name__, _EXPORTS)
