r"""Assertions for users' test suites, with failure messages that explain.

Each assertion returns the result it computed when it passes, and raises
:class:`GradientAssertionError` (an ``AssertionError``, so pytest and unittest report it as a
failure) with the numbers, the bound, the violating lag and a hint when it does not. With
:math:`P_L = \partial h_T/\partial h_{T-L} = J_T\cdots J_{T-L+1}` and
:math:`\|J_i\|_2 \le \gamma\sigma_{\max}(W_{hh})` (Pascanu et al. 2013, §2.1):

* :func:`assert_vanishing`: the sufficient condition :math:`\gamma\sigma_{\max} < 1` (for a
  linear network :math:`\rho < 1`), from the weights alone;
* :func:`assert_not_exploding`: the certified bound
  :math:`\|P_L\|_2 \le (\gamma\sigma_{\max})^L` stays below ``max_growth`` for every
  :math:`L \le` ``n_steps``;
* :func:`assert_lag_profile_within`: the measured :math:`\|P_L\|_2` of a simulated run stays
  between ``lower`` and ``upper`` at every lag;
* :func:`assert_rate_close`: the fitted per-step rate of :math:`\ln\|P_L\|_2` is within ``tol``
  of a prediction;
* :func:`assert_certified_bound_holds`: the certified rows of :func:`gradtheory.report` (global
  bound, trajectory bound, Lyapunov exponent below the mean log-norm) hold on a simulation.

Every check is done in log space, so horizons of any length neither under- nor overflow.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate
from ..report import NetworkReport, report
from ..simulate import LagProfile, RateFit, lag_profile
from ..spectral import SpectralReport, bounds
from .adapters import as_network

__all__ = ["GradientAssertionError", "assert_certified_bound_holds", "assert_lag_profile_within",
           "assert_not_exploding", "assert_rate_close", "assert_vanishing"]


class GradientAssertionError(AssertionError):
    """A gradient property does not hold; the message says which bound, where and why.

    Attributes
    ----------
    lag : int or None
        The first (or worst) violating lag, when the property is lag-wise.
    """

    def __init__(self, message: str, *, lag: int | None = None) -> None:
        super().__init__(message)
        self.lag = lag


def _numbers(rep: SpectralReport) -> str:
    return (f"{rep.activation}: gamma = {rep.gamma:g}; sigma_max(W_hh) = {rep.sigma_max:.6g}, "
            f"rho = {rep.rho:.6g}")


def assert_vanishing(network: Any, activation: str | None = None) -> SpectralReport:
    r"""Assert that the weights guarantee vanishing gradients.

    Parameters
    ----------
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network or its W_hh (see :func:`~gradtheory.testing.as_network`).
    activation : str or None, optional
        The activation, for a matrix or a file (default: the network's, or ``"tanh"``).

    Returns
    -------
    SpectralReport
        The spectral report, when the condition holds.

    Raises
    ------
    GradientAssertionError
        When :math:`\gamma\sigma_{\max} \ge 1` (linear network: :math:`\rho \ge 1`).

    Notes
    -----
    :math:`\|\partial h_t/\partial h_k\|_2 \le (\gamma\sigma_{\max})^{t-k}`, so
    :math:`\gamma\sigma_{\max} < 1` is sufficient for vanishing gradients; for the identity
    activation :math:`\partial h_t/\partial h_k = W^{t-k} \to 0` if and only if :math:`\rho < 1`.

    Examples
    --------
    >>> import numpy as np
    >>> assert_vanishing(0.9 * np.eye(4)).vanishing_guaranteed
    True
    """
    rep = bounds(as_network(network, activation=activation))
    if rep.vanishing_guaranteed:
        return rep
    if rep.linear:
        raise GradientAssertionError(
            f"vanishing is not guaranteed: the linear network has rho = {rep.rho:.6g} >= 1, so "
            f"||W^L|| does not tend to 0 ({_numbers(rep)}). Hint: scale W_hh by less than "
            f"{1 / rep.rho:.4g}.")
    up = rep.gamma * rep.sigma_max
    raise GradientAssertionError(
        f"vanishing is not guaranteed: gamma*sigma_max = {up:.6g} >= 1 ({_numbers(rep)}); the "
        f"bound ||dh_t/dh_k|| <= {up:.4g}^(t-k) does not force decay. Hint: scaling W_hh by "
        f"less than {1 / up:.4g} guarantees it; gradients may still vanish along trajectories "
        "(saturated units): measure them with assert_lag_profile_within.")


def assert_not_exploding(network: Any, *, max_growth: float = 10.0, n_steps: int = 500,
                         activation: str | None = None) -> SpectralReport:
    r"""Assert that no Jacobian product of up to ``n_steps`` factors can exceed ``max_growth``.

    Parameters
    ----------
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network or its W_hh.
    max_growth : float, optional
        The allowed :math:`\|\partial h_t/\partial h_k\|_2` (default 10), > 0.
    n_steps : int, optional
        The longest lag considered (default 500).
    activation : str or None, optional
        The activation, for a matrix or a file.

    Returns
    -------
    SpectralReport
        The spectral report, when the bound holds.

    Raises
    ------
    GradientAssertionError
        At the first lag L where :math:`(\gamma\sigma_{\max})^L > ` ``max_growth`` (its
        ``lag`` attribute).

    Notes
    -----
    Certified from the weights: :math:`\max_{1\le L\le T}(\gamma\sigma_{\max})^L` is the
    :math:`L = 1` or the :math:`L = T` value; the first violating lag is
    :math:`\lfloor\ln(\text{max\_growth})/\ln(\gamma\sigma_{\max})\rfloor + 1`.

    Examples
    --------
    >>> import numpy as np
    >>> rep = assert_not_exploding(np.diag([1.001, 0.5]), max_growth=2.0, n_steps=100)
    """
    cap = _validate.real_number(max_growth, "max_growth", minimum=0.0, strict=True)
    T = _validate.positive_int(n_steps, "n_steps")
    rep = bounds(as_network(network, activation=activation))
    rate, limit = rep.per_step_log_bound, math.log(cap)
    worst = max(rate, T * rate)
    if worst <= limit:
        return rep
    lag = 1 if rate > limit else min(T, math.floor(limit / rate) + 1)
    raise GradientAssertionError(
        f"gradients may explode: the certified bound ||dh_t/dh_(t-L)||_2 <= "
        f"(gamma*sigma_max)^L = {math.exp(rate):.6g}^L exceeds max_growth = {cap:g} at lag "
        f"L = {lag} (n_steps = {T}; {_numbers(rep)}). Hint: this bound uses the weights alone; "
        "saturating units usually keep a trajectory far below it: check a run with "
        f"assert_lag_profile_within(network, upper={cap:g}, n_steps={T}).", lag=lag)


def _log_limits(value: Any, lags: np.ndarray, name: str) -> np.ndarray:
    """ln of a bound given as a number, an array over lags 1..T, or a callable of the lag."""
    if callable(value):
        raw = np.array([float(value(int(L))) for L in lags])
    elif np.ndim(value) == 0:
        raw = np.full(lags.shape, _validate.real_number(value, name, minimum=0.0, strict=True))
    else:
        raw = _validate.real_array(value, name, ndim=1, shape=(lags.size,))
    if np.any(~(raw > 0)) or np.any(np.isnan(raw)):
        raise _validate.fail(name, "positive norms (a number, an array over lags 1..n_steps or "
                             "a function of the lag)", "a zero, negative or NaN value")
    return np.log(raw)


def assert_lag_profile_within(network: Any, *, lower: Any = None, upper: Any = None,
                              n_steps: int = 500, input_std: float = 0.0,
                              rng: np.random.Generator | int | None = 0,
                              activation: str | None = None) -> LagProfile:
    r"""Assert :math:`\text{lower}(L) \le \|\partial h_T/\partial h_{T-L}\|_2 \le
    \text{upper}(L)` on a simulated run, for every lag L = 1..``n_steps``.

    Parameters
    ----------
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network.
    lower, upper : float, array_like of shape (n_steps,), callable or None, optional
        Bounds on the norm: one number for every lag, one per lag, or a function of the lag.
        At least one is required.
    n_steps : int, optional
        T (default 500): lags 1..T of the loss at step T.
    input_std : float, optional
        Std of the i.i.d. Gaussian inputs (default 0).
    rng : numpy.random.Generator or int or None, optional
        Randomness of the inputs (default seed 0: the assertion repeats exactly).
    activation : str or None, optional
        The activation, for a matrix or a file.

    Returns
    -------
    LagProfile
        The measured profile, when every lag is within the bounds.

    Raises
    ------
    GradientAssertionError
        At the first violating lag, with the measured norm, the bound and the count of
        violating lags.
    ValidationError
        If neither bound is given, or a bound is not positive.

    Notes
    -----
    Compared in log space, with the measurement's own error bound (``spectral_error``, the
    reported log-norm is never above the true one) as slack on the upper side.

    Examples
    --------
    >>> import gradtheory as gt
    >>> prof = assert_lag_profile_within(gt.ElmanNetwork.random(16, gain=0.5, rng=0),
    ...                                  upper=1.0, n_steps=100, input_std=1.0)
    """
    if lower is None and upper is None:
        raise _validate.fail("lower/upper", "at least one bound", "neither")
    net = as_network(network, activation=activation)
    prof = lag_profile(net, _validate.positive_int(n_steps, "n_steps"), input_std=input_std,
                       rng=rng)
    lags, y = prof.lags, prof.log_norm_spectral
    if y is None or prof.spectral_error is None:  # spectral=True above: always measured
        raise RuntimeError("the lag profile has no spectral norms")
    where = f"T = {prof.final_times[0]}, input std {input_std:g}"
    for name, given, sign in (("upper", upper, 1.0), ("lower", lower, -1.0)):
        if given is None:
            continue
        limit = _log_limits(given, lags, name)
        slack = prof.spectral_error if sign > 0 else np.zeros_like(y)
        bad = np.flatnonzero(sign * (y - limit) > slack)
        if bad.size:
            i = int(bad[0])
            word = "exceeds" if sign > 0 else "is below"
            raise GradientAssertionError(
                f"||dh_T/dh_(T-L)||_2 = exp({y[i]:.6g}) {word} {name} = exp({limit[i]:.6g}) at "
                f"lag L = {int(lags[i])} (first of {bad.size} violating lags out of "
                f"{lags.size}; {where}). Hint: the fitted rate is {_rate_text(prof)}; "
                "gradtheory.bounds(network) gives what the weights alone guarantee.",
                lag=int(lags[i]))
    return prof


def _rate_text(prof: LagProfile) -> str:
    fit = prof.fit() if prof.lags.size >= 3 else None
    if fit is None or fit.rate is None:
        return "undefined (not exponential)"
    return f"{fit.rate:+.4g} per step (norm x {math.exp(fit.rate):.4g} per step)"


def assert_rate_close(network: Any, predicted: float, tol: float, *, n_steps: int = 1000,
                      input_std: float = 0.0, flavour: str = "spectral",
                      rng: np.random.Generator | int | None = 0,
                      activation: str | None = None) -> RateFit:
    r"""Assert that the measured per-step rate of :math:`\ln\|P_L\|` is within ``tol`` of
    ``predicted``.

    Parameters
    ----------
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network.
    predicted : float
        The predicted rate (per step, natural log), e.g. ``gt.mean_field(g).lyapunov_max``.
    tol : float
        Allowed absolute difference, >= 0 (for mean field on random networks,
        :func:`gradtheory.report.mean_field_tolerance` gives a calibrated one).
    n_steps : int, optional
        Steps simulated (default 1000).
    input_std : float, optional
        Std of the inputs (default 0).
    flavour : {"spectral", "frobenius", "direction"}, optional
        Which curve is fitted (default ``"spectral"``).
    rng : numpy.random.Generator or int or None, optional
        Randomness of the inputs (default seed 0).
    activation : str or None, optional
        The activation, for a matrix or a file.

    Returns
    -------
    RateFit
        The fit, when it is exponential and close.

    Raises
    ------
    GradientAssertionError
        When the decay is not exponential or the rate is off by more than ``tol``.

    Examples
    --------
    >>> import numpy as np
    >>> fit = assert_rate_close(np.diag([0.5, 0.25]), np.log(0.5), 1e-9, n_steps=50)
    """
    pred = _validate.real_number(predicted, "predicted")
    tolerance = _validate.real_number(tol, "tol", minimum=0.0)
    net = as_network(network, activation=activation)
    prof = lag_profile(net, _validate.positive_int(n_steps, "n_steps"), input_std=input_std,
                       rng=rng, spectral=flavour == "spectral")
    fit = prof.fit(flavour)
    lo, hi = fit.window
    if fit.rate is None:
        raise GradientAssertionError(
            f"no exponential rate to compare with {pred:+.6g}: {fit.note} (lags {lo}..{hi}, "
            f"power-law exponent {fit.power_exponent:.4g}). Hint: near the edge of chaos the "
            "decay is sub-exponential; a longer run or a gain away from it gives a rate.")
    if abs(fit.rate - pred) > tolerance:
        ci = "" if fit.rate_ci is None else \
            f", {fit.confidence:.0%} CI [{fit.rate_ci[0]:+.4g}, {fit.rate_ci[1]:+.4g}]"
        raise GradientAssertionError(
            f"the fitted {flavour} rate {fit.rate:+.6g} per step (lags {lo}..{hi}{ci}) differs "
            f"from the predicted {pred:+.6g} by {abs(fit.rate - pred):.4g} > tol = "
            f"{tolerance:.4g}. Hint: mean-field predictions at finite n are biased low by "
            "about 1/n (gradtheory.report.mean_field_tolerance).")
    return fit


def assert_certified_bound_holds(network: Any, *, n_steps: int = 500, input_std: float = 1.0,
                                 rng: np.random.Generator | int | None = 0,
                                 activation: str | None = None) -> NetworkReport:
    r"""Assert that the report's certified bounds hold on a simulated run of the network.

    Parameters
    ----------
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network.
    n_steps : int, optional
        Steps simulated (default 500).
    input_std : float, optional
        Std of the inputs (default 1).
    rng : numpy.random.Generator or int or None, optional
        Randomness of the inputs (default seed 0).
    activation : str or None, optional
        The activation, for a matrix or a file.

    Returns
    -------
    NetworkReport
        The network's report (its ``checks`` hold every row), when every certified row holds.

    Raises
    ------
    GradientAssertionError
        Naming each violated bound, its lag, the measured value and the bound.

    Notes
    -----
    The rows are :math:`\ln\|P_L\|_2 \le L\ln(\gamma\sigma_{\max})`,
    :math:`\ln\|P_L\|_2 \le \sum_i\ln\|J_i\|_2` and :math:`\lambda_j \le
    \overline{\ln\|J_t\|_2}` (see :mod:`gradtheory.report.checks`). They are theorems: a
    failure means wrong weights (NaN-free but inconsistent), a broken measurement or a bug.

    Examples
    --------
    >>> import gradtheory as gt
    >>> nr = assert_certified_bound_holds(gt.ElmanNetwork.random(8, gain=2.0, rng=0),
    ...                                   n_steps=100)
    """
    nr = report(as_network(network, activation=activation), n_steps=n_steps,
                input_std=input_std, rng=rng)[0]
    failed = [c for c in nr.checks if c.kind == "certified" and c.status == "fail"]
    if not failed:
        return nr
    lines = [f"{c.title}" + ("" if c.lag is None else f" at lag L = {c.lag}")
             + f": measured {c.measured:.6g} > bound {c.predicted:.6g} (+ tol {c.tolerance:.2g})"
             for c in failed]
    raise GradientAssertionError(
        "certified bound violated: " + "; ".join(lines) + ". These are theorems: the "
        "measurement or the weights are broken (check for huge or inconsistent values).",
        lag=failed[0].lag)

