"""Sphinx configuration of the gradtheory documentation.

Build it as CI does, with every warning an error::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

The notebooks live in ``notebooks/`` at the repository root; the local extension
``_ext/gradtheory_docs.py`` copies them into ``docs/notebooks/`` at build time (ignored by git),
where myst-nb executes them, and writes the tables the pages include into ``docs/_generated/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gradtheory

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

# -- Project -------------------------------------------------------------------------------------
project = "gradtheory"
author = "gradtheory developers"
copyright = "gradtheory developers"  # no year: nothing to update every January
release = version = gradtheory.__version__
language = "en"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "gradtheory_docs",
]
# _generated/ holds included fragments, not pages; notebooks/ is reached through the toctree.
exclude_patterns = ["_build", "_ext", "_generated", "Thumbs.db", ".DS_Store"]
root_doc = "index"

# -- MyST and myst-nb ----------------------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
# Run every notebook on every build (no cache): a notebook that stops working fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 120
# The kernel is the `python3` kernelspec that ipykernel (a myst-nb dependency) installs into the
# environment; jupyter_client starts it with the Python running Sphinx, so nothing else is needed.
# A notebook saved from Jupyter under another kernel name (a local venv's kernel) runs on it too.
nb_kernel_rgx_aliases = {".*": "python3"}

# -- autodoc and numpydoc ------------------------------------------------------------------------
# Types are in the numpydoc Parameters sections; repeating them in signatures only adds noise.
autodoc_typehints = "none"
autodoc_member_order = "bysource"
autodoc_inherit_docstrings = False
# api.md lists the members it wants; numpydoc's own member tables would document them twice.
numpydoc_show_class_members = False
numpydoc_show_inherited_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# -- HTML ----------------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"gradtheory {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
# No html_static_path: there are no custom static files (and an absent folder is a warning).
