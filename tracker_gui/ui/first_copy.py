"""The first sync of a team database: its offline copy made off the GUI thread, with progress.

Opening a shared database in the window makes (once) the local replica the window then reads:
everything the login may read, copied through its own connection. That copy can take a while
on a big project, so it runs on a worker thread behind a progress dialog, and the window
opens on the copy when it is done. Cancel leaves nothing half-made in the way: the next open
starts the copy again.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from tracker_gui.errors import TrackerError
from tracker_gui.services import Services
from tracker_gui.services.sync import SyncService
from tracker_gui.services.sync_types import SyncReport
from tracker_gui.ui.dialogs import message

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
# Copies opened while their server was out of reach, with the engine that syncs them later.
_OPENED_OFFLINE: weakref.WeakKeyDictionary[Services, SyncService] = weakref.WeakKeyDictionary()


class FirstSync(Protocol):
    """The engine's sync with a progress callback (done, total)."""

    def sync(self, progress: Progress | None = None) -> SyncReport: ...


class _Run(QThread):
    progressed = Signal(int, int)

    def __init__(self, engine: FirstSync, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self.report: SyncReport | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.report = self._engine.sync(self.progressed.emit)
        except BaseException as exc:  # shown to the user by the GUI thread
            self.error = exc


def make_first_copy(engine: FirstSync, label: str, parent: QWidget | None = None) -> SyncReport:
    """Run the first sync of `label` with a progress dialog; the report, or raise what the
    sync raised. An offline report (nothing copied) is returned as it is: the caller decides."""
    dialog = QProgressDialog(
        f"Making an offline copy of {label}…\nThe window opens on it when it is done.",
        "",
        0,
        0,
        parent,
    )
    dialog.setWindowTitle("Offline copy")
    dialog.setCancelButton(None)  # no button: a half-made copy would only be made again
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    run = _Run(engine)

    def show(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    run.progressed.connect(show)
    run.finished.connect(dialog.reset)
    run.start()
    while run.isRunning():
        QApplication.processEvents()
        run.wait(20)
    QApplication.processEvents()
    dialog.close()
    dialog.deleteLater()
    if run.error is not None:
        raise run.error
    assert run.report is not None
    return run.report


def open_offline_copy(
    services: Services, parent: QWidget | None = None
) -> tuple[Services, SyncService] | None:
    """The window's services over the offline copy of the shared database `services` is
    connected to, with its sync engine (the copy made first if there is none yet); None for
    a local file, or when no copy can be made (the window then works on the server directly).
    """
    engine = _OPENED_OFFLINE.pop(services, None)
    if engine is not None:
        return services, engine  # already the copy: opened while the server was away
    if services.database.is_sqlite:
        return None
    server = services.database
    engine = SyncService(server.target, password=server.password(), keep=True)
    try:
        if not engine.has_replica():
            report = make_first_copy(engine, server.label, parent)
            if report.offline or not engine.has_replica():
                log.warning("no offline copy of %s: the server went away", server.label)
                return None
        local = engine.local_services(online=True)
    except TrackerError as exc:
        log.warning("no offline copy of %s: %s", server.label, exc)
        message.error(
            parent,
            "No offline copy",
            f"The offline copy of {server.label} could not be made: {exc}",
            "The window works on the server directly: while it is out of reach, nothing can "
            "be changed.",
        )
        return None
    local.database.label = f"{server.label} (offline copy)"
    return local, engine


def open_copy_offline(url: str) -> Services | None:
    """The window's services over the offline copy of `url`, for when its server cannot be
    reached (None: there is no copy yet). The engine syncs once the server answers again
    (its password from the keychain, a .pgpass file or PGPASSWORD, as the command line's)."""
    engine = SyncService(url, keep=True)
    if not engine.has_replica():
        return None
    local = engine.local_services(online=True)
    local.database.label = f"{engine.ident} (offline copy)"
    _OPENED_OFFLINE[local] = engine
    return local
