"""Scheduled backups of the local database and the File > Restore from Backup entry."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from tracker_gui.errors import TrackerError
from tracker_gui.services.backups import BackupService
from tracker_gui.ui import icons
from tracker_gui.ui.ops.core import message_for
from tracker_gui.ui.settings import Settings

log = logging.getLogger(__name__)

EVERY = dt.timedelta(days=1)
# Checked hourly: a laptop asleep at the daily mark still gets its backup when it wakes.
CHECK_MS = 60 * 60 * 1000
# The first check waits for the window: copying a large file must not delay its first paint.
START_DELAY_MS = 15 * 1000


class BackupScheduler(QObject):
    """Takes a backup soon after start when the last is older than a day, then daily.

    The copy and its check run on a worker thread (seconds for a large file); the window's
    own connection is never used there, and the results come back as queued signals.
    """

    backedUp = Signal(str)  # the new backup's path
    failed = Signal(str)  # a one-line message for the user

    def __init__(self, service: BackupService, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.service = service
        self.settings = settings
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self._worker: threading.Thread | None = None

    def start(self) -> None:
        if not self.service.available:
            return
        self.timer.start()
        QTimer.singleShot(START_DELAY_MS, self, self.run_in_background)

    def stop(self) -> None:
        self.timer.stop()

    def run_in_background(self) -> threading.Thread | None:
        """Start `run_if_due` on a worker thread (None when one is still running or off)."""
        if self._worker is not None and self._worker.is_alive():
            return None
        if not self.settings.get("backup/enabled"):  # settings are read on this thread only
            return None
        self.service.keep = int(self.settings.get("backup/keep"))
        self._worker = threading.Thread(
            target=self._backup_if_due, name="scheduled-backup", daemon=True
        )
        self._worker.start()
        return self._worker

    def run_if_due(self) -> bool:
        """Back up now if enabled and due; returns whether a backup was taken."""
        if not self.settings.get("backup/enabled"):
            return False
        self.service.keep = int(self.settings.get("backup/keep"))
        return self._backup_if_due()

    def _backup_if_due(self) -> bool:
        try:
            if not self.service.due(EVERY):
                return False
            info = self.service.backup_now("auto")
        except TrackerError as exc:
            log.warning("scheduled backup failed: %s", exc)
            self.failed.emit(f"the scheduled backup failed: {message_for(exc)}")
            return False
        self.backedUp.emit(str(info.path))
        return True

    def _on_timer_timeout(self) -> None:
        self.run_in_background()


def install(window: QMainWindow, service: BackupService, quit_action: QAction) -> QAction:
    """Add File > Restore from Backup… (just above Quit); restoring reopens the database."""
    from tracker_gui.ui.dialogs.restore import RestoreDialog

    action = QAction(icons.icon("database"), "&Restore from Backup…", window)
    action.setObjectName("restore-backup")
    action.setStatusTip("Replace this database with one of its backups")
    action.setEnabled(service.available)
    for menu in window.menuBar().findChildren(QMenu):
        if quit_action in menu.actions():
            menu.insertAction(quit_action, action)
            menu.insertSeparator(quit_action)
            break

    def on_triggered() -> None:
        dialog = RestoreDialog(service, window)
        dialog.restored.connect(lambda _before: _reopen(window, service))
        dialog.open()
        window.setProperty("restoreDialog", dialog)

    action.triggered.connect(on_triggered)
    return action


def _reopen(window: QMainWindow, service: BackupService) -> None:
    """Every pane shows the restored data: the session reopens the database, as Open does."""
    signal = getattr(window, "openDatabaseRequested", None)
    if signal is not None:
        signal.emit(service.database.target)
