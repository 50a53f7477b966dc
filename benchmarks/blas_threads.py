"""Per-call cost of BLAS thread control against threadpoolctl's per-call limiter.

Run: ``python benchmarks/blas_threads.py [--repeats 5] [--calls 200]``.
Every timing is the best of ``--repeats`` batches of ``--calls`` calls in this one process.
Prints the enter+exit overhead of ``gradtheory._threads.blas_threads`` (one cached controller
and a reference count) next to a fresh ``threadpoolctl.threadpool_limits`` per call (what it
did before issue 11: a rescan of every loaded library each time), and what that means for
the smallest guarded call, ``spectral_radius`` of a 4 x 4 matrix, against bare NumPy.
"""

from __future__ import annotations

import argparse

import numpy as np
from _harness import best, parser
from threadpoolctl import threadpool_limits

from gradtheory._threads import blas_threads
from gradtheory.spectral import spectral_radius


def main() -> None:
    p = parser(__doc__, calls=200)
    run(p.parse_args())


def run(args: argparse.Namespace) -> None:
    W = np.random.default_rng(0).standard_normal((4, 4))
    spectral_radius(W)  # imports and first-use costs out of the timings

    def ours() -> None:
        for _ in range(args.calls):
            with blas_threads(1):
                pass

    def per_call_limiter() -> None:
        for _ in range(args.calls):
            with threadpool_limits(limits=1, user_api="blas"):
                pass

    def guarded() -> None:
        for _ in range(args.calls):
            spectral_radius(W)

    def bare() -> None:
        for _ in range(args.calls):
            np.linalg.eigvals(W)

    us = {name: best(fn, args.repeats) / args.calls * 1e6 for name, fn in
          [("ours", ours), ("limiter", per_call_limiter), ("guarded", guarded),
           ("bare", bare)]}
    print(f"best of {args.repeats} x {args.calls} calls")
    print(f"blas_threads(1) enter+exit        {us['ours']:9.1f} us per call")
    print(f"threadpool_limits(1) per call     {us['limiter']:9.1f} us per call   "
          f"ratio {us['limiter'] / us['ours']:7.1f}")
    print(f"spectral_radius(4 x 4)            {us['guarded']:9.1f} us per call   "
          f"ratio to np.linalg.eigvals {us['guarded'] / us['bare']:5.1f}")


if __name__ == "__main__":
    main()
