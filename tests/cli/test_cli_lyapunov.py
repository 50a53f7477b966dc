"""``gradtheory lyapunov``: table, JSON (no NaN), agreement with the Python API, errors."""

import json

import numpy as np
import pytest

from gradtheory import ElmanNetwork
from gradtheory.cli import lyapunov as cmd
from gradtheory.simulate import lyapunov
from tests.helpers import run_main


def run_cmd(argv, capsys):
    return run_main([cmd.NAME, *argv], capsys)


def test_json_matches_the_python_api(capsys):
    code, out, err = run_cmd(["--random", "10", "--gain", "1.7", "--steps", "300", "--k", "4",
                              "--input-std", "0.2", "--seed", "5", "--json"], capsys)
    assert code == 0
    assert err == ""
    (res,) = json.loads(out)["results"]
    net = ElmanNetwork.random(10, gain=1.7, rng=5)
    # The inputs come from the seed's first child stream, independent of the weights' stream.
    inputs_rng = np.random.default_rng(np.random.SeedSequence(5).spawn(1)[0])
    spec = lyapunov(net, 300, k=4, input_std=0.2, burn_in=100, rng=inputs_rng)
    np.testing.assert_allclose(res["exponents"], spec.exponents, rtol=1e-12)
    assert res["lyapunov_max"] == pytest.approx(spec.lyapunov_max, rel=1e-12)
    assert len(res["exponents"]) == 4


def test_linear_file_reproduces_log_eigenvalues(tmp_path, capsys):
    path = ElmanNetwork.from_arrays(np.diag([0.9, 0.5]), activation="identity").save(
        tmp_path / "lin")
    code, out, _ = run_cmd([str(path), "--steps", "50", "--json"], capsys)
    assert code == 0
    # J_t = W = diag(0.9, 0.5) exactly: each step's R is diagonal, rounding only.
    np.testing.assert_allclose(json.loads(out)["results"][0]["exponents"],
                               np.log([0.9, 0.5]), atol=1e-14)


def test_dead_network_json_has_no_nan(tmp_path, capsys):
    dead = ElmanNetwork.from_arrays(np.eye(2), activation="relu", b_h=-np.ones(2))
    code, out, _ = run_cmd([str(dead.save(tmp_path / "dead")), "--steps", "20", "--json"],
                           capsys)
    assert code == 0
    assert "NaN" not in out
    assert "Infinity" not in out
    assert json.loads(out)["results"][0]["lyapunov_max"] is None


def test_default_networks_print_a_table(capsys):
    code, out, _ = run_cmd(["--steps", "100", "--k", "2"], capsys)
    assert code == 0
    assert "lambda_max" in out


@pytest.mark.parametrize(("argv", "fragment"), [
    (["--random", "4", "--k", "5"], "--k must be at most the number of hidden units; got 5"),
    (["--k", "0"], "--k: expected a positive integer; got '0'"),
])
def test_bad_input_exits_2_with_one_line(argv, fragment, capsys):
    code, out, err = run_cmd(argv, capsys)
    assert code == 2
    assert out == ""
    assert fragment in err
    assert err.count("\n") == 1
