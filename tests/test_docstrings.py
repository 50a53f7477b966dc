"""Docstrings match signatures: every public callable documents exactly its parameters, in
order, in a numpydoc Parameters section (the model is python-control's docstrings_test.py)."""

import importlib
import inspect
import pkgutil
import re

import pytest

import gradtheory

_HEADER = re.compile(r"^(\w[\w ]*)\n-{3,}$", re.MULTILINE)


def _documented_parameters(doc: str) -> list[str] | None:
    """Names listed under 'Parameters' (None when the section is absent)."""
    sections = {m.group(1): m.end() for m in _HEADER.finditer(doc)}
    if "Parameters" not in sections:
        return None
    start = sections["Parameters"]
    later = [pos for pos in (m.start() for m in _HEADER.finditer(doc)) if pos > start]
    body = doc[start: later[0] if later else len(doc)]
    names: list[str] = []
    for line in body.splitlines():
        if line and not line.startswith(" "):
            names.extend(n.strip() for n in line.split(" : ")[0].split(","))
    return names


def _signature_parameters(func) -> list[str]:
    names = []
    for p in inspect.signature(func).parameters.values():
        if p.name in ("self", "cls"):
            continue
        prefix = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "")
        names.append(prefix + p.name)
    return names


def _public_callables():
    seen = {}
    modules = [gradtheory] + [importlib.import_module(i.name) for i in
                              pkgutil.walk_packages(gradtheory.__path__, "gradtheory.")
                              if not i.name.endswith("__main__")]
    for module in modules:
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name)
            if inspect.isfunction(obj):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
            elif inspect.isclass(obj) and not issubclass(obj, BaseException):
                seen[f"{obj.__module__}.{obj.__qualname__}"] = obj
                for attr, member in vars(obj).items():
                    if attr.startswith("_"):
                        continue
                    func = member.__func__ if isinstance(member, classmethod | staticmethod) \
                        else member
                    if inspect.isfunction(func):
                        seen[f"{obj.__module__}.{obj.__qualname__}.{attr}"] = func
    return seen


CALLABLES = _public_callables()


@pytest.mark.parametrize("qualname", sorted(CALLABLES))
def test_docstring_documents_exactly_the_signature(qualname):
    obj = CALLABLES[qualname]
    doc = inspect.getdoc(obj)
    assert doc, f"{qualname} has no docstring"
    if inspect.isclass(obj) and _documented_parameters(doc) is None:
        return  # a class without constructor parameters to document (e.g. a table row)
    expected = _signature_parameters(obj)
    documented = _documented_parameters(doc)
    if not expected:
        assert documented is None, f"{qualname} documents parameters it does not take"
        return
    assert documented == expected, f"{qualname}: docstring {documented} vs signature {expected}"


def test_the_parser_sees_a_mismatch():
    def f(a, b):
        """Summary.

        Parameters
        ----------
        a : int
            First.
        c : int
            Not a parameter.
        """

    assert _documented_parameters(inspect.getdoc(f)) != _signature_parameters(f)
