"""The demo table: scikit-learn's bundled breast-cancer data (no download), target ``diagnosis``."""

from __future__ import annotations

from ._io import InvalidTableError, Table

__all__ = ["demo_table", "DEMO_TARGET"]

DEMO_TARGET = "diagnosis"


def demo_table() -> Table:
    """Wisconsin diagnostic breast-cancer data: 569 rows, 30 continuous features, target ``diagnosis``.

    The data ship with scikit-learn (``sklearn.datasets.load_breast_cancer``), so no download is needed.
    The target is the text label "malignant" / "benign".
    """
    try:
        from sklearn.datasets import load_breast_cancer
    except ImportError:
        raise InvalidTableError(
            "the demo data ship with scikit-learn, which is not installed; `pip install scikit-learn`, or run "
            "`infokit report DATA --target COL` on your own table"
        ) from None
    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.frame.copy()
    names = list(bunch.target_names)
    frame[DEMO_TARGET] = [names[int(i)] for i in frame.pop("target")]
    return Table(frame, "demo: scikit-learn breast-cancer data", "frame")
