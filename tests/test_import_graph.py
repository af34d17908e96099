"""No import circle among the project's modules (tracker/ and accounts/).

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy import
hides a circle from Python, not from the next reader. Run on its own with
``python3 -m uv run pytest -q tests/test_import_graph.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "accounts")

# Circles that exist today outside reminders, each written as its sorted module names.
# Being removed in issue 11; the test fails if a new circle appears or one listed here is
# gone (then delete its line).
KNOWN_CYCLES: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def imported_names(module: str, path: Path) -> set[str]:
    """Absolute names this module imports, including ``from x import y`` as ``x.y``."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            names.add(source)
            names.update(f"{source}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            # "from tracker.reminders import tasks" imports the module tasks; a
            # package's own __init__ (importing its parent) is not an edge of interest.
            if name in modules and name != module and not module.startswith(f"{name}."):
                targets.add(name)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def describe(component: list[str], graph: dict[str, set[str]]) -> str:
    members = set(component)
    edges = [f"{a} -> {b}" for a in component for b in sorted(graph[a] & members)]
    return "; ".join(edges)


def test_project_modules_import_each_other_without_a_circle() -> None:
    graph = import_graph()
    found = {frozenset(component): component for component in cycles(graph)}
    new = [describe(found[key], graph) for key in found if key not in KNOWN_CYCLES]
    assert not new, "import circle(s):\n" + "\n".join(new)
    assert not KNOWN_CYCLES - set(found), "listed in KNOWN_CYCLES but gone: remove them"


def test_the_graph_sees_lazy_and_relative_imports() -> None:
    graph = import_graph()
    # AppConfig.ready() imports the signal handlers inside the function.
    assert "tracker.reminders.signals" in graph["tracker.reminders.apps"]
    # "from tracker.reminders.tasks import send_test_reminder" is an edge to the module.
    assert "tracker.reminders.tasks" in graph["tracker.reminders.views"]


def test_a_circle_is_reported() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert describe(["a", "b", "c"], graph) == "a -> b; b -> c; c -> a"
