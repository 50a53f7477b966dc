"""``gradtheory simulate``: table, JSON (no NaN), agreement with the Python API, errors."""

import json

import numpy as np
import pytest

from gradtheory import ElmanNetwork
from gradtheory.cli import simulate as cmd
from gradtheory.simulate import lag_profile
from tests.helpers import run_main


def run_cmd(argv, capsys):
    return run_main([cmd.NAME, *argv], capsys)


def test_json_has_the_documented_keys_and_matches_the_api(capsys):
    code, out, err = run_cmd(["--random", "12", "--gain", "0.6", "--steps", "120",
                              "--input-std", "0.5", "--seed", "3", "--json"], capsys)
    assert code == 0
    assert err == ""
    doc = json.loads(out)
    (res,) = doc["results"]
    for key in ("lags", "log_norm_spectral", "log_norm_frobenius", "fitted_rate", "rate_ci",
                "exponential"):
        assert key in res
    net = ElmanNetwork.random(12, gain=0.6, rng=3)
    # The inputs come from the seed's first child stream, independent of the weights' stream.
    prof = lag_profile(net, 120, input_std=0.5,
                       rng=np.random.default_rng(np.random.SeedSequence(3).spawn(1)[0]))
    np.testing.assert_allclose(res["log_norm_spectral"], prof.log_norm_spectral, rtol=1e-12)
    assert res["fitted_rate"] == pytest.approx(prof.fit().rate, rel=1e-12)
    assert res["exponential"] is True
    assert res["lags"][-1] == 120


def test_power_law_network_reports_no_rate(tmp_path, capsys):
    net = ElmanNetwork.random(16, gain=1.0, init="orthogonal", rng=0)
    path = net.replace(h_0=np.random.default_rng(1).standard_normal(16)).save(tmp_path / "w")
    code, out, _ = run_cmd([str(path), "--steps", "600", "--anchor", "initial", "--json"],
                           capsys)
    assert code == 0
    res = json.loads(out)["results"][0]
    assert res["exponential"] is False
    assert res["fitted_rate"] is None


def test_exactly_zero_products_print_json_without_nan(tmp_path, capsys):
    dead = ElmanNetwork.from_arrays(np.eye(3), activation="relu", b_h=-np.ones(3))
    code, out, _ = run_cmd([str(dead.save(tmp_path / "dead")), "--steps", "20", "--json"],
                           capsys)
    assert code == 0
    assert "NaN" not in out
    assert "Infinity" not in out
    assert json.loads(out)["results"][0]["log_norm_spectral"] == [None] * 20


def test_default_networks_print_a_table(capsys):
    code, out, _ = run_cmd(["--steps", "100"], capsys)
    assert code == 0
    assert "rate/step" in out
    assert "gaussian(n=64, gain=2, seed=0)" in out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--steps", "0"], "--steps: expected a positive integer; got '0'"),
    (["--input-std", "-1"], "--input-std: expected a finite number >= 0; got '-1'"),
    (["missing.npz"], "WEIGHTS_FILE must be an existing file"),
])
def test_bad_input_exits_2_with_one_line(argv, fragment, capsys):
    code, out, err = run_cmd(argv, capsys)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1


def test_help_lists_the_options_and_the_epilog_has_an_example(capsys):
    code, out, _ = run_cmd(["--help"], capsys)
    assert code == 0
    for flag in ("--steps", "--input-std", "--anchor", "--random", "--gain"):
        assert flag in out
    assert "gradtheory simulate --random" in cmd.EPILOG


def test_plot_writes_one_panel_per_network(tmp_path, capsys):
    target = tmp_path / "profiles.png"
    code, out, err = run_cmd(["--random", "12", "--gain", "0.5", "1.5", "--steps", "80",
                              "--plot", str(target), "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["plot"] == str(target)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run_cmd(["--random", "12", "--steps", "80", "--plot",
                            str(tmp_path / "p.gif")], capsys)
    assert code == 2
    assert "--plot FILE must end in .png, .svg, .pdf" in err
