r"""The lag profile with its bounds and fitted rate: :math:`\log\|\partial h_T/\partial
h_{T-L}\|` against the lag L.

**Convention.** The y-axis is the *natural log* of the norm, on a linear axis (a slope is then a
per-step log-rate, the unit of every rate in gradtheory), with the base-10 exponent on a
secondary axis at the right. Plotting the norms themselves on a log axis would overflow: at
T = 100 000 a log-norm of :math:`-10^4` is :math:`e^{-10^4}`, far below the smallest double.
Exactly zero products (``-inf``) leave a gap.

**Aligning the trajectory bound.** With the final anchor, the product at lag L is
:math:`J_T \cdots J_{T-L+1}`, bounded by :math:`\sum_{i=T-L+1}^{T}\log\|J_i\|_2`, the cumulative
sum of ``log_step_norms`` taken backwards from step T (entry i - 1 holds step i); the profile
averages over its final times, so the plotted bound is the average of the bounds over the same
final times (an average of upper bounds bounds the average). With the initial anchor
(:math:`J_L\cdots J_1`) it is the forward cumulative sum.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import _validate
from ..errors import InputTypeError
from ..simulate import LagProfile, RateFit
from ..spectral import SpectralReport, TrajectoryBound
from ._common import axes_or_new, check_type, finish_legend, masked

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["plot_lag_profile", "trajectory_log_bound"]

# Line labels: tests and the report find lines by these.
LABEL_SPECTRAL = r"measured $\ln\|P_L\|_2$"
LABEL_FROBENIUS = r"measured $\ln(\|P_L\|_F/\sqrt{n})$ (RMS singular value)"
LABEL_GLOBAL = r"global bound $L\ln(\gamma\sigma_{\max})$"
LABEL_TRAJECTORY = r"trajectory bound $\sum_i \ln\|J_i\|_2$"
LABEL_FIT = "fitted rate"
LABEL_NO_FIT = "no exponential rate"


def trajectory_log_bound(profile: LagProfile, trajectory_bound: TrajectoryBound) -> np.ndarray:
    r"""The trajectory-aware log-bound at each lag of a profile measured on the same trajectory.

    Parameters
    ----------
    profile : LagProfile
        A profile of one network (any number of final times).
    trajectory_bound : TrajectoryBound
        The certified per-step norms along the trajectory the profile was measured on.

    Returns
    -------
    numpy.ndarray, shape (L,)
        Final anchor: the mean over the profile's final times T of
        :math:`\sum_{i=T-L+1}^{T}\log\|J_i\|_2`; initial anchor:
        :math:`\sum_{i=1}^{L}\log\|J_i\|_2`. ``-inf`` where a one-step norm is 0.

    Raises
    ------
    ValidationError
        If the profile holds several networks (a batch), or reaches beyond the bound's steps.
    InputTypeError
        On arguments of the wrong type.

    Notes
    -----
    .. math::

        \log\|J_T\cdots J_{T-L+1}\|_2 \le \sum_{i=T-L+1}^{T}\log\|J_i\|_2 .

    Examples
    --------
    >>> import numpy as np
    >>> import gradtheory as gt
    >>> net = gt.ElmanNetwork.random(8, gain=1.5, rng=0)
    >>> traj = gt.simulate(net, 40, input_std=1.0, rng=0)
    >>> prof = gt.lag_profile(traj, rng=0)
    >>> bound = trajectory_log_bound(prof, gt.trajectory_bound(net, traj.a))
    >>> bool(np.all(prof.log_norm_spectral <= bound + 1e-9))
    True
    """
    check_type(profile, LagProfile, "profile")
    check_type(trajectory_bound, TrajectoryBound, "trajectory_bound")
    steps = trajectory_bound.log_step_norms
    n_times = max(len(profile.final_times), 1)
    if profile.samples_frobenius.shape[0] != n_times:
        raise _validate.fail("profile", "the profile of a single network to overlay a "
                             "trajectory bound", f"a batch of "
                             f"{profile.samples_frobenius.shape[0] // n_times} networks")
    lags = profile.lags
    if profile.anchor == "initial":
        if lags[-1] > steps.size:
            raise _validate.fail("trajectory_bound", f"a bound over at least {int(lags[-1])} "
                                 "steps (the profile's largest lag)",
                                 f"one over {steps.size} steps")
        return np.cumsum(steps)[lags - 1]
    if max(profile.final_times) > steps.size:
        raise _validate.fail("trajectory_bound", f"a bound over at least "
                             f"{max(profile.final_times)} steps (the profile's last final "
                             "time)", f"one over {steps.size} steps")
    # Steps T, T-1, ..., 1 (entries T-1..0); the cumulative sum at L - 1 covers steps T-L+1..T.
    per_time = [np.cumsum(steps[T - 1::-1])[lags - 1] for T in profile.final_times]
    return np.mean(per_time, axis=0)


def _to_log10(y: Any) -> Any:
    return np.asarray(y) / math.log(10.0)


def _from_log10(y: Any) -> Any:
    return np.asarray(y) * math.log(10.0)


def _fit(profile: LagProfile, fit: Any) -> tuple[RateFit | None, str]:
    if isinstance(fit, RateFit):
        return fit, "given"
    if not isinstance(fit, bool):
        raise _validate.fail("fit", "True, False or a RateFit", _validate.describe(fit),
                             cls=InputTypeError)
    if not fit:
        return None, ""
    flavour = "frobenius" if profile.log_norm_spectral is None else "spectral"
    # fit_rate needs 3 lags in its default window; a shorter profile has no rate to show.
    if profile.lags.size < 3:
        return None, flavour
    return profile.fit(flavour), flavour


def plot_lag_profile(profile: LagProfile, *, bounds: SpectralReport | None = None,
                     trajectory_bound: TrajectoryBound | None = None, fit: bool | RateFit = True,
                     ax: Axes | None = None) -> Axes:
    r"""Plot :math:`\log\|\partial h_T/\partial h_{T-L}\|` against the lag, with bounds and rate.

    Parameters
    ----------
    profile : LagProfile
        From :func:`gradtheory.lag_profile`. Its spectral curve (when computed) and Frobenius
        curve are drawn (natural log, linear axis; ``-inf`` leaves a gap).
    bounds : SpectralReport or None, optional
        From :func:`gradtheory.bounds` of the same :math:`W_{hh}`: draws the global bound
        :math:`L\log(\gamma\sigma_{\max})`.
    trajectory_bound : TrajectoryBound or None, optional
        From :func:`gradtheory.trajectory_bound` on the trajectory the profile was measured on
        (one network): draws the certified bound aligned as in :func:`trajectory_log_bound`.
    fit : bool or RateFit, optional
        True (default): fit the spectral curve (Frobenius if spectral was not computed) with
        :meth:`LagProfile.fit` and draw the line over the fit window, its rate in the legend;
        a RateFit: draw that one; False: no fit. When the profile is not exponential (no
        rate), a legend entry says so instead.
    ax : matplotlib.axes.Axes or None, optional
        Where to draw; default a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes drawn on (``ax`` when given).

    Raises
    ------
    InputTypeError
        On arguments of the wrong type.
    ValidationError
        If the trajectory bound cannot be aligned with the profile.

    See Also
    --------
    trajectory_log_bound : the aligned trajectory bound.

    Notes
    -----
    With :math:`P_L = J_T\cdots J_{T-L+1}` (final anchor) the lines obey, at every lag,

    .. math::

        \log\|P_L\|_2 \le \sum_{i=T-L+1}^{T}\log\|J_i\|_2 \le L\log(\gamma\sigma_{\max}),

    and the fitted line is :math:`c + \lambda L` over the fit window.

    References
    ----------
    Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent
    neural networks. ICML, §2.1.
    """
    check_type(profile, LagProfile, "profile")
    check_type(bounds, SpectralReport, "bounds", optional=True)
    check_type(trajectory_bound, TrajectoryBound, "trajectory_bound", optional=True)
    rate_fit, flavour = _fit(profile, fit)
    traj = None if trajectory_bound is None else trajectory_log_bound(profile, trajectory_bound)
    ax = axes_or_new(ax)
    lags = profile.lags
    if profile.log_norm_spectral is not None:
        ax.plot(lags, masked(profile.log_norm_spectral), color="black", lw=2.0,
                label=LABEL_SPECTRAL)
    ax.plot(lags, masked(profile.log_norm_frobenius), color="C0", lw=1.5, label=LABEL_FROBENIUS)
    if traj is not None:
        ax.plot(lags, masked(traj), "--", color="C1", lw=1.5, label=LABEL_TRAJECTORY)
    if bounds is not None:
        up = bounds.gamma * bounds.sigma_max
        ax.plot(lags, masked(lags * bounds.per_step_log_bound), ":", color="C3", lw=1.8,
                label=LABEL_GLOBAL + rf", $\gamma\sigma_{{\max}}$ = {up:.3g}")
    if rate_fit is not None:
        if rate_fit.rate is not None and rate_fit.intercept is not None:
            lo, hi = rate_fit.window
            x = lags[(lags >= lo) & (lags <= hi)]
            ci_ = rate_fit.rate_ci
            ci = "" if ci_ is None or not all(map(math.isfinite, ci_)) \
                else f" [{ci_[0]:+.3g}, {ci_[1]:+.3g}]"
            ax.plot(x, rate_fit.intercept + rate_fit.rate * x, "-.", color="C2", lw=1.5,
                    zorder=3, label=f"{LABEL_FIT} ({flavour}) {rate_fit.rate:+.4g}/step{ci}, "
                    f"L = {lo}..{hi}")
        else:
            note = rate_fit.note or "not exponential"
            # An empty line: the note sits in the legend, where it cannot hide a curve.
            ax.plot([], [], " ", label=f"{LABEL_NO_FIT} ({flavour}): {note}")
    product = r"\partial h_L/\partial h_0" if profile.anchor == "initial" \
        else r"\partial h_T/\partial h_{T-L}"
    ax.set_xlabel("lag $L$")
    ax.set_ylabel(r"$\ln\|P_L\|$ (natural log)")
    ax.set_title(rf"Lag profile $P_L = {product}$ (n = {profile.n_hidden})")
    ax.secondary_yaxis("right", functions=(_to_log10, _from_log10)) \
        .set_ylabel(r"$\log_{10}\|P_L\|$")
    ax.grid(True, alpha=0.3)
    finish_legend(ax, fontsize=8, loc="best")
    return ax
