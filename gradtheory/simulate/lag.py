r"""Lag profiles: how the Jacobian of a late state with respect to an earlier one scales with
the lag, measured in log space.

For a final time T and lags L = 1..L_max (``anchor="final"``, what BPTT from a loss at T sees):

.. math::

    P_L = \frac{\partial h_T}{\partial h_{T-L}} = J_T J_{T-1} \cdots J_{T-L+1},
    \qquad P_L = P_{L-1} J_{T-L+1},

and with ``anchor="initial"``, :math:`P_L = \partial h_L / \partial h_0 = J_L \cdots J_1`
(how a perturbation of the initial state is forgotten). Three flavours are reported:

* ``log_norm_spectral``: :math:`\log\|P_L\|_2`, the norm the theory bounds
  (:math:`\|P_L\|_2 \le (\gamma\sigma_{\max})^L`);
* ``log_norm_frobenius``: :math:`\tfrac12\log(\|P_L\|_F^2/n)`, the log root-mean-square
  singular value, whose square mean-field theory predicts (:math:`\|P_L\|_F^2/n \approx \chi^L`);
* ``log_norm_direction``: :math:`\log\|v^\top P_L\|` (final anchor: the error signal BPTT
  carries back from a unit direction v at T) or :math:`\log\|P_L v\|` (initial anchor).

**Log space.** The running product is kept as :math:`P_L = e^{s_L} Q_L`; after each factor
:math:`\log\|P_L\|_F = s_L + \log\|Q_L\|_F`, and whenever :math:`c = \|Q\|_F` leaves
:math:`[10^{-100}, 10^{100}]`, :math:`Q \leftarrow Q/c`, :math:`s \leftarrow s + \log c`
(rescaling rarely instead of every step saves a pass over Q). Nothing under- or overflows for
any horizon (T = 100 000 at gains 0.1 to 5 gives finite log-norms); an exactly zero product
(dead ReLUs) gives :math:`-\infty`, never NaN.

**Spectral norm without an SVD per lag.** :math:`\|P_L\|_2 = e^{s_L}\sqrt{\lambda_1(A)}`,
:math:`A = Q Q^\top`. As factors are appended, the top left singular subspaces of the product
converge (Oseledets), so a block power iteration on A with k vectors (default 8), warm-started
from the previous lag's block and closed by a Rayleigh–Ritz step, needs one or two iterations of
:math:`O(k n^2)`, against the :math:`O(n^3)` product step. The top Ritz value θ is a lower
bound, and ``spectral_error`` is a *proof* of the other side, not a convergence test (a small
Ritz residual only brackets *some* eigenvalue; a block locked onto a non-dominant subspace
has one):

.. math::

    \lambda_1 \le \theta + \tau, \quad \tau = \|Q\|_F^2 - \textstyle\sum_i \theta_i, \qquad
    \lambda_1 \le \max(\theta, e) + \frac{\rho^2}{h + \sqrt{h^2 + \rho^2}},

the first since the mass τ of Q outside the block bounds its top direction there, the second a
2×2 majorant with the Ritz residuals ρ and :math:`e = \theta_{j+1} + \tau`
(``gradtheory/simulate/_spectral_norm.py`` states and proves both, with their rounding
allowance). So :math:`0 \le \log\|P_L\|_2 - (s_L + \log\sqrt\theta) \le` ``spectral_error``.
When the bound is above ``tol`` after ``max_iter`` iterations (or stops improving), the lag
falls back to an exact SVD (error 0); the block restarts from the exact singular vectors if it
had missed the top direction. For n <= 16 every lag uses the exact SVD, which is then cheaper
than the iteration's overhead. The tests compare every lag with ``numpy.linalg.norm(P, 2)`` on
networks in all three regimes and both forms, on adversarial products whose dominant direction
appears late, and by Hypothesis.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Bengio, Y., Simard, P. and Frasconi, P. (1994). Learning long-term dependencies with gradient
descent is difficult. IEEE Trans. Neural Networks 5(2).
Poole, B. et al. (2016). Exponential expressivity in deep neural networks through transient
chaos. NeurIPS (the mean-field χ).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np

from .. import _validate
from .._json import finite_list
from .._repr import freeze_arrays, summary_repr
from .._threads import blas_threads, check_threads
from ..cells import StepJacobian
from ..errors import InputTypeError
from ..network import ElmanNetwork
from ._spectral_norm import certified_log_norm
from .fit import RateFit, fit_rate
from .forward import Trajectory, simulate

__all__ = ["ANCHORS", "LagProfile", "lag_profile"]

#: Lag-profile anchors: name -> the product measured.
ANCHORS: Mapping[str, str] = MappingProxyType({
    "final": "dh_T/dh_{T-L} = J_T ... J_{T-L+1} (BPTT from a loss at T)",
    "initial": "dh_L/dh_0 = J_L ... J_1 (forgetting of the initial state)",
})


# Up to this size an SVD of the normalised product costs less than the iteration's overhead.
_EXACT_BELOW = 16
# The running product is rescaled when its Frobenius norm leaves [1/_RESCALE, _RESCALE].
# 1e50, not larger: the power iteration forms Q Q^T U (entries up to ||Q||^2) and squares it
# inside a norm, so ||Q|| must stay below ~1e75 to keep every intermediate under 1e308.
_RESCALE = 1e50


@dataclass(frozen=True, kw_only=True, slots=True)
class LagProfile:
    """Log-norms of Jacobian products at every lag, averaged over samples.

    Attributes
    ----------
    lags : numpy.ndarray of int, shape (L,)
        Lags 1..L_max.
    log_norm_spectral : numpy.ndarray or None, shape (L,)
        Mean over samples of :math:`\\log\\|P_L\\|_2` (None if not computed).
    log_norm_frobenius : numpy.ndarray, shape (L,)
        Mean of :math:`\\tfrac12\\log(\\|P_L\\|_F^2/n)` (log RMS singular value).
    log_norm_direction : numpy.ndarray, shape (L,)
        Mean of :math:`\\log\\|v^\\top P_L\\|` (final) or :math:`\\log\\|P_L v\\|` (initial),
        for the unit vector v = direction / ||direction||.
    samples_spectral, samples_frobenius, samples_direction : numpy.ndarray, shape (S, L)
        The per-sample curves (one per network of a batch and final time).
    spectral_error : numpy.ndarray or None, shape (L,)
        Bound on :math:`\\log\\|P_L\\|_2` minus the reported value, maximal over samples
        (0 where an exact SVD was used).
    n_exact_svd : int
        How many (lag, sample) pairs needed the exact SVD.
    anchor : str
        ``"final"`` or ``"initial"`` (see :data:`ANCHORS`).
    final_times : tuple of int
        Final times T averaged over (final anchor).
    n_hidden : int
        n.
    """

    __repr__ = summary_repr

    lags: np.ndarray
    log_norm_spectral: np.ndarray | None
    log_norm_frobenius: np.ndarray
    log_norm_direction: np.ndarray
    samples_spectral: np.ndarray | None
    samples_frobenius: np.ndarray
    samples_direction: np.ndarray
    spectral_error: np.ndarray | None
    n_exact_svd: int
    anchor: str
    final_times: tuple[int, ...]
    n_hidden: int

    def __post_init__(self) -> None:
        freeze_arrays(self)

    def fit(self, flavour: str = "spectral", *, window: tuple[int, int] | None = None,
            confidence: float = 0.95) -> RateFit:
        """Fit the per-step log-rate of one flavour (see :func:`fit_rate`).

        Parameters
        ----------
        flavour : {"spectral", "frobenius", "direction"}, optional
            Which curve; default ``"spectral"``.
        window : tuple of int or None, optional
            Lags to fit; default automatic (past the transient).
        confidence : float, optional
            Level of the interval; default 0.95.

        Returns
        -------
        RateFit
            Rate, interval and the exponential/power-law verdict.

        Raises
        ------
        ValidationError
            On an unknown flavour, or ``"spectral"`` when it was not computed.
        """
        key = _validate.choice(flavour, "flavour", ("spectral", "frobenius", "direction"))
        samples = getattr(self, f"samples_{key}")
        if samples is None:
            raise _validate.fail("flavour", "a computed flavour", "'spectral' (computed with "
                                 "spectral=False)")
        return fit_rate(self.lags, samples, window=window, confidence=confidence)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (``-inf`` of an exactly zero product becomes ``None``).

        Returns
        -------
        dict
            ``lags``, ``log_norm_spectral``, ``log_norm_frobenius``, ``log_norm_direction``,
            ``spectral_error_max``, ``n_exact_svd``, ``anchor``, ``final_times``, ``n_samples``.
        """
        err = None if self.spectral_error is None else float(np.max(self.spectral_error))
        return {"lags": self.lags.tolist(),
                "log_norm_spectral": finite_list(self.log_norm_spectral),
                "log_norm_frobenius": finite_list(self.log_norm_frobenius),
                "log_norm_direction": finite_list(self.log_norm_direction),
                "spectral_error_max": err, "n_exact_svd": self.n_exact_svd,
                "anchor": self.anchor, "final_times": list(self.final_times),
                "n_samples": int(self.samples_frobenius.shape[0])}


def _safe_log(c: np.ndarray) -> np.ndarray:
    out = np.full(c.shape, -np.inf)
    np.log(c, out=out, where=c > 0)
    return out


def product_chain(factors: StepJacobian, *, v: np.ndarray, spectral: bool, tol: float,
                  max_iter: int, block: int) -> tuple[np.ndarray, ...]:
    r"""Log-space running product for S samples at once. Internal engine of :func:`lag_profile`.

    ``Q_L = Q_{L-1} F_L`` with ``Q_0 = I``, where ``F_L = factors.step(L - 1)`` is a batch of
    S step-Jacobian operators (``factors`` has batch axes (S, L)); v (S, n). Returns the log
    Frobenius norms, the log spectral norms, their error bounds, the log-norms of ``v^T Q_L``
    (all (S, L)) and the number of exact SVDs.
    """
    S, L = factors.batch_shape
    n = factors.size
    Q = np.broadcast_to(np.eye(n), (S, n, n)).copy()
    tmp = np.empty((S, n, n))
    s = np.zeros(S)
    g = v / np.linalg.norm(v, axis=1, keepdims=True)
    sg = np.zeros(S)
    kb = min(block, n)
    U = np.linalg.qr(np.broadcast_to(np.eye(n, kb) + 1.0 / math.sqrt(n), (S, n, kb)))[0]
    log_fro = np.empty((S, L))
    log_dir = np.empty((S, L))
    log_spec = np.full((S, L), -np.inf) if spectral else np.empty((0, 0))
    err = np.zeros((S, L)) if spectral else np.empty((0, 0))
    n_svd = 0
    for k in range(L):
        F = factors.step(k)
        F.lmatmat(Q, out=Q, work=tmp)
        g = F.lmatmat(g[:, None, :])[:, 0]
        # ||Q||_F for every sample in one batched BLAS call (einsum is ~10x slower here).
        flat = Q.reshape(S, 1, n * n)
        c = np.sqrt(np.matmul(flat, flat.transpose(0, 2, 1))[:, 0, 0])
        live = c > 0
        log_c = np.log(c) if live.all() else _safe_log(c)
        log_fro[:, k] = s + log_c
        # Rescale lazily, only when ||Q||_F leaves [1e-50, 1e50]: cheaper than every step,
        # and every quantity below is scale-invariant or shifted by s.
        far = live & ((c > _RESCALE) | (c < 1.0 / _RESCALE))
        if far.any():
            Q[far] /= c[far, None, None]
            s[far] += log_c[far]
            log_c[far] = 0.0
        cg = np.sqrt(np.einsum("si,si->s", g, g))
        live_g = cg > 0
        log_cg = np.log(cg) if live_g.all() else _safe_log(cg)
        log_dir[:, k] = sg + log_cg
        far_g = live_g & ((cg > _RESCALE) | (cg < 1.0 / _RESCALE))
        if far_g.any():
            g[far_g] /= cg[far_g, None]
            sg[far_g] += log_cg[far_g]
        if not spectral:
            continue
        if n <= _EXACT_BELOW:
            n_svd += S
            sv = np.linalg.svd(Q, compute_uv=False)[:, 0]
            log_spec[:, k] = np.where(live, s + _safe_log(sv), -np.inf)
            continue
        est, bound, U, n_bad = certified_log_norm(Q, U, live, tol=tol, max_iter=max_iter)
        n_svd += n_bad
        log_spec[:, k] = np.where(live, s + est, -np.inf)
        err[:, k] = bound
    return log_fro, log_spec, err, log_dir, np.array(n_svd)


def lag_profile(network_or_trajectory: ElmanNetwork | Sequence[ElmanNetwork] | Trajectory,
                n_steps: int | None = None, *, max_lag: int | None = None,
                final_times: int | Sequence[int] | None = None, anchor: str = "final",
                direction: Any = None, spectral: bool = True, tol: float = 1e-4,
                max_iter: int = 30, block: int = 8, input_std: float = 0.0, burn_in: int = 0,
                rng: np.random.Generator | int | None = None, n_threads: int | None = None
                ) -> LagProfile:
    r"""Measure :math:`\|\partial h_T/\partial h_{T-L}\|` at every lag, in log space.

    Parameters
    ----------
    network_or_trajectory : ElmanNetwork, sequence of ElmanNetwork, or Trajectory
        A network or batch (simulated here for ``n_steps`` with ``input_std``, ``burn_in``,
        ``rng``), or a trajectory from :func:`simulate`.
    n_steps : int or None, optional
        Steps T to simulate; required for a network, not allowed with a trajectory.
    max_lag : int or None, optional
        Largest lag L_max; default the smallest final time (final anchor) or T (initial).
    final_times : int or sequence of int or None, optional
        Final anchor: the final times T averaged over (1-based); an int k picks k times
        evenly spaced in [L_max, T]; default (T,). Not allowed with the initial anchor.
    anchor : {"final", "initial"}, optional
        Which product (see :data:`ANCHORS`); default ``"final"``.
    direction : array_like or None, shape (n,), optional
        The vector v of the directional flavour; default a random unit vector from ``rng``.
    spectral : bool, optional
        Compute the spectral norm (default True); False skips it (Frobenius and direction
        only, cheaper).
    tol : float, optional
        Accepted bound on the error of each :math:`\log\|P_L\|_2` (default 1e-4, a relative
        error of 1e-4 on the norm; the actual error is of order its square); above it a
        lag falls back to an exact SVD.
    max_iter : int, optional
        Block power iterations per lag before the fallback (default 30; one or two suffice
        once the product is aligned).
    block : int, optional
        Block size k of the power iteration (default 8; capped at n). A block, not a single
        vector, because a complex pair of dominant eigenvalues makes the top singular vector
        rotate from lag to lag while the top-k subspace still converges.
    input_std : float, optional
        Std of the i.i.d. Gaussian input when simulating (default 0).
    burn_in : int, optional
        Discarded steps before t = 1 when simulating (default 0).
    rng : numpy.random.Generator or int or None, optional
        Randomness: the simulation's inputs, then the default direction.
    n_threads : int or None, optional
        BLAS threads during the computation (threadpoolctl; default 1, which avoids
        oversubscribing a small machine shared with other work).

    Returns
    -------
    LagProfile
        Mean log-norms over the S = B × (number of final times) samples, the per-sample
        curves and the achieved spectral accuracy.

    Raises
    ------
    ValidationError
        On inconsistent arguments (``n_steps`` with a trajectory, a final time outside 1..T,
        a lag larger than a final time, a bad tolerance, a direction of the wrong shape).
    InputTypeError
        On an argument of the wrong type.

    See Also
    --------
    fit_rate : rates and the exponential/power-law verdict of these curves.

    Notes
    -----
    See the module docstring for the three flavours, the log-space product and the
    power-iteration accuracy. Cost per lag and sample: one :math:`n\times n` matrix product
    plus :math:`2\,\mathrm{max\_iter}` matrix-vector products (and rarely an SVD).

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import ElmanNetwork
    >>> net = ElmanNetwork.random(16, gain=0.5, init="orthogonal", activation="identity", rng=0)
    >>> prof = lag_profile(net, 50, rng=0)
    >>> bool(np.allclose(prof.log_norm_spectral, prof.lags * np.log(0.5)))
    True
    >>> round(prof.fit().rate, 6)
    -0.693147
    """
    if isinstance(network_or_trajectory, Trajectory):
        if n_steps is not None:
            raise _validate.fail("n_steps", "None when a Trajectory is given",
                                 repr(n_steps))
        traj = network_or_trajectory
        gen = _validate.rng(rng)
    else:
        if n_steps is None:
            raise _validate.fail("n_steps", "a positive integer when a network is given",
                                 "None", cls=InputTypeError)
        gen = _validate.rng(rng)
        traj = simulate(network_or_trajectory, n_steps, input_std=input_std, burn_in=burn_in,
                        rng=gen)
    kind = _validate.choice(anchor, "anchor", ANCHORS)
    eps = _validate.real_number(tol, "tol", minimum=0.0, strict=True)
    iters = _validate.positive_int(max_iter, "max_iter")
    k_block = _validate.positive_int(block, "block")
    threads = check_threads(n_threads)
    if not isinstance(spectral, bool):
        raise _validate.fail("spectral", "True or False", _validate.describe(spectral),
                             cls=InputTypeError)
    T, n = traj.n_steps, traj.state_size
    J = traj.step_jacobians()
    B = traj.h.shape[0] if traj.batched else 1

    if kind == "final":
        times = _final_times(final_times, max_lag, T)
        L = _validate.positive_int(max_lag, "max_lag") if max_lag is not None else min(times)
        if min(times) < L:
            raise _validate.fail("max_lag", f"at most the smallest final time {min(times)}",
                                 repr(L))
        # Sample (final time t, network b); factors in multiplication order J_T, ..., J_{T-L+1}.
        steps = np.concatenate([np.broadcast_to(t - 1 - np.arange(L), (B, L)) for t in times])
        factors = J.gather(np.tile(np.arange(B), len(times)), steps)
    else:
        if final_times is not None:
            raise _validate.fail("final_times", "None with anchor='initial'",
                                 _validate.describe(final_times), cls=InputTypeError)
        times = ()
        L = T if max_lag is None else _validate.positive_int(max_lag, "max_lag")
        if L > T:
            raise _validate.fail("max_lag", f"at most n_steps = {T}", repr(L))
        # P_L^T = J_1^T ... J_L^T: the same row-block chain with the transposed operators.
        factors = J.gather(np.arange(B), np.broadcast_to(np.arange(L), (B, L))).T
    if direction is None:
        v = gen.standard_normal(n)
    else:
        v = _validate.real_array(direction, "direction", ndim=1, shape=(n,))
        if not np.any(v):
            raise _validate.fail("direction", "a non-zero vector", "all zeros")
    V = np.broadcast_to(v, (factors.batch_shape[0], n))
    with blas_threads(threads):
        log_fro, log_spec, err, log_dir, n_svd = product_chain(
            factors, v=V, spectral=spectral, tol=eps, max_iter=iters, block=k_block)
    log_fro = log_fro - 0.5 * math.log(n)
    return LagProfile(
        lags=np.arange(1, L + 1), log_norm_frobenius=log_fro.mean(axis=0),
        log_norm_direction=log_dir.mean(axis=0),
        log_norm_spectral=log_spec.mean(axis=0) if spectral else None,
        samples_frobenius=log_fro, samples_direction=log_dir,
        samples_spectral=log_spec if spectral else None,
        spectral_error=err.max(axis=0) if spectral else None, n_exact_svd=int(n_svd),
        anchor=kind, final_times=tuple(times), n_hidden=n)


def _final_times(final_times: Any, max_lag: Any, T: int) -> tuple[int, ...]:
    if final_times is None:
        return (T,)
    if isinstance(final_times, int | np.integer) and not isinstance(final_times, bool):
        k = _validate.positive_int(final_times, "final_times")
        lo = T if max_lag is None else _validate.positive_int(max_lag, "max_lag")
        if lo > T:
            raise _validate.fail("max_lag", f"at most n_steps = {T}", repr(lo))
        return tuple(sorted({round(float(t)) for t in np.linspace(lo, T, k)}))
    if not isinstance(final_times, Sequence) or isinstance(final_times, str) \
            or not final_times:
        raise _validate.fail("final_times", "an int or a non-empty sequence of time steps",
                             _validate.describe(final_times), cls=InputTypeError)
    times = tuple(_validate.positive_int(t, "final_times") for t in final_times)
    if max(times) > T:
        raise _validate.fail("final_times", f"time steps in 1..{T}", repr(max(times)))
    return times
