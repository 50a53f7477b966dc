r"""The predicted-vs-measured table: one row per prediction, with its tolerance and a status.

Two kinds of rows (rules as a table, :data:`CHECKS`):

*Certified* rows are theorems. They must hold on every measurement, up to the measurement's
own stated error, or the report fails (exit code 1). With :math:`P_L = J_T\cdots J_{T-L+1}`:

.. math::

    \ln\|P_L\|_2 \le L\ln(\gamma\sigma_{\max}) \quad\text{(global, Pascanu et al. 2013, §2.1)},
    \qquad
    \ln\|P_L\|_2 \le \sum_{i=T-L+1}^{T}\ln\|J_i\|_2 \quad\text{(trajectory)},

    \lambda_j = \frac1T\sum_{t=1}^{T}\ln|R^{(t)}_{jj}| \le \frac1T\sum_{t=1}^{T}\ln\|J_t\|_2
    \quad\text{(every QR Lyapunov exponent, as } |R^{(t)}_{jj}| \le \|J_t q_j\| \le \|J_t\|_2).

Tolerance of the lag-wise rows: the lag profile's own bound on its error at that lag
(``spectral_error``; the reported :math:`\ln\|P_L\|_2` is never above the true value) plus
rounding, :math:`8 n \varepsilon` per step of lag (one product and one norm per step, each with
relative error of a few :math:`n\varepsilon`). The row shows the lag closest to violation.

*Estimates* are asymptotic or ensemble theories. Each carries a tolerance and is marked
expected-to-match only where its assumptions hold; otherwise the row says why not and is
informative only:

* mean field (Poole et al. 2016; Chen et al. 2018): :math:`\tfrac12\ln\chi` against the fitted
  rate of the RMS singular value :math:`\tfrac12\ln(\|P_L\|_F^2/n)` and against
  :math:`\lambda_{\max}`, computed with the realised gain :math:`\|W_{hh}\|_F/\sqrt n`, input
  drive :math:`\sigma_u^2 = s^2\,\overline{\|(W_{xh})_{i\cdot}\|^2}` and bias
  :math:`\sigma_b^2 = \overline{b_i^2}`. The theory states its own accuracy and conditions
  (:mod:`gradtheory.spectral.meanfield`): the tolerance
  :meth:`~gradtheory.MeanFieldPrediction.tolerance`, :math:`4/n + 0.5/\sqrt n` (times
  :math:`\sqrt{1000/T}` when T < 1000; :func:`mean_field_tolerance` is the same function),
  and :meth:`~gradtheory.MeanFieldPrediction.applies_to`: expected when W_hh is an i.i.d.
  random draw (``init`` gaussian or orthogonal), f is odd and the state is driven away from 0.
* linearisation: :math:`\ln(c\,\rho)` against the fitted rate of :math:`\ln\|P_L\|_2`, expected
  when every slope along the trajectory equals one constant c (then :math:`J_t = cW_{hh}`).
  With :math:`W = V\Lambda V^{-1}`, :math:`0 \le \ln\|P_L\|_2 - L\ln(c\rho) \le \ln\kappa(V)`,
  so the least-squares slope over the fit window :math:`\{L_j\}` is within
  :math:`\ln\kappa(V)\,\sum_{L_j > \bar L}(L_j - \bar L)/\sum_j (L_j - \bar L)^2` of
  :math:`\ln(c\rho)` (plus the lag profile's own error in the same proportion): a rigorous
  tolerance, not a guess, computed by :func:`gradtheory.spectral.linear_rate_tolerance`.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Poole, B. et al. (2016). Exponential expressivity in deep neural networks through transient
chaos. NeurIPS.
Chen, M., Pennington, J. and Schoenholz, S. S. (2018). Dynamical isometry and a mean field theory
of RNNs. ICML.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .._json import finite_or_none
from ..errors import ValidationError
from ..network import ElmanNetwork
from ..simulate import LagProfile, LyapunovSpectrum, RateFit
from ..spectral import (
    MeanFieldPrediction,
    SpectralReport,
    TrajectoryBound,
    linear_rate_tolerance,
)
from .result import STATUSES, Check

__all__ = ["CHECKS", "STATUSES", "Check", "Evidence", "mean_field_tolerance", "run_checks"]

EPS = float(np.finfo(np.float64).eps)



#: The mean-field rate's stated accuracy at finite n and T: :meth:`MeanFieldPrediction.tolerance`.
mean_field_tolerance = MeanFieldPrediction.tolerance

@dataclass(frozen=True, kw_only=True, slots=True)
class Evidence:
    """What the three layers produced for one network, as the checks read it.

    Attributes
    ----------
    network : ElmanNetwork
        The network.
    spectral : SpectralReport
        Its spectral report.
    mean_field : MeanFieldPrediction
        Mean-field prediction at the realised gain, input drive and bias.
    profile : LagProfile
        Lag profile (final anchor at T, one sample, spectral norms computed).
    fit_spectral, fit_frobenius : RateFit
        Fitted rates of the spectral and RMS (Frobenius) curves.
    lyapunov : LyapunovSpectrum
        Exponents over the same trajectory (no burn-in, ``reortho=1``).
    trajectory_bound : TrajectoryBound
        Per-step norms along the same trajectory.
    slopes : numpy.ndarray, shape (T, n)
        :math:`f'` along the trajectory (the diagonal factors of the Jacobians).
    """

    network: ElmanNetwork
    spectral: SpectralReport
    mean_field: MeanFieldPrediction
    profile: LagProfile
    fit_spectral: RateFit
    fit_frobenius: RateFit
    lyapunov: LyapunovSpectrum
    trajectory_bound: TrajectoryBound
    slopes: np.ndarray


def _rounding(ev: Evidence, lags: np.ndarray) -> np.ndarray:
    return 8.0 * ev.network.n_hidden * EPS * lags


def _lagwise(ev: Evidence, name: str, title: str, bound: np.ndarray, reason: str, *,
             shown_from: int = 1) -> Check:
    """A certified row: the measured spectral log-norm below ``bound`` at every lag.

    The row shows the lag closest to violation, among lags >= ``shown_from`` unless a lag
    below fails (the trajectory bound is an equality at L = 1, which says nothing).
    """
    prof = ev.profile
    lags = prof.lags
    if prof.samples_spectral is None or prof.spectral_error is None:
        raise ValidationError("`profile` must hold spectral norms; got one measured with "
                              "spectral=False.")
    measured = prof.samples_spectral.max(axis=0)          # worst sample at each lag
    tol = prof.spectral_error + _rounding(ev, lags)
    with np.errstate(invalid="ignore"):                    # -inf - -inf where a norm is 0
        slack = np.where(np.isneginf(measured), -np.inf, measured - bound - tol)
    i = int(np.argmax(slack))
    if slack[i] <= 0.0 and lags.size >= shown_from:
        i = shown_from - 1 + int(np.argmax(slack[shown_from - 1:]))
    return Check(name=name, title=title, kind="certified", predicted=float(bound[i]),
                 measured=float(measured[i]), tolerance=float(tol[i]), expected=True,
                 status="pass" if slack[i] <= 0.0 else "fail", reason=reason,
                 lag=int(lags[i]))


def _global_bound(ev: Evidence) -> Check:
    lags = ev.profile.lags
    rate = ev.spectral.per_step_log_bound
    bound = lags * rate if math.isfinite(rate) else np.full(lags.shape, rate)
    return _lagwise(ev, "global_bound", "ln||P_L|| <= L ln(g*s_max)", bound,
                    "||J_i||_2 <= gamma*sigma_max for every i (Pascanu et al. 2013); tolerance:"
                    " the measured norm's own error bound plus rounding")


def _trajectory_bound(ev: Evidence) -> Check:
    T = ev.trajectory_bound.n_steps
    per_k = ev.trajectory_bound.log_bounds_to(T)            # entry k: steps k+1..T
    bound = per_k[T - ev.profile.lags]
    return _lagwise(ev, "trajectory_bound", "ln||P_L|| <= sum ln||J_i||",
                    bound, "submultiplicativity along the simulated trajectory; tolerance: the"
                    " measured norm's own error bound plus rounding", shown_from=2)


def _lyapunov_bound(ev: Evidence) -> Check:
    n = ev.network.n_hidden
    predicted = ev.trajectory_bound.log_rate
    measured = float(ev.lyapunov.exponents[0])
    tol = 16.0 * n * EPS * (1.0 + abs(predicted))
    return Check(name="lyapunov_bound", title="lambda_max <= mean ln||J_t||",
                 kind="certified", predicted=predicted, measured=measured, tolerance=tol,
                 expected=True, status="pass" if measured - predicted <= tol else "fail",
                 reason="|R_jj| <= ||J_t q_j|| <= ||J_t||_2 at every QR step of the same "
                        "trajectory; tolerance: rounding of the logs")


def _mean_field_assumptions(ev: Evidence) -> str:
    """Empty when mean field applies to this network, else why not (the theory's own rule)."""
    return ev.mean_field.applies_to(ev.network) or ""


def _estimate(name: str, title: str, predicted: float | None, measured: float | None,
              tolerance: float, why_not: str, reason: str) -> Check:
    expected = False
    status = "not expected"
    if not why_not and predicted is not None and measured is not None:
        expected = True
        status = "match" if abs(measured - predicted) <= tolerance else "mismatch"
    return Check(name=name, title=title, kind="estimate", predicted=finite_or_none(predicted),
                 measured=finite_or_none(measured), tolerance=tolerance, expected=expected,
                 status=status, reason=reason if expected else why_not)


def _no_rate(fit: RateFit) -> str:
    return fit.note or "no exponential rate was fitted"


_MEAN_FIELD_REASON = MeanFieldPrediction.TOLERANCE_NOTE


def _mean_field_frobenius(ev: Evidence) -> Check:
    fit = ev.fit_frobenius
    why = _mean_field_assumptions(ev) or ("" if fit.rate is not None else _no_rate(fit))
    return _estimate("mean_field_rms_rate", "1/2 ln chi vs RMS rate",
                     ev.mean_field.lyapunov_max, fit.rate,
                     ev.mean_field.tolerance(ev.network.n_hidden, ev.lyapunov.n_steps), why,
                     _MEAN_FIELD_REASON)


def _mean_field_lyapunov(ev: Evidence) -> Check:
    return _estimate("mean_field_lyapunov", "1/2 ln chi vs lambda_max",
                     ev.mean_field.lyapunov_max, float(ev.lyapunov.exponents[0]),
                     ev.mean_field.tolerance(ev.network.n_hidden, ev.lyapunov.n_steps),
                     _mean_field_assumptions(ev), _MEAN_FIELD_REASON)


def _linearised(ev: Evidence) -> Check:
    net, fit = ev.network, ev.fit_spectral
    s = ev.slopes
    c = float(s.flat[0]) if s.size else net.gamma
    constant = s.size > 0 and bool(np.all(np.abs(s - c) <= 4.0 * EPS * abs(c)))
    rho = ev.spectral.rho
    slope = c if constant else net.gamma
    predicted = math.log(slope * rho) if slope * rho > 0 else -math.inf
    why = ""
    tol = math.inf
    if not constant:
        why = (f"f' varies along the trajectory (from {float(s.min()):.3g} to "
               f"{float(s.max()):.3g}, mean {float(s.mean()):.3g}): the Jacobians are not "
               "c*W_hh, so ln(gamma*rho) only bounds the linearisation at the steepest slope")
    elif fit.rate is None:
        why = _no_rate(fit)
    else:
        lo, hi = fit.window
        lags = ev.profile.lags[(ev.profile.lags >= lo) & (ev.profile.lags <= hi)]
        err = 0.0 if ev.profile.spectral_error is None else \
            float(ev.profile.spectral_error.max())
        tol = linear_rate_tolerance(net.W_hh, lags, measurement_error=err)
        if not math.isfinite(tol):
            why = "W_hh is (numerically) defective: its powers carry polynomial factors"
    return _estimate("linear_rate", "ln(c*rho) vs ln||P_L|| rate",
                     predicted, fit.rate, tol, why,
                     "J_t = c W_hh exactly; tolerance ln(kappa(V)) times the fit window's "
                     "leverage (0 <= ln||W^L|| - L ln rho <= ln kappa(V))")


#: The rows, in table order: (name, kind, the function computing it).
CHECKS: tuple[tuple[str, str, Callable[[Evidence], Check]], ...] = (
    ("global_bound", "certified", _global_bound),
    ("trajectory_bound", "certified", _trajectory_bound),
    ("lyapunov_bound", "certified", _lyapunov_bound),
    ("mean_field_rms_rate", "estimate", _mean_field_frobenius),
    ("mean_field_lyapunov", "estimate", _mean_field_lyapunov),
    ("linear_rate", "estimate", _linearised),
)


def run_checks(evidence: Evidence) -> tuple[Check, ...]:
    """Evaluate every row of :data:`CHECKS` on one network's evidence.

    Parameters
    ----------
    evidence : Evidence
        The measurements and predictions of one network.

    Returns
    -------
    tuple of Check
        In the order of :data:`CHECKS`.
    """
    return tuple(compute(evidence) for _, _, compute in CHECKS)
