"""BLAS thread control: one cached controller, safe to nest and to share between threads
(issue 11, defect 4). Thread counts are read back with ``threadpoolctl.threadpool_info``, which
does not go through the module under test."""

import sys
import threading
import types

import numpy as np
import pytest
import threadpoolctl
from threadpoolctl import ThreadpoolController, threadpool_info

from gradtheory import _threads
from gradtheory._threads import blas_threads, small_problem_threads

BASELINE = 2  # differs from the 1 thread the suite's fixture sets, so a restore is visible


def _counts():
    return {info["filepath"]: info["num_threads"] for info in threadpool_info()
            if info["user_api"] == "blas"}


def _release_control():
    # threadpoolctl >= 3.8 lets one thread at a time change a shared OpenBLAS pool, and the
    # suite's fixture holds it in the main thread; the worker threads below need it free.
    controller = getattr(threadpoolctl, "OpenBLASController", None)
    if hasattr(controller, "clear_controlling_thread"):
        controller.clear_controlling_thread(force=True)


@pytest.fixture
def baseline():
    libraries = ThreadpoolController().select(user_api="blas").lib_controllers
    before = [lib.get_num_threads() for lib in libraries]
    for lib in libraries:
        lib.set_num_threads(BASELINE)
    _release_control()
    counts = _counts()
    assert set(counts.values()) == {BASELINE}
    yield counts
    for lib, n in zip(libraries, before, strict=True):
        lib.set_num_threads(n)
    _release_control()


def test_overlapping_calls_in_threads_leave_the_count_as_it_was(baseline):
    # A enters, B enters, A leaves, B leaves: each old limiter restored what it saw on entry,
    # so B "restored" A's limit of 1 and the process stayed at 1 thread.
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}
    errors = []

    def first():
        try:
            with blas_threads(1):
                a_in.set()
                b_in.wait(10)
            a_out.set()
        except BaseException as exc:  # re-raised in the main thread below
            errors.append(exc)
            a_out.set()

    def second():
        try:
            a_in.wait(10)
            with blas_threads(1):
                b_in.set()
                a_out.wait(10)
                seen["inside_after_a_left"] = _counts()
        except BaseException as exc:
            errors.append(exc)
            b_in.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert set(seen["inside_after_a_left"].values()) == {1}  # B is still inside its limit
    assert _counts() == baseline


def test_many_threads_with_mixed_requests_restore_the_count(baseline):
    barrier = threading.Barrier(6)
    errors = []

    def worker(seed):
        rng = np.random.default_rng(seed)
        try:
            barrier.wait(10)
            for _ in range(200):
                with blas_threads(int(rng.integers(1, 3))):
                    np.linalg.eigvals(rng.standard_normal((4, 4)))
        except BaseException as exc:
            errors.append(exc)

    seeds = np.random.SeedSequence(7).spawn(6)
    threads = [threading.Thread(target=worker, args=(s,)) for s in seeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert _counts() == baseline


def test_nested_requests_apply_the_smallest_and_unwind(baseline):
    with blas_threads(BASELINE):
        assert set(_counts().values()) == {BASELINE}
        with small_problem_threads(4):  # n = 4 <= 256: one thread
            assert set(_counts().values()) == {1}
            with blas_threads(3):  # larger than an active request: the smallest holds
                assert set(_counts().values()) == {1}
        assert set(_counts().values()) == {BASELINE}
    assert _counts() == baseline


def _fail_inside_a_limit():
    with blas_threads(1):
        assert set(_counts().values()) == {1}
        raise ZeroDivisionError


def test_an_exception_inside_the_block_still_restores(baseline):
    with pytest.raises(ZeroDivisionError):
        _fail_inside_a_limit()
    assert _counts() == baseline


def test_the_controller_is_built_once_and_again_only_after_an_import(monkeypatch):
    built = []

    def counting():
        built.append(1)
        return _threads.ThreadpoolController.__wrapped__()

    counting.__wrapped__ = _threads.ThreadpoolController
    monkeypatch.setattr(_threads, "ThreadpoolController", counting)
    monkeypatch.setattr(_threads._POOLS, "scanned_at", -1)
    for _ in range(20):
        with blas_threads(1):
            pass
    assert len(built) == 1
    monkeypatch.setitem(sys.modules, "_gradtheory_test_new_module", types.ModuleType("new"))
    with blas_threads(1):
        pass
    assert len(built) == 2  # a new import may have loaded a new BLAS library
