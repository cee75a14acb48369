r"""Minimum-entropy coupling (MEC): greedy (heap-based, any number of marginals), exact, and lower bounds.

A *coupling* of pmfs :math:`p_1, \dots, p_m` is a joint pmf :math:`C` on :math:`[n_1] \times \dots \times [n_m]`
whose marginals are the :math:`p_i`; the minimum-entropy coupling minimises :math:`H(C)`. For two marginals this
maximises :math:`I(X;Y) = H(p_1) + H(p_2) - H(C)`. The problem is NP-hard; this module gives

* :func:`min_entropy_coupling` — the greedy coupling of [1]_ (Algorithm 1), heap-based, for any number of
  marginals, with a sparse output (``method="greedy"``), and the exact optimum of small two-marginal instances
  (``method="exact"``);
* :func:`mec_lower_bound` — the majorization ("meet") bound [3]_, the profile bound and the majorize-profile
  bound [2]_, each a lower bound on the entropy of *every* coupling.

Guarantees (bits): greedy :math:`\le H(\wedge S) + \log_2 e \approx 1.44` for any number of marginals [3]_;
greedy :math:`\le \mathrm{OPT} + \log_2(e)/e \approx 0.5307` for two marginals and
:math:`\le \mathrm{OPT} + (1 + \log_2 e)/2 \approx 1.22` for any number [2]_.

References
----------
.. [1] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference. AAAI 2017.
   arXiv:1611.04035
.. [2] Compton, S., Katz, D., Qi, B., Greenewald, K., Kocaoglu, M. (2023). Minimum-entropy coupling
   approximation guarantees beyond the majorization barrier. AISTATS 2023. arXiv:2302.11838
.. [3] Compton, S. (2022). A tighter approximation guarantee for greedy minimum entropy coupling. ISIT 2022.
   arXiv:2203.05108
.. [4] Cicalese, F., Gargano, L., Vaccaro, U. (2019). Minimum-entropy couplings and their applications. IEEE
   Transactions on Information Theory 65(6):3436–3451. arXiv:1901.07530
"""

from __future__ import annotations

import heapq
import math
import numbers
from dataclasses import dataclass

import numpy as np

from ..._units import check_base, to_base, unit_name
from ..._validation import as_float_array, check_choice, check_pmf
from ...exceptions import InvalidDistributionError, InvalidParameterError
from ...measures import entropy

__all__ = ["Coupling", "min_entropy_coupling", "mec_lower_bound", "METHODS", "BOUND_KINDS"]

#: ``method=`` values of :func:`min_entropy_coupling`
METHODS = ("greedy", "exact")
#: ``kind=`` values of :func:`mec_lower_bound`
BOUND_KINDS = ("meet", "profile", "majorize_profile")

#: log2(e)/e: greedy minus optimum, two marginals, in bits (Compton et al. 2023)
GREEDY_GAP_TWO_BITS = math.log2(math.e) / math.e
#: (1 + log2 e)/2: greedy minus optimum, any number of marginals, in bits (Compton et al. 2023)
GREEDY_GAP_MANY_BITS = (1.0 + math.log2(math.e)) / 2.0

# A residual smaller than _SNAP times the atom it was cut from is round-off of an exact tie (a - b with a == b
# in exact arithmetic): it is set to 0 so that ties do not leave cells of 1e-17. 4 ulp of relative error.
_SNAP = 4.0 * np.finfo(np.float64).eps
# Total support size above which the compiled (numba) greedy kernel is used when numba is importable.
_NUMBA_MIN_ATOMS = 20_000
# Largest n1 + n2 (positive atoms) accepted by the exact solver (its cost grows exponentially).
_EXACT_MAX_ATOMS = 10


# ============================================================================================ result
def _readonly(a, dtype, *, owned=False):
    """A read-only array; ``owned=True`` for a fresh array nobody else holds (made read-only without a copy)."""
    a = np.asarray(a, dtype=dtype) if owned else np.array(a, dtype=dtype, copy=True)
    if owned and not a.flags.owndata and a.base is not None:
        # a view of another buffer (the kernel's over-allocated output, or memory owned by numba's runtime,
        # whose base object has no numpy flags): detach it so that nobody else can write to it
        a = a.copy()
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Coupling:
    """A coupling of ``m`` marginals stored sparsely (COO), as returned by :func:`min_entropy_coupling`.

    Attributes
    ----------
    indices : ndarray of int64, shape (nnz, m)
        Cell coordinates: row ``k`` is the outcome tuple of the ``k``-th non-zero cell.
    values : ndarray of float64, shape (nnz,)
        Cell probabilities (all > 0). For the greedy coupling they come in the order the algorithm
        produced them, which is non-increasing.
    shape : tuple of int
        Alphabet sizes ``(n_1, ..., n_m)`` (zero-probability outcomes included).
    entropy : float
        :math:`H(C)` in ``unit``.
    unit : str
        Unit of ``entropy``.
    method : str
        ``"greedy"`` or ``"exact"``.

    Examples
    --------
    >>> from infokit.methods.coupling import min_entropy_coupling
    >>> c = min_entropy_coupling([0.6, 0.4], [0.5, 0.5], base=2)
    >>> c.todense()
    array([[0.5, 0.1],
           [0. , 0.4]])
    >>> round(c.entropy, 5)   # 0.5 log2 2 + 0.1 log2 10 + 0.4 log2 2.5
    1.36096
    """

    indices: np.ndarray
    values: np.ndarray
    shape: tuple
    entropy: float
    unit: str
    method: str

    @property
    def nnz(self) -> int:
        """Number of non-zero cells."""
        return int(self.values.size)

    @property
    def ndim(self) -> int:
        """Number of coupled marginals ``m``."""
        return len(self.shape)

    def todense(self) -> np.ndarray:
        """The coupling as a dense array of shape ``shape`` (``prod(shape)`` cells: small alphabets only)."""
        out = np.zeros(self.shape, dtype=np.float64)
        np.add.at(out, tuple(self.indices.T), self.values)
        return out

    def to_dict(self) -> dict:
        """``{(i_1, ..., i_m): probability}`` for the non-zero cells."""
        return {tuple(int(i) for i in idx): float(v) for idx, v in zip(self.indices, self.values)}

    def marginal(self, axis: int) -> np.ndarray:
        """The pmf of variable ``axis`` (a bincount of the sparse cells; reproduces the input marginal)."""
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -self.ndim <= axis < self.ndim:
            raise InvalidParameterError(
                f"`axis` must be an integer in [-{self.ndim}, {self.ndim}); got {axis!r}"
            )
        ax = int(axis) % self.ndim
        return np.bincount(self.indices[:, ax], weights=self.values, minlength=self.shape[ax])

    def to_scipy(self):
        """The coupling of two marginals as a ``scipy.sparse.coo_array`` of shape ``(n_1, n_2)``."""
        if self.ndim != 2:
            raise InvalidParameterError(
                f"to_scipy() needs a coupling of exactly 2 marginals; this one couples {self.ndim}; "
                "use todense() or to_dict() instead"
            )
        from scipy.sparse import coo_array

        return coo_array((self.values, (self.indices[:, 0], self.indices[:, 1])), shape=self.shape)


# ============================================================================================ validation
def _check_marginals(marginals, atol, *, fname):
    if len(marginals) == 1 and isinstance(marginals[0], (list, tuple)) and len(marginals[0]) >= 2 and \
            all(np.ndim(m) == 1 for m in marginals[0]):
        marginals = tuple(marginals[0])  # a single list of pmfs: f([p, q]) means f(p, q)
    if len(marginals) < 2:
        raise InvalidParameterError(
            f"{fname} needs at least two marginals; got {len(marginals)}; "
            f"call it as {fname}(p, q) or {fname}(p1, p2, p3, ...)"
        )
    out = []
    for k, m in enumerate(marginals):
        name = f"marginals[{k}]"
        a = as_float_array(m, name)
        if a.ndim != 1:
            raise InvalidDistributionError(
                f"`{name}` must be a 1-D pmf; got an array of shape {a.shape}; pass one pmf per argument"
            )
        a = check_pmf(a, name, atol=atol)
        out.append(np.asarray(a, dtype=np.float64))
    return out


def _normalised(p):
    # Deviation from [1]: the inputs are rescaled to sum exactly to 1 (within round-off) before coupling,
    # because pmfs accepted within `atol` of 1 must still end with all residuals exhausted together.
    s = math.fsum(p.tolist()) if p.size <= 4096 else float(np.sum(p))  # exact sum, or pairwise (~1e-16 rel.)
    return p / s


# ============================================================================================ greedy kernels
def _sort_desc(p):
    """Descending order of the positive atoms, ties by position: (order, sorted values).

    Introsort is ~3x faster than the stable sort on 10^6 floats; a stable sort is used only when there are ties
    (equal atoms), so that ties are always broken by position.
    """
    order = np.argsort(-p)
    vals = p[order]
    if vals.size > 1 and np.any(vals[1:] == vals[:-1]):
        order = np.argsort(-p, kind="stable")
        vals = p[order]
    k = int(np.count_nonzero(vals > 0))
    return order[:k], vals[:k]


def _greedy_two_py(P, Q):
    """Greedy coupling of two pmfs sorted in non-increasing order (Python lists); Algorithm 1 of [1]_.

    Returns ``(rows, cols, vals)`` as lists, in positions of the *sorted* inputs. One max-heap per marginal
    holds only the residuals pushed back below the sorted front; the current maximum of each side is kept in
    a local variable so that an atom peeled repeatedly never goes through the heap.
    """
    n1, n2 = len(P), len(Q)
    if n1 == 0 or n2 == 0:
        return [], [], []
    P = list(P) + [0.0]
    Q = list(Q) + [0.0]
    hp, hq = [], []
    push, pop = heapq.heappush, heapq.heappop
    rows, cols, vals = [], [], []
    ra, ca, va = rows.append, cols.append, vals.append
    snap = _SNAP
    a, ai, i = P[0], 0, 1
    b, bj, j = Q[0], 0, 1
    while a > 0.0 and b > 0.0:
        if a > b:
            ra(ai), ca(bj), va(b)
            r = a - b
            if r <= snap * a:
                r = 0.0
            a = r
            if a == 0.0 or P[i] > a or (hp and -hp[0][0] > a):
                if a > 0.0:
                    push(hp, (-a, ai))
                if hp and -hp[0][0] > P[i]:
                    na, ai = pop(hp)
                    a = -na
                else:
                    a, ai = P[i], i
                    if i < n1:
                        i += 1
            if hq and -hq[0][0] > Q[j]:
                nb, bj = pop(hq)
                b = -nb
            else:
                b, bj = Q[j], j
                if j < n2:
                    j += 1
        elif b > a:
            ra(ai), ca(bj), va(a)
            r = b - a
            if r <= snap * b:
                r = 0.0
            b = r
            if b == 0.0 or Q[j] > b or (hq and -hq[0][0] > b):
                if b > 0.0:
                    push(hq, (-b, bj))
                if hq and -hq[0][0] > Q[j]:
                    nb, bj = pop(hq)
                    b = -nb
                else:
                    b, bj = Q[j], j
                    if j < n2:
                        j += 1
            if hp and -hp[0][0] > P[i]:
                na, ai = pop(hp)
                a = -na
            else:
                a, ai = P[i], i
                if i < n1:
                    i += 1
        else:  # an exact tie: both atoms are exhausted
            ra(ai), ca(bj), va(a)
            if hp and -hp[0][0] > P[i]:
                na, ai = pop(hp)
                a = -na
            else:
                a, ai = P[i], i
                if i < n1:
                    i += 1
            if hq and -hq[0][0] > Q[j]:
                nb, bj = pop(hq)
                b = -nb
            else:
                b, bj = Q[j], j
                if j < n2:
                    j += 1
    return rows, cols, vals


def _greedy_many_py(sorted_lists):
    """Greedy coupling of ``m >= 2`` pmfs sorted in non-increasing order (Algorithm 1 of [1]_), Python lists.

    Same data structure and tie-breaking as :func:`_greedy_two_py` (and the compiled kernel): the current
    maximum of each marginal in a local slot, residuals that fall below the sorted front in a max-heap keyed by
    ``(-value, position)``.
    """
    m = len(sorted_lists)
    if any(len(s) == 0 for s in sorted_lists):
        return [[] for _ in range(m)], []
    lists = [list(s) + [0.0] for s in sorted_lists]
    lens = [len(s) for s in sorted_lists]
    heaps = [[] for _ in range(m)]
    cur = [s[0] for s in lists]
    cur_i = [0] * m
    nxt = [1] * m
    out_idx = [[] for _ in range(m)]
    out_val = []
    snap = _SNAP
    push, pop = heapq.heappush, heapq.heappop
    rng_m = range(m)
    while True:
        mass = min(cur)
        if mass <= 0.0:
            break
        out_val.append(mass)
        for k in rng_m:
            out_idx[k].append(cur_i[k])
            c = cur[k]
            r = c - mass
            if r <= snap * c:
                r = 0.0
            h = heaps[k]
            L = lists[k]
            if r == 0.0 or L[nxt[k]] > r or (h and -h[0][0] > r):
                if r > 0.0:
                    push(h, (-r, cur_i[k]))
                if h and -h[0][0] > L[nxt[k]]:
                    nv, cur_i[k] = pop(h)
                    cur[k] = -nv
                else:
                    t = nxt[k]
                    cur[k], cur_i[k] = L[t], t
                    if t < lens[k]:
                        nxt[k] = t + 1
            else:
                cur[k] = r
    return out_idx, out_val


_NUMBA_KERNEL = None  # None: not tried yet; False: numba unavailable; else the compiled function


def _numba_kernel():
    """The compiled greedy kernel (imported lazily, compiled once); ``None`` when numba is not installed."""
    global _NUMBA_KERNEL
    if _NUMBA_KERNEL is None:
        try:
            from ._greedy_numba import greedy_kernel

            # compile now on a tiny input so that a failure falls back to the Python kernel at once
            greedy_kernel(np.array([1.0, 1.0]), np.array([0, 1, 2], dtype=np.int64), _SNAP)
            _NUMBA_KERNEL = greedy_kernel
        except Exception:  # numba missing or unable to compile here
            _NUMBA_KERNEL = False
    return _NUMBA_KERNEL or None


def _greedy_sorted(sorted_vals, *, engine="auto"):
    """Greedy coupling of marginals given as non-increasing float64 arrays (positive atoms only).

    Returns ``(idx, vals)``: ``idx`` an int64 array (nnz, m) of positions in the sorted inputs. ``engine``:
    "auto" (compiled kernel for large inputs when numba is importable), "python" or "numba".
    """
    m = len(sorted_vals)
    total = sum(int(s.size) for s in sorted_vals)
    use_numba = engine == "numba" or (engine == "auto" and total >= _NUMBA_MIN_ATOMS)
    if use_numba:
        kern = _numba_kernel()
        if kern is not None:
            offsets = np.zeros(m + 1, dtype=np.int64)
            offsets[1:] = np.cumsum([s.size for s in sorted_vals])
            flat = np.concatenate(sorted_vals) if m else np.zeros(0)
            idx, vals = kern(np.ascontiguousarray(flat, dtype=np.float64), offsets, _SNAP)
            return idx, vals
        if engine == "numba":
            raise InvalidParameterError("engine='numba' needs the numba package; install it or use engine='python'")
    if m == 2:
        rows, cols, vals = _greedy_two_py(sorted_vals[0].tolist(), sorted_vals[1].tolist())
        idx = np.empty((len(vals), 2), dtype=np.int64)
        idx[:, 0] = rows
        idx[:, 1] = cols
        return idx, np.asarray(vals, dtype=np.float64)
    out_idx, out_val = _greedy_many_py([s.tolist() for s in sorted_vals])
    idx = np.array(out_idx, dtype=np.int64).T.reshape(len(out_val), m)
    return np.ascontiguousarray(idx), np.asarray(out_val, dtype=np.float64)


def _greedy_coupling(marginals, *, engine="auto"):
    """Greedy MEC kernel (nats-free: returns cells only) on validated, normalised float64 pmfs.

    Returns ``(indices, values)`` with ``indices`` in the caller's outcome positions.
    """
    orders, sorted_vals = zip(*(_sort_desc(p) for p in marginals))
    idx, vals = _greedy_sorted(list(sorted_vals), engine=engine)
    out = np.empty_like(idx)
    for k, order in enumerate(orders):
        out[:, k] = np.take(order, idx[:, k]) if idx.size else idx[:, k]
    return out, vals


# ============================================================================================ exact kernel
def _eta(x: float) -> float:
    return -x * math.log(x) if x > 0.0 else 0.0


def _exact_two(p, q):
    r"""Exact minimum-entropy coupling of two small pmfs, in nats: ``(value, rows, cols, vals)``.

    Every vertex of the transportation polytope has a forest support; peeling its leaves one at a time assigns
    to each leaf cell the *smaller* of the two residual masses it joins. So every vertex is produced by some
    sequence of steps "pick an atom pair (i, j), put ``min(r_i, r_j)`` in cell (i, j), subtract it from both";
    conversely every such sequence yields a coupling. :math:`H` is concave, so its minimum over the polytope is
    at a vertex: the minimum over all sequences is the optimum. The cost depends only on the multiset of
    residuals left, so a memoised recursion over residual multisets (a dynamic programme) finds it; this is
    the backtracking search of [2]_ (Sec. on exact algorithms) without its ordering restriction.
    """
    digits = 13  # state keys are residuals rounded to 1e-13: equal multisets reached by different paths merge
    tol = 1e-12  # a residual below this is round-off of an exhausted atom

    def key(vals):
        return tuple(sorted((round(v, digits) for v in vals if v > tol), reverse=True))

    memo: dict = {}

    def solve(av, bv):
        if not av or not bv:
            return 0.0
        k = (av, bv)
        hit = memo.get(k)
        if hit is not None:
            return hit
        best = math.inf
        for i, a in enumerate(av):
            if i and a == av[i - 1]:
                continue  # equal residuals give equal subproblems
            for j, b in enumerate(bv):
                if j and b == bv[j - 1]:
                    continue
                m = a if a < b else b
                na = av[:i] + ((a - m,) if a - m > tol else ()) + av[i + 1:]
                nb = bv[:j] + ((b - m,) if b - m > tol else ()) + bv[j + 1:]
                v = _eta(m) + solve(key(na), key(nb))
                if v < best:
                    best = v
        memo[k] = best
        return best

    value = solve(key(p), key(q))
    # Reconstruct one optimal sequence on the indexed atoms by following the memoised values.
    ra = [(float(v), i) for i, v in enumerate(p) if v > tol]
    rb = [(float(v), j) for j, v in enumerate(q) if v > tol]
    rows, cols, vals = [], [], []
    while ra and rb:
        best = None
        for ia, (a, i) in enumerate(ra):
            for jb, (b, j) in enumerate(rb):
                m = a if a < b else b
                na = [x for t, (x, _) in enumerate(ra) if t != ia] + ([a - m] if a - m > tol else [])
                nb = [x for t, (x, _) in enumerate(rb) if t != jb] + ([b - m] if b - m > tol else [])
                v = _eta(m) + solve(key(na), key(nb))
                if best is None or v < best[0] - 1e-15:
                    best = (v, ia, jb, m)
        _, ia, jb, m = best
        a, i = ra[ia]
        b, j = rb[jb]
        rows.append(i)
        cols.append(j)
        vals.append(m)
        ra[ia] = (a - m, i)
        rb[jb] = (b - m, j)
        ra = [t for t in ra if t[0] > tol]
        rb = [t for t in rb if t[0] > tol]
    return value, rows, cols, vals


# ============================================================================================ lower bounds
def _meet_bound(marginals):
    r"""Entropy of the majorization meet :math:`\wedge S` in nats (Cicalese & Vaccaro; [3]_ Sec. II).

    Sort each pmf non-increasingly, take cumulative sums :math:`F_i(k)`, their pointwise minimum
    :math:`F(k)` (concave, so its increments are a sorted pmf), and return :math:`H(\Delta F)`. Every coupling
    is majorized by every marginal, hence by the meet; Schur concavity gives :math:`H(C) \ge H(\wedge S)`.
    """
    n = max(p.size for p in marginals)
    F = np.full(n, np.inf)
    for p in marginals:
        c = np.cumsum(np.sort(p)[::-1])
        c = np.concatenate([c, np.full(n - c.size, c[-1])])
        F = np.minimum(F, c)
    F = np.minimum(F, 1.0)
    d = np.diff(np.concatenate([[0.0], F]))
    d = d[d > 0]
    return float(-np.sum(d * np.log(d)))


def _profile_points(marginals):
    """Pooled profile vertices ``(F, y)``: for every marginal sorted ascending, cumulative mass F up to and
    including atom y (mass of the atoms of size <= y)."""
    Fs, ys = [np.zeros(1)], [np.zeros(1)]
    for p in marginals:
        s = np.sort(p[p > 0])
        Fs.append(np.cumsum(s))
        ys.append(s)
    return np.concatenate(Fs), np.concatenate(ys)


def _profile_bound(marginals):
    r"""The profile lower bound of [2]_ in nats.

    Cells of any coupling that lie inside atoms of size :math:`\le t` of marginal :math:`i` have size
    :math:`\le t`, so the mass :math:`M(t)` of cells of size :math:`\le t` satisfies
    :math:`M(t) \ge G(t) := \min(1, \max_i F_i(t))` with :math:`F_i(t)` the mass of the atoms of
    :math:`p_i` of size :math:`\le t`. Integrating by parts,
    :math:`H(C) = \int_0^1 M(t)\,dt/t \ge \int_0^1 G(t)\,dt/t`, which is evaluated exactly on the step function
    :math:`G` (this equals the vertex sweep of the reference implementation).
    """
    ts = np.unique(np.concatenate([p[p > 0] for p in marginals]))
    G = np.zeros(ts.size)
    for p in marginals:
        s = np.sort(p[p > 0])
        c = np.cumsum(s)
        k = np.searchsorted(s, ts, side="right")
        Fi = np.where(k > 0, c[np.maximum(k - 1, 0)], 0.0)
        G = np.maximum(G, Fi)
    G = np.minimum(G, 1.0)
    edges = np.concatenate([ts, [1.0]])
    widths = np.log(edges[1:] / edges[:-1])
    return float(np.sum(G * widths))


def _majorize_profile_bound(marginals):
    r"""The majorize-profile lower bound of [2]_ in nats (``calc_profile_cap`` of its reference code).

    With the profile vertices :math:`(F_v, y_v)` of :func:`_profile_points`, the cells of a coupling sorted
    non-increasingly, with tail mass ``cur`` before the next cell ``s``, satisfy
    :math:`s \le \max(y_v, \mathrm{cur} - F_v)` for every vertex (if ``s > y_v`` the cells of size
    :math:`\le y_v`, which carry at least :math:`F_v`, fit in ``cur - s``). Peeling at every step the largest
    cell allowed by all vertices builds a sorted sequence that majorizes the sorted cells of every coupling,
    so its entropy is a lower bound (Schur concavity). Runs of equal cells are peeled in one step.
    """
    F, y = _profile_points(marginals)
    order = np.lexsort((-y, -F))  # F descending (then y descending), as the reference's reverse sort
    F, y = F[order], y[order]
    keep = np.empty(F.size, dtype=bool)
    run_min = np.minimum.accumulate(np.concatenate([[np.inf], y]))[:-1]
    keep[:] = y < run_min  # the monotone chain: y strictly decreasing along decreasing F
    F, y = np.ascontiguousarray(F[keep]), np.ascontiguousarray(y[keep])
    stop = 1e-14  # remaining mass below this is round-off (contributes < 5e-13 nats)
    if F.size >= _NUMBA_MIN_ATOMS and _numba_kernel() is not None:
        from ._greedy_numba import majorize_profile_kernel

        return float(majorize_profile_kernel(F, y, stop))
    cur, ans, min_y, iv = 1.0, 0.0, 1.0, 0
    nv = F.size
    while cur > stop:
        while iv < nv and F[iv] + y[iv] > cur:
            min_y = min(min_y, float(y[iv]))
            iv += 1
        Fi = float(F[iv]) if iv < nv else 0.0
        room = cur - Fi
        if min_y < room:
            k = max(1, int(math.floor(room / min_y + 1e-12)))  # a run of cells of size min_y
            k = min(k, max(1, int(cur / min_y)))
            ans += k * _eta(min_y)
            cur -= k * min_y
        else:
            if room <= 0.0:
                break
            ans += _eta(room)
            cur -= room
    return float(ans)


# ============================================================================================ public API
def min_entropy_coupling(*marginals, method="greedy", base=None, atol=None) -> Coupling:
    r"""Minimum-entropy coupling of two or more pmfs: :math:`\min_C H(C)` over joints with marginals ``p_i``.

    Parameters
    ----------
    *marginals : array_like
        Two or more 1-D pmfs :math:`p_1, \dots, p_m` (lengths may differ). Each must be non-negative and sum
        to 1 within ``atol``; they are rescaled to sum exactly to 1 before coupling. A single list of pmfs is
        also accepted.
    method : {"greedy", "exact"}
        ``"greedy"``: Algorithm 1 of [1]_ with one max-heap per marginal, :math:`O(N \log N)` for
        :math:`N = \sum_i n_i` atoms, any number of marginals. ``"exact"``: the optimum for two marginals with
        at most 10 positive atoms in all (exponential-time dynamic programme over residual multisets).
    base : float, optional
        Logarithm base of ``Coupling.entropy``: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the sums of the marginals (default 1e-6 for float64).

    Returns
    -------
    Coupling
        Sparse (COO) coupling with at most :math:`N - m + 1` non-zero cells (greedy); ``.todense()``,
        ``.to_dict()``, ``.to_scipy()`` give other views; ``.entropy`` is :math:`H(C)`.

    Notes
    -----
    The greedy coupling repeats, until the residuals are exhausted,

    .. math:: j_i = \arg\max_j r_i(j),\quad \mu = \min_i r_i(j_i),\quad C(j_1, \dots, j_m) \mathrel{+}= \mu,
              \quad r_i(j_i) \mathrel{-}= \mu ,

    starting from :math:`r_i = p_i`; each round exhausts at least one atom. Guarantees, in bits, with
    :math:`\wedge S` the majorization meet of the marginals (see :func:`mec_lower_bound`):

    * :math:`H(C_{greedy}) \le H(\wedge S) + \log_2 e \approx H(\wedge S) + 1.44`, any :math:`m` ([3]_);
    * :math:`H(C_{greedy}) \le \mathrm{OPT} + \log_2(e)/e \approx \mathrm{OPT} + 0.5307` for :math:`m = 2`
      and :math:`\le \mathrm{OPT} + (1 + \log_2 e)/2 \approx \mathrm{OPT} + 1.22` for any :math:`m` ([2]_);
    * :math:`H(C) \ge \max_i H(p_i)` for every coupling.

    For two marginals, :math:`I(X;Y) = H(p_1) + H(p_2) - H(C)`: the coupling maximises the mutual
    information. Ties between equal atoms are broken by position (the first maximum), so the cells, not the
    entropy, may depend on the input order. For more than about 2·10^4 atoms the compiled kernel is used when
    numba is installed (the same algorithm: identical cells without ties, the same cell masses with ties);
    two marginals of 10^6 atoms each take under a second of one core.

    References
    ----------
    .. [1] Kocaoglu, M., Dimakis, A. G., Vishwanath, S., Hassibi, B. (2017). Entropic causal inference.
       AAAI 2017. arXiv:1611.04035
    .. [2] Compton, S., Katz, D., Qi, B., Greenewald, K., Kocaoglu, M. (2023). Minimum-entropy coupling
       approximation guarantees beyond the majorization barrier. AISTATS 2023. arXiv:2302.11838
    .. [3] Compton, S. (2022). A tighter approximation guarantee for greedy minimum entropy coupling.
       ISIT 2022. arXiv:2203.05108

    Examples
    --------
    >>> from infokit.methods.coupling import min_entropy_coupling
    >>> c = min_entropy_coupling([0.5, 0.4, 0.1], [0.6, 0.2, 0.2], base=2)
    >>> c.values                       # greedy takes .5, then .2, .2, .1
    array([0.5, 0.2, 0.2, 0.1])
    >>> round(c.entropy, 5)            # = .5 + 2(.2) log2 5 + .1 log2 10; also the optimum
    1.76096
    >>> min_entropy_coupling([0.5, 0.5], [0.5, 0.5], base=2).entropy   # the diagonal: 1 bit
    1.0
    """
    check_choice(method, "method", METHODS)
    b = check_base(base)
    ps = [_normalised(p) for p in _check_marginals(marginals, atol, fname="min_entropy_coupling")]
    shape = tuple(int(p.size) for p in ps)
    if method == "greedy":
        idx, vals = _greedy_coupling(ps)
    else:
        if len(ps) != 2:
            raise InvalidParameterError(
                f"method='exact' couples exactly two marginals; got {len(ps)}; use method='greedy' for more"
            )
        n_pos = int(np.count_nonzero(ps[0] > 0) + np.count_nonzero(ps[1] > 0))
        if n_pos > _EXACT_MAX_ATOMS:
            raise InvalidParameterError(
                f"method='exact' is exponential-time and accepts at most {_EXACT_MAX_ATOMS} positive atoms in "
                f"both marginals together; got {n_pos}; use method='greedy' (within 0.531 bits of the optimum)"
            )
        _, rows, cols, vals = _exact_two(ps[0].tolist(), ps[1].tolist())
        idx = np.array([rows, cols], dtype=np.int64).T.reshape(len(vals), 2)
        vals = np.asarray(vals, dtype=np.float64)
    h = float(entropy(vals, base=b, atol=1e-9))  # cells sum to 1 up to accumulated round-off
    return Coupling(
        indices=_readonly(idx, np.int64, owned=True),
        values=_readonly(vals, np.float64, owned=True),
        shape=shape,
        entropy=h,
        unit=unit_name(b),
        method=method,
    )


def mec_lower_bound(*marginals, kind="majorize_profile", base=None, atol=None) -> float:
    r"""Lower bound on the entropy of every coupling of the given pmfs (hence on the minimum-entropy coupling).

    Parameters
    ----------
    *marginals : array_like
        Two or more 1-D pmfs (lengths may differ), each summing to 1 within ``atol``.
    kind : {"majorize_profile", "profile", "meet"}
        ``"meet"``: :math:`H(\wedge S)`, the entropy of the greatest lower bound of the marginals in the
        majorization lattice (Cicalese & Vaccaro; the bound of all analyses before [2]_).
        ``"profile"``: the profile bound of [2]_. ``"majorize_profile"`` (default): the majorize-profile
        bound of [2]_, never below the other two.
    base : float, optional
        Logarithm base of the result: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the sums of the marginals.

    Returns
    -------
    float
        The bound, in the units of ``base``.

    Notes
    -----
    With :math:`F_i(k)` the sum of the :math:`k` largest atoms of :math:`p_i`, the meet is
    :math:`\wedge S = \Delta \min_i F_i` and

    .. math:: H(C) \ge H(\wedge S) \quad\text{for every coupling } C .

    The profile bound uses :math:`G(t) = \min(1, \max_i \sum_{a \in p_i,\, a \le t} a)`, a lower bound on the
    mass of the cells of size at most :math:`t`:

    .. math:: H(C) = \int_0^1 \frac{M_C(t)}{t}\,dt \ge \int_0^1 \frac{G(t)}{t}\,dt .

    The majorize-profile bound is the entropy of the most majorizing sorted sequence compatible with
    :math:`G` (see [2]_). Every kind satisfies ``bound <= OPT <= greedy``; the gap ``greedy - bound`` bounds
    how far a greedy coupling can be from the optimum on that instance.

    References
    ----------
    .. [1] Cicalese, F., Gargano, L., Vaccaro, U. (2019). Minimum-entropy couplings and their applications.
       IEEE Transactions on Information Theory 65(6):3436–3451. arXiv:1901.07530
    .. [2] Compton, S., Katz, D., Qi, B., Greenewald, K., Kocaoglu, M. (2023). Minimum-entropy coupling
       approximation guarantees beyond the majorization barrier. AISTATS 2023. arXiv:2302.11838

    Examples
    --------
    >>> from infokit.methods.coupling import mec_lower_bound
    >>> p, q = [0.5, 0.4, 0.1], [0.6, 0.2, 0.2]
    >>> round(mec_lower_bound(p, q, kind="meet", base=2), 5)   # H([.5, .3, .2])
    1.48548
    >>> round(mec_lower_bound(p, q, kind="profile", base=2), 5)
    1.66096
    >>> round(mec_lower_bound(p, q, base=2), 5)                # majorize-profile: here the optimum
    1.76096
    """
    check_choice(kind, "kind", BOUND_KINDS)
    b = check_base(base)
    ps = [_normalised(p) for p in _check_marginals(marginals, atol, fname="mec_lower_bound")]
    if kind == "meet":
        v = _meet_bound(ps)
    elif kind == "profile":
        v = _profile_bound(ps)
    else:
        v = _majorize_profile_bound(ps)
    return float(to_base(max(v, 0.0), b)) + 0.0  # + 0.0 turns -0.0 into 0.0
