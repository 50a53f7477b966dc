r"""The linearised rate :math:`\ln(c\rho)` and its rigorous tolerance, from :math:`\kappa(V)`.

When every slope along a trajectory is one constant c (a linear network, or a state parked at a
fixed point), every step Jacobian is :math:`J_t = c\,W` and the product of L of them is
:math:`P_L = c^L W^L`. For a diagonalisable :math:`W = V\Lambda V^{-1}`,

.. math::

    \rho^L = \rho(W^L) \le \|W^L\|_2 \le \|V\|_2\,\|\Lambda^L\|_2\,\|V^{-1}\|_2
    = \kappa(V)\,\rho^L,
    \qquad\text{so}\qquad
    0 \le \ln\|W^L\|_2 - L\ln\rho \le \ln\kappa(V),

with :math:`\kappa(V) = \|V\|_2\|V^{-1}\|_2` the condition number of the eigenvector matrix
(any V diagonalising W gives a valid bound; LAPACK's has unit columns, within a factor
:math:`\sqrt n` of the best scaling, van der Sluis 1969). The log-norm is a line of slope
:math:`\ln(c\rho)` up to a band of width :math:`\ln\kappa(V)` above it.

*The fitted slope.* Least squares over lags :math:`L_1, \dots, L_m` with
:math:`d_j = L_j - \bar L` gives :math:`\hat s = \sum_j d_j y_j / \sum_j d_j^2`. If
:math:`y_j = a + L_j r + z_j` with every :math:`z_j \in [0, w]`, then, as :math:`\sum_j d_j = 0`,

.. math::

    \hat s - r = \frac{\sum_j d_j z_j}{\sum_j d_j^2} \in [-w\,\ell,\; w\,\ell], \qquad
    \ell = \frac{\sum_{d_j > 0} d_j}{\sum_j d_j^2}

(the extremes put :math:`z_j = w` where :math:`d_j > 0` and 0 elsewhere, or the reverse; the
positive and negative :math:`d_j` have the same total). With :math:`r = \ln(c\rho)` and
:math:`w = \ln\kappa(V)` plus the measurement's own error band, :math:`w\ell` is a rigorous
tolerance for the fitted rate, not a guess.

References
----------
Trefethen, L. N. and Embree, M. (2005). Spectra and Pseudospectra, ch. 14. Princeton.
van der Sluis, A. (1969). Condition numbers and equilibration of matrices. Numer. Math. 14,
14–23.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _validate

__all__ = ["eigenvector_condition", "linear_rate_tolerance"]

_EPS = float(np.finfo(np.float64).eps)


def eigenvector_condition(W: Any) -> float:
    r"""The condition number :math:`\kappa(V) = \|V\|_2\|V^{-1}\|_2` of W's eigenvectors.

    Parameters
    ----------
    W : array_like, shape (n, n)
        A real square matrix.

    Returns
    -------
    float
        :math:`\sigma_{\max}(V)/\sigma_{\min}(V)` for the unit-column eigenvector matrix of
        :func:`numpy.linalg.eig`; ``inf`` when V is numerically singular
        (:math:`\sigma_{\min} \le n\varepsilon\,\sigma_{\max}`: W is, to working precision,
        defective, and its powers carry polynomial factors no κ bounds).

    Raises
    ------
    ValidationError
        If W is not a finite square 2-D array.

    Notes
    -----
    1 exactly for a normal matrix up to rounding (orthonormal eigenvectors). Cost: one dense
    eigendecomposition and one SVD, :math:`O(n^3)`.

    Examples
    --------
    >>> import numpy as np
    >>> round(eigenvector_condition(np.diag([0.5, 0.9])), 12)
    1.0
    >>> eigenvector_condition(np.array([[0.5, 1.0], [0.0, 0.5]]))  # a Jordan block
    inf
    """
    A = _validate.real_array(W, "W", ndim=2, square=True)
    _, V = np.linalg.eig(A)
    s = np.linalg.svd(V, compute_uv=False)
    return math.inf if s[-1] <= s[0] * _EPS * A.shape[0] else float(s[0] / s[-1])


def linear_rate_tolerance(W: Any, lags: Any, *, measurement_error: float = 0.0) -> float:
    r"""How far the fitted rate of :math:`\ln\|(cW)^L\|_2` can be from :math:`\ln(c\rho)`.

    Parameters
    ----------
    W : array_like, shape (n, n)
        The matrix whose powers are measured (:math:`W_{hh}`; the constant c does not matter).
    lags : array_like, shape (m,)
        The lags of the least-squares fit, at least two distinct.
    measurement_error : float, optional
        Width of the measurement's own error band (e.g. the largest ``spectral_error`` of a
        lag profile, whose reported log-norm is never above the true one), added to the band
        :math:`\ln\kappa(V)`; default 0.

    Returns
    -------
    float
        :math:`(\ln\kappa(V) + \text{measurement\_error})\,
        \sum_{L_j > \bar L}(L_j - \bar L)\,/\sum_j (L_j - \bar L)^2`; ``inf`` when W is
        (numerically) defective (see :func:`eigenvector_condition`).

    Raises
    ------
    ValidationError
        If W is not a finite square 2-D array, the lags are not a finite 1-D array with two
        distinct values, or ``measurement_error`` is negative.

    See Also
    --------
    eigenvector_condition : the κ(V) of the band.

    Notes
    -----
    From :math:`0 \le \ln\|W^L\|_2 - L\ln\rho \le \ln\kappa(V)` and the least-squares slope's
    response to a band (module notes):

    .. math::

        |\hat s - \ln(c\rho)| \le \big(\ln\kappa(V) + e\big)\,
        \frac{\sum_{L_j > \bar L}(L_j - \bar L)}{\sum_j (L_j - \bar L)^2}.

    Examples
    --------
    >>> import numpy as np
    >>> linear_rate_tolerance(np.diag([0.5, 0.9]), np.arange(10, 101))  # normal: exact slope
    0.0
    >>> W = np.array([[0.5, 1.0], [0.0, 0.4]])  # non-normal: kappa(V) = 20.05
    >>> round(linear_rate_tolerance(W, np.arange(10, 101)), 5)
    0.04942
    """
    kappa = eigenvector_condition(W)
    L = _validate.real_array(lags, "lags", ndim=1)
    d = L - L.mean()
    if not d @ d > 0.0:
        raise _validate.fail("lags", "at least two distinct lags", f"{L.size} equal lag(s)")
    err = _validate.real_number(measurement_error, "measurement_error", minimum=0.0)
    if not math.isfinite(kappa):
        return math.inf
    return (math.log(kappa) + err) * float(d[d > 0].sum() / (d @ d))
