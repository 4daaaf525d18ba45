"""Open a database by path (SQLite) or URL (PostgreSQL), check it, back it up, migrate it."""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import peewee

from tracker_gui.errors import NotADatabaseError, StorageError
from tracker_gui.storage import _driver, backup, compact, ownership, pg_session, pg_url
from tracker_gui.storage.binding import TABLES_DB
from tracker_gui.storage.errors import translated
from tracker_gui.storage.ownership import (
    NoDatabaseYet,  # re-exported: callers import it from here
)
from tracker_gui.storage.sqlite_check import (  # re-exported: callers import them from here
    check_sqlite_file,
    quick_check_problems,
)

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
MIGRATION_TABLE = ownership.MIGRATION_TABLE
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "cache_size": -32000,
}
# Interactive work on PostgreSQL gives up instead of hanging: a lock someone holds (any
# login may try `LOCK TABLE`) or a runaway query becomes a plain StorageError in seconds.
LOCK_TIMEOUT = "3s"
STATEMENT_TIMEOUT = "15s"
# What `Database.long_running()` allows imports, exports, attachments and admin commands.
LONG_LOCK_TIMEOUT = "1min"
LONG_STATEMENT_TIMEOUT = "15min"


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


class Database:
    """One open database: the peewee handle plus what the app needs to know about it."""

    def __init__(self, db: peewee.Database, kind: str, target: str, label: str) -> None:
        self.peewee = db
        self.kind = kind
        self.target = target
        self.label = label
        # A secured PostgreSQL database (admin setup-postgres) sets versions, timestamps and
        # writes the Change log itself in triggers: the repositories then leave those alone.
        self.server_managed = False
        self.take_changes = False  # PostgreSQL: the history read-back is one call
        # Per thread, like peewee's connection state: the change set of the open transaction.
        self._action = threading.local()
        # Per thread too: each thread has its own connection, so its own timeouts.
        self._long = threading.local()

    @property
    def is_sqlite(self) -> bool:
        return self.kind == "sqlite"

    @contextlib.contextmanager
    def bound(self) -> Iterator[None]:
        """Point the table classes at this database, in this thread (storage/binding.py), for
        the block; a thread with none chosen yet keeps it until close() (one database open)."""
        self._drop_broken_connection()
        current = TABLES_DB.obj
        if current is self.peewee:
            yield
            return
        TABLES_DB.initialize(self.peewee)
        if current is None:
            yield
            return
        try:
            yield
        finally:
            TABLES_DB.initialize(current)

    def _drop_broken_connection(self) -> None:
        """Forget a PostgreSQL connection the server closed (restart, pg_terminate_backend):
        the call that met the failure raised StorageError; the next one connects afresh."""
        if self.is_sqlite or self.peewee.is_closed() or self.peewee.in_transaction():
            return
        conn = self.peewee.connection()
        if getattr(conn, "closed", False) or getattr(conn, "broken", False):
            log.info("connection to %s was lost; reconnecting", self.label)
            with contextlib.suppress(Exception):
                self.peewee.close()

    def ping(self) -> bool:
        """Whether the database answers now; a connection found dead is replaced once.

        Never raises: the connection monitor calls it on a timer while the server is away.
        """
        for attempt in (1, 2):
            try:
                with self.reading():
                    self.peewee.execute_sql("SELECT 1").fetchone()
                return True
            except StorageError as exc:
                log.info("ping %s (attempt %d): %s", self.label, attempt, exc)
                self._forget_connection()
        return False

    def _forget_connection(self) -> None:
        with contextlib.suppress(Exception):
            self.peewee.close()
        if not self.peewee.is_closed():
            self.peewee.dispose()  # still "in a transaction" on a dead socket: reset peewee

    def reconnect(self) -> None:
        """Drop the connection and open a new one; StorageError when the server is unreachable."""
        with contextlib.suppress(Exception):
            if not self.peewee.is_closed():
                self.peewee.close()
        with translated(self.label):
            self.peewee.connect()

    @property
    def change_set(self) -> str | None:
        """The change set of the write transaction open on this thread (None outside one)."""
        return getattr(self._action, "change_set", None)

    @contextlib.contextmanager
    def transaction(
        self, change_set: str | None = None, *, origin: str | None = None, op_id: str | None = None
    ) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE on SQLite); driver errors become app errors.

        The outermost one is one user action: it carries a change set, `change_set` when
        given (a queued action pushed later keeps its own), else a fresh UUID. A nested
        block (a savepoint) is part of the enclosing action and keeps its set.
        """
        pending: list[Callable[[], None]] = []
        fresh = (change_set or str(uuid.uuid4())) if self.change_set is None else None
        session = self.peewee if isinstance(self.peewee, pg_session.PgDatabase) else None
        if fresh is None or not self.server_managed:
            session = None  # only a secured database's outermost action arms its BEGIN
        if session is not None and fresh is not None:
            # The settings below ride on the BEGIN (pg_session) unless it was sent already.
            session.arm(pg_session.settings_sql(fresh, origin, op_id))
        try:
            with translated(self.label), self.bound(), self.peewee.atomic():
                if fresh is None:
                    yield
                    return
                self._action.change_set = fresh
                self._action.after = pending
                try:
                    if session is not None and session.carried():
                        pass  # the BEGIN carried the settings
                    elif self.server_managed or (not self.is_sqlite and (origin or op_id)):
                        # The history triggers write the Change rows: the columns' DEFAULTs
                        # (migrations 0006, 0011) read these settings, which end with the
                        # transaction; a push of a queued action names its replica and op id.
                        self.peewee.execute_sql(
                            "SELECT set_config('tracker.change_set', %s, true),"
                            " set_config('tracker.origin', %s, true),"
                            " set_config('tracker.op_id', %s, true)",
                            (self._action.change_set, origin or "", op_id or ""),
                        )
                    yield
                finally:
                    self._action.change_set = None
                    self._action.after = None
        finally:
            if session is not None:
                session.disarm()
        for callback in pending:  # committed: what waited for it may go
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the outermost transaction open on this thread has committed
        (at once outside one); a rollback drops it. A nested block's events wait for this."""
        pending = getattr(self._action, "after", None)
        if pending is None:
            callback()
        else:
            pending.append(callback)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """One consistent view for a long read (an export); it never blocks writers."""
        if self.is_sqlite:
            txn = self.peewee.atomic(lock_type="DEFERRED")
        else:
            import psycopg

            txn = self.peewee.atomic(isolation_level=psycopg.IsolationLevel.REPEATABLE_READ)
        with translated(self.label), self.bound(), txn:
            yield

    @contextlib.contextmanager
    def long_running(self) -> Iterator[None]:
        """Minutes instead of seconds for the block's statements and lock waits (PostgreSQL).

        Set for the session, not `SET LOCAL`, because an import or export spans several
        transactions; put back on the way out. Should that fail the connection is dropped,
        and the next one starts with the interactive limits from its `options` again.
        """
        depth = getattr(self._long, "depth", 0)
        if self.is_sqlite or depth:
            self._long.depth = depth + 1
            try:
                yield
            finally:
                self._long.depth = depth
            return
        self._set_timeouts(LONG_LOCK_TIMEOUT, LONG_STATEMENT_TIMEOUT)
        self._long.depth = 1
        try:
            yield
        finally:
            self._long.depth = 0
            try:
                self._set_timeouts(LOCK_TIMEOUT, STATEMENT_TIMEOUT)
            except StorageError:
                log.info("could not restore the timeouts on %s; reconnecting", self.label)
                self._forget_connection()

    def _set_timeouts(self, lock: str, statement: str) -> None:
        with self.reading():
            self.peewee.execute_sql(
                "SELECT set_config('lock_timeout', %s, false),"
                " set_config('statement_timeout', %s, false)",
                (lock, statement),
            ).fetchone()

    def timeouts(self) -> tuple[str, str]:
        """The session's (lock_timeout, statement_timeout) as PostgreSQL shows them."""
        with self.reading():
            row = self.peewee.execute_sql(
                "SELECT current_setting('lock_timeout'), current_setting('statement_timeout')"
            ).fetchone()
        return str(row[0]), str(row[1])

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with translated(self.label), self.bound():
            yield

    def session_user(self) -> str:
        """Who is acting: the login role on PostgreSQL, the OS user on a local file."""
        if self.is_sqlite:
            try:
                return getpass.getuser()
            except (KeyError, OSError):
                return "me"
        with self.reading():
            return str(self.peewee.execute_sql("SELECT session_user").fetchone()[0])

    def data_version(self) -> int:
        """SQLite's counter that moves when another connection commits (cheap to poll)."""
        with self.reading():
            return int(self.peewee.execute_sql("PRAGMA data_version").fetchone()[0])

    def integrity_problems(self) -> list[str]:
        """Full integrity check; an empty list means the database is healthy."""
        with self.reading():
            if self.is_sqlite:
                rows = self.peewee.execute_sql("PRAGMA integrity_check").fetchall()
                problems = [r[0] for r in rows if r[0] != "ok"]
                fk = self.peewee.execute_sql("PRAGMA foreign_key_check").fetchall()
                problems += [f"foreign key broken in {r[0]} row {r[1]}" for r in fk]
                return problems
            self.peewee.execute_sql("SELECT count(*) FROM issue").fetchone()
            return []

    def refresh_statistics(self) -> None:
        """After a bulk load on PostgreSQL: ANALYZE now, so the next queries are planned on
        the real row counts instead of waiting for autovacuum (a fresh 10,000-issue demo
        read its board data in 65 ms before, 26 ms after). SQLite keeps its planner's defaults."""
        if self.is_sqlite:
            return
        with self.reading():
            self.peewee.execute_sql("ANALYZE")

    def quick_problems(self) -> list[str]:
        """A quick_check of a SQLite file (empty when healthy; always empty on PostgreSQL).

        Runs on a connection of its own, so the window can check in the background.
        """
        return quick_check_problems(Path(self.target)) if self.is_sqlite else []

    def backup_to(self, dest: Path) -> Path:
        """Copy the live database with SQLite's online backup API (safe while in use)."""
        if not self.is_sqlite:
            raise StorageError(
                "backup of a PostgreSQL database is the server's job", "use pg_dump on the server"
            )
        dest = Path(dest)
        if dest.exists():
            raise StorageError(f"{dest} already exists", "choose a new file name")
        with translated(str(dest)), self.bound():
            source = self.peewee.connection()
            target = sqlite3.connect(dest)
            try:
                source.backup(target)
            finally:
                target.close()
        return dest

    def password(self) -> str | None:
        """The password given when this PostgreSQL connection was opened (a sync reuses it)."""
        value = getattr(self.peewee, "connect_params", {}).get("password")
        return str(value) if value else None

    def close(self) -> None:
        if TABLES_DB.obj is self.peewee:
            TABLES_DB.initialize(None)  # the next database this thread opens binds them
        if not self.peewee.is_closed():
            self.peewee.close()


def _lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


def _open_sqlite(path: Path, create: bool, quick_check: bool = True) -> Database:
    if path.is_dir():  # before the size test: some file systems report a folder as 0 bytes
        raise NotADatabaseError(f"{path} is a folder, not a database file")
    owner = ownership.Owner.NEW
    if not path.exists() or path.stat().st_size == 0:
        if not create:
            raise NoDatabaseYet(
                f"no database at {path} yet", "run `tracker-gui init` to create one"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder {path.parent}: {exc.strerror}") from exc
        if not os.access(path.parent, os.W_OK):
            raise StorageError(f"cannot create {path}: the folder is read-only")
    else:
        owner = check_sqlite_file(path, quick_check=quick_check)
    if owner is ownership.Owner.NEW:
        with translated(str(path)):
            ownership.stamp_new_file(path)
    db = peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", timeout=5)
    db.register_function(_lower, "tracker_lower", 1, deterministic=True)
    database = Database(db, "sqlite", str(path), str(path))
    with translated(str(path)):
        db.connect()
    return database


def _postgres_params(url: str, password: str | None = None) -> tuple[str, dict[str, Any], str]:
    """The driver's parameters for `url`, the app's timeouts in every connection's options."""
    dbname, params, label = pg_url.url_params(url, password)
    # In the startup packet, so every connection peewee opens (reconnects too) has them.
    params["options"] = with_timeouts(str(params.get("options") or ""))
    return dbname, params, label


def with_timeouts(options: str, lock: str | None = None, statement: str | None = None) -> str:
    """libpq `options` with the app's timeouts last (the last `-c` of a setting wins)."""
    lock = LOCK_TIMEOUT if lock is None else lock
    statement = STATEMENT_TIMEOUT if statement is None else statement
    ours = f"-c lock_timeout={lock} -c statement_timeout={statement}"
    return f"{options} {ours}".strip()


def _open_postgres(url: str, password: str | None = None) -> Database:
    _driver.enable_psycopg()
    dbname, params, label = _postgres_params(url, password)
    db = pg_session.PgDatabase(dbname, **params)
    safe = urlsplit(url)._replace(netloc=pg_url.safe_netloc(url)).geturl()
    database = Database(db, "postgres", safe, label)
    with translated(label):
        db.connect()
        row = db.execute_sql(
            "SELECT to_regprocedure('public.tracker_security_version()') IS NOT NULL,"
            " to_regprocedure('public.tracker_take_changes()') IS NOT NULL"
        ).fetchone()
        database.server_managed = bool(row and row[0])
        # A server set up by an older version lacks it until setup-postgres runs again.
        database.take_changes = bool(row and row[1])
    return database


def _applied(database: Database) -> set[str]:
    """The recorded migrations, read without playhouse.migrations
    (which imports psycopg: a fifth of a one-shot command's time on a local file)."""
    with database.reading():
        if not database.peewee.table_exists(MIGRATION_TABLE):
            return set()
        cursor = database.peewee.execute_sql(f'SELECT name FROM "{MIGRATION_TABLE}"')
        return {row[0] for row in cursor.fetchall()}


def _record_version(database: Database, applied: set[str] | None = None) -> None:
    """Write the schema version into the ownership mark (SQLite header / tracker_meta)."""
    version = len(_applied(database) if applied is None else applied)
    with translated(database.label), database.bound():
        if database.is_sqlite:
            ownership.mark_sqlite(database, version)
        else:
            ownership.record_postgres_version(database, version)


def _may_migrate(database: Database) -> bool:
    """A secured database is migrated only by setup-postgres (a superuser acting as owner)."""
    with database.reading():
        row = database.peewee.execute_sql(
            "SELECT rolsuper OR pg_has_role(current_user, 'tracker_owner', 'USAGE')"
            " FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    return bool(row and row[0])


def migrate(database: Database, *, create: bool = True) -> list[str]:
    """Apply pending migrations; a SQLite file with data is backed up first.

    Only a database of Tracker's is touched: a PostgreSQL database of another program is
    refused here, and an empty one is set up only with `create` (SQLite files were checked
    before they were opened). The schema version is then recorded in the ownership mark.
    """
    if not database.is_sqlite:
        with translated(database.label), database.bound():
            owner = ownership.postgres_owner(database)
        if owner is ownership.Owner.NEW and not create:
            raise ownership.empty_postgres(database)
    done = _applied(database)
    if {p.stem for p in MIGRATIONS_DIR.glob("[0-9]*.py")} <= done:
        if database.is_sqlite:  # a file from before the marks, or one just restored
            _record_version(database, done)
        return []
    from playhouse.migrations import Runner

    with database.reading():
        runner = Runner(database.peewee, str(MIGRATIONS_DIR), table_name=MIGRATION_TABLE)
        pending = [m.name for m in runner.status() if not m.applied and m.path]
    if not pending:
        if database.is_sqlite:
            _record_version(database)
        return []
    if database.server_managed and not _may_migrate(database):
        raise StorageError(
            f"{database.label} needs an update of its schema ({', '.join(pending)}) that only"
            " an administrator may make",
            "ask them to run `tracker-gui admin setup-postgres --url postgresql://SUPERUSER@...`",
        )
    if database.is_sqlite and runner.applied():
        # Checked, and named to the microsecond: a restart after a migration was killed
        # must not collide with the backup that attempt took.
        dest = backup.take(database, f"before-{pending[0]}")
        log.info("backed up %s to %s before migrating", database.target, dest)
    with database.reading():
        applied: list[str] = runner.up()
    log.info("applied migrations %s", applied)
    _record_version(database)
    compact.after_migrating(database, applied)
    return applied


def open_database(
    target: str | os.PathLike[str],
    *,
    create: bool = False,
    quick_check: bool = True,
    password: str | None = None,
) -> Database:
    """Open (and with `create`, make) a database, checked and migrated to the current schema.

    `password` (PostgreSQL) goes to the driver only; without it the keychain is asked.
    """
    text = os.fspath(target)
    if is_url(text):
        database = _open_postgres(text, password)
    else:
        database = _open_sqlite(Path(text).expanduser(), create, quick_check)
    try:
        migrate(database, create=create)
    except BaseException:
        database.close()
        raise
    return database
