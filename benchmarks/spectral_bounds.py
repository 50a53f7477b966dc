"""Spectral layer against reference implementations (time ratios and agreement).

Run: ``python benchmarks/spectral_bounds.py [--n 64] [--steps 100000] [--repeats 3]``.
Every timing is the best of ``--repeats`` runs in this one process, so the ratios are
comparable even on a busy machine. Prints:

1. the certified trajectory bound over T steps (batched symmetric eigensolver on
   ``D W W^T D``) against the naive loop ``np.linalg.norm(diag(d_i) W, 2)`` (an SVD per step,
   timed on a subset and scaled), with the largest relative difference of the per-step norms;
2. sparse ARPACK against dense LAPACK for rho and sigma_max of a 10,000 x 10,000 sparse matrix
   with known spectrum (LAPACK timed at n = 2,000 and scaled by n^3);
3. the mean-field quadrature against ``scipy.integrate.quad`` for the same expectations.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import scipy.sparse as sps
from _harness import best, parser, run_with_threads
from scipy.integrate import quad

from gradtheory import get_activation
from gradtheory.spectral import (
    largest_singular_value,
    mean_field,
    spectral_radius,
    trajectory_bound,
)
from gradtheory.spectral.meanfield import _moments


def trajectory(n: int, steps: int, repeats: int) -> None:
    rng = np.random.default_rng(0)
    W = 1.5 * rng.standard_normal((n, n)) / np.sqrt(n)
    A = 2.0 * rng.standard_normal((steps, n))
    t_ours = best(lambda: trajectory_bound(W, A), repeats)
    subset = min(steps, 2000)
    D = get_activation("tanh").df(A[:subset])
    t_naive = best(lambda: [np.linalg.norm(d[:, None] * W, 2) for d in D], repeats)
    t_naive *= steps / subset
    ours = trajectory_bound(W, A[:subset]).log_step_norms
    naive = np.log([np.linalg.norm(d[:, None] * W, 2) for d in D])
    print(f"trajectory bound, n={n}, T={steps}: {t_ours:.2f} s; naive SVD loop (scaled) "
          f"{t_naive:.2f} s; speed-up {t_naive / t_ours:.1f}x; "
          f"max |log-norm difference| {np.max(np.abs(ours - naive)):.1e}")


def sparse(repeats: int) -> None:
    n = 10_000
    rng = np.random.default_rng(0)
    d = rng.uniform(-0.8, 0.8, n)
    d[17] = 0.95
    N = sps.random_array((n, n), density=5 / n, rng=rng, data_sampler=rng.standard_normal)
    A = sps.csr_array(sps.diags_array(d) + sps.triu(N, k=1) * 0.3)
    t_sparse = best(lambda: (spectral_radius(A), largest_singular_value(A)), repeats)
    m = 2000
    B = A[:m, :m].toarray()
    t_dense = best(lambda: (spectral_radius(B), largest_singular_value(B)), 1) * (n / m) ** 3
    print(f"sparse n={n}: ARPACK rho+sigma_max {t_sparse:.2f} s (rho error "
          f"{abs(spectral_radius(A) - 0.95):.1e}); dense LAPACK extrapolated {t_dense:.0f} s; "
          f"ratio {t_dense / t_sparse:.0f}x")


def quadrature(repeats: int) -> None:
    act = get_activation("tanh")
    _, slope = _moments(act)
    qs = (0.01, 1.0, 25.0, 1e4)

    def reference(q: float) -> float:
        s = math.sqrt(q)
        return quad(lambda z: float(act.df(np.array(s * z))) ** 2 * math.exp(-z * z / 2)
                    / math.sqrt(2 * math.pi), -40, 40, points=[0.0], limit=500,
                    epsabs=0, epsrel=1e-13)[0]

    t_ours = best(lambda: [slope(q) for q in qs], repeats)
    t_quad = best(lambda: [reference(q) for q in qs], repeats)
    err = max(abs(slope(q) - reference(q)) / reference(q) for q in qs)
    t_mf = best(lambda: mean_field(1.5, input_std=0.5), repeats)
    print(f"quadrature E[tanh'(sqrt(q) z)^2], q in {qs}: ours {t_ours * 1e3:.1f} ms, "
          f"scipy.quad {t_quad * 1e3:.1f} ms ({t_quad / t_ours:.0f}x); max rel. diff {err:.1e}; "
          f"mean_field(1.5, input_std=0.5) incl. critical gain {t_mf * 1e3:.0f} ms")


def main() -> None:
    run_with_threads(run, parser(__doc__.splitlines()[0], n=64, steps=100_000).parse_args())


def run(args: argparse.Namespace) -> None:
    trajectory(args.n, args.steps, args.repeats)
    sparse(args.repeats)
    quadrature(args.repeats)


if __name__ == "__main__":
    main()
