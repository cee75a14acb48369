"""Compiled (numba) kernel of the greedy minimum-entropy coupling; imported only when numba is installed.

The same algorithm, data structure and tie-breaking as ``mec._greedy_two_py`` / ``mec._greedy_many_py``: the
current maximum of every marginal in a slot, residuals pushed back below the sorted front in an array-based
max-heap ordered by (value descending, position ascending) — the order of ``heapq`` on ``(-value, position)`` —
so both kernels return identical cells. Algorithm 1 of Kocaoglu et al. (2017), arXiv:1611.04035.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["greedy_kernel"]


@numba.njit(cache=True, nogil=True)
def _before(hv, hi, k, x, y):
    return hv[k, x] > hv[k, y] or (hv[k, x] == hv[k, y] and hi[k, x] < hi[k, y])


@numba.njit(cache=True, nogil=True)
def _swap(hv, hi, k, x, y):
    tv = hv[k, x]
    ti = hi[k, x]
    hv[k, x] = hv[k, y]
    hi[k, x] = hi[k, y]
    hv[k, y] = tv
    hi[k, y] = ti


@numba.njit(cache=True, nogil=True)
def _push(hv, hi, hs, k, v, idx):
    pos = hs[k]
    hs[k] = pos + 1
    hv[k, pos] = v
    hi[k, pos] = idx
    while pos > 0:
        parent = (pos - 1) >> 1
        if _before(hv, hi, k, pos, parent):
            _swap(hv, hi, k, pos, parent)
            pos = parent
        else:
            break


@numba.njit(cache=True, nogil=True)
def _pop(hv, hi, hs, k):
    v = hv[k, 0]
    idx = hi[k, 0]
    last = hs[k] - 1
    hs[k] = last
    if last > 0:
        hv[k, 0] = hv[k, last]
        hi[k, 0] = hi[k, last]
        pos = 0
        while True:
            left = 2 * pos + 1
            if left >= last:
                break
            best = left
            right = left + 1
            if right < last and _before(hv, hi, k, right, left):
                best = right
            if _before(hv, hi, k, best, pos):
                _swap(hv, hi, k, pos, best)
                pos = best
            else:
                break
    return v, idx


@numba.njit(cache=True, nogil=True)
def _flush(sv, sp, bv, bp, lo, nxt, end, nb):
    """Merge the far buffer bv/bp[lo:lo+nb] (any order) into the sorted source tail sv/sp[nxt:end].

    The merged run (value descending; on equal values the tail element first, then the buffer by position) is
    written from ``nxt - nb`` up to ``end``; returns that new start. The write pointer trails the tail's read
    pointer by the number of buffered items still to place, so no unread item is overwritten. It fits: every
    item outside the run once occupied one of the ``nxt - lo`` freed slots, so ``nb <= nxt - lo``.
    """
    pos_order = np.argsort(bp[lo:lo + nb], kind="mergesort")
    vals = bv[lo:lo + nb][pos_order]
    order = np.argsort(-vals, kind="mergesort")  # stable: equal values stay in position order
    buf_v = vals[order]
    buf_p = bp[lo:lo + nb][pos_order][order]
    start = nxt - nb
    w = start
    t = nxt
    b = 0
    while b < nb:
        if t < end and sv[t] >= buf_v[b]:
            sv[w] = sv[t]
            sp[w] = sp[t]
            t += 1
        else:
            sv[w] = buf_v[b]
            sp[w] = buf_p[b]
            b += 1
        w += 1
    return start


@numba.njit(cache=True, nogil=True)
def greedy_kernel(vals, offsets, snap):
    """Greedy coupling of the marginals ``vals[offsets[k]:offsets[k+1]]`` (each sorted non-increasingly).

    Returns ``(idx, cells)``: positions in the sorted marginals (nnz, m) and the cell masses (non-increasing).

    Per marginal, the atoms not yet touched form a sorted run read by a pointer; a residual that falls below
    the front goes to a binary max-heap when it is within a factor 2 of the front, and otherwise to an unsorted
    far buffer that is sorted and merged into the run only when the front reaches it. (A single heap holding
    every residual spends most of its time on cache misses for 10^6 atoms; the buffer keeps it small.)
    """
    m = offsets.size - 1
    total = offsets[m]
    nmax = 1
    for k in range(m):
        if offsets[k + 1] - offsets[k] > nmax:
            nmax = offsets[k + 1] - offsets[k]
    out_idx = np.empty((total + 1, m), np.int64)
    out_val = np.empty(total + 1, np.float64)
    sv = vals.copy()
    sp = np.empty(total, np.int64)
    for k in range(m):
        for t in range(offsets[k], offsets[k + 1]):
            sp[t] = t - offsets[k]
    bv = np.empty(total, np.float64)
    bp = np.empty(total, np.int64)
    nbuf = np.zeros(m, np.int64)
    far = np.zeros(m, np.float64)
    hv = np.empty((m, nmax), np.float64)
    hi = np.empty((m, nmax), np.int64)
    hs = np.zeros(m, np.int64)
    nxt = np.empty(m, np.int64)  # absolute index of the next untouched atom in sv
    cur = np.empty(m, np.float64)
    cur_i = np.empty(m, np.int64)
    for k in range(m):
        lo = offsets[k]
        if offsets[k + 1] > lo:
            cur[k] = sv[lo]
            cur_i[k] = sp[lo]
        else:
            cur[k] = 0.0
            cur_i[k] = 0
        nxt[k] = lo + 1
    nnz = 0
    while True:
        mass = cur[0]
        for k in range(1, m):
            if cur[k] < mass:
                mass = cur[k]
        if mass <= 0.0:
            break
        out_val[nnz] = mass
        for k in range(m):
            out_idx[nnz, k] = cur_i[k]
            c = cur[k]
            r = c - mass
            if r <= snap * c:
                r = 0.0
            end = offsets[k + 1]
            front = sv[nxt[k]] if nxt[k] < end else 0.0
            top = hv[k, 0] if hs[k] > 0 else 0.0
            fmax = far[k] if nbuf[k] > 0 else 0.0
            if r == 0.0 or front > r or top > r or fmax > r:
                if r > 0.0:
                    if r < 0.5 * front:
                        bv[offsets[k] + nbuf[k]] = r
                        bp[offsets[k] + nbuf[k]] = cur_i[k]
                        nbuf[k] += 1
                        if r > far[k] or nbuf[k] == 1:
                            far[k] = r
                    else:
                        _push(hv, hi, hs, k, r, cur_i[k])
                top = hv[k, 0] if hs[k] > 0 else 0.0
                if nbuf[k] > 0 and far[k] > front and far[k] > top:
                    nxt[k] = _flush(sv, sp, bv, bp, offsets[k], nxt[k], end, nbuf[k])
                    nbuf[k] = 0
                    far[k] = 0.0
                    front = sv[nxt[k]]
                if hs[k] > 0 and top > front:
                    v, idx = _pop(hv, hi, hs, k)
                    cur[k] = v
                    cur_i[k] = idx
                elif nxt[k] < end:
                    cur[k] = front
                    cur_i[k] = sp[nxt[k]]
                    nxt[k] += 1
                else:
                    cur[k] = 0.0
            else:
                cur[k] = r
        nnz += 1
    return out_idx[:nnz], out_val[:nnz]


@numba.njit(cache=True, nogil=True)
def majorize_profile_kernel(F, y, stop):
    """The peeling loop of the majorize-profile bound (``mec._majorize_profile_bound``), in nats.

    ``F``, ``y``: the monotone chain of profile vertices (F decreasing, y strictly decreasing).
    """
    cur = 1.0
    ans = 0.0
    min_y = 1.0
    iv = 0
    nv = F.size
    while cur > stop:
        while iv < nv and F[iv] + y[iv] > cur:
            if y[iv] < min_y:
                min_y = y[iv]
            iv += 1
        Fi = F[iv] if iv < nv else 0.0
        room = cur - Fi
        if min_y < room:
            k = int(np.floor(room / min_y + 1e-12))
            if k < 1:
                k = 1
            kmax = int(cur / min_y)
            if kmax < 1:
                kmax = 1
            if k > kmax:
                k = kmax
            ans += -k * min_y * np.log(min_y)
            cur -= k * min_y
        else:
            if room <= 0.0:
                break
            ans += -room * np.log(room)
            cur -= room
    return ans
