r"""Information-bottleneck and information-theoretic generalisation quantities of neural networks (numpy).

Two papers:

* Kawaguchi, Deng, Ji & Huang (ICML 2023) [1]_ bound the generalisation gap by the "degree of information
  bottleneck" :math:`I(X;Z\mid Y)` of a representation Z (plus a model-complexity term). For a stochastic
  Gaussian encoder :math:`q(z\mid x)=N(\mu(x),\operatorname{diag}\sigma(x)^2)` it is estimated by Monte Carlo
  over the encoder's own mixture (:func:`estimate_encoder_mutual_information`,
  :func:`estimate_degree_of_ib`); for deterministic representations by infokit's sample CMI estimators
  (:func:`estimate_degree_of_ib_samples`, within-class :func:`infokit.estimate_mutual_information`).
* He & Goldfeld (2024) [2]_ bound the generalisation error layer by layer with KL and 1-Wasserstein terms
  of the layer's representation, and tighten the KL chain with strong data-processing (contraction)
  coefficients of stochastic layers. The computable pieces are here: contraction coefficients of dropout,
  DropConnect, Gaussian noise and finite channels (:func:`dropout_contraction`,
  :func:`dropconnect_contraction`, :func:`gaussian_noise_contraction`, :func:`dobrushin_coefficient`,
  :func:`sdpi_kl_bound`), W₁ between sample sets (:func:`wasserstein1_distance`), a Gaussian-fit KL proxy
  (:func:`gaussian_kl_divergence`), a Lipschitz upper bound (:func:`lipschitz_upper_bound`) and the
  per-layer bound terms (:func:`layerwise_generalization_terms`).

Nothing here imports torch; representations are numpy arrays (or anything ``np.asarray`` accepts).

References
----------
.. [1] Kawaguchi, K., Deng, Z., Ji, X., Huang, J. (2023). How does information bottleneck help deep
   learning? ICML. arXiv:2305.18887
.. [2] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
   arXiv:2404.03176
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import special as _sp
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

from ..._units import check_base, to_base
from ..._validation import as_float_array, check_positive_int, check_probability
from ...estimators import estimate_mutual_information
from ...exceptions import (
    InvalidDistributionError,
    InvalidParameterError,
    InvalidSampleError,
    ShapeMismatchError,
)

__all__ = [
    "estimate_encoder_mutual_information",
    "estimate_degree_of_ib",
    "estimate_degree_of_ib_samples",
    "dropout_contraction",
    "dropconnect_contraction",
    "gaussian_noise_contraction",
    "dobrushin_coefficient",
    "sdpi_kl_bound",
    "wasserstein1_distance",
    "gaussian_kl_divergence",
    "lipschitz_upper_bound",
    "LayerBoundTerms",
    "layerwise_generalization_terms",
]


# ============================================================================================== helpers
def _rows(x, name: str) -> np.ndarray:
    a = as_float_array(x, name)
    if hasattr(a, "detach"):  # torch tensor
        a = a.detach().cpu().numpy().astype(np.float64)
    a = np.asarray(a, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    elif a.ndim > 2:
        a = a.reshape(a.shape[0], -1)
    if not np.isfinite(a).all():
        raise InvalidSampleError(f"`{name}` contains NaN or inf; remove those rows")
    return a


def _seed(random_state) -> np.random.Generator:
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or (isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool)):
        return np.random.default_rng(random_state)
    raise InvalidParameterError(f"`random_state` must be None, an int seed or a numpy Generator; got {random_state!r}")


def _labels(y, n: int, name: str = "y") -> np.ndarray:
    if hasattr(y, "detach"):
        y = y.detach().cpu().numpy()
    a = np.asarray(y)
    if a.ndim != 1 or a.shape[0] != n:
        raise ShapeMismatchError(f"`{name}` must be a 1-D array of {n} labels (one per row); got shape {a.shape}")
    return a


# ============================================================================================== Kawaguchi et al.
def _gauss_pair_logpdf(z: np.ndarray, mu: np.ndarray, sigma: np.ndarray) -> np.ndarray:
    r"""``L[i, j] = log N(z_i; mu_j, diag sigma_j^2)`` for all pairs, O(n²) memory (three matmuls).

    :math:`\sum_d (z_{id}-\mu_{jd})^2/\sigma_{jd}^2 = z_i^2\cdot w_j - 2 z_i\cdot(\mu_j w_j) + \mu_j^2\cdot w_j`
    with :math:`w=\sigma^{-2}`; the diagonal is recomputed directly (it carries the estimate's signal).
    """
    w = 1.0 / (sigma * sigma)
    quad = (z * z) @ w.T - 2.0 * z @ (mu * w).T + np.einsum("jd,jd->j", mu * mu, w)[None, :]
    np.maximum(quad, 0.0, out=quad)
    idx = np.arange(min(z.shape[0], mu.shape[0]))
    quad[idx, idx] = np.einsum("id,id->i", (z[idx] - mu[idx]) ** 2, w[idx])
    log_norm = -0.5 * z.shape[1] * math.log(2.0 * math.pi) - np.log(sigma).sum(axis=1)
    return log_norm[None, :] - 0.5 * quad


def _encoder_mi_nats(mu, sigma, z, jensen: bool) -> float:
    m = mu.shape[0]
    logq = _gauss_pair_logpdf(z, mu, sigma)
    own = np.diag(logq)
    if jensen:
        marg = logq.mean(axis=1)
    else:
        marg = _sp.logsumexp(logq, axis=1) - math.log(m)
    return float(np.mean(own - marg))


def _encoder_inputs(mu, sigma, z, random_state):
    mu = _rows(mu, "mu")
    sigma = _rows(sigma, "sigma")
    if sigma.shape != mu.shape:
        raise ShapeMismatchError(f"`sigma` must have the shape of `mu` {mu.shape}; got {sigma.shape}")
    if not (sigma > 0).all():
        raise InvalidParameterError(
            "`sigma` must be > 0 everywhere (standard deviations of the encoder); got a value <= 0; "
            "clamp it, e.g. softplus(s) + 1e-6"
        )
    if mu.shape[0] < 2:
        raise InvalidSampleError(f"`mu` needs at least 2 rows (inputs); got {mu.shape[0]}")
    if z is None:
        z = mu + sigma * _seed(random_state).standard_normal(mu.shape)
    else:
        z = _rows(z, "z")
        if z.shape != mu.shape:
            raise ShapeMismatchError(f"`z` must have the shape of `mu` {mu.shape}; got {z.shape}")
    return mu, sigma, z


def estimate_encoder_mutual_information(mu, sigma, *, z=None, jensen: bool = False, random_state=None,
                                        base=None) -> float:
    r"""Monte Carlo :math:`\hat I(X;Z)` of a Gaussian encoder :math:`q(z|x)=N(\mu(x),\operatorname{diag}\sigma(x)^2)`.

    Parameters
    ----------
    mu, sigma : array_like, shape (M, d)
        Encoder means and standard deviations (> 0) at M inputs :math:`x_1..x_M` drawn from the data.
    z : array_like, shape (M, d), optional
        One draw :math:`z_i\sim q(\cdot|x_i)` per input; drawn with ``random_state`` if omitted.
    jensen : bool, default False
        Replace the log of the mixture by the mean of the logs (the "Jensen" variant of the code of [1]_);
        it is larger, and not capped at log M.
    random_state : None, int or numpy Generator
    base : float, optional
        ``None`` nats, ``2`` bits.

    Returns
    -------
    float
        :math:`\hat I\in[0,\log M]` for the default estimator (in expectation; a single draw can be slightly
        negative), 0 when the encoder ignores its input.

    Notes
    -----
    The estimator of ``est_MI`` in the code of [1]_, with the data distribution replaced by the empirical
    one (so :math:`q(z)\approx\frac1M\sum_j q(z|x_j)`):

    .. math::

        \hat I(X;Z)=\frac1M\sum_{i=1}^M\Big[\log q(z_i|x_i)-\log\frac1M\sum_{j=1}^M q(z_i|x_j)\Big],
        \qquad \text{Jensen: } \log\frac1M\sum_j \to \frac1M\sum_j\log .

    It is biased low (the mixture includes :math:`q(z_i|x_i)`, so :math:`\hat I\le\log M`); for
    :math:`x\sim N(0,1)`, :math:`z=ax+s\varepsilon` it tends to :math:`\tfrac12\log(1+a^2/s^2)` as M grows.
    Time and memory O(M²) (pairwise log-densities, three matmuls).

    References
    ----------
    .. [1] Kawaguchi, K., Deng, Z., Ji, X., Huang, J. (2023). How does information bottleneck help deep
       learning? ICML. arXiv:2305.18887

    Examples
    --------
    An encoder that ignores its input carries no information:

    >>> import numpy as np
    >>> from infokit.methods.bottleneck.generalization import estimate_encoder_mutual_information
    >>> estimate_encoder_mutual_information(np.zeros((5, 2)), np.ones((5, 2)), random_state=0)
    0.0
    """
    b = check_base(base)
    mu, sigma, z = _encoder_inputs(mu, sigma, z, random_state)
    return to_base(_encoder_mi_nats(mu, sigma, z, bool(jensen)), b)


def estimate_degree_of_ib(mu, sigma, y, *, z=None, jensen: bool = False, random_state=None, base=None) -> float:
    r"""Degree of information bottleneck :math:`\hat I(X;Z\mid Y)` of a Gaussian encoder (Kawaguchi et al. [1]_).

    Parameters
    ----------
    mu, sigma : array_like, shape (M, d)
        Encoder means and standard deviations at M labelled inputs.
    y : array_like, shape (M,)
        Labels (discrete).
    z, jensen, random_state, base
        As in :func:`estimate_encoder_mutual_information`.

    Returns
    -------
    float
        :math:`\sum_c \hat p(c)\,\hat I_c(X;Z)`, where :math:`\hat I_c` is the Monte Carlo MI of
        :func:`estimate_encoder_mutual_information` computed within class c (sample and mixture both
        restricted to the class, as ``est_MI_cond`` in the code of [1]_). 0 for an encoder that depends on x
        only through y. Classes with a single sample contribute 0 (the estimator is 0 at M = 1).

    Notes
    -----
    :math:`I(X;Z|Y)=\sum_c p(c)\,I(X;Z|Y=c)`, the "unnecessary information" of [1]_, which enters their
    generalisation bound [1]_ together with the model-complexity term :math:`I(S;\theta)`
    (not estimated here: it needs a SWAG posterior over weights).

    References
    ----------
    .. [1] Kawaguchi, K., Deng, Z., Ji, X., Huang, J. (2023). How does information bottleneck help deep
       learning? ICML. arXiv:2305.18887
    """
    b = check_base(base)
    mu, sigma, z = _encoder_inputs(mu, sigma, z, random_state)
    labels = _labels(y, mu.shape[0])
    classes, codes = np.unique(labels, return_inverse=True)
    total = 0.0
    n = mu.shape[0]
    for c in range(classes.size):
        idx = np.flatnonzero(codes == c)
        if idx.size < 2:
            continue
        total += idx.size / n * _encoder_mi_nats(mu[idx], sigma[idx], z[idx], bool(jensen))
    return to_base(total, b)


def estimate_degree_of_ib_samples(x, z, y, *, method: str = "auto", k: int = 3, base=None, **method_options) -> float:
    r"""Degree of information bottleneck :math:`\hat I(X;Z\mid Y)` from samples of a (deterministic) representation.

    :math:`\sum_c\hat p(c)\,\hat I(X;Z\mid Y=c)`, each within-class MI by
    :func:`infokit.estimate_mutual_information` with ``x`` and ``z`` continuous (``method='auto'``: KSG for
    1×1, the copula-max estimator otherwise; ``'ksg'``, ``'gaussian'``, ``'kde'``, ``'binning'``, ... also
    work), as ``est_MI_cond`` of the code of [1]_ restricts the estimate to each class.

    Parameters
    ----------
    x : array_like, shape (n, dx)
    z : array_like, shape (n, dz)
        Representation of ``x``.
    y : array_like, shape (n,)
        Labels (discrete); every class needs at least ``k + 2`` rows.
    method, k, base, **method_options
        Passed on to :func:`infokit.estimate_mutual_information`.

    Returns
    -------
    float

    Notes
    -----
    For a deterministic, injective representation of a continuous X the true value is infinite; a finite
    estimate then measures the resolution of the estimator (Kawaguchi et al. [1]_ bin deterministic nets, or
    use stochastic encoders with :func:`estimate_degree_of_ib`).

    References
    ----------
    .. [1] Kawaguchi, K., Deng, Z., Ji, X., Huang, J. (2023). How does information bottleneck help deep
       learning? ICML. arXiv:2305.18887
    """
    b = check_base(base)
    xa = _rows(x, "x")
    za = _rows(z, "z")
    if za.shape[0] != xa.shape[0]:
        raise ShapeMismatchError(f"`x` and `z` must be paired (same number of rows); got {xa.shape[0]} and {za.shape[0]}")
    labels = _labels(y, xa.shape[0])
    k = check_positive_int(k, "k")
    classes, codes, counts = np.unique(labels, return_inverse=True, return_counts=True)
    small = np.flatnonzero(counts < k + 2)
    if small.size:
        raise InvalidSampleError(
            f"class {classes[small[0]].item()!r} of `y` has {counts[small[0]]} rows; the within-class estimate needs at "
            f"least k + 2 = {k + 2}; drop rare classes or lower `k`"
        )
    n = xa.shape[0]
    total = 0.0
    for c in range(classes.size):
        idx = codes == c
        total += counts[c] / n * float(estimate_mutual_information(xa[idx], za[idx], method=method, discrete=False,
                                                                   k=k, **method_options))
    return to_base(total, b)


# ============================================================================================== contraction
def _check_count(value, name):
    return check_positive_int(value, name)


def dropout_contraction(p: float, width: int) -> float:
    r"""Contraction (SDPI) coefficient bound :math:`1-p^{d}` of a dropout layer with ``width`` = d inputs.

    Parameters
    ----------
    p : float in [0, 1]
        Drop probability of each input unit.
    width : int >= 1
        Number of inputs d of the layer that dropout acts on.

    Returns
    -------
    float
        :math:`\eta\le 1-p^{d}`: with probability :math:`p^d` every input is dropped and the output is
        independent of the input, so the channel is a mixture with a constant channel (Doeblin); that bounds
        its Dobrushin coefficient :math:`\eta_{TV}` and hence :math:`\eta_{KL}\le\eta_{TV}` (the SDPI refinement of [1]_).

    Notes
    -----
    For one binary unit dropout is an erasure channel with erasure probability p, whose
    :math:`\eta_{KL}=\eta_{TV}=1-p`: the bound is tight there. For realistic widths :math:`1-p^d\approx 1`
    (p = 0.5, d = 10: 0.99902): the contraction is then nearly vacuous.

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176

    Examples
    --------
    >>> dropout_contraction(0.5, 4)
    0.9375
    """
    p = check_probability(p, "p")
    d = _check_count(width, "width")
    return float(-math.expm1(d * math.log(p))) if p > 0 else 1.0


def dropconnect_contraction(p: float, fan_in: int, fan_out: int) -> float:
    r"""Contraction coefficient bound :math:`1-p^{d_{in}d_{out}}` of a DropConnect layer.

    Each of the :math:`d_{in}d_{out}` weights is dropped independently with probability ``p``; with
    probability :math:`p^{d_{in}d_{out}}` all are, and the output no longer depends on the input (Doeblin, as
    in :func:`dropout_contraction`; the SDPI refinement of [1]_).

    Parameters
    ----------
    p : float in [0, 1]
    fan_in, fan_out : int >= 1

    Returns
    -------
    float

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176

    Examples
    --------
    >>> dropconnect_contraction(0.5, 1, 2)
    0.75
    """
    p = check_probability(p, "p")
    m = _check_count(fan_in, "fan_in") * _check_count(fan_out, "fan_out")
    return float(-math.expm1(m * math.log(p))) if p > 0 else 1.0


def gaussian_noise_contraction(radius: float, noise_std: float) -> float:
    r"""Dobrushin coefficient :math:`1-2Q(R/s)` of :math:`t\mapsto f(t)+N(0,s^2I)` with :math:`\|f\|\le R`.

    Parameters
    ----------
    radius : float >= 0
        Bound R on the norm of the noiseless output (e.g. :math:`\sqrt{d}` for tanh units).
    noise_std : float > 0
        Noise standard deviation s.

    Returns
    -------
    float
        :math:`\eta_{TV}=\sup_{\|a\|,\|b\|\le R}TV(N(a,s^2I),N(b,s^2I))=2\Phi(R/s)-1=\operatorname{erf}(R/(s\sqrt2))`,
        an upper bound on the KL contraction coefficient :math:`\eta_{KL}` (SDPI; the refinement of [1]_).

    Notes
    -----
    :math:`TV(N(a,s^2I),N(b,s^2I))=2\Phi(\|a-b\|/(2s))-1` and :math:`\|a-b\|\le 2R`. R/s = 1 gives 0.6827.

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176

    Examples
    --------
    >>> round(gaussian_noise_contraction(1.0, 1.0), 4)
    0.6827
    """
    r = float(radius) if isinstance(radius, numbers.Real) and not isinstance(radius, bool) else None
    if r is None or not (math.isfinite(r) and r >= 0):
        raise InvalidParameterError(f"`radius` must be a finite number >= 0 (a bound on ||f(t)||); got {radius!r}")
    s = float(noise_std) if isinstance(noise_std, numbers.Real) and not isinstance(noise_std, bool) else None
    if s is None or not (math.isfinite(s) and s > 0):
        raise InvalidParameterError(f"`noise_std` must be a finite number > 0; got {noise_std!r}")
    return float(math.erf(r / (s * math.sqrt(2.0))))


def dobrushin_coefficient(channel) -> float:
    r"""Dobrushin contraction coefficient :math:`\eta_{TV}(K)=\max_{x,x'}TV(K(\cdot|x),K(\cdot|x'))` of a finite channel.

    Parameters
    ----------
    channel : array_like, shape (n_inputs, n_outputs)
        Row-stochastic matrix, row x = :math:`K(\cdot|x)`.

    Returns
    -------
    float
        :math:`\eta_{TV}\in[0,1]`; :math:`\eta_{KL}\le\eta_{TV}` (SDPI). BSC(δ): :math:`|1-2\delta|`;
        erasure(ε): :math:`1-\varepsilon`.

    References
    ----------
    .. [1] Dobrushin, R. L. (1956). Central limit theorem for nonstationary Markov chains. Theory of
       Probability and its Applications 1(1), 65–80.
    .. [2] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176

    Examples
    --------
    >>> dobrushin_coefficient([[0.9, 0.1], [0.1, 0.9]])
    0.8
    """
    k = np.asarray(as_float_array(channel, "channel"), dtype=np.float64)
    if k.ndim != 2:
        raise ShapeMismatchError(f"`channel` must be a 2-D row-stochastic matrix; got shape {k.shape}")
    if not np.isfinite(k).all() or (k < 0).any():
        raise InvalidDistributionError("`channel` must have finite entries >= 0")
    sums = k.sum(axis=1)
    bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-9 * k.shape[1])
    if bad.size:
        raise InvalidDistributionError(
            f"every row of `channel` must sum to 1 (row {int(bad[0])} sums to {sums[bad[0]]:.6g}); "
            f"divide each row by its sum"
        )
    # TV between rows a and b = 1/2 sum |a - b|: pairwise cityblock distances (memory O(n_inputs^2))
    return float(0.5 * cdist(k, k, metric="cityblock").max())


def sdpi_kl_bound(kl: float, coefficients) -> float:
    r"""Strong data-processing bound :math:`D_{KL}\cdot\prod_l\eta_l` on the KL divergence after stochastic layers.

    Parameters
    ----------
    kl : float >= 0
        KL divergence (or bound) at the layer before the chain.
    coefficients : sequence of float in [0, 1]
        Contraction coefficients :math:`\eta_l` of the following layers (e.g. from :func:`dropout_contraction`).

    Returns
    -------
    float
        :math:`D_{KL}(PK_{1..L}\|QK_{1..L})\le D_{KL}(P\|Q)\prod_l\eta_{KL}(K_l)` (the SDPI refinement of [1]_).

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176
    """
    v = float(kl) if isinstance(kl, numbers.Real) and not isinstance(kl, bool) else None
    if v is None or not (v >= 0 and not math.isnan(v)):
        raise InvalidParameterError(f"`kl` must be a number >= 0; got {kl!r}")
    eta = np.asarray(coefficients, dtype=np.float64).ravel()
    if not np.isfinite(eta).all() or (eta < 0).any() or (eta > 1).any():
        raise InvalidParameterError(f"`coefficients` must lie in [0, 1]; got {coefficients!r}")
    return float(v * np.prod(eta))


# ============================================================================================== transport
_W1_METHODS = ("auto", "exact", "sliced")


def _w1_1d(a: np.ndarray, b: np.ndarray) -> float:
    """Exact W1 of two 1-D empirical measures: integral of |F_a^{-1} - F_b^{-1}| over the merged quantiles."""
    a = np.sort(a)
    b = np.sort(b)
    qa = np.arange(1, a.size + 1) / a.size
    qb = np.arange(1, b.size + 1) / b.size
    q = np.union1d(qa, qb)
    widths = np.diff(np.concatenate([[0.0], q]))
    ia = np.minimum(np.searchsorted(qa, q, side="left"), a.size - 1)
    ib = np.minimum(np.searchsorted(qb, q, side="left"), b.size - 1)
    return float(np.sum(widths * np.abs(a[ia] - b[ib])))


def wasserstein1_distance(a, b, *, method: str = "auto", n_projections: int = 256, random_state=0) -> float:
    r"""1-Wasserstein distance :math:`W_1(\hat P_a,\hat P_b)` between two empirical measures (Euclidean cost).

    Parameters
    ----------
    a : array_like, shape (n,) or (n, d)
    b : array_like, shape (m,) or (m, d)
    method : {'auto', 'exact', 'sliced'}, default 'auto'
        ``'exact'``: 1-D closed form (quantile functions), or for d > 1 and n = m an optimal assignment
        (``scipy.optimize.linear_sum_assignment``, O(n³); the optimal plan between two uniform measures of
        equal size is a permutation). ``'sliced'``: the sliced distance
        :math:`\mathbb E_\theta W_1(\theta^\top a,\theta^\top b)` over ``n_projections`` random unit directions
        — a different quantity, :math:`\le W_1`. ``'auto'``: exact for d = 1 or n = m ≤ 2000, else sliced.
    n_projections : int, default 256
    random_state : None, int or Generator, default 0

    Returns
    -------
    float

    Notes
    -----
    :math:`W_1(N(\mu_1,s^2),N(\mu_2,s^2))=|\mu_1-\mu_2|`. Sample complexity grows like :math:`n^{-1/d}`: the
    empirical W₁ of two samples of one distribution is far from 0 in high dimension.

    Examples
    --------
    >>> wasserstein1_distance([0.0, 1.0], [2.0, 3.0])
    2.0
    """
    a = _rows(a, "a")
    b = _rows(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ShapeMismatchError(f"`a` and `b` must have the same number of columns; got {a.shape[1]} and {b.shape[1]}")
    if method not in _W1_METHODS:
        raise InvalidParameterError(f"`method` must be one of {set(_W1_METHODS)}; got {method!r}")
    d = a.shape[1]
    if method == "auto":
        method = "exact" if d == 1 or (a.shape[0] == b.shape[0] and a.shape[0] <= 2000) else "sliced"
    if d == 1:
        return _w1_1d(a[:, 0], b[:, 0])
    if method == "exact":
        if a.shape[0] != b.shape[0]:
            raise InvalidParameterError(
                f"`method='exact'` for d > 1 needs samples of equal size; got {a.shape[0]} and {b.shape[0]}; "
                f"subsample the larger one or use method='sliced'"
            )
        cost = cdist(a, b)
        r, c = linear_sum_assignment(cost)
        return float(cost[r, c].mean())
    npj = check_positive_int(n_projections, "n_projections")
    theta = _seed(random_state).standard_normal((d, npj))
    theta /= np.linalg.norm(theta, axis=0, keepdims=True)
    pa, pb = a @ theta, b @ theta
    return float(np.mean([_w1_1d(pa[:, j], pb[:, j]) for j in range(npj)]))


def gaussian_kl_divergence(a, b, *, ridge: float = 1e-6, base=None) -> float:
    r"""KL divergence :math:`D_{KL}(N(\hat\mu_a,\hat\Sigma_a)\,\|\,N(\hat\mu_b,\hat\Sigma_b))` of Gaussians fitted to samples.

    A **proxy** for the KL terms of [1]_, which are not reliably estimable in high dimension: exact when
    both samples are Gaussian (up to estimation error), otherwise the KL of the moment-matched Gaussians.

    Parameters
    ----------
    a, b : array_like, shape (n, d) and (m, d)
    ridge : float >= 0, default 1e-6
        Added to the diagonals of both covariances, relative to their mean variance (dead units make them
        singular).
    base : float, optional

    Returns
    -------
    float

    Notes
    -----
    .. math:: D_{KL}=\tfrac12\big[\operatorname{tr}(\Sigma_b^{-1}\Sigma_a)+(\mu_b-\mu_a)^\top\Sigma_b^{-1}
       (\mu_b-\mu_a)-d+\log\det\Sigma_b-\log\det\Sigma_a\big].

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176
    """
    bb = check_base(base)
    a = _rows(a, "a")
    b = _rows(b, "b")
    if a.shape[1] != b.shape[1]:
        raise ShapeMismatchError(f"`a` and `b` must have the same number of columns; got {a.shape[1]} and {b.shape[1]}")
    if a.shape[0] < 2 or b.shape[0] < 2:
        raise InvalidSampleError("`a` and `b` need at least 2 rows each to fit a covariance")
    if isinstance(ridge, bool) or not isinstance(ridge, numbers.Real) or not (ridge >= 0 and math.isfinite(ridge)):
        raise InvalidParameterError(f"`ridge` must be a finite number >= 0; got {ridge!r}")
    d = a.shape[1]
    ca = np.atleast_2d(np.cov(a, rowvar=False))
    cb = np.atleast_2d(np.cov(b, rowvar=False))
    scale = max(float(np.trace(ca) + np.trace(cb)) / (2 * d), 1e-300)
    ca = ca + ridge * scale * np.eye(d)
    cb = cb + ridge * scale * np.eye(d)
    try:
        lb = np.linalg.cholesky(cb)
        la = np.linalg.cholesky(ca)
    except np.linalg.LinAlgError as exc:
        raise InvalidSampleError(
            "a fitted covariance is singular (constant or collinear columns); raise `ridge` or drop those columns"
        ) from exc
    diff = b.mean(axis=0) - a.mean(axis=0)
    sol = np.linalg.solve(lb, la)
    tr = float(np.sum(sol * sol))
    m = np.linalg.solve(lb, diff)
    maha = float(m @ m)
    logdet = 2.0 * float(np.sum(np.log(np.diag(lb))) - np.sum(np.log(np.diag(la))))
    return to_base(max(0.0, 0.5 * (tr + maha - d + logdet)), bb)


def lipschitz_upper_bound(weights, *, activation_lipschitz: float = 1.0, loss_lipschitz: float = 1.0) -> float:
    r"""Upper bound :math:`L_\ell\prod_l L_\phi\|W_l\|_2` on the Lipschitz constant of layers + loss.

    Parameters
    ----------
    weights : sequence of array_like
        Weight matrices of the downstream layers (shape (out, in), as ``nn.Linear.weight``; convolutions
        must be unrolled by the caller).
    activation_lipschitz : float, default 1.0
        Lipschitz constant of each activation (1 for ReLU / tanh).
    loss_lipschitz : float, default 1.0

    Returns
    -------
    float
        :math:`\rho_l` of the W₁ bound of [1]_ (loose: products of spectral norms).

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176
    """
    rho = float(loss_lipschitz)
    for j, w in enumerate(weights):
        if hasattr(w, "detach"):
            w = w.detach().cpu().numpy()
        m = np.asarray(w, dtype=np.float64)
        if m.ndim != 2:
            raise ShapeMismatchError(f"`weights[{j}]` must be a 2-D matrix; got shape {m.shape}")
        rho *= float(np.linalg.norm(m, 2))
        if j < len(weights) - 1:
            rho *= float(activation_lipschitz)
    return rho


@dataclass(frozen=True)
class LayerBoundTerms:
    r"""Computable terms of the layerwise bounds of He & Goldfeld for one layer.

    Attributes
    ----------
    layer : int or str
    w1 : float
        :math:`W_1` between the train and test distributions of :math:`(T_l,Y)`.
    lipschitz : float or None
        :math:`\rho_l`, the Lipschitz bound of the network above layer l composed with the loss.
    w1_bound : float or None
        :math:`\rho_l\,W_1` (the W₁ bound proxy).
    kl : float
        Gaussian-fit KL proxy :math:`D_{KL}(\hat P^{train}_{T_l}\|\hat P^{test}_{T_l})` (nats).
    kl_bound : float or None
        :math:`\sqrt{2\sigma^2 D_{KL}}` for a σ-sub-Gaussian loss (when ``sub_gaussian`` is given).
    """

    layer: object
    w1: float
    lipschitz: float | None
    w1_bound: float | None
    kl: float
    kl_bound: float | None


def layerwise_generalization_terms(train_representations, test_representations, *, train_labels=None,
                                   test_labels=None, label_weight: float = 1.0, downstream_weights=None,
                                   loss_lipschitz: float = 1.0, sub_gaussian: float | None = None,
                                   w1_method: str = "auto", n_projections: int = 256, max_samples: int = 1000,
                                   random_state=0) -> list:
    r"""Per-layer terms of the KL and W₁ generalisation bounds of He & Goldfeld [1]_ (empirical proxies).

    Parameters
    ----------
    train_representations, test_representations : sequence of array_like
        Layer outputs :math:`T_l` (one (n, d_l) array per layer, same order) on training and test inputs.
    train_labels, test_labels : array_like, optional
        Labels; when given, appended to each representation as one-hot columns times ``label_weight`` so
        that the W₁ terms compare the joint laws of :math:`(T_l,Y)`, as in the bound.
    label_weight : float, default 1.0
    downstream_weights : sequence of sequences, optional
        For each layer, the weight matrices of the layers above it (for :func:`lipschitz_upper_bound`).
    loss_lipschitz : float, default 1.0
    sub_gaussian : float, optional
        σ of a σ-sub-Gaussian loss (e.g. (b − a)/2 for a loss in [a, b]) for the KL bound term.
    w1_method, n_projections : as in :func:`wasserstein1_distance`
    max_samples : int, default 1000
        Rows used per side (evenly spaced subsample) to keep the exact W₁ at O(max_samples³).
    random_state : default 0

    Returns
    -------
    list of LayerBoundTerms

    Notes
    -----
    The W₁ bound of [1]_ reads :math:`|\mathrm{gen}|\le\rho_l\,\frac1n\sum_i\mathbb E_W\,
    W_1(P_{(T_l,Y)_i|W},P_{(T_l,Y)|W})`; the KL bound :math:`\frac1n\sum_i\sqrt{2\sigma^2 D_{KL}(\cdot)}`.
    Deviation from [1]_: the per-sample conditional laws are replaced by the empirical train-vs-test laws of
    the trained network (one W), because the per-sample laws are not observable from one training run, and
    the KL is a Gaussian-fit proxy. The numbers are diagnostics that track the bound, not certified bounds.
    The minimiser of ``w1_bound`` over l is the "generalisation funnel" layer of [1]_.

    References
    ----------
    .. [1] He, H., Goldfeld, Z. (2024). Information-theoretic generalization bounds for deep neural networks.
       arXiv:2404.03176
    """
    train = list(train_representations)
    test = list(test_representations)
    if len(train) != len(test) or not train:
        raise ShapeMismatchError(
            f"`train_representations` and `test_representations` must list the same layers; got {len(train)} "
            f"and {len(test)}"
        )
    if downstream_weights is not None and len(downstream_weights) != len(train):
        raise ShapeMismatchError(
            f"`downstream_weights` must have one entry per layer ({len(train)}); got {len(downstream_weights)}"
        )
    if (train_labels is None) != (test_labels is None):
        raise InvalidParameterError("pass both `train_labels` and `test_labels`, or neither")
    cap = check_positive_int(max_samples, "max_samples", minimum=2)
    onehot_tr = onehot_te = None
    if train_labels is not None:
        n_tr = _rows(train[0], "train_representations[0]").shape[0]
        n_te = _rows(test[0], "test_representations[0]").shape[0]
        ytr, yte = _labels(train_labels, n_tr, "train_labels"), _labels(test_labels, n_te, "test_labels")
        classes = np.unique(np.concatenate([ytr, yte]))
        onehot_tr = float(label_weight) * (ytr[:, None] == classes[None, :])
        onehot_te = float(label_weight) * (yte[:, None] == classes[None, :])
    # Deviation from [1]: train-vs-test empirical laws of one trained network replace the per-sample laws
    # P_{(T,Y)_i|W} (unobservable from one run), and the KL is a Gaussian-fit proxy (see Notes).
    out = []
    for l, (tr, te) in enumerate(zip(train, test)):
        a = _rows(tr, f"train_representations[{l}]")
        b = _rows(te, f"test_representations[{l}]")
        kl = gaussian_kl_divergence(a, b)
        if onehot_tr is not None:
            a = np.hstack([a, onehot_tr])
            b = np.hstack([b, onehot_te])
        m = min(a.shape[0], b.shape[0], cap)
        ia = np.unique(np.linspace(0, a.shape[0] - 1, m).round().astype(int))
        ib = np.unique(np.linspace(0, b.shape[0] - 1, m).round().astype(int))
        w1 = wasserstein1_distance(a[ia], b[ib], method=w1_method, n_projections=n_projections,
                                   random_state=random_state)
        rho = None
        if downstream_weights is not None:
            rho = lipschitz_upper_bound(downstream_weights[l], loss_lipschitz=loss_lipschitz)
        kl_bound = None if sub_gaussian is None else math.sqrt(2.0 * float(sub_gaussian) ** 2 * kl)
        out.append(LayerBoundTerms(layer=l, w1=w1, lipschitz=rho, w1_bound=None if rho is None else rho * w1,
                                   kl=kl, kl_bound=kl_bound))
    return out
