"""The Hypothesis strategies keep their promises, and the theorems hold on what they draw."""

import importlib
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradtheory import ElmanNetwork, clip_gradient
from gradtheory.errors import InputTypeError, MissingDependencyError, ValidationError
from gradtheory.simulate import lag_profile, simulate
from gradtheory.spectral import bounds, spectral_radius, trajectory_bound, transient_growth
from gradtheory.testing.strategies import (
    TransientCase,
    networks,
    non_normal_matrices,
    orthogonal_matrices,
    weight_matrices,
)

EPS = np.finfo(float).eps
FEW = settings(max_examples=30, deadline=None)
RADII = st.floats(0.05, 5.0)


def _rho(W):
    return float(np.max(np.abs(np.linalg.eigvals(W))))


# ---------------------------------------------------------------------------- promises
@FEW
@given(st.data(), RADII)
def test_prescribed_spectral_radius_is_met_to_4n_eps(data, r):
    W = data.draw(weight_matrices(spectral_radius=r))
    n = W.shape[0]
    assert W.dtype == np.float64
    assert np.all(np.isfinite(W))
    # The module's promise: relative accuracy 4 n eps against numpy.linalg.eigvals.
    assert abs(_rho(W) / r - 1.0) <= 4 * n * EPS
    assert abs(spectral_radius(W) / r - 1.0) <= 4 * n * EPS


@FEW
@given(st.data(), RADII)
def test_prescribed_sigma_max_is_met_to_4n_eps(data, s):
    W = data.draw(weight_matrices(sigma_max=s))
    n = W.shape[0]
    # The module's promise: relative accuracy 4 n eps against the SVD.
    assert abs(np.linalg.svd(W, compute_uv=False)[0] / s - 1.0) <= 4 * n * EPS


@FEW
@given(weight_matrices(n=st.integers(2, 4), spectral_radius=RADII))
def test_drawn_sizes_and_radii_may_be_strategies(W):
    assert 2 <= W.shape[0] == W.shape[1] <= 4
    assert 0.05 * (1 - 16 * EPS) <= _rho(W) <= 5.0 * (1 + 16 * EPS)  # 4 n eps with n <= 4


@FEW
@given(orthogonal_matrices())
def test_orthogonal_matrices_are_orthogonal_to_4n_eps(W):
    n = W.shape[0]
    # The module's promise, max-entry norm; W^T W follows (W is square).
    assert np.max(np.abs(W @ W.T - np.eye(n))) <= 4 * n * EPS
    assert np.max(np.abs(W.T @ W - np.eye(n))) <= 8 * n * EPS
    # All singular values 1: sigma_max to the SVD's relative n eps.
    assert abs(bounds(W).sigma_max - 1.0) <= 8 * n * EPS


@FEW
@given(non_normal_matrices())
def test_transient_case_matches_transient_growth_and_brute_force(case):
    assert isinstance(case, TransientCase)
    W, n = case.W, case.W.shape[0]
    assert not W.flags.writeable
    assert _rho(W) <= 0.9 * (1 + 4 * n * EPS)
    tg = transient_growth(W, kreiss=False)
    assert tg.certified
    # ||W^k|| from k products, each with relative error ~ n eps, plus the closed form's 8 eps.
    tol = 4 * (case.peak_step + 2) * n * EPS
    assert abs(tg.max_transient_gain / case.peak_gain - 1.0) <= tol
    assert abs(tg.norms[case.peak_step] / case.peak_gain - 1.0) <= tol
    assert case.peak_step <= tg.peak_step or \
        abs(tg.norms[tg.peak_step] / case.peak_gain - 1.0) <= tol
    P = np.eye(n)
    for k in range(40):  # independent reference: plain powers, well past any peak
        # Plain products: relative error about k n eps at step k.
        assert np.linalg.norm(P, 2) <= case.peak_gain * (1 + 4 * (k + 2) * n * EPS)
        P = P @ W


def test_a_known_transient_case_by_hand():
    # W = [[a, c], [0, a]], a = 0.5, c = 4: ||W^k|| = (sqrt(4p^2 + q^2) + q) / 2.
    W = np.array([[0.5, 4.0], [0.0, 0.5]])
    k = np.arange(12)
    p, q = 0.5**k, k * 4.0 * 0.5 ** np.maximum(k - 1, 0)
    exact = (np.sqrt(4 * p**2 + q**2) + q) / 2
    measured = [np.linalg.norm(np.linalg.matrix_power(W, j), 2) for j in k]
    np.testing.assert_allclose(measured, exact, rtol=16 * EPS)  # a few roundings per entry


# ---------------------------------------------------------------------------- theorems
@FEW
@given(st.one_of(weight_matrices(), weight_matrices(spectral_radius=RADII),
                 orthogonal_matrices(), non_normal_matrices().map(lambda case: case.W)))
def test_sigma_max_is_never_below_rho(W):
    rep = bounds(W)
    # Both backward stable: computed rho is an eigenvalue of W + E with ||E|| ~ n eps ||W||.
    assert rep.rho <= rep.sigma_max * (1 + 8 * W.shape[0] * EPS)


def _scale(x):
    """|x| where finite, else 0: the size a rounding slack is relative to."""
    return np.where(np.isfinite(x), np.abs(x), 0.0)


@settings(max_examples=40, deadline=None)
@given(net=st.one_of(networks(), networks(W_hh=non_normal_matrices()),
                     networks(W_hh=weight_matrices(sigma_max=st.floats(0.2, 2.0)))),
       n_steps=st.integers(1, 15), input_std=st.floats(0.0, 2.0),
       seed=st.integers(0, 2**32 - 1))
def test_certified_bounds_are_never_below_the_measured_norm(net, n_steps, input_std, seed):
    traj = simulate(net, n_steps, input_std=input_std, rng=seed)
    prof = lag_profile(traj, rng=seed)
    L = prof.lags
    # Upper end of the measured norm's interval: reported value + its certified error.
    measured = prof.log_norm_spectral + prof.spectral_error
    tb = trajectory_bound(net, traj.slope_arguments)
    along = tb.log_bounds_to(n_steps)[n_steps - L]  # steps T-L+1..T, the final anchor's
    rep = bounds(net)
    glob = L * rep.per_step_log_bound if rep.sigma_max > 0 else np.full(L.size, -np.inf)
    # L products (or log-sums) of per-step norms, each with relative error ~ n eps.
    slack = 8 * (L + 1) * net.n_hidden * EPS * (1 + _scale(along) + _scale(glob))
    assert np.all(measured <= along + slack)
    assert np.all(along <= glob + slack)
    assert np.all(measured <= glob + slack)


def _norm(parts):
    """Euclidean norm over all parts, scaled so nothing over- or underflows."""
    flat = np.concatenate([np.ravel(p) for p in parts])
    peak = np.max(np.abs(flat)) if flat.size else 0.0
    return 0.0 if peak == 0 else float(peak * np.linalg.norm(flat / peak))


# |entries| <= 1e150 and tau >= 1e-150 keep every square clip_gradient sums inside float range.
VALUES = st.floats(-1e150, 1e150, allow_nan=False)
ARRAYS = st.lists(VALUES, min_size=1, max_size=6).map(np.array)


@settings(max_examples=60, deadline=None)
@given(gradient=st.one_of(ARRAYS, st.dictionaries(st.sampled_from(["W_hh", "W_xh", "b_h"]),
                                                  ARRAYS, min_size=1)),
       threshold=st.floats(1e-150, 1e150))
def test_clipping_never_increases_the_norm(gradient, threshold):
    clipped = clip_gradient(gradient, threshold)
    before = [gradient] if isinstance(gradient, np.ndarray) else list(gradient.values())
    after = [clipped] if isinstance(clipped, np.ndarray) else list(clipped.values())
    size = sum(np.size(p) for p in before)
    # Sums of `size` squares and one division: relative rounding below (size + 4) eps.
    tol = (size + 4) * EPS
    assert _norm(after) <= _norm(before) * (1 + tol)
    assert _norm(after) <= threshold * (1 + tol)
    if _norm(before) < threshold * (1 - tol):
        for a, b in zip(after, before, strict=True):
            np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------- networks
@FEW
@given(networks(n=3, gain=st.floats(0.5, 1.5), activation="relu", form="pascanu",
                init="orthogonal"))
def test_networks_follow_their_arguments(net):
    assert isinstance(net, ElmanNetwork)
    assert (net.n_hidden, net.activation.name, net.form, net.init) == (3, "relu", "pascanu",
                                                                      "orthogonal")
    gain = bounds(net).sigma_max  # orthogonal init: every singular value is the gain
    assert 0.5 * (1 - 12 * EPS) <= gain <= 1.5 * (1 + 12 * EPS)  # SVD: relative 4 n eps, n = 3


@FEW
@given(networks(W_hh=weight_matrices(2, spectral_radius=0.5), activation="identity"))
def test_networks_from_a_matrix_strategy(net):
    assert net.n_hidden == 2
    assert net.init == ""
    assert abs(bounds(net).rho / 0.5 - 1.0) <= 8 * EPS  # the strategy's 4 n eps, n = 2


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: weight_matrices(spectral_radius=1.0, sigma_max=1.0), ValidationError,
     "`sigma_max` must be None when `spectral_radius` is given"),
    (lambda: weight_matrices(0), ValidationError, "`n` must be a positive integer; got 0."),
    (lambda: weight_matrices(spectral_radius=-1.0), ValidationError,
     "`spectral_radius` must be a real number > 0; got -1.0."),
    (lambda: weight_matrices(elements=[1.0]), InputTypeError,
     "`elements` must be a hypothesis strategy of floats"),
    (lambda: networks(gain=0.0), ValidationError, "`gain` must be a real number > 0"),
    (lambda: networks(form="jordan"), ValidationError, "`form` must be one of"),
    (lambda: networks(n=3, W_hh=orthogonal_matrices()), ValidationError,
     "`n` must be None when `W_hh` is given"),
    (lambda: networks(W_hh=np.eye(2)), InputTypeError,
     "`W_hh` must be a hypothesis strategy of square matrices"),
])
def test_arguments_are_checked_when_the_strategy_is_built(call, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_drawn_arguments_are_checked_when_drawn():
    @settings(max_examples=5, deadline=None)
    @given(weight_matrices(2, elements=st.just(float("nan"))))
    def draw_nan(W):
        pass  # pragma: no cover

    with pytest.raises(ValidationError, match="`elements` must be finite"):
        draw_nan()

    @settings(max_examples=5, deadline=None)
    @given(networks(2, activation=st.just("swish")))
    def draw_unknown(net):
        pass  # pragma: no cover

    with pytest.raises(ValidationError, match="`activation` must be one of"):
        draw_unknown()


# ---------------------------------------------------------------------------- the import
def test_missing_hypothesis_is_a_one_line_missing_dependency_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # `import hypothesis` now fails
    monkeypatch.delitem(sys.modules, "gradtheory.testing.strategies")
    with pytest.raises(MissingDependencyError, match=r"needs hypothesis.*gradtheory\[test\]") \
            as info:
        importlib.import_module("gradtheory.testing.strategies")
    assert "\n" not in str(info.value)


def test_gradtheory_testing_does_not_import_the_strategies():
    code = ("import sys, gradtheory.testing; "
            "print('gradtheory.testing.strategies' in sys.modules, 'hypothesis' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]
