"""plot_contributions: the drawn curves are the logs of the contribution norms, the rates in
the legend are least-squares slopes, and W_xh's rate is W_hh's (the W_xh question)."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradtheory as gt
from gradtheory.plotting import contribution_rate, plot_contributions

from .conftest import labelled, legend_texts, render

T = 80


@pytest.fixture(scope="module", params=[0.5, 2.5], ids=["vanishing", "exploding"])
def tc(request):
    # n = 32 as in notebooks/02: at n = 16, gain 2.5 the growth saturates into a profile the
    # power law fits better, and there is no rate to compare.
    net = gt.ElmanNetwork.random(32, gain=request.param, rng=0)
    x = 0.5 * np.random.default_rng(1).standard_normal((T, 32))
    return gt.temporal_contributions(net, x, np.zeros(32))


def test_curves_are_the_log_norms_with_gaps_at_zero(tc):
    _fig, ax = plt.subplots()
    assert plot_contributions(tc, ax=ax) is ax
    render(ax)
    lines = list(labelled(ax).values())
    assert [ln.get_label().split(":")[0] for ln in lines] == ["W_hh", "W_xh"]
    for line, p in zip(lines, ("W_hh", "W_xh"), strict=True):
        C = tc.contributions[p]
        norms = np.sqrt(np.sum(C.reshape(C.shape[0], -1) ** 2, axis=1))
        zero = norms == 0
        np.testing.assert_array_equal(line.get_xdata(), np.arange(T + 1))
        np.testing.assert_allclose(line.get_ydata()[~zero], np.log(norms[~zero]), rtol=1e-13)
        assert np.all(np.isnan(line.get_ydata()[zero]))
    # h_0 = 0: W_hh's terms at lags T-1 (g_1 h_0^T) and T are exactly zero, W_xh's at T only.
    assert np.isnan(lines[0].get_ydata()[T - 1:]).all()
    assert np.isfinite(lines[1].get_ydata()[T - 1])
    assert legend_texts(ax) == [ln.get_label() for ln in lines]
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_rates_in_the_legend_match_least_squares_and_each_other(tc):
    lines = labelled(plot_contributions(tc))
    rates = {}
    for p in ("W_hh", "W_xh"):
        # Reference: numpy's polyfit over fit_rate's default window of lags 1..T-2.
        lags = np.arange(int(np.ceil((T - 2) / 10)), T - 1)
        slope = np.polyfit(lags, np.log(tc.norms(p)[lags]), 1)[0]
        rates[p] = contribution_rate(tc, p)
        assert rates[p] == pytest.approx(slope, abs=1e-10)   # both are exact least squares
        assert any(label == f"{p}: rate {rates[p]:+.4g}/step" for label in lines)
    # The W_xh question: its contributions decay/grow at W_hh's per-step rate. 0.05 per step
    # covers the finite-n fluctuation of log ||h_{k-1}|| vs log ||x_k|| over 70 lags.
    assert abs(rates["W_hh"] - rates["W_xh"]) < 0.05


def test_single_name_readout_and_bad_params(tc):
    ax = plot_contributions(tc, params="W_y")       # acts at lag 0 only: one point, a marker
    (line,) = labelled(ax).values()
    assert line.get_label() == "W_y"
    assert line.get_marker() == "o"
    assert np.isfinite(line.get_ydata()).sum() == 1
    render(ax)
    assert contribution_rate(tc, "W_y") is None
    with pytest.raises(gt.ValidationError, match="`parameter` must be one of"):
        plot_contributions(tc, params=("W_hh", "V"))
    with pytest.raises(gt.InputTypeError, match="`params` must be"):
        plot_contributions(tc, params=())
    with pytest.raises(gt.InputTypeError, match="`contributions` must be"):
        plot_contributions({"W_hh": np.ones(3)})


def test_short_sequences_have_no_rate():
    net = gt.ElmanNetwork.random(4, gain=0.5, rng=0)
    tc = gt.temporal_contributions(net, np.ones((4, 4)), np.zeros(4))
    assert contribution_rate(tc, "W_xh") is None
    assert [ln.get_label() for ln in labelled(plot_contributions(tc)).values()] == \
        ["W_hh", "W_xh"]
