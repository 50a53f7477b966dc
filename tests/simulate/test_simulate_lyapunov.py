"""lyapunov(): Benettin's QR method against eigenvalues, the determinant identity, and itself
(top-k vs all, batch vs single, re-orthonormalisation interval)."""

import json

import numpy as np
import pytest

from gradtheory import ElmanNetwork, ValidationError
from gradtheory.simulate import lyapunov


def _symmetric(moduli, seed):
    """A symmetric W with eigenvalues ±moduli (distinct moduli: a well-separated spectrum)."""
    rng = np.random.default_rng(seed)
    V = np.linalg.qr(rng.standard_normal((len(moduli), len(moduli))))[0]
    signs = rng.choice([-1.0, 1.0], len(moduli))
    return V @ np.diag(signs * np.asarray(moduli)) @ V.T


def test_linear_network_gives_log_moduli_of_the_eigenvalues():
    moduli = np.array([1.3, 1.0, 0.8, 0.6, 0.45, 0.3])
    W = _symmetric(moduli, 0)
    net = ElmanNetwork.from_arrays(W, activation="identity")
    spec = lyapunov(net, 400, burn_in=300, input_std=1.0, rng=1)
    # After 300 burn-in steps the frame is aligned to within exp(-300 * min log-gap) ~ 1e-34;
    # then each step's |R_ii| is exactly |mu_i| up to rounding.
    np.testing.assert_allclose(spec.exponents, np.log(moduli), atol=1e-10)
    assert spec.lyapunov_max == pytest.approx(np.log(1.3), abs=1e-10)


def test_contracting_tanh_network_at_rest_gives_log_eigenvalue_moduli():
    # g < 1, zero input, h_0 = 0: the state stays 0, so J_t = W exactly. A Gaussian W has
    # complex pairs; the QR method still gives log|mu| for each (sorted), with an O(1/T) error.
    net = ElmanNetwork.random(8, gain=0.7, rng=2)
    spec = lyapunov(net, 4000, burn_in=500)
    expected = np.sort(np.log(np.abs(np.linalg.eigvals(net.W_hh))))[::-1]
    # Within a complex pair, the split of the two rates converges only as O(1/T); the pair's
    # sum and everything else are much closer. 4000 steps: a few 1e-3 at worst.
    np.testing.assert_allclose(spec.exponents, expected, atol=5e-3)
    assert spec.exponents.sum() == pytest.approx(expected.sum(), abs=1e-9)


@pytest.mark.parametrize("form", ["elman", "pascanu"])
def test_sum_of_exponents_is_the_mean_log_determinant(form):
    net = ElmanNetwork.random(12, gain=1.8, form=form, rng=3)
    spec = lyapunov(net, 800, burn_in=50, input_std=0.5, rng=4)
    # An exact identity: prod |det R_s| = |det(J_T ... J_1)|; only rounding differs.
    assert spec.exponents.sum() == pytest.approx(spec.mean_log_det, rel=1e-10)


def test_top_k_equals_the_first_k_of_the_full_spectrum():
    net = ElmanNetwork.random(10, gain=1.5, rng=5)
    full = lyapunov(net, 500, burn_in=20, input_std=0.3, rng=6)
    top = lyapunov(net, 500, burn_in=20, input_std=0.3, rng=6, k=3)
    # QR of the first k columns of a frame is the first k columns of its QR: rounding only.
    np.testing.assert_allclose(top.exponents, full.exponents[:3], atol=1e-12)


def test_reortho_interval_does_not_change_the_result():
    net = ElmanNetwork.random(6, gain=1.2, rng=7)
    every = lyapunov(net, 600, input_std=0.5, rng=8)
    fifth = lyapunov(net, 600, input_std=0.5, rng=8, reortho=5)
    # diag(R_5 ... R_1) = prod diag(R_s): the same numbers in exact arithmetic.
    np.testing.assert_allclose(fifth.exponents, every.exponents, atol=1e-12)


def test_batch_equals_single_runs_and_diagnostics_converge():
    nets = [ElmanNetwork.random(6, gain=g, rng=9) for g in (0.8, 1.6)]
    X = np.random.default_rng(10).standard_normal((2, 1200, 6))
    batch = lyapunov(nets, 1000, burn_in=200, inputs=X)
    for b, net in enumerate(nets):
        one = lyapunov(net, 1000, burn_in=200, inputs=X[b])
        np.testing.assert_allclose(batch.exponents_batch[b], one.exponents, atol=1e-12)
        # The last running estimate is the final one (sorted alike).
        np.testing.assert_allclose(one.running[-1], one.exponents, atol=1e-12)
        assert np.all(one.stderr > 0)
        assert np.all(np.isfinite(one.stderr))
    np.testing.assert_allclose(batch.exponents, batch.exponents_batch.mean(axis=0), atol=1e-15)
    assert batch.block_exponents.shape == (2, 10, 6)


def test_to_dict_is_json_ready_even_with_minus_infinity():
    dead = ElmanNetwork.from_arrays(np.eye(2), activation="relu", b_h=-np.ones(2))
    doc = json.loads(json.dumps(lyapunov(dead, 20).to_dict(), allow_nan=False))
    assert doc["exponents"] == [None, None]
    assert doc["lyapunov_max"] is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"k": 7}, "`k` must be a number of exponents in 1..6; got 7."),
    ({"n_blocks": 50}, "`n_blocks` must be at most the 10 QR steps; got 50."),
    ({"reortho": 0}, "`reortho` must be a positive integer; got 0."),
    ({"burn_in": -1}, "`burn_in` must be a non-negative integer; got -1."),
])
def test_bad_input_gets_one_line_naming_the_argument(kwargs, message):
    with pytest.raises(ValidationError) as info:
        lyapunov(ElmanNetwork.random(6, rng=0), 10, **kwargs)
    assert str(info.value) == message
