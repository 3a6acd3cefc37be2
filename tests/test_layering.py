"""The import graph of ``screening/``: no cycles, and no floor imports a floor above it.

Floors, lowest first. A module may import its own package and anything on a lower floor;
packages on the same floor (analysis, district) stay independent of each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "screening"
FLOORS = {
    "vocabulary": 0,
    "excel": 0,
    "settings": 0,
    "issues": 1,
    "rules": 2,
    "intake": 3,
    "engine": 4,
    "pipeline": 5,
    "analysis": 6,
    "district": 6,
    "report": 7,
    "store": 8,
    "cli": 9,
    "__main__": 10,
    "__init__": 0,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(path: Path, node: ast.ImportFrom) -> list[str]:
    """Absolute dotted names a ``from … import …`` statement refers to (modules, or the package)."""
    if node.level == 0:
        base = node.module or ""
    else:
        here = _module_name(path).split(".")
        if path.name != "__init__.py":
            here = here[:-1]
        here = here[: len(here) - (node.level - 1)]
        base = ".".join(here + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" for alias in node.names] + [base]


def import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found = []
            if isinstance(node, ast.ImportFrom):
                found = _resolve(path, node)
            elif isinstance(node, ast.Import):
                found = [alias.name for alias in node.names]
            targets |= {t for t in found if t in modules and t != name}
        graph[name] = targets
    return graph


def _floor(module: str) -> tuple[str, int]:
    top = module.split(".")[1] if "." in module else "__init__"
    assert top in FLOORS, f"{module}: put its package on a floor in tests/test_layering.py"
    return top, FLOORS[top]


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        top, floor = _floor(module)
        for target in targets:
            other, other_floor = _floor(target)
            if other != top and (other_floor > floor or (other_floor == floor and floor > 0)):
                wrong.append(f"{module} -> {target}")
    return wrong


def cycles(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, str] = {}
    found = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "active"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "active":
                found.append(" -> ".join([*trail[trail.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_module_imports_a_higher_floor_or_a_sibling_package():
    assert upward_imports(import_graph()) == []


def test_there_is_no_import_cycle():
    assert cycles(import_graph()) == []


def test_the_checks_can_fail():
    """A check that could not fail is not a check: an upward import, a sibling import and a cycle are caught."""
    assert upward_imports({"screening.rules.x": {"screening.engine.y"}}) == ["screening.rules.x -> screening.engine.y"]
    assert upward_imports({"screening.district.a": {"screening.analysis.b"}}) != []
    assert upward_imports({"screening.engine.a": {"screening.rules.b", "screening.engine.c"}}) == []
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a -> b -> c -> a"]
    node = ast.parse("from ..rules.loading import RuleSet").body[0]
    assert "screening.rules.loading" in _resolve(PACKAGE / "engine" / "decide.py", node)
