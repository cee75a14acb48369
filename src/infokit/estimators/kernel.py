r"""Kernel estimators: KDE plug-in entropy / MI, matrix-based Rényi entropy / MI, Cauchy–Schwarz estimators.

Private kernels of the estimator layer (issue 3, method family 5). The numpy kernels take already validated
float64 ``(n, d)`` arrays (always 2-D; rows are samples), never validate, never modify their inputs, and
return nats as a Python ``float``; the public layer standardises the columns first (every method here is
scale dependent through its bandwidth) and converts units once. The ``*_torch`` functions take torch tensors,
return a 0-d tensor in nats on the input's device and are differentiable (for the CS-IB loss, paper 10).

Every method here is defined by n×n Gram matrices of a Gaussian kernel
:math:`\kappa_\sigma(a,b)=\exp(-\|a-b\|^2/(2\sigma^2))` (unnormalised, :func:`gaussian_gram`). The numpy
kernels never hold an n×n matrix unless the method needs one: KDE and the Cauchy–Schwarz estimators stream
the Gram matrices in row blocks (memory O(block·n)); the matrix-based Rényi entropies need the full matrix
for its eigenvalues (memory O(n²), time O(n³)). The torch versions build the full Gram matrices (they are
meant for mini-batches).

Bandwidth rules
---------------
* ``sigma=None`` — median heuristic: σ = the median Euclidean distance (not squared) between distinct pairs of
  rows, :func:`median_heuristic` (Gretton et al., 2012). Above 2000 rows it is the median over a fixed,
  evenly spaced subsample of 2000 rows. The CS-IB reference code instead uses 10 × the median *squared*
  distance as σ; pass that number explicitly to reproduce it.
* ``sigma=<number>`` — a fixed σ > 0; methods with two variables also take a pair ``(sigma_x, sigma_y)``.
* KDE ``bandwidth`` — ``"scott"`` (factor :math:`n^{-1/(d+4)}`), ``"silverman"``
  (:math:`(n(d+2)/4)^{-1/(d+4)}`), or a number: the factor :math:`h` itself. The kernel covariance is
  :math:`h^2\hat\Sigma` (:math:`\hat\Sigma` the sample covariance), as in ``scipy.stats.gaussian_kde``.

References
----------
.. [1] Sánchez Giraldo, L. G., Rao, M., Príncipe, J. C. (2015). Measures of entropy from data using
   infinitely divisible kernels. IEEE Transactions on Information Theory 61(1), 535–548.
   doi:10.1109/TIT.2014.2370058. arXiv:1211.2459
.. [2] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence information
   bottleneck for regression. ICLR. arXiv:2404.17951
.. [3] Jenssen, R., Príncipe, J. C., Erdogmus, D., Eltoft, T. (2006). The Cauchy–Schwarz divergence and
   Parzen windowing: connections to graph theory and Mercer kernels. Journal of the Franklin Institute
   343(6), 614–629. doi:10.1016/j.jfranklin.2006.03.018
.. [4] Gretton, A., Borgwardt, K. M., Rasch, M. J., Schölkopf, B., Smola, A. (2012). A kernel two-sample
   test. Journal of Machine Learning Research 13, 723–773.
.. [5] Scott, D. W. (1992). Multivariate Density Estimation. Wiley. Silverman, B. W. (1986). Density
   Estimation for Statistics and Data Analysis. Chapman & Hall.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy import special as _sp
from scipy.spatial.distance import pdist

from ..exceptions import InvalidParameterError, InvalidSampleError

__all__ = [
    "gaussian_gram",
    "median_heuristic",
    "kde_bandwidth_factor",
    "kde_entropy",
    "kde_mi",
    "matrix_renyi_entropy_from_gram",
    "matrix_renyi_entropy",
    "matrix_renyi_joint_entropy",
    "matrix_renyi_mi",
    "cs_divergence_samples",
    "cs_qmi",
    "cs_qmi_normalized",
    "cs_conditional_divergence",
    "gaussian_gram_torch",
    "median_heuristic_torch",
    "cs_divergence_samples_torch",
    "cs_qmi_torch",
    "cs_qmi_normalized_torch",
    "cs_conditional_divergence_torch",
    "matrix_renyi_entropy_torch",
    "matrix_renyi_mi_torch",
]

# Entries of one streamed block (rows × columns) of a Gram matrix: 2**15 float64 = 256 KiB, which stays in
# the L2 cache through the matmul / clip / exp / sum passes (measured ~3x faster than 16 MiB blocks at
# n = 5000); at least 8 rows per block bound the Python overhead for very large n.
_BLOCK_ELEMS = 1 << 15
_MIN_BLOCK_ROWS = 8
# Rows used by the median heuristic (2000 rows -> ~2e6 distances, 16 MiB).
_MEDIAN_MAX_POINTS = 2000
# A self-information I_CS(X;X) below this is "no information" for the normalised CS-QMI (round-off level of
# log-sums of O(n^2) terms, relative 1e-16 each).
_CS_ZERO = 1e-12


# ============================================================================================== helpers
def _row_blocks(n_rows: int, n_cols: int, n_mats: int = 1):
    step = max(_MIN_BLOCK_ROWS, _BLOCK_ELEMS // max(1, n_cols * n_mats))
    for start in range(0, n_rows, step):
        yield start, min(start + step, n_rows)


def _augment(points: np.ndarray, scale: float, *more) -> tuple[np.ndarray, np.ndarray]:
    r"""Augmented factors ``(L, R)`` with :math:`L_i\cdot R_j=\sum_k c_k\|p^{(k)}_i-p^{(k)}_j\|^2`.

    ``points`` and ``scale`` (and further ``(points, scale)`` pairs in ``more``) are centred point sets and
    their exponent scales :math:`c_k` (e.g. :math:`-1/(2\sigma^2)`). One matmul ``L[s:e] @ R.T`` then gives a
    row block of the kernel *exponent* :math:`\sum_k c_k\|p_i-p_j\|^2` — the Gram matrix of a product kernel
    is one matmul — instead of a distance matrix followed by several elementwise passes. The rows of ``R``
    may come from other point sets than the rows of ``L`` via :func:`_augment_pair`.
    """
    return _augment_pair([(points, points, scale)] + [(p, p, c) for p, c in zip(more[::2], more[1::2])])


def _augment_pair(triples) -> tuple[np.ndarray, np.ndarray]:
    """``(L, R)`` for triples ``(left_points, right_points, scale)``: L_i·R_j = Σ_k c_k ||l^(k)_i - r^(k)_j||²."""
    n_left = triples[0][0].shape[0]
    n_right = triples[0][1].shape[0]
    width = sum(t[0].shape[1] + 2 for t in triples)
    left = np.empty((n_left, width))
    right = np.empty((n_right, width))
    col = 0
    for lp, rp, c in triples:
        d = lp.shape[1]
        left[:, col:col + d] = (-2.0 * c) * lp
        right[:, col:col + d] = rp
        left[:, col + d] = c * np.einsum("ij,ij->i", lp, lp)
        right[:, col + d] = 1.0
        left[:, col + d + 1] = 1.0
        right[:, col + d + 1] = c * np.einsum("ij,ij->i", rp, rp)
        col += d + 2
    return left, right


def _exponent_block(left: np.ndarray, right: np.ndarray, s: int, e: int, self_diag=None) -> np.ndarray:
    """Rows ``s:e`` of the exponent matrix ``left @ right.T``, clipped at 0 (a new scratch array).

    Exponents are ``-(distance)/(2σ²)`` sums, ≤ 0 in exact arithmetic; the clip removes round-off above 0.
    ``self_diag`` overwrites the entries (i, s + i): 0.0 (exactly, for a self-kernel), -inf (to leave a
    sample out), or an array of length n indexed by the global row (an exponent computed more accurately).
    """
    blk = left[s:e] @ right.T
    np.minimum(blk, 0.0, out=blk)
    if self_diag is not None:
        rows = np.arange(e - s)
        blk[rows, s + rows] = self_diag[s:e] if isinstance(self_diag, np.ndarray) else self_diag
    return blk


def _lse_rows(a: np.ndarray) -> np.ndarray:
    """Row-wise log-sum-exp of a scratch array, computed in place (``a`` is overwritten).

    Stable (shifted by the row maximum); rows that are entirely -inf give -inf.
    """
    m = a.max(axis=1)
    shift = np.where(np.isfinite(m), m, 0.0)
    a -= shift[:, None]
    np.exp(a, out=a)
    with np.errstate(divide="ignore"):
        return np.log(a.sum(axis=1)) + shift


# Row sums of exp(exponents) below this are recomputed with the shifted log-sum-exp: above it, terms lost to
# underflow (each < 1e-308, at most n of them) change the sum by a relative < 1e-20.
_UNDERFLOW_SUM = 1e-280


def _log_row_sums(blk: np.ndarray, rebuild, zero_in_row: bool = False) -> np.ndarray:
    """``log Σ_j exp(blk_ij)`` per row for exponents ≤ 0; ``blk`` is overwritten.

    Fast path: one ``exp`` and one sum. With ``zero_in_row`` (every row holds an exponent 0, the diagonal of
    a self-kernel) a row sum is ≥ 1 and nothing can underflow. Otherwise rows whose sum falls below
    ``_UNDERFLOW_SUM`` are recomputed stably from ``rebuild(row_indices)`` (a fresh exponent block).
    """
    np.exp(blk, out=blk)
    sums = blk.sum(axis=1)
    if zero_in_row:
        return np.log(sums)
    bad = sums < _UNDERFLOW_SUM
    with np.errstate(divide="ignore"):
        out = np.log(sums)
    if bool(bad.any()):
        idx = np.flatnonzero(bad)
        out[idx] = _lse_rows(rebuild(idx))
    return out


def _lse_vec(v: np.ndarray) -> float:
    """log-sum-exp of a 1-D array (not modified)."""
    m = float(v.max())
    if not math.isfinite(m):
        return m
    return math.log(float(np.exp(v - m).sum())) + m


def gaussian_gram(x: np.ndarray, sigma: float, y: np.ndarray | None = None) -> np.ndarray:
    r"""Gram matrix of the unnormalised Gaussian kernel :math:`K_{ij}=\exp(-\|x_i-y_j\|^2/(2\sigma^2))`.

    Parameters
    ----------
    x : ndarray of shape (n, d)
    sigma : float
        Kernel width σ > 0 (the caller resolves ``None`` with :func:`median_heuristic`).
    y : ndarray of shape (m, d), optional
        Second set of points; ``None`` means ``y = x`` (then the diagonal is exactly 1).

    Returns
    -------
    ndarray of shape (n, m)
        A new n×m matrix (memory O(nm): this primitive *is* the Gram matrix).
    """
    other = x if y is None else y
    shift = x.mean(axis=0) if y is None else np.vstack([x, other]).mean(axis=0)
    a = x - shift
    b = a if y is None else other - shift
    c = -1.0 / (2.0 * sigma * sigma)
    left, right = _augment_pair([(a, b, c)])
    out = _exponent_block(left, right, 0, a.shape[0], 0.0 if y is None else None)
    np.exp(out, out=out)
    return out


def _subsample_rows(n: int) -> np.ndarray | slice:
    if n <= _MEDIAN_MAX_POINTS:
        return slice(None)
    return np.unique(np.linspace(0, n - 1, _MEDIAN_MAX_POINTS).round().astype(np.int64))


def median_heuristic(x: np.ndarray, y: np.ndarray | None = None) -> float:
    r"""Median heuristic bandwidth: σ = median of :math:`\|a_i-a_j\|` over distinct pairs :math:`i<j`.

    Parameters
    ----------
    x : ndarray of shape (n, d)
    y : ndarray of shape (m, d), optional
        If given, the median is over the pooled rows of ``x`` and ``y`` (two-sample tests [1]_).

    Returns
    -------
    float
        The median Euclidean (not squared) distance. Above 2000 rows it is computed on a fixed, evenly spaced
        subsample of 2000 rows (deterministic). If the median is 0 (more than half the pairs tie), the
        median of the nonzero distances is used; if every distance is 0 (or there is one row), 1.0.

    References
    ----------
    .. [1] Gretton, A., Borgwardt, K. M., Rasch, M. J., Schölkopf, B., Smola, A. (2012). A kernel two-sample
       test. Journal of Machine Learning Research 13, 723–773.
    """
    pts = x if y is None else np.vstack([x, y])
    pts = pts[_subsample_rows(pts.shape[0])]
    if pts.shape[0] < 2:
        return 1.0
    dist = pdist(pts - pts.mean(axis=0))
    med = float(np.median(dist))
    if med > 0.0:
        return med
    nonzero = dist[dist > 0.0]
    return float(np.median(nonzero)) if nonzero.size else 1.0


def _check_sigma(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidParameterError(f"`{name}` must be a positive number or None (median heuristic); got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and v > 0.0):
        raise InvalidParameterError(
            f"`{name}` must be a finite number > 0, or None for the median heuristic; got {value!r}"
        )
    return v


def _sigma_one(sigma, *arrays) -> float:
    """Resolve a single bandwidth: None -> median heuristic over the pooled ``arrays``; a number -> itself."""
    if sigma is None:
        return median_heuristic(arrays[0], None if len(arrays) == 1 else np.vstack(arrays[1:]))
    return _check_sigma(sigma, "sigma")


def _sigma_pair(sigma, x_arrays, y_arrays) -> tuple[float, float]:
    """Resolve (sigma_x, sigma_y): None -> medians per variable; a number -> both; a pair -> each (None ok)."""
    if isinstance(sigma, (tuple, list)):
        if len(sigma) != 2:
            raise InvalidParameterError(f"`sigma` must be None, a number, or a pair (sigma_x, sigma_y); got {sigma!r}")
        return _sigma_one(sigma[0], *x_arrays), _sigma_one(sigma[1], *y_arrays)
    if sigma is None:
        return _sigma_one(None, *x_arrays), _sigma_one(None, *y_arrays)
    s = _check_sigma(sigma, "sigma")
    return s, s


def _centre(*arrays):
    """Subtract one common mean from every array (new arrays); distances are translation invariant and
    centring keeps the round-off of ``|a|² + |b|² - 2a·b`` at the scale of the spread, not of the offset."""
    shift = np.vstack(arrays).mean(axis=0) if len(arrays) > 1 else arrays[0].mean(axis=0)
    return [a - shift for a in arrays]


# ============================================================================================== KDE
def kde_bandwidth_factor(n: int, d: int, bandwidth="scott") -> float:
    r"""Bandwidth factor :math:`h` of a Gaussian KDE whose kernel covariance is :math:`h^2\hat\Sigma`.

    ``"scott"``: :math:`h=n^{-1/(d+4)}`; ``"silverman"``: :math:`h=(n(d+2)/4)^{-1/(d+4)}` (Scott 1992,
    Silverman 1986, as in ``scipy.stats.gaussian_kde``); a positive number is returned as is.
    """
    if isinstance(bandwidth, str):
        if bandwidth == "scott":
            return float(n) ** (-1.0 / (d + 4))
        if bandwidth == "silverman":
            return (n * (d + 2) / 4.0) ** (-1.0 / (d + 4))
        raise InvalidParameterError(
            f"`bandwidth` must be 'scott', 'silverman' or a positive number (the factor h); got {bandwidth!r}"
        )
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, numbers.Real):
        raise InvalidParameterError(
            f"`bandwidth` must be 'scott', 'silverman' or a positive number (the factor h); got {bandwidth!r}"
        )
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0.0):
        raise InvalidParameterError(f"`bandwidth` must be a finite number > 0; got {bandwidth!r}")
    return h


def _whiten(x: np.ndarray, what: str):
    """Centre ``x`` and whiten it with the Cholesky factor of its sample covariance; also return log det Σ."""
    n, d = x.shape
    centred = x - x.mean(axis=0)
    cov = np.atleast_2d((centred.T @ centred) / (n - 1.0))
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        chol = None
    # singular to working precision: a Cholesky pivot² below 1e-13 of its variance (as in gaussian.py)
    if chol is None or float(np.min(np.diag(chol) ** 2 / np.diag(cov))) < 1e-13:
        raise InvalidSampleError(
            f"the KDE {what} needs a nonsingular sample covariance (the kernel is shaped by it); `{what}` has "
            f"a constant or collinear column with n={n}, d={d}; drop it"
        )
    # z = centred · L^{-T}: the inverse of the small d×d factor, then one matmul (faster than a triangular
    # solve with an n-column right-hand side on a busy machine, same numbers to round-off)
    z = centred @ np.linalg.inv(chol).T
    return z, 2.0 * float(np.sum(np.log(np.diag(chol))))


def _kde_log_density(x: np.ndarray, h: float, leave_one_out: bool, what: str) -> np.ndarray:
    r"""log f̂(x_i) at every sample of a Gaussian KDE with kernel covariance h²Σ̂ (streamed in row blocks)."""
    n, d = x.shape
    z, logdet = _whiten(x, what)
    m = n - 1 if leave_one_out else n
    const = -math.log(m) - 0.5 * d * math.log(2.0 * math.pi) - d * math.log(h) - 0.5 * logdet
    left, right = _augment(z, -1.0 / (2.0 * h * h))
    diag = -math.inf if leave_one_out else 0.0
    out = np.empty(n)
    for s, e in _row_blocks(n, n):
        blk = _exponent_block(left, right, s, e, diag)
        out[s:e] = _log_row_sums(blk, lambda idx, s=s: _rebuild_rows(left, right, s + idx, diag),
                                 zero_in_row=not leave_one_out)
    return out + const


def _rebuild_rows(left: np.ndarray, right: np.ndarray, rows: np.ndarray, self_diag) -> np.ndarray:
    """Exponent rows ``rows`` (global indices) of ``left @ right.T``, clipped, with the self entries set."""
    blk = left[rows] @ right.T
    np.minimum(blk, 0.0, out=blk)
    if self_diag is not None:
        blk[np.arange(rows.size), rows] = self_diag[rows] if isinstance(self_diag, np.ndarray) else self_diag
    return blk


def kde_entropy(x: np.ndarray, bandwidth="scott", leave_one_out: bool = True) -> float:
    r"""KDE plug-in entropy :math:`-\frac1n\sum_i\log\hat f(x_i)` with a Gaussian kernel (nats).

    Parameters
    ----------
    x : ndarray of shape (n, d)
    bandwidth : {'scott', 'silverman'} or float, default 'scott'
        Bandwidth rule for the factor :math:`h`; kernel covariance :math:`h^2\hat\Sigma` (see
        :func:`kde_bandwidth_factor`). A number is the factor :math:`h` itself.
    leave_one_out : bool, default True
        Leave-one-out (each :math:`\hat f` omits its own sample, Joe 1989 / Hall & Morton 1993); False gives
        the resubstitution estimate (Ahmad & Lin 1976), which includes the self term and is biased low.

    Returns
    -------
    float
        Entropy in nats.

    Notes
    -----
    .. math::

        \hat H = -\frac1n\sum_{i=1}^n\log\hat f(x_i),\qquad
        \hat f(x_i) = \frac{1}{m}\sum_{j\in J_i}\mathcal N(x_i;\,x_j,\,h^2\hat\Sigma),

    with :math:`J_i=\{j\ne i\}`, :math:`m=n-1` (leave-one-out) or :math:`J_i=\{1..n\}`, :math:`m=n`.
    The n×n kernel matrix is streamed in row blocks (memory O(block·n), time O(n² d)); sums use
    log-sum-exp. Needs a nonsingular sample covariance.

    References
    ----------
    .. [1] Ahmad, I. A., Lin, P.-E. (1976). A nonparametric estimation of the entropy for absolutely
       continuous distributions. IEEE Transactions on Information Theory 22(3), 372–375.
       doi:10.1109/TIT.1976.1055550
    .. [2] Hall, P., Morton, S. C. (1993). On the estimation of entropy. Annals of the Institute of
       Statistical Mathematics 45(1), 69–88. doi:10.1007/BF00773669
    """
    n, d = x.shape
    if n < (3 if leave_one_out else 2):
        raise InvalidSampleError(f"the KDE entropy needs at least {3 if leave_one_out else 2} samples; got n={n}")
    h = kde_bandwidth_factor(n, d, bandwidth)
    return float(-np.mean(_kde_log_density(x, h, leave_one_out, "x")))


def kde_mi(x: np.ndarray, y: np.ndarray, bandwidth="scott", leave_one_out: bool = True) -> float:
    r"""KDE plug-in MI :math:`\frac1n\sum_i\log\frac{\hat f(x_i,y_i)}{\hat f(x_i)\hat f(y_i)}` (nats).

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
    bandwidth : {'scott', 'silverman'} or float, default 'scott'
        Rule for the factor :math:`h` of the *joint* KDE (dimension ``dx + dy``); the marginal KDEs use the
        same :math:`h`, so they are exactly the marginals of the joint KDE.
    leave_one_out : bool, default True
        Leave-one-out densities (see :func:`kde_entropy`).

    Returns
    -------
    float
        MI in nats (can be slightly negative). Constant columns are dropped (no information); with no
        column left on one side the MI is 0.

    Notes
    -----
    With :math:`\hat f_{XY}` the Gaussian KDE of kernel covariance :math:`h^2\hat\Sigma` and
    :math:`\hat f_X,\hat f_Y` its marginals (kernel covariances :math:`h^2\hat\Sigma_{XX}`,
    :math:`h^2\hat\Sigma_{YY}`; Moon, Rajagopalan & Lall 1995 [1]_):

    .. math:: \hat I = \frac1n\sum_{i=1}^n\big[\log\hat f_{XY}(x_i,y_i)-\log\hat f_X(x_i)-\log\hat f_Y(y_i)\big].

    Because the kernel covariance is proportional to :math:`\hat\Sigma`, smoothing a Gaussian keeps its
    correlation, so the smoothed population MI equals the true MI for Gaussian data.

    References
    ----------
    .. [1] Moon, Y.-I., Rajagopalan, B., Lall, U. (1995). Estimation of mutual information using kernel
       density estimators. Physical Review E 52(3), 2318–2321. doi:10.1103/PhysRevE.52.2318
    """
    x = x[:, np.ptp(x, axis=0) > 0]
    y = y[:, np.ptp(y, axis=0) > 0]
    if x.shape[1] == 0 or y.shape[1] == 0:
        return 0.0
    n = x.shape[0]
    if n < (3 if leave_one_out else 2):
        raise InvalidSampleError(f"the KDE MI needs at least {3 if leave_one_out else 2} samples; got n={n}")
    h = kde_bandwidth_factor(n, x.shape[1] + y.shape[1], bandwidth)
    lxy = _kde_log_density(np.hstack([x, y]), h, leave_one_out, "(x, y)")
    lx = _kde_log_density(x, h, leave_one_out, "x")
    ly = _kde_log_density(y, h, leave_one_out, "y")
    return float(np.mean(lxy - lx - ly))


# ============================================================================================== matrix Rényi
def _check_alpha(alpha) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or math.isnan(float(alpha)) or alpha <= 0:
        raise InvalidParameterError(f"`alpha` must be a real number > 0 (1 = von Neumann, inf allowed); got {alpha!r}")
    return float(alpha)


def _renyi_of_spectrum(lam: np.ndarray, alpha: float) -> float:
    r""":math:`\frac{1}{1-\alpha}\log\sum_i\lambda_i^\alpha` of a unit-trace PSD spectrum (nats), limits at 1, ∞."""
    lam = np.clip(lam, 0.0, None)  # eigvalsh round-off can leave eigenvalues of order -1e-17
    if alpha == 1.0:
        return float(-np.sum(_sp.xlogy(lam, lam)))
    if math.isinf(alpha):
        return float(-math.log(lam.max()))
    pos = lam[lam > 0.0]
    return float(math.log(np.sum(pos**alpha)) / (1.0 - alpha))


def matrix_renyi_entropy_from_gram(k: np.ndarray, alpha: float = 1.01) -> float:
    r"""Matrix-based Rényi α-entropy of a PSD Gram matrix ``k`` (normalised here), in nats.

    :math:`S_\alpha(A)=\frac{1}{1-\alpha}\log\operatorname{tr}(A^\alpha)`,
    :math:`A_{ij}=\frac1n\frac{K_{ij}}{\sqrt{K_{ii}K_{jj}}}` ([1]_; ``alpha=1`` gives the von Neumann entropy
    :math:`-\operatorname{tr}A\log A`, ``inf`` gives :math:`-\log\lambda_{\max}`). Memory O(n²), time O(n³).

    References
    ----------
    .. [1] Sánchez Giraldo, L. G., Rao, M., Príncipe, J. C. (2015). Measures of entropy from data using
       infinitely divisible kernels. IEEE Trans. Inf. Theory 61(1), 535–548. doi:10.1109/TIT.2014.2370058
    """
    alpha = _check_alpha(alpha)
    n = k.shape[0]
    dg = np.sqrt(np.diag(k))
    a = k / (n * np.outer(dg, dg))
    return _renyi_of_spectrum(np.linalg.eigvalsh(a), alpha)


def matrix_renyi_entropy(x: np.ndarray, alpha: float = 1.01, sigma=None) -> float:
    r"""Matrix-based Rényi α-entropy :math:`S_\alpha(A)=\frac{1}{1-\alpha}\log\operatorname{tr}(A^\alpha)` (nats).

    Parameters
    ----------
    x : ndarray of shape (n, d)
    alpha : float > 0, default 1.01
        Order α; 1 gives the von Neumann entropy, ``math.inf`` the min-entropy.
    sigma : float or None, default None
        Gaussian kernel width; ``None`` = :func:`median_heuristic` of ``x``.

    Returns
    -------
    float
        Entropy in nats, in :math:`[0, \log n]`: 0 when every point coincides (A = 11ᵀ/n), :math:`\log n`
        when the points are far apart relative to σ (A = I/n).

    Notes
    -----
    .. math::

        S_\alpha(A)=\frac{1}{1-\alpha}\log\Big[\sum_{i=1}^n\lambda_i(A)^\alpha\Big],\qquad
        A_{ij}=\frac1n\,\frac{K_{ij}}{\sqrt{K_{ii}K_{jj}}},\quad K_{ij}=\kappa_\sigma(x_i,x_j),

    the entropy functional of [1]_, in nats (the paper writes :math:`\log_2`). For the Gaussian kernel
    :math:`K_{ii}=1`, so :math:`A=K/n`. Defined by the n×n Gram matrix: memory O(n²), time O(n³) (eigvalsh).

    References
    ----------
    .. [1] Sánchez Giraldo, L. G., Rao, M., Príncipe, J. C. (2015). Measures of entropy from data using
       infinitely divisible kernels. IEEE Trans. Inf. Theory 61(1), 535–548. doi:10.1109/TIT.2014.2370058
    """
    alpha = _check_alpha(alpha)
    s = _sigma_one(sigma, x)
    k = gaussian_gram(x, s)
    k /= x.shape[0]  # K_ii = 1 for the Gaussian kernel: A = K / n
    return _renyi_of_spectrum(np.linalg.eigvalsh(k), alpha)


def _joint_normalised(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A∘B / tr(A∘B) (new array)."""
    ab = a * b
    return ab / np.trace(ab)


def matrix_renyi_joint_entropy(x: np.ndarray, y: np.ndarray, alpha: float = 1.01, sigma=None) -> float:
    r"""Matrix-based Rényi α joint entropy :math:`S_\alpha(A\circ B/\operatorname{tr}(A\circ B))` (nats).

    ``sigma``: None (median heuristic per variable), a number (both), or a pair ``(sigma_x, sigma_y)``.
    :math:`A, B` are the normalised Gram matrices of ``x`` and ``y`` (see :func:`matrix_renyi_entropy`);
    the Hadamard product is the Gram matrix of the product kernel on :math:`(x, y)` [1]_.

    References
    ----------
    .. [1] Sánchez Giraldo, L. G., Rao, M., Príncipe, J. C. (2015). Measures of entropy from data using
       infinitely divisible kernels. IEEE Trans. Inf. Theory 61(1), 535–548. doi:10.1109/TIT.2014.2370058
    """
    alpha = _check_alpha(alpha)
    sx, sy = _sigma_pair(sigma, (x,), (y,))
    n = x.shape[0]
    a = gaussian_gram(x, sx) / n
    b = gaussian_gram(y, sy) / n
    return _renyi_of_spectrum(np.linalg.eigvalsh(_joint_normalised(a, b)), alpha)


def matrix_renyi_mi(x: np.ndarray, y: np.ndarray, alpha: float = 1.01, sigma=None) -> float:
    r"""Matrix-based Rényi α MI :math:`S_\alpha(A)+S_\alpha(B)-S_\alpha(A\circ B/\operatorname{tr}(A\circ B))` (nats).

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
    alpha : float > 0, default 1.01
    sigma : None, float, or (float, float)
        ``None``: :func:`median_heuristic` per variable; a number: both; a pair: ``(sigma_x, sigma_y)``.

    Returns
    -------
    float
        MI in nats; exactly 0 when either variable is constant (its A is 11ᵀ/n, and A∘B/tr(A∘B) is then the
        other normalised Gram matrix).

    Notes
    -----
    .. math::

        I_\alpha(A;B)=S_\alpha(A)+S_\alpha(B)-S_\alpha\Big(\frac{A\circ B}{\operatorname{tr}(A\circ B)}\Big),

    the MI of [1]_ in nats. Three n×n eigendecompositions: memory O(n²), time O(n³).

    References
    ----------
    .. [1] Sánchez Giraldo, L. G., Rao, M., Príncipe, J. C. (2015). Measures of entropy from data using
       infinitely divisible kernels. IEEE Trans. Inf. Theory 61(1), 535–548. doi:10.1109/TIT.2014.2370058
    """
    alpha = _check_alpha(alpha)
    sx, sy = _sigma_pair(sigma, (x,), (y,))
    n = x.shape[0]
    a = gaussian_gram(x, sx) / n
    b = gaussian_gram(y, sy) / n
    sa = _renyi_of_spectrum(np.linalg.eigvalsh(a), alpha)
    sb = _renyi_of_spectrum(np.linalg.eigvalsh(b), alpha)
    sab = _renyi_of_spectrum(np.linalg.eigvalsh(_joint_normalised(a, b)), alpha)
    return sa + sb - sab


# ============================================================================================== Cauchy–Schwarz
def _log_gram_sum(a, b, sigma: float, same: bool) -> float:
    r""":math:`\log\sum_{ij}\kappa_\sigma(a_i,b_j)`, streamed in row blocks; no underflow to -inf."""
    left, right = _augment_pair([(a, b, -1.0 / (2.0 * sigma * sigma))])
    diag = 0.0 if same else None
    parts = []
    for s, e in _row_blocks(a.shape[0], b.shape[0]):
        blk = _exponent_block(left, right, s, e, diag)
        parts.append(_log_row_sums(blk, lambda idx, s=s: _rebuild_rows(left, right, s + idx, diag), zero_in_row=same))
    return _lse_vec(np.concatenate(parts))


def cs_divergence_samples(x: np.ndarray, y: np.ndarray, sigma=None) -> float:
    r"""Two-sample CS divergence :math:`\log\bar\kappa_{xx}+\log\bar\kappa_{yy}-2\log\bar\kappa_{xy}` (nats).

    Parameters
    ----------
    x : ndarray of shape (n, d)
        Samples of p.
    y : ndarray of shape (m, d)
        Samples of q.
    sigma : float or None, default None
        Kernel width; ``None`` = :func:`median_heuristic` of the pooled samples.

    Returns
    -------
    float
        :math:`\hat D_{CS}\ge 0` (−2 log of the cosine between the empirical kernel mean embeddings), 0 iff
        the two empirical embeddings are parallel; symmetric in ``x``, ``y``.

    Notes
    -----
    With Parzen estimates of p and q (kernel width :math:`\sqrt2\sigma` per factor, whose normalising
    constants cancel) [1]_, [2]_:

    .. math::

        \hat D_{CS}(p\|q)=\log\frac{1}{n^2}\sum_{i,j}\kappa_\sigma(x_i,x_j)
        +\log\frac{1}{m^2}\sum_{i,j}\kappa_\sigma(y_i,y_j)
        -2\log\frac{1}{nm}\sum_{i,j}\kappa_\sigma(x_i,y_j).

    The sums include :math:`i=j` (V-statistics), which makes :math:`\hat D_{CS}\ge0` by Cauchy–Schwarz. For
    :math:`N(0,1)` vs :math:`N(\mu,1)` it tends to :math:`\mu^2/(\sigma^2+2)` as n, m → ∞. The Gram
    matrices are streamed in row blocks (memory O(block·(n+m)), time O((n+m)² d)), summed in the log domain.

    References
    ----------
    .. [1] Jenssen, R., Príncipe, J. C., Erdogmus, D., Eltoft, T. (2006). The Cauchy–Schwarz divergence and
       Parzen windowing. Journal of the Franklin Institute 343(6), 614–629. doi:10.1016/j.jfranklin.2006.03.018
    .. [2] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    s = _sigma_one(sigma, x, y)
    a, b = _centre(x, y)
    n, m = a.shape[0], b.shape[0]
    lxx = _log_gram_sum(a, a, s, True) - 2.0 * math.log(n)
    lyy = _log_gram_sum(b, b, s, True) - 2.0 * math.log(m)
    lxy = _log_gram_sum(a, b, s, False) - math.log(n) - math.log(m)
    return float(lxx + lyy - 2.0 * lxy)


def _cs_qmi_sums(x: np.ndarray, y: np.ndarray, sx: float, sy: float):
    r"""One streamed pass: Σ K∘Q, Σ K∘K, Σ Q∘Q and the row sums of K and Q (self Gram matrices)."""
    (a,) = _centre(x)
    (b,) = _centre(y)
    n = a.shape[0]
    lk, rk_ = _augment(a, -1.0 / (2.0 * sx * sx))
    lq, rq_ = _augment(b, -1.0 / (2.0 * sy * sy))
    s_kq = s_kk = s_qq = 0.0
    rk = np.empty(n)
    rq = np.empty(n)
    for s, e in _row_blocks(n, n, 2):
        k = _exponent_block(lk, rk_, s, e, 0.0)
        np.exp(k, out=k)
        q = _exponent_block(lq, rq_, s, e, 0.0)
        np.exp(q, out=q)
        rk[s:e] = k.sum(axis=1)
        rq[s:e] = q.sum(axis=1)
        s_kk += float(np.einsum("ij,ij->", k, k))
        s_qq += float(np.einsum("ij,ij->", q, q))
        k *= q
        s_kq += float(k.sum())
    return s_kq, s_kk, s_qq, rk, rq


def _cs_qmi_from_sums(s_kq, sum_k, sum_q, cross):
    # log(S_KQ/N^2) + log(ΣK ΣQ / N^4) - 2 log(1'KQ1 / N^3): the powers of N cancel (2 + 4 - 6 = 0)
    return math.log(s_kq) + math.log(sum_k) + math.log(sum_q) - 2.0 * math.log(cross)


def cs_qmi(x: np.ndarray, y: np.ndarray, sigma=None) -> float:
    r"""Cauchy–Schwarz quadratic MI :math:`\hat I_{CS}(X;Y)` (Prop. 2 of [1]_), in nats.

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
        Paired samples.
    sigma : None, float, or (float, float)
        ``None``: :func:`median_heuristic` per variable; a number: both kernels; a pair: ``(sigma_x, sigma_y)``.

    Returns
    -------
    float
        :math:`\hat I_{CS}\ge 0` in nats (the paper and its code use bits). ``log n`` for distinct points as
        σ → 0 with ``y = x``; 0 as σ → ∞.

    Notes
    -----
    :math:`I_{CS}=D_{CS}(p_{XY}\,\|\,p_Xp_Y)`; with :math:`K_{ij}=\kappa_{\sigma_x}(x_i,x_j)`,
    :math:`Q_{ij}=\kappa_{\sigma_y}(y_i,y_j)` (Prop. 2 of [1]_):

    .. math::

        \hat I_{CS}=\log\Big(\frac{1}{N^2}\sum_{ij}K_{ij}Q_{ij}\Big)
        +\log\Big(\frac{1}{N^4}\sum_{ij}K_{ij}\sum_{ij}Q_{ij}\Big)
        -2\log\Big(\frac{1}{N^3}\sum_{i}\Big[\sum_jK_{ij}\Big]\Big[\sum_kQ_{ik}\Big]\Big),

    (:math:`\mathbf 1^\top KQ\mathbf 1=\sum_i(K\mathbf1)_i(Q\mathbf1)_i`). It is −2 log of a cosine of
    kernel mean embeddings, hence ≥ 0. K and Q are streamed in row blocks: memory O(block·N), time O(N² d).

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    sx, sy = _sigma_pair(sigma, (x,), (y,))
    s_kq, _, _, rk, rq = _cs_qmi_sums(x, y, sx, sy)
    return float(_cs_qmi_from_sums(s_kq, rk.sum(), rq.sum(), float(rk @ rq)))


def cs_qmi_normalized(x: np.ndarray, y: np.ndarray, sigma=None) -> float:
    r"""Normalised CS-QMI :math:`\hat I_{CS}(X;Y)/\sqrt{\hat I_{CS}(X;X)\,\hat I_{CS}(Y;Y)}` (unitless).

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
    sigma : None, float, or (float, float)
        As in :func:`cs_qmi`; :math:`\hat I_{CS}(X;X)` uses :math:`\sigma_x` for both kernels, likewise Y.

    Returns
    -------
    float
        1 exactly when ``y = x`` (same σ); 0 when either self-information is 0 to round-off (the kernel
        sees that variable as constant: no information), rather than 0/0.

    Notes
    -----
    .. math:: \tilde I_{CS}(X;Y)=\frac{\hat I_{CS}(X;Y)}{\sqrt{\hat I_{CS}(X;X)}\sqrt{\hat I_{CS}(Y;Y)}}

    (``CS_QMI_normalized`` of the code of [1]_, the compression term of CS-IB). One streamed pass.

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    sx, sy = _sigma_pair(sigma, (x,), (y,))
    s_kq, s_kk, s_qq, rk, rq = _cs_qmi_sums(x, y, sx, sy)
    sum_k, sum_q = float(rk.sum()), float(rq.sum())
    ixy = _cs_qmi_from_sums(s_kq, sum_k, sum_q, float(rk @ rq))
    ixx = _cs_qmi_from_sums(s_kk, sum_k, sum_k, float(rk @ rk))
    iyy = _cs_qmi_from_sums(s_qq, sum_q, sum_q, float(rq @ rq))
    if ixx <= _CS_ZERO or iyy <= _CS_ZERO:
        # Deviation from [1]: the code divides by sqrt(I(x,x)) and returns NaN for a constant variable;
        # here that case is 0 (a variable with no information shares none), because NaN must not escape.
        return 0.0
    return float(ixy / math.sqrt(ixx * iyy))


def cs_conditional_divergence(x: np.ndarray, y: np.ndarray, y_hat: np.ndarray, sigma=None,
                              denominator: str = "paper") -> float:
    r"""Conditional CS divergence :math:`\hat D_{CS}(p(y|x)\,\|\,q(\hat y|x))` (Prop. 1 of [1]_), in nats.

    Parameters
    ----------
    x : ndarray of shape (n, dx)
        Inputs (shared by both conditionals).
    y : ndarray of shape (n, dy)
        Targets, samples of :math:`p(y\mid x)`.
    y_hat : ndarray of shape (n, dy)
        Predictions, samples of :math:`q(\hat y\mid x)`.
    sigma : None, float, or (float, float)
        ``None``: σ_x = median heuristic of ``x``, σ_y = median heuristic of the pooled ``y`` and ``y_hat``;
        a number: both; a pair ``(sigma_x, sigma_y)``.
    denominator : {'paper', 'sum_sq'}, default 'paper'
        ``'paper'``: :math:`d_j=(\sum_iK_{ji})^2`, the KDE plug-in of Prop. 1; ``'sum_sq'``:
        :math:`d_j=\sum_iK_{ji}^2`, as in the released code (``CS_Div`` in ``loss_cs.py``).

    Returns
    -------
    float
        Divergence in nats (the paper's code uses bits); exactly 0 when ``y_hat = y``.

    Notes
    -----
    With :math:`K_{ji}=\kappa_{\sigma_x}(x_j,x_i)`, :math:`L^1_{ji}=\kappa_{\sigma_y}(y_j,y_i)`,
    :math:`L^2_{ji}=\kappa_{\sigma_y}(\hat y_j,\hat y_i)`, :math:`L^{21}_{ji}=\kappa_{\sigma_y}(\hat y_j,y_i)`:

    .. math::

        \hat D_{CS}=\log\sum_j\frac{\sum_iK_{ji}L^1_{ji}}{d_j}+\log\sum_j\frac{\sum_iK_{ji}L^2_{ji}}{d_j}
        -2\log\sum_j\frac{\sum_iK_{ji}L^{21}_{ji}}{d_j}.

    With :math:`d_j=(\sum_iK_{ji})^2` this is the plug-in of
    :math:`\iint p(y|x)^2=E_{p(x,y)}[p(x,y)/p(x)^2]` (and likewise the other two integrals) with Parzen
    estimates whose normalising constants cancel. All four Gram matrices are streamed in row blocks
    (memory O(block·n)) and summed in the log domain.

    References
    ----------
    .. [1] Yu, S., Yu, X., Løkse, S., Jenssen, R., Príncipe, J. C. (2024). Cauchy–Schwarz divergence
       information bottleneck for regression. ICLR. arXiv:2404.17951
    """
    if denominator not in ("paper", "sum_sq"):
        raise InvalidParameterError(f"`denominator` must be one of {{'paper', 'sum_sq'}}; got {denominator!r}")
    sx, sy = _sigma_pair(sigma, (x,), (y, y_hat))
    (a,) = _centre(x)
    b, c = _centre(y, y_hat)
    n = a.shape[0]
    cx, cy = -1.0 / (2.0 * sx * sx), -1.0 / (2.0 * sy * sy)
    # Exponent of K_ji (alone) and of the products K_ji L_ji: one augmented matmul each (product kernels).
    lk, rk = _augment(a, cx)
    l1, r1 = _augment(a, cx, b, cy)  # K ∘ L1
    l2, r2 = _augment(c, cy, a, cx)  # K ∘ L2 (order of the feature blocks does not matter)
    l3, r3 = _augment_pair([(a, a, cx), (c, b, cy)])  # K ∘ L21, L21_ji = kappa(y_hat_j, y_i) as in the code of [1]
    # the diagonal of K ∘ L21 pairs x_j with itself: its exponent is exactly cy·|ŷ_j − y_j|², computed
    # directly so that a tiny σ_x cannot leak round-off of cx·|x_j|² into it
    diag3 = cy * np.einsum("ij,ij->i", c - b, c - b)
    t = np.empty((3, n))
    for s, e in _row_blocks(n, n):
        blk = _exponent_block(lk, rk, s, e, 0.0)
        if denominator == "paper":
            log_den = 2.0 * _log_row_sums(blk, None, zero_in_row=True)
        else:
            blk *= 2.0
            log_den = _log_row_sums(blk, None, zero_in_row=True)
        t[0, s:e] = _log_row_sums(_exponent_block(l1, r1, s, e, 0.0), None, zero_in_row=True) - log_den
        t[1, s:e] = _log_row_sums(_exponent_block(l2, r2, s, e, 0.0), None, zero_in_row=True) - log_den
        t[2, s:e] = _log_row_sums(_exponent_block(l3, r3, s, e, diag3),
                                  lambda idx, s=s: _rebuild_rows(l3, r3, s + idx, diag3)) - log_den
    terms = _lse_rows(t)
    return float(terms[0] + terms[1] - 2.0 * terms[2])


# ============================================================================================== torch
# Differentiable versions (paper 10: the CS-IB loss). Full n×n Gram matrices (mini-batches); torch is imported
# lazily so that importing this module stays light. Gradients do not flow through a median-heuristic σ; pass
# ``sigma`` as a positive scalar tensor (or a pair of them) to learn the bandwidth.
def _torch():
    import torch

    return torch


def _sq_dists_torch(a, b, same: bool):
    torch = _torch()
    a_sq = (a * a).sum(dim=1)
    b_sq = a_sq if same else (b * b).sum(dim=1)
    d = a_sq[:, None] + b_sq[None, :] - 2.0 * (a @ b.T)
    d = torch.clamp(d, min=0.0)
    if same:
        d = d * (1.0 - torch.eye(d.shape[0], dtype=d.dtype, device=d.device))
    return d


def _centre_torch(*arrays):
    torch = _torch()
    shift = torch.cat(arrays, dim=0).mean(dim=0) if len(arrays) > 1 else arrays[0].mean(dim=0)
    return [a - shift for a in arrays]


def gaussian_gram_torch(x, sigma, y=None):
    r"""Torch Gram matrix :math:`\exp(-\|x_i-y_j\|^2/(2\sigma^2))` (differentiable; ``y=None`` means ``x``)."""
    if y is None:
        (a,) = _centre_torch(x)
        d = _sq_dists_torch(a, a, True)
    else:
        a, b = _centre_torch(x, y)
        d = _sq_dists_torch(a, b, False)
    return _torch().exp(-d / (2.0 * sigma * sigma))


def median_heuristic_torch(x, y=None) -> float:
    """:func:`median_heuristic` on tensors (same rule, same subsample; no gradient), as a Python float."""
    torch = _torch()
    with torch.no_grad():
        pts = x if y is None else torch.cat([x, y], dim=0)
        sel = _subsample_rows(pts.shape[0])
        if not isinstance(sel, slice):
            sel = torch.as_tensor(sel, device=pts.device)
        pts = pts[sel].to(torch.float64)
        if pts.shape[0] < 2:
            return 1.0
        dist = torch.pdist(pts - pts.mean(dim=0))
        srt = torch.sort(dist).values
        k = srt.numel()
        med = float(srt[k // 2]) if k % 2 else 0.5 * (float(srt[k // 2 - 1]) + float(srt[k // 2]))
        if med > 0.0:
            return med
        nz = srt[srt > 0.0]
        if nz.numel() == 0:
            return 1.0
        k = nz.numel()
        return float(nz[k // 2]) if k % 2 else 0.5 * (float(nz[k // 2 - 1]) + float(nz[k // 2]))


def _sigma_one_torch(sigma, *arrays):
    """None -> median heuristic (a float, no gradient); a number -> itself; a 1-element tensor -> itself, so a
    learnable bandwidth receives gradients."""
    torch = _torch()
    if sigma is None:
        return median_heuristic_torch(arrays[0], None if len(arrays) == 1 else torch.cat(arrays[1:], dim=0))
    if torch.is_tensor(sigma):
        if sigma.numel() != 1 or not bool((sigma.detach() > 0).all()):
            raise InvalidParameterError(f"`sigma` must be a positive scalar tensor, a number, or None; got {sigma!r}")
        return sigma.reshape(())
    return _check_sigma(sigma, "sigma")


def _sigma_pair_torch(sigma, x_arrays, y_arrays):
    if isinstance(sigma, (tuple, list)):
        if len(sigma) != 2:
            raise InvalidParameterError(f"`sigma` must be None, a number, or a pair (sigma_x, sigma_y); got {sigma!r}")
        return _sigma_one_torch(sigma[0], *x_arrays), _sigma_one_torch(sigma[1], *y_arrays)
    if sigma is None:
        return _sigma_one_torch(None, *x_arrays), _sigma_one_torch(None, *y_arrays)
    s = _sigma_one_torch(sigma)
    return s, s


def cs_divergence_samples_torch(x, y, sigma=None):
    r"""Torch :func:`cs_divergence_samples` (0-d tensor, nats, differentiable; full Gram matrices)."""
    torch = _torch()
    s = _sigma_one_torch(sigma, x, y)
    a, b = _centre_torch(x, y)
    c = -1.0 / (2.0 * s * s)
    n, m = a.shape[0], b.shape[0]
    lxx = torch.logsumexp((c * _sq_dists_torch(a, a, True)).reshape(-1), 0) - 2.0 * math.log(n)
    lyy = torch.logsumexp((c * _sq_dists_torch(b, b, True)).reshape(-1), 0) - 2.0 * math.log(m)
    lxy = torch.logsumexp((c * _sq_dists_torch(a, b, False)).reshape(-1), 0) - math.log(n) - math.log(m)
    return lxx + lyy - 2.0 * lxy


def _cs_qmi_torch_terms(k, q):
    torch = _torch()
    rk, rq = k.sum(dim=1), q.sum(dim=1)
    return torch.log((k * q).sum()) + torch.log(rk.sum()) + torch.log(rq.sum()) - 2.0 * torch.log(rk @ rq)


def cs_qmi_torch(x, y, sigma=None):
    r"""Torch :func:`cs_qmi` (Prop. 2 of [2]_ of the module; 0-d tensor, nats, differentiable)."""
    sx, sy = _sigma_pair_torch(sigma, (x,), (y,))
    return _cs_qmi_torch_terms(gaussian_gram_torch(x, sx), gaussian_gram_torch(y, sy))


def cs_qmi_normalized_torch(x, y, sigma=None):
    r"""Torch :func:`cs_qmi_normalized` (0-d tensor, differentiable); 0 when a self-information is 0."""
    torch = _torch()
    sx, sy = _sigma_pair_torch(sigma, (x,), (y,))
    k, q = gaussian_gram_torch(x, sx), gaussian_gram_torch(y, sy)
    ixy = _cs_qmi_torch_terms(k, q)
    ixx = _cs_qmi_torch_terms(k, k)
    iyy = _cs_qmi_torch_terms(q, q)
    if float(ixx.detach()) <= _CS_ZERO or float(iyy.detach()) <= _CS_ZERO:
        return torch.zeros((), dtype=ixy.dtype, device=ixy.device)  # see cs_qmi_normalized
    return ixy / torch.sqrt(ixx * iyy)


def cs_conditional_divergence_torch(x, y, y_hat, sigma=None, denominator: str = "paper"):
    r"""Torch :func:`cs_conditional_divergence` (Prop. 1 of [2]_ of the module; 0-d tensor, nats, differentiable)."""
    torch = _torch()
    if denominator not in ("paper", "sum_sq"):
        raise InvalidParameterError(f"`denominator` must be one of {{'paper', 'sum_sq'}}; got {denominator!r}")
    sx, sy = _sigma_pair_torch(sigma, (x,), (y, y_hat))
    (a,) = _centre_torch(x)
    b, c = _centre_torch(y, y_hat)
    cx, cy = -1.0 / (2.0 * sx * sx), -1.0 / (2.0 * sy * sy)
    lk = cx * _sq_dists_torch(a, a, True)
    if denominator == "paper":
        log_den = 2.0 * torch.logsumexp(lk, dim=1)
    else:
        log_den = torch.logsumexp(2.0 * lk, dim=1)
    t1 = torch.logsumexp(torch.logsumexp(lk + cy * _sq_dists_torch(b, b, True), dim=1) - log_den, dim=0)
    t2 = torch.logsumexp(torch.logsumexp(lk + cy * _sq_dists_torch(c, c, True), dim=1) - log_den, dim=0)
    t3 = torch.logsumexp(torch.logsumexp(lk + cy * _sq_dists_torch(c, b, False), dim=1) - log_den, dim=0)
    return t1 + t2 - 2.0 * t3


def _renyi_of_spectrum_torch(lam, alpha: float):
    torch = _torch()
    pos = lam > 0.0
    safe = torch.where(pos, lam, torch.ones_like(lam))  # keeps 0**alpha and 0*log 0 out of the gradient
    if alpha == 1.0:
        return -(torch.where(pos, safe * torch.log(safe), torch.zeros_like(lam))).sum()
    if math.isinf(alpha):
        return -torch.log(lam.max())
    return torch.log(torch.where(pos, safe**alpha, torch.zeros_like(lam)).sum()) / (1.0 - alpha)


def matrix_renyi_entropy_torch(x, alpha: float = 1.01, sigma=None):
    r"""Torch :func:`matrix_renyi_entropy` (0-d tensor, nats; differentiable through ``eigvalsh``)."""
    torch = _torch()
    alpha = _check_alpha(alpha)
    s = _sigma_one_torch(sigma, x)
    a = gaussian_gram_torch(x, s) / x.shape[0]
    return _renyi_of_spectrum_torch(torch.linalg.eigvalsh(a), alpha)


def matrix_renyi_mi_torch(x, y, alpha: float = 1.01, sigma=None):
    r"""Torch :func:`matrix_renyi_mi` (0-d tensor, nats; differentiable through ``eigvalsh``)."""
    torch = _torch()
    alpha = _check_alpha(alpha)
    sx, sy = _sigma_pair_torch(sigma, (x,), (y,))
    n = x.shape[0]
    a = gaussian_gram_torch(x, sx) / n
    b = gaussian_gram_torch(y, sy) / n
    ab = a * b
    ab = ab / torch.diagonal(ab).sum()
    return (_renyi_of_spectrum_torch(torch.linalg.eigvalsh(a), alpha)
            + _renyi_of_spectrum_torch(torch.linalg.eigvalsh(b), alpha)
            - _renyi_of_spectrum_torch(torch.linalg.eigvalsh(ab), alpha))
