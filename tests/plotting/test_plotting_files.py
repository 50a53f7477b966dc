"""Multi-panel lag-profile figures and writing figures to files."""

import numpy as np
import pytest

from gradtheory import ElmanNetwork, ValidationError, bounds, lag_profile
from gradtheory.plotting import plot_lag_profiles, save_figure


def _profiles():
    nets = [ElmanNetwork.random(8, gain=g, rng=0) for g in (0.5, 1.5)]
    return nets, [lag_profile(net, 60, input_std=1.0, rng=0) for net in nets]


def test_one_panel_per_profile_with_its_data_and_legend_below(tmp_path):
    nets, profiles = _profiles()
    fig = plot_lag_profiles(profiles, bounds=[bounds(n) for n in nets], titles=["a", "b"])
    axes = [ax for ax in fig.axes if ax.get_title()]
    assert [ax.get_title() for ax in axes] == ["a", "b"]
    for ax, prof in zip(axes, profiles, strict=True):
        ys = [line.get_ydata() for line in ax.get_lines()]
        assert any(np.allclose(y, prof.log_norm_spectral) for y in ys if len(y) == len(prof.lags))
        assert ax.get_legend() is not None
    for suffix in (".png", ".svg", ".pdf"):
        path = save_figure(plot_lag_profiles(profiles), tmp_path / f"f{suffix}")
        assert path.stat().st_size > 1000


def test_bad_arguments(tmp_path):
    nets, profiles = _profiles()
    with pytest.raises(ValidationError, match="`bounds` must be 2 entries"):
        plot_lag_profiles(profiles, bounds=[bounds(nets[0])])
    with pytest.raises(ValidationError, match="`profiles` must be a non-empty"):
        plot_lag_profiles([])
    fig = plot_lag_profiles(profiles)
    with pytest.raises(ValidationError, match=r"`path` must be a file ending in \.png"):
        save_figure(fig, tmp_path / "f.gif")
    with pytest.raises(ValidationError, match="existing directory"):
        save_figure(fig, tmp_path / "missing" / "f.png")
