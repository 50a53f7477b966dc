"""LSTM and GRU cells: states, Jacobians and parameter terms against PyTorch autograd (float64)
and central finite differences; the gated operator against its dense matrix."""

import numpy as np
import pytest

from gradtheory.cells.gated import GatedJacobian
from gradtheory.cells.gru import GRUCell
from gradtheory.cells.lstm import LSTMCell
from tests.cells.checks import (
    FD_TOL,
    assert_param_vjp_matches_differences,
    jacobian_by_differences,
)

# float64 throughout: one step is a handful of O(1) operations, so PyTorch and NumPy agree to a
# few ulps; 1e-12 absolute leaves a factor ~100 of room.
EXACT = 1e-12


def _lstm(n=4, m=3, seed=0):
    rng = np.random.default_rng(seed)
    return LSTMCell(rng.standard_normal((4 * n, n)) / np.sqrt(n),
                    rng.standard_normal((4 * n, m)), 0.5 * rng.standard_normal(4 * n))


def _gru(n=4, m=3, seed=0):
    rng = np.random.default_rng(seed)
    return GRUCell(rng.standard_normal((3 * n, n)) / np.sqrt(n),
                   rng.standard_normal((3 * n, m)), 0.5 * rng.standard_normal(3 * n),
                   0.5 * rng.standard_normal(3 * n))


CELLS = {"lstm": _lstm, "gru": _gru}


def _state_and_input(cell, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(cell.state_size), rng.standard_normal(cell.n_input)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_the_jacobian_matches_central_differences(name):
    cell = CELLS[name]()
    s, x = _state_and_input(cell, 1)
    _, cache = cell.step(s, x)
    np.testing.assert_allclose(cell.jacobian(cache).dense(), jacobian_by_differences(cell, s, x),
                               atol=FD_TOL)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_param_vjp_matches_central_differences(name):
    cell = CELLS[name](n=3, m=2, seed=2)
    s, x = _state_and_input(cell, 3)
    delta = np.random.default_rng(4).standard_normal(cell.state_size)
    assert_param_vjp_matches_differences(cell, s, x, delta)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_the_operator_products_equal_the_dense_matrix(name):
    cell = CELLS[name](n=5, m=2, seed=5)
    rng = np.random.default_rng(6)
    S = rng.standard_normal((7, cell.state_size))
    X = rng.standard_normal((7, cell.n_input))
    _, cache = cell.step(S, X)                       # 7 steps at once: batch axes (7,)
    J = cell.jacobian(cache)
    dense = J.dense()
    assert J.batch_shape == (7,)
    N = cell.state_size
    v, Q, R = rng.standard_normal(N), rng.standard_normal((7, N, 3)), rng.standard_normal((7, 2, N))
    tol = dict(rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(J.matvec(np.broadcast_to(v, (7, N))), dense @ v, **tol)
    np.testing.assert_allclose(J.rmatvec(np.broadcast_to(v, (7, N))), np.swapaxes(dense, 1, 2) @ v,
                               **tol)
    np.testing.assert_allclose(J.matmat(Q), dense @ Q, **tol)
    np.testing.assert_allclose(J.rmatmat(Q), np.swapaxes(dense, 1, 2) @ Q, **tol)
    np.testing.assert_allclose(J.lmatmat(R), R @ dense, **tol)
    np.testing.assert_allclose(J.T.dense(), np.swapaxes(dense, 1, 2), **tol)
    np.testing.assert_allclose(J.T.lmatmat(R), R @ np.swapaxes(dense, 1, 2), **tol)
    for t in range(7):
        np.testing.assert_array_equal(J.step(t).dense(), dense[t])
    sv = np.linalg.svd(dense, compute_uv=False)
    np.testing.assert_allclose(J.norm_bound(), sv[:, 0], rtol=1e-12)
    np.testing.assert_allclose(J.mean_log_abs_det(), np.mean(np.linalg.slogdet(dense)[1]),
                               rtol=1e-12)


def test_lstm_cell_path_is_the_forget_gate():
    cell = _lstm(seed=7)
    s, x = _state_and_input(cell, 8)
    _, cache = cell.step(s, x)
    n = cell.n_hidden
    J = cell.jacobian(cache).dense()
    np.testing.assert_array_equal(J[n:, n:], np.diag(cache["gates"][1]))


def test_a_gated_operator_of_one_gate_is_d_plus_b_w():
    W = np.random.default_rng(9).standard_normal((3, 3))
    b, d = np.random.default_rng(10).standard_normal((2, 1, 1, 3))
    J = GatedJacobian(b, d, W)
    np.testing.assert_allclose(J.dense(), np.diag(d[0, 0]) + b[0, 0][:, None] * W, rtol=1e-15)


# ---------------------------------------------------------------------- PyTorch autograd
torch = pytest.importorskip("torch")


def _torch_lstm(cell):
    n = cell.n_hidden
    mod = torch.nn.LSTMCell(cell.n_input, n).double()
    with torch.no_grad():
        mod.weight_hh.copy_(torch.from_numpy(cell.W_hh))
        mod.weight_ih.copy_(torch.from_numpy(cell.W_xh))
        mod.bias_ih.copy_(torch.from_numpy(0.3 * cell.b_h))
        mod.bias_hh.copy_(torch.from_numpy(0.7 * cell.b_h))      # only the sum enters
    return mod


def _torch_gru(cell):
    mod = torch.nn.GRUCell(cell.n_input, cell.n_hidden).double()
    with torch.no_grad():
        mod.weight_hh.copy_(torch.from_numpy(cell.W_hh))
        mod.weight_ih.copy_(torch.from_numpy(cell.W_xh))
        mod.bias_ih.copy_(torch.from_numpy(cell.b_xh))
        mod.bias_hh.copy_(torch.from_numpy(cell.b_hh))
    return mod


@pytest.mark.torch
def test_lstm_states_jacobian_and_parameter_terms_equal_autograd():
    cell = _lstm(n=5, m=3, seed=11)
    mod = _torch_lstm(cell)
    n = cell.n_hidden
    s, x = _state_and_input(cell, 12)
    s_next, cache = cell.step(s, x)
    xt = torch.from_numpy(x)[None]

    def step(state):
        h, c = mod(xt, (state[:n][None], state[n:][None]))
        return torch.cat([h[0], c[0]])

    st = torch.from_numpy(s)
    np.testing.assert_allclose(s_next, step(st).detach().numpy(), rtol=0, atol=EXACT)
    J = torch.autograd.functional.jacobian(step, st).numpy()
    np.testing.assert_allclose(cell.jacobian(cache).dense(), J, rtol=0, atol=EXACT)
    delta = np.random.default_rng(13).standard_normal(2 * n)
    (torch.from_numpy(delta) @ step(st)).backward()
    vjp = cell.param_vjp({k: v[None] for k, v in cache.items()}, delta[None])
    np.testing.assert_allclose(vjp["W_hh"][0], mod.weight_hh.grad.numpy(), atol=EXACT)
    np.testing.assert_allclose(vjp["W_xh"][0], mod.weight_ih.grad.numpy(), atol=EXACT)
    np.testing.assert_allclose(vjp["b_h"][0], mod.bias_ih.grad.numpy(), atol=EXACT)
    np.testing.assert_allclose(vjp["b_h"][0], mod.bias_hh.grad.numpy(), atol=EXACT)


@pytest.mark.torch
def test_gru_states_jacobian_and_parameter_terms_equal_autograd():
    cell = _gru(n=5, m=3, seed=14)
    mod = _torch_gru(cell)
    s, x = _state_and_input(cell, 15)
    s_next, cache = cell.step(s, x)
    xt = torch.from_numpy(x)[None]

    def step(state):
        return mod(xt, state[None])[0]

    st = torch.from_numpy(s)
    np.testing.assert_allclose(s_next, step(st).detach().numpy(), rtol=0, atol=EXACT)
    J = torch.autograd.functional.jacobian(step, st).numpy()
    np.testing.assert_allclose(cell.jacobian(cache).dense(), J, rtol=0, atol=EXACT)
    delta = np.random.default_rng(16).standard_normal(cell.n_hidden)
    (torch.from_numpy(delta) @ step(st)).backward()
    vjp = cell.param_vjp({k: v[None] for k, v in cache.items()}, delta[None])
    for ours, theirs in (("W_hh", "weight_hh"), ("W_xh", "weight_ih"), ("b_xh", "bias_ih"),
                         ("b_hh", "bias_hh")):
        np.testing.assert_allclose(vjp[ours][0], getattr(mod, theirs).grad.numpy(), atol=EXACT)
