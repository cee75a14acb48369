"""Exceptions raised by infokit.

Every exception subclasses :class:`InfokitError` *and* the builtin it refines, so callers can
catch either ``infokit.exceptions.InvalidDistributionError`` or a plain ``ValueError``.
"""

from __future__ import annotations

__all__ = [
    "InfokitError",
    "InvalidDistributionError",
    "InvalidParameterError",
    "ShapeMismatchError",
    "InvalidSampleError",
    "InvalidInputTypeError",
    "ConvergenceWarning",
    "InfokitWarning",
]


class InfokitError(Exception):
    """Base class of every error infokit raises on purpose."""


class InvalidDistributionError(InfokitError, ValueError):
    """A pmf, joint table or channel is not a valid probability distribution."""


class InvalidParameterError(InfokitError, ValueError):
    """A scalar parameter (``base``, ``alpha``, ``axis``, ``k``, ...) is out of its domain."""


class ShapeMismatchError(InfokitError, ValueError):
    """Arrays that must agree in shape (or length) do not."""


class InvalidSampleError(InfokitError, ValueError):
    """Samples passed to an estimator are unusable (NaN, too few rows, ...)."""


class InvalidInputTypeError(InfokitError, TypeError):
    """An argument has a type infokit cannot use (object arrays, strings where numbers are needed, ...)."""


class InfokitWarning(UserWarning):
    """Base class of infokit's warnings."""


class ConvergenceWarning(InfokitWarning):
    """An iterative algorithm stopped at its iteration limit before reaching its tolerance."""
