"""The layer arrows of ARCHITECTURE.md, read from the imports of every module."""

import ast
from pathlib import Path

import pytest

import gradtheory

PACKAGE = Path(gradtheory.__file__).parent
LAYERS = ("symbolic", "spectral", "simulate")
ORCHESTRATION = ("report", "sweep", "plotting", "testing", "cli", "__main__")
CORE = ("activations", "network", "notation", "errors", "_validate", "_torch", "cells", "recurrent",
        "trajectory")
# Optional or heavy third-party packages and the only modules allowed to import them.
RESTRICTED = {"matplotlib": ("plotting",), "torch": ("_torch",)}


def _runtime_nodes(tree: ast.AST):
    """Every node except the bodies of ``if TYPE_CHECKING:`` (never executed: type hints only)."""
    for node in ast.iter_child_nodes(tree):
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Name | ast.Attribute) and \
                getattr(test, "id", getattr(test, "attr", "")) == "TYPE_CHECKING":
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path, root: Path) -> set[str]:
    """Absolute dotted names a module imports (relative imports resolved)."""
    module = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    package = package.removesuffix(".__init__")
    names: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
                names.add(target)
                names.update(f"{target}.{alias.name}" for alias in node.names)
            elif node.module:
                names.add(node.module)
    return names


def _top(path: Path, root: Path) -> str:
    """The first-level part of the package a file belongs to (``spectral``, ``network``)."""
    return path.relative_to(root).with_suffix("").parts[0]


def violations(root: Path) -> list[str]:
    """Every import that breaks an arrow, as readable lines."""
    found: set[str] = set()
    pkg = root.name
    for path in sorted(root.rglob("*.py")):
        part = _top(path, root)
        for name in sorted(_imports(path, root)):
            head = name.split(".")[0]
            inner = name.split(".")[1] if head == pkg and "." in name else None
            where = path.relative_to(root.parent)
            if head in RESTRICTED and part not in RESTRICTED[head]:
                found.add(f"{where} imports {head} (only {RESTRICTED[head]} may)")
            if inner is None:
                continue
            if part in LAYERS and inner in LAYERS and inner != part:
                found.add(f"{where} imports layer {inner} (layers never import each other)")
            if part in LAYERS + CORE and inner in ORCHESTRATION:
                found.add(f"{where} imports {inner} (it sits above {part})")
            if part in CORE and inner in LAYERS:
                found.add(f"{where} imports layer {inner} (the core sits below the layers)")
    return sorted(found)


def test_package_respects_the_arrows():
    assert violations(PACKAGE) == []


@pytest.mark.parametrize(("files", "expected"), [
    ({"spectral/bounds.py": "from ..simulate import lag\n"}, "imports layer simulate"),
    ({"symbolic/bptt.py": "import gradtheory.spectral.radius\n"}, "imports layer spectral"),
    ({"simulate/run.py": "import matplotlib.pyplot as plt\n"}, "imports matplotlib"),
    ({"network.py": "from .report import report\n"}, "imports report"),
    ({"notation.py": "from .symbolic import model\n"}, "imports layer symbolic"),
    ({"network.py": "import torch\n"}, "imports torch"),
    ({"report/build.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    import matplotlib\nelse:\n    import torch\n"}, "imports torch"),
])
def test_the_checker_catches_each_kind_of_violation(tmp_path, files, expected):
    root = tmp_path / "gradtheory"
    for rel, text in {"__init__.py": "", "plotting/__init__.py": "import matplotlib\n",
                      **files}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        for parent in target.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
        target.write_text(text)
    found = violations(root)
    assert len(found) == 1, found
    assert expected in found[0]
