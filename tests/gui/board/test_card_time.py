"""Board cards show logged and remaining time, read in one batch for the board, kept live."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from tests.gui.board.test_card_delegate import RecordingPainter
from tracker_gui.domain.models import NewIssue
from tracker_gui.services import Services, open_services
from tracker_gui.services.worklogs import WorklogService
from tracker_gui.ui.board.board_pane import BoardPane
from tracker_gui.ui.board.card_delegate import CardDelegate
from tracker_gui.ui.board.column_model import IssueIdRole
from tracker_gui.ui.board.column_view import ColumnView
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store


def card_texts(view: ColumnView, issue_id: int) -> list[str]:
    """The texts the board's own delegate paints for one card of a column view."""
    model = view.model()
    row = next(
        r for r in range(model.rowCount()) if model.index(r, 0).data(IssueIdRole) == issue_id
    )
    index = model.index(row, 0)
    delegate = view.itemDelegate()
    assert isinstance(delegate, CardDelegate)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.widget = view
    size = delegate.sizeHint(option, index)
    option.rect = QRect(0, 0, size.width(), size.height())
    image = QImage(size, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    delegate.paint(painter, option, index)
    painter.end()
    return [t[3] for t in painter.texts]


def test_cards_show_logged_and_remaining_read_once_and_follow_other_windows(
    qtbot: QtBot,
    board_services: Services,
    board_store: Store,
    board_settings: Settings,
    tmp_path: Path,
) -> None:
    issues = board_services.issues
    timed = issues.create(NewIssue("TRK", "Timed work", estimate=4.0))
    logged_only = issues.create(NewIssue("TRK", "Logged, no estimate"))
    plain = [issues.create(NewIssue("TRK", f"Plain {n}")) for n in range(6)]
    logs = WorklogService.of(board_services)
    logs.log(timed.id, "1h30m")
    logs.log(logged_only.id, "45m")
    board = BoardPane(board_store, timed.project_id, board_settings)
    qtbot.addWidget(board)
    board.resize(1300, 800)
    board.show()
    qtbot.waitExposed(board)
    view = next(v for _s, _lane, m, v in board.cells() if m.row_of(timed.id) >= 0)
    delegate = view.itemDelegate()
    assert isinstance(delegate, CardDelegate) and delegate.times is not None
    times = delegate.times
    assert "1h30m · 2h30m left" in card_texts(view, timed.id)
    assert "45m" in card_texts(view, logged_only.id)
    for issue in plain:  # no estimate, nothing logged: no badge at all
        assert not any("left" in t or t.endswith("m") for t in card_texts(view, issue.id))
    # The column's cards came in one read, not one per card (the other columns are empty).
    assert times.reads == 1

    bob = open_services(str(tmp_path / "t.db"), actor="bob")
    try:
        WorklogService.of(bob).log(timed.id, "30m")
    finally:
        bob.close()
    board_store.poll()
    qtbot.waitUntil(lambda: "2h · 2h left" in card_texts(view, timed.id))
