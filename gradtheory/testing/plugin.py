r"""The gradtheory pytest plugin: seeded networks in a chosen gradient regime, and tolerances.

Installing gradtheory registers this module under the ``pytest11`` entry point, so every
project that has gradtheory gets, with no conftest:

* the fixture ``rnn_factory``, a :class:`RNNFactory`:
  ``rnn_factory("exploding", input_std=1.0)`` is a seeded random
  :class:`~gradtheory.ElmanNetwork` whose gain the theory puts in that regime;
* the fixture ``gradtheory_tolerance``, a :class:`RateTolerance`: the allowed gap between a
  measured per-step log-rate and the mean-field prediction, for a network and a run length;
* the option ``--gradtheory-seed=S`` (default 0) and the marker
  ``@pytest.mark.gradtheory(seed=S)`` (registered, so ``--strict-markers`` accepts it);
* the report header line ``gradtheory <version>, seed S``.

``pytest -p no:gradtheory`` turns it all off.

*Seeds.* A network's seed is the ``seed=`` argument if given; otherwise the k-th such call
(k = 0, 1, ...) in a test gets ``S + k``, where S is the closest marker's seed, else the
option's. So two networks in one test differ, every run repeats them, and the seed printed in
a network's name rebuilds it: ``rnn_factory(regime, ..., seed=that)``.

*Regimes* (:data:`REGIMES`), with :math:`W_{hh} = g\,W_0` and the one-step Jacobian
:math:`J_t = \operatorname{diag}(f'(a_t))W_{hh}`, :math:`\|J_t\|_2 \le \gamma\sigma_{\max}`:

.. math::

    \text{vanishing:}\quad g = \frac{1}{2\gamma\,\sigma_{\max}(W_0)}
    \;\Rightarrow\; \|\partial h_T/\partial h_{T-L}\|_2 \le 2^{-L}, \qquad
    \text{critical:}\quad g = g_c(\sigma_u), \qquad
    \text{exploding:}\quad g = 1.6\,g_c(\sigma_u),

where :math:`g_c(\sigma_u)` is :func:`~gradtheory.critical_gain` for the input drive
:math:`\sigma_u` = ``input_std`` (the networks have :math:`W_{xh} = I`), the mean-field edge of
chaos :math:`\chi = 1` (1 without input, 1.856 for tanh with unit input). The vanishing regime
is certified for every draw; the other two are mean-field statements about the ensemble of
random matrices, checked by measurement (the numbers are next to :data:`EXPLODING_FACTOR`). They
need a random ``W_0``, so ``init="identity"`` is refused there. With ``input_std=0`` a tanh
network started at :math:`h_0 = 0` stays there, so :math:`J_t = W_{hh}` and its exponents are
those of :math:`W_{hh}` (:math:`\log g` for orthogonal :math:`W_0`), not the mean-field ones.

References
----------
Pascanu, R., Mikolov, T. and Bengio, Y. (2013). On the difficulty of training recurrent neural
networks. ICML.
Chen, M., Pennington, J. and Schoenholz, S. S. (2018). Dynamical isometry and a mean field
theory of RNNs. ICML.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Mapping
from types import MappingProxyType

import numpy as np
import pytest

from .. import __version__, _validate
from ..activations import Activation, get_activation
from ..errors import InputTypeError
from ..network import INITS, ElmanNetwork
from ..spectral.meanfield import MeanFieldPrediction, critical_gain

__all__ = ["EXPLODING_FACTOR", "REGIMES", "VANISHING_NORM", "RNNFactory", "RateTolerance",
           "gradtheory_tolerance", "pytest_addoption", "pytest_configure",
           "pytest_report_header", "rnn_factory"]

#: Certified one-step bound of the vanishing regime: :math:`\gamma\sigma_{\max}(W_{hh})`.
VANISHING_NORM = 0.5
# Measured top Lyapunov exponent (``lyapunov(net, 2000, k=1, burn_in=200)``, tanh, n = 32,
# orthogonal, seeds 0-29, min / mean): at 1.6 g_c +0.470 with input_std 0 (the state stays
# 0, so J_t = W_hh and it is exactly log 1.6), +0.160 / +0.173 at 0.5, +0.188 / +0.202 at 1;
# at g_c 0, -0.019 / -0.015, -0.041 / -0.031; vanishing -0.693, -0.888 / -0.885,
# -1.115 / -1.110 (<= log 0.5 always). 1.4 g_c gives only about +0.12 at input_std 0.5.
# Gaussian W_0 at n = 32 is noisier: at input_std 0.5 and 1.6 g_c, 6 of 30 draws stay
# below +0.1 (min -0.258; mean +0.113), so only the orthogonal default is guaranteed chaotic.
#: Gain of the exploding regime over the edge of chaos, :math:`g / g_c`.
EXPLODING_FACTOR = 1.6

# The gain rule of each regime, from (gamma, sigma_max of the unit-gain draw, g_c).
_Rule = Callable[[float, float, Callable[[], float]], float]

#: Regimes: name -> (what the gain guarantees, gain rule).
REGIMES: Mapping[str, tuple[str, _Rule]] = MappingProxyType({
    "vanishing": ("gamma*sigma_max(W_hh) = 0.5: every gradient at least halves per step "
                  "(certified)", lambda gamma, s_max, g_c: VANISHING_NORM / (gamma * s_max)),
    "critical": ("gain = g_c(input_std), the mean-field edge of chaos (chi = 1)",
                 lambda gamma, s_max, g_c: g_c()),
    "exploding": ("gain = 1.6 g_c(input_std): chaotic, top Lyapunov exponent > 0",
                  lambda gamma, s_max, g_c: EXPLODING_FACTOR * g_c()),
})
# Regimes that rest on mean-field theory, i.e. on a random W_0.
_MEAN_FIELD = ("critical", "exploding")
_RANDOM_INITS = ("gaussian", "orthogonal")


class RNNFactory:
    """Seeded random networks in a chosen gradient regime: the ``rnn_factory`` fixture.

    Call it as ``make(regime="vanishing", *, n_hidden=32, input_std=1.0, activation="tanh",
    init="orthogonal", seed=None)``; see :meth:`__call__` and the module notes.

    Parameters
    ----------
    base_seed : int
        S, the seed of the first call without ``seed=``; the k-th such call uses S + k.

    Raises
    ------
    ValidationError
        On a negative or non-integer ``base_seed``.

    See Also
    --------
    gradtheory.ElmanNetwork.random : the initialiser it calls.
    gradtheory.critical_gain : the edge of chaos the critical and exploding gains follow.

    Examples
    --------
    >>> make = RNNFactory(base_seed=0)
    >>> make("critical").name
    'critical orthogonal(n=32, gain=1.856, input_std=1, seed=0)'
    >>> make("vanishing", input_std=0.0).name     # the second call: seed 0 + 1
    'vanishing orthogonal(n=32, gain=0.5, input_std=0, seed=1)'
    """

    __slots__ = ("_calls", "base_seed")

    def __init__(self, base_seed: int) -> None:
        self.base_seed = _validate.nonnegative_int(base_seed, "base_seed")
        self._calls = itertools.count()

    def __repr__(self) -> str:
        return f"RNNFactory(base_seed={self.base_seed})"

    def __call__(self, regime: str = "vanishing", *, n_hidden: int = 32, input_std: float = 1.0,
                 activation: str | Activation = "tanh", init: str = "orthogonal",
                 seed: int | None = None) -> ElmanNetwork:
        """A seeded random network whose gain puts it in ``regime`` for this input drive.

        Parameters
        ----------
        regime : {"vanishing", "critical", "exploding"}, optional
            The gradient regime (:data:`REGIMES`); default ``"vanishing"``.
        n_hidden : int, optional
            Number of hidden units n (default 32).
        input_std : float, optional
            Std of the i.i.d. Gaussian inputs the network will be run with (default 1); sets
            :math:`g_c` for the critical and exploding regimes (W_xh = I).
        activation : str or Activation, optional
            Hidden nonlinearity (default ``"tanh"``).
        init : {"orthogonal", "gaussian", "identity"}, optional
            Recurrent initialiser (:data:`gradtheory.INITS`, default ``"orthogonal"``);
            ``"identity"`` only for the vanishing regime.
        seed : int or None, optional
            The seed; ``None`` (default): the factory's next seed (see the module notes).

        Returns
        -------
        ElmanNetwork
            The network, named ``"<regime> <init>(n=.., gain=.., input_std=.., seed=..)"``.

        Raises
        ------
        ValidationError
            On an unknown regime, init or activation, a bad size, std or seed, an identity
            init for a mean-field regime, or an activation without an edge of chaos.
        """
        kind = _validate.choice(regime, "regime", REGIMES)
        n = _validate.positive_int(n_hidden, "n_hidden")
        s_u = _validate.real_number(input_std, "input_std", minimum=0.0)
        act = get_activation(activation)
        how = _validate.choice(init, "init", INITS)
        if kind in _MEAN_FIELD and how not in _RANDOM_INITS:
            raise _validate.fail("init", f"'gaussian' or 'orthogonal' for the {kind} regime "
                                 "(mean-field theory describes random matrices)", repr(init))
        chosen = self.base_seed + next(self._calls) if seed is None \
            else _validate.nonnegative_int(seed, "seed")

        def edge() -> float:
            g_c = critical_gain(input_std=s_u, activation=act)
            if g_c is None:
                raise _validate.fail("activation", f"an activation with an edge of chaos for "
                                     f"the {kind} regime", repr(act.name))
            return g_c

        unit = ElmanNetwork.random(n, gain=1.0, init=how, activation=act, rng=chosen)
        s_max = float(np.linalg.norm(unit.W_hh, 2))
        gain = REGIMES[kind][1](act.gamma, s_max, edge)
        # Same seed, same W_0 (ElmanNetwork.random draws it first), scaled by the gain.
        net = ElmanNetwork.random(n, gain=gain, init=how, activation=act, rng=chosen)
        return net.replace(name=f"{kind} {how}(n={n}, gain={gain:.4g}, input_std={s_u:g}, "
                                f"seed={chosen})")


class RateTolerance:
    r"""Allowed gap between a measured per-step log-rate and the mean-field prediction.

    The ``gradtheory_tolerance`` fixture. ``tol(network, n_steps)`` is
    :meth:`gradtheory.MeanFieldPrediction.tolerance` for the network's size: the
    finite-n and finite-T error of :math:`\tfrac12\ln\chi` as a prediction of a measured top
    Lyapunov exponent or fitted lag-profile rate of one random network.

    See Also
    --------
    gradtheory.MeanFieldPrediction.tolerance : the formula, with its stated accuracy.
    gradtheory.mean_field : the prediction the tolerance is for.

    Notes
    -----
    .. math::

        \text{tol}(n, T) = \Big(\frac4n + \frac{0.5}{\sqrt n}\Big)\max\big(1, \sqrt{1000/T}\big)

    It describes random networks (:meth:`~gradtheory.ElmanNetwork.random`, i.i.d. inputs),
    not trained weights.

    Examples
    --------
    >>> from gradtheory import ElmanNetwork
    >>> tol = RateTolerance()
    >>> round(tol(ElmanNetwork.random(64, rng=0), 1000), 4)
    0.125
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "RateTolerance()"

    def __call__(self, network: ElmanNetwork, n_steps: int) -> float:
        """The tolerance for ``network`` measured over ``n_steps`` steps.

        Parameters
        ----------
        network : ElmanNetwork
            The network (its size n is what matters).
        n_steps : int
            T, the steps the rate is measured over.

        Returns
        -------
        float
            The allowed absolute difference of per-step log-rates.

        Raises
        ------
        InputTypeError
            If ``network`` is not an ElmanNetwork.
        ValidationError
            On a non-positive ``n_steps``.
        """
        if not isinstance(network, ElmanNetwork):
            raise _validate.fail("network", "an ElmanNetwork", _validate.describe(network),
                                 cls=InputTypeError)
        return MeanFieldPrediction.tolerance(network.n_hidden,
                                             _validate.positive_int(n_steps, "n_steps"))


def _seed_option(text: str) -> int:
    """argparse type of ``--gradtheory-seed``: the message is the package's one-line form."""
    try:
        return _validate.nonnegative_int(int(text), "--gradtheory-seed")
    except ValueError:  # not an integer, or negative (ValidationError is a ValueError)
        raise argparse.ArgumentTypeError(
            f"`--gradtheory-seed` must be a non-negative integer; got {text!r}.") from None


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--gradtheory-seed`` to pytest's command line.

    Parameters
    ----------
    parser : pytest.Parser
        pytest's option parser.
    """
    group = parser.getgroup("gradtheory", "gradtheory networks and tolerances")
    group.addoption("--gradtheory-seed", dest="gradtheory_seed", type=_seed_option, default=0,
                    metavar="S", help="base seed of the rnn_factory fixture (int >= 0, "
                                      "default 0); @pytest.mark.gradtheory(seed=) overrides it")


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``gradtheory`` marker (so ``--strict-markers`` accepts it).

    Parameters
    ----------
    config : pytest.Config
        pytest's configuration.
    """
    config.addinivalue_line(
        "markers", "gradtheory(seed=None): base seed of the rnn_factory fixture for this test "
                   "(overrides --gradtheory-seed)")


def pytest_report_header(config: pytest.Config) -> str:
    """The header line ``gradtheory <version>, seed S``.

    Parameters
    ----------
    config : pytest.Config
        pytest's configuration.

    Returns
    -------
    str
        The line.
    """
    return f"gradtheory {__version__}, seed {config.getoption('gradtheory_seed')}"


def _marker_seed(node: pytest.Item | pytest.Collector) -> int | None:
    marker = node.get_closest_marker("gradtheory")
    if marker is None:
        return None
    value = marker.kwargs.get("seed", marker.args[0] if marker.args else None)
    name = "seed of @pytest.mark.gradtheory"
    return None if value is None else _validate.nonnegative_int(value, name)


@pytest.fixture
def rnn_factory(request: pytest.FixtureRequest) -> RNNFactory:
    """A :class:`RNNFactory`: ``rnn_factory("exploding", input_std=1.0)`` is a network.

    Its base seed is the closest ``@pytest.mark.gradtheory(seed=S)``, else
    ``--gradtheory-seed``; each call without ``seed=`` takes the next seed.
    """
    seed = _marker_seed(request.node)
    return RNNFactory(request.config.getoption("gradtheory_seed") if seed is None else seed)


@pytest.fixture
def gradtheory_tolerance() -> RateTolerance:
    """A :class:`RateTolerance`: ``gradtheory_tolerance(network, n_steps)`` is the allowed gap
    between a measured per-step log-rate and :math:`\\tfrac12\\ln\\chi`."""
    return RateTolerance()
