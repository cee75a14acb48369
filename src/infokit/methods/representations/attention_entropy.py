r"""Attention entropy [1]_: per-head diagnostics for transformers, and the entropy regulariser.

Each row of an attention matrix is a distribution over the keys a query may attend to; its Shannon entropy

.. math:: E_{h,i} = -\sum_j A_{h,i,j} \log A_{h,i,j} \le \log n_i

is at most the log of the number :math:`n_i` of allowed keys. Under a causal mask row :math:`i` (0-based) has
:math:`n_i = i + 1`, so its maximum is :math:`\log(i+1)`, not :math:`\log(\text{context})`. Jha & Reagen [1]_
observe that removing nonlinearities from an LLM (for private inference) drives early-layer heads towards
maximal entropy (**entropic overload**: heads that attend uniformly and do no work) and deep layers towards
collapse, and propose a regulariser that pulls each head's row entropies to within a tolerance band of a
learnable per-head threshold:

.. math::

    P = \frac{1}{L}\sum_{l}\frac{1}{H}\sum_h \sum_{b,i}
        \mathbb{1}\bigl[|E_{l,h,b,i} - \theta_h| > \gamma E_{\max}\bigr]\,(E_{l,h,b,i} - \theta_h)^2,
    \qquad \theta_h = w_h E_{\max}.

This module gives: :func:`attention_row_entropy` (rows of a probability tensor), :func:`attention_max_entropy`
(causal- and padding-aware :math:`\log n_i`), :func:`normalized_attention_entropy`,
:func:`entropy_regularization_loss` (the penalty above), :func:`attention_entropy_stats` (per-layer, per-head
summaries), and :class:`AttentionEntropyMonitor`, forward hooks on a Hugging Face ``transformers`` model that
record the entropies of every attention module on each forward pass (no ``output_attentions`` needed, but the
model must use eager attention: ``attn_implementation="eager"``; SDPA / flash kernels never form the matrix).

Only torch is imported here; ``transformers`` is never imported (the monitor works on any ``nn.Module``).

References
----------
.. [1] Jha, N. K., Reagen, B. (2025). Entropy-guided attention for private LLMs. PPAI workshop at AAAI 2025.
   arXiv:2501.03489.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import torch
from torch import nn

from ..._units import check_base
from ..._validation import check_choice, check_nonneg_float
from ...exceptions import InvalidInputTypeError, InvalidParameterError, ShapeMismatchError

__all__ = [
    "attention_row_entropy",
    "attention_max_entropy",
    "normalized_attention_entropy",
    "entropy_regularization_loss",
    "attention_entropy_stats",
    "AttentionEntropyStats",
    "AttentionEntropyMonitor",
]


# ---------------------------------------------------------------------------------------------- validation
def _check_prob_tensor(attn, name="attn", *, min_ndim=1):
    if not isinstance(attn, torch.Tensor):
        raise InvalidInputTypeError(
            f"`{name}` must be a torch.Tensor of attention probabilities (..., n_queries, n_keys); got "
            f"{type(attn).__name__}" + ("; attention weights are None when the model does not use eager attention -- "
                                        "load it with attn_implementation='eager'" if attn is None else "")
        )
    if not torch.is_floating_point(attn):
        raise InvalidInputTypeError(f"`{name}` must be floating point; got dtype {attn.dtype}")
    if attn.ndim < min_ndim:
        raise ShapeMismatchError(f"`{name}` must have at least {min_ndim} axes; got shape {tuple(attn.shape)}")
    a = attn.detach()
    if a.numel() and (bool(torch.isnan(a).any()) or float(a.min()) < 0):
        raise InvalidParameterError(
            f"`{name}` must hold probabilities (>= 0, no NaN); got min {float(a.min())!r}; pass softmax outputs, "
            f"not scores"
        )


def _check_mask(attention_mask, batch, n_keys, name="attention_mask"):
    if attention_mask is None:
        return None
    if not isinstance(attention_mask, torch.Tensor):
        attention_mask = torch.as_tensor(attention_mask)
    if attention_mask.ndim != 2 or attention_mask.shape[1] != n_keys or (batch is not None and
                                                                         attention_mask.shape[0] != batch):
        want = "" if batch is None else f" of shape ({batch}, {n_keys})"
        raise ShapeMismatchError(
            f"`{name}` must be a (batch, n_keys) 0/1 padding mask{want}; got shape {tuple(attention_mask.shape)}"
        )
    return attention_mask != 0


# ---------------------------------------------------------------------------------------------- kernels
def _row_entropy(attn):
    """−Σ_j A log A over the last axis with 0 log 0 = 0 and a finite gradient at A = 0 (masked keys)."""
    pos = attn > 0
    safe = torch.where(pos, attn, torch.ones_like(attn))
    return -(torch.where(pos, attn * torch.log(safe), torch.zeros_like(attn))).sum(-1)


def _allowed_counts(n_queries, n_keys, *, causal, mask, device):
    """Number of allowed keys per query row: (Q,) or (B, Q); the causal offset handles n_keys > n_queries."""
    off = n_keys - n_queries
    if mask is None:
        if causal:
            return torch.clamp(torch.arange(n_queries, device=device) + off + 1, max=n_keys, min=0)
        return torch.full((n_queries,), n_keys, device=device)
    m = mask.to(device=device, dtype=torch.long)
    if causal:
        cum = torch.cumsum(m, dim=1)  # (B, K): keys allowed up to and including position j
        idx = (torch.arange(n_queries, device=device) + off).clamp(min=0, max=n_keys - 1)
        return cum[:, idx]
    return m.sum(1, keepdim=True).expand(m.shape[0], n_queries)


def _valid_rows(n_queries, n_keys, *, causal, mask, device):
    """Query rows that are real tokens with at least one allowed key: (Q,) or (B, Q) bool."""
    counts = _allowed_counts(n_queries, n_keys, causal=causal, mask=mask, device=device)
    valid = counts > 0
    if mask is not None:
        off = n_keys - n_queries
        if off >= 0:
            valid = valid & mask.to(device)[:, off:]
    return valid, counts


# ---------------------------------------------------------------------------------------------- public API
def attention_row_entropy(attn, *, base=None):
    r"""Shannon entropy of each attention row: :math:`E_i = -\sum_j A_{ij}\log A_{ij}`.

    Parameters
    ----------
    attn : torch.Tensor, shape (..., n_queries, n_keys)
        Attention probabilities (rows sum to 1; masked keys have probability 0).
    base : float, optional
        Logarithm base; ``None`` (default) gives nats, 2 gives bits.

    Returns
    -------
    torch.Tensor, shape (..., n_queries)
        Row entropies, differentiable w.r.t. ``attn`` (the gradient is finite at exact zeros).

    Notes
    -----
    :math:`0 \log 0 = 0`. The reference code of [1]_ uses :math:`-\sum A\log(A + 10^{-9})`, which differs by at
    most :math:`\sim 10^{-9} n` nats; the exact form is used here.

    References
    ----------
    .. [1] Jha, N. K., Reagen, B. (2025). Entropy-guided attention for private LLMs. arXiv:2501.03489.

    Examples
    --------
    A uniform row over 4 keys has entropy :math:`\log 4` = 2 bits:

    >>> import torch
    >>> float(attention_row_entropy(torch.full((1, 4), 0.25), base=2)[0])
    2.0
    """
    _check_prob_tensor(attn)
    b = check_base(base)
    e = _row_entropy(attn)
    return e if b is None or b == math.e else e / math.log(b)


def attention_max_entropy(n_queries: int, n_keys: int | None = None, *, causal: bool = True, attention_mask=None,
                          device=None):
    r"""Maximum entropy :math:`\log n_i` of each attention row, where :math:`n_i` is its number of allowed keys.

    Parameters
    ----------
    n_queries : int
        Number of query rows :math:`Q`.
    n_keys : int, optional
        Number of keys :math:`K` (default :math:`Q`). With a KV cache, :math:`K > Q` and query :math:`i` sits at
        absolute position :math:`i + K - Q`.
    causal : bool, default True
        Row :math:`i` may attend to keys :math:`0..i + K - Q` only, so :math:`n_i = i + K - Q + 1`.
    attention_mask : array_like, shape (batch, n_keys), optional
        Hugging Face padding mask (1 = token, 0 = padding); padded keys are not allowed.
    device : torch.device, optional

    Returns
    -------
    torch.Tensor, shape (n_queries,) or (batch, n_queries)
        :math:`\log n_i` in nats; rows with no allowed key get 0.

    Examples
    --------
    >>> [round(v, 4) for v in attention_max_entropy(3).tolist()]  # 0, log 2, log 3
    [0.0, 0.6931, 1.0986]
    """
    if isinstance(n_queries, bool) or not isinstance(n_queries, int) or n_queries < 1:
        raise InvalidParameterError(f"`n_queries` must be an integer >= 1; got {n_queries!r}")
    n_keys = n_queries if n_keys is None else n_keys
    if isinstance(n_keys, bool) or not isinstance(n_keys, int) or n_keys < 1:
        raise InvalidParameterError(f"`n_keys` must be an integer >= 1; got {n_keys!r}")
    if causal and n_keys < n_queries:
        raise ShapeMismatchError(
            f"a causal mask needs n_keys >= n_queries (keys include every query's own position); got n_queries="
            f"{n_queries}, n_keys={n_keys}"
        )
    mask = _check_mask(attention_mask, None, n_keys)
    counts = _allowed_counts(n_queries, n_keys, causal=causal, mask=mask, device=device)
    return torch.log(counts.clamp(min=1).to(torch.get_default_dtype()))


def normalized_attention_entropy(attn, *, causal: bool = True, attention_mask=None):
    r"""Row entropy divided by its maximum, :math:`E_i / \log n_i \in [0, 1]` (1 = uniform over allowed keys).

    Parameters
    ----------
    attn : torch.Tensor, shape (batch, heads, n_queries, n_keys) or (..., n_queries, n_keys)
        Attention probabilities.
    causal : bool, default True
        Use :math:`n_i = i + 1` (see :func:`attention_max_entropy`).
    attention_mask : array_like, shape (batch, n_keys), optional
        Padding mask; needs ``attn`` of shape (batch, heads, Q, K).

    Returns
    -------
    torch.Tensor, shape (..., n_queries)
        Normalised entropies. Rows with a single allowed key (entropy necessarily 0, e.g. the first row of a causal
        mask) and padded rows are NaN-free: they are set to 0; use :func:`attention_entropy_stats` to average only
        over informative rows.

    Examples
    --------
    >>> import torch
    >>> causal_uniform = torch.tril(torch.ones(3, 3)) / torch.arange(1, 4).unsqueeze(1)
    >>> normalized_attention_entropy(causal_uniform).tolist()
    [0.0, 1.0, 1.0]
    """
    _check_prob_tensor(attn, min_ndim=2)
    Q, K = attn.shape[-2:]
    mask = None
    if attention_mask is not None:
        if attn.ndim != 4:
            raise ShapeMismatchError(
                f"`attn` must have shape (batch, heads, n_queries, n_keys) when `attention_mask` is given; got "
                f"{tuple(attn.shape)}"
            )
        mask = _check_mask(attention_mask, attn.shape[0], K)
    valid, counts = _valid_rows(Q, K, causal=causal, mask=mask, device=attn.device)
    emax = torch.log(counts.clamp(min=1).to(attn.dtype))
    if mask is not None:
        emax, valid = emax[:, None, :], valid[:, None, :]
    ok = valid & (emax > 0)
    e = _row_entropy(attn)
    return torch.where(ok, e / torch.where(ok, emax, torch.ones_like(emax)), torch.zeros_like(e))


def _as_entropy_list(attentions, from_entropies, name):
    if isinstance(attentions, torch.Tensor):
        attentions = [attentions]
    if not isinstance(attentions, (list, tuple)) or len(attentions) == 0:
        raise InvalidInputTypeError(
            f"`{name}` must be a non-empty sequence of per-layer tensors (e.g. outputs.attentions); got "
            f"{type(attentions).__name__}"
        )
    out = []
    for l, a in enumerate(attentions):
        _check_prob_tensor(a, f"{name}[{l}]")
        if from_entropies:
            if a.ndim != 3:
                raise ShapeMismatchError(f"`{name}[{l}]` must be entropies of shape (batch, heads, n_queries); got "
                                         f"{tuple(a.shape)}")
            out.append((a, a.shape[-1]))
        else:
            if a.ndim != 4:
                raise ShapeMismatchError(f"`{name}[{l}]` must have shape (batch, heads, n_queries, n_keys); got "
                                         f"{tuple(a.shape)}")
            out.append((_row_entropy(a), a.shape[-1]))
    shapes = {tuple(e.shape[:2]) for e, _ in out}
    if len(shapes) != 1:
        raise ShapeMismatchError(f"all layers of `{name}` must share (batch, heads); got {sorted(shapes)}")
    return out


def entropy_regularization_loss(attentions, threshold_weights, *, tolerance: float = 0.2, max_entropy: str = "row",
                                context_size: int | None = None, causal: bool = True, attention_mask=None,
                                reduction: str = "mean", n_keys: int | None = None, from_entropies: bool = False):
    r"""Entropy regulariser of [1]_: squared deviation of row entropies from per-head thresholds, outside a band.

    Parameters
    ----------
    attentions : sequence of torch.Tensor
        One tensor per layer: attention probabilities (batch, heads, Q, K), e.g. ``outputs.attentions`` of an
        eager-attention model, or with ``from_entropies=True`` row entropies (batch, heads, Q) in nats (as
        recorded by :class:`AttentionEntropyMonitor` with ``detach=False``).
    threshold_weights : torch.Tensor, shape (heads,) or (layers, heads)
        :math:`w_h` (learnable in [1]_): the threshold is :math:`\theta_h = w_h E_{\max}`. Shape (heads,)
        shares them across layers, as the reference code does.
    tolerance : float, default 0.2
        :math:`\gamma`: deviations with :math:`|E - \theta| \le \gamma E_{\max}` are not penalised.
    max_entropy : {"row", "context"}, default "row"
        ``"row"``: :math:`E_{\max,i} = \log n_i`, the causal/padding-aware maximum of each row. ``"context"``:
        :math:`E_{\max} = \log(\text{context\_size})` for every row, as in [1]_'s code.
    context_size : int, optional
        For ``max_entropy="context"``; default: the number of keys.
    causal : bool, default True
        Causal mask for the ``"row"`` maxima and for padding bookkeeping.
    attention_mask : array_like, shape (batch, n_keys), optional
        Padding mask: padded query rows are excluded.
    reduction : {"mean", "sum"}, default "mean"
        ``"mean"`` averages over batch and valid rows (shape-independent scale); ``"sum"`` sums over them as in
        [1]_ (whose coefficient 1e-5 assumes the sum). Both then average over heads and layers.
    n_keys : int, optional
        Number of keys, needed only with ``from_entropies=True`` when it differs from the number of queries.
    from_entropies : bool, default False
        ``attentions`` already holds row entropies.

    Returns
    -------
    torch.Tensor
        Scalar penalty in nats² (multiply by your coefficient and add to the LM loss), differentiable w.r.t. the
        attention probabilities and ``threshold_weights``.

    Notes
    -----
    .. math::

        P = \frac{1}{L}\sum_{l=1}^{L}\frac{1}{H}\sum_{h=1}^{H}\ \mathop{\mathrm{red}}_{b,i}\
        \mathbb{1}\bigl[|E_{l,h,b,i} - w_{h} E_{\max,i}| > \gamma E_{\max,i}\bigr]\,(E_{l,h,b,i} - w_h E_{\max,i})^2,

    ``EntropyRegularization.compute_loss`` of [1]_. Inside the band both the penalty and its gradient are 0.

    # Deviation from [1]: by default E_max is the per-row maximum log(n_i) ("row") and the reduction is a mean:
    # with a causal mask and E_max = log(context), early rows (max log(i+1)) can never reach a high threshold
    # and are always penalised, and a sum over batch x sequence makes the scale depend on the shapes.
    # max_entropy="context", reduction="sum" reproduce the reference code.

    References
    ----------
    .. [1] Jha, N. K., Reagen, B. (2025). Entropy-guided attention for private LLMs. PPAI workshop at AAAI 2025.
       arXiv:2501.03489.

    Examples
    --------
    Uniform causal attention sits exactly at :math:`w = 1` times the row maximum: no penalty.

    >>> import torch
    >>> A = (torch.tril(torch.ones(4, 4)) / torch.arange(1, 5).unsqueeze(1)).expand(1, 2, 4, 4)
    >>> float(entropy_regularization_loss([A], torch.ones(2)))
    0.0
    """
    tol = check_nonneg_float(tolerance, "tolerance")
    check_choice(max_entropy, "max_entropy", ("row", "context"))
    check_choice(reduction, "reduction", ("mean", "sum"))
    layers = _as_entropy_list(attentions, from_entropies, "attentions")
    L = len(layers)
    B, H, Q = layers[0][0].shape
    K = layers[0][1] if not from_entropies else (Q if n_keys is None else int(n_keys))
    if not isinstance(threshold_weights, torch.Tensor):
        raise InvalidInputTypeError(
            f"`threshold_weights` must be a torch.Tensor of shape ({H},) or ({L}, {H}); got "
            f"{type(threshold_weights).__name__}"
        )
    if tuple(threshold_weights.shape) not in ((H,), (L, H)):
        raise ShapeMismatchError(
            f"`threshold_weights` must have shape ({H},) (shared by all layers) or ({L}, {H}); got "
            f"{tuple(threshold_weights.shape)}"
        )
    w = threshold_weights if threshold_weights.ndim == 2 else threshold_weights.unsqueeze(0).expand(L, H)
    device, dtype = layers[0][0].device, layers[0][0].dtype
    mask = _check_mask(attention_mask, B, K)
    valid, counts = _valid_rows(Q, K, causal=causal, mask=mask, device=device)
    valid = valid.expand(B, Q) if valid.ndim == 2 else valid.unsqueeze(0).expand(B, Q)
    if max_entropy == "row":
        emax = torch.log(counts.clamp(min=1).to(dtype))
        emax = emax.expand(B, Q) if emax.ndim == 2 else emax.unsqueeze(0).expand(B, Q)
    else:
        c = K if context_size is None else context_size
        if isinstance(c, bool) or not isinstance(c, int) or c < 1:
            raise InvalidParameterError(f"`context_size` must be an integer >= 1; got {context_size!r}")
        emax = torch.full((B, Q), math.log(c), dtype=dtype, device=device)
    emax = emax[:, None, :]  # (B, 1, Q)
    vmask = valid[:, None, :].to(dtype)
    n_valid = valid.sum().clamp(min=1).to(dtype)
    total = torch.zeros((), dtype=dtype, device=device)
    for l, (ent, _) in enumerate(layers):
        theta = w[l].to(dtype)[None, :, None] * emax  # (B, H, Q)
        dev = ent - theta
        outside = (dev.abs() > tol * emax).to(dtype) * vmask
        pen = (outside * dev * dev).sum(dim=(0, 2))  # (H,)
        if reduction == "mean":
            pen = pen / n_valid
        total = total + pen.mean()
    return total / L


@dataclass(frozen=True)
class AttentionEntropyStats:
    """Per-layer, per-head attention-entropy summary.

    Attributes
    ----------
    entropy : torch.Tensor, shape (layers, heads)
        Mean row entropy (nats) over valid rows (real tokens with >= 1 allowed key).
    normalized : torch.Tensor, shape (layers, heads)
        Mean of :math:`E_i/\\log n_i` over rows with >= 2 allowed keys (1 = uniform attention).
    n_rows : int
        Rows averaged per (layer, head) for ``normalized`` (batch x informative query positions).
    """

    entropy: torch.Tensor
    normalized: torch.Tensor
    n_rows: int

    def fraction_overloaded(self, threshold: float = 0.9):
        """Fraction of heads per layer whose mean normalised entropy exceeds ``threshold`` (near-uniform heads:
        the "entropic overload" of Jha & Reagen, 2025)."""
        return (self.normalized > threshold).to(self.normalized.dtype).mean(dim=1)

    def fraction_collapsed(self, threshold: float = 0.1):
        """Fraction of heads per layer whose mean normalised entropy is below ``threshold`` (near one-hot heads:
        "entropy collapse")."""
        return (self.normalized < threshold).to(self.normalized.dtype).mean(dim=1)


def attention_entropy_stats(attentions, *, causal: bool = True, attention_mask=None, n_keys: int | None = None,
                            from_entropies: bool = False) -> AttentionEntropyStats:
    r"""Mean raw and normalised row entropy of every (layer, head), causal- and padding-aware.

    Parameters
    ----------
    attentions : sequence of torch.Tensor
        Per layer, (batch, heads, Q, K) probabilities (``outputs.attentions``), or with ``from_entropies=True``
        (batch, heads, Q) entropies.
    causal : bool, default True
    attention_mask : array_like, shape (batch, n_keys), optional
    n_keys : int, optional
        With ``from_entropies=True``: the number of keys if it differs from Q.
    from_entropies : bool, default False

    Returns
    -------
    AttentionEntropyStats
        Detached (layers, heads) tables; see its ``fraction_overloaded`` / ``fraction_collapsed``.

    References
    ----------
    .. [1] Jha, N. K., Reagen, B. (2025). Entropy-guided attention for private LLMs. arXiv:2501.03489.
    """
    layers = _as_entropy_list(attentions, from_entropies, "attentions")
    B, H, Q = layers[0][0].shape
    K = layers[0][1] if not from_entropies else (Q if n_keys is None else int(n_keys))
    dev = layers[0][0].device
    mask = _check_mask(attention_mask, B, K)
    valid, counts = _valid_rows(Q, K, causal=causal, mask=mask, device=dev)
    valid = valid.expand(B, Q) if valid.ndim == 2 else valid.unsqueeze(0).expand(B, Q)
    counts = counts.expand(B, Q) if counts.ndim == 2 else counts.unsqueeze(0).expand(B, Q)
    informative = valid & (counts >= 2)
    emax = torch.log(counts.clamp(min=1).double())
    v, inf_ = valid[:, None, :].double(), informative[:, None, :].double()
    ents, norms = [], []
    for ent, _ in layers:
        e = ent.detach().double()
        ents.append((e * v).sum(dim=(0, 2)) / v.sum().clamp(min=1))
        ratio = torch.where(informative[:, None, :], e / emax[:, None, :].clamp(min=1e-300), torch.zeros_like(e))
        norms.append((ratio * inf_).sum(dim=(0, 2)) / inf_.sum().clamp(min=1))
    return AttentionEntropyStats(torch.stack(ents), torch.stack(norms), int(informative.sum()))


def _default_attention_modules(model):
    """Top-most submodules whose class name ends in 'Attention' (self-attention; cross-attention excluded)."""
    found = []
    for name, mod in model.named_modules():
        if not type(mod).__name__.endswith("Attention") or "cross" in name.lower():
            continue
        if any(name.startswith(f + ".") for f, _ in found):
            continue
        found.append((name, mod))
    return found


class AttentionEntropyMonitor:
    r"""Forward hooks that record per-layer, per-head attention-row entropies of a transformers model.

    Parameters
    ----------
    model : torch.nn.Module
        E.g. ``GPT2LMHeadModel``; must compute attention probabilities explicitly
        (``attn_implementation="eager"``), and its attention modules must return ``(output, weights, ...)``.
    modules : sequence of torch.nn.Module, optional
        Attention modules to hook, in layer order. Default: every top-most submodule whose class name ends in
        ``"Attention"`` (cross-attention excluded).
    causal : bool, default True
        Used by :meth:`stats` and :meth:`regularization_loss` for the per-row maxima.
    detach : bool, default True
        Record detached entropies (diagnostics). ``False`` keeps the graph so that :meth:`regularization_loss`
        can be back-propagated.

    Notes
    -----
    Entropies are computed inside the hook, so full attention matrices are never stored (memory
    :math:`O(L\,B\,H\,Q)`). The model's ``attention_mask`` keyword is captured by a forward pre-hook, so padding
    is handled without extra arguments. In training mode with ``attn_pdrop > 0`` the weights a module returns are
    post-dropout and are not distributions; monitor in eval mode or with attention dropout 0.

    Use as a context manager (hooks are removed on exit) or call :meth:`remove`.

    References
    ----------
    .. [1] Jha, N. K., Reagen, B. (2025). Entropy-guided attention for private LLMs. arXiv:2501.03489.

    Examples
    --------
    >>> import torch
    >>> class Attention(torch.nn.Module):          # a stand-in attention module: uniform causal weights
    ...     def forward(self, x):
    ...         n = x.shape[1]
    ...         w = torch.tril(torch.ones(n, n)) / torch.arange(1, n + 1).unsqueeze(1)
    ...         return x, w.expand(x.shape[0], 1, n, n)
    >>> model = torch.nn.Sequential(Attention())
    >>> with AttentionEntropyMonitor(model) as mon:
    ...     _ = model(torch.zeros(1, 3, 2))
    >>> round(mon.stats().normalized.item(), 6)
    1.0
    """

    def __init__(self, model, modules: Sequence[nn.Module] | None = None, *, causal: bool = True,
                 detach: bool = True):
        if not isinstance(model, nn.Module):
            raise InvalidInputTypeError(f"`model` must be a torch.nn.Module; got {type(model).__name__}")
        if modules is None:
            modules = [m for _, m in _default_attention_modules(model)]
            if not modules:
                raise InvalidParameterError(
                    "found no attention modules in `model` (no submodule class name ends in 'Attention'); pass "
                    "modules=[...] explicitly"
                )
        self.modules = list(modules)
        self.causal = bool(causal)
        self.detach = bool(detach)
        self.entropies: list[torch.Tensor | None] = [None] * len(self.modules)
        self.n_keys: int | None = None
        self.attention_mask = None
        self._handles = [model.register_forward_pre_hook(self._pre_hook, with_kwargs=True)]
        for i, m in enumerate(self.modules):
            self._handles.append(m.register_forward_hook(self._make_hook(i)))

    def _pre_hook(self, module, args, kwargs):
        self.entropies = [None] * len(self.modules)
        self.attention_mask = kwargs.get("attention_mask")

    def _make_hook(self, index):
        def hook(module, args, output):
            weights = output[1] if isinstance(output, (tuple, list)) and len(output) > 1 else None
            if not isinstance(weights, torch.Tensor):
                raise InvalidInputTypeError(
                    f"attention module {index} ({type(module).__name__}) returned no attention weights; load the "
                    f"model with attn_implementation='eager' (SDPA / flash attention never form the matrix)"
                )
            if weights.ndim != 4:
                raise ShapeMismatchError(f"attention module {index} returned weights of shape "
                                         f"{tuple(weights.shape)}; expected (batch, heads, n_queries, n_keys)")
            ent = _row_entropy(weights.detach() if self.detach else weights)
            self.entropies[index] = ent
            self.n_keys = weights.shape[-1]

        return hook

    def _recorded(self):
        if any(e is None for e in self.entropies):
            raise InvalidParameterError("no entropies recorded yet: run a forward pass of the model first")
        return self.entropies

    def stats(self) -> AttentionEntropyStats:
        """Per-layer, per-head summary of the last forward pass (see :func:`attention_entropy_stats`)."""
        return attention_entropy_stats(self._recorded(), causal=self.causal, attention_mask=self.attention_mask,
                                       n_keys=self.n_keys, from_entropies=True)

    def regularization_loss(self, threshold_weights, **kwargs):
        """:func:`entropy_regularization_loss` on the last forward pass (needs ``detach=False``)."""
        if self.detach:
            raise InvalidParameterError(
                "the monitor records detached entropies; create it with detach=False to back-propagate the "
                "regulariser"
            )
        kwargs.setdefault("causal", self.causal)
        kwargs.setdefault("attention_mask", self.attention_mask)
        return entropy_regularization_loss(self._recorded(), threshold_weights, n_keys=self.n_keys,
                                           from_entropies=True, **kwargs)

    def remove(self):
        """Remove the hooks."""
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
        return False
