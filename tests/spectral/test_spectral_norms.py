"""Spectra and norms: dense and sparse (ARPACK) paths against numpy.linalg, and the fallbacks."""

import time

import numpy as np
import pytest
import scipy.sparse as sps
import scipy.sparse.linalg as spla

from gradtheory.errors import ConvergenceError, InputTypeError, ValidationError
from gradtheory.spectral import norms
from gradtheory.spectral.norms import (
    as_matrix,
    eigenvalues,
    largest_singular_value,
    singular_values,
    smallest_singular_value,
    spectral_radius,
)

EPS = np.finfo(float).eps


@pytest.mark.parametrize("n", [1, 2, 7, 60])
def test_dense_values_match_numpy_linalg(n):
    W = np.random.default_rng(n).standard_normal((n, n)) / np.sqrt(n)
    s = np.linalg.svd(W, compute_uv=False)
    lam = np.linalg.eigvals(W)
    # Same LAPACK routines underneath: agreement to a few ulps of the largest value.
    tol = 10 * n * EPS * s[0]
    assert spectral_radius(W) == pytest.approx(np.abs(lam).max(), abs=tol)
    assert largest_singular_value(W) == pytest.approx(s[0], abs=tol)
    assert smallest_singular_value(W) == pytest.approx(s[-1], abs=tol)
    np.testing.assert_allclose(singular_values(W), s, atol=tol)
    np.testing.assert_allclose(np.sort(np.abs(eigenvalues(W)))[::-1],
                               np.sort(np.abs(lam))[::-1], atol=tol)


def _sparse(n, density, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    A = sps.random_array((n, n), density=density, rng=rng, data_sampler=rng.standard_normal)
    return sps.csr_array(A * scale / np.sqrt(n * density))


@pytest.mark.parametrize("n", [40, 600])  # densified path, then the ARPACK path
def test_sparse_matches_dense_and_numpy(n):
    A = _sparse(n, 0.05, seed=n) + sps.eye_array(n) * 0.5  # diagonal shift: nonsingular
    D = A.toarray()
    s = np.linalg.svd(D, compute_uv=False)
    moduli = np.sort(np.abs(np.linalg.eigvals(D)))[::-1]
    # ARPACK is asked for relative tolerance 1e-10 on the Ritz values; 1e-8 leaves room for
    # the eigenvalue condition number of a non-normal matrix.
    assert spectral_radius(A) == pytest.approx(moduli[0], rel=1e-8)
    assert largest_singular_value(A) == pytest.approx(s[0], rel=1e-8)
    smin = smallest_singular_value(A)
    assert smin is None or smin == pytest.approx(s[-1], rel=1e-6)
    np.testing.assert_allclose(singular_values(A, k=3), s[:3], rtol=1e-8)
    np.testing.assert_allclose(np.abs(eigenvalues(A, k=3)), moduli[:3], rtol=1e-8)


def test_sparse_empty_column_gives_exactly_zero_sigma_min():
    A = sps.lil_array(_sparse(700, 0.02, seed=1) + sps.eye_array(700))
    A[:, 5] = 0.0
    assert smallest_singular_value(sps.csr_array(A)) == 0.0


@pytest.mark.slow
def test_sparse_10000_with_known_spectrum_is_fast():
    # A = P (D + N) P^T with N strictly upper triangular: the eigenvalues are exactly diag(D),
    # a reference that needs no eigensolver; sigma_max is checked by a different Krylov method
    # (symmetric Lanczos on A^T A).
    n = 10_000
    rng = np.random.default_rng(0)
    d = rng.uniform(-0.8, 0.8, n)
    d[1234] = 0.95
    N = sps.triu(_sparse(n, 5 / n, seed=2, scale=0.3), k=1)
    perm = rng.permutation(n)
    A = sps.csr_array((sps.diags_array(d) + N)[perm][:, perm])
    start = time.perf_counter()
    rho = spectral_radius(A)
    smax = largest_singular_value(A)
    smin = smallest_singular_value(A)
    elapsed = time.perf_counter() - start
    assert rho == pytest.approx(0.95, rel=1e-8)
    ref = np.sqrt(spla.eigsh(sps.csr_array(A.T @ A), k=1, which="LA", tol=1e-12,
                             return_eigenvectors=False)[0])
    assert smax == pytest.approx(ref, rel=1e-8)
    # sigma_min <= |lambda| for every eigenvalue; None is the documented "unknown".
    assert smin is None or 0.0 <= smin <= np.abs(d).min() * (1 + 1e-8)
    assert elapsed < 30.0


def test_arpack_non_convergence_is_a_clear_error(monkeypatch):
    def refuse(*args, **kwargs):
        raise spla.ArpackNoConvergence("no", np.array([]), np.array([]))

    monkeypatch.setattr(norms.spla, "eigs", refuse)
    monkeypatch.setattr(norms.spla, "svds", refuse)
    A = _sparse(600, 0.02, seed=3) + sps.eye_array(600)
    with pytest.raises(ConvergenceError, match=r"ARPACK did not converge for the spectral radius "
                                              r"of the 600x600 sparse matrix `W_hh`; pass a "
                                              r"dense array"):
        spectral_radius(A)
    with pytest.raises(ConvergenceError, match="largest singular value"):
        largest_singular_value(A)
    assert smallest_singular_value(A) is None  # documented: unknown, bounds then use 0


@pytest.mark.parametrize(("value", "exc", "message"), [
    (sps.csr_array(np.ones((2, 3))), ValidationError,
     "`W_hh` must be a square 2-D array; got shape (2, 3)."),
    (sps.csr_array(np.array([[1.0, np.nan], [0.0, np.inf]])), ValidationError,
     "`W_hh` must be finite; got 1 NaN and 1 infinite entries."),
    (sps.csr_array(np.eye(2) * 1j), InputTypeError,
     "`W_hh` must be a real numeric sparse matrix; got a sparse matrix of dtype complex128."),
    (np.ones((3, 4)), ValidationError, "`W_hh` must be a square 2-D array; got shape (3, 4)."),
])
def test_bad_matrices_get_one_line_messages(value, exc, message):
    with pytest.raises(exc) as info:
        as_matrix(value)
    assert str(info.value) == message


def test_sparse_k_out_of_range():
    with pytest.raises(ValidationError, match="`k` must be an integer from 1 to 598"):
        eigenvalues(_sparse(600, 0.02, seed=4), k=599)
