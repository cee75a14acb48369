r"""Shannon's information lattice: meet, join, entropic distances and the perfect-reconstruction condition.

An *information element* (Shannon 1953 [2]_) is the class of random variables that generate the same
partition of a finite sample space :math:`\Omega`: :math:`X \equiv Y` iff each is a function of the other
almost surely. Two representations are accepted throughout this module:

* a **2-D joint table** ``joint[x, y] = p(x, y)`` (rows are the values of X, columns those of Y), or
* a **pmf over Ω** ``p`` (one entry per sample point ω) with **label arrays** ``x``, ``y`` of the same length:
  ``x[ω]`` is the value X(ω). Labels may be integers, floats (no NaN), strings, rows of a 2-D array (one tuple
  per ω), objects (hashable), or a callable applied to each index ω = 0, …, m−1.

The functions taking two variables accept either ``f(joint)`` or ``f(p=p, x=x, y=y)``. Label-array inputs are
handled sparsely (cost O(|Ω|), never a dense |X|×|Y| table); :func:`joint_from_labels` builds the dense table
when it is wanted.

All entropies are computed in nats and converted to ``base`` once, at return.

References
----------
.. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
   Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540
.. [2] Shannon, C. E. (1953). The lattice theory of information. Transactions of the IRE Professional Group on
   Information Theory 1(1):105–107.
.. [3] Gács, P., Körner, J. (1973). Common information is far less than mutual information. Problems of
   Control and Information Theory 2(2):149–162.
.. [4] Rajski, C. (1961). A metric space of discrete probability distributions. Information and Control
   4(4):371–377.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import entr as _entr

from .._backend import is_torch, to_numpy
from .._units import check_base, to_base, unit_name
from .._validation import check_joint, check_nonneg_float, check_pmf
from ..exceptions import (
    InvalidDistributionError,
    InvalidInputTypeError,
    InvalidParameterError,
    ShapeMismatchError,
)

__all__ = [
    "MeetResult",
    "ReconstructionResult",
    "meet",
    "common_information",
    "join",
    "joint_from_labels",
    "shannon_distance",
    "rajski_distance",
    "complement",
    "reconstruction_condition",
]


# ============================================================================================ results
def _frozen(a):
    """A read-only numpy array, so that frozen results cannot be altered in place."""
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class MeetResult:
    """Gács–Körner common part :math:`X \\wedge Y` of two variables (see :func:`meet`).

    Attributes
    ----------
    entropy : float
        :math:`H(X \\wedge Y)` in ``unit``.
    pmf : ndarray
        Probability of each value 0, …, ``n_components``−1 of the common variable.
    x_components, y_components : ndarray of int
        Value of the common variable for each value of X (each row of the joint table, or each distinct
        label of ``x`` in sorted order) and of Y; ``-1`` for values of probability 0.
    n_components : int
        Number of values of the common variable (connected components of the support graph).
    labels : ndarray of int or None
        Label-array input only: the common variable on Ω, ``x_components`` of ``x[ω]`` (``-1`` where
        ``x[ω]`` has probability 0). ``None`` for joint-table input.
    unit : str
        Unit of ``entropy``.
    """

    entropy: float
    pmf: np.ndarray
    x_components: np.ndarray
    y_components: np.ndarray
    n_components: int
    labels: np.ndarray | None
    unit: str


@dataclass(frozen=True)
class ReconstructionResult:
    """Quantities of the perfect-reconstruction condition of [1]_ (see :func:`reconstruction_condition`).

    Entropies and Shannon distances are in ``unit``; Rajski distances, dependency coefficients and the
    bound are unitless.

    Attributes
    ----------
    H_X : float
        :math:`H(X)`.
    H_i : ndarray
        :math:`H(X_i)` for each function.
    H_join : float
        :math:`H(X_1, \\dots, X_n)`, entropy of the tuple map (the join).
    conditional_entropy : float
        :math:`H(X \\mid X_1, \\dots, X_n) = H(X) - H(X_1,\\dots,X_n)`.
    d_i : ndarray
        Shannon distances :math:`d(X_i, X) = H(X) - H(X_i)`.
    delta_i : ndarray
        Rajski distances :math:`\\delta(X_i, X) = 1 - H(X_i)/H(X)` (0 when :math:`H(X) = 0`).
    rho_i : ndarray
        Dependency coefficients :math:`\\rho_i = 1 - \\delta_i`.
    sum_delta : float
        :math:`\\sum_i \\delta(X_i, X)`.
    bound : int
        :math:`n - 1`.
    necessary_ok : bool
        Whether the necessary condition :math:`\\sum_i \\delta_i \\le n - 1` holds (within ``tol``).
    reconstructable : bool
        Exact check: the tuple map :math:`x \\mapsto (f_1(x), \\dots, f_n(x))` is injective on the support.
    slack : float
        :math:`(n - 1) - \\sum_i \\delta_i`; equals :math:`TC(X_1..X_n)/H(X)` when reconstructable.
    witness : tuple of int or None
        Two support indices with identical label tuples when not reconstructable, else ``None``.
    total_correlation : float
        :math:`\\sum_i H(X_i) - H(X_1, \\dots, X_n)`.
    n : int
        Number of functions.
    support_size : int
        Number of indices with positive probability.
    pairwise_d, pairwise_delta : ndarray or None
        With ``pairwise=True``: the matrices :math:`d(X_i, X_j)` and :math:`\\delta(X_i, X_j)`.
    tree_bound : float or None
        With ``pairwise=True``: :math:`\\sum_i H(X_i) - W`, with :math:`W` the weight of a maximum spanning
        tree of the graph with edge weights :math:`I(X_i; X_j)`; an upper bound on :math:`H(X_1..X_n)`
        (not from [1]_, see Notes of :func:`reconstruction_condition`).
    tree_ok : bool or None
        With ``pairwise=True``: whether :math:`H(X) \\le` ``tree_bound`` (within ``tol`` relative to H(X)),
        a necessary condition at least as strong as ``necessary_ok``.
    unit : str
        Unit of the entropies.
    """

    H_X: float
    H_i: np.ndarray
    H_join: float
    conditional_entropy: float
    d_i: np.ndarray
    delta_i: np.ndarray
    rho_i: np.ndarray
    sum_delta: float
    bound: int
    necessary_ok: bool
    reconstructable: bool
    slack: float
    witness: tuple[int, int] | None
    total_correlation: float
    n: int
    support_size: int
    pairwise_d: np.ndarray | None
    pairwise_delta: np.ndarray | None
    tree_bound: float | None
    tree_ok: bool | None
    unit: str


# ============================================================================================ labels
def _hashable(v, name: str, i: int):
    """A hashable, comparable form of one label value returned by a callable."""
    if isinstance(v, np.ndarray):
        return v.item() if v.ndim == 0 else tuple(v.ravel().tolist())
    if isinstance(v, list):
        return tuple(v)
    try:
        hash(v)
    except TypeError:
        raise InvalidInputTypeError(
            f"`{name}` must return hashable labels (numbers, strings, tuples); got {type(v).__name__} "
            f"at index {i}; return a tuple instead"
        ) from None
    return v


def _is_nan(v) -> bool:
    return isinstance(v, (float, np.floating)) and math.isnan(v)


def _factorize_objects(values, name: str):
    """Codes for a 1-D object array: sorted order of the distinct values when they compare, else first seen."""
    table: dict = {}
    try:
        codes = np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int64, count=len(values))
    except TypeError:
        raise InvalidInputTypeError(
            f"`{name}` must hold hashable labels (numbers, strings, tuples); got an unhashable element; "
            "convert the labels to tuples or integer codes"
        ) from None
    keys = list(table)
    bad = next((i for i, k in enumerate(keys) if _is_nan(k)), None)
    if bad is not None:
        raise InvalidParameterError(
            f"`{name}` contains NaN, which is not a usable label (NaN != NaN); map missing values to a "
            "sentinel label first"
        )
    try:
        order = sorted(range(len(keys)), key=keys.__getitem__)
    except TypeError:  # labels of mixed, incomparable types: keep first-seen order
        return codes, len(keys)
    rank = np.empty(len(keys), dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(keys), dtype=np.int64)
    return rank[codes], len(keys)


def _factorize(labels, name: str, m: int, values=None):
    """Integer codes 0..k−1 (and k) of one variable given as a label array or a callable over m indices."""
    if callable(labels) and not isinstance(labels, np.ndarray):
        args = range(m) if values is None else values
        out = np.empty(m, dtype=object)
        for i, a in enumerate(args):
            out[i] = _hashable(labels(a), name, i)
        return _factorize_objects(out, name)
    if is_torch(labels):
        labels = to_numpy(labels)
    if labels is None:
        raise InvalidInputTypeError(f"`{name}` is required: a label array of length {m} or a callable; got None")
    if isinstance(labels, (str, bytes)):
        raise InvalidInputTypeError(
            f"`{name}` must be an array of labels of length {m} or a callable; got the string {labels!r}"
        )
    try:
        a = np.asarray(labels)
    except Exception as exc:  # ragged nested lists
        raise InvalidInputTypeError(f"`{name}` must be an array of labels; could not convert it ({exc})") from exc
    if a.ndim == 0 or a.shape[0] != m:
        got = "a scalar" if a.ndim == 0 else f"length {a.shape[0]}"
        raise ShapeMismatchError(
            f"`{name}` must have one label per outcome of `p` (length {m}); got {got}"
        )
    if a.dtype.kind == "O":
        if a.ndim != 1:
            raise InvalidInputTypeError(f"`{name}` as an object array must be 1-D; got shape {a.shape}")
        return _factorize_objects(a, name)
    if a.dtype.kind not in "biufUSmM":
        raise InvalidInputTypeError(
            f"`{name}` must hold numbers, strings or tuples; got dtype {a.dtype}; convert to integer codes"
        )
    if a.dtype.kind == "f" and np.isnan(a).any():
        raise InvalidParameterError(
            f"`{name}` contains NaN at index {int(np.flatnonzero(np.isnan(a).reshape(m, -1).any(axis=1))[0])}, "
            "which is not a usable label (NaN != NaN); map missing values to a sentinel label first"
        )
    if a.ndim == 1:
        uniq, inv = np.unique(a, return_inverse=True)
    elif a.ndim == 2:  # one tuple (row) per outcome
        uniq, inv = np.unique(a, axis=0, return_inverse=True)
    else:
        raise InvalidInputTypeError(
            f"`{name}` must be 1-D (one label per outcome) or 2-D (one tuple per row); got shape {a.shape}"
        )
    return inv.reshape(-1).astype(np.int64, copy=False), int(uniq.shape[0])


def _refactor(codes):
    """Dense codes 0..k−1 (order preserved) of non-negative int64 codes."""
    uniq, inv = np.unique(codes, return_inverse=True)
    return inv.reshape(-1).astype(np.int64, copy=False), int(uniq.shape[0])


def _combine(code_list, sizes, length: int):
    """Codes of the tuple map ω ↦ (c_1(ω), …, c_n(ω)), in lexicographic order of the tuples.

    Mixed-radix arithmetic, O(n·length); re-densified (a sort) only when the radix would overflow int64.
    """
    r = np.zeros(length, dtype=np.int64)
    kr = 1
    for c, k in zip(code_list, sizes):
        if kr * k >= 2**62:
            r, kr = _refactor(r)
        r = r * k + c
        kr *= k
    if length == 0:
        return r, 0
    return _refactor(r)


def _pmf_numpy(p, name: str, atol):
    """Validate a 1-D pmf over Ω and return it as a float64 numpy array."""
    a = check_pmf(p, name, atol=atol)
    a = np.asarray(to_numpy(a), dtype=np.float64)
    if a.ndim != 1:
        raise InvalidDistributionError(
            f"`{name}` must be a 1-D pmf over the sample space (one entry per outcome); got shape {a.shape}"
        )
    return a


def _h_codes(codes, w, k=None) -> float:
    """Entropy (nats) of the variable with integer codes ``codes`` under weights ``w``."""
    if codes.size == 0:
        return 0.0
    counts = np.bincount(codes, weights=w, minlength=0 if k is None else k)
    return float(_entr(counts).sum())


# ============================================================================================ two variables
def _two_variables(joint, p, x, y, atol):
    """Resolve either a 2-D joint table or (p, x, y) into a sparse description of the pair.

    Returns ``(cx, cy, w, kx, ky, full)`` where ``cx, cy, w`` list the outcomes with positive probability (codes
    of X and Y and their probability) and ``full`` is ``(cx_all, cy_all)`` over Ω for label input, else None.
    """
    label_form = p is not None or x is not None or y is not None
    if joint is not None and label_form:
        raise InvalidParameterError(
            "pass either a joint table `joint` or the label form `p=`, `x=`, `y=`; got both"
        )
    if joint is None and not label_form:
        raise InvalidParameterError("pass a 2-D joint table `joint`, or `p=` with label arrays `x=` and `y=`")
    if joint is not None:
        j = check_joint(joint, "joint", atol=atol)
        j = np.asarray(to_numpy(j), dtype=np.float64)
        if j.ndim != 2:
            raise InvalidDistributionError(
                f"`joint` must be a 2-D table p(x, y) (rows = X, columns = Y); got shape {j.shape}; "
                "marginalise other variables first with infokit.measures.marginal"
            )
        cx, cy = np.nonzero(j > 0)
        return cx.astype(np.int64), cy.astype(np.int64), j[cx, cy], j.shape[0], j.shape[1], None
    missing = [n for n, v in (("p", p), ("x", x), ("y", y)) if v is None]
    if missing:
        raise InvalidParameterError(
            f"the label form needs `p=`, `x=` and `y=`; missing {', '.join('`' + n + '`' for n in missing)}"
        )
    pp = _pmf_numpy(p, "p", atol)
    m = pp.shape[0]
    cx_all, kx = _factorize(x, "x", m)
    cy_all, ky = _factorize(y, "y", m)
    s = pp > 0
    return cx_all[s], cy_all[s], pp[s], kx, ky, (cx_all, cy_all)


def _entropies_pair(cx, cy, w, kx, ky):
    """(H(X), H(Y), H(X,Y)) in nats from the sparse description."""
    hx = _h_codes(cx, w, kx)
    hy = _h_codes(cy, w, ky)
    cxy, kxy = _combine([cx, cy], [kx, ky], cx.shape[0])
    hxy = _h_codes(cxy, w, kxy)
    return hx, hy, hxy


def _meet_kernel(cx, cy, w, kx, ky):
    """Connected components of the bipartite support graph (Algorithm 1 of [1]_, §2.3).

    Returns (component of each X value, of each Y value, pmf of the components); -1 off the support.
    """
    from scipy import sparse as _sparse  # imported on use: keeps `import infokit` light
    from scipy.sparse import csgraph as _csgraph

    n_nodes = kx + ky
    graph = _sparse.coo_matrix((np.ones(cx.shape[0]), (cx, kx + cy)), shape=(n_nodes, n_nodes)).tocsr()
    _, comp = _csgraph.connected_components(graph, directed=False)
    px = np.bincount(cx, weights=w, minlength=kx)
    py = np.bincount(cy, weights=w, minlength=ky)
    on_x, on_y = px > 0, py > 0
    # renumber the components that carry mass, in order of first appearance along the X values
    used = comp[:kx][on_x]
    _, first = np.unique(used, return_index=True)
    ordered = used[np.sort(first)]
    remap = np.full(n_nodes, -1, dtype=np.int64)
    remap[ordered] = np.arange(ordered.shape[0], dtype=np.int64)
    x_comp = np.where(on_x, remap[comp[:kx]], -1)
    y_comp = np.where(on_y, remap[comp[kx:]], -1)
    pmf = np.bincount(x_comp[cx], weights=w, minlength=ordered.shape[0])
    # rescale away the round-off of the input's total (validated to be 1 within atol): one component is
    # then exactly the constant variable, of entropy 0
    return x_comp, y_comp, pmf / pmf.sum()


def meet(joint=None, *, p=None, x=None, y=None, base=None, atol=None) -> MeetResult:
    r"""Gács–Körner common part :math:`X \wedge Y`: the finest variable that is a function of X and of Y.

    Parameters
    ----------
    joint : array_like, optional
        2-D joint pmf ``joint[x, y]`` (rows are X). Alternatively use the label form below.
    p : array_like, optional
        pmf over the sample space Ω (label form).
    x, y : array_like or callable, optional
        Labels of X and Y on Ω (label form); see the module docstring for the accepted kinds.
    base : float, optional
        Logarithm base of ``entropy``: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the total mass of ``joint`` / ``p``.

    Returns
    -------
    MeetResult
        Component label of each value of X and Y, pmf of the common variable and its entropy.

    Notes
    -----
    Join the values :math:`x` and :math:`y` whenever :math:`p(x, y) > 0`; the connected components of this
    bipartite graph are the values of the common part :math:`W = X \wedge Y` (Algorithm 1 of [1]_; [3]_):

    .. math:: H(X \wedge Y) = -\sum_{w} p(w) \log p(w), \qquad p(w) = \sum_{x \in w} p(x),

    and :math:`H(X \wedge Y) \le I(X; Y)`. Cost: one sparse graph with :math:`|X| + |Y|` nodes and
    :math:`|\mathrm{supp}\, p(x,y)|` edges.

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540
    .. [3] Gács, P., Körner, J. (1973). Common information is far less than mutual information. Problems of
       Control and Information Theory 2(2):149–162.

    Examples
    --------
    Two blocks on the diagonal share exactly the bit "which block":

    >>> import infokit
    >>> r = infokit.meet([[0.25, 0.25, 0.0], [0.0, 0.0, 0.5]], base=2)
    >>> r.entropy, r.x_components.tolist(), r.y_components.tolist()
    (1.0, [0, 1], [0, 0, 1])
    """
    b = check_base(base)
    cx, cy, w, kx, ky, full = _two_variables(joint, p, x, y, atol)
    x_comp, y_comp, pmf = _meet_kernel(cx, cy, w, kx, ky)
    h = float(_entr(pmf).sum())
    labels = None if full is None else _frozen(x_comp[full[0]])
    return MeetResult(
        entropy=float(to_base(h, b)),
        pmf=_frozen(pmf),
        x_components=_frozen(x_comp),
        y_components=_frozen(y_comp),
        n_components=int(pmf.shape[0]),
        labels=labels,
        unit=unit_name(b),
    )


def common_information(joint=None, *, p=None, x=None, y=None, base=None, atol=None) -> float:
    r"""Gács–Körner common information :math:`C_{GK}(X; Y) = H(X \wedge Y)`.

    Same inputs as :func:`meet`; returns only the entropy of the common part, in ``base`` units.

    Examples
    --------
    >>> import infokit
    >>> infokit.common_information([[0.5, 0.0], [0.0, 0.5]], base=2)   # a copied fair bit
    1.0
    >>> infokit.common_information([[0.25, 0.25], [0.25, 0.25]], base=2)   # independent bits
    0.0
    """
    return meet(joint, p=p, x=x, y=y, base=base, atol=atol).entropy


def shannon_distance(joint=None, *, p=None, x=None, y=None, base=None, atol=None) -> float:
    r"""Shannon's entropic metric :math:`d(X, Y) = H(X \mid Y) + H(Y \mid X)` (variation of information).

    Parameters
    ----------
    joint : array_like, optional
        2-D joint pmf (rows are X), or use the label form ``p=``, ``x=``, ``y=`` (see :func:`meet`).
    base : float, optional
        ``None`` for nats, ``2`` for bits.

    Returns
    -------
    float
        The distance, :math:`\ge 0`; 0 iff X and Y are functions of each other a.s.

    Notes
    -----
    .. math:: d(X, Y) = 2 H(X, Y) - H(X) - H(Y).

    A metric on information elements ([2]_, §3 of [1]_); for :math:`X \le Y` (X a function of Y) it is
    :math:`H(Y) - H(X)`, and the join lies between: :math:`d(X, Y) = d(X, X \vee Y) + d(X \vee Y, Y)`.

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540
    .. [2] Shannon, C. E. (1953). The lattice theory of information. Transactions of the IRE Professional
       Group on Information Theory 1(1):105–107.

    Examples
    --------
    >>> import infokit
    >>> round(infokit.shannon_distance([[0.25, 0.25], [0.25, 0.25]], base=2), 12)   # independent bits: 1 + 1
    2.0
    """
    b = check_base(base)
    hx, hy, hxy = _entropies_pair(*_two_variables(joint, p, x, y, atol)[:5])
    return float(to_base(max(2.0 * hxy - hx - hy, 0.0), b))


def rajski_distance(joint=None, *, p=None, x=None, y=None, atol=None) -> float:
    r"""Rajski's normalised distance :math:`\delta(X, Y) = 1 - I(X;Y)/H(X,Y) = d(X,Y)/H(X,Y)`, in [0, 1].

    Same inputs as :func:`shannon_distance`; the result is unitless. **Convention:** when
    :math:`H(X, Y) = 0` (both variables constant) the distance is defined as 0 (they are the same,
    null, information element).

    Notes
    -----
    .. math:: \delta(X, Y) = \frac{H(X\mid Y) + H(Y\mid X)}{H(X, Y)} .

    0 iff X and Y are equivalent, 1 iff they are independent; a metric ([4]_, §3 of [1]_). The dependency
    coefficient is :math:`\rho = 1 - \delta`.

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540
    .. [4] Rajski, C. (1961). A metric space of discrete probability distributions. Information and Control
       4(4):371–377.

    Examples
    --------
    >>> import infokit
    >>> round(infokit.rajski_distance([[0.25, 0.25], [0.25, 0.25]]), 12)   # independent
    1.0
    >>> round(infokit.rajski_distance([[0.5, 0.0], [0.0, 0.5]]), 12)       # equivalent
    0.0
    """
    hx, hy, hxy = _entropies_pair(*_two_variables(joint, p, x, y, atol)[:5])
    if hxy <= 0.0:
        return 0.0
    return float(min(max((2.0 * hxy - hx - hy) / hxy, 0.0), 1.0))


# ============================================================================================ n variables on Ω
def _labels_on(p, labels, atol, *, name_p="p", allow_empty=False):
    pp = _pmf_numpy(p, name_p, atol)
    m = pp.shape[0]
    if not labels and not allow_empty:
        raise InvalidParameterError("pass at least one label array after `p`")
    coded = [_factorize(lab, f"labels[{i}]", m) for i, lab in enumerate(labels)]
    return pp, m, coded


def join(p, *labels, atol=None) -> np.ndarray:
    r"""Join :math:`X_1 \vee \dots \vee X_n`: integer codes of the tuple map :math:`\omega \mapsto (X_i(\omega))_i`.

    Parameters
    ----------
    p : array_like
        pmf over the sample space Ω (validated; it fixes |Ω|).
    *labels : array_like or callable
        One label array (or callable on the index) per variable, each of length |Ω|. With no labels the
        result is the null element 0 (a constant).

    Returns
    -------
    ndarray of int64
        Codes 0..k−1 over Ω, in lexicographic order of the (sorted) label tuples; equal codes iff equal tuples.

    Notes
    -----
    The join is the common refinement of the partitions generated by the :math:`X_i` ([2]_, §2.2 of [1]_):
    :math:`H(X \vee Y) = H(X, Y)`. Cost O(n·|Ω|) plus one sort.

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540
    .. [2] Shannon, C. E. (1953). The lattice theory of information. Transactions of the IRE Professional
       Group on Information Theory 1(1):105–107.

    Examples
    --------
    >>> import infokit
    >>> p = [0.25] * 4
    >>> infokit.join(p, [0, 0, 1, 1], [0, 1, 0, 1]).tolist()   # two bits determine the outcome
    [0, 1, 2, 3]
    """
    pp, m, coded = _labels_on(p, labels, atol, allow_empty=True)
    codes, _ = _combine([c for c, _ in coded], [k for _, k in coded], m)
    return codes


def joint_from_labels(p, *labels, atol=None) -> np.ndarray:
    r"""Dense joint table :math:`P(X_1 = a_1, \dots) = \sum_{\omega} p(\omega)\,[X_i(\omega) = a_i\ \forall i]`.

    Axis ``i`` is indexed by the distinct values of ``labels[i]`` in sorted order (first-seen order for labels
    of incomparable types). The table has :math:`\prod_i k_i` entries — prefer the label form of the
    functions of this module for large alphabets.

    Examples
    --------
    >>> import infokit
    >>> infokit.joint_from_labels([0.5, 0.25, 0.25], ["a", "b", "b"], [0, 0, 1]).tolist()
    [[0.5, 0.0], [0.25, 0.25]]
    """
    pp, m, coded = _labels_on(p, labels, atol)
    shape = tuple(k for _, k in coded)
    flat = np.ravel_multi_index(tuple(c for c, _ in coded), shape) if coded else np.zeros(m, dtype=np.int64)
    return np.bincount(flat, weights=pp, minlength=int(np.prod(shape))).reshape(shape)


def complement(p, x, z=None, *, atol=None) -> np.ndarray:
    r"""A complement :math:`Y` of :math:`X` in :math:`[0, Z]`: :math:`X \vee Y = Z` and :math:`X \wedge Y = 0`.

    Parameters
    ----------
    p : array_like
        pmf over the sample space Ω.
    x : array_like or callable
        Labels of X on Ω; X must be a function of Z on the support of ``p``.
    z : array_like or callable, optional
        Labels of Z on Ω. Default: the identity (the total information 1).

    Returns
    -------
    ndarray of int64
        Labels of Y on Ω: the rank of :math:`Z(\omega)` among the values of Z in its X-class, classes
        sorted by decreasing probability (ties: sorted Z value).

    Notes
    -----
    Complements exist but are not unique (§2.4–2.5 of [1]_, which gives Algorithm 2). This construction is
    ours: within each class :math:`\{z : f(z) = x\}` the values of Z are numbered :math:`0, 1, \dots` by
    decreasing :math:`p(z)`. Then :math:`(X, Y)` determines Z, and every class contains the value
    :math:`Y = 0` with positive probability, so the support graph of :math:`(X, Y)` is connected and
    :math:`X \wedge Y = 0`. Ranking by probability keeps :math:`H(Y)` small but is not a minimum-entropy
    complement in general (that is a minimum-entropy coupling of the :math:`p(z \mid x)`).

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540

    Examples
    --------
    Ω = {-2, -1, 1, 2} with p = (0.1, 0.4, 0.3, 0.2) and X = sign: within each sign class the smaller magnitude
    is the more likely, so the complement found is |ω| − 1; with (X, |ω|) the outcome is known.

    >>> import infokit
    >>> infokit.complement([0.1, 0.4, 0.3, 0.2], [-1, -1, 1, 1]).tolist()
    [1, 0, 0, 1]
    """
    pp = _pmf_numpy(p, "p", atol)
    m = pp.shape[0]
    cx, _ = _factorize(x, "x", m)
    if z is None:
        cz, kz = np.arange(m, dtype=np.int64), m
    else:
        cz, kz = _factorize(z, "z", m)
    s = pp > 0
    # X must be a function of Z on the support: each supported z value has a single x value
    pair, _ = _combine([cz[s], cx[s]], [kz, int(cx.max()) + 1], int(s.sum()))
    zc, _ = _refactor(cz[s])
    if pair.max(initial=-1) != zc.max(initial=-1):
        idx = np.flatnonzero(s)
        order = np.lexsort((cx[s], cz[s]))
        zs, xs = cz[s][order], cx[s][order]
        k = int(np.flatnonzero((zs[1:] == zs[:-1]) & (xs[1:] != xs[:-1]))[0])
        i, j = sorted((int(idx[order[k]]), int(idx[order[k + 1]])))
        raise InvalidParameterError(
            f"`x` must be a function of `z` on the support of `p` (X ≤ Z); outcomes {i} and {j} have the same "
            "z label but different x labels; pass a coarser `x` or a finer `z`"
        )
    pz = np.bincount(cz, weights=pp, minlength=kz)
    x_of_z = np.zeros(kz, dtype=np.int64)
    # the x value of each z value: from a supported outcome when there is one, else from any outcome
    x_of_z[cz[~s]] = cx[~s]
    x_of_z[cz[s]] = cx[s]
    present = np.zeros(kz, dtype=bool)
    present[cz] = True
    zvals = np.flatnonzero(present)
    order = np.lexsort((zvals, -pz[zvals], x_of_z[zvals]))
    sorted_x = x_of_z[zvals][order]
    starts = np.r_[0, np.flatnonzero(sorted_x[1:] != sorted_x[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, sorted_x.shape[0]]))
    rank = np.empty(kz, dtype=np.int64)
    rank[zvals[order]] = np.arange(order.shape[0], dtype=np.int64) - group_start
    return rank[cz]


# ============================================================================================ reconstruction
def _as_label_list(labels):
    """The sequence of per-function labels, rejecting the ambiguous single-array/single-callable cases."""
    if callable(labels) and not isinstance(labels, np.ndarray):
        raise InvalidInputTypeError(
            "`labels` must be a sequence with one label array or callable per function; got a single callable; "
            "wrap it in a list: labels=[f]"
        )
    if is_torch(labels):
        labels = to_numpy(labels)
    if isinstance(labels, np.ndarray):
        if labels.ndim < 2 and labels.dtype.kind != "O":
            raise InvalidInputTypeError(
                f"`labels` must be a sequence of label arrays (one per function); got one array of shape "
                f"{labels.shape}; wrap it in a list: labels=[x1]"
            )
        return list(labels)
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise InvalidInputTypeError(
            "`labels` must be a list or tuple of label arrays or callables (one per function); "
            f"got {type(labels).__name__}"
        )
    labels = list(labels)
    if labels and all(isinstance(v, numbers.Number) for v in labels):
        raise InvalidInputTypeError(
            "`labels` must be a sequence of label arrays (one per function); got a flat list of numbers; "
            "wrap it in a list: labels=[x1]"
        )
    return labels


def reconstruction_condition(p_x, labels, *, values=None, base=None, tol=1e-9, pairwise=False,
                             atol=None) -> ReconstructionResult:
    r"""Can X be recovered from :math:`X_i = f_i(X)`? Test :math:`\sum_i \delta(X_i, X) \le n-1` and injectivity.

    Parameters
    ----------
    p_x : array_like
        pmf of X over its index set 0, …, m−1.
    labels : sequence of array_like or callable
        One entry per function :math:`f_i`: a label array of length m (``labels[i][x]`` = :math:`f_i(x)`), a
        2-D array of shape (m, k) (one tuple per row), or a callable. Callables are applied once per index
        x = 0, …, m−1 (or to ``values[x]`` when ``values`` is given) and must return hashable labels. A 2-D
        array passed as ``labels`` itself is read as one function per row, shape (n, m).
    values : sequence, optional
        The values of X, passed to callables instead of the index.
    base : float, optional
        Unit of the entropies: ``None`` (nats), ``2`` (bits).
    tol : float
        Tolerance of the inequality checks (``necessary_ok``, ``tree_ok``), unitless (Rajski scale).
    pairwise : bool
        Also compute the matrices :math:`d(X_i, X_j)`, :math:`\delta(X_i, X_j)` and the spanning-tree bound
        (cost O(n²·|supp|) instead of O(n·|supp|)).
    atol : float, optional
        Tolerance on the total mass of ``p_x``.

    Returns
    -------
    ReconstructionResult

    Notes
    -----
    X is reconstructable iff :math:`X = X_1 \vee \dots \vee X_n`, i.e. :math:`H(X \mid X_1..X_n) = 0`, i.e.
    the tuple map is injective on the support of ``p_x`` — checked exactly here. Since each :math:`X_i \le X`,

    .. math::

        d(X_i, X) = H(X) - H(X_i), \qquad \delta(X_i, X) = 1 - \frac{H(X_i)}{H(X)}, \qquad
        \rho_i = \frac{H(X_i)}{H(X)},

    and reconstructability gives :math:`H(X) = H(X_1..X_n) \le \sum_i H(X_i)`, i.e. the necessary condition of
    [1]_ (§4, "the components must not be globally too far from X"):

    .. math::

        \sum_{i=1}^n \delta(X_i, X) \le n - 1
        \iff \sum_i d(X_i, X) \le (n - 1) H(X) \iff \sum_i \rho_i \ge 1 .

    Equality with X reconstructable holds iff the :math:`X_i` are mutually independent; the condition is not
    sufficient in general (four parities of rank 3 on :math:`\mathbb{F}_2^4` meet it with equality).
    ``slack`` :math:`= (n-1) - \sum_i\delta_i = (\sum_i H(X_i) - H(X)) / H(X)`.

    With ``pairwise=True`` the spanning-tree bound :math:`H(X_1..X_n) \le \sum_i H(X_i) - \max_T \sum_{(i,j) \in T}
    I(X_i; X_j)` (chain rule along a tree, each variable conditioned on its parent only) gives a stronger
    necessary condition ``tree_ok``. It is **not from** [1]_.

    When :math:`H(X) = 0` (one support point) the Rajski distances are 0 by convention (see
    :func:`rajski_distance`).

    References
    ----------
    .. [1] Delsol, I., Rioul, O., Béguinot, J., Rabiet, V., Souloumiac, A. (2024). An Information Theoretic
       Condition for Perfect Reconstruction. Entropy 26(1):86. arXiv:2306.15540

    Examples
    --------
    Chinese remainder theorem: X uniform on 0..29 is recovered from X mod 2, 3, 5, with equality.

    >>> import infokit
    >>> r = infokit.reconstruction_condition([1 / 30] * 30, [lambda x: x % 2, lambda x: x % 3, lambda x: x % 5])
    >>> r.reconstructable, round(r.sum_delta, 12), r.bound
    (True, 2.0, 2)
    """
    b = check_base(base)
    tol = check_nonneg_float(tol, "tol")
    if not isinstance(pairwise, (bool, np.bool_)):
        raise InvalidParameterError(f"`pairwise` must be True or False; got {pairwise!r}")
    pp = _pmf_numpy(p_x, "p_x", atol)
    m = pp.shape[0]
    items = _as_label_list(labels)
    if not items:
        raise InvalidParameterError("`labels` must contain at least one function; got an empty sequence")
    if values is not None:
        if is_torch(values):
            values = to_numpy(values)
        if len(values) != m:
            raise ShapeMismatchError(
                f"`values` must have one value per entry of `p_x` (length {m}); got length {len(values)}"
            )
    coded = [_factorize(lab, f"labels[{i}]", m, values=values) for i, lab in enumerate(items)]
    r = _reconstruction_kernel(pp, coded, tol, bool(pairwise))

    def u(v):  # the one unit conversion, at return
        return float(to_base(v, b))

    def ua(v):
        return _frozen(to_base(np.asarray(v, dtype=np.float64), b))

    return ReconstructionResult(
        H_X=u(r["H_X"]),
        H_i=ua(r["H_i"]),
        H_join=u(r["H_join"]),
        conditional_entropy=u(r["cond"]),
        d_i=ua(r["d_i"]),
        delta_i=_frozen(r["delta_i"]),
        rho_i=_frozen(1.0 - r["delta_i"]),
        sum_delta=float(r["sum_delta"]),
        bound=len(coded) - 1,
        necessary_ok=bool(r["sum_delta"] <= len(coded) - 1 + tol),
        reconstructable=r["reconstructable"],
        slack=float(len(coded) - 1 - r["sum_delta"]),
        witness=r["witness"],
        total_correlation=u(r["tc"]),
        n=len(coded),
        support_size=int(r["support_size"]),
        pairwise_d=None if r["pd"] is None else ua(r["pd"]),
        pairwise_delta=None if r["pdelta"] is None else _frozen(r["pdelta"]),
        tree_bound=None if r["tree"] is None else u(r["tree"]),
        tree_ok=r["tree_ok"],
        unit=unit_name(b),
    )


def _reconstruction_kernel(pp, coded, tol, pairwise):
    """All quantities in nats (§4 of [1]_). O(n·|supp|) plus sorts; O(n²·|supp|) with ``pairwise``."""
    support = np.flatnonzero(pp > 0)
    w = pp[support]
    ns = support.shape[0]
    codes = [c[support] for c, _ in coded]
    sizes = [k for _, k in coded]
    h_x = float(_entr(w).sum())
    h_i = np.array([_h_codes(c, w, k) for c, k in zip(codes, sizes)])
    jcodes, kj = _combine(codes, sizes, ns)
    h_join = _h_codes(jcodes, w, kj)
    reconstructable = kj == ns  # exact: injective on the support
    witness = None
    if not reconstructable:
        order = np.argsort(jcodes, kind="stable")
        k = int(np.flatnonzero(jcodes[order][1:] == jcodes[order][:-1])[0])
        witness = (int(support[order[k]]), int(support[order[k + 1]]))
    d_i = np.maximum(h_x - h_i, 0.0)  # X_i ≤ X so H(X_i, X) = H(X); clip round-off below 0
    delta_i = d_i / h_x if h_x > 0 else np.zeros_like(d_i)
    out = {
        "H_X": h_x, "H_i": h_i, "H_join": h_join, "cond": max(h_x - h_join, 0.0), "d_i": d_i,
        "delta_i": delta_i, "sum_delta": float(delta_i.sum()), "reconstructable": bool(reconstructable),
        "witness": witness, "tc": max(float(h_i.sum()) - h_join, 0.0), "support_size": ns,
        "pd": None, "pdelta": None, "tree": None, "tree_ok": None,
    }
    if pairwise:
        from scipy import sparse as _sparse  # imported on use: keeps `import infokit` light
        from scipy.sparse import csgraph as _csgraph

        n = len(codes)
        hij = np.zeros((n, n))
        for i in range(n):
            hij[i, i] = h_i[i]
            for j in range(i + 1, n):
                cij, kij = _combine([codes[i], codes[j]], [sizes[i], sizes[j]], ns)
                hij[i, j] = hij[j, i] = _h_codes(cij, w, kij)
        hsum = h_i[:, None] + h_i[None, :]
        pd = np.maximum(2.0 * hij - hsum, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            pdelta = np.where(hij > 0, pd / np.where(hij > 0, hij, 1.0), 0.0)
        mi = np.maximum(hsum - hij, 0.0)
        np.fill_diagonal(mi, 0.0)
        # maximum-weight spanning tree = minimum spanning tree of −I (zero weights are absent edges: they add 0)
        tree = _csgraph.minimum_spanning_tree(_sparse.csr_matrix(-np.triu(mi, 1)))
        tree_bound = float(h_i.sum() + tree.sum())
        out.update(pd=pd, pdelta=np.clip(pdelta, 0.0, 1.0), tree=tree_bound,
                   tree_ok=bool(h_x <= tree_bound + tol * max(h_x, 1.0)))
    return out
