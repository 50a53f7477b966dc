"""Reports shared by the report tests (each takes seconds to compute: build them once)."""

import matplotlib
import pytest

import gradtheory as gt

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def default_report():
    """The report README's first command prints: the embedded networks, unit input, seed 0."""
    return gt.report()


@pytest.fixture(scope="module")
def small_report():
    """A quick two-network report: one vanishing, one exploding."""
    nets = [gt.ElmanNetwork.random(12, gain=g, rng=5) for g in (0.4, 3.0)]
    return gt.report(nets, n_steps=150, rng=5)


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")
