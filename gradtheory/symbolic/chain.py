r"""Terms of a BPTT gradient as ordered chains of factors.

Layout: states are column vectors and a Jacobian :math:`\partial u/\partial v` has shape
(dim u, dim v) (numerator layout), so :math:`\partial E_t/\partial h_t` is a *row* and the chain
rule multiplies left to right, newest step on the left (Pascanu et al. 2013, eqs. 3-5):

.. math::

    \frac{\partial E_t}{\partial \theta} = \sum_{k}
        \frac{\partial E_t}{\partial h_t}\,\frac{\partial h_t}{\partial h_k}\,
        \frac{\partial^{+} h_k}{\partial \theta},
    \qquad
    \frac{\partial h_t}{\partial h_k} = \prod_{i=k+1}^{t} J_i = J_t J_{t-1} \cdots J_{k+1},

with :math:`J_i = \operatorname{diag}(f'(a_i))\,W_{hh}` (elman) or
:math:`J_i = W_{hh}\operatorname{diag}(f'(h_{i-1}))` (pascanu), and
:math:`\partial E_t/\partial h_t = (\partial E_t/\partial y_t)(\partial y_t/\partial o_t) W_y`.
A :class:`Term` stores the row chain
``(∂E_t/∂y_t, ∂y_t/∂o_t, W_y, J_t, ..., J_{k+1}, [diag f'(a_k)])``
and the *immediate* factor :math:`\partial^{+}a_k/\partial\theta` (elman) or
:math:`\partial^{+}h_k/\partial\theta` (pascanu), which turns the row :math:`r` into a gradient of
θ's shape: :math:`r^{\top} v^{\top}` for a weight matrix read against the vector :math:`v`
(:math:`h_{k-1}`, :math:`x_k`, :math:`f(h_{k-1})`, :math:`h_t`), :math:`r^{\top}` for a bias or
:math:`h_0`. The θ-shaped gradient is therefore the *transpose* of the numerator-layout
Jacobian, the denominator-layout convention of row-vector papers.

``W_y`` and ``b_y`` have no sum over k: :math:`\partial E_t/\partial W_y =
((\partial E_t/\partial y_t)(\partial y_t/\partial o_t))^{\top} h_t^{\top}`, a single term with no
``W_y`` factor. Every other parameter's term carries ``W_y`` exactly once and ``W_hh`` exactly
``t - k`` times (``t`` times for ``h_0``, where only k = 0 occurs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeAlias

import sympy as sp

from .model import SymbolicModel

__all__ = ["FACTOR_KINDS", "Factor", "OrderedProduct", "Term", "general_term", "instantiate",
           "terms_at"]

#: Factor kinds: kind -> (shape, meaning). ``W_hh``/``W_y`` are the weights themselves.
FACTOR_KINDS: Mapping[str, tuple[str, str]] = MappingProxyType({
    "dE_dy": ("1 x p", "dE_t/dy_t, the loss gradient as a row"),
    "dE_do": ("1 x p", "dE_t/do_t = (y_t - y*_t)^T: cross-entropy through softmax"),
    "dy_do": ("p x p", "dy_t/do_t: diag(g'(o_t)), or diag(y_t) - y_t y_t^T for softmax"),
    "W_y": ("p x n", "the readout weights"),
    "W_hh": ("n x n", "the recurrent weights"),
    "Df": ("n x n", "diag(f'(a_i)) (elman) or diag(f'(h_{i-1})) (pascanu)"),
    "outer": ("-", "immediate factor: r -> r^T v^T for the vector v"),
    "identity": ("-", "immediate factor: r -> r^T"),
})

#: The kinds that are the weights themselves: no time index.
_WEIGHT_KINDS = frozenset({"W_hh", "W_y"})

Time: TypeAlias = int | sp.Expr


@dataclass(frozen=True, slots=True)
class Factor:
    """One factor of a chain.

    Attributes
    ----------
    kind : str
        A key of :data:`FACTOR_KINDS`.
    time : int or sympy.Expr or None
        Its time index (``None`` for the weights, which are the same at every step).
    vector : str or None
        For ``kind="outer"``: which vector, ``"h"``, ``"fh"`` (f(h)) or ``"x"``.
    """

    kind: str
    time: Time | None = None
    vector: str | None = None


@dataclass(frozen=True, slots=True)
class OrderedProduct:
    """:math:`\\prod_{i=lower}^{upper}` of ``body``, the factor for ``i = upper`` on the left.

    Attributes
    ----------
    index : sympy.Symbol
        The running index ``i``.
    lower, upper : int or sympy.Expr
        Bounds (inclusive); empty when ``upper < lower``.
    body : tuple of Factor
        One :math:`J_i`, with times written in ``index``.
    """

    index: sp.Symbol
    lower: Time
    upper: Time
    body: tuple[Factor, ...]


@dataclass(frozen=True, slots=True)
class Term:
    """One term of :math:`\\partial E_t/\\partial\\theta`: a row chain and an immediate factor.

    Attributes
    ----------
    t : int or sympy.Expr
        The loss step.
    k : int or sympy.Expr or None
        The step where θ acts (``None`` for ``W_y``/``b_y``, which act at t only).
    chain : tuple of Factor or OrderedProduct
        The row chain, multiplied left to right.
    immediate : Factor
        ``outer`` or ``identity``: how the row becomes a θ-shaped gradient.
    """

    t: Time
    k: Time | None
    chain: tuple[Factor | OrderedProduct, ...]
    immediate: Factor

    @property
    def lag(self) -> Time:
        """:math:`t - k` (0 for ``W_y``/``b_y``)."""
        return 0 if self.k is None else self.t - self.k


def _head(model: SymbolicModel, t: Time) -> tuple[Factor, ...]:
    """:math:`(\\partial E_t/\\partial y_t)(\\partial y_t/\\partial o_t)` as factors."""
    if model.loss == "cross_entropy":
        return (Factor("dE_do", t),)
    if model.output == "identity":
        return (Factor("dE_dy", t),)
    return Factor("dE_dy", t), Factor("dy_do", t)


def _factor(kind: str, time: Time) -> Factor:
    """A factor of ``kind`` at ``time``; the weights carry no time (the same at every step)."""
    return Factor(kind) if kind in _WEIGHT_KINDS else Factor(kind, time)


def _offset(time: Time, by: int) -> Time:
    return time + by if by else time


def _jacobian(model: SymbolicModel, i: Time) -> tuple[Factor, ...]:
    """:math:`J_i` as factors, in the order of the cell's row."""
    return tuple(_factor(kind, i) for kind in model.cell.jacobian)


def _tail(model: SymbolicModel, param: str, k: Time) -> tuple[tuple[Factor, ...], Factor]:
    """The end of the chain at step k and the immediate factor, for θ acting at k."""
    if param == "h_0":
        return (), Factor("identity")
    cell = model.cell
    lead = tuple(_factor(kind, k) for kind in cell.tail)
    vector = cell.immediate[param]
    if vector is None:
        return lead, Factor("identity")
    name, by = vector
    return lead, Factor("outer", _offset(k, by), name)


def terms_at(model: SymbolicModel, param: str, t: int) -> tuple[Term, ...]:
    """The terms of :math:`\\partial E_t/\\partial\\theta` at a concrete step, chains expanded.

    Parameters
    ----------
    model : SymbolicModel
        The model.
    param : str
        A key of :data:`gradtheory.symbolic.model.PARAMS` (validated by the caller).
    t : int
        The loss step, :math:`t \\ge 1`.

    Returns
    -------
    tuple of Term
        Terms in order k = 1, ..., t (k = 0 only for ``h_0``; one term for ``W_y``/``b_y``).

    Examples
    --------
    >>> from gradtheory.symbolic.chain import terms_at
    >>> from gradtheory.symbolic.model import make_model
    >>> [f.kind for f in terms_at(make_model(), "W_xh", 2)[0].chain]
    ['dE_dy', 'W_y', 'Df', 'W_hh', 'Df']
    """
    head = _head(model, t)
    if param in ("W_y", "b_y"):
        return (_readout_term(head, param, t),)
    ks = (0,) if param == "h_0" else range(1, t + 1)
    terms = []
    for k in ks:
        middle: list[Factor] = []
        for i in range(t, k, -1):
            middle.extend(_jacobian(model, i))
        lead, immediate = _tail(model, param, k)
        terms.append(Term(t, k, (*head, Factor("W_y"), *middle, *lead), immediate))
    return tuple(terms)


def general_term(model: SymbolicModel, param: str) -> tuple[Term, tuple[sp.Symbol, ...]]:
    """The general term of :math:`\\partial E_t/\\partial\\theta` for a symbolic step t.

    Parameters
    ----------
    model : SymbolicModel
        The model.
    param : str
        A key of :data:`gradtheory.symbolic.model.PARAMS`.

    Returns
    -------
    term : Term
        Times in the symbols ``t``, ``k`` and the product index ``i``.
    summed : tuple of sympy.Symbol
        ``(k,)`` when the gradient is :math:`\\sum_{k=1}^{t}` of the term, else ``()``.

    Examples
    --------
    >>> from gradtheory.symbolic.chain import general_term
    >>> from gradtheory.symbolic.model import make_model
    >>> term, summed = general_term(make_model(), "W_hh")
    >>> term.lag == term.t - term.k, summed
    (True, (k,))
    """
    t, k, i = _SYMBOLS
    head = _head(model, t)
    if param in ("W_y", "b_y"):
        return _readout_term(head, param, t), ()
    lower: Time = 1 if param == "h_0" else k + 1
    product = OrderedProduct(i, lower, t, _jacobian(model, i))
    k_term: Time = 0 if param == "h_0" else k
    lead, immediate = _tail(model, param, k_term)
    term = Term(t, k_term, (*head, Factor("W_y"), product, *lead), immediate)
    return term, (() if param == "h_0" else (k,))


def instantiate(term: Term, summed: tuple[sp.Symbol, ...], t: int) -> tuple[Term, ...]:
    r"""The concrete terms a general term stands for at the loss step ``t``.

    The term's symbolic times are replaced by integers (``term.t`` by ``t``; the summed index
    by each k = 1, ..., t) and every ordered product is written out, the factor for
    ``i = upper`` on the left. Nothing is regenerated from the model: a wrong general term
    gives wrong concrete terms.

    Parameters
    ----------
    term : Term
        A general term (times in symbols; ordered products allowed), or a concrete one.
    summed : tuple of sympy.Symbol
        ``(k,)`` when the gradient is :math:`\sum_{k=1}^{t}` of the term, else ``()``.
    t : int
        The loss step, :math:`t \ge 1`.

    Returns
    -------
    tuple of Term
        Concrete terms in order k = 1, ..., t (one term when nothing is summed).

    Examples
    --------
    >>> from gradtheory.symbolic.chain import general_term, instantiate, terms_at
    >>> from gradtheory.symbolic.model import make_model
    >>> instantiate(*general_term(make_model(), "W_xh"), 3) == terms_at(make_model(), "W_xh", 3)
    True
    """
    values: dict[sp.Basic, int] = {}
    if isinstance(term.t, sp.Basic):
        values[term.t] = t
    ks: tuple[int | None, ...] = tuple(range(1, t + 1)) if summed else (None,)
    out = []
    for k in ks:
        at = values if k is None else {**values, summed[0]: k}
        factors: list[Factor] = []
        for item in term.chain:
            if isinstance(item, OrderedProduct):
                upper, lower = _integer(item.upper, at), _integer(item.lower, at)
                for i in range(upper, lower - 1, -1):
                    factors.extend(_concrete(f, {**at, item.index: i}) for f in item.body)
            else:
                factors.append(_concrete(item, at))
        k_value = None if term.k is None else _integer(term.k, at)
        out.append(Term(t, k_value, tuple(factors), _concrete(term.immediate, at)))
    return tuple(out)


def _integer(time: Time, values: dict[sp.Basic, int]) -> int:
    """A time (an int or a SymPy expression of the index symbols) at concrete index values."""
    if isinstance(time, sp.Basic):
        return int(time.xreplace(values))
    return int(time)


def _concrete(factor: Factor, values: dict[sp.Basic, int]) -> Factor:
    if factor.time is None:
        return factor
    return Factor(factor.kind, _integer(factor.time, values), factor.vector)


def _readout_term(head: tuple[Factor, ...], param: str, t: Time) -> Term:
    """The single readout term (``W_y`` or ``b_y``) at step ``t``."""
    immediate = Factor("outer", t, "h") if param == "W_y" else Factor("identity")
    return Term(t, None, head, immediate)


#: The symbols of the general term: loss step t, acting step k, product index i.
_SYMBOLS = sp.symbols("t k i", integer=True, nonnegative=True)
