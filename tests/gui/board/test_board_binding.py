"""A board bound to a saved filter: its menu, what the columns show, live edits, persistence."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from tracker_gui.domain.enums import Priority
from tracker_gui.domain.models import Issue, IssueFilter
from tracker_gui.services import Services
from tracker_gui.ui.board.binding import and_queries
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import IssueIdRole
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


def shown(board: BoardPane) -> set[int]:
    return {
        model.index(r, 0).data(IssueIdRole)
        for _, _, model, _ in board.cells()
        for r in range(model.rowCount())
    }


def menu_action(board: BoardPane, text: str) -> QAction:
    menu = board.header.filter_button.menu()
    menu.aboutToShow.emit()  # what opening the menu does: read the saved filters again
    return next(a for a in menu.actions() if a.text() == text)


def test_bind_a_board_to_a_saved_filter(
    qtbot: QtBot,
    store: Store,
    gui_services: Services,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
) -> None:
    crash = make_issue("Crash", labels=("bug",), priority=Priority.HIGH)
    typo = make_issue("Typo", labels=("bug",), priority=Priority.LOW)
    plain = make_issue("Plan the release")
    saved = gui_services.projects.save_filter("Bugs", "label:bug")
    board = BoardPane(store, crash.project_id, gui_settings)
    qtbot.addWidget(board)
    board.resize(1200, 700)
    board.show()
    button = board.header.filter_button
    assert button.text() == "Filter: All issues  ▾"
    assert shown(board) == {crash.id, typo.id, plain.id}

    menu_action(board, "Bugs").trigger()
    assert board.bound_filter() == saved
    assert button.text() == "Filter: Bugs  ▾"
    assert shown(board) == {crash.id, typo.id}
    assert board.header.summary.text() == "2 issues"

    # The filter pane's filter narrows the bound board further (both must match).
    store.set_filter(IssueFilter(query="priority>=high"))
    assert shown(board) == {crash.id}
    store.set_filter(IssueFilter())
    assert shown(board) == {crash.id, typo.id}

    # An edit that takes an issue out of the saved filter takes its card off the board.
    gui_services.issues.edit(typo.id, typo.version, {"labels": ()})
    store.poll()  # what the live feed's timer does
    qtbot.waitUntil(lambda: shown(board) == {crash.id}, timeout=3000)

    # The binding is kept per board: a new pane over the same settings is bound again.
    again = BoardPane(store, crash.project_id, gui_settings)
    qtbot.addWidget(again)
    assert again.bound_filter() == saved and shown(again) == {crash.id}

    menu_action(board, "All issues").trigger()
    assert board.bound_filter() is None
    assert shown(board) == {crash.id, typo.id, plain.id}


def test_a_deleted_saved_filter_unbinds_the_board(
    qtbot: QtBot,
    store: Store,
    gui_services: Services,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
) -> None:
    bug = make_issue("Crash", labels=("bug",))
    other = make_issue("Other")
    saved = gui_services.projects.save_filter("Bugs", "label:bug")
    board = BoardPane(store, bug.project_id, gui_settings)
    qtbot.addWidget(board)
    board.bind_filter(saved.id)
    assert shown(board) == {bug.id}
    gui_services.projects.delete_filter(saved.id)
    menu = board.header.filter_button.menu()
    menu.aboutToShow.emit()
    assert board.header.filter_button.text() == "Filter: All issues  ▾"
    board.bind_filter(None)
    assert shown(board) == {bug.id, other.id}
    texts = [a.text() for a in menu.actions()]
    assert texts == ["All issues", "No saved filters yet: save one in the Filter pane"]


def test_and_queries() -> None:
    assert and_queries("", "label:bug") == "label:bug"
    assert and_queries("a OR b", "label:bug") == "(a OR b) (label:bug)"
    assert and_queries(" ", "") == ""
