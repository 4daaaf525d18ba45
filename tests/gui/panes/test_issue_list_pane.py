"""The issue list pane as a user meets it in a narrow window."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tracker_gui.domain.models import Issue
from tracker_gui.ui.models.issue_table_model import KEY
from tracker_gui.ui.panes.issue_list_pane import IssueListPane
from tracker_gui.ui.store import Store


def test_a_picked_issue_in_a_narrow_list_keeps_its_key_in_view(
    qtbot: QtBot, store: Store, make_issue: Callable[..., Issue]
) -> None:
    issues = [make_issue(f"Issue number {n} with a title long enough to matter") for n in range(60)]
    pane = IssueListPane(store)
    qtbot.addWidget(pane)
    pane.resize(460, 400)  # narrower than the columns: the list scrolls sideways
    pane.show()
    qtbot.waitExposed(pane)
    pane.model.set_active(True)  # the window does this when the list dock is shown
    qtbot.waitUntil(lambda: pane.model.rowCount() == 60)
    bar = pane.view.horizontalScrollBar()
    assert bar.maximum() > 0

    target = issues[40]
    assert pane.select_issue(target.id)
    index = pane.view.currentIndex()
    assert index.isValid() and pane.current_issue_id() == target.id
    key_cell = pane.view.visualRect(pane.model.index(index.row(), KEY))
    viewport = pane.view.viewport().rect()
    assert viewport.contains(key_cell.topLeft())  # the key is on screen, not scrolled off
    assert viewport.intersects(pane.view.visualRect(index))  # and the row is in view
