"""PyTorch bridge: ``nn.RNN`` modules and state dicts to float64 NumPy weights.

torch is an optional extra: it is imported here, lazily, and nowhere else in the core.
Files are read with ``torch.load(weights_only=True)``, which refuses pickled objects.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import _validate
from .errors import InputTypeError, MissingDependencyError, UnsafeFileError, ValidationError

__all__: list[str] = []  # private: reached through ElmanNetwork.from_torch / .load

_INSTALL_HINT = "install it with `pip install torch==2.13.0` (the CPU wheel)"
_TORCH_ACTIVATIONS = {"tanh", "relu"}


def import_torch() -> Any:
    """Import torch, or raise a one-line MissingDependencyError that says how to install it."""
    try:
        import torch
    except ImportError as exc:
        raise MissingDependencyError(
            f"PyTorch support needs torch, which is not installed; {_INSTALL_HINT}.") from exc
    return torch


def load_state_dict(path: Path) -> Mapping[str, Any]:
    """Read a ``.pt`` file with ``weights_only=True``; it must hold a (possibly nested) dict."""
    torch = import_torch()
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise UnsafeFileError(
            f"`path` must be a torch file of tensors (save `rnn.state_dict()`, not the module); "
            f"got {path.name}, which is not loadable with weights_only=True (refused: "
            f"unpickling arbitrary objects can run code).") from exc
    except (RuntimeError, OSError, EOFError) as exc:
        raise _validate.fail("path", "a readable PyTorch file",
                             f"{path.name} ({str(exc).splitlines()[0]})") from exc
    if not isinstance(obj, Mapping):
        raise _validate.fail("path", "a torch file holding a state dict",
                             f"{path.name} holding {_validate.describe(obj)}")
    return obj  # nested checkpoints are flattened by rnn_arrays, like in-memory dicts


def _flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _numpy(tensor: Any, name: str) -> np.ndarray:
    if not hasattr(tensor, "detach"):
        raise _validate.fail(name, "a torch tensor", _validate.describe(tensor))
    return tensor.detach().cpu().double().numpy().copy()


def _find_rnn_module(module: Any, torch: Any) -> Any:
    if isinstance(module, torch.nn.RNN):
        return module
    if isinstance(module, torch.nn.RNNBase):  # LSTM, GRU
        raise _validate.fail("rnn", "a torch.nn.RNN (Elman recurrence)",
                             f"a {type(module).__name__}, whose gated recurrence is not an "
                             f"Elman network")
    found = [m for m in module.modules() if isinstance(m, torch.nn.RNN)]
    if len(found) != 1:
        raise _validate.fail("rnn", "a torch.nn.RNN or a module containing exactly one",
                             f"a {type(module).__name__} containing {len(found)}")
    return found[0]


def _module_fields(module: Any, activation: str | None, torch: Any) -> dict[str, Any]:
    rnn = _find_rnn_module(module, torch)
    if rnn.num_layers != 1:
        raise _validate.fail("rnn", "a single-layer nn.RNN (num_layers=1)",
                             f"num_layers={rnn.num_layers}")
    if rnn.bidirectional:
        raise _validate.fail("rnn", "a unidirectional nn.RNN", "bidirectional=True")
    if activation is not None and activation != rnn.nonlinearity:
        raise _validate.fail("activation", f"{rnn.nonlinearity!r} (the module's nonlinearity) "
                             f"or None", repr(activation))
    state = {k: v for k, v in rnn.state_dict().items()}
    fields = _state_fields(state, prefix="")
    fields["activation"] = rnn.nonlinearity
    return fields


def _state_fields(state: Mapping[str, Any], prefix: str | None) -> dict[str, Any]:
    if prefix is None:
        candidates = sorted(k[: -len("weight_hh_l0")] for k in state
                            if k.endswith("weight_hh_l0"))
        if len(candidates) != 1:
            keys = ", ".join(list(state)[:8]) + (", ..." if len(state) > 8 else "")
            expected = ("a state dict with exactly one nn.RNN (a key ending in 'weight_hh_l0'; "
                        "pass `prefix` to choose)")
            got = (f"prefixes {', '.join(repr(c) for c in candidates)}" if candidates
                   else f"keys {keys or '(none)'}")
            raise _validate.fail("rnn", expected, got)
        prefix = candidates[0]
    elif prefix and not prefix.endswith("."):
        prefix += "."
    if f"{prefix}weight_hh_l0" not in state:
        raise _validate.fail("prefix", "the prefix of an nn.RNN in the state dict",
                             f"{prefix!r}, with no key {prefix}weight_hh_l0")
    if f"{prefix}weight_hh_l1" in state:
        raise _validate.fail("rnn", "a single-layer nn.RNN", "a state dict with layer l1")
    if f"{prefix}weight_hh_l0_reverse" in state:
        raise _validate.fail("rnn", "a unidirectional nn.RNN", "a bidirectional state dict")
    W_hh = _numpy(state[f"{prefix}weight_hh_l0"], "weight_hh_l0")
    if W_hh.ndim == 2 and W_hh.shape[0] in (3 * W_hh.shape[1], 4 * W_hh.shape[1]):
        gates = {3: "GRU", 4: "LSTM"}[W_hh.shape[0] // W_hh.shape[1]]
        raise _validate.fail("rnn", "an nn.RNN state dict (square weight_hh_l0)",
                             f"weight_hh_l0 of shape {W_hh.shape}, the stacked gates of an "
                             f"{gates}")
    n = W_hh.shape[0]
    W_xh = _numpy(state.get(f"{prefix}weight_ih_l0"), "weight_ih_l0") \
        if f"{prefix}weight_ih_l0" in state else None
    b_h = np.zeros(n)
    for key in ("bias_ih_l0", "bias_hh_l0"):  # torch adds both biases inside f
        if f"{prefix}{key}" in state:
            b_h = b_h + _numpy(state[f"{prefix}{key}"], key)
    return {"W_hh": W_hh, "W_xh": W_xh, "b_h": b_h}


def _readout_fields(readout: Any, state: Mapping[str, Any] | None, torch: Any) -> dict[str, Any]:
    if readout is None:
        return {}
    if isinstance(readout, str):
        if state is None:
            raise _validate.fail("readout", "an nn.Linear when `rnn` is a module",
                                 repr(readout))
        key = readout if readout.endswith(".") or not readout else readout + "."
        if f"{key}weight" not in state:
            raise _validate.fail("readout", "the prefix of an nn.Linear in the state dict",
                                 f"{readout!r}, with no key {key}weight")
        weight, bias = state[f"{key}weight"], state.get(f"{key}bias")
    elif isinstance(readout, torch.nn.Linear):
        weight, bias = readout.weight, readout.bias
    else:
        raise _validate.fail("readout", "a torch.nn.Linear, a state-dict prefix or None",
                             _validate.describe(readout))
    W_y = _numpy(weight, "readout.weight")
    b_y = np.zeros(W_y.shape[0]) if bias is None else _numpy(bias, "readout.bias")
    return {"W_y": W_y, "b_y": b_y}


def rnn_arrays(rnn: Any, *, activation: str | None, prefix: str | None,
               readout: Any) -> dict[str, Any]:
    """Fields for ``ElmanNetwork.from_arrays`` from an nn.RNN module or a state dict."""
    torch = import_torch()
    if isinstance(rnn, torch.nn.Module):
        if prefix is not None:
            raise _validate.fail("prefix", "None when `rnn` is a module", repr(prefix))
        fields = _module_fields(rnn, activation, torch)
        fields.update(_readout_fields(readout, None, torch))
    elif isinstance(rnn, Mapping):
        state = _flatten(rnn)
        fields = _state_fields(state, prefix)
        fields["activation"] = "tanh" if activation is None else activation
        fields.update(_readout_fields(readout, state, torch))
    else:
        raise _validate.fail("rnn", "a torch.nn.RNN module or its state dict",
                             _validate.describe(rnn))
    if fields["activation"] not in _TORCH_ACTIVATIONS:
        raise ValidationError(
            f"`activation` must be 'tanh' or 'relu' (nn.RNN's nonlinearities); "
            f"got {fields['activation']!r}.")
    return {k: v for k, v in fields.items() if v is not None}


_GATES = {4: "lstm", 3: "gru"}


def _find_gated_module(module: Any, torch: Any) -> Any:
    gated = (torch.nn.LSTM, torch.nn.GRU)
    if isinstance(module, gated):
        return module
    found = [m for m in module.modules() if isinstance(m, gated)]
    if len(found) != 1:
        raise _validate.fail("module", "a torch.nn.LSTM or nn.GRU, or a module containing "
                             "exactly one", f"a {type(module).__name__} containing {len(found)}")
    return found[0]


def _gated_state(state: Mapping[str, Any], prefix: str | None) -> tuple[str, dict[str, Any]]:
    """(kind, cell parameters) from a flat state dict of one single-layer LSTM or GRU."""
    if prefix is None:
        candidates = sorted(k[: -len("weight_hh_l0")] for k in state
                            if k.endswith("weight_hh_l0"))
        if len(candidates) != 1:
            raise _validate.fail("module", "a state dict with exactly one LSTM or GRU (pass "
                                 "`prefix` to choose)", f"{len(candidates)} keys ending in "
                                 "'weight_hh_l0'")
        prefix = candidates[0]
    elif prefix and not prefix.endswith("."):
        prefix += "."
    key = f"{prefix}weight_hh_l0"
    if key not in state:
        raise _validate.fail("prefix", "the prefix of an LSTM or GRU in the state dict",
                             f"{prefix!r}, with no key {key}")
    for suffix, what in (("weight_hh_l1", "a stacked module (num_layers > 1; stacked cells "
                                          "are not supported yet)"),
                         ("weight_hh_l0_reverse", "a bidirectional module (not "
                                                  "supported yet)"),
                         ("weight_hr_l0", "an LSTM with proj_size (h_t = W_hr (o * tanh c_t) "
                                          "is not supported)")):
        if f"{prefix}{suffix}" in state:
            raise _validate.fail("module", "a single-layer, unidirectional LSTM or GRU", what)
    W_hh = _numpy(state[key], "weight_hh_l0")
    rows, n = W_hh.shape if W_hh.ndim == 2 else (0, 0)
    if n == 0 or rows % n or rows // n not in _GATES:
        raise _validate.fail("module", "an LSTM (weight_hh_l0 of shape (4n, n)) or a GRU "
                             "((3n, n))", f"weight_hh_l0 of shape {W_hh.shape}")
    kind = _GATES[rows // n]
    if f"{prefix}weight_ih_l0" not in state:
        raise _validate.fail("module", "a state dict with weight_ih_l0", f"no key "
                             f"{prefix}weight_ih_l0")
    W_xh = _numpy(state[f"{prefix}weight_ih_l0"], "weight_ih_l0")
    biases = {k: _numpy(state[f"{prefix}{k}_l0"], f"{k}_l0") if f"{prefix}{k}_l0" in state
              else np.zeros(rows) for k in ("bias_ih", "bias_hh")}
    if kind == "lstm":   # only the sum of the two biases enters the LSTM's gates
        return kind, {"W_hh": W_hh, "W_xh": W_xh, "b_h": biases["bias_ih"] + biases["bias_hh"]}
    return kind, {"W_hh": W_hh, "W_xh": W_xh, "b_xh": biases["bias_ih"],
                  "b_hh": biases["bias_hh"]}


def gated_arrays(module: Any, *, prefix: str | None, readout: Any
                 ) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(kind, cell parameters, readout fields) from an nn.LSTM/nn.GRU module or state dict."""
    torch = import_torch()
    if isinstance(module, torch.nn.Module):
        if prefix is not None:
            raise _validate.fail("prefix", "None when `module` is a module", repr(prefix))
        rnn = _find_gated_module(module, torch)
        kind, params = _gated_state(_flatten(rnn.state_dict()), "")  # refuses what is missing
        return kind, params, _readout_fields(readout, None, torch)
    if isinstance(module, Mapping):
        state = _flatten(module)
        kind, params = _gated_state(state, prefix)
        return kind, params, _readout_fields(readout, state, torch)
    raise _validate.fail("module", "a torch.nn.LSTM or nn.GRU module or its state dict",
                         _validate.describe(module), cls=InputTypeError)
