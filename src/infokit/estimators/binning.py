"""Binning estimators of entropy and mutual information, and the adaptive KDE of the same paper.

Paper 12 of the reading list, Chelombiev, Houghton & O'Donnell (2019) [1]_: information-plane coordinates
I(X;T) and I(T;Y) of a hidden layer T from its activations, with two *adaptive* estimators:

* **EBAB** (entropy-based adaptive binning): bin edges at quantiles of the layer's *unique* activation
  values, so that every bin holds the same number of distinct observed levels — close to maximum-entropy
  binning for any activation function, bounded or not (:func:`ebab_codes`);
* **aKDE** (adaptive kernel density estimate): the Kolchinsky–Tracey pairwise-distance bounds [2]_ on the
  entropy of the noisy layer T + ε, with the noise variance scaled to the layer's activation range
  (:func:`kde_entropy_bounds`, :func:`adaptive_kde_mi`);

plus the two classical schemes they are compared with, fixed-width binning (Shwartz-Ziv & Tishby 2017 [3]_)
and equal-mass (equal-frequency) binning.

Layout (DESIGN.md): the functions named in the estimator kernel contract — :func:`fixed_width_codes`,
:func:`equal_mass_codes`, :func:`ebab_codes`, :func:`binned_entropy`, :func:`binned_mi`,
:func:`kde_entropy_bounds`, :func:`adaptive_kde_mi` — are **kernels**: they take already validated float64
``(n, d)`` arrays (and int64 codes), never validate, never mutate, and return nats. The ``estimate_*``
functions are the validated public face: they accept numpy arrays, lists, pandas columns or torch tensors,
check them, call a kernel and convert to ``base`` once.

Codes: every scheme maps each column of ``x`` to a bin index and combines the ``d`` columns into one joint
symbol; the returned ``(codes, K)`` are *dense* — ``codes`` is int64 in ``[0, K)`` and ``K`` is the number of
distinct joint symbols observed (not the size of the product alphabet, which overflows int64 for wide
layers).

References
----------
.. [1] Chelombiev, I., Houghton, C., & O'Donnell, C. (2019). Adaptive Estimators Show Information
   Compression in Deep Neural Networks. ICLR 2019. arXiv:1902.09037
.. [2] Kolchinsky, A., & Tracey, B. D. (2017). Estimating Mixture Entropy with Pairwise Distances.
   Entropy 19(7), 361. doi:10.3390/e19070361
.. [3] Shwartz-Ziv, R., & Tishby, N. (2017). Opening the Black Box of Deep Neural Networks via Information.
   arXiv:1703.00810
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .._backend import is_torch, to_numpy
from .._units import check_base, to_base, unit_name
from .._validation import as_float_array, check_choice, check_nonneg_float, check_positive_int
from ..exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError
from .discrete import combine_codes, entropy_discrete

__all__ = [
    # kernels (kernel contract; no validation, nats)
    "fixed_width_codes",
    "equal_mass_codes",
    "ebab_codes",
    "binned_entropy",
    "binned_mi",
    "kde_entropy_bounds",
    "adaptive_kde_mi",
    # public, validated
    "estimate_binned_entropy",
    "estimate_binned_mutual_information",
    "estimate_kde_entropy_bounds",
    "estimate_layer_information",
    "KDEEntropyBounds",
    "LayerInformation",
    "SCHEMES",
    "LAYER_METHODS",
]

#: Binning schemes understood by :func:`binned_entropy` / :func:`binned_mi`.
SCHEMES = ("ebab", "fixed_width", "equal_mass")
#: Methods of :func:`estimate_layer_information`.
LAYER_METHODS = ("ebab", "fixed_width", "equal_mass", "kde_upper", "kde_lower")
#: How the aKDE noise variance is set: relative to the squared largest |activation|, or absolute.
KDE_SCALES = ("layer_max", "absolute")
#: Default relative noise variance of the aKDE (``scale="layer_max"``): σ² = 0.1 · max|t|².
DEFAULT_RELATIVE_NOISE_VAR = 0.1

_KDE_BLOCK_ELEMENTS = 2**22  # rows × n entries of one block of the pairwise matrix (32 MiB of float64)


# ================================================================================== codes (shared helpers)
def _dense(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Relabel integer codes to ``0..K-1`` in sorted order of the old labels; return ``(codes, K)``."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64, copy=False), int(uniq.size)


def _combine_columns(columns: np.ndarray, sizes) -> tuple[np.ndarray, int]:
    """Combine the columns of an ``(n, d)`` int64 code matrix (column j in ``[0, sizes[j])``) into one dense
    joint symbol, with the shared overflow-safe mixed-radix coder of :mod:`infokit.estimators.discrete`."""
    n, d = columns.shape
    if d == 0:
        return np.zeros(n, dtype=np.int64), 1
    codes, k = combine_codes([columns[:, j] for j in np.arange(d)], [int(s) for s in sizes], dense=True)
    return np.asarray(codes, dtype=np.int64), int(k)


def _entropy_of_codes(codes: np.ndarray, K: int) -> float:
    """Plug-in entropy of codes in ``[0, K)``, in nats: log n − (1/n) Σ_k c_k log c_k (shared kernel)."""
    return float(entropy_discrete(codes, K, method="plugin"))


def _mi_of_codes(a: np.ndarray, ka: int, b: np.ndarray, kb: int) -> float:
    """Plug-in I(A;B) = H(A) + H(B) − H(A,B) of two code arrays, in nats."""
    joint, kj = combine_codes([a, b], [int(ka), int(kb)], dense=True)  # overflow-safe joint symbol
    value = _entropy_of_codes(a, ka) + _entropy_of_codes(b, kb) - _entropy_of_codes(joint, kj)
    return max(value, 0.0)  # plug-in MI is >= 0 exactly; this only removes a round-off of order 1e-16


# ==================================================================================== per-column binning
def _fixed_width_column_codes(col: np.ndarray, n_bins: int, lo: float, hi: float) -> np.ndarray:
    if not hi > lo:  # a constant column (or a degenerate range): one bin
        return np.zeros(col.shape, dtype=np.int64)
    idx = np.floor((col - lo) * (n_bins / (hi - lo)))
    # values at hi fall in the last (closed) bin; values outside an explicit range go to the end bins
    return np.clip(idx, 0, n_bins - 1).astype(np.int64)


def fixed_width_codes(x: np.ndarray, n_bins: int, *, range=None, per_layer: bool = True):
    """Fixed-width binning of every column, combined into one joint symbol (kernel; no validation).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Samples (rows) of a d-dimensional variable, e.g. the activations of a layer of d units.
    n_bins : int
        Number of equal-width bins per column.
    range : (float, float), optional
        Binning interval ``(lo, hi)`` for every column. Default: ``[min(x), max(x)]`` over the whole array
        (``per_layer=True``, the convention of [3]_ — one grid for the layer) or per column.
        Values outside an explicit range are put in the end bins.
    per_layer : bool, default True
        With ``range=None``: one grid for all columns (True) or one per column (False).

    Returns
    -------
    codes : ndarray of int64, shape (n,)
        Dense joint symbol of each row.
    K : int
        Number of distinct joint symbols.

    Notes
    -----
    Column value v goes to bin ``min(floor((v − lo) / (hi − lo) · B), B − 1)``, i.e. the bins are
    ``[lo + kw, lo + (k+1)w)`` with ``w = (hi − lo)/B`` and the last one closed. Fixed-width binning is *not*
    invariant under a strictly increasing transform of the activations (EBAB is).
    """
    n, d = x.shape
    cols = np.empty((n, d), dtype=np.int64)
    if range is not None:
        lo, hi = float(range[0]), float(range[1])
        for j in np.arange(d):
            cols[:, j] = _fixed_width_column_codes(x[:, j], n_bins, lo, hi)
    elif per_layer:
        lo, hi = float(np.min(x)), float(np.max(x))
        for j in np.arange(d):
            cols[:, j] = _fixed_width_column_codes(x[:, j], n_bins, lo, hi)
    else:
        for j in np.arange(d):
            c = x[:, j]
            cols[:, j] = _fixed_width_column_codes(c, n_bins, float(np.min(c)), float(np.max(c)))
    return _combine_columns(cols, [n_bins] * d)


def equal_mass_codes(x: np.ndarray, n_bins: int):
    """Equal-mass (equal-frequency) binning of every column, combined into one joint symbol (kernel).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Samples.
    n_bins : int
        Number of bins per column; each holds ≈ n / n_bins samples (ties are never split).

    Returns
    -------
    codes : ndarray of int64, shape (n,)
    K : int

    Notes
    -----
    The inner edges of column j are the empirical quantiles ``q_k = F̂_j^{-1}(k/B)``, k = 1..B−1, with the
    inverted-CDF definition (each edge is an observed value), and v goes to bin ``#{k : q_k < v}`` — bins
    ``(q_k, q_{k+1}]``. Because the edges are order statistics, the codes are exactly invariant under any
    strictly increasing transform of a column.
    """
    n, d = x.shape
    probs = np.arange(1, n_bins) / n_bins
    cols = np.empty((n, d), dtype=np.int64)
    if n_bins > 1:
        edges = np.quantile(x, probs, axis=0, method="inverted_cdf")  # (B-1, d)
        for j in np.arange(d):
            cols[:, j] = np.searchsorted(edges[:, j], x[:, j], side="left")
    else:
        cols[:] = 0
    return _combine_columns(cols, [n_bins] * d)


def _ebab_left_edges(values: np.ndarray, n_bins: int, low) -> np.ndarray:
    """Left edges of the EBAB bins: quantiles of the sorted *unique* values (those above ``low``)."""
    uniq = np.unique(values)  # sorted
    if low is not None:
        uniq = uniq[uniq > low]
    m = uniq.size
    if m == 0:
        return uniq
    # EBAB rule of [1] (its reference code's `set_up_bins`): edge k is the unique value of rank floor(k·U/B),
    # k = 0..B−1, so every bin holds U/B distinct observed levels. Integer arithmetic avoids float rounding.
    ranks = (np.arange(n_bins, dtype=np.int64) * m) // n_bins
    return np.unique(uniq[ranks])


def _ebab_column_codes(col: np.ndarray, left_edges: np.ndarray, low) -> np.ndarray:
    if low is None:
        if left_edges.size == 0:
            return np.zeros(col.shape, dtype=np.int64)
        # every value is >= left_edges[0] (the smallest observed value) when the edges come from this data;
        # values below it (edges from other data) are clipped into bin 0
        return np.maximum(np.searchsorted(left_edges, col, side="right") - 1, 0).astype(np.int64)
    # Deviation from the reference code of [1]: `np.digitize(t, bins) - 1` sends values below `low` to index
    # −1, i.e. wraps them into the top bin (e.g. negative leaky-ReLU outputs with low = 0); we clip them into
    # bin 0 together with the values at `low`, because wrapping merges the most negative and the most positive
    # activations into one symbol.
    codes = np.searchsorted(left_edges, col, side="right")  # values > low are >= left_edges[0]: code >= 1
    codes[col <= low] = 0
    return codes.astype(np.int64, copy=False)


def ebab_codes(x: np.ndarray, n_bins: int = 30, *, low=None, per_layer: bool = True):
    """Entropy-based adaptive binning (EBAB) of every column, combined into one joint symbol (kernel).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Activations of a layer (rows = inputs, columns = units).
    n_bins : int, default 30
        Number of adaptive bins (the default of [1]).
    low : float, optional
        Lower end of the activation's range (0 for ReLU/softplus, −1 for tanh). Values at or below ``low``
        (dead or saturated units) get a bin of their own, bin 0, and the adaptive edges are computed from the
        values above it. ``None`` (default): no separate bin.
    per_layer : bool, default True
        One set of edges for the whole layer, from the unique values of all its units ([1]'s setting), or one
        per column.

    Returns
    -------
    codes : ndarray of int64, shape (n,)
    K : int

    Notes
    -----
    With ``u_(0) < … < u_(U−1)`` the distinct observed values (above ``low``), the left bin edges are

    .. math::

        e_k = u_{(\\lfloor k U / B \\rfloor)}, \\qquad k = 0, \\dots, B-1,

    and a value v falls in the bin of the largest ``e_k <= v``, so every bin holds ``U/B`` distinct levels:
    the binning adapts to the distribution of activity, whatever its scale ([1]_, entropy-based adaptive
    binning). Two exact consequences, both tested: when ``U <= B`` every distinct value has its own bin
    (lossless), and the codes are invariant under any strictly increasing map applied to every activation
    (and to ``low``).
    """
    # Deviation from the reference code of [1]: its last edge is ``u_max`` itself, which with
    # ``np.digitize`` gives the maximum its own extra bin (B + 1 bins); here the top bin is
    # ``[e_{B-1}, ∞)`` (exactly B bins), which keeps the lossless regime (U <= B) and the invariance.
    n, d = x.shape
    cols = np.empty((n, d), dtype=np.int64)
    extra = 0 if low is None else 1
    if per_layer:
        edges = _ebab_left_edges(x.reshape(-1), n_bins, low)
        for j in np.arange(d):
            cols[:, j] = _ebab_column_codes(x[:, j], edges, low)
        sizes = [max(edges.size, 1) + extra] * d
    else:
        sizes = []
        for j in np.arange(d):
            edges = _ebab_left_edges(x[:, j], n_bins, low)
            cols[:, j] = _ebab_column_codes(x[:, j], edges, low)
            sizes.append(max(edges.size, 1) + extra)
    return _combine_columns(cols, sizes)


def _codes_for_scheme(x: np.ndarray, scheme: str, n_bins: int, *, low=None, range=None, per_layer=True):
    if scheme == "ebab":
        return ebab_codes(x, n_bins, low=low, per_layer=per_layer)
    if scheme == "fixed_width":
        return fixed_width_codes(x, n_bins, range=range, per_layer=per_layer)
    if scheme == "equal_mass":
        return equal_mass_codes(x, n_bins)
    raise InvalidParameterError(f"`scheme` must be one of {SCHEMES}; got {scheme!r}")


def binned_entropy(x: np.ndarray, scheme: str = "ebab", n_bins: int = 30, *, low=None, range=None,
                   per_layer: bool = True) -> float:
    """Plug-in entropy of the binned joint symbol of ``x``, in nats (kernel; no validation).

    ``H(T_B) = −Σ_t p̂(t) log p̂(t)`` over the joint bins t of the rows of ``x``. With ``scheme="ebab"`` and
    distinct, equiprobable inputs this is [1]_'s I(X;T) of a deterministic layer.
    See :func:`ebab_codes`, :func:`fixed_width_codes`, :func:`equal_mass_codes` for the parameters.
    """
    codes, K = _codes_for_scheme(x, scheme, n_bins, low=low, range=range, per_layer=per_layer)
    return _entropy_of_codes(codes, K)


def binned_mi(x: np.ndarray, y: np.ndarray, scheme: str = "ebab", n_bins: int = 30, *, y_discrete: bool = True,
              y_size: int | None = None, low=None, range=None, per_layer: bool = True) -> float:
    """Plug-in I(T_B; Y) between the binned rows of ``x`` and ``y``, in nats (kernel; no validation).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Continuous samples (a layer's activations), binned with ``scheme``.
    y : ndarray
        With ``y_discrete=True`` (default): int64 codes of shape (n,) in ``[0, y_size)`` — a class label, or
        the index of the input pattern (then the result is I(X;T)). With ``y_discrete=False``: float64
        ``(n, d')`` samples, binned with the same scheme.
    y_size : int, optional
        Alphabet size of the codes ``y`` (default ``max(y) + 1``).

    Notes
    -----
    .. math::

        \\hat I(T_B; Y) = \\hat H(T_B) + \\hat H(Y) - \\hat H(T_B, Y)

    with plug-in entropies of the joint bins ([1]_; [3]_). The kernel never guesses whether ``y`` is
    discrete: the caller says so.
    """
    tc, tk = _codes_for_scheme(x, scheme, n_bins, low=low, range=range, per_layer=per_layer)
    if y_discrete:
        yc = y
        yk = int(y_size) if y_size is not None else (int(y.max()) + 1 if y.size else 1)
    else:
        yc, yk = _codes_for_scheme(y, scheme, n_bins, low=low, range=range, per_layer=per_layer)
    return _mi_of_codes(tc, tk, yc, yk)


# ========================================================================================== adaptive KDE
class KDEEntropyBounds(NamedTuple):
    """Kolchinsky–Tracey bounds on the entropy of a Gaussian mixture (``upper >= lower``)."""

    upper: float
    lower: float


def _log_mean_kernel(t: np.ndarray, var: float) -> np.ndarray:
    """Row-wise ``log (1/n) Σ_j exp(−‖t_i − t_j‖² / (2 var))``, in row blocks (O(block · n) memory)."""
    n = t.shape[0]
    tc = t - t.mean(axis=0)  # centring: same distances, less cancellation in ‖a‖² + ‖b‖² − 2ab
    sq = np.einsum("ij,ij->i", tc, tc)
    out = np.empty(n, dtype=np.float64)
    block = max(1, _KDE_BLOCK_ELEMENTS // max(n, 1))
    log_n = math.log(n)
    for start in np.arange(0, n, block):
        stop = min(start + block, n)
        d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (tc[start:stop] @ tc.T)
        np.maximum(d2, 0.0, out=d2)
        d2[np.arange(stop - start), np.arange(start, stop)] = 0.0  # exact zero self-distance
        d2 *= -1.0 / (2.0 * var)
        np.exp(d2, out=d2)
        # the self term is exp(0) = 1 and every other term is in [0, 1]: the row sum lies in [1, n], so the
        # plain sum neither overflows nor underflows (no log-sum-exp shift needed)
        out[start:stop] = np.log(d2.sum(axis=1)) - log_n
    return out


def _kde_mi_terms(t: np.ndarray, var: float) -> float:
    """``−mean_i log mean_j exp(−‖t_i − t_j‖²/(2 var))``: Ĥ(T+ε) − H(ε), KL bound at noise ``var``."""
    return float(-np.mean(_log_mean_kernel(t, var)))


def kde_entropy_bounds(t: np.ndarray, noise_var: float) -> KDEEntropyBounds:
    """Pairwise-distance bounds on H(T + ε), ε ~ N(0, σ² I), T uniform on the rows of ``t`` (kernel), nats.

    Parameters
    ----------
    t : ndarray of float64, shape (n, d)
        The centres of the mixture (activations of a layer for n equiprobable inputs).
    noise_var : float
        σ², the variance of the isotropic Gaussian noise (> 0).

    Returns
    -------
    KDEEntropyBounds
        ``(upper, lower)``: the KL-divergence (upper) and Bhattacharyya (lower) bounds, in nats.

    Notes
    -----
    For the mixture ``p = (1/n) Σ_i N(t_i, σ² I)`` — the pairwise-distance estimators of [2]_ with the
    closed-form Gaussian KL and Bhattacharyya distances of its Section 4:

    .. math::

        \\hat H_{KL} = \\tfrac d2 (\\log 2\\pi\\sigma^2 + 1)
            - \\tfrac1n \\sum_i \\log \\tfrac1n \\sum_j e^{-\\|t_i - t_j\\|^2 / (2\\sigma^2)},

        \\hat H_{BD} = \\tfrac d2 (\\log 2\\pi\\sigma^2 + 1)
            - \\tfrac1n \\sum_i \\log \\tfrac1n \\sum_j e^{-\\|t_i - t_j\\|^2 / (8\\sigma^2)},

    and ``Ĥ_BD <= H(T + ε) <= Ĥ_KL``; the Bhattacharyya kernel dominates the KL one entrywise, so
    ``upper >= lower`` holds for every input, not only in expectation.
    """
    n, d = t.shape
    h_noise = 0.5 * d * (math.log(2.0 * math.pi * noise_var) + 1.0)
    upper = h_noise + _kde_mi_terms(t, noise_var)
    lower = h_noise + _kde_mi_terms(t, 4.0 * noise_var)  # BD distance ‖Δ‖²/(8σ²) = KL form at variance 4σ²
    return KDEEntropyBounds(float(upper), float(lower))


def _kde_noise_var(t: np.ndarray, noise_var, scale: str) -> float:
    if scale == "absolute":
        return float(noise_var)
    rel = DEFAULT_RELATIVE_NOISE_VAR if noise_var is None else float(noise_var)
    # Deviation from the reference code of [1]: it adds noise of *standard deviation* 0.01 to the data, takes
    # abs(), and then evaluates the estimator with *variance* 0.01 (a fixed, non-adaptive level with a
    # std/variance mix-up). We add no noise to the data and scale the variance to the layer:
    # σ² = rel · max|t|², so that σ scales with the activations and I(X;T) is invariant to a rescaling of the
    # layer. rel = 0.1 reproduces Saxe et al.'s σ² = 0.1 for a saturated tanh layer (max|t| = 1).
    return rel * float(np.max(np.abs(t))) ** 2


def adaptive_kde_mi(t: np.ndarray, y_codes: np.ndarray | None = None, *, noise_var: float | None = None,
                    scale: str = "layer_max", bound: str = "upper", y_size: int | None = None):
    """aKDE information-plane coordinates of a deterministic layer, in nats (kernel; no validation).

    Parameters
    ----------
    t : ndarray of float64, shape (n, d)
        Activations of the layer for n distinct, equiprobable inputs X (the setting of [1]_).
    y_codes : ndarray of int64, shape (n,), optional
        Class label of each input; without it I(T;Y) is not computed (``None`` is returned in its place).
    noise_var : float, optional
        With ``scale="layer_max"`` (default): the *relative* noise variance, σ² = noise_var · max|t|²
        (default 0.1). With ``scale="absolute"``: σ² itself (required).
    scale : {"layer_max", "absolute"}
        How the noise variance adapts to the layer.
    bound : {"upper", "lower"}
        Kolchinsky–Tracey KL upper bound (default) or Bhattacharyya lower bound of the entropies.
    y_size : int, optional
        Number of classes (default ``max(y_codes) + 1``).

    Returns
    -------
    (i_xt, i_ty) : tuple of float (i_ty may be None)
        I(X;T+ε) and I(T+ε;Y) in nats.

    Notes
    -----
    The layer is made stochastic by ε ~ N(0, σ² I), so H(T+ε | X) = (d/2)(log 2πσ² + 1) exactly and

    .. math::

        I(X; T) = \\hat H(T+\\epsilon) - H(\\epsilon)
                = -\\tfrac1n \\sum_i \\log \\tfrac1n \\sum_j e^{-\\|t_i - t_j\\|^2 / (2\\sigma^2)}
                \\in [0, \\log n],

        I(T; Y) = \\hat H(T+\\epsilon) - \\sum_y p(y)\\, \\hat H(T+\\epsilon \\mid Y = y),

    with the within-class mixtures for the conditional entropies ([1]_, adaptive KDE; [2]_ Section 4;
    Bhattacharyya: 8σ² in place of 2σ²). Identical activations give exactly 0; σ far below the smallest
    distance gives log n.
    """
    var = _kde_noise_var(t, noise_var, scale)
    factor = 4.0 if bound == "lower" else 1.0
    if var == 0.0:  # all activations are 0 (layer_max) — every distance is 0, the mixture is one Gaussian
        return 0.0, (None if y_codes is None else 0.0)
    var_eff = factor * var
    h_all = _kde_mi_terms(t, var_eff)
    i_xt = h_all
    if y_codes is None:
        return float(i_xt), None
    k = int(y_size) if y_size is not None else int(y_codes.max()) + 1
    counts = np.bincount(y_codes, minlength=k)
    n = t.shape[0]
    h_cond = 0.0
    for c in np.flatnonzero(counts):
        h_cond += counts[c] / n * _kde_mi_terms(t[y_codes == c], var_eff)
    return float(i_xt), float(h_all - h_cond)


# ============================================================================== validation (public layer)
def _check_samples(x, name: str, *, min_rows: int = 1) -> np.ndarray:
    """A float64 ``(n, d)`` numpy array from numpy / lists / pandas / torch; 1-D means d = 1, trailing axes
    are flattened. Raises on non-numeric, empty or non-finite input (nothing is modified)."""
    a = as_float_array(x, name)
    a = to_numpy(a) if is_torch(a) else a
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 0:
        raise InvalidSampleError(f"`{name}` must be an array of samples (rows); got the scalar {float(a)!r}")
    if a.ndim == 1:
        a = a[:, None]
    elif a.ndim > 2:
        a = a.reshape(a.shape[0], -1)
    if a.shape[0] < min_rows:
        raise InvalidSampleError(f"`{name}` needs at least {min_rows} rows (samples); got {a.shape[0]}")
    return a


def _finite_rows(a: np.ndarray) -> np.ndarray:
    return np.all(np.isfinite(a), axis=1)


def _raise_nonfinite(name: str, a: np.ndarray):
    bad = ~np.isfinite(a)
    n_bad = int(bad.sum())
    n_nan = int(np.isnan(a).sum())
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    raise InvalidSampleError(
        f"`{name}` must contain only finite numbers; got {n_bad} non-finite value(s) ({n_nan} NaN, "
        f"{n_bad - n_nan} inf), the first at index {first}; pass nan_policy='omit' to drop incomplete rows"
    )


def _check_nan_policy(nan_policy):
    return check_choice(nan_policy, "nan_policy", ("raise", "omit"))


def _apply_nan_policy(arrays: dict, nan_policy: str) -> dict:
    """Raise on non-finite float rows (``"raise"``) or drop every row that is non-finite in any array."""
    keep = None
    for name, a in arrays.items():
        if a is None or a.dtype.kind != "f":
            continue
        ok = _finite_rows(a if a.ndim == 2 else a[:, None])
        if not ok.all():
            if nan_policy == "raise":
                _raise_nonfinite(name, a)
            keep = ok if keep is None else keep & ok
    if keep is None:
        return arrays
    if not keep.any():
        raise InvalidSampleError("no row is left after dropping non-finite values (nan_policy='omit')")
    return {k: (None if a is None else a[keep]) for k, a in arrays.items()}


def _is_discrete_dtype(a: np.ndarray) -> bool:
    return a.dtype.kind in "biuOSU"


def _factorize(y, name: str) -> tuple[np.ndarray, int]:
    """Dense int64 codes of the rows of a discrete array (ints, bools, strings); shape (n,) or (n, k)."""
    a = to_numpy(y) if is_torch(y) else np.asarray(y)
    if a.ndim == 0:
        raise InvalidSampleError(f"`{name}` must be an array of labels; got a scalar")
    if a.size == 0:
        raise InvalidSampleError(f"`{name}` must not be empty")
    if a.dtype.kind == "f":
        if not np.all(np.isfinite(a)):
            _raise_nonfinite(name, a.reshape(a.shape[0], -1))
    try:
        if a.ndim == 1:
            _, inv = np.unique(a, return_inverse=True)
            k = int(inv.max()) + 1
            return inv.reshape(-1).astype(np.int64), k
        rows = a.reshape(a.shape[0], -1)
        _, inv = np.unique(rows, axis=0, return_inverse=True)
        inv = inv.reshape(-1).astype(np.int64)
        return inv, int(inv.max()) + 1
    except TypeError as exc:  # unorderable mixed objects
        raise InvalidSampleError(f"`{name}` labels could not be sorted into categories ({exc})") from exc


def _resolve_discrete(y, flag, name: str) -> bool:
    if flag == "auto":
        a = to_numpy(y) if is_torch(y) else np.asarray(y)
        return _is_discrete_dtype(a)
    if isinstance(flag, (bool, np.bool_)):
        return bool(flag)
    raise InvalidParameterError(f"`{name}` must be True, False or 'auto'; got {flag!r}")


def _check_n_bins(n_bins) -> int:
    return check_positive_int(n_bins, "n_bins")


def _check_low(low):
    if low is None:
        return None
    if isinstance(low, bool) or not isinstance(low, numbers.Real) or not math.isfinite(float(low)):
        raise InvalidParameterError(f"`low` must be a finite real number or None; got {low!r}")
    return float(low)


def _check_range(rng):
    if rng is None:
        return None
    try:
        lo, hi = (float(v) for v in rng)
    except Exception as exc:
        raise InvalidParameterError(f"`range` must be a pair (lo, hi) of finite numbers; got {rng!r}") from exc
    if not (math.isfinite(lo) and math.isfinite(hi)) or not hi > lo:
        raise InvalidParameterError(f"`range` must be a pair (lo, hi) of finite numbers with lo < hi; got {rng!r}")
    return lo, hi


def _check_len(n1: int, n2: int, name1: str, name2: str):
    if n1 != n2:
        raise ShapeMismatchError(
            f"`{name1}` and `{name2}` must have the same number of rows (samples); got {n1} and {n2}"
        )


# =========================================================================================== public API
def estimate_binned_entropy(x, *, scheme: str = "ebab", n_bins: int = 30, low=None, range=None,
                            per_layer: bool = True, nan_policy: str = "raise", base=None) -> float:
    """Plug-in entropy of binned samples, ``H = −Σ_t p̂(t) log p̂(t)`` over joint bins t (EBAB by default).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Samples (rows). 1-D input is one variable; trailing axes beyond the second are flattened.
    scheme : {"ebab", "fixed_width", "equal_mass"}, default "ebab"
        Binning scheme: entropy-based adaptive binning of [1]_, fixed-width bins over the range of ``x``
        (one grid for all columns; [3]_), or equal-mass bins per column.
    n_bins : int, default 30
        Bins per column.
    low : float, optional
        EBAB only: lower end of the activation range (0 for ReLU); values at or below it get their own bin.
    range : (float, float), optional
        fixed_width only: binning interval (default: min and max of ``x``).
    per_layer : bool, default True
        One set of edges for all columns (EBAB, fixed_width) or one per column.
    nan_policy : {"raise", "omit"}, default "raise"
        Non-finite rows raise, or are dropped.
    base : float, optional
        Logarithm base of the result (None: nats, 2: bits).

    Returns
    -------
    float
        Entropy of the binned variable, in ``base`` units; between 0 and log n.

    Notes
    -----
    .. math::

        \\hat H(T_B) = -\\sum_t \\frac{c_t}{n} \\log \\frac{c_t}{n}

    where :math:`c_t` counts the rows of ``x`` whose per-column bins form the joint symbol t. A binned entropy
    depends on the binning; it is the estimate of I(X;T) for a deterministic layer with distinct,
    equiprobable inputs ([1]_), not a differential entropy.

    References
    ----------
    .. [1] Chelombiev, I., Houghton, C., & O'Donnell, C. (2019). Adaptive Estimators Show Information
       Compression in Deep Neural Networks. ICLR 2019. arXiv:1902.09037
    .. [3] Shwartz-Ziv, R., & Tishby, N. (2017). Opening the Black Box of Deep Neural Networks via
       Information. arXiv:1703.00810

    Examples
    --------
    Four equiprobable levels are resolved losslessly: 2 bits.

    >>> from infokit.estimators.binning import estimate_binned_entropy
    >>> round(estimate_binned_entropy([0.1, 0.5, 0.7, 2.0], base=2), 12)
    2.0
    """
    b = check_base(base)
    check_choice(scheme, "scheme", SCHEMES)
    n_bins = _check_n_bins(n_bins)
    low, range = _check_low(low), _check_range(range)
    _check_nan_policy(nan_policy)
    a = _check_samples(x, "x")
    a = _apply_nan_policy({"x": a}, nan_policy)["x"]
    return float(to_base(binned_entropy(a, scheme, n_bins, low=low, range=range, per_layer=per_layer), b))


def estimate_binned_mutual_information(x, y, *, scheme: str = "ebab", n_bins: int = 30, y_discrete="auto",
                                       low=None, range=None, per_layer: bool = True, nan_policy: str = "raise",
                                       base=None) -> float:
    """Plug-in mutual information of binned samples, ``I = H(T_B) + H(Y) − H(T_B, Y)``.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Continuous samples (e.g. a layer's activations), binned with ``scheme``.
    y : array_like, shape (n,) or (n, k)
        Discrete labels (ints, bools, strings; rows of a 2-D array are symbols) or continuous samples.
    scheme, n_bins, low, range, per_layer
        As in :func:`estimate_binned_entropy`; a continuous ``y`` is binned the same way.
    y_discrete : bool or "auto", default "auto"
        Whether ``y`` holds labels. "auto": labels when its dtype is integer, bool or string.
    nan_policy : {"raise", "omit"}, default "raise"
        Non-finite rows raise, or are dropped from both variables.
    base : float, optional
        Logarithm base of the result (None: nats, 2: bits).

    Returns
    -------
    float
        I(T_B; Y) in ``base`` units, between 0 and min(H(T_B), H(Y)).

    Notes
    -----
    .. math::

        \\hat I(T_B; Y) = \\sum_{t, y} \\hat p(t, y) \\log \\frac{\\hat p(t, y)}{\\hat p(t) \\hat p(y)}

    with plug-in frequencies of the joint bins t. With ``y`` the index of distinct inputs this is I(X;T) of
    [1]_; with ``y`` the class label, I(T;Y).

    References
    ----------
    .. [1] Chelombiev, I., Houghton, C., & O'Donnell, C. (2019). Adaptive Estimators Show Information
       Compression in Deep Neural Networks. ICLR 2019. arXiv:1902.09037

    Examples
    --------
    A layer that copies a fair binary label carries 1 bit about it.

    >>> from infokit.estimators.binning import estimate_binned_mutual_information
    >>> estimate_binned_mutual_information([0.0, 1.0, 0.0, 1.0], [0, 1, 0, 1], base=2)
    1.0
    """
    b = check_base(base)
    check_choice(scheme, "scheme", SCHEMES)
    n_bins = _check_n_bins(n_bins)
    low, range = _check_low(low), _check_range(range)
    _check_nan_policy(nan_policy)
    a = _check_samples(x, "x")
    disc = _resolve_discrete(y, y_discrete, "y_discrete")
    if disc:
        yc, yk = _factorize(y, "y")
        _check_len(a.shape[0], yc.shape[0], "x", "y")
        kept = _apply_nan_policy({"x": a, "y": yc}, nan_policy)
        a, yc = kept["x"], kept["y"]
        yc, yk = _dense(yc)
        value = binned_mi(a, yc, scheme, n_bins, y_discrete=True, y_size=yk, low=low, range=range,
                          per_layer=per_layer)
    else:
        ya = _check_samples(y, "y")
        _check_len(a.shape[0], ya.shape[0], "x", "y")
        kept = _apply_nan_policy({"x": a, "y": ya}, nan_policy)
        value = binned_mi(kept["x"], kept["y"], scheme, n_bins, y_discrete=False, low=low, range=range,
                          per_layer=per_layer)
    return float(to_base(value, b))


def estimate_kde_entropy_bounds(t, *, noise_var, base=None) -> KDEEntropyBounds:
    """Bounds ``lower <= H(T + ε) <= upper`` on the entropy of the noisy layer, ε ~ N(0, noise_var · I).

    Parameters
    ----------
    t : array_like, shape (n,) or (n, d)
        Activations for n equiprobable inputs (the centres of the Gaussian mixture).
    noise_var : float
        Variance σ² > 0 of the isotropic Gaussian noise.
    base : float, optional
        Logarithm base (None: nats, 2: bits).

    Returns
    -------
    KDEEntropyBounds
        Named tuple ``(upper, lower)``: the Kolchinsky–Tracey KL upper and Bhattacharyya lower bounds.

    Notes
    -----
    .. math::

        \\hat H_{KL} = \\tfrac d2 (\\log 2\\pi\\sigma^2 + 1)
            - \\tfrac1n \\sum_i \\log \\tfrac1n \\sum_j e^{-\\|t_i - t_j\\|^2 / (2\\sigma^2)}

    and the same with 8σ² in the exponent for the lower bound. These are differential entropies and may be
    negative for small σ².

    References
    ----------
    .. [1] Kolchinsky, A., & Tracey, B. D. (2017). Estimating Mixture Entropy with Pairwise Distances.
       Entropy 19(7), 361. doi:10.3390/e19070361

    Examples
    --------
    One centre: both bounds equal the entropy of N(0, σ²), ½ log(2πeσ²).

    >>> import math
    >>> from infokit.estimators.binning import estimate_kde_entropy_bounds
    >>> up, lo = estimate_kde_entropy_bounds([[0.0], [0.0]], noise_var=1.0)
    >>> round(up - 0.5 * math.log(2 * math.pi * math.e), 12), round(lo - up, 12)
    (0.0, 0.0)
    """
    b = check_base(base)
    var = check_nonneg_float(noise_var, "noise_var", strict=True)
    a = _check_samples(t, "t")
    _apply_nan_policy({"t": a}, "raise")
    up, lo = kde_entropy_bounds(a, var)
    return KDEEntropyBounds(float(to_base(up, b)), float(to_base(lo, b)))


@dataclass(frozen=True)
class LayerInformation:
    """Information-plane coordinates of one layer (unpacks as ``i_xt, i_ty = result``).

    Attributes
    ----------
    i_xt : float
        I(X;T), in ``unit``.
    i_ty : float or None
        I(T;Y), in ``unit`` (None when no label was given).
    unit : str
        "nats", "bits", ...
    method : str
        The estimator: one of :data:`LAYER_METHODS`.
    n : int
        Number of samples used.
    """

    i_xt: float
    i_ty: float | None
    unit: str
    method: str
    n: int

    def __iter__(self):
        return iter((self.i_xt, self.i_ty))


def estimate_layer_information(t, y=None, *, x=None, method: str = "ebab", n_bins: int = 30, low=None,
                               range=None, per_layer: bool = True, noise_var=None, scale: str = "layer_max",
                               nan_policy: str = "raise", base=None) -> LayerInformation:
    """Information-plane coordinates (I(X;T), I(T;Y)) of a deterministic layer, by EBAB, binning or aKDE.

    Parameters
    ----------
    t : array_like, shape (n, d)
        Activations of the layer, one row per input.
    y : array_like of labels, shape (n,), optional
        Class label of each input; without it ``i_ty`` is None.
    x : array_like, shape (n,) or (n, k), optional
        The input of each row, as labels or rows of a discrete array (e.g. the 12-bit patterns). Default:
        every row is a distinct, equiprobable input — [1]_'s setting, where I(X;T) = H(T). Binning methods
        only; the KDE methods always assume distinct equiprobable inputs.
    method : {"ebab", "fixed_width", "equal_mass", "kde_upper", "kde_lower"}, default "ebab"
        EBAB ([1]_), a classical binning, or the adaptive KDE of [1]_ with the KL upper or
        Bhattacharyya lower Kolchinsky–Tracey bound.
    n_bins, low, range, per_layer
        Binning parameters (see :func:`estimate_binned_entropy`).
    noise_var : float, optional
        aKDE: relative noise variance (``scale="layer_max"``, σ² = noise_var · max|t|², default 0.1) or σ²
        itself (``scale="absolute"``, required then).
    scale : {"layer_max", "absolute"}, default "layer_max"
        aKDE: how the noise adapts to the layer.
    nan_policy : {"raise", "omit"}, default "raise"
        Non-finite rows raise, or are dropped (with their labels).
    base : float, optional
        Logarithm base (None: nats, 2: bits).

    Returns
    -------
    LayerInformation
        ``i_xt``, ``i_ty``, ``unit``, ``method``, ``n``; unpacks as ``i_xt, i_ty = result``.

    Notes
    -----
    Binning: T is replaced by its joint bin T_B, and

    .. math::

        I(X;T) = \\hat H(T_B) - \\hat H(T_B \\mid X) = \\hat H(T_B) \\quad(\\text{distinct inputs}),\\qquad
        I(T;Y) = \\hat H(T_B) - \\hat H(T_B \\mid Y).

    aKDE: T is made stochastic, T + ε with ε ~ N(0, σ² I), and the entropies are the pairwise-distance bounds
    of :func:`estimate_kde_entropy_bounds` (see :func:`adaptive_kde_mi`). I(X;T) lies in [0, log n] for every
    method.

    References
    ----------
    .. [1] Chelombiev, I., Houghton, C., & O'Donnell, C. (2019). Adaptive Estimators Show Information
       Compression in Deep Neural Networks. ICLR 2019. arXiv:1902.09037
    .. [2] Kolchinsky, A., & Tracey, B. D. (2017). Estimating Mixture Entropy with Pairwise Distances.
       Entropy 19(7), 361. doi:10.3390/e19070361

    Examples
    --------
    The identity layer over the 16 patterns of 4 bits keeps all 4 bits; a label that is the first bit: 1 bit.

    >>> import numpy as np
    >>> from infokit.estimators.binning import estimate_layer_information
    >>> x = ((np.arange(16)[:, None] >> np.arange(4)) & 1).astype(float)
    >>> r = estimate_layer_information(x, x[:, 0].astype(int), base=2)
    >>> round(r.i_xt, 12), round(r.i_ty, 12)
    (4.0, 1.0)
    """
    b = check_base(base)
    check_choice(method, "method", LAYER_METHODS)
    check_choice(scale, "scale", KDE_SCALES)
    n_bins = _check_n_bins(n_bins)
    low, range = _check_low(low), _check_range(range)
    _check_nan_policy(nan_policy)
    if noise_var is not None:
        noise_var = check_nonneg_float(noise_var, "noise_var", strict=True)
    elif scale == "absolute" and method.startswith("kde"):
        raise InvalidParameterError("`noise_var` is required with scale='absolute' (it is σ² itself)")
    a = _check_samples(t, "t")
    n = a.shape[0]
    arrays = {"t": a, "y": None, "x": None}
    if y is not None:
        yc, _ = _factorize(y, "y")
        _check_len(n, yc.shape[0], "t", "y")
        arrays["y"] = yc
    if x is not None:
        if method.startswith("kde"):
            raise InvalidParameterError(
                "`x` is only used by the binning methods; the KDE bounds assume distinct equiprobable inputs"
            )
        xc, _ = _factorize(x, "x")
        _check_len(n, xc.shape[0], "t", "x")
        arrays["x"] = xc
    arrays = _apply_nan_policy(arrays, nan_policy)
    a, yc, xc = arrays["t"], arrays["y"], arrays["x"]
    n = a.shape[0]
    if method.startswith("kde"):
        y_dense, yk = (None, None) if yc is None else _dense(yc)
        i_xt, i_ty = adaptive_kde_mi(a, y_dense, noise_var=noise_var, scale=scale,
                                     bound="upper" if method == "kde_upper" else "lower", y_size=yk)
    else:
        tc, tk = _codes_for_scheme(a, method, n_bins, low=low, range=range, per_layer=per_layer)
        if xc is None:
            i_xt = _entropy_of_codes(tc, tk)
        else:
            xd, xk = _dense(xc)
            i_xt = _mi_of_codes(tc, tk, xd, xk)
        if yc is None:
            i_ty = None
        else:
            yd, yk = _dense(yc)
            i_ty = _mi_of_codes(tc, tk, yd, yk)
    return LayerInformation(
        i_xt=float(to_base(i_xt, b)),
        i_ty=None if i_ty is None else float(to_base(i_ty, b)),
        unit=unit_name(b),
        method=method,
        n=int(n),
    )
