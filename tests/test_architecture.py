"""The house rules that keep the layout honest (issue 14).

- the import graph of ``newsdesk`` has no cycles (a lazy import inside a
  function counts too: it is still a dependency);
- no module imports another module's ``_private`` names;
- every stage is one package that exports its entry points through ``__all__``,
  and every name in an ``__all__`` exists;
- the one place that turns an exception into a ``Dropped`` record is
  ``newsdesk.stage``.
"""

from __future__ import annotations

import ast
import functools
import importlib
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "newsdesk"
STAGES = ["ingest", "clean", "annotate", "lineage", "stories", "compare", "briefing", "render"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))}


def _resolve(importer: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = importer.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _edges() -> dict[str, set[str]]:
    modules = _modules()
    packages = {_module_name(p) for p in SRC.rglob("__init__.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, tree in modules.items():
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = _resolve(name, node, name in packages)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if sub in modules else base)
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _is_ancestor(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_the_import_graph_has_no_cycles() -> None:
    graph = _edges()
    # A package's __init__ re-exporting its own submodules is how a package shows its
    # surface; the submodules must not import the package back (that is the cycle).
    cycles = _cycles(graph)
    assert cycles == [], f"import cycles: {cycles}"


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = []
    for name, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsdesk"):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                if private:
                    offenders.append(f"{name} <- {node.module}: {', '.join(private)}")
    assert offenders == [], "private cross-imports:\n" + "\n".join(offenders)


def test_no_module_reads_another_modules_private_attributes() -> None:
    """``module._name`` on an imported newsdesk module is a private cross-import in disguise."""
    offenders = []
    modules = set(_modules())
    for name, tree in _modules().items():
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsdesk"):
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("newsdesk"):
                        aliases[a.asname or a.name.split(".")[0]] = a.name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and aliases[node.value.id] in modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                offenders.append(f"{name}: {node.value.id}.{node.attr}")
    assert offenders == [], "private attributes of other modules:\n" + "\n".join(offenders)


@pytest.mark.parametrize("stage", STAGES)
def test_every_stage_is_one_package_with_an_honest_all(stage: str) -> None:
    assert (SRC / stage / "__init__.py").is_file(), f"{stage} is not a package"
    module = importlib.import_module(f"newsdesk.{stage}")
    exported = getattr(module, "__all__", None)
    assert exported, f"newsdesk.{stage} exports nothing through __all__"
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == [], f"newsdesk.{stage}.__all__ names what it lacks: {missing}"


def test_every_all_in_the_package_names_what_exists() -> None:
    for name in _modules():
        if name.startswith("newsdesk.spark") or name.endswith("__main__"):
            continue  # pyspark is an optional extra; __main__ runs the CLI on import
        module = importlib.import_module(name)
        missing = [n for n in getattr(module, "__all__", []) if not hasattr(module, n)]
        assert missing == [], f"{name}.__all__ names what it lacks: {missing}"


def test_exceptions_become_dropped_records_in_one_place() -> None:
    """The guard that formats an exception into a Dropped reason is written once, in newsdesk.stage."""
    pattern = re.compile(r"type\(exc\)\.__name__")
    places = [
        str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert places == ["stage.py"], f"exception-to-reason formatting outside newsdesk.stage: {places}"
