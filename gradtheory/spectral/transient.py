r"""Non-normal transient growth: :math:`\|W^k\|_2`, Gelfand's formula and the Kreiss constant.

A spectral radius :math:`\rho(W) < 1` guarantees :math:`\|W^k\|_2 \to 0`, but not that the
powers are small on the way: for a non-normal :math:`W` they can first grow by orders of
magnitude, and so can the linearised gradient :math:`\partial h_t/\partial h_k`. Three views:

.. math::

    \text{powers:}\quad & \max_{0\le k\le K} \|W^k\|_2 \text{ and the step where it peaks;} \\
    \text{Gelfand:}\quad & \|W^k\|_2^{1/k} \to \rho(W) \quad (k\to\infty); \\
    \text{Kreiss:}\quad & \mathcal{K}(W) = \sup_{|z|>1} (|z|-1)\,\|(zI-W)^{-1}\|_2, \qquad
    \mathcal{K}(W) \le \sup_{k\ge 0}\|W^k\|_2 \le e\,n\,\mathcal{K}(W).

The last line is the Kreiss matrix theorem with Spijker's constant :math:`e n` (LeVeque &
Trefethen 1984; Spijker 1991).

*Certified supremum.* If :math:`\|W^m\|_2 \le 1` for some :math:`m \ge 1`, then by
submultiplicativity every :math:`\|W^{qm+r}\|_2 \le \|W^m\|_2^q \|W^r\|_2 \le \|W^r\|_2`, so
:math:`\sup_k \|W^k\|_2 = \max_{k\le m}\|W^k\|_2` exactly; the power sequence stops there and
the result is flagged ``certified``. Otherwise the maximum over the horizon is reported.

*Kreiss estimates.* The lower estimate is the largest value of
:math:`(|z|-1)/\sigma_{\min}(zI-W)` found on a grid of radii :math:`|z| = 1 + s`,
:math:`s \in [10^{-4}, 10^{3}]` (log-spaced) times angles, refined by Nelder–Mead from the best
grid points, and never below 1 (the limit :math:`|z|\to\infty`); every sampled value is
attained, so it is a lower bound up to SVD rounding. The upper estimate is the theorem's
:math:`\mathcal{K} \le \sup_k \|W^k\|_2`, finite when the supremum is certified. For
:math:`\rho > 1` both are infinite.

References
----------
Trefethen, L. N. and Embree, M. (2005). Spectra and Pseudospectra, ch. 14–18. Princeton.
LeVeque, R. J. and Trefethen, L. N. (1984). On the resolvent condition in the Kreiss matrix
theorem. BIT 24, 584–591.
Spijker, M. N. (1991). On a conjecture by LeVeque and Trefethen related to the Kreiss matrix
theorem. BIT 31, 551–555.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla
from scipy.optimize import minimize

from .. import _validate
from .._json import finite_or_none
from .._repr import freeze_arrays, summary_repr
from .._threads import small_problem_threads
from .norms import ARPACK_TOL, DENSE_CUTOFF, as_matrix, spectral_radius

__all__ = ["KREISS_MAX_N", "KreissEstimate", "TransientGrowth", "kreiss_constant",
           "power_norms", "transient_growth"]

#: Largest n for which :func:`transient_growth` computes the Kreiss constant (batched SVDs).
KREISS_MAX_N = 200
#: Dense matrices above this size get ||W^k|| from Lanczos (svds) instead of a full SVD.
_FULL_SVD_MAX_N = 256


def _norm2(P: Any, n: int) -> float:
    if isinstance(P, np.ndarray) and n <= _FULL_SVD_MAX_N:
        return float(np.linalg.norm(P, 2))
    return float(spla.svds(P, k=1, tol=ARPACK_TOL, return_singular_vectors=False,
                           v0=np.ones(n))[0])


def _sparse_power(A: Any, k: int) -> spla.LinearOperator:
    def mv(x: np.ndarray) -> np.ndarray:
        for _ in range(k):
            x = A @ x
        return x

    def rmv(x: np.ndarray) -> np.ndarray:
        for _ in range(k):
            x = A.T @ x
        return x

    n = A.shape[0]
    return spla.LinearOperator((n, n), matvec=mv, rmatvec=rmv, dtype=np.float64)


def power_norms(W: Any, max_power: int = 100) -> tuple[np.ndarray, bool]:
    r"""Log-norms :math:`\log\|W^k\|_2` for :math:`k = 0, 1, \dots`, stopping when certified.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.
    max_power : int, optional
        Horizon K (default 100).

    Returns
    -------
    log_norms : numpy.ndarray, shape (m + 1,)
        :math:`\log\|W^k\|_2` for k = 0..m, with m ≤ K; ``-inf`` where :math:`W^k = 0`.
    certified : bool
        True if the sequence stopped because :math:`\|W^m\|_2 \le 1` (or :math:`W^m = 0`), so
        that :math:`\sup_{k\ge 0}\|W^k\|_2 = \max_{k\le m}\|W^k\|_2` exactly.

    Notes
    -----
    Dense: :math:`W^k` is formed by repeated multiplication, renormalised each step (so nothing
    overflows; the log-scale is carried separately); norms by LAPACK for n ≤ 256, by Lanczos
    (``svds``, relative tolerance 1e-10) above. Sparse: :math:`W^k` is applied as an operator
    (k sparse products per matrix-vector product), so keep the horizon short for large n.

    Examples
    --------
    >>> import numpy as np
    >>> log_norms, certified = power_norms(2.0 * np.eye(3, k=1))  # 2 x shift: norms 1, 2, 4, 0
    >>> np.exp(log_norms).round(12).tolist(), certified
    ([1.0, 2.0, 4.0, 0.0], True)
    """
    A = as_matrix(W)
    K = _validate.positive_int(max_power, "max_power")
    n = A.shape[0]
    out = [0.0]
    if sps.issparse(A) and n > DENSE_CUTOFF:
        for k in range(1, K + 1):
            nrm = _norm2(_sparse_power(A, k), n)
            out.append(math.log(nrm) if nrm > 0 else -math.inf)
            if nrm <= 1.0:
                return np.array(out), True
        return np.array(out), False
    Ad = np.asarray(A.toarray()) if sps.issparse(A) else np.asarray(A)
    with small_problem_threads(n):
        return _dense_power_norms(Ad, K)


def _dense_power_norms(Ad: np.ndarray, K: int) -> tuple[np.ndarray, bool]:
    n = Ad.shape[0]
    out = [0.0]
    P = np.eye(n)
    for _ in range(K):
        P = Ad @ P
        nrm = _norm2(P, n)
        if nrm == 0.0:
            out.append(-math.inf)
            return np.array(out), True
        out.append(out[-1] + math.log(nrm))
        P = P / nrm
        if out[-1] <= 0.0:
            return np.array(out), True
    return np.array(out), False


@dataclass(frozen=True, kw_only=True, slots=True)
class KreissEstimate:
    r"""Lower and upper estimates of the Kreiss constant :math:`\mathcal{K}(W)`.

    Attributes
    ----------
    lower : float
        Largest sampled :math:`(|z|-1)\|(zI-W)^{-1}\|_2` (≥ 1); ``inf`` when ρ > 1.
    upper : float
        :math:`\sup_k\|W^k\|_2` when certified (Kreiss: :math:`\mathcal{K}\le` it), else ``inf``.
    z : complex or None
        Where the lower estimate was attained (``None`` if none: ρ > 1 or the limit 1 won).
    n : int
        Matrix size, for the theorem's :math:`e n` factor.
    """

    lower: float
    upper: float
    z: complex | None
    n: int

    @property
    def power_bound(self) -> float:
        r"""The theorem's upper bound :math:`e\,n\,\mathcal{K}` on :math:`\sup_k\|W^k\|_2`,
        evaluated at the upper estimate."""
        return math.e * self.n * self.upper

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (``None`` for infinite values).

        Returns
        -------
        dict
            ``kreiss_lower``, ``kreiss_upper``, ``power_bound``.
        """
        return {"kreiss_lower": finite_or_none(self.lower),
                "kreiss_upper": finite_or_none(self.upper),
                "power_bound": finite_or_none(self.power_bound)}


def _resolvent_values(A: np.ndarray, z: np.ndarray) -> np.ndarray:
    """(|z|-1)/sigma_min(zI - A) for a batch of points z."""
    n = A.shape[0]
    M = z[:, None, None] * np.eye(n)[None] - A[None].astype(complex)
    smin = np.linalg.svd(M, compute_uv=False)[:, -1]
    with np.errstate(divide="ignore"):
        return np.where(smin > 0, (np.abs(z) - 1.0) / smin, np.inf)


def kreiss_constant(W: Any, *, n_radii: int = 40, n_angles: int = 64) -> KreissEstimate:
    r"""Estimate the Kreiss constant :math:`\mathcal{K}(W)` from below and above.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix (densified; meant for n up to a few hundred).
    n_radii : int, optional
        Radii :math:`1 + s`, :math:`s` log-spaced in :math:`[10^{-4}, 10^3]` (default 40).
    n_angles : int, optional
        Equally spaced angles (default 64).

    Returns
    -------
    KreissEstimate
        ``lower ≤ K(W) ≤ upper`` (see the module notes).

    Examples
    --------
    >>> import numpy as np
    >>> est = kreiss_constant(0.5 * np.eye(3))  # normal with rho < 1: K = 1 exactly
    >>> round(est.lower, 6), round(est.upper, 6)
    (1.0, 1.0)
    """
    A = as_matrix(W)
    Ad = np.asarray(A.toarray()) if sps.issparse(A) else np.asarray(A)
    R = _validate.positive_int(n_radii, "n_radii")
    T = _validate.positive_int(n_angles, "n_angles")
    with small_problem_threads(Ad.shape[0]):
        return _kreiss(Ad, R, T)


def _kreiss(Ad: np.ndarray, R: int, T: int) -> KreissEstimate:
    n = Ad.shape[0]
    rho = spectral_radius(Ad)
    if rho > 1.0:
        return KreissEstimate(lower=math.inf, upper=math.inf, z=None, n=n)
    log_s = np.linspace(-4.0, 3.0, R)
    theta = np.linspace(0.0, 2.0 * np.pi, T, endpoint=False)
    S, TH = np.meshgrid(log_s, theta, indexing="ij")
    z = ((1.0 + 10.0 ** S) * np.exp(1j * TH)).ravel()
    vals = _resolvent_values(Ad, z)
    best_val: float = 1.0
    best_z: complex | None = None
    if not np.all(np.isfinite(vals)):  # z landed on an eigenvalue with |lambda| = 1
        i = int(np.argmax(~np.isfinite(vals)))
        return KreissEstimate(lower=math.inf, upper=math.inf, z=complex(z[i]), n=n)

    def neg(p: np.ndarray) -> float:
        zz = np.array([(1.0 + 10.0 ** float(np.clip(p[0], -8.0, 6.0))) * np.exp(1j * p[1])])
        return -float(_resolvent_values(Ad, zz)[0])

    for i in np.argsort(vals)[::-1][:3]:
        start = np.array([math.log10(abs(z[i]) - 1.0), float(np.angle(z[i]))])
        res = minimize(neg, start, method="Nelder-Mead",
                       options={"xatol": 1e-6, "fatol": 1e-12, "maxiter": 400})
        for cand_val, cand_p in ((float(vals[i]), start), (-float(res.fun), res.x)):
            if cand_val > best_val:
                best_val = cand_val
                best_z = complex((1.0 + 10.0 ** float(np.clip(cand_p[0], -8.0, 6.0)))
                                 * np.exp(1j * cand_p[1]))
    log_norms, certified = power_norms(Ad, max_power=max(100, 4 * n))
    upper = float(np.exp(np.max(log_norms))) if certified else math.inf
    return KreissEstimate(lower=best_val, upper=max(upper, best_val) if certified else upper,
                          z=best_z, n=n)


@dataclass(frozen=True, kw_only=True, slots=True)
class TransientGrowth:
    r"""Transient growth of the powers of W (see the module notes for the math).

    Attributes
    ----------
    log_norms : numpy.ndarray, shape (m + 1,)
        :math:`\log\|W^k\|_2`, k = 0..m.
    certified : bool
        True if :math:`\sup_{k\ge0}\|W^k\|_2` equals ``max_transient_gain`` exactly.
    max_transient_gain : float
        :math:`\max_{k\le m}\|W^k\|_2` (``inf`` if it overflows a float).
    peak_step : int
        The k where it is attained.
    rho : float
        Spectral radius, the limit of ``gelfand``.
    kreiss : KreissEstimate or None
        Kreiss constant estimates (``None`` when n > :data:`KREISS_MAX_N`).
    """

    __repr__ = summary_repr

    log_norms: np.ndarray
    certified: bool
    max_transient_gain: float
    peak_step: int
    rho: float
    kreiss: KreissEstimate | None

    def __post_init__(self) -> None:
        freeze_arrays(self)

    @property
    def norms(self) -> np.ndarray:
        r""":math:`\|W^k\|_2` for k = 0..m (``inf`` where it overflows)."""
        with np.errstate(over="ignore"):
            return np.exp(self.log_norms)

    @property
    def gelfand(self) -> np.ndarray:
        r"""Gelfand's sequence :math:`\|W^k\|_2^{1/k}` for k = 1..m (tends to ρ)."""
        k = np.arange(1, self.log_norms.size)
        return np.exp(self.log_norms[1:] / k)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (``None`` for infinite values).

        Returns
        -------
        dict
            ``max_transient_gain``, ``peak_step``, ``horizon``, ``certified``, ``rho``,
            ``gelfand_last``, and the Kreiss estimates (``None`` if not computed).
        """
        g = self.gelfand
        doc: dict[str, Any] = {
            "max_transient_gain": finite_or_none(self.max_transient_gain),
            "peak_step": self.peak_step, "horizon": int(self.log_norms.size - 1),
            "certified": self.certified, "rho": self.rho,
            "gelfand_last": finite_or_none(float(g[-1])) if g.size else None}
        kreiss = self.kreiss.to_dict() if self.kreiss is not None else dict.fromkeys(
            ("kreiss_lower", "kreiss_upper", "power_bound"))
        return doc | kreiss


def transient_growth(W: Any, *, max_power: int = 100, kreiss: bool = True) -> TransientGrowth:
    r"""How far the powers of W grow before they decay (or don't).

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The recurrent matrix.
    max_power : int, optional
        Horizon K for :math:`\|W^k\|_2` (default 100; the sequence stops early when certified).
    kreiss : bool, optional
        Also estimate the Kreiss constant (default True; skipped for n > :data:`KREISS_MAX_N`).

    Returns
    -------
    TransientGrowth
        Powers, peak, Gelfand sequence and Kreiss estimates.

    Examples
    --------
    >>> import numpy as np
    >>> W = np.array([[0.85, 1.0], [0.0, 0.85]])  # rho = 0.85, yet ||W^k|| first grows
    >>> tg = transient_growth(W)
    >>> tg.peak_step, round(tg.max_transient_gain, 3), tg.certified
    (6, 2.715, True)
    >>> est = tg.kreiss
    >>> est.lower <= tg.max_transient_gain <= math.e * 2 * est.lower
    True
    """
    A = as_matrix(W)
    log_norms, certified = power_norms(A, max_power)
    peak = int(np.argmax(log_norms))
    with np.errstate(over="ignore"):
        gain = float(np.exp(log_norms[peak]))
    n = A.shape[0]
    est = kreiss_constant(A) if kreiss and n <= KREISS_MAX_N else None
    return TransientGrowth(log_norms=log_norms, certified=certified, max_transient_gain=gain,
                           peak_step=peak, rho=spectral_radius(A), kreiss=est)
