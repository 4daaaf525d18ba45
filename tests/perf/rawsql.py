"""The app's own SQL, captured from peewee and replayed through a bare driver connection."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import Any

from tracker_gui.services import Services

Statement = tuple[str, tuple[Any, ...]]


class Recorder:
    """Wraps the peewee handle's execute_sql to keep the statements of one call."""

    def __init__(self, services: Services) -> None:
        self.db = services.database.peewee
        self.original = self.db.execute_sql
        self.statements: list[Statement] = []
        self.on = False

        def execute_sql(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            if self.on:
                self.statements.append((sql, tuple(params or ())))
            return self.original(sql, params, *args, **kwargs)

        self.db.execute_sql = execute_sql  # type: ignore[method-assign]

    def capture(self, fn: Callable[[], object]) -> list[Statement]:
        self.statements, self.on = [], True
        try:
            fn()
        finally:
            self.on = False
        return self.statements


class Raw:
    """A bare driver connection to the same database, the app's pragmas included."""

    def __init__(self, target: str) -> None:
        self.sqlite = not target.startswith("postgres")
        if self.sqlite:
            self.conn: Any = sqlite3.connect(target, isolation_level=None)
            for pragma in ("journal_mode=wal", "synchronous=full", "foreign_keys=1"):
                self.conn.execute(f"PRAGMA {pragma}")
        else:
            import psycopg

            self.conn = psycopg.connect(target, autocommit=True)

    def replay(self, statements: list[Statement]) -> None:
        writes = any(not s.lstrip().upper().startswith(("SELECT", "WITH")) for s, _ in statements)
        cur = self.conn.cursor()
        begun = False
        if writes:
            cur.execute("BEGIN IMMEDIATE" if self.sqlite else "BEGIN")
            begun = True
        for sql, params in statements:
            if sql.upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                continue
            cur.execute(sql, params)
            if cur.description is not None:
                cur.fetchall()
        if begun:
            cur.execute("COMMIT")


def ms(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000
