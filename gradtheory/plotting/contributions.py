r"""Per-lag gradient contributions of several parameters on one axis: the picture that settles
whether :math:`W_{xh}` suffers from vanishing gradients (it does, at :math:`W_{hh}`'s rate).

The y-axis is :math:`\ln\|C^\theta_{t-L}\|_F`, the natural log of the norm of the term of lag L
in :math:`\partial E_t/\partial\theta` (linear axis, so parallel lines mean equal per-step
rates). A contribution that is exactly zero (:math:`W_{hh}` at lag t when :math:`h_0 = 0`; the
readout at every lag but 0) leaves a gap, without a warning.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML, eq. 4-5 (temporal contributions).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate
from ..errors import InputTypeError
from ..simulate import TemporalContributions
from ._common import axes_or_new, check_type, finish_legend, log_or_nan

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["contribution_rate", "plot_contributions"]

_STYLES = ("-", "--", "-.", ":")


def contribution_rate(contributions: TemporalContributions, parameter: str) -> float | None:
    r"""Fitted per-step log-rate of one parameter's contribution norms (None if none).

    Parameters
    ----------
    contributions : TemporalContributions
        From :func:`gradtheory.temporal_contributions`.
    parameter : str
        A parameter name (``"W_hh"``, ``"W_xh"``, ...).

    Returns
    -------
    float or None
        ``contributions.fit(parameter).rate`` (:meth:`TemporalContributions.fit`): the slope of
        :math:`\ln\|C_{t-L}\|` over lags 1..t-2 with :func:`fit_rate`'s default window; None
        when fewer than 3 lags, a zero contribution in the window, or a profile that is not
        exponential.

    Raises
    ------
    ValidationError
        On an unknown parameter name.
    InputTypeError
        If ``contributions`` is not a TemporalContributions.

    Examples
    --------
    >>> import numpy as np
    >>> import gradtheory as gt
    >>> net = gt.ElmanNetwork.random(8, gain=0.5, rng=0)
    >>> x = np.random.default_rng(1).standard_normal((60, 8))
    >>> tc = gt.temporal_contributions(net, x, np.zeros(8))
    >>> r_hh, r_xh = (contribution_rate(tc, p) for p in ("W_hh", "W_xh"))
    >>> bool(abs(r_hh - r_xh) < 0.05)
    True
    """
    check_type(contributions, TemporalContributions, "contributions")
    return contributions.fit(parameter).rate


def _params(params: Any) -> tuple[str, ...]:
    names = (params,) if isinstance(params, str) else params
    if not isinstance(names, tuple | list) or not names \
            or not all(isinstance(p, str) for p in names):
        raise _validate.fail("params", "a parameter name or a non-empty sequence of them",
                             _validate.describe(params), cls=InputTypeError)
    return tuple(names)


def plot_contributions(contributions: TemporalContributions, *,
                       params: str | tuple[str, ...] = ("W_hh", "W_xh"),
                       ax: Axes | None = None) -> Axes:
    r"""Plot :math:`\ln\|C^\theta_{t-L}\|` against the lag L for several parameters.

    Parameters
    ----------
    contributions : TemporalContributions
        From :func:`gradtheory.temporal_contributions`.
    params : str or tuple of str, optional
        Parameter names, default ``("W_hh", "W_xh")``; one line each, labelled with the
        name and the fitted per-step rate (:func:`contribution_rate`) when there is one.
    ax : matplotlib.axes.Axes or None, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on. Line i has x = lags 0..t and y = ln of
        :meth:`TemporalContributions.norms` of ``params[i]`` (NaN where the norm is 0).

    Raises
    ------
    ValidationError
        On an unknown parameter name.
    InputTypeError
        On arguments of the wrong type.

    Notes
    -----
    For the elman form, with :math:`g_k = \delta_k \odot f'(a_k)` the error reaching step k,

    .. math::

        \|C^{W_{hh}}_k\|_F = \|g_k\|\,\|h_{k-1}\|, \qquad \|C^{W_{xh}}_k\|_F = \|g_k\|\,\|x_k\|,

    so both carry the same :math:`g_k`, hence the same product of Jacobians, and decay (or
    grow) at the same per-step rate.

    References
    ----------
    Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent
    neural networks. ICML.
    """
    check_type(contributions, TemporalContributions, "contributions")
    names = _params(params)
    curves = [log_or_nan(contributions.norms(p)) for p in names]  # validates each name
    ax = axes_or_new(ax)
    lags = contributions.lags
    for i, (name, y) in enumerate(zip(names, curves, strict=True)):
        rate = contribution_rate(contributions, name)
        tail = "" if rate is None or not math.isfinite(rate) else f": rate {rate:+.4g}/step"
        sparse = int(np.isfinite(y).sum()) < 2    # a lone point needs a marker to show
        ax.plot(lags, y, _STYLES[i % len(_STYLES)], marker="o" if sparse else None,
                color=f"C{i}", lw=1.6, label=f"{name}{tail}")
    ax.set_xlabel("lag $L = t - k$")
    ax.set_ylabel(r"$\ln\|C^\theta_{t-L}\|_F$ (natural log)")
    ax.set_title(rf"Per-lag gradient contributions to $\partial E_t/\partial\theta$, "
                 f"t = {contributions.t}")
    ax.grid(True, alpha=0.3)
    finish_legend(ax, fontsize=8, loc="best")
    return ax
