"""Private helpers shared by the spectral modules: network unpacking and safe logs/exps."""

from __future__ import annotations

import math
from typing import Any

from .. import _validate
from ..activations import Activation, get_activation
from ..errors import ValidationError
from ..network import FORMS, ElmanNetwork
from .norms import as_matrix

__all__: list[str] = []  # private


def safe_log(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def safe_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def network_parts(W_hh_or_network: Any, activation: str | Activation | None,
                   form: str | None = None) -> tuple[Any, Activation, str]:
    """(matrix, activation row, form) from a network or a raw matrix.

    An explicit ``activation``/``form`` that disagrees with a network's is an error, not an
    override: the slopes must be those of the network whose gradients are bounded.
    """
    if isinstance(W_hh_or_network, ElmanNetwork):
        net = W_hh_or_network
        for name, given, own in (("activation", activation, net.activation.name),
                                 ("form", form, net.form)):
            if given is None:
                continue
            key = get_activation(given).name if name == "activation" else \
                _validate.choice(given, "form", FORMS)
            if key != own:
                raise ValidationError(f"`{name}` must match the network's {name} {own!r} "
                                      f"(or be omitted); got {key!r}.")
        return net.W_hh, net.activation, net.form
    act = get_activation("tanh" if activation is None else activation)
    return (as_matrix(W_hh_or_network),
            act, "elman" if form is None else _validate.choice(form, "form", FORMS))
