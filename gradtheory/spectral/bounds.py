r"""Conditions, bounds and verdicts on the gradients from the recurrent matrix alone.

For both network forms the one-step Jacobian is a diagonal matrix of slopes times
:math:`W_{hh}`: :math:`J_t = \operatorname{diag}(f'(a_t))\,W_{hh}` (elman) or
:math:`J_t = W_{hh}\operatorname{diag}(f'(h_{t-1}))` (pascanu), and
:math:`\partial h_t/\partial h_k = J_t J_{t-1}\cdots J_{k+1}`. With
:math:`\gamma = \sup|f'|` and :math:`\gamma_{\min} = \inf|f'|` from the activation table
(Pascanu, Mikolov & Bengio 2013, §2.1–2.2; Bengio, Simard & Frasconi 1994):

.. math::

    \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2
      \;\le\; \prod_{i=k+1}^{t} \|J_i\|_2 \;\le\; (\gamma\,\sigma_{\max})^{t-k},
    \qquad
    \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2
      \;\ge\; \sigma_{\min}\Big(\frac{\partial h_t}{\partial h_k}\Big)
      \;\ge\; \prod_{i=k+1}^{t} \sigma_{\min}(J_i) \;\ge\; (\gamma_{\min}\,\sigma_{\min})^{t-k}.

Hence :math:`\gamma\sigma_{\max} < 1` is *sufficient* for vanishing gradients (geometric decay
at rate at least :math:`\log(\gamma\sigma_{\max})` per step) and :math:`\gamma\sigma_{\max} > 1`
is *necessary* for exploding ones; :math:`\gamma_{\min}\sigma_{\min} > 1` is sufficient for
exploding (every direction grows). For tanh, sigmoid, relu, ... :math:`\gamma_{\min} = 0`, so the
global lower bound is the trivial 0; along a trajectory the lower bound uses
:math:`\sigma_{\min}(\operatorname{diag}(d)\,W) \ge \min_j |d_j|\,\sigma_{\min}(W)` per step.

*Linear networks* (``activation="identity"``): :math:`J_t = W_{hh}` exactly, so
:math:`\partial h_t/\partial h_k = W_{hh}^{t-k}` and the spectral radius decides:
:math:`\rho < 1` gives :math:`\|W^L\|_2 \to 0` (vanishing, after a possible transient, see
:mod:`.transient`), :math:`\rho > 1` gives :math:`\|W^L\|_2 \ge \rho^L` (exploding).

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Bengio, Y., Simard, P. and Frasconi, P. (1994). Learning long-term dependencies with gradient
descent is difficult. IEEE Trans. Neural Networks 5(2), 157–166.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sps

from .. import _validate
from .._json import finite_or_none
from ..activations import Activation
from ._common import network_parts, safe_exp, safe_log
from .norms import (
    DENSE_CUTOFF,
    largest_singular_value,
    singular_values,
    smallest_singular_value,
    spectral_radius,
)
from .transient import power_norms

__all__ = ["SpectralReport", "bounds"]


# ---------------------------------------------------------------------------- the verdict table
# One row per regime, first match wins: (regime, applies(report), plain-language template).
_VERDICTS: tuple[tuple[str, Any, str], ...] = (
    ("exploding", lambda r: r.exploding_guaranteed and r.linear,
     "exploding guaranteed: linear network with rho = {rho:.4g} > 1, so "
     "||dh_t/dh_k|| = ||W^(t-k)|| >= rho^(t-k)"),
    ("exploding", lambda r: r.exploding_guaranteed,
     "exploding guaranteed: gamma_min*sigma_min = {low:.4g} > 1, so every direction grows at "
     "least like {low:.4g}^(t-k)"),
    ("vanishing", lambda r: r.vanishing_guaranteed and not r.linear,
     "vanishing guaranteed: gamma*sigma_max = {up:.4g} < 1, so "
     "||dh_t/dh_k|| <= {up:.4g}^(t-k)"),
    ("vanishing", lambda r: r.vanishing_guaranteed,
     "vanishing guaranteed: linear network with rho = {rho:.4g} < 1, so ||W^(t-k)|| -> 0 "
     "(after a transient peak of {peak:.4g} at t-k = {peak_step})"),
    ("exploding_possible", lambda r: r.exploding_possible,
     "exploding possible, not guaranteed: gamma*sigma_max = {up:.4g} > 1 is necessary for "
     "exploding gradients but not sufficient; the bound only says "
     "||dh_t/dh_k|| <= {up:.4g}^(t-k)"),
    ("marginal", lambda r: True,
     "marginal: gamma*sigma_max = {up:.4g} (rho = {rho:.4g}); gradients cannot grow "
     "geometrically, and vanishing is not guaranteed"),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class SpectralReport:
    r"""What the weights alone say about the gradients: numbers, conditions and a verdict.

    Attributes
    ----------
    n : int
        Number of hidden units.
    activation : str
        The activation's table name.
    gamma : float
        :math:`\gamma = \sup|f'|`.
    gamma_min : float
        :math:`\gamma_{\min} = \inf|f'|`.
    rho : float
        Spectral radius :math:`\rho(W_{hh})` (JSON also as ``spectral_radius``).
    sigma_max : float
        :math:`\sigma_{\max}(W_{hh})`.
    sigma_min : float or None
        :math:`\sigma_{\min}(W_{hh})`; ``None`` when ARPACK could not find it (large sparse), in
        which case the lower bounds use 0.
    linear : bool
        True for the identity activation, where :math:`\partial h_t/\partial h_k = W^{t-k}`.
    vanishing_guaranteed : bool
        :math:`\gamma\sigma_{\max} < 1` (or, linear, :math:`\rho < 1`).
    exploding_possible : bool
        :math:`\gamma\sigma_{\max} > 1` (the necessary condition; linear: :math:`\rho \ge 1`).
    exploding_guaranteed : bool
        :math:`\gamma_{\min}\sigma_{\min} > 1` (or, linear, :math:`\rho > 1`).
    max_transient_gain : float
        :math:`\max_{0\le k\le K}\|W_{hh}^k\|_2`, the linearised transient peak.
    transient_peak_step : int
        Where it peaks.
    transient_certified : bool
        True if that maximum is the supremum over all k (see :mod:`.transient`).
    sparse : bool
        True if :math:`W_{hh}` was a large sparse matrix handled by ARPACK.
    """

    n: int
    activation: str
    gamma: float
    gamma_min: float
    rho: float
    sigma_max: float
    sigma_min: float | None
    linear: bool
    vanishing_guaranteed: bool
    exploding_possible: bool
    exploding_guaranteed: bool
    max_transient_gain: float
    transient_peak_step: int
    transient_certified: bool
    sparse: bool

    @property
    def per_step_log_bound(self) -> float:
        r""":math:`\log(\gamma\,\sigma_{\max})`, the per-step log-rate of the upper bound."""
        return safe_log(self.gamma * self.sigma_max)

    @property
    def per_step_log_lower_bound(self) -> float:
        r""":math:`\log(\gamma_{\min}\,\sigma_{\min})` (``-inf`` when trivial)."""
        return safe_log(self.gamma_min * (self.sigma_min or 0.0))

    def log_lag_bound(self, lag: int) -> float:
        r"""Log of the per-lag upper bound :math:`(\gamma\sigma_{\max})^{L}`.

        Parameters
        ----------
        lag : int
            The lag :math:`L = t - k \ge 0`.

        Returns
        -------
        float
            :math:`L \log(\gamma\sigma_{\max})` (0 at L = 0).
        """
        L = _lag(lag)
        return 0.0 if L == 0 else L * self.per_step_log_bound

    def lag_bound(self, lag: int) -> float:
        r"""Upper bound :math:`\|\partial h_t/\partial h_{t-L}\|_2 \le (\gamma\sigma_{\max})^L`.

        Parameters
        ----------
        lag : int
            The lag :math:`L = t - k \ge 0`.

        Returns
        -------
        float
            The bound (``inf`` beyond float range; use :meth:`log_lag_bound` for long lags).

        Examples
        --------
        >>> import numpy as np
        >>> round(bounds(0.5 * np.eye(3)).lag_bound(3), 12)
        0.125
        """
        return safe_exp(self.log_lag_bound(lag))

    def lag_lower_bound(self, lag: int) -> float:
        r"""Lower bound :math:`\|\partial h_t/\partial h_{t-L}\|_2
        \ge (\gamma_{\min}\sigma_{\min})^L`.

        Parameters
        ----------
        lag : int
            The lag :math:`L = t - k \ge 0`.

        Returns
        -------
        float
            The bound (0 for activations with :math:`\gamma_{\min} = 0`, such as tanh).
        """
        L = _lag(lag)
        return 1.0 if L == 0 else safe_exp(L * self.per_step_log_lower_bound)

    @property
    def regime(self) -> str:
        """``"vanishing"``, ``"exploding"``, ``"exploding_possible"`` or ``"marginal"``."""
        return next(name for name, applies, _ in _VERDICTS if applies(self))

    @property
    def verdict(self) -> str:
        """The plain-language verdict, with the numbers that decide it."""
        template = next(text for _, applies, text in _VERDICTS if applies(self))
        return template.format(rho=self.rho, up=self.gamma * self.sigma_max,
                               low=self.gamma_min * (self.sigma_min or 0.0),
                               peak=self.max_transient_gain, peak_step=self.transient_peak_step)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (never NaN: ``None`` for an infinite or unknown value).

        Returns
        -------
        dict
            ``n``, ``activation``, ``gamma``, ``gamma_min``, ``spectral_radius`` (= ``rho``),
            ``rho``, ``sigma_max``, ``sigma_min``, ``linear``, ``vanishing_guaranteed``,
            ``exploding_possible``, ``exploding_guaranteed``, ``per_step_log_bound``,
            ``per_step_log_lower_bound``, ``max_transient_gain``, ``transient_peak_step``,
            ``transient_certified``, ``sparse``, ``regime``, ``verdict``.
        """
        return {
            "n": self.n, "activation": self.activation, "gamma": self.gamma,
            "gamma_min": self.gamma_min, "spectral_radius": self.rho, "rho": self.rho,
            "sigma_max": self.sigma_max, "sigma_min": self.sigma_min, "linear": self.linear,
            "vanishing_guaranteed": self.vanishing_guaranteed,
            "exploding_possible": self.exploding_possible,
            "exploding_guaranteed": self.exploding_guaranteed,
            "per_step_log_bound": finite_or_none(self.per_step_log_bound),
            "per_step_log_lower_bound": finite_or_none(self.per_step_log_lower_bound),
            "max_transient_gain": finite_or_none(self.max_transient_gain),
            "transient_peak_step": self.transient_peak_step,
            "transient_certified": self.transient_certified, "sparse": self.sparse,
            "regime": self.regime, "verdict": self.verdict,
        }

    def __str__(self) -> str:
        return self.verdict


def _lag(lag: Any) -> int:
    if isinstance(lag, int | np.integer) and not isinstance(lag, bool) and lag == 0:
        return 0
    return _validate.positive_int(lag, "lag")


def bounds(W_hh_or_network: Any, *, activation: str | Activation | None = None,
           max_power: int | None = None) -> SpectralReport:
    r"""Spectral conditions, per-lag bounds and a verdict from :math:`W_{hh}` alone.

    Parameters
    ----------
    W_hh_or_network : ElmanNetwork or array_like or scipy.sparse matrix, shape (n, n)
        A network, or its recurrent matrix (dense, or sparse for large n).
    activation : str or Activation or None, optional
        Hidden activation giving :math:`\gamma` and :math:`\gamma_{\min}`. Default: the
        network's own, or ``"tanh"`` for a matrix. For a network, an explicit value must agree
        with the network's (otherwise ``ValidationError``: the slopes belong to the network).
    max_power : int or None, optional
        Horizon of :math:`\|W^k\|_2` for the transient peak; default 100 for n ≤ 500, else 10
        (each power of a large matrix costs a dense product, or k sparse products per Lanczos
        step). The sequence stops early once the supremum is certified.

    Returns
    -------
    SpectralReport
        Numbers (``rho``, ``sigma_max``, ``sigma_min``, ``gamma``), conditions and verdict.

    Raises
    ------
    ValidationError
        On a bad matrix, an unknown activation, or one that disagrees with the network's.
    GradTheoryError
        If ARPACK does not converge for ρ or σ_max of a large sparse matrix.

    See Also
    --------
    gradtheory.trajectory_bound : the much tighter bound along one trajectory.
    transient_growth : powers, Gelfand sequence and Kreiss constant.

    Notes
    -----
    See the module docstring for the conditions. The verdict rows are, first match wins:
    exploding guaranteed, vanishing guaranteed, exploding possible (not guaranteed), marginal.

    References
    ----------
    Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent
    neural networks. ICML, §2.1–2.2.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import ElmanNetwork
    >>> report = bounds(ElmanNetwork.random(200, gain=0.4, rng=0))
    >>> report.vanishing_guaranteed, report.exploding_possible
    (True, False)
    >>> print(bounds(2.0 * np.eye(4), activation="sigmoid").verdict)
    vanishing guaranteed: gamma*sigma_max = 0.5 < 1, so ||dh_t/dh_k|| <= 0.5^(t-k)
    """
    W, act, _ = network_parts(W_hh_or_network, activation)
    n = W.shape[0]
    sparse = bool(sps.issparse(W) and n > DENSE_CUTOFF)
    horizon = (100 if n <= 500 else 10) if max_power is None else max_power
    rho = spectral_radius(W)
    sigma_min: float | None
    if sparse:
        sigma_max, sigma_min = largest_singular_value(W), smallest_singular_value(W)
    else:  # one SVD for both ends
        s = singular_values(W)
        sigma_max, sigma_min = float(s[0]), float(s[-1])
    log_norms, certified = power_norms(W, horizon)
    peak = int(np.argmax(log_norms))
    linear = act.gamma_min == act.gamma == 1.0
    up = act.gamma * sigma_max
    low = act.gamma_min * (sigma_min or 0.0)
    if linear:
        vanishing, possible, guaranteed = rho < 1.0, rho >= 1.0, rho > 1.0 or low > 1.0
    else:
        vanishing, possible, guaranteed = up < 1.0, up > 1.0, low > 1.0
    return SpectralReport(
        n=n, activation=act.name, gamma=act.gamma, gamma_min=act.gamma_min, rho=rho,
        sigma_max=sigma_max, sigma_min=sigma_min, linear=linear,
        vanishing_guaranteed=vanishing, exploding_possible=possible,
        exploding_guaranteed=guaranteed, max_transient_gain=safe_exp(float(log_norms[peak])),
        transient_peak_step=peak, transient_certified=certified, sparse=sparse)
