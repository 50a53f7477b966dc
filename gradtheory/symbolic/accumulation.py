r"""Accumulation: how many times each weight is a *factor* of a chain, by lag.

A weight is counted where it multiplies the chain, not where it sits inside the argument of
:math:`f'` (there it only changes the value of a diagonal, never the number of factors). For the
term of lag :math:`\ell = t - k` the counts are exact consequences of the chain rule:

.. math::

    \#W_{hh} = t - k \ (\text{every }\theta\text{ with a sum over }k;\ t\text{ for }h_0),
    \qquad \#W_y = 1,\qquad \#W_{xh} = 0,

and :math:`\#W_y = \#W_{hh} = 0` in the single term of :math:`\partial E_t/\partial W_y` and
:math:`\partial E_t/\partial b_y`. So :math:`\partial E_t/\partial W_{xh}` contains the same
:math:`(t-k)`-fold product :math:`\prod_{i=k+1}^{t} J_i` as :math:`\partial E_t/\partial W_{hh}`
and vanishes or explodes with it, while :math:`W_y` is never raised to a power
(there is no :math:`(W_y^{\top})^k`). With :math:`\|J_i\| \le \gamma\,\sigma_{\max}(W_{hh})`,
:math:`\|\partial h_t/\partial h_k\| \le (\gamma\,\sigma_{\max})^{t-k}` (Pascanu et al. 2013,
§2.1; Bengio, Simard & Frasconi 1994).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import sympy as sp

from ..notation import Notation
from .chain import OrderedProduct, Term, Time
from .latex import format_jacobian
from .model import PARAMS, SymbolicModel

__all__ = ["Accumulation", "count_factors", "explain_accumulation", "tally"]


def count_factors(term: Term, weight: str) -> Time:
    """How many times ``weight`` is a factor of the term's chain.

    Parameters
    ----------
    term : Term
        A term (concrete chain or general term with an ordered product).
    weight : str
        A parameter name (only ``W_hh`` and ``W_y`` can ever be factors).

    Returns
    -------
    int or sympy.Expr
        The count; for an ordered product :math:`\\prod_{i=l}^{u}` the body's count times
        :math:`u - l + 1`.

    Examples
    --------
    >>> from gradtheory.symbolic.chain import general_term
    >>> from gradtheory.symbolic.model import make_model
    >>> import sympy as sp
    >>> sp.sstr(count_factors(general_term(make_model(), "W_xh")[0], "W_hh"), order="rev-lex")
    't - k'
    """
    total: Time = 0
    for item in term.chain:
        if isinstance(item, OrderedProduct):
            per = sum(1 for f in item.body if f.kind == weight)
            total += per * (item.upper - item.lower + 1)
        elif item.kind == weight:
            total += 1
    return total


@dataclass(frozen=True, kw_only=True, slots=True)
class Accumulation:
    """Factor counts of every weight, by lag :math:`t - k`, for one derivation.

    Attributes
    ----------
    param : str
        The parameter θ differentiated.
    lags : tuple of int or sympy.Expr
        The lags of the terms, ascending (``(t - k,)`` for a symbolic derivation).
    counts : Mapping[str, tuple]
        For each parameter name, its factor count in the term of each lag.
    """

    param: str
    lags: tuple[Time, ...]
    counts: MappingProxyType[str, tuple[Time, ...]]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts: lists of ints, or strings of expressions when symbolic.

        Returns
        -------
        dict
            ``{"lags": [...], "counts": {weight: [...]}}``.
        """
        def plain(value: Time) -> int | str:
            if isinstance(value, int | sp.Integer):
                return int(value)
            return sp.sstr(value, order="rev-lex")

        return {"lags": [plain(v) for v in self.lags],
                "counts": {w: [plain(v) for v in c] for w, c in self.counts.items()}}


def tally(param: str, terms: tuple[Term, ...]) -> Accumulation:
    """Count every weight's factors in each term.

    Parameters
    ----------
    param : str
        The parameter θ.
    terms : tuple of Term
        The terms of :math:`\\partial E_t/\\partial\\theta` for one t (or the general term).

    Returns
    -------
    Accumulation
        Counts sorted by ascending lag.
    """
    ordered = sorted(terms, key=_lag_key)
    return Accumulation(
        param=param, lags=tuple(term.lag for term in ordered),
        counts=MappingProxyType({w: tuple(count_factors(term, w) for term in ordered)
                                 for w in PARAMS}))


def _lag_key(term: Term) -> tuple[int, str]:
    lag = term.lag
    return (int(lag), "") if isinstance(lag, int | sp.Integer) else (0, str(lag))


def explain_accumulation(param: str, model: SymbolicModel, notation: Notation, *,
                         latex: bool = False) -> str:
    """Two or three plain sentences: which factors accumulate in ∂E/∂θ, in a notation.

    Parameters
    ----------
    param : str
        The parameter θ.
    model : SymbolicModel
        The model (its form decides how the Jacobian reads).
    notation : Notation
        The notation preset.
    latex : bool, optional
        Plain text (default), or LaTeX text with the mathematics in ``$...$``.

    Returns
    -------
    str
        The explanation.

    Examples
    --------
    >>> from gradtheory import get_notation
    >>> from gradtheory.symbolic.model import make_model
    >>> print(explain_accumulation("W_y", make_model(), get_notation("elman")))
    ... # doctest: +ELLIPSIS
    dE_t/dW_y has no sum over earlier steps: ...
    >>> print(explain_accumulation("W_xh", make_model(), get_notation("ng"), latex=True))
    ... # doctest: +ELLIPSIS
    $W_{ax}$ itself is never a repeated factor: ... never as $(W_{ya}^{\\top})^k$.
    """
    def sym(key: str, time: str | None = None) -> str:
        return notation.symbol(key, time, latex=latex)

    def m(expr: str) -> str:  # a piece of mathematics, inline
        return f"${expr}$" if latex else expr

    def d(num: str, den: str) -> str:  # a derivative
        return rf"\partial {num}/\partial {den}" if latex else f"d{num}/d{den}"

    T = r"^{\top}" if latex else "^T"
    W, Wy, E, Y = sym("W_hh"), sym("W_y"), sym("E", "t"), sym("y", "t")
    theta = sym(param)
    J = format_jacobian(model, notation, latex=latex)
    gs = rf"\gamma\,\sigma_{{\max}}({W})" if latex else f"gamma sigma_max({W})"
    lag = m("t-k")
    dots = r"\dots" if latex else "..."
    from_k, from_1 = m(f"i = k+1, {dots}, t"), m(f"i = 1, {dots}, t")
    h_t = sym("h", "t")
    once = f"{m(Wy)} appears exactly once in every such term, never as {m(f'({Wy}{T})^k')}."
    if param in ("W_y", "b_y"):
        where = (m(f"{{{h_t}}}{T}" if latex else f"{h_t}{T}") if param == "W_y"
                 else "the identity")
        return (f"{m(d(E, theta))} has no sum over earlier steps: each step t contributes one "
                f"term, {m(f'({d(E, Y)}){T}')} times {where}, which contains neither "
                f"{m(Wy)} nor any product of {m(W)}, so it does not vanish or explode through "
                f"time. There is no {m(f'({Wy}{T})^k')} anywhere: in the gradients of {m(W)}, "
                f"{m(sym('W_xh'))}, {m(sym('b_h'))} and {m(sym('h_0'))}, {m(Wy)} appears "
                f"exactly once per term, through "
                f"{m(f'{d(E, h_t)} = ({d(E, Y)}) {Wy}')}.")
    if param == "W_hh":
        return (f"Each term of {m(d(E, theta))} at lag {lag} contains {m(W)} exactly {lag} "
                f"times, in the ordered product of the Jacobians {m(J)} for {from_k}. Since each "
                f"Jacobian has norm at most {m(gs)}, the distant terms vanish when "
                f"{m(gs + ' < 1')} and can explode only when it is {m('> 1')}. {once}")
    if param == "h_0":
        return (f"{m(d(E, theta))} is a single term carrying the {m('t')}-fold product of the "
                f"Jacobians {m(J)} for {from_1}, so it vanishes or explodes with {m('t')} "
                f"exactly like the most distant terms of {m(d(E, W))}. {once}")
    entry = (f"the input {m(sym('x', 'k'))} of its immediate derivative" if param == "W_xh"
             else "its immediate derivative, the identity")
    return (f"{m(theta)} itself is never a repeated factor: it enters each term of "
            f"{m(d(E, theta))} only through {entry}. But the term of lag {lag} carries the "
            f"{m('(t-k)')}-fold product of the Jacobians {m(J)}, so the {m(theta)} gradient "
            f"from distant steps vanishes or explodes exactly like {m(W)}'s. {once}")
