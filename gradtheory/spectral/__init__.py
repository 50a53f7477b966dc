"""The spectral layer: what can be said about the gradients from the weights alone.

Spectra and norms (:mod:`.norms`), the Pascanu–Mikolov–Bengio conditions and bounds
(:mod:`.bounds`), the certified bound along a trajectory (:mod:`.trajectory`), non-normal
transient growth (:mod:`.transient`), the linearised rate's κ(V) tolerance (:mod:`.linear`) and
random-matrix and mean-field predictions (:mod:`.meanfield`). Quantities carry the symbolic
layer's names: ``rho``, ``sigma_max``, ``sigma_min``, ``gamma``, ``chi``. This layer never
imports ``symbolic/`` or ``simulate/``.
"""

from .bounds import SpectralReport, bounds
from .linear import eigenvector_condition, linear_rate_tolerance
from .meanfield import (
    MeanFieldPrediction,
    RandomMatrixPrediction,
    critical_gain,
    gaussian_expectation,
    mean_field,
    network_mean_field,
    random_matrix_prediction,
)
from .norms import (
    eigenvalues,
    largest_singular_value,
    singular_values,
    smallest_singular_value,
    spectral_radius,
)
from .trajectory import TrajectoryBound, trajectory_bound
from .transient import (
    KreissEstimate,
    TransientGrowth,
    kreiss_constant,
    power_norms,
    transient_growth,
)

__all__ = [
    "KreissEstimate",
    "MeanFieldPrediction",
    "RandomMatrixPrediction",
    "SpectralReport",
    "TrajectoryBound",
    "TransientGrowth",
    "bounds",
    "critical_gain",
    "eigenvalues",
    "eigenvector_condition",
    "gaussian_expectation",
    "kreiss_constant",
    "largest_singular_value",
    "linear_rate_tolerance",
    "mean_field",
    "network_mean_field",
    "power_norms",
    "random_matrix_prediction",
    "singular_values",
    "smallest_singular_value",
    "spectral_radius",
    "trajectory_bound",
    "transient_growth",
]
