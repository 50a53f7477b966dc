"""Multi-panel figures for the command line, and writing a figure to a file."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import _validate
from ..simulate import LagProfile
from ..spectral import SpectralReport, TrajectoryBound
from ._common import check_type, new_figure
from .lag import plot_lag_profile

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["FIGURE_SUFFIXES", "plot_lag_profiles", "save_figure"]

#: File types :func:`save_figure` writes, by suffix.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def plot_lag_profiles(profiles: Sequence[LagProfile], *,
                      bounds: Sequence[SpectralReport] | None = None,
                      trajectory_bounds: Sequence[TrajectoryBound] | None = None,
                      titles: Sequence[str] | None = None, fig: Figure | None = None) -> Figure:
    """One lag-profile panel per network, side by side (``simulate --plot``, ``Report.plot``).

    Parameters
    ----------
    profiles : sequence of LagProfile
        One profile per network.
    bounds : sequence of SpectralReport or None, optional
        The matching spectral reports, to draw each global bound ``L log(gamma sigma_max)``.
    trajectory_bounds : sequence of TrajectoryBound or None, optional
        The certified per-step norms along each profile's trajectory, to draw each
        trajectory bound.
    titles : sequence of str or None, optional
        Panel titles (default: each panel's own title).
    fig : matplotlib.figure.Figure or None, optional
        An empty figure to draw in; default a new one.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, one Axes per profile.

    Raises
    ------
    ValidationError
        If ``profiles`` is empty or the sequences differ in length.
    """
    items = list(profiles)
    if not items:
        raise _validate.fail("profiles", "a non-empty sequence of LagProfile", "none")
    for key, seq in (("bounds", bounds), ("trajectory_bounds", trajectory_bounds),
                     ("titles", titles)):
        if seq is not None and len(seq) != len(items):
            raise _validate.fail(key, f"{len(items)} entries, one per profile",
                                 f"{len(seq)} entries")
    fig = new_figure(fig, (5.6 * len(items), 5.4))
    axes = fig.subplots(1, len(items), squeeze=False)
    for i, (ax, profile) in enumerate(zip(axes[0], items, strict=True)):
        check_type(profile, LagProfile, f"profiles[{i}]")
        plot_lag_profile(profile, bounds=None if bounds is None else bounds[i],
                         trajectory_bound=None if trajectory_bounds is None
                         else trajectory_bounds[i], ax=ax)
        if titles is not None:
            ax.set_title(titles[i])
        # Side by side, a legend inside the axes covers the data or the next panel's ticks:
        # put it under its panel (constrained layout makes the room).
        handles, labels = ax.get_legend_handles_labels()
        if handles:
            ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16),
                      fontsize="small", frameon=False)
    return fig


def save_figure(figure: Any, path: str | os.PathLike[str], *, close: bool = True) -> Path:
    """Write a figure to ``.png`` (150 dpi), ``.svg`` or ``.pdf`` and close it.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        The figure.
    path : str or os.PathLike
        Destination; its suffix picks the format.
    close : bool, optional
        Close the figure afterwards (default True); False to save it again in another format.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValidationError
        On an unknown suffix or a directory that does not exist.
    """
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    check_type(figure, Figure, "figure")
    target = Path(path)
    if target.suffix.lower() not in FIGURE_SUFFIXES:
        raise _validate.fail("path", f"a file ending in {', '.join(FIGURE_SUFFIXES)}",
                             repr(str(path)))
    _validate.output_path(target)
    figure.savefig(target, dpi=150)
    if close:
        plt.close(figure)
    return target
