"""A CPU sandbox for entropy dynamics: a tabular autoregressive policy, verifiable tasks and GRPO steps.

The policy is a table of logits indexed by (prompt, position, previous token): small enough that 300 GRPO
steps run in seconds, rich enough to show entropy collapse and how each entropy-control loss changes it.
It is a **mechanism** demonstration: it says nothing about the accuracy of large models.
"""

from __future__ import annotations

import torch

from .core import entropy_from_logits, first_order_entropy_change
from .registry import get_policy_loss
from ...exceptions import InvalidParameterError

__all__ = ["TabularPolicy", "SumModTask", "grpo_advantages", "grpo_step", "entropy_change_check"]


def _posint(v, name):
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise InvalidParameterError(f"`{name}` must be a positive integer; got {v!r}")
    return v


class TabularPolicy(torch.nn.Module):
    """Autoregressive table policy π(y_t | prompt, t, y_{t-1}) = softmax(θ[prompt, t, y_{t-1}]).

    Parameters
    ----------
    n_prompts, length, vocab : int
        Number of prompts, response length and vocabulary size.
    init_scale : float
        Standard deviation of the initial logits (0: uniform policy, entropy log(vocab) everywhere).
    generator : torch.Generator, optional
        For the initial logits.
    """

    def __init__(self, n_prompts: int, length: int, vocab: int, *, init_scale: float = 0.0,
                 generator: torch.Generator | None = None, dtype=torch.float32):
        super().__init__()
        self.n_prompts, self.length, self.vocab = _posint(n_prompts, "n_prompts"), _posint(length, "length"), \
            _posint(vocab, "vocab")
        init = torch.randn(n_prompts, length, vocab + 1, vocab, generator=generator, dtype=dtype) * init_scale
        self.table = torch.nn.Parameter(init)

    def state_logits(self, prompts, tokens):
        """Teacher-forced logits ``[N, L, V]`` of ``tokens`` ``[N, L]`` answering ``prompts`` ``[N]``."""
        n, ln = tokens.shape
        prev = torch.cat([torch.full((n, 1), self.vocab, dtype=torch.long), tokens[:, :-1].long()], dim=1)
        pos = torch.arange(ln).expand(n, ln)
        return self.table[prompts.long()[:, None].expand(n, ln), pos, prev]

    def state_index(self, prompts, tokens):
        """Flat index of the table row used at each position (for per-state bookkeeping)."""
        n, ln = tokens.shape
        prev = torch.cat([torch.full((n, 1), self.vocab, dtype=torch.long), tokens[:, :-1].long()], dim=1)
        pos = torch.arange(ln).expand(n, ln)
        return (prompts.long()[:, None] * ln + pos) * (self.vocab + 1) + prev

    @torch.no_grad()
    def sample(self, prompts, *, generator: torch.Generator | None = None):
        """Sample one response ``[N, L]`` per prompt in ``prompts`` ``[N]``."""
        n = prompts.shape[0]
        prev = torch.full((n,), self.vocab, dtype=torch.long)
        out = torch.empty(n, self.length, dtype=torch.long)
        for t in range(self.length):
            probs = torch.softmax(self.table[prompts.long(), t, prev].double(), dim=-1)
            prev = torch.multinomial(probs, 1, generator=generator).squeeze(1)
            out[:, t] = prev
        return out

    def evaluate(self, prompts, tokens):
        """``(log_prob [N, L], entropy [N, L], logits [N, L, V])`` of ``tokens``."""
        z = self.state_logits(prompts, tokens)
        lp = torch.log_softmax(z, dim=-1).gather(-1, tokens.long().unsqueeze(-1)).squeeze(-1)
        return lp, entropy_from_logits(z), z

    @torch.no_grad()
    def greedy_accuracy(self, task) -> float:
        """Reward of the greedy response, averaged over all prompts."""
        prompts = torch.arange(self.n_prompts)
        prev = torch.full((self.n_prompts,), self.vocab, dtype=torch.long)
        out = torch.empty(self.n_prompts, self.length, dtype=torch.long)
        for t in range(self.length):
            prev = self.table[prompts, t, prev].argmax(-1)
            out[:, t] = prev
        return float(task.reward(prompts, out).mean())


class SumModTask:
    """Verifiable task: reward 1 when (Σ_t y_t) mod vocab equals the prompt's hidden target, else 0.

    Parameters
    ----------
    n_prompts, length, vocab : int
        As the policy's.
    seed : int
        Draws the targets.
    """

    def __init__(self, n_prompts: int = 16, length: int = 6, vocab: int = 8, *, seed: int = 0):
        self.n_prompts, self.length, self.vocab = _posint(n_prompts, "n_prompts"), _posint(length, "length"), \
            _posint(vocab, "vocab")
        g = torch.Generator().manual_seed(seed)
        self.targets = torch.randint(0, vocab, (n_prompts,), generator=g)

    def reward(self, prompts, tokens):
        return ((tokens.sum(dim=1) % self.vocab) == self.targets[prompts.long()]).double()


def grpo_advantages(rewards, group_size: int, *, eps: float = 1e-6, scale: bool = True):
    """GRPO advantages: each group of ``group_size`` consecutive rewards centred (and divided by its std + eps)."""
    r = rewards.reshape(-1, group_size).double()
    a = r - r.mean(dim=1, keepdim=True)
    if scale:
        a = a / (r.std(dim=1, keepdim=True) + eps)
    return a.reshape(-1)


def _rollout(policy, task, group_size, generator):
    prompts = torch.arange(policy.n_prompts).repeat_interleave(group_size)
    tokens = policy.sample(prompts, generator=generator)
    rewards = task.reward(prompts, tokens)
    adv = grpo_advantages(rewards, group_size).to(policy.table.dtype)
    return prompts, tokens, rewards, adv


def grpo_step(policy, optimizer, task, *, loss: str = "vanilla", loss_kwargs: dict | None = None,
              group_size: int = 8, ppo_epochs: int = 2, loss_agg_mode: str = "token-mean",
              generator: torch.Generator | None = None) -> dict:
    """One GRPO iteration: sample ``group_size`` responses per prompt, then ``ppo_epochs`` optimizer steps.

    ``loss`` names a policy loss (see :data:`~infokit.methods.rl.registry.POLICY_LOSS_NAMES`); ``loss_kwargs``
    go to it (e.g. ``regularizer=`` for SIREN, ``history=`` for EPO, which this step updates with the batch
    mean entropy before the update). Returns ``reward``, ``entropy`` (mean token entropy of the sampled
    batch, nats) and the loss metrics of the last epoch as floats.
    """
    spec = get_policy_loss(loss)
    kw = dict(loss_kwargs or {})
    prompts, tokens, rewards, adv = _rollout(policy, task, group_size, generator)
    mask = torch.ones(tokens.shape, dtype=policy.table.dtype)
    advantages = adv[:, None].expand(tokens.shape)
    with torch.no_grad():
        old_lp, old_h, _ = policy.evaluate(prompts, tokens)
    if spec.name == "epo" and kw.get("history") is not None:
        kw["history"].update(old_h.mean().reshape(1))
    metrics = {}
    for _ in range(ppo_epochs):
        lp, h, z = policy.evaluate(prompts, tokens)
        extra = {}
        if "entropy" in spec.needs:
            extra["entropy"] = h
        if "logits" in spec.needs:
            extra["logits"] = z
        value, metrics = spec.fn(old_lp, lp, advantages, mask, loss_agg_mode, **extra, **kw)
        optimizer.zero_grad()
        value.backward()
        optimizer.step()
    out = {k: float(v) for k, v in metrics.items()}
    out.update(reward=float(rewards.mean()), entropy=float(old_h.mean()))
    return out


def entropy_change_check(policy, task, *, lr: float = 1.0, group_size: int = 8, mask_fn=None,
                         generator: torch.Generator | None = None) -> dict:
    r"""Predicted vs realised change of the batch's mean token entropy for one on-policy SGD step (no optimizer).

    The step is plain gradient descent with learning rate ``lr`` on the on-policy PG loss
    :math:`-\frac1N\sum_t A_t\rho_t` (token mean; ρ = 1, no clipping active). Returned (nats):

    * ``realised``: mean over the batch's tokens of H(state after) - H(state before), the policy updated;
    * ``predicted_cov``: the same mean of :math:`-\mathrm{Cov}_{p}(\log p, \Delta z)` with Δz the actual
      change of that state's logits (Cui et al., first order);
    * ``predicted_disc``: the sum over the tokens that share a state of :math:`-\frac{\eta}{N}A_t(S_{k_t}-\mathbb E_pS)`
      (Wang et al.'s discriminator form), averaged the same way; equal to ``predicted_cov`` up to rounding;
    * ``frac_decreasing``: the fraction of token updates whose own contribution lowers the entropy.

    ``mask_fn(log_prob, entropy, advantages, mask) -> mask`` (e.g. Clip_B's) edits the token mask first.
    The policy is restored afterwards.
    """
    prompts, tokens, _, adv = _rollout(policy, task, group_size, generator)
    mask = torch.ones(tokens.shape, dtype=policy.table.dtype)
    advantages = adv[:, None].expand(tokens.shape)
    lp, h, z = policy.evaluate(prompts, tokens)
    if mask_fn is not None:
        mask = mask_fn(lp.detach(), h.detach(), advantages, mask)
    n = mask.sum().clamp(min=1.0)
    loss = -(advantages * torch.exp(lp - lp.detach()) * mask).sum() / n
    grad, = torch.autograd.grad(loss, policy.table)
    with torch.no_grad():
        z0 = z.detach()
        dz = (-lr * grad)[tuple(_table_index(policy, prompts, tokens))]
        pred_cov = first_order_entropy_change(z0.double(), dz.double()).mean()
        # discriminator form, per token, then summed over the tokens sharing a state
        lpz = torch.log_softmax(z0.double(), -1)
        p = lpz.exp()
        hh = -(p * lpz).sum(-1, keepdim=True)
        s = p * (hh + lpz)
        es = (p * s).sum(-1)
        s_k = s.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
        contrib = -(lr / n) * advantages.double() * mask.double() * (s_k - es)
        sid = policy.state_index(prompts, tokens).reshape(-1)
        per_state = torch.zeros(policy.table.shape[0] * policy.table.shape[1] * policy.table.shape[2],
                                dtype=torch.float64).index_add_(0, sid, contrib.reshape(-1))
        pred_disc = per_state[sid].mean()
        frac_dec = float(((contrib < 0) & (mask > 0)).double().sum() / (mask > 0).double().sum().clamp(min=1.0))
        old = policy.table.detach().clone()
        policy.table.add_(-lr * grad)
        h_after = entropy_from_logits(policy.state_logits(prompts, tokens).double())
        realised = (h_after - entropy_from_logits(z0.double())).mean()
        policy.table.copy_(old)
    return {"realised": float(realised), "predicted_cov": float(pred_cov), "predicted_disc": float(pred_disc),
            "frac_decreasing": frac_dec}


def _table_index(policy, prompts, tokens):
    n, ln = tokens.shape
    prev = torch.cat([torch.full((n, 1), policy.vocab, dtype=torch.long), tokens[:, :-1].long()], dim=1)
    pos = torch.arange(ln).expand(n, ln)
    return prompts.long()[:, None].expand(n, ln), pos, prev
