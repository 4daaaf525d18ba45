"""A dedicated autocommit PostgreSQL connection that LISTENs for new Change ids.

The live feed watches `fileno()` (a QSocketNotifier in the UI) and calls `drain()` when it
is readable. Only ids travel on the channel (see migration 0004); the rows are read back
through the normal connection. psycopg is imported here only when a listener is opened.
"""

from __future__ import annotations

import logging
from typing import Any

from tracker_gui.errors import StorageError
from tracker_gui.storage import _driver
from tracker_gui.storage.database import Database, with_timeouts

log = logging.getLogger(__name__)

CHANNEL = "tracker_change"
LISTEN_TIMEOUT_S = 5
MAX_IDS = 1000  # what one drain hands back; the rest of a flood is read and dropped


class ListenerLost(StorageError):
    """The LISTEN connection is gone (server restart, network, pg_terminate_backend)."""


class Listener:
    """One LISTEN connection; `drain()` returns the Change ids announced since the last call."""

    def __init__(self, conn: Any, label: str) -> None:
        self._conn = conn
        self.label = label

    @classmethod
    def open(cls, database: Database, channel: str = CHANNEL) -> Listener:
        """Connect with the same parameters as `database` and LISTEN on `channel`."""
        if database.is_sqlite:
            raise StorageError("a SQLite file has no LISTEN/NOTIFY", "poll data_version instead")
        _driver.enable_psycopg()
        import psycopg

        params = dict(database.peewee.connect_params)
        params["dbname"] = database.peewee.database
        params["connect_timeout"] = min(int(params.get("connect_timeout", 10)), LISTEN_TIMEOUT_S)
        params["application_name"] = "tracker-gui listen"
        # This connection only LISTENs and waits: no interactive limits (0 = none).
        params["options"] = with_timeouts(str(params.get("options") or ""), "0", "0")
        try:
            conn = psycopg.connect(autocommit=True, **params)
            conn.execute(f'LISTEN "{channel}"')
        except psycopg.Error as exc:
            raise ListenerLost(f"cannot listen on {database.label}: {exc}") from exc
        return cls(conn, database.label)

    def fileno(self) -> int:
        return int(self._conn.pgconn.socket)

    @property
    def backend_pid(self) -> int:
        """The server process of this connection (what pg_terminate_backend takes)."""
        return int(self._conn.info.backend_pid)

    def drain(self) -> list[int]:
        """The ids announced so far (at most MAX_IDS of them; every waiting notification is
        consumed), without blocking; raises ListenerLost when it dropped.

        Any login may NOTIFY on the channel, with anything in it: the ids are a hint only, and
        a flood costs one log line per drain, not one per notification."""
        import psycopg
        from psycopg.pq import ConnStatus

        pgconn = self._conn.pgconn
        try:
            pgconn.consume_input()
        except psycopg.Error as exc:
            raise ListenerLost(f"lost the live connection to {self.label}: {exc}") from exc
        ids: list[int] = []
        malformed = 0
        while (notify := pgconn.notifies()) is not None:
            try:
                number = int(notify.extra.decode("ascii"))
            except (ValueError, UnicodeDecodeError):
                malformed += 1
                continue
            if len(ids) < MAX_IDS:
                ids.append(number)
        if malformed:
            log.warning("ignored %d malformed notification(s) on %s", malformed, CHANNEL)
        if pgconn.status != ConnStatus.OK:
            raise ListenerLost(f"lost the live connection to {self.label}")
        return ids

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # closing a dead connection must never raise
            log.debug("closing the listener failed", exc_info=True)
