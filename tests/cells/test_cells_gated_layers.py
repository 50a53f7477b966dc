"""The layers on LSTM and GRU trajectories, through the operator protocol alone: states, lag
profiles, Lyapunov sum rule, trajectory bounds and BPTT against PyTorch autograd (float64)."""

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.trajectory import backpropagate, unroll
from tests.cells.test_cells_gated import _gru, _lstm, _torch_gru, _torch_lstm

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

T = 40


def _run(name, seed=0, n=6, m=3):
    cell = (_lstm if name == "lstm" else _gru)(n=n, m=m, seed=seed)
    rng = np.random.default_rng(seed + 100)
    X = rng.standard_normal((T, m))
    s0 = 0.5 * rng.standard_normal(cell.state_size)
    W_y = rng.standard_normal((2, n))
    return cell, unroll(cell, s0, X, W_y=W_y, b_y=np.zeros(2)), X, s0


def _torch_steps(name, cell, X, s0):
    """The torch cell's step as a function of the full state, and the trajectory's states."""
    n = cell.n_hidden
    mod = _torch_lstm(cell) if name == "lstm" else _torch_gru(cell)

    def step(state, x):
        if name == "lstm":
            h, c = mod(x[None], (state[:n][None], state[n:][None]))
            return torch.cat([h[0], c[0]])
        return mod(x[None], state[None])[0]

    states, s = [], torch.from_numpy(s0)
    for t in range(T):
        s = step(s, torch.from_numpy(X[t]))
        states.append(s)
    return mod, step, torch.stack(states)


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_states_and_lag_profile_equal_autograd(name):
    cell, traj, X, s0 = _run(name, seed=1)
    _, step, states = _torch_steps(name, cell, X, s0)
    # States: T steps of O(1) arithmetic in float64, agreeing to a few ulps per step.
    np.testing.assert_allclose(traj.states, states.detach().numpy(), rtol=0, atol=1e-12)
    prev = torch.cat([torch.from_numpy(s0)[None], states[:-1]]).detach()
    J = [torch.autograd.functional.jacobian(lambda s, t=t: step(s, torch.from_numpy(X[t])),
                                            prev[t]).numpy() for t in range(T)]
    prof = gt.lag_profile(traj, direction=np.ones(cell.state_size), tol=1e-12)
    P = np.eye(cell.state_size)
    for L in range(1, T + 1):
        P = P @ J[T - L]
        # log-space products of 40 exact Jacobians vs plain ones: ~1e-13; allow 1e-10.
        assert prof.log_norm_spectral[L - 1] == pytest.approx(np.log(np.linalg.norm(P, 2)),
                                                              abs=1e-10)
    tb = gt.trajectory_bound(traj)
    assert np.all(prof.log_norm_spectral <= tb.log_bounds_to(T)[::-1][1:] + 1e-9)


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_lyapunov_spectrum_obeys_the_sum_rule(name):
    cell, traj, _, _ = _run(name, seed=2)
    spec = gt.lyapunov(traj)
    # sum_i Lambda_i = sum_t log|det J_t| exactly in exact arithmetic; rounding ~ T N eps.
    assert spec.exponents.sum() == pytest.approx(spec.mean_log_det, abs=1e-10)
    assert spec.exponents.size == cell.state_size


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_bptt_through_the_operators_equals_autograd(name):
    cell, traj, X, s0 = _run(name, seed=3)
    mod, _, states = _torch_steps(name, cell, X, s0)
    n = cell.n_hidden
    W_y = torch.from_numpy(traj.W_y)
    e = W_y @ states[-1][:n]
    (0.5 * e @ e).backward()
    e_np = traj.W_y @ traj.h[-1]
    inject = np.zeros(cell.state_size)
    inject[:n] = traj.W_y.T @ e_np                    # the readout sees the h-block only
    back = backpropagate(traj, {T: inject}, summed=True)
    names = {"W_hh": "weight_hh", "W_xh": "weight_ih", "b_h": "bias_ih", "b_xh": "bias_ih",
             "b_hh": "bias_hh"}
    for ours, grad in back.terms.items():
        theirs = getattr(mod, names[ours]).grad.numpy()
        # 40 steps of BPTT in float64: relative ~1e-13; allow 1e-10 of the gradient's scale.
        np.testing.assert_allclose(grad, theirs, rtol=0, atol=1e-10 * np.abs(theirs).max())


@pytest.mark.parametrize("name", ["lstm", "gru"])
def test_one_step_jacobian_of_a_gated_trajectory(name):
    # jacobian(t) reads step t's cache alone; gates are (T, G, n), so the step is axis 0.
    _, traj, _, _ = _run(name, seed=4)
    J = traj.step_jacobians()
    for t in (1, 17, T):
        np.testing.assert_array_equal(traj.jacobian(t), J.step(t - 1).dense())
