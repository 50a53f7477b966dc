r"""Notation presets: rename symbols in printed output only.

Computation always uses the canonical names of :class:`~gradtheory.ElmanNetwork`
(``W_hh``, ``W_xh``, ``b_h``, ``W_y``, ``b_y``, ``h_0``); a preset decides how they are printed,
so a derivation reads in the notation of the reader's textbook:

========== ================= ========= ========== ========== ======= =========================
preset     state             W_hh      W_xh       W_y        loss    source
========== ================= ========= ========== ========== ======= =========================
elman      h_t               W_hh      W_xh       W_y        E_t     Elman (1990); the default
goodfellow h^(t)             W         U          V          L^(t)   Goodfellow et al. §10.2
ng         a^<t>             W_aa      W_ax       W_ya       L^<t>   Ng, Deep Learning course
pascanu    x_t               W_rec     W_in       W_out      E_t     Pascanu et al. (2013)
========== ================= ========= ========== ========== ======= =========================

Symbol keys: the six parameters, plus ``h`` (state), ``x`` (input), ``y`` (output), ``a``
(pre-activation), ``E`` (per-step loss), ``f`` (hidden activation), ``g`` (output map).
``h_0`` is the state symbol at time 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import _validate
from .errors import ValidationError

__all__ = ["NOTATIONS", "SYMBOL_KEYS", "Notation", "get_notation"]

#: Canonical symbol keys every preset defines (``h_0`` is derived from ``h``).
SYMBOL_KEYS = ("W_hh", "W_xh", "b_h", "W_y", "b_y", "h", "x", "y", "a", "E", "f", "g")

_TIME_STYLES = ("subscript", "paren", "angle")


@dataclass(frozen=True, kw_only=True, slots=True)
class Notation:
    """One notation preset: how each canonical symbol is printed.

    Attributes
    ----------
    name : str
        Preset key.
    description : str
        Where the notation comes from.
    latex : Mapping[str, str]
        LaTeX for each key of ``SYMBOL_KEYS``.
    text : Mapping[str, str]
        Plain text for each key, for terminals.
    time_style : {"subscript", "paren", "angle"}
        How a time index is attached: ``h_t``, ``h^{(t)}`` or ``a^{\\langle t \\rangle}``.
    """

    name: str
    description: str
    latex: MappingProxyType[str, str]
    text: MappingProxyType[str, str]
    time_style: str

    def symbol(self, key: str, time: int | str | None = None, *, latex: bool = True) -> str:
        """Print one symbol, optionally at a time index.

        Parameters
        ----------
        key : str
            A key of ``SYMBOL_KEYS``, or ``"h_0"`` (the state at time 0).
        time : int or str or None, optional
            Time index such as ``"t"``, ``"k+1"`` or ``3``; ``None`` prints the bare symbol.
        latex : bool, optional
            LaTeX (default) or plain text.

        Returns
        -------
        str
            The printed symbol.

        Raises
        ------
        ValidationError
            If ``key`` is not a symbol key.

        Examples
        --------
        >>> from gradtheory import get_notation
        >>> get_notation("goodfellow").symbol("h", "t-1")
        'h^{(t-1)}'
        >>> get_notation("ng").symbol("h", "t", latex=False)
        'a<t>'
        >>> get_notation("pascanu").symbol("W_hh")
        'W_{rec}'
        """
        if key == "h_0":
            key, time = "h", 0
        if key not in SYMBOL_KEYS:
            raise ValidationError(
                f"`key` must be one of {', '.join((*SYMBOL_KEYS, 'h_0'))}; got {key!r}.")
        base = (self.latex if latex else self.text)[key]
        if time is None:
            return base
        t = str(time).replace(" ", "")
        if latex:
            return {"subscript": f"{base}_{{{t}}}", "paren": f"{base}^{{({t})}}",
                    "angle": f"{base}^{{\\langle {t} \\rangle}}"}[self.time_style]
        if self.time_style == "subscript":
            return f"{base}_{t}" if len(t) == 1 else f"{base}_({t})"
        return f"{base}^({t})" if self.time_style == "paren" else f"{base}<{t}>"


def _preset(name: str, description: str, time_style: str, rows: dict[str, tuple[str, str]]
            ) -> Notation:
    return Notation(name=name, description=description, time_style=time_style,
                    latex=MappingProxyType({k: v[0] for k, v in rows.items()}),
                    text=MappingProxyType({k: v[1] for k, v in rows.items()}))


# One row per symbol: key -> (LaTeX, plain text).
_PRESETS = (
    _preset("elman", "h_t = f(W_hh h_{t-1} + W_xh x_t + b_h); the default", "subscript", {
        "W_hh": ("W_{hh}", "W_hh"), "W_xh": ("W_{xh}", "W_xh"), "b_h": ("b_{h}", "b_h"),
        "W_y": ("W_{y}", "W_y"), "b_y": ("b_{y}", "b_y"), "h": ("h", "h"), "x": ("x", "x"),
        "y": ("y", "y"), "a": ("a", "a"), "E": ("E", "E"), "f": ("f", "f"), "g": ("g", "g")}),
    _preset("goodfellow", "Goodfellow, Bengio & Courville, Deep Learning (2016), section 10.2",
            "paren", {
        "W_hh": ("W", "W"), "W_xh": ("U", "U"), "b_h": ("b", "b"), "W_y": ("V", "V"),
        "b_y": ("c", "c"), "h": ("h", "h"), "x": ("x", "x"), "y": (r"\hat{y}", "y_hat"),
        "a": ("a", "a"), "E": ("L", "L"), "f": ("f", "f"), "g": ("g", "g")}),
    _preset("ng", "Ng, Deep Learning Specialization, course 5 (sequence models)", "angle", {
        "W_hh": ("W_{aa}", "W_aa"), "W_xh": ("W_{ax}", "W_ax"), "b_h": ("b_{a}", "b_a"),
        "W_y": ("W_{ya}", "W_ya"), "b_y": ("b_{y}", "b_y"), "h": ("a", "a"), "x": ("x", "x"),
        "y": (r"\hat{y}", "y_hat"), "a": ("z", "z"), "E": (r"\mathcal{L}", "L"),
        "f": ("g_{1}", "g1"), "g": ("g_{2}", "g2")}),
    _preset("pascanu",
            "Pascanu, Mikolov & Bengio (2013): x_t = W_rec sigma(x_{t-1}) + W_in u_t + b",
            "subscript", {
        "W_hh": ("W_{rec}", "W_rec"), "W_xh": ("W_{in}", "W_in"), "b_h": ("b", "b"),
        "W_y": ("W_{out}", "W_out"), "b_y": ("b_{out}", "b_out"), "h": ("x", "x"),
        "x": ("u", "u"), "y": ("y", "y"), "a": ("a", "a"), "E": (r"\mathcal{E}", "E"),
        "f": (r"\sigma", "sigma"), "g": ("g", "g")}),
)

#: The presets, keyed by name.
NOTATIONS: Mapping[str, Notation] = MappingProxyType({p.name: p for p in _PRESETS})


def get_notation(name: str | Notation = "elman") -> Notation:
    """Look up a notation preset.

    Parameters
    ----------
    name : str or Notation, optional
        A preset key (``"elman"``, ``"goodfellow"``, ``"ng"``, ``"pascanu"``), or a preset,
        returned unchanged.

    Returns
    -------
    Notation
        The preset.

    Raises
    ------
    ValidationError
        If ``name`` is not a preset (the message lists the valid ones).

    Examples
    --------
    >>> from gradtheory import get_notation
    >>> get_notation("ng").symbol("W_xh")
    'W_{ax}'
    """
    if isinstance(name, Notation):
        return name
    return NOTATIONS[_validate.choice(name, "notation", NOTATIONS)]
