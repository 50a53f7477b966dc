r"""Printing chains of factors in a notation, as LaTeX or plain text.

Every printed symbol comes from a :class:`~gradtheory.Notation` preset, so the same derivation
reads :math:`W_{hh}, h_t` (elman), :math:`W, h^{(t)}` (goodfellow),
:math:`W_{aa}, a^{\langle t\rangle}` (ng) or :math:`W_{rec}, x_t` (pascanu). Conventions of the
printed formulas:

* :math:`\frac{\partial E_t}{\partial \theta}` denotes the gradient with θ's shape;
  it is printed as :math:`(r)^{\top} v^{\top}`, where the row :math:`r` is the numerator-layout
  chain and :math:`v` the vector θ multiplies.
* :math:`\prod_{i=k+1}^{t} J_i` is the *ordered* product :math:`J_t J_{t-1}\cdots J_{k+1}`
  (newest factor on the left).
* :math:`\operatorname{diag}(v)` is the diagonal matrix of ``v``; :math:`^{\top}` a transpose.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from ..notation import Notation
from .chain import Factor, OrderedProduct, Term, Time, _head, _jacobian, _tail
from .model import SymbolicModel

__all__ = ["format_factor", "format_gradient", "format_jacobian", "format_recursion",
           "format_term"]


@dataclass(frozen=True, slots=True)
class _Style:
    """LaTeX or plain-text spelling of the few constructions the formulas use."""

    latex: bool

    def partial(self, num: str, den: str) -> str:
        if self.latex:
            return rf"\frac{{\partial {num}}}{{\partial {den}}}"
        return f"d{num}/d{den}"

    def diag(self, body: str) -> str:
        return rf"\operatorname{{diag}}({body})" if self.latex else f"diag({body})"

    def paren(self, body: str) -> str:
        return rf"\left({body}\right)" if self.latex else f"({body})"

    def tr(self, symbol: str) -> str:
        """Transpose; a symbol that already carries a superscript is braced first."""
        if not self.latex:
            return f"{symbol}^T"
        braced = "^" in symbol and not symbol.startswith(r"\left(")
        return f"{{{symbol}}}^{{\\top}}" if braced else f"{symbol}^{{\\top}}"

    def big(self, op: str, index: str, lower: str, upper: str, body: str) -> str:
        if self.latex:
            return rf"\{op}_{{{index}={lower}}}^{{{upper}}} {body}"
        return f"{op}_{{{index}={lower}..{upper}}} {body}"


def _style(latex: bool) -> _Style:
    return _Style(latex)


def _time(value: Time | None) -> str | None:
    if value is None:
        return None
    return str(value).replace(" ", "")


def _shift(value: Time | None, by: int) -> Time | None:
    return value if value is None or not by else value + by


def _sym(notation: Notation, key: str, time: Time | None, style: _Style) -> str:
    return notation.symbol(key, _time(time), latex=style.latex)


def _output_preactivation(notation: Notation, t: Time, style: _Style) -> str:
    return (f"{_sym(notation, 'W_y', None, style)} {_sym(notation, 'h', t, style)} + "
            f"{_sym(notation, 'b_y', None, style)}")


def format_factor(factor: Factor, model: SymbolicModel, notation: Notation, *,
                  latex: bool = True) -> str:
    """Print one factor of a chain.

    Parameters
    ----------
    factor : Factor
        The factor.
    model : SymbolicModel
        The model (its form and output map decide how some factors read).
    notation : Notation
        The notation preset.
    latex : bool, optional
        LaTeX (default) or plain text.

    Returns
    -------
    str
        The printed factor; ``""`` for the ``identity`` immediate factor.

    Examples
    --------
    >>> from gradtheory import get_notation
    >>> from gradtheory.symbolic.chain import Factor
    >>> from gradtheory.symbolic.model import make_model
    >>> format_factor(Factor("Df", 3), make_model(), get_notation("ng"))
    "\\\\operatorname{diag}(g_{1}'(z^{\\\\langle 3 \\\\rangle}))"
    """
    s = _style(latex)

    def sym(key: str, time: Time | None = None) -> str:
        return _sym(notation, key, time, s)

    t = factor.time
    kind = factor.kind
    if kind in ("W_hh", "W_y"):
        return sym(kind)
    if kind == "dE_dy":
        return s.partial(sym("E", t), sym("y", t))
    if kind == "dE_do":
        onehot = r"e_{c_{" + str(_time(t)) + "}}" if latex else f"e_(c_{_time(t)})"
        return s.tr(s.paren(f"{sym('y', t)} - {onehot}"))
    if kind == "dy_do":
        if model.output == "softmax":
            return s.paren(f"{s.diag(sym('y', t))} - {sym('y', t)} {s.tr(sym('y', t))}")
        return s.diag(f"{sym('g')}'({_output_preactivation(notation, t, s)})")
    if kind == "Df":
        state, by = model.cell.df_at
        return s.diag(f"{sym('f')}'({sym(state, _shift(t, by))})")
    if kind == "outer":
        vec = {"h": sym("h", t), "x": sym("x", t), "fh": f"{sym('f')}({sym('h', t)})"}
        return s.tr(vec[str(factor.vector)])
    return ""


def format_jacobian(model: SymbolicModel, notation: Notation, index: Time = "i", *,
                    latex: bool = True) -> str:
    """Print the one-step Jacobian :math:`J_i` of the model's form.

    Parameters
    ----------
    model : SymbolicModel
        The model.
    notation : Notation
        The notation preset.
    index : int or str or sympy.Expr, optional
        The step i (default the letter ``i``).
    latex : bool, optional
        LaTeX (default) or plain text.

    Returns
    -------
    str
        E.g. ``diag(f'(a_i)) W_hh`` (elman) or ``W_hh diag(f'(h_(i-1)))`` (pascanu).

    Examples
    --------
    >>> from gradtheory import get_notation
    >>> from gradtheory.symbolic.model import make_model
    >>> format_jacobian(make_model(form="pascanu"), get_notation("pascanu"), latex=False)
    "W_rec diag(sigma'(x_(i-1)))"
    """
    i = sp.Symbol(index) if isinstance(index, str) else index
    return " ".join(format_factor(f, model, notation, latex=latex) for f in _jacobian(model, i))


def _chain(chain: tuple[Factor | OrderedProduct, ...], model: SymbolicModel,
           notation: Notation, s: _Style) -> str:
    parts = []
    for item in chain:
        if isinstance(item, OrderedProduct):
            body = " ".join(format_factor(f, model, notation, latex=s.latex) for f in item.body)
            parts.append(s.paren(s.big("prod", str(item.index), _time(item.lower) or "",
                                       _time(item.upper) or "", body)))
        else:
            parts.append(format_factor(item, model, notation, latex=s.latex))
    return " ".join(parts)


def format_term(term: Term, model: SymbolicModel, notation: Notation, *,
                latex: bool = True) -> str:
    """Print one term as :math:`(r)^{\\top} v^{\\top}` (θ-shaped gradient).

    Parameters
    ----------
    term : Term
        The term.
    model : SymbolicModel
        The model.
    notation : Notation
        The notation preset.
    latex : bool, optional
        LaTeX (default) or plain text.

    Returns
    -------
    str
        The printed term.
    """
    s = _style(latex)
    row = s.tr(s.paren(_chain(term.chain, model, notation, s)))
    tail = format_factor(term.immediate, model, notation, latex=latex)
    return f"{row} {tail}" if tail else row


def _lhs(param: str, t: Time | None, notation: Notation, s: _Style) -> str:
    return s.partial(_sym(notation, "E", t, s), _sym(notation, param, None, s))


def format_gradient(param: str, terms: tuple[Term, ...], summed: tuple[sp.Symbol, ...],
                    model: SymbolicModel, notation: Notation, *, latex: bool = True) -> str:
    """Print :math:`\\partial E_t/\\partial\\theta` as a sum of terms.

    Parameters
    ----------
    param : str
        The parameter θ.
    terms : tuple of Term
        The terms (all of one step t), or the one general term.
    summed : tuple of sympy.Symbol
        ``(k,)`` to print :math:`\\sum_{k=1}^{t}` of the general term, else ``()``.
    model : SymbolicModel
        The model.
    notation : Notation
        The notation preset.
    latex : bool, optional
        LaTeX (default) or plain text.

    Returns
    -------
    str
        ``lhs = rhs``.
    """
    s = _style(latex)
    body = " + ".join(format_term(term, model, notation, latex=latex) for term in terms)
    if summed:
        body = s.big("sum", str(summed[0]), "1", _time(terms[0].t) or "", body)
    return f"{_lhs(param, terms[0].t, notation, s)} = {body}"


def format_recursion(param: str, model: SymbolicModel, notation: Notation, *,
                     latex: bool = True) -> tuple[str, str]:
    """The backward recursion and the gradient of the total loss it gives.

    Parameters
    ----------
    param : str
        The parameter θ.
    model : SymbolicModel
        The model.
    notation : Notation
        The notation preset.
    latex : bool, optional
        LaTeX (default) or plain text.

    Returns
    -------
    recursion : str
        :math:`\\delta_t = W_y^{\\top} (\\partial E_t/\\partial o_t)^{\\top} +
        J_{t+1}^{\\top}\\delta_{t+1}`, :math:`\\delta_{T+1} = 0`, where
        :math:`\\delta_t = (\\partial E/\\partial h_t)^{\\top}` for the total loss.
    gradient : str
        :math:`\\partial E/\\partial\\theta` in terms of the :math:`\\delta_k`.
    """
    s = _style(latex)

    def sym(key: str, time: Time | None = None) -> str:
        return _sym(notation, key, time, s)

    t, k = sp.symbols("t k")
    head_row = s.paren(" ".join(format_factor(f, model, notation, latex=latex)
                                for f in _head(model, t)))
    delta = (lambda x: rf"\delta_{{{x}}}") if latex else (lambda x: f"delta_({x})")
    J_next = s.paren(format_jacobian(model, notation, t + 1, latex=latex))
    recursion = (f"{delta('t')} = {s.tr(sym('W_y'))} {s.tr(head_row)} + {s.tr(J_next)} "
                 f"{delta('t+1')}, " + (r"\quad " if latex else "") + f"{delta('T+1')} = 0")
    lhs = s.partial(sym("E"), sym(param))
    if param in ("W_y", "b_y"):
        tail = f" {s.tr(sym('h', t))}" if param == "W_y" else ""
        return recursion, f"{lhs} = " + s.big("sum", "t", "1", "T", f"{s.tr(head_row)}{tail}")
    if param == "h_0":
        first = s.paren(format_jacobian(model, notation, 1, latex=latex))
        return recursion, f"{lhs} = {s.tr(first)} {delta(1)}"
    leading, immediate = _tail(model, param, k)
    lead = "".join(f"{format_factor(f, model, notation, latex=latex)} " for f in leading)
    vec = format_factor(immediate, model, notation, latex=latex)
    tail = f" {vec}" if vec else ""
    return recursion, f"{lhs} = " + s.big("sum", "k", "1", "T", f"{lead}{delta('k')}{tail}")
