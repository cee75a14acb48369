r"""Truncation samplers as pure functions of logits: Top-H [1]_ and the baselines top-k, top-p [2]_, min-p [3]_,
typical [4]_, ε and η [5]_.

Every ``*_mask`` function takes logits ``[B, V]`` (or ``[V]``; torch tensor or numpy array), computes the kept set
on the *tempered* distribution :math:`p = \mathrm{softmax}(z / T)` and returns a boolean keep-mask of the same
shape (``True`` = token may be sampled). Nothing is rescaled: to build the truncated logits use
:func:`truncate_logits`, which returns the *untempered* logits with the dropped tokens set to ``filter_value``, so
the result composes with a temperature applied later (transformers' ``TemperatureLogitsWarper``).

The masks are bit-for-bit those of transformers' ``TopHLogitsWarper``, ``TopKLogitsWarper``,
``TopPLogitsWarper``, ``MinPLogitsWarper``, ``TypicalLogitsWarper``, ``EpsilonLogitsWarper`` and
``EtaLogitsWarper`` applied to ``z / T`` (same floating-point operations; parity tests in
``tests/methods/decoding``). The transformers adapters live in :mod:`infokit.methods.decoding.hf`.

References
----------
.. [1] Potraghloo, E. B., Azizi, S., Kundu, S., Pedram, M. (2025). Top-H decoding: adapting the creativity and
   coherence with bounded entropy in text generation. NeurIPS 2025. arXiv:2509.02510.
.. [2] Holtzman, A., Buys, J., Du, L., Forbes, M., Choi, Y. (2020). The curious case of neural text
   degeneration. ICLR 2020. arXiv:1904.09751.
.. [3] Nguyen, M., Baker, A., Neo, C., Roush, A., Kirsch, A., Shwartz-Ziv, R. (2025). Turning up the heat:
   min-p sampling for creative and coherent LLM outputs. ICLR 2025. arXiv:2407.01082.
.. [4] Meister, C., Pimentel, T., Wiher, G., Cotterell, R. (2023). Locally typical sampling. TACL.
   arXiv:2202.00666.
.. [5] Hewitt, J., Manning, C. D., Liang, P. (2022). Truncation sampling as language model desmoothing.
   Findings of EMNLP 2022. arXiv:2210.15191.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
import torch

from ..._validation import check_choice, check_positive_int
from ...exceptions import InvalidDistributionError, InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "top_h_mask",
    "top_k_mask",
    "top_p_mask",
    "min_p_mask",
    "typical_mask",
    "epsilon_mask",
    "eta_mask",
    "truncation_mask",
    "truncate_logits",
    "truncation_stats",
    "teacher_forced_logits",
    "TruncationStats",
    "SAMPLERS",
    "DEFAULT_STAT_SAMPLERS",
]


# ----------------------------------------------------------------------------------------------------------
# validation
# ----------------------------------------------------------------------------------------------------------


def _check_temperature(temperature) -> float:
    if isinstance(temperature, bool) or not isinstance(temperature, numbers.Real):
        raise InvalidParameterError(f"`temperature` must be a real number > 0; got {temperature!r}")
    t = float(temperature)
    if not (t > 0) or math.isinf(t):
        raise InvalidParameterError(
            f"`temperature` must be a finite real number > 0; got {temperature!r}"
            " (for greedy decoding keep only the arg-max, e.g. top_k_mask(logits, 1))"
        )
    return t


def _check_unit(value, name: str, *, low_open: bool = True, high_open: bool = False) -> float:
    """A real number in (0, 1] (or the interval the flags say)."""
    lo, hi = ("(" if low_open else "["), (")" if high_open else "]")
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(float(value)):
        raise InvalidParameterError(f"`{name}` must be a real number in {lo}0, 1{hi}; got {value!r}")
    v = float(value)
    bad = (v < 0 or v > 1) or (low_open and v == 0) or (high_open and v == 1)
    if bad:
        raise InvalidParameterError(f"`{name}` must be in {lo}0, 1{hi}; got {value!r}")
    return v


def _as_logits(logits, name: str = "logits"):
    """Return (2-D floating tensor, restore) where restore maps a [B, V] result back to the caller's form."""
    if isinstance(logits, torch.Tensor):
        was_numpy = False
        t = logits
    else:
        if isinstance(logits, (str, bytes)):
            raise InvalidInputTypeError(f"`{name}` must be a tensor or array of numbers; got a string")
        try:
            a = np.asarray(logits)
        except Exception as exc:  # ragged input
            raise InvalidInputTypeError(f"`{name}` must be an array of numbers; could not convert it ({exc})") from exc
        if a.dtype.kind not in "biuf":
            raise InvalidInputTypeError(f"`{name}` must be an array of real numbers; got dtype {a.dtype}")
        t = torch.as_tensor(a if a.dtype.kind == "f" else a.astype(np.float64))
        was_numpy = True
    if t.is_complex():
        raise InvalidInputTypeError(f"`{name}` must be real-valued; got {t.dtype}")
    if not t.is_floating_point():
        t = t.to(torch.float32)
    if t.ndim not in (1, 2):
        raise ShapeMismatchError(
            f"`{name}` must have shape [batch, vocab] or [vocab]; got shape {tuple(t.shape)}"
            " (flatten leading dimensions with logits.reshape(-1, logits.shape[-1]))"
        )
    if t.shape[-1] == 0 or t.numel() == 0:
        raise InvalidDistributionError(f"`{name}` must not be empty; got shape {tuple(t.shape)}")
    squeeze = t.ndim == 1
    t2 = t.unsqueeze(0) if squeeze else t
    if torch.isnan(t2).any():
        row, col = (torch.isnan(t2).nonzero()[0]).tolist()
        raise InvalidDistributionError(f"`{name}` contains NaN (first at row {row}, token {col}); logits must be finite or -inf")
    if torch.isposinf(t2).any():
        row, col = (torch.isposinf(t2).nonzero()[0]).tolist()
        raise InvalidDistributionError(f"`{name}` contains +inf (first at row {row}, token {col}); logits must be finite or -inf")
    dead = torch.isneginf(t2).all(dim=-1)
    if dead.any():
        raise InvalidDistributionError(
            f"`{name}` row {int(dead.nonzero()[0])} is entirely -inf: no token can be kept"
        )

    def restore(mask: torch.Tensor):
        m = mask.squeeze(0) if squeeze else mask
        return m.cpu().numpy() if was_numpy else m

    return t2, restore


def _compute_dtype(z: torch.Tensor) -> torch.Tensor:
    # half / bfloat16 logits: do the softmax arithmetic in float32 (transformers' warpers would work in the
    # low precision; parity is tested for float32 and float64).
    return z.float() if z.dtype in (torch.float16, torch.bfloat16) else z


def _temper(z: torch.Tensor, temperature: float) -> torch.Tensor:
    z = _compute_dtype(z)
    return z if temperature == 1.0 else z / temperature


# ----------------------------------------------------------------------------------------------------------
# shared sorted-prefix machinery (private kernels: tempered logits in, bool keep-mask out; no validation)
# ----------------------------------------------------------------------------------------------------------


def _scatter_sorted(keep_sorted: torch.Tensor, sorted_idx: torch.Tensor, shape) -> torch.Tensor:
    """Map a keep-mask over (a prefix of) sorted positions back to vocabulary order; unlisted tokens are dropped."""
    if keep_sorted.shape[-1] == shape[-1]:
        return keep_sorted.scatter(-1, sorted_idx, keep_sorted)
    keep = torch.zeros(shape, dtype=torch.bool, device=keep_sorted.device)
    return keep.scatter_(-1, sorted_idx, keep_sorted)


def _categorical_terms(top_logits: torch.Tensor):
    """Normalised log-probs, probs and entropy exactly as ``torch.distributions.Categorical`` computes them."""
    normalized = top_logits - top_logits.logsumexp(dim=-1, keepdim=True)
    probs = torch.softmax(normalized, dim=-1)
    min_real = torch.finfo(normalized.dtype).min
    entropy = -(normalized.clamp(min=min_real) * probs).sum(-1)
    return normalized, probs, entropy


def _top_h_kernel(z, alpha, top_n, min_keep, renormalize, mode):
    select, top_idx = _top_h_select(z, alpha, top_n, min_keep, renormalize, mode)
    return _scatter_sorted(select, top_idx, z.shape)


def _top_h_select(z, alpha, top_n, min_keep, renormalize, mode):
    """Top-H on the sorted candidates: (keep [B, n] over sorted positions, vocabulary indices [B, n])."""
    V = z.shape[-1]
    n = V if top_n is None else min(top_n, V)
    if n == V:
        top_logits, top_idx = torch.sort(z, dim=-1, descending=True)
    else:
        top_logits, top_idx = torch.topk(z, n, dim=-1, largest=True, sorted=True)
    if mode == "cumulative" and renormalize:
        # Same operations as transformers' TopHLogitsWarper (Categorical over the top-n logits), so the masks
        # agree bit for bit.
        _, probs, entropy = _categorical_terms(top_logits)
        terms = -probs * torch.log(probs)  # 0·log 0 = NaN compares False: underflowed tokens are never kept
        tau = (entropy * alpha).unsqueeze(-1)
        select = torch.cumsum(terms, dim=-1) <= tau
    elif mode == "cumulative":
        # The authors' reference processor: top-n of softmax over the full vocabulary, not renormalised;
        # tau = alpha * (partial entropy of the top-n).
        logz = z.logsumexp(dim=-1, keepdim=True)
        q = torch.exp(top_logits - logz)
        terms = -q * (top_logits - logz)
        terms = torch.where(q > 0, terms, torch.zeros_like(terms))
        cum = torch.cumsum(terms, dim=-1)
        select = cum <= alpha * cum[..., -1:]
        select = select & (q > 0)
    else:  # strict: H(renormalised prefix) <= alpha * H(q), q = softmax over the candidate set
        logq = top_logits - top_logits.logsumexp(dim=-1, keepdim=True)
        q = torch.exp(logq)
        terms = torch.where(q > 0, -q * logq, torch.zeros_like(q))
        cum = torch.cumsum(terms, dim=-1)
        sigma = torch.cumsum(q, dim=-1)
        # H(q_{1..k}/sigma_k) = log sigma_k + C_k / sigma_k (nondecreasing in k for sorted q)
        prefix_h = torch.log(sigma) + cum / sigma
        select = (prefix_h <= alpha * cum[..., -1:]) & (q > 0)
    select[..., : max(1, min(min_keep, n))] = True
    return select, top_idx


def _top_k_kernel(z, k, min_keep):
    k = min(max(k, min_keep), z.shape[-1])
    return z >= torch.topk(z, k, dim=-1).values[..., -1:]


def _top_p_kernel(z, p, min_keep):
    # transformers' TopPLogitsWarper: ascending sort, drop tokens whose ascending cumulative mass <= 1 - p
    sorted_logits, sorted_idx = torch.sort(z, descending=False)
    cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    keep_sorted = cum > (1 - p)
    keep_sorted[..., -min_keep:] = True
    return keep_sorted.scatter(-1, sorted_idx, keep_sorted)


def _min_p_kernel(z, min_p, min_keep):
    probs = torch.softmax(z, dim=-1)
    keep = probs >= min_p * probs.amax(dim=-1, keepdim=True)
    if min_keep > 1:
        k = min(min_keep, z.shape[-1])
        keep = keep.scatter(-1, torch.topk(probs, k, dim=-1).indices, True)
    return keep


def _typical_kernel(z, mass, min_keep):
    normalized = torch.log_softmax(z, dim=-1)
    p = torch.exp(normalized)
    ent = -(normalized * p).nansum(-1, keepdim=True)
    shifted = torch.abs((-normalized) - ent)
    sorted_scores, sorted_idx = torch.sort(shifted, descending=False)
    sorted_logits = z.gather(-1, sorted_idx)
    cum = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    last = (cum < mass).sum(dim=1)
    last.clamp_(max=sorted_scores.shape[-1] - 1)
    keep_sorted = sorted_scores <= sorted_scores.gather(1, last.view(-1, 1))
    keep_sorted[..., :min_keep] = True
    return keep_sorted.scatter(-1, sorted_idx, keep_sorted)


def _epsilon_kernel(z, epsilon, min_keep):
    keep = torch.softmax(z, dim=-1) >= epsilon
    k = min(min_keep, z.shape[-1])
    return keep | (z >= torch.topk(z, k, dim=-1).values[..., -1:])


def _eta_kernel(z, epsilon, min_keep):
    _, _, entropy = _categorical_terms(z)
    eps = torch.tensor(epsilon, dtype=torch.float32, device=z.device)
    eta = torch.min(eps, torch.sqrt(eps) * torch.exp(-entropy))[..., None]
    keep = torch.softmax(z, dim=-1) >= eta
    k = min(min_keep, z.shape[-1])
    return keep | (z >= torch.topk(z, k, dim=-1).values[..., -1:])


# ----------------------------------------------------------------------------------------------------------
# public masks
# ----------------------------------------------------------------------------------------------------------


def _check_min_keep(min_tokens_to_keep) -> int:
    return check_positive_int(min_tokens_to_keep, "min_tokens_to_keep")


def top_h_mask(logits, alpha: float = 0.4, *, top_n: int | None = 100, temperature: float = 1.0,
               min_tokens_to_keep: int = 1, renormalize_top_n: bool = True, mode: str = "cumulative"):
    r"""Top-H keep-mask: the most probable tokens whose cumulative partial entropy stays within α·H.

    .. math:: S = \{1\} \cup \{k : -\textstyle\sum_{i \le k} q_{(i)} \log q_{(i)} \le \alpha\, H(q)\}

    Parameters
    ----------
    logits : tensor or array, shape [B, V] or [V]
        Untempered next-token logits :math:`z` (``-inf`` allowed for already-masked tokens).
    alpha : float in (0, 1], default 0.4
        The entropy budget α (transformers' ``top_h``).
    top_n : int or None, default 100
        Candidate set: the ``top_n`` largest logits (the reference implementations hard-code 100); ``None``
        uses the whole vocabulary.
    temperature : float > 0, default 1.0
        The set is chosen on :math:`q \propto \exp(z/T)` restricted to the candidates.
    min_tokens_to_keep : int >= 1, default 1
        Always keep at least this many of the most probable tokens (transformers' warper ignores it).
    renormalize_top_n : bool, default True
        ``True``: q is the softmax over the top-n logits (transformers' ``TopHLogitsWarper``). ``False``: q is
        the top-n of the full-vocabulary softmax, not renormalised, and the budget is α times its partial
        entropy (the authors' ``TopH_LogitsProcessor``). The kept sets differ by at most a token or so.
    mode : {"cumulative", "strict"}, default "cumulative"
        ``"cumulative"`` is the rule of both reference implementations (above). ``"strict"`` is the literal
        reading of the paper's constraint, :math:`H(q_{1..k}/\sigma_k) \le \alpha H(q)` with
        :math:`\sigma_k` the prefix mass; it keeps fewer tokens and is *not* what the paper's code runs.

    Returns
    -------
    mask : bool tensor or array, same shape and kind as ``logits``
        ``True`` for kept tokens.

    Notes
    -----
    Top-H [1]_ approximates entropy-constrained mass maximisation (ECMM, Sec. 3 of [1]_) greedily: sort the
    tokens by probability and keep adding them while the entropy budget holds. The cumulative rule
    :math:`C_k \le \tau` with :math:`C_k = -\sum_{i\le k} q_{(i)}\log q_{(i)}` and :math:`\tau = \alpha H(q)` is
    equivalent to :math:`H(q_{1..k}/\sigma_k) \le \tau/\sigma_k + \log\sigma_k`. The log base cancels. For
    uniform logits exactly :math:`\lfloor n\alpha \rfloor` tokens are kept (n = ``top_n``), for a near-delta
    one, and the sets are nested in α. The budget is an entropy budget *within the top-n*.

    Examples
    --------
    >>> import torch
    >>> int(top_h_mask(torch.zeros(1, 1000), 0.25).sum())   # uniform: floor(100 * 0.25)
    25
    """
    a = _check_unit(alpha, "alpha")
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    check_choice(mode, "mode", ("cumulative", "strict"))
    if top_n is not None:
        top_n = check_positive_int(top_n, "top_n")
        if mk > top_n:
            raise InvalidParameterError(
                f"`min_tokens_to_keep` ({mk}) must be <= `top_n` ({top_n}); raise top_n or lower min_tokens_to_keep"
            )
    if not isinstance(renormalize_top_n, (bool, np.bool_)):
        raise InvalidParameterError(f"`renormalize_top_n` must be True or False; got {renormalize_top_n!r}")
    if mode == "strict" and not renormalize_top_n:
        raise InvalidParameterError("`mode='strict'` renormalises the candidates; pass renormalize_top_n=True")
    z, restore = _as_logits(logits)
    return restore(_top_h_kernel(_temper(z, t), a, top_n, mk, bool(renormalize_top_n), mode))


def top_k_mask(logits, k: int = 50, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""Top-k keep-mask: the ``k`` largest logits (ties with the k-th kept), as ``TopKLogitsWarper``.

    Temperature does not change the set (it is accepted for a uniform signature).

    Examples
    --------
    >>> import torch
    >>> top_k_mask(torch.tensor([[0.0, 3.0, 1.0, 2.0]]), 2).tolist()
    [[False, True, False, True]]
    """
    k = check_positive_int(k, "k")
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_top_k_kernel(_temper(z, t), k, mk))


def top_p_mask(logits, p: float = 0.9, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""Nucleus (top-p) keep-mask [2]_: the smallest most-probable set with mass >= ``p``, crossing token included.

    Tokens are dropped when the ascending cumulative mass of the tempered distribution is <= 1 - p, exactly as
    transformers' ``TopPLogitsWarper``.

    Examples
    --------
    >>> import torch
    >>> top_p_mask(torch.log(torch.tensor([[0.5, 0.3, 0.15, 0.05]])), 0.7).tolist()
    [[True, True, False, False]]
    """
    p = _check_unit(p, "p")
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_top_p_kernel(_temper(z, t), p, mk))


def min_p_mask(logits, min_p: float = 0.1, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""Min-p keep-mask [3]_: tokens with :math:`p_i \ge \text{min\_p}\cdot\max_j p_j` (``MinPLogitsWarper``).

    Examples
    --------
    >>> import torch
    >>> min_p_mask(torch.log(torch.tensor([[0.6, 0.3, 0.05, 0.05]])), 0.1).tolist()
    [[True, True, False, False]]
    """
    mp = _check_unit(min_p, "min_p", low_open=False)
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_min_p_kernel(_temper(z, t), mp, mk))


def typical_mask(logits, mass: float = 0.9, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""Locally typical keep-mask [4]_: sort by :math:`|-\log p_i - H(p)|` and keep the smallest set with mass
    >= ``mass`` (``TypicalLogitsWarper``)."""
    m = _check_unit(mass, "mass")
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_typical_kernel(_temper(z, t), m, mk))


def epsilon_mask(logits, epsilon: float = 3e-4, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""ε-sampling keep-mask [5]_: tokens with :math:`p_i \ge \varepsilon` (``EpsilonLogitsWarper``)."""
    e = _check_unit(epsilon, "epsilon", high_open=True)
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_epsilon_kernel(_temper(z, t), e, mk))


def eta_mask(logits, epsilon: float = 2e-3, *, temperature: float = 1.0, min_tokens_to_keep: int = 1):
    r"""η-sampling keep-mask [5]_: :math:`p_i \ge \eta`, :math:`\eta = \min(\varepsilon, \sqrt{\varepsilon}\,
    e^{-H(p)})` with H in nats (``EtaLogitsWarper``)."""
    e = _check_unit(epsilon, "epsilon", high_open=True)
    t = _check_temperature(temperature)
    mk = _check_min_keep(min_tokens_to_keep)
    z, restore = _as_logits(logits)
    return restore(_eta_kernel(_temper(z, t), e, mk))


SAMPLERS: dict[str, Callable] = {
    "top_h": top_h_mask,
    "top_k": top_k_mask,
    "top_p": top_p_mask,
    "min_p": min_p_mask,
    "typical": typical_mask,
    "epsilon": epsilon_mask,
    "eta": eta_mask,
}


def truncation_mask(logits, method: str, value, *, temperature: float = 1.0, **kwargs):
    """Dispatch to ``<method>_mask(logits, value, temperature=..., **kwargs)``; ``method`` is one of
    :data:`SAMPLERS` (``"top_h"``, ``"top_k"``, ``"top_p"``, ``"min_p"``, ``"typical"``, ``"epsilon"``, ``"eta"``).
    """
    check_choice(method, "method", tuple(SAMPLERS))
    return SAMPLERS[method](logits, value, temperature=temperature, **kwargs)


def truncate_logits(logits, method: str, value, *, temperature: float = 1.0, filter_value: float = -math.inf,
                    **kwargs):
    """The *untempered* logits with the tokens outside ``truncation_mask(...)`` set to ``filter_value`` (a copy).

    Examples
    --------
    >>> import torch
    >>> truncate_logits(torch.tensor([[0.0, 3.0, 1.0]]), "top_k", 1).tolist()
    [[-inf, 3.0, -inf]]
    """
    mask = truncation_mask(logits, method, value, temperature=temperature, **kwargs)
    if isinstance(mask, np.ndarray):
        out = np.array(logits, dtype=float, copy=True)
        out[~mask] = filter_value
        return out
    return logits.masked_fill(~mask, filter_value)


# ----------------------------------------------------------------------------------------------------------
# truncation statistics
# ----------------------------------------------------------------------------------------------------------

#: the samplers of the comparison table in the notes (label -> (method, value))
DEFAULT_STAT_SAMPLERS: dict[str, tuple[str, float]] = {
    "top-k 50": ("top_k", 50),
    "top-p 0.9": ("top_p", 0.9),
    "min-p 0.1": ("min_p", 0.1),
    "typical 0.9": ("typical", 0.9),
    "eps 3e-4": ("epsilon", 3e-4),
    "eta 2e-3": ("eta", 2e-3),
    "top-H 0.4": ("top_h", 0.4),
}


_STATS_BLOCK_ELEMENTS = 2**24  # float64 elements per block of rows in truncation_stats (~128 MB per temporary)


@dataclass(frozen=True)
class TruncationStats:
    """Kept-set sizes, retained mass and entropies per sampler and temperature (one row each).

    ``rows`` is a tuple of dicts with keys ``temperature``, ``sampler``, ``median_kept``, ``mean_kept``,
    ``max_kept``, ``retained_mass`` (mean over positions of the tempered mass of the kept set),
    ``entropy`` (mean entropy of the tempered distribution, nats), ``truncated_entropy`` (mean entropy of the
    renormalised kept distribution, nats) and ``n_positions``.
    """

    rows: tuple
    unit: str = "nats"
    samplers: tuple = field(default=())
    temperatures: tuple = field(default=())

    def get(self, sampler: str, temperature: float) -> dict:
        """The row of ``sampler`` at ``temperature``."""
        for r in self.rows:
            if r["sampler"] == sampler and r["temperature"] == temperature:
                return r
        raise KeyError((sampler, temperature))

    def to_pandas(self):
        """The rows as a pandas DataFrame (pandas imported here)."""
        import pandas as pd

        return pd.DataFrame(list(self.rows))

    def to_string(self) -> str:
        """The table of the notes: one line per temperature, cells "median k / mean retained mass"."""
        head = ["T", "mean H (nats)"] + list(self.samplers)
        lines = [" | ".join(head)]
        for t in self.temperatures:
            cells = [f"{t:g}", f"{self.get(self.samplers[0], t)['entropy']:.2f}"]
            for s in self.samplers:
                r = self.get(s, t)
                cells.append(f"{r['median_kept']:g} / {r['retained_mass']:.2f}")
            lines.append(" | ".join(cells))
        return "\n".join(lines)

    __str__ = to_string


def teacher_forced_logits(model, tokenizer=None, text: str | None = None, *, input_ids=None):
    """Next-token logits ``[T - 1, V]`` of a causal LM at every position of ``text`` (teacher forcing).

    Position ``t`` holds the logits predicting token ``t + 1``; the last position (no target) is dropped.
    """
    if input_ids is None:
        if tokenizer is None or text is None:
            raise InvalidParameterError("pass `input_ids`, or both `tokenizer` and `text`")
        if not isinstance(text, str) or not text.strip():
            raise InvalidParameterError(f"`text` must be a non-empty string; got {text!r}")
        input_ids = tokenizer(text, return_tensors="pt")["input_ids"]
    input_ids = torch.as_tensor(input_ids)
    if input_ids.ndim == 1:
        input_ids = input_ids.unsqueeze(0)
    if input_ids.shape[0] != 1 or input_ids.shape[1] < 2:
        raise ShapeMismatchError(
            f"`input_ids` must be one sequence of >= 2 tokens; got shape {tuple(input_ids.shape)}"
        )
    device = next(model.parameters()).device
    with torch.no_grad():
        out = model(input_ids=input_ids.to(device))
    return out.logits[0, :-1].float()


def truncation_stats(logits=None, *, model=None, tokenizer=None, text: str | None = None, input_ids=None,
                     samplers: Mapping[str, tuple[str, float]] | None = None,
                     temperatures: Sequence[float] = (1.0, 1.5, 2.0)) -> TruncationStats:
    r"""Kept-set size, retained mass and entropy of each truncation sampler at each temperature.

    The table that shows top-p and typical sampling blowing up at high temperature while Top-H [1]_ and min-p
    stay bounded (Sec. 5 of [1]_).

    Parameters
    ----------
    logits : tensor or array, shape [N, V] or [V], optional
        Next-token logits (untempered), one row per position. Alternatively pass ``model`` with ``tokenizer``
        and ``text`` (or with ``input_ids``) and the logits of every position are computed with teacher forcing
        (:func:`teacher_forced_logits`).
    samplers : mapping label -> (method, value), optional
        Default :data:`DEFAULT_STAT_SAMPLERS` (top-k 50, top-p 0.9, min-p 0.1, typical 0.9, ε 3e-4, η 2e-3,
        top-H 0.4).
    temperatures : sequence of float > 0, default (1.0, 1.5, 2.0)

    Returns
    -------
    TruncationStats
        One row per (temperature, sampler). Entropies in nats.

    Notes
    -----
    With :math:`p^{(T)} = \mathrm{softmax}(z/T)` and kept set :math:`S`, the retained mass is
    :math:`\sum_{i\in S} p^{(T)}_i` and the truncated entropy is :math:`H(p^{(T)}|_S / p^{(T)}(S))`.
    """
    if logits is None:
        if model is None:
            raise InvalidParameterError("pass `logits`, or `model` with `tokenizer` and `text`")
        logits = teacher_forced_logits(model, tokenizer, text, input_ids=input_ids)
    z, _ = _as_logits(logits)
    samplers = dict(DEFAULT_STAT_SAMPLERS if samplers is None else samplers)
    if not samplers:
        raise InvalidParameterError("`samplers` must name at least one sampler, e.g. {'top-H 0.4': ('top_h', 0.4)}")
    for label, spec in samplers.items():
        if not (isinstance(spec, (tuple, list)) and len(spec) == 2):
            raise InvalidParameterError(
                f"`samplers[{label!r}]` must be a (method, value) pair such as ('top_p', 0.9); got {spec!r}"
            )
        check_choice(spec[0], f"samplers[{label!r}][0]", tuple(SAMPLERS))
    temps = tuple(_check_temperature(t) for t in temperatures)
    if not temps:
        raise InvalidParameterError("`temperatures` must contain at least one temperature, e.g. (1.0, 2.0)")
    z = z.double()
    chunk = max(1, int(_STATS_BLOCK_ELEMENTS // z.shape[-1]))  # rows per block: bounded float64 temporaries
    rows = []
    for t in temps:
        per = {label: {"kept": [], "mass": [], "h_trunc": []} for label in samplers}
        entropies = []
        for r0 in range(0, z.shape[0], chunk):
            zc = z[r0:r0 + chunk]
            logp = torch.log_softmax(zc / t, dim=-1)
            p = torch.exp(logp)
            plogp = torch.where(p > 0, p * logp, torch.zeros_like(p))
            entropies.append(-plogp.sum(-1))
            for label, (method, value) in samplers.items():
                mask = SAMPLERS[method](zc, value, temperature=t)
                mass = (p * mask).sum(-1)
                per[label]["kept"].append(mask.sum(-1).double())
                per[label]["mass"].append(mass)
                # H(p|_S / m) = -(1/m) sum_S p log p + log m
                per[label]["h_trunc"].append(-(plogp * mask).sum(-1) / mass + torch.log(mass))
        entropy = torch.cat(entropies)
        for label in samplers:
            kept = torch.cat(per[label]["kept"])
            rows.append({
                "temperature": t,
                "sampler": label,
                "median_kept": float(torch.quantile(kept, 0.5)),
                "mean_kept": float(kept.mean()),
                "max_kept": int(kept.max()),
                "retained_mass": float(torch.cat(per[label]["mass"]).mean()),
                "entropy": float(entropy.mean()),
                "truncated_entropy": float(torch.cat(per[label]["h_trunc"]).mean()),
                "n_positions": int(z.shape[0]),
            })
    return TruncationStats(rows=tuple(rows), samplers=tuple(samplers), temperatures=temps)
