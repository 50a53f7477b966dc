"""The progress bar of the report: tqdm (the ``progress`` extra) on stderr, or nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__: list[str] = []  # private


@contextmanager
def progress_bar(total: int, enabled: bool, description: str) -> Iterator[Any]:
    """A tqdm bar of ``total`` steps on stderr, or None.

    The bar appears only after one second and only when stderr is a terminal (tqdm's
    ``delay=1`` and ``disable=None``), and is removed when done. None when ``enabled`` is False
    or tqdm is not installed: a progress bar is never a reason to fail.
    """
    bar = None
    if enabled:
        try:
            from tqdm import tqdm
        except ImportError:
            bar = None
        else:
            bar = tqdm(total=total, file=sys.stderr, delay=1.0, disable=None, leave=False,
                       unit="step", desc=description)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()
