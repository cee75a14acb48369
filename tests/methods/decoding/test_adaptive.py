"""Entropy-adaptive decoding: the known answers of notes §2.3 on tiny random models and a scripted-entropy model."""

import math

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from infokit.exceptions import InvalidParameterError, ShapeMismatchError  # noqa: E402
from infokit.methods.decoding.adaptive import (  # noqa: E402
    EntropyAdaptiveDecoder,
    relative_cost,
    truncated_layers_model,
)

VOCAB = 97


def _llama(seed, layers=2, vocab=VOCAB):
    cfg = transformers.LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=layers,
                                   num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                                   bos_token_id=0, eos_token_id=None, pad_token_id=0)
    torch.manual_seed(seed)
    m = transformers.LlamaForCausalLM(cfg).eval()
    # sharpen the random model a little so that greedy paths of the two models differ
    with torch.no_grad():
        m.lm_head.weight.mul_(8.0)
    return m


@pytest.fixture(scope="module")
def pair():
    return _llama(0), _llama(1, layers=3)


PROMPT = torch.tensor([[3, 14, 15, 92, 65]])


def _greedy_full(model, ids, n):
    """Reference greedy decoding by full recomputation (no cache)."""
    seq = ids.clone()
    with torch.no_grad():
        for _ in range(n):
            nxt = model(input_ids=seq).logits[0, -1].argmax()
            seq = torch.cat([seq, nxt.view(1, 1)], dim=1)
    return seq


def test_threshold_plus_inf_is_small_only_greedy(pair):
    small, large = pair
    out = EntropyAdaptiveDecoder(small, large, math.inf).generate(PROMPT, max_new_tokens=10)
    assert torch.equal(out.sequences, _greedy_full(small, PROMPT, 10))
    assert out.source.tolist() == [[0] * 10] and out.large_token_fraction == 0.0


def test_threshold_minus_inf_is_large_only_greedy(pair):
    small, large = pair
    out = EntropyAdaptiveDecoder(small, large, -math.inf).generate(PROMPT, max_new_tokens=10)
    assert torch.equal(out.sequences, _greedy_full(large, PROMPT, 10))
    assert out.large_token_fraction == 1.0
    # the two models disagree somewhere, so the two tests above are not vacuous
    assert not torch.equal(_greedy_full(small, PROMPT, 10), _greedy_full(large, PROMPT, 10))


class _Alternating(EntropyAdaptiveDecoder):
    """Test double: force the schedule S, L, S, L, ... to exercise the cache catch-up at every step."""

    def _decide(self, window, current, dwell):
        return 1 - current


def test_cache_catch_up_equals_full_recomputation(pair):
    small, large = pair
    dec = _Alternating(small, large, 0.0)
    out = dec.generate(PROMPT, max_new_tokens=9, output_logits=True)
    assert out.switches == 8
    seq = out.sequences[0]
    models = (small, large)
    T0 = PROMPT.shape[1]
    with torch.no_grad():
        for t in range(9):
            ref = models[int(out.source[0, t])](input_ids=seq[None, :T0 + t]).logits[0, -1]
            # fp32 cache vs recomputation: same math, different summation order -> 1e-5 (notes §2.3)
            torch.testing.assert_close(out.logits[0][t], ref, atol=1e-5, rtol=0)
    # each switch makes the newly active model catch up on the one token it missed beyond its own feed
    assert out.catchup_tokens["small"] + out.catchup_tokens["large"] == 7


class _Cache:
    def __init__(self):
        self.n = 0


class _Scripted(torch.nn.Module):
    """A fake causal LM whose next-token distribution at position i is uniform over 2**bits[i] tokens
    (entropy exactly bits[i] bits); greedy always picks token 0."""

    def __init__(self, bits, vocab=64):
        super().__init__()
        self.w = torch.nn.Parameter(torch.zeros(1))
        self.bits, self.vocab = bits, vocab

    def forward(self, input_ids, use_cache=True, past_key_values=None):
        start = past_key_values.n
        past_key_values.n += input_ids.shape[1]
        rows = []
        for pos in range(start, start + input_ids.shape[1]):
            row = torch.full((self.vocab,), -math.inf)
            row[: 2 ** self.bits[pos]] = 0.0
            rows.append(row)
        return type("Out", (), {"logits": torch.stack(rows)[None]})()


class _ScriptedDecoder(EntropyAdaptiveDecoder):
    @staticmethod
    def _new_cache():
        return _Cache()


def test_window_arithmetic_matches_rolling_mean_crossings():
    # entropy (bits) at each position: position i predicts token i + 1
    bits = [0, 0, 0, 1, 2, 4, 5, 5, 1, 0, 0, 0, 0, 3, 3, 3, 0, 0, 0, 0, 0, 0]
    prompt = torch.zeros(1, 3, dtype=torch.long)
    small, large = _Scripted(bits), _Scripted(bits)
    for tau, w in [(1.4, 3), (2.6, 2), (0.5, 1), (2.1, 5)]:  # tau off the grid of window means
        out = _ScriptedDecoder(small, large, tau, window=w).generate(prompt, max_new_tokens=16)
        # the entropy trace is the scripted schedule (position T0 - 1 + t predicts generated token t)
        # (float32 softmax entropies: 1e-6)
        torch.testing.assert_close(out.entropy[0], torch.tensor(bits[2:18], dtype=torch.float64), atol=1e-6, rtol=0)
        window = bits[max(0, 3 - w):3]
        expected = []
        active = 1 if sum(window) / len(window) > tau else 0
        for t in range(16):
            expected.append(active)
            window = (window + [bits[2 + t]])[-w:]
            active = 1 if sum(window) / len(window) > tau else 0
        assert out.source[0].tolist() == expected, (tau, w)
    # with tau = 1.4, w = 3 the switch to large happens when the mean of (1, 2, 4) first exceeds 1.4
    out = _ScriptedDecoder(small, large, 1.4, window=3).generate(prompt, max_new_tokens=16)
    assert out.source[0].tolist().index(1) == 4


def test_min_dwell_delays_switch_back():
    bits = [3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    prompt = torch.zeros(1, 2, dtype=torch.long)
    small, large = _Scripted(bits), _Scripted(bits)
    free = _ScriptedDecoder(small, large, 1.0, window=1).generate(prompt, max_new_tokens=10)
    held = _ScriptedDecoder(small, large, 1.0, window=1, min_dwell=5).generate(prompt, max_new_tokens=10)
    # prompt window [bits[1]] = [3] > 1 -> large; generated token t sees H = bits[1 + t]; the first 0 bit is seen
    # at t = 3, so free switching hands back from t = 4 on
    assert free.source[0].tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    assert held.source[0].tolist() == [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]  # large stays 5 tokens before handing back


def test_log_base_converts_threshold(pair):
    small, large = pair
    a = EntropyAdaptiveDecoder(small, large, 5.0, window=2).generate(PROMPT, max_new_tokens=8)
    b = EntropyAdaptiveDecoder(small, large, 5.0 * math.log(2), window=2, log_base=math.e).generate(
        PROMPT, max_new_tokens=8)
    assert torch.equal(a.source, b.source) and torch.equal(a.sequences, b.sequences)
    # bits = nats / ln 2 (float64 trace of float32 entropies: 1e-9)
    torch.testing.assert_close(a.entropy * math.log(2), b.entropy, atol=1e-9, rtol=1e-9)


def test_cost_accounting_and_batch_rows(pair):
    small, large = pair
    prompts = torch.tensor([[3, 14, 15, 92, 65], [2, 7, 1, 8, 28]])
    dec = EntropyAdaptiveDecoder(small, large, 6.0, window=1)
    out = dec.generate(prompts, max_new_tokens=6)
    f = out.large_token_fraction
    assert 0.0 < f < 1.0 and f == int((out.source == 1).sum()) / 12  # a real mix at this threshold
    n_s, n_l = out.param_counts
    assert out.relative_cost() == pytest.approx((f * n_l + (1 - f) * n_s) / n_l, rel=1e-12)
    assert relative_cost(0.43, 3.0, 11.0) == pytest.approx(1 - 0.415, abs=1e-3)  # notes §2.1: LLaMA 3B/11B pair
    # rows are decoded independently: row 1 alone gives the same result
    alone = dec.generate(prompts[1:], max_new_tokens=6)
    assert torch.equal(alone.sequences[0], out.sequences[1]) and torch.equal(alone.source[0], out.source[1])


def test_eos_stops_and_pads(pair):
    small, large = pair
    ref = EntropyAdaptiveDecoder(small, large, math.inf).generate(PROMPT, max_new_tokens=8)
    eos = int(ref.sequences[0, PROMPT.shape[1] + 2])  # the third generated token
    out = EntropyAdaptiveDecoder(small, large, math.inf).generate(
        torch.cat([PROMPT, PROMPT]), max_new_tokens=8, eos_token_id=eos, pad_token_id=0)
    first = ref.sequences[0, PROMPT.shape[1]:].tolist().index(eos) + 1
    assert out.num_new_tokens == (first, first)
    assert out.source.shape[1] == first


def test_sampling_with_processor_is_reproducible(pair):
    from infokit.methods.decoding.hf import TopHLogitsProcessor
    small, large = pair
    dec = EntropyAdaptiveDecoder(small, large, 6.0)
    kw = dict(max_new_tokens=8, do_sample=True, temperature=1.5, logits_processor=[TopHLogitsProcessor(0.4, temperature=1.5)])
    a = dec.generate(PROMPT, generator=torch.Generator().manual_seed(5), **kw)
    b = dec.generate(PROMPT, generator=torch.Generator().manual_seed(5), **kw)
    assert torch.equal(a.sequences, b.sequences)


def test_truncated_layers_model_shares_weights_and_matches_fresh_model():
    big = _llama(3, layers=3)
    small = truncated_layers_model(big, 1)
    assert small.config.num_hidden_layers == 1 and big.config.num_hidden_layers == 3
    assert small.lm_head.weight.data_ptr() == big.lm_head.weight.data_ptr()  # shared, not copied
    fresh = _llama(4, layers=1)
    fresh.load_state_dict({k: v for k, v in big.state_dict().items() if ".layers.1." not in k and ".layers.2." not in k})
    with torch.no_grad():
        torch.testing.assert_close(small(input_ids=PROMPT).logits, fresh(input_ids=PROMPT).logits, atol=1e-6, rtol=0)
        before = big(input_ids=PROMPT).logits
    assert len(big.model.layers) == 3  # the original is untouched
    with torch.no_grad():
        assert torch.equal(big(input_ids=PROMPT).logits, before)


def test_errors(pair):
    small, large = pair
    with pytest.raises(ShapeMismatchError, match="must share a vocabulary"):
        EntropyAdaptiveDecoder(small, _llama(5, vocab=VOCAB + 3), 2.0)
    dec = EntropyAdaptiveDecoder(small, large, 2.0)
    with pytest.raises(InvalidParameterError, match="at least one prompt token"):
        dec.generate(torch.zeros(1, 0, dtype=torch.long), max_new_tokens=3)
    with pytest.raises(InvalidParameterError, match="`max_new_tokens` must be an integer >= 1"):
        dec.generate(PROMPT, max_new_tokens=0)
    with pytest.raises(InvalidParameterError, match="`threshold` must be a real number"):
        EntropyAdaptiveDecoder(small, large, float("nan"))
    with pytest.raises(InvalidParameterError, match="`window` must be an integer >= 1"):
        EntropyAdaptiveDecoder(small, large, 2.0, window=0)
    with pytest.raises(InvalidParameterError, match="`log_base` must be"):
        EntropyAdaptiveDecoder(small, large, 2.0, log_base=1.0)
    with pytest.raises(InvalidParameterError, match="`start_with` must be one of"):
        EntropyAdaptiveDecoder(small, large, 2.0, start_with="medium")
    with pytest.raises(InvalidParameterError, match="`num_layers` must be <= 2"):
        truncated_layers_model(small, 3)
    with pytest.raises(InvalidParameterError, match="`large_token_fraction` must be in"):
        relative_cost(1.5, 1, 2)
