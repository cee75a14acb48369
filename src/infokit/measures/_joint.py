"""Functionals of joint probability tables: one axis per variable (N-d arrays, numpy or torch).

A *variable* is named by an axis index, or by a tuple of axes for a composite variable, e.g.
``mutual_information(joint, x=(0, 1), y=2)`` for I(X0,X1 ; X2). Axes named nowhere are marginalised out.
"""

from __future__ import annotations

import itertools
import math
import numbers

import numpy as np

from .._backend import namespace
from .._units import check_base, to_base
from .._validation import check_joint
from ..exceptions import InvalidParameterError
from ._pmf import _clip_round_off, _finish

__all__ = [
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "total_correlation",
    "dual_total_correlation",
    "co_information",
    "interaction_information",
    "o_information",
    "pointwise_mutual_information",
    "marginal",
]


# ------------------------------------------------------------------------------------------- axis groups
def _axes(spec, ndim: int, name: str) -> tuple[int, ...]:
    """One variable: an int axis or a tuple of axes -> sorted tuple of non-negative axes."""
    items = (spec,) if isinstance(spec, numbers.Integral) and not isinstance(spec, bool) else spec
    try:
        items = tuple(items)
    except TypeError:
        raise InvalidParameterError(
            f"`{name}` must be an axis index or a tuple of axis indices; got {spec!r}"
        ) from None
    if not items:
        raise InvalidParameterError(f"`{name}` must name at least one axis; got an empty tuple")
    out = []
    for a in items:
        if isinstance(a, bool) or not isinstance(a, numbers.Integral):
            raise InvalidParameterError(f"`{name}` must contain integer axis indices; got {a!r}")
        if not -ndim <= a < ndim:
            raise InvalidParameterError(
                f"`{name}` names axis {a}, but `joint` has {ndim} axes (one per variable); use 0..{ndim - 1}"
            )
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise InvalidParameterError(f"`{name}` names an axis twice: {spec!r}")
    return tuple(sorted(out))


def _disjoint(named: dict[str, tuple[int, ...]]):
    seen: dict[int, str] = {}
    for name, axes in named.items():
        for a in axes:
            if a in seen:
                raise InvalidParameterError(
                    f"`{seen[a]}` and `{name}` both name axis {a}; each axis can belong to one variable only"
                )
            seen[a] = name


def _variables(variables, ndim: int) -> list[tuple[int, ...]]:
    if variables is None:
        return [(i,) for i in range(ndim)]
    if isinstance(variables, numbers.Integral):
        raise InvalidParameterError(
            f"`variables` must be a sequence of axes or axis tuples, e.g. [0, (1, 2)]; got {variables!r}"
        )
    groups = [_axes(v, ndim, f"variables[{i}]") for i, v in enumerate(variables)]
    _disjoint({f"variables[{i}]": g for i, g in enumerate(groups)})
    return groups


def _marg(xp, joint, keep: tuple[int, ...]):
    """Marginal over the axes ``keep`` (other axes summed out, kept as size-1 dims)."""
    drop = tuple(a for a in range(joint.ndim) if a not in keep)
    if not drop:
        return joint
    return xp.sum(joint, axis=drop, keepdims=True)


def _h(xp, joint, keep) -> float:
    """Entropy (nats) of the marginal over ``keep`` (a tuple of axes)."""
    keep = tuple(sorted(set(keep)))
    if not keep:
        return 0.0 * xp.sum(joint, axis=None)
    return xp.sum(xp.entr(_marg(xp, joint, keep)), axis=None)


def _nonneg(xp, v):
    """Quantities that are ≥ 0 in exact arithmetic: clip the round-off of entropy differences.

    Value-only clip (torch gradients stay the formula's, straight-through), see ``_pmf._clip_round_off``.
    """
    return _clip_round_off(xp, v)


def _prepare(joint, base, normalize, atol, min_ndim=2):
    b = check_base(base)
    j = check_joint(joint, "joint", min_ndim=min_ndim, normalize=normalize, atol=atol)
    return b, j, namespace(j)


# ------------------------------------------------------------------------------------------- public
def marginal(joint, variables, *, normalize=False, atol=None):
    """Marginal pmf of the given axes (other axes summed out), axes in increasing order.

    Examples
    --------
    >>> import infokit
    >>> infokit.measures.marginal([[0.25, 0.25], [0.5, 0.0]], 0).tolist()
    [0.5, 0.5]
    """
    j = check_joint(joint, "joint", min_ndim=1, normalize=normalize, atol=atol)
    xp = namespace(j)
    keep = _axes(variables, j.ndim, "variables")
    drop = tuple(a for a in range(j.ndim) if a not in keep)
    return xp.sum(j, axis=drop) if drop else j


def joint_entropy(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""Joint entropy :math:`H(X_1,\dots,X_n) = -\sum p\log p` of a joint table.

    Parameters
    ----------
    joint : array_like or torch.Tensor
        Joint pmf, one axis per variable, summing to 1 over all entries.
    variables : sequence of int or tuple of int, optional
        Restrict to these axes (the others are marginalised out). Default: all axes.
    base : float, optional
        ``None`` for nats, ``2`` for bits.

    Examples
    --------
    >>> import infokit
    >>> infokit.joint_entropy([[0.25, 0.25], [0.25, 0.25]], base=2)   # two fair coins
    2.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol, min_ndim=1)
    keep = tuple(a for g in _variables(variables, j.ndim) for a in g)
    return _finish(_h(xp, j, keep), b)


def conditional_entropy(joint, *, x=0, given=1, base=None, normalize=False, atol=None):
    r"""Conditional entropy :math:`H(X \mid Y) = H(X, Y) - H(Y)`.

    For a 2-D table the defaults give H(rows | columns).

    Examples
    --------
    >>> import infokit
    >>> infokit.conditional_entropy([[0.5, 0.0], [0.0, 0.5]])   # X is a function of Y
    0.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    ax, gz = _axes(x, j.ndim, "x"), _axes(given, j.ndim, "given")
    _disjoint({"x": ax, "given": gz})
    return _finish(_nonneg(xp, _h(xp, j, ax + gz) - _h(xp, j, gz)), b)


def mutual_information(joint, *, x=0, y=1, base=None, normalize=False, atol=None):
    r"""Mutual information :math:`I(X;Y) = \sum_{x,y} p(x,y)\log\frac{p(x,y)}{p(x)p(y)}`.

    Parameters
    ----------
    joint : array_like or torch.Tensor
        Joint pmf; for a 2-D table rows are X and columns are Y.
    x, y : int or tuple of int
        Axes (or axis groups) of the two variables; other axes are marginalised out.

    Examples
    --------
    >>> import infokit
    >>> infokit.mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2)   # a copied fair bit
    1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    ax, ay = _axes(x, j.ndim, "x"), _axes(y, j.ndim, "y")
    _disjoint({"x": ax, "y": ay})
    pxy = _marg(xp, j, ax + ay)
    px = _marg(xp, pxy, ax)
    py = _marg(xp, pxy, ay)
    with np.errstate(invalid="ignore", divide="ignore"):
        mi = xp.sum(xp.rel_entr(pxy, px * py), axis=None)
    return _finish(_nonneg(xp, mi), b)


def conditional_mutual_information(joint, *, x=0, y=1, z=2, base=None, normalize=False, atol=None):
    r"""Conditional mutual information :math:`I(X;Y\mid Z) = H(X,Z) + H(Y,Z) - H(X,Y,Z) - H(Z)`.

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.conditional_mutual_information(xor().pmf, base=2), 12)   # X ⊕ Y = Z
    1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol, min_ndim=3)
    ax, ay, az = _axes(x, j.ndim, "x"), _axes(y, j.ndim, "y"), _axes(z, j.ndim, "z")
    _disjoint({"x": ax, "y": ay, "z": az})
    v = _h(xp, j, ax + az) + _h(xp, j, ay + az) - _h(xp, j, ax + ay + az) - _h(xp, j, az)
    return _finish(_nonneg(xp, v), b)


def total_correlation(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""Total correlation (multi-information) :math:`TC = \sum_i H(X_i) - H(X_1,\dots,X_n)` (Watanabe 1960).

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.total_correlation(xor().pmf, base=2), 12)
    1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    groups = _variables(variables, j.ndim)
    allax = tuple(a for g in groups for a in g)
    v = sum(_h(xp, j, g) for g in groups) - _h(xp, j, allax)
    return _finish(_nonneg(xp, v), b)


def dual_total_correlation(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""Dual total correlation (binding information) :math:`DTC = H(X) - \sum_i H(X_i \mid X_{-i})` (Han 1978).

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.dual_total_correlation(xor().pmf, base=2), 12)
    2.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    groups = _variables(variables, j.ndim)
    n = len(groups)
    allax = tuple(a for g in groups for a in g)
    hall = _h(xp, j, allax)
    rest = sum(_h(xp, j, tuple(a for k, g in enumerate(groups) if k != i for a in g)) for i in range(n))
    return _finish(_nonneg(xp, rest - (n - 1) * hall), b)


def _coinfo(xp, j, groups):
    n = len(groups)
    if n > 20:
        raise InvalidParameterError(
            f"co-information sums over 2^n subsets; got n={n} variables (limit 20); group axes into fewer variables"
        )
    total = 0.0
    for r in range(1, n + 1):
        sign = (-1.0) ** (r + 1)
        for sub in itertools.combinations(range(n), r):
            total = total + sign * _h(xp, j, tuple(a for i in sub for a in groups[i]))
    return total


def co_information(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""Co-information :math:`I(X_1;\dots;X_n) = -\sum_{S\neq\emptyset}(-1)^{|S|}H(X_S)` (Bell 2003).

    Sign convention: for two variables it is the mutual information; for three it is
    :math:`I(X;Y) - I(X;Y\mid Z)`, so **XOR has co-information −1 bit** (synergy is negative), as in dit.

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.co_information(xor().pmf, base=2), 12)
    -1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    groups = _variables(variables, j.ndim)
    return _finish(_coinfo(xp, j, groups), b)


def interaction_information(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""Interaction information :math:`(-1)^n \, I(X_1;\dots;X_n)` (McGill 1954; dit's convention).

    For three variables it equals :math:`I(X;Y\mid Z) - I(X;Y)`: XOR has interaction information +1 bit.

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.interaction_information(xor().pmf, base=2), 12)
    1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    groups = _variables(variables, j.ndim)
    return _finish((-1.0) ** len(groups) * _coinfo(xp, j, groups), b)


def o_information(joint, *, variables=None, base=None, normalize=False, atol=None):
    r"""O-information :math:`\Omega = TC - DTC` (Rosas et al. 2019): > 0 redundancy-dominated, < 0 synergy-dominated.

    References
    ----------
    .. [1] Rosas, F., Mediano, P., Gastpar, M., Jensen, H. (2019). Quantifying high-order interdependencies
       via multivariate extensions of the mutual information. Phys. Rev. E 100, 032305.

    Examples
    --------
    >>> import infokit
    >>> from infokit.testing import xor
    >>> round(infokit.o_information(xor().pmf, base=2), 12)   # TC 1 bit − DTC 2 bits
    -1.0
    """
    b, j, xp = _prepare(joint, base, normalize, atol)
    groups = _variables(variables, j.ndim)
    n = len(groups)
    allax = tuple(a for g in groups for a in g)
    hall = _h(xp, j, allax)
    singles = sum(_h(xp, j, g) for g in groups)
    rest = sum(_h(xp, j, tuple(a for k, g in enumerate(groups) if k != i for a in g)) for i in range(n))
    # TC − DTC = Σ H(X_i) − H + (n−1)H − Σ H(X_{−i}) = Σ H(X_i) + (n−2)H − Σ H(X_{−i})
    return _finish(singles + (n - 2) * hall - rest, b)


def pointwise_mutual_information(joint, *, base=None, normalize=False, atol=None):
    r"""Pointwise mutual information :math:`\log\frac{p(x,y)}{p(x)p(y)}` of a 2-D table, entry by entry.

    Entries with :math:`p(x,y) = 0` are ``-inf`` (the limit of the formula), never NaN. The
    p(x,y)-weighted sum of the result over the support is :func:`mutual_information`.

    Examples
    --------
    >>> import infokit
    >>> infokit.pointwise_mutual_information([[0.5, 0.0], [0.0, 0.5]], base=2).tolist()
    [[1.0, -inf], [-inf, 1.0]]
    """
    b = check_base(base)
    j = check_joint(joint, "joint", min_ndim=2, normalize=normalize, atol=atol)
    if j.ndim != 2:
        raise InvalidParameterError(
            f"`joint` must be a 2-D table (rows X, columns Y) for pointwise_mutual_information; got {j.ndim} axes; "
            "marginalise first with infokit.measures.marginal(joint, (i, j))"
        )
    xp = namespace(j)
    px = xp.sum(j, axis=1, keepdims=True)
    py = xp.sum(j, axis=0, keepdims=True)
    pos = j > 0
    ratio = xp.where(pos, j, 1.0) / xp.where(pos, px * py, 1.0)
    out = xp.where(pos, xp.log(ratio), -math.inf)
    return to_base(out, b)
