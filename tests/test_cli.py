"""The command line: its contract (help with examples, --json, exit codes 0/2, one-line errors)
run in-process, plus the installed entry points run as a user would."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gradtheory
from gradtheory import ElmanNetwork
from gradtheory.cli import SUBCOMMANDS, build_parser
from tests.helpers import run_main

run = run_main


def test_default_network_command_prints_the_three_regimes(capsys):
    code, out, err = run(["network"], capsys)
    assert code == 0
    assert err == ""
    assert "h_t = f(W_hh h_{t-1} + W_xh x_t + b_h)" in out
    for g in ("0.5", "1", "2"):
        assert f"gaussian(n=64, gain={g}, seed=0)" in out


def test_network_json_matches_the_python_api(capsys):
    code, out, _ = run(["network", "--random", "12", "--gain", "0.5", "1.5", "--init",
                        "orthogonal", "--activation", "sigmoid", "--seed", "3", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    expected = [ElmanNetwork.random(12, gain=g, init="orthogonal", activation="sigmoid",
                                    rng=3).summary() for g in (0.5, 1.5)]
    assert doc == {"networks": expected, "saved": None}


def test_save_then_load_a_file_and_a_torch_state_dict(tmp_path, capsys):
    target = tmp_path / "w.npz"
    code, out, _ = run(["network", "--random", "6", "--gain", "0.9", "--form", "pascanu",
                        "--save", str(target)], capsys)
    assert code == 0
    assert f"saved {target}" in out
    assert ElmanNetwork.load(target) == ElmanNetwork.random(6, gain=0.9, form="pascanu", rng=0)
    code, out, _ = run(["network", str(target), "--json"], capsys)
    assert code == 0
    assert json.loads(out)["networks"][0]["form"] == "pascanu"


def test_activations_command(capsys):
    code, out, _ = run(["activations", "--json"], capsys)
    assert code == 0
    rows = {r["name"]: r for r in json.loads(out)["activations"]}
    assert rows["sigmoid"]["gamma"] == 0.25
    assert rows["tanh"]["sympy"] == "tanh(z)"
    code, out, _ = run(["activations"], capsys)
    assert "sigma_max(W_hh) < 1/gamma" in out


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_help_with_an_example_and_json(command, capsys):
    code, out, _ = run([command, "--help"], capsys)
    assert code == 0
    assert "example" in out
    assert "--json" in out


def test_version(capsys):
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"gradtheory {gradtheory.__version__}"


def _pickled_npz(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, W_hh=np.array([{}, None], dtype=object))
    return str(path)


def _nonsquare_npz(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, W_hh=np.ones((3, 4)))
    return str(path)


def _ok_npz(tmp_path):
    return str(ElmanNetwork.from_arrays(np.eye(2)).save(tmp_path / "ok.npz"))


BAD_ARGS = [
    (lambda p: [], "the following arguments are required: COMMAND"),
    (lambda p: ["bogus"], "invalid choice: 'bogus'"),
    (lambda p: ["network", "--random", "0"], "argument --random/--n: expected a positive integer"),
    (lambda p: ["network", "--random", "-4"], "argument --random"),
    (lambda p: ["network", "--random", "ten"],
     "argument --random/--n: expected a positive integer"),
    (lambda p: ["network", "--gain", "-1"], "argument --gain: expected a finite number > 0"),
    (lambda p: ["network", "--gain", "nan"], "argument --gain: expected a finite number > 0"),
    (lambda p: ["network", "--gain", "inf"], "argument --gain: expected a finite number > 0"),
    (lambda p: ["network", "--bias-std", "-1"], "argument --bias-std"),
    (lambda p: ["network", "--seed", "-1"], "argument --seed"),
    (lambda p: ["network", "--activation", "swish"], "argument --activation: invalid choice"),
    (lambda p: ["network", "--init", "xavier"], "argument --init: invalid choice"),
    (lambda p: ["network", "missing.npz"], "WEIGHTS_FILE must be an existing file"),
    (lambda p: ["network", _pickled_npz(p)], "pickled object array"),
    (lambda p: ["network", _nonsquare_npz(p)], "`W_hh` must be a square 2-D array"),
    (lambda p: ["network", _ok_npz(p), "--gain", "2"], "--gain applies only with --random"),
    (lambda p: ["network", _ok_npz(p), "--random", "3"], "not both"),
    (lambda p: ["network", "--random", "3", "--prefix", "rnn"], "--prefix applies only"),
    (lambda p: ["network", "--n-input", "3"], "--n-input applies only with --random N"),
    (lambda p: ["network", "--gain", "1", "2", "--save", str(p / "x.npz")], "--save writes one"),
    (lambda p: ["network", "--random", "3", "--save", str(p / "no" / "dir" / "x.npz")],
     "`path` must be a file in an existing directory"),
]


@pytest.mark.parametrize(("make_argv", "message"), BAD_ARGS)
def test_bad_input_exits_2_with_one_line(make_argv, message, tmp_path, capsys):
    code, out, err = run(make_argv(tmp_path), capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.endswith("\n")
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("gradtheory")


def test_every_subcommand_module_is_registered_once():
    import pkgutil

    import gradtheory.cli as cli

    modules = sorted(m.name for m in pkgutil.iter_modules(cli.__path__)
                     if not m.name.startswith("_"))
    assert sorted(cli.SUBCOMMANDS) == modules
    assert len(set(cli.SUBCOMMANDS)) == len(cli.SUBCOMMANDS)
    help_text = build_parser().format_help()
    for name in cli.SUBCOMMANDS:
        assert name in help_text


# ------------------------------------------------------------------ installed entry points
def _console_script() -> str:
    beside = Path(sys.executable).with_name("gradtheory")
    found = str(beside) if beside.exists() else shutil.which("gradtheory")
    if found is None:
        pytest.fail("the `gradtheory` console script is not installed (pip install -e .)")
    return found


def test_console_script_help():
    done = subprocess.run([_console_script(), "--help"], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0
    assert "network" in done.stdout
    assert "activations" in done.stdout


def test_python_dash_m_version_and_a_bad_input_without_traceback():
    done = subprocess.run([sys.executable, "-m", "gradtheory", "--version"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, f"gradtheory {gradtheory.__version__}")
    done = subprocess.run([sys.executable, "-m", "gradtheory", "network", "--random", "0"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr


def test_a_reader_that_closes_early_is_not_an_error():
    # `gradtheory ... | head`: 400 network summaries (~130 kB) overflow the 64 kB pipe buffer,
    # so the CLI is still writing when the reader goes away.
    argv = [sys.executable, "-m", "gradtheory", "network", "--json", "--gain", *(["1"] * 400)]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert code == 0
    assert err == b""



# Each subcommand once through main(), as the console script runs it: small sizes, --json.
SMOKE = {
    "report": ["--n", "8", "--gain", "0.4", "--steps", "30", "--quiet"],
    "derive": ["--param", "W_xh", "--steps", "3", "--check"],
    "bounds": ["--random", "20", "--gain", "0.4"],
    "simulate": ["--random", "16", "--gain", "0.5", "--steps", "60"],
    "lyapunov": ["--random", "16", "--gain", "0.5", "--steps", "60", "--k", "3"],
    "network": ["--random", "4"],
    "activations": [],
}


def test_smoke_table_covers_every_subcommand():
    assert sorted(SMOKE) == sorted(SUBCOMMANDS)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_runs_through_main_with_json(command, capsys):
    code, out, err = run([command, *SMOKE[command], "--json"], capsys)
    assert code == 0, err
    assert isinstance(json.loads(out), dict)


@pytest.mark.parametrize("command", [c for c in SUBCOMMANDS if c not in ("activations",)])
def test_every_subcommand_turns_a_bad_file_into_exit_2(command, tmp_path, capsys):
    if command == "derive":
        argv = [command, "--param", "W_zz"]
    else:
        argv = [command, _nonsquare_npz(tmp_path)]
    code, out, err = run(argv, capsys)
    assert out == ""
    assert code == 2
    assert err.count("\n") == 1
    assert "Traceback" not in err
