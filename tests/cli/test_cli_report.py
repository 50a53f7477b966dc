"""``gradtheory report``: text, JSON equal to the API, --out, exit codes 0/1/2."""

import dataclasses
import json

import pytest

import gradtheory as gt
from gradtheory.cli import report as cmd
from tests.helpers import run_main

QUICK = ["--n", "12", "--gain", "0.4", "3", "--steps", "150", "--seed", "5"]


def run_cmd(argv, capsys):
    return run_main([cmd.NAME, *argv], capsys)


def test_json_is_the_api_report(capsys):
    code, out, err = run_cmd([*QUICK, "--json"], capsys)
    assert (code, err) == (0, "")
    nets = [gt.ElmanNetwork.random(12, gain=g, rng=5) for g in (0.4, 3.0)]
    assert json.loads(out) == json.loads(json.dumps(gt.report(nets, n_steps=150, rng=5)
                                                    .to_dict()))


def test_text_fits_100_columns(capsys):
    code, out, _ = run_cmd([*QUICK, "--quiet"], capsys)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Predicted vs measured" in out
    assert "All 6 certified bounds hold" in out


def test_out_writes_the_files_and_says_so(tmp_path, capsys):
    code, out, _ = run_cmd([*QUICK, "--out", str(tmp_path / "res")], capsys)
    assert code == 0
    assert (tmp_path / "res" / "lag_profiles.svg").is_file()
    assert (tmp_path / "res" / "report.tex").is_file()
    assert f"wrote 11 files to {tmp_path / 'res'}" in out


def test_a_failed_certified_bound_exits_1(capsys, monkeypatch):
    real = cmd.report

    def broken(*args, **kwargs):
        r = real(*args, **kwargs)
        nr = r.networks[0]
        bad = dataclasses.replace(nr.checks[0], status="fail")
        nr = dataclasses.replace(nr, checks=(bad, *nr.checks[1:]))
        return dataclasses.replace(r, networks=(nr, *r.networks[1:]))

    monkeypatch.setattr(cmd, "report", broken)
    code, out, _ = run_cmd(QUICK, capsys)
    assert code == 1
    assert "FAILED: 1 of 6 certified bounds do not hold" in out
    code, out, _ = run_cmd([*QUICK, "--json"], capsys)
    assert code == 1
    assert json.loads(out)["passed"] is False


@pytest.mark.parametrize(("argv", "message"), [
    (["--steps", "2"], "--steps must be at least 3"),
    (["--steps", "x"], "argument --steps: expected a positive integer; got 'x'"),
    (["--input-std", "-1"], "argument --input-std: expected a finite number >= 0"),
    (["missing.npz"], "WEIGHTS_FILE must be an existing file; got 'missing.npz'"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run_cmd(argv, capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_out_on_a_file_exits_2(tmp_path, capsys):
    (tmp_path / "f").write_text("")
    code, _, err = run_cmd([*QUICK, "--out", str(tmp_path / "f")], capsys)
    assert code == 2
    assert err.startswith("gradtheory report: error: `out_dir` must be a folder")


def test_a_weights_file_is_reported(tmp_path, capsys):
    path = gt.ElmanNetwork.random(8, gain=0.5, rng=1).save(tmp_path / "w")
    code, out, _ = run_cmd([str(path), "--steps", "60", "--json"], capsys)
    assert code == 0
    (net,) = json.loads(out)["networks"]
    assert net["network"]["init"] == "gaussian"   # provenance survives the file


def test_the_shortest_run_works(capsys):
    code, out, err = run_cmd(["--n", "4", "--gain", "0.5", "--steps", "3", "--json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["n_steps"] == 3
