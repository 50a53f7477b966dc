"""Finite-difference references shared by the cell tests (every cell, one implementation)."""

import dataclasses

import numpy as np

# Central differences at h = 1e-6: truncation ~h^2 f''' ~ 1e-12, rounding ~eps/h ~ 1e-10.
FD_TOL = 1e-7
_H = 1e-6


def jacobian_by_differences(cell, s, x):
    """d step(s, x) / d s by central differences, column by column."""
    eye = _H * np.eye(s.size)
    return np.array([(cell.step(s + e, x)[0] - cell.step(s - e, x)[0]) / (2 * _H)
                     for e in eye]).T


def assert_param_vjp_matches_differences(cell, s, x, delta):
    """Each parameter's ``param_vjp`` equals central differences of delta . step(s, x)."""
    _, cache = cell.step(s, x)
    vjp = cell.param_vjp({k: v[None] for k, v in cache.items()}, delta[None])
    assert set(vjp) == {p.name for p in cell.PARAMETERS}
    for p in cell.PARAMETERS:
        base = getattr(cell, p.name)
        fd = np.zeros_like(base)
        for idx in np.ndindex(base.shape):
            up, dn = base.copy(), base.copy()
            up[idx] += _H
            dn[idx] -= _H
            fd[idx] = (delta @ dataclasses.replace(cell, **{p.name: up}).step(s, x)[0]
                       - delta @ dataclasses.replace(cell, **{p.name: dn}).step(s, x)[0]) / (2 * _H)
        np.testing.assert_allclose(vjp[p.name][0], fd, atol=FD_TOL)
