"""House rules of the package: no module over 500 lines, no circle in the import graph."""

from __future__ import annotations

import ast
from pathlib import Path

import tracker_gui

PACKAGE = Path(tracker_gui.__file__).parent
ROOT = PACKAGE.parent
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    """Dotted module name -> file; a package's __init__ is the package's own module."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest tracker_gui module `name` (a module, or a name inside one) lies in."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str, source: str, modules: dict[str, Path], is_package: bool) -> set[str]:
    """Every module this one imports anywhere (functions and TYPE_CHECKING blocks included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import mod` imports pkg.mod; `from mod import name` imports mod.
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for name in names:
            target = _resolve(name, modules)
            if target is not None and target != module:
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: _imports(name, path.read_text(encoding="utf-8"), modules, path.stem == "__init__")
        for name, path in modules.items()
    }


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the modules in order with the first repeated at the end."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_no_module_is_over_500_lines() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        with path.open(encoding="utf-8") as f:
            count = sum(1 for _ in f)
        if count > MAX_LINES:
            long.append(f"{path.relative_to(ROOT)} ({count} lines)")
    assert not long, f"over {MAX_LINES} lines: split by job: " + ", ".join(long)


def test_the_import_graph_has_no_circle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_checker_sees_a_circle_through_a_deferred_import() -> None:
    """The check itself: a circle closed by an import inside a function is found."""
    modules = {"tracker_gui.a": Path("a.py"), "tracker_gui.b": Path("b.py")}
    sources = {
        "tracker_gui.a": "def f():\n    from tracker_gui import b\n",
        "tracker_gui.b": "from tracker_gui.a import f\n",
    }
    graph = {name: _imports(name, text, modules, False) for name, text in sources.items()}
    assert _cycle(graph) == ["tracker_gui.a", "tracker_gui.b", "tracker_gui.a"]
