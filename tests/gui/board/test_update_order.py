"""The board counts first, then changes its cells: a header read while a card moves is right."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from tests.gui.board_data import add_issues, header_counts, shown_board, statuses
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.column_model import ColumnModel
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


def model_of(board: BoardPane, status_name: str) -> ColumnModel:
    return next(m for s, _lane, m, _v in board.cells() if s.name == status_name)


def record_counts_on_row_changes(
    board: BoardPane, services: Services, names: list[str]
) -> list[list[str]]:
    """The header counts as they read at the moment each named column inserts or removes a card."""
    seen: list[list[str]] = []
    for name in names:
        model = model_of(board, name)
        model.rowsInserted.connect(lambda *_: seen.append(header_counts(board, services)))
        model.rowsRemoved.connect(lambda *_: seen.append(header_counts(board, services)))
    return seen


def test_headers_already_show_the_new_counts_when_a_moved_card_changes_columns(
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    bob: Services,
    qtbot: QtBot,
) -> None:
    issues = add_issues(board_services, 3)
    board = shown_board(board_store, board_services, board_settings, qtbot)
    board.refresh()  # the column models are made again, long after the board connected
    assert header_counts(board, board_services) == ["3", "0", "0", "0"]
    seen = record_counts_on_row_changes(board, board_services, ["To Do", "In Progress"])
    doing = statuses(board_services)[1]
    bob.issues.move(issues[0].id, issues[0].version, doing.id)
    board_store.poll()
    assert len(seen) == 2  # removed from To Do, inserted into In Progress
    assert seen == [["2", "1", "0", "0"], ["2", "1", "0", "0"]]
    assert header_counts(board, board_services) == ["2", "1", "0", "0"]


def test_a_card_made_elsewhere_is_counted_before_its_column_shows_it(
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    bob: Services,
    qtbot: QtBot,
) -> None:
    add_issues(board_services, 2)
    board = shown_board(board_store, board_services, board_settings, qtbot)
    seen = record_counts_on_row_changes(board, board_services, ["To Do"])
    bob.issues.create(NewIssue(project_key="TRK", title="From bob"))
    board_store.poll()
    assert seen == [["3", "0", "0", "0"]]
    assert header_counts(board, board_services) == ["3", "0", "0", "0"]
    assert model_of(board, "To Do").rowCount() == 3
