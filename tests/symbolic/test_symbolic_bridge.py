"""Derivation.lambdify() against central finite differences of a NumPy forward pass."""

import numpy as np
import pytest

from gradtheory import ValidationError
from gradtheory.symbolic import derive
from gradtheory.symbolic.model import PARAMS

F = {"tanh": np.tanh, "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "relu": lambda z: np.maximum(z, 0),
     "identity": lambda z: z}


def _loss(arrays, xs, ys, activation, form, output, loss):
    """Plain forward pass and total loss, written independently of gradtheory."""
    f = F[activation]
    h = arrays["h_0"]
    total = 0.0
    for t in range(xs.shape[0]):
        if form == "elman":
            h = f(arrays["W_hh"] @ h + arrays["W_xh"] @ xs[t] + arrays["b_h"])
        else:
            h = arrays["W_hh"] @ f(h) + arrays["W_xh"] @ xs[t] + arrays["b_h"]
        o = arrays["W_y"] @ h + arrays["b_y"]
        if output == "softmax":
            y = np.exp(o - o.max())
            y = y / y.sum()
        elif output == "sigmoid":
            y = 1 / (1 + np.exp(-o))
        else:
            y = o
        total += -np.log(y[int(ys[t])]) if loss == "cross_entropy" \
            else 0.5 * np.sum((y - ys[t]) ** 2)
    return total


def _problem(rng, n=3, m=2, p=2, T=5, loss="squared"):
    arrays = {"W_hh": rng.standard_normal((n, n)) * 0.6, "W_xh": rng.standard_normal((n, m)),
              "b_h": rng.standard_normal(n) * 0.3, "W_y": rng.standard_normal((p, n)),
              "b_y": rng.standard_normal(p) * 0.3, "h_0": rng.standard_normal(n) * 0.5}
    xs = rng.standard_normal((T, m))
    ys = rng.integers(0, p, T).astype(float) if loss == "cross_entropy" \
        else rng.standard_normal((T, p))
    return arrays, xs, ys


def _central_difference(arrays, param, fn, eps=1e-6):
    grad = np.zeros_like(arrays[param])
    for idx in np.ndindex(grad.shape):
        plus = {k: v.copy() for k, v in arrays.items()}
        minus = {k: v.copy() for k, v in arrays.items()}
        plus[param][idx] += eps
        minus[param][idx] -= eps
        grad[idx] = (fn(plus) - fn(minus)) / (2 * eps)
    return grad


CASES = [(a, f, "identity", "squared") for a in F for f in ("elman", "pascanu")] + [
    ("tanh", "elman", "sigmoid", "squared"), ("tanh", "pascanu", "softmax", "squared"),
    ("sigmoid", "elman", "softmax", "cross_entropy")]


@pytest.mark.parametrize(("activation", "form", "output", "loss"), CASES)
@pytest.mark.parametrize("param", list(PARAMS))
def test_lambdify_matches_central_differences(param, activation, form, output, loss):
    rng = np.random.default_rng(7)
    arrays, xs, ys = _problem(rng, loss=loss)
    grad = derive(param, activation=activation, output=output, loss=loss,
                  form=form).lambdify()(**arrays, xs=xs, ys=ys)
    fd = _central_difference(
        arrays, param, lambda a: _loss(a, xs, ys, activation, form, output, loss))
    assert grad.shape == arrays[param].shape
    # Central differences with eps=1e-6: truncation ~eps^2 |E'''| ~1e-12, rounding
    # ~eps_mach |E| / eps ~1e-10; relu is piecewise linear (no kink within eps here).
    np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-7)


def test_concrete_horizon_must_match_xs():
    rng = np.random.default_rng(0)
    arrays, xs, ys = _problem(rng, T=4)
    grad = derive("W_hh", n_steps=4).lambdify()
    assert grad(**arrays, xs=xs, ys=ys).shape == (3, 3)
    with pytest.raises(ValidationError, match=r"`xs` must be an array of shape \(3, 2\)"):
        derive("W_hh", n_steps=3).lambdify()(**arrays, xs=xs, ys=ys)


def test_undefined_functions_cannot_become_numbers():
    with pytest.raises(ValidationError, match="`activation` must be defined"):
        derive("W_hh", activation="undefined").lambdify()
    with pytest.raises(ValidationError, match="`loss` must be defined"):
        derive("W_hh", loss="undefined").lambdify()


def test_bad_class_indices_and_shapes_are_named():
    rng = np.random.default_rng(1)
    arrays, xs, ys = _problem(rng, loss="cross_entropy")
    grad = derive("b_y", output="softmax", loss="cross_entropy").lambdify()
    with pytest.raises(ValidationError, match=r"`ys` must be class indices in 0\.\.1"):
        grad(**arrays, xs=xs, ys=ys + 5)
    with pytest.raises(ValidationError, match="`W_xh`"):
        grad(**{**arrays, "W_xh": np.ones((2, 2))}, xs=xs, ys=ys)
