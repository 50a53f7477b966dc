"""The predicted-vs-measured rows against independent references: norms of explicit Jacobian
products, the eigen-decomposition bound on matrix powers, and seeds the tolerances never saw."""

import dataclasses
import math

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.report import REPORT_GAINS, mean_field_tolerance
from gradtheory.report.checks import CHECKS, Evidence, run_checks

EPS = np.finfo(float).eps


def _evidence(nr, **changes):
    return Evidence(network=nr.network, spectral=nr.spectral, mean_field=nr.mean_field,
                    profile=changes.get("profile", nr.profile), fit_spectral=nr.fit_spectral,
                    fit_frobenius=nr.fit_frobenius, lyapunov=nr.lyapunov,
                    trajectory_bound=nr.trajectory_bound,
                    slopes=changes.get("slopes", np.ones((1, 1))))


def _row(nr, name):
    return next(c for c in nr.checks if c.name == name)


def test_rows_come_in_table_order_with_their_kinds(small_report):
    for nr in small_report.networks:
        assert [(c.name, c.kind) for c in nr.checks] == [(n, k) for n, k, _ in CHECKS]


def test_certified_rows_against_explicit_jacobian_products():
    net = gt.ElmanNetwork.random(6, gain=2.5, rng=3)
    T = 40
    r = gt.report(net, n_steps=T, rng=3)
    nr = r[0]
    # The report's own draw: the first child stream of its seed (independent of the weights).
    X = 1.0 * np.random.default_rng(np.random.SeedSequence(3).spawn(1)[0]).standard_normal((T, 6))
    traj = gt.simulate(net, T, inputs=X)
    J = [traj.jacobian(t) for t in range(1, T + 1)]
    # ln||P_L||_2 for P_L = J_T ... J_{T-L+1}, by plain products and SVDs.
    P, logs = np.eye(6), []
    for L in range(1, T + 1):
        P = P @ J[T - L]
        logs.append(math.log(np.linalg.norm(P, 2)))
    step = [math.log(np.linalg.norm(Ji, 2)) for Ji in J]
    sigma = np.linalg.norm(net.W_hh, 2)
    g = _row(nr, "global_bound")
    assert g.status == "pass"
    assert g.predicted == pytest.approx(g.lag * math.log(sigma), rel=1e-12)
    assert g.measured == pytest.approx(logs[g.lag - 1], abs=1e-9)
    tb = _row(nr, "trajectory_bound")
    assert tb.status == "pass"
    assert tb.lag >= 2   # L = 1 is an equality and says nothing
    assert tb.predicted == pytest.approx(sum(step[T - tb.lag:]), rel=1e-12)
    assert tb.measured == pytest.approx(logs[tb.lag - 1], abs=1e-9)
    ly = _row(nr, "lyapunov_bound")
    assert ly.status == "pass"
    assert ly.predicted == pytest.approx(np.mean(step), rel=1e-12)
    # Every lag really is below both bounds (the theorem, checked without the report).
    assert all(logs[L - 1] <= L * math.log(sigma) + 1e-12 for L in range(1, T + 1))
    assert all(logs[L - 1] <= sum(step[T - L:]) + 1e-12 for L in range(1, T + 1))


def test_a_measurement_above_a_bound_fails(small_report):
    nr = small_report[0]
    prof = nr.profile
    lifted = dataclasses.replace(prof, samples_spectral=prof.samples_spectral + 1.0)
    rows = {c.name: c for c in run_checks(_evidence(nr, profile=lifted))}
    assert rows["global_bound"].status == "fail"
    assert rows["trajectory_bound"].status == "fail"
    assert rows["trajectory_bound"].lag == 1   # a failure is shown where it happens
    assert rows["global_bound"].failed


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_default_networks_hold_every_bound_and_match_every_expected_estimate(seed):
    # Seeds other than the report's own 0: the tolerances were calibrated on seeds 0..7 with
    # independent inputs, so these networks and inputs are new to them.
    nets = gt.default_networks(gains=REPORT_GAINS, rng=seed)
    r = gt.report(nets, rng=seed)
    assert r.passed
    for nr in r.networks:
        for c in nr.checks:
            if c.kind == "certified":
                assert c.status == "pass", (nr.label, c)
            elif c.expected:
                assert c.status == "match", (nr.label, c)
        # Mean field is expected for these random tanh networks; the linearisation is not
        # (units saturate under unit input).
        assert _row(nr, "mean_field_lyapunov").expected
        assert not _row(nr, "linear_rate").expected


def test_linear_regime_row_matches_log_rho_within_the_kappa_bound():
    # Zero input, zero state: tanh' = 1 all along, so J_t = W exactly.
    net = gt.ElmanNetwork.random(16, gain=0.9, rng=2)
    r = gt.report(net, n_steps=400, input_std=0.0, rng=0)
    row = _row(r[0], "linear_rate")
    rho = max(abs(np.linalg.eigvals(net.W_hh)))
    assert row.expected
    assert row.status == "match"
    assert row.predicted == pytest.approx(math.log(rho), rel=1e-12)
    # Independent check of the bound the tolerance rests on: 0 <= ln||W^L|| - L ln rho <=
    # ln kappa(V), with kappa from the eigenvectors.
    _, V = np.linalg.eig(net.W_hh)
    kappa = np.linalg.cond(V)
    for L in (1, 5, 20, 80):
        gap = math.log(np.linalg.norm(np.linalg.matrix_power(net.W_hh, L), 2)) - L * math.log(rho)
        assert -1e-9 <= gap <= math.log(kappa) + 1e-9
    # No input, no bias, no state: mean field's attracting fixed point is not where h sits.
    mf = _row(r[0], "mean_field_lyapunov")
    assert mf.status == "not expected"
    assert "fixed point 0" in mf.reason


def test_identity_activation_is_linear_at_any_input():
    net = gt.ElmanNetwork.random(10, gain=0.8, activation="identity", rng=4)
    row = _row(gt.report(net, n_steps=300, rng=1)[0], "linear_rate")
    assert (row.expected, row.status) == (True, "match")


@pytest.mark.parametrize(("make", "words"), [
    (lambda: gt.ElmanNetwork.from_arrays(0.3 * np.eye(8) + 0.1), "not an i.i.d. random draw"),
    (lambda: gt.ElmanNetwork.random(8, gain=1.0, activation="sigmoid", rng=0), "not odd"),
    (lambda: gt.ElmanNetwork.random(8, gain=0.8, rng=0).replace(W_hh=np.eye(8) * 0.5),
     "user or trained weights"),
])
def test_mean_field_is_not_expected_where_its_assumptions_fail(make, words):
    nr = gt.report(make(), n_steps=100)[0]
    for name in ("mean_field_rms_rate", "mean_field_lyapunov"):
        row = _row(nr, name)
        assert row.status == "not expected"
        assert words in row.reason


def test_mean_field_tolerance_formula():
    assert mean_field_tolerance(64, 1000) == pytest.approx(4 / 64 + 0.5 / 8, rel=1e-15)
    assert mean_field_tolerance(64, 250) == pytest.approx(2 * mean_field_tolerance(64, 1000))
    assert mean_field_tolerance(64, 5000) == mean_field_tolerance(64, 1000)


def test_rows_serialise_without_nan(small_report):
    for _, c in small_report.checks:
        d = c.to_dict()
        assert set(d) == {"name", "title", "kind", "predicted", "measured", "difference",
                          "tolerance", "expected", "status", "reason", "lag"}
        assert all(not (isinstance(v, float) and not math.isfinite(v)) for v in d.values())
