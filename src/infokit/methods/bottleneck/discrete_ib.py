r"""Discrete information bottleneck: the iterative IB [1]_ and the deterministic IB [2]_ of a joint p(x, y).

Given a joint table :math:`p(x, y)`, both methods look for an encoder :math:`q(t \mid x)` of X into a bottleneck
variable T (Markov chain :math:`T - X - Y`) that keeps information about Y while compressing X:

* **IB** [1]_ minimises :math:`\mathcal L_{IB} = I(X;T) - \beta\, I(T;Y)` over stochastic encoders;
* **DIB** [2]_ minimises :math:`\mathcal L_{DIB} = H(T) - \beta\, I(T;Y)`; its optimum is a deterministic
  encoder :math:`t = f(x)` (the objective is concave in the encoder, so its minimum sits at a vertex of the
  product of simplices), which ``method="dib_exact"`` finds by enumerating every set partition of X.

On deterministic encoders :math:`I(X;T) = H(T)`, so both objectives agree there: the best deterministic encoder
is the exact DIB optimum and an upper bound on the IB optimum at the same β.

References
----------
.. [1] Tishby, N., Pereira, F. C., Bialek, W. (1999). The information bottleneck method. Proc. 37th Annual
   Allerton Conference on Communication, Control and Computing, 368–377. arXiv:physics/0004057.
.. [2] Strouse, D. J., Schwab, D. J. (2017). The deterministic information bottleneck. Neural Computation
   29(6):1611–1630. arXiv:1604.00268.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import entr, xlogy

from ..._backend import to_numpy
from ..._units import check_base, to_base, unit_name
from ..._validation import (
    as_float_array,
    check_choice,
    check_joint,
    check_nonneg_float,
    check_pmf,
    check_positive_int,
    check_random_state,
)
from ...exceptions import ConvergenceWarning, InvalidDistributionError, InvalidParameterError, ShapeMismatchError
from ...measures import entropy, mutual_information

__all__ = ["IBResult", "IBCurve", "information_bottleneck", "information_bottleneck_curve"]

METHODS = ("ib", "dib", "dib_exact")
#: Largest support of X for ``method="dib_exact"``: Bell(10) = 115,975 set partitions.
MAX_EXACT_SUPPORT = 10
_CHUNK = 8192  # partitions evaluated per batch by the exact search (memory: _CHUNK * n_x * n_t floats)


# ================================================================================================ results
def _frozen(a, dtype=np.float64):
    a = np.array(a, dtype=dtype, copy=True)
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class IBResult:
    r"""One solution of the (deterministic) information bottleneck (see :func:`information_bottleneck`).

    Attributes
    ----------
    encoder : ndarray, shape (n_x, n_clusters)
        :math:`q(t \mid x)`; rows are pmfs (one-hot rows for the DIB). Rows of outcomes x with
        :math:`p(x) = 0` are set to :math:`q(t)` (they carry no information and do not enter any quantity).
    cluster_marginal : ndarray, shape (n_clusters,)
        :math:`q(t) = \sum_x p(x) q(t \mid x)`; unused clusters have mass 0.
    decoder : ndarray, shape (n_clusters, n_y)
        :math:`q(y \mid t) = \sum_x p(x, y) q(t \mid x) / q(t)`; rows of unused clusters are set to p(y).
    i_xt, i_ty, h_t : float
        :math:`I(X;T)`, :math:`I(T;Y)` and :math:`H(T)` in ``unit``.
    objective : float
        :math:`I(X;T) - \beta I(T;Y)` (IB) or :math:`H(T) - \beta I(T;Y)` (DIB), in ``unit``.
    beta : float
        The trade-off parameter β (dimensionless).
    method : str
        ``"ib"``, ``"dib"`` or ``"dib_exact"``.
    n_clusters_used : int
        Number of clusters with :math:`q(t) > 0`.
    iterations : int
        Updates of the winning run (0 for ``"dib_exact"``).
    converged : bool
        Whether the winning run met ``tol`` (always True for ``"dib_exact"``).
    unit : str
        Unit of the information quantities.
    """

    encoder: np.ndarray
    cluster_marginal: np.ndarray
    decoder: np.ndarray
    i_xt: float
    i_ty: float
    h_t: float
    objective: float
    beta: float
    method: str
    n_clusters_used: int
    iterations: int
    converged: bool
    unit: str


@dataclass(frozen=True)
class IBCurve:
    r"""Solutions over a grid of β (see :func:`information_bottleneck_curve`), in the order of ``betas``.

    Attributes
    ----------
    betas : ndarray, shape (k,)
    i_xt, i_ty, h_t, objective : ndarray, shape (k,)
        The information-plane coordinates and objective of each solution, in ``unit``.
    n_clusters_used : ndarray of int, shape (k,)
    encoders : ndarray, shape (k, n_x, n_clusters)
        :math:`q(t \mid x)` at each β.
    converged : ndarray of bool, shape (k,)
    i_xy, h_x : float
        :math:`I(X;Y)` (the ceiling of ``i_ty``) and :math:`H(X)` (the ceiling of ``i_xt`` and, for the DIB,
        of ``h_t`` when ``n_clusters >= n_x``), in ``unit``.
    method, unit : str
    """

    betas: np.ndarray
    i_xt: np.ndarray
    i_ty: np.ndarray
    h_t: np.ndarray
    objective: np.ndarray
    n_clusters_used: np.ndarray
    encoders: np.ndarray
    converged: np.ndarray
    i_xy: float
    h_x: float
    method: str
    unit: str


# ============================================================================================== problem
@dataclass(frozen=True)
class _Problem:
    """The joint restricted to the support of X, with the quantities every kernel needs (nats)."""

    pxy: np.ndarray  # (n, m) rows with p(x) > 0
    px: np.ndarray  # (n,)
    py: np.ndarray  # (m,)
    py_x: np.ndarray  # (n, m) p(y | x)
    negent: np.ndarray  # (n,) sum_y p(y|x) log p(y|x)
    support: np.ndarray  # bool mask over the original rows
    h_x: float
    h_y: float
    i_xy: float


def _problem(joint) -> _Problem:
    support = joint.sum(axis=1) > 0
    pxy = joint[support]
    px = pxy.sum(axis=1)
    py = joint.sum(axis=0)
    py_x = pxy / px[:, None]
    h_x = float(entropy(px, normalize=True))
    h_y = float(entropy(py, normalize=True))
    i_xy = float(mutual_information(pxy, normalize=True))
    return _Problem(pxy, px, py, py_x, xlogy(py_x, py_x).sum(axis=1), support, h_x, h_y, i_xy)


# ============================================================================================== kernels
def _decode(prob: _Problem, enc):
    """q(t) and q(y|t) of a batch of encoders ``enc`` (R, n, k): the last two updates of §3 of [1]_."""
    qt = np.einsum("x,rxt->rt", prob.px, enc)
    jty = np.einsum("rxt,xy->rty", enc, prob.pxy)
    with np.errstate(invalid="ignore", divide="ignore"):
        qy_t = np.where(qt[..., None] > 0, jty / qt[..., None], prob.py[None, None, :])
    return qt, qy_t, jty


def _kl_matrix(prob: _Problem, qy_t):
    r"""D[r, x, t] = KL(p(y|x) || q(y|t)) in nats (+inf where q(y|t) misses the support of p(y|x))."""
    with np.errstate(divide="ignore"):
        logq = np.where(qy_t > 0, np.log(np.where(qy_t > 0, qy_t, 1.0)), 0.0)
    cross = np.einsum("xy,rty->rxt", prob.py_x, logq)
    missing = np.einsum("xy,rty->rxt", (prob.py_x > 0).astype(np.float64), (qy_t <= 0).astype(np.float64))
    d = prob.negent[None, :, None] - cross
    d = np.maximum(d, 0.0)  # round-off: KL >= 0
    d[missing > 0] = np.inf
    return d


def _update(prob: _Problem, enc, beta: float, deterministic: bool, decoded=None):
    r"""One sweep of the IB self-consistent equations [1]_ (soft) or of the DIB assignment [2]_ (hard).

    IB ([1]_ §3):  :math:`q(t|x) \propto q(t)\exp(-\beta D_{KL}[p(y|x)\,\|\,q(y|t)])`.
    DIB ([2]_ §3): :math:`f(x) = \arg\max_t\, [\log q(t) - \beta D_{KL}[p(y|x)\,\|\,q(y|t)]]`.
    """
    qt, qy_t, _ = _decode(prob, enc) if decoded is None else decoded
    with np.errstate(divide="ignore"):
        log_qt = np.log(qt)
    if beta == 0.0:
        score = np.broadcast_to(log_qt[:, None, :], enc.shape)
    else:
        d = _kl_matrix(prob, qy_t)
        score = log_qt[:, None, :] - beta * d  # -inf where q(t) = 0 or the KL is infinite
    if deterministic:
        best = np.argmax(score, axis=-1)
        new = np.zeros_like(enc)
        np.put_along_axis(new, best[..., None], 1.0, axis=-1)
        return new
    top = np.max(score, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        w = np.exp(score - np.where(np.isfinite(top), top, 0.0))  # softmax shifted by the row maximum
        new = w / w.sum(axis=-1, keepdims=True)
    # a row with every score -inf cannot occur for a consistent encoder; keep the old row if it ever does
    ok = np.isfinite(top)
    return np.where(ok, new, enc)


def _iterate(prob: _Problem, enc, beta: float, method: str, tol: float, max_iter: int):
    """Run the updates on a batch of encoders until each objective decreases by at most ``tol`` (nats).

    Each sweep (encoder, then q(t) and q(y|t)) minimises one block of the functional of [1]_ (resp. [2]_),
    so the objective never increases; a run stops when it decreases by at most ``tol`` or the encoder no
    longer moves. (A criterion on the encoder alone would not do: two clusters with the same q(y|t) can
    trade mass for thousands of sweeps without changing anything the objective sees.)
    """
    deterministic = method == "dib"
    enc = np.array(enc, dtype=np.float64, copy=True)
    r = enc.shape[0]
    its = np.zeros(r, dtype=np.int64)
    conv = np.zeros(r, dtype=bool)
    dec = _decode(prob, enc)
    obj = _objective(method, beta, *_metrics(prob, enc, decoded=dec))
    active = np.arange(r)
    for it in range(1, max_iter + 1):
        cur = enc[active]
        new = _update(prob, cur, beta, deterministic, dec)
        dec = _decode(prob, new)
        new_obj = _objective(method, beta, *_metrics(prob, new, decoded=dec))
        still = np.abs(new - cur).reshape(len(active), -1).max(axis=1) > 0
        done = ~still | (obj[active] - new_obj <= tol)
        enc[active] = new
        obj[active] = new_obj
        its[active] = it
        conv[active[done]] = True
        keep = ~done
        active = active[keep]
        if active.size == 0:
            break
        dec = tuple(d[keep] for d in dec)
    return enc, its, conv, obj


def _metrics(prob: _Problem, enc, *, exact: bool = False, decoded=None):
    """(H(T), I(X;T), I(T;Y)) in nats for a batch of encoders (R, n, k).

    ``exact=True`` (the reported numbers) evaluates every entropy with :func:`infokit.entropy`; the inner
    loop uses the same sums through ``scipy.special.entr`` without re-validating the pmfs at every sweep.
    """
    qt, _, jty = _decode(prob, enc) if decoded is None else decoded
    r = enc.shape[0]
    if exact:
        h_t = np.atleast_1d(entropy(qt, axis=-1, normalize=True))
        h_t_x = np.atleast_1d(entropy(enc, axis=-1, normalize=True)) @ prob.px
        h_ty = np.atleast_1d(entropy(jty.reshape(r, -1), axis=-1, normalize=True))
    else:
        h_t = entr(qt).sum(axis=-1)
        h_t_x = entr(enc).sum(axis=-1) @ prob.px
        h_ty = entr(jty.reshape(r, -1)).sum(axis=-1)
    i_xt = np.clip(h_t - h_t_x, 0.0, None)
    i_ty = np.clip(h_t + prob.h_y - h_ty, 0.0, None)
    return h_t, i_xt, i_ty


def _objective(method: str, beta: float, h_t, i_xt, i_ty):
    return (i_xt if method == "ib" else h_t) - beta * i_ty


def _random_encoders(rng, count: int, n: int, k: int, deterministic: bool):
    if count <= 0:
        return np.zeros((0, n, k))
    if deterministic:
        labels = rng.integers(0, k, size=(count, n))
        enc = np.zeros((count, n, k))
        np.put_along_axis(enc, labels[..., None], 1.0, axis=-1)
        return enc
    # half flat Dirichlet(1) rows, half "spiky" rows (a random hard assignment softened to 80 %): both
    # families are common IB starts ([2]_'s reference code uses the second); mixing them finds more optima
    flat = rng.dirichlet(np.ones(k), size=(count, n))
    labels = rng.integers(0, k, size=(count, n))
    spiky = 0.2 * rng.dirichlet(np.ones(k), size=(count, n))
    np.put_along_axis(spiky, labels[..., None], np.take_along_axis(spiky, labels[..., None], -1) + 0.8, axis=-1)
    half = count // 2
    return np.concatenate([flat[:count - half], spiky[:half]], axis=0)


def _identity_encoder(n: int, k: int):
    """T = X (or the first k outcomes kept apart and the rest merged into the last cluster)."""
    enc = np.zeros((1, n, k))
    enc[0, np.arange(n), np.minimum(np.arange(n), k - 1)] = 1.0
    return enc


def _merges(enc):
    """Every encoder obtained from the one-hot ``enc`` (n, k) by merging two of its used clusters."""
    used = np.flatnonzero(enc.sum(axis=0) > 0)
    out = []
    for a in range(used.size):
        for c in range(a + 1, used.size):
            e = enc.copy()
            e[:, used[a]] += e[:, used[c]]
            e[:, used[c]] = 0.0
            out.append(e)
    return np.stack(out) if out else np.zeros((0,) + enc.shape)


def _moves(enc):
    """Every encoder obtained from the one-hot ``enc`` (n, k) by moving one x to another cluster (used or empty)."""
    n, k = enc.shape
    cur = enc.argmax(axis=1)
    used = enc.sum(axis=0) > 0
    targets = np.flatnonzero(used)
    if (~used).any():
        targets = np.append(targets, np.flatnonzero(~used)[0])  # one empty cluster stands for all of them
    out = []
    for x in range(n):
        for t in targets:
            if t != cur[x]:
                e = enc.copy()
                e[x] = 0.0
                e[x, t] = 1.0
                out.append(e)
    return np.stack(out) if out else np.zeros((0, n, k))


def _best(prob, method, beta, candidates, tol, max_iter):
    deterministic = method == "dib"
    enc, its, conv, obj = _iterate(prob, candidates, beta, method, tol, max_iter)
    b = int(np.argmin(obj))
    best, it_b, conv_b, obj_b = enc[b], int(its[b]), bool(conv[b]), float(obj[b])
    if deterministic:
        # Deviation from [2]: after the DIB iteration converges, try every merge of two clusters and every move
        # of one x to another (or a new) cluster, scored by the exact objective, and iterate again from the best
        # improvement, because the hard assignment scores moves with the old decoder and stops at local optima
        # one such step away (e.g. light singleton clusters); the objective only decreases.
        for _ in range(4 * best.size):
            cand = np.concatenate([_merges(best), _moves(best)])
            if cand.shape[0] == 0:
                break
            oc = _objective(method, beta, *_metrics(prob, cand))
            c = int(np.argmin(oc))
            if not oc[c] < obj_b - 1e-12:
                break
            e2, its2, conv2, o2 = _iterate(prob, cand[c][None], beta, method, tol, max_iter)
            c = int(np.argmin(o2))
            if not o2[c] < obj_b - 1e-12:
                break
            best, it_b, conv_b, obj_b = e2[c], it_b + int(its2[c]), bool(conv2[c]), float(o2[c])
    return best, it_b, conv_b, obj_b


def _solve(prob, method, beta, k, n_restarts, init, rng, tol, max_iter):
    """Best of ``n_restarts`` random starts (plus ``init`` and, for the DIB, T = X) at one β."""
    n = prob.px.size
    deterministic = method == "dib"
    parts = []
    if init is not None:
        parts.append(init[None])
    parts.append(_identity_encoder(n, k))
    parts.append(_random_encoders(rng, n_restarts, n, k, deterministic))
    return _best(prob, method, beta, np.concatenate(parts, axis=0), tol, max_iter)


def _set_partitions(n: int, k: int):
    """All set partitions of n items into at most k blocks, as restricted-growth label arrays (B, n)."""
    labels = np.zeros((1, 1), dtype=np.int16)
    top = np.zeros(1, dtype=np.int16)  # largest label used so far in each row
    for _ in range(1, n):
        counts = np.minimum(top + 1, k - 1).astype(np.int64) + 1  # next label can be 0..min(top+1, k-1)
        rows = np.repeat(np.arange(labels.shape[0]), counts)
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        vals = (np.arange(rows.size) - starts).astype(np.int16)
        labels = np.concatenate([labels[rows], vals[:, None]], axis=1)
        top = np.maximum(top[rows], vals)
    return labels[:, :n] if n > 0 else labels[:, :0]


def _exact_table(prob: _Problem, k: int):
    """(labels, H(T), I(T;Y)) in nats of every deterministic encoder (set partition) with at most k blocks."""
    n = prob.px.size
    labels = _set_partitions(n, min(k, n))
    kk = min(k, n)
    h_t = np.empty(labels.shape[0])
    i_ty = np.empty(labels.shape[0])
    for s in range(0, labels.shape[0], _CHUNK):
        lab = labels[s:s + _CHUNK]
        enc = (lab[:, :, None] == np.arange(kk)[None, None, :]).astype(np.float64)
        h, _, i = _metrics(prob, enc)
        h_t[s:s + _CHUNK] = h
        i_ty[s:s + _CHUNK] = i
    return labels, h_t, i_ty


def _labels_to_encoder(labels, k):
    enc = np.zeros((labels.size, k))
    enc[np.arange(labels.size), labels] = 1.0
    return enc


# =========================================================================================== validation
def _check_joint2d(joint):
    j = check_joint(joint, "joint")
    j = np.asarray(to_numpy(j), dtype=np.float64)
    if j.ndim != 2:
        raise InvalidDistributionError(
            f"`joint` must be a 2-D table p(x, y) (rows = x, columns = y); got {j.ndim} axes of shape {j.shape}; "
            "marginalise the extra variables first (infokit.measures.marginal)"
        )
    return j


def _check_common(method, n_clusters, n_restarts, tol, max_iter, base, n_x):
    check_choice(method, "method", METHODS)
    b = check_base(base)
    k = n_x if n_clusters is None else check_positive_int(n_clusters, "n_clusters")
    r = check_positive_int(n_restarts, "n_restarts")
    t = check_nonneg_float(tol, "tol", strict=True)
    m = check_positive_int(max_iter, "max_iter")
    return b, k, r, t, m


def _check_exact_size(prob: _Problem):
    n = prob.px.size
    if n > MAX_EXACT_SUPPORT:
        raise InvalidParameterError(
            f"method='dib_exact' enumerates every set partition of the support of X, which is feasible for at "
            f"most {MAX_EXACT_SUPPORT} outcomes; got {n} outcomes with p(x) > 0; use method='dib' (iterative, "
            "with restarts) for larger alphabets"
        )


def _check_init(init, n_x, k, method, support):
    if init is None:
        return None
    a = np.asarray(to_numpy(as_float_array(init, "init")), dtype=np.float64)
    if a.shape != (n_x, k):
        raise ShapeMismatchError(
            f"`init` must be an encoder q(t | x) of shape (n_x, n_clusters) = ({n_x}, {k}); got shape {a.shape}"
        )
    a = np.asarray(check_pmf(a, "init", axis=-1), dtype=np.float64)
    a = a[support]
    if method == "dib" and not np.all((a == 0) | (a == 1)):
        raise InvalidParameterError(
            "`init` must be a deterministic (one-hot) encoder for method='dib'; got fractional entries; "
            "round it with np.eye(n_clusters)[init.argmax(1)]"
        )
    return a


def _check_beta(beta, name="beta"):
    return check_nonneg_float(beta, name)


# ============================================================================================== results
def _full_encoder(prob: _Problem, enc, qt):
    out = np.empty((prob.support.size, enc.shape[1]))
    out[prob.support] = enc
    out[~prob.support] = qt
    return out


def _result(prob, enc, beta, method, iterations, converged, b) -> IBResult:
    qt, qy_t, _ = _decode(prob, enc[None])
    h_t, i_xt, i_ty = (float(v[0]) for v in _metrics(prob, enc[None], exact=True))
    obj = float(_objective("ib" if method == "ib" else "dib", beta, h_t, i_xt, i_ty))
    return IBResult(
        encoder=_frozen(_full_encoder(prob, enc, qt[0])),
        cluster_marginal=_frozen(qt[0]),
        decoder=_frozen(qy_t[0]),
        i_xt=float(to_base(i_xt, b)),
        i_ty=float(to_base(i_ty, b)),
        h_t=float(to_base(h_t, b)),
        objective=float(to_base(obj, b)),
        beta=float(beta),
        method=method,
        n_clusters_used=int(np.count_nonzero(qt[0] > 0)),
        iterations=int(iterations),
        converged=bool(converged),
        unit=unit_name(b),
    )


# =============================================================================================== public
def information_bottleneck(joint, beta, *, method="ib", n_clusters=None, n_restarts=8, init=None, tol=1e-10,
                           max_iter=2000, random_state=None, base=None) -> IBResult:
    r"""Encoder :math:`q(t \mid x)` minimising :math:`I(X;T) - \beta I(T;Y)` (IB) or :math:`H(T) - \beta I(T;Y)` (DIB).

    Parameters
    ----------
    joint : array_like, shape (n_x, n_y)
        Joint pmf :math:`p(x, y)` (rows = the variable to compress, columns = the relevant variable).
    beta : float
        Trade-off :math:`\beta \ge 0` (dimensionless): large β keeps more information about Y.
    method : {"ib", "dib", "dib_exact"}
        ``"ib"``: the iterative IB of [1]_ (stochastic encoder). ``"dib"``: the iterative deterministic IB of
        [2]_. ``"dib_exact"``: brute force over every deterministic encoder (set partition of the support of
        X into at most ``n_clusters`` blocks; at most 10 outcomes), the exact DIB optimum.
    n_clusters : int, optional
        Size of the bottleneck alphabet :math:`|T|` (default :math:`|X|`, enough for T = X).
    n_restarts : int
        Random starts of the iterative methods; the best objective wins (the objectives are not convex).
    init : array_like, shape (n_x, n_clusters), optional
        An extra starting encoder (a warm start), one-hot rows for ``"dib"``.
    tol : float
        Stop a run when a sweep lowers the objective by at most ``tol`` nats (the sweeps never raise it).
    max_iter : int
        Sweeps per run; a winning run that reaches it emits ``ConvergenceWarning``.
    random_state : None, int or numpy.random.Generator
        Seed of the random starts.
    base : float, optional
        Unit of the information quantities: ``None`` (nats), ``2`` (bits).

    Returns
    -------
    IBResult
        ``encoder``, ``cluster_marginal``, ``decoder``, ``i_xt``, ``i_ty``, ``h_t``, ``objective``, ...

    Raises
    ------
    InvalidDistributionError
        If ``joint`` is not a 2-D pmf.
    InvalidParameterError
        If ``beta`` < 0 or not finite, ``method`` is unknown, or ``"dib_exact"`` meets more than 10 outcomes.

    Notes
    -----
    With :math:`p(y\mid x) = p(x,y)/p(x)` and :math:`D(x,t) = D_{KL}[p(y\mid x)\,\|\,q(y\mid t)]`, the IB
    iterates the self-consistent equations of [1]_ (§3)

    .. math::

        q(t\mid x) = \frac{q(t)}{Z(x,\beta)} e^{-\beta D(x,t)}, \quad
        q(t) = \sum_x p(x)\, q(t\mid x), \quad
        q(y\mid t) = \frac{1}{q(t)}\sum_x p(x,y)\, q(t\mid x),

    which decrease :math:`I(X;T) + \beta\,\mathbb E\, D(X,T) = \mathcal L_{IB} + \beta I(X;Y)` monotonically
    to a stationary point. The DIB [2]_ replaces the first equation by the hard assignment

    .. math:: f(x) = \arg\max_t \bigl[\log q(t) - \beta D(x,t)\bigr], \qquad q(t\mid x) = \delta_{t, f(x)} .

    :math:`\mathcal L_{DIB}` is concave in :math:`q(t \mid x)`, so its global minimum is a deterministic
    encoder and ``"dib_exact"`` finds it; on deterministic encoders :math:`I(X;T) = H(T)`, so that value also
    bounds the IB optimum from above. Every solution obeys the data-processing bounds
    :math:`I(T;Y) \le \min\{I(X;T), I(X;Y)\}` and :math:`I(X;T) \le \min\{H(T), H(X)\}`.

    References
    ----------
    .. [1] Tishby, N., Pereira, F. C., Bialek, W. (1999). The information bottleneck method. Proc. 37th
       Allerton Conference on Communication, Control and Computing, 368–377. arXiv:physics/0004057.
    .. [2] Strouse, D. J., Schwab, D. J. (2017). The deterministic information bottleneck. Neural
       Computation 29(6):1611–1630. arXiv:1604.00268.

    Examples
    --------
    Y is a copy of X (two fair bits): with a large β the bottleneck keeps the whole bit.

    >>> from infokit.methods.bottleneck import information_bottleneck
    >>> r = information_bottleneck([[0.5, 0.0], [0.0, 0.5]], 10.0, method="dib_exact", base=2)
    >>> round(r.i_ty, 12), round(r.h_t, 12)
    (1.0, 1.0)
    """
    j = _check_joint2d(joint)
    beta = _check_beta(beta)
    b, k, r, t, m = _check_common(method, n_clusters, n_restarts, tol, max_iter, base, j.shape[0])
    init_s = _check_init(init, j.shape[0], k, method, j.sum(axis=1) > 0)
    prob = _problem(j)
    if method == "dib_exact":
        _check_exact_size(prob)
        labels, h_t, i_ty = _exact_table(prob, k)
        best = int(np.argmin(h_t - beta * i_ty))
        enc = _labels_to_encoder(labels[best].astype(np.int64), k)
        return _result(prob, enc, beta, method, 0, True, b)
    rng = check_random_state(random_state)
    enc, its, conv, _ = _solve(prob, method, beta, k, r, init_s, rng, t, m)
    if not conv:
        warnings.warn(
            f"information_bottleneck (method={method!r}, beta={beta:g}) stopped at max_iter={m} before the "
            f"objective settled within tol={t:g}; increase `max_iter` (convergence slows down near the "
            "phase transitions of the IB curve)",
            ConvergenceWarning,
            stacklevel=2,
        )
    return _result(prob, enc, beta, method, its, conv, b)


def information_bottleneck_curve(joint, betas, *, method="ib", n_clusters=None, n_restarts=4, tol=1e-10,
                                 max_iter=2000, random_state=None, base=None) -> IBCurve:
    r"""IB or DIB solutions over a grid of β, by annealing with warm starts in both directions.

    Parameters are those of :func:`information_bottleneck`, with ``betas`` a 1-D sequence of trade-offs
    :math:`\ge 0` (any order; the solutions are returned in the order given).

    Returns
    -------
    IBCurve
        Arrays ``betas``, ``i_xt``, ``i_ty``, ``h_t``, ``objective``, ``n_clusters_used``, ``encoders``,
        ``converged``, and the ceilings ``i_xy`` and ``h_x``.

    Notes
    -----
    The β grid is swept upwards: each β starts from the previous solution (as is and slightly perturbed,
    which lets clusters split at the phase transitions of the IB) and from ``n_restarts`` random encoders; a
    downward sweep then offers each β the solution of the next larger β. The best objective wins at every β.
    At the global optima, :math:`I(X;T)` (IB) or :math:`H(T)` (DIB) and :math:`I(T;Y)` are non-decreasing in
    β; the two sweeps make the computed curve follow this. ``"dib_exact"`` evaluates every deterministic
    encoder once and takes, at each β, the minimum of the lines :math:`H(T) - \beta I(T;Y)`.

    Examples
    --------
    >>> from infokit.methods.bottleneck import information_bottleneck_curve
    >>> c = information_bottleneck_curve([[0.4, 0.1], [0.1, 0.4]], [0.5, 2.0, 20.0], method="dib_exact")
    >>> c.n_clusters_used.tolist()   # small β: one cluster; large β: T = X
    [1, 1, 2]
    """
    j = _check_joint2d(joint)
    bs = np.asarray(to_numpy(as_float_array(betas, "betas")), dtype=np.float64)
    if bs.ndim != 1:
        raise InvalidParameterError(f"`betas` must be a 1-D sequence of trade-offs >= 0; got shape {bs.shape}")
    for i, v in enumerate(bs):
        _check_beta(float(v), f"betas[{i}]")
    b, k, r, t, m = _check_common(method, n_clusters, n_restarts, tol, max_iter, base, j.shape[0])
    prob = _problem(j)
    n = prob.px.size
    kk = len(bs)
    encs = np.zeros((kk, n, k))
    its = np.zeros(kk, dtype=np.int64)
    conv = np.ones(kk, dtype=bool)
    if method == "dib_exact":
        _check_exact_size(prob)
        labels, h_t, i_ty = _exact_table(prob, k)
        for i, beta in enumerate(bs):
            best = int(np.argmin(h_t - beta * i_ty))
            encs[i] = _labels_to_encoder(labels[best].astype(np.int64), k)
    else:
        rng = check_random_state(random_state)
        deterministic = method == "dib"
        order = np.argsort(bs, kind="stable")
        objs = np.full(kk, np.inf)
        prev = None
        for i in order:  # upward sweep: warm start + perturbed warm start + random restarts
            parts = []
            if prev is not None:
                parts.append(prev[None])
                if not deterministic:
                    parts.append((0.9 * prev + 0.1 * rng.dirichlet(np.ones(k), size=n))[None])
            parts.append(_identity_encoder(n, k))
            parts.append(_random_encoders(rng, r, n, k, deterministic))
            encs[i], its[i], conv[i], objs[i] = _best(prob, method, bs[i], np.concatenate(parts), t, m)
            prev = encs[i]
        for a, c in zip(order[::-1][1:], order[::-1][:-1]):  # downward sweep: offer β_a the solution at β_c > β_a
            e, it, cv, ob = _best(prob, method, bs[a], encs[c][None], t, m)
            if ob < objs[a] - 1e-12:
                encs[a], its[a], conv[a], objs[a] = e, it, cv, ob
        # cross-seeding: (H(T), I(X;T), I(T;Y)) of an encoder do not depend on β, so every solution found can be
        # scored at every β at once; where another β's solution scores better, restart from it
        h_all, x_all, y_all = _metrics(prob, encs)
        for a in range(kk):
            cand = _objective(method, bs[a], h_all, x_all, y_all)
            c = int(np.argmin(cand))
            if cand[c] < objs[a] - 1e-12:
                e, it, cv, ob = _best(prob, method, bs[a], encs[c][None], t, m)
                if ob < objs[a] - 1e-12:
                    encs[a], its[a], conv[a], objs[a] = e, it, cv, ob
        if not conv.all():
            warnings.warn(
                f"information_bottleneck_curve (method={method!r}): {int((~conv).sum())} of {kk} β value(s) "
                f"stopped at max_iter={m} before tol={t:g} (first at beta={bs[~conv][0]:g}); increase "
                "`max_iter` (convergence slows down near phase transitions)",
                ConvergenceWarning,
                stacklevel=2,
            )
    h_t, i_xt, i_ty = _metrics(prob, encs, exact=True) if kk else (np.zeros(0),) * 3
    obj = _objective("ib" if method == "ib" else "dib", bs, h_t, i_xt, i_ty)
    qt = np.einsum("x,rxt->rt", prob.px, encs)
    full = np.stack([_full_encoder(prob, encs[i], qt[i]) for i in range(kk)]) if kk else np.zeros((0, j.shape[0], k))
    return IBCurve(
        betas=_frozen(bs),
        i_xt=_frozen(to_base(i_xt, b)),
        i_ty=_frozen(to_base(i_ty, b)),
        h_t=_frozen(to_base(h_t, b)),
        objective=_frozen(to_base(obj, b)),
        n_clusters_used=_frozen((qt > 0).sum(axis=1), dtype=np.int64),
        encoders=_frozen(full),
        converged=_frozen(conv, dtype=bool),
        i_xy=float(to_base(prob.i_xy, b)),
        h_x=float(to_base(prob.h_x, b)),
        method=method,
        unit=unit_name(b),
    )

