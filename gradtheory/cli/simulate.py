"""``gradtheory simulate``: measure the lag profile of a network and fit its rate."""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

from ..plotting import FIGURE_SUFFIXES, plot_lag_profiles, save_figure
from ..simulate import ANCHORS, lag_profile
from ..spectral import bounds
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

NAME = "simulate"
SUMMARY = "simulate a network and measure ||dh_T/dh_{T-L}|| at every lag (log space)"
EPILOG = """examples:
  gradtheory simulate --random 64 --gain 0.9 --steps 1000 --input-std 0.5
  gradtheory simulate w.npz --steps 500 --json
  gradtheory simulate w.npz --anchor initial     # how fast h_0 is forgotten

The fitted rate is the per-step slope of log||dh_T/dh_{T-L}||_2 over lags past the transient;
"exponential: no" means the decay is closer to a power law and no rate is reported."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_source(parser)
    parser.add_argument("--steps", type=positive_int, default=1000, metavar="T",
                        help="steps to simulate; lags 1..T (default 1000)")
    parser.add_argument("--plot", metavar="FILE",
                        help="also draw the lag profiles with the global bounds and fitted rates "
                             "to FILE (.png, .svg or .pdf)")
    parser.add_argument("--input-std", type=number(0.0, strict=False), default=0.0,
                        metavar="S", help="std of the i.i.d. Gaussian input (default 0)")
    parser.add_argument("--burn-in", type=nonnegative_int, default=0, metavar="B",
                        help="discarded steps before t = 1 (default 0)")
    parser.add_argument("--anchor", choices=sorted(ANCHORS), default="final",
                        help="final: dh_T/dh_(T-L) (BPTT from a loss at T, default); "
                             "initial: dh_L/dh_0 (forgetting of the initial state)")


def _fmt(x: float | None) -> str:
    return "-" if x is None or not math.isfinite(x) else f"{x:.4g}"


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.plot is not None and Path(args.plot).suffix.lower() not in FIGURE_SUFFIXES:
        parser.error(f"--plot FILE must end in {', '.join(FIGURE_SUFFIXES)}; got {args.plot!r}")
    networks = networks_from_args(args, parser)
    results: list[dict[str, Any]] = []
    profiles = []
    for net in networks:
        prof = lag_profile(net, args.steps, input_std=args.input_std, burn_in=args.burn_in,
                           anchor=args.anchor, rng=input_stream(args))
        fit = prof.fit() if args.steps >= 3 else None
        profiles.append(prof)
        doc = {"network": net.summary(), **prof.to_dict()}
        doc.update(fit.to_dict() if fit is not None else
                   {"fitted_rate": None, "rate_ci": None, "exponential": None})
        results.append(doc)
    plotted = None
    if args.plot is not None:
        figure = plot_lag_profiles(profiles, bounds=[bounds(net) for net in networks],
                                   titles=[net.name or "(unnamed)" for net in networks])
        plotted = str(save_figure(figure, args.plot))
    if args.json:
        emit_json({"steps": args.steps, "input_std": args.input_std, "burn_in": args.burn_in,
                   "results": results, "plot": plotted})
        return EXIT_OK
    what = "dh_T/dh_(T-L)" if args.anchor == "final" else "dh_L/dh_0"
    print(f"lag profile log||{what}||_2, T = {args.steps}, input std {args.input_std:g}")
    rows = []
    for r in results:
        spec = r["log_norm_spectral"]
        ci = r["rate_ci"]
        rows.append((r["network"]["name"] or "(unnamed)", _fmt(spec[0]), _fmt(spec[-1]),
                     _fmt(r["fitted_rate"]),
                     "-" if ci is None else f"[{_fmt(ci[0])}, {_fmt(ci[1])}]",
                     {True: "yes", False: "no", None: "-"}[r["exponential"]]))
    print(table(("network", "log-norm L=1", f"log-norm L={args.steps}", "rate/step",
                 "95% CI", "exponential"), rows))
    if plotted is not None:
        print(f"figure written to {plotted}")
    return EXIT_OK
