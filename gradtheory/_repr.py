"""What result dataclasses that hold arrays share: a short ``repr`` and read-only arrays.

The default dataclass ``repr`` prints every array in full (20,000 characters for a 50-step
trajectory); a REPL user wants the scalars and the shapes. And ``frozen=True`` stops
``result.lags = ...`` but not ``result.lags[0] = ...``: :func:`freeze_arrays`, used as a
result's ``__post_init__``, makes the arrays read-only too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

__all__: list[str] = []  # private

_INLINE_MAX = 8  # arrays with at most this many entries are shown in full


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.size > _INLINE_MAX:
        return f"<{value.dtype} array {value.shape}>"
    return repr(value)


def _short_mapping(value: Mapping[Any, Any]) -> str:
    if not any(isinstance(v, np.ndarray) for v in value.values()):
        return repr(value)
    return "{" + ", ".join(f"{k!r}: {_short(v)}" for k, v in value.items()) + "}"


def summary_repr(self: Any) -> str:
    """``Name(field=value, ...)`` with long arrays shown as ``<float64 array (T, n)>``."""
    parts = []
    for field in dataclasses.fields(self):
        if not field.repr:
            continue
        value = getattr(self, field.name)
        text = _short_mapping(value) if isinstance(value, Mapping) else _short(value)
        parts.append(f"{field.name}={text}")
    return f"{type(self).__name__}({', '.join(parts)})"


def _read_only(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        if not value.flags.writeable:
            return value
        view = value.view()  # a view: the caller's own array keeps its flags
        view.flags.writeable = False
        return view
    if isinstance(value, dict | MappingProxyType):
        return MappingProxyType({k: _read_only(v) for k, v in value.items()})
    return value


def freeze_arrays(self: Any) -> None:
    """``__post_init__`` of a frozen result: array fields (and arrays in dict fields, which
    become read-only mappings) are made read-only, so ``result.lags[0] = 1`` raises
    ``ValueError`` and ``result.contributions["W_hh"] = x`` raises ``TypeError``."""
    for field in dataclasses.fields(self):
        value = getattr(self, field.name)
        frozen = _read_only(value)
        if frozen is not value:
            object.__setattr__(self, field.name, frozen)
