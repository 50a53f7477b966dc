"""``gradtheory activations``: the activation table with gamma = sup|f'|."""

from __future__ import annotations

import argparse

import sympy

from ..activations import ACTIVATIONS
from ._common import EXIT_OK, emit_json, table

__all__: list[str] = []

NAME = "activations"
SUMMARY = "list the activation table with gamma = sup|f'|"
EPILOG = """example:
  gradtheory activations --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options beyond the common --json


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    z = sympy.Symbol("z", real=True)
    rows = [{"name": a.name, "gamma": a.gamma, "gamma_min": a.gamma_min,
             "sympy": str(a.symbolic(z)), "kinks": list(a.kinks)}
            for a in ACTIVATIONS.values()]
    if args.json:
        emit_json({"activations": rows})
        return EXIT_OK
    print(table(("activation", "gamma = sup|f'|", "inf|f'|", "f(z)"),
                [(r["name"], f"{r['gamma']:g}", f"{r['gamma_min']:g}", r["sympy"])
                 for r in rows]))
    print("\nVanishing is guaranteed when sigma_max(W_hh) < 1/gamma (Pascanu et al. 2013).")
    return EXIT_OK
