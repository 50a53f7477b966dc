r"""The Elman cell (Elman 1990):

.. math::

    a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h, \qquad h_t = f(a_t), \qquad
    J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(f'(a_t))\, W_{hh}.

The immediate derivatives applied to an error signal :math:`\delta_t = \partial E/\partial h_t`
(with :math:`g_t = \delta_t \odot f'(a_t)`) are

.. math::

    \frac{\partial^+ h_t}{\partial W_{hh}}{}^{\!\top}\delta_t = g_t h_{t-1}^\top, \quad
    \frac{\partial^+ h_t}{\partial W_{xh}}{}^{\!\top}\delta_t = g_t x_t^\top, \quad
    \frac{\partial^+ h_t}{\partial b_h}{}^{\!\top}\delta_t = g_t.

References
----------
Elman, J. L. (1990). Finding structure in time. Cognitive Science 14(2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .operators import DiagTimesMatrix
from .vanilla import VanillaCell

__all__ = ["ElmanCell"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class ElmanCell(VanillaCell):
    """:math:`h_t = f(W_{hh} h_{t-1} + W_{xh} x_t + b_h)`; :math:`J_t = \\operatorname{diag}
    (f'(a_t)) W_{hh}`.

    Parameters
    ----------
    W_hh : numpy.ndarray, shape (n, n) or (B, n, n)
        Recurrent weights.
    W_xh : numpy.ndarray, shape (n, m) or (B, n, m)
        Input weights.
    b_h : numpy.ndarray, shape (n,) or (B, n)
        Hidden bias.
    activation : Activation
        The row of f in the activation table.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import get_activation
    >>> cell = ElmanCell(0.5 * np.eye(2), np.eye(2), np.zeros(2), get_activation("identity"))
    >>> h, cache = cell.step(np.ones(2), np.zeros(2))
    >>> h, cell.jacobian(cache).dense()
    (array([0.5, 0.5]), array([[0.5, 0. ],
           [0. , 0.5]]))
    """

    NAME: ClassVar[str] = "elman"
    JACOBIAN: ClassVar[type] = DiagTimesMatrix
    SLOPE_AT: ClassVar[str] = "a"          # f' is taken at a_t
    EQUATION: ClassVar[str] = "h_t = f(W_hh h_{t-1} + W_xh x_t + b_h)"

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """``a = h W_hhᵀ + drive``, ``h = f(a)``, for (B, n) states of a batched cell.

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
        a = self._matmul_rows(state) + drive
        return self.activation.f(a), {"a": a}

    def param_vjp(self, cache: Mapping[str, np.ndarray], delta: np.ndarray, *,
                  summed: bool = False) -> dict[str, np.ndarray]:
        r"""The immediate :math:`(\partial^+ h_t/\partial\theta)^\top\delta_t` of W_hh, W_xh, b_h.

        Parameters
        ----------
        cache : mapping
            ``"h_prev"``, ``"x"``, ``"a"``, each with leading step axes.
        delta : numpy.ndarray, shape like ``cache["a"]``
            :math:`\delta_t = \partial E/\partial h_t`.
        summed : bool, optional
            Sum over the leading (step) axis of 2-D caches with one product each
            (default False: one term per step).

        Returns
        -------
        dict of str to numpy.ndarray
            ``{"W_hh": g h_prevᵀ, "W_xh": g xᵀ, "b_h": g}`` with :math:`g = \delta\odot f'(a)`.
        """
        g = delta * self.activation.df(cache["a"])
        return {"W_hh": self._outer(g, cache["h_prev"], summed),
                "W_xh": self._outer(g, cache["x"], summed),
                "b_h": g.sum(axis=0) if summed else g}
