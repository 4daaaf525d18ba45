"""The live feed: brings Change rows made elsewhere into the store, as they happen.

- SQLite: a timer polls `PRAGMA data_version` (one cheap pragma) and reads Change rows
  only when it moved.
- PostgreSQL: a LISTEN connection (tracker_gui.storage.listen) wakes a QSocketNotifier. When
  that connection drops the feed polls instead, shows it (`modeChanged`), and reconnects
  with backoff.

Any login may NOTIFY on the channel, so a notification is only a hint that something may
have changed: what it carries is never used. Wakes are coalesced (however many arrive
before the read they cause runs, or while it runs, give one more read at most), reads are
at least WAKE_GAP_MS apart, and each is one page from the feed's own cursor (services.feed.
FeedCursor: new ids plus the few below it not seen yet, because PostgreSQL ids do not commit
in order); a full page schedules the next. Nothing changed means a read of no rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QElapsedTimer, QObject, QSocketNotifier, QTimer, Signal

from tracker_gui.domain.models import Change
from tracker_gui.errors import TrackerError
from tracker_gui.services.feed import FeedCursor, FeedService, Listener

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


class Store(Protocol):
    """What the feed needs of the store (ui.store.Store is one).

    A protocol rather than the class: the store owns the feed, so importing it from here
    would tie the two modules in a circle.
    """

    offline: bool

    @property
    def change_feed(self) -> FeedService: ...

    @property
    def is_local(self) -> bool: ...

    def apply_changes(self, events: list[Change], *, coalesce: bool = False) -> list[Change]: ...


class LiveFeed(QObject):
    """Owned by the Store; `start()` picks the path for the backend."""

    modeChanged = Signal(str)  # OFF | LOCAL | LIVE | POLLING
    remoteChanges = Signal(list)  # list[Change] made elsewhere, after the store applied them

    SQLITE_POLL_MS = 250
    FALLBACK_POLL_MS = 1000
    SAFETY_POLL_MS = 30_000  # a silently dead network never makes the socket readable
    BACKOFF_S: tuple[float, ...] = (1, 2, 4, 8, 15, 30)
    PAGE = 5000
    WAKE_GAP_MS = 50  # a flood of notifications costs at most 20 small reads a second

    def __init__(
        self, store: Store, listen: ListenFactory | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._feed = store.change_feed
        self._local = store.is_local  # a SQLite file: polled, never a LISTEN connection
        self._listen = listen or self._feed.listen
        self._cursor = FeedCursor(self._feed.last_id())
        self._data_version = self._feed.data_version()
        self._listener: Listener | None = None
        self._socket: QSocketNotifier | None = None
        self._attempt = 0
        self._paused = False
        self._held = False  # a wake came while paused
        self._reading = False
        self._again = False  # a wake came during a read
        self.reads = 0  # reads of the Change log and the rows they returned (tests, perf)
        self.rows_read = 0
        self._since_read = QElapsedTimer()
        self._wake_timer = QTimer(self)
        self._wake_timer.setSingleShot(True)
        self._wake_timer.timeout.connect(self._on_wake_timer_timeout)
        self.mode = OFF
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self._local:
            self._set_mode(LOCAL)
            self._timer.start(self.SQLITE_POLL_MS)
        elif not self._connect():
            self._lost("could not open the live connection")

    def stop(self) -> None:
        self._timer.stop()
        self._wake_timer.stop()
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
        held, self._held = self._held, False
        if held:
            self.wake()

    @property
    def cursor(self) -> int:
        return self._cursor.position

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
        """Read everything new now, page after page, whatever the mode (tests, `Store.poll`)."""
        if self._local:
            return self._check_data_version()
        return self._read_all()

    def wake(self) -> None:
        """Something may have changed: one read soon, however often this is called."""
        if self._paused:
            self._held = True
        elif self._reading:
            self._again = True
        elif not self._wake_timer.isActive():
            gap = self.WAKE_GAP_MS - self._since_read.elapsed() if self._since_read.isValid() else 0
            self._wake_timer.start(max(0, gap))

    def _on_wake_timer_timeout(self) -> None:
        full, _ = self._read_page()
        if full:
            self.wake()

    def _check_data_version(self) -> int:
        try:
            version = self._feed.data_version()
        except TrackerError as exc:
            log.warning("live feed: %s", exc)
            return 0
        if version == self._data_version:
            return 0
        self._data_version = version
        return self._read_all()

    def _read_all(self) -> int:
        total = 0
        full = True
        while full:
            full, fresh = self._read_page()
            total += fresh
        return total

    def _read_page(self) -> tuple[bool, int]:
        """Read and apply one page from the cursor: (was the page full, how many rows new)."""
        if self._store.offline:  # the connection monitor polls once the server is back
            return False, 0
        if self._paused:
            self._held = True
            return False, 0
        self._reading = True  # wakes from slots below (an event pumped) only set _again
        try:
            try:
                events: list[Change] = self._feed.read_page(self._cursor, self.PAGE)
            except TrackerError as exc:
                log.warning("live feed: %s", exc)
                return False, 0
            self.reads += 1
            self.rows_read += len(events)
            fresh = self._store.apply_changes(events, coalesce=True) if events else []
            if fresh:
                self.remoteChanges.emit(fresh)
            return len(events) >= self.PAGE, len(fresh)
        finally:
            self._reading = False
            self._since_read.start()
            if self._again:  # woken while reading (whichever path read): one more, later
                self._again = False
                self.wake()

    def _on_timer_timeout(self) -> None:
        if self.mode != LOCAL:
            self.wake()
            return
        try:
            version = self._feed.data_version()
        except TrackerError as exc:
            log.warning("live feed: %s", exc)
            return
        if version != self._data_version:
            self._data_version = version
            self.wake()

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
        self.wake()  # what was committed while nobody listened
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
        self.wake()

    def _on_socket_activated(self) -> None:
        if self._listener is None:
            return
        try:
            ids = self._listener.drain()
        except TrackerError as exc:
            self._lost(str(exc))
            return
        if ids:  # a hint only: anyone may send one, and with any id in it
            self.wake()

    def _on_retry_timeout(self) -> None:
        if not self._connect():
            self._lost("reconnecting failed")
