"""``gradtheory bounds``: the pinned verdicts, the JSON keys, text output and exit codes."""

import json
import math

import numpy as np
import pytest

from gradtheory import ElmanNetwork
from gradtheory.cli import bounds as cmd
from gradtheory.spectral import bounds, network_mean_field
from tests.helpers import run_main

REPORT_KEYS = {"spectral_radius", "sigma_max", "sigma_min", "gamma", "vanishing_guaranteed",
               "exploding_possible", "per_step_log_bound", "max_transient_gain"}
MEAN_FIELD_KEYS = {"q_star", "chi", "lyapunov_max", "timescale", "critical_gain"}


def run_cmd(argv, capsys):
    return run_main([cmd.NAME, *argv], capsys)


def _only(out):
    doc = json.loads(out)
    assert len(doc["networks"]) == 1
    return doc["networks"][0]


def test_small_gain_tanh_is_vanishing_guaranteed(capsys):
    code, out, err = run_cmd(["--random", "200", "--gain", "0.4", "--activation", "tanh",
                              "--json"], capsys)
    assert code == 0
    assert err == ""
    entry = _only(out)
    assert set(entry) >= REPORT_KEYS
    assert set(entry["mean_field"]) >= MEAN_FIELD_KEYS
    assert entry["vanishing_guaranteed"] is True
    assert entry["exploding_possible"] is False
    # the same numbers as the Python API on the same network
    net = ElmanNetwork.random(200, gain=0.4, rng=0)
    report = bounds(net)
    assert entry["sigma_max"] == report.sigma_max
    assert entry["per_step_log_bound"] == pytest.approx(math.log(report.sigma_max), rel=1e-15)
    assert entry["mean_field"] == network_mean_field(net).to_dict()


def test_gain_two_is_exploding_possible(capsys):
    code, out, _ = run_cmd(["--random", "200", "--gain", "2", "--activation", "tanh", "--json"],
                           capsys)
    assert code == 0
    entry = _only(out)
    assert entry["exploding_possible"] is True
    assert entry["vanishing_guaranteed"] is False
    assert entry["verdict"].startswith("exploding possible, not guaranteed")
    assert entry["mean_field"]["chi"] > 1


@pytest.mark.parametrize("gain", [1.5, 3.0])
def test_sigmoid_moves_the_threshold_by_a_factor_four(gain, capsys):
    # Orthogonal W: sigma_max = gain exactly, so tanh's threshold is 1 and sigmoid's is 4.
    docs = {}
    for act in ("tanh", "sigmoid"):
        code, out, _ = run_cmd(["--random", "50", "--init", "orthogonal", "--gain", str(gain),
                                "--activation", act, "--json"], capsys)
        assert code == 0
        docs[act] = _only(out)
    assert docs["tanh"]["exploding_possible"]
    assert not docs["tanh"]["vanishing_guaranteed"]
    assert docs["sigmoid"]["vanishing_guaranteed"]
    assert not docs["sigmoid"]["exploding_possible"]
    assert docs["sigmoid"]["gamma"] * 4 == docs["tanh"]["gamma"]
    code, out, _ = run_cmd(["--random", "50", "--init", "orthogonal", "--gain", str(4.4),
                            "--activation", "sigmoid", "--json"], capsys)
    assert _only(out)["exploding_possible"] is True  # past 4 = 1/gamma


def test_input_std_reaches_the_mean_field_and_json_has_no_nan(capsys):
    code, out, _ = run_cmd(["--random", "30", "--gain", "1.0", "--input-std", "0.5",
                            "--json"], capsys)
    assert code == 0
    assert "NaN" not in out
    assert "Infinity" not in out
    mf = _only(out)["mean_field"]
    assert mf == network_mean_field(ElmanNetwork.random(30, gain=1.0, rng=0),
                                    input_std=0.5).to_dict()
    assert mf["critical_gain"] > 1.0


@pytest.mark.parametrize(("argv", "input_std"), [
    (["--random", "64", "--gain", "1.5"], 1.0),                      # the network
    (["--random", "20", "--gain", "2.5", "--init", "orthogonal", "--bias-std", "0.3",
      "--n-input", "5"], 0.5),
])
def test_bounds_and_report_print_the_same_chi(argv, input_std, capsys):
    # One prediction function for both commands: the realised gain ||W_hh||_F / sqrt(n), drive
    # and bias of the network at hand (once 0.7530 from the nominal gain vs 0.7506 in report).
    s = ["--input-std", str(input_std)]
    code, out, _ = run_cmd([*argv, *s, "--json"], capsys)
    assert code == 0
    from_bounds = _only(out)["mean_field"]
    code, out, _ = run_main(["report", *argv, *s, "--steps", "10", "--json"], capsys)
    assert code in (0, 1)
    from_report = json.loads(out)["networks"][0]["mean_field"]
    assert from_bounds == from_report
    code, text, _ = run_cmd([*argv, *s], capsys)
    assert f"  {from_report['chi']:.4g}  " in text
    if argv[1] == "64":
        assert round(from_report["chi"], 4) == 0.7506


def test_text_output_for_the_default_networks(capsys):
    code, out, err = run_cmd([], capsys)
    assert code == 0
    assert err == ""
    for g in ("0.5", "1", "2"):
        assert f"gaussian(n=64, gain={g}, seed=0)" in out
    assert "exploding possible, not guaranteed" in out
    assert "mean field (input std 0, bias std 0):" in out
    assert "critical_gain" in out


def test_weights_file(tmp_path, capsys):
    path = tmp_path / "w.npz"
    ElmanNetwork.from_arrays(0.5 * np.eye(4), activation="relu").save(path)
    code, out, _ = run_cmd([str(path), "--json"], capsys)
    assert code == 0
    entry = _only(out)
    assert entry["activation"] == "relu"
    assert entry["vanishing_guaranteed"] is True
    assert "mean_field" not in entry  # not a random network: no mean-field prediction


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    path = tmp_path / "w.npz"
    ElmanNetwork.from_arrays(np.eye(3)).save(path)
    code, _, err = run_cmd([str(path), "--input-std", "0.5"], capsys)
    assert code == 2
    assert err.strip().endswith("--input-std applies only with --random N or the default "
                                "networks")
    assert len(err.strip().splitlines()) == 1
    code, _, err = run_cmd(["--random", "10", "--input-std", "-1"], capsys)
    assert code == 2
    assert "--input-std" in err
