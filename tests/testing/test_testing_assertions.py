"""The assertions: pass where the theorem or the measurement says so, fail with a message that
names the bound, the numbers and the lag, checked against direct computations."""

import dataclasses
import math
import sys
import unittest

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.report import mean_field_tolerance
from gradtheory.testing import (
    GradientAssertionError,
    as_network,
    assert_certified_bound_holds,
    assert_lag_profile_within,
    assert_not_exploding,
    assert_rate_close,
    assert_vanishing,
)


def test_assert_vanishing_passes_and_fails_on_the_sufficient_condition():
    W = np.diag([0.9, -0.5])
    assert assert_vanishing(W).sigma_max == pytest.approx(0.9)
    W2 = np.array([[0.5, 1.2], [0.0, 0.5]])                # rho = 0.5 but sigma_max > 1
    with pytest.raises(GradientAssertionError) as info:
        assert_vanishing(W2)
    s = np.linalg.norm(W2, 2)
    msg = str(info.value)
    assert f"gamma*sigma_max = {s:.6g} >= 1" in msg
    assert f"scaling W_hh by less than {1 / s:.4g}" in msg
    assert_vanishing(W2, activation="sigmoid")             # gamma = 1/4: 0.25 * 1.3 < 1
    with pytest.raises(GradientAssertionError, match=r"linear network has rho = 1\.1"):
        assert_vanishing(1.1 * np.eye(2), activation="identity")


def test_assert_not_exploding_names_the_first_lag_the_bound_exceeds():
    W = 1.1 * np.eye(3)
    # (1.1)^L <= 10 up to L = 24 (1.1^24 = 9.85), fails at 25 (1.1^25 = 10.83).
    assert_not_exploding(W, max_growth=10.0, n_steps=24)
    with pytest.raises(GradientAssertionError) as info:
        assert_not_exploding(W, max_growth=10.0, n_steps=500)
    assert info.value.lag == 25
    assert "at lag L = 25" in str(info.value)
    assert "assert_lag_profile_within(network, upper=10, n_steps=500)" in str(info.value)
    with pytest.raises(GradientAssertionError) as info:
        assert_not_exploding(20.0 * np.eye(2), max_growth=10.0)
    assert info.value.lag == 1


def test_lag_profile_within_checks_every_lag_against_direct_products():
    W = np.diag([1.05, 0.5])                       # zero input: J_t = W, ||W^L|| = 1.05^L
    net = gt.ElmanNetwork.from_arrays(W, activation="identity")
    assert_lag_profile_within(net, upper=1.05**30 * 1.001, lower=1.0, n_steps=30)
    with pytest.raises(GradientAssertionError) as info:
        assert_lag_profile_within(net, upper=2.0, n_steps=30)
    first = math.floor(math.log(2.0) / math.log(1.05)) + 1       # 1.05^15 = 2.08 > 2
    assert info.value.lag == first
    msg = str(info.value)
    assert f"exceeds upper = exp({math.log(2.0):.6g}) at lag L = {first}" in msg
    assert f"first of {30 - first + 1} violating lags out of 30" in msg
    with pytest.raises(GradientAssertionError, match="is below lower"):
        assert_lag_profile_within(net, lower=lambda L: 1.06**L, n_steps=10)


def test_lag_profile_bounds_may_be_arrays_or_functions_and_must_be_positive():
    net = gt.ElmanNetwork.random(8, gain=0.5, rng=0)
    assert_lag_profile_within(net, upper=np.ones(20), n_steps=20, input_std=1.0)
    with pytest.raises(ValueError, match=r"^`upper` must be a real number > 0; got 0.0"):
        assert_lag_profile_within(net, upper=0.0, n_steps=5)
    with pytest.raises(ValueError, match=r"^`lower/upper` must be at least one bound"):
        assert_lag_profile_within(net, n_steps=5)
    with pytest.raises(ValueError, match=r"^`lower` must be positive norms"):
        assert_lag_profile_within(net, lower=lambda L: -1.0, n_steps=5)


def test_assert_rate_close_against_log_rho_and_mean_field():
    assert_rate_close(np.diag([0.5, 0.2]), math.log(0.5), 1e-9, n_steps=60)
    with pytest.raises(GradientAssertionError) as info:
        assert_rate_close(np.diag([0.5, 0.2]), math.log(0.6), 0.01, n_steps=60)
    assert f"differs from the predicted {math.log(0.6):+.6g}" in str(info.value)
    net = gt.ElmanNetwork.random(64, gain=0.5, rng=1)
    mf = gt.mean_field(0.5, input_std=1.0)
    tol = mean_field_tolerance(64, 1000)
    assert_rate_close(net, mf.lyapunov_max, tol, input_std=1.0, flavour="frobenius")


def test_certified_bounds_hold_and_a_broken_measurement_is_reported(monkeypatch):
    nr = assert_certified_bound_holds(gt.ElmanNetwork.random(10, gain=2.5, rng=2), n_steps=80)
    assert all(c.status == "pass" for c in nr.checks if c.kind == "certified")
    # A sabotaged lag profile (norms inflated 3x) must be caught and named.
    build = sys.modules["gradtheory.report.build"]  # gradtheory.report is the function
    real = build.lag_profile

    def inflated(*args, **kwargs):
        p = real(*args, **kwargs)
        return dataclasses.replace(p, samples_spectral=p.samples_spectral + math.log(3.0))

    monkeypatch.setattr(build, "lag_profile", inflated)
    with pytest.raises(GradientAssertionError) as info:
        assert_certified_bound_holds(gt.ElmanNetwork.random(10, gain=2.5, rng=2), n_steps=80)
    assert "ln||P_L|| <= sum ln||J_i|| at lag L = 1" in str(info.value)
    assert info.value.lag is not None


def test_adapters_accept_files_matrices_and_networks(tmp_path):
    net = gt.ElmanNetwork.random(5, gain=0.5, rng=0)
    path = net.save(tmp_path / "w")
    assert as_network(path) == net
    assert as_network(str(path)) == net
    assert as_network(net) is net
    assert as_network(net.W_hh.tolist()).n_hidden == 5
    with pytest.raises(ValueError, match=r"^`activation` must be the network's own 'tanh'"):
        as_network(net, activation="relu")
    with pytest.raises(TypeError, match=r"^`network` must be an ElmanNetwork, a W_hh matrix"):
        as_network(3.0)


def test_torch_rnn_is_accepted():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    rnn = torch.nn.RNN(4, 6, batch_first=True).double()
    with torch.no_grad():
        rnn.weight_hh_l0.mul_(0.3)
    rep = assert_vanishing(rnn)
    W = rnn.weight_hh_l0.detach().numpy()
    assert rep.sigma_max == pytest.approx(np.linalg.norm(W, 2), rel=1e-12)


def test_usable_from_unittest():
    class Case(unittest.TestCase):
        def test_it(self):
            assert_vanishing(2.0 * np.eye(2))

    result = unittest.TestResult()
    Case("test_it").run(result)
    assert len(result.failures) == 1            # a failure, not an error
    assert "gamma*sigma_max = 2 >= 1" in result.failures[0][1]
