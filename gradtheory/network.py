r"""The network: a frozen, validated container of an Elman RNN's weights.

Two forms of the same recurrence are supported (``form=``):

.. math::

    \text{elman:}\quad & a_t = W_{hh} h_{t-1} + W_{xh} x_t + b_h, \quad h_t = f(a_t),
    \quad \frac{\partial h_t}{\partial h_{t-1}} = \operatorname{diag}(f'(a_t))\, W_{hh} \\
    \text{pascanu:}\quad & h_t = W_{hh} f(h_{t-1}) + W_{xh} x_t + b_h,
    \quad \frac{\partial h_t}{\partial h_{t-1}} = W_{hh} \operatorname{diag}(f'(h_{t-1}))

(Pascanu et al. 2013 write the second as :math:`x_t = W_{rec}\sigma(x_{t-1}) + W_{in}u_t + b`).
In both, the output reads the state: :math:`y_t = g(W_y h_t + b_y)`. Both one-step Jacobians
obey :math:`\|\partial h_t/\partial h_{t-1}\|_2 \le \gamma\,\sigma_{\max}(W_{hh})`.

Shapes: ``W_hh`` (n, n), ``W_xh`` (n, m), ``b_h`` (n,), ``W_y`` (p, n), ``b_y`` (p,), ``h_0`` (n,).
"""

from __future__ import annotations

import dataclasses
import os
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from . import _validate
from .activations import Activation, get_activation
from .cells import CELLS, ElmanCell, Parameter
from .errors import InputTypeError, UnsafeFileError, ValidationError

__all__ = ["DEFAULT_GAINS", "FORMS", "INITS", "PARAMETERS", "ElmanNetwork", "default_networks"]

#: Network forms: name -> state equation (one row per cell of :data:`gradtheory.cells.CELLS`).
FORMS: Mapping[str, str] = MappingProxyType({name: cell.EQUATION for name, cell in CELLS.items()})

#: Every parameter of a network, in field order: the cell's, then the readout and the initial
#: state. The one list of parameter names (BPTT, derivations and checks read it).
PARAMETERS: tuple[Parameter, ...] = (
    *ElmanCell.PARAMETERS,
    Parameter("W_y", ("p", "n"), "readout", "readout weights"),
    Parameter("b_y", ("p",), "readout", "readout bias"),
    Parameter("h_0", ("n",), "initial", "initial state"),
)


def _gaussian(n: int, rng: np.random.Generator) -> np.ndarray:
    return rng.standard_normal((n, n)) / np.sqrt(n)


def _orthogonal(n: int, rng: np.random.Generator) -> np.ndarray:
    # Haar measure: QR of a Gaussian matrix, with R's diagonal signs folded into Q
    # (Mezzadri 2007); without the sign fix the distribution is not uniform.
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def _identity(n: int, rng: np.random.Generator) -> np.ndarray:
    return np.eye(n)


#: Recurrent initialisers: name -> (description, unit-gain matrix from (n, rng)).
#: ``W_hh = gain * INITS[init][1](n, rng)``.
INITS: Mapping[str, tuple[str, Any]] = MappingProxyType({
    "gaussian": ("i.i.d. entries N(0, gain^2/n) (circular law: spectral radius ~ gain)",
                 _gaussian),
    "orthogonal": ("gain times a Haar-random orthogonal matrix (all singular values = gain)",
                   _orthogonal),
    "identity": ("gain times the identity (Le, Jaitly & Hinton 2015)", _identity),
})

#: Gains of the embedded default networks: vanishing, near-critical and chaotic for tanh.
DEFAULT_GAINS = (0.5, 1.0, 2.0)

_ARRAYS = tuple(p.name for p in PARAMETERS)
_NPZ_META = ("activation", "form", "name", "init")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class ElmanNetwork:
    """An Elman RNN's weights, validated once and frozen.

    Parameters
    ----------
    W_hh : array_like, shape (n, n)
        Recurrent weights.
    W_xh : array_like, shape (n, m)
        Input weights.
    b_h : array_like, shape (n,)
        Hidden bias.
    W_y : array_like, shape (p, n)
        Readout weights.
    b_y : array_like, shape (p,)
        Readout bias.
    h_0 : array_like, shape (n,)
        Initial state.
    activation : str or Activation, optional
        Hidden nonlinearity f, a key of :data:`gradtheory.ACTIVATIONS` (default ``"tanh"``);
        stored as the table row.
    form : {"elman", "pascanu"}, optional
        Which recurrence (see the module docstring); default ``"elman"``.
    name : str, optional
        A label for tables and figures; not part of equality.
    init : str, optional
        Provenance of ``W_hh``: the :data:`INITS` key when :meth:`random` drew it, ``""``
        (default) for user or trained weights. Not part of equality. It tells
        :func:`gradtheory.report` whether random-matrix and mean-field theory (which describe
        i.i.d. random matrices) are expected to match the measurements. Carried over by
        :meth:`replace` and ``dataclasses.replace`` alike only while ``W_hh`` keeps its
        values; a ``W_hh`` with other values resets it to ``""`` unless ``init`` is given too.

    Raises
    ------
    ValidationError
        On a wrong shape, a NaN or infinite entry, an empty array, or an unknown name.
    InputTypeError
        On a string, complex, boolean or object array.

    See Also
    --------
    ElmanNetwork.from_arrays : the same with defaults for everything but ``W_hh``.
    ElmanNetwork.random : Gaussian, orthogonal and identity initialisations.
    ElmanNetwork.load : read a ``.npz`` or a PyTorch ``.pt`` file.

    Notes
    -----
    Arrays are stored as read-only float64 copies, so a network cannot change after it was
    validated. ``dataclasses.replace`` (or :meth:`replace`) builds a new, re-validated network.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import ElmanNetwork
    >>> net = ElmanNetwork.from_arrays(0.5 * np.eye(2))
    >>> net.n_hidden, net.n_input, net.n_output, net.gamma
    (2, 2, 2, 1.0)
    """

    W_hh: np.ndarray
    W_xh: np.ndarray
    b_h: np.ndarray
    W_y: np.ndarray
    b_y: np.ndarray
    h_0: np.ndarray
    activation: Activation = dataclasses.field(default_factory=lambda: get_activation("tanh"))
    form: str = "elman"
    name: str = ""
    init: str = ""

    def __post_init__(self) -> None:
        W_hh = _validate.real_array(self.W_hh, "W_hh", ndim=2, square=True)
        n = W_hh.shape[0]
        W_xh = _validate.real_array(self.W_xh, "W_xh", ndim=2, shape=(n, None))
        W_y = _validate.real_array(self.W_y, "W_y", ndim=2, shape=(None, n))
        checked = {
            "W_hh": W_hh, "W_xh": W_xh, "W_y": W_y,
            "b_h": _validate.real_array(self.b_h, "b_h", ndim=1, shape=(n,)),
            "b_y": _validate.real_array(self.b_y, "b_y", ndim=1, shape=(W_y.shape[0],)),
            "h_0": _validate.real_array(self.h_0, "h_0", ndim=1, shape=(n,)),
            "activation": get_activation(self.activation),
            "form": _validate.choice(self.form, "form", FORMS),
        }
        if not isinstance(self.name, str):
            raise _validate.fail("name", "a string", _validate.describe(self.name))
        checked["init"] = _provenance(self.init, W_hh)
        for key, value in checked.items():
            object.__setattr__(self, key, value)

    # ------------------------------------------------------------------ sizes and constants
    @property
    def n_hidden(self) -> int:
        """Number of hidden units n."""
        return int(self.W_hh.shape[0])

    @property
    def n_input(self) -> int:
        """Input dimension m."""
        return int(self.W_xh.shape[1])

    @property
    def n_output(self) -> int:
        """Output dimension p."""
        return int(self.W_y.shape[0])

    @property
    def gamma(self) -> float:
        """:math:`\\gamma = \\sup|f'|` of the hidden activation."""
        return self.activation.gamma

    @property
    def initial_state(self) -> np.ndarray:
        """:math:`h_0`, what the simulator starts from (the state is h itself)."""
        return self.h_0

    @property
    def cell(self) -> Any:
        """The recurrence as a core cell (:class:`~gradtheory.cells.ElmanCell` or
        :class:`~gradtheory.cells.PascanuCell`, by ``form``), sharing this network's arrays."""
        return CELLS[self.form](self.W_hh, self.W_xh, self.b_h, self.activation)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_arrays(cls, W_hh: Any, *, W_xh: Any = None, b_h: Any = None, W_y: Any = None,
                    b_y: Any = None, h_0: Any = None, activation: str | Activation = "tanh",
                    form: str = "elman", name: str = "", init: str = "") -> ElmanNetwork:
        """Build a network from user arrays; only ``W_hh`` is required.

        Parameters
        ----------
        W_hh : array_like, shape (n, n)
            Recurrent weights.
        W_xh : array_like, shape (n, m), optional
            Input weights; default the identity (m = n: each unit has its own input channel).
        b_h : array_like, shape (n,), optional
            Hidden bias; default zeros.
        W_y : array_like, shape (p, n), optional
            Readout; default the identity (p = n: the loss sees the whole state).
        b_y : array_like, shape (p,), optional
            Readout bias; default zeros.
        h_0 : array_like, shape (n,), optional
            Initial state; default zeros.
        activation : str or Activation, optional
            Hidden nonlinearity; default ``"tanh"``.
        form : {"elman", "pascanu"}, optional
            Recurrence form; default ``"elman"``.
        name : str, optional
            Label for output.
        init : str, optional
            Provenance of ``W_hh`` (see the class); default ``""``, user weights.

        Returns
        -------
        ElmanNetwork
            The validated network.

        Raises
        ------
        ValidationError
            On inconsistent shapes or non-finite entries (the message names the array).
        InputTypeError
            On non-numeric input.

        Examples
        --------
        >>> from gradtheory import ElmanNetwork
        >>> ElmanNetwork.from_arrays([[0.9, 0.0], [0.2, 0.9]], activation="relu").activation
        Activation('relu', gamma=1)
        """
        W = _validate.real_array(W_hh, "W_hh", ndim=2, square=True)
        n = W.shape[0]
        W_y_arr = np.eye(n) if W_y is None else _validate.real_array(
            W_y, "W_y", ndim=2, shape=(None, n))
        return cls(W_hh=W, W_xh=np.eye(n) if W_xh is None else W_xh,
                   b_h=np.zeros(n) if b_h is None else b_h, W_y=W_y_arr,
                   b_y=np.zeros(W_y_arr.shape[0]) if b_y is None else b_y,
                   h_0=np.zeros(n) if h_0 is None else h_0,
                   activation=get_activation(activation), form=form, name=name, init=init)

    @classmethod
    def random(cls, n_hidden: int, *, gain: float = 1.0, init: str = "gaussian",
               n_input: int | None = None, n_output: int | None = None, bias_std: float = 0.0,
               activation: str | Activation = "tanh", form: str = "elman",
               rng: np.random.Generator | int | None = None) -> ElmanNetwork:
        """Initialise a network: ``W_hh = gain * W_0`` with ``W_0`` from :data:`INITS`.

        Parameters
        ----------
        n_hidden : int
            Number of hidden units n.
        gain : float, optional
            Scale g of the recurrent weights (default 1); must be > 0.
        init : {"gaussian", "orthogonal", "identity"}, optional
            ``"gaussian"``: entries N(0, g²/n); ``"orthogonal"``: g times a Haar orthogonal
            matrix; ``"identity"``: g I. Default ``"gaussian"``.
        n_input : int or None, optional
            Input dimension m. ``None`` (default): W_xh = I (m = n), so input noise of std s
            drives every unit independently with variance s², the mean-field setting. An int:
            W_xh with i.i.d. entries N(0, 1/m).
        n_output : int or None, optional
            Output dimension p. ``None`` (default): W_y = I. An int: entries N(0, 1/n).
        bias_std : float, optional
            Std of the i.i.d. Gaussian hidden bias (default 0: no bias).
        activation : str or Activation, optional
            Hidden nonlinearity; default ``"tanh"``.
        form : {"elman", "pascanu"}, optional
            Recurrence form; default ``"elman"``.
        rng : numpy.random.Generator or int or None, optional
            Randomness. Draw order: W_0, then W_xh, W_y, b_h (only those that are random),
            so one seed at several gains gives the same W_0 scaled: a clean gain sweep.

        Returns
        -------
        ElmanNetwork
            The network, named after its initialisation.

        Raises
        ------
        ValidationError
            On a non-positive size or gain, a negative ``bias_std``, or an unknown ``init``.

        References
        ----------
        Mezzadri, F. (2007). How to generate random matrices from the classical compact groups.
        Notices of the AMS 54(5).

        Examples
        --------
        >>> import numpy as np
        >>> from gradtheory import ElmanNetwork
        >>> net = ElmanNetwork.random(50, gain=0.8, init="orthogonal", rng=0)
        >>> bool(np.allclose(net.W_hh @ net.W_hh.T, 0.64 * np.eye(50)))
        True
        """
        n = _validate.positive_int(n_hidden, "n_hidden")
        g = _validate.real_number(gain, "gain", minimum=0.0, strict=True)
        kind = _validate.choice(init, "init", INITS)
        m = None if n_input is None else _validate.positive_int(n_input, "n_input")
        p = None if n_output is None else _validate.positive_int(n_output, "n_output")
        s_b = _validate.real_number(bias_std, "bias_std", minimum=0.0)
        seed = rng if isinstance(rng, int) and not isinstance(rng, bool) else None
        gen = _validate.rng(rng)
        W_hh = g * INITS[kind][1](n, gen)
        W_xh = np.eye(n) if m is None else gen.standard_normal((n, m)) / np.sqrt(m)
        W_y = np.eye(n) if p is None else gen.standard_normal((p, n)) / np.sqrt(n)
        b_h = s_b * gen.standard_normal(n) if s_b > 0 else np.zeros(n)
        label = f"{kind}(n={n}, gain={g:g}" + ("" if seed is None else f", seed={seed}") + ")"
        return cls(W_hh=W_hh, W_xh=W_xh, b_h=b_h, W_y=W_y, b_y=np.zeros(W_y.shape[0]),
                   h_0=np.zeros(n), activation=get_activation(activation), form=form,
                   name=label, init=kind)

    def replace(self, **changes: Any) -> ElmanNetwork:
        """A copy with some fields changed, validated again.

        Parameters
        ----------
        **changes
            Field names (``W_hh``, ``activation``, ...) and their new values. A ``W_hh``
            with other values resets ``init`` to ``""`` unless ``init`` is given too: the
            matrix is no longer the initialiser's draw (``dataclasses.replace`` does the same).

        Returns
        -------
        ElmanNetwork
            The new network.

        Raises
        ------
        ValidationError
            If the result is inconsistent, or a field name is unknown.
        """
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(self)})
        if unknown:
            raise ValidationError(
                f"`changes` must name fields of ElmanNetwork; got unknown {', '.join(unknown)}.")
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ files
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the network to an ``.npz`` file (plain arrays, loadable without pickle).

        Parameters
        ----------
        path : str or os.PathLike
            Destination; ``.npz`` is appended if missing.

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        ValidationError
            If the directory does not exist.
        """
        target = _validate.output_path(path)
        if target.suffix != ".npz":
            target = target.with_name(target.name + ".npz")
        arrays: dict[str, Any] = {k: getattr(self, k) for k in _ARRAYS}
        arrays.update(activation=np.array(self.activation.name), form=np.array(self.form),
                      name=np.array(self.name), init=np.array(self.init))
        np.savez(target, allow_pickle=False, **arrays)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, activation: str | None = None,
             prefix: str | None = None, readout: str | None = None) -> ElmanNetwork:
        """Read a network from ``.npz`` (gradtheory's format) or ``.pt``/``.pth`` (PyTorch).

        Parameters
        ----------
        path : str or os.PathLike
            The file. ``.npz`` needs the key ``W_hh`` and may hold any of ``W_xh``, ``b_h``,
            ``W_y``, ``b_y``, ``h_0`` (defaults as in :meth:`from_arrays`), ``activation``,
            ``form``, ``name``, ``init``; it is read with ``allow_pickle=False``.
            ``.pt``/``.pth`` must hold an ``nn.RNN`` state dict (possibly nested in a checkpoint
            dict); it is read with ``torch.load(weights_only=True)``.
        activation : str or None, optional
            Override the activation. ``None``: the one stored in the ``.npz`` (else ``"tanh"``);
            for a state dict, which does not record it, ``"tanh"`` (``nn.RNN``'s default).
        prefix : str or None, optional
            For a state dict holding several RNNs: the key prefix of the one to load.
        readout : str or None, optional
            For a state dict: the prefix of an ``nn.Linear`` readout (``"fc"`` reads
            ``fc.weight`` and ``fc.bias``) to use as W_y, b_y. Default: W_y = I.

        Returns
        -------
        ElmanNetwork
            The validated network.

        Raises
        ------
        UnsafeFileError
            If the file holds pickled objects (an object array, a whole ``nn.Module``).
        ValidationError
            If the file is missing, unreadable, of an unknown type, or its arrays are invalid.
        MissingDependencyError
            For a PyTorch file when torch is not installed.
        """
        source = Path(path)
        if not source.is_file():
            raise _validate.fail("path", "an existing file", repr(str(path)))
        suffix = source.suffix.lower()
        if suffix in (".pt", ".pth"):
            from ._torch import load_state_dict

            return cls.from_torch(load_state_dict(source),
                                  activation=activation, prefix=prefix, readout=readout)
        if suffix != ".npz":
            raise _validate.fail("path", "a .npz, .pt or .pth file", repr(str(path)))
        fields = _read_npz(source)
        meta = {k: fields.pop(k) for k in _NPZ_META if k in fields}
        if activation is not None:
            meta["activation"] = activation
        return cls.from_arrays(fields.pop("W_hh"), **fields, **meta)

    @classmethod
    def from_torch(cls, rnn: Any, *, activation: str | None = None, prefix: str | None = None,
                   readout: Any = None) -> ElmanNetwork:
        """Convert a PyTorch ``nn.RNN`` (or its state dict) to float64 NumPy weights.

        Parameters
        ----------
        rnn : torch.nn.Module or Mapping[str, torch.Tensor]
            A single-layer, unidirectional ``nn.RNN`` (tanh or relu), a module containing
            exactly one, or a state dict (``rnn.state_dict()``, nesting allowed).
        activation : str or None, optional
            For a state dict, which does not record it: default ``"tanh"``. For a module, must
            agree with ``rnn.nonlinearity`` if given.
        prefix : str or None, optional
            Key prefix of the RNN inside a larger state dict (found automatically if unique).
        readout : torch.nn.Linear or str or None, optional
            The output layer: an ``nn.Linear`` module, or for a state dict the prefix of its
            ``weight``/``bias`` keys. Default: W_y = I (the loss sees the whole state).

        Returns
        -------
        ElmanNetwork
            ``W_hh = weight_hh_l0``, ``W_xh = weight_ih_l0``, ``b_h = bias_ih_l0 + bias_hh_l0``,
            ``h_0 = 0``, reproducing ``nn.RNN``'s hidden states (batch_first or not).

        Raises
        ------
        ValidationError
            For stacked, bidirectional, LSTM/GRU or otherwise unsupported recurrences.
        MissingDependencyError
            If torch is not installed.
        """
        from ._torch import rnn_arrays

        fields = rnn_arrays(rnn, activation=activation, prefix=prefix, readout=readout)
        return cls.from_arrays(fields.pop("W_hh"), **fields)

    # ------------------------------------------------------------------ presentation
    def summary(self) -> dict[str, Any]:
        """JSON-ready description: sizes, activation, γ, form and the RMS gain.

        Returns
        -------
        dict
            Keys ``name``, ``init``, ``form``, ``equation``, ``activation``, ``gamma``,
            ``n_hidden``, ``n_input``, ``n_output``, ``rms_gain``
            (:math:`\\|W_{hh}\\|_F/\\sqrt{n}`, which estimates g for a Gaussian or orthogonal
            initialisation).
        """
        return {
            "name": self.name, "init": self.init, "form": self.form,
            "equation": FORMS[self.form], "activation": self.activation.name,
            "gamma": self.gamma,
            "n_hidden": self.n_hidden, "n_input": self.n_input, "n_output": self.n_output,
            "rms_gain": float(np.linalg.norm(self.W_hh) / np.sqrt(self.n_hidden)),
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ElmanNetwork):
            return NotImplemented
        return ((self.activation.name, self.form) == (other.activation.name, other.form)
                and all(np.array_equal(getattr(self, k), getattr(other, k)) for k in _ARRAYS))

    __hash__ = None  # type: ignore[assignment]  # arrays are not hashable; equality is by value

    def __repr__(self) -> str:
        label = f"name={self.name!r}, " if self.name else ""
        return (f"ElmanNetwork({label}n_hidden={self.n_hidden}, n_input={self.n_input}, "
                f"n_output={self.n_output}, activation={self.activation.name!r}, "
                f"form={self.form!r})")


class _Init(str):
    """An :data:`INITS` key bound to the ``W_hh`` it describes (see :func:`_provenance`)."""

    W_hh: np.ndarray  # an instance attribute: str subclasses take no __slots__


def _provenance(init: Any, W_hh: np.ndarray) -> str:
    """The ``init`` of a network with this ``W_hh``: ``""`` once it is not the matrix described.

    ``dataclasses.replace`` passes every field to the constructor, so "``W_hh`` changed"
    cannot be read from which fields were given. Instead the recorded ``init`` carries the
    matrix it describes and is kept only while ``W_hh`` has the same values; a plain string is
    a new claim (``random``, ``from_arrays``, ``load``, an explicit ``init=``) and is bound to
    this ``W_hh``. So ``replace`` and ``dataclasses.replace`` cannot disagree.
    """
    if isinstance(init, _Init) and not (init.W_hh is W_hh or np.array_equal(init.W_hh, W_hh)):
        return ""
    if isinstance(init, str) and init == "":
        return ""
    key = _Init(_validate.choice(init, "init", INITS))
    key.W_hh = W_hh
    return key


def _read_npz(source: Path) -> dict[str, Any]:
    """Read every entry of an ``.npz`` without unpickling; check the keys."""
    # Open the file ourselves: np.load leaks its handle when the archive is corrupt.
    with open(source, "rb") as handle:
        try:
            data = np.load(handle, allow_pickle=False)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _validate.fail("path", "a readable .npz file",
                                 f"{source.name} ({type(exc).__name__}: {exc})") from exc
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise _validate.fail("path", "a .npz archive of named arrays",
                                 f"{source.name} holding a single array")
        with data:
            keys = list(data.files)
            unknown = sorted(set(keys) - set(_ARRAYS) - set(_NPZ_META))
            if unknown:
                raise _validate.fail(
                    "path", f"a .npz with keys among {', '.join(_ARRAYS + _NPZ_META)}",
                    f"unknown key(s) {', '.join(unknown)} in {source.name}")
            if "W_hh" not in keys:
                raise _validate.fail("path", "a .npz holding `W_hh`",
                                     f"keys {', '.join(keys) or '(none)'} in {source.name}")
            return {key: _read_entry(data, key, source.name) for key in keys}


def _read_entry(data: Any, key: str, filename: str) -> Any:
    try:
        value = data[key]
    except ValueError as exc:  # numpy: "Object arrays cannot be loaded when allow_pickle=False"
        raise UnsafeFileError(
            f"`path` must be a .npz of plain numeric arrays; got a pickled object array under "
            f"{key!r} in {filename} (refused: unpickling can run code).") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _validate.fail("path", "a readable .npz file",
                             f"{filename} ({type(exc).__name__}: {exc})") from exc
    return str(value) if key in _NPZ_META and value.dtype.kind == "U" else value


def default_networks(*, n_hidden: int = 64, gains: tuple[float, ...] = DEFAULT_GAINS,
                     activation: str = "tanh", rng: int = 0) -> tuple[ElmanNetwork, ...]:
    """The embedded default networks of ``gradtheory report``: one W_0 at several gains.

    Parameters
    ----------
    n_hidden : int, optional
        Units per network (default 64).
    gains : tuple of float, optional
        Gains g (default 0.5, 1.0, 2.0: vanishing, near-critical and chaotic for tanh).
    activation : str, optional
        Hidden nonlinearity (default ``"tanh"``).
    rng : int, optional
        Seed shared by all gains (default 0), so the networks differ only by the gain.

    Returns
    -------
    tuple of ElmanNetwork
        Gaussian networks ``W_hh = g W_0``, W_xh = W_y = I, no bias.

    Examples
    --------
    >>> import numpy as np
    >>> from gradtheory import default_networks
    >>> weak, mid, strong = default_networks()
    >>> bool(np.allclose(strong.W_hh, 4 * weak.W_hh))
    True
    """
    if not isinstance(gains, tuple | list) or not gains:
        raise _validate.fail("gains", "a non-empty tuple of positive numbers",
                             _validate.describe(gains), cls=InputTypeError)
    return tuple(ElmanNetwork.random(n_hidden, gain=g, activation=activation, rng=rng)
                 for g in gains)
