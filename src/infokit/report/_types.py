"""Type detection for the columns of a table: discrete, continuous or mixed — and the rule that decided.

Each column is classified by the first rule that applies (the thresholds are module constants):

1. every value missing → **empty** (flagged, left out);
2. one distinct value → **constant** (no information; left out of the analysis, not an error);
3. declared with ``categorical=`` / ``--categorical`` → **discrete**; with ``continuous=`` / ``--continuous``
   → **continuous**;
4. booleans, pandas categoricals → **discrete**;
5. text mixed with numbers (some values parse as numbers, others do not) → **mixed-type** (flagged);
6. text: ≥ ``ID_TEXT_UNIQUE`` of the rows distinct (and at least ``ID_MIN_ROWS`` rows) → **identifier**
   (flagged); otherwise **discrete**;
7. numbers with at most ``FEW_VALUES`` distinct values → **discrete**;
8. integer values with at most ``MAX_LEVELS`` distinct values and ≥ ``MIN_ROWS_PER_LEVEL`` rows per value
   → **discrete**;
9. integer values, all distinct, increasing / decreasing in file order or filling a dense range (at least
   ``ID_MIN_ROWS`` rows) → **identifier** (flagged);
10. numbers whose most common value holds ≥ ``POINT_MASS`` of the rows → **mixed** (a discrete–continuous
    mixture, e.g. zero-inflated amounts), and numbers that repeat (≥ ``TIES`` of the rows share their value
    with another row: rounded or integer data) → **mixed** too: both are estimated with the mixed kNN
    estimator of Gao et al. (2017), which counts ties at distance 0 correctly where KSG / Ross do not;
11. other numbers → **continuous**.

Identifiers are flagged because every row has its own value: a plug-in MI with any target is then the
target's entropy — "perfectly informative" on the rows seen and meaningless for new rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._io import InvalidTableError, Table

__all__ = ["ColumnInfo", "detect_columns", "detect_column"]

FEW_VALUES = 20
MAX_LEVELS = 256
MIN_ROWS_PER_LEVEL = 5
ID_TEXT_UNIQUE = 0.5
ID_MIN_ROWS = 20
POINT_MASS = 0.05
TIES = 0.05

#: statuses of a column that leave it out of the analysis and make the CLI exit with status 3
FLAGGED = ("empty", "mixed-type", "identifier")


@dataclass
class ColumnInfo:
    """One column after type detection.

    Attributes
    ----------
    name : str
    kind : {"discrete", "continuous", "mixed"} or None
        None for columns left out (empty, mixed-type, identifier, excluded).
    status : {"ok", "constant", "empty", "mixed-type", "identifier", "excluded"}
    rule : str
        The rule that decided, in words.
    missing : int
        Missing values (empty fields, NA, NaN, ...).
    n_distinct : int
        Distinct non-missing values.
    dtype : str
        The column's dtype as read.
    values : numpy.ndarray or None
        Encoded values for the estimators: int64 codes (-1 = missing) for discrete columns, float64 (NaN =
        missing) for continuous / mixed ones; None for columns left out.
    message : str or None
        For a flagged column: what is wrong and how to fix it.
    """

    name: str
    kind: str | None
    status: str
    rule: str
    missing: int
    n_distinct: int
    dtype: str
    values: np.ndarray | None = field(default=None, repr=False)
    message: str | None = None
    point_mass: bool = False

    @property
    def missing_mask(self) -> np.ndarray:
        if self.values is None:
            raise ValueError(f"column {self.name!r} has no encoded values")  # pragma: no cover
        return self.values < 0 if self.kind == "discrete" else np.isnan(self.values)

    def to_dict(self) -> dict:
        return {"name": self.name, "type": self.kind, "status": self.status, "rule": self.rule,
                "missing": self.missing, "distinct": self.n_distinct, "dtype": self.dtype,
                "message": self.message}


def _plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def _codes(values) -> np.ndarray:
    import pandas as pd

    codes, _ = pd.factorize(values, sort=True, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64)


def _numeric_rules(name, v, present, n_rows, missing, dtype, table: Table) -> ColumnInfo:
    """Rules 7–11 on a float64 column ``v`` (NaN = missing)."""
    x = v[present]
    n = x.size
    uniq, counts = np.unique(x, return_counts=True)
    K = int(uniq.size)
    if K == 1:
        return ColumnInfo(name, None, "constant", f"a single value ({uniq[0]:g}) in all {n} non-missing rows",
                          missing, K, dtype)
    integer_valued = bool(np.all(x == np.round(x)))
    if K <= FEW_VALUES:
        return ColumnInfo(name, "discrete", "ok", f"numbers with {K} distinct values (at most {FEW_VALUES})",
                          missing, K, dtype, _codes(np.where(present, v, np.nan)))
    if integer_valued and K <= MAX_LEVELS and n >= MIN_ROWS_PER_LEVEL * K:
        return ColumnInfo(name, "discrete", "ok",
                          f"integers with {K} distinct values (at most {MAX_LEVELS}, at least "
                          f"{MIN_ROWS_PER_LEVEL} rows per value)", missing, K, dtype,
                          _codes(np.where(present, v, np.nan)))
    if integer_valued and K == n and n >= ID_MIN_ROWS:
        d = np.diff(x)
        monotone = bool(np.all(d > 0) or np.all(d < 0))
        dense = float(uniq[-1] - uniq[0] + 1) <= 2.0 * K
        if monotone or dense:
            how = "increasing/decreasing in file order" if monotone else \
                f"filling the range {uniq[0]:.0f}..{uniq[-1]:.0f}"
            rule = f"integers, all {n} distinct and {how}"
            return ColumnInfo(
                name, None, "identifier", rule, missing, K, dtype,
                message=(f"column {name!r} looks like an identifier ({rule}): every row has its own value, so it "
                         "would look perfectly informative about any target on these rows and tells nothing about "
                         f"new ones; it was left out — pass --exclude {name} (exclude=[...]) to leave it out "
                         f"quietly, or --continuous {name} if it is a measurement"))
    top = int(counts.max())
    values = np.where(present, v, np.nan).astype(np.float64)
    if top >= POINT_MASS * n:
        mode = uniq[int(np.argmax(counts))] + 0.0  # + 0.0 prints -0.0 as 0
        return ColumnInfo(name, "mixed", "ok",
                          f"numbers with {K} distinct values, but {mode:g} alone holds {100.0 * top / n:.0f}% of the "
                          f"rows (a point mass of at least {100 * POINT_MASS:.0f}%): a discrete–continuous mixture",
                          missing, K, dtype, values, point_mass=True)
    tied = int(counts[counts > 1].sum())
    if tied >= TIES * n:
        what = "integers" if integer_valued else "numbers"
        return ColumnInfo(name, "mixed", "ok",
                          f"{what} with {K} distinct values, {100.0 * tied / n:.0f}% of the rows sharing their value "
                          f"with another row (at least {100 * TIES:.0f}%: rounded or integer data): estimated as a "
                          "discrete–continuous mixture", missing, K, dtype, values)
    why = "non-integer values" if not integer_valued else (
        f"integers with more than {MAX_LEVELS} distinct values" if K > MAX_LEVELS
        else f"integers with fewer than {MIN_ROWS_PER_LEVEL} rows per value")
    return ColumnInfo(name, "continuous", "ok", f"numbers with {K} distinct values ({why})",
                      missing, K, dtype, values)


def detect_column(table: Table, name: str, *, categorical: bool = False, continuous: bool = False) -> ColumnInfo:
    """Classify one column of ``table`` (see the module docstring for the rules)."""
    import pandas as pd

    s = table.frame[name]
    dtype = str(s.dtype)
    isna = s.isna().to_numpy()
    present = ~isna
    missing = int(isna.sum())
    n_rows = int(s.size)
    n = n_rows - missing
    if n == 0:
        return ColumnInfo(name, None, "empty", f"all {n_rows} values missing", missing, 0, dtype,
                          message=(f"column {name!r} is empty: all {n_rows} values are missing; it was left out — "
                                   f"drop it from the file or pass --exclude {name}"))
    if categorical:
        vals = s.to_numpy(dtype=object)
        mixed = not (pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype))
        if mixed:  # symbols of different Python types do not sort together: compare their text
            vals = np.array([None if m else str(v) for v, m in zip(vals.tolist(), isna.tolist())], dtype=object)
        codes = _codes(vals)
        K = int(codes.max()) + 1
        if K == 1:
            return ColumnInfo(name, None, "constant", f"declared categorical; a single value in all {n} rows",
                              missing, K, dtype)
        return ColumnInfo(name, "discrete", "ok", f"declared categorical ({K} distinct values)", missing, K,
                          dtype, codes)
    if pd.api.types.is_bool_dtype(s.dtype) or isinstance(s.dtype, pd.CategoricalDtype):
        codes = _codes(s.to_numpy(dtype=object))
        K = int(codes.max()) + 1
        what = "booleans" if pd.api.types.is_bool_dtype(s.dtype) else "a categorical column"
        if K == 1:
            return ColumnInfo(name, None, "constant", f"{what} with a single value", missing, K, dtype)
        return ColumnInfo(name, "discrete", "ok", f"{what} ({K} distinct values)", missing, K, dtype, codes)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s.to_numpy(dtype="datetime64[ns]").astype("int64").astype(np.float64) / 1e9
        v[isna] = np.nan
        info = _numeric_rules(name, v, present, n_rows, missing, dtype, table)
        info.rule = "timestamps as seconds: " + info.rule
        return info
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype=np.float64, na_value=np.nan)
        if continuous:
            return _declared_continuous(name, v, present, missing, dtype)
        return _numeric_rules(name, v, present, n_rows, missing, dtype, table)
    # text / object columns
    num = pd.to_numeric(s, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    parsed = present & ~np.isnan(num)
    n_num = int(parsed.sum())
    if continuous or n_num == n:
        if n_num < n:
            bad = np.flatnonzero(present & ~parsed)
            ex = ", ".join(f"{s.iloc[i]!r} ({table.where(int(i))})" for i in bad[:3])
            raise InvalidTableError(
                f"column {name!r} was declared continuous, but {_plural(bad.size, 'value')} are not numbers "
                f"(e.g. {ex}); fix those entries or do not declare the column continuous"
            )
        if continuous:
            return _declared_continuous(name, num, present, missing, dtype)
        info = _numeric_rules(name, num, present, n_rows, missing, dtype, table)
        info.rule = "numbers stored as text: " + info.rule
        return info
    if n_num > 0:
        text_rows = np.flatnonzero(present & ~parsed)
        num_rows = np.flatnonzero(parsed)
        ex_t = ", ".join(f"{s.iloc[i]!r} on {table.where(int(i))}" for i in text_rows[:3])
        ex_n = ", ".join(f"{s.iloc[i]!r} on {table.where(int(i))}" for i in num_rows[:2])
        rule = f"{n_num} numeric and {n - n_num} text values"
        return ColumnInfo(
            name, None, "mixed-type", rule, missing, int(s.nunique(dropna=True)), dtype,
            message=(f"column {name!r} mixes numbers and text: {_plural(n_num, 'numeric value')} (e.g. {ex_n}) and "
                     f"{_plural(n - n_num, 'text value')} (e.g. {ex_t}); it was left out — fix the odd entries "
                     f"(or mark them as missing), or pass --categorical {name} to treat every value as a category"))
    vals = s.to_numpy(dtype=object)
    codes = _codes(vals)
    K = int(codes.max()) + 1
    if K == 1:
        return ColumnInfo(name, None, "constant", f"text with a single value ({vals[present][0]!r})", missing, K,
                          dtype)
    if K >= ID_TEXT_UNIQUE * n and n >= ID_MIN_ROWS:
        rule = f"text with {K} distinct values in {n} rows (at least {100 * ID_TEXT_UNIQUE:.0f}% distinct)"
        return ColumnInfo(
            name, None, "identifier", rule, missing, K, dtype,
            message=(f"column {name!r} looks like an identifier ({rule}): with about one row per value it would "
                     "look perfectly informative about any target on these rows and tells nothing about new ones; "
                     f"it was left out — pass --exclude {name} to leave it out quietly, or --categorical {name} "
                     "to analyse it anyway"))
    return ColumnInfo(name, "discrete", "ok", f"text with {K} distinct values", missing, K, dtype, codes)


def _declared_continuous(name, v, present, missing, dtype) -> ColumnInfo:
    x = v[present]
    K = int(np.unique(x).size)
    if K == 1:
        return ColumnInfo(name, None, "constant", "declared continuous; a single value", missing, K, dtype)
    return ColumnInfo(name, "continuous", "ok", f"declared continuous ({K} distinct values)", missing, K, dtype,
                      np.where(present, v, np.nan).astype(np.float64))


def detect_columns(table: Table, *, exclude=(), categorical=(), continuous=()) -> list:
    """Classify every column of ``table``; ``exclude`` / ``categorical`` / ``continuous`` name columns."""
    out = []
    for name in table.columns:
        if name in exclude:
            out.append(ColumnInfo(name, None, "excluded", "excluded by the caller", int(table.frame[name].isna().sum()),
                                  int(table.frame[name].nunique(dropna=True)), str(table.frame[name].dtype)))
            continue
        out.append(detect_column(table, name, categorical=name in categorical, continuous=name in continuous))
    return out
