r"""Differential information [1]_: what a policy update from π_ref to π "learned", as a distribution.

The **differential information distribution** (DID) from :math:`\pi_{\mathrm{ref}}` to :math:`\pi` is the
normalised likelihood ratio

.. math:: q_{\pi/\pi_{\mathrm{ref}}}(y) = \frac{\pi(y)/\pi_{\mathrm{ref}}(y)}{\sum_{y'} \pi(y')/\pi_{\mathrm{ref}}(y')},

the law of the "evidence" X with :math:`\pi(y) = P(y \mid \pi_{\mathrm{ref}}, X)`, so that
:math:`\pi \propto \pi_{\mathrm{ref}}\, q` (a Bayes update). When preference pairs (chosen :math:`y_w \sim
\pi_{\mathrm{ref}}`, rejected :math:`y_l \sim \pi_l`) encode the DID towards a target :math:`\pi^*` —
:math:`q_{\pi_{\mathrm{ref}}/\pi_l} \propto q_{\pi^*/\pi_{\mathrm{ref}}}^\beta` — the Bradley–Terry preference
probability is :math:`\sigma(\beta\log q(y_w) - \beta\log q(y_l))`, DPO's log-ratio reward is the optimal one,
and the rejected responses should be drawn from :math:`\pi_l^* \propto \pi_{\mathrm{ref}}^{1+\beta}\,
\pi^{*\,-\beta}`. The entropy of the DID separates "reinforcing" (low entropy, concentrating) from "smoothing"
(high entropy) updates.

References
----------
.. [1] Won, Y., Lee, H., Hwang, H., Seo, M. (2025). Differential information: an information-theoretic
   perspective on preference optimization (v2: Differential information distribution: a Bayesian perspective on
   direct preference optimization). arXiv:2505.23761.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit

from ..._backend import to_numpy
from ..._units import check_base
from ..._validation import check_nonneg_float, check_pmf
from ...exceptions import InfokitWarning, InvalidDistributionError, ShapeMismatchError
from ...measures import entropy

__all__ = [
    "differential_information",
    "differential_information_entropy",
    "optimal_rejected_distribution",
    "preference_probability",
]


def _pair(policy, reference, name_p, name_r):
    p = np.asarray(to_numpy(check_pmf(policy, name_p)), dtype=np.float64)
    r = np.asarray(to_numpy(check_pmf(reference, name_r)), dtype=np.float64)
    if p.shape != r.shape:
        raise ShapeMismatchError(
            f"`{name_p}` and `{name_r}` must be pmfs over the same responses (same shape); got {p.shape} and {r.shape}"
        )
    bad = (p > 0) & (r == 0)
    if bad.any():
        i = tuple(int(v) for v in np.argwhere(bad)[0])
        raise InvalidDistributionError(
            f"`{name_p}` puts mass {p[i]:.3g} on response {i if len(i) > 1 else i[0]} where `{name_r}` has "
            f"probability 0: the likelihood ratio {name_p}/{name_r} is infinite there, so the differential "
            f"information is undefined; `{name_p}` must be absolutely continuous w.r.t. `{name_r}`"
        )
    return p, r


def _did(p, r):
    """Normalised likelihood ratio along the last axis (0 where both are 0), in log space."""
    sup = r > 0
    with np.errstate(divide="ignore"):
        log_ratio = np.where(sup & (p > 0), np.log(np.where(p > 0, p, 1.0)) - np.log(np.where(sup, r, 1.0)), -np.inf)
    top = np.max(log_ratio, axis=-1, keepdims=True)
    w = np.exp(log_ratio - top)
    return w / w.sum(axis=-1, keepdims=True)


def differential_information(policy, reference):
    r"""Differential information distribution :math:`q_{\pi/\pi_{\mathrm{ref}}} \propto \pi / \pi_{\mathrm{ref}}`.

    Parameters
    ----------
    policy : array_like, shape (..., n)
        :math:`\pi`, pmf(s) over responses along the last axis.
    reference : array_like, shape (..., n)
        :math:`\pi_{\mathrm{ref}}`; ``policy`` must be 0 wherever ``reference`` is.

    Returns
    -------
    ndarray, shape (..., n)
        The DID; 0 on responses where ``policy`` is 0.

    Raises
    ------
    InvalidDistributionError
        If ``policy`` has mass where ``reference`` has none (an infinite likelihood ratio).

    Notes
    -----
    .. math:: q_{\pi/\pi_{\mathrm{ref}}}(y) = \frac{\pi(y)/\pi_{\mathrm{ref}}(y)}{\sum_{y'}\pi(y')/\pi_{\mathrm{ref}}(y')},
              \qquad \pi(y) = \frac{\pi_{\mathrm{ref}}(y)\, q(y)}{\sum_{y'}\pi_{\mathrm{ref}}(y')\, q(y')}

    (the DID of [1]_ and its Bayes-update identity). Ratios are formed in log space.

    References
    ----------
    .. [1] Won, Y., Lee, H., Hwang, H., Seo, M. (2025). Differential information: an information-theoretic
       perspective on preference optimization. arXiv:2505.23761.

    Examples
    --------
    >>> from infokit.methods.alignment import differential_information
    >>> differential_information([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]).round(4).tolist()
    [0.039, 0.1039, 0.2338, 0.6234]
    """
    p, r = _pair(policy, reference, "policy", "reference")
    return _did(p, r)


def differential_information_entropy(policy, reference, *, base=None):
    r"""Entropy :math:`H(q_{\pi/\pi_{\mathrm{ref}}})` of the differential information distribution.

    Parameters
    ----------
    policy, reference : array_like, shape (..., n)
        As in :func:`differential_information`.
    base : float, optional
        Unit: ``None`` (nats), ``2`` (bits).

    Returns
    -------
    float or ndarray
        Between 0 (the update singles out one response: strongly reinforcing) and
        :math:`\log|\mathrm{supp}\,\pi|` (the ratio is flat: no information, :math:`\pi = \pi_{\mathrm{ref}}`
        on that support). [1]_ links low DID entropy to updates that concentrate the policy and high entropy to
        smoothing ones (log-likelihood displacement).

    Notes
    -----
    .. math:: H(q) = -\sum_y q(y)\log q(y), \qquad q = q_{\pi/\pi_{\mathrm{ref}}}

    computed with :func:`infokit.entropy`.

    References
    ----------
    .. [1] Won, Y., Lee, H., Hwang, H., Seo, M. (2025). Differential information: an information-theoretic
       perspective on preference optimization. arXiv:2505.23761.

    Examples
    --------
    >>> from infokit.methods.alignment import differential_information_entropy
    >>> differential_information_entropy([0.4, 0.3, 0.2, 0.1], [0.4, 0.3, 0.2, 0.1], base=2)   # no update: flat
    2.0
    """
    b = check_base(base)
    p, r = _pair(policy, reference, "policy", "reference")
    return entropy(_did(p, r), axis=-1, base=b, normalize=True)


def optimal_rejected_distribution(target, reference, beta):
    r"""Optimal rejected-response distribution :math:`\pi_l^* \propto \pi_{\mathrm{ref}}^{1+\beta}\, (\pi^*)^{-\beta}`.

    Parameters
    ----------
    target : array_like, shape (n,)
        The target policy :math:`\pi^*` (absolutely continuous w.r.t. ``reference``).
    reference : array_like, shape (n,)
        :math:`\pi_{\mathrm{ref}}`, which also generates the chosen responses.
    beta : float
        The DPO temperature β > 0.

    Returns
    -------
    ndarray, shape (n,)
        :math:`\pi_l^*`: with chosen :math:`y_w \sim \pi_{\mathrm{ref}}` and rejected :math:`y_l \sim \pi_l^*`,
        the preferences encode the differential information :math:`q_{\pi^*/\pi_{\mathrm{ref}}}` with
        exponent β, and DPO at temperature β recovers :math:`\pi^*`.

    Notes
    -----
    The condition of [1]_ is :math:`q_{\pi_{\mathrm{ref}}/\pi_l} \propto q_{\pi^*/\pi_{\mathrm{ref}}}^\beta`,
    i.e. :math:`\log\pi_{\mathrm{ref}}(y) - \log\pi_l(y) - \beta\log q(y)` is constant in y; solving for
    :math:`\pi_l`:

    .. math:: \pi_l^*(y) \propto \pi_{\mathrm{ref}}(y)\, q(y)^{-\beta}
              \propto \pi_{\mathrm{ref}}(y)^{1+\beta}\, \pi^*(y)^{-\beta} .

    Where :math:`\pi^* = 0 < \pi_{\mathrm{ref}}` the weight is infinite: the distribution is then the limit
    :math:`\pi^* \to 0` there — :math:`\pi_{\mathrm{ref}}` restricted to the responses the target excludes
    (reject exactly what the target never produces) — returned with a warning. Computed in log space.

    References
    ----------
    .. [1] Won, Y., Lee, H., Hwang, H., Seo, M. (2025). Differential information: an information-theoretic
       perspective on preference optimization. arXiv:2505.23761.

    Examples
    --------
    >>> from infokit.methods.alignment import optimal_rejected_distribution
    >>> optimal_rejected_distribution([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], 1.0).round(4).tolist()
    [0.7245, 0.2038, 0.0604, 0.0113]
    """
    t, r = _pair(target, reference, "target", "reference")
    if t.ndim != 1:
        raise ShapeMismatchError(f"`target` and `reference` must be 1-D pmfs; got shape {t.shape}")
    beta = check_nonneg_float(beta, "beta", strict=True)
    sup = r > 0
    excluded = sup & (t == 0)
    if excluded.any():
        warnings.warn(
            f"`target` is 0 on {int(excluded.sum())} response(s) that `reference` can produce: the optimal rejected "
            "distribution is the limit that rejects exactly those responses (reference restricted to them)",
            InfokitWarning,
            stacklevel=2,
        )
        w = np.where(excluded, r, 0.0)
        return w / w.sum()
    with np.errstate(divide="ignore"):
        log_w = np.where(sup, (1.0 + beta) * np.log(np.where(sup, r, 1.0)) - beta * np.log(np.where(sup, t, 1.0)),
                         -np.inf)
    w = np.exp(log_w - log_w.max())
    return w / w.sum()


def preference_probability(target, reference, beta):
    r"""Bradley–Terry preference probabilities :math:`P(y_i \succ y_j) = \sigma(\beta\log q(y_i) - \beta\log q(y_j))`.

    Parameters
    ----------
    target, reference : array_like, shape (n,)
        :math:`\pi^*` and :math:`\pi_{\mathrm{ref}}`; :math:`q = q_{\pi^*/\pi_{\mathrm{ref}}}`.
    beta : float
        Temperature β > 0.

    Returns
    -------
    ndarray, shape (n, n)
        ``P[i, j]`` = probability that response i is preferred to j; ``P + P.T = 1``, 0.5 on the diagonal
        (and between two responses the target excludes).

    Notes
    -----
    With DPO's implicit reward :math:`\beta\log\pi^*/\pi_{\mathrm{ref}} = \beta\log q + \text{const}`,

    .. math:: P(y_i \succ y_j) = \sigma\bigl(\beta\log q(y_i) - \beta\log q(y_j)\bigr)

    which is exactly the preference law of pairs drawn as :math:`(y_w, y_l) \sim \pi_{\mathrm{ref}} \otimes
    \pi_l^*` ([1]_; see :func:`optimal_rejected_distribution`).

    References
    ----------
    .. [1] Won, Y., Lee, H., Hwang, H., Seo, M. (2025). Differential information: an information-theoretic
       perspective on preference optimization. arXiv:2505.23761.

    Examples
    --------
    >>> from infokit.methods.alignment import preference_probability
    >>> P = preference_probability([0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1], 0.5)
    >>> round(float(P[0, 3]), 6)   # σ(0.5 log(1/16)) = 1/5
    0.2
    """
    t, r = _pair(target, reference, "target", "reference")
    if t.ndim != 1:
        raise ShapeMismatchError(f"`target` and `reference` must be 1-D pmfs; got shape {t.shape}")
    beta = check_nonneg_float(beta, "beta", strict=True)
    with np.errstate(divide="ignore"):
        lq = np.log(_did(t, r))
    both = np.isneginf(lq)[:, None] & np.isneginf(lq)[None, :]
    with np.errstate(invalid="ignore"):
        diff = beta * (lq[:, None] - lq[None, :])  # −inf − (−inf) between two excluded responses: set to 0.5 below
        out = expit(np.where(both, 0.0, diff))
    return out
