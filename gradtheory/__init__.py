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
    ConvergenceError,
    GradTheoryError,
    InputTypeError,
    MissingDependencyError,
    RangeError,
    UnsafeFileError,
    ValidationError,
)
from .network import DEFAULT_GAINS, FORMS, INITS, ElmanNetwork, default_networks
from .notation import NOTATIONS, Notation, get_notation
from .plotting import (
    plot_contributions,
    plot_eigenvalues,
    plot_lag_profile,
    plot_lyapunov,
    plot_singular_values,
    plot_summary,
)
from .recurrent import RecurrentNetwork
from .report import Check, NetworkReport, Report, report
from .simulate import (
    LagProfile,
    LyapunovSpectrum,
    RateFit,
    TemporalContributions,
    Trajectory,
    clip_gradient,
    fit_rate,
    lag_profile,
    lyapunov,
    simulate,
    temporal_contributions,
)
from .spectral import (
    MeanFieldPrediction,
    SpectralReport,
    TrajectoryBound,
    TransientGrowth,
    bounds,
    critical_gain,
    mean_field,
    trajectory_bound,
    transient_growth,
)
from .symbolic import (
    Derivation,
    Verification,
    derive,
    exploding_condition,
    jacobian_bound,
    linear_conditions,
    vanishing_condition,
    verify,
)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "DEFAULT_GAINS",
    "FORMS",
    "INITS",
    "NOTATIONS",
    "Activation",
    "Check",
    "ConvergenceError",
    "Derivation",
    "ElmanNetwork",
    "GradTheoryError",
    "InputTypeError",
    "LagProfile",
    "LyapunovSpectrum",
    "MeanFieldPrediction",
    "MissingDependencyError",
    "NetworkReport",
    "Notation",
    "RangeError",
    "RateFit",
    "RecurrentNetwork",
    "Report",
    "SpectralReport",
    "TemporalContributions",
    "Trajectory",
    "TrajectoryBound",
    "TransientGrowth",
    "UnsafeFileError",
    "ValidationError",
    "Verification",
    "__version__",
    "bounds",
    "clip_gradient",
    "critical_gain",
    "default_networks",
    "derive",
    "exploding_condition",
    "fit_rate",
    "get_activation",
    "get_notation",
    "jacobian_bound",
    "lag_profile",
    "linear_conditions",
    "lyapunov",
    "mean_field",
    "plot_contributions",
    "plot_eigenvalues",
    "plot_lag_profile",
    "plot_lyapunov",
    "plot_singular_values",
    "plot_summary",
    "report",
    "simulate",
    "temporal_contributions",
    "trajectory_bound",
    "transient_growth",
    "vanishing_condition",
    "verify",
]
