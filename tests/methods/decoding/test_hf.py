"""transformers adapters: validation in __init__, purity in __call__, mask parity, and use inside generate()."""

import math

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
from transformers.generation import logits_process as lp  # noqa: E402

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.decoding.hf import (  # noqa: E402
    EpsilonLogitsProcessor,
    EtaLogitsProcessor,
    MinPLogitsProcessor,
    TopHLogitsProcessor,
    TopKLogitsProcessor,
    TopPLogitsProcessor,
    TypicalLogitsProcessor,
    truncation_processor,
)
from infokit.methods.decoding.truncation import top_h_mask  # noqa: E402

PAIRS = [
    (TopHLogitsProcessor(0.4), lp.TopHLogitsWarper(0.4)),
    (TopKLogitsProcessor(20), lp.TopKLogitsWarper(20)),
    (TopPLogitsProcessor(0.9), lp.TopPLogitsWarper(0.9)),
    (MinPLogitsProcessor(0.1), lp.MinPLogitsWarper(0.1)),
    (TypicalLogitsProcessor(0.9), lp.TypicalLogitsWarper(0.9)),
    (EpsilonLogitsProcessor(3e-4), lp.EpsilonLogitsWarper(3e-4)),
    (EtaLogitsProcessor(2e-3), lp.EtaLogitsWarper(2e-3)),
]


@pytest.mark.parametrize("ours, theirs", PAIRS, ids=lambda p: type(p).__name__)
def test_processor_output_equals_transformers_warper(ours, theirs):
    # same mask and the same untempered values on the kept tokens -> identical tensors
    scores = torch.randn(4, 3000, generator=torch.Generator().manual_seed(0)) * 3
    before = scores.clone()
    out = ours(None, scores)
    assert torch.equal(out, theirs(None, scores.clone()))
    assert torch.equal(scores, before)  # pure: the input is not modified


def test_processor_is_pure_and_untempered():
    scores = torch.randn(2, 500, generator=torch.Generator().manual_seed(1))
    proc = TopHLogitsProcessor(0.4, temperature=2.0)
    a, b = proc(None, scores), proc(None, scores)
    assert torch.equal(a, b)
    keep = top_h_mask(scores, 0.4, temperature=2.0)
    assert torch.equal(a[keep], scores[keep])  # kept logits returned untempered
    assert bool(torch.isneginf(a[~keep]).all())
    assert proc.supports_continuous_batching is True


def test_top_h_processor_strict_and_min_tokens():
    scores = torch.randn(3, 400, generator=torch.Generator().manual_seed(2)) * 0.5
    out = TopHLogitsProcessor(0.4, mode="strict", top_n=None)(None, scores)
    assert torch.equal(torch.isfinite(out), top_h_mask(scores, 0.4, mode="strict", top_n=None))
    out = TopHLogitsProcessor(0.01, min_tokens_to_keep=4, filter_value=-1e9)(None, scores)
    assert (out > -1e9).sum(-1).tolist() == [4, 4, 4]


def _tiny_llama(seed=0, vocab=211):
    cfg = transformers.LlamaConfig(vocab_size=vocab, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                                   num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                                   bos_token_id=0, eos_token_id=1, pad_token_id=1)
    torch.manual_seed(seed)
    return transformers.LlamaForCausalLM(cfg).eval()


def test_generate_with_processor_matches_builtin_top_h():
    # with top_k=0 (the top_k=50 trap disabled) and T = 1 our processor samples exactly what top_h=0.4 samples
    model = _tiny_llama()
    ids = torch.tensor([[0, 5, 9, 13]])
    kw = dict(do_sample=True, max_new_tokens=12, top_k=0, min_new_tokens=12, pad_token_id=1)
    torch.manual_seed(123)
    ours = model.generate(ids, logits_processor=[TopHLogitsProcessor(0.4)], **kw)
    torch.manual_seed(123)
    theirs = model.generate(ids, top_h=0.4, **kw)
    assert torch.equal(ours, theirs)


def test_generate_with_temperature_samples_only_kept_tokens():
    # the processor chooses the set on softmax(z/T); generate then applies T; every sampled token is in the set
    model = _tiny_llama(1)
    ids = torch.tensor([[0, 3, 4]])
    proc = TopHLogitsProcessor(0.3, temperature=1.8)
    torch.manual_seed(7)
    out = model.generate(ids, do_sample=True, temperature=1.8, top_k=0, max_new_tokens=6, min_new_tokens=6,
                         logits_processor=[proc], output_scores=True, return_dict_in_generate=True,
                         pad_token_id=1)
    with torch.no_grad():
        logits = model(out.sequences).logits[0, ids.shape[1] - 1:-1]
    keep = top_h_mask(logits, 0.3, temperature=1.8)
    new = out.sequences[0, ids.shape[1]:]
    assert bool(keep[torch.arange(len(new)), new].all())


@pytest.mark.parametrize("make, match", [
    (lambda: TopHLogitsProcessor(0.0), r"`alpha` must be in \(0, 1\]"),
    (lambda: TopHLogitsProcessor(1.2), r"`alpha` must be in \(0, 1\]"),
    (lambda: TopHLogitsProcessor(0.4, temperature=0), r"`temperature` must be a finite real number > 0"),
    (lambda: TopHLogitsProcessor(0.4, top_n=5, min_tokens_to_keep=6), r"`min_tokens_to_keep` \(6\) must be <="),
    (lambda: TopPLogitsProcessor(0.9, temperature=-1.0), r"`temperature`"),
    (lambda: TopKLogitsProcessor(0), r"`k` must be an integer >= 1"),
    (lambda: EtaLogitsProcessor(1.0), r"`epsilon` must be in \(0, 1\)"),
    (lambda: truncation_processor("greedy", 1), r"`method` must be one of"),
    (lambda: MinPLogitsProcessor(0.1, filter_value=float("nan")), r"`filter_value` must be a number"),
])
def test_processors_validate_in_init(make, match):
    with pytest.raises(InvalidParameterError, match=match):
        make()


def test_truncation_processor_factory():
    p = truncation_processor("top_p", 0.8, temperature=1.5)
    assert isinstance(p, TopPLogitsProcessor) and p.p == 0.8 and p.temperature == 1.5
    assert "TopPLogitsProcessor(" in repr(p)
    assert math.isinf(p.filter_value)


def test_truncation_stats_from_model_teacher_forced():
    from infokit.methods.decoding.truncation import teacher_forced_logits, truncation_stats

    model = _tiny_llama(2)
    ids = torch.tensor([[0, 7, 8, 9, 10, 11]])
    z = teacher_forced_logits(model, input_ids=ids)
    with torch.no_grad():
        ref = model(ids).logits[0, :-1]
    assert torch.equal(z, ref)  # position t predicts token t + 1; the last position has no target
    a = truncation_stats(model=model, input_ids=ids, temperatures=(1.5,))
    b = truncation_stats(z, temperatures=(1.5,))
    assert a.rows == b.rows and a.get("top-H 0.4", 1.5)["n_positions"] == 5
    with pytest.raises(InvalidParameterError, match="pass `input_ids`, or both `tokenizer` and `text`"):
        teacher_forced_logits(model)
    with pytest.raises(InvalidParameterError, match="pass `logits`, or `model`"):
        truncation_stats()
