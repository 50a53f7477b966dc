"""simulate(): the recurrence of both forms, batches, burn-in and the lazy Jacobians."""

import numpy as np
import pytest

from gradtheory import ElmanNetwork, InputTypeError, ValidationError
from gradtheory.simulate import simulate

# Same float operations in a different order: agreement to a few ulps of O(1) states.
EXACT = 1e-12


def _net(form="elman", seed=0, n=5, m=3, p=2):
    rng = np.random.default_rng(seed)
    return ElmanNetwork(W_hh=0.8 * rng.standard_normal((n, n)) / np.sqrt(n),
                        W_xh=rng.standard_normal((n, m)), b_h=0.1 * rng.standard_normal(n),
                        W_y=rng.standard_normal((p, n)), b_y=rng.standard_normal(p),
                        h_0=0.5 * rng.standard_normal(n), form=form)


def _reference(net, X):
    """The defining equations, one plain loop."""
    f = net.activation.f
    h, A, H = net.h_0, [], []
    for x in X:
        if net.form == "elman":
            a = net.W_hh @ h + net.W_xh @ x + net.b_h
            h = f(a)
        else:
            h = net.W_hh @ f(h) + net.W_xh @ x + net.b_h
            a = h
        A.append(a)
        H.append(h)
    return np.array(A), np.array(H)


@pytest.mark.parametrize("form", ["elman", "pascanu"])
def test_trajectory_follows_the_defining_equations(form):
    net = _net(form)
    X = np.random.default_rng(1).standard_normal((20, 3))
    traj = simulate(net, 20, inputs=X)
    A, H = _reference(net, X)
    np.testing.assert_allclose(traj.a, A, atol=EXACT)
    np.testing.assert_allclose(traj.h, H, atol=EXACT)
    np.testing.assert_allclose(traj.y, H @ net.W_y.T + net.b_y, atol=EXACT)
    assert traj.h.shape == (20, 5)
    assert not traj.batched


@pytest.mark.parametrize("form", ["elman", "pascanu"])
def test_jacobians_match_central_differences_of_one_step(form):
    net = _net(form, seed=2)
    X = np.random.default_rng(3).standard_normal((6, 3))
    traj = simulate(net, 6, inputs=X)
    J_all = traj.jacobians()
    eps = 1e-6
    for t in range(1, 7):
        h_prev = net.h_0 if t == 1 else traj.h[t - 2]
        cols = []
        for j in range(5):
            e = np.zeros(5)
            e[j] = eps
            up = simulate(net.replace(h_0=h_prev + e), 1, inputs=X[t - 1:t]).h[0]
            dn = simulate(net.replace(h_0=h_prev - e), 1, inputs=X[t - 1:t]).h[0]
            cols.append((up - dn) / (2 * eps))
        # Central differences: truncation O(eps^2 f''') ~ 1e-12, rounding ~ 1e-16/eps = 1e-10.
        np.testing.assert_allclose(traj.jacobian(t), np.array(cols).T, atol=1e-8)
        np.testing.assert_array_equal(J_all[t - 1], traj.jacobian(t))
        # The slope arguments rebuild the same Jacobian: diag(f'(a_t)) W or W diag(f'(h_{t-1})).
        d = net.activation.df(traj.slope_arguments[t - 1])
        rebuilt = d[:, None] * net.W_hh if form == "elman" else net.W_hh * d[None, :]
        np.testing.assert_allclose(traj.jacobian(t), rebuilt, rtol=0, atol=EXACT)


def test_a_batch_equals_separate_runs():
    nets = [_net(seed=s) for s in range(4)]
    X = np.random.default_rng(5).standard_normal((4, 15, 3))
    batch = simulate(nets, 15, inputs=X)
    assert batch.batched
    assert batch.h.shape == (4, 15, 5)
    for b, net in enumerate(nets):
        single = simulate(net, 15, inputs=X[b])
        np.testing.assert_allclose(batch.h[b], single.h, atol=EXACT)
        np.testing.assert_allclose(batch.jacobian(7)[b], single.jacobian(7), atol=EXACT)
    shared = simulate(nets, 15, inputs=X[0])
    np.testing.assert_allclose(shared.h[2], simulate(nets[2], 15, inputs=X[0]).h, atol=EXACT)


def test_burn_in_is_discarded_and_becomes_h_0():
    net = _net(seed=6)
    long = simulate(net, 30, inputs=np.zeros((30, 3)))
    burnt = simulate(net, 20, inputs=np.zeros((20, 3)), burn_in=10)
    np.testing.assert_allclose(burnt.h_0, long.h[9], atol=EXACT)
    np.testing.assert_allclose(burnt.h, long.h[10:], atol=EXACT)


def test_generated_inputs_have_the_requested_std():
    traj = simulate(_net(), 4000, input_std=0.7, rng=np.random.default_rng(7))
    # 12 000 Gaussian draws: the sample std has relative s.e. 1/sqrt(2*12000) ~ 0.0065; 5 s.e.
    assert abs(traj.x.std() / 0.7 - 1) < 0.035
    assert np.all(simulate(_net(), 5).x == 0)


def test_seeded_runs_repeat_and_differ_by_seed():
    a = simulate(_net(), 10, input_std=1.0, rng=3).h
    np.testing.assert_array_equal(a, simulate(_net(), 10, input_std=1.0, rng=3).h)
    assert not np.allclose(a, simulate(_net(), 10, input_std=1.0, rng=4).h)


@pytest.mark.parametrize(("call", "exc", "message"), [
    (lambda: simulate(_net(), 0), ValidationError,
     "`n_steps` must be a positive integer; got 0."),
    (lambda: simulate(_net(), 5, inputs=np.zeros((4, 3))), ValidationError,
     "`inputs` must be an array of shape (5, 3); got shape (4, 3)."),
    (lambda: simulate(_net(), 5, input_std=-1.0), ValidationError,
     "`input_std` must be a real number >= 0; got -1.0."),
    (lambda: simulate(_net(), 5, burn_in=-2), ValidationError,
     "`burn_in` must be a non-negative integer; got -2."),
    (lambda: simulate(np.eye(3), 5), InputTypeError,
     "`network` must be an ElmanNetwork or RecurrentNetwork, or a non-empty sequence of them; "
     "got a float64 array "
     "of shape (3, 3)."),
    (lambda: simulate(_net(), 5).jacobian(6), ValidationError,
     "`t` must be a time step in 1..5; got 6."),
    (lambda: simulate(ElmanNetwork.from_arrays(3 * np.eye(2), activation="identity",
                                                   h_0=np.ones(2)), 1000),
     ValidationError, "`network` must be a network whose states stay finite"),
])
def test_bad_input_gets_one_line_naming_the_argument(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_a_mixed_batch_is_refused():
    with pytest.raises(ValidationError, match=r"^`network` must be a batch of networks with"):
        simulate([_net(), _net(n=4)], 3)
