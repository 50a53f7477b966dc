"""lag_profile(): every lag against explicit products, in log space at long horizons, and
against mpmath at 50 digits where float64 products underflow."""

import math

import numpy as np
import pytest

from gradtheory import ElmanNetwork, InputTypeError, ValidationError
from gradtheory.simulate import lag_profile, simulate

N = 20


def _explicit(traj, anchor, L_max, final=None, v=None):
    """log ||P_L||_2, 1/2 log(||P_L||_F^2/n), log ||v^T P_L|| (or ||P_L v||) by plain products."""
    J = traj.jacobians()
    T, n = traj.n_steps, traj.n_hidden
    final = T if final is None else final
    P = np.eye(n)
    out = []
    for L in range(1, L_max + 1):
        P = P @ J[final - L] if anchor == "final" else J[L - 1] @ P
        w = (v @ P) if anchor == "final" else (P @ v)
        out.append((np.log(np.linalg.norm(P, 2)), 0.5 * np.log(np.sum(P**2) / n),
                    np.log(np.linalg.norm(w))))
    return np.array(out).T


@pytest.mark.parametrize("form", ["elman", "pascanu"])
@pytest.mark.parametrize("anchor", ["final", "initial"])
@pytest.mark.parametrize("gain", [0.5, 1.0, 2.5])
def test_every_lag_matches_the_explicit_product(form, anchor, gain):
    net = ElmanNetwork.random(N, gain=gain, form=form, rng=1)
    traj = simulate(net, 60, input_std=0.5, rng=2)
    v = np.random.default_rng(3).standard_normal(N)
    v /= np.linalg.norm(v)
    prof = lag_profile(traj, anchor=anchor, direction=v)
    spec, fro, dirn = _explicit(traj, anchor, 60, v=v)
    # Renormalised vs plain products: rounding ~ 60 steps x 1e-16 relative, i.e. 1e-13 in log.
    np.testing.assert_allclose(prof.log_norm_frobenius, fro, atol=1e-11)
    np.testing.assert_allclose(prof.log_norm_direction, dirn, atol=1e-11)
    # The spectral estimate is a lower bound, within its own certified error (plus rounding).
    err = spec - prof.log_norm_spectral
    assert np.all(err >= -1e-11)
    assert np.all(err <= prof.spectral_error + 1e-11)
    assert prof.spectral_error.max() <= 1e-4  # the default tol
    assert prof.n_exact_svd < 30  # the warm-started iteration does most lags


def test_matches_mpmath_at_50_digits_where_float_products_underflow():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    net = ElmanNetwork.random(3, gain=0.1, rng=4)
    traj = simulate(net, 300, input_std=1.0, rng=5)
    prof = lag_profile(traj, tol=1e-12)
    J = traj.jacobians()
    assert np.linalg.norm(np.linalg.multi_dot(list(J[::-1]))) == 0.0  # float64 underflows
    P = mpmath.eye(3)
    for L in range(1, 301):
        P = P * mpmath.matrix(J[300 - L].tolist())  # exact conversion of the float entries
        if L % 60 == 0:
            fro = mpmath.sqrt(sum(P[i, j] ** 2 for i in range(3) for j in range(3)))
            spec = max(mpmath.svd_r(P, compute_uv=False))
            # 300 renormalised steps at ~1e-16 relative each: log error ~ 1e-13; allow 1e-10.
            assert abs(prof.log_norm_frobenius[L - 1] - float(mpmath.log(fro / mpmath.sqrt(3)))
                       ) < 1e-10
            assert abs(prof.log_norm_spectral[L - 1] - float(mpmath.log(spec))) < 1e-10
    assert prof.log_norm_spectral[-1] < -700  # below float64's smallest normal number


@pytest.mark.slow
def test_hundred_thousand_steps_stay_finite_and_exact():
    gains = (0.1, 5.0)
    # Orthogonal W times g with the identity: every product is g^L times an orthogonal matrix,
    # so log||P_L|| = L log g exactly, about -230 000 or +160 000 at L = 100 000.
    lin = [ElmanNetwork.random(4, gain=g, init="orthogonal", activation="identity", rng=6)
           for g in gains]
    prof = lag_profile(lin, 100_000, rng=0, spectral=False)
    L = prof.lags
    for i, g in enumerate(gains):
        # 1e5 steps of relative rounding 1e-16 each: |error| << 1e-9 L.
        np.testing.assert_allclose(prof.samples_frobenius[i], L * math.log(g), rtol=1e-9)
        np.testing.assert_allclose(prof.samples_direction[i], L * math.log(g), rtol=1e-9)
    tanh = [ElmanNetwork.random(4, gain=g, rng=6) for g in gains]
    prof = lag_profile(tanh, 100_000, input_std=1.0, rng=7)
    for curves in (prof.samples_spectral, prof.samples_frobenius, prof.samples_direction):
        assert np.all(np.isfinite(curves))
    assert prof.samples_spectral[0, -1] < -1e5  # deep below float64's range, still finite
    # Spectral >= RMS singular value: the flavours stay ordered.
    assert np.all(prof.samples_spectral >= prof.samples_frobenius - 1e-9)


def test_averages_over_final_times_and_a_batch():
    nets = [ElmanNetwork.random(N, gain=g, rng=8) for g in (0.8, 1.2)]
    traj = simulate(nets, 80, input_std=0.3, rng=9)
    v = np.ones(N) / np.sqrt(N)
    prof = lag_profile(traj, final_times=[60, 80], max_lag=40, direction=v)
    assert prof.samples_spectral.shape == (4, 40)
    single = [lag_profile(simulate(net, 80, inputs=traj.x[b]), final_times=[t], max_lag=40,
                          direction=v) for t in (60, 80) for b, net in enumerate(nets)]
    for i, one in enumerate(single):
        # Same factors in the same order: identical up to rounding.
        np.testing.assert_allclose(prof.samples_frobenius[i], one.log_norm_frobenius,
                                   atol=1e-12)
        # Spectral: both are lower bounds within their certified errors of the same value.
        bound = max(prof.spectral_error.max(), one.spectral_error.max())
        np.testing.assert_allclose(prof.samples_spectral[i], one.log_norm_spectral,
                                   atol=bound + 1e-12)
    np.testing.assert_allclose(prof.log_norm_frobenius,
                               np.mean([s.log_norm_frobenius for s in single], axis=0),
                               atol=1e-12)
    assert lag_profile(traj, final_times=3, max_lag=40).final_times == (40, 60, 80)


def test_exactly_zero_products_give_minus_infinity_not_nan():
    # A dead ReLU layer: every unit's pre-activation is negative, f' = 0, P_L = 0.
    net = ElmanNetwork.from_arrays(np.eye(3), activation="relu", b_h=-np.ones(3))
    prof = lag_profile(net, 10)
    assert np.all(prof.log_norm_spectral == -np.inf)
    assert np.all(prof.log_norm_frobenius == -np.inf)
    assert prof.to_dict()["log_norm_spectral"] == [None] * 10
    fit = prof.fit()
    assert fit.rate is None
    assert not fit.exponential


def test_to_dict_is_json_ready():
    import json

    prof = lag_profile(ElmanNetwork.random(6, gain=0.9, rng=0), 30, input_std=0.5, rng=0)
    doc = json.loads(json.dumps(prof.to_dict(), allow_nan=False))
    assert doc["lags"] == list(range(1, 31))
    assert len(doc["log_norm_frobenius"]) == 30


@pytest.mark.parametrize(("call", "exc", "message"), [
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0)), InputTypeError,
     "`n_steps` must be a positive integer when a network is given; got None."),
    (lambda: lag_profile(simulate(ElmanNetwork.random(3, rng=0), 5), 5), ValidationError,
     "`n_steps` must be None when a Trajectory is given; got 5."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, max_lag=6), ValidationError,
     "`max_lag` must be at most the smallest final time 5; got 6."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, final_times=[9]), ValidationError,
     "`final_times` must be time steps in 1..5; got 9."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, anchor="middle"), ValidationError,
     "`anchor` must be one of 'final', 'initial'; got 'middle'."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, direction=np.zeros(3)),
     ValidationError, "`direction` must be a non-zero vector; got all zeros."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, tol=0), ValidationError,
     "`tol` must be a real number > 0; got 0.0."),
    (lambda: lag_profile(ElmanNetwork.random(3, rng=0), 5, spectral=False).fit(),
     ValidationError, "`flavour` must be a computed flavour; got 'spectral'"),
])
def test_bad_input_gets_one_line_naming_the_argument(call, exc, message):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value).startswith(message)


def test_chaotic_long_profile_does_not_overflow_inside_the_power_iteration():
    # Gain 2, zero input: the product grows like e^{0.71 L}; at L ~ 500 its Frobenius norm
    # passes 1e100 before rescaling. The power iteration squares ||Q||^2-sized entries, which
    # overflowed (a RuntimeWarning, an error under filterwarnings=error) with a 1e100 threshold.
    # n = 64 > 16 so the iteration, not the exact SVD, is used.
    from gradtheory import ElmanNetwork, lag_profile, simulate

    net = ElmanNetwork.random(64, gain=2.0, rng=0)
    prof = lag_profile(simulate(net, 1000, rng=0))
    assert np.all(np.isfinite(prof.log_norm_spectral))
    # Linear regime (zero state): log||W^L|| / L -> log rho(W), within the fit's transient.
    rho = np.max(np.abs(np.linalg.eigvals(net.W_hh)))
    assert abs(prof.log_norm_spectral[-1] / 1000 - np.log(rho)) < 0.01
