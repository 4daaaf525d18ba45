"""Drives a SyncEngine from the window: runs sync() on a worker thread, follows its state.

The engine protocol has no signals, so the controller asks: `status()` on a timer (a local
read), `conflicts()` only when the status moved or after a sync or a resolution, and hands
the differences on as Qt signals. It is also the window's sync worker: it syncs soon after a
change is queued, now and then while the window is open, and on "Sync now".
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, SignalInstance

from tracker_gui.errors import TrackerError
from tracker_gui.services.sync_types import ConflictEntry, Keep, SyncEngine, SyncReport, SyncStatus
from tracker_gui.ui.ops import sync as sync_ops
from tracker_gui.ui.ops.core import OpResult, message_for
from tracker_gui.ui.ops.sync import SyncHost

log = logging.getLogger(__name__)

STATUS_MS = 2_000  # how often the state is read (a count in the local replica)
AUTO_SYNC_MS = 30_000  # a sync now and then, online or not (0: only when asked)
QUEUED_SYNC_MS = 1_500  # a queued change goes out this soon after it was made (0: off)
STOP_WAIT_MS = 5_000  # a closing window waits this long for a run under way to finish


class _Signals(QObject):
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # the exception sync() raised


class _SyncRun(QRunnable):
    """engine.sync() on a pool thread; the outcome comes back as a queued signal."""

    def __init__(self, engine: SyncEngine, signals: _Signals) -> None:
        super().__init__()
        self._engine = engine
        self._signals = signals

    def run(self) -> None:
        try:
            report = self._engine.sync()
        except BaseException as exc:  # handed to the GUI thread, which decides
            self._tell(self._signals.failed, exc)
            return
        self._tell(self._signals.finished, report)

    @staticmethod
    def _tell(signal: SignalInstance, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the window closed while sync() ran: nobody left to tell
            log.info("sync finished after its window closed")


class SyncController(QObject):
    """The one owner of a window's engine: its status, its entries and its sync runs."""

    statusChanged = Signal(object)  # SyncStatus
    entriesChanged = Signal(list)  # list[ConflictEntry], the engine's order
    syncingChanged = Signal(bool)
    synced = Signal(object)  # SyncReport of a run that finished
    failed = Signal(str)  # a run that raised: the one-line message
    replicaChanged = Signal()  # a run or a resolution may have written the replica

    def __init__(self, engine: SyncEngine, host: SyncHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._host = host  # where a failure is told (the store)
        self._status: SyncStatus | None = None
        self._entries: list[ConflictEntry] = []
        self._syncing = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one run at a time; the engine locks pushers too
        # One thread for good: the engine keeps its server connection between runs, and a
        # database connection belongs to the thread that opened it.
        self._pool.setExpiryTimeout(-1)
        self._signals = _Signals(self)
        self._signals.finished.connect(self._on_run_finished)
        self._signals.failed.connect(self._on_run_failed)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_MS)
        self._status_timer.timeout.connect(self.refresh)
        self._auto_timer = QTimer(self)
        self._auto_timer.timeout.connect(self._on_auto_timer_timeout)
        self._queued_timer = QTimer(self)
        self._queued_timer.setSingleShot(True)
        self._queued_timer.timeout.connect(self._on_auto_timer_timeout)

    # -- reading the engine --------------------------------------------------------------
    @property
    def status(self) -> SyncStatus | None:
        return self._status

    @property
    def entries(self) -> list[ConflictEntry]:
        return list(self._entries)

    @property
    def syncing(self) -> bool:
        return self._syncing

    def start(self) -> None:
        """First read, then follow the engine (and sync now and then)."""
        self.refresh(entries=True)
        self._status_timer.start()
        if AUTO_SYNC_MS:
            self._auto_timer.start(AUTO_SYNC_MS)

    def stop(self) -> None:
        """Stop the timers and wait a while for a run under way (its replica writes finish;
        one stuck on a dead network is left to end on its own: a push is one transaction)."""
        for timer in (self._status_timer, self._auto_timer, self._queued_timer):
            timer.stop()
        self._pool.waitForDone(STOP_WAIT_MS)

    def refresh(self, entries: bool = False) -> None:
        """Read the status; the entries too when it moved (or when asked)."""
        try:
            status = self.engine.status()
        except TrackerError as exc:
            log.warning("sync status unreadable: %s", exc)
            return
        moved = status != self._status
        if moved:
            self._status = status
            self.statusChanged.emit(status)
        if moved or entries:
            self._read_entries()
        # A change queued while the server answers goes out soon, not at the next round.
        idle = not self._syncing and not self._queued_timer.isActive()
        if status.waiting and status.state != "offline" and QUEUED_SYNC_MS and idle:
            self._queued_timer.start(QUEUED_SYNC_MS)

    def _read_entries(self) -> None:
        try:
            fresh = self.engine.conflicts()
        except TrackerError as exc:
            log.warning("sync entries unreadable: %s", exc)
            return
        if fresh != self._entries:
            self._entries = list(fresh)
            self.entriesChanged.emit(list(fresh))

    # -- syncing -------------------------------------------------------------------------
    def sync_now(self) -> bool:
        """Start a run off the GUI thread; False when one is already under way."""
        if self._syncing:
            return False
        self._queued_timer.stop()
        self._set_syncing(True)
        self._pool.start(_SyncRun(self.engine, self._signals))
        return True

    def _set_syncing(self, syncing: bool) -> None:
        if syncing != self._syncing:
            self._syncing = syncing
            self.syncingChanged.emit(syncing)

    def _on_run_finished(self, report: SyncReport) -> None:
        self._set_syncing(False)
        self.refresh(entries=True)
        self.replicaChanged.emit()
        self.synced.emit(report)

    def _on_run_failed(self, exc: BaseException) -> None:
        self._set_syncing(False)
        self.refresh(entries=True)
        self.replicaChanged.emit()
        if not isinstance(exc, TrackerError):
            raise exc  # a bug: the excepthook logs it and says so
        message = message_for(exc)
        self.failed.emit(message)
        self._host.errorOccurred.emit(message)

    def _on_auto_timer_timeout(self) -> None:
        self.sync_now()

    # -- settling entries ----------------------------------------------------------------
    def resolve(
        self,
        entry_id: int,
        *,
        keep: Keep | None = None,
        value: str | None = None,
        dismiss: bool = False,
    ) -> OpResult[None]:
        result = sync_ops.resolve(
            self._host, self.engine, entry_id, keep=keep, value=value, dismiss=dismiss
        )
        self.refresh(entries=True)
        self.replicaChanged.emit()
        return result
