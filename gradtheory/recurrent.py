r"""A network of any cell: the cell, a readout of :math:`h_t` and an initial state.

:class:`RecurrentNetwork` is the container for the gated cells (:class:`~gradtheory.cells.
LSTMCell`, :class:`~gradtheory.cells.GRUCell`); :class:`~gradtheory.ElmanNetwork` stays the
Elman case with its own constructor. Both give the simulator what it needs: ``cell``,
``W_y``, ``b_y`` and ``initial_state``. The readout reads the hidden block,
:math:`y_t = W_y h_t + b_y`; for the LSTM the state is :math:`s_t = [h_t, c_t]`.

Every parameter is validated against the cell's own table (:attr:`Cell.PARAMETERS`), whose
shapes are written over the sizes n (hidden), m (input) and multiples such as ``4n``.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import _validate
from .cells import GRUCell, LSTMCell
from .errors import InputTypeError

__all__ = ["GATED_CELLS", "RecurrentNetwork"]

#: The gated cells a RecurrentNetwork holds, by name, with the number of gate blocks G
#: (``weight_hh`` has G n rows: how a PyTorch state dict tells them apart).
GATED_CELLS: dict[str, tuple[type, int]] = {"lstm": (LSTMCell, 4), "gru": (GRUCell, 3)}

_SIZE = re.compile(r"^(\d*)([nm])$")


def _validated_cell(cell: Any) -> Any:
    """The cell with every parameter checked against its table; sizes from W_hh and W_xh."""
    if not any(isinstance(cell, kind) for kind, _ in GATED_CELLS.values()):
        raise _validate.fail("cell", "an LSTMCell or a GRUCell (gradtheory.cells)",
                             _validate.describe(cell), cls=InputTypeError)
    W_hh = _validate.real_array(cell.W_hh, "W_hh", ndim=2)
    W_xh = _validate.real_array(cell.W_xh, "W_xh", ndim=2)
    sizes = {"n": W_hh.shape[1], "m": W_xh.shape[1]}
    checked = {}
    for p in cell.PARAMETERS:
        shape = []
        for entry in p.shape:
            factor, symbol = _SIZE.match(entry).groups()  # type: ignore[union-attr]
            shape.append(int(factor or 1) * sizes[symbol])
        checked[p.name] = _validate.real_array(getattr(cell, p.name), p.name, ndim=len(shape),
                                               shape=tuple(shape))
    return dataclasses.replace(cell, **checked)


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class RecurrentNetwork:
    """A gated recurrent network: a cell, the readout of :math:`h_t` and the initial state.

    Parameters
    ----------
    cell : LSTMCell or GRUCell
        The recurrence; its parameters are validated against its table and frozen.
    W_y : array_like, shape (p, n), optional
        Readout of the hidden block; default the identity (p = n).
    b_y : array_like, shape (p,), optional
        Readout bias; default zeros.
    s_0 : array_like, shape (N,), optional
        Initial state (N = 2n for the LSTM, ``[h_0, c_0]``; n for the GRU); default zeros.
    name : str, optional
        A label.

    Raises
    ------
    InputTypeError
        If ``cell`` is not a gated cell.
    ValidationError
        On a wrong shape or a non-finite entry (the message names the array).

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory.cells import LSTMCell
    >>> rng = np.random.default_rng(0)
    >>> net = RecurrentNetwork(cell=LSTMCell(rng.standard_normal((8, 2)),
    ...                                      rng.standard_normal((8, 3)), np.zeros(8)))
    >>> net.n_hidden, net.state_size, net.n_output
    (2, 4, 2)
    """

    cell: Any
    W_y: Any = None
    b_y: Any = None
    s_0: Any = None
    name: str = ""

    def __post_init__(self) -> None:
        cell = _validated_cell(self.cell)
        n, N = cell.n_hidden, cell.state_size
        W_y = np.eye(n) if self.W_y is None else self.W_y
        W_y = _validate.real_array(W_y, "W_y", ndim=2, shape=(None, n))
        b_y = np.zeros(W_y.shape[0]) if self.b_y is None else self.b_y
        s_0 = np.zeros(N) if self.s_0 is None else self.s_0
        if not isinstance(self.name, str):
            raise _validate.fail("name", "a string", _validate.describe(self.name))
        for key, value in (("cell", cell), ("W_y", W_y),
                           ("b_y", _validate.real_array(b_y, "b_y", ndim=1,
                                                        shape=(W_y.shape[0],))),
                           ("s_0", _validate.real_array(s_0, "s_0", ndim=1, shape=(N,)))):
            object.__setattr__(self, key, value)

    @property
    def n_hidden(self) -> int:
        """Units n of the hidden block."""
        return int(self.cell.n_hidden)

    @property
    def state_size(self) -> int:
        """N, the full state's size."""
        return int(self.cell.state_size)

    @property
    def n_input(self) -> int:
        """Input size m."""
        return int(self.cell.n_input)

    @property
    def n_output(self) -> int:
        """Output size p."""
        return int(self.W_y.shape[0])

    @property
    def initial_state(self) -> np.ndarray:
        """:math:`s_0`, what the simulator starts from."""
        return self.s_0

    @classmethod
    def from_torch(cls, module: Any, *, prefix: str | None = None, readout: Any = None,
                   name: str = "") -> RecurrentNetwork:
        """Convert a PyTorch ``nn.LSTM`` or ``nn.GRU`` (or its state dict) to float64 weights.

        Parameters
        ----------
        module : torch.nn.LSTM, torch.nn.GRU or Mapping[str, torch.Tensor]
            A single-layer, unidirectional module without ``proj_size``, or a state dict of
            one (nesting allowed). A state dict's kind is read from ``weight_hh_l0``: 4n rows
            for an LSTM, 3n for a GRU.
        prefix : str or None, optional
            Key prefix of the recurrent module inside a larger state dict.
        readout : torch.nn.Linear or str or None, optional
            The output layer (a module, or a state-dict prefix); default W_y = I.
        name : str, optional
            A label.

        Returns
        -------
        RecurrentNetwork
            Reproducing the module's hidden (and cell) states from zero initial state.

        Raises
        ------
        ValidationError
            For stacked, bidirectional or projected modules, or a state dict of another kind.
        MissingDependencyError
            If torch is not installed.
        """
        from ._torch import gated_arrays

        kind, params, head = gated_arrays(module, prefix=prefix, readout=readout)
        cell_class = GATED_CELLS[kind][0]
        return cls(cell=cell_class(**params), name=name or kind, **head)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, prefix: str | None = None,
             readout: str | None = None) -> RecurrentNetwork:
        """Read an ``nn.LSTM`` / ``nn.GRU`` state dict from a ``.pt``/``.pth`` file.

        Parameters
        ----------
        path : str or os.PathLike
            The file, read with ``torch.load(weights_only=True)`` (a nested checkpoint dict is
            fine).
        prefix : str or None, optional
            Key prefix of the recurrent module (found automatically if unique).
        readout : str or None, optional
            Prefix of an ``nn.Linear`` readout in the same state dict (``"fc"``).

        Returns
        -------
        RecurrentNetwork
            As :meth:`from_torch` gives for the state dict.

        Raises
        ------
        ValidationError
            If the file is missing, not a ``.pt``/``.pth`` file, or not such a state dict.
        UnsafeFileError
            If the file holds pickled objects.
        MissingDependencyError
            If torch is not installed.
        """
        source = Path(path)
        if not source.is_file():
            raise _validate.fail("path", "an existing file", repr(str(path)))
        if source.suffix.lower() not in (".pt", ".pth"):
            raise _validate.fail("path", "a .pt or .pth file", repr(str(path)))
        from ._torch import load_state_dict

        return cls.from_torch(load_state_dict(source), prefix=prefix, readout=readout)

    def __repr__(self) -> str:
        label = f"name={self.name!r}, " if self.name else ""
        return (f"RecurrentNetwork({label}cell={self.cell!r}, n_output={self.n_output})")
