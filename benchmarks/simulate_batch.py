"""Batched forward run + Frobenius lag profile of B = 32 networks (n = 64) against a Python loop
over the 32 networks (time ratio; target >= 3x).

Run: ``python benchmarks/simulate_batch.py [--batch 32] [--n 64] [--steps 1000]``.
"""

from __future__ import annotations

import argparse

import numpy as np
from _harness import best, parser, run_with_threads

from gradtheory import ElmanNetwork
from gradtheory.simulate import lag_profile, simulate


def main() -> None:
    run_with_threads(run, parser(__doc__, batch=32, n=64, steps=1000).parse_args())


def run(args: argparse.Namespace) -> None:
    nets = [ElmanNetwork.random(args.n, gain=g, rng=s) for s, g in
            enumerate(np.linspace(0.5, 2.0, args.batch))]
    X = np.random.default_rng(0).standard_normal((args.batch, args.steps, args.n))
    v = np.ones(args.n)

    def batched() -> object:
        return lag_profile(simulate(nets, args.steps, inputs=X), spectral=False, direction=v,
                           n_threads=args.threads)

    def loop() -> list[object]:
        return [lag_profile(simulate(net, args.steps, inputs=X[b]), spectral=False,
                            direction=v) for b, net in enumerate(nets)]

    a, b = batched(), loop()
    agree = max(float(np.max(np.abs(a.samples_frobenius[i] - p.log_norm_frobenius)))  # type: ignore[attr-defined]
                for i, p in enumerate(b))
    t_batch = best(batched, args.repeats)
    t_loop = best(loop, args.repeats)
    print(f"B = {args.batch}, n = {args.n}, T = {args.steps}, best of {args.repeats}, "
          f"{args.threads} BLAS thread(s)")
    print(f"batched forward + Frobenius profile {t_batch:8.3f} s")
    print(f"Python loop over the networks       {t_loop:8.3f} s   speed-up "
          f"{t_loop / t_batch:5.2f} (target >= 3); max difference {agree:.1e}")


if __name__ == "__main__":
    main()
