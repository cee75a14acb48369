r"""Entropic causal inference: the direction between two discrete variables by the entropy of the explanation.

Kocaoglu et al. [1]_ model a causal pair :math:`X \to Y` as :math:`Y = f(X, E)` with an exogenous :math:`E`
independent of :math:`X`, and postulate that nature prefers simple explanations: low :math:`H(E)`. The smallest
:math:`H(E)` that generates :math:`p(y \mid x)` for every :math:`x` is the minimum-entropy coupling of the
conditionals :math:`\{p(Y \mid X = x)\}_x` ([1]_, Sec. 4: :math:`E` indexes the cells of the coupling), which
the greedy coupling approximates. The direction with the smaller total entropy
:math:`H(\text{cause}) + H(E)` is returned.

References
----------
.. [1] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference. AAAI 2017.
   arXiv:1611.04035
.. [2] Compton, S., Katz, D., Qi, B., Greenewald, K., Kocaoglu, M. (2023). Minimum-entropy coupling
   approximation guarantees beyond the majorization barrier. AISTATS 2023. arXiv:2302.11838
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..._units import check_base, to_base, unit_name
from ..._validation import check_joint, check_nonneg_float
from ...exceptions import InvalidDistributionError
from ...measures import entropy
from .mec import _greedy_coupling, _normalised

__all__ = ["CausalDirectionResult", "entropic_causal_direction", "exogenous_entropy"]


@dataclass(frozen=True)
class CausalDirectionResult:
    r"""Outcome of :func:`entropic_causal_direction`.

    Attributes
    ----------
    direction : {"X->Y", "Y->X", "undecided"}
        The direction of smaller total entropy (``"undecided"`` within ``tol``).
    complexity_xy, complexity_yx : float
        :math:`H(X) + H(E_{X \to Y})` and :math:`H(Y) + H(E_{Y \to X})`.
    exogenous_entropy_xy, exogenous_entropy_yx : float
        The (greedy) minimum exogenous entropies :math:`H(E)` of the two models.
    unit : str
    """

    direction: str
    complexity_xy: float
    complexity_yx: float
    exogenous_entropy_xy: float
    exogenous_entropy_yx: float
    unit: str


def _exogenous(joint):
    """Greedy minimum H(E) (nats) for the model "rows cause columns" of a validated joint table."""
    px = joint.sum(axis=1)
    rows = [_normalised(joint[i] / px[i]) for i in np.flatnonzero(px > 0)]
    if len(rows) == 1:
        r = rows[0]
        return float(-np.sum(r[r > 0] * np.log(r[r > 0])))
    _, vals = _greedy_coupling(rows)
    return float(-np.sum(vals * np.log(vals)))


def exogenous_entropy(joint, *, base=None, atol=None) -> float:
    r"""Smallest entropy of an exogenous :math:`E \perp X` with :math:`Y = f(X, E)` (greedy, [1]_ Sec. 4).

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        Joint pmf :math:`p(x, y)` (rows: the putative cause :math:`X`).
    base : float, optional
        ``None`` (nats) or ``2`` (bits).
    atol : float, optional
        Tolerance on the sum of ``joint``.

    Returns
    -------
    float
        :math:`H` of the greedy minimum-entropy coupling of the conditionals :math:`p(Y \mid X = x)`; within
        :math:`(1 + \log_2 e)/2 \approx 1.22` bits of the exact minimum ([2]_).

    Notes
    -----
    Any coupling :math:`C` of the conditionals defines :math:`E` = the cell index and
    :math:`f(x, e) = e_x`; conversely any :math:`(f, E)` induces a coupling of entropy :math:`\le H(E)`. So

    .. math:: \min_{f, E \perp X} H(E) = \min_{C \in \Pi(p(\cdot \mid x_1), \dots, p(\cdot \mid x_n))} H(C).

    Examples
    --------
    >>> from infokit.methods.coupling import exogenous_entropy
    >>> exogenous_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)   # Y independent fair coin: E = Y, 1 bit
    1.0
    >>> exogenous_entropy([[0.5, 0.0], [0.0, 0.5]], base=2)       # Y = X: no noise needed
    0.0
    """
    b = check_base(base)
    j = np.asarray(check_joint(joint, "joint", atol=atol), dtype=np.float64)
    if j.ndim != 2:
        raise InvalidDistributionError(f"`joint` must be a 2-D table p(x, y); got shape {j.shape}")
    return float(to_base(max(_exogenous(j / j.sum()), 0.0), b)) + 0.0  # + 0.0 turns -0.0 into 0.0


def entropic_causal_direction(joint, *, base=None, atol=None, tol=1e-9) -> CausalDirectionResult:
    r"""Causal direction between :math:`X` (rows) and :math:`Y` (columns) by entropic causal inference [1]_.

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        Joint pmf :math:`p(x, y)`.
    base : float, optional
        Units of the reported entropies: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the sum of ``joint``.
    tol : float
        Complexities closer than ``tol`` (in the units of ``base``) give ``"undecided"``.

    Returns
    -------
    CausalDirectionResult

    Notes
    -----
    .. math:: \text{complexity}(X \to Y) = H(X) + \min_{E \perp X,\ Y = f(X, E)} H(E),

    with the minimum approximated by the greedy coupling of the conditionals (:func:`exogenous_entropy`).
    [1]_ shows that when the true exogenous variable has low entropy, the reverse model needs a larger total
    entropy with high probability, so the smaller complexity points to the cause. The exogenous entropies of
    both models are returned too, for the variant that compares :math:`H(E)` alone.

    References
    ----------
    .. [1] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference.
       AAAI 2017. arXiv:1611.04035

    Examples
    --------
    >>> import numpy as np
    >>> from infokit.methods.coupling import entropic_causal_direction
    >>> # X uniform on 4 values, Y = X // 2 (no noise): X -> Y needs H(X) = 2 bits in all; Y -> X needs
    >>> # H(Y) = 1 bit plus 1 bit of noise to split each y back into two x: also 2 bits -- undecided
    >>> j = np.zeros((4, 2)); j[np.arange(4), np.arange(4) // 2] = 0.25
    >>> entropic_causal_direction(j, base=2).direction
    'undecided'
    """
    b = check_base(base)
    t = check_nonneg_float(tol, "tol")
    j = np.asarray(check_joint(joint, "joint", atol=atol), dtype=np.float64)
    if j.ndim != 2:
        raise InvalidDistributionError(f"`joint` must be a 2-D table p(x, y); got shape {j.shape}")
    j = j / j.sum()
    ex_xy = max(_exogenous(j), 0.0) + 0.0
    ex_yx = max(_exogenous(j.T), 0.0) + 0.0
    px, py = j.sum(axis=1), j.sum(axis=0)
    hx = float(entropy(_normalised(px)))
    hy = float(entropy(_normalised(py)))
    cxy = float(to_base(hx + ex_xy, b))
    cyx = float(to_base(hy + ex_yx, b))
    if abs(cxy - cyx) <= t:
        direction = "undecided"
    else:
        direction = "X->Y" if cxy < cyx else "Y->X"
    return CausalDirectionResult(
        direction=direction,
        complexity_xy=cxy,
        complexity_yx=cyx,
        exogenous_entropy_xy=float(to_base(ex_xy, b)),
        exogenous_entropy_yx=float(to_base(ex_yx, b)),
        unit=unit_name(b),
    )
