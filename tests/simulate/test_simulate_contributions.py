"""temporal_contributions(): the per-lag split sums to the BPTT gradient (finite differences,
torch autograd), W_xh's distant contributions vanish like W_hh's, and clipping."""

import numpy as np
import pytest

from gradtheory import ElmanNetwork, InputTypeError, RangeError, ValidationError
from gradtheory.simulate import (
    PARAMETERS,
    clip_gradient,
    lag_profile,
    simulate,
    temporal_contributions,
)


def _net(form, activation="tanh", seed=0, n=4, m=3, p=2):
    rng = np.random.default_rng(seed)
    return ElmanNetwork(W_hh=0.9 * rng.standard_normal((n, n)) / np.sqrt(n),
                        W_xh=rng.standard_normal((n, m)), b_h=0.2 * rng.standard_normal(n),
                        W_y=rng.standard_normal((p, n)), b_y=rng.standard_normal(p),
                        h_0=0.5 * rng.standard_normal(n), activation=activation, form=form)


def _loss(net, X, target, t):
    y = simulate(net, t, inputs=X[:t]).y[-1]
    return 0.5 * float(np.sum((y - target) ** 2))


@pytest.mark.parametrize("form", ["elman", "pascanu"])
@pytest.mark.parametrize("activation", ["tanh", "softplus"])
def test_contributions_sum_to_the_finite_difference_gradient(form, activation):
    net = _net(form, activation)
    rng = np.random.default_rng(1)
    X = rng.standard_normal((7, 3))
    target = rng.standard_normal(2)
    tc = temporal_contributions(net, X, target, t=6)
    grad = tc.gradient()
    eps = 1e-6
    for name in PARAMETERS:
        base = getattr(net, name)
        fd = np.zeros(base.shape)
        for idx in np.ndindex(base.shape):
            up, dn = base.copy(), base.copy()
            up[idx] += eps
            dn[idx] -= eps
            fd[idx] = (_loss(net.replace(**{name: up}), X, target, 6)
                       - _loss(net.replace(**{name: dn}), X, target, 6)) / (2 * eps)
        # Central differences: truncation O(eps^2) ~ 1e-12, rounding ~ 1e-16 / eps = 1e-10.
        np.testing.assert_allclose(grad[name], fd, atol=1e-8, err_msg=name)
    assert tc.loss == pytest.approx(_loss(net, X, target, 6), rel=1e-14)
    assert tc.contributions["W_hh"].shape == (7, 4, 4)
    assert not np.any(tc.contributions["W_y"][1:])
    assert not np.any(tc.contributions["h_0"][:-1])


@pytest.mark.torch
@pytest.mark.parametrize("form", ["elman", "pascanu"])
def test_contributions_sum_to_torch_autograd_in_float64(form):
    torch = pytest.importorskip("torch")
    net = _net(form, seed=2, n=6, m=3, p=4)
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 3))
    targets = rng.standard_normal((40, 4))
    tc = temporal_contributions(net, X, targets, t=35)
    params = {k: torch.tensor(getattr(net, k), dtype=torch.float64, requires_grad=True)
              for k in PARAMETERS}
    x = torch.tensor(X, dtype=torch.float64)
    h = params["h_0"]
    for t in range(35):
        if form == "elman":
            h = torch.tanh(params["W_hh"] @ h + params["W_xh"] @ x[t] + params["b_h"])
        else:
            h = params["W_hh"] @ torch.tanh(h) + params["W_xh"] @ x[t] + params["b_h"]
    y = params["W_y"] @ h + params["b_y"]
    loss = 0.5 * torch.sum((y - torch.tensor(targets[34])) ** 2)
    loss.backward()
    for name, value in tc.gradient().items():
        ref = params[name].grad.numpy()
        # Same float64 operations in another order: 1e-10 relative to the gradient's size.
        assert np.max(np.abs(value - ref)) <= 1e-10 * np.max(np.abs(ref)), name
    assert tc.loss == pytest.approx(float(loss.detach()), rel=1e-12)


def test_input_weight_contributions_decay_exactly_like_the_jacobian_product():
    # Identity activation, W = g * orthogonal: ||delta^T dh_t/dh_{t-L}|| = g^L ||delta||, so
    # ||C^{W_xh}_L|| / ||x_{t-L}|| (= ||g_{t-L}||) falls exactly as g^L, like W_hh's.
    g = 0.8
    net = ElmanNetwork.random(8, gain=g, init="orthogonal", activation="identity", rng=4)
    X = np.random.default_rng(5).standard_normal((50, 8))
    tc = temporal_contributions(net, X, np.ones(8))
    L = tc.lags[:50]
    k = 50 - L
    xs = tc.norms("W_xh")[:50] / np.linalg.norm(X[k - 1], axis=1)
    H = np.concatenate([np.zeros((1, 8)), simulate(net, 50, inputs=X).h])
    hs = tc.norms("W_hh")[1:49] / np.linalg.norm(H[k[1:49] - 1], axis=1)  # h_0 = 0 at L = 49
    # Exact identities up to rounding of ~50 matrix-vector products.
    np.testing.assert_allclose(xs / xs[0], g ** L, rtol=1e-12)
    np.testing.assert_allclose(hs / xs[0], g ** L[1:49], rtol=1e-12)


def test_tanh_input_weight_decay_follows_the_backpropagated_lag_profile():
    net = ElmanNetwork.random(16, gain=0.9, rng=6)
    X = np.random.default_rng(7).standard_normal((120, 16))
    target = np.zeros(16)
    tc = temporal_contributions(net, X, target)
    traj = simulate(net, 120, inputs=X)
    delta = traj.h[-1] - target                   # W_y = I, b_y = 0
    prof = lag_profile(traj, direction=delta, max_lag=119, spectral=False)
    d = traj.diag_factors()
    # ||C^{W_xh}_L|| = ||f'(a_k) * (delta^T P_L)|| ||x_k||, k = 120 - L: the lag profile along
    # delta, computed independently, up to the bounded factors f'(a_k) in (0, 1] and ||x_k||.
    L = np.arange(1, 120)
    k = 120 - L
    predicted = (np.log(np.linalg.norm(delta)) + prof.log_norm_direction
                 + np.log(np.linalg.norm(X[k - 1], axis=1)))
    measured = np.log(tc.norms("W_xh")[1:120])
    ratio = measured - predicted
    assert np.all(ratio <= 1e-10)
    assert np.all(ratio >= np.log(d.min()) - 1e-10)
    # Both decay at the same rate: W_xh's distant contributions vanish like W_hh's.
    wxh = np.polyfit(L[20:], measured[20:], 1)[0]
    whh = np.polyfit(L[20:-1], np.log(tc.norms("W_hh")[21:119]), 1)[0]  # h_0 = 0 at L = 119
    lag_rate = prof.fit("direction", window=(21, 119)).rate
    assert wxh < -0.05  # clearly vanishing
    # Fluctuating O(1) factors f'(a_k), ||x_k|| over 100 lags move a slope by ~0.01.
    assert abs(wxh - lag_rate) < 0.02
    assert abs(whh - lag_rate) < 0.02


def test_fit_recovers_the_exact_rate_of_an_orthogonal_linear_network():
    # ||C^{W_xh}_L|| = g^L ||delta|| ||x_{t-L}||: with x of constant norm the rate is ln g.
    g = 0.8
    net = ElmanNetwork.random(8, gain=g, init="orthogonal", activation="identity", rng=4)
    X = np.random.default_rng(5).standard_normal((80, 8))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    tc = temporal_contributions(net, X, np.ones(8))
    fit = tc.fit("W_xh")
    assert fit.rate == pytest.approx(np.log(g), abs=1e-10)
    assert fit.window == (8, 78)  # lags 1..t-2, from the first lag >= 78/10
    assert tc.fit("b_h").rate == pytest.approx(np.log(g), abs=1e-10)


def test_fit_reports_no_rate_with_a_reason():
    net = _net("elman")
    X = np.random.default_rng(1).standard_normal((40, 3))
    tc = temporal_contributions(net, X, np.zeros(2))
    readout = tc.fit("W_y")                   # zero at every lag but 0
    assert readout.rate is None
    assert "exactly zero" in readout.note
    short = temporal_contributions(net, X[:4], np.zeros(2)).fit("W_hh")  # lags 1..2 only
    assert short.rate is None
    assert short.n_points == 2
    assert "fewer than 3 lags" in short.note
    with pytest.raises(ValidationError, match=r"^`parameter` must be one of"):
        tc.fit("W_hx")


def test_clip_gradient_is_algorithm_1():
    rng = np.random.default_rng(8)
    big = {"a": 10 * rng.standard_normal((3, 3)), "b": 10 * rng.standard_normal(3)}
    clipped = clip_gradient(big, 2.0)
    norm = np.sqrt(sum(np.sum(v**2) for v in clipped.values()))
    assert norm == pytest.approx(2.0, rel=1e-14)
    ratio = clipped["a"] / big["a"]
    np.testing.assert_allclose(clipped["b"] / big["b"], ratio.flat[0], rtol=1e-14)
    small = {"a": np.array([0.1, 0.2])}
    np.testing.assert_array_equal(clip_gradient(small, 2.0)["a"], small["a"])


def test_whole_gradient_clipping_keeps_the_lag_profile_shape():
    net = ElmanNetwork.random(6, gain=1.5, rng=9)
    X = np.random.default_rng(10).standard_normal((30, 6))
    tc = temporal_contributions(net, X, np.ones(6))
    total = np.sqrt(sum(np.sum(v**2) for v in tc.gradient().values()))
    tau = total / 10
    whole = tc.clip(tau)
    # Algorithm 1 rescales every lag by tau/||g||: the shape is unchanged (vanishing stays).
    np.testing.assert_allclose(whole.norms("W_xh"), tc.norms("W_xh") * tau / total,
                               rtol=1e-12)
    per = tc.clip(tau, per_lag=True)
    lag_norms = np.sqrt(sum(per.norms(p) ** 2 for p in PARAMETERS))
    assert np.all(lag_norms <= tau * (1 + 1e-12))


@pytest.mark.parametrize(("call", "exc", "message"), [
    (lambda: temporal_contributions(np.eye(2), np.zeros((3, 2)), np.zeros(2)), InputTypeError,
     "`network` must be an ElmanNetwork, a RecurrentNetwork or a Trajectory; got a float64 "
     "array of shape (2, 2)."),
    (lambda: temporal_contributions(_net("elman"), np.zeros((5, 2)), np.zeros(2)),
     ValidationError, "`inputs` must be an array of shape (any, 3); got shape (5, 2)."),
    (lambda: temporal_contributions(_net("elman"), np.zeros((5, 3)), np.zeros(3)),
     ValidationError, "`targets` must be an array of shape (2,); got shape (3,)."),
    (lambda: temporal_contributions(_net("elman"), np.zeros((5, 3)), np.zeros(2), t=6),
     ValidationError, "`t` must be a step in 1..5 (the number of inputs); got 6."),
    (lambda: clip_gradient(np.ones(3), 0.0), ValidationError,
     "`threshold` must be a real number > 0; got 0.0."),
    (lambda: clip_gradient(np.array([1.0, np.nan]), 1.0), ValidationError,
     "`gradient` must be finite; got a NaN or infinite entry."),
    (lambda: temporal_contributions(_net("elman"), np.zeros((5, 3)), np.zeros(2)).norms("W"),
     ValidationError, "`parameter` must be one of 'W_hh', 'W_xh', 'b_h', 'W_y', 'b_y', 'h_0'"),
])
def test_bad_input_gets_one_line_naming_the_argument(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("scale", [1e-190, 1e200])
def test_clipping_survives_extreme_magnitudes(scale):
    # A plain sum of squares underflows to 0 (no clipping) or overflows to inf (all zeros).
    g = np.array([3.0, 4.0]) * scale
    clipped = clip_gradient(g, scale)                   # ||g|| = 5 scale > threshold
    np.testing.assert_allclose(clipped, np.array([0.6, 0.8]) * scale, rtol=4 * np.finfo(float).eps)


def test_an_exploding_network_over_8000_steps_gives_no_nan_and_exact_log_norms():
    # Regression: gain 3, T = 8000, n = 64 returned millions of NaN entries (inf * 0) with
    # warnings; at n = 16 (cheaper) gain 5 grows as fast: lambda_max T ~ 1500 nats.
    net = ElmanNetwork.random(16, gain=5.0, rng=11)
    X = np.random.default_rng(12).standard_normal((8000, 16))
    tc = temporal_contributions(net, X, np.zeros(16))
    assert not tc.in_range
    for p in PARAMETERS:
        assert not np.any(np.isnan(tc.log_norms(p)))
        assert not np.any(np.isnan(tc.norms(p)))
    log_wxh = tc.log_norms("W_xh")
    assert np.max(log_wxh) > 1000            # far beyond float64: e^1000 and more
    with pytest.raises(RangeError, match="use log_norms"):
        _ = tc.contributions
    with pytest.raises(RangeError, match="`gradient` must fit"):
        tc.gradient()
    # Independent log-space reference: the lag profile along delta_T (W_y = I, b_y = 0):
    # ||C^{W_xh}_L|| = ||f'(a_k) * (delta^T P_L)|| ||x_k||, k = T - L, bracketed as in the
    # in-range test above by the slopes' range (0, 1].
    traj = simulate(net, 8000, inputs=X)
    delta = traj.h[-1]
    prof = lag_profile(traj, direction=delta, max_lag=7999, spectral=False)
    L = np.arange(1, 8000)
    predicted = (np.log(np.linalg.norm(delta)) + prof.log_norm_direction
                 + np.log(np.linalg.norm(X[8000 - L - 1], axis=1)))
    ratio = log_wxh[1:8000] - predicted
    d_min = traj.diag_factors().min()
    # Two log-space recursions of 8000 steps: rounding ~ 8000 * 1e-16 relative per step.
    assert np.all(ratio <= 1e-8)
    assert np.all(ratio >= np.log(d_min) - 1e-8)
    # Clipping in log space: every lag's norm is at most tau afterwards, none is NaN.
    clipped = tc.clip(1.0, per_lag=True)
    assert clipped.in_range or np.all(np.isfinite(clipped.log_scale))
    for p in PARAMETERS:
        assert np.all(clipped.log_norms(p) <= 1e-12)
    whole = tc.clip(1.0)
    total = np.sqrt(sum(float(np.sum(g**2)) for g in whole.gradient().values()))
    assert total == pytest.approx(1.0, rel=1e-9)


def test_norms_of_large_but_representable_contributions_do_not_overflow_by_squaring():
    # Regression: norms() and clip(per_lag=True) squared entries of ~1e158 into inf.
    # Linear network h_t = 0.5^t h_0: e = W_y h_T, delta_k = W_y^T e 0.5^(t-k), exactly.
    net = ElmanNetwork.from_arrays(0.5 * np.eye(4), activation="identity",
                                   W_y=1e160 * np.eye(4), h_0=np.full(4, 1e-160))
    tc = temporal_contributions(net, np.zeros((5, 4)), np.zeros(4))
    # ||delta_5|| = 1e160 * 1e160 * 0.5^5 * ||1e-160 * ones(4)|| = 6.25e158; then x 0.5 per lag.
    expected = 6.25e158 * 0.5 ** np.arange(5)
    np.testing.assert_allclose(tc.norms("b_h")[:5], expected, rtol=1e-13)
    np.testing.assert_allclose(tc.log_norms("b_h")[:5], np.log(expected), rtol=1e-13)
    clipped = tc.clip(1.0, per_lag=True)
    assert np.all(np.isfinite(clipped.norms("b_h")))
    assert np.max(clipped.norms("b_h")) <= 1.0 + 1e-12
