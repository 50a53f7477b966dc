"""The core Trajectory and the one BPTT; every layer takes a Trajectory."""

import importlib

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.trajectory import backpropagate

forward = importlib.import_module("gradtheory.simulate.forward")  # the function shadows it

FORMS = ("elman", "pascanu")


def _net(form, seed=0, n=6):
    return gt.ElmanNetwork.random(n, gain=1.2, form=form, bias_std=0.3, n_output=3, rng=seed)


@pytest.mark.parametrize("form", FORMS)
def test_backpropagate_matches_finite_differences_of_a_loss_over_all_steps(form):
    net = _net(form)
    X = np.random.default_rng(1).standard_normal((9, 6))
    C = np.random.default_rng(2).standard_normal((9, 3))

    def loss(network):
        y = gt.simulate(network, 9, inputs=X).y
        return 0.5 * float(np.sum((y - C) ** 2))

    traj = gt.simulate(net, 9, inputs=X)
    inject = {t: net.W_y.T @ (traj.y[t - 1] - C[t - 1]) for t in range(1, 10)}
    back = backpropagate(traj, inject, summed=True)
    for name in ("W_hh", "W_xh", "b_h", "h_0"):
        base = getattr(net, name)
        fd = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            up, dn = base.copy(), base.copy()
            up[idx] += 1e-6
            dn[idx] -= 1e-6
            fd[idx] = (loss(net.replace(**{name: up})) - loss(net.replace(**{name: dn}))) / 2e-6
        got = back.deltas[0] if name == "h_0" else back.terms[name]
        # Central differences: ~1e-10 absolute at these O(1) sizes (truncation + rounding).
        np.testing.assert_allclose(got, fd, atol=1e-7)
    per_step = backpropagate(traj, inject)
    for name, terms in per_step.terms.items():
        np.testing.assert_allclose(terms.sum(axis=0), back.terms[name], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("form", FORMS)
def test_every_layer_takes_a_trajectory_and_agrees_with_its_network_call(form):
    net = _net(form, seed=3)
    X = np.random.default_rng(4).standard_normal((60, 6))
    traj = gt.simulate(net, 60, inputs=X)
    a = gt.lyapunov(traj, k=3, burn_in=10)
    b = gt.lyapunov(net, 50, k=3, burn_in=10, inputs=X)
    np.testing.assert_array_equal(a.exponents, b.exponents)
    tc = gt.temporal_contributions(traj, targets=np.zeros(3), t=40)
    tc_net = gt.temporal_contributions(net, X[:40], np.zeros(3))
    for name in tc.contributions:
        np.testing.assert_array_equal(tc.contributions[name], tc_net.contributions[name])
    np.testing.assert_array_equal(gt.trajectory_bound(traj).log_step_norms,
                                  gt.trajectory_bound(net, traj.slope_arguments).log_step_norms)
    prof = gt.lag_profile(traj, direction=np.ones(6))
    explicit = np.eye(6)
    for L in range(1, 61):
        explicit = explicit @ traj.jacobian(61 - L)
        # Log-space products against plain ones: rounding of 60 products, ~1e-13.
        assert prof.log_norm_spectral[L - 1] == pytest.approx(
            np.log(np.linalg.norm(explicit, 2)), abs=1e-9)


def test_trajectory_arguments_that_would_be_ignored_are_refused():
    net = _net("elman")
    traj = gt.simulate(net, 20, input_std=1.0, rng=0)
    with pytest.raises(ValueError, match="`n_steps` must be"):
        gt.lyapunov(traj, 20)
    with pytest.raises(ValueError, match="`input_std` must be"):
        gt.lyapunov(traj, input_std=1.0)
    with pytest.raises(ValueError, match="`burn_in` must be fewer"):
        gt.lyapunov(traj, burn_in=20)
    with pytest.raises(ValueError, match="`inputs` must be None"):
        gt.temporal_contributions(traj, traj.x, np.zeros(3))
    with pytest.raises(TypeError, match="`targets` must be"):
        gt.temporal_contributions(traj)
    with pytest.raises(ValueError, match="`preactivations` must be None"):
        gt.trajectory_bound(traj, traj.a)
    batch = gt.simulate([net, net], 5)
    with pytest.raises(ValueError, match="a trajectory of one network"):
        gt.trajectory_bound(batch)


def test_the_report_simulates_each_network_once(monkeypatch):
    calls = []
    real = forward.run

    def counting(cell, h, x, *, keep=True):
        calls.append(x.shape)
        return real(cell, h, x, keep=keep)

    monkeypatch.setattr(forward, "run", counting)
    nets = gt.default_networks(n_hidden=8, gains=(0.5, 3.0))
    gt.report(nets, n_steps=50)
    assert len(calls) == len(nets)


def test_step_jacobians_is_one_operator_over_time():
    net = _net("pascanu", seed=5)
    traj = gt.simulate(net, 7, input_std=1.0, rng=1)
    J = traj.step_jacobians()
    assert J.batch_shape == (7,)
    for t in range(1, 8):
        np.testing.assert_array_equal(J.step(t - 1).dense(), traj.jacobian(t))
