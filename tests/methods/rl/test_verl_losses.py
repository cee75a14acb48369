"""verl adapter: the wrapped losses read verl's config and match infokit's functions; parity with verl's own
functions when verl is installed (skipped otherwise)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.rl.losses import policy_loss_kl_cov, policy_loss_steer, policy_loss_vanilla  # noqa: E402
from infokit.methods.rl.verl_losses import entropy_context, make_verl_loss  # noqa: E402


def _config(**policy_loss):
    return SimpleNamespace(clip_ratio=0.2, clip_ratio_low=None, clip_ratio_high=0.28, clip_ratio_c=3.0,
                           policy_loss=SimpleNamespace(**policy_loss), global_batch_info=None)


def _batch(seed=0):
    g = torch.Generator().manual_seed(seed)
    old = -torch.rand(4, 16, generator=g, dtype=torch.float64) * 2
    lp = old + 0.2 * torch.randn(4, 16, generator=g, dtype=torch.float64)
    adv = torch.randn(4, 1, generator=g, dtype=torch.float64).expand(4, 16)
    mask = torch.ones(4, 16, dtype=torch.float64)
    mask[2, 10:] = 0
    return old, lp, adv, mask


def test_wrapped_vanilla_reads_the_clip_ratios_from_the_config():
    old, lp, adv, mask = _batch()
    loss, metrics = make_verl_loss("vanilla")(old, lp, adv, mask, "token-mean", _config())
    ref, _ = policy_loss_vanilla(old, lp, adv, mask, clip_low=0.2, clip_high=0.28, clip_c=3.0)
    assert float(loss) == pytest.approx(float(ref), abs=1e-14)
    assert set(metrics) == {"actor/pg_clipfrac", "actor/pg_clipfrac_lower", "actor/ppo_kl"}
    assert all(isinstance(v, float) for v in metrics.values())


def test_wrapped_kl_cov_reads_policy_loss_fields_and_global_batch_info():
    old, lp, adv, mask = _batch(1)
    cfg = _config(kl_cov_ratio=0.1, ppo_kl_coef=0.5)
    cfg.global_batch_info = {"dp_size": 2, "batch_num_tokens": 200, "global_batch_size": 8}
    loss, _ = make_verl_loss("kl_cov")(old, lp, adv, mask, "token-mean", cfg)
    ref, _ = policy_loss_kl_cov(old, lp, adv, mask, kl_cov_ratio=0.1, ppo_kl_coef=0.5, num_tokens=100.0)
    assert float(loss) == pytest.approx(float(ref), abs=1e-14)


def test_entropy_losses_need_the_actor_patch():
    old, lp, adv, mask = _batch(2)
    fn = make_verl_loss("steer")
    with pytest.raises(RuntimeError, match="needs per-token entropy"):
        fn(old, lp, adv, mask, "token-mean", _config())
    ent = torch.rand(4, 16, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    with entropy_context(ent):
        loss, _ = fn(old, lp, adv, mask, "token-mean", _config(token_weight_min=0.7))
    ref, _ = policy_loss_steer(old, lp, adv, mask, entropy=ent, w_min=0.7, clip_high=0.28, clip_c=3.0)
    assert float(loss) == pytest.approx(float(ref), abs=1e-14)


def test_siren_is_not_offered_through_verl():
    with pytest.raises(InvalidParameterError, match="SIREN needs logits"):
        make_verl_loss("siren")


# ------------------------------------------------------------------------------------ parity with verl itself
def _verl():
    return pytest.importorskip("verl.trainer.ppo.core_algos")


@pytest.mark.parametrize("mode", ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean", "seq-mean-token-sum-norm"])
def test_agg_loss_parity_with_verl(mode):
    ca = _verl()
    from infokit.methods.rl.core import agg_loss

    loss, _, _, mask = _batch(3)
    assert float(agg_loss(loss, mask, mode)) == pytest.approx(float(ca.agg_loss(loss, mask, mode)), abs=1e-10)


def test_kl_cov_parity_with_verl():
    ca = _verl()
    old, lp, adv, mask = _batch(4)
    from omegaconf import OmegaConf

    cfg = OmegaConf.create({"clip_ratio": 0.2, "clip_ratio_low": 0.2, "clip_ratio_high": 0.2,
                            "policy_loss": {"kl_cov_ratio": 0.05, "ppo_kl_coef": 1.0, "loss_mode": "kl_cov"}})
    out = ca.get_policy_loss_fn("kl_cov")(old, lp, adv, mask, "token-mean", cfg)
    ref = out[0]
    mine, _ = policy_loss_kl_cov(old, lp, adv, mask, kl_cov_ratio=0.05, ppo_kl_coef=1.0)
    assert float(mine) == pytest.approx(float(ref), abs=1e-10)  # KL-Cov is deterministic: exact parity
