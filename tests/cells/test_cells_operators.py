"""The step-Jacobian operators against the dense matrices they stand for."""

import numpy as np
import pytest

from gradtheory.cells import DiagTimesMatrix, MatrixTimesDiag, StepJacobian

EPS = np.finfo(float).eps
KINDS = {"diag_left": (DiagTimesMatrix, lambda d, W: d[:, None] * W),
         "diag_right": (MatrixTimesDiag, lambda d, W: W * d[None, :])}


def _case(seed, n=6, T=5):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((T, n)), rng.standard_normal((n, n))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_product_equals_the_dense_one(kind):
    cls, build = KINDS[kind]
    D, W = _case(0)
    J = cls(D, W)
    assert isinstance(J, StepJacobian)
    rng = np.random.default_rng(1)
    Q, R, v = rng.standard_normal((6, 3)), rng.standard_normal((5, 2, 6)), rng.standard_normal(6)
    dense = np.array([build(d, W) for d in D])
    # Each method is a reordering-free product of the same factors: agreement to ~n eps.
    tol = dict(rtol=0, atol=64 * EPS * np.max(np.abs(dense)) * 10)
    np.testing.assert_allclose(J.dense(), dense, **tol)
    for t in range(5):
        Jt = J.step(t)
        np.testing.assert_allclose(Jt.matvec(v), dense[t] @ v, **tol)
        np.testing.assert_allclose(Jt.rmatvec(v), dense[t].T @ v, **tol)
        np.testing.assert_allclose(Jt.matmat(Q), dense[t] @ Q, **tol)
        np.testing.assert_allclose(Jt.rmatmat(Q), dense[t].T @ Q, **tol)
        np.testing.assert_allclose(Jt.T.dense(), dense[t].T, **tol)
    np.testing.assert_allclose(J.lmatmat(R), R @ dense, **tol)
    np.testing.assert_allclose(J.T.dense(), np.swapaxes(dense, 1, 2), **tol)
    np.testing.assert_allclose(J.mean_log_abs_det(1),
                               np.mean(np.linalg.slogdet(dense[1:])[1]), rtol=1e-12)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_norm_bounds_bracket_the_singular_values(kind):
    cls, build = KINDS[kind]
    D, W = _case(2, n=9, T=20)
    D[3] = 0.0                                   # a dead step: norm 0, log -inf
    D[4] *= 1e-200                               # tiny slopes: no underflow in the log
    J = cls(D, W)
    sv = np.linalg.svd(np.array([build(d, W) for d in D]), compute_uv=False)
    live = np.arange(20) != 3
    log_top = np.log(sv[live, 0])
    # The eigensolver's relative error is a few n eps on the squared norm.
    np.testing.assert_allclose(J.log_norm_bound()[live], log_top, rtol=0, atol=1e-13)
    assert J.log_norm_bound()[3] == -np.inf
    assert np.isfinite(J.log_norm_bound()[4])
    assert J.log_norm_bound()[4] < -400
    lower = J.log_singular_lower_bound()
    with np.errstate(divide="ignore"):
        assert np.all(lower[live] <= np.log(sv[live, -1]) + 1e-12)
    np.testing.assert_allclose(J.norm_bound()[live], sv[live, 0], rtol=1e-12)


def test_gather_picks_network_and_step_pairs():
    rng = np.random.default_rng(3)
    D, W = rng.standard_normal((2, 7, 4)), rng.standard_normal((2, 4, 4))
    J = DiagTimesMatrix(D, W)
    b = np.array([1, 0, 1])
    t = np.array([[6, 5], [2, 1], [0, 3]])
    G = J.gather(b, t)
    assert G.batch_shape == (3, 2)
    dense = J.dense()
    for s in range(3):
        for k in range(2):
            np.testing.assert_array_equal(G.step(k).dense()[s], dense[b[s], t[s, k]])
    np.testing.assert_array_equal(J.network(1).dense(), dense[1])
