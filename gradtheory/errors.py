"""One exception hierarchy for every user-facing error.

Each exception subclasses :class:`GradTheoryError` *and* the matching built-in, so a caller can
catch either ``gradtheory.GradTheoryError`` or the ordinary ``ValueError``/``TypeError``.
Messages have one form, naming the argument, what was expected and what came::

    `W_hh` must be a square 2-D array; got shape (3, 4).
"""

from __future__ import annotations

__all__ = [
    "ConvergenceError",
    "GradTheoryError",
    "InputTypeError",
    "MissingDependencyError",
    "RangeError",
    "UnsafeFileError",
    "ValidationError",
]


class GradTheoryError(Exception):
    """Base class of every error gradtheory raises on purpose."""


class ValidationError(GradTheoryError, ValueError):
    """An argument has the right type but a wrong value: shape, range, NaN, unknown name."""


class InputTypeError(GradTheoryError, TypeError):
    """An argument has the wrong type: a string where an array was expected, a complex array."""


class UnsafeFileError(ValidationError):
    """A file would need unpickling (arbitrary code execution) to load; it is refused."""


class ConvergenceError(GradTheoryError, RuntimeError):
    """An iterative method (ARPACK, a root finder) did not reach its stated accuracy."""


class MissingDependencyError(GradTheoryError, ImportError):
    """An optional dependency (an extra such as ``torch``) is needed but not installed."""


class RangeError(GradTheoryError, OverflowError):
    """A result is finite in exact arithmetic but outside float64's range as a plain number
    (its logarithm is still available: the message says where)."""
