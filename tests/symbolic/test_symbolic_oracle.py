"""The structured derivation equals sympy.diff of the scalar expansion (the brute-force oracle)."""

import dataclasses

import pytest

from gradtheory.symbolic import chain, derive, verify
from gradtheory.symbolic.model import PARAMS

ACTIVATIONS = ("tanh", "sigmoid", "relu", "identity", "undefined")
FORMS = ("elman", "pascanu")


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("param", list(PARAMS))
def test_exact_proof_for_every_parameter_activation_and_form(param, activation, form):
    # n=2, T=2: expand(structured - oracle) is exactly 0 (a proof; for every f when undefined).
    v = verify(derive(param, n_steps=2, activation=activation, form=form), n_hidden=2,
               n_input=1, n_output=1, method="exact")
    assert v.verified, v


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("param", ["W_hh", "W_xh", "h_0"])
def test_exact_proof_at_horizon_four(param, form):
    v = verify(derive(param, n_steps=4, form=form), n_hidden=1, n_input=1, n_output=1,
               method="exact")
    assert v.verified, v


@pytest.mark.parametrize(("output", "loss"), [
    ("sigmoid", "squared"), ("softmax", "squared"), ("softmax", "cross_entropy"),
    ("undefined", "squared"), ("identity", "undefined")])
@pytest.mark.parametrize("param", ["W_hh", "W_y", "h_0"])
def test_outputs_and_losses_at_random_points(param, output, loss):
    # Transcendental values compared in 60-digit arithmetic (tolerance 1e-40, see oracle.py).
    v = verify(derive(param, n_steps=2, output=output, loss=loss), n_hidden=2, n_input=1,
               n_output=2, method="random", n_points=2, rng=1)
    assert v.verified, v
    assert v.max_difference < 1e-40


def test_symbolic_horizon_is_checked_at_a_concrete_step():
    v = verify(derive("W_xh"), n_hidden=1, n_steps=3, method="exact")
    assert v.verified
    assert v.n_steps == 3


@pytest.mark.slow
@pytest.mark.parametrize(("param", "activation", "form"), [
    ("W_hh", "tanh", "elman"), ("W_xh", "sigmoid", "pascanu"), ("h_0", "relu", "elman"),
    ("b_h", "identity", "pascanu"), ("W_y", "tanh", "pascanu")])
def test_largest_sizes_at_random_rational_points(param, activation, form):
    # n=3, m=2, p=2, T=3: too large to expand; exact or 60-digit random points.
    v = verify(derive(param, n_steps=3, activation=activation, form=form), n_hidden=3,
               n_input=2, n_output=2, method="random", n_points=1, rng=2)
    assert v.verified, v


@pytest.mark.parametrize("method", ["exact", "random"])
def test_the_oracle_catches_a_missing_term(monkeypatch, method):
    def drop_oldest(model, param, t):
        terms = original(model, param, t)
        return terms[1:] if len(terms) > 1 else terms

    original = chain.terms_at
    d = derive("W_xh", n_steps=2, activation="identity")
    monkeypatch.setattr("gradtheory.symbolic.bptt.terms_at", drop_oldest)
    assert not verify(d, method=method, n_points=1).verified



def _corrupt_general_term(derivation, how):
    """The derivation with its general term's ordered product changed."""
    (term,) = derivation.terms
    (product,) = [item for item in term.chain if isinstance(item, chain.OrderedProduct)]
    if how == "one Jacobian dropped":  # prod_{i=k+2}^{t}: J_{k+1} is missing
        wrong = dataclasses.replace(product, lower=product.lower + 1)
    else:  # every J_i loses its W_hh factor
        wrong = dataclasses.replace(product, body=tuple(f for f in product.body
                                                        if f.kind != "W_hh"))
    bad = dataclasses.replace(term, chain=tuple(wrong if item is product else item
                                                for item in term.chain))
    return dataclasses.replace(derivation, terms=(bad,))


@pytest.mark.parametrize("how", ["one Jacobian dropped", "W_hh removed from J_i"])
@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(("param", "method"), [("W_hh", "exact"), ("W_xh", "random"),
                                               ("b_h", "exact"), ("h_0", "random")])
def test_the_oracle_checks_the_general_term_of_a_symbolic_horizon(param, method, form, how):
    # Regression: evaluate() used to regenerate concrete terms, so a wrong general term passed.
    d = derive(param, activation="identity", form=form)
    assert verify(d, n_hidden=1, n_steps=3, method=method, n_points=1).verified
    bad = _corrupt_general_term(d, how)
    assert not verify(bad, n_hidden=1, n_steps=3, method=method, n_points=1).verified


def test_the_oracle_checks_the_readout_general_term():
    d = derive("W_y", activation="identity")
    (term,) = d.terms
    bad = dataclasses.replace(d, terms=(dataclasses.replace(
        term, chain=(*term.chain, chain.Factor("W_y"))),))  # a spurious W_y (p = n = 1)
    assert not verify(bad, n_hidden=1, n_steps=2, method="exact").verified
