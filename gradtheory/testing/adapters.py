"""What the assertions accept as a network: an ElmanNetwork, a recurrent matrix, a ``.npz`` or
PyTorch file, or a PyTorch ``nn.RNN`` (module or state dict)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

from .. import _validate
from ..activations import get_activation
from ..errors import InputTypeError
from ..network import ElmanNetwork

__all__ = ["as_network"]


def as_network(obj: Any, *, activation: str | None = None) -> ElmanNetwork:
    """Turn what a user holds into an :class:`~gradtheory.ElmanNetwork`.

    Parameters
    ----------
    obj : ElmanNetwork, array_like of shape (n, n), str, os.PathLike, torch.nn.Module or Mapping
        A network; its recurrent matrix W_hh (W_xh = W_y = I, no bias); a ``.npz``/``.pt``
        path (:meth:`ElmanNetwork.load`); a PyTorch ``nn.RNN`` or its state dict
        (:meth:`ElmanNetwork.from_torch`).
    activation : str or None, optional
        The hidden activation. For a matrix: default ``"tanh"``. For a file or a state dict:
        overrides what is stored. For a network: must agree with its own.

    Returns
    -------
    ElmanNetwork
        The network.

    Raises
    ------
    ValidationError
        On a bad matrix or file, or an activation that disagrees with the network's.
    InputTypeError
        On anything else.
    MissingDependencyError
        For a PyTorch object or file when torch is not installed.

    Examples
    --------
    >>> import numpy as np
    >>> as_network(0.5 * np.eye(3), activation="sigmoid").activation.name
    'sigmoid'
    """
    if isinstance(obj, ElmanNetwork):
        if activation is not None and get_activation(activation).name != obj.activation.name:
            raise _validate.fail("activation", f"the network's own {obj.activation.name!r} "
                                 "(or None)", repr(activation))
        return obj
    if isinstance(obj, str | os.PathLike):
        return ElmanNetwork.load(obj, activation=activation)
    if isinstance(obj, Mapping) or hasattr(obj, "state_dict"):
        return ElmanNetwork.from_torch(obj, activation=activation)
    if isinstance(obj, np.ndarray | list | tuple):
        return ElmanNetwork.from_arrays(obj, activation=activation or "tanh")
    raise _validate.fail("network", "an ElmanNetwork, a W_hh matrix, a .npz/.pt path or a "
                         "torch nn.RNN", _validate.describe(obj), cls=InputTypeError)
