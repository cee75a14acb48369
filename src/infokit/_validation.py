"""Every input check of infokit lives here.

Public functions validate their inputs with these helpers, then call private kernels that never validate.
Messages name the argument the caller typed, say what was expected, what arrived, and how to fix it.
Nothing here modifies its input: arrays are converted (copied only when the dtype changes) and returned.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._backend import is_torch, namespace
from .exceptions import (
    InvalidDistributionError,
    InvalidInputTypeError,
    InvalidParameterError,
    ShapeMismatchError,
)

__all__ = [
    "as_float_array",
    "check_axis",
    "check_pmf",
    "check_joint",
    "check_logits",
    "check_same_shape",
    "check_alpha",
    "check_positive_int",
    "check_nonneg_float",
    "check_probability",
    "check_choice",
    "default_atol",
]


def _describe(x) -> str:
    if is_torch(x):
        return f"torch tensor of shape {tuple(x.shape)} and dtype {x.dtype}"
    a = np.asarray(x) if not isinstance(x, np.ndarray) else x
    return f"array of shape {a.shape} and dtype {a.dtype}"


def as_float_array(x, name: str, *, allow_empty: bool = False):
    """Convert ``x`` to a float array (numpy float64, or a floating torch tensor), without modifying it.

    Raises ``InvalidInputTypeError`` for non-numeric input and ``InvalidDistributionError`` for empty input.
    """
    if x is None:
        raise InvalidInputTypeError(f"`{name}` is required; got None")
    if is_torch(x):
        if x.is_complex():
            raise InvalidInputTypeError(f"`{name}` must be real-valued; got a complex tensor ({x.dtype})")
        if not x.is_floating_point():
            x = x.to(dtype=__import__("torch").float64)
        if x.numel() == 0 and not allow_empty:
            raise InvalidDistributionError(f"`{name}` must not be empty; got {_describe(x)}")
        return x
    if isinstance(x, (str, bytes)):
        raise InvalidInputTypeError(f"`{name}` must be an array of numbers; got the string {x!r}")
    try:
        a = np.asarray(x)
    except Exception as exc:  # ragged lists and the like
        raise InvalidInputTypeError(f"`{name}` must be an array of numbers; could not convert it ({exc})") from exc
    if a.dtype.kind not in "biuf":
        if a.dtype.kind == "c":
            raise InvalidInputTypeError(f"`{name}` must be real-valued; got complex dtype {a.dtype}")
        raise InvalidInputTypeError(
            f"`{name}` must be an array of numbers; got dtype {a.dtype}"
            + (" (a ragged list or mixed types?)" if a.dtype.kind == "O" else "")
            + "; convert it with np.asarray(..., dtype=float)"
        )
    a = a.astype(np.float64, copy=False)
    if a.size == 0 and not allow_empty:
        raise InvalidDistributionError(f"`{name}` must not be empty; got {_describe(a)}")
    return a


def check_axis(axis, ndim: int, name: str = "axis") -> int:
    """Normalise an axis index against ``ndim``; raise a clear error when out of range."""
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise InvalidParameterError(f"`{name}` must be an integer; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise InvalidParameterError(
            f"`{name}`={axis} is out of range for an input with {ndim} dimension(s); use -{ndim} <= {name} < {ndim}"
        )
    return int(axis) % ndim


def default_atol(x) -> float:
    """Tolerance on the sum of a pmf: tight for float64, looser for float32 / half (softmax round-off)."""
    if is_torch(x):
        bits = x.dtype.itemsize * 8
    else:
        bits = np.asarray(x).dtype.itemsize * 8
    if bits >= 64:
        return 1e-6  # float64 sums of 1e7 terms stay well inside this
    if bits >= 32:
        return 1e-4
    return 1e-2


def _first_bad_index(mask):
    idx = np.argwhere(np.asarray(mask))
    return tuple(int(i) for i in idx[0]) if len(idx) else None


def _nonfinite_message(name, a, xp):
    bad = ~xp.isfinite(a)
    if is_torch(a):
        bad = bad.detach().cpu().numpy()
        nan_count = int(a.isnan().sum())
    else:
        nan_count = int(np.isnan(a).sum())
    n_bad = int(np.asarray(bad).sum())
    where = _first_bad_index(bad)
    return (
        f"`{name}` must contain only finite numbers; got {n_bad} non-finite value(s) "
        f"({nan_count} NaN, {n_bad - nan_count} inf), the first at index {where}; "
        "remove or impute them before calling"
    )


def check_pmf(p, name: str = "p", *, axis: int = -1, atol: float | None = None, normalize: bool = False):
    """Validate a (batched) pmf along ``axis`` and return it as a float array.

    Checks: numeric, non-empty, finite, non-negative, sums to 1 within ``atol`` along ``axis``.
    With ``normalize=True`` the (non-negative, finite) input is divided by its sum instead (a new array).
    """
    a = as_float_array(p, name)
    if a.ndim == 0:
        raise InvalidDistributionError(
            f"`{name}` must be an array of probabilities with at least one dimension; got the scalar {float(a)!r}"
        )
    ax = check_axis(axis, a.ndim)
    xp = namespace(a)
    with np.errstate(invalid="ignore"):
        s = xp.sum(a, axis=ax)
        mn = xp.min(a, axis=None)
    if is_torch(a):  # checks look at values only: no autograd graph, no warning
        s, mn = s.detach(), mn.detach()
    if not (xp.all(xp.isfinite(s)) and math.isfinite(float(mn))):
        raise InvalidDistributionError(_nonfinite_message(name, a, xp))
    if float(mn) < 0:
        where = _first_bad_index(np.asarray((a < 0).cpu() if is_torch(a) else a < 0))
        raise InvalidDistributionError(
            f"`{name}` must be non-negative (it is a pmf); got {float(mn):.6g} at index {where}; "
            "if these are logits or log-probabilities pass them as `logits=` / `log_p=`"
        )
    if normalize:
        if xp.any(s == 0):
            raise InvalidDistributionError(
                f"`{name}` cannot be normalised along axis {axis}: some slices sum to 0 (all-zero counts)"
            )
        return a / (s.unsqueeze(ax) if is_torch(a) else np.expand_dims(s, ax))
    tol = default_atol(a) if atol is None else float(atol)
    if is_torch(a):
        s = s.detach()
    dev = xp.abs(s - 1.0)
    worst = float(xp.max(dev, axis=None))
    if worst > tol:
        if is_torch(s):
            s_np = s.detach().cpu().numpy()
        else:
            s_np = np.asarray(s)
        flat = np.abs(s_np - 1.0).ravel()
        got = float(s_np.ravel()[int(np.argmax(flat))])
        where = "" if a.ndim == 1 else f" (worst slice sums to {got:.6g}, {int((flat > tol).sum())} slice(s) off)"
        raise InvalidDistributionError(
            f"`{name}` must sum to 1 along axis {axis} (got {got:.6g}){where}; "
            "pass normalize=True to rescale, or build it with infokit.from_counts()"
        )
    return a


def check_joint(joint, name: str = "joint", *, min_ndim: int = 2, atol: float | None = None, normalize: bool = False):
    """Validate a joint probability table (N-d, one axis per variable) that sums to 1 over all entries."""
    a = as_float_array(joint, name)
    if a.ndim < min_ndim:
        raise InvalidDistributionError(
            f"`{name}` must be a joint table with at least {min_ndim} axes (one per variable); "
            f"got {_describe(a)}; for one variable use infokit.entropy(p)"
        )
    flat = a.reshape(-1)
    checked = check_pmf(flat, name, axis=-1, atol=atol, normalize=normalize)
    if normalize:
        return checked.reshape(a.shape)
    return a


def check_logits(logits, name: str = "logits"):
    """Validate logits / log-probabilities: numeric, non-empty, no NaN and no +inf (−inf allowed: masked)."""
    a = as_float_array(logits, name)
    if a.ndim == 0:
        raise InvalidDistributionError(f"`{name}` must have at least one dimension; got a scalar")
    xp = namespace(a)
    if xp.any(xp.isnan(a)) or xp.any(a == math.inf):
        raise InvalidDistributionError(
            f"`{name}` must not contain NaN or +inf (−inf marks a masked entry and is allowed); "
            f"got {int(np.asarray(to_np(xp.isnan(a))).sum())} NaN and {int(np.asarray(to_np(a == math.inf)).sum())} +inf"
        )
    return a


def to_np(x):
    return x.detach().cpu().numpy() if is_torch(x) else np.asarray(x)


def check_same_shape(a, b, name_a: str, name_b: str):
    """Raise ``ShapeMismatchError`` unless ``a`` and ``b`` have the same shape."""
    sa, sb = tuple(a.shape), tuple(b.shape)
    if sa != sb:
        raise ShapeMismatchError(
            f"`{name_a}` and `{name_b}` must have the same shape; got {sa} and {sb}; "
            "they must be distributions over the same outcomes in the same order"
        )


def check_alpha(alpha, name: str = "alpha") -> float:
    """An order parameter α ∈ [0, ∞] (inf allowed)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or math.isnan(float(alpha)):
        raise InvalidParameterError(f"`{name}` must be a real number >= 0 (math.inf allowed); got {alpha!r}")
    a = float(alpha)
    if a < 0:
        raise InvalidParameterError(f"`{name}` must be >= 0; got {alpha!r}")
    return a


def check_positive_int(value, name: str, *, minimum: int = 1) -> int:
    """An integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InvalidParameterError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    if value < minimum:
        raise InvalidParameterError(f"`{name}` must be an integer >= {minimum}; got {value}")
    return int(value)


def check_nonneg_float(value, name: str, *, strict: bool = False, allow_inf: bool = False) -> float:
    """A real number >= 0 (> 0 with ``strict``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"`{name}` must be a real number; got {value!r}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise InvalidParameterError(f"`{name}` must be a finite real number; got {value!r}")
    if v < 0 or (strict and v == 0):
        raise InvalidParameterError(f"`{name}` must be {'> 0' if strict else '>= 0'}; got {value!r}")
    return v


def check_probability(value, name: str) -> float:
    """A real number in [0, 1]."""
    v = check_nonneg_float(value, name)
    if v > 1:
        raise InvalidParameterError(f"`{name}` must be in [0, 1]; got {value!r}")
    return v


def check_choice(value, name: str, choices):
    """``value`` must be one of ``choices``."""
    if value not in choices:
        raise InvalidParameterError(
            f"`{name}` must be one of {{{', '.join(repr(c) for c in choices)}}}; got {value!r}"
        )
    return value
