"""plot_lyapunov: the drawn exponents are the spectrum's, with the zero line and the band."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gradtheory as gt
from gradtheory.plotting import lyapunov as lyamod
from gradtheory.plotting import plot_lyapunov
from gradtheory.simulate import LyapunovSpectrum

from .conftest import labelled, legend_texts, render


def test_exponents_zero_line_and_band():
    net = gt.ElmanNetwork.random(10, gain=2.0, rng=0)
    spectrum = gt.lyapunov(net, 400, k=5, input_std=0.5, rng=0)
    _fig, ax = plt.subplots()
    assert plot_lyapunov(spectrum, ax=ax) is ax
    render(ax)
    lines = labelled(ax)
    exps = lines[lyamod.LABEL_EXPONENTS]
    np.testing.assert_array_equal(exps.get_xdata(), np.arange(1, 6))
    np.testing.assert_array_equal(exps.get_ydata(), spectrum.exponents)
    (zero,) = [ln for label, ln in lines.items() if label.startswith("0 ")]
    np.testing.assert_array_equal(zero.get_ydata(), [0.0, 0.0])
    assert np.all(np.isfinite(spectrum.stderr))       # 10 blocks: a finite standard error
    (band,) = ax.collections
    assert band.get_label() == lyamod.LABEL_STDERR
    assert legend_texts(ax) == [lyamod.LABEL_EXPONENTS, lyamod.LABEL_STDERR, zero.get_label()]
    assert f"{spectrum.lyapunov_max:+.4g}" in ax.get_title()
    assert ax.get_xlabel()
    assert ax.get_ylabel()


def test_minus_infinity_and_unknown_error_draw_without_warnings():
    spectrum = LyapunovSpectrum(
        exponents=np.array([0.1, -np.inf]), exponents_batch=np.array([[0.1, -np.inf]]),
        running=np.array([[0.1, -np.inf]]), block_exponents=np.array([[[0.1, -np.inf]]]),
        stderr=np.array([np.inf, np.inf]), mean_log_det=-np.inf, n_steps=10, burn_in=0,
        reortho=1)
    ax = plot_lyapunov(spectrum)
    render(ax)
    y = labelled(ax)[lyamod.LABEL_EXPONENTS].get_ydata()
    assert y[0] == 0.1
    assert np.isnan(y[1])
    assert not ax.collections                       # no band without a finite error


def test_wrong_type():
    with pytest.raises(gt.InputTypeError, match="`spectrum` must be a LyapunovSpectrum"):
        plot_lyapunov([0.1, -0.2])
