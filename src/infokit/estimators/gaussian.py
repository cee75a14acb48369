r"""Gaussian and Gaussian-copula estimators of entropy, mutual information and conditional MI (kernels).

Private kernels of the estimator layer (issue 3, method family 4). They take already validated float64
``(n, d)`` numpy arrays (always 2-D; rows are samples), never validate, never modify their inputs, and return
nats as a Python ``float``. The public layer standardises the columns (or, for the copula methods, leaves the
rank transform to :func:`copula_normalize`) and converts units once.

* Closed forms of a multivariate normal, evaluated on the sample covariance, with the analytic bias
  correction of Ince et al. (2017) [1]_ (the expected bias of the log-determinant of a Wishart matrix, [2]_):
  :func:`gaussian_entropy`, :func:`gaussian_mi`, :func:`gaussian_cmi`.
* Gaussian-copula versions — rank transform each column to standard normal scores first, then the closed
  form [1]_: :func:`copula_normalize`, :func:`gaussian_copula_mi`, :func:`gaussian_copula_cmi`.
* The canonical-correlation form of the Gaussian MI, with optional shrinkage of the correlation matrix
  (Ledoit–Wolf [3]_ or a fixed amount) for ``d`` close to ``n``: :func:`canonical_correlations`, :func:`cca_mi`.

Degenerate inputs. A constant column (``max == min``) carries no information and is dropped before the MI /
CMI / CCA kernels (so the MI with an all-constant side is exactly 0); its differential entropy is ``-inf``.
When a variable is an exact linear function of the others (the joint covariance is singular while the
blocks it is compared with are not), the Gaussian MI is infinite and ``inf`` is returned. Collinear columns
*within* one variable make the estimate undefined and raise :class:`~infokit.exceptions.InvalidSampleError`.

References
----------
.. [1] Ince, R. A. A., Giordano, B. L., Kayser, C., Rousselet, G. A., Gross, J., Schyns, P. G. (2017).
   A statistical framework for neuroimaging data analysis based on mutual information estimated via a
   Gaussian copula. Human Brain Mapping 38(3), 1541–1573. doi:10.1002/hbm.23471
.. [2] Misra, N., Singh, H., Demchuk, E. (2005). Estimation of the entropy of a multivariate normal
   distribution. Journal of Multivariate Analysis 92(2), 324–342. doi:10.1016/j.jmva.2003.10.003
.. [3] Ledoit, O., Wolf, M. (2004). A well-conditioned estimator for large-dimensional covariance matrices.
   Journal of Multivariate Analysis 88(2), 365–411. doi:10.1016/S0047-259X(03)00096-4
"""

from __future__ import annotations

import functools
import math
import numbers

import numpy as np
from scipy import special as _sp
from scipy import stats as _stats

from ..exceptions import InvalidParameterError, InvalidSampleError

__all__ = [
    "gaussian_entropy",
    "gaussian_entropy_bias",
    "gaussian_mi",
    "gaussian_cmi",
    "copula_normalize",
    "gaussian_copula_mi",
    "gaussian_copula_cmi",
    "canonical_correlations",
    "cca_mi",
    "ledoit_wolf_shrinkage",
]

# A pivot of the Cholesky factor of a *correlation* matrix below sqrt(_SINGULAR_TOL) means the matrix is
# singular to working precision: 1 - rho^2 < 1e-13 is a correlation indistinguishable from 1 after the
# O(n * eps) round-off of the covariance sums. It caps a finite MI at about 0.5 * log(1e13) ~ 15 nats.
_SINGULAR_TOL = 1e-13


# --------------------------------------------------------------------------------------------- helpers
@functools.lru_cache(maxsize=1024)
def gaussian_entropy_bias(d: int, n: int) -> float:
    r"""Expected bias (nats) of the plug-in Gaussian entropy of ``d`` dimensions from ``n`` samples.

    :math:`b(d, n) = \tfrac12\big[d\,(\log 2 - \log(n-1)) + \sum_{i=1}^{d}\psi\big(\tfrac{n-i}{2}\big)\big]`.

    Notes
    -----
    With the mean estimated, :math:`(n-1)\hat\Sigma \sim W_d(n-1, \Sigma)` (Wishart), and
    :math:`E\log\det W = \log\det\Sigma + d\log 2 + \sum_{i=1}^{d}\psi((n-i)/2)`. The plug-in entropy
    :math:`\tfrac12\log\det(2\pi e\hat\Sigma)` with the unbiased covariance :math:`\hat\Sigma` therefore has
    expectation :math:`H + b(d, n)`; subtracting :math:`b` gives an unbiased estimator [2]_. This is the
    correction of Ince et al. [1]_ (their ``ent_g``, ``mi_gg``, ``cmi_ggg``). ``b(0, n) = 0``; needs ``n > d``.

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    .. [2] Misra, N., Singh, H., Demchuk, E. (2005). Estimation of the entropy of a multivariate normal
       distribution. Journal of Multivariate Analysis 92(2), 324–342. doi:10.1016/j.jmva.2003.10.003
    """
    if d == 0:
        return 0.0
    i = np.arange(1, d + 1, dtype=np.float64)
    psi = _sp.digamma((n - i) / 2.0)
    return 0.5 * (d * (math.log(2.0) - math.log(n - 1.0)) + float(np.sum(psi)))


def _normal_scores_rows(a: np.ndarray) -> np.ndarray:
    """Copula normal scores Φ⁻¹(rank/(n+1)) of every row of ``a`` (average ranks for ties); a new array."""
    n = a.shape[1]
    order = np.argsort(a, axis=1)
    srt = np.take_along_axis(a, order, axis=1)
    ranks = np.empty_like(a)
    np.put_along_axis(ranks, order, np.broadcast_to(np.arange(1.0, n + 1.0), a.shape), axis=1)
    tied = np.any(srt[:, 1:] == srt[:, :-1], axis=1)
    if bool(tied.any()):  # the argsort ranks are only right without ties: average the tied ones
        ranks[tied] = _stats.rankdata(a[tied], method="average", axis=1)
    return _sp.ndtri(ranks / (n + 1.0))


def _variables_as_rows(*blocks: np.ndarray, drop_constant: bool = True,
                       copula: bool = False) -> tuple[np.ndarray, list[int]]:
    """Columns of the ``(n, d_k)`` blocks as the rows of one new contiguous ``(sum d_k, n)`` array.

    Row-major reductions over samples are several times faster than column reductions of an ``(n, d)``
    array with small d. With ``copula``, every row is replaced by its normal scores (see
    :func:`copula_normalize`). With ``drop_constant``, constant columns (``max == min``) are dropped; returns
    the array and the number of remaining columns of each block. The blocks are not modified.
    """
    dims = [b.shape[1] for b in blocks]
    a = np.empty((sum(dims), blocks[0].shape[0]))  # C order: np.concatenate of transposes would be F order
    start = 0
    for blk, dk in zip(blocks, dims):
        a[start:start + dk] = blk.T
        start += dk
    if copula:
        a = _normal_scores_rows(a)
    if not drop_constant:
        return a, dims
    keep = a.max(axis=1) > a.min(axis=1)
    if bool(keep.all()):
        return a, dims
    bounds = np.cumsum([0] + dims)
    return a[keep], [int(keep[lo:hi].sum()) for lo, hi in zip(bounds[:-1], bounds[1:])]


def _correlation(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(R, log_var)`` of variables stored as rows: correlation matrix and log unbiased (n - 1) variances.

    ``log det C[blk] = sum(log_var[blk]) + log det R[blk]`` for any block of the covariance C; working on R
    makes the singularity test scale-free. ``rows`` is not modified.
    """
    centred = rows - rows.mean(axis=1, keepdims=True)
    cov = (centred @ centred.T) / (rows.shape[1] - 1.0)
    sd = np.sqrt(cov.diagonal())
    return cov / np.outer(sd, sd), 2.0 * np.log(sd)


def _logdet(r: np.ndarray, log_var: np.ndarray, blk: slice) -> tuple[float, bool]:
    """``(log det C[blk, blk], nonsingular)`` via a Cholesky factor of the correlation block ``R[blk, blk]``.

    ``nonsingular`` is False when the block is singular to working precision (see ``_SINGULAR_TOL``).
    """
    sub = r[blk, blk]
    if sub.shape[0] == 0:
        return 0.0, True
    try:
        chol = np.linalg.cholesky(sub)
    except np.linalg.LinAlgError:
        return -math.inf, False
    piv = chol.diagonal()
    if float(piv.min()) ** 2 < _SINGULAR_TOL:
        return -math.inf, False
    return float(log_var[blk].sum() + 2.0 * np.log(piv).sum()), True


def _check_enough_samples(n: int, d: int, what: str) -> None:
    # n - 1 >= d is needed for a nonsingular sample covariance, and n > d for the digamma terms
    if n <= d:
        raise InvalidSampleError(
            f"the Gaussian {what} of {d} dimension(s) needs more samples than dimensions; got n={n}; "
            "collect more samples, reduce the dimension, or use cca_mi(..., shrinkage='ledoit_wolf')"
        )


def _signed_entropies(r, log_var, n, plus, minus_joint, bias_correct, what):
    """``sum H(plus) - sum H(minus_joint)`` (half log-dets minus biases) of column slices (see ``_correlation``).

    Singular ``minus_joint`` blocks give +inf; singular ``plus`` blocks raise. The ``(d/2) log(2 pi e)``
    constants are left out: they cancel in every MI / CMI combination used here.
    """
    total = 0.0
    for blk in plus:
        ld, ok = _logdet(r, log_var, blk)
        if not ok:
            raise InvalidSampleError(
                f"the Gaussian {what} is undefined: the sample covariance of a block of columns that enters "
                "with a + sign is singular (collinear columns within one variable, or a variable that is a "
                "linear function of the conditioning set); drop the redundant columns, or use "
                "cca_mi(..., shrinkage='ledoit_wolf')"
            )
        total += 0.5 * ld - (gaussian_entropy_bias(blk.stop - blk.start, n) if bias_correct else 0.0)
    for blk in minus_joint:
        ld, ok = _logdet(r, log_var, blk)
        if not ok:
            # Deviation from [1]: a singular joint covariance (an exact linear dependence between the
            # variables) returns +inf instead of failing in the Cholesky factorisation, because +inf is the
            # value of the Gaussian MI / CMI in that case.
            return math.inf
        total -= 0.5 * ld - (gaussian_entropy_bias(blk.stop - blk.start, n) if bias_correct else 0.0)
    return float(total)


# --------------------------------------------------------------------------------------------- closed forms
def gaussian_entropy(x: np.ndarray, bias_correct: bool = True) -> float:
    r"""Differential entropy of a Gaussian fitted to ``x``: :math:`\tfrac12\log\det(2\pi e\hat\Sigma)` (nats).

    Parameters
    ----------
    x : ndarray of shape (n, d)
        Samples (float64, validated by the caller).
    bias_correct : bool, default True
        Subtract the analytic bias :func:`gaussian_entropy_bias` of [1]_ (unbiased for Gaussian data).

    Returns
    -------
    float
        Entropy in nats; ``-inf`` if a column is constant (a degenerate Gaussian).

    Notes
    -----
    .. math::

        \hat H = \tfrac12\log\det(2\pi e\,\hat\Sigma) - b(d, n),\qquad
        \hat\Sigma = \tfrac{1}{n-1}\sum_i (x_i-\bar x)(x_i-\bar x)^\top,

    with :math:`b(d,n)=\tfrac12[d(\log2-\log(n-1))+\sum_{i=1}^d\psi((n-i)/2)]` when ``bias_correct``
    (``ent_g`` of [1]_), else 0. Gaussian entropy is not scale invariant: ``x`` is used as given.

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    n, d = x.shape
    _check_enough_samples(n, d, "entropy")
    rows, (kept,) = _variables_as_rows(x)
    if kept < d:
        return -math.inf
    r, log_var = _correlation(rows)
    ld, ok = _logdet(r, log_var, slice(0, d))
    if not ok:
        return -math.inf  # collinear columns: a degenerate (lower-dimensional) Gaussian
    h = 0.5 * ld + 0.5 * d * math.log(2.0 * math.pi * math.e)
    if bias_correct:
        h -= gaussian_entropy_bias(d, n)
    return float(h)


def gaussian_mi(x: np.ndarray, y: np.ndarray, bias_correct: bool = True) -> float:
    r"""Gaussian MI of ``(x, y)``: :math:`\tfrac12\log(\det\hat\Sigma_X\det\hat\Sigma_Y/\det\hat\Sigma)` (nats).

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
        Paired samples (float64, validated by the caller).
    bias_correct : bool, default True
        Apply the analytic bias correction of [1]_ to each of the three entropies, which makes the estimate
        unbiased for Gaussian data; without it the estimate is biased upward.

    Returns
    -------
    float
        MI in nats (may be slightly negative with ``bias_correct``; ``inf`` for an exact linear relation).

    Notes
    -----
    .. math::

        \hat I(X;Y) = \hat H(X) + \hat H(Y) - \hat H(X,Y)
                    = \tfrac12\log\frac{\det\hat\Sigma_{XX}\,\det\hat\Sigma_{YY}}{\det\hat\Sigma}
                      - b(d_x,n) - b(d_y,n) + b(d_x+d_y,n),

    :math:`\hat\Sigma` the unbiased sample covariance of the stacked ``[x, y]`` and :math:`b` the bias of
    :func:`gaussian_entropy_bias` (``mi_gg`` of [1]_). For ``d_x = d_y = 1`` the uncorrected value is
    :math:`-\tfrac12\log(1-\hat\rho^2)`. Constant columns are dropped (they carry no information).

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    return _mi_rows(*_variables_as_rows(x, y), bias_correct)


def _mi_rows(rows: np.ndarray, dims, bias_correct: bool) -> float:
    dx, dy = dims
    if dx == 0 or dy == 0:
        return 0.0
    d = dx + dy
    n = rows.shape[1]
    _check_enough_samples(n, d, "MI")
    r, log_var = _correlation(rows)
    # I = H(X) + H(Y) - H(X,Y): the joint may be singular (+inf), the marginals may not.
    return _signed_entropies(r, log_var, n, plus=[slice(0, dx), slice(dx, d)], minus_joint=[slice(0, d)],
                             bias_correct=bias_correct, what="MI")


def gaussian_cmi(x: np.ndarray, y: np.ndarray, z: np.ndarray, bias_correct: bool = True) -> float:
    r"""Conditional MI of a Gaussian fitted to ``(x, y, z)``: :math:`\hat I(X;Y\mid Z)` in nats.

    Parameters
    ----------
    x, y, z : ndarray of shape (n, dx), (n, dy), (n, dz)
        Paired samples (float64, validated by the caller).
    bias_correct : bool, default True
        Apply the analytic bias correction of [1]_ to each of the four entropies (unbiased for Gaussians).

    Returns
    -------
    float
        CMI in nats (``inf`` when x is an exact linear function of (y, z) or vice versa).

    Notes
    -----
    .. math::

        \hat I(X;Y\mid Z) = \hat H(X,Z) + \hat H(Y,Z) - \hat H(X,Y,Z) - \hat H(Z)
        = \tfrac12\log\frac{\det\hat\Sigma_{XZ}\det\hat\Sigma_{YZ}}{\det\hat\Sigma_{XYZ}\det\hat\Sigma_{Z}}
          - b(d_x{+}d_z) - b(d_y{+}d_z) + b(d_x{+}d_y{+}d_z) + b(d_z),

    (``cmi_ggg`` of [1]_). Constant columns are dropped; with no column left in ``z`` this is
    :func:`gaussian_mi`.

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    # Stack as [x, z, y] so that every block is a contiguous slice: XZ = [0, dx+dz), ZY = [dx, d),
    # Z = [dx, dx+dz), XZY = [0, d). I = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z).
    return _cmi_rows(*_variables_as_rows(x, z, y), bias_correct)


def _cmi_rows(rows: np.ndarray, dims, bias_correct: bool) -> float:
    dx, dz, dy = dims
    if dx == 0 or dy == 0:
        return 0.0
    d = dx + dy + dz
    n = rows.shape[1]
    _check_enough_samples(n, d, "CMI")
    r, log_var = _correlation(rows)
    # H(Z) enters with a minus sign but is a marginal: it must be nonsingular for the CMI to be defined.
    ldz, okz = _logdet(r, log_var, slice(dx, dx + dz))
    if not okz:
        raise InvalidSampleError(
            f"the Gaussian CMI is undefined: the sample covariance of `z` ({dz} column(s)) is singular "
            "(collinear columns); drop the redundant columns of `z`"
        )
    hz = 0.5 * ldz - (gaussian_entropy_bias(dz, n) if bias_correct else 0.0)
    return _signed_entropies(r, log_var, n, plus=[slice(0, dx + dz), slice(dx, d)], minus_joint=[slice(0, d)],
                             bias_correct=bias_correct, what="CMI") - hz


# --------------------------------------------------------------------------------------------- copula
def copula_normalize(x: np.ndarray) -> np.ndarray:
    r"""Per column, ranks to standard-normal scores :math:`\Phi^{-1}(r_i/(n+1))` (a new array).

    Parameters
    ----------
    x : ndarray of shape (n, d)

    Returns
    -------
    ndarray of shape (n, d)
        Normal scores; ties get the average of their ranks (deterministic; ``copnorm`` of [1]_ breaks ties
        by position instead). Invariant under any strictly increasing transform of a column.

    Notes
    -----
    .. math:: c_{ij} = \Phi^{-1}\!\left(\frac{\operatorname{rank}_j(x_{ij})}{n+1}\right)

    with :math:`\operatorname{rank}_j` the rank of :math:`x_{ij}` within column :math:`j` (1..n).

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    # Deviation from [1]: ties get averaged ranks (scipy.stats.rankdata 'average') instead of the
    # order-dependent ranks of a double argsort, because the result must not depend on the row order.
    rows, _ = _variables_as_rows(x, drop_constant=False, copula=True)
    return np.ascontiguousarray(rows.T)


def gaussian_copula_mi(x: np.ndarray, y: np.ndarray, bias_correct: bool = True) -> float:
    r"""Gaussian-copula MI: :func:`gaussian_mi` of the copula-normalised columns (nats).

    A lower bound on the MI of the variables' copula when it is not Gaussian, exact for a Gaussian copula;
    invariant under strictly increasing transforms of every column (the ranks do not change) [1]_.

    Notes
    -----
    .. math:: \hat I_{GC}(X;Y) = \hat I_{G}\big(c(X); c(Y)\big),\quad c = \text{copula\_normalize}

    with the bias correction of [1]_ applied as in ``gcmi_cc``.

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    return _mi_rows(*_variables_as_rows(x, y, copula=True), bias_correct)


def gaussian_copula_cmi(x: np.ndarray, y: np.ndarray, z: np.ndarray, bias_correct: bool = True) -> float:
    r"""Gaussian-copula CMI: :func:`gaussian_cmi` of the copula-normalised columns (nats).

    Notes
    -----
    .. math:: \hat I_{GC}(X;Y\mid Z) = \hat I_{G}\big(c(X); c(Y)\mid c(Z)\big)

    (``gccmi_ccc`` of [1]_). Invariant under strictly increasing transforms of every column.

    References
    ----------
    .. [1] Ince, R. A. A. et al. (2017). A statistical framework for neuroimaging data analysis based on
       mutual information estimated via a Gaussian copula. Human Brain Mapping 38(3), 1541–1573.
       doi:10.1002/hbm.23471
    """
    return _cmi_rows(*_variables_as_rows(x, z, y, copula=True), bias_correct)


# --------------------------------------------------------------------------------------------- CCA
def ledoit_wolf_shrinkage(z: np.ndarray) -> float:
    r"""Ledoit–Wolf shrinkage intensity :math:`\hat\lambda\in[0,1]` of the covariance of ``z`` toward :math:`\mu I`.

    Notes
    -----
    With :math:`z` centred, :math:`S = z^\top z/n`, :math:`\mu=\operatorname{tr}S/p` and the normalised
    Frobenius norm :math:`\|A\|^2=\operatorname{tr}(AA^\top)/p` of [1]_ (Lemmas 3.2–3.4):

    .. math::

        \hat\delta^2=\|S-\mu I\|^2,\quad
        \bar\beta^2=\frac{1}{n^2}\sum_{k=1}^n\|z_kz_k^\top-S\|^2,\quad
        \hat\beta^2=\min(\bar\beta^2,\hat\delta^2),\quad \hat\lambda=\hat\beta^2/\hat\delta^2 .

    :math:`\sum_k\|z_kz_k^\top-S\|_F^2=\sum_k\|z_k\|^4-n\|S\|_F^2` keeps the memory at O(n·p).

    References
    ----------
    .. [1] Ledoit, O., Wolf, M. (2004). A well-conditioned estimator for large-dimensional covariance
       matrices. Journal of Multivariate Analysis 88(2), 365–411. doi:10.1016/S0047-259X(03)00096-4
    """
    return _ledoit_wolf_rows(np.ascontiguousarray(z.T))


def _ledoit_wolf_rows(zt: np.ndarray) -> float:
    """:func:`ledoit_wolf_shrinkage` of variables stored as the rows of ``zt`` (p, n)."""
    p, n = zt.shape
    zc = zt - zt.mean(axis=1, keepdims=True)
    s = (zc @ zc.T) / n
    mu = float(np.trace(s)) / p
    delta2 = (float(np.sum(s * s)) - 2.0 * mu * float(np.trace(s)) + p * mu * mu) / p
    if delta2 <= 0.0:
        return 0.0  # S is already a multiple of the identity: nothing to shrink
    row_sq = np.sum(zc * zc, axis=0)  # ||z_k||^2 of every sample k
    beta2_bar = (float(np.sum(row_sq * row_sq)) - n * float(np.sum(s * s))) / (n * n * p)
    beta2 = min(max(beta2_bar, 0.0), delta2)
    return beta2 / delta2


def _shrinkage_value(shrinkage, zt_std: np.ndarray) -> float:
    if isinstance(shrinkage, str):
        if shrinkage != "ledoit_wolf":
            raise InvalidParameterError(
                f"`shrinkage` must be a number in [0, 1] or 'ledoit_wolf'; got {shrinkage!r}"
            )
        return _ledoit_wolf_rows(zt_std)
    if isinstance(shrinkage, bool) or not isinstance(shrinkage, numbers.Real) or not 0.0 <= float(shrinkage) <= 1.0:
        raise InvalidParameterError(f"`shrinkage` must be a number in [0, 1] or 'ledoit_wolf'; got {shrinkage!r}")
    return float(shrinkage)


def canonical_correlations(x: np.ndarray, y: np.ndarray, shrinkage=0.0) -> np.ndarray:
    r"""Sample canonical correlations :math:`1 > \rho_1 \ge \dots \ge \rho_m \ge 0` of ``x`` and ``y``.

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
    shrinkage : float in [0, 1] or 'ledoit_wolf', default 0.0
        Shrink the sample correlation matrix of ``[x, y]`` toward the identity,
        :math:`R_\lambda=(1-\lambda)R+\lambda I`; ``'ledoit_wolf'`` picks :math:`\lambda` by
        :func:`ledoit_wolf_shrinkage` on the standardised columns. Use it when ``dx + dy`` is close to ``n``.

    Returns
    -------
    ndarray of shape (min(dx, dy),)
        Singular values of :math:`L_X^{-1}R_{XY}L_Y^{-\top}` (:math:`R_{XX}=L_XL_X^\top`), descending;
        a value of exactly 1 marks an exact linear relation. Constant columns are dropped first.
    """
    rows, (dx, dy) = _variables_as_rows(x, y)
    if dx == 0 or dy == 0:
        return np.zeros(0)
    n = rows.shape[1]
    if n < 2:
        raise InvalidSampleError(f"canonical correlations need at least 2 samples; got n={n}")
    centred = rows - rows.mean(axis=1, keepdims=True)
    zt = centred / np.sqrt(np.mean(centred * centred, axis=1, keepdims=True))  # standardised, as rows
    r = (zt @ zt.T) / n  # correlation matrix (unit diagonal up to round-off)
    lam = _shrinkage_value(shrinkage, zt)
    if lam > 0.0:
        r = (1.0 - lam) * r + lam * np.eye(dx + dy)
    rxx, ryy, rxy = r[:dx, :dx], r[dx:, dx:], r[:dx, dx:]
    try:
        lx = np.linalg.cholesky(rxx)
        ly = np.linalg.cholesky(ryy)
    except np.linalg.LinAlgError:
        lx = ly = None
    if lx is None or float(min(np.diag(lx).min(), np.diag(ly).min())) ** 2 < _SINGULAR_TOL:
        raise InvalidSampleError(
            f"canonical correlations are undefined: the correlation matrix of `x` ({dx} columns) or `y` "
            f"({dy} columns) is singular with n={n} samples (collinear columns or d >= n); "
            "pass shrinkage='ledoit_wolf' (or a number in (0, 1])"
        )
    m = np.linalg.solve(lx, rxy)  # Lx^{-1} Rxy
    m = np.linalg.solve(ly, m.T).T  # ... Ly^{-T}
    rho = np.linalg.svd(m, compute_uv=False)
    return np.clip(rho, 0.0, 1.0)


def cca_mi(x: np.ndarray, y: np.ndarray, shrinkage=0.0) -> float:
    r"""Gaussian MI from canonical correlations: :math:`-\tfrac12\sum_i\log(1-\rho_i^2)` (nats).

    Parameters
    ----------
    x, y : ndarray of shape (n, dx) and (n, dy)
    shrinkage : float in [0, 1] or 'ledoit_wolf', default 0.0
        See :func:`canonical_correlations`; 0 reproduces :func:`gaussian_mi` with ``bias_correct=False``
        exactly (up to round-off).

    Returns
    -------
    float
        MI in nats; ``inf`` when some :math:`\rho_i = 1` to working precision.

    Notes
    -----
    For a jointly Gaussian pair the MI depends only on the canonical correlations
    (Gelfand & Yaglom, 1959; [1]_):

    .. math::

        I(X;Y) = -\tfrac12\log\det(I - R_{XX}^{-1}R_{XY}R_{YY}^{-1}R_{YX})
               = -\tfrac12\sum_{i=1}^{\min(d_x,d_y)}\log(1-\rho_i^2).

    When :math:`d_x+d_y` approaches :math:`n` the sample canonical correlations tend to 1 and the plain
    estimate diverges. Shrinking the correlation matrix (:math:`R_\lambda`, Ledoit–Wolf [2]_) keeps it finite
    and defined even for :math:`d_x+d_y\ge n`, at the price of a bias toward 0 (measured: 25 + 25 dimensions,
    n = 60, truth 5.58 nats: plain 15.6–17.3, Ledoit–Wolf 0.4–0.8, bias-corrected :func:`gaussian_mi`
    5.2–6.8). With :math:`n > d_x+d_y`, prefer :func:`gaussian_mi` with ``bias_correct=True``.

    References
    ----------
    .. [1] Gelfand, I. M., Yaglom, A. M. (1959). Calculation of the amount of information about a random
       function contained in another such function. AMS Translations Ser. 2, 12, 199–246.
    .. [2] Ledoit, O., Wolf, M. (2004). A well-conditioned estimator for large-dimensional covariance
       matrices. Journal of Multivariate Analysis 88(2), 365–411. doi:10.1016/S0047-259X(03)00096-4
    """
    rho = canonical_correlations(x, y, shrinkage=shrinkage)
    if rho.size == 0:
        return 0.0
    one_minus = 1.0 - rho * rho
    if float(one_minus.min()) < _SINGULAR_TOL:
        return math.inf
    return float(-0.5 * np.sum(np.log(one_minus))) + 0.0  # + 0.0 turns -0.0 into 0.0
