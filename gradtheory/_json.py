"""JSON has no infinity and no NaN: numbers go out as finite floats or ``null``.

Every ``to_dict`` in the package passes its floats through here, so ``-inf`` (the log-norm of an
exactly zero product), ``+inf`` (no finite fixed point) and NaN all become ``None`` in one way,
and ``json.dumps(..., allow_nan=False)`` never fails on a result.
"""

from __future__ import annotations

import math
from typing import Any, overload

import numpy as np

__all__: list[str] = []  # private module: nothing here is public API


def finite_or_none(x: float | None) -> float | None:
    """The number as a Python float, or None when it is missing, infinite or NaN.

    Parameters
    ----------
    x : float or None
        A real number (NumPy scalars included).

    Returns
    -------
    float or None
        ``float(x)`` if finite, else ``None``.

    Examples
    --------
    >>> finite_or_none(1.5), finite_or_none(float("-inf")), finite_or_none(None)
    (1.5, None, None)
    """
    return None if x is None or not math.isfinite(x) else float(x)


@overload
def finite_list(values: None) -> None: ...
@overload
def finite_list(values: Any) -> list[float | None]: ...
def finite_list(values: Any) -> list[float | None] | None:
    """An array, flattened, as a list of finite floats and Nones (None stays None).

    Parameters
    ----------
    values : array_like or None
        Real numbers of any shape.

    Returns
    -------
    list of (float or None), or None
        One entry per element in C order, each through :func:`finite_or_none`; ``None`` when
        ``values`` is None.

    Examples
    --------
    >>> import numpy as np
    >>> finite_list(np.array([0.5, -np.inf, np.nan]))
    [0.5, None, None]
    """
    if values is None:
        return None
    return [finite_or_none(v) for v in np.ravel(values).tolist()]
