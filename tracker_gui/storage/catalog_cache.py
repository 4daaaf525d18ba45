"""What every write reads and almost never changes (workflows, project ids, users, labels),
kept between calls and dropped as soon as the change log or another connection says so.

A status change used to read its project's statuses and transitions each time, and a create
its project, users and labels: a handful of queries for rows that change a few times a
year. Entries here are trusted only while nothing could have changed them:

- every catalog write of this process (CatalogRepo's write methods, and any project-level
  Change row it appends: workflow edits are logged with no issue) moves `generation`;
- on SQLite, `PRAGMA data_version` moves when another connection commits; then workflows
  and project ids are checked against the change log (the newest project-level Change id,
  one index look-up) and users and labels are dropped, since they are not logged;
- on PostgreSQL that change-log check runs on every use (another client may have changed
  the workflow; the secured database's triggers log it), and users and labels are not kept.

Nothing read after a catalog write inside a transaction is kept (until a call outside any
transaction): that transaction may still roll the write back.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from tracker_gui.storage.database import Database

T = TypeVar("T")

# The newest Change row that belongs to no issue: project, workflow and label edits.
_TOKEN_SQL = 'SELECT MAX("id") FROM "change" WHERE "issue_id" IS NULL'


@dataclass
class _State:
    generation: int = 0
    # A catalog write inside a transaction that has not ended yet: it may be rolled back,
    # so nothing read until the next call outside a transaction is kept.
    tainted: bool = False
    # (connection, data_version, generation, token) the entries were checked against
    seen: tuple[Any, int, int, int] | None = None
    logged: dict[Any, Any] = field(default_factory=dict)  # workflows, project ids
    unlogged: dict[Any, Any] = field(default_factory=dict)  # users, labels (SQLite only)


_STATES: weakref.WeakKeyDictionary[Database, _State] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _state(database: Database) -> _State:
    with _LOCK:
        found = _STATES.get(database)
        if found is None:
            found = _STATES[database] = _State()
        return found


def changed(database: Database) -> None:
    """A catalog row was written by this process: nothing cached is trusted again."""
    state = _state(database)
    with _LOCK:
        state.generation += 1
        state.tainted = state.tainted or database.peewee.in_transaction()
        state.logged.clear()
        state.unlogged.clear()
        state.seen = None


def _token(database: Database) -> int:
    row = database.peewee.execute_sql(_TOKEN_SQL).fetchone()
    return int(row[0] or 0) if row else 0


def _validate(database: Database, state: _State, token: int | None = None) -> None:
    """Drop whatever may be stale (call inside database.reading())."""
    if database.is_sqlite:
        conn = database.peewee.connection()
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        seen = state.seen
        if seen is not None and (seen[0], seen[1], seen[2]) == (conn, version, state.generation):
            return
        token = _token(database)
        with _LOCK:
            state.unlogged.clear()
            if seen is None or seen[3] != token or seen[2] != state.generation:
                state.logged.clear()
            state.seen = (conn, version, state.generation, token)
        return
    if token is None:
        token = _token(database)
    with _LOCK:
        seen = state.seen
        if seen is None or seen[3] != token or seen[2] != state.generation:
            state.logged.clear()
        state.seen = (None, 0, state.generation, token)


def cached(
    database: Database, key: Any, load: Callable[[], T], *, logged: bool, token: int | None = None
) -> T:
    """`load()`'s answer for `key`, reused while still valid (see the module docstring).

    `logged` entries (workflows, project ids) are those whose every change writes a
    project-level Change row; the others are kept on SQLite only. `token` (PostgreSQL) is
    the log's token as the caller read it in its own statement just now: it saves a round trip.
    """
    state = _state(database)
    with database.reading():
        _validate(database, state, token)
        store = state.logged if logged else state.unlogged
        if not logged and not database.is_sqlite:
            return load()
        if key in store:
            return cast(T, store[key])
        if not database.peewee.in_transaction():
            state.tainted = False
        generation = state.generation
        value = load()
        with _LOCK:
            if state.generation == generation and not state.tainted:
                store[key] = value
        return value
