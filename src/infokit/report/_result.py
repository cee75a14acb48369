"""The report's data model: every number is a :class:`Quantity` carrying its unit and its estimator."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

__all__ = ["Quantity", "ColumnResult", "Redundancy", "MRMRStep", "Report"]


def _num(v):
    """A JSON-safe float (None stays None; a non-finite float would be a silent NaN: refuse it)."""
    if v is None:
        return None
    v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"non-finite number {v} in a report")  # pragma: no cover - guarded upstream
    return v


@dataclass(frozen=True)
class Quantity:
    """A number with its unit and how it was obtained.

    Attributes
    ----------
    value : float or None
        None when the number could not be computed; ``note`` then says why.
    unit : str
        "bits", "nats", ... or "fraction" / "coefficient" for unitless ratios.
    estimator : str or None
        The method that produced it (e.g. "ross", "chao_wang_jost", "kl").
    n : int or None
        Rows used.
    ci : tuple of float or None
        ``(low, high)`` confidence interval, in ``unit``.
    ci_method : str or None
        "half-sampling" (the report's intervals; see :func:`infokit.report.compute`).
    confidence_level : float or None
    resamples : int or None
        Bootstrap / half-sampling resamples behind ``ci``.
    pvalue : float or None
        Permutation p-value of independence, ``(1 + #{null >= observed}) / (1 + permutations)``.
    permutations : int or None
    null_mean : float or None
        Mean of the permutation null (the estimator's bias at independence), in ``unit``.
    note : str or None
        Why a value is missing, or a caveat (e.g. "differential entropy: depends on the column's units").
    """

    value: float | None
    unit: str
    estimator: str | None = None
    n: int | None = None
    ci: tuple | None = None
    ci_method: str | None = None
    confidence_level: float | None = None
    resamples: int | None = None
    pvalue: float | None = None
    permutations: int | None = None
    null_mean: float | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return {
            "value": _num(self.value),
            "unit": self.unit,
            "estimator": self.estimator,
            "n": self.n,
            "ci": None if self.ci is None else [_num(self.ci[0]), _num(self.ci[1])],
            "ci_method": self.ci_method,
            "confidence_level": self.confidence_level,
            "resamples": self.resamples,
            "pvalue": _num(self.pvalue),
            "permutations": self.permutations,
            "null_mean": _num(self.null_mean),
            "note": self.note,
        }

    def text(self, digits: int = 3, *, unit: bool = True) -> str:
        """'0.123 bits', or 'n/a' when there is no value."""
        if self.value is None:
            return "n/a"
        s = f"{self.value:.{digits}f}"
        return f"{s} {self.unit}" if unit and self.unit not in ("fraction", "coefficient") else s

    def ci_text(self, digits: int = 3) -> str:
        if self.ci is None:
            return "—"
        return f"[{self.ci[0]:.{digits}f}, {self.ci[1]:.{digits}f}]"

    def p_text(self) -> str:
        if self.pvalue is None:
            return "—"
        return f"{self.pvalue:.3g}"


@dataclass(frozen=True)
class ColumnResult:
    """Everything the report says about one column.

    Attributes
    ----------
    name, type, status, rule, missing, distinct, dtype, message
        From type detection (``type`` is "discrete", "continuous", "mixed" or None for columns left out).
    entropy : Quantity or None
        Shannon entropy (discrete) or differential entropy (continuous).
    mi : Quantity or None
        MI with the target, with CI and permutation p-value where asked.
    mi_over_h_target : Quantity or None
        MI / H(target) (a discrete target only; unit "fraction").
    linfoot : Quantity or None
        Informational coefficient of correlation :math:`\\sqrt{1 - e^{-2I}}` (I in nats), in [0, 1].
    cmi_given_best : Quantity or None
        I(column; target | best column).
    rank : int or None
        1 = most informative.
    reason : str or None
        Why the MI estimator was chosen.
    """

    name: str
    type: str | None
    status: str
    rule: str
    missing: int
    distinct: int
    dtype: str
    message: str | None = None
    entropy: Quantity | None = None
    mi: Quantity | None = None
    mi_over_h_target: Quantity | None = None
    linfoot: Quantity | None = None
    cmi_given_best: Quantity | None = None
    rank: int | None = None
    reason: str | None = None

    def to_dict(self) -> dict:
        q = (lambda x: None if x is None else x.to_dict())
        return {
            "name": self.name, "type": self.type, "status": self.status, "rule": self.rule,
            "missing": self.missing, "distinct": self.distinct, "dtype": self.dtype, "message": self.message,
            "rank": self.rank, "entropy": q(self.entropy), "mi_with_target": q(self.mi),
            "mi_over_h_target": q(self.mi_over_h_target), "linfoot_coefficient": q(self.linfoot),
            "cmi_given_best": q(self.cmi_given_best), "mi_estimator_reason": self.reason,
        }


@dataclass(frozen=True)
class Redundancy:
    """Pairwise MI of the top features: ``matrix[i][j]`` = I(features[i]; features[j]) (None on the diagonal)."""

    features: tuple
    matrix: tuple
    unit: str
    estimators: tuple
    notes: tuple = ()

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "matrix": [[_num(v) for v in row] for row in self.matrix],
            "unit": self.unit,
            "estimators": [list(r) for r in self.estimators],
            "diagonal": "null: I(X;X) = H(X) for discrete X and is infinite for continuous X",
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class MRMRStep:
    """One step of the mRMR ordering (criterion "difference": relevance − mean redundancy)."""

    feature: str
    score: float
    relevance: float
    mean_redundancy: float
    unit: str

    def to_dict(self) -> dict:
        return {"feature": self.feature, "score": _num(self.score), "relevance": _num(self.relevance),
                "mean_redundancy": _num(self.mean_redundancy), "unit": self.unit}


@dataclass(frozen=True)
class Report:
    """An information report of a table with respect to a target column.

    Build one with :func:`infokit.report.compute`; render it with :meth:`to_html`, :meth:`to_markdown`,
    :meth:`to_json`, or write all of them atomically with :meth:`write`.

    Attributes
    ----------
    source : str
        The input (path, "<stdin>", "<DataFrame>" or "demo: ...").
    input : dict
        Format, sha256 and size of the input.
    n_rows, n_rows_used : int
        Rows in the table; rows analysed (a seeded random subsample when ``max_rows`` is smaller).
    target : ColumnResult
        The target column (its entropy in ``target.entropy``).
    columns : tuple of ColumnResult
        Every other column, in file order (flagged and excluded ones included, with their reason).
    ranking : tuple of str
        Analysed columns by decreasing MI with the target.
    best : str or None
        The top-ranked column (the condition of ``cmi_given_best``).
    redundancy : Redundancy or None
    mrmr : tuple of MRMRStep
    unit : str
    settings : dict
    timings : dict
        Seconds per step.
    warnings : tuple of str
        Estimator warnings and notes, deduplicated.
    version, created : str
    """

    source: str
    input: dict
    n_rows: int
    n_rows_used: int
    target: ColumnResult
    columns: tuple
    ranking: tuple
    best: str | None
    redundancy: Redundancy | None
    mrmr: tuple
    unit: str
    settings: dict
    timings: dict
    warnings: tuple
    version: str
    created: str
    mrmr_note: str | None = None

    def column(self, name: str) -> ColumnResult:
        """The result of one column (the target included)."""
        if name == self.target.name:
            return self.target
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def flagged(self) -> tuple:
        """Columns left out because of a data problem (empty, mixed-type, identifier)."""
        from ._types import FLAGGED

        return tuple(c for c in self.columns if c.status in FLAGGED)

    @property
    def ranked(self) -> tuple:
        """The analysed columns' results in ranking order."""
        return tuple(self.column(n) for n in self.ranking)

    def to_dict(self) -> dict:
        """Every number of the report, JSON-ready (each with its unit and estimator)."""
        return {
            "infokit_version": self.version,
            "created": self.created,
            "source": self.source,
            "input": dict(self.input),
            "rows": self.n_rows,
            "rows_used": self.n_rows_used,
            "unit": self.unit,
            "settings": dict(self.settings),
            "target": self.target.to_dict(),
            "ranking": list(self.ranking),
            "best": self.best,
            "columns": [c.to_dict() for c in self.columns],
            "flagged": [{"name": c.name, "status": c.status, "rule": c.rule, "message": c.message}
                        for c in self.flagged],
            "redundancy": None if self.redundancy is None else self.redundancy.to_dict(),
            "mrmr": {"criterion": "difference: I(f;target) - mean_s I(f;s)",
                     "candidates": "the top features of the redundancy matrix",
                     "order": [s.to_dict() for s in self.mrmr], "note": self.mrmr_note},
            "timings_seconds": {k: round(float(v), 4) for k, v in self.timings.items()},
            "warnings": list(self.warnings),
        }

    def to_json(self, *, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False) + "\n"

    def to_markdown(self) -> str:
        from ._render import render_markdown

        return render_markdown(self)

    def to_html(self) -> str:
        from ._render import render_html

        return render_html(self)

    def write(self, out_dir, formats=("html", "md", "json"), *, stem: str = "report") -> dict:
        """Write the report as ``out_dir/report.{html,md,json}``; return ``{format: path}``.

        Everything is rendered in memory first, then each file is written atomically (temporary file +
        ``os.replace``): a failure leaves existing report files whole.
        """
        from ._render import write_report

        return write_report(self, out_dir, formats, stem=stem)
