"""iMEC steganography: round trips, the stegotext has the covertext distribution, tampering is detected."""

from __future__ import annotations


import numpy as np
import pytest
from scipy import stats

from infokit.exceptions import InvalidDistributionError, InvalidParameterError
from infokit.methods.coupling import (
    LanguageModelCovertext,
    SyntheticCovertext,
    imec_decode,
    imec_encode,
    min_entropy_coupling,
)


@pytest.mark.parametrize(
    "n_bits, block_bits, model",
    [
        (8, 8, SyntheticCovertext(vocab_size=16, top_k=4, seed=0)),
        (100, 8, SyntheticCovertext(vocab_size=64, top_k=8, seed=1)),
        (77, 5, SyntheticCovertext(vocab_size=50, top_k=12, concentration=0.3, seed=2)),  # skewed covertext
        (256, 12, SyntheticCovertext(vocab_size=200, top_k=30, concentration=2.0, order=1, seed=3)),
    ],
)
def test_round_trip_recovers_the_message(n_bits, block_bits, model):
    rng = np.random.default_rng(n_bits)
    msg = rng.integers(0, 2, n_bits).astype(np.uint8)
    key = rng.integers(0, 2, n_bits).astype(np.uint8)
    stego = imec_encode(msg, model, key=key, block_bits=block_bits, context=[3, 4], random_state=5)
    out = imec_decode(stego.tokens, model, n_bits, key=key, block_bits=block_bits, context=[3, 4])
    np.testing.assert_array_equal(out, msg)
    assert stego.n_tokens == stego.tokens.size and stego.n_bits == n_bits


def test_round_trip_of_bytes_without_key_and_extra_tokens_ignored():
    model = SyntheticCovertext(vocab_size=32, top_k=6, seed=4)
    msg = b"perfectly secure"
    stego = imec_encode(msg, model, random_state=0)
    tail = model.sample(5, context=list(stego.tokens), random_state=1)  # innocent covertext appended
    bits = imec_decode(np.concatenate([stego.tokens, tail]), model, 8 * len(msg))
    assert bytes(np.packbits(bits)) == msg


def test_first_token_is_distributed_exactly_as_the_covertext():
    # with a uniform ciphertext the first block's belief is uniform; the token's law is the coupling's column
    # marginal, i.e. exactly the model's pmf (Schroeder de Witt et al. 2023, Theorem 1)
    model = SyntheticCovertext(vocab_size=40, top_k=10, concentration=0.7, seed=9)
    q = model([])
    c = min_entropy_coupling(np.full(256, 1 / 256), q)
    np.testing.assert_allclose(c.marginal(1), q, atol=1e-12)


def test_stegotext_distribution_equals_covertext_distribution():
    # many encodings of one message under fresh random keys: the first two tokens must follow
    # q(a1) q(a2 | a1). Chi-square goodness of fit on the 2-token joint (cells with expected count >= 5).
    model = SyntheticCovertext(vocab_size=12, top_k=4, concentration=1.0, seed=11)
    rng = np.random.default_rng(0)
    msg = np.zeros(8, dtype=np.uint8)  # a fixed, very non-random message: only the key makes it uniform
    pairs = []
    for _ in range(1200):
        key = rng.integers(0, 2, 8).astype(np.uint8)
        toks = imec_encode(msg, model, key=key, block_bits=8, random_state=rng).tokens
        pairs.append((int(toks[0]), int(toks[1])))
    q1 = model([])
    expected = {}
    for a in np.flatnonzero(q1 > 0):
        q2 = model([a])
        for b in np.flatnonzero(q2 > 0):
            expected[(a, b)] = q1[a] * q2[b] * len(pairs)
    counts = {k: 0 for k in expected}
    for pr in pairs:
        assert pr in expected  # never a token the model gives probability 0
        counts[pr] += 1
    keys = [k for k, v in expected.items() if v >= 5]
    obs = np.array([counts[k] for k in keys], float)
    exp = np.array([expected[k] for k in keys])
    obs = np.append(obs, len(pairs) - obs.sum())
    exp = np.append(exp, len(pairs) - exp.sum())
    p_value = stats.chisquare(obs, exp).pvalue
    assert p_value > 1e-3  # a 0.1 % false-alarm level; a biased encoder (e.g. no key) fails it by far


def test_without_encryption_a_fixed_message_is_detectable():
    # the falsifiable counterpart: the same statistic flags the stegotext when the ciphertext is NOT uniform
    model = SyntheticCovertext(vocab_size=12, top_k=4, concentration=1.0, seed=11)
    rng = np.random.default_rng(0)
    first = [int(imec_encode(np.zeros(8, np.uint8), model, random_state=rng).tokens[0]) for _ in range(200)]
    q1 = model([])
    support = np.flatnonzero(q1 > 0)
    obs = np.array([first.count(int(a)) for a in support], float)
    assert stats.chisquare(obs, q1[support] * len(first)).pvalue < 1e-6


def test_throughput_is_close_to_the_covertext_entropy():
    # iMEC sends nearly the entropy of the covertext per token; information theory caps the average at it.
    # Dirichlet(0.5) weights over 32 tokens, 12-bit blocks: measured efficiency 0.83 (examples/coupling/
    # steganography.py); 0.75 leaves room for the seed while failing any scheme that wastes a quarter
    model = SyntheticCovertext(vocab_size=256, top_k=32, concentration=0.5, seed=3)
    rng = np.random.default_rng(3)
    bpt, ent = [], []
    for _ in range(2):
        s = imec_encode(rng.integers(0, 2, 480).astype(np.uint8), model, random_state=rng, block_bits=12)
        bpt.append(s.bits_per_token)
        ent.append(s.covertext_entropy)
    assert 0.75 * np.mean(ent) < np.mean(bpt) <= np.mean(ent) + 0.1
    # a uniform covertext of 16 tokens (4 bits) and 8-bit blocks: each token splits a belief exactly in 16
    s = imec_encode(rng.integers(0, 2, 96).astype(np.uint8), SyntheticCovertext(256, 16, seed=2), block_bits=8,
                    random_state=0)
    assert s.covertext_entropy == pytest.approx(4.0, abs=1e-12) and s.bits_per_token == 4.0


def test_tampering_and_truncation_are_detected():
    model = SyntheticCovertext(vocab_size=64, top_k=4, seed=2)
    msg = np.random.default_rng(1).integers(0, 2, 40).astype(np.uint8)
    s = imec_encode(msg, model, random_state=0)
    bad = s.tokens.copy()
    q = model(list(bad[:2]))
    bad[2] = int(np.flatnonzero(q == 0)[0])  # a token the model never emits there
    with pytest.raises(InvalidParameterError, match=r"impossible under the replayed coupling"):
        imec_decode(bad, model, 40)
    with pytest.raises(InvalidParameterError, match=r"ended after"):
        imec_decode(s.tokens[:3], model, 40)


def test_bad_input_raises_clear_errors():
    model = SyntheticCovertext(vocab_size=8, top_k=2, seed=0)
    with pytest.raises(InvalidParameterError, match=r"only 0 and 1"):
        imec_encode([0, 1, 2], model)
    with pytest.raises(InvalidParameterError, match=r"`key` must have as many bits"):
        imec_encode([0, 1, 1], model, key=[1, 0])
    with pytest.raises(InvalidParameterError, match=r"max_tokens"):
        imec_encode(np.ones(64, np.uint8), model, max_tokens=3)
    with pytest.raises(InvalidDistributionError, match=r"must sum to 1"):
        imec_encode([1, 0], lambda prefix: np.array([0.5, 0.3]))
    with pytest.raises(InvalidParameterError, match=r"`top_k` must be <="):
        SyntheticCovertext(vocab_size=4, top_k=5)


class _TinyLM:
    """A stand-in causal LM with the Hugging Face call convention (input_ids -> object with .logits)."""

    def __init__(self, vocab=30, dim=8, seed=0):
        import torch

        g = torch.Generator().manual_seed(seed)
        self.emb = torch.randn(vocab, dim, generator=g, dtype=torch.float64)
        self.out = torch.randn(dim, vocab, generator=g, dtype=torch.float64)

    def __call__(self, input_ids):
        import torch

        h = torch.cumsum(self.emb[input_ids], dim=1) / torch.arange(1, input_ids.shape[1] + 1)[None, :, None]
        return type("Out", (), {"logits": 3.0 * h @ self.out})()


def test_language_model_adapter_round_trip_and_top_k():
    pytest.importorskip("torch")
    lm = LanguageModelCovertext(_TinyLM(), top_k=10, bos_token_id=0)
    p = lm([])
    assert p.shape == (30,) and int((p > 0).sum()) == 10 and p.sum() == pytest.approx(1.0, abs=1e-15)
    msg = np.random.default_rng(0).integers(0, 2, 24).astype(np.uint8)
    s = imec_encode(msg, lm, random_state=0)
    np.testing.assert_array_equal(imec_decode(s.tokens, lm, 24), msg)
    with pytest.raises(InvalidParameterError, match=r"at least one token of context"):
        LanguageModelCovertext(_TinyLM())([])


def test_transformers_model_round_trip():
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    cfg = transformers.GPT2Config(vocab_size=50, n_positions=256, n_embd=16, n_layer=1, n_head=2)
    import torch

    torch.manual_seed(0)
    lm = LanguageModelCovertext(transformers.GPT2LMHeadModel(cfg).eval(), top_k=8, bos_token_id=0)
    msg = np.random.default_rng(1).integers(0, 2, 24).astype(np.uint8)
    s = imec_encode(msg, lm, random_state=0)
    np.testing.assert_array_equal(imec_decode(s.tokens, lm, 24), msg)
