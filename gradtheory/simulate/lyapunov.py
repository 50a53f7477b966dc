r"""Lyapunov spectra along a trajectory by the QR (Benettin) method.

The Lyapunov exponents are the asymptotic growth rates of the Jacobian product
:math:`\Phi_T = J_T \cdots J_1` along a trajectory,
:math:`\lambda_i = \lim_{T\to\infty} \tfrac1T \log\sigma_i(\Phi_T)`. The QR method keeps an
orthonormal frame :math:`Q_0 = [e_1 \dots e_k]` and, every ``reortho`` steps,

.. math::

    Z = J_t \cdots J_{t-r+1} Q, \qquad Z = Q' R \;(\text{QR}), \qquad
    \Lambda_i \mathrel{+}= \log|R_{ii}|, \qquad Q \leftarrow Q',

so that :math:`\lambda_i \approx \Lambda_i / T` (Benettin et al. 1980; Shimada & Nagashima
1979). With k = n the identity :math:`\sum_i \Lambda_i = \sum_t \log|\det J_t|` holds exactly
(to rounding), since :math:`\prod_s |\det R_s| = |\det \Phi_T|`; the result reports the right
side as ``mean_log_det`` (:math:`\log|\det J_t| = \sum_i \log|d_{t,i}| + \log|\det W_{hh}|`).
For a linear network, or g < 1 with zero input and state (where :math:`J_t = W_{hh}`), the
exponents are :math:`\log|\mu_i|` for the eigenvalues :math:`\mu_i` of :math:`W_{hh}`.

**Burn-in** steps run the state *and* the frame before :math:`\Lambda` starts accumulating, so
both forget their initial conditions. **Diagnostics**: the accumulation is split into
``n_blocks`` consecutive blocks; ``running`` is the cumulative estimate at each block end (a
converged run is flat), ``stderr`` the batch-means standard error (standard deviation of the
block exponents over :math:`\sqrt{\text{blocks}}`; it assumes the blocks are longer than the
correlation time). Growth between re-orthonormalisations must not overflow: keep
``reortho`` · (largest |log| of a one-step stretch) well below 700.

References
----------
Benettin, G., Galgani, L., Giorgilli, A. and Strelcyn, J.-M. (1980). Lyapunov characteristic
exponents for smooth dynamical systems. Meccanica 15.
Engelken, R., Wolf, F. and Abbott, L. F. (2023). Lyapunov spectra of chaotic recurrent neural
networks. Phys. Rev. Research 5.
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg

from .. import _validate
from .._json import finite_list, finite_or_none
from .._repr import freeze_arrays, summary_repr
from .._threads import blas_threads, check_threads
from ..errors import InputTypeError
from ..network import ElmanNetwork
from ..trajectory import Trajectory
from .forward import simulate

__all__ = ["LyapunovSpectrum", "lyapunov"]


@dataclass(frozen=True, kw_only=True, slots=True)
class LyapunovSpectrum:
    """The top-k Lyapunov exponents (per step, natural log), sorted in decreasing order.

    Attributes
    ----------
    exponents : numpy.ndarray, shape (k,)
        The exponents; the mean over the networks of a batch.
    exponents_batch : numpy.ndarray, shape (B, k)
        Per network (B = 1 for one network).
    running : numpy.ndarray, shape (n_blocks, k)
        Cumulative estimate at the end of each block (batch mean).
    block_exponents : numpy.ndarray, shape (B, n_blocks, k)
        Exponents measured over each block alone.
    stderr : numpy.ndarray, shape (k,)
        Batch-means standard error of ``exponents``.
    mean_log_det : float
        Mean over steps (and networks) of :math:`\\log|\\det J_t|`; equals
        ``exponents.sum()`` when k = n.
    n_steps, burn_in, reortho : int
        Accumulated steps, discarded steps, steps between QR factorisations.
    """

    __repr__ = summary_repr

    exponents: np.ndarray
    exponents_batch: np.ndarray
    running: np.ndarray
    block_exponents: np.ndarray
    stderr: np.ndarray
    mean_log_det: float
    n_steps: int
    burn_in: int
    reortho: int

    def __post_init__(self) -> None:
        freeze_arrays(self)

    @property
    def lyapunov_max(self) -> float:
        """The largest exponent λ₁ (> 0: chaotic/exploding; < 0: contracting/vanishing)."""
        return float(self.exponents[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (``-inf`` becomes ``None``).

        Returns
        -------
        dict
            ``exponents``, ``lyapunov_max``, ``stderr``, ``sum_exponents``, ``mean_log_det``,
            ``n_steps``, ``burn_in``, ``reortho``, ``k``.
        """
        return {"exponents": finite_list(self.exponents),
                "lyapunov_max": finite_or_none(float(self.exponents[0])),
                "stderr": finite_list(self.stderr),
                "sum_exponents": finite_or_none(float(self.exponents.sum())),
                "mean_log_det": finite_or_none(float(self.mean_log_det)),
                "n_steps": self.n_steps, "burn_in": self.burn_in, "reortho": self.reortho,
                "k": int(self.exponents.size)}


def _log_abs(x: np.ndarray) -> np.ndarray:
    a = np.abs(x)
    out = np.full(a.shape, -np.inf)
    np.log(a, out=out, where=a > 0)
    return out


def _given_trajectory(**arguments: Any) -> None:
    """With a trajectory, the simulation's own arguments must keep their defaults."""
    for name, value in arguments.items():
        if value is not None and not (name == "input_std" and value == 0.0):
            default = "0" if name == "input_std" else "None"
            raise _validate.fail(name, f"{default} when a Trajectory is given (the trajectory "
                                 "fixes the steps and inputs)", _validate.describe(value))


def lyapunov(network_or_trajectory: ElmanNetwork | Sequence[ElmanNetwork] | Trajectory,
             n_steps: int | None = None, *, k: int | None = None, reortho: int = 1,
             burn_in: int = 0, input_std: float = 0.0,
             inputs: Any = None, n_blocks: int = 10,
             rng: np.random.Generator | int | None = None,
             n_threads: int | None = None) -> LyapunovSpectrum:
    r"""Top-k Lyapunov exponents of the trajectory by repeated QR (Benettin's method).

    Parameters
    ----------
    network_or_trajectory : ElmanNetwork, sequence of ElmanNetwork, or Trajectory
        One network or a batch (same sizes, form and activation), simulated here for
        ``burn_in + n_steps`` steps; or a trajectory from :func:`simulate`, whose first
        ``burn_in`` steps then run the frame only and whose remaining steps are accumulated.
    n_steps : int or None
        Steps T over which the exponents are accumulated (after the burn-in); required for a
        network, not allowed with a trajectory (T is its length minus ``burn_in``).
    k : int or None, optional
        Number of exponents, 1..n; default all n.
    reortho : int, optional
        Steps between QR factorisations (default 1, the most robust).
    burn_in : int, optional
        Steps run first (state and frame) and not accumulated (default 0).
    input_std : float, optional
        Std of the i.i.d. Gaussian input (default 0); ignored when ``inputs`` is given; not
        allowed (non-zero) with a trajectory.
    inputs : array_like or None, optional
        Inputs for the burn_in + n_steps steps, shape (burn_in + T, m) (or (B, ·, m)); not
        allowed with a trajectory.
    n_blocks : int, optional
        Blocks for the convergence diagnostics (default 10; at most the number of QR steps).
    rng : numpy.random.Generator or int or None, optional
        Randomness of the generated inputs.
    n_threads : int or None, optional
        BLAS threads (threadpoolctl; default 1, which avoids oversubscribing a small
        machine shared with other work).

    Returns
    -------
    LyapunovSpectrum
        ``.exponents`` sorted in decreasing order, ``.lyapunov_max``, diagnostics.

    Raises
    ------
    ValidationError
        On k outside 1..n, non-positive steps, too many blocks, bad inputs.
    InputTypeError
        On arguments of the wrong type.

    See Also
    --------
    gradtheory.lag_profile : the finite-lag view of the same products.

    Notes
    -----
    See the module docstring. Cost per step: :math:`2n^2k` for the Jacobian times the frame,
    and :math:`(4nk^2 - \tfrac43k^3)/r` for the QR every r steps.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import ElmanNetwork
    >>> W = np.diag([0.9, -0.5, 0.2])
    >>> spec = lyapunov(ElmanNetwork.from_arrays(W), 200)   # zero input: J_t = W
    >>> bool(np.allclose(spec.exponents, np.log([0.9, 0.5, 0.2])))
    True
    """
    n_burn = _validate.nonnegative_int(burn_in, "burn_in")
    r = _validate.positive_int(reortho, "reortho")
    blocks = _validate.positive_int(n_blocks, "n_blocks")
    threads = check_threads(n_threads)
    if isinstance(network_or_trajectory, Trajectory):
        traj = network_or_trajectory
        _given_trajectory(n_steps=n_steps, inputs=inputs, input_std=input_std)
        T = traj.n_steps - n_burn
        if T < 1:
            raise _validate.fail("burn_in", f"fewer than the trajectory's {traj.n_steps} steps",
                                 repr(n_burn))
    else:
        if n_steps is None:
            raise _validate.fail("n_steps", "a positive integer when a network is given",
                                 "None", cls=InputTypeError)
        T = _validate.positive_int(n_steps, "n_steps")
        traj = simulate(network_or_trajectory, T + n_burn, inputs=inputs, input_std=input_std,
                        rng=rng)
    J = traj.step_jacobians()
    B = traj.h.shape[0] if traj.batched else 1
    n = traj.state_size
    kk = n if k is None else _validate.positive_int(k, "k")
    if kk > n:
        raise _validate.fail("k", f"a number of exponents in 1..{n}", repr(kk))
    # QR after steps r, 2r, ... of the accumulated part, and always after its last step.
    qr_ends = sorted(set(range(r, T + 1, r)) | {T})
    if blocks > len(qr_ends):
        raise _validate.fail("n_blocks", f"at most the {len(qr_ends)} QR steps", repr(blocks))
    block_of = np.minimum((np.arange(len(qr_ends)) * blocks) // len(qr_ends), blocks - 1)
    block_len = np.zeros(blocks)
    for j, end in enumerate(qr_ends):
        block_len[block_of[j]] += end - (qr_ends[j - 1] if j else 0)
    sums = np.zeros((B, blocks, kk))
    with blas_threads(threads):
        for b in range(B):
            Jb = J.network(b) if traj.batched else J
            Q = np.eye(n, kk)
            j = 0
            for step in range(-n_burn + 1, T + 1):     # step <= 0: burn-in
                Q = Jb.step(step + n_burn - 1).matmat(Q)
                due = step > 0 and j < len(qr_ends) and step == qr_ends[j]
                if due or (step <= 0 and (step + n_burn) % r == 0) or step == 0:
                    Q, R = scipy.linalg.qr(Q, mode="economic", overwrite_a=True,
                                           check_finite=False)
                    if due:
                        sums[b, block_of[j]] += _log_abs(np.diag(R))
                        j += 1
    per_block = sums / block_len[None, :, None]
    batch = np.sort(sums.sum(axis=1) / T, axis=1)[:, ::-1]
    running = np.cumsum(sums, axis=1) / np.cumsum(block_len)[None, :, None]
    running = np.sort(running.mean(axis=0), axis=1)[:, ::-1]
    flat = np.sort(per_block, axis=2)[:, :, ::-1].reshape(B * blocks, kk)
    with np.errstate(invalid="ignore"):
        stderr = (flat.std(axis=0, ddof=1) / math.sqrt(B * blocks) if B * blocks > 1
                  else np.full(kk, np.inf))
    stderr = np.where(np.isfinite(stderr), stderr, np.inf)
    mean_log_det = float(np.mean(J.mean_log_abs_det(n_burn)))
    return LyapunovSpectrum(exponents=batch.mean(axis=0), exponents_batch=batch,
                            running=running, block_exponents=per_block, stderr=stderr,
                            mean_log_det=mean_log_det, n_steps=T, burn_in=n_burn, reortho=r)
