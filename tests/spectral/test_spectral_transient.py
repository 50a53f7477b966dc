"""Transient growth: powers with known norms, Gelfand's formula, the Kreiss matrix theorem."""

import json
import math

import numpy as np
import pytest
import scipy.sparse as sps
from scipy.optimize import minimize_scalar

from gradtheory.errors import ValidationError
from gradtheory.spectral.transient import kreiss_constant, power_norms, transient_growth

EPS = np.finfo(float).eps


@pytest.mark.parametrize(("n", "a"), [(5, 2.0), (8, 0.7), (12, 1.5)])
def test_scaled_shift_has_exactly_known_power_norms_and_obeys_kreiss(n, a):
    A = a * np.eye(n, k=1)  # ||A^k|| = a^k for k < n, and A^n = 0
    tg = transient_growth(A)
    expected = np.array([a**k for k in range(n)] + [0.0])
    m = tg.log_norms.size  # stops at A^n = 0, or at the first ||A^k|| <= 1 (certified)
    assert m == (n + 1 if a > 1 else 2)
    np.testing.assert_allclose(tg.norms, expected[:m], rtol=50 * EPS)  # exact up to rounding
    sup = max(1.0, a ** (n - 1))
    assert tg.certified
    assert tg.max_transient_gain == pytest.approx(sup, rel=50 * EPS)
    assert tg.rho == 0.0
    est = tg.kreiss
    # Kreiss matrix theorem: K <= sup_k ||A^k|| <= e n K, with lower <= K <= upper.
    assert 1.0 <= est.lower <= est.upper * (1 + 1e-12)
    assert est.upper == pytest.approx(sup, rel=1e-12)
    assert sup <= math.e * n * est.lower
    assert est.power_bound >= sup


@pytest.mark.parametrize("a", [0.5, 3.0, 20.0])
def test_kreiss_lower_estimate_of_a_jordan_block_matches_the_closed_form(a):
    # For A = [[0, a], [0, 0]], (zI - A)^{-1} = [[1/z, a/z^2], [0, 1/z]], whose 2-norm depends
    # only on r = |z|: K = sup_{r>1} (r-1) (a + sqrt(a^2 + 4 r^2)) / (2 r^2), a 1-D maximisation
    # done here independently (bounded Brent on log(r-1)).
    def k_of(log_s):
        r = 1.0 + math.exp(log_s)
        return (r - 1) * (a + math.sqrt(a * a + 4 * r * r)) / (2 * r * r)

    best = minimize_scalar(lambda x: -k_of(x), bounds=(-15, 10), method="bounded",
                           options={"xatol": 1e-10})
    reference = max(1.0, -best.fun)
    est = kreiss_constant(np.array([[0.0, a], [0.0, 0.0]]))
    # Nelder-Mead stops at xatol 1e-6 in log10(s); at a smooth maximum the value error is
    # second order, far below 1e-9.
    assert est.lower == pytest.approx(reference, rel=1e-9)
    assert est.lower <= reference * (1 + 1e-12)  # a sampled value: never above the sup


def test_normal_matrix_has_kreiss_constant_one():
    Q, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))
    est = kreiss_constant(0.8 * Q)  # normal, rho = ||A|| = 0.8 < 1: K = sup ||A^k|| = 1
    assert est.lower == pytest.approx(1.0, abs=1e-12)
    assert est.upper == pytest.approx(1.0, abs=1e-12)


def test_gelfand_sequence_converges_within_the_eigenvector_condition_bound():
    # A = V diag(lambda) V^{-1}: rho^k <= ||A^k|| <= kappa(V) rho^k, so
    # rho <= ||A^k||^{1/k} <= kappa(V)^{1/k} rho -- an independent two-sided reference.
    rng = np.random.default_rng(1)
    A = rng.standard_normal((10, 10)) / np.sqrt(10) * 1.3 + np.triu(np.ones((10, 10)), 1) * 0.4
    lam, V = np.linalg.eig(A)
    rho, kappa = np.abs(lam).max(), np.linalg.cond(V)
    tg = transient_growth(A, max_power=200, kreiss=False)
    k = np.arange(1, tg.log_norms.size)
    g = tg.gelfand
    assert np.all(g >= rho * (1 - 1e-9))
    assert np.all(g <= kappa ** (1 / k) * rho * (1 + 1e-9))
    assert abs(g[-1] - rho) < abs(g[9] - rho)  # converging


def test_powers_of_a_huge_matrix_stay_in_log_space():
    A = 1e3 * np.random.default_rng(2).standard_normal((4, 4))
    tg = transient_growth(A, max_power=150)  # ||A^150|| ~ 1e450 overflows a float
    assert np.all(np.isfinite(tg.log_norms))
    assert np.isinf(tg.norms[-1])
    assert tg.gelfand[-1] == pytest.approx(tg.rho, rel=0.05)  # rho <= g_k, close at k = 150
    doc = tg.to_dict()
    assert doc["max_transient_gain"] is None  # inf -> None; never NaN in JSON
    assert doc["kreiss_lower"] is None  # rho > 1: K = inf
    json.dumps(doc, allow_nan=False)


def test_sparse_power_norms_match_dense():
    rng = np.random.default_rng(3)
    D = np.zeros((600, 600))
    idx = rng.integers(0, 600, size=(3000, 2))
    D[idx[:, 0], idx[:, 1]] = rng.standard_normal(3000) * 0.5
    dense, dense_cert = power_norms(D, max_power=6)
    sparse, sparse_cert = power_norms(sps.csr_array(D), max_power=6)
    # Lanczos (svds) at relative tolerance 1e-10 against LAPACK.
    np.testing.assert_allclose(sparse, dense, atol=1e-8)
    assert dense_cert == sparse_cert


def test_certified_stop_is_exact():
    W = np.array([[0.85, 1.0], [0.0, 0.85]])
    log_norms, certified = power_norms(W, max_power=500)
    assert certified
    assert log_norms[-1] <= 0.0 < log_norms[-2]
    brute = [np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(200)]
    assert np.exp(log_norms.max()) == pytest.approx(max(brute), rel=1e-13)


def test_bad_horizon():
    with pytest.raises(ValidationError, match=r"`max_power` must be a positive integer; got 0\."):
        power_norms(np.eye(2), max_power=0)


def test_kreiss_location_is_none_not_nan_when_nothing_beats_the_limit():
    # A normal contraction: (|z|-1)||(zI-W)^{-1}|| < 1 everywhere, the supremum is the limit 1
    # at infinity, so there is no attaining point: None, never a silent NaN.
    import numpy as np

    from gradtheory.spectral import kreiss_constant

    est = kreiss_constant(0.5 * np.eye(3))
    assert est.z is None
    assert est.lower == 1.0
    assert kreiss_constant(2.0 * np.eye(3)).z is None  # rho > 1: K is infinite
