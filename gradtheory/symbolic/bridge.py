r"""The one bridge from symbols to numbers: ``Derivation.lambdify()``.

The loss-side row :math:`\partial E_t/\partial o_t = (\partial E_t/\partial y_t)
(\partial y_t/\partial o_t)` is the product of the derivation's own head factors, turned into
NumPy by ``sympy.lambdify``; :math:`f` and :math:`f'` are the activation table's NumPy
functions (accurate in the tails, and tested against SymPy's derivative). The sum over
:math:`t` and :math:`k` of the chains is then evaluated in O(T) by the core's one BPTT
(:func:`gradtheory.trajectory.backpropagate`, through the cell's operators)

.. math::

    \delta_t = W_y^{\top} \Big(\frac{\partial E_t}{\partial o_t}\Big)^{\top}
               + J_{t+1}^{\top}\delta_{t+1},\qquad \delta_{T+1} = 0,

and :math:`\partial E/\partial\theta = \sum_k (\partial^{+}h_k/\partial\theta)^{\top}\delta_k`,
which equals :math:`\sum_t\sum_k` of the chains by distributivity.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from .. import _validate
from ..activations import get_activation
from ..cells import CELLS
from ..errors import ValidationError
from ..trajectory import unroll
from .chain import _head
from .evaluation import head_matrix
from .model import UNDEFINED, output_map, step_loss

if TYPE_CHECKING:
    from .bptt import Derivation

__all__ = ["gradient_function"]


def _head_function(derivation: Derivation, p: int) -> Callable[..., Any]:
    """NumPy ``(o_1..o_p, c_1..c_p) -> [dE/do_1, ..., dE/do_p]`` from the head factors."""
    model = derivation.model
    o = sp.Matrix(sp.symbols(f"o_1:{p + 1}"))
    c = sp.Matrix(sp.symbols(f"c_1:{p + 1}"))
    y = output_map(model, o)
    row = sp.ones(1, 1)
    for factor in _head(model, 1):
        row = row * head_matrix(factor.kind, model, o=o, y=y, target=c,
                                loss=lambda v: step_loss(model, v, c, 1),
                                g=lambda z: output_map(model, sp.Matrix([z]))[0])
    return sp.lambdify([*o, *c], list(row), modules="numpy")


def gradient_function(derivation: Derivation) -> Callable[..., np.ndarray]:
    """Build the numeric gradient of the total loss for a derivation.

    Parameters
    ----------
    derivation : Derivation
        The structured derivation (its parameter, form, activation, output map and loss).

    Returns
    -------
    callable
        See :meth:`gradtheory.symbolic.Derivation.lambdify`.

    Raises
    ------
    ValidationError
        If the activation, output map or loss is undefined.
    """
    model = derivation.model
    for name in ("activation", "output", "loss"):
        if getattr(model, name) == UNDEFINED:
            raise ValidationError(
                f"`{name}` must be defined to compute numbers; got 'undefined'.")
    act = get_activation(model.activation)
    heads: dict[int, Callable[..., Any]] = {}

    def grad(*, W_hh: Any, W_xh: Any, b_h: Any, W_y: Any, b_y: Any, h_0: Any, xs: Any,
             ys: Any) -> np.ndarray:
        W = _validate.real_array(W_hh, "W_hh", ndim=2, square=True)
        n = W.shape[0]
        U = _validate.real_array(W_xh, "W_xh", ndim=2, shape=(n, None))
        V = _validate.real_array(W_y, "W_y", ndim=2, shape=(None, n))
        m, p = U.shape[1], V.shape[0]
        b = _validate.real_array(b_h, "b_h", ndim=1, shape=(n,))
        c = _validate.real_array(b_y, "b_y", ndim=1, shape=(p,))
        h = _validate.real_array(h_0, "h_0", ndim=1, shape=(n,))
        X = _validate.real_array(xs, "xs", ndim=2, shape=(model.n_steps, m))
        C = _targets(ys, model.loss, X.shape[0], p)
        if p not in heads:
            heads[p] = _head_function(derivation, p)
        return _backward(derivation, act, heads[p], W, U, b, V, c, h, X, C)

    grad.__doc__ = f"Gradient of the total loss with respect to {derivation.param}."
    return grad


def _targets(ys: Any, loss: str, T: int, p: int) -> np.ndarray:
    """Targets as a (T, p) array; class indices become one-hot rows."""
    if loss != "cross_entropy":
        return _validate.real_array(ys, "ys", ndim=2, shape=(T, p))
    idx = _validate.real_array(ys, "ys", ndim=1, shape=(T,))
    if np.any(idx != np.round(idx)) or np.any(idx < 0) or np.any(idx >= p):
        raise _validate.fail("ys", f"class indices in 0..{p - 1}", f"{idx.tolist()}")
    return np.eye(p)[idx.astype(int)]


def _backward(derivation: Derivation, act: Any, head: Callable[..., Any], W: np.ndarray,
              U: np.ndarray, b: np.ndarray, V: np.ndarray, c: np.ndarray, h0: np.ndarray,
              X: np.ndarray, C: np.ndarray) -> np.ndarray:
    """The gradient through the core's one forward run and one BPTT (the cell by the form)."""
    cell = CELLS[derivation.model.form](W, U, b, act)
    traj = unroll(cell, h0, X, W_y=V, b_y=c)
    H, T = traj.h, X.shape[0]
    out = H @ V.T + c
    if derivation.model.output == "softmax":  # softmax is shift-invariant; avoid overflow
        out = out - out.max(axis=1, keepdims=True)
    with np.errstate(over="ignore", invalid="ignore"):
        R = np.column_stack([np.broadcast_to(np.asarray(v, dtype=float), (T,))
                             for v in head(*out.T, *C.T)])
    if not np.all(np.isfinite(R)):
        raise _validate.fail("xs", "inputs for which the loss gradient is finite",
                             "overflow in the output layer")
    param = derivation.param
    if param == "W_y":
        return R.T @ H
    if param == "b_y":
        return R.sum(axis=0)
    # The loss of every step injects V^T dE_t/do_t at h_t; one backward pass sums them all.
    back = traj.backward({t: V.T @ R[t - 1] for t in range(1, T + 1)}, t=T, summed=True)
    if param == "h_0":
        return back.deltas[0]
    return back.terms[param]
