"""Factor counts by lag, pinned, and checked against polynomial degrees (independent)."""

import pytest
import sympy as sp

from gradtheory.symbolic import derive
from gradtheory.symbolic.model import expand_network

SUMMED = ("W_hh", "W_xh", "b_h")


@pytest.mark.parametrize("form", ["elman", "pascanu"])
@pytest.mark.parametrize("T", [1, 2, 5, 8])
@pytest.mark.parametrize("param", SUMMED)
def test_transport_term_carries_w_hh_t_minus_k_times_and_w_y_once(param, T, form):
    acc = derive(param, n_steps=T, form=form).accumulation
    assert acc.lags == tuple(range(T))
    assert acc.counts["W_hh"] == tuple(range(T))
    assert acc.counts["W_y"] == (1,) * T
    for weight in ("W_xh", "b_h", "b_y", "h_0"):
        assert acc.counts[weight] == (0,) * T


@pytest.mark.parametrize("T", [1, 3, 6])
def test_h0_has_one_term_with_t_factors(T):
    acc = derive("h_0", n_steps=T).accumulation
    assert acc.lags == (T,)
    assert acc.counts["W_hh"] == (T,)
    assert acc.counts["W_y"] == (1,)


@pytest.mark.parametrize("param", ["W_y", "b_y"])
def test_readout_gradient_has_no_w_y_factor_and_no_sum(param):
    d = derive(param, n_steps=5)
    assert len(d.terms) == 1
    assert d.accumulation.lags == (0,)
    assert d.accumulation.counts["W_y"] == (0,)
    assert d.accumulation.counts["W_hh"] == (0,)


def test_symbolic_counts():
    t, k = sp.symbols("t k", integer=True, nonnegative=True)
    assert derive("W_xh").accumulation.counts["W_hh"] == (t - k,)
    assert derive("W_xh").accumulation.counts["W_y"] == (1,)
    assert derive("h_0").accumulation.counts["W_hh"] == (t,)
    assert derive("W_y").accumulation.counts["W_y"] == (0,)
    assert derive("W_hh").accumulation.to_dict()["counts"]["W_hh"] == ["t - k"]


@pytest.mark.parametrize("param", ["W_xh", "b_h", "h_0"])
def test_counts_equal_polynomial_degrees_in_the_weights(param):
    # Independent reference: with identity f, each term's value, with dE_T/dy_T held as free
    # symbols e_j, is a homogeneous polynomial of degree (count) in the W_hh entries and of
    # degree (count) in the W_y entries.
    from gradtheory.symbolic.bptt import _factor_matrix, _immediate
    from gradtheory.symbolic.chain import Factor

    d = derive(param, n_steps=3, activation="identity")
    net = expand_network(d.model, n_hidden=2, n_input=1, n_output=1, n_steps=3)
    W, Wy = list(net.params["W_hh"]), list(net.params["W_y"])
    for term, lag in zip(sorted(d.terms, key=lambda tm: tm.lag), d.accumulation.lags,
                         strict=True):
        cache = {Factor("dE_dy", 3): sp.Matrix([sp.symbols("e_1:2")])}
        row = _factor_matrix(term.chain[0], net, cache)
        for factor in term.chain[1:]:
            row = row * _factor_matrix(factor, net, cache)
        for entry in _immediate(term.immediate, row, net):
            poly = sp.Poly(sp.expand(entry), *W, *Wy)
            assert not poly.is_zero
            assert {sum(m[: len(W)]) for m in poly.monoms()} == {lag}
            assert {sum(m[len(W):]) for m in poly.monoms()} == {1}


def test_explain_w_xh_in_ng_notation():
    text = derive("W_xh", n_steps=4, notation="ng").explain()
    sentences = [s for s in text.split(". ") if s]
    assert 2 <= len(sentences) <= 3
    assert text.startswith("W_ax itself is never a repeated factor")
    assert "(t-k)-fold product" in text
    assert "W_aa" in text
    assert "exactly like W_aa's" in text
    assert "never as (W_ya^T)^k" in text


@pytest.mark.parametrize("param", ["W_hh", "b_h", "W_y", "b_y", "h_0"])
@pytest.mark.parametrize("notation", ["elman", "goodfellow", "ng", "pascanu"])
def test_explain_speaks_the_notation(param, notation):
    from gradtheory import get_notation

    nt = get_notation(notation)
    text = derive(param, notation=notation).explain()
    assert nt.text["W_hh"] in text
    assert f"({nt.text['W_y']}^T)^k" in text
    assert 2 <= text.count(". ") + 1 <= 3
