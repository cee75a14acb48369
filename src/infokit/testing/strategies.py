"""Hypothesis strategies for property tests of information measures (needs ``hypothesis``).

Every generated pmf is float64, finite, non-negative and sums to 1 along its last axis to within a few ulps
(far inside the validators' 1e-6), with at least one positive entry per slice.

Examples
--------
>>> from hypothesis import given
>>> import infokit
>>> from infokit.testing.strategies import pmfs
>>> @given(pmfs(max_size=5))
... def test_entropy_is_non_negative(p):
...     assert infokit.entropy(p) >= 0
>>> test_entropy_is_non_negative()
"""

from __future__ import annotations

import numpy as np

try:
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as exc:  # pragma: no cover - exercised only without hypothesis
    raise ImportError(
        "infokit.testing.strategies needs hypothesis; install it with `pip install hypothesis` "
        "(or the `test` extra: `pip install infokit[test]`)"
    ) from exc

from .._validation import check_nonneg_float, check_positive_int
from ..exceptions import InvalidParameterError

__all__ = ["pmfs", "pmf_pairs", "joint_pmfs", "logits", "channels"]


def _size_range(min_size, max_size, what="size"):
    lo = check_positive_int(min_size, f"min_{what}")
    hi = check_positive_int(max_size, f"max_{what}")
    if hi < lo:
        raise InvalidParameterError(f"`max_{what}` must be >= `min_{what}`; got min_{what}={lo}, max_{what}={hi}")
    return lo, hi


def _weights(shape, allow_zeros, min_positive):
    positive = st.floats(min_value=min_positive, max_value=1.0, allow_nan=False, allow_infinity=False)
    # zeros in about a third of the entries: supports of every size get exercised, full ones most often
    elements = st.one_of(st.just(0.0), positive, positive) if allow_zeros else positive
    return hnp.arrays(np.float64, shape, elements=elements)


def _normalise_rows(w: np.ndarray) -> np.ndarray:
    w = np.array(w, dtype=np.float64)  # own copy
    empty = w.sum(axis=-1) == 0
    if np.any(empty):  # every slice keeps at least one outcome: put the mass of an all-zero slice on outcome 0
        w[empty, 0] = 1.0
    return w / w.sum(axis=-1, keepdims=True)


def _shape(draw, batch_shape):
    if isinstance(batch_shape, st.SearchStrategy):
        batch_shape = draw(batch_shape)
    return tuple(int(s) for s in batch_shape)


@st.composite
def pmfs(draw, min_size=1, max_size=8, *, batch_shape=(), allow_zeros=True, min_positive=1e-3):
    """pmfs with ``min_size..max_size`` outcomes along the last axis, batched over ``batch_shape``.

    Parameters
    ----------
    min_size, max_size : int
        Range of the number of outcomes (drawn once; every pmf of a batch has the same size).
    batch_shape : tuple of int or a strategy of tuples
        Leading (batch) axes.
    allow_zeros : bool
        Allow exact zeros (outcomes outside the support).
    min_positive : float
        Smallest non-zero weight before normalisation, relative to the largest possible weight 1; keeps the
        generated probabilities away from subnormal numbers (the smallest probability is at least
        ``min_positive / max_size``).
    """
    lo, hi = _size_range(min_size, max_size)
    check_nonneg_float(min_positive, "min_positive", strict=True)
    n = draw(st.integers(lo, hi))
    shape = _shape(draw, batch_shape) + (n,)
    return _normalise_rows(draw(_weights(shape, allow_zeros, min_positive)))


@st.composite
def pmf_pairs(draw, min_size=1, max_size=8, *, batch_shape=(), allow_zeros=True, min_positive=1e-3,
              q_allow_zeros=None):
    """Two pmfs ``(p, q)`` of the same shape (for divergences). ``q_allow_zeros`` defaults to ``allow_zeros``."""
    lo, hi = _size_range(min_size, max_size)
    n = draw(st.integers(lo, hi))
    shape = _shape(draw, batch_shape)
    p = draw(pmfs(n, n, batch_shape=shape, allow_zeros=allow_zeros, min_positive=min_positive))
    qz = allow_zeros if q_allow_zeros is None else q_allow_zeros
    q = draw(pmfs(n, n, batch_shape=shape, allow_zeros=qz, min_positive=min_positive))
    return p, q


@st.composite
def joint_pmfs(draw, shape=None, *, min_axes=2, max_axes=3, min_size=2, max_size=3, allow_zeros=True,
               min_positive=1e-3):
    """Joint pmf tables (one axis per variable) summing to 1 over all entries.

    Parameters
    ----------
    shape : tuple of int, optional
        Exact shape. Otherwise the number of axes is drawn in ``min_axes..max_axes`` and each axis size in
        ``min_size..max_size``.
    """
    if shape is None:
        n_axes = draw(st.integers(*_size_range(min_axes, max_axes, "axes")))
        lo, hi = _size_range(min_size, max_size)
        shape = tuple(draw(st.integers(lo, hi)) for _ in range(n_axes))
    shape = tuple(check_positive_int(s, "shape entry") for s in shape)
    flat = draw(pmfs(int(np.prod(shape)), int(np.prod(shape)), allow_zeros=allow_zeros, min_positive=min_positive))
    return flat.reshape(shape)


@st.composite
def logits(draw, min_size=1, max_size=8, *, batch_shape=(), scale=10.0, allow_neg_inf=False):
    """Finite logits in ``[-scale, scale]`` (softmax gives a full-support pmf).

    With ``allow_neg_inf=True`` some entries are ``-inf`` (masked outcomes), but never a whole slice.
    """
    lo, hi = _size_range(min_size, max_size)
    scale = check_nonneg_float(scale, "scale", strict=True)
    n = draw(st.integers(lo, hi))
    shape = _shape(draw, batch_shape) + (n,)
    finite = st.floats(min_value=-scale, max_value=scale, allow_nan=False, allow_infinity=False)
    elements = st.one_of(st.just(-np.inf), finite) if allow_neg_inf else finite
    a = np.array(draw(hnp.arrays(np.float64, shape, elements=elements)))
    masked = np.all(np.isneginf(a), axis=-1)
    if np.any(masked):  # keep at least one finite entry per slice
        a[masked, 0] = 0.0
    return a


@st.composite
def channels(draw, n_in=None, n_out=None, *, max_size=4, allow_zeros=True, min_positive=1e-3):
    """Row-stochastic matrices P(y | x) of shape ``(n_in, n_out)``; sizes drawn in ``1..max_size`` if not given."""
    hi = check_positive_int(max_size, "max_size")
    n_in = draw(st.integers(1, hi)) if n_in is None else check_positive_int(n_in, "n_in")
    n_out = draw(st.integers(1, hi)) if n_out is None else check_positive_int(n_out, "n_out")
    return draw(pmfs(n_out, n_out, batch_shape=(n_in,), allow_zeros=allow_zeros, min_positive=min_positive))
