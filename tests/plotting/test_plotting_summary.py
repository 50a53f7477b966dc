"""plot_summary: the panels present, in order, each drawn by its own function."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradtheory as gt
from gradtheory.plotting import plot_summary

from .conftest import render


@pytest.fixture(scope="module")
def parts():
    net = gt.ElmanNetwork.random(8, gain=0.5, rng=0)
    traj = gt.simulate(net, 60, input_std=1.0, rng=1)
    x = np.random.default_rng(2).standard_normal((40, 8))
    return {"net": net, "profile": gt.lag_profile(traj, rng=0), "report": gt.bounds(net),
            "tb": gt.trajectory_bound(net, traj.a),
            "spectrum": gt.lyapunov(net, 200, k=4, input_std=1.0, rng=0),
            "tc": gt.temporal_contributions(net, x, np.zeros(8))}


def _titles(fig):
    return [ax.get_title().split(":")[0].split(" $")[0] for ax in fig.axes
            if ax.get_visible() and ax.get_title()]


def test_all_five_panels(parts):
    fig = plot_summary(parts["profile"], parts["net"], bounds=parts["report"],
                       trajectory_bound=parts["tb"], spectrum=parts["spectrum"],
                       contributions=parts["tc"])
    render(fig)
    assert _titles(fig) == ["Lag profile", "Per-lag gradient contributions to",
                            "Eigenvalues of", "Singular values of", "Lyapunov spectrum"]
    assert sum(not ax.get_visible() for ax in fig.axes) == 1        # the sixth cell of 3 x 2
    assert "vanishing" in fig.get_suptitle()
    lag_ax = fig.axes[0]
    assert len([ln for ln in lag_ax.get_lines() if not ln.get_label().startswith("_")]) == 5


def test_minimal_panels_in_a_given_figure(parts):
    fig = plt.figure()
    W = np.asarray(parts["net"].W_hh)
    report = gt.bounds(W, activation="sigmoid")
    assert plot_summary(parts["profile"], W, bounds=report, fig=fig) is fig
    render(fig)
    assert _titles(fig) == ["Lag profile", "Eigenvalues of", "Singular values of"]
    # The activation comes from the report for a bare matrix: the 1/gamma = 4 circle.
    eig_ax = next(ax for ax in fig.axes if ax.get_title().startswith("Eigenvalues"))
    assert any(ln.get_label().startswith(r"$1/\gamma$ = 4 ") for ln in eig_ax.get_lines())
    with pytest.raises(gt.InputTypeError, match="`fig` must be a matplotlib Figure"):
        plot_summary(parts["profile"], W, fig="figure")
