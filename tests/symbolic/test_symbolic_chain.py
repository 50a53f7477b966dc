"""The general term, instantiated at concrete (t, k), is exactly the chain written out."""

import pytest

from gradtheory.symbolic.chain import OrderedProduct, general_term, instantiate, terms_at
from gradtheory.symbolic.model import PARAMS, make_model


@pytest.mark.parametrize("form", ["elman", "pascanu"])
@pytest.mark.parametrize("param", list(PARAMS))
@pytest.mark.parametrize("t", [1, 2, 4])
def test_instantiated_general_term_equals_the_concrete_terms(param, form, t):
    model = make_model(form=form)
    concrete = instantiate(*general_term(model, param), t)
    assert concrete == terms_at(model, param, t)
    for term in concrete:
        assert all(isinstance(f.time, int | None) for f in (*term.chain, term.immediate))
        assert not any(isinstance(item, OrderedProduct) for item in term.chain)


def test_an_empty_product_instantiates_to_no_jacobian():
    (last,) = instantiate(*general_term(make_model(), "W_xh"), 1)
    assert [f.kind for f in last.chain] == ["dE_dy", "W_y", "Df"]
