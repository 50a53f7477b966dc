"""``gradtheory bounds``: spectral conditions, bounds and verdicts from W_hh alone.

For random networks (``--random N --gain G`` or the embedded defaults, Gaussian or orthogonal
initialisation) it adds the random-matrix predictions (at the nominal gain) and the mean-field
predictions of :func:`~gradtheory.spectral.network_mean_field`, the function ``gradtheory report``
calls: at the realised gain ||W_hh||_F / sqrt(n), input drive and bias of each network,
so both commands print the same χ. ``--input-std`` is the std of the i.i.d. Gaussian input, as in
``gradtheory report`` (the bounds themselves do not depend on inputs).
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ..network import DEFAULT_GAINS
from ..spectral.bounds import bounds
from ..spectral.meanfield import network_mean_field, random_matrix_prediction
from ._common import (
    EXIT_OK,
    add_network_source,
    emit_json,
    networks_from_args,
    number,
    positive_int,
    table,
)

__all__: list[str] = []

NAME = "bounds"
SUMMARY = "spectral conditions, bounds and verdicts from W_hh alone (plus mean-field predictions)"
EPILOG = """examples:
  gradtheory bounds --random 200 --gain 0.4 --activation tanh --json
  gradtheory bounds --random 500 --gain 1.5 --input-std 0.5 --init orthogonal
  gradtheory bounds weights.npz"""

_MEAN_FIELD_INITS = ("gaussian", "orthogonal")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_network_source(parser)
    parser.add_argument("--input-std", type=number(0.0, strict=False), default=None,
                        metavar="S", help="std of the i.i.d. Gaussian input, for the mean-field "
                                          "predictions of random networks (default 0)")
    parser.add_argument("--max-power", type=positive_int, default=None, metavar="K",
                        help="horizon of ||W^k|| for the transient peak (default 100 for n <= 500, "
                             "else 10)")


def _fmt(x: Any) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.4g}" if math.isfinite(x) else str(x)
    return str(x)


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.weights is not None and args.input_std is not None:
        parser.error("--input-std applies only with --random N or the default networks")
    networks = networks_from_args(args, parser)
    if args.weights is None:
        gains: list[float | None] = list(args.gain or ([1.0] if args.random else DEFAULT_GAINS))
        init = args.init if args.random is not None else "gaussian"
    else:
        gains, init = [None] * len(networks), "file"
    entries = []
    for net, g in zip(networks, gains, strict=True):
        entry: dict[str, Any] = {"name": net.name, **bounds(net, max_power=args.max_power)
                                 .to_dict()}
        if g is not None and init in _MEAN_FIELD_INITS:
            entry["random_matrix"] = random_matrix_prediction(g, init=init).to_dict()
            entry["mean_field"] = network_mean_field(
                net, input_std=args.input_std or 0.0).to_dict()
        entries.append(entry)
    if args.json:
        emit_json({"networks": entries})
        return EXIT_OK
    print(table(("network", "activation", "gamma", "rho", "sigma_max", "sigma_min",
                 "gamma*sigma_max", "max ||W^k||", "regime"),
                [(e["name"] or "(unnamed)", e["activation"], _fmt(e["gamma"]),
                  _fmt(e["spectral_radius"]), _fmt(e["sigma_max"]), _fmt(e["sigma_min"]),
                  _fmt(e["gamma"] * e["sigma_max"]), _fmt(e["max_transient_gain"]),
                  e["regime"]) for e in entries]))
    print()
    for e in entries:
        print(f"{e['name'] or '(unnamed)'}: {e['verdict']}")
    with_mf = [e for e in entries if "mean_field" in e]
    if with_mf:
        print()
        print(f"mean field (input std {args.input_std or 0.0:g}, bias std {args.bias_std:g}):")
        print(table(("network", "pred. rho", "pred. sigma_max", "q_star", "chi", "lyapunov_max",
                     "timescale", "critical_gain", "regime"),
                    [(e["name"], _fmt(e["random_matrix"]["rho"]),
                      _fmt(e["random_matrix"]["sigma_max"]), _fmt(e["mean_field"]["q_star"]),
                      _fmt(e["mean_field"]["chi"]), _fmt(e["mean_field"]["lyapunov_max"]),
                      _fmt(e["mean_field"]["timescale"]),
                      _fmt(e["mean_field"]["critical_gain"]), e["mean_field"]["regime"])
                     for e in with_mf]))
    return EXIT_OK
