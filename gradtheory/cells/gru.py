r"""The GRU cell, in PyTorch's equations and gate order (r, z, n):

.. math::

    r = \sigma(W_{xr} x + b_{xr} + W_{hr} h + b_{hr}), \quad
    z = \sigma(W_{xz} x + b_{xz} + W_{hz} h + b_{hz}), \\
    n = \tanh(W_{xn} x + b_{xn} + r \odot (W_{hn} h + b_{hn})), \qquad
    h_t = (1 - z) \odot n + z \odot h_{t-1}.

PyTorch (and cuDNN) put :math:`b_{hn}` *inside* :math:`r \odot (\cdot)`; other frameworks
(Keras' default ``reset_after=False``, Cho et al. 2014) apply r before the product, and their
weights do not load here unchanged. :math:`W_{hh}` = ``weight_hh`` (3n, n),
:math:`W_{xh}` = ``weight_ih`` (3n, m), ``b_xh`` = ``bias_ih``, ``b_hh`` = ``bias_hh`` (both
kept: :math:`b_{hn}` is not interchangeable with :math:`b_{xn}`). With
:math:`q = W_{hn} h + b_{hn}`, the one-step Jacobian (a
:class:`~gradtheory.cells.gated.GatedJacobian`, S = 1, G = 3) is

.. math::

    \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(z)
    + \operatorname{diag}\big((1-z)(1-n^2)\,q\,r(1-r)\big) W_{hr}
    + \operatorname{diag}\big((h_{t-1}-n)\,z(1-z)\big) W_{hz}
    + \operatorname{diag}\big((1-z)(1-n^2)\,r\big) W_{hn}.

References
----------
Cho, K. et al. (2014). Learning phrase representations using RNN encoder-decoder for
statistical machine translation. EMNLP.
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

__all__ = ["GRUCell"]


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class GRUCell(GatedCell):
    """A GRU cell (PyTorch's ``nn.GRUCell`` equations); state h of size n.

    Parameters
    ----------
    W_hh : numpy.ndarray, shape (3n, n)
        Recurrent weights, gate blocks r, z, n.
    W_xh : numpy.ndarray, shape (3n, m)
        Input weights.
    b_xh : numpy.ndarray, shape (3n,)
        Input-side bias (``bias_ih``).
    b_hh : numpy.ndarray, shape (3n,)
        Hidden-side bias (``bias_hh``; its n-block sits inside r ⊙ (·)).

    Examples
    --------
    >>> import numpy as np
    >>> cell = GRUCell(np.zeros((3, 1)), np.zeros((3, 1)), np.zeros(3), np.zeros(3))
    >>> h, cache = cell.step(np.array([0.8]), np.zeros(1))
    >>> h, cell.jacobian(cache).dense()                    # z = 1/2, n = 0: h/2, dh/dh = z
    (array([0.4]), array([[0.5]]))
    """

    W_hh: np.ndarray
    W_xh: np.ndarray
    b_xh: np.ndarray
    b_hh: np.ndarray

    NAME: ClassVar[str] = "gru"
    EQUATION: ClassVar[str] = ("h_t = (1-z)*n + z*h_{t-1}, "
                               "n = tanh(W_xn x + b_xn + r*(W_hn h + b_hn))")
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = (
        Parameter("W_hh", ("3n", "n"), "recurrent", "recurrent weights (gates r, z, n)"),
        Parameter("W_xh", ("3n", "m"), "input", "input weights (gates r, z, n)"),
        Parameter("b_xh", ("3n",), "bias", "input-side bias (bias_ih)"),
        Parameter("b_hh", ("3n",), "bias", "hidden-side bias (bias_hh)"),
    )
    CACHE: ClassVar[tuple[str, ...]] = ("gates", "q")
    #: The name of the initial state among the network's parameters.
    INITIAL_STATE: ClassVar[str] = "h_0"
    INPUT_BIAS: ClassVar[str] = "b_xh"

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One step with the input part precomputed by :meth:`drive`.

        Parameters
        ----------
        state : numpy.ndarray, shape (..., n)
            :math:`h_{t-1}`.
        drive : numpy.ndarray, shape (..., 3n)
            This step's row of :meth:`drive`.

        Returns
        -------
        tuple
            :math:`h_t` and the cache entries ``{"gates": (r, z, n), "q": W_hn h + b_hn}``.
        """
        n = self.n_hidden
        gi = drive.reshape(*drive.shape[:-1], 3, n)
        gh = (rows(state, self.W_hh) + self.b_hh).reshape(*state.shape[:-1], 3, n)
        r = expit(gi[..., 0, :] + gh[..., 0, :])
        z = expit(gi[..., 1, :] + gh[..., 1, :])
        q = gh[..., 2, :]
        cand = np.tanh(gi[..., 2, :] + r * q)
        h_new = (1.0 - z) * cand + z * state
        return h_new, {"gates": np.stack([r, z, cand], axis=-2), "q": q}

    def _coefficients(self, cache: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
        gates, h = cache["gates"], cache["s_prev"]
        r, z, cand = (gates[..., k, :] for k in range(3))
        m = (1.0 - z) * (1.0 - cand**2)              # d h_t / d (n's pre-activation)
        b = np.stack([m * cache["q"] * r * (1.0 - r), (h - cand) * z * (1.0 - z), m * r],
                     axis=-2)
        return b, z, m

    def jacobian(self, cache: Mapping[str, np.ndarray]) -> GatedJacobian:
        r""":math:`\partial h_t/\partial h_{t-1}` for every step of the cache (module notes).

        Parameters
        ----------
        cache : mapping
            ``"s_prev"``, ``"gates"``, ``"q"`` with leading step axes.

        Returns
        -------
        GatedJacobian
            S = 1 block, G = 3 gates.
        """
        b, z, _ = self._coefficients(cache)
        return GatedJacobian(b[..., None, :, :], z[..., None, None, :], self.W_hh)

    def param_vjp(self, cache: Mapping[str, np.ndarray], delta: np.ndarray, *,
                  summed: bool = False) -> dict[str, np.ndarray]:
        r"""The immediate :math:`(\partial^+ h_t/\partial\theta)^\top\delta_t` of every parameter.

        Parameters
        ----------
        cache : mapping
            The steps' caches (leading step axes).
        delta : numpy.ndarray, shape (..., n)
            :math:`\delta_t = \partial E/\partial h_t`.
        summed : bool, optional
            Sum over the leading (step) axis of 2-D arrays (default False).

        Returns
        -------
        dict of str to numpy.ndarray
            The hidden side sees the gates' adjoint :math:`\bar w = B^\top\delta`; the input
            side the same, except in the n-block, where r does not multiply:
            :math:`\bar\imath_n = (1-z)(1-n^2)\,\delta`.
        """
        b, _, m = self._coefficients(cache)
        w_bar = b * delta[..., None, :]
        i_bar = w_bar.copy()
        i_bar[..., 2, :] = m * delta
        n3 = 3 * self.n_hidden
        w_bar, i_bar = w_bar.reshape(*w_bar.shape[:-2], n3), i_bar.reshape(*i_bar.shape[:-2], n3)
        h, x = cache["s_prev"], cache["x"]
        if summed:
            return {"W_hh": w_bar.T @ h, "W_xh": i_bar.T @ x, "b_xh": i_bar.sum(axis=0),
                    "b_hh": w_bar.sum(axis=0)}
        return {"W_hh": w_bar[..., :, None] * h[..., None, :],
                "W_xh": i_bar[..., :, None] * x[..., None, :], "b_xh": i_bar, "b_hh": w_bar}

