"""Public test helpers: named distributions with closed-form values, and hypothesis strategies.

``infokit.testing`` imports without hypothesis. The strategies live in the submodule
:mod:`infokit.testing.strategies` (``from infokit.testing import strategies`` or
``from infokit.testing.strategies import pmfs``), which needs hypothesis.

Examples
--------
>>> import infokit
>>> from infokit.testing import binary_symmetric_channel
>>> d = binary_symmetric_channel(0.0)          # a noiseless channel copies the fair input bit
>>> infokit.mutual_information(d.pmf, base=2)
1.0
"""

from __future__ import annotations

from .distributions import (
    ALL,
    NamedDistribution,
    and_gate,
    bernoulli,
    binary_erasure_channel,
    binary_symmetric_channel,
    copy,
    dyadic,
    independent,
    named_distributions,
    rdn,
    triadic,
    uniform,
    xor,
)

__all__ = [
    "NamedDistribution",
    "uniform",
    "bernoulli",
    "xor",
    "copy",
    "rdn",
    "and_gate",
    "independent",
    "binary_symmetric_channel",
    "binary_erasure_channel",
    "dyadic",
    "triadic",
    "named_distributions",
    "ALL",
    "strategies",
]


def __getattr__(name):
    # `infokit.testing.strategies` is imported on first use only, so that hypothesis stays optional.
    if name == "strategies":
        import importlib

        return importlib.import_module(".strategies", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
