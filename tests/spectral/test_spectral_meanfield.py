"""Mean-field and random-matrix predictions: quadrature against mpmath, fixed points against
closed forms, the defining equation and Monte Carlo simulation of large random networks."""

import itertools
import json
import math

import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import quad

from gradtheory import get_activation
from gradtheory.activations import ACTIVATIONS
from gradtheory.errors import ValidationError
from gradtheory.spectral.meanfield import (
    _moments,
    critical_gain,
    mean_field,
    random_matrix_prediction,
)

# Each activation and its derivative written independently in mpmath (30 digits).
MP = {"identity": (lambda x: x, lambda x: mp.mpf(1)),
      "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2),
      "sigmoid": (lambda x: 1 / (1 + mp.exp(-x)), lambda x: mp.exp(-x) / (1 + mp.exp(-x)) ** 2),
      "relu": (lambda x: max(x, 0), lambda x: mp.mpf(1 if x > 0 else 0)),
      "softplus": (lambda x: mp.log1p(mp.exp(x)), lambda x: 1 / (1 + mp.exp(-x))),
      "elu": (lambda x: x if x > 0 else mp.expm1(x), lambda x: mp.mpf(1) if x > 0 else mp.exp(x)),
      "hardtanh": (lambda x: max(-1, min(1, x)), lambda x: mp.mpf(1 if -1 < x < 1 else 0))}


def _mp_expectation(fn, q):
    mp.mp.dps = 30
    s = mp.sqrt(mp.mpf(q))
    points = sorted({-mp.inf, mp.inf, mp.mpf(0), *(k / s for k in (-30, -5, -1, 1, 5, 30))})
    return float(mp.quad(lambda z: fn(s * z) ** 2 * mp.npdf(z), points))


def test_activation_table_is_covered():
    assert set(MP) == set(ACTIVATIONS)


# Small q (Gauss-Hermite path), moderate, large q (narrow features), for every activation.
@pytest.mark.parametrize("q", [1e-8, 0.2, 1.0, 25.0, 1e4])
@pytest.mark.parametrize("name", sorted(MP))
def test_gaussian_integrals_match_mpmath(name, q):
    second, slope = _moments(get_activation(name))
    f, df = MP[name]
    # Stated accuracy (module notes): ~1e-13 relative; observed <= 1e-15.
    assert second(q) == pytest.approx(_mp_expectation(f, q), rel=1e-13)
    assert slope(q) == pytest.approx(_mp_expectation(df, q), rel=1e-13)


@pytest.mark.parametrize(("name", "gain", "std"), [("tanh", 1.7, 0.8), ("sigmoid", 3.0, 0.3),
                                                   ("hardtanh", 1.2, 0.5), ("elu", 1.2, 1.0),
                                                   ("softplus", 0.9, 0.05)])
def test_fixed_point_solves_its_defining_equation_by_scipy_quad(name, gain, std):
    act = get_activation(name)
    mf = mean_field(gain, input_std=std, bias_std=0.1, activation=name)
    s = math.sqrt(mf.q_star)

    def gauss(fn):  # scipy's adaptive quadrature, split at the kinks and 0
        pts = sorted({0.0, *(k / s for k in act.kinks)})
        edges = [-40.0, *pts, 40.0]
        return sum(quad(lambda z: fn(s * z) * math.exp(-z * z / 2) / math.sqrt(2 * math.pi),
                        lo, hi, epsabs=0, epsrel=1e-13, limit=200)[0]
                   for lo, hi in itertools.pairwise(edges))

    rhs = gain**2 * gauss(lambda x: float(act.f(np.array(x)) ** 2)) + std**2 + 0.01
    assert mf.q_star == pytest.approx(rhs, rel=1e-10)  # quad's 1e-13, amplified by 1/(1-V')
    chi = gain**2 * gauss(lambda x: float(act.df(np.array(x)) ** 2))
    assert mf.chi == pytest.approx(chi, rel=1e-10)


@pytest.mark.parametrize("gain", [0.3, 0.9])
def test_closed_forms_for_linear_relu_and_small_tanh(gain):
    s2 = 0.49
    lin = mean_field(gain, input_std=0.7, activation="identity")
    assert lin.q_star == pytest.approx(s2 / (1 - gain**2), rel=1e-12)
    assert lin.chi == pytest.approx(gain**2, rel=1e-12)
    relu = mean_field(gain, input_std=0.7, activation="relu")
    assert relu.q_star == pytest.approx(s2 / (1 - gain**2 / 2), rel=1e-12)
    assert relu.chi == pytest.approx(gain**2 / 2, rel=1e-12)
    quiet = mean_field(gain)  # tanh without input: q* = 0, chi = g^2 tanh'(0)^2
    assert quiet.q_star == 0.0
    assert quiet.chi == gain**2
    assert quiet.lyapunov_max == pytest.approx(math.log(gain), rel=1e-12)
    assert quiet.timescale == pytest.approx(-1 / math.log(gain**2), rel=1e-12)


def test_no_finite_fixed_point_and_the_critical_point_are_json_none():
    relu = mean_field(2.0, input_std=1.0, activation="relu")  # g^2/2 = 2 > 1: q -> inf
    assert math.isinf(relu.q_star)
    assert relu.chi == pytest.approx(2.0)
    edge = mean_field(1.0, activation="identity")  # chi = 1 exactly: infinite timescale
    assert edge.chi == 1.0
    assert math.isinf(edge.timescale)
    assert edge.regime == "critical"
    for doc in (relu.to_dict(), edge.to_dict()):
        json.dumps(doc, allow_nan=False)
    assert relu.to_dict()["q_star"] is None
    assert edge.to_dict()["timescale"] is None
    assert edge.to_dict()["lyapunov_max"] == 0.0


def _monte_carlo(name, gain, input_std, init, n=600, n_networks=6, burn=60, steps=60):
    """Ensemble Monte Carlo: pre-activation variance and g^2 mean f'(a)^2 of simulated networks.

    Each of ``n_networks`` independent draws of W (seeded) runs ``burn`` steps, then averages
    over ``steps``; the spread across draws gives the standard error, including the quenched
    draw-to-draw fluctuation of a fixed W (large for non-zero-mean f such as sigmoid and relu).
    """
    act = get_activation(name)
    q_net, chi_net = [], []
    for seed in range(n_networks):
        rng = np.random.default_rng(seed)
        if init == "gaussian":
            W = gain * rng.standard_normal((n, n)) / np.sqrt(n)
        else:
            Q, R = np.linalg.qr(rng.standard_normal((n, n)))
            W = gain * Q * np.sign(np.diag(R))
        h = act.f(rng.standard_normal(n))
        q_t, chi_t = [], []
        for t in range(burn + steps):
            a = W @ h + input_std * rng.standard_normal(n)
            h = act.f(a)
            if t >= burn:
                q_t.append(np.mean(a * a))
                chi_t.append(gain**2 * np.mean(act.df(a) ** 2))
        q_net.append(np.mean(q_t))
        chi_net.append(np.mean(chi_t))

    def mean_and_se(x):
        return np.mean(x), np.std(x, ddof=1) / np.sqrt(len(x))

    return mean_and_se(q_net), mean_and_se(chi_net)


@pytest.mark.parametrize(("name", "gain", "input_std", "init"), [
    ("tanh", 1.5, 0.5, "gaussian"), ("tanh", 0.8, 1.0, "orthogonal"),
    ("sigmoid", 5.0, 0.3, "gaussian"), ("relu", 1.2, 0.5, "gaussian")])
def test_fixed_point_matches_monte_carlo_of_large_networks(name, gain, input_std, init):
    mf = mean_field(gain, input_std=input_std, activation=name)
    (q_mc, q_se), (chi_mc, chi_se) = _monte_carlo(name, gain, input_std, init)
    # 5 standard errors of the ensemble mean, plus the O(1/n) finite-size bias of mean field.
    assert abs(q_mc - mf.q_star) <= 5 * q_se + 2 * mf.q_star / 600
    assert abs(chi_mc - mf.chi) <= 5 * chi_se + 2 * mf.chi / 600


def test_critical_gain_solves_chi_equal_one():
    assert critical_gain() == pytest.approx(1.0, rel=1e-12)
    assert critical_gain(activation="relu") == pytest.approx(math.sqrt(2), rel=1e-12)
    assert critical_gain(activation="identity") == pytest.approx(1.0, rel=1e-12)
    g_c = [critical_gain(input_std=s) for s in (0.1, 0.5, 1.0)]
    assert g_c == sorted(g_c)  # input noise moves the edge of chaos out
    assert g_c[0] > 1.0
    at = mean_field(g_c[1], input_std=0.5)
    assert at.chi == pytest.approx(1.0, abs=1e-10)
    assert at.critical_gain == g_c[1]


def test_random_matrix_predictions_against_samples():
    n, g = 400, 0.7
    rng = np.random.default_rng(7)
    W = g * rng.standard_normal((n, n)) / np.sqrt(n)
    pred = random_matrix_prediction(g)
    # Finite-n corrections: O(n^-1/2) = 0.05 for rho, O(n^-2/3) = 0.02 for sigma_max.
    assert np.abs(np.linalg.eigvals(W)).max() == pytest.approx(pred.rho, rel=0.1)
    assert np.linalg.norm(W, 2) == pytest.approx(pred.sigma_max, rel=0.05)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    s = np.linalg.svd(g * Q, compute_uv=False)
    ortho = random_matrix_prediction(g, init="orthogonal")
    np.testing.assert_allclose(s, ortho.sigma_max, rtol=1e-12)
    assert ortho.sigma_min == ortho.rho == g


def test_bad_arguments():
    with pytest.raises(ValidationError) as info:
        mean_field(0.0)
    assert str(info.value) == "`gain` must be a real number > 0; got 0.0."
    with pytest.raises(ValidationError, match="`input_std` must be a real number >= 0"):
        mean_field(1.0, input_std=-1.0)
    with pytest.raises(ValidationError, match="`init` must be one of"):
        random_matrix_prediction(1.0, init="xavier")


# The theory's stated accuracy and conditions live with it (report/checks.py only calls them).

@pytest.mark.parametrize(("n", "T", "expected"), [
    (64, 1000, 4 / 64 + 0.5 / 8), (256, 4000, 4 / 256 + 0.5 / 16),
    (64, 250, (4 / 64 + 0.5 / 8) * 2.0), (32, 1000, 4 / 32 + 0.5 / math.sqrt(32)),
])
def test_tolerance_is_the_stated_formula(n, T, expected):
    from gradtheory.spectral.meanfield import MeanFieldPrediction

    assert MeanFieldPrediction.tolerance(n, T) == pytest.approx(expected, rel=1e-15)
    assert mean_field(1.0).tolerance(n, T) == MeanFieldPrediction.tolerance(n, T)


def test_tolerance_covers_the_measured_rate_of_a_random_network():
    # The theorem checked on one fresh draw (seed not among those the envelope was built on).
    from gradtheory import ElmanNetwork, lyapunov

    net = ElmanNetwork.random(64, gain=1.2, rng=12345)
    lam = lyapunov(net, 1000, k=1, input_std=1.0, rng=6).lyapunov_max
    su = math.sqrt(float(np.mean(np.sum(net.W_xh**2, axis=1))))
    mf = mean_field(float(np.linalg.norm(net.W_hh)) / 8.0, input_std=su)
    assert mf.applies_to(net) is None
    assert abs(lam - mf.lyapunov_max) <= mf.tolerance(64, 1000)


def test_applies_to_names_the_first_assumption_that_fails():
    from gradtheory import ElmanNetwork

    net = ElmanNetwork.random(16, gain=1.5, rng=0)
    driven = mean_field(1.5, input_std=1.0)
    assert driven.applies_to(net) is None
    assert driven.applies_to(ElmanNetwork.random(16, gain=1.5, init="orthogonal", rng=0)) is None
    user = driven.applies_to(ElmanNetwork.from_arrays(net.W_hh))
    assert user.startswith("W_hh is not an i.i.d. random draw (user or trained weights)")
    ident = driven.applies_to(ElmanNetwork.random(16, gain=0.9, init="identity", rng=0))
    assert "(init 'identity')" in ident
    relu_net = ElmanNetwork.random(16, gain=1.0, activation="relu", rng=0)
    relu = mean_field(1.0, input_std=1.0, activation="relu")
    assert relu.applies_to(relu_net).startswith("relu is not odd")
    assert driven.applies_to(relu_net).startswith("the prediction is for tanh")
    quiet = mean_field(1.5).applies_to(net)          # no input, no bias, h_0 = 0
    assert quiet.startswith("no input, bias or initial state")
    assert mean_field(1.5).applies_to(net.replace(h_0=np.ones(16))) is None
    linear = ElmanNetwork.random(16, gain=1.5, activation="identity", rng=0)
    assert mean_field(1.5, input_std=1.0, activation="identity").applies_to(linear) == \
        "no finite mean-field fixed point q*"


def test_applies_to_refuses_a_non_network():
    from gradtheory.errors import InputTypeError

    with pytest.raises(InputTypeError, match=r"^`network` must be an ElmanNetwork; got 3\.0\.$"):
        mean_field(1.0).applies_to(3.0)


def test_network_mean_field_reads_the_realised_gain_drive_and_bias():
    from gradtheory import ElmanNetwork
    from gradtheory.spectral.meanfield import network_mean_field

    net = ElmanNetwork.random(40, gain=1.3, n_input=5, bias_std=0.3, rng=2)
    mf = network_mean_field(net, input_std=0.7)
    n = net.n_hidden
    gain = math.sqrt(sum(float(w) ** 2 for w in net.W_hh.ravel()) / n)
    drive = 0.7 * math.sqrt(float((net.W_xh**2).sum()) / n)
    bias = math.sqrt(float((net.b_h**2).sum()) / n)
    assert mf.gain == pytest.approx(gain, rel=1e-14)
    assert mf.input_std == pytest.approx(drive, rel=1e-14)
    assert mf.bias_std == pytest.approx(bias, rel=1e-14)
    assert mf == mean_field(mf.gain, input_std=mf.input_std, bias_std=mf.bias_std)
    assert abs(mf.gain - 1.3) < 0.1  # the realised gain of a draw is near its nominal one
    assert network_mean_field(net).input_std == 0.0


def test_network_mean_field_bad_arguments():
    from gradtheory import ElmanNetwork
    from gradtheory.errors import InputTypeError
    from gradtheory.spectral.meanfield import network_mean_field

    with pytest.raises(InputTypeError, match=r"^`network` must be an ElmanNetwork; got 1\.5\.$"):
        network_mean_field(1.5)
    with pytest.raises(ValidationError, match=r"^`input_std` must be a real number >= 0"):
        network_mean_field(ElmanNetwork.random(4, rng=0), input_std=-1.0)
    with pytest.raises(ValidationError, match=r"^`network` must be a network with a non-zero"):
        network_mean_field(ElmanNetwork.from_arrays(np.zeros((3, 3))))
