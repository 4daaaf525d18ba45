"""Whose database is this: Tracker's ownership marks, checked without writing to anyone else's.

A SQLite file is Tracker's when its header carries APPLICATION_ID (bytes 68-71); its
user_version (bytes 60-63) is the number of applied migrations. Both are read from the raw
header before any connection opens, because opening a foreign file with a hot journal would
roll that journal back, which is a write. Files made before the mark existed are recognised
by Tracker's migration table, read through a read-only, immutable connection, and are marked
on their next upgrade. A PostgreSQL database is Tracker's when it holds the `tracker_meta`
table (migration 0005), or, made before that, the migration table.

Anything else that is not empty belongs to another program and is refused untouched.
"""

from __future__ import annotations

import enum
import logging
import re
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from tracker_gui.errors import (  # ForeignDatabaseError: re-exported, defined with the tree
    ForeignDatabaseError,
    NotADatabaseError,
    StorageError,
)

log = logging.getLogger(__name__)

APPLICATION_ID = 0x54524B47  # "TRKG": a Tracker database
# "TRKR": the local replica of a team database (offline team mode). It is not a database of
# its own: opening it with --db would let edits bypass the outbox that syncs it.
REPLICA_APPLICATION_ID = 0x54524B52
META_TABLE = "tracker_meta"
MIGRATION_TABLE = "schema_migration"
FIRST_MIGRATION = "0001_initial"
_MIGRATION_NAME = re.compile(r"^\d{4}_[a-z0-9_]+$")


class Opened(Protocol):
    """What the checks need of an open database (storage.database.Database has it)."""

    peewee: Any
    label: str


class NoDatabaseYet(StorageError):
    """No file, or a 0-byte one: only `init` (or the window, after asking) creates it."""


class ReplicaFileError(NotADatabaseError):
    """The offline replica of a team database, given where a database was expected."""


class Owner(enum.Enum):
    """What a check found; anything not listed here was refused with an error."""

    NEW = "new"  # no file, 0 bytes, or nothing in it: may be initialised
    OURS = "ours"  # carries Tracker's mark
    UNMARKED = "unmarked"  # made by a Tracker from before the marks: marked on upgrade


def foreign(label: str) -> ForeignDatabaseError:
    return ForeignDatabaseError(
        f"{label} is not a Tracker database (it belongs to another program)"
    )


def header_marks(header: bytes) -> tuple[int, int]:
    """(application_id, user_version) from the first 100 bytes of a SQLite file."""
    return int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")


def _journal_beside(path: Path) -> Path | None:
    for suffix in ("-journal", "-wal"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            return side
    return None


def _read_schema(path: Path, damaged_hint: str) -> tuple[set[str], list[str] | None]:
    """Every schema object's name, and the recorded migrations (None: no migration table).

    Read from the main file alone: `immutable` makes SQLite skip locks, the WAL and any
    journal, and with `mode=ro` it cannot write, so nothing appears beside the file.
    """
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            rows = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
            names = {str(name) for _, name in rows}
            tables = {str(name) for kind, name in rows if kind == "table"}
            if MIGRATION_TABLE not in tables:
                return names, None
            done = conn.execute(f'SELECT name FROM "{MIGRATION_TABLE}"').fetchall()
            return names, [str(r[0]) for r in done]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        message = " ".join(str(exc).split())
        raise NotADatabaseError(f"{path} is damaged: {message}", damaged_hint) from exc


def _is_tracker_history(names: set[str], migrations: list[str] | None) -> bool:
    """Tracker's migration table: it records 0001_initial, or it is all there is (the first
    migration was interrupted: its table is made before the migration's own transaction)."""
    if migrations is None or not all(_MIGRATION_NAME.match(m) for m in migrations):
        return False
    tables_besides = {n for n in names if not n.startswith("sqlite_")} - {MIGRATION_TABLE}
    return FIRST_MIGRATION in migrations or (not migrations and not tables_besides)


def sqlite_owner(path: Path, header: bytes, damaged_hint: str = "restore a backup") -> Owner:
    """Whose is the SQLite file at `path` (its 100-byte `header` already read and checked)?

    Raises ForeignDatabaseError / ReplicaFileError rather than return a foreign owner.
    """
    application_id, _ = header_marks(header)
    if application_id == APPLICATION_ID:
        return Owner.OURS
    if application_id == REPLICA_APPLICATION_ID:
        raise ReplicaFileError(
            f"{path} is the offline copy of a team database, not a database to open on its own",
            "connect to the team database by its postgresql:// URL",
        )
    if application_id != 0:  # another program stamped it with its own id
        raise foreign(str(path))
    journal = _journal_beside(path)
    if journal is not None and journal.name.endswith("-journal"):
        # A hot rollback journal would be rolled back by any ordinary open (a write), and
        # Tracker itself always runs in WAL mode: whoever left it, it is not ours to touch.
        raise _unreadable(path, journal)
    names, migrations = _read_schema(path, damaged_hint)
    if _is_tracker_history(names, migrations):
        return Owner.UNMARKED
    if not names:
        if journal is not None:  # its content may all be in the WAL, which we must not read
            raise _unreadable(path, journal)
        return Owner.NEW
    raise foreign(str(path))


def _unreadable(path: Path, journal: Path) -> ForeignDatabaseError:
    return ForeignDatabaseError(
        f"{path} carries no Tracker mark and has {journal.name} beside it: it was not opened,"
        " so that nothing in it changes",
        "if Tracker made it, open it once with the version that made it; otherwise pick"
        " another file",
    )


def check_backup_source(path: Path) -> None:
    """Refuse to restore from a file that is not a Tracker database (or is an empty one)."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise NotADatabaseError(f"{path} is not a Tracker backup (not a SQLite file)")
    if sqlite_owner(path, header, "pick another backup") is Owner.NEW:
        raise NotADatabaseError(f"{path} is an empty database, not a Tracker backup")


def stamp_new_file(path: Path) -> None:
    """Mark a file that is about to become a Tracker database, before its first migration.

    A connection of its own in the file's current journal mode: for a new file the mark
    lands in the main file at once, so even a first run killed mid-migration leaves a file
    that is recognised as Tracker's.
    """
    conn = sqlite3.connect(path, timeout=5)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
    finally:
        conn.close()


def mark_sqlite(database: Opened, applied: int) -> None:
    """Put the mark and the schema version (`applied` migrations) into the header if stale."""
    conn = database.peewee
    application_id = int(conn.execute_sql("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute_sql("PRAGMA user_version").fetchone()[0])
    if application_id == APPLICATION_ID and version == applied:
        return
    with conn.atomic():
        conn.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute_sql(f"PRAGMA user_version = {int(applied)}")
    if application_id != APPLICATION_ID:
        log.info("marked %s as a Tracker database (schema version %d)", database.label, applied)


# -- PostgreSQL ---------------------------------------------------------------------------------
# Every relation a program could own, in every schema but the system's own.
_USER_RELATIONS = """
    SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
      AND n.nspname <> 'information_schema' AND left(n.nspname, 3) <> 'pg_'"""


def postgres_owner(database: Opened) -> Owner:
    """Whose is this PostgreSQL database? Reads the catalog only; raises if another program's."""
    conn = database.peewee
    relations = {(str(s), str(n)) for s, n in conn.execute_sql(_USER_RELATIONS).fetchall()}
    if ("public", META_TABLE) in relations:
        return Owner.OURS
    if not relations:
        return Owner.NEW
    if ("public", MIGRATION_TABLE) in relations:
        rows = conn.execute_sql(f'SELECT name FROM public."{MIGRATION_TABLE}"').fetchall()
        names = {f"{s}.{n}" if s != "public" else n for s, n in relations}
        if _is_tracker_history(names, [str(r[0]) for r in rows]):
            return Owner.UNMARKED
    raise foreign(database.label)


def empty_postgres(database: Opened) -> StorageError:
    """What every command but `init` says on an empty PostgreSQL database."""
    return NoDatabaseYet(
        f"{database.label} is an empty database: Tracker has not been set up in it yet",
        "an administrator sets it up with `tracker-gui admin setup-postgres --url"
        " postgresql://SUPERUSER@HOST/DATABASE`",
    )


def record_postgres_version(database: Opened, version: int) -> None:
    """Keep tracker_meta's schema version current (after migrations, by whoever ran them)."""
    conn = database.peewee
    row = conn.execute_sql(f"SELECT to_regclass('public.{META_TABLE}')").fetchone()
    if row is None or row[0] is None:  # migrations before 0005 only (tests pin the folder)
        return
    conn.execute_sql(
        f"UPDATE public.{META_TABLE} SET schema_version = %s WHERE schema_version <> %s",
        (version, version),
    )
