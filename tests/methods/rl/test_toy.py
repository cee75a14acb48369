"""The tabular sandbox: policy, task, GRPO advantages and steps, predicted vs realised entropy change."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.rl.losses import clip_b_mask  # noqa: E402
from infokit.methods.rl.registry import POLICY_LOSS_NAMES, get_policy_loss  # noqa: E402
from infokit.methods.rl.siren import SirenRegularizer  # noqa: E402
from infokit.methods.rl.toy import (  # noqa: E402
    SumModTask,
    TabularPolicy,
    entropy_change_check,
    grpo_advantages,
    grpo_step,
)


def test_uniform_policy_has_entropy_log_vocab_and_samples_in_range():
    pol = TabularPolicy(4, 3, 5)
    prompts = torch.arange(4)
    tok = pol.sample(prompts, generator=torch.Generator().manual_seed(0))
    assert tok.shape == (4, 3) and int(tok.min()) >= 0 and int(tok.max()) < 5
    lp, h, z = pol.evaluate(prompts, tok)
    assert torch.allclose(h, torch.full_like(h, math.log(5)))
    assert torch.allclose(lp, torch.full_like(lp, -math.log(5)))


def test_sum_mod_task_reward():
    task = SumModTask(2, 3, 4, seed=0)
    t = task.targets
    toks = torch.tensor([[int(t[0]), 0, 0], [int(t[1]) + 1, 0, 0]]) % 4
    assert task.reward(torch.arange(2), toks).tolist() == [1.0, 0.0]


def test_grpo_advantages_are_group_centred_and_scaled():
    r = torch.tensor([1.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
    a = grpo_advantages(r, 4)
    assert a[:4].sum().abs() < 1e-12 and torch.all(a[4:] == 0)  # a constant group has zero advantage
    assert float(a[0]) == pytest.approx(0.75 / (0.5 + 1e-6))  # (1 - 0.25) / std([1,0,0,0]) (unbiased: 0.5)


@pytest.mark.parametrize("name", POLICY_LOSS_NAMES)
def test_every_registered_loss_runs_a_grpo_step(name):
    torch.manual_seed(0)
    pol = TabularPolicy(4, 3, 4)
    opt = torch.optim.SGD(pol.parameters(), lr=0.5)
    kw = {"siren": {"regularizer": SirenRegularizer(top_k=4)}, "clip_cov": {"clip_cov_ratio": 0.1}}.get(name, {})
    if name == "epo":
        from infokit.methods.rl.epo import EntropyHistory

        kw = {"history": EntropyHistory(1)}
    before = pol.table.detach().clone()
    out = grpo_step(pol, opt, SumModTask(4, 3, 4), loss=name, loss_kwargs=kw, group_size=4, ppo_epochs=2,
                    generator=torch.Generator().manual_seed(1))
    assert math.isfinite(out["entropy"]) and 0 <= out["reward"] <= 1
    assert not torch.equal(before, pol.table.detach())  # the table moved
    if name == "epo":
        assert kw["history"].mean().tolist() == [pytest.approx(math.log(4))]  # updated with the uniform entropy


def test_unknown_loss_name_is_refused():
    with pytest.raises(InvalidParameterError, match="`policy_loss` must be one of"):
        get_policy_loss("ppo2")


def test_predicted_entropy_change_matches_realised_for_a_small_step():
    torch.manual_seed(0)
    pol = TabularPolicy(8, 4, 6, init_scale=1.0, generator=torch.Generator().manual_seed(2))
    task = SumModTask(8, 4, 6, seed=1)
    before = pol.table.detach().clone()
    out = entropy_change_check(pol, task, lr=0.05, group_size=8, generator=torch.Generator().manual_seed(3))
    assert torch.equal(before, pol.table.detach())  # the policy is restored
    # the covariance and discriminator forms are the same first-order quantity (sums of the same terms)
    assert out["predicted_disc"] == pytest.approx(out["predicted_cov"], rel=1e-9)
    # first order: the remainder is O(lr^2), a few percent of the change at this step size
    assert out["realised"] == pytest.approx(out["predicted_cov"], rel=0.05)
    assert out["realised"] != 0.0


def test_clip_b_mask_lowers_the_fraction_of_entropy_decreasing_updates():
    pol = TabularPolicy(8, 4, 6, init_scale=1.5, generator=torch.Generator().manual_seed(4))
    task = SumModTask(8, 4, 6, seed=2)

    def cb(lp, h, adv, mask):
        return clip_b_mask(lp, h, adv, mask, mu=1.0)[0]

    plain = entropy_change_check(pol, task, lr=0.05, generator=torch.Generator().manual_seed(5))
    clipped = entropy_change_check(pol, task, lr=0.05, mask_fn=cb, generator=torch.Generator().manual_seed(5))
    # same batch (same seed); Clip_B only removes negative-advantage tokens with S far below the mean, whose
    # updates lower the entropy: the fraction of entropy-lowering updates and the predicted drop both shrink
    assert clipped["frac_decreasing"] < plain["frac_decreasing"]
    assert clipped["predicted_cov"] > plain["predicted_cov"]
