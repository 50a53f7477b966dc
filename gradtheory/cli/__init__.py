"""The ``gradtheory`` command: argument parsing and printing only, no analysis.

Each subcommand is one module of this package defining ``NAME``, ``SUMMARY``, ``EPILOG`` (with
an example), ``add_arguments(parser)`` and ``run(args, parser) -> exit code``; they are listed
once in :data:`SUBCOMMANDS`. Every subcommand follows one contract: ``--help`` with an example,
``--json`` for machine-readable output, exit code 0 on success, 1 when a check it was asked to
make fails, 2 on bad input with a one-line message on stderr (never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import GradTheoryError
from ._common import EXIT_BAD_INPUT, EXIT_OK, Parser

__all__ = ["SUBCOMMANDS", "build_parser", "main"]

#: Subcommand modules of this package, in the order ``--help`` lists them.
SUBCOMMANDS = ("report", "derive", "bounds", "simulate", "lyapunov", "network", "activations")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for the docs and the tests).

    Returns
    -------
    argparse.ArgumentParser
        The ``gradtheory`` parser with one subparser per entry of :data:`SUBCOMMANDS`.
    """
    parser = Parser(prog="gradtheory",
                    description="Explain, bound and measure vanishing and exploding gradients "
                                "in recurrent neural networks.",
                    epilog=("examples:\n"
                            "  gradtheory report                 # the main job\n"
                            "  gradtheory simulate --random 64 --gain 0.5 1 2 --input-std 1"),
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gradtheory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        cmd = sub.add_parser(module.NAME, help=module.SUMMARY, description=module.SUMMARY,
                             epilog=module.EPILOG,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        cmd.add_argument("--json", action="store_true", help="print one JSON document")
        module.add_arguments(cmd)
        cmd.set_defaults(handler=module.run, subparser=cmd)
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
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args, args.subparser))
    except BrokenPipeError:
        # The reader closed early (`gradtheory ... | head`): not an error of ours. Point stdout
        # at devnull so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (GradTheoryError, OSError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"gradtheory {args.command}: error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT
