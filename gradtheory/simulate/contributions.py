r"""Per-lag ("temporal") contributions to the gradient of a loss at one step, and clipping.

For the squared error at step t of the linear readout :math:`y_t = W_y h_t + b_y`,

.. math::

    E_t = \tfrac12 \|y_t - \hat y_t\|^2, \qquad e_t = y_t - \hat y_t, \qquad
    \delta_t = \frac{\partial E_t}{\partial h_t}^{\!\top} = W_y^\top e_t,

BPTT carries :math:`\delta_{k-1} = J_k^\top \delta_k`, so
:math:`\delta_k^\top = \delta_t^\top\, \partial h_t/\partial h_k`, and the gradient splits into
one term per earlier step k (Pascanu et al. 2013, eq. 4-5: the *temporal contributions*)

.. math::

    \frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t}
        \underbrace{\frac{\partial E_t}{\partial h_t}
        \frac{\partial h_t}{\partial h_k}
        \frac{\partial^+ h_k}{\partial \theta}}_{\text{lag } L = t-k},

with the immediate derivatives (elman form, :math:`g_k = \delta_k \odot f'(a_k)`)

.. math::

    C^{W_{hh}}_k = g_k h_{k-1}^\top, \quad C^{W_{xh}}_k = g_k x_k^\top, \quad
    C^{b_h}_k = g_k, \quad \delta_{k-1} = W_{hh}^\top g_k,

and in the Pascanu form (:math:`h_k = W_{hh} f(h_{k-1}) + W_{xh} x_k + b_h`)
:math:`C^{W_{hh}}_k = \delta_k f(h_{k-1})^\top`, :math:`C^{W_{xh}}_k = \delta_k x_k^\top`,
:math:`C^{b_h}_k = \delta_k`, :math:`\delta_{k-1} = f'(h_{k-1}) \odot W_{hh}^\top\delta_k`.
The readout only acts at lag 0 (:math:`C^{W_y} = e_t h_t^\top`, :math:`C^{b_y} = e_t`) and the
initial state only at lag t (:math:`C^{h_0} = \delta_0`).

**Every parameter that enters the recurrence inherits the same decay.** The input weights'
contribution from lag L has norm :math:`\|g_{t-L}\|\,\|x_{t-L}\|`, with
:math:`g_{t-L}` the backpropagated error :math:`\delta_t^\top\,\partial h_t/\partial h_{t-L}`
(times f'); so :math:`W_{xh}`'s distant contributions vanish exactly as :math:`W_{hh}`'s do:
the product of Jacobians sits in front of both. (The claim that only :math:`W_{hh}` suffers,
because :math:`\partial^+ h_k/\partial W_{xh}` "does not depend on earlier steps", forgets that
the error reaching step k has already passed through :math:`\partial h_t/\partial h_k`.)

**Clipping** (Pascanu et al. 2013, Algorithm 1): if :math:`\|\hat g\| \ge \tau`, replace
:math:`\hat g \leftarrow (\tau/\|\hat g\|)\,\hat g`, with :math:`\|\cdot\|` the Euclidean norm
over all parameters. Applied to the whole gradient it rescales every lag by one factor: the
*shape* of the lag profile, and hence a vanishing gradient, is untouched.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Werbos, P. J. (1990). Backpropagation through time: what it does and how to do it. Proc. IEEE.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .. import _validate
from .._json import finite_list
from .._repr import freeze_arrays, summary_repr
from ..errors import InputTypeError, RangeError
from ..network import PARAMETERS as _NETWORK_PARAMETERS
from ..network import ElmanNetwork
from ..recurrent import RecurrentNetwork
from ..trajectory import Trajectory, scaled_norm
from .fit import RateFit, fit_rate
from .forward import simulate

__all__ = ["PARAMETERS", "TemporalContributions", "clip_gradient", "temporal_contributions"]

#: Parameters whose gradient is split by lag, in the network's field order.
PARAMETERS = tuple(p.name for p in _NETWORK_PARAMETERS)


def clip_gradient(gradient: Any, threshold: float) -> Any:
    r"""Pascanu et al.'s gradient-norm clipping (2013, Algorithm 1).

    Parameters
    ----------
    gradient : array_like or Mapping[str, array_like]
        The whole gradient: one array, or one array per parameter (the norm is taken over
        all of them together).
    threshold : float
        τ > 0.

    Returns
    -------
    numpy.ndarray or dict
        The same structure, multiplied by :math:`\min(1, \tau/\|\hat g\|)`.

    Raises
    ------
    ValidationError
        On a non-positive threshold or a non-finite gradient.

    Notes
    -----
    .. math::

        \hat g \leftarrow \frac{\tau}{\|\hat g\|}\,\hat g \quad\text{if } \|\hat g\| \ge \tau.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory.simulate import clip_gradient
    >>> clip_gradient(np.array([3.0, 4.0]), 1.0)
    array([0.6, 0.8])
    >>> clip_gradient({"a": np.array([0.3]), "b": np.array([0.4])}, 1.0)["b"]
    array([0.4])
    """
    tau = _validate.real_number(threshold, "threshold", minimum=0.0, strict=True)
    if isinstance(gradient, Mapping):
        parts = {str(k): _finite(v, f"gradient[{k!r}]") for k, v in gradient.items()}
        norm = scaled_norm(parts.values())
        scale = tau / norm if norm >= tau else 1.0
        return {k: v * scale for k, v in parts.items()}
    arr = _finite(gradient, "gradient")
    norm = scaled_norm([arr])
    return arr * (tau / norm if norm >= tau else 1.0)


def _finite(value: Any, name: str) -> np.ndarray:
    if isinstance(value, str | bytes) or np.asarray(value).dtype.kind not in "iuf":
        raise _validate.fail(name, "a real numeric array", _validate.describe(value),
                             cls=InputTypeError)
    arr = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise _validate.fail(name, "finite", "a NaN or infinite entry")
    return arr


_LOG_MAX = math.log(np.finfo(float).max)
# Plain sums of squares are exact enough and cannot overflow while every entry is in this range.
_SQUARE_SAFE = 1e150


def _row_norms(rows: np.ndarray) -> np.ndarray:
    """Euclidean norm of each row of (L, N), scaled by the row's largest entry when squaring
    could over- or underflow (rows of zeros have norm 0)."""
    big = np.max(np.abs(rows), axis=1) if rows.shape[1] else np.zeros(rows.shape[0])
    live = big > 0
    if np.all((big[live] < _SQUARE_SAFE) & (big[live] > 1.0 / _SQUARE_SAFE)):
        return np.sqrt(np.sum(rows**2, axis=1))
    out = np.zeros(rows.shape[0])
    out[live] = big[live] * np.sqrt(np.sum((rows[live] / big[live, None]) ** 2, axis=1))
    return out


def _log(x: np.ndarray) -> np.ndarray:
    out = np.full(np.shape(x), -np.inf)
    np.log(x, out=out, where=x > 0)
    return out


@dataclass(frozen=True, kw_only=True, slots=True)
class TemporalContributions:
    """The per-lag contributions to :math:`\\partial E_t/\\partial\\theta` for every parameter.

    Stored in log space, so an exploding network's contributions never overflow: the
    contribution of lag L is ``scaled[name][L] * exp(log_scale[L])``. While they fit in
    float64 (always, unless the backpropagated error left the range [1e-100, 1e100]),
    ``log_scale`` is all zeros and ``scaled`` holds the contributions themselves.

    Attributes
    ----------
    t : int
        The step of the loss.
    lags : numpy.ndarray of int, shape (t + 1,)
        Lags L = 0..t (step k = t - L).
    scaled : mapping of str to numpy.ndarray (read-only)
        For each name in :data:`PARAMETERS`, an array of shape (t + 1, ...) with the
        parameter's own shape after the first axis: entry L is the contribution of step
        k = t - L divided by ``exp(log_scale[L])`` (zero where the parameter does not act).
    log_scale : numpy.ndarray, shape (t + 1,)
        The natural log of each lag's scale.
    loss : float
        :math:`E_t`.
    """

    __repr__ = summary_repr

    t: int
    lags: np.ndarray
    scaled: Mapping[str, np.ndarray]
    log_scale: np.ndarray
    loss: float

    def __post_init__(self) -> None:
        freeze_arrays(self)

    @property
    def in_range(self) -> bool:
        """Whether ``scaled`` holds the contributions themselves (every log-scale is 0)."""
        return not np.any(self.log_scale)

    @property
    def contributions(self) -> Mapping[str, np.ndarray]:
        """The contributions as plain numbers: ``scaled[name][L] * exp(log_scale[L])``.

        Raises
        ------
        RangeError
            If an entry is outside float64's range (use :meth:`log_norms`).
        """
        if self.in_range:
            return self.scaled
        out = {}
        for name, value in self.scaled.items():
            flat = np.abs(value.reshape(value.shape[0], -1))
            big = np.max(flat, axis=1) if flat.shape[1] else np.zeros(flat.shape[0])
            with np.errstate(divide="ignore"):
                top = float(np.max(_log(big) + self.log_scale))
            if top > _LOG_MAX:
                raise RangeError(
                    f"`contributions` must fit in float64 to be returned as numbers; got "
                    f"{name} entries of size e^{top:.1f} (use log_norms({name!r}) instead).")
            shape = (-1,) + (1,) * (value.ndim - 1)
            out[name] = value * np.exp(self.log_scale).reshape(shape)
            out[name].flags.writeable = False
        return MappingProxyType(out)

    def gradient(self) -> dict[str, np.ndarray]:
        """The full BPTT gradient: the sum of the contributions over lags.

        Returns
        -------
        dict of str to numpy.ndarray
            :math:`\\partial E_t/\\partial\\theta` for each parameter.

        Raises
        ------
        RangeError
            If a sum is outside float64's range.
        """
        if self.in_range:
            return {k: v.sum(axis=0) for k, v in self.scaled.items()}
        top = float(np.max(self.log_scale))
        weights = np.exp(self.log_scale - top)
        out = {}
        for name, value in self.scaled.items():
            total = np.tensordot(weights, value, axes=1)
            big = float(np.max(np.abs(total))) if total.size else 0.0
            if big > 0 and math.log(big) + top > _LOG_MAX:
                raise RangeError(f"`gradient` must fit in float64; got |dE/d{name}| ~ "
                                 f"e^{math.log(big) + top:.1f} (use log_norms({name!r})).")
            out[name] = total * math.exp(top)
        return out

    def log_norms(self, parameter: str) -> np.ndarray:
        """Natural log of :meth:`norms`, computed without over- or underflow.

        Parameters
        ----------
        parameter : str
            A name in :data:`PARAMETERS`.

        Returns
        -------
        numpy.ndarray, shape (t + 1,)
            :math:`\\log\\|C^\\theta_{t-L}\\|_F` for L = 0..t (``-inf`` where it is 0).

        Raises
        ------
        ValidationError
            On an unknown parameter name.
        """
        c = self.scaled[_parameter(parameter, tuple(self.scaled))]
        return _log(_row_norms(c.reshape(c.shape[0], -1))) + self.log_scale

    def norms(self, parameter: str) -> np.ndarray:
        """Euclidean (Frobenius) norm of one parameter's contribution at each lag.

        Parameters
        ----------
        parameter : str
            A name in :data:`PARAMETERS`.

        Returns
        -------
        numpy.ndarray, shape (t + 1,)
            :math:`\\|C^\\theta_{t-L}\\|_F` for L = 0..t, scaled before squaring (no
            spurious overflow); ``inf`` where the norm itself exceeds float64 (see
            :meth:`log_norms`).

        Raises
        ------
        ValidationError
            On an unknown parameter name.
        """
        c = self.scaled[_parameter(parameter, tuple(self.scaled))]
        norms = _row_norms(c.reshape(c.shape[0], -1))
        if self.in_range:
            return norms
        with np.errstate(over="ignore"):
            return np.exp(_log(norms) + self.log_scale)

    def fit(self, parameter: str) -> RateFit:
        r"""Fit the per-step log-rate of one parameter's contribution norms (:func:`fit_rate`).

        Parameters
        ----------
        parameter : str
            A name in :data:`PARAMETERS` (``"W_hh"``, ``"W_xh"``, ...).

        Returns
        -------
        RateFit
            The slope of :math:`\ln\|C^\theta_{t-L}\|_F` against L over lags 1..t-2, with
            :func:`fit_rate`'s default window (from the first lag :math:`\ge (t-2)/10`). Left
            out are lag 0, where no Jacobian acts yet, and lags t-1 and t, where :math:`h_0`
            enters and :math:`C^{W_{hh}} = g_1 h_0^\top` vanishes for :math:`h_0 = 0`.
            ``rate`` is None (``note`` says why) with fewer than 3 such lags, a zero
            contribution in the window (the readout's, at every lag but 0), or a profile
            that is not exponential. The fit reads :meth:`log_norms`, so norms beyond float64
            (an exploding network over many steps) are fitted like any others.

        Raises
        ------
        ValidationError
            On an unknown parameter name.

        Notes
        -----
        Every parameter that enters the recurrence carries the same product of Jacobians in
        front of its immediate derivative (module notes), so W_hh and W_xh fit the same rate.

        Examples
        --------
        >>> import numpy as np
        >>> from gradtheory import ElmanNetwork
        >>> net = ElmanNetwork.random(8, gain=0.5, rng=0)
        >>> x = np.random.default_rng(1).standard_normal((60, 8))
        >>> tc = temporal_contributions(net, x, np.zeros(8))
        >>> r_hh, r_xh = (tc.fit(p).rate for p in ("W_hh", "W_xh"))
        >>> bool(abs(r_hh - r_xh) < 0.05)
        True
        """
        log_norms = self.log_norms(parameter)[1:-2]   # -inf for a zero term: fit_rate says so
        lags = self.lags[1:-2]
        note = "fewer than 3 lags in 1..t-2 past its first tenth: no rate"
        if lags.size >= 3 and lags[-1] / 10.0 <= lags[-3]:  # 3 lags in the default window
            window = (int(lags[np.searchsorted(lags, lags[-1] / 10.0)]), int(lags[-1]))
            keep = (lags >= window[0]) & (lags <= window[1])
            return fit_rate(lags[keep], log_norms[keep], window=window)
        span = (int(lags[0]), int(lags[-1])) if lags.size else (0, 0)
        return RateFit(rate=None, rate_ci=None, confidence=0.95, intercept=None,
                       power_exponent=None, exponential=False, window=span,
                       n_points=int(lags.size), rss_exponential=math.inf, rss_power=math.inf,
                       method="none", note=note)

    def clip(self, threshold: float, *, per_lag: bool = False) -> TemporalContributions:
        """Clip the gradient by norm (Algorithm 1), keeping the per-lag split.

        Parameters
        ----------
        threshold : float
            τ > 0.
        per_lag : bool, optional
            False (default): Algorithm 1 on the whole gradient, i.e. every lag is scaled by
            the same factor. True: each lag's contribution (all parameters together) is
            clipped on its own, a variant that does change the shape of the lag profile.

        Returns
        -------
        TemporalContributions
            The clipped contributions (``loss`` unchanged).

        Raises
        ------
        ValidationError
            On a non-positive threshold.
        """
        tau = _validate.real_number(threshold, "threshold", minimum=0.0, strict=True)
        flat = np.concatenate([v.reshape(v.shape[0], -1) for v in self.scaled.values()], axis=1)
        if self.in_range:  # plain numbers: one factor per lag, multiplied in
            if per_lag:
                norm = _row_norms(flat)
            else:
                norm = np.full(self.lags.size, scaled_norm(self.gradient().values()))
            scale = np.where(norm >= tau, tau / np.where(norm > 0, norm, 1.0), 1.0)
            clipped = {k: v * scale.reshape((-1,) + (1,) * (v.ndim - 1))
                       for k, v in self.scaled.items()}
            return TemporalContributions(t=self.t, lags=self.lags, scaled=clipped,
                                         log_scale=self.log_scale, loss=self.loss)
        # Log space: the factor min(1, tau/||.||) joins each lag's log-scale.
        if per_lag:
            log_norm = _log(_row_norms(flat)) + self.log_scale
        else:
            log_norm = np.full(self.lags.size, self._log_gradient_norm())
        log_factor = np.minimum(0.0, math.log(tau) - log_norm)
        return TemporalContributions(t=self.t, lags=self.lags, scaled=self.scaled,
                                     log_scale=self.log_scale + log_factor, loss=self.loss)

    def _log_gradient_norm(self) -> float:
        """log ||sum over lags of all contributions|| (all parameters), in log space."""
        top = float(np.max(self.log_scale))
        weights = np.exp(self.log_scale - top)
        parts = [np.tensordot(weights, v, axes=1) for v in self.scaled.values()]
        norm = scaled_norm(parts)
        return math.log(norm) + top if norm > 0 else -math.inf

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: the loss and each parameter's contribution norm per lag.

        Returns
        -------
        dict
            Keys ``t``, ``loss``, ``lags``, ``norms`` (parameter -> list per lag; ``None``
            beyond float64) and ``log_norms`` (parameter -> list; ``None`` for a zero norm).
        """
        return {"t": self.t, "loss": self.loss, "lags": self.lags.tolist(),
                "norms": {p: finite_list(self.norms(p)) for p in self.scaled},
                "log_norms": {p: finite_list(self.log_norms(p)) for p in self.scaled}}


def _parameter(parameter: Any, names: tuple[str, ...]) -> str:
    if not isinstance(parameter, str) or parameter not in names:
        raise _validate.fail("parameter", "one of " + ", ".join(map(repr, names)),
                             _validate.describe(parameter))
    return parameter


def temporal_contributions(network_or_trajectory: ElmanNetwork | Trajectory,
                           inputs: Any = None, targets: Any = None, *,
                           t: int | None = None) -> TemporalContributions:
    r"""Split :math:`\partial E_t/\partial\theta` into one term per earlier step (BPTT).

    Parameters
    ----------
    network_or_trajectory : ElmanNetwork or Trajectory
        The network (either form), run here on ``inputs`` from its ``h_0``; or a trajectory of
        one network from :func:`simulate` (then ``inputs`` must be None: the trajectory's own
        inputs and initial state are used).
    inputs : array_like, shape (T, m), optional
        Inputs :math:`x_1, \dots, x_T`; required with a network.
    targets : array_like, shape (T, p) or (p,)
        Targets :math:`\hat y_t` for every step (only step t is used), or for step t alone.
    t : int or None, optional
        Step of the loss, 1..T; default T.

    Returns
    -------
    TemporalContributions
        Contributions at lags 0..t for W_hh, W_xh, b_h, W_y, b_y, h_0; their sum over lags
        (:meth:`TemporalContributions.gradient`) is the full BPTT gradient of
        :math:`E_t = \tfrac12\|W_y h_t + b_y - \hat y_t\|^2`.

    Raises
    ------
    ValidationError
        On inputs or targets of the wrong shape or not finite, or t outside 1..T.
    InputTypeError
        If ``network`` is not an ElmanNetwork.

    Notes
    -----
    See the module docstring for the recursion. Cost :math:`O(t\,n(n + m))` time and
    :math:`O(t\,n(n + m))` memory for the stored contributions. Checked against central finite
    differences and against PyTorch autograd (float64, relative 1e-10).

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import ElmanNetwork
    >>> net = ElmanNetwork.random(4, gain=0.5, rng=0)
    >>> x = np.random.default_rng(1).standard_normal((30, 4))
    >>> tc = temporal_contributions(net, x, np.zeros(4))
    >>> ratio = tc.norms("W_xh")[20] / tc.norms("W_xh")[0]
    >>> bool(ratio < 1e-4)   # distant input-weight contributions vanish too
    True
    """
    network = network_or_trajectory
    if isinstance(network, Trajectory):
        if network.batched:
            raise _validate.fail("network_or_trajectory", "a trajectory of one network",
                                 "a batch of networks")
        if inputs is not None:
            raise _validate.fail("inputs", "None when a Trajectory is given",
                                 _validate.describe(inputs))
        T, p = network.n_steps, network.W_y.shape[0]
    elif isinstance(network, ElmanNetwork | RecurrentNetwork):
        X = _validate.real_array(inputs, "inputs", ndim=2, shape=(None, network.n_input))
        T, p = X.shape[0], network.n_output
    else:
        raise _validate.fail("network", "an ElmanNetwork, a RecurrentNetwork or a Trajectory",
                             _validate.describe(network), cls=InputTypeError)
    step = T if t is None else _validate.positive_int(t, "t")
    if step > T:
        raise _validate.fail("t", f"a step in 1..{T} (the number of inputs)", repr(step))
    if targets is None:
        raise _validate.fail("targets", f"an array of shape ({p},) or ({T}, {p})", "None",
                             cls=InputTypeError)
    tgt = np.asarray(targets)
    if tgt.ndim == 1:
        target = _validate.real_array(tgt, "targets", ndim=1, shape=(p,))
    else:
        target = _validate.real_array(tgt, "targets", ndim=2, shape=(T, p))[step - 1]
    traj = network if isinstance(network, Trajectory) else simulate(network, step,
                                                                    inputs=X[:step])
    W_y, b_y = traj.W_y, traj.b_y
    h_t = traj.h[step - 1]
    e = h_t @ W_y.T + b_y - target
    inject = np.zeros(traj.state_size)         # the readout sees the h-block of the state
    inject[:traj.n_hidden] = W_y.T @ e
    back = traj.backward({step: inject}, t=step)
    C: dict[str, np.ndarray] = {}
    for name, terms in back.terms.items():      # step k = t - L: lags 0..t-1, none at lag t
        C[name] = np.zeros((step + 1, *terms.shape[1:]))
        C[name][:step] = terms[::-1]
    # Lag L = t - k carries the log-scale of delta_k (W_y, b_y at lag 0 have scale 0 = s_t).
    initial = traj.cell.INITIAL_STATE          # "h_0", or "s_0" for the LSTM's [h_0, c_0]
    C["W_y"] = np.zeros((step + 1, p, traj.n_hidden))
    C["b_y"] = np.zeros((step + 1, p))
    C[initial] = np.zeros((step + 1, traj.state_size))
    C["W_y"][0] = np.outer(e, h_t)
    C["b_y"][0] = e
    C[initial][step] = back.deltas[0]
    order = [*(q.name for q in traj.cell.PARAMETERS), "W_y", "b_y", initial]
    ordered = {name: C[name] for name in order}
    return TemporalContributions(t=step, lags=np.arange(step + 1), scaled=ordered,
                                 log_scale=back.log_scale[::-1].copy(), loss=0.5 * float(e @ e))
