r"""The brute-force oracle: expand into scalars, differentiate with ``sympy.diff``, compare.

For concrete small sizes (:math:`n \le 3`, :math:`m \le 2`, :math:`T \le 4` are the tested
ones) the network is written out with one SymPy symbol per weight entry
(:func:`~gradtheory.symbolic.model.expand_network`), the total loss
:math:`E = \sum_{t=1}^{T} E_t` is differentiated entry by entry with ``sympy.diff`` (no chain rule
of ours involved), and the result is compared with the structured derivation evaluated factor by
factor (:meth:`~gradtheory.symbolic.Derivation.evaluate`):

* ``method="exact"``: every entry of the difference expands (or simplifies) to exactly 0 — a
  proof for these sizes, and for every function when f, g or E is undefined;
* ``method="random"``: the difference is evaluated at random rational points. Undefined f, g
  and E are replaced by random polynomials with rational coefficients (a random point in
  function space). Where the result is rational (identity activation, polynomial stand-ins)
  (relu too) the comparison is exact; otherwise (tanh, exp, log) the same point is evaluated
  with 60-digit floats and the difference must be below :math:`10^{-40}\max(1, |g|)` for
  each entry g of the oracle's gradient (60-digit evaluation of these small expressions errs
  by about :math:`10^{-58}`: 18 digits of margin, while a wrong term differs at order one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .. import _validate
from .model import UNDEFINED, ScalarNetwork, expand_network

if TYPE_CHECKING:
    from .bptt import Derivation

__all__ = ["METHODS", "Verification", "oracle_gradient", "verify"]

#: Comparison methods: name -> description.
METHODS: Mapping[str, str] = MappingProxyType({
    "exact": "expand(structured - oracle) == 0 for every entry",
    "random": "structured == oracle at random rational points (and random polynomial "
              "stand-ins for undefined functions)",
    "auto": "exact for the smallest polynomial cases, random otherwise"})

_DIGITS = 60
_TOLERANCE = sp.Float("1e-40", _DIGITS)


@dataclass(frozen=True, kw_only=True, slots=True)
class Verification:
    """The outcome of comparing a structured derivation with the scalar oracle.

    Attributes
    ----------
    param : str
        The parameter θ.
    verified : bool
        True when every entry agreed.
    method : {"exact", "random"}
        How they were compared.
    n_hidden, n_input, n_output, n_steps : int
        The sizes expanded.
    n_points : int
        Random points evaluated (0 for ``"exact"``).
    max_difference : float or None
        Largest absolute difference seen (0.0 for an exact proof, ``None`` when an exact
        comparison failed and no number measures by how much).
    """

    param: str
    verified: bool
    method: str
    n_hidden: int
    n_input: int
    n_output: int
    n_steps: int
    n_points: int
    max_difference: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields.

        Returns
        -------
        dict
            All attributes.
        """
        return {"param": self.param, "verified": self.verified, "method": self.method,
                "n_hidden": self.n_hidden, "n_input": self.n_input,
                "n_output": self.n_output, "n_steps": self.n_steps,
                "n_points": self.n_points, "max_difference": self.max_difference}


def oracle_gradient(net: ScalarNetwork, param: str) -> sp.Matrix:
    """:math:`\\partial E/\\partial\\theta` entry by entry with ``sympy.diff`` of the total loss.

    Parameters
    ----------
    net : ScalarNetwork
        The scalar expansion.
    param : str
        The parameter θ.

    Returns
    -------
    sympy.Matrix
        The gradient with θ's shape (vectors as columns).

    Examples
    --------
    >>> from gradtheory.symbolic.model import expand_network, make_model
    >>> net = expand_network(make_model(activation="identity"), n_hidden=1, n_input=1,
    ...                      n_output=1, n_steps=1)
    >>> oracle_gradient(net, "b_y")[0].expand() == (net.y[1][0] - net.targets[1][0]).expand()
    True
    """
    E = net.total_loss
    return net.params[param].applyfunc(lambda s: sp.diff(E, s))


def _rational(gen: np.random.Generator) -> sp.Rational:
    q = int(gen.integers(2, 13))
    return sp.Rational(int(gen.integers(-q, q + 1)), q)


def _stand_ins(derivation: Derivation, gen: np.random.Generator
               ) -> dict[str, Callable[..., sp.Expr]]:
    """Random polynomials (rational coefficients) for the undefined f, g and E_t."""
    model = derivation.model
    fns: dict[str, Callable[..., sp.Expr]] = {}

    def cubic() -> Callable[[sp.Expr], sp.Expr]:
        c = [_rational(gen) for _ in range(4)]
        return lambda z: c[0] + c[1] * z + c[2] * z**2 + c[3] * z**3

    if model.activation == UNDEFINED:
        fns["f"] = cubic()
    if model.output == UNDEFINED:
        fns["g"] = cubic()
    if model.loss == UNDEFINED:
        coef: dict[int, tuple[list[sp.Rational], list[sp.Rational]]] = {}

        def E(t: int, y: sp.Matrix) -> sp.Expr:
            p = len(y)
            if t not in coef:
                coef[t] = ([_rational(gen) for _ in range(p)],
                           [_rational(gen) for _ in range(p * p)])
            lin, quad = coef[t]
            return (sp.Add(*(a * v for a, v in zip(lin, y, strict=True)))
                    + sp.Add(*(quad[i * p + j] * y[i] * y[j]
                               for i in range(p) for j in range(i, p))))

        fns["E"] = E
    return fns


def verify(derivation: Derivation, *, n_hidden: int = 2, n_input: int = 1, n_output: int = 1,
           n_steps: int | None = None, method: str = "auto", n_points: int = 3,
           rng: np.random.Generator | int | None = 0) -> Verification:
    """Prove a structured derivation equal to ``sympy.diff`` of the scalar expansion.

    Parameters
    ----------
    derivation : Derivation
        The structured derivation (for a symbolic horizon, its terms are instantiated at
        ``n_steps``).
    n_hidden, n_input, n_output : int, optional
        Sizes n, m, p (default 2, 1, 1).
    n_steps : int or None, optional
        Horizon T; default the derivation's, or 3 for a symbolic one.
    method : {"auto", "exact", "random"}, optional
        See :data:`METHODS`; ``"auto"`` (default) is exact when n T <= 4 with an identity or
        undefined output and a defined loss, random otherwise.
    n_points : int, optional
        Random points (each with fresh stand-ins for undefined functions); default 3.
    rng : numpy.random.Generator or int or None, optional
        Randomness for ``"random"``; default seed 0.

    Returns
    -------
    Verification
        ``verified`` and how.

    Raises
    ------
    ValidationError
        On a non-positive size or an unknown method.

    Examples
    --------
    >>> from gradtheory.symbolic import derive
    >>> from gradtheory.symbolic.oracle import verify
    >>> verify(derive("W_xh", n_steps=2), method="exact").verified
    True
    """
    n = _validate.positive_int(n_hidden, "n_hidden")
    m = _validate.positive_int(n_input, "n_input")
    p = _validate.positive_int(n_output, "n_output")
    T = _validate.positive_int(n_steps if n_steps is not None else derivation.n_steps or 3,
                               "n_steps")
    how = _validate.choice(method, "method", METHODS)
    points = _validate.positive_int(n_points, "n_points")
    gen = _validate.rng(rng)
    model = derivation.model
    if how == "auto":
        rational = model.output in ("identity", UNDEFINED) and model.loss != UNDEFINED
        how = "exact" if rational and n * T <= 4 else "random"
    sizes = {"n_hidden": n, "n_input": m, "n_output": p, "n_steps": T}

    def difference(fns: dict[str, Callable[..., sp.Expr]] | None) -> sp.Matrix:
        net = expand_network(model, functions=fns, **sizes)
        return derivation.evaluate(net) - oracle_gradient(net, derivation.param)

    if how == "exact":
        # expand settles polynomial identities; rational functions (softmax) need simplify.
        ratio = model.output in ("softmax", "sigmoid")
        ok = all(sp.expand(d) == 0 or (ratio and sp.simplify(d) == 0)
                 for d in difference(None))
        return Verification(param=derivation.param, verified=ok, method="exact",
                            n_points=0, max_difference=0.0 if ok else None, **sizes)
    undefined = UNDEFINED in (model.activation, model.output, model.loss)
    worst, ok, pair = 0.0, True, None
    for _ in range(points):
        if pair is None or undefined:
            net = expand_network(model, functions=_stand_ins(derivation, gen), **sizes)
            pair = (derivation.evaluate(net), oracle_gradient(net, derivation.param))
        symbols = sorted(set().union(*(e.free_symbols for e in pair[1])), key=str)
        exact = {s: _rational(gen) for s in symbols}
        structured, oracle = (side.xreplace(exact) for side in pair)
        if all(v.is_Rational for v in (*structured, *oracle)):
            ok &= structured == oracle
            worst = max(worst, *(abs(float(a - b)) for a, b in zip(structured, oracle,
                                                                        strict=True)))
            continue
        # Transcendental values: the same point as 60-digit Floats, evaluated bottom-up.
        floats = {s: sp.Float(q, _DIGITS) for s, q in exact.items()}
        structured, oracle = (side.xreplace(floats) for side in pair)
        for a, b in zip(structured, oracle, strict=True):
            gap = abs(a - b)
            worst = max(worst, float(gap))
            ok &= bool(gap <= _TOLERANCE * max(1, abs(b)))
    return Verification(param=derivation.param, verified=bool(ok), method="random",
                        n_points=points, max_difference=worst, **sizes)
