r"""The symbolic layer: BPTT derivations, accumulation analysis, conditions and LaTeX.

:func:`derive` builds the gradient :math:`\partial E_t/\partial\theta` of an Elman network as
ordered chains of factors (the chain rule done by us; SymPy for single steps, printing and the
brute-force oracle), counts which weights accumulate (:attr:`Derivation.accumulation`),
explains it in plain words (:meth:`Derivation.explain`), prints it in a notation
(:meth:`Derivation.to_latex`, :meth:`Derivation.document`) and bridges to NumPy
(:meth:`Derivation.lambdify`). :func:`~gradtheory.verify` proves a derivation
equal to ``sympy.diff`` of the scalar expansion; :mod:`~gradtheory.symbolic.conditions` gives
the vanishing/exploding conditions as SymPy relations.
"""

from .bptt import Derivation, derive
from .conditions import exploding_condition, jacobian_bound, linear_conditions, vanishing_condition
from .oracle import Verification, verify

__all__ = [
    "Derivation",
    "Verification",
    "derive",
    "exploding_condition",
    "jacobian_bound",
    "linear_conditions",
    "vanishing_condition",
    "verify",
]
