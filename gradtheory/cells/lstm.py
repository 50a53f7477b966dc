r"""The LSTM cell, in PyTorch's equations and gate order (i, f, g, o):

.. math::

    z_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h, \quad
    (i, f, g, o) = (\sigma(z_i), \sigma(z_f), \tanh(z_g), \sigma(z_o)), \\
    c_t = f \odot c_{t-1} + i \odot g, \qquad h_t = o \odot \tanh(c_t),

with :math:`W_{hh}` = ``weight_hh`` (4n, n), :math:`W_{xh}` = ``weight_ih`` (4n, m) and
:math:`b_h` = ``bias_ih + bias_hh`` (only their sum enters). The state is
:math:`s_t = (h_t, c_t)`, and the one-step Jacobian is a :class:`~gradtheory.cells.gated.
GatedJacobian` with S = 2 blocks and G = 4 gates. With :math:`\kappa = o\odot(1-\tanh^2 c_t)`,

.. math::

    \frac{\partial c_t}{\partial c_{t-1}} = \operatorname{diag}(f), \quad
    \frac{\partial c_t}{\partial h_{t-1}} = \sum_{q \in \{i,f,g\}} \operatorname{diag}(u_q) W_q,
    \quad u_i = g\,i(1-i),\ u_f = c_{t-1} f(1-f),\ u_g = i(1-g^2), \\
    \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(\tanh(c_t)\,o(1-o)) W_o
    + \operatorname{diag}(\kappa)\frac{\partial c_t}{\partial h_{t-1}}, \quad
    \frac{\partial h_t}{\partial c_{t-1}} = \operatorname{diag}(\kappa \odot f).

On the cell path the repeated factor is the gate value :math:`\operatorname{diag}(f_t)`, not a
weight matrix: :math:`W_{hh}` enters only through the gates.

References
----------
Hochreiter, S. and Schmidhuber, J. (1997). Long short-term memory. Neural Computation 9(8).
Gers, F. A., Schmidhuber, J. and Cummins, F. (2000). Learning to forget. Neural Computation 12.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.special import expit

from .base import Parameter
from .gated import GatedJacobian
from .gating import GatedCell, rows

__all__ = ["LSTMCell"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class LSTMCell(GatedCell):
    """An LSTM cell (PyTorch's ``nn.LSTMCell`` equations); state ``[h, c]`` of size 2n.

    Parameters
    ----------
    W_hh : numpy.ndarray, shape (4n, n)
        Recurrent weights, gate blocks i, f, g, o.
    W_xh : numpy.ndarray, shape (4n, m)
        Input weights.
    b_h : numpy.ndarray, shape (4n,)
        Bias (PyTorch's ``bias_ih + bias_hh``).

    Examples
    --------
    >>> import numpy as np
    >>> cell = LSTMCell(np.zeros((8, 2)), np.zeros((8, 1)), np.zeros(8))
    >>> s, cache = cell.step(np.array([0.0, 0.0, 1.0, -1.0]), np.zeros(1))
    >>> s                                                  # c = f c = c/2, h = o tanh(c)
    array([ 0.23105858, -0.23105858,  0.5       , -0.5       ])
    >>> cell.jacobian(cache).dense()[2:, 2:]               # dc_t/dc_(t-1) = diag(f)
    array([[0.5, 0. ],
           [0. , 0.5]])
    """

    W_hh: np.ndarray
    W_xh: np.ndarray
    b_h: np.ndarray

    NAME: ClassVar[str] = "lstm"
    EQUATION: ClassVar[str] = ("c_t = f*c_{t-1} + i*g, h_t = o*tanh(c_t), "
                               "(i,f,g,o) = gates(W_hh h_{t-1} + W_xh x_t + b_h)")
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("W_hh", ("4n", "n"), "recurrent", "recurrent weights (gates i, f, g, o)"),
        Parameter("W_xh", ("4n", "m"), "input", "input weights (gates i, f, g, o)"),
        Parameter("b_h", ("4n",), "bias", "gate bias (bias_ih + bias_hh)"),
    )
    #: State blocks, in order (the recurrent weights read the first).
    BLOCKS: ClassVar[tuple[str, ...]] = ("h", "c")
    CACHE: ClassVar[tuple[str, ...]] = ("gates", "c")
    #: The name of the initial state among the network's parameters.
    INITIAL_STATE: ClassVar[str] = "s_0"

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One step with the input part precomputed by :meth:`drive`.

        Parameters
        ----------
        state : numpy.ndarray, shape (..., 2n)
            :math:`s_{t-1} = [h_{t-1}, c_{t-1}]`.
        drive : numpy.ndarray, shape (..., 4n)
            This step's row of :meth:`drive`.

        Returns
        -------
        tuple
            :math:`s_t` and the cache entries ``{"gates": (i, f, g, o), "c": c_t}``.
        """
        n = self.n_hidden
        h, c = state[..., :n], state[..., n:]
        z = rows(h, self.W_hh) + drive
        z = z.reshape(*z.shape[:-1], 4, n)
        i, f, o = expit(z[..., 0, :]), expit(z[..., 1, :]), expit(z[..., 3, :])
        g = np.tanh(z[..., 2, :])
        c_new = f * c + i * g
        h_new = o * np.tanh(c_new)
        return (np.concatenate([h_new, c_new], axis=-1),
                {"gates": np.stack([i, f, g, o], axis=-2), "c": c_new})

    def jacobian(self, cache: Mapping[str, np.ndarray]) -> GatedJacobian:
        r""":math:`\partial s_t/\partial s_{t-1}` for every step of the cache (module notes).

        Parameters
        ----------
        cache : mapping
            ``"s_prev"``, ``"gates"``, ``"c"`` with leading step axes.

        Returns
        -------
        GatedJacobian
            S = 2 blocks (h, c), G = 4 gates.
        """
        n = self.n_hidden
        gates, c_prev = cache["gates"], cache["s_prev"][..., n:]
        i, f, g, o = (gates[..., q, :] for q in range(4))
        tc = np.tanh(cache["c"])
        kappa = o * (1.0 - tc**2)
        u = np.stack([g * i * (1.0 - i), c_prev * f * (1.0 - f), i * (1.0 - g**2),
                      np.zeros_like(i)], axis=-2)                          # dc/dz
        dh = kappa[..., None, :] * u
        dh[..., 3, :] = tc * o * (1.0 - o)                                 # dh/dz
        b = np.stack([dh, u], axis=-3)
        zero = np.zeros_like(f)
        d = np.stack([np.stack([zero, kappa * f], axis=-2),
                      np.stack([zero, f], axis=-2)], axis=-3)
        return GatedJacobian(b, d, self.W_hh)

    def param_vjp(self, cache: Mapping[str, np.ndarray], delta: np.ndarray, *,
                  summed: bool = False) -> dict[str, np.ndarray]:
        r"""The immediate :math:`(\partial^+ s_t/\partial\theta)^\top\delta_t` of every parameter.

        Parameters
        ----------
        cache : mapping
            The steps' caches (leading step axes).
        delta : numpy.ndarray, shape (..., 2n)
            :math:`\delta_t = \partial E/\partial s_t`.
        summed : bool, optional
            Sum over the leading (step) axis of 2-D arrays (default False).

        Returns
        -------
        dict of str to numpy.ndarray
            With :math:`\bar z = B^\top\delta` the gate pre-activations' adjoint:
            ``{"W_hh": z̄ h_prevᵀ, "W_xh": z̄ xᵀ, "b_h": z̄}``.
        """
        zbar = self.jacobian(cache).gate_adjoint(delta)
        h_prev = cache["s_prev"][..., :self.n_hidden]
        return _outer_terms(zbar, zbar, h_prev, cache["x"], summed)



def _outer_terms(z_hidden: np.ndarray, z_input: np.ndarray, h_prev: np.ndarray,
                 x: np.ndarray, summed: bool) -> dict[str, np.ndarray]:
    """The recurrent, input and bias terms from the gates' adjoints (hidden and input side)."""
    if summed:
        return {"W_hh": z_hidden.T @ h_prev, "W_xh": z_input.T @ x,
                "b_h": z_input.sum(axis=0)}
    return {"W_hh": z_hidden[..., :, None] * h_prev[..., None, :],
            "W_xh": z_input[..., :, None] * x[..., None, :], "b_h": z_input}
