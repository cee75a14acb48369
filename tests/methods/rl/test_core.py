"""Shared RL core: entropy, masked reductions / agg_loss, covariance, discriminator, first-order entropy changes,
PPO clip."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from hypothesis import given, strategies as st  # noqa: E402

from infokit.exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.rl import core  # noqa: E402
from infokit.methods.rl.core import (  # noqa: E402
    agg_loss,
    entropy_discriminator,
    entropy_from_logits,
    entropy_from_logprobs,
    expected_discriminator,
    first_order_entropy_change,
    masked_mean,
    masked_var,
    ppo_clip_loss,
    predicted_pg_entropy_change,
    token_covariance,
)


def _h(z):
    p = torch.softmax(z.double(), -1)
    return -(p * torch.log(p)).sum(-1)


# --------------------------------------------------------------------------------------------- entropy
def test_entropy_uniform_equals_log_vocab():
    # softmax of equal logits is uniform over V: H = log V exactly
    assert float(entropy_from_logits(torch.zeros(3, 7))[0]) == pytest.approx(math.log(7), abs=1e-6)


def test_entropy_matches_direct_formula_and_chunking_is_exact():
    g = torch.Generator().manual_seed(0)
    z = torch.randn(5, 9, 33, generator=g, dtype=torch.float64) * 3
    h = entropy_from_logits(z)
    assert torch.allclose(h, _h(z), atol=1e-12)  # float64 both ways
    assert torch.equal(entropy_from_logits(z, chunk_size=4), h)  # same kernel on row blocks: bitwise equal


def test_entropy_temperature_equals_prescaled_logits():
    z = torch.randn(4, 10, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    assert torch.allclose(entropy_from_logits(z, temperature=2.0), entropy_from_logits(z / 2.0), atol=1e-12)


def test_entropy_of_half_precision_is_computed_in_fp32():
    z = torch.randn(3, 50, generator=torch.Generator().manual_seed(2))
    h = entropy_from_logits(z.to(torch.bfloat16))
    assert h.dtype == torch.float32
    # bf16 logits carry ~3 significant digits; the fp32 entropy of them is within 2e-2 of the fp32-logit one
    assert torch.allclose(h, entropy_from_logits(z), atol=2e-2)


def test_entropy_ignores_masked_tokens_and_is_finite():
    z = torch.tensor([0.0, 0.0, -math.inf])
    assert float(entropy_from_logits(z)) == pytest.approx(math.log(2), abs=1e-6)
    lp = torch.log(torch.tensor([0.5, 0.5, 0.0]))
    assert float(entropy_from_logprobs(lp)) == pytest.approx(math.log(2), abs=1e-6)


def test_entropy_gradient_matches_finite_difference():
    z = torch.randn(6, dtype=torch.float64, generator=torch.Generator().manual_seed(3), requires_grad=True)
    entropy_from_logits(z).backward()
    eps = 1e-6
    for i in range(6):
        d = torch.zeros(6, dtype=torch.float64)
        d[i] = eps
        fd = (_h(z.detach() + d) - _h(z.detach() - d)) / (2 * eps)
        assert float(z.grad[i]) == pytest.approx(float(fd), abs=1e-8)  # central difference error O(eps^2)


def test_entropy_rejects_bad_input():
    with pytest.raises(InvalidInputTypeError, match="`logits` must be a torch.Tensor"):
        entropy_from_logits(np.zeros(3))
    with pytest.raises(InvalidInputTypeError, match="floating-point"):
        entropy_from_logits(torch.zeros(3, dtype=torch.long))
    with pytest.raises(InvalidParameterError, match="`temperature` must be > 0"):
        entropy_from_logits(torch.zeros(3), temperature=0)
    with pytest.raises(InvalidParameterError, match="`chunk_size` must be a positive integer"):
        entropy_from_logits(torch.zeros(2, 3), chunk_size=0)


# --------------------------------------------------------------------------------------------- aggregation
def _random_batch(seed=0, b=4, t=7):
    g = torch.Generator().manual_seed(seed)
    loss = torch.randn(b, t, generator=g, dtype=torch.float64)
    lengths = torch.tensor([7, 3, 1, 5])[:b]
    mask = (torch.arange(t)[None] < lengths[:, None]).double()
    return loss, mask


@pytest.mark.parametrize("mode", core.LOSS_AGG_MODES)
def test_agg_loss_modes_equal_their_definitions(mode):
    loss, mask = _random_batch()
    # explicit loops over sequences and tokens (the definitions in the docstring)
    rows = []
    for i in range(loss.shape[0]):
        valid = [float(loss[i, t]) for t in range(loss.shape[1]) if mask[i, t] > 0]
        rows.append(valid)
    if mode == "token-mean":
        want = sum(sum(r) for r in rows) / sum(len(r) for r in rows)
    elif mode == "seq-mean-token-sum":
        want = sum(sum(r) for r in rows) / len(rows)
    elif mode == "seq-mean-token-mean":
        want = sum(sum(r) / len(r) for r in rows) / len(rows)
    else:
        want = sum(sum(r) for r in rows) / loss.shape[1]
    assert float(agg_loss(loss, mask, mode)) == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("mode", ["token-mean", "seq-mean-token-sum", "seq-mean-token-mean"])
def test_agg_loss_is_invariant_to_padding(mode):
    loss, mask = _random_batch(1)
    # extra padded columns (with garbage losses) and a fully padded row change nothing
    pad_loss = torch.cat([loss, torch.full((4, 3), 99.0, dtype=torch.float64)], 1)
    pad_mask = torch.cat([mask, torch.zeros(4, 3, dtype=torch.float64)], 1)
    pad_loss = torch.cat([pad_loss, torch.full((1, 10), -5.0, dtype=torch.float64)], 0)
    pad_mask = torch.cat([pad_mask, torch.zeros(1, 10, dtype=torch.float64)], 0)
    assert float(agg_loss(pad_loss, pad_mask, mode)) == pytest.approx(float(agg_loss(loss, mask, mode)), abs=1e-12)


def test_agg_loss_global_denominators_make_micro_batches_add_up():
    loss, mask = _random_batch(2)
    full = agg_loss(loss, mask, "token-mean")
    n = mask.sum()
    parts = agg_loss(loss[:2], mask[:2], num_tokens=n) + agg_loss(loss[2:], mask[2:], num_tokens=n)
    assert float(parts) == pytest.approx(float(full), abs=1e-12)
    full_s = agg_loss(loss, mask, "seq-mean-token-mean")
    parts_s = agg_loss(loss[:2], mask[:2], "seq-mean-token-mean", num_seqs=4) + \
        agg_loss(loss[2:], mask[2:], "seq-mean-token-mean", num_seqs=4)
    assert float(parts_s) == pytest.approx(float(full_s), abs=1e-12)


def test_agg_loss_accepts_bool_masks_and_rejects_bad_modes():
    loss, mask = _random_batch(3)
    assert float(agg_loss(loss, mask.bool())) == pytest.approx(float(agg_loss(loss, mask)), abs=1e-12)
    with pytest.raises(InvalidParameterError, match="`loss_agg_mode` must be one of"):
        agg_loss(loss, mask, "token-sum")
    with pytest.raises(ShapeMismatchError, match="must have the same shape"):
        agg_loss(loss, mask[:, :3])


def test_masked_mean_and_var_match_numpy_on_valid_entries():
    loss, mask = _random_batch(4)
    vals = loss[mask > 0].numpy()
    assert float(masked_mean(loss, mask)) == pytest.approx(vals.mean(), abs=1e-12)
    assert float(masked_var(loss, mask)) == pytest.approx(vals.var(), abs=1e-12)
    assert float(masked_var(loss, mask, unbiased=True)) == pytest.approx(vals.var(ddof=1), abs=1e-12)


# --------------------------------------------------------------------------------------------- covariance
def test_token_covariance_mean_is_the_batch_covariance_and_padding_is_zero():
    g = torch.Generator().manual_seed(5)
    lp = -torch.rand(3, 6, generator=g, dtype=torch.float64) * 3
    a = torch.randn(3, 6, generator=g, dtype=torch.float64)
    mask = torch.ones(3, 6, dtype=torch.float64)
    mask[1, 4:] = 0
    cov = token_covariance(lp, a, mask)
    valid = mask > 0
    x, y = lp[valid].numpy(), a[valid].numpy()
    # population covariance of (log pi, A) over valid tokens = mean of the centred products
    assert float(cov[valid].mean()) == pytest.approx(np.cov(x, y, bias=True)[0, 1], abs=1e-12)
    assert torch.all(cov[~valid] == 0)
    # padding values never enter the means
    lp2 = lp.clone()
    lp2[~valid] = 1e6
    assert torch.equal(token_covariance(lp2, a, mask), cov)


# --------------------------------------------------------------------------------------------- entropy dynamics
def test_discriminator_sums_to_zero_and_sign_rule():
    z = torch.randn(50, dtype=torch.float64, generator=torch.Generator().manual_seed(6)) * 2
    lp = torch.log_softmax(z, -1)
    h = _h(z)
    s = entropy_discriminator(lp, h.expand_as(lp))
    assert float(s.sum()) == pytest.approx(0.0, abs=1e-12)  # sum_j p_j(H + log p_j) = H - H
    assert torch.equal(s > 0, torch.exp(lp) > torch.exp(-h))  # S_k > 0 <=> p_k > e^{-H}


def test_single_logit_update_changes_entropy_by_minus_eps_s():
    # Theorem 3.2 of Wang et al.: dH/d(eps) at z + eps e_k equals -S_k (central finite difference, float64)
    z = torch.randn(50, dtype=torch.float64, generator=torch.Generator().manual_seed(7))
    lp = torch.log_softmax(z, -1)
    s = entropy_discriminator(lp, _h(z).expand_as(lp))
    eps = 1e-4
    for k in (0, int(torch.argmax(z)), int(torch.argmin(z))):
        e = torch.zeros(50, dtype=torch.float64)
        e[k] = eps
        fd = float((_h(z + e) - _h(z - e)) / (2 * eps))
        assert fd == pytest.approx(-float(s[k]), rel=1e-6, abs=1e-12)  # O(eps^2) = 1e-8 truncation


def test_first_order_entropy_change_matches_finite_difference():
    g = torch.Generator().manual_seed(8)
    z = torch.randn(4, 50, dtype=torch.float64, generator=g)
    dz = torch.randn(4, 50, dtype=torch.float64, generator=g)
    eps = 1e-5
    pred = first_order_entropy_change(z, eps * dz)
    real = _h(z + eps * dz) - _h(z)
    # the second-order remainder is O(eps^2 |dz|^2) ~ 1e-10 * 50 = 5e-9 at most; the first-order terms are
    # ~1e-6 here (one row is nearly stationary, ~1e-8, hence an absolute tolerance rather than a relative one)
    assert torch.allclose(pred, real, rtol=1e-3, atol=5e-9)
    assert float((pred - real).abs().max()) < 1e-3 * float(real.abs().max())


def test_natural_pg_step_entropy_change_is_minus_cov_of_logp_and_advantage():
    # NPG: dz = eta * A with A centred under pi  ->  dH ~ -eta Cov_pi(log pi, A)
    g = torch.Generator().manual_seed(9)
    z = torch.randn(50, dtype=torch.float64, generator=g)
    p = torch.softmax(z, -1)
    a = torch.randn(50, dtype=torch.float64, generator=g)
    a = a - (p * a).sum()
    eta = 1e-3
    lp = torch.log(p)
    cov = (p * (lp - (p * lp).sum()) * a).sum()
    real = _h(z + eta * a) - _h(z)
    assert float(real) == pytest.approx(-eta * float(cov), rel=2e-3)  # O(eta) relative remainder


def test_vanilla_pg_form_needs_advantages_centred_under_pi():
    # tabular vanilla PG: dz_a = eta pi(a) A(a). With A centred under pi, dH ~ -eta Cov(log pi, pi A) holds;
    # the same formula with an uncentred A (shifted by 5) is wrong: the real step is not a pure shift of z.
    g = torch.Generator().manual_seed(10)
    z = torch.randn(50, dtype=torch.float64, generator=g)
    p = torch.softmax(z, -1)
    lp = torch.log(p)
    a = torch.randn(50, dtype=torch.float64, generator=g)
    a = a - (p * a).sum()
    eta = 1e-3

    def cov_formula(adv):
        x = p * adv
        return -eta * float((p * (lp - (p * lp).sum()) * (x - (p * x).sum())).sum())

    # the exact softmax-PG gradient of E_pi[A] in the logits is pi*(A - E_pi A): with centred A it is pi*A
    real = float(_h(z + eta * p * (a - (p * a).sum())) - _h(z))
    assert real == pytest.approx(cov_formula(a), rel=2e-3)
    a_shift = a + 5.0
    real_shift = float(_h(z + eta * p * (a_shift - (p * a_shift).sum())) - _h(z))
    assert abs(real_shift - cov_formula(a_shift)) > 10 * abs(real_shift - cov_formula(a))


def test_grpo_step_entropy_change_matches_discriminator_formula():
    # dz = eta A rho (e_k - p): dH ~ -eta A rho (S_k - E_p S)  (Theorem 3.3 re-derived), float64 V=50
    g = torch.Generator().manual_seed(11)
    z = torch.randn(50, dtype=torch.float64, generator=g) * 2
    p = torch.softmax(z, -1)
    eta, adv, rho, k = 1e-3, 1.3, 0.9, 7
    e = torch.zeros(50, dtype=torch.float64)
    e[k] = 1
    real = float(_h(z + eta * adv * rho * (e - p)) - _h(z))
    pred = float(predicted_pg_entropy_change(z, torch.tensor(k), adv, eta, ratio=rho))
    assert pred == pytest.approx(real, rel=1e-3)
    # the expectation term is the vocabulary mean of S
    lp = torch.log(p)
    s = p * (_h(z) + lp)
    assert float(expected_discriminator(z)) == pytest.approx(float((p * s).sum()), abs=1e-14)


@given(st.integers(0, 10_000))
def test_first_order_change_is_zero_for_uniform_policies(seed):
    # uniform pi: log pi is constant, so its covariance with any dz is 0
    dz = torch.randn(11, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    assert abs(float(first_order_entropy_change(torch.zeros(11, dtype=torch.float64), dz))) < 1e-14


# --------------------------------------------------------------------------------------------- PPO clip
def test_ppo_clip_loss_known_values_and_masks():
    old = torch.zeros(1, 4, dtype=torch.float64)
    lp = torch.log(torch.tensor([[1.5, 0.5, 1.0, 0.1]], dtype=torch.float64))
    adv = torch.tensor([[1.0, -1.0, 2.0, -1.0]], dtype=torch.float64)
    r = ppo_clip_loss(old, lp, adv, clip_low=0.2, clip_high=0.2, clip_c=3.0)
    # token 0: rho 1.5 > 1.2 with A>0 -> loss -1.2 (clipped); token 1: rho 0.5 < 0.8 with A<0 -> loss 0.8 (clipped)
    # token 2: rho 1 -> -2; token 3: rho 0.1 with A<0 -> clip branch 0.8 (clipped); dual clip bound 3 not active
    assert torch.allclose(r.loss, torch.tensor([[-1.2, 0.8, -2.0, 0.8]], dtype=torch.float64), atol=1e-12)
    assert r.clipped.tolist() == [[True, True, False, True]]
    assert r.clipped_lower.tolist() == [[False, False, False, False]]
    # dual clip: a huge ratio with A<0 is bounded by -A*c = 3
    r2 = ppo_clip_loss(old, torch.log(torch.tensor([[10.0, 1, 1, 1]], dtype=torch.float64)),
                       -torch.ones(1, 4, dtype=torch.float64), clip_c=3.0)
    assert float(r2.loss[0, 0]) == pytest.approx(3.0) and bool(r2.clipped_lower[0, 0])


def test_ppo_clip_loss_validates_parameters():
    x = torch.zeros(2, 2)
    with pytest.raises(InvalidParameterError, match="`clip_c` must be > 1"):
        ppo_clip_loss(x, x, x, clip_c=1.0)
    with pytest.raises(ShapeMismatchError, match="`old_log_prob` and `log_prob`"):
        ppo_clip_loss(x, torch.zeros(2, 3), x)
