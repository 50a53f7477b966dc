"""Presentation of a :class:`~gradtheory.report.result.Report`: terminal text, HTML, LaTeX.

All three show the same four tables, built once as rows of strings by :func:`tables`:
the derivation summary (which factors accumulate), the spectral table (with the conditions),
the measured rates next to their predictions, and the predicted-vs-measured checks.
"""

from __future__ import annotations

import html as _html
import math
import textwrap
from typing import TYPE_CHECKING

import sympy as sp

from ..symbolic.document import escape
from .result import DERIVED

if TYPE_CHECKING:
    from .result import Check, NetworkReport, Report

__all__ = ["WIDTH", "html", "latex_document", "summary_line", "tables", "text"]

#: Terminal width the text report fits.
WIDTH = 100
#: Network labels longer than this are cut in the tables.
LABEL = 33

Table = tuple[str, tuple[str, ...], list[tuple[str, ...]]]  # (title, header, rows)


def _num(x: float | None, fmt: str = "+.4f") -> str:
    if x is None:
        return "-"
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf"
    return format(x, fmt)


def _count(value: object) -> str:
    return value if isinstance(value, str) else sp.sstr(value, order="rev-lex")


def _derivation_table(r: Report) -> Table:
    first = r.networks[0]
    rows = []
    for param in DERIVED:
        acc = first.derivations[param].accumulation
        lag = _count(acc.lags[0]) if len(acc.lags) == 1 else "each"
        rows.append((f"dE_t/d{param}", lag, *(_count(acc.counts[w][0]) for w in DERIVED)))
    return ("Derivation (symbolic): factors in the term of lag t-k of dE_t/dtheta",
            ("gradient", "lag", "# W_hh", "# W_xh", "# W_y"), rows)


def _label(nr: NetworkReport) -> str:
    return nr.label if len(nr.label) <= LABEL else nr.label[:LABEL - 3] + "..."


def _spectral_table(r: Report) -> Table:
    rows: list[tuple[str, ...]] = [
        (_label(nr), _num(nr.spectral.rho, ".4g"), _num(nr.spectral.sigma_max, ".4g"),
         _num(nr.spectral.per_step_log_bound), _num(nr.spectral.max_transient_gain, ".3g"),
         nr.spectral.regime.replace("_", " ")) for nr in r.networks]
    return ("Spectral (W_hh alone)",
            ("network", "rho", "sigma_max", "ln(g*s_max)", "max||W^k||", "verdict"), rows)


def _condition_lines(r: Report) -> list[str]:
    lines = []
    for nr in r.networks:
        parts = [f"{sp.sstr(c.substituted)} {'holds' if c.holds else 'fails'} ({c.name}, "
                 f"{c.role})" for c in nr.conditions]
        lines.extend(textwrap.wrap(f"{_label(nr)}: {'; '.join(parts)}", WIDTH,
                                   initial_indent="  ", subsequent_indent="    "))
    return lines


def _rates_table(r: Report) -> Table:
    rows: list[tuple[str, ...]] = [
        (_label(nr), _num(nr.fit_spectral.rate), _num(nr.fit_frobenius.rate),
         _num(nr.lyapunov.lyapunov_max), _num(nr.mean_field.lyapunov_max),
         _num(nr.trajectory_bound.log_rate), _num(nr.spectral.per_step_log_bound))
        for nr in r.networks]
    return (f"Rates per step (simulated, T = {r.n_steps}, input std {r.input_std:g}; "
            "bounds: mean ln||J_t|| and ln(g*s_max))",
            ("network", "ln||P_L||", "RMS", "lambda_max", "1/2ln chi", "traj bnd",
             "global bnd"), rows)


_STATUS = {"pass": "PASS", "fail": "FAIL", "match": "match", "mismatch": "MISMATCH",
           "not expected": "n/a"}


def _check_row(c: Check) -> tuple[str, ...]:
    title = c.title if c.lag is None else f"{c.title} [L={c.lag}]"
    tol = _num(c.tolerance, ".2g") if c.expected else "-"
    return (title, c.kind, _num(c.predicted), _num(c.measured), _num(c.difference), tol,
            _STATUS[c.status])


def _checks_table(nr: NetworkReport) -> Table:
    return (f"{_label(nr)}: {nr.spectral.regime.replace('_', ' ')}",
            ("check", "kind", "predicted", "measured", "diff", "tol", "status"),
            [_check_row(c) for c in nr.checks])


def tables(r: Report) -> list[Table]:
    """The report's tables as ``(title, header, rows)`` of strings.

    Parameters
    ----------
    r : Report
        The report.

    Returns
    -------
    list of tuple
        Derivation, spectral, rates, then one checks table per network.
    """
    return [_derivation_table(r), _spectral_table(r), _rates_table(r),
            *(_checks_table(nr) for nr in r.networks)]


def summary_line(r: Report) -> str:
    """One sentence: how many certified bounds hold and how many estimates match.

    Parameters
    ----------
    r : Report
        The report.

    Returns
    -------
    str
        E.g. ``"All 9 certified bounds hold; 4 of 4 estimates expected to match do (5 not
        expected)."``
    """
    rows = [c for _, c in r.checks]
    cert = [c for c in rows if c.kind == "certified"]
    held = sum(c.status == "pass" for c in cert)
    est = [c for c in rows if c.kind == "estimate" and c.expected]
    matched = sum(c.status == "match" for c in est)
    skipped = sum(c.status == "not expected" for c in rows)
    first = (f"All {held} certified bounds hold" if held == len(cert)
             else f"FAILED: {len(cert) - held} of {len(cert)} certified bounds do not hold")
    return (f"{first}; {matched} of {len(est)} estimates expected to match do "
            f"({skipped} not expected).")


def _plain(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    cells = [header, *rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for j, row in enumerate(cells):
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                     .rstrip())
        if j == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _reasons(nr: NetworkReport) -> list[str]:
    """Why each row that did not simply pass or match came out as it did."""
    return [f"{c.name} ({_STATUS[c.status]}): {c.reason}" for c in nr.checks
            if c.status in ("not expected", "fail", "mismatch")]


def text(r: Report) -> str:
    """The terminal report, every line at most :data:`WIDTH` characters.

    Parameters
    ----------
    r : Report
        The report.

    Returns
    -------
    str
        The text.
    """
    head = (f"gradtheory report: {len(r.networks)} network(s), T = {r.n_steps} steps, "
            f"Gaussian input std {r.input_std:g}"
            + ("" if r.seed is None else f", seed {r.seed}"))
    blocks = [head]
    derivation, spectral, rates, *checks = tables(r)
    # The derivation's own words on W_xh (never a repeated factor, yet it vanishes with W_hh).
    blocks.append(_plain(*derivation) + "\n" + "\n".join(textwrap.wrap(
        r.networks[0].derivations["W_xh"].explain(), WIDTH, initial_indent="  ",
        subsequent_indent="  ")))
    blocks.append("\n".join([_plain(*spectral), "  Conditions (symbolic, numbers in):",
                              *_condition_lines(r)]))
    blocks.append(_plain(*rates))
    body = ["Predicted vs measured (certified bounds must hold; estimates within tol)"]
    for table, nr in zip(checks, r.networks, strict=True):
        notes = [line for reason in _reasons(nr) for line in textwrap.wrap(
            reason, WIDTH, initial_indent="  * ", subsequent_indent="    ")]
        body.append("\n".join([_plain(*table), *notes]))
    blocks.append("\n\n".join(body))
    blocks.append(summary_line(r))
    return "\n\n".join(blocks)


def _html_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    esc = _html.escape
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f"<p><b>{esc(title)}</b></p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def html(r: Report) -> str:
    """The report as HTML tables (Jupyter's ``_repr_html_``).

    Parameters
    ----------
    r : Report
        The report.

    Returns
    -------
    str
        An HTML fragment.
    """
    esc = _html.escape
    parts = [f"<div><p><b>gradtheory report</b>: {len(r.networks)} network(s), "
             f"T = {r.n_steps}, input std {r.input_std:g}</p>"]
    parts.extend(_html_table(*t) for t in tables(r))
    notes = [f"{nr.label}, {reason}" for nr in r.networks for reason in _reasons(nr)]
    if notes:
        parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in notes) + "</ul>")
    parts.append(f"<p>{esc(summary_line(r))}</p></div>")
    return "".join(parts)


def _latex_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    cols = "l" * len(header)
    lines = [rf"\paragraph{{{escape(title)}}}", r"\begin{center}\small",
             rf"\begin{{tabular}}{{{cols}}}", r"\hline",
             " & ".join(escape(h) for h in header) + r" \\ \hline"]
    lines.extend(" & ".join(escape(c) for c in row) + r" \\" for row in rows)
    lines += [r"\hline", r"\end{tabular}", r"\end{center}"]
    return "\n".join(lines)


def latex_document(r: Report) -> str:
    """A standalone ``article`` with the report's tables (amsmath only; pdflatex compiles it).

    Parameters
    ----------
    r : Report
        The report.

    Returns
    -------
    str
        The LaTeX source.
    """
    notes = [escape(f"{nr.label}, {reason}") for nr in r.networks for reason in _reasons(nr)]
    body = [_latex_table(*t) for t in tables(r)]
    if notes:
        body.append(r"\begin{itemize}" + "".join(rf"\item {n}" + "\n" for n in notes)
                    + r"\end{itemize}")
    return "\n".join([
        r"\documentclass[10pt]{article}",
        r"\usepackage[margin=2cm,landscape]{geometry}",
        r"\usepackage{amsmath}",
        r"\title{gradtheory report}", r"\date{}", r"\begin{document}", r"\maketitle",
        escape(f"{len(r.networks)} network(s), T = {r.n_steps} steps, Gaussian input std "
               f"{r.input_std:g}."),
        *body, escape(summary_line(r)), r"\end{document}", ""])
