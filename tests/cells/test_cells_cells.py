"""Each cell's Jacobian, immediate derivatives and batching against finite differences."""

import numpy as np
import pytest

from gradtheory import ElmanNetwork, get_activation
from gradtheory.cells import CELLS, ElmanCell, PascanuCell, stack
from gradtheory.network import PARAMETERS
from tests.cells.checks import (
    FD_TOL,
    assert_param_vjp_matches_differences,
    jacobian_by_differences,
)


def _cell(name, seed=0, n=5, m=3):
    rng = np.random.default_rng(seed)
    return CELLS[name](0.8 * rng.standard_normal((n, n)), rng.standard_normal((n, m)),
                       0.3 * rng.standard_normal(n), get_activation("tanh"))


@pytest.mark.parametrize("name", sorted(CELLS))
def test_jacobian_matches_central_differences_of_step(name):
    cell = _cell(name)
    rng = np.random.default_rng(1)
    h, x = rng.standard_normal(5), rng.standard_normal(3)
    _, cache = cell.step(h, x)
    J = cell.jacobian(cache).dense()
    np.testing.assert_allclose(J, jacobian_by_differences(cell, h, x), atol=FD_TOL)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_param_vjp_matches_central_differences(name):
    rng = np.random.default_rng(3)
    h, x, delta = rng.standard_normal(5), rng.standard_normal(3), rng.standard_normal(5)
    assert_param_vjp_matches_differences(_cell(name, seed=2), h, x, delta)


@pytest.mark.parametrize("name", sorted(CELLS))
def test_a_stacked_cell_steps_like_its_members(name):
    cells = [_cell(name, seed=s) for s in range(3)]
    batch = stack(cells)
    rng = np.random.default_rng(4)
    H, X = rng.standard_normal((3, 5)), rng.standard_normal((3, 3))
    h_next, cache = batch.step(H, X)
    for b, cell in enumerate(cells):
        one, one_cache = cell.step(H[b], X[b])
        np.testing.assert_allclose(h_next[b], one, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(batch.jacobian(cache).network(b).dense(),
                                   cell.jacobian(one_cache).dense(), rtol=1e-14, atol=1e-15)


def test_stack_refuses_mixed_cells():
    with pytest.raises(ValueError, match="`cells` must be"):
        stack([_cell("elman"), _cell("pascanu")])
    with pytest.raises(TypeError, match="`cells` must be"):
        stack([])


def test_step_bound_is_gamma_sigma_max_and_bounds_every_jacobian():
    cell = _cell("elman", seed=5)
    bound = cell.step_bound()
    assert bound == pytest.approx(np.linalg.norm(cell.W_hh, 2))
    rng = np.random.default_rng(6)
    for _ in range(20):
        _, cache = cell.step(rng.standard_normal(5), rng.standard_normal(3))
        assert np.linalg.norm(cell.jacobian(cache).dense(), 2) <= bound * (1 + 1e-12)


def test_the_network_exposes_its_cell_and_one_parameter_table():
    net = ElmanNetwork.random(4, gain=0.5, form="pascanu", rng=0)
    assert isinstance(net.cell, PascanuCell)
    assert net.cell.W_hh is net.W_hh
    assert isinstance(ElmanNetwork.random(4, rng=0).cell, ElmanCell)
    assert tuple(p.name for p in PARAMETERS) == ("W_hh", "W_xh", "b_h", "W_y", "b_y", "h_0")
    assert {p.role for p in PARAMETERS} == {"recurrent", "input", "bias", "readout", "initial"}
