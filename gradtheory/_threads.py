"""BLAS thread control, shared by the numeric layers.

The per-step products of gradient analysis are small (n up to a few hundred) and sequential.
Multithreaded BLAS gains nothing there and, when anything else runs on a 2-core machine, loses
orders of magnitude to threads spin-waiting for a busy core (measured here: a 256 x 256 product
took 4-16 ms with two threads, 0.8-1.0 ms with one; a 200 x 200 SVD 0.40 s against 0.003 s).
So small problems run single-threaded by default; ``n_threads`` overrides where offered.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from threadpoolctl import threadpool_limits

from . import _validate

__all__: list[str] = []  # private

#: Dense problems up to this size run BLAS/LAPACK single-threaded.
SINGLE_THREAD_MAX_N = 256


def available_cores() -> int:
    """Cores this process may run on (the affinity mask where the OS exposes it)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_threads(n_threads: int | None) -> int:
    """Validate ``n_threads``; ``None`` gives 1 (see the module docstring for why)."""
    if n_threads is None:
        return 1
    return _validate.positive_int(n_threads, "n_threads")


@contextlib.contextmanager
def blas_threads(n_threads: int) -> Iterator[None]:
    """Limit the BLAS pools (OpenBLAS, MKL, BLIS) to ``n_threads`` inside the block."""
    with threadpool_limits(limits=n_threads, user_api="blas"):
        yield


@contextlib.contextmanager
def small_problem_threads(n: int) -> Iterator[None]:
    """One BLAS thread inside the block when ``n <= SINGLE_THREAD_MAX_N``; else unchanged."""
    if n > SINGLE_THREAD_MAX_N:
        yield
        return
    with blas_threads(1):
        yield
