"""Ownership marks: another program's SQLite file or PostgreSQL database is never written;
Tracker's own files, new, empty or made before the marks, are recognised and marked."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.old_schema import undo_migrations
from tests.support.pgcluster import PgCluster
from tracker_gui.domain.models import IssueFilter, NewIssue
from tracker_gui.errors import NotADatabaseError
from tracker_gui.services import open_services
from tracker_gui.storage import database as database_module
from tracker_gui.storage.database import NoDatabaseYet, open_database
from tracker_gui.storage.ownership import (
    APPLICATION_ID,
    REPLICA_APPLICATION_ID,
    ForeignDatabaseError,
    ReplicaFileError,
)
from tracker_gui.storage.postgres import provision

REAL_MIGRATIONS = sorted(p.stem for p in database_module.MIGRATIONS_DIR.glob("[0-9]*.py"))
# What the Tracker released before the marks applied: everything up to 0005_tracker_meta.
BEFORE_MARKS = [m for m in REAL_MIGRATIONS if m < "0005"]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder with its hash: a -wal, -shm, journal or change shows up."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def header_marks(path: Path) -> tuple[int, int]:
    """(application_id, user_version) as the raw header holds them."""
    with path.open("rb") as fh:
        header = fh.read(100)
    return int.from_bytes(header[68:72], "big"), int.from_bytes(header[60:64], "big")


def users_file(path: Path) -> None:
    """Another program's database: a `users` table with a row."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.commit()
    conn.close()


def clashing_file(path: Path) -> None:
    """Another program's database whose tables share Tracker's names, but not its columns."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE project (id INTEGER PRIMARY KEY, key TEXT)")
    conn.execute("CREATE TABLE issue (id INTEGER PRIMARY KEY, project_id INTEGER, summary TEXT)")
    conn.execute("INSERT INTO project (key) VALUES ('OTHER')")
    conn.execute("INSERT INTO issue (project_id, summary) VALUES (1, 'not ours')")
    conn.commit()
    conn.close()


def stamped_file(application_id: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute(f"PRAGMA application_id = {application_id}")
        conn.commit()
        conn.close()

    return make


FOREIGN = {
    "users-table": users_file,
    "project-and-issue-tables": clashing_file,
    "another-application-id": stamped_file(0x0F055112),
}


def made_before_the_marks(target: Path | str) -> None:
    """What the Tracker released before the marks left: no mark table, no change sets."""
    undo_migrations(target)


def unmark(path: Path) -> None:
    """What a file made by the Tracker before the marks looks like: no application id."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 0")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    assert header_marks(path) == (0, 0)


def old_tracker_file(path: Path) -> None:
    """A database as the previous Tracker release left it: 0001-0004, two issues, no mark."""
    services = open_services(path, create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    services.issues.create(NewIssue("TRK", "Made before the marks"))
    services.issues.create(NewIssue("TRK", "Also before"))
    services.close()
    made_before_the_marks(path)
    unmark(path)


# -- SQLite: another program's file -------------------------------------------------------------
@pytest.mark.parametrize("create", [False, True], ids=["open", "create"])
@pytest.mark.parametrize("kind", sorted(FOREIGN))
def test_another_programs_sqlite_file_is_refused_byte_for_byte_unchanged(
    tmp_path: Path, tracker_home: Path, kind: str, create: bool
) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir()
    path = folder / "other.sqlite"
    FOREIGN[kind](path)
    before = folder_state(folder)
    for _attempt in range(2):  # a retry must not write a backup copy either
        with pytest.raises(ForeignDatabaseError) as info:
            open_database(path, create=create)
        assert (
            str(info.value) == f"{path} is not a Tracker database (it belongs to another program)"
        )
        assert folder_state(folder) == before
    assert not (tracker_home / "data" / "backups").exists()


def test_a_foreign_file_with_its_wal_beside_it_is_refused_and_neither_is_written(
    tmp_path: Path,
) -> None:
    """As another program left it after a crash: WAL mode, committed rows still in the WAL."""
    live = tmp_path / "live"
    live.mkdir()
    conn = sqlite3.connect(live / "app.sqlite")
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO users (name) VALUES ('ada')")
    conn.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("app.sqlite", "app.sqlite-wal"):
        shutil.copy(live / name, crashed / name)
    conn.close()
    before = folder_state(crashed)
    with pytest.raises(ForeignDatabaseError):
        open_database(crashed / "app.sqlite", create=True)
    assert folder_state(crashed) == before  # no -shm, the WAL neither replayed nor removed


def test_a_foreign_file_with_a_hot_journal_is_refused_and_not_rolled_back(tmp_path: Path) -> None:
    """A hot rollback journal is rolled back by any ordinary open: a write to their file."""
    live = tmp_path / "live"
    live.mkdir()
    users_file(live / "app.sqlite")
    conn = sqlite3.connect(live / "app.sqlite", isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spill to the file mid-transaction
    conn.execute("BEGIN")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
        " INSERT INTO users (name) SELECT printf('user %d %.200c', i, 'x') FROM n"
    )
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("app.sqlite", "app.sqlite-journal"):
        shutil.copy(live / name, crashed / name)
    conn.execute("ROLLBACK")
    conn.close()
    before = folder_state(crashed)
    assert "app.sqlite-journal" in before
    with pytest.raises(ForeignDatabaseError) as info:
        open_database(crashed / "app.sqlite")
    assert "app.sqlite-journal" in str(info.value)
    assert folder_state(crashed) == before


def test_the_offline_replica_is_refused_as_a_database(tmp_path: Path) -> None:
    path = tmp_path / "replica.db"
    stamped_file(REPLICA_APPLICATION_ID)(path)
    before = folder_state(tmp_path)
    with pytest.raises(ReplicaFileError) as info:
        open_database(path, create=True)
    assert "offline copy of a team database" in str(info.value)
    assert "postgresql://" in info.value.hint
    assert folder_state(tmp_path) == before


# -- SQLite: files that are, or may become, Tracker's ------------------------------------------
def test_a_zero_byte_file_is_initialised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    path.touch()
    open_database(path, create=True).close()
    assert header_marks(path) == (APPLICATION_ID, len(REAL_MIGRATIONS))


def test_an_empty_sqlite_file_is_initialised_and_marked(tmp_path: Path) -> None:
    path = tmp_path / "tracker.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE scratch (x)")
    conn.execute("DROP TABLE scratch")
    conn.commit()
    conn.close()
    assert path.stat().st_size > 0
    services = open_services(path, actor="alice")
    try:
        services.projects.ensure_project("TRK", "Tracker")
    finally:
        services.close()
    assert header_marks(path) == (APPLICATION_ID, len(REAL_MIGRATIONS))


def test_a_file_from_the_tracker_before_the_marks_is_migrated_and_marked(
    tmp_path: Path, tracker_home: Path
) -> None:
    path = tmp_path / "tracker.db"
    old_tracker_file(path)
    services = open_services(path, actor="alice")
    try:
        titles = {i.title for i in services.issues.search(IssueFilter())}
    finally:
        services.close()
    assert titles == {"Made before the marks", "Also before"}
    assert header_marks(path) == (APPLICATION_ID, len(REAL_MIGRATIONS))
    # The usual backup before a migration: the old file, unmarked as it was.
    backups = list((tracker_home / "data" / "backups").glob("tracker-*-before-0005_*.db"))
    assert len(backups) == 1
    assert header_marks(backups[0]) == (0, 0)


def test_an_unmarked_tracker_file_on_the_current_schema_is_marked_without_a_backup(
    tmp_path: Path, tracker_home: Path
) -> None:
    path = tmp_path / "tracker.db"
    open_database(path, create=True).close()
    unmark(path)
    open_database(path).close()
    assert header_marks(path) == (APPLICATION_ID, len(REAL_MIGRATIONS))
    assert not (tracker_home / "data" / "backups").exists()


def test_an_unmarked_tracker_file_left_with_its_wal_after_a_crash_is_recognised(
    tmp_path: Path,
) -> None:
    """Its main file holds the migration table; the issue in the WAL is kept, not lost."""
    live = tmp_path / "live"
    live.mkdir()
    old_tracker_file(live / "tracker.db")
    conn = sqlite3.connect(live / "tracker.db")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE issue SET title = 'Renamed just before the crash' WHERE number = 1")
    conn.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("tracker.db", "tracker.db-wal"):
        shutil.copy(live / name, crashed / name)
    conn.close()
    services = open_services(crashed / "tracker.db", actor="alice")
    try:
        titles = {i.title for i in services.issues.search(IssueFilter())}
    finally:
        services.close()
    assert titles == {"Renamed just before the crash", "Also before"}
    assert header_marks(crashed / "tracker.db") == (APPLICATION_ID, len(REAL_MIGRATIONS))


# -- restore ------------------------------------------------------------------------------------
def test_restoring_from_another_programs_file_is_refused_before_anything_is_written(
    tmp_path: Path, tracker_home: Path
) -> None:
    live = tmp_path / "tracker.db"
    services = open_services(live, create=True, actor="alice")
    try:
        services.projects.ensure_project("TRK", "Tracker")
        services.issues.create(NewIssue("TRK", "Keep me"))
        theirs = tmp_path / "theirs" / "other.sqlite"
        theirs.parent.mkdir()
        clashing_file(theirs)
        before = folder_state(theirs.parent)
        with pytest.raises(ForeignDatabaseError):
            services.backups.restore(theirs)
        assert [i.title for i in services.issues.search(IssueFilter())] == ["Keep me"]
        assert folder_state(theirs.parent) == before
        assert services.backups.list_backups() == []  # not even the safety copy
    finally:
        services.close()


def test_restoring_a_backup_from_before_the_marks_marks_the_database(tmp_path: Path) -> None:
    old = tmp_path / "old-backup.db"
    old_tracker_file(old)
    live = tmp_path / "tracker.db"
    services = open_services(live, create=True, actor="alice")
    try:
        services.backups.restore(old)
        titles = {i.title for i in services.issues.search(IssueFilter())}
    finally:
        services.close()
    assert titles == {"Made before the marks", "Also before"}
    assert header_marks(live) == (APPLICATION_ID, len(REAL_MIGRATIONS))


def test_an_empty_sqlite_file_is_not_a_backup(tmp_path: Path) -> None:
    services = open_services(tmp_path / "tracker.db", create=True, actor="alice")
    empty = tmp_path / "empty.sqlite"
    conn = sqlite3.connect(empty)
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    try:
        with pytest.raises(NotADatabaseError, match="empty database, not a Tracker backup"):
            services.backups.restore(empty)
    finally:
        services.close()


# -- PostgreSQL ---------------------------------------------------------------------------------
def relations(url: str) -> list[tuple[str, str, str, str]]:
    """Every table, view and sequence outside the system schemas, with its kind and owner."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT n.nspname, c.relname, c.relkind::text, pg_get_userbyid(c.relowner)"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
            " ORDER BY 1, 2"
        ).fetchall()
    return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]


def meta(url: str) -> list[tuple[str, int]]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT application, schema_version FROM tracker_meta").fetchall()
    return [(str(a), int(v)) for a, v in rows]


@pytest.fixture
def bare_database(pg_cluster: PgCluster, request: pytest.FixtureRequest) -> Iterator[str]:
    name = f"own_{request.node.name.split('[')[0][-30:]}".lower()
    url = pg_cluster.create_database(name)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


FOREIGN_PG = {
    "users-table": ["CREATE TABLE users (id int PRIMARY KEY, name text)"],
    "project-and-issue-tables": [
        "CREATE TABLE project (id int PRIMARY KEY, key text)",
        "CREATE TABLE issue (id int PRIMARY KEY, summary text)",
    ],
    "own-schema-only": ["CREATE SCHEMA billing", "CREATE TABLE billing.invoice (id int)"],
}


@pytest.mark.postgres
@pytest.mark.parametrize("kind", sorted(FOREIGN_PG))
def test_another_programs_postgres_database_is_refused_and_gets_no_table(
    bare_database: str, kind: str
) -> None:
    with psycopg.connect(bare_database, autocommit=True) as conn:
        for statement in FOREIGN_PG[kind]:
            conn.execute(statement)
    before = relations(bare_database)
    for create in (False, True):
        with pytest.raises(ForeignDatabaseError) as info:
            open_database(bare_database, create=create)
        assert str(info.value).endswith(
            " is not a Tracker database (it belongs to another program)"
        )
        assert relations(bare_database) == before
    with pytest.raises(ForeignDatabaseError):
        provision.setup_postgres(bare_database)
    assert relations(bare_database) == before  # no table, and every owner unchanged


@pytest.mark.postgres
def test_an_empty_postgres_database_is_set_up_only_when_asked(bare_database: str) -> None:
    with pytest.raises(NoDatabaseYet) as info:
        open_database(bare_database)
    assert "empty database" in str(info.value)
    assert "admin setup-postgres" in info.value.hint
    assert relations(bare_database) == []

    open_database(bare_database, create=True).close()
    assert meta(bare_database) == [("tracker", len(REAL_MIGRATIONS))]
    open_database(bare_database).close()  # now it is Tracker's: an ordinary open works


@pytest.mark.postgres
def test_setup_postgres_on_an_empty_database_marks_it(bare_database: str) -> None:
    provision.setup_postgres(bare_database)
    assert meta(bare_database) == [("tracker", len(REAL_MIGRATIONS))]


@pytest.mark.postgres
@pytest.mark.parametrize("how", ["setup-postgres", "open"])
def test_a_postgres_database_from_before_the_marker_gets_it_on_upgrade(
    bare_database: str, how: str
) -> None:
    services = open_services(bare_database, create=True, actor="alice")
    services.projects.ensure_project("TRK", "Tracker")
    services.issues.create(NewIssue("TRK", "Made before the marker"))
    services.close()
    made_before_the_marks(bare_database)
    assert "tracker_meta" not in {name for _, name, _, _ in relations(bare_database)}
    if how == "setup-postgres":
        provision.setup_postgres(bare_database)
    else:
        open_database(bare_database).close()
    assert meta(bare_database) == [("tracker", len(REAL_MIGRATIONS))]
    services = open_services(bare_database, actor="alice")
    try:
        assert [i.title for i in services.issues.search(IssueFilter())] == [
            "Made before the marker"
        ]
    finally:
        services.close()
