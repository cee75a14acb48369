"""``infokit.report`` — an information report of a table: which columns tell about a target, how much, how sure.

>>> from infokit.report import compute                                   # doctest: +SKIP
>>> rep = compute("data.csv", "churn")                                   # doctest: +SKIP
>>> rep.ranking[:3], rep.column(rep.best).mi                             # doctest: +SKIP
>>> rep.write("report-out")            # report.html, report.md, report.json  # doctest: +SKIP

Public names: :func:`compute`, :class:`Report`, :class:`Quantity`, :class:`ColumnResult`, :func:`load_table`,
:class:`Table`, :class:`InvalidTableError`, :func:`demo_table`, :func:`mrmr_order`, :func:`atomic_write`,
:func:`column_entropy` and :func:`columns_mutual_information` (the single numbers of ``infokit entropy`` /
``infokit mi``). The command line is ``infokit report``.

This package is not imported by ``import infokit``; its heavy dependencies (pandas, matplotlib) load only
when used (matplotlib only when a plot is drawn).
"""

from __future__ import annotations

import importlib

__all__ = [
    "compute",
    "Report",
    "Quantity",
    "ColumnResult",
    "load_table",
    "Table",
    "InvalidTableError",
    "demo_table",
    "mrmr_order",
    "atomic_write",
    "column_entropy",
    "columns_mutual_information",
]

_WHERE = {
    "compute": "._analysis",
    "Report": "._result",
    "Quantity": "._result",
    "ColumnResult": "._result",
    "load_table": "._io",
    "Table": "._io",
    "InvalidTableError": "._io",
    "atomic_write": "._io",
    "demo_table": "._demo",
    "mrmr_order": "._mrmr",
    "column_entropy": "._single",
    "columns_mutual_information": "._single",
}


def __getattr__(name):
    if name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
