"""A short ``repr`` for result dataclasses that hold long arrays.

The default dataclass ``repr`` prints every array in full (20,000 characters for a 50-step
trajectory); a REPL user wants the scalars and the shapes.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

__all__: list[str] = []  # private

_INLINE_MAX = 8  # arrays with at most this many entries are shown in full


def summary_repr(self: Any) -> str:
    """``Name(field=value, ...)`` with long arrays shown as ``<float64 array (T, n)>``."""
    parts = []
    for field in dataclasses.fields(self):
        if not field.repr:
            continue
        value = getattr(self, field.name)
        if isinstance(value, np.ndarray) and value.size > _INLINE_MAX:
            text = f"<{value.dtype} array {value.shape}>"
        else:
            text = repr(value)
        parts.append(f"{field.name}={text}")
    return f"{type(self).__name__}({', '.join(parts)})"
