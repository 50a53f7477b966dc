r"""The certified bound along one trajectory: :math:`\prod_i \|J_i\|_2`, in log space.

Given a trajectory (or the arguments of f along one, from any simulator), the one-step
Jacobians :math:`J_i = \operatorname{diag}(f'(a_i))\,W_{hh}` (elman) or
:math:`W_{hh}\operatorname{diag}(f'(h_{i-1}))` (pascanu) give, by submultiplicativity,

.. math::

    \sigma_{\min}(W)^{t-k}\prod_{i=k+1}^{t}\min_j|f'_{ij}|
    \;\le\; \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2
    \;\le\; \prod_{i=k+1}^{t}\|J_i\|_2 \;\le\; (\gamma\,\sigma_{\max})^{t-k},

much tighter than the global bound of :mod:`.bounds` when units saturate, and still rigorous.
All products are sums of logs, so T = 100,000 steps neither under- nor overflow.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML, §2.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sps

from .. import _validate
from .._repr import freeze_arrays, summary_repr
from .._threads import small_problem_threads
from ..activations import Activation
from ..cells import CELLS
from ..errors import InputTypeError
from ..trajectory import Trajectory
from ._common import network_parts, safe_exp

__all__ = ["TrajectoryBound", "trajectory_bound"]


@dataclass(frozen=True, kw_only=True, slots=True)
class TrajectoryBound:
    r"""Certified per-step norms along one trajectory; bounds for any window :math:`(k, t]`.

    Attributes
    ----------
    log_step_norms : numpy.ndarray, shape (T,)
        :math:`\log\|J_i\|_2` for steps i = 1..T (entry i-1).
    log_step_lower : numpy.ndarray, shape (T,)
        :math:`\log(\min_j|f'(\cdot)_{ij}|\,\sigma_{\min}(W_{hh}))`, a lower bound of
        :math:`\log\sigma_{\min}(J_i)` (``-inf`` when trivial).
    form : str
        Network form of the Jacobians.
    activation : str
        Activation name.
    """

    __repr__ = summary_repr

    log_step_norms: np.ndarray
    log_step_lower: np.ndarray
    form: str
    activation: str

    def __post_init__(self) -> None:
        freeze_arrays(self)

    @property
    def n_steps(self) -> int:
        """Trajectory length T."""
        return int(self.log_step_norms.size)

    @property
    def log_rate(self) -> float:
        r"""Mean of :math:`\log\|J_i\|_2`: an upper bound on the trajectory's top Lyapunov
        exponent estimate :math:`\frac1T\log\|\partial h_T/\partial h_0\|_2`."""
        return float(np.mean(self.log_step_norms))

    def _window(self, t: int, k: int) -> slice:
        T = self.n_steps
        t = int(_validate.real_number(t, "t", minimum=0))
        k = int(_validate.real_number(k, "k", minimum=0))
        if t > T or k > t:
            raise _validate.fail("(k, t)", f"integers with 0 <= k <= t <= {T}", repr((k, t)))
        return slice(k, t)

    def log_bound(self, t: int, k: int) -> float:
        r""":math:`\sum_{i=k+1}^{t}\log\|J_i\|_2 \ge \log\|\partial h_t/\partial h_k\|_2`.

        Parameters
        ----------
        t : int
            Later time, 0 ≤ k ≤ t ≤ T.
        k : int
            Earlier time.

        Returns
        -------
        float
            The log-bound (a sum of logs: no under- or overflow for any T).
        """
        return float(np.sum(self.log_step_norms[self._window(t, k)]))

    def bound(self, t: int, k: int) -> float:
        r"""Certified :math:`\|\partial h_t/\partial h_k\|_2 \le \prod_{i=k+1}^{t}\|J_i\|_2`.

        Parameters
        ----------
        t : int
            Later time, 0 ≤ k ≤ t ≤ T.
        k : int
            Earlier time.

        Returns
        -------
        float
            The bound (``inf``/0 outside float range: use :meth:`log_bound` there).
        """
        return safe_exp(self.log_bound(t, k))

    def log_lower_bound(self, t: int, k: int) -> float:
        r""":math:`\sum_{i=k+1}^{t}\log(\min_j|d_{ij}|\,\sigma_{\min}(W))
        \le \log\|\partial h_t/\partial h_k\|_2`.

        Parameters
        ----------
        t : int
            Later time, 0 ≤ k ≤ t ≤ T.
        k : int
            Earlier time.

        Returns
        -------
        float
            The log lower bound (``-inf`` when trivial).
        """
        return float(np.sum(self.log_step_lower[self._window(t, k)]))

    def log_bounds_to(self, t: int) -> np.ndarray:
        r"""Log-bounds for every window ending at t: entry k is :meth:`log_bound` ``(t, k)``.

        Parameters
        ----------
        t : int
            Later time, 0 ≤ t ≤ T.

        Returns
        -------
        numpy.ndarray, shape (t + 1,)
            For k = 0..t (the last entry, k = t, is 0).
        """
        steps = self.log_step_norms[self._window(t, 0)]
        return np.append(np.cumsum(steps[::-1])[::-1], 0.0)


def trajectory_bound(W_hh_or_network: Any, preactivations: Any = None, *,
                     activation: str | Activation | None = None,
                     form: str | None = None) -> TrajectoryBound:
    r"""Certified bound :math:`\prod_i \|J_i\|_2` along a given trajectory (much tighter).

    Parameters
    ----------
    W_hh_or_network : Trajectory, ElmanNetwork or array_like, shape (n, n)
        A trajectory of one network (from :func:`gradtheory.simulate`: its own Jacobians are
        bounded, and the other arguments must be omitted), a network, or its recurrent matrix
        (dense).
    preactivations : array_like, shape (T, n), optional
        With a network or matrix (required then): row i-1 is the argument of f in step i,
        i = 1..T: for ``form="elman"`` the pre-activations
        :math:`a_i = W_{hh}h_{i-1} + W_{xh}x_i + b_h`; for ``"pascanu"`` the previous states
        :math:`h_{i-1}` (as :math:`J_i = W_{hh}\operatorname{diag}(f'(h_{i-1}))`); this is
        ``Trajectory.slope_arguments``.
    activation : str or Activation or None, optional
        Default: the network's, or ``"tanh"`` for a matrix (must agree with a network's).
    form : {"elman", "pascanu"} or None, optional
        Default: the network's, or ``"elman"`` for a matrix (must agree with a network's).

    Returns
    -------
    TrajectoryBound
        Per-step log-norms; ``.log_bound(t, k)``, ``.bound(t, k)`` and lower bounds.

    Raises
    ------
    ValidationError
        On shapes that do not match, non-finite values, or a disagreeing activation/form.

    Notes
    -----
    .. math::

        \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2 \le \prod_{i=k+1}^{t}\|J_i\|_2
        \le (\gamma\sigma_{\max})^{t-k},
        \qquad J_i = \operatorname{diag}(f'(a_i))\,W_{hh} \ \text{(elman)}.

    Rigorous in exact arithmetic (submultiplicativity). In floating point it is certified only
    up to rounding: the computed per-step norms carry a relative error of a few
    :math:`n\varepsilon` (symmetric eigensolver on :math:`D\,WW^{\top}D`), and summing the
    logs adds an absolute error of about :math:`\varepsilon\sum_i|\log\|J_i\|_2|`, so the
    computed bound is within a relative :math:`(t-k)\,n\varepsilon +
    \varepsilon\sum_i|\log\|J_i\|_2|` of the exact one (either side). Sums of logs never
    under- or overflow (T = 100,000 is routine).

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory.spectral import bounds
    >>> W = np.array([[0.0, 2.0], [0.5, 0.0]])
    >>> a = np.array([[3.0, 0.0], [3.0, 0.0]])  # tanh'(3) ~ 0.0099 damps the 2 in row 0
    >>> tb = trajectory_bound(W, a)
    >>> round(tb.bound(2, 0), 4), bounds(W).lag_bound(2)  # certified vs global (gamma sigma)^2
    (0.25, 4.0)
    """
    if isinstance(W_hh_or_network, Trajectory):
        traj = W_hh_or_network
        for name, value in (("preactivations", preactivations), ("activation", activation),
                            ("form", form)):
            if value is not None:
                raise _validate.fail(name, "None when a Trajectory is given",
                                     _validate.describe(value))
        if traj.batched:
            raise _validate.fail("W_hh_or_network", "a trajectory of one network",
                                 "a batch of networks")
        J, frm, n = traj.step_jacobians(), traj.form, traj.state_size
        nonlinearity = traj.cell.nonlinearity
    else:
        W, act, frm = network_parts(W_hh_or_network, activation, form)
        if sps.issparse(W):
            W = np.asarray(W.toarray())
        n = W.shape[0]
        if preactivations is None:
            raise _validate.fail("preactivations", f"an array of shape (T, {n}) with a "
                                 "network or matrix", "None", cls=InputTypeError)
        A = _validate.real_array(preactivations, "preactivations", ndim=2, shape=(None, n))
        # Build the cell's own Jacobian operator from the slopes: no branch on the form here.
        J = CELLS[frm].JACOBIAN(np.abs(act.df(A)), np.asarray(W))
        nonlinearity = act.name
    with small_problem_threads(n):
        log_norms = J.log_norm_bound()
        lower = J.log_singular_lower_bound()
    return TrajectoryBound(log_step_norms=log_norms, log_step_lower=lower, form=frm,
                           activation=nonlinearity)
