r"""Predictions for random networks: random-matrix spectra and the mean-field theory.

For :math:`W_{hh}` with i.i.d. entries :math:`N(0, g^2/n)`, large n:

* circular law: the eigenvalues fill the disk of radius g, so :math:`\rho \approx g`;
* the singular values follow the quarter-circle law (Marchenko–Pastur with ratio 1) on
  :math:`[0, 2g]`, so :math:`\sigma_{\max} \approx 2g` and the bulk reaches 0;
* for :math:`W = g\,Q` with Q orthogonal every singular value is g, so
  :math:`\rho = \sigma_{\max} = \sigma_{\min} = g` exactly.

Mean field (Poole et al. 2016; Schoenholz et al. 2017; Chen, Pennington & Schoenholz 2018): with
i.i.d. inputs of variance :math:`\sigma_u^2` and biases of variance :math:`\sigma_b^2`, the
pre-activation variance :math:`q_t` of a unit obeys, for :math:`z \sim N(0,1)`,

.. math::

    q_{t+1} = g^2\,\mathbb{E}_z\big[f(\sqrt{q_t}\,z)^2\big] + \sigma_u^2 + \sigma_b^2,
    \qquad
    \chi = g^2\,\mathbb{E}_z\big[f'(\sqrt{q^*}\,z)^2\big],

where :math:`q^*` is the attracting fixed point and :math:`\chi` the mean squared singular value
of the one-step Jacobian :math:`\operatorname{diag}(f'(a_t))W_{hh}`. The gradient norm then
changes by :math:`\chi^{1/2}` per step on average: predicted maximal Lyapunov exponent
:math:`\lambda_{\max} = \tfrac12\log\chi`, gradient timescale :math:`\xi = -1/\log\chi` (positive
for :math:`\chi < 1`: gradients decay like :math:`e^{-L/(2\xi)}` in norm; negative for
:math:`\chi>1`: growth; infinite at :math:`\chi = 1`, the edge of chaos, reported as ``None`` in
JSON). The critical gain :math:`g_c(\sigma_u, \sigma_b)` solves :math:`\chi = 1`. The same
equations hold for orthogonal :math:`W` (then :math:`\|Wh\|^2 = g^2\|h\|^2` exactly). They
describe the ensemble of random W (the mean-field assumption treats W as independent of the
state); for one fixed W and an activation with non-zero mean (sigmoid, relu, softplus, elu)
the mean activity acts as a quenched static input and the realised q fluctuates from draw to
draw, by about 7% at n = 1500 for sigmoid at g = 5, shrinking like :math:`n^{-1/2}`.

*Fixed point.* :math:`q^*` is the largest root of :math:`V(q) - q` (the one the variance map
reaches from any large start), bracketed by scanning down from a point where
:math:`V(q) < (1 - 10^{-12})\,q` and polished by Brent's method (relative tolerance
:math:`4\varepsilon`). It is ``inf`` when no finite fixed point exists (unbounded f with
:math:`g` too large, e.g. relu with :math:`g \ge \sqrt2`); :math:`\chi` is then the limit
:math:`q\to\infty`. At :math:`q^* = 0`, :math:`\chi` is the limit :math:`q\to0^+` (so relu
gets :math:`g^2/2`, not :math:`f'(0)=0`). The critical gain is bracketed by doubling and found
by Brent's method to relative 1e-12. Near :math:`\chi = 1` the fixed point is ill-conditioned
(error ≈ quadrature error / :math:`|1 - V'(q^*)|`; at the tanh critical point without input the
computed :math:`q^*` is about 1e-16 instead of 0).

*Quadrature.* :math:`\mathbb{E}_z[\phi(\sqrt q\,z)]` uses probabilists' Gauss–Hermite quadrature
(:func:`numpy.polynomial.hermite_e.hermegauss`, :data:`GH_NODES` nodes) when f is analytic and
:math:`\sqrt q \le` :data:`GH_MAX_SCALE`, where it is accurate to about 1e-15 relative.
Gauss–Hermite converges only algebraically for kinks (relu, hardtanh, elu's f'') and slowly once
:math:`\sqrt q \gtrsim 1` (tanh's poles at :math:`\pm i\pi/2` come close to the real axis in z:
1e-5 error at :math:`\sqrt q = 2` with 101 nodes), so otherwise the integral is split at the
kinks, at z = 0 and at a graded set of points :math:`x/\sqrt q` around the activation's knee,
and each panel of :math:`[-12, 12]` gets 20-point Gauss–Legendre (tail mass
:math:`< 10^{-32}`). Both paths are tested against ``mpmath.quad`` at 30 digits, to 1e-12
relative, including large q, relu and small q.

References
----------
Poole, B., Lahiri, S., Raghu, M., Sohl-Dickstein, J. and Ganguli, S. (2016). Exponential
expressivity in deep neural networks through transient chaos. NeurIPS.
Schoenholz, S. S., Gilmer, J., Ganguli, S. and Sohl-Dickstein, J. (2017). Deep information
propagation. ICLR.
Chen, M., Pennington, J. and Schoenholz, S. S. (2018). Dynamical isometry and a mean field
theory of RNNs. ICML.
Girko, V. L. (1985). Circular law. Theory Probab. Appl. 29, 694–706.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
from numpy.polynomial.hermite_e import hermegauss
from numpy.polynomial.legendre import leggauss
from scipy.optimize import brentq

from .. import _validate
from .._json import finite_or_none
from ..activations import Activation, get_activation
from ..errors import InputTypeError
from ..network import INITS, ElmanNetwork

__all__ = ["GH_MAX_SCALE", "GH_NODES", "MeanFieldPrediction", "RandomMatrixPrediction",
           "critical_gain", "gaussian_expectation", "mean_field", "network_mean_field",
           "random_matrix_prediction"]

#: Gauss–Hermite nodes for the smooth, small-variance regime.
GH_NODES = 101
#: Largest :math:`\sqrt q` for which Gauss–Hermite is used (analytic activations only).
GH_MAX_SCALE = 0.5
_ANALYTIC = frozenset({"identity", "tanh", "sigmoid", "softplus"})

_GH_X, _GH_W = hermegauss(GH_NODES)
_GH_W = _GH_W / math.sqrt(2.0 * math.pi)
_GL_X, _GL_W = leggauss(20)
_Z_MAX = 12.0
_KNEE = np.array([2.0**j for j in range(-3, 7)])  # where f bends, in pre-activation units


def gaussian_expectation(func: Callable[[np.ndarray], np.ndarray], q: float, *,
                         kinks: tuple[float, ...] = (), analytic: bool = False) -> float:
    r""":math:`\mathbb{E}_{z\sim N(0,1)}[\phi(\sqrt q\,z)]` by quadrature (see the module notes).

    Parameters
    ----------
    func : callable
        Vectorised :math:`\phi`, evaluated at pre-activations :math:`x = \sqrt q\,z`.
    q : float
        The variance, ≥ 0 (``q = 0`` gives :math:`\phi(0)`).
    kinks : tuple of float, optional
        Pre-activations where :math:`\phi` is not smooth (panel boundaries).
    analytic : bool, optional
        True if :math:`\phi` is analytic, allowing Gauss–Hermite for small q.

    Returns
    -------
    float
        The expectation (relative accuracy about 1e-13 for the activation table's f², f'²).

    Examples
    --------
    >>> import numpy as np
    >>> round(gaussian_expectation(lambda x: x**2, 4.0, analytic=True), 12)
    4.0
    >>> round(gaussian_expectation(lambda x: np.maximum(x, 0)**2, 9.0, kinks=(0.0,)), 12)
    4.5
    """
    s = math.sqrt(q)
    if s == 0.0:
        return float(np.asarray(func(np.zeros(1)))[0])
    if analytic and not kinks and s <= GH_MAX_SCALE:
        return float(np.dot(_GH_W, func(s * _GH_X)))
    marks = np.concatenate([np.arange(-_Z_MAX, _Z_MAX + 0.25, 0.5), [0.0],
                            _KNEE / s, -_KNEE / s, np.asarray(kinks, dtype=float) / s])
    edges = np.unique(marks[np.abs(marks) <= _Z_MAX])
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    z = (mid[:, None] + half[:, None] * _GL_X[None, :]).ravel()
    w = (half[:, None] * _GL_W[None, :]).ravel() * np.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)
    return float(np.dot(w, func(s * z)))


def _moments(act: Activation) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """q -> E[f(sqrt(q) z)^2] and q -> E[f'(sqrt(q) z)^2] for one activation."""
    analytic = act.name in _ANALYTIC
    tiny, huge = np.array([1e-300, -1e-300]), np.array([1e6, -1e6])

    def second(q: float) -> float:
        return gaussian_expectation(lambda x: act.f(x) ** 2, q, kinks=act.kinks,
                                    analytic=analytic)

    def slope(q: float) -> float:
        if q == 0.0:  # the limit q -> 0+, right for kinks at 0 (relu: 1/2)
            return float(np.mean(act.df(tiny) ** 2))
        if math.isinf(q):
            return float(np.mean(act.df(huge) ** 2))
        return gaussian_expectation(lambda x: act.df(x) ** 2, q, kinks=act.kinks,
                                    analytic=analytic)

    return second, slope


def _fixed_point(second: Callable[[float], float], g2: float, c: float) -> float:
    """Largest root of V(q) - q, V(q) = g2 E[f^2] + c; inf if V(q) >= q for all q tried."""
    def h(q: float) -> float:
        return g2 * second(q) + c - q

    q_hi = 1.0 + c
    while h(q_hi) >= -1e-12 * q_hi:  # V(q) = q to quadrature accuracy: not attracting yet
        q_hi *= 4.0
        if q_hi > 1e16 * (1.0 + c):
            return math.inf
    upper = q_hi
    for _ in range(400):
        q = upper / 2.0
        hq = h(q)
        if hq == 0.0:
            return q
        if hq > 0.0:
            return float(brentq(h, q, upper, xtol=1e-300, rtol=4 * np.finfo(float).eps))
        upper = q
        if upper < 1e-250:
            break
    return 0.0 if h(0.0) <= 0.0 else float(brentq(h, 0.0, upper, xtol=1e-300))


def _chi(act: Activation, gain: float, c: float) -> tuple[float, float]:
    second, slope = _moments(act)
    q_star = _fixed_point(second, gain * gain, c)
    return q_star, gain * gain * slope(q_star)


@dataclass(frozen=True, kw_only=True, slots=True)
class MeanFieldPrediction:
    r"""Mean-field predictions for a random network (see the module notes for the math).

    Attributes
    ----------
    gain : float
        g.
    input_std : float
        :math:`\sigma_u`, std of each unit's input drive :math:`(W_{xh}x_t)_i`.
    bias_std : float
        :math:`\sigma_b`.
    activation : str
        Activation name.
    q_star : float
        Fixed-point pre-activation variance :math:`q^*` (``inf`` if none is finite).
    chi : float
        :math:`\chi = g^2\,\mathbb{E}[f'(\sqrt{q^*}z)^2]`.
    critical_gain : float or None
        :math:`g_c(\sigma_u,\sigma_b)` with :math:`\chi = 1`; ``None`` if none below
        :math:`2^{20}/\gamma`.

    Notes
    -----
    The theory is exact as :math:`n\to\infty`; :meth:`tolerance` is its stated accuracy for
    one network of finite n over T steps, and :meth:`applies_to` says whether a given network
    is one it describes.
    """

    #: Why :meth:`tolerance` is what it is, in one line (the report's reason for the rows).
    TOLERANCE_NOTE: ClassVar[str] = (
        "exact as n -> inf; tolerance 4/n + 0.5/sqrt(n): 1.5 x the finite-size deviations "
        "measured on random networks")

    gain: float
    input_std: float
    bias_std: float
    activation: str
    q_star: float
    chi: float
    critical_gain: float | None

    @property
    def lyapunov_max(self) -> float:
        r"""Predicted maximal Lyapunov exponent :math:`\tfrac12\log\chi`."""
        return 0.5 * math.log(self.chi) if self.chi > 0 else -math.inf

    @property
    def timescale(self) -> float:
        r"""Gradient timescale :math:`\xi = -1/\log\chi` (``inf`` at :math:`\chi = 1`)."""
        if self.chi == 1.0:
            return math.inf
        return 0.0 if self.chi == 0.0 else -1.0 / math.log(self.chi)

    @property
    def regime(self) -> str:
        """``"ordered"`` (χ < 1), ``"critical"`` (χ = 1) or ``"chaotic"`` (χ > 1)."""
        return "ordered" if self.chi < 1 else "critical" if self.chi == 1 else "chaotic"

    @staticmethod
    def tolerance(n_hidden: int, n_steps: int) -> float:
        r"""Allowed :math:`|\text{measured} - \tfrac12\ln\chi|` for one random network.

        Parameters
        ----------
        n_hidden : int
            n, the network's size.
        n_steps : int
            T, the steps the rates were measured over.

        Returns
        -------
        float
            :math:`(4/n + 0.5/\sqrt n)\,\max(1, \sqrt{1000/T})`.

        Notes
        -----
        At finite n the measured rates (the fitted rate of the RMS singular value
        :math:`\tfrac12\ln(\|P_L\|_F^2/n)` and :math:`\lambda_{\max}`) lie below
        :math:`\tfrac12\ln\chi` (a bias of order 1/n) and scatter from draw to draw (of order
        :math:`n^{-1/2}`). The tolerance is 1.5 times the envelope of the deviations measured on
        192 Gaussian tanh networks with unit input: n = 32, 64, 128, 256, gains 0.5 to 3,
        8 seeds each, T = 1000 (worst deviation 0.14 at n = 32, 0.045 at n = 64, 0.026 at
        n = 256); below T = 1000 steps the rates scatter more, as :math:`T^{-1/2}`. The fits'
        own confidence intervals (about 1e-4) are far too narrow to serve: the log-norm is a
        random walk, not independent noise around a line.

        Examples
        --------
        >>> round(MeanFieldPrediction.tolerance(64, 1000), 4)
        0.125
        """
        return (4.0 / n_hidden + 0.5 / math.sqrt(n_hidden)) * max(1.0,
                                                                  math.sqrt(1000.0 / n_steps))

    def applies_to(self, network: ElmanNetwork) -> str | None:
        r"""Whether this prediction describes ``network``: None if it does, else why not.

        Parameters
        ----------
        network : ElmanNetwork
            The network the prediction was made for (its realised gain, input drive and bias).

        Returns
        -------
        str or None
            ``None`` when every assumption holds; otherwise the first that fails, in words.

        Raises
        ------
        InputTypeError
            If ``network`` is not an ElmanNetwork.

        Notes
        -----
        The assumptions, in the order checked: the prediction is for the network's activation;
        :math:`W_{hh}` is an i.i.d. random draw (``init`` gaussian or orthogonal: the theory
        describes the ensemble, not user or trained weights); f is odd (otherwise its mean
        activity acts as a quenched input that differs from draw to draw); a finite fixed
        point :math:`q^*` exists; and the state is driven away from 0 by input, bias or
        :math:`h_0` (at the fixed point 0, :math:`J_t = f'(0)W_{hh}` exactly and the linear
        theory applies instead).

        Examples
        --------
        >>> from gradtheory import ElmanNetwork
        >>> net = ElmanNetwork.random(64, gain=1.5, rng=0)
        >>> mean_field(1.5, input_std=1.0).applies_to(net) is None
        True
        >>> mean_field(1.5, input_std=1.0).applies_to(ElmanNetwork.from_arrays(net.W_hh))[:30]
        'W_hh is not an i.i.d. random d'
        """
        if not isinstance(network, ElmanNetwork):
            raise _validate.fail("network", "an ElmanNetwork", _validate.describe(network),
                                 cls=InputTypeError)
        if network.activation.name != self.activation:
            return (f"the prediction is for {self.activation}, the network's activation is "
                    f"{network.activation.name}")
        if network.init not in ("gaussian", "orthogonal"):
            what = "user or trained weights" if not network.init else f"init {network.init!r}"
            return (f"W_hh is not an i.i.d. random draw ({what}); mean field describes the "
                    "random ensemble")
        if not network.activation.odd:
            return (f"{network.activation.name} is not odd: its mean activity acts as a quenched "
                    "input that differs from draw to draw")
        if not math.isfinite(self.q_star):
            return "no finite mean-field fixed point q*"
        if self.input_std == self.bias_std == 0.0 and not np.any(network.h_0):
            return ("no input, bias or initial state: h stays at the fixed point 0, where "
                    "J_t = f'(0) W_hh (the linearised row applies)")
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary (``None`` for an infinite value: never NaN).

        Returns
        -------
        dict
            ``gain``, ``input_std``, ``bias_std``, ``activation``, ``q_star``, ``chi``,
            ``lyapunov_max``, ``timescale``, ``critical_gain``, ``regime``.
        """
        return {"gain": self.gain, "input_std": self.input_std, "bias_std": self.bias_std,
                "activation": self.activation, "q_star": finite_or_none(self.q_star),
                "chi": finite_or_none(self.chi),
                "lyapunov_max": finite_or_none(self.lyapunov_max),
                "timescale": finite_or_none(self.timescale),
                "critical_gain": finite_or_none(self.critical_gain), "regime": self.regime}


def critical_gain(*, input_std: float = 0.0, bias_std: float = 0.0,
                  activation: str | Activation = "tanh") -> float | None:
    r"""The gain :math:`g_c` at the edge of chaos, :math:`\chi(g_c) = 1`.

    Parameters
    ----------
    input_std : float, optional
        :math:`\sigma_u \ge 0`.
    bias_std : float, optional
        :math:`\sigma_b \ge 0`.
    activation : str or Activation, optional
        Default ``"tanh"``.

    Returns
    -------
    float or None
        :math:`g_c` to relative 1e-12 (Brent's method on a bracket found by doubling from
        :math:`1/(2\gamma)`, where :math:`\chi < 1`); ``None`` if :math:`\chi < 1` up to
        :math:`2^{20}/\gamma`.

    Examples
    --------
    >>> round(critical_gain(), 9), round(critical_gain(activation="relu") ** 2, 9)
    (1.0, 2.0)
    >>> critical_gain(input_std=0.5) > 1.0  # input noise pushes the edge of chaos out
    True
    """
    act = get_activation(activation)
    c = _validate.real_number(input_std, "input_std", minimum=0.0) ** 2 + \
        _validate.real_number(bias_std, "bias_std", minimum=0.0) ** 2

    def excess(g: float) -> float:
        return _chi(act, g, c)[1] - 1.0

    lo = 0.5 / act.gamma
    hi = 1.0 / act.gamma
    while excess(hi) < 0.0:
        lo, hi = hi, 2.0 * hi
        if hi > 2.0**20 / act.gamma:
            return None
    if excess(hi) == 0.0:
        return hi
    return float(brentq(excess, lo, hi, xtol=1e-300, rtol=1e-12))


def mean_field(gain: float, *, input_std: float = 0.0, bias_std: float = 0.0,
               activation: str | Activation = "tanh") -> MeanFieldPrediction:
    r"""Mean-field predictions for :math:`W_{hh}` with entries :math:`N(0, g^2/n)`.

    Parameters
    ----------
    gain : float
        g > 0.
    input_std : float, optional
        :math:`\sigma_u \ge 0`, std of each unit's input drive (default 0).
    bias_std : float, optional
        :math:`\sigma_b \ge 0`, std of the biases (default 0).
    activation : str or Activation, optional
        Any row of the activation table (default ``"tanh"``).

    Returns
    -------
    MeanFieldPrediction
        ``q_star``, ``chi``, ``lyapunov_max``, ``timescale``, ``critical_gain``.

    Raises
    ------
    ValidationError
        On a non-positive gain, a negative std or an unknown activation.

    Notes
    -----
    .. math::

        q^* = g^2\,\mathbb{E}_z[f(\sqrt{q^*}z)^2] + \sigma_u^2 + \sigma_b^2,\quad
        \chi = g^2\,\mathbb{E}_z[f'(\sqrt{q^*}z)^2],\quad
        \lambda_{\max} = \tfrac12\log\chi,\quad \xi = -1/\log\chi.

    References
    ----------
    Poole et al. (2016); Schoenholz et al. (2017); Chen, Pennington & Schoenholz (2018).

    Examples
    --------
    >>> mf = mean_field(0.5)  # tanh, no input: q* = 0 and chi = g^2
    >>> mf.q_star, mf.chi, round(mf.timescale, 6)
    (0.0, 0.25, 0.721348)
    >>> mf = mean_field(2.0, input_std=0.5)
    >>> round(mf.q_star, 4), round(mf.chi, 4), mf.regime
    (2.4797, 1.2722, 'chaotic')
    """
    g = _validate.real_number(gain, "gain", minimum=0.0, strict=True)
    su = _validate.real_number(input_std, "input_std", minimum=0.0)
    sb = _validate.real_number(bias_std, "bias_std", minimum=0.0)
    act = get_activation(activation)
    q_star, chi = _chi(act, g, su * su + sb * sb)
    return MeanFieldPrediction(gain=g, input_std=su, bias_std=sb, activation=act.name,
                               q_star=q_star, chi=chi,
                               critical_gain=critical_gain(input_std=su, bias_std=sb,
                                                           activation=act))


def network_mean_field(network: ElmanNetwork, *, input_std: float = 0.0) -> MeanFieldPrediction:
    r"""Mean-field predictions for one network, from its realised weights.

    Parameters
    ----------
    network : ElmanNetwork
        The network; its activation, :math:`W_{hh}`, :math:`W_{xh}` and :math:`b_h` are used.
    input_std : float, optional
        Std s of i.i.d. Gaussian inputs :math:`x_t \sim N(0, s^2 I)` (default 0: no input).

    Returns
    -------
    MeanFieldPrediction
        :func:`mean_field` at the realised gain, input drive and bias below.

    Raises
    ------
    ValidationError
        On a negative ``input_std`` or a zero :math:`W_{hh}` (no gain to speak of).
    InputTypeError
        If ``network`` is not an ElmanNetwork.

    See Also
    --------
    mean_field : the same from the ensemble's parameters.
    MeanFieldPrediction.applies_to : whether the network is one the theory describes.

    Notes
    -----
    The theory's parameters, read off the actual matrices (the nominal gain of a random draw is
    not known for user weights, and the realised one describes the matrix at hand):

    .. math::

        g = \frac{\|W_{hh}\|_F}{\sqrt n}, \qquad
        \sigma_u = s\,\Big(\frac1n\sum_i \|(W_{xh})_{i\cdot}\|^2\Big)^{1/2}, \qquad
        \sigma_b = \Big(\frac1n\sum_i b_i^2\Big)^{1/2},

    the root-mean-square gain of the rows of :math:`W_{hh}`, std of each unit's input drive
    :math:`(W_{xh}x_t)_i` and of its bias. For :math:`W_{hh}` with i.i.d. :math:`N(0, g^2/n)`
    entries the realised gain differs from the nominal g by :math:`O(g/n)` relative.

    Examples
    --------
    >>> from gradtheory import ElmanNetwork
    >>> mf = network_mean_field(ElmanNetwork.random(64, gain=1.5, rng=0), input_std=1.0)
    >>> round(mf.gain, 4), round(mf.chi, 4)
    (1.4965, 0.7506)
    """
    if not isinstance(network, ElmanNetwork):
        raise _validate.fail("network", "an ElmanNetwork", _validate.describe(network),
                             cls=InputTypeError)
    s = _validate.real_number(input_std, "input_std", minimum=0.0)
    gain = float(np.linalg.norm(network.W_hh) / math.sqrt(network.n_hidden))
    if gain == 0.0:
        raise _validate.fail("network", "a network with a non-zero W_hh (its gain is "
                             "||W_hh||_F / sqrt(n))", "W_hh = 0")
    sigma_u = s * math.sqrt(float(np.mean(np.sum(network.W_xh**2, axis=1))))
    sigma_b = math.sqrt(float(np.mean(network.b_h**2)))
    return mean_field(gain, input_std=sigma_u, bias_std=sigma_b, activation=network.activation)


# init -> (rho / g, sigma_max / g, sigma_min / g, law): the n -> infinity predictions.
_RANDOM_MATRIX: Mapping[str, tuple[float, float, float, str]] = MappingProxyType({
    "gaussian": (1.0, 2.0, 0.0, "circular law; quarter-circle (Marchenko-Pastur) edge 2g"),
    "orthogonal": (1.0, 1.0, 1.0, "all singular values and |eigenvalues| equal g"),
    "identity": (1.0, 1.0, 1.0, "W = g I"),
})


@dataclass(frozen=True, kw_only=True, slots=True)
class RandomMatrixPrediction:
    r"""Large-n predictions of :math:`\rho`, :math:`\sigma_{\max}`, :math:`\sigma_{\min}`.

    Attributes
    ----------
    init : str
        Initialiser name (see :data:`gradtheory.network.INITS`).
    gain : float
        g.
    rho : float
        Predicted spectral radius.
    sigma_max : float
        Predicted largest singular value.
    sigma_min : float
        Predicted smallest singular value (bulk edge; 0 for Gaussian).
    law : str
        Where the prediction comes from.
    """

    init: str
    gain: float
    rho: float
    sigma_max: float
    sigma_min: float
    law: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dictionary.

        Returns
        -------
        dict
            ``init``, ``gain``, ``rho``, ``sigma_max``, ``sigma_min``, ``law``.
        """
        return {"init": self.init, "gain": self.gain, "rho": self.rho,
                "sigma_max": self.sigma_max, "sigma_min": self.sigma_min, "law": self.law}


def random_matrix_prediction(gain: float, *, init: str = "gaussian") -> RandomMatrixPrediction:
    r"""Large-n spectrum of :math:`W_{hh} = g\,W_0` for an initialiser of :data:`INITS`.

    Parameters
    ----------
    gain : float
        g > 0.
    init : {"gaussian", "orthogonal", "identity"}, optional
        Default ``"gaussian"`` (entries :math:`N(0, g^2/n)`).

    Returns
    -------
    RandomMatrixPrediction
        :math:`\rho \approx g`; :math:`\sigma_{\max} \approx 2g` (Gaussian) or g.

    Notes
    -----
    Finite-n corrections for Gaussian W: :math:`\rho` fluctuates by :math:`O(n^{-1/2})`
    relative, :math:`\sigma_{\max}` by :math:`O(n^{-2/3})` (Tracy–Widom), and
    :math:`\sigma_{\min} = O(g/n)` (Edelman 1988).

    Examples
    --------
    >>> random_matrix_prediction(0.5).sigma_max
    1.0
    """
    g = _validate.real_number(gain, "gain", minimum=0.0, strict=True)
    key = _validate.choice(init, "init", INITS)
    r, smax, smin, law = _RANDOM_MATRIX[key]
    return RandomMatrixPrediction(init=key, gain=g, rho=r * g, sigma_max=smax * g,
                                  sigma_min=smin * g, law=law)
