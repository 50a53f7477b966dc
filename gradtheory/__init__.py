"""gradtheory: explain, bound and measure vanishing and exploding gradients in RNNs.

The shared core is re-exported here; see ``ARCHITECTURE.md`` for the layers built on it.

Examples
--------
>>> import gradtheory as gt
>>> net = gt.ElmanNetwork.random(32, gain=0.9, rng=0)
>>> net.gamma, net.activation.name
(1.0, 'tanh')
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .errors import (
    GradTheoryError,
    InputTypeError,
    MissingDependencyError,
    UnsafeFileError,
    ValidationError,
)
from .network import DEFAULT_GAINS, FORMS, INITS, ElmanNetwork, default_networks
from .notation import NOTATIONS, Notation, get_notation

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_GAINS",
    "FORMS",
    "INITS",
    "NOTATIONS",
    "Activation",
    "ElmanNetwork",
    "GradTheoryError",
    "InputTypeError",
    "MissingDependencyError",
    "Notation",
    "UnsafeFileError",
    "ValidationError",
    "__version__",
    "default_networks",
    "get_activation",
    "get_notation",
]
