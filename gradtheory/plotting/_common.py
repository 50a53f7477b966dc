"""Private helpers of the plotting modules: lazy matplotlib, safe logs, argument checks.

matplotlib is imported inside the functions, never at module level, so ``import gradtheory``
(and ``import gradtheory.plotting``) never imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate
from ..errors import InputTypeError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__: list[str] = []  # private

#: Default size of a one-panel figure (inches): legible at 100 dpi, fits a notebook column.
FIGSIZE = (6.4, 4.4)


def axes_or_new(ax: Any, name: str = "ax") -> Axes:
    """Return ``ax`` unchanged, or the Axes of a new constrained-layout figure if None."""
    if ax is None:
        import matplotlib.pyplot as plt

        _, new = plt.subplots(figsize=FIGSIZE, layout="constrained")
        return new
    from matplotlib.axes import Axes

    if not isinstance(ax, Axes):
        raise _validate.fail(name, "a matplotlib Axes or None", _validate.describe(ax),
                             cls=InputTypeError)
    return ax


def new_figure(fig: Any, size: tuple[float, float]) -> Figure:
    """Return ``fig`` (checked to be a Figure), or a new constrained-layout figure of ``size``."""
    if fig is None:
        import matplotlib.pyplot as plt

        return plt.figure(figsize=size, layout="constrained")
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise _validate.fail("fig", "a matplotlib Figure or None", _validate.describe(fig),
                             cls=InputTypeError)
    return fig


def check_type(value: Any, cls: type, name: str, *, optional: bool = False) -> None:
    """Raise InputTypeError unless ``value`` is a ``cls`` (or None when ``optional``)."""
    if (optional and value is None) or isinstance(value, cls):
        return
    what = f"a {cls.__name__}" + (" or None" if optional else "")
    raise _validate.fail(name, what, _validate.describe(value), cls=InputTypeError)


def masked(values: np.ndarray) -> np.ndarray:
    """Float copy with non-finite entries (``-inf`` of an exactly zero norm) as NaN.

    matplotlib leaves a gap at NaN, silently; ``-inf`` would wreck the autoscaling.
    """
    y = np.array(values, dtype=np.float64)
    y[~np.isfinite(y)] = np.nan
    return y


def log_or_nan(values: np.ndarray) -> np.ndarray:
    """Natural log of non-negative values, NaN (a gap in the plot) where a value is 0.

    No ``divide by zero`` warning: the log is only evaluated where the value is positive.
    """
    x = np.asarray(values, dtype=np.float64)
    out = np.full(x.shape, np.nan)
    np.log(x, out=out, where=x > 0)
    return out


def finish_legend(ax: Axes, **kwargs: Any) -> None:
    """Draw the legend only when some artist carries a label (else matplotlib warns)."""
    handles, _ = ax.get_legend_handles_labels()
    if handles:
        ax.legend(**kwargs)
