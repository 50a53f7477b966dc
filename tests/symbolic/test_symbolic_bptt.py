"""derive(): validation at the boundary, frozen results, the structure of the terms."""

import dataclasses
import json

import pytest

from gradtheory import InputTypeError, ValidationError
from gradtheory.symbolic import Derivation, derive


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"param": "W_zz"}, "`param` must be one of W_hh, W_xh, b_h, W_y, b_y, h_0; got 'W_zz'."),
    ({"param": "W_hh", "n_steps": 0}, "`n_steps` must be a positive integer; got 0."),
    ({"param": "W_hh", "loss": "cross_entropy"},
     "`output` must be 'softmax' with loss='cross_entropy'; got 'identity'."),
    ({"param": "W_hh", "activation": "cosine"}, "`activation` must be one of"),
    ({"param": "W_hh", "notation": "bishop"}, "`notation` must be one of"),
])
def test_bad_input_is_named_in_one_line(kwargs, message):
    param = kwargs.pop("param")
    with pytest.raises(ValidationError) as info:
        derive(param, **kwargs)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_non_string_param_is_a_type_error():
    with pytest.raises(InputTypeError, match="`param` must be one of"):
        derive(3)


def test_derivation_is_frozen():
    d = derive("W_hh", n_steps=2)
    assert isinstance(d, Derivation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.param = "W_xh"  # type: ignore[misc]


@pytest.mark.parametrize("form", ["elman", "pascanu"])
def test_chain_order_newest_jacobian_on_the_left(form):
    (old, new) = derive("W_xh", n_steps=2, form=form).terms
    kinds = [f.kind for f in old.chain]
    times = [f.time for f in old.chain if f.kind == "Df"]
    if form == "elman":
        assert kinds == ["dE_dy", "W_y", "Df", "W_hh", "Df"]
    else:
        assert kinds == ["dE_dy", "W_y", "W_hh", "Df"]
    assert times == sorted(times, reverse=True)
    assert (old.k, new.k) == (1, 2)
    assert old.immediate.vector == "x"
    assert old.immediate.time == 1


def test_readout_terms_have_no_w_y_and_cross_entropy_merges_the_head():
    (term,) = derive("W_y", n_steps=3, output="softmax", loss="cross_entropy").terms
    assert [f.kind for f in term.chain] == ["dE_do"]
    assert (term.immediate.kind, term.immediate.vector, term.immediate.time) == ("outer", "h", 3)


@pytest.mark.parametrize("n_steps", [None, 3])
def test_to_dict_is_json_safe(n_steps):
    doc = derive("h_0", n_steps=n_steps, activation="undefined").to_dict()
    text = json.dumps(doc, allow_nan=False)
    assert json.loads(text)["param"] == "h_0"
    assert doc["accumulation"]["W_hh"] == (["t"] if n_steps is None else [3])
