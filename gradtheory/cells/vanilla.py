r"""What the two vanilla cells share: the parameters (W_hh, W_xh, b_h), the input drive and a
weight-only bound.

Both cells obey :math:`\|J_t\|_2 \le \gamma\,\sigma_{\max}(W_{hh})` with
:math:`\gamma = \sup|f'|` (Pascanu et al. 2013, §2.1), since :math:`J_t` is a diagonal matrix
with entries in :math:`[-\gamma, \gamma]` times :math:`W_{hh}`, on one side or the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from ..activations import Activation
from .base import Parameter

__all__: list[str] = []  # private: the cells are ElmanCell and PascanuCell

_PARAMETERS = (
    Parameter("W_hh", ("n", "n"), "recurrent", "recurrent weights"),
    Parameter("W_xh", ("n", "m"), "input", "input weights"),
    Parameter("b_h", ("n",), "bias", "hidden bias"),
)


@dataclass(frozen=True, slots=True, eq=False)
class VanillaCell:
    """Shared fields and methods of :class:`ElmanCell` and :class:`PascanuCell`.

    Arrays are taken as given (the network validated them); a leading axis of B stacks the
    cells of a batch (see :func:`gradtheory.cells.stack`).
    """

    W_hh: np.ndarray
    W_xh: np.ndarray
    b_h: np.ndarray
    activation: Activation

    NAME: ClassVar[str] = ""
    EQUATION: ClassVar[str] = ""
    PARAMETERS: ClassVar[tuple[Parameter, ...]] = _PARAMETERS
    #: Per-step arrays the cell needs later (besides h_prev and x), kept by the trajectory.
    CACHE: ClassVar[tuple[str, ...]] = ("a",)
    #: The name of the initial state among the network's parameters.
    INITIAL_STATE: ClassVar[str] = "h_0"
    #: The operator class of J_t, and the cache entry where f' is taken (each cell's row).
    JACOBIAN: ClassVar[type] = type(None)
    SLOPE_AT: ClassVar[str] = ""

    @property
    def batched(self) -> bool:
        """Whether the parameters carry a leading batch axis."""
        return self.W_hh.ndim == 3

    @property
    def nonlinearity(self) -> str:
        """The nonlinearity in words: the activation's name."""
        return self.activation.name

    @property
    def n_hidden(self) -> int:
        """State size n."""
        return int(self.W_hh.shape[-1])

    @property
    def n_input(self) -> int:
        """Input size m."""
        return int(self.W_xh.shape[-1])

    def drive(self, x: np.ndarray) -> np.ndarray:
        r"""The input part :math:`W_{xh} x_t + b_h` of every step at once.

        Parameters
        ----------
        x : numpy.ndarray, shape (T, m), or (B, T, m) for a batched cell
            Inputs.

        Returns
        -------
        numpy.ndarray, shape (T, n) or (B, T, n)
            ``x @ W_xh.T + b_h`` (one GEMM for all steps).
        """
        b = self.b_h[..., None, :] if self.batched else self.b_h
        return np.matmul(x, np.swapaxes(self.W_xh, -1, -2)) + b

    def step(self, state: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """One step from ``state`` with input ``x``: ``(next state, cache)``.

        Parameters
        ----------
        state : numpy.ndarray, shape (B, n) for a batched cell, (n,) otherwise
            :math:`h_{t-1}`.
        x : numpy.ndarray, shape (B, m) or (m,)
            :math:`x_t`.

        Returns
        -------
        tuple
            :math:`h_t` and the cache ``{"h_prev", "x", "a"}`` that :meth:`jacobian` and
            :meth:`param_vjp` take.
        """
        u = self.drive(x[..., None, :])[..., 0, :]
        h, entries = self.recur(state, u)
        return h, {"s_prev": state, "h_prev": state, "x": x, **entries}

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One step with the input part precomputed by :meth:`drive`: ``(h_t, {"a": a_t})``.

        Parameters
        ----------
        state : numpy.ndarray, shape (B, n)
            :math:`h_{t-1}`.
        drive : numpy.ndarray, shape (B, n)
            A row of :meth:`drive`.

        Returns
        -------
        tuple
            :math:`h_t` and the cache entries ``{"a": a_t}``.
        """
        raise NotImplementedError  # pragma: no cover  (each subclass is its own row)

    def slope_arguments(self, cache: Mapping[str, np.ndarray]) -> np.ndarray:
        """Where f' is taken in :math:`J_t` (one cache entry; each subclass names it).

        Parameters
        ----------
        cache : mapping
            The steps' caches.

        Returns
        -------
        numpy.ndarray
            ``cache[SLOPE_AT]``: :math:`a_t` (Elman) or :math:`h_{t-1}` (Pascanu form).
        """
        return cache[self.SLOPE_AT]

    def jacobian(self, cache: Mapping[str, np.ndarray]) -> Any:
        r""":math:`J_t` for every step of ``cache`` (batched over its leading axes).

        Parameters
        ----------
        cache : mapping
            The steps' caches (only the slope argument is read), shape batch + (n,).

        Returns
        -------
        StepJacobian
            ``JACOBIAN(f'(slope argument), W_hh)``: diag(d)·W or W·diag(d), by the row.
        """
        return self.JACOBIAN(self.activation.df(self.slope_arguments(cache)), self.W_hh)

    @classmethod
    def symbolic(cls) -> Any:
        """The cell's symbolic row: the SymPy single step and the ordered factor kinds of
        :math:`J_i`, for :mod:`gradtheory.symbolic` (SymPy is used only by its callers).

        Returns
        -------
        SymbolicStep
            ``gradtheory.cells.symbolic.SYMBOLIC_STEPS[NAME]``.
        """
        from .symbolic import symbolic_step

        return symbolic_step(cls.NAME)

    def step_bound(self) -> float:
        r""":math:`\gamma\,\sigma_{\max}(W_{hh})`, a bound on every :math:`\|J_t\|_2`.

        Returns
        -------
        float
            The bound (for one network; a batched cell raises ``ValueError`` from NumPy).
        """
        return self.activation.gamma * float(np.linalg.norm(self.W_hh, 2))

    def _matmul_rows(self, rows: np.ndarray) -> np.ndarray:
        """``rows @ W_hh.T``: for a batched cell, (B, n) rows and one batched product."""
        if not self.batched:
            return rows @ self.W_hh.T
        return np.matmul(rows[:, None, :], np.swapaxes(self.W_hh, 1, 2))[:, 0]

    @staticmethod
    def _outer(g: np.ndarray, v: np.ndarray, summed: bool) -> np.ndarray:
        """Per-step outer products g_k v_kᵀ (leading axes kept), or their sum over steps."""
        if summed:
            return g.T @ v
        return g[..., :, None] * v[..., None, :]

    def __repr__(self) -> str:
        batch = f", batch={self.W_hh.shape[0]}" if self.batched else ""
        return (f"{type(self).__name__}(n_hidden={self.n_hidden}, n_input={self.n_input}, "
                f"activation={self.activation.name!r}{batch})")
