"""Wires the live feed's status-bar indicator, the notification bridge and the tray to a window."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QLabel

from tracker_gui import APP_NAME, resources
from tracker_gui.ui import theme
from tracker_gui.ui.live_feed import MODE_TEXT, MODE_TIPS, POLLING
from tracker_gui.ui.main_window import MainWindow
from tracker_gui.ui.notify_bridge import NotifyBridge
from tracker_gui.ui.settings import Settings
from tracker_gui.ui.store import Store
from tracker_gui.ui.tray import NotificationTray

if TYPE_CHECKING:  # asyncio and desktop-notifier load after the window is shown
    from tracker_gui.notify.notifier import Notifier

log = logging.getLogger(__name__)
STATUS_MESSAGE_MS = 15_000


def desktop_notifier() -> Notifier | None:
    """desktop-notifier on its own thread, or None where the library cannot even load."""
    try:
        icon = resources.path("icons/app/tracker-128.png")
    except FileNotFoundError:
        icon = None
    try:
        from tracker_gui.notify.notifier import DesktopBackend, Notifier

        return Notifier(DesktopBackend(APP_NAME, icon))
    except Exception:  # an import or platform failure must never stop the window opening
        log.exception("desktop notifications disabled")
        return None


def open_issue(window: MainWindow, issue_id: int) -> None:
    """What a click on a notification does: bring the window up and open the issue."""
    raise_window(window)
    window.show_issue(issue_id, raise_detail=True)
    for board in window.board_panes():
        board.select_issue(issue_id)


def raise_window(window: MainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class LiveWiring(QObject):
    """The mode label, tray and bridge of one window; `close()` before the window goes."""

    def __init__(
        self, store: Store, window: MainWindow, settings: Settings, notifier: Notifier | None
    ) -> None:
        super().__init__(window)
        self.window = window
        self.mode_label = QLabel()
        self.mode_label.setObjectName("LiveMode")
        self.mode_label.setContentsMargins(0, 0, 8, 0)
        window.status.addPermanentWidget(self.mode_label)
        store.live_feed.modeChanged.connect(self._on_feed_mode_changed)
        self._on_feed_mode_changed(store.live_feed.mode)
        self.tray = NotificationTray(self)
        shown = self.tray.show()
        self.bridge = NotifyBridge(
            store,
            settings,
            notifier,
            tray=self.tray.icon if shown else None,
            focused=window.isActiveWindow,
            parent=self,
        )
        self.bridge.noteShown.connect(self.tray.add)
        self.bridge.issueRequested.connect(self._on_issue_requested)
        self.tray.issueRequested.connect(self._on_issue_requested)
        self.bridge.raiseRequested.connect(self._on_raise_requested)
        self.tray.showRequested.connect(self._on_raise_requested)
        self.bridge.unavailable.connect(self._on_bridge_unavailable)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._on_app_state_changed)

    def start(self) -> None:
        self.bridge.start()

    def close(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.disconnect(self._on_app_state_changed)
        self.bridge.close()
        self.tray.close()

    def _on_feed_mode_changed(self, mode: str) -> None:
        self.mode_label.setText(MODE_TEXT.get(mode, ""))
        self.mode_label.setToolTip(MODE_TIPS.get(mode, ""))
        # Polling means the live link is down: say it in the warning colour, not in grey.
        warn = mode == POLLING
        self.mode_label.setStyleSheet(
            f"color: {theme.colour('warning').name()}; font-weight: 600;" if warn else ""
        )
        # On a replica the sync state (ui/sync_status.py) speaks for the connection instead.
        self.mode_label.setVisible(bool(MODE_TEXT.get(mode)) and self.window.sync_ui is None)

    def _on_issue_requested(self, issue_id: int) -> None:
        open_issue(self.window, issue_id)

    def _on_raise_requested(self) -> None:
        raise_window(self.window)

    def _on_bridge_unavailable(self, message: str) -> None:
        self.window.status.showMessage(message, STATUS_MESSAGE_MS)

    def _on_app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.tray.mark_read()


def install(
    store: Store, window: MainWindow, settings: Settings, notifier: Notifier | None = None
) -> LiveWiring:
    """Wire notifications to `window` (desktop-notifier unless a notifier is given) and start."""
    wiring = LiveWiring(store, window, settings, notifier or desktop_notifier())
    wiring.start()
    return wiring
