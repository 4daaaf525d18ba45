"""Column counts equal the rows in each column after an import, a bulk move or an outside change.

Issue 14, item 9: after a CSV import into an open 2,000-issue board the headers stayed one
too high per imported issue until something made the board count again.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.board_data import (
    bulk_issues,
    project_id,
    statuses,
)
from tracker_gui.domain.models import IssueFilter
from tracker_gui.services import Services, open_services
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.store import Store

BOARD_ISSUES = 2000


def header_counts(board: BoardPane) -> dict[str, int]:
    """What each column header shows, by status name."""
    return {s.name: int(board.column_header(s.id).count.text()) for s, *_ in board.cells()}


def stored_counts(services: Services) -> dict[str, int]:
    """The rows each column holds, read from the database."""
    flt = IssueFilter(project_ids=(project_id(services),))
    by_id = services.issues.count_by_status(flt)
    return {s.name: by_id.get(s.id, 0) for s in statuses(services)}


def loaded_rows(board: BoardPane) -> dict[str, int]:
    """Every card each column model holds once it has paged everything in."""
    out = {}
    for status, _lane, model, _view in board.cells():
        while model.canFetchMore():
            model.fetchMore()
        out[status.name] = model.rowCount()
    return out


@pytest.fixture
def board(
    qtbot: QtBot, board_services: Services, board_store: Store, board_settings: object
) -> BoardPane:
    todo, doing, review, done = statuses(board_services)
    for status, count in ((todo, 900), (doing, 500), (review, 300), (done, 300)):
        bulk_issues(board_services, count, status.id)
    pane = BoardPane(board_store, project_id(board_services), board_settings)  # type: ignore[arg-type]
    qtbot.addWidget(pane)
    pane.resize(1300, 800)
    pane.show()
    qtbot.waitExposed(pane)
    assert sum(header_counts(pane).values()) == BOARD_ISSUES
    return pane


def settled(qtbot: QtBot) -> None:
    """Let every queued signal and the board's debounced recount (250 ms) run."""
    qtbot.wait(400)


def csv_file(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    path = tmp_path / "more.csv"
    lines = ["title,status", *(f"{title},{status}" for title, status in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check(board: BoardPane, services: Services) -> None:
    assert header_counts(board) == stored_counts(services)
    assert loaded_rows(board) == stored_counts(services)
    assert header_counts(board) == stored_counts(services)  # paging in changed nothing


def test_counts_after_a_csv_import_into_an_open_board(
    qtbot: QtBot, board: BoardPane, board_services: Services, board_store: Store, tmp_path: Path
) -> None:
    rows = [(f"Imported {n}", ("To Do", "In Progress", "Done")[n % 3]) for n in range(30)]
    report = board_store.transfers.import_file("csv", csv_file(tmp_path, rows), project="TRK").value
    assert report is not None and report.committed
    settled(qtbot)
    check(board, board_services)


def test_counts_after_a_bulk_move_on_the_board(
    qtbot: QtBot, board: BoardPane, board_services: Services
) -> None:
    todo, _doing, _review, done = statuses(board_services)
    cells = {s.id: model for s, _lane, model, _view in board.cells()}
    source, target = cells[todo.id], cells[done.id]
    target.place(source.dragged(list(range(25))), 0)
    settled(qtbot)
    check(board, board_services)


def test_counts_after_an_outside_bulk_move_and_import(
    qtbot: QtBot,
    board: BoardPane,
    board_services: Services,
    board_store: Store,
    tmp_path: Path,
) -> None:
    bob = open_services(str(tmp_path / "t.db"), actor="bob")
    try:
        todo, doing, *_ = statuses(bob)
        far = bob.issues.column(todo.id, IssueFilter(), 600, 40)  # beyond the loaded page
        bob.issues.bulk_move([(i.id, i.version, doing.id) for i in far])
        from tracker_gui.interchange import import_csv

        rows = [(f"Bob's {n}", "In Review") for n in range(12)]
        import_csv(bob, csv_file(tmp_path, rows), project="TRK")
    finally:
        bob.close()
    board_store.poll()
    settled(qtbot)
    check(board, board_services)


def test_counts_after_an_outside_edit_of_a_card_below_the_loaded_page(
    qtbot: QtBot, board: BoardPane, board_services: Services, board_store: Store, tmp_path: Path
) -> None:
    bob = open_services(str(tmp_path / "t.db"), actor="bob")
    try:
        todo = statuses(bob)[0]
        far = bob.issues.column(todo.id, IssueFilter(), 700, 1)[0]
        bob.issues.edit(far.id, far.version, {"title": "Renamed far below"})
    finally:
        bob.close()
    board_store.poll()
    settled(qtbot)
    check(board, board_services)
