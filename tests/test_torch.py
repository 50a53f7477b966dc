"""PyTorch nn.RNN -> ElmanNetwork: exact weights, reproduced hidden states, safe loading."""

import sys

import numpy as np
import pytest

from gradtheory import ElmanNetwork, MissingDependencyError, UnsafeFileError, ValidationError


def test_missing_torch_gives_an_install_hint(monkeypatch, tmp_path):
    # Runs with or without torch: a None entry in sys.modules makes `import torch` fail.
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(MissingDependencyError, match=r"pip install torch==2\.13\.0"):
        ElmanNetwork.from_torch({})
    path = tmp_path / "w.pt"
    path.write_bytes(b"\x00")
    with pytest.raises(ImportError, match="torch"):
        ElmanNetwork.load(path)


torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch


def _rnn(n_in=3, n_hidden=5, *, nonlinearity="tanh", batch_first=False, gain=0.8, seed=0,
         **kwargs):
    """An nn.RNN in float64 with weights from a seeded NumPy Generator (no global torch seed)."""
    rnn = torch.nn.RNN(n_in, n_hidden, nonlinearity=nonlinearity, batch_first=batch_first,
                       **kwargs).double()
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in rnn.named_parameters():
            scale = gain / np.sqrt(n_hidden) if "weight" in name else 0.3
            p.copy_(torch.from_numpy(scale * rng.standard_normal(tuple(p.shape))))
    return rnn


def _numpy_states(net, x):
    """Plain NumPy Elman loop (until simulate/ exists): x (T, B, m) -> states (T, B, n)."""
    h = np.broadcast_to(net.h_0, (x.shape[1], net.n_hidden))
    states = []
    for x_t in x:
        h = net.activation.f(h @ net.W_hh.T + x_t @ net.W_xh.T + net.b_h)
        states.append(h)
    return np.stack(states)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_hidden_states_are_reproduced_in_float64(nonlinearity, batch_first):
    rnn = _rnn(nonlinearity=nonlinearity, batch_first=batch_first)
    net = ElmanNetwork.from_torch(rnn)
    assert net.activation.name == nonlinearity
    x = np.random.default_rng(1).standard_normal((60, 4, 3))  # (T, B, m)
    x_torch = torch.from_numpy(np.swapaxes(x, 0, 1).copy() if batch_first else x)
    with torch.no_grad():
        out, h_last = rnn(x_torch)
    out = out.numpy()
    if batch_first:
        out = np.swapaxes(out, 0, 1)
    ours = _numpy_states(net, x)
    # Gain 0.8 < 1 makes the map contracting, so per-step rounding (~1e-16, from torch summing
    # the two biases in another order) does not grow; 1e-12 is the bar.
    np.testing.assert_allclose(ours, out, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours[-1], h_last.numpy()[0], rtol=0, atol=1e-12)


def test_weights_map_exactly():
    rnn = _rnn()
    net = ElmanNetwork.from_torch(rnn)
    sd = rnn.state_dict()
    np.testing.assert_array_equal(net.W_hh, sd["weight_hh_l0"].numpy())
    np.testing.assert_array_equal(net.W_xh, sd["weight_ih_l0"].numpy())
    np.testing.assert_array_equal(net.b_h, (sd["bias_ih_l0"] + sd["bias_hh_l0"]).numpy())
    np.testing.assert_array_equal(net.W_y, np.eye(5))
    np.testing.assert_array_equal(net.h_0, np.zeros(5))


def test_float32_module_and_no_bias():
    rnn = torch.nn.RNN(2, 4, bias=False)  # float32 weights, torch's own init
    net = ElmanNetwork.from_torch(rnn)
    assert net.W_hh.dtype == np.float64
    np.testing.assert_array_equal(net.b_h, np.zeros(4))
    np.testing.assert_array_equal(net.W_hh, rnn.weight_hh_l0.detach().double().numpy())


def test_state_dict_file_with_nested_checkpoint_and_readout(tmp_path):
    rnn = _rnn(nonlinearity="relu")
    fc = torch.nn.Linear(5, 2).double()
    checkpoint = {"epoch": 7, "model": {**{f"rnn.{k}": v for k, v in rnn.state_dict().items()},
                                        **{f"fc.{k}": v for k, v in fc.state_dict().items()}}}
    path = tmp_path / "checkpoint.pt"
    torch.save(checkpoint, path)
    net = ElmanNetwork.load(path, activation="relu", readout="model.fc")
    assert net == ElmanNetwork.from_torch(rnn, readout=fc)
    np.testing.assert_array_equal(net.W_y, fc.weight.detach().numpy())
    np.testing.assert_array_equal(net.b_y, fc.bias.detach().numpy())
    assert net.activation.name == "relu"


def test_module_wrapping_one_rnn():
    class Model(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = _rnn()
            self.fc = torch.nn.Linear(5, 1).double()

    model = Model()
    assert ElmanNetwork.from_torch(model) == ElmanNetwork.from_torch(model.rnn)


def test_pickled_module_file_is_refused(tmp_path):
    path = tmp_path / "module.pt"
    torch.save(_rnn(), path)  # pickles the whole nn.Module
    with pytest.raises(UnsafeFileError, match=r"^`path` must be a torch file of tensors"):
        ElmanNetwork.load(path)


def test_garbage_pt_file_is_refused(tmp_path):
    path = tmp_path / "garbage.pt"
    path.write_bytes(b"definitely not a torch file")
    with pytest.raises(ValidationError, match="`path`"):
        ElmanNetwork.load(path)


def test_tensor_file_that_is_not_a_state_dict(tmp_path):
    path = tmp_path / "tensor.pt"
    torch.save(torch.eye(3), path)
    with pytest.raises(ValidationError, match="a torch file holding a state dict"):
        ElmanNetwork.load(path)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: _rnn(num_layers=2), "single-layer"),
    (lambda: _rnn(bidirectional=True), "unidirectional"),
    (lambda: torch.nn.LSTM(3, 4), "LSTM"),
    (lambda: torch.nn.GRU(3, 4), "GRU"),
    (lambda: torch.nn.Linear(3, 4), "containing 0"),
    (lambda: torch.nn.LSTM(3, 4).state_dict(), "LSTM"),
    (lambda: torch.nn.GRU(3, 4).state_dict(), "GRU"),
    (lambda: _rnn(num_layers=2).state_dict(), "single-layer"),
    (lambda: _rnn(bidirectional=True).state_dict(), "unidirectional"),
    (lambda: {"a.weight_hh_l0": torch.eye(2), "b.weight_hh_l0": torch.eye(2)}, "prefix"),
    (lambda: {"weight": torch.eye(2)}, "a key ending in 'weight_hh_l0'"),
    (lambda: "rnn.pt", "a torch.nn.RNN module or its state dict"),
])
def test_unsupported_recurrences_are_named(make, message):
    with pytest.raises(ValidationError) as info:
        ElmanNetwork.from_torch(make())
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_prefix_selects_one_of_several_rnns():
    a, b = _rnn(seed=1), _rnn(seed=2)
    state = {**{f"enc.{k}": v for k, v in a.state_dict().items()},
             **{f"dec.{k}": v for k, v in b.state_dict().items()}}
    assert ElmanNetwork.from_torch(state, prefix="dec") == ElmanNetwork.from_torch(b)
    with pytest.raises(ValidationError, match="`prefix`"):
        ElmanNetwork.from_torch(state, prefix="mid")


def test_activation_must_agree_with_the_module():
    with pytest.raises(ValidationError, match=r"`activation` must be 'relu'"):
        ElmanNetwork.from_torch(_rnn(nonlinearity="relu"), activation="tanh")
    with pytest.raises(ValidationError, match=r"nn\.RNN's nonlinearities"):
        ElmanNetwork.from_torch(_rnn().state_dict(), activation="sigmoid")
