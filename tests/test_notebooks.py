"""Run every notebook in ``notebooks/`` top to bottom, without Jupyter.

The notebooks are jupytext MyST markdown. Each is read with jupytext and its code cells are
executed in order in one fresh namespace, as a reader running it would. Each cell is compiled
under the name ``<notebook path> [code cell k]`` and its source registered with ``linecache``,
so a failure's traceback names the notebook and cell and shows the failing line. The project's
``filterwarnings = ["error"]`` applies: a notebook that warns fails.
"""

from __future__ import annotations

import linecache
from pathlib import Path

import jupytext
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.md"))


def _code_cells(path: Path) -> list[tuple[str, str]]:
    """The notebook's code cells as ``(file name for tracebacks, source)`` pairs, in order."""
    # Explicit format: without `extension: .md` in the header jupytext would read plain markdown.
    notebook = jupytext.read(path, fmt="md:myst")
    cells = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    try:
        shown = path.relative_to(NOTEBOOK_DIR.parent)
    except ValueError:
        shown = path
    return [(f"{shown} [code cell {k}]", source) for k, source in enumerate(cells, start=1)]


@pytest.mark.parametrize(
    "path",
    # An empty parameter set would only skip; a missing notebooks/ folder must fail instead.
    NOTEBOOKS or [pytest.param(None, id="no-notebooks")],
    ids=lambda p: p.name if isinstance(p, Path) else str(p),
)
def test_notebook_runs(path: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                       ) -> None:
    if path is None:
        pytest.fail(f"no notebooks found: expected notebooks/*.md in {NOTEBOOK_DIR}")
    import matplotlib

    matplotlib.use("Agg")  # before pyplot is imported, so no window or GUI backend is tried
    import matplotlib.pyplot as plt

    cells = _code_cells(path)
    assert cells, f"{path.name} has no code cells"
    if any("import torch" in source for _, source in cells):
        pytest.importorskip("torch")  # the optional extra; CI installs it, so CI runs these
    monkeypatch.chdir(tmp_path)  # anything a notebook writes lands in a throw-away folder
    namespace: dict[str, object] = {"__name__": "__main__"}
    try:
        for filename, source in cells:
            lines = source.splitlines(keepends=True)
            linecache.cache[filename] = (len(source), None, lines, filename)
            code = compile(source, filename, "exec")
            exec(code, namespace)  # noqa: S102  # our own notebooks, run as a reader would
    finally:
        plt.close("all")
