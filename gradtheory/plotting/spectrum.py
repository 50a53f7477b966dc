r"""The spectrum of the recurrent matrix: eigenvalues in the complex plane, singular values.

Both pictures show the threshold :math:`1/\gamma` (:math:`\gamma = \sup|f'|`): vanishing is
guaranteed when :math:`\sigma_{\max}(W_{hh}) < 1/\gamma`, and since
:math:`\rho \le \sigma_{\max}`, that needs every eigenvalue inside the circle of radius
:math:`1/\gamma` (necessary, not sufficient: a non-normal :math:`W_{hh}` can have its eigenvalues
inside and :math:`\sigma_{\max}` outside).

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML, §2.1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..activations import Activation, get_activation
from ..errors import ValidationError
from ..network import ElmanNetwork
from ..spectral import eigenvalues, singular_values
from ._common import axes_or_new, finish_legend

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_eigenvalues", "plot_singular_values"]

LABEL_EIGENVALUES = "eigenvalues"
LABEL_UNIT = "unit circle"
LABEL_THRESHOLD = r"$1/\gamma$"
LABEL_SIGMA_MAX = r"$\sigma_{\max}$"
LABEL_SINGULAR = "singular values"

_THETA = np.linspace(0.0, 2.0 * np.pi, 361)


def _matrix_and_activation(W_hh: Any, activation: str | Activation | None
                           ) -> tuple[Any, Activation]:
    """(W_hh, activation row) from a network (whose activation wins) or a matrix."""
    if isinstance(W_hh, ElmanNetwork):
        own = W_hh.activation
        if activation is not None and get_activation(activation).name != own.name:
            raise ValidationError("`activation` must match the network's activation "
                                  f"{own.name!r} (or be omitted); got "
                                  f"{get_activation(activation).name!r}.")
        return W_hh.W_hh, own
    return W_hh, get_activation("tanh" if activation is None else activation)


def _circle(ax: Axes, radius: float, fmt: str, label: str, **kwargs: Any) -> None:
    ax.plot(radius * np.cos(_THETA), radius * np.sin(_THETA), fmt, label=label, **kwargs)


def plot_eigenvalues(W_hh: Any, *, activation: str | Activation | None = None,
                     ax: Axes | None = None) -> Axes:
    r"""Eigenvalues of :math:`W_{hh}` in the complex plane, with the unit and :math:`1/\gamma`
    circles.

    Parameters
    ----------
    W_hh : array_like, shape (n, n), or ElmanNetwork
        The recurrent matrix (dense, or sparse up to 500 rows), or a network.
    activation : str or Activation or None, optional
        Gives :math:`\gamma`. Default: the network's, or ``"tanh"`` for a matrix (an explicit
        value must agree with a network's).
    ax : matplotlib.axes.Axes or None, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on, with equal aspect. Lines (by label): ``"eigenvalues"`` (markers),
        ``"unit circle"``, the :math:`1/\gamma` circle and the :math:`\sigma_{\max}` circle
        (every eigenvalue lies inside it, since :math:`\rho \le \sigma_{\max}`).

    Raises
    ------
    ValidationError
        On a bad matrix, an unknown activation or one that disagrees with the network's.

    Notes
    -----
    .. math::

        \gamma\,\sigma_{\max} < 1 \;\Rightarrow\; \text{vanishing};
        \qquad \rho \le \sigma_{\max}.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> ax = plot_eigenvalues(np.diag([0.5, -2.0]), activation="sigmoid")
    >>> [line.get_label() for line in ax.get_lines()][:2]
    ['eigenvalues', 'unit circle']
    >>> plt.close(ax.figure)
    """
    W, act = _matrix_and_activation(W_hh, activation)
    lam = eigenvalues(W)
    sigma_max = float(singular_values(W, k=1)[0]) if lam.size else 0.0
    ax = axes_or_new(ax)
    ax.plot(lam.real, lam.imag, "o", ms=4, color="C0", alpha=0.8, label=LABEL_EIGENVALUES,
            zorder=3)
    _circle(ax, 1.0, "-", LABEL_UNIT, color="0.45", lw=1.2)
    if act.gamma > 0:
        _circle(ax, 1.0 / act.gamma, "--", LABEL_THRESHOLD + f" = {1.0 / act.gamma:.3g} "
                rf"({act.name}: vanishing if $\sigma_{{\max}}$ inside)", color="C3", lw=1.5)
    _circle(ax, sigma_max, ":", LABEL_SIGMA_MAX + f" = {sigma_max:.3g}", color="C1", lw=1.5)
    ax.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0.0, color="0.8", lw=0.8, zorder=0)
    ax.set_aspect("equal", adjustable="datalim")
    rho = float(np.max(np.abs(lam))) if lam.size else 0.0
    ax.set_title(rf"Eigenvalues of $W_{{hh}}$: $\rho$ = {rho:.3g}, "
                 rf"$\gamma\sigma_{{\max}}$ = {act.gamma * sigma_max:.3g}")
    ax.set_xlabel(r"Re $\lambda$")
    ax.set_ylabel(r"Im $\lambda$")
    finish_legend(ax, fontsize=8, loc="upper right")
    return ax


def plot_singular_values(W_hh: Any, *, activation: str | Activation | None = None,
                         ax: Axes | None = None) -> Axes:
    r"""Singular values of :math:`W_{hh}` in decreasing order, with the :math:`1/\gamma` line.

    Parameters
    ----------
    W_hh : array_like, shape (n, n), or ElmanNetwork
        The recurrent matrix (dense, or sparse up to 500 rows), or a network.
    activation : str or Activation or None, optional
        Gives :math:`\gamma`. Default: the network's, or ``"tanh"`` for a matrix (an explicit
        value must agree with a network's).
    ax : matplotlib.axes.Axes or None, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on: ``"singular values"`` :math:`\sigma_i` against i = 1..n (linear
        axes) and a horizontal line at :math:`1/\gamma`; the first point is
        :math:`\sigma_{\max}`, and vanishing is guaranteed when it lies below the line.

    Raises
    ------
    ValidationError
        On a bad matrix, an unknown activation or one that disagrees with the network's.

    Notes
    -----
    .. math::

        \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2 \le (\gamma\sigma_{\max})^{t-k}.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_singular_values([[0.0, 2.0], [1.0, 0.0]])
    >>> ax.get_lines()[0].get_ydata().tolist()
    [2.0, 1.0]
    >>> plt.close(ax.figure)
    """
    W, act = _matrix_and_activation(W_hh, activation)
    s = singular_values(W)
    ax = axes_or_new(ax)
    ax.plot(np.arange(1, s.size + 1), s, "o-", ms=3, lw=1.0, color="C0", label=LABEL_SINGULAR)
    if act.gamma > 0:
        ax.axhline(1.0 / act.gamma, ls="--", color="C3", lw=1.5,
                   label=LABEL_THRESHOLD + f" = {1.0 / act.gamma:.3g} ({act.name})")
    ax.set_ylim(bottom=0.0)
    sigma_max = float(s[0]) if s.size else 0.0
    ax.set_title(rf"Singular values of $W_{{hh}}$: $\sigma_{{\max}}$ = {sigma_max:.3g}, "
                 rf"$\gamma\sigma_{{\max}}$ = {act.gamma * sigma_max:.3g}")
    ax.set_xlabel("index $i$ (decreasing order)")
    ax.set_ylabel(r"$\sigma_i(W_{hh})$")
    ax.grid(True, alpha=0.3)
    finish_legend(ax, fontsize=8, loc="upper right")
    return ax
