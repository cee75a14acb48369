"""Diffusion spectral entropy (DSE) and diffusion spectral mutual information (DSMI).

Paper 16 of the reading list, Liao, Liu et al. (2023) [1]_. A set of n representations z_1..z_n (the rows of
a layer's output over a dataset) defines a Gaussian affinity graph; the random walk on it, the diffusion
operator P = D⁻¹G, has a spectrum that summarises the geometry of the point cloud at scale σ. DSE is the
Shannon entropy of the normalised spectrum |λ|^t: ≈ log k for k tight, well separated clusters, ≈ log n for
n isolated points, 0 for a single blob — a noise-resilient measure of how many "directions of variation" the
representation has at the chosen scale. DSMI compares the DSE of random subsets with the DSE within each
class of a second variable Y.

Layout (DESIGN.md): :func:`diffusion_spectral_entropy` and :func:`diffusion_spectral_mutual_information` are
the **kernels** of the estimator contract (validated float64 ``(n, d)`` input, nats, no validation, no
mutation; the caller says whether ``y`` is discrete). :func:`estimate_diffusion_spectral_entropy` and
:func:`estimate_diffusion_spectral_mutual_information` are the validated public face with ``base=``.

Scale. With a fixed bandwidth (the paper's default σ = 10) DSE is invariant to rotations, translations and
permutations of the points but **not** to a rescaling: DSE(c·Z) → log n as c grows and → 0 as c shrinks.
``sigma="median"`` (σ = median pairwise distance) and ``sigma="knn"`` (self-tuning local scales, σ_i = distance
to the k-th neighbour, G_ij = exp(−d²_ij / (2σ_iσ_j))) make it scale invariant.

Cost: the method is defined by a dense n×n operator — O(n²) memory (8 n² bytes: 800 MB at n = 10⁴) and an
O(n³) symmetric eigensolve; ``max_n`` subsamples larger inputs.

References
----------
.. [1] Liao, D., Liu, C., Christensen, B. W., Tong, A., Huguet, G., Wolf, G., Nickel, M., Adelstein, I., &
   Krishnaswamy, S. (2023). Assessing Neural Network Representations During Training Using Noise-Resilient
   Diffusion Spectral Entropy. CISS 2024 / ICML 2023 TAG-ML workshop. arXiv:2312.04823
.. [2] Coifman, R. R., & Lafon, S. (2006). Diffusion maps. Applied and Computational Harmonic Analysis
   21(1), 5–30. doi:10.1016/j.acha.2006.04.006
.. [3] Zelnik-Manor, L., & Perona, P. (2004). Self-Tuning Spectral Clustering. NeurIPS 17.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings

import numpy as np
from scipy import linalg as _sla
from scipy.special import logsumexp

from .._units import check_base, to_base
from .._validation import check_choice, check_positive_int
from ..exceptions import InvalidParameterError, InvalidSampleError
from .binning import (
    _apply_nan_policy,
    _check_len,
    _check_nan_policy,
    _check_samples,
    _dense,
    _factorize,
    _resolve_discrete,
)

__all__ = [
    "diffusion_spectral_entropy",
    "diffusion_spectral_mutual_information",
    "estimate_diffusion_spectral_entropy",
    "estimate_diffusion_spectral_mutual_information",
    "SIGMA_RULES",
    "CLUSTERINGS",
]

#: Data-driven bandwidth rules accepted by ``sigma`` (besides a positive number).
SIGMA_RULES = ("median", "knn")
#: How a vector-valued continuous ``y`` is turned into clusters for DSMI.
CLUSTERINGS = ("kmeans", "spectral")

_MEDIAN_MAX_POINTS = 2000  # the median bandwidth is taken over the pairs of at most this many points
_KNN_BLOCK_ELEMENTS = 2**22
_SMALL_OPERATOR = 1000  # eigenproblems up to this size run on one BLAS thread (see _blas_single_thread)


# =============================================================================================== kernels
def _sq_dists(x: np.ndarray) -> np.ndarray:
    """Dense squared Euclidean distances (n, n), float64, exact zeros on the diagonal."""
    xc = x - x.mean(axis=0)  # translation invariance is exact after centring; less cancellation below
    sq = np.einsum("ij,ij->i", xc, xc)
    d2 = xc @ xc.T
    d2 *= -2.0
    d2 += sq[:, None]
    d2 += sq[None, :]
    np.maximum(d2, 0.0, out=d2)
    np.fill_diagonal(d2, 0.0)
    return d2


def _median_sigma(x: np.ndarray, rng: np.random.Generator) -> float:
    """Median pairwise Euclidean distance (over at most ``_MEDIAN_MAX_POINTS`` points, seeded)."""
    n = x.shape[0]
    pts = x if n <= _MEDIAN_MAX_POINTS else x[np.sort(rng.choice(n, _MEDIAN_MAX_POINTS, replace=False))]
    d2 = _sq_dists(pts)
    iu = np.triu_indices(pts.shape[0], 1)
    d = np.sqrt(d2[iu])
    if d.size == 0:
        return 1.0
    med = float(np.median(d))
    if med > 0:
        return med
    pos = d[d > 0]
    # more than half the pairs coincide: use the positive distances; all identical: any σ gives G = 1
    return float(np.median(pos)) if pos.size else 1.0


def _knn_scales(x: np.ndarray, k: int) -> np.ndarray:
    """Local scales σ_i = distance from z_i to its k-th nearest other point ([3]_), never 0."""
    n = x.shape[0]
    if n < 2:
        return np.ones(n)
    k = min(k, n - 1)
    xc = x - x.mean(axis=0)
    sq = np.einsum("ij,ij->i", xc, xc)
    out = np.empty(n)
    block = max(1, _KNN_BLOCK_ELEMENTS // n)
    for start in np.arange(0, n, block):
        stop = min(start + block, n)
        d2 = sq[start:stop, None] + sq[None, :] - 2.0 * (xc[start:stop] @ xc.T)
        np.maximum(d2, 0.0, out=d2)
        d2[np.arange(stop - start), np.arange(start, stop)] = 0.0
        # index k of the sorted row is the k-th neighbour (index 0 is the point itself)
        out[start:stop] = np.sqrt(np.partition(d2, k, axis=1)[:, k])
    pos = out[out > 0]
    # duplicates (>= k copies of a point) give σ_i = 0; replace by the smallest positive scale (all equal: 1)
    out[out <= 0] = pos.min() if pos.size else 1.0
    return out


def _resolve_bandwidth(x: np.ndarray, sigma, knn: int, rng: np.random.Generator):
    """A scalar σ, or a vector of per-point scales for ``sigma="knn"``."""
    if isinstance(sigma, str):
        if sigma == "median":
            return _median_sigma(x, rng)
        if sigma == "knn":
            return _knn_scales(x, knn)
        raise InvalidParameterError(f"`sigma` must be a positive number or one of {SIGMA_RULES}; got {sigma!r}")
    return float(sigma)


def _diffusion_eigenvalues(x: np.ndarray, bandwidth) -> np.ndarray:
    """Eigenvalues of the symmetric diffusion operator K = D^{-1/2} G D^{-1/2} (same spectrum as P = D⁻¹G)."""
    n = x.shape[0]
    if n == 1:
        return np.ones(1)
    g = _sq_dists(x)
    if np.ndim(bandwidth) == 0:
        s = float(bandwidth)
        if math.isinf(s):
            g[:] = 1.0
        else:
            g *= -1.0 / (2.0 * s * s)
            np.exp(g, out=g)
    else:  # self-tuning kernel exp(−d²_ij / (2 σ_i σ_j))
        inv = 1.0 / np.asarray(bandwidth, dtype=np.float64)
        g *= -0.5
        g *= inv[:, None]
        g *= inv[None, :]
        np.exp(g, out=g)
    # The 1/(σ√(2π)) factor of the reference code cancels in K and is omitted. deg_i >= G_ii = 1 > 0.
    d_inv_sqrt = 1.0 / np.sqrt(g.sum(axis=1))
    g *= d_inv_sqrt[:, None]
    g *= d_inv_sqrt[None, :]
    # float64 symmetric eigensolver, eigenvalues only (LAPACK syevd), working in place on our own matrix
    return _sla.eigvalsh(g, overwrite_a=True, check_finite=False, driver="evd")


def _spectral_entropy(eigenvalues: np.ndarray, t: float) -> float:
    """Shannon entropy (nats) of p_i = |λ_i|^t / Σ_j |λ_j|^t, computed in log space (no under/overflow)."""
    mag = np.abs(eigenvalues)
    mag = mag[mag > 0]
    if mag.size == 0:
        return 0.0
    logw = t * np.log(mag)
    logp = logw - logsumexp(logw)
    p = np.exp(logp)
    return float(max(-np.dot(p, logp), 0.0))


def _dse(x: np.ndarray, bandwidth, t: float) -> float:
    return _spectral_entropy(_diffusion_eigenvalues(x, bandwidth), t)


def _blas_single_thread(n: int):
    """Run small eigenproblems on one BLAS thread (when threadpoolctl is installed).

    A multi-threaded BLAS gains nothing on an n <= 1000 symmetric eigensolve and, when the cores are shared
    (pytest-xdist workers, DSMI's many class-sized problems), spinning threads made it 10x slower in our
    measurements. The previous limits are restored on exit.
    """
    if n > _SMALL_OPERATOR:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _rng(random_state) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(random_state)


def _subsample(x: np.ndarray, max_n, rng: np.random.Generator, extra=None):
    n = x.shape[0]
    if max_n is None or n <= max_n:
        return x, extra
    idx = np.sort(rng.choice(n, int(max_n), replace=False))
    return x[idx], (None if extra is None else extra[idx])


def diffusion_spectral_entropy(x: np.ndarray, *, sigma=10.0, t: float = 1, max_n: int | None = 10_000,
                               random_state=0, knn: int = 10) -> float:
    """Diffusion spectral entropy of the rows of ``x``, in nats (kernel; no validation).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Representations, one row per data point.
    sigma : float or {"median", "knn"}, default 10.0
        Gaussian kernel bandwidth (the paper's default 10, ``math.inf`` allowed), the median pairwise distance,
        or self-tuning local scales (distance to the ``knn``-th neighbour).
    t : float, default 1
        Diffusion time: the eigenvalues enter as |λ|^t.
    max_n : int or None, default 10_000
        Larger inputs are subsampled (seeded by ``random_state``) to this many rows.
    random_state : int, Generator or None, default 0
        Seed of the subsampling (and of the median's point sample beyond 2,000 rows).
    knn : int, default 10
        Neighbour index of ``sigma="knn"``.

    Returns
    -------
    float
        DSE in nats, in [0, log n].

    Notes
    -----
    With :math:`G_{ij} = \\exp(-\\|z_i - z_j\\|^2 / (2\\sigma^2))`, :math:`D = \\mathrm{diag}(G\\mathbf 1)`, the
    symmetric operator :math:`K = D^{-1/2} G D^{-1/2}` is similar to the diffusion operator
    :math:`P = D^{-1}G` ([2]_), so it has the same eigenvalues :math:`\\lambda_i` (real, in [0, 1] for the
    Gaussian kernel). Then ([1]_, the definition of DSE):

    .. math::

        p_i = \\frac{|\\lambda_i|^t}{\\sum_j |\\lambda_j|^t}, \\qquad
        \\mathrm{DSE}(Z) = -\\sum_i p_i \\log p_i .
    """
    # Deviation from [1]'s code: it adds machine epsilon to every p_i before the logarithm (a bias of
    # about n·ε·log(1/ε), ≈ 4e-11 bits at n = 1000); we use 0·log 0 = 0 in log space instead, and report nats
    # (the code reports bits; the public function converts with ``base=2``).
    rng = _rng(random_state)
    x, _ = _subsample(x, max_n, rng)
    bandwidth = _resolve_bandwidth(x, sigma, knn, rng)
    with _blas_single_thread(x.shape[0]):
        return _dse(x, bandwidth, float(t))


def _bin_scalar(y: np.ndarray, n_bins: int) -> np.ndarray:
    """Min–max scale a continuous scalar and cut it into ``n_bins`` equal-width bins (last bin closed)."""
    lo, hi = float(np.min(y)), float(np.max(y))
    if not hi > lo:
        return np.zeros(y.shape[0], dtype=np.int64)
    idx = np.floor((y - lo) / (hi - lo) * n_bins)
    return np.clip(idx, 0, n_bins - 1).astype(np.int64).reshape(-1)


def _kmeans(y: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    from scipy.cluster.vq import kmeans2

    k = min(k, y.shape[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "One of the clusters is empty": the labels are densified below
        _, labels = kmeans2(y, k, minit="++", seed=rng, iter=50)
    return labels.astype(np.int64)


def _spectral_clustering(y: np.ndarray, k: int, random_state) -> np.ndarray:
    try:
        from sklearn.cluster import SpectralClustering
    except ImportError as exc:  # pragma: no cover - scikit-learn is a test dependency
        raise InvalidParameterError(
            "clustering='spectral' needs scikit-learn (pip install scikit-learn); use clustering='kmeans'"
        ) from exc
    seed = random_state if isinstance(random_state, numbers.Integral) else 0
    op = SpectralClustering(n_clusters=min(k, y.shape[0] - 1), affinity="nearest_neighbors",
                            assign_labels="cluster_qr", random_state=seed)
    return op.fit(y).labels_.astype(np.int64)


def _clusters_of(y: np.ndarray, y_discrete: bool, n_clusters: int, clustering: str, random_state,
                 rng: np.random.Generator) -> np.ndarray:
    if y_discrete:
        return y.reshape(-1).astype(np.int64, copy=False)
    y2 = y if y.ndim == 2 else y[:, None]
    if y2.shape[1] == 1:
        return _bin_scalar(y2[:, 0], n_clusters)
    if clustering == "spectral":
        return _spectral_clustering(y2, n_clusters, random_state)
    return _kmeans(y2, n_clusters, rng)


def diffusion_spectral_mutual_information(x: np.ndarray, y: np.ndarray, *, sigma=10.0, t: float = 1,
                                          n_repetitions: int = 5, n_clusters: int = 10, random_state=0,
                                          y_discrete: bool = False, clustering: str = "kmeans",
                                          max_n: int | None = 10_000, knn: int = 10,
                                          return_clusters: bool = False):
    """Diffusion spectral mutual information DSMI(Z; Y), in nats (kernel; no validation).

    Parameters
    ----------
    x : ndarray of float64, shape (n, d)
        Representations Z.
    y : ndarray
        With ``y_discrete=True``: int64 class codes, shape (n,). Otherwise float64, shape (n,) or (n, 1) — a
        continuous scalar, cut into ``n_clusters`` equal-width bins after min–max scaling — or (n, d') with
        d' > 1 — clustered into ``n_clusters`` groups (``clustering``). The kernel never infers ``y_discrete``
        from the dtype: the caller says so.
    sigma, t, knn
        As in :func:`diffusion_spectral_entropy`. A data-driven ``sigma`` is resolved **once** on all of Z
        and shared by every DSE below, so that within-class and random-subset entropies use the same scale.
    n_repetitions : int, default 5
        Random subsets per class for DSE(Z*).
    n_clusters : int, default 10
        Bins / clusters for a continuous ``y``.
    random_state : int, Generator or None, default 0
        Seed of the random subsets, the k-means initialisation and the subsampling.
    clustering : {"kmeans", "spectral"}, default "kmeans"
        Vector ``y`` only. "kmeans": Lloyd's algorithm with k-means++ seeding (scipy). "spectral":
        scikit-learn's SpectralClustering with the reference code's settings (kNN affinity, cluster_qr).
    max_n : int or None, default 10_000
        Subsample Z (and Y) to this many rows first.
    return_clusters : bool, default False
        Also return the cluster code of every (kept) row.

    Returns
    -------
    float, or (float, ndarray) with ``return_clusters``
        DSMI in nats.

    Notes
    -----
    With classes c of sizes n_c ([1]_, the DSMI definition):

    .. math::

        \\mathrm{DSMI}(Z; Y) = \\sum_c \\frac{n_c}{n}
            \\Big[\\frac1R \\sum_{r=1}^R \\mathrm{DSE}(Z^{*}_{c,r}) - \\mathrm{DSE}(Z \\mid Y = c)\\Big],

    where :math:`Z^*_{c,r}` is a uniformly random subset of n_c rows, so both entropies are taken at the same
    sample size. A subset is a set: its rows keep their original order, so a class that covers all rows gives
    exactly DSE(Z) − DSE(Z) = 0 (constant Y → DSMI = 0 exactly).
    """
    # Deviation from [1]'s code: a vector-valued Y is clustered with seeded k-means by default (scipy, no
    # scikit-learn dependency); ``clustering="spectral"`` reproduces the code's SpectralClustering. And a
    # continuous scalar Y goes to bins [k/B, (k+1)/B) of the min–max scaled value with the last bin closed,
    # as the code's ``np.digitize`` does.
    # independent streams: the clustering of y never shifts the random subsets (same seed, same subsets)
    rng_sample, rng_cluster, rng = _rng(random_state).spawn(3)
    x, y = _subsample(x, max_n, rng_sample, extra=y)
    labels = _clusters_of(y, y_discrete, n_clusters, clustering, random_state, rng_cluster)
    labels, k = _dense(labels)
    bandwidth = _resolve_bandwidth(x, sigma, knn, rng_sample)
    per_point = np.ndim(bandwidth) == 1
    t = float(t)
    counts = np.bincount(labels, minlength=k)
    with _blas_single_thread(int(counts.max())):
        total = _dsmi_sum(x, labels, counts, bandwidth, per_point, t, n_repetitions, rng)
    value = float(total)
    return (value, labels) if return_clusters else value


def _dsmi_sum(x, labels, counts, bandwidth, per_point, t, n_repetitions, rng) -> float:
    n = x.shape[0]
    total = 0.0
    for c in np.arange(counts.size):
        n_c = int(counts[c])
        members = labels == c
        h_cond = _dse(x[members], bandwidth[members] if per_point else bandwidth, t)
        h_rand = 0.0
        for _ in np.arange(n_repetitions):
            idx = np.sort(rng.choice(n, n_c, replace=False))
            h_rand += _dse(x[idx], bandwidth[idx] if per_point else bandwidth, t)
        total += n_c / n * (h_rand / n_repetitions - h_cond)
    return total


# ============================================================================================ public API
def _check_sigma(sigma):
    if isinstance(sigma, str):
        return check_choice(sigma, "sigma", SIGMA_RULES)
    if isinstance(sigma, bool) or not isinstance(sigma, numbers.Real) or math.isnan(float(sigma)) or sigma <= 0:
        raise InvalidParameterError(
            f"`sigma` must be a number > 0 (math.inf allowed) or one of {SIGMA_RULES}; got {sigma!r}"
        )
    return float(sigma)


def _check_t(t):
    if isinstance(t, bool) or not isinstance(t, numbers.Real) or not math.isfinite(float(t)) or t <= 0:
        raise InvalidParameterError(f"`t` (diffusion time) must be a finite number > 0; got {t!r}")
    return float(t)


def _check_max_n(max_n):
    if max_n is None:
        return None
    return check_positive_int(max_n, "max_n", minimum=2)


def _check_random_state(random_state):
    if random_state is None or isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) or random_state < 0:
        raise InvalidParameterError(
            f"`random_state` must be None, an integer >= 0 or a numpy Generator; got {random_state!r}"
        )
    return int(random_state)


def estimate_diffusion_spectral_entropy(x, *, sigma=10.0, t: float = 1, max_n: int | None = 10_000, knn: int = 10,
                                        random_state=0, nan_policy: str = "raise", base=None) -> float:
    """Diffusion spectral entropy, ``DSE = −Σ_i p_i log p_i`` with ``p_i ∝ |λ_i|^t`` of the diffusion operator.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Representations (rows = data points; 1-D input is n scalars, trailing axes are flattened).
    sigma : float or {"median", "knn"}, default 10.0
        Gaussian kernel bandwidth. The paper's default 10 makes DSE depend on the scale of ``x`` (not scale
        invariant: DSE(c·x) → log n as c grows). "median": σ = median pairwise distance; "knn": self-tuning
        local scales — both make DSE invariant to rescaling ``x``.
    t : float, default 1
        Diffusion time (power of the eigenvalues); larger t keeps only the slow, large-scale structure
        (t → ∞: log of the number of connected components).
    max_n : int or None, default 10_000
        Subsample larger inputs to this many rows (the operator is a dense n×n matrix: 8n² bytes).
    knn : int, default 10
        Neighbour index for ``sigma="knn"``.
    random_state : int, Generator or None, default 0
        Seed of the subsampling.
    nan_policy : {"raise", "omit"}, default "raise"
        Rows with NaN/inf raise, or are dropped.
    base : float, optional
        Logarithm base (None: nats, 2: bits — the unit of the paper's figures).

    Returns
    -------
    float
        DSE in ``base`` units, in [0, log n].

    Notes
    -----
    With :math:`G_{ij} = e^{-\\|z_i - z_j\\|^2 / (2\\sigma^2)}` and :math:`D = \\mathrm{diag}(G\\mathbf 1)`, the
    eigenvalues :math:`\\lambda_i` of the diffusion operator :math:`P = D^{-1}G` (computed on its symmetric
    conjugate :math:`D^{-1/2} G D^{-1/2}` in float64) give

    .. math::

        \\mathrm{DSE}(Z) = -\\sum_{i=1}^n p_i \\log p_i, \\qquad p_i = \\frac{|\\lambda_i|^t}{\\sum_j |\\lambda_j|^t}.

    Known answers: k tight clusters far apart relative to σ → log k; n points far apart → log n; identical
    points or σ → ∞ → 0. Invariant to rotations, translations and permutations of the rows.

    References
    ----------
    .. [1] Liao, D., Liu, C., Christensen, B. W., Tong, A., Huguet, G., Wolf, G., Nickel, M., Adelstein, I., &
       Krishnaswamy, S. (2023). Assessing Neural Network Representations During Training Using Noise-Resilient
       Diffusion Spectral Entropy. arXiv:2312.04823

    Examples
    --------
    Four points, two far-apart pairs of coincident points: two clusters, 1 bit.

    >>> from infokit.estimators.spectral import estimate_diffusion_spectral_entropy
    >>> round(estimate_diffusion_spectral_entropy([[0, 0], [0, 0], [500, 0], [500, 0]], base=2), 9)
    1.0
    """
    b = check_base(base)
    sigma = _check_sigma(sigma)
    t = _check_t(t)
    max_n = _check_max_n(max_n)
    knn = check_positive_int(knn, "knn")
    random_state = _check_random_state(random_state)
    _check_nan_policy(nan_policy)
    a = _check_samples(x, "x")
    a = _apply_nan_policy({"x": a}, nan_policy)["x"]
    value = diffusion_spectral_entropy(a, sigma=sigma, t=t, max_n=max_n, random_state=random_state, knn=knn)
    return float(to_base(value, b))


def estimate_diffusion_spectral_mutual_information(x, y, *, y_discrete="auto", sigma=10.0, t: float = 1,
                                                   n_repetitions: int = 5, n_clusters: int = 10,
                                                   clustering: str = "kmeans", max_n: int | None = 10_000,
                                                   knn: int = 10, random_state=0, nan_policy: str = "raise",
                                                   base=None) -> float:
    """Diffusion spectral mutual information, ``DSMI = Σ_c p(c) [DSE(Z*) − DSE(Z | Y = c)]``.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Representations Z.
    y : array_like, shape (n,) or (n, d')
        Class labels, a continuous scalar (cut into ``n_clusters`` equal-width bins) or continuous vectors
        (clustered into ``n_clusters`` groups).
    y_discrete : bool or "auto", default "auto"
        Whether ``y`` holds class labels. "auto": labels when the dtype is integer, bool or string (the
        reference code also guesses from the dtype; pass True for float-coded labels, which would
        otherwise be binned as a continuous scalar).
    sigma, t, knn, max_n
        As in :func:`estimate_diffusion_spectral_entropy`; a data-driven ``sigma`` is resolved once on all of
        ``x`` and shared by every DSE.
    n_repetitions : int, default 5
        Random subsets per class.
    n_clusters : int, default 10
        Bins or clusters of a continuous ``y``.
    clustering : {"kmeans", "spectral"}, default "kmeans"
        Clustering of a vector ``y``: seeded k-means (scipy), or scikit-learn's SpectralClustering as in the
        reference code.
    random_state : int, Generator or None, default 0
        Seed of the subsets, the clustering and the subsampling.
    nan_policy : {"raise", "omit"}, default "raise"
        Non-finite rows raise, or are dropped from both variables.
    base : float, optional
        Logarithm base (None: nats, 2: bits).

    Returns
    -------
    float
        DSMI in ``base`` units (≈ 0 for independent Z and Y; exactly 0 for a constant Y).

    Notes
    -----
    .. math::

        \\mathrm{DSMI}(Z; Y) = \\sum_c \\frac{n_c}{n}
            \\Big[\\frac1R \\sum_{r=1}^R \\mathrm{DSE}(Z^{*}_{c,r}) - \\mathrm{DSE}(Z \\mid Y = c)\\Big]

    where :math:`Z^*_{c,r}` is a random subset of :math:`n_c` rows: DSE depends on the number of points, so the
    unconditional entropy is estimated at the class's size. For k tight, separated clusters labelled by Y,
    DSMI ≈ log k.

    References
    ----------
    .. [1] Liao, D., Liu, C., Christensen, B. W., Tong, A., Huguet, G., Wolf, G., Nickel, M., Adelstein, I., &
       Krishnaswamy, S. (2023). Assessing Neural Network Representations During Training Using Noise-Resilient
       Diffusion Spectral Entropy. arXiv:2312.04823

    Examples
    --------
    Two far-apart groups of coincident points, labelled by group: the label explains the 1 bit of DSE.

    >>> from infokit.estimators.spectral import estimate_diffusion_spectral_mutual_information
    >>> z = [[0.0]] * 20 + [[500.0]] * 20
    >>> y = [0] * 20 + [1] * 20
    >>> round(estimate_diffusion_spectral_mutual_information(z, y, n_repetitions=50, base=2), 2)
    1.0
    """
    b = check_base(base)
    sigma = _check_sigma(sigma)
    t = _check_t(t)
    n_repetitions = check_positive_int(n_repetitions, "n_repetitions")
    n_clusters = check_positive_int(n_clusters, "n_clusters")
    check_choice(clustering, "clustering", CLUSTERINGS)
    max_n = _check_max_n(max_n)
    knn = check_positive_int(knn, "knn")
    random_state = _check_random_state(random_state)
    _check_nan_policy(nan_policy)
    a = _check_samples(x, "x", min_rows=2)
    disc = _resolve_discrete(y, y_discrete, "y_discrete")
    if disc:
        ya, _ = _factorize(y, "y")
    else:
        ya = _check_samples(y, "y")
    _check_len(a.shape[0], ya.shape[0], "x", "y")
    kept = _apply_nan_policy({"x": a, "y": ya}, nan_policy)
    a, ya = kept["x"], kept["y"]
    if a.shape[0] < 2:
        raise InvalidSampleError(f"DSMI needs at least 2 rows; got {a.shape[0]} after dropping non-finite rows")
    value = diffusion_spectral_mutual_information(
        a, ya, sigma=sigma, t=t, n_repetitions=n_repetitions, n_clusters=n_clusters, random_state=random_state,
        y_discrete=disc, clustering=clustering, max_n=max_n, knn=knn,
    )
    return float(to_base(value, b))
