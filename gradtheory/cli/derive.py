"""``gradtheory derive``: the structured BPTT gradient of one parameter, explained and checked."""

from __future__ import annotations

import argparse
import sys

from ..activations import ACTIVATIONS
from ..network import FORMS
from ..notation import NOTATIONS
from ..symbolic import derive, verify
from ..symbolic.model import LOSSES, OUTPUTS, PARAMS, UNDEFINED
from ._common import EXIT_CHECK_FAILED, EXIT_OK, emit_json, positive_int

__all__: list[str] = []

NAME = "derive"
SUMMARY = "derive dE_t/dtheta by the chain rule, count the factors that accumulate, explain"
EPILOG = """examples:
  gradtheory derive --param W_xh --steps 4 --notation ng --format text
  gradtheory derive --param W_hh --symbolic --format latex
  gradtheory derive --param W_y --steps 3 --loss cross_entropy --check --json
  gradtheory derive --param W_hh --steps 3 --format document > bptt.tex"""

FORMATS = ("text", "latex", "document", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param", required=True, choices=list(PARAMS),
                        help="the parameter theta to differentiate with respect to")
    horizon = parser.add_mutually_exclusive_group()
    horizon.add_argument("--steps", type=positive_int, metavar="T",
                         help="a concrete horizon T: every term of dE_T/dtheta written out")
    horizon.add_argument("--symbolic", action="store_true",
                         help="a symbolic horizon t (the default): one general term")
    parser.add_argument("--activation", choices=[*sorted(ACTIVATIONS), UNDEFINED],
                        default="tanh", help="hidden nonlinearity f (default tanh)")
    parser.add_argument("--output", choices=list(OUTPUTS),
                        help="output map g (default identity; softmax with cross_entropy)")
    parser.add_argument("--loss", choices=list(LOSSES), default="squared",
                        help="per-step loss (default squared)")
    parser.add_argument("--form", choices=sorted(FORMS), default="elman",
                        help="recurrence form (default elman)")
    parser.add_argument("--notation", choices=sorted(NOTATIONS), default="elman",
                        help="notation of the printed formulas (default elman)")
    parser.add_argument("--format", choices=FORMATS, default="text",
                        help="text (default), latex, a complete .tex document, or json")
    parser.add_argument("--check", action="store_true",
                        help="prove the result equal to sympy.diff of the scalar expansion "
                             "(n=2, m=1, p=2, T=min(T, 3)); exit 1 if it is not")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    output = args.output or ("softmax" if args.loss == "cross_entropy" else "identity")
    d = derive(args.param, n_steps=args.steps, activation=args.activation, output=output,
               loss=args.loss, form=args.form, notation=args.notation)
    check = verify(d, n_output=2, n_steps=min(d.n_steps or 3, 3)) if args.check else None
    code = EXIT_OK if check is None or check.verified else EXIT_CHECK_FAILED
    fmt = "json" if args.json else args.format
    if fmt == "json":
        document = d.to_dict()
        if check is not None:
            document["verified"] = check.verified
            document["check"] = check.to_dict()
        emit_json(document)
    elif fmt == "latex":
        print(d.to_latex())
    elif fmt == "document":
        print(d.document(), end="")
    else:
        print(d.to_text())
        print()
        print(d.explain())
        acc = d.accumulation.to_dict()
        print()
        print("factor counts by lag t-k = " + ", ".join(map(str, acc["lags"])) + ":")
        for weight, counts in acc["counts"].items():
            print(f"  {weight}: " + ", ".join(map(str, counts)))
    if check is not None and fmt != "json":
        verdict = "verified" if check.verified else "NOT verified"
        message = (f"check: {verdict} against sympy.diff ({check.method}, n={check.n_hidden}, "
                   f"m={check.n_input}, p={check.n_output}, T={check.n_steps})")
        print(message, file=sys.stderr if fmt == "document" else sys.stdout)
    return code
