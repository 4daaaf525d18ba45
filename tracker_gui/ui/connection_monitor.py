"""Offline mode: notice the server is gone, show a banner, reconnect by itself with backoff."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QToolBar,
    QWidget,
)

from tracker_gui.ui import icons, theme
from tracker_gui.ui.store import Store

log = logging.getLogger(__name__)

BACKOFF_MS = (500, 1000, 2000, 4000, 8000, 15000, 30000)
HEARTBEAT_MS = 15000  # an idle window notices a dead server within this
BANNER_STYLE = """
QFrame#OfflineBanner {{
    background: {warning_soft}; border: none; border-bottom: 1px solid {warning};
}}
QFrame#OfflineBanner QLabel {{ color: {text}; background: transparent; }}
QFrame#OfflineBanner QLabel#OfflineTitle {{ font-weight: 600; }}
"""


class OfflineBanner(QFrame):
    """The strip across the top of the window while the database cannot be reached."""

    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OfflineBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.icon = QLabel()
        self.title = QLabel("Offline")
        self.title.setObjectName("OfflineTitle")
        self.message = QLabel()
        self.message.setObjectName("OfflineMessage")
        self.message.setWordWrap(True)
        self.retry_button = QPushButton("Reconnect now")
        self.retry_button.setObjectName("RetryButton")
        self.retry_button.clicked.connect(self.retryRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 12, 8)
        layout.setSpacing(10)
        layout.addWidget(self.icon)
        layout.addWidget(self.title)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.retry_button)
        self.refresh_style()

    def refresh_style(self) -> None:
        names = ("warning_soft", "warning", "text")
        self.setStyleSheet(BANNER_STYLE.format(**{n: theme.colour(n).name() for n in names}))
        self.icon.setPixmap(icons.icon("warning").pixmap(QSize(18, 18)))

    def show_state(self, database: str, seconds: float) -> None:
        when = "in a moment" if seconds < 1.5 else f"in {round(seconds)} s"
        self.message.setText(
            f"The connection to {database} is lost. The board shows what was loaded; "
            f"nothing can be saved until it is back. Trying again {when}."
        )


class ConnectionMonitor(QObject):
    """Owns the online/offline state of one store; `ping` must not raise (False = not yet)."""

    onlineChanged = Signal(bool)

    def __init__(
        self,
        store: Store,
        ping: Callable[[], bool],
        banner: OfflineBanner | None = None,
        *,
        backoff_ms: tuple[int, ...] = BACKOFF_MS,
        heartbeat_ms: int = HEARTBEAT_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or store)
        self._store = store
        self._ping = ping
        self._backoff = backoff_ms
        self._attempt = 0
        self.banner = banner or OfflineBanner()
        self.banner.retryRequested.connect(self._on_banner_retry_requested)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(heartbeat_ms)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._heartbeat.start()
        store.connectionLost.connect(self._on_store_connection_lost)
        theme.notifier.changed.connect(self._on_theme_changed)

    @property
    def online(self) -> bool:
        return not self._store.offline

    def stop(self) -> None:
        self._retry.stop()
        self._heartbeat.stop()

    def go_offline(self, reason: str = "") -> None:
        if self._store.offline:
            return
        log.warning("database unreachable: %s", reason or "ping failed")
        self._store.offline = True
        self._attempt = 0
        self._heartbeat.stop()
        self._schedule()
        self.banner.show()
        self.onlineChanged.emit(False)

    def check_now(self) -> bool:
        """Ping now; back online (banner gone, changes made meanwhile read) when it answers."""
        if not self._ping():
            return False
        if self._store.offline:
            log.info("database reachable again after %d attempts", self._attempt)
            self._store.offline = False
            self._retry.stop()
            self.banner.hide()
            self._heartbeat.start()
            self.onlineChanged.emit(True)
            self._store.poll()  # what others changed while we were away
        return True

    def _schedule(self) -> None:
        delay = self._backoff[min(self._attempt, len(self._backoff) - 1)]
        self._attempt += 1
        self.banner.show_state(self._store.database_label, delay / 1000)
        self._retry.start(delay)

    def _on_store_connection_lost(self, message: str) -> None:
        self.go_offline(message)

    def _on_retry_timeout(self) -> None:
        if not self.check_now():
            self._schedule()

    def _on_banner_retry_requested(self) -> None:
        if not self.check_now():
            self._retry.stop()
            self._schedule()

    def _on_heartbeat_timeout(self) -> None:
        if not self._store.offline and not self._ping():
            self.go_offline()

    def _on_theme_changed(self, _dark: bool) -> None:
        self.banner.refresh_style()


def install(window: QMainWindow, store: Store, ping: Callable[[], bool]) -> ConnectionMonitor:
    """Put the (hidden) offline banner across the top of `window` and start watching."""
    bar = QToolBar("Connection", window)
    bar.setObjectName("OfflineBar")
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.toggleViewAction().setVisible(False)
    bar.setStyleSheet("QToolBar#OfflineBar { border: none; padding: 0; spacing: 0; }")
    banner = OfflineBanner()
    bar.addWidget(banner)
    window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)  # a row of its own, full width
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    monitor = ConnectionMonitor(store, ping, banner, parent=window)
    # The bar, not just the banner, is what takes space: follow the banner's visibility.
    monitor.onlineChanged.connect(lambda online: bar.setVisible(not online))
    bar.hide()
    return monitor
