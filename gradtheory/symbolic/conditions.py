r"""Vanishing and exploding conditions as SymPy relations (symbolic answers stay symbolic).

With :math:`\|\operatorname{diag}(f'(\cdot))\|_2 \le \gamma` and
:math:`\|W_{hh}\|_2 = \sigma_{\max}`, every one-step Jacobian obeys
:math:`\|J_i\|_2 \le \gamma\,\sigma_{\max}`, so (Pascanu, Mikolov & Bengio 2013, §2.1)

.. math::

    \Big\|\frac{\partial h_t}{\partial h_k}\Big\|_2 \le (\gamma\,\sigma_{\max})^{t-k}.

Hence :math:`\gamma\,\sigma_{\max} < 1` is *sufficient* for the long-lag terms to vanish, and
:math:`\gamma\,\sigma_{\max} > 1` is *necessary* for them to explode. For the linear network
(f the identity) :math:`\partial h_t/\partial h_k = W_{hh}^{t-k}`, which tends to 0 if and only
if the spectral radius :math:`\rho(W_{hh}) < 1` and is unbounded if :math:`\rho > 1`.

The symbols are named ``sigma_max``, ``gamma`` and ``rho`` (all ``nonnegative=True``), the
names the spectral layer uses, so a caller can substitute measured values by name.
"""

from __future__ import annotations

import sympy as sp

from .. import _validate
from ..activations import ACTIVATIONS, get_activation
from .model import UNDEFINED

__all__ = ["exploding_condition", "gamma", "jacobian_bound", "linear_conditions", "rho",
           "sigma_max", "vanishing_condition"]

#: :math:`\sigma_{\max}(W_{hh})`, the largest singular value.
sigma_max = sp.Symbol("sigma_max", nonnegative=True)
#: :math:`\gamma = \sup|f'|`.
gamma = sp.Symbol("gamma", nonnegative=True)
#: :math:`\rho(W_{hh})`, the spectral radius.
rho = sp.Symbol("rho", nonnegative=True)


def _gamma(activation: str) -> sp.Expr:
    name = _validate.choice(activation, "activation", (*ACTIVATIONS, UNDEFINED))
    return gamma if name == UNDEFINED else get_activation(name).symbolic_gamma


def _relation(activation: str, cls: type[sp.core.relational.Relational]
              ) -> sp.core.relational.Relational:
    g = _gamma(activation)
    if g == gamma:
        return cls(gamma * sigma_max, 1)
    return cls(sigma_max, 1 / g)


def vanishing_condition(activation: str = UNDEFINED) -> sp.core.relational.Relational:
    """The sufficient condition for vanishing gradients, :math:`\\gamma\\,\\sigma_{\\max} < 1`.

    Parameters
    ----------
    activation : str, optional
        A key of the activation table (γ is substituted and the relation solved for
        ``sigma_max``), or ``"undefined"`` (default) to keep the symbol ``gamma``.

    Returns
    -------
    sympy.core.relational.StrictLessThan
        E.g. ``sigma_max < 4`` for the sigmoid, ``gamma*sigma_max < 1`` in general.

    Examples
    --------
    >>> from gradtheory.symbolic import vanishing_condition
    >>> vanishing_condition("sigmoid"), vanishing_condition()
    (sigma_max < 4, gamma*sigma_max < 1)
    """
    return _relation(activation, sp.StrictLessThan)


def exploding_condition(activation: str = UNDEFINED) -> sp.core.relational.Relational:
    """The necessary condition for exploding gradients, :math:`\\gamma\\,\\sigma_{\\max} > 1`.

    Parameters
    ----------
    activation : str, optional
        A key of the activation table, or ``"undefined"`` (default) to keep ``gamma``.

    Returns
    -------
    sympy.core.relational.StrictGreaterThan
        E.g. ``sigma_max > 1`` for tanh.

    Examples
    --------
    >>> from gradtheory.symbolic import exploding_condition
    >>> exploding_condition("tanh")
    sigma_max > 1
    """
    return _relation(activation, sp.StrictGreaterThan)


def jacobian_bound(activation: str = UNDEFINED, lag: sp.Expr | int | None = None) -> sp.Expr:
    """The bound :math:`(\\gamma\\,\\sigma_{\\max})^{t-k}` on the Jacobian product's norm.

    Parameters
    ----------
    activation : str, optional
        A key of the activation table, or ``"undefined"`` (default) to keep ``gamma``.
    lag : sympy.Expr or int or None, optional
        The lag; default the symbolic ``t - k``.

    Returns
    -------
    sympy.Expr
        The bound.

    Examples
    --------
    >>> from gradtheory.symbolic import jacobian_bound
    >>> jacobian_bound("sigmoid", 3)
    sigma_max**3/64
    """
    if lag is None:
        t, k = sp.symbols("t k", integer=True, nonnegative=True)
        lag = t - k
    return (_gamma(activation) * sigma_max) ** lag


def linear_conditions() -> dict[str, sp.core.relational.Relational]:
    """The linear network's conditions in terms of the spectral radius.

    Returns
    -------
    dict
        ``{"vanishing": rho < 1, "exploding": rho > 1}``: :math:`W^{\\ell}\\to 0` if and only
        if :math:`\\rho < 1`; :math:`\\|W^{\\ell}\\|\\to\\infty` if :math:`\\rho > 1`.

    Examples
    --------
    >>> from gradtheory.symbolic import linear_conditions
    >>> linear_conditions()["vanishing"]
    rho < 1
    """
    return {"vanishing": sp.StrictLessThan(rho, 1), "exploding": sp.StrictGreaterThan(rho, 1)}
