"""Epiplexity and time-bounded entropy from code lengths (paper 3).

Finzi, Qiu, Jiang, Izmailov, Kolter & Wilson (2026) [1]_ split the information in data X, for an observer limited to
a compute budget T, into the structure it can learn and the part that still looks random. Among probabilistic
models P computable within T, take the one minimising the two-part code |P| + E[−log P(X)]; its description length is
the **epiplexity** S_T(X) and its residual code length the **time-bounded entropy** H_T(X). A pseudorandom
sequence has tiny Shannon entropy (its seed) yet H_T ≈ its length and S_T ≈ 0 for any feasible T; a structured
source lets a bounded learner compress, and the model it needs to do so is S_T.

The model length |P| is estimated from training (no explicit encoding of the weights):

* prequential (:func:`prequential_code_length`): the area between the training-loss curve and the final loss,
  K(M) ≈ ∫ (L(τ) − L_final) dτ over training tokens τ (the excess bits paid while learning);
* requential (:func:`requential_code_length`): the cumulative KL(teacher ‖ student) of a student trained only on
  teacher samples, summed over the student's training tokens (:func:`token_kl` gives the per-token KL).

:func:`code_length_frontier` returns the lower convex hull of total code length against compute over a sweep of
runs (model sizes × training lengths) and :func:`epiplexity` reads S_T and H_T at a budget.

All inputs are in nats (losses in nats per token); ``base=2`` reports bits.

References
----------
.. [1] Finzi, M., Qiu, S., Jiang, Y., Izmailov, P., Kolter, J. Z., & Wilson, A. G. (2026). From Entropy to
   Epiplexity: Rethinking Information for Computationally Bounded Intelligence. arXiv:2601.03220
.. [2] shikaiqiu/epiplexity, ``soph/train.py`` (``K_auc``, ``K_req``) and ``notebooks/eca_3rules.ipynb``
   (``compute_lower_convex_hull``), commit 3aa12a1.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..._backend import is_torch, namespace
from ..._units import check_base, to_base, unit_name
from ..._validation import as_float_array, check_logits
from ...exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError

__all__ = [
    "prequential_code_length",
    "requential_code_length",
    "token_kl",
    "two_part_code_length",
    "code_length_frontier",
    "epiplexity",
    "EpiplexityResult",
]


def _vector(x, name, *, min_len=1):
    a = as_float_array(x, name)
    a = np.asarray(a.detach().cpu().numpy() if is_torch(a) else a, dtype=np.float64)
    if a.ndim != 1:
        raise ShapeMismatchError(f"`{name}` must be one-dimensional; got shape {a.shape}")
    if a.size < min_len:
        raise ShapeMismatchError(f"`{name}` needs at least {min_len} entries; got {a.size}")
    if not np.all(np.isfinite(a)):
        raise InvalidSampleError(f"`{name}` must be finite; got {int((~np.isfinite(a)).sum())} NaN/inf value(s)")
    return a


def prequential_code_length(losses, tokens, *, final_loss: float | None = None, base=None) -> float:
    r"""Prequential model code length ``K(M) ≈ ∫ (L(τ) − L_final) dτ``: area between a loss curve and its end.

    Parameters
    ----------
    losses : array_like, shape (n,)
        Training loss in nats per token, logged at ``tokens`` (use the same kind — train or held-out,
        raw or EMA — across the runs you compare).
    tokens : array_like, shape (n,)
        Cumulative number of training tokens at each logged point, strictly increasing.
    final_loss : float, optional
        L_final; the last logged loss by default (the reference's "current loss").
    base : float, optional
        None or e for nats, 2 for bits.

    Returns
    -------
    float
        K(M) (trapezoidal rule); 0 for a flat curve, ≥ 0 whenever the logged loss never drops below L_final.

    Notes
    -----
    Online (prequential) coding pays Σ_τ L(τ) for the training tokens; a model that had already converged would
    pay L_final per token; the difference is attributed to describing the model ([1]_, the ``K_auc`` of [2]_):

    .. math:: K(M) = \int_0^{D} \big(L(\tau) - L(D)\big)\, d\tau .

    References
    ----------
    .. [1] Finzi, M. et al. (2026). From Entropy to Epiplexity. arXiv:2601.03220
    .. [2] shikaiqiu/epiplexity, ``soph/train.py``.
    """
    b = check_base(base)
    loss = _vector(losses, "losses", min_len=2)
    tok = _vector(tokens, "tokens", min_len=2)
    if loss.shape != tok.shape:
        raise ShapeMismatchError(f"`losses` and `tokens` must have the same length; got {loss.size} and {tok.size}")
    if np.any(np.diff(tok) <= 0):
        raise InvalidParameterError("`tokens` must be strictly increasing (cumulative training tokens at each log point)")
    lf = float(loss[-1]) if final_loss is None else float(final_loss)
    if not math.isfinite(lf):
        raise InvalidParameterError(f"`final_loss` must be finite; got {final_loss!r}")
    excess = loss - lf
    k = float(np.sum(0.5 * (excess[1:] + excess[:-1]) * np.diff(tok)))
    return float(to_base(k, b))


def token_kl(teacher_logits, student_logits):
    r"""Per-position KL(teacher ‖ student) in nats from logits over the last axis (numpy or torch).

    .. math:: \mathrm{KL}(p_T\|p_S) = \sum_v p_T(v)\,[\log p_T(v) - \log p_S(v)].

    Returns an array / tensor of shape ``logits.shape[:-1]``; sum it over a step's tokens for
    :func:`requential_code_length`.
    """
    t = check_logits(teacher_logits, "teacher_logits")
    s = check_logits(student_logits, "student_logits")
    if tuple(t.shape) != tuple(s.shape):
        raise ShapeMismatchError(
            f"`teacher_logits` and `student_logits` must have the same shape; got {tuple(t.shape)} and {tuple(s.shape)}"
        )
    xp = namespace(t, s)
    lt, ls = xp.log_softmax(t, axis=-1), xp.log_softmax(s, axis=-1)
    kl = xp.sum(xp.exp(lt) * (lt - ls), axis=-1)
    return xp.maximum(kl, xp.zeros_like(kl))  # round-off can give -1e-17


def requential_code_length(kl_per_step, *, base=None) -> float:
    r"""Requential model code length ``K(M) = Σ_steps Σ_tokens KL(teacher ‖ student)``.

    Parameters
    ----------
    kl_per_step : array_like, shape (n_steps,)
        For each student update, the KL (nats) summed over the tokens the student trained on at that step
        (e.g. ``token_kl(teacher_logits, student_logits).sum()``).
    base : float, optional
        None or e for nats, 2 for bits.

    Returns
    -------
    float
        K(M); 0 when the student equals the teacher throughout.

    Notes
    -----
    The student learns only from teacher samples, so Σ KL is the code length of transmitting the teacher's
    samples to a receiver that trains the student in lockstep: an upper bound on the information the teacher
    (the model P) holds beyond its random seed ([1]_, the ``K_req`` of [2]_).

    References
    ----------
    .. [1] Finzi, M. et al. (2026). From Entropy to Epiplexity. arXiv:2601.03220
    .. [2] shikaiqiu/epiplexity, ``soph/train.py`` (``token_kl_sum``, ``cumulative_k_req``).
    """
    b = check_base(base)
    kl = _vector(kl_per_step, "kl_per_step")
    if np.any(kl < -1e-9 * max(1.0, float(np.max(np.abs(kl))))):
        raise InvalidSampleError(
            f"`kl_per_step` must be >= 0 (KL divergences); got a minimum of {float(kl.min()):.3g}"
        )
    return float(to_base(float(np.sum(np.clip(kl, 0, None))), b))


def two_part_code_length(model_code_length, test_loss, n_test_tokens) -> float:
    """Two-part code K(M) + K(X|M) = model length + per-token test loss × D_test (same units as the inputs)."""
    for v, name in ((model_code_length, "model_code_length"), (test_loss, "test_loss")):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not (math.isfinite(float(v)) and float(v) >= 0):
            raise InvalidParameterError(f"`{name}` must be a finite number >= 0; got {v!r}")
    if isinstance(n_test_tokens, bool) or not isinstance(n_test_tokens, numbers.Real) or not (
        math.isfinite(float(n_test_tokens)) and float(n_test_tokens) > 0
    ):
        raise InvalidParameterError(f"`n_test_tokens` must be > 0; got {n_test_tokens!r}")
    return float(model_code_length) + float(test_loss) * float(n_test_tokens)


def code_length_frontier(compute, code_length) -> np.ndarray:
    r"""Indices of the runs on the lower convex hull of (compute, code length), by increasing compute.

    Parameters
    ----------
    compute : array_like, shape (n,)
        Compute of each run (FLOPs, steps, seconds: any monotone measure), > 0.
    code_length : array_like, shape (n,)
        Total two-part code length of each run.

    Returns
    -------
    ndarray of int
        Indices of the hull's vertices from the smallest compute on; the code length along it is strictly
        decreasing (points whose code length does not improve on a cheaper run are dropped).

    Notes
    -----
    Andrew's monotone chain on the points sorted by (compute, code length), keeping the lower hull, then cut where
    it stops decreasing — the frontier of [2]_'s ``compute_lower_convex_hull``: at a budget T the best code uses
    at most T compute, and mixtures of runs make the hull (not just the staircase) achievable.
    """
    c = _vector(compute, "compute")
    k = _vector(code_length, "code_length")
    if c.shape != k.shape:
        raise ShapeMismatchError(f"`compute` and `code_length` must have the same length; got {c.size} and {k.size}")
    if np.any(c <= 0):
        raise InvalidParameterError("`compute` must be > 0 for every run")
    order = np.lexsort((k, c))
    hull: list[int] = []
    for i in order:
        if hull and c[hull[-1]] == c[i]:
            continue  # same compute, larger (or equal) code length: never on the lower hull
        while len(hull) >= 2:
            o, a = hull[-2], hull[-1]
            cross = (c[a] - c[o]) * (k[i] - k[o]) - (k[a] - k[o]) * (c[i] - c[o])
            if cross <= 0:  # a is on or above the segment o -> i
                hull.pop()
            else:
                break
        hull.append(int(i))
    out = [hull[0]]
    for i in hull[1:]:
        if k[i] < k[out[-1]]:
            out.append(i)
        else:
            break
    return np.asarray(out, dtype=np.int64)


@dataclass(frozen=True)
class EpiplexityResult:
    """Epiplexity S_T and time-bounded entropy H_T at a compute budget (see :func:`epiplexity`)."""

    epiplexity: float
    time_bounded_entropy: float
    index: int
    budget: float
    unit: str
    frontier: np.ndarray

    @property
    def total(self) -> float:
        """S_T + H_T, the best two-part code length within the budget."""
        return self.epiplexity + self.time_bounded_entropy


def epiplexity(compute, model_code_length, data_code_length, *, budget: float | None = None,
               base=None) -> EpiplexityResult:
    r"""Epiplexity S_T and time-bounded entropy H_T of data from a sweep of runs.

    Parameters
    ----------
    compute : array_like, shape (n,)
        Compute of each run (training plus evaluation), > 0.
    model_code_length : array_like, shape (n,)
        K(M) of each run, nats (:func:`prequential_code_length` or :func:`requential_code_length`).
    data_code_length : array_like, shape (n,)
        K(X|M) of each run, nats: per-token test loss × D_test, with the same D_test for every run.
    budget : float, optional
        T: only runs with compute ≤ T compete. None uses all runs.
    base : float, optional
        None or e for nats, 2 for bits.

    Returns
    -------
    EpiplexityResult
        ``epiplexity`` = K(M) and ``time_bounded_entropy`` = K(X|M) of the run with the smallest K(M) + K(X|M)
        within the budget (ties: less compute); ``frontier`` = :func:`code_length_frontier` of all runs.

    Notes
    -----
    .. math:: P^*_T = \arg\min_{P:\ \mathrm{compute}(P)\le T} \; |P| + \mathbb E[-\log P(X)], \qquad
              S_T = |P^*_T|, \quad H_T = \mathbb E[-\log P^*_T(X)] \quad ([1]_).

    References
    ----------
    .. [1] Finzi, M. et al. (2026). From Entropy to Epiplexity. arXiv:2601.03220
    """
    b = check_base(base)
    c = _vector(compute, "compute")
    km = _vector(model_code_length, "model_code_length")
    kx = _vector(data_code_length, "data_code_length")
    if not (c.shape == km.shape == kx.shape):
        raise ShapeMismatchError(
            f"`compute`, `model_code_length` and `data_code_length` must have the same length; got {c.size}, "
            f"{km.size}, {kx.size}"
        )
    if np.any(km < 0) or np.any(kx < 0):
        raise InvalidSampleError("code lengths must be >= 0 (a negative K(M) means a loss curve that rose: check it)")
    total = km + kx
    frontier = code_length_frontier(c, total)
    if budget is None:
        t = float(np.max(c))
    else:
        t = float(budget)
        if not math.isfinite(t) or t <= 0:
            raise InvalidParameterError(f"`budget` must be a finite number > 0; got {budget!r}")
    ok = np.flatnonzero(c <= t)
    if ok.size == 0:
        raise InvalidParameterError(
            f"no run fits in `budget`={budget!r}; the cheapest run uses {float(c.min()):.4g}; raise the budget"
        )
    best = int(ok[np.lexsort((c[ok], total[ok]))[0]])
    return EpiplexityResult(
        epiplexity=float(to_base(km[best], b)),
        time_bounded_entropy=float(to_base(kx[best], b)),
        index=best,
        budget=t,
        unit=unit_name(b),
        frontier=frontier,
    )
