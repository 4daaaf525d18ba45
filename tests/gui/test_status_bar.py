"""The status bar: one message area on the left; database, busy and count never under it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store

Make = Callable[..., MainWindow]
MESSAGE = "Desktop notifications are unavailable: changes still show in this window"


def _message_rect(window: MainWindow) -> QRect:
    bar = window.status
    width = bar.fontMetrics().horizontalAdvance(bar.currentMessage())
    return QRect(0, 0, width + 8, bar.height())


def _visible_children(bar: QWidget) -> list[QWidget]:
    return [w for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is not None]


def test_a_message_shown_before_the_window_opens_covers_nothing(
    qtbot: QtBot, make_window: Make
) -> None:
    window = make_window(show=False)
    window.status.showMessage(MESSAGE, 8000)  # at start: before the window is on screen
    window.show()
    qtbot.waitExposed(window)
    bar = window.status
    assert bar.currentMessage() == MESSAGE
    text = _message_rect(window)
    for child in _visible_children(bar):
        where = QRect(child.mapTo(bar, child.rect().topLeft()), child.size())
        assert not where.intersects(text), (child.objectName(), where, text)
    label = bar.database_label
    assert label.isVisible()
    assert label.full_text() == window.store.database_label
    assert label.toolTip().endswith(window.store.database_label)


def test_the_database_stays_visible_while_a_message_shows(qtbot: QtBot, make_window: Make) -> None:
    window = make_window()
    bar = window.status
    bar.showMessage("Imported 12 issues from board.json", 8000)
    assert bar.database_label.isVisible()
    assert bar.count_label.isVisible()
    assert bar.database_label.x() > _message_rect(window).right()
    bar.clearMessage()
    assert bar.database_label.isVisible()


def test_a_long_path_is_shortened_in_the_middle(
    qtbot: QtBot, store: Store, gui_settings: Settings
) -> None:
    window = MainWindow(store, gui_settings)
    qtbot.addWidget(window)
    window.resize(1024, 640)
    window.show()
    qtbot.waitExposed(window)
    long_path = "/home/someone/" + "very-long-folder-name/" * 20 + "tracker.db"
    window.status.set_database_label(long_path)
    label = window.status.database_label
    qtbot.waitUntil(lambda: label.text() != long_path)
    assert label.text().startswith("/home/")
    assert label.text().endswith("tracker.db")
    assert "…" in label.text()
    assert label.width() <= window.width() // 2


def test_a_quick_write_during_an_export_leaves_the_busy_indicator_on(
    qtbot: QtBot, make_window: Make, three_issues: list[object]
) -> None:
    window = make_window()
    store, busy = window.store, window.status.busy
    store.busyChanged.emit(True)  # an export starts (its job runs on a thread)
    assert busy.isVisible()
    store.busyChanged.emit(True)  # meanwhile a write...
    store.busyChanged.emit(False)  # ...is done
    assert busy.isVisible()  # the export is not
    store.busyChanged.emit(False)  # the export ends
    assert not busy.isVisible()
