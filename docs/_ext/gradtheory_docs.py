"""Build-time helpers for the gradtheory docs (a local Sphinx extension).

Two jobs run on ``builder-inited``, before Sphinx looks for source files:

1. Copy ``notebooks/*.md`` (the jupytext MyST notebooks, which live at the repository root as
   ARCHITECTURE.md says) into ``docs/notebooks/``, where the toctree can reach them and myst-nb
   executes them. The copy is generated and ignored by git (``docs/.gitignore``).
2. Write the tables and command-line texts the pages include into ``docs/_generated/``
   (also ignored by git, and excluded from the source files in ``conf.py``), straight from the
   package's own tables and parser, so the pages cannot drift from the code: for every
   subcommand of ``gradtheory.cli.SUBCOMMANDS`` its ``--help``, the output of one quick example
   (``CLI_EXAMPLES``) and, for the analysis subcommands, a tiny ``--json`` run. The commands
   run in-process and take a few seconds in all.

Files are rewritten only when their content changes, so incremental builds stay incremental.

An autodoc fix for the public constants (``ACTIVATIONS``, ``DEFAULT_GAINS``, ...): they are
documented as ``gradtheory.NAME``, but their ``#:`` doc-comments sit in the submodule that
defines them, where autodoc does not look, so it would print the docstring of ``tuple`` or
``dict`` instead. ``data_docstring`` substitutes the comment from the defining module.

A last check runs once every page is read: each name of ``gradtheory.__all__`` (but
``__version__``) must be documented somewhere (``api.md``), else the build warns, which ``-W``
makes an error, so the reference cannot silently miss a new public name.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx.util import logging

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
NOTEBOOKS_SOURCE = DOCS.parent / "notebooks"
NOTEBOOKS_COPY = DOCS / "notebooks"
GENERATED = DOCS / "_generated"

# argparse wraps help at the terminal width; fix it so the pages do not depend on the build host.
_HELP_COLUMNS = "90"


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def copy_notebooks() -> list[str]:
    """Mirror ``notebooks/*.md`` into ``docs/notebooks/``; return the copied names."""
    sources = {p.name: p for p in sorted(NOTEBOOKS_SOURCE.glob("*.md"))}
    if not sources:
        raise RuntimeError(f"no notebooks found in {NOTEBOOKS_SOURCE}")
    NOTEBOOKS_COPY.mkdir(exist_ok=True)
    for stale in NOTEBOOKS_COPY.glob("*.md"):
        if stale.name not in sources:
            stale.unlink()
    for name, source in sources.items():
        target = NOTEBOOKS_COPY / name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    return list(sources)


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def activation_table() -> str:
    """The activation table as a MyST pipe table, one row per :data:`gradtheory.ACTIVATIONS`."""
    from gradtheory import ACTIVATIONS

    rows = []
    for a in ACTIVATIONS.values():
        kinks = ", ".join(f"{k:g}" for k in a.kinks) or "—"
        rows.append([f"`{a.name}`", f"${a.latex}$", f"{a.gamma:g}", f"{a.gamma_min:g}",
                     kinks, f"{1.0 / a.gamma:g}" if a.gamma else "∞"])
    return _md_table(["`activation`", "$f(z)$", r"$\gamma = \sup \lvert f' \rvert$",
                      r"$\inf \lvert f' \rvert$",
                      "kinks", r"vanishing certain if $\sigma_{\max} <$"], rows)


def notation_table() -> str:
    """The notation presets as a MyST pipe table, one row per :data:`gradtheory.NOTATIONS`."""
    from gradtheory import NOTATIONS

    rows = []
    for p in NOTATIONS.values():
        rows.append([f"`{p.name}`"]
                    + [f"${p.symbol(key, time)}$" for key, time in
                       (("h", "t"), ("x", "t"), ("W_hh", None), ("W_xh", None), ("W_y", None),
                        ("f", None), ("E", "t"))]
                    + [p.description.replace("|", r"\|")])
    return _md_table(["preset", "state", "input", "`W_hh`", "`W_xh`", "`W_y`", "$f$", "loss",
                      "source"], rows)


def cli_output(*argv: str) -> str:
    """What ``gradtheory *argv`` prints on stdout (``--help`` included), at a fixed width."""
    from gradtheory.cli import main

    buffer = io.StringIO()
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = _HELP_COLUMNS
    try:
        with contextlib.redirect_stdout(buffer), contextlib.suppress(SystemExit):
            main(list(argv))
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return buffer.getvalue()


#: One quick example per subcommand (fast: small sizes and horizons), and a tiny ``--json``
#: run for the subcommands whose JSON document the pages describe. Every name of
#: ``gradtheory.cli.SUBCOMMANDS`` needs an entry: a new subcommand fails the build until it
#: has one.
CLI_EXAMPLES: dict[str, tuple[str, ...]] = {
    "report": ("--n", "16", "--gain", "0.4", "3", "--steps", "200"),
    "derive": ("--param", "W_xh", "--steps", "3", "--notation", "ng", "--check"),
    "bounds": ("--random", "200", "--gain", "0.4", "1.5"),
    "simulate": ("--random", "32", "--gain", "0.5", "1.5", "2.5", "--steps", "200",
                 "--input-std", "0.5"),
    "lyapunov": ("--random", "32", "--gain", "0.5", "1.5", "2.5", "--steps", "500", "--k", "4",
                 "--input-std", "0.5"),
    "network": (),
    "activations": (),
}
CLI_JSON_EXAMPLES: dict[str, tuple[str, ...]] = {
    "derive": ("--param", "b_h", "--steps", "2", "--check", "--json"),
    "bounds": ("--random", "16", "--gain", "0.5", "--json"),
    "simulate": ("--random", "4", "--gain", "0.5", "--steps", "4", "--json"),
    "lyapunov": ("--random", "4", "--gain", "0.5", "--steps", "50", "--k", "2", "--json"),
}


def cli_command(name: str, argv: tuple[str, ...]) -> str:
    """The command line as a reader types it, for the ``$ ...`` line above an output."""
    return " ".join(("gradtheory", name, *argv))


def cli_texts() -> dict[str, str]:
    """``{file name: text}`` of the generated command-line texts, for every subcommand.

    ``cli-help.txt`` (the top-level help) and, for each name of
    :data:`gradtheory.cli.SUBCOMMANDS`: ``cli-NAME-help.txt`` (its ``--help``),
    ``cli-NAME.txt`` (the output of its example in :data:`CLI_EXAMPLES`, preceded by the
    command) and, where :data:`CLI_JSON_EXAMPLES` has one, ``cli-NAME-json.txt``.
    """
    from gradtheory.cli import SUBCOMMANDS

    missing = sorted(set(SUBCOMMANDS) - set(CLI_EXAMPLES))
    if missing:
        raise RuntimeError(f"docs/_ext/gradtheory_docs.py: no example for the subcommand(s) "
                           f"{', '.join(missing)}; add them to CLI_EXAMPLES")
    texts = {"cli-help.txt": cli_output("--help")}
    for name in SUBCOMMANDS:
        texts[f"cli-{name}-help.txt"] = cli_output(name, "--help")
        argv = CLI_EXAMPLES[name]
        texts[f"cli-{name}.txt"] = f"$ {cli_command(name, argv)}\n" + cli_output(name, *argv)
        if name in CLI_JSON_EXAMPLES:
            argv = CLI_JSON_EXAMPLES[name]
            texts[f"cli-{name}-json.txt"] = (f"$ {cli_command(name, argv)}\n"
                                             + cli_output(name, *argv))
    return texts


def generate(app: Any = None) -> None:
    """Copy the notebooks and write ``docs/_generated/`` (the ``builder-inited`` handler)."""
    copy_notebooks()
    GENERATED.mkdir(exist_ok=True)
    pages = {
        "activations.md": activation_table(),
        "notations.md": notation_table(),
        **cli_texts(),
    }
    for name, text in pages.items():
        _write_if_changed(GENERATED / name, text)


@functools.cache
def _public_data_comments() -> dict[str, list[str]]:
    """``{"gradtheory.NAME": doc-comment lines}`` for public constants, from defining modules."""
    from sphinx.pycode import ModuleAnalyzer

    import gradtheory

    comments: dict[str, list[str]] = {}
    for name in gradtheory.__all__:
        obj = getattr(gradtheory, name)
        for modname, module in sorted(sys.modules.items()):
            if modname.startswith("gradtheory.") and getattr(module, name, None) is obj:
                attr_docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
                if ("", name) in attr_docs:
                    comments[f"gradtheory.{name}"] = list(attr_docs["", name])
                    break
    return comments


def data_docstring(app: Any, what: str, name: str, obj: Any, options: Any,
                   lines: list[str]) -> None:
    """Give ``gradtheory.NAME`` constants their own ``#:`` comment, never their type's docstring.

    The ``autodoc-process-docstring`` handler; runs before numpydoc's (priority 400 < 500).
    """
    if what != "data" or not name.startswith("gradtheory."):
        return
    comment = _public_data_comments().get(name)
    if comment is not None:
        lines[:] = comment
    elif lines and "\n".join(lines).strip() == (type(obj).__doc__ or "").strip():
        lines[:] = []


#: Known reST slips in package docstrings, patched at build time until they are fixed in the
#: source: ``{object name: ((text, replacement), ...)}``. A pair that no longer matches is
#: reported in the build log (not as a warning: fixing the docstring must not break the build),
#: and its entry should then be removed.
def check_api_coverage(app: Any, env: Any) -> None:
    """Warn for each public name that no page documents (the ``env-check-consistency`` handler)."""
    import gradtheory

    documented = set(env.get_domain("py").objects)
    for name in sorted(set(gradtheory.__all__) - {"__version__"}):
        if f"gradtheory.{name}" not in documented:
            logger.warning("gradtheory.%s is in gradtheory.__all__ but not documented; "
                           "add it to docs/api.md", name, location="api")


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", generate)
    app.connect("autodoc-process-docstring", data_docstring, priority=400)
    app.connect("env-check-consistency", check_api_coverage)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
