"""fit_rate(): exact exponentials and power laws, the orthogonal tanh network's power law, the
Lyapunov exponent as the rate, and the coverage of the interval."""

import numpy as np
import pytest

from gradtheory import ElmanNetwork, ValidationError
from gradtheory.simulate import fit_rate, lag_profile, lyapunov

L = np.arange(1, 1001, dtype=float)


@pytest.mark.parametrize("rate", [-2.0, -0.3, -1e-3, 0.0, 0.05, 1.5])
def test_exact_exponentials_are_exponential_with_their_rate(rate):
    fit = fit_rate(L, 3.0 + rate * L)
    assert fit.exponential
    # Least squares on exact data: rounding of sums over 900 points, ~1e-13 relative.
    assert fit.rate == pytest.approx(rate, abs=1e-12)
    lo, hi = fit.rate_ci
    assert lo <= fit.rate <= hi
    assert hi - lo < 1e-10


@pytest.mark.parametrize("alpha", [0.1, 0.5, 1.0, 3.0])
def test_exact_power_laws_are_not_exponential_and_get_no_rate(alpha):
    fit = fit_rate(L, 1.0 - alpha * np.log(L))
    assert not fit.exponential
    assert fit.rate is None
    assert fit.rate_ci is None
    assert fit.power_exponent == pytest.approx(alpha, rel=1e-10)
    assert fit.to_dict()["fitted_rate"] is None


def test_orthogonal_tanh_network_decays_as_a_power_law():
    # Zero input, orthogonal W, h_0 != 0: ||h_t||^2 ~ c/t, so the factors f'(a_t) ~ 1 - c'/t
    # and their product decays like t^(-alpha): a power law, not an exponential.
    net = ElmanNetwork.random(32, gain=1.0, init="orthogonal", rng=0)
    net = net.replace(h_0=np.random.default_rng(1).standard_normal(32))
    prof = lag_profile(net, 2000, anchor="initial", rng=2)
    for flavour in ("spectral", "frobenius", "direction"):
        fit = prof.fit(flavour)
        assert not fit.exponential, flavour
        assert fit.rate is None
        assert 0.2 < fit.power_exponent < 1.0  # ~1/2 by the argument above


@pytest.mark.parametrize("gain", [0.7, 1.5])
def test_fitted_rate_agrees_with_the_top_lyapunov_exponent(gain):
    net = ElmanNetwork.random(24, gain=gain, rng=3)
    prof = lag_profile(net, 1500, input_std=0.5, burn_in=100, final_times=4, max_lag=700,
                       rng=4)
    fit = prof.fit()
    assert fit.exponential
    assert fit.method == "samples"
    spec = lyapunov(net, 20_000, k=1, input_std=0.5, burn_in=100, rng=5)
    # Two independent estimates of the same exponent; each has a statistical error of a
    # few 1e-3 here (CI half-width, stderr), plus the finite-lag bias of the fit ~ 1/700.
    assert abs(fit.rate - spec.lyapunov_max) < 0.02
    assert fit.rate_ci[0] - 0.01 < spec.lyapunov_max < fit.rate_ci[1] + 0.01


def test_ols_interval_covers_the_true_rate_at_its_level():
    rng = np.random.default_rng(6)
    x = np.arange(1, 101, dtype=float)
    hits = sum(
        lo <= -0.1 <= hi
        for lo, hi in (fit_rate(x, -0.1 * x + 0.5 * rng.standard_normal(100),
                                window=(1, 100)).rate_ci for _ in range(400)))
    # Binomial(400, 0.95): s.d. 0.011; accept 4 s.d. either side.
    assert 0.905 < hits / 400 < 0.995


def test_window_and_samples():
    Y = np.stack([-0.2 * L, -0.2 * L + 1.0, -0.2 * L - 1.0])
    fit = fit_rate(L, Y, window=(100, 500))
    assert fit.window == (100, 500)
    assert fit.n_points == 401
    assert fit.rate == pytest.approx(-0.2, abs=1e-12)
    assert fit.method == "samples"
    assert fit_rate(L, -0.2 * L).window == (100, 1000)


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((L, np.zeros(5)), {}, "`log_norms` must be an array of shape (1000,) or (S, 1000); got "
     "shape (5,)."),
    ((L[::-1], L), {}, "`lags` must be increasing positive lags;"),
    ((L, L), {"window": (1, 2)}, "`window` must be a range holding at least 3 lags; got 2 lag(s)"),
    ((L, L), {"confidence": 1.0}, "`confidence` must be a number in (0, 1); got 1.0."),
    ((L, np.full(1000, np.nan)), {}, "`log_norms` must be free of NaN and +inf;"),
])
def test_bad_input_gets_one_line_naming_the_argument(args, kwargs, message):
    with pytest.raises(ValidationError) as info:
        fit_rate(*args, **kwargs)
    assert str(info.value).startswith(message)
