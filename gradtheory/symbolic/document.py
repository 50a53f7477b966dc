r"""The step-by-step derivation as a complete LaTeX document (``article``, amsmath/amssymb only).

Sections: the model unrolled in time, the layout convention, the chain rule, the Jacobian
product :math:`\partial h_t/\partial h_k = \prod_{i=k+1}^{t} J_i`, the accumulation table and
its conclusion, the bound :math:`\|\partial h_t/\partial h_k\|_2 \le (\gamma\,
\sigma_{\max}(W_{hh}))^{t-k}` with the conditions it gives, and the backward recursion for the
gradient of the total loss. The output compiles with ``pdflatex`` (tested).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sympy as sp

from ..notation import Notation
from .latex import format_jacobian, format_term

if TYPE_CHECKING:
    from .bptt import Derivation

__all__ = ["derivation_document", "escape"]

_ESCAPES = {"\\": r"\textbackslash{}", "_": r"\_", "^": r"\^{}", "<": r"\textless{}",
            ">": r"\textgreater{}", "&": r"\&", "%": r"\%", "#": r"\#", "$": r"\$",
            "{": r"\{", "}": r"\}", "~": r"\~{}", "|": r"\textbar{}"}


def escape(text: str) -> str:
    """Escape plain text for LaTeX text mode.

    Parameters
    ----------
    text : str
        Plain text (e.g. an explanation).

    Returns
    -------
    str
        The text with LaTeX's special characters escaped.

    Examples
    --------
    >>> escape("W_hh^T < 1")
    'W\\\\_hh\\\\^{}T \\\\textless{} 1'
    """
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def _unrolling(d: Derivation, nt: Notation) -> list[str]:
    def s(key: str, time: int | str | None = None) -> str:
        return nt.symbol(key, time)

    T = d.n_steps
    steps: list[int | str] = list(range(1, T + 1)) if T is not None and T <= 4 else ["t"]
    equations = d.model.cell.equations
    lines = []
    for t in steps:
        prev = t - 1 if isinstance(t, int) else "t-1"
        names = {"a": s("a", t), "h": s("h", t), "h_prev": s("h", prev), "x": s("x", t),
                 "f": s("f"), "W_hh": s("W_hh"), "W_xh": s("W_xh"), "b_h": s("b_h")}
        (lhs, rhs), *more = ((left.format(**names), right.format(**names))
                             for left, right in equations)
        lines.append(f"{lhs} &= {rhs}" + "".join(f", \\quad {left} = {right}"
                                                 for left, right in more))
    tt = steps[-1]
    lines.append(f"{s('y', tt)} &= {s('g')}({s('W_y')} {s('h', tt)} + {s('b_y')}), \\quad "
                 f"{s('E')} = \\sum_{{t=1}}^{{{T if T is not None else 'T'}}} {s('E', 't')}")
    return lines


def derivation_document(derivation: Derivation, notation: Notation) -> str:
    """Write the complete ``.tex`` source for a derivation.

    Parameters
    ----------
    derivation : Derivation
        The derivation.
    notation : Notation
        The notation preset.

    Returns
    -------
    str
        A self-contained LaTeX document.
    """
    d, nt = derivation, notation
    model = d.model

    def s(key: str, time: int | str | None = None) -> str:
        return nt.symbol(key, time)

    theta, t_last = s(d.param), d.terms[0].t
    t_label = str(t_last)
    J = format_jacobian(model, nt)
    terms = [format_term(term, model, nt) for term in d.terms]
    lhs = rf"\frac{{\partial {s('E', t_label)}}}{{\partial {theta}}}"
    if d.summed:
        body = [rf"{lhs} &= \sum_{{k=1}}^{{t}} {terms[0]}"]
    else:
        body = [f"{lhs} &= {terms[0]}"] + [rf"&\quad + {term}" for term in terms[1:]]
    acc = d.accumulation.to_dict()
    header = " & ".join(["weight"] + [f"${lag}$" for lag in acc["lags"]])
    rows = [" & ".join([f"${s(w) if w != 'h_0' else s('h_0')}$"] + [f"${c}$" for c in counts])
            for w, counts in acc["counts"].items()]
    gamma = model.gamma
    bound = rf"\left\|\frac{{\partial {s('h', 't')}}}{{\partial {s('h', 'k')}}}\right\|_2 " \
        rf"\le \left(\gamma\, \sigma_{{\max}}({s('W_hh')})\right)^{{t-k}}"
    gamma_text = "" if gamma.is_Symbol else f" = {sp.latex(gamma)}"
    recursion, gradient = d.recursion(nt)
    cols = "l" + "c" * len(acc["lags"])
    return "\n".join([
        r"\documentclass[11pt]{article}",
        r"\usepackage{amsmath,amssymb}",
        r"\allowdisplaybreaks",
        rf"\title{{Backpropagation through time: the gradient with respect to ${theta}$}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
        r"\section{The network, unrolled}",
        f"The {model.cell.phrase} with activation ${s('f')}$ "
        f"({escape(model.activation)}), output map {escape(model.output)} and "
        f"{escape(model.loss.replace('_', ' '))} loss, unrolled in time:",
        r"\begin{align*}", " \\\\\n".join(_unrolling(d, nt)), r"\end{align*}",
        r"\section{Layout}",
        "States are column vectors; a Jacobian $\\partial u/\\partial v$ has shape "
        "$(\\dim u, \\dim v)$ (numerator layout), so "
        f"$\\partial {s('E', 't')}/\\partial {s('h', 't')}$ is a row "
        "and chains multiply left to right, newest step on the left. The gradient with "
        "respect to a matrix has that matrix's shape: it is the transpose of the numerator "
        "Jacobian (denominator layout). Papers with row state vectors write the same products "
        "in reverse order with transposed factors.",
        r"\section{The chain rule}",
        r"\begin{equation*}",
        rf"\frac{{\partial {s('E', 't')}}}{{\partial {theta}}} = \sum_{{k}} "
        rf"\frac{{\partial {s('E', 't')}}}{{\partial {s('h', 't')}}} "
        rf"\frac{{\partial {s('h', 't')}}}{{\partial {s('h', 'k')}}} "
        rf"\frac{{\partial^{{+}} {s('h', 'k')}}}{{\partial {theta}}}",
        r"\end{equation*}",
        "Written out factor by factor (each term is a row chain, transposed, times the "
        "vector the parameter multiplies):",
        r"\begin{align*}", " \\\\\n".join(body), r"\end{align*}",
        r"\section{The Jacobian product}",
        r"\begin{equation*}",
        rf"\frac{{\partial {s('h', 't')}}}{{\partial {s('h', 'k')}}} = "
        rf"\prod_{{i=k+1}}^{{t}} J_{{i}} = J_{{t}} J_{{t-1}} \cdots J_{{k+1}}, \qquad "
        rf"J_{{i}} = {J}",
        r"\end{equation*}",
        "The product is ordered: the factor with $i = t$ stands on the left.",
        r"\section{Accumulation}",
        "Number of times each parameter appears as a factor of the chain, by lag $t-k$:",
        r"\begin{center}", rf"\begin{{tabular}}{{{cols}}}", header + r" \\ \hline",
        " \\\\\n".join(rows) + r" \\", r"\end{tabular}", r"\end{center}",
        d.explain(nt, latex=True),
        r"\section{The bound}",
        rf"Each Jacobian obeys $\|J_{{i}}\|_2 \le \gamma\, \sigma_{{\max}}({s('W_hh')})$ with "
        rf"$\gamma = \sup|{s('f')}'|{gamma_text}$, hence",
        r"\begin{equation*}", bound, r"\end{equation*}",
        rf"so $\gamma\, \sigma_{{\max}}({s('W_hh')}) < 1$ is sufficient for the distant "
        rf"terms to vanish and $\gamma\, \sigma_{{\max}}({s('W_hh')}) > 1$ is necessary for "
        r"them to explode (Pascanu, Mikolov and Bengio 2013). For the linear network the "
        r"condition is on the spectral radius: the terms vanish if and only if $\rho < 1$.",
        r"\section{Backward recursion and the total loss}",
        rf"With $\delta_t = (\partial {s('E')}/\partial {s('h', 't')})^{{\top}}$ for the total "
        rf"loss ${s('E')} = \sum_t {s('E', 't')}$:",
        r"\begin{gather*}", recursion + r" \\", gradient, r"\end{gather*}",
        r"\end{document}",
        "",
    ])
