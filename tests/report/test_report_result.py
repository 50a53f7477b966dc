"""The results are separate from the pipeline: presentation imports ``result``, never ``build``."""

import ast
import importlib
from pathlib import Path

import pytest

import gradtheory
from gradtheory.report import build, checks, result

report_package = importlib.import_module("gradtheory.report")  # gradtheory.report: the function

REPORT = Path(gradtheory.__file__).parent / "report"


def _report_imports(module: str, *, top_level_only: bool = False) -> set[str]:
    """Sibling modules of ``gradtheory.report`` that a module imports (``TYPE_CHECKING``
    blocks included; with ``top_level_only``, imports inside functions are left out)."""
    tree = ast.parse((REPORT / f"{module}.py").read_text(encoding="utf-8"))
    tops = [t for t in tree.body if not (top_level_only and isinstance(
        t, ast.FunctionDef | ast.ClassDef))]
    nodes = [n for top in tops for n in ast.walk(top)]
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and node.module and \
                node.module.startswith("gradtheory.report."):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[2] for a in node.names
                         if a.name.startswith("gradtheory.report."))
    return found


@pytest.mark.parametrize("module", ["render", "files"])
def test_presentation_imports_results_not_the_pipeline(module):
    imported = _report_imports(module)
    assert "build" not in imported
    assert "checks" not in imported
    if module == "render":
        assert "result" in imported


def test_results_import_no_sibling_at_module_level():
    # render, files and plotting are imported inside the thin methods only: no cycle.
    assert _report_imports("result", top_level_only=True) == set()


def test_the_checker_sees_an_import_of_build(tmp_path, monkeypatch):
    fake = tmp_path / "report"
    fake.mkdir()
    (fake / "render.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                    "    from .build import Report\n")
    monkeypatch.setattr(f"{__name__}.REPORT", fake)
    assert _report_imports("render") == {"build"}


@pytest.mark.parametrize("name", ["Report", "NetworkReport", "Condition", "DERIVED"])
def test_results_stay_importable_from_the_pipeline_and_the_package(name):
    assert getattr(build, name) is getattr(result, name) is getattr(report_package, name)


@pytest.mark.parametrize("name", ["Check", "STATUSES"])
def test_rows_stay_importable_from_checks(name):
    assert getattr(checks, name) is getattr(result, name) is getattr(report_package, name)
    assert gradtheory.Check is result.Check
