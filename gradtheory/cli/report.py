"""``gradtheory report``: derivation, prediction and measurement side by side (the main job)."""

from __future__ import annotations

import argparse

from ..report import REPORT_GAINS, report
from ._common import (
    EXIT_CHECK_FAILED,
    EXIT_OK,
    add_network_source,
    emit_json,
    networks_from_args,
    number,
    positive_int,
)

__all__: list[str] = []

NAME = "report"
SUMMARY = "derive, bound and measure the gradients of each network; compare prediction and " \
          "measurement"
_GAINS = " ".join(f"{g:g}" for g in REPORT_GAINS)
EPILOG = f"""examples:
  gradtheory report                       # the embedded 64-unit networks, gains {_GAINS}
  gradtheory report --n 128 --gain 0.9 2.5 --steps 2000 --out results/
  gradtheory report trained_rnn.pt --readout fc --input-std 0.5 --json

Certified bounds must hold on the measurement (exit code 1 if one fails); estimates (mean field,
linearisation) carry a tolerance and say why when they are not expected to match.
--out DIR writes report.json, report.tex, derivation_<param>.tex and the figures (PNG and SVG)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_source(parser)
    parser.add_argument("--steps", type=positive_int, default=1000, metavar="T",
                        help="steps to simulate, at least 3 (default 1000)")
    parser.add_argument("--input-std", type=number(0.0, strict=False), default=1.0,
                        metavar="S", help="std of the i.i.d. Gaussian input (default 1)")
    parser.add_argument("--out", metavar="DIR",
                        help="write the figures, the LaTeX documents and report.json to DIR")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress bar (it is shown on a terminal only, and only with "
                             "the progress extra: pip install 'gradtheory[progress]')")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.steps < 3:
        parser.error(f"--steps must be at least 3 (a rate needs 3 lags); got {args.steps}")
    networks = networks_from_args(args, parser, gains=REPORT_GAINS, random_gains=REPORT_GAINS)
    result = report(networks, n_steps=args.steps, input_std=args.input_std,
                    rng=args.seed, progress=not args.quiet)
    written = result.write(args.out, progress=not args.quiet) if args.out is not None else ()
    if args.json:
        emit_json(result.to_dict())
    else:
        print(result.to_text())
        if written:
            print(f"\nwrote {len(written)} files to {args.out}: "
                  + ", ".join(p.name for p in written))
    return EXIT_OK if result.passed else EXIT_CHECK_FAILED
