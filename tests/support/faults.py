"""Fault injection: make the Nth SQL statement of an open Database fail, and dump it to compare.

Every statement peewee sends, BEGIN / COMMIT / ROLLBACK included, goes through
`peewee.Database.cursor().execute`; `FaultPlan` wraps that cursor on one Database so the
Nth statement raises a chosen driver error (or, on PostgreSQL, really loses its connection)
instead of running. A fault fires once; later statements (the rollback) run normally.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import psycopg

from tracker_gui.storage.database import Database
from tracker_gui.storage.tables import ALL_TABLES

Fault = Callable[[Database], None]


def disk_io_error(database: Database) -> None:
    raise sqlite3.OperationalError("disk I/O error")


def disk_full(database: Database) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def pg_operational_error(database: Database) -> None:
    raise psycopg.OperationalError("server closed the connection unexpectedly")


def pg_dropped_connection(database: Database) -> None:
    """Really end this connection's server process; the statement then runs and fails."""
    conn = database.peewee.connection()
    pid = conn.info.backend_pid
    params = conn.info.get_parameters()
    killer = psycopg.connect(
        host=conn.info.host,
        port=conn.info.port,
        user="postgres",
        dbname=params.get("dbname", "postgres"),
        autocommit=True,
    )
    try:
        killer.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
    finally:
        killer.close()


SQLITE_FAULTS: dict[str, Fault] = {"disk I/O error": disk_io_error, "disk full": disk_full}
POSTGRES_FAULTS: dict[str, Fault] = {
    "psycopg.OperationalError": pg_operational_error,
    "dropped connection": pg_dropped_connection,
}


class _Cursor:
    """A driver cursor whose execute() goes through the plan first."""

    def __init__(self, plan: FaultPlan, cursor: Any) -> None:
        self._plan = plan
        self._cursor = cursor

    def execute(self, sql: str, params: Any = ()) -> Any:
        self._plan.before(sql)
        return self._cursor.execute(sql, params)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor, name)


class FaultPlan:
    """Counts statements on `database`; with `fail_at` set, the statement with that number
    (1-based) meets `fault` instead of running normally."""

    def __init__(self, database: Database, fault: Fault) -> None:
        self.database = database
        self.fault = fault
        self.fail_at: int | None = None
        self.count = 0
        self.fired_on: str | None = None
        self.committed_before_fault = False
        peewee_db = database.peewee
        self._original = peewee_db.cursor

        def cursor(named_cursor: Any = None) -> Any:
            return _Cursor(self, self._original())

        peewee_db.cursor = cursor  # type: ignore[method-assign]

    def arm(self, fail_at: int | None) -> None:
        self.fail_at = fail_at
        self.count = 0
        self.fired_on = None
        self.committed_before_fault = False

    def before(self, sql: str) -> None:
        self.count += 1
        if self.fired_on is not None:
            return
        if self.count == self.fail_at:
            self.fired_on = sql
            self.fault(self.database)
        elif sql.strip().upper() == "COMMIT":
            self.committed_before_fault = True

    def remove(self) -> None:
        del self.database.peewee.cursor


def dump(target: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every app table, read on a connection of its own, in a stable order.

    Id sequences are left out: PostgreSQL never rolls them back, and a skipped id is no loss.
    """
    names = [t._meta.table_name for t in ALL_TABLES]
    out: dict[str, list[tuple[str, ...]]] = {}
    if not target.startswith("postgresql://"):
        conn = sqlite3.connect(target)
        try:
            for name in names:
                rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                out[name] = sorted(tuple(repr(v) for v in row) for row in rows)
        finally:
            conn.close()
        return out
    with psycopg.connect(target) as pg:
        for name in names:
            rows = pg.execute(f'SELECT * FROM "{name}"').fetchall()
            out[name] = sorted(tuple(repr(v) for v in row) for row in rows)
    return out
