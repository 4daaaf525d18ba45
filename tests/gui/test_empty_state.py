"""The first-run empty state: on an empty database it says what to do, and its buttons work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import when_modal
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.ui import accessibility
from tracker_gui.ui.dialogs.new_issue import NewIssueDialog
from tracker_gui.ui.empty_state import NO_ISSUES, NO_PROJECTS
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.project_menu import NEW_PROJECT_ACTION
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


@pytest.fixture
def bare(tmp_path: Path) -> Iterator[Services]:
    """A Tracker database with nothing in it: no project, no issue."""
    services = open_services(str(tmp_path / "empty.db"), create=True, actor="alice")
    yield services
    services.close()


def _window(qtbot: QtBot, services: Services, tmp_path: Path) -> tuple[MainWindow, Store]:
    store = Store(services)
    window = MainWindow(store, Settings(tmp_path / "config" / "tracker-gui.ini"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window, store


def _inside(window: MainWindow) -> bool:
    card = window.empty_state
    where = QRect(card.mapTo(window, QPoint(0, 0)), card.size())
    return window.rect().contains(where)


def test_no_project_says_create_or_import_and_the_button_works(
    qtbot: QtBot, bare: Services, tmp_path: Path
) -> None:
    window, store = _window(qtbot, bare, tmp_path)
    card = window.empty_state
    assert card.isVisible() and card.state() == NO_PROJECTS
    assert card.title.text() == "No projects yet"
    assert "import" in card.text.text().lower()
    assert card.primary.text() == "New Project…"
    assert card.import_button.menu() is window.actions_.import_menu
    assert _inside(window)
    assert not accessibility.unnamed(card), accessibility.unnamed(card)

    # The button triggers the window's File > New Project (its dialog opens; cancelled here).
    new_project = window.findChild(QAction, NEW_PROJECT_ACTION)
    assert new_project is not None and new_project.text().replace("&", "").startswith("New Project")
    opened: list[str] = []

    def cancel(dialog: QDialog) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    when_modal(cancel)
    with qtbot.waitSignal(new_project.triggered):
        card.primary.click()
    assert opened == ["New project"]

    bare.projects.ensure_project("WEB", "Website")
    store.projectsChanged.emit()
    qtbot.waitUntil(lambda: card.state() == NO_ISSUES)
    assert card.title.text() == "No issues yet"
    store.close()


def test_no_issue_offers_new_issue_and_goes_once_there_is_one(
    qtbot: QtBot, bare: Services, tmp_path: Path
) -> None:
    bare.projects.ensure_project("TRK", "Tracker")
    window, store = _window(qtbot, bare, tmp_path)
    card = window.empty_state
    assert card.isVisible() and card.state() == NO_ISSUES
    assert card.primary.text() == "New Issue…"
    board = window.docks["board:TRK"]
    centre = QRect(board.mapTo(window, QPoint(0, 0)), board.size())
    assert centre.contains(QRect(card.mapTo(window, QPoint(0, 0)), card.size()))

    opened: list[str] = []

    def cancel(dialog: QDialog) -> None:
        opened.append(type(dialog).__name__)
        dialog.reject()

    when_modal(cancel)
    card.primary.click()
    assert opened == [NewIssueDialog.__name__]
    assert card.isVisible()

    store.create_issue(NewIssue("TRK", "The first issue"))
    qtbot.waitUntil(lambda: not card.isVisible())
    assert card.state() == ""
    store.close()


def test_a_database_with_issues_shows_no_card(qtbot: QtBot, bare: Services, tmp_path: Path) -> None:
    bare.projects.ensure_project("TRK", "Tracker")
    bare.issues.create(NewIssue("TRK", "Already here"))
    window, store = _window(qtbot, bare, tmp_path)
    assert not window.empty_state.isVisible()
    store.close()
