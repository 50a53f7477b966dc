"""``gradtheory network``: build, load or convert a network and print its summary."""

from __future__ import annotations

import argparse

from ..network import FORMS
from ._common import EXIT_OK, add_network_source, emit_json, networks_from_args, table

__all__: list[str] = []

NAME = "network"
SUMMARY = "build, load or convert a network and print its summary"
EPILOG = """examples:
  gradtheory network                          # the embedded default networks
  gradtheory network --random 128 --gain 0.9 --init orthogonal --save w.npz
  gradtheory network rnn_state_dict.pt --readout fc --save w.npz --json"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_source(parser)
    parser.add_argument("--save", metavar="FILE",
                        help="write the network to FILE (.npz, loadable without pickle)")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    networks = networks_from_args(args, parser)
    if args.save is not None and len(networks) != 1:
        parser.error(f"--save writes one network; got {len(networks)} (give one --gain)")
    saved = str(networks[0].save(args.save)) if args.save is not None else None
    summaries = [net.summary() for net in networks]
    if args.json:
        emit_json({"networks": summaries, "saved": saved})
        return EXIT_OK
    for form in dict.fromkeys(s["form"] for s in summaries):
        print(f"{form} form: {FORMS[form]}")
    print(table(("network", "activation", "gamma", "n", "m", "p", "rms gain"),
                [(s["name"] or "(unnamed)", s["activation"], f"{s['gamma']:g}", s["n_hidden"],
                  s["n_input"], s["n_output"], f"{s['rms_gain']:.4f}") for s in summaries]))
    if saved is not None:
        print(f"saved {saved}")
    return EXIT_OK
