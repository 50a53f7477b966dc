"""Notation presets rename printed symbols only; every preset defines every symbol."""

import pytest

from gradtheory import NOTATIONS, Notation, ValidationError, get_notation
from gradtheory.notation import SYMBOL_KEYS


@pytest.mark.parametrize("name", sorted(NOTATIONS))
def test_every_preset_defines_every_symbol(name):
    preset = NOTATIONS[name]
    assert set(preset.latex) == set(SYMBOL_KEYS)
    assert set(preset.text) == set(SYMBOL_KEYS)
    assert preset.time_style in ("subscript", "paren", "angle")


def test_presets_print_their_textbooks_symbols():
    assert get_notation().name == "elman"
    assert get_notation("elman").symbol("W_hh") == "W_{hh}"
    assert get_notation("goodfellow").symbol("W_xh") == "U"
    assert get_notation("goodfellow").symbol("W_y") == "V"
    assert get_notation("ng").symbol("W_hh") == "W_{aa}"
    assert get_notation("ng").symbol("h", "t") == r"a^{\langle t \rangle}"
    assert get_notation("pascanu").symbol("x", "t") == "u_{t}"
    assert get_notation("pascanu").symbol("h_0") == "x_{0}"


@pytest.mark.parametrize(("name", "latex", "text"), [
    ("elman", "h_{t-1}", "h_(t-1)"), ("goodfellow", "h^{(t-1)}", "h^(t-1)"),
    ("ng", r"a^{\langle t-1 \rangle}", "a<t-1>"), ("pascanu", "x_{t-1}", "x_(t-1)")])
def test_time_indices(name, latex, text):
    preset = get_notation(name)
    assert preset.symbol("h", "t - 1") == latex
    assert preset.symbol("h", "t-1", latex=False) == text


def test_presets_are_read_only():
    with pytest.raises(TypeError):
        get_notation("elman").latex["W_hh"] = "A"  # type: ignore[index]


def test_errors():
    with pytest.raises(ValidationError, match=r"^`notation` must be one of .*; got 'knuth'\.$"):
        get_notation("knuth")
    with pytest.raises(ValidationError, match="`key`"):
        get_notation().symbol("W_zz")
    assert isinstance(get_notation(NOTATIONS["ng"]), Notation)
