"""The pytest plugin: found by its entry point, seeded by option and marker, switched off by
``-p no:gradtheory``; its regimes checked against measured Lyapunov exponents.

Inner projects run in-process with pytester, in a fresh directory with no conftest and none of
this repository's settings, so warnings are made errors with ``-W error`` there.
"""

import math
import re
from typing import Any

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.report.checks import mean_field_tolerance
from gradtheory.testing.plugin import EXPLODING_FACTOR, REGIMES, RateTolerance, RNNFactory

pytest_plugins = ["pytester"]

ARGS = ("-p", "no:cacheprovider", "-W", "error")

# Each test prints its networks' names and a fingerprint of W_hh, one per line.
PRINTING = '''
import pytest


def show(net):
    print(f"NET {net.name} {float(abs(net.W_hh).sum() + net.W_hh[0, 1]):.15e}")


def test_two_calls(rnn_factory):
    show(rnn_factory("vanishing"))
    show(rnn_factory("exploding", input_std=0.5))


@pytest.mark.gradtheory(seed=7)
def test_marked(rnn_factory):
    show(rnn_factory("vanishing"))


def test_explicit(rnn_factory):
    show(rnn_factory("vanishing", seed=7))
'''


def _networks(pytester, *args):
    """Run PRINTING with extra args; return {test name: [(name, fingerprint), ...]}."""
    result = pytester.runpytest(*ARGS, "-s", "-v", *args)
    result.assert_outcomes(passed=3)
    found: dict[str, list[tuple[str, str]]] = {}
    test = ""
    for line in result.outlines:
        if match := re.search(r"::(test_\w+)", line):
            test = match.group(1)
        if match := re.search(r"NET (.+) (\S+)$", line):
            found.setdefault(test, []).append((match.group(1), match.group(2)))
    return found


def test_fixtures_work_without_a_conftest_and_the_header_names_version_and_seed(pytester):
    pytester.makepyfile(test_user='''
        from gradtheory import ElmanNetwork

        def test_it(rnn_factory, gradtheory_tolerance):
            net = rnn_factory()
            assert isinstance(net, ElmanNetwork) and net.n_hidden == 32
            assert net.name.startswith("vanishing orthogonal(n=32, gain=0.5, input_std=1, ")
            assert gradtheory_tolerance(net, 1000) > 0
        ''')
    assert not list(pytester.path.glob("conftest.py"))
    result = pytester.runpytest(*ARGS, "--gradtheory-seed=5")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"gradtheory {gt.__version__}, seed 5"])


def test_option_and_marker_seeds_change_and_repeat_the_networks(pytester):
    pytester.makepyfile(test_seeds=PRINTING)
    first = _networks(pytester)
    again = _networks(pytester)
    other = _networks(pytester, "--gradtheory-seed=3")
    assert first == again                                    # repeat across runs
    (v0, f0), (e1, _) = first["test_two_calls"]
    assert v0.endswith("seed=0)")                              # a counter per call
    assert e1.endswith("seed=1)")
    assert e1.startswith("exploding orthogonal(n=32, gain=2.479, input_std=0.5, ")
    (v3, f3), (e4, _) = other["test_two_calls"]
    assert v3.endswith("seed=3)")
    assert e4.endswith("seed=4)")
    assert f3 != f0
    # The marker overrides the option, and equals the explicit seed it names.
    assert first["test_marked"] == other["test_marked"] == first["test_explicit"]
    assert first["test_marked"][0][0].endswith("seed=7)")


def test_the_marker_is_registered_for_strict_markers_and_can_be_switched_off(pytester):
    pytester.makepyfile(test_user='''
        import pytest

        @pytest.mark.gradtheory(seed=1)
        def test_it(rnn_factory):
            rnn_factory()
        ''')
    pytester.runpytest(*ARGS, "--strict-markers").assert_outcomes(passed=1)
    result = pytester.runpytest(*ARGS, "-p", "no:gradtheory")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'rnn_factory' not found*"])
    assert "gradtheory 0" not in result.stdout.str()             # no header either


def test_a_bad_option_or_marker_seed_is_a_one_line_error(pytester):
    pytester.makepyfile(test_user='''
        import pytest

        @pytest.mark.gradtheory(seed=-2)
        def test_it(rnn_factory):
            pass
        ''')
    result = pytester.runpytest(*ARGS, "--gradtheory-seed=-1")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*`--gradtheory-seed` must be a non-negative integer; got '-1'.*"])
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*`seed of @pytest.mark.gradtheory` must be a non-negative integer; got -2.*"])


def test_an_unknown_regime_is_a_one_line_error_naming_regime(rnn_factory):
    with pytest.raises(gt.ValidationError) as info:
        rnn_factory("chaotic")
    message = str(info.value)
    assert message == ("`regime` must be one of 'critical', 'exploding', 'vanishing'; "
                       "got 'chaotic'.")
    assert set(REGIMES) == {"vanishing", "critical", "exploding"}


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"init": "identity", "regime": "exploding"}, "init"),
    ({"activation": "sigmoid", "regime": "critical", "input_std": -1.0}, "input_std"),
    ({"seed": -1}, "seed"),
    ({"seed": 1.5}, "seed"),
    ({"n_hidden": 0}, "n_hidden"),
])
def test_bad_arguments_are_one_line_errors_naming_them(rnn_factory, kwargs, name):
    with pytest.raises(gt.GradTheoryError, match=f"^`{name}` must be ") as info:
        rnn_factory(**kwargs)
    assert "\n" not in str(info.value)


def test_explicit_seeds_rebuild_the_named_network_and_skip_the_counter():
    make = RNNFactory(base_seed=10)
    a = make("critical", input_std=0.5)
    b = make("critical", input_std=0.5, seed=10)
    c = make("critical", input_std=0.5)
    assert a.name == b.name
    assert np.array_equal(a.W_hh, b.W_hh)
    assert c.name.endswith("seed=11)")
    # The gain is the theory's: g_c(0.5) for the critical regime.
    assert np.linalg.norm(a.W_hh, 2) == pytest.approx(gt.critical_gain(input_std=0.5), rel=1e-12)


# Lyapunov runs: 200 steps burn-in, T = 1000 accumulated; one exponent.
T = 1000


@pytest.mark.gradtheory(seed=11)
@pytest.mark.parametrize("input_std", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("init", ["orthogonal", "gaussian"])
def test_vanishing_is_certified_and_measured(rnn_factory, init, input_std):
    net = rnn_factory("vanishing", init=init, input_std=input_std)
    # gamma*sigma_max(W_hh) = 1/2 up to rounding: every Jacobian product halves per step.
    assert net.gamma * np.linalg.norm(net.W_hh, 2) == pytest.approx(0.5, rel=1e-13)
    lam = gt.lyapunov(net, T, k=1, burn_in=200, input_std=input_std, rng=1).lyapunov_max
    assert lam <= math.log(0.5) + 1e-9
    assert lam < -0.2


@pytest.mark.gradtheory(seed=11)
@pytest.mark.parametrize("input_std", [0.0, 0.5, 1.0])
@pytest.mark.parametrize("regime", ["critical", "exploding"])
def test_mean_field_regimes_are_measured(rnn_factory, gradtheory_tolerance, regime, input_std):
    net = rnn_factory(regime, input_std=input_std)
    g_c = gt.critical_gain(input_std=input_std)
    assert g_c is not None
    gain = g_c * (EXPLODING_FACTOR if regime == "exploding" else 1.0)
    assert np.linalg.norm(net.W_hh, 2) == pytest.approx(gain, rel=1e-12)  # orthogonal: g
    assert f"gain={gain:.4g}," in net.name
    assert net.name.startswith(regime)
    lam = gt.lyapunov(net, T, k=1, burn_in=200, input_std=input_std, rng=1).lyapunov_max
    if input_std == 0.0:
        # No input: the state stays at h = 0, so J_t = W_hh and all exponents are log(gain).
        assert lam == pytest.approx(math.log(gain), abs=1e-12)
    else:
        predicted = gt.mean_field(gain, input_std=input_std).lyapunov_max
        assert abs(lam - predicted) < gradtheory_tolerance(net, T)
    if regime == "exploding":
        assert lam > 0.1
    else:
        assert abs(lam) < 0.1


def test_the_tolerance_is_the_report_formula():
    tol = RateTolerance()
    for n, steps in [(8, 100), (32, 1000), (256, 5000)]:
        net = gt.ElmanNetwork.random(n, rng=0)
        assert tol(net, steps) == mean_field_tolerance(n, steps)
    not_a_network: Any = np.eye(3)
    with pytest.raises(gt.InputTypeError, match=r"^`network` must be an ElmanNetwork; got "):
        tol(not_a_network, 100)
