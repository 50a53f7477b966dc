"""The core's one "finite float or null" rule for every JSON document (``gradtheory/_json.py``)."""

import ast
import json
import math
from pathlib import Path

import numpy as np
import pytest

import gradtheory as gt
from gradtheory import _json


@pytest.mark.parametrize(("value", "expected"), [
    (1.5, 1.5), (np.float64(-2.0), -2.0), (0, 0.0), (None, None),
    (math.inf, None), (-math.inf, None), (math.nan, None), (np.float64("-inf"), None),
])
def test_finite_or_none(value, expected):
    out = _json.finite_or_none(value)
    assert out == expected
    assert out is None or type(out) is float


def test_finite_list_flattens_and_keeps_none():
    assert _json.finite_list(None) is None
    assert _json.finite_list(np.array([[1.0, -np.inf], [np.nan, 2.0]])) == [1.0, None, None, 2.0]
    assert all(type(v) is float for v in _json.finite_list(np.arange(3.0)))


def test_results_with_infinities_serialise_without_nan():
    # An exactly zero product (-inf log-norms) and relu's missing fixed point (q* = inf).
    net = gt.ElmanNetwork.from_arrays(np.zeros((3, 3)), activation="identity")
    docs = [gt.lag_profile(net, 5, rng=0).to_dict(), gt.mean_field(2.0, activation="relu")
            .to_dict(), gt.lyapunov(net, 20, k=2, rng=0).to_dict()]
    json.dumps(docs, allow_nan=False)
    assert docs[0]["log_norm_spectral"][0] is None
    assert docs[1]["q_star"] is None
    assert docs[2]["lyapunov_max"] is None


def test_json_helpers_sit_in_the_core():
    tree = ast.parse(Path(_json.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and not node.level}
    assert imported <= {"__future__", "math", "typing", "numpy"}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))
