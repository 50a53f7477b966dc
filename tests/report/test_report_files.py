"""Report.write and the figures: every file, valid contents, the figures' data."""

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from gradtheory.plotting.lag import (
    LABEL_FIT,
    LABEL_GLOBAL,
    LABEL_SPECTRAL,
    LABEL_TRAJECTORY,
    trajectory_log_bound,
)

PNG = b"\x89PNG\r\n\x1a\n"


def test_write_puts_every_output_in_the_folder(tmp_path, small_report):
    out = tmp_path / "new" / "results"
    written = small_report.write(out)
    names = [p.name for p in written]
    assert names == ["report.json", "report.tex", "derivation_W_hh.tex", "derivation_W_xh.tex",
                     "derivation_W_y.tex", "lag_profiles.png", "lag_profiles.svg",
                     "summary_1.png", "summary_1.svg", "summary_2.png", "summary_2.svg"]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert json.loads((out / "report.json").read_text()) == \
        json.loads(json.dumps(small_report.to_dict()))
    for path in written:
        if path.suffix == ".png":
            assert path.read_bytes()[:8] == PNG
            assert path.stat().st_size > 20_000
        elif path.suffix == ".svg":
            assert ET.parse(path).getroot().tag.endswith("svg")  # noqa: S314  (our own file)
        elif path.name.startswith("derivation"):
            assert path.read_text().startswith(r"\documentclass")
    assert r"\sum_{k=1}^{t}" in (out / "derivation_W_xh.tex").read_text()


def test_networks_of_different_activations_get_their_own_derivations(tmp_path):
    import gradtheory as gt

    nets = [gt.ElmanNetwork.random(5, rng=0), gt.ElmanNetwork.random(5, activation="relu",
                                                                      rng=0)]
    names = [p.name for p in gt.report(nets, n_steps=30).write(tmp_path)]
    assert "derivation_W_hh_tanh_elman.tex" in names
    assert "derivation_W_y_relu_elman.tex" in names


def test_write_refuses_a_file_as_folder(tmp_path, small_report):
    target = tmp_path / "taken"
    target.write_text("")
    with pytest.raises(ValueError, match=r"^`out_dir` must be a folder"):
        small_report.write(target)


def test_report_plot_draws_each_profile_with_its_bounds(default_report):
    fig = default_report.plot()
    fig.canvas.draw()
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == 3
    for ax, nr in zip(panels, default_report.networks, strict=True):
        assert ax.get_title().startswith(nr.label)
        assert nr.spectral.regime.replace("_", " ") in ax.get_title()
        lines = {ln.get_label(): ln for ln in ax.get_lines()}
        L = nr.profile.lags
        y = lines[LABEL_SPECTRAL].get_ydata()
        np.testing.assert_allclose(y, nr.profile.log_norm_spectral)
        glob = next(ln for lab, ln in lines.items() if lab.startswith(LABEL_GLOBAL))
        np.testing.assert_allclose(glob.get_ydata()[-1], L[-1] * nr.spectral.per_step_log_bound,
                                   rtol=1e-12)
        traj = lines[LABEL_TRAJECTORY].get_ydata()
        np.testing.assert_allclose(traj, trajectory_log_bound(nr.profile, nr.trajectory_bound))
        assert np.all(y <= traj + 1e-9)                # the figure agrees with the table
        fits = [ln for lab, ln in lines.items() if lab.startswith(LABEL_FIT)]
        # A fit line only where there is a rate (none for a power-law-like profile).
        assert len(fits) == (nr.fit_spectral.rate is not None)
        for fit in fits:
            xs, ys = fit.get_xdata(), fit.get_ydata()
            assert (ys[-1] - ys[0]) / (xs[-1] - xs[0]) == pytest.approx(nr.fit_spectral.rate)
        assert ax.get_legend() is not None


def test_network_plot_is_the_summary_figure(small_report):
    fig = small_report[0].plot()
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    titles = " ".join(ax.get_title() for ax in visible)
    for word in ("Lag profile", "contributions", "Eigenvalues", "Singular values", "Lyapunov"):
        assert word in titles
