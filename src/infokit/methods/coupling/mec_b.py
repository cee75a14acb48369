r"""Minimum-entropy coupling with bottleneck (MEC-B) and its encoder problem EBIM (paper 1 of the reading list).

MEC-B [1]_ looks, for a Markov chain :math:`X \to T \to Y` with :math:`X \sim p_X` given and the output marginal
:math:`p_Y` prescribed, for

.. math:: \max_{p_{T|X},\, p_{Y|T}} I(X;Y) \quad \text{s.t.} \quad H(T) \le R,\ \ P_Y = p_Y .

Under logarithmic loss the best soft reconstruction has distortion :math:`H(X|Y)`, so this is lossy compression
at rate :math:`R` with an output distribution that may differ from the source's. Since
:math:`I(X;Y) \ge I(X;T) + I(T;Y) - H(T)` on the chain, [1]_ splits it into

* **EBIM** (entropy-bounded information maximisation), the encoder: :math:`\max_{p_{T|X}} I(X;T)` s.t.
  :math:`H(T) \le R` — :func:`ebim`;
* **MEC**, the decoder: the minimum-entropy coupling of :math:`p_T` and :math:`p_Y`, which maximises
  :math:`I(T;Y)` — :func:`infokit.methods.coupling.min_entropy_coupling`;

and :func:`mec_b` chains the two.

References
----------
.. [1] Ebrahimi, M. R., Chen, J., Khisti, A. (2024). Minimum entropy coupling with bottleneck. NeurIPS 2024.
   arXiv:2410.21666
"""

from __future__ import annotations

import functools
import heapq
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import entr

from ..._units import check_base, unit_name
from ..._validation import as_float_array, check_choice, check_nonneg_float, check_pmf
from ...exceptions import InvalidDistributionError, InvalidParameterError
from ...measures import entropy, mutual_information
from .mec import _greedy_coupling, _normalised

__all__ = ["EBIMResult", "MECBResult", "ebim", "mec_b", "EBIM_METHODS"]

#: ``method=`` values of :func:`ebim` and :func:`mec_b`
EBIM_METHODS = ("greedy", "exact", "envelope")

_FEAS = 1e-12  # H(T) <= R + _FEAS (nats) counts as feasible: R is often exactly the entropy of a map
_EXACT_MAX = 10  # positive atoms accepted by the exact partition search (Bell(10) = 115,975 partitions)
_ENVELOPE_ALL_MAPS = 7  # up to this many atoms the envelope starts from every deterministic map (Bell(7) = 877)
_LOCAL_SEARCH_ROUNDS = 200  # improving single-atom moves tried after the greedy chains
_SWAP_MAX = 300  # up to this many outcomes the local search also tries swapping two atoms (an n x n matrix)


def _readonly(a, dtype=np.float64):
    a = np.array(a, dtype=dtype, copy=True)
    a.setflags(write=False)
    return a


# ============================================================================================ results
@dataclass(frozen=True)
class EBIMResult:
    r"""Solution of :math:`\max_{p_{T|X}} I(X;T)` s.t. :math:`H(T) \le R` (see :func:`ebim`).

    Attributes
    ----------
    encoder : ndarray, shape (n_x, n_t)
        The channel :math:`p(t \mid x)` (rows sum to 1; a 0/1 matrix for a deterministic map).
    joint : ndarray, shape (n_x, n_t)
        :math:`p(x, t) = p(x)\,p(t \mid x)`.
    p_t : ndarray, shape (n_t,)
        The code distribution :math:`p(t)`, columns ordered by non-increasing mass.
    mutual_information : float
        :math:`I(X;T)` in ``unit``.
    rate : float
        :math:`H(T)` reached, in ``unit`` (at most ``rate_limit``).
    rate_limit : float
        The bound :math:`R` asked for, in ``unit``.
    method : str
        The solver used.
    unit : str
        Unit of the information values.
    labels : ndarray of int or None
        For a deterministic map, :math:`T = \text{labels}[X]`; ``None`` when the encoder is stochastic.
    """

    encoder: np.ndarray
    joint: np.ndarray
    p_t: np.ndarray
    mutual_information: float
    rate: float
    rate_limit: float
    method: str
    unit: str
    labels: np.ndarray | None

    @property
    def deterministic(self) -> bool:
        """Whether the encoder is a function :math:`T = f(X)` (then ``mutual_information == rate``)."""
        return self.labels is not None


@dataclass(frozen=True)
class MECBResult:
    r"""Solution of MEC-B: an EBIM encoder :math:`p(t|x)` and a MEC decoder :math:`p(y|t)` (see :func:`mec_b`).

    Attributes
    ----------
    encoder : ndarray, shape (n_x, n_t)
        :math:`p(t \mid x)`.
    decoder : ndarray, shape (n_t, n_y)
        :math:`p(y \mid t)`, from the greedy minimum-entropy coupling of :math:`p_T` and :math:`p_Y`.
    joint : ndarray, shape (n_x, n_y)
        :math:`p(x, y) = \sum_t p(x)\,p(t \mid x)\,p(y \mid t)`; its column sums are :math:`p_Y`.
    mutual_information : float
        :math:`I(X;Y)` of ``joint`` — the MEC-B objective.
    encoder_information : float
        :math:`I(X;T)`.
    decoder_information : float
        :math:`I(T;Y)`.
    rate : float
        :math:`H(T)`.
    rate_limit : float
        :math:`R`.
    method : str
        The EBIM solver used for the encoder.
    unit : str
        Unit of the information values.
    """

    encoder: np.ndarray
    decoder: np.ndarray
    joint: np.ndarray
    mutual_information: float
    encoder_information: float
    decoder_information: float
    rate: float
    rate_limit: float
    method: str
    unit: str


# ============================================================================================ helpers
def _h_cols(masses) -> float:
    """Entropy (nats) of a vector of column masses."""
    return float(np.sum(entr(np.asarray(masses, dtype=np.float64))))


def _masses(p, labels, k=None):
    return np.bincount(labels, weights=p, minlength=(int(labels.max()) + 1) if k is None else k)


def _canonical(p, labels):
    """Relabel the columns of a map by non-increasing mass (ties by first appearance); drop empty columns."""
    m = _masses(p, labels)
    used = np.flatnonzero(m > 0)
    order = used[np.argsort(-m[used], kind="stable")]
    remap = np.full(m.size, -1, dtype=np.int64)
    remap[order] = np.arange(order.size)
    return remap[labels]


@functools.lru_cache(maxsize=16)
def _set_partitions(n: int) -> np.ndarray:
    """All set partitions of ``n`` items as restricted growth strings, shape (Bell(n), n), read-only."""
    labels = np.zeros((1, 1), dtype=np.int8)
    mx = np.zeros(1, dtype=np.int8)
    for _ in range(1, n):
        counts = mx.astype(np.int64) + 2  # the next item joins a used block or opens one new block
        rep = np.repeat(np.arange(labels.shape[0]), counts)
        starts = np.cumsum(counts) - counts
        new = (np.arange(int(counts.sum())) - np.repeat(starts, counts)).astype(np.int8)
        labels = np.concatenate([labels[rep], new[:, None]], axis=1)
        mx = np.maximum(mx[rep], new)
    labels.setflags(write=False)
    return labels


def _partition_entropies(p, parts):
    """H(T) (nats) of every partition in ``parts`` (rows of block labels) for item masses ``p``."""
    B, n = parts.shape
    M = np.zeros((B, n))
    rows = np.arange(B)
    for i in range(n):
        M[rows, parts[:, i]] += p[i]
    return entr(M).sum(axis=1)


# ============================================================================================ greedy kernel
def _chain_into_largest(ps):
    """Singleton chain: atoms 0..j-1 kept apart, atoms j.. merged into atom 0's column; H_j for j = 1..n.

    Consecutive maps differ by moving one atom of mass a <= p_2 into another column, which lowers H(T) by
    (a + c) h(a / (a + c)) <= h(a) <= h(p_2): the chain from H(X) down to 0 has no gap larger than h(p_2).
    """
    n = ps.size
    tail = np.concatenate([np.cumsum(ps[::-1])[::-1], [0.0]])  # tail[j] = sum_{i >= j} p_i
    head = np.concatenate([[0.0], np.cumsum(entr(ps))])  # head[j] = sum_{i < j} eta(p_i)
    j = np.arange(1, n + 1)
    return j, entr(ps[0] + tail[j]) + head[j] - head[1]


def _chain_lumped(ps):
    """Chain: atoms 0..j-1 kept apart, atoms j.. lumped in one new column; H_j for j = 1..n."""
    n = ps.size
    tail = np.concatenate([np.cumsum(ps[::-1])[::-1], [0.0]])
    head = np.concatenate([[0.0], np.cumsum(entr(ps))])
    j = np.arange(1, n + 1)
    return j, head[j] + entr(tail[j])


def _labels_into_largest(n, j):
    lab = np.arange(n)
    lab[j:] = 0
    return lab


def _labels_lumped(n, j):
    lab = np.arange(n)
    lab[j:] = j
    return lab


def _huffman_chain(ps, R):
    r"""Merge the two lightest columns (the merge that loses least entropy: the loss
    :math:`\eta(a) + \eta(c) - \eta(a + c)` grows with both masses) until H(T) <= R; the last merge is chosen
    among all column pairs as the feasible one that keeps H(T) largest. Returns labels of the sorted atoms."""
    n = ps.size
    heap = [(float(ps[i]), i) for i in range(n)]
    heapq.heapify(heap)
    parent = list(range(n))
    alive = {i: float(ps[i]) for i in range(n)}
    H = _h_cols(ps)

    def loss(a, c):
        return float(entr(a) + entr(c) - entr(a + c))

    while H > R + _FEAS and len(alive) > 1:
        a, i = heapq.heappop(heap)
        c, j = heapq.heappop(heap)
        lost = loss(a, c)
        if H - lost <= R + _FEAS:
            # the last merge: the lightest feasible partner of every column, by bisection on the sorted masses
            ids = np.array(list(alive))
            w = np.array([alive[r] for r in ids])
            order = np.argsort(w, kind="stable")
            ids, w = ids[order], w[order]
            need = H - R - _FEAS  # the merge must lose at least this much entropy
            best = None
            for u in range(w.size - 1):
                lo, hi = u + 1, w.size
                while lo < hi:
                    mid = (lo + hi) // 2
                    if loss(w[u], w[mid]) >= need:
                        hi = mid
                    else:
                        lo = mid + 1
                if lo < w.size:
                    lv = loss(w[u], w[lo])
                    if best is None or lv < best[0]:
                        best = (lv, int(ids[u]), int(ids[lo]))
            lost, i, j = best
        new = len(parent)
        parent.append(new)
        parent[i] = parent[j] = new
        alive[new] = alive.pop(i) + alive.pop(j)
        heapq.heappush(heap, (alive[new], new))
        H -= lost

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    roots = np.array([find(i) for i in range(n)])
    return _canonical(ps, np.unique(roots, return_inverse=True)[1])


def _local_search(ps, labels, R, rounds=_LOCAL_SEARCH_ROUNDS):
    """Steepest ascent of H(T) <= R over single-atom moves (to another column or a new one) and, for up to
    ``_SWAP_MAX`` outcomes, swaps of two atoms between columns."""
    labels = labels.copy()
    n = ps.size
    a = ps[:, None]
    for _ in range(rounds):
        k = int(labels.max()) + 1
        m = _masses(ps, labels, k)
        H = _h_cols(m)
        s = m[labels][:, None]  # mass of each atom's column
        # move atom i (mass a) from its column (mass s) to column c (mass t), c = 0..k (k: a new column)
        t = np.concatenate([m, [0.0]])[None, :]
        newH = H - entr(s) - entr(t) + entr(s - a) + entr(t + a)
        newH[np.arange(n), labels] = -np.inf  # staying put is not a move
        newH[newH > R + _FEAS] = -np.inf
        i, c = np.unravel_index(int(np.argmax(newH)), newH.shape)
        best, move = newH[i, c], ("move", int(i), int(c))
        if n <= _SWAP_MAX:
            # swap atoms i and j of different columns: masses A + (a_j - a_i) and B - (a_j - a_i)
            d = ps[None, :] - ps[:, None]
            A, B = s, s.T
            sw = H - entr(A) - entr(B) + entr(np.maximum(A + d, 0.0)) + entr(np.maximum(B - d, 0.0))
            sw[labels[:, None] == labels[None, :]] = -np.inf
            sw[sw > R + _FEAS] = -np.inf
            i2, j2 = np.unravel_index(int(np.argmax(sw)), sw.shape)
            if sw[i2, j2] > best:
                best, move = sw[i2, j2], ("swap", int(i2), int(j2))
        if not best > H + 1e-13:
            break
        if move[0] == "move":
            labels[move[1]] = move[2]
        else:
            i, j = move[1], move[2]
            labels[i], labels[j] = labels[j], labels[i]
        labels = _canonical(ps, labels)
    return labels


def _ebim_greedy(ps, R):
    """Greedy deterministic EBIM on non-increasing positive masses ``ps`` (nats): labels of the best map found.

    Candidates: the two singleton chains (the first carries the :math:`h(p_2)` guarantee), the Huffman-style
    merge chain, each the highest-entropy feasible map on its chain, then improved by local search.
    """
    # Deviation from [1]: not the paper's Algorithm 1 (its pseudo-code was not available to us) but our own
    # search, because the chain argument of [1] only needs *some* map on the singleton chain: that chain is kept
    # among the candidates, so the h(p_2) guarantee holds, and the other candidates and local search only improve.
    n = ps.size
    if _h_cols(ps) <= R + _FEAS:
        return np.arange(n)
    cands = []
    for chain, make in ((_chain_into_largest, _labels_into_largest), (_chain_lumped, _labels_lumped)):
        j, H = chain(ps)
        ok = H <= R + _FEAS
        if ok.any():
            jj = int(j[ok][np.argmax(H[ok])])
            cands.append(_canonical(ps, make(n, jj)))
    cands.append(_huffman_chain(ps, R))
    best, best_h = None, -np.inf
    for lab in cands:  # local search from every chain's map; keep the best
        lab = _local_search(ps, lab, R)
        h = _h_cols(_masses(ps, lab))
        if h <= R + _FEAS and h > best_h + 1e-15:
            best, best_h = lab, h
    return best


# ============================================================================================ exact kernel
def _ebim_exact(ps, R):
    """Best deterministic map by enumerating every set partition of the atoms (Bell(n) of them)."""
    n = ps.size
    if _h_cols(ps) <= R + _FEAS:
        return np.arange(n)
    parts = _set_partitions(n)
    H = _partition_entropies(ps, parts)
    H[H > R + _FEAS] = -np.inf
    b = int(np.argmax(H))
    return _canonical(ps, parts[b].astype(np.int64))


# ============================================================================================ envelope kernel
def _candidate_maps(ps, R):
    """Deterministic maps the envelope starts from: all of them for few outcomes; otherwise, on each greedy
    chain, the best feasible map and the next (infeasible) one, the Huffman map and the greedy map."""
    n = ps.size
    if n <= _ENVELOPE_ALL_MAPS:
        return [np.asarray(r, dtype=np.int64) for r in _set_partitions(n)]
    maps = []
    for chain, make in ((_chain_into_largest, _labels_into_largest), (_chain_lumped, _labels_lumped)):
        j, H = chain(ps)
        ok = H <= R + _FEAS
        if ok.any():
            jj = int(j[ok][np.argmax(H[ok])])
            maps.append(make(n, jj))
            if jj < n:
                maps.append(make(n, jj + 1))
    maps.append(_huffman_chain(ps, R))
    maps.append(_ebim_greedy(ps, R))
    return maps


def _ebim_envelope(ps, R):
    r"""Near-functional EBIM solutions (Theorem 3 of [1]_ style) and their upper envelope at rate ``R``.

    From every candidate deterministic map, move a fraction :math:`\delta \in (0, a]` of one atom (mass
    :math:`a`) from its column (mass :math:`s`) to another column (mass :math:`t`, 0 for a new column) — any
    column for at most 7 outcomes (from every deterministic map), the heaviest or a new one beyond (from the
    maps of the greedy chains around ``R``):

    .. math:: H(T) = H_0 - \eta(s) - \eta(t) + \eta(s - \delta) + \eta(t + \delta), \qquad
              H(T \mid X) = a\, h(\delta / a),

    and :math:`I = H(T) - H(T|X)`. The best point with :math:`H(T) \le R` over all such curves is returned,
    together with the best deterministic map itself. Theorem 3 of [1]_ says that near a deterministic map of
    rate :math:`R_g` the optimum moves a little mass to an *empty* column (:math:`R > R_g`) or into the
    *heaviest* column (:math:`R < R_g`); both transfers are in this family.

    Returns ``(labels, atom, target, delta, I)``; ``atom < 0`` for a deterministic map.
    """
    n = ps.size
    if _h_cols(ps) <= R + _FEAS:
        return np.arange(n), -1, -1, 0.0, _h_cols(ps)
    maps = _candidate_maps(ps, R)
    # Deviation from [1]: for few outcomes every target column is tried, not only the two of Theorem 3 (an
    # empty column or the heaviest one), because a superset of candidates can only raise I(X;T) and is cheap.
    all_targets = n <= _ENVELOPE_ALL_MAPS
    best_det = None
    # all curves: (map, atom, target)
    A, S, T, H0, MAP, ATOM, TGT = [], [], [], [], [], [], []
    for mi, lab in enumerate(maps):
        k = int(lab.max()) + 1
        m = _masses(ps, lab, k)
        h0 = _h_cols(m)
        if h0 <= R + _FEAS and (best_det is None or h0 > best_det[1]):
            best_det = (mi, h0)
        tgt = np.concatenate([m, [0.0]])
        heaviest = int(np.argmax(m))
        for x in range(n):
            c = int(lab[x])
            # few outcomes: every target column; many: the two transfers of Theorem 3 (a new empty column, or
            # the heaviest column)
            targets = range(k + 1) if all_targets else (k, heaviest)
            for t in targets:
                if t == c or (t < k and m[t] == 0):
                    continue
                A.append(ps[x])
                S.append(m[c])
                T.append(tgt[t])
                H0.append(h0)
                MAP.append(mi)
                ATOM.append(x)
                TGT.append(t)
    A, S, T, H0 = (np.asarray(v, dtype=np.float64) for v in (A, S, T, H0))

    def h_t(d):
        return H0 - entr(S) - entr(T) + entr(S - d) + entr(T + d)

    def info(d):
        # H(T|X) = a h(d/a) = eta(d) + eta(a - d) - eta(a)
        return h_t(d) - (entr(d) + entr(A - d) - entr(A))

    best = (-np.inf, None, 0.0) if best_det is None else (best_det[1], None, 0.0)
    # 1. a grid on (0, a], denser near both ends (slopes are infinite at delta = 0)
    u = np.concatenate([np.geomspace(1e-9, 0.5, 60), 0.5 + 0.5 * (1 - np.geomspace(1e-9, 0.5, 60)[::-1]),
                        np.linspace(0.0, 1.0, 101)[1:]])
    for f in u:
        d = f * A
        I = np.where(h_t(d) <= R + _FEAS, info(d), -np.inf)
        c = int(np.argmax(I))
        if I[c] > best[0]:
            best = (float(I[c]), c, float(d[c]))
    # 2. the points where H(T) = R exactly (H(T) is concave in delta: at most one root on each side of its
    #    maximiser), found for all curves at once by bisection
    dstar = np.clip((S - T) / 2.0, 0.0, A)
    hmax = h_t(dstar)
    for lo0, hi0, rising in ((np.zeros_like(A), dstar, True), (dstar, A.copy(), False)):
        h_lo, h_hi = h_t(lo0), h_t(hi0)
        ok = (np.minimum(h_lo, h_hi) <= R) & (hmax > R)
        lo, hi = lo0.copy(), hi0.copy()
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            above = h_t(mid) > R
            if rising:  # feasible below the root
                hi = np.where(above, mid, hi)
                lo = np.where(above, lo, mid)
            else:  # feasible above the root
                lo = np.where(above, mid, lo)
                hi = np.where(above, hi, mid)
        d = lo if rising else hi
        I = np.where(ok & (h_t(d) <= R + _FEAS), info(d), -np.inf)
        c = int(np.argmax(I))
        if I[c] > best[0]:
            best = (float(I[c]), c, float(d[c]))
    value, c, delta = best
    if c is None:
        return maps[best_det[0]], -1, -1, 0.0, value
    return maps[MAP[c]], ATOM[c], TGT[c], delta, value


# ============================================================================================ public API
def _prepare_px(p_x, atol, name="p_x"):
    a = as_float_array(p_x, name)
    if a.ndim != 1:
        raise InvalidDistributionError(f"`{name}` must be a 1-D pmf; got an array of shape {a.shape}")
    return _normalised(np.asarray(check_pmf(a, name, atol=atol), dtype=np.float64))


def _check_rate(rate, b):
    r = check_nonneg_float(rate, "rate", allow_inf=True)
    return r if (b is None or math.isinf(r)) else r * math.log(b)


def _ebim_kernel(p, R, method):
    """EBIM in nats on a normalised pmf ``p``: ``(encoder (n, k), labels or None)``."""
    n = p.size
    order = np.argsort(-p, kind="stable")
    pos = order[p[order] > 0]
    ps = p[pos]
    if method == "exact" and ps.size > _EXACT_MAX:
        raise InvalidParameterError(
            f"method='exact' enumerates every set partition and accepts at most {_EXACT_MAX} outcomes with "
            f"positive probability; `p_x` has {ps.size}; use method='greedy' (within h(p_2) of the optimum)"
        )
    if method == "greedy":
        lab, atom, tgt, delta = _ebim_greedy(ps, R), -1, -1, 0.0
    elif method == "exact":
        lab, atom, tgt, delta = _ebim_exact(ps, R), -1, -1, 0.0
    else:
        lab, atom, tgt, delta, _ = _ebim_envelope(ps, R)
    lab = np.asarray(lab, dtype=np.int64)
    k = int(lab.max()) + 1 + (1 if atom >= 0 and tgt > lab.max() else 0)
    enc_pos = np.zeros((ps.size, k))
    enc_pos[np.arange(ps.size), lab] = 1.0
    if atom >= 0 and delta > 0:
        frac = min(delta / ps[atom], 1.0)
        enc_pos[atom, lab[atom]] = 1.0 - frac
        enc_pos[atom, tgt] += frac
    # columns by non-increasing mass; drop empty ones
    pt = ps @ enc_pos
    keep = np.flatnonzero(pt > 0)
    keep = keep[np.argsort(-pt[keep], kind="stable")]
    enc_pos = enc_pos[:, keep]
    enc = np.zeros((n, keep.size))
    enc[pos] = enc_pos
    enc[p == 0, 0] = 1.0  # outcomes of probability 0 go to the heaviest code (any choice is equivalent)
    det = bool(np.all((enc == 0) | (enc == 1)))
    labels = np.argmax(enc, axis=1) if det else None
    return enc, labels


def ebim(p_x, rate, *, method="greedy", base=None, atol=None) -> EBIMResult:
    r"""Entropy-bounded information maximisation: :math:`\max_{p_{T|X}} I(X;T)` s.t. :math:`H(T) \le R`.

    The encoder half of MEC-B [1]_ (paper 1 of the reading list).

    Parameters
    ----------
    p_x : array_like
        The source pmf :math:`p_X` (1-D, sums to 1 within ``atol``).
    rate : float
        The rate bound :math:`R \ge 0` on :math:`H(T)`, in the units of ``base`` (``math.inf`` allowed).
    method : {"greedy", "exact", "envelope"}
        ``"greedy"``: a deterministic map :math:`T = f(X)` found by greedy merge chains and local search
        (about 0.1 s for 1000 outcomes), with :math:`I(X;T) \ge R - h(p_2)` (see Notes). ``"exact"``: the best
        *deterministic* map, by enumerating every set partition of the outcomes (at most 10 outcomes with
        positive probability). ``"envelope"``: the best stochastic encoder obtained by moving part of one
        outcome's mass away from a deterministic map (Theorem 3 of [1]_), over every deterministic map for at
        most 7 outcomes and over the greedy chains beyond; it recovers the brute-force EBIM curve of Fig. 2
        of [1]_ and is never below the best deterministic map it starts from.
    base : float, optional
        Units of ``rate`` and of the results: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the sum of ``p_x``.

    Returns
    -------
    EBIMResult
        ``encoder`` :math:`p(t|x)`, ``joint``, ``p_t``, ``mutual_information`` :math:`I(X;T)`, ``rate``
        :math:`H(T)`, and ``labels`` for a deterministic map.

    Notes
    -----
    .. math:: I(X;T) = H(T) - H(T \mid X) \le H(T) \le R ,

    with equality :math:`I = H(T)` iff :math:`T = f(X)`: deterministic maps lie on the line :math:`I = R`, and the
    best one is a set partition of the outcomes of largest entropy :math:`\le R`. For :math:`R \ge H(X)` the
    identity map is optimal (:math:`I = H(X)`). Between the rates of consecutive deterministic maps the optimum
    is stochastic ([1]_, Theorem 3).

    *Greedy guarantee* ([1]_, Sec. 3). Sort :math:`p_1 \ge p_2 \ge \dots` and move the outcomes
    :math:`n, n-1, \dots, 2` one at a time into the column of outcome 1. Moving mass :math:`a` into a column of
    mass :math:`c` lowers :math:`H(T)` by :math:`(a + c)\, h(a / (a + c)) \le h(a) \le h(p_2)` (:math:`h` the
    binary entropy), so this chain descends from :math:`H(X)` to 0 in steps of at most :math:`h(p_2)` and
    contains a map with :math:`H(T) \in (R - h(p_2), R]`; as :math:`I^* \le R`,
    :math:`I_{greedy} \ge I^* - h(p_2)`. The greedy solver returns the best of this chain, a second singleton
    chain, a Huffman-style merge chain and single-outcome moves from the best of them.

    The paper's Algorithm 1 pseudo-code was not available to us: the greedy solver is our own construction with
    the same guarantee (its proof is the chain argument above).

    References
    ----------
    .. [1] Ebrahimi, M. R., Chen, J., Khisti, A. (2024). Minimum entropy coupling with bottleneck. NeurIPS 2024.
       arXiv:2410.21666

    Examples
    --------
    >>> from infokit.methods.coupling import ebim
    >>> r = ebim([0.5, 0.25, 0.25], 1.0, base=2)   # merge the two quarters: T is a fair coin
    >>> r.mutual_information, r.labels.tolist()
    (1.0, [0, 1, 1])
    >>> ebim([0.5, 0.25, 0.25], 2.0, base=2).mutual_information   # R >= H(X) = 1.5 bits: T = X
    1.5
    """
    check_choice(method, "method", EBIM_METHODS)
    b = check_base(base)
    p = _prepare_px(p_x, atol)
    R = _check_rate(rate, b)
    enc, labels = _ebim_kernel(p, R, method)
    joint = p[:, None] * enc
    pt = _normalised(joint.sum(axis=0))  # sums to 1 to the last ulp: a single code has entropy exactly 0
    ht = float(entropy(pt, base=b, atol=1e-9)) + 0.0
    mi = float(mutual_information(joint, base=b, atol=1e-9)) if joint.shape[1] > 1 else 0.0
    if labels is not None:
        mi = ht  # exact for a function of X (avoids H(X) + H(T) - H(X,T) round-off)
    return EBIMResult(
        encoder=_readonly(enc),
        joint=_readonly(joint),
        p_t=_readonly(pt),
        mutual_information=max(mi, 0.0) + 0.0,
        rate=ht,
        rate_limit=float(rate),
        method=method,
        unit=unit_name(b),
        labels=None if labels is None else _readonly(labels, np.int64),
    )


def mec_b(p_x, p_y, rate, *, method="greedy", base=None, atol=None) -> MECBResult:
    r"""Minimum-entropy coupling with bottleneck: EBIM encoder :math:`p(t|x)` + MEC decoder :math:`p(y|t)`.

    Approximately solves :math:`\max I(X;Y)` over chains :math:`X \to T \to Y` with :math:`H(T) \le R` and
    output marginal :math:`P_Y = p_Y` ([1]_, Eq. (2)), by the decomposition of [1]_: the encoder maximises
    :math:`I(X;T)` under the rate bound (:func:`ebim`), the decoder maximises :math:`I(T;Y)` by a
    minimum-entropy coupling of :math:`p_T` and :math:`p_Y` (greedy, within 0.531 bits of the best coupling).

    Parameters
    ----------
    p_x, p_y : array_like
        Source and prescribed output pmfs (1-D; any sizes).
    rate : float
        Rate bound :math:`R \ge 0` in the units of ``base``; ``math.inf`` (no bottleneck) gives the plain
        minimum-entropy coupling of ``p_x`` and ``p_y``.
    method : {"greedy", "exact", "envelope"}
        The EBIM solver for the encoder (see :func:`ebim`).
    base : float, optional
        Units of ``rate`` and of the results: ``None`` (nats), ``2`` (bits).
    atol : float, optional
        Tolerance on the sums of the pmfs.

    Returns
    -------
    MECBResult
        ``encoder``, ``decoder``, ``joint`` :math:`p(x,y)` (with marginals ``p_x`` and ``p_y``),
        ``mutual_information`` :math:`I(X;Y)`, ``encoder_information``, ``decoder_information``, ``rate``.

    Notes
    -----
    On the chain :math:`X \to T \to Y`, :math:`I(X;T) = I(X;Y) + I(X;T \mid Y) \le I(X;Y) + H(T \mid Y)`, so

    .. math:: I(X;Y) \ge I(X;T) + I(T;Y) - H(T),

    which the two sub-problems maximise term by term. Under logarithmic loss the expected distortion of the best
    reconstruction is :math:`H(X \mid Y) = H(X) - I(X;Y)`.

    References
    ----------
    .. [1] Ebrahimi, M. R., Chen, J., Khisti, A. (2024). Minimum entropy coupling with bottleneck. NeurIPS 2024.
       arXiv:2410.21666

    Examples
    --------
    >>> import math
    >>> from infokit.methods.coupling import mec_b
    >>> r = mec_b([0.5, 0.5], [0.5, 0.5], math.inf, base=2)   # no bottleneck: Y = X, one bit
    >>> r.mutual_information
    1.0
    >>> round(mec_b([0.5, 0.5], [0.5, 0.5], 0.0, base=2).mutual_information, 12)   # R = 0: T is constant
    0.0
    """
    check_choice(method, "method", EBIM_METHODS)
    b = check_base(base)
    p = _prepare_px(p_x, atol, "p_x")
    q = _prepare_px(p_y, atol, "p_y")
    R = _check_rate(rate, b)
    enc, _ = _ebim_kernel(p, R, method)
    joint_xt = p[:, None] * enc
    pt = _normalised(joint_xt.sum(axis=0))
    idx, vals = _greedy_coupling([pt, q])
    ty = np.zeros((pt.size, q.size))
    np.add.at(ty, (idx[:, 0], idx[:, 1]), vals)
    dec = ty / pt[:, None]
    joint = joint_xt @ dec

    def mi(j):
        return float(max(mutual_information(j, base=b, atol=1e-9), 0.0)) + 0.0 if min(j.shape) > 1 else 0.0

    return MECBResult(
        encoder=_readonly(enc),
        decoder=_readonly(dec),
        joint=_readonly(joint),
        mutual_information=mi(joint),
        encoder_information=mi(joint_xt),
        decoder_information=mi(ty),
        rate=float(entropy(pt, base=b, atol=1e-9)),
        rate_limit=float(rate),
        method=method,
        unit=unit_name(b),
    )
