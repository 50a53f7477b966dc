r"""Forward simulation of one network or a batch of networks, with lazy one-step Jacobians.

Conventions (time runs t = 1..T; ``h_0`` is the state before the first input):

.. math::

    \text{elman:}\quad & a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h,\quad h_t = f(a_t),\quad
    J_t = \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(f'(a_t))\, W_{hh} \\
    \text{pascanu:}\quad & h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h,\quad a_t = h_t,\quad
    J_t = W_{hh} \operatorname{diag}(f'(h_{t-1}))

and the readout :math:`y_t = W_y h_t + b_y`. In the Pascanu form the state is itself the
argument of f at the next step, so the trajectory stores :math:`a_t = h_t`. Either way
:math:`J_t` is a diagonal factor :math:`d_t` times :math:`W_{hh}`, on the left (elman) or on the
right (pascanu); the trajectory's cell builds them as structured operators only when asked
(:meth:`Trajectory.step_jacobians`). The recurrence itself is the cell's
(:func:`gradtheory.trajectory.run`); this module validates, batches and draws the inputs.

References
----------
Elman, J. L. (1990). Finding structure in time. Cognitive Science 14(2).
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

from .. import _validate
from ..cells import stack
from ..errors import InputTypeError
from ..network import ElmanNetwork
from ..recurrent import RecurrentNetwork
from ..trajectory import Trajectory, run

__all__ = ["Trajectory", "simulate"]


_NETWORKS = (ElmanNetwork, RecurrentNetwork)


def _as_batch(network: Any) -> list[Any]:
    if isinstance(network, _NETWORKS):
        return [network]
    if isinstance(network, Sequence) and not isinstance(network, str) and network \
            and all(isinstance(net, _NETWORKS) for net in network):
        first = network[0]
        for net in network[1:]:
            same = (type(net.cell) is type(first.cell) and net.W_y.shape == first.W_y.shape
                    and all(getattr(net.cell, p.name).shape == getattr(first.cell, p.name).shape
                            for p in first.cell.PARAMETERS)
                    and getattr(net, "activation", None) == getattr(first, "activation", None))
            if not same:
                raise _validate.fail(
                    "network", "a batch of networks with equal sizes, form and activation",
                    f"{first!r} and {net!r}")
        return list(network)
    raise _validate.fail("network", "an ElmanNetwork or RecurrentNetwork, or a non-empty "
                         "sequence of them", _validate.describe(network), cls=InputTypeError)


def simulate(network: ElmanNetwork | Sequence[ElmanNetwork], n_steps: int, *,
             inputs: Any = None, input_std: float = 0.0, burn_in: int = 0,
             rng: np.random.Generator | int | None = None) -> Trajectory:
    r"""Run the recurrence for T steps from ``h_0``; return the trajectory.

    Parameters
    ----------
    network : ElmanNetwork, RecurrentNetwork, or a sequence of them
        One network, or a batch of B networks of one cell kind, equal sizes, form and
        activation (simulated together with stacked weights and ``np.matmul``). A
        :class:`~gradtheory.RecurrentNetwork` (LSTM, GRU) starts from its ``s_0``.
    n_steps : int
        Number of steps T.
    inputs : array_like or None, optional
        Inputs :math:`x_t`, t = 1..T: shape (T, m), or (B, T, m) for a batch (a (T, m) array
        drives every network of a batch). ``None`` (default): i.i.d. Gaussian
        :math:`x_t \sim N(0, s^2 I_m)` with ``s = input_std``.
    input_std : float, optional
        Std s of the generated inputs (default 0: no input); only when ``inputs`` is None.
    burn_in : int, optional
        Steps run before t = 1 and discarded (default 0), driven like the generated inputs
        (zero input when ``inputs`` is given); the trajectory's ``h_0`` is the state after them.
    rng : numpy.random.Generator or int or None, optional
        Randomness for the generated inputs (burn-in drive first, then the T inputs).

    Returns
    -------
    Trajectory
        ``.a`` and ``.h`` of shape (T, n) for one network, (B, T, n) for a batch.

    Raises
    ------
    ValidationError
        On a non-positive ``n_steps``, negative ``input_std`` or ``burn_in``, inputs of the
        wrong shape or not finite, a mixed batch.
    InputTypeError
        If ``network`` is not an ElmanNetwork or a sequence of them.

    Notes
    -----
    Cost :math:`O(B T n (n + m))`. No Jacobian is formed; see :meth:`Trajectory.jacobian`.

    Examples
    --------
    >>> from gradtheory import ElmanNetwork
    >>> from gradtheory.simulate import simulate
    >>> traj = simulate(ElmanNetwork.random(8, gain=0.9, rng=0), 100, input_std=0.5, rng=1)
    >>> traj.h.shape, traj.a.shape
    ((100, 8), (100, 8))
    """
    nets = _as_batch(network)
    single = isinstance(network, _NETWORKS)
    T = _validate.positive_int(n_steps, "n_steps")
    s = _validate.real_number(input_std, "input_std", minimum=0.0)
    n_burn = _validate.nonnegative_int(burn_in, "burn_in")
    gen = _validate.rng(rng)
    B, m = len(nets), nets[0].n_input
    cell = stack([net.cell for net in nets])
    readout = {k: np.stack([getattr(net, k) for net in nets])
               for k in ("W_y", "b_y", "initial_state")}
    if inputs is None:
        burn_x = s * gen.standard_normal((B, n_burn, m)) if s > 0 else np.zeros((B, n_burn, m))
        X = s * gen.standard_normal((B, T, m)) if s > 0 else np.zeros((B, T, m))
    else:
        arr = np.asarray(inputs) if not hasattr(inputs, "detach") else inputs
        ndim = 2 if single or np.ndim(arr) == 2 else 3
        if ndim == 2:
            X = _validate.real_array(arr, "inputs", ndim=2, shape=(T, m))
            X = np.broadcast_to(X, (B, T, m))
        else:
            X = _stacked_inputs(arr, (B, T, m))
        burn_x = np.zeros((B, n_burn, m))
    h = readout["initial_state"].copy()
    # An unbounded activation can overflow: checked once below, with a named error.
    with np.errstate(over="ignore", invalid="ignore"):
        if n_burn:
            h = run(cell, h, burn_x, keep=False)[0]
        h_start = h.copy()
        _, H, cache = run(cell, h, X)
    finite = [np.all(np.isfinite(v)) for v in (H, h_start, *cache.values())]
    if not all(finite):
        raise _validate.fail("network", "a network whose states stay finite over n_steps",
                             "an overflow (use a bounded activation or a smaller gain)")
    fields: dict[str, Any] = {"states": H, "x": np.ascontiguousarray(X), "s_0": h_start,
              "W_y": readout["W_y"], "b_y": readout["b_y"]}
    if single:
        fields = {k: v[0] for k, v in fields.items()}
        cache = {k: v[0] for k, v in cache.items()}
        cell = nets[0].cell
    else:
        for p in cell.PARAMETERS:
            getattr(cell, p.name).flags.writeable = False
    for value in (*fields.values(), *cache.values()):
        value.flags.writeable = False  # a frozen result: its arrays cannot change either
    fields["cache"] = MappingProxyType(cache)
    return Trajectory(cell=cell, **fields)


def _stacked_inputs(value: Any, shape: tuple[int, int, int]) -> np.ndarray:
    B, T, m = shape
    flat = _validate.real_array(np.reshape(np.asarray(value), (-1, np.shape(value)[-1]))
                                if np.ndim(value) == 3 else value, "inputs", ndim=2)
    if np.shape(value) != shape:
        raise _validate.fail("inputs", f"an array of shape ({T}, {m}) or ({B}, {T}, {m})",
                             f"shape {np.shape(value)}")
    return flat.reshape(shape)
