"""The lag profile's ``spectral_error`` is a proof, not a convergence test (issue 11, defect 1).

The block power iteration used to report error 0 on a block locked onto a non-dominant
subspace (a small Ritz residual only brackets *some* eigenvalue). Checked here: the issue's
reproduction against the closed form of a block-nilpotent power, products whose dominant
direction is suppressed by the early factors, and a Hypothesis property on adversarial and
Gaussian products, each against ``numpy.linalg.norm(P, 2)`` of the explicit product.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtheory import ElmanNetwork
from gradtheory.cells import DiagTimesMatrix, MatrixTimesDiag
from gradtheory.simulate import lag_profile
from gradtheory.simulate._spectral_norm import certified_log_norm
from gradtheory.simulate.lag import product_chain
from gradtheory.testing.strategies import non_normal_matrices, weight_matrices

EPS = np.finfo(float).eps


def _issue_matrix():
    """Nine blocks [[0.5, 1000(1 + 0.01 b)], [0, 0.5]], then 0.995 and 0.3 on the diagonal."""
    W = np.zeros((20, 20))
    for b in range(9):
        W[2 * b:2 * b + 2, 2 * b:2 * b + 2] = [[0.5, 1000 * (1 + 0.01 * b)], [0.0, 0.5]]
    W[18, 18], W[19, 19] = 0.995, 0.3
    return W


def _issue_truth(L):
    """log ||W^L||_2 in closed form: max over blocks; for [[p, q], [0, p]],
    sigma_1 = (sqrt(4p^2 + q^2) + q) / 2 with p = a^L, q = L c a^(L-1) (in log space)."""
    c = 1000 * (1 + 0.01 * 8)  # the largest coupling dominates every block norm
    log_q = np.log(L * c) + (L - 1) * np.log(0.5)
    ratio = 0.5 / (L * c)  # p / q
    block = log_q + np.log((np.sqrt(1 + 4 * ratio**2) + 1) / 2)
    return np.maximum(block, L * np.log(0.995))


def _explicit(M, D, scale_first):
    """log ||P_L||_2 of the product formed factor by factor, in the engine's order (divided by
    its Frobenius norm each step, an exact-to-eps scaling, so that nothing goes subnormal)."""
    P = np.eye(M.shape[0])
    shift, out = 0.0, []
    for d in D:
        P = (P * d) @ M if scale_first else (P @ M) * d
        c = np.linalg.norm(P)
        if c == 0:
            out.append(-np.inf)
            continue
        P, shift = P / c, shift + np.log(c)
        out.append(shift + np.log(np.linalg.norm(P, 2)))
    return np.array(out)


def _chain(M, D, *, scale_first=True, tol=1e-4, max_iter=30, block=8):
    """product_chain's log spectral norms, errors and SVD count; M (S, n, n), D (S, L, n)."""
    operator = DiagTimesMatrix if scale_first else MatrixTimesDiag   # diag(d) W or W diag(d)
    factors = operator(np.ascontiguousarray(D), np.ascontiguousarray(M))
    _, spec, err, _, n_svd = product_chain(
        factors, v=np.ones(D.shape[::2]), spectral=True, tol=tol, max_iter=max_iter,
        block=block)
    return spec, err, int(n_svd)


def test_issue_reproduction_certifies_the_late_dominant_direction():
    net = ElmanNetwork.from_arrays(_issue_matrix(), activation="identity")
    prof = lag_profile(net, 400)
    truth = _issue_truth(prof.lags)
    # Every entry of W^L is a sum of non-negative terms (no cancellation), so the product
    # carries a relative error below 2 L eps; the Ritz value and the closed form add a few
    # n eps (the closed form's log1p of a ratio ~1e-3 adds nothing measurable).
    tiny = (2 * prof.lags + 16 * 20) * EPS
    assert np.all(prof.log_norm_spectral <= truth + tiny)
    assert np.all(prof.log_norm_spectral + prof.spectral_error >= truth - tiny)
    # It used to report -263.6 with error 0; the truth is 400 ln 0.995 = -2.005.
    assert prof.log_norm_spectral[-1] == pytest.approx(400 * np.log(0.995), abs=1e-9)
    assert prof.spectral_error.max() <= 1e-4


def _adversarial(m, coupling, a, slow, rng):
    """m > k nilpotent-like blocks (the early dominant directions) and slow diagonal entries
    (the late one), under a random permutation; all entries non-negative."""
    n = 2 * m + len(slow)
    B = np.zeros((n, n))
    for b in range(m):
        B[2 * b:2 * b + 2, 2 * b:2 * b + 2] = [[a, coupling * (1 + 0.01 * b)], [0.0, a]]
    B[2 * m:, 2 * m:] = np.diag(slow)
    perm = rng.permutation(n)
    return B[np.ix_(perm, perm)]


@pytest.mark.parametrize("scale_first", [True, False])
def test_a_direction_suppressed_by_the_early_factors_is_caught_when_it_takes_over(
        scale_first):
    rng = np.random.default_rng(11)
    M = _adversarial(10, 50.0, 0.6, [0.99, 0.7], rng)
    n, L = M.shape[0], 200
    slow = int(np.flatnonzero(np.isclose(np.diag(M), 0.99))[0])
    D = np.ones((L, n))
    D[:80, slow] = 1e-3  # the eventual top direction starts 80 steps behind
    # A second, benign sample in the same batch: Gaussian, non-constant factors.
    G = 1.5 * rng.standard_normal((n, n)) / np.sqrt(n)
    DG = rng.uniform(0.2, 1.0, (L, n))
    spec, err, n_svd = _chain(np.stack([M, G]), np.stack([D, DG]), scale_first=scale_first)
    for i, (Mi, Di) in enumerate([(M, D), (G, DG)]):
        truth = _explicit(Mi, Di, scale_first)
        # Same product, same order: what differs is the SVD's and the Ritz value's rounding
        # (a few n eps relative) and the log-space sums (eps |log-norm| per logarithm).
        tiny = (16 * n + 4 * L) * EPS * (1 + np.abs(truth))
        assert np.all(spec[i] <= truth + tiny)
        assert np.all(spec[i] + err[i] >= truth - tiny)
    assert err.max() <= 1e-4
    assert n_svd < L  # the iteration still does the bulk of the lags


def test_a_block_orthogonal_to_the_top_direction_is_not_certified():
    # Q = diag(10, 1, ..., 1); the block spans e_2..e_9: its Ritz residual is exactly 0 and
    # its Ritz value 1, which a residual test would accept as ||Q|| = 1.
    n, k = 24, 8
    Q = np.diag(np.r_[10.0, np.ones(n - 1)])[None]
    U = np.eye(n)[None, :, 1:k + 1]
    live = np.array([True])
    est, bound, _, n_svd = certified_log_norm(Q, U, live, tol=100.0, max_iter=1)
    assert n_svd == 0
    assert est[0] == pytest.approx(0.0, abs=1e-15)
    assert est[0] + bound[0] >= np.log(10.0)  # a loose but true bound
    est, bound, U_next, n_svd = certified_log_norm(Q, U, live, tol=1e-4, max_iter=30)
    assert n_svd == 1
    assert bound[0] == 0.0
    assert est[0] == pytest.approx(np.log(10.0), rel=1e-15)
    assert abs(U_next[0, 0, 0]) == pytest.approx(1.0)  # restarted from the exact vectors


@st.composite
def _adversarial_cases(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    m = draw(st.integers(9, 13))
    slow = draw(st.lists(st.floats(0.8, 1.0), min_size=1, max_size=3))
    return _adversarial(m, draw(st.floats(1.0, 1e4)), draw(st.floats(0.1, 0.9)), slow, rng)


def _no_tiny_entries(W):
    # Entries below 1e-100 make a single factor's squared entries underflow in the product's
    # Frobenius norm (the part of the chain not under test here): zero them.
    return np.where(np.abs(W) < 1e-100, 0.0, W)


MATRICES = st.one_of(
    _adversarial_cases(),
    non_normal_matrices(st.integers(17, 28)).map(lambda case: _no_tiny_entries(case.W)),
    weight_matrices(st.integers(17, 28), spectral_radius=st.floats(0.3, 3.0)),
)


@settings(max_examples=60, deadline=None)
@given(M=MATRICES, n_steps=st.integers(1, 80), seed=st.integers(0, 2**32 - 1),
       scale_first=st.booleans(), tol=st.sampled_from([1e-4, 1e-2, 1.0, 100.0]),
       max_iter=st.sampled_from([1, 2, 30]), block=st.integers(1, 10))
def test_reported_value_and_error_bracket_the_true_norm(M, n_steps, seed, scale_first, tol,
                                                        max_iter, block):
    n = M.shape[0]
    D = np.random.default_rng(seed).uniform(0.0, 1.0, (n_steps, n))
    spec, err, _ = _chain(M[None], D[None], scale_first=scale_first, tol=tol, max_iter=max_iter,
                          block=block)
    truth = _explicit(M, D, scale_first)
    finite = np.isfinite(truth)
    assert np.all(spec[0][~finite] == -np.inf)
    # The engine and the reference form the same product in the same order; what remains is
    # LAPACK's singular value and the Ritz value (a few n eps relative each) and the log-space
    # bookkeeping (each of <= L summed logarithms is within eps of its value, in absolute terms
    # eps |log-norm|).
    tiny = (16 * n + 4 * n_steps) * EPS * (1 + np.abs(truth[finite]))
    assert np.all(spec[0][finite] <= truth[finite] + tiny)
    assert np.all(spec[0][finite] + err[0][finite] >= truth[finite] - tiny)
    assert np.all((err[0] >= 0) & (err[0] <= tol))
