r"""Spectra and norms of the recurrent matrix, dense (LAPACK) or sparse (ARPACK).

The three numbers the gradient conditions need are

.. math::

    \rho(W) = \max_i |\lambda_i(W)|, \qquad
    \sigma_{\max}(W) = \|W\|_2, \qquad
    \sigma_{\min}(W) = \min_{\|v\|_2 = 1} \|W v\|_2 .

Dense arrays use LAPACK through :mod:`numpy.linalg` (backward stable: relative error of a few
:math:`n\varepsilon` in :math:`\sigma_{\max}`; :math:`\rho` is as accurate as the eigenvalues'
conditioning allows). ``scipy.sparse`` matrices with more than :data:`DENSE_CUTOFF` rows use
ARPACK (:func:`scipy.sparse.linalg.eigs` for :math:`\rho`, :func:`~scipy.sparse.linalg.svds`
for the singular values) with relative tolerance :data:`ARPACK_TOL`; smaller sparse matrices are
densified, which is exact and cheaper.

When ARPACK does not converge:

* :math:`\rho` and :math:`\sigma_{\max}`: one retry with a larger Krylov space, then a
  :class:`~gradtheory.ConvergenceError` whose message says to pass a dense array instead;
* :math:`\sigma_{\min}` (needed only for *lower* bounds): a structurally singular matrix (an
  empty row or column) gives exactly 0 without iterating; otherwise, if ``svds(which="SM")`` does
  not converge within :data:`SIGMA_MIN_MAXITER` iterations, ``None`` is returned ("unknown"),
  which the bounds treat as the always-valid lower bound 0.

References
----------
Lehoucq, R. B., Sorensen, D. C. and Yang, C. (1998). ARPACK Users' Guide. SIAM.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from .. import _validate
from .._threads import small_problem_threads
from ..errors import ConvergenceError, InputTypeError

__all__ = [
    "ARPACK_TOL",
    "DENSE_CUTOFF",
    "SIGMA_MIN_MAXITER",
    "as_matrix",
    "eigenvalues",
    "largest_singular_value",
    "singular_values",
    "smallest_singular_value",
    "spectral_radius",
]

#: Sparse matrices with at most this many rows are densified (exact LAPACK, and faster).
DENSE_CUTOFF = 500
#: Relative tolerance requested from ARPACK.
ARPACK_TOL = 1e-10
#: Iteration cap of ``svds(which="SM")`` before σ_min is reported unknown (``None``).
SIGMA_MIN_MAXITER = 300

# A validated matrix: a read-only float64 ndarray or a float64 scipy.sparse CSR array.
Matrix = Any


def as_matrix(W: Any, name: str = "W_hh") -> Matrix:
    """Validate a square real matrix, dense or ``scipy.sparse``; return it ready for linear algebra.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.
    name : str, optional
        The argument's name for error messages (default ``"W_hh"``).

    Returns
    -------
    numpy.ndarray or scipy.sparse.csr_array
        A read-only float64 array, or a float64 CSR copy of a sparse input with finite entries.

    Raises
    ------
    ValidationError
        If the matrix is not square 2-D, is empty, or has a NaN or infinite entry.
    InputTypeError
        If it is complex, boolean, a string or an object array.

    Examples
    --------
    >>> import scipy.sparse as sps
    >>> as_matrix(sps.eye(3)).shape
    (3, 3)
    """
    if not sps.issparse(W):
        return _validate.real_array(W, name, ndim=2, square=True)
    if W.dtype.kind not in "fiu":
        raise _validate.fail(name, "a real numeric sparse matrix",
                             f"a sparse matrix of dtype {W.dtype}", cls=InputTypeError)
    if W.ndim != 2 or W.shape[0] != W.shape[1]:
        raise _validate.fail(name, "a square 2-D array", f"shape {W.shape}")
    if W.shape[0] == 0:
        raise _validate.fail(name, "a non-empty square 2-D array", f"shape {W.shape}")
    A = sps.csr_array(W, dtype=np.float64, copy=True)
    if not np.all(np.isfinite(A.data)):
        raise _validate.fail(name, "finite", f"{int(np.isnan(A.data).sum())} NaN and "
                             f"{int(np.isinf(A.data).sum())} infinite entries")
    return A


def _dense(W: Matrix) -> np.ndarray | None:
    """The dense array to use, or None when ARPACK should be used."""
    if not sps.issparse(W):
        return np.asarray(W)
    if W.shape[0] <= DENSE_CUTOFF:
        return np.asarray(W.toarray())
    return None


def _arpack_failure(what: str, n: int) -> ConvergenceError:
    return ConvergenceError(
        f"ARPACK did not converge for {what} of the {n}x{n} sparse matrix `W_hh`; pass a dense "
        "array (W.toarray()) to use LAPACK instead.")


def spectral_radius(W: Any) -> float:
    r"""Spectral radius :math:`\rho(W) = \max_i |\lambda_i(W)|`.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.

    Returns
    -------
    float
        :math:`\rho(W)`.

    Raises
    ------
    ConvergenceError
        If ARPACK does not converge on a large sparse matrix (after one retry).

    Notes
    -----
    Sparse: the six eigenvalues of largest modulus from ARPACK's implicitly restarted Arnoldi
    method (more than one, because the eigenvalues of a random matrix crowd at the edge of the
    disk and a single Ritz value converges slowly), relative tolerance :data:`ARPACK_TOL`.

    Examples
    --------
    >>> round(spectral_radius([[0.0, 2.0], [-2.0, 0.0]]), 12)
    2.0
    """
    A = as_matrix(W)
    dense = _dense(A)
    if dense is not None:
        with small_problem_threads(dense.shape[0]):
            return float(np.max(np.abs(np.linalg.eigvals(dense))))
    n = A.shape[0]
    for ncv in (40, 120):
        try:
            vals = spla.eigs(A, k=6, which="LM", ncv=ncv, tol=ARPACK_TOL, maxiter=20 * n,
                             return_eigenvectors=False, v0=np.ones(n))
            return float(np.max(np.abs(vals)))
        except spla.ArpackNoConvergence:
            continue
    raise _arpack_failure("the spectral radius", n)


def largest_singular_value(W: Any) -> float:
    r"""Largest singular value :math:`\sigma_{\max}(W) = \|W\|_2`.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.

    Returns
    -------
    float
        :math:`\sigma_{\max}(W)`.

    Raises
    ------
    ConvergenceError
        If ARPACK does not converge on a large sparse matrix (after one retry).

    Examples
    --------
    >>> round(largest_singular_value([[3.0, 0.0], [0.0, -4.0]]), 12)
    4.0
    """
    A = as_matrix(W)
    dense = _dense(A)
    if dense is not None:
        with small_problem_threads(dense.shape[0]):
            return float(np.linalg.norm(dense, 2))
    n = A.shape[0]
    for ncv in (20, 80):
        try:
            s = spla.svds(A, k=1, which="LM", ncv=ncv, tol=ARPACK_TOL, maxiter=20 * n,
                          return_singular_vectors=False, v0=np.ones(n))
            return float(s[0])
        except spla.ArpackNoConvergence:
            continue
    raise _arpack_failure("the largest singular value", n)


def smallest_singular_value(W: Any) -> float | None:
    r"""Smallest singular value :math:`\sigma_{\min}(W)`, or ``None`` if ARPACK cannot find it.

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.

    Returns
    -------
    float or None
        :math:`\sigma_{\min}(W)`; exactly 0 for a sparse matrix with an empty row or column;
        ``None`` when ``svds(which="SM")`` does not converge within :data:`SIGMA_MIN_MAXITER`
        iterations (a large sparse matrix; the smallest singular values of a random matrix are
        hard for Krylov methods). Callers use 0, always a valid lower bound, in that case.

    Examples
    --------
    >>> round(smallest_singular_value([[3.0, 0.0], [0.0, -4.0]]), 12)
    3.0
    """
    A = as_matrix(W)
    dense = _dense(A)
    if dense is not None:
        with small_problem_threads(dense.shape[0]):
            return float(np.linalg.svd(dense, compute_uv=False)[-1])
    n = A.shape[0]
    if np.any(np.diff(A.indptr) == 0) or np.unique(A.indices).size < n:
        return 0.0  # an empty row or column: W is singular, exactly
    try:
        s = spla.svds(A, k=1, which="SM", ncv=20, tol=ARPACK_TOL, maxiter=SIGMA_MIN_MAXITER,
                      return_singular_vectors=False, v0=np.ones(n))
    except spla.ArpackNoConvergence:
        return None
    return float(s[0])


def eigenvalues(W: Any, k: int | None = None) -> np.ndarray:
    """Eigenvalues, sorted by decreasing modulus (all of them, or the ``k`` largest).

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.
    k : int or None, optional
        How many of largest modulus; ``None`` for all (dense only, or densified sparse).

    Returns
    -------
    numpy.ndarray of complex, shape (k,) or (n,)
        The eigenvalues.

    Raises
    ------
    ValidationError
        If ``k`` is not a positive integer below n - 1 for a large sparse matrix, or ``None`` is
        asked of a sparse matrix too large to densify.
    ConvergenceError
        If ARPACK does not converge.

    Examples
    --------
    >>> eigenvalues([[2.0, 0.0], [0.0, -3.0]]).real.round(12).tolist()
    [-3.0, 2.0]
    """
    A = as_matrix(W)
    dense = _dense(A)
    n = A.shape[0]
    if k is not None:
        k = _validate.positive_int(k, "k")
    if dense is not None:
        with small_problem_threads(n):
            vals = np.linalg.eigvals(dense)
        vals = vals[np.argsort(-np.abs(vals), kind="stable")]
        return vals if k is None else vals[:k]
    if k is None or k >= n - 1:
        raise _validate.fail("k", f"an integer from 1 to {n - 2} for a {n}x{n} sparse matrix",
                             repr(k))
    try:
        vals = spla.eigs(A, k=k, which="LM", tol=ARPACK_TOL, maxiter=20 * n,
                         return_eigenvectors=False, v0=np.ones(n))
    except spla.ArpackNoConvergence:
        raise _arpack_failure("the eigenvalues", n) from None
    return vals[np.argsort(-np.abs(vals), kind="stable")]


def singular_values(W: Any, k: int | None = None) -> np.ndarray:
    """Singular values in decreasing order (all of them, or the ``k`` largest).

    Parameters
    ----------
    W : array_like or scipy.sparse matrix, shape (n, n)
        The matrix.
    k : int or None, optional
        How many of the largest; ``None`` for all (dense only, or densified sparse).

    Returns
    -------
    numpy.ndarray, shape (k,) or (n,)
        The singular values.

    Raises
    ------
    ValidationError
        If ``k`` is not a positive integer below n for a large sparse matrix, or ``None`` is
        asked of a sparse matrix too large to densify.
    ConvergenceError
        If ARPACK does not converge.

    Examples
    --------
    >>> singular_values([[0.0, 2.0], [1.0, 0.0]]).round(12).tolist()
    [2.0, 1.0]
    """
    A = as_matrix(W)
    dense = _dense(A)
    n = A.shape[0]
    if k is not None:
        k = _validate.positive_int(k, "k")
    if dense is not None:
        with small_problem_threads(n):
            s = np.linalg.svd(dense, compute_uv=False)
        return s if k is None else s[:k]
    if k is None or k >= n:
        raise _validate.fail("k", f"an integer from 1 to {n - 1} for a {n}x{n} sparse matrix",
                             repr(k))
    try:
        s = spla.svds(A, k=k, which="LM", tol=ARPACK_TOL, maxiter=20 * n,
                      return_singular_vectors=False, v0=np.ones(n))
    except spla.ArpackNoConvergence:
        raise _arpack_failure("the singular values", n) from None
    return np.sort(s)[::-1]
