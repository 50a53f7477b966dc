"""Recurrent cells as core objects: each carries its own mathematics (see ``base.py``).

:data:`CELLS` is the table of cells by the name that ``form=`` takes; a new cell is a new row.
Every layer reaches a cell's Jacobian through its :class:`StepJacobian` operator.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import ROLES, Cell, Parameter, stack
from .elman import ElmanCell
from .gated import GatedJacobian, TransposedJacobian
from .gru import GRUCell
from .lstm import LSTMCell
from .operators import DiagTimesMatrix, MatrixTimesDiag, StepJacobian
from .pascanu import PascanuCell

__all__ = [
    "CELLS",
    "ROLES",
    "Cell",
    "DiagTimesMatrix",
    "ElmanCell",
    "GRUCell",
    "GatedJacobian",
    "LSTMCell",
    "MatrixTimesDiag",
    "Parameter",
    "PascanuCell",
    "StepJacobian",
    "TransposedJacobian",
    "stack",
]

#: The vanilla cells by name (the values of ``ElmanNetwork``'s ``form=``): name -> cell class.
#: The gated cells (:class:`LSTMCell`, :class:`GRUCell`) join the layers with issue 12.
CELLS: Mapping[str, Any] = MappingProxyType({cls.NAME: cls for cls in (ElmanCell, PascanuCell)})
