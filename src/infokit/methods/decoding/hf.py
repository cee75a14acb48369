r"""transformers adapters: the truncation masks of :mod:`~infokit.methods.decoding.truncation` as
``LogitsProcessor`` subclasses.

Usage::

    from infokit.methods.decoding.hf import TopHLogitsProcessor
    out = model.generate(**inputs, do_sample=True, temperature=1.5, top_k=0,
                         logits_processor=[TopHLogitsProcessor(0.4, temperature=1.5)])

**Hook order (transformers 5.x).** Processors passed as ``logits_processor=`` run *before* the sampling warpers
``generate`` builds from its own arguments: custom → Temperature → TopH → TopK → TopP → MinP → Typical → Epsilon →
Eta. A custom truncation processor therefore sees *untempered* logits; that is why every processor here takes its
own ``temperature`` (the set is chosen on :math:`\mathrm{softmax}(z/T)`), and returns the untempered logits with
the dropped tokens masked, so ``generate(temperature=T)`` then samples from :math:`z/T` on the kept set. Pass the
same ``T`` to both. Never rescale twice.

**The ``top_k=50`` trap.** ``generate(do_sample=True)`` appends ``TopKLogitsWarper(50)`` when ``top_k`` is not
given (unless the model's generation config says otherwise), silently stacking top-k on top of your processor.
Pass ``top_k=0`` (and leave ``top_p``, ``min_p``, ``typical_p`` unset) so the processor alone decides the set.

Every processor validates its arguments in ``__init__`` and is pure in ``__call__`` (returns a new tensor, keeps
no state), so ``supports_continuous_batching = True``.
"""

from __future__ import annotations

import math

import torch
from transformers import LogitsProcessor

from ..._validation import check_choice, check_positive_int
from ...exceptions import InvalidParameterError
from .truncation import (
    _check_temperature,
    _check_unit,
    _epsilon_kernel,
    _eta_kernel,
    _min_p_kernel,
    _temper,
    _top_h_kernel,
    _top_h_select,
    _top_k_kernel,
    _top_p_kernel,
    _typical_kernel,
)

__all__ = [
    "TopHLogitsProcessor",
    "TopKLogitsProcessor",
    "TopPLogitsProcessor",
    "MinPLogitsProcessor",
    "TypicalLogitsProcessor",
    "EpsilonLogitsProcessor",
    "EtaLogitsProcessor",
    "truncation_processor",
]


class _TruncationProcessor(LogitsProcessor):
    supports_continuous_batching = True

    def __init__(self, *, temperature: float, min_tokens_to_keep: int, filter_value: float):
        super().__init__()
        self.temperature = _check_temperature(temperature)
        self.min_tokens_to_keep = check_positive_int(min_tokens_to_keep, "min_tokens_to_keep")
        if not isinstance(filter_value, (int, float)) or math.isnan(float(filter_value)):
            raise InvalidParameterError(f"`filter_value` must be a number (default -inf); got {filter_value!r}")
        self.filter_value = float(filter_value)

    def _keep(self, z: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, input_ids: torch.LongTensor, scores: torch.Tensor) -> torch.Tensor:
        keep = self._keep(_temper(scores, self.temperature))
        return scores.masked_fill(~keep, self.filter_value)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


class TopHLogitsProcessor(_TruncationProcessor):
    r"""Top-H truncation [1]_ as a ``LogitsProcessor`` (see :func:`~infokit.methods.decoding.truncation.top_h_mask`).

    With ``temperature=1``, ``top_n=100`` and the default ``renormalize_top_n=True`` the mask is identical to
    transformers' ``TopHLogitsWarper(alpha)``; unlike it, this one honours ``min_tokens_to_keep`` and applies its
    own temperature (see the module notes on hook order).

    Parameters
    ----------
    alpha : float in (0, 1], default 0.4
    top_n : int or None, default 100
    temperature : float > 0, default 1.0
    min_tokens_to_keep : int, default 1
    renormalize_top_n : bool, default True
    mode : {"cumulative", "strict"}, default "cumulative"
    filter_value : float, default -inf

    References
    ----------
    .. [1] Potraghloo, E. B., Azizi, S., Kundu, S., Pedram, M. (2025). Top-H decoding: adapting the creativity
       and coherence with bounded entropy in text generation. NeurIPS 2025. arXiv:2509.02510.
    """

    def __init__(self, alpha: float = 0.4, *, top_n: int | None = 100, temperature: float = 1.0,
                 min_tokens_to_keep: int = 1, renormalize_top_n: bool = True, mode: str = "cumulative",
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.alpha = _check_unit(alpha, "alpha")
        self.top_n = None if top_n is None else check_positive_int(top_n, "top_n")
        if self.top_n is not None and self.min_tokens_to_keep > self.top_n:
            raise InvalidParameterError(
                f"`min_tokens_to_keep` ({self.min_tokens_to_keep}) must be <= `top_n` ({self.top_n})"
            )
        self.mode = check_choice(mode, "mode", ("cumulative", "strict"))
        if not isinstance(renormalize_top_n, bool):
            raise InvalidParameterError(f"`renormalize_top_n` must be True or False; got {renormalize_top_n!r}")
        if mode == "strict" and not renormalize_top_n:
            raise InvalidParameterError("`mode='strict'` renormalises the candidates; pass renormalize_top_n=True")
        self.renormalize_top_n = renormalize_top_n

    def _keep(self, z):
        return _top_h_kernel(z, self.alpha, self.top_n, self.min_tokens_to_keep, self.renormalize_top_n, self.mode)

    def __call__(self, input_ids: torch.LongTensor, scores: torch.Tensor) -> torch.Tensor:
        # Fast path: at most top_n tokens survive, so fill a new tensor and scatter the kept logits back
        # (no full-vocabulary masked write).
        select, idx = _top_h_select(_temper(scores, self.temperature), self.alpha, self.top_n,
                                    self.min_tokens_to_keep, self.renormalize_top_n, self.mode)
        kept = torch.where(select, scores.gather(-1, idx), torch.full_like(idx, 0, dtype=scores.dtype) + self.filter_value)
        return torch.full_like(scores, self.filter_value).scatter_(-1, idx, kept)


class TopKLogitsProcessor(_TruncationProcessor):
    """Top-k truncation (same mask as ``TopKLogitsWarper``)."""

    def __init__(self, k: int = 50, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.k = check_positive_int(k, "k")

    def _keep(self, z):
        return _top_k_kernel(z, self.k, self.min_tokens_to_keep)


class TopPLogitsProcessor(_TruncationProcessor):
    """Nucleus truncation on the tempered distribution (same mask as ``TopPLogitsWarper`` on ``z / T``)."""

    def __init__(self, p: float = 0.9, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.p = _check_unit(p, "p")

    def _keep(self, z):
        return _top_p_kernel(z, self.p, self.min_tokens_to_keep)


class MinPLogitsProcessor(_TruncationProcessor):
    """Min-p truncation on the tempered distribution (same mask as ``MinPLogitsWarper`` on ``z / T``)."""

    def __init__(self, min_p: float = 0.1, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.min_p = _check_unit(min_p, "min_p", low_open=False)

    def _keep(self, z):
        return _min_p_kernel(z, self.min_p, self.min_tokens_to_keep)


class TypicalLogitsProcessor(_TruncationProcessor):
    """Locally typical truncation (same mask as ``TypicalLogitsWarper`` on ``z / T``)."""

    def __init__(self, mass: float = 0.9, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.mass = _check_unit(mass, "mass")

    def _keep(self, z):
        return _typical_kernel(z, self.mass, self.min_tokens_to_keep)


class EpsilonLogitsProcessor(_TruncationProcessor):
    """ε truncation (same mask as ``EpsilonLogitsWarper`` on ``z / T``)."""

    def __init__(self, epsilon: float = 3e-4, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.epsilon = _check_unit(epsilon, "epsilon", high_open=True)

    def _keep(self, z):
        return _epsilon_kernel(z, self.epsilon, self.min_tokens_to_keep)


class EtaLogitsProcessor(_TruncationProcessor):
    """η truncation (same mask as ``EtaLogitsWarper`` on ``z / T``)."""

    def __init__(self, epsilon: float = 2e-3, *, temperature: float = 1.0, min_tokens_to_keep: int = 1,
                 filter_value: float = -math.inf):
        super().__init__(temperature=temperature, min_tokens_to_keep=min_tokens_to_keep, filter_value=filter_value)
        self.epsilon = _check_unit(epsilon, "epsilon", high_open=True)

    def _keep(self, z):
        return _eta_kernel(z, self.epsilon, self.min_tokens_to_keep)


_PROCESSORS = {
    "top_h": TopHLogitsProcessor,
    "top_k": TopKLogitsProcessor,
    "top_p": TopPLogitsProcessor,
    "min_p": MinPLogitsProcessor,
    "typical": TypicalLogitsProcessor,
    "epsilon": EpsilonLogitsProcessor,
    "eta": EtaLogitsProcessor,
}


def truncation_processor(method: str, value, **kwargs) -> LogitsProcessor:
    """Build the processor of ``method`` (``"top_h"``, ``"top_k"``, ``"top_p"``, ``"min_p"``, ``"typical"``,
    ``"epsilon"``, ``"eta"``) with its parameter ``value`` and keyword options."""
    check_choice(method, "method", tuple(_PROCESSORS))
    return _PROCESSORS[method](value, **kwargs)
