r"""Structured backpropagation through time: the :class:`Derivation` of ∂E/∂θ.

For an Elman network (see :mod:`gradtheory.symbolic.model`) and a parameter θ among
``W_hh, W_xh, b_h, W_y, b_y, h_0``, the gradient of the loss at step t is a sum of ordered
chains of factors (Pascanu, Mikolov & Bengio 2013, eqs. 3-5; column vectors, numerator-layout
Jacobians, newest factor on the left):

.. math::

    \frac{\partial E_t}{\partial \theta}
      = \sum_{k=1}^{t} \frac{\partial E_t}{\partial h_t}
        \Big(\prod_{i=k+1}^{t} J_i\Big) \frac{\partial^{+} h_k}{\partial \theta},
    \qquad
    \frac{\partial E_t}{\partial h_t}
      = \frac{\partial E_t}{\partial y_t}\frac{\partial y_t}{\partial o_t} W_y,

with :math:`J_i = \operatorname{diag}(f'(a_i)) W_{hh}` (elman) or
:math:`W_{hh}\operatorname{diag}(f'(h_{i-1}))` (pascanu). The total loss sums over t,
:math:`\partial E/\partial\theta = \sum_{t=1}^{T}\partial E_t/\partial\theta`, and is computed
in O(T) by the backward recursion

.. math::

    \delta_t = W_y^{\top}\Big(\frac{\partial E_t}{\partial o_t}\Big)^{\top}
               + J_{t+1}^{\top}\delta_{t+1},\quad \delta_{T+1} = 0,
    \qquad \frac{\partial E}{\partial W_{hh}}
      = \sum_{k=1}^{T}\operatorname{diag}(f'(a_k))\,\delta_k\,h_{k-1}^{\top}\ (\text{elman}).

Gradients have θ's shape: the printed :math:`\partial E_t/\partial\theta` is the transpose of
the numerator-layout Jacobian, i.e. denominator layout. Papers with *row* state vectors
(:math:`h_t = f(h_{t-1} W + x_t U)`) write every product in the reverse order with transposed
factors; the factor counts are the same.

SymPy's matrix-expression ``diff`` is not used: it fails on two or more nonlinear steps and is
unreliable on transposes; the chain is built here and SymPy differentiates single steps only.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Bengio, Y., Simard, P. and Frasconi, P. (1994). Learning long-term dependencies with gradient
descent is difficult. IEEE Trans. Neural Networks 5(2).
Werbos, P. J. (1990). Backpropagation through time: what it does and how to do it. Proc. IEEE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from .. import _validate
from ..errors import InputTypeError
from ..notation import Notation, get_notation
from .accumulation import Accumulation, explain_accumulation, tally
from .bridge import gradient_function
from .chain import Factor, Term, general_term, instantiate, terms_at
from .document import derivation_document
from .evaluation import factor_matrix, immediate_gradient
from .latex import format_gradient, format_recursion
from .model import PARAMS, ScalarNetwork, SymbolicModel, make_model

__all__ = ["Derivation", "derive"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Derivation:
    """The structured gradient :math:`\\partial E_t/\\partial\\theta` and what it implies.

    Attributes
    ----------
    param : str
        The parameter θ.
    model : SymbolicModel
        Form, activation, output map, loss, horizon.
    notation : Notation
        The default notation of the printed forms.
    terms : tuple of Term
        The terms of :math:`\\partial E_T/\\partial\\theta` (k = 1..T), or the one general term
        of :math:`\\partial E_t/\\partial\\theta` when the horizon is symbolic.
    summed : tuple of sympy.Symbol
        ``(k,)`` when the general term is summed over k, else ``()`` (always ``()`` for a
        concrete horizon, whose terms are listed).
    accumulation : Accumulation
        Factor counts of each weight by lag.
    """

    param: str
    model: SymbolicModel
    notation: Notation
    terms: tuple[Term, ...]
    summed: tuple[sp.Symbol, ...]
    accumulation: Accumulation

    @property
    def n_steps(self) -> int | None:
        """The horizon T, or ``None`` for a symbolic t."""
        return self.model.n_steps

    def terms_at(self, t: int) -> tuple[Term, ...]:
        """The terms of :math:`\\partial E_t/\\partial\\theta` at a concrete step.

        Parameters
        ----------
        t : int
            The loss step, >= 1.

        Returns
        -------
        tuple of Term
            Chains written out factor by factor.
        """
        return terms_at(self.model, self.param, _validate.positive_int(t, "t"))

    def evaluate(self, net: ScalarNetwork) -> sp.Matrix:
        """The structured gradient of the total loss for a scalar expansion of the model.

        Multiplies every chain factor by factor (single-step derivatives by SymPy) and sums the
        terms over k and t. This is the quantity the oracle compares with ``sympy.diff``.
        For a symbolic horizon the derivation's own general term is instantiated at every
        concrete t and k (:func:`~gradtheory.symbolic.chain.instantiate`), so what is checked
        is the term this derivation states; for a concrete horizon the terms of every step
        t = 1..T are built by :func:`~gradtheory.symbolic.chain.terms_at`.

        Parameters
        ----------
        net : ScalarNetwork
            From :func:`gradtheory.symbolic.model.expand_network` for this model.

        Returns
        -------
        sympy.Matrix
            :math:`\\partial E/\\partial\\theta` with θ's shape (vectors as columns).
        """
        cache: dict[Factor, sp.Matrix] = {}
        T = len(net.h) - 1
        total = sp.zeros(*net.params[self.param].shape)
        for t in range(1, T + 1):
            for term in self._concrete_terms(t):
                row = sp.ones(1, 1)
                for factor in term.chain:
                    row = row * factor_matrix(factor, net, cache)
                total += immediate_gradient(term.immediate, row, net)
        return total

    def _concrete_terms(self, t: int) -> tuple[Term, ...]:
        """The concrete terms of :math:`\\partial E_t/\\partial\\theta` that evaluate sums."""
        if self.model.n_steps is None:
            return tuple(c for term in self.terms for c in instantiate(term, self.summed, t))
        return terms_at(self.model, self.param, t)

    # ------------------------------------------------------------------ presentation
    def to_latex(self, notation: str | Notation | None = None) -> str:
        """:math:`\\partial E_t/\\partial\\theta = \\ldots` as a LaTeX equation body.

        Parameters
        ----------
        notation : str or Notation or None, optional
            A notation preset; default the derivation's own.

        Returns
        -------
        str
            The equation, no ``$`` delimiters.

        Examples
        --------
        >>> from gradtheory.symbolic import derive
        >>> print(derive("b_h", n_steps=1).to_latex())  # doctest: +NORMALIZE_WHITESPACE
        \\frac{\\partial E_{1}}{\\partial b_{h}} =
        \\left(\\frac{\\partial E_{1}}{\\partial y_{1}} W_{y}
        \\operatorname{diag}(f'(a_{1}))\\right)^{\\top}
        """
        return format_gradient(self.param, self.terms, self.summed, self.model,
                               self._notation(notation))

    def to_text(self, notation: str | Notation | None = None) -> str:
        """The same equation as :meth:`to_latex`, in plain text.

        Parameters
        ----------
        notation : str or Notation or None, optional
            A notation preset; default the derivation's own.

        Returns
        -------
        str
            The equation.
        """
        return format_gradient(self.param, self.terms, self.summed, self.model,
                               self._notation(notation), latex=False)

    def recursion(self, notation: str | Notation | None = None, *,
                  latex: bool = True) -> tuple[str, str]:
        """The backward recursion for :math:`\\delta_t` and the total gradient it gives.

        Parameters
        ----------
        notation : str or Notation or None, optional
            A notation preset; default the derivation's own.
        latex : bool, optional
            LaTeX (default) or plain text.

        Returns
        -------
        tuple of str
            ``(recursion, gradient)``.
        """
        return format_recursion(self.param, self.model, self._notation(notation), latex=latex)

    def explain(self, notation: str | Notation | None = None, *, latex: bool = False) -> str:
        """Two or three plain sentences on which factors accumulate, in a notation.

        Parameters
        ----------
        notation : str or Notation or None, optional
            A notation preset; default the derivation's own.
        latex : bool, optional
            Plain text (default), or LaTeX text with the mathematics in ``$...$``.

        Returns
        -------
        str
            The explanation.

        Examples
        --------
        >>> from gradtheory.symbolic import derive
        >>> print(derive("W_xh", n_steps=4, notation="ng").explain())
        ... # doctest: +ELLIPSIS
        W_ax itself is never a repeated factor: ... never as (W_ya^T)^k.
        """
        return explain_accumulation(self.param, self.model, self._notation(notation),
                                    latex=latex)

    def document(self, notation: str | Notation | None = None) -> str:
        """A complete, step-by-step LaTeX document of this derivation (compiles with pdflatex).

        Parameters
        ----------
        notation : str or Notation or None, optional
            A notation preset; default the derivation's own.

        Returns
        -------
        str
            The ``.tex`` source.
        """
        return derivation_document(self, self._notation(notation))

    def lambdify(self) -> Callable[..., np.ndarray]:
        """The numeric gradient of the total loss: the one bridge from symbols to numbers.

        Returns
        -------
        callable
            ``grad(*, W_hh, W_xh, b_h, W_y, b_y, h_0, xs, ys)`` with ``xs`` of shape (T, m) and
            ``ys`` of shape (T, p) (targets; for cross-entropy, T class indices), returning
            :math:`\\sum_t \\partial E_t/\\partial\\theta` with θ's shape.

        Raises
        ------
        ValidationError
            If the activation, output map or loss is undefined (no numbers to compute with).

        Examples
        --------
        >>> import numpy as np
        >>> from gradtheory.symbolic import derive
        >>> grad = derive("b_y", activation="identity").lambdify()
        >>> grad(W_hh=np.zeros((1, 1)), W_xh=np.ones((1, 1)), b_h=np.zeros(1),
        ...      W_y=np.ones((1, 1)), b_y=np.zeros(1), h_0=np.zeros(1),
        ...      xs=[[1.0], [2.0]], ys=[[0.0], [0.0]])
        array([3.])
        """
        return gradient_function(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: parameter, model, LaTeX, accumulation, explanation.

        Returns
        -------
        dict
            Keys ``param``, ``form``, ``activation``, ``output``, ``loss``, ``n_steps``,
            ``notation``, ``latex``, ``text``, ``lags``, ``accumulation``, ``explanation``.
        """
        acc = self.accumulation.to_dict()
        return {"param": self.param, "form": self.model.form,
                "activation": self.model.activation, "output": self.model.output,
                "loss": self.model.loss, "n_steps": self.n_steps,
                "notation": self.notation.name, "latex": self.to_latex(),
                "text": self.to_text(), "lags": acc["lags"], "accumulation": acc["counts"],
                "explanation": self.explain()}

    def _notation(self, notation: str | Notation | None) -> Notation:
        return self.notation if notation is None else get_notation(notation)

    def _repr_latex_(self) -> str:
        return f"$\\displaystyle {self.to_latex()}$"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        horizon = "t" if self.n_steps is None else f"T={self.n_steps}"
        return (f"Derivation(param={self.param!r}, {horizon}, form={self.model.form!r}, "
                f"activation={self.model.activation!r}, terms={len(self.terms)})")


def _param(value: Any) -> str:
    if not isinstance(value, str):
        raise _validate.fail("param", "one of " + ", ".join(PARAMS), _validate.describe(value),
                             cls=InputTypeError)
    if value.strip() not in PARAMS:
        raise _validate.fail("param", "one of " + ", ".join(PARAMS), repr(value))
    return value.strip()


def derive(param: str, *, n_steps: int | None = None, activation: str = "tanh",
           output: str = "identity", loss: str = "squared", form: str = "elman",
           notation: str | Notation = "elman") -> Derivation:
    """Derive :math:`\\partial E_t/\\partial\\theta` in structured (chain) form.

    Parameters
    ----------
    param : {"W_hh", "W_xh", "b_h", "W_y", "b_y", "h_0"}
        The parameter θ.
    n_steps : int or None, optional
        Horizon T: the terms of :math:`\\partial E_T/\\partial\\theta` are written out. ``None``
        (default): a symbolic t, one general term with an ordered product.
    activation : str, optional
        Hidden activation from the table, or ``"undefined"``; default ``"tanh"``.
    output : {"identity", "sigmoid", "softmax", "undefined"}, optional
        Output map g; default ``"identity"``.
    loss : {"squared", "cross_entropy", "undefined"}, optional
        Per-step loss; default ``"squared"`` (cross-entropy needs ``output="softmax"``).
    form : {"elman", "pascanu"}, optional
        The recurrence; default ``"elman"``.
    notation : str or Notation, optional
        Default notation of the printed forms; default ``"elman"``.

    Returns
    -------
    Derivation
        Frozen: the terms, their factor counts and the printers.

    Raises
    ------
    ValidationError
        On an unknown name or a non-positive ``n_steps``.
    InputTypeError
        On a non-string name.

    See Also
    --------
    gradtheory.verify : prove the result equal to ``sympy.diff``.

    Examples
    --------
    >>> from gradtheory.symbolic import derive
    >>> d = derive("W_xh", n_steps=3)
    >>> d.accumulation.counts["W_hh"], d.accumulation.counts["W_y"]
    ((0, 1, 2), (1, 1, 1))
    >>> derive("W_hh").accumulation.to_dict()["counts"]["W_hh"]
    ['t - k']
    """
    key = _param(param)
    model = make_model(n_steps=n_steps, activation=activation, output=output, loss=loss,
                       form=form)
    preset = get_notation(notation)
    if model.n_steps is None:
        term, summed = general_term(model, key)
        terms: tuple[Term, ...] = (term,)
    else:
        terms, summed = terms_at(model, key, model.n_steps), ()
    return Derivation(param=key, model=model, notation=preset, terms=terms, summed=summed,
                      accumulation=tally(key, terms))



# The names the concrete evaluation had when it lived here (kept for existing importers).
_factor_matrix = factor_matrix
_immediate = immediate_gradient
