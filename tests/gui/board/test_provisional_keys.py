"""An issue made offline carries a provisional key (TRK-~1) until the server numbers it: the
card, the list and the detail pane show it in italics, with a tooltip that says why."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from pytestqt.qtbot import QtBot

from tests.gui.board_data import shown_board
from tests.gui.pane_helpers import World, shown
from tests.gui.sync_fake import offline
from tracker_gui.domain.models import Issue, NewIssue
from tracker_gui.services import Services
from tracker_gui.ui.models.issue_table_model import KEY
from tracker_gui.ui.panes.detail_pane import DetailPane
from tracker_gui.ui.panes.issue_list_pane import IssueListPane
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import IssueUpdate, Store

TIP = "Not yet on the server: gets its number at the next sync"


def arrive(store: Store, issue: Issue) -> None:
    """The replica's row reaches the views as any changed issue does."""
    store.issuesChanged.emit([IssueUpdate(issue.id, issue, True)])


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every text painted from now on, with whether its font was italic."""
    texts: list[tuple[str, bool]] = []
    original = QPainter.drawText

    def recording(painter: QPainter, *args: Any) -> Any:
        if isinstance(args[-1], str):
            texts.append((args[-1], painter.font().italic()))
        return original(painter, *args)

    monkeypatch.setattr(QPainter, "drawText", recording)
    return texts


def test_a_card_shows_a_provisional_key_in_italics_with_its_tip(
    qtbot: QtBot,
    board_store: Store,
    board_services: Services,
    board_settings: Settings,
    drawn: list[tuple[str, bool]],
) -> None:
    numbered = board_services.issues.create(NewIssue("TRK", "Numbered on the server"))
    made = board_services.issues.create(NewIssue("TRK", "Made on the train"))
    board = shown_board(board_store, board_services, board_settings, qtbot)
    arrive(board_store, offline(made))
    cells = [(model, view) for _s, _l, model, view in board.cells()]

    def card() -> tuple[Any, Any] | None:
        for model, view in cells:
            for row in range(model.rowCount()):
                if model.index(row, 0).data(Qt.ItemDataRole.DisplayRole).startswith("TRK-~"):
                    return model.index(row, 0), view
        return None

    qtbot.waitUntil(lambda: card() is not None)
    index, view = card()  # type: ignore[misc]
    assert index.data(Qt.ItemDataRole.DisplayRole) == f"TRK-~{made.number} Made on the train"
    assert TIP in index.data(Qt.ItemDataRole.ToolTipRole).splitlines()
    view.viewport().grab()  # paint the column
    assert (f"TRK-~{made.number}", True) in drawn
    assert (numbered.key, False) in drawn  # a numbered key stays upright beside it


def test_the_list_shows_a_provisional_key_in_italics_with_its_tip(
    qtbot: QtBot, world: World
) -> None:
    pane = shown(qtbot, IssueListPane(world.store), 900, 500)
    issue = world.issues["docs"]
    pane.model.set_active(True)  # the window does this when the list dock is shown
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0)
    arrive(world.store, offline(issue))
    rows = range(pane.model.rowCount())
    qtbot.waitUntil(
        lambda: any(pane.model.index(r, KEY).data() == f"TRK-~{issue.number}" for r in rows)
    )
    row = next(r for r in rows if pane.model.index(r, KEY).data() == f"TRK-~{issue.number}")
    index = pane.model.index(row, KEY)
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert index.data(Qt.ItemDataRole.ToolTipRole) == TIP
    other = next(r for r in rows if r != row)
    assert pane.model.index(other, KEY).data(Qt.ItemDataRole.FontRole) is None


def test_the_detail_pane_shows_a_provisional_key_in_italics_with_its_tip(
    qtbot: QtBot, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    pane = shown(qtbot, DetailPane(world.store), 460, 900)
    issue = world.issues["docs"]
    real = world.store.detail

    def replica_detail(issue_id: int) -> Any:
        detail = real(issue_id)
        return dataclasses.replace(detail, issue=offline(detail.issue)) if detail else None

    monkeypatch.setattr(world.store, "detail", replica_detail)
    pane.show_issue(issue.id)
    assert pane.key_label.text() == f"TRK-~{issue.number}"
    assert pane.key_label.font().italic()
    assert pane.key_label.toolTip() == TIP
    monkeypatch.setattr(world.store, "detail", real)  # pushed: the server's number
    pane.show_issue(world.issues["bug"].id)
    assert pane.key_label.text() == world.issues["bug"].key
    assert not pane.key_label.font().italic() and pane.key_label.toolTip() == ""
