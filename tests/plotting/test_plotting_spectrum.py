"""plot_eigenvalues and plot_singular_values: the drawn points are numpy.linalg's eigenvalues
and singular values, the circles have the stated radii."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradtheory as gt
from gradtheory.plotting import plot_eigenvalues, plot_singular_values
from gradtheory.plotting import spectrum as spec

from .conftest import labelled, legend_texts, render

# Radii and values are copied from LAPACK results: only rounding of cos/sin (a few eps).
TOL = 1e-12


def _matrix(n=10, seed=0):
    return np.random.default_rng(seed).standard_normal((n, n)) / np.sqrt(n)


def _radius(line):
    return np.hypot(line.get_xdata(), line.get_ydata())


def _one(lines, prefix):
    (line,) = [ln for label, ln in lines.items() if label.startswith(prefix)]
    return line


def test_eigenvalues_and_circles():
    W = _matrix()
    ax = plot_eigenvalues(W, activation="sigmoid")
    render(ax)
    lines = labelled(ax)
    assert len(lines) == 4
    pts = lines[spec.LABEL_EIGENVALUES]
    drawn = np.sort_complex(pts.get_xdata() + 1j * pts.get_ydata())
    np.testing.assert_allclose(drawn, np.sort_complex(np.linalg.eigvals(W)), atol=TOL)
    assert pts.get_linestyle() == "None"                 # markers only
    np.testing.assert_allclose(_radius(lines[spec.LABEL_UNIT]), 1.0, atol=TOL)
    np.testing.assert_allclose(_radius(_one(lines, spec.LABEL_THRESHOLD)), 4.0, atol=TOL)
    np.testing.assert_allclose(_radius(_one(lines, spec.LABEL_SIGMA_MAX)),
                               np.linalg.norm(W, 2), atol=TOL)
    assert "= 4 " in _one(lines, spec.LABEL_THRESHOLD).get_label()
    assert ax.get_aspect() == 1.0
    assert legend_texts(ax) == list(lines)
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_network_activation_is_used_and_checked():
    net = gt.ElmanNetwork.random(8, gain=0.9, activation="sigmoid", rng=0)
    lines = labelled(plot_eigenvalues(net))
    np.testing.assert_allclose(_radius(_one(lines, spec.LABEL_THRESHOLD)), 4.0, atol=TOL)
    with pytest.raises(gt.ValidationError, match="`activation` must match"):
        plot_eigenvalues(net, activation="tanh")
    with pytest.raises(gt.ValidationError, match="`W_hh` must be a square"):
        plot_singular_values(np.zeros((3, 4)))


def test_singular_values_and_threshold():
    W = _matrix(12, seed=1)
    _fig, ax = plt.subplots()
    assert plot_singular_values(W, ax=ax) is ax
    render(ax)
    lines = labelled(ax)
    sv = lines[spec.LABEL_SINGULAR]
    np.testing.assert_allclose(sv.get_ydata(), np.linalg.svd(W, compute_uv=False), rtol=TOL)
    np.testing.assert_array_equal(sv.get_xdata(), np.arange(1, 13))
    assert np.all(np.diff(sv.get_ydata()) <= 0)
    np.testing.assert_array_equal(_one(lines, spec.LABEL_THRESHOLD).get_ydata(), [1.0, 1.0])
    assert ax.get_ylim()[0] == 0.0
    assert legend_texts(ax) == list(lines)
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_eigenvalue_ax_passthrough():
    _fig, ax = plt.subplots()
    assert plot_eigenvalues(_matrix(), ax=ax) is ax
