"""Figures: the lag profile with its bounds and rate, the spectrum of :math:`W_{hh}`, the
Lyapunov spectrum and the per-lag gradient contributions.

The only part of gradtheory that uses matplotlib, and only inside the functions: importing
this package does not import matplotlib. Every function takes ``ax=None`` (a new figure when
None), draws on that Axes and returns it; none calls ``plt.show()``. Log-norms are drawn as
natural logs on linear axes, which survive any horizon (no ``exp`` of a log-norm of
:math:`-10^4`); zero norms leave gaps.
"""

from .contributions import contribution_rate, plot_contributions
from .files import FIGURE_SUFFIXES, plot_lag_profiles, save_figure
from .lag import plot_lag_profile, trajectory_log_bound
from .lyapunov import plot_lyapunov
from .spectrum import plot_eigenvalues, plot_singular_values
from .summary import plot_summary

__all__ = [
    "FIGURE_SUFFIXES",
    "contribution_rate",
    "plot_contributions",
    "plot_eigenvalues",
    "plot_lag_profile",
    "plot_lag_profiles",
    "plot_lyapunov",
    "plot_singular_values",
    "plot_summary",
    "save_figure",
    "trajectory_log_bound",
]
