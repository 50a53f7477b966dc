"""plot_lag_profile and trajectory_log_bound: the drawn lines are the profile, the bounds
computed independently (explicit Jacobians, numpy.linalg.norm) and the fitted line."""

import io
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradtheory as gt
from gradtheory.plotting import lag as lagmod
from gradtheory.plotting import plot_lag_profile, trajectory_log_bound
from gradtheory.simulate import LagProfile

from .conftest import labelled, legend_texts, render

T = 120


@pytest.fixture(scope="module")
def case():
    net = gt.ElmanNetwork.random(12, gain=1.5, rng=0)
    traj = gt.simulate(net, T, input_std=1.0, rng=1)
    return {"net": net, "traj": traj, "profile": gt.lag_profile(traj, rng=2),
            "tb": gt.trajectory_bound(net, traj.a), "report": gt.bounds(net)}


def _explicit_step_norms(traj):
    """log ||J_i||_2 for i = 1..T from the explicit Jacobians (independent of spectral/)."""
    return np.array([np.log(np.linalg.norm(J, 2)) for J in traj.jacobians()])


def _synthetic(y, anchor="final"):
    """A LagProfile holding one given curve (spectral = Frobenius = direction = y)."""
    y = np.asarray(y, dtype=float)
    lags = np.arange(1, y.size + 1)
    return LagProfile(lags=lags, log_norm_spectral=y, log_norm_frobenius=y,
                      log_norm_direction=y, samples_spectral=y[None], samples_frobenius=y[None],
                      samples_direction=y[None], spectral_error=np.zeros(y.size), n_exact_svd=0,
                      anchor=anchor, final_times=(y.size,) if anchor == "final" else (),
                      n_hidden=4)


def test_every_line_is_drawn_with_its_data(case):
    prof, report = case["profile"], case["report"]
    ax = plot_lag_profile(prof, bounds=report, trajectory_bound=case["tb"])
    render(ax)
    lines = labelled(ax)
    assert len(lines) == 5
    spectral, frob = lines[lagmod.LABEL_SPECTRAL], lines[lagmod.LABEL_FROBENIUS]
    np.testing.assert_array_equal(spectral.get_xdata(), prof.lags)
    np.testing.assert_array_equal(spectral.get_ydata(), prof.log_norm_spectral)
    np.testing.assert_array_equal(frob.get_ydata(), prof.log_norm_frobenius)
    # Global bound against sigma_max from numpy.linalg.norm: agree to rounding of
    # L * log(sigma_max) with L <= 120 (relative 1e-12 is ample for LAPACK's sigma_max).
    (glob,) = [ln for label, ln in lines.items() if label.startswith(lagmod.LABEL_GLOBAL)]
    sigma = np.linalg.norm(case["net"].W_hh, 2)
    np.testing.assert_allclose(glob.get_ydata(), prof.lags * np.log(sigma), rtol=1e-12)
    # Trajectory bound against the explicit Jacobians: sum of log ||J_i|| over i = T-L+1..T.
    # spectral/ uses eigvalsh on D W W^T D, LAPACK here: both relative ~n eps per step.
    steps = _explicit_step_norms(case["traj"])
    want = np.array([steps[T - L:T].sum() for L in prof.lags])
    np.testing.assert_allclose(lines[lagmod.LABEL_TRAJECTORY].get_ydata(), want, atol=1e-9)
    # The theorem the picture shows: measured <= trajectory bound <= global bound, every lag.
    assert np.all(prof.log_norm_spectral <= want + 1e-9)
    assert np.all(want <= glob.get_ydata() + 1e-9)
    assert legend_texts(ax) == list(lines)
    assert ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_fit_line_covers_the_window_with_the_rate_in_its_label(case):
    prof = case["profile"]
    fit = prof.fit()
    ax = plot_lag_profile(prof)
    (line,) = [ln for label, ln in labelled(ax).items() if label.startswith(lagmod.LABEL_FIT)]
    x = line.get_xdata()
    assert (x[0], x[-1]) == fit.window
    # Independent reference: numpy's least squares over the same window (rounding only).
    slope, intercept = np.polyfit(x, prof.log_norm_spectral[x - 1], 1)
    np.testing.assert_allclose(line.get_ydata(), intercept + slope * x, atol=1e-9)
    assert f"{fit.rate:+.4g}/step" in line.get_label()
    render(ax)


def test_fit_options(case):
    prof = case["profile"]
    assert len(labelled(plot_lag_profile(prof, fit=False))) == 2
    given = prof.fit("frobenius", window=(5, 50))
    ax = plot_lag_profile(prof, fit=given)
    (line,) = [ln for label, ln in labelled(ax).items() if label.startswith(lagmod.LABEL_FIT)]
    assert (line.get_xdata()[0], line.get_xdata()[-1]) == (5, 50)
    with pytest.raises(gt.InputTypeError, match="`fit` must be"):
        plot_lag_profile(prof, fit="yes")


def test_without_spectral_the_frobenius_curve_is_fitted(case):
    prof = gt.lag_profile(case["traj"], spectral=False, rng=2)
    lines = labelled(render(plot_lag_profile(prof)).axes[0])
    assert lagmod.LABEL_SPECTRAL not in lines
    assert any("(frobenius)" in label for label in lines)


def test_not_exponential_gets_a_note_instead_of_a_line():
    L = np.arange(1, 201)
    ax = plot_lag_profile(_synthetic(-1.5 * np.log(L)))
    assert not any(label.startswith(lagmod.LABEL_FIT) for label in labelled(ax))
    (note,) = [label for label in labelled(ax) if label.startswith(lagmod.LABEL_NO_FIT)]
    assert "power law" in note
    assert note in legend_texts(ax)
    render(ax)


def test_zero_products_leave_gaps_without_warnings():
    y = -0.3 * np.arange(1, 41)
    y[10:] = -np.inf                       # an exactly zero product from lag 11 on
    ax = plot_lag_profile(_synthetic(y))
    drawn = labelled(ax)[lagmod.LABEL_SPECTRAL].get_ydata()
    np.testing.assert_array_equal(drawn[:10], y[:10])
    assert np.all(np.isnan(drawn[10:]))
    render(ax)


def test_a_horizon_of_100000_steps_draws_finite_axes():
    y = -0.25 * np.arange(1, 100_001)      # exp(-25000) is far below the smallest double
    ax = plot_lag_profile(_synthetic(y), fit=False)
    fig = render(ax)
    lo, hi = ax.get_ylim()
    assert np.isfinite(lo)
    assert np.isfinite(hi)
    assert lo <= -25_000 < 0 <= hi
    fig.savefig(io.BytesIO(), format="png", dpi=40)


def test_trajectory_bound_aligned_over_several_final_times_and_initial_anchor(case):
    traj, tb = case["traj"], case["tb"]
    steps = _explicit_step_norms(traj)
    prof = gt.lag_profile(traj, max_lag=30, final_times=3, rng=2)
    want = np.mean([[steps[t - L:t].sum() for L in prof.lags] for t in prof.final_times], axis=0)
    got = trajectory_log_bound(prof, tb)
    np.testing.assert_allclose(got, want, atol=1e-9)   # as above: rounding of T log-norms
    assert np.all(prof.log_norm_spectral <= got + 1e-9)
    init = gt.lag_profile(traj, anchor="initial", max_lag=50, rng=2)
    np.testing.assert_allclose(trajectory_log_bound(init, tb),
                               np.cumsum(steps)[:50], atol=1e-9)


def test_ax_passthrough_and_new_figure(case):
    _fig, ax = plt.subplots()
    assert plot_lag_profile(case["profile"], ax=ax) is ax
    before = set(plt.get_fignums())
    new = plot_lag_profile(case["profile"])
    assert new is not ax
    assert set(plt.get_fignums()) - before == {new.figure.number}


def test_bad_arguments(case):
    prof, tb = case["profile"], case["tb"]
    with pytest.raises(gt.InputTypeError, match="`profile` must be a LagProfile"):
        plot_lag_profile(np.zeros(3))
    with pytest.raises(gt.InputTypeError, match="`bounds` must be a SpectralReport or None"):
        plot_lag_profile(prof, bounds=1.0)
    with pytest.raises(gt.InputTypeError, match="`ax` must be a matplotlib Axes"):
        plot_lag_profile(prof, ax="left")
    short = gt.trajectory_bound(case["net"], case["traj"].a[:50])
    with pytest.raises(gt.ValidationError,
                       match="`trajectory_bound` must be a bound over at least 120 steps"):
        plot_lag_profile(prof, trajectory_bound=short)
    init = gt.lag_profile(case["traj"], anchor="initial", rng=2)
    with pytest.raises(gt.ValidationError, match=r"120 steps \(the profile's largest lag\)"):
        plot_lag_profile(init, trajectory_bound=short)
    nets = [gt.ElmanNetwork.random(6, gain=0.5, rng=s) for s in (0, 1)]
    batch = gt.lag_profile(nets, 20, rng=0)
    with pytest.raises(gt.ValidationError, match="single network"):
        trajectory_log_bound(batch, tb)


def test_importing_gradtheory_does_not_import_matplotlib():
    code = ("import sys, gradtheory, gradtheory.plotting; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
