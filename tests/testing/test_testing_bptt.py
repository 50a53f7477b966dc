"""check_bptt: a right BPTT passes; truncated, transposed or sign-flipped ones fail with a
diagnosis; the reference is itself checked against finite differences (and torch autograd)."""

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.testing import BPTTCheck, GradientAssertionError, check_bptt


def handwritten_bptt(net, x, y, *, truncate=None):
    """A textbook BPTT for E_T = 1/2 ||W_y h_T + b_y - y||^2 (elman form), optionally truncated
    after `truncate` lags: the code a user would write."""
    traj = gt.simulate(net, len(x), inputs=x)
    H = np.vstack([net.h_0, traj.h])
    e = net.W_y @ H[-1] + net.b_y - y
    g = {"W_hh": np.zeros_like(net.W_hh), "W_xh": np.zeros_like(net.W_xh),
         "b_h": np.zeros_like(net.b_h), "W_y": np.outer(e, H[-1]), "b_y": e}
    delta = net.W_y.T @ e
    T = len(x)
    for k in range(T, 0, -1):
        if truncate is not None and T - k > truncate:
            break
        d = delta * net.activation.df(traj.a[k - 1])
        g["W_hh"] += np.outer(d, H[k - 1])
        g["W_xh"] += np.outer(d, x[k - 1])
        g["b_h"] += d
        delta = net.W_hh.T @ d
    return g


NET = gt.ElmanNetwork.random(5, gain=0.9, n_input=3, n_output=2, bias_std=0.3, rng=7)


def test_a_right_bptt_passes_and_the_reference_matches_finite_differences():
    result = check_bptt(handwritten_bptt, NET, n_steps=10)
    assert isinstance(result, BPTTCheck)
    assert set(result.errors) == {"W_hh", "W_xh", "b_h", "W_y", "b_y"}
    assert max(result.errors.values()) < 1e-12     # same sums, different order: rounding
    assert result.reference_error < 1e-7           # central differences, h ~ eps^(1/3)


@pytest.mark.parametrize(("K", "words"), [
    (0, "no backpropagation through time"),
    (3, "truncated after 3 lag(s): the terms of lags 4..9 are missing"),  # T = 10: lags 0..9
])
def test_truncated_bptt_is_diagnosed(K, words):
    with pytest.raises(GradientAssertionError) as info:
        check_bptt(lambda n, x, y: handwritten_bptt(n, x, y, truncate=K), NET, n_steps=10)
    msg = str(info.value)
    assert "dE_T/dW_hh is wrong" in msg
    assert words in msg
    assert "dE_T/dW_y is wrong" not in msg          # the readout has no sum over time


def test_transpose_and_sign_errors_are_named():
    def transposed(n, x, y):
        g = handwritten_bptt(n, x, y)
        return {"W_xh": g["W_xh"].T}

    with pytest.raises(GradientAssertionError, match="it is the transpose of the right"):
        check_bptt(transposed, NET)

    def flipped(n, x, y):
        return {"b_h": -handwritten_bptt(n, x, y)["b_h"]}

    with pytest.raises(GradientAssertionError, match="it has the wrong sign"):
        check_bptt(flipped, NET)


@pytest.mark.parametrize(("fn", "exc", "message"), [
    (lambda n, x, y: {"W": 0}, ValueError, "`gradient_fn` must be a mapping with keys among"),
    (lambda n, x, y: [1], TypeError, "`gradient_fn` must be a function returning a mapping"),
    (lambda n, x, y: {"b_h": np.zeros(4)}, ValueError,
     r"`gradient_fn\(...\)\['b_h'\]` must be shape \(5,\); got shape \(4,\)"),
    (lambda n, x, y: {"b_h": np.full(5, np.nan)}, ValueError,
     r"`gradient_fn\(...\)\['b_h'\]` must be finite"),
    ("not callable", TypeError, "`gradient_fn` must be a callable"),
])
def test_bad_gradient_functions_get_one_line(fn, exc, message):
    with pytest.raises(exc, match="^" + message):
        check_bptt(fn, NET)


def test_reference_agrees_with_torch_autograd():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).standard_normal((8, 3))
    y = np.random.default_rng(1).standard_normal(2)
    params = {k: torch.tensor(getattr(NET, k), requires_grad=True)
              for k in ("W_hh", "W_xh", "b_h", "W_y", "b_y")}
    h = torch.tensor(NET.h_0)
    for t in range(8):
        h = torch.tanh(params["W_hh"] @ h + params["W_xh"] @ torch.tensor(x[t]) + params["b_h"])
    e = params["W_y"] @ h + params["b_y"] - torch.tensor(y)
    (0.5 * e @ e).backward()
    ours = handwritten_bptt(NET, x, y)
    for k, p in params.items():
        np.testing.assert_allclose(ours[k], p.grad.numpy(), rtol=1e-10, atol=1e-13)
