"""A sprint added elsewhere (another window, the CLI, a team mate) shows in this window live:
in the Backlog pane, in the detail pane's Sprint field, and on the board's sprint toggle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE, items
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.panes.detail_sprint import NO_SPRINT
from tracker_gui.ui.store import Store

pytestmark = OFFSCREEN_NOISE
MON = dt.date(2026, 12, 7)


def test_a_sprint_added_in_another_connection_shows_without_a_reload(
    store: Store,
    other_services: Services,
    make_issue: Callable[..., Issue],
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    issue = make_issue("Plan me")
    window = make_window()
    window.backlog.open()
    pane = window.backlog.pane
    qtbot.waitUntil(lambda: pane.backlog.count() == 1)
    assert pane.sections == [] and pane.no_sprints.isVisibleTo(pane)
    window.show_issue(issue.id)
    combo = window.detail_pane.fields.sprint_combo
    qtbot.waitUntil(lambda: items(combo) == [NO_SPRINT])
    board = window.main_board()
    assert board is not None
    qtbot.mouseClick(board.header.sprint_toggle, Qt.MouseButton.LeftButton)
    assert board.header.sprint_toggle.text() == "No active sprint"

    other_services.sprints.add("TRK", "Sprint 7", MON, MON + dt.timedelta(days=13))
    assert store.poll() > 0  # the add is in the change log, so the feed carries it
    qtbot.waitUntil(lambda: [s.sprint.name for s in pane.sections] == ["Sprint 7"])
    assert not pane.no_sprints.isVisibleTo(pane)
    qtbot.waitUntil(lambda: items(combo) == [NO_SPRINT, "Sprint 7"])
    assert combo.isEnabled() and combo.currentText() == NO_SPRINT
    assert board.header.sprint_toggle.text() == "No active sprint"  # planned, not active

    other_services.sprints.start("TRK", "Sprint 7")
    store.poll()
    qtbot.waitUntil(lambda: board.header.sprint_toggle.text() == "Sprint 7 only")
    qtbot.waitUntil(lambda: items(combo) == [NO_SPRINT, "Sprint 7 (active)"])
