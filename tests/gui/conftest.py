"""Shared GUI fixtures: a SQLite database with project TRK, the store, settings and the window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import tracker_gui.ui.pyside_compat  # noqa: F401  (PySide6 6.12 on CPython 3.11: see the module)
from tests.gui.pane_helpers import (
    World,
    shown,
    today,
)
from tracker_gui.domain.enums import IssueType, Priority
from tracker_gui.domain.models import Issue, NewIssue, Project
from tracker_gui.services import Services, open_services
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.filter_pane import FilterPane
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


@pytest.fixture(name="board_services")
def board_services_fixture(tmp_path: Path) -> Iterator[Services]:
    """A fresh SQLite database with project TRK (default workflow) acting as alice."""
    services = open_services(str(tmp_path / "t.db"), create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    try:
        yield services
    finally:
        services.close()


@pytest.fixture(name="board_store")
def board_store_fixture(board_services: Services) -> Iterator[Store]:
    store = Store(board_services)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(name="board_settings")
def board_settings_fixture(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture(name="world")
def world_fixture(tmp_path: Path, qtbot: QtBot) -> Iterator[World]:
    """`world_fixture` into a test module to get the `world` fixture."""
    path = str(tmp_path / "t.db")
    services = open_services(path, create=True, actor="alice")
    services.projects.ensure_user("alice", "Alice Martin")
    services.projects.ensure_user("bob", "Bob Chen")
    services.projects.ensure_user("carol", "Carol Diaz")
    project, _ = services.projects.ensure_project("TRK", "Tracker")
    other, _ = services.projects.ensure_project("WEB", "Website")
    new = services.issues.create
    issues = {
        "bug": new(
            NewIssue(
                "TRK",
                "Login fails on Safari",
                type=IssueType.BUG,
                priority=Priority.HIGH,
                assignee="alice",
                labels=("ui",),
                due=today() + dt.timedelta(days=1),
                description="# Heading\n\nSome **bold** text.",
            )
        ),
        "docs": new(
            NewIssue(
                "TRK", "Write the docs", priority=Priority.LOW, assignee="bob", labels=("docs",)
            )
        ),
        "late": new(
            NewIssue(
                "TRK", "Renew the certificate", assignee="carol", due=today() - dt.timedelta(days=3)
            )
        ),
        "site": new(NewIssue("WEB", "New landing page", type=IssueType.STORY, labels=("design",))),
    }
    world = World(path, services, Store(services), project, other, issues)
    bob = world.connect("bob")
    issues["theirs"] = bob.issues.create(
        NewIssue("TRK", "Reported by bob", type=IssueType.STORY, priority=Priority.HIGHEST)
    )
    services.issues.watch(issues["theirs"].id)
    world.store.poll()
    yield world
    world.store.close()
    for extra in world.opened:
        extra.close()
    services.close()


@pytest.fixture(name="filter_pane")
def filter_pane_fixture(world: World, qtbot: QtBot) -> FilterPane:
    """The filter pane over `world`, shown."""
    return shown(qtbot, FilterPane(world.store), 320, 640)


@pytest.fixture(name="pane")
def detail_pane_fixture(world: World, qtbot: QtBot) -> DetailPane:
    """The detail pane over `world`, shown."""
    return shown(qtbot, DetailPane(world.store), 460, 900)


@pytest.fixture
def bob(board_services: Services, tmp_path: Path) -> Iterator[Services]:
    """bob's own connection to the board's file (a change made by someone else)."""
    services = open_services(str(tmp_path / "t.db"), actor="bob")
    yield services
    services.close()


@pytest.fixture
def make_sync_window(
    qtbot: QtBot, store: Store, gui_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., object]:
    """A MainWindow on a replica: handed a fake SyncEngine (tests/gui/sync_fake.py). Syncs run
    only when a test asks, and no timer re-reads the state behind its back."""
    from tracker_gui.ui import sync_controller
    from tracker_gui.ui.main_window import MainWindow

    monkeypatch.setattr(sync_controller, "AUTO_SYNC_MS", 0)
    monkeypatch.setattr(sync_controller, "QUEUED_SYNC_MS", 0)
    monkeypatch.setattr(sync_controller, "STATUS_MS", 600_000)  # what a test sees, it caused

    def make(engine: object, settings: Settings | None = None, show: bool = True) -> MainWindow:
        window = MainWindow(store, settings or gui_settings, sync=engine)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        window.resize(1400, 900)
        if show:
            window.show()
            qtbot.waitExposed(window)
        return window

    return make
