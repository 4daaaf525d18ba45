"""Shared GUI fixtures: a SQLite database with project TRK, the store, settings and the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import tracker_gui.ui.pyside_compat  # noqa: F401  (PySide6 6.12 on CPython 3.11: see the module)
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, NewIssue, Project
from tracker_gui.services import Services, open_services
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


@pytest.fixture
def gui_services(tmp_path: Path) -> Iterator[Services]:
    """Services acting as alice on a fresh SQLite file holding the project TRK (no issues)."""
    services = open_services(str(tmp_path / "gui.db"), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    yield services
    services.close()


@pytest.fixture
def trk(gui_services: Services) -> Project:
    return gui_services.projects.project("TRK")


@pytest.fixture
def other_services(tmp_path: Path, gui_services: Services) -> Iterator[Services]:
    """A second connection to the same file acting as bob (a change made elsewhere)."""
    services = open_services(str(tmp_path / "gui.db"), actor="bob")
    yield services
    services.close()


@pytest.fixture
def make_issue(gui_services: Services) -> Callable[..., Issue]:
    """Create an issue in TRK through the services (so it is logged like any other)."""

    def make(title: str = "An issue", **fields: object) -> Issue:
        fields.setdefault("type", IssueType.TASK)
        fields.setdefault("priority", Priority.MEDIUM)
        return gui_services.issues.create(NewIssue("TRK", title, **fields))  # type: ignore[arg-type]

    return make


@pytest.fixture
def three_issues(make_issue: Callable[..., Issue]) -> list[Issue]:
    return [
        make_issue("Write the importer", assignee="alice", labels=("backend",)),
        make_issue("Fix the crash on start", type=IssueType.BUG, priority=Priority.HIGH),
        make_issue("Plan the release", due=dt.date.today() + dt.timedelta(days=3)),
    ]


@pytest.fixture
def store(qapp: object, gui_services: Services) -> Iterator[Store]:
    store = Store(gui_services)
    yield store
    store.close()


@pytest.fixture
def gui_settings(tmp_path: Path) -> Settings:
    """Settings in their own INI file (two windows built from it share a layout)."""
    return Settings(tmp_path / "config" / "tracker-gui.ini")


@pytest.fixture
def make_window(qtbot: QtBot, store: Store, gui_settings: Settings) -> Callable[..., object]:
    """Build a MainWindow over the test's store and settings; closed at teardown."""
    from tracker_gui.ui.main_window import MainWindow

    def make(settings: Settings | None = None, show: bool = True) -> MainWindow:
        window = MainWindow(store, settings or gui_settings)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    return make
