"""Plot tests render with the non-interactive Agg backend and close every figure afterwards."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def render(ax_or_fig):
    """Draw the figure (mathtext and layout errors only surface at draw time)."""
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    fig.canvas.draw()
    return fig


def labelled(ax):
    """Lines of an Axes that carry a legend label, by label."""
    return {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}


def legend_texts(ax):
    legend = ax.get_legend()
    return [] if legend is None else [t.get_text() for t in legend.get_texts()]
