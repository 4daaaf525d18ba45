"""BoardPane: columns and headers, synthetic drags and drops, keyboard moves, quick add, lanes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.gui.board_data import (
    add_issues,
    bulk_issues,
    history_fields,
    mime_for,
    project_id,
    ranked_ids,
    statuses,
)
from tracker_gui.domain.models import Status
from tracker_gui.services import Services
from tracker_gui.ui import theme
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import PAGE_SIZE, ColumnModel, IssueIdRole
from tracker_gui.ui.board.column_view import ColumnView
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

MOVE = Qt.DropAction.MoveAction
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
MakeBoard = Callable[..., BoardPane]


@pytest.fixture
def make_board(
    board_services: Services, board_store: Store, board_settings: Settings, qtbot: QtBot
) -> MakeBoard:
    def make(lanes: str = "none") -> BoardPane:
        board = BoardPane(board_store, project_id(board_services), board_settings)
        qtbot.addWidget(board)
        board.set_swimlanes(lanes)
        board.resize(1300, 800)
        with qtbot.waitActive(board):
            board.show()
            board.activateWindow()
        return board

    return make


def cell(
    board: BoardPane, status: Status, lane: str | None = None
) -> tuple[ColumnModel, ColumnView]:
    for s, la, model, view in board.cells():
        if s.id == status.id and (la is None or la.title == lane):
            return model, view
    raise LookupError(status.name)


def ids(model: ColumnModel) -> list[int]:
    return [model.index(r, 0).data(IssueIdRole) for r in range(model.rowCount())]


def select(view: ColumnView, *rows: int) -> None:
    view.setFocus()
    view.setCurrentIndex(view.model().index(rows[0], 0))
    for row in rows[1:]:
        view.selectionModel().select(
            view.model().index(row, 0), view.selectionModel().SelectionFlag.Select
        )


def card_point(view: ColumnView, row: int, upper: bool = True) -> QPoint:
    rect = view.visualRect(view.model().index(row, 0))
    return QPoint(rect.center().x(), rect.top() + 8 if upper else rect.bottom() - 8)


def _drag_events(view: ColumnView, mime: QMimeData, pos: QPoint) -> QDragMoveEvent:
    """What Qt delivers while a drag crosses the view: enter (picks the target), then a move."""
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    at = QPointF(pos)
    QApplication.sendEvent(view.viewport(), QDragEnterEvent(at, MOVE, mime, buttons, mods))
    move = QDragMoveEvent(at, MOVE, mime, buttons, mods)
    QApplication.sendEvent(view.viewport(), move)
    return move


def drag_over(view: ColumnView, mime: QMimeData, pos: QPoint) -> QDragMoveEvent:
    """A drag that hovers over `pos` and then leaves again; returns the move event."""
    move = _drag_events(view, mime, pos)
    QApplication.sendEvent(view.viewport(), QDragLeaveEvent())
    return move


def drop_at(view: ColumnView, mime: QMimeData, pos: QPoint) -> QDropEvent:
    _drag_events(view, mime, pos)
    drop = QDropEvent(
        QPointF(pos), MOVE, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(view.viewport(), drop)
    return drop


def test_columns_follow_the_workflow_with_counts(
    board_services: Services, make_board: MakeBoard
) -> None:
    add_issues(board_services, 3)
    add_issues(board_services, 2, status="Done")
    board = make_board()
    names = [s.name for s, _, _, _ in board.cells()]
    assert names == [s.name for s in statuses(board_services)]
    todo, _, _, done = statuses(board_services)
    assert board.column_header(todo.id).count.text() == "3"
    assert board.column_header(done.id).count.text() == "2"
    assert board.header.summary.text() == "5 issues"
    view = cell(board, todo)[1]
    assert view.dragDropMode() == view.DragDropMode.DragDrop
    assert view.defaultDropAction() == MOVE
    assert view.showDropIndicator()
    assert view.selectionMode() == view.SelectionMode.ExtendedSelection


def test_counts_follow_moves(board_services: Services, make_board: MakeBoard, qtbot: QtBot) -> None:
    (a,) = add_issues(board_services, 1)
    board = make_board()
    todo, doing, *_ = statuses(board_services)
    board_services.issues.move(a.id, a.version, doing.id)
    qtbot.waitUntil(lambda: board.column_header(doing.id).count.text() == "1")
    assert board.column_header(todo.id).count.text() == "0"


def test_over_wip_limit_marks_the_header(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    add_issues(board_services, 3, status="In Progress")
    board = make_board()
    doing = statuses(board_services)[1]
    header = board.column_header(doing.id)
    assert header.property("overLimit") is False
    board_services.projects.update_status(doing.id, wip_limit=2)
    qtbot.waitUntil(lambda: header.count.text() == "3 / 2")
    assert header.property("overLimit") is True
    assert "over the WIP limit" in header.count.toolTip()
    board_services.projects.update_status(doing.id, wip_limit=5)
    qtbot.waitUntil(lambda: header.count.text() == "3 / 5")
    assert header.property("overLimit") is False


def test_forbidden_drag_is_ignored_and_allowed_one_accepted(
    board_services: Services, make_board: MakeBoard
) -> None:
    todo, doing, _, done = statuses(board_services)
    board_services.projects.set_transitions(project_id(board_services), [(todo.id, doing.id)])
    (a,) = add_issues(board_services, 1)
    add_issues(board_services, 1, status="Done")
    board = make_board()
    source = cell(board, todo)[0]
    mime = mime_for(source, [0])
    done_view = cell(board, done)[1]
    refusals: list[str] = []
    done_view.dragHovered.connect(lambda _pos: refusals.append(done_view.refusal()))
    refused = drag_over(done_view, mime, card_point(done_view, 0))
    assert refused.isAccepted() is False
    assert "not allowed by the workflow" in refusals[-1]
    assert done_view.refusal() == ""  # the overlay leaves with the drag
    doing_view = cell(board, doing)[1]
    accepted = drag_over(doing_view, mime, QPoint(40, 40))
    assert accepted.isAccepted() is True
    dropped = drop_at(done_view, mime, card_point(done_view, 0))
    assert dropped.isAccepted() is False
    assert board_services.issues.get(a.id).status_id == todo.id
    assert [h[0] for h in history_fields(board_services, a.id)] == ["created"]


def test_synthetic_drop_on_a_card_moves_there(
    board_services: Services, make_board: MakeBoard
) -> None:
    todo, doing, *_ = statuses(board_services)
    a, b = add_issues(board_services, 2)
    x, y = add_issues(board_services, 2, status="In Progress")
    board = make_board()
    source = cell(board, todo)[0]
    target_model, target_view = cell(board, doing)
    drop = drop_at(target_view, mime_for(source, [1]), card_point(target_view, 1, upper=True))
    assert drop.isAccepted()
    assert ranked_ids(board_services, doing.id) == [x.id, b.id, y.id]
    assert ids(target_model) == [x.id, b.id, y.id]
    assert ids(source) == [a.id]
    assert ("status", str(todo.id), str(doing.id)) in history_fields(board_services, b.id)


def test_synthetic_drop_below_the_last_card_appends(
    board_services: Services, make_board: MakeBoard
) -> None:
    todo = statuses(board_services)[0]
    a, b, c = add_issues(board_services, 3)
    board = make_board()
    model, view = cell(board, todo)
    below = view.visualRect(model.index(2, 0)).bottom() + 40
    drop_at(view, mime_for(model, [0]), QPoint(60, below))
    assert ranked_ids(board_services, todo.id) == [b.id, c.id, a.id]


def test_keyboard_moves_cards_between_and_within_columns(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    todo, doing, *_ = statuses(board_services)
    a, b, c = add_issues(board_services, 3)
    board = make_board()
    todo_view = cell(board, todo)[1]
    select(todo_view, 0)
    qtbot.keyClick(todo_view, Qt.Key.Key_Right, CTRL_SHIFT)
    assert board_services.issues.get(a.id).status_id == doing.id
    doing_model, doing_view = cell(board, doing)
    assert ids(doing_model) == [a.id]
    assert doing_view.current_issue_id() == a.id
    assert doing_view.hasFocus()
    qtbot.keyClick(doing_view, Qt.Key.Key_Left, CTRL_SHIFT)
    assert ranked_ids(board_services, todo.id) == [b.id, c.id, a.id]
    select(todo_view, 2)
    qtbot.keyClick(todo_view, Qt.Key.Key_Up, CTRL_SHIFT)
    assert ranked_ids(board_services, todo.id) == [b.id, a.id, c.id]
    qtbot.keyClick(todo_view, Qt.Key.Key_Up, CTRL_SHIFT)
    assert ranked_ids(board_services, todo.id) == [a.id, b.id, c.id]
    assert todo_view.current_issue_id() == a.id  # the selection follows the card
    qtbot.keyClick(todo_view, Qt.Key.Key_Down, CTRL_SHIFT)
    assert ranked_ids(board_services, todo.id) == [b.id, a.id, c.id]


def test_forbidden_keyboard_move_reports_and_stores_nothing(
    board_services: Services, board_store: Store, make_board: MakeBoard, qtbot: QtBot
) -> None:
    todo, _, review, _ = statuses(board_services)
    board_services.projects.set_transitions(project_id(board_services), [(todo.id, review.id)])
    (a,) = add_issues(board_services, 1)
    board = make_board()
    view = cell(board, todo)[1]
    select(view, 0)
    with qtbot.waitSignal(board_store.errorOccurred) as error:
        qtbot.keyClick(view, Qt.Key.Key_Right, CTRL_SHIFT)
    assert "not allowed by the workflow" in error.args[0]
    assert board_services.issues.get(a.id).status_id == todo.id
    assert [h[0] for h in history_fields(board_services, a.id)] == ["created"]


def test_arrows_walk_across_columns(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    todo, doing, _, done = statuses(board_services)
    add_issues(board_services, 3)
    _, y = add_issues(board_services, 2, status="In Progress")
    (z,) = add_issues(board_services, 1, status="Done")
    board = make_board()
    todo_view = cell(board, todo)[1]
    select(todo_view, 2)
    with qtbot.waitSignal(board.currentIssueChanged) as changed:
        qtbot.keyClick(todo_view, Qt.Key.Key_Right)
    assert changed.args == [y.id]  # same row is past the end: the last card
    doing_view = cell(board, doing)[1]
    assert doing_view.hasFocus()
    assert not todo_view.selectionModel().hasSelection()
    qtbot.keyClick(doing_view, Qt.Key.Key_Right)  # In Review is empty: skipped
    assert cell(board, done)[1].current_issue_id() == z.id
    assert board.current_issue() == z.id


def test_enter_and_double_click_open_the_issue(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    todo = statuses(board_services)[0]
    a, b = add_issues(board_services, 2)
    board = make_board()
    view = cell(board, todo)[1]
    select(view, 1)
    with qtbot.waitSignal(board.issueActivated) as opened:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert opened.args == [b.id]
    with qtbot.waitSignal(board.issueActivated) as opened:
        # What a real double click delivers: press+release, then press(double)+release.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card_point(view, 0))
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card_point(view, 0))
    assert opened.args == [a.id]


def test_quick_add_creates_in_that_column(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    review = statuses(board_services)[2]
    board = make_board()
    header = board.column_header(review.id)
    header.quick_add.setFocus()
    qtbot.keyClicks(header.quick_add, "Write release notes")
    qtbot.keyClick(header.quick_add, Qt.Key.Key_Return)
    model, view = cell(board, review)
    assert [model.index(0, 0).data().split(" ", 1)[1]] == ["Write release notes"]
    stored = board_services.issues.get(model.index(0, 0).data(IssueIdRole))
    assert stored.status_id == review.id
    assert header.quick_add.text() == ""
    assert view.current_issue_id() == stored.id
    qtbot.keyClicks(header.quick_add, "never mind")
    qtbot.keyClick(header.quick_add, Qt.Key.Key_Escape)
    assert header.quick_add.text() == ""
    assert model.rowCount() == 1
    with qtbot.waitSignal(board.new_issue_requested) as wanted:
        header.add_button.click()
    assert wanted.args == [review.id]


def test_swimlanes_by_assignee_and_a_drop_into_another_lane_reassigns(
    board_services: Services, board_settings: Settings, make_board: MakeBoard
) -> None:
    board_services.projects.ensure_user("bob", "Bob Okafor")
    todo, doing, *_ = statuses(board_services)
    (mine,) = add_issues(board_services, 1, assignee="alice")
    add_issues(board_services, 1, assignee="bob", status="In Progress")
    add_issues(board_services, 1)
    board = make_board("assignee")
    assert [h.lane.title for h in board.lane_headers()] == [
        "alice",
        "Bob Okafor (bob)",
        "Unassigned",
    ]
    assert [h.count.text() for h in board.lane_headers()] == ["1 issue"] * 3
    assert board_settings.get("ui/swimlanes") == "assignee"
    source = cell(board, todo, "alice")[0]
    target_model, target_view = cell(board, doing, "Bob Okafor (bob)")
    drop_at(target_view, mime_for(source, [0]), card_point(target_view, 0))
    stored = board_services.issues.get(mine.id)
    assert (stored.assignee, stored.status_id) == ("bob", doing.id)
    assert ids(target_model)[0] == mine.id
    assert source.rowCount() == 0
    board.set_swimlanes("priority")
    assert [h.lane.title for h in board.lane_headers()][:3] == ["Highest", "High", "Medium"]
    board.set_swimlanes("none")
    assert board.lane_headers() == []


def test_select_issue_pages_the_column_in(
    board_services: Services, make_board: MakeBoard, qtbot: QtBot
) -> None:
    todo = statuses(board_services)[0]
    bulk_issues(board_services, 450, todo.id)
    board = make_board()
    model, view = cell(board, todo)
    assert model.rowCount() == PAGE_SIZE
    last = ranked_ids(board_services, todo.id)[-1]
    with qtbot.waitSignal(board.currentIssueChanged) as changed:
        assert board.select_issue(last)
    assert changed.args == [last]
    assert view.current_issue_id() == last
    assert model.rowCount() == 450
    assert board.column_header(todo.id).count.text() == "450"
    assert not board.select_issue(10**9)


def test_light_and_dark_paint_different_cards(
    board_services: Services, make_board: MakeBoard
) -> None:
    add_issues(board_services, 2)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    todo = statuses(board_services)[0]
    shades, previous = [], theme.current_mode()
    try:
        for mode in ("light", "dark"):
            theme.apply_theme(app, mode)
            board = make_board()
            view = cell(board, todo)[1]
            image = view.viewport().grab().toImage()
            rect = view.visualRect(view.model().index(0, 0))
            shades.append(image.pixelColor(rect.center().x(), rect.bottom() - 12).lightness())
    finally:
        theme.apply_theme(app, previous)
    light, dark = shades
    assert light > 200 and dark < 80  # a white card on light, a dark card on dark
