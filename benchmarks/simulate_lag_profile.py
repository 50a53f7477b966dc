"""Spectral lag profile at n = 256, T = 1000 against reference implementations (time ratios).

Run: ``python benchmarks/simulate_lag_profile.py [--n 256] [--steps 1000] [--repeats 3]``.
Every timing is the best of ``--repeats`` runs in this one process, so the printed ratios are
comparable even on a busy machine. Targets (issue 5): the profile at most 1.5x the bare product
chain, and at least 4x faster than ``np.linalg.norm(P, 2)`` at every lag.
"""

from __future__ import annotations

import argparse

import numpy as np
from _harness import best, parser, run_with_threads

from gradtheory import ElmanNetwork
from gradtheory.simulate import lag_profile, simulate


def bare_chain(D: np.ndarray, W: np.ndarray) -> np.ndarray:
    """P <- (P * d) W over the same steps (rescaled every 50 steps so it cannot overflow)."""
    P = np.eye(W.shape[0])
    for k in range(D.shape[0]):
        P = (P * D[-1 - k]) @ W
        if k % 50 == 49:
            P /= np.abs(P).max()
    return P


def svd_every_lag(D: np.ndarray, W: np.ndarray) -> list[float]:
    """The naive loop: the same chain plus an exact spectral norm (an SVD) at every lag."""
    P = np.eye(W.shape[0])
    s = 0.0
    out = []
    for k in range(D.shape[0]):
        P = (P * D[-1 - k]) @ W
        c = np.linalg.norm(P)
        P /= c
        s += np.log(c)
        out.append(s + np.log(np.linalg.norm(P, 2)))
    return out


def main() -> None:
    p = parser(__doc__, n=256, steps=1000)
    p.add_argument("--gain", type=float, default=1.5)
    p.add_argument("--torch-steps", type=int, default=20,
                   help="T for the torch.autograd.functional.jacobian comparison")
    run_with_threads(run, p.parse_args())


def run(args: argparse.Namespace) -> None:
    n, T = args.n, args.steps
    net = ElmanNetwork.random(n, gain=args.gain, rng=0)
    traj = simulate(net, T, input_std=0.5, burn_in=100, rng=1)
    D, W = traj.diag_factors(), np.ascontiguousarray(traj.W_hh)
    print(f"n = {n}, T = {T}, gain {args.gain}, best of {args.repeats}, "
          f"{args.threads} BLAS thread(s)")

    t_chain = best(lambda: bare_chain(D, W), args.repeats)
    holder: dict[str, object] = {}

    def ours() -> None:
        holder["profile"] = lag_profile(traj, rng=0, n_threads=args.threads)

    t_ours = best(ours, args.repeats)
    prof = holder["profile"]
    t_svd = best(lambda: svd_every_lag(D, W), 1)
    ref = np.array(svd_every_lag(D, W))
    err = float(np.max(np.abs(ref - prof.log_norm_spectral)))  # type: ignore[attr-defined]
    print(f"bare chain                 {t_chain:8.3f} s")
    print(f"lag_profile (spectral)     {t_ours:8.3f} s   ratio to chain {t_ours / t_chain:6.2f}"
          "   (target <= 1.5)")
    print(f"SVD at every lag           {t_svd:8.3f} s   speed-up       {t_svd / t_ours:6.2f}"
          "   (target >= 4)")
    print(f"  exact SVDs used: {prof.n_exact_svd} of {T} lags; "  # type: ignore[attr-defined]
          f"max |log-norm - exact| = {err:.2e}, certified bound "
          f"{float(np.max(prof.spectral_error)):.1e}")  # type: ignore[attr-defined]
    try:
        import torch
    except ImportError:
        print("torch not installed: torch comparisons skipped")
        return
    torch.set_num_threads(args.threads)
    Dt, Wt = torch.from_numpy(D.copy()), torch.from_numpy(W.copy())

    def torch_chain() -> None:
        P = torch.eye(n, dtype=torch.float64)
        chunk = []
        for k in range(T):
            P = (P * Dt[-1 - k]) @ Wt
            P = P / torch.linalg.matrix_norm(P)
            chunk.append(P)
            if len(chunk) == 50 or k == T - 1:
                torch.linalg.svdvals(torch.stack(chunk))
                chunk = []

    t_torch = best(torch_chain, 1)
    print(f"torch chain + batched svdvals {t_torch:8.3f} s   speed-up {t_torch / t_ours:6.2f}")
    Ts = args.torch_steps
    small = simulate(net, Ts, input_std=0.5, rng=2)
    x = torch.from_numpy(small.x.copy())
    b = torch.from_numpy(net.b_h.copy())
    U = torch.from_numpy(net.W_xh.copy())
    H = torch.from_numpy(np.concatenate([small.h_0[None], small.h]))

    def run_from(h: torch.Tensor, start: int) -> torch.Tensor:
        for t in range(start, Ts):
            h = torch.tanh(Wt @ h + U @ x[t] + b)
        return h

    def autograd_per_lag() -> None:
        for L in range(1, Ts + 1):
            J = torch.autograd.functional.jacobian(lambda h, s=Ts - L: run_from(h, s),
                                                   H[Ts - L], vectorize=True)
            torch.linalg.matrix_norm(J, ord=2)

    t_auto = best(autograd_per_lag, 1)
    t_small = best(lambda: lag_profile(small, rng=0, n_threads=args.threads), args.repeats)
    print(f"autograd.functional.jacobian per lag, T = {Ts}: {t_auto:8.3f} s vs "
          f"lag_profile {t_small:.4f} s: speed-up {t_auto / t_small:8.1f}")


if __name__ == "__main__":
    main()
