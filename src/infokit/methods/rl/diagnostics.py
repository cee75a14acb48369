"""Entropy-performance law of Cui et al. (2025): fit R = -a·e^H + b over training checkpoints (numpy only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._validation import as_float_array
from ...exceptions import InvalidSampleError, ShapeMismatchError

__all__ = ["EntropyFit", "fit_entropy_performance"]


@dataclass(frozen=True)
class EntropyFit:
    """Result of :func:`fit_entropy_performance`.

    Attributes
    ----------
    a, b : float
        Coefficients of R = -a·exp(H) + b.
    ceiling : float
        Predicted performance at entropy exhaustion, R(H = 0) = b - a.
    r2 : float
        Coefficient of determination of the fit (1 for a noiseless law).
    n : int
        Number of checkpoints.
    """

    a: float
    b: float
    ceiling: float
    r2: float
    n: int

    def predict(self, entropy):
        """R(H) = -a·exp(H) + b."""
        return -self.a * np.exp(np.asarray(entropy, dtype=float)) + self.b


def fit_entropy_performance(entropy, reward) -> EntropyFit:
    r"""Least-squares fit of the entropy-performance law :math:`R = -a\,e^{H} + b` (Eq. (2) of [1]_).

    R is linear in :math:`x = e^{H}`, so ordinary least squares on (x, R) gives (-a, b) in closed form.

    Parameters
    ----------
    entropy : array_like
        Mean token entropy (nats) of each checkpoint.
    reward : array_like
        Validation performance of the same checkpoints.

    Returns
    -------
    EntropyFit
        ``a``, ``b``, ``ceiling = b - a`` (the predicted performance when the entropy is exhausted), ``r2``.

    References
    ----------
    .. [1] Cui, G. et al. (2025). The Entropy Mechanism of Reinforcement Learning for Reasoning Language
       Models. arXiv:2505.22617.

    Examples
    --------
    >>> import numpy as np
    >>> H = np.array([0.1, 0.5, 1.0]); R = -0.2 * np.exp(H) + 0.9
    >>> f = fit_entropy_performance(H, R); round(f.a, 6), round(f.b, 6), round(f.ceiling, 6)
    (0.2, 0.9, 0.7)
    """
    h = as_float_array(entropy, "entropy").reshape(-1)
    r = as_float_array(reward, "reward").reshape(-1)
    if h.shape != r.shape:
        raise ShapeMismatchError(f"`entropy` and `reward` must have one value per checkpoint; got {h.size} and {r.size}")
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(r))):
        raise InvalidSampleError("`entropy` and `reward` must be finite; drop the NaN / inf checkpoints first")
    if h.size < 2 or np.ptp(h) == 0:
        raise InvalidSampleError(
            f"need at least two checkpoints with different entropies to fit R = -a·e^H + b; got {h.size} "
            f"value(s) with range {float(np.ptp(h)) if h.size else 0.0}"
        )
    x = np.exp(h)
    xc = x - x.mean()
    slope = float(np.dot(xc, r - r.mean()) / np.dot(xc, xc))
    b = float(r.mean() - slope * x.mean())
    a = -slope
    resid = r - (slope * x + b)
    ss_tot = float(np.sum((r - r.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
    return EntropyFit(a=a, b=b, ceiling=b - a, r2=r2, n=int(h.size))
