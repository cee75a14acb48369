r"""Perfectly secure steganography by iterative minimum-entropy coupling (iMEC).

Schroeder de Witt et al. [1]_ show that a stegosystem is perfectly secure — the stegotext is distributed
exactly as innocent covertext, :math:`D_{KL}(P_{cover} \| P_{stego}) = 0` — iff each token is drawn from a
coupling of the (uniformly distributed, because encrypted) ciphertext with the covertext model's next-token
distribution, and that among such procedures the information sent per token is largest when the coupling has
minimum entropy. iMEC applies this autoregressively: the ciphertext is cut into blocks, each with a belief
(uniform at first); at every step the block of highest belief entropy is coupled with the model's next-token
distribution by greedy minimum-entropy coupling, the sender draws the token from the row of the block's true
value, and sender and receiver update that block's belief to the column of the token. Encoding stops when every
belief is a point mass, which is exactly when the receiver has decoded the message.

The covertext model is any callable ``model(prefix) -> pmf`` (a 1-D array over the vocabulary, a deterministic
function of the token prefix). :class:`SyntheticCovertext` is a CPU-friendly synthetic model;
:class:`LanguageModelCovertext` wraps a causal language model (a torch module with the Hugging Face call
convention, e.g. from ``transformers``).

References
----------
.. [1] Schroeder de Witt, C., Sokota, S., Kolter, J. Z., Foerster, J., Strohmeier, M. (2023). Perfectly secure
   steganography using minimum entropy coupling. ICLR 2023. arXiv:2210.14889
.. [2] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference. AAAI 2017.
   arXiv:1611.04035
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.special import entr

from ..._validation import as_float_array, check_pmf, check_positive_int, check_random_state
from ...exceptions import InvalidDistributionError, InvalidInputTypeError, InvalidParameterError
from .mec import _greedy_coupling, _normalised

__all__ = ["SyntheticCovertext", "LanguageModelCovertext", "StegoResult", "imec_encode", "imec_decode"]


# ============================================================================================ covertext models
class SyntheticCovertext:
    r"""A synthetic covertext model: the next-token pmf is a seeded function of the last ``order`` tokens.

    For every context, ``top_k`` tokens of the vocabulary are drawn (seeded by ``seed`` and the context) and
    given probability :math:`1/k` each (``concentration=None``, the uniform-over-top-k medium of [1]_'s code) or
    Dirichlet(``concentration``) weights.

    Parameters
    ----------
    vocab_size : int
        Size of the vocabulary.
    top_k : int
        Number of tokens with positive probability in each context.
    order : int
        Number of previous tokens the distribution depends on (a Markov chain of that order).
    concentration : float, optional
        Dirichlet concentration of the weights; ``None`` for uniform weights.
    seed : int
        Seed of the model.

    Examples
    --------
    >>> from infokit.methods.coupling import SyntheticCovertext
    >>> m = SyntheticCovertext(vocab_size=10, top_k=4, seed=0)
    >>> p = m([3, 1])
    >>> float(p.sum()), int((p > 0).sum()), float(p.max())   # uniform over 4 tokens: 2 bits per token
    (1.0, 4, 0.25)
    """

    def __init__(self, vocab_size=64, top_k=8, *, order=2, concentration=None, seed=0):
        self.vocab_size = check_positive_int(vocab_size, "vocab_size")
        self.top_k = check_positive_int(top_k, "top_k")
        if self.top_k > self.vocab_size:
            raise InvalidParameterError(f"`top_k` must be <= `vocab_size` ({vocab_size}); got {top_k}")
        self.order = check_positive_int(order, "order", minimum=0)
        if concentration is not None and not (isinstance(concentration, (int, float)) and concentration > 0):
            raise InvalidParameterError(f"`concentration` must be a positive number or None; got {concentration!r}")
        self.concentration = concentration
        self.seed = int(seed)

    def __call__(self, prefix) -> np.ndarray:
        ctx = [int(t) for t in list(prefix)[-self.order:]] if self.order else []
        ctx = [self.vocab_size] * (self.order - len(ctx)) + ctx  # pad short prefixes with a "none" symbol
        rng = np.random.default_rng([self.seed, *ctx])
        support = rng.choice(self.vocab_size, size=self.top_k, replace=False)
        if self.concentration is None:
            w = np.full(self.top_k, 1.0 / self.top_k)
        else:
            w = rng.dirichlet(np.full(self.top_k, float(self.concentration)))
        p = np.zeros(self.vocab_size)
        p[support] = w
        return p

    def sample(self, n_tokens, *, context=(), random_state=None) -> np.ndarray:
        """Draw innocent covertext: ``n_tokens`` tokens from the model, after ``context``."""
        rng = check_random_state(random_state)
        toks = list(context)
        for _ in range(check_positive_int(n_tokens, "n_tokens")):
            toks.append(int(rng.choice(self.vocab_size, p=self(toks))))
        return np.array(toks[len(context):], dtype=np.int64)


class LanguageModelCovertext:
    r"""The next-token distribution of a causal language model, as a covertext model for :func:`imec_encode`.

    Parameters
    ----------
    model : torch.nn.Module
        A causal LM called as ``model(input_ids=ids)`` (Hugging Face convention) returning an object with a
        ``.logits`` tensor of shape (1, length, vocab), or that tensor itself.
    top_k : int, optional
        Keep only the ``top_k`` most likely tokens (ties by token id), a common way to keep the coupling small.
    temperature : float
        Softmax temperature applied to the logits.
    bos_token_id : int, optional
        Token fed to the model when the prefix is empty.
    device : str
        Device of the input ids.

    Notes
    -----
    Sender and receiver must compute bit-identical distributions, so use the same model, weights, device and
    dtype on both sides (float64 probabilities are derived from the logits on the CPU).
    """

    def __init__(self, model, *, top_k=None, temperature=1.0, bos_token_id=None, device="cpu"):
        self.model = model
        self.top_k = None if top_k is None else check_positive_int(top_k, "top_k")
        if not (isinstance(temperature, (int, float)) and temperature > 0):
            raise InvalidParameterError(f"`temperature` must be a positive number; got {temperature!r}")
        self.temperature = float(temperature)
        self.bos_token_id = bos_token_id
        self.device = device

    @classmethod
    def from_pretrained(cls, name_or_path, **kwargs):
        """Load a ``transformers`` causal LM and its tokenizer: returns ``(covertext_model, tokenizer)``.

        Needs the ``hf`` extra (``pip install infokit[hf]``); extra keyword arguments go to the constructor.
        """
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:  # pragma: no cover - exercised only without transformers
            raise ImportError(
                "LanguageModelCovertext.from_pretrained needs transformers; install it with "
                "`pip install infokit[hf]`"
            ) from exc
        tok = AutoTokenizer.from_pretrained(name_or_path)
        lm = AutoModelForCausalLM.from_pretrained(name_or_path)
        lm.eval()
        kwargs.setdefault("bos_token_id", tok.bos_token_id)
        return cls(lm, **kwargs), tok

    def __call__(self, prefix) -> np.ndarray:
        import torch

        ids = [int(t) for t in prefix]
        if not ids:
            if self.bos_token_id is None:
                raise InvalidParameterError(
                    "the language model needs at least one token of context; pass `context=` to "
                    "imec_encode/imec_decode or set `bos_token_id`"
                )
            ids = [int(self.bos_token_id)]
        x = torch.tensor([ids], dtype=torch.long, device=self.device)
        with torch.inference_mode():
            out = self.model(input_ids=x)
        logits = out.logits if hasattr(out, "logits") else out
        z = logits[0, -1].detach().to("cpu", torch.float64).numpy() / self.temperature
        if self.top_k is not None and self.top_k < z.size:
            keep = np.argsort(-z, kind="stable")[: self.top_k]
            masked = np.full_like(z, -np.inf)
            masked[keep] = z[keep]
            z = masked
        z = z - np.max(z)
        p = np.exp(z)
        return p / p.sum()


# ============================================================================================ iMEC
@dataclass(frozen=True)
class StegoResult:
    """Stegotext produced by :func:`imec_encode`.

    Attributes
    ----------
    tokens : ndarray of int64
        The stegotext (after the context).
    n_bits : int
        Length of the hidden message in bits.
    n_tokens : int
        Number of tokens emitted.
    bits_per_token : float
        ``n_bits / n_tokens``.
    covertext_entropy : float
        Mean entropy (bits) of the model's next-token distributions along the stegotext — the most a perfectly
        secure scheme can hide per token on average.
    block_bits : int
        Size of the ciphertext blocks.
    """

    tokens: np.ndarray
    n_bits: int
    n_tokens: int
    bits_per_token: float
    covertext_entropy: float
    block_bits: int
    entropies: np.ndarray = field(repr=False)


def _as_bits(message, name):
    if isinstance(message, (bytes, bytearray)):
        return np.unpackbits(np.frombuffer(bytes(message), dtype=np.uint8)).astype(np.uint8)
    try:
        a = np.asarray(message)
    except Exception as exc:  # pragma: no cover - ragged input
        raise InvalidInputTypeError(f"`{name}` must be a sequence of bits (0/1) or bytes; {exc}") from exc
    if a.ndim != 1 or a.size == 0:
        raise InvalidParameterError(f"`{name}` must be a non-empty 1-D sequence of bits or bytes; got shape {a.shape}")
    if a.dtype.kind not in "biu" or not np.all((a == 0) | (a == 1)):
        raise InvalidParameterError(
            f"`{name}` must contain only 0 and 1 (bits); pass bytes, or unpack them with np.unpackbits"
        )
    return a.astype(np.uint8)


def _blocks(n_bits, block_bits):
    sizes = [block_bits] * (n_bits // block_bits)
    if n_bits % block_bits:
        sizes.append(n_bits % block_bits)
    return sizes


def _model_pmf(model, prefix, step):
    q = as_float_array(model(prefix), "model(prefix)")
    if q.ndim != 1:
        raise InvalidDistributionError(f"the covertext model must return a 1-D pmf; got shape {q.shape} at step {step}")
    q = check_pmf(q, "model(prefix)", atol=1e-6)
    return _normalised(np.asarray(q, dtype=np.float64))


class _Beliefs:
    """Beliefs over the ciphertext blocks (sparse: support values and probabilities), identical on both sides."""

    def __init__(self, sizes):
        self.support = [np.arange(2 ** s, dtype=np.int64) for s in sizes]
        self.prob = [np.full(2 ** s, 2.0 ** -s) for s in sizes]
        self.h = np.array([s * math.log(2.0) for s in sizes])

    def done(self):
        return all(s.size == 1 for s in self.support)

    def pick(self):
        return int(np.argmax(self.h))  # highest-entropy block, first on ties

    def update(self, i, rows, vals):
        post = np.zeros(self.prob[i].size)
        np.add.at(post, rows, vals)
        post[post < 1e-13 * post.max()] = 0.0  # round-off dust: a decided block is exactly a point mass
        keep = post > 0
        self.support[i] = self.support[i][keep]
        p = post[keep]
        self.prob[i] = p / p.sum()
        self.h[i] = float(np.sum(entr(self.prob[i])))


def _values(bits, sizes):
    out, pos = [], 0
    for s in sizes:
        v = 0
        for bit in bits[pos:pos + s]:
            v = (v << 1) | int(bit)
        out.append(v)
        pos += s
    return out


def imec_encode(message, model, *, key=None, block_bits=8, context=(), max_tokens=None,
                random_state=None) -> StegoResult:
    r"""Hide ``message`` in covertext from ``model`` with iMEC [1]_ (perfectly secure steganography).

    Parameters
    ----------
    message : bytes or sequence of {0, 1}
        The secret message.
    model : callable
        Covertext model: ``model(prefix) -> pmf`` over the vocabulary (a deterministic function of the token
        prefix), e.g. :class:`SyntheticCovertext` or :class:`LanguageModelCovertext`.
    key : bytes or sequence of {0, 1}, optional
        One-time pad of the same length as the message (shared with the receiver). The ciphertext
        ``message XOR key`` must be uniformly distributed for perfect security; without a key the message itself
        must be uniformly random (e.g. already encrypted).
    block_bits : int
        Ciphertext block size (beliefs have :math:`2^{\text{block\_bits}}` entries).
    context : sequence of int
        Tokens that precede the stegotext (known to both parties).
    max_tokens : int, optional
        Give up after this many tokens (default ``64 * n_bits + 64``): a covertext of very low entropy cannot
        carry the message.
    random_state : int or numpy.random.Generator, optional
        The sender's private randomness (sampling inside a coupling row).

    Returns
    -------
    StegoResult

    Notes
    -----
    At step :math:`j` with prefix :math:`c_{<j}`, block :math:`i^*` of largest belief entropy is coupled with
    :math:`q = \text{model}(c_{<j})` by the greedy minimum-entropy coupling :math:`\gamma` [2]_; the token is
    drawn from :math:`\gamma(v_{i^*}, \cdot) / \mu_{i^*}(v_{i^*})` and the belief becomes
    :math:`\mu'_{i^*}(v) \propto \gamma(v, c_j)`. If the ciphertext is uniform, the block value is distributed
    as its belief given the past, so every token is distributed exactly as :math:`q`: the stegotext has the
    covertext distribution ([1]_, Theorem 1), and the message is recovered when all beliefs are point masses.

    References
    ----------
    .. [1] Schroeder de Witt, C., Sokota, S., Kolter, J. Z., Foerster, J., Strohmeier, M. (2023). Perfectly
       secure steganography using minimum entropy coupling. ICLR 2023. arXiv:2210.14889
    .. [2] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference.
       AAAI 2017. arXiv:1611.04035

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.methods.coupling import SyntheticCovertext, imec_encode, imec_decode
    >>> model = SyntheticCovertext(vocab_size=32, top_k=8, seed=1)
    >>> key = bytes([0x5A, 0xC3])
    >>> stego = imec_encode(b"hi", model, key=key, random_state=0)
    >>> bits = imec_decode(stego.tokens, model, 16, key=key)
    >>> bytes(np.packbits(bits))
    b'hi'
    """
    bits = _as_bits(message, "message")
    n_bits = bits.size
    bb = check_positive_int(block_bits, "block_bits")
    if bb > 20:
        raise InvalidParameterError(f"`block_bits` must be at most 20 (beliefs of 2^block_bits entries); got {bb}")
    cipher = bits ^ _key_bits(key, n_bits)
    sizes = _blocks(n_bits, bb)
    true = _values(cipher, sizes)
    rng = check_random_state(random_state)
    cap = 64 * n_bits + 64 if max_tokens is None else check_positive_int(max_tokens, "max_tokens")
    beliefs = _Beliefs(sizes)
    prefix = [int(t) for t in context]
    out, ents = [], []
    while not beliefs.done():
        if len(out) >= cap:
            raise InvalidParameterError(
                f"iMEC did not finish within max_tokens={cap} tokens (the covertext carries about "
                f"{np.mean(ents) if ents else 0:.3g} bits per token); raise `max_tokens` or use a model with more "
                "entropy per token"
            )
        q = _model_pmf(model, prefix, len(out))
        ents.append(float(np.sum(entr(q))) / math.log(2.0))
        i = beliefs.pick()
        idx, vals = _greedy_coupling([beliefs.prob[i], q])
        r = int(np.searchsorted(beliefs.support[i], true[i]))
        row = idx[:, 0] == r
        w = vals[row]
        tok = int(idx[row, 1][rng.choice(w.size, p=w / w.sum())]) if w.size > 1 else int(idx[row, 1][0])
        col = idx[:, 1] == tok
        beliefs.update(i, idx[col, 0], vals[col])
        out.append(tok)
        prefix.append(tok)
    n = len(out)
    return StegoResult(
        tokens=np.array(out, dtype=np.int64),
        n_bits=int(n_bits),
        n_tokens=n,
        bits_per_token=n_bits / n if n else math.inf,
        covertext_entropy=float(np.mean(ents)) if ents else 0.0,
        block_bits=bb,
        entropies=np.array(ents),
    )


def _key_bits(key, n_bits):
    if key is None:
        return np.zeros(n_bits, dtype=np.uint8)
    k = _as_bits(key, "key")
    if k.size != n_bits:
        raise InvalidParameterError(
            f"`key` must have as many bits as the message ({n_bits}); got {k.size} bits; use a one-time pad "
            "of the message's length"
        )
    return k


def imec_decode(tokens, model, n_bits, *, key=None, block_bits=8, context=()) -> np.ndarray:
    r"""Recover the message hidden by :func:`imec_encode` from the stegotext ``tokens``.

    Replays the encoder's couplings (the same ``model``, ``context``, ``block_bits``) and updates each block's
    belief to the column of the observed token; returns the bits (``np.uint8``) once every belief is a point
    mass, XOR-ed with ``key``. Tokens after that point are ignored.

    Parameters
    ----------
    tokens : sequence of int
        The stegotext.
    model : callable
        The covertext model used by the sender.
    n_bits : int
        Length of the message in bits.
    key : bytes or sequence of {0, 1}, optional
        The sender's one-time pad.
    block_bits : int
        The sender's block size.
    context : sequence of int
        The tokens that preceded the stegotext.

    Returns
    -------
    ndarray of uint8
        The message bits (``np.packbits`` turns them into bytes).

    Raises
    ------
    InvalidParameterError
        When a token has probability 0 under the replayed coupling (the text was altered, or the model or the
        context differ from the sender's), or when the tokens run out before the message is decided.

    Examples
    --------
    >>> from infokit.methods.coupling import SyntheticCovertext, imec_encode, imec_decode
    >>> model = SyntheticCovertext(vocab_size=16, top_k=4, seed=0)   # 2 bits per token
    >>> stego = imec_encode([1, 0, 1, 1, 0, 0, 1, 0], model, random_state=0)
    >>> stego.n_tokens                                               # 8 bits at 2 bits per token
    4
    >>> imec_decode(stego.tokens, model, 8).tolist()
    [1, 0, 1, 1, 0, 0, 1, 0]
    """
    n_bits = check_positive_int(n_bits, "n_bits")
    bb = check_positive_int(block_bits, "block_bits")
    toks = [int(t) for t in np.asarray(tokens, dtype=np.int64).ravel()]
    sizes = _blocks(n_bits, bb)
    beliefs = _Beliefs(sizes)
    prefix = [int(t) for t in context]
    j = 0
    while not beliefs.done():
        if j >= len(toks):
            raise InvalidParameterError(
                f"the stegotext ended after {len(toks)} tokens before the message was decided; pass every token "
                "the sender produced (and the same model, context and block_bits)"
            )
        q = _model_pmf(model, prefix, j)
        i = beliefs.pick()
        idx, vals = _greedy_coupling([beliefs.prob[i], q])
        col = idx[:, 1] == toks[j]
        if not col.any():
            raise InvalidParameterError(
                f"token {toks[j]} at position {j} is impossible under the replayed coupling: the stegotext was "
                "altered, or the model, context or block_bits differ from the sender's"
            )
        beliefs.update(i, idx[col, 0], vals[col])
        prefix.append(toks[j])
        j += 1
    values = [int(s[0]) for s in beliefs.support]
    bits = np.zeros(n_bits, dtype=np.uint8)
    pos = 0
    for v, s in zip(values, sizes):
        for b in range(s):
            bits[pos + b] = (v >> (s - 1 - b)) & 1
        pos += s
    return bits ^ _key_bits(key, n_bits)
