"""Permutation tests and bootstrap / half-sampling confidence intervals for any estimator.

Every function takes a ``statistic`` callable, so it works with every ``infokit.estimate_*`` function (and
with any other function of paired samples). Randomness comes from ``random_state`` only (an int seed, a
numpy ``Generator`` or ``None``), so results are reproducible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special as _special

from .._backend import is_torch
from .._validation import (
    check_choice,
    check_confidence_level,
    check_positive_int,
    check_random_state,
)
from ..exceptions import InvalidParameterError, InvalidSampleError, ShapeMismatchError

__all__ = [
    "PermutationTestResult",
    "BootstrapResult",
    "permutation_test",
    "bootstrap_ci",
    "subsample_ci",
]


@dataclass(frozen=True)
class PermutationTestResult:
    """Result of :func:`permutation_test`.

    Attributes
    ----------
    statistic : float
        The statistic on the observed (unpermuted) data.
    pvalue : float
        ``(1 + #{null >= statistic}) / (1 + n_permutations)`` for ``alternative="greater"``.
    null_distribution : numpy.ndarray
        The statistic on each permutation, shape ``(n_permutations,)``.
    null_mean : float
        Mean of the null distribution (the estimator's bias under independence; ``statistic - null_mean``
        is a bias-corrected effect size).
    alternative : str
    """

    statistic: float
    pvalue: float
    null_distribution: np.ndarray
    null_mean: float
    alternative: str

    @property
    def n_permutations(self) -> int:
        return int(self.null_distribution.size)


@dataclass(frozen=True)
class BootstrapResult:
    """Result of :func:`bootstrap_ci` and :func:`subsample_ci`.

    Attributes
    ----------
    estimate : float
        The statistic on the full data.
    confidence_interval : tuple of float
        ``(low, high)``.
    confidence_level : float
    standard_error : float
        Standard deviation of the resampled statistics (for half-sampling: of the deviations, which have
        the variance of the full-sample estimator).
    bootstrap_distribution : numpy.ndarray
        The statistic on each resample.
    method : str
    """

    estimate: float
    confidence_interval: tuple
    confidence_level: float
    standard_error: float
    bootstrap_distribution: np.ndarray
    method: str


# --------------------------------------------------------------------------------------------- helpers
def _n_rows(a, name) -> int:
    if is_torch(a):
        shape = tuple(a.shape)
    elif hasattr(a, "shape") and getattr(a, "shape", None) is not None:
        shape = tuple(a.shape)
    else:
        shape = np.shape(a)
    if len(shape) == 0:
        raise InvalidSampleError(f"`{name}` must have one row per sample (at least 1-D); got a scalar")
    return int(shape[0])


def _take_rows(a, idx):
    """Rows ``idx`` of ``a`` (numpy, list, pandas, polars or torch), as the same kind where possible."""
    if is_torch(a):
        import torch

        return a.index_select(0, torch.as_tensor(idx, device=a.device))
    if hasattr(a, "iloc"):  # pandas: positional, fresh index so that nothing aligns on labels
        out = a.iloc[idx]
        return out.reset_index(drop=True)
    if type(a).__module__.startswith("polars"):
        return a[idx]
    return np.asarray(a)[idx]


def _as_float(value, what) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidParameterError(f"`statistic` must return a real number; {what} returned {value!r}") from exc
    return v


def _check_finite(values: np.ndarray, what: str):
    bad = ~np.isfinite(values)
    if bad.any():
        raise InvalidSampleError(
            f"`statistic` returned {int(bad.sum())} non-finite value(s) on {what} (first at index "
            f"{int(np.flatnonzero(bad)[0])}); the statistic is undefined on some resamples — use a method that "
            "tolerates duplicated rows (or subsample_ci) instead"
        )


def _norm_ppf(q):
    return float(_special.ndtri(q))


# --------------------------------------------------------------------------------------------- permutation
def permutation_test(
    statistic,
    x,
    y,
    *,
    n_permutations: int = 1000,
    random_state=None,
    alternative: str = "greater",
    vectorized: bool = False,
    batch: int | None = None,
):
    r"""Permutation test of independence: recompute ``statistic(x, y)`` with the rows of ``y`` shuffled.

    Under :math:`H_0: X \perp Y`, every pairing of rows is equally likely, so the permuted statistics form the
    null distribution. The p-value counts the observed statistic as one of the permutations [1]_:

    .. math::  p = \frac{1 + \#\{b : T_b \ge T_{obs}\}}{1 + B}

    which is never 0 and is exact (valid at every level) for any ``B``.

    Parameters
    ----------
    statistic : callable
        ``statistic(x, y) -> float`` — e.g. ``infokit.estimate_mutual_information`` or a lambda around it.
        With ``vectorized=True`` it must accept ``y`` with an extra leading axis of permutations and return
        one value per permutation.
    x, y : array_like
        Paired samples (numpy, lists, pandas, polars or torch), one row per observation. ``x`` is never
        permuted; only the rows of ``y`` are.
    n_permutations : int
        Number of permutations ``B``.
    random_state : None, int or numpy.random.Generator
        Seed for the permutations (the test is deterministic given an int seed).
    alternative : {"greater", "less", "two-sided"}
        "greater" for dependence measures (MI is large under dependence); "two-sided" doubles the smaller
        one-sided p-value (capped at 1).
    vectorized : bool
        Call ``statistic`` once per batch of permutations (numpy inputs only).
    batch : int, optional
        Permutations per vectorised call (default: all at once).

    Returns
    -------
    PermutationTestResult
        ``statistic``, ``pvalue``, ``null_distribution``, ``null_mean``, ``alternative``.

    References
    ----------
    .. [1] Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero. Statistical
       Applications in Genetics and Molecular Biology 9(1). doi:10.2202/1544-6115.1585

    Examples
    --------
    A copy of a fair coin is perfectly dependent on it; no permutation reaches the observed MI of
    log 2 nats, so the p-value is the smallest possible, 1 / (1 + 99) = 0.01:

    >>> import numpy as np
    >>> from infokit.stats import permutation_test
    >>> from infokit.estimators import estimate_mutual_information
    >>> x = np.array([0, 1] * 50)
    >>> res = permutation_test(lambda a, b: estimate_mutual_information(a, b, method="plugin"), x, x.copy(),
    ...                        n_permutations=99, random_state=0)
    >>> round(res.statistic, 4), res.pvalue
    (0.6931, 0.01)
    """
    if not callable(statistic):
        raise InvalidParameterError(f"`statistic` must be callable; got {type(statistic).__name__}")
    B = check_positive_int(n_permutations, "n_permutations")
    check_choice(alternative, "alternative", ("greater", "less", "two-sided"))
    n = _n_rows(x, "x")
    ny = _n_rows(y, "y")
    if n != ny:
        raise ShapeMismatchError(
            f"`x` and `y` must have the same number of rows (paired samples); got {n} and {ny}"
        )
    rng = check_random_state(random_state)
    observed = _as_float(statistic(x, y), "the observed data")
    if not math.isfinite(observed):
        raise InvalidSampleError(f"`statistic` returned {observed} on the observed data; it must be finite")
    perms = np.stack([rng.permutation(n) for _ in range(B)]) if B else np.empty((0, n), dtype=np.int64)
    if vectorized:
        if is_torch(y) or hasattr(y, "iloc"):
            raise InvalidParameterError("`vectorized=True` needs numpy inputs; convert `y` with np.asarray")
        ya = np.asarray(y)
        step = B if batch is None else check_positive_int(batch, "batch")
        chunks = []
        for s in range(0, B, step):
            vals = np.asarray(statistic(x, ya[perms[s : s + step]]), dtype=np.float64).reshape(-1)
            if vals.size != min(step, B - s):
                raise InvalidParameterError(
                    f"a vectorised `statistic` must return one value per permutation; got {vals.size} values for "
                    f"{min(step, B - s)} permutations"
                )
            chunks.append(vals)
        null = np.concatenate(chunks) if chunks else np.empty(0)
    else:
        null = np.array([_as_float(statistic(x, _take_rows(y, p)), "a permutation") for p in perms])
    _check_finite(null, "the permutations")
    return _permutation_result(observed, null, alternative)


def _permutation_result(observed: float, null: np.ndarray, alternative: str) -> PermutationTestResult:
    B = null.size
    # the tolerance makes exact ties (same value up to round-off) count as "as extreme" (conservative)
    tol = 1e-12 * max(1.0, abs(observed))
    p_greater = (1 + int(np.sum(null >= observed - tol))) / (1 + B)
    p_less = (1 + int(np.sum(null <= observed + tol))) / (1 + B)
    if alternative == "greater":
        p = p_greater
    elif alternative == "less":
        p = p_less
    else:
        p = min(1.0, 2 * min(p_greater, p_less))
    return PermutationTestResult(
        statistic=float(observed),
        pvalue=float(p),
        null_distribution=null,
        null_mean=float(null.mean()) if B else float("nan"),
        alternative=alternative,
    )


# --------------------------------------------------------------------------------------------- bootstrap
def _resample_all(data, idx_per_sample):
    return [_take_rows(d, i) for d, i in zip(data, idx_per_sample)]


def bootstrap_ci(
    statistic,
    *data,
    n_resamples: int = 1000,
    confidence_level: float = 0.95,
    method: str = "percentile",
    random_state=None,
    paired: bool = True,
    vectorized: bool = False,
):
    r"""Bootstrap confidence interval of ``statistic(*data)``: resample rows with replacement [1]_.

    With bootstrap replicates :math:`T^*_1..T^*_B` and :math:`\alpha = 1 - ` ``confidence_level``:

    * ``"percentile"``: :math:`[q_{\alpha/2}(T^*), q_{1-\alpha/2}(T^*)]`;
    * ``"basic"``: :math:`[2T - q_{1-\alpha/2}(T^*), 2T - q_{\alpha/2}(T^*)]` (reflects the bootstrap bias);
    * ``"bca"``: bias-corrected and accelerated, Eq. (14.9)–(14.15) of [1]_, with the acceleration from a
      jackknife over at most 200 groups of rows.

    Parameters
    ----------
    statistic : callable
        ``statistic(*data) -> float``. With ``vectorized=True`` it must accept each data array with an extra
        leading axis of resamples and return one value per resample.
    *data : array_like
        One or more samples (numpy, lists, pandas, polars or torch), one row per observation.
    n_resamples : int
        Number of bootstrap resamples ``B``.
    confidence_level : float
        In (0, 1).
    method : {"percentile", "basic", "bca"}
    random_state : None, int or numpy.random.Generator
    paired : bool
        True (default): the data are paired rows, resampled with the same indices (MI, CMI). False: each
        sample is resampled independently (e.g. two samples of a KL divergence).
    vectorized : bool
        Call ``statistic`` once on all resamples (numpy inputs only).

    Returns
    -------
    BootstrapResult
        ``estimate``, ``confidence_interval``, ``standard_error``, ``bootstrap_distribution``.

    Notes
    -----
    kNN and kernel estimators are not smooth under resampling with replacement: a duplicated row has a
    neighbour at distance 0. Use :func:`subsample_ci` for them (the ``ci=`` option of the ``estimate_*``
    functions does this automatically).

    # Deviation from [1]: BCa uses a grouped (delete-a-group) jackknife with at most 200 groups, because the
    # full jackknife costs n evaluations of the statistic.

    References
    ----------
    .. [1] Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall/CRC.
       doi:10.1201/9780429246593

    Examples
    --------
    The mean of 0, 1, ..., 99 is 49.5; its 95 % percentile interval lies around it:

    >>> import numpy as np
    >>> from infokit.stats import bootstrap_ci
    >>> res = bootstrap_ci(np.mean, np.arange(100.0), n_resamples=2000, random_state=0)
    >>> res.estimate
    49.5
    >>> bool(res.confidence_interval[0] < 49.5 < res.confidence_interval[1])
    True
    """
    if not callable(statistic):
        raise InvalidParameterError(f"`statistic` must be callable; got {type(statistic).__name__}")
    if not data:
        raise InvalidParameterError("`bootstrap_ci` needs at least one data sample after `statistic`")
    B = check_positive_int(n_resamples, "n_resamples")
    level = check_confidence_level(confidence_level)
    check_choice(method, "method", ("percentile", "basic", "bca"))
    rng = check_random_state(random_state)
    ns = [_n_rows(d, f"data[{i}]") for i, d in enumerate(data)]
    if paired and len(set(ns)) > 1:
        raise ShapeMismatchError(
            f"paired samples must have the same number of rows; got {ns}; pass paired=False to resample "
            "each sample independently"
        )
    estimate = _as_float(statistic(*data), "the full data")
    if not math.isfinite(estimate):
        raise InvalidSampleError(f"`statistic` returned {estimate} on the full data; it must be finite")

    def draw():
        if paired:
            i = rng.integers(0, ns[0], size=ns[0])
            return [i] * len(data)
        return [rng.integers(0, m, size=m) for m in ns]

    draws = [draw() for _ in range(B)]
    if vectorized:
        if any(is_torch(d) or hasattr(d, "iloc") for d in data):
            raise InvalidParameterError("`vectorized=True` needs numpy inputs; convert the data with np.asarray")
        arrays = [np.asarray(d) for d in data]
        batched = [a[np.stack([dr[j] for dr in draws])] for j, a in enumerate(arrays)]
        boot = np.asarray(statistic(*batched), dtype=np.float64).reshape(-1)
        if boot.size != B:
            raise InvalidParameterError(
                f"a vectorised `statistic` must return one value per resample; got {boot.size} for {B}"
            )
    else:
        boot = np.array([_as_float(statistic(*_resample_all(data, dr)), "a resample") for dr in draws])
    _check_finite(boot, "the bootstrap resamples")
    alpha = 1.0 - level
    lo_q, hi_q = alpha / 2, 1 - alpha / 2
    if method == "percentile":
        ci = (float(np.quantile(boot, lo_q)), float(np.quantile(boot, hi_q)))
    elif method == "basic":
        ci = (float(2 * estimate - np.quantile(boot, hi_q)), float(2 * estimate - np.quantile(boot, lo_q)))
    else:
        ci = _bca(statistic, data, ns, paired, estimate, boot, lo_q, hi_q, rng)
    return BootstrapResult(
        estimate=float(estimate),
        confidence_interval=ci,
        confidence_level=level,
        standard_error=float(boot.std(ddof=1)) if B > 1 else 0.0,
        bootstrap_distribution=boot,
        method=method,
    )


def _bca(statistic, data, ns, paired, estimate, boot, lo_q, hi_q, rng):
    # bias correction z0 (Eq. 14.14 of Efron & Tibshirani), ties counted half
    frac = (np.sum(boot < estimate) + 0.5 * np.sum(boot == estimate)) / boot.size
    frac = min(max(frac, 1.0 / (2 * boot.size)), 1 - 1.0 / (2 * boot.size))
    z0 = _norm_ppf(frac)
    # acceleration from a grouped jackknife (Eq. 14.15), deleting one group of rows at a time
    n0 = ns[0]
    n_groups = min(n0, 200)
    groups = np.array_split(rng.permutation(n0), n_groups)
    jack = []
    for g in groups:
        keep = np.setdiff1d(np.arange(n0), g, assume_unique=True)
        if paired:
            sub = [_take_rows(d, keep) for d in data]
        else:  # delete from the first sample only; the others stay whole
            sub = [_take_rows(data[0], keep)] + list(data[1:])
        jack.append(_as_float(statistic(*sub), "a jackknife sample"))
    jack = np.asarray(jack)
    _check_finite(jack, "the jackknife samples")
    d = jack.mean() - jack
    denom = 6.0 * (np.sum(d**2)) ** 1.5
    a = float(np.sum(d**3) / denom) if denom > 0 else 0.0

    def adj(q):
        z = _norm_ppf(q)
        return float(_special.ndtr(z0 + (z0 + z) / (1 - a * (z0 + z))))

    return (float(np.quantile(boot, adj(lo_q))), float(np.quantile(boot, adj(hi_q))))


def subsample_ci(
    statistic,
    *data,
    n_resamples: int = 200,
    confidence_level: float = 0.95,
    random_state=None,
):
    r"""Half-sampling confidence interval: resample half of the rows *without* replacement [1]_.

    For kNN and kernel estimators, for which the bootstrap's duplicated rows (distance 0) are meaningless.
    With :math:`m = \lfloor n/2 \rfloor`, the deviation :math:`T_m - T_n` of a half-sample estimate has
    (to first order) the variance of :math:`T_n` itself, so the interval is the basic reflection

    .. math::  [T_n - q_{1-\alpha/2}(T_m - T_n),\; T_n - q_{\alpha/2}(T_m - T_n)]

    which also removes a bias that shrinks like :math:`1/n` (the half-samples carry twice the bias).

    Parameters
    ----------
    statistic : callable
        ``statistic(*data) -> float``.
    *data : array_like
        Paired samples with the same number of rows.
    n_resamples : int
    confidence_level : float
    random_state : None, int or numpy.random.Generator

    Returns
    -------
    BootstrapResult
        with ``method="half-sampling"``; ``bootstrap_distribution`` holds the half-sample estimates.

    References
    ----------
    .. [1] Politis, D. N., Romano, J. P. & Wolf, M. (1999). Subsampling. Springer. doi:10.1007/978-1-4612-1554-7

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.stats import subsample_ci
    >>> res = subsample_ci(np.mean, np.arange(100.0), random_state=0)
    >>> res.estimate
    49.5
    """
    if not callable(statistic):
        raise InvalidParameterError(f"`statistic` must be callable; got {type(statistic).__name__}")
    if not data:
        raise InvalidParameterError("`subsample_ci` needs at least one data sample after `statistic`")
    B = check_positive_int(n_resamples, "n_resamples")
    level = check_confidence_level(confidence_level)
    rng = check_random_state(random_state)
    ns = [_n_rows(d, f"data[{i}]") for i, d in enumerate(data)]
    if len(set(ns)) > 1:
        raise ShapeMismatchError(f"the samples must have the same number of rows; got {ns}")
    n = ns[0]
    if n < 4:
        raise InvalidSampleError(f"half-sampling needs at least 4 rows; got n={n}")
    estimate = _as_float(statistic(*data), "the full data")
    m = n // 2
    vals = []
    for _ in range(B):
        idx = np.sort(rng.choice(n, size=m, replace=False))
        vals.append(_as_float(statistic(*[_take_rows(d, idx) for d in data]), "a half-sample"))
    vals = np.asarray(vals)
    _check_finite(vals, "the half-samples")
    dev = vals - estimate
    alpha = 1 - level
    ci = (float(estimate - np.quantile(dev, 1 - alpha / 2)), float(estimate - np.quantile(dev, alpha / 2)))
    return BootstrapResult(
        estimate=float(estimate),
        confidence_interval=ci,
        confidence_level=level,
        standard_error=float(dev.std(ddof=1)) if B > 1 else 0.0,
        bootstrap_distribution=vals,
        method="half-sampling",
    )
