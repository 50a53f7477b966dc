r"""A certified spectral norm of the running product, from a warm-started block power iteration.

Internal engine of :func:`gradtheory.simulate.lag_profile` (one call per lag). For
:math:`A = QQ^\top` it returns :math:`\log\sqrt{\theta_1}` and a *proven* bound ``bound`` with

.. math::

    \log\sqrt{\theta_1} \;\le\; \log\|Q\|_2 \;\le\; \log\sqrt{\theta_1} + \mathtt{bound},

where the left inequality holds because a Ritz value is a Rayleigh quotient. A residual alone
cannot give the right one: :math:`|\lambda-\theta_1| \le \|r\|` holds for *some* eigenvalue
λ, which is the top one only if the block already holds the top direction (a block locked onto a
non-dominant subspace has a tiny residual and a Ritz value hundreds of nats too low).

**The certificate.** Let :math:`V = [v_1, \dots, v_k]` be the orthonormal Ritz vectors of the
block, :math:`\theta_1 \ge \dots \ge \theta_k` their Ritz values (:math:`\theta_{k+1} := 0`),
:math:`r_i = Av_i - \theta_i v_i` the residuals and

.. math::

    \tau = \|Q\|_F^2 - \textstyle\sum_i \theta_i = \|(I - VV^\top)Q\|_F^2
    \;\ge\; \lambda_{\max}\big((I - VV^\top)A(I - VV^\top)\big),

the mass of Q outside the block, which bounds everything the block has not seen. Two
bounds on :math:`\lambda_1 = \|Q\|_2^2` follow, and the smaller is used:

1. stacking: :math:`\|Q\|_2^2 \le \|V^\top Q\|_2^2 + \|(I-VV^\top)Q\|_2^2 \le
   \theta_1 + \tau` (valid always; tight when the tail is light);
2. a 2×2 majorant, for each split j = 1..k of :math:`\mathbb{R}^n` into
   :math:`\mathcal{X} = \mathrm{span}(v_1..v_j)` and its complement :math:`\mathcal{Y}`: the
   compression of A to :math:`\mathcal{X}` is :math:`\mathrm{diag}(\theta_1..\theta_j)`, the
   coupling :math:`Y^\top A X` has columns :math:`Y^\top r_i`, so norm at most
   :math:`\rho_j = (\sum_{i\le j}\|r_i\|^2)^{1/2}`, and the compression to
   :math:`\mathcal{Y}` has top eigenvalue at most :math:`e_j = \theta_{j+1} + \tau` (by 1.'s
   argument). For a unit :math:`x = x_X + x_Y`,
   :math:`x^\top A x \le \theta_1|x_X|^2 + 2\rho_j|x_X||x_Y| + e_j|x_Y|^2`, so

   .. math::

       \lambda_1 \le \lambda_{\max}\begin{pmatrix}\theta_1 & \rho_j\\ \rho_j & e_j\end{pmatrix}
       = \max(\theta_1, e_j) + \frac{\rho_j^2}{h_j + \sqrt{h_j^2 + \rho_j^2}},
       \qquad h_j = \tfrac12|\theta_1 - e_j|,

   which is :math:`\theta_1 + O(\rho_j^2/\mathrm{gap})` once :math:`\theta_1 > e_j`: quadratic
   in the residual, like the actual error. The split after a converged pair certifies a
   complex pair of dominant eigenvalues, whose individual Ritz vectors rotate.

``bound`` is :math:`\tfrac12\log(\lambda^+/\theta_1)` for the smaller of the two. Nothing
is assumed about convergence: a block that misses the top direction leaves its mass in τ,
and the bound says so.

**Rounding.** The bounds hold for exact arithmetic on an orthonormal V. In floating point every
θ_i, :math:`\|r_i\|` and τ is a sum of at most :math:`n^2` products, each within
:math:`n(n+k)\varepsilon\|Q\|_F^2` of its exact value (Higham 2002, §3.1: a sum of N terms
has relative error at most :math:`N\varepsilon/(1 - N\varepsilon)`), and the non-orthonormality
:math:`\eta = \|V^\top V - I\|_F` (measured) moves them by at most :math:`\eta\|Q\|_F^2` to first
order (Ostrowski). Each enters the bound inflated by
:math:`\delta = (4n(n+k)\varepsilon + 2\eta)\|Q\|_F^2`; wherever the bound is tight
(:math:`\|Q\|_F^2 \le (k+1)\theta_1` there) that is about :math:`4n(n+k)(k+1)\varepsilon
\approx 5\cdot 10^{-10}` of θ_1 at n = 256, k = 8. The reported value itself is the computed
θ_1, a lower bound to within the same relative δ.

**Cost and fallback.** Each iteration first forms :math:`Q^\top U` and the Ritz values
(:math:`O(kn^2)`, against :math:`O(n^3)` for the product step). If bound 1 is already within
``min(tol, tol**2)`` for every sample (a light tail: most lags once the block is aligned) it
stops there, and the estimate is accurate to that order. Otherwise it forms :math:`AU` and
the residuals and stops when every sample is within ``tol`` *and* its top Ritz pair has
converged (relative residual within ``tol``, so the estimate's actual error is of order
``tol**2`` over the gap), handing the next lag a block advanced by one more power step; or when
the pair has converged but the bound no longer halves, which means the remainder is the tail's
mass τ and more iterations would barely reduce it. A lag still above ``tol`` takes the exact
spectral norm from an SVD (singular values only; error 0 to rounding, LAPACK's relative
:math:`O(n\varepsilon)`). If the Ritz value was more than ``tol`` below it the block had
missed the top direction, and it restarts from the exact singular vectors. A ``tol`` below
the rounding allowance (about 1e-9 at n = 256) sends every lag to the SVD.

References
----------
Parlett, B. N. (1998). The Symmetric Eigenvalue Problem, SIAM, ch. 11 (Rayleigh–Ritz).
Higham, N. J. (2002). Accuracy and Stability of Numerical Algorithms, 2nd ed., SIAM.
"""

from __future__ import annotations

import numpy as np

__all__: list[str] = []  # private

_EPS = float(np.finfo(np.float64).eps)


def _safe_log(c: np.ndarray) -> np.ndarray:
    out = np.full(c.shape, -np.inf)
    np.log(c, out=out, where=c > 0)
    return out


def _delta(V: np.ndarray, fro2: np.ndarray) -> np.ndarray:
    """The rounding allowance δ of the module docstring, shape (S,)."""
    _, n, k = V.shape
    G = np.matmul(np.swapaxes(V, 1, 2), V) - np.eye(k)
    eta = np.sqrt(np.einsum("sij,sij->s", G, G))
    return (4.0 * n * (n + k) * _EPS + 2.0 * eta) * fro2


def _stacking(theta: np.ndarray, fro2: np.ndarray, delta: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Bound 1 minus θ_1, and τ + δ; ``theta`` (S, k) descending."""
    tau = np.maximum(fro2 - theta.sum(axis=1), 0.0) + delta
    return tau + delta, tau


def _majorant(theta: np.ndarray, res: np.ndarray, tau: np.ndarray, delta: np.ndarray
              ) -> np.ndarray:
    """Bound 2 minus θ_1, the best split; ``res`` (S, k) the residual norms ||r_i||."""
    t1 = theta[:, 0]
    b = (t1 + delta)[:, None]
    e = np.empty_like(theta)
    e[:, :-1] = theta[:, 1:]
    e[:, -1] = 0.0
    e += (delta + tau)[:, None]
    rho2 = np.cumsum(np.square(res + delta[:, None]), axis=1)
    h = 0.5 * np.abs(b - e)
    den = h + np.sqrt(h * h + rho2)
    coupling = np.divide(rho2, den, out=np.zeros_like(rho2), where=den > 0)
    return (np.maximum(b, e) + coupling).min(axis=1) - t1


def _log_ratio(excess: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """:math:`\\tfrac12\\log(1 + \\mathtt{excess}/\\theta_1)`, infinite where θ_1 = 0."""
    with np.errstate(over="ignore"):  # a block that misses Q (θ_1 ~ 1e-320): no certificate
        ratio = np.divide(excess, t1, out=np.full(t1.shape, np.inf), where=t1 > 0)
    return 0.5 * np.log1p(ratio)


def certified_log_norm(Q: np.ndarray, U: np.ndarray, live: np.ndarray, *, tol: float,
                       max_iter: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    r""":math:`\log\|Q\|_2` with a certified error bound, for S matrices at once.

    Parameters
    ----------
    Q : numpy.ndarray, shape (S, n, n)
        The (rescaled) running products, :math:`\|Q\|_F` within :math:`[10^{-50}, 10^{50}]`
        where non-zero.
    U : numpy.ndarray, shape (S, n, k)
        The warm-start block (orthonormal columns), e.g. the previous lag's.
    live : numpy.ndarray of bool, shape (S,)
        Samples with :math:`Q \ne 0`; the others get bound 0 and are not iterated.
    tol : float
        Accepted bound; above it a sample falls back to an SVD.
    max_iter : int
        Block power iterations before the fallback.

    Returns
    -------
    est : numpy.ndarray, shape (S,)
        :math:`\log\sqrt{\theta_1} \le \log\|Q\|_2` (the exact value after a fallback).
    bound : numpy.ndarray, shape (S,)
        :math:`\log\|Q\|_2 - \mathtt{est} \le \mathtt{bound} \le \mathtt{tol}` (0 after a
        fallback and where not live).
    U : numpy.ndarray, shape (S, n, k)
        The block to warm-start the next lag from.
    n_svd : int
        Number of samples that needed the SVD.

    Notes
    -----
    See the module docstring for the certificate and its rounding allowance.
    """
    S, n, kb = U.shape
    flat = Q.reshape(S, 1, n * n)
    fro2 = np.matmul(flat, flat.transpose(0, 2, 1))[:, 0, 0]                # ||Q||_F^2
    theta = np.zeros((S, kb))
    bound = np.full(S, np.inf)
    previous = np.full(S, np.inf)
    light = min(tol, tol * tol)  # bound 1 this small needs no residuals (module docstring)
    for _ in range(max_iter):
        Wt = np.matmul(np.swapaxes(Q, 1, 2), U)                           # Q^T U, (S, n, k)
        evals, Y = np.linalg.eigh(np.matmul(np.swapaxes(Wt, 1, 2), Wt))   # U^T A U
        Y = Y[:, :, ::-1]
        theta = np.maximum(evals[:, ::-1], 0.0)
        V = np.matmul(U, Y)                                               # Ritz vectors
        delta = _delta(V, fro2)
        excess, tau = _stacking(theta, fro2, delta)
        bound = _log_ratio(excess, theta[:, 0])
        if not (live & (bound > light)).any():
            U = V  # a light tail certifies without residuals (most lags once aligned)
            break
        AU = np.matmul(Q, Wt)                                             # A U
        AV = np.matmul(AU, Y)
        res = np.linalg.norm(AV - V * theta[:, None, :], axis=1)          # ||r_i||, (S, k)
        excess = np.minimum(excess, _majorant(theta, res, tau, delta))
        bound = _log_ratio(excess, theta[:, 0])
        with np.errstate(over="ignore"):
            top = np.divide(res[:, 0], theta[:, 0], out=np.full(S, np.inf),
                            where=theta[:, 0] > 0)
        converged = 0.5 * np.log1p(top) <= tol
        stalled = converged & (bound > 0.5 * previous)
        if not (live & ~(converged & (bound <= tol)) & ~stalled).any():
            # One more power step for the next lag (AV is at hand): the block keeps converging
            # towards the top-k subspace, which makes the tail light enough for bound 1.
            U = np.where(live[:, None, None], np.linalg.qr(AV)[0], V)
            break
        previous = bound
        U = np.where(live[:, None, None], np.linalg.qr(AV)[0], U)
    est = 0.5 * _safe_log(theta[:, 0])
    bad = np.flatnonzero(live & (bound > tol))
    if bad.size:
        exact = np.log(np.linalg.svd(Q[bad], compute_uv=False)[:, 0])
        lost = bad[exact - est[bad] > tol]
        if lost.size:  # locked onto a non-dominant subspace: restart from the exact one
            U = U.copy()
            U[lost] = np.linalg.svd(Q[lost])[0][:, :, :kb]
        est[bad] = exact
        bound[bad] = 0.0
    return est, np.where(live, bound, 0.0), U, int(bad.size)
