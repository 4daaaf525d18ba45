"""Fixtures for the filter pane, detail pane and dialog tests: a small SQLite world and helpers."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QMenu, QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue, Project
from tracker_gui.services import Services, open_services
from tracker_gui.ui.store import Store


def today() -> dt.date:
    """Read at use, not at import: a run that crosses midnight must not compare with yesterday."""
    return dt.date.today()


# The offscreen platform's noise when a menu or popup opens (see pyproject's qt_log_ignore).
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(
    "This plugin does not support raise()",
    "This plugin does not support grabbing the keyboard",
)


@dataclass
class World:
    """alice's store over a database with three users, two projects and a few issues."""

    path: str
    services: Services
    store: Store
    project: Project
    other_project: Project
    issues: dict[str, Issue] = field(default_factory=dict)
    opened: list[Services] = field(default_factory=list)

    def connect(self, actor: str = "bob") -> Services:
        """A second, independent connection to the same file (another process, another user)."""
        services = open_services(self.path, actor=actor)
        self.opened.append(services)
        return services

    def fresh(self, name: str) -> Issue:
        return self.services.issues.get(self.issues[name].id)


def keys(issues: list[Issue]) -> set[str]:
    return {i.key for i in issues}


def when_modal(action: Callable[[Any], None], timeout_ms: int = 3000) -> None:
    """Run `action(dialog)` on the next modal dialog once it is up (before calling exec)."""
    deadline = time.monotonic() + timeout_ms / 1000

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if widget is not None and widget.isVisible():
            action(widget)
        elif time.monotonic() < deadline:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def click_menu_item(qtbot: QtBot, menu: QMenu, text: str, at: QWidget | None = None) -> None:
    """Open `menu` (under `at`) and click the item labelled `text` with the mouse."""
    if not menu.isVisible():
        where = at.mapToGlobal(QPoint(0, at.height())) if at is not None else QPoint(0, 0)
        menu.popup(where)
        qtbot.waitUntil(menu.isVisible)
    action = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an entry the way a user does: open the popup and click the row."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(combo.model().index(index, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


W = TypeVar("W", bound=QWidget)


def shown(qtbot: QtBot, widget: W, width: int, height: int) -> W:
    """`widget` at width x height, on screen, and closed with the test."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
