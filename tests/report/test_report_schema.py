"""report.json and --json against the JSON schema kept in the package."""

import json

import pytest

import gradtheory as gt
from gradtheory.report import SCHEMA_PATH

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_default_report_is_valid(validator, default_report):
    doc = json.loads(json.dumps(default_report.to_dict(), allow_nan=False))
    validator.validate(doc)


def test_unusual_networks_are_valid(validator):
    nets = [gt.ElmanNetwork.random(5, gain=0.7, activation="identity", form="pascanu", rng=1),
            gt.ElmanNetwork.from_arrays([[0.0, 2.0], [0.0, 0.0]], activation="relu")]
    doc = json.loads(json.dumps(gt.report(nets, n_steps=20, input_std=0.0, rng=None)
                                .to_dict(), allow_nan=False))
    validator.validate(doc)
    assert doc["seed"] is None


@pytest.mark.parametrize("damage", [
    lambda d: d.pop("networks"),
    lambda d: d["networks"][0]["checks"][0].update(status="PASS"),
    lambda d: d["networks"][0]["checks"][0].update(kind="certified", status="match"),
    lambda d: d["networks"][0]["measured"].update(lyapunov_max="0.1"),
    lambda d: d.update(extra=1),
])
def test_the_schema_rejects_damaged_documents(validator, small_report, damage):
    doc = json.loads(json.dumps(small_report.to_dict()))
    damage(doc)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)
