"""Projects in the window: File > New Project with a workflow preset, Project Settings and Import
for the project on screen, rename, archive and restore from the Project menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import when_modal
from tracker_gui.domain.workflows import TRIAGE
from tracker_gui.services import Services, open_services
from tracker_gui.ui.dialogs.message import MessageDialog
from tracker_gui.ui.dialogs.new_project import NewProjectDialog
from tracker_gui.ui.dialogs.project_settings import ProjectSettingsDialog
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

Make = Callable[..., MainWindow]


def action(window: MainWindow, name: str) -> QAction:
    found = window.findChild(QAction, name)
    assert isinstance(found, QAction), name
    return found


def fill_new_project(qtbot: QtBot, dialog: Any, name: str, key: str | None, preset: str) -> None:
    """Type as a person would: the name (the key is suggested), maybe a key, pick a preset."""
    assert isinstance(dialog, NewProjectDialog)
    qtbot.keyClicks(dialog.name_edit, name)
    if key is not None:
        dialog.key_edit.clear()
        qtbot.keyClicks(dialog.key_edit, key)
    qtbot.mouseClick(dialog.workflow_buttons[preset], Qt.MouseButton.LeftButton)


def test_file_new_project_makes_the_project_with_its_preset_and_opens_its_board(
    qtbot: QtBot, make_window: Make, gui_services: Services
) -> None:
    window = make_window()
    seen: dict[str, object] = {}

    def act(dialog: Any) -> None:
        fill_new_project(qtbot, dialog, "Bug reports", None, "triage")
        seen["suggested"] = dialog.key_edit.text()
        seen["width"] = dialog.width()
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    when_modal(act)
    action(window, "newProjectAction").trigger()

    assert seen["suggested"] == "BR"
    assert isinstance(seen["width"], int) and seen["width"] >= 520
    project = gui_services.projects.project("BR")
    assert project.name == "Bug reports"
    statuses = gui_services.projects.statuses(project.id)
    assert [(s.name, s.category) for s in statuses] == list(TRIAGE.statuses)
    assert len(gui_services.projects.transitions(project.id)) == len(TRIAGE.transitions)
    dock = window.docks["board:BR"]
    qtbot.waitUntil(dock.isVisible)
    assert dock.windowTitle() == "Bug reports board"
    assert window.project_menu.project_on_screen() == project.id


def test_a_taken_key_is_said_inline_and_the_input_is_kept(
    qtbot: QtBot, make_window: Make, gui_services: Services
) -> None:
    window = make_window()
    seen: dict[str, object] = {}

    def act(dialog: Any) -> None:
        fill_new_project(qtbot, dialog, "Another", "trk", "basic")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        seen["error"] = dialog.error_label.text()
        seen["shown"] = dialog.isVisible() and dialog.error_label.isVisible()
        seen["kept"] = (dialog.key_edit.text(), dialog.name_edit.text())
        dialog.reject()

    when_modal(act)
    action(window, "newProjectAction").trigger()

    assert seen == {
        "error": "A project with key TRK already exists",
        "shown": True,
        "kept": ("TRK", "Another"),
    }
    assert [p.key for p in gui_services.projects.projects()] == ["TRK"]


def _settings_title(window: MainWindow) -> str:
    titles: list[str] = []

    def act(dialog: Any) -> None:
        assert isinstance(dialog, ProjectSettingsDialog)
        titles.append(dialog.windowTitle())
        dialog.accept()

    when_modal(act)
    window.actions_.project_settings.trigger()
    assert len(titles) == 1
    return titles[0]


def test_project_settings_and_import_follow_the_board_on_screen(
    qtbot: QtBot, make_window: Make, gui_services: Services
) -> None:
    web, _ = gui_services.projects.ensure_project("WEB", "Website")
    window = make_window()
    assert _settings_title(window) == "Project settings · TRK"

    window.open_board(web.id)  # raised over TRK's board: WEB is on screen now
    qtbot.waitUntil(lambda: window.docks["board:TRK"].visibleRegion().isEmpty())
    assert not window.docks["board:WEB"].visibleRegion().isEmpty()
    assert _settings_title(window) == "Project settings · WEB"
    first = window.main_board()
    assert first is not None and first.project_id() != web.id  # the first board is still TRK's

    window.docks["board:TRK"].raise_()
    qtbot.waitUntil(lambda: not window.docks["board:TRK"].visibleRegion().isEmpty())
    assert _settings_title(window) == "Project settings · TRK"


def test_import_defaults_to_the_project_on_screen(
    qtbot: QtBot, make_window: Make, gui_services: Services, tmp_path: Path
) -> None:
    web, _ = gui_services.projects.ensure_project("WEB", "Website")
    window = make_window()
    window.open_board(web.id)
    qtbot.waitUntil(window.docks["board:WEB"].isVisible)
    csv_file = tmp_path / "issues.csv"
    csv_file.write_text("Title,Status\nFirst,To Do\n", encoding="utf-8")

    flow = window.start_import("csv", str(csv_file))

    assert flow is not None and flow.mapping_dialog is not None
    qtbot.waitUntil(flow.mapping_dialog.isVisible)
    assert flow.mapping_dialog.project_key() == "WEB"
    flow.mapping_dialog.reject()


@pytest.fixture
def empty_store(qapp: object, tmp_path: Path) -> Iterator[Store]:
    """A database with no project at all (created, then its only project never made)."""
    services = open_services(str(tmp_path / "empty.db"), create=True, actor="alice")
    store = Store(services)
    yield store
    store.close()
    services.close()


def test_project_settings_on_an_empty_database_offers_a_new_project(
    qtbot: QtBot, empty_store: Store, tmp_path: Path
) -> None:
    window = MainWindow(empty_store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.board_docks() == []
    told: list[str] = []

    def offer(dialog: Any) -> None:
        assert isinstance(dialog, MessageDialog)
        told.append(dialog.text())
        when_modal(create)
        qtbot.mouseClick(dialog.push_buttons["yes"], Qt.MouseButton.LeftButton)

    def create(dialog: Any) -> None:
        fill_new_project(qtbot, dialog, "Website", "WEB", "review")
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    when_modal(offer)
    window.actions_.project_settings.trigger()

    assert told == ["This database has no project yet."]
    assert [p.key for p in empty_store.projects()] == ["WEB"]
    qtbot.waitUntil(lambda: "board:WEB" in window.docks and window.docks["board:WEB"].isVisible())
    window.close()


def test_rename_archive_and_restore_from_the_project_menu(
    qtbot: QtBot, make_window: Make, gui_services: Services
) -> None:
    web, _ = gui_services.projects.ensure_project("WEB", "Web")
    window = make_window()
    window.open_board(web.id)
    qtbot.waitUntil(window.docks["board:WEB"].isVisible)

    def rename(dialog: Any) -> None:
        assert isinstance(dialog, MessageDialog) and dialog.field is not None
        assert dialog.field.text() == "Web"
        dialog.field.clear()
        qtbot.keyClicks(dialog.field, "Website relaunch")
        qtbot.mouseClick(dialog.push_buttons["ok"], Qt.MouseButton.LeftButton)

    when_modal(rename)
    action(window, "renameProjectAction").trigger()
    assert gui_services.projects.project("WEB").name == "Website relaunch"
    qtbot.waitUntil(lambda: window.docks["board:WEB"].windowTitle() == "Website relaunch board")

    asked: list[str] = []

    def archive(dialog: Any) -> None:
        asked.append(dialog.text())
        qtbot.mouseClick(dialog.push_buttons["yes"], Qt.MouseButton.LeftButton)

    when_modal(archive)
    action(window, "archiveProjectAction").trigger()
    assert asked == ["Archive the project WEB (Website relaunch)?"]
    assert gui_services.projects.project("WEB").archived
    qtbot.waitUntil(lambda: "board:WEB" not in window.docks)
    assert [d.objectName() for d in window.board_docks()] == ["board:TRK"]

    def restore(dialog: Any) -> None:
        assert dialog.choice is not None
        assert [dialog.choice.itemText(i) for i in range(dialog.choice.count())] == [
            "WEB · Website relaunch"
        ]
        qtbot.mouseClick(dialog.push_buttons["ok"], Qt.MouseButton.LeftButton)

    when_modal(restore)
    action(window, "restoreProjectAction").trigger()
    assert not gui_services.projects.project("WEB").archived
    qtbot.waitUntil(lambda: "board:WEB" in window.docks and window.docks["board:WEB"].isVisible())


def test_new_issue_on_an_empty_database_offers_a_new_project_first(
    qtbot: QtBot, empty_store: Store, tmp_path: Path
) -> None:
    window = MainWindow(empty_store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    told: list[str] = []

    def offer(dialog: Any) -> None:
        told.append(dialog.text())
        qtbot.mouseClick(dialog.push_buttons["no"], Qt.MouseButton.LeftButton)

    when_modal(offer)
    window.actions_.new_issue.trigger()

    assert told == ["This database has no project yet."]
    assert empty_store.projects() == []
    window.close()
