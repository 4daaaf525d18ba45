"""The tray: unread badge, the last 50 notifications, each opening its issue in the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from tests.support.notify_recorder import RecordingBackend
from tracker_gui.domain.models import Issue
from tracker_gui.notify.notifier import Notifier
from tracker_gui.notify.policy import Note
from tracker_gui.ui import live_setup
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tracker_gui.ui.tray import HISTORY, NotificationTray, badge_icon


def note(n: int, issue_id: int | None = None) -> Note:
    return Note(f"TRK-{n} moved to Done", f"bob moved “Issue {n}”", issue_id=issue_id or n)


def test_history_keeps_the_last_fifty_newest_first_with_an_unread_count(qapp: object) -> None:
    tray = NotificationTray()
    for n in range(1, 56):
        tray.add(note(n))
    assert len(tray.history) == HISTORY
    assert tray.history[0].summary == "TRK-55 moved to Done"
    assert tray.history[-1].summary == "TRK-6 moved to Done"
    assert tray.unread == 55
    assert tray.icon.toolTip() == "Tracker — 55 unread"
    actions = tray.note_actions()
    assert len(actions) == HISTORY
    assert actions[0].text() == "TRK-55 moved to Done — bob moved “Issue 55”"
    assert tray.menu.actions()[0].text() == "55 unread notifications"
    tray.mark_read()
    assert tray.unread == 0 and tray.icon.toolTip() == "Tracker"
    assert tray.menu.actions()[0].text() == "Recent notifications"
    tray.close()


def test_the_badge_is_drawn_only_when_something_is_unread(qapp: object) -> None:
    plain = badge_icon(0).pixmap(64, 64).toImage()
    badged = badge_icon(3).pixmap(64, 64).toImage()
    corner = badged.pixelColor(52, 10)
    assert corner.red() > 180 and corner.green() < 90  # the red badge, top right
    assert plain.pixelColor(52, 10) != corner


def test_a_history_entry_opens_its_issue_in_the_window(
    qtbot: QtBot,
    make_window: Callable[..., MainWindow],
    store: Store,
    gui_settings: Settings,
    make_issue: Callable[..., Issue],
    tmp_path: Path,
) -> None:
    first = make_issue("First thing")
    second = make_issue("Second thing")
    window = make_window()
    wiring = live_setup.install(store, window, gui_settings, Notifier(RecordingBackend()))
    try:
        window.show_issue(None)
        wiring.tray.add(Note("TRK-1 moved to Done", "bob moved “First thing”", first.id))
        wiring.tray.add(Note("TRK-2 is due today", "“Second thing” is due today", second.id))
        wiring.tray.add(Note("3 issues changed status", "bob moved TRK-1, TRK-2, TRK-3", None))
        assert wiring.tray.unread == 3
        wiring.tray.menu.popup(QPoint(40, 40))
        qtbot.waitExposed(wiring.tray.menu)
        wiring.tray.menu.grab().save(str(tmp_path / "tray-menu.png"))
        wiring.tray.menu.hide()
        actions = wiring.tray.note_actions()
        actions[1].trigger()  # "TRK-2 is due today"
        assert window.detail_pane.issue_id() == second.id
        assert window.detail_pane.key_label.text() == "TRK-2"
        actions[2].trigger()
        assert window.detail_pane.issue_id() == first.id
    finally:
        wiring.close()
