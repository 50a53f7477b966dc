"""The certified trajectory bound against exact Jacobian products of simulated trajectories."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtheory import ElmanNetwork, get_activation
from gradtheory.activations import ACTIVATIONS
from gradtheory.errors import ValidationError
from gradtheory.spectral import bounds, trajectory_bound

EPS = np.finfo(float).eps


def _simulate(W, U, b, h0, x, act, form):
    """Plain NumPy forward loop; returns (what trajectory_bound takes, the Jacobians)."""
    h, args, jacobians = h0, [], []
    for x_t in x:
        if form == "elman":
            a = W @ h + U @ x_t + b
            J = np.diag(act.df(a)) @ W
            h = act.f(a)
        else:
            a = h  # argument of f in this step is h_{t-1}
            J = W @ np.diag(act.df(a))
            h = W @ act.f(h) + U @ x_t + b
        args.append(a)
        jacobians.append(J)
    return np.array(args), jacobians


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 5), T=st.integers(1, 10), gain=st.floats(0.1, 4.0),
       input_std=st.floats(0.0, 3.0), activation=st.sampled_from(sorted(ACTIVATIONS)),
       form=st.sampled_from(["elman", "pascanu"]), seed=st.integers(0, 2**32 - 1))
def test_certified_bound_is_never_below_the_exact_jacobian(n, T, gain, input_std, activation,
                                                          form, seed):
    rng = np.random.default_rng(seed)
    act = get_activation(activation)
    W = gain * rng.standard_normal((n, n)) / np.sqrt(n)
    U = np.eye(n)
    b = rng.standard_normal(n) * 0.5
    x = rng.standard_normal((T, n)) * input_std
    h0 = rng.standard_normal(n)
    args, J = _simulate(W, U, b, h0, x, act, form)
    tb = trajectory_bound(W, args, activation=activation, form=form)
    glob = bounds(W, activation=activation)
    for t in range(T + 1):
        P = np.eye(n)
        for k in range(t, -1, -1):  # P = J_t ... J_{k+1} = dh_t/dh_k
            sv = np.linalg.svd(P, compute_uv=False)
            # Per-step norms carry ~n eps relative error each, and the sum of their logs an
            # absolute ~eps sum|log| (function notes): allow (L+1) 8n eps + 4 eps sum|log|.
            # (Found by Hypothesis: n=1, T=7, gain 0.1, elu, pascanu, seed 7 exceeded the
            # first term alone by 1.3e-14 relative, with per-step logs near -9.)
            logs = np.abs(tb.log_step_norms[k:t])
            slack = (t - k + 1) * 8 * n * EPS + 4 * EPS * float(np.sum(logs[np.isfinite(logs)]))
            assert sv[0] <= math.exp(tb.log_bound(t, k)) * (1 + slack) + 1e-300
            assert math.exp(tb.log_bound(t, k)) <= glob.lag_bound(t - k) * (1 + slack)
            # LAPACK finds small singular values only to absolute accuracy ~ n eps sigma_max.
            assert math.exp(tb.log_lower_bound(t, k)) <= sv[-1] * (1 + slack) + slack * sv[0]
            if k > 0:
                P = P @ J[k - 1]
        assert np.allclose(tb.log_bounds_to(t), [tb.log_bound(t, k) for k in range(t + 1)],
                           rtol=1e-12, atol=1e-12)


def test_trajectory_bound_from_a_network_uses_its_form():
    net = ElmanNetwork.random(4, gain=1.5, activation="relu", form="pascanu", rng=6)
    rng = np.random.default_rng(6)
    args, J = _simulate(net.W_hh, net.W_xh, net.b_h, net.h_0, rng.standard_normal((5, 4)),
                        net.activation, "pascanu")
    tb = trajectory_bound(net, args)
    assert tb.form == "pascanu"
    np.testing.assert_allclose(np.exp(tb.log_step_norms), [np.linalg.norm(j, 2) for j in J],
                               rtol=1e-12)
    with pytest.raises(ValidationError, match="`form` must match the network's form 'pascanu'"):
        trajectory_bound(net, args, form="elman")


def test_hundred_thousand_steps_neither_underflow_nor_overflow():
    T, n = 100_000, 3
    W = 2.0 * np.eye(n)
    # identity activation: every step norm is exactly 2, so log bound(T, 0) = T log 2
    grow = trajectory_bound(W, np.zeros((T, n)), activation="identity")
    assert grow.log_bound(T, 0) == pytest.approx(T * math.log(2.0), rel=1e-12)
    assert math.isinf(grow.bound(T, 0))  # beyond float range; the log is the answer
    # saturated tanh: slopes ~ 4 e^{-2|a|} ~ e^{-38}: product e^{-3.8e6} would underflow
    shrink = trajectory_bound(W, np.full((T, n), 20.0))
    expected = T * (math.log(2.0) + math.log(4.0) - 40.0)  # tanh'(20) = 4e^{-40}/(1+e^{-40})^2
    assert shrink.log_bound(T, 0) == pytest.approx(expected, rel=1e-12)
    assert shrink.bound(T, 0) == 0.0
    assert shrink.log_rate == pytest.approx(expected / T, rel=1e-12)


def test_trajectory_shape_errors():
    with pytest.raises(ValidationError) as info:
        trajectory_bound(np.eye(3), np.zeros((5, 4)))
    assert str(info.value) == ("`preactivations` must be an array of shape (any, 3); "
                               "got shape (5, 4).")
    tb = trajectory_bound(np.eye(3), np.zeros((5, 3)))
    with pytest.raises(ValidationError, match=r"`\(k, t\)` must be integers with 0 <= k <= t"):
        tb.log_bound(2, 3)
