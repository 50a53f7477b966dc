"""The default report (three 64-unit networks, T = 1000) against the bare layer calls it makes:
the ratio is the orchestration's overhead (target <= 1.1); the wall times are printed against
the issue's budget of 30 s on a 2-core machine, and writing every output (--out) is timed apart.

Run: ``python benchmarks/report_default.py [--steps 1000] [--repeats 3]``.
The reference runs, in this same process, exactly the layer functions the report calls for each
network (derivations once, bounds, mean field, simulate, trajectory bound, lag profile and two
fits, Lyapunov, contributions), with nothing else around them.
"""

from __future__ import annotations

import argparse
import math
import tempfile

import matplotlib
import numpy as np
from _harness import best, parser, run_with_threads

import gradtheory as gt
from gradtheory.report import CONTRIBUTION_STEPS, DERIVED, MAX_EXPONENTS, REPORT_GAINS


def main() -> None:
    run_with_threads(run, parser(__doc__, steps=1000).parse_args())


def bare_layers(nets: tuple[gt.ElmanNetwork, ...], T: int) -> None:
    for p in DERIVED:
        gt.derive(p)
    gen = np.random.default_rng(0)
    for net in nets:
        gt.bounds(net)
        gt.mean_field(float(np.linalg.norm(net.W_hh) / math.sqrt(net.n_hidden)), input_std=1.0)
        X = gen.standard_normal((T, net.n_input))
        traj = gt.simulate(net, T, inputs=X)
        gt.trajectory_bound(net, traj.slope_arguments)
        prof = gt.lag_profile(traj, rng=gen)
        prof.fit("spectral")
        prof.fit("frobenius")
        gt.lyapunov(net, T, inputs=X, k=min(net.n_hidden, MAX_EXPONENTS))
        gt.temporal_contributions(net, X[:CONTRIBUTION_STEPS], np.zeros(net.n_output))


def run(args: argparse.Namespace) -> None:
    matplotlib.use("Agg")
    T = args.steps
    nets = gt.default_networks(gains=REPORT_GAINS)
    t_ref = best(lambda: bare_layers(nets, T), args.repeats)
    t_rep = best(lambda: gt.report(nets, n_steps=T), args.repeats)
    result = gt.report(nets, n_steps=T)
    with tempfile.TemporaryDirectory() as folder:
        t_out = best(lambda: result.write(folder), 1)
    print(f"default report: {len(nets)} networks, n = 64, T = {T}, best of {args.repeats}, "
          f"{args.threads} BLAS thread(s)")
    print(f"bare layer calls            {t_ref:6.2f} s")
    print(f"gt.report()                 {t_rep:6.2f} s   ratio {t_rep / t_ref:5.2f} "
          f"(target <= 1.1)")
    print(f"Report.write (13 files)     {t_out:6.2f} s")
    print(f"report + write              {t_rep + t_out:6.2f} s   (budget 30 s)")


if __name__ == "__main__":
    main()
