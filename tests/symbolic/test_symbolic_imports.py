"""The modules of the symbolic layer import one another at the top, with no cycle."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import gradtheory.symbolic

LAYER = Path(gradtheory.symbolic.__file__).parent


def _is_type_checking(node):
    test = node.test if isinstance(node, ast.If) else None
    return getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def _sibling_imports(tree, *, inside_function=False):
    """(module, inside a function?) for every runtime ``from .x import`` of a sibling."""
    for node in ast.iter_child_nodes(tree):
        if _is_type_checking(node):
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            yield node.module.split(".")[0], inside_function
        nested = inside_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        yield from _sibling_imports(node, inside_function=nested)


def _graph():
    return {path.stem: list(_sibling_imports(ast.parse(path.read_text(encoding="utf-8"))))
            for path in sorted(LAYER.glob("*.py")) if path.stem != "__init__"}


def test_no_module_of_the_layer_imports_a_sibling_inside_a_function():
    lazy = {name: [m for m, inside in found if inside] for name, found in _graph().items()}
    assert {name: found for name, found in lazy.items() if found} == {}


def test_the_import_graph_of_the_layer_has_no_cycle():
    graph = {name: {m for m, _ in found} for name, found in _graph().items()}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the failure message is the point
        raise AssertionError(f"import cycle: {exc.args[1]}") from None
    assert order.index("evaluation") < order.index("bptt")
    assert order.index("bridge") < order.index("bptt")
    assert order.index("document") < order.index("bptt")
