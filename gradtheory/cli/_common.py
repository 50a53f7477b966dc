"""Shared pieces of the subcommands: argument types, the network-source arguments, printing."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from .. import _validate
from ..activations import ACTIVATIONS
from ..network import DEFAULT_GAINS, FORMS, INITS, ElmanNetwork, default_networks

__all__: list[str] = []  # private to the CLI

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def positive_int(text: str) -> int:
    """argparse type: an integer > 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}")
    return value


def nonnegative_int(text: str) -> int:
    """argparse type: an integer >= 0 (seeds, burn-in)."""
    try:
        return _validate.nonnegative_int(int(text), "value")
    except ValueError:  # not an integer, or negative (ValidationError is a ValueError)
        raise argparse.ArgumentTypeError(f"expected a non-negative integer; got {text!r}") \
            from None


def number(minimum: float, *, strict: bool) -> Callable[[str], float]:
    """argparse type: a finite float above ``minimum`` (strictly if ``strict``)."""
    bound = f"> {minimum:g}" if strict else f">= {minimum:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number {bound}; got {text!r}") from None
        finite = value == value and value not in (float("inf"), float("-inf"))
        if not finite or not (value > minimum if strict else value >= minimum):
            raise argparse.ArgumentTypeError(f"expected a finite number {bound}; got {text!r}")
        return value

    return parse


def add_network_source(parser: argparse.ArgumentParser) -> None:
    """The shared ``(WEIGHTS_FILE | --random N --gain G)`` arguments of network subcommands."""
    group = parser.add_argument_group("network (default: the embedded 64-unit tanh networks)")
    group.add_argument("weights", nargs="?", metavar="WEIGHTS_FILE",
                       help="a .npz (gradtheory's format) or a PyTorch .pt/.pth state dict")
    group.add_argument("--random", "--n", type=positive_int, metavar="N",
                       help="random networks with N hidden units (one per gain)")
    group.add_argument("--gain", type=number(0.0, strict=True), nargs="+", metavar="G",
                       help="recurrent gain(s) g; with --random (default 1) or the defaults")
    group.add_argument("--init", choices=sorted(INITS), default="gaussian",
                       help="recurrent initialisation for --random (default gaussian)")
    group.add_argument("--activation", choices=sorted(ACTIVATIONS),
                       help="hidden nonlinearity (default tanh, or the file's)")
    group.add_argument("--form", choices=sorted(FORMS), default="elman",
                       help="recurrence form for --random (default elman)")
    group.add_argument("--n-input", type=positive_int, metavar="M",
                       help="input size for --random (default: W_xh = I)")
    group.add_argument("--n-output", type=positive_int, metavar="P",
                       help="output size for --random (default: W_y = I)")
    group.add_argument("--bias-std", type=number(0.0, strict=False), default=0.0,
                       metavar="S", help="std of the random hidden bias (default 0)")
    group.add_argument("--seed", type=nonnegative_int, default=0, metavar="S",
                       help="random seed of --random and of the default networks' weights; "
                            "generated inputs come from an independent stream spawned from it "
                            "(default 0)")
    group.add_argument("--prefix", help="for a state dict holding several RNNs: its key prefix")
    group.add_argument("--readout", metavar="PREFIX",
                       help="for a state dict: key prefix of an nn.Linear readout (e.g. fc)")


def input_stream(args: argparse.Namespace) -> np.random.Generator:
    """The generated inputs' randomness: a child stream of ``--seed``, independent of the
    weights drawn from the seed itself, and the same for every network of one command."""
    return _validate.streams(args.seed, 1)[0]


def networks_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser, *,
                       gains: tuple[float, ...] = DEFAULT_GAINS, random_gains: Sequence[float]
                       = (1.0,)) -> tuple[ElmanNetwork, ...]:
    """Build the networks the shared arguments describe (bad combinations exit with code 2).

    ``gains`` are those of the default networks, ``random_gains`` those of ``--random N``,
    each when ``--gain`` is not given.
    """
    random_only = {flag: getattr(args, dest) != parser.get_default(dest)
                   for flag, dest in (("--init", "init"), ("--form", "form"),
                                      ("--n-input", "n_input"), ("--n-output", "n_output"),
                                      ("--bias-std", "bias_std"))}
    if args.weights is not None:
        if not Path(args.weights).is_file():
            parser.error(f"WEIGHTS_FILE must be an existing file; got {args.weights!r}")
        if args.random is not None:
            parser.error("give WEIGHTS_FILE or --random N, not both")
        misplaced = [flag for flag, given in random_only.items() if given]
        if args.gain is not None:
            misplaced.insert(0, "--gain")
        if misplaced:
            parser.error(f"{', '.join(misplaced)} applies only with --random, not WEIGHTS_FILE")
        return (ElmanNetwork.load(args.weights, activation=args.activation, prefix=args.prefix,
                                  readout=args.readout),)
    for flag, value in (("--prefix", args.prefix), ("--readout", args.readout)):
        if value is not None:
            parser.error(f"{flag} applies only to a PyTorch WEIGHTS_FILE")
    activation = args.activation or "tanh"
    if args.random is None:
        misplaced = [flag for flag, given in random_only.items() if given]
        if misplaced:
            parser.error(f"{', '.join(misplaced)} applies only with --random N")
        return default_networks(activation=activation, rng=args.seed,
                                gains=tuple(args.gain or gains))
    return tuple(
        ElmanNetwork.random(args.random, gain=g, init=args.init, n_input=args.n_input,
                            n_output=args.n_output, bias_std=args.bias_std,
                            activation=activation, form=args.form, rng=args.seed)
        for g in (args.gain or random_gains))


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain left-aligned text table with a dashed rule under the header."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout (NaN is refused: JSON has no NaN)."""
    json.dump(document, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")
