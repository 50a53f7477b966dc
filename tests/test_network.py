"""ElmanNetwork: validation, freezing, initialisers' statistics, .npz round trips."""

import dataclasses
import zipfile

import numpy as np
import pytest

from gradtheory import (
    DEFAULT_GAINS,
    ElmanNetwork,
    UnsafeFileError,
    ValidationError,
    default_networks,
    get_activation,
)


def test_from_arrays_defaults_and_copies():
    W = np.array([[0.5, 0.1], [0.0, 0.5]])
    net = ElmanNetwork.from_arrays(W)
    W[0, 0] = 99.0  # the network holds its own copy
    assert net.W_hh[0, 0] == 0.5
    np.testing.assert_array_equal(net.W_xh, np.eye(2))
    np.testing.assert_array_equal(net.W_y, np.eye(2))
    for v in (net.b_h, net.b_y, net.h_0):
        np.testing.assert_array_equal(v, np.zeros(2))
    assert net.activation is get_activation("tanh")
    assert net.form == "elman"
    assert (net.n_hidden, net.n_input, net.n_output) == (2, 2, 2)


def test_ints_lists_and_float32_become_float64():
    net = ElmanNetwork.from_arrays([[1, 0], [0, 1]], W_y=np.ones((3, 2), dtype=np.float32))
    assert net.W_hh.dtype == np.float64
    assert net.W_y.dtype == np.float64
    assert net.n_output == 3
    assert net.b_y.shape == (3,)


def test_network_is_frozen_and_its_arrays_are_read_only():
    net = ElmanNetwork.random(4, rng=0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        net.W_hh = np.eye(4)  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        net.W_hh[0, 0] = 1.0


def test_equality_is_by_value_and_ignores_the_label():
    a = ElmanNetwork.random(5, gain=0.7, rng=3)
    b = a.replace(name="another label")
    assert a == b
    assert a != a.replace(activation="relu")
    assert a != a.replace(form="pascanu")
    assert a != a.replace(b_h=np.full(5, 0.1))
    with pytest.raises(TypeError):
        hash(a)


def test_gaussian_entries_have_variance_gain_squared_over_n():
    n, g = 300, 1.7
    W = ElmanNetwork.random(n, gain=g, rng=np.random.default_rng(11)).W_hh
    z = W.ravel() * np.sqrt(n) / g  # should be N(0, 1) samples, N = n^2 of them
    N = z.size
    # Sample mean ~ N(0, 1/N), sample variance ~ N(1, 2/N): 5 standard errors each.
    assert abs(z.mean()) < 5 / np.sqrt(N)
    assert abs(z.var() - 1) < 5 * np.sqrt(2 / N)


def test_orthogonal_has_all_singular_values_equal_to_gain():
    n, g = 40, 0.8
    W = ElmanNetwork.random(n, gain=g, init="orthogonal", rng=1).W_hh
    np.testing.assert_allclose(W @ W.T, g**2 * np.eye(n), atol=50 * n * np.finfo(float).eps)


def test_orthogonal_is_haar_distributed():
    # For Haar Q in O(n), n >= 2: E[tr Q] = 0 and E[(tr Q)^2] = 1 (Diaconis & Shahshahani 1994).
    # A QR without Mezzadri's sign fix is biased. Standard error of each mean over 3000 draws
    # is below 0.03; 0.12 is 4 of them.
    rng = np.random.default_rng(7)
    traces = np.array([np.trace(ElmanNetwork.random(4, init="orthogonal", rng=rng).W_hh)
                       for _ in range(3000)])
    assert abs(traces.mean()) < 0.12
    assert abs((traces**2).mean() - 1.0) < 0.12


def test_identity_init():
    net = ElmanNetwork.random(6, gain=0.9, init="identity", rng=0)
    np.testing.assert_array_equal(net.W_hh, 0.9 * np.eye(6))


def test_one_seed_at_several_gains_scales_one_matrix():
    weak, mid, strong = default_networks()
    assert DEFAULT_GAINS == (0.5, 1.0, 2.0)
    np.testing.assert_array_equal(strong.W_hh, 4 * weak.W_hh)  # powers of two: exact
    np.testing.assert_array_equal(mid.W_hh, 2 * weak.W_hh)
    assert all(net.n_hidden == 64 and net.activation.name == "tanh" for net in (weak, strong))
    assert strong.name == "gaussian(n=64, gain=2, seed=0)"


def test_optional_random_input_readout_and_bias():
    net = ElmanNetwork.random(10, n_input=3, n_output=2, bias_std=0.5, rng=0)
    assert net.W_xh.shape == (10, 3)
    assert net.W_y.shape == (2, 10)
    assert net.b_y.shape == (2,)
    assert np.all(net.b_h != 0)
    assert np.all(ElmanNetwork.random(10, rng=0).b_h == 0)


def test_rng_forms_and_no_global_state():
    # Reading the legacy global state is the point: gradtheory must never advance it.
    state = np.random.get_state()[1].copy()  # noqa: NPY002
    a = ElmanNetwork.random(8, rng=5)
    b = ElmanNetwork.random(8, rng=np.random.default_rng(5))
    assert a == b
    assert ElmanNetwork.random(8, rng=None) != a  # fresh entropy
    np.testing.assert_array_equal(np.random.get_state()[1], state)  # noqa: NPY002


def test_summary():
    net = ElmanNetwork.random(25, gain=1.3, init="orthogonal", activation="sigmoid",
                              form="pascanu", rng=0)
    s = net.summary()
    assert s["rms_gain"] == pytest.approx(1.3, rel=1e-12)  # ||gQ||_F / sqrt(n) = g exactly
    assert (s["activation"], s["gamma"], s["form"]) == ("sigmoid", 0.25, "pascanu")
    assert s["equation"].startswith("h_t = W_hh f(h_{t-1})")
    assert "sigmoid" in repr(net)
    assert "pascanu" in repr(net)


def test_init_records_provenance_and_new_weights_reset_it():
    net = ElmanNetwork.random(6, gain=0.7, init="orthogonal", rng=1)
    assert (net.init, net.summary()["init"]) == ("orthogonal", "orthogonal")
    assert ElmanNetwork.from_arrays(np.eye(3)).init == ""
    assert net.replace(h_0=np.ones(6)).init == "orthogonal"      # same W_hh: same draw
    assert net.replace(W_hh=np.eye(6)).init == ""                # user weights now
    assert net.replace(W_hh=np.eye(6), init="identity").init == "identity"
    with pytest.raises(ValueError, match=r"^`init` must be one of"):
        ElmanNetwork.from_arrays(np.eye(3), init="xavier")


# ------------------------------------------------------------------ .npz files
def test_npz_round_trip_keeps_everything(tmp_path):
    net = ElmanNetwork.random(7, gain=1.1, n_input=2, n_output=3, bias_std=0.2,
                              activation="relu", form="pascanu", rng=4)
    net = net.replace(h_0=np.linspace(-1, 1, 7))
    path = net.save(tmp_path / "net")
    assert path.name == "net.npz"
    back = ElmanNetwork.load(path)
    assert back == net
    assert (back.name, back.init) == (net.name, "gaussian")
    assert back.activation.name == "relu"
    assert back.form == "pascanu"


def test_npz_with_only_W_hh_and_an_activation_override(tmp_path):
    path = tmp_path / "w.npz"
    np.savez(path, W_hh=0.5 * np.eye(3))
    net = ElmanNetwork.load(path)
    assert net == ElmanNetwork.from_arrays(0.5 * np.eye(3))
    assert ElmanNetwork.load(path, activation="sigmoid").gamma == 0.25


def test_npz_holding_a_pickled_object_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, W_hh=np.array([{"payload": 1}, None], dtype=object))  # pickles the objects
    with pytest.raises(UnsafeFileError, match=r"^`path` must be a \.npz of plain numeric "
                                              r"arrays; got a pickled object array under 'W_hh'"):
        ElmanNetwork.load(path)


@pytest.mark.parametrize(("content", "message"), [
    ({"W_hh": np.eye(2), "W_hx": np.eye(2)}, "unknown key(s) W_hx"),
    ({"W_xh": np.eye(2)}, "a .npz holding `W_hh`"),
    ({"W_hh": np.ones((2, 3))}, "`W_hh` must be a square 2-D array; got shape (2, 3)."),
    ({"W_hh": np.eye(2), "activation": np.array("swish")}, "`activation` must be one of"),
])
def test_bad_npz_contents(tmp_path, content, message):
    path = tmp_path / "bad.npz"
    np.savez(path, **content)
    with pytest.raises(ValidationError) as info:
        ElmanNetwork.load(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unreadable_and_missing_files(tmp_path):
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip file")
    with pytest.raises(ValidationError, match=r"`path` must be a readable \.npz file"):
        ElmanNetwork.load(garbage)
    with pytest.raises(ValidationError, match="`path` must be an existing file"):
        ElmanNetwork.load(tmp_path / "missing.npz")
    text = tmp_path / "w.txt"
    text.write_text("1 0\n0 1\n")
    with pytest.raises(ValidationError, match=r"`path` must be a \.npz, \.pt or \.pth file"):
        ElmanNetwork.load(text)
    truncated = tmp_path / "truncated.npz"
    ElmanNetwork.random(3, rng=0).save(truncated)
    data = truncated.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValidationError, match="readable"):
        ElmanNetwork.load(truncated)
    assert not zipfile.is_zipfile(garbage)


def test_a_single_npy_array_renamed_npz_is_refused(tmp_path):
    path = tmp_path / "single.npz"
    with open(path, "wb") as fh:
        np.save(fh, np.eye(2))
    with pytest.raises(ValidationError, match=r"a \.npz archive of named arrays"):
        ElmanNetwork.load(path)
