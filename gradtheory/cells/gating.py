r"""What the gated cells share: sizes, the input part of the gates, and one step.

A gated cell's state is ``BLOCKS`` blocks of n units (the LSTM's ``("h", "c")``, the GRU's
``("h",)``); its G gate pre-activations take the input through one stacked matrix,
:math:`W_{xh} x_t + b` with :math:`W_{xh}` of shape (G n, m) and the bias named by the row
``INPUT_BIAS``. Each cell supplies ``recur`` (one step from a precomputed input part), its
Jacobian and its parameter terms.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

__all__ = ["GatedCell"]


def rows(v: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``v @ W.T`` over leading axes (W may carry a leading batch axis matching v's)."""
    return np.matmul(v[..., None, :], np.swapaxes(W, -1, -2))[..., 0, :]


class GatedCell:
    """The shared part of :class:`~gradtheory.cells.LSTMCell` and
    :class:`~gradtheory.cells.GRUCell` (a base class: not a cell by itself)."""

    __slots__ = ()

    W_hh: np.ndarray
    W_xh: np.ndarray
    #: State blocks, in order (the recurrent weights read the first, h).
    BLOCKS: ClassVar[tuple[str, ...]] = ("h",)
    #: The name of the bias added to the input part of the gates.
    INPUT_BIAS: ClassVar[str] = "b_h"

    @property
    def n_hidden(self) -> int:
        """Units n per block."""
        return int(self.W_hh.shape[-1])

    @property
    def n_input(self) -> int:
        """Input size m."""
        return int(self.W_xh.shape[-1])

    @property
    def state_size(self) -> int:
        """N = (number of blocks) × n."""
        return len(self.BLOCKS) * self.n_hidden

    @property
    def nonlinearity(self) -> str:
        """The nonlinearities in words: sigmoid gates, tanh candidate."""
        return "sigmoid gates, tanh"

    def drive(self, x: np.ndarray) -> np.ndarray:
        r"""The input part :math:`W_{xh} x_t + b` of the gates of every step at once.

        Parameters
        ----------
        x : numpy.ndarray, shape (T, m), or (B, T, m) for a batched cell
            Inputs.

        Returns
        -------
        numpy.ndarray, shape (T, G n) or (B, T, G n)
            One GEMM for all steps.
        """
        b = getattr(self, self.INPUT_BIAS)
        return np.matmul(x, np.swapaxes(self.W_xh, -1, -2)) \
            + (b[..., None, :] if self.W_xh.ndim == 3 else b)

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One step from the input part (each cell's own equations).

        Parameters
        ----------
        state : numpy.ndarray, shape (..., N)
            :math:`s_{t-1}`.
        drive : numpy.ndarray, shape (..., G n)
            This step's row of :meth:`drive`.

        Returns
        -------
        tuple
            :math:`s_t` and the cell's cache entries.
        """
        raise NotImplementedError  # pragma: no cover  (each subclass is its own row)

    def step(self, state: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """One step: ``(next state, cache)``, over any leading axes.

        Parameters
        ----------
        state : numpy.ndarray, shape (..., N)
            :math:`s_{t-1}`.
        x : numpy.ndarray, shape (..., m)
            :math:`x_t`.

        Returns
        -------
        tuple
            :math:`s_t` and the cache ``{"s_prev", "x"}`` plus the cell's ``CACHE`` entries.
        """
        s, entries = self.recur(state, self.drive(x[..., None, :])[..., 0, :])
        return s, {"s_prev": state, "x": x, **entries}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_hidden={self.n_hidden}, n_input={self.n_input})"
