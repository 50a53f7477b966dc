"""``gradtheory lyapunov``: the Lyapunov spectrum of a network's trajectory (QR method)."""

from __future__ import annotations

import argparse
import math
from typing import Any

from ..simulate import lyapunov
from ._common import (
    EXIT_OK,
    add_network_source,
    emit_json,
    input_stream,
    networks_from_args,
    nonnegative_int,
    number,
    positive_int,
    table,
)

__all__: list[str] = []

NAME = "lyapunov"
SUMMARY = "Lyapunov exponents of a network's trajectory (Benettin's QR method)"
EPILOG = """examples:
  gradtheory lyapunov --random 64 --gain 2 --steps 2000 --k 5
  gradtheory lyapunov w.npz --input-std 0.5 --json

lambda_max > 0: perturbations (and backpropagated gradients) grow; < 0: they vanish."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_source(parser)
    parser.add_argument("--steps", type=positive_int, default=1000, metavar="T",
                        help="steps accumulated (default 1000)")
    parser.add_argument("--k", type=positive_int, metavar="K",
                        help="number of exponents (default all n)")
    parser.add_argument("--input-std", type=number(0.0, strict=False), default=0.0,
                        metavar="S", help="std of the i.i.d. Gaussian input (default 0)")
    parser.add_argument("--burn-in", type=nonnegative_int, default=100, metavar="B",
                        help="steps run before accumulating (default 100)")


def _fmt(x: float | None) -> str:
    return "-inf" if x is None or not math.isfinite(x) else f"{x:.4f}"


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    networks = networks_from_args(args, parser)
    if args.k is not None and any(args.k > net.n_hidden for net in networks):
        parser.error(f"--k must be at most the number of hidden units; got {args.k}")
    blocks = min(10, args.steps)
    results: list[dict[str, Any]] = []
    for net in networks:
        spec = lyapunov(net, args.steps, k=args.k, input_std=args.input_std,
                        burn_in=args.burn_in, n_blocks=blocks, rng=input_stream(args))
        results.append({"network": net.summary(), **spec.to_dict()})
    if args.json:
        emit_json({"steps": args.steps, "input_std": args.input_std, "burn_in": args.burn_in,
                   "results": results})
        return EXIT_OK
    print(f"Lyapunov exponents per step, T = {args.steps}, input std {args.input_std:g}")
    rows = []
    for r in results:
        top = ", ".join(_fmt(x) for x in r["exponents"][:5])
        more = " ..." if len(r["exponents"]) > 5 else ""
        rows.append((r["network"]["name"] or "(unnamed)", _fmt(r["lyapunov_max"]),
                     f"{r['stderr'][0]:.1e}" if r["stderr"][0] is not None else "-",
                     top + more))
    print(table(("network", "lambda_max", "stderr", "exponents"), rows))
    return EXIT_OK
