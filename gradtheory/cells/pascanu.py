r"""The Pascanu form of the vanilla cell (Pascanu, Mikolov & Bengio 2013, eq. 11:
:math:`x_t = W_{rec}\sigma(x_{t-1}) + W_{in}u_t + b`):

.. math::

    h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h, \qquad
    J_t = \frac{\partial h_t}{\partial h_{t-1}} = W_{hh}\operatorname{diag}(f'(h_{t-1})).

The state is itself the next argument of f, so the cache keeps :math:`a_t = h_t`. Immediate
derivatives applied to :math:`\delta_t`: :math:`\delta_t f(h_{t-1})^\top` (W_hh),
:math:`\delta_t x_t^\top` (W_xh), :math:`\delta_t` (b_h).

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .operators import MatrixTimesDiag
from .vanilla import VanillaCell

__all__ = ["PascanuCell"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class PascanuCell(VanillaCell):
    """:math:`h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h`; :math:`J_t = W_{hh}
    \\operatorname{diag}(f'(h_{t-1}))`.

    Parameters
    ----------
    W_hh : numpy.ndarray, shape (n, n) or (B, n, n)
        Recurrent weights.
    W_xh : numpy.ndarray, shape (n, m) or (B, n, m)
        Input weights.
    b_h : numpy.ndarray, shape (n,) or (B, n)
        Bias.
    activation : Activation
        The row of f in the activation table.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import get_activation
    >>> cell = PascanuCell(np.eye(2), np.eye(2), np.zeros(2), get_activation("tanh"))
    >>> h, cache = cell.step(np.zeros(2), np.ones(2))
    >>> h, cell.jacobian(cache).dense()          # f'(h_0) = tanh'(0) = 1
    (array([1., 1.]), array([[1., 0.],
           [0., 1.]]))
    """

    NAME: ClassVar[str] = "pascanu"
    JACOBIAN: ClassVar[type] = MatrixTimesDiag
    SLOPE_AT: ClassVar[str] = "h_prev"          # f' is taken at h_{t-1}
    EQUATION: ClassVar[str] = "h_t = W_hh f(h_{t-1}) + W_xh x_t + b_h"

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """``h = f(h_prev) W_hhᵀ + drive`` (and ``a = h``), for (B, n) states.

        Parameters
        ----------
        state : numpy.ndarray, shape (B, n)
            :math:`h_{t-1}`.
        drive : numpy.ndarray, shape (B, n)
            :math:`W_{xh}x_t + b_h` (a row of :meth:`drive`).

        Returns
        -------
        tuple
            :math:`h_t` and the cache entries ``{"a": a_t}``.
        """
        a = self._matmul_rows(self.activation.f(state)) + drive
        return a, {"a": a}

    def param_vjp(self, cache: Mapping[str, np.ndarray], delta: np.ndarray, *,
                  summed: bool = False) -> dict[str, np.ndarray]:
        r"""The immediate :math:`(\partial^+ h_t/\partial\theta)^\top\delta_t` of W_hh, W_xh, b_h.

        Parameters
        ----------
        cache : mapping
            ``"h_prev"``, ``"x"``, each with leading step axes.
        delta : numpy.ndarray
            :math:`\delta_t = \partial E/\partial h_t`, shaped like ``cache["h_prev"]``.
        summed : bool, optional
            Sum over the leading (step) axis of 2-D caches (default False).

        Returns
        -------
        dict of str to numpy.ndarray
            ``{"W_hh": δ f(h_prev)ᵀ, "W_xh": δ xᵀ, "b_h": δ}``.
        """
        return {"W_hh": self._outer(delta, self.activation.f(cache["h_prev"]), summed),
                "W_xh": self._outer(delta, cache["x"], summed),
                "b_h": delta.sum(axis=0) if summed else delta}
