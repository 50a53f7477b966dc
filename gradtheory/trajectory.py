r"""One simulated run of a network, or of a batch of networks, and the one numeric BPTT.

A :class:`Trajectory` holds the cell, the states :math:`h_1..h_T`, the inputs and the per-step
caches the cell needs; :meth:`Trajectory.step_jacobians` gives every one-step Jacobian
:math:`J_t = \partial h_t/\partial h_{t-1}` as one structured operator. Every layer takes a
Trajectory, so a report simulates once. :func:`run` is the forward engine (the simulator of
:mod:`gradtheory.simulate` validates and generates inputs around it); :func:`backpropagate` is
the backward one:

.. math::

    \delta_t = r_t + J_{t+1}^\top \delta_{t+1}, \qquad
    \frac{\partial E}{\partial\theta} = \sum_{k=1}^{t}
        \Big(\frac{\partial^+ h_k}{\partial\theta}\Big)^{\!\top}\delta_k, \qquad
    \frac{\partial E}{\partial h_0} = J_1^\top\delta_1,

with :math:`r_k = \partial^+ E/\partial h_k` the error injected directly at step k (for a loss
at step t alone, only :math:`r_t \ne 0`), :math:`J^\top\delta` applied by the operator's
``rmatvec`` and the immediate terms by the cell's ``param_vjp``.

**Log space.** An exploding (or vanishing) network makes :math:`\delta_k` leave float64's
range within a few hundred steps. The recursion keeps :math:`\delta_k = e^{s_k} u_k`: whenever
:math:`\|u\|` leaves :math:`[10^{-100}, 10^{100}]`, :math:`u \leftarrow u/\|u\|` and
:math:`s \leftarrow s + \log\|u\|` (rescaling rarely, so a run that stays in range is
computed exactly as without it, with every :math:`s_k = 0`). The immediate terms are linear in
:math:`\delta_k`, so they carry the same :math:`s_k`. Unrolling the recursion gives
:math:`\delta_k^\top = \sum_{t \ge k} r_t^\top\,\partial h_t/\partial h_k`: the textbook sum
over k of Jacobian products (Werbos 1990; Pascanu et al. 2013, eq. 4-5).

References
----------
Werbos, P. J. (1990). Backpropagation through time: what it does and how to do it. Proc. IEEE.
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _validate
from ._repr import _short, _short_mapping, summary_repr
from .activations import Activation
from .cells import StepJacobian, stack
from .errors import RangeError

__all__ = ["Backward", "Trajectory", "backpropagate", "run", "unroll"]


@dataclass(frozen=True, kw_only=True, slots=True)
class Trajectory:
    """A simulated trajectory of one network (arrays (T, ·)) or a batch of B (arrays (B, T, ·)).

    Attributes
    ----------
    cell : Cell
        The recurrence (with parameters stacked along a leading B axis for a batch).
    states : numpy.ndarray, shape (T, N) or (B, T, N)
        Full states :math:`s_t`, t = 1..T (N = n for the vanilla cells and the GRU; the LSTM's
        state is :math:`[h_t, c_t]`, N = 2n).
    x : numpy.ndarray, shape (T, m) or (B, T, m)
        Inputs :math:`x_t`, t = 1..T.
    s_0 : numpy.ndarray, shape (N,) or (B, N)
        State at t = 0 (after the burn-in, if any).
    cache : mapping of str to numpy.ndarray
        The cell's per-step cache entries (its ``CACHE`` names), each (T, ·) or (B, T, ·):
        ``"a"`` for the vanilla cells (pre-activations; :math:`a_t = h_t` in the Pascanu form).
    W_y, b_y : numpy.ndarray
        The readout of :math:`h_t` (stacked along a leading B axis for a batch).
    """

    cell: Any
    states: np.ndarray
    x: np.ndarray
    s_0: np.ndarray
    cache: Mapping[str, np.ndarray]
    W_y: np.ndarray
    b_y: np.ndarray

    def __repr__(self) -> str:
        # The cache entries read as fields of their own (``a=<float64 array (T, n)>``).
        text = summary_repr(self)
        inner = ", ".join(f"{k}={_short(v)}" for k, v in self.cache.items())
        return text.replace(f"cache={_short_mapping(self.cache)}", inner)

    @property
    def h(self) -> np.ndarray:
        """Hidden states :math:`h_t`, t = 1..T: the state's first block, (T, n) or (B, T, n)."""
        return self.states[..., :self.n_hidden]

    @property
    def h_0(self) -> np.ndarray:
        """:math:`h_0`, (n,) or (B, n)."""
        return self.s_0[..., :self.n_hidden]

    @property
    def a(self) -> np.ndarray:
        """The vanilla cells' cache :math:`a_t` (pre-activations; :math:`h_t` in the Pascanu
        form), (T, n) or (B, T, n)."""
        return self.cache["a"]

    # ------------------------------------------------------------------ the cell's fields
    @property
    def W_hh(self) -> np.ndarray:
        """Recurrent weights, (n, n) or (B, n, n)."""
        return self.cell.W_hh

    @property
    def W_xh(self) -> np.ndarray:
        """Input weights, (n, m) or (B, n, m)."""
        return self.cell.W_xh

    @property
    def b_h(self) -> np.ndarray:
        """Hidden bias, (n,) or (B, n)."""
        return self.cell.b_h

    @property
    def activation(self) -> Activation:
        """The hidden nonlinearity's table row."""
        return self.cell.activation

    @property
    def form(self) -> str:
        """The cell's name (``"elman"`` or ``"pascanu"``)."""
        return str(self.cell.NAME)

    # ------------------------------------------------------------------ sizes
    @property
    def batched(self) -> bool:
        """Whether this holds a batch of B networks (a leading axis on every array)."""
        return self.states.ndim == 3

    @property
    def n_steps(self) -> int:
        """Number of steps T."""
        return int(self.states.shape[-2])

    @property
    def n_hidden(self) -> int:
        """Number of hidden units n (the size of :math:`h_t`)."""
        return int(self.cell.n_hidden)

    @property
    def state_size(self) -> int:
        """N, the size of the full state (and of every step Jacobian)."""
        return int(self.states.shape[-1])

    @property
    def y(self) -> np.ndarray:
        """Outputs :math:`y_t = W_y h_t + b_y`, shape (T, p) or (B, T, p)."""
        return np.matmul(self.h, np.swapaxes(self.W_y, -1, -2)) + self.b_y[..., None, :]

    # ------------------------------------------------------------------ caches and Jacobians
    @property
    def caches(self) -> dict[str, np.ndarray]:
        """The per-step caches of steps 1..T: ``s_prev`` (:math:`s_{t-1}`), ``h_prev``
        (:math:`h_{t-1}`), ``x`` and the cell's own entries.

        Returns
        -------
        dict of str to numpy.ndarray
            Each of shape (T, ·) or (B, T, ·); what :meth:`Cell.jacobian` and
            :meth:`Cell.param_vjp` take.
        """
        s_prev = np.concatenate([self.s_0[..., None, :], self.states[..., :-1, :]], axis=-2)
        return {"s_prev": s_prev, "h_prev": s_prev[..., :self.n_hidden], "x": self.x,
                **self.cache}

    def _cache_at(self, step: int) -> dict[str, np.ndarray]:
        """The cache of one step (1..T) alone, without assembling every step's."""
        at: tuple[Any, ...] = (*(slice(None),) * self.batched, step - 1)  # time follows batch
        s_prev = self.s_0 if step == 1 else self.states[(*at[:-1], step - 2)]
        return {"s_prev": s_prev, "h_prev": s_prev[..., :self.n_hidden], "x": self.x[at],
                **{k: v[at] for k, v in self.cache.items()}}

    @property
    def slope_arguments(self) -> np.ndarray:
        r"""Where f' is taken in each step's Jacobian, t = 1..T.

        Returns
        -------
        numpy.ndarray, shape (T, n) or (B, T, n)
            Elman form :math:`a_t`; Pascanu form :math:`h_{t-1}`. This is the
            ``preactivations`` argument of :func:`gradtheory.trajectory_bound`.
        """
        return self.cell.slope_arguments(self.caches)

    def step_jacobians(self) -> StepJacobian:
        r"""Every :math:`J_t`, t = 1..T, as one structured operator (never formed densely).

        Returns
        -------
        StepJacobian
            Batch axes (T,) or (B, T): ``.step(t - 1)`` is :math:`J_t`.
        """
        return self.cell.jacobian(self.caches)

    def diag_factors(self) -> np.ndarray:
        r"""The diagonal factors :math:`d_t` of the Jacobians, t = 1..T.

        Returns
        -------
        numpy.ndarray, shape (T, n) or (B, T, n)
            Elman form :math:`d_t = f'(a_t)` (:math:`J_t = \operatorname{diag}(d_t) W_{hh}`);
            Pascanu form :math:`d_t = f'(h_{t-1})` (:math:`J_t = W_{hh}\operatorname{diag}(d_t)`).
        """
        return self.step_jacobians().d  # type: ignore[attr-defined]

    def jacobian(self, t: int) -> np.ndarray:
        r"""One Jacobian :math:`J_t = \partial h_t / \partial h_{t-1}`, dense.

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
        return self.cell.jacobian(self._cache_at(step)).dense()

    def jacobians(self) -> np.ndarray:
        """All T Jacobians at once, dense (memory T n²: only for small problems).

        Returns
        -------
        numpy.ndarray, shape (T, n, n) or (B, T, n, n)
            ``out[t - 1]`` is :math:`J_t`.
        """
        return self.step_jacobians().dense()

    def backward(self, inject: Mapping[int, np.ndarray], *, t: int | None = None,
                 summed: bool = False) -> Backward:
        """BPTT from the errors injected at some steps (see :func:`backpropagate`).

        Parameters
        ----------
        inject : mapping of int to numpy.ndarray
            Direct errors :math:`\\partial^+ E/\\partial h_k` by step k.
        t : int or None, optional
            The last step (default the largest key).
        summed : bool, optional
            Sum the parameter terms over steps (default False).

        Returns
        -------
        Backward
            Deltas and parameter terms.
        """
        return backpropagate(self, inject, t=t, summed=summed)


def run(cell: Any, s: np.ndarray, x: np.ndarray, *, keep: bool = True
        ) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Run a batched cell from (B, N) states over (B, T, m) inputs.

    Parameters
    ----------
    cell : Cell
        A batched cell (parameters with a leading B axis).
    s : numpy.ndarray, shape (B, N)
        States before the first input.
    x : numpy.ndarray, shape (B, T, m)
        Inputs.
    keep : bool, optional
        Keep the states and per-step caches (default True); False only returns the last state.

    Returns
    -------
    tuple
        ``(s_T, states, cache)``: the last states (B, N) and, with ``keep``, the states
        :math:`s_t` (B, T, N) and the cell's cache entries, each (B, T, ·) (else empty).

    Notes
    -----
    The input part of all steps is one GEMM (:meth:`Cell.drive`); each step is then one
    batched product (:meth:`Cell.recur`). Overflow is not checked here.
    """
    drive = cell.drive(x)
    B, T = drive.shape[:2]
    states = np.empty((B, T if keep else 0, s.shape[-1]))
    cache: dict[str, np.ndarray] = {}
    for t in range(T):
        s, entries = cell.recur(s, drive[:, t])
        if keep:
            if not cache:
                cache = {k: np.empty((B, T, *v.shape[1:])) for k, v in entries.items()}
            for k, v in entries.items():
                cache[k][:, t] = v
            states[:, t] = s
    return s, states, cache


def unroll(cell: Any, s_0: np.ndarray, x: np.ndarray, *, W_y: np.ndarray,
           b_y: np.ndarray) -> Trajectory:
    """The trajectory of one network from ``s_0`` over inputs (T, m), without validation.

    Parameters
    ----------
    cell : Cell
        One network's cell (no batch axis).
    s_0 : numpy.ndarray, shape (N,)
        Initial state.
    x : numpy.ndarray, shape (T, m)
        Inputs.
    W_y, b_y : numpy.ndarray
        The readout of :math:`h_t`, kept with the trajectory.

    Returns
    -------
    Trajectory
        The run, computed by :func:`run` exactly as :func:`gradtheory.simulate` does.
    """
    _, states, cache = run(stack([cell]), np.asarray(s_0, dtype=float)[None],
                           np.asarray(x)[None])
    return Trajectory(cell=cell, states=states[0], x=np.asarray(x), s_0=np.asarray(s_0),
                      cache={k: v[0] for k, v in cache.items()}, W_y=W_y, b_y=b_y)


@dataclass(frozen=True, kw_only=True, slots=True)
class Backward:
    r"""The result of :func:`backpropagate`, in log space.

    Attributes
    ----------
    t : int
        The last step backpropagated from.
    deltas : numpy.ndarray, shape (t + 1, n)
        Scaled deltas :math:`u_k`, k = 0..t: :math:`\delta_k = \partial E/\partial h_k =
        e^{s_k} u_k` (``deltas[0]`` belongs to :math:`h_0`).
    log_scale : numpy.ndarray, shape (t + 1,)
        :math:`s_k` (all 0 while the deltas stay in float range).
    terms : dict of str to numpy.ndarray
        For each cell parameter: the immediate terms of steps k = 1..t, shape (t, ...), each
        scaled like its delta (true term = ``terms[name][k - 1] * exp(log_scale[k])``); with
        ``summed=True`` their true sum over k (an error if it overflows).
    """

    __repr__ = summary_repr

    t: int
    deltas: np.ndarray
    log_scale: np.ndarray
    terms: dict[str, np.ndarray]


# u is rescaled when its norm leaves [1/_RESCALE, _RESCALE] (as in the lag profile).
_RESCALE = 1e100


def scaled_norm(parts: Any) -> float:
    """Euclidean norm of all the arrays in ``parts`` together, scaled by the largest entry
    first, so the squares neither underflow (1e-190) nor overflow (1e190)."""
    parts = list(parts)
    big = max((float(np.max(np.abs(p))) for p in parts if np.size(p)), default=0.0)
    if big == 0.0:
        return 0.0
    return big * math.sqrt(sum(float(np.sum(np.square(p / big))) for p in parts))


def backpropagate(trajectory: Trajectory, inject: Mapping[int, np.ndarray], *,
                  t: int | None = None, summed: bool = False) -> Backward:
    r"""The one numeric BPTT: :math:`\delta_{k-1} = r_{k-1} + J_k^\top\delta_k` and the
    immediate parameter terms, in log space.

    Parameters
    ----------
    trajectory : Trajectory
        One network's run (not a batch).
    inject : mapping of int to numpy.ndarray, shape (N,)
        The direct errors :math:`r_k = \partial^+ E/\partial s_k` on the full state by step k
        (1..t); steps not listed inject nothing.
    t : int or None, optional
        The last step (default the largest key of ``inject``).
    summed : bool, optional
        Return each parameter's gradient summed over k (default False: one term per step).

    Returns
    -------
    Backward
        The scaled deltas of steps 0..t, their log-scales, and the parameter terms.

    Raises
    ------
    RangeError
        With ``summed=True``, when a summed gradient is outside float64's range.

    Notes
    -----
    Cost :math:`O(t n^2)` for the recursion (one ``rmatvec`` per step) plus the terms. See the
    module docstring for the log-space representation.
    """
    last = max(inject) if t is None else t
    J = trajectory.step_jacobians()
    n = trajectory.state_size
    deltas = np.zeros((last + 1, n))
    log_scale = np.zeros(last + 1)
    delta = np.asarray(inject[last], dtype=float) if last in inject else np.zeros(n)
    s = 0.0
    deltas[last] = delta
    for k in range(last, 0, -1):
        delta = J.step(k - 1).rmatvec(delta)
        if k - 1 in inject:
            delta, s = _add_scaled(delta, s, np.asarray(inject[k - 1], dtype=float))
        c = scaled_norm([delta])
        if c > 0 and (c > _RESCALE or c < 1.0 / _RESCALE):
            delta = delta / c
            s += math.log(c)
        deltas[k - 1] = delta
        log_scale[k - 1] = s
    cache = {key: value[:last] for key, value in trajectory.caches.items()}
    if not summed or not np.any(log_scale[1:]):
        terms = trajectory.cell.param_vjp(cache, deltas[1:], summed=summed)
        return Backward(t=last, deltas=deltas, log_scale=log_scale, terms=terms)
    # Summed over steps of different scales: bring every delta to the largest scale first.
    top = float(np.max(log_scale[1:]))
    weights = np.exp(log_scale[1:] - top)
    terms = trajectory.cell.param_vjp(cache, deltas[1:] * weights[:, None], summed=True)
    for name, value in terms.items():
        big = float(np.max(np.abs(value))) if value.size else 0.0
        if big > 0 and math.log(big) + top > _LOG_MAX:
            raise RangeError(f"`trajectory` must give a gradient within float64's range; got "
                             f"|dE/d{name}| ~ e^{math.log(big) + top:.1f} (the deltas' log-scales "
                             f"are in Backward.log_scale with summed=False).")
        terms[name] = value * math.exp(top)
    return Backward(t=last, deltas=deltas, log_scale=log_scale, terms=terms)


_LOG_MAX = math.log(np.finfo(float).max)


def _add_scaled(delta: np.ndarray, s: float, r: np.ndarray) -> tuple[np.ndarray, float]:
    """``e^s delta + r`` as ``(u, s')`` with ``e^{s'} u`` equal to it: plain ``r + delta`` while
    s = 0, otherwise summed at the larger of the two scales (nothing overflows)."""
    if s == 0.0:
        return r + delta, 0.0
    c = scaled_norm([r])
    if c == 0.0:
        return delta, s
    top = max(s, math.log(c))
    return delta * math.exp(s - top) + r * math.exp(-top), top
