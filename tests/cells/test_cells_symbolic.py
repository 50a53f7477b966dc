"""The symbolic rows of the cells against brute-force SymPy differentiation of their own step."""

import ast
import dataclasses
from pathlib import Path

import pytest
import sympy as sp

import gradtheory
from gradtheory import FORMS, InputTypeError, ValidationError
from gradtheory.cells.symbolic import SYMBOLIC_STEPS, SymbolicStep, symbolic_step

N, M = 2, 1  # hidden and input sizes of the brute-force check


def _matrix(name, rows, cols):
    return sp.Matrix(rows, cols, lambda i, j: sp.Symbol(f"{name}_{i}{j}"))


def _one_step(row):
    """Symbols, pre-activation and state of one step with an undefined f."""
    f = sp.Function("f")
    params = {"W_hh": _matrix("W", N, N), "W_xh": _matrix("U", N, M), "b_h": _matrix("b", N, 1)}
    h_prev, x = _matrix("h", N, 1), _matrix("x", M, 1)
    a, h = row.step(params, h_prev, x, f)
    return params, h_prev, x, f, a, h


def _states(a, h, h_prev):
    """The states a row may name, by (name, offset from the current step)."""
    return {("a", 0): a, ("h", 0): h, ("h", -1): h_prev}


def _factor(kind, row, params, states, f):
    """The explicit matrix of a factor kind at the current step (Df at the row's argument)."""
    if kind == "Df":
        u = sp.Dummy("u")
        return sp.diag(*[sp.diff(f(u), u).subs(u, z) for z in states[row.df_at]])
    return params[kind]


def _product(kinds, row, params, states, f):
    out = sp.eye(N)
    for kind in kinds:
        out = out * _factor(kind, row, params, states, f)
    return out


def _is_zero(matrix):
    return all(sp.simplify(entry) == 0 for entry in matrix)


@pytest.mark.parametrize("name", list(SYMBOLIC_STEPS))
def test_jacobian_factor_kinds_match_the_sympy_jacobian_of_the_step(name):
    row = symbolic_step(name)
    params, h_prev, _x, f, a, h = _one_step(row)
    J = _product(row.jacobian, row, params, _states(a, h, h_prev), f)
    assert _is_zero(h.jacobian(h_prev) - J)


@pytest.mark.parametrize("name", list(SYMBOLIC_STEPS))
def test_immediate_derivatives_match_sympy_for_every_parameter(name):
    # d h_k / d theta_ij = T_k e_i v_j (weights) or T_k e_i (bias), T_k the row's tail.
    row = symbolic_step(name)
    params, h_prev, x, f, a, h = _one_step(row)
    states = _states(a, h, h_prev)
    tail = _product(row.tail, row, params, states, f)
    vectors = {("h", -1): h_prev, ("fh", -1): h_prev.applyfunc(f), ("x", 0): x}
    assert set(row.immediate) == set(params)
    for param, symbols in params.items():
        vector = row.immediate[param]
        for (i, j), symbol in ((divmod(n, symbols.cols), s) for n, s in enumerate(symbols)):
            e_i = sp.zeros(N, 1)
            e_i[i] = 1
            expected = tail * e_i * (1 if vector is None else vectors[vector][j])
            assert _is_zero(h.diff(symbol) - expected), (param, i, j)


@pytest.mark.parametrize("name", list(SYMBOLIC_STEPS))
def test_rows_are_frozen_and_their_equations_fill_in(name):
    row = symbolic_step(name)
    assert isinstance(row, SymbolicStep)
    assert row.name == name
    assert name in row.phrase
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        row.immediate["W_hh"] = None  # type: ignore[index]
    names = dict.fromkeys(("a", "h", "h_prev", "x", "f", "W_hh", "W_xh", "b_h"), "s")
    for lhs, rhs in row.equations:
        assert lhs.format(**names)
        assert rhs.format(**names)


def test_there_is_one_row_per_network_form():
    assert set(SYMBOLIC_STEPS) == set(FORMS)
    with pytest.raises(TypeError):
        SYMBOLIC_STEPS["lstm"] = SYMBOLIC_STEPS["elman"]  # type: ignore[index]


def test_unknown_form_is_named_in_one_line():
    with pytest.raises(ValidationError) as info:
        symbolic_step("lstm")
    assert str(info.value) == "`form` must be one of 'elman', 'pascanu'; got 'lstm'."
    with pytest.raises(InputTypeError, match="`form` must be one of"):
        symbolic_step(3)  # type: ignore[arg-type]


def test_the_cells_are_core_and_import_no_layer():
    path = Path(gradtheory.__file__).parent / "cells" / "symbolic.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    layers = ("symbolic", "spectral", "simulate", "report", "cli", "plotting", "testing")
    assert not [name for name in found if name.lstrip(".").split(".")[0] in layers], found
