r"""The neighbour engine shared by every kNN estimator of infokit (max-norm, exact, count-only).

Every kNN estimator in :mod:`infokit.estimators.knn` and :mod:`infokit.estimators.mixed` is written against
the small interface of :class:`MaxNormSpace`: a sample of ``n`` points in :math:`\mathbb{R}^d` with the
maximum norm :math:`\|u - v\|_\infty = \max_c |u_c - v_c|`, answering

* :meth:`MaxNormSpace.kth_neighbor_distance` — the distance from each point to its ``k``-th nearest *other*
  point (the point itself is never its own neighbour);
* :meth:`MaxNormSpace.neighbors` — the ``k`` nearest other points and their distances (KSG-2 needs them);
* :meth:`MaxNormSpace.count_within` — for each point ``i`` and radius ``r_i``, the number of *other* points
  ``j`` with :math:`\|x_j - x_i\|_\infty < r_i` (``strict=True``) or :math:`\le r_i`; only counts, never the
  neighbour lists;
* :meth:`MaxNormSpace.kth_distance_from` — the ``k``-th neighbour distance of outside query points (kNN
  divergence).

Exactness. A distance is ``max_c |fl(x_jc - x_ic)|`` with IEEE double subtraction — the value a brute-force
``np.abs(x[:, None] - x[None]).max(-1)`` produces — and every comparison is made against that value, so the
engine returns *the same* neighbours and counts as an O(n²) textbook loop (``tests/estimators/test_knn.py``
checks this bit for bit). Strict counts use the largest double below ``r`` as the radius of a closed ball.

Speed (no n×n matrix is ever formed; memory O(n·d)):

* 1-D spaces: sorted arrays. The k nearest neighbours of a point lie among the k sorted values on each side,
  so the k-th distance is a vectorised selection over a ``(n, 2k)`` window; a count is two
  ``np.searchsorted`` calls per point, whose ends are made exact by testing the distance predicate on the
  neighbouring distinct values (a step or two, only where rounding makes ``v + r`` ambiguous). O(n log n).
* d ≥ 2: ``scipy.spatial.cKDTree`` (balanced, compact nodes) for k-nearest-neighbour queries with
  ``p=inf`` and ``workers`` threads. Queries are issued in the tree's own leaf order, which keeps the nodes a
  query touches in cache (1.3–1.6× less CPU than a random order, measured at n = 10^5, d = 10).
* Count-only radius queries in d ≥ 2: scikit-learn's ``KDTree.query_radius(count_only=True)`` when
  scikit-learn is installed — it adds whole nodes that lie inside the ball without visiting their points,
  and took 3.9× (n = 5000) and about 2× (n = 10^5) less CPU per query than
  ``cKDTree.query_ball_point(return_length=True)`` in 5-D (measured, one thread, CPU time). It
  releases the GIL, so the queries are split over ``workers`` threads. Without scikit-learn the engine uses
  ``cKDTree.query_ball_point(..., return_length=True, workers=...)``. Both evaluate the same predicate on the
  same doubles, so the counts are identical (tested); ``backend="scipy"`` forces the latter.
* Below 2048 queries everything runs on one thread (starting threads would cost more than it saves).

Ties (duplicate points) are legal input: distances 0 are returned and counted as such. What a zero distance
*means* is the estimator's business (KSG is ill-defined on ties; :mod:`~infokit.estimators.mixed` is the
tie-aware family).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import special as _sp
from scipy.spatial import cKDTree

__all__ = ["MaxNormSpace", "n_workers", "jittered", "mean_digamma", "maxnorm_pairwise_counts_bruteforce"]

#: leaf size of the kNN trees (measured best or near-best for d = 2 … 10 at n = 10^4 … 10^5)
_KNN_LEAFSIZE = 16
#: leaf size of the counting trees
_COUNT_LEAFSIZE = 16
#: below this many queries one thread answers them all (thread start-up would cost more than it saves)
_MIN_PARALLEL = 2048
#: the 1-D sorted-window kth-neighbour method is used up to this k (its window is (n, 2k))
_MAX_WINDOW_K = 64


def n_workers(workers: int | None) -> int:
    """Number of threads for ``workers`` (scipy's meaning: ``-1`` or ``None`` = every available core)."""
    if workers is None or workers < 0:
        try:
            return max(1, len(os.sched_getaffinity(0)))
        except AttributeError:  # pragma: no cover - not on Linux
            return max(1, os.cpu_count() or 1)
    return max(1, int(workers))


def jittered(x: np.ndarray, jitter: float, random_state) -> np.ndarray:
    """``x`` plus i.i.d. N(0, jitter²) noise in a new array (``x`` itself is returned when ``jitter == 0``).

    ``random_state`` is an int seed, a ``numpy.random.Generator`` or ``None`` (fresh entropy).
    """
    if not jitter:
        return x
    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    return x + float(jitter) * rng.standard_normal(x.shape)


def mean_digamma(counts: np.ndarray) -> float:
    """Mean of ψ(c) over integer counts c ≥ 1 (ψ evaluated once per distinct count; exact same terms)."""
    counts = np.asarray(counts, dtype=np.int64)
    freq = np.bincount(counts)
    vals = np.flatnonzero(freq)
    return float(np.dot(freq[vals], _sp.digamma(vals.astype(np.float64))) / counts.size)


def _sklearn_kdtree():
    """scikit-learn's KDTree class, or None when scikit-learn is not installed."""
    try:
        from sklearn.neighbors import KDTree  # noqa: PLC0415 - optional accelerator, imported on demand
    except Exception:  # pragma: no cover - depends on the environment
        return None
    return KDTree


def _strict_radius(radii: np.ndarray) -> np.ndarray:
    """Largest double below each radius: ``d <= _strict_radius(r)`` is ``d < r`` for doubles ``d >= 0``."""
    return np.nextafter(radii, -np.inf)


def _prefix_count(s: np.ndarray, v: np.ndarray, b: np.ndarray, *, inclusive: bool) -> np.ndarray:
    """For each i, the number of sorted values ``s_j`` with ``fl(s_j - v_i) < b_i`` (``<=`` if inclusive).

    ``fl(s_j - v)`` is non-decreasing in ``s_j`` (rounding is monotone), so these values form a prefix of
    ``s``. ``searchsorted`` at ``v + b`` finds its end up to rounding; the exact end is then reached by
    checking the predicate on the neighbouring *distinct* values (runs of duplicates are jumped over with
    one more ``searchsorted``), which takes a step or two for the few boundary cases.
    """
    n = len(s)
    with np.errstate(over="ignore", invalid="ignore"):
        pos = np.searchsorted(s, v + b, side="right" if inclusive else "left")

        def pred(vals, vv, bb):
            return (vals - vv) <= bb if inclusive else (vals - vv) < bb

        # step down while the last value of the prefix fails the predicate
        idx = np.flatnonzero(pos > 0)
        idx = idx[~pred(s[pos[idx] - 1], v[idx], b[idx])]
        while idx.size:
            pos[idx] = np.searchsorted(s, s[pos[idx] - 1], side="left")
            idx = idx[pos[idx] > 0]
            idx = idx[~pred(s[pos[idx] - 1], v[idx], b[idx])]
        # step up while the first value after the prefix passes it
        idx = np.flatnonzero(pos < n)
        idx = idx[pred(s[pos[idx]], v[idx], b[idx])]
        while idx.size:
            pos[idx] = np.searchsorted(s, s[pos[idx]], side="right")
            idx = idx[pos[idx] < n]
            idx = idx[pred(s[pos[idx]], v[idx], b[idx])]
    return pos


class MaxNormSpace:
    """A sample of ``n`` points in :math:`\\mathbb{R}^d` with the max-norm, and its neighbour queries.

    Parameters
    ----------
    data : ndarray of shape (n, d), float64
        The points (not copied, never modified).
    workers : int, default -1
        Threads for the tree queries; ``-1`` uses every available core (scipy's convention).
    backend : {"auto", "scipy", "sklearn"}, default "auto"
        Engine of the count-only radius queries in d ≥ 2 (see the module notes). All give identical counts.

    Notes
    -----
    The search structures (sorted copy or trees) are built lazily, once, and reused by every query, so an
    estimator that needs several queries on the same space (KSG-2, Gao's mixed estimator) pays once.
    """

    def __init__(self, data: np.ndarray, *, workers: int | None = -1, backend: str = "auto"):
        data = np.asarray(data, dtype=np.float64)
        if data.ndim == 1:
            data = data[:, None]
        self.data = data if data.flags.c_contiguous else np.ascontiguousarray(data)
        self.n, self.d = self.data.shape
        self.workers = n_workers(workers)
        self.backend = backend
        self._tree = None
        self._order = None
        self._sorted = None
        self._sort_idx = None
        self._sk_tree = None

    def _threads(self, m: int) -> int:
        """Threads for m queries: one below _MIN_PARALLEL (thread start-up would cost more than it saves)."""
        return self.workers if m >= _MIN_PARALLEL else 1

    # ------------------------------------------------------------------ structures
    @property
    def tree(self) -> cKDTree:
        if self._tree is None:
            self._tree = cKDTree(self.data, leafsize=_KNN_LEAFSIZE, compact_nodes=True, balanced_tree=True,
                                 copy_data=False)
            self._order = self._tree.indices
        return self._tree

    @property
    def order(self) -> np.ndarray:
        """A permutation listing the points leaf by leaf (queries in this order hit the cache)."""
        if self._order is None:
            _ = self.tree
        return self._order

    def _sorted_1d(self):
        if self._sorted is None:
            v = self.data[:, 0]
            self._sort_idx = np.argsort(v)
            self._sorted = v[self._sort_idx]
        return self._sorted, self._sort_idx

    # ------------------------------------------------------------------ kth-neighbour distances
    def kth_neighbor_distance(self, k: int) -> np.ndarray:
        """Distance from each point to its ``k``-th nearest other point, shape ``(n,)``.

        Ties are kept: with m ≥ k duplicates of a point its k-th distance is 0.
        """
        if self.d == 1 and k <= _MAX_WINDOW_K:
            return self._kth_1d(k)
        order = self.order
        dist, _ = self.tree.query(self.data[order], k=[k + 1], p=np.inf, workers=self._threads(self.n))
        out = np.empty(self.n)
        out[order] = dist[:, 0]  # the (k+1)-th of a point's list, itself (distance 0) included
        return out

    def _kth_1d(self, k: int) -> np.ndarray:
        s, idx = self._sorted_1d()
        n = self.n
        pos = np.arange(n)
        win = np.full((n, 2 * k), np.inf)
        for j in range(1, k + 1):
            left = pos - j
            ok = left >= 0
            win[ok, j - 1] = s[pos[ok]] - s[left[ok]]
            right = pos + j
            ok = right < n
            win[ok, k + j - 1] = s[right[ok]] - s[pos[ok]]
        kth = np.partition(win, k - 1, axis=1)[:, k - 1]
        out = np.empty(n)
        out[idx] = kth
        return out

    def neighbors(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest other points of every point: ``(distances, indices)``, each of shape ``(n, k)``.

        Rows are sorted by distance. When more than ``k`` points tie at distance 0 the point itself may be
        missing from the tree's answer; then the farthest returned candidate is dropped instead, which is an
        equally valid set of k nearest neighbours.
        """
        order = self.order
        dist, idx = self.tree.query(self.data[order], k=k + 1, p=np.inf, workers=self._threads(self.n))
        dist = dist.reshape(self.n, k + 1)
        idx = idx.reshape(self.n, k + 1)
        is_self = idx == order[:, None]
        drop = np.where(is_self.any(axis=1), is_self.argmax(axis=1), k)
        keep = np.ones_like(is_self)
        keep[np.arange(self.n), drop] = False
        d_out = np.empty((self.n, k))
        i_out = np.empty((self.n, k), dtype=np.intp)
        d_out[order] = dist[keep].reshape(self.n, k)
        i_out[order] = idx[keep].reshape(self.n, k)
        return d_out, i_out

    def kth_distance_from(self, queries: np.ndarray, k: int) -> np.ndarray:
        """Distance from each row of ``queries`` to its ``k``-th nearest point of this sample, shape ``(m,)``.

        The queries are outside points: nothing is excluded (a query equal to a sample point is at distance 0).
        """
        queries = np.asarray(queries, dtype=np.float64)
        if queries.ndim == 1:
            queries = queries[:, None]
        if self.d == 1 and k <= _MAX_WINDOW_K:
            return self._kth_from_1d(queries[:, 0], k)
        # queries sorted along the first coordinate: neighbouring queries walk the same branches
        o = np.argsort(queries[:, 0], kind="stable")
        dist, _ = self.tree.query(queries[o], k=[k], p=np.inf, workers=self._threads(len(queries)))
        out = np.empty(len(queries))
        out[o] = dist[:, 0]
        return out

    def _kth_from_1d(self, q: np.ndarray, k: int) -> np.ndarray:
        s, _ = self._sorted_1d()
        n = self.n
        m = len(q)
        pos = np.searchsorted(s, q, side="left")  # s[pos-1] < q <= s[pos]
        win = np.full((m, 2 * k), np.inf)
        for j in range(k):
            left = pos - 1 - j
            ok = left >= 0
            win[ok, j] = q[ok] - s[left[ok]]
            right = pos + j
            ok = right < n
            win[ok, k + j] = s[right[ok]] - q[ok]
        return np.partition(win, k - 1, axis=1)[:, k - 1]

    # ------------------------------------------------------------------ counts
    def count_within(self, radii: np.ndarray, *, strict: bool = True, rows: np.ndarray | None = None) -> np.ndarray:
        """Count the other points inside each point's ball, shape ``(n,)`` (or ``(len(rows),)``), int64.

        Parameters
        ----------
        radii : ndarray of shape (n,) (or (len(rows),))
            Radius of the ball around each (selected) point; finite, >= 0.
        strict : bool
            ``True``: count ``j != i`` with ``||x_j - x_i|| < r_i`` (open ball; r = 0 counts nothing).
            ``False``: count ``j != i`` with ``||x_j - x_i|| <= r_i`` (closed ball; r = 0 counts duplicates).
        rows : ndarray of int, optional
            Only these points are queried (the radii then align with ``rows``).
        """
        radii = np.asarray(radii, dtype=np.float64)
        sel = np.arange(self.n) if rows is None else np.asarray(rows, dtype=np.intp)
        if len(sel) == 0:
            return np.zeros(0, dtype=np.int64)
        if self.d == 1:
            return self._count_1d(sel, radii, strict)
        if strict:
            positive = radii > 0
            r = np.where(positive, _strict_radius(radii), 0.0)
        else:
            positive = np.ones(len(sel), dtype=bool)
            r = radii
        counts = self._count_closed(sel, r)
        # the closed ball always holds the point itself; an open ball of radius 0 holds nothing
        return np.where(positive, counts - 1, 0).astype(np.int64)

    def _count_1d(self, sel, radii, strict):
        s, sidx = self._sorted_1d()
        if len(sel) == self.n and radii.shape[0] == self.n and np.array_equal(sel, np.arange(self.n)):
            o = sidx  # all points, queried in sorted order: searchsorted then walks memory forward
        else:
            o = np.argsort(self.data[sel, 0])
        v = self.data[sel[o], 0]
        r = radii[o]
        if strict:
            # j counted iff -r < fl(s_j - v) < r
            c = _prefix_count(s, v, r, inclusive=False) - _prefix_count(s, v, -r, inclusive=True)
            c = np.where(r > 0, c - 1, 0)
        else:
            # j counted iff -r <= fl(s_j - v) <= r
            c = _prefix_count(s, v, r, inclusive=True) - _prefix_count(s, v, -r, inclusive=False) - 1
        out = np.empty(len(sel), dtype=np.int64)
        out[o] = c
        return out

    def _use_sklearn(self, m: int) -> bool:
        if self.backend == "scipy":
            return False
        if self.backend == "sklearn":
            return True
        return self.d >= 2 and _sklearn_kdtree() is not None

    def _count_closed(self, sel, r):
        """#{j : ||x_j - x_i|| <= r_i} for i in sel (the point itself included), r >= 0."""
        m = len(sel)
        if self._use_sklearn(m):
            if self._sk_tree is None:
                KDTree = _sklearn_kdtree()
                if KDTree is None:  # backend="sklearn" forced without scikit-learn
                    raise ImportError("backend='sklearn' needs scikit-learn; install it or use backend='scipy'")
                self._sk_tree = KDTree(self.data, leaf_size=_COUNT_LEAFSIZE, metric="chebyshev")
            tree = self._sk_tree
            # leaf order of the counting tree restricted to the selected rows
            pos = np.empty(self.n, dtype=np.intp)
            pos[np.asarray(tree.get_arrays()[1])] = np.arange(self.n)
            o = np.argsort(pos[sel], kind="stable")
            q = self.data[sel[o]]
            rq = r[o]
            w = self._threads(m)
            out_o = np.empty(m, dtype=np.int64)
            if w == 1:
                out_o[:] = tree.query_radius(q, rq, count_only=True)
            else:
                bounds = np.linspace(0, m, 4 * w + 1).astype(np.intp)
                chunks = [(a, b) for a, b in zip(bounds[:-1], bounds[1:]) if b > a]

                def _job(ab):
                    a, b = ab
                    out_o[a:b] = tree.query_radius(q[a:b], rq[a:b], count_only=True)

                with ThreadPoolExecutor(max_workers=w) as ex:
                    list(ex.map(_job, chunks))
            out = np.empty(m, dtype=np.int64)
            out[o] = out_o
            return out
        tree = self.tree
        pos = np.empty(self.n, dtype=np.intp)
        pos[self.order] = np.arange(self.n)
        o = np.argsort(pos[sel], kind="stable")
        c = tree.query_ball_point(self.data[sel[o]], r[o], p=np.inf, return_length=True, workers=self._threads(m))
        out = np.empty(m, dtype=np.int64)
        out[o] = c
        return out


def maxnorm_pairwise_counts_bruteforce(data: np.ndarray, radii: np.ndarray, *, strict: bool = True) -> np.ndarray:
    """O(n²) reference of :meth:`MaxNormSpace.count_within` (for tests and tiny samples only)."""
    data = np.asarray(data, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    n = len(data)
    out = np.empty(n, dtype=np.int64)
    for a in range(0, n, 512):
        dist = np.abs(data[a:a + 512, None, :] - data[None, :, :]).max(axis=2)
        r = radii[a:a + 512, None]
        inside = dist < r if strict else dist <= r
        inside[np.arange(len(dist)), np.arange(a, a + len(dist))] = False
        out[a:a + 512] = inside.sum(axis=1)
    return out
