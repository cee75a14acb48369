"""Units: infokit computes in nats and converts once, at return.

``base=None`` (or ``math.e``) means nats, ``base=2`` bits, ``base=10`` hartleys — scipy's meaning.
"""

from __future__ import annotations

import math
import numbers

from .exceptions import InvalidParameterError

__all__ = ["check_base", "to_base", "unit_name"]


def check_base(base, name: str = "base") -> float | None:
    """Validate a logarithm base; return it as a float, or ``None`` for nats."""
    if base is None:
        return None
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise InvalidParameterError(
            f"`{name}` must be a positive real number other than 1 (e.g. 2 for bits) or None for nats; "
            f"got {base!r} of type {type(base).__name__}"
        )
    b = float(base)
    if not math.isfinite(b) or b <= 0 or b == 1.0:
        raise InvalidParameterError(
            f"`{name}` must be a finite number > 0 and != 1 (2 for bits, None or e for nats); got {base!r}"
        )
    return b


def to_base(value_nats, base: float | None):
    """Convert a value (scalar, numpy array or torch tensor) from nats to ``base`` units."""
    if base is None or base == math.e:
        return value_nats
    return value_nats / math.log(base)


def unit_name(base: float | None) -> str:
    """Human-readable unit for a base: 'nats', 'bits', 'hartleys' or 'log_b units'."""
    if base is None or base == math.e:
        return "nats"
    if base == 2:
        return "bits"
    if base == 10:
        return "hartleys"
    return f"log{base:g} units"
