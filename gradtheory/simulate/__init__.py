"""The numeric simulator: forward runs, lag profiles, per-lag gradient contributions,
Lyapunov spectra and rate fits (NumPy/SciPy only; never imports ``symbolic`` or ``spectral``)."""

from .contributions import PARAMETERS, TemporalContributions, clip_gradient, temporal_contributions
from .fit import RateFit, fit_rate
from .forward import Trajectory, simulate
from .lag import ANCHORS, LagProfile, lag_profile
from .lyapunov import LyapunovSpectrum, lyapunov

__all__ = [
    "ANCHORS",
    "PARAMETERS",
    "LagProfile",
    "LyapunovSpectrum",
    "RateFit",
    "TemporalContributions",
    "Trajectory",
    "clip_gradient",
    "fit_rate",
    "lag_profile",
    "lyapunov",
    "simulate",
    "temporal_contributions",
]
