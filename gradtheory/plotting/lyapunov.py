r"""The Lyapunov spectrum: exponents against their index, with the zero line.

:math:`\lambda_1 > 0` (above the line): nearby trajectories separate and gradients explode on
average; :math:`\lambda_1 < 0`: they contract and gradients vanish at the rate
:math:`\lambda_1` per step.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML (the dynamical-systems view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..simulate import LyapunovSpectrum
from ._common import axes_or_new, check_type, finish_legend, masked

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_lyapunov"]

LABEL_EXPONENTS = "Lyapunov exponents"
LABEL_STDERR = r"$\pm$ 1 standard error"


def plot_lyapunov(spectrum: LyapunovSpectrum, *, ax: Axes | None = None) -> Axes:
    r"""Plot the Lyapunov exponents :math:`\lambda_i` against i, with the zero line.

    Parameters
    ----------
    spectrum : LyapunovSpectrum
        From :func:`gradtheory.lyapunov`.
    ax : matplotlib.axes.Axes or None, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: the line ``"Lyapunov exponents"`` (i = 1..k against the
        exponents; ``-inf`` leaves a gap), a shaded band of one standard error where it is
        finite, and a horizontal line at 0.

    Raises
    ------
    InputTypeError
        If ``spectrum`` is not a LyapunovSpectrum.

    Notes
    -----
    .. math::

        \lambda_i = \lim_{T\to\infty} \frac1T \log \sigma_i(J_T \cdots J_1).

    References
    ----------
    Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent
    neural networks. ICML.
    """
    check_type(spectrum, LyapunovSpectrum, "spectrum")
    ax = axes_or_new(ax)
    lam = masked(spectrum.exponents)
    idx = np.arange(1, lam.size + 1)
    ax.plot(idx, lam, "o-", ms=4, lw=1.2, color="C0", label=LABEL_EXPONENTS)
    err = np.asarray(spectrum.stderr, dtype=np.float64)
    ok = np.isfinite(err) & np.isfinite(lam)
    if ok.any():
        ax.fill_between(idx, np.where(ok, lam - err, np.nan), np.where(ok, lam + err, np.nan),
                        color="C0", alpha=0.2, lw=0, label=LABEL_STDERR)
    ax.axhline(0.0, color="C3", lw=1.2, ls="--", label="0 (neutral)")
    lam1 = spectrum.lyapunov_max
    ax.set_title(rf"Lyapunov spectrum: $\lambda_1$ = {lam1:+.4g} per step "
                 f"(T = {spectrum.n_steps})")
    ax.set_xlabel("index $i$")
    ax.set_ylabel(r"$\lambda_i$ (per step, natural log)")
    ax.grid(True, alpha=0.3)
    finish_legend(ax, fontsize=8, loc="best")
    return ax
