r"""``check_bptt``: is a user's backpropagation-through-time gradient right?

The loss is the squared error of the last step,

.. math::

    E_T = \tfrac12\,\|W_y h_T + b_y - \hat y\|^2,

on a seeded run of T steps. The reference gradient is gradtheory's per-lag BPTT sum
(:func:`gradtheory.temporal_contributions`), itself checked here against central finite
differences of :math:`E_T` so the verdict never rests on one implementation. When the user's
gradient is wrong, the partial sums of the per-lag terms tell *how*: a gradient equal to the
sum over lags :math:`0..K` is BPTT truncated after K steps (K = 0: no backpropagation through
time at all).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate
from ..errors import InputTypeError
from ..network import PARAMETERS as NETWORK_PARAMETERS
from ..network import ElmanNetwork
from ..simulate import simulate, temporal_contributions
from .adapters import as_network
from .assertions import GradientAssertionError

__all__ = ["PARAMETERS", "BPTTCheck", "check_bptt"]

#: The parameters a gradient function may return, by name (the network's parameter table).
PARAMETERS = tuple(p.name for p in NETWORK_PARAMETERS)
# Central differences: truncation O(h^2 E''') and rounding O(eps E / h) balance near
# h = eps^(1/3) ~ 6e-6 (relative to the entry's scale), giving ~1e-10 relative accuracy.
_FD_STEP = 6e-6
_FD_AGREEMENT = 1e-6


@dataclass(frozen=True, kw_only=True, slots=True)
class BPTTCheck:
    """The outcome of :func:`check_bptt` (returned when every gradient is right).

    Attributes
    ----------
    errors : dict of str to float
        Relative error :math:`\\|g - g_{ref}\\| / \\|g_{ref}\\|` of each returned gradient.
    reference_error : float
        Largest relative difference between gradtheory's BPTT and finite differences.
    n_steps : int
        T.
    """

    errors: dict[str, float]
    reference_error: float
    n_steps: int


def _loss(net: ElmanNetwork, X: np.ndarray, target: np.ndarray) -> float:
    h = simulate(net, X.shape[0], inputs=X).h[-1]
    e = net.W_y @ h + net.b_y - target
    return 0.5 * float(e @ e)


def _finite_differences(net: ElmanNetwork, X: np.ndarray, target: np.ndarray,
                        param: str) -> np.ndarray:
    base = getattr(net, param)
    grad = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        h = _FD_STEP * max(1.0, abs(float(base[idx])))
        up, down = base.copy(), base.copy()
        up[idx] += h
        down[idx] -= h
        grad[idx] = (_loss(net.replace(**{param: up}), X, target)
                     - _loss(net.replace(**{param: down}), X, target)) / (2.0 * h)
    return grad


def _relative(a: np.ndarray, b: np.ndarray) -> float:
    scale = float(np.linalg.norm(b))
    diff = float(np.linalg.norm(a - b))
    return diff / scale if scale > 0 else diff


def _diagnosis(given: np.ndarray, terms: np.ndarray, reference: np.ndarray, rtol: float) -> str:
    """How a wrong gradient relates to the per-lag terms, in words."""
    if given.shape != reference.shape:
        return ("it is the transpose of the right gradient"
                if _relative(given.T, reference) <= rtol else
                f"it has shape {given.shape}, the transpose of {reference.shape}, and is wrong "
                "even transposed")
    partial = np.cumsum(terms, axis=0)
    errors = [_relative(given, partial[K]) for K in range(partial.shape[0])]
    K = int(np.argmin(errors))
    nonzero = np.flatnonzero(np.any(terms.reshape(terms.shape[0], -1) != 0, axis=1))
    T = int(nonzero[-1]) if nonzero.size else 0     # the most distant lag with a term
    if errors[K] <= rtol and K < T:
        if K == 0:
            return ("it equals the lag-0 term alone: no backpropagation through time (the "
                    "W_hh product of every earlier step is missing)")
        return (f"it equals BPTT truncated after {K} lag(s): the terms of lags {K + 1}..{T} "
                "are missing")
    if _relative(-given, reference) <= rtol:
        return "it has the wrong sign"
    return "it matches no truncation of the BPTT sum"


def check_bptt(gradient_fn: Callable[..., Mapping[str, Any]], network: Any, *,
               n_steps: int = 12, input_std: float = 1.0, rtol: float = 1e-6,
               rng: np.random.Generator | int | None = 0) -> BPTTCheck:
    r"""Check a user's BPTT gradient against gradtheory's exact per-lag sum and finite
    differences.

    Parameters
    ----------
    gradient_fn : callable
        ``gradient_fn(network, inputs, target) -> {name: gradient}`` with ``network`` an
        :class:`~gradtheory.ElmanNetwork`, ``inputs`` of shape (T, m), ``target`` of shape
        (p,), returning :math:`\partial E_T/\partial\theta` (θ's own shape) for any of
        :data:`PARAMETERS`, where :math:`E_T = \tfrac12\|W_y h_T + b_y - \hat y\|^2`.
    network : ElmanNetwork, array_like, path or torch nn.RNN
        The network (small ones keep the finite differences cheap: n ≤ 16).
    n_steps : int, optional
        T (default 12), at least 2 so that time matters.
    input_std : float, optional
        Std of the random inputs (default 1).
    rtol : float, optional
        Allowed relative error :math:`\|g - g_{ref}\|/\|g_{ref}\|` (default 1e-6).
    rng : numpy.random.Generator or int or None, optional
        Randomness of the inputs and target (default seed 0).

    Returns
    -------
    BPTTCheck
        The relative errors, when every returned gradient is right.

    Raises
    ------
    GradientAssertionError
        Naming each wrong parameter, its error and what the gradient looks like (truncated
        BPTT, transposed, wrong sign).
    ValidationError
        If the function returns no known parameter, a wrong shape, or a non-finite value.
    InputTypeError
        If ``gradient_fn`` is not callable or does not return a mapping.
    RuntimeError
        If gradtheory's own reference disagrees with finite differences (a bug to report).

    Examples
    --------
    >>> import numpy as np
    >>> import gradtheory as gt
    >>> def no_bptt(net, x, y):  # only the last step's direct term
    ...     e = net.W_y @ gt.simulate(net, len(x), inputs=x).h[-1] + net.b_y - y
    ...     return {"b_y": e}
    >>> check_bptt(no_bptt, gt.ElmanNetwork.random(4, gain=0.5, rng=0)).errors["b_y"] < 1e-12
    True
    """
    if not callable(gradient_fn):
        raise _validate.fail("gradient_fn", "a callable", _validate.describe(gradient_fn),
                             cls=InputTypeError)
    net = as_network(network)
    T = _validate.positive_int(n_steps, "n_steps")
    if T < 2:
        raise _validate.fail("n_steps", "at least 2 (with one step nothing crosses time)",
                             repr(T))
    tolerance = _validate.real_number(rtol, "rtol", minimum=0.0, strict=True)
    s = _validate.real_number(input_std, "input_std", minimum=0.0)
    gen = _validate.rng(rng)
    X = s * gen.standard_normal((T, net.n_input))
    target = gen.standard_normal(net.n_output)
    given = gradient_fn(net, X.copy(), target.copy())
    if not isinstance(given, Mapping):
        raise _validate.fail("gradient_fn", "a function returning a mapping {name: gradient}",
                             f"one returning {_validate.describe(given)}", cls=InputTypeError)
    unknown = sorted(set(given) - set(PARAMETERS))
    if unknown or not given:
        raise _validate.fail("gradient_fn", f"a mapping with keys among {', '.join(PARAMETERS)}",
                             f"keys {', '.join(map(str, given)) or '(none)'}")
    tc = temporal_contributions(net, X, target)
    errors, wrong, ref_error = {}, [], 0.0
    for param in PARAMETERS:
        if param not in given:
            continue
        terms = tc.contributions[param]
        reference = terms.sum(axis=0)
        ref_error = max(ref_error, _relative(reference,
                                             _finite_differences(net, X, target, param)))
        g = np.asarray(given[param], dtype=float)
        if g.shape != reference.shape and not (g.ndim == 2 and g.shape[::-1] == reference.shape):
            raise _validate.fail(f"gradient_fn(...)[{param!r}]", f"shape {reference.shape}",
                                 f"shape {g.shape}")
        if not np.all(np.isfinite(g)):
            raise _validate.fail(f"gradient_fn(...)[{param!r}]", "finite", "NaN or inf")
        errors[param] = _relative(g, reference) if g.shape == reference.shape else math.inf
        if errors[param] > tolerance:
            wrong.append(f"dE_T/d{param} is wrong (relative error {errors[param]:.3g} > rtol "
                         f"{tolerance:g}): {_diagnosis(g, terms, reference, tolerance)}")
    if ref_error > _FD_AGREEMENT:
        raise RuntimeError(f"gradtheory's BPTT reference differs from finite differences by "
                           f"{ref_error:.3g} (relative); please report this network")
    if wrong:
        raise GradientAssertionError(
            "; ".join(wrong) + f". Loss E_T = 1/2 ||W_y h_T + b_y - y||^2 at T = {T}; "
            f"reference: gradtheory's per-lag BPTT sum, which matches central finite "
            f"differences to {ref_error:.1e}.")
    return BPTTCheck(errors=errors, reference_error=ref_error, n_steps=T)
