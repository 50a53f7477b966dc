"""BLAS thread control, shared by the numeric layers.

The per-step products of gradient analysis are small (n up to a few hundred) and sequential.
Multithreaded BLAS gains nothing there and, when anything else runs on a 2-core machine, loses
orders of magnitude to threads spin-waiting for a busy core (measured here: a 256 x 256 product
took 4-16 ms with two threads, 0.8-1.0 ms with one; a 200 x 200 SVD 0.40 s against 0.003 s).
So small problems run single-threaded by default; ``n_threads`` overrides where offered.

**One controller, shared by every caller.** The BLAS thread count is process-wide state, so
one limiter object per call (``threadpoolctl.threadpool_limits``) is both slow (it rescans
every loaded shared library: 0.5-5 ms, against 10 µs for the 4 x 4 eigenvalue problem it
guards) and unsafe across threads: each limiter restores what it saw on entry, so when two
overlapping calls leave in the wrong order the last restores the *other's* limit (the process
was left at 1 thread). Here one ``threadpoolctl.ThreadpoolController`` is cached, and a lock
guards a count of the active requests:

* the first request saves every library's thread count; the last one out restores it;
* while requests overlap (threads, or nesting in one thread), the applied limit is the
  *smallest* active request: oversubscription is what this module exists to avoid, and the
  thread count changes a result's speed, not its value (beyond rounding).

The controller is rescanned only when ``sys.modules`` has grown or shrunk since the last scan:
BLAS libraries arrive with imports (SciPy's OpenBLAS is a second library, loaded on first use
of ``scipy.linalg``), so a controller cached once and for all would miss them (threadpoolctl
3.8's ``get_cached_controller`` uses the same test; the package supports 3.1 onwards).

Two exceptions to "one process-wide count". OpenBLAS on the OpenMP threading layer keeps one
pool per calling thread, so its requests are counted per thread. And threadpoolctl >= 3.8 lets
one "controlling" thread at a time change a shared OpenBLAS pool: control is handed back after
each change (the lock serialises them anyway), and while *another* thread holds it (a caller's
own ``threadpool_limits`` block) requests from other threads leave the count as that caller set
it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

from threadpoolctl import ThreadpoolController

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


def _per_thread(lib: Any) -> bool:
    """Whether a library keeps one thread pool per calling thread.

    OpenBLAS on the OpenMP threading layer does (threadpoolctl's ``OpenBLASController``): its
    limit belongs to the thread that sets it. Every other BLAS here has one process-wide pool.
    """
    return lib.internal_api == "openblas" and getattr(lib, "threading_layer", "") == "openmp"


def _set(lib: Any, n_threads: int) -> None:
    lib.set_num_threads(n_threads)
    # threadpoolctl >= 3.8 lets only one "controlling" thread change a shared OpenBLAS pool
    # and silently ignores the others; the pools' lock already serialises our changes, so give
    # control back at once (a no-op unless this thread holds it), or the thread that happened
    # to set the limit would own it and a restore from any other thread would be dropped.
    release = getattr(type(lib), "clear_controlling_thread", None)
    if release is not None:
        release()


class _Pools:
    """The process's BLAS pools: a cached controller and the active requests, under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: Counter[int] = Counter()  # active requests, all threads
        self.saved: dict[str, int] = {}  # library path -> count before the first request
        self.local = threading.local()  # the same two, per thread, for per-thread pools
        self.scanned_at = -1  # len(sys.modules) when the controller was built
        self.libraries: list[Any] = []

    def _blas_libraries(self) -> list[Any]:
        if self.scanned_at != len(sys.modules):
            self.libraries = ThreadpoolController().select(user_api="blas").lib_controllers
            self.scanned_at = len(sys.modules)
        return self.libraries

    def _apply(self) -> None:
        """Set the smallest active request on every pool, or restore a pool's saved count
        when no request for it is left. Called with the lock held."""
        local = self.local.__dict__
        local.setdefault("requests", Counter())
        local.setdefault("saved", {})
        for lib in self._blas_libraries():
            requests, saved = ((local["requests"], local["saved"]) if _per_thread(lib)
                               else (self.requests, self.saved))
            current = lib.get_num_threads()
            if not requests:
                if lib.filepath in saved and current != saved[lib.filepath]:
                    _set(lib, saved[lib.filepath])
                continue
            saved.setdefault(lib.filepath, current)
            if current != min(requests):
                _set(lib, min(requests))
        if not self.requests:
            self.saved.clear()
        if not local["requests"]:
            local["saved"].clear()

    def _count(self, n_threads: int, change: int) -> None:
        local = self.local.__dict__.setdefault("requests", Counter())
        for requests in (self.requests, local):
            requests[n_threads] += change
            if not requests[n_threads]:
                del requests[n_threads]

    def enter(self, n_threads: int) -> None:
        with self.lock:
            self._count(n_threads, +1)
            self._apply()

    def leave(self, n_threads: int) -> None:
        with self.lock:
            self._count(n_threads, -1)
            self._apply()


_POOLS = _Pools()


@contextlib.contextmanager
def blas_threads(n_threads: int) -> Iterator[None]:
    """Limit the BLAS pools (OpenBLAS, MKL, BLIS) to ``n_threads`` inside the block.

    Safe to nest and to use from several threads at once (see the module docstring): the
    smallest active request applies, and the count from before the first one is restored when
    the last one leaves.
    """
    _POOLS.enter(n_threads)
    try:
        yield
    finally:
        _POOLS.leave(n_threads)


@contextlib.contextmanager
def small_problem_threads(n: int) -> Iterator[None]:
    """One BLAS thread inside the block when ``n <= SINGLE_THREAD_MAX_N``; else unchanged."""
    if n > SINGLE_THREAD_MAX_N:
        yield
        return
    with blas_threads(1):
        yield
