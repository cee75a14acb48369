"""Prompt compression: pipeline known answers with a stub scorer model (notes §3.4), a tiny real BERT token
classifier and the causal-LM self-information scorer."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
tokenizers = pytest.importorskip("tokenizers")

from infokit.exceptions import InvalidParameterError  # noqa: E402
from infokit.methods.decoding.compression import (  # noqa: E402
    SelfInformationScorer,
    TokenKeepScorer,
    compress_prompt,
)

WORDS = ("the a an cat dog sat ran on mat quickly answer is was and of to in it he she they big small red "
         "meeting budget approved project team report said will next week").split()
NUMBERED = [f"w{i}" for i in range(80)]
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PUNCT = list(".,!?;:")
PIECES = ["un", "##believ", "##able"]
DIGITS = [str(d) for d in range(10)] + [f"##{d}" for d in range(10)]


def _vocab():
    toks = SPECIAL + PUNCT + WORDS + NUMBERED + PIECES + DIGITS
    return {t: i for i, t in enumerate(dict.fromkeys(toks))}


VOCAB = _vocab()


@pytest.fixture(scope="module")
def tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    tok = Tokenizer(models.WordPiece(VOCAB, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.BertProcessing(("[SEP]", VOCAB["[SEP]"]), ("[CLS]", VOCAB["[CLS]"]))
    return transformers.PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]",
                                                cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


class _Stub(torch.nn.Module):
    """Token classifier stub: p_keep of each token id is looked up in a table (default 0.5)."""

    def __init__(self, table):
        super().__init__()
        self.p = torch.full((len(VOCAB),), 0.5)
        for tok, p in table.items():
            self.p[VOCAB[tok]] = p
        self.config = type("C", (), {"num_labels": 2})()
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        p = self.p[input_ids].clamp(1e-6, 1 - 1e-6)
        logits = torch.stack([torch.zeros_like(p), torch.log(p / (1 - p))], dim=-1)  # softmax[..., 1] = p
        return type("Out", (), {"logits": logits})()


def _scorer(tokenizer, table=None, **kw):
    return TokenKeepScorer(_Stub(table or {}), tokenizer, **kw)


TEXT = "the cat sat on the mat. the dog ran quickly! he said the budget was approved, and they will meet next week."


def test_rate_one_returns_text(tokenizer):
    res = compress_prompt(TEXT, _scorer(tokenizer), rate=1.0)
    assert res.compressed_prompt == TEXT and res.rate == 1.0
    assert compress_prompt("  " + TEXT + "\n", _scorer(tokenizer), rate=1.0).compressed_prompt == TEXT


def test_monotone_probabilities_keep_the_last_words(tokenizer):
    # word k has p_keep = (k + 1) / 81, increasing; at rate r the kept words are the last ~ r·n ones
    table = {w: (k + 1) / 81 for k, w in enumerate(NUMBERED)}
    text = " ".join(NUMBERED)
    for rate in (0.25, 0.5, 0.75):
        res = compress_prompt(text, _scorer(tokenizer, table), rate=rate, chunk_end_tokens=())
        kept = res.kept[0]
        n_kept = int(kept.sum())
        # LLMLingua-2's threshold is the int(100(1 - r) + 1)-th percentile: up to ~1 word fewer than r·n
        assert int(rate * 80) - 2 <= n_kept <= int(rate * 80), (rate, n_kept)
        assert kept[-n_kept:].all() and not kept[:-n_kept].any()  # a suffix
        assert res.compressed_prompt == " ".join(NUMBERED[-n_kept:])
        assert abs(res.rate - n_kept / 80) < 1e-12  # one token per word here


def test_force_tokens_and_digits_survive(tokenizer):
    table = {w: 0.01 for w in WORDS + PUNCT}
    text = "the answer is 42. he said: the team was big ? the meeting ran"
    res = compress_prompt(text, _scorer(tokenizer, table), rate=0.3, force_tokens=["?", ".", "the answer is"],
                          force_reserve_digit=True)
    out = res.compressed_prompt
    assert out.startswith("the answer is 42.") and "?" in out
    assert "meeting" not in out and "team" not in out  # low-probability words go
    words = dict(zip(res.words[0], res.probs[0]))
    assert words["42"] == 1.0 and words["?"] == 1.0
    # without forcing, those words are dropped like the rest
    bare = compress_prompt(text, _scorer(tokenizer, table), rate=0.3)
    assert "answer" not in bare.compressed_prompt or "42" not in bare.compressed_prompt


def test_word_aggregation_mean_and_first(tokenizer):
    # "unbelievable" = un ##believ ##able with p = (0.9, 0.1, 0.2): mean 0.4, first 0.9 (notes §3.4)
    sc = _scorer(tokenizer, {"un": 0.9, "##believ": 0.1, "##able": 0.2, "cat": 0.7})
    probs = dict(sc.word_probs("cat unbelievable"))
    assert probs["cat"] == pytest.approx(0.7, abs=1e-6)  # float32 softmax
    assert probs["unbelievable"] == pytest.approx(0.4, abs=1e-6)
    assert dict(sc.word_probs("cat unbelievable", reduce="first"))["unbelievable"] == pytest.approx(0.9, abs=1e-6)


def test_chunks_within_length_limit_and_end_on_periods(tokenizer):
    sc = _scorer(tokenizer, max_seq_len=12)  # 10 body tokens + [CLS] [SEP]
    text = ("the cat sat on the mat. the dog ran. he said the budget was approved and the team will report "
            "next week. they ran")
    ws = sc.score_words(text)
    counts = np.bincount(ws.chunk, weights=ws.n_tokens)
    assert counts.max() <= 10
    assert list(ws.chunk) == sorted(ws.chunk)  # chunks are contiguous and in order
    assert " ".join(ws.words).replace(" .", ".") == text  # the words reproduce the text
    # every chunk that is followed by another ends on "." when its window contained one
    for c in range(int(ws.chunk.max())):
        last = np.nonzero(ws.chunk == c)[0][-1]
        window_words = [ws.words[i] for i in np.nonzero(ws.chunk == c)[0]]
        if "." in window_words:
            assert ws.words[last] == "."


def test_target_token_budget(tokenizer):
    table = {w: (k + 1) / 81 for k, w in enumerate(NUMBERED)}
    text = " ".join(NUMBERED)
    res = compress_prompt(text, _scorer(tokenizer, table), target_token=20, chunk_end_tokens=())
    assert res.origin_tokens == 80 and res.compressed_tokens <= 20 + 1  # +1: percentile rounding


def test_split_into_contexts_keeps_same_words(tokenizer):
    # thresholds are per chunk: if each sentence is its own chunk, splitting the contexts at a sentence
    # boundary changes nothing (notes §3.4)
    table = {w: (k + 1) / 81 for k, w in enumerate(NUMBERED)}
    s1 = " ".join(NUMBERED[:8]) + " ."
    s2 = " ".join(NUMBERED[40:48]) + " ."
    sc = _scorer(tokenizer, table, max_seq_len=11)
    joint = compress_prompt(s1 + " " + s2, sc, rate=0.5)
    split = compress_prompt([s1, s2], sc, rate=0.5)
    assert np.array_equal(np.concatenate(split.kept), joint.kept[0])
    assert split.compressed_prompt.split() == joint.compressed_prompt.split()


def test_threshold_mode_and_context_filter(tokenizer):
    table = {"cat": 0.9, "dog": 0.8, "mat": 0.2, "big": 0.05, "red": 0.05, "small": 0.05}
    sc = _scorer(tokenizer, table)
    res = compress_prompt("cat mat dog big", sc, threshold=0.5)
    assert res.compressed_prompt == "cat dog"
    ctxs = ["cat dog cat", "big red small", "cat mat dog"]
    res = compress_prompt(ctxs, sc, rate=0.99, use_context_level_filter=True, context_level_rate=0.5)
    # context means 0.867 / 0.05 / 0.633: the 50th percentile is 0.633, so context 1 is dropped
    assert res.context_kept == (True, False, True) and res.compressed_prompt_list[1] == ""
    res = compress_prompt(ctxs, sc, rate=0.99, use_context_level_filter=True, context_level_rate=0.5,
                          force_context_ids=[1])
    assert res.context_kept == (True, True, True)


def test_drop_consecutive_force_tokens(tokenizer):
    table = {w: 0.01 for w in WORDS}
    table.update({"cat": 0.99})
    # the "kept between" test uses the median word probability (0.01 here) as its threshold, as the reference
    text = "the a an of to in it cat . . he she . cat ."
    sc = _scorer(tokenizer, table)
    keep_all = compress_prompt(text, sc, rate=0.5, force_tokens=["."])
    dropped = compress_prompt(text, sc, rate=0.5, force_tokens=["."], drop_consecutive=True)
    assert keep_all.compressed_prompt.count(".") == 4
    assert dropped.compressed_prompt.count(".") == 2  # "cat . cat ." : repeats with nothing kept between go


def test_tiny_bert_end_to_end(tokenizer):
    cfg = transformers.BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                  intermediate_size=64, max_position_embeddings=64, num_labels=2)
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(cfg).eval()
    sc = TokenKeepScorer(model, tokenizer, max_seq_len=16, batch_size=2)
    res = compress_prompt(TEXT, sc, rate=0.5)
    assert 0.2 < res.rate < 0.8 and all(0 < p < 1 for p in res.probs[0])
    # batching does not change the scores
    sc1 = TokenKeepScorer(model, tokenizer, max_seq_len=16, batch_size=1)
    np.testing.assert_allclose(sc1.score_words(TEXT).probs, sc.score_words(TEXT).probs, atol=1e-6)  # fp32


def test_self_information_scorer_by_hand(tokenizer):
    cfg = transformers.LlamaConfig(vocab_size=len(VOCAB), hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                                   num_attention_heads=2, num_key_value_heads=2, max_position_embeddings=64)
    torch.manual_seed(0)
    lm = transformers.LlamaForCausalLM(cfg).eval()
    sc = SelfInformationScorer(lm, tokenizer)
    ws = sc.score_words("cat unbelievable dog")
    ids = tokenizer("cat unbelievable dog", add_special_tokens=False)["input_ids"]  # no BOS: first gets the mean
    with torch.no_grad():
        logp = torch.log_softmax(lm(input_ids=torch.tensor([ids])).logits[0], -1)
    info = [-float(logp[i, ids[i + 1]]) for i in range(len(ids) - 1)]  # tokens 1..: un ##believ ##able dog
    expected_unbeliev = 1 - math.exp(-(info[0] + info[1] + info[2]))
    assert ws.probs[1] == pytest.approx(expected_unbeliev, abs=1e-5)  # float32 log-softmax
    assert ws.probs[2] == pytest.approx(1 - math.exp(-info[3]), abs=1e-5)
    assert compress_prompt("cat unbelievable dog", sc, rate=1.0).compressed_prompt == "cat unbelievable dog"


def test_errors(tokenizer):
    sc = _scorer(tokenizer)
    with pytest.raises(InvalidParameterError, match="is empty"):
        compress_prompt("   ", sc)
    with pytest.raises(InvalidParameterError, match="non-empty string"):
        compress_prompt([], sc)
    with pytest.raises(InvalidParameterError, match=r"`rate` must be in \(0, 1\]"):
        compress_prompt(TEXT, sc, rate=0.0)
    with pytest.raises(InvalidParameterError, match=r"`threshold` must be a probability"):
        compress_prompt(TEXT, sc, threshold=1.5)
    with pytest.raises(InvalidParameterError, match="`force_tokens` must be a list"):
        compress_prompt(TEXT, sc, force_tokens="\n")
    with pytest.raises(InvalidParameterError, match="`target_token` must be an integer >= 1"):
        compress_prompt(TEXT, sc, target_token=0)
    one_label = _Stub({})
    one_label.config.num_labels = 1
    with pytest.raises(InvalidParameterError, match=">= 2 labels"):
        TokenKeepScorer(one_label, tokenizer)


def test_byte_level_bpe_offsets_with_leading_spaces():
    # GPT-2-style tokenizers put the leading space inside the token ("Ġword", offsets start at the space);
    # scores must land on the word itself, not on the previous one, and newline tokens make no empty words
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    corpus = ["the cat sat on the mat", "the dog ran to the park", "a big red dog\nsat on a mat"] * 20
    tok.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=300, show_progress=False,
                                                        initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = transformers.PreTrainedTokenizerFast(tokenizer_object=tok)
    text = "the cat sat\non the mat"
    cfg = transformers.LlamaConfig(vocab_size=fast.vocab_size, hidden_size=32, intermediate_size=64,
                                   num_hidden_layers=1, num_attention_heads=2, num_key_value_heads=2)
    torch.manual_seed(1)
    lm = transformers.LlamaForCausalLM(cfg).eval()
    sc = SelfInformationScorer(lm, fast)
    ws = sc.score_words(text)
    assert ws.words == ("the", "cat", "sat", "on", "the", "mat")
    enc = fast(text, add_special_tokens=False)
    ids = enc["input_ids"]
    with torch.no_grad():
        logp = torch.log_softmax(lm(input_ids=torch.tensor([ids])).logits[0], -1)
    info = [-float(logp[i - 1, ids[i]]) for i in range(1, len(ids))]
    toks = enc.tokens()
    k = toks.index("Ġcat") if "Ġcat" in toks else None
    assert k is not None and k >= 1
    # "cat" is one token here: its keep score is 1 - exp(-I(cat | "the"))
    assert ws.probs[1] == pytest.approx(1 - math.exp(-info[k - 1]), abs=1e-5)  # float32 log-softmax
    assert compress_prompt(text, sc, rate=1.0).compressed_prompt == text
