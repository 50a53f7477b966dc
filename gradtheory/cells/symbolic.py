r"""The symbolic rows of the cells: everything :mod:`gradtheory.symbolic` knows about a recurrence.

One frozen :class:`SymbolicStep` per cell, keyed by the ``form`` name. The symbolic layer reads
the row instead of branching on the name, so a new cell is a new row of :data:`SYMBOLIC_STEPS`:

.. math::

    \text{elman:}\quad a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h,\quad h_t = f(a_t),\quad
        J_t = \operatorname{diag}(f'(a_t))\,W_{hh}, \\
    \text{pascanu:}\quad h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h,\quad
        J_t = W_{hh}\operatorname{diag}(f'(h_{t-1})).

The immediate derivative of the state at step k with respect to a parameter θ acting there is
:math:`\partial^{+}h_k/\partial\theta = T_k\,\partial^{+}a_k/\partial\theta`, where the *tail*
:math:`T_k` is :math:`\operatorname{diag}(f'(a_k))` (elman) or the identity (pascanu), and
:math:`\partial^{+}a_k/\partial\theta` turns a row :math:`r` into :math:`r^{\top} v^{\top}` for
the vector :math:`v` that θ multiplies (:math:`h_{k-1}` or :math:`f(h_{k-1})` for
:math:`W_{hh}`, :math:`x_k` for :math:`W_{xh}`) or into :math:`r^{\top}` for the bias.

Factor kinds are the names of :data:`gradtheory.symbolic.chain.FACTOR_KINDS` (``"Df"``,
``"W_hh"``); vector names are those of its ``outer`` factor (``"h"``, ``"fh"`` for
:math:`f(h)`, ``"x"``). The step builders use matrix arithmetic only, so this module needs no
SymPy import of its own: it works on whatever SymPy matrices the caller passes.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from .. import _validate

if TYPE_CHECKING:  # annotations only: the builders never call SymPy by name
    from typing import TypeAlias

    import sympy as sp

    #: ``step(params, h_prev, x, f) -> (a_t, h_t)``: the single step on SymPy matrices.
    StepBuilder: TypeAlias = Callable[
        [Mapping[str, sp.Matrix], sp.Matrix, sp.Matrix, Callable[[sp.Expr], sp.Expr]],
        tuple[sp.Matrix, sp.Matrix]]

__all__ = ["SYMBOLIC_STEPS", "SymbolicStep", "symbolic_step"]


@dataclass(frozen=True, kw_only=True, slots=True)
class SymbolicStep:
    r"""One cell's recurrence as the symbolic layer needs it (a row of :data:`SYMBOLIC_STEPS`).

    Attributes
    ----------
    name : str
        The ``form`` key (``"elman"``, ``"pascanu"``).
    phrase : str
        How prose names the recurrence ("the elman form").
    step : callable
        ``step(params, h_prev, x, f) -> (a_t, h_t)``: one step on SymPy matrices, with
        ``params`` mapping ``"W_hh"``, ``"W_xh"``, ``"b_h"`` to matrices (vectors as columns)
        and ``f`` the scalar activation. ``a_t`` is the pre-activation (``h_t`` itself when the
        nonlinearity is applied before the weights).
    jacobian : tuple of str
        The factor kinds of :math:`J_i`, newest on the left: ``("Df", "W_hh")`` for
        :math:`\operatorname{diag}(f'(\cdot))W_{hh}`.
    df_at : tuple of (str, int)
        Where the ``Df`` factor of step i evaluates :math:`f'`: a state name (``"a"``,
        ``"h"``) and its time offset from i, ``("a", 0)`` for :math:`a_i`, ``("h", -1)`` for
        :math:`h_{i-1}`.
    tail : tuple of str
        The factor kinds of :math:`\partial h_k/\partial a_k` that lead the immediate
        derivative at step k (``("Df",)``, or ``()`` when :math:`h_k = a_k`).
    immediate : Mapping[str, tuple of (str, int) or None]
        For every parameter acting inside the step: the vector :math:`v` it multiplies, as a
        vector name and a time offset from k (``("h", -1)`` for :math:`h_{k-1}`), or ``None``
        for a bias (:math:`r \mapsto r^{\top}`).
    equations : tuple of (str, str)
        The step equations as ``(lhs, rhs)`` templates, printed in order; placeholders
        ``{a}``, ``{h}``, ``{h_prev}``, ``{x}``, ``{f}``, ``{W_hh}``, ``{W_xh}``, ``{b_h}``.
    """

    name: str
    phrase: str
    step: StepBuilder
    jacobian: tuple[str, ...]
    df_at: tuple[str, int]
    tail: tuple[str, ...]
    immediate: Mapping[str, tuple[str, int] | None]
    equations: tuple[tuple[str, str], ...]


def _elman_step(params: Mapping[str, sp.Matrix], h_prev: sp.Matrix, x: sp.Matrix,
                f: Callable[[sp.Expr], sp.Expr]) -> tuple[sp.Matrix, sp.Matrix]:
    a = params["W_hh"] * h_prev + params["W_xh"] * x + params["b_h"]
    return a, a.applyfunc(f)


def _pascanu_step(params: Mapping[str, sp.Matrix], h_prev: sp.Matrix, x: sp.Matrix,
                  f: Callable[[sp.Expr], sp.Expr]) -> tuple[sp.Matrix, sp.Matrix]:
    h = params["W_hh"] * h_prev.applyfunc(f) + params["W_xh"] * x + params["b_h"]
    return h, h


#: The symbolic rows: form name -> :class:`SymbolicStep`.
SYMBOLIC_STEPS: Mapping[str, SymbolicStep] = MappingProxyType({
    "elman": SymbolicStep(
        name="elman", phrase="elman form", step=_elman_step,
        jacobian=("Df", "W_hh"), df_at=("a", 0), tail=("Df",),
        immediate=MappingProxyType({"W_hh": ("h", -1), "W_xh": ("x", 0), "b_h": None}),
        equations=(("{a}", "{W_hh} {h_prev} + {W_xh} {x} + {b_h}"), ("{h}", "{f}({a})"))),
    "pascanu": SymbolicStep(
        name="pascanu", phrase="pascanu form", step=_pascanu_step,
        jacobian=("W_hh", "Df"), df_at=("h", -1), tail=(),
        immediate=MappingProxyType({"W_hh": ("fh", -1), "W_xh": ("x", 0), "b_h": None}),
        equations=(("{h}", "{W_hh} {f}({h_prev}) + {W_xh} {x} + {b_h}"),)),
})


def symbolic_step(name: str) -> SymbolicStep:
    """The symbolic row of a recurrence.

    Parameters
    ----------
    name : str
        A key of :data:`SYMBOLIC_STEPS` (the ``form`` of a network or model).

    Returns
    -------
    SymbolicStep
        The row.

    Raises
    ------
    ValidationError
        On an unknown name (the message names ``form``).
    InputTypeError
        On a non-string name.

    Examples
    --------
    >>> from gradtheory.cells.symbolic import symbolic_step
    >>> symbolic_step("pascanu").jacobian
    ('W_hh', 'Df')
    """
    return SYMBOLIC_STEPS[_validate.choice(name, "form", SYMBOLIC_STEPS)]
