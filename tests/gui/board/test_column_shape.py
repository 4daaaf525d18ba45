"""Compact cards (View menu) and columns collapsed to a slim strip, both remembered."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from tests.gui.board_data import (
    add_issues,
    bulk_issues,
    shown_board,
    statuses,
)
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.collapse import BIG_DONE, COLLAPSED_WIDTH
from tracker_gui.ui.board.column_header import ColumnFrame
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tracker_gui.ui.widgets.card_style import COMFORTABLE, COMPACT


def columns_in_view(board: BoardPane) -> int:
    """How many column headers the board shows whole, side by side, without scrolling."""
    viewport = board.strip.viewport()
    shown = 0
    for status, _lane, _model, _view in board.cells():
        header = board.column_header(status.id)
        left = header.mapTo(viewport, QPoint(0, 0)).x()
        shown += left >= 0 and left + header.width() <= viewport.width()
    return shown


def test_compact_cards_from_the_view_menu_fit_more_columns_and_are_remembered(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    gui_settings: Settings,
    three_issues: list[Issue],
) -> None:
    window = make_window()
    window.resize(1024, 640)
    board = window.main_board()
    assert board is not None
    todo = statuses(window.store.services)[0]
    _, _, model, view = next(c for c in board.cells() if c[0].id == todo.id)
    qtbot.waitUntil(lambda: model.rowCount() == 3)
    assert board.column_header(todo.id).width() == COMFORTABLE.column_width
    roomy_rows = view.sizeHintForRow(0)
    qtbot.waitUntil(lambda: columns_in_view(board) > 0)
    roomy_columns = columns_in_view(board)
    assert not window.compact_cards.isChecked()

    window.compact_cards.trigger()
    assert gui_settings.get("ui/card_density") == "compact"
    assert board.column_header(todo.id).width() == COMPACT.column_width
    _, _, model, view = next(c for c in board.cells() if c[0].id == todo.id)
    column = view.parentWidget()  # the column under the header
    assert column is not None and column.width() == COMPACT.column_width
    assert view.visualRect(model.index(0, 0)).width() <= COMPACT.column_width - 4
    assert view.sizeHintForRow(0) < roomy_rows
    qtbot.waitUntil(lambda: columns_in_view(board) > roomy_columns)

    again = make_window()
    assert again.compact_cards.isChecked()
    other = again.main_board()
    assert other is not None and other.density() == "compact"
    again.compact_cards.trigger()
    assert gui_settings.get("ui/card_density") == "comfortable"
    assert other.column_header(todo.id).width() == COMFORTABLE.column_width


def test_a_column_collapses_to_a_strip_with_its_name_and_count_and_is_remembered(
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    bob: Services,
    qtbot: QtBot,
) -> None:
    add_issues(board_services, 3)
    todo = statuses(board_services)[0]
    board = shown_board(board_store, board_services, board_settings, qtbot)
    header = board.column_header(todo.id)
    cell = next(c for c in board.cells() if c[0].id == todo.id)
    view = cell[3]
    frame = view.parentWidget()
    assert isinstance(frame, ColumnFrame)
    assert header.collapse_button.toolTip() == "Collapse To Do"
    qtbot.mouseClick(header.collapse_button, Qt.MouseButton.LeftButton)
    assert board.is_collapsed(todo.id)
    assert header.width() == COLLAPSED_WIDTH and frame.width() == COLLAPSED_WIDTH
    assert not view.isVisible() and not header.name.isVisible()
    assert frame.collapsed_text() == "To Do  ·  3"
    assert header.collapse_button.toolTip() == "Expand To Do"

    bob.issues.create(NewIssue("TRK", "More"))
    board_store.poll()
    assert frame.collapsed_text() == "To Do  ·  4"  # the strip's count follows live changes

    reopened = shown_board(board_store, board_services, board_settings, qtbot)
    assert reopened.is_collapsed(todo.id)  # remembered for this board

    qtbot.mouseClick(frame, Qt.MouseButton.LeftButton, pos=QPoint(20, 60))  # a click opens it
    assert not board.is_collapsed(todo.id)
    assert view.isVisible() and frame.collapsed_text() is None
    assert header.width() == COMFORTABLE.column_width
    third = shown_board(board_store, board_services, board_settings, qtbot)
    assert not third.is_collapsed(todo.id)


def test_done_starts_collapsed_on_a_big_board_until_the_user_opens_it(
    board_services: Services, board_store: Store, board_settings: Settings, qtbot: QtBot
) -> None:
    done = statuses(board_services)[-1]
    bulk_issues(board_services, BIG_DONE, done.id)
    small = shown_board(board_store, board_services, board_settings, qtbot)
    assert not small.is_collapsed(done.id)
    bulk_issues(board_services, 1, done.id)
    fresh = Store(board_services)  # the first store keeps its counts until a change arrives
    try:
        big = shown_board(fresh, board_services, board_settings, qtbot)
        assert big.is_collapsed(done.id)
        assert [s.id for s in statuses(board_services) if big.is_collapsed(s.id)] == [done.id]
        big.set_collapsed(done.id, False)
        reopened = shown_board(fresh, board_services, board_settings, qtbot)
        assert not reopened.is_collapsed(done.id)  # the user's choice wins over the default
    finally:
        fresh.close()
