"""A failing disk under the window: every failed write shows a message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.faults import FaultPlan, disk_full, disk_io_error, dump
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.board.column_model import IssueIdRole
from tracker_gui.ui.store import Store


def _column_ids(window: object, status_id: int) -> list[int]:
    for board in window.board_panes():  # type: ignore[attr-defined]
        for status, _, model, _ in board.cells():
            if status.id == status_id:
                return [model.index(r, 0).data(IssueIdRole) for r in range(model.rowCount())]
    raise LookupError(status_id)


def test_a_move_that_fails_on_any_statement_is_reported_and_changes_nothing(
    qtbot: QtBot,
    gui_services: Services,
    store: Store,
    three_issues: list[Issue],
    make_window: Callable[..., object],
) -> None:
    window = make_window()
    todo, doing, *_ = gui_services.projects.statuses(three_issues[0].project_id)
    issue = three_issues[0]
    target = gui_services.database.target
    before = dump(target)
    plan = FaultPlan(gui_services.database, disk_full)
    failures = 0
    try:
        for n in range(1, 200):
            current = store.issue(issue.id)
            assert current is not None
            window.notice.hide()  # type: ignore[attr-defined]
            plan.arm(n)
            done = store.move_issue(current, doing.id)
            if plan.fired_on is None:
                assert done is not None and done.status_id == doing.id
                break
            if plan.committed_before_fault:
                # A read after COMMIT failed (the board's refresh): the move is stored and
                # the user is told the refresh failed; nothing was lost.
                assert gui_services.issues.get(issue.id).status_id == doing.id
                assert window.notice.message.text()  # type: ignore[attr-defined]
                break
            failures += 1
            assert done is None
            shown = window.notice.message.text()  # type: ignore[attr-defined]
            assert "is full" in shown and "free some space" in shown, shown
            assert window.status.currentMessage() == shown  # type: ignore[attr-defined]
            assert dump(target) == before
            assert not store.undo_stack.canUndo()
            assert issue.id in _column_ids(window, todo.id)
    finally:
        plan.remove()
    assert failures >= 3
    assert gui_services.issues.get(issue.id).status_id == doing.id


def test_a_drop_on_a_failing_disk_leaves_the_card_where_it_was(
    qtbot: QtBot,
    gui_services: Services,
    store: Store,
    three_issues: list[Issue],
    make_window: Callable[..., object],
) -> None:
    window = make_window()
    todo, doing, *_ = gui_services.projects.statuses(three_issues[0].project_id)
    board = window.board_panes()[0]  # type: ignore[attr-defined]
    models = {status.id: model for status, _, model, _ in board.cells()}
    source, dest = models[todo.id], models[doing.id]
    before = dump(gui_services.database.target)
    plan = FaultPlan(gui_services.database, disk_io_error)
    try:
        plan.arm(3)
        mime = source.mimeData([source.index(0, 0)])
        dest.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, dest.index(-1, -1).parent())
        assert plan.fired_on is not None
    finally:
        plan.remove()
    shown = window.notice.message.text()  # type: ignore[attr-defined]
    assert "could not be read or written" in shown and "tracker-gui check" in shown
    assert dump(gui_services.database.target) == before
    assert dest.rowCount() == 0
    assert source.rowCount() == 3


def test_creating_an_issue_on_a_full_disk_says_so(
    gui_services: Services, store: Store, make_window: Callable[..., object]
) -> None:
    window = make_window()
    before = dump(gui_services.database.target)
    plan = FaultPlan(gui_services.database, disk_full)
    try:
        plan.arm(4)
        created = store.create_issue(NewIssue("TRK", "lost?", labels=("new",)))
    finally:
        plan.remove()
    assert created is None
    assert "is full" in window.notice.message.text()  # type: ignore[attr-defined]
    assert dump(gui_services.database.target) == before
