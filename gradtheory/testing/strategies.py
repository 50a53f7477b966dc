r"""Hypothesis strategies: weight matrices with prescribed spectra, known transients, networks.

Every strategy returns a :class:`hypothesis.strategies.SearchStrategy`; sizes and entries are
drawn by Hypothesis, so a failing example shrinks to a small, simple one. Every array is float64
and finite. With :math:`\varepsilon` the float64 machine epsilon and n the matrix size:

.. math::

    \text{weight\_matrices(spectral\_radius=r):}\quad &
    \big|\hat\rho(W)/r - 1\big| \le 4n\varepsilon, \qquad
    \hat\rho(W) = \max_i |\texttt{numpy.linalg.eigvals}(W)_i|, \\
    \text{weight\_matrices(sigma\_max=s):}\quad &
    \big|\hat\sigma_{\max}(W)/s - 1\big| \le 4n\varepsilon, \qquad
    \hat\sigma_{\max}(W) = \texttt{numpy.linalg.norm}(W, 2), \\
    \text{orthogonal\_matrices:}\quad & \max_{ij}|(WW^\top - I)_{ij}| \le 4n\varepsilon, \\
    \text{non\_normal\_matrices:}\quad & \max_{k\ge0}\|W^k\|_2
    \text{ in closed form, to } 8\varepsilon.

The first three are checked on every draw, and a draw that misses (an ill-conditioned
eigenvalue problem, rare) is rejected so that Hypothesis draws again: the accuracies are
guarantees, not typical values.

This module needs Hypothesis (the ``test`` extra); :mod:`gradtheory.testing` does not import
it, so import it explicitly: ``from gradtheory.testing import strategies``.

References
----------
Trefethen, L. N. and Embree, M. (2005). Spectra and Pseudospectra, ch. 14. Princeton.
Mezzadri, F. (2007). How to generate random matrices from the classical compact groups.
Notices of the AMS 54(5).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

import numpy as np

from .. import _validate
from .._repr import summary_repr
from ..activations import ACTIVATIONS, Activation, get_activation
from ..errors import InputTypeError, MissingDependencyError
from ..network import FORMS, INITS, ElmanNetwork

try:
    from hypothesis import reject
    from hypothesis import strategies as st
    from hypothesis.extra import numpy as hnp
except ImportError as exc:  # the `test` extra is optional
    raise MissingDependencyError(
        "gradtheory.testing.strategies needs hypothesis, which is not installed; install it "
        "with `pip install 'gradtheory[test]'` or `pip install hypothesis`.") from exc

__all__ = ["TransientCase", "networks", "non_normal_matrices", "orthogonal_matrices",
           "weight_matrices"]

_T = TypeVar("_T")

_EPS = float(np.finfo(np.float64).eps)
#: Promised relative accuracy of a prescribed ρ or σ_max, per unit of n (so 4 n ε in all).
_SCALE_RTOL = 4.0
#: Draws with ρ(A) below this fraction of σ_max(A) are rejected when a radius is prescribed:
#: for a nearly nilpotent A, ρ is mostly rounding and r/ρ(A) an absurd scale.
_MIN_RHO_RATIO = 1e-3
#: Diagonal |a| and coupling |c| of the 2 x 2 blocks of :func:`non_normal_matrices`.
_MAX_DIAGONAL = 0.9
_MAX_COUPLING = 8.0

_SIZES = st.integers(1, 8)
_ENTRIES = st.floats(-1.0, 1.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)
_GAINS = st.floats(0.1, 3.0, allow_nan=False, allow_infinity=False)
_SEEDS = st.integers(0, 2**32 - 1)


# ---------------------------------------------------------------------------- argument handling
def _positive(value: Any, name: str) -> float:
    return _validate.real_number(value, name, minimum=0.0, strict=True)


def _activation(value: Any, name: str) -> Activation:
    return get_activation(value)


def _choice(table: Mapping[str, Any]) -> Callable[[Any, str], str]:
    return lambda value, name: _validate.choice(value, name, table)


def _argument(value: Any, name: str, check: Callable[[Any, str], _T],
              default: st.SearchStrategy[_T]) -> st.SearchStrategy[_T]:
    """A value (validated now), a strategy (each draw validated), or None (the default)."""
    if value is None:
        return default
    if isinstance(value, st.SearchStrategy):
        return value.map(lambda drawn: check(drawn, name))
    return st.just(check(value, name))


def _finite_matrix(A: np.ndarray) -> np.ndarray:
    """A drawn matrix from user ``elements``: finite, float64, writable."""
    return np.array(_validate.real_array(A, "elements", ndim=2, square=True))


def _matrices(sizes: st.SearchStrategy[int],
              entries: st.SearchStrategy[float]) -> st.SearchStrategy[np.ndarray]:
    return sizes.flatmap(
        lambda k: hnp.arrays(np.float64, (k, k), elements=entries)).map(_finite_matrix)


# ---------------------------------------------------------------------------- measures
def _rho(A: np.ndarray) -> float:
    return float(np.max(np.abs(np.linalg.eigvals(A))))


def _sigma(A: np.ndarray) -> float:
    return float(np.linalg.norm(A, 2))


_MEASURES: Mapping[str, Callable[[np.ndarray], float]] = MappingProxyType({
    "spectral_radius": _rho,
    "sigma_max": _sigma,
})


def _rescaled(A: np.ndarray, target: float, kind: str) -> np.ndarray | None:
    """``A`` scaled so that its ρ or σ_max is ``target`` to 4nε, or None (reject the draw)."""
    peak = float(np.max(np.abs(A)))
    if peak == 0.0:
        return None
    # A power-of-two scale is exact: max |a_ij| in [1/2, 1), away from under- and overflow.
    A = np.ldexp(A, -math.frexp(peak)[1])
    measure = _MEASURES[kind]
    current = measure(A)
    if kind == "spectral_radius" and current < _MIN_RHO_RATIO * _sigma(A):
        return None
    W = A * (target / current)
    if not np.all(np.isfinite(W)):
        return None
    if abs(measure(W) / target - 1.0) > _SCALE_RTOL * W.shape[0] * _EPS:
        return None  # an ill-conditioned eigenvalue problem: the promise would not hold
    return W


@st.composite
def _scaled_matrices(draw: Any, sizes: st.SearchStrategy[int],
                     entries: st.SearchStrategy[float], targets: st.SearchStrategy[float],
                     kind: str) -> np.ndarray:
    target = draw(targets)
    W = _rescaled(draw(_matrices(sizes, entries)), target, kind)
    if W is None:
        reject()  # Hypothesis draws again
    return W


# ---------------------------------------------------------------------------- weight matrices
def weight_matrices(n: int | st.SearchStrategy[int] | None = None, *,
                    spectral_radius: float | st.SearchStrategy[float] | None = None,
                    sigma_max: float | st.SearchStrategy[float] | None = None,
                    elements: st.SearchStrategy[float] | None = None
                    ) -> st.SearchStrategy[np.ndarray]:
    r"""Square float64 matrices, optionally scaled to a prescribed ρ or σ_max.

    Parameters
    ----------
    n : int or SearchStrategy of int or None, optional
        Size; default drawn from 1..8.
    spectral_radius : float or SearchStrategy of float or None, optional
        Prescribed spectral radius r > 0: the drawn matrix A is scaled to
        :math:`W = r A / \rho(A)`. Default None: no scaling.
    sigma_max : float or SearchStrategy of float or None, optional
        Prescribed largest singular value s > 0: :math:`W = s A / \sigma_{\max}(A)`. Not
        together with ``spectral_radius``.
    elements : SearchStrategy of float or None, optional
        Entries of A; default finite floats in [-1, 1] (no subnormals). They must be finite.

    Returns
    -------
    SearchStrategy of numpy.ndarray, shape (n, n)
        Fresh, writable float64 matrices.

    Raises
    ------
    ValidationError
        If both ``spectral_radius`` and ``sigma_max`` are given, or a size, radius or singular
        value is not positive (a drawn one when it is drawn); if ``elements`` draws a NaN or an
        infinity.
    InputTypeError
        If ``elements`` is not a strategy.

    See Also
    --------
    orthogonal_matrices : all singular values 1.
    non_normal_matrices : matrices with a known transient peak of :math:`\|W^k\|_2`.

    Notes
    -----
    With a prescription, A is first scaled by a power of two (exact) to
    :math:`\max_{ij}|a_{ij}| \in [1/2, 1)`, then by the target over the computed measure, and
    the result is checked:

    .. math::

        \big|\hat\rho(W)/r - 1\big| \le 4n\varepsilon
        \quad\text{or}\quad
        \big|\hat\sigma_{\max}(W)/s - 1\big| \le 4n\varepsilon,

    with :math:`\hat\rho`, :math:`\hat\sigma_{\max}` from ``numpy.linalg.eigvals`` and
    ``numpy.linalg.norm(W, 2)``. Singular values are perfectly conditioned, so σ_max always
    passes; eigenvalues are not, so a draw whose computed ρ misses (a nearly defective matrix)
    is rejected, and so is the zero matrix and, for a radius, any A with
    :math:`\rho(A) < 10^{-3}\,\sigma_{\max}(A)` (nearly nilpotent: its computed ρ is mostly
    rounding). Hypothesis then draws again; these are rare.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import find
    >>> W = find(weight_matrices(3, spectral_radius=0.9), lambda W: True)
    >>> W.shape, round(float(np.max(np.abs(np.linalg.eigvals(W)))), 12)
    ((3, 3), 0.9)
    >>> round(float(np.linalg.norm(find(weight_matrices(sigma_max=2.0), lambda W: True), 2)), 12)
    2.0
    """
    if spectral_radius is not None and sigma_max is not None:
        raise _validate.fail("sigma_max", "None when `spectral_radius` is given (prescribe one)",
                             _validate.describe(sigma_max))
    if elements is None:
        elements = _ENTRIES
    elif not isinstance(elements, st.SearchStrategy):
        raise _validate.fail("elements", "a hypothesis strategy of floats",
                             _validate.describe(elements), cls=InputTypeError)
    sizes = _argument(n, "n", _validate.positive_int, _SIZES)
    if spectral_radius is not None:
        targets = _argument(spectral_radius, "spectral_radius", _positive, _GAINS)
        return _scaled_matrices(sizes, elements, targets, "spectral_radius")
    if sigma_max is not None:
        targets = _argument(sigma_max, "sigma_max", _positive, _GAINS)
        return _scaled_matrices(sizes, elements, targets, "sigma_max")
    return _matrices(sizes, elements)


# ---------------------------------------------------------------------------- orthogonal
def _orthogonal_factor(A: np.ndarray) -> np.ndarray:
    # R's diagonal signs folded into Q (Mezzadri 2007), as network.py does; a zero diagonal
    # entry keeps its column (a sign of 0 would zero it).
    Q, R = np.linalg.qr(A)
    return np.ascontiguousarray(Q * np.where(np.diag(R) < 0.0, -1.0, 1.0))


def _orthogonal_enough(Q: np.ndarray) -> bool:
    n = Q.shape[0]
    return bool(np.max(np.abs(Q @ Q.T - np.eye(n))) <= _SCALE_RTOL * n * _EPS)


def orthogonal_matrices(n: int | st.SearchStrategy[int] | None = None
                        ) -> st.SearchStrategy[np.ndarray]:
    r"""Orthogonal matrices to working precision: the Q factor of a drawn matrix.

    Parameters
    ----------
    n : int or SearchStrategy of int or None, optional
        Size; default drawn from 1..8.

    Returns
    -------
    SearchStrategy of numpy.ndarray, shape (n, n)
        Matrices W with :math:`\max_{ij}|(WW^\top - I)_{ij}| \le 4n\varepsilon`.

    Raises
    ------
    ValidationError
        If ``n`` (or a drawn size) is not a positive integer.

    See Also
    --------
    gradtheory.ElmanNetwork.random : ``init="orthogonal"`` draws Haar-distributed ones.

    Notes
    -----
    :math:`A = QR` by Householder reflections (``numpy.linalg.qr``), then
    :math:`W = Q\,\operatorname{diag}(\operatorname{sign} r_{ii})` with sign(0) taken as +1.
    Householder QR gives an orthogonal Q for any A, singular or not, with
    :math:`\|Q^\top Q - I\| = O(n\varepsilon)`; each draw is checked against the bound above
    (and redrawn in the unlikely case it misses). The entries of A come from Hypothesis, not a
    Gaussian, so W is not Haar-distributed; in exchange a failure shrinks toward A = 0, whose
    Q is the identity, and Hypothesis explores permutations and reflections on the way.

    Examples
    --------
    >>> import numpy as np
    >>> from hypothesis import find
    >>> W = find(orthogonal_matrices(4), lambda W: True)
    >>> bool(np.allclose(W @ W.T, np.eye(4), rtol=0, atol=16 * np.finfo(float).eps))
    True
    """
    sizes = _argument(n, "n", _validate.positive_int, _SIZES)
    return _matrices(sizes, _ENTRIES).map(_orthogonal_factor).filter(_orthogonal_enough)


# ---------------------------------------------------------------------------- non-normal
@dataclass(frozen=True, kw_only=True, slots=True)
class TransientCase:
    r"""A non-normal matrix whose transient growth is known in closed form.

    Attributes
    ----------
    W : numpy.ndarray, shape (n, n)
        The matrix (read-only).
    peak_gain : float
        :math:`\max_{k\ge0}\|W^k\|_2` (≥ 1, the value at k = 0), to a relative 8ε.
    peak_step : int
        The smallest k attaining it (closed-form values within 8ε of the peak count as ties).
    """

    __repr__ = summary_repr

    W: np.ndarray
    peak_gain: float
    peak_step: int


def _block_gains(a: float, c: float) -> np.ndarray:
    r""":math:`\|B^k\|_2` for :math:`B = [[a, c], [0, a]]` and k = 0..K, K past the peak."""
    # (k |c| |a|^(k-1)) grows while k < |a|/(1-|a|) and |a|^k never does; both enter the norm
    # increasingly, so the sequence only decreases after that step.
    horizon = math.ceil(abs(a) / (1.0 - abs(a))) + 1
    k = np.arange(horizon + 1)
    p = abs(a) ** k
    q = k * abs(c) * abs(a) ** np.maximum(k - 1, 0)
    return (np.hypot(2.0 * p, q) + q) / 2.0


@st.composite
def _transient_cases(draw: Any, sizes: st.SearchStrategy[int]) -> TransientCase:
    n = draw(sizes)
    diagonal = st.floats(-_MAX_DIAGONAL, _MAX_DIAGONAL, allow_subnormal=False)
    coupling = st.floats(-_MAX_COUPLING, _MAX_COUPLING, allow_subnormal=False)
    blocks = draw(st.lists(st.tuples(diagonal, coupling), min_size=n // 2, max_size=n // 2))
    W = np.zeros((n, n))
    gains = np.ones(1)  # k = 0: the identity
    for j, (a, c) in enumerate(blocks):
        W[2 * j:2 * j + 2, 2 * j:2 * j + 2] = [[a, c], [0.0, a]]
        g = _block_gains(a, c)
        size = max(gains.size, g.size)
        gains = np.maximum(np.pad(gains, (0, size - gains.size)), np.pad(g, (0, size - g.size)))
    if n % 2:  # a 1 x 1 block b, |b| < 1: its powers never beat the identity at k = 0
        W[-1, -1] = draw(diagonal)
    perm = np.array(draw(st.permutations(range(n))), dtype=np.intp)
    W = np.ascontiguousarray(W[np.ix_(perm, perm)])  # P W P^T: the same norms
    W.flags.writeable = False
    peak = float(np.max(gains))
    step = int(np.flatnonzero(gains >= peak * (1.0 - 8.0 * _EPS))[0])
    return TransientCase(W=W, peak_gain=peak, peak_step=step)


def non_normal_matrices(n: int | st.SearchStrategy[int] | None = None
                        ) -> st.SearchStrategy[TransientCase]:
    r"""Non-normal matrices with :math:`\rho < 1` and a transient peak known in closed form.

    Parameters
    ----------
    n : int or SearchStrategy of int or None, optional
        Size; default drawn from 1..8.

    Returns
    -------
    SearchStrategy of TransientCase
        The matrix W, :math:`\max_{k\ge0}\|W^k\|_2` and the step where it is attained.

    Raises
    ------
    ValidationError
        If ``n`` (or a drawn size) is not a positive integer.

    See Also
    --------
    gradtheory.spectral.transient_growth : the same peak, measured.

    Notes
    -----
    W is a block diagonal of ⌊n/2⌋ blocks :math:`B = \begin{pmatrix} a & c\\ 0 & a
    \end{pmatrix}` with :math:`|a| \le 0.9`, :math:`|c| \le 8` (plus a 1 × 1 block
    :math:`|b| \le 0.9` when n is odd), conjugated by a drawn permutation P (which keeps every
    norm). Then :math:`\rho(W) = \max|a| < 1` and

    .. math::

        B^k = \begin{pmatrix} a^k & k c a^{k-1}\\ 0 & a^k \end{pmatrix}, \qquad
        \|B^k\|_2 = \tfrac12\Big(\sqrt{4p^2 + q^2} + q\Big), \quad p = |a|^k,\;
        q = k|c||a|^{k-1},

    (for :math:`[[p, q], [0, p]]`, :math:`\sigma_1\sigma_2 = p^2` and
    :math:`\sigma_1 - \sigma_2 = q`), and :math:`\|W^k\|_2 = \max_B \|B^k\|_2`. The norm grows
    in p and q; q increases only while :math:`k < |a|/(1-|a|)`, so the maximum over all k is
    the maximum over :math:`k \le \lceil |a|/(1-|a|)\rceil + 1 \le 11`, evaluated with a few
    roundings (relative accuracy 8ε).

    Examples
    --------
    >>> from hypothesis import find
    >>> case = find(non_normal_matrices(2), lambda case: case.peak_gain > 2)
    >>> case.W.shape, case.peak_gain > 2, case.peak_step >= 1
    ((2, 2), True, True)
    """
    sizes = _argument(n, "n", _validate.positive_int, _SIZES)
    return _transient_cases(sizes)


# ---------------------------------------------------------------------------- networks
def _square_matrix(value: Any) -> np.ndarray:
    if isinstance(value, TransientCase):
        value = value.W
    return _validate.real_array(value, "W_hh", ndim=2, square=True)


def networks(n: int | st.SearchStrategy[int] | None = None, *,
             gain: float | st.SearchStrategy[float] | None = None,
             activation: str | Activation | st.SearchStrategy[Any] | None = None,
             form: str | st.SearchStrategy[str] | None = None,
             init: str | st.SearchStrategy[str] | None = None,
             W_hh: st.SearchStrategy[Any] | None = None) -> st.SearchStrategy[ElmanNetwork]:
    r"""Whole :class:`~gradtheory.ElmanNetwork` s: random initialisations or drawn matrices.

    Parameters
    ----------
    n : int or SearchStrategy of int or None, optional
        Hidden units; default drawn from 1..8. Not with ``W_hh`` (its size decides).
    gain : float or SearchStrategy of float or None, optional
        Gain g > 0 of :meth:`ElmanNetwork.random`; default drawn from [0.1, 3]. Not with
        ``W_hh``.
    activation : str or Activation or SearchStrategy or None, optional
        Hidden nonlinearity; default drawn from :data:`gradtheory.ACTIVATIONS`.
    form : str or SearchStrategy of str or None, optional
        ``"elman"`` or ``"pascanu"``; default drawn from both.
    init : str or SearchStrategy of str or None, optional
        A key of :data:`gradtheory.INITS`; default drawn from all. Not with ``W_hh``.
    W_hh : SearchStrategy or None, optional
        A strategy of recurrent matrices (such as :func:`weight_matrices`, or
        :func:`non_normal_matrices`, whose cases are used through their ``W``); the network is
        then :meth:`ElmanNetwork.from_arrays` of the drawn matrix. Default None: random
        initialisation.

    Returns
    -------
    SearchStrategy of ElmanNetwork
        Random networks ``ElmanNetwork.random(n, gain=g, init=init, activation=..., form=...,
        rng=seed)`` with the seed drawn by Hypothesis (so a failure prints a network its name
        rebuilds), W_xh = W_y = I and no bias; or, with ``W_hh``, the drawn matrix with the
        same defaults.

    Raises
    ------
    ValidationError
        On an invalid size, gain, activation, form or init (a drawn one when it is drawn), or
        ``n``, ``gain`` or ``init`` given together with ``W_hh``.
    InputTypeError
        If ``W_hh`` is not a strategy.

    Notes
    -----
    Either way the one-step Jacobians obey the bound the tests check,

    .. math::

        \Big\|\frac{\partial h_t}{\partial h_{t-1}}\Big\|_2 \le \gamma\,\sigma_{\max}(W_{hh}),
        \qquad W_{hh} = g\,W_0 \text{ with } W_0 \text{ from } \texttt{INITS[init]}.

    Examples
    --------
    >>> from hypothesis import find
    >>> net = find(networks(4, activation="relu", form="pascanu"), lambda net: True)
    >>> net.n_hidden, net.activation.name, net.form
    (4, 'relu', 'pascanu')
    >>> net = find(networks(W_hh=orthogonal_matrices(3), activation="identity"), lambda n: True)
    >>> net.n_hidden, net.init
    (3, '')
    """
    activations = _argument(activation, "activation", _activation,
                            st.sampled_from(sorted(ACTIVATIONS)).map(get_activation))
    forms = _argument(form, "form", _choice(FORMS), st.sampled_from(sorted(FORMS)))
    if W_hh is not None:
        for name, value in (("n", n), ("gain", gain), ("init", init)):
            if value is not None:
                raise _validate.fail(name, "None when `W_hh` is given (the matrix decides it)",
                                     _validate.describe(value))
        if not isinstance(W_hh, st.SearchStrategy):
            raise _validate.fail("W_hh", "a hypothesis strategy of square matrices",
                                 _validate.describe(W_hh), cls=InputTypeError)
        return st.builds(lambda W, act, frm: ElmanNetwork.from_arrays(W, activation=act,
                                                                      form=frm),
                         W_hh.map(_square_matrix), activations, forms)
    return st.builds(
        lambda k, g, kind, act, frm, seed: ElmanNetwork.random(
            k, gain=g, init=kind, activation=act, form=frm, rng=seed),
        _argument(n, "n", _validate.positive_int, _SIZES),
        _argument(gain, "gain", _positive, _GAINS),
        _argument(init, "init", _choice(INITS), st.sampled_from(sorted(INITS))),
        activations, forms, _SEEDS)
