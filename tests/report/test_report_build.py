"""report(): what each layer contributes, the default regimes, validation, repeatability."""

import importlib
import json
import sys

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.report import CONTRIBUTION_STEPS, REPORT_GAINS


def test_default_report_shows_vanishing_near_critical_and_exploding(default_report):
    r = default_report
    assert [nr.network.n_hidden for nr in r.networks] == [64, 64, 64]
    assert [nr.mean_field.gain for nr in r.networks] == pytest.approx(REPORT_GAINS, rel=0.02)
    van, crit, expl = r.networks
    assert van.spectral.regime == "vanishing"           # certified from W_hh alone
    assert van.lyapunov.lyapunov_max < -1.0
    assert abs(crit.lyapunov.lyapunov_max) < 0.05        # near the edge of chaos
    assert expl.lyapunov.lyapunov_max > 0.15             # perturbations grow
    # The gains bracket the edge of chaos computed by the spectral layer for unit input.
    g_c = gt.critical_gain(input_std=1.0)
    assert REPORT_GAINS[0] < g_c < REPORT_GAINS[2]
    assert abs(REPORT_GAINS[1] - g_c) < 0.01
    assert r.passed


def test_symbolic_part_counts_the_factors(default_report):
    nr = default_report[0]
    assert set(nr.derivations) == {"W_hh", "W_xh", "W_y"}
    symbols = {s.name: s for s in nr.derivations["W_hh"].accumulation.lags[0].free_symbols}
    t, k = symbols["t"], symbols["k"]
    counts = {p: d.accumulation.counts for p, d in nr.derivations.items()}
    assert counts["W_hh"]["W_hh"] == (t - k,)
    assert counts["W_xh"]["W_hh"] == (t - k,)   # W_xh's gradient carries the W_hh product
    assert counts["W_xh"]["W_xh"] == (0,)       # ... while W_xh itself never repeats
    assert counts["W_xh"]["W_y"] == (1,)        # W_y once, never (W_y^T)^k
    assert counts["W_y"]["W_hh"] == (0,)
    # The derivations are shared by networks of one activation and form, not recomputed.
    assert all(n.derivations is nr.derivations for n in default_report.networks)


def test_conditions_agree_with_the_spectral_verdict(default_report):
    for nr in default_report.networks:
        cond = {c.name: c for c in nr.conditions}
        assert cond["vanishing"].holds is nr.spectral.vanishing_guaranteed
        assert cond["exploding"].holds is nr.spectral.exploding_possible
        assert str(cond["vanishing"].relation) == "gamma*sigma_max < 1"
        assert f"{nr.spectral.sigma_max:.4g}"[:4] in str(cond["vanishing"].substituted)
        assert (cond["vanishing"].role, cond["exploding"].role) == ("sufficient", "necessary")


def test_linear_network_conditions_use_rho():
    net = gt.ElmanNetwork.random(8, gain=1.2, activation="identity", rng=0)
    cond = {c.name: c for c in gt.report(net, n_steps=50)[0].conditions}
    rho = max(abs(np.linalg.eigvals(net.W_hh)))
    assert str(cond["vanishing"].relation) == "rho < 1"
    assert cond["vanishing"].holds is bool(rho < 1)
    assert cond["exploding"].role == "if and only if"


def test_measurements_are_those_of_the_layers_on_one_trajectory(small_report):
    nr = small_report[0]
    # The inputs: the first draw of the seed's first child stream (the weights' stream is the
    # seed's own; the lag profile's direction comes from the second child).
    X = np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0]).standard_normal((150, 12))
    traj = gt.simulate(nr.network, 150, inputs=X)
    prof = gt.lag_profile(traj)
    np.testing.assert_allclose(nr.profile.log_norm_frobenius, prof.log_norm_frobenius,
                               rtol=1e-12)
    spec = gt.lyapunov(nr.network, 150, inputs=X, k=12)
    np.testing.assert_allclose(nr.lyapunov.exponents, spec.exponents, rtol=1e-12)
    tb = gt.trajectory_bound(nr.network, traj.a)
    np.testing.assert_allclose(nr.trajectory_bound.log_step_norms, tb.log_step_norms)
    assert nr.contributions.t == min(150, CONTRIBUTION_STEPS)
    assert nr.spectral.sigma_max == pytest.approx(np.linalg.norm(nr.network.W_hh, 2))


def test_same_seed_same_report_and_json_has_no_nan(small_report):
    nets = [nr.network for nr in small_report.networks]
    again = gt.report(nets, n_steps=150, rng=5)
    a, b = small_report.to_dict(), again.to_dict()
    assert json.dumps(a, allow_nan=False) == json.dumps(b, allow_nan=False)
    assert a["seed"] == 5
    assert (a["summary"]["pass"], a["summary"]["fail"]) == (6, 0)


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"n_steps": 2}, ValueError, "`n_steps` must be at least 3"),
    ({"n_steps": 0}, ValueError, "`n_steps` must be"),
    ({"input_std": -1.0}, ValueError, "`input_std` must be"),
    ({"networks": "net.npz"}, TypeError, "`networks` must be an ElmanNetwork"),
    ({"networks": []}, TypeError, "`networks` must be an ElmanNetwork"),
    ({"networks": [np.eye(3)]}, TypeError, "`networks[0]` must be an ElmanNetwork"),
])
def test_bad_arguments_get_one_line_naming_them(kwargs, exc, message):
    kwargs = {"networks": gt.ElmanNetwork.random(4, rng=0), **kwargs}
    networks = kwargs.pop("networks")
    with pytest.raises(exc, match="^" + message.replace("[", r"\[").replace("]", r"\]")) as info:
        gt.report(networks, **kwargs)
    assert "\n" not in str(info.value)
    assert isinstance(info.value, gt.GradTheoryError)


def test_progress_is_silent_off_a_terminal_and_without_tqdm(capsys, monkeypatch):
    net = gt.ElmanNetwork.random(4, rng=0)
    gt.report(net, n_steps=20, progress=True)      # stderr is captured: not a TTY
    assert capsys.readouterr().err == ""
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the progress extra not installed
    assert gt.report(net, n_steps=20, progress=True).passed


def test_progress_bar_counts_every_stage(monkeypatch):
    tqdm = pytest.importorskip("tqdm")
    seen = {}

    class Recorder(tqdm.tqdm):
        def __init__(self, *args, **kwargs):
            kwargs.update(disable=False, delay=0, file=open(__import__("os").devnull, "w"))  # noqa: SIM115
            super().__init__(*args, **kwargs)
            seen["bar"] = self

    monkeypatch.setattr(tqdm, "tqdm", Recorder)
    gt.report([gt.ElmanNetwork.random(4, rng=0)] * 2, n_steps=20, progress=True)
    bar = seen["bar"]
    assert bar.n == bar.total == 14                 # 7 stages x 2 networks
    bar.fp.close()


def test_repr_is_short(default_report):
    assert repr(default_report) == "Report(3 network(s), n_steps=1000, input_std=1, passed=True)"
    assert len(repr(default_report[0])) < 2000
    assert len(default_report) == 3


def test_the_inputs_are_not_the_weights_draws(monkeypatch):
    # Regression: one seed drove both, so with W_xh = I the first n inputs of the default report
    # equalled the rows of sqrt(n) W_0. The inputs now come from a child stream of the seed.
    forward = importlib.import_module("gradtheory.simulate.forward")
    seen = []
    real = forward.run

    def capture(cell, h, x, *, keep=True):
        seen.append(np.array(x[0]))
        return real(cell, h, x, keep=keep)

    monkeypatch.setattr(forward, "run", capture)
    net = gt.ElmanNetwork.random(8, gain=1.0, rng=0)
    gt.report(net, n_steps=20, rng=0)
    (X,) = seen
    assert not np.allclose(X[:8], np.sqrt(8) * net.W_hh)
    np.testing.assert_array_equal(
        X, np.random.default_rng(np.random.SeedSequence(0).spawn(1)[0]).standard_normal((20, 8)))
