"""What every benchmark script shares: best-of-N timing and a BLAS thread limit.

Scripts run as ``python benchmarks/<name>.py``, so this folder is on ``sys.path``.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable

from threadpoolctl import threadpool_limits


def best(fn: Callable[[], object], repeats: int) -> float:
    """Best wall time of `repeats` single calls (the least disturbed by other load)."""
    return min(timeit.repeat(fn, number=1, repeat=repeats))


def parser(description: str | None, **defaults: int) -> argparse.ArgumentParser:
    """An argument parser with ``--repeats``, ``--threads`` and one int option per default."""
    p = argparse.ArgumentParser(description=description)
    for name, value in defaults.items():
        p.add_argument(f"--{name}", type=int, default=value)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1,
                   help="BLAS (and torch) threads for every timing, ours and references")
    return p


def run_with_threads(run: Callable[[argparse.Namespace], None],
                     args: argparse.Namespace) -> None:
    """Run the benchmark with the BLAS pools limited to ``args.threads``."""
    with threadpool_limits(args.threads, user_api="blas"):
        run(args)
