"""Single numbers from a table's columns: ``infokit entropy`` and ``infokit mi`` (and their Python twins).

Columns are typed by the same rules as the report (:mod:`infokit.report._types`), so ``infokit mi`` gives the
number the report shows for the same pair with the same settings.
"""

from __future__ import annotations

import math

import numpy as np

from .._units import check_base, unit_name
from ..exceptions import InvalidParameterError
from ._io import InvalidTableError, as_table
from ._types import detect_column

__all__ = ["column_entropy", "columns_mutual_information"]


def _variable(table, names, what, categorical, continuous):
    """(pandas frame of encoded columns, per-column discrete flags, ColumnInfo list) for ``names``."""
    import pandas as pd

    from ._analysis import _unknown_column_message

    if isinstance(names, str):
        names = [names]
    names = [str(n) for n in names]
    if not names:
        raise InvalidParameterError(f"`{what}` must name at least one column")
    cols, disc, infos = {}, [], []
    for nm in names:
        if nm not in table.columns:
            raise InvalidTableError(_unknown_column_message(nm, table.columns, f"the {what} column"))
        info = detect_column(table, nm, categorical=nm in categorical, continuous=nm in continuous)
        if info.status in ("empty", "mixed-type", "identifier"):
            raise InvalidTableError(info.message)
        if info.status == "constant":  # one symbol: encode it as a discrete column (it carries 0 information)
            info.kind = "discrete"
            miss = table.frame[nm].isna().to_numpy()
            info.values = np.where(miss, -1, 0).astype(np.int64)
        if info.kind == "discrete":
            v = info.values.astype(np.float64)
            v[info.values < 0] = np.nan
        else:
            v = info.values
        cols[nm] = v
        disc.append(info.kind == "discrete")
        infos.append(info)
    return pd.DataFrame(cols), disc, infos


def _method_for(method, infos_groups):
    if method != "auto":
        return method
    if any(i.kind == "mixed" for g in infos_groups for i in g):
        return "gao"
    return "auto"


def _result_dict(res, base, what, infos_groups, names, level, perms):
    unit = unit_name(base)
    out = {"quantity": what, "unit": unit, "method": None, "n": None, "value": None, "ci": None,
           "confidence_level": None, "ci_method": None, "resamples": None, "pvalue": None, "permutations": None}
    if isinstance(res, float):
        out["value"] = res
    else:
        out.update(value=res.value, method=res.method, n=res.n,
                   ci=None if res.ci is None else list(res.ci), confidence_level=res.confidence_level,
                   pvalue=res.pvalue, permutations=perms if res.pvalue is not None else None)
    out["columns"] = names
    out["types"] = {i.name: {"type": i.kind, "rule": i.rule, "missing": i.missing}
                    for g in infos_groups for i in g}
    return out


def column_entropy(data, columns, *, joint: bool = False, base=2, method: str = "auto", k: int = 3,
                   ci=None, bootstrap=None, random_state=0, categorical=(), continuous=(), sep=None,
                   encoding="utf-8") -> list:
    """Entropy of each column (or of the columns jointly) of a table, typed by the report's rules.

    Parameters
    ----------
    data : path, DataFrame or Table
    columns : str or sequence of str
    joint : bool
        One joint entropy of all ``columns`` instead of one per column.
    base : float, optional
        2 (bits, default) or None (nats).
    method : str
        An entropy method name or "auto" (jackknife for discrete, Kozachenko–Leonenko for continuous).
    k, ci, bootstrap, random_state
        As in :func:`infokit.estimate_entropy` (``bootstrap`` is ``n_bootstrap``).
    categorical, continuous : sequence of str
        Type overrides.

    Returns
    -------
    list of dict
        One dict per entropy: value, unit, method, n, ci, columns, types. Rows with a missing value are
        omitted.
    """
    from ..estimators import estimate_entropy, select_method

    b = check_base(base)
    table = as_table(data, sep=sep, encoding=encoding)
    groups = [list(columns)] if joint else [[c] for c in ([columns] if isinstance(columns, str) else columns)]
    if not groups or not groups[0]:
        raise InvalidParameterError("`columns` must name at least one column")
    out = []
    for g in groups:
        frame, disc, infos = _variable(table, g, "columns", categorical, continuous)
        if any(i.point_mass for i in infos):
            bad = [i for i in infos if i.point_mass]
            raise InvalidTableError(
                f"column {bad[0].name!r} mixes a point mass with continuous values ({bad[0].rule}): its entropy is "
                "neither a Shannon nor a differential entropy; pass --categorical or --continuous to choose"
            )
        notes = []
        for j, i in enumerate(infos):  # rounded / integer data: spread each value over its rounding cell
            if not disc[j]:
                col = frame.iloc[:, j].to_numpy()
                ok = ~np.isnan(col)
                if np.unique(col[ok]).size < ok.sum():
                    from ._analysis import _dequantized

                    col = col.copy()
                    col[ok], delta = _dequantized(col[ok], random_state)
                    frame = frame.copy()
                    frame.iloc[:, j] = col
                    notes.append(f"{i.name}: repeated values; ties broken by uniform noise of width {delta:.3g} "
                                 "(the smallest gap between values)")
        if len(set(disc)) > 1:
            raise InvalidTableError(
                f"the joint entropy of discrete and continuous columns ({g}) is not defined; pick columns of one "
                "type or declare their types"
            )
        x = frame.iloc[:, 0] if frame.shape[1] == 1 else frame
        spec = disc[0] if len(disc) == 1 else disc
        res = estimate_entropy(x, method=method, discrete=spec, base=b, k=k, nan_policy="omit",
                               ci=ci, n_bootstrap=bootstrap, random_state=random_state)
        d = _result_dict(res, b, "entropy", [infos], g, ci, None)
        if d["method"] is None:
            xs = x.dropna()
            d["method"] = method if method != "auto" else select_method("entropy", xs.iloc[:50], discrete=spec)[0]
            d["n"] = int(len(xs))
        d["kind"] = "Shannon" if disc[0] else "differential (depends on the columns' units)"
        d["notes"] = notes
        out.append(d)
    return out


def columns_mutual_information(data, x, y, *, given=None, base=2, method: str = "auto", k: int = 3, ci=None,
                               bootstrap=None, permutations=None, random_state=0, categorical=(), continuous=(),
                               sep=None, encoding="utf-8") -> dict:
    """I(X;Y) — or I(X;Y|Z) with ``given`` — between groups of columns of a table, typed by the report's rules.

    Parameters
    ----------
    data : path, DataFrame or Table
    x, y, given : str or sequence of str
        Column names; several names form one joint variable.
    base, method, k, permutations, random_state
        As in :func:`infokit.estimate_mutual_information`. ``method="auto"`` uses the mixed estimator of Gao et
        al. (2017) when a column repeats values (type "mixed").
    ci : float, optional
        Confidence level of a half-sampling interval (:func:`infokit.stats.subsample_ci`), as in the report.
    bootstrap : int, optional
        Half-samples for ``ci`` (default 200).
    categorical, continuous : sequence of str
        Type overrides.

    Returns
    -------
    dict
        value, unit, method, n, ci, confidence_level, pvalue, permutations, columns, types. Rows with a
        missing value in any of the columns are omitted.
    """
    from ..estimators import estimate_conditional_mutual_information, estimate_mutual_information, select_method

    b = check_base(base)
    table = as_table(data, sep=sep, encoding=encoding)
    fx, dx, ix = _variable(table, x, "x", categorical, continuous)
    fy, dy, iy = _variable(table, y, "y", categorical, continuous)
    groups = [ix, iy]
    arrays = [fx, fy]
    discs = [dx, dy]
    if given is not None and (not isinstance(given, (list, tuple)) or len(given)):
        fz, dz, iz = _variable(table, given, "given", categorical, continuous)
        groups.append(iz)
        arrays.append(fz)
        discs.append(dz)
    names = {"x": [i.name for i in ix], "y": [i.name for i in iy]}
    if len(groups) == 3:
        names["given"] = [i.name for i in groups[2]]
    m = _method_for(method, groups)
    import pandas as pd

    ok = pd.concat(arrays, axis=1).notna().all(axis=1).to_numpy()
    arrs = [(a.iloc[:, 0] if a.shape[1] == 1 else a)[ok].reset_index(drop=True) for a in arrays]
    specs = [d[0] if len(d) == 1 else d for d in discs]
    what = "conditional_mutual_information" if len(groups) == 3 else "mutual_information"
    fn = estimate_conditional_mutual_information if len(groups) == 3 else estimate_mutual_information
    res = fn(*arrs, method=m, discrete=specs, base=b, k=k, permutations=permutations, random_state=random_state)
    d = _result_dict(res, b, what, groups, names, None, permutations)
    d["n"] = int(ok.sum())
    d["method"] = m if m != "auto" else select_method(what, *[a[:50] for a in arrs], discrete=specs)[0]
    if ci is not None:  # half-sampling for every estimator, as in the report (see _analysis._half_sampling_mi)
        from functools import partial

        from ..stats import subsample_ci

        stat = partial(fn, method=m, discrete=specs, base=b, k=k)
        r = subsample_ci(stat, *arrs, n_resamples=bootstrap or 200, confidence_level=ci, random_state=random_state)
        d.update(ci=list(r.confidence_interval), confidence_level=r.confidence_level, ci_method="half-sampling",
                 resamples=int(r.bootstrap_distribution.size))
    if d["value"] is not None and not math.isfinite(d["value"]):
        raise InvalidTableError(f"the estimate is {d['value']}: the columns are degenerate for method {d['method']!r}")
    return d
