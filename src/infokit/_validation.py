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


def check_logits(logits, name: str = "logits", *, axis: int | None = None):
    """Validate logits / log-probabilities: numeric, non-empty, no NaN and no +inf (−inf allowed: masked).

    With ``axis`` given, every slice along it must also keep at least one entry above −inf (an all −inf
    slice is a distribution with empty support: softmax of it is 0/0).
    """
    a = as_float_array(logits, name)
    if a.ndim == 0:
        raise InvalidDistributionError(f"`{name}` must have at least one dimension; got a scalar")
    xp = namespace(a)
    if xp.any(xp.isnan(a)) or xp.any(a == math.inf):
        raise InvalidDistributionError(
            f"`{name}` must not contain NaN or +inf (−inf marks a masked entry and is allowed); "
            f"got {int(np.asarray(to_np(xp.isnan(a))).sum())} NaN and {int(np.asarray(to_np(a == math.inf)).sum())} +inf"
        )
    if axis is not None:
        ax = check_axis(axis, a.ndim)
        masked = a == -math.inf
        empty = to_np(masked.all(dim=ax)) if is_torch(a) else np.all(masked, axis=ax)
        n_empty = int(np.asarray(empty).sum())
        if n_empty:
            raise InvalidDistributionError(
                f"`{name}` must keep at least one entry above -inf in every slice along axis {axis}; "
                f"got {n_empty} slice(s) that are all -inf, the first at index {_first_bad_index(np.atleast_1d(empty))}; "
                "an all -inf slice has no support — drop it or unmask one entry"
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


# =====================================================================================================
# Samples for the estimators (issue 3: infokit.estimate_*). Owned by the estimators API; keep edits
# to this section inside it. Everything below converts / checks *samples* (rows = observations).
# =====================================================================================================
import sys as _sys  # noqa: E402
import warnings as _warnings  # noqa: E402
from dataclasses import dataclass as _dataclass, field as _field  # noqa: E402

from .exceptions import InfokitWarning as _InfokitWarning, InvalidSampleError as _InvalidSampleError  # noqa: E402

__all__ += [
    "Sample",
    "as_sample",
    "resolve_discrete",
    "apply_nan_policy",
    "check_same_length",
    "check_enough_samples",
    "check_nan_policy",
    "check_random_state",
    "check_confidence_level",
    "warn_ties",
]

_MAX_LISTED = 5  # rows / columns named in an error message before "..."


def _listed(idx) -> str:
    idx = [int(i) for i in idx]
    s = ", ".join(str(i) for i in idx[:_MAX_LISTED])
    return s + (f", ... ({len(idx)} in all)" if len(idx) > _MAX_LISTED else "")


@_dataclass
class Sample:
    """A validated sample of one variable: ``n`` rows, one or more columns.

    ``columns`` holds 1-D numpy arrays (float64 / int / bool / object for strings), ``auto_discrete`` the
    dtype-based guess per column, ``integer_floats`` which float columns hold only integers, ``missing``
    the per-row mask of NaN / None entries (any column). ``tensor`` keeps a CUDA float tensor (2-D) for the
    torch kernels; ``columns`` is then empty until :meth:`to_numpy` is called.
    """

    name: str
    columns: list
    labels: list
    auto_discrete: list
    integer_floats: list
    n: int
    missing: np.ndarray | None = None
    missing_cols: list = _field(default_factory=list)
    tensor: object = None

    @property
    def d(self) -> int:
        return int(self.tensor.shape[1]) if self.tensor is not None else len(self.columns)

    def to_numpy(self) -> "Sample":
        """The same sample with a CUDA tensor moved to numpy columns."""
        if self.tensor is None:
            return self
        return as_sample(self.tensor.detach().cpu().numpy(), self.name)

    def take(self, rows) -> "Sample":
        """The sub-sample of the given rows (index array or boolean mask); a new object."""
        if self.tensor is not None:
            import torch

            idx = torch.as_tensor(np.flatnonzero(rows) if np.asarray(rows).dtype == bool else rows,
                                  device=self.tensor.device)
            t = self.tensor.index_select(0, idx)
            return Sample(self.name, [], self.labels, self.auto_discrete, self.integer_floats, int(t.shape[0]),
                          tensor=t)
        cols = [c[rows] for c in self.columns]
        n = len(cols[0]) if cols else 0
        return Sample(self.name, cols, self.labels, self.auto_discrete, self.integer_floats, n,
                      missing=None, missing_cols=[])


def _module_of(x) -> str:
    return type(x).__module__ or ""


def _is_pandas(x) -> bool:
    return "pandas" in _sys.modules and _module_of(x).startswith("pandas")


def _is_polars(x) -> bool:
    return "polars" in _sys.modules and _module_of(x).startswith("polars")


def _object_column(a: np.ndarray, name: str, label: str):
    """Resolve an object column: all real numbers -> numeric array; else symbols (strings, tuples...)."""
    present = ~_object_missing(a)
    vals = a[present]
    if vals.size and all(isinstance(v, (numbers.Real, np.bool_)) and not isinstance(v, str) for v in vals.tolist()):
        if all(isinstance(v, (bool, np.bool_, numbers.Integral)) for v in vals.tolist()):
            if present.all():
                return np.asarray(vals.tolist(), dtype=np.int64), True
            out = np.full(a.shape, np.nan)
            out[present] = np.asarray(vals.tolist(), dtype=np.float64)
            return out, True  # integers with holes: discrete, NaN marks the holes
        out = np.full(a.shape, np.nan)
        out[present] = np.asarray(vals.tolist(), dtype=np.float64)
        return out, False
    for v in vals[: min(vals.size, 1000)].tolist():
        try:
            hash(v)
        except TypeError:
            raise InvalidInputTypeError(
                f"`{name}` column {label} holds unhashable objects (e.g. {type(v).__name__}); "
                "expected numbers, strings or other hashable symbols; convert each entry to a tuple or a string"
            ) from None
    return a, True


def _object_missing(a: np.ndarray) -> np.ndarray:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        ne_self = np.asarray(a != a, dtype=bool) if a.dtype.kind == "O" else np.zeros(a.shape, bool)
    return ne_self | np.equal(a, None)


def _pandas_columns(x, name):
    import pandas as pd  # the caller passed a pandas object, so pandas is imported

    frame = x.to_frame() if isinstance(x, pd.Series) else x
    cols, labels, disc = [], [], []
    for label in frame.columns:
        s = frame[label]
        dt = s.dtype
        if isinstance(dt, pd.CategoricalDtype):
            codes = s.cat.codes.to_numpy()
            col = codes.astype(np.float64)
            col[codes < 0] = np.nan
            cols.append(col)
            disc.append(True)
        elif pd.api.types.is_bool_dtype(dt) or pd.api.types.is_integer_dtype(dt):
            if s.isna().any():
                cols.append(s.to_numpy(dtype=np.float64, na_value=np.nan))
            else:
                cols.append(s.to_numpy(dtype=np.int64 if not pd.api.types.is_bool_dtype(dt) else bool))
            disc.append(True)
        elif pd.api.types.is_float_dtype(dt):
            cols.append(s.to_numpy(dtype=np.float64, na_value=np.nan))
            disc.append(False)
        else:  # strings, objects, mixed
            a = s.to_numpy(dtype=object)
            a = np.where(pd.isna(a), None, a) if a.size else a
            col, is_disc = _object_column(a, name, repr(label))
            cols.append(col)
            disc.append(is_disc)
        labels.append(repr(label))
    return cols, labels, disc


def _polars_columns(x, name):
    series = list(x.get_columns()) if hasattr(x, "get_columns") else [x]
    cols, labels, disc = [], [], []
    for s in series:
        dt = str(s.dtype)
        a = s.to_numpy()
        if dt.startswith(("Int", "UInt", "Boolean")):
            if s.null_count():
                a = s.cast(__import__("polars").Float64).to_numpy()
            cols.append(a)
            disc.append(True)
        elif dt.startswith("Float"):
            cols.append(a.astype(np.float64, copy=False))
            disc.append(False)
        else:  # String, Categorical, Enum, Object
            a = np.asarray(a, dtype=object)
            col, is_disc = _object_column(a, name, repr(s.name))
            cols.append(col)
            disc.append(is_disc)
        labels.append(repr(s.name))
    return cols, labels, disc


def as_sample(x, name: str) -> Sample:
    """Convert one variable's sample to a :class:`Sample` without modifying it.

    Accepts 1-D ``(n,)`` or 2-D ``(n, d)`` numpy arrays and lists, pandas / polars Series and DataFrames
    (recognised without importing either library), and torch tensors (CUDA float tensors are kept on the
    device for the torch kernels; CPU tensors are read through numpy).
    """
    if x is None:
        raise InvalidInputTypeError(f"`{name}` is required; got None")
    if is_torch(x):
        if x.ndim not in (1, 2):
            raise _InvalidSampleError(
                f"`{name}` must be 1-D (n,) or 2-D (n, d) with one row per sample; got a tensor of shape "
                f"{tuple(x.shape)}; reshape it to (n, -1)"
            )
        if x.is_cuda and x.is_floating_point():
            t = x.reshape(x.shape[0], -1) if x.ndim == 2 else x.reshape(-1, 1)
            if t.shape[0] == 0 or t.shape[1] == 0:
                raise _InvalidSampleError(f"`{name}` must not be empty; got a tensor of shape {tuple(x.shape)}")
            return Sample(name, [], [str(j) for j in range(t.shape[1])], [False] * t.shape[1],
                          [False] * t.shape[1], int(t.shape[0]), tensor=t)
        x = x.detach().cpu().numpy()
    if _is_pandas(x) and hasattr(x, "columns") or _is_pandas(x) and hasattr(x, "to_frame"):
        cols, labels, disc = _pandas_columns(x, name)
    elif _is_polars(x):
        cols, labels, disc = _polars_columns(x, name)
    else:
        if isinstance(x, (str, bytes)):
            raise InvalidInputTypeError(f"`{name}` must be an array of samples; got the string {x!r}")
        try:
            a = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise InvalidInputTypeError(
                f"`{name}` must be a rectangular array of samples; could not convert it ({exc}); "
                "pass an (n,) or (n, d) array"
            ) from exc
        if a.ndim == 0:
            raise _InvalidSampleError(
                f"`{name}` must be 1-D (n,) or 2-D (n, d) with one row per sample; got the scalar {a.item()!r}"
            )
        if a.ndim > 2:
            raise _InvalidSampleError(
                f"`{name}` must be 1-D (n,) or 2-D (n, d) with one row per sample; got shape {a.shape}; "
                "flatten the feature axes with x.reshape(len(x), -1)"
            )
        if a.dtype.kind == "c":
            raise InvalidInputTypeError(f"`{name}` must be real-valued; got complex dtype {a.dtype}")
        if a.dtype.kind in "mMV":
            raise InvalidInputTypeError(
                f"`{name}` has dtype {a.dtype}, which infokit does not interpret; convert it to numbers "
                "(e.g. x.astype('int64')) or to strings for categories"
            )
        a2 = a.reshape(-1, 1) if a.ndim == 1 else a
        cols, labels, disc = [], [], []
        for j in range(a2.shape[1]):
            c = a2[:, j]
            if c.dtype.kind == "O":
                c, dj = _object_column(c, name, str(j))
            elif c.dtype.kind in "US":
                dj = True
            elif c.dtype.kind == "f":
                c = c.astype(np.float64, copy=False)
                dj = False
            else:  # b, i, u
                dj = True
            cols.append(c)
            labels.append(str(j))
            disc.append(dj)
    if not cols:
        raise _InvalidSampleError(f"`{name}` must have at least one column; got 0 columns")
    n = len(cols[0])
    if n == 0:
        raise _InvalidSampleError(f"`{name}` must not be empty; got 0 rows")
    missing = None  # allocated only when a column has a missing value
    missing_cols, integer_floats = [], []
    for j, c in enumerate(cols):
        if c.dtype.kind == "f":
            nan = np.isnan(c)
            inf = np.isinf(c)
            if inf.any():
                rows = np.flatnonzero(inf)
                raise _InvalidSampleError(
                    f"`{name}` contains {rows.size} infinite value(s) in column {labels[j]} (rows {_listed(rows)}); "
                    "infinity is not a sample value — remove or clip those rows"
                )
            finite = c[~nan]
            integer_floats.append(bool(finite.size) and bool(np.all(finite == np.round(finite))))
        elif c.dtype.kind == "O":
            nan = _object_missing(c)
            integer_floats.append(False)
        else:
            nan = None
            integer_floats.append(False)
        if nan is not None and nan.any():
            missing = nan.copy() if missing is None else (missing | nan)
            missing_cols.append(labels[j])
    return Sample(name, cols, labels, disc, integer_floats, n, missing=missing, missing_cols=missing_cols)


def resolve_discrete(sample: Sample, spec, name: str = "discrete") -> np.ndarray:
    """Per-column discrete mask from ``discrete=`` (True / False / "auto" / one entry per column)."""
    d = sample.d
    if isinstance(spec, (bool, np.bool_)) or (isinstance(spec, str) and spec == "auto"):
        specs = [spec] * d
    elif isinstance(spec, str):
        raise InvalidParameterError(f"`{name}` must be True, False, 'auto' or a per-column list; got {spec!r}")
    else:
        try:
            specs = list(spec)
        except TypeError:
            raise InvalidParameterError(
                f"`{name}` must be True, False, 'auto' or a per-column list; got {spec!r}"
            ) from None
        if len(specs) != d:
            raise InvalidParameterError(
                f"`{name}` for `{sample.name}` must have one entry per column ({d}); got {len(specs)} entries"
            )
    mask = np.zeros(d, dtype=bool)
    for j, s in enumerate(specs):
        if isinstance(s, str) and s == "auto":
            mask[j] = sample.auto_discrete[j]
        elif isinstance(s, (bool, np.bool_)):
            mask[j] = bool(s)
            if not s and sample.tensor is None and sample.columns[j].dtype.kind in "OUS":
                raise InvalidInputTypeError(
                    f"`{sample.name}` column {sample.labels[j]} holds non-numeric symbols "
                    f"(dtype {sample.columns[j].dtype}) and cannot be continuous; pass {name}=True for it"
                )
        else:
            raise InvalidParameterError(
                f"`{name}` entries must be True, False or 'auto'; got {s!r} for `{sample.name}` column {j}"
            )
    return mask


def warn_ties(sample: Sample, discrete_mask, *, explicit: bool, stacklevel: int = 4) -> None:
    """Warn when integer-valued columns are treated as continuous (ties break kNN estimators)."""
    if sample.tensor is not None:
        return
    def varies(c):  # a constant column is dropped by the estimators: no ties to warn about
        return c.size > 1 and bool(np.nanmax(c) != np.nanmin(c))

    ints = [sample.labels[j] for j, c in enumerate(sample.columns)
            if not discrete_mask[j] and c.dtype.kind in "biu" and varies(c)]
    floats = [sample.labels[j] for j, c in enumerate(sample.columns)
              if not discrete_mask[j] and c.dtype.kind == "f" and sample.integer_floats[j] and varies(c)]
    cols = ints + floats
    if not cols:
        return
    why = " and ".join(w for w in (("it holds an integer dtype" if ints else ""),
                                   ("it is a float column holding only integers" if floats else "")) if w)
    _warnings.warn(
        f"`{sample.name}` column(s) {', '.join(cols)} treated as continuous although {why}: repeated values "
        "(ties) bias kNN and kernel estimators (distances of zero). If the values are categories or counts, "
        "pass discrete=True; if they are a rounded continuous quantity, the estimate is of the rounded data",
        _InfokitWarning,
        stacklevel=stacklevel,
    )


def check_same_length(samples) -> int:
    """All samples must have the same number of rows; return it."""
    ns = [s.n for s in samples]
    if len(set(ns)) > 1:
        names = " and ".join(f"`{s.name}`" for s in samples)
        raise ShapeMismatchError(
            f"{names} must have the same number of rows (one row per joint observation); got "
            f"{', '.join(str(n) for n in ns)} rows; pass paired samples of equal length"
        )
    return ns[0]


def apply_nan_policy(samples, nan_policy: str):
    """Handle missing values jointly: raise (naming how many and where) or drop incomplete rows.

    Returns ``(samples, n_dropped)``; with "omit" every sample keeps the rows complete in *all* of them,
    so NaN is never counted as a symbol.
    """
    bad = None
    for s in samples:
        if s.tensor is not None:
            import torch

            m = torch.isnan(s.tensor).any(dim=1)
            if bool(m.any()):
                m = m.cpu().numpy()
                bad = m if bad is None else bad | m
                s.missing_cols = s.missing_cols or ["(tensor)"]
        elif s.missing is not None:
            bad = s.missing if bad is None else bad | s.missing
    if bad is None or not bad.any():
        return list(samples), 0
    if nan_policy == "raise":
        where = "; ".join(
            f"`{s.name}` column(s) {', '.join(s.missing_cols)}" for s in samples if s.missing_cols
        )
        rows = np.flatnonzero(bad)
        raise _InvalidSampleError(
            f"the samples contain missing values (NaN/None) in {rows.size} row(s) (rows {_listed(rows)}) — in "
            f"{where}; pass nan_policy='omit' to drop incomplete rows jointly, or impute them first"
        )
    keep = ~bad
    if not keep.any():
        raise _InvalidSampleError("every row has a missing value (NaN/None); nothing is left after nan_policy='omit'")
    return [s.take(keep) for s in samples], int(bad.sum())


def check_enough_samples(n: int, *, k: int | None = None, minimum: int = 2, what: str = "this estimator") -> None:
    """At least ``minimum`` rows, and more rows than neighbours ``k`` for kNN methods."""
    if n < minimum:
        raise _InvalidSampleError(f"{what} needs at least {minimum} samples; got n={n} (after removing missing rows)")
    if k is not None and n <= k:
        raise _InvalidSampleError(
            f"`k`={k} neighbours needs more samples than k; got n={n} (after removing missing rows); "
            f"lower k (k < n) or pass more data"
        )


def check_nan_policy(nan_policy, name: str = "nan_policy") -> str:
    """'raise' or 'omit'."""
    return check_choice(nan_policy, name, ("raise", "omit"))


def check_random_state(random_state, name: str = "random_state") -> np.random.Generator:
    """A numpy Generator from None / an int seed / a SeedSequence / a Generator (returned as is)."""
    if random_state is None:
        return np.random.default_rng()
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        if random_state < 0:
            raise InvalidParameterError(f"`{name}` must be a non-negative integer seed; got {random_state}")
        return np.random.default_rng(int(random_state))
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**63 - 1, dtype=np.int64))
    raise InvalidParameterError(
        f"`{name}` must be None, an integer seed or a numpy Generator; got {random_state!r}"
    )


def check_confidence_level(value, name: str = "confidence_level") -> float:
    """A level strictly between 0 and 1 (``True`` means 0.95)."""
    if value is True:
        return 0.95
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 < float(value) < 1:
        raise InvalidParameterError(
            f"`{name}` must be a confidence level strictly between 0 and 1 (e.g. 0.95); got {value!r}"
        )
    return float(value)


# ==================================================================================== end of Samples section
