"""Attention entropy (Jha & Reagen 2025): row entropies, causal maxima, the regulariser, hooks on GPT-2."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from hypothesis import given, strategies as st  # noqa: E402

from infokit.exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.representations.attention_entropy import (  # noqa: E402
    AttentionEntropyMonitor,
    attention_row_entropy,
    attention_entropy_stats,
    attention_max_entropy,
    entropy_regularization_loss,
    normalized_attention_entropy,
)


def causal_uniform(n, batch=1, heads=1, dtype=torch.float64):
    """Row i uniform over keys 0..i (the maximum-entropy causal attention)."""
    a = torch.tril(torch.ones(n, n, dtype=dtype)) / torch.arange(1, n + 1, dtype=dtype).unsqueeze(1)
    return a.expand(batch, heads, n, n).clone()


def random_causal(batch, heads, n, seed, scale=1.0):
    g = torch.Generator().manual_seed(seed)
    scores = torch.randn(batch, heads, n, n, generator=g, dtype=torch.float64) * scale
    scores = scores.masked_fill(~torch.tril(torch.ones(n, n, dtype=torch.bool)), float("-inf"))
    return torch.softmax(scores, -1)


def np_entropy_rows(a):
    a = np.asarray(a, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.where(a > 0, a * np.log(np.where(a > 0, a, 1.0)), 0.0).sum(-1)


def np_reg_loss(ents, w, emax, valid, tol, reduction):
    """numpy reference of the penalty: ents list of (B, H, Q), w (H,), emax (B, Q), valid (B, Q) bool."""
    total = 0.0
    for e in ents:
        per_head = []
        for h in range(e.shape[1]):
            dev = e[:, h, :] - w[h] * emax
            pen = np.where((np.abs(dev) > tol * emax) & valid, dev**2, 0.0).sum()
            per_head.append(pen / valid.sum() if reduction == "mean" else pen)
        total += np.mean(per_head)
    return total / len(ents)


# ------------------------------------------------------------------------------------ entropies and maxima
@pytest.mark.parametrize("n", [1, 2, 5, 64])
def test_uniform_row_has_entropy_log_n(n):
    a = torch.full((3, n), 1.0 / n, dtype=torch.float64)
    torch.testing.assert_close(attention_row_entropy(a), torch.full((3,), math.log(n), dtype=torch.float64),
                               rtol=1e-14, atol=1e-14)  # float64 sum of n equal terms


def test_one_hot_row_has_zero_entropy_and_bits_base():
    a = torch.tensor([[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]], dtype=torch.float64)
    torch.testing.assert_close(attention_row_entropy(a, base=2), torch.tensor([0.0, 1.0], dtype=torch.float64))


def test_causal_uniform_rows_have_entropy_log_i_plus_one():
    # row i of a causal mask allows i + 1 keys: max entropy log(i + 1), reached by uniform attention
    a = causal_uniform(6)
    expected = torch.log(torch.arange(1, 7, dtype=torch.float64))
    torch.testing.assert_close(attention_row_entropy(a)[0, 0], expected, rtol=1e-14, atol=1e-14)
    torch.testing.assert_close(attention_max_entropy(6).double(), expected, rtol=1e-6, atol=1e-7)  # float32 out


def test_max_entropy_with_cache_offset_padding_and_noncausal():
    # 2 new queries on 5 keys (3 cached): absolute positions 3, 4 -> 4 and 5 allowed keys
    np.testing.assert_allclose(attention_max_entropy(2, 5).numpy(), np.log([4, 5]), rtol=1e-6)
    np.testing.assert_allclose(attention_max_entropy(3, causal=False).numpy(), np.log([3, 3, 3]), rtol=1e-6)
    # left padding of 2 in the first sequence: allowed = cumulative count of real keys
    mask = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    out = attention_max_entropy(4, attention_mask=mask).numpy()
    np.testing.assert_allclose(out, np.log([[1, 1, 1, 2], [1, 2, 3, 4]]), rtol=1e-6)  # 0 keys -> 0 (log 1)


@given(seed=st.integers(0, 10_000), scale=st.floats(0.1, 5.0))
def test_entropy_is_between_zero_and_row_maximum(seed, scale):
    a = random_causal(2, 3, 7, seed, scale)
    e = attention_row_entropy(a)
    emax = attention_max_entropy(7).double()
    assert float(e.min()) >= 0
    assert bool((e <= emax + 1e-12).all())  # Gibbs; 1e-12 float64 round-off
    ne = normalized_attention_entropy(a)
    assert float(ne.min()) >= 0 and float(ne.max()) <= 1 + 1e-12
    assert bool((ne[..., 0] == 0).all())  # row 0: a single allowed key, defined as 0 (no NaN)


def test_entropy_equals_numpy_reference_and_is_permutation_invariant():
    a = random_causal(2, 2, 9, seed=3)
    np.testing.assert_allclose(attention_row_entropy(a).numpy(), np_entropy_rows(a.numpy()), rtol=1e-13, atol=1e-14)
    perm = torch.randperm(9, generator=torch.Generator().manual_seed(0))
    torch.testing.assert_close(attention_row_entropy(a[..., perm]), attention_row_entropy(a), rtol=1e-13, atol=1e-14)


def test_entropy_gradient_is_finite_with_masked_zeros():
    scores = torch.randn(1, 1, 5, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    scores.requires_grad_(True)
    mask = torch.tril(torch.ones(5, 5, dtype=torch.bool))
    a = torch.softmax(scores.masked_fill(~mask, float("-inf")), -1)
    attention_row_entropy(a).sum().backward()
    assert bool(torch.isfinite(scores.grad).all())
    # gradcheck through softmax on the allowed entries
    s = torch.randn(2, 4, dtype=torch.float64, generator=torch.Generator().manual_seed(2), requires_grad=True)
    assert torch.autograd.gradcheck(lambda z: attention_row_entropy(torch.softmax(z, -1)), (s,))


def test_entropy_does_not_mutate_input():
    a = random_causal(1, 2, 4, seed=5)
    a0 = a.clone()
    attention_row_entropy(a)
    normalized_attention_entropy(a)
    entropy_regularization_loss([a], torch.full((2,), 0.5, dtype=torch.float64))
    assert torch.equal(a, a0)


# ------------------------------------------------------------------------------------ the regulariser
def test_regulariser_is_zero_inside_the_band_with_zero_gradient():
    # uniform causal attention has E_i = log(i+1) = E_max,i exactly; w = 0.9 puts the threshold 0.1 E_max away,
    # inside the default band 0.2 E_max -> no penalty and no gradient
    a = causal_uniform(8, batch=2, heads=3).requires_grad_(True)
    w = torch.full((3,), 0.9, dtype=torch.float64, requires_grad=True)
    loss = entropy_regularization_loss([a, a], w)
    loss.backward()
    assert loss.item() == 0.0
    assert float(a.grad.abs().max()) == 0.0 and float(w.grad.abs().max()) == 0.0


def test_regulariser_row_maximum_equals_closed_form():
    # w = 0.5: every row with i >= 1 deviates by 0.5 log(i+1) > 0.2 log(i+1), penalty (0.5 log(i+1))^2;
    # mean over batch x rows (rows 0..Q-1, all valid), heads and layers
    Q = 6
    a = causal_uniform(Q, batch=2, heads=2)
    loss = entropy_regularization_loss([a], torch.full((2,), 0.5, dtype=torch.float64))
    expected = np.mean([(0.5 * math.log(i + 1)) ** 2 for i in range(Q)])
    assert loss.item() == pytest.approx(expected, rel=1e-12)


def test_regulariser_context_mode_penalises_early_causal_rows():
    # reference-code mode: E_max = log(context) for every row; uniform causal rows i with
    # |log(i+1) - w log Q| > 0.2 log Q are penalised even though they are maximally spread (the notes' pitfall)
    Q = 8
    a = causal_uniform(Q)
    w = torch.ones(1, dtype=torch.float64)
    ctx = entropy_regularization_loss([a], w, max_entropy="context", reduction="sum")
    lq = math.log(Q)
    expected = sum((math.log(i + 1) - lq) ** 2 for i in range(Q) if abs(math.log(i + 1) - lq) > 0.2 * lq)
    assert ctx.item() == pytest.approx(expected, rel=1e-12)
    assert ctx.item() > 0
    assert entropy_regularization_loss([a], w).item() == 0.0  # the row-aware default does not penalise them


def test_regulariser_matches_numpy_reference_with_padding_and_layer_thresholds():
    B, H, Q = 3, 2, 7
    layers = [random_causal(B, H, Q, seed=s, scale=2.0) for s in (10, 11)]
    mask = torch.ones(B, Q, dtype=torch.long)
    mask[0, 5:] = 0  # right padding
    for la in layers:  # padded keys get zero attention, as a model with this mask would give
        la.mul_(mask[:, None, None, :].double())
        la.div_(la.sum(-1, keepdim=True).clamp(min=1e-300))
    w = torch.tensor([[0.3, 0.8], [0.6, 0.2]], dtype=torch.float64)
    valid = np.ones((B, Q), bool)
    valid[0, 5:] = False
    counts = np.cumsum(mask.numpy(), axis=1)
    emax = np.log(np.maximum(counts, 1))
    ents = [np_entropy_rows(la.numpy()) for la in layers]
    for red in ("mean", "sum"):
        ours = entropy_regularization_loss(layers, w, attention_mask=mask, reduction=red, tolerance=0.1).item()
        total = 0.0
        for l, e in enumerate(ents):  # per-layer thresholds
            total += np_reg_loss([e], w[l].numpy(), emax, valid, 0.1, red)
        assert ours == pytest.approx(total / 2, rel=1e-12)


def test_regulariser_reference_mode_equals_repo_formula():
    # max_entropy="context", reduction="sum": the compute_loss of the reference code (without its 1e-5 coefficient
    # and its +1e-9 inside the log), written out here in numpy
    B, H, Q = 2, 3, 6
    layers = [random_causal(B, H, Q, seed=s) for s in (20, 21, 22)]
    w = np.array([0.2, 0.5, 0.9])
    emax = math.log(Q)
    ref = 0.0
    for la in layers:
        e = np_entropy_rows(la.numpy())
        layer = 0.0
        for h in range(H):
            dev = e[:, h, :] - w[h] * emax
            layer += np.square(np.where(np.abs(dev) > 0.2 * emax, dev, 0.0)).sum()
        ref += layer / H
    ref /= len(layers)
    ours = entropy_regularization_loss(layers, torch.tensor(w), max_entropy="context", reduction="sum")
    assert ours.item() == pytest.approx(ref, rel=1e-12)


def test_regulariser_gradcheck_through_scores_and_thresholds():
    g = torch.Generator().manual_seed(7)
    scores = torch.randn(1, 2, 4, 4, generator=g, dtype=torch.float64, requires_grad=True)
    w = torch.tensor([0.2, 0.3], dtype=torch.float64, requires_grad=True)
    mask = torch.tril(torch.ones(4, 4, dtype=torch.bool))

    def f(s, ww):
        return entropy_regularization_loss([torch.softmax(s.masked_fill(~mask, float("-inf")), -1)], ww,
                                           tolerance=0.0)

    assert torch.autograd.gradcheck(f, (scores, w))


# ------------------------------------------------------------------------------------ hooks on GPT-2
def tiny_gpt2(seed=0, attn="eager"):
    transformers = pytest.importorskip("transformers")
    torch.manual_seed(seed)
    cfg = transformers.GPT2Config(n_layer=2, n_head=4, n_embd=32, vocab_size=40, n_positions=32, bos_token_id=0,
                                  eos_token_id=0, attn_pdrop=0.0, resid_pdrop=0.0, embd_pdrop=0.0,
                                  attn_implementation=attn)
    return transformers.GPT2LMHeadModel(cfg).eval()


def test_hooks_match_entropies_from_output_attentions():
    model = tiny_gpt2()
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 40, (2, 12), generator=g)
    mask = torch.ones(2, 12, dtype=torch.long)
    mask[1, 9:] = 0
    with AttentionEntropyMonitor(model) as mon:
        with torch.no_grad():
            out = model(ids, attention_mask=mask, output_attentions=True)
    assert len(mon.entropies) == 2 and mon.entropies[0].shape == (2, 4, 12)
    for rec, att in zip(mon.entropies, out.attentions):
        torch.testing.assert_close(rec, attention_row_entropy(att), rtol=0, atol=0)  # same tensors, same kernel
    hooked = mon.stats()
    by_hand = attention_entropy_stats(out.attentions, attention_mask=mask)
    torch.testing.assert_close(hooked.entropy, by_hand.entropy, rtol=0, atol=0)
    torch.testing.assert_close(hooked.normalized, by_hand.normalized, rtol=0, atol=0)
    assert hooked.n_rows == 2 * 11 - 3  # rows 1..11 of both sequences, minus 3 padded query rows
    # the hooks were removed on exit
    model(ids)
    assert mon.entropies[0].shape == (2, 4, 12) and not mon._handles


def test_monitor_regulariser_backpropagates_to_the_model():
    model = tiny_gpt2(seed=1)
    ids = torch.randint(0, 40, (2, 10), generator=torch.Generator().manual_seed(1))
    w = torch.nn.Parameter(torch.full((4,), 0.3))
    with AttentionEntropyMonitor(model, detach=False) as mon:
        out = model(ids, labels=ids)
        reg = mon.regularization_loss(w)
        (out.loss + reg).backward()
    assert reg.item() > 0  # random init is near-uniform (normalised entropy ~1), far above 0.3 + 0.2
    assert float(model.transformer.h[0].attn.c_attn.weight.grad.abs().sum()) > 0
    assert w.grad is not None and float(w.grad.abs().sum()) > 0


def test_monitor_fails_clearly_without_eager_attention():
    model = tiny_gpt2(attn="sdpa")
    with AttentionEntropyMonitor(model):
        with pytest.raises(InvalidInputTypeError, match="attn_implementation='eager'"):
            model(torch.zeros(1, 4, dtype=torch.long))


def test_stats_fractions_overloaded_and_collapsed():
    uniform = causal_uniform(6, heads=2)
    peaked = torch.eye(6, dtype=torch.float64).expand(1, 2, 6, 6)
    stats = attention_entropy_stats([uniform, peaked])
    torch.testing.assert_close(stats.normalized, torch.tensor([[1.0, 1.0], [0.0, 0.0]], dtype=torch.float64),
                               rtol=1e-14, atol=1e-14)
    assert stats.fraction_overloaded().tolist() == [1.0, 0.0]
    assert stats.fraction_collapsed().tolist() == [0.0, 1.0]


# ------------------------------------------------------------------------------------ errors
def test_errors_name_the_argument():
    a = causal_uniform(4, heads=2)
    with pytest.raises(InvalidInputTypeError, match="attn_implementation='eager'"):
        attention_row_entropy(None)
    with pytest.raises(InvalidParameterError, match="`attn` must hold probabilities"):
        attention_row_entropy(torch.tensor([[-0.5, 1.5]]))
    with pytest.raises(ShapeMismatchError, match=r"`threshold_weights` must have shape \(2,\)"):
        entropy_regularization_loss([a], torch.ones(3, dtype=torch.float64))
    with pytest.raises(InvalidParameterError, match="`max_entropy` must be one of"):
        entropy_regularization_loss([a], torch.ones(2, dtype=torch.float64), max_entropy="global")
    with pytest.raises(ShapeMismatchError, match=r"`attentions\[0\]` must have shape \(batch, heads"):
        entropy_regularization_loss([a[0]], torch.ones(2, dtype=torch.float64))
    with pytest.raises(ShapeMismatchError, match="`attention_mask` must be a \\(batch, n_keys\\)"):
        normalized_attention_entropy(a, attention_mask=torch.ones(1, 3))
    with pytest.raises(ShapeMismatchError, match="causal mask needs n_keys >= n_queries"):
        attention_max_entropy(5, 3)
    with pytest.raises(InvalidParameterError, match="`tolerance` must be >= 0"):
        entropy_regularization_loss([a], torch.ones(2, dtype=torch.float64), tolerance=-1)
    with pytest.raises(InvalidParameterError, match="no attention modules"):
        AttentionEntropyMonitor(torch.nn.Linear(2, 2))
    mon = AttentionEntropyMonitor(torch.nn.Linear(2, 2), modules=[torch.nn.Identity()])
    with pytest.raises(InvalidParameterError, match="run a forward pass"):
        mon.stats()
    with pytest.raises(InvalidParameterError, match="detach=False"):
        mon.regularization_loss(torch.ones(2))
    mon.remove()


def test_docstring_examples_run():
    import doctest

    import infokit.methods.representations.attention_entropy as mod

    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.attempted > 0 and res.failed == 0


@pytest.mark.gpu
def test_regulariser_on_cuda_matches_cpu():
    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA device")
    layers = [random_causal(2, 3, 6, seed=s) for s in (1, 2)]
    w = torch.tensor([0.2, 0.5, 0.9], dtype=torch.float64)
    cpu = entropy_regularization_loss(layers, w)
    gpu = entropy_regularization_loss([a.cuda() for a in layers], w.cuda())
    torch.testing.assert_close(gpu.cpu(), cpu, rtol=1e-10, atol=1e-12)  # float64 on both devices
