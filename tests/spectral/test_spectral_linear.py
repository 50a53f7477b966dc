"""The κ(V) band of the linearised rate, checked against the powers themselves and against the
least-squares slope of an adversarial band (where the stated tolerance is attained)."""

import math

import numpy as np
import pytest

from gradtheory.errors import ValidationError
from gradtheory.spectral import eigenvector_condition, linear_rate_tolerance

LAGS = np.arange(20, 201)


def _nonnormal(seed: int, n: int = 8) -> np.ndarray:
    rng = np.random.default_rng(seed)
    V = rng.standard_normal((n, n)) + 2.0 * np.eye(n)
    lam = rng.uniform(0.3, 0.95, n)
    return V @ np.diag(lam) @ np.linalg.inv(V)


@pytest.mark.parametrize("seed", range(6))
def test_powers_lie_in_the_band_and_the_fitted_slope_within_the_tolerance(seed):
    W = _nonnormal(seed)
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    kappa = eigenvector_condition(W)
    y = np.array([math.log(np.linalg.norm(np.linalg.matrix_power(W, int(L)), 2)) for L in LAGS])
    z = y - LAGS * math.log(rho)
    slack = 64 * np.finfo(float).eps * LAGS  # rounding of L products and of the norm
    assert np.all(z >= -slack)
    assert np.all(z <= math.log(kappa) + slack)
    slope = np.polyfit(LAGS, y, 1)[0]
    assert abs(slope - math.log(rho)) <= linear_rate_tolerance(W, LAGS) + 1e-12


def test_the_tolerance_is_attained_by_the_worst_band():
    # z = w where L > mean(L), 0 elsewhere: the least-squares slope moves by exactly w * leverage.
    W = _nonnormal(0)
    w = math.log(eigenvector_condition(W)) + 0.25
    z = np.where(LAGS - LAGS.mean() > 0, w, 0.0)
    shift = np.polyfit(LAGS, -0.1 * LAGS + z, 1)[0] + 0.1
    assert shift == pytest.approx(linear_rate_tolerance(W, LAGS, measurement_error=0.25),
                                  rel=1e-10)


def test_normal_and_defective_matrices():
    Q, _ = np.linalg.qr(np.random.default_rng(3).standard_normal((6, 6)))
    assert eigenvector_condition(0.9 * Q) == pytest.approx(1.0, abs=1e-12)
    assert linear_rate_tolerance(0.9 * Q, LAGS) == pytest.approx(0.0, abs=1e-12)
    jordan = np.array([[0.5, 1.0], [0.0, 0.5]])
    assert eigenvector_condition(jordan) == math.inf
    assert linear_rate_tolerance(jordan, LAGS) == math.inf


@pytest.mark.parametrize(("call", "message"), [
    (lambda: eigenvector_condition(np.ones((2, 3))),
     "`W` must be a square 2-D array; got shape (2, 3)."),
    (lambda: linear_rate_tolerance(np.eye(2), [5, 5, 5]),
     "`lags` must be at least two distinct lags; got 3 equal lag(s)."),
    (lambda: linear_rate_tolerance(np.eye(2), LAGS, measurement_error=-1.0),
     "`measurement_error` must be a real number >= 0; got -1.0."),
])
def test_bad_arguments(call, message):
    with pytest.raises(ValidationError) as info:
        call()
    assert str(info.value) == message
