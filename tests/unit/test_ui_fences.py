"""Fences no import rule can see: widgets reach the services only through ui/ops.

An attribute is not an import, so import-linter cannot tell that `self._store.services.issues`
walks around the operations; these tests read the source with `ast` instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tracker_gui.ui

UI = Path(tracker_gui.ui.__file__).parent
# Where the services may be named: the operations, and the store split by job (it builds
# them). The connect dialog opens a database and hands the new services to app.py.
ALLOWED = {"store.py", "transfers.py", "dialogs/connect.py"}
ALLOWED_DIRS = {"ops"}


def modules() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(UI).as_posix()


def fenced(path: Path) -> bool:
    return rel(path) not in ALLOWED and path.relative_to(UI).parts[0] not in ALLOWED_DIRS


def services_uses(source: str, name: str) -> list[str]:
    """`<expr>.services` anywhere in the module's source, as `name:line`."""
    lines = sorted(
        node.lineno
        for node in ast.walk(ast.parse(source, filename=name))
        if isinstance(node, ast.Attribute) and node.attr == "services"
    )
    return [f"{name}:{line}" for line in lines]


def test_the_fence_sees_every_ui_module() -> None:
    names = {rel(p) for p in modules()}
    assert {"main_window.py", "panes/detail_pane.py", "ops/core.py", "store.py"} <= names
    assert not [n for n in ALLOWED if n not in names], "an allowed module no longer exists"


def test_the_fence_catches_a_reach_through_the_store() -> None:
    source = (
        "def f(store):\n"
        "    issues = store.services.issues\n"
        "    services = store.services\n"  # a local name is no reach; the attribute is
        "    return getattr(store, 'other')\n"
    )
    assert services_uses(source, "widget.py") == ["widget.py:2", "widget.py:3"]


def test_no_widget_touches_the_services() -> None:
    found = [
        use
        for path in modules()
        if fenced(path)
        for use in services_uses(path.read_text(encoding="utf-8"), f"ui/{rel(path)}")
    ]
    assert found == [], "call a ui/ops operation or a store read instead: " + ", ".join(found)


def test_the_error_helper_exists_once() -> None:
    """Errors become messages in ui/ops/core.py only: no widget collects the error signal."""
    copies = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.FunctionDef) and node.name == "errors_from") or (
                isinstance(node, ast.Attribute) and node.attr == "errors_from"
            ):
                copies.append(f"ui/{rel(path)}:{node.lineno}")
    assert copies == []
