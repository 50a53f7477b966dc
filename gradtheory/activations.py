r"""The activation table: one row per nonlinearity f, shared by all three layers.

Each row gives f as a SymPy expression (for the symbolic layer), f and f' as NumPy functions
(for the numeric layers), and the two constants the theory needs:

.. math::

    \gamma = \sup_{z\in\mathbb{R}} |f'(z)|, \qquad
    \gamma_{\min} = \inf_{z\in\mathbb{R}} |f'(z)|.

:math:`\gamma` enters the sufficient condition for vanishing gradients,
:math:`\sigma_{\max}(W_{hh}) < 1/\gamma` (Pascanu et al. 2013, §2.1); :math:`\gamma_{\min}`
enters lower bounds. The NumPy derivatives are written for accuracy in the tails (no
``1 - tanh**2`` cancellation, no overflow of ``cosh``), and the test suite checks every one
against SymPy's derivative of the SymPy expression evaluated with 30-digit mpmath arithmetic.

At a kink (``relu`` at 0, ``hardtanh`` at ±1) f' is not defined; the NumPy derivative takes the
right-continuous value of PyTorch's autograd convention (``relu'(0) = 0``), listed in ``kinks``.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import sympy as sp
from scipy.special import expit

from . import _validate

__all__ = ["ACTIVATIONS", "Activation", "get_activation"]

ArrayFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True, kw_only=True, slots=True)
class Activation:
    """One row of the activation table.

    Attributes
    ----------
    name : str
        Table key, as used by ``activation="..."`` everywhere.
    symbolic : callable
        ``symbolic(z)`` returns f(z) as a SymPy expression of the SymPy expression ``z``.
    f : callable
        Elementwise NumPy function f.
    df : callable
        Elementwise NumPy derivative f'.
    gamma : float
        :math:`\\sup_z |f'(z)|`, exactly representable as a float.
    gamma_min : float
        :math:`\\inf_z |f'(z)|`.
    kinks : tuple of float
        Points where f' is discontinuous (empty for smooth f).
    latex : str
        f in LaTeX, with ``z`` as the argument.
    odd : bool
        :math:`f(-z) = -f(z)`. With symmetric inputs the activity then has zero mean, the
        setting in which mean-field theory describes one fixed random network (see
        :mod:`gradtheory.spectral.meanfield`).
    """

    name: str
    symbolic: Callable[[sp.Expr], sp.Expr]
    f: ArrayFn
    df: ArrayFn
    gamma: float
    gamma_min: float
    kinks: tuple[float, ...] = ()
    latex: str
    odd: bool = False

    @property
    def symbolic_gamma(self) -> sp.Rational:
        """:math:`\\gamma` as an exact SymPy rational (all table values are dyadic)."""
        return sp.Rational(self.gamma)

    def __repr__(self) -> str:
        return f"Activation({self.name!r}, gamma={self.gamma:g})"


def _tanh_prime(x: np.ndarray) -> np.ndarray:
    # tanh'(x) = 4 e^{-2|x|} / (1 + e^{-2|x|})^2: no cancellation, no overflow, exact tails.
    e = np.exp(-2.0 * np.abs(x))
    return 4.0 * e / (1.0 + e) ** 2


def _relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0.0)


def _step(x: np.ndarray) -> np.ndarray:
    return (np.asarray(x) > 0.0).astype(np.float64)


def _elu(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0.0, x, np.expm1(np.minimum(x, 0.0)))


def _elu_prime(x: np.ndarray) -> np.ndarray:
    return np.where(x > 0.0, 1.0, np.exp(np.minimum(x, 0.0)))


def _hardtanh_prime(x: np.ndarray) -> np.ndarray:
    return ((np.asarray(x) > -1.0) & (np.asarray(x) < 1.0)).astype(np.float64)


_ROWS = (
    Activation(name="identity", symbolic=lambda z: z, f=lambda x: np.asarray(x, dtype=float) * 1.0,
               df=lambda x: np.ones_like(x, dtype=float), gamma=1.0, gamma_min=1.0, latex="z",
               odd=True),
    Activation(name="tanh", symbolic=sp.tanh, f=np.tanh, df=_tanh_prime,
               gamma=1.0, gamma_min=0.0, latex=r"\tanh(z)", odd=True),
    Activation(name="sigmoid", symbolic=lambda z: 1 / (1 + sp.exp(-z)), f=expit,
               df=lambda x: expit(x) * expit(-x), gamma=0.25, gamma_min=0.0,
               latex=r"\frac{1}{1 + e^{-z}}"),
    Activation(name="relu", symbolic=lambda z: sp.Max(0, z), f=_relu, df=_step,
               gamma=1.0, gamma_min=0.0, kinks=(0.0,), latex=r"\max(0, z)"),
    Activation(name="softplus", symbolic=lambda z: sp.log(1 + sp.exp(z)),
               f=lambda x: np.logaddexp(0.0, x), df=expit, gamma=1.0, gamma_min=0.0,
               latex=r"\log(1 + e^{z})"),
    Activation(name="elu", symbolic=lambda z: sp.Piecewise((z, z > 0), (sp.exp(z) - 1, True)),
               f=_elu, df=_elu_prime, gamma=1.0, gamma_min=0.0,
               latex=r"\begin{cases} z & z > 0 \\ e^{z} - 1 & z \le 0 \end{cases}"),
    Activation(name="hardtanh", symbolic=lambda z: sp.Max(-1, sp.Min(1, z)),
               f=lambda x: np.clip(x, -1.0, 1.0), df=_hardtanh_prime, gamma=1.0, gamma_min=0.0,
               kinks=(-1.0, 1.0), latex=r"\max(-1, \min(1, z))", odd=True),
)

#: The table, keyed by name.
ACTIVATIONS: Mapping[str, Activation] = MappingProxyType({row.name: row for row in _ROWS})


def get_activation(name: str | Activation) -> Activation:
    """Look up a row of the activation table.

    Parameters
    ----------
    name : str or Activation
        A table key (case-insensitive), or a row, returned unchanged.

    Returns
    -------
    Activation
        The row.

    Raises
    ------
    ValidationError
        If ``name`` is not in the table (the message lists the valid names).
    InputTypeError
        If ``name`` is not a string.

    Examples
    --------
    >>> from gradtheory import get_activation
    >>> get_activation("sigmoid").gamma
    0.25
    >>> float(get_activation("tanh").df(0.0))
    1.0
    """
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[_validate.choice(name, "activation", ACTIVATIONS)]
