"""The activation table against SymPy: every NumPy f and f' against the SymPy expression and its
derivative evaluated at 30 significant digits, and gamma = sup|f'| against a dense grid."""

import mpmath
import numpy as np
import pytest
import sympy as sp

from gradtheory import ACTIVATIONS, Activation, InputTypeError, ValidationError, get_activation

EPS = np.finfo(np.float64).eps
# Each NumPy formula is a handful of correctly rounded operations plus one exp/log (<= 1 ulp),
# so its relative error is a few ulp; 64 eps leaves room without hiding a wrong formula.
RTOL = 64 * EPS
Z = sp.Symbol("z", real=True)


def _points(act: Activation) -> np.ndarray:
    rng = np.random.default_rng(20130301)
    x = np.concatenate([rng.uniform(-30.0, 30.0, 120), rng.standard_normal(120),
                        np.linspace(-8.0, 8.0, 81)])
    for kink in act.kinks:  # f' is undefined there; the convention is tested separately
        x = x[np.abs(x - kink) > 1e-6]
    return x


def _reference(expr: sp.Expr, xs: np.ndarray) -> np.ndarray:
    # evalf with subs= tracks the accuracy of the whole expression (it raises the working
    # precision through cancellations such as 1 - tanh(28)**2), so 30 digits are 30 correct.
    with mpmath.workdps(30):
        return np.array([float(expr.evalf(30, subs={Z: sp.Float(repr(float(x)), 30)}))
                         for x in xs])


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_numpy_function_matches_sympy(name):
    act = ACTIVATIONS[name]
    xs = _points(act)
    np.testing.assert_allclose(act.f(xs), _reference(act.symbolic(Z), xs), rtol=RTOL, atol=0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_numpy_derivative_matches_sympy_derivative(name):
    act = ACTIVATIONS[name]
    xs = _points(act)
    ref = _reference(sp.diff(act.symbolic(Z), Z), xs)
    np.testing.assert_allclose(act.df(xs), ref, rtol=RTOL, atol=0)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_difference(name):
    # An independent second reference: h = 1e-5 gives truncation ~h^2 |f'''| and rounding
    # ~eps/h, both below 1e-8 for these functions away from kinks.
    act = ACTIVATIONS[name]
    xs = np.linspace(-4.0, 4.0, 161) + 0.013  # off 0, where elu's f'' jumps (O(h) error)
    for kink in act.kinks:
        xs = xs[np.abs(xs - kink) > 1e-3]
    h = 1e-5
    fd = (act.f(xs + h) - act.f(xs - h)) / (2 * h)
    np.testing.assert_allclose(act.df(xs), fd, rtol=0, atol=1e-8)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_gamma_is_the_supremum_of_the_derivative(name):
    act = ACTIVATIONS[name]
    grid = np.concatenate([np.linspace(-60.0, 60.0, 240_001), [0.0, 1e-9, -1e-9]])
    abs_df = np.abs(act.df(grid))
    assert abs_df.max() <= act.gamma * (1 + 4 * EPS)
    assert abs_df.max() >= act.gamma * (1 - 1e-9)  # attained, or approached in the tails
    assert abs_df.min() >= act.gamma_min * (1 - 4 * EPS)
    assert abs_df.min() <= act.gamma_min + 1e-9


def test_symbolic_gamma_is_exact():
    assert get_activation("sigmoid").symbolic_gamma == sp.Rational(1, 4)
    assert get_activation("tanh").symbolic_gamma == 1


@pytest.mark.parametrize(("name", "at", "value"),
                         [("relu", 0.0, 0.0), ("hardtanh", 1.0, 0.0), ("hardtanh", -1.0, 0.0)])
def test_kink_convention_matches_pytorch(name, at, value):
    # PyTorch's autograd gives relu'(0) = 0 and hardtanh'(+-1) = 0; the loader reproduces torch.
    assert float(get_activation(name).df(np.array(at))) == value


def test_tails_do_not_overflow_or_warn():
    # filterwarnings=error turns any overflow RuntimeWarning into a failure here.
    x = np.array([-1e4, -800.0, 800.0, 1e4])
    for act in ACTIVATIONS.values():
        assert np.all(np.isfinite(act.df(x)))
        assert np.all(np.isfinite(act.f(x)))


def test_lookup_is_case_insensitive_and_passes_rows_through():
    row = get_activation("TanH")
    assert row is ACTIVATIONS["tanh"]
    assert get_activation(row) is row


def test_unknown_activation_names_the_argument_and_the_choices():
    with pytest.raises(ValidationError,
                       match=r"^`activation` must be one of .*'tanh'.*; got 'swish'\.$"):
        get_activation("swish")
    with pytest.raises(InputTypeError, match="`activation`"):
        get_activation(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_odd_flag_matches_the_sympy_expression(name):
    act = ACTIVATIONS[name]
    xs = _points(act)
    # f(-z) + f(z) from SymPy's expression at 30 digits: zero for an odd f (to its rounding),
    # at least 1e-3 somewhere for the others (sigmoid: 1; relu, softplus, elu: |z| and more).
    residual = np.abs(_reference(act.symbolic(-Z) + act.symbolic(Z), xs))
    assert bool(residual.max() <= 1e-25) is act.odd
