r"""Prompt compression by per-word keep probabilities: LLMLingua-2 [1]_ with any local token classifier, and a
training-free causal-LM self-information scorer (Selective-Context / LLMLingua-1 style [2]_).

A *scorer* turns a text into words (the tokenizer's own word segmentation, via ``BatchEncoding.word_ids()``, with
single-token force tokens split off) and a keep probability per word. :func:`compress_prompt` then keeps, per
chunk, the words whose probability is above the percentile the requested rate implies, as LLMLingua-2's
``compress_prompt_llmlingua2`` does, and returns the compressed text with the per-word probabilities.

Differences from the reference implementation (``microsoft/LLMLingua``), all deliberate:

* no model-name string checks: words come from ``word_ids()`` and character offsets, so any fast tokenizer
  works (the reference raises ``NotImplementedError`` for models outside a name list, LLMLingua#168/#221);
* no network: the budget unit is a pluggable ``count_tokens`` (default: the scorer's tokenizer; pass
  ``tiktoken``'s encoder yourself to count GPT tokens, LLMLingua#106/#148);
* the compressed text keeps the original spacing between kept words instead of re-joining tokenizer tokens;
* force tokens are matched on the text (no ``[NEW{i}]`` special tokens added to the model);
* ``threshold=`` keeps words with probability >= a fixed value (LLMLingua#150).

References
----------
.. [1] Pan, Z., Wu, Q., Jiang, H., Xia, M., Luo, X., Zhang, J., Lin, Q., Rühle, V., Yang, Y., Lin, C.-Y.,
   Zhao, H. V., Qiu, L., Zhang, D. (2024). LLMLingua-2: data distillation for efficient and faithful
   task-agnostic prompt compression. Findings of ACL 2024. arXiv:2403.12968.
.. [2] Li, Y., Dong, B., Guerin, F., Lin, C. (2023). Compressing context to enhance inference efficiency of
   large language models. EMNLP 2023. arXiv:2310.06201.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import torch

from ..._validation import check_choice, check_positive_int
from ...exceptions import InvalidInputTypeError, InvalidParameterError

__all__ = ["TokenKeepScorer", "SelfInformationScorer", "WordScores", "CompressionResult", "compress_prompt"]


@dataclass(frozen=True)
class WordScores:
    """Words of a text with their keep probabilities.

    Attributes
    ----------
    text : str
    words : tuple of str
        The words, as they appear in ``text``.
    spans : tuple of (start, end)
        Character offsets of each word in ``text``.
    probs : ndarray of float, shape [n_words]
        Keep probability of each word (before forcing).
    n_tokens : ndarray of int
        Scorer-tokenizer tokens per word.
    chunk : ndarray of int
        Index of the chunk (model window) each word was scored in.
    """

    text: str
    words: tuple
    spans: tuple
    probs: np.ndarray
    n_tokens: np.ndarray
    chunk: np.ndarray


class _WordScorer:
    """Word segmentation and chunking shared by the scorers (a fast tokenizer is required)."""

    def __init__(self, model, tokenizer, *, max_seq_len: int, batch_size: int, device=None):
        if not getattr(tokenizer, "is_fast", True):
            raise InvalidParameterError(
                "`tokenizer` must be a fast (Rust) tokenizer: word_ids() and offsets are needed;"
                " load it with AutoTokenizer.from_pretrained(..., use_fast=True)"
            )
        self.model = model
        self.tokenizer = tokenizer
        self.max_seq_len = check_positive_int(max_seq_len, "max_seq_len", minimum=4)
        self.batch_size = check_positive_int(batch_size, "batch_size")
        try:
            n_special = int(tokenizer.num_special_tokens_to_add())
        except Exception:  # tokenizers without the helper
            n_special = 2
        self._body = self.max_seq_len - n_special
        if self._body < 1:
            raise InvalidParameterError(f"`max_seq_len` ({max_seq_len}) leaves no room next to {n_special} special tokens")
        self.device = device if device is not None else next(model.parameters()).device

    def count_tokens(self, text: str) -> int:
        """Number of tokens of ``text`` under the scorer's tokenizer (no special tokens)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    # --- segmentation -------------------------------------------------------------------------------------
    def _words(self, text: str, split_tokens: Sequence[str]):
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
        offsets = enc["offset_mapping"]
        word_ids = enc.word_ids()
        split = set(split_tokens)
        spans, counts = [], []
        prev_wid = None
        for (s, e), wid in zip(offsets, word_ids):
            if e <= s:  # zero-width tokens (e.g. a lone word-start marker) join the current word
                if spans:
                    counts[-1] += 1
                continue
            tok_text = text[s:e]
            if not tok_text.strip():  # whitespace-only token (e.g. a newline): counted, but no word of its own
                if spans:
                    counts[-1] += 1
                continue
            alone = tok_text.strip() in split
            new_word = (not spans or wid is None or wid != prev_wid or alone
                        or spans[-1][2]  # previous token was a split-off force token
                        or s > spans[-1][1])  # a gap inside one word id
            if new_word:
                spans.append([s, e, alone])
                counts.append(1)
            else:
                spans[-1][1] = e
                counts[-1] += 1
            prev_wid = wid
        # strip leading marker whitespace some tokenizers include in offsets (e.g. "▁word")
        clean = []
        for s, e, _ in spans:
            while s < e and text[s].isspace():
                s += 1
            clean.append((s, e))
        return clean, np.asarray(counts, dtype=np.int64)

    def _chunks(self, text: str, spans, counts, chunk_end_tokens: Sequence[str]):
        """Chunk boundaries (word index ranges) of <= body tokens, cut after the last end-token word if any."""
        ends = set(t for t in chunk_end_tokens if t.strip())
        newline_end = any("\n" in t and not t.strip() for t in chunk_end_tokens)
        n = len(spans)

        def is_end(i):
            s, e = spans[i]
            if text[s:e] in ends:
                return True
            if newline_end:
                nxt = spans[i + 1][0] if i + 1 < n else len(text)
                return "\n" in text[e:nxt]
            return False

        bounds, start = [], 0
        while start < n:
            total, i, last_end = 0, start, None
            while i < n and total + counts[i] <= self._body:
                total += counts[i]
                if is_end(i):
                    last_end = i
                i += 1
            if i >= n:
                bounds.append((start, n))
                break
            if i == start:  # one word longer than the window: it gets a chunk of its own (scored truncated)
                bounds.append((start, start + 1))
                start += 1
                continue
            cut = last_end + 1 if last_end is not None else i
            bounds.append((start, cut))
            start = cut
        return bounds

    def _token_scores(self, chunk_texts: list[str]):  # pragma: no cover - abstract
        """Per chunk: (offsets [(s, e)], per-token scores) for non-special tokens."""
        raise NotImplementedError

    def _word_from_tokens(self, vals: list, reduce: str) -> float:
        raise NotImplementedError  # pragma: no cover

    def score_words(self, text: str, *, chunk_end_tokens: Sequence[str] = (".", "\n"), reduce: str = "mean",
                    split_tokens: Sequence[str] = ()) -> WordScores:
        """Segment ``text`` into words, chunk it to the model window and score every word."""
        if not isinstance(text, str):
            raise InvalidInputTypeError(f"`text` must be a string; got {type(text).__name__}")
        if not text.strip():
            raise InvalidParameterError("`text` must contain at least one word; got an empty or blank string")
        check_choice(reduce, "reduce", ("mean", "first"))
        spans, counts = self._words(text, split_tokens)
        bounds = self._chunks(text, spans, counts, chunk_end_tokens)
        chunk_of = np.zeros(len(spans), dtype=np.int64)
        chunk_texts = []
        for c, (a, b) in enumerate(bounds):
            chunk_of[a:b] = c
            chunk_texts.append((spans[a][0], spans[b - 1][1]))
        starts = np.asarray([s for s, _ in spans])
        probs = np.zeros(len(spans))
        for c0 in range(0, len(chunk_texts), self.batch_size):
            batch = chunk_texts[c0:c0 + self.batch_size]
            results = self._token_scores([text[s:e] for s, e in batch])
            for (cs, ce), (offs, vals), c in zip(batch, results, range(c0, c0 + len(batch))):
                a, b = bounds[c]
                chunk_text = text[cs:ce]
                per_word: dict[int, list] = {}
                for (s, e), v in zip(offs, vals):
                    seg = chunk_text[s:e]
                    if e <= s or not seg.strip():
                        continue  # zero-width or whitespace-only tokens belong to no word
                    # byte-level BPE offsets include the leading space ("Ġword"): locate the first visible char
                    s += len(seg) - len(seg.lstrip())
                    w = int(np.searchsorted(starts, cs + s, side="right") - 1)
                    w = min(max(w, a), b - 1)
                    per_word.setdefault(w, []).append(float(v))
                for w in range(a, b):
                    probs[w] = self._word_from_tokens(per_word.get(w, []), reduce)
        return WordScores(text=text, words=tuple(text[s:e] for s, e in spans), spans=tuple(spans),
                          probs=probs, n_tokens=counts, chunk=chunk_of)

    def word_probs(self, text: str, *, reduce: str = "mean") -> list[tuple[str, float]]:
        """``[(word, keep probability), ...]`` for ``text``."""
        ws = self.score_words(text, reduce=reduce)
        return list(zip(ws.words, ws.probs.tolist()))


class TokenKeepScorer(_WordScorer):
    r"""Keep probabilities from a token classifier (LLMLingua-2 [1]_): :math:`p_\text{keep} =
    \mathrm{softmax}(\text{logits})[\text{keep\_label}]` per token, averaged (or first token) per word.

    Parameters
    ----------
    model : ``AutoModelForTokenClassification`` (any local model with >= 2 labels)
    tokenizer : its fast tokenizer
    keep_label : int, default 1
        Index of the "preserve" class.
    max_seq_len : int, default 512
        Model window, special tokens included (chunks hold ``max_seq_len - n_special`` tokens).
    batch_size : int, default 50
        Chunks per forward pass.

    Notes
    -----
    Nothing is downloaded and no model name is inspected: words come from the tokenizer's ``word_ids()``.
    """

    def __init__(self, model, tokenizer, *, keep_label: int = 1, max_seq_len: int = 512, batch_size: int = 50,
                 device=None):
        super().__init__(model, tokenizer, max_seq_len=max_seq_len, batch_size=batch_size, device=device)
        n_labels = getattr(getattr(model, "config", None), "num_labels", None)
        if n_labels is not None and n_labels < 2:
            raise InvalidParameterError(f"`model` must have >= 2 labels (keep / drop); got num_labels={n_labels}")
        self.keep_label = check_positive_int(keep_label, "keep_label", minimum=0)
        if n_labels is not None and self.keep_label >= n_labels:
            raise InvalidParameterError(f"`keep_label` must be < num_labels = {n_labels}; got {keep_label}")

    @torch.no_grad()
    def _token_scores(self, chunk_texts):
        enc = self.tokenizer(chunk_texts, padding=True, truncation=True, max_length=self.max_seq_len,
                             return_offsets_mapping=True, return_special_tokens_mask=True, return_tensors="pt")
        offsets = enc.pop("offset_mapping")
        special = enc.pop("special_tokens_mask")
        inputs = {k: v.to(self.device) for k, v in enc.items()}
        logits = self.model(**inputs).logits
        probs = torch.softmax(logits.float(), dim=-1)[..., self.keep_label].cpu()
        out = []
        for j in range(len(chunk_texts)):
            ok = (special[j] == 0) & (enc["attention_mask"][j] == 1)
            out.append((offsets[j][ok].tolist(), probs[j][ok].tolist()))
        return out

    def _word_from_tokens(self, vals, reduce):
        if not vals:
            return 0.0  # tokens cut off by truncation: no evidence to keep the word
        return float(vals[0]) if reduce == "first" else float(np.mean(vals))


class SelfInformationScorer(_WordScorer):
    r"""Training-free keep scores from a causal LM: the self-information of each word given its prefix.

    A word :math:`w` made of tokens :math:`t_1..t_m` gets :math:`I(w) = -\sum_j \log p(t_j \mid
    \text{prefix})` (nats) and keep score :math:`1 - e^{-I(w)} = 1 - p(w \mid \text{prefix})`, the
    probability that the LM would *not* have produced the word: predictable words are dropped first
    (Selective Context [2]_). The first token of a chunk is conditioned on the BOS token when the tokenizer has
    one, otherwise it gets the mean self-information of the chunk.
    """

    def __init__(self, model, tokenizer, *, max_seq_len: int = 512, batch_size: int = 8, device=None):
        super().__init__(model, tokenizer, max_seq_len=max_seq_len, batch_size=batch_size, device=device)
        self._body = self.max_seq_len - 1
        self.bos = getattr(tokenizer, "bos_token_id", None)

    @torch.no_grad()
    def _token_scores(self, chunk_texts):
        out = []
        for text in chunk_texts:  # one chunk at a time: no padding subtleties for causal models
            enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=True,
                                 max_length=self._body)
            ids = list(enc["input_ids"])
            prefix = [self.bos] if self.bos is not None else []
            x = torch.tensor([prefix + ids], device=self.device)
            logp = torch.log_softmax(self.model(input_ids=x).logits[0].float(), dim=-1)
            if prefix:
                info = -logp[:-1].gather(-1, x[0, 1:, None])[:, 0]
            else:
                rest = -logp[:-1].gather(-1, x[0, 1:, None])[:, 0]
                first = rest.mean() if len(rest) else torch.tensor(0.0)
                info = torch.cat([first.view(1), rest])
            out.append((list(enc["offset_mapping"]), info.cpu().tolist()))
        return out

    def _word_from_tokens(self, vals, reduce):
        if not vals:
            return 0.0
        info = float(vals[0]) if reduce == "first" else float(np.sum(vals))
        return float(-math.expm1(-info))  # 1 - exp(-I)


@dataclass(frozen=True)
class CompressionResult:
    """Result of :func:`compress_prompt`.

    ``compressed_prompt`` is the kept text of every kept context joined with ``"\\n\\n"``;
    ``compressed_prompt_list`` one string per context (``""`` for contexts dropped by the context filter);
    ``origin_tokens`` / ``compressed_tokens`` are counted with ``count_tokens``; ``rate`` = compressed / origin
    (the achieved rate, a float), ``ratio`` = 1 / rate; ``words`` / ``probs`` / ``kept`` are per context: the
    words, their keep probabilities after forcing, and the keep decisions; ``context_kept`` flags contexts.
    """

    compressed_prompt: str
    compressed_prompt_list: tuple
    origin_tokens: int
    compressed_tokens: int
    rate: float
    ratio: float
    words: tuple
    probs: tuple
    kept: tuple
    context_kept: tuple


def _force_mask(ws: WordScores, force_tokens: Sequence[str], digits: bool) -> np.ndarray:
    forced = np.zeros(len(ws.words), dtype=bool)
    starts = {s: i for i, (s, _) in enumerate(ws.spans)}
    ends = {e: i for i, (_, e) in enumerate(ws.spans)}
    for tok in force_tokens:
        if not tok.strip():
            continue  # whitespace force tokens (e.g. "\n") are kept through the separators
        if tok in ws.words:
            forced |= np.array([w == tok for w in ws.words])
        pos = ws.text.find(tok)
        while pos >= 0:
            a, b = starts.get(pos), ends.get(pos + len(tok))
            if a is not None and b is not None:
                forced[a:b + 1] = True
            pos = ws.text.find(tok, pos + 1)
    if digits:
        forced |= np.array([any(ch.isdigit() for ch in w) for w in ws.words])
    return forced


def _join(ws: WordScores, keep: np.ndarray, keep_newlines: bool) -> str:
    parts, prev_kept_end, gap_has_newline = [], None, False
    text = ws.text
    for i, (s, e) in enumerate(ws.spans):
        before = text[(ws.spans[i - 1][1] if i else 0):s]
        gap_has_newline |= "\n" in before
        if not keep[i]:
            continue
        if prev_kept_end is None:
            sep = ""
        elif prev_kept_end == (ws.spans[i - 1][1] if i else 0):  # the previous word was kept: original spacing
            sep = before
        elif gap_has_newline and keep_newlines:
            sep = "\n"
        else:
            sep = " " if (before or gap_has_newline or any(c.isspace() for c in text[prev_kept_end:s])) else ""
        parts.append(sep + text[s:e])
        prev_kept_end, gap_has_newline = e, False
    return "".join(parts)


def compress_prompt(context, scorer, *, rate: float = 0.5, target_token: int | None = None,
                    threshold: float | None = None, force_tokens: Sequence[str] = (),
                    force_reserve_digit: bool = False, chunk_end_tokens: Sequence[str] = (".", "\n"),
                    drop_consecutive: bool = False, use_context_level_filter: bool = False,
                    context_level_rate: float | None = None, force_context_ids: Sequence[int] = (),
                    reduce: str = "mean", count_tokens: Callable[[str], int] | None = None) -> CompressionResult:
    r"""Compress a prompt by keeping its most informative words (LLMLingua-2 [1]_ semantics).

    Parameters
    ----------
    context : str or list of str
        The prompt, or several contexts (joined by ``"\n\n"`` in the output).
    scorer : TokenKeepScorer or SelfInformationScorer
        Anything with ``score_words(text, chunk_end_tokens=, reduce=, split_tokens=) -> WordScores``.
    rate : float in (0, 1], default 0.5
        Fraction of (``count_tokens``) tokens to keep. 1 returns the text unchanged.
    target_token : int, optional
        Token budget; overrides ``rate`` with ``min(target_token / origin_tokens, 1)``.
    threshold : float in [0, 1], optional
        Keep every word with probability >= ``threshold`` (overrides ``rate`` and ``target_token``).
    force_tokens : sequence of str
        Words (or word sequences, e.g. ``"The answer is"``) always kept; ``"\n"`` keeps line breaks.
    force_reserve_digit : bool
        Keep every word containing a digit.
    chunk_end_tokens : sequence of str, default (".", "\n")
        Preferred chunk cuts (the model window is ``scorer.max_seq_len``).
    drop_consecutive : bool
        Drop a repeated force token with no kept word since its previous occurrence.
    use_context_level_filter : bool
        First drop whole contexts whose mean word probability is below the ``100·(1 - context_level_rate)``
        percentile (default ``context_level_rate = (rate + 1) / 2``), keeping ``force_context_ids``.
    reduce : {"mean", "first"}
        Token-to-word aggregation.
    count_tokens : callable str -> int, optional
        Budget unit (default ``scorer.count_tokens``, the scorer's tokenizer). For GPT-token budgets pass e.g.
        ``lambda s: len(tiktoken.get_encoding("cl100k_base").encode(s))`` (tiktoken is optional).

    Returns
    -------
    CompressionResult

    Notes
    -----
    Per chunk, every word's probability is repeated once per ``count_tokens`` token and the threshold is the
    ``int(100·(1 - rate) + 1)``-th percentile of that list; words strictly above it are kept, and words at
    probability 1 when the threshold is 1 (``__compress`` in the reference code). The achieved rate is
    therefore approximate, per chunk and in ``count_tokens`` units (LLMLingua#195).
    """
    contexts = [context] if isinstance(context, str) else context
    if not isinstance(contexts, (list, tuple)) or not contexts:
        raise InvalidParameterError("`context` must be a non-empty string or a non-empty list of strings")
    for i, c in enumerate(contexts):
        if not isinstance(c, str):
            raise InvalidInputTypeError(f"`context[{i}]` must be a string; got {type(c).__name__}")
        if not c.strip():
            raise InvalidParameterError(
                f"`context[{i}]` is empty; compress_prompt needs text to compress (drop empty contexts first)"
            )
    if threshold is None:
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not (0 < float(rate) <= 1):
            raise InvalidParameterError(f"`rate` must be in (0, 1] (the kept fraction); got {rate!r}")
    else:
        if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not (0 <= float(threshold) <= 1):
            raise InvalidParameterError(f"`threshold` must be a probability in [0, 1]; got {threshold!r}")
    if target_token is not None:
        target_token = check_positive_int(target_token, "target_token")
    if isinstance(force_tokens, str):
        raise InvalidParameterError("`force_tokens` must be a list of strings, e.g. ['\\n', '?', '.']; got one string")
    check_choice(reduce, "reduce", ("mean", "first"))
    count = count_tokens if count_tokens is not None else scorer.count_tokens
    force_tokens = tuple(force_tokens)
    keep_newlines = any(t == "\n" for t in force_tokens) or any(t == "\n" for t in chunk_end_tokens)

    origin = [int(count(c)) for c in contexts]
    n_origin = sum(origin)
    rate = float(rate)
    if target_token is not None:
        rate = min(target_token / max(n_origin, 1), 1.0)

    scores = [scorer.score_words(c, chunk_end_tokens=chunk_end_tokens, reduce=reduce,
                                 split_tokens=[t for t in force_tokens if t.strip()]) for c in contexts]

    context_kept = np.ones(len(contexts), dtype=bool)
    if use_context_level_filter and len(contexts) > 1:
        clr = (rate + 1.0) / 2 if context_level_rate is None else float(context_level_rate)
        if not 0 < clr <= 1:
            raise InvalidParameterError(f"`context_level_rate` must be in (0, 1]; got {context_level_rate!r}")
        cprob = np.array([ws.probs.mean() for ws in scores])
        cut = np.percentile(cprob, int(100 * (1 - clr)))
        context_kept = cprob >= cut
        for i in force_context_ids:
            context_kept[int(i)] = True
        if target_token is not None:
            kept_tokens = sum(o for o, k in zip(origin, context_kept) if k)
            rate = min(target_token / max(kept_tokens, 1), 1.0)

    out_texts, all_probs, all_kept = [], [], []
    for ws, ck in zip(scores, context_kept):
        probs = ws.probs.copy()
        probs[_force_mask(ws, force_tokens, force_reserve_digit)] = 1.0
        keep = np.zeros(len(probs), dtype=bool)
        if not ck:
            out_texts.append("")
            all_probs.append(probs)
            all_kept.append(keep)
            continue
        for c in np.unique(ws.chunk):
            idx = np.nonzero(ws.chunk == c)[0]
            p = probs[idx].copy()
            if threshold is not None:
                keep[idx] = p >= threshold
                continue
            reduce_rate = max(0.0, 1.0 - rate)
            if reduce_rate <= 0:
                keep[idx] = True
                continue
            if drop_consecutive:
                between_thr = np.percentile(p, int(100 * reduce_rate))
                between, prev = False, None
                for j, w in enumerate(idx):
                    word = ws.words[w]
                    if word in force_tokens:
                        if between:
                            between = False
                        elif word == prev:
                            p[j] = 0.0
                        prev = word
                    else:
                        between |= p[j] > between_thr
            if count_tokens is None:  # the scorer's own tokens, already counted during segmentation
                reps = np.maximum(ws.n_tokens[idx], 1)
            else:
                reps = np.array([max(int(count(ws.words[w])), 1) for w in idx])
            thr = np.percentile(np.repeat(p, reps), int(100 * reduce_rate + 1))
            keep[idx] = (p > thr) | ((thr == 1.0) & (p == 1.0))
            probs[idx] = p
        out_texts.append(_join(ws, keep, keep_newlines) if keep.any() else "")
        all_probs.append(probs)
        all_kept.append(keep)

    n_comp = sum(int(count(t)) for t in out_texts if t)
    achieved = n_comp / max(n_origin, 1)
    return CompressionResult(
        compressed_prompt="\n\n".join(t for t, ck in zip(out_texts, context_kept) if ck and t),
        compressed_prompt_list=tuple(out_texts),
        origin_tokens=n_origin,
        compressed_tokens=n_comp,
        rate=achieved,
        ratio=(1.0 / achieved) if achieved > 0 else math.inf,
        words=tuple(ws.words for ws in scores),
        probs=tuple(all_probs),
        kept=tuple(all_kept),
        context_kept=tuple(bool(k) for k in context_kept),
    )
