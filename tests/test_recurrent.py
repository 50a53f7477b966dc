"""RecurrentNetwork: gated networks from PyTorch reproduce its states; refusals are one line."""

import numpy as np
import pytest

import gradtheory as gt
from gradtheory.cells import GRUCell, LSTMCell

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

T = 30


def _module(kind, n=6, m=3, **options):
    torch.manual_seed(0)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    return cls(m, n, batch_first=True, **options).double()


@pytest.mark.parametrize("kind", ["lstm", "gru"])
@pytest.mark.parametrize("source", ["module", "state_dict"])
def test_states_reproduce_pytorch_to_1e_12(kind, source):
    mod = _module(kind)
    net = gt.RecurrentNetwork.from_torch(mod if source == "module" else mod.state_dict())
    assert isinstance(net.cell, LSTMCell if kind == "lstm" else GRUCell)
    X = np.random.default_rng(1).standard_normal((T, 3))
    traj = gt.simulate(net, T, inputs=X)
    out, hidden = mod(torch.from_numpy(X)[None])
    # float64, T steps of O(1) arithmetic: a few ulps per step.
    np.testing.assert_allclose(traj.h, out[0].detach().numpy(), rtol=0, atol=1e-12)
    if kind == "lstm":
        np.testing.assert_allclose(traj.states[-1, 6:], hidden[1][0, 0].detach().numpy(),
                                   rtol=0, atol=1e-12)


def test_a_readout_and_a_batch_of_two_networks():
    lin = torch.nn.Linear(6, 2).double()
    nets = [gt.RecurrentNetwork.from_torch(_module("lstm"), readout=lin),
            gt.RecurrentNetwork(cell=LSTMCell(*(np.random.default_rng(2).standard_normal(shape)
                                                for shape in ((24, 6), (24, 3), (24,)))),
                                W_y=np.ones((2, 6)))]
    X = np.random.default_rng(3).standard_normal((T, 3))
    batch = gt.simulate(nets, T, inputs=X)
    for b, net in enumerate(nets):
        np.testing.assert_array_equal(batch.states[b], gt.simulate(net, T, inputs=X).states)
    np.testing.assert_allclose(nets[0].W_y, lin.weight.detach().numpy())
    assert batch.y.shape == (2, T, 2)
    prof = gt.lag_profile(nets[0], T, input_std=1.0, rng=0)
    assert prof.n_hidden == 12                        # the full state [h, c]
    assert np.all(np.isfinite(prof.log_norm_spectral))


@pytest.mark.parametrize(("options", "message"), [
    ({"num_layers": 2}, "num_layers > 1"),
    ({"bidirectional": True}, "bidirectional"),
    ({"proj_size": 2}, "proj_size"),
])
def test_unsupported_lstm_features_are_refused_by_name(options, message):
    with pytest.raises(ValueError, match=message):
        gt.RecurrentNetwork.from_torch(_module("lstm", **options))


def test_bad_inputs_get_one_line():
    rnn_state = torch.nn.RNN(3, 4).state_dict()
    with pytest.raises(ValueError, match=r"an LSTM \(weight_hh_l0 of shape \(4n, n\)\)"):
        gt.RecurrentNetwork.from_torch(rnn_state)
    with pytest.raises(TypeError, match="`module` must be"):
        gt.RecurrentNetwork.from_torch([1, 2])
    with pytest.raises(TypeError, match="`cell` must be an LSTMCell or a GRUCell"):
        gt.RecurrentNetwork(cell="lstm")
    bad = LSTMCell(np.zeros((24, 6)), np.zeros((24, 3)), np.zeros(23))
    with pytest.raises(ValueError, match=r"`b_h` must be an array of shape \(24,\); got shape"):
        gt.RecurrentNetwork(cell=bad)
    with pytest.raises(ValueError, match=r"`s_0` must be an array of shape \(12,\)"):
        gt.RecurrentNetwork(cell=LSTMCell(np.zeros((24, 6)), np.zeros((24, 3)), np.zeros(24)),
                            s_0=np.zeros(6))


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_temporal_contributions_sum_to_autograds_gradient(kind):
    mod = _module(kind, n=5)
    lin = torch.nn.Linear(5, 2).double()
    net = gt.RecurrentNetwork.from_torch(mod, readout=lin)
    X = np.random.default_rng(4).standard_normal((T, 3))
    target = np.random.default_rng(5).standard_normal(2)
    tc = gt.temporal_contributions(net, X, target)
    out, _ = mod(torch.from_numpy(X)[None])
    e = lin(out[0, -1]) - torch.from_numpy(target)
    (0.5 * e @ e).backward()
    grad = tc.gradient()
    names = {"W_hh": mod.weight_hh_l0, "W_xh": mod.weight_ih_l0, "W_y": lin.weight,
             "b_y": lin.bias}
    names.update({"b_h": mod.bias_ih_l0} if kind == "lstm" else
                 {"b_xh": mod.bias_ih_l0, "b_hh": mod.bias_hh_l0})
    initial = "s_0" if kind == "lstm" else "h_0"
    assert list(tc.scaled) == [*(p.name for p in net.cell.PARAMETERS), "W_y", "b_y", initial]
    for name, tensor in names.items():
        theirs = tensor.grad.numpy()
        # T = 30 steps of BPTT in float64: ~1e-13 relative; allow 1e-10 of the scale.
        np.testing.assert_allclose(grad[name], theirs, rtol=0, atol=1e-10 * np.abs(theirs).max())
    assert tc.norms(initial).shape == (T + 1,)
    assert tc.contributions[initial].shape == (T + 1, net.state_size)


def test_load_reads_a_checkpoint_file(tmp_path):
    mod, lin = _module("gru"), torch.nn.Linear(6, 2).double()
    path = tmp_path / "gru.pt"
    torch.save({"model": {"rnn": mod.state_dict(), "fc": lin.state_dict()}}, path)
    net = gt.RecurrentNetwork.load(path, readout="model.fc")
    direct = gt.RecurrentNetwork.from_torch(mod, readout=lin)
    for p in net.cell.PARAMETERS:
        np.testing.assert_array_equal(getattr(net.cell, p.name), getattr(direct.cell, p.name))
    np.testing.assert_array_equal(net.W_y, direct.W_y)
    with pytest.raises(ValueError, match="`path` must be an existing file"):
        gt.RecurrentNetwork.load(tmp_path / "missing.pt")
    (tmp_path / "w.npz").write_bytes(b"")
    with pytest.raises(ValueError, match=r"`path` must be a \.pt or \.pth file"):
        gt.RecurrentNetwork.load(tmp_path / "w.npz")
