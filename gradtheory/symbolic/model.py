r"""The symbolic model: which network, output map and loss a derivation is about.

A :class:`SymbolicModel` fixes the *form* of the recurrence, the hidden activation :math:`f`
(a row of the activation table, or an undefined function), the output map :math:`g`, the
per-step loss :math:`E_t` and the horizon (a concrete :math:`T` or a symbolic :math:`t`):

.. math::

    \text{elman:}\quad a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h,\quad h_t = f(a_t), \\
    \text{pascanu:}\quad h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h, \\
    o_t = W_y h_t + b_y,\quad y_t = g(o_t),\quad E = \sum_{t=1}^{T} E_t(y_t).

Output maps: ``identity`` (:math:`g(o) = o`), ``sigmoid`` (elementwise), ``softmax``
(:math:`g(o)_i = e^{o_i}/\sum_j e^{o_j}`) and ``undefined`` (an elementwise undefined
:math:`g`). Losses: ``squared`` (:math:`E_t = \tfrac12\|y_t - y^*_t\|^2`), ``cross_entropy``
(:math:`E_t = -\log y_{t,c_t}` for a class index :math:`c_t`, with the softmax output) and
``undefined`` (an undefined scalar function :math:`E_t(y_t)`).

:func:`expand_network` writes the same model out in scalars for concrete sizes
(:math:`n, m, p, T`): every weight entry is its own SymPy symbol. Both the brute-force oracle and
the concrete evaluation of a structured derivation start from this one expansion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import sympy as sp

from .. import _validate
from ..activations import ACTIVATIONS, get_activation
from ..cells import CELLS
from ..cells.symbolic import SymbolicStep
from ..errors import ValidationError
from ..network import FORMS, PARAMETERS

__all__ = [
    "LOSSES",
    "OUTPUTS",
    "PARAMS",
    "UNDEFINED",
    "ScalarNetwork",
    "SymbolicModel",
    "derivative",
    "expand_network",
    "make_model",
    "output_map",
    "step_loss",
]

#: The name that asks for an undefined function (activation, output map or loss).
UNDEFINED = "undefined"

#: Parameters a derivation can be taken with respect to: name -> description.
#: (The network's one parameter table, :data:`gradtheory.network.PARAMETERS`, with shapes.)
PARAMS: Mapping[str, str] = MappingProxyType({
    p.name: f"{p.description} ({', '.join(p.shape)}{',' if len(p.shape) == 1 else ''})"
    for p in PARAMETERS})

#: Output maps y_t = g(o_t): name -> description.
OUTPUTS: Mapping[str, str] = MappingProxyType({
    "identity": "y_t = o_t",
    "sigmoid": "y_t = 1/(1 + exp(-o_t)) elementwise",
    "softmax": "y_t = exp(o_t)/sum(exp(o_t))",
    UNDEFINED: "y_t = g(o_t) elementwise, g undefined",
})

#: Per-step losses: name -> description.
LOSSES: Mapping[str, str] = MappingProxyType({
    "squared": "E_t = 1/2 ||y_t - y*_t||^2",
    "cross_entropy": "E_t = -log y_t[c_t] (softmax output, class index c_t)",
    UNDEFINED: "E_t = E_t(y_t), an undefined scalar function",
})


@dataclass(frozen=True, kw_only=True, slots=True)
class SymbolicModel:
    """What a derivation is about: form, activation, output map, loss, horizon.

    Attributes
    ----------
    form : {"elman", "pascanu"}
        The recurrence (see the module docstring).
    activation : str
        A key of :data:`gradtheory.ACTIVATIONS`, or ``"undefined"`` for an undefined f.
    output : str
        A key of :data:`OUTPUTS`.
    loss : str
        A key of :data:`LOSSES`.
    n_steps : int or None
        The horizon T, or ``None`` for a symbolic t.
    """

    form: str
    activation: str
    output: str
    loss: str
    n_steps: int | None

    @property
    def cell(self) -> SymbolicStep:
        """The recurrence's symbolic row: the cell's own ``symbolic()`` (see
        :mod:`gradtheory.cells.symbolic`)."""
        return CELLS[self.form].symbolic()

    @property
    def gamma(self) -> sp.Expr:
        """:math:`\\gamma = \\sup|f'|` from the table, or the symbol ``gamma`` if f is undefined."""
        if self.activation == UNDEFINED:
            return sp.Symbol("gamma", nonnegative=True)
        return get_activation(self.activation).symbolic_gamma

    def f(self, z: sp.Expr) -> sp.Expr:
        """The hidden activation applied to ``z``.

        Parameters
        ----------
        z : sympy.Expr
            Argument.

        Returns
        -------
        sympy.Expr
            :math:`f(z)`, with f the table's expression or the undefined function ``f``.
        """
        if self.activation == UNDEFINED:
            return sp.Function("f")(z)
        return get_activation(self.activation).symbolic(z)


def make_model(*, n_steps: int | None = None, activation: str = "tanh",
               output: str = "identity", loss: str = "squared", form: str = "elman"
               ) -> SymbolicModel:
    """Validate the description of a model once and freeze it.

    Parameters
    ----------
    n_steps : int or None, optional
        Horizon T (a positive integer) or ``None`` for a symbolic t.
    activation : str, optional
        A key of the activation table or ``"undefined"``; default ``"tanh"``.
    output : str, optional
        A key of :data:`OUTPUTS`; default ``"identity"``.
    loss : str, optional
        A key of :data:`LOSSES`; default ``"squared"``. ``"cross_entropy"`` needs
        ``output="softmax"``.
    form : {"elman", "pascanu"}, optional
        The recurrence; default ``"elman"``.

    Returns
    -------
    SymbolicModel
        The validated model.

    Raises
    ------
    ValidationError
        On an unknown name, a non-positive horizon, or cross-entropy without softmax.

    Examples
    --------
    >>> from gradtheory.symbolic.model import make_model
    >>> make_model(n_steps=3, activation="sigmoid").gamma
    1/4
    """
    T = None if n_steps is None else _validate.positive_int(n_steps, "n_steps")
    act = _validate.choice(activation, "activation", (*ACTIVATIONS, UNDEFINED))
    out = _validate.choice(output, "output", OUTPUTS)
    los = _validate.choice(loss, "loss", LOSSES)
    if los == "cross_entropy" and out != "softmax":
        raise ValidationError(
            f"`output` must be 'softmax' with loss='cross_entropy'; got {out!r}.")
    return SymbolicModel(form=_validate.choice(form, "form", FORMS), activation=act,
                         output=out, loss=los, n_steps=T)


@dataclass(frozen=True, kw_only=True, slots=True)
class ScalarNetwork:
    """A model written out in scalars for concrete sizes (see :func:`expand_network`).

    Attributes
    ----------
    model : SymbolicModel
        The model expanded.
    params : Mapping[str, sympy.Matrix]
        Each parameter as a matrix of scalar symbols (vectors as columns).
    xs, targets : tuple of sympy.Matrix
        Inputs :math:`x_1..x_T` (m x 1) and targets (p x 1; one-hot for cross-entropy).
    h : tuple of sympy.Matrix
        States :math:`h_0..h_T`.
    a : tuple of sympy.Matrix
        Pre-activations :math:`a_1..a_T` (index 0 is ``None``-like: an empty matrix).
    o, y : tuple of sympy.Matrix
        Output pre-activations and outputs (index 0 unused).
    losses : tuple of sympy.Expr
        :math:`E_1..E_T` (index 0 is 0).
    f, g : callable
        The hidden activation and the elementwise output function, on scalars.
    E : callable
        ``E(t, y)``: the per-step loss of the output vector ``y`` at step ``t``.
    """

    model: SymbolicModel
    params: MappingProxyType[str, sp.Matrix]
    xs: tuple[sp.Matrix, ...]
    targets: tuple[sp.Matrix, ...]
    h: tuple[sp.Matrix, ...]
    a: tuple[sp.Matrix, ...]
    o: tuple[sp.Matrix, ...]
    y: tuple[sp.Matrix, ...]
    losses: tuple[sp.Expr, ...]
    f: Callable[[sp.Expr], sp.Expr]
    g: Callable[[sp.Expr], sp.Expr]
    E: Callable[[int, sp.Matrix], sp.Expr]

    @property
    def total_loss(self) -> sp.Expr:
        """:math:`E = \\sum_t E_t`."""
        return sp.Add(*self.losses)


def _matrix(name: str, rows: int, cols: int) -> sp.Matrix:
    if cols == 1:
        return sp.Matrix(rows, 1, lambda i, _j: sp.Symbol(f"{name}_{i + 1}"))
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i + 1}{j + 1}"))


def expand_network(model: SymbolicModel, *, n_hidden: int, n_input: int, n_output: int,
                   n_steps: int, functions: dict[str, Callable[..., sp.Expr]] | None = None
                   ) -> ScalarNetwork:
    """Write the model out in scalar symbols for concrete sizes.

    Parameters
    ----------
    model : SymbolicModel
        The model.
    n_hidden, n_input, n_output : int
        Sizes n, m, p.
    n_steps : int
        Horizon T.
    functions : dict or None, optional
        Concrete stand-ins for undefined functions (keys ``"f"``, ``"g"``: scalar callables;
        ``"E"``: ``E(t, y)``), used by the oracle's random-function check; default the
        undefined SymPy functions ``f``, ``g`` and ``E_t``.

    Returns
    -------
    ScalarNetwork
        Symbols, states and losses. Cross-entropy targets are one-hot vectors of the class
        :math:`c_t = (t - 1) \\bmod p`.

    Examples
    --------
    >>> from gradtheory.symbolic.model import expand_network, make_model
    >>> net = expand_network(make_model(activation="identity"), n_hidden=1, n_input=1,
    ...                      n_output=1, n_steps=1)
    >>> net.h[1][0]
    W_hh_1*h_0_1 + W_xh_1*x_1_1 + b_h_1
    """
    fns = dict(functions or {})
    n, m, p, T = n_hidden, n_input, n_output, n_steps
    f = fns.get("f", model.f)
    g = fns.get("g", sp.Function("g") if model.output == UNDEFINED else _OUTPUT_SCALAR[
        model.output])
    params = {"W_hh": _matrix("W_hh", n, n), "W_xh": _matrix("W_xh", n, m),
              "b_h": _matrix("b_h", n, 1), "W_y": _matrix("W_y", p, n),
              "b_y": _matrix("b_y", p, 1), "h_0": _matrix("h_0", n, 1)}
    xs = [sp.zeros(0, 1)] + [_matrix(f"x_{t}", m, 1) for t in range(1, T + 1)]
    if model.loss == "cross_entropy":
        targets = [sp.zeros(0, 1)] + [sp.Matrix(p, 1, lambda i, _j, t=t: int(i == (t - 1) % p))
                                      for t in range(1, T + 1)]
    else:
        targets = [sp.zeros(0, 1)] + [_matrix(f"ystar_{t}", p, 1) for t in range(1, T + 1)]

    def E(t: int, y: sp.Matrix) -> sp.Expr:
        if "E" in fns:
            return fns["E"](t, y)
        return step_loss(model, y, targets[t], t)

    step = model.cell.step
    h, a, o, y, losses = [params["h_0"]], [sp.zeros(0, 1)], [sp.zeros(0, 1)], \
        [sp.zeros(0, 1)], [sp.S.Zero]
    for t in range(1, T + 1):
        a_t, h_t = step(params, h[-1], xs[t], f)
        a.append(a_t)
        h.append(h_t)
        o.append(params["W_y"] * h[-1] + params["b_y"])
        y.append(output_map(model, o[-1], g))
        losses.append(E(t, y[-1]))
    return ScalarNetwork(model=model, params=MappingProxyType(params), xs=tuple(xs),
                         targets=tuple(targets), h=tuple(h), a=tuple(a), o=tuple(o),
                         y=tuple(y), losses=tuple(losses), f=f, g=g, E=E)


def derivative(fn: Callable[[sp.Expr], sp.Expr], z: sp.Expr) -> sp.Expr:
    """A single-step derivative :math:`\\phi'(z)` of a scalar function, by SymPy.

    Parameters
    ----------
    fn : callable
        The scalar function :math:`\\phi` (an activation or an output function).
    z : sympy.Expr
        Where to evaluate the derivative.

    Returns
    -------
    sympy.Expr
        ``diff(phi(u), u)`` with ``u`` replaced by ``z`` (a ``Subs`` for an undefined φ).

    Examples
    --------
    >>> import sympy as sp
    >>> from gradtheory.symbolic.model import derivative
    >>> derivative(sp.tanh, sp.Symbol("a"))
    1 - tanh(a)**2
    """
    u = sp.Dummy("u")
    return sp.diff(fn(u), u).subs(u, z)


def step_loss(model: SymbolicModel, y: sp.Matrix, target: sp.Matrix, t: int) -> sp.Expr:
    """The per-step loss :math:`E_t(y_t)` of the model's loss.

    Parameters
    ----------
    model : SymbolicModel
        The model.
    y : sympy.Matrix
        The output :math:`y_t` (p x 1).
    target : sympy.Matrix
        The target (p x 1; one-hot for cross-entropy, where :math:`E_t = -\\sum_i c_i \\log y_i`).
    t : int
        The step (names the undefined function ``E_t``).

    Returns
    -------
    sympy.Expr
        The loss.
    """
    if model.loss == "squared":
        return sp.Rational(1, 2) * sp.Add(*(v**2 for v in y - target))
    if model.loss == "cross_entropy":
        return -sp.Add(*(c * sp.log(v) for v, c in zip(y, target, strict=True) if c != 0))
    return sp.Function(f"E_{t}")(*y)


def output_map(model: SymbolicModel, o: sp.Matrix,
               g: Callable[[sp.Expr], sp.Expr] | None = None) -> sp.Matrix:
    """The output :math:`y = g(o)` (softmax, or an elementwise g).

    Parameters
    ----------
    model : SymbolicModel
        The model.
    o : sympy.Matrix
        Output pre-activation (p x 1).
    g : callable or None, optional
        A stand-in for an undefined g; default the model's.

    Returns
    -------
    sympy.Matrix
        :math:`y` (p x 1).
    """
    if model.output == "softmax":
        e = o.applyfunc(sp.exp)
        return e / sp.Add(*e)
    if g is None:
        g = sp.Function("g") if model.output == UNDEFINED else _OUTPUT_SCALAR[model.output]
    return o.applyfunc(g)


def _sigmoid(z: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-z))


# Elementwise output functions (softmax is not elementwise: see _output).
_OUTPUT_SCALAR: Mapping[str, Callable[[sp.Expr], sp.Expr]] = MappingProxyType({
    "identity": lambda z: z, "sigmoid": _sigmoid, "softmax": lambda z: z})
