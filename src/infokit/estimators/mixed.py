r"""Mutual information between discrete, continuous and mixed variables by nearest neighbours (kernels).

Private kernels of the estimator layer (issue 3, method family 3). They take already validated numpy arrays
— float64 ``(n, d)`` continuous data (standardised by the public layer), int64 ``(n,)`` discrete codes in
``[0, K)`` — never validate or modify their inputs, and return nats as a Python ``float``. Both run on the
shared max-norm neighbour engine :class:`~infokit.estimators._neighbors.MaxNormSpace`.

* :func:`gao_mixed_mi` — Gao, Kannan, Oh & Viswanath (2017) [1]_: a KSG-type estimator that stays consistent
  when X, Y or both have atoms (discrete values, ties). It is *the* tie-aware kNN estimator of infokit: a
  sample whose k-th neighbour is at distance 0 is treated as a point mass, and the estimate becomes a plug-in
  count there.
* :func:`ross_mi` — Ross (2014) [2]_: one discrete variable (class codes) and one continuous variable.

Both are deterministic; no noise is added unless ``jitter > 0`` is passed (then
:math:`\mathcal{N}(0, \text{jitter}^2)` noise from ``numpy.random.default_rng(random_state)`` is added to
copies of the continuous arrays).

References
----------
.. [1] Gao, W., Kannan, S., Oh, S., Viswanath, P. (2017). Estimating mutual information for
   discrete-continuous mixtures. Advances in Neural Information Processing Systems 30 (NeurIPS 2017),
   5986–5997. arXiv:1709.06212
.. [2] Ross, B. C. (2014). Mutual information between discrete and continuous data sets. PLoS ONE 9(2),
   e87357. doi:10.1371/journal.pone.0087357
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special as _sp

from ..exceptions import InvalidSampleError
from ._neighbors import MaxNormSpace, jittered, mean_digamma as _mean_digamma

__all__ = ["gao_mixed_mi", "ross_mi"]


def _rng(random_state):
    return random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)


def gao_mixed_mi(
    x: np.ndarray,
    y: np.ndarray,
    k: int = 3,
    *,
    workers: int = -1,
    jitter: float = 0.0,
    random_state=None,
    backend: str = "auto",
) -> float:
    r"""Mixed KSG MI: :math:`\frac1n\sum_i [\psi(\tilde k_i) + \log n - \psi(n_{x,i}+1) - \psi(n_{y,i}+1)]`.

    Parameters
    ----------
    x : ndarray of shape (n, dx), float64
    y : ndarray of shape (n, dy), float64
        Paired samples. Discrete columns enter as numbers (codes); continuous ones standardised. Each of X
        and Y may be discrete, continuous, or a mixture of both (ties allowed anywhere).
    k : int, default 3
        Neighbour order, ``1 <= k < n``.
    workers : int, default -1
        Threads for the neighbour queries (-1: all cores).
    jitter, random_state
        Optional N(0, jitter²) noise added to copies of ``x`` and ``y`` first (off by default; not needed —
        ties are handled exactly).
    backend : {"auto", "scipy", "sklearn"}
        Engine of the multi-dimensional count queries (identical results).

    Returns
    -------
    float
        MI estimate in nats.

    Notes
    -----
    Algorithm 1 of [1]_, with the max-norm :math:`\|(x, y)\| = \max(\|x\|_\infty, \|y\|_\infty)`. For each
    sample, :math:`\rho_i` is the distance from :math:`(x_i, y_i)` to its k-th nearest other sample.

    * :math:`\rho_i > 0` (a continuous neighbourhood): :math:`\tilde k_i = k` and
      :math:`n_{x,i} = \#\{j \ne i : \|x_j - x_i\| < \rho_i\}`, :math:`n_{y,i}` alike — the KSG-1 counts;
    * :math:`\rho_i = 0` (k or more samples coincide with sample i — an atom): :math:`\tilde k_i` is the
      number of samples at distance 0 from sample i, i itself included, and :math:`n_{x,i}`
      (:math:`n_{y,i}`) the number of other samples whose x (y) equals :math:`x_i` (:math:`y_i`);

    .. math::

        \hat I(X;Y) = \frac{1}{n} \sum_{i=1}^{n} \left[ \psi(\tilde k_i) + \log n
        - \psi(n_{x,i} + 1) - \psi(n_{y,i} + 1) \right].

    On atoms this is the plug-in term :math:`\log \frac{n\, c_{xy}}{c_x c_y}` with each logarithm of a count
    replaced by ψ (so purely discrete data give a plug-in MI); on continuous data it is KSG-1 (Eq. (8) of
    [2]_) with :math:`\log n` for :math:`\psi(n)`.

    # Deviation from [1]: the marginal terms are psi(n + 1) of strict counts (as in the authors' reference
    # code, github.com/wgao9/mixed_KSG) rather than log(n + 1) of closed-ball counts, because with closed
    # counts and logarithms the estimator is biased by about psi(k) - log(k + 1) whenever one variable is
    # discrete (measured: -0.20 nats instead of +0.111 for X ~ Bernoulli(1/2), Y = X + N(0, 1), n = 10^5).

    References
    ----------
    .. [1] Gao, W., Kannan, S., Oh, S., Viswanath, P. (2017). Estimating mutual information for
       discrete-continuous mixtures. Advances in Neural Information Processing Systems 30 (NeurIPS 2017),
       5986–5997. arXiv:1709.06212
    .. [2] Kraskov, A., Stögbauer, H., Grassberger, P. (2004). Estimating mutual information. Physical
       Review E 69(6), 066138. doi:10.1103/PhysRevE.69.066138

    Examples
    --------
    Two copies of a fair coin share log 2 = 0.693 nats:

    >>> import math
    >>> import numpy as np
    >>> c = np.random.default_rng(0).integers(0, 2, size=(5000, 1)).astype(float)
    >>> abs(gao_mixed_mi(c, c) - math.log(2)) < 0.01
    True
    """
    if jitter:
        rng = _rng(random_state)
        x, y = jittered(x, jitter, rng), jittered(y, jitter, rng)
    n = x.shape[0]
    joint = MaxNormSpace(np.hstack([x, y]), workers=workers, backend=backend)
    sx = MaxNormSpace(x, workers=workers, backend=backend)
    sy = MaxNormSpace(y, workers=workers, backend=backend)
    rho = joint.kth_neighbor_distance(k)
    k_tilde = np.full(n, k, dtype=np.int64)
    nx = sx.count_within(rho, strict=True)  # an open ball of radius 0 counts nothing ...
    ny = sy.count_within(rho, strict=True)
    atoms = np.flatnonzero(rho == 0)
    if atoms.size:  # ... so atoms count their ties instead
        zeros = np.zeros(atoms.size)
        k_tilde[atoms] = joint.count_within(zeros, strict=False, rows=atoms) + 1
        nx[atoms] = sx.count_within(zeros, strict=False, rows=atoms)
        ny[atoms] = sy.count_within(zeros, strict=False, rows=atoms)
    # Algorithm 1 of [1] (see the deviation note)
    return float(_mean_digamma(k_tilde) + math.log(n) - _mean_digamma(nx + 1) - _mean_digamma(ny + 1))


def _class_kth_1d(codes, y, k):
    """Per sample: the k_i-th neighbour distance within its own class (1-D y), k_i = min(k, N_c - 1).

    Vectorised: sort by (class, value); the k nearest same-class values lie among the k neighbours on each
    side in that order.
    """
    n = len(codes)
    v = y[:, 0]
    order = np.lexsort((v, codes))
    cs, vs = codes[order], v[order]
    pos = np.arange(n)
    win = np.full((n, 2 * k), np.inf)
    for j in range(1, k + 1):
        left = pos - j
        ok = left >= 0
        ok[ok] = cs[left[ok]] == cs[pos[ok]]
        win[ok, j - 1] = vs[pos[ok]] - vs[left[ok]]
        right = pos + j
        ok = right < n
        ok[ok] = cs[right[ok]] == cs[pos[ok]]
        win[ok, k + j - 1] = vs[right[ok]] - vs[pos[ok]]
    win.sort(axis=1)
    return order, win


def ross_mi(
    codes: np.ndarray,
    y: np.ndarray,
    k: int = 3,
    *,
    workers: int = -1,
    jitter: float = 0.0,
    random_state=None,
    backend: str = "auto",
) -> float:
    r"""Ross's MI: :math:`\psi(n) - \langle\psi(N_{c})\rangle + \langle\psi(k_i)\rangle - \langle\psi(m_i)\rangle`.

    Parameters
    ----------
    codes : ndarray of shape (n,), int64
        Discrete variable as integer codes in ``[0, K)``.
    y : ndarray of shape (n, d), float64
        Continuous variable (standardised by the public layer).
    k : int, default 3
        Neighbour order within each class.
    workers, jitter, random_state, backend
        As in :func:`gao_mixed_mi` (``jitter`` perturbs ``y`` only).

    Returns
    -------
    float
        MI estimate in nats (not clipped at 0).

    Raises
    ------
    InvalidSampleError
        If no class has two or more samples (there are no within-class neighbours).

    Notes
    -----
    For sample i of class c (:math:`N_c` samples), :math:`d_i` is the max-norm distance from :math:`y_i` to
    its :math:`k_i`-th nearest neighbour among the other samples of class c, and :math:`m_i` the number of
    samples of the whole data set within :math:`d_i` of :math:`y_i`, the :math:`k_i`-th neighbour itself
    included — computed, as scikit-learn does, as the samples strictly closer than :math:`d_i`, sample i
    itself included (the two agree without ties; with :math:`d_i = 0` it is the number of samples at
    distance 0). Eq. (2) of [1]_ averages over the samples:

    .. math::

        \hat I(X;Y) = \psi(n) - \langle \psi(N_{c_i}) \rangle + \langle \psi(k_i) \rangle - \langle \psi(m_i) \rangle.

    # Deviation from [1]: a class with fewer than k + 1 samples uses k_i = N_c - 1, and samples of classes
    # seen once are left out (n then counts the rest), because such classes have fewer than k within-class
    # neighbours; this is scikit-learn's convention, so mutual_info_classif is an exact oracle.
    # Deviation from [1]: for d > 1 the distance is the max-norm (the paper treats a scalar Y).

    References
    ----------
    .. [1] Ross, B. C. (2014). Mutual information between discrete and continuous data sets. PLoS ONE 9(2),
       e87357. doi:10.1371/journal.pone.0087357

    Examples
    --------
    A label that shifts a Gaussian by 1: X ~ Bernoulli(½), Y = X + N(0, 1) share 0.1114 nats:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> c = rng.integers(0, 2, size=20000); y = (c + rng.standard_normal(20000))[:, None]
    >>> abs(ross_mi(c, y) - 0.1114) < 0.02
    True
    """
    codes = np.asarray(codes, dtype=np.int64)
    if jitter:
        y = jittered(y, jitter, random_state)
    n, d = y.shape
    class_sizes = np.bincount(codes)
    size_i = class_sizes[codes]
    keep = size_i > 1
    if not keep.any():
        raise InvalidSampleError(
            "ross_mi: every class of the discrete variable occurs once, so no sample has a within-class "
            "neighbour; the estimate is undefined (use more samples per class, or a discrete estimator)"
        )
    if not keep.all():
        codes, y, size_i = codes[keep], y[keep], size_i[keep]
        n = len(codes)
    k_i = np.minimum(k, size_i - 1)
    dist = np.empty(n)
    if d == 1 and k <= 64:
        order, win = _class_kth_1d(codes, y, k)
        dist[order] = win[np.arange(n), k_i[order] - 1]
    else:
        by_class = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[by_class])) + 1
        for members in np.split(by_class, bounds):
            kc = int(k_i[members[0]])
            dist[members] = MaxNormSpace(y[members], workers=workers).kth_neighbor_distance(kc)
    space = MaxNormSpace(y, workers=workers, backend=backend)
    m = space.count_within(dist, strict=True) + 1  # strictly inside d_i, plus the sample itself
    zero = np.flatnonzero(dist == 0)
    if zero.size:
        m[zero] = space.count_within(np.zeros(zero.size), strict=False, rows=zero) + 1
    # Eq. (2) of [1]
    return float(
        _sp.digamma(n) - np.mean(_sp.digamma(size_i)) + np.mean(_sp.digamma(k_i)) - np.mean(_sp.digamma(m))
    )
