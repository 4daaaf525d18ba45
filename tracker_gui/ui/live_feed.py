"""The live feed: brings Change rows made elsewhere into the store, as they happen.

- SQLite: a timer polls `PRAGMA data_version` (one cheap pragma) and reads Change rows
  only when it moved.
- PostgreSQL: a LISTEN connection (tracker_gui.storage.listen) wakes a QSocketNotifier; the
  announced ids say where to read from. When that connection drops the feed polls instead,
  shows it (`modeChanged`), and reconnects with backoff. Nothing is missed: reads start
  at the feed's own cursor (minus a look-back, because PostgreSQL ids do not commit in
  order), and the store drops rows it has already applied.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from tracker_gui.domain.models import Change
from tracker_gui.errors import TrackerError
from tracker_gui.storage.listen import Listener

if TYPE_CHECKING:
    from tracker_gui.ui.store import Store

log = logging.getLogger(__name__)

OFF, LOCAL, LIVE, POLLING = "off", "local", "live", "polling"
MODE_TEXT = {
    OFF: "",
    LOCAL: "Live",
    LIVE: "Live",
    POLLING: "Polling: live link lost, reconnecting",
}
MODE_TIPS = {
    OFF: "",
    LOCAL: "Changes made by other windows on this file show up within a second",
    LIVE: "Connected: changes by others arrive as they are made (PostgreSQL LISTEN)",
    POLLING: "The live connection to the server dropped: checking every second "
    "and reconnecting; no change is missed",
}
ListenFactory = Callable[[], Listener]


class LiveFeed(QObject):
    """Owned by the Store; `start()` picks the path for the backend."""

    modeChanged = Signal(str)  # OFF | LOCAL | LIVE | POLLING
    remoteChanges = Signal(list)  # list[Change] made elsewhere, after the store applied them

    SQLITE_POLL_MS = 250
    FALLBACK_POLL_MS = 1000
    SAFETY_POLL_MS = 30_000  # a silently dead network never makes the socket readable
    BACKOFF_S: tuple[float, ...] = (1, 2, 4, 8, 15, 30)
    LOOKBACK = 100
    PAGE = 5000

    def __init__(self, store: Store, listen: ListenFactory | None = None) -> None:
        super().__init__(store)
        self._store = store
        self._feed = store.services.feed
        self._database = store.services.database
        self._listen = listen or self._feed.listen
        self._cursor = self._feed.last_id()
        self._data_version = self._feed.data_version()
        self._listener: Listener | None = None
        self._socket: QSocketNotifier | None = None
        self._attempt = 0
        self._paused = False
        self._held_since: int | None = None
        self.mode = OFF
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._database.is_sqlite:
            self._set_mode(LOCAL)
            self._timer.start(self.SQLITE_POLL_MS)
        elif not self._connect():
            self._lost("could not open the live connection")

    def stop(self) -> None:
        self._timer.stop()
        self._retry.stop()
        self._drop_listener()
        self._set_mode(OFF)

    def pause(self) -> bool:
        """Hold reads (an import's transaction is open); True if it was not paused already."""
        was = self._paused
        self._paused = True
        return not was

    def resume(self) -> None:
        self._paused = False
        since, self._held_since = self._held_since, None
        if since is not None:
            self._read(since)

    @property
    def cursor(self) -> int:
        return self._cursor

    @property
    def listener(self) -> Listener | None:
        return self._listener

    def _set_mode(self, mode: str) -> None:
        if mode != self.mode:
            log.info("live feed: %s -> %s", self.mode, mode)
            self.mode = mode
            self.modeChanged.emit(mode)

    # -- reading -------------------------------------------------------------------------
    def poll_now(self) -> int:
        """One read now, whatever the mode (tests and the store's `poll()`)."""
        if self._database.is_sqlite:
            return self._check_data_version()
        return self._read(self._lookback())

    def _lookback(self) -> int:
        return max(0, self._cursor - self.LOOKBACK)

    def _check_data_version(self) -> int:
        try:
            version = self._feed.data_version()
        except TrackerError as exc:
            log.warning("live feed: %s", exc)
            return 0
        if version == self._data_version:
            return 0
        self._data_version = version
        return self._read(self._cursor)

    def _read(self, since: int) -> int:
        """Read and apply every Change row above `since`, a page at a time; how many were new."""
        if self._store.offline:  # the connection monitor polls once the server is back
            return 0
        if self._paused:
            self._held_since = since if self._held_since is None else min(since, self._held_since)
            return 0
        total = 0
        while True:
            try:
                events: list[Change] = self._feed.changes_since(since, limit=self.PAGE)
            except TrackerError as exc:
                log.warning("live feed: %s", exc)
                return total
            if not events:
                return total
            self._cursor = max(self._cursor, events[-1].id)
            fresh = self._store.apply_changes(events, coalesce=True)
            if fresh:
                total += len(fresh)
                self.remoteChanges.emit(fresh)
            if len(events) < self.PAGE:
                return total
            since = events[-1].id

    def _on_timer_timeout(self) -> None:
        if self.mode == LOCAL:
            self._check_data_version()
        else:
            self._read(self._lookback())

    # -- PostgreSQL LISTEN ---------------------------------------------------------------
    def _connect(self) -> bool:
        try:
            listener = self._listen()
        except TrackerError as exc:
            log.warning("live feed: %s", exc)
            return False
        self._listener = listener
        self._socket = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._socket.activated.connect(self._on_socket_activated)
        self._attempt = 0
        self._retry.stop()
        self._timer.start(self.SAFETY_POLL_MS)
        self._set_mode(LIVE)
        self._read(self._lookback())  # what was committed while nobody listened
        return True

    def _drop_listener(self) -> None:
        if self._socket is not None:
            self._socket.setEnabled(False)
            self._socket.deleteLater()
            self._socket = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _lost(self, why: str) -> None:
        log.warning("live feed: %s; polling until it reconnects", why)
        self._drop_listener()
        self._set_mode(POLLING)
        self._timer.start(self.FALLBACK_POLL_MS)
        delay = self.BACKOFF_S[min(self._attempt, len(self.BACKOFF_S) - 1)]
        self._attempt += 1
        self._retry.start(int(delay * 1000))
        self._read(self._lookback())

    def _on_socket_activated(self) -> None:
        if self._listener is None:
            return
        try:
            ids = self._listener.drain()
        except TrackerError as exc:
            self._lost(str(exc))
            return
        if ids:
            self._read(min(min(ids) - 1, self._cursor))

    def _on_retry_timeout(self) -> None:
        if not self._connect():
            self._lost("reconnecting failed")
