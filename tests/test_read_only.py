"""Frozen means frozen (issue 11, defect 6): one ``replace`` behaviour for a network's
provenance, read-only global tables, read-only result arrays."""

import dataclasses
import importlib

import numpy as np
import pytest

from gradtheory import ElmanNetwork, report
from gradtheory.simulate import LagProfile, lag_profile, lyapunov, simulate, temporal_contributions
from gradtheory.spectral import trajectory_bound, transient_growth

# ------------------------------------------------------------------ network provenance
NET = ElmanNetwork.random(6, gain=0.7, init="orthogonal", rng=1)
OTHER = np.eye(6)

CHANGES = [
    ({"W_hh": OTHER}, ""),                                 # user weights now
    ({"h_0": np.ones(6)}, "orthogonal"),                   # same W_hh: same draw
    ({"W_hh": NET.W_hh.copy()}, "orthogonal"),             # same values: still the draw
    ({"W_hh": OTHER, "init": "identity"}, "identity"),     # an explicit claim
    ({"W_hh": OTHER, "name": "trained"}, ""),
]


@pytest.mark.parametrize(("changes", "init"), CHANGES)
def test_dataclasses_replace_and_the_method_agree(changes, init):
    by_function = dataclasses.replace(NET, **changes)
    by_method = NET.replace(**changes)
    assert by_function == by_method
    assert by_function.init == by_method.init == init
    assert by_function.summary() == by_method.summary()


def test_provenance_does_not_come_back_with_the_old_matrix():
    user = dataclasses.replace(NET, W_hh=OTHER)
    assert dataclasses.replace(user, W_hh=NET.W_hh).init == ""
    assert user.replace(W_hh=NET.W_hh).init == ""


def test_equal_networks_get_the_same_report_verdicts():
    # The case: the same new weights through either path used to disagree on whether
    # mean-field theory applies (init "gaussian" kept by one, reset by the other).
    net = ElmanNetwork.random(16, gain=1.0, rng=0).replace(h_0=np.ones(16))
    W = 0.9 * np.asarray(net.W_hh)
    a = report(dataclasses.replace(net, W_hh=W), n_steps=60)
    b = report(net.replace(W_hh=W), n_steps=60)
    verdicts = [[(c.name, c.status) for c in r.networks[0].checks] for r in (a, b)]
    assert verdicts[0] == verdicts[1]
    assert dict(verdicts[0])["mean_field_rms_rate"] == "not expected"


# ------------------------------------------------------------------ global tables
TABLES = [
    ("gradtheory.activations", "ACTIVATIONS"), ("gradtheory.network", "INITS"),
    ("gradtheory.network", "FORMS"), ("gradtheory.notation", "NOTATIONS"),
    ("gradtheory.simulate.lag", "ANCHORS"), ("gradtheory.symbolic.model", "PARAMS"),
    ("gradtheory.symbolic.model", "OUTPUTS"), ("gradtheory.symbolic.model", "LOSSES"),
    ("gradtheory.symbolic.model", "_OUTPUT_SCALAR"), ("gradtheory.symbolic.chain", "FACTOR_KINDS"),
    ("gradtheory.symbolic.oracle", "METHODS"), ("gradtheory.testing.plugin", "REGIMES"),
    ("gradtheory.testing.strategies", "_MEASURES"),
    ("gradtheory.spectral.meanfield", "_RANDOM_MATRIX"),
]


@pytest.mark.parametrize(("module", "name"), TABLES)
def test_global_tables_are_read_only(module, name):
    table = getattr(importlib.import_module(module), name)
    key = next(iter(table))
    with pytest.raises(TypeError):
        table[key] = table[key]
    with pytest.raises(TypeError):
        table["a new row"] = None
    with pytest.raises(AttributeError):
        table.pop(key)


# ------------------------------------------------------------------ result arrays
def _results():
    rng = np.random.default_rng(0)
    net = ElmanNetwork.random(20, gain=1.2, rng=0)
    traj = simulate(net, 30, input_std=0.5, rng=1)
    return {
        "LagProfile": lag_profile(traj, rng=0),
        "LyapunovSpectrum": lyapunov(net, 50, rng=0),
        "TemporalContributions": temporal_contributions(
            net, rng.standard_normal((10, 20)), np.zeros((10, 20))),
        "TrajectoryBound": trajectory_bound(net, traj.slope_arguments),
        "TransientGrowth": transient_growth(net.W_hh),
    }


RESULTS = _results()


def _arrays(value, path):
    if isinstance(value, np.ndarray):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _arrays(getattr(value, field.name), f"{path}.{field.name}")
    elif hasattr(value, "items"):
        for key, item in value.items():
            yield from _arrays(item, f"{path}[{key!r}]")


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_result_arrays_are_read_only(name):
    arrays = list(_arrays(RESULTS[name], name))
    assert arrays  # every one of these results holds arrays
    for path, array in arrays:
        assert not array.flags.writeable, path
        with pytest.raises(ValueError, match="read-only"):
            array[(0,) * array.ndim] = 0


def test_a_dict_of_arrays_becomes_a_read_only_mapping():
    tc = RESULTS["TemporalContributions"]
    with pytest.raises(TypeError):
        tc.contributions["W_hh"] = np.zeros(1)
    assert set(tc.gradient()) == set(tc.contributions)


def test_freezing_a_result_leaves_the_callers_arrays_alone():
    y = np.linspace(0.0, -1.0, 5)
    prof = LagProfile(lags=np.arange(1, 6), log_norm_spectral=y, log_norm_frobenius=y,
                      log_norm_direction=y, samples_spectral=y[None], samples_frobenius=y[None],
                      samples_direction=y[None], spectral_error=np.zeros(5), n_exact_svd=0,
                      anchor="final", final_times=(5,), n_hidden=3)
    assert not prof.log_norm_spectral.flags.writeable
    assert y.flags.writeable  # a read-only view, not a flag flipped on the caller's array
    y[0] = 1.0
