"""The status bar on a replica: the sync state in words, "2 conflicts", and Sync now."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMenu
from pytestqt.qtbot import QtBot

from tests.gui.sync_fake import FakeEngine, conflict, refusal
from tests.support.notify_recorder import RecordingBackend
from tracker_gui.errors import StorageError
from tracker_gui.notify.notifier import Notifier
from tracker_gui.ui import live_setup
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tracker_gui.ui.sync_status import SyncStatusWidget

Make = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time one hour ahead of UTC all year (no summer time): 12:03 UTC reads 13:03."""
    monkeypatch.setenv("TZ", "CET-1")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def bar(window: MainWindow) -> SyncStatusWidget:
    found = window.status.findChild(SyncStatusWidget)
    assert found is not None and found.isVisible()
    return found


def test_synced_shows_the_local_time_of_the_last_sync(make_sync_window: Make) -> None:
    window = make_sync_window(FakeEngine())
    assert bar(window).state_text() == "Synced 13:03"
    assert bar(window).entries_text() == ""


@pytest.mark.parametrize(
    ("waiting", "words"),
    [(3, "Offline, 3 changes waiting"), (1, "Offline, 1 change waiting"), (0, "Offline")],
)
def test_offline_counts_the_changes_waiting(
    make_sync_window: Make, waiting: int, words: str
) -> None:
    window = make_sync_window(FakeEngine(state="offline", waiting=waiting))
    assert bar(window).state_text() == words
    assert "cannot be reached" in bar(window).state_label.toolTip()


def test_conflicts_are_counted_and_a_click_raises_the_pane(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    window = make_sync_window(FakeEngine([conflict(1), conflict(2, "TRK-3")]))
    widget = bar(window)
    assert widget.entries_text() == "2 conflicts"
    dock = window.docks["conflicts"]
    board = window.main_board()
    assert board is not None and board.isVisible()  # the pane waits as a tab behind the board
    assert dock.visibleRegion().isEmpty()
    qtbot.mouseClick(widget.entries_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty())
    assert window.sync_ui is not None
    qtbot.waitUntil(window.sync_ui.pane.table.hasFocus)  # the keyboard can settle them now


def test_refusals_are_counted_beside_conflicts(make_sync_window: Make) -> None:
    window = make_sync_window(FakeEngine([conflict(1), refusal(2)]))
    assert bar(window).entries_text() == "1 conflict, 1 refused"


def test_sync_now_runs_off_the_gui_thread_and_the_state_follows(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    engine = FakeEngine(state="offline", waiting=2)
    engine.gate = threading.Event()
    window = make_sync_window(engine)
    widget = bar(window)
    assert window.sync_ui is not None
    action = window.sync_ui.sync_now
    action.trigger()
    # The GUI thread is free while sync() waits at the gate: the bar says so, and repaints.
    qtbot.waitUntil(engine.started.is_set)
    assert widget.state_text() == "Syncing…"
    assert not action.isEnabled()
    engine.gate.set()
    qtbot.waitUntil(lambda: widget.state_text() == "Synced 13:08")
    assert action.isEnabled()
    assert engine.syncs == 1 and engine.waiting == 0


def test_a_sync_that_cannot_reach_the_server_stays_offline(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    engine = FakeEngine(state="offline", waiting=2)
    engine.online_after_sync = False
    window = make_sync_window(engine)
    assert window.sync_ui is not None
    window.sync_ui.sync_now.trigger()
    qtbot.waitUntil(lambda: engine.syncs == 1)
    qtbot.waitUntil(lambda: bar(window).state_text() == "Offline, 2 changes waiting")


def test_sync_now_is_in_the_file_menu_with_a_shortcut(qtbot: QtBot, make_sync_window: Make) -> None:
    engine = FakeEngine()
    window = make_sync_window(engine)
    file_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("S&ync Now") == texts.index("&Open Database…") + 1
    assert window.sync_ui is not None
    assert window.sync_ui.sync_now.shortcut().toString() == "F5"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: engine.syncs == 1)


def test_new_conflicts_after_a_sync_are_counted_and_said(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    engine = FakeEngine()
    engine.arrive_on_sync = [conflict(7, "TRK-4")]
    window = make_sync_window(engine)
    assert window.sync_ui is not None
    window.sync_ui.sync_now.trigger()
    qtbot.waitUntil(lambda: bar(window).entries_text() == "1 conflict")
    assert window.status.currentMessage() == "Sync: 1 change needs you in the Conflicts pane"


def test_a_sync_that_fails_says_why(
    qtbot: QtBot, make_sync_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = FakeEngine()
    window = make_sync_window(engine)

    def broken() -> object:
        raise StorageError("the replica is damaged: run `tracker-gui check`")

    monkeypatch.setattr(engine, "sync", broken)
    assert window.sync_ui is not None
    window.sync_ui.sync_now.trigger()
    qtbot.waitUntil(window.notice.isVisible)
    assert window.notice.message.text().startswith("the replica is damaged")
    assert bar(window).state_text() == "Synced 13:03"


def test_the_state_follows_the_engine_without_being_asked(
    qtbot: QtBot, make_sync_window: Make
) -> None:
    engine = FakeEngine()
    window = make_sync_window(engine)
    engine.state, engine.waiting = "offline", 4  # the server went away meanwhile
    assert window.sync_ui is not None
    window.sync_ui.controller.refresh()  # what the status timer does every two seconds
    assert bar(window).state_text() == "Offline, 4 changes waiting"


def test_on_a_replica_the_live_words_give_way_to_the_sync_state(
    make_sync_window: Make, store: Store, gui_settings: Settings
) -> None:
    window = make_sync_window(FakeEngine(state="offline", waiting=3))
    store.start_live_feed()
    wiring = live_setup.install(store, window, gui_settings, Notifier(RecordingBackend()))
    try:
        label = window.statusBar().findChild(QLabel, "LiveMode")
        assert label is not None and not label.isVisible()
        assert bar(window).state_text() == "Offline, 3 changes waiting"
    finally:
        wiring.close()


def test_a_local_file_keeps_the_live_words(
    make_window: Make, store: Store, gui_settings: Settings
) -> None:
    window = make_window()
    store.start_live_feed()
    wiring = live_setup.install(store, window, gui_settings, Notifier(RecordingBackend()))
    try:
        label = window.statusBar().findChild(QLabel, "LiveMode")
        assert label is not None and label.isVisible() and label.text() == "Live"
        assert window.status.findChild(SyncStatusWidget) is None
    finally:
        wiring.close()


def test_a_change_made_here_shows_as_waiting_at_once(
    qtbot: QtBot, make_sync_window: Make, make_issue: Callable[..., object]
) -> None:
    engine = FakeEngine()
    window = make_sync_window(engine)
    engine.waiting = 1  # what the engine's outbox holds after the write below
    make_issue("Written while the train is in the tunnel")
    qtbot.waitUntil(lambda: bar(window).state_text() == "Synced 13:03, 1 change waiting")


def test_changes_waiting_while_online_go_out_by_themselves(
    qtbot: QtBot, make_sync_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.ui import sync_controller

    monkeypatch.setattr(sync_controller, "QUEUED_SYNC_MS", 50)
    engine = FakeEngine(waiting=2)
    window = make_sync_window(engine)
    qtbot.waitUntil(lambda: bar(window).state_text() == "Synced 13:08")
    assert engine.syncs == 1 and engine.waiting == 0


def test_an_offline_window_tries_again_now_and_then(
    qtbot: QtBot, make_sync_window: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker_gui.ui import sync_controller

    monkeypatch.setattr(sync_controller, "AUTO_SYNC_MS", 50)
    engine = FakeEngine(state="offline", waiting=2)
    engine.online_after_sync = False  # the server is still away
    window = make_sync_window(engine)
    qtbot.waitUntil(lambda: engine.syncs >= 2)
    assert bar(window).state_text() in ("Offline, 2 changes waiting", "Syncing…")
    engine.online_after_sync = True  # it is back: the next round sends what waits
    qtbot.waitUntil(lambda: bar(window).state_text() == "Synced 13:08")
    assert engine.waiting == 0


def test_the_shortcut_sheet_lists_sync_now(make_sync_window: Make) -> None:
    from tracker_gui.ui.dialogs.shortcuts import collect

    window = make_sync_window(FakeEngine())
    assert any(s.keys == "F5" and s.what == "Sync Now" for s in collect(window))
