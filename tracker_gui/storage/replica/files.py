"""The replica file: where it lives, its own mark, its schema (Tracker's plus its own tables).

One SQLite file per shared database and login (`login@host:port/db`) in the data folder,
mode 0600, carrying REPLICA_APPLICATION_ID so `--db` refuses it (ownership.sqlite_owner). It
holds the normal Tracker schema, so the read services run on it unchanged, plus tables of
its own: `replica_meta` (server identity without password, login, cursor, last sync),
`replica_outbox`, `replica_entry` (conflicts and refusals) and `replica_key` (provisional keys).
"""

from __future__ import annotations

import hashlib
import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import peewee

from tracker_gui.errors import NotADatabaseError, StorageError
from tracker_gui.storage import ownership
from tracker_gui.storage.database import (
    MIGRATION_TABLE,
    MIGRATIONS_DIR,
    SQLITE_PRAGMAS,
    Database,
    _lower,
)
from tracker_gui.storage.errors import translated
from tracker_gui.storage.sqlite_check import SQLITE_HEADER

OWN_TABLES = [
    """CREATE TABLE IF NOT EXISTS replica_meta (
        name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID""",
    # One user action queued for the server: its op id, change set, and a JSON body with
    # the base and new value of every field it touches.
    """CREATE TABLE IF NOT EXISTS replica_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op_id TEXT NOT NULL UNIQUE,
        change_set TEXT NOT NULL,
        kind TEXT NOT NULL,
        issue_uid TEXT,
        body TEXT NOT NULL,
        made_at TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS replica_entry (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('conflict', 'refused')),
        op_id TEXT NOT NULL,
        issue_key TEXT NOT NULL,
        field TEXT,
        base TEXT, mine TEXT, theirs TEXT,
        theirs_by TEXT, theirs_at TEXT,
        message TEXT NOT NULL,
        body TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS replica_key (
        provisional TEXT PRIMARY KEY, issue_uid TEXT NOT NULL UNIQUE, real_key TEXT,
        real_uid TEXT) WITHOUT ROWID""",
]


def identity(url: str, login: str) -> str:
    """`login@host:port/db` of a server URL: what names a replica (never a password)."""
    from tracker_gui.storage import pg_url

    # A URL it cannot read gets the same plain words as opening it would (a bad port, host).
    pg_url.url_params(url, password="not-used-here")
    try:
        parts = urlsplit(url)
        host = parts.hostname or "localhost"
        port = parts.port or 5432
    except ValueError as exc:
        raise StorageError(f"cannot read the database URL: {exc}") from exc
    dbname = parts.path.lstrip("/") or login
    return f"{login}@{host}:{port}/{dbname}"


def replica_path(folder: Path, ident: str) -> Path:
    """A readable, file-system-safe name for `ident`, with a hash so two never collide."""
    readable = re.sub(r"[^A-Za-z0-9_.@-]+", "_", ident)[:80]
    digest = hashlib.sha256(ident.encode()).hexdigest()[:12]
    return folder / "replicas" / f"{readable}-{digest}.db"


def _stamp(path: Path) -> None:
    """Create the file with only its owner's rights and the replica's mark in the header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    conn = sqlite3.connect(path, timeout=5)
    try:
        conn.execute(f"PRAGMA application_id = {ownership.REPLICA_APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()


def _check(path: Path) -> None:
    with path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        raise NotADatabaseError(f"{path} is not a replica (not a SQLite file)")
    application_id, _ = ownership.header_marks(header)
    if application_id != ownership.REPLICA_APPLICATION_ID:
        raise NotADatabaseError(f"{path} is not an offline copy made by Tracker")


def exists(path: Path) -> bool:
    return path.exists() and path.stat().st_size > 0


def open_replica(path: Path, *, create: bool) -> Database:
    """Open (with `create`, make) the replica at `path`, migrated, with its own tables."""
    if not exists(path):
        if not create:
            raise StorageError(f"no offline copy at {path}", "run `tracker-gui sync` online")
        _stamp(path)
    _check(path)
    # secure_delete: rows of a project the login lost are overwritten, not left in free pages.
    pragmas = {**SQLITE_PRAGMAS, "secure_delete": 1}
    db = peewee.SqliteDatabase(str(path), pragmas=pragmas, lock_type="IMMEDIATE", timeout=5)
    db.register_function(_lower, "tracker_lower", 1, deterministic=True)
    database = Database(db, "sqlite", str(path), f"offline copy {path.name}")
    with translated(str(path)):
        db.connect()
        _migrate(database)
        for statement in OWN_TABLES:
            db.execute_sql(statement)
    os.chmod(path, 0o600)
    return database


def _migrate(database: Database) -> None:
    """Tracker's migrations, keeping the replica's own mark (database.migrate would stamp the
    file as a plain Tracker database)."""
    from playhouse.migrations import Runner

    with database.reading():
        runner = Runner(database.peewee, str(MIGRATIONS_DIR), table_name=MIGRATION_TABLE)
        runner.up()
        applied = len(runner.applied())
        database.peewee.execute_sql(f"PRAGMA user_version = {int(applied)}")


def meta(database: Database, name: str) -> str | None:
    row = database.peewee.execute_sql(
        "SELECT value FROM replica_meta WHERE name = ?", (name,)
    ).fetchone()
    return None if row is None else str(row[0])


def forget_cursor(database: Database) -> None:
    """The next pull copies everything again."""
    database.peewee.execute_sql("DELETE FROM replica_meta WHERE name IN ('cursor', 'seen')")


def set_meta(database: Database, values: dict[str, str]) -> None:
    for name, value in values.items():
        database.peewee.execute_sql(
            "INSERT INTO replica_meta (name, value) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def login_of(url: str) -> str:
    """The login a URL connects as (libpq's rule: the OS user when the URL names none)."""
    import getpass

    from psycopg.conninfo import conninfo_to_dict

    try:
        user = conninfo_to_dict(url).get("user")
    except Exception as exc:
        raise StorageError(f"cannot read the database URL: {exc}") from exc
    return str(user or getpass.getuser())
