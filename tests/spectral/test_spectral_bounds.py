"""Bounds and verdicts: numbers against numpy.linalg and the Pascanu conditions on matrices
whose answer is known."""

import json
import math

import numpy as np
import pytest
import scipy.sparse as sps

from gradtheory import ElmanNetwork
from gradtheory.errors import ValidationError
from gradtheory.spectral import bounds

EPS = np.finfo(float).eps
KEYS = {"spectral_radius", "sigma_max", "sigma_min", "gamma", "vanishing_guaranteed",
        "exploding_possible", "per_step_log_bound", "max_transient_gain", "rho", "verdict"}


def _orthogonal(n, seed):
    Q, R = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def test_report_numbers_match_numpy_linalg_and_json_is_clean():
    W = np.random.default_rng(0).standard_normal((30, 30)) / np.sqrt(30)
    report = bounds(W)
    s = np.linalg.svd(W, compute_uv=False)
    tol = 100 * EPS * s[0]  # same LAPACK routines: agreement to rounding
    assert report.sigma_max == pytest.approx(s[0], abs=tol)
    assert report.sigma_min == pytest.approx(s[-1], abs=tol)
    assert report.rho == pytest.approx(np.abs(np.linalg.eigvals(W)).max(), abs=tol)
    assert report.per_step_log_bound == pytest.approx(math.log(s[0]), abs=1e-12)
    doc = report.to_dict()
    assert set(doc) >= KEYS
    assert doc["spectral_radius"] == doc["rho"]
    json.dumps(doc, allow_nan=False)


@pytest.mark.parametrize(("activation", "threshold"), [("tanh", 1.0), ("sigmoid", 4.0),
                                                        ("relu", 1.0)])
def test_conditions_switch_exactly_at_one_over_gamma(activation, threshold):
    Q = _orthogonal(20, seed=1)  # sigma_max = rho = 1 up to rounding
    below = bounds(0.99 * threshold * Q, activation=activation)
    above = bounds(1.01 * threshold * Q, activation=activation)
    assert below.vanishing_guaranteed
    assert not below.exploding_possible
    assert above.exploding_possible
    assert not above.vanishing_guaranteed
    assert not above.exploding_guaranteed  # gamma_min = 0: never guaranteed
    assert below.regime == "vanishing"
    assert above.verdict.startswith("exploding possible, not guaranteed")


def test_identity_matrix_with_tanh_is_marginal():
    report = bounds(np.eye(5))
    assert report.regime == "marginal"
    assert not report.vanishing_guaranteed
    assert not report.exploding_possible


def test_linear_network_is_decided_by_rho_and_shows_its_transient():
    W = np.array([[0.9, 5.0], [0.0, 0.9]])  # rho 0.9 < 1 < sigma_max
    report = bounds(W, activation="identity")
    assert report.linear
    assert report.vanishing_guaranteed
    assert report.exploding_possible is False
    brute = max(np.linalg.norm(np.linalg.matrix_power(W, k), 2) for k in range(400))
    assert report.max_transient_gain == pytest.approx(brute, rel=1e-12)
    assert report.transient_certified
    assert "transient peak" in report.verdict
    grow = bounds(np.diag([1.1, 0.2]), activation="identity")
    assert grow.exploding_guaranteed
    assert grow.regime == "exploding"


def test_lag_bounds_bracket_the_linear_jacobian():
    # identity activation: dh_t/dh_k = W^L exactly, and gamma_min = 1 makes the lower bound bite
    W = 0.6 * _orthogonal(6, seed=2) + 0.1 * np.random.default_rng(2).standard_normal((6, 6))
    report = bounds(W, activation="identity")
    for L in range(8):
        exact = np.linalg.norm(np.linalg.matrix_power(W, L), 2)
        assert report.lag_lower_bound(L) <= exact * (1 + 1e-12)
        assert exact <= report.lag_bound(L) * (1 + 1e-12)
    assert bounds(W).lag_lower_bound(3) == 0.0  # tanh: gamma_min = 0, trivial


def test_network_input_takes_the_network_activation():
    net = ElmanNetwork.random(40, gain=3.0, activation="sigmoid", rng=4)
    report = bounds(net)
    assert report.activation == "sigmoid"
    assert report.gamma == 0.25
    assert bounds(net, activation="sigmoid").sigma_max == report.sigma_max
    with pytest.raises(ValidationError) as info:
        bounds(net, activation="tanh")
    assert str(info.value) == ("`activation` must match the network's activation 'sigmoid' "
                               "(or be omitted); got 'tanh'.")


def test_sparse_input_matches_dense():
    rng = np.random.default_rng(5)
    A = sps.random_array((550, 550), density=0.02, rng=rng, data_sampler=rng.standard_normal)
    A = sps.csr_array(A * 0.4 / np.sqrt(11) + sps.eye_array(550) * 0.3)
    sparse, dense = bounds(A), bounds(A.toarray(), max_power=10)
    assert sparse.sparse
    assert not dense.sparse
    # ARPACK relative tolerance 1e-10 (see norms.py).
    assert sparse.sigma_max == pytest.approx(dense.sigma_max, rel=1e-8)
    assert sparse.rho == pytest.approx(dense.rho, rel=1e-8)
    assert sparse.max_transient_gain == pytest.approx(dense.max_transient_gain, rel=1e-8)
    assert sparse.regime == dense.regime
