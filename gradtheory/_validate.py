"""Boundary checks: validate once, name the argument, one message form.

Every check raises a :mod:`gradtheory.errors` exception whose message reads::

    `<name>` must be <expected>; got <what came>.

Inside the package, values that passed through here are trusted and never re-checked.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputTypeError, ValidationError

__all__: list[str] = []  # private module: nothing here is public API


def fail(name: str, expected: str, got: str, *,
         cls: type[Exception] = ValidationError) -> Exception:
    """Build the one-form error message ``"`name` must be expected; got got."``."""
    return cls(f"`{name}` must be {expected}; got {got}.")


def describe(value: Any) -> str:
    """A short, one-line description of what came, for error messages."""
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {text!r}"
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    if isinstance(value, bool | numbers.Number):
        return repr(value)
    return f"an object of type {type(value).__name__}"


def _to_array(value: Any, name: str) -> np.ndarray:
    """Convert to a float64 array, refusing strings, complex, object and boolean data."""
    if isinstance(value, str | bytes):
        raise fail(name, "a real numeric array", describe(value), cls=InputTypeError)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:  # ragged nested lists
        raise fail(name, "a real numeric array", f"{type(value).__name__} ({exc})",
                   cls=InputTypeError) from None
    kind = arr.dtype.kind
    if kind == "c":
        raise fail(name, "a real numeric array (complex values are not weights)",
                   f"a {arr.dtype} array", cls=InputTypeError)
    if kind in "OUSVMm" or kind == "b":
        what = {"O": "an object", "U": "a string", "S": "a bytes", "V": "a structured",
                "b": "a boolean", "M": "a datetime", "m": "a timedelta"}[kind]
        raise fail(name, "a real numeric array", f"{what} array of dtype {arr.dtype}",
                   cls=InputTypeError)
    arr = np.array(arr, dtype=np.float64, copy=True)
    if not np.all(np.isfinite(arr)):
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise fail(name, "finite", f"{n_nan} NaN and {n_inf} infinite entries")
    return arr


def real_array(value: Any, name: str, *, ndim: int, shape: tuple[int | None, ...] | None = None,
               square: bool = False) -> np.ndarray:
    """Validate ``value`` as a finite real array of ``ndim`` dimensions; return a read-only copy.

    Parameters
    ----------
    value : array_like
        What the user passed.
    name : str
        The argument's name, as the user knows it (``"W_hh"``).
    ndim : int
        Required number of dimensions (1 or 2).
    shape : tuple of int or None, optional
        Required size along each axis; ``None`` leaves that axis free.
    square : bool, optional
        Require a square 2-D array.

    Returns
    -------
    numpy.ndarray
        A float64, C-contiguous, read-only copy.
    """
    arr = _to_array(value, name)
    kind = {1: "1-D array", 2: "2-D array"}[ndim]
    if square:
        kind = "square 2-D array"
    if arr.ndim != ndim or (square and arr.shape[0] != arr.shape[1]):
        raise fail(name, f"a {kind}", f"shape {arr.shape}")
    if arr.size == 0:
        raise fail(name, f"a non-empty {kind}", f"shape {arr.shape}")
    if shape is not None and any(want is not None and want != got
                                 for want, got in zip(shape, arr.shape, strict=True)):
        expected = "(" + ", ".join("any" if s is None else str(s) for s in shape)
        expected += ",)" if len(shape) == 1 else ")"
        raise fail(name, f"an array of shape {expected}", f"shape {arr.shape}")
    arr.flags.writeable = False
    return arr


def output_path(value: Any, name: str = "path") -> Path:
    """Validate a file to write: its directory must exist (the suffix is the caller's rule)."""
    target = Path(value)
    if not target.parent.is_dir():
        raise fail(name, "a file in an existing directory", repr(str(value)))
    return target


def positive_int(value: Any, name: str) -> int:
    """Validate a strictly positive integer (``bool`` and non-integral floats refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and not isinstance(value, bool) \
                and float(value).is_integer():
            value = int(float(value))
        else:
            raise fail(name, "a positive integer", describe(value), cls=InputTypeError)
    if value <= 0:
        raise fail(name, "a positive integer", repr(int(value)))
    return int(value)


def nonnegative_int(value: Any, name: str) -> int:
    """Validate an integer >= 0 (seeds, burn-in): ``bool`` and floats refused, even 2.0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise fail(name, "a non-negative integer", describe(value), cls=InputTypeError)
    if value < 0:
        raise fail(name, "a non-negative integer", repr(int(value)))
    return int(value)


def real_number(value: Any, name: str, *, minimum: float | None = None,
                strict: bool = False) -> float:
    """Validate a finite real number, optionally bounded below (strictly if ``strict``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise fail(name, "a real number", describe(value), cls=InputTypeError)
    x = float(value)
    if not math.isfinite(x):
        raise fail(name, "a finite real number", repr(x))
    if minimum is not None and (x < minimum or (strict and x == minimum)):
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise fail(name, f"a real number {bound}", repr(x))
    return x


def choice(value: Any, name: str, choices: Iterable[str]) -> str:
    """Validate a name from a fixed set; the message lists the valid ones."""
    options = sorted(choices)
    if not isinstance(value, str):
        raise fail(name, "one of " + ", ".join(repr(o) for o in options), describe(value),
                   cls=InputTypeError)
    key = value.strip().lower()
    if key not in options:
        raise fail(name, "one of " + ", ".join(repr(o) for o in options), repr(value))
    return key


_RNG_EXPECTED = ("a numpy.random.Generator, BitGenerator or SeedSequence, a non-negative int "
                 "seed or None")


def rng(value: Any, name: str = "rng") -> np.random.Generator:
    """Turn what ``numpy.random.default_rng`` accepts into a Generator (SPEC 7).

    A Generator is used as is; a BitGenerator, SeedSequence, non-negative int or None seeds a
    new one. Nothing touches global random state.
    """
    if isinstance(value, np.random.Generator):
        return value
    if value is None or isinstance(value, np.random.BitGenerator | np.random.SeedSequence):
        return np.random.default_rng(value)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        if value < 0:
            raise fail(name, _RNG_EXPECTED, repr(int(value)))
        return np.random.default_rng(int(value))
    raise fail(name, _RNG_EXPECTED, describe(value), cls=InputTypeError)


def streams(value: Any, count: int, name: str = "rng") -> list[np.random.Generator]:
    """``count`` independent Generators from one source of randomness.

    For an int, a SeedSequence or None they are the children ``0..count-1`` of its
    ``SeedSequence`` (``spawn`` without advancing the parent, so the same seed gives the same
    streams every call); for a Generator or BitGenerator, its ``spawn(count)``. No child shares
    the stream that ``default_rng(seed)`` itself draws, so weights drawn from a seed and inputs
    drawn from its children are independent.
    """
    if isinstance(value, np.random.Generator):
        return list(value.spawn(count))
    if isinstance(value, np.random.BitGenerator):
        return [np.random.Generator(b) for b in value.spawn(count)]
    if value is None:
        seq = np.random.SeedSequence()
    elif isinstance(value, np.random.SeedSequence):
        seq = value
    else:
        rng(value, name)  # the one message for anything else
        seq = np.random.SeedSequence(int(value))
    return [np.random.default_rng(np.random.SeedSequence(
        seq.entropy, spawn_key=(*seq.spawn_key, i), pool_size=seq.pool_size))
        for i in range(count)]
