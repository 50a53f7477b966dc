"""One figure for one network: lag profile, spectrum, and (when given) the per-lag
contributions and the Lyapunov spectrum, each drawn by its own function of this package.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..activations import Activation
from ..simulate import LagProfile, LyapunovSpectrum, TemporalContributions
from ..spectral import SpectralReport, TrajectoryBound
from ._common import check_type, new_figure
from .contributions import plot_contributions
from .lag import plot_lag_profile
from .lyapunov import plot_lyapunov
from .spectrum import plot_eigenvalues, plot_singular_values

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_summary"]

#: Size of one panel of the summary figure (inches).
PANEL = (5.6, 4.2)


def plot_summary(profile: LagProfile, W_hh: Any, *, bounds: SpectralReport | None = None,
                 trajectory_bound: TrajectoryBound | None = None,
                 spectrum: LyapunovSpectrum | None = None,
                 contributions: TemporalContributions | None = None,
                 activation: str | Activation | None = None,
                 fig: Figure | None = None) -> Figure:
    """Draw the summary figure of one network: two columns of panels.

    Parameters
    ----------
    profile : LagProfile
        The lag profile (:func:`plot_lag_profile`, fitted rate included).
    W_hh : array_like, shape (n, n), or ElmanNetwork
        The recurrent matrix or the network (:func:`plot_eigenvalues`,
        :func:`plot_singular_values`).
    bounds : SpectralReport or None, optional
        Overlays the global bound on the lag profile; its regime goes in the title.
    trajectory_bound : TrajectoryBound or None, optional
        Overlays the trajectory bound on the lag profile.
    spectrum : LyapunovSpectrum or None, optional
        Adds the Lyapunov panel (:func:`plot_lyapunov`).
    contributions : TemporalContributions or None, optional
        Adds the W_hh / W_xh contributions panel (:func:`plot_contributions`).
    activation : str or Activation or None, optional
        Gives γ for the spectrum panels; default the network's, else that of ``bounds``,
        else ``"tanh"``.
    fig : matplotlib.figure.Figure or None, optional
        An empty figure to draw in; default a new one.

    Returns
    -------
    matplotlib.figure.Figure
        The figure: panels, in order, lag profile, contributions (if given), eigenvalues,
        singular values, Lyapunov spectrum (if given), in a 2-column grid (2 x 2 for four
        panels or fewer, 3 x 2 for five, the unused cell hidden).

    Raises
    ------
    InputTypeError
        On arguments of the wrong type.
    ValidationError
        As the panel functions do.
    """
    check_type(profile, LagProfile, "profile")
    check_type(spectrum, LyapunovSpectrum, "spectrum", optional=True)
    check_type(contributions, TemporalContributions, "contributions", optional=True)
    check_type(bounds, SpectralReport, "bounds", optional=True)
    if activation is None and bounds is not None and not hasattr(W_hh, "W_hh"):
        activation = bounds.activation
    panels: list[Any] = [
        lambda ax: plot_lag_profile(profile, bounds=bounds, trajectory_bound=trajectory_bound,
                                    ax=ax)]
    if contributions is not None:
        panels.append(lambda ax: plot_contributions(contributions, ax=ax))
    panels.append(lambda ax: plot_eigenvalues(W_hh, activation=activation, ax=ax))
    panels.append(lambda ax: plot_singular_values(W_hh, activation=activation, ax=ax))
    if spectrum is not None:
        panels.append(lambda ax: plot_lyapunov(spectrum, ax=ax))
    rows = (len(panels) + 1) // 2
    fig = new_figure(fig, (2 * PANEL[0], rows * PANEL[1]))
    axes = fig.subplots(rows, 2, squeeze=False).ravel()
    for draw, ax in zip(panels, axes, strict=False):
        draw(ax)
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    title = f"gradtheory summary (n = {profile.n_hidden})"
    if bounds is not None:
        title += (f": {bounds.regime.replace('_', ' ')}, "
                  f"γσ_max = {bounds.gamma * bounds.sigma_max:.3g}")
    fig.suptitle(title)
    return fig
