r"""Rate fits of lag profiles: the per-step log-rate, its confidence interval, and a test for
decay that is not exponential at all.

Over a window of lags :math:`L \in [L_0, L_1]` two straight lines are fitted by least squares
to the log-norm :math:`y_L = \log\|\partial h_T/\partial h_{T-L}\|`:

.. math::

    \text{exponential:}\quad y_L \approx c + \lambda L, \qquad
    \text{power law:}\quad y_L \approx c' - \alpha \log L.

The profile is called **exponential** when the first fits at least as well as the second
(residual sums of squares :math:`\mathrm{RSS}_{\exp} \le \mathrm{RSS}_{\mathrm{pow}}`, ties
within rounding going to the exponential, so a flat profile is an exponential of rate 0); only
then is :math:`\lambda` reported as the rate. Over a window spanning a factor
:math:`L_1/L_0 \ge 2` the two models differ by a curvature that this comparison resolves
(tested on exact exponentials, exact power laws, and an orthogonal tanh network, whose
Jacobian products decay like a power of the lag). For that network (zero input,
:math:`h_0 \ne 0`) the state decays as :math:`\|h_t\|^2 \sim c/t`, so
:math:`f'(a_t) \approx 1 - c'/t` and :math:`\|\partial h_L/\partial h_0\| \sim L^{-\alpha}`
(``lag_profile(..., anchor="initial")``; measured :math:`\alpha \approx 1/2` at n = 32).

The confidence interval of :math:`\lambda` is Student's t interval. With several sample
curves (final times, networks of a batch) it is built from the spread of the per-sample slopes
(:math:`S - 1` degrees of freedom), which is honest about correlated fluctuations; with one
curve it is the ordinary least-squares interval, which assumes independent residuals and is too
narrow when they are correlated (a random walk of log-norms).

The automatic window starts at the first lag :math:`\ge L_{\max}/10` (past the transient in
which the product aligns with its dominant directions) and ends at :math:`L_{\max}`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from .. import _validate
from .._json import finite_or_none

__all__ = ["RateFit", "fit_rate"]


@dataclass(frozen=True, kw_only=True, slots=True)
class RateFit:
    """A fitted per-step log-rate of a lag profile.

    Attributes
    ----------
    rate : float or None
        Slope λ of log-norm vs lag (per step; negative: vanishing). ``None`` when the profile
        is not exponential or could not be fitted.
    rate_ci : tuple of float or None
        Confidence interval of ``rate``.
    confidence : float
        Its level.
    intercept : float or None
        c in :math:`y \\approx c + \\lambda L`.
    power_exponent : float or None
        α in :math:`y \\approx c' - \\alpha \\log L` (the power law's exponent).
    exponential : bool
        Whether the exponential model fits at least as well as the power law (see module).
    window : tuple of int
        First and last lag used.
    n_points : int
        Lags in the window.
    rss_exponential, rss_power : float
        Residual sums of squares of the two models.
    method : str
        ``"samples"`` (CI from per-sample slopes) or ``"ols"``.
    note : str
        Why there is no rate, when there is none.
    """

    rate: float | None
    rate_ci: tuple[float, float] | None
    confidence: float
    intercept: float | None
    power_exponent: float | None
    exponential: bool
    window: tuple[int, int]
    n_points: int
    rss_exponential: float
    rss_power: float
    method: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (no NaN or infinity: ``None`` instead).

        Returns
        -------
        dict
            Keys ``fitted_rate``, ``rate_ci``, ``confidence``, ``exponential``,
            ``power_exponent``, ``window``, ``n_points``, ``method``, ``note``.
        """
        ci = None if self.rate_ci is None else [finite_or_none(v) for v in self.rate_ci]
        return {"fitted_rate": finite_or_none(self.rate), "rate_ci": ci,
                "confidence": self.confidence, "exponential": self.exponential,
                "power_exponent": finite_or_none(self.power_exponent),
                "window": list(self.window), "n_points": self.n_points, "method": self.method,
                "note": self.note}


def _line(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Least-squares y ≈ c + s x; return (s, c, rss)."""
    xm, ym = x.mean(), y.mean()
    sxx = float(np.sum((x - xm) ** 2))
    s = float(np.sum((x - xm) * (y - ym)) / sxx)
    c = float(ym - s * xm)
    return s, c, float(np.sum((y - c - s * x) ** 2))


def fit_rate(lags: Any, log_norms: Any, *, window: tuple[int, int] | None = None,
             confidence: float = 0.95) -> RateFit:
    r"""Fit the per-step log-rate of a lag profile and test whether it is exponential.

    Parameters
    ----------
    lags : array_like, shape (L,)
        Increasing positive lags.
    log_norms : array_like, shape (L,) or (S, L)
        Log-norms at those lags; several sample curves (S, L) are averaged for the fit and
        their per-sample slopes give the confidence interval. ``-inf`` (an exactly zero
        product) is allowed and yields no rate.
    window : tuple of int or None, optional
        First and last lag to fit (inclusive). Default: from the first lag
        :math:`\ge L_{\max}/10` to the last.
    confidence : float, optional
        Level of the interval, in (0, 1); default 0.95.

    Returns
    -------
    RateFit
        The fit; ``rate`` is None when ``exponential`` is False.

    Raises
    ------
    ValidationError
        On mismatched shapes, non-positive or unsorted lags, a NaN, a window with fewer than
        3 lags, or a confidence outside (0, 1).

    See Also
    --------
    gradtheory.lag_profile : measures the profiles this fits.

    Notes
    -----
    See the module docstring for the two models and the criterion. The OLS slope is exact for
    an exact exponential (to rounding), so ``rate`` reproduces :math:`\log g` for
    :math:`P_L = g^L Q_L` with orthogonal :math:`Q_L`.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory.simulate import fit_rate
    >>> L = np.arange(1, 201)
    >>> fit = fit_rate(L, -0.05 * L + 1.0)
    >>> fit.exponential, round(fit.rate, 6)
    (True, -0.05)
    >>> fit_rate(L, -1.5 * np.log(L)).exponential
    False
    """
    x = _validate.real_array(lags, "lags", ndim=1)
    Y = np.asarray(log_norms, dtype=np.float64)
    if Y.ndim not in (1, 2) or Y.shape[-1] != x.size:
        raise _validate.fail("log_norms", f"an array of shape ({x.size},) or (S, {x.size})",
                             f"shape {Y.shape}")
    if np.any(np.isnan(Y)) or np.any(np.inf == Y):
        raise _validate.fail("log_norms", "free of NaN and +inf", "a NaN or +inf entry")
    if np.any(x <= 0) or np.any(np.diff(x) <= 0):
        raise _validate.fail("lags", "increasing positive lags", "an unsorted or non-positive"
                             " entry")
    level = _validate.real_number(confidence, "confidence", minimum=0.0, strict=True)
    if level >= 1.0:
        raise _validate.fail("confidence", "a number in (0, 1)", repr(level))
    Y2 = Y.reshape(-1, x.size)
    if window is None:
        lo, hi = float(x[np.searchsorted(x, x[-1] / 10.0)]), float(x[-1])
    else:
        if not isinstance(window, tuple | list) or len(window) != 2:
            raise _validate.fail("window", "a pair (first lag, last lag)",
                                 _validate.describe(window))
        lo, hi = (_validate.real_number(w, "window") for w in window)
    keep = (x >= lo) & (x <= hi)
    if int(keep.sum()) < 3:
        raise _validate.fail("window", "a range holding at least 3 lags",
                             f"{int(keep.sum())} lag(s) in [{lo:g}, {hi:g}]")
    xs, Ys = x[keep], Y2[:, keep]
    win = (int(xs[0]), int(xs[-1]))
    common: dict[str, Any] = {"confidence": level, "window": win, "n_points": int(xs.size)}
    if not np.all(np.isfinite(Ys)):
        return RateFit(rate=None, rate_ci=None, intercept=None, power_exponent=None,
                       exponential=False, rss_exponential=math.inf, rss_power=math.inf,
                       method="none", note="the product is exactly zero at some lag: it "
                       "vanishes faster than any exponential", **common)
    y = Ys.mean(axis=0)
    slope, c, rss_exp = _line(xs, y)
    p_slope, _, rss_pow = _line(np.log(xs), y)
    # Ties within rounding (a flat or exactly fitted profile) go to the exponential.
    tiny = 64 * np.finfo(float).eps * xs.size * (1.0 + float(np.mean(y**2)))
    exponential = rss_exp <= rss_pow + tiny
    q = (1.0 + level) / 2.0
    S = Ys.shape[0]
    if S >= 2:
        slopes = np.array([_line(xs, row)[0] for row in Ys])
        half = float(stats.t.ppf(q, S - 1) * slopes.std(ddof=1) / math.sqrt(S))
        method = "samples"
    else:
        sxx = float(np.sum((xs - xs.mean()) ** 2))
        dof = xs.size - 2
        half = float(stats.t.ppf(q, dof) * math.sqrt(rss_exp / dof / sxx)) if dof > 0 else 0.0
        method = "ols"
    if not exponential:
        return RateFit(rate=None, rate_ci=None, intercept=None, power_exponent=-p_slope,
                       exponential=False, rss_exponential=rss_exp, rss_power=rss_pow,
                       method=method, note="decay is closer to a power law than to an "
                       "exponential: no rate", **common)
    return RateFit(rate=slope, rate_ci=(slope - half, slope + half), intercept=c,
                   power_exponent=-p_slope, exponential=True, rss_exponential=rss_exp,
                   rss_power=rss_pow, method=method, **common)
