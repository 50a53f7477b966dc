"""The ``gradtheory`` command: argument parsing and printing only, no analysis.

Every subcommand follows one contract: ``--help`` with an example, ``--json`` for machine-readable
output, exit code 0 on success, 1 when a check it was asked to make fails, 2 on bad input with a
one-line message on stderr (never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .activations import ACTIVATIONS
from .errors import GradTheoryError
from .network import FORMS, INITS, ElmanNetwork, default_networks

__all__ = ["main"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with a one-line error (no usage dump) and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer; got {text!r}")
    return value


def _number(minimum: float, strict: bool) -> Callable[[str], float]:
    bound = f"> {minimum:g}" if strict else f">= {minimum:g}"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number {bound}; got {text!r}") from None
        if not (value > minimum if strict else value >= minimum) or value != value \
                or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"expected a finite number {bound}; got {text!r}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer; got {text!r}") \
            from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a non-negative integer; got {text!r}")
    return value


def add_network_source(parser: argparse.ArgumentParser) -> None:
    """The shared ``(WEIGHTS_FILE | --random N --gain G)`` arguments of network subcommands."""
    group = parser.add_argument_group("network (default: the embedded 64-unit tanh networks)")
    group.add_argument("weights", nargs="?", metavar="WEIGHTS_FILE",
                       help="a .npz (gradtheory's format) or a PyTorch .pt/.pth state dict")
    group.add_argument("--random", type=_positive_int, metavar="N",
                       help="a random network with N hidden units")
    group.add_argument("--gain", type=_number(0.0, strict=True), nargs="+", metavar="G",
                       help="recurrent gain(s) g; with --random (default 1) or the defaults")
    group.add_argument("--init", choices=sorted(INITS), default="gaussian",
                       help="recurrent initialisation for --random (default gaussian)")
    group.add_argument("--activation", choices=sorted(ACTIVATIONS),
                       help="hidden nonlinearity (default tanh, or the file's)")
    group.add_argument("--form", choices=sorted(FORMS), default="elman",
                       help="recurrence form for --random (default elman)")
    group.add_argument("--n-input", type=_positive_int, metavar="M",
                       help="input size for --random (default: W_xh = I)")
    group.add_argument("--n-output", type=_positive_int, metavar="P",
                       help="output size for --random (default: W_y = I)")
    group.add_argument("--bias-std", type=_number(0.0, strict=False), default=0.0,
                       metavar="S", help="std of the random hidden bias (default 0)")
    group.add_argument("--seed", type=_seed, default=0, metavar="S",
                       help="random seed for --random (default 0)")
    group.add_argument("--prefix", help="for a state dict holding several RNNs: its key prefix")
    group.add_argument("--readout", metavar="PREFIX",
                       help="for a state dict: key prefix of an nn.Linear readout (e.g. fc)")


def networks_from_args(args: argparse.Namespace, parser: argparse.ArgumentParser
                       ) -> tuple[ElmanNetwork, ...]:
    """Build the networks the shared arguments describe (bad combinations exit with code 2)."""
    random_only = {"--init": args.init != "gaussian", "--form": args.form != "elman",
                   "--n-input": args.n_input is not None,
                   "--n-output": args.n_output is not None, "--bias-std": args.bias_std != 0.0}
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
        kwargs: dict[str, Any] = {} if args.gain is None else {"gains": tuple(args.gain)}
        return default_networks(activation=activation, rng=args.seed, **kwargs)
    return tuple(
        ElmanNetwork.random(args.random, gain=g, init=args.init, n_input=args.n_input,
                            n_output=args.n_output, bias_std=args.bias_std,
                            activation=activation, form=args.form, rng=args.seed)
        for g in (args.gain or [1.0]))


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _emit_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2)
    sys.stdout.write("\n")


# ---------------------------------------------------------------------- subcommands
def _cmd_network(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    networks = networks_from_args(args, parser)
    if args.save is not None and len(networks) != 1:
        parser.error(f"--save writes one network; got {len(networks)} (give one --gain)")
    saved = str(networks[0].save(args.save)) if args.save is not None else None
    summaries = [net.summary() for net in networks]
    if args.json:
        _emit_json({"networks": summaries, "saved": saved})
        return EXIT_OK
    for form in dict.fromkeys(s["form"] for s in summaries):
        print(f"{form} form: {FORMS[form]}")
    print(_table(("network", "activation", "gamma", "n", "m", "p", "rms gain"),
                 [(s["name"] or "(unnamed)", s["activation"], f"{s['gamma']:g}", s["n_hidden"],
                   s["n_input"], s["n_output"], f"{s['rms_gain']:.4f}") for s in summaries]))
    if saved is not None:
        print(f"saved {saved}")
    return EXIT_OK


def _cmd_activations(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    rows = [{"name": a.name, "gamma": a.gamma, "gamma_min": a.gamma_min,
             "sympy": str(a.symbolic(_symbol_z())), "kinks": list(a.kinks)}
            for a in ACTIVATIONS.values()]
    if args.json:
        _emit_json({"activations": rows})
        return EXIT_OK
    print(_table(("activation", "gamma = sup|f'|", "inf|f'|", "f(z)"),
                 [(r["name"], f"{r['gamma']:g}", f"{r['gamma_min']:g}", r["sympy"])
                  for r in rows]))
    print("\nVanishing is guaranteed when sigma_max(W_hh) < 1/gamma (Pascanu et al. 2013).")
    return EXIT_OK


def _symbol_z() -> Any:
    import sympy

    return sympy.Symbol("z", real=True)


_COMMANDS: dict[str, tuple[str, str, Callable[[argparse.Namespace, argparse.ArgumentParser],
                                              int]]] = {
    "network": (
        "build, load or convert a network and print its summary",
        "examples:\n  gradtheory network                          # the embedded defaults\n"
        "  gradtheory network --random 128 --gain 0.9 --init orthogonal --save w.npz\n"
        "  gradtheory network rnn_state_dict.pt --readout fc --save w.npz --json",
        _cmd_network),
    "activations": (
        "list the activation table with gamma = sup|f'|",
        "example:\n  gradtheory activations --json",
        _cmd_activations),
}


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for the docs and the tests)."""
    parser = _Parser(prog="gradtheory",
                     description="Explain, bound and measure vanishing and exploding gradients "
                                 "in recurrent neural networks.",
                     epilog="example:\n  gradtheory network --random 64 --gain 0.5 1 2",
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gradtheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (summary, epilog, handler) in _COMMANDS.items():
        cmd = sub.add_parser(name, help=summary, description=summary, epilog=epilog,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.set_defaults(handler=handler, subparser=cmd)
        cmd.add_argument("--json", action="store_true", help="print one JSON document")
        if name == "network":
            add_network_source(cmd)
            cmd.add_argument("--save", metavar="FILE",
                             help="write the network to FILE (.npz, loadable without pickle)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 check failed, 2 bad input).

    Parameters
    ----------
    argv : sequence of str or None, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, args.subparser))
    except (GradTheoryError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"gradtheory {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
