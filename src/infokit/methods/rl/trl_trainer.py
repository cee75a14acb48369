"""``EntropyGRPOTrainer``: TRL's ``GRPOTrainer`` with any infokit entropy-control policy loss (torch + trl leaf).

The trainer overrides ``_compute_loss`` (TRL 1.x's stable seam): it gets per-token log-probs and entropies from
TRL's fused head, or runs its own forward when the loss needs the logits (SIREN), then calls the pure loss with
verl's argument order and TRL's aggregation for the configured ``loss_type``. See ``docs/rl.md`` for the traps
(KL-Cov needs off-policy steps: ``num_iterations >= 2``).
"""

from __future__ import annotations

import warnings

import torch
from trl import GRPOTrainer

from .core import entropy_from_logits
from .registry import PolicyLossSpec, get_policy_loss
from .siren import SirenRegularizer
from ...exceptions import InfokitWarning, InvalidParameterError

__all__ = ["EntropyGRPOTrainer"]

_AGG_FOR_LOSS_TYPE = {"grpo": "seq-mean-token-mean", "bnpo": "token-mean", "dr_grpo": "seq-mean-token-sum-norm",
                      "dapo": "token-mean"}


class EntropyGRPOTrainer(GRPOTrainer):
    """A TRL ``GRPOTrainer`` whose policy loss is an infokit entropy-control loss.

    Parameters
    ----------
    *args, **kwargs
        Those of ``trl.GRPOTrainer`` (model, reward_funcs, args=GRPOConfig, train_dataset, processing_class...).
    policy_loss : str or callable
        A name of :data:`~infokit.methods.rl.registry.POLICY_LOSS_NAMES` (``"clip_cov"``, ``"kl_cov"``,
        ``"steer"``, ``"clip_b"``, ``"siren"``, ``"epo"``, ``"vanilla"``) or a callable with the same signature
        ``fn(old_log_prob, log_prob, advantages, response_mask, loss_agg_mode, **kw) -> (loss, metrics)``.
    policy_loss_kwargs : dict, optional
        Keyword arguments of the loss (e.g. ``clip_cov_ratio``, ``generator``, ``regularizer``). For
        ``"siren"`` a default :class:`~infokit.methods.rl.siren.SirenRegularizer` is created at the trainer's
        temperature if none is given.
    needs_logits : bool, optional
        For a callable loss: pass ``logits=[B, T, V]`` (own forward, logits divided by the temperature).
        Callable losses always receive ``entropy=[B, T]``.

    Notes
    -----
    Aggregation follows ``args.loss_type``: ``grpo`` → seq-mean-token-mean, ``bnpo`` → token-mean,
    ``dr_grpo`` → token sum / (B · max_completion_length), ``dapo`` → token sum / TRL's ``num_items_in_batch``
    normaliser; other loss types are refused. ``beta != 0`` adds TRL's k3 KL term with the same aggregation.
    TRL's own ``top_entropy_quantile`` / ``entropy_coef`` options are not applied by this trainer.
    Metrics of the loss are logged as ``<loss name>/<metric>`` (keys with a group, e.g. ``siren/anchor``, as is).
    """

    def __init__(self, *args, policy_loss="clip_cov", policy_loss_kwargs: dict | None = None,
                 needs_logits: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if callable(policy_loss):
            self.policy_loss_spec = PolicyLossSpec(getattr(policy_loss, "__name__", "custom"), policy_loss,
                                                   needs=("entropy", "logits") if needs_logits else ("entropy",))
        else:
            self.policy_loss_spec = get_policy_loss(policy_loss)
        self.policy_loss_kwargs = dict(policy_loss_kwargs or {})
        if self.policy_loss_spec.name == "siren" and "regularizer" not in self.policy_loss_kwargs:
            self.policy_loss_kwargs["regularizer"] = SirenRegularizer(temperature=1.0)
        if self.loss_type not in _AGG_FOR_LOSS_TYPE:
            raise InvalidParameterError(
                f"EntropyGRPOTrainer supports GRPOConfig.loss_type in {{{', '.join(map(repr, _AGG_FOR_LOSS_TYPE))}}}; "
                f"got {self.loss_type!r}; set loss_type='dapo' (TRL's default) or 'grpo'"
            )
        if self.policy_loss_spec.off_policy and self.num_iterations == 1 and \
                self.args.steps_per_generation <= self.args.gradient_accumulation_steps:
            warnings.warn(
                f"policy_loss={self.policy_loss_spec.name!r} only acts on off-policy tokens, but this configuration is "
                "strictly on-policy (num_iterations=1, steps_per_generation <= gradient_accumulation_steps), so it "
                "reduces to vanilla policy gradient; set GRPOConfig(num_iterations=2) or more",
                InfokitWarning,
                stacklevel=2,
            )

    # -----------------------------------------------------------------------------------------------------
    def _own_forward(self, model, input_ids, attention_mask, logits_to_keep):
        out = model(input_ids=input_ids, attention_mask=attention_mask)
        logits = out.logits[:, -logits_to_keep - 1:-1, :].float() / self.temperature
        targets = input_ids[:, -logits_to_keep:]
        logps = torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
        return logps, entropy_from_logits(logits), logits

    def _compute_loss(self, model, inputs):
        spec = self.policy_loss_spec
        prompt_ids, prompt_mask = inputs["prompt_ids"], inputs["prompt_mask"]
        completion_ids, completion_mask = inputs["completion_ids"], inputs["completion_mask"]
        input_ids = torch.cat([prompt_ids, completion_ids], dim=1)
        attention_mask = torch.cat([prompt_mask, completion_mask], dim=1)
        logits_to_keep = completion_ids.size(1)
        mask = completion_mask if "tool_mask" not in inputs else completion_mask * inputs["tool_mask"]
        mask = mask.float()

        logits = None
        if "logits" in spec.needs:
            logps, entropies, logits = self._own_forward(model, input_ids, attention_mask, logits_to_keep)
        else:
            logps, entropies, _ = self._get_per_token_logps_and_entropies(
                model, input_ids, attention_mask, logits_to_keep, compute_entropy=True)

        advantages = inputs["advantages"]
        if advantages.dim() == 1:
            advantages = advantages.unsqueeze(1)
        advantages = advantages.expand_as(logps).to(logps.dtype)
        old = inputs.get("old_per_token_logps")
        old = logps.detach() if old is None else old

        mode = "train" if self.model.training else "eval"
        accum = self.current_gradient_accumulation_steps if mode == "train" else 1.0
        agg_mode = _AGG_FOR_LOSS_TYPE[self.loss_type]
        agg = {}
        if self.loss_type == "dr_grpo":
            agg["scale_factor"] = logps.size(0) * self.max_completion_length
        elif self.loss_type == "dapo":
            normalizer = inputs["num_items_in_batch"].clamp(min=1.0) / self.accelerator.num_processes
            if mode == "train":
                normalizer = normalizer * self.current_gradient_accumulation_steps / self.args.steps_per_generation
            agg["num_tokens"] = normalizer
            accum = 1.0  # the normaliser already spans the accumulation window

        extra = {}
        if "entropy" in spec.needs:
            extra["entropy"] = entropies
        if "logits" in spec.needs:
            extra["logits"] = logits
        loss, metrics = spec.fn(old, logps, advantages, mask, agg_mode, **extra, **self.policy_loss_kwargs, **agg)

        if self.beta != 0.0:
            from .core import _agg_kernel

            ref = inputs["ref_per_token_logps"]
            per_token_kl = torch.exp(ref - logps) - (ref - logps) - 1
            loss = loss + self.beta * _agg_kernel(per_token_kl, mask, agg_mode, agg.get("num_tokens"), None,
                                                  agg.get("scale_factor"))
            self._metrics[mode]["kl"].append(float((per_token_kl * mask).sum() / mask.sum().clamp(min=1.0)))
        loss = loss / accum

        # logging (outside the loss function: a host sync per step is fine here)
        with torch.no_grad():
            self._metrics[mode]["entropy"].append(float((entropies * mask).sum() / mask.sum().clamp(min=1.0)))
            for key, value in metrics.items():
                # "pg_clipfrac" -> "clip_cov/pg_clipfrac"; keys that already carry a group ("siren/anchor") stay
                self._metrics[mode][key if "/" in key else f"{spec.name}/{key}"].append(float(value))
        return loss
