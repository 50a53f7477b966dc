"""`gradtheory derive`: formats, JSON keys, --check, exit codes."""

import json

import pytest

import gradtheory
from gradtheory.cli import derive as cmd
from tests.helpers import run_main


def run_cmd(argv, capsys):
    return run_main([cmd.NAME, *argv], capsys)


def test_text_explains_w_xh_in_ng(capsys):
    code, out, _ = run_cmd(["--param", "W_xh", "--steps", "4", "--notation", "ng",
                            "--format", "text"], capsys)
    assert code == 0
    assert "W_ax itself is never a repeated factor" in out
    assert "never as (W_ya^T)^k" in out
    assert "W_hh: 0, 1, 2, 3" in out
    assert "W_y: 1, 1, 1, 1" in out


def test_json_keys_and_accumulation(capsys):
    code, out, _ = run_cmd(["--param", "W_hh", "--steps", "3", "--json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert {"param", "notation", "latex", "accumulation"} <= set(doc)
    assert doc["param"] == "W_hh"
    assert doc["accumulation"]["W_hh"] == [0, 1, 2]
    assert doc["accumulation"]["W_y"] == [1, 1, 1]
    assert "verified" not in doc


def test_check_reports_verified(capsys):
    code, out, _ = run_cmd(["--param", "W_y", "--steps", "2", "--loss", "cross_entropy",
                            "--check", "--format", "json"], capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["verified"] is True
    assert doc["accumulation"]["W_y"] == [0]


def test_failed_check_exits_1(capsys, monkeypatch):
    def wrong(*args, **kwargs):
        return gradtheory.symbolic.Verification(
            param="W_hh", verified=False, method="exact", n_hidden=2, n_input=1, n_output=2,
            n_steps=2, n_points=0, max_difference=1.0)

    monkeypatch.setattr(cmd, "verify", wrong)
    code, out, _ = run_cmd(["--param", "W_hh", "--steps", "2", "--check"], capsys)
    assert code == 1
    assert "NOT verified" in out


def test_latex_and_document_formats(capsys):
    code, out, _ = run_cmd(["--param", "h_0", "--symbolic", "--format", "latex"], capsys)
    assert code == 0
    assert r"\prod_{i=1}^{t}" in out
    code, out, _ = run_cmd(["--param", "W_hh", "--steps", "3", "--format", "document"], capsys)
    assert code == 0
    assert out.startswith(r"\documentclass")
    assert out.rstrip().endswith(r"\end{document}")


@pytest.mark.parametrize("argv", [
    ["--param", "W_zz"], ["--param", "W_hh", "--steps", "0"],
    ["--param", "W_hh", "--steps", "3", "--symbolic"],
    ["--param", "W_hh", "--loss", "cross_entropy", "--output", "identity"]])
def test_bad_input_exits_2_with_one_line(argv, capsys):
    code, _, err = run_cmd(argv, capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1


def test_help_has_an_example(capsys):
    code, out, _ = run_cmd(["--help"], capsys)
    assert code == 0
    assert "example" in out
