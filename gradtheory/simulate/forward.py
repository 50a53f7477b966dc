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
right (pascanu); :class:`Trajectory` stores the :math:`d_t` (shape (T, n)) and builds a
:math:`J_t` only when asked.

References
----------
Elman, J. L. (1990). Finding structure in time. Cognitive Science 14(2).
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import _validate
from .._repr import summary_repr
from ..activations import Activation
from ..errors import InputTypeError
from ..network import ElmanNetwork

__all__ = ["Trajectory", "simulate"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Trajectory:
    """A simulated trajectory of one network (arrays (T, ·)) or a batch of B (arrays (B, T, ·)).

    Attributes
    ----------
    a : numpy.ndarray, shape (T, n) or (B, T, n)
        Pre-activations :math:`a_t`, t = 1..T (``a[0]`` is :math:`a_1`); in the Pascanu form
        :math:`a_t = h_t`.
    h : numpy.ndarray, shape (T, n) or (B, T, n)
        States :math:`h_t`, t = 1..T.
    x : numpy.ndarray, shape (T, m) or (B, T, m)
        Inputs :math:`x_t`, t = 1..T.
    h_0 : numpy.ndarray, shape (n,) or (B, n)
        State at t = 0 (after the burn-in, if any).
    W_hh : numpy.ndarray, shape (n, n) or (B, n, n)
        Recurrent weights.
    W_xh, b_h, W_y, b_y : numpy.ndarray
        The remaining weights (stacked along a leading B axis for a batch).
    activation : Activation
        The hidden nonlinearity's table row.
    form : str
        ``"elman"`` or ``"pascanu"``.
    """

    __repr__ = summary_repr

    a: np.ndarray
    h: np.ndarray
    x: np.ndarray
    h_0: np.ndarray
    W_hh: np.ndarray
    W_xh: np.ndarray
    b_h: np.ndarray
    W_y: np.ndarray
    b_y: np.ndarray
    activation: Activation
    form: str

    @property
    def batched(self) -> bool:
        """Whether this holds a batch of B networks (a leading axis on every array)."""
        return self.W_hh.ndim == 3

    @property
    def n_steps(self) -> int:
        """Number of steps T."""
        return int(self.h.shape[-2])

    @property
    def n_hidden(self) -> int:
        """Number of hidden units n."""
        return int(self.h.shape[-1])

    @property
    def y(self) -> np.ndarray:
        """Outputs :math:`y_t = W_y h_t + b_y`, shape (T, p) or (B, T, p)."""
        return np.matmul(self.h, np.swapaxes(self.W_y, -1, -2)) + self.b_y[..., None, :]

    @property
    def slope_arguments(self) -> np.ndarray:
        r"""Where f' is taken in each step's Jacobian, t = 1..T.

        Returns
        -------
        numpy.ndarray, shape (T, n) or (B, T, n)
            Elman form :math:`a_t`; Pascanu form :math:`h_{t-1}`. This is the
            ``preactivations`` argument of :func:`gradtheory.trajectory_bound`.
        """
        if self.form == "elman":
            return self.a
        return np.concatenate([self.h_0[..., None, :], self.h[..., :-1, :]], axis=-2)

    def diag_factors(self) -> np.ndarray:
        r"""The diagonal factors :math:`d_t` of the Jacobians, t = 1..T.

        Returns
        -------
        numpy.ndarray, shape (T, n) or (B, T, n)
            Elman form :math:`d_t = f'(a_t)` (:math:`J_t = \operatorname{diag}(d_t) W_{hh}`);
            Pascanu form :math:`d_t = f'(h_{t-1})` (:math:`J_t = W_{hh}\operatorname{diag}(d_t)`).
        """
        return self.activation.df(self.slope_arguments)

    def jacobian(self, t: int) -> np.ndarray:
        r"""One Jacobian :math:`J_t = \partial h_t / \partial h_{t-1}`.

        Parameters
        ----------
        t : int
            Time step, 1..T.

        Returns
        -------
        numpy.ndarray, shape (n, n) or (B, n, n)
            :math:`J_t`.

        Raises
        ------
        ValidationError
            If ``t`` is outside 1..T.

        Examples
        --------
        >>> import numpy as np
        >>> from gradtheory import ElmanNetwork
        >>> from gradtheory.simulate import simulate
        >>> traj = simulate(ElmanNetwork.from_arrays(0.5 * np.eye(2), activation="identity"), 3)
        >>> traj.jacobian(2)
        array([[0.5, 0. ],
               [0. , 0.5]])
        """
        step = _validate.positive_int(t, "t")
        if step > self.n_steps:
            raise _validate.fail("t", f"a time step in 1..{self.n_steps}", repr(step))
        if self.form == "elman":
            d = self.activation.df(self.a[..., step - 1, :])
            return d[..., :, None] * self.W_hh
        prev = self.h_0 if step == 1 else self.h[..., step - 2, :]
        return self.W_hh * self.activation.df(prev)[..., None, :]

    def jacobians(self) -> np.ndarray:
        """All T Jacobians at once (memory T n²: only for small problems).

        Returns
        -------
        numpy.ndarray, shape (T, n, n) or (B, T, n, n)
            ``out[t - 1]`` is :math:`J_t`.
        """
        d = self.diag_factors()
        W = self.W_hh[..., None, :, :]
        if self.form == "elman":
            return d[..., :, None] * W
        return W * d[..., None, :]


def _as_batch(network: Any) -> list[ElmanNetwork]:
    if isinstance(network, ElmanNetwork):
        return [network]
    if isinstance(network, Sequence) and not isinstance(network, str) and network \
            and all(isinstance(net, ElmanNetwork) for net in network):
        first = network[0]
        for net in network[1:]:
            same = (net.W_hh.shape == first.W_hh.shape and net.W_xh.shape == first.W_xh.shape
                    and net.W_y.shape == first.W_y.shape and net.form == first.form
                    and net.activation.name == first.activation.name)
            if not same:
                raise _validate.fail(
                    "network", "a batch of networks with equal sizes, form and activation",
                    f"{first!r} and {net!r}")
        return list(network)
    raise _validate.fail("network", "an ElmanNetwork or a non-empty sequence of them",
                         _validate.describe(network), cls=InputTypeError)


def _run(h: np.ndarray, drive: np.ndarray, W_hh: np.ndarray, f: Any, form: str,
         A: np.ndarray | None = None, H: np.ndarray | None = None) -> np.ndarray:
    """Run (B, n) states through the precomputed drive W_xh x_t + b_h, (B, T, n); fill A, H."""
    Wt = np.swapaxes(W_hh, 1, 2)
    for t in range(drive.shape[1]):
        # Row-vector form h W^T: one batched product per step, the input part precomputed.
        arg = h if form == "elman" else f(h)
        a = np.matmul(arg[:, None, :], Wt)[:, 0] + drive[:, t]
        h = f(a) if form == "elman" else a
        if A is not None and H is not None:
            A[:, t] = a
            H[:, t] = h
    return h


def simulate(network: ElmanNetwork | Sequence[ElmanNetwork], n_steps: int, *,
             inputs: Any = None, input_std: float = 0.0, burn_in: int = 0,
             rng: np.random.Generator | int | None = None) -> Trajectory:
    r"""Run the recurrence for T steps from ``h_0``; return the trajectory.

    Parameters
    ----------
    network : ElmanNetwork or sequence of ElmanNetwork
        One network, or a batch of B networks of equal sizes, form and activation (simulated
        together with stacked weights and ``np.matmul``).
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
    single = isinstance(network, ElmanNetwork)
    T = _validate.positive_int(n_steps, "n_steps")
    s = _validate.real_number(input_std, "input_std", minimum=0.0)
    n_burn = _validate.nonnegative_int(burn_in, "burn_in")
    gen = _validate.rng(rng)
    B, n, m = len(nets), nets[0].n_hidden, nets[0].n_input
    stack = {k: np.stack([getattr(net, k) for net in nets])
             for k in ("W_hh", "W_xh", "b_h", "W_y", "b_y", "h_0")}
    act, form = nets[0].activation, nets[0].form
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
    h = stack["h_0"].copy()
    A = np.empty((B, T, n))
    H = np.empty((B, T, n))
    # An unbounded activation can overflow: checked once below, with a named error.
    with np.errstate(over="ignore", invalid="ignore"):
        if n_burn:
            burn_drive = np.matmul(burn_x, np.swapaxes(stack["W_xh"], 1, 2)) \
                + stack["b_h"][:, None, :]
            h = _run(h, burn_drive, stack["W_hh"], act.f, form)
        h_start = h.copy()
        drive = np.matmul(X, np.swapaxes(stack["W_xh"], 1, 2)) + stack["b_h"][:, None, :]
        _run(h, drive, stack["W_hh"], act.f, form, A, H)
    if not (np.all(np.isfinite(H)) and np.all(np.isfinite(A)) and np.all(np.isfinite(h_start))):
        raise _validate.fail("network", "a network whose states stay finite over n_steps",
                             "an overflow (use a bounded activation or a smaller gain)")
    fields = {"a": A, "h": H, "x": np.ascontiguousarray(X), "h_0": h_start, **{
        k: stack[k] for k in ("W_hh", "W_xh", "b_h", "W_y", "b_y")}}
    if single:
        fields = {k: v[0] for k, v in fields.items()}
    for value in fields.values():
        value.flags.writeable = False  # a frozen result: its arrays cannot change either
    return Trajectory(activation=act, form=form, **fields)


def _stacked_inputs(value: Any, shape: tuple[int, int, int]) -> np.ndarray:
    B, T, m = shape
    flat = _validate.real_array(np.reshape(np.asarray(value), (-1, np.shape(value)[-1]))
                                if np.ndim(value) == 3 else value, "inputs", ndim=2)
    if np.shape(value) != shape:
        raise _validate.fail("inputs", f"an array of shape ({T}, {m}) or ({B}, {T}, {m})",
                             f"shape {np.shape(value)}")
    return flat.reshape(shape)
