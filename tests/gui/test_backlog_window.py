"""The Backlog pane in the window: closed at first, opened from View on the board's project,
its issues opened in the detail pane, and put back where it was after a restart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.gui.pane_helpers import OFFSCREEN_NOISE
from tracker_gui.domain.models import Issue
from tracker_gui.services import Services
from tracker_gui.ui.main_window import MainWindow

pytestmark = OFFSCREEN_NOISE
MON = dt.date(2026, 12, 7)


def test_view_backlog_opens_the_pane_on_the_board_project(
    gui_services: Services,
    make_issue: Callable[..., Issue],
    make_window: Callable[..., MainWindow],
    qtbot: QtBot,
) -> None:
    first = make_issue("Plan me")
    gui_services.sprints.add("TRK", "Sprint 1", MON, MON + dt.timedelta(days=13))
    window = make_window()
    dock = window.dock("backlog")
    assert dock is not None and not dock.isVisible()  # closed in the default layout
    entries = [a.text() for a in window.actions_.view_menu.actions()]
    assert "&Backlog" in entries
    window.backlog.action.trigger()
    qtbot.waitUntil(dock.isVisible)
    pane = window.backlog.pane
    assert pane.project_combo.currentData() == "TRK"
    qtbot.waitUntil(lambda: pane.backlog.count() == 1)
    assert [s.sprint.name for s in pane.sections] == ["Sprint 1"]
    pane.backlog.itemActivated.emit(pane.backlog.item(0))
    assert window.detail_pane.issue_id() == first.id
    window.backlog.action.trigger()
    qtbot.waitUntil(lambda: not dock.isVisible())


def test_an_open_backlog_comes_back_after_a_restart(
    make_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    window.backlog.open()
    qtbot.waitUntil(window.backlog.dock.isVisible)
    window.close()
    again = make_window()
    assert again.backlog.dock.isVisible()
    assert again.backlog.action.isChecked()
