"""Verify gradient properties in your own test suite: assertions, a BPTT checker, a pytest
plugin and Hypothesis strategies.

The assertions (:mod:`.assertions`) and :func:`check_bptt` raise
:class:`GradientAssertionError`, an ``AssertionError`` whose message names the bound, the
numbers, the violating lag and a hint, so they read well in pytest and in unittest. They accept
an :class:`~gradtheory.ElmanNetwork`, a W_hh matrix, a ``.npz``/``.pt`` path or a PyTorch
``nn.RNN`` (:func:`as_network`). The pytest plugin (:mod:`.plugin`, fixtures ``rnn_factory`` and
``gradtheory_tolerance``) loads by itself once gradtheory is installed; the strategies need
Hypothesis and are imported explicitly: ``from gradtheory.testing import strategies``.
"""

from .adapters import as_network
from .assertions import (
    GradientAssertionError,
    assert_certified_bound_holds,
    assert_lag_profile_within,
    assert_not_exploding,
    assert_rate_close,
    assert_vanishing,
)
from .bptt import BPTTCheck, check_bptt

__all__ = [
    "BPTTCheck",
    "GradientAssertionError",
    "as_network",
    "assert_certified_bound_holds",
    "assert_lag_profile_within",
    "assert_not_exploding",
    "assert_rate_close",
    "assert_vanishing",
    "check_bptt",
]
