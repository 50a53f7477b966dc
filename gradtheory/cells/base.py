r"""What a recurrent cell is: its parameter table and the methods every layer calls.

A cell maps a state and an input to the next state, :math:`s_t = F_\theta(s_{t-1}, x_t)`, and
knows its own mathematics: the one-step Jacobian :math:`J_t = \partial s_t/\partial s_{t-1}` as
a structured operator, the immediate derivative :math:`\partial^+ s_t/\partial\theta` applied
to an error signal, a weight-only bound where a theorem gives one, and its symbolic single
step. Layers call these methods and never ask which cell they hold (a new cell is a new row,
not an ``if`` in every layer).

Parameters are batched like the states: a cell of one network holds ``W_hh`` (n, n); a cell of
a batch of B networks (:func:`stack`) holds ``W_hh`` (B, n, n), and every method then works on
arrays with a leading B axis.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Protocol, runtime_checkable

import numpy as np

from .. import _validate
from ..errors import InputTypeError
from .operators import StepJacobian

__all__ = ["ROLES", "Cell", "Parameter", "stack"]

#: Parameter roles: name -> meaning.
ROLES: Mapping[str, str] = MappingProxyType({
    "recurrent": "multiplies the previous state (repeated once per step of lag in BPTT)",
    "input": "multiplies the input x_t",
    "bias": "added inside the recurrence",
    "readout": "maps the state to the output y_t (acts at lag 0 only)",
    "initial": "the state before the first input (acts at lag t only)",
})


@dataclass(frozen=True, slots=True)
class Parameter:
    """One row of a parameter table.

    Attributes
    ----------
    name : str
        The field name (``"W_hh"``).
    shape : tuple of str
        Symbolic shape over the sizes ``n`` (state), ``m`` (input), ``p`` (output).
    role : str
        A key of :data:`ROLES`.
    description : str
        In words, for tables and help texts.
    """

    name: str
    shape: tuple[str, ...]
    role: str
    description: str


@runtime_checkable
class Cell(Protocol):
    """The protocol every cell follows (see :class:`gradtheory.cells.ElmanCell`)."""

    NAME: ClassVar[str]
    EQUATION: ClassVar[str]
    PARAMETERS: ClassVar[tuple[Parameter, ...]]
    CACHE: ClassVar[tuple[str, ...]]

    @property
    def n_hidden(self) -> int:
        """State size n."""

    @property
    def n_input(self) -> int:
        """Input size m."""

    @property
    def nonlinearity(self) -> str:
        """The cell's nonlinearity in words (an activation's name for the vanilla cells)."""

    def drive(self, x: np.ndarray) -> np.ndarray:
        """The input part of every step at once (one GEMM), for :meth:`recur`.

        Parameters
        ----------
        x : numpy.ndarray, shape (T, m) or (B, T, m)
            Inputs.

        Returns
        -------
        numpy.ndarray
            The drive of each step, shape (T, n) or (B, T, n).
        """

    def recur(self, state: np.ndarray, drive: np.ndarray
              ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One step of a batched cell with the input part precomputed.

        Parameters
        ----------
        state : numpy.ndarray, shape (B, n)
            :math:`s_{t-1}`.
        drive : numpy.ndarray, shape (B, n)
            This step's row of :meth:`drive`.

        Returns
        -------
        tuple
            :math:`s_t` and the step's cache entries ``{name: array}`` (``CACHE``).
        """

    def step(self, state: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
        """One step: ``(next state, cache)``.

        Parameters
        ----------
        state : numpy.ndarray
            :math:`s_{t-1}`.
        x : numpy.ndarray
            :math:`x_t`.

        Returns
        -------
        tuple
            :math:`s_t` and the cache that :meth:`jacobian` and :meth:`param_vjp` take.
        """

    def jacobian(self, cache: Mapping[str, np.ndarray]) -> StepJacobian:
        """:math:`J_t = \\partial s_t/\\partial s_{t-1}` as a structured operator.

        Parameters
        ----------
        cache : mapping
            The steps' caches (leading axes are batch axes of the result).

        Returns
        -------
        StepJacobian
            The operators.
        """

    def param_vjp(self, cache: Mapping[str, np.ndarray], delta: np.ndarray, *,
                  summed: bool = False) -> dict[str, np.ndarray]:
        """The immediate :math:`(\\partial^+ s_t/\\partial\\theta)^\\top\\delta_t` of every
        cell parameter.

        Parameters
        ----------
        cache : mapping
            The steps' caches.
        delta : numpy.ndarray
            :math:`\\delta_t = \\partial E/\\partial s_t` of each step.
        summed : bool, optional
            Sum over the leading (step) axis (default False).

        Returns
        -------
        dict of str to numpy.ndarray
            One entry per row of ``PARAMETERS``.
        """

    @classmethod
    def symbolic(cls) -> Any:
        """The symbolic row (SymPy single step, factor kinds of :math:`J_i`) for ``symbolic/``.

        Returns
        -------
        SymbolicStep
            See :mod:`gradtheory.cells.symbolic`.
        """

    def step_bound(self) -> float | None:
        """A weight-only bound on every :math:`\\|J_t\\|_2`, where a theorem gives one.

        Returns
        -------
        float or None
            The bound, or None when no theorem gives one.
        """


def stack(cells: Sequence[Any]) -> Any:
    """One batched cell from B cells of one kind and equal sizes (parameters stacked on axis 0).

    Parameters
    ----------
    cells : sequence of Cell
        Cells of the same class and activation, with equal parameter shapes.

    Returns
    -------
    Cell
        The same class, every parameter of shape (B, ...).

    Raises
    ------
    ValidationError
        On an empty sequence, mixed classes, activations or shapes.
    """
    if not cells:
        raise _validate.fail("cells", "a non-empty sequence of cells", "an empty one",
                             cls=InputTypeError)
    first = cells[0]
    for other in cells[1:]:
        activation = getattr(getattr(other, "activation", None), "name", None)
        same = type(other) is type(first) \
            and activation == getattr(getattr(first, "activation", None), "name", None) \
            and all(getattr(other, p.name).shape == getattr(first, p.name).shape
                    for p in first.PARAMETERS)
        if not same:
            raise _validate.fail("cells", "cells of one kind, activation and size",
                                 f"{first!r} and {other!r}")
    arrays = {p.name: np.stack([getattr(c, p.name) for c in cells]) for p in first.PARAMETERS}
    return dataclasses.replace(first, **arrays)
