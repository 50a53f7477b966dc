"""The curated public API, pinned: a change here is a deliberate, reviewed change."""

import importlib
import pkgutil

import gradtheory

PUBLIC = [
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


def test_top_level_names_are_pinned():
    assert sorted(gradtheory.__all__) == sorted(PUBLIC)
    assert len(set(gradtheory.__all__)) == len(gradtheory.__all__)
    for name in PUBLIC:
        assert hasattr(gradtheory, name), name


def test_every_module_declares_all_and_its_names_exist():
    for info in pkgutil.walk_packages(gradtheory.__path__, "gradtheory."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        assert hasattr(module, "__all__"), f"{info.name} has no __all__"
        for name in module.__all__:
            assert hasattr(module, name), f"{info.name}.__all__ names missing {name}"
