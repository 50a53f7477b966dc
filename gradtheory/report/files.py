"""Writing a report into a folder: ``report.json``, ``report.tex``, the derivation documents and
the figures (each as PNG and SVG)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .. import _validate
from ._progress import progress_bar

if TYPE_CHECKING:
    from .result import Report

__all__ = ["write_report"]


def _folder(out_dir: str | os.PathLike[str]) -> Path:
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise _validate.fail("out_dir", "a folder (or a path to create one)",
                             f"the existing file {str(folder)!r}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _validate.fail("out_dir", "a folder that can be created",
                             f"{str(folder)!r} ({exc.strerror})") from exc
    return folder


def write_report(report: Report, out_dir: str | os.PathLike[str], *,
                 progress: bool = False) -> tuple[Path, ...]:
    """Write every output of a report into ``out_dir``.

    Parameters
    ----------
    report : Report
        The report.
    out_dir : str or os.PathLike
        The folder, created if missing.
    progress : bool, optional
        Show a progress bar (one step per document file and per figure); default False.

    Returns
    -------
    tuple of pathlib.Path
        In order: ``report.json``, ``report.tex``, ``derivation_<param>.tex`` for W_hh, W_xh
        and W_y (suffixed ``_<activation>_<form>`` when the networks differ in those), then
        ``lag_profiles`` and ``summary_<i>`` (i = 1, 2, ... per network) as ``.png`` and
        ``.svg``.

    Raises
    ------
    ValidationError
        If ``out_dir`` is an existing file or cannot be created.
    """
    from ..plotting import save_figure

    folder = _folder(out_dir)
    kinds = {(nr.network.activation.name, nr.network.form): nr for nr in report.networks}
    n_figures = 1 + len(report.networks)
    with progress_bar(2 + 3 * len(kinds) + n_figures, progress, "writing") as bar:
        def done(path: Path) -> Path:
            if bar is not None:
                bar.set_postfix_str(path.name, refresh=False)
                bar.update(1)
            return path

        written = [folder / "report.json", folder / "report.tex"]
        written[0].write_text(json.dumps(report.to_dict(), indent=2, allow_nan=False) + "\n",
                              encoding="utf-8")
        done(written[0])
        written[1].write_text(report.to_latex(), encoding="utf-8")
        done(written[1])
        for (activation, form), nr in kinds.items():
            suffix = "" if len(kinds) == 1 else f"_{activation}_{form}"
            for param, derivation in nr.derivations.items():
                path = folder / f"derivation_{param}{suffix}.tex"
                path.write_text(derivation.document(), encoding="utf-8")
                written.append(done(path))
        figures = [("lag_profiles", report.plot)]
        figures += [(f"summary_{i}", nr.plot) for i, nr in enumerate(report.networks, 1)]
        for stem, draw in figures:
            figure = draw()
            for ext in (".png", ".svg"):
                written.append(save_figure(figure, folder / f"{stem}{ext}", close=ext == ".svg"))
            done(written[-1])
    return tuple(written)
