"""Every bad input gets one line, of one form, naming the argument, with the right type."""

import numpy as np
import pytest

import gradtheory as gt
from gradtheory import (
    ElmanNetwork,
    GradTheoryError,
    InputTypeError,
    MissingDependencyError,
    UnsafeFileError,
    ValidationError,
)

N = 3


def _net(**overrides):
    fields = {"W_hh": np.eye(N), "W_xh": np.ones((N, 2)), "b_h": np.zeros(N),
              "W_y": np.ones((1, N)), "b_y": np.zeros(1), "h_0": np.zeros(N)}
    fields.update(overrides)
    return ElmanNetwork(**fields)


def _nan_matrix():
    W = np.eye(N)
    W[0, 1] = np.nan
    W[2, 2] = np.inf
    return W


BAD = [
    # (description, call, exception type, exact message or a regex fragment)
    ("non-square W_hh", lambda: ElmanNetwork.from_arrays(np.ones((3, 4))), ValidationError,
     "`W_hh` must be a square 2-D array; got shape (3, 4)."),
    ("1-D W_hh", lambda: ElmanNetwork.from_arrays(np.ones(3)), ValidationError,
     "`W_hh` must be a square 2-D array; got shape (3,)."),
    ("empty W_hh", lambda: ElmanNetwork.from_arrays(np.ones((0, 0))), ValidationError,
     "`W_hh` must be a non-empty square 2-D array; got shape (0, 0)."),
    ("W_xh rows", lambda: _net(W_xh=np.ones((N + 1, 2))), ValidationError,
     "`W_xh` must be an array of shape (3, any); got shape (4, 2)."),
    ("W_y columns", lambda: _net(W_y=np.ones((1, N + 2))), ValidationError,
     "`W_y` must be an array of shape (any, 3); got shape (1, 5)."),
    ("b_h length", lambda: _net(b_h=np.zeros(N + 1)), ValidationError,
     "`b_h` must be an array of shape (3,); got shape (4,)."),
    ("b_y length", lambda: _net(b_y=np.zeros(2)), ValidationError,
     "`b_y` must be an array of shape (1,); got shape (2,)."),
    ("h_0 as a matrix", lambda: _net(h_0=np.zeros((N, 1))), ValidationError,
     "`h_0` must be a 1-D array; got shape (3, 1)."),
    ("NaN and Inf", lambda: ElmanNetwork.from_arrays(_nan_matrix()), ValidationError,
     "`W_hh` must be finite; got 1 NaN and 1 infinite entries."),
    ("NaN in a bias", lambda: _net(b_h=np.array([0.0, np.nan, 0.0])), ValidationError,
     "`b_h` must be finite; got 1 NaN and 0 infinite entries."),
    ("complex", lambda: ElmanNetwork.from_arrays(np.eye(2) * 1j), InputTypeError,
     "`W_hh` must be a real numeric array (complex values are not weights); got a complex128 "
     "array."),
    ("object array", lambda: ElmanNetwork.from_arrays(np.array([[{}, 1], [2, 3]], dtype=object)),
     InputTypeError, "`W_hh` must be a real numeric array; got an object array of dtype object."),
    ("string", lambda: ElmanNetwork.from_arrays("eye(3)"), InputTypeError,
     "`W_hh` must be a real numeric array; got the string 'eye(3)'."),
    ("strings inside", lambda: ElmanNetwork.from_arrays([["a", "b"], ["c", "d"]]), InputTypeError,
     "`W_hh` must be a real numeric array; got a string array of dtype <U1."),
    ("numeric strings", lambda: _net(b_h=["1", "2", "3"]), InputTypeError,
     "`b_h` must be a real numeric array; got a string array of dtype <U1."),
    ("booleans", lambda: ElmanNetwork.from_arrays(np.eye(2, dtype=bool)), InputTypeError,
     "`W_hh` must be a real numeric array; got a boolean array of dtype bool."),
    ("ragged", lambda: ElmanNetwork.from_arrays([[1.0, 2.0], [3.0]]), InputTypeError, "`W_hh`"),
    ("zero units", lambda: ElmanNetwork.random(0), ValidationError,
     "`n_hidden` must be a positive integer; got 0."),
    ("negative units", lambda: ElmanNetwork.random(-3), ValidationError,
     "`n_hidden` must be a positive integer; got -3."),
    ("fractional units", lambda: ElmanNetwork.random(2.5), InputTypeError,
     "`n_hidden` must be a positive integer; got 2.5."),
    ("units as text", lambda: ElmanNetwork.random("64"), InputTypeError,
     "`n_hidden` must be a positive integer; got the string '64'."),
    ("units as bool", lambda: ElmanNetwork.random(True), InputTypeError,
     "`n_hidden` must be a positive integer; got True."),
    ("zero n_input", lambda: ElmanNetwork.random(4, n_input=0), ValidationError,
     "`n_input` must be a positive integer; got 0."),
    ("negative n_output", lambda: ElmanNetwork.random(4, n_output=-1), ValidationError,
     "`n_output` must be a positive integer; got -1."),
    ("negative burn_in", lambda: gt.simulate(_net(), 5, burn_in=-2), ValidationError,
     "`burn_in` must be a non-negative integer; got -2."),
    ("NumPy negative burn_in", lambda: gt.lyapunov(_net(), 50, burn_in=np.int64(-3)),
     ValidationError, "`burn_in` must be a non-negative integer; got -3."),
    ("fractional burn_in", lambda: gt.lyapunov(_net(), 50, burn_in=1.5), InputTypeError,
     "`burn_in` must be a non-negative integer; got 1.5."),
    ("burn_in as bool", lambda: gt.simulate(_net(), 5, burn_in=True), InputTypeError,
     "`burn_in` must be a non-negative integer; got True."),
    ("zero gain", lambda: ElmanNetwork.random(4, gain=0), ValidationError,
     "`gain` must be a real number > 0; got 0.0."),
    ("NaN gain", lambda: ElmanNetwork.random(4, gain=float("nan")), ValidationError,
     "`gain` must be a finite real number; got nan."),
    ("gain as text", lambda: ElmanNetwork.random(4, gain="big"), InputTypeError,
     "`gain` must be a real number; got the string 'big'."),
    ("negative bias_std", lambda: ElmanNetwork.random(4, bias_std=-0.1), ValidationError,
     "`bias_std` must be a real number >= 0; got -0.1."),
    ("unknown activation", lambda: ElmanNetwork.random(4, activation="swish"), ValidationError,
     "`activation` must be one of 'elu', 'hardtanh', 'identity', 'relu', 'sigmoid', 'softplus', "
     "'tanh'; got 'swish'."),
    ("unknown notation", lambda: gt.get_notation("knuth"), ValidationError,
     "`notation` must be one of 'elman', 'goodfellow', 'ng', 'pascanu'; got 'knuth'."),
    ("unknown init", lambda: ElmanNetwork.random(4, init="xavier"), ValidationError,
     "`init` must be one of 'gaussian', 'identity', 'orthogonal'; got 'xavier'."),
    ("unknown form", lambda: ElmanNetwork.from_arrays(np.eye(2), form="jordan"), ValidationError,
     "`form` must be one of 'elman', 'pascanu'; got 'jordan'."),
    ("bad rng", lambda: ElmanNetwork.random(4, rng="seed"), InputTypeError,
     "`rng` must be a numpy.random.Generator, BitGenerator or SeedSequence, a non-negative int "
     "seed or None; got the string 'seed'."),
    ("negative seed", lambda: ElmanNetwork.random(4, rng=-1), ValidationError,
     "`rng` must be a numpy.random.Generator, BitGenerator or SeedSequence, a non-negative int "
     "seed or None; got -1."),
    ("gains not a tuple", lambda: gt.default_networks(gains=2.0), InputTypeError,
     "`gains` must be a non-empty tuple of positive numbers; got 2.0."),
    ("unknown field", lambda: ElmanNetwork.from_arrays(np.eye(2)).replace(W_hx=1),
     ValidationError, "`changes` must name fields of ElmanNetwork; got unknown W_hx."),
    ("replace revalidates", lambda: ElmanNetwork.from_arrays(np.eye(2)).replace(
        W_hh=np.ones((2, 3))), ValidationError,
     "`W_hh` must be a square 2-D array; got shape (2, 3)."),
]


@pytest.mark.parametrize(("call", "kind", "message"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_bad_input_gets_one_clear_line(call, kind, message):
    with pytest.raises(kind) as info:
        call()
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith("`")
    assert message in text


def test_hierarchy_lets_callers_catch_either_the_base_or_the_builtin():
    assert issubclass(ValidationError, GradTheoryError)
    assert issubclass(ValidationError, ValueError)
    assert issubclass(InputTypeError, GradTheoryError)
    assert issubclass(InputTypeError, TypeError)
    assert issubclass(UnsafeFileError, ValidationError)
    assert issubclass(MissingDependencyError, ImportError)
    assert issubclass(gt.ConvergenceError, GradTheoryError)
    assert issubclass(gt.ConvergenceError, RuntimeError)
    with pytest.raises(ValueError, match="W_hh"):
        ElmanNetwork.from_arrays(np.ones((2, 3)))
    with pytest.raises(TypeError, match="W_hh"):
        ElmanNetwork.from_arrays("abc")


def test_integral_floats_and_numpy_integers_are_accepted_sizes():
    assert ElmanNetwork.random(np.int64(3), rng=0).n_hidden == 3
    assert ElmanNetwork.random(4.0, rng=0).n_hidden == 4


def test_rng_accepts_what_default_rng_accepts():
    from gradtheory import _validate

    for source in (np.random.SeedSequence(7), np.random.PCG64(7), 7):
        assert _validate.rng(source).random() == np.random.default_rng(7).random()
    gen = np.random.default_rng(7)
    assert _validate.rng(gen) is gen


def test_streams_are_repeatable_and_independent_of_the_seeds_own_stream():
    from gradtheory import _validate

    first, second = _validate.streams(0, 2)
    again = _validate.streams(0, 2)[0]
    own = np.random.default_rng(0).standard_normal(64)
    a, b = first.standard_normal(64), second.standard_normal(64)
    np.testing.assert_array_equal(a, again.standard_normal(64))
    # Independent N(0, 1) samples of 64: correlation ~ N(0, 1/64); 0.6 is a 4.8-sigma event.
    for x, y in ((a, own), (b, own), (a, b)):
        assert abs(np.corrcoef(x, y)[0, 1]) < 0.6


def test_cli_inputs_are_not_the_weights_rows(capsys):
    # Regression: with W_xh = I the first n inputs equalled the rows of sqrt(n) W_0 (one seed
    # drove both). Now the inputs come from a child stream.
    from gradtheory.cli._common import input_stream

    class Args:
        seed = 0

    net = ElmanNetwork.random(8, gain=1.0, rng=0)
    X = input_stream(Args()).standard_normal((8, 8))
    assert not np.allclose(X, np.sqrt(8) * net.W_hh)
