"""Conditions as SymPy relations, and the Jacobian bound against numpy.linalg."""

import numpy as np
import pytest
import sympy as sp

from gradtheory import get_activation
from gradtheory.symbolic import (
    exploding_condition,
    jacobian_bound,
    linear_conditions,
    vanishing_condition,
)
from gradtheory.symbolic.conditions import gamma, rho, sigma_max


def test_relations_use_the_shared_symbol_names():
    assert {s.name for s in (sigma_max, gamma, rho)} == {"sigma_max", "gamma", "rho"}
    assert vanishing_condition() == sp.StrictLessThan(gamma * sigma_max, 1)
    assert exploding_condition() == sp.StrictGreaterThan(gamma * sigma_max, 1)


@pytest.mark.parametrize(("activation", "threshold"), [
    ("tanh", 1), ("sigmoid", 4), ("relu", 1), ("identity", 1)])
def test_gamma_from_the_table(activation, threshold):
    assert vanishing_condition(activation) == sp.StrictLessThan(sigma_max, threshold)
    assert exploding_condition(activation) == sp.StrictGreaterThan(sigma_max, threshold)
    assert vanishing_condition(activation).subs(sigma_max, threshold * 0.99) == sp.true


def test_linear_case_is_about_the_spectral_radius():
    cond = linear_conditions()
    assert cond["vanishing"] == sp.StrictLessThan(rho, 1)
    assert cond["exploding"] == sp.StrictGreaterThan(rho, 1)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_jacobian_product_never_exceeds_the_bound(activation):
    # Reference: the spectral norm of the explicit product of Jacobians along a trajectory.
    rng = np.random.default_rng(3)
    act = get_activation(activation)
    n, L = 6, 12
    W = rng.standard_normal((n, n)) * 1.5 / np.sqrt(n)
    s_max = np.linalg.norm(W, 2)
    h, P = rng.standard_normal(n), np.eye(n)
    for _ in range(L):
        a = W @ h + rng.standard_normal(n)
        P = np.diag(act.df(a)) @ W @ P
        h = act.f(a)
    bound = float(jacobian_bound(activation, L).subs(sigma_max, s_max))
    assert np.linalg.norm(P, 2) <= bound * (1 + 1e-12)  # rounding of ~L n products
    assert jacobian_bound("sigmoid", 3) == sigma_max**3 / 64
