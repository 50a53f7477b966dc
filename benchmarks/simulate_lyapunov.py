"""Lyapunov spectrum (all exponents) at n = 256, T = 1000: achieved GFLOP/s as a fraction of
this machine's QR throughput at the same n (target > 0.7).

Run: ``python benchmarks/simulate_lyapunov.py [--n 256] [--steps 1000] [--repeats 3]``.
Flop counts: Jacobian times frame 2 n^3 (+ n^2 for the diagonal), QR with the explicit Q
(``geqrf`` + ``orgqr``) 4/3 n^3 + 4/3 n^3. The throughput reference is ``scipy.linalg.qr`` of
an n x n matrix in a loop, timed in this same process.
"""

from __future__ import annotations

import argparse

import numpy as np
import scipy.linalg
from _harness import best, parser, run_with_threads

from gradtheory import ElmanNetwork
from gradtheory.simulate import lyapunov


def main() -> None:
    run_with_threads(run, parser(__doc__, n=256, steps=1000).parse_args())


def run(args: argparse.Namespace) -> None:
    n, T = args.n, args.steps
    net = ElmanNetwork.random(n, gain=1.5, rng=0)
    A = np.random.default_rng(1).standard_normal((n, n))
    qr_reps = 200

    def qr_loop() -> None:
        for _ in range(qr_reps):
            scipy.linalg.qr(A, mode="economic", check_finite=False)

    t_qr = best(qr_loop, args.repeats) / qr_reps
    qr_flops = 8.0 / 3.0 * n**3
    t_lyap = best(lambda: lyapunov(net, T, input_std=0.5, n_threads=args.threads), args.repeats)
    lyap_flops = T * (2.0 * n**3 + n**2 + qr_flops)
    qr_rate = qr_flops / t_qr / 1e9
    lyap_rate = lyap_flops / t_lyap / 1e9
    print(f"n = {n}, T = {T}, all {n} exponents, best of {args.repeats}, "
          f"{args.threads} BLAS thread(s)")
    print(f"QR throughput (scipy.linalg.qr, n x n)  {qr_rate:7.2f} GFLOP/s")
    print(f"lyapunov()                               {lyap_rate:7.2f} GFLOP/s  ({t_lyap:.2f} s)")
    print(f"fraction of QR throughput                {lyap_rate / qr_rate:7.2f}  (target > 0.7)")


if __name__ == "__main__":
    main()
