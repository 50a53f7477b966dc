"""Recurrent cells as core objects: each carries its own mathematics (see ``base.py``).

:data:`CELLS` is the table of cells by the name that ``form=`` takes; a new cell is a new row.
Every layer reaches a cell's Jacobian through its :class:`StepJacobian` operator.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .base import ROLES, Cell, Parameter, stack
from .elman import ElmanCell
from .operators import DiagTimesMatrix, MatrixTimesDiag, StepJacobian
from .pascanu import PascanuCell

__all__ = [
    "CELLS",
    "ROLES",
    "Cell",
    "DiagTimesMatrix",
    "ElmanCell",
    "MatrixTimesDiag",
    "Parameter",
    "PascanuCell",
    "StepJacobian",
    "stack",
]

#: Cells by name (the values of ``form=``): name -> cell class.
CELLS: Mapping[str, Any] = MappingProxyType({cls.NAME: cls for cls in (ElmanCell, PascanuCell)})
