"""The board's "Active sprint only" toggle: the cards it leaves, combined with the window's
filter, kept per board in the settings, and following sprint changes made elsewhere."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.board_data import add_issues, project_id
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import IssueIdRole
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

MON = dt.date(2026, 12, 7)
MakeBoard = Callable[[], BoardPane]


@pytest.fixture
def make_board(
    board_services: Services, board_store: Store, board_settings: Settings, qtbot: QtBot
) -> MakeBoard:
    def make() -> BoardPane:
        board = BoardPane(board_store, project_id(board_services), board_settings)
        qtbot.addWidget(board)
        board.resize(1300, 800)
        board.show()
        qtbot.waitExposed(board)
        return board

    return make


@pytest.fixture
def planned(board_services: Services) -> list[Issue]:
    """Five issues; the first three in Sprint 1, which is active; Sprint 2 planned."""
    issues = add_issues(board_services, 5)
    board_services.sprints.add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    board_services.sprints.add(
        "TRK", "Sprint 2", MON + dt.timedelta(days=14), MON + dt.timedelta(days=27)
    )
    board_services.sprints.set_sprint([i.id for i in issues[:3]], "Sprint 1")
    board_services.sprints.start("TRK", "Sprint 1")
    return issues


def cards(board: BoardPane) -> set[int]:
    """The issue ids of every card the board shows."""
    return {
        int(model.index(r, 0).data(IssueIdRole))
        for _, _, model, _ in board.cells()
        for r in range(model.rowCount())
    }


def test_the_toggle_leaves_the_active_sprint_cards(
    planned: list[Issue], make_board: MakeBoard, board_settings: Settings, qtbot: QtBot
) -> None:
    board = make_board()
    toggle = board.header.sprint_toggle
    assert toggle.text() == "Active sprint only" and not toggle.isChecked()
    assert cards(board) == {i.id for i in planned}
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert toggle.isChecked()
    assert toggle.text() == "Sprint 1 only"  # while on, it names the sprint shown
    assert cards(board) == {i.id for i in planned[:3]}
    assert board.header.summary.text() == "3 issues"
    assert board_settings.get("ui/sprint_boards") == ["TRK"]
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert cards(board) == {i.id for i in planned}
    assert toggle.text() == "Active sprint only"
    assert board_settings.get("ui/sprint_boards") == []


def test_the_choice_is_remembered_for_the_next_board(
    planned: list[Issue], make_board: MakeBoard, qtbot: QtBot
) -> None:
    first = make_board()
    qtbot.mouseClick(first.header.sprint_toggle, Qt.MouseButton.LeftButton)
    again = make_board()
    assert again.header.sprint_toggle.isChecked()
    assert cards(again) == {i.id for i in planned[:3]}


def test_it_narrows_the_window_filter_further(
    planned: list[Issue],
    board_services: Services,
    board_store: Store,
    make_board: MakeBoard,
    qtbot: QtBot,
) -> None:
    high = [planned[1], planned[4]]
    for issue in high:
        fresh = board_services.issues.get(issue.id)
        board_services.issues.edit(fresh.id, fresh.version, {"priority": 4})
    board_store.poll()
    board = make_board()
    board_store.set_filter(dataclasses.replace(board_store.filter, query="priority:high"))
    qtbot.waitUntil(lambda: cards(board) == {planned[1].id, planned[4].id})
    qtbot.mouseClick(board.header.sprint_toggle, Qt.MouseButton.LeftButton)
    assert cards(board) == {planned[1].id}  # high priority AND in the active sprint


def test_sprint_changes_made_elsewhere_reach_the_filtered_board(
    planned: list[Issue],
    bob: Services,
    board_store: Store,
    make_board: MakeBoard,
    qtbot: QtBot,
) -> None:
    board = make_board()
    qtbot.mouseClick(board.header.sprint_toggle, Qt.MouseButton.LeftButton)
    bob.sprints.set_sprint([planned[3].id], "Sprint 1")  # planned into the active sprint
    board_store.poll()
    qtbot.waitUntil(lambda: planned[3].id in cards(board))
    bob.sprints.set_sprint([planned[0].id], None)  # taken out of it
    board_store.poll()
    qtbot.waitUntil(lambda: planned[0].id not in cards(board))
    bob.sprints.close("TRK", "Sprint 1", "Sprint 2")  # no sprint is active now
    board_store.poll()
    qtbot.waitUntil(lambda: cards(board) == set())
    assert board.header.sprint_toggle.text() == "No active sprint"
    bob.sprints.start("TRK", "Sprint 2")  # the carried issues are current again
    board_store.poll()
    qtbot.waitUntil(lambda: cards(board) == {planned[1].id, planned[2].id, planned[3].id})
    assert board.header.sprint_toggle.text() == "Sprint 2 only"
