r"""Concrete evaluation of chain factors in a scalar expansion of the model.

A :class:`~gradtheory.symbolic.chain.Term` at concrete times becomes a SymPy expression by
replacing each factor with its explicit matrix in a
:class:`~gradtheory.symbolic.model.ScalarNetwork` (:func:`factor_matrix`; the only derivatives
taken are single-step ones, :math:`f'` and the loss-side :math:`\partial E_t/\partial y_t`,
:math:`\partial y_t/\partial o_t`, see :func:`head_matrix`), multiplying the row chain left to
right and contracting it with the immediate factor (:func:`immediate_gradient`).
:meth:`~gradtheory.symbolic.Derivation.evaluate` sums these over the terms; the numeric bridge
uses :func:`head_matrix` for the loss-side row. Keeping these here lets ``bptt``, ``bridge``
and ``document`` import one another's modules at the top, with no cycle.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .chain import Factor, OrderedProduct
from .model import ScalarNetwork, SymbolicModel, derivative

__all__ = ["factor_matrix", "head_matrix", "immediate_gradient"]


def factor_matrix(factor: Factor | OrderedProduct, net: ScalarNetwork,
                  cache: dict[Factor, sp.Matrix]) -> sp.Matrix:
    """The explicit matrix of one factor in a scalar expansion (single-step SymPy diff).

    Parameters
    ----------
    factor : Factor
        A factor at a concrete time (an :class:`OrderedProduct` is refused: instantiate the
        term first).
    net : ScalarNetwork
        The scalar expansion.
    cache : dict
        Matrices already built, by factor; filled in place.

    Returns
    -------
    sympy.Matrix
        The weights themselves, :math:`\\operatorname{diag}(f'(\\cdot))` at the cell's
        argument, or a loss-side factor (:func:`head_matrix`).

    Raises
    ------
    TypeError
        For an ordered product.
    """
    if isinstance(factor, OrderedProduct):  # concrete chains are always written out
        raise TypeError("an ordered product has no explicit matrix; use terms_at(t)")
    if factor in cache:
        return cache[factor]
    kind = factor.kind
    t = 0 if factor.time is None else int(factor.time)
    if kind in ("W_hh", "W_y"):
        value = net.params[kind]
    elif kind == "Df":
        state, by = net.model.cell.df_at
        arg = {"a": net.a, "h": net.h}[state][t + by]
        value = sp.diag(*[derivative(net.f, z) for z in arg])
    else:
        value = head_matrix(kind, net.model, o=net.o[t], y=net.y[t], target=net.targets[t],
                            loss=lambda y: net.E(t, y), g=net.g)
    cache[factor] = value
    return value


def head_matrix(kind: str, model: SymbolicModel, *, o: sp.Matrix, y: sp.Matrix,
                target: sp.Matrix, loss: Callable[[sp.Matrix], sp.Expr],
                g: Callable[[sp.Expr], sp.Expr]) -> sp.Matrix:
    """The loss-side factor ``dE_dy``, ``dE_do`` or ``dy_do`` at one step.

    Parameters
    ----------
    kind : {"dE_dy", "dE_do", "dy_do"}
        Which factor.
    model : SymbolicModel
        The model.
    o, y, target : sympy.Matrix
        Output pre-activation, output and target at the step (p x 1).
    loss : callable
        :math:`E_t` as a function of the output vector.
    g : callable
        The elementwise output function (unused for softmax).

    Returns
    -------
    sympy.Matrix
        A 1 x p row (``dE_dy``, ``dE_do``) or the p x p Jacobian (``dy_do``).
    """
    if kind == "dE_do":
        return (y - target).T
    if kind == "dE_dy":
        zs = [sp.Dummy(f"y{j}") for j in range(len(y))]
        Ez = loss(sp.Matrix(zs))
        return sp.Matrix([[sp.diff(Ez, z) for z in zs]]).subs(
            dict(zip(zs, y, strict=True)), simultaneous=True)
    if model.output == "softmax":
        return sp.diag(*y) - y * y.T
    return sp.diag(*[derivative(g, z) for z in o])


def immediate_gradient(factor: Factor, row: sp.Matrix, net: ScalarNetwork) -> sp.Matrix:
    """Contract the row chain with ∂⁺/∂θ: :math:`r^{\\top} v^{\\top}`, or :math:`r^{\\top}`.

    Parameters
    ----------
    factor : Factor
        The term's immediate factor (``outer`` with its vector and time, or ``identity``).
    row : sympy.Matrix
        The evaluated row chain (1 x n, or 1 x p for the readout).
    net : ScalarNetwork
        The scalar expansion.

    Returns
    -------
    sympy.Matrix
        The term's contribution with θ's shape (vectors as columns).
    """
    if factor.kind == "identity":
        return row.T
    t = 0 if factor.time is None else int(factor.time)
    vector = {"h": lambda: net.h[t], "x": lambda: net.xs[t],
              "fh": lambda: net.h[t].applyfunc(net.f)}[str(factor.vector)]()
    return row.T * vector.T
